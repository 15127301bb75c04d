//! Field encryption and tokens through privshare's batch path against the raw primitives.
//!
//! Run: `cargo bench --bench fle -- --warm-up-time 1 --measurement-time 3`
//! Paired mode (alternates privshare and baseline runs and reports min-of-rounds ratios, which is
//! far less sensitive to a busy machine than comparing criterion groups measured minutes apart;
//! it counts on-CPU time of the benchmark thread, from `/proc/thread-self/schedstat`):
//! `PRIVSHARE_BENCH_PAIRED=15 cargo bench --bench fle`
//!
//! Every benchmark processes a column of `N` 32-byte values into one output buffer plus offsets.
//! Baselines do the same amount of output work with the bare primitive and a precomputed key:
//! - randomized: ring AES-256-GCM `seal_in_place_separate_tag` with a counter nonce (no CSPRNG);
//!   privshare additionally draws random nonces (in bulk) and writes the header. A second baseline
//!   draws random nonces the same way, to separate the cost of nonce generation. For information,
//!   the RustCrypto `aes-gcm` crate (keys wiped on drop, like privshare's own GCM) in the same loop;
//! - deterministic: `aes_siv::siv::Aes256Siv` (one instance, reused) with an AAD of the same length
//!   as privshare's;
//! - tokens: ring HMAC-SHA-256 `sign` per value into a buffer; privshare also writes the text form;
//! - cipher construction (HKDF-SHA-256 and the key schedule, once per column): `RandomizedCipher::new`
//!   for a field not seen before against ring's HKDF plus an AES-256-GCM key.

use criterion::{Criterion, Throughput};
use privshare::fle::{DeterministicCipher, Encoding, FieldCipher, RandomizedCipher, Tokenizer};
use privshare::{Column, OnInvalid, Packed};
use privshare::{Keyset, Suite};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Values per batch. 100k rather than 1M keeps one iteration short on a shared 2-core machine;
/// per-value throughput is what is compared.
const N: usize = 100_000;
const VALUE_LEN: usize = 32;
/// privshare's AAD for ("bench-dataset", "bench-field") without a record: 6 + 31 + 15 + 13 + 1.
const AAD_LEN: usize = 66;

struct Fixture {
    data: Vec<u8>,
    offsets: Vec<usize>,
    randomized: RandomizedCipher,
    /// The same under an SM-suite keyset: SM4-GCM.
    randomized_sm: RandomizedCipher,
    deterministic: DeterministicCipher,
    tokenizer: Tokenizer,
    gcm: ring::aead::LessSafeKey,
    rust_crypto_gcm: aes_gcm::AesGcm<aes::Aes256, aes_gcm::aead::consts::U12>,
    hmac: ring::hmac::Key,
    keyset: Keyset,
}

fn fixture() -> Fixture {
    let ks = Keyset::generate(Suite::Aes).unwrap();
    Fixture {
        data: (0..N * VALUE_LEN).map(|i| (i * 31 + 7) as u8).collect(),
        offsets: (0..=N).map(|i| i * VALUE_LEN).collect(),
        randomized: RandomizedCipher::new(&ks, "bench-dataset", "bench-field").unwrap(),
        randomized_sm: RandomizedCipher::new(&Keyset::generate(Suite::Sm).unwrap(), "bench-dataset", "bench-field")
            .unwrap(),
        deterministic: DeterministicCipher::new(&ks, "bench-dataset", "bench-field").unwrap(),
        tokenizer: Tokenizer::new(&ks, "bench-purpose").unwrap(),
        gcm: ring::aead::LessSafeKey::new(ring::aead::UnboundKey::new(&ring::aead::AES_256_GCM, &[7; 32]).unwrap()),
        rust_crypto_gcm: aes_gcm::KeyInit::new_from_slice(&[7; 32]).unwrap(),
        hmac: ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &[7; 32]),
        keyset: ks,
    }
}

