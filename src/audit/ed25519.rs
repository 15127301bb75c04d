//! Ed25519 tree head keys through ring, the log's default signature.
//!
//! These are the log's own minimal key types: PKCS#8 private keys in, raw 32-byte public keys out,
//! key id = SHA-256 of the DER SubjectPublicKeyInfo (as for every privshare key).

use super::head::{KeyId, TreeHeadSigner, TreeHeadVerifier};
use crate::keys::SecretBytes;
use crate::{Error, ErrorKind, Result};
use ring::signature::{Ed25519KeyPair, KeyPair as _, UnparsedPublicKey, ED25519};

/// The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): the key follows.
const SPKI_PREFIX: [u8; 12] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];

fn key_id(public: &[u8; 32]) -> KeyId {
    let spki = Ed25519Verifier { public: *public }.to_spki();
    ring::digest::digest(&ring::digest::SHA256, &spki).as_ref().try_into().expect("32 bytes")
}

/// An Ed25519 signing key for tree heads.
pub struct Ed25519Signer {
    pair: Ed25519KeyPair,
    public: [u8; 32],
}

impl Ed25519Signer {
    /// A new random key, returned with its PKCS#8 (v2) encoding for storage.
    pub fn generate() -> Result<(Ed25519Signer, SecretBytes)> {
        let rng = ring::rand::SystemRandom::new();
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&rng)
            .map_err(|_| Error::new(ErrorKind::Internal, "system random generator failed"))?;
        let pkcs8 = SecretBytes::from_slice(pkcs8.as_ref());
        Ok((Ed25519Signer::from_pkcs8(pkcs8.expose())?, pkcs8))
    }

    /// The key in a DER PKCS#8 document (`openssl genpkey -algorithm ed25519 -outform DER`).
    pub fn from_pkcs8(der: &[u8]) -> Result<Ed25519Signer> {
        let pair = Ed25519KeyPair::from_pkcs8_maybe_unchecked(der)
            .map_err(|_| Error::new(ErrorKind::InvalidArgument, "not an Ed25519 PKCS#8 private key"))?;
        let public = pair.public_key().as_ref().try_into().expect("32 bytes");
        Ok(Ed25519Signer { pair, public })
    }

    /// The matching verifier.
    pub fn verifier(&self) -> Ed25519Verifier {
        Ed25519Verifier { public: self.public }
    }
}

impl std::fmt::Debug for Ed25519Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ed25519Signer").field("key_id", &hex::encode(key_id(&self.public))).finish_non_exhaustive()
    }
}

impl TreeHeadSigner for Ed25519Signer {
    fn key_id(&self) -> KeyId {
        key_id(&self.public)
    }
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        Ok(self.pair.sign(message).as_ref().to_vec())
    }
}

/// An Ed25519 public key that verifies tree heads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ed25519Verifier {
    public: [u8; 32],
}

impl Ed25519Verifier {
    /// The key from its 32 raw bytes (RFC 8032).
    pub fn from_public_key(public: [u8; 32]) -> Ed25519Verifier {
        Ed25519Verifier { public }
    }

    /// The key from its DER SubjectPublicKeyInfo (RFC 8410; what `openssl pkey -pubout -outform DER`
    /// writes). `InvalidArgument` for anything else, including keys of other algorithms.
    pub fn from_spki(der: &[u8]) -> Result<Ed25519Verifier> {
        match der.strip_prefix(&SPKI_PREFIX[..]).map(<[u8; 32]>::try_from) {
            Some(Ok(public)) => Ok(Ed25519Verifier { public }),
            _ => Err(Error::new(ErrorKind::InvalidArgument, "not an Ed25519 SubjectPublicKeyInfo")),
        }
    }

    /// The 32 raw bytes.
    pub fn public_key(&self) -> [u8; 32] {
        self.public
    }

    /// The DER SubjectPublicKeyInfo (whose SHA-256 is the key id).
    pub fn to_spki(&self) -> Vec<u8> {
        [&SPKI_PREFIX[..], &self.public].concat()
    }
}

impl TreeHeadVerifier for Ed25519Verifier {
    fn key_id(&self) -> KeyId {
        key_id(&self.public)
    }
    fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()> {
        UnparsedPublicKey::new(&ED25519, &self.public)
            .verify(message, signature)
            .map_err(|_| Error::authentication_failed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc8032_test_1_and_key_id() {
        // RFC 8032 section 7.1, TEST 1, wrapped in PKCS#8 v1 (RFC 8410).
        let seed = hex::decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60").unwrap();
        let der = [&hex::decode("302e020100300506032b657004220420").unwrap()[..], &seed].concat();
        let signer = Ed25519Signer::from_pkcs8(&der).unwrap();
        let want_pk = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
        assert_eq!(hex::encode(signer.verifier().public_key()), want_pk);
        let sig = signer.sign(b"").unwrap();
        assert_eq!(
            hex::encode(&sig),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        );
        signer.verifier().verify(b"", &sig).unwrap();
        assert!(signer.verifier().verify(b"x", &sig).is_err());
        let spki = hex::decode(format!("302a300506032b6570032100{want_pk}")).unwrap();
        assert_eq!(signer.key_id().to_vec(), ring::digest::digest(&ring::digest::SHA256, &spki).as_ref());
        assert_eq!(Ed25519Verifier::from_spki(&spki).unwrap(), signer.verifier());
        assert_eq!(signer.verifier().to_spki(), spki);
        assert!(Ed25519Verifier::from_spki(&spki[..43]).is_err());
        assert!(Ed25519Verifier::from_spki(&[&spki[..], &[0]].concat()).is_err());
    }
}
