//! The engine shared by randomized and deterministic field encryption: one column's keys (one per
//! enabled key version, derived once), the precomputed associated data, and sealing / opening of
//! the binary layout of `format` into caller-provided buffers (so the batch path allocates nothing
//! per value).

use super::aead::{new_field_aead, AeadSession, FieldAead};
use super::format::{self, Algorithm, Header, MAX_PLAINTEXT_LEN, NONCE_LEN, TAG_LEN};
use super::padding::{self, Padding};
use crate::keys::{DerivationContext, KeyId, KeyStatus, KeyUse, Keyset};
use crate::{Error, ErrorKind, Result};
use ring::rand::SecureRandom;

/// One enabled key version, ready to use.
struct KeyEntry {
    id: KeyId,
    algorithm: Algorithm,
    aead: Box<dyn FieldAead>,
    /// The header of new ciphertexts, and the associated data up to (not including) the record
    /// part: header bytes, then the context.
    header: Header,
    aad: Vec<u8>,
    /// The complete associated data for values without a record.
    aad_no_record: Vec<u8>,
}

/// Seals and opens field ciphertexts for one (dataset, field) and one scheme.
pub(crate) struct Sealer {
    deterministic: bool,
    /// How new ciphertexts are padded (any padding is decrypted).
    padding: Padding,
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
        Sealer::with_padding(keyset, dataset, field, deterministic, Padding::None)
    }

    /// A sealer whose ciphertexts are padded as `padding` says (format version 2 unless `None`).
    pub(crate) fn with_padding(
        keyset: &Keyset,
        dataset: &str,
        field: &str,
        deterministic: bool,
        padding: Padding,
    ) -> Result<Sealer> {
        let key_use = if deterministic { KeyUse::Deterministic } else { KeyUse::Randomized };
        let ctx = DerivationContext::Field { dataset, field };
        let mut keys = Vec::new();
        for id in keyset.enabled_ids() {
            let (suite, key) = keyset.derive(id, key_use, ctx)?;
            let algorithm = Algorithm::for_suite(suite, deterministic);
            let aead = new_field_aead(algorithm, key.expose())
                .map_err(|_| Error::new(ErrorKind::Internal, "derived key has the wrong length"))?;
            let header = Header { algorithm, key_id: id, padding };
            let mut aad = header.to_bytes();
            format::push_context(&mut aad, dataset, field)?;
            let mut aad_no_record = aad.clone();
            format::push_record(&mut aad_no_record, None)?;
            keys.push(KeyEntry { id, algorithm, aead, header, aad, aad_no_record });
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
        Ok(Sealer { deterministic, padding, dataset: dataset.to_string(), field: field.to_string(), keys, unavailable })
    }

    /// How new ciphertexts are padded.
    pub(crate) fn padding(&self) -> Padding {
        self.padding
    }

    /// Length of the ciphertext of an `n`-byte value under the primary.
    pub(crate) fn ciphertext_len(&self, n: usize) -> usize {
        self.keys[0].header.ciphertext_len(n)
    }

    pub(crate) fn primary_id(&self) -> KeyId {
        self.keys[0].id
    }

    pub(crate) fn dataset(&self) -> &str {
        &self.dataset
    }

    pub(crate) fn field(&self) -> &str {
        &self.field
    }

    fn entry(&self, id: KeyId) -> Result<(usize, &KeyEntry)> {
        if let Some(found) = self.keys.iter().enumerate().find(|(_, k)| k.id == id) {
            return Ok(found);
        }
        Err(match self.unavailable.iter().find(|(i, _)| *i == id) {
            Some((_, ErrorKind::KeyDisabled)) => {
                Error::new(ErrorKind::KeyDisabled, format!("key version {id} is disabled"))
            }
            Some((_, _)) => Error::new(ErrorKind::KeyDestroyed, format!("key version {id} is destroyed")),
            None => Error::new(ErrorKind::UnknownKey, format!("no key version {id} in this keyset")),
        }
        .at_offset(2))
    }

    /// A batch: per-column state (AEAD sessions, AAD scratch) for sealing and opening many values.
    pub(crate) fn batch(&self) -> Batch<'_> {
        Batch { sealer: self, sessions: self.keys.iter().map(|_| None).collect(), scratch: Vec::new() }
    }
}

/// Seals and opens values of one column on one thread, reusing sessions and scratch space so that
/// nothing is allocated per value.
pub(crate) struct Batch<'a> {
    sealer: &'a Sealer,
    /// One lazily opened session per key entry (same order as `Sealer::keys`).
    sessions: Vec<Option<Box<dyn AeadSession + 'a>>>,
    scratch: Vec<u8>,
}

