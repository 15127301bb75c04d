//! The envelope's key schedule, chunk encryption and hashes (`docs/formats/envelope.md`).

use sm3::Digest;
use zeroize::Zeroizing;

use super::format::{Header, MESSAGE_ID_LEN, TAG_LEN};
use crate::fle::aead::{new_field_aead, FieldAead};
use crate::fle::format::Algorithm;
use crate::keys::hkdf_expand;
use crate::{Error, ErrorKind, Result, Suite};

/// HKDF info label of the payload key.
const PAYLOAD_KEY_LABEL: &[u8] = b"privshare envelope v1 payload key";
/// HKDF info label of the key commitment.
const COMMITMENT_LABEL: &[u8] = b"privshare envelope v1 key commitment";
/// First bytes of the message the sender signs.
pub(crate) const SIGNATURE_CONTEXT: &[u8] = b"privshare envelope v1 signature";

/// The keys derived from one content key.
pub(crate) struct ContentKeys {
    pub(crate) aead: Box<dyn FieldAead>,
    pub(crate) commitment: [u8; 32],
}

/// Derives the payload key and the key commitment from the content key, bound to the message id
/// and the sender's key id (so that a re-signed envelope cannot reuse the content).
pub(crate) fn derive(
    suite: Suite,
    content_key: &[u8],
    message_id: &[u8; MESSAGE_ID_LEN],
    sender_key_id: &[u8; 32],
) -> Result<ContentKeys> {
    let key_len = match suite {
        Suite::Aes => 32,
        Suite::Sm => 16,
    };
    let key = hkdf_expand(suite, content_key, &[PAYLOAD_KEY_LABEL, message_id, sender_key_id], key_len)?;
    let commitment = hkdf_expand(suite, content_key, &[COMMITMENT_LABEL, message_id, sender_key_id], 32)?;
    let failed = |_| Error::new(ErrorKind::Internal, "payload cipher setup failed");
    let algorithm = match suite {
        Suite::Aes => Algorithm::Aes256Gcm,
        Suite::Sm => Algorithm::Sm4Gcm,
    };
    let aead = new_field_aead(algorithm, key.expose()).map_err(failed)?;
    Ok(ContentKeys { aead, commitment: commitment.expose().try_into().expect("32 bytes") })
}

/// The nonce of chunk `index`: the index (8 bytes) and 1 for the last chunk, else 0 (4 bytes).
pub(crate) fn chunk_nonce(index: u64, last: bool) -> [u8; 12] {
    let mut n = [0u8; 12];
    n[..8].copy_from_slice(&index.to_be_bytes());
    n[8..].copy_from_slice(&u32::from(last).to_be_bytes());
    n
}

/// Encrypts chunk `index` of `header` in place; `chunk` holds the plaintext followed by
/// [`TAG_LEN`] spare bytes, which receive the tag.
pub(crate) fn seal_chunk(keys: &ContentKeys, aad: &[u8], header: &Header, index: u64, chunk: &mut [u8]) -> Result<()> {
    let last = index + 1 == header.chunk_count();
    let (plain, tag_out) = chunk.split_at_mut(chunk.len() - TAG_LEN);
    let tag = keys
        .aead
        .session(&[])
        .seal(&chunk_nonce(index, last), aad, plain)
        .map_err(|_| Error::new(ErrorKind::Internal, "chunk encryption failed"))?;
    tag_out.copy_from_slice(&tag);
    Ok(())
}

/// Decrypts chunk `index` in place (plaintext then tag, as sealed); returns the plaintext length.
/// A failure is [`ErrorKind::CorruptedPayload`] naming the chunk.
pub(crate) fn open_chunk(
    keys: &ContentKeys,
    aad: &[u8],
    header: &Header,
    index: u64,
    chunk: &mut [u8],
) -> Result<usize> {
    let last = index + 1 == header.chunk_count();
    let n = chunk.len() - TAG_LEN;
    let (ct, tag) = chunk.split_at_mut(n);
    let tag: [u8; TAG_LEN] = (&*tag).try_into().expect("TAG_LEN bytes");
    keys.aead
        .session(&[])
        .open(&chunk_nonce(index, last), aad, ct, &tag)
        .map_err(|_| Error::new(ErrorKind::CorruptedPayload, format!("payload chunk {index} does not authenticate")))?;
    Ok(n)
}

/// The suite's hash: SHA-256 or SM3.
pub(crate) enum Hasher {
    Sha256(ring::digest::Context),
    Sm3(sm3::Sm3),
}

impl Hasher {
    pub(crate) fn new(suite: Suite) -> Hasher {
        match suite {
            Suite::Aes => Hasher::Sha256(ring::digest::Context::new(&ring::digest::SHA256)),
            Suite::Sm => Hasher::Sm3(sm3::Sm3::default()),
        }
    }

    pub(crate) fn update(&mut self, data: &[u8]) {
        match self {
            Hasher::Sha256(c) => c.update(data),
            Hasher::Sm3(c) => c.update(data),
        }
    }

    pub(crate) fn finish(self) -> [u8; 32] {
        match self {
            Hasher::Sha256(c) => c.finish().as_ref().try_into().expect("32 bytes"),
            Hasher::Sm3(c) => c.finalize().into(),
        }
    }

    pub(crate) fn digest(suite: Suite, data: &[u8]) -> [u8; 32] {
        let mut h = Hasher::new(suite);
        h.update(data);
        h.finish()
    }
}

/// The message the sender signs: context, header (with its length), body length and body hash.
pub(crate) fn signed_message(header: &[u8], body_len: u64, body_hash: &[u8; 32]) -> Vec<u8> {
    let mut m = Vec::with_capacity(SIGNATURE_CONTEXT.len() + 4 + header.len() + 8 + 32);
    m.extend_from_slice(SIGNATURE_CONTEXT);
    m.extend_from_slice(&(header.len() as u32).to_be_bytes());
    m.extend_from_slice(header);
    m.extend_from_slice(&body_len.to_be_bytes());
    m.extend_from_slice(body_hash);
    m
}

/// The associated data of every chunk: the hash of the exact header bytes.
pub(crate) fn chunk_aad(suite: Suite, header: &[u8]) -> [u8; 32] {
    Hasher::digest(suite, header)
}

/// The HPKE associated data of a recipient's wrapped key: message id, sender key id and
/// recipient key id.
pub(crate) fn wrap_aad(h: &Header, recipient_key_id: &[u8; 32]) -> [u8; MESSAGE_ID_LEN + 64] {
    let mut a = [0u8; MESSAGE_ID_LEN + 64];
    a[..MESSAGE_ID_LEN].copy_from_slice(&h.message_id);
    a[MESSAGE_ID_LEN..MESSAGE_ID_LEN + 32].copy_from_slice(h.sender_key_id.as_bytes());
    a[MESSAGE_ID_LEN + 32..].copy_from_slice(recipient_key_id);
    a
}

/// A fresh content key.
pub(crate) type ContentKey = Zeroizing<[u8; 32]>;
