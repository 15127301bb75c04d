//! One enum over the core's field ciphers, so that C sees a single `privshare_cipher` type with
//! one set of encrypt / decrypt / column functions. Safe code only: the translation of each call
//! to the core, nothing more.

use privshare_core::fle::{
    BankCardCipher, DeterministicCipher, Encoding, Ff1Cipher, MobileCipher, RandomizedCipher, ResidentIdCipher,
    Tokenizer,
};
use privshare_core::{Column, Packed, Values};
use privshare_core::{Error, ErrorKind, KeyId, Result};
use zeroize::Zeroizing;

/// Randomized AEAD (AES-256-GCM / SM4-GCM); the only scheme that binds a record id.
pub const PRIVSHARE_SCHEME_RANDOMIZED: u32 = 1;
/// Deterministic AEAD (AES-SIV / SM4-SIV), for equality joins.
pub const PRIVSHARE_SCHEME_DETERMINISTIC: u32 = 2;
/// FF1 format-preserving encryption over an alphabet.
pub const PRIVSHARE_SCHEME_FF1: u32 = 3;
/// Resident identity numbers (GB 11643) to valid resident identity numbers.
pub const PRIVSHARE_SCHEME_RESIDENT_ID: u32 = 4;
/// Mainland mobile numbers to valid mobile numbers.
pub const PRIVSHARE_SCHEME_MOBILE: u32 = 5;
/// Bank card numbers to valid (Luhn) bank card numbers.
pub const PRIVSHARE_SCHEME_BANK_CARD: u32 = 6;
/// Keyed linkage tokens (HMAC); one-way: decrypt is refused.
pub const PRIVSHARE_SCHEME_TOKEN: u32 = 7;

/// Ciphertexts (and tokens) as text: `ps1:` + base64url, safe in CSV and JSON cells.
pub const PRIVSHARE_ENCODING_TEXT: u32 = 0;
/// Ciphertexts as raw bytes (tokens: the 32 raw bytes).
pub const PRIVSHARE_ENCODING_BINARY: u32 = 1;

pub(crate) fn encoding(id: u32) -> Result<Encoding> {
    match id {
        PRIVSHARE_ENCODING_TEXT => Ok(Encoding::Text),
        PRIVSHARE_ENCODING_BINARY => Ok(Encoding::Binary),
        _ => Err(Error::new(ErrorKind::InvalidArgument, format!("unknown encoding {id} (expected 0 or 1)"))),
    }
}

/// The cipher behind a `privshare_cipher` handle.
// Always lives alone in an `Arc` allocation, never in arrays: the size spread between variants
// costs nothing, and boxing would add a pointer chase to every call.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Scheme {
    Randomized(RandomizedCipher, Encoding),
    Deterministic(DeterministicCipher, Encoding),
    Ff1(Ff1Cipher),
    ResidentId(ResidentIdCipher),
    Mobile(MobileCipher),
    BankCard(BankCardCipher),
    Token(Tokenizer, Encoding),
}

/// Bytes that may be plaintext: zeroized when dropped.
/// cbindgen:ignore
pub(crate) type Secret = Zeroizing<Vec<u8>>;

fn text(value: &[u8], kind: ErrorKind) -> Result<&str> {
    std::str::from_utf8(value).map_err(|e| {
        let what = if kind == ErrorKind::NotUtf8 { "value is not UTF-8" } else { "ciphertext is not text" };
        Error::new(kind, what).at_offset(e.valid_up_to() as u64)
    })
}

fn no_record(record: Option<&[u8]>) -> Result<()> {
    match record {
        None => Ok(()),
        Some(_) => Err(Error::new(ErrorKind::InvalidArgument, "only the randomized scheme binds a record id")),
    }
}

fn one_way() -> Error {
    Error::new(ErrorKind::InvalidArgument, "tokens are one-way: a token cipher cannot decrypt")
}

fn no_records(records: Option<&Packed<'_>>) -> Result<()> {
    no_record(records.map(|_| &[][..]))
}

impl Scheme {
    /// The `PRIVSHARE_SCHEME_*` constant of this cipher.
    pub(crate) fn id(&self) -> u32 {
        match self {
            Scheme::Randomized(..) => PRIVSHARE_SCHEME_RANDOMIZED,
            Scheme::Deterministic(..) => PRIVSHARE_SCHEME_DETERMINISTIC,
            Scheme::Ff1(_) => PRIVSHARE_SCHEME_FF1,
            Scheme::ResidentId(_) => PRIVSHARE_SCHEME_RESIDENT_ID,
            Scheme::Mobile(_) => PRIVSHARE_SCHEME_MOBILE,
            Scheme::BankCard(_) => PRIVSHARE_SCHEME_BANK_CARD,
            Scheme::Token(..) => PRIVSHARE_SCHEME_TOKEN,
        }
    }

