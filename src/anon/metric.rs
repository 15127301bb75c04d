//! Quality metrics with ARX's definitions (`org.deidentifier.arx.metric.v2`), so that numbers are
//! comparable with ARX. Lower is better for all of them.
//!
//! * **Loss** (generalized information loss, Iyengar 2002; ARX `MetricMDNMLoss`): a value
//!   generalized to a label covering `s` of the `d` values of the attribute's hierarchy loses
//!   `(s - 1) / (d - 1)`; a suppressed record loses 1 in every attribute. Averaged over records per
//!   attribute; attributes are combined by the geometric mean of `1 + loss` minus 1 (ARX's default,
//!   used as the search objective) or the arithmetic mean (the number reported as "loss").
//! * **Non-uniform entropy** (ARX `MetricMDNUNMEntropyPrecomputed`, ARX's
//!   `Metric.createEntropyMetric(false)`): summed over attributes and records, `-log2(a / b)` where
//!   `a` is the frequency of the record's original value and `b` that of its generalized value;
//!   suppressed records add, per attribute, `-c * log2(c / s)` for each generalized value held by
//!   `c` of the `s` suppressed records.
//! * **Monotonic non-uniform entropy** (ARX `MetricMDNUEntropyPrecomputed`,
//!   `createEntropyMetric(true)`): the first sum alone; suppression is free.
//! * **Discernibility** (ARX `MetricSDNMDiscernability`): `sum |E|^2` over classes plus `n` per
//!   suppressed record. **Monotonic discernibility** (DM*, ARX `MetricSDDiscernability`):
//!   `sum |E|^2` over all classes, suppressed or not.
//! * **Average equivalence class size** (ARX `MetricSDAECS`): `n / classes`, suppressed records
//!   counting as one class.
//! * **Precision** (Sweeney; ARX `MetricMDPrecision`): the mean over attributes and records of
//!   `level / height`, 1 for suppressed records.

use std::collections::BTreeMap;

use super::classes::Classes;
use super::encode::Encoded;

/// How per-attribute losses are combined into one number.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregate {
    /// `prod(1 + x_i)^(1/m) - 1` (ARX's default for Loss).
    #[default]
    Geometric,
    /// The mean of the per-attribute values.
    Arithmetic,
}

/// The objective the optimal search minimizes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "metric")]
#[non_exhaustive]
pub enum Metric {
    /// Generalized information loss.
    Loss {
        /// How attributes are combined.
        aggregate: Aggregate,
    },
    /// Non-uniform entropy.
    Entropy,
    /// Non-uniform entropy that does not charge suppression (ARX's monotonic variant).
    EntropyMonotonic,
    /// Discernibility.
    Discernibility,
    /// Discernibility that charges suppressed classes like others (DM*).
    DiscernibilityMonotonic,
    /// Average equivalence class size.
    Aecs,
    /// Precision.
    Precision,
}

impl Default for Metric {
    fn default() -> Metric {
        Metric::loss()
    }
}

impl Metric {
    /// ARX's default Loss metric (geometric aggregate).
    pub fn loss() -> Metric {
        Metric::Loss { aggregate: Aggregate::Geometric }
    }

    /// A short name.
    pub fn name(&self) -> &'static str {
        match self {
            Metric::Loss { aggregate: Aggregate::Geometric } => "loss (geometric mean)",
            Metric::Loss { aggregate: Aggregate::Arithmetic } => "loss (arithmetic mean)",
            Metric::Entropy => "non-uniform entropy",
            Metric::EntropyMonotonic => "monotonic non-uniform entropy",
            Metric::Discernibility => "discernibility",
            Metric::DiscernibilityMonotonic => "monotonic discernibility",
            Metric::Aecs => "average equivalence class size",
            Metric::Precision => "precision",
        }
    }

    /// Whether the value of a node that suppresses nothing depends only on its levels.
    pub(crate) fn class_independent(&self) -> bool {
        matches!(self, Metric::Loss { .. } | Metric::Entropy | Metric::EntropyMonotonic | Metric::Precision)
    }

    /// Whether the value depends only on the levels, whatever is suppressed.
    pub(crate) fn levels_only(&self) -> bool {
        matches!(self, Metric::EntropyMonotonic)
    }
}

pub(crate) fn aggregate(values: &[f64], agg: Aggregate) -> f64 {
    let m = values.len().max(1) as f64;
    match agg {
        Aggregate::Arithmetic => values.iter().sum::<f64>() / m,
        Aggregate::Geometric => values.iter().map(|v| (1.0 + v).powf(1.0 / m)).product::<f64>() - 1.0,
    }
}

/// Per-column, per-level numbers that do not depend on classes.
#[derive(Clone, Debug)]
pub(crate) struct Precomputed {
    /// `gen_loss[col][level]`: sum over records of `leaves - 1`.
    pub gen_loss: Vec<Vec<f64>>,
    /// `entropy[col][level]`: sum over records of `-log2(a / b)`.
    pub entropy: Vec<Vec<f64>>,
}

