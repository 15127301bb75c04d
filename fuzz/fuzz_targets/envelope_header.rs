//! Envelope headers: `envelope::parse_header` over arbitrary bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use privshare::envelope::parse_header;

fuzz_target!(|data: &[u8]| {
    if let Ok((header, len)) = parse_header(data) {
        assert!(len <= data.len());
        let _ = header.to_json();
    }
});
