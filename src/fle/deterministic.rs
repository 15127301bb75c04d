//! Deterministic encryption for equality joins: AES-SIV (RFC 5297, AES-256) or SIV over SM4.
//! Record binding is off: equal values in the same (dataset, field) give equal ciphertexts.
//!
//! Deterministic encryption reveals equality within a column, and nothing else; that is its
//! purpose (joins, grouping, lookups by encrypting the search value). Binding the record would make
//! equal values differ across records and defeat exactly that, so only dataset and field enter the
//! associated data. SIV is misuse-resistant: there is no nonce to get wrong.

use super::cipher::{refuse_records, text_of, Binding, FieldCipher, Scheme};
use super::format;
use super::randomized::{average_len, plaintext_estimate};
use super::sealer::Sealer;
use super::Encoding;
use crate::column::{map_column, Column, OnInvalid, Values};
use crate::keys::{DerivationContext, KeyId, Keyset};
use crate::{ErrorKind, Result};

/// Encrypts and decrypts one column deterministically.
///
/// ```
/// use privshare::{fle::DeterministicCipher, Keyset, Suite};
/// let keyset = Keyset::generate(Suite::Sm)?;
/// let a = DeterministicCipher::new(&keyset, "tax-2026", "id_number")?;
/// let b = DeterministicCipher::new(&keyset, "health-2026", "id_number")?;
/// let x = a.encrypt_text(b"110101199003074578")?;
/// assert_eq!(x, a.encrypt_text(b"110101199003074578")?); // joinable within the column
/// assert_ne!(x, b.encrypt_text(b"110101199003074578")?); // not across datasets
/// assert_eq!(a.decrypt_text(&x)?, b"110101199003074578");
/// # Ok::<(), privshare::Error>(())
/// ```
pub struct DeterministicCipher {
    sealer: Sealer,
}

impl std::fmt::Debug for DeterministicCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeterministicCipher")
            .field("dataset", &self.sealer.dataset())
            .field("field", &self.sealer.field())
            .field("primary", &self.sealer.primary_id())
            .finish_non_exhaustive()
    }
}

impl DeterministicCipher {
    /// A cipher for `field` of `dataset`, encrypting under the keyset's primary. Keys are derived
    /// here, once per enabled version (see [`RandomizedCipher::new`](super::RandomizedCipher::new)).
    pub fn new(keyset: &Keyset, dataset: &str, field: &str) -> Result<DeterministicCipher> {
        Ok(DeterministicCipher { sealer: Sealer::new(keyset, dataset, field, true)? })
    }

    /// Like [`new`](Self::new), with new ciphertexts padded as `padding` says (format version 2;
    /// see [`Padding`](super::Padding) for what each choice hides). Ciphertexts of any padding
    /// decrypt.
    pub fn with_padding(
        keyset: &Keyset,
        dataset: &str,
        field: &str,
        padding: super::Padding,
    ) -> Result<DeterministicCipher> {
        Ok(DeterministicCipher { sealer: Sealer::with_padding(keyset, dataset, field, true, padding)? })
    }

    /// How new ciphertexts are padded.
    pub fn padding(&self) -> super::Padding {
        self.sealer.padding()
    }

    /// The key version new ciphertexts are made under.
    pub fn primary_id(&self) -> KeyId {
        self.sealer.primary_id()
    }

    /// Encrypts one value (binary form). Empty values are allowed.
    pub fn encrypt(&self, plaintext: &[u8]) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        self.sealer.batch().seal_into(None, &[], plaintext, &mut out)?;
        Ok(out)
    }

    /// Decrypts one binary ciphertext.
    pub fn decrypt(&self, ciphertext: &[u8]) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        self.sealer.batch().open_into(None, ciphertext, &mut out)?;
        Ok(out)
    }

    /// Encrypts one value into the text form.
    pub fn encrypt_text(&self, plaintext: &[u8]) -> Result<String> {
        Ok(format::to_text(&self.encrypt(plaintext)?))
    }

    /// Decrypts one text-form ciphertext.
    pub fn decrypt_text(&self, text: &str) -> Result<Vec<u8>> {
        self.decrypt(&format::from_text(text)?)
    }
}

impl FieldCipher for DeterministicCipher {
    fn scheme(&self) -> Scheme {
        Scheme::Deterministic
    }

    fn key_id(&self) -> KeyId {
        self.sealer.primary_id()
    }

    fn binding(&self) -> Binding<'_> {
        let context = DerivationContext::Field { dataset: self.sealer.dataset(), field: self.sealer.field() };
        Binding { context, authenticated: true, record: false }
    }

    fn padding(&self) -> super::Padding {
        self.sealer.padding()
    }

    fn encrypt_value(&self, record: Option<&[u8]>, value: &[u8], encoding: Encoding) -> Result<Vec<u8>> {
        refuse_records(record)?;
        match encoding {
            Encoding::Binary => self.encrypt(value),
            Encoding::Text => Ok(self.encrypt_text(value)?.into_bytes()),
        }
    }

    fn decrypt_value(&self, record: Option<&[u8]>, value: &[u8], encoding: Encoding) -> Result<Vec<u8>> {
        refuse_records(record)?;
        match encoding {
            Encoding::Binary => self.decrypt(value),
            Encoding::Text => self.decrypt_text(text_of(value, ErrorKind::MalformedCiphertext)?),
        }
    }

    fn encrypt_column(
        &self,
        values: &dyn Values,
        records: Option<&dyn Values>,
        encoding: Encoding,
        on_invalid: OnInvalid,
    ) -> Result<Column> {
        refuse_records(records)?;
        let per_value = self.sealer.ciphertext_len(average_len(values));
        let per_value = if encoding == Encoding::Text { format::text_len(per_value) + 1 } else { per_value };
        let (mut batch, mut scratch) = (self.sealer.batch(), Vec::new());
        map_column(values, None, per_value, on_invalid, |v, _, out| match encoding {
            Encoding::Binary => batch.seal_into(None, &[], v, out),
            Encoding::Text => {
                scratch.clear();
                batch.seal_into(None, &[], v, &mut scratch)?;
                format::push_text(out, &scratch);
                Ok(())
            }
        })
        .map(|c| c.into_public(on_invalid))
        .map_err(|e| e.at_column(self.sealer.field()))
    }

    fn decrypt_column(
        &self,
        ciphertexts: &dyn Values,
        records: Option<&dyn Values>,
        encoding: Encoding,
        on_invalid: OnInvalid,
    ) -> Result<Column> {
        refuse_records(records)?;
        let (mut batch, mut scratch) = (self.sealer.batch(), Vec::new());
        let estimate = plaintext_estimate(ciphertexts, encoding);
        map_column(ciphertexts, None, estimate, on_invalid, |c, _, out| match encoding {
            Encoding::Binary => batch.open_into(None, c, out),
            Encoding::Text => {
                format::decode_text_into(c, &mut scratch)?;
                batch.open_into(None, &scratch, out)
            }
        })
        .map_err(|e| e.at_column(self.sealer.field()))
    }
}