    /// The key version new outputs are made under.
    pub(crate) fn key_id(&self) -> KeyId {
        match self {
            Scheme::Randomized(c, _) => c.primary_id(),
            Scheme::Deterministic(c, _) => c.primary_id(),
            Scheme::Ff1(c) => c.key_id(),
            Scheme::ResidentId(c) => c.key_id(),
            Scheme::Mobile(c) => c.key_id(),
            Scheme::BankCard(c) => c.key_id(),
            Scheme::Token(c, _) => c.key_id(),
        }
    }

    pub(crate) fn encrypt(&self, record: Option<&[u8]>, value: &[u8]) -> Result<Secret> {
        if !matches!(self, Scheme::Randomized(..)) {
            no_record(record)?;
        }
        let fpe_in = || text(value, ErrorKind::NotUtf8);
        let out = match self {
            Scheme::Randomized(c, Encoding::Binary) => c.encrypt(record, value)?,
            Scheme::Randomized(c, Encoding::Text) => c.encrypt_text(record, value)?.into_bytes(),
            Scheme::Deterministic(c, Encoding::Binary) => c.encrypt(value)?,
            Scheme::Deterministic(c, Encoding::Text) => c.encrypt_text(value)?.into_bytes(),
            Scheme::Ff1(c) => c.encrypt(fpe_in()?)?.into_bytes(),
            Scheme::ResidentId(c) => c.encrypt(fpe_in()?)?.into_bytes(),
            Scheme::Mobile(c) => c.encrypt(fpe_in()?)?.into_bytes(),
            Scheme::BankCard(c) => c.encrypt(fpe_in()?)?.into_bytes(),
            Scheme::Token(c, Encoding::Binary) => c.token(value)?.to_vec(),
            Scheme::Token(c, Encoding::Text) => c.token_text(value)?.into_bytes(),
        };
        Ok(Zeroizing::new(out))
    }

    pub(crate) fn decrypt(&self, record: Option<&[u8]>, value: &[u8]) -> Result<Secret> {
        if !matches!(self, Scheme::Randomized(..)) {
            no_record(record)?;
        }
        let ct_text = || text(value, ErrorKind::MalformedCiphertext);
        let fpe_in = || text(value, ErrorKind::NotUtf8);
        let out = match self {
            Scheme::Randomized(c, Encoding::Binary) => c.decrypt(record, value)?,
            Scheme::Randomized(c, Encoding::Text) => c.decrypt_text(record, ct_text()?)?,
            Scheme::Deterministic(c, Encoding::Binary) => c.decrypt(value)?,
            Scheme::Deterministic(c, Encoding::Text) => c.decrypt_text(ct_text()?)?,
            Scheme::Ff1(c) => c.decrypt(fpe_in()?)?.into_bytes(),
            Scheme::ResidentId(c) => c.decrypt(fpe_in()?)?.into_bytes(),
            Scheme::Mobile(c) => c.decrypt(fpe_in()?)?.into_bytes(),
            Scheme::BankCard(c) => c.decrypt(fpe_in()?)?.into_bytes(),
            Scheme::Token(..) => return Err(one_way()),
        };
        Ok(Zeroizing::new(out))
    }

    pub(crate) fn encrypt_column(&self, values: &Packed<'_>, records: Option<&Packed<'_>>) -> Result<Column> {
        if !matches!(self, Scheme::Randomized(..)) {
            no_records(records)?;
        }
        match self {
            Scheme::Randomized(c, enc) => c.encrypt_column(values, records.map(|r| r as &dyn Values), *enc),
            Scheme::Deterministic(c, enc) => c.encrypt_column(values, *enc),
            Scheme::Ff1(c) => c.encrypt_column(values),
            Scheme::ResidentId(c) => c.encrypt_column(values),
            Scheme::Mobile(c) => c.encrypt_column(values),
            Scheme::BankCard(c) => c.encrypt_column(values),
            Scheme::Token(c, Encoding::Text) => c.token_column(values),
            Scheme::Token(c, Encoding::Binary) => {
                // The core's column form is text; raw tokens are the single-value form, per row.
                let mut col = Column::with_capacity(values.count(), 32);
                for i in 0..values.count() {
                    col.push(&c.token(values.value(i)).map_err(|e| e.at_row(i as u64))?);
                }
                Ok(col)
            }
        }
    }

    pub(crate) fn decrypt_column(&self, values: &Packed<'_>, records: Option<&Packed<'_>>) -> Result<Column> {
        if !matches!(self, Scheme::Randomized(..)) {
            no_records(records)?;
        }
        match self {
            Scheme::Randomized(c, enc) => c.decrypt_column(values, records.map(|r| r as &dyn Values), *enc),
            Scheme::Deterministic(c, enc) => c.decrypt_column(values, *enc),
            Scheme::Ff1(c) => c.decrypt_column(values),
            Scheme::ResidentId(c) => c.decrypt_column(values),
            Scheme::Mobile(c) => c.decrypt_column(values),
            Scheme::BankCard(c) => c.decrypt_column(values),
            Scheme::Token(..) => Err(one_way()),
        }
    }
}
