//! Audit log files: `LogVerifier::verify_reader` over arbitrary bytes with the vectors' key.
#![no_main]
use libfuzzer_sys::fuzz_target;
use privshare::audit::LogVerifier;

fuzz_target!(|data: &[u8]| {
    let verifier = LogVerifier::new(privshare_fuzz::audit_verifier());
    let _ = verifier.verify_reader(data, data.len() as u64);
});
