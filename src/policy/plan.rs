//! A policy compiled against a keyset: one ready transformer per column (keys derived once), and
//! the anonymization spec of the `generalize` columns.

use super::model::{Action, FpeKind, Policy};
use super::{problems_error, Problem};
use crate::anon::spec::{AttributeSpec, ConfigSpec, HierarchySpec, Method};
use crate::anon::AttributeType;
use crate::fle::{
    Alphabet, BankCardCipher, DateRange, DeterministicCipher, Ff1Cipher, FieldCipher, MobileCipher, Padding,
    RandomizedCipher, ResidentIdCipher, Tokenizer,
};
use crate::keys::KeyId;
use crate::mask::{Masker, Rule};
use crate::{Error, ErrorKind, Keyset, OnInvalid, Result};

/// What happens to one column.
pub(crate) enum Transform {
    Keep,
    Drop,
    /// Encryption, FPE or a token; `record` names the column each value is bound to.
    Cipher {
        cipher: Box<dyn FieldCipher>,
        record: Option<String>,
    },
    Mask(Masker),
    Generalize,
}

/// One named column, compiled.
pub(crate) struct Step {
    pub name: String,
    pub action: &'static str,
    /// The scheme, rule or hierarchy, for the report.
    pub detail: Option<String>,
    pub transform: Transform,
    pub on_invalid: OnInvalid,
    pub key_version: Option<KeyId>,
}

/// A [`Policy`] compiled with a keyset: `Send + Sync`, built once and applied to any number of
/// files whose columns the policy names ([`Plan::protect_csv_file`], [`Plan::protect_csv`]).
pub struct Plan {
    pub(crate) policy: Policy,
    pub(crate) steps: Vec<Step>,
    /// The anonymization of the `generalize` columns, if any.
    pub(crate) anonymization: Option<ConfigSpec>,
    /// Told the input bytes read so far while records are protected.
    pub(crate) progress: Option<Progress>,
}

/// A progress callback: the input bytes read so far.
pub(crate) type Progress = std::sync::Arc<dyn Fn(u64) + Send + Sync>;

impl std::fmt::Debug for Plan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plan")
            .field("policy", &self.policy.id)
            .field("version", &self.policy.version)
            .finish_non_exhaustive()
    }
}

impl Plan {
    /// Compiles `policy` with `keyset`, deriving every column's keys once. Errors (kind `Policy`)
    /// list every problem: a suite the keyset's primary is not of, a key version the keyset cannot
    /// use, a masking rule with bad parameters.
    pub fn compile(policy: &Policy, keyset: &Keyset) -> Result<Plan> {
        let mut problems = Vec::new();
        if keyset.primary().suite() != policy.suite {
            problems.push(Problem::new(
                None,
                "suite",
                format!(
                    "the policy's suite is `{}` but the keyset's primary key is of suite `{}`",
                    suite_name(policy.suite),
                    suite_name(keyset.primary().suite())
                ),
            ));
        }
        let mut steps = Vec::with_capacity(policy.columns.len());
        for c in &policy.columns {
            match compile_column(policy, keyset, c) {
                Ok(step) => steps.push(step),
                Err(e) => problems.push(Problem::new(
                    c.line,
                    &format!("columns.{}", c.name),
                    format!("column `{}`: {}", c.name, e.message()),
                )),
            }
        }
        if !problems.is_empty() {
            return Err(problems_error(&problems));
        }
        let anonymization = policy.anonymization.as_ref().map(|a| {
            let mut attributes: Vec<AttributeSpec> = policy
                .columns
                .iter()
                .filter_map(|c| match &c.action {
                    Action::Generalize { hierarchy } => Some(AttributeSpec {
                        name: c.name.clone(),
                        role: AttributeType::QuasiIdentifying,
                        hierarchy: Some(hierarchy.clone().unwrap_or(HierarchySpec::Flat)),
                        categorical: false,
                    }),
                    _ => None,
                })
                .collect();
            for attribute in a.models.iter().filter_map(|m| m.attribute()) {
                if !attributes.iter().any(|s| s.name == attribute) {
                    attributes.push(AttributeSpec {
                        name: attribute.to_string(),
                        role: AttributeType::Sensitive,
                        hierarchy: None,
                        categorical: false,
                    });
                }
            }
            ConfigSpec {
                attributes,
                models: a.models.clone(),
                suppression_limit: a.suppression_limit,
                metric: a.metric,
                drop_identifying: false,
                method: Method::Optimal,
                research_subset: None,
                risk_threshold: a.risk_threshold,
            }
        });
        Ok(Plan { policy: policy.clone(), steps, anonymization, progress: None })
    }

    /// Calls `progress` with the number of input bytes read so far, after each chunk of records
    /// the protecting (or revealing) pass reads: for a progress bar. It runs on the reading
    /// thread, so it should return quickly.
    pub fn on_progress(mut self, progress: impl Fn(u64) + Send + Sync + 'static) -> Plan {
        self.progress = Some(std::sync::Arc::new(progress));
        self
    }

