//! [`PiiType`]: the kinds of personal data that validators recognise and [`scan`](super::scan) reports.

use super::address::{self, AddressMask};
use super::name::{self, NameMask};
use super::rule::Rule;
use super::{DateTruncate, DateUnit, RegexMask};
use crate::ids::{self, date, email, ip, landline, mobile, passport, plate, resident_id, uscc};
use serde::{Deserialize, Serialize};

/// A kind of personal data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PiiType {
    /// Resident identity number (18-character or legacy 15-digit).
    ResidentId,
    /// Unified Social Credit Code.
    Uscc,
    /// Bank card number.
    BankCard,
    /// Mobile number.
    Mobile,
    /// Landline number.
    Landline,
    /// Email address.
    Email,
    /// IPv4 or IPv6 address.
    IpAddress,
    /// Licence plate.
    Plate,
    /// Passport or travel-permit number.
    Passport,
    /// Personal name.
    Name,
    /// Postal address with a detail part.
    Address,
    /// Calendar date (e.g. a birth date): a quasi-identifier rather than a direct one.
    Date,
}

/// How strong a successful validation is as evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// Shape only, plus word lists (names, addresses).
    Pattern,
    /// Structure with semantic checks (allocated prefixes, real dates, province lists).
    Structure,
    /// A check digit or check character.
    CheckDigit,
}

impl PiiType {
    /// Every type, in the order detection prefers them when several fit equally well.
    pub const ALL: &'static [PiiType] = &[
        PiiType::ResidentId,
        PiiType::Uscc,
        PiiType::BankCard,
        PiiType::Mobile,
        PiiType::Landline,
        PiiType::Email,
        PiiType::IpAddress,
        PiiType::Plate,
        PiiType::Passport,
        PiiType::Date,
        PiiType::Address,
        PiiType::Name,
    ];

    /// Stable snake_case name (`"resident_id"`).
    pub fn name(self) -> &'static str {
        match self {
            PiiType::ResidentId => "resident_id",
            PiiType::Uscc => "uscc",
            PiiType::BankCard => "bank_card",
            PiiType::Mobile => "mobile",
            PiiType::Landline => "landline",
            PiiType::Email => "email",
            PiiType::IpAddress => "ip_address",
            PiiType::Plate => "plate",
            PiiType::Passport => "passport",
            PiiType::Name => "name",
            PiiType::Address => "address",
            PiiType::Date => "date",
        }
    }

    /// The type with this [`name`](Self::name), if any.
    pub fn from_name(name: &str) -> Option<PiiType> {
        Self::ALL.iter().copied().find(|t| t.name() == name)
    }

    /// The evidence a successful [`validate`](Self::validate) gives.
    pub fn evidence(self) -> Evidence {
        match self {
            PiiType::ResidentId | PiiType::Uscc | PiiType::BankCard => Evidence::CheckDigit,
            PiiType::Name | PiiType::Address => Evidence::Pattern,
            _ => Evidence::Structure,
        }
    }

    /// True for direct identifiers; false for quasi-identifiers (dates).
    pub fn is_direct(self) -> bool {
        self != PiiType::Date
    }

    /// Full validation with the type's check algorithm. For names this is the stricter test used
    /// by detection (2-4 Han characters with a known surname, or a name with a middle dot).
    pub fn validate(self, v: &str) -> bool {
        match self {
            PiiType::ResidentId => resident_id::is_valid_any(v),
            PiiType::Uscc => uscc::is_valid(v),
            PiiType::BankCard => ids::is_bank_card(v),
            PiiType::Mobile => mobile::is_valid_any(v),
            PiiType::Landline => landline::is_valid(v),
            PiiType::Email => email::is_valid(v),
            PiiType::IpAddress => ip::is_valid(v),
            PiiType::Plate => plate::is_valid(v),
            PiiType::Passport => passport::is_valid(v),
            PiiType::Name => name::is_common_chinese_name(v) || (name::is_name(v) && v.contains('·')),
            PiiType::Address => address::is_address(v),
            PiiType::Date => date::is_valid(v),
        }
    }

    /// [`validate`](Self::validate) over a whole column (values that are not UTF-8 are invalid),
    /// so that bindings cross their boundary once per column.
    pub fn validate_column<V: crate::column::Values + ?Sized>(self, values: &V) -> Vec<bool> {
        (0..values.count()).map(|i| std::str::from_utf8(values.value(i)).is_ok_and(|s| self.validate(s))).collect()
    }

    /// The shape alone, without checks (weak evidence: random digits of the right length match).
    pub fn shape(self, v: &str) -> bool {
        let b = v.as_bytes();
        let digits = b.iter().filter(|c| c.is_ascii_digit()).count();
        let only = |f: fn(&u8) -> bool| b.iter().all(f);
        match self {
            PiiType::ResidentId => {
                (b.len() == 18
                    && b[..17].iter().all(u8::is_ascii_digit)
                    && (b[17].is_ascii_digit() || b[17] | 0x20 == b'x'))
                    || (b.len() == 15 && digits == 15)
            }
            PiiType::Uscc => b.len() == 18 && only(|c| c.is_ascii_digit() || c.is_ascii_uppercase()),
            PiiType::BankCard => {
                (12..=19).contains(&digits) && only(|c| c.is_ascii_digit() || *c == b' ' || *c == b'-')
            }
            PiiType::Mobile => {
                digits >= 11
                    && only(|c| c.is_ascii_digit() || b" -+".contains(c))
                    && v.trim_start_matches(['+', '0']).starts_with(['1', '8'])
            }
            PiiType::Landline => {
                (9..=18).contains(&digits)
                    && v.starts_with(['0', '(', '+'])
                    && only(|c| c.is_ascii_digit() || b" -+()".contains(c))
            }
            PiiType::Email => v.contains('@'),
            PiiType::IpAddress => {
                (v.contains('.') || v.contains(':')) && only(|c| c.is_ascii_hexdigit() || *c == b'.' || *c == b':')
            }
            PiiType::Plate => {
                v.chars().next().is_some_and(|c| plate::PROVINCES.contains(c)) && (7..=8).contains(&v.chars().count())
            }
            PiiType::Passport => (8..=11).contains(&b.len()) && b[0].is_ascii_uppercase() && digits + 2 >= b.len(),
            PiiType::Name => name::is_name(v),
            PiiType::Address => !address::admin_prefix(v).is_empty(),
            PiiType::Date => (6..=30).contains(&b.len()) && b.first().is_some_and(u8::is_ascii_digit),
        }
    }

    /// The rule detection suggests for a column of this type (the display convention).
    pub fn suggested_rule(self) -> Rule {
        match self {
            PiiType::ResidentId => Rule::ResidentId(Default::default()),
            PiiType::Uscc => Rule::Uscc(Default::default()),
            PiiType::BankCard => Rule::BankCard(Default::default()),
            PiiType::Mobile => Rule::Mobile(Default::default()),
            PiiType::Landline => Rule::Landline(Default::default()),
            PiiType::Email => Rule::Email(Default::default()),
            PiiType::IpAddress => Rule::Regex(RegexMask { pattern: "[0-9A-Fa-f]+$".into(), group: 0, mask_char: '*' }),
            PiiType::Plate => Rule::Plate(Default::default()),
            PiiType::Passport => Rule::Passport(Default::default()),
            PiiType::Name => Rule::Name(NameMask::default()),
            PiiType::Address => Rule::Address(AddressMask::default()),
            PiiType::Date => Rule::DateTruncate(DateTruncate { to: DateUnit::Year, fill: false }),
        }
    }
}

impl std::fmt::Display for PiiType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
