//! Text-form field ciphertexts (`ps1:`…): decrypted by a randomized cipher (with and without a
//! record id) and a deterministic one over the vectors' keyset, or only decoded.
#![no_main]
use libfuzzer_sys::fuzz_target;
use privshare::fle::format;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, text)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(text) else { return };
    let (randomized, deterministic) = privshare_fuzz::field_ciphers();
    let _ = match selector % 4 {
        0 => randomized.decrypt_text(None, text),
        1 => randomized.decrypt_text(Some(b"row-0001"), text),
        2 => deterministic.decrypt_text(text),
        _ => format::from_text(text),
    };
});
