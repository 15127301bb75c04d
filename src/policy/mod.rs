//! Sharing policies: one declarative file that says what happens to every column of a dataset
//! on its way to another department, compiled with a keyset into a [`Plan`] that protects a CSV
//! file in one streaming pass (two when columns are generalized), with a [`Report`].
//!
//! The format is described in `docs/policy.md`. In short, a TOML (or JSON) document names the
//! dataset, sender, recipients, purpose and algorithm suite, and gives every column one action:
//! `keep`, `drop`, `encrypt`, `encrypt_deterministic`, `fpe`, `token`, `mask` or `generalize`.
//! A column the policy does not name is an error unless it says `default = "drop"`.
//!
//! ```
//! use privshare::policy::{Format, Plan, Policy};
//! use privshare::{Keyset, Suite};
//! let policy = Policy::parse(r#"
//! policy = "clinic-to-registry"
//! version = 1
//! dataset = "visits-2026"
//! purpose = "disease registry"
//! suite = "aes"
//! [columns]
//! visit = { action = "keep" }
//! patient = { action = "token", purpose = "registry-linkage" }
//! mobile = { action = "mask", rule = "mobile" }
//! "#, Format::Toml)?;
//! let keyset = Keyset::generate(Suite::Aes)?;
//! let plan = Plan::compile(&policy, &keyset)?;
//! let mut out = Vec::new();
//! let report = plan.protect_csv(&b"visit,patient,mobile\n1,Li Lei,13812345678\n"[..], &mut out, b',')?;
//! let out = String::from_utf8(out).unwrap();
//! assert!(out.starts_with("visit,patient,mobile\n1,pt1:"));
//! assert!(out.ends_with(",138****5678\n"));
//! assert_eq!(report.rows, 1);
//! # Ok::<(), privshare::Error>(())
//! ```

mod apply;
mod document;
mod model;
mod package;
#[cfg(feature = "parquet")]
mod parquet;
mod plan;
mod report;

pub use crate::io::records::DataFormat;
pub use apply::CHUNK_ROWS;
pub use document::{Format, MAX_POLICY_BYTES};
pub use model::{
    Action, Anonymization, ColumnPolicy, DefaultAction, FpeKind, Policy, MAX_POLICY_COLUMNS, MAX_POLICY_RECIPIENTS,
};
pub use package::{
    open_package_file, OpenedPackage, ShareOptions, Shared, MAX_PACKAGE_REPORT_BYTES, PACKAGE_CONTENT_TYPE,
    PACKAGE_CONTENT_TYPE_JSONL, PACKAGE_CONTENT_TYPE_PARQUET,
};
pub use plan::Plan;
pub use report::{ColumnReport, Report};

use crate::{Error, ErrorKind};

/// One thing wrong with a policy (or with a policy against the data or the keyset).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// One-based line in a TOML policy, when known.
    pub line: Option<u64>,
    /// Dotted key path (`columns.age`), empty for the whole document.
    pub path: String,
    /// What is wrong and what to do.
    pub message: String,
}

impl Problem {
    pub(crate) fn new(line: Option<u64>, path: &str, message: impl Into<String>) -> Problem {
        Problem { line, path: path.to_string(), message: message.into() }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// One `Policy` error for a list of problems: the message lists them all, the details hold them
/// as JSON (`[{"line": 3, "path": "version", "message": "..."}]`).
pub(crate) fn problems_error(problems: &[Problem]) -> Error {
    let n = problems.len();
    let list: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    let noun = if n == 1 { "problem" } else { "problems" };
    Error::new(ErrorKind::Policy, format!("the policy has {n} {noun}:\n  {}", list.join("\n  ")))
        .with_details(serde_json::to_string(problems).unwrap_or_default())
}
