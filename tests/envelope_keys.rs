//! Keys made by the `openssl` command line load, and signatures cross-check with openssl.

use std::path::Path;
use std::process::Command;

use privshare::envelope::{
    KemAlgorithm, RecipientKey, RecipientPublicKey, SignatureAlgorithm, SigningKey, VerifyingKey,
};

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl").args(args).current_dir(dir).output().expect("the openssl command line is needed");
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap()
}

fn text(dir: &Path, name: &str) -> String {
    String::from_utf8(read(dir, name)).unwrap()
}

/// Makes `key.pem` (PKCS#8) with `genpkey` options, its DER, and the public key in PEM and DER.
fn genpkey(dir: &Path, genpkey_args: &[&str]) {
    let mut args = vec!["genpkey", "-out", "key.pem"];
    args.extend_from_slice(genpkey_args);
    openssl(dir, &args);
    // `pkey -outform DER` writes EC keys in the SEC1 form; `pkcs8 -topk8` keeps PKCS#8.
    openssl(dir, &["pkcs8", "-topk8", "-nocrypt", "-in", "key.pem", "-outform", "DER", "-out", "key.der"]);
    openssl(dir, &["pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem"]);
    openssl(dir, &["pkey", "-in", "key.pem", "-pubout", "-outform", "DER", "-out", "pub.der"]);
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("privshare-keys-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn openssl_signing_keys_load_and_agree() {
    let cases: [(&[&str], SignatureAlgorithm); 3] = [
        (&["-algorithm", "ed25519"], SignatureAlgorithm::Ed25519),
        (&["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"], SignatureAlgorithm::EcdsaP256Sha256),
        (&["-algorithm", "SM2"], SignatureAlgorithm::Sm2Sm3),
    ];
    for (i, (args, alg)) in cases.into_iter().enumerate() {
        let dir = tempdir(&format!("sign{i}"));
        genpkey(&dir, args);
        let key = SigningKey::from_pkcs8_pem(&text(&dir, "key.pem")).unwrap();
        assert_eq!(key.algorithm(), alg);
        let from_der = SigningKey::from_pkcs8_der(&read(&dir, "key.der")).unwrap();
        let public = VerifyingKey::from_spki_pem(&text(&dir, "pub.pem")).unwrap();
        assert_eq!(public.id(), key.id());
        assert_eq!(from_der.id(), key.id());
        // openssl's DER public key is our canonical form, so the key id is SHA-256 of its file.
        assert_eq!(public.to_spki_der(), read(&dir, "pub.der"), "{alg}");
        assert_eq!(VerifyingKey::from_spki_der(&read(&dir, "pub.der")).unwrap(), public);
        // Our signature verifies with openssl (Ed25519 over the raw message; ECDSA over SHA-256,
        // DER-encoded by openssl, so only Ed25519 is cross-checked byte for byte).
        if alg == SignatureAlgorithm::Ed25519 {
            std::fs::write(dir.join("msg"), b"signed tree head").unwrap();
            std::fs::write(dir.join("ours.sig"), key.sign(b"signed tree head").unwrap()).unwrap();
            openssl(
                &dir,
                &["pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin", "-in", "msg", "-sigfile", "ours.sig"],
            );
            openssl(&dir, &["pkeyutl", "-sign", "-inkey", "key.pem", "-rawin", "-in", "msg", "-out", "theirs.sig"]);
            public.verify(b"signed tree head", &read(&dir, "theirs.sig")).unwrap();
        }
        public.verify(b"m", &key.sign(b"m").unwrap()).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

#[test]
fn openssl_recipient_keys_load() {
    let cases: [(&[&str], KemAlgorithm); 3] = [
        (&["-algorithm", "X25519"], KemAlgorithm::HpkeX25519),
        (&["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"], KemAlgorithm::HpkeP256),
        (&["-algorithm", "SM2"], KemAlgorithm::Sm2),
    ];
    for (i, (args, alg)) in cases.into_iter().enumerate() {
        let dir = tempdir(&format!("recip{i}"));
        genpkey(&dir, args);
        let key = RecipientKey::from_pkcs8_pem(&text(&dir, "key.pem")).unwrap();
        assert_eq!(key.algorithm(), alg);
        let public = RecipientPublicKey::from_spki_pem(&text(&dir, "pub.pem")).unwrap();
        assert_eq!(public.id(), key.id());
        assert_eq!(public.to_spki_der(), read(&dir, "pub.der"));
        assert_eq!(RecipientKey::from_pkcs8_der(&read(&dir, "key.der")).unwrap().id(), key.id());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

#[test]
fn our_keys_load_in_openssl() {
    let dir = tempdir("ours");
    let ed = SigningKey::generate(SignatureAlgorithm::Ed25519).unwrap();
    let p256 = SigningKey::generate(SignatureAlgorithm::EcdsaP256Sha256).unwrap();
    let sm2 = SigningKey::generate(SignatureAlgorithm::Sm2Sm3).unwrap();
    let x = RecipientKey::generate(KemAlgorithm::HpkeX25519).unwrap();
    let pems = [ed.to_pkcs8_pem(), p256.to_pkcs8_pem(), sm2.to_pkcs8_pem(), x.to_pkcs8_pem()];
    let pubs = [
        ed.verifying_key().to_spki_pem(),
        p256.verifying_key().to_spki_pem(),
        sm2.verifying_key().to_spki_pem(),
        x.public_key().to_spki_pem(),
    ];
    for (i, (pem, public)) in pems.iter().zip(&pubs).enumerate() {
        std::fs::write(dir.join("k.pem"), pem.as_bytes()).unwrap();
        openssl(&dir, &["pkey", "-in", "k.pem", "-pubout", "-out", "p.pem"]);
        assert_eq!(&text(&dir, "p.pem"), public, "key {i}: openssl derives the same public key");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
