//! Anonymization: `spec JSON 0xFF CSV`, through `anon::spec::anonymize_csv`.
#![no_main]
use libfuzzer_sys::fuzz_target;
use privshare::anon::spec::anonymize_csv;

fuzz_target!(|data: &[u8]| {
    let (spec, csv) = privshare_fuzz::split2(data);
    let Ok(spec) = std::str::from_utf8(spec) else { return };
    let _ = anonymize_csv(csv, b',', spec);
});
