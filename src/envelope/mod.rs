//! Signed exchange envelopes: identities, the trust registry, sealing and opening.
//!
//! - [`SigningKey`] / [`VerifyingKey`]: Ed25519, ECDSA P-256 or SM2 signing identities, PKCS#8 and
//!   SubjectPublicKeyInfo in DER or PEM (keys made by `openssl genpkey` load), key id = SHA-256 of
//!   the SubjectPublicKeyInfo ([`PublicKeyId`]).
//! - [`RecipientKey`] / [`RecipientPublicKey`]: HPKE X25519 or P-256, or SM2 encryption.
//! - [`ParticipantId`]: X-Road style `INSTANCE/CLASS/MEMBER/SUBSYSTEM`.
//! - [`TrustRegistry`]: which participant owns which signing key, and when it is valid.

mod encoding;
mod identity;
mod participant;
#[allow(dead_code)] // the wrap and unwrap are used by seal and open (next commit)
mod recipient;
mod registry;
mod rng;

pub use identity::{PublicKeyId, SignatureAlgorithm, SigningKey, VerifyingKey, SIGNATURE_LEN, SM2_DISTINGUISHING_ID};
pub use participant::{ParticipantId, PARTICIPANT_ID_MAX_LEN, PART_MAX_LEN};
pub use recipient::{KemAlgorithm, RecipientKey, RecipientPublicKey};
pub use registry::{RegisteredKey, TrustRegistry, REGISTRY_MAX_KEYS};
