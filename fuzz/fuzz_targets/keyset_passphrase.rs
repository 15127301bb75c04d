//! Stored keyset JSON loaded with the vectors' passphrase, Argon2id capped at 64 KiB, 2 passes and
//! 2 lanes so that a run is not dominated by Argon2id.
#![no_main]
use libfuzzer_sys::fuzz_target;
use privshare::keys::store::LoadOptions;
use privshare::{Argon2Params, Keyset};

fuzz_target!(|data: &[u8]| {
    let Ok(json) = std::str::from_utf8(data) else { return };
    let options = LoadOptions::new().argon2_caps(Argon2Params::new(64, 2, 2).unwrap());
    let passphrase = privshare_fuzz::keks().passphrase.as_bytes();
    let _ = Keyset::from_json_with_passphrase_options(json, passphrase, &options);
});
