//! Length hiding: how much a field ciphertext's length says about the value's length.
//!
//! Without padding a ciphertext is exactly as long as the value plus a constant. With padding the
//! value is followed by `0x80` and as many `0x00` bytes as it takes to reach the padded length
//! ([`Padding::padded_len`]) before it is encrypted, and the ciphertext names the padding
//! (format version 2, `docs/formats/field-ciphertext.md`), so the length shows only the bucket:
//!
//! | choice | padded length of an `n`-byte value | what the ciphertext length shows |
//! |---|---|---|
//! | [`Padding::None`] | `n` | `n` exactly |
//! | [`Padding::Block(b)`](Padding::Block) | `n + 1` rounded up to a multiple of `b` | `floor(n / b)`: values of 0 to `b - 1` bytes look alike, and so on |
//! | [`Padding::Padme`] | `L = n + 1` with its low `E - S` bits rounded up, `E = floor(log2 L)`, `S = floor(log2 E) + 1` | about `log2(log2 L) + 1` bits of `L`: nothing more than `n` for values under 7 bytes, at most 12 % overhead |
//!
//! ```
//! use privshare::fle::Padding;
//! assert_eq!(Padding::None.padded_len(18), 18);
//! assert_eq!(Padding::block(32)?.padded_len(0), 32); // an empty value looks like any under 32 bytes
//! assert_eq!(Padding::block(32)?.padded_len(31), 32);
//! assert_eq!(Padding::block(32)?.padded_len(32), 64); // 32 bytes and the marker take two blocks
//! assert_eq!(Padding::Padme.padded_len(1000), 1024); // 1001 rounded up to a multiple of 32
//! # Ok::<(), privshare::Error>(())
//! ```

use crate::{Error, ErrorKind, Result};

/// The largest block [`Padding::Block`] takes.
pub const MAX_BLOCK: u16 = 4096;

/// The byte that ends the value inside a padded plaintext (ISO/IEC 7816-4 padding).
pub(crate) const MARKER: u8 = 0x80;

/// How a field cipher pads values before encrypting them. See the [module](self) for what each
/// choice leaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Padding {
    /// No padding: format version 1, the ciphertext length shows the value's exact length.
    #[default]
    None,
    /// Pad `n + 1` bytes up to a multiple of this many bytes (2 to [`MAX_BLOCK`]; build it with
    /// [`Padding::block`]).
    Block(u16),
    /// Padmé (Nikitin et al., "Reducing Metadata Leakage from Encrypted Files and Communication
    /// with PURBs", PETS 2019): at most 12 % overhead, leaking `O(log log n)` bits. Good for long
    /// free text; short values (identifiers, phone numbers) keep nearly their exact length.
    Padme,
}

impl Padding {
    /// A fixed block of `size` bytes; `InvalidArgument` outside 2 to [`MAX_BLOCK`].
    pub fn block(size: u16) -> Result<Padding> {
        if (2..=MAX_BLOCK).contains(&size) {
            Ok(Padding::Block(size))
        } else {
            Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("a padding block is 2 to {MAX_BLOCK} bytes, not {size}"),
            ))
        }
    }

    /// Parses `"none"`, `"padme"` or `"block:N"` (the names the bindings use).
    pub fn parse(text: &str) -> Result<Padding> {
        match text {
            "none" => Ok(Padding::None),
            "padme" => Ok(Padding::Padme),
            _ => match text.strip_prefix("block:").and_then(|n| n.parse::<u16>().ok()) {
                Some(size) => Padding::block(size),
                None => Err(Error::new(
                    ErrorKind::InvalidArgument,
                    "padding must be \"none\", \"padme\" or \"block:N\" with N from 2 to 4096",
                )),
            },
        }
    }

    /// The padded length of an `n`-byte value (the plaintext length actually encrypted).
    pub fn padded_len(self, n: usize) -> usize {
        match self {
            Padding::None => n,
            Padding::Block(b) => (n + 1).next_multiple_of(usize::from(b.max(1))),
            Padding::Padme => padme(n + 1),
        }
    }

    /// The two header bytes of a padded ciphertext: 0 for Padmé, the block size for a block;
    /// `None` for no padding (format version 1 has no such field).
    pub(crate) fn wire(self) -> Option<u16> {
        match self {
            Padding::None => None,
            Padding::Padme => Some(0),
            Padding::Block(b) => Some(b),
        }
    }

    /// The padding a version 2 header names; `None` for a reserved value (1, above 4096).
    pub(crate) fn from_wire(w: u16) -> Option<Padding> {
        match w {
            0 => Some(Padding::Padme),
            _ => Padding::block(w).ok(),
        }
    }

    /// True when `len` is a length this padding produces (checked before decrypting).
    pub(crate) fn is_padded_len(self, len: usize) -> bool {
        match self {
            Padding::None => true,
            Padding::Block(b) => len > 0 && len.is_multiple_of(usize::from(b)),
            Padding::Padme => len > 0 && padme(len) == len,
        }
    }
}

/// The name [`Padding::parse`] reads: `none`, `padme` or `block:N`.
impl std::fmt::Display for Padding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Padding::None => f.write_str("none"),
            Padding::Padme => f.write_str("padme"),
            Padding::Block(b) => write!(f, "block:{b}"),
        }
    }
}

