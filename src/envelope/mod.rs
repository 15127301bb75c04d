//! Signed exchange envelopes: identities, the trust registry, sealing and opening.
//!
//! - [`SigningKey`] / [`VerifyingKey`]: Ed25519, ECDSA P-256 or SM2 signing identities, PKCS#8 and
//!   SubjectPublicKeyInfo in DER or PEM (keys made by `openssl genpkey` load), key id = SHA-256 of
//!   the SubjectPublicKeyInfo ([`PublicKeyId`]).
//! - [`RecipientKey`] / [`RecipientPublicKey`]: HPKE X25519 or P-256, or SM2 encryption.
//! - [`ParticipantId`]: X-Road style `INSTANCE/CLASS/MEMBER/SUBSYSTEM`.
//! - [`TrustRegistry`]: which participant owns which signing key, and when it is valid.
//! - [`Sealer`] (a builder) seals a payload for recipients; [`Opener`] opens, with one error
//!   kind per failed check; [`ReplayStore`] remembers opened envelopes across restarts.
//!
//! The format is specified in `docs/formats/envelope.md`.

mod body_hash;
mod crypto;
mod encoding;
mod format;
mod identity;
mod open;
mod participant;
mod recipient;
mod registry;
mod replay;
mod rng;
mod seal;

pub use format::{
    header_len, parse_header, Extension, Header, RecipientEntry, DEFAULT_CHUNK_SIZE, EXT_COLUMN_KEY_VERSIONS,
    EXT_CRITICAL, MAGIC, MAX_CHUNK_SIZE, MAX_COLUMNS, MAX_EXTENSIONS, MAX_EXTENSION_LEN, MAX_HASH_LEN, MAX_HEADER_LEN,
    MAX_NAME_LEN, MAX_PAYLOAD_LEN, MAX_RECIPIENTS, MAX_SIGNATURE_LEN, MAX_TEXT_LEN, MAX_WRAPPED_KEY_LEN,
    MESSAGE_ID_LEN, MIN_CHUNK_SIZE, PREAMBLE_LEN, VERSION,
};
pub use identity::{PublicKeyId, SignatureAlgorithm, SigningKey, VerifyingKey, SIGNATURE_LEN, SM2_DISTINGUISHING_ID};
pub use open::{Opened, OpenedStream, Opener, DEFAULT_CLOCK_SKEW_SECS};
pub use participant::{ParticipantId, PARTICIPANT_ID_MAX_LEN, PART_MAX_LEN};
pub use recipient::{KemAlgorithm, RecipientKey, RecipientPublicKey};
pub use registry::{RegisteredKey, TrustRegistry, REGISTRY_MAX_KEYS};
pub use replay::ReplayStore;
pub use seal::{Padding, Sealed, Sealer, DEFAULT_LIFETIME_SECS};
