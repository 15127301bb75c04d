//! The SM4 S-box as affine map ∘ field inversion ∘ affine map, and the constants each
//! implementation derives from that (at compile time).
//!
//! GB/T 32907 gives the S-box as a table; it equals `S(x) = A·(A·x ⊕ C)⁻¹ ⊕ C` where `A` is the
//! circulant matrix with first row `0xA7`, `C = 0xD3` and the inverse is taken in
//! GF(2)[x]/(x⁸+x⁷+x⁶+x⁵+x⁴+x²+1) (0 maps to 0). All representations of GF(2^8) are isomorphic,
//! so the inversion can run in any of them after a change of basis `T`:
//! `S(x) = (A·T⁻¹)·inv_T((T·A)·x ⊕ T·C) ⊕ C`. The bitsliced path inverts in a tower field
//! GF((2^4)^2) (cheap as Boolean logic); the x86-64 paths invert in the AES field, which is what
//! the AES-NI `aesenclast` and GFNI `gf2p8affineinv` instructions compute.
#![forbid(unsafe_code)]

use crate::gf2::{rotl8, Field, Mat8};

/// SM4's field polynomial.
pub(crate) const POLY: u16 = 0x1f5;
/// The affine map's matrix: row `i` is `0xA7` rotated left by `i`.
pub(crate) const A: Mat8 = circulant(0xa7);
/// The affine map's constant.
pub(crate) const C: u8 = 0xd3;

const fn circulant(first: u8) -> Mat8 {
    let mut rows = [0u8; 8];
    let mut i = 0;
    while i < 8 {
        rows[i] = rotl8(first, i as u32);
        i += 1;
    }
    Mat8(rows)
}

/// The S-box of one byte straight from the definition above (slow; for tests and for building
/// nothing secret-dependent).
#[cfg(test)]
pub(crate) const fn reference(x: u8) -> u8 {
    A.apply(Field::Poly(POLY).inv(A.apply(x) ^ C)) ^ C
}

/// Constants of the bitsliced path: into the tower field, invert there, out again.
pub(crate) mod tower {
    use super::*;
    const T: Mat8 = Field::Tower.isomorphism_from(POLY);
    /// Input map `T·A` (packed rows) and constant `T·C`.
    pub(crate) const IN: u64 = T.after(A).packed();
    pub(crate) const IN_C: u8 = T.apply(C);
    /// Output map `A·T⁻¹` (packed rows) and constant `C`.
    pub(crate) const OUT: u64 = A.after(T.inverse()).packed();
    pub(crate) const OUT_C: u8 = C;
}

