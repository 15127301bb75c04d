//! Optimal search: textbook answers, brute-force optimality, independent recounts, properties.

mod anon_support;

use anon_support::{check, check_models, recount};
use privshare::anon::{Aggregate, Anonymizer, Config, GroundDistance, Hierarchy, Metric, PrivacyModel, Table};
use privshare::ErrorKind;
use proptest::prelude::*;

fn small() -> Table {
    Table::from_csv("age;sex;disease\n31;F;flu\n32;F;cold\n33;M;flu\n38;M;cold\n".as_bytes(), b';').unwrap()
}

fn small_config(k: usize) -> Config {
    Config::new()
        .quasi_identifier("age", Hierarchy::intervals(&["31", "32", "33", "38"], 0.0, &[5.0, 10.0]).unwrap())
        .quasi_identifier("sex", Hierarchy::flat(&["F", "M"]).unwrap())
        .sensitive("disease")
        .model(PrivacyModel::KAnonymity { k })
        .metric(Metric::Loss { aggregate: Aggregate::Arithmetic })
}

#[test]
fn textbook_two_anonymity() {
    // By hand: (age level, sex level) = (2, 0) groups {31F,32F} and {33M,38M}; every lower node
    // leaves a singleton, and (2, 0) is the least lossy of the anonymous nodes: age loses
    // (4-1)/(4-1) = 1, sex 0, mean 0.5.
    let t = small();
    let r = Anonymizer::new(&t, &small_config(2)).unwrap().optimal().unwrap();
    let levels: Vec<_> = r.report.quality.attributes.iter().map(|a| a.level.unwrap()).collect();
    assert_eq!(levels, [2, 0]);
    assert!((r.report.quality.loss - 0.5).abs() < 1e-12);
    assert_eq!(r.table.column("age").unwrap().value(0), "[30, 40)");
    assert_eq!(r.table.column("disease").unwrap().value(3), "cold");
    check(&r.table, &["age", "sex"], None, 2, 1, 0);
    assert!(r.report.models[0].holds);
    assert_eq!(r.report.models[0].achieved, "smallest class 2");
    assert!(r.report.summary().contains("5-anonymity") || r.report.summary().contains("2-anonymity"));
}

#[test]
fn suppression_replaces_the_outlier() {
    // With one record allowed to go, (1, 0) works: [30,35) F has 2, the M records are suppressed
    // only if... they are two singletons, so suppression of 2 is needed; allow 50%.
    let t = small();
    let r = Anonymizer::new(&t, &small_config(2).suppression_limit(0.5)).unwrap().optimal().unwrap();
    assert!(r.report.quality.suppressed <= 2);
    check(&r.table, &["age", "sex"], None, 2, 1, 2);
    let e = Anonymizer::new(&t, &small_config(2).suppression_limit(0.5)).unwrap().exhaustive().unwrap();
    assert!((e.report.objective.unwrap().1 - r.report.objective.unwrap().1).abs() < 1e-12);
}

#[test]
fn infeasible_is_reported_not_returned() {
    // 9 flu and 1 cold: even the whole table has entropy below ln(1.9).
    let mut csv = String::from("zip;disease\n");
    for i in 0..10 {
        csv.push_str(&format!("{};{}\n", 100 + i, if i == 0 { "cold" } else { "flu" }));
    }
    let t = Table::from_csv(csv.as_bytes(), b';').unwrap();
    let zips: Vec<String> = (100..110).map(|z| z.to_string()).collect();
    let c = Config::new()
        .quasi_identifier("zip", Hierarchy::redaction(&zips, &[2, 1]).unwrap())
        .sensitive("disease")
        .model(PrivacyModel::EntropyL { attribute: "disease".into(), l: 1.9 });
    let e = Anonymizer::new(&t, &c).unwrap().optimal().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::AnonymizationInfeasible);
    assert!(e.message().contains("best possible"), "{e}");
    // The report of the best possible comes with the error, never a table.
    let best: serde_json::Value = serde_json::from_str(e.details().expect("best-effort report")).unwrap();
    assert_eq!(best["quality"]["suppressed"], 10);
    assert_eq!(best["models"][0]["holds"], false);
    assert_eq!(best["lattice_nodes"], 4); // zip kept whole, to 2 and 1 characters, then *
    assert!(best["quality"]["attributes"][0]["level"].is_u64());
    let e = Anonymizer::new(&t, &c).unwrap().mondrian().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::AnonymizationInfeasible);
}

