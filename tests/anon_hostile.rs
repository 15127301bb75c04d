//! Hostile anonymization inputs (issue 15): tall hierarchies give the right answer, per-level
//! tables stay linear in the height, and column-name checks stay linear in the number of columns.

use privshare::anon::spec::anonymize_csv;
use privshare::anon::{Anonymizer, Config, Hierarchy, PrivacyModel, Table, MAX_HIERARCHY_HEIGHT};
use privshare::ErrorKind;

/// Two values whose labels differ at every level below `merge` and are equal from `merge` up;
/// the top level (`height`) is `*`.
fn tall(height: usize, merge: usize) -> Hierarchy {
    let row = |v: &str| {
        let mut r = vec![v.to_string()];
        r.extend((1..height).map(|l| if l < merge { format!("{v}{l}") } else { format!("m{l}") }));
        r.push("*".into());
        r
    };
    Hierarchy::from_rows(vec![row("a"), row("b")]).unwrap()
}

/// The lowest level at which both records share a label: by brute force over the labels.
fn brute_force(h: &Hierarchy) -> usize {
    (0..=h.height()).find(|&l| h.label("a", l) == h.label("b", l)).unwrap()
}

fn check_tall(height: usize, merge: usize) {
    let h = tall(height, merge);
    assert_eq!(h.height(), height);
    let want = brute_force(&h);
    assert_eq!(want, merge.min(height));
    let t = Table::from_columns(vec![("v".to_string(), vec!["a", "b"])]).unwrap();
    let c = Config::new().quasi_identifier("v", h.clone()).model(PrivacyModel::KAnonymity { k: 2 });
    let a = Anonymizer::new(&t, &c).unwrap();
    assert_eq!(a.lattice_size(), height + 1);
    let opt = a.optimal().unwrap();
    assert_eq!(opt.report.quality.attributes[0].level, Some(want), "height {height}");
    assert_eq!(opt.report.quality.suppressed, 0);
    let label = h.label("a", want).unwrap();
    assert_eq!((opt.table.column("v").unwrap().value(0), opt.table.column("v").unwrap().value(1)), (label, label));
    let exhaustive = a.search_exhaustive().unwrap().optimum.unwrap();
    assert_eq!(exhaustive.levels.len(), 1);
    // Mondrian: the whole table passes its top-level check, and the one partition is released with
    // the lowest label both values share.
    let m = a.mondrian().unwrap();
    assert_eq!(m.table.column("v").unwrap().value(0), label);
    assert_eq!(m.report.quality.min_class_size, 2);
}

#[test]
fn tall_hierarchies_are_answered_like_brute_force_and_mondrian() {
    // Heights of 256 and more used to wrap in a byte: k=2 was answered "infeasible".
    check_tall(255, 255);
    check_tall(256, 256);
    check_tall(1000, 1000);
    // The answer above level 255 is not the top: 300 mod 256 would be level 44.
    check_tall(1000, 300);
}

#[test]
fn applying_a_level_above_255_is_not_wrapped() {
    let t = Table::from_columns(vec![("v".to_string(), vec!["a", "b"])]).unwrap();
    let c = Config::new().quasi_identifier("v", tall(300, 260)).model(PrivacyModel::KAnonymity { k: 2 });
    let a = Anonymizer::new(&t, &c).unwrap();
    // Level 4 (= 260 mod 256) leaves two singletons; level 260 merges them.
    assert_eq!(a.apply(&[4]).unwrap_err().kind(), ErrorKind::AnonymizationInfeasible);
    assert_eq!(a.apply(&[260]).unwrap().table.column("v").unwrap().value(0), "m260");
}

fn ordered_groups_spec(levels: usize) -> String {
    let sizes = vec!["1"; levels - 1].join(",");
    format!(
        r#"{{"attributes": [{{"name": "v", "role": "quasi_identifying",
            "hierarchy": {{"type": "ordered_groups", "order": ["a", "b"], "sizes": [{sizes}]}}}}],
          "models": [{{"model": "k_anonymity", "k": 2}}]}}"#
    )
}

#[test]
fn ten_thousand_levels_from_a_small_spec() {
    // A 30 KB spec: ordered groups of size 1 at 10,000 levels. The per-level tables were quadratic
    // in the height (2.75 GB and 10 s); now they are linear.
    let (out, report) = anonymize_csv(b"v\na\nb\n", b',', &ordered_groups_spec(MAX_HIERARCHY_HEIGHT)).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), "v\n*\n*\n");
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(report["quality"]["attributes"][0]["level"], MAX_HIERARCHY_HEIGHT);
    assert_eq!(report["lattice_nodes"], MAX_HIERARCHY_HEIGHT + 1);
}

