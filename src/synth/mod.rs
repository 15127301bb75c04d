//! Seeded generator of realistic synthetic citizen records, for examples, tests and benchmarks.
//!
//! Every record is a function of `(seed, row index)` alone: the same seed gives the same records
//! on every platform and in every version of this crate (the generator uses its own fixed PRNG,
//! [`rng`], and no platform math library), and any row can be produced without the rows before it.
//! Records stream: nothing is held in memory except the record being built.
//!
//! The records look real where it matters for masking, encryption and anonymization: names with
//! compound surnames and ethnic-minority forms (`买买提·艾力`), resident IDs whose region code,
//! birth date, sex parity and check character are consistent with the rest of the record,
//! allocated mobile prefixes, bank cards with real issuer BINs and a valid Luhn digit, and real
//! province / city / district names. The tables and their sources are in
//! `docs/synthetic-data.md`. No record describes a real person except by chance.
//!
//! ```
//! use privshare::ids::{luhn, mobile, resident_id};
//! use privshare::synth::Generator;
//!
//! for c in Generator::new(42).take(100) {
//!     assert!(resident_id::is_valid(&c.id_number));
//!     assert!(mobile::is_valid(&c.mobile));
//!     assert!(luhn::is_valid(&c.bank_card));
//!     assert!(c.address.contains(c.district.name));
//! }
//! // Deterministic: row 7 is the same however it is reached.
//! assert_eq!(Generator::new(42).nth(7).unwrap(), Generator::new(42).record(7));
//! ```

mod csv;
pub mod data;
pub mod rng;

pub use csv::{write_csv, write_csv_parallel, write_field, CsvWriter};

use crate::ids::{calendar, luhn, mobile, resident_id};
use data::banks::{CardBin, CARD_BINS};
use data::life::{Applies, Diagnosis, DIAGNOSES, EDUCATION, EDUCATION_WEIGHTS, MARITAL, OCCUPATIONS};
use data::names;
use data::regions::{self, District, Province, DISTRICTS};
use rng::Rng;
use std::sync::OnceLock;

/// The date ages are computed at: a person of age `a` was born in the year `2025 - a`.
pub const REFERENCE_DATE: (u16, u8, u8) = (2025, 12, 31);

/// Youngest age generated: resident ID cards are compulsory from 16, and the records carry a
/// phone and a bank card of the person's own.
pub const MIN_AGE: u8 = 16;
/// Oldest age generated.
pub const MAX_AGE: u8 = 100;

/// Earliest birth date generated (someone aged [`MAX_AGE`] at [`REFERENCE_DATE`]).
pub const EARLIEST_BIRTH_DATE: (u16, u8, u8) = (REFERENCE_DATE.0 - MAX_AGE as u16, 1, 1);
/// Latest birth date generated (someone aged [`MIN_AGE`] at [`REFERENCE_DATE`]).
pub const LATEST_BIRTH_DATE: (u16, u8, u8) = (REFERENCE_DATE.0 - MIN_AGE as u16, 12, 31);

/// The columns of a record, in CSV order.
pub const COLUMNS: [&str; 20] = [
    "record_id",
    "name",
    "sex",
    "birth_date",
    "age",
    "id_number",
    "mobile",
    "bank_card",
    "bank",
    "province",
    "city",
    "district",
    "region_code",
    "address",
    "occupation",
    "education",
    "marital_status",
    "diagnosis_code",
    "diagnosis",
    "income",
];

/// The index of column `name` in [`COLUMNS`].
pub fn column_index(name: &str) -> Option<usize> {
    COLUMNS.iter().position(|c| *c == name)
}

/// Sex as recorded on the resident ID (odd sequence number for men, even for women).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Sex {
    /// 男.
    #[default]
    Male,
    /// 女.
    Female,
}

impl Sex {
    /// `男` or `女`.
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "男",
            Sex::Female => "女",
        }
    }
}

