//! The field ciphertext format: binary layout, associated data and text form.
//!
//! This module is the normative code for `docs/formats/field-ciphertext.md`; the two must agree.
//!
//! ```text
//! offset 0   version    0x01 (unpadded) | 0x02 (padded)
//! offset 1   algorithm  0x01 AES-256-GCM | 0x02 SM4-GCM | 0x03 AES-256-SIV | 0x04 SM4-SIV
//! offset 2   key id     u32 big-endian (never 0)
//! offset 6   version 2 only: padding, u16 big-endian (0 Padmé, 2..=4096 block size)
//! offset 6/8 GCM: nonce (12) || ciphertext || tag (16)
//!            SIV: synthetic IV (16) || ciphertext
//! ```
//!
//! Text form: `ps1:` (version 1) or `ps2:` (version 2) followed by unpadded base64url of the
//! binary layout.
//!
//! ```
//! use privshare::fle::format::{self, Algorithm};
//! let ct = [1u8, 3, 0, 0, 0, 9, /* synthetic IV */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
//! let header = format::inspect(&ct)?;
//! assert_eq!((header.algorithm, header.key_id), (Algorithm::Aes256Siv, 9));
//! let text = format::to_text(&ct);
//! assert!(text.starts_with("ps1:"));
//! assert_eq!(format::from_text(&text)?, ct);
//! # Ok::<(), privshare::Error>(())
//! ```

use super::padding::Padding;
use crate::keys::KeyId;
use crate::{Error, ErrorKind, Result, Suite};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

/// The format version of unpadded ciphertexts.
pub const VERSION: u8 = 0x01;
/// The format version of padded ciphertexts (the header also names the padding).
pub const VERSION_PADDED: u8 = 0x02;
/// Length of the version 1 header: version, algorithm, key id.
pub const HEADER_LEN: usize = 6;
/// Length of the version 2 header: version, algorithm, key id, padding.
pub const PADDED_HEADER_LEN: usize = 8;
/// Length of a GCM nonce.
pub const NONCE_LEN: usize = 12;
/// Length of a GCM tag and of a SIV synthetic IV.
pub const TAG_LEN: usize = 16;
/// The largest plaintext any field cipher accepts (16 MiB). Longer values are `ValueTooLong`;
/// ciphertexts that would hold more are `MalformedCiphertext`.
pub const MAX_PLAINTEXT_LEN: usize = 1 << 24;
/// The longest record identifier that can be bound into a ciphertext.
pub const MAX_RECORD_LEN: usize = u16::MAX as usize;
/// The prefix of the text form of version 1.
pub const TEXT_PREFIX: &str = "ps1:";
/// The prefix of the text form of version 2 (padded).
pub const PADDED_TEXT_PREFIX: &str = "ps2:";
/// The fixed label that starts the context part of the associated data.
pub const AAD_LABEL: &[u8] = b"privshare/field-ciphertext/v1";

/// The algorithm byte of a field ciphertext.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// Randomized, AES-256-GCM, 96-bit random nonce.
    Aes256Gcm,
    /// Randomized, SM4-GCM, 96-bit random nonce.
    Sm4Gcm,
    /// Deterministic, AES-SIV (RFC 5297) with a 64-byte key (two AES-256 keys).
    Aes256Siv,
    /// Deterministic, the RFC 5297 construction (S2V with CMAC, CTR) over SM4, 32-byte key.
    Sm4Siv,
}

impl Algorithm {
    /// Every algorithm.
    pub const ALL: [Algorithm; 4] = [Algorithm::Aes256Gcm, Algorithm::Sm4Gcm, Algorithm::Aes256Siv, Algorithm::Sm4Siv];

    /// The wire byte.
    pub fn id(self) -> u8 {
        match self {
            Algorithm::Aes256Gcm => 0x01,
            Algorithm::Sm4Gcm => 0x02,
            Algorithm::Aes256Siv => 0x03,
            Algorithm::Sm4Siv => 0x04,
        }
    }

    /// The algorithm with this wire byte.
    pub fn from_id(id: u8) -> Option<Algorithm> {
        Algorithm::ALL.into_iter().find(|a| a.id() == id)
    }

    /// The randomized (`deterministic == false`) or deterministic algorithm of `suite`.
    pub fn for_suite(suite: Suite, deterministic: bool) -> Algorithm {
        match (suite, deterministic) {
            (Suite::Aes, false) => Algorithm::Aes256Gcm,
            (Suite::Sm, false) => Algorithm::Sm4Gcm,
            (Suite::Aes, true) => Algorithm::Aes256Siv,
            (Suite::Sm, true) => Algorithm::Sm4Siv,
        }
    }

