//! Anonymization from class counts equals anonymization in memory: the same optimum, the same
//! report figure for figure (exact floating-point equality), and the generalizer releases every
//! row exactly as the in-memory output table does; counts merged from partitions in any order
//! give the same result as counts of the whole table.

mod anon_support;

use anon_support::adult_dir;
use privshare::anon::{
    spec, Aggregate, Anonymized, Anonymizer, AttributeType, Config, Frequencies, FrequencyAnonymizer, Generalized,
    Generalizer, GroundDistance, Hierarchy, Metric, PrivacyModel, Report, Table,
};
use privshare::ErrorKind;

/// A small deterministic generator (the split of rows into partitions, the synthetic table).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

const DISEASES: &[&str] = &["flu", "cold", "asthma", "diabetes", "gastritis", "angina"];
const BLOOD: &[&str] = &["O+", "A+", "B+", "AB+", "O-", "A-"];

/// A synthetic table with skewed values, so that classes of all sizes occur: age (intervals), sex
/// (flat), zip (redaction), blood (a quasi-identifier without a hierarchy), disease and salary
/// (sensitive), and a name column left alone.
fn synthetic(rows: usize, seed: u64) -> Table {
    let mut g = Lcg(seed);
    let mut cols: Vec<(String, Vec<String>)> = ["name", "age", "sex", "zip", "blood", "disease", "salary"]
        .iter()
        .map(|c| (c.to_string(), Vec::new()))
        .collect();
    for i in 0..rows {
        let age = 20 + g.next(8) * g.next(9) + g.next(3);
        let spread = 1 + g.next(10);
        let zip = format!("{}", 75000 + 10 * g.next(4) + g.next(spread));
        let skew = |g: &mut Lcg, n: u64| {
            let m = 1 + g.next(n);
            g.next(m) as usize
        };
        let values = [
            format!("p{i}"),
            age.to_string(),
            if g.next(3) == 0 { "F" } else { "M" }.to_string(),
            zip,
            BLOOD[skew(&mut g, BLOOD.len() as u64)].to_string(),
            DISEASES[skew(&mut g, DISEASES.len() as u64)].to_string(),
            (1000 * (2 + g.next(6) + g.next(4))).to_string(),
        ];
        for (c, v) in cols.iter_mut().zip(values) {
            c.1.push(v);
        }
    }
    Table::from_columns(cols).unwrap()
}

fn synthetic_config(t: &Table) -> Config {
    let values = |c: &str| t.column(c).unwrap().dict.clone();
    let diseases = Hierarchy::from_rows(
        DISEASES
            .iter()
            .map(|d| {
                let group = if ["flu", "cold", "asthma"].contains(d) { "respiratory" } else { "other" };
                vec![d.to_string(), group.to_string(), "*".to_string()]
            })
            .collect(),
    )
    .unwrap();
    Config::new()
        .quasi_identifier("age", Hierarchy::intervals(&values("age"), 0.0, &[5.0, 10.0, 20.0]).unwrap())
        .quasi_identifier("sex", Hierarchy::flat(&["F", "M"]).unwrap())
        .quasi_identifier("zip", Hierarchy::redaction(&values("zip"), &[5, 4, 3]).unwrap())
        .attribute("blood", AttributeType::QuasiIdentifying)
        .sensitive("disease")
        .hierarchy("disease", diseases)
        .sensitive("salary")
}

fn k(k: usize) -> PrivacyModel {
    PrivacyModel::KAnonymity { k }
}

