//! Inclusion and consistency proofs: verification (RFC 9162 sections 2.1.3.2 and 2.1.4.2) and
//! their byte encodings (section 5 of `docs/formats/audit-log.md`).
//!
//! Every failed verification is the one generic `AuthenticationFailed`: a proof either proves what
//! it claims or nothing.

use super::hash::{node_hash, Hash, HASH_LEN};
use crate::{Error, ErrorKind, Result, Suite};

/// The most hashes a decoded proof may hold (a tree of 2^64 leaves needs at most 64 for
/// inclusion and 65 for consistency).
pub const MAX_PROOF_HASHES: usize = 65;

const INCLUSION_TAG: u8 = b'I';
const CONSISTENCY_TAG: u8 = b'C';
const PROOF_VERSION: u8 = 1;
const PROOF_HEAD_LEN: usize = 1 + 1 + 1 + 8 + 8 + 1;

/// Proof that a leaf is at `leaf_index` in the tree of `tree_size` leaves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InclusionProof {
    /// The suite whose hash the tree uses.
    pub suite: Suite,
    /// The leaf's index (from 0).
    pub leaf_index: u64,
    /// The size of the tree the proof is for.
    pub tree_size: u64,
    /// The audit path, leaf side first.
    pub path: Vec<Hash>,
}

/// Proof that the tree of `old_size` leaves is a prefix of the tree of `new_size` leaves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsistencyProof {
    /// The suite whose hash the tree uses.
    pub suite: Suite,
    /// The older (smaller) tree size, at least 1.
    pub old_size: u64,
    /// The newer tree size.
    pub new_size: u64,
    /// The proof's node hashes (empty when the sizes are equal).
    pub path: Vec<Hash>,
}

fn failed() -> Error {
    Error::authentication_failed()
}

impl InclusionProof {
    /// The root this proof yields for `leaf_hash`, or `AuthenticationFailed` if the proof's shape
    /// does not fit its index and size.
    pub fn root_for(&self, leaf_hash: &Hash) -> Result<Hash> {
        if self.leaf_index >= self.tree_size {
            return Err(failed());
        }
        let (mut fnode, mut snode) = (self.leaf_index, self.tree_size - 1);
        let mut r = *leaf_hash;
        for p in &self.path {
            if snode == 0 {
                return Err(failed());
            }
            if fnode & 1 == 1 || fnode == snode {
                r = node_hash(self.suite, p, &r);
                while fnode & 1 == 0 && fnode != 0 {
                    fnode >>= 1;
                    snode >>= 1;
                }
            } else {
                r = node_hash(self.suite, &r, p);
            }
            fnode >>= 1;
            snode >>= 1;
        }
        if snode != 0 {
            return Err(failed());
        }
        Ok(r)
    }

    /// Checks that `leaf_hash` is leaf `leaf_index` of the tree of `tree_size` leaves whose root is
    /// `root`.
    pub fn verify(&self, leaf_hash: &Hash, root: &Hash) -> Result<()> {
        if self.root_for(leaf_hash)? != *root {
            return Err(failed());
        }
        Ok(())
    }

    /// The byte encoding.
    pub fn encode(&self) -> Vec<u8> {
        encode(INCLUSION_TAG, self.suite, self.leaf_index, self.tree_size, &self.path)
    }

    /// Decodes [`InclusionProof::encode`]'s bytes (`MalformedAuditLog` with an offset otherwise).
    pub fn decode(bytes: &[u8]) -> Result<InclusionProof> {
        let (suite, leaf_index, tree_size, path) = decode(INCLUSION_TAG, bytes)?;
        Ok(InclusionProof { suite, leaf_index, tree_size, path })
    }
}

