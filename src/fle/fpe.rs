//! Format-preserving encryption over a declared alphabet (FF1, NIST SP 800-38G, over AES or SM4).
//!
//! A value of `n` characters from an alphabet of `radix` characters becomes the numeral string of
//! their indexes, FF1 encrypts it with an **empty tweak** under a key derived for
//! `(KeyUse::Ff1, dataset, field)`, and the result is written back with the same alphabet. The
//! exact mapping is specified in `docs/formats/fpe.md`.
//!
//! ```
//! use privshare::fle::{Alphabet, Ff1Cipher};
//! use privshare::{Keyset, Suite};
//! let keyset = Keyset::generate(Suite::Aes)?;
//! let cipher = Ff1Cipher::new(&keyset, "census", "phone", Alphabet::digits())?;
//! let ct = cipher.encrypt("0123456789")?;
//! assert_eq!(ct.len(), 10);
//! assert!(ct.bytes().all(|c| c.is_ascii_digit()));
//! assert_eq!(cipher.decrypt(&ct)?, "0123456789");
//! # Ok::<(), privshare::Error>(())
//! ```

use super::ff1::{self, Prepared, SuiteFf1, MAX_LEN};
use crate::column::{map_column, Column, Values};
use crate::keys::{DerivationContext, KeyId, KeyUse, Keyset};
use crate::{Error, ErrorKind, Result};

/// Marks an ASCII character that is not in the alphabet.
const ABSENT: u32 = u32::MAX;

/// The characters a format-preserving value is made of; its size is FF1's radix. A character's
/// numeral is its position in the alphabet (first character = 0).
///
/// ```
/// use privshare::fle::Alphabet;
/// let hex = Alphabet::custom("0123456789abcdef")?;
/// assert_eq!((hex.radix(), hex.index_of('c'), hex.char_at(15)), (16, Some(12), Some('f')));
/// assert!(Alphabet::custom("abca").is_err()); // repeated character
/// # Ok::<(), privshare::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Alphabet {
    chars: Vec<char>,
    /// Numeral of each ASCII character, or [`ABSENT`].
    ascii: Box<[u32; 128]>,
    /// Non-ASCII characters with their numerals, sorted by character.
    other: Vec<(char, u32)>,
}

impl std::fmt::Debug for Alphabet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown: String = self.chars.iter().take(64).collect();
        let more = if self.chars.len() > 64 { "…" } else { "" };
        write!(f, "Alphabet {{ radix: {}, chars: {:?}{} }}", self.chars.len(), shown, more)
    }
}

impl Alphabet {
    /// `0-9`.
    pub fn digits() -> Alphabet {
        Alphabet::custom("0123456789").expect("valid alphabet")
    }
    /// `0-9A-Za-z`.
    pub fn alphanumeric() -> Alphabet {
        Alphabet::custom("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz").expect("valid alphabet")
    }
    /// Any set of distinct characters (2 to 65536 of them), in the given order.
    /// `InvalidArgument` otherwise (the message names the offset of a repeated character).
    pub fn custom(chars: &str) -> Result<Alphabet> {
        let list: Vec<char> = chars.chars().collect();
        if !(2..=ff1::MAX_RADIX as usize).contains(&list.len()) {
            return Err(Error::new(ErrorKind::InvalidArgument, "an alphabet needs 2 to 65536 distinct characters"));
        }
        let mut ascii = Box::new([ABSENT; 128]);
        let mut other = Vec::new();
        for (i, (offset, c)) in chars.char_indices().enumerate() {
            let fresh = if c.is_ascii() {
                std::mem::replace(&mut ascii[c as usize], i as u32) == ABSENT
            } else {
                other.push((c, i as u32));
                true
            };
            if !fresh {
                return Err(repeated(offset));
            }
        }
        other.sort_unstable();
        if let Some(w) = other.windows(2).find(|w| w[0].0 == w[1].0) {
            let offset = chars.char_indices().filter(|&(_, c)| c == w[0].0).nth(1).map_or(0, |(o, _)| o);
            return Err(repeated(offset));
        }
        Ok(Alphabet { chars: list, ascii, other })
    }
    /// Number of characters (the radix).
    pub fn radix(&self) -> u32 {
        self.chars.len() as u32
    }
    /// The numeral of `c`, if it is in the alphabet.
    #[inline]
    pub fn index_of(&self, c: char) -> Option<u32> {
        if c.is_ascii() {
            Some(self.ascii[c as usize]).filter(|&i| i != ABSENT)
        } else {
            self.other.binary_search_by_key(&c, |&(ch, _)| ch).ok().map(|k| self.other[k].1)
        }
    }
    /// The character of numeral `i`, if `i < radix`.
    pub fn char_at(&self, i: u32) -> Option<char> {
        self.chars.get(i as usize).copied()
    }
    /// Whether every character is ASCII (one byte per character, so byte length = character count).
    pub fn is_ascii(&self) -> bool {
        self.other.is_empty()
    }
}

