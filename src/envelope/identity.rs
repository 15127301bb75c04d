//! Signing identities: Ed25519 and ECDSA P-256 (SHA-256) through ring, SM2 with SM3 through
//! RustCrypto's `sm2`. A key's algorithm is fixed by the key itself (its PKCS#8 or
//! SubjectPublicKeyInfo algorithm); nothing a message says can change it.

use std::fmt;

use ring::signature::KeyPair;
use sm2::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use zeroize::Zeroizing;

use super::encoding::{self, SpkiKind};
use super::rng::Drbg;
use crate::keys::SecretBytes;
use crate::{Error, ErrorKind, Result, Suite};

/// Length of every signature this module makes: Ed25519, and ECDSA / SM2 as fixed `r || s`.
pub const SIGNATURE_LEN: usize = 64;

/// The distinguishing identifier of SM2 signatures (GM/T 0009's default `1234567812345678`).
pub const SM2_DISTINGUISHING_ID: &str = "1234567812345678";

/// The id of a public key: SHA-256 of its canonical SubjectPublicKeyInfo DER.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PublicKeyId(pub [u8; 32]);

impl PublicKeyId {
    /// The id of a canonical SPKI document.
    pub(crate) fn of_spki(spki: &[u8]) -> PublicKeyId {
        let d = ring::digest::digest(&ring::digest::SHA256, spki);
        PublicKeyId(d.as_ref().try_into().expect("SHA-256 is 32 bytes"))
    }

    /// The 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Lowercase hex, as in registries and messages.
    pub fn to_hex(&self) -> String {
        super::format::hex(&self.0)
    }

    /// Parses 64 hex digits.
    pub fn from_hex(text: &str) -> Result<PublicKeyId> {
        let bad = || Error::new(ErrorKind::InvalidArgument, "a key id is 64 hex digits");
        if text.len() != 64 || !text.is_ascii() {
            return Err(bad());
        }
        let mut out = [0u8; 32];
        for (i, b) in out.iter_mut().enumerate() {
            *b = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
        }
        Ok(PublicKeyId(out))
    }
}

impl fmt::Display for PublicKeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for PublicKeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKeyId({})", self.to_hex())
    }
}

/// A signature algorithm. Fixed by the key; never read from a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignatureAlgorithm {
    /// Ed25519 (RFC 8032), the default of the `Aes` suite.
    Ed25519,
    /// ECDSA on P-256 with SHA-256 (FIPS 186-4), signature as 64-byte `r || s`, for departments
    /// whose HSMs need NIST curves. `Aes` suite.
    EcdsaP256Sha256,
    /// SM2 signature with SM3 (GB/T 32918.2, GM/T 0009 distinguishing id
    /// [`SM2_DISTINGUISHING_ID`]), signature as 64-byte `r || s`. `Sm` suite.
    Sm2Sm3,
}

impl SignatureAlgorithm {
    /// The suite this algorithm belongs to.
    pub fn suite(self) -> Suite {
        match self {
            SignatureAlgorithm::Ed25519 | SignatureAlgorithm::EcdsaP256Sha256 => Suite::Aes,
            SignatureAlgorithm::Sm2Sm3 => Suite::Sm,
        }
    }

    /// A short stable name: `ed25519`, `ecdsa-p256-sha256`, `sm2-sm3`.
    pub fn name(self) -> &'static str {
        match self {
            SignatureAlgorithm::Ed25519 => "ed25519",
            SignatureAlgorithm::EcdsaP256Sha256 => "ecdsa-p256-sha256",
            SignatureAlgorithm::Sm2Sm3 => "sm2-sm3",
        }
    }

    fn from_kind(kind: SpkiKind) -> Result<SignatureAlgorithm> {
        match kind {
            SpkiKind::Ed25519 => Ok(SignatureAlgorithm::Ed25519),
            SpkiKind::P256 => Ok(SignatureAlgorithm::EcdsaP256Sha256),
            SpkiKind::Sm2 => Ok(SignatureAlgorithm::Sm2Sm3),
            SpkiKind::X25519 => {
                Err(Error::new(ErrorKind::UnsupportedAlgorithm, "an X25519 key cannot sign (it is a recipient key)"))
            }
        }
    }

    fn kind(self) -> SpkiKind {
        match self {
            SignatureAlgorithm::Ed25519 => SpkiKind::Ed25519,
            SignatureAlgorithm::EcdsaP256Sha256 => SpkiKind::P256,
            SignatureAlgorithm::Sm2Sm3 => SpkiKind::Sm2,
        }
    }
}

