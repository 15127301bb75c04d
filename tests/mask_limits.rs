//! Hostile masking rules (issue 15): no size a rule names can panic, abort or make one value's
//! output large; every rule JSON is either refused or gives a masker whose output is bounded.

use privshare::mask::limits::{MAX_MASK_LENGTH, MAX_REGEX_PATTERN_BYTES, MAX_RULE_JSON_BYTES, MAX_TEXT_BYTES};
use privshare::mask::{Masker, Rule};
use privshare::{ErrorKind, Keyset, Suite};
use proptest::prelude::*;

fn build(json: &str) -> privshare::Result<Masker> {
    let rule = Rule::from_json(json)?;
    if rule.is_keyed() {
        let keyset = Keyset::generate(Suite::Aes)?;
        Masker::with_keyset(rule, &keyset, keyset.primary_id(), "d", "f")
    } else {
        Masker::new(rule)
    }
}

fn refused(json: &str, field: &str) {
    let e = build(json).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{json}");
    assert!(e.message().contains(field) && e.message().contains("limit"), "{json}: {e}");
}

/// The length fields of issue 15 with the issue's values: 2^64 - 1 panicked ("capacity
/// overflow"), 2^40 aborted the process, 10^9 returned a gigabyte for one character.
#[test]
fn huge_lengths_are_refused_when_the_rule_is_built() {
    for n in ["18446744073709551615", "1099511627776", "1000000000", &(MAX_MASK_LENGTH + 1).to_string()] {
        refused(&format!(r#"{{"rule":"redact","length":{n}}}"#), "length");
        refused(&format!(r#"{{"rule":"keep_ends","first":1,"fixed_length":{n}}}"#), "fixed_length");
        refused(&format!(r#"{{"rule":"email","mask_length":{n}}}"#), "mask_length");
        refused(&format!(r#"{{"rule":"address","mask_length":{n}}}"#), "mask_length");
        refused(&format!(r#"{{"rule":"name","fixed_length":{n}}}"#), "fixed_length");
    }
    // At the limit: exactly that many mask characters.
    let m = build(&format!(r#"{{"rule":"redact","length":{MAX_MASK_LENGTH}}}"#)).unwrap();
    assert_eq!(m.apply("x").unwrap(), "*".repeat(MAX_MASK_LENGTH));
    let m = build(&format!(r#"{{"rule":"name","fixed_length":{MAX_MASK_LENGTH}}}"#)).unwrap();
    assert_eq!(m.apply("张三").unwrap().chars().count(), 1 + MAX_MASK_LENGTH);
    // Rules built in Rust are checked the same way.
    let r = Rule::Redact(privshare::mask::Redact { mask_char: '*', length: Some(usize::MAX) });
    assert_eq!(Masker::new(r).unwrap_err().kind(), ErrorKind::InvalidArgument);
}

#[test]
fn texts_patterns_and_rules_have_size_limits() {
    let long = "x".repeat(MAX_TEXT_BYTES + 1);
    refused(&format!(r#"{{"rule":"constant","value":"{long}"}}"#), "value");
    refused(&format!(r#"{{"rule":"bucket","bounds":[1],"labels":["a","{long}"]}}"#), "labels");
    let bounds: Vec<String> = (0..1025).map(|i| i.to_string()).collect();
    refused(&format!(r#"{{"rule":"bucket","bounds":[{}]}}"#, bounds.join(",")), "bounds");
    // A 10 MB pattern compiled to 1.26 GB; now its length is refused before compiling.
    let e =
        Masker::new(Rule::Regex(privshare::mask::RegexMask { pattern: "a".repeat(10_000_000), ..Default::default() }))
            .unwrap_err();
    assert!(e.message().contains("pattern") && e.message().contains("limit"), "{e}");
    refused(&format!(r#"{{"rule":"regex","pattern":"{}"}}"#, "a".repeat(MAX_REGEX_PATTERN_BYTES + 1)), "pattern");
    // A short pattern that compiles to more than the compiled-size limit is refused too.
    let e = build(r#"{"rule":"regex","pattern":"\\w{1000}\\w{1000}\\w{1000}"}"#).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    // The rule JSON itself.
    let padded = format!(r#"{{"rule":"redact"{}}}"#, " ".repeat(MAX_RULE_JSON_BYTES));
    let e = Rule::from_json(&padded).unwrap_err();
    assert!(e.message().contains("longer than the limit"), "{e}");
}

/// Rule names with their parameter names, for the property below (and a name that is no rule).
const RULES: &[(&str, &[&str])] = &[
    ("redact", &["mask_char", "length"]),
    ("keep_ends", &["first", "last", "mask_char", "fixed_length"]),
    ("constant", &["value"]),
    ("truncate", &["length"]),
    ("hash", &["encoding", "length"]),
    ("round", &["base", "mode"]),
    ("bucket", &["bounds", "labels"]),
    ("top_bottom", &["bottom", "top"]),
    ("date_truncate", &["to", "fill"]),
    ("date_shift", &["max_days"]),
    ("regex", &["pattern", "group", "mask_char"]),
    ("resident_id", &["keep_first", "keep_last", "mask_char"]),
    ("mobile", &["keep_first", "keep_last", "mask_char"]),
    ("landline", &["keep_area", "keep_last", "mask_char"]),
    ("name", &["mask_char", "fixed_length"]),
    ("bank_card", &["keep_first", "keep_last", "mask_char"]),
    ("uscc", &["keep_first", "keep_last", "mask_char"]),
    ("email", &["keep_first", "mask_length", "keep_domain", "mask_char"]),
    ("address", &["levels", "mask_length", "mask_char"]),
    ("plate", &["keep_first", "keep_last", "mask_char"]),
    ("passport", &["keep_first", "keep_last", "mask_char"]),
    ("nonsense", &["length"]),
];

fn json_value() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "18446744073709551615",
            "1099511627776",
            "1000000000",
            "1024",
            "1025",
            "0",
            "-1",
            "1e300",
            "-1e-300",
            "0.1",
            "true",
            "null",
            "\"*\"",
            "\"#\"",
            "\"a\"",
            "\"floor\"",
            "\"month\"",
            "\"base32\"",
            "\"(\\\\d+)\"",
            "\"\\\\w{500}\\\\w{500}\"",
            "[1, 2, 1e300]",
            "[\"a\", \"b\"]",
        ])
        .prop_map(String::from),
        (0usize..3000).prop_map(|n| n.to_string()),
        (0usize..3000).prop_map(|n| format!("\"{}\"", "x".repeat(n))),
        prop::collection::vec(-1e6f64..1e6, 0..40).prop_map(|v| format!("{v:?}")),
        prop::collection::vec("[a-z]{0,40}", 0..40).prop_map(|v| format!("{v:?}")),
    ]
}

fn rule_json() -> impl Strategy<Value = String> {
    prop::sample::select(RULES)
        .prop_flat_map(|(rule, fields)| {
            (Just(rule), prop::collection::vec((prop::sample::select(fields.to_vec()), json_value()), 0..4))
        })
        .prop_map(|(rule, params)| {
            let mut json = format!(r#"{{"rule":"{rule}""#);
            for (k, v) in params {
                json.push_str(&format!(r#","{k}":{v}"#));
            }
            json.push('}');
            json
        })
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "x",
            "11010519491231002X",
            "13812345678",
            "6222021234567890128",
            "zhang.san@example.com",
            "广东省深圳市南山区科技园",
            "欧阳娜娜",
            "2024-02-29",
            "-12.50",
            "1e5",
            "👨‍👩‍👧",
            "",
        ])
        .prop_map(String::from),
        ".{0,200}",
    ]
}

/// The most bytes any rule within the limits writes for `v`: four bytes per unit of the value,
/// a fixed-length run of mask characters, a replacement text and a formatted number.
fn bound(v: &str) -> usize {
    4 * v.len() + 4 * MAX_MASK_LENGTH + MAX_TEXT_BYTES + 1024
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn any_rule_json_is_refused_or_bounded(json in rule_json(), values in prop::collection::vec(value(), 1..4)) {
        let Ok(m) = build(&json) else { return Ok(()) };
        for v in &values {
            for out in [m.apply(v), m.apply_for_subject(v, "subject-1")].into_iter().flatten() {
                prop_assert!(out.len() <= bound(v), "{json} on {v:?}: {} bytes", out.len());
            }
        }
        let col = m.apply_column(&values.iter().map(String::as_str).collect::<Vec<_>>()[..], None, None);
        if let Ok(col) = col {
            prop_assert!(col.len() == values.len());
        }
    }
}
