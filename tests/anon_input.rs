//! Bad input gives clear errors naming the column, row or hierarchy line.

use privshare::anon::{Anonymizer, Config, Hierarchy, PrivacyModel, Table};
use privshare::ErrorKind;

fn table() -> Table {
    Table::from_csv("name;age;sex\nAnn;31;F\nBo;32;M\nCy;99;F\n".as_bytes(), b';').unwrap()
}

fn ages() -> Hierarchy {
    Hierarchy::from_csv("31;30-34;*\n32;30-34;*\n99;95-99;*\n", b';').unwrap()
}

#[test]
fn value_missing_from_hierarchy_names_row_and_column() {
    let h = Hierarchy::from_csv("31;30-34;*\n32;30-34;*\n", b';').unwrap();
    let c = Config::new().quasi_identifier("age", h).model(PrivacyModel::KAnonymity { k: 2 });
    let e = Anonymizer::new(&table(), &c).err().unwrap();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert_eq!((e.position().row, e.position().line), (Some(2), Some(4)));
    assert_eq!(e.position().column.as_deref(), Some("age"));
    assert!(!e.to_string().contains("99"), "errors never carry the value: {e}");
}

#[test]
fn inconsistent_hierarchy_names_the_line() {
    // The file's own lines, counted from 1.
    let e = Hierarchy::from_csv("31;30-34;*\n32;30-34;**\n", b';').unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert_eq!(e.position().line, Some(2));
    let e = Hierarchy::from_csv("31;30-34;*\n32;*\n", b';').unwrap_err();
    assert_eq!(e.position().line, Some(2));
}

#[test]
fn k_larger_than_table() {
    let c = Config::new().quasi_identifier("age", ages()).identifying("name").drop_identifying(true);
    let e = Anonymizer::new(&table(), &c.model(PrivacyModel::KAnonymity { k: 4 })).err().unwrap();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(e.message().contains("larger than the table"), "{e}");
}

#[test]
fn identifying_column_left_in() {
    let c = Config::new().quasi_identifier("age", ages()).identifying("name").model(PrivacyModel::KAnonymity { k: 1 });
    let e = Anonymizer::new(&table(), &c).err().unwrap();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert_eq!(e.position().column.as_deref(), Some("name"));
    assert!(e.to_string().contains("drop_identifying"), "the error names the option: {e}");
    // Allowed to drop: the output has no such column.
    let r = Anonymizer::new(&table(), &c.drop_identifying(true)).unwrap().optimal().unwrap();
    assert!(r.table.column("name").is_none());
    assert_eq!(r.table.names(), ["age", "sex"]);
}

#[test]
fn malformed_csv_names_the_row() {
    let e = Table::from_csv("a;b\n1;2\n3\n".as_bytes(), b';').unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert_eq!((e.position().row, e.position().line, e.position().column.as_deref()), (Some(1), Some(3), Some("b")));
    let e = Table::from_csv(&b"a;b\n1;\xff\n"[..], b';').unwrap_err();
    assert_eq!((e.position().row, e.position().line, e.position().column.as_deref()), (Some(0), Some(2), Some("b")));
}

#[test]
fn unknown_columns_and_attributes() {
    let c = Config::new().quasi_identifier("height", ages());
    let e = Anonymizer::new(&table(), &c).err().unwrap();
    assert_eq!(e.position().column.as_deref(), Some("height"));
    let c =
        Config::new().quasi_identifier("age", ages()).model(PrivacyModel::DistinctL { attribute: "sex".into(), l: 2 });
    let e = Anonymizer::new(&table(), &c).err().unwrap();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
}

#[test]
fn impossible_risk_thresholds() {
    let c = Config::new().quasi_identifier("age", ages()).identifying("name").drop_identifying(true);
    for m in [
        PrivacyModel::MaxRisk { threshold: 0.0 },
        PrivacyModel::MaxRisk { threshold: 0.25 }, // classes of 4 in a table of 3
        PrivacyModel::AverageRisk { threshold: 0.2 }, // below 1 / 3
        PrivacyModel::AverageRisk { threshold: f64::NAN },
    ] {
        let e = Anonymizer::new(&table(), &c.clone().model(m.clone())).err().unwrap();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{m:?}");
    }
    let r =
        Anonymizer::new(&table(), &c.model(PrivacyModel::AverageRisk { threshold: 0.5 })).unwrap().optimal().unwrap();
    assert!(r.report.risk_after.average <= 0.5);
}