impl Fixture {
    fn values(&self) -> Packed<'_> {
        Packed::new(&self.data, &self.offsets).unwrap()
    }

    fn value(&self, i: usize) -> &[u8] {
        &self.data[i * VALUE_LEN..(i + 1) * VALUE_LEN]
    }

    /// Runs `one` per value into one buffer plus offsets, like `Column`.
    fn raw_column(&self, per_value: usize, mut one: impl FnMut(usize, &mut Vec<u8>)) -> (Vec<u8>, Vec<usize>) {
        let mut out = Vec::with_capacity(N * per_value);
        let mut offs = Vec::with_capacity(N + 1);
        offs.push(0);
        for i in 0..N {
            one(i, &mut out);
            offs.push(out.len());
        }
        (out, offs)
    }

    fn ring_seal(&self, nonce_of: impl Fn(usize) -> [u8; 12]) -> (Vec<u8>, Vec<usize>) {
        let aad = [0u8; AAD_LEN];
        self.raw_column(VALUE_LEN + 16, |i, out| {
            let start = out.len();
            out.extend_from_slice(self.value(i));
            let nonce = ring::aead::Nonce::assume_unique_for_key(nonce_of(i));
            let tag = self.gcm.seal_in_place_separate_tag(nonce, ring::aead::Aad::from(&aad), &mut out[start..]);
            out.extend_from_slice(tag.unwrap().as_ref());
        })
    }

    fn baseline_gcm_counter(&self) -> (Vec<u8>, Vec<usize>) {
        self.ring_seal(|i| {
            let mut nonce = [0u8; 12];
            nonce[4..].copy_from_slice(&(i as u64).to_be_bytes());
            nonce
        })
    }

    fn rust_crypto_gcm_counter(&self) -> (Vec<u8>, Vec<usize>) {
        use aes_gcm::aead::AeadInOut;
        let aad = [0u8; AAD_LEN];
        self.raw_column(VALUE_LEN + 16, |i, out| {
            let start = out.len();
            out.extend_from_slice(self.value(i));
            let mut nonce = [0u8; 12];
            nonce[4..].copy_from_slice(&(i as u64).to_be_bytes());
            let tag = self.rust_crypto_gcm.encrypt_inout_detached(&nonce.into(), &aad, (&mut out[start..]).into());
            out.extend_from_slice(&tag.unwrap());
        })
    }

    fn baseline_gcm_random(&self) -> (Vec<u8>, Vec<usize>) {
        use ring::rand::SecureRandom;
        let rng = ring::rand::SystemRandom::new();
        let nonces = std::cell::RefCell::new(vec![0u8; 1024 * 12]);
        self.ring_seal(|i| {
            let mut buf = nonces.borrow_mut();
            if i % 1024 == 0 {
                rng.fill(&mut buf).unwrap();
            }
            buf[(i % 1024) * 12..(i % 1024) * 12 + 12].try_into().unwrap()
        })
    }

    fn baseline_siv(&self, siv: &mut aes_siv::siv::Aes256Siv) -> (Vec<u8>, Vec<usize>) {
        let aad = [0u8; AAD_LEN];
        self.raw_column(VALUE_LEN + 16, |i, out| {
            let start = out.len();
            out.extend_from_slice(&[0; 16]);
            out.extend_from_slice(self.value(i));
            let tag = siv.encrypt_inout_detached([&aad[..]], (&mut out[start + 16..]).into()).unwrap();
            out[start..start + 16].copy_from_slice(&tag);
        })
    }

    fn baseline_hmac(&self) -> (Vec<u8>, Vec<usize>) {
        self.raw_column(32, |i, out| out.extend_from_slice(ring::hmac::sign(&self.hmac, self.value(i)).as_ref()))
    }

    fn ours_randomized(&self, enc: Encoding) -> Column {
        self.randomized.encrypt_column(&self.values(), None, enc, OnInvalid::Error).unwrap()
    }

    fn ours_randomized_sm(&self) -> Column {
        self.randomized_sm.encrypt_column(&self.values(), None, Encoding::Binary, OnInvalid::Error).unwrap()
    }

    fn ours_deterministic(&self) -> Column {
        self.deterministic.encrypt_column(&self.values(), None, Encoding::Binary, OnInvalid::Error).unwrap()
    }

    fn ours_tokens(&self) -> Column {
        self.tokenizer.encrypt_column(&self.values(), None, Encoding::Text, OnInvalid::Error).unwrap()
    }

    /// A cipher for a field the keyset's derivation cache has not seen.
    fn ours_construction(&self, n: usize) -> RandomizedCipher {
        RandomizedCipher::new(&self.keyset, "bench-dataset", &format!("field-{n}")).unwrap()
    }
}

