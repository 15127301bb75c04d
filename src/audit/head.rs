//! Tree heads: the log's root at a size, signed by the log's key (section 4 of
//! `docs/formats/audit-log.md`).
//!
//! The signature algorithm is a property of the key object that signs or verifies, never of the
//! tree head: a [`TreeHeadVerifier`] is built from a key the caller trusts, and a head names only
//! the key's id.

use super::hash::{Hash, HASH_LEN};
use crate::{Error, ErrorKind, Result, Suite};

/// The version byte of a tree head.
pub const HEAD_VERSION: u8 = 1;
/// The label signed before a tree head's bytes, so that a signature over a tree head cannot be
/// taken for a signature over anything else the same key signs.
pub const HEAD_SIGNING_LABEL: &[u8] = b"privshare/v1/audit-tree-head";
/// The length of the signed part of a tree head.
pub const HEAD_LEN: usize = 1 + 1 + 16 + 8 + 8 + HASH_LEN;
/// The longest signature a tree head may carry.
pub const MAX_SIGNATURE_LEN: usize = 512;
/// A key id: SHA-256 of the key's DER SubjectPublicKeyInfo.
pub type KeyId = [u8; 32];

/// Something that signs tree heads: a log's signing key. Its algorithm is fixed by the key.
pub trait TreeHeadSigner: Send + Sync {
    /// The key's id (SHA-256 of its DER SubjectPublicKeyInfo).
    fn key_id(&self) -> KeyId;
    /// Signs `message`.
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>>;
}

/// Something that verifies tree head signatures: a public key the caller trusts for a log.
pub trait TreeHeadVerifier: Send + Sync {
    /// The key's id (SHA-256 of its DER SubjectPublicKeyInfo).
    fn key_id(&self) -> KeyId;
    /// Verifies `signature` over `message`: `AuthenticationFailed` if it is not valid.
    fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()>;
}

/// What a tree head states: log `log_id` held `tree_size` records with root `root` at
/// `timestamp_ms`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TreeHead {
    /// The suite whose hash the log uses.
    pub suite: Suite,
    /// The log's random 128-bit id (from its file header).
    pub log_id: [u8; 16],
    /// The number of records.
    pub tree_size: u64,
    /// When the head was made, in milliseconds since 1970-01-01T00:00:00Z (the log's clock).
    pub timestamp_ms: u64,
    /// The Merkle root of the first `tree_size` records.
    pub root: Hash,
}

impl TreeHead {
    /// The signed bytes (without the label).
    pub fn encode(&self) -> [u8; HEAD_LEN] {
        let mut out = [0u8; HEAD_LEN];
        out[0] = HEAD_VERSION;
        out[1] = self.suite.id();
        out[2..18].copy_from_slice(&self.log_id);
        out[18..26].copy_from_slice(&self.tree_size.to_be_bytes());
        out[26..34].copy_from_slice(&self.timestamp_ms.to_be_bytes());
        out[34..].copy_from_slice(&self.root);
        out
    }

    fn decode(b: &[u8; HEAD_LEN]) -> Result<TreeHead> {
        if b[0] != HEAD_VERSION {
            return Err(malformed("unknown tree head version", 0));
        }
        let suite = Suite::from_id(b[1]).ok_or_else(|| malformed("unknown suite", 1))?;
        Ok(TreeHead {
            suite,
            log_id: b[2..18].try_into().expect("16 bytes"),
            tree_size: u64::from_be_bytes(b[18..26].try_into().expect("8 bytes")),
            timestamp_ms: u64::from_be_bytes(b[26..34].try_into().expect("8 bytes")),
            root: b[34..].try_into().expect("32 bytes"),
        })
    }

    /// Signs this head.
    pub fn sign(&self, signer: &dyn TreeHeadSigner) -> Result<SignedTreeHead> {
        let head = self.encode();
        let signature = signer.sign(&signing_message(&head))?;
        if signature.is_empty() || signature.len() > MAX_SIGNATURE_LEN {
            return Err(Error::new(ErrorKind::Internal, "the signer returned a signature of an unusable length"));
        }
        let mut bytes = Vec::with_capacity(HEAD_LEN + 32 + 2 + signature.len());
        bytes.extend_from_slice(&head);
        bytes.extend_from_slice(&signer.key_id());
        bytes.extend_from_slice(&(signature.len() as u16).to_be_bytes());
        bytes.extend_from_slice(&signature);
        SignedTreeHead::decode(&bytes)
    }
}

fn signing_message(head: &[u8]) -> Vec<u8> {
    [HEAD_SIGNING_LABEL, head].concat()
}

fn malformed(what: &str, offset: usize) -> Error {
    Error::new(ErrorKind::MalformedAuditLog, format!("tree head: {what}")).at_offset(offset as u64)
}

/// A tree head with the id of the key that signed it and the signature, kept as the exact bytes
/// signed and received (nothing is re-serialized to verify).
#[derive(Clone, PartialEq, Eq)]
pub struct SignedTreeHead {
    head: TreeHead,
    bytes: Vec<u8>,
}

impl SignedTreeHead {
    /// What the head states.
    pub fn head(&self) -> &TreeHead {
        &self.head
    }

    /// The id of the key that signed it.
    pub fn key_id(&self) -> KeyId {
        self.bytes[HEAD_LEN..HEAD_LEN + 32].try_into().expect("32 bytes")
    }

    /// The signature.
    pub fn signature(&self) -> &[u8] {
        &self.bytes[HEAD_LEN + 34..]
    }

    /// The byte encoding (section 4 of the format).
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Parses a signed tree head exactly (no trailing bytes); does not verify it.
    pub fn decode(bytes: &[u8]) -> Result<SignedTreeHead> {
        let fixed = HEAD_LEN + 32 + 2;
        if bytes.len() < fixed {
            return Err(malformed("truncated", bytes.len()));
        }
        let head = TreeHead::decode(bytes[..HEAD_LEN].try_into().expect("HEAD_LEN bytes"))?;
        let sig_len = u16::from_be_bytes([bytes[fixed - 2], bytes[fixed - 1]]) as usize;
        if sig_len == 0 || sig_len > MAX_SIGNATURE_LEN {
            return Err(malformed("signature length is 0 or above 512", fixed - 2));
        }
        if bytes.len() != fixed + sig_len {
            return Err(malformed("length does not match the signature length", bytes.len().min(fixed + sig_len)));
        }
        Ok(SignedTreeHead { head, bytes: bytes.to_vec() })
    }

    /// Verifies the signature with whichever of `keys` has the head's key id: `UnknownKey` if
    /// none has, `AuthenticationFailed` if the signature is not valid.
    pub fn verify(&self, keys: &[&dyn TreeHeadVerifier]) -> Result<()> {
        let id = self.key_id();
        let key = keys.iter().find(|k| k.key_id() == id).ok_or_else(|| {
            Error::new(ErrorKind::UnknownKey, format!("tree head signed by unknown key {}", hex::encode(&id[..8])))
        })?;
        key.verify(&signing_message(&self.bytes[..HEAD_LEN]), self.signature())
    }
}

impl std::fmt::Debug for SignedTreeHead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignedTreeHead")
            .field("head", &self.head)
            .field("key_id", &hex::encode(self.key_id()))
            .field("signature_len", &self.signature().len())
            .finish()
    }
}
