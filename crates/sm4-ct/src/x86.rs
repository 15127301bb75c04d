//! The x86-64 paths: SM4 on four blocks per 128-bit vector, the S-box computed by the CPU's
//! constant-time AES field inversion (GFNI `gf2p8affineinv`, or AES-NI `aesenclast` with SSSE3
//! byte shuffles for the affine maps).
//!
//! Four blocks are transposed so that vector `j` holds word `j` of each block (one 32-bit lane per
//! block, bytes in memory order, i.e. the word's most significant byte first); `G` such groups
//! are interleaved to hide the latency of one round. State words live in the domain `D`
//! described in [`crate::sbox::aes_field`], where a round is: XOR three words and the round key,
//! invert every byte in the AES field, and add three affine images of the result rotated by 0, 8,
//! 16 and 24 bits. Rotations are byte shuffles with constant patterns; table lookups (`pshufb`)
//! index 16-byte tables held in registers. Nothing is loaded from an address that depends on
//! the key or the data, and nothing branches on them.

use core::arch::x86_64::*;

use crate::sbox::aes_field::{AESNI_TERM0, AESNI_TERM12, AESNI_TERM3, D, D_INV, TERM0, TERM0_C, TERM12, TERM3};

/// Most blocks one kernel call takes (four groups of four).
pub(crate) const MAX_BLOCKS: usize = 16;

/// A group of four blocks.
type Group = [[u8; 16]; 4];

/// `pshufb` pattern rotating each 32-bit lane (memory order) left by `8m` bits, after applying
/// `first` (another byte permutation).
const fn rotation(m: usize, first: [u8; 16]) -> [u8; 16] {
    let mut p = [0u8; 16];
    let mut i = 0;
    while i < 16 {
        p[i] = first[(i & !3) + ((i + m) & 3)];
        i += 1;
    }
    p
}

const IDENTITY: [u8; 16] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

/// Undoes AES ShiftRows: `aesenclast` leaves the result for input byte `r + 4c` at
/// `r + 4((c - r) mod 4)`.
const INV_SHIFT_ROWS: [u8; 16] = {
    let mut p = [0u8; 16];
    let mut i = 0;
    while i < 16 {
        let (r, c) = (i % 4, i / 4);
        p[i] = (r + 4 * ((c + 4 - r) % 4)) as u8;
        i += 1;
    }
    p
};

/// Lane rotations by 0, 8, 16 and 24 bits.
const ROTATE: [[u8; 16]; 4] =
    [rotation(0, IDENTITY), rotation(1, IDENTITY), rotation(2, IDENTITY), rotation(3, IDENTITY)];
/// The same after undoing ShiftRows.
const UNSHIFT_ROTATE: [[u8; 16]; 4] = [
    rotation(0, INV_SHIFT_ROWS),
    rotation(1, INV_SHIFT_ROWS),
    rotation(2, INV_SHIFT_ROWS),
    rotation(3, INV_SHIFT_ROWS),
];

#[inline]
#[target_feature(enable = "sse2")]
fn bytes(b: [u8; 16]) -> __m128i {
    _mm_setr_epi8(
        b[0] as i8,
        b[1] as i8,
        b[2] as i8,
        b[3] as i8,
        b[4] as i8,
        b[5] as i8,
        b[6] as i8,
        b[7] as i8,
        b[8] as i8,
        b[9] as i8,
        b[10] as i8,
        b[11] as i8,
        b[12] as i8,
        b[13] as i8,
        b[14] as i8,
        b[15] as i8,
    )
}

#[inline]
#[target_feature(enable = "sse2")]
fn load(block: &[u8; 16]) -> __m128i {
    // SAFETY: `block` is 16 readable bytes and `loadu` accepts any alignment.
    unsafe { _mm_loadu_si128(block.as_ptr().cast()) }
}

#[inline]
#[target_feature(enable = "sse2")]
fn store(block: &mut [u8; 16], v: __m128i) {
    // SAFETY: `block` is 16 writable bytes and `storeu` accepts any alignment.
    unsafe { _mm_storeu_si128(block.as_mut_ptr().cast(), v) }
}

