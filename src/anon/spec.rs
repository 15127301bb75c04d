//! A configuration as data (JSON through serde) and one-call entry points, for files, the CLI and
//! the language bindings: CSV bytes and a JSON spec in, anonymized CSV and report JSON out
//! ([`anonymize_csv`]); a CSV file too large for memory in, an output file and the report out
//! ([`anonymize_csv_file`]); or a table built from columns in, the anonymized table and report out
//! ([`anonymize_table`]).
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

use super::{
    Anonymized, Anonymizer, AttributeType, Config, Frequencies, FrequencyAnonymizer, Generalized, Hierarchy, Metric,
    PrivacyModel, Table,
};
use crate::{Error, ErrorKind, Result, Values};

/// Longest anonymization spec in JSON, in bytes (hierarchies given in a spec count towards it).
pub const MAX_SPEC_BYTES: usize = 16 << 20;

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
    /// Parses a JSON spec of at most [`MAX_SPEC_BYTES`]; errors name the line.
    pub fn from_json(json: &str) -> Result<ConfigSpec> {
        if json.len() > MAX_SPEC_BYTES {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("anonymization spec is longer than the limit of {MAX_SPEC_BYTES} bytes"),
            ));
        }
        serde_json::from_str(json).map_err(|e| Error::json(ErrorKind::InvalidArgument, "anonymization spec", &e))
    }

    /// Builds the [`Config`], deriving rule-based hierarchies from the table's values.
    pub fn build(&self, table: &Table) -> Result<Config> {
        if let Some(a) = self.attributes.iter().find(|a| a.hierarchy.is_some() && table.column(&a.name).is_none()) {
            return Err(Error::new(ErrorKind::InvalidArgument, "spec names a column that is not in the table")
                .at_column(&a.name));
        }
        self.build_with(
            &|name| table.column(name).map(|c| c.dict.as_slice()),
            // An error's row is a dictionary code; it is reported as the first table row holding it.
            &|e, name, code| {
                let col = table.column(name).expect("values were found");
                let row = col.codes.iter().position(|&c| c as u64 == code).unwrap_or(0);
                table.at_row(Error::new(e.kind(), e.message()), row)
            },
        )
    }

    /// Builds the [`Config`] for anonymizing the file `input` in two passes: Mondrian is refused
    /// (it needs the rows), and the hierarchies derived from a column's values (flat, intervals,
    /// dates, redaction) take them from one extra read of the file; a bad value names its line.
    pub(crate) fn build_for_file(
        &self,
        input: &std::path::Path,
        format: crate::io::records::DataFormat,
    ) -> Result<Config> {
        if self.method == Method::Mondrian {
            return Err(super::frequencies::mondrian_refused());
        }
        let derived: Vec<&str> = self
            .attributes
            .iter()
            .filter(|a| {
                matches!(
                    a.hierarchy,
                    Some(
                        HierarchySpec::Flat
                            | HierarchySpec::Intervals { .. }
                            | HierarchySpec::Dates
                            | HierarchySpec::Redaction { .. }
                    )
                )
            })
            .map(|a| a.name.as_str())
            .collect();
        let distinct = if derived.is_empty() { Vec::new() } else { distinct_values(input, format, &derived)? };
        let find = |name: &str| distinct.iter().find(|d| d.name == name);
        self.build_with(&|name| find(name).map(|d| d.values.as_slice()), &|e, name, index| {
            let line = find(name).and_then(|d| d.lines.get(index as usize)).copied().unwrap_or(0);
            Error::new(e.kind(), e.message()).at_line(line)
        })
    }

    /// Builds the [`Config`] with `values(column)`: the column's distinct values (in any order:
    /// they are sorted), from which rule-based hierarchies are derived; `at(error, column, index)`
    /// gives an error about the `index`-th of those values its position in the data.
    fn build_with<'v>(
        &self,
        values: &dyn Fn(&str) -> Option<&'v [String]>,
        at: &dyn Fn(Error, &str, u64) -> Error,
    ) -> Result<Config> {
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
            // Only the hierarchies derived from the data need its values. They are sorted, so
            // that a derived hierarchy does not depend on the order of the rows: a table, a file
            // and a Spark group-by give the same hierarchy, and the same figures to the last bit.
            let order = std::cell::OnceCell::new();
            let values = || -> Result<Vec<&String>> {
                let v = values(&a.name).ok_or_else(|| {
                    Error::new(ErrorKind::InvalidArgument, "spec names a column that is not in the table")
                        .at_column(&a.name)
                })?;
                let order = order.get_or_init(|| {
                    let mut order: Vec<usize> = (0..v.len()).collect();
                    order.sort_unstable_by(|&x, &y| v[x].cmp(&v[y]));
                    order
                });
                Ok(order.iter().map(|&i| &v[i]).collect())
            };
            // The builders name a bad value by its index among the sorted `values`.
            let at_table_row = |e: Error| match (e.position().row, order.get()) {
                (Some(index), Some(order)) if matches!(h, HierarchySpec::Intervals { .. } | HierarchySpec::Dates) => {
                    at(e, &a.name, order[index as usize] as u64)
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
                HierarchySpec::Flat => Hierarchy::flat(&values()?),
                HierarchySpec::Intervals { origin, widths } => Hierarchy::intervals(&values()?, *origin, widths),
                HierarchySpec::Dates => Hierarchy::dates(&values()?),
                HierarchySpec::Redaction { keep } => Hierarchy::redaction(&values()?, keep),
                HierarchySpec::OrderedGroups { order, sizes } => Hierarchy::ordered_groups(order, sizes),
            }
            .map_err(|e| at_table_row(e).at_column(&a.name))?;
            c = c.hierarchy(&a.name, h);
        }
        Ok(c)
    }
}

