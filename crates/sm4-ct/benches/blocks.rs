//! Raw SM4 block throughput: each path of this crate against the `sm4` crate, one block at a
//! time and eight at a time (`encrypt_blocks` on 8 blocks), measured in the same run.
//!
//! Run: `cargo bench -p sm4-ct --bench blocks`

use cipher::{Array, BlockCipherEncrypt, KeyInit};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sm4_ct::{Path, Sm4};
use std::hint::black_box;
use std::time::Duration;

fn blocks(c: &mut Criterion) {
    let key = [7u8; 16];
    let reference = sm4::Sm4::new(&key.into());
    let ours: Vec<Sm4> = Path::ALL.into_iter().filter_map(|p| Sm4::with_path(&key, p).ok()).collect();
    for n in [1usize, 8] {
        let mut g = c.benchmark_group(format!("sm4_{n}_blocks"));
        g.throughput(Throughput::Bytes(16 * n as u64));
        let mut buf = vec![Array::from([1u8; 16]); n];
        g.bench_function("sm4_crate", |b| b.iter(|| reference.encrypt_blocks(black_box(&mut buf))));
        for sm4 in &ours {
            g.bench_function(sm4.path().name(), |b| b.iter(|| sm4.encrypt_blocks(black_box(&mut buf))));
        }
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_millis(300)).measurement_time(Duration::from_secs(1)).sample_size(20);
    targets = blocks
}
criterion_main!(benches);
