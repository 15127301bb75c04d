//! Privacy models: k-anonymity, l-diversity (distinct, entropy, recursive-(c,l)), t-closeness.
//!
//! Every model is a predicate on one equivalence class: its size and the histogram of each
//! sensitive attribute. A transformation satisfies the models when every class that fails some
//! model can be suppressed within the suppression limit.

use crate::{Error, ErrorKind, Result};

/// Ground distance between sensitive values for t-closeness (Li, Li, Venkatasubramanian 2007).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroundDistance {
    /// Every two distinct values are at distance 1 (the EMD is the total variation distance).
    Equal,
    /// Values are ordered (numerically if all parse as numbers, else by text); distance is the rank
    /// difference divided by (m - 1).
    Ordered,
    /// Distance through the sensitive attribute's hierarchy: height of the lowest common ancestor
    /// divided by the hierarchy height.
    Hierarchical,
}

/// A privacy model. Combine several in a [`Config`](super::Config).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "model")]
#[non_exhaustive]
pub enum PrivacyModel {
    /// Every class has at least `k` records.
    KAnonymity {
        /// Smallest class size.
        k: usize,
    },
    /// Every class holds at least `l` distinct values of `attribute`.
    DistinctL {
        /// Sensitive attribute.
        attribute: String,
        /// Distinct values needed.
        l: usize,
    },
    /// The entropy of `attribute` in every class is at least `ln(l)`.
    EntropyL {
        /// Sensitive attribute.
        attribute: String,
        /// Effective number of values needed.
        l: f64,
    },
    /// Recursive (c,l)-diversity: `r1 < c * (r_l + ... + r_m)` with `r1 >= r2 >= ...` the counts.
    RecursiveCL {
        /// Sensitive attribute.
        attribute: String,
        /// Constant c.
        c: f64,
        /// l.
        l: usize,
    },
    /// Highest prosecutor re-identification risk at most `threshold`: every class has at least
    /// `ceil(1 / threshold)` records.
    MaxRisk {
        /// Largest risk of any record, in (0, 1].
        threshold: f64,
    },
    /// Average prosecutor re-identification risk of the released records (released classes divided
    /// by released records) at most `threshold`. A property of the whole output, not of a class.
    AverageRisk {
        /// Largest average risk, in (0, 1].
        threshold: f64,
    },
    /// δ-presence (Nergiz, Atzori, Clifton 2007): the table is the population and the
    /// [research subset](super::Config::research_subset) is what is released; in every class the
    /// share of records that belong to the subset lies within `[dmin, dmax]`.
    DeltaPresence {
        /// Smallest share.
        dmin: f64,
        /// Largest share.
        dmax: f64,
    },
    /// The distribution of `attribute` in every class is within earth mover's distance `t` of its
    /// distribution in the whole table.
    TCloseness {
        /// Sensitive attribute.
        attribute: String,
        /// Largest distance allowed.
        t: f64,
        /// Ground distance.
        distance: GroundDistance,
    },
}

impl PrivacyModel {
    /// The sensitive attribute the model constrains, if any.
    pub fn attribute(&self) -> Option<&str> {
        match self {
            PrivacyModel::KAnonymity { .. }
            | PrivacyModel::MaxRisk { .. }
            | PrivacyModel::AverageRisk { .. }
            | PrivacyModel::DeltaPresence { .. } => None,
            PrivacyModel::DistinctL { attribute, .. }
            | PrivacyModel::EntropyL { attribute, .. }
            | PrivacyModel::RecursiveCL { attribute, .. }
            | PrivacyModel::TCloseness { attribute, .. } => Some(attribute),
        }
    }

    /// A short description, e.g. `5-anonymity`.
    pub fn describe(&self) -> String {
        match self {
            PrivacyModel::KAnonymity { k } => format!("{k}-anonymity"),
            PrivacyModel::MaxRisk { threshold } => format!("highest re-identification risk <= {threshold}"),
            PrivacyModel::AverageRisk { threshold } => format!("average re-identification risk <= {threshold}"),
            PrivacyModel::DeltaPresence { dmin, dmax } => format!("({dmin}, {dmax})-presence"),
            PrivacyModel::DistinctL { attribute, l } => format!("distinct {l}-diversity of {attribute}"),
            PrivacyModel::EntropyL { attribute, l } => format!("entropy {l}-diversity of {attribute}"),
            PrivacyModel::RecursiveCL { attribute, c, l } => format!("recursive ({c},{l})-diversity of {attribute}"),
            PrivacyModel::TCloseness { attribute, t, distance } => {
                format!("{t}-closeness of {attribute} ({distance:?} distance)")
            }
        }
    }