/// ring's HKDF-SHA-256 (empty salt, privshare's `info` length) and an AES-256-GCM key from it.
fn ring_construction(n: usize) -> ring::aead::LessSafeKey {
    let info = format!("privshare/v1/derive\x01\x00\x0arandomized\x01\x00\x0dbench-dataset\x00\x08field-{n}");
    let prk = ring::hkdf::Salt::new(ring::hkdf::HKDF_SHA256, &[]).extract(&[9; 32]);
    let info = [info.as_bytes()];
    let okm = prk.expand(&info, &ring::aead::AES_256_GCM).unwrap();
    ring::aead::LessSafeKey::new(ring::aead::UnboundKey::from(okm))
}

fn siv_instance() -> aes_siv::siv::Aes256Siv {
    use aes_siv::KeyInit;
    aes_siv::siv::Aes256Siv::new_from_slice(&[7; 64]).unwrap()
}

fn criterion_benches(c: &mut Criterion) {
    let f = fixture();
    let mut g = c.benchmark_group("randomized_aes256gcm_32B");
    g.sample_size(10).throughput(Throughput::Elements(N as u64));
    g.bench_function("privshare_binary", |b| b.iter(|| black_box(f.ours_randomized(Encoding::Binary))));
    g.bench_function("privshare_text", |b| b.iter(|| black_box(f.ours_randomized(Encoding::Text))));
    g.bench_function("ring_seal_counter_nonce", |b| b.iter(|| black_box(f.baseline_gcm_counter())));
    g.bench_function("ring_seal_bulk_random_nonce", |b| b.iter(|| black_box(f.baseline_gcm_random())));
    g.bench_function("aes_gcm_crate_counter_nonce", |b| b.iter(|| black_box(f.rust_crypto_gcm_counter())));
    let encrypted = f.ours_randomized(Encoding::Binary);
    let ct = Packed::new(encrypted.data(), encrypted.offsets()).unwrap();
    g.bench_function("privshare_decrypt_binary", |b| {
        b.iter(|| black_box(f.randomized.decrypt_column(&ct, None, Encoding::Binary, OnInvalid::Error).unwrap()))
    });
    g.finish();

    // The SM suite's randomized encryption against privshare's AES-256-GCM (issue 14: >= 0.5x).
    let mut g = c.benchmark_group("randomized_sm4gcm_32B");
    g.sample_size(10).throughput(Throughput::Elements(N as u64));
    g.bench_function("privshare_sm4gcm_binary", |b| b.iter(|| black_box(f.ours_randomized_sm())));
    g.bench_function("privshare_aes256gcm_binary", |b| b.iter(|| black_box(f.ours_randomized(Encoding::Binary))));
    g.finish();

    let mut g = c.benchmark_group("deterministic_aes256siv_32B");
    g.sample_size(10).throughput(Throughput::Elements(N as u64));
    g.bench_function("privshare_binary", |b| b.iter(|| black_box(f.ours_deterministic())));
    let mut siv = siv_instance();
    g.bench_function("aes_siv_crate", |b| b.iter(|| black_box(f.baseline_siv(&mut siv))));
    g.finish();

    let mut g = c.benchmark_group("token_hmac_sha256_32B");
    g.sample_size(10).throughput(Throughput::Elements(N as u64));
    g.bench_function("privshare_token_column_text", |b| b.iter(|| black_box(f.ours_tokens())));
    g.bench_function("ring_hmac_sign", |b| b.iter(|| black_box(f.baseline_hmac())));
    g.finish();

    let mut g = c.benchmark_group("single_value_aes256gcm_32B");
    let one = f.value(0).to_vec();
    g.bench_function("privshare_encrypt", |b| b.iter(|| black_box(f.randomized.encrypt(None, &one).unwrap())));
    g.bench_function("ring_seal_into_new_vec", |b| {
        b.iter(|| {
            let mut out = one.clone();
            let nonce = ring::aead::Nonce::assume_unique_for_key([3; 12]);
            let tag = f.gcm.seal_in_place_separate_tag(nonce, ring::aead::Aad::from(&[0u8; AAD_LEN]), &mut out);
            out.extend_from_slice(tag.unwrap().as_ref());
            black_box(out)
        })
    });
    g.finish();

    let mut g = c.benchmark_group("cipher_construction_aes");
    let mut n = 0usize;
    g.bench_function("privshare_randomized_new", |b| {
        b.iter(|| {
            n += 1;
            black_box(f.ours_construction(n))
        })
    });
    g.bench_function("ring_hkdf_and_gcm_key", |b| {
        b.iter(|| {
            n += 1;
            black_box(ring_construction(n))
        })
    });
    g.finish();
}