/// One synthetic person. Text fields are `String`s so that [`Generator::fill`] can reuse their
/// buffers; table-drawn fields borrow the static tables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Citizen {
    /// 0-based row index within the data set.
    pub index: u64,
    /// `P` followed by the 1-based row number on 9 digits, e.g. `P000000001`.
    pub record_id: String,
    /// Full name: surname + given name, a minority name with the middle dot, or a Tibetan name.
    pub name: String,
    /// Sex.
    pub sex: Sex,
    /// Birth date `(year, month, day)`, consistent with `age` at [`REFERENCE_DATE`].
    pub birth_date: (u16, u8, u8),
    /// Age in whole years at [`REFERENCE_DATE`].
    pub age: u8,
    /// 18-character resident ID (GB 11643-1999).
    pub id_number: String,
    /// 11-digit mobile number.
    pub mobile: String,
    /// 16- or 19-digit bank card number.
    pub bank_card: String,
    /// Issuer of the card, e.g. `中国工商银行`.
    pub bank: &'static str,
    /// Province of residence (and of the ID's region code).
    pub province: &'static Province,
    /// District of residence; its code is the first six digits of `id_number`.
    pub district: &'static District,
    /// Full address: province, city, district, street and number (and sometimes building, unit
    /// and room).
    pub address: String,
    /// Occupation.
    pub occupation: &'static str,
    /// Highest completed education.
    pub education: &'static str,
    /// Marital status.
    pub marital_status: &'static str,
    /// Latest diagnosis (ICD-10).
    pub diagnosis: &'static Diagnosis,
    /// Annual income, yuan.
    pub income: u32,
}

impl Default for Citizen {
    fn default() -> Citizen {
        Citizen {
            index: 0,
            record_id: String::new(),
            name: String::new(),
            sex: Sex::Male,
            birth_date: (REFERENCE_DATE.0, 1, 1),
            age: 0,
            id_number: String::new(),
            mobile: String::new(),
            bank_card: String::new(),
            bank: "",
            province: &regions::PROVINCES[0],
            district: &DISTRICTS[0],
            address: String::new(),
            occupation: "",
            education: "",
            marital_status: "",
            diagnosis: &DIAGNOSES[0],
            income: 0,
        }
    }
}

impl Citizen {
    /// Appends the text of column `col` (an index into [`COLUMNS`]) to `out`; nothing for an index
    /// past the end.
    pub fn write_field(&self, col: usize, out: &mut String) {
        let mut scratch = String::new();
        out.push_str(self.field_str(col, &mut scratch));
    }

    /// The text of column `col`: borrowed from the record where it is stored as text, otherwise
    /// (numbers, dates) formatted into `scratch`, which is cleared first. Empty past the end.
    pub fn field_str<'a>(&'a self, col: usize, scratch: &'a mut String) -> &'a str {
        scratch.clear();
        match col {
            0 => &self.record_id,
            1 => &self.name,
            2 => self.sex.as_str(),
            3 => {
                let (y, m, d) = self.birth_date;
                push_padded(scratch, y as u64, 4);
                scratch.push('-');
                push_padded(scratch, m as u64, 2);
                scratch.push('-');
                push_padded(scratch, d as u64, 2);
                scratch
            }
            4 => {
                push_padded(scratch, self.age as u64, 1);
                scratch
            }
            5 => &self.id_number,
            6 => &self.mobile,
            7 => &self.bank_card,
            8 => self.bank,
            9 => self.province.name,
            10 => self.district.city,
            11 => self.district.name,
            12 => {
                push_padded(scratch, self.district.code as u64, 6);
                scratch
            }
            13 => &self.address,
            14 => self.occupation,
            15 => self.education,
            16 => self.marital_status,
            17 => self.diagnosis.code,
            18 => self.diagnosis.name,
            19 => {
                push_padded(scratch, self.income as u64, 1);
                scratch
            }
            _ => "",
        }
    }

    /// The text of column `col`, as in the CSV.
    pub fn field(&self, col: usize) -> String {
        let mut s = String::new();
        self.write_field(col, &mut s);
        s
    }
}

/// Appends `n` in decimal, left-padded with zeros to at least `width` (at most 20) digits.
fn push_padded(out: &mut String, n: u64, width: usize) {
    let mut buf = [b'0'; 20];
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let start = i.min(buf.len().saturating_sub(width));
    // Only ASCII digits were written, so this never fails.
    out.push_str(std::str::from_utf8(&buf[start..]).unwrap_or_default());
}

