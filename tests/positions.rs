//! Positions a user can find (issue 10): every error about a file names the file's own one-based
//! line, and the column where there is one: CSV tables, hierarchies, specs and rules.

use privshare::anon::spec::anonymize_csv;
use privshare::anon::{Anonymizer, Config, Hierarchy, PrivacyModel, Table};
use privshare::mask::{scan_csv, Rule, ScanOptions};
use privshare::ErrorKind;

#[test]
fn a_value_missing_from_its_hierarchy_names_the_line_of_the_file() {
    // Line 1 is the header, data rows 0..1748 are lines 2..1749, row 1748 is line 1750.
    let mut csv = String::from("id;occupation\n");
    for i in 0..1748 {
        csv.push_str(&format!("{i};Sales\n"));
    }
    csv.push_str("1748;Astronaut\n");
    let t = Table::from_csv(csv.as_bytes(), b';').unwrap();
    assert_eq!((t.line(0), t.line(1748)), (Some(2), Some(1750)));
    let h = Hierarchy::from_csv("Sales;*\nTech-support;*\n", b';').unwrap();
    let c = Config::new().quasi_identifier("occupation", h).model(PrivacyModel::KAnonymity { k: 1 });
    let e = Anonymizer::new(&t, &c).err().unwrap();
    let p = e.position();
    assert_eq!((p.line, p.row, p.column.as_deref()), (Some(1750), Some(1748), Some("occupation")));
    assert!(e.to_string().contains("at line 1750, row 1748, column \"occupation\""), "{e}");
}

#[test]
fn lines_survive_blank_lines_and_quoted_line_breaks() {
    let csv = "id;note;age\n1;\"two\nlines\";31\n\n2;x;32\n3;y;99\n";
    let t = Table::from_csv(csv.as_bytes(), b';').unwrap();
    assert_eq!((t.line(0), t.line(1), t.line(2)), (Some(2), Some(5), Some(6)));
    let h = Hierarchy::from_csv("31;*\n32;*\n", b';').unwrap();
    let c = Config::new().quasi_identifier("age", h).model(PrivacyModel::KAnonymity { k: 1 });
    assert_eq!(Anonymizer::new(&t, &c).err().unwrap().position().line, Some(6));
}

#[test]
fn hierarchy_lines_count_from_one_and_empty_labels_are_refused() {
    let e = Hierarchy::from_csv("Private;Employed;*\nWithout-pay;;*\n", b';').unwrap_err();
    assert_eq!((e.kind(), e.position().line), (ErrorKind::InvalidInput, Some(2)));
    assert!(e.message().contains("empty label at level 1"), "{e}");
    let e =
        Hierarchy::from_rows(vec![vec!["a".into(), "x".into(), "*".into()], vec!["b".into(), "y".into(), "".into()]])
            .unwrap_err();
    assert_eq!((e.position().row, e.position().line), (Some(1), None));
    // The first line is line 1; a repeated value names both lines.
    let e = Hierarchy::from_csv("a;*\n\nb;*\na;*\n", b';').unwrap_err();
    assert_eq!(e.position().line, Some(4));
    assert!(e.message().contains("line 4 repeats the value of line 1"), "{e}");
    // An empty value (a missing cell in the data) may still be generalized.
    assert!(Hierarchy::from_csv(";*\nb;*\n", b';').is_ok());
}

#[test]
fn a_hierarchy_inside_a_spec_names_its_column_and_its_own_line() {
    let spec = r#"{"attributes": [{"name": "age", "role": "quasi_identifying",
        "hierarchy": {"type": "csv", "text": "31;30-34;*\n32;;*\n"}}]}"#;
    let e = anonymize_csv(b"age\n31\n32\n", b';', spec).unwrap_err();
    assert_eq!((e.position().line, e.position().column.as_deref()), (Some(2), Some("age")));
}

#[test]
fn json_specs_and_rules_name_the_line() {
    let spec = "{\n  \"attributes\": [],\n  \"modles\": []\n}";
    let e = anonymize_csv(b"a\n1\n", b';', spec).unwrap_err();
    assert_eq!((e.kind(), e.position().line), (ErrorKind::InvalidArgument, Some(3)));
    assert!(e.message().contains("unknown field `modles`"), "{e}");
    assert!(!e.message().contains("at line"), "the line is a position, not part of the message: {e}");
    let e = Rule::from_json("{\"rule\": \"redact\",\n \"length\": 4,}").unwrap_err();
    assert_eq!((e.kind(), e.position().line), (ErrorKind::InvalidArgument, Some(2)));
    // Inside a tagged value serde knows the field but not the line.
    let e = Rule::from_json("{\"rule\": \"redact\",\n \"length\": \"many\"}").unwrap_err();
    assert!(e.message().contains("expected usize"), "{e}");
}

#[test]
fn csv_tables_name_line_and_column() {
    // A short record names the first missing column; a record past the limit names its line.
    let e = Table::from_csv("a,b,c\n1,2,3\n\n4,5\n".as_bytes(), b',').unwrap_err();
    let p = e.position();
    assert_eq!((p.line, p.row, p.column.as_deref()), (Some(4), Some(1), Some("c")));
    let mut csv = b"name,note\nAnn,ok\n".to_vec();
    csv.extend(b"Bob,");
    csv.extend(vec![b'x'; privshare::io::csv::MAX_RECORD_BYTES]);
    csv.push(b'\n');
    let e = Table::from_csv(&csv[..], b',').unwrap_err();
    assert_eq!((e.kind(), e.position().line), (ErrorKind::InvalidInput, Some(3)));
    let e = scan_csv(&csv[..], &ScanOptions::default()).unwrap_err();
    assert_eq!((e.kind(), e.position().line), (ErrorKind::InvalidInput, Some(3)));
}
