//! Key-encryption keys: the trait a stored keyset is wrapped with, and the raw-key implementation.

use crate::keys::SecretBytes;
use crate::{Error, ErrorKind, Result};

/// A key-encryption key (KEK): wraps and unwraps the root keys of a stored keyset.
///
/// Implement it outside the crate to keep the KEK in an HSM or a KMS (privshare itself makes no
/// network calls). Contract:
/// - `wrap_key` must authenticate both the key and `aad`: `unwrap_key` succeeds only for the exact
///   `wrapped` bytes with the exact `aad` given to `wrap_key`.
/// - `unwrap_key` returns an error of kind [`ErrorKind::KeyUnwrapFailed`] when authentication fails
///   (wrong KEK, modified data); other kinds (e.g. [`ErrorKind::Io`]) are passed through to the caller.
/// - Neither method may put key bytes into an error message.
pub trait KeyEncryptionKey: Send + Sync {
    /// A short, stable description of the KEK and its algorithm, written into the stored keyset's
    /// `"kek"` field and authenticated with every wrapped key, e.g. `"raw-aes-256-gcm"` or
    /// `"kms:projects/p/keys/k"`. Never a secret. At most 1024 bytes.
    fn description(&self) -> String;

    /// Wraps (encrypts and authenticates) `key` with associated data `aad`.
    fn wrap_key(&self, key: &[u8], aad: &[u8]) -> Result<Vec<u8>>;

    /// Unwraps what [`wrap_key`](Self::wrap_key) produced for the same `aad`.
    fn unwrap_key(&self, wrapped: &[u8], aad: &[u8]) -> Result<SecretBytes>;
}

/// Nonce length of both AEADs (96 bits).
const NONCE_LEN: usize = 12;
/// Tag length of both AEADs (128 bits).
const TAG_LEN: usize = 16;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Algorithm {
    Aes256Gcm,
    Sm4Gcm,
}

/// A KEK held in memory as raw bytes: a 32-byte AES-256-GCM key ([`RawKek::new`]) or a 16-byte SM4-GCM
/// key ([`RawKek::sm4`]) for departments that must use national algorithms.
///
/// A wrapped key is `nonce (12 random bytes) || ciphertext || tag (16 bytes)`.
///
/// ```
/// use privshare::{Keyset, Suite};
/// use privshare::keys::store::RawKek;
/// let kek = RawKek::new(&[0x42; 32])?;
/// let ks = Keyset::generate(Suite::Aes)?;
/// let json = ks.to_json(&kek)?;
/// let back = Keyset::from_json(&json, &kek)?;
/// assert_eq!(back.primary_id(), ks.primary_id());
/// # Ok::<(), privshare::Error>(())
/// ```
#[derive(Clone)]
pub struct RawKek {
    algorithm: Algorithm,
    key: SecretBytes,
}

impl std::fmt::Debug for RawKek {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawKek").field("algorithm", &self.algorithm).field("key", &"[REDACTED]").finish()
    }
}

impl RawKek {
    /// An AES-256-GCM KEK from 32 key bytes.
    pub fn new(key: &[u8]) -> Result<RawKek> {
        if key.len() != 32 {
            return Err(Error::new(ErrorKind::InvalidArgument, "an AES-256-GCM key-encryption key must be 32 bytes"));
        }
        Ok(RawKek { algorithm: Algorithm::Aes256Gcm, key: SecretBytes::from_slice(key) })
    }

    /// An SM4-GCM KEK from 16 key bytes (SM4 has 128-bit keys).
    pub fn sm4(key: &[u8]) -> Result<RawKek> {
        if key.len() != 16 {
            return Err(Error::new(ErrorKind::InvalidArgument, "an SM4-GCM key-encryption key must be 16 bytes"));
        }
        Ok(RawKek { algorithm: Algorithm::Sm4Gcm, key: SecretBytes::from_slice(key) })
    }

    /// A fresh random AES-256-GCM KEK. Store its bytes (see [`RawKek::expose`]) somewhere safe.
    pub fn generate() -> Result<RawKek> {
        Ok(RawKek { algorithm: Algorithm::Aes256Gcm, key: SecretBytes::random(32)? })
    }

    /// The KEK's bytes, to be stored by the caller (e.g. in a secrets manager). Handle with care.
    pub fn expose(&self) -> &[u8] {
        self.key.expose()
    }