#[test]
fn report_risk_threshold_is_configurable() {
    // Classes of 2 (age 31/32 -> 30-34) and 1 (99): risks 1/2 and 1.
    let c = Config::new().quasi_identifier("age", ages()).identifying("name").drop_identifying(true);
    let share = |t: Option<f64>| {
        let c = match t {
            Some(t) => c.clone().risk_threshold(t),
            None => c.clone(),
        };
        let r = Anonymizer::new(&table(), &c).unwrap().apply(&[1]).unwrap().report.risk_after;
        (r.threshold, r.share_above_threshold)
    };
    assert_eq!(share(None), (0.2, 1.0));
    assert_eq!(share(Some(0.5)), (0.5, 1.0 / 3.0));
    assert_eq!(share(Some(1.0)), (1.0, 0.0));
    for bad in [0.0, -0.1, 1.5, f64::NAN] {
        let e = Anonymizer::new(&table(), &c.clone().risk_threshold(bad)).err().unwrap();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{bad}");
    }
    let spec = r#"{"attributes": [{"name": "name", "role": "identifying"},
        {"name": "age", "role": "quasi_identifying", "hierarchy": {"type": "flat"}}],
      "drop_identifying": true, "risk_threshold": 0.5}"#;
    let (_, report) = privshare::anon::spec::anonymize_csv(b"name;age\nAnn;31\nBo;31\nCy;99\n", b';', spec).unwrap();
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(report["risk_before"]["threshold"], 0.5);
}

#[test]
fn json_spec_end_to_end_and_errors() {
    use privshare::anon::spec::anonymize_csv;
    let csv = b"name;age;sex\nAnn;31;F\nBo;32;F\nCy;33;M\nDi;38;M\n";
    let spec = r#"{"attributes": [
        {"name": "name", "role": "identifying"},
        {"name": "age", "role": "quasi_identifying", "hierarchy": {"type": "intervals", "origin": 0, "widths": [5, 10]}},
        {"name": "sex", "role": "quasi_identifying", "hierarchy": {"type": "flat"}}],
      "models": [{"model": "k_anonymity", "k": 2}], "drop_identifying": true, "method": "mondrian"}"#;
    let (out, report) = anonymize_csv(csv, b';', spec).unwrap();
    let out = String::from_utf8(out).unwrap();
    assert!(out.starts_with("age;sex\n"), "{out}");
    assert!(!out.contains("Ann"));
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(report["method"], "mondrian");
    assert_eq!(report["quality"]["min_class_size"], 2);
    // Unknown field, identifying column kept, bad hierarchy rule: each a clear error.
    let e = anonymize_csv(csv, b';', r#"{"modles": []}"#).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    let e = anonymize_csv(csv, b';', &spec.replace("\"drop_identifying\": true", "\"drop_identifying\": false"))
        .unwrap_err();
    assert_eq!(e.position().column.as_deref(), Some("name"));
    let e = anonymize_csv(csv, b';', &spec.replace("\"type\": \"flat\"", "\"type\": \"dates\"")).unwrap_err();
    assert_eq!((e.kind(), e.position().column.as_deref()), (ErrorKind::InvalidInput, Some("sex")));
    // A value that is not a number names its first table row.
    let csv2 = b"name;age;sex\nAnn;31;F\nBo;31;F\nCy;x;M\nDi;38;M\n";
    let e = anonymize_csv(csv2, b';', spec).unwrap_err();
    assert_eq!((e.position().row, e.position().column.as_deref()), (Some(2), Some("age")));
}

#[test]
fn model_json_names() {
    let m: Vec<PrivacyModel> = serde_json::from_str(
        r#"[{"model": "recursive_c_l", "attribute": "s", "c": 2.0, "l": 2},
            {"model": "t_closeness", "attribute": "s", "t": 0.2, "distance": "hierarchical"},
            {"model": "average_risk", "threshold": 0.1}]"#,
    )
    .unwrap();
    assert_eq!(m[0], PrivacyModel::RecursiveCL { attribute: "s".into(), c: 2.0, l: 2 });
    assert_eq!(m[2], PrivacyModel::AverageRisk { threshold: 0.1 });
}

#[test]
fn anonymizer_is_shareable_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Anonymizer<'static>>();
    assert_send_sync::<Table>();
    assert_send_sync::<Config>();
}

#[test]
fn huge_lattice_is_refused_not_allocated() {
    // 26 quasi-identifiers with 2 levels each: 3^26 transformations.
    let names: Vec<String> = (0..26).map(|i| format!("q{i}")).collect();
    let cols: Vec<(String, Vec<&str>)> = names.iter().map(|n| (n.clone(), vec!["0", "1"])).collect();
    let t = Table::from_columns(cols).unwrap();
    let h = Hierarchy::from_csv("0;a;*\n1;a;*\n", b';').unwrap();
    let mut c = Config::new().model(PrivacyModel::KAnonymity { k: 1 });
    for n in &names {
        c = c.quasi_identifier(n, h.clone());
    }
    let a = Anonymizer::new(&t, &c).unwrap();
    assert_eq!(a.optimal().unwrap_err().kind(), ErrorKind::InvalidArgument);
    assert!(a.mondrian().is_ok());
}
