//! Equivalence classes of a full-domain transformation: records grouped by their generalized
//! quasi-identifier codes packed into one `u64`, with the histogram of each sensitive attribute.
//! A node's classes are rolled up from the classes of any node below it (classes only merge when
//! generalizing), so the rows are scanned once, for the bottom node.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::encode::Encoded;
use super::model::{merge_hist, Hist};

/// A cheap multiplicative hasher for `u64` keys (the keys are already well spread codes).
#[derive(Default, Clone, Copy)]
pub(crate) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ b as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u64(&mut self, k: u64) {
        let x = (k ^ (k >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        self.0 = x ^ (x >> 32);
    }
}

pub(crate) type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<KeyHasher>>;

/// Open-addressing index from packed keys to class numbers (linear probing, power-of-two size),
/// sized from an upper bound of the number of classes so that it never grows while grouping.
struct GroupIndex {
    slots: Vec<u32>,
    shift: u32,
}

impl GroupIndex {
    fn with_bound(n: usize) -> GroupIndex {
        let cap = (2 * n.max(8)).next_power_of_two();
        GroupIndex { slots: vec![u32::MAX; cap], shift: 64 - cap.trailing_zeros() }
    }

    /// The class of `key`, adding it (as `keys.len()`) when new.
    #[inline]
    fn find_or_insert(&mut self, key: u64, keys: &mut Vec<u64>) -> (u32, bool) {
        let mask = self.slots.len() - 1;
        let mut i = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize;
        loop {
            let c = self.slots[i];
            if c == u32::MAX {
                let c = keys.len() as u32;
                self.slots[i] = c;
                keys.push(key);
                return (c, true);
            }
            if keys[c as usize] == key {
                return (c, false);
            }
            i = (i + 1) & mask;
        }
    }
}

/// The classes of one node.
#[derive(Clone, Debug)]
pub(crate) struct Classes {
    pub levels: Vec<usize>,
    pub keys: Vec<u64>,
    pub counts: Vec<u32>,
    /// `hists[sensitive][class]`; empty when no model needs a histogram.
    pub hists: Vec<Vec<Hist>>,
}

/// At most one class per combination of level codes.
fn combinations(enc: &Encoded, levels: &[usize]) -> usize {
    enc.qis.iter().zip(levels).fold(1usize, |a, (q, &l)| a.saturating_mul(q.leaves[l].len()))
}

/// Room for keys and counts: the bound when small, else let them grow (a bound of a million
/// classes that merge into a thousand would hold megabytes for nothing).
fn reserve(bound: usize) -> (Vec<u64>, Vec<u32>) {
    let n = bound.min(1 << 16);
    (Vec::with_capacity(n), Vec::with_capacity(n))
}

impl Classes {
    /// Classes without spare capacity: nodes are cached while the search runs.
    fn new(levels: &[usize], mut keys: Vec<u64>, mut counts: Vec<u32>, hists: Vec<Vec<Hist>>) -> Classes {
        keys.shrink_to_fit();
        counts.shrink_to_fit();
        Classes { levels: levels.to_vec(), keys, counts, hists }
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Groups the records at the given levels (one scan of the encoded rows, each counted with its
    /// weight).
    pub fn from_rows(enc: &Encoded, levels: &[usize], with_hists: bool) -> Classes {
        if enc.grouped && levels.iter().all(|&l| l == 0) {
            return Classes::from_runs(enc, levels, with_hists);
        }
        let bound = enc.units.min(combinations(enc, levels));
        let mut index = GroupIndex::with_bound(bound);
        let (mut keys, mut counts) = reserve(bound);
        let ns = if with_hists { enc.sens.len() } else { 0 };
        let mut hists: Vec<Vec<Hist>> = vec![Vec::new(); ns];
        for r in 0..enc.units {
            let w = enc.weight(r);
            let mut key = 0u64;
            for (q, &l) in enc.qis.iter().zip(levels) {
                key |= (q.gen[l][q.base.get(r)] as u64) << q.shift;
            }
            let (c, new) = index.find_or_insert(key, &mut keys);
            if new {
                counts.push(0);
                for h in hists.iter_mut() {
                    h.push(Vec::new());
                }
            }
            counts[c as usize] += w;
            for (s, h) in hists.iter_mut().enumerate() {
                merge_hist(&mut h[c as usize], &[(enc.sens[s].codes[r], w)]);
            }
        }
        Classes::new(levels, keys, counts, hists)
    }

    /// [`Classes::from_rows`] at the bottom node when equal rows are adjacent: each class is a
    /// run, so there is no index to build and the vectors have their final size from the start
    /// (from counts, nearly a class per encoded row: the index and the doubling vectors were the
    /// largest allocations of the search). Classes come in the same order as from the index.
    fn from_runs(enc: &Encoded, levels: &[usize], with_hists: bool) -> Classes {
        let key = |r: usize| enc.qis.iter().fold(0u64, |k, q| k | (q.gen[0][q.base.get(r)] as u64) << q.shift);
        let runs = (0..enc.units).filter(|&r| r == 0 || key(r) != key(r - 1)).count();
        let mut keys = Vec::with_capacity(runs);
        let mut counts: Vec<u32> = Vec::with_capacity(runs);
        let ns = if with_hists { enc.sens.len() } else { 0 };
        let mut hists: Vec<Vec<Hist>> = (0..ns).map(|_| Vec::with_capacity(runs)).collect();
        for r in 0..enc.units {
            let k = key(r);
            if keys.last() != Some(&k) {
                keys.push(k);
                counts.push(0);
                for h in hists.iter_mut() {
                    h.push(Vec::new());
                }
            }
            let w = enc.weight(r);
            let c = counts.len() - 1;
            counts[c] += w;
            for (s, h) in hists.iter_mut().enumerate() {
                merge_hist(&mut h[c], &[(enc.sens[s].codes[r], w)]);
            }
        }
        Classes::new(levels, keys, counts, hists)
    }

    /// The classes at `levels` (each at least `self.levels`), merged from these classes.
    pub fn roll_up(&self, enc: &Encoded, levels: &[usize]) -> Classes {
        // Columns whose level does not change keep their bits; only the others are looked up.
        let mut keep = 0u64;
        // Per changed column: its shift and mask, the hierarchy row of each code at the old level
        // and the code of each hierarchy row at the new level.
        let mut cols: Vec<(u32, u64, &[u32], &[u32])> = Vec::new();
        for (i, q) in enc.qis.iter().enumerate() {
            let (from, to) = (self.levels[i], levels[i]);
            let mask = if q.bits == 64 { u64::MAX } else { (1u64 << q.bits) - 1 };
            if from == to {
                keep |= mask << q.shift;
            } else {
                cols.push((q.shift, mask, q.label_row[from].as_slice(), q.gen[to].as_slice()));
            }
        }
        let bound = self.len().min(combinations(enc, levels));
        let mut index = GroupIndex::with_bound(bound);
        let (mut keys, mut counts) = reserve(bound);
        let mut hists: Vec<Vec<Hist>> = vec![Vec::new(); self.hists.len()];
        for (i, &k) in self.keys.iter().enumerate() {
            let mut key = k & keep;
            for &(shift, mask, row, gen) in &cols {
                key |= (gen[row[((k >> shift) & mask) as usize] as usize] as u64) << shift;
            }
            let (c, new) = index.find_or_insert(key, &mut keys);
            if new {
                counts.push(0);
                for h in hists.iter_mut() {
                    h.push(Vec::new());
                }
            }
            counts[c as usize] += self.counts[i];
            for (s, h) in hists.iter_mut().enumerate() {
                merge_hist(&mut h[c as usize], &self.hists[s][i]);
            }
        }
        Classes::new(levels, keys, counts, hists)
    }

    /// The code of column `col` in class `class`.
    pub fn code(&self, enc: &Encoded, class: usize, col: usize) -> u32 {
        let q = &enc.qis[col];
        let mask = if q.bits == 64 { u64::MAX } else { (1u64 << q.bits) - 1 };
        ((self.keys[class] >> q.shift) & mask) as u32
    }

    /// Which classes satisfy every model.
    pub fn passing(&self, enc: &Encoded) -> Vec<bool> {
        let doms: Vec<_> = enc.sens.iter().map(|s| &s.domain).collect();
        (0..self.len())
            .map(|c| enc.models.iter().all(|m| m.holds(self.counts[c], |s| self.hists[s][c].as_slice(), &doms)))
            .collect()
    }
}