impl fmt::Display for SignatureAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A public signature-verification key.
#[derive(Clone)]
pub struct VerifyingKey {
    algorithm: SignatureAlgorithm,
    /// The raw key: 32 bytes (Ed25519) or a 65-byte uncompressed point.
    raw: Vec<u8>,
    id: PublicKeyId,
    /// SM2 keys keep the parsed key with its precomputed user hash Z.
    sm2: Option<Box<sm2::dsa::VerifyingKey>>,
}

impl VerifyingKey {
    fn from_raw(algorithm: SignatureAlgorithm, raw: Vec<u8>) -> Result<VerifyingKey> {
        let sm2 = match algorithm {
            SignatureAlgorithm::Sm2Sm3 => Some(Box::new(
                sm2::dsa::VerifyingKey::from_sec1_bytes(SM2_DISTINGUISHING_ID, &raw)
                    .map_err(|_| Error::new(ErrorKind::InvalidInput, "not a valid SM2 public key"))?,
            )),
            _ => None,
        };
        let id = PublicKeyId::of_spki(&encoding::spki_der(algorithm.kind(), &raw));
        Ok(VerifyingKey { algorithm, raw, id, sm2 })
    }

    /// Imports a SubjectPublicKeyInfo in DER (e.g. `openssl pkey -pubout -outform DER`).
    pub fn from_spki_der(der: &[u8]) -> Result<VerifyingKey> {
        let (kind, raw) = encoding::parse_spki(der)?;
        VerifyingKey::from_raw(SignatureAlgorithm::from_kind(kind)?, raw)
    }

    /// Imports a `PUBLIC KEY` PEM block (e.g. `openssl pkey -pubout`).
    pub fn from_spki_pem(pem: &str) -> Result<VerifyingKey> {
        VerifyingKey::from_spki_der(&encoding::pem_to_der(pem, "PUBLIC KEY")?)
    }

    /// The canonical SubjectPublicKeyInfo DER (EC points uncompressed).
    pub fn to_spki_der(&self) -> Vec<u8> {
        encoding::spki_der(self.algorithm.kind(), &self.raw)
    }

    /// The canonical SubjectPublicKeyInfo as a `PUBLIC KEY` PEM block.
    pub fn to_spki_pem(&self) -> String {
        encoding::der_to_pem(&self.to_spki_der(), "PUBLIC KEY").to_string()
    }

    /// The algorithm, fixed by the key.
    pub fn algorithm(&self) -> SignatureAlgorithm {
        self.algorithm
    }

    /// SHA-256 of the canonical SubjectPublicKeyInfo DER.
    pub fn id(&self) -> PublicKeyId {
        self.id
    }

    /// Checks `signature` over `message` with this key's algorithm. Every failure (wrong length,
    /// wrong signature) is the one [`ErrorKind::AuthenticationFailed`] error.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()> {
        use ring::signature::{UnparsedPublicKey, ECDSA_P256_SHA256_FIXED, ED25519};
        let ok = match self.algorithm {
            SignatureAlgorithm::Ed25519 => {
                UnparsedPublicKey::new(&ED25519, &self.raw).verify(message, signature).is_ok()
            }
            SignatureAlgorithm::EcdsaP256Sha256 => {
                UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, &self.raw).verify(message, signature).is_ok()
            }
            SignatureAlgorithm::Sm2Sm3 => {
                use sm2::dsa::signature::Verifier;
                match (&self.sm2, sm2::dsa::Signature::from_slice(signature)) {
                    (Some(key), Ok(sig)) => key.verify(message, &sig).is_ok(),
                    _ => false,
                }
            }
        };
        if ok {
            Ok(())
        } else {
            Err(Error::authentication_failed())
        }
    }
}

