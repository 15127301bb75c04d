//! Structure-aware format-preserving encryption: the output is itself a valid identifier.

use super::{Column, Values};
use crate::keys::{KeyId, Keyset};
use crate::Result;

/// An inclusive range of birth dates, as `(year, month, day)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateRange {
    /// First date in the range.
    pub start: (u16, u8, u8),
    /// Last date in the range.
    pub end: (u16, u8, u8),
}

impl Default for DateRange {
    /// 1900-01-01 to 2099-12-31.
    fn default() -> DateRange {
        DateRange { start: (1900, 1, 1), end: (2099, 12, 31) }
    }
}

macro_rules! structured_cipher {
    ($name:ident, $doc:literal) => {
        #[doc = $doc]
        pub struct $name {
            _private: (),
        }
        impl $name {
            /// The key version in use.
            pub fn key_id(&self) -> KeyId {
                todo!()
            }
            /// Encrypts one valid identifier into another valid identifier of the same kind.
            /// Errors: `EmptyValue`, `InvalidIdentifier` (with the offset where parsing failed).
            pub fn encrypt(&self, value: &str) -> Result<String> {
                todo!("{value}")
            }
            /// Decrypts one value.
            pub fn decrypt(&self, value: &str) -> Result<String> {
                todo!("{value}")
            }
            /// Encrypts a column.
            pub fn encrypt_column<V: Values + ?Sized>(&self, values: &V) -> Result<Column> {
                todo!("{}", values.count())
            }
            /// Decrypts a column.
            pub fn decrypt_column<V: Values + ?Sized>(&self, values: &V) -> Result<Column> {
                todo!("{}", values.count())
            }
        }
    };
}

structured_cipher!(
    ResidentIdCipher,
    "18-character resident identity numbers (GB 11643): region code kept, birth date a real date in \
     the range, sequence keeps its sex parity, check character recomputed (ISO 7064 MOD 11-2)."
);
structured_cipher!(
    MobileCipher,
    "11-digit mainland mobile numbers: the 3-digit carrier prefix kept, the other 8 digits encrypted."
);
structured_cipher!(
    BankCardCipher,
    "Bank card numbers (16 to 19 digits): the 6-digit issuer prefix kept, Luhn check digit recomputed."
);

impl ResidentIdCipher {
    /// Under the keyset's primary version, with birth dates in `range`.
    pub fn new(keyset: &Keyset, dataset: &str, field: &str, range: DateRange) -> Result<ResidentIdCipher> {
        todo!("{keyset:?} {dataset} {field} {range:?}")
    }
    /// Under version `id`.
    pub fn with_version(
        keyset: &Keyset,
        id: KeyId,
        dataset: &str,
        field: &str,
        range: DateRange,
    ) -> Result<ResidentIdCipher> {
        todo!("{keyset:?} {id} {dataset} {field} {range:?}")
    }
}

impl MobileCipher {
    /// Under the keyset's primary version.
    pub fn new(keyset: &Keyset, dataset: &str, field: &str) -> Result<MobileCipher> {
        todo!("{keyset:?} {dataset} {field}")
    }
    /// Under version `id`.
    pub fn with_version(keyset: &Keyset, id: KeyId, dataset: &str, field: &str) -> Result<MobileCipher> {
        todo!("{keyset:?} {id} {dataset} {field}")
    }
}

impl BankCardCipher {
    /// Under the keyset's primary version.
    pub fn new(keyset: &Keyset, dataset: &str, field: &str) -> Result<BankCardCipher> {
        todo!("{keyset:?} {dataset} {field}")
    }
    /// Under version `id`.
    pub fn with_version(keyset: &Keyset, id: KeyId, dataset: &str, field: &str) -> Result<BankCardCipher> {
        todo!("{keyset:?} {id} {dataset} {field}")
    }
}