/// Anonymizes CSV bytes (header row, `delimiter`) as the JSON `spec` says; returns the output CSV
/// (same delimiter) and the report as JSON. Identifying columns to drop are never loaded.
pub fn anonymize_csv(csv: &[u8], delimiter: u8, spec: &str) -> Result<(Vec<u8>, String)> {
    let mut spec = ConfigSpec::from_json(spec)?;
    let dropped: std::collections::HashSet<String> = spec
        .attributes
        .iter()
        .filter(|a| spec.drop_identifying && a.role == AttributeType::Identifying)
        .map(|a| a.name.clone())
        .collect();
    let table = Table::from_csv_selected(csv, delimiter, |c| !dropped.contains(c))?;
    spec.attributes.retain(|a| !dropped.contains(&a.name));
    let result = anonymize_table(&table, &spec)?;
    let mut out = Vec::new();
    result.table.write_csv(&mut out, delimiter)?;
    Ok((out, result.report.to_json()))
}

/// [`anonymize_csv`] for a CSV file too large for memory, through
/// [`anonymize_csv_file`](super::anonymize_csv_file): the optimal search only (Mondrian needs the
/// rows), the output written to `output` (whole, or not at all), the report returned as JSON. When
/// the spec derives a hierarchy from a column's values (flat, intervals, dates, redaction), a first
/// read collects those columns' distinct values, so the file is read three times instead of two.
pub fn anonymize_csv_file(
    input: impl AsRef<std::path::Path>,
    output: impl AsRef<std::path::Path>,
    delimiter: u8,
    spec: &str,
) -> Result<String> {
    let input = input.as_ref();
    let config =
        ConfigSpec::from_json(spec)?.build_for_file(input, crate::io::records::DataFormat::Csv { delimiter })?;
    Ok(super::anonymize_csv_file(input, output, delimiter, &config)?.to_json())
}

/// The optimal search on counts made elsewhere, e.g. by Spark's group-by: `header` names the
/// data's columns in order; `counted` holds, for each quasi-identifier and sensitive attribute
/// of the spec, its name and its value in each distinct combination; `counts[i]` is the number of
/// records of combination `i` (combinations may repeat: they add up). Returns the report and the
/// [`Generalizer`](super::Generalizer) that [`anonymize_table`] would give for those records, the
/// optimal search only (Mondrian needs the rows: `InvalidArgument`). Hierarchies derived from
/// values (flat, intervals, dates, redaction) are built from the counted values.
///
/// ```
/// use privshare::anon::spec::{anonymize_counts, ConfigSpec};
/// let spec = ConfigSpec::from_json(r#"{
///   "attributes": [{"name": "age", "role": "quasi_identifying",
///                   "hierarchy": {"type": "intervals", "origin": 0, "widths": [10]}}],
///   "models": [{"model": "k_anonymity", "k": 3}]
/// }"#)?;
/// // SELECT age, count(*) ... GROUP BY age
/// let ages = ["31", "38", "32"];
/// let result = anonymize_counts(&spec, &["name", "age"], &[("age", &ages)], &[1, 1, 2])?;
/// assert_eq!(result.report.records, 4);
/// assert_eq!(result.generalizer.generalize(&["38"])?, ["[30, 40)"]);
/// # Ok::<(), privshare::Error>(())
/// ```
pub fn anonymize_counts<S: AsRef<str>>(
    spec: &ConfigSpec,
    header: &[S],
    counted: &[(&str, &dyn Values)],
    counts: &[u64],
) -> Result<Generalized> {
    if spec.method == Method::Mondrian {
        return Err(super::frequencies::mondrian_refused());
    }
    let arg = |m: String| Error::new(ErrorKind::InvalidArgument, m);
    let mut texts: Vec<(&str, Vec<&str>)> = Vec::with_capacity(counted.len());
    for &(name, values) in counted {
        if values.count() != counts.len() {
            return Err(arg(format!("{} values for {} counts", values.count(), counts.len())).at_column(name));
        }
        let column = (0..values.count())
            .map(|i| {
                values.text(i).ok_or_else(|| {
                    Error::new(ErrorKind::NotUtf8, "value is not UTF-8").at_column(name).at_row(i as u64)
                })
            })
            .collect::<Result<Vec<&str>>>()?;
        texts.push((name, column));
    }
    let distinct: Vec<(&str, Vec<String>)> = texts
        .iter()
        .map(|(name, column)| {
            let set: std::collections::HashSet<&str> = column.iter().copied().collect();
            (*name, set.into_iter().map(str::to_string).collect())
        })
        .collect();
    let config = spec
        .build_with(&|name| distinct.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_slice()), &|e, _, _| {
            Error::new(e.kind(), e.message())
        })?;
    let mut frequencies = Frequencies::new(&config, header)?;
    let order = frequencies
        .columns()
        .iter()
        .map(|c| {
            texts.iter().position(|(n, _)| n == c).ok_or_else(|| {
                arg("a quasi-identifier or sensitive attribute is not among the counted columns".into()).at_column(c)
            })
        })
        .collect::<Result<Vec<usize>>>()?;
    let mut record: Vec<&str> = vec![""; order.len()];
    for (i, &n) in counts.iter().enumerate() {
        for (v, &j) in record.iter_mut().zip(&order) {
            *v = texts[j].1[i];
        }
        frequencies.add_records(&record, n)?;
    }
    FrequencyAnonymizer::from_frequencies(frequencies, &config)?.optimal()
}

