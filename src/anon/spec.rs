//! A configuration as data (JSON through serde) and a one-call entry point, for files, the CLI and
//! the language bindings (CSV bytes and a JSON spec in; anonymized CSV and report JSON out).
//!
//! ```
//! use privshare::anon::spec::anonymize_csv;
//! let csv = b"age;sex;disease\n31;F;flu\n32;F;cold\n33;M;flu\n38;M;cold\n";
//! let spec = r#"{
//!   "attributes": [
//!     {"name": "age", "role": "quasi_identifying", "hierarchy": {"type": "intervals", "origin": 0, "widths": [5, 10]}},
//!     {"name": "sex", "role": "quasi_identifying"},
//!     {"name": "disease", "role": "sensitive"}
//!   ],
//!   "models": [{"model": "k_anonymity", "k": 2}],
//!   "metric": {"metric": "loss", "aggregate": "arithmetic"}
//! }"#;
//! let (out, report) = anonymize_csv(csv, b';', spec)?;
//! assert!(String::from_utf8(out).unwrap().starts_with("age;sex;disease\n[30, 40);F;"));
//! assert!(report.contains("\"suppressed\": 0"));
//! # Ok::<(), privshare::Error>(())
//! ```

use super::{Anonymizer, AttributeType, Config, Hierarchy, Metric, PrivacyModel, Table};
use crate::{Error, ErrorKind, Result};

/// How to build a hierarchy.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum HierarchySpec {
    /// Explicit rows `[value, level1, ..., top]`.
    Rows {
        /// The rows.
        rows: Vec<Vec<String>>,
    },
    /// ARX's CSV text.
    Csv {
        /// The CSV text.
        text: String,
        /// Field delimiter (default `;`).
        #[serde(default = "semicolon")]
        delimiter: char,
    },
    /// Value → `*`.
    Flat,
    /// Numeric intervals ([`Hierarchy::intervals`]) over the column's values.
    Intervals {
        /// Start of the first interval.
        origin: f64,
        /// Width per level.
        widths: Vec<f64>,
    },
    /// Dates `YYYY-MM-DD` ([`Hierarchy::dates`]).
    Dates,
    /// Prefix redaction ([`Hierarchy::redaction`]).
    Redaction {
        /// Characters kept per level.
        keep: Vec<usize>,
    },
    /// Ordered groups ([`Hierarchy::ordered_groups`]).
    OrderedGroups {
        /// The domain in order.
        order: Vec<String>,
        /// Group size factor per level.
        sizes: Vec<usize>,
    },
}

fn semicolon() -> char {
    ';'
}

/// One attribute of a [`ConfigSpec`].
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AttributeSpec {
    /// Column name.
    pub name: String,
    /// Role.
    pub role: AttributeType,
    /// Hierarchy (quasi-identifiers: default flat; sensitive: only for hierarchical t-closeness).
    #[serde(default)]
    pub hierarchy: Option<HierarchySpec>,
    /// Mondrian treats the column as categorical even if its values are numbers.
    #[serde(default)]
    pub categorical: bool,
}

/// Which algorithm to run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Optimal full-domain generalization with suppression.
    #[default]
    Optimal,
    /// Mondrian local recoding.
    Mondrian,
}

/// A whole configuration as data.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigSpec {
    /// Attributes with roles (columns not listed are insensitive).
    #[serde(default)]
    pub attributes: Vec<AttributeSpec>,
    /// Privacy models.
    #[serde(default)]
    pub models: Vec<PrivacyModel>,
    /// Largest share of records that may be suppressed.
    #[serde(default)]
    pub suppression_limit: f64,
    /// Objective of the optimal search.
    #[serde(default)]
    pub metric: Metric,
    /// Drop identifying columns instead of refusing.
    #[serde(default)]
    pub drop_identifying: bool,
    /// Algorithm.
    #[serde(default)]
    pub method: Method,
    /// Research subset for δ-presence: one flag per data row.
    #[serde(default)]
    pub research_subset: Option<Vec<bool>>,
    /// Risk above which the report counts a record as at risk (default 0.2).
    #[serde(default)]
    pub risk_threshold: Option<f64>,
}