    /// A KEK chosen by its length, as the bindings take it: 32 bytes is AES-256-GCM, 16 bytes
    /// SM4-GCM; `InvalidArgument` for any other length.
    pub fn from_bytes(key: &[u8]) -> Result<RawKek> {
        match key.len() {
            32 => RawKek::new(key),
            16 => RawKek::sm4(key),
            n => Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("a key-encryption key is 32 bytes (AES-256-GCM) or 16 bytes (SM4-GCM), not {n}"),
            )),
        }
    }
}

fn unwrap_failed() -> Error {
    Error::new(
        ErrorKind::KeyUnwrapFailed,
        "cannot unwrap the stored keyset: wrong key-encryption key or modified keyset",
    )
}

impl KeyEncryptionKey for RawKek {
    fn description(&self) -> String {
        match self.algorithm {
            Algorithm::Aes256Gcm => "raw-aes-256-gcm".to_string(),
            Algorithm::Sm4Gcm => "raw-sm4-gcm".to_string(),
        }
    }

    fn wrap_key(&self, key: &[u8], aad: &[u8]) -> Result<Vec<u8>> {
        let nonce = SecretBytes::random(NONCE_LEN)?; // not secret, but the CSPRNG helper is here
        let mut body = zeroize::Zeroizing::new(key.to_vec());
        let tag = match self.algorithm {
            Algorithm::Aes256Gcm => gcm_seal::<aes::Aes256>(self.key.expose(), nonce.expose(), aad, &mut body),
            Algorithm::Sm4Gcm => gcm_seal::<sm4_ct::Sm4>(self.key.expose(), nonce.expose(), aad, &mut body),
        }
        .ok_or_else(|| Error::new(ErrorKind::Internal, "key wrapping failed"))?;
        Ok([nonce.expose(), &body, &tag].concat())
    }

    fn unwrap_key(&self, wrapped: &[u8], aad: &[u8]) -> Result<SecretBytes> {
        if wrapped.len() < NONCE_LEN + TAG_LEN {
            return Err(unwrap_failed());
        }
        let (nonce, rest) = wrapped.split_at(NONCE_LEN);
        let (ct, tag) = rest.split_at(rest.len() - TAG_LEN);
        let mut body = zeroize::Zeroizing::new(ct.to_vec());
        let opened = match self.algorithm {
            Algorithm::Aes256Gcm => gcm_open::<aes::Aes256>(self.key.expose(), nonce, aad, &mut body, tag),
            Algorithm::Sm4Gcm => gcm_open::<sm4_ct::Sm4>(self.key.expose(), nonce, aad, &mut body, tag),
        };
        opened.ok_or_else(unwrap_failed)?;
        Ok(SecretBytes::from_slice(&body))
    }
}

/// A 128-bit block cipher for GCM (AES-256, SM4).
trait GcmCipher:
    cipher::BlockSizeUser<BlockSize = cipher::consts::U16> + cipher::BlockCipherEncrypt + cipher::KeyInit
{
}
impl<C: cipher::BlockSizeUser<BlockSize = cipher::consts::U16> + cipher::BlockCipherEncrypt + cipher::KeyInit> GcmCipher
    for C
{
}

type Gcm<C> = aes_gcm::AesGcm<C, aes_gcm::aead::consts::U12>;

/// GCM-encrypts `buf` in place under `key` (RustCrypto, whose key schedule is wiped on drop);
/// returns the tag, or `None` for a key or nonce of the wrong length.
fn gcm_seal<C: GcmCipher>(key: &[u8], nonce: &[u8], aad: &[u8], buf: &mut [u8]) -> Option<[u8; TAG_LEN]> {
    use aes_gcm::aead::AeadInOut;
    let k = <Gcm<C> as cipher::KeyInit>::new_from_slice(key).ok()?;
    let n = aes_gcm::Nonce::<aes_gcm::aead::consts::U12>::try_from(nonce).ok()?;
    k.encrypt_inout_detached(&n, aad, buf.into()).ok().map(Into::into)
}

/// Checks `tag` and GCM-decrypts `buf` in place; `None` on any failure.
fn gcm_open<C: GcmCipher>(key: &[u8], nonce: &[u8], aad: &[u8], buf: &mut [u8], tag: &[u8]) -> Option<()> {
    use aes_gcm::aead::AeadInOut;
    let k = <Gcm<C> as cipher::KeyInit>::new_from_slice(key).ok()?;
    let n = aes_gcm::Nonce::<aes_gcm::aead::consts::U12>::try_from(nonce).ok()?;
    let tag = aes_gcm::Tag::try_from(tag).ok()?;
    k.decrypt_inout_detached(&n, aad, buf.into(), &tag).ok()
}
