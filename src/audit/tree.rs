//! The Merkle tree of RFC 9162 section 2.1: an in-memory tree that produces roots of any past size
//! and proofs, and a constant-memory frontier that only follows the root (for verifiers).

use super::hash::{empty_root, node_hash, Hash};
use super::proof::{ConsistencyProof, InclusionProof};
use crate::{Error, ErrorKind, Result, Suite};

/// An append-only Merkle tree over leaf hashes. Keeps every complete (perfect, aligned) subtree's
/// hash: 64 bytes per leaf in all, so that the root of any past size and every proof take
/// O(log² n) hashes, not O(n).
///
/// ```
/// use privshare::audit::{hash, MerkleTree};
/// use privshare::Suite;
/// let mut tree = MerkleTree::new(Suite::Aes);
/// for i in 0..7u8 {
///     tree.push(hash::leaf_hash(Suite::Aes, &[i]));
/// }
/// let old = tree.root_at(3)?;
/// let proof = tree.inclusion_proof(5, 7)?;
/// proof.verify(&hash::leaf_hash(Suite::Aes, &[5]), &tree.root())?;
/// tree.consistency_proof(3, 7)?.verify(&old, &tree.root())?;
/// # Ok::<(), privshare::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct MerkleTree {
    suite: Suite,
    /// `levels[k][i]` is the hash of the perfect subtree over leaves `[i·2^k, (i+1)·2^k)`.
    levels: Vec<Vec<Hash>>,
}

impl MerkleTree {
    /// An empty tree hashing in `suite`'s algorithm.
    pub fn new(suite: Suite) -> MerkleTree {
        MerkleTree { suite, levels: vec![Vec::new()] }
    }

    /// The suite whose hash the tree uses.
    pub fn suite(&self) -> Suite {
        self.suite
    }

    /// The number of leaves.
    pub fn len(&self) -> u64 {
        self.levels[0].len() as u64
    }

    /// Whether the tree has no leaves.
    pub fn is_empty(&self) -> bool {
        self.levels[0].is_empty()
    }

    /// Appends a leaf hash (see [`super::hash::leaf_hash`]).
    pub fn push(&mut self, leaf: Hash) {
        self.levels[0].push(leaf);
        let mut index = self.levels[0].len() - 1;
        let mut level = 0;
        while index & 1 == 1 {
            let row = &self.levels[level];
            let parent = node_hash(self.suite, &row[index - 1], &row[index]);
            level += 1;
            if self.levels.len() == level {
                self.levels.push(Vec::new());
            }
            self.levels[level].push(parent);
            index >>= 1;
        }
    }

    /// The hash of leaf `index`, if it exists.
    pub fn leaf(&self, index: u64) -> Option<Hash> {
        usize::try_from(index).ok().and_then(|i| self.levels[0].get(i).copied())
    }

    /// The root of the whole tree.
    pub fn root(&self) -> Hash {
        self.range_hash(0, self.len())
    }

    /// The root the tree had when it held `size` leaves (`InvalidArgument` beyond its size).
    pub fn root_at(&self, size: u64) -> Result<Hash> {
        self.check_size(size)?;
        Ok(self.range_hash(0, size))
    }

    /// The inclusion proof of leaf `index` in the tree of `size` leaves (RFC 9162 section 2.1.3.1).
    pub fn inclusion_proof(&self, index: u64, size: u64) -> Result<InclusionProof> {
        self.check_size(size)?;
        if index >= size {
            return Err(Error::new(ErrorKind::InvalidArgument, "leaf index is not below the tree size"));
        }
        let mut path = Vec::new();
        self.path(index, 0, size, &mut path);
        Ok(InclusionProof { suite: self.suite, leaf_index: index, tree_size: size, path })
    }

    /// The consistency proof between the trees of `old_size` and `new_size` leaves
    /// (RFC 9162 section 2.1.4.1); `0 < old_size <= new_size`.
    pub fn consistency_proof(&self, old_size: u64, new_size: u64) -> Result<ConsistencyProof> {
        self.check_size(new_size)?;
        if old_size == 0 || old_size > new_size {
            return Err(Error::new(ErrorKind::InvalidArgument, "consistency needs 0 < old size <= new size"));
        }
        let mut path = Vec::new();
        if old_size < new_size {
            self.subproof(old_size, 0, new_size, true, &mut path);
        }
        Ok(ConsistencyProof { suite: self.suite, old_size, new_size, path })
    }

    fn check_size(&self, size: u64) -> Result<()> {
        if size > self.len() {
            return Err(Error::new(ErrorKind::InvalidArgument, format!("the tree has only {} leaves", self.len())));
        }
        Ok(())
    }

    /// The frontier of the whole tree (its perfect subtrees' hashes), to follow the root from here.
    pub(crate) fn frontier(&self) -> Frontier {
        let size = self.len();
        let mut stack = Vec::with_capacity(64);
        let mut offset = 0;
        for bit in (0..64).rev() {
            if size >> bit & 1 == 1 {
                stack.push(self.levels[bit][(offset >> bit) as usize]);
                offset += 1 << bit;
            }
        }
        Frontier { suite: self.suite, size, stack }
    }

