//! The tamper-evident audit log: append-only records of exchanges (sent, received, opened,
//! rejected with a reason) holding metadata and hashes only, in a Merkle tree (RFC 9162) with
//! signed tree heads, inclusion and consistency proofs, and a verifier that detects modified,
//! removed, reordered or inserted records and truncated or forked logs.
//!
//! `docs/formats/audit-log.md` specifies the records, the file, tree heads and proofs.
//!
//! - [`Record`]: one event; its encoding is the Merkle leaf.
//! - [`AuditLog`]: a log file open for appending (batches on disk before `append` returns,
//!   crash-safe, safe to share between threads); proofs of what it holds.
//! - [`SignedTreeHead`]: the root at a size, signed by a [`TreeHeadSigner`]; checked with a
//!   [`TreeHeadVerifier`] whose algorithm is fixed by the key. The exchange identities are both:
//!   an [`envelope::SigningKey`](crate::envelope::SigningKey) (Ed25519, ECDSA P-256, SM2) signs,
//!   its [`VerifyingKey`](crate::envelope::VerifyingKey) verifies.
//! - [`LogVerifier`]: checks a log file against its keys and tree heads obtained out of band.
//! - [`MerkleTree`], [`InclusionProof`], [`ConsistencyProof`]: the RFC 9162 algorithms.
//!
//! The suite picks the hash: SHA-256 for [`crate::Suite::Aes`], SM3 for [`crate::Suite::Sm`].

mod file;
pub mod hash;
mod head;
mod keys;
mod log;
mod proof;
mod record;
mod tree;
mod verify;

pub use file::{MAX_BATCH_RECORDS, MAX_FRAME_BODY};
pub use hash::{Hash, Hasher};
pub use head::{KeyId, SignedTreeHead, TreeHead, TreeHeadSigner, TreeHeadVerifier, HEAD_SIGNING_LABEL};
pub use log::{Appended, AuditLog, Recovery, MAX_GROUP_WRITE};
pub use proof::{ConsistencyProof, InclusionProof};
pub use record::{
    Event, PolicyRef, Record, MAX_PARTICIPANT_LEN, MAX_POLICY_ID_LEN, MAX_PURPOSE_LEN, MAX_RECIPIENTS, MAX_RECORD_LEN,
};
pub use tree::MerkleTree;
pub use verify::{LogVerifier, VerifyReport};
