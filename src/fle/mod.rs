//! Field-level encryption: every value bound to its [`FieldContext`].
//!
//! | scheme | type | suites | reversible | output |
//! |---|---|---|---|---|
//! | randomized | [`RandomizedCipher`] | AES-256-GCM, SM4-GCM | yes | ciphertext ([`format`](mod@format)) |
//! | deterministic (joins) | [`DeterministicCipher`] | AES-SIV, SM4-SIV | yes | ciphertext ([`format`](mod@format)) |
//! | format-preserving | [`Ff1Cipher`] | FF1 over AES / SM4 | yes | same alphabet and length |
//! | structure-aware FPE | [`ResidentIdCipher`], [`MobileCipher`], [`BankCardCipher`] | FF1 over AES / SM4 | yes | a valid identifier |
//! | linkage tokens | [`Tokenizer`] | HMAC-SHA-256, HMAC-SM3 | no | token |
//!
//! Ciphers are built once per column from a [`Keyset`](crate::Keyset) (keys derived once), are
//! `Send + Sync`, and offer typed single-value methods of their own plus the common
//! [`FieldCipher`] interface: value and whole-column ([`Values`](crate::Values) in,
//! [`Column`](crate::Column) out) encryption with an [`OnInvalid`](crate::OnInvalid) choice, the
//! scheme, the key version and what the outputs are bound to.
//!
//! SM4 is the `sm4-ct` crate's: no branch or memory index depends on a key or on data, in every
//! SM scheme above (GCM, SIV, FF1, and the SM4 key-encryption key of stored keysets). GHASH and SM3
//! have the same property; FF1's arithmetic on the numerals and all parsing do not. The full list
//! is in `docs/ARCHITECTURE.md`, "Timing".

pub(crate) mod aead;
pub mod cipher;
pub mod context;
pub mod deterministic;
pub(crate) mod ff1;
pub mod format;
pub mod fpe;
pub(crate) mod gcm;
pub mod padding;
pub mod randomized;
pub(crate) mod sealer;
pub mod structured;
pub mod token;

pub use cipher::{Binding, FieldCipher, Scheme};
pub use context::FieldContext;
pub use deterministic::DeterministicCipher;
pub use fpe::{Alphabet, Ff1Cipher};
pub use padding::Padding;
pub use randomized::RandomizedCipher;
pub use structured::{BankCardCipher, DateRange, MobileCipher, ResidentIdCipher};
pub use token::Tokenizer;

/// How ciphertexts are represented in a column: raw bytes, or the text form for CSV / JSON cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Encoding {
    /// The binary layout of `docs/formats/field-ciphertext.md`.
    Binary,
    /// The text form: prefix `ps1:` followed by unpadded base64url of the binary layout.
    #[default]
    Text,
}
