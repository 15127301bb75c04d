//! Shared helpers for the anonymization tests: an independent recount of the output table.
#![allow(dead_code)]

use std::collections::HashMap;

use privshare::anon::Table;

/// Classes of the output by the text of its quasi-identifier cells: `(tuple, sensitive values)`.
pub fn recount(t: &Table, qis: &[&str], sensitive: Option<&str>) -> HashMap<Vec<String>, Vec<String>> {
    let cols: Vec<_> = qis.iter().map(|q| t.column(q).expect("qi column")).collect();
    let sens = sensitive.map(|s| t.column(s).expect("sensitive column"));
    let mut classes: HashMap<Vec<String>, Vec<String>> = HashMap::new();
    for r in 0..t.rows() {
        let key: Vec<String> = cols.iter().map(|c| c.value(r).to_string()).collect();
        classes.entry(key).or_default().push(sens.map_or(String::new(), |s| s.value(r).to_string()));
    }
    classes
}

/// Checks k-anonymity and distinct l-diversity on the recount; rows whose quasi-identifiers are all
/// `*` may be suppressed records, allowed when they fit the limit.
pub fn check(t: &Table, qis: &[&str], sensitive: Option<&str>, k: usize, l: usize, max_suppressed: usize) {
    let classes = recount(t, qis, sensitive);
    for (key, members) in &classes {
        let distinct: std::collections::HashSet<_> = members.iter().collect();
        let ok = members.len() >= k && distinct.len() >= l;
        if key.iter().all(|v| v == "*") {
            assert!(ok || members.len() <= max_suppressed, "suppressed {} > {max_suppressed}", members.len());
        } else {
            assert!(ok, "class of {} records with {} distinct sensitive values", members.len(), distinct.len());
        }
    }
}

/// The UCI Adult data: `$PRIVSHARE_ADULT_DIR`, or `../shared/data/adult` beside the checkout (one
/// level further up from a worktree). Missing data fails the test, so that a test cannot pass by
/// skipping; with `PRIVSHARE_DATA_OPTIONAL=1` it is skipped instead (`None`), loudly.
pub fn adult_dir() -> Option<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let found = std::env::var_os("PRIVSHARE_ADULT_DIR")
        .map(std::path::PathBuf::from)
        .into_iter()
        .chain([root.join("../shared/data/adult"), root.join("../../shared/data/adult")])
        .find(|d| d.join("adult.csv").exists());
    if found.is_none() {
        let optional = std::env::var("PRIVSHARE_DATA_OPTIONAL").is_ok_and(|v| v == "1");
        assert!(
            optional,
            "the UCI Adult data (adult.csv) was not found in $PRIVSHARE_ADULT_DIR or ../shared/data/adult; \
             set PRIVSHARE_DATA_OPTIONAL=1 to skip the tests that need it"
        );
        // Printed to stdout as well as stderr: cargo shows neither for a passing test, but
        // `--nocapture` runs and CI logs of failures do.
        println!("SKIPPED: Adult data not found (PRIVSHARE_DATA_OPTIONAL=1)");
        eprintln!("SKIPPED: Adult data not found (PRIVSHARE_DATA_OPTIONAL=1)");
    }
    found
}

/// Recounts every model independently of the library (text of the output cells only): k, distinct,
/// entropy and recursive-(c,l) diversity, and t-closeness with equal or ordered (by text) distance.
pub fn check_models(
    t: &Table,
    qis: &[&str],
    sensitive: &str,
    models: &[privshare::anon::PrivacyModel],
    max_suppressed: usize,
) {
    use privshare::anon::{GroundDistance, PrivacyModel};
    let classes = recount(t, qis, Some(sensitive));
    let all: Vec<String> = classes.values().flatten().cloned().collect();
    let mut domain: Vec<String> = all.iter().cloned().collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    domain.sort();
    let dist = |members: &[String]| -> Vec<f64> {
        domain.iter().map(|v| members.iter().filter(|m| *m == v).count() as f64 / members.len() as f64).collect()
    };
    let p = dist(&all);
    for (key, members) in &classes {
        let q = dist(members);
        let mut counts: Vec<usize> =
            domain.iter().map(|v| members.iter().filter(|m| *m == v).count()).filter(|&c| c > 0).collect();
        counts.sort_unstable_by(|a, b| b.cmp(a));
        let ok = models.iter().all(|m| match m {
            PrivacyModel::KAnonymity { k } => members.len() >= *k,
            PrivacyModel::MaxRisk { threshold } => 1.0 / members.len() as f64 <= threshold + 1e-12,
            PrivacyModel::AverageRisk { .. } => true, // a property of the whole output, below
            PrivacyModel::DistinctL { l, .. } => counts.len() >= *l,
            PrivacyModel::EntropyL { l, .. } => {
                let h: f64 = q.iter().filter(|&&x| x > 0.0).map(|&x| -x * x.ln()).sum();
                h >= l.ln() - 1e-9
            }
            PrivacyModel::RecursiveCL { c, l, .. } => {
                counts.len() >= *l && (counts[0] as f64) < c * counts[l - 1..].iter().sum::<usize>() as f64
            }
            PrivacyModel::TCloseness { t, distance: GroundDistance::Equal, .. } => {
                0.5 * p.iter().zip(&q).map(|(a, b)| (a - b).abs()).sum::<f64>() <= t + 1e-9
            }
            PrivacyModel::TCloseness { t, distance: GroundDistance::Ordered, .. } => {
                let mut acc = 0.0;
                let mut s = 0.0;
                for (a, b) in p.iter().zip(&q) {
                    acc += b - a;
                    s += f64::abs(acc);
                }
                s / (domain.len().max(2) - 1) as f64 <= t + 1e-9
            }
            PrivacyModel::TCloseness { .. } => true,
            _ => true,
        });
        if key.iter().all(|v| v == "*") {
            assert!(ok || members.len() <= max_suppressed, "suppressed {} > {max_suppressed}", members.len());
        } else {
            assert!(ok, "a released class of {} records fails a model", members.len());
        }
    }
    // Average risk over the released classes (all-`*` rows are suppressed unless they are all rows).
    for m in models {
        if let PrivacyModel::AverageRisk { threshold } = m {
            let released: Vec<_> = classes.iter().filter(|(k, _)| !k.iter().all(|v| v == "*")).collect();
            let (c, n) = if released.is_empty() {
                (1, t.rows())
            } else {
                (released.len(), released.iter().map(|(_, v)| v.len()).sum())
            };
            assert!(c as f64 <= threshold * n as f64 + 1e-9, "average risk {c}/{n} above {threshold}");
        }
    }
}
