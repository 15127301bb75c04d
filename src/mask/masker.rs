//! [`Masker`]: a [`Rule`] made ready for work (regex compiled, keys derived once), applied to
//! one value or a whole column.

use super::graphemes;
use super::keyed::MacKey;
use super::rule::Rule;
use crate::column::{Column, Values};
use crate::keys::KeyUse;
use crate::{Error, ErrorKind, Keyset, Result};

/// Prepared state of rules that need more than their parameters.
#[derive(Clone)]
enum Prepared {
    None,
    Regex(regex::Regex),
    Key(MacKey),
}

/// A compiled masking rule: immutable, `Send + Sync`, cheap to share across threads.
///
/// A value the rule cannot parse (a resident ID with a wrong check character, a number that is not
/// a number) is never passed through: by default it is masked completely (one mask character per
/// character) and counted; in [strict](Masker::strict) mode it is an error naming the row and column
/// (never the value). Empty values stay empty and are not counted.
///
/// ```
/// use privshare::mask::{Masker, Rule};
/// let m = Masker::new(Rule::ResidentId(Default::default()))?;
/// assert_eq!(m.apply("11010519491231002X")?, "110105********002X");
/// assert_eq!(m.apply("110105194912310021")?, "******************"); // bad check character
///
/// let col = m.apply_column(&["11010519491231002X", "oops"][..], None)?;
/// assert_eq!((col.column.get_str(1), col.invalid), (Some("****"), 1));
///
/// let strict = Masker::new(Rule::Mobile(Default::default()))?.strict(true).with_column("phone");
/// let err = strict.apply_column(&["13800138000", "1380013800"][..], None).unwrap_err();
/// assert_eq!((err.position().row, err.position().column.as_deref()), (Some(1), Some("phone")));
/// # Ok::<(), privshare::Error>(())
/// ```
#[derive(Clone)]
pub struct Masker {
    rule: Rule,
    prepared: Prepared,
    strict: bool,
    column: Option<String>,
}

impl std::fmt::Debug for Masker {
    // Never shows key material.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Masker")
            .field("rule", &self.rule)
            .field("strict", &self.strict)
            .field("column", &self.column)
            .finish_non_exhaustive()
    }
}

/// A masked column and how many of its values did not parse (and were masked completely).
#[derive(Debug)]
pub struct MaskedColumn {
    /// The masked values, in order.
    pub column: Column,
    /// Number of values that did not parse.
    pub invalid: u64,
}

