//! GB/T 32907-2016 Appendix A on every path available here.

use cipher::{BlockCipherDecrypt, BlockCipherEncrypt};
use sm4_ct::{Path, Sm4};

const KEY: [u8; 16] = [0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10];

fn paths() -> impl Iterator<Item = Path> {
    // Under miri only the portable path: the others are CPU intrinsics.
    Path::ALL.into_iter().filter(|p| p.is_available() && (!cfg!(miri) || *p == Path::Bitsliced))
}

#[test]
fn example_1_one_encryption() {
    let expected = [0x68, 0x1e, 0xdf, 0x34, 0xd2, 0x06, 0x96, 0x5e, 0x86, 0xb3, 0xe9, 0x4f, 0x53, 0x6e, 0x42, 0x46];
    for path in paths() {
        let sm4 = Sm4::with_path(&KEY, path).unwrap();
        let mut block = KEY.into();
        sm4.encrypt_block(&mut block);
        assert_eq!(block, expected, "{path:?}");
        sm4.decrypt_block(&mut block);
        assert_eq!(block, KEY, "{path:?}");
    }
}

/// Example 2: the plaintext encrypted 1,000,000 times in a row under the same key, then decrypted
/// as many times. About 0.2 s per x86-64 path and 6 s for the bitsliced one (the crate is built
/// with opt-level 3 even in test builds); not under miri.
#[test]
#[cfg_attr(miri, ignore = "a million block encryptions take hours under miri")]
fn example_2_a_million_encryptions() {
    let expected = [0x59, 0x52, 0x98, 0xc7, 0xc6, 0xfd, 0x27, 0x1f, 0x04, 0x02, 0xf8, 0x04, 0xc3, 0x3d, 0x3f, 0x66];
    for path in paths() {
        let sm4 = Sm4::with_path(&KEY, path).unwrap();
        let mut block = KEY.into();
        for _ in 0..1_000_000 {
            sm4.encrypt_block(&mut block);
        }
        assert_eq!(block, expected, "{path:?}");
        for _ in 0..1_000_000 {
            sm4.decrypt_block(&mut block);
        }
        assert_eq!(block, KEY, "{path:?}");
    }
}