impl Precomputed {
    pub fn new(enc: &Encoded) -> Precomputed {
        let mut gen_loss = Vec::new();
        let mut entropy = Vec::new();
        for q in &enc.qis {
            let a = &q.freq[0];
            gen_loss.push(
                (0..=q.height)
                    .map(|l| {
                        (0..q.domain).map(|b| a[b] as f64 * (q.leaves[l][q.gen[l][b] as usize] as f64 - 1.0)).sum()
                    })
                    .collect(),
            );
            entropy.push(
                (0..=q.height)
                    .map(|l| {
                        (0..q.domain)
                            .filter(|&b| a[b] > 0)
                            .map(|b| {
                                let g = q.freq[l][q.gen[l][b] as usize] as f64;
                                a[b] as f64 * (g / a[b] as f64).log2()
                            })
                            .sum()
                    })
                    .collect(),
            );
        }
        Precomputed { gen_loss, entropy }
    }

    /// Loss per attribute of a node, given its suppressed classes `(class, count)`.
    pub fn loss_per_attribute(
        &self,
        enc: &Encoded,
        levels: &[usize],
        supp: &[(u32, u64)],
        classes: Option<&Classes>,
    ) -> Vec<f64> {
        let n = enc.rows as f64;
        enc.qis
            .iter()
            .enumerate()
            .map(|(j, q)| {
                if q.domain < 2 {
                    return 0.0;
                }
                let l = levels[j];
                let d1 = (q.domain - 1) as f64;
                let mut num = self.gen_loss[j][l];
                if let Some(cl) = classes {
                    for &(c, count) in supp {
                        let code = cl.code(enc, c as usize, j);
                        num += count as f64 * (d1 - (q.leaves[l][code as usize] as f64 - 1.0));
                    }
                }
                num / (n * d1)
            })
            .collect()
    }

    /// The value of `metric` for a node; `classes`/`passing` may be omitted when nothing is
    /// suppressed and the metric is class-independent.
    pub fn value(&self, enc: &Encoded, metric: Metric, levels: &[usize], eval: Option<(&Classes, &[bool])>) -> f64 {
        let n = enc.rows as f64;
        let supp: Vec<(u32, u64)> = match eval {
            Some((cl, pass)) => (0..cl.len()).filter(|&c| !pass[c]).map(|c| (c as u32, cl.counts[c] as u64)).collect(),
            None => Vec::new(),
        };
        let supp_n: f64 = supp.iter().map(|s| s.1 as f64).sum();
        let classes = eval.map(|e| e.0);
        match metric {
            Metric::Loss { aggregate: agg } => aggregate(&self.loss_per_attribute(enc, levels, &supp, classes), agg),
            Metric::Entropy | Metric::EntropyMonotonic => {
                let mut total: f64 = levels.iter().enumerate().map(|(j, &l)| self.entropy[j][l]).sum();
                if let (Metric::Entropy, Some(cl)) = (metric, classes) {
                    // Ordered by code: a sum in hash order would differ in its last bits from run to
                    // run, and between the in-memory and the counted path.
                    let mut held: BTreeMap<u32, u64> = BTreeMap::new();
                    for j in 0..enc.qis.len() {
                        held.clear();
                        for &(c, count) in &supp {
                            *held.entry(cl.code(enc, c as usize, j)).or_default() += count;
                        }
                        total += held.values().map(|&c| c as f64 * (supp_n / c as f64).log2()).sum::<f64>();
                    }
                }
                total
            }
            Metric::Precision => {
                let m = enc.qis.len() as f64;
                enc.qis
                    .iter()
                    .enumerate()
                    .map(|(j, q)| {
                        if q.height == 0 {
                            return supp_n / n;
                        }
                        let p = levels[j] as f64 / q.height as f64;
                        p + supp_n / n * (1.0 - p)
                    })
                    .sum::<f64>()
                    / m
            }
            Metric::Discernibility => match eval {
                Some((cl, pass)) => (0..cl.len())
                    .map(|c| {
                        let s = cl.counts[c] as f64;
                        if pass[c] {
                            s * s
                        } else {
                            s * n
                        }
                    })
                    .sum(),
                None => n,
            },
            Metric::DiscernibilityMonotonic => match eval {
                Some((cl, _)) => cl.counts.iter().map(|&s| s as f64 * s as f64).sum(),
                None => n,
            },
            Metric::Aecs => match eval {
                Some((_, pass)) => {
                    let ok = pass.iter().filter(|&&p| p).count() as f64;
                    n / (ok + if supp_n > 0.0 { 1.0 } else { 0.0 }).max(1.0)
                }
                None => 1.0,
            },
        }
    }

    /// A lower bound of `metric` for a node, valid whatever is suppressed.
    pub fn bound(&self, enc: &Encoded, metric: Metric, levels: &[usize]) -> f64 {
        match metric {
            Metric::Loss { .. } | Metric::Entropy | Metric::EntropyMonotonic | Metric::Precision => {
                self.value(enc, metric, levels, None)
            }
            Metric::Discernibility | Metric::DiscernibilityMonotonic => enc.rows as f64,
            Metric::Aecs => 1.0,
        }
    }
}
