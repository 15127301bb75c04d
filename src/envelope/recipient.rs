//! Recipient keys: the content key of an envelope is wrapped for each recipient with HPKE
//! (RFC 9180, base mode; DHKEM X25519 or P-256 with HKDF-SHA256 and AES-256-GCM) in the `Aes`
//! suite, and with SM2 public-key encryption (GB/T 32918.4, `C1 || C3 || C2`) in the `Sm` suite.

use std::fmt;

use hpke::{Deserializable, Kem as _, Serializable};
use sm2::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use zeroize::Zeroizing;

use super::encoding::{self, SpkiKind};
use super::identity::PublicKeyId;
use super::rng::Drbg;
use crate::keys::SecretBytes;
use crate::{Error, ErrorKind, Result, Suite};

type X25519 = hpke::kem::X25519HkdfSha256;
type P256 = hpke::kem::DhP256HkdfSha256;
type HpkeKdf = hpke::kdf::HkdfSha256;
type HpkeAead = hpke::aead::AesGcm256;

/// The HPKE `info` of every key wrap (RFC 9180 section 5.1).
pub(crate) const HPKE_INFO: &[u8] = b"privshare envelope v1 content key";

/// Length of a content key.
pub(crate) const CONTENT_KEY_LEN: usize = 32;

/// How a content key is wrapped for a recipient. Fixed by the recipient's key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KemAlgorithm {
    /// HPKE with DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM. `Aes` suite.
    HpkeX25519,
    /// HPKE with DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-256-GCM. `Aes` suite.
    HpkeP256,
    /// SM2 encryption with SM3, ciphertext `C1 || C3 || C2` with C1 uncompressed. `Sm` suite.
    Sm2,
}

impl KemAlgorithm {
    /// The suite this algorithm belongs to.
    pub fn suite(self) -> Suite {
        match self {
            KemAlgorithm::HpkeX25519 | KemAlgorithm::HpkeP256 => Suite::Aes,
            KemAlgorithm::Sm2 => Suite::Sm,
        }
    }

    /// A short stable name: `hpke-x25519`, `hpke-p256`, `sm2`.
    pub fn name(self) -> &'static str {
        match self {
            KemAlgorithm::HpkeX25519 => "hpke-x25519",
            KemAlgorithm::HpkeP256 => "hpke-p256",
            KemAlgorithm::Sm2 => "sm2",
        }
    }

    /// Length of a wrapped content key: the encapsulated key, the encrypted key and its tag (HPKE),
    /// or `C1 (65) || C3 (32) || C2 (32)` (SM2).
    pub fn wrapped_len(self) -> usize {
        match self {
            KemAlgorithm::HpkeX25519 => 32 + CONTENT_KEY_LEN + 16,
            KemAlgorithm::HpkeP256 => 65 + CONTENT_KEY_LEN + 16,
            KemAlgorithm::Sm2 => 65 + 32 + CONTENT_KEY_LEN,
        }
    }

    fn from_kind(kind: SpkiKind) -> Result<KemAlgorithm> {
        match kind {
            SpkiKind::X25519 => Ok(KemAlgorithm::HpkeX25519),
            SpkiKind::P256 => Ok(KemAlgorithm::HpkeP256),
            SpkiKind::Sm2 => Ok(KemAlgorithm::Sm2),
            SpkiKind::Ed25519 => {
                Err(Error::new(ErrorKind::UnsupportedAlgorithm, "an Ed25519 key cannot receive (it is a signing key)"))
            }
        }
    }

    fn kind(self) -> SpkiKind {
        match self {
            KemAlgorithm::HpkeX25519 => SpkiKind::X25519,
            KemAlgorithm::HpkeP256 => SpkiKind::P256,
            KemAlgorithm::Sm2 => SpkiKind::Sm2,
        }
    }
}

impl fmt::Display for KemAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

fn wrap_failed() -> Error {
    Error::new(ErrorKind::Internal, "wrapping the content key failed")
}

/// A recipient's public key: what a sender needs to wrap a content key for it.
#[derive(Clone)]
pub struct RecipientPublicKey {
    algorithm: KemAlgorithm,
    raw: Vec<u8>,
    id: PublicKeyId,
}