/// A random table of three quasi-identifiers (domains of 8 values, hierarchies v -> v/2 -> v/4 ->
/// *) and a sensitive column.
fn table_from(rows: &[(u8, u8, u8, u8)]) -> Table {
    let mut csv = String::from("a;b;c;s\n");
    for &(a, b, c, s) in rows {
        csv.push_str(&format!("{a};{b};{c};s{s}\n"));
    }
    Table::from_csv(csv.as_bytes(), b';').unwrap()
}

fn hier() -> Hierarchy {
    Hierarchy::from_rows(
        (0..8).map(|v| vec![v.to_string(), format!("{}x", v / 2), format!("{}y", v / 4), "*".into()]).collect(),
    )
    .unwrap()
}

/// Independent recount of delta-presence: in every released class the share of subset rows.
fn check_delta(t: &Table, flags: &[bool], dmin: f64, dmax: f64, max_suppressed: usize) {
    let cols: Vec<_> = ["a", "b", "c"].iter().map(|q| t.column(q).unwrap()).collect();
    let mut classes: std::collections::HashMap<Vec<&str>, (usize, usize)> = Default::default();
    for (r, &f) in flags.iter().enumerate() {
        let e = classes.entry(cols.iter().map(|c| c.value(r)).collect()).or_default();
        e.0 += 1;
        e.1 += f as usize;
    }
    for (key, (n, inside)) in classes {
        let share = inside as f64 / n as f64;
        let ok = share >= dmin - 1e-12 && share <= dmax + 1e-12;
        assert!(ok || (key.iter().all(|v| *v == "*") && n <= max_suppressed), "share {share} in a class of {n}");
    }
}

fn metric_of(i: u8) -> Metric {
    match i % 8 {
        0 => Metric::Loss { aggregate: Aggregate::Geometric },
        1 => Metric::Loss { aggregate: Aggregate::Arithmetic },
        2 => Metric::Entropy,
        3 => Metric::Discernibility,
        4 => Metric::Aecs,
        5 => Metric::EntropyMonotonic,
        6 => Metric::DiscernibilityMonotonic,
        _ => Metric::Precision,
    }
}

