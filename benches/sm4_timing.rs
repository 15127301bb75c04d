//! A statistical timing test in the style of dudect (Reparaz, Balasch, Verbauwhede 2017) for the
//! SM4 block function and key expansion: the `sm4` crate (table look-ups) against each path of
//! `sm4-ct`. Not a criterion benchmark and not run in CI: it prints Welch's t statistic between
//! the timings of a fixed input and of random inputs. |t| above 4.5 is the usual threshold for
//! "the timing depends on the data"; below it, this many measurements found no dependence.
//!
//! Run: `cargo bench --bench sm4_timing` (`SM4_TIMING_SAMPLES=2000000` for more samples; the
//! default is 400,000 per function and class mix).
//!
//! Each sample times 8 calls on the same input (the clock's resolution is tens of nanoseconds)
//! with the class (fixed or random) drawn at random per sample, so that drifts of the machine's
//! speed hit both classes alike. Samples above a percentile of all timings are cropped (as
//! dudect does, to drop interrupts and preemption) and t is reported for each crop.

use cipher::{Array, BlockCipherEncrypt, KeyInit};
use std::hint::black_box;
use std::time::Instant;

/// SplitMix64: class choices and random inputs (not the thing measured).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn block(&mut self) -> [u8; 16] {
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&self.next().to_le_bytes());
        b[8..].copy_from_slice(&self.next().to_le_bytes());
        b
    }
}

/// Welch's t between the two classes' samples at or below `limit` nanoseconds.
fn welch_t(samples: &[(bool, u32)], limit: u32) -> f64 {
    let mut n = [0f64; 2];
    let mut mean = [0f64; 2];
    let mut m2 = [0f64; 2];
    for &(class, t) in samples.iter().filter(|s| s.1 <= limit) {
        let c = class as usize;
        n[c] += 1.0;
        let d = t as f64 - mean[c];
        mean[c] += d / n[c];
        m2[c] += d * (t as f64 - mean[c]);
    }
    let var = |c: usize| m2[c] / (n[c] - 1.0);
    (mean[0] - mean[1]) / (var(0) / n[0] + var(1) / n[1]).sqrt()
}

/// Measures `f` on `samples` inputs, fixed (class 0) or random (class 1), and prints t.
fn measure(name: &str, samples: usize, fixed: [u8; 16], mut f: impl FnMut(&[u8; 16])) {
    let mut rng = Rng(0x0dd_0c7);
    let mut timings = Vec::with_capacity(samples);
    // Inputs of both classes are prepared in memory alike before timing (as dudect does), so that
    // nothing but the input's value differs between the classes when the clock runs.
    const BATCH: usize = 10_000;
    let mut inputs = vec![(false, [0u8; 16]); BATCH];
    while timings.len() < samples {
        for slot in inputs.iter_mut() {
            let random = rng.next() & 1 == 1;
            *slot = (random, if random { rng.block() } else { fixed });
        }
        for (random, input) in &inputs {
            let start = Instant::now();
            for _ in 0..8 {
                f(black_box(input));
            }
            let t = start.elapsed().as_nanos().min(u32::MAX as u128) as u32;
            timings.push((*random, t));
        }
    }
    let mut sorted: Vec<u32> = timings.iter().map(|s| s.1).collect();
    sorted.sort_unstable();
    let pct = |p: f64| sorted[((sorted.len() - 1) as f64 * p) as usize];
    let crops = [(1.0, "all"), (0.99, "≤p99"), (0.9, "≤p90"), (0.5, "≤p50")];
    let ts: Vec<String> =
        crops.iter().map(|&(p, label)| format!("{label} {:+7.2}", welch_t(&timings, pct(p)))).collect();
    println!("{name:<34} median {:6.1} ns/call   t: {}", pct(0.5) as f64 / 8.0, ts.join("  "));
}

fn main() {
    let samples = std::env::var("SM4_TIMING_SAMPLES").ok().and_then(|v| v.parse().ok()).unwrap_or(400_000);
    let key = [0x2b; 16];
    let fixed = [0u8; 16];
    println!("{samples} samples of 8 calls each; fixed input = zero block; |t| > 4.5 suggests a data dependence");
    let old = sm4::Sm4::new(&key.into());
    measure("encrypt_block, sm4 crate", samples, fixed, |b| {
        let mut block = Array::from(*b);
        old.encrypt_block(&mut block);
        black_box(block);
    });
    for path in sm4_ct::Path::ALL.into_iter().filter(|p| p.is_available()) {
        let new = sm4_ct::Sm4::with_path(&key, path).unwrap();
        measure(&format!("encrypt_block, sm4-ct {}", path.name()), samples, fixed, |b| {
            let mut block = Array::from(*b);
            new.encrypt_block(&mut block);
            black_box(block);
        });
    }
    let key_samples = samples / 4;
    measure("key expansion, sm4 crate", key_samples, fixed, |k| {
        black_box(sm4::Sm4::new(&(*k).into()));
    });
    measure("key expansion, sm4-ct", key_samples, fixed, |k| {
        black_box(sm4_ct::Sm4::with_path(k, sm4_ct::Path::Bitsliced).unwrap());
    });
}
