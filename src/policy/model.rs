//! What a policy says, and reading it from its document with every problem reported at once.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::document::{Document, Format};
use super::Problem;
use crate::anon::spec::HierarchySpec;
use crate::anon::{Metric, PrivacyModel};
use crate::envelope::ParticipantId;
use crate::fle::Padding;
use crate::keys::KeyId;
use crate::mask::Rule;
use crate::{OnInvalid, Suite};

/// Most columns a policy may name.
pub const MAX_POLICY_COLUMNS: usize = 4096;
/// Most recipients a policy may name.
pub const MAX_POLICY_RECIPIENTS: usize = 64;

/// A sharing policy: what may leave the department, to whom, why, and what happens to every
/// column on the way. Read it with [`Policy::parse`]; compile it with a keyset into a
/// [`Plan`](super::Plan).
#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    /// The policy's name (goes into the envelope header with its version and hash).
    pub id: String,
    /// Its version: raise it whenever the policy changes.
    pub version: u32,
    /// The dataset every ciphertext and FPE value is bound to (part of each column's context).
    pub dataset: String,
    /// The sending department (needed to share).
    pub sender: Option<ParticipantId>,
    /// The departments the package is for (needed to share).
    pub recipients: Vec<ParticipantId>,
    /// Why the data is shared.
    pub purpose: String,
    /// The legal basis of the sharing.
    pub legal_basis: Option<String>,
    /// The algorithm suite; the keyset's primary key must be of this suite.
    pub suite: Suite,
    /// What happens to a column the policy does not name.
    pub default: DefaultAction,
    /// What happens to a value an action cannot take (a malformed ID under FPE, say), unless its
    /// column says otherwise.
    pub on_invalid: OnInvalid,
    /// Every named column, in the order written (by name in a JSON policy).
    pub columns: Vec<ColumnPolicy>,
    /// Privacy models for the `generalize` columns (required when there are any).
    pub anonymization: Option<Anonymization>,
    /// The digest of the policy's exact text in the suite's hash (SHA-256 for `aes`, SM3 for
    /// `sm`), as the envelope header and the audit log record it.
    pub hash: [u8; 32],
}

/// What happens to a column the policy does not name.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DefaultAction {
    /// It is an error: every column must be named (the default).
    #[default]
    Deny,
    /// It is left out of the output.
    Drop,
}

/// One column's entry.
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnPolicy {
    /// The column's name in the data.
    pub name: String,
    /// What is done to it.
    pub action: Action,
    /// The key version its action uses (required for `fpe` and keyed masks; others default to
    /// the keyset's primary).
    pub key_version: Option<KeyId>,
    /// Overrides the policy's `on_invalid` for this column.
    pub on_invalid: Option<OnInvalid>,
    /// One-based line of the entry in a TOML policy.
    pub line: Option<u64>,
}

/// One column's action.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// Copied unchanged.
    Keep,
    /// Left out of the output.
    Drop,
    /// Randomized authenticated encryption (AES-256-GCM or SM4-GCM): text form `ps1:…`.
    Encrypt {
        /// Pads values to hide their length: `none`, `padme` or `block:N`.
        #[serde(default)]
        padding: Option<String>,
        /// Binds each value to this column's value in the same row (a record id): a ciphertext
        /// moved to another record does not decrypt.
        #[serde(default)]
        record: Option<String>,
    },
    /// Deterministic encryption (AES-SIV or SM4-SIV), for joins: equal values, equal ciphertexts.
    EncryptDeterministic {
        /// As for `encrypt`.
        #[serde(default)]
        padding: Option<String>,
    },
    /// Format-preserving encryption.
    Fpe {
        /// What the values are.
        kind: FpeKind,
        /// For `ff1`: `digits`, `alphanumeric`, or the characters of a custom alphabet.
        #[serde(default)]
        alphabet: Option<String>,
        /// For `resident_id`: the first and last birth date encrypted IDs may carry
        /// (`["1925-01-01", "2009-12-31"]`); decryption needs the same range.
        #[serde(default)]
        birth_dates: Option<[String; 2]>,
    },
    /// A keyed linkage token (HMAC) for `purpose`: joins within a purpose, not across.
    Token {
        /// The purpose tokens are made for.
        purpose: String,
    },
    /// A masking rule (`rule = "mobile"` and the rule's own parameters).
    Mask(Rule),
    /// Generalized by the anonymization search (a quasi-identifier).
    Generalize {
        /// Its hierarchy (default: flat, value or `*`).
        #[serde(default)]
        hierarchy: Option<HierarchySpec>,
    },
}

