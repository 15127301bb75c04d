//! [`Rule`]: every masking rule as one serde value, so that a JSON or TOML policy can name it.
//!
//! The JSON form is the rule name under `"rule"` plus its parameters, each optional with the
//! documented default: `{"rule":"mobile"}`, `{"rule":"keep_ends","first":1,"last":2}`.

use super::address::AddressMask;
use super::dates::DateTruncate;
use super::generic::{Constant, KeepEnds, Redact, RegexMask, Truncate};
use super::keyed::{DateShift, KeyedHash};
use super::name::NameMask;
use super::numeric::{Bucket, Round, TopBottom};
use super::pii::{
    BankCardMask, EmailMask, LandlineMask, MobileMask, PassportMask, PlateMask, ResidentIdMask, UsccMask,
};
use serde::{Deserialize, Serialize};

/// A masking rule with its parameters. Build a [`Masker`](super::Masker) from it to use it.
///
/// ```
/// use privshare::mask::Rule;
/// let rule: Rule = serde_json::from_str(r#"{"rule":"mobile","keep_last":2}"#).unwrap();
/// assert_eq!(rule.name(), "mobile");
/// assert_eq!(serde_json::to_string(&Rule::ResidentId(Default::default())).unwrap(),
///            r#"{"rule":"resident_id","keep_first":6,"keep_last":4,"mask_char":"*"}"#);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Rule {
    /// Mask everything.
    Redact(Redact),
    /// Keep the first n / last m characters.
    KeepEnds(KeepEnds),
    /// Replace with a constant.
    Constant(Constant),
    /// Keep a prefix.
    Truncate(Truncate),
    /// Keyed hash (needs a keyset).
    Hash(KeyedHash),
    /// Round numbers to a base.
    Round(Round),
    /// Bucket numbers into ranges.
    Bucket(Bucket),
    /// Top / bottom coding of numbers.
    TopBottom(TopBottom),
    /// Truncate dates to month or year.
    DateTruncate(DateTruncate),
    /// Shift dates by a per-subject offset (needs a keyset and subject ids).
    DateShift(DateShift),
    /// Mask what a regular expression matches.
    Regex(RegexMask),
    /// Resident identity number.
    ResidentId(ResidentIdMask),
    /// Mobile number.
    Mobile(MobileMask),
    /// Landline number.
    Landline(LandlineMask),
    /// Personal name.
    Name(NameMask),
    /// Bank card number.
    BankCard(BankCardMask),
    /// Unified Social Credit Code.
    Uscc(UsccMask),
    /// Email address.
    Email(EmailMask),
    /// Postal address.
    Address(AddressMask),
    /// Licence plate.
    Plate(PlateMask),
    /// Passport number.
    Passport(PassportMask),
}

impl Rule {
    /// Parses the JSON form (`{"rule":"mobile","keep_last":2}`); a malformed rule, or one longer
    /// than [`MAX_RULE_JSON_BYTES`](super::limits::MAX_RULE_JSON_BYTES), is an `InvalidArgument`
    /// error. Parameters are checked when a [`Masker`](super::Masker) is built (sizes against
    /// [`limits`](super::limits)).
    pub fn from_json(json: &str) -> crate::Result<Rule> {
        if json.len() > super::limits::MAX_RULE_JSON_BYTES {
            return Err(crate::Error::new(
                crate::ErrorKind::InvalidArgument,
                format!("masking rule is longer than the limit of {} bytes", super::limits::MAX_RULE_JSON_BYTES),
            ));
        }
        serde_json::from_str(json)
            .map_err(|e| crate::Error::json(crate::ErrorKind::InvalidArgument, "masking rule", &e))
    }

    /// The JSON form.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The rule's name as written in JSON (`"resident_id"`).
    pub fn name(&self) -> &'static str {
        match self {
            Rule::Redact(_) => "redact",
            Rule::KeepEnds(_) => "keep_ends",
            Rule::Constant(_) => "constant",
            Rule::Truncate(_) => "truncate",
            Rule::Hash(_) => "hash",
            Rule::Round(_) => "round",
            Rule::Bucket(_) => "bucket",
            Rule::TopBottom(_) => "top_bottom",
            Rule::DateTruncate(_) => "date_truncate",
            Rule::DateShift(_) => "date_shift",
            Rule::Regex(_) => "regex",
            Rule::ResidentId(_) => "resident_id",
            Rule::Mobile(_) => "mobile",
            Rule::Landline(_) => "landline",
            Rule::Name(_) => "name",
            Rule::BankCard(_) => "bank_card",
            Rule::Uscc(_) => "uscc",
            Rule::Email(_) => "email",
            Rule::Address(_) => "address",
            Rule::Plate(_) => "plate",
            Rule::Passport(_) => "passport",
        }
    }

    /// True for rules that need keys from a keyset ([`Masker::with_keyset`](super::Masker::with_keyset)).
    pub fn is_keyed(&self) -> bool {
        matches!(self, Rule::Hash(_) | Rule::DateShift(_))
    }

    /// The character used to mask a value completely (the rule's `mask_char`, else `*`).
    pub fn mask_char(&self) -> char {
        match self {
            Rule::Redact(r) => r.mask_char,
            Rule::KeepEnds(r) => r.mask_char,
            Rule::Regex(r) => r.mask_char,
            Rule::ResidentId(r) => r.mask_char,
            Rule::Mobile(r) => r.mask_char,
            Rule::Landline(r) => r.mask_char,
            Rule::Name(r) => r.mask_char,
            Rule::BankCard(r) => r.mask_char,
            Rule::Uscc(r) => r.mask_char,
            Rule::Email(r) => r.mask_char,
            Rule::Address(r) => r.mask_char,
            Rule::Plate(r) => r.mask_char,
            Rule::Passport(r) => r.mask_char,
            _ => '*',
        }
    }

    /// What a value must be for this rule to parse it (for error messages).
    pub(crate) fn expects(&self) -> &'static str {
        match self {
            Rule::Round(_) | Rule::Bucket(_) | Rule::TopBottom(_) => "a decimal number",
            Rule::DateTruncate(_) | Rule::DateShift(_) => "a date",
            Rule::Regex(_) => "text matching the pattern",
            Rule::ResidentId(_) => "a valid resident identity number",
            Rule::Mobile(_) => "a valid mobile number",
            Rule::Landline(_) => "a valid landline number",
            Rule::Name(_) => "a personal name",
            Rule::BankCard(_) => "a valid bank card number",
            Rule::Uscc(_) => "a valid unified social credit code",
            Rule::Email(_) => "a valid email address",
            Rule::Address(_) => "an address with a province and a detail part",
            Rule::Plate(_) => "a valid licence plate",
            Rule::Passport(_) => "a valid passport number",
            _ => "text",
        }
    }
}
