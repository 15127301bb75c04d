//! Format-preserving encryption over a declared alphabet (FF1, NIST SP 800-38G, over AES or SM4).

use super::{Column, Values};
use crate::keys::{KeyId, Keyset};
use crate::Result;

/// The characters a format-preserving value is made of; its size is FF1's radix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alphabet {
    _private: (),
}

impl Alphabet {
    /// `0-9`.
    pub fn digits() -> Alphabet {
        todo!()
    }
    /// `0-9A-Za-z`.
    pub fn alphanumeric() -> Alphabet {
        todo!()
    }
    /// Any set of distinct characters (2 to 65536 of them), in the given order.
    pub fn custom(chars: &str) -> Result<Alphabet> {
        todo!("{chars}")
    }
    /// Number of characters (the radix).
    pub fn radix(&self) -> u32 {
        todo!()
    }
}

/// FF1 over an alphabet for one column. Output has the same length and alphabet as the input.
/// Format-preserving values carry no key id: the cipher uses one fixed version (the primary,
/// unless [`with_version`](Self::with_version) names another).
pub struct Ff1Cipher {
    _private: (),
}

impl Ff1Cipher {
    /// Under the keyset's primary version.
    pub fn new(keyset: &Keyset, dataset: &str, field: &str, alphabet: Alphabet) -> Result<Ff1Cipher> {
        todo!("{keyset:?} {dataset} {field} {alphabet:?}")
    }
    /// Under version `id`.
    pub fn with_version(
        keyset: &Keyset,
        id: KeyId,
        dataset: &str,
        field: &str,
        alphabet: Alphabet,
    ) -> Result<Ff1Cipher> {
        todo!("{keyset:?} {id} {dataset} {field} {alphabet:?}")
    }
    /// The key version in use.
    pub fn key_id(&self) -> KeyId {
        todo!()
    }
    /// Encrypts one value. Errors: `EmptyValue`, `OutsideAlphabet` (with the offset),
    /// `DomainTooSmall` (radix^length < 1,000,000), `ValueTooLong`.
    pub fn encrypt(&self, value: &str) -> Result<String> {
        todo!("{value}")
    }
    /// Decrypts one value.
    pub fn decrypt(&self, value: &str) -> Result<String> {
        todo!("{value}")
    }
    /// Encrypts a column (values must be UTF-8: `NotUtf8` names the row otherwise).
    pub fn encrypt_column<V: Values + ?Sized>(&self, values: &V) -> Result<Column> {
        todo!("{}", values.count())
    }
    /// Decrypts a column.
    pub fn decrypt_column<V: Values + ?Sized>(&self, values: &V) -> Result<Column> {
        todo!("{}", values.count())
    }
}