impl Action {
    /// The action's name as written in a policy.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Keep => "keep",
            Action::Drop => "drop",
            Action::Encrypt { .. } => "encrypt",
            Action::EncryptDeterministic { .. } => "encrypt_deterministic",
            Action::Fpe { .. } => "fpe",
            Action::Token { .. } => "token",
            Action::Mask(_) => "mask",
            Action::Generalize { .. } => "generalize",
        }
    }

    /// True when the action needs key material.
    pub fn is_keyed(&self) -> bool {
        match self {
            Action::Encrypt { .. }
            | Action::EncryptDeterministic { .. }
            | Action::Fpe { .. }
            | Action::Token { .. } => true,
            Action::Mask(rule) => rule.is_keyed(),
            Action::Keep | Action::Drop | Action::Generalize { .. } => false,
        }
    }

    /// True when the policy must name the action's key version: decrypting (or recomputing) its
    /// outputs needs it, and they do not carry it (`fpe`, keyed masks). `privshare policy pin`
    /// fills it in.
    pub fn needs_pinned_key(&self) -> bool {
        matches!(self, Action::Fpe { .. }) || matches!(self, Action::Mask(r) if r.is_keyed())
    }
}

/// What a format-preserving column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FpeKind {
    /// Chinese resident identity numbers: outputs are valid IDs.
    ResidentId,
    /// Chinese mobile numbers: outputs are valid mobile numbers.
    Mobile,
    /// Bank card numbers: outputs keep the issuer prefix and pass the Luhn check.
    BankCard,
    /// FF1 over an alphabet.
    Ff1,
}

/// The privacy requirements of the `generalize` columns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Anonymization {
    /// Privacy models (k-anonymity, l-diversity of a column, t-closeness, risk thresholds).
    pub models: Vec<PrivacyModel>,
    /// Largest share of records that may be suppressed.
    #[serde(default)]
    pub suppression_limit: f64,
    /// Objective of the optimal search.
    #[serde(default)]
    pub metric: Metric,
    /// Risk above which the report counts a record as at risk (default 0.2).
    #[serde(default)]
    pub risk_threshold: Option<f64>,
}

const TOP_LEVEL: &[&str] = &[
    "policy",
    "version",
    "dataset",
    "sender",
    "recipients",
    "purpose",
    "legal_basis",
    "suite",
    "default",
    "on_invalid",
    "columns",
    "anonymization",
];

impl Policy {
    /// Reads a policy from its text. On failure the error (kind `Policy`) lists every problem
    /// found, each with its line in a TOML policy; [`Policy::check`] returns them as values.
    ///
    /// ```
    /// use privshare::policy::{Format, Policy};
    /// let policy = Policy::parse(r#"
    /// policy = "benefits-to-tax"
    /// version = 1
    /// dataset = "benefits-2026"
    /// purpose = "eligibility check"
    /// suite = "aes"
    ///
    /// [columns]
    /// record_id = { action = "keep" }
    /// mobile = { action = "mask", rule = "mobile" }
    /// "#, Format::Toml)?;
    /// assert_eq!(policy.columns[1].action.name(), "mask");
    ///
    /// let e = Policy::parse("policy = \"p\"\nversion = 0\n", Format::Toml).unwrap_err();
    /// assert!(e.message().contains("line 2"));
    /// # Ok::<(), privshare::Error>(())
    /// ```
    pub fn parse(text: &str, format: Format) -> crate::Result<Policy> {
        Policy::check(text, format).map_err(|problems| super::problems_error(&problems))
    }