/// A value's numerals; only the first `n` are ever written, and those are wiped on drop (wiping
/// all of them would cost more than the FF1 call for short values).
struct Numerals {
    xs: [u16; MAX_LEN],
    n: usize,
}

impl Drop for Numerals {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.xs[..self.n]);
    }
}

fn repeated(offset: usize) -> Error {
    Error::new(ErrorKind::InvalidArgument, format!("alphabet repeats a character (byte offset {offset})"))
}

/// FF1 over an alphabet for one column. Output has the same length and alphabet as the input.
/// Format-preserving values carry no key id: the cipher uses one fixed version (the primary,
/// unless [`with_version`](Self::with_version) names another), and whoever decrypts must be told
/// that version out of band (e.g. by the sharing policy or the envelope).
///
/// Accepted lengths: from the shortest with `radix^n >= 1,000,000` to the longest with
/// `radix^ceil(n/2) <= 2^96` (6..=56 digits, 4..=32 alphanumerics; see [`ff1`]).
pub struct Ff1Cipher {
    key_id: KeyId,
    alphabet: Alphabet,
    ff1: SuiteFf1,
    min_len: usize,
    /// `prepared[n - min_len]`: FF1 precomputation (empty tweak) for length `n`.
    prepared: Vec<Prepared>,
}

impl std::fmt::Debug for Ff1Cipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ff1Cipher").field("key_id", &self.key_id).field("alphabet", &self.alphabet).finish()
    }
}

impl Ff1Cipher {
    /// Under the keyset's primary version.
    pub fn new(keyset: &Keyset, dataset: &str, field: &str, alphabet: Alphabet) -> Result<Ff1Cipher> {
        Self::with_version(keyset, keyset.primary_id(), dataset, field, alphabet)
    }
    /// Under version `id`.
    pub fn with_version(
        keyset: &Keyset,
        id: KeyId,
        dataset: &str,
        field: &str,
        alphabet: Alphabet,
    ) -> Result<Ff1Cipher> {
        let (suite, key) = keyset.derive(id, KeyUse::Ff1, DerivationContext::Field { dataset, field })?;
        let radix = alphabet.radix();
        let ff1 = SuiteFf1::new(suite, key.expose(), radix)?;
        let (min_len, max_len) = (ff1::min_len(radix), ff1::max_len(radix));
        let prepared = (min_len..=max_len).map(|n| ff1.prepare(&[], n)).collect::<Result<Vec<_>>>()?;
        Ok(Ff1Cipher { key_id: id, alphabet, ff1, min_len, prepared })
    }
    /// The key version in use.
    pub fn key_id(&self) -> KeyId {
        self.key_id
    }
    /// The alphabet.
    pub fn alphabet(&self) -> &Alphabet {
        &self.alphabet
    }
    /// Shortest and longest accepted length, in characters.
    pub fn length_range(&self) -> (usize, usize) {
        (self.min_len, self.min_len + self.prepared.len() - 1)
    }
    /// Encrypts one value. Errors: `EmptyValue`, `OutsideAlphabet` (with the offset),
    /// `DomainTooSmall` (radix^length < 1,000,000), `ValueTooLong`.
    pub fn encrypt(&self, value: &str) -> Result<String> {
        let mut out = Vec::with_capacity(value.len());
        self.transform(value, &mut out, true)?;
        String::from_utf8(out).map_err(|_| Error::new(ErrorKind::Internal, "FF1 output is not UTF-8"))
    }
    /// Decrypts one value.
    pub fn decrypt(&self, value: &str) -> Result<String> {
        let mut out = Vec::with_capacity(value.len());
        self.transform(value, &mut out, false)?;
        String::from_utf8(out).map_err(|_| Error::new(ErrorKind::Internal, "FF1 output is not UTF-8"))
    }
    /// Encrypts a column (values must be UTF-8: `NotUtf8` names the row otherwise).
    pub fn encrypt_column<V: Values + ?Sized>(&self, values: &V) -> Result<Column> {
        self.column(values, true)
    }
    /// Decrypts a column.
    pub fn decrypt_column<V: Values + ?Sized>(&self, values: &V) -> Result<Column> {
        self.column(values, false)
    }