    /// MTH over leaves `[start, start + len)`, a range the RFC's recursion produces: `start` is a
    /// multiple of the smallest power of two >= `len`, so the range splits into perfect subtrees
    /// of decreasing size, one per bit of `len`, each already in `levels`.
    fn range_hash(&self, start: u64, len: u64) -> Hash {
        if len == 0 {
            return empty_root(self.suite);
        }
        let mut pieces = Vec::with_capacity(64);
        let mut offset = start;
        for bit in (0..64).rev() {
            if len >> bit & 1 == 1 {
                pieces.push(self.levels[bit][(offset >> bit) as usize]);
                offset += 1 << bit;
            }
        }
        let mut acc = pieces.pop().expect("len > 0");
        while let Some(left) = pieces.pop() {
            acc = node_hash(self.suite, &left, &acc);
        }
        acc
    }

    /// PATH(m, D[start : start + n]) of RFC 9162, appended to `out` leaf side first.
    fn path(&self, m: u64, start: u64, n: u64, out: &mut Vec<Hash>) {
        if n <= 1 {
            return;
        }
        let k = split(n);
        if m < k {
            self.path(m, start, k, out);
            out.push(self.range_hash(start + k, n - k));
        } else {
            self.path(m - k, start + k, n - k, out);
            out.push(self.range_hash(start, k));
        }
    }

    /// SUBPROOF(m, D[start : start + n], b) of RFC 9162.
    fn subproof(&self, m: u64, start: u64, n: u64, complete: bool, out: &mut Vec<Hash>) {
        if m == n {
            if !complete {
                out.push(self.range_hash(start, n));
            }
            return;
        }
        let k = split(n);
        if m <= k {
            self.subproof(m, start, k, complete, out);
            out.push(self.range_hash(start + k, n - k));
        } else {
            self.subproof(m - k, start + k, n - k, false, out);
            out.push(self.range_hash(start, k));
        }
    }
}

/// The largest power of two smaller than `n` (n >= 2).
fn split(n: u64) -> u64 {
    1 << (63 - (n - 1).leading_zeros())
}

/// The root of a growing tree in O(log n) memory: the hashes of its perfect subtrees, one per set
/// bit of the size, largest (leftmost) first. What a verifier needs to follow a log of any length.
#[derive(Clone, Debug)]
pub(crate) struct Frontier {
    suite: Suite,
    size: u64,
    stack: Vec<Hash>,
}

impl Frontier {
    pub(crate) fn new(suite: Suite) -> Frontier {
        Frontier { suite, size: 0, stack: Vec::with_capacity(64) }
    }

    pub(crate) fn size(&self) -> u64 {
        self.size
    }

    pub(crate) fn push(&mut self, leaf: Hash) {
        let mut h = leaf;
        let mut s = self.size;
        while s & 1 == 1 {
            let left = self.stack.pop().expect("one subtree per set bit");
            h = node_hash(self.suite, &left, &h);
            s >>= 1;
        }
        self.stack.push(h);
        self.size += 1;
    }

    pub(crate) fn root(&self) -> Hash {
        let mut it = self.stack.iter().rev();
        let Some(&last) = it.next() else { return empty_root(self.suite) };
        it.fold(last, |acc, left| node_hash(self.suite, left, &acc))
    }
}

#[cfg(test)]
mod tests {
    use super::super::hash::leaf_hash;
    use super::*;

    /// MTH of RFC 9162 section 2.1.1, literally.
    fn reference_root(suite: Suite, leaves: &[Hash]) -> Hash {
        match leaves.len() {
            0 => empty_root(suite),
            1 => leaves[0],
            n => {
                let k = split(n as u64) as usize;
                node_hash(suite, &reference_root(suite, &leaves[..k]), &reference_root(suite, &leaves[k..]))
            }
        }
    }

    #[test]
    fn tree_and_frontier_agree_with_the_definition() {
        for suite in Suite::ALL {
            let leaves: Vec<Hash> = (0..70u32).map(|i| leaf_hash(suite, &i.to_be_bytes())).collect();
            let mut tree = MerkleTree::new(suite);
            let mut frontier = Frontier::new(suite);
            assert_eq!(tree.root(), empty_root(suite));
            for (i, &l) in leaves.iter().enumerate() {
                tree.push(l);
                frontier.push(l);
                let want = reference_root(suite, &leaves[..=i]);
                assert_eq!((tree.root(), frontier.root()), (want, want), "size {}", i + 1);
                assert_eq!(frontier.size(), i as u64 + 1);
                assert_eq!(tree.frontier().root(), want);
            }
            for size in 0..=70 {
                assert_eq!(tree.root_at(size).unwrap(), reference_root(suite, &leaves[..size as usize]));
            }
            assert!(tree.root_at(71).is_err());
        }
    }

    #[test]
    fn split_is_the_largest_smaller_power_of_two() {
        for (n, k) in [(2, 1), (3, 2), (4, 2), (5, 4), (8, 4), (9, 8), (u64::MAX, 1 << 63)] {
            assert_eq!(split(n), k, "{n}");
        }
    }
}
