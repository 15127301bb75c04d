use cipher::{Array, BlockCipherEncrypt, KeyInit};
use sm4_ct::{Path, Sm4};
use std::hint::black_box;
fn time(name: &str, n: usize, mut f: impl FnMut()) {
    let mut best = u64::MAX;
    for _ in 0..300 {
        let t = std::time::Instant::now();
        for _ in 0..n {
            f()
        }
        best = best.min(t.elapsed().as_nanos() as u64);
    }
    println!("{name:30} {:8.1} ns", best as f64 / n as f64);
}
fn main() {
    let key = [7u8; 16];
    let r = sm4::Sm4::new(&key.into());
    let mut b1 = vec![Array::from([1u8; 16]); 1];
    let mut b8 = vec![Array::from([1u8; 16]); 8];
    let mut b16 = vec![Array::from([1u8; 16]); 16];
    time("sm4 crate 1", 200, || r.encrypt_blocks(black_box(&mut b1)));
    time("sm4 crate 8", 50, || r.encrypt_blocks(black_box(&mut b8)));
    for p in Path::ALL.into_iter().filter(|p| p.is_available()) {
        let s = Sm4::with_path(&key, p).unwrap();
        let mut b = Array::from([1u8; 16]);
        time(&format!("{} chain", p.name()), 200, || s.encrypt_block(&mut b));
        time(&format!("{} 1", p.name()), 200, || s.encrypt_blocks(black_box(&mut b1)));
        time(&format!("{} 8", p.name()), 100, || s.encrypt_blocks(black_box(&mut b8)));
        time(&format!("{} 16", p.name()), 100, || s.encrypt_blocks(black_box(&mut b16)));
    }
}