/// `v`, hidden from the optimizer: keeps it from regrouping the XORs of a round so that the
/// next round's input waits on the latest term only once.
#[inline(always)]
fn opaque(mut v: __m128i) -> __m128i {
    // SAFETY: the assembly is empty: no instruction, no memory access, no stack use; it only
    // claims to read and write the register holding `v`.
    unsafe { core::arch::asm!("/* {0} */", inout(xmm_reg) v, options(pure, nomem, nostack, preserves_flags)) };
    v
}

/// Transposes four vectors of four 32-bit lanes (its own inverse).
#[inline]
#[target_feature(enable = "sse2")]
fn transpose([a, b, c, d]: [__m128i; 4]) -> [__m128i; 4] {
    let (ab_lo, cd_lo) = (_mm_unpacklo_epi32(a, b), _mm_unpacklo_epi32(c, d));
    let (ab_hi, cd_hi) = (_mm_unpackhi_epi32(a, b), _mm_unpackhi_epi32(c, d));
    [
        _mm_unpacklo_epi64(ab_lo, cd_lo),
        _mm_unpackhi_epi64(ab_lo, cd_lo),
        _mm_unpacklo_epi64(ab_hi, cd_hi),
        _mm_unpackhi_epi64(ab_hi, cd_hi),
    ]
}

/// Loads `G` groups, runs the 32 rounds with `rk` (in the domain, lanes in memory order; reversed
/// for decryption), and stores the result in place. `$t` is the round function in the domain `D`:
/// S-box input in, the value to add to the replaced word out as three terms `(e, m, l)` in the
/// order they become ready; `$to` and `$from` apply `D` and `D⁻¹` to every byte. A macro, so that it expands inside each kernel with its target features.
macro_rules! rounds {
    ($rk:expr, $groups:expr, $t:expr, $to:expr, $from:expr) => {{
        let (rk, groups): (&[u32; 32], &mut [Group; G]) = ($rk, $groups);
        // Plain loops rather than `array::map` and friends: their closures would be calls into
        // code compiled without the kernel's target features.
        let zero = _mm_setzero_si128();
        let mut s = [[zero; 4]; G];
        for (w, group) in s.iter_mut().zip(groups.iter()) {
            *w = transpose([load(&group[0]), load(&group[1]), load(&group[2]), load(&group[3])]);
            for v in w.iter_mut() {
                *v = $to(*v);
            }
        }
        let key = |r: usize| _mm_set1_epi32(rk[r % 32] as i32);
        // The S-box input of the round about to run, per group.
        let mut x = [zero; G];
        for (x, w) in x.iter_mut().zip(s.iter()) {
            *x = _mm_xor_si128(_mm_xor_si128(w[1], w[2]), _mm_xor_si128(w[3], key(0)));
        }
        for r0 in (0..32).step_by(4) {
            for i in 0..4 {
                let next_key = key(r0 + i + 1);
                for (w, x) in s.iter_mut().zip(x.iter_mut()) {
                    // Round r0 + i replaces word i by `w[i] ^ t` with `t = e ^ m ^ l`; the next
                    // round's input is `w[i+2] ^ w[i+3] ^ w[i] ^ key ^ t`. `e` is ready first;
                    // the barriers keep the compiler from regrouping the sum around `t` (which
                    // it would share with the word update), so that the input waits for the
                    // last terms through one XOR only.
                    let (e, m, l) = $t(*x);
                    let early =
                        _mm_xor_si128(_mm_xor_si128(w[(i + 2) % 4], w[(i + 3) % 4]), _mm_xor_si128(w[i], next_key));
                    let a = opaque(_mm_xor_si128(opaque(_mm_xor_si128(early, e)), m));
                    let l = opaque(l);
                    *x = _mm_xor_si128(a, l);
                    w[i] = _mm_xor_si128(_mm_xor_si128(w[i], e), _mm_xor_si128(m, l));
                }
            }
        }
        for (group, w) in groups.iter_mut().zip(s) {
            // The output is the last four words in reverse order.
            let out = transpose([$from(w[3]), $from(w[2]), $from(w[1]), $from(w[0])]);
            for (block, v) in group.iter_mut().zip(out) {
                store(block, v);
            }
        }
    }};
}