/// The distinct values of one column, in order of first appearance, with the line of each.
struct Distinct<'a> {
    name: &'a str,
    values: Vec<String>,
    lines: Vec<u64>,
}

/// Reads `input` once for the distinct values of `columns`.
fn distinct_values<'a>(
    input: &std::path::Path,
    format: crate::io::records::DataFormat,
    columns: &[&'a str],
) -> Result<Vec<Distinct<'a>>> {
    // JSON Lines: the columns may be missing from the first record (they are empty where missing),
    // and other keys are not read here.
    let extra: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
    let (mut rdr, header) = crate::io::records::open_table(input, format, &extra, crate::io::jsonl::UnknownKeys::Drop)?;
    let mut found = Vec::with_capacity(columns.len());
    for &name in columns {
        let Some(at) = header.iter().position(|h| h == name) else {
            return Err(
                Error::new(ErrorKind::InvalidArgument, "spec names a column that is not in the table").at_column(name)
            );
        };
        found.push((at, std::collections::HashSet::new(), Distinct { name, values: Vec::new(), lines: Vec::new() }));
    }
    let mut rec = csv::StringRecord::new();
    let mut row = 0u64;
    while let Some(line) = rdr.next_strings(&mut rec).map_err(|e| e.at_row(row))? {
        for (at, seen, d) in &mut found {
            let v = &rec[*at];
            if !seen.contains(v) {
                seen.insert(v.to_string());
                d.values.push(v.to_string());
                d.lines.push(line);
            }
        }
        row += 1;
    }
    Ok(found.into_iter().map(|(_, _, d)| d).collect())
}