    /// The policy this plan was compiled from.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The key version each keyed column uses (for the envelope header and the report).
    pub fn key_versions(&self) -> Vec<(&str, KeyId)> {
        self.steps.iter().filter_map(|s| Some((s.name.as_str(), s.key_version?))).collect()
    }

    /// Checks a data header against the policy: every column named (unless the policy's default
    /// is `drop`), every named column present, no name twice. Returns, per data column, the
    /// index of its step (`None`: dropped by default).
    pub fn bind(&self, header: &[String]) -> std::result::Result<Vec<Option<usize>>, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut slots = Vec::with_capacity(header.len());
        for (i, name) in header.iter().enumerate() {
            if header[..i].contains(name) {
                problems.push(Problem::new(None, "", format!("the data has two columns named `{name}`")));
            }
            let step = self.steps.iter().position(|s| &s.name == name);
            if step.is_none() && self.policy.default == super::DefaultAction::Deny {
                problems.push(Problem::new(
                    None,
                    "columns",
                    format!(
                        "the data's column `{name}` (column {}) is not in the policy: give it an action, \
                         or set default = \"drop\"",
                        i + 1
                    ),
                ));
            }
            slots.push(step);
        }
        for c in &self.policy.columns {
            if !header.contains(&c.name) {
                problems.push(Problem::new(
                    c.line,
                    &format!("columns.{}", c.name),
                    format!("column `{}` is not in the data", c.name),
                ));
            }
        }
        if problems.is_empty() {
            Ok(slots)
        } else {
            Err(problems)
        }
    }
}

fn suite_name(s: crate::Suite) -> &'static str {
    match s {
        crate::Suite::Aes => "aes",
        crate::Suite::Sm => "sm",
    }
}

fn compile_column(policy: &Policy, keyset: &Keyset, c: &super::ColumnPolicy) -> Result<Step> {
    let (dataset, field) = (policy.dataset.as_str(), c.name.as_str());
    let key = c.key_version.unwrap_or(keyset.primary_id());
    let primary_only = || {
        if key != keyset.primary_id() {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "encryption uses the keyset's primary (version {}), not version {key} (its ciphertexts name \
                     their version, so older ones still decrypt)",
                    keyset.primary_id()
                ),
            ));
        }
        Ok(())
    };
    let padding = |p: &Option<String>| p.as_deref().map(Padding::parse).transpose().map(Option::unwrap_or_default);
    let (transform, detail, key_version): (Transform, Option<String>, Option<KeyId>) = match &c.action {
        Action::Keep => (Transform::Keep, None, None),
        Action::Drop => (Transform::Drop, None, None),
        Action::Encrypt { padding: p, record } => {
            primary_only()?;
            let cipher = RandomizedCipher::with_padding(keyset, dataset, field, padding(p)?)?;
            let detail = format!("randomized, padding {}", cipher.padding());
            (Transform::Cipher { cipher: Box::new(cipher), record: record.clone() }, Some(detail), Some(key))
        }
        Action::EncryptDeterministic { padding: p } => {
            primary_only()?;
            let cipher = DeterministicCipher::with_padding(keyset, dataset, field, padding(p)?)?;
            let detail = format!("deterministic, padding {}", cipher.padding());
            (Transform::Cipher { cipher: Box::new(cipher), record: None }, Some(detail), Some(key))
        }
        Action::Fpe { kind, alphabet, birth_dates } => {
            keyset.usable(key)?;
            let cipher: Box<dyn FieldCipher> = match kind {
                FpeKind::ResidentId => {
                    let [a, b] = birth_dates.as_ref().expect("checked when parsed");
                    Box::new(ResidentIdCipher::new(keyset, key, dataset, field, date_range(a, b)?)?)
                }
                FpeKind::Mobile => Box::new(MobileCipher::new(keyset, key, dataset, field)?),
                FpeKind::BankCard => Box::new(BankCardCipher::new(keyset, key, dataset, field)?),
                FpeKind::Ff1 => {
                    let alphabet = match alphabet.as_deref().expect("checked when parsed") {
                        "digits" => Alphabet::digits(),
                        "alphanumeric" => Alphabet::alphanumeric(),
                        custom => Alphabet::custom(custom)?,
                    };
                    Box::new(Ff1Cipher::new(keyset, key, dataset, field, alphabet)?)
                }
            };
            let detail = cipher.scheme().name().to_string();
            (Transform::Cipher { cipher, record: None }, Some(detail), Some(key))
        }
        Action::Token { purpose } => {
            let t = Tokenizer::with_version(keyset, key, purpose)?;
            (Transform::Cipher { cipher: Box::new(t), record: None }, Some(format!("purpose {purpose}")), Some(key))
        }
        Action::Mask(rule) => {
            if matches!(rule, Rule::DateShift(_)) {
                return Err(Error::new(
                    ErrorKind::InvalidArgument,
                    "the date_shift rule needs a subject per row, which policies cannot name yet: use date_truncate",
                ));
            }
            let masker = if rule.is_keyed() {
                Masker::with_keyset(rule.clone(), keyset, key, dataset, field)?
            } else {
                Masker::new(rule.clone())?.with_column(field)
            };
            let version = masker.key_id();
            (Transform::Mask(masker), Some(rule.name().to_string()), version)
        }
        Action::Generalize { hierarchy } => {
            let h = hierarchy.as_ref().map_or_else(|| "flat".to_string(), hierarchy_name);
            (Transform::Generalize, Some(h), None)
        }
    };
    Ok(Step {
        name: c.name.clone(),
        action: c.action.name(),
        detail,
        transform,
        on_invalid: c.on_invalid.unwrap_or(policy.on_invalid),
        key_version,
    })
}

