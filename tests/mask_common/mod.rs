//! A small deterministic generator of synthetic citizen-like values, shared by the masking tests
//! and benchmark (`#[path]`-included). Not the project's synthetic data generator (`src/synth/`).
#![allow(dead_code)]

use privshare::ids::{calendar, luhn, resident_id, uscc};

/// SplitMix64.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len() as u64) as usize]
    }
    pub fn digits(&mut self, n: usize) -> String {
        (0..n).map(|_| char::from(b'0' + self.below(10) as u8)).collect()
    }
}

const REGIONS: &[&str] = &["110105", "310104", "440305", "510107", "330106", "420106", "610113", "650102"];

pub fn resident_id(r: &mut Rng) -> String {
    let (y, m) = (1940 + r.below(70) as u32, 1 + r.below(12) as u32);
    let d = 1 + r.below(calendar::days_in_month(i64::from(y), m) as u64) as u32;
    let first17 = format!("{}{y:04}{m:02}{d:02}{}", r.pick(REGIONS), r.digits(3));
    let b: [u8; 17] = first17.as_bytes().try_into().unwrap();
    format!("{first17}{}", resident_id::check_char(&b) as char)
}

pub fn mobile(r: &mut Rng) -> String {
    let p = privshare::ids::mobile::PREFIXES;
    format!("{}{}", p[r.below(p.len() as u64) as usize], r.digits(8))
}

pub fn bank_card(r: &mut Rng) -> String {
    let len = 9 + r.below(3) as usize;
    let body = format!("{}{}", r.pick(&["622202", "622848", "621700", "436742"]), r.digits(len));
    let digits: Vec<u8> = body.bytes().map(|c| c - b'0').collect();
    format!("{body}{}", luhn::check_digit(&digits))
}

pub fn uscc(r: &mut Rng) -> String {
    const ALNUM: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let body: String = (0..8).map(|_| ALNUM[r.below(31) as usize] as char).collect();
    let org = uscc::org_code_check_char(body.as_bytes()).unwrap() as char;
    let first17 = format!("91{}{body}{org}", r.pick(REGIONS));
    format!("{first17}{}", uscc::check_char(first17.as_bytes()).unwrap() as char)
}

const SURNAMES: &[&str] =
    &["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "欧阳", "司马", "诸葛"];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀", "霞",
    "平",
];

pub fn name(r: &mut Rng) -> String {
    let mut s = r.pick(SURNAMES).to_string();
    for _ in 0..1 + r.below(2) {
        s.push_str(r.pick(GIVEN));
    }
    s
}

pub fn address(r: &mut Rng) -> String {
    let prefix =
        r.pick(&["北京市海淀区", "上海市徐汇区", "广东省深圳市南山区", "四川省成都市武侯区", "浙江省杭州市西湖区"]);
    format!(
        "{prefix}{}路{}号{}室",
        r.pick(&["人民", "解放", "中山", "建设", "和平"]),
        1 + r.below(300),
        100 + r.below(2000)
    )
}

pub fn email(r: &mut Rng) -> String {
    format!("user{}@{}", r.below(1_000_000), r.pick(&["example.com", "mail.gov.cn", "qq.com"]))
}

pub fn birth_date(r: &mut Rng) -> String {
    format!("{}-{:02}-{:02}", 1940 + r.below(70), 1 + r.below(12), 1 + r.below(28))
}

/// A synthetic citizen table: (header, rows). PII columns first, then non-PII ones.
pub const HEADER: [&str; 12] = [
    "name",
    "resident_id",
    "mobile",
    "email",
    "address",
    "bank_card",
    "gender",
    "ethnicity",
    "education",
    "occupation",
    "income",
    "record_no",
];

pub fn row(r: &mut Rng) -> [String; 12] {
    [
        name(r),
        resident_id(r),
        mobile(r),
        email(r),
        address(r),
        bank_card(r),
        r.pick(&["男", "女"]).to_string(),
        r.pick(&["汉族", "回族", "满族", "壮族", "维吾尔族"]).to_string(),
        r.pick(&["小学", "初中", "高中", "大专", "本科", "硕士", "博士"]).to_string(),
        r.pick(&["教师", "医生", "农民", "工人", "司机", "程序员", "公务员", "会计", "高级工程师"]).to_string(),
        format!("{}.{:02}", 2000 + r.below(50_000), r.below(100)),
        // Random 18-digit numbers: the shape of a resident ID, without its checks.
        format!("{}{}", 1 + r.below(9), r.digits(17)),
    ]
}

pub fn csv(rows: usize, seed: u64) -> String {
    let mut r = Rng(seed);
    let mut out = HEADER.join(",");
    out.push('\n');
    for _ in 0..rows {
        out.push_str(&row(&mut r).join(","));
        out.push('\n');
    }
    out
}