/// An infinite, deterministic stream of [`Citizen`]s; take as many as needed. Cheap to create
/// and to clone.
#[derive(Clone, Debug)]
pub struct Generator {
    seed: u64,
    next: u64,
}

impl Generator {
    /// The stream for `seed`, starting at row 0.
    pub fn new(seed: u64) -> Generator {
        Generator { seed, next: 0 }
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Row `index` of this seed's data set.
    pub fn record(&self, index: u64) -> Citizen {
        let mut c = Citizen::default();
        self.fill(index, &mut c);
        c
    }

    /// Overwrites `out` with row `index`, reusing its string buffers (no allocation once they
    /// have grown): the fast path for streaming millions of rows.
    pub fn fill(&self, index: u64, out: &mut Citizen) {
        build(tables(), &mut Rng::for_row(self.seed, index), index, out);
    }
}

impl Iterator for Generator {
    type Item = Citizen;

    fn next(&mut self) -> Option<Citizen> {
        let c = self.record(self.next);
        self.next += 1;
        Some(c)
    }

    fn nth(&mut self, n: usize) -> Option<Citizen> {
        self.next = self.next.saturating_add(n as u64);
        self.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (usize::MAX, None)
    }
}

/// A data set held column by column: each column is a `Vec<String>` (which implements
/// [`Values`](crate::column::Values)), ready for the ciphers' column methods. For millions of rows,
/// stream with [`Generator`] instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Columns {
    columns: Vec<Vec<String>>,
}

impl Columns {
    /// Rows `0..rows` of `seed`'s data set.
    pub fn generate(seed: u64, rows: usize) -> Columns {
        let mut columns: Vec<Vec<String>> = COLUMNS.iter().map(|_| Vec::with_capacity(rows)).collect();
        let generator = Generator::new(seed);
        let mut c = Citizen::default();
        for i in 0..rows {
            generator.fill(i as u64, &mut c);
            for (col, values) in columns.iter_mut().enumerate() {
                values.push(c.field(col));
            }
        }
        Columns { columns }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.columns[0].len()
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The column called `name` (one of [`COLUMNS`]).
    pub fn get(&self, name: &str) -> Option<&[String]> {
        column_index(name).map(|i| &self.columns[i][..])
    }

    /// The column at `index` in [`COLUMNS`] order.
    pub fn column(&self, index: usize) -> Option<&[String]> {
        self.columns.get(index).map(|c| &c[..])
    }
}

/// Cumulative weights for sampling an index in proportion to its weight.
#[derive(Debug)]
struct Weighted {
    cumulative: Vec<u64>,
}

impl Weighted {
    fn new(weights: impl IntoIterator<Item = u64>) -> Weighted {
        let mut total = 0;
        let cumulative = weights
            .into_iter()
            .map(|w| {
                total += w;
                total
            })
            .collect();
        Weighted { cumulative }
    }