#[test]
fn taller_hierarchies_are_refused_before_they_are_built() {
    // 50,000 levels from a spec; a million levels on one line of an ARX hierarchy CSV (2 MB, over
    // the record limit) and 20,000 on a shorter one: each a clear error naming the column or line.
    let e = anonymize_csv(b"v\na\nb\n", b',', &ordered_groups_spec(50_000)).unwrap_err();
    assert_eq!((e.kind(), e.position().column.as_deref()), (ErrorKind::InvalidArgument, Some("v")));
    assert!(e.message().contains("more than the limit of 10000"), "{e}");
    for levels in [1_000_000, 20_000] {
        let line = |v: &str| format!("{v};{}*\n", "x;".repeat(levels - 1));
        let e = Hierarchy::from_csv(&format!("{}{}", line("a"), line("b")), b';').unwrap_err();
        assert_eq!(e.position().line, Some(1), "{e}");
    }
}

#[test]
fn repeated_column_names_are_found_in_linear_time() {
    // The duplicate check compared each name with all before it: 15 s for 100,000 columns.
    let n = 60_000;
    let mut header: Vec<String> = (0..n).map(|i| format!("c{i}")).collect();
    header.push("c17".into());
    let csv = format!("{}\n{}\n", header.join(","), vec!["x"; n + 1].join(","));
    let e = Table::from_csv(csv.as_bytes(), b',').unwrap_err();
    assert_eq!((e.kind(), e.position().column.as_deref()), (ErrorKind::InvalidInput, Some("c17")));
    header.pop();
    let t = Table::from_csv(format!("{}\n{}\n", header.join(","), vec!["x"; n].join(",")).as_bytes(), b',').unwrap();
    assert_eq!(t.index_of("c59999"), Some(59_999));
    let cols: Vec<(String, Vec<&str>)> =
        header.iter().map(|h| (h.clone(), vec!["x"])).chain([("c5".into(), vec!["x"])]).collect();
    let e = Table::from_columns(cols).unwrap_err();
    assert_eq!(e.position().column.as_deref(), Some("c5"));
}

#[test]
fn a_spec_naming_many_columns_is_checked_in_linear_time() {
    // Each attribute of a spec used to be looked up by scanning the table's header and the roles
    // so far: quadratic in the number of attributes.
    let n = 30_000;
    let header: Vec<String> = (0..n).map(|i| format!("c{i}")).collect();
    let csv = format!("{}\n{}\n{}\n", header.join(","), vec!["x"; n].join(","), vec!["x"; n].join(","));
    let attrs: Vec<String> = header
        .iter()
        .map(|h| {
            format!(r#"{{"name": "{h}", "role": "{}"}}"#, if h == "c0" { "quasi_identifying" } else { "sensitive" })
        })
        .collect();
    let spec = format!(r#"{{"attributes": [{}], "models": [{{"model": "k_anonymity", "k": 2}}]}}"#, attrs.join(","));
    let (out, _) = anonymize_csv(csv.as_bytes(), b',', &spec).unwrap();
    assert!(out.starts_with(b"c0,c1,"));
}

#[test]
fn mondrian_splits_a_deep_hierarchy_without_deep_recursion() {
    // A caterpillar: at level l the values v0..=vl form one group and every other value stays
    // alone, so Mondrian splits one value off per level, as many times as the hierarchy is tall.
    // That recursion overflowed a small thread stack (a process abort no caller can catch); the
    // splits now run on a heap stack.
    let height = 600;
    let rows: Vec<Vec<String>> = (0..=height)
        .map(|i| {
            let mut r = vec![format!("v{i}")];
            r.extend((1..height).map(|l| if i <= l { format!("g{l}") } else { format!("v{i}") }));
            r.push("*".into());
            r
        })
        .collect();
    let h = Hierarchy::from_rows(rows).unwrap();
    let values: Vec<String> = (0..=height).map(|i| format!("v{i}")).collect();
    let t = Table::from_columns(vec![("v".to_string(), values)]).unwrap();
    let c = Config::new().quasi_identifier("v", h).model(PrivacyModel::KAnonymity { k: 1 });
    let released = std::thread::Builder::new()
        .stack_size(128 * 1024)
        .spawn(move || Anonymizer::new(&t, &c).unwrap().mondrian().unwrap().report.quality.classes)
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(released, height as u64 + 1);
}
