//! The keyset-storage calls of the core, in one place so that the C functions stay thin.

use privshare_core::{Error, ErrorKind, Keyset, Result};

fn unavailable() -> Error {
    Error::new(ErrorKind::Internal, "keyset storage is not available in this build")
}

/// Loads a stored keyset wrapped by a raw 32-byte key-encryption key.
pub(crate) fn load_with_kek(json: &str, kek: &[u8]) -> Result<Keyset> {
    let _ = (json, kek);
    Err(unavailable())
}

/// Loads a stored keyset wrapped under a passphrase.
pub(crate) fn load_with_passphrase(json: &str, passphrase: &str) -> Result<Keyset> {
    let _ = (json, passphrase);
    Err(unavailable())
}

/// Stores a keyset wrapped by a raw 32-byte key-encryption key.
pub(crate) fn save_with_kek(keyset: &Keyset, kek: &[u8]) -> Result<String> {
    let _ = (keyset, kek);
    Err(unavailable())
}

/// Stores a keyset wrapped under a passphrase.
pub(crate) fn save_with_passphrase(keyset: &Keyset, passphrase: &str) -> Result<String> {
    let _ = (keyset, passphrase);
    Err(unavailable())
}