    /// The suite whose key versions use this algorithm.
    pub fn suite(self) -> Suite {
        match self {
            Algorithm::Aes256Gcm | Algorithm::Aes256Siv => Suite::Aes,
            Algorithm::Sm4Gcm | Algorithm::Sm4Siv => Suite::Sm,
        }
    }

    /// True for the SIV (deterministic) algorithms.
    pub fn is_deterministic(self) -> bool {
        matches!(self, Algorithm::Aes256Siv | Algorithm::Sm4Siv)
    }

    /// Bytes between the header and the ciphertext body: the GCM nonce, or none for SIV.
    pub fn nonce_len(self) -> usize {
        if self.is_deterministic() {
            0
        } else {
            NONCE_LEN
        }
    }

    /// Total length of a ciphertext of an `n`-byte plaintext.
    pub fn ciphertext_len(self, n: usize) -> usize {
        HEADER_LEN + self.nonce_len() + n + TAG_LEN
    }

    /// A stable lowercase name, e.g. `"aes-256-gcm"` (used in test vectors).
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Aes256Gcm => "aes-256-gcm",
            Algorithm::Sm4Gcm => "sm4-gcm",
            Algorithm::Aes256Siv => "aes-256-siv",
            Algorithm::Sm4Siv => "sm4-siv",
        }
    }
}

/// The parsed, unauthenticated header of a field ciphertext.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// The algorithm byte.
    pub algorithm: Algorithm,
    /// The key version the ciphertext was made under.
    pub key_id: KeyId,
    /// The padding: [`Padding::None`] for version 1, the header's padding field for version 2.
    pub padding: Padding,
}

impl Header {
    /// The header bytes: 6 for version 1 (no padding), 8 for version 2.
    pub fn to_bytes(self) -> Vec<u8> {
        let id = self.key_id.to_be_bytes();
        match self.padding.wire() {
            None => vec![VERSION, self.algorithm.id(), id[0], id[1], id[2], id[3]],
            Some(w) => {
                let w = w.to_be_bytes();
                vec![VERSION_PADDED, self.algorithm.id(), id[0], id[1], id[2], id[3], w[0], w[1]]
            }
        }
    }

    /// Length of the header: [`HEADER_LEN`] or [`PADDED_HEADER_LEN`].
    pub fn encoded_len(self) -> usize {
        if self.padding == Padding::None {
            HEADER_LEN
        } else {
            PADDED_HEADER_LEN
        }
    }

    /// Total length of the ciphertext of an `n`-byte value under this header.
    pub fn ciphertext_len(self, n: usize) -> usize {
        self.encoded_len() + self.algorithm.nonce_len() + self.padding.padded_len(n) + TAG_LEN
    }

    /// The text prefix of ciphertexts with this header.
    pub fn text_prefix(self) -> &'static str {
        if self.padding == Padding::None {
            TEXT_PREFIX
        } else {
            PADDED_TEXT_PREFIX
        }
    }
}

fn malformed(offset: usize, what: &str) -> Error {
    Error::new(ErrorKind::MalformedCiphertext, format!("malformed field ciphertext: {what}")).at_offset(offset as u64)
}

