//! The keyset-storage calls of the core, in one place so that the C functions stay thin.

use privshare_core::keys::store::RawKek;
use privshare_core::{Error, ErrorKind, Keyset, Result};

/// A raw KEK chosen by its length: 32 bytes is AES-256-GCM, 16 bytes SM4-GCM.
fn kek(bytes: &[u8]) -> Result<RawKek> {
    match bytes.len() {
        32 => RawKek::new(bytes),
        16 => RawKek::sm4(bytes),
        n => Err(Error::new(
            ErrorKind::InvalidArgument,
            format!("a key-encryption key is 32 bytes (AES-256-GCM) or 16 bytes (SM4-GCM), not {n}"),
        )),
    }
}

/// Loads a stored keyset wrapped by a raw key-encryption key.
pub(crate) fn load_with_kek(json: &str, kek_bytes: &[u8]) -> Result<Keyset> {
    Keyset::from_json(json, &kek(kek_bytes)?)
}

/// Loads a stored keyset wrapped under a passphrase.
pub(crate) fn load_with_passphrase(json: &str, passphrase: &[u8]) -> Result<Keyset> {
    Keyset::from_json_with_passphrase(json, passphrase)
}

/// Stores a keyset wrapped by a raw key-encryption key.
pub(crate) fn save_with_kek(keyset: &Keyset, kek_bytes: &[u8]) -> Result<String> {
    keyset.to_json(&kek(kek_bytes)?)
}

/// Stores a keyset wrapped under a passphrase (Argon2id at the core's default costs).
pub(crate) fn save_with_passphrase(keyset: &Keyset, passphrase: &[u8]) -> Result<String> {
    keyset.to_json_with_passphrase(passphrase)
}

/// INSECURE: loads a keyset whose root keys are stored in plain hex.
pub(crate) fn load_insecure_plaintext(json: &str) -> Result<Keyset> {
    Keyset::from_insecure_plaintext_json(json)
}

/// INSECURE: the keyset with its root keys in plain hex.
pub(crate) fn save_insecure_plaintext(keyset: &Keyset) -> Result<String> {
    keyset.to_insecure_plaintext_json()
}