fn hierarchy_name(h: &HierarchySpec) -> String {
    serde_json::to_value(h).ok().and_then(|v| v.get("type")?.as_str().map(str::to_string)).unwrap_or_default()
}

/// A birth-date range from two `YYYY-MM-DD` dates.
pub(crate) fn date_range(start: &str, end: &str) -> Result<DateRange> {
    let parse = |s: &str| -> Result<(u16, u8, u8)> {
        let bad = || Error::new(ErrorKind::InvalidArgument, format!("birth date `{s}` is not a real date YYYY-MM-DD"));
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let n = |r: std::ops::Range<usize>| s[r].parse::<u16>().map_err(|_| bad());
        Ok((n(0..4)?, n(5..7)? as u8, n(8..10)? as u8))
    };
    let range = DateRange { start: parse(start)?, end: parse(end)? };
    range.days().map_err(|_| {
        Error::new(
            ErrorKind::InvalidArgument,
            format!("birth_dates [{start}, {end}] is not a range of real dates, first <= last"),
        )
    })?;
    Ok(range)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Format;
    use crate::Suite;

    #[test]
    fn dates_are_checked() {
        assert!(date_range("1925-01-01", "2009-12-31").is_ok());
        for (a, b) in [
            ("2009-02-30", "2010-01-01"),
            ("2010-01-01", "2009-01-01"),
            ("1925-1-01", "2009-12-31"),
            ("abcd-ef-gh", "2009-12-31"),
        ] {
            assert_eq!(date_range(a, b).unwrap_err().kind(), ErrorKind::InvalidArgument, "{a} {b}");
        }
    }

    /// The test policy with its FPE column pinned to `keyset`'s primary.
    fn pinned(keyset: &Keyset) -> String {
        super::super::model::tests::GOOD.replace("key_version = 1", &format!("key_version = {}", keyset.primary_id()))
    }

    #[test]
    fn compile_checks_the_suite_and_the_key_versions() {
        let sm = Keyset::generate(Suite::Sm).unwrap();
        let text = &pinned(&sm);
        let policy = Policy::parse(text, Format::Toml).unwrap();
        let e = Plan::compile(&policy, &Keyset::generate(Suite::Aes).unwrap()).unwrap_err();
        assert!(
            e.message().contains("suite is `sm` but the keyset's primary key is of suite `aes`"),
            "{}",
            e.message()
        );
        let other = Keyset::generate(Suite::Sm).unwrap();
        let e = Plan::compile(&Policy::parse(&pinned(&other), Format::Toml).unwrap(), &sm).unwrap_err();
        assert!(e.message().contains("line 15: column `id_number`: no key version"), "{}", e.message());
        let plan = Plan::compile(&Policy::parse(text, Format::Toml).unwrap(), &sm).unwrap();
        let versions: Vec<&str> = plan.key_versions().iter().map(|(c, _)| *c).collect();
        assert_eq!(versions, ["name", "id_number", "bank_card", "diagnosis"]);
    }

    #[test]
    fn bind_names_missing_and_unnamed_columns() {
        let sm = Keyset::generate(Suite::Sm).unwrap();
        let text = pinned(&sm).replace("default = \"drop\"", "");
        let plan = Plan::compile(&Policy::parse(&text, Format::Toml).unwrap(), &sm).unwrap();
        let header: Vec<String> = ["record_id", "name", "id_number", "mobile", "bank_card", "diagnosis", "age", "sex"]
            .map(String::from)
            .into();
        assert_eq!(plan.bind(&header).unwrap(), (0..8).map(Some).collect::<Vec<_>>());
        let mut other = header.clone();
        other[6] = "income".into();
        other.push("sex".into());
        let problems: Vec<String> = plan.bind(&other).unwrap_err().iter().map(|p| p.to_string()).collect();
        assert_eq!(problems.len(), 3, "{problems:#?}");
        assert!(problems[0].contains("`income` (column 7) is not in the policy"));
        assert!(problems[1].contains("two columns named `sex`"));
        assert!(problems[2].contains("line 19: column `age` is not in the data"));
    }
}
