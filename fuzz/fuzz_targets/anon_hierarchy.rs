//! Hierarchy CSV: the first byte is the delimiter, the rest the CSV text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use privshare::anon::Hierarchy;

fuzz_target!(|data: &[u8]| {
    let Some((&delimiter, text)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(text) else { return };
    if let Ok(h) = Hierarchy::from_csv(text, delimiter) {
        let _ = h.to_csv(char::from(delimiter));
    }
});
