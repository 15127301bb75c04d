//! Field encryption and tokens through privshare's batch path against the raw primitives.
//!
//! Run: `cargo bench --bench fle -- --warm-up-time 1 --measurement-time 3`
//!
//! Every benchmark processes a column of `N` 32-byte values into one output buffer plus offsets.
//! Baselines do the same amount of output work with the bare primitive and a precomputed key:
//! - randomized: ring AES-256-GCM `seal_in_place_separate_tag` with a counter nonce (no CSPRNG);
//!   privshare additionally draws random nonces (in bulk), writes the header and builds the AAD;
//! - deterministic: `aes_siv::siv::Aes256Siv` (one instance, reused) with an AAD of the same length
//!   as privshare's;
//! - tokens: ring HMAC-SHA-256 `sign` per value; privshare also writes the text form.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use privshare::fle::{DeterministicCipher, Encoding, Packed, RandomizedCipher, Tokenizer};
use privshare::{Keyset, Suite};
use std::hint::black_box;

/// Values per batch. 100k rather than 1M keeps one iteration short on a shared 2-core machine;
/// per-value throughput is what is compared.
const N: usize = 100_000;
const VALUE_LEN: usize = 32;

fn column() -> (Vec<u8>, Vec<usize>) {
    let data: Vec<u8> = (0..N * VALUE_LEN).map(|i| (i * 31 + 7) as u8).collect();
    let offsets: Vec<usize> = (0..=N).map(|i| i * VALUE_LEN).collect();
    (data, offsets)
}

/// Raw output: one buffer plus offsets, like `Column`.
fn push_raw(out: &mut Vec<u8>, offsets: &mut Vec<usize>, f: impl FnOnce(&mut Vec<u8>)) {
    f(out);
    offsets.push(out.len());
}

fn randomized(c: &mut Criterion) {
    let (data, offsets) = column();
    let values = Packed::new(&data, &offsets).unwrap();
    let ks = Keyset::generate(Suite::Aes).unwrap();
    let cipher = RandomizedCipher::new(&ks, "bench-dataset", "bench-field").unwrap();
    let mut g = c.benchmark_group("randomized_aes256gcm_32B");
    g.sample_size(10).throughput(Throughput::Elements(N as u64));
    g.bench_function("privshare_binary", |b| {
        b.iter(|| black_box(cipher.encrypt_column(&values, None, Encoding::Binary).unwrap()))
    });
    g.bench_function("privshare_text", |b| {
        b.iter(|| black_box(cipher.encrypt_column(&values, None, Encoding::Text).unwrap()))
    });
    let key = ring::aead::LessSafeKey::new(ring::aead::UnboundKey::new(&ring::aead::AES_256_GCM, &[7; 32]).unwrap());
    // privshare's AAD for ("bench-dataset", "bench-field"), no record: 6 + 31 + 15 + 13 + 1 bytes.
    let aad = [0u8; 66];
    g.bench_function("ring_seal_counter_nonce", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(N * (VALUE_LEN + 16));
            let mut offs = Vec::with_capacity(N + 1);
            offs.push(0);
            for i in 0..N {
                push_raw(&mut out, &mut offs, |out| {
                    let mut nonce = [0u8; 12];
                    nonce[4..].copy_from_slice(&(i as u64).to_be_bytes());
                    let start = out.len();
                    out.extend_from_slice(&data[i * VALUE_LEN..(i + 1) * VALUE_LEN]);
                    let tag = key
                        .seal_in_place_separate_tag(
                            ring::aead::Nonce::assume_unique_for_key(nonce),
                            ring::aead::Aad::from(&aad),
                            &mut out[start..],
                        )
                        .unwrap();
                    out.extend_from_slice(tag.as_ref());
                });
            }
            black_box((out, offs))
        })
    });
    let encrypted = cipher.encrypt_column(&values, None, Encoding::Binary).unwrap();
    let ct = Packed::new(encrypted.data(), encrypted.offsets()).unwrap();
    g.bench_function("privshare_decrypt_binary", |b| {
        b.iter(|| black_box(cipher.decrypt_column(&ct, None, Encoding::Binary).unwrap()))
    });
    g.finish();
}

fn deterministic(c: &mut Criterion) {
    let (data, offsets) = column();
    let values = Packed::new(&data, &offsets).unwrap();
    let ks = Keyset::generate(Suite::Aes).unwrap();
    let cipher = DeterministicCipher::new(&ks, "bench-dataset", "bench-field").unwrap();
    let mut g = c.benchmark_group("deterministic_aes256siv_32B");
    g.sample_size(10).throughput(Throughput::Elements(N as u64));
    g.bench_function("privshare_binary", |b| {
        b.iter(|| black_box(cipher.encrypt_column(&values, Encoding::Binary).unwrap()))
    });
    use aes_siv::KeyInit;
    let mut siv = aes_siv::siv::Aes256Siv::new_from_slice(&[7; 64]).unwrap();
    // privshare's AAD for ("bench-dataset", "bench-field"): 6 + 31 + 15 + 13 + 1 bytes.
    let aad = [0u8; 66];
    g.bench_function("aes_siv_crate", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(N * (VALUE_LEN + 16));
            let mut offs = Vec::with_capacity(N + 1);
            offs.push(0);
            for i in 0..N {
                push_raw(&mut out, &mut offs, |out| {
                    let start = out.len();
                    out.extend_from_slice(&[0; 16]);
                    out.extend_from_slice(&data[i * VALUE_LEN..(i + 1) * VALUE_LEN]);
                    let tag = siv.encrypt_inout_detached([&aad[..]], (&mut out[start + 16..]).into()).unwrap();
                    out[start..start + 16].copy_from_slice(&tag);
                });
            }
            black_box((out, offs))
        })
    });
    g.finish();
}

fn tokens(c: &mut Criterion) {
    let (data, offsets) = column();
    let values = Packed::new(&data, &offsets).unwrap();
    let ks = Keyset::generate(Suite::Aes).unwrap();
    let t = Tokenizer::new(&ks, "bench-purpose").unwrap();
    let mut g = c.benchmark_group("token_hmac_sha256_32B");
    g.sample_size(10).throughput(Throughput::Elements(N as u64));
    g.bench_function("privshare_token_column_text", |b| b.iter(|| black_box(t.token_column(&values).unwrap())));
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &[7; 32]);
    g.bench_function("ring_hmac_sign", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(N * 32);
            let mut offs = Vec::with_capacity(N + 1);
            offs.push(0);
            for i in 0..N {
                push_raw(&mut out, &mut offs, |out| {
                    out.extend_from_slice(ring::hmac::sign(&key, &data[i * VALUE_LEN..(i + 1) * VALUE_LEN]).as_ref())
                });
            }
            black_box((out, offs))
        })
    });
    g.finish();
}

criterion_group!(benches, randomized, deterministic, tokens);
criterion_main!(benches);
