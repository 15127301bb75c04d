//! Randomized encryption: AES-256-GCM or SM4-GCM with 96-bit nonces. A single-value call draws its
//! nonce from the system CSPRNG; a column call draws one random 96-bit starting point and counts up
//! from it, one nonce per value (distinct within the column; see `sealer::NonceSource` and
//! `docs/formats/field-ciphertext.md` for why this is no weaker than independent random nonces).
//!
//! Equal values give unrelated ciphertexts. Each value is bound to its dataset, field and
//! (optionally) record through the associated data, so a ciphertext copied to another cell fails
//! with `AuthenticationFailed`. Randomly placed 96-bit nonces are safe for up to 2^32 values per
//! (dataset, field, key version); rotate the keyset well before that.

use super::cipher::{text_of, Binding, FieldCipher, Scheme};
use super::format::{self, MAX_PLAINTEXT_LEN, NONCE_LEN};
use super::sealer::{NonceSource, Sealer};
use super::{Encoding, FieldContext};
use crate::column::{map_column, Column, OnInvalid, Values};
use crate::keys::{DerivationContext, KeyId, Keyset};
use crate::{ErrorKind, Result};

/// Encrypts and decrypts one column with randomized AEAD. Built once per (dataset, field); holds
/// keys derived for every enabled version, so decryption finds rotated-out versions by id.
///
/// ```
/// use privshare::{fle::RandomizedCipher, Keyset, Suite, ErrorKind};
/// let keyset = Keyset::generate(Suite::Aes)?;
/// let cipher = RandomizedCipher::new(&keyset, "tax-2026", "income")?;
/// let ct = cipher.encrypt_text(Some(b"row-17"), b"52000")?;
/// assert!(ct.starts_with("ps1:"));
/// assert_eq!(cipher.decrypt_text(Some(b"row-17"), &ct)?, b"52000");
/// // Moved to another record: the generic authentication failure.
/// assert_eq!(cipher.decrypt_text(Some(b"row-18"), &ct).unwrap_err().kind(), ErrorKind::AuthenticationFailed);
/// # Ok::<(), privshare::Error>(())
/// ```
pub struct RandomizedCipher {
    sealer: Sealer,
}

impl std::fmt::Debug for RandomizedCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RandomizedCipher")
            .field("dataset", &self.sealer.dataset())
            .field("field", &self.sealer.field())
            .field("primary", &self.sealer.primary_id())
            .finish_non_exhaustive()
    }
}

impl RandomizedCipher {
    /// A cipher for `field` of `dataset`, encrypting under the keyset's primary.
    ///
    /// Keys are derived here, once per enabled version. Versions disabled or destroyed at this
    /// moment give `KeyDisabled` / `KeyDestroyed` when their ciphertexts are decrypted; build a new
    /// cipher after changing the keyset.
    pub fn new(keyset: &Keyset, dataset: &str, field: &str) -> Result<RandomizedCipher> {
        Ok(RandomizedCipher { sealer: Sealer::new(keyset, dataset, field, false)? })
    }

    /// Like [`new`](Self::new), with new ciphertexts padded as `padding` says (format version 2;
    /// see [`Padding`](super::Padding) for what each choice hides). Ciphertexts of any padding
    /// decrypt.
    pub fn with_padding(
        keyset: &Keyset,
        dataset: &str,
        field: &str,
        padding: super::Padding,
    ) -> Result<RandomizedCipher> {
        Ok(RandomizedCipher { sealer: Sealer::with_padding(keyset, dataset, field, false, padding)? })
    }

    /// How new ciphertexts are padded.
    pub fn padding(&self) -> super::Padding {
        self.sealer.padding()
    }

    /// The key version new ciphertexts are made under.
    pub fn primary_id(&self) -> KeyId {
        self.sealer.primary_id()
    }

    fn fresh_nonce() -> Result<[u8; NONCE_LEN]> {
        Ok(NonceSource::new()?.next_nonce())
    }