    /// Whether a transformation that satisfies this model keeps satisfying it when generalized
    /// further, given whether records may be suppressed. Without suppression every model here is
    /// monotone (class sizes add up; distinct values, entropy, the recursive condition and the EMD
    /// to the table all behave under merging of classes). With suppression, merging a failing
    /// class into a passing one can make the union fail, except for k-anonymity and distinct
    /// l-diversity (and a highest-risk threshold, which is k-anonymity), where the union contains a
    /// passing part and therefore passes. The average risk falls when classes merge, but with
    /// suppression a newly released small class can raise it.
    pub fn monotone(&self, with_suppression: bool) -> bool {
        // δ-presence: a merged class's share is a weighted mean of its parts' shares.
        !with_suppression
            || matches!(
                self,
                PrivacyModel::KAnonymity { .. } | PrivacyModel::DistinctL { .. } | PrivacyModel::MaxRisk { .. }
            )
    }
}

/// Sparse histogram of sensitive codes: `(code, count)` sorted by code.
pub(crate) type Hist = Vec<(u32, u32)>;

/// A released class: its size and a borrowed histogram per sensitive column.
pub(crate) type Released<'a> = (u32, Vec<&'a [(u32, u32)]>);

/// A per-class quantity, for [`Compiled::achieved`].
type ClassFn<'f> = &'f dyn Fn(u32, &[&[(u32, u32)]]) -> f64;

