//! Tree head keys made and checked by the openssl command line: a key from `openssl genpkey`
//! (Ed25519, ECDSA P-256, SM2) signs tree heads, its public key from `openssl pkey -pubout`
//! verifies them, and openssl verifies an Ed25519 head's signature over the documented signed
//! message.

mod audit_support;

use audit_support::{record, TempDir};
use privshare::audit::{AuditLog, TreeHeadVerifier, HEAD_SIGNING_LABEL};
use privshare::envelope::{SignatureAlgorithm, SigningKey, VerifyingKey};
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
    let signer = SigningKey::from_pkcs8_der(&std::fs::read(p("key.der")).unwrap()).unwrap();
    let spki = std::fs::read(p("pub.der")).unwrap();
    let verifier = VerifyingKey::from_spki_der(&spki).unwrap();
    assert_eq!(verifier, signer.verifying_key().clone());
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

#[test]
fn openssl_p256_and_sm2_keys_sign_tree_heads() {
    let dir = TempDir::new("openssl-ec");
    let p = |n: &str| dir.join(n).to_str().unwrap().to_string();
    let cases: [(&[&str], SignatureAlgorithm, Suite); 2] = [
        (&["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"], SignatureAlgorithm::EcdsaP256Sha256, Suite::Aes),
        (&["-algorithm", "SM2"], SignatureAlgorithm::Sm2Sm3, Suite::Sm),
    ];
    for (i, (args, alg, suite)) in cases.into_iter().enumerate() {
        let (pem, key, public) = (p(&format!("key{i}.pem")), p(&format!("key{i}.der")), p(&format!("pub{i}.der")));
        openssl(&[&["genpkey"][..], args, &["-out", &pem]].concat());
        // `genpkey -outform DER` writes EC keys in the SEC1 form; `pkcs8 -topk8` keeps PKCS#8.
        openssl(&["pkcs8", "-topk8", "-nocrypt", "-in", &pem, "-outform", "DER", "-out", &key]);
        openssl(&["pkey", "-in", &pem, "-pubout", "-outform", "DER", "-out", &public]);
        let signer = SigningKey::from_pkcs8_der(&std::fs::read(&key).unwrap()).unwrap();
        let verifier = VerifyingKey::from_spki_der(&std::fs::read(&public).unwrap()).unwrap();
        assert_eq!((signer.algorithm(), verifier.algorithm()), (alg, alg));
        let log = AuditLog::create(dir.join(&format!("log{i}")), suite).unwrap();
        log.append(&[record(0), record(1)]).unwrap();
        let head = log.sign_tree_head(&signer).unwrap();
        head.verify(&[&verifier]).unwrap();
        // Another key of the same algorithm does not verify it.
        let other = SigningKey::generate(alg).unwrap();
        assert!(head.verify(&[other.verifying_key()]).is_err(), "{alg}");
    }
}