impl ConfigSpec {
    /// Parses a JSON spec.
    pub fn from_json(json: &str) -> Result<ConfigSpec> {
        serde_json::from_str(json).map_err(|e| {
            // serde_json names line and column of the problem, not the data.
            Error::new(ErrorKind::InvalidArgument, format!("invalid anonymization spec: {e}"))
        })
    }

    /// Builds the [`Config`], deriving rule-based hierarchies from the table's values.
    pub fn build(&self, table: &Table) -> Result<Config> {
        let mut c = Config::new()
            .suppression_limit(self.suppression_limit)
            .metric(self.metric)
            .drop_identifying(self.drop_identifying);
        for m in &self.models {
            c = c.model(m.clone());
        }
        if let Some(flags) = &self.research_subset {
            c = c.research_subset(flags.clone());
        }
        if let Some(t) = self.risk_threshold {
            c = c.risk_threshold(t);
        }
        for a in &self.attributes {
            c = c.attribute(&a.name, a.role);
            if a.categorical {
                c = c.categorical(&a.name);
            }
            let Some(h) = &a.hierarchy else { continue };
            let col = table.column(&a.name).ok_or_else(|| {
                Error::new(ErrorKind::InvalidArgument, "spec names a column that is not in the table")
                    .at_column(&a.name)
            })?;
            // Distinct values in dictionary order, so an error's index is a dictionary code; it is
            // reported as the first table row holding that value.
            let values = &col.dict;
            let at_table_row = |e: Error| match e.position().row {
                Some(code) if matches!(h, HierarchySpec::Intervals { .. } | HierarchySpec::Dates) => {
                    let row = col.codes.iter().position(|&c| c as u64 == code).unwrap_or(0);
                    Error::new(e.kind(), e.message()).at_row(row as u64)
                }
                _ => e,
            };
            let h = match h {
                HierarchySpec::Rows { rows } => Hierarchy::from_rows(rows.clone()),
                HierarchySpec::Csv { text, delimiter } => {
                    if !delimiter.is_ascii() {
                        return Err(
                            Error::new(ErrorKind::InvalidArgument, "delimiter must be ASCII").at_column(&a.name)
                        );
                    }
                    Hierarchy::from_csv(text, *delimiter as u8)
                }
                HierarchySpec::Flat => Hierarchy::flat(values),
                HierarchySpec::Intervals { origin, widths } => Hierarchy::intervals(values, *origin, widths),
                HierarchySpec::Dates => Hierarchy::dates(values),
                HierarchySpec::Redaction { keep } => Hierarchy::redaction(values, keep),
                HierarchySpec::OrderedGroups { order, sizes } => Hierarchy::ordered_groups(order, sizes),
            }
            .map_err(|e| at_table_row(e).at_column(&a.name))?;
            c = c.hierarchy(&a.name, h);
        }
        Ok(c)
    }
}

/// Anonymizes CSV bytes (header row, `delimiter`) as the JSON `spec` says; returns the output CSV
/// and the report as JSON. Identifying columns to drop are never loaded.
pub fn anonymize_csv(csv: &[u8], delimiter: u8, spec: &str) -> Result<(Vec<u8>, String)> {
    let spec = ConfigSpec::from_json(spec)?;
    let dropped: Vec<&str> = spec
        .attributes
        .iter()
        .filter(|a| spec.drop_identifying && a.role == AttributeType::Identifying)
        .map(|a| a.name.as_str())
        .collect();
    let table = Table::from_csv_selected(csv, delimiter, |c| !dropped.contains(&c))?;
    let mut spec = spec.clone();
    spec.attributes.retain(|a| !dropped.contains(&a.name.as_str()));
    let config = spec.build(&table)?;
    let anonymizer = Anonymizer::new(&table, &config)?;
    let result = match spec.method {
        Method::Optimal => anonymizer.optimal()?,
        Method::Mondrian => anonymizer.mondrian()?,
    };
    let mut out = Vec::new();
    result.table.write_csv(&mut out, delimiter)?;
    Ok((out, result.report.to_json()))
}
