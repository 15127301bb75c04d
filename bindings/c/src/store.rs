//! The keyset-storage calls of the core, in one place so that the C functions stay thin.

use privshare_core::keys::store::{Argon2Params, LoadOptions, RawKek};
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

/// Load options from their C form: a minimum generation and Argon2id caps, each 0 for the default.
pub(crate) fn load_options(
    min_generation: u64,
    max_m_cost_kib: u32,
    max_t_cost: u32,
    max_p_cost: u32,
) -> Result<LoadOptions> {
    let default = Argon2Params::DEFAULT_CAPS;
    let or_default = |asked: u32, default: u32| if asked == 0 { default } else { asked };
    let caps = Argon2Params::new(
        or_default(max_m_cost_kib, default.m_cost_kib()),
        or_default(max_t_cost, default.t_cost()),
        or_default(max_p_cost, default.p_cost()),
    )
    .map_err(|_| {
        Error::new(
            ErrorKind::InvalidArgument,
            "Argon2id caps must satisfy 8 x lanes <= memory <= 1048576 KiB, passes <= 16, lanes <= 16",
        )
    })?;
    Ok(LoadOptions::new().min_generation(min_generation).argon2_caps(caps))
}

/// Loads a stored keyset wrapped by a raw key-encryption key.
pub(crate) fn load_with_kek(json: &str, kek_bytes: &[u8], options: &LoadOptions) -> Result<Keyset> {
    Keyset::from_json_with_options(json, &kek(kek_bytes)?, options)
}

/// Loads a stored keyset wrapped under a passphrase.
pub(crate) fn load_with_passphrase(json: &str, passphrase: &[u8], options: &LoadOptions) -> Result<Keyset> {
    Keyset::from_json_with_passphrase_options(json, passphrase, options)
}

/// Stores a keyset wrapped by a raw key-encryption key.
pub(crate) fn save_with_kek(keyset: &Keyset, kek_bytes: &[u8]) -> Result<String> {
    keyset.to_json(&kek(kek_bytes)?)
}

/// Stores a keyset wrapped under a passphrase (Argon2id at the core's default costs: RFC 9106's
/// second recommended option).
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
