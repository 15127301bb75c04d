//! Linear algebra over GF(2) and arithmetic in three representations of GF(2^8), all `const fn`,
//! so that every constant the implementations use is derived at compile time from the S-box's
//! definition in [`crate::sbox`] rather than typed in.
#![forbid(unsafe_code)]

/// An 8×8 matrix over GF(2) acting on bytes: bit `j` of `rows[i]` is the coefficient of input
/// bit `j` in output bit `i` (bit 0 is the least significant).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Mat8(pub(crate) [u8; 8]);

impl Mat8 {
    pub(crate) const IDENTITY: Mat8 = Mat8([1, 2, 4, 8, 16, 32, 64, 128]);

    /// The matrix whose column `j` is `cols[j]` (the image of input bit `j`).
    pub(crate) const fn from_columns(cols: [u8; 8]) -> Mat8 {
        let mut rows = [0u8; 8];
        let mut j = 0;
        while j < 8 {
            let mut i = 0;
            while i < 8 {
                rows[i] |= ((cols[j] >> i) & 1) << j;
                i += 1;
            }
            j += 1;
        }
        Mat8(rows)
    }

    /// The image of `x`.
    pub(crate) const fn apply(self, x: u8) -> u8 {
        let mut y = 0u8;
        let mut i = 0;
        while i < 8 {
            y |= (((self.0[i] & x).count_ones() & 1) as u8) << i;
            i += 1;
        }
        y
    }

    /// `self ∘ other`: apply `other` first.
    pub(crate) const fn after(self, other: Mat8) -> Mat8 {
        let mut cols = [0u8; 8];
        let mut j = 0;
        while j < 8 {
            cols[j] = self.apply(other.apply(1 << j));
            j += 1;
        }
        Mat8::from_columns(cols)
    }

    /// The sum (XOR) of two matrices.
    pub(crate) const fn plus(self, other: Mat8) -> Mat8 {
        let mut rows = self.0;
        let mut i = 0;
        while i < 8 {
            rows[i] ^= other.0[i];
            i += 1;
        }
        Mat8(rows)
    }

    /// The inverse; panics (at compile time, where it is used) if the matrix is singular.
    pub(crate) const fn inverse(self) -> Mat8 {
        let mut cols = [0u8; 8];
        let mut found = 0u8;
        let mut x = 1u32;
        while x < 256 {
            let y = self.apply(x as u8);
            if y == 0 {
                panic!("singular matrix");
            }
            if y.is_power_of_two() {
                cols[y.trailing_zeros() as usize] = x as u8;
                found |= y;
            }
            x += 1;
        }
        assert!(found == 0xff, "singular matrix");
        Mat8::from_columns(cols)
    }

    /// The matrix operand of the GFNI `gf2p8affine` instructions: row `i` in byte `7 - i`.
    pub(crate) const fn gfni_operand(self) -> u64 {
        let mut q = 0u64;
        let mut i = 0;
        while i < 8 {
            q |= (self.0[i] as u64) << (8 * (7 - i));
            i += 1;
        }
        q
    }

    /// The rows packed little-endian into a `u64` (row `i` in byte `i`), for const generics.
    pub(crate) const fn packed(self) -> u64 {
        let mut q = 0u64;
        let mut i = 0;
        while i < 8 {
            q |= (self.0[i] as u64) << (8 * i);
            i += 1;
        }
        q
    }

    /// Tables for a byte shuffle (`pshufb`) computing `self.apply(x) ^ c` as
    /// `low[x & 15] ^ high[x >> 4]`.
    pub(crate) const fn nibble_tables(self, c: u8) -> ([u8; 16], [u8; 16]) {
        let (mut low, mut high) = ([0u8; 16], [0u8; 16]);
        let mut n = 0;
        while n < 16 {
            low[n] = self.apply(n as u8) ^ c;
            high[n] = self.apply((n as u8) << 4);
            n += 1;
        }
        (low, high)
    }
}

/// A representation of GF(2^8).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    /// Polynomial basis modulo the given degree-8 polynomial (bit `i` = coefficient of `x^i`).
    Poly(u16),
    /// GF((2^4)^2): GF(2^4) modulo `z^4 + z + 1`, then `Y^2 + Y + λ` with λ = [`TOWER_LAMBDA`];
    /// the high nibble is the coefficient of `Y`.
    Tower,
}

