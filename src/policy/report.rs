//! What applying a policy did: per column the action, its key version and how many values it
//! could not take; the anonymization report of the `generalize` columns.

use std::fmt::Write as _;

use serde::Serialize;

/// What was done to one column.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ColumnReport {
    /// The column's name.
    pub name: String,
    /// The action (`keep`, `encrypt`, ..., `dropped by default` for unnamed columns).
    pub action: String,
    /// The scheme, rule or hierarchy.
    pub detail: Option<String>,
    /// The key version it used.
    pub key_version: Option<u32>,
    /// Values the action could not take (handled as `on_invalid` says).
    pub invalid: u64,
    /// What happened to those values: `error`, `null` or `keep_marked`.
    pub on_invalid: String,
    /// JSON Lines records where the column was `null` or missing (left as they were).
    #[serde(skip_serializing_if = "is_zero")]
    pub absent: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// What [`Plan::protect_csv_file`](super::Plan::protect_csv_file) did.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// The policy's name.
    pub policy: String,
    /// Its version.
    pub policy_version: u32,
    /// The digest of its text in the suite's hash (SHA-256 or SM3), in hex.
    pub policy_hash: String,
    /// The dataset the values are bound to.
    pub dataset: String,
    /// Rows read and written.
    pub rows: u64,
    /// Every column of the input, in order.
    pub columns: Vec<ColumnReport>,
    /// The anonymization of the `generalize` columns.
    pub anonymization: Option<crate::anon::Report>,
}

impl Report {
    /// The report as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("the report serializes")
    }

    /// A summary for people.
    pub fn summary(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "Policy {} version {} on dataset {}: {} rows",
            self.policy, self.policy_version, self.dataset, self.rows
        );
        let width = self.columns.iter().map(|c| c.name.chars().count()).max().unwrap_or(0);
        for c in &self.columns {
            let _ = write!(s, "  {:<width$}  {}", c.name, c.action);
            if let Some(d) = &c.detail {
                let _ = write!(s, " ({d})");
            }
            if let Some(v) = c.key_version {
                let _ = write!(s, ", key version {v}");
            }
            if c.invalid > 0 {
                let _ = write!(s, ", {} invalid values ({})", c.invalid, c.on_invalid);
            }
            if c.absent == self.rows && self.rows > 0 {
                let _ = write!(s, ", absent from every record");
            } else if c.absent > 0 {
                let _ = write!(s, ", absent from {} records", c.absent);
            }
            s.push('\n');
        }
        if let Some(a) = &self.anonymization {
            s.push_str(&a.summary());
        }
        s
    }
}
