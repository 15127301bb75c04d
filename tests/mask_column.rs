//! `Masker::apply_column` (one output buffer for the whole column) against the per-value
//! `Masker::apply`, for every rule: byte-identical output, the same invalid count, and in strict
//! mode the same first failing row, over valid, invalid, empty, non-ASCII and non-UTF-8 values,
//! given as a slice of `&str`, as byte slices and as a `Packed` buffer.

mod mask_common;

use mask_common::{address, bank_card, birth_date, email, mobile, name, resident_id, uscc, Rng};
use privshare::mask::{Masker, Redact, Rule};
use privshare::{ErrorKind, Keyset, Suite};
use privshare::{Packed, Values};
use proptest::prelude::*;

/// Every rule, with parameters off the defaults where that changes the output's shape.
const RULES: &[&str] = &[
    r#"{"rule":"redact"}"#,
    r#"{"rule":"redact","length":3,"mask_char":"×"}"#,
    r#"{"rule":"keep_ends","first":1,"last":2}"#,
    r#"{"rule":"keep_ends","first":2,"last":0,"fixed_length":4,"mask_char":"~"}"#,
    r#"{"rule":"constant","value":"已脱敏"}"#,
    r#"{"rule":"truncate","length":3}"#,
    r#"{"rule":"hash","length":16}"#,
    r#"{"rule":"round","base":5}"#,
    r#"{"rule":"round","base":0.5,"mode":"nearest"}"#,
    r#"{"rule":"bucket","bounds":[18,35,60]}"#,
    r#"{"rule":"top_bottom","bottom":10,"top":90}"#,
    r#"{"rule":"date_truncate","to":"month"}"#,
    r#"{"rule":"name","fixed_length":2,"mask_char":"○"}"#,
    r#"{"rule":"address","levels":2}"#,
    r#"{"rule":"hash","encoding":"base32"}"#,
    r#"{"rule":"date_shift","max_days":30}"#,
    r#"{"rule":"regex","pattern":"\\d{4}$"}"#,
    r#"{"rule":"resident_id"}"#,
    r#"{"rule":"mobile"}"#,
    r#"{"rule":"mobile","keep_first":0,"keep_last":2,"mask_char":"•"}"#,
    r#"{"rule":"landline"}"#,
    r#"{"rule":"name"}"#,
    r#"{"rule":"bank_card"}"#,
    r#"{"rule":"uscc"}"#,
    r#"{"rule":"email"}"#,
    r#"{"rule":"address"}"#,
    r#"{"rule":"plate"}"#,
    r#"{"rule":"passport"}"#,
];

fn masker(json: &str, strict: bool) -> Masker {
    let rule: Rule = serde_json::from_str(json).unwrap();
    let m = if rule.is_keyed() {
        // One fixed keyset per test run is enough: the property compares two paths with one key.
        thread_local!(static KS: Keyset = Keyset::generate(Suite::Aes).unwrap());
        KS.with(|ks| Masker::with_keyset(rule, ks, "tests", "col").unwrap())
    } else {
        Masker::new(rule).unwrap().with_column("col")
    };
    m.strict(strict)
}

/// A value that is valid for some rule, invalid for most, or odd in some other way.
fn value(r: &mut Rng) -> Vec<u8> {
    let odd: &[&str] = &[
        "",
        "13800138000",
        "+86 138-0013-8000",
        "0086-13800138000",
        "1380013800",
        "15412345678",
        "010-12345678",
        "0755-1234567-89",
        "京A12345",
        "E12345678",
        "42",
        "-3.75",
        "1e5",
        "2024-02-29",
        "2023-02-29",
        "room 1203, 5678",
        "张三丰",
        "欧阳娜娜",
        "e\u{301}cole",
        "👨‍👩‍👧 family",
        "a\r\nb",
        "x",
        " ",
    ];
    match r.below(12) {
        0 => resident_id(r).into_bytes(),
        1 => mobile(r).into_bytes(),
        2 => bank_card(r).into_bytes(),
        3 => uscc(r).into_bytes(),
        4 => name(r).into_bytes(),
        5 => address(r).into_bytes(),
        6 => email(r).into_bytes(),
        7 => birth_date(r).into_bytes(),
        // Not UTF-8: a lone continuation byte, a truncated character, an overlong encoding.
        8 => [&b"13800\x80138000"[..], b"\xe5\xbc", b"\xc0\xaf", b"ok\xff"][r.below(4) as usize].to_vec(),
        // A valid value with one character changed.
        9 => {
            let mut v = mobile(r).into_bytes();
            let i = r.below(v.len() as u64) as usize;
            v[i] = b"0123456789aX-"[r.below(13) as usize];
            v
        }
        _ => r.pick(odd).as_bytes().to_vec(),
    }
}

/// What `apply_column` must give for one value: `apply` on text (for keyed rules, with the
/// subject), or one mask character per character for bytes that are not UTF-8.
fn expected(m: &Masker, v: &[u8], subject: &str) -> privshare::Result<String> {
    let Ok(s) = std::str::from_utf8(v) else {
        let all = Masker::new(Rule::Redact(Redact { mask_char: m.rule().mask_char(), length: None }))?;
        return all.apply(&String::from_utf8_lossy(v));
    };
    if m.rule().is_keyed() {
        m.apply_for_subject(s, subject)
    } else {
        m.apply(s)
    }
}