/// Checks the structure of a binary ciphertext (version, algorithm, length limits) and returns its
/// header. Says nothing about authenticity: that needs the key.
///
/// Errors: `UnsupportedVersion` (offset 0), `UnsupportedAlgorithm` (offset 1), `MalformedCiphertext`
/// (truncated or too long, with the offset where the data stops making sense).
pub fn inspect(ciphertext: &[u8]) -> Result<Header> {
    let Some(&version) = ciphertext.first() else {
        return Err(malformed(0, "empty"));
    };
    if version != VERSION && version != VERSION_PADDED {
        return Err(Error::new(
            ErrorKind::UnsupportedVersion,
            format!("field ciphertext version {version} is not supported"),
        )
        .at_offset(0));
    }
    let Some(&alg) = ciphertext.get(1) else {
        return Err(malformed(1, "truncated before the algorithm byte"));
    };
    let algorithm = Algorithm::from_id(alg).ok_or_else(|| {
        Error::new(ErrorKind::UnsupportedAlgorithm, format!("field ciphertext algorithm {alg} is not supported"))
            .at_offset(1)
    })?;
    if ciphertext.len() < HEADER_LEN {
        return Err(malformed(ciphertext.len(), "truncated inside the key id"));
    }
    let key_id = u32::from_be_bytes([ciphertext[2], ciphertext[3], ciphertext[4], ciphertext[5]]);
    let padding = if version == VERSION {
        Padding::None
    } else {
        if ciphertext.len() < PADDED_HEADER_LEN {
            return Err(malformed(ciphertext.len(), "truncated inside the padding field"));
        }
        Padding::from_wire(u16::from_be_bytes([ciphertext[6], ciphertext[7]]))
            .ok_or_else(|| malformed(6, "reserved padding value"))?
    };
    let header = Header { algorithm, key_id, padding };
    let min = header.encoded_len() + algorithm.nonce_len() + TAG_LEN;
    if ciphertext.len() < min {
        return Err(malformed(ciphertext.len(), "truncated before the end of the nonce and tag"));
    }
    let max = header.ciphertext_len(MAX_PLAINTEXT_LEN);
    if ciphertext.len() > max {
        return Err(malformed(max, "longer than the largest allowed plaintext"));
    }
    if !padding.is_padded_len(ciphertext.len() - min) {
        return Err(malformed(ciphertext.len(), "body length is not one the padding produces"));
    }
    Ok(header)
}

/// Appends the context part of the associated data, without the record part: the label, the
/// dataset and the field, each with a 2-byte big-endian length.
pub(crate) fn push_context(aad: &mut Vec<u8>, dataset: &str, field: &str) -> Result<()> {
    for part in [AAD_LABEL, dataset.as_bytes(), field.as_bytes()] {
        let len = u16::try_from(part.len())
            .map_err(|_| Error::new(ErrorKind::InvalidArgument, "dataset or field name longer than 65535 bytes"))?;
        aad.extend_from_slice(&len.to_be_bytes());
        aad.extend_from_slice(part);
    }
    Ok(())
}

/// Appends the record part of the associated data: `0x00` when absent, otherwise `0x01`, a 2-byte
/// big-endian length and the record bytes.
pub(crate) fn push_record(aad: &mut Vec<u8>, record: Option<&[u8]>) -> Result<()> {
    match record {
        None => aad.push(0),
        Some(r) => {
            let len = u16::try_from(r.len()).map_err(|_| {
                Error::new(ErrorKind::ValueTooLong, format!("record id longer than {MAX_RECORD_LEN} bytes"))
            })?;
            aad.push(1);
            aad.extend_from_slice(&len.to_be_bytes());
            aad.extend_from_slice(r);
        }
    }
    Ok(())
}

/// The complete associated data of a ciphertext with `header` in this context. Decoders in other
/// languages can compare against this (and the test vectors carry it).
pub fn associated_data(header: Header, dataset: &str, field: &str, record: Option<&[u8]>) -> Result<Vec<u8>> {
    let mut aad = header.to_bytes();
    push_context(&mut aad, dataset, field)?;
    push_record(&mut aad, record)?;
    Ok(aad)
}

/// The longest text form of any valid ciphertext (Padmé pads the longest value the most).
pub(crate) const MAX_TEXT_LEN: usize = TEXT_PREFIX.len()
    + (PADDED_HEADER_LEN + NONCE_LEN + MAX_PLAINTEXT_LEN + MAX_PLAINTEXT_LEN / 8 + TAG_LEN) * 4 / 3
    + 4;

/// Length of the text form of an `n`-byte binary ciphertext.
pub(crate) fn text_len(n: usize) -> usize {
    TEXT_PREFIX.len() + (n * 4).div_ceil(3)
}

/// The text prefix of a binary ciphertext: `ps2:` for version 2, else `ps1:`.
fn prefix_of(ciphertext: &[u8]) -> &'static str {
    if ciphertext.first() == Some(&VERSION_PADDED) {
        PADDED_TEXT_PREFIX
    } else {
        TEXT_PREFIX
    }
}

/// The text form of a binary ciphertext.
pub fn to_text(ciphertext: &[u8]) -> String {
    let mut out = Vec::with_capacity(text_len(ciphertext.len()));
    push_text(&mut out, ciphertext);
    // Base64 output and the prefix are ASCII.
    String::from_utf8(out).unwrap_or_default()
}