/// Configurations that exercise every model and metric (with and without suppression).
fn synthetic_configs(t: &Table) -> Vec<(&'static str, Config)> {
    let base = || synthetic_config(t);
    let disease = || "disease".to_string();
    vec![
        ("k5 5% loss", base().model(k(5)).suppression_limit(0.05)),
        (
            "k3 distinct-2 10% entropy",
            base()
                .model(k(3))
                .model(PrivacyModel::DistinctL { attribute: disease(), l: 2 })
                .suppression_limit(0.1)
                .metric(Metric::Entropy),
        ),
        (
            "entropy-l recursive-cl 8% discernibility",
            base()
                .model(PrivacyModel::EntropyL { attribute: disease(), l: 1.8 })
                .model(PrivacyModel::RecursiveCL { attribute: disease(), c: 3.0, l: 2 })
                .suppression_limit(0.08)
                .metric(Metric::Discernibility),
        ),
        (
            "t-closeness equal + ordered 6% aecs",
            base()
                .model(k(2))
                .model(PrivacyModel::TCloseness { attribute: disease(), t: 0.3, distance: GroundDistance::Equal })
                .model(PrivacyModel::TCloseness {
                    attribute: "salary".into(),
                    t: 0.25,
                    distance: GroundDistance::Ordered,
                })
                .suppression_limit(0.06)
                .metric(Metric::Aecs),
        ),
        (
            "hierarchical t-closeness 4% precision",
            base()
                .model(k(4))
                .model(PrivacyModel::TCloseness {
                    attribute: disease(),
                    t: 0.2,
                    distance: GroundDistance::Hierarchical,
                })
                .suppression_limit(0.04)
                .metric(Metric::Precision),
        ),
        (
            "risks, monotonic entropy",
            base()
                .model(PrivacyModel::MaxRisk { threshold: 0.34 })
                .model(PrivacyModel::AverageRisk { threshold: 0.15 })
                .suppression_limit(0.03)
                .metric(Metric::EntropyMonotonic)
                .risk_threshold(0.1),
        ),
        ("k10 no suppression dm*", base().model(k(10)).metric(Metric::DiscernibilityMonotonic)),
        (
            "k2 arithmetic loss all suppression",
            base().model(k(2)).suppression_limit(1.0).metric(Metric::Loss { aggregate: Aggregate::Arithmetic }),
        ),
    ]
}

/// The report with its timing zeroed (the one figure that is not a function of the data).
fn untimed(r: &Report) -> Report {
    let mut r = r.clone();
    r.search_ms = 0.0;
    r
}

fn levels(r: &Report) -> Vec<usize> {
    r.quality.attributes.iter().map(|a| a.level.unwrap()).collect()
}

/// Checks a frequency-path result against the in-memory one on the same table: report figure for
/// figure, levels, and every row through the generalizer equal to the output table.
fn assert_same(name: &str, t: &Table, mem: &Anonymized, counted: &Generalized) {
    assert_eq!(untimed(&counted.report), untimed(&mem.report), "{name}: reports differ");
    let g = &counted.generalizer;
    assert_eq!(g.levels(), levels(&mem.report).as_slice(), "{name}");
    let mem_g = mem.generalizer.as_ref().expect("full-domain result has a generalizer");
    assert_eq!(mem_g.levels(), g.levels(), "{name}");
    assert_eq!(mem_g.released_classes(), g.released_classes(), "{name}");
    assert_eq!(g.released_classes() as u64, mem.report.quality.classes, "{name}");
    let inputs: Vec<_> = g.columns().iter().map(|c| t.column(c).unwrap()).collect();
    let outputs: Vec<_> = g.columns().iter().map(|c| mem.table.column(c).unwrap()).collect();
    let mut suppressed = 0u64;
    for r in 0..t.rows() {
        let record: Vec<&str> = inputs.iter().map(|c| c.value(r)).collect();
        let released = g.generalize(&record).unwrap();
        let expected: Vec<&str> = outputs.iter().map(|c| c.value(r)).collect();
        assert_eq!(released, expected, "{name}: row {r}");
        suppressed += released.iter().all(|v| v == "*") as u64;
    }
    // Every suppressed record (and nothing else, with these hierarchies) is all `*`.
    assert!(suppressed >= counted.report.quality.suppressed, "{name}");
    // Shipped as JSON (to a Spark executor) and applied column-wise: the same rows.
    let shipped = Generalizer::from_json(&g.to_json()).unwrap();
    assert_eq!(shipped.to_json(), g.to_json(), "{name}");
    let columns: Vec<Vec<&str>> = inputs.iter().map(|c| (0..t.rows()).map(|r| c.value(r)).collect()).collect();
    let released = shipped.generalize_columns(&columns.iter().collect::<Vec<_>>()).unwrap();
    for (j, out) in outputs.iter().enumerate() {
        assert!((0..t.rows()).all(|r| released[j][r] == out.value(r)), "{name}: column {j}");
    }
}

/// In memory and from the table's counts: both results (or both errors).
fn both(t: &Table, c: &Config) -> (privshare::Result<Anonymized>, privshare::Result<Generalized>) {
    let mem = Anonymizer::new(t, c).unwrap().optimal();
    let f = Frequencies::from_table(t, c).unwrap();
    assert_eq!(f.records(), t.rows() as u64);
    let counted = FrequencyAnonymizer::new(&f, c).unwrap().optimal();
    (mem, counted)
}