fn model_of(i: u8, k: usize) -> Vec<PrivacyModel> {
    let s = "s".to_string();
    let mut v = vec![PrivacyModel::KAnonymity { k }];
    match i % 10 {
        1 => v.push(PrivacyModel::DistinctL { attribute: s, l: 2 }),
        2 => v.push(PrivacyModel::EntropyL { attribute: s, l: 1.5 }),
        3 => v.push(PrivacyModel::RecursiveCL { attribute: s, c: 3.0, l: 2 }),
        4 => v.push(PrivacyModel::TCloseness { attribute: s, t: 0.4, distance: GroundDistance::Equal }),
        5 => v.push(PrivacyModel::TCloseness { attribute: s, t: 0.3, distance: GroundDistance::Ordered }),
        6 => v.push(PrivacyModel::MaxRisk { threshold: 0.34 }),
        7 => v.push(PrivacyModel::AverageRisk { threshold: 0.3 }),
        8 => v.push(PrivacyModel::TCloseness { attribute: s, t: 0.3, distance: GroundDistance::Hierarchical }),
        9 => v.push(PrivacyModel::DeltaPresence { dmin: 0.1, dmax: 0.7 }),
        _ => {}
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn search_matches_brute_force(
        rows in prop::collection::vec((0u8..8, 0u8..8, 0u8..8, 0u8..3), 12..60),
        k in 2usize..6,
        supp in prop::sample::select(vec![0.0, 0.05, 0.2]),
        metric in 0u8..8,
        model in 0u8..10,
    ) {
        let t = table_from(&rows);
        let mut c = Config::new()
            .quasi_identifier("a", hier())
            .quasi_identifier("b", hier())
            .quasi_identifier("c", hier())
            .sensitive("s")
            // s0 and s1 are closer to each other than to s2 (for hierarchical t-closeness).
            .hierarchy("s", Hierarchy::from_csv("s0;A;*\ns1;A;*\ns2;B;*\n", b';').unwrap())
            .suppression_limit(supp)
            .metric(metric_of(metric));
        let models = model_of(model, k);
        // Research subset for delta-presence: the records with s0.
        let flags: Vec<bool> = rows.iter().map(|r| r.3 == 0).collect();
        if model == 9 {
            c = c.research_subset(flags.clone());
        }
        for m in &models {
            c = c.model(m.clone());
        }
        let a = match Anonymizer::new(&t, &c) {
            Ok(a) => a,
            Err(e) => { prop_assert_eq!(e.kind(), ErrorKind::InvalidArgument); return Ok(()); }
        };
        let fast = a.search().unwrap();
        let slow = a.search_exhaustive().unwrap();
        prop_assert_eq!(fast.optimum.is_some(), slow.optimum.is_some());
        if let (Some(f), Some(s)) = (&fast.optimum, &slow.optimum) {
            prop_assert!((f.value - s.value).abs() <= 1e-9 * s.value.abs().max(1.0), "fast {:?} slow {:?}", f, s);
        }
        // Every output re-checked by an independent recount of the classes.
        match a.optimal() {
            Ok(r) => {
                let max = (supp * rows.len() as f64 + 1e-9).floor() as usize;
                check_models(&r.table, &["a", "b", "c"], "s", &models, max);
                if model == 9 {
                    check_delta(&r.table, &flags, 0.1, 0.7, max);
                }
                prop_assert!(r.report.quality.suppressed as usize <= max);
            }
            Err(e) => prop_assert_eq!(e.kind(), ErrorKind::AnonymizationInfeasible),
        }
        // Mondrian: no suppression, every class passes.
        if let Ok(r) = a.mondrian() {
            prop_assert_eq!(r.report.quality.suppressed, 0);
            check_models(&r.table, &["a", "b", "c"], "s", &models, 0);
            if model == 9 {
                check_delta(&r.table, &flags, 0.1, 0.7, 0);
            }
            prop_assert!(recount(&r.table, &["a", "b", "c"], None).values().all(|v| v.len() >= k));
        }
    }

    #[test]
    fn larger_k_never_lowers_loss(
        rows in prop::collection::vec((0u8..8, 0u8..8, 0u8..8, 0u8..3), 12..60),
        k in 1usize..5,
        supp in prop::sample::select(vec![0.0, 0.1]),
    ) {
        let t = table_from(&rows);
        let run = |k: usize| {
            let c = Config::new()
                .quasi_identifier("a", hier())
                .quasi_identifier("b", hier())
                .quasi_identifier("c", hier())
                .model(PrivacyModel::KAnonymity { k })
                .suppression_limit(supp);
            Anonymizer::new(&t, &c).unwrap().search().unwrap().optimum.map(|o| o.value)
        };
        if let (Some(a), Some(b)) = (run(k), run(k + 1)) {
            prop_assert!(b >= a - 1e-12);
        }
    }
}

#[test]
fn apply_a_chosen_transformation() {
    let t = small();
    let a = Anonymizer::new(&t, &small_config(2)).unwrap();
    let r = a.apply(&[3, 0]).unwrap();
    assert_eq!(r.table.column("age").unwrap().value(0), "*");
    check(&r.table, &["age", "sex"], None, 2, 1, 0);
    // Below the optimum nothing is 2-anonymous: refused, not returned.
    assert_eq!(a.apply(&[1, 1]).unwrap_err().kind(), ErrorKind::AnonymizationInfeasible);
    assert_eq!(a.apply(&[1]).unwrap_err().kind(), ErrorKind::InvalidArgument);
    assert_eq!(a.apply(&[4, 0]).unwrap_err().kind(), ErrorKind::InvalidArgument);
}
