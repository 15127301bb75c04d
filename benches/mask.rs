//! Masking and scan throughput.
//!
//! `cargo bench --bench mask -- --warm-up-time 1 --measurement-time 3`
//!
//! - `mask_column/*`: validate + mask a column of 100,000 valid values with the default display
//!   rule (`Masker::apply_column`), one thread. Targets: resident IDs, mobiles, bank cards
//!   ≥ 5 M values/s; names ≥ 2 M values/s.
//! - `scan/csv_1m_rows_12_cols`: `scan_csv` (uniform reservoir sample of 10,000 rows) over a
//!   1,000,000-row, 12-column synthetic citizen CSV generated in memory in the setup (about
//!   150 MB); target < 5 s.

#[path = "../tests/mask_common/mod.rs"]
mod mask_common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use mask_common::{bank_card, mobile, name, resident_id, Rng};
use privshare::mask::{scan_csv, Masker, Rule, ScanOptions};
use std::hint::black_box;

const N: usize = 100_000;

type Gen = fn(&mut Rng) -> String;

fn mask_columns(c: &mut Criterion) {
    let cases: [(&str, &str, Gen); 4] = [
        ("resident_id", r#"{"rule":"resident_id"}"#, resident_id),
        ("mobile", r#"{"rule":"mobile"}"#, mobile),
        ("bank_card", r#"{"rule":"bank_card"}"#, bank_card),
        ("name", r#"{"rule":"name"}"#, name),
    ];
    let mut g = c.benchmark_group("mask_column");
    g.throughput(Throughput::Elements(N as u64));
    for (label, json, gen) in cases {
        let mut r = Rng(42);
        let values: Vec<String> = (0..N).map(|_| gen(&mut r)).collect();
        let rule: Rule = serde_json::from_str(json).unwrap();
        let m = Masker::new(rule).unwrap();
        let check = m.apply_column(&values, None, None).unwrap();
        assert!(check.invalid_rows().is_empty(), "{label}: generator produced invalid values");
        g.bench_function(label, |b| b.iter(|| black_box(m.apply_column(black_box(&values), None, None).unwrap())));
    }
    g.finish();
}

fn scan_1m(c: &mut Criterion) {
    let mut g = c.benchmark_group("scan");
    g.sample_size(10);
    let opts = ScanOptions::default();
    g.bench_function("csv_1m_rows_12_cols", |b| {
        // Generated here so that a filtered run of the other benchmarks skips it.
        let csv = mask_common::csv(1_000_000, 9);
        b.iter(|| {
            let report = scan_csv(black_box(csv.as_bytes()), &opts).unwrap();
            assert_eq!(report.rows_read, 1_000_000);
            black_box(report)
        })
    });
    g.finish();
}

criterion_group!(benches, mask_columns, scan_1m);
criterion_main!(benches);
