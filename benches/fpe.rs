//! Format-preserving encryption throughput: structure-aware resident IDs (target <= 3 µs per value)
//! and plain FF1 on 16-digit strings (target <= 2 µs), AES suite; SM4 for information.
//!
//! Run: `cargo bench --bench fpe` (add `-- --quick` style criterion options as needed).

use criterion::{criterion_group, criterion_main, Criterion};
use privshare::fle::{Alphabet, BankCardCipher, DateRange, Ff1Cipher, MobileCipher, ResidentIdCipher};
use privshare::{Keyset, Suite};
use std::hint::black_box;
use std::time::Duration;

fn fpe(c: &mut Criterion) {
    for suite in Suite::ALL {
        let ks = Keyset::generate(suite).unwrap();
        let ff1 = Ff1Cipher::new(&ks, "bench", "card", Alphabet::digits()).unwrap();
        let id = ResidentIdCipher::new(&ks, "bench", "id", DateRange::default()).unwrap();
        let mobile = MobileCipher::new(&ks, "bench", "mobile").unwrap();
        let card = BankCardCipher::new(&ks, "bench", "card").unwrap();
        let mut g = c.benchmark_group(format!("fpe/{suite}"));
        g.bench_function("ff1_16_digits_encrypt", |b| b.iter(|| ff1.encrypt(black_box("4111111111111111")).unwrap()));
        let ct = ff1.encrypt("4111111111111111").unwrap();
        g.bench_function("ff1_16_digits_decrypt", |b| b.iter(|| ff1.decrypt(black_box(&ct)).unwrap()));
        g.bench_function("resident_id_encrypt", |b| b.iter(|| id.encrypt(black_box("11010519491231002X")).unwrap()));
        let ct = id.encrypt("11010519491231002X").unwrap();
        g.bench_function("resident_id_decrypt", |b| b.iter(|| id.decrypt(black_box(&ct)).unwrap()));
        g.bench_function("mobile_encrypt", |b| b.iter(|| mobile.encrypt(black_box("13800138000")).unwrap()));
        g.bench_function("bank_card_19_encrypt", |b| {
            b.iter(|| card.encrypt(black_box("6222020200112233446")).unwrap())
        });
        // A column of 1000 resident IDs: per-value cost without per-call allocation of a String.
        let ids: Vec<String> = (0..1000u32)
            .map(|i| {
                let first17 = format!("110105{:04}0615{:03}", 1950 + i % 60, i % 1000);
                let check = privshare::ids::resident_id::check_char(first17.as_bytes().try_into().unwrap());
                format!("{first17}{}", check as char)
            })
            .collect();
        let cards: Vec<String> = (0..1000u64).map(|i| format!("{:016}", 4_111_111_111_111_111 + i * 7_919)).collect();
        g.bench_function("ff1_16_digits_column_1000", |b| b.iter(|| ff1.encrypt_column(black_box(&cards)).unwrap()));
        g.bench_function("resident_id_column_1000", |b| b.iter(|| id.encrypt_column(black_box(&ids)).unwrap()));
        g.finish();
    }
}

/// The parts of one FF1 call: a block encryption per round and the halves arithmetic.
fn parts(c: &mut Criterion) {
    use cipher::{Array, BlockCipherEncrypt, KeyInit};
    use privshare::fle::ff1::Ff1;
    let aes = aes::Aes256::new_from_slice(&[7u8; 32]).unwrap();
    let sm4 = sm4::Sm4::new_from_slice(&[7u8; 16]).unwrap();
    let mut g = c.benchmark_group("fpe/parts");
    g.bench_function("aes256_block", |b| {
        let mut blk = Array::from([1u8; 16]);
        b.iter(|| aes.encrypt_block(black_box(&mut blk)))
    });
    g.bench_function("sm4_block", |b| {
        let mut blk = Array::from([1u8; 16]);
        b.iter(|| sm4.encrypt_block(black_box(&mut blk)))
    });
    let ff1 = Ff1::new(aes.clone(), 10).unwrap();
    let p = ff1.prepare(&[], 16).unwrap();
    g.bench_function("ff1_aes_halves_radix10_n16", |b| {
        b.iter(|| ff1.encrypt_halves(&p, black_box(41111111), black_box(11111111)).unwrap())
    });
    g.bench_function("u128_mod", |b| {
        b.iter(|| black_box(0x1234_5678_9abc_def0_1122_3344_5566_7788u128) % black_box(100_000_000u128))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_millis(300)).measurement_time(Duration::from_secs(1)).sample_size(20);
    targets = fpe, parts
}
criterion_main!(benches);
