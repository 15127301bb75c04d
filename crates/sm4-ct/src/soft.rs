//! The portable path: SM4 bitsliced over eight blocks, in safe Rust.
//!
//! A state word of eight blocks is held as eight `u32` *planes*: bit `8q + k` of plane `b` is bit
//! `b` of byte `q` (0 = least significant) of block `k`'s word. The S-box is then a fixed
//! sequence of AND/XOR/NOT on whole planes (32 S-boxes at a time), and the word rotations of `L`
//! are plane rotations, so no memory index and no branch depends on a key or on data. A single
//! block costs as much as eight.
#![forbid(unsafe_code)]

use crate::sbox::tower;

/// One state word of eight blocks, bitsliced.
pub(crate) type Planes = [u32; 8];

/// Blocks per call.
pub(crate) const LANES: usize = 8;

/// `M·x ⊕ c` on every byte, for a matrix `M` with rows packed as in `Mat8::packed`. The branches
/// test bits of the compile-time matrix, never of `x`, and compile away.
#[inline(always)]
fn affine<const M: u64, const C: u8>(x: &Planes) -> Planes {
    let mut out = [0u32; 8];
    for (i, o) in out.iter_mut().enumerate() {
        let row = (M >> (8 * i)) as u8;
        let mut acc = 0u32.wrapping_sub(((C >> i) & 1) as u32);
        for (j, &plane) in x.iter().enumerate() {
            if (row >> j) & 1 == 1 {
                acc ^= plane;
            }
        }
        *o = acc;
    }
    out
}

type Nibble = [u32; 4];

/// Product in GF(2^4) modulo `z^4 + z + 1`.
#[inline(always)]
fn mul16(a: Nibble, b: Nibble) -> Nibble {
    let c0 = a[0] & b[0];
    let c1 = (a[0] & b[1]) ^ (a[1] & b[0]);
    let c2 = (a[0] & b[2]) ^ (a[1] & b[1]) ^ (a[2] & b[0]);
    let c3 = (a[0] & b[3]) ^ (a[1] & b[2]) ^ (a[2] & b[1]) ^ (a[3] & b[0]);
    let c4 = (a[1] & b[3]) ^ (a[2] & b[2]) ^ (a[3] & b[1]);
    let c5 = (a[2] & b[3]) ^ (a[3] & b[2]);
    let c6 = a[3] & b[3];
    // z^4 = z + 1, z^5 = z^2 + z, z^6 = z^3 + z^2.
    [c0 ^ c4, c1 ^ c4 ^ c5, c2 ^ c5 ^ c6, c3 ^ c6]
}

/// `λ·a²` for the tower's λ = `z^3 + 1` (a linear map: squaring is linear in characteristic 2).
#[inline(always)]
fn lambda_square(a: Nibble) -> Nibble {
    [a[0], a[1] ^ a[3], a[3], a[0] ^ a[2]]
}

/// Inverse in GF(2^4) (0 for 0), from the algebraic normal form of `a^14`.
#[inline(always)]
fn inv16(a: Nibble) -> Nibble {
    let [x0, x1, x2, x3] = a;
    let (x01, x02, x03, x12, x13, x23) = (x0 & x1, x0 & x2, x0 & x3, x1 & x2, x1 & x3, x2 & x3);
    let (x012, x013, x023, x123) = (x01 & x2, x01 & x3, x02 & x3, x12 & x3);
    [
        x0 ^ x1 ^ x2 ^ x3 ^ x02 ^ x12 ^ x012 ^ x123,
        x01 ^ x02 ^ x12 ^ x3 ^ x13 ^ x013,
        x01 ^ x2 ^ x02 ^ x3 ^ x03 ^ x023,
        x1 ^ x2 ^ x3 ^ x03 ^ x13 ^ x23 ^ x123,
    ]
}