impl ConsistencyProof {
    /// Checks that the tree of `old_size` leaves with root `old_root` is a prefix of the tree of
    /// `new_size` leaves with root `new_root`. A proof from size 0 proves nothing and fails.
    pub fn verify(&self, old_root: &Hash, new_root: &Hash) -> Result<()> {
        let (old, new) = (self.old_size, self.new_size);
        if old == 0 || old > new {
            return Err(failed());
        }
        if old == new {
            return if self.path.is_empty() && old_root == new_root { Ok(()) } else { Err(failed()) };
        }
        // RFC 9162 section 2.1.4.2, steps 1 to 7.
        let mut path: Vec<&Hash> = Vec::with_capacity(self.path.len() + 1);
        if old.is_power_of_two() {
            path.push(old_root);
        }
        path.extend(self.path.iter());
        let Some((&first, rest)) = path.split_first() else { return Err(failed()) };
        if self.path.is_empty() {
            return Err(failed());
        }
        let (mut fnode, mut snode) = (old - 1, new - 1);
        while fnode & 1 == 1 {
            fnode >>= 1;
            snode >>= 1;
        }
        let (mut fr, mut sr) = (*first, *first);
        for &c in rest {
            if snode == 0 {
                return Err(failed());
            }
            if fnode & 1 == 1 || fnode == snode {
                fr = node_hash(self.suite, c, &fr);
                sr = node_hash(self.suite, c, &sr);
                while fnode & 1 == 0 && fnode != 0 {
                    fnode >>= 1;
                    snode >>= 1;
                }
            } else {
                sr = node_hash(self.suite, &sr, c);
            }
            fnode >>= 1;
            snode >>= 1;
        }
        if fr != *old_root || sr != *new_root || snode != 0 {
            return Err(failed());
        }
        Ok(())
    }

    /// The byte encoding.
    pub fn encode(&self) -> Vec<u8> {
        encode(CONSISTENCY_TAG, self.suite, self.old_size, self.new_size, &self.path)
    }

    /// Decodes [`ConsistencyProof::encode`]'s bytes (`MalformedAuditLog` with an offset otherwise).
    pub fn decode(bytes: &[u8]) -> Result<ConsistencyProof> {
        let (suite, old_size, new_size, path) = decode(CONSISTENCY_TAG, bytes)?;
        Ok(ConsistencyProof { suite, old_size, new_size, path })
    }
}

fn encode(tag: u8, suite: Suite, a: u64, b: u64, path: &[Hash]) -> Vec<u8> {
    let mut out = Vec::with_capacity(PROOF_HEAD_LEN + HASH_LEN * path.len());
    out.extend_from_slice(&[tag, PROOF_VERSION, suite.id()]);
    out.extend_from_slice(&a.to_be_bytes());
    out.extend_from_slice(&b.to_be_bytes());
    out.push(u8::try_from(path.len()).expect("a proof has at most 65 hashes"));
    for h in path {
        out.extend_from_slice(h);
    }
    out
}

type Decoded = (Suite, u64, u64, Vec<Hash>);

fn decode(tag: u8, bytes: &[u8]) -> Result<Decoded> {
    let bad = |what: &str, at: usize| {
        Err(Error::new(ErrorKind::MalformedAuditLog, format!("proof: {what}")).at_offset(at as u64))
    };
    if bytes.len() < PROOF_HEAD_LEN {
        return bad("truncated", bytes.len());
    }
    if bytes[0] != tag {
        return bad(if tag == INCLUSION_TAG { "not an inclusion proof" } else { "not a consistency proof" }, 0);
    }
    if bytes[1] != PROOF_VERSION {
        return bad("unknown version", 1);
    }
    let Some(suite) = Suite::from_id(bytes[2]) else { return bad("unknown suite", 2) };
    let a = u64::from_be_bytes(bytes[3..11].try_into().expect("8 bytes"));
    let b = u64::from_be_bytes(bytes[11..19].try_into().expect("8 bytes"));
    let n = bytes[19] as usize;
    if n > MAX_PROOF_HASHES {
        return bad("more than 65 hashes", 19);
    }
    let body = &bytes[PROOF_HEAD_LEN..];
    if body.len() != n * HASH_LEN {
        return bad("length does not match the hash count", PROOF_HEAD_LEN + body.len().min(n * HASH_LEN));
    }
    let path = body.chunks_exact(HASH_LEN).map(|c| c.try_into().expect("32 bytes")).collect();
    Ok((suite, a, b, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_round_trip_and_are_strict() {
        let p = InclusionProof { suite: Suite::Sm, leaf_index: 3, tree_size: 9, path: vec![[1; 32], [2; 32]] };
        let bytes = p.encode();
        assert_eq!(InclusionProof::decode(&bytes).unwrap(), p);
        assert!(ConsistencyProof::decode(&bytes).is_err(), "tag distinguishes the kinds");
        for cut in 0..bytes.len() {
            assert!(InclusionProof::decode(&bytes[..cut]).is_err());
        }
        let mut long = bytes.clone();
        long.push(0);
        assert!(InclusionProof::decode(&long).is_err());
        let c = ConsistencyProof { suite: Suite::Aes, old_size: 1, new_size: 1, path: vec![] };
        assert_eq!(ConsistencyProof::decode(&c.encode()).unwrap(), c);
    }
}
