//! The released form of a record under one full-domain transformation: the chosen level of each
//! quasi-identifier and the released classes. It holds the hierarchies' lookup tables and one key
//! per released class, never a row, so it can be computed once (on a driver, or in the first
//! pass over a file) and applied row by row anywhere else. The in-memory output is built through
//! the same key and lookup, so both paths release the same labels.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;
use std::sync::{Arc, OnceLock};

use super::classes::{Classes, KeyHasher};
use super::encode::{bits_for, level_codes, Encoded};
use super::hierarchy::Hierarchy;
use crate::{Error, ErrorKind, Result, Values};

/// One quasi-identifier at its chosen level.
#[derive(Clone, Debug)]
struct Column {
    name: String,
    hierarchy: Arc<Hierarchy>,
    level: usize,
    /// Code at `level` of each hierarchy row.
    gen: Vec<u32>,
    /// Hierarchy row that carries the label of each code at `level`.
    label_row: Vec<u32>,
    /// Hierarchy rows sorted by value, to find a value's row: built on the first call to
    /// [`Generalizer::generalize`] (the in-memory output never needs it, and for a hierarchy of
    /// millions of rows it costs a sort).
    by_value: OnceLock<Vec<u32>>,
    shift: u32,
}

impl Column {
    fn value(&self, row: u32) -> &str {
        &self.hierarchy.rows()[row as usize][0]
    }

    /// The hierarchy row of a value.
    fn row(&self, v: &str) -> Option<u32> {
        let sorted = self.by_value.get_or_init(|| {
            let mut rows: Vec<u32> = (0..self.hierarchy.rows().len() as u32).collect();
            rows.sort_unstable_by(|&a, &b| self.value(a).cmp(self.value(b)));
            rows
        });
        sorted.binary_search_by(|&r| self.value(r).cmp(v)).ok().map(|i| sorted[i])
    }

    fn label(&self, code: u32) -> &str {
        &self.hierarchy.rows()[self.label_row[code as usize] as usize][self.level]
    }
}

/// Turns records into their released form: quasi-identifiers generalized to the chosen levels,
/// or `*` in every quasi-identifier when the record's class is suppressed.
///
/// It keeps the classes that were *released* rather than those suppressed: a record whose class
/// the search never saw (a row that was not counted) comes out suppressed, so the generalizer
/// cannot release a class nobody checked. It shares the hierarchies of the search and adds 8
/// bytes per hierarchy row and per released class, whatever the number of records (12 per row
/// once [`Generalizer::generalize`] has been called).
#[derive(Clone, Debug)]
pub struct Generalizer {
    columns: Vec<Column>,
    names: Vec<String>,
    levels: Vec<usize>,
    /// Packed keys of the released classes, sorted.
    released: Vec<u64>,
}

impl Generalizer {
    /// The generalizer of the node whose classes are `classes`, of which `pass` are released.
    pub(crate) fn new(enc: &Encoded, classes: &Classes, pass: &[bool]) -> Generalizer {
        let columns: Vec<Column> = enc
            .qis
            .iter()
            .zip(&classes.levels)
            .map(|(q, &level)| Column {
                name: q.name.clone(),
                hierarchy: q.hierarchy.clone(),
                level,
                gen: q.gen[level].clone(),
                label_row: q.label_row[level].clone(),
                by_value: OnceLock::new(),
                shift: q.shift,
            })
            .collect();
        let mut released: Vec<u64> = classes.keys.iter().zip(pass).filter(|(_, &p)| p).map(|(&k, _)| k).collect();
        released.sort_unstable();
        Generalizer {
            names: columns.iter().map(|c| c.name.clone()).collect(),
            levels: classes.levels.clone(),
            columns,
            released,
        }
    }

    /// The quasi-identifiers, in the order [`Generalizer::generalize`] takes and returns them.
    pub fn columns(&self) -> &[String] {
        &self.names
    }

    /// The generalization level of each quasi-identifier.
    pub fn levels(&self) -> &[usize] {
        &self.levels
    }

    /// Number of released classes.
    pub fn released_classes(&self) -> usize {
        self.released.len()
    }

