//! Detection on planted columns: every PII column found, no false positive, random 18-digit
//! numbers not taken for resident IDs.

mod mask_common;

use mask_common::*;
use privshare::mask::*;

fn expected() -> Vec<(&'static str, PiiType)> {
    vec![
        ("name", PiiType::Name),
        ("resident_id", PiiType::ResidentId),
        ("mobile", PiiType::Mobile),
        ("email", PiiType::Email),
        ("address", PiiType::Address),
        ("bank_card", PiiType::BankCard),
    ]
}

#[test]
fn csv_with_planted_columns() {
    let data = csv(3000, 7);
    let report = scan_csv(data.as_bytes(), &ScanOptions { sample_rows: 1000, ..Default::default() }).unwrap();
    assert_eq!((report.rows_read, report.rows_sampled, report.complete), (3000, 1000, true));
    assert_eq!(report.detected(), expected(), "{report:#?}");
    let id = &report.columns[1];
    assert!(id.valid_share > 0.99 && id.evidence == Some(Evidence::CheckDigit));
    assert_eq!(id.suggested_rule, Some(Rule::ResidentId(Default::default())));
    // The random 18-digit column looks like resident IDs but does not validate.
    let rec = report.columns.iter().find(|c| c.name == "record_no").unwrap();
    assert_eq!(rec.detected, None);
    let cand = rec.candidates.iter().find(|c| c.pii_type == PiiType::ResidentId).unwrap();
    assert!(cand.shape_share > 0.99 && cand.valid_share < 0.1, "{cand:?}");
    // Serializable report.
    let json = serde_json::to_string(&report).unwrap();
    let back: ScanReport = serde_json::from_str(&json).unwrap();
    assert_eq!(back.detected(), report.detected());
}

#[test]
fn head_sampling_and_row_limit() {
    let data = csv(500, 3);
    let head =
        scan_csv(data.as_bytes(), &ScanOptions { sample_rows: 100, sampling: Sampling::Head, ..Default::default() })
            .unwrap();
    assert_eq!((head.rows_read, head.rows_sampled, head.complete), (100, 100, false));
    assert_eq!(head.detected(), expected());
    let limited = scan_csv(data.as_bytes(), &ScanOptions { max_rows: Some(200), ..Default::default() }).unwrap();
    assert_eq!((limited.rows_read, limited.complete), (200, false));
    let all = scan_csv(data.as_bytes(), &ScanOptions { max_rows: Some(500), ..Default::default() }).unwrap();
    assert_eq!((all.rows_read, all.complete), (500, true));
}

#[test]
fn in_memory_columns_and_more_types() {
    let mut r = Rng(11);
    let n = 200;
    let col = |f: &mut dyn FnMut(&mut Rng) -> String, r: &mut Rng| (0..n).map(|_| f(r)).collect::<Vec<String>>();
    let ids = col(&mut resident_id, &mut r);
    let uscc_col = col(&mut uscc, &mut r);
    let dates = col(&mut birth_date, &mut r);
    let plates: Vec<String> = (0..n).map(|i| format!("京A{:05}", i * 37 % 100_000)).collect();
    let passports: Vec<String> = (0..n).map(|i| format!("E{:08}", i * 7919)).collect();
    let ips: Vec<String> = (0..n).map(|i| format!("10.{}.{}.{}", i % 7, i % 250, i % 200)).collect();
    let phones: Vec<String> = (0..n).map(|i| format!("010-6{:07}", i * 31)).collect();
    // Random 18-digit strings and Luhn-failing card-length numbers.
    let random18: Vec<String> = (0..n).map(|_| format!("{}{}", 1 + r.below(9), r.digits(17))).collect();
    let mut with_gaps = ids.clone();
    for v in with_gaps.iter_mut().step_by(3) {
        v.clear();
    }
    let mut dirty = ids.clone();
    for v in dirty.iter_mut().step_by(10) {
        v.replace_range(17.., "0");
    }
    let names = ["id", "uscc", "date", "plate", "passport", "ip", "landline", "random18", "gaps", "dirty"];
    let cols: [&dyn privshare::Values; 10] =
        [&ids, &uscc_col, &dates, &plates, &passports, &ips, &phones, &random18, &with_gaps, &dirty];
    let report = scan_columns(&names, &cols, &ScanOptions::default()).unwrap();
    let got = report.detected();
    assert_eq!(
        got,
        vec![
            ("id", PiiType::ResidentId),
            ("uscc", PiiType::Uscc),
            ("date", PiiType::Date),
            ("plate", PiiType::Plate),
            ("passport", PiiType::Passport),
            ("ip", PiiType::IpAddress),
            ("landline", PiiType::Landline),
            ("gaps", PiiType::ResidentId),
            ("dirty", PiiType::ResidentId),
        ],
        "{report:#?}"
    );
    assert_eq!(report.columns[8].non_empty, 133);
    let no_dates = scan_columns(&names, &cols, &ScanOptions { detect_dates: false, ..Default::default() }).unwrap();
    assert_eq!(no_dates.columns[2].detected, None);
    // Too few values: nothing detected.
    let few = scan_columns(&["id"], &[&ids[..5].to_vec()], &ScanOptions::default()).unwrap();
    assert_eq!(few.columns[0].detected, None);
    // Mismatched names.
    assert!(scan_columns(&["a"], &[], &ScanOptions::default()).is_err());
}

#[test]
fn low_cardinality_chinese_words_are_not_names() {
    let occupations: Vec<&str> =
        ["高中", "司机", "程序员", "王府井", "高级"].iter().cycle().take(300).copied().collect();
    let report = scan_columns(&["x"], &[&occupations], &ScanOptions::default()).unwrap();
    assert_eq!(report.columns[0].detected, None, "{report:#?}");
    // Every value passes the name test: only the cardinality guard keeps this from being names.
    let cand = report.columns[0].candidates.iter().find(|c| c.pii_type == PiiType::Name).unwrap();
    assert_eq!(cand.valid_share, 1.0);
}

#[test]
fn malformed_csv_is_an_error_without_data() {
    let bad = b"a,b\n\"unterminated,x\n";
    // An unterminated quote simply runs to the end in the csv crate; a bad UTF-8 header is fine too.
    assert!(scan_csv(&bad[..], &ScanOptions::default()).is_ok());
    let err = scan_csv_path("/nonexistent/file.csv", &ScanOptions::default()).unwrap_err();
    assert_eq!(err.kind(), privshare::ErrorKind::Io);
}