/// λ of the tower field: `z^3 + 1`, for which `λ·a²` is two XORs (see `soft::lambda_square`).
pub(crate) const TOWER_LAMBDA: u8 = 0b1001;

/// Product in GF(2^4) modulo `z^4 + z + 1`.
pub(crate) const fn gf16_mul(a: u8, b: u8) -> u8 {
    let mut r = 0u8;
    let mut a = a;
    let mut i = 0;
    while i < 4 {
        if (b >> i) & 1 == 1 {
            r ^= a;
        }
        a <<= 1;
        if a & 0x10 != 0 {
            a ^= 0x13;
        }
        i += 1;
    }
    r
}

impl Field {
    pub(crate) const fn mul(self, a: u8, b: u8) -> u8 {
        match self {
            Field::Poly(poly) => {
                let (mut r, mut a, mut b) = (0u16, a as u16, b);
                while b != 0 {
                    if b & 1 == 1 {
                        r ^= a;
                    }
                    b >>= 1;
                    a <<= 1;
                    if a & 0x100 != 0 {
                        a ^= poly;
                    }
                }
                r as u8
            }
            Field::Tower => {
                let (a0, a1, b0, b1) = (a & 15, a >> 4, b & 15, b >> 4);
                let hh = gf16_mul(a1, b1);
                let hi = hh ^ gf16_mul(a1, b0) ^ gf16_mul(a0, b1);
                let lo = gf16_mul(hh, TOWER_LAMBDA) ^ gf16_mul(a0, b0);
                (hi << 4) | lo
            }
        }
    }

    /// The multiplicative inverse (0 for 0), as `a^254`.
    #[cfg(test)]
    pub(crate) const fn inv(self, a: u8) -> u8 {
        let mut r = 1u8;
        let mut i = 0;
        while i < 254 {
            r = self.mul(r, a);
            i += 1;
        }
        r
    }

    /// The isomorphism from GF(2)[x]/(`poly`) onto `self`: `x^i ↦ β^i` for the least root `β`
    /// of `poly` in `self` (as a byte), so that `iso(a·b) = iso(a)·iso(b)`.
    pub(crate) const fn isomorphism_from(self, poly: u16) -> Mat8 {
        let mut beta = 2u32;
        while beta < 256 {
            // Horner evaluation of poly at beta.
            let mut acc = 0u8;
            let mut i = 8i32;
            while i >= 0 {
                acc = self.mul(acc, beta as u8) ^ ((poly >> i) & 1) as u8;
                i -= 1;
            }
            if acc == 0 {
                let mut cols = [0u8; 8];
                let mut p = 1u8;
                let mut j = 0;
                while j < 8 {
                    cols[j] = p;
                    p = self.mul(p, beta as u8);
                    j += 1;
                }
                return Mat8::from_columns(cols);
            }
            beta += 1;
        }
        panic!("polynomial has no root in this field")
    }
}

/// `x` rotated left by `n` bits within the byte.
pub(crate) const fn rotl8(x: u8, n: u32) -> u8 {
    x.rotate_left(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrices() {
        // The AES S-box's affine matrix.
        let m = Mat8([0xf1, 0xe3, 0xc7, 0x8f, 0x1f, 0x3e, 0x7c, 0xf8]);
        let inv = m.inverse();
        for x in 0..=255u8 {
            assert_eq!(inv.apply(m.apply(x)), x);
            assert_eq!(m.after(inv).apply(x), x);
        }
        assert_eq!(Mat8::IDENTITY.after(m), m);
    }

    #[test]
    #[cfg_attr(miri, ignore = "slow interpreted; compile-time arithmetic")]
    fn fields() {
        for field in [Field::Poly(0x11b), Field::Poly(0x1f5), Field::Tower] {
            for a in 1..=255u8 {
                assert_eq!(field.mul(a, field.inv(a)), 1);
            }
        }
        // The isomorphism respects products.
        let iso = Field::Tower.isomorphism_from(0x1f5);
        let (src, dst) = (Field::Poly(0x1f5), Field::Tower);
        for a in [1u8, 2, 3, 0x53, 0xca, 0xff] {
            for b in [1u8, 7, 0x80, 0xfe] {
                assert_eq!(iso.apply(src.mul(a, b)), dst.mul(iso.apply(a), iso.apply(b)));
            }
        }
    }
}