/// Proof that the CPU has GFNI and AVX (checked at run time).
#[derive(Clone, Copy)]
pub(crate) struct Gfni(());

impl Gfni {
    pub(crate) fn detect() -> Option<Gfni> {
        (std::is_x86_feature_detected!("gfni") && std::is_x86_feature_detected!("avx")).then_some(Gfni(()))
    }
}

/// Proof that the CPU has AES-NI and SSSE3 (checked at run time).
#[derive(Clone, Copy)]
pub(crate) struct AesNi(());

impl AesNi {
    pub(crate) fn detect() -> Option<AesNi> {
        (std::is_x86_feature_detected!("aes") && std::is_x86_feature_detected!("ssse3")).then_some(AesNi(()))
    }
}

const GFNI_TERMS: [u64; 3] = [TERM0.gfni_operand(), TERM12.gfni_operand(), TERM3.gfni_operand()];
const GFNI_D: u64 = D.gfni_operand();
const GFNI_D_INV: u64 = D_INV.gfni_operand();

/// GFNI: one `gf2p8affineinv` per affine image of the inverse, byte shuffles for the rotations.
#[target_feature(enable = "gfni,avx")]
fn gfni_kernel<const G: usize>(rk: &[u32; 32], groups: &mut [Group; G]) {
    let m = |q: u64| _mm_set1_epi64x(q as i64);
    let (m0, m12, m3) = (m(GFNI_TERMS[0]), m(GFNI_TERMS[1]), m(GFNI_TERMS[2]));
    // Opaque, or the compiler turns the 16-bit rotation into two slower shuffles.
    let rot = [opaque(bytes(ROTATE[1])), opaque(bytes(ROTATE[2])), opaque(bytes(ROTATE[3]))];
    let t = |x| {
        // Rotating the input rotates the bytewise result: the four terms then arrive together.
        let (x1, x2, x3) = (_mm_shuffle_epi8(x, rot[0]), _mm_shuffle_epi8(x, rot[1]), _mm_shuffle_epi8(x, rot[2]));
        let t0 = _mm_gf2p8affineinv_epi64_epi8::<{ TERM0_C as i32 }>(x, m0);
        let t1 = _mm_gf2p8affineinv_epi64_epi8::<0>(x1, m12);
        let t2 = _mm_gf2p8affineinv_epi64_epi8::<0>(x2, m12);
        let t3 = _mm_gf2p8affineinv_epi64_epi8::<0>(x3, m3);
        (t0, t3, _mm_xor_si128(t1, t2))
    };
    let (d, d_inv) = (m(GFNI_D), m(GFNI_D_INV));
    rounds!(rk, groups, t, |x| _mm_gf2p8affine_epi64_epi8::<0>(x, d), |x| _mm_gf2p8affine_epi64_epi8::<0>(x, d_inv))
}

/// `(low, high)` nibble tables of a bytewise affine map.
type Tables = ([u8; 16], [u8; 16]);
const AESNI_TABLES: [Tables; 3] =
    [AESNI_TERM0.nibble_tables(TERM0_C), AESNI_TERM12.nibble_tables(0), AESNI_TERM3.nibble_tables(0)];
const D_TABLES: Tables = D.nibble_tables(0);
const D_INV_TABLES: Tables = D_INV.nibble_tables(0);

#[inline]
#[target_feature(enable = "sse2")]
fn tables((low, high): Tables) -> (__m128i, __m128i) {
    (bytes(low), bytes(high))
}