/// Adds `b` into `a`, both sorted by code.
pub(crate) fn merge_hist(a: &mut Hist, b: &[(u32, u32)]) {
    if b.is_empty() {
        return;
    }
    if a.is_empty() {
        a.extend_from_slice(b);
        return;
    }
    if b.len() == 1 {
        match a.binary_search_by_key(&b[0].0, |e| e.0) {
            Ok(i) => a[i].1 += b[0].1,
            Err(i) => a.insert(i, b[0]),
        }
        return;
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push((a[i].0, a[i].1 + b[j].1));
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    *a = out;
}

/// What t-closeness needs about a sensitive attribute.
#[derive(Clone, Debug)]
pub(crate) struct SensitiveDomain {
    /// Share of each code in the whole table.
    pub global: Vec<f64>,
    /// Rank of each code in the attribute's order.
    pub rank: Vec<u32>,
    /// For hierarchical distance: `parent[level][node]` over `levels` levels, codes at level 0 are
    /// the value codes; `None` when no hierarchy was given.
    pub tree: Option<Vec<Vec<u32>>>,
}

/// A model bound to column indices, ready to test classes.
#[derive(Clone, Debug)]
pub(crate) enum Compiled {
    K(u32),
    /// Checked on the whole output, see [`Compiled::average_risk_ok`].
    AvgRisk(f64),
    /// Index of the hidden subset-membership column (codes 0/1), dmin, dmax.
    Delta(usize, f64, f64),
    Distinct(usize, usize),
    Entropy(usize, f64),
    Recursive(usize, f64, usize),
    Close(usize, f64, GroundDistance),
}

impl Compiled {
    pub fn compile(model: &PrivacyModel, sensitive: &[String], rows: usize, subset: Option<usize>) -> Result<Compiled> {
        let idx = |a: &str| {
            sensitive.iter().position(|s| s == a).ok_or_else(|| {
                Error::new(ErrorKind::InvalidArgument, "privacy model names an attribute that is not sensitive")
                    .at_column(a)
            })
        };
        let bad = |m: &str| Err(Error::new(ErrorKind::InvalidArgument, m.to_string()));
        Ok(match model {
            PrivacyModel::KAnonymity { k } => {
                if *k == 0 {
                    return bad("k must be at least 1");
                }
                if *k > rows {
                    return bad(&format!("k = {k} is larger than the table ({rows} records)"));
                }
                Compiled::K(*k as u32)
            }
            PrivacyModel::MaxRisk { threshold } => {
                if threshold.is_nan() || *threshold <= 0.0 || *threshold > 1.0 {
                    return bad("a risk threshold must be within (0, 1]");
                }
                let k = (1.0 / threshold - 1e-9).ceil().max(1.0) as usize;
                if k > rows {
                    return bad(&format!(
                        "a risk of {threshold} needs classes of {k}, more than the table ({rows} records)"
                    ));
                }
                Compiled::K(k as u32)
            }
            PrivacyModel::AverageRisk { threshold } => {
                if threshold.is_nan() || *threshold <= 0.0 || *threshold > 1.0 {
                    return bad("a risk threshold must be within (0, 1]");
                }
                if (rows as f64) * threshold < 1.0 {
                    return bad("the average risk threshold is below 1 / records: no output can meet it");
                }
                Compiled::AvgRisk(*threshold)
            }
            PrivacyModel::DeltaPresence { dmin, dmax } => {
                if !(0.0..=1.0).contains(dmin) || !(0.0..=1.0).contains(dmax) || dmin > dmax {
                    return bad("delta-presence needs 0 <= dmin <= dmax <= 1");
                }
                let Some(s) = subset else {
                    return bad("delta-presence needs a research subset");
                };
                Compiled::Delta(s, *dmin, *dmax)
            }
            PrivacyModel::DistinctL { attribute, l } => {
                if *l == 0 {
                    return bad("l must be at least 1");
                }
                Compiled::Distinct(idx(attribute)?, *l)
            }
            PrivacyModel::EntropyL { attribute, l } => {
                if l.is_nan() || *l < 1.0 {
                    return bad("l must be at least 1");
                }
                Compiled::Entropy(idx(attribute)?, l.ln())
            }
            PrivacyModel::RecursiveCL { attribute, c, l } => {
                if *l < 2 || c.is_nan() || *c <= 0.0 {
                    return bad("recursive (c,l)-diversity needs c > 0 and l >= 2");
                }
                Compiled::Recursive(idx(attribute)?, *c, *l)
            }
            PrivacyModel::TCloseness { attribute, t, distance } => {
                if !(0.0..=1.0).contains(t) {
                    return bad("t must be within [0, 1]");
                }
                Compiled::Close(idx(attribute)?, *t, *distance)
            }
        })
    }

    /// Does one class of `count` records with these sensitive histograms satisfy the model?
    pub fn holds<'a>(&self, count: u32, hist: impl Fn(usize) -> &'a [(u32, u32)], doms: &[&SensitiveDomain]) -> bool {
        match *self {
            Compiled::K(k) => count >= k,
            Compiled::AvgRisk(_) => true,
            Compiled::Delta(s, dmin, dmax) => {
                let inside = hist(s).iter().find(|e| e.0 == 1).map_or(0, |e| e.1) as f64;
                let share = inside / count as f64;
                share >= dmin - 1e-12 && share <= dmax + 1e-12
            }
            Compiled::Distinct(s, l) => hist(s).len() >= l,
            Compiled::Entropy(s, ln_l) => {
                let n = count as f64;
                let h: f64 = hist(s).iter().map(|&(_, c)| c as f64 / n).map(|p| -p * p.ln()).sum();
                h >= ln_l - 1e-12
            }
            Compiled::Recursive(s, c, l) => {
                let mut counts: Vec<u32> = hist(s).iter().map(|e| e.1).collect();
                if counts.len() < l {
                    return false;
                }
                counts.sort_unstable_by(|a, b| b.cmp(a));
                let tail: u64 = counts[l - 1..].iter().map(|&x| x as u64).sum();
                (counts[0] as f64) < c * tail as f64
            }
            Compiled::Close(s, t, d) => emd(hist(s), count, doms[s], d) <= t + 1e-12,
        }
    }
}

