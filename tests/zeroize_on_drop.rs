//! What backs the claim that key material is wiped (docs/c-abi.md, "What is wiped"), at the level
//! of types and source. The runtime half, a scan of freed memory for the keys, is
//! bindings/c/tests/wiped_on_drop.rs.
//!
//! Covered here: (1) every type privshare keeps a key, a key schedule or a keyed MAC state in
//! implements `ZeroizeOnDrop`, i.e. overwrites itself when dropped; (2) no key-holding type of ring,
//! which does not wipe its keys, is used anywhere in the library or its bindings. Not covered: that
//! every struct keeps its keys only in these types (read `src/`), copies the compiler makes on the
//! stack, and GHASH's key, which polyval wipes in its `Drop` but declares no `ZeroizeOnDrop` for
//! (the runtime scan covers HMAC-SHA-256's keyed states; nothing here covers GHASH's key but
//! reading polyval's source).

use std::path::{Path, PathBuf};
use zeroize::ZeroizeOnDrop;

fn wipes_itself<T: ZeroizeOnDrop>() {}

#[test]
fn key_holding_types_wipe_themselves() {
    type U12 = aes_gcm::aead::consts::U12;
    // Root keys, derived keys, KEKs, passphrase-derived KEKs, the SIV key copy (keys/secret.rs).
    wipes_itself::<privshare::keys::SecretBytes>();
    wipes_itself::<zeroize::Zeroizing<Vec<u8>>>();
    // Block ciphers of field GCM (fle/gcm.rs), FF1 and structure-aware FPE (fle/ff1.rs).
    wipes_itself::<aes::Aes256>();
    wipes_itself::<sm4_ct::Sm4>();
    // Deterministic encryption (fle/aead.rs).
    wipes_itself::<aes_siv::siv::Siv<aes::Aes256, cmac::Cmac<aes::Aes256>>>();
    wipes_itself::<aes_siv::siv::Siv<sm4_ct::Sm4, cmac::Cmac<sm4_ct::Sm4>>>();
    // Tokens and keyed masking (keys/mac.rs), HKDF's PRK (keys/derive.rs): `hmac::Hmac<D>` declares
    // no `ZeroizeOnDrop` itself, but its keyed state is two cores of the hash (after the inner and
    // the outer pad), which do.
    wipes_itself::<<sha2::Sha256 as hmac::digest::block_api::CoreProxy>::Core>();
    wipes_itself::<<sm3::Sm3 as hmac::digest::block_api::CoreProxy>::Core>();
    // Key wrapping by a raw or passphrase-derived KEK (keys/store/kek.rs).
    wipes_itself::<aes_gcm::AesGcm<aes::Aes256, U12>>();
    wipes_itself::<aes_gcm::AesGcm<sm4_ct::Sm4, U12>>();
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// ring's modules whose types hold keys it never wipes (aead, hmac, hkdf, signature key pairs,
/// agreement private keys). Its CSPRNG (`ring::rand`) holds no key and stays.
const RING_KEY_MODULES: [&str; 5] = ["aead", "hmac", "hkdf", "signature", "agreement"];

/// The known exception, listed as not wiped in docs/c-abi.md: the signing identities (Ed25519,
/// ECDSA P-256; they also sign audit tree heads) are ring key pairs, and ring's signature
/// verification (public keys only) is used beside them.
const NOT_WIPED_YET: [&str; 1] = ["src/envelope/identity.rs"];

#[test]
fn no_ring_key_types_in_the_library() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["src", "bindings/c/src", "bindings/python/src"] {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 40, "only {} source files found", files.len());
    let mut found = Vec::new();
    for file in &files {
        if NOT_WIPED_YET.iter().any(|f| file.ends_with(f)) {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        // Test modules (`#[cfg(test)]` then `mod ...`, at the end of a file) may compare with ring.
        let lines: Vec<&str> = text.lines().collect();
        let end = lines
            .windows(2)
            .position(|w| {
                w[0].trim() == "#[cfg(test)]" && w[1].trim_start().trim_start_matches("pub(crate) ").starts_with("mod ")
            })
            .unwrap_or(lines.len());
        for (n, line) in lines[..end].iter().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            // `ring::aead::...`, and `use ring::{aead, ...}` forms.
            let uses_module = |m: &str| {
                code.contains(&format!("ring::{m}"))
                    || (code.contains("ring::{") && code.split("ring::{").nth(1).is_some_and(|rest| rest.contains(m)))
            };
            if RING_KEY_MODULES.iter().any(|m| uses_module(m)) {
                found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "ring key types (not wiped on drop) in use:\n{}", found.join("\n"));
}