    /// [`Policy::parse`], returning the problems themselves.
    pub fn check(text: &str, format: Format) -> Result<Policy, Vec<Problem>> {
        let doc = Document::parse(text, format).map_err(|p| vec![p])?;
        let mut r = Reader { doc: &doc, problems: Vec::new() };
        for key in doc.root.keys() {
            if !TOP_LEVEL.contains(&key.as_str()) {
                r.problem(key, format!("unknown key `{key}` (expected one of: {})", TOP_LEVEL.join(", ")));
            }
        }
        let id = r.required::<String>("policy").filter(|s| r.nonempty("policy", s));
        let version = r.required::<u32>("version");
        if version == Some(0) {
            r.problem("version", "version starts at 1");
        }
        let dataset = r.required::<String>("dataset").filter(|s| r.nonempty("dataset", s));
        let sender = r.optional::<String>("sender").and_then(|s| r.participant("sender", &s));
        let recipients: Vec<ParticipantId> = r
            .optional::<Vec<String>>("recipients")
            .unwrap_or_default()
            .iter()
            .enumerate()
            .filter_map(|(i, s)| r.participant(&format!("recipients.{i}"), s))
            .collect();
        if recipients.len() > MAX_POLICY_RECIPIENTS {
            r.problem("recipients", format!("more than {MAX_POLICY_RECIPIENTS} recipients"));
        }
        let purpose = r.required::<String>("purpose").filter(|s| r.nonempty("purpose", s));
        let legal_basis = r.optional::<String>("legal_basis");
        let suite = r.required::<String>("suite").and_then(|s| match s.as_str() {
            "aes" => Some(Suite::Aes),
            "sm" => Some(Suite::Sm),
            _ => r.fail("suite", format!("unknown suite `{s}` (expected `aes` or `sm`)")),
        });
        let default = r.optional::<DefaultAction>("default").unwrap_or_default();
        let on_invalid = r.optional::<String>("on_invalid").and_then(|s| r.on_invalid("on_invalid", &s));
        let columns = r.columns();
        let anonymization = r.optional::<Anonymization>("anonymization");
        r.cross_check(&columns, anonymization.as_ref(), doc.root.contains_key("anonymization"));
        if !r.problems.is_empty() {
            r.problems.sort_by_key(|p| p.line.unwrap_or(u64::MAX));
            return Err(r.problems);
        }
        Ok(Policy {
            id: id.unwrap_or_default(),
            version: version.unwrap_or_default(),
            dataset: dataset.unwrap_or_default(),
            sender,
            recipients,
            purpose: purpose.unwrap_or_default(),
            legal_basis,
            suite: suite.unwrap_or(Suite::Aes),
            default,
            on_invalid: on_invalid.unwrap_or_default(),
            columns,
            anonymization,
            hash: crate::audit::hash::Hasher::digest(suite.unwrap_or(Suite::Aes), text.as_bytes()),
        })
    }

    /// The entry of column `name`.
    pub fn column(&self, name: &str) -> Option<&ColumnPolicy> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// Reads values out of a document, collecting problems instead of stopping at the first.
struct Reader<'d> {
    doc: &'d Document,
    problems: Vec<Problem>,
}