impl PartialEq for VerifyingKey {
    fn eq(&self, other: &VerifyingKey) -> bool {
        self.algorithm == other.algorithm && self.raw == other.raw
    }
}

impl Eq for VerifyingKey {}

impl fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VerifyingKey({}, {})", self.algorithm, self.id)
    }
}

enum Signer {
    Ed25519(ring::signature::Ed25519KeyPair),
    P256(ring::signature::EcdsaKeyPair),
    Sm2(Box<sm2::dsa::SigningKey>),
}

/// A private signing key with its public half. `Debug` shows the algorithm and key id only; the
/// private key is zeroized when dropped (ring and `sm2` wipe their own copies).
pub struct SigningKey {
    signer: Signer,
    public: VerifyingKey,
    pkcs8: SecretBytes,
}

impl SigningKey {
    /// A new random key pair.
    pub fn generate(algorithm: SignatureAlgorithm) -> Result<SigningKey> {
        let rng = ring::rand::SystemRandom::new();
        let failed = || Error::new(ErrorKind::Internal, "key generation failed");
        let pkcs8 = match algorithm {
            SignatureAlgorithm::Ed25519 => {
                use ring::rand::SecureRandom;
                let mut seed = Zeroizing::new([0u8; 32]);
                rng.fill(seed.as_mut()).map_err(|_| failed())?;
                encoding::rfc8410_pkcs8(SpkiKind::Ed25519, &seed)
            }
            SignatureAlgorithm::EcdsaP256Sha256 => Zeroizing::new(
                ring::signature::EcdsaKeyPair::generate_pkcs8(&ring::signature::ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
                    .map_err(|_| failed())?
                    .as_ref()
                    .to_vec(),
            ),
            SignatureAlgorithm::Sm2Sm3 => {
                let secret =
                    <sm2::SecretKey as sm2::elliptic_curve::Generate>::generate_from_rng(&mut Drbg::from_system()?);
                encoding::secret_document(secret.to_pkcs8_der().map_err(|_| failed())?)
            }
        };
        SigningKey::from_pkcs8_der(&pkcs8)
    }

    /// Imports a PKCS#8 private key in DER (v1 as `openssl genpkey` writes, or v2).
    pub fn from_pkcs8_der(der: &[u8]) -> Result<SigningKey> {
        let algorithm = SignatureAlgorithm::from_kind(encoding::pkcs8_kind(der)?)?;
        let bad = || Error::new(ErrorKind::InvalidInput, format!("not a valid {algorithm} PKCS#8 private key"));
        let (signer, raw) = match algorithm {
            SignatureAlgorithm::Ed25519 => {
                // "maybe_unchecked" accepts v1 documents, which carry no public key to check.
                let pair = ring::signature::Ed25519KeyPair::from_pkcs8_maybe_unchecked(der).map_err(|_| bad())?;
                let raw = pair.public_key().as_ref().to_vec();
                (Signer::Ed25519(pair), raw)
            }
            SignatureAlgorithm::EcdsaP256Sha256 => {
                let rng = ring::rand::SystemRandom::new();
                let pair = ring::signature::EcdsaKeyPair::from_pkcs8(
                    &ring::signature::ECDSA_P256_SHA256_FIXED_SIGNING,
                    der,
                    &rng,
                )
                .map_err(|_| bad())?;
                let raw = pair.public_key().as_ref().to_vec();
                (Signer::P256(pair), raw)
            }
            SignatureAlgorithm::Sm2Sm3 => {
                let secret = sm2::SecretKey::from_pkcs8_der(der).map_err(|_| bad())?;
                let key = sm2::dsa::SigningKey::new(SM2_DISTINGUISHING_ID, &secret).map_err(|_| bad())?;
                let raw = key.verifying_key().to_sec1_bytes().to_vec();
                (Signer::Sm2(Box::new(key)), raw)
            }
        };
        Ok(SigningKey { signer, public: VerifyingKey::from_raw(algorithm, raw)?, pkcs8: SecretBytes::from_slice(der) })
    }

    /// Imports a `PRIVATE KEY` PEM block (e.g. `openssl genpkey -algorithm ed25519`).
    pub fn from_pkcs8_pem(pem: &str) -> Result<SigningKey> {
        SigningKey::from_pkcs8_der(&encoding::pem_to_der(pem, "PRIVATE KEY")?)
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
    pub fn verifying_key(&self) -> &VerifyingKey {
        &self.public
    }

    /// The algorithm, fixed by the key.
    pub fn algorithm(&self) -> SignatureAlgorithm {
        self.public.algorithm
    }

    /// The key id (of the public half).
    pub fn id(&self) -> PublicKeyId {
        self.public.id
    }

    /// Signs `message`: [`SIGNATURE_LEN`] bytes. Ed25519 and SM2 (RFC 6979 nonces) are
    /// deterministic; ECDSA P-256 draws its nonce from the system generator.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        let failed = || Error::new(ErrorKind::Internal, "signing failed");
        Ok(match &self.signer {
            Signer::Ed25519(pair) => pair.sign(message).as_ref().to_vec(),
            Signer::P256(pair) => {
                pair.sign(&ring::rand::SystemRandom::new(), message).map_err(|_| failed())?.as_ref().to_vec()
            }
            Signer::Sm2(key) => {
                use sm2::dsa::signature::Signer as _;
                let sig: sm2::dsa::Signature = key.try_sign(message).map_err(|_| failed())?;
                sig.to_bytes().to_vec()
            }
        })
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SigningKey({}, {}, [REDACTED])", self.algorithm(), self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [SignatureAlgorithm; 3] =
        [SignatureAlgorithm::Ed25519, SignatureAlgorithm::EcdsaP256Sha256, SignatureAlgorithm::Sm2Sm3];

    #[test]
    fn sign_verify_round_trip_and_rejections() {
        for alg in ALL {
            let key = SigningKey::generate(alg).unwrap();
            let sig = key.sign(b"tree head").unwrap();
            assert_eq!(sig.len(), SIGNATURE_LEN);
            let vk = key.verifying_key();
            vk.verify(b"tree head", &sig).unwrap();
            assert_eq!(vk.verify(b"tree heaD", &sig).unwrap_err().kind(), ErrorKind::AuthenticationFailed);
            let mut bad = sig.clone();
            bad[10] ^= 1;
            assert!(vk.verify(b"tree head", &bad).is_err());
            assert!(vk.verify(b"tree head", &sig[..63]).is_err());
            let other = SigningKey::generate(alg).unwrap();
            assert!(other.verifying_key().verify(b"tree head", &sig).is_err(), "{alg}");
        }
    }

    #[test]
    fn der_and_pem_round_trip_with_stable_ids() {
        for alg in ALL {
            let key = SigningKey::generate(alg).unwrap();
            let again = SigningKey::from_pkcs8_pem(&key.to_pkcs8_pem()).unwrap();
            assert_eq!(again.id(), key.id());
            let vk = VerifyingKey::from_spki_pem(&key.verifying_key().to_spki_pem()).unwrap();
            assert_eq!(&vk, key.verifying_key());
            assert_eq!(vk.id(), PublicKeyId::of_spki(&vk.to_spki_der()));
            assert_eq!(vk.algorithm(), alg);
            vk.verify(b"m", &again.sign(b"m").unwrap()).unwrap();
            assert_eq!(PublicKeyId::from_hex(&vk.id().to_hex()).unwrap(), vk.id());
            assert!(!format!("{key:?}").contains(&format!("{:?}", key.to_pkcs8_der().expose())));
        }
    }

    #[test]
    fn malformed_keys_are_refused() {
        let key = SigningKey::generate(SignatureAlgorithm::Ed25519).unwrap();
        let der = key.to_pkcs8_der();
        let mut trailing = der.expose().to_vec();
        trailing.push(0);
        assert!(SigningKey::from_pkcs8_der(&trailing).is_err());
        assert!(SigningKey::from_pkcs8_der(&der.expose()[..der.len() - 1]).is_err());
        let spki = key.verifying_key().to_spki_der();
        assert!(VerifyingKey::from_spki_der(&spki[..spki.len() - 1]).is_err());
        assert!(VerifyingKey::from_spki_pem(&key.to_pkcs8_pem()).is_err(), "private PEM label refused");
        assert!(SigningKey::from_pkcs8_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----").is_err());
    }
}