    /// The released quasi-identifiers of one record, given its quasi-identifier values in
    /// [`Generalizer::columns`] order: each value's label at its level, or `*` for every one when
    /// the record's class is suppressed (or was never counted).
    ///
    /// Errors: a number of values other than the number of quasi-identifiers (`InvalidArgument`);
    /// a value missing from its hierarchy (`InvalidInput`, naming the column).
    pub fn generalize(&self, record: &[&str]) -> Result<Vec<String>> {
        if record.len() != self.columns.len() {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("{} values for {} quasi-identifiers", record.len(), self.columns.len()),
            ));
        }
        let mut codes = Vec::with_capacity(self.columns.len());
        for (c, v) in self.columns.iter().zip(record) {
            let Some(row) = c.row(v) else {
                return Err(Error::new(ErrorKind::InvalidInput, "value is missing from the hierarchy")
                    .at_column(c.name.clone()));
            };
            codes.push(c.gen[row as usize]);
        }
        let key = self.columns.iter().zip(&codes).fold(0u64, |k, (c, &code)| k | (code as u64) << c.shift);
        Ok(if self.is_released(key) {
            self.columns.iter().zip(codes).map(|(c, code)| c.label(code).to_string()).collect()
        } else {
            vec!["*".to_string(); self.columns.len()]
        })
    }

    /// The packed class key of a record given the hierarchy row of each of its values.
    #[inline]
    pub(crate) fn key(&self, row: impl Fn(usize) -> usize) -> u64 {
        self.columns.iter().enumerate().fold(0u64, |k, (j, c)| k | (c.gen[row(j)] as u64) << c.shift)
    }

    /// Whether the class with this key is released.
    #[inline]
    pub(crate) fn is_released(&self, key: u64) -> bool {
        self.released.binary_search(&key).is_ok()
    }
}

/// Longest [`Generalizer::to_json`] text [`Generalizer::from_json`] reads, in bytes.
pub const MAX_GENERALIZER_JSON_BYTES: usize = 1 << 30;

const FORMAT: &str = "privshare-generalizer";

/// The serialized form: each quasi-identifier with its level and whole hierarchy, and each
/// released class as its labels.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Stored {
    format: String,
    version: u32,
    columns: Vec<StoredColumn>,
    released: Vec<Vec<String>>,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredColumn {
    name: String,
    level: usize,
    hierarchy: Vec<Vec<String>>,
}

fn bad(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidArgument, format!("generalizer: {}", message.into()))
}

impl Generalizer {
    /// The generalizer as JSON (version 1), to rebuild with [`Generalizer::from_json`] elsewhere.
    /// It holds the hierarchies and the released classes' labels: no record.
    ///
    /// ```
    /// use privshare::anon::{Anonymizer, Config, Generalizer, Hierarchy, PrivacyModel, Table};
    /// let table = Table::from_columns(vec![("age".to_string(), vec!["31", "32", "38", "47"])])?;
    /// let ages = Hierarchy::intervals(&["31", "32", "38", "47"], 0.0, &[10.0])?;
    /// let config = Config::new().quasi_identifier("age", ages).model(PrivacyModel::KAnonymity { k: 2 })
    ///     .suppression_limit(0.25);
    /// let result = Anonymizer::new(&table, &config)?.apply(&[1])?; // intervals of 10 years
    /// let json = result.generalizer.expect("a full-domain result").to_json();
    /// let shipped = Generalizer::from_json(&json)?;
    /// assert_eq!(shipped.generalize(&["32"])?, ["[30, 40)"]);
    /// assert_eq!(shipped.generalize(&["47"])?, ["*"]); // its class was suppressed
    /// # Ok::<(), privshare::Error>(())
    /// ```
    pub fn to_json(&self) -> String {
        let columns = self
            .columns
            .iter()
            .map(|c| StoredColumn { name: c.name.clone(), level: c.level, hierarchy: c.hierarchy.rows().to_vec() })
            .collect();
        let released = self
            .released
            .iter()
            .map(|&key| {
                self.columns
                    .iter()
                    .map(|c| {
                        let mask = (1u64 << bits_for(c.gen.len())) - 1;
                        c.label(((key >> c.shift) & mask) as u32).to_string()
                    })
                    .collect()
            })
            .collect();
        let stored = Stored { format: FORMAT.into(), version: 1, columns, released };
        serde_json::to_string(&stored).expect("a generalizer serializes")
    }