    fn column<V: Values + ?Sized>(&self, values: &V, encrypt: bool) -> Result<Column> {
        map_column(values, None, 16, |v, _, out| {
            let s = std::str::from_utf8(v)
                .map_err(|e| Error::new(ErrorKind::NotUtf8, "value is not UTF-8").at_offset(e.valid_up_to() as u64))?;
            self.transform(s, out, encrypt)
        })
    }

    /// Maps `value` to numerals, runs FF1, appends the result's characters to `out`.
    fn transform(&self, value: &str, out: &mut Vec<u8>, encrypt: bool) -> Result<()> {
        if value.is_empty() {
            return Err(Error::new(ErrorKind::EmptyValue, "format-preserving encryption needs a non-empty value"));
        }
        let (min_len, max_len) = self.length_range();
        // Numerals live on the stack (no allocation per value); the used part is wiped on every exit.
        let mut numerals = Numerals { xs: [0; MAX_LEN], n: 0 };
        let Numerals { xs, n } = &mut numerals;
        for (offset, c) in value.char_indices() {
            let Some(i) = self.alphabet.index_of(c) else {
                return Err(
                    Error::new(ErrorKind::OutsideAlphabet, "character outside the alphabet").at_offset(offset as u64)
                );
            };
            if *n == max_len {
                return Err(Error::new(
                    ErrorKind::ValueTooLong,
                    format!(
                        "value longer than {max_len} characters (the FF1 limit for radix {})",
                        self.alphabet.radix()
                    ),
                )
                .at_offset(offset as u64));
            }
            xs[*n] = i as u16;
            *n += 1;
        }
        let n = *n;
        if n < min_len {
            ff1::check_domain(self.alphabet.radix(), n)?;
            return Err(Error::new(ErrorKind::Internal, "length check disagrees with the domain check"));
        }
        let p = &self.prepared[n - min_len];
        let radix = self.alphabet.radix();
        let (a, b) = ff1::halves(radix, &xs[..n]);
        let (a, b) = if encrypt { self.ff1.encrypt_halves(p, a, b)? } else { self.ff1.decrypt_halves(p, a, b)? };
        ff1::unhalves(radix, a, b, &mut xs[..n]);
        out.reserve(value.len());
        for &x in &xs[..n] {
            let c = self.alphabet.chars[x as usize];
            if c.is_ascii() {
                out.push(c as u8);
            } else {
                out.extend_from_slice(c.encode_utf8(&mut [0u8; 4]).as_bytes());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alphabets() {
        assert_eq!(Alphabet::digits().radix(), 10);
        assert_eq!(Alphabet::alphanumeric().radix(), 62);
        let a = Alphabet::custom("aé漢z").unwrap();
        assert_eq!((a.radix(), a.index_of('漢'), a.index_of('z'), a.index_of('b')), (4, Some(2), Some(3), None));
        assert_eq!(a.char_at(1), Some('é'));
        assert!(!a.is_ascii());
        for bad in ["", "a", "abca", "aé漢é"] {
            assert_eq!(Alphabet::custom(bad).unwrap_err().kind(), ErrorKind::InvalidArgument, "{bad:?}");
        }
        let e = Alphabet::custom("aé漢é").unwrap_err();
        assert!(e.message().contains("byte offset 6"), "{}", e.message());
    }
}