impl Reader<'_> {
    /// Records a problem at `path`.
    fn problem(&mut self, path: &str, message: impl Into<String>) {
        self.problems.push(Problem::new(self.doc.line(path), path, message));
    }

    /// Records a problem at `path` and gives `None`, for a read that failed.
    fn fail<T>(&mut self, path: &str, message: impl Into<String>) -> Option<T> {
        self.problem(path, message);
        None
    }

    fn get(&self, path: &str) -> Option<&Value> {
        let mut v = self.doc.root.get(path.split('.').next()?)?;
        for part in path.split('.').skip(1) {
            v = v.get(part)?;
        }
        Some(v)
    }

    fn read<T: serde::de::DeserializeOwned>(&mut self, path: &str, value: &Value) -> Option<T> {
        match T::deserialize(value) {
            Ok(v) => Some(v),
            Err(e) => self.fail(path, e.to_string()),
        }
    }

    fn optional<T: serde::de::DeserializeOwned>(&mut self, path: &str) -> Option<T> {
        let value = self.get(path)?.clone();
        self.read(path, &value)
    }

    fn required<T: serde::de::DeserializeOwned>(&mut self, path: &str) -> Option<T> {
        match self.get(path).cloned() {
            Some(value) => self.read(path, &value),
            None => self.fail(path, format!("`{path}` is missing")),
        }
    }

    fn nonempty(&mut self, path: &str, s: &str) -> bool {
        if s.trim().is_empty() {
            self.problem(path, format!("`{path}` is empty"));
        }
        !s.trim().is_empty()
    }

    fn participant(&mut self, path: &str, s: &str) -> Option<ParticipantId> {
        ParticipantId::parse(s).map_err(|e| self.problem(path, e.message().to_string())).ok()
    }

    fn on_invalid(&mut self, path: &str, s: &str) -> Option<OnInvalid> {
        OnInvalid::from_name(s)
            .map_err(|_| {
                self.problem(path, format!("unknown `on_invalid` `{s}` (expected error, null or keep_marked)"))
            })
            .ok()
    }

    fn columns(&mut self) -> Vec<ColumnPolicy> {
        let Some(table) = self.get("columns").cloned() else {
            self.problem("columns", "`columns` is missing: name every column of the data");
            return Vec::new();
        };
        let Value::Object(table) = table else {
            self.problem("columns", "`columns` is a table of column name -> action");
            return Vec::new();
        };
        if table.len() > MAX_POLICY_COLUMNS {
            self.problem("columns", format!("more than {MAX_POLICY_COLUMNS} columns"));
            return Vec::new();
        }
        let mut columns: Vec<ColumnPolicy> =
            table.into_iter().filter_map(|(name, entry)| self.column(name, entry)).collect();
        // In the order written (JSON has no lines here: by name).
        columns.sort_by_key(|c| c.line);
        columns
    }

    fn column(&mut self, name: String, entry: Value) -> Option<ColumnPolicy> {
        let path = format!("columns.{name}");
        if name.trim().is_empty() {
            return self.fail(&path, "a column name is empty");
        }
        let Value::Object(mut fields) = entry else {
            return self.fail(&path, format!("column `{name}`: expected a table such as {{ action = \"keep\" }}"));
        };
        let key_given = fields.contains_key("key_version");
        let key_version = take(&mut fields, "key_version").and_then(|v| match v.as_u64() {
            Some(n) if (1..=u64::from(u32::MAX)).contains(&n) => Some(n as KeyId),
            _ => {
                self.fail(&format!("{path}.key_version"), format!("column `{name}`: key_version is a positive integer"))
            }
        });
        let on_invalid = take(&mut fields, "on_invalid").and_then(|v| match v.as_str() {
            Some(s) => self.on_invalid(&format!("{path}.on_invalid"), s),
            None => self.fail(&format!("{path}.on_invalid"), "on_invalid is a string"),
        });
        let action: Action = match Action::deserialize(&Value::Object(fields)) {
            Ok(a) => a,
            Err(e) => return self.fail(&path, format!("column `{name}`: {e}")),
        };
        let line = self.doc.line(&path);
        self.check_action(&path, &name, &action, key_version, key_given);
        Some(ColumnPolicy { name, action, key_version, on_invalid, line })
    }

    /// What one column's action says on its own.
    fn check_action(&mut self, path: &str, name: &str, action: &Action, key_version: Option<KeyId>, key_given: bool) {
        let mut problem = |msg: String| {
            self.problem(path, format!("column `{name}`: {msg}"));
        };
        if action.needs_pinned_key() && !key_given {
            problem(format!(
                "a `{}` action names its key_version, since its outputs do not carry it: run \
                 `privshare policy pin POLICY --keyset KEYSET` to write the keyset's primary version in",
                action.name()
            ));
        }
        if key_version.is_some() && !action.is_keyed() {
            problem(format!("a `{}` action uses no key, so it takes no key_version", action.name()));
        }
        match action {
            Action::Encrypt { padding, .. } | Action::EncryptDeterministic { padding } => {
                if let Some(p) = padding {
                    if let Err(e) = Padding::parse(p) {
                        problem(e.message().to_string());
                    }
                }
            }
            Action::Fpe { kind, alphabet, birth_dates } => {
                match (kind, alphabet) {
                    (FpeKind::Ff1, None) => {
                        problem("fpe of kind `ff1` names its alphabet".into());
                    }
                    (FpeKind::Ff1, Some(_)) | (_, None) => {}
                    (_, Some(_)) => {
                        problem(format!("fpe of kind `{}` takes no alphabet", kind_name(*kind)));
                    }
                }
                match (kind, birth_dates) {
                    (FpeKind::ResidentId, None) => problem(
                        "fpe of kind `resident_id` names its birth_dates range, e.g. [\"1925-01-01\", \"2009-12-31\"] \
                         (decryption needs the same range)"
                            .into(),
                    ),
                    (FpeKind::ResidentId, Some([a, b])) => {
                        if let Err(e) = super::plan::date_range(a, b) {
                            problem(e.message().to_string());
                        }
                    }
                    (_, Some(_)) => problem(format!("fpe of kind `{}` takes no birth_dates", kind_name(*kind))),
                    _ => {}
                }
            }
            Action::Token { purpose } if purpose.trim().is_empty() => problem("a token's purpose is empty".into()),
            _ => {}
        }
    }

    /// What columns say about each other and about the anonymization section.
    fn cross_check(&mut self, columns: &[ColumnPolicy], anonymization: Option<&Anonymization>, written: bool) {
        let generalized = columns.iter().any(|c| matches!(c.action, Action::Generalize { .. }));
        match anonymization {
            None if generalized && !written => {
                self.problem("columns", "`generalize` columns need an [anonymization] section with models");
            }
            Some(_) if !generalized => {
                self.problem("anonymization", "[anonymization] is set but no column is `generalize`d");
            }
            Some(a) => {
                if a.models.is_empty() {
                    self.problem("anonymization.models", "name at least one privacy model");
                }
                if !(0.0..=1.0).contains(&a.suppression_limit) {
                    self.problem("anonymization.suppression_limit", "the suppression limit is between 0 and 1");
                }
                for attribute in a.models.iter().filter_map(|m| m.attribute()) {
                    match columns.iter().find(|c| c.name == attribute) {
                        None => {
                            self.problem(
                                "anonymization.models",
                                format!("a model names column `{attribute}`, which the policy does not"),
                            );
                        }
                        Some(c) if matches!(c.action, Action::Drop | Action::Generalize { .. }) => {
                            self.problem(
                                &format!("columns.{attribute}"),
                                format!(
                                    "column `{attribute}` is a sensitive attribute of a model: it cannot be `{}`",
                                    c.action.name()
                                ),
                            );
                        }
                        Some(_) => {}
                    }
                }
            }
            None => {}
        }
        for c in columns {
            if let Action::Encrypt { record: Some(record), .. } = &c.action {
                let path = format!("columns.{}", c.name);
                match columns.iter().find(|r| &r.name == record) {
                    None => {
                        self.problem(
                            &path,
                            format!("column `{}`: its record column `{record}` is not in the policy", c.name),
                        );
                    }
                    Some(r) if !matches!(r.action, Action::Keep) => {
                        // The recipient needs the record id as it was to decrypt.
                        self.problem(
                            &path,
                            format!(
                                "column `{}`: its record column `{record}` must be `keep` (it is `{}`)",
                                c.name,
                                r.action.name()
                            ),
                        );
                    }
                    Some(_) => {}
                }
            }
        }
    }
}