/// Appends the text form of `ciphertext` to `out`.
pub(crate) fn push_text(out: &mut Vec<u8>, ciphertext: &[u8]) {
    out.extend_from_slice(prefix_of(ciphertext).as_bytes());
    let start = out.len();
    out.resize(start + (ciphertext.len() * 4).div_ceil(3), 0);
    // The slice has exactly the encoded length, so this cannot fail.
    let _ = URL_SAFE_NO_PAD.encode_slice(ciphertext, &mut out[start..]);
}

/// Decodes a text-form ciphertext into binary. Only the canonical encoding is accepted: the
/// prefix of the ciphertext's version (`ps1:` or `ps2:`), then unpadded base64url with zero trailing
/// bits. Offsets in errors count characters of the text.
pub fn from_text(text: &str) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    decode_text_into(text.as_bytes(), &mut out)?;
    Ok(out)
}

/// Decodes text form into `out` (cleared first); see [`from_text`].
pub(crate) fn decode_text_into(text: &[u8], out: &mut Vec<u8>) -> Result<()> {
    out.clear();
    let p = TEXT_PREFIX.len();
    let prefix = if text.starts_with(PADDED_TEXT_PREFIX.as_bytes()) { PADDED_TEXT_PREFIX } else { TEXT_PREFIX };
    if !text.starts_with(prefix.as_bytes()) {
        let at = text.iter().zip(TEXT_PREFIX.as_bytes()).take_while(|(a, b)| a == b).count();
        return Err(malformed(at, "text form does not start with \"ps1:\" or \"ps2:\""));
    }
    if text.len() > MAX_TEXT_LEN {
        return Err(malformed(MAX_TEXT_LEN, "text form longer than the largest allowed ciphertext"));
    }
    let body = &text[p..];
    out.resize(body.len() * 3 / 4 + 3, 0);
    use base64::DecodeError as D;
    use base64::DecodeSliceError as S;
    match URL_SAFE_NO_PAD.decode_slice(body, out) {
        Ok(n) => {
            out.truncate(n);
            if !out.is_empty() && prefix_of(out) != prefix {
                out.clear();
                return Err(malformed(2, "the text prefix does not match the version byte"));
            }
            Ok(())
        }
        Err(e) => {
            out.clear();
            let (at, what) = match e {
                S::DecodeError(D::InvalidByte(_, b'=')) | S::DecodeError(D::InvalidPadding) => {
                    (body.iter().position(|&c| c == b'=').unwrap_or(0), "padding is not allowed")
                }
                S::DecodeError(D::InvalidByte(i, _)) => (i, "character outside base64url"),
                S::DecodeError(D::InvalidLength(n)) => (n, "base64 length is impossible"),
                S::DecodeError(D::InvalidLastSymbol(i, _)) => (i, "non-canonical base64 (trailing bits set)"),
                S::OutputSliceTooSmall => (body.len(), "base64 length is impossible"),
            };
            Err(malformed(p + at, what))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn algorithm_ids_round_trip() {
        for a in Algorithm::ALL {
            assert_eq!(Algorithm::from_id(a.id()), Some(a));
            assert_eq!(Algorithm::for_suite(a.suite(), a.is_deterministic()), a);
        }
        assert_eq!(Algorithm::from_id(0), None);
        assert_eq!(Algorithm::from_id(5), None);
    }

    #[test]
    fn inspect_reports_structure() {
        let mut ct = vec![1, 1, 0, 0, 0, 7];
        ct.extend_from_slice(&[0; 28]);
        assert_eq!(
            inspect(&ct).unwrap(),
            Header { algorithm: Algorithm::Aes256Gcm, key_id: 7, padding: Padding::None }
        );
        let kind_at = |c: &[u8]| inspect(c).map(|_| ()).map_err(|e| (e.kind(), e.position().offset));
        assert_eq!(kind_at(&[]), Err((ErrorKind::MalformedCiphertext, Some(0))));
        assert_eq!(kind_at(&[3, 1]), Err((ErrorKind::UnsupportedVersion, Some(0))));
        assert_eq!(kind_at(&[1]), Err((ErrorKind::MalformedCiphertext, Some(1))));
        assert_eq!(kind_at(&[1, 9]), Err((ErrorKind::UnsupportedAlgorithm, Some(1))));
        assert_eq!(kind_at(&[1, 1, 0, 0]), Err((ErrorKind::MalformedCiphertext, Some(4))));
        assert_eq!(kind_at(&ct[..33]), Err((ErrorKind::MalformedCiphertext, Some(33))));
        // SIV needs only the header and the synthetic IV.
        assert!(inspect(&[1, 3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]).is_ok());

        // Version 2: the padding field, and a body of a length the padding makes.
        let padded =
            |padding: [u8; 2], body: usize| [&[2, 3, 0, 0, 0, 7][..], &padding, &[0; 16], &vec![0; body]].concat();
        let h = inspect(&padded([0, 16], 32)).unwrap();
        assert_eq!(h, Header { algorithm: Algorithm::Aes256Siv, key_id: 7, padding: Padding::Block(16) });
        assert_eq!((h.encoded_len(), h.text_prefix()), (PADDED_HEADER_LEN, PADDED_TEXT_PREFIX));
        assert_eq!(inspect(&padded([0, 0], 36)).unwrap().padding, Padding::Padme);
        assert_eq!(kind_at(&[2, 3, 0, 0, 0, 7, 0]), Err((ErrorKind::MalformedCiphertext, Some(7))));
        assert_eq!(kind_at(&padded([0, 1], 16)), Err((ErrorKind::MalformedCiphertext, Some(6))));
        assert_eq!(kind_at(&padded([0x10, 1], 16)), Err((ErrorKind::MalformedCiphertext, Some(6))));
        assert_eq!(kind_at(&padded([0, 16], 0)), Err((ErrorKind::MalformedCiphertext, Some(24))));
        assert_eq!(kind_at(&padded([0, 16], 17)), Err((ErrorKind::MalformedCiphertext, Some(41))));
        assert_eq!(
            kind_at(&padded([0, 0], 37)),
            Err((ErrorKind::MalformedCiphertext, Some(61))),
            "37 is no Padmé length"
        );
    }

    #[test]
    fn inspect_rejects_oversized() {
        let mut ct = vec![1, 3, 0, 0, 0, 1];
        ct.resize(Algorithm::Aes256Siv.ciphertext_len(MAX_PLAINTEXT_LEN), 0);
        assert!(inspect(&ct).is_ok());
        ct.push(0);
        let e = inspect(&ct).unwrap_err();
        assert_eq!((e.kind(), e.position().offset), (ErrorKind::MalformedCiphertext, Some(ct.len() as u64 - 1)));
    }

    #[test]
    fn text_form_is_canonical() {
        for n in 0..40 {
            let bin: Vec<u8> = (0..n as u8).map(|i| i.wrapping_mul(37)).collect();
            let text = to_text(&bin);
            assert_eq!(text.len(), text_len(n));
            assert!(!text.contains('=') && !text.contains('+') && !text.contains('/'));
            assert_eq!(from_text(&text).unwrap(), bin);
        }
        let err = |t: &str| from_text(t).map(|_| ()).map_err(|e| (e.kind(), e.position().offset));
        assert_eq!(err("ps2:AAAA"), Err((ErrorKind::MalformedCiphertext, Some(2))));
        assert_eq!(err("AQ"), Err((ErrorKind::MalformedCiphertext, Some(0))));
        assert_eq!(err("ps1:AQ=="), Err((ErrorKind::MalformedCiphertext, Some(6))));
        assert_eq!(err("ps1:AB"), Err((ErrorKind::MalformedCiphertext, Some(5)))); // trailing bits set
        assert_eq!(err("ps1:A+"), Err((ErrorKind::MalformedCiphertext, Some(5))));
        assert_eq!(err("ps1:A A"), Err((ErrorKind::MalformedCiphertext, Some(5))));
        assert_eq!(err("ps1:AAAAA").map_err(|e| e.0), Err(ErrorKind::MalformedCiphertext));
        assert_eq!(from_text("ps1:").unwrap(), Vec::<u8>::new());
    }

    #[test]
    fn associated_data_is_unambiguous() {
        let h = Header { algorithm: Algorithm::Aes256Gcm, key_id: 1, padding: Padding::None };
        let a = associated_data(h, "ab", "c", None).unwrap();
        assert_ne!(a, associated_data(h, "a", "bc", None).unwrap());
        assert_ne!(a, associated_data(h, "ab", "c", Some(b"")).unwrap());
        let mut expected = vec![1, 1, 0, 0, 0, 1, 0, 29];
        expected.extend_from_slice(AAD_LABEL);
        expected.extend_from_slice(&[0, 2, b'a', b'b', 0, 1, b'c', 0]);
        assert_eq!(a, expected);
        assert_eq!(associated_data(h, "ab", "c", Some(&vec![0; 65536])).unwrap_err().kind(), ErrorKind::ValueTooLong);
    }
}
