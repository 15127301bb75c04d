//! [`FieldCipher`]: the one interface of every field-encryption scheme, so that a caller (a sharing
//! policy, a C, Python or Java binding) holds a `Box<dyn FieldCipher>` per column and asks it what it
//! is ([`scheme`](FieldCipher::scheme), [`key_id`](FieldCipher::key_id),
//! [`binding`](FieldCipher::binding)) instead of knowing each type. Every rule about which scheme
//! allows what lives in the implementations: only randomized encryption takes record ids, tokens
//! are one-way, format-preserving values are text.
//!
//! ```
//! use privshare::fle::{Alphabet, Encoding, FieldCipher, Ff1Cipher, RandomizedCipher, Scheme};
//! use privshare::{Keyset, OnInvalid, Suite};
//! let keyset = Keyset::generate(Suite::Aes)?;
//! let version = keyset.primary_id();
//! let columns: Vec<Box<dyn FieldCipher>> = vec![
//!     Box::new(RandomizedCipher::new(&keyset, "census", "name")?),
//!     Box::new(Ff1Cipher::new(&keyset, version, "census", "account", Alphabet::digits())?),
//! ];
//! let values = ["0123456789", "x"];
//! for c in &columns {
//!     let out = c.encrypt_column(&values, None, Encoding::Text, OnInvalid::Null)?;
//!     match c.scheme() {
//!         Scheme::Randomized => assert!(out.invalid_rows().is_empty()),
//!         _ => assert_eq!(out.invalid_rows(), [1]), // "x" is too short and not a digit
//!     }
//! }
//! # Ok::<(), privshare::Error>(())
//! ```

use super::Encoding;
use crate::column::{Column, OnInvalid, Values};
use crate::keys::{DerivationContext, KeyId};
use crate::{Error, ErrorKind, Result};

/// The field-encryption schemes. The numbers ([`id`](Scheme::id)) are the C ABI's
/// `PRIVSHARE_SCHEME_*` constants and never change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Scheme {
    /// AES-256-GCM / SM4-GCM ([`RandomizedCipher`](super::RandomizedCipher)).
    Randomized,
    /// AES-SIV / SM4-SIV ([`DeterministicCipher`](super::DeterministicCipher)).
    Deterministic,
    /// FF1 over an alphabet ([`Ff1Cipher`](super::Ff1Cipher)).
    Ff1,
    /// Resident identity numbers ([`ResidentIdCipher`](super::ResidentIdCipher)).
    ResidentId,
    /// Mobile numbers ([`MobileCipher`](super::MobileCipher)).
    Mobile,
    /// Bank card numbers ([`BankCardCipher`](super::BankCardCipher)).
    BankCard,
    /// One-way linkage tokens ([`Tokenizer`](super::Tokenizer)).
    Token,
}

impl Scheme {
    /// Every scheme, in the order of [`id`](Self::id).
    pub const ALL: [Scheme; 7] = [
        Scheme::Randomized,
        Scheme::Deterministic,
        Scheme::Ff1,
        Scheme::ResidentId,
        Scheme::Mobile,
        Scheme::BankCard,
        Scheme::Token,
    ];

    /// Stable number, 1 to 7 (the C ABI's `PRIVSHARE_SCHEME_*`).
    pub fn id(self) -> u32 {
        match self {
            Scheme::Randomized => 1,
            Scheme::Deterministic => 2,
            Scheme::Ff1 => 3,
            Scheme::ResidentId => 4,
            Scheme::Mobile => 5,
            Scheme::BankCard => 6,
            Scheme::Token => 7,
        }
    }

    /// Stable name: `"randomized"`, `"deterministic"`, `"ff1"`, `"resident_id"`, `"mobile"`,
    /// `"bank_card"`, `"token"`.
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Randomized => "randomized",
            Scheme::Deterministic => "deterministic",
            Scheme::Ff1 => "ff1",
            Scheme::ResidentId => "resident_id",
            Scheme::Mobile => "mobile",
            Scheme::BankCard => "bank_card",
            Scheme::Token => "token",
        }
    }

    /// True for the schemes whose output has the input's format (and no key id).
    pub fn is_format_preserving(self) -> bool {
        matches!(self, Scheme::Ff1 | Scheme::ResidentId | Scheme::Mobile | Scheme::BankCard)
    }

    /// False for tokens, which cannot be decrypted.
    pub fn is_reversible(self) -> bool {
        self != Scheme::Token
    }
}

impl std::fmt::Display for Scheme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What a cipher's outputs are bound to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Binding<'a> {
    /// The context the key is derived for (dataset and field, or a token purpose); for the
    /// authenticated schemes it is also in every ciphertext's associated data.
    pub context: DerivationContext<'a>,
    /// True when the context is authenticated (randomized and deterministic encryption): a value
    /// decrypted in another context fails with `AuthenticationFailed`. False for format-preserving
    /// schemes, where another context decrypts to a wrong but valid value, and for tokens.
    pub authenticated: bool,
    /// True when each value may also be bound to its record id (randomized only; the others refuse
    /// a record id with `InvalidArgument`).
    pub record: bool,
}

