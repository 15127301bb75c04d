//! Stored keyset JSON loaded with the vectors' raw AES-256 or SM4 KEK, or as insecure plaintext.
#![no_main]
use libfuzzer_sys::fuzz_target;
use privshare::{Keyset, RawKek};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, json)) = data.split_first() else { return };
    let Ok(json) = std::str::from_utf8(json) else { return };
    let keks = privshare_fuzz::keks();
    let _ = match selector % 3 {
        0 => Keyset::from_json(json, &RawKek::new(&keks.aes).unwrap()),
        1 => Keyset::from_json(json, &RawKek::sm4(&keks.sm4).unwrap()),
        _ => Keyset::from_insecure_plaintext_json(json),
    };
});
