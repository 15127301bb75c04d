//! PII detection on the synthetic citizen data: every PII column found, no non-PII column flagged.

use privshare::mask::{scan_csv, PiiType, ScanOptions};

#[test]
fn scan_finds_exactly_the_pii_columns_of_synthetic_citizens() {
    let csv = privshare::synth::write_csv(42, 20_000, Vec::new()).unwrap();
    let report = scan_csv(&csv[..], &ScanOptions::default()).unwrap();
    assert_eq!(
        report.detected(),
        vec![
            ("name", PiiType::Name),
            ("birth_date", PiiType::Date),
            ("id_number", PiiType::ResidentId),
            ("mobile", PiiType::Mobile),
            ("bank_card", PiiType::BankCard),
            ("address", PiiType::Address),
        ]
    );
}
