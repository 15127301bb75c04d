//! Runs the shared vector files in tests/vectors/mask/ (the bindings run the same files).

use privshare::mask::{Masker, PiiType, Rule};
use serde_json::Value;

fn load(name: &str) -> Value {
    let path = format!("{}/tests/vectors/mask/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn rule_vectors() {
    let v = load("rules.json");
    let mut n = 0;
    for case in v["cases"].as_array().unwrap() {
        let rule: Rule = serde_json::from_value(case["rule"].clone()).unwrap();
        let masker = Masker::new(rule.clone()).unwrap();
        let strict = masker.clone().strict(true);
        for val in case["values"].as_array().unwrap() {
            let (input, want, parsed) = (val[0].as_str().unwrap(), val[1].as_str().unwrap(), val[2].as_bool().unwrap());
            let mut out = String::new();
            assert_eq!(masker.apply_into(input, None, &mut out).unwrap(), parsed, "{rule:?} {input}");
            assert_eq!(out, want, "{rule:?} {input}");
            assert_eq!(strict.apply(input).is_ok(), parsed, "strict {rule:?} {input}");
            n += 1;
        }
    }
    assert!(n >= 50, "only {n} vectors");
}

#[test]
fn validator_vectors() {
    let v = load("validators.json");
    let mut seen = 0;
    for &t in PiiType::ALL {
        let entry = &v[t.name()];
        assert!(entry.is_object(), "no vectors for {t}");
        for s in entry["valid"].as_array().unwrap() {
            assert!(t.validate(s.as_str().unwrap()), "{t} should accept {s}");
            seen += 1;
        }
        for s in entry["invalid"].as_array().unwrap() {
            assert!(!t.validate(s.as_str().unwrap()), "{t} should reject {s}");
            seen += 1;
        }
    }
    assert!(seen > 80);
}

#[test]
fn validate_column_matches_single_values() {
    let vals: [&[u8]; 4] = [b"11010519491231002X", b"110105194912310021", b"\xff", b""];
    assert_eq!(PiiType::ResidentId.validate_column(&vals[..]), vec![true, false, false, false]);
}