/// The spec-level entry point from group-by rows (hierarchies derived from the counted values,
/// combinations in an arbitrary order and split in two) gives the in-memory result.
#[test]
fn group_by_counts_through_a_spec_match_in_memory() {
    let t = synthetic(2_000, 11);
    let spec = spec::ConfigSpec::from_json(
        r#"{"attributes": [
              {"name": "age", "role": "quasi_identifying", "hierarchy": {"type": "intervals", "origin": 0, "widths": [5, 10, 20]}},
              {"name": "sex", "role": "quasi_identifying", "hierarchy": {"type": "flat"}},
              {"name": "zip", "role": "quasi_identifying", "hierarchy": {"type": "redaction", "keep": [5, 4, 3]}},
              {"name": "disease", "role": "sensitive"}],
            "models": [{"model": "k_anonymity", "k": 4}, {"model": "distinct_l", "attribute": "disease", "l": 2}],
            "suppression_limit": 0.05}"#,
    )
    .unwrap();
    let mem = spec::anonymize_table(&t, &spec).unwrap();
    // "GROUP BY age, sex, zip, disease": each combination with its count, in a shuffled order,
    // one combination split over two rows as two partitions would give it.
    let names = ["disease", "zip", "age", "sex"];
    let mut groups: std::collections::HashMap<Vec<&str>, u64> = Default::default();
    for r in 0..t.rows() {
        *groups.entry(names.iter().map(|n| t.column(n).unwrap().value(r)).collect()).or_default() += 1;
    }
    let mut rows: Vec<(Vec<&str>, u64)> = groups.into_iter().collect();
    let mut g = Lcg(5);
    for i in (1..rows.len()).rev() {
        rows.swap(i, g.next(i as u64 + 1) as usize);
    }
    let split = rows.iter().position(|(_, n)| *n > 1).unwrap();
    rows[split].1 -= 1;
    rows.push((rows[split].0.clone(), 1));
    let columns: Vec<Vec<&str>> = (0..names.len()).map(|j| rows.iter().map(|(v, _)| v[j]).collect()).collect();
    let counts: Vec<u64> = rows.iter().map(|(_, n)| *n).collect();
    let counted: Vec<(&str, &dyn privshare::Values)> =
        names.iter().zip(&columns).map(|(n, c)| (*n, c as &dyn privshare::Values)).collect();
    let result = spec::anonymize_counts(&spec, t.names(), &counted, &counts).unwrap();
    assert_same("spec from group-by", &t, &mem, &result);

    let mondrian = spec::ConfigSpec { method: spec::Method::Mondrian, ..spec.clone() };
    let e = spec::anonymize_counts(&mondrian, t.names(), &counted, &counts).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(e.message().contains("Mondrian"), "{e}");
    let e = spec::anonymize_counts(&spec, t.names(), &counted[1..], &counts).unwrap_err();
    assert_eq!((e.kind(), e.position().column.as_deref()), (ErrorKind::InvalidArgument, Some("disease")), "{e}");
}

#[test]
fn synthetic_configurations_match_in_memory() {
    let t = synthetic(3_000, 7);
    let mut suppressed_some = false;
    for (name, c) in synthetic_configs(&t) {
        let (mem, counted) = both(&t, &c);
        let (mem, counted) = (mem.unwrap(), counted.unwrap_or_else(|e| panic!("{name}: {e}")));
        suppressed_some |= mem.report.quality.suppressed > 0;
        assert_same(name, &t, &mem, &counted);
    }
    assert!(suppressed_some, "no configuration suppresses anything: the test would not see suppression");
}

#[test]
fn exhaustive_and_apply_match_in_memory() {
    let t = synthetic(800, 11);
    let c = synthetic_config(&t)
        .model(k(3))
        .model(PrivacyModel::EntropyL { attribute: "disease".into(), l: 1.5 })
        .suppression_limit(0.1)
        .metric(Metric::Entropy);
    let a = Anonymizer::new(&t, &c).unwrap();
    let fa = FrequencyAnonymizer::new(&Frequencies::from_table(&t, &c).unwrap(), &c).unwrap();
    assert_eq!(fa.lattice_size(), a.lattice_size());
    assert_same("exhaustive", &t, &a.exhaustive().unwrap(), &fa.exhaustive().unwrap());
    let (s, fs) = (a.search().unwrap(), fa.search().unwrap());
    assert_eq!(s.optimum, fs.optimum);
    assert_eq!((s.checked, s.best_effort), (fs.checked, fs.best_effort));
    // A given transformation, with suppression.
    for levels in [[1, 0, 1, 1], [2, 1, 2, 1], [0, 0, 0, 0]] {
        match (a.apply(&levels), fa.apply(&levels)) {
            (Ok(m), Ok(f)) => assert_same("apply", &t, &m, &f),
            (Err(m), Err(f)) => assert_eq!((m.kind(), m.to_string()), (f.kind(), f.to_string())),
            (m, f) => panic!("apply {levels:?}: in memory {:?}, counted {:?}", m.is_ok(), f.is_ok()),
        }
    }
}