/// Anonymizes a table already in memory (e.g. [`Table::from_columns`], for bindings that hold
/// columns) as `spec` says, with the method it names. Identifying columns are dropped by the
/// anonymizer when `spec.drop_identifying` is set, refused otherwise. [`anonymize_csv`] is this
/// over a table read from CSV.
///
/// ```
/// use privshare::anon::{spec::{anonymize_table, ConfigSpec}, Table};
/// let table = Table::from_columns(vec![
///     ("age".to_string(), vec!["31", "32", "33", "38"]),
///     ("disease".to_string(), vec!["flu", "cold", "flu", "cold"]),
/// ])?;
/// let spec = ConfigSpec::from_json(r#"{
///   "attributes": [{"name": "age", "role": "quasi_identifying",
///                   "hierarchy": {"type": "intervals", "origin": 0, "widths": [10]}}],
///   "models": [{"model": "k_anonymity", "k": 4}]
/// }"#)?;
/// let result = anonymize_table(&table, &spec)?;
/// assert_eq!(result.table.column("age").unwrap().value(3), "[30, 40)");
/// assert_eq!(result.table.column("disease").unwrap().value(1), "cold");
/// # Ok::<(), privshare::Error>(())
/// ```
pub fn anonymize_table(table: &Table, spec: &ConfigSpec) -> Result<Anonymized> {
    let config = spec.build(table)?;
    let anonymizer = Anonymizer::new(table, &config)?;
    match spec.method {
        Method::Optimal => anonymizer.optimal(),
        Method::Mondrian => anonymizer.mondrian(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    const CSV: &str = "name;age;zip;disease\nAnn;23;100081;flu\nBob;27;100085;cold\nCid;31;100871;flu\n\
                       Dee;36;100872;gastritis\nEve;38;200030;cold\nFay;44;200031;flu\n";

    fn spec(method: &str) -> String {
        format!(
            r#"{{"attributes": [
                {{"name": "name", "role": "identifying"}},
                {{"name": "age", "role": "quasi_identifying", "hierarchy": {{"type": "intervals", "origin": 0, "widths": [10, 20]}}}},
                {{"name": "zip", "role": "quasi_identifying", "hierarchy": {{"type": "redaction", "keep": [4, 2]}}}},
                {{"name": "disease", "role": "sensitive"}}],
              "models": [{{"model": "k_anonymity", "k": 2}}], "drop_identifying": true, "method": "{method}"}}"#
        )
    }

    fn columns() -> Table {
        let rows: Vec<Vec<&str>> = CSV.lines().skip(1).map(|l| l.split(';').collect()).collect();
        let names = CSV.lines().next().unwrap().split(';');
        Table::from_columns(
            names.enumerate().map(|(i, n)| (n.to_string(), rows.iter().map(|r| r[i]).collect())).collect(),
        )
        .unwrap()
    }

    /// The report without its wall time, which differs from run to run.
    fn timeless(report: &str) -> serde_json::Value {
        let mut v: serde_json::Value = serde_json::from_str(report).unwrap();
        v.as_object_mut().unwrap().remove("search_ms");
        v
    }

    #[test]
    fn a_file_in_two_passes_gives_what_csv_gives() {
        let dir = std::env::temp_dir().join(format!("privshare-spec-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (input, output) = (dir.join("in.csv"), dir.join("out.csv"));
        std::fs::write(&input, CSV).unwrap();
        let (csv_out, csv_report) = anonymize_csv(CSV.as_bytes(), b';', &spec("optimal")).unwrap();
        let report = anonymize_csv_file(&input, &output, b';', &spec("optimal")).unwrap();
        assert_eq!(std::fs::read(&output).unwrap(), csv_out);
        assert_eq!(timeless(&report), timeless(&csv_report));
        // Mondrian needs the rows; a bad value for a derived hierarchy names its line.
        let e = anonymize_csv_file(&input, &output, b';', &spec("mondrian")).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        std::fs::write(&input, CSV.replace("Eve;38", "Eve;old")).unwrap();
        let e = anonymize_csv_file(&input, &output, b';', &spec("optimal")).unwrap_err();
        assert_eq!((e.position().line, e.position().column.as_deref()), (Some(6), Some("age")));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn table_from_columns_gives_what_csv_gives() {
        for method in ["optimal", "mondrian"] {
            let (csv_out, csv_report) = anonymize_csv(CSV.as_bytes(), b';', &spec(method)).unwrap();
            let result = anonymize_table(&columns(), &ConfigSpec::from_json(&spec(method)).unwrap()).unwrap();
            let mut out = Vec::new();
            result.table.write_csv(&mut out, b';').unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), String::from_utf8(csv_out.clone()).unwrap(), "{method}");
            assert!(!String::from_utf8(csv_out).unwrap().contains("Ann"), "identifying column dropped");
            assert_eq!(timeless(&result.report.to_json()), timeless(&csv_report), "{method}");
        }
    }

    #[test]
    fn identifying_column_in_a_table_is_refused_unless_dropped() {
        let keep = spec("optimal").replace(r#""drop_identifying": true"#, r#""drop_identifying": false"#);
        let e = anonymize_table(&columns(), &ConfigSpec::from_json(&keep).unwrap()).unwrap_err();
        assert_eq!((e.kind(), e.position().column.as_deref()), (ErrorKind::InvalidArgument, Some("name")));
    }

    #[test]
    fn from_columns_refuses_ragged_repeated_and_empty_names() {
        let col = |n: &str, v: &[&'static str]| (n.to_string(), v.to_vec());
        let e = Table::from_columns(vec![col("a", &["1", "2"]), col("b", &["1"])]).unwrap_err();
        assert_eq!((e.kind(), e.position().column.as_deref()), (ErrorKind::InvalidInput, Some("b")));
        assert!(e.message().contains("1 values, the first column 2"), "{}", e.message());
        let e = Table::from_columns(vec![col("a", &["1"]), col("a", &["2"])]).unwrap_err();
        assert_eq!((e.kind(), e.position().column.as_deref()), (ErrorKind::InvalidInput, Some("a")));
        let e = Table::from_columns(vec![col("a", &["1"]), col("", &["2"])]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(e.message().contains("column name 1 is empty"));
        let empty: Vec<(String, Vec<&str>)> = Vec::new();
        assert_eq!(Table::from_columns(empty).unwrap().rows(), 0);
    }
}
