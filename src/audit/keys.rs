//! Tree head keys are the exchange identities: any [`SigningKey`] (Ed25519, ECDSA P-256 or SM2
//! with SM3) signs tree heads and its [`VerifyingKey`] checks them, with the same key id (SHA-256
//! of the SubjectPublicKeyInfo) and the same PKCS#8 / SubjectPublicKeyInfo import as envelopes.
//! A department of the `Sm` suite signs its log with SM2.

use super::head::{KeyId, TreeHeadSigner, TreeHeadVerifier};
use crate::envelope::{SigningKey, VerifyingKey};
use crate::Result;

impl TreeHeadSigner for SigningKey {
    fn key_id(&self) -> KeyId {
        self.id().0
    }
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        SigningKey::sign(self, message)
    }
}

impl TreeHeadVerifier for VerifyingKey {
    fn key_id(&self) -> KeyId {
        self.id().0
    }
    fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()> {
        VerifyingKey::verify(self, message, signature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::SignatureAlgorithm;

    #[test]
    fn rfc8032_test_1_signs_a_tree_head_message() {
        // RFC 8032 section 7.1, TEST 1, wrapped in PKCS#8 v1 (RFC 8410).
        let seed = hex::decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60").unwrap();
        let der = [&hex::decode("302e020100300506032b657004220420").unwrap()[..], &seed].concat();
        let signer = SigningKey::from_pkcs8_der(&der).unwrap();
        let sig = TreeHeadSigner::sign(&signer, b"").unwrap();
        assert_eq!(
            hex::encode(&sig),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        );
        let spki =
            hex::decode("302a300506032b6570032100d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
                .unwrap();
        assert_eq!(signer.verifying_key().to_spki_der(), spki);
        assert_eq!(
            TreeHeadSigner::key_id(&signer).to_vec(),
            ring::digest::digest(&ring::digest::SHA256, &spki).as_ref()
        );
        let verifier = VerifyingKey::from_spki_der(&spki).unwrap();
        TreeHeadVerifier::verify(&verifier, b"", &sig).unwrap();
        assert!(TreeHeadVerifier::verify(&verifier, b"x", &sig).is_err());
    }

    #[test]
    fn every_algorithm_signs_and_only_its_key_verifies() {
        for alg in [SignatureAlgorithm::Ed25519, SignatureAlgorithm::EcdsaP256Sha256, SignatureAlgorithm::Sm2Sm3] {
            let (a, b) = (SigningKey::generate(alg).unwrap(), SigningKey::generate(alg).unwrap());
            let sig = TreeHeadSigner::sign(&a, b"head").unwrap();
            assert_eq!(TreeHeadVerifier::key_id(a.verifying_key()), TreeHeadSigner::key_id(&a));
            TreeHeadVerifier::verify(a.verifying_key(), b"head", &sig).unwrap();
            assert!(TreeHeadVerifier::verify(b.verifying_key(), b"head", &sig).is_err(), "{alg}");
            assert!(TreeHeadVerifier::verify(a.verifying_key(), b"heae", &sig).is_err(), "{alg}");
        }
    }
}