/// Inverse in GF((2^4)^2) (0 for 0): for `a = a1·Y + a0` with `Y² = Y + λ`,
/// `a⁻¹ = (a1·e)·Y + (a0 + a1)·e` where `e = (λ·a1² + a0·(a0 + a1))⁻¹`.
#[inline(always)]
fn tower_inv(x: &Planes) -> Planes {
    let a0 = [x[0], x[1], x[2], x[3]];
    let a1 = [x[4], x[5], x[6], x[7]];
    let s = [a0[0] ^ a1[0], a0[1] ^ a1[1], a0[2] ^ a1[2], a0[3] ^ a1[3]];
    let (l, m) = (lambda_square(a1), mul16(a0, s));
    let e = inv16([l[0] ^ m[0], l[1] ^ m[1], l[2] ^ m[2], l[3] ^ m[3]]);
    let (b1, b0) = (mul16(a1, e), mul16(s, e));
    [b0[0], b0[1], b0[2], b0[3], b1[0], b1[1], b1[2], b1[3]]
}

/// The S-box on every byte of the planes.
#[inline(always)]
pub(crate) fn sbox(x: &Planes) -> Planes {
    let t = affine::<{ tower::IN }, { tower::IN_C }>(x);
    affine::<{ tower::OUT }, { tower::OUT_C }>(&tower_inv(&t))
}

/// `L(y) = y ⊕ y⋘2 ⊕ y⋘10 ⊕ y⋘18 ⊕ y⋘24` on bitsliced words. Rotating a word by `8m + s`
/// moves bit `b` of byte `q` to bit `b + s` of byte `q + m` (or bit `b + s - 8` of byte
/// `q + m + 1`), i.e. plane `b` becomes plane `b + s` rotated by `8m` bits.
#[inline(always)]
fn l(y: &Planes) -> Planes {
    let mut out = [0u32; 8];
    for (b, o) in out.iter_mut().enumerate() {
        // y⋘2 ⊕ y⋘10 ⊕ y⋘18 takes plane b - 2 (same byte) or plane b + 6 (next byte).
        let r = if b >= 2 {
            let z = y[b - 2];
            z ^ z.rotate_left(8) ^ z.rotate_left(16)
        } else {
            let z = y[b + 6];
            z.rotate_left(8) ^ z.rotate_left(16) ^ z.rotate_left(24)
        };
        *o = y[b] ^ y[b].rotate_left(24) ^ r;
    }
    out
}

/// Round key `rk` on every block: plane `b` holds bit `b` of each key byte in all eight lanes.
#[inline(always)]
fn key_planes(rk: u32) -> Planes {
    core::array::from_fn(|b| ((rk >> b) & 0x0101_0101).wrapping_mul(0xff))
}

/// Transposes an 8×8 bit matrix whose row `r` is byte `r` (bit `8r + c` ↔ bit `8c + r`).
#[inline(always)]
fn transpose8(mut x: u64) -> u64 {
    let t = (x ^ (x >> 7)) & 0x00aa_00aa_00aa_00aa;
    x ^= t ^ (t << 7);
    let t = (x ^ (x >> 14)) & 0x0000_cccc_0000_cccc;
    x ^= t ^ (t << 14);
    let t = (x ^ (x >> 28)) & 0x0000_0000_f0f0_f0f0;
    x ^= t ^ (t << 28);
    x
}

/// Word `j` of eight blocks into planes.
fn bitslice(words: [u32; LANES]) -> Planes {
    let mut planes = [0u32; 8];
    for q in 0..4 {
        let bytes =
            words.iter().enumerate().fold(0u64, |acc, (k, &w)| acc | (((w >> (8 * q)) & 0xff) as u64) << (8 * k));
        let t = transpose8(bytes);
        for (b, p) in planes.iter_mut().enumerate() {
            *p |= (((t >> (8 * b)) & 0xff) as u32) << (8 * q);
        }
    }
    planes
}

/// Inverse of [`bitslice`].
fn unbitslice(planes: &Planes) -> [u32; LANES] {
    let mut words = [0u32; LANES];
    for q in 0..4 {
        let bits =
            planes.iter().enumerate().fold(0u64, |acc, (b, &p)| acc | (((p >> (8 * q)) & 0xff) as u64) << (8 * b));
        let t = transpose8(bits);
        for (k, w) in words.iter_mut().enumerate() {
            *w |= (((t >> (8 * k)) & 0xff) as u32) << (8 * q);
        }
    }
    words
}