/// Time this thread has spent on a CPU (Linux `/proc/thread-self/schedstat`, nanoseconds), so that
/// time spent waiting for a core held by other processes does not count; wall time elsewhere.
fn on_cpu() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(Duration::from_nanos(s.split_whitespace().next()?.parse().ok()?))
}

/// Runs `f` and returns how long it took (on-CPU time where available).
fn timed<T>(f: &mut impl FnMut() -> T) -> Duration {
    let (cpu, wall) = (on_cpu(), Instant::now());
    black_box(f());
    match (cpu, on_cpu()) {
        (Some(a), Some(b)) => b.saturating_sub(a),
        _ => wall.elapsed(),
    }
}

/// Batches per timed round in the paired mode: this kernel counts on-CPU time in 4 ms ticks, so one
/// batch of `N` values (a few ms) would read to about ±40 ns/value; ten read to about ±4.
const PAIRED_BATCHES: usize = 10;

/// Min-of-`rounds` time of `ours` and `base`, measured alternately.
fn paired<A, B>(name: &str, rounds: usize, mut ours: impl FnMut() -> A, mut base: impl FnMut() -> B) {
    let (mut best_ours, mut best_base) = (Duration::MAX, Duration::MAX);
    let mut ours = || {
        for _ in 0..PAIRED_BATCHES {
            black_box(ours());
        }
    };
    let mut base = || {
        for _ in 0..PAIRED_BATCHES {
            black_box(base());
        }
    };
    for _ in 0..rounds {
        best_ours = best_ours.min(timed(&mut ours));
        best_base = best_base.min(timed(&mut base));
    }
    let per = |d: Duration| d.as_nanos() as f64 / (N * PAIRED_BATCHES) as f64;
    println!(
        "{name:<44} privshare {:7.1} ns/value  baseline {:7.1} ns/value  throughput ratio {:.2}",
        per(best_ours),
        per(best_base),
        best_base.as_secs_f64() / best_ours.as_secs_f64()
    );
}

fn paired_benches(rounds: usize) {
    let f = fixture();
    println!("paired, {N} values of {VALUE_LEN} bytes, min of {rounds} alternating rounds");
    paired(
        "randomized binary vs ring seal (counter nonce)",
        rounds,
        || f.ours_randomized(Encoding::Binary),
        || f.baseline_gcm_counter(),
    );
    paired(
        "randomized binary vs ring seal (bulk random nonce)",
        rounds,
        || f.ours_randomized(Encoding::Binary),
        || f.baseline_gcm_random(),
    );
    paired(
        "aes-gcm crate vs ring seal (counter nonce)",
        rounds,
        || f.rust_crypto_gcm_counter(),
        || f.baseline_gcm_counter(),
    );
    paired(
        "randomized text vs ring seal (counter nonce)",
        rounds,
        || f.ours_randomized(Encoding::Text),
        || f.baseline_gcm_counter(),
    );
    let mut siv = siv_instance();
    paired("deterministic binary vs aes_siv crate", rounds, || f.ours_deterministic(), || f.baseline_siv(&mut siv));
    paired("token text column vs ring hmac sign", rounds, || f.ours_tokens(), || f.baseline_hmac());
    paired(
        "randomized SM4-GCM vs privshare AES-256-GCM",
        rounds,
        || f.ours_randomized_sm(),
        || f.ours_randomized(Encoding::Binary),
    );
}

fn main() {
    if let Some(rounds) = std::env::var("PRIVSHARE_BENCH_PAIRED").ok().and_then(|v| v.parse().ok()) {
        paired_benches(rounds);
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    criterion_benches(&mut c);
    c.final_summary();
}