    /// Encrypts one value, bound to `record` if given (the context's record is `record`).
    /// Empty values are allowed (the ciphertext hides that the value was empty).
    pub fn encrypt(&self, record: Option<&[u8]>, plaintext: &[u8]) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        self.sealer.batch().seal_into(record, &Self::fresh_nonce()?, plaintext, &mut out)?;
        Ok(out)
    }

    /// Decrypts one binary ciphertext made for the same dataset, field and record.
    pub fn decrypt(&self, record: Option<&[u8]>, ciphertext: &[u8]) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        self.sealer.batch().open_into(record, ciphertext, &mut out)?;
        Ok(out)
    }

    /// Encrypts one value into the text form (`ps1:…`).
    pub fn encrypt_text(&self, record: Option<&[u8]>, plaintext: &[u8]) -> Result<String> {
        Ok(format::to_text(&self.encrypt(record, plaintext)?))
    }

    /// Decrypts one text-form ciphertext.
    pub fn decrypt_text(&self, record: Option<&[u8]>, text: &str) -> Result<Vec<u8>> {
        self.decrypt(record, &format::from_text(text)?)
    }

    /// The context this cipher binds values to, with `record`.
    pub fn context<'a>(&'a self, record: Option<&'a [u8]>) -> FieldContext<'a> {
        FieldContext { dataset: self.sealer.dataset(), field: self.sealer.field(), record }
    }
}

impl FieldCipher for RandomizedCipher {
    fn scheme(&self) -> Scheme {
        Scheme::Randomized
    }

    fn key_id(&self) -> KeyId {
        self.sealer.primary_id()
    }

    fn binding(&self) -> Binding<'_> {
        let context = DerivationContext::Field { dataset: self.sealer.dataset(), field: self.sealer.field() };
        Binding { context, authenticated: true, record: true }
    }

    fn padding(&self) -> super::Padding {
        self.sealer.padding()
    }

    fn encrypt_value(&self, record: Option<&[u8]>, value: &[u8], encoding: Encoding) -> Result<Vec<u8>> {
        match encoding {
            Encoding::Binary => self.encrypt(record, value),
            Encoding::Text => Ok(self.encrypt_text(record, value)?.into_bytes()),
        }
    }

    fn decrypt_value(&self, record: Option<&[u8]>, value: &[u8], encoding: Encoding) -> Result<Vec<u8>> {
        match encoding {
            Encoding::Binary => self.decrypt(record, value),
            Encoding::Text => self.decrypt_text(record, text_of(value, ErrorKind::MalformedCiphertext)?),
        }
    }

    fn encrypt_column(
        &self,
        values: &dyn Values,
        records: Option<&dyn Values>,
        encoding: Encoding,
        on_invalid: OnInvalid,
    ) -> Result<Column> {
        let per_value = self.sealer.ciphertext_len(average_len(values));
        let per_value = if encoding == Encoding::Text { format::text_len(per_value) + 1 } else { per_value };
        let mut nonces = NonceSource::new()?;
        let (mut batch, mut scratch) = (self.sealer.batch(), Vec::new());
        map_column(values, records, per_value, on_invalid, |v, r, out| {
            let nonce = nonces.next_nonce();
            match encoding {
                Encoding::Binary => batch.seal_into(r, &nonce, v, out),
                Encoding::Text => {
                    scratch.clear();
                    batch.seal_into(r, &nonce, v, &mut scratch)?;
                    format::push_text(out, &scratch);
                    Ok(())
                }
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
        let (mut batch, mut scratch) = (self.sealer.batch(), Vec::new());
        let estimate = plaintext_estimate(ciphertexts, encoding);
        map_column(ciphertexts, records, estimate, on_invalid, |c, r, out| match encoding {
            Encoding::Binary => batch.open_into(r, c, out),
            Encoding::Text => {
                format::decode_text_into(c, &mut scratch)?;
                batch.open_into(r, &scratch, out)
            }
        })
        .map_err(|e| e.at_column(self.sealer.field()))
    }
}

/// The average value length of a column (for sizing the output buffer once).
pub(crate) fn average_len(values: &dyn Values) -> usize {
    let n = values.count();
    if n == 0 {
        return 0;
    }
    let total: usize = (0..n).map(|i| values.value(i).len()).fold(0usize, usize::saturating_add);
    total.div_ceil(n).min(MAX_PLAINTEXT_LEN)
}

/// An upper estimate of the average plaintext length of a column of ciphertexts.
pub(crate) fn plaintext_estimate(ciphertexts: &dyn Values, encoding: Encoding) -> usize {
    let avg = average_len(ciphertexts);
    match encoding {
        Encoding::Binary => avg,
        Encoding::Text => avg.saturating_sub(format::TEXT_PREFIX.len()) * 3 / 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<RandomizedCipher>();
    }
}
