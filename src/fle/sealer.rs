//! The engine shared by randomized and deterministic field encryption: one column's keys (one per
//! enabled key version, derived once), the precomputed associated data, and sealing / opening of
//! the binary layout of `format` into caller-provided buffers (so the batch path allocates nothing
//! per value).

use super::aead::{new_field_aead, FieldAead};
use super::format::{self, Algorithm, Header, HEADER_LEN, MAX_PLAINTEXT_LEN, NONCE_LEN, TAG_LEN};
use crate::keys::{DerivationContext, KeyId, KeyStatus, KeyUse, Keyset};
use crate::{Error, ErrorKind, Result};
use ring::rand::SecureRandom;

/// One enabled key version, ready to use.
struct KeyEntry {
    id: KeyId,
    algorithm: Algorithm,
    aead: Box<dyn FieldAead>,
    /// The associated data up to (not including) the record part: header bytes, then the context.
    aad: Vec<u8>,
}

/// Seals and opens field ciphertexts for one (dataset, field) and one scheme.
pub(crate) struct Sealer {
    deterministic: bool,
    dataset: String,
    field: String,
    /// Primary first.
    keys: Vec<KeyEntry>,
    /// Versions that existed but were disabled or destroyed when the cipher was built, with the
    /// error their ciphertexts get.
    unavailable: Vec<(KeyId, ErrorKind)>,
}

impl Sealer {
    pub(crate) fn new(keyset: &Keyset, dataset: &str, field: &str, deterministic: bool) -> Result<Sealer> {
        let key_use = if deterministic { KeyUse::Deterministic } else { KeyUse::Randomized };
        let ctx = DerivationContext::Field { dataset, field };
        let mut keys = Vec::new();
        for id in keyset.enabled_ids() {
            let (suite, key) = keyset.derive(id, key_use, ctx)?;
            let algorithm = Algorithm::for_suite(suite, deterministic);
            let aead = new_field_aead(algorithm, key.expose())
                .map_err(|_| Error::new(ErrorKind::Internal, "derived key has the wrong length"))?;
            let mut aad = Header { algorithm, key_id: id }.to_bytes().to_vec();
            format::push_context(&mut aad, dataset, field)?;
            keys.push(KeyEntry { id, algorithm, aead, aad });
        }
        let unavailable = keyset
            .versions()
            .iter()
            .filter_map(|v| match v.status() {
                KeyStatus::Enabled => None,
                KeyStatus::Disabled => Some((v.id(), ErrorKind::KeyDisabled)),
                KeyStatus::Destroyed => Some((v.id(), ErrorKind::KeyDestroyed)),
            })
            .collect();
        Ok(Sealer { deterministic, dataset: dataset.to_string(), field: field.to_string(), keys, unavailable })
    }

    pub(crate) fn primary_id(&self) -> KeyId {
        self.keys[0].id
    }

    pub(crate) fn primary_algorithm(&self) -> Algorithm {
        self.keys[0].algorithm
    }

    pub(crate) fn dataset(&self) -> &str {
        &self.dataset
    }

    pub(crate) fn field(&self) -> &str {
        &self.field
    }

    fn entry(&self, id: KeyId) -> Result<&KeyEntry> {
        if let Some(k) = self.keys.iter().find(|k| k.id == id) {
            return Ok(k);
        }
        Err(match self.unavailable.iter().find(|(i, _)| *i == id) {
            Some((_, ErrorKind::KeyDisabled)) => Error::new(ErrorKind::KeyDisabled, format!("key version {id} is disabled")),
            Some((_, _)) => Error::new(ErrorKind::KeyDestroyed, format!("key version {id} is destroyed")),
            None => Error::new(ErrorKind::UnknownKey, format!("no key version {id} in this keyset")),
        }
        .at_offset(2))
    }

    /// Appends the binary ciphertext of `plaintext` under the primary to `out`. `nonce` is the
    /// 12-byte GCM nonce (randomized) or empty (deterministic). `aad` is scratch space.
    pub(crate) fn seal_into(
        &self,
        record: Option<&[u8]>,
        nonce: &[u8],
        plaintext: &[u8],
        aad: &mut Vec<u8>,
        out: &mut Vec<u8>,
    ) -> Result<()> {
        if plaintext.len() > MAX_PLAINTEXT_LEN {
            return Err(Error::new(ErrorKind::ValueTooLong, format!("value longer than {MAX_PLAINTEXT_LEN} bytes")));
        }
        let k = &self.keys[0];
        debug_assert_eq!(nonce.len(), k.algorithm.nonce_len());
        debug_assert!(record.is_none() || !self.deterministic);
        aad.clear();
        aad.extend_from_slice(&k.aad);
        format::push_record(aad, record)?;

        let start = out.len();
        out.reserve(k.algorithm.ciphertext_len(plaintext.len()));
        out.extend_from_slice(&k.aad[..HEADER_LEN]);
        out.extend_from_slice(nonce);
        let siv_at = out.len();
        if self.deterministic {
            out.extend_from_slice(&[0; TAG_LEN]);
        }
        let body = out.len();
        out.extend_from_slice(plaintext);
        match k.aead.seal(nonce, aad, &mut out[body..]) {
            Ok(tag) if self.deterministic => out[siv_at..body].copy_from_slice(&tag),
            Ok(tag) => out.extend_from_slice(&tag),
            Err(_) => {
                zeroize::Zeroize::zeroize(&mut out[start..]);
                out.truncate(start);
                return Err(Error::new(ErrorKind::Internal, "encryption failed"));
            }
        }
        Ok(())
    }

