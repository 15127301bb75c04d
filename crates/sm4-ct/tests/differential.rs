//! Every path against the `sm4` crate, over pseudo-random keys and blocks, through every entry
//! point of the `cipher` traits (one block, parallel batches, tails).

use cipher::{BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
use sm4_ct::{Path, Sm4};

/// SplitMix64: a fixed-seed generator, so that a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn bytes16(&mut self) -> [u8; 16] {
        let (a, b) = (self.next(), self.next());
        let mut out = [0u8; 16];
        out[..8].copy_from_slice(&a.to_le_bytes());
        out[8..].copy_from_slice(&b.to_le_bytes());
        out
    }
}

fn available() -> Vec<Path> {
    // Under miri only the portable path: the others are CPU intrinsics.
    let paths: Vec<Path> =
        Path::ALL.into_iter().filter(|p| p.is_available() && (!cfg!(miri) || *p == Path::Bitsliced)).collect();
    eprintln!("paths available here: {paths:?}");
    paths
}

/// Iterations: fewer under miri, which interprets every instruction.
const KEYS: usize = if cfg!(miri) { 2 } else { 200 };

#[test]
fn every_path_matches_the_sm4_crate() {
    let mut rng = Rng(0x5eed_0001);
    for path in available() {
        for _ in 0..KEYS {
            let key = rng.bytes16();
            let ours = Sm4::with_path(&key, path).unwrap();
            assert_eq!(ours.path(), path);
            let reference = sm4::Sm4::new(&key.into());
            // One block at a time.
            let block = rng.bytes16();
            let (mut a, mut b) = (block.into(), block.into());
            ours.encrypt_block(&mut a);
            reference.encrypt_block(&mut b);
            assert_eq!(a, b, "{path:?} one block");
            ours.decrypt_block(&mut a);
            assert_eq!(a, block, "{path:?} one block back");
            // Batches of every length up to past two parallel batches: exercises full batches and
            // every tail length.
            for n in [2usize, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33] {
                let blocks: Vec<cipher::Block<Sm4>> = (0..n).map(|_| rng.bytes16().into()).collect();
                let (mut a, mut b) = (blocks.clone(), blocks.clone());
                ours.encrypt_blocks(&mut a);
                reference.encrypt_blocks(&mut b);
                assert_eq!(a, b, "{path:?} {n} blocks");
                ours.decrypt_blocks(&mut a);
                assert_eq!(a, blocks, "{path:?} {n} blocks back");
                if cfg!(miri) {
                    break;
                }
            }
        }
    }
}