/// One round: `x0 ^= L(S(x1 ^ x2 ^ x3 ^ rk))`.
#[inline(always)]
fn round(x0: &mut Planes, x1: &Planes, x2: &Planes, x3: &Planes, rk: u32) {
    let k = key_planes(rk);
    let x: Planes = core::array::from_fn(|b| x1[b] ^ x2[b] ^ x3[b] ^ k[b]);
    let t = l(&sbox(&x));
    for (w, t) in x0.iter_mut().zip(t) {
        *w ^= t;
    }
}

/// Runs the 32 rounds with `rk` (the round keys, reversed for decryption) on up to eight blocks;
/// missing blocks cost as much as present ones.
pub(crate) fn crypt(rk: &[u32; 32], blocks: &mut [[u8; 16]]) {
    debug_assert!(blocks.len() <= LANES);
    let word = |j: usize| {
        bitslice(core::array::from_fn(|k| {
            blocks.get(k).map_or(0, |b| u32::from_be_bytes([b[4 * j], b[4 * j + 1], b[4 * j + 2], b[4 * j + 3]]))
        }))
    };
    let mut s = [word(0), word(1), word(2), word(3)];
    for rk in rk.chunks_exact(4) {
        let [x0, x1, x2, x3] = &mut s;
        round(x0, x1, x2, x3, rk[0]);
        round(x1, x2, x3, x0, rk[1]);
        round(x2, x3, x0, x1, rk[2]);
        round(x3, x0, x1, x2, rk[3]);
    }
    // The output is the last four words in reverse order.
    for (j, state) in s.iter().rev().enumerate() {
        for (block, w) in blocks.iter_mut().zip(unbitslice(state)) {
            block[4 * j..4 * j + 4].copy_from_slice(&w.to_be_bytes());
        }
    }
}

/// The S-box on each byte of one word (for the key schedule): byte `q`'s bits go to bit `8q` of
/// the planes, lane 0 only.
pub(crate) fn tau(w: u32) -> u32 {
    let planes: Planes = core::array::from_fn(|b| (w >> b) & 0x0101_0101);
    sbox(&planes).iter().enumerate().fold(0, |acc, (b, &p)| acc | ((p & 0x0101_0101) << b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sbox::reference;

    #[test]
    fn transpose_moves_bit_8r_plus_c_to_8c_plus_r() {
        for r in 0..8 {
            for c in 0..8 {
                assert_eq!(transpose8(1 << (8 * r + c)), 1 << (8 * c + r));
            }
        }
    }

    #[test]
    fn bitslicing_round_trips() {
        let words: [u32; LANES] =
            core::array::from_fn(|k| 0x0123_4567u32.wrapping_mul(k as u32 + 3).rotate_left(k as u32));
        let planes = bitslice(words);
        assert_eq!(unbitslice(&planes), words);
        // Bit b of byte q of block k is at bit 8q + k of plane b.
        assert_eq!((planes[5] >> (8 * 2 + 3)) & 1, (words[3] >> (8 * 2 + 5)) & 1);
    }

    #[test]
    fn sbox_circuit_matches_the_definition() {
        // All 256 inputs: one byte per lane, 32 at a time.
        for chunk in 0..8u32 {
            let words: [u32; LANES] = core::array::from_fn(|k| {
                let base = chunk * 32 + 4 * k as u32;
                u32::from_be_bytes([base as u8, (base + 1) as u8, (base + 2) as u8, (base + 3) as u8])
            });
            let out = unbitslice(&sbox(&bitslice(words)));
            for (w, o) in words.iter().zip(out) {
                assert_eq!(o, u32::from_be_bytes(w.to_be_bytes().map(reference)));
            }
        }
        assert_eq!(tau(0x0011_fe80), u32::from_be_bytes([0x00, 0x11, 0xfe, 0x80].map(reference)));
    }

    #[test]
    fn l_matches_word_rotations() {
        let words: [u32; LANES] = core::array::from_fn(|k| 0x8040_2011u32.rotate_left(5 * k as u32) ^ k as u32);
        let out = unbitslice(&l(&bitslice(words)));
        for (w, o) in words.iter().zip(out) {
            assert_eq!(o, w ^ w.rotate_left(2) ^ w.rotate_left(10) ^ w.rotate_left(18) ^ w.rotate_left(24));
        }
    }
}