    fn pick(&self, rng: &mut Rng) -> usize {
        let total = *self.cumulative.last().unwrap_or(&1);
        let x = rng.below(total);
        self.cumulative.partition_point(|&c| c <= x)
    }
}

/// Five-year age bands (first age, last age) and weights: the 2020 census age structure aged
/// by five years to the reference date, with a rough mortality adjustment above 65.
const AGE_BANDS: &[(u8, u8, u64)] = &[
    (16, 19, 634),
    (20, 24, 727),
    (25, 29, 749),
    (30, 34, 919),
    (35, 39, 1241),
    (40, 44, 990),
    (45, 49, 930),
    (50, 54, 1142),
    (55, 59, 1212),
    (60, 64, 1014),
    (65, 69, 734),
    (70, 74, 690),
    (75, 79, 440),
    (80, 84, 250),
    (85, 89, 130),
    (90, 94, 55),
    (95, 100, 14),
];

/// Marital status weights (未婚, 已婚, 离婚, 丧偶) by the first age of an age group.
const MARITAL_BY_AGE: &[(u8, [u64; 4])] = &[
    (0, [970, 30, 0, 0]),
    (22, [550, 430, 20, 0]),
    (30, [120, 830, 45, 5]),
    (40, [40, 880, 60, 20]),
    (60, [20, 800, 40, 140]),
    (75, [10, 560, 20, 410]),
];

/// The sampling tables, built once from the static data.
struct Tables {
    surnames: Weighted,
    districts: Weighted,
    ages: Weighted,
    occupations: Weighted,
    education: [Weighted; 2],
    marital: Vec<(u8, Weighted)>,
    /// Indexed by `[age >= 50][sex]`.
    diagnoses: [[Weighted; 2]; 2],
    cards: Weighted,
    mobile: Weighted,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let districts_in = |p: u8| DISTRICTS.iter().filter(|d| (d.code / 10_000) as u8 == p).count() as u64;
        let diagnoses = |old: bool, sex: Sex| {
            Weighted::new(DIAGNOSES.iter().map(|d| {
                let fits = match d.applies {
                    Applies::All => true,
                    Applies::Female => sex == Sex::Female,
                    Applies::Male => sex == Sex::Male,
                };
                if !fits {
                    0
                } else if old {
                    d.old as u64
                } else {
                    d.young as u64
                }
            }))
        };
        Tables {
            surnames: Weighted::new(names::SURNAMES.iter().map(|s| s.1 as u64)),
            // A province's population is spread evenly over its districts in the table.
            districts: Weighted::new(DISTRICTS.iter().map(|d| {
                let p = regions::province_of(d);
                p.population as u64 * 1000 / districts_in(p.code)
            })),
            ages: Weighted::new(AGE_BANDS.iter().map(|b| b.2)),
            occupations: Weighted::new(OCCUPATIONS.iter().map(|o| o.1 as u64)),
            education: EDUCATION_WEIGHTS.map(|w| Weighted::new(w.iter().map(|&x| x as u64))),
            marital: MARITAL_BY_AGE.iter().map(|(a, w)| (*a, Weighted::new(w.iter().copied()))).collect(),
            diagnoses: [
                [diagnoses(false, Sex::Male), diagnoses(false, Sex::Female)],
                [diagnoses(true, Sex::Male), diagnoses(true, Sex::Female)],
            ],
            cards: Weighted::new(CARD_BINS.iter().map(|c| c.weight as u64)),
            // The long-established 13x/15x/18x ranges hold most subscribers.
            mobile: Weighted::new(mobile::PREFIXES.iter().map(|&p| if matches!(p / 10, 13 | 15 | 18) { 4 } else { 1 })),
        }
    })
}

/// Builds row `index` into `c`. The order of draws is part of the output's definition: changing
/// it changes every data set, so append new draws at the end.
fn build(t: &Tables, rng: &mut Rng, index: u64, c: &mut Citizen) {
    c.index = index;
    c.record_id.clear();
    c.record_id.push('P');
    push_padded(&mut c.record_id, index + 1, 9);

    // Where and who.
    c.district = &DISTRICTS[t.districts.pick(rng)];
    c.province = regions::province_of(c.district);
    let (first, last, _) = AGE_BANDS[t.ages.pick(rng)];
    c.age = rng.range(first as u64, last as u64) as u8;
    let male_per_mille = if c.age >= 80 { 420 } else { 512 };
    c.sex = if rng.chance(male_per_mille) { Sex::Male } else { Sex::Female };
    c.birth_date = birth_date(rng, c.age);

    build_name(t, rng, c);
    build_id(rng, c);

    // Contact and money.
    c.mobile.clear();
    push_padded(&mut c.mobile, mobile::PREFIXES[t.mobile.pick(rng)] as u64, 3);
    push_padded(&mut c.mobile, rng.below(100_000_000), 8);
    let card = &CARD_BINS[t.cards.pick(rng)];
    build_card(rng, card, &mut c.bank_card);
    c.bank = card.issuer;
    build_address(rng, c);

    // Life.
    let retired = c.age >= 60 || (c.sex == Sex::Female && c.age >= 55);
    c.occupation = if c.age <= 18 && rng.chance(900)
        || (19..=22).contains(&c.age) && rng.chance(600)
        || (23..=25).contains(&c.age) && rng.chance(120)
    {
        data::life::STUDENT
    } else if retired && rng.chance(850) {
        data::life::RETIRED
    } else {
        OCCUPATIONS[t.occupations.pick(rng)].0
    };
    let generation = usize::from(c.birth_date.0 >= 1970);
    let cap = match c.age {
        0..=18 => 3,
        19..=21 => 4,
        22..=24 => 5,
        25..=27 => 6,
        _ => 7,
    };
    c.education = EDUCATION[t.education[generation].pick(rng).min(cap)];
    let marital = t.marital.iter().rev().find(|(from, _)| c.age >= *from).map(|m| &m.1);
    c.marital_status = marital.map_or(MARITAL[0], |w| MARITAL[w.pick(rng)]);
    c.diagnosis = &DIAGNOSES[t.diagnoses[usize::from(c.age >= 50)][c.sex as usize].pick(rng)];
    c.income = income(rng, c);
}