impl RecipientPublicKey {
    fn from_raw(algorithm: KemAlgorithm, raw: Vec<u8>) -> Result<RecipientPublicKey> {
        let valid = match algorithm {
            KemAlgorithm::HpkeX25519 => <X25519 as hpke::Kem>::PublicKey::from_bytes(&raw).is_ok(),
            KemAlgorithm::HpkeP256 => <P256 as hpke::Kem>::PublicKey::from_bytes(&raw).is_ok(),
            KemAlgorithm::Sm2 => sm2::pke::EncryptingKey::from_sec1_bytes(&raw).is_ok(),
        };
        if !valid {
            return Err(Error::new(ErrorKind::InvalidInput, format!("not a valid {algorithm} public key")));
        }
        let id = PublicKeyId::of_spki(&encoding::spki_der(algorithm.kind(), &raw));
        Ok(RecipientPublicKey { algorithm, raw, id })
    }

    /// Imports a SubjectPublicKeyInfo in DER (`openssl pkey -pubout -outform DER`).
    pub fn from_spki_der(der: &[u8]) -> Result<RecipientPublicKey> {
        let (kind, raw) = encoding::parse_spki(der)?;
        RecipientPublicKey::from_raw(KemAlgorithm::from_kind(kind)?, raw)
    }

    /// Imports a `PUBLIC KEY` PEM block.
    pub fn from_spki_pem(pem: &str) -> Result<RecipientPublicKey> {
        RecipientPublicKey::from_spki_der(&encoding::pem_to_der(pem, "PUBLIC KEY")?)
    }

    /// The canonical SubjectPublicKeyInfo DER.
    pub fn to_spki_der(&self) -> Vec<u8> {
        encoding::spki_der(self.algorithm.kind(), &self.raw)
    }

    /// The canonical SubjectPublicKeyInfo as a `PUBLIC KEY` PEM block.
    pub fn to_spki_pem(&self) -> String {
        encoding::der_to_pem(&self.to_spki_der(), "PUBLIC KEY").to_string()
    }

    /// The algorithm, fixed by the key.
    pub fn algorithm(&self) -> KemAlgorithm {
        self.algorithm
    }

    /// SHA-256 of the canonical SubjectPublicKeyInfo DER.
    pub fn id(&self) -> PublicKeyId {
        self.id
    }

    /// Wraps `content_key` for this recipient; `aad` binds the wrap to its envelope (HPKE only:
    /// SM2 encryption has no associated data, the envelope signature covers the wrap instead).
    pub(crate) fn wrap(&self, content_key: &[u8], aad: &[u8], rng: &mut Drbg) -> Result<Vec<u8>> {
        fn hpke_wrap<K: hpke::Kem>(raw: &[u8], key: &[u8], aad: &[u8], rng: &mut Drbg) -> Result<Vec<u8>> {
            let pk = K::PublicKey::from_bytes(raw).map_err(|_| wrap_failed())?;
            let (enc, ct) = hpke::single_shot_seal_with_rng::<HpkeAead, HpkeKdf, K>(
                &hpke::OpModeS::Base,
                &pk,
                HPKE_INFO,
                key,
                aad,
                rng,
            )
            .map_err(|_| wrap_failed())?;
            let mut out = enc.to_bytes().to_vec();
            out.extend_from_slice(&ct);
            Ok(out)
        }
        let out = match self.algorithm {
            KemAlgorithm::HpkeX25519 => hpke_wrap::<X25519>(&self.raw, content_key, aad, rng)?,
            KemAlgorithm::HpkeP256 => hpke_wrap::<P256>(&self.raw, content_key, aad, rng)?,
            KemAlgorithm::Sm2 => {
                let pk = sm2::pke::EncryptingKey::from_sec1_bytes(&self.raw).map_err(|_| wrap_failed())?;
                pk.encrypt(rng, content_key).map_err(|_| wrap_failed())?
            }
        };
        debug_assert_eq!(out.len(), self.algorithm.wrapped_len());
        Ok(out)
    }
}

impl PartialEq for RecipientPublicKey {
    fn eq(&self, other: &RecipientPublicKey) -> bool {
        self.algorithm == other.algorithm && self.raw == other.raw
    }
}