/// One column's cipher, whatever its scheme. `Send + Sync`: build it once (keys are derived at
/// construction) and share it.
///
/// Encodings: randomized and deterministic ciphertexts are the binary layout or its text form
/// (`ps1:…`); tokens are 32 bytes or the text form (`pt1:…`); format-preserving values are text in
/// both encodings. Decrypting takes the same encoding the ciphertexts were made in.
pub trait FieldCipher: Send + Sync + std::fmt::Debug {
    /// The scheme.
    fn scheme(&self) -> Scheme;

    /// The key version new outputs are made under. Format-preserving outputs do not carry it:
    /// record it to decrypt later.
    fn key_id(&self) -> KeyId;

    /// What the outputs are bound to.
    fn binding(&self) -> Binding<'_>;

    /// How new ciphertexts are padded ([`Padding::None`](super::Padding::None) for every scheme
    /// but randomized and deterministic encryption, whose outputs have no room to hide a length).
    fn padding(&self) -> super::Padding {
        super::Padding::None
    }

    /// Encrypts (or tokenizes) one value, bound to `record` if given (randomized only).
    fn encrypt_value(&self, record: Option<&[u8]>, value: &[u8], encoding: Encoding) -> Result<Vec<u8>>;

    /// Decrypts one value made by the same scheme, context and (for AEAD) record. Tokens refuse
    /// with `InvalidArgument`.
    fn decrypt_value(&self, record: Option<&[u8]>, value: &[u8], encoding: Encoding) -> Result<Vec<u8>>;

    /// Encrypts a column; `records`, if given, has one record id per value (randomized only).
    /// Values that cannot be encrypted are handled as `on_invalid` says; errors name the row.
    fn encrypt_column(
        &self,
        values: &dyn Values,
        records: Option<&dyn Values>,
        encoding: Encoding,
        on_invalid: OnInvalid,
    ) -> Result<Column>;

    /// Decrypts a column (see [`encrypt_column`](Self::encrypt_column)); a ciphertext that does not
    /// decrypt is an invalid value.
    fn decrypt_column(
        &self,
        values: &dyn Values,
        records: Option<&dyn Values>,
        encoding: Encoding,
        on_invalid: OnInvalid,
    ) -> Result<Column>;

    /// [`encrypt_value`](Self::encrypt_value) in the text form.
    fn encrypt_text(&self, record: Option<&[u8]>, value: &[u8]) -> Result<String> {
        String::from_utf8(self.encrypt_value(record, value, Encoding::Text)?)
            .map_err(|_| Error::new(ErrorKind::Internal, "text-form output is not UTF-8"))
    }

    /// [`decrypt_value`](Self::decrypt_value) of a text-form value.
    fn decrypt_text(&self, record: Option<&[u8]>, text: &str) -> Result<Vec<u8>> {
        self.decrypt_value(record, text.as_bytes(), Encoding::Text)
    }
}

/// `InvalidArgument` unless `records` is `None`: for every scheme but randomized encryption.
pub(crate) fn refuse_records<T>(records: Option<T>) -> Result<()> {
    match records {
        None => Ok(()),
        Some(_) => Err(Error::new(ErrorKind::InvalidArgument, "only the randomized scheme binds a record id")),
    }
}

/// A value that must be text (format-preserving input, a text-form ciphertext): `kind` with the
/// offset of the first bad byte otherwise.
pub(crate) fn text_of(value: &[u8], kind: ErrorKind) -> Result<&str> {
    std::str::from_utf8(value).map_err(|e| {
        let what = if kind == ErrorKind::NotUtf8 { "value is not UTF-8" } else { "not a text-form ciphertext" };
        Error::new(kind, what).at_offset(e.valid_up_to() as u64)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheme_numbers_and_names_are_stable() {
        let got: Vec<(u32, &str)> = Scheme::ALL.iter().map(|s| (s.id(), s.name())).collect();
        assert_eq!(
            got,
            [
                (1, "randomized"),
                (2, "deterministic"),
                (3, "ff1"),
                (4, "resident_id"),
                (5, "mobile"),
                (6, "bank_card"),
                (7, "token")
            ]
        );
        assert!(Scheme::Mobile.is_format_preserving() && !Scheme::Token.is_reversible());
    }

    #[test]
    fn text_of_names_the_offset() {
        let e = text_of(b"ab\xff", ErrorKind::MalformedCiphertext).unwrap_err();
        assert_eq!((e.kind(), e.position().offset), (ErrorKind::MalformedCiphertext, Some(2)));
        assert_eq!(refuse_records(Some(1)).unwrap_err().kind(), ErrorKind::InvalidArgument);
    }
}