impl Compiled {
    /// What the model achieves over the released classes `(size, histogram per sensitive column)`,
    /// e.g. `smallest class 16` or `largest distance 0.081`.
    pub fn achieved(&self, classes: &[Released<'_>], doms: &[&SensitiveDomain]) -> String {
        let fold = |f: ClassFn<'_>, max: bool| {
            classes.iter().map(|(n, h)| f(*n, h)).fold(if max { f64::NEG_INFINITY } else { f64::INFINITY }, |a, b| {
                if max {
                    a.max(b)
                } else {
                    a.min(b)
                }
            })
        };
        if classes.is_empty() {
            return "nothing released".into();
        }
        match *self {
            Compiled::K(_) => format!("smallest class {}", fold(&|n, _| n as f64, false)),
            Compiled::AvgRisk(_) => {
                let records: u64 = classes.iter().map(|c| c.0 as u64).sum();
                format!("average risk {:.4}", classes.len() as f64 / records as f64)
            }
            Compiled::Distinct(s, _) => format!("fewest distinct values {}", fold(&|_, h| h[s].len() as f64, false)),
            Compiled::Entropy(s, _) => {
                let l = fold(
                    &|n, h| h[s].iter().map(|&(_, c)| c as f64 / n as f64).map(|p| -p * p.ln()).sum::<f64>().exp(),
                    false,
                );
                format!("lowest entropy l {l:.3}")
            }
            Compiled::Recursive(s, _, l) => {
                let r = fold(
                    &|_, h| {
                        let mut c: Vec<u32> = h[s].iter().map(|e| e.1).collect();
                        c.sort_unstable_by(|a, b| b.cmp(a));
                        let tail: u32 = c.iter().skip(l - 1).sum();
                        if tail == 0 {
                            f64::INFINITY
                        } else {
                            c[0] as f64 / tail as f64
                        }
                    },
                    true,
                );
                format!("largest r1 / (r_l + ...) {r:.3}")
            }
            Compiled::Close(s, _, d) => {
                format!("largest distance {:.4}", fold(&|n, h| emd(h[s], n, doms[s], d), true))
            }
            Compiled::Delta(s, _, _) => {
                let share =
                    |n: u32, h: &[&[(u32, u32)]]| h[s].iter().find(|e| e.0 == 1).map_or(0, |e| e.1) as f64 / n as f64;
                format!("subset share {:.4}..{:.4}", fold(&share, false), fold(&share, true))
            }
        }
    }

    /// For the whole-output model: `classes / records` of what is released is within the threshold.
    pub fn average_risk_ok(&self, released_classes: u64, released_records: u64) -> bool {
        match *self {
            Compiled::AvgRisk(r) => {
                released_records == 0 || released_classes as f64 <= r * released_records as f64 + 1e-9
            }
            _ => true,
        }
    }
}

