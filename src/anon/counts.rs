//! The table behind [`Frequencies`](super::Frequencies): records per distinct combination of
//! codes. Nearly every row of a large table can be a combination of its own (dates × places), so
//! the bytes per combination bound the memory of the two-pass path. When every code fits, a
//! combination is packed into one `u64` (a map entry of 16 bytes instead of a boxed slice and its
//! allocation); a dictionary column that outgrows its bits moves the table to slices for good.

use std::collections::HashMap;

use super::classes::KeyMap;

#[derive(Clone, Debug)]
enum Store {
    Packed(KeyMap<u64>),
    Wide(HashMap<Box<[u32]>, u64>),
}

/// Records per combination of codes (one code per counted column).
#[derive(Clone, Debug)]
pub(crate) struct CountTable {
    /// Bits of each column in a packed key. Column 0 takes the highest bits, so packed keys sort
    /// as their codes do (lexicographically).
    bits: Vec<u32>,
    shifts: Vec<u32>,
    store: Store,
}

/// The combinations sorted by their codes, with their records.
pub(crate) enum Sorted {
    /// Packed keys (which sort as their codes do) and records.
    Packed { bits: Vec<u32>, shifts: Vec<u32>, entries: Vec<(u64, u64)> },
    /// Every combination's codes one after the other, the sorted order, and records.
    Wide { m: usize, flat: Vec<u32>, order: Vec<u32>, counts: Vec<u64> },
}

impl Sorted {
    /// The codes of column `j`, one per combination in sorted order.
    pub fn column(&self, j: usize) -> Vec<u32> {
        match self {
            Sorted::Packed { bits, shifts, entries } => {
                entries.iter().map(|e| ((e.0 >> shifts[j]) & mask(bits[j])) as u32).collect()
            }
            Sorted::Wide { m, flat, order, .. } => order.iter().map(|&i| flat[i as usize * m + j]).collect(),
        }
    }

    /// The records of each combination in sorted order, in 32 bits (the caller has checked
    /// that the total fits).
    pub fn weights(&self) -> Vec<u32> {
        match self {
            Sorted::Packed { entries, .. } => entries.iter().map(|e| e.1 as u32).collect(),
            Sorted::Wide { order, counts, .. } => order.iter().map(|&i| counts[i as usize] as u32).collect(),
        }
    }
}

fn mask(bits: u32) -> u64 {
    if bits >= 64 {
        u64::MAX
    } else {
        (1u64 << bits) - 1
    }
}

impl CountTable {
    /// A table for columns whose codes need at most `widths[j]` bits (`None`: a dictionary that
    /// grows as values arrive; those share the bits the others leave, and the table moves to
    /// slices if one outgrows its share).
    pub fn new(widths: &[Option<u32>]) -> CountTable {
        let fixed: u32 = widths.iter().map(|w| w.unwrap_or(0)).sum();
        let growing = widths.iter().filter(|w| w.is_none()).count() as u32;
        let share = 64u32.saturating_sub(fixed).checked_div(growing).unwrap_or(0).min(32);
        let bits: Vec<u32> = widths.iter().map(|w| w.unwrap_or(share)).collect();
        let packed = fixed <= 64 && (growing == 0 || share > 0);
        let mut shifts = vec![0u32; bits.len()];
        let mut shift = 0u32;
        for j in (0..bits.len()).rev() {
            shifts[j] = shift;
            shift = shift.saturating_add(bits[j]);
        }
        let store = if packed { Store::Packed(KeyMap::default()) } else { Store::Wide(HashMap::new()) };
        CountTable { bits, shifts, store }
    }

    pub fn len(&self) -> usize {
        match &self.store {
            Store::Packed(m) => m.len(),
            Store::Wide(m) => m.len(),
        }
    }

    /// The packed key of `codes`, if every code fits its bits.
    #[inline]
    fn pack(&self, codes: &[u32]) -> Option<u64> {
        let mut k = 0u64;
        for ((&c, &b), &s) in codes.iter().zip(&self.bits).zip(&self.shifts) {
            if c as u64 > mask(b) {
                return None;
            }
            k |= (c as u64) << s;
        }
        Some(k)
    }

    fn unpack(&self, key: u64, out: &mut Vec<u32>) {
        out.clear();
        out.extend(self.bits.iter().zip(&self.shifts).map(|(&b, &s)| ((key >> s) & mask(b)) as u32));
    }

    /// Moves every combination to slices (a dictionary code outgrew its bits).
    fn widen(&mut self) {
        if let Store::Packed(m) = &mut self.store {
            let packed = std::mem::take(m);
            let mut wide = HashMap::with_capacity(packed.len());
            let mut codes = Vec::with_capacity(self.bits.len());
            for (k, n) in packed {
                self.unpack(k, &mut codes);
                wide.insert(codes.as_slice().into(), n);
            }
            self.store = Store::Wide(wide);
        }
    }

    pub fn contains(&self, codes: &[u32]) -> bool {
        match &self.store {
            Store::Packed(m) => self.pack(codes).is_some_and(|k| m.contains_key(&k)),
            Store::Wide(m) => m.contains_key(codes),
        }
    }

    /// Adds `n` records of `codes`; `false` (and nothing added) when the combination is new and
    /// the table already holds `limit`.
    pub fn add(&mut self, codes: &[u32], n: u64, limit: usize) -> bool {
        let len = self.len();
        if let Store::Packed(m) = &mut self.store {
            let mut k = 0u64;
            let mut fits = true;
            for ((&c, &b), &s) in codes.iter().zip(&self.bits).zip(&self.shifts) {
                fits &= c as u64 <= mask(b);
                k |= (c as u64) << s;
            }
            if fits {
                if let Some(c) = m.get_mut(&k) {
                    *c += n;
                    return true;
                }
                if len >= limit {
                    return false;
                }
                m.insert(k, n);
                return true;
            }
            // A code past its bits cannot be in the packed map: the combination is new.
            if len >= limit {
                return false;
            }
            self.widen();
        }
        let Store::Wide(m) = &mut self.store else { return false };
        if let Some(c) = m.get_mut(codes) {
            *c += n;
        } else {
            if len >= limit {
                return false;
            }
            m.insert(codes.into(), n);
        }
        true
    }

