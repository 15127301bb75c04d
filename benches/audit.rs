//! Audit log throughput.
//!
//! `cargo bench --bench audit -- --warm-up-time 1 --measurement-time 5`
//!
//! - `fsync_floor/write_25k_fdatasync`: the disk's floor in the same run: append 25 KB (one batch
//!   of 100 records) to a file in the same directory and `fdatasync` it. A batch cannot be
//!   acknowledged faster than this.
//! - `append/batch_100/{1,4,16}_threads`: `AuditLog::append` of batches of 100 records, each on disk
//!   before the call returns, from 1, 4 and 16 threads sharing one log (concurrent appends share syncs).
//!   Target ≥ 50,000 records/s.
//! - `verify/1m_records`: `LogVerifier::verify_file` over a log of 1,000,000 records (batches of
//!   100, a signed head every 10,000 records), built in the setup. Target ≤ 5 s.
//!   `open/1m_records`: `AuditLog::open` of the same file (rebuilds the tree for proofs).
//!
//! Files go to `$PRIVSHARE_BENCH_DIR` (default: the system temporary directory), so the disk
//! measured is that directory's.

#[path = "../tests/audit_support/mod.rs"]
mod audit_support;

use audit_support::record;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use privshare::audit::{AuditLog, LogVerifier, Record};
use privshare::envelope::{SignatureAlgorithm, SigningKey};
use privshare::Suite;
use std::hint::black_box;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn bench_dir() -> PathBuf {
    let base = std::env::var_os("PRIVSHARE_BENCH_DIR").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
    let dir = base.join(format!("privshare-audit-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn batches(n: usize) -> Vec<Vec<Record>> {
    (0..n).map(|b| (0..100).map(|i| record((b * 100 + i) as u64)).collect()).collect()
}

fn fsync_floor(c: &mut Criterion) {
    let dir = bench_dir();
    let batch: Vec<u8> = batches(1)[0].iter().flat_map(|r| r.encode()).collect();
    let mut g = c.benchmark_group("fsync_floor");
    g.throughput(Throughput::Elements(100));
    let path = dir.join("floor");
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(&path).unwrap();
    g.bench_function("write_25k_fdatasync", |b| {
        b.iter(|| {
            f.write_all(&batch).unwrap();
            f.sync_data().unwrap();
        })
    });
    g.finish();
    let _ = std::fs::remove_dir_all(dir);
}

fn append(c: &mut Criterion) {
    let dir = bench_dir();
    let work = batches(64);
    let mut g = c.benchmark_group("append");
    for threads in [1usize, 4, 16] {
        g.throughput(Throughput::Elements(100 * threads as u64));
        let path = dir.join(format!("append-{threads}"));
        let log = Arc::new(AuditLog::create(&path, Suite::Aes).unwrap());
        g.bench_function(format!("batch_100/{threads}_threads"), |b| {
            // One iteration: every thread appends one batch of 100 (iters batches per thread).
            b.iter_custom(|iters| {
                let start = Instant::now();
                std::thread::scope(|s| {
                    for t in 0..threads {
                        let (log, work) = (&log, &work);
                        s.spawn(move || {
                            for i in 0..iters as usize {
                                black_box(log.append(&work[(i + t) % work.len()]).unwrap());
                            }
                        });
                    }
                });
                start.elapsed()
            })
        });
    }
    g.finish();
    let _ = std::fs::remove_dir_all(dir);
}

fn verify_1m(c: &mut Criterion) {
    let dir = bench_dir();
    let path = dir.join("1m");
    let key = SigningKey::generate(SignatureAlgorithm::Ed25519).unwrap();
    let setup = Instant::now();
    {
        let log = AuditLog::create(&path, Suite::Aes).unwrap();
        let work = batches(100);
        for b in 0..10_000 {
            log.append(&work[b % 100]).unwrap();
            if b % 100 == 99 {
                log.sign_tree_head(&key).unwrap();
            }
        }
    }
    eprintln!(
        "1M-record log built in {:.1?} ({} MB)",
        setup.elapsed(),
        std::fs::metadata(&path).unwrap().len() / 1_000_000
    );
    let verifier = key.verifying_key().clone();
    let mut g = c.benchmark_group("verify");
    g.sample_size(10).measurement_time(Duration::from_secs(20)).throughput(Throughput::Elements(1_000_000));
    g.bench_function("1m_records", |b| {
        b.iter(|| {
            let report = LogVerifier::new(&verifier).verify_file(&path).unwrap();
            assert_eq!((report.records, report.unsigned_records), (1_000_000, 0));
        })
    });
    g.finish();
    let mut g = c.benchmark_group("open");
    g.sample_size(10).measurement_time(Duration::from_secs(20)).throughput(Throughput::Elements(1_000_000));
    g.bench_function("1m_records", |b| b.iter(|| black_box(AuditLog::open(&path).unwrap())));
    g.finish();
    let _ = std::fs::remove_dir_all(dir);
}

criterion_group!(benches, fsync_floor, append, verify_1m);
criterion_main!(benches);