impl Eq for RecipientPublicKey {}

impl fmt::Debug for RecipientPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RecipientPublicKey({}, {})", self.algorithm, self.id)
    }
}

enum Decryptor {
    X25519(<X25519 as hpke::Kem>::PrivateKey),
    P256(<P256 as hpke::Kem>::PrivateKey),
    Sm2(Box<sm2::pke::DecryptingKey>),
}

/// A recipient's private key: unwraps the content keys of envelopes sealed for it.
pub struct RecipientKey {
    decryptor: Decryptor,
    public: RecipientPublicKey,
    pkcs8: SecretBytes,
}

impl RecipientKey {
    /// A new random key pair.
    pub fn generate(algorithm: KemAlgorithm) -> Result<RecipientKey> {
        let mut rng = Drbg::from_system()?;
        let failed = || Error::new(ErrorKind::Internal, "key generation failed");
        let der = match algorithm {
            KemAlgorithm::HpkeX25519 => encoding::rfc8410_pkcs8(SpkiKind::X25519, &Zeroizing::new(rng.array())),
            KemAlgorithm::HpkeP256 => encoding::secret_document(
                <p256::SecretKey as sm2::elliptic_curve::Generate>::generate_from_rng(&mut rng)
                    .to_pkcs8_der()
                    .map_err(|_| failed())?,
            ),
            KemAlgorithm::Sm2 => encoding::secret_document(
                <sm2::SecretKey as sm2::elliptic_curve::Generate>::generate_from_rng(&mut rng)
                    .to_pkcs8_der()
                    .map_err(|_| failed())?,
            ),
        };
        RecipientKey::from_pkcs8_der(&der)
    }

    /// Imports a PKCS#8 private key in DER (`openssl genpkey -algorithm X25519`, an EC key on
    /// P-256 or on the SM2 curve).
    pub fn from_pkcs8_der(der: &[u8]) -> Result<RecipientKey> {
        let algorithm = KemAlgorithm::from_kind(encoding::pkcs8_kind(der)?)?;
        let bad = || Error::new(ErrorKind::InvalidInput, format!("not a valid {algorithm} PKCS#8 private key"));
        let (decryptor, raw) = match algorithm {
            KemAlgorithm::HpkeX25519 => {
                let sk = <X25519 as hpke::Kem>::PrivateKey::from_bytes(encoding::pkcs8_x25519(der)?.as_ref())
                    .map_err(|_| bad())?;
                let raw = X25519::sk_to_pk(&sk).to_bytes().to_vec();
                (Decryptor::X25519(sk), raw)
            }
            KemAlgorithm::HpkeP256 => {
                let secret = p256::SecretKey::from_pkcs8_der(der).map_err(|_| bad())?;
                let sk = <P256 as hpke::Kem>::PrivateKey::from_bytes(&secret.to_bytes()).map_err(|_| bad())?;
                let raw = P256::sk_to_pk(&sk).to_bytes().to_vec();
                (Decryptor::P256(sk), raw)
            }
            KemAlgorithm::Sm2 => {
                let secret = sm2::SecretKey::from_pkcs8_der(der).map_err(|_| bad())?;
                let key = sm2::pke::DecryptingKey::new(secret);
                let raw = key.encrypting_key().to_sec1_bytes().to_vec();
                (Decryptor::Sm2(Box::new(key)), raw)
            }
        };
        let public = RecipientPublicKey::from_raw(algorithm, raw)?;
        Ok(RecipientKey { decryptor, public, pkcs8: SecretBytes::from_slice(der) })
    }

    /// Imports a `PRIVATE KEY` PEM block.
    pub fn from_pkcs8_pem(pem: &str) -> Result<RecipientKey> {
        RecipientKey::from_pkcs8_der(&encoding::pem_to_der(pem, "PRIVATE KEY")?)
    }

    /// The PKCS#8 DER this key was made from or imported as. Secret: store it wrapped.
    pub fn to_pkcs8_der(&self) -> SecretBytes {
        self.pkcs8.clone()
    }

    /// The PKCS#8 as a `PRIVATE KEY` PEM block. Secret: store it wrapped.
    pub fn to_pkcs8_pem(&self) -> Zeroizing<String> {
        encoding::der_to_pem(self.pkcs8.expose(), "PRIVATE KEY")
    }