    /// Every combination and its records, in no particular order.
    pub fn for_each(&self, mut f: impl FnMut(&[u32], u64)) {
        match &self.store {
            Store::Packed(m) => {
                let mut codes = Vec::with_capacity(self.bits.len());
                for (&k, &n) in m {
                    self.unpack(k, &mut codes);
                    f(&codes, n);
                }
            }
            Store::Wide(m) => m.iter().for_each(|(k, &n)| f(k, n)),
        }
    }

    /// An iterator over the combinations (decoded into a fresh vector each).
    pub fn iter(&self) -> impl Iterator<Item = (Vec<u32>, u64)> + '_ {
        let (packed, wide) = match &self.store {
            Store::Packed(m) => (Some(m.iter()), None),
            Store::Wide(m) => (None, Some(m.iter())),
        };
        let packed = packed.into_iter().flatten().map(|(&k, &n)| {
            let mut codes = Vec::with_capacity(self.bits.len());
            self.unpack(k, &mut codes);
            (codes, n)
        });
        packed.chain(wide.into_iter().flatten().map(|(k, &n)| (k.to_vec(), n)))
    }

    /// The combinations with each column's codes mapped through `remap[j]` (a permutation of the
    /// column's codes, or `None` to keep them), sorted by the mapped codes: no allocation per
    /// combination, so that the caller can free the table before building anything more.
    pub fn sorted(&self, remap: &[Option<Vec<u32>>]) -> Sorted {
        let m = self.bits.len();
        match &self.store {
            Store::Packed(map) => {
                // A permutation of a column's codes keeps them within its bits.
                let mut entries: Vec<(u64, u64)> = Vec::with_capacity(map.len());
                for (&k, &n) in map {
                    let mut key = 0u64;
                    for ((&b, &s), r) in self.bits.iter().zip(&self.shifts).zip(remap) {
                        let c = ((k >> s) & mask(b)) as u32;
                        let c = r.as_ref().map_or(c, |r| r[c as usize]);
                        key |= (c as u64) << s;
                    }
                    entries.push((key, n));
                }
                entries.sort_unstable_by_key(|e| e.0);
                Sorted::Packed { bits: self.bits.clone(), shifts: self.shifts.clone(), entries }
            }
            Store::Wide(map) => {
                let mut flat: Vec<u32> = Vec::with_capacity(map.len() * m);
                let mut counts: Vec<u64> = Vec::with_capacity(map.len());
                for (k, &n) in map {
                    flat.extend(k.iter().zip(remap).map(|(&c, r)| r.as_ref().map_or(c, |r| r[c as usize])));
                    counts.push(n);
                }
                let key = |i: u32| &flat[i as usize * m..(i as usize + 1) * m];
                let mut order: Vec<u32> = (0..counts.len() as u32).collect();
                order.sort_unstable_by(|&a, &b| key(a).cmp(key(b)));
                Sorted::Wide { m, flat, order, counts }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(s: &Sorted, m: usize) -> Vec<Vec<u32>> {
        (0..m).map(|j| s.column(j)).collect()
    }

    #[test]
    fn a_dictionary_that_outgrows_its_bits_moves_to_slices_with_the_same_counts() {
        // 60 fixed bits leave 4 for the dictionary: codes 0..16 pack, 16 does not.
        let mut packed = CountTable::new(&[Some(60), None]);
        let mut wide = CountTable::new(&[Some(60), Some(64)]); // 124 bits: slices from the start
        let records: Vec<([u32; 2], u64)> = (0..40u32).map(|i| ([i % 3, i % 17], u64::from(i % 4 + 1))).collect();
        for (codes, n) in &records {
            assert!(packed.add(codes, *n, usize::MAX));
            assert!(wide.add(codes, *n, usize::MAX));
            assert!(packed.contains(codes));
        }
        assert!(matches!(packed.store, Store::Wide(_)));
        assert_eq!(packed.len(), wide.len());
        let mut a: Vec<_> = packed.iter().collect();
        let mut b: Vec<_> = wide.iter().collect();
        a.sort();
        b.sort();
        assert_eq!(a, b);
        let remap = [None, Some((0..17).rev().collect::<Vec<u32>>())];
        let (x, y) = (packed.sorted(&remap), wide.sorted(&remap));
        assert_eq!((columns(&x, 2), x.weights()), (columns(&y, 2), y.weights()));
    }

    #[test]
    fn packed_keys_sort_as_their_codes_and_the_limit_holds() {
        let mut t = CountTable::new(&[Some(2), Some(3), None]);
        assert!(matches!(t.store, Store::Packed(_)));
        for codes in [[3, 0, 9], [0, 7, 1], [0, 7, 0], [1, 2, 3], [0, 7, 1]] {
            assert!(t.add(&codes, 1, 4));
        }
        assert!(!t.add(&[2, 2, 2], 1, 4), "a fifth combination passes the limit");
        assert!(t.add(&[3, 0, 9], 2, 4), "a known one is still counted");
        let s = t.sorted(&[None, None, None]);
        assert_eq!(columns(&s, 3), [vec![0, 0, 1, 3], vec![7, 7, 2, 0], vec![0, 1, 3, 9]]);
        assert_eq!(s.weights(), [1, 2, 1, 3]);
    }
}
