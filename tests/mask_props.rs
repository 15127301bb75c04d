//! Property tests: masked output never equals (or validates as) a valid input of the same type,
//! grapheme handling never splits a character, length rules hold, bad input never panics.

mod mask_common;

use mask_common::{address, bank_card, email, mobile, name, resident_id, uscc, Rng};
use privshare::ids;
use privshare::mask::*;
use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

fn masker(json: &str) -> Masker {
    Masker::new(serde_json::from_str(json).unwrap()).unwrap()
}

/// A generator of valid values.
type Gen = fn(&mut Rng) -> String;

/// (rule, generator of valid values, type that must not validate on the output)
fn pii_cases() -> Vec<(&'static str, Gen, PiiType)> {
    vec![
        (r#"{"rule":"resident_id"}"#, resident_id, PiiType::ResidentId),
        (r#"{"rule":"resident_id","keep_first":16,"keep_last":2}"#, resident_id, PiiType::ResidentId),
        (r#"{"rule":"mobile"}"#, mobile, PiiType::Mobile),
        (r#"{"rule":"mobile","keep_first":11,"keep_last":11}"#, mobile, PiiType::Mobile),
        (r#"{"rule":"bank_card"}"#, bank_card, PiiType::BankCard),
        (r#"{"rule":"uscc"}"#, uscc, PiiType::Uscc),
        (r#"{"rule":"name"}"#, name, PiiType::Name),
        (r#"{"rule":"email","keep_first":100}"#, email, PiiType::Email),
        (r#"{"rule":"address"}"#, address, PiiType::Address),
        (r#"{"rule":"keep_ends","first":17,"last":17}"#, resident_id, PiiType::ResidentId),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn masked_output_never_equals_or_validates(seed in any::<u64>()) {
        let mut r = Rng(seed);
        for (json, gen, t) in pii_cases() {
            let m = masker(json);
            let v = gen(&mut r);
            prop_assert!(t.validate(&v), "generator made an invalid {t}: {v}");
            let out = m.apply(&v).unwrap();
            prop_assert_ne!(&out, &v, "{} kept everything", json);
            // `*` is a legal character in an email's local part, so only inequality holds there.
            if t != PiiType::Email {
                prop_assert!(!t.validate(&out), "{} output {} still validates", json, out);
            }
            prop_assert!(out.contains('*'));
        }
    }

    #[test]
    fn graphemes_never_split_and_lengths_hold(s in "\\PC{0,12}", extra in prop::collection::vec(
        prop::sample::select(vec!["e\u{301}", "👍🏽", "👨‍👩‍👧", "张", "🇨🇳", "a\u{308}\u{301}"]), 0..4),
        first in 0usize..6, last in 0usize..6, len in 0usize..8)
    {
        let v = format!("{s}{}", extra.concat());
        let n = v.graphemes(true).count();
        let units: std::collections::HashSet<&str> = v.graphemes(true).collect();
        let keep = masker(&format!(r#"{{"rule":"keep_ends","first":{first},"last":{last}}}"#)).apply(&v).unwrap();
        let out: Vec<&str> = keep.graphemes(true).collect();
        prop_assert_eq!(out.len(), n);
        for g in &out {
            prop_assert!(*g == "*" || units.contains(g), "split grapheme {:?}", g);
        }
        if n > 0 {
            prop_assert!(out.contains(&"*"), "keep_ends masked nothing");
        }
        let red = masker(r#"{"rule":"redact"}"#).apply(&v).unwrap();
        prop_assert_eq!(red.chars().count(), n);
        let tr = masker(&format!(r#"{{"rule":"truncate","length":{len}}}"#)).apply(&v).unwrap();
        prop_assert_eq!(tr.graphemes(true).count(), n.min(len));
        prop_assert!(v.starts_with(&tr));
        let fixed = masker(&format!(r#"{{"rule":"redact","length":{len}}}"#)).apply(&v).unwrap();
        prop_assert_eq!(fixed.chars().count(), if v.is_empty() { 0 } else { len });
    }

    #[test]
    fn bad_input_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..40), s in "\\PC{0,30}") {
        let ks = privshare::Keyset::generate(privshare::Suite::Aes).unwrap();
        let rules = [
            r#"{"rule":"resident_id"}"#, r#"{"rule":"mobile"}"#, r#"{"rule":"landline"}"#, r#"{"rule":"name"}"#,
            r#"{"rule":"bank_card"}"#, r#"{"rule":"uscc"}"#, r#"{"rule":"email"}"#, r#"{"rule":"address"}"#,
            r#"{"rule":"plate"}"#, r#"{"rule":"passport"}"#, r#"{"rule":"round","base":3}"#,
            r#"{"rule":"bucket","bounds":[1,2]}"#, r#"{"rule":"top_bottom","top":5}"#, r#"{"rule":"date_truncate"}"#,
            r#"{"rule":"date_shift"}"#, r#"{"rule":"hash","length":10}"#, r#"{"rule":"regex","pattern":"[0-9]+"}"#,
            r#"{"rule":"keep_ends","first":2,"last":2}"#, r#"{"rule":"truncate","length":2}"#,
        ];
        let lossy = String::from_utf8_lossy(&bytes).into_owned();
        let vals: Vec<&[u8]> = vec![&bytes, s.as_bytes(), lossy.as_bytes()];
        let subjects: Vec<&[u8]> = vec![b"a", b"b", b"c"];
        for json in rules {
            let m = Masker::with_keyset(serde_json::from_str(json).unwrap(), &ks, "d", "f").unwrap();
            let out = m.apply_column(&vals[..], Some(&subjects)).unwrap();
            prop_assert_eq!(out.column.len(), 3);
            let _ = m.clone().strict(true).apply_column(&vals[..], Some(&subjects));
            let _ = m.apply_for_subject(&s, "x");
        }
        for &t in PiiType::ALL {
            let _ = (t.validate(&s), t.shape(&s), t.validate(&lossy), t.shape(&lossy));
        }
        let mut csv_bytes = b"a,b\n".to_vec();
        csv_bytes.extend_from_slice(&bytes);
        let _ = scan_csv(&csv_bytes[..], &ScanOptions::default());
    }

    #[test]
    fn validators_agree_with_generated_values(seed in any::<u64>()) {
        let mut r = Rng(seed);
        let id = resident_id(&mut r);
        prop_assert!(ids::resident_id::is_valid(&id));
        // Changing the check character always breaks it (MOD 11-2 detects every single substitution).
        let mut bad = id.clone();
        let c = if id.ends_with('0') { "1" } else { "0" };
        bad.replace_range(17.., c);
        prop_assert!(!ids::resident_id::is_valid(&bad));
        let u = uscc(&mut r);
        prop_assert!(ids::uscc::is_valid(&u));
        let card = bank_card(&mut r);
        prop_assert!(ids::is_bank_card(&card));
    }
}
