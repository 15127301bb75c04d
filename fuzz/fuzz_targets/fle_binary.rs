//! Binary field ciphertexts: decrypted by a randomized cipher (with and without a record id) and a
//! deterministic one over the vectors' keyset (AES and SM versions), or only inspected.
#![no_main]
use libfuzzer_sys::fuzz_target;
use privshare::fle::format;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, ct)) = data.split_first() else { return };
    let (randomized, deterministic) = privshare_fuzz::field_ciphers();
    let _ = match selector % 4 {
        0 => randomized.decrypt(None, ct),
        1 => randomized.decrypt(Some(b"row-0001"), ct),
        2 => deterministic.decrypt(ct),
        _ => format::inspect(ct).map(|h| h.to_bytes()),
    };
});