/// AES-NI: one `aesenclast` for the inverse, nibble-table shuffles for its affine images.
#[target_feature(enable = "aes,ssse3")]
fn aesni_kernel<const G: usize>(rk: &[u32; 32], groups: &mut [Group; G]) {
    let nibble = _mm_set1_epi8(0x0f);
    let key63 = _mm_set1_epi8(0x63);
    let (term0, term12, term3) = (tables(AESNI_TABLES[0]), tables(AESNI_TABLES[1]), tables(AESNI_TABLES[2]));
    // Each of these shuffles undoes ShiftRows and rotates the lanes.
    let rot = [bytes(UNSHIFT_ROTATE[0]), bytes(UNSHIFT_ROTATE[1]), bytes(UNSHIFT_ROTATE[2]), bytes(UNSHIFT_ROTATE[3])];
    let t = |x| {
        // aesenclast = ShiftRows, then per byte AES-affine(inverse) ^ 0x63, then ^ round key: the
        // key 0x63…63 leaves the affine image of the inverse, bytes permuted by ShiftRows.
        let y = _mm_aesenclast_si128(x, key63);
        let lo = _mm_and_si128(y, nibble);
        let hi = _mm_and_si128(_mm_srli_epi16::<4>(y), nibble);
        let image =
            |(low, high): (__m128i, __m128i)| _mm_xor_si128(_mm_shuffle_epi8(low, lo), _mm_shuffle_epi8(high, hi));
        let (t0, t12, t3) = (image(term0), image(term12), image(term3));
        let r0 = _mm_shuffle_epi8(t0, rot[0]);
        let r1 = _mm_shuffle_epi8(t12, rot[1]);
        let r2 = _mm_shuffle_epi8(t12, rot[2]);
        let r3 = _mm_shuffle_epi8(t3, rot[3]);
        (r0, r3, _mm_xor_si128(r1, r2))
    };
    let affine = |(low, high): (__m128i, __m128i), x| {
        let lo = _mm_shuffle_epi8(low, _mm_and_si128(x, nibble));
        _mm_xor_si128(lo, _mm_shuffle_epi8(high, _mm_and_si128(_mm_srli_epi16::<4>(x), nibble)))
    };
    let (d, d_inv) = (tables(D_TABLES), tables(D_INV_TABLES));
    rounds!(rk, groups, t, |x| affine(d, x), |x| affine(d_inv, x))
}

/// Copies up to `4 * G` blocks into `G` groups (missing blocks zero), runs `kernel`, copies back.
#[inline(always)]
fn with_groups<const G: usize>(blocks: &mut [[u8; 16]], kernel: impl FnOnce(&mut [Group; G])) {
    let mut groups = [[[0u8; 16]; 4]; G];
    for (i, b) in blocks.iter().enumerate() {
        groups[i / 4][i % 4] = *b;
    }
    kernel(&mut groups);
    for (i, b) in blocks.iter_mut().enumerate() {
        *b = groups[i / 4][i % 4];
    }
}

/// Runs `$kernel` on the blocks (at most [`MAX_BLOCKS`]) in as few groups as they fill.
macro_rules! crypt_in_groups {
    ($kernel:ident, $rk:expr, $blocks:expr) => {
        match $blocks.len().div_ceil(4) {
            0 => {}
            1 => with_groups::<1>($blocks, |g| $kernel($rk, g)),
            2 => with_groups::<2>($blocks, |g| $kernel($rk, g)),
            3 => with_groups::<3>($blocks, |g| $kernel($rk, g)),
            _ => with_groups::<4>($blocks, |g| $kernel($rk, g)),
        }
    };
}

impl Gfni {
    /// Runs the rounds on up to [`MAX_BLOCKS`] blocks in place.
    pub(crate) fn crypt(self, rk: &[u32; 32], blocks: &mut [[u8; 16]]) {
        debug_assert!(blocks.len() <= MAX_BLOCKS);
        // SAFETY: a `Gfni` exists only when `detect` found GFNI and AVX on this CPU.
        unsafe { crypt_in_groups!(gfni_kernel, rk, blocks) }
    }
}

impl AesNi {
    /// Runs the rounds on up to [`MAX_BLOCKS`] blocks in place.
    pub(crate) fn crypt(self, rk: &[u32; 32], blocks: &mut [[u8; 16]]) {
        debug_assert!(blocks.len() <= MAX_BLOCKS);
        // SAFETY: an `AesNi` exists only when `detect` found AES-NI and SSSE3 on this CPU.
        unsafe { crypt_in_groups!(aesni_kernel, rk, blocks) }
    }
}

/// A round key as the x86-64 kernels take it: in the domain `D` with `T·C` added, lanes in
/// memory order.
pub(crate) fn round_key(rk: u32) -> u32 {
    use crate::sbox::aes_field::{map_word, KEY_C};
    map_word(D, rk, KEY_C).swap_bytes()
}