fn check(json: &str, vals: &[Vec<u8>]) -> Result<(), TestCaseError> {
    let subjects: Vec<String> = (0..vals.len()).map(|i| format!("s{}", i % 3)).collect();
    let subj: Option<&dyn Values> = json.contains("date_shift").then_some(&subjects as &dyn Values);
    let lenient = masker(json, false);
    let strict = masker(json, true);

    // The oracle, value by value.
    let mut want = Vec::new();
    let mut invalid = 0u64;
    let mut first_bad: Option<(usize, ErrorKind)> = None;
    for (i, v) in vals.iter().enumerate() {
        let out = expected(&lenient, v, &subjects[i]).map_err(|e| TestCaseError::fail(e.to_string()))?;
        // It parsed unless the strict masker rejects it (bytes that are not UTF-8 never parse).
        let parsed = match std::str::from_utf8(v) {
            Ok(_) => expected(&strict, v, &subjects[i]).map_err(|e| first_bad.get_or_insert((i, e.kind()))).is_ok(),
            Err(_) => {
                first_bad.get_or_insert((i, ErrorKind::NotUtf8));
                false
            }
        };
        invalid += u64::from(!parsed);
        want.push(out);
    }

    let joined = want.concat();
    let want_offsets: Vec<usize> =
        std::iter::once(0).chain(want.iter().scan(0, |end, w| Some(*end + w.len()).inspect(|e| *end = *e))).collect();
    // Three input forms, one answer.
    let mut data = Vec::new();
    let mut offsets = vec![0];
    for v in vals {
        data.extend_from_slice(v);
        offsets.push(data.len());
    }
    let packed = Packed::new(&data, &offsets).unwrap();
    let slices: Vec<&[u8]> = vals.iter().map(Vec::as_slice).collect();
    for got in [lenient.apply_column(&packed, subj).unwrap(), lenient.apply_column(&slices[..], subj).unwrap()] {
        prop_assert_eq!(got.column.len(), vals.len());
        for (i, w) in want.iter().enumerate() {
            prop_assert_eq!(got.column.get(i).unwrap(), w.as_bytes(), "{} row {}", json, i);
        }
        prop_assert_eq!(got.invalid, invalid, "{}", json);
    }
    if vals.iter().all(|v| std::str::from_utf8(v).is_ok()) {
        let strs: Vec<&str> = vals.iter().map(|v| std::str::from_utf8(v).unwrap()).collect();
        let got = lenient.apply_column(&strs[..], subj).unwrap();
        prop_assert_eq!(got.column.data(), joined.as_bytes());
        prop_assert_eq!(got.column.offsets(), &want_offsets[..]);
        // Text checked once for the whole buffer (how the Python binding hands over pyarrow blocks).
        let text = std::str::from_utf8(&data).unwrap();
        let got = lenient.apply_column(&Packed::from_text(text, &offsets).unwrap(), subj).unwrap();
        prop_assert_eq!(got.column.data(), joined.as_bytes());
        prop_assert_eq!(got.column.offsets(), &want_offsets[..]);
        prop_assert_eq!(got.invalid, invalid);
    }

    // Strict: the first value that does not parse, by row and column; else the same output.
    match (strict.apply_column(&packed, subj), first_bad) {
        (Err(e), Some((row, kind))) => {
            prop_assert_eq!(e.kind(), kind, "{}", json);
            prop_assert_eq!(e.position().row, Some(row as u64), "{}", json);
            prop_assert_eq!(e.position().column.as_deref(), Some("col"));
        }
        (Ok(got), None) => prop_assert_eq!(got.column.data(), joined.as_bytes()),
        (got, want) => {
            prop_assert!(false, "{}: strict gave {:?}, expected failure at {:?}", json, got.map(|c| c.invalid), want)
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn column_equals_value_by_value(seed in any::<u64>(), n in 0usize..40) {
        let mut r = Rng(seed);
        let vals: Vec<Vec<u8>> = (0..n).map(|_| value(&mut r)).collect();
        for json in RULES {
            check(json, &vals)?;
        }
    }
}

#[test]
fn the_oracle_sees_every_kind_of_value() {
    // Guards the property above against a corpus that never reaches a branch.
    let mut r = Rng(7);
    let vals: Vec<Vec<u8>> = (0..400).map(|_| value(&mut r)).collect();
    assert!(vals.iter().any(|v| v.is_empty()));
    assert!(vals.iter().any(|v| std::str::from_utf8(v).is_err()));
    assert!(vals.iter().any(|v| std::str::from_utf8(v).is_ok_and(|s| !s.is_ascii())));
    let mobile = masker(r#"{"rule":"mobile"}"#, false);
    let col = mobile.apply_column(&vals.iter().map(Vec::as_slice).collect::<Vec<_>>()[..], None).unwrap();
    assert!(col.invalid > 0 && (col.invalid as usize) < vals.len());
}

#[test]
fn subject_count_must_match() {
    let m = masker(r#"{"rule":"date_shift","max_days":30}"#, false);
    let err = m.apply_column(&["2024-01-02", "2024-01-03"][..], Some(&["s1"] as &dyn Values)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    let err = m.apply_column(&["2024-01-02"][..], None).unwrap_err();
    assert_eq!((err.kind(), err.position().row), (ErrorKind::InvalidArgument, Some(0)));
}