fn take(fields: &mut Map<String, Value>, key: &str) -> Option<Value> {
    fields.remove(key)
}

fn kind_name(kind: FpeKind) -> &'static str {
    match kind {
        FpeKind::ResidentId => "resident_id",
        FpeKind::Mobile => "mobile",
        FpeKind::BankCard => "bank_card",
        FpeKind::Ff1 => "ff1",
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) const GOOD: &str = r#"
policy = "benefits-to-tax"
version = 3
dataset = "benefits-2026"
sender = "CN/GOV/hrss/benefits"
recipients = ["CN/GOV/tax/audit"]
purpose = "eligibility check"
legal_basis = "Regulation 12(3)"
suite = "sm"
default = "drop"

[columns]
record_id = { action = "keep" }
name = { action = "encrypt", record = "record_id", padding = "block:16" }
id_number = { action = "fpe", kind = "resident_id", key_version = 1, birth_dates = ["1925-01-01", "2009-12-31"] }
mobile = { action = "mask", rule = "mobile", keep_last = 2 }
bank_card = { action = "token", purpose = "linkage" }
diagnosis = { action = "encrypt_deterministic" }
age = { action = "generalize", hierarchy = { type = "intervals", origin = 0, widths = [5, 10, 20] } }
sex = { action = "generalize" }

