//! Known answers for every masking rule, the not-parsing paths, strict mode and JSON forms.

use privshare::mask::*;
use privshare::{ErrorKind, Keyset, Suite};

fn m(json: &str) -> Masker {
    Masker::new(serde_json::from_str(json).expect("rule JSON")).expect("rule compiles")
}

fn check(json: &str, cases: &[(&str, &str)]) {
    let masker = m(json);
    for (input, want) in cases {
        assert_eq!(masker.apply(input).unwrap(), *want, "{json} on {input:?}");
    }
}

#[test]
fn generic_rules() {
    check(r#"{"rule":"redact"}"#, &[("张三丰", "***"), ("abc", "***"), ("", "")]);
    check(r##"{"rule":"redact","length":4,"mask_char":"#"}"##, &[("x", "####"), ("a long value", "####")]);
    check(
        r#"{"rule":"keep_ends","first":1,"last":1}"#,
        &[("13800138000", "1*********0"), ("张三丰", "张*丰"), ("ab", "a*"), ("a", "*"), ("e\u{301}co", "e\u{301}*o")],
    );
    check(r#"{"rule":"keep_ends","first":2,"fixed_length":3}"#, &[("👍🏽👍🏽abcdef", "👍🏽👍🏽***")]);
    check(r#"{"rule":"constant","value":"已脱敏"}"#, &[("anything", "已脱敏")]);
    check(r#"{"rule":"truncate","length":3}"#, &[("北京市海淀区", "北京市"), ("ab", "ab")]);
    check(
        r#"{"rule":"regex","pattern":"\\d{4}$"}"#,
        &[("room 1203, 5678", "room 1203, ****"), ("no digits", "*********")],
    );
    check(r#"{"rule":"regex","pattern":"(\\w+)@","group":1}"#, &[("mail zhang@x.cn", "mail *****@x.cn")]);
}

#[test]
fn numeric_rules() {
    check(r#"{"rule":"round","base":5}"#, &[("37", "35"), ("-3", "-5"), ("40", "40"), ("3.9", "0"), ("x", "*")]);
    check(r#"{"rule":"round","base":0.5,"mode":"nearest"}"#, &[("3.74", "3.5"), ("3.76", "4.0")]);
    check(r#"{"rule":"round","base":0.1}"#, &[("0.3", "0.3")]);
    check(r#"{"rule":"round","base":1000,"mode":"ceil"}"#, &[("12001", "13000")]);
    check(
        r#"{"rule":"bucket","bounds":[18,35,60]}"#,
        &[("17", "<18"), ("18", "[18,35)"), ("42", "[35,60)"), ("60", ">=60"), ("1e3", "***")],
    );
    check(r#"{"rule":"bucket","bounds":[18,60],"labels":["minor","adult","senior"]}"#, &[("70", "senior")]);
    check(r#"{"rule":"top_bottom","top":90,"bottom":1}"#, &[("97", "90"), ("45", "45"), ("0", "1"), ("-", "*")]);
    for bad in [r#"{"rule":"round","base":0}"#, r#"{"rule":"bucket","bounds":[3,2]}"#, r#"{"rule":"top_bottom"}"#] {
        let r: Rule = serde_json::from_str(bad).unwrap();
        assert_eq!(Masker::new(r).unwrap_err().kind(), ErrorKind::InvalidArgument, "{bad}");
    }
}

#[test]
fn date_truncation() {
    check(
        r#"{"rule":"date_truncate","to":"year"}"#,
        &[("1985-07-14", "1985"), ("1985年7月14日", "1985年"), ("19850714", "1985"), ("1985-02-30", "**********")],
    );
    check(
        r#"{"rule":"date_truncate"}"#,
        &[("1985/7/14", "1985/7"), ("1985-07-14T08:00:00Z", "1985-07"), ("1985年07月14日", "1985年07月")],
    );
    check(r#"{"rule":"date_truncate","to":"month","fill":true}"#, &[("1985-07-14", "1985-07-01")]);
}

#[test]
fn chinese_pii_rules() {
    check(
        r#"{"rule":"resident_id"}"#,
        &[
            ("11010519491231002X", "110105********002X"),
            ("11010519491231002x", "110105********002X"),
            ("110105491231002", "110105******002"),
            ("110105194912310021", "******************"),
        ],
    );
    check(r#"{"rule":"resident_id","keep_first":0,"keep_last":1}"#, &[("11010519491231002X", "*****************X")]);
    check(
        r#"{"rule":"mobile"}"#,
        &[
            ("13800138000", "138****8000"),
            ("+86 138-0013-8000", "+86 138-****-8000"),
            ("008613800138000", "0086138****8000"),
            ("15412345678", "***********"),
        ],
    );
    check(
        r#"{"rule":"landline"}"#,
        &[("010-62345678", "010-****5678"), ("0755-6234567-88", "0755-***4567-88"), ("(020)87654321", "(020)****4321")],
    );
    check(r#"{"rule":"landline","keep_area":false,"keep_last":2}"#, &[("010-62345678", "***-******78")]);
    check(
        r#"{"rule":"name"}"#,
        &[
            ("张三", "张*"),
            ("王小明", "王**"),
            ("欧阳娜娜", "欧阳**"),
            ("欧阳", "欧*"),
            ("司马光", "司马*"),
            ("买买提·艾力", "买买提·**"),
            ("阿卜杜·热合曼·买买提", "阿卜杜·***·***"),
            ("John Smith", "J*** S****"),
            ("张", "*"),
            ("张3", "**"),
        ],
    );
    check(r#"{"rule":"name","fixed_length":2}"#, &[("王小明明", "王**"), ("买买提·艾力江", "买买提·**")]);
    check(
        r#"{"rule":"bank_card"}"#,
        &[("6222021234567890128", "622202*********0128"), ("4111 1111 1111 1111", "4111 11** **** 1111")],
    );
    check(r#"{"rule":"bank_card"}"#, &[("4111111111111112", "****************")]);
    check(
        r#"{"rule":"uscc"}"#,
        &[("91350100M000100Y43", "91350100********43"), ("91350100M000100Y44", "******************")],
    );
    check(
        r#"{"rule":"email"}"#,
        &[("zhangsan@example.com", "z***@example.com"), ("a@b.cn", "***@b.cn"), ("not-an-email", "************")],
    );
    check(r#"{"rule":"email","keep_domain":false}"#, &[("zhangsan@example.com", "z***@***.com")]);
    check(
        r#"{"rule":"address"}"#,
        &[
            ("北京市海淀区中关村大街27号", "北京市海淀区****"),
            ("广东省深圳市南山区科技园南区", "广东省深圳市南山区****"),
            ("北京市海淀区", "******"),
            ("海淀区中关村", "******"),
        ],
    );
    check(r#"{"rule":"address","levels":1,"mask_length":2}"#, &[("广东省深圳市南山区科技园", "广东省**")]);
    check(r#"{"rule":"plate"}"#, &[("京A12345", "京A***45"), ("沪AD12345", "沪A****45"), ("京I12345", "*******")]);
    check(r#"{"rule":"passport"}"#, &[("E12345678", "E*****678"), ("EA1234567", "E*****567"), ("X1", "**")]);
}

#[test]
fn keyed_hash_is_stable_per_column_and_keyset() {
    for suite in [Suite::Aes, Suite::Sm] {
        let ks = Keyset::generate(suite).unwrap();
        let rule: Rule = serde_json::from_str(r#"{"rule":"hash"}"#).unwrap();
        assert_eq!(Masker::new(rule.clone()).unwrap_err().kind(), ErrorKind::InvalidArgument);
        let a = Masker::with_keyset(rule.clone(), &ks, "census", "phone").unwrap();
        let b = Masker::with_keyset(rule.clone(), &ks, "census", "mobile").unwrap();
        let h = a.apply("13800138000").unwrap();
        assert_eq!(h.len(), 64);
        assert!(h.bytes().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_eq!(h, a.apply("13800138000").unwrap());
        assert_ne!(h, a.apply("13800138001").unwrap());
        assert_ne!(h, b.apply("13800138000").unwrap());
        let other = Keyset::generate(suite).unwrap();
        assert_ne!(h, Masker::with_keyset(rule, &other, "census", "phone").unwrap().apply("13800138000").unwrap());

        let short: Rule = serde_json::from_str(r#"{"rule":"hash","encoding":"base32","length":12}"#).unwrap();
        let s = Masker::with_keyset(short, &ks, "census", "phone").unwrap().apply("13800138000").unwrap();
        assert_eq!(s.len(), 12);
        assert!(s.bytes().all(|c| b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".contains(&c)));
        let full: Rule = serde_json::from_str(r#"{"rule":"hash","encoding":"base32"}"#).unwrap();
        assert_eq!(Masker::with_keyset(full, &ks, "d", "f").unwrap().apply("x").unwrap().len(), 52);
    }
    let too_short: Rule = serde_json::from_str(r#"{"rule":"hash","length":4}"#).unwrap();
    let ks = Keyset::generate(Suite::Aes).unwrap();
    assert!(Masker::with_keyset(too_short, &ks, "d", "f").is_err());
}

#[test]
fn date_shift_keeps_intervals_within_a_subject() {
    use privshare::ids::{calendar, date};
    let ks = Keyset::generate(Suite::Sm).unwrap();
    let rule: Rule = serde_json::from_str(r#"{"rule":"date_shift","max_days":30}"#).unwrap();
    let m = Masker::with_keyset(rule, &ks, "hospital", "visit_date").unwrap();
    let day = |s: &str| {
        let d = date::parse(s).unwrap();
        calendar::days_from_civil(i64::from(d.year), d.month, d.day)
    };
    let mut offsets = std::collections::HashSet::new();
    for subject in ["p1", "p2", "p3", "p4", "p5", "p6"] {
        let a = m.apply_for_subject("2024-02-28", subject).unwrap();
        let b = m.apply_for_subject("2024-03-05", subject).unwrap();
        assert_eq!(day(&b) - day(&a), day("2024-03-05") - day("2024-02-28"), "interval kept");
        let off = day(&a) - day("2024-02-28");
        assert!(off != 0 && off.abs() <= 30, "offset {off}");
        offsets.insert(off);
    }
    assert!(offsets.len() > 1, "different subjects get different offsets");
    let t = m.apply_for_subject("2024-02-28 08:30:00", "p1").unwrap();
    assert!(t.ends_with(" 08:30:00") && t.len() == 19);
    assert_eq!(m.apply("2024-02-28").unwrap_err().kind(), ErrorKind::InvalidArgument, "needs a subject");
    let col = m.apply_column(&["2024-01-01", "bad"][..], Some(&["p1", "p1"])).unwrap();
    assert_eq!(col.invalid, 1);
    assert_eq!(col.column.get_str(1), Some("***"));
}

#[test]
fn invalid_values_are_counted_or_rejected_without_the_value() {
    let rule = Rule::BankCard(BankCardMask::default());
    let values = ["6222021234567890128", "4111111111111112", "", "4111111111111111"];
    let out = Masker::new(rule.clone()).unwrap().apply_column(&values[..], None).unwrap();
    assert_eq!(out.invalid, 1);
    assert_eq!(out.column.get_str(1), Some("****************"));
    assert_eq!(out.column.get_str(2), Some(""));
    assert_eq!(out.column.get_str(3), Some("411111******1111"));

    let strict = Masker::new(rule).unwrap().strict(true).with_column("card");
    let err = strict.apply_column(&values[..], None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.position().row, Some(1));
    assert_eq!(err.position().column.as_deref(), Some("card"));
    assert!(!err.to_string().contains("4111111111111112"));

    let bytes: [&[u8]; 2] = [b"\xff\xfe", b"13800138000"];
    let m = Masker::new(Rule::Mobile(Default::default())).unwrap();
    let out = m.apply_column(&bytes[..], None).unwrap();
    assert_eq!((out.invalid, out.column.get_str(1)), (1, Some("138****8000")));
    let err = m.strict(true).apply_column(&bytes[..], None).unwrap_err();
    assert_eq!((err.kind(), err.position().row), (ErrorKind::NotUtf8, Some(0)));
}

#[test]
fn rule_json_round_trips_and_rejects_unknown_fields() {
    let rules = [
        r#"{"rule":"redact","mask_char":"*","length":null}"#,
        r#"{"rule":"keep_ends","first":1,"last":2,"mask_char":"*","fixed_length":null}"#,
        r#"{"rule":"mobile","keep_first":3,"keep_last":4,"mask_char":"*"}"#,
        r#"{"rule":"bucket","bounds":[1.0,2.0],"labels":null}"#,
        r#"{"rule":"date_shift","max_days":180}"#,
    ];
    for json in rules {
        let r: Rule = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::to_string(&r).unwrap(), json);
    }
    assert!(serde_json::from_str::<Rule>(r#"{"rule":"mobile","keep_frist":3}"#).is_err());
    assert!(serde_json::from_str::<Rule>(r#"{"rule":"nope"}"#).is_err());
    assert_eq!(
        serde_json::from_str::<Rule>(r#"{"rule":"name"}"#).unwrap(),
        Rule::Name(NameMask { mask_char: '*', fixed_length: None })
    );
    let r: Rule = serde_json::from_str(r#"{"rule":"mobile","mask_char":"0"}"#).unwrap();
    assert_eq!(Masker::new(r).unwrap_err().kind(), ErrorKind::InvalidArgument);
    let r: Rule = serde_json::from_str(r#"{"rule":"regex","pattern":"("}"#).unwrap();
    assert_eq!(Masker::new(r).unwrap_err().kind(), ErrorKind::InvalidArgument);
}

#[test]
fn helpers_for_bindings() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Masker>();
    send_sync::<Rule>();
    let r = Rule::from_json(r#"{"rule":"plate","keep_last":1}"#).unwrap();
    assert_eq!(Rule::from_json(&r.to_json()).unwrap(), r);
    let e = Rule::from_json(r#"{"rule":"plate","keep_lst":1}"#).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    for &t in PiiType::ALL {
        assert_eq!(PiiType::from_name(t.name()), Some(t));
        assert_eq!(serde_json::to_string(&t).unwrap(), format!("\"{}\"", t.name()));
        // Every suggested rule compiles without keys.
        Masker::new(t.suggested_rule()).unwrap();
    }
    assert_eq!(PiiType::from_name("nope"), None);
    let ip = Masker::new(PiiType::IpAddress.suggested_rule()).unwrap();
    assert_eq!(ip.apply("192.168.1.20").unwrap(), "192.168.1.**");
}