    /// The public half.
    pub fn public_key(&self) -> &RecipientPublicKey {
        &self.public
    }

    /// The algorithm, fixed by the key.
    pub fn algorithm(&self) -> KemAlgorithm {
        self.public.algorithm
    }

    /// The key id (of the public half).
    pub fn id(&self) -> PublicKeyId {
        self.public.id
    }

    /// Unwraps a content key; `None` when the wrap does not decrypt under this key.
    pub(crate) fn unwrap(&self, wrapped: &[u8], aad: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        fn hpke_unwrap<K: hpke::Kem>(sk: &K::PrivateKey, wrapped: &[u8], aad: &[u8]) -> Option<Vec<u8>> {
            let n = <K::EncappedKey as Serializable>::size();
            let (enc, ct) = (wrapped.get(..n)?, wrapped.get(n..)?);
            let enc = K::EncappedKey::from_bytes(enc).ok()?;
            hpke::single_shot_open::<HpkeAead, HpkeKdf, K>(&hpke::OpModeR::Base, sk, &enc, HPKE_INFO, ct, aad).ok()
        }
        if wrapped.len() != self.algorithm().wrapped_len() {
            return None;
        }
        let key = match &self.decryptor {
            Decryptor::X25519(sk) => hpke_unwrap::<X25519>(sk, wrapped, aad),
            Decryptor::P256(sk) => hpke_unwrap::<P256>(sk, wrapped, aad),
            Decryptor::Sm2(sk) => sk.decrypt(wrapped).ok(),
        };
        key.map(Zeroizing::new).filter(|k| k.len() == CONTENT_KEY_LEN)
    }
}

impl fmt::Debug for RecipientKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RecipientKey({}, {}, [REDACTED])", self.algorithm(), self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [KemAlgorithm; 3] = [KemAlgorithm::HpkeX25519, KemAlgorithm::HpkeP256, KemAlgorithm::Sm2];

    #[test]
    fn wrap_unwrap_round_trip_and_rejections() {
        for alg in ALL {
            let key = RecipientKey::generate(alg).unwrap();
            let mut rng = Drbg::from_system().unwrap();
            let wrapped = key.public_key().wrap(&[7; 32], b"aad", &mut rng).unwrap();
            assert_eq!(wrapped.len(), alg.wrapped_len());
            assert_eq!(key.unwrap(&wrapped, b"aad").unwrap().as_slice(), &[7; 32]);
            let mut bad = wrapped.clone();
            *bad.last_mut().unwrap() ^= 1;
            assert!(key.unwrap(&bad, b"aad").is_none(), "{alg}");
            assert!(key.unwrap(&wrapped[1..], b"aad").is_none());
            if alg != KemAlgorithm::Sm2 {
                assert!(key.unwrap(&wrapped, b"other").is_none(), "HPKE binds the aad");
            }
            let other = RecipientKey::generate(alg).unwrap();
            assert!(other.unwrap(&wrapped, b"aad").is_none());
        }
    }

    #[test]
    fn der_and_pem_round_trip() {
        for alg in ALL {
            let key = RecipientKey::generate(alg).unwrap();
            let again = RecipientKey::from_pkcs8_pem(&key.to_pkcs8_pem()).unwrap();
            assert_eq!(again.id(), key.id());
            let pk = RecipientPublicKey::from_spki_pem(&key.public_key().to_spki_pem()).unwrap();
            assert_eq!(&pk, key.public_key());
            assert_eq!(pk.algorithm(), alg);
            assert!(!format!("{key:?}").contains("0x"));
        }
    }

    #[test]
    fn signing_and_recipient_keys_do_not_mix() {
        let ed = super::super::identity::SigningKey::generate(super::super::SignatureAlgorithm::Ed25519).unwrap();
        let e = RecipientKey::from_pkcs8_der(ed.to_pkcs8_der().expose()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::UnsupportedAlgorithm);
        let x = RecipientKey::generate(KemAlgorithm::HpkeX25519).unwrap();
        let e = super::super::identity::SigningKey::from_pkcs8_der(x.to_pkcs8_der().expose()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::UnsupportedAlgorithm);
    }
}