/// Constants of the x86-64 paths.
///
/// They keep every state word `W` as `D·W` (bytewise), with `D = T·A`, `T` the isomorphism onto
/// the AES field. Then the S-box input `D·X ⊕ T·C` is the XOR of state words and a round key
/// `D·rk ⊕ T·C`, and a round's output `D·L(S(X))` is a sum of byte rotations of affine images of
/// `inv_AES(D·X ⊕ T·C)`: writing the word rotation `L(y) = y ⊕ y⋘2 ⊕ y⋘10 ⊕ y⋘18 ⊕ y⋘24` as
/// `Σ_k (N_k·y)⋘8k` with bytewise `N_0 = I ⊕ SHL2`, `N_1 = N_2 = SHL2 ⊕ SHR6`, `N_3 = I ⊕ SHR6`
/// (a rotation by `8m + 2` moves 6 bits of each byte within it and 2 into the next byte),
/// `D·L(S(X)) = Σ_k ((D·N_k·Q)·inv)⋘8k ⊕ D·L(C…C)` with `Q = A·T⁻¹`. Words are converted into
/// this domain when loaded and back when stored.
pub(crate) mod aes_field {
    use super::*;
    const AES: Field = Field::Poly(0x11b);
    const T: Mat8 = AES.isomorphism_from(POLY);
    /// The state domain `D = T·A` and back.
    pub(crate) const D: Mat8 = T.after(A);
    pub(crate) const D_INV: Mat8 = D.inverse();
    /// Added to every byte of a round key in the domain: `T·C`.
    pub(crate) const KEY_C: u8 = T.apply(C);
    const Q: Mat8 = A.after(T.inverse());
    const SHL2: Mat8 = Mat8([0, 0, 1, 2, 4, 8, 16, 32]);
    const SHR6: Mat8 = Mat8([64, 128, 0, 0, 0, 0, 0, 0]);
    /// `D·N_k·Q` for the terms rotated by 0, by 8 and 16, and by 24 bits.
    pub(crate) const TERM0: Mat8 = D.after(Mat8::IDENTITY.plus(SHL2)).after(Q);
    pub(crate) const TERM12: Mat8 = D.after(SHL2.plus(SHR6)).after(Q);
    pub(crate) const TERM3: Mat8 = D.after(Mat8::IDENTITY.plus(SHR6)).after(Q);
    /// `D·L(C…C)`: each byte of `L` of a constant word is `C⋘2`. Added to the rotation-0 term.
    pub(crate) const TERM0_C: u8 = D.apply(rotl8(C, 2));
    /// The AES S-box's affine matrix (`aesenclast` applies it after inverting).
    const AES_AFFINE: Mat8 = circulant(0xf1);
    const AES_AFFINE_INV: Mat8 = AES_AFFINE.inverse();
    /// The terms as maps of `aesenclast`'s output (its constant 0x63 is cancelled by the round
    /// key `0x63…63` passed to it).
    pub(crate) const AESNI_TERM0: Mat8 = TERM0.after(AES_AFFINE_INV);
    pub(crate) const AESNI_TERM12: Mat8 = TERM12.after(AES_AFFINE_INV);
    pub(crate) const AESNI_TERM3: Mat8 = TERM3.after(AES_AFFINE_INV);

    /// `D·x ⊕ c` on each byte of a word.
    pub(crate) const fn map_word(m: Mat8, w: u32, c: u8) -> u32 {
        let b = w.to_be_bytes();
        u32::from_be_bytes([m.apply(b[0]) ^ c, m.apply(b[1]) ^ c, m.apply(b[2]) ^ c, m.apply(b[3]) ^ c])
    }
}

#[cfg(test)]
mod tests {
    use super::aes_field::*;
    use super::*;