#[test]
fn infeasible_is_the_same_error() {
    let t = synthetic(500, 3);
    // Even the whole table is less diverse than that.
    let c = synthetic_config(&t).model(PrivacyModel::EntropyL { attribute: "disease".into(), l: 5.5 });
    let (mem, counted) = both(&t, &c);
    let (m, f) = (mem.unwrap_err(), counted.unwrap_err());
    assert_eq!(m.kind(), ErrorKind::AnonymizationInfeasible);
    assert_eq!((m.kind(), m.to_string()), (f.kind(), f.to_string()));
}

/// Splits the rows into `parts` random partitions, counted row by row through `add_row` (and
/// some through `add_records`, as a group-by would hand them over).
fn partitions(t: &Table, c: &Config, parts: usize, g: &mut Lcg) -> Vec<Frequencies> {
    let mut out: Vec<Frequencies> = (0..parts).map(|_| Frequencies::new(c, t.names()).unwrap()).collect();
    let mut grouped: std::collections::HashMap<(usize, Vec<String>), u64> = Default::default();
    for r in 0..t.rows() {
        let p = g.next(parts as u64) as usize;
        let row: Vec<&str> = t.columns().iter().map(|col| col.value(r)).collect();
        if g.next(2) == 0 {
            out[p].add_row(&row).unwrap();
        } else {
            let cols = out[p].columns().to_vec();
            let values = cols.iter().map(|n| t.column(n).unwrap().value(r).to_string()).collect();
            *grouped.entry((p, values)).or_default() += 1;
        }
    }
    for ((p, values), n) in grouped {
        let values: Vec<&str> = values.iter().map(|s| s.as_str()).collect();
        out[p].add_records(&values, n).unwrap();
    }
    out
}

fn merged(mut parts: Vec<Frequencies>, order: &[usize]) -> Frequencies {
    let mut taken: Vec<Option<Frequencies>> = parts.drain(..).map(Some).collect();
    let mut acc = taken[order[0]].take().unwrap();
    for &i in &order[1..] {
        acc.merge(taken[i].take().unwrap()).unwrap();
    }
    acc
}

#[test]
fn partitions_merged_in_any_order_give_the_same_optimum() {
    let t = synthetic(2_000, 5);
    let mut g = Lcg(99);
    for (name, c) in synthetic_configs(&t).into_iter().take(5) {
        let whole = FrequencyAnonymizer::new(&Frequencies::from_table(&t, &c).unwrap(), &c).unwrap().optimal().unwrap();
        for parts in 2..=5 {
            let split = partitions(&t, &c, parts, &mut g);
            assert_eq!(split.iter().map(|f| f.records()).sum::<u64>(), t.rows() as u64);
            // Left to right, right to left, and pairwise (a tree, as a distributed reduce does).
            let forward: Vec<usize> = (0..parts).collect();
            let backward: Vec<usize> = (0..parts).rev().collect();
            let mut results = vec![merged(split.clone(), &forward), merged(split.clone(), &backward)];
            let mut tree = split;
            while tree.len() > 1 {
                let mut next = Vec::new();
                let mut it = tree.into_iter();
                while let Some(a) = it.next() {
                    match it.next() {
                        // The later partition takes the earlier in: the other direction.
                        Some(mut b) => {
                            b.merge(a).unwrap();
                            next.push(b);
                        }
                        None => next.push(a),
                    }
                }
                tree = next;
            }
            results.extend(tree);
            for f in results {
                assert_eq!((f.records(), f.distinct()), (t.rows() as u64, whole_distinct(&t, &c)), "{name}");
                let r = FrequencyAnonymizer::new(&f, &c).unwrap().optimal().unwrap();
                assert_eq!(untimed(&r.report), untimed(&whole.report), "{name}, {parts} partitions");
                assert_eq!(r.generalizer.levels(), whole.generalizer.levels());
            }
        }
    }
}

fn whole_distinct(t: &Table, c: &Config) -> usize {
    Frequencies::from_table(t, c).unwrap().distinct()
}