impl Masker {
    /// Compiles a rule that needs no keys. Keyed rules ([`Rule::is_keyed`]) need
    /// [`Masker::with_keyset`].
    pub fn new(rule: Rule) -> Result<Masker> {
        if rule.is_keyed() {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("the {} rule needs a keyset (Masker::with_keyset)", rule.name()),
            ));
        }
        Self::build(rule, Prepared::None)
    }

    /// Compiles a rule for column `field` of `dataset`. Keyed rules derive their key here, once,
    /// from the keyset's primary version (`KeyUse::MaskHash` or `KeyUse::DateShift`, in the
    /// context of the column): the same keyset, dataset and field give the same output. The
    /// column name is also used in error positions.
    pub fn with_keyset(rule: Rule, keyset: &Keyset, dataset: &str, field: &str) -> Result<Masker> {
        let prepared = match &rule {
            Rule::Hash(_) => Prepared::Key(MacKey::derive(keyset, KeyUse::MaskHash, dataset, field)?),
            Rule::DateShift(_) => Prepared::Key(MacKey::derive(keyset, KeyUse::DateShift, dataset, field)?),
            _ => Prepared::None,
        };
        Ok(Self::build(rule, prepared)?.with_column(field))
    }

    fn build(rule: Rule, mut prepared: Prepared) -> Result<Masker> {
        let c = rule.mask_char();
        if c.is_alphanumeric() || c.is_whitespace() || c.is_control() {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                "mask_char must not be a letter, digit, space or control character",
            ));
        }
        match &rule {
            Rule::Hash(r) => r.check()?,
            Rule::Round(r) => r.check()?,
            Rule::Bucket(r) => r.check()?,
            Rule::TopBottom(r) => r.check()?,
            Rule::DateShift(r) => r.check()?,
            Rule::Regex(r) => prepared = Prepared::Regex(r.compile()?),
            Rule::Address(r) if !(1..=3).contains(&r.levels) => {
                return Err(Error::new(ErrorKind::InvalidArgument, "address rule: levels must be 1 to 3"));
            }
            _ => {}
        }
        Ok(Masker { rule, prepared, strict: false, column: None })
    }

    /// In strict mode a value that does not parse is an error instead of being masked completely.
    pub fn strict(mut self, strict: bool) -> Masker {
        self.strict = strict;
        self
    }

    /// Names the column in error positions.
    pub fn with_column(mut self, column: impl Into<String>) -> Masker {
        self.column = Some(column.into());
        self
    }

    /// The rule.
    pub fn rule(&self) -> &Rule {
        &self.rule
    }

    /// Masks one value into `out` (appending) and returns whether it parsed. `subject` is the
    /// subject id that [`Rule::DateShift`] needs (ignored by other rules). In strict mode a value
    /// that does not parse is an error and nothing is appended.
    pub fn apply_into(&self, value: &str, subject: Option<&[u8]>, out: &mut String) -> Result<bool> {
        if value.is_empty() {
            return Ok(true);
        }
        let start = out.len();
        if self.mask_valid(value, subject, out)? {
            return Ok(true);
        }
        out.truncate(start);
        if self.strict {
            let e = Error::new(ErrorKind::InvalidInput, format!("value is not {}", self.rule.expects()));
            return Err(match &self.column {
                Some(c) => e.at_column(c.clone()),
                None => e,
            });
        }
        graphemes::mask_all(value, self.rule.mask_char(), out);
        Ok(false)
    }

    fn mask_valid(&self, v: &str, subject: Option<&[u8]>, out: &mut String) -> Result<bool> {
        Ok(match (&self.rule, &self.prepared) {
            (Rule::Redact(r), _) => r.mask(v, out),
            (Rule::KeepEnds(r), _) => r.mask(v, out),
            (Rule::Constant(r), _) => {
                out.push_str(&r.value);
                true
            }
            (Rule::Truncate(r), _) => r.mask(v, out),
            (Rule::Hash(r), Prepared::Key(k)) => r.mask(k, v, out),
            (Rule::Round(r), _) => r.mask(v, out),
            (Rule::Bucket(r), _) => r.mask(v, out),
            (Rule::TopBottom(r), _) => r.mask(v, out),
            (Rule::DateTruncate(r), _) => r.mask(v, out),
            (Rule::DateShift(r), Prepared::Key(k)) => {
                let subject = subject.ok_or_else(|| {
                    Error::new(ErrorKind::InvalidArgument, "the date_shift rule needs a subject id for every value")
                })?;
                r.mask(k, subject, v, out)
            }
            (Rule::Regex(r), Prepared::Regex(re)) => r.mask(re, v, out),
            (Rule::ResidentId(r), _) => r.mask(v, out),
            (Rule::Mobile(r), _) => r.mask(v, out),
            (Rule::Landline(r), _) => r.mask(v, out),
            (Rule::Name(r), _) => r.mask(v, out),
            (Rule::BankCard(r), _) => r.mask(v, out),
            (Rule::Uscc(r), _) => r.mask(v, out),
            (Rule::Email(r), _) => r.mask(v, out),
            (Rule::Address(r), _) => r.mask(v, out),
            (Rule::Plate(r), _) => r.mask(v, out),
            (Rule::Passport(r), _) => r.mask(v, out),
            _ => return Err(Error::new(ErrorKind::Internal, "masking rule was not prepared")),
        })
    }

    /// Masks one value.
    pub fn apply(&self, value: &str) -> Result<String> {
        let mut out = String::with_capacity(value.len());
        self.apply_into(value, None, &mut out)?;
        Ok(out)
    }

    /// Masks one value of `subject` (for [`Rule::DateShift`]).
    pub fn apply_for_subject(&self, value: &str, subject: &str) -> Result<String> {
        let mut out = String::with_capacity(value.len());
        self.apply_into(value, Some(subject.as_bytes()), &mut out)?;
        Ok(out)
    }

    /// Masks a whole column. `subjects` (one per value) is needed by [`Rule::DateShift`]. Values
    /// that are not UTF-8 count as not parsing (strict mode: a `NotUtf8` error).
    ///
    /// Every rule appends its output straight into one buffer for the whole column (no allocation
    /// and no copy per value); the result is byte for byte what [`Masker::apply`] gives per value.
    pub fn apply_column<V: Values + ?Sized>(&self, values: &V, subjects: Option<&dyn Values>) -> Result<MaskedColumn> {
        let n = values.count();
        if let Some(s) = subjects {
            if s.count() != n {
                return Err(Error::new(
                    ErrorKind::InvalidArgument,
                    format!("{} values but {} record ids", n, s.count()),
                ));
            }
        }
        // Most rules write about as many bytes as they read: size the buffer from the first value.
        let each = if n == 0 { 0 } else { values.value(0).len() + 2 };
        let mut data = String::with_capacity(n.saturating_mul(each));
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0);
        let mut invalid = 0u64;
        for i in 0..n {
            let subject = subjects.map(|s| s.value(i));
            let done = match values.text(i) {
                Some(s) => self.apply_into(s, subject, &mut data),
                None => self.apply_not_utf8(values.value(i), &mut data),
            };
            match done {
                Ok(ok) => invalid += u64::from(!ok),
                Err(e) => {
                    // The partial output may hold parts of the input.
                    zeroize::Zeroize::zeroize(&mut data);
                    return Err(e.at_row(i as u64));
                }
            }
            offsets.push(data.len());
        }
        Ok(MaskedColumn { column: Column::from_parts(data.into_bytes(), offsets), invalid })
    }

    /// A value that is not UTF-8: it does not parse.
    fn apply_not_utf8(&self, value: &[u8], out: &mut String) -> Result<bool> {
        if self.strict {
            return Err(
                Error::new(ErrorKind::NotUtf8, "value is not UTF-8").at_column(self.column.clone().unwrap_or_default())
            );
        }
        graphemes::mask_all(&String::from_utf8_lossy(value), self.rule.mask_char(), out);
        Ok(false)
    }
}