/// Earth mover's distance between a class's distribution and the table's.
pub(crate) fn emd(hist: &[(u32, u32)], count: u32, dom: &SensitiveDomain, d: GroundDistance) -> f64 {
    let n = count as f64;
    let m = dom.global.len();
    match d {
        GroundDistance::Equal => {
            // 0.5 * sum |q - p|, touching only the values present in the class.
            let mut s = 1.0;
            for &(v, c) in hist {
                let p = dom.global[v as usize];
                s += (c as f64 / n - p).abs() - p;
            }
            (0.5 * s).max(0.0)
        }
        GroundDistance::Ordered => {
            if m < 2 {
                return 0.0;
            }
            let mut diff = vec![0.0; m];
            for (v, p) in dom.global.iter().enumerate() {
                diff[dom.rank[v] as usize] -= p;
            }
            for &(v, c) in hist {
                diff[dom.rank[v as usize] as usize] += c as f64 / n;
            }
            let (mut acc, mut s) = (0.0, 0.0);
            for x in diff {
                acc += x;
                s += f64::abs(acc);
            }
            s / (m - 1) as f64
        }
        GroundDistance::Hierarchical => {
            let Some(tree) = &dom.tree else { return f64::INFINITY };
            let height = tree.len() as f64;
            // extra[v] = q - p at the leaves, then summed up the tree level by level.
            let mut extra: Vec<f64> = dom.global.iter().map(|p| -p).collect();
            for &(v, c) in hist {
                extra[v as usize] += c as f64 / n;
            }
            let mut cost = 0.0;
            for (lvl, parent) in tree.iter().enumerate() {
                let size = parent.iter().copied().max().map_or(0, |x| x as usize + 1);
                let mut pos = vec![0.0; size];
                let mut neg = vec![0.0; size];
                let mut up = vec![0.0; size];
                for (node, &e) in extra.iter().enumerate() {
                    let p = parent[node] as usize;
                    if e > 0.0 {
                        pos[p] += e;
                    } else {
                        neg[p] -= e;
                    }
                    up[p] += e;
                }
                let w = (lvl + 1) as f64 / height;
                for p in 0..size {
                    cost += w * pos[p].min(neg[p]);
                }
                extra = up;
            }
            cost
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uniform(m: usize) -> SensitiveDomain {
        SensitiveDomain { global: vec![1.0 / m as f64; m], rank: (0..m as u32).collect(), tree: None }
    }

    #[test]
    fn t_closeness_paper_examples() {
        // Li, Li, Venkatasubramanian (ICDE 2007), salaries 3k..11k once each:
        // Q1 = {3k,4k,5k} is at ordered distance 0.375, Q2 = {6k,8k,11k} at 0.167.
        let dom = uniform(9);
        let q1 = [(0, 1), (1, 1), (2, 1)];
        let q2 = [(3, 1), (5, 1), (8, 1)];
        assert!((emd(&q1, 3, &dom, GroundDistance::Ordered) - 0.375).abs() < 1e-12);
        assert!((emd(&q2, 3, &dom, GroundDistance::Ordered) - 1.0 / 6.0).abs() < 1e-12);
        // Equal distance: total variation, 0.5 * (3 * (1/3 - 1/9) + 6 / 9) = 2/3.
        assert!((emd(&q1, 3, &dom, GroundDistance::Equal) - 2.0 / 3.0).abs() < 1e-12);
        assert!(
            emd(
                &[(0, 1), (1, 1), (2, 1), (3, 1), (4, 1), (5, 1), (6, 1), (7, 1), (8, 1)],
                9,
                &dom,
                GroundDistance::Equal
            ) < 1e-12
        );
    }

    #[test]
    fn t_closeness_hierarchical() {
        // {a, b} and {c, d} under one root: moving half the mass across the root costs 0.5;
        // moving a quarter within each pair (distance 1/2) costs 0.25.
        let mut dom = uniform(4);
        dom.tree = Some(vec![vec![0, 0, 1, 1], vec![0, 0]]);
        assert!((emd(&[(0, 1), (1, 1)], 2, &dom, GroundDistance::Hierarchical) - 0.5).abs() < 1e-12);
        assert!((emd(&[(0, 1), (2, 1)], 2, &dom, GroundDistance::Hierarchical) - 0.25).abs() < 1e-12);
    }

    #[test]
    fn l_diversity_variants() {
        let doms: Vec<&SensitiveDomain> = Vec::new();
        let h: Hist = vec![(0, 2), (1, 2)];
        let holds = |m: Compiled, h: &Hist, n| m.holds(n, |_| h.as_slice(), &doms);
        assert!(holds(Compiled::Distinct(0, 2), &h, 4));
        assert!(!holds(Compiled::Distinct(0, 3), &h, 4));
        assert!(holds(Compiled::Entropy(0, 2f64.ln()), &h, 4));
        assert!(!holds(Compiled::Entropy(0, 2.1f64.ln()), &h, 4));
        let r: Hist = vec![(0, 3), (1, 1), (2, 1)];
        assert!(holds(Compiled::Recursive(0, 2.0, 2), &r, 5)); // 3 < 2 * (1 + 1)
        let r: Hist = vec![(0, 4), (1, 1)];
        assert!(!holds(Compiled::Recursive(0, 2.0, 2), &r, 5)); // 4 >= 2 * 1
        assert!(holds(Compiled::K(5), &r, 5) && !holds(Compiled::K(6), &r, 5));
    }

    #[test]
    fn merge_hist_adds() {
        let mut a: Hist = vec![(1, 2), (4, 1)];
        merge_hist(&mut a, &[(0, 1), (4, 2), (7, 1)]);
        assert_eq!(a, vec![(0, 1), (1, 2), (4, 3), (7, 1)]);
        merge_hist(&mut a, &[(5, 1)]);
        assert_eq!(a, vec![(0, 1), (1, 2), (4, 3), (5, 1), (7, 1)]);
    }
}