#[test]
fn counts_round_trip_through_iter() {
    let t = synthetic(400, 21);
    let c = synthetic_config(&t).model(k(4)).suppression_limit(0.05);
    let f = Frequencies::from_table(&t, &c).unwrap();
    assert_eq!(f.columns(), ["age", "sex", "zip", "blood", "disease", "salary"]);
    assert_eq!(f.quasi_identifiers(), ["age", "sex", "zip", "blood"]);
    assert_eq!(f.sensitive(), ["disease", "salary"]);
    // Shipped as (values, count) and counted again elsewhere: the same counts.
    let mut g = Frequencies::new(&c, t.names()).unwrap();
    for (values, n) in f.iter() {
        g.add_records(&values, n).unwrap();
    }
    assert_eq!((g.records(), g.distinct()), (f.records(), f.distinct()));
    let a = FrequencyAnonymizer::new(&f, &c).unwrap().optimal().unwrap();
    let b = FrequencyAnonymizer::new(&g, &c).unwrap().optimal().unwrap();
    assert_eq!(untimed(&a.report), untimed(&b.report));
}

#[test]
fn values_missing_from_a_hierarchy_are_named() {
    let t = Table::from_csv("age;sex\n31;F\n32;F\n99;M\n38;M\n".as_bytes(), b';').unwrap();
    let c = Config::new()
        .quasi_identifier("age", Hierarchy::intervals(&["31", "32", "33", "38"], 0.0, &[5.0, 10.0]).unwrap())
        .quasi_identifier("sex", Hierarchy::flat(&["F", "M"]).unwrap())
        .model(k(2));
    // From a table: the same error as in memory (column, row, line).
    let e = Frequencies::from_table(&t, &c).unwrap_err();
    let m = Anonymizer::new(&t, &c).err().unwrap();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert_eq!((e.position().column.as_deref(), e.position().row, e.position().line), (Some("age"), Some(2), Some(4)));
    assert_eq!(e.to_string(), m.to_string());
    // Row by row: the row is the number of records added before. Columns follow the header.
    let mut f = Frequencies::new(&c, &["sex", "age"]).unwrap();
    assert_eq!(f.columns(), ["sex", "age"]);
    f.add_row(&["F", "31"]).unwrap();
    f.add_record(&["F", "32"]).unwrap();
    let e = f.add_row(&["M", "99"]).unwrap_err();
    assert_eq!(
        (e.kind(), e.position().column.as_deref(), e.position().row),
        (ErrorKind::InvalidInput, Some("age"), Some(2))
    );
    let e = f.add_record(&["X", "31"]).unwrap_err();
    assert_eq!((e.position().column.as_deref(), e.position().row), (Some("sex"), Some(3)));
    let e = f.add_record(&["31"]).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    let e = f.add_row(&["F", "31", "extra"]).unwrap_err();
    assert_eq!((e.kind(), e.position().row), (ErrorKind::InvalidArgument, Some(5)));
    let e = Frequencies::new(&c, &["sex", "age", "sex"]).unwrap_err();
    assert_eq!((e.kind(), e.position().column.as_deref()), (ErrorKind::InvalidInput, Some("sex")));
    assert_eq!(f.records(), 2, "failed adds count nothing");
    // The generalizer refuses a value outside the hierarchy too.
    f.add_record(&["M", "38"]).unwrap();
    f.add_record(&["M", "33"]).unwrap();
    let r = FrequencyAnonymizer::new(&f, &c).unwrap().optimal().unwrap();
    assert_eq!(r.generalizer.columns(), ["sex", "age"]);
    let e = r.generalizer.generalize(&["M", "99"]).unwrap_err();
    assert_eq!((e.kind(), e.position().column.as_deref()), (ErrorKind::InvalidInput, Some("age")));
    // 33 and 38 share a class of two men only at [30, 40).
    assert_eq!(r.generalizer.levels(), [0, 2]);
    assert_eq!(r.generalizer.generalize(&["M", "33"]).unwrap(), ["M", "[30, 40)"]);
}

