//! Speed of the synthetic data generator: building records, and writing them as CSV.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use privshare::synth::{write_csv, Citizen, Generator};
use std::hint::black_box;

fn generate(c: &mut Criterion) {
    let mut group = c.benchmark_group("synth");
    const ROWS: u64 = 10_000;
    group.throughput(Throughput::Elements(ROWS));
    group.bench_function("fill_10k_records", |b| {
        let generator = Generator::new(1);
        let mut record = Citizen::default();
        b.iter(|| {
            for i in 0..ROWS {
                generator.fill(i, &mut record);
                black_box(&record);
            }
        })
    });
    group.bench_function("csv_10k_rows", |b| {
        let mut buf = Vec::with_capacity(3 << 20);
        b.iter(|| {
            buf.clear();
            buf = write_csv(1, ROWS, std::mem::take(&mut buf)).expect("writing to memory");
            black_box(buf.len())
        })
    });
    group.finish();
}

criterion_group!(benches, generate);
criterion_main!(benches);
