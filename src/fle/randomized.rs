//! Randomized encryption: AES-256-GCM (ring) or SM4-GCM, a fresh 96-bit nonce per value.

use super::{Column, Encoding, FieldContext, Values};
use crate::keys::{KeyId, Keyset};
use crate::Result;

/// Encrypts and decrypts one column with randomized AEAD. Built once per (dataset, field); holds
/// keys derived for every enabled version, so decryption finds rotated-out versions by id.
pub struct RandomizedCipher {
    _private: (),
}

impl RandomizedCipher {
    /// A cipher for `field` of `dataset`, encrypting under the keyset's primary.
    pub fn new(keyset: &Keyset, dataset: &str, field: &str) -> Result<RandomizedCipher> {
        todo!("{keyset:?} {dataset} {field}")
    }
    /// The key version new ciphertexts are made under.
    pub fn primary_id(&self) -> KeyId {
        todo!()
    }
    /// Encrypts one value, bound to `record` if given (the context's record is `record`).
    pub fn encrypt(&self, record: Option<&[u8]>, plaintext: &[u8]) -> Result<Vec<u8>> {
        todo!("{record:?} {plaintext:?}")
    }
    /// Decrypts one binary ciphertext made for the same dataset, field and record.
    pub fn decrypt(&self, record: Option<&[u8]>, ciphertext: &[u8]) -> Result<Vec<u8>> {
        todo!("{record:?} {ciphertext:?}")
    }
    /// Encrypts one value into the text form (`ps1:…`).
    pub fn encrypt_text(&self, record: Option<&[u8]>, plaintext: &[u8]) -> Result<String> {
        todo!("{record:?} {plaintext:?}")
    }
    /// Decrypts one text-form ciphertext.
    pub fn decrypt_text(&self, record: Option<&[u8]>, text: &str) -> Result<Vec<u8>> {
        todo!("{record:?} {text}")
    }
    /// Encrypts a column; `records`, if given, has one record id per value.
    pub fn encrypt_column<V: Values + ?Sized>(
        &self,
        values: &V,
        records: Option<&dyn Values>,
        encoding: Encoding,
    ) -> Result<Column> {
        todo!("{} {:?} {encoding:?}", values.count(), records.map(|r| r.count()))
    }
    /// Decrypts a column of ciphertexts in `encoding`.
    pub fn decrypt_column<V: Values + ?Sized>(
        &self,
        ciphertexts: &V,
        records: Option<&dyn Values>,
        encoding: Encoding,
    ) -> Result<Column> {
        todo!("{} {:?} {encoding:?}", ciphertexts.count(), records.map(|r| r.count()))
    }
    /// The context this cipher binds values to, with `record`.
    pub fn context<'a>(&'a self, record: Option<&'a [u8]>) -> FieldContext<'a> {
        todo!("{record:?}")
    }
}
