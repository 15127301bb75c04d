//! Times in Rust what `bench_single.py` and `bench_batch.py` time through Python, so that the
//! Python overhead can be read off: randomized AES-256-GCM encryption of 32-byte values, one value
//! per call and a whole column per call. Prints one `name ns_per_value` line per figure.
//!
//! `cargo run --release --manifest-path bindings/python/bench/rust_baseline/Cargo.toml [N]`

use privshare::fle::{Encoding, RandomizedCipher};
use privshare::{Keyset, Suite};
use std::hint::black_box;

/// Seconds of CPU time used by this process (user + system), like Python's `time.process_time()`.
fn cpu_seconds() -> f64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// The fastest of `runs` runs of `f`, in CPU seconds (the machine may be shared).
fn best_of<F: FnMut()>(runs: usize, mut f: F) -> f64 {
    (0..runs)
        .map(|_| {
            let t = cpu_seconds();
            f();
            cpu_seconds() - t
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() -> privshare::Result<()> {
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    // "single" as the second argument: only the per-call figures (bench_single.py alternates runs).
    let single_only = std::env::args().nth(2).as_deref() == Some("single");
    let ks = Keyset::generate(Suite::Aes)?;
    let c = RandomizedCipher::new(&ks, "bench", "value")?;
    let values: Vec<String> = (0..n).map(|i| format!("{i:032}")).collect();

    let single_n = 200_000.min(n);
    let secs = best_of(5, || {
        for v in &values[..single_n] {
            black_box(c.encrypt(None, black_box(v.as_bytes())).expect("encrypt"));
        }
    });
    println!("single_binary_ns {:.1}", secs * 1e9 / single_n as f64);
    let secs = best_of(5, || {
        for v in &values[..single_n] {
            black_box(c.encrypt_text(None, black_box(v.as_bytes())).expect("encrypt"));
        }
    });
    println!("single_text_ns {:.1}", secs * 1e9 / single_n as f64);

    if single_only {
        return Ok(());
    }
    for (name, enc) in [("column_binary_ns", Encoding::Binary), ("column_text_ns", Encoding::Text)] {
        let secs = best_of(3, || {
            black_box(c.encrypt_column(&values, None, enc).expect("column"));
        });
        println!("{name} {:.1}", secs * 1e9 / n as f64);
    }
    Ok(())
}
