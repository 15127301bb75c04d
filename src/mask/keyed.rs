//! Keyed rules: HMAC hashes and per-subject date shifts, with keys derived once from a keyset.

use crate::ids::{calendar, date};
use crate::keys::mac::SuiteMac;
use crate::keys::{DerivationContext, KeyUse};
use crate::{Error, ErrorKind, Keyset, Result};
use serde::{Deserialize, Serialize};

/// An HMAC key ready for use, derived once for a column.
#[derive(Clone)]
pub(crate) struct MacKey(SuiteMac);

impl MacKey {
    /// Derives the key for `key_use` in (`dataset`, `field`) under the keyset's primary version.
    pub(crate) fn derive(keyset: &Keyset, key_use: KeyUse, dataset: &str, field: &str) -> Result<MacKey> {
        let (suite, key) = keyset.derive(keyset.primary_id(), key_use, DerivationContext::Field { dataset, field })?;
        Ok(MacKey(SuiteMac::new(suite, key.expose())))
    }

    /// The 32-byte tag of `data`.
    pub(crate) fn tag(&self, data: &[u8]) -> [u8; 32] {
        self.0.mac(data)
    }
}

/// How [`KeyedHash`] writes the tag.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HashEncoding {
    /// Lowercase hexadecimal (64 characters in full).
    #[default]
    Hex,
    /// RFC 4648 base32, uppercase, unpadded (52 characters in full).
    Base32,
}

/// Replaces a value by its keyed hash (HMAC-SHA-256 or HMAC-SM3 with a key derived from the
/// keyset for the column), so equal values stay equal and joinable inside one column while nobody
/// without the keyset can test a guess. `{"rule":"hash","length":16}`: `13800138000` →
/// 16 hex digits. Built with [`Masker::with_keyset`](super::Masker::with_keyset).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KeyedHash {
    /// Output encoding (default hex).
    pub encoding: HashEncoding,
    /// Keep only this many characters (8 or more; default: all).
    pub length: Option<usize>,
}

impl KeyedHash {
    pub(crate) fn check(&self) -> Result<()> {
        if self.length.is_some_and(|l| l < 8) {
            return Err(Error::new(ErrorKind::InvalidArgument, "hash rule: length must be at least 8"));
        }
        Ok(())
    }

    pub(crate) fn mask(&self, key: &MacKey, v: &str, out: &mut String) -> bool {
        let tag = key.tag(v.as_bytes());
        let limit = self.length.unwrap_or(usize::MAX);
        match self.encoding {
            HashEncoding::Hex => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let digits = tag.iter().flat_map(|b| [HEX[(b >> 4) as usize], HEX[(b & 15) as usize]]);
                out.extend(digits.take(limit).map(char::from));
            }
            HashEncoding::Base32 => {
                const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
                let mut n = 0;
                let (mut acc, mut bits) = (0u32, 0);
                for &b in &tag {
                    acc = (acc << 8) | b as u32;
                    bits += 8;
                    while bits >= 5 && n < limit {
                        bits -= 5;
                        out.push(B32[((acc >> bits) & 31) as usize] as char);
                        n += 1;
                    }
                }
                if bits > 0 && n < limit {
                    out.push(B32[((acc << (5 - bits)) & 31) as usize] as char);
                }
            }
        }
        true
    }
}

/// Shifts every date of one subject (a person, a case) by the same secret offset of 1 to
/// `max_days` days, forwards or backwards, derived with HMAC from the subject id; so intervals
/// between one subject's dates survive while calendar dates do not. The time part is kept.
/// `{"rule":"date_shift","max_days":180}`; the column form takes the subject ids as `subjects`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DateShift {
    /// Largest shift in days (1 to 3650; default 180).
    pub max_days: u32,
}

impl Default for DateShift {
    fn default() -> Self {
        DateShift { max_days: 180 }
    }
}

impl DateShift {
    pub(crate) fn check(&self) -> Result<()> {
        if !(1..=3650).contains(&self.max_days) {
            return Err(Error::new(ErrorKind::InvalidArgument, "date_shift rule: max_days must be 1 to 3650"));
        }
        Ok(())
    }

    /// The subject's offset in days: never 0, in `-max_days..=max_days`.
    pub(crate) fn offset(&self, key: &MacKey, subject: &[u8]) -> i64 {
        let tag = key.tag(subject);
        let x = u64::from_be_bytes(tag[..8].try_into().unwrap_or_default());
        let max = self.max_days as i64;
        let k = (x % (2 * self.max_days as u64)) as i64;
        if k < max {
            k - max
        } else {
            k - max + 1
        }
    }

    pub(crate) fn mask(&self, key: &MacKey, subject: &[u8], v: &str, out: &mut String) -> bool {
        let Some(d) = date::parse(v) else { return false };
        let days = calendar::days_from_civil(i64::from(d.year), d.month, d.day) + self.offset(key, subject);
        let (y, m, dd) = calendar::civil_from_days(days);
        if !(1000..=9999).contains(&y) {
            return false;
        }
        date::write(out, d.style, y, m, dd, 3);
        out.push_str(&v[d.time_at..]);
        true
    }
}