[anonymization]
models = [{ model = "k_anonymity", k = 5 }, { model = "distinct_l", attribute = "diagnosis", l = 2 }]
suppression_limit = 0.05
"#;

    #[test]
    fn a_good_policy_reads_in_toml_and_json() {
        let p = Policy::parse(GOOD, Format::Toml).unwrap();
        assert_eq!(
            (p.id.as_str(), p.version, p.suite, p.default),
            ("benefits-to-tax", 3, Suite::Sm, DefaultAction::Drop)
        );
        assert_eq!(p.columns.len(), 8);
        assert_eq!(p.column("id_number").unwrap().key_version, Some(1));
        assert_eq!(p.column("mobile").unwrap().line, Some(16));
        assert_eq!(p.recipients[0].to_string(), "CN/GOV/tax/audit");
        let json = serde_json::to_string(&toml::from_str::<toml::Table>(GOOD).unwrap()).unwrap();
        let j = Policy::parse(&json, Format::Json).unwrap();
        let mut unlined: Vec<ColumnPolicy> =
            p.columns.iter().map(|c| ColumnPolicy { line: None, ..c.clone() }).collect();
        unlined.sort_by(|a, b| a.name.cmp(&b.name));
        assert_eq!(j.columns, unlined);
        assert_ne!(j.hash, p.hash, "the hash is of the exact text");
        use sm3::Digest;
        assert_eq!(p.hash.as_slice(), sm3::Sm3::digest(GOOD.as_bytes()).as_slice(), "an sm policy's digest is SM3");
    }

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let bad = GOOD
            .replace("version = 3", "version = 0")
            .replace("suite = \"sm\"", "suite = \"des\"")
            .replace("key_version = 1, ", "")
            .replace("action = \"encrypt_deterministic\"", "action = \"encrypt_deterministicc\"")
            .replace("padding = \"block:16\"", "padding = \"block:0\"")
            .replace("\"CN/GOV/tax/audit\"", "\"tax-office\"")
            .replace("record_id = { action = \"keep\" }", "record_id = { action = \"keep\", key_version = 2 }")
            .replace("policy = ", "colour = \"blue\"\npolicy = ");
        let problems = Policy::check(&bad, Format::Toml).unwrap_err();
        let lines: Vec<Option<u64>> = problems.iter().map(|p| p.line).collect();
        let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(problems.len(), 9, "{text:#?}");
        // Sorted by line; each names where it is.
        assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{lines:?}");
        for (needle, line) in [
            ("unknown key `colour`", 2),
            ("version starts at 1", 4),
            ("participant id has four parts", 7),
            ("unknown suite `des`", 10),
            ("`keep` action uses no key", 14),
            ("block is 2 to 4096 bytes", 15),
            ("names its key_version", 16),
            ("unknown variant `encrypt_deterministicc`", 19),
            // The model's attribute is now a column whose action did not parse.
            ("`diagnosis`, which the policy does not", 24),
        ] {
            assert!(
                problems.iter().any(|p| p.message.contains(needle) && p.line == Some(line)),
                "no problem with {needle:?} at line {line}: {text:#?}"
            );
        }
        let e = Policy::parse(&bad, Format::Toml).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Policy);
        assert!(e.message().starts_with("the policy has 9 problems"), "{}", e.message());
    }

    #[test]
    fn cross_column_problems() {
        let missing = |p: &str| {
            Policy::check(p, Format::Toml).unwrap_err().iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n")
        };
        let no_anon = GOOD.split("[anonymization]").next().unwrap();
        assert!(missing(no_anon).contains("need an [anonymization] section"));
        let dropped_record = GOOD.replace("record_id = { action = \"keep\" }", "record_id = { action = \"drop\" }");
        assert!(missing(&dropped_record).contains("must be `keep`"));
        let ff1 = GOOD
            .replace("action = \"token\", purpose = \"linkage\"", "action = \"fpe\", kind = \"ff1\", key_version = 1");
        assert!(missing(&ff1).contains("names its alphabet"));
        let dates = GOOD.replace("\"2009-12-31\"", "\"2009-02-30\"");
        assert!(missing(&dates).contains("2009-02-30"), "{}", missing(&dates));
        assert!(missing("").contains("`policy` is missing"));
    }
}
