//! The Rust side of the C ABI benchmark: batch randomized encryption of N 32-byte values with the
//! core directly (same packing, same timing: encrypt_column plus drop). See run-bench.sh.
use privshare_core::fle::{Encoding, Packed, RandomizedCipher};
use privshare_core::{Keyset, Suite};
use std::time::Instant;

fn main() -> Result<(), privshare_core::Error> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let data: Vec<u8> = (0..n * 32).map(|i| b'a' + (i % 26) as u8).collect();
    let offsets: Vec<usize> = (0..=n).map(|i| i * 32).collect();
    let ks = Keyset::generate(Suite::Aes)?;
    for (encoding, name) in [(Encoding::Binary, "binary"), (Encoding::Text, "text")] {
        let cipher = RandomizedCipher::new(&ks, "bench", "value")?;
        let mut best = f64::MAX;
        for _ in 0..rounds {
            let t0 = Instant::now();
            let packed = Packed::new(&data, &offsets)?;
            let col = cipher.encrypt_column(&packed, None, encoding)?;
            drop(col);
            best = best.min(t0.elapsed().as_secs_f64() * 1e3);
        }
        println!(
            "rust   {name:<6} {n} values x 32 B: best of {rounds} {best:.1} ms ({:.0} ns/value)",
            best * 1e6 / n as f64
        );
    }
    Ok(())
}
