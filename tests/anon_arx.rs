//! The same optimal answers as ARX: the expected optima of ARX's own regression tests on the Adult
//! data (arx-deidentifier/arx, `src/test/org/deidentifier/arx/test/TestAnonymizationKAnonymity`,
//! `TestAnonymizationLDiversity`, `TestAnonymizationTCloseness`: the cases with practical
//! monotonicity off). Each case names ARX's configuration, the transformation ARX returns (levels
//! in the column order of `adult.csv`, the sensitive column left out) and ARX's information loss.
//! ARX's tests read the same `adult.csv` and `adult_hierarchy_*.csv` as `../shared/data/adult/`.
//! Skipped with a notice when the data is absent.

mod anon_support;

use anon_support::adult_dir;
use privshare::anon::{Anonymizer, Config, GroundDistance, Hierarchy, Metric, PrivacyModel, Table};

const COLUMNS: &[&str] =
    &["sex", "age", "race", "marital-status", "education", "native-country", "workclass", "occupation", "salary-class"];

struct Case {
    name: &'static str,
    sensitive: Option<&'static str>,
    models: Vec<PrivacyModel>,
    suppression: f64,
    metric: Metric,
    /// ARX's optimum and its loss; `None` when ARX finds no solution.
    expected: Option<(&'static [usize], f64)>,
}

/// ARX's recorded loss for its "hier-t k100 4%" case (390436.40440636466) is not the monotonic
/// entropy of the transformation it records, [1, 4, 1, 0, 3, 1, 2, 1], which is 390765.61326019844
/// by ARX's formula (recomputed independently in Python from the CSV files), and no transformation
/// of the lattice has that value. We return ARX's transformation; the value checked is ours.
const HIER_T_K100_VALUE: f64 = 390765.61326019844;

fn k(k: usize) -> PrivacyModel {
    PrivacyModel::KAnonymity { k }
}

fn occupation_t(distance: GroundDistance) -> PrivacyModel {
    PrivacyModel::TCloseness { attribute: "occupation".into(), t: 0.2, distance }
}

fn entropy_l(l: f64) -> PrivacyModel {
    PrivacyModel::EntropyL { attribute: "occupation".into(), l }
}

fn cases() -> Vec<Case> {
    use GroundDistance::{Equal, Hierarchical};
    use Metric::{DiscernibilityMonotonic as DmStar, Entropy, EntropyMonotonic as EntropyMono};
    let occ = Some("occupation");
    vec![
        // TestAnonymizationKAnonymity 0-3: all nine columns quasi-identifying.
        Case {
            name: "k5 4%",
            sensitive: None,
            models: vec![k(5)],
            suppression: 0.04,
            metric: EntropyMono,
            expected: Some((&[1, 0, 1, 1, 3, 2, 2, 0, 1], 255559.85455731067)),
        },
        Case {
            name: "k100 4%",
            sensitive: None,
            models: vec![k(100)],
            suppression: 0.04,
            metric: EntropyMono,
            expected: Some((&[1, 1, 1, 1, 3, 2, 2, 1, 1], 379417.3460570988)),
        },
        Case {
            name: "k5 0%",
            sensitive: None,
            models: vec![k(5)],
            suppression: 0.0,
            metric: EntropyMono,
            expected: Some((&[1, 2, 1, 1, 3, 2, 2, 1, 1], 407289.5388925293)),
        },
        Case {
            name: "k100 0%",
            sensitive: None,
            models: vec![k(100)],
            suppression: 0.0,
            metric: EntropyMono,
            expected: Some((&[0, 4, 1, 1, 3, 2, 2, 1, 1], 453196.8932458743)),
        },
        // TestAnonymizationLDiversity 0-3: occupation sensitive, non-monotonic entropy.
        Case {
            name: "entropy-l5 4%",
            sensitive: occ,
            models: vec![entropy_l(5.0)],
            suppression: 0.04,
            metric: Entropy,
            expected: Some((&[1, 0, 1, 1, 2, 2, 2, 1], 228878.2039109517)),
        },
        Case {
            name: "entropy-l100 4%",
            sensitive: occ,
            models: vec![entropy_l(100.0)],
            suppression: 0.04,
            metric: Entropy,
            expected: None,
        },
        Case {
            name: "entropy-l5 0%",
            sensitive: occ,
            models: vec![entropy_l(5.0)],
            suppression: 0.0,
            metric: Entropy,
            expected: Some((&[1, 1, 1, 1, 3, 2, 2, 1], 324620.5269918692)),
        },
        Case {
            name: "entropy-l100 0%",
            sensitive: occ,
            models: vec![entropy_l(100.0)],
            suppression: 0.0,
            metric: Entropy,
            expected: None,
        },
        // TestAnonymizationTCloseness 0-7: equal-distance t-closeness with DM*, hierarchical
        // t-closeness (occupation's hierarchy) with monotonic entropy.
        Case {
            name: "equal-t k5 4%",
            sensitive: occ,
            models: vec![occupation_t(Equal), k(5)],
            suppression: 0.04,
            metric: DmStar,
            expected: Some((&[1, 4, 1, 0, 3, 2, 2, 1], 3.11880088E8)),
        },
        Case {
            name: "equal-t k100 4%",
            sensitive: occ,
            models: vec![occupation_t(Equal), k(100)],
            suppression: 0.04,
            metric: DmStar,
            expected: Some((&[1, 4, 1, 0, 3, 2, 2, 1], 3.11880088E8)),
        },
        Case {
            name: "hier-t k5 4%",
            sensitive: occ,
            models: vec![occupation_t(Hierarchical), k(5)],
            suppression: 0.04,
            metric: EntropyMono,
            expected: Some((&[1, 4, 0, 0, 3, 2, 2, 1], 377622.78458729305)),
        },
        Case {
            name: "hier-t k100 4%",
            sensitive: occ,
            models: vec![occupation_t(Hierarchical), k(100)],
            suppression: 0.04,
            metric: EntropyMono,
            expected: Some((&[1, 4, 1, 0, 3, 1, 2, 1], HIER_T_K100_VALUE)),
        },
        Case {
            name: "equal-t k5 0%",
            sensitive: occ,
            models: vec![occupation_t(Equal), k(5)],
            suppression: 0.0,
            metric: DmStar,
            expected: Some((&[1, 4, 1, 1, 3, 2, 2, 1], 4.56853172E8)),
        },
        Case {
            name: "equal-t k100 0%",
            sensitive: occ,
            models: vec![occupation_t(Equal), k(100)],
            suppression: 0.0,
            metric: DmStar,
            expected: Some((&[1, 4, 1, 1, 3, 2, 2, 1], 4.56853172E8)),
        },
        Case {
            name: "hier-t k5 0%",
            sensitive: occ,
            models: vec![occupation_t(Hierarchical), k(5)],
            suppression: 0.0,
            metric: EntropyMono,
            expected: Some((&[0, 4, 1, 1, 3, 2, 2, 1], 398400.0741806447)),
        },
        Case {
            name: "hier-t k100 0%",
            sensitive: occ,
            models: vec![occupation_t(Hierarchical), k(100)],
            suppression: 0.0,
            metric: EntropyMono,
            expected: Some((&[0, 4, 1, 1, 3, 2, 2, 1], 398400.0741806447)),
        },
    ]
}

#[test]
fn adult_optima_equal_arx() {
    let Some(dir) = adult_dir() else { return };
    let table = Table::from_csv_file(dir.join("adult.csv"), b';').unwrap();
    let hierarchy = |c: &str| Hierarchy::from_csv_file(dir.join(format!("adult_hierarchy_{c}.csv")), b';').unwrap();
    let mut failures = Vec::new();
    for case in cases() {
        let mut config = Config::new().suppression_limit(case.suppression).metric(case.metric);
        for c in COLUMNS {
            config = if Some(*c) == case.sensitive {
                config.sensitive(c).hierarchy(c, hierarchy(c))
            } else {
                config.quasi_identifier(c, hierarchy(c))
            };
        }
        for m in &case.models {
            config = config.model(m.clone());
        }
        let outcome = Anonymizer::new(&table, &config).unwrap().search().unwrap();
        let got = outcome.optimum.map(|o| (o.levels, o.value));
        let ok = match (&got, case.expected) {
            (None, None) => true,
            (Some((levels, value)), Some((want_levels, want_value))) => {
                levels.as_slice() == want_levels && (value - want_value).abs() <= 1e-9 * want_value
            }
            _ => false,
        };
        if !ok {
            failures.push(format!("{}: ARX {:?}, ours {:?}", case.name, case.expected, got));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// ARX's generalized information loss per attribute (`TestUtilityMetricsLoss` case 1: k=5, no
/// suppression limit, ARX's default Loss metric, whose rank aggregate lists the per-attribute values
/// in descending order) for the transformation ARX found: the three generalized attributes and the
/// share of suppressed records (the loss of the attributes left at level 0) match.
///
/// Left out, with what we found (cases 4 and 5 of that file, 5 % suppression): at the recorded
/// levels ARX's losses imply 1,471 suppressed records for k=5 + hierarchical t-closeness 0.2 on
/// occupation (levels [1, 4, 0, 0, 3, 1, 2, 1]) where we suppress 1,384, and 1,247 for recursive
/// (4,5)-diversity ([0, 3, 0, 0, 3, 1, 2, 0]) where we suppress 1,199. Independent Python recounts of
/// the textbook definitions (Li et al.'s hierarchical EMD as ARX's `HierarchicalDistanceTCloseness`
/// computes it; `r1 < c (r_l + ... + r_m)`) give our numbers, and no other transformation of the
/// lattice has ARX's losses. The same t-closeness model is behind the one value mismatch in
/// `adult_optima_equal_arx`; entropy l-diversity with suppression agrees exactly.
#[test]
fn adult_loss_per_attribute_equals_arx() {
    let Some(dir) = adult_dir() else { return };
    let table = Table::from_csv_file(dir.join("adult.csv"), b';').unwrap();
    let mut config = Config::new().suppression_limit(1.0).metric(Metric::loss()).model(k(5));
    for c in COLUMNS.iter().filter(|c| **c != "occupation") {
        config = config
            .quasi_identifier(c, Hierarchy::from_csv_file(dir.join(format!("adult_hierarchy_{c}.csv")), b';').unwrap());
    }
    let r = Anonymizer::new(&table, &config).unwrap().apply(&[0, 3, 0, 0, 1, 0, 0, 0]).unwrap();
    let mut ours: Vec<f64> = r.report.quality.attributes.iter().filter(|a| a.level.is_some()).map(|a| a.loss).collect();
    ours.sort_by(|a, b| b.total_cmp(a));
    let arx =
        [0.297248193, 0.29678055, 0.1297659306, 0.1297659306, 0.1297659306, 0.1297659306, 0.1297659306, 0.1297659306];
    assert_eq!(ours.len(), arx.len());
    for (o, a) in ours.iter().zip(arx) {
        assert!((o - a).abs() < 1e-9, "ours {ours:?}, ARX {arx:?}");
    }
    assert_eq!(r.report.quality.suppressed, 3_914); // 0.1297659306 of 30,162
}
