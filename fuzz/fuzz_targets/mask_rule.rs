//! Masking rules: `rule JSON 0xFF value`. The rule is parsed and compiled (keyed rules over the
//! vectors' keyset) and applied to the value, alone and for a subject.
#![no_main]
use libfuzzer_sys::fuzz_target;
use privshare::mask::{Masker, Rule};

fuzz_target!(|data: &[u8]| {
    let (rule, value) = privshare_fuzz::split2(data);
    let (Ok(rule), Ok(value)) = (std::str::from_utf8(rule), std::str::from_utf8(value)) else { return };
    let Ok(rule) = Rule::from_json(rule) else { return };
    let masker = if rule.is_keyed() {
        Masker::with_keyset(rule, privshare_fuzz::keyset(), privshare_fuzz::AES_KEY_ID, "census", "col")
    } else {
        Masker::new(rule)
    };
    let Ok(masker) = masker else { return };
    let _ = masker.apply(value);
    let _ = masker.apply_for_subject(value, "subject-1");
});
