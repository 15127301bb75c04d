//! The log's hash function and its RFC 9162 domain separation.
//!
//! SHA-256 (ring) in the `Aes` suite, SM3 (RustCrypto) in the `Sm` suite; both give 32 bytes.
//! A leaf is hashed as `H(0x00 || record bytes)` and an interior node as `H(0x01 || left || right)`,
//! so that no leaf can pass for a node (RFC 9162 section 2.1.1); the empty tree's hash is `H("")`.

use crate::Suite;
use sm3::Digest as _;

/// A 32-byte hash: a leaf, a node, a tree root or a payload digest.
pub type Hash = [u8; 32];

/// The length of every hash in the log.
pub const HASH_LEN: usize = 32;

const LEAF_PREFIX: u8 = 0x00;
const NODE_PREFIX: u8 = 0x01;

/// An incremental hash in a suite's algorithm (SHA-256 or SM3), e.g. for the payload digest that a
/// record carries when the payload is streamed.
///
/// ```
/// use privshare::{audit::Hasher, Suite};
/// let mut h = Hasher::new(Suite::Aes);
/// h.update(b"a");
/// h.update(b"bc");
/// assert_eq!(h.finish(), Hasher::digest(Suite::Aes, b"abc"));
/// ```
#[derive(Clone)]
pub struct Hasher(Inner);

#[derive(Clone)]
enum Inner {
    Sha256(ring::digest::Context),
    Sm3(sm3::Sm3),
}

impl Hasher {
    /// A new hash in the suite's algorithm.
    pub fn new(suite: Suite) -> Hasher {
        Hasher(match suite {
            Suite::Aes => Inner::Sha256(ring::digest::Context::new(&ring::digest::SHA256)),
            Suite::Sm => Inner::Sm3(sm3::Sm3::new()),
        })
    }

    /// Absorbs `data`.
    pub fn update(&mut self, data: &[u8]) {
        match &mut self.0 {
            Inner::Sha256(c) => c.update(data),
            Inner::Sm3(c) => c.update(data),
        }
    }

    /// The digest of everything absorbed.
    pub fn finish(self) -> Hash {
        let mut out = [0u8; HASH_LEN];
        match self.0 {
            Inner::Sha256(c) => out.copy_from_slice(c.finish().as_ref()),
            Inner::Sm3(c) => out.copy_from_slice(&c.finalize()),
        }
        out
    }

    /// The digest of `data` in one call.
    pub fn digest(suite: Suite, data: &[u8]) -> Hash {
        let mut h = Hasher::new(suite);
        h.update(data);
        h.finish()
    }
}

/// `H(0x00 || data)`: the hash of a leaf (a record's encoding).
pub fn leaf_hash(suite: Suite, data: &[u8]) -> Hash {
    let mut h = Hasher::new(suite);
    h.update(&[LEAF_PREFIX]);
    h.update(data);
    h.finish()
}

/// `H(0x01 || left || right)`: the hash of an interior node.
pub fn node_hash(suite: Suite, left: &Hash, right: &Hash) -> Hash {
    let mut buf = [0u8; 1 + 2 * HASH_LEN];
    buf[0] = NODE_PREFIX;
    buf[1..1 + HASH_LEN].copy_from_slice(left);
    buf[1 + HASH_LEN..].copy_from_slice(right);
    Hasher::digest(suite, &buf)
}

/// `H("")`: the root of the empty tree.
pub fn empty_root(suite: Suite) -> Hash {
    Hasher::digest(suite, b"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_answers() {
        // SHA-256("abc") (FIPS 180-2) and SM3("abc") (GB/T 32905-2016, example 1).
        assert_eq!(
            hex::encode(Hasher::digest(Suite::Aes, b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex::encode(Hasher::digest(Suite::Sm, b"abc")),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
        // RFC 6962's empty tree and the first leaf of the Certificate Transparency test tree.
        assert_eq!(
            hex::encode(empty_root(Suite::Aes)),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex::encode(leaf_hash(Suite::Aes, b"")),
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
        );
    }

    #[test]
    fn leaves_and_nodes_are_separated() {
        for suite in Suite::ALL {
            let (a, b) = ([1u8; 32], [2u8; 32]);
            let mut as_leaf = Vec::new();
            as_leaf.extend_from_slice(&a);
            as_leaf.extend_from_slice(&b);
            assert_ne!(leaf_hash(suite, &as_leaf), node_hash(suite, &a, &b));
        }
    }
}