#[test]
fn a_refused_record_leaves_nothing_behind() {
    // A record refused on one column must not leave another column's new value in a dictionary:
    // an extra salary value would widen the ordered distance's domain (and shrink every distance).
    // Salary before disease, so that the record below is refused (on disease) after its salary
    // was looked up.
    let s = synthetic(300, 8);
    let order = ["age", "sex", "zip", "blood", "salary", "disease"];
    let column = |n: &str| (0..s.rows()).map(|r| s.column(n).unwrap().value(r)).collect::<Vec<_>>();
    let t = Table::from_columns(order.iter().map(|n| (n.to_string(), column(n))).collect()).unwrap();
    let c = synthetic_config(&t)
        .model(k(2))
        .model(PrivacyModel::TCloseness { attribute: "salary".into(), t: 0.25, distance: GroundDistance::Ordered })
        .suppression_limit(0.06);
    let clean = Frequencies::from_table(&t, &c).unwrap();
    let mut f = Frequencies::from_table(&t, &c).unwrap();
    let (age, zip) = (t.column("age").unwrap().value(0), t.column("zip").unwrap().value(0));
    // `plague` is not in the disease hierarchy; `XX-` (blood) and `1` (salary) are new values.
    assert_eq!(f.columns(), ["age", "sex", "zip", "blood", "salary", "disease"]);
    let e = f.add_record(&[age, "F", zip, "XX-", "1", "plague"]).unwrap_err();
    assert_eq!((e.position().column.as_deref(), e.position().row), (Some("disease"), Some(300)));
    f.add_records(&[age, "F", zip, "XX-", "1", "flu"], 0).unwrap(); // counts nothing, adds nothing
    assert_eq!((f.records(), f.distinct()), (clean.records(), clean.distinct()));
    let (a, b) = (FrequencyAnonymizer::new(&clean, &c).unwrap(), FrequencyAnonymizer::new(&f, &c).unwrap());
    assert_eq!(untimed(&a.optimal().unwrap().report), untimed(&b.optimal().unwrap().report));
    // While a value that is counted does change the figures.
    f.add_record(&[age, "F", zip, "XX-", "1", "flu"]).unwrap();
    let b = FrequencyAnonymizer::new(&f, &c).unwrap().optimal().unwrap();
    assert_ne!(untimed(&a.optimal().unwrap().report), untimed(&b.report));
}

