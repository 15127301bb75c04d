//! The PII scan over CSV bytes: `CSV`, or `scan options JSON 0xFF CSV`.
#![no_main]
use libfuzzer_sys::fuzz_target;
use privshare::mask::{scan_csv, ScanOptions};

fuzz_target!(|data: &[u8]| {
    let (options, csv) = match data.iter().position(|&b| b == 0xFF) {
        None => (ScanOptions::default(), data),
        Some(_) => {
            let (json, csv) = privshare_fuzz::split2(data);
            let Ok(json) = std::str::from_utf8(json) else { return };
            let Ok(options) = ScanOptions::from_json(json) else { return };
            (options, csv)
        }
    };
    let _ = scan_csv(csv, &options);
});
