//! Deterministic encryption for equality joins: AES-SIV (RFC 5297, AES-256) or SIV over SM4.
//! Record binding is off: equal values in the same (dataset, field) give equal ciphertexts.

use super::{Column, Encoding, Values};
use crate::keys::{KeyId, Keyset};
use crate::Result;

/// Encrypts and decrypts one column deterministically.
pub struct DeterministicCipher {
    _private: (),
}

impl DeterministicCipher {
    /// A cipher for `field` of `dataset`, encrypting under the keyset's primary.
    pub fn new(keyset: &Keyset, dataset: &str, field: &str) -> Result<DeterministicCipher> {
        todo!("{keyset:?} {dataset} {field}")
    }
    /// The key version new ciphertexts are made under.
    pub fn primary_id(&self) -> KeyId {
        todo!()
    }
    /// Encrypts one value (binary form).
    pub fn encrypt(&self, plaintext: &[u8]) -> Result<Vec<u8>> {
        todo!("{plaintext:?}")
    }
    /// Decrypts one binary ciphertext.
    pub fn decrypt(&self, ciphertext: &[u8]) -> Result<Vec<u8>> {
        todo!("{ciphertext:?}")
    }
    /// Encrypts one value into the text form.
    pub fn encrypt_text(&self, plaintext: &[u8]) -> Result<String> {
        todo!("{plaintext:?}")
    }
    /// Decrypts one text-form ciphertext.
    pub fn decrypt_text(&self, text: &str) -> Result<Vec<u8>> {
        todo!("{text}")
    }
    /// Encrypts a column.
    pub fn encrypt_column<V: Values + ?Sized>(&self, values: &V, encoding: Encoding) -> Result<Column> {
        todo!("{} {encoding:?}", values.count())
    }
    /// Decrypts a column of ciphertexts in `encoding`.
    pub fn decrypt_column<V: Values + ?Sized>(&self, ciphertexts: &V, encoding: Encoding) -> Result<Column> {
        todo!("{} {encoding:?}", ciphertexts.count())
    }
}