    /// GB/T 32907-2016, Table 1 (the S-box), row by row.
    pub(crate) const TABLE: [u8; 256] = [
        0xd6, 0x90, 0xe9, 0xfe, 0xcc, 0xe1, 0x3d, 0xb7, 0x16, 0xb6, 0x14, 0xc2, 0x28, 0xfb, 0x2c, 0x05, //
        0x2b, 0x67, 0x9a, 0x76, 0x2a, 0xbe, 0x04, 0xc3, 0xaa, 0x44, 0x13, 0x26, 0x49, 0x86, 0x06, 0x99, //
        0x9c, 0x42, 0x50, 0xf4, 0x91, 0xef, 0x98, 0x7a, 0x33, 0x54, 0x0b, 0x43, 0xed, 0xcf, 0xac, 0x62, //
        0xe4, 0xb3, 0x1c, 0xa9, 0xc9, 0x08, 0xe8, 0x95, 0x80, 0xdf, 0x94, 0xfa, 0x75, 0x8f, 0x3f, 0xa6, //
        0x47, 0x07, 0xa7, 0xfc, 0xf3, 0x73, 0x17, 0xba, 0x83, 0x59, 0x3c, 0x19, 0xe6, 0x85, 0x4f, 0xa8, //
        0x68, 0x6b, 0x81, 0xb2, 0x71, 0x64, 0xda, 0x8b, 0xf8, 0xeb, 0x0f, 0x4b, 0x70, 0x56, 0x9d, 0x35, //
        0x1e, 0x24, 0x0e, 0x5e, 0x63, 0x58, 0xd1, 0xa2, 0x25, 0x22, 0x7c, 0x3b, 0x01, 0x21, 0x78, 0x87, //
        0xd4, 0x00, 0x46, 0x57, 0x9f, 0xd3, 0x27, 0x52, 0x4c, 0x36, 0x02, 0xe7, 0xa0, 0xc4, 0xc8, 0x9e, //
        0xea, 0xbf, 0x8a, 0xd2, 0x40, 0xc7, 0x38, 0xb5, 0xa3, 0xf7, 0xf2, 0xce, 0xf9, 0x61, 0x15, 0xa1, //
        0xe0, 0xae, 0x5d, 0xa4, 0x9b, 0x34, 0x1a, 0x55, 0xad, 0x93, 0x32, 0x30, 0xf5, 0x8c, 0xb1, 0xe3, //
        0x1d, 0xf6, 0xe2, 0x2e, 0x82, 0x66, 0xca, 0x60, 0xc0, 0x29, 0x23, 0xab, 0x0d, 0x53, 0x4e, 0x6f, //
        0xd5, 0xdb, 0x37, 0x45, 0xde, 0xfd, 0x8e, 0x2f, 0x03, 0xff, 0x6a, 0x72, 0x6d, 0x6c, 0x5b, 0x51, //
        0x8d, 0x1b, 0xaf, 0x92, 0xbb, 0xdd, 0xbc, 0x7f, 0x11, 0xd9, 0x5c, 0x41, 0x1f, 0x10, 0x5a, 0xd8, //
        0x0a, 0xc1, 0x31, 0x88, 0xa5, 0xcd, 0x7b, 0xbd, 0x2d, 0x74, 0xd0, 0x12, 0xb8, 0xe5, 0xb4, 0xb0, //
        0x89, 0x69, 0x97, 0x4a, 0x0c, 0x96, 0x77, 0x7e, 0x65, 0xb9, 0xf1, 0x09, 0xc5, 0x6e, 0xc6, 0x84, //
        0x18, 0xf0, 0x7d, 0xec, 0x3a, 0xdc, 0x4d, 0x20, 0x79, 0xee, 0x5f, 0x3e, 0xd7, 0xcb, 0x39, 0x48, //
    ];

    #[test]
    fn definition_matches_the_standard_table() {
        for x in 0..=255u8 {
            assert_eq!(reference(x), TABLE[x as usize], "S({x:#04x})");
        }
    }

    fn l(b: u32) -> u32 {
        b ^ b.rotate_left(2) ^ b.rotate_left(10) ^ b.rotate_left(18) ^ b.rotate_left(24)
    }

    fn tau(w: u32) -> u32 {
        u32::from_be_bytes(w.to_be_bytes().map(reference))
    }

    /// One round's `T = L∘τ` computed the way the x86-64 paths do, on scalars.
    #[test]
    #[cfg_attr(miri, ignore = "slow interpreted; checks constants only the x86-64 paths use")]
    fn round_function_in_the_transformed_domain() {
        let aes = Field::Poly(0x11b);
        let mut w = 0x0123_4567u32;
        for _ in 0..2000 {
            w = w.wrapping_mul(0x9e37_79b9).rotate_left(7) ^ 0x5bd1_e995;
            let x = map_word(D, w, KEY_C);
            let inv = u32::from_be_bytes(x.to_be_bytes().map(|b| aes.inv(b)));
            let got = map_word(TERM0, inv, TERM0_C)
                ^ map_word(TERM12, inv, 0).rotate_left(8)
                ^ map_word(TERM12, inv, 0).rotate_left(16)
                ^ map_word(TERM3, inv, 0).rotate_left(24);
            assert_eq!(got, map_word(D, l(tau(w)), 0), "{w:#010x}");
            assert_eq!(map_word(D_INV, map_word(D, w, 0), 0), w);
        }
    }
}