    /// Rebuilds a generalizer from [`Generalizer::to_json`], checking everything: the format and
    /// version, each hierarchy (as [`Hierarchy::from_rows`]), each level within its hierarchy,
    /// distinct column names, and each released class (one known label at its level per column,
    /// listed once). Any failure is an `InvalidArgument` error naming the column or class.
    pub fn from_json(json: &str) -> Result<Generalizer> {
        if json.len() > MAX_GENERALIZER_JSON_BYTES {
            return Err(bad(format!("longer than the limit of {MAX_GENERALIZER_JSON_BYTES} bytes")));
        }
        let stored: Stored =
            serde_json::from_str(json).map_err(|e| Error::json(ErrorKind::InvalidArgument, "generalizer", &e))?;
        if stored.format != FORMAT || stored.version != 1 {
            return Err(bad(format!("not a {FORMAT} of version 1")));
        }
        if stored.columns.is_empty() {
            return Err(bad("no quasi-identifier"));
        }
        let mut columns: Vec<Column> = Vec::with_capacity(stored.columns.len());
        let mut shift = 0u32;
        for s in stored.columns {
            if columns.iter().any(|c| c.name == s.name) {
                return Err(bad("column listed twice").at_column(s.name));
            }
            let hierarchy = Hierarchy::from_rows(s.hierarchy).map_err(|e| bad(e.message()).at_column(&s.name))?;
            if s.level > hierarchy.height() {
                return Err(bad(format!("level {} above the hierarchy's height {}", s.level, hierarchy.height()))
                    .at_column(s.name));
            }
            // Codes numbered as the encoding numbers them.
            let (gen, label_row) = level_codes(hierarchy.rows(), s.level);
            let bits = bits_for(hierarchy.rows().len());
            if shift + bits > 64 {
                return Err(bad("quasi-identifier domains are too large to pack into 64 bits").at_column(s.name));
            }
            columns.push(Column {
                name: s.name,
                hierarchy: Arc::new(hierarchy),
                level: s.level,
                gen,
                label_row,
                by_value: OnceLock::new(),
                shift,
            });
            shift += bits;
        }
        let index: Vec<HashMap<&str, u32>> = columns
            .iter()
            .map(|c| c.label_row.iter().enumerate().map(|(code, &row)| (c.label(code as u32), row)).collect())
            .collect();
        let mut released = Vec::with_capacity(stored.released.len());
        for (i, labels) in stored.released.iter().enumerate() {
            if labels.len() != columns.len() {
                return Err(bad(format!(
                    "released class {i} has {} labels for {} columns",
                    labels.len(),
                    columns.len()
                )));
            }
            let mut key = 0u64;
            for ((c, index), label) in columns.iter().zip(&index).zip(labels) {
                let Some(&row) = index.get(label.as_str()) else {
                    return Err(bad(format!("released class {i}: no such label at level {}", c.level))
                        .at_column(c.name.clone()));
                };
                key |= (c.gen[row as usize] as u64) << c.shift;
            }
            released.push(key);
        }
        released.sort_unstable();
        if released.windows(2).any(|w| w[0] == w[1]) {
            return Err(bad("a released class is listed twice"));
        }
        drop(index);
        Ok(Generalizer {
            names: columns.iter().map(|c| c.name.clone()).collect(),
            levels: columns.iter().map(|c| c.level).collect(),
            columns,
            released,
        })
    }

    /// [`Generalizer::generalize`] for columns of quasi-identifier values (`columns[j]` the
    /// values of [`Generalizer::columns`]`[j]`, all of one length): the released columns, whose
    /// labels are borrowed from the hierarchies (`*` for a suppressed record). Errors as
    /// [`Generalizer::generalize`], naming the column and the row.
    pub fn generalize_columns<V: Values + ?Sized>(&self, columns: &[&V]) -> Result<Vec<Vec<&str>>> {
        if columns.len() != self.columns.len() {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("{} columns for {} quasi-identifiers", columns.len(), self.columns.len()),
            ));
        }
        let rows = columns[0].count();
        if let Some((j, c)) = columns.iter().enumerate().find(|(_, c)| c.count() != rows) {
            return Err(Error::new(ErrorKind::InvalidArgument, format!("{} values, not {rows}", c.count()))
                .at_column(self.names[j].clone()));
        }
        let mut releaser = Releaser::new(self);
        let mut out: Vec<Vec<&str>> = (0..columns.len()).map(|_| Vec::with_capacity(rows)).collect();
        let mut record: Vec<&str> = vec![""; columns.len()];
        for r in 0..rows {
            for (j, v) in record.iter_mut().enumerate() {
                *v = columns[j].text(r).ok_or_else(|| {
                    Error::new(ErrorKind::NotUtf8, "value is not UTF-8")
                        .at_column(self.names[j].clone())
                        .at_row(r as u64)
                })?;
            }
            let released = releaser.classify(|j| record[j]).map_err(|e| e.at_row(r as u64))?;
            for (j, o) in out.iter_mut().enumerate() {
                o.push(if released { releaser.label(j) } else { "*" });
            }
        }
        Ok(out)
    }
}

