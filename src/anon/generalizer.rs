//! The released form of a record under one full-domain transformation: the chosen level of each
//! quasi-identifier and the released classes. It holds the hierarchies' lookup tables and one key
//! per released class, never a row, so it can be computed once (on a driver, or in the first
//! pass over a file) and applied row by row anywhere else. The in-memory output is built through
//! the same key and lookup, so both paths release the same labels.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;
use std::sync::{Arc, OnceLock};

use super::classes::{Classes, KeyHasher};
use super::encode::Encoded;
use super::hierarchy::Hierarchy;
use crate::{Error, ErrorKind, Result};

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