impl Batch<'_> {
    /// The associated data of `k` for `record` and a ciphertext with `header`: precomputed for the
    /// column's own header without a record, else built in `scratch`.
    fn aad<'s>(k: &'s KeyEntry, header: Header, record: Option<&[u8]>, scratch: &'s mut Vec<u8>) -> Result<&'s [u8]> {
        match record {
            None if header == k.header => Ok(&k.aad_no_record),
            _ => {
                scratch.clear();
                scratch.extend_from_slice(&header.to_bytes());
                scratch.extend_from_slice(&k.aad[k.header.encoded_len()..]);
                format::push_record(scratch, record)?;
                Ok(scratch)
            }
        }
    }

    /// A session for `k`'s key, told the associated data every value of this column starts with.
    fn open_session<'k>(k: &'k KeyEntry) -> Box<dyn AeadSession + 'k> {
        k.aead.session(&k.aad)
    }

    /// Appends the binary ciphertext of `plaintext` under the primary to `out`. `nonce` is the
    /// 12-byte GCM nonce (randomized) or empty (deterministic).
    pub(crate) fn seal_into(
        &mut self,
        record: Option<&[u8]>,
        nonce: &[u8],
        plaintext: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<()> {
        if plaintext.len() > MAX_PLAINTEXT_LEN {
            return Err(Error::new(ErrorKind::ValueTooLong, format!("value longer than {MAX_PLAINTEXT_LEN} bytes")));
        }
        let Batch { sealer, sessions, scratch } = self;
        let deterministic = sealer.deterministic;
        let k = &sealer.keys[0];
        debug_assert_eq!(nonce.len(), k.algorithm.nonce_len());
        debug_assert!(record.is_none() || !deterministic);
        let aad = Self::aad(k, k.header, record, scratch)?;
        let session = sessions[0].get_or_insert_with(|| Self::open_session(k));

        let start = out.len();
        out.reserve(k.header.ciphertext_len(plaintext.len()));
        out.extend_from_slice(&k.aad[..k.header.encoded_len()]);
        out.extend_from_slice(nonce);
        let siv_at = out.len();
        if deterministic {
            out.extend_from_slice(&[0; TAG_LEN]);
        }
        let body = out.len();
        padding::push_padded(out, plaintext, k.header.padding);
        match session.seal(nonce, aad, &mut out[body..]) {
            Ok(tag) if deterministic => out[siv_at..body].copy_from_slice(&tag),
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
    pub(crate) fn open_into(&mut self, record: Option<&[u8]>, ciphertext: &[u8], out: &mut Vec<u8>) -> Result<()> {
        let Batch { sealer, sessions, scratch } = self;
        let deterministic = sealer.deterministic;
        let h = format::inspect(ciphertext)?;
        if h.algorithm.is_deterministic() != deterministic {
            let (is, want) =
                if deterministic { ("randomized", "deterministic") } else { ("deterministic", "randomized") };
            return Err(Error::new(
                ErrorKind::UnsupportedAlgorithm,
                format!("a {is} ciphertext ({}) given to a {want} cipher", h.algorithm.name()),
            )
            .at_offset(1));
        }
        let (i, k) = sealer.entry(h.key_id)?;
        if k.algorithm != h.algorithm {
            return Err(Error::new(
                ErrorKind::UnsupportedAlgorithm,
                format!(
                    "algorithm {} does not match key version {} ({})",
                    h.algorithm.name(),
                    k.id,
                    k.algorithm.name()
                ),
            )
            .at_offset(1));
        }
        let aad = Self::aad(k, h, record, scratch)?;
        let session = sessions[i].get_or_insert_with(|| Self::open_session(k));

        let rest = &ciphertext[h.encoded_len()..];
        let (nonce, tag, body) = if deterministic {
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
        if session.open(nonce, aad, &mut out[start..], tag).is_err() {
            zeroize::Zeroize::zeroize(&mut out[start..]);
            out.truncate(start);
            return Err(Error::authentication_failed());
        }
        match padding::unpadded_len(&out[start..], h.padding) {
            // The padding (the marker and zeros) holds nothing secret.
            Some(n) => out.truncate(start + n),
            None => {
                // Authentic, so made by a key holder, but not padded as the header says.
                zeroize::Zeroize::zeroize(&mut out[start..]);
                out.truncate(start);
                return Err(Error::new(
                    ErrorKind::MalformedCiphertext,
                    "the padding inside the ciphertext is not canonical",
                ));
            }
        }
        Ok(())
    }
}

/// GCM nonces for one batch: a random 96-bit starting point from the system CSPRNG, then counting
/// up (mod 2^96). Within a batch the nonces are distinct by construction; two batches collide only
/// if their ranges overlap, which is less likely than a collision among as many independent random
/// nonces would be. One system call per batch instead of one per value (the draw dominated the
/// per-value cost; see docs/performance.md).
pub(crate) struct NonceSource {
    next: u128,
}

const NONCE_MASK: u128 = (1u128 << 96) - 1;

impl NonceSource {
    /// A source for one batch, starting at a fresh random point.
    pub(crate) fn new() -> Result<NonceSource> {
        let mut b = [0u8; 16];
        ring::rand::SystemRandom::new()
            .fill(&mut b[4..])
            .map_err(|_| Error::new(ErrorKind::Internal, "system random generator failed"))?;
        Ok(NonceSource { next: u128::from_be_bytes(b) })
    }

    /// The next nonce; wraps within 96 bits.
    pub(crate) fn next_nonce(&mut self) -> [u8; NONCE_LEN] {
        let n = self.next;
        self.next = (n + 1) & NONCE_MASK;
        let mut nonce = [0u8; NONCE_LEN];
        nonce.copy_from_slice(&n.to_be_bytes()[4..]);
        nonce
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonce_sources_count_from_independent_random_starts() {
        let mut a = NonceSource::new().unwrap();
        let mut b = NonceSource::new().unwrap();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..2000 {
            assert!(seen.insert(a.next_nonce()));
            assert!(seen.insert(b.next_nonce()));
        }
        // Wraps within 96 bits.
        let mut w = NonceSource { next: NONCE_MASK };
        assert_eq!(w.next_nonce(), [0xff; 12]);
        assert_eq!(w.next_nonce(), [0; 12]);
    }

    #[test]
    fn seal_layout_matches_the_format() {
        let ks = Keyset::from_insecure_root_keys(5, &[(5, crate::Suite::Aes, [1; 32])]).unwrap();
        for det in [false, true] {
            let s = Sealer::new(&ks, "d", "f", det).unwrap();
            let nonce = if det { vec![] } else { vec![9; 12] };
            let mut out = b"prefix".to_vec();
            let mut b = s.batch();
            let record: Option<&[u8]> = if det { None } else { Some(b"r") };
            b.seal_into(record, &nonce, b"abc", &mut out).unwrap();
            let ct = &out[6..];
            assert_eq!(ct.len(), s.ciphertext_len(3));
            assert_eq!(&ct[..6], &[1, if det { 3 } else { 1 }, 0, 0, 0, 5]);
            if !det {
                assert_eq!(&ct[6..18], &[9; 12]);
            }
            let aad = format::associated_data(format::inspect(ct).unwrap(), "d", "f", record).unwrap();
            let precomputed = if det { &s.keys[0].aad_no_record } else { &b.scratch };
            assert_eq!(&aad, precomputed);
            let mut pt = b"x".to_vec();
            b.open_into(record, ct, &mut pt).unwrap();
            assert_eq!(pt, b"xabc");
            let mut bad = ct.to_vec();
            *bad.last_mut().unwrap() ^= 1;
            let e = b.open_into(record, &bad, &mut pt).unwrap_err();
            assert_eq!((e.kind(), pt.as_slice()), (ErrorKind::AuthenticationFailed, &b"xabc"[..]));
        }
    }

    /// Padded ciphertexts: version 2 header with the padding, body of the padded length; any
    /// sealer of the column opens any padding (the header says which).
    #[test]
    fn padded_layout_and_round_trip() {
        let ks = Keyset::from_insecure_root_keys(5, &[(5, crate::Suite::Aes, [1; 32])]).unwrap();
        for det in [false, true] {
            let plain = Sealer::new(&ks, "d", "f", det).unwrap();
            for padding in [Padding::Block(16), Padding::Padme, Padding::None] {
                let s = Sealer::with_padding(&ks, "d", "f", det, padding).unwrap();
                let nonce = if det { vec![] } else { vec![9; 12] };
                let record: Option<&[u8]> = if det { None } else { Some(b"r") };
                for n in [0usize, 1, 15, 16, 17, 100] {
                    let value = vec![b'v'; n];
                    let mut ct = Vec::new();
                    s.batch().seal_into(record, &nonce, &value, &mut ct).unwrap();
                    assert_eq!(ct.len(), s.ciphertext_len(n));
                    let h = format::inspect(&ct).unwrap();
                    assert_eq!((h.padding, ct[0]), (padding, if padding == Padding::None { 1 } else { 2 }));
                    for opener in [&s, &plain] {
                        let mut pt = b"x".to_vec();
                        opener.batch().open_into(record, &ct, &mut pt).unwrap();
                        assert_eq!(&pt[1..], value.as_slice(), "{padding:?} {n}");
                    }
                    // The padding field is authenticated: another padding fails (or is malformed).
                    if padding == Padding::Block(16) {
                        let mut other = ct.clone();
                        other[7] = 32;
                        assert!(s.batch().open_into(record, &other, &mut Vec::new()).is_err());
                    }
                }
            }
        }
    }
}

/// The vector file's generator, kept outside `src/` (it needs the crate-private fixed-nonce seal).
#[cfg(test)]
#[path = "../../tests/generators/field_ciphertext.rs"]
pub(crate) mod vectors;