    /// Checks and decrypts a binary ciphertext, appending the plaintext to `out`.
    pub(crate) fn open_into(
        &self,
        record: Option<&[u8]>,
        ciphertext: &[u8],
        aad: &mut Vec<u8>,
        out: &mut Vec<u8>,
    ) -> Result<()> {
        let h = format::inspect(ciphertext)?;
        if h.algorithm.is_deterministic() != self.deterministic {
            let (is, want) = if self.deterministic { ("randomized", "deterministic") } else { ("deterministic", "randomized") };
            return Err(Error::new(
                ErrorKind::UnsupportedAlgorithm,
                format!("a {is} ciphertext ({}) given to a {want} cipher", h.algorithm.name()),
            )
            .at_offset(1));
        }
        let k = self.entry(h.key_id)?;
        if k.algorithm != h.algorithm {
            return Err(Error::new(
                ErrorKind::UnsupportedAlgorithm,
                format!("algorithm {} does not match key version {} ({})", h.algorithm.name(), k.id, k.algorithm.name()),
            )
            .at_offset(1));
        }
        aad.clear();
        aad.extend_from_slice(&k.aad);
        format::push_record(aad, record)?;

        let rest = &ciphertext[HEADER_LEN..];
        let (nonce, tag, body) = if self.deterministic {
            let (tag, body) = rest.split_at(TAG_LEN);
            (&[][..], tag, body)
        } else {
            let (nonce, rest) = rest.split_at(NONCE_LEN);
            let (body, tag) = rest.split_at(rest.len() - TAG_LEN);
            (nonce, tag, body)
        };
        let tag: &[u8; TAG_LEN] = tag.try_into().map_err(|_| Error::new(ErrorKind::Internal, "tag length"))?;
        let start = out.len();
        out.extend_from_slice(body);
        if k.aead.open(nonce, aad, &mut out[start..], tag).is_err() {
            zeroize::Zeroize::zeroize(&mut out[start..]);
            out.truncate(start);
            return Err(Error::authentication_failed());
        }
        Ok(())
    }
}

/// Random GCM nonces drawn from the system CSPRNG in bulk: one `fill` per [`NONCE_BATCH`] values, so
/// a column of a million values costs about a thousand system calls, not a million.
pub(crate) struct NonceSource {
    rng: ring::rand::SystemRandom,
    buf: Vec<u8>,
    pos: usize,
    /// Nonces still expected; bounds the next refill so a small column does not draw a full batch.
    remaining: usize,
}

/// Nonces per CSPRNG call on the batch path.
pub(crate) const NONCE_BATCH: usize = 1024;

impl NonceSource {
    /// A source for about `expected` nonces (more are served if asked).
    pub(crate) fn new(expected: usize) -> NonceSource {
        NonceSource { rng: ring::rand::SystemRandom::new(), buf: Vec::new(), pos: 0, remaining: expected.max(1) }
    }

    pub(crate) fn next_nonce(&mut self) -> Result<[u8; NONCE_LEN]> {
        if self.pos == self.buf.len() {
            let n = self.remaining.clamp(1, NONCE_BATCH);
            self.buf.resize(n * NONCE_LEN, 0);
            self.rng
                .fill(&mut self.buf)
                .map_err(|_| Error::new(ErrorKind::Internal, "system random generator failed"))?;
            self.pos = 0;
        }
        let mut nonce = [0u8; NONCE_LEN];
        nonce.copy_from_slice(&self.buf[self.pos..self.pos + NONCE_LEN]);
        self.pos += NONCE_LEN;
        self.remaining = self.remaining.saturating_sub(1);
        Ok(nonce)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonce_source_serves_distinct_nonces_across_refills() {
        let mut src = NonceSource::new(3);
        let mut seen = std::collections::HashSet::new();
        for _ in 0..(NONCE_BATCH + 10) {
            assert!(seen.insert(src.next_nonce().unwrap()));
        }
    }

    #[test]
    fn seal_layout_matches_the_format() {
        let ks = Keyset::from_insecure_root_keys(5, &[(5, crate::Suite::Aes, [1; 32])]).unwrap();
        for det in [false, true] {
            let s = Sealer::new(&ks, "d", "f", det).unwrap();
            let nonce = if det { vec![] } else { vec![9; 12] };
            let (mut aad, mut out) = (Vec::new(), b"prefix".to_vec());
            s.seal_into(None, &nonce, b"abc", &mut aad, &mut out).unwrap();
            let ct = &out[6..];
            assert_eq!(ct.len(), s.primary_algorithm().ciphertext_len(3));
            assert_eq!(&ct[..6], &[1, if det { 3 } else { 1 }, 0, 0, 0, 5]);
            if !det {
                assert_eq!(&ct[6..18], &[9; 12]);
            }
            assert_eq!(aad, format::associated_data(format::inspect(ct).unwrap(), "d", "f", None).unwrap());
            let mut pt = b"x".to_vec();
            s.open_into(None, ct, &mut aad, &mut pt).unwrap();
            assert_eq!(pt, b"xabc");
            let mut bad = ct.to_vec();
            *bad.last_mut().unwrap() ^= 1;
            let e = s.open_into(None, &bad, &mut aad, &mut pt).unwrap_err();
            assert_eq!((e.kind(), pt.as_slice()), (ErrorKind::AuthenticationFailed, &b"xabc"[..]));
        }
    }
}
