//! The Rust side of the C ABI benchmark: batch randomized encryption of N 32-byte values with the
//! core directly (same packing, same timing: encrypt_column plus drop). See run-bench.sh.
use privshare_core::fle::{Encoding, RandomizedCipher};
use privshare_core::Packed;
use privshare_core::{Keyset, Suite};
use std::time::Instant;

/// This thread's on-CPU time in ms (Linux: first field of /proc/thread-self/schedstat, in ns), the
/// same clock as C's CLOCK_THREAD_CPUTIME_ID; NaN elsewhere.
fn cpu_ms() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|f| f.parse::<f64>().ok()))
        .map_or(f64::NAN, |ns| ns / 1e6)
}

fn main() -> Result<(), privshare_core::Error> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let data: Vec<u8> = (0..n * 32).map(|i| b'a' + (i % 26) as u8).collect();
    let offsets: Vec<usize> = (0..=n).map(|i| i * 32).collect();
    let ks = Keyset::generate(Suite::Aes)?;
    for (encoding, name) in [(Encoding::Binary, "binary"), (Encoding::Text, "text")] {
        let cipher = RandomizedCipher::new(&ks, "bench", "value")?;
        let (mut best, mut best_cpu) = (f64::MAX, f64::MAX);
        for _ in 0..rounds {
            let (t0, c0) = (Instant::now(), cpu_ms());
            let packed = Packed::new(&data, &offsets)?;
            let col = cipher.encrypt_column(&packed, None, encoding)?;
            drop(col);
            best_cpu = best_cpu.min(cpu_ms() - c0);
            best = best.min(t0.elapsed().as_secs_f64() * 1e3);
        }
        println!(
            "rust   {name:<6} {n} values x 32 B, best of {rounds}: wall {best:.1} ms, on-CPU {best_cpu:.1} ms ({:.0} ns/value)",
            best_cpu * 1e6 / n as f64
        );
    }
    Ok(())
}
