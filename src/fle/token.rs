//! Keyed linkage tokens: HMAC-SHA-256 or HMAC-SM3 under a key derived for a purpose. One-way.

use super::{Column, Values};
use crate::keys::{KeyId, Keyset};
use crate::Result;

/// Computes linkage tokens for one purpose. The same value gives the same token in every dataset
/// under the same keyset version and purpose; two purposes give unlinkable tokens.
pub struct Tokenizer {
    _private: (),
}

impl Tokenizer {
    /// A tokenizer for `purpose` under the keyset's primary version.
    pub fn new(keyset: &Keyset, purpose: &str) -> Result<Tokenizer> {
        todo!("{keyset:?} {purpose}")
    }
    /// A tokenizer under a given version (to reproduce tokens made before a rotation).
    pub fn with_version(keyset: &Keyset, id: KeyId, purpose: &str) -> Result<Tokenizer> {
        todo!("{keyset:?} {id} {purpose}")
    }
    /// The key version tokens are made under.
    pub fn key_id(&self) -> KeyId {
        todo!()
    }
    /// The 32-byte token of `value`.
    pub fn token(&self, value: &[u8]) -> Result<[u8; 32]> {
        todo!("{value:?}")
    }
    /// The token in text form.
    pub fn token_text(&self, value: &[u8]) -> Result<String> {
        todo!("{value:?}")
    }
    /// Text-form tokens of a column.
    pub fn token_column<V: Values + ?Sized>(&self, values: &V) -> Result<Column> {
        todo!("{}", values.count())
    }
}
