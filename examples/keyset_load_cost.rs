//! What one load attempt of a passphrase-protected keyset costs at given Argon2id costs: the figures
//! behind the default caps in docs/formats/keyset.md (recorded in docs/performance.md).
//!
//! ```sh
//! cargo build --release --example keyset_load_cost
//! /usr/bin/time -v target/release/examples/keyset_load_cost 65536 3 4     # memory KiB, passes, lanes
//! ```
//!
//! Writes a keyset with those costs, then times loading it with a wrong passphrase (what an attacker
//! who planted the file makes every load attempt pay) and with the right one.

use privshare::keys::store::{Argon2Params, LoadOptions};
use privshare::{Keyset, Suite};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<u32> = std::env::args().skip(1).map(|a| a.parse()).collect::<Result<_, _>>()?;
    let [m, t, p] = args[..] else {
        return Err("usage: keyset_load_cost MEMORY_KIB PASSES LANES".into());
    };
    let params = Argon2Params::new(m, t, p)?;
    let json = Keyset::generate(Suite::Aes)?.to_json_with_passphrase_params(b"correct horse", &params)?;
    let opts = LoadOptions::new().argon2_caps(params);
    let start = Instant::now();
    let wrong = Keyset::from_json_with_passphrase_options(&json, b"battery staple", &opts);
    let wrong_time = start.elapsed();
    let start = Instant::now();
    Keyset::from_json_with_passphrase_options(&json, b"correct horse", &opts)?;
    println!(
        "m={m} KiB t={t} p={p}: wrong passphrase {:.3} s ({}), right passphrase {:.3} s",
        wrong_time.as_secs_f64(),
        wrong.err().map(|e| e.kind().name()).unwrap_or("loaded?!"),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