/// Padmé of a length `l >= 1`: keep the top `S = bitlen(E)` bits below the leading one, where
/// `E = floor(log2 l)`, and round the `E - S` bits under them up.
fn padme(l: usize) -> usize {
    let e = usize::BITS - 1 - l.leading_zeros(); // floor(log2 l)
    let s = u32::BITS - e.leading_zeros(); // bit length of e (0 for e = 0)
    let mask = (1usize << (e - s)) - 1;
    (l + mask) & !mask
}

/// Appends `value`, the marker and zeros up to `padding`'s padded length to `out`.
pub(crate) fn push_padded(out: &mut Vec<u8>, value: &[u8], padding: Padding) {
    out.extend_from_slice(value);
    if padding != Padding::None {
        out.push(MARKER);
        out.resize(out.len() + padding.padded_len(value.len()) - value.len() - 1, 0);
    }
}

/// The value's length inside a decrypted padded plaintext: the position of the marker after which
/// there are only zeros. `None` if there is no marker or the length is not exactly what `padding`
/// makes of that value (a padded plaintext has one canonical form).
pub(crate) fn unpadded_len(plaintext: &[u8], padding: Padding) -> Option<usize> {
    if padding == Padding::None {
        return Some(plaintext.len());
    }
    let n = plaintext.iter().rposition(|&b| b != 0)?;
    (plaintext[n] == MARKER && padding.padded_len(n) == plaintext.len()).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_round_trip() {
        for p in [Padding::None, Padding::Padme, Padding::Block(2), Padding::Block(32), Padding::Block(MAX_BLOCK)] {
            assert_eq!(Padding::parse(&p.to_string()).unwrap(), p);
        }
        assert_eq!(Padding::Block(16).to_string(), "block:16");
        for bad in ["", "block:1", "block:4097", "block:", "Padme", "block:32 "] {
            assert_eq!(Padding::parse(bad).unwrap_err().kind(), ErrorKind::InvalidArgument, "{bad:?}");
        }
    }

    #[test]
    fn padme_matches_the_paper() {
        // Lengths from the PURBs paper's definition, computed by hand.
        for (l, p) in
            [(1, 1), (2, 2), (7, 7), (8, 8), (9, 10), (17, 18), (33, 36), (100, 104), (129, 144), (1001, 1024)]
        {
            assert_eq!(padme(l), p, "padme({l})");
        }
        assert_eq!(padme(1 << 20), 1 << 20);
        assert_eq!(padme((1 << 20) + 1), (1 << 20) + (1 << 15));
    }

    #[test]
    fn wire_values_round_trip_and_reserve() {
        for p in [Padding::Padme, Padding::Block(2), Padding::Block(32), Padding::Block(MAX_BLOCK)] {
            assert_eq!(Padding::from_wire(p.wire().unwrap()), Some(p));
        }
        assert_eq!(Padding::None.wire(), None);
        assert_eq!(Padding::from_wire(1), None);
        assert_eq!(Padding::from_wire(MAX_BLOCK + 1), None);
        assert_eq!(Padding::block(1).unwrap_err().kind(), ErrorKind::InvalidArgument);
        assert_eq!(Padding::parse("block:32").unwrap(), Padding::Block(32));
        assert_eq!(Padding::parse("padme").unwrap(), Padding::Padme);
        assert_eq!(Padding::parse("none").unwrap(), Padding::None);
        for bad in ["", "block:", "block:1", "block:4097", "block:x", "Padme"] {
            assert_eq!(Padding::parse(bad).unwrap_err().kind(), ErrorKind::InvalidArgument, "{bad:?}");
        }
    }

    #[test]
    fn refuses_non_canonical_padding() {
        let b = Padding::Block(8);
        assert_eq!(unpadded_len(&[1, 2, 0x80, 0, 0, 0, 0, 0], b), Some(2));
        assert_eq!(unpadded_len(&[1, 2, 0x81, 0, 0, 0, 0, 0], b), None, "no marker");
        assert_eq!(unpadded_len(&[0; 8], b), None, "all zeros");
        // A whole extra block of padding is not what the encoder makes.
        assert_eq!(unpadded_len(&[1, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], b), None);
        assert_eq!(unpadded_len(&[7, 0x80], Padding::Padme), Some(1));
        assert_eq!(unpadded_len(&[7, 0x80, 0], Padding::Padme), None);
    }

    proptest! {
        /// Every length falls in its promised bucket, and padding round trips.
        #[test]
        fn lengths_fall_in_their_buckets(n in 0usize..200_000, b in 2u16..=MAX_BLOCK, byte in any::<u8>()) {
            let block = Padding::Block(b).padded_len(n);
            prop_assert!(block.is_multiple_of(usize::from(b)) && block > n && block <= n + usize::from(b));
            prop_assert!(Padding::Block(b).is_padded_len(block));

            let l = n + 1;
            let p = Padding::Padme.padded_len(n);
            let e = usize::BITS - 1 - l.leading_zeros();
            let s = u32::BITS - e.leading_zeros();
            prop_assert!(p >= l && p - l < (1 << (e - s)), "{} -> {}", l, p);
            prop_assert!(p.is_multiple_of(1 << (e - s)));
            prop_assert!((p - l) as f64 <= 0.12 * l as f64);
            prop_assert!(Padding::Padme.is_padded_len(p));

            for padding in [Padding::None, Padding::Block(b), Padding::Padme] {
                let value = vec![byte; n % 3000];
                let mut out = vec![9];
                push_padded(&mut out, &value, padding);
                prop_assert_eq!(out.len() - 1, padding.padded_len(value.len()));
                prop_assert_eq!(unpadded_len(&out[1..], padding), Some(value.len()));
            }
        }
    }
}