/// A uniformly random day of the year `REFERENCE_DATE.0 - age`, so that the age at the
/// reference date (the last day of its year) is exactly `age`.
fn birth_date(rng: &mut Rng, age: u8) -> (u16, u8, u8) {
    let year = REFERENCE_DATE.0 - age as u16;
    let days = if calendar::is_leap_year(i64::from(year)) { 366 } else { 365 };
    let mut day = rng.below(days) as u32;
    let mut month = 1;
    while day >= calendar::days_in_month(i64::from(year), month) {
        day -= calendar::days_in_month(i64::from(year), month);
        month += 1;
    }
    (year, month as u8, day as u8 + 1)
}

fn build_name(t: &Tables, rng: &mut Rng, c: &mut Citizen) {
    let name = &mut c.name;
    name.clear();
    let female = c.sex == Sex::Female;
    let pick = |rng: &mut Rng, list: &[&'static str]| list[rng.below(list.len() as u64) as usize];
    if c.province.code == regions::TIBET && rng.chance(850) {
        // Tibetan names: two elements, no surname.
        let pool = if female { names::TIBETAN_FEMALE } else { names::TIBETAN_MALE };
        // Two different elements.
        let i = rng.below(pool.len() as u64) as usize;
        let j = (i + 1 + rng.below(pool.len() as u64 - 1) as usize) % pool.len();
        name.push_str(pool[i]);
        name.push_str(pool[j]);
        return;
    }
    let minority_per_mille = if c.province.code == regions::XINJIANG { 450 } else { 2 };
    if rng.chance(minority_per_mille) {
        // Uyghur and Kazakh names: own name, middle dot, father's name.
        name.push_str(pick(rng, if female { names::UYGHUR_FEMALE } else { names::UYGHUR_MALE }));
        name.push('·');
        name.push_str(pick(rng, names::UYGHUR_MALE));
        return;
    }
    name.push_str(names::SURNAMES[t.surnames.pick(rng)].0);
    let pool = if female { names::GIVEN_FEMALE } else { names::GIVEN_MALE };
    // Single-character given names were far more common in older generations.
    let single_per_mille = if c.age >= 50 { 450 } else { 200 };
    name.push_str(pick(rng, pool));
    if !rng.chance(single_per_mille) {
        name.push_str(pick(rng, pool));
    }
}

fn build_id(rng: &mut Rng, c: &mut Citizen) {
    let mut id = [0u8; 18];
    let mut put = |at: usize, n: u64, width: usize| {
        let mut n = n;
        for i in (at..at + width).rev() {
            id[i] = b'0' + (n % 10) as u8;
            n /= 10;
        }
    };
    let (y, m, d) = c.birth_date;
    put(0, c.district.code as u64, 6);
    put(6, y as u64, 4);
    put(10, m as u64, 2);
    put(12, d as u64, 2);
    // Sequence: odd for men (001-999), even for women (002-998).
    let seq = match c.sex {
        Sex::Male => 2 * rng.below(500) + 1,
        Sex::Female => 2 * rng.range(1, 499),
    };
    put(14, seq, 3);
    let first17: [u8; 17] = std::array::from_fn(|i| id[i]);
    id[17] = resident_id::check_char(&first17);
    c.id_number.clear();
    c.id_number.push_str(std::str::from_utf8(&id).unwrap_or_default());
}

fn build_card(rng: &mut Rng, card: &CardBin, out: &mut String) {
    let len = card.length as usize;
    let mut digits = [0u8; 19];
    let mut bin = card.bin;
    for i in (0..6).rev() {
        digits[i] = (bin % 10) as u8;
        bin /= 10;
    }
    for d in &mut digits[6..len - 1] {
        *d = rng.below(10) as u8;
    }
    digits[len - 1] = luhn::check_digit(&digits[..len - 1]);
    let ascii = digits.map(|d| b'0' + d);
    out.clear();
    out.push_str(std::str::from_utf8(&ascii[..len]).unwrap_or_default());
}

fn build_address(rng: &mut Rng, c: &mut Citizen) {
    let a = &mut c.address;
    a.clear();
    a.push_str(c.province.name);
    // Municipalities (北京市, 上海市, ...) are their own city: not repeated.
    if c.district.city != c.province.name {
        a.push_str(c.district.city);
    }
    a.push_str(c.district.name);
    a.push_str(regions::STREETS[rng.below(regions::STREETS.len() as u64) as usize]);
    push_padded(a, rng.range(1, 999), 1);
    a.push('号');
    if rng.chance(600) {
        a.push_str(regions::COMPOUNDS[rng.below(regions::COMPOUNDS.len() as u64) as usize]);
        push_padded(a, rng.range(1, 30), 1);
        a.push('栋');
        push_padded(a, rng.range(1, 4), 1);
        a.push_str("单元");
        push_padded(a, rng.range(1, 28) * 100 + rng.range(1, 4), 1);
        a.push('室');
    }
}

/// Annual income in yuan: log-normal around a median that depends on occupation and education.
fn income(rng: &mut Rng, c: &Citizen) -> u32 {
    let (median, sigma) = match c.occupation {
        data::life::STUDENT => {
            if !rng.chance(200) {
                return 0;
            }
            (8_000.0, 0.6)
        }
        "无业" => {
            if !rng.chance(400) {
                return 0;
            }
            (12_000.0, 0.7)
        }
        data::life::RETIRED => (38_000.0, 0.5),
        "农民" => (22_000.0, 0.6),
        _ => {
            let boost = [0.6, 0.75, 0.9, 0.9, 1.1, 1.4, 1.9, 2.3];
            let level = EDUCATION.iter().position(|e| *e == c.education).unwrap_or(2);
            (58_000.0 * boost[level], 0.6)
        }
    };
    let x = median * rng::exp(sigma * rng.normal());
    x.clamp(0.0, 20_000_000.0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighted_pick_follows_weights() {
        let w = Weighted::new([1, 0, 3]);
        let mut rng = Rng::from_seed(1);
        let mut counts = [0; 3];
        for _ in 0..4000 {
            counts[w.pick(&mut rng)] += 1;
        }
        assert_eq!(counts[1], 0);
        assert!((800..1200).contains(&counts[0]), "{counts:?}");
    }

    #[test]
    fn birth_date_gives_the_age() {
        let mut rng = Rng::from_seed(3);
        for age in MIN_AGE..=MAX_AGE {
            for _ in 0..50 {
                let (y, m, d) = birth_date(&mut rng, age);
                assert!(calendar::is_real_date(i64::from(y), u32::from(m), u32::from(d)));
                assert_eq!(REFERENCE_DATE.0 - y, age as u16);
            }
        }
    }

    #[test]
    fn padded_numbers() {
        let mut s = String::new();
        push_padded(&mut s, 7, 3);
        push_padded(&mut s, 0, 1);
        push_padded(&mut s, 123456, 2);
        assert_eq!(s, "0070123456");
    }

    #[test]
    fn columns_match_records() {
        let cols = Columns::generate(9, 5);
        assert_eq!(cols.len(), 5);
        let c = Generator::new(9).record(3);
        assert_eq!(cols.get("id_number").unwrap()[3], c.id_number);
        assert_eq!(cols.get("income").unwrap()[3], c.income.to_string());
        assert_eq!(cols.get("birth_date").unwrap()[3].len(), 10);
        assert!(cols.get("nope").is_none());
    }
}
