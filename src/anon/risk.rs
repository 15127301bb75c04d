//! Re-identification risk under the prosecutor model: an attacker who knows a person is in the
//! table and knows their quasi-identifiers picks one record of the matching class, so the risk of
//! a record is `1 / |class|`.

/// Prosecutor risk of a table, from its equivalence class sizes.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Risk {
    /// Records considered (suppressed records are not: they match nobody).
    pub records: u64,
    /// Highest risk of any record (`1 / smallest class`).
    pub highest: f64,
    /// Average risk over records (`classes / records`).
    pub average: f64,
    /// The threshold used for `share_above_threshold`.
    pub threshold: f64,
    /// Share of records whose risk exceeds the threshold.
    pub share_above_threshold: f64,
    /// Share of records that are unique in the table.
    pub sample_uniques: f64,
    /// Number of classes by size: `(label, classes, records)`.
    pub class_sizes: Vec<(String, u64, u64)>,
}

const BUCKETS: &[(u64, u64, &str)] = &[
    (1, 1, "1"),
    (2, 2, "2"),
    (3, 4, "3-4"),
    (5, 9, "5-9"),
    (10, 19, "10-19"),
    (20, 49, "20-49"),
    (50, 99, "50-99"),
    (100, u64::MAX, "100+"),
];

impl Risk {
    /// Risk from class sizes.
    pub fn from_sizes(sizes: impl IntoIterator<Item = u64>, threshold: f64) -> Risk {
        let mut records = 0u64;
        let mut classes = 0u64;
        let mut min = u64::MAX;
        let mut above = 0u64;
        let mut uniques = 0u64;
        let mut hist = vec![(0u64, 0u64); BUCKETS.len()];
        for s in sizes {
            if s == 0 {
                continue;
            }
            records += s;
            classes += 1;
            min = min.min(s);
            if 1.0 / s as f64 > threshold {
                above += s;
            }
            if s == 1 {
                uniques += 1;
            }
            let b = BUCKETS.iter().position(|&(lo, hi, _)| s >= lo && s <= hi).unwrap_or(BUCKETS.len() - 1);
            hist[b].0 += 1;
            hist[b].1 += s;
        }
        let n = records.max(1) as f64;
        Risk {
            records,
            highest: if classes == 0 { 0.0 } else { 1.0 / min as f64 },
            average: classes as f64 / n,
            threshold,
            share_above_threshold: above as f64 / n,
            sample_uniques: uniques as f64 / n,
            class_sizes: BUCKETS
                .iter()
                .zip(hist)
                .filter(|(_, h)| h.0 > 0)
                .map(|(b, h)| (b.2.to_string(), h.0, h.1))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn risk_from_sizes() {
        let r = Risk::from_sizes([1, 2, 5], 0.2);
        assert_eq!(r.records, 8);
        assert_eq!(r.highest, 1.0);
        assert!((r.average - 3.0 / 8.0).abs() < 1e-12);
        assert!((r.share_above_threshold - 3.0 / 8.0).abs() < 1e-12);
        assert!((r.sample_uniques - 1.0 / 8.0).abs() < 1e-12);
        assert_eq!(r.class_sizes[2], ("5-9".to_string(), 1, 5));
    }
}
