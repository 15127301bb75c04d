//! Audit log files opened for appending and repaired: the input is written to a file (in
//! /dev/shm when there is one). Selector bit 0 clear: `AuditLog::open`, and a log that verifies
//! and opens must take one more batch and still verify. Bit 0 set: `AuditLog::recover`, after
//! which the log has no torn tail.
#![no_main]
use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;
use privshare::audit::{AuditLog, LogVerifier, Record};
use privshare::ErrorKind;

fn dir() -> PathBuf {
    let base = if std::path::Path::new("/dev/shm").is_dir() { PathBuf::from("/dev/shm") } else { std::env::temp_dir() };
    let d = base.join(format!("privshare-fuzz-audit-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, file)) = data.split_first() else { return };
    let d = dir();
    let path = d.join("log");
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(&path, file).unwrap();
    if selector & 1 == 0 {
        let verified = LogVerifier::new(privshare_fuzz::audit_verifier()).verify_file(&path).is_ok();
        if let Ok(log) = AuditLog::open(&path) {
            let record = Record::from_json(privshare_fuzz::AUDIT_RECORD).unwrap();
            log.append(&[record]).expect("an opened log takes a batch");
            drop(log);
            if verified {
                LogVerifier::new(privshare_fuzz::audit_verifier())
                    .verify_file(&path)
                    .expect("a log that verified still verifies after an append");
            }
        }
    } else if AuditLog::recover(&path).is_ok() {
        if let Err(e) = AuditLog::open(&path) {
            assert_ne!(e.kind(), ErrorKind::AuditLogTornTail, "a recovered log has no torn tail: {e}");
        }
    }
    let _ = std::fs::remove_dir_all(&d);
});
