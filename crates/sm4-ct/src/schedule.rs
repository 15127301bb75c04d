//! The SM4 key schedule (GB/T 32907 §7.3), with the S-box evaluated as Boolean logic so that key
//! expansion is constant-time too.
#![forbid(unsafe_code)]

use crate::soft;

/// The system parameter FK.
const FK: [u32; 4] = [0xa3b1_bac6, 0x56aa_3350, 0x677d_9197, 0xb270_22dc];

/// The fixed parameter CK_i: byte `j` is `(4i + j)·7 mod 256`.
const fn ck(i: usize) -> u32 {
    let b = (28 * i) as u32;
    u32::from_be_bytes([b as u8, (b + 7) as u8, (b + 14) as u8, (b + 21) as u8])
}

/// The 32 round keys `rk_0..rk_31` of `key`.
pub(crate) fn expand(key: &[u8; 16]) -> [u32; 32] {
    let mut k: [u32; 4] = core::array::from_fn(|j| {
        u32::from_be_bytes([key[4 * j], key[4 * j + 1], key[4 * j + 2], key[4 * j + 3]]) ^ FK[j]
    });
    core::array::from_fn(|i| {
        let x = k[(i + 1) % 4] ^ k[(i + 2) % 4] ^ k[(i + 3) % 4] ^ ck(i);
        let t = soft::tau(x);
        k[i % 4] ^= t ^ t.rotate_left(13) ^ t.rotate_left(23);
        k[i % 4]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_keys_of_the_standard_example() {
        // GB/T 32907-2016 Appendix A, example 1: rk_0, rk_1 and rk_31.
        let key = [0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10];
        let rk = expand(&key);
        assert_eq!((rk[0], rk[1], rk[31]), (0xf121_86f9, 0x4166_2b61, 0x9124_a012));
        assert_eq!((ck(0), ck(31)), (0x0007_0e15, 0x646b_7279));
    }
}
