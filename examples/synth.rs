//! Writes synthetic citizen records as CSV.
//!
//! ```text
//! cargo run --release --example synth -- --rows 1000000 --seed 42 --out citizens.csv
//! ```
//! Without `--out` the CSV goes to standard output. The same seed always gives the same file.

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: synth --rows N [--seed S] [--out FILE] [--threads T]
  --rows N     number of records to write (0 to 1000000000)
  --seed S     64-bit seed, decimal (default 1); the same seed always gives the same records
  --out FILE   write to FILE instead of standard output (a summary then goes to standard error)
  --threads T  generating threads (default: the number of CPUs); the output is the same for any T";

struct Args {
    rows: u64,
    seed: u64,
    out: Option<String>,
    threads: usize,
}

fn parse(args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut rows = None;
    let mut seed = 1;
    let mut out = None;
    let mut threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut args = args.peekable();
    while let Some(flag) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match flag.as_str() {
            "--rows" => {
                let v = value("--rows")?;
                let n: u64 = v.parse().map_err(|_| format!("--rows: not a whole number: {v:?}"))?;
                if n > 1_000_000_000 {
                    return Err("--rows: at most 1000000000".into());
                }
                rows = Some(n);
            }
            "--seed" => {
                let v = value("--seed")?;
                seed = v.parse().map_err(|_| format!("--seed: not a 64-bit unsigned number: {v:?}"))?;
            }
            "--out" => out = Some(value("--out")?),
            "--threads" => {
                let v = value("--threads")?;
                threads =
                    v.parse().ok().filter(|t| (1..=64).contains(t)).ok_or(format!("--threads: 1 to 64, not {v:?}"))?;
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let rows = rows.ok_or("--rows is required")?;
    Ok(Args { rows, seed, out, threads })
}

fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(msg) if msg.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(msg) => {
            eprintln!("synth: {msg}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let result = match &args.out {
        Some(path) => std::fs::File::create(path)
            .and_then(|f| privshare::synth::write_csv_parallel(args.seed, args.rows, args.threads, f).map(drop)),
        None => {
            privshare::synth::write_csv_parallel(args.seed, args.rows, args.threads, std::io::stdout().lock()).map(drop)
        }
    };
    match result {
        Ok(()) => {
            if let Some(path) = &args.out {
                let secs = started.elapsed().as_secs_f64();
                let _ = writeln!(
                    std::io::stderr(),
                    "synth: wrote {} rows (seed {}) to {path} in {secs:.2} s ({:.0} rows/s)",
                    args.rows,
                    args.seed,
                    args.rows as f64 / secs.max(1e-9)
                );
            }
            ExitCode::SUCCESS
        }
        // A closed pipe (e.g. `| head`) is a normal way for a reader to stop.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("synth: cannot write: {e}");
            ExitCode::FAILURE
        }
    }
}
