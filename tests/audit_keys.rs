//! Tree head keys made and checked by the openssl command line: a key from `openssl genpkey`
//! signs tree heads, its public key from `openssl pkey -pubout` verifies them, and openssl verifies
//! a head's signature over the documented signed message.

mod audit_support;

use audit_support::{record, TempDir};
use privshare::audit::{AuditLog, Ed25519Signer, Ed25519Verifier, TreeHeadVerifier, HEAD_SIGNING_LABEL};
use privshare::Suite;
use std::process::Command;

fn openssl(args: &[&str]) {
    let out = Command::new("openssl").args(args).output().expect("the openssl command line is installed");
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn openssl_keys_sign_and_verify_tree_heads() {
    let dir = TempDir::new("openssl");
    let p = |n: &str| dir.join(n).to_str().unwrap().to_string();
    openssl(&["genpkey", "-algorithm", "ed25519", "-outform", "DER", "-out", &p("key.der")]);
    openssl(&["pkey", "-inform", "DER", "-in", &p("key.der"), "-pubout", "-outform", "DER", "-out", &p("pub.der")]);
    let signer = Ed25519Signer::from_pkcs8(&std::fs::read(p("key.der")).unwrap()).unwrap();
    let spki = std::fs::read(p("pub.der")).unwrap();
    let verifier = Ed25519Verifier::from_spki(&spki).unwrap();
    assert_eq!(verifier, signer.verifier());
    assert_eq!(verifier.key_id().to_vec(), ring::digest::digest(&ring::digest::SHA256, &spki).as_ref());

    let log = AuditLog::create(dir.join("log"), Suite::Sm).unwrap();
    log.append(&[record(0), record(1)]).unwrap();
    let head = log.sign_tree_head(&signer).unwrap();
    head.verify(&[&verifier]).unwrap();
    // openssl checks the signature over label || the head's first 66 bytes.
    let message = [HEAD_SIGNING_LABEL, &head.as_bytes()[..66]].concat();
    std::fs::write(p("msg"), &message).unwrap();
    std::fs::write(p("sig"), head.signature()).unwrap();
    let verify = |msg: &str| {
        Command::new("openssl")
            .args(["pkeyutl", "-verify", "-pubin", "-inkey", &p("pub.der"), "-keyform", "DER", "-rawin"])
            .args(["-in", &p(msg), "-sigfile", &p("sig")])
            .output()
            .unwrap()
            .status
            .success()
    };
    assert!(verify("msg"));
    let mut other = message.clone();
    other[40] ^= 1;
    std::fs::write(p("other"), &other).unwrap();
    assert!(!verify("other"), "openssl accepts only the documented message");
}