/// [`Generalizer::generalize`] for a stream of records (the second pass over a file): each value
/// is found by hashing rather than by binary search (a few cache misses instead of twenty), the
/// released classes are a hash set, and nothing is allocated per record: the labels are borrowed
/// from the hierarchies.
pub(crate) struct Releaser<'g> {
    generalizer: &'g Generalizer,
    /// Per quasi-identifier: value -> code at its level.
    index: Vec<HashMap<&'g str, u32, BuildHasherDefault<KeyHasher>>>,
    released: HashSet<u64, BuildHasherDefault<KeyHasher>>,
    /// Codes of the last record classified.
    codes: Vec<u32>,
}

impl<'g> Releaser<'g> {
    pub fn new(generalizer: &'g Generalizer) -> Releaser<'g> {
        let index = generalizer
            .columns
            .iter()
            .map(|c| c.hierarchy.rows().iter().zip(&c.gen).map(|(r, &code)| (r[0].as_str(), code)).collect())
            .collect();
        Releaser {
            generalizer,
            index,
            released: generalizer.released.iter().copied().collect(),
            codes: vec![0; generalizer.columns.len()],
        }
    }

    /// Finds the codes of a record given its quasi-identifier values (`value(j)`, in
    /// [`Generalizer::columns`] order) and tells whether its class is released; the labels are
    /// then [`Releaser::label`]. Errors as [`Generalizer::generalize`].
    pub fn classify<'v>(&mut self, value: impl Fn(usize) -> &'v str) -> Result<bool> {
        let mut key = 0u64;
        for (j, (c, index)) in self.generalizer.columns.iter().zip(&self.index).enumerate() {
            let Some(&code) = index.get(value(j)) else {
                return Err(Error::new(ErrorKind::InvalidInput, "value is missing from the hierarchy")
                    .at_column(c.name.clone()));
            };
            self.codes[j] = code;
            key |= (code as u64) << c.shift;
        }
        Ok(self.released.contains(&key))
    }

    /// The label of quasi-identifier `j` of the last record classified.
    pub fn label(&self, j: usize) -> &'g str {
        self.generalizer.columns[j].label(self.codes[j])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::anon::{Anonymizer, Config, PrivacyModel, Table};

    /// age at level 1 with the class `[40, 50)` suppressed, sex at level 0.
    fn generalizer() -> Generalizer {
        let ages = ["31", "32", "38", "47", "33", "36"];
        let sexes = ["F", "F", "M", "F", "M", "M"];
        let table =
            Table::from_columns(vec![("age".to_string(), ages.to_vec()), ("sex".to_string(), sexes.to_vec())]).unwrap();
        let config = Config::new()
            .quasi_identifier("age", Hierarchy::intervals(&ages, 0.0, &[10.0]).unwrap())
            .quasi_identifier("sex", Hierarchy::flat(&["F", "M"]).unwrap())
            .model(PrivacyModel::KAnonymity { k: 2 })
            .suppression_limit(0.2);
        Anonymizer::new(&table, &config).unwrap().apply(&[1, 0]).unwrap().generalizer.unwrap()
    }

    fn stored(g: &Generalizer) -> serde_json::Value {
        serde_json::from_str(&g.to_json()).unwrap()
    }

    #[test]
    fn round_trips_through_json() {
        let g = generalizer();
        assert_eq!(g.levels(), [1, 0]);
        let json = g.to_json();
        let v = stored(&g);
        assert_eq!(v["released"], serde_json::json!([["[30, 40)", "F"], ["[30, 40)", "M"]]));
        let back = Generalizer::from_json(&json).unwrap();
        assert_eq!((back.columns(), back.levels(), back.to_json()), (g.columns(), g.levels(), json));
        for record in [["31", "F"], ["47", "F"], ["36", "M"]] {
            assert_eq!(back.generalize(&record).unwrap(), g.generalize(&record).unwrap());
        }
        assert_eq!(back.generalize(&["47", "F"]).unwrap(), ["*", "*"]);
        let columns = [vec!["31", "47"], vec!["F", "F"]];
        assert_eq!(back.generalize_columns(&[&columns[0], &columns[1]]).unwrap(), [["[30, 40)", "*"], ["F", "*"]]);
    }