#[test]
fn incompatible_frequencies_do_not_merge() {
    let t = synthetic(200, 1);
    let c = synthetic_config(&t).model(k(2));
    let mut f = Frequencies::from_table(&t, &c).unwrap();
    let before = (f.records(), f.distinct());
    // Another quasi-identifier set.
    let fewer = Config::new().quasi_identifier("sex", Hierarchy::flat(&["F", "M"]).unwrap()).model(k(2));
    let e = f.merge(Frequencies::from_table(&t, &fewer).unwrap()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(e.to_string().contains("different columns"), "{e}");
    // The same columns under another hierarchy.
    let other = synthetic_config(&t).quasi_identifier("sex", Hierarchy::flat(&["M", "F"]).unwrap());
    let e = f.merge(Frequencies::from_table(&t, &other).unwrap()).unwrap_err();
    assert_eq!((e.kind(), e.position().column.as_deref()), (ErrorKind::InvalidArgument, Some("sex")));
    assert_eq!((f.records(), f.distinct()), before, "a refused merge leaves the frequencies unchanged");
    // And the anonymizer refuses a configuration that does not fit the counts.
    let e = FrequencyAnonymizer::new(&f, &fewer).err().unwrap();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    let e = FrequencyAnonymizer::new(&f, &other).err().unwrap();
    assert_eq!(e.position().column.as_deref(), Some("sex"));
    // A compatible merge adds up.
    f.merge(Frequencies::from_table(&t, &c).unwrap()).unwrap();
    assert_eq!((f.records(), f.distinct()), (2 * before.0, before.1));
}

#[test]
fn mondrian_and_delta_presence_stay_in_memory() {
    let t = synthetic(300, 2);
    let c = synthetic_config(&t).model(k(3));
    let fa = FrequencyAnonymizer::new(&Frequencies::from_table(&t, &c).unwrap(), &c).unwrap();
    let e = fa.mondrian().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(e.to_string().contains("Mondrian needs the rows; run it in memory"), "{e}");
    // In memory Mondrian still runs, and has no full-domain generalizer.
    let m = Anonymizer::new(&t, &c).unwrap().mondrian().unwrap();
    assert!(m.generalizer.is_none() && m.report.quality.min_class_size >= 3);
    let delta = synthetic_config(&t)
        .research_subset(vec![true; t.rows()])
        .model(PrivacyModel::DeltaPresence { dmin: 0.0, dmax: 1.0 });
    let e = Frequencies::from_table(&t, &delta).unwrap_err();
    assert!(e.kind() == ErrorKind::InvalidArgument && e.to_string().contains("δ-presence"), "{e}");
    // No records: the in-memory error.
    let empty = Frequencies::new(&c, t.names()).unwrap();
    let e = FrequencyAnonymizer::new(&empty, &c).err().unwrap();
    assert_eq!((e.kind(), e.to_string().contains("no records")), (ErrorKind::InvalidInput, true));
}

// --- Adult ---

const QI_B: &[&str] =
    &["sex", "age", "race", "marital-status", "education", "native-country", "workclass", "occupation"];

fn adult_config(dir: &std::path::Path, qis: &[&str]) -> Config {
    let mut c = Config::new();
    for q in qis {
        c = c
            .quasi_identifier(q, Hierarchy::from_csv_file(dir.join(format!("adult_hierarchy_{q}.csv")), b';').unwrap());
    }
    c
}

#[test]
fn adult_matches_in_memory() {
    let Some(dir) = adult_dir() else { return };
    let t = Table::from_csv_file(dir.join("adult.csv"), b';').unwrap();
    let hierarchy = |c: &str| Hierarchy::from_csv_file(dir.join(format!("adult_hierarchy_{c}.csv")), b';').unwrap();
    let configs = vec![
        ("k5 4% loss", adult_config(&dir, QI_B).model(k(5)).suppression_limit(0.04)),
        (
            "k10 distinct-3 2%",
            adult_config(&dir, &["age", "sex", "race", "marital-status"])
                .sensitive("occupation")
                .model(k(10))
                .model(PrivacyModel::DistinctL { attribute: "occupation".into(), l: 3 })
                .suppression_limit(0.02),
        ),
        (
            "k5 hierarchical t 0.2 5% entropy",
            adult_config(&dir, &["sex", "age", "race", "marital-status", "education", "native-country", "workclass"])
                .sensitive("occupation")
                .hierarchy("occupation", hierarchy("occupation"))
                .model(k(5))
                .model(PrivacyModel::TCloseness {
                    attribute: "occupation".into(),
                    t: 0.2,
                    distance: GroundDistance::Hierarchical,
                })
                .suppression_limit(0.05)
                .metric(Metric::Entropy),
        ),
    ];
    for (name, c) in configs {
        let t0 = std::time::Instant::now();
        let mem = Anonymizer::new(&t, &c).unwrap().optimal().unwrap();
        let t1 = std::time::Instant::now();
        let f = Frequencies::from_table(&t, &c).unwrap();
        let t2 = std::time::Instant::now();
        let counted = FrequencyAnonymizer::new(&f, &c).unwrap().optimal().unwrap();
        let t3 = std::time::Instant::now();
        println!(
            "adult {name}: in memory {:.0} ms; counts {:.0} ms ({} distinct) + search {:.0} ms",
            (t1 - t0).as_secs_f64() * 1e3,
            (t2 - t1).as_secs_f64() * 1e3,
            f.distinct(),
            (t3 - t2).as_secs_f64() * 1e3
        );
        assert_same(name, &t, &mem, &counted);
    }
    // Partitions of Adult, merged in two orders.
    let c = adult_config(&dir, QI_B).model(k(5)).suppression_limit(0.04);
    let whole = FrequencyAnonymizer::new(&Frequencies::from_table(&t, &c).unwrap(), &c).unwrap().optimal().unwrap();
    let split = partitions(&t, &c, 4, &mut Lcg(4));
    for order in [[0, 1, 2, 3], [3, 1, 0, 2]] {
        let r = FrequencyAnonymizer::new(&merged(split.clone(), &order), &c).unwrap().optimal().unwrap();
        assert_eq!(untimed(&r.report), untimed(&whole.report));
    }
}

#[test]
fn counts_and_generalizers_are_shareable_across_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Frequencies>();
    shareable::<FrequencyAnonymizer>();
    shareable::<privshare::anon::Generalizer>();
    // One generalizer applied from several threads at once (its value index is built on first use).
    let t = synthetic(400, 17);
    let c = synthetic_config(&t).model(k(3)).suppression_limit(0.05);
    let r = FrequencyAnonymizer::new(&Frequencies::from_table(&t, &c).unwrap(), &c).unwrap().optimal().unwrap();
    let g = &r.generalizer;
    let row = |i: usize| -> Vec<&str> { g.columns().iter().map(|n| t.column(n).unwrap().value(i)).collect() };
    let outs: Vec<Vec<Vec<String>>> = std::thread::scope(|s| {
        let handles: Vec<_> =
            (0..4).map(|_| s.spawn(|| (0..t.rows()).map(|i| g.generalize(&row(i)).unwrap()).collect())).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(outs.windows(2).all(|w| w[0] == w[1]));
    assert_eq!(outs[0].iter().filter(|r| r.iter().all(|v| v == "*")).count() as u64, r.report.quality.suppressed);
}

// --- two passes over a file (`anonymize_csv_file`) ---

/// A directory removed when dropped.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let d = std::env::temp_dir().join(format!("privshare-two-pass-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        TempDir(d)
    }
    fn files(&self) -> Vec<String> {
        let mut v: Vec<String> =
            std::fs::read_dir(&self.0).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        v.sort();
        v
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs both paths on the CSV file `input`: the file's two-pass output must equal, byte for
/// byte, the in-memory output written with the same delimiter, and the reports must be equal.
fn assert_two_pass_same(name: &str, dir: &TempDir, input: &std::path::Path, c: &Config, delimiter: u8) {
    let mem = Anonymizer::new(&Table::from_csv_file(input, delimiter).unwrap(), c).unwrap().optimal().unwrap();
    let mut expected = Vec::new();
    mem.table.write_csv(&mut expected, delimiter).unwrap();
    let output = dir.0.join("out.csv");
    let report = privshare::anon::anonymize_csv_file(input, &output, delimiter, c).unwrap();
    assert_eq!(untimed(&report), untimed(&mem.report), "{name}: reports differ");
    assert!(std::fs::read(&output).unwrap() == expected, "{name}: outputs differ");
}

#[test]
fn two_passes_over_a_file_equal_the_in_memory_output() {
    let dir = TempDir::new("synthetic");
    let t = synthetic(2_000, 23);
    let input = dir.0.join("in.csv");
    t.write_csv(std::fs::File::create(&input).unwrap(), b',').unwrap();
    for (name, c) in synthetic_configs(&t).into_iter().take(5) {
        assert_two_pass_same(name, &dir, &input, &c, b',');
    }
    // An identifying column is dropped from the output, in both paths.
    let c = synthetic_config(&t).attribute("name", AttributeType::Identifying).drop_identifying(true).model(k(4));
    assert_two_pass_same("drop name", &dir, &input, &c, b',');
    assert!(!std::fs::read_to_string(dir.0.join("out.csv")).unwrap().starts_with("name"));
    assert_eq!(dir.files(), ["in.csv", "out.csv"], "no temporary file is left behind");
}

#[test]
fn two_passes_over_adult_equal_the_in_memory_output() {
    let Some(adult) = adult_dir() else { return };
    let dir = TempDir::new("adult");
    let c = adult_config(&adult, QI_B).model(k(5)).suppression_limit(0.04);
    assert_two_pass_same("adult k5 4%", &dir, &adult.join("adult.csv"), &c, b';');
}

#[test]
fn two_pass_errors_name_the_line_and_leave_no_output() {
    let dir = TempDir::new("errors");
    let input = dir.0.join("in.csv");
    let output = dir.0.join("out.csv");
    let c = Config::new().quasi_identifier("sex", Hierarchy::flat(&["F", "M"]).unwrap()).model(k(2));
    // A value missing from its hierarchy: the file's line and the column.
    std::fs::write(&input, "sex,x\nF,1\nM,2\nF,3\nX,4\nM,5\n").unwrap();
    let e = privshare::anon::anonymize_csv_file(&input, &output, b',', &c).unwrap_err();
    assert_eq!(
        (e.kind(), e.position().line, e.position().column.as_deref()),
        (ErrorKind::InvalidInput, Some(5), Some("sex"))
    );
    // A record with a field too many.
    std::fs::write(&input, "sex,x\nF,1\nM,2,3\n").unwrap();
    let e = privshare::anon::anonymize_csv_file(&input, &output, b',', &c).unwrap_err();
    assert_eq!(e.position().line, Some(3));
    // The output may not be the input; an infeasible request writes nothing.
    std::fs::write(&input, "sex,x\nF,1\nM,2\nF,3\nM,4\n").unwrap();
    let e = privshare::anon::anonymize_csv_file(&input, &input, b',', &c).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    let rows = |v: &[&str]| v.iter().map(|x| vec![x.to_string()]).collect();
    let ungeneralizable = Config::new().quasi_identifier("sex", Hierarchy::from_rows(rows(&["F", "M"])).unwrap());
    let e = privshare::anon::anonymize_csv_file(&input, &output, b',', &ungeneralizable.model(k(3))).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::AnonymizationInfeasible);
    assert_eq!(dir.files(), ["in.csv"], "nothing written on any error");
    assert_eq!(std::fs::read_to_string(&input).unwrap(), "sex,x\nF,1\nM,2\nF,3\nM,4\n");
}