    /// Every kind of bad input is a clear `InvalidArgument` error, never a panic.
    #[test]
    fn bad_json_is_refused() {
        let g = stored(&generalizer());
        let edit = |f: &dyn Fn(&mut serde_json::Value)| {
            let mut v = g.clone();
            f(&mut v);
            Generalizer::from_json(&v.to_string()).unwrap_err()
        };
        let cases: Vec<(Error, &str, Option<&str>)> = vec![
            (Generalizer::from_json("{").unwrap_err(), "invalid generalizer", None),
            (Generalizer::from_json("[]").unwrap_err(), "invalid generalizer", None),
            (edit(&|v| v["version"] = 2.into()), "version 1", None),
            (edit(&|v| v["format"] = "other".into()), "version 1", None),
            (edit(&|v| v["extra"] = 1.into()), "unknown field", None),
            (edit(&|v| v["columns"] = serde_json::json!([])), "no quasi-identifier", None),
            (edit(&|v| v["columns"][1]["name"] = "age".into()), "listed twice", Some("age")),
            (edit(&|v| v["columns"][0]["level"] = 5.into()), "above the hierarchy", Some("age")),
            (edit(&|v| v["columns"][1]["hierarchy"] = serde_json::json!([["F", "*"], ["M"]])), "", Some("sex")),
            (edit(&|v| v["columns"][1]["hierarchy"] = serde_json::json!([])), "", Some("sex")),
            (edit(&|v| v["released"][0] = serde_json::json!(["[30, 40)"])), "1 labels for 2", None),
            (edit(&|v| v["released"][0][1] = "X".into()), "no such label", Some("sex")),
            (edit(&|v| v["released"][0][0] = "31".into()), "no such label", Some("age")),
            (edit(&|v| v["released"][1] = v["released"][0].clone()), "listed twice", None),
            (edit(&|v| v["released"] = serde_json::json!("all")), "invalid generalizer", None),
        ];
        for (i, (e, text, column)) in cases.into_iter().enumerate() {
            assert_eq!(e.kind(), ErrorKind::InvalidArgument, "case {i}: {e}");
            assert!(e.message().contains(text), "case {i}: {e}");
            assert_eq!(e.position().column.as_deref(), column, "case {i}: {e}");
        }
        // Domains too large to pack: 2^33 hierarchy rows cannot be written, so 17 columns of
        // 2^4 + 1 rows (5 bits each, 85 in all).
        let rows: Vec<Vec<String>> = (0..17).map(|i| vec![i.to_string(), "*".into()]).collect();
        let columns: Vec<serde_json::Value> =
            (0..13).map(|i| serde_json::json!({"name": format!("c{i}"), "level": 1, "hierarchy": rows})).collect();
        let json = serde_json::json!({"format": FORMAT, "version": 1, "columns": columns, "released": []});
        let e = Generalizer::from_json(&json.to_string()).unwrap_err();
        assert!(e.message().contains("64 bits") && e.position().column.as_deref() == Some("c12"), "{e}");
    }

    #[test]
    fn column_input_errors_name_column_and_row() {
        let g = generalizer();
        let (ages, sexes) = (vec!["31", "32"], vec!["F", "X"]);
        let e = g.generalize_columns(&[&ages, &sexes]).unwrap_err();
        assert_eq!(
            (e.kind(), e.position().column.as_deref(), e.position().row),
            (ErrorKind::InvalidInput, Some("sex"), Some(1))
        );
        let e = g.generalize_columns(&[&ages]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        let short = vec!["F"];
        let e = g.generalize_columns(&[&ages, &short]).unwrap_err();
        assert_eq!((e.kind(), e.position().column.as_deref()), (ErrorKind::InvalidArgument, Some("sex")));
        let bytes: Vec<&[u8]> = vec![b"31", b"3\xff"];
        let e = g.generalize_columns(&[&bytes, &vec![b"F" as &[u8], b"F"]]).unwrap_err();
        assert_eq!(
            (e.kind(), e.position().column.as_deref(), e.position().row),
            (ErrorKind::NotUtf8, Some("age"), Some(1))
        );
    }
}
