//! Anonymization from class counts: the number of records of every distinct combination of
//! quasi-identifier (and sensitive) values is all that full-domain generalization reads, it is
//! small next to the rows, and it merges exactly. So partitions (Spark tasks, chunks of a file
//! too large for memory) can be counted apart, merged in any order, and searched once, with the
//! optimum, metrics, risk and report of the in-memory [`Anonymizer`] on the same records. The
//! result is a [`Generalizer`] that releases any row on its own.
//!
//! Mondrian stays in memory: its recoding is local, so it needs the rows, not their counts.

use std::collections::HashMap;
use std::time::Instant;

use super::counts::CountTable;
use super::encode::{self, Parts};
use super::{Anonymizer, Config, DictColumn, Generalizer, Hierarchy, PrivacyModel, Report, SearchOutcome, Table};
use crate::{Error, ErrorKind, Result};

/// Most distinct combinations one [`Frequencies`] holds. A combination whose codes fit in 64 bits
/// costs 20 to 39 bytes (a hash map entry of 16 and the map's spare room; measured: 19.6M
/// combinations of six columns, 548 MB), so the limit is about 300 MB of counts; one that does not
/// fit costs about 85 (a boxed slice). The [`FrequencyAnonymizer`] built on them needs about as much
/// again (measured at 19.6M combinations: 0.6 to 0.9 GB while searching).
pub const MAX_DISTINCT_COMBINATIONS: usize = 10_000_000;

/// Most records a [`FrequencyAnonymizer`] accepts: the search counts class sizes in 32 bits.
/// [`Frequencies`] itself counts in 64 bits.
pub const MAX_COUNTED_RECORDS: u64 = u32::MAX as u64;

pub(crate) fn mondrian_refused() -> Error {
    Error::new(
        ErrorKind::InvalidArgument,
        "Mondrian needs the rows; run it in memory (Anonymizer::new on the table): counts only support \
         full-domain generalization",
    )
}

fn arg(m: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidArgument, m)
}

/// What [`Column::lookup`] finds.
enum Code {
    Known(u32),
    New,
    Missing,
}

/// One counted column and how its values become codes.
#[derive(Clone, Debug)]
struct Column {
    name: String,
    hierarchy: Option<Hierarchy>,
    /// Value -> hierarchy row, when the column has a hierarchy (values outside it are errors).
    leaves: Option<HashMap<String, u32>>,
    /// Codes are hierarchy rows (a quasi-identifier with a hierarchy) rather than positions in
    /// `values` (the others: a quasi-identifier without one, a sensitive attribute).
    by_row: bool,
    values: Vec<String>,
    index: HashMap<String, u32>,
}

impl Column {
    fn new(name: &str, hierarchy: Option<&Hierarchy>, quasi: bool) -> Column {
        let leaves: Option<HashMap<String, u32>> =
            hierarchy.map(|h| h.rows().iter().enumerate().map(|(i, r)| (r[0].clone(), i as u32)).collect());
        Column {
            name: name.to_string(),
            hierarchy: hierarchy.cloned(),
            by_row: quasi && leaves.is_some(),
            leaves,
            values: Vec::new(),
            index: HashMap::new(),
        }
    }

    /// The code of a value, without adding it: a dictionary value not seen yet is `New` (its code
    /// will be `values.len()`), so that a record refused halfway leaves no value behind (an unused
    /// value would widen a flat hierarchy or a sensitive domain, and change the figures).
    fn lookup(&self, v: &str) -> Code {
        let row = match &self.leaves {
            Some(l) => match l.get(v) {
                Some(&r) => r,
                None => return Code::Missing,
            },
            None => 0,
        };
        if self.by_row {
            return Code::Known(row);
        }
        match self.index.get(v) {
            Some(&c) => Code::Known(c),
            None => Code::New,
        }
    }

    /// Adds a value that [`Column::lookup`] found new; returns its code.
    fn add(&mut self, v: &str) -> u32 {
        let c = self.values.len() as u32;
        self.values.push(v.to_string());
        self.index.insert(v.to_string(), c);
        c
    }

    /// The code a value has, or would have once added, without adding it.
    fn peek(&self, v: &str, pending: &mut HashMap<String, u32>) -> u32 {
        if let Some(&c) = self.index.get(v) {
            return c;
        }
        let next = (self.values.len() + pending.len()) as u32;
        *pending.entry(v.to_string()).or_insert(next)
    }

    fn missing(&self) -> Error {
        Error::new(ErrorKind::InvalidInput, "value is missing from the hierarchy").at_column(self.name.clone())
    }
}

/// The number of records of every distinct combination of quasi-identifier and sensitive values
/// under one [`Config`]: what [`FrequencyAnonymizer`] searches. Counted from a [`Table`], row by
/// row, or from counts already aggregated elsewhere (a group-by); merged across partitions.
///
/// Columns: the configuration's quasi-identifiers, then its sensitive attributes, each in the
/// order of the header the frequencies were created with (the order the in-memory path uses for
/// a table with that header); [`Frequencies::columns`] lists them. Memory grows with the number
/// of distinct combinations (at most [`MAX_DISTINCT_COMBINATIONS`]), not with the records.
///
/// ```
/// use privshare::anon::{Config, FrequencyAnonymizer, Frequencies, Hierarchy, PrivacyModel};
/// let ages = Hierarchy::intervals(&["31", "32", "33", "38"], 0.0, &[5.0, 10.0])?;
/// let config = Config::new()
///     .quasi_identifier("age", ages)
///     .quasi_identifier("sex", Hierarchy::flat(&["F", "M"])?)
///     .model(PrivacyModel::KAnonymity { k: 2 });
/// let header = ["age", "sex", "city"];
/// // Two partitions, counted apart (e.g. on two machines), then merged.
/// let mut first = Frequencies::new(&config, &header)?;
/// first.add_row(&["31", "F", "Lyon"])?;
/// first.add_row(&["32", "F", "Nice"])?;
/// let mut second = Frequencies::new(&config, &header)?;
/// second.add_row(&["33", "M", "Lyon"])?;
/// second.add_record(&["38", "M"])?; // the columns of `columns()`: quasi-identifiers, then sensitive
/// first.merge(second)?;
/// assert_eq!((first.records(), first.distinct()), (4, 4));
/// let result = FrequencyAnonymizer::new(&first, &config)?.optimal()?;
/// assert_eq!(result.report.quality.min_class_size, 2);
/// // Any row is released on its own, wherever it is.
/// assert_eq!(result.generalizer.generalize(&["32", "F"])?, ["[30, 40)", "F"]);
/// # Ok::<(), privshare::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Frequencies {
    header: Vec<String>,
    /// Position in `header` of each counted column.
    positions: Vec<usize>,
    names: Vec<String>,
    quasi: usize,
    columns: Vec<Column>,
    counts: CountTable,
    records: u64,
    /// `add_*` calls so far, to name the row of an error.
    calls: u64,
    key: Vec<u32>,
}

impl Frequencies {
    /// Empty frequencies for `config`, for records whose columns are `header` (the column names of
    /// the data in order; other columns are ignored).
    ///
    /// Errors, as [`Anonymizer::new`] would give them for a table with this header: a column the
    /// configuration names is not in the header; an identifying column is (unless dropping is
    /// allowed); no quasi-identifier; a name repeated in the header, or more than
    /// [`MAX_COLUMNS`](crate::io::csv::MAX_COLUMNS) names (`InvalidInput`). δ-presence (a research
    /// subset) is refused: it needs the rows.
    pub fn new<S: AsRef<str>>(config: &Config, header: &[S]) -> Result<Frequencies> {
        if header.len() > crate::io::csv::MAX_COLUMNS {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                format!("{} columns, more than the limit of {}", header.len(), crate::io::csv::MAX_COLUMNS),
            ));
        }
        let header: Vec<String> = header.iter().map(|h| h.as_ref().to_string()).collect();
        let mut seen = std::collections::HashSet::with_capacity(header.len());
        if let Some(name) = header.iter().find(|h| !seen.insert(h.as_str())) {
            return Err(Error::new(ErrorKind::InvalidInput, "column name repeated").at_column(name.clone()));
        }
        let (qis, sensitive) = encode::roles(config, &header, None)?;
        if config.research_subset.is_some()
            || config.models.iter().any(|m| matches!(m, PrivacyModel::DeltaPresence { .. }))
        {
            return Err(arg("δ-presence needs the rows of the research subset; run it in memory (Anonymizer::new)"));
        }
        let names: Vec<String> = qis.iter().chain(&sensitive).cloned().collect();
        let positions = names.iter().map(|n| header.iter().position(|h| h == n).expect("checked by roles")).collect();
        let columns: Vec<Column> =
            names.iter().enumerate().map(|(i, n)| Column::new(n, config.hierarchies.get(n), i < qis.len())).collect();
        // Hierarchy rows are known up front; dictionaries grow as values arrive.
        let widths: Vec<Option<u32>> = columns
            .iter()
            .map(|c| match (&c.hierarchy, c.by_row) {
                (Some(h), true) => Some(encode::bits_for(h.rows().len())),
                _ => None,
            })
            .collect();
        Ok(Frequencies {
            counts: CountTable::new(&widths),
            header,
            positions,
            quasi: qis.len(),
            key: Vec::with_capacity(names.len()),
            names,
            columns,
            records: 0,
            calls: 0,
        })
    }

    /// Counts every row of a table (an empty table gives empty frequencies). A value missing from
    /// its hierarchy is an error naming the column, the first row that holds it and, for a table
    /// read from CSV, its line.
    pub fn from_table(table: &Table, config: &Config) -> Result<Frequencies> {
        let mut f = Frequencies::new(config, table.names())?;
        // Each distinct value of a column is looked up once.
        let mut maps = Vec::with_capacity(f.columns.len());
        for (c, &p) in f.columns.iter_mut().zip(&f.positions) {
            let col = &table.columns()[p];
            let mut map = Vec::with_capacity(col.dict.len());
            for (code, v) in col.dict.iter().enumerate() {
                // Every value of the table's dictionary occurs in some row, so adding it is safe.
                match c.lookup(v) {
                    Code::Known(x) => map.push(x),
                    Code::New => map.push(c.add(v)),
                    Code::Missing => {
                        let row = col.codes.iter().position(|&x| x as usize == code).unwrap_or(0);
                        return Err(table.at_row(c.missing(), row));
                    }
                }
            }
            maps.push((map, &col.codes));
        }
        let mut key = Vec::with_capacity(maps.len());
        for r in 0..table.rows() {
            key.clear();
            key.extend(maps.iter().map(|(map, codes)| map[codes[r] as usize]));
            f.count_slice(&key, 1).map_err(|e| table.at_row(e, r))?;
        }
        f.calls = table.rows() as u64;
        Ok(f)
    }

    /// The counted columns: the quasi-identifiers, then the sensitive attributes.
    pub fn columns(&self) -> &[String] {
        &self.names
    }

    /// The quasi-identifiers (the first columns).
    pub fn quasi_identifiers(&self) -> &[String] {
        &self.names[..self.quasi]
    }

    /// The sensitive attributes (the columns after the quasi-identifiers).
    pub fn sensitive(&self) -> &[String] {
        &self.names[self.quasi..]
    }

    /// The header the frequencies were created with.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// Records counted.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// Distinct combinations counted.
    pub fn distinct(&self) -> usize {
        self.counts.len()
    }

    /// Counts one row given in header order (other columns are ignored). Errors name the row as
    /// the zero-based number of `add_*` calls before it on these frequencies.
    pub fn add_row(&mut self, row: &[&str]) -> Result<()> {
        if row.len() != self.header.len() {
            let e =
                arg(format!("{} values for a header of {} columns", row.len(), self.header.len())).at_row(self.calls);
            self.calls += 1;
            return Err(e);
        }
        self.add_with(|positions, j| row[positions[j]], 1)
    }

    /// [`Frequencies::add_row`] on a CSV record, without collecting its fields.
    pub(crate) fn add_csv_record(&mut self, row: &csv::StringRecord) -> Result<()> {
        if row.len() != self.header.len() {
            let e =
                arg(format!("{} values for a header of {} columns", row.len(), self.header.len())).at_row(self.calls);
            self.calls += 1;
            return Err(e);
        }
        self.add_with(|positions, j| &row[positions[j]], 1)
    }

    /// Counts one record given as the values of [`Frequencies::columns`], in that order.
    pub fn add_record(&mut self, values: &[&str]) -> Result<()> {
        self.add_records(values, 1)
    }

    /// Counts `count` records with the same values (of [`Frequencies::columns`], in that order):
    /// the rows of a group-by. A count of zero adds nothing.
    pub fn add_records(&mut self, values: &[&str], count: u64) -> Result<()> {
        if values.len() != self.columns.len() || count == 0 {
            let row = self.calls;
            self.calls += 1;
            if count == 0 && values.len() == self.columns.len() {
                return Ok(());
            }
            return Err(arg(format!("{} values for {} counted columns", values.len(), self.columns.len())).at_row(row));
        }
        self.add_with(|_, j| values[j], count)
    }

    /// Counts `count` records whose value in counted column `j` is `value(positions, j)` (one
    /// body for a row in header order and for a record in column order, with no allocation per
    /// call: pass 1 of the two-pass path calls it for every row of the file).
    fn add_with<'v>(&mut self, value: impl Fn(&[usize], usize) -> &'v str, count: u64) -> Result<()> {
        let row = self.calls;
        self.calls += 1;
        let mut key = std::mem::take(&mut self.key);
        key.clear();
        // Values new to a dictionary are added only once the record is counted (rare, so they
        // are looked up again then rather than listed for every record).
        let mut fresh = false;
        for (j, c) in self.columns.iter().enumerate() {
            let v = value(&self.positions, j);
            match c.lookup(v) {
                Code::Known(x) => key.push(x),
                Code::New => {
                    key.push(c.values.len() as u32);
                    fresh = true;
                }
                Code::Missing => {
                    self.key = key;
                    return Err(c.missing().at_row(row));
                }
            }
        }
        let out = self.count_slice(&key, count).map_err(|e| e.at_row(row));
        if out.is_ok() && fresh {
            for j in 0..self.columns.len() {
                let v = value(&self.positions, j);
                if matches!(self.columns[j].lookup(v), Code::New) {
                    self.columns[j].add(v);
                }
            }
        }
        self.key = key;
        out
    }

    /// Adds `n` records of the combination `key` (codes), within the limits.
    fn count_slice(&mut self, key: &[u32], n: u64) -> Result<()> {
        let total = self.records.checked_add(n).ok_or_else(too_many_records)?;
        if !self.counts.add(key, n, MAX_DISTINCT_COMBINATIONS) {
            return Err(too_many_combinations());
        }
        self.records = total;
        Ok(())
    }

    /// Adds another partition's counts. The two must have been counted for the same columns
    /// (names, roles, order and hierarchies); otherwise, or when the sum would pass
    /// [`MAX_DISTINCT_COMBINATIONS`] or `u64::MAX` records, it is an `InvalidArgument` error and
    /// `self` is unchanged. Merging is associative and commutative: any order of any split of the
    /// records gives the same counts, and the same anonymization.
    pub fn merge(&mut self, other: Frequencies) -> Result<()> {
        if self.names != other.names || self.quasi != other.quasi {
            return Err(arg(format!(
                "cannot merge frequencies counted for different columns: {:?} (quasi-identifiers {}) and {:?} \
                 (quasi-identifiers {})",
                self.names, self.quasi, other.names, other.quasi
            )));
        }
        for (a, b) in self.columns.iter().zip(&other.columns) {
            if a.hierarchy != b.hierarchy {
                return Err(
                    arg("cannot merge frequencies counted with different hierarchies").at_column(a.name.clone())
                );
            }
        }
        let records = self.records.checked_add(other.records).ok_or_else(too_many_records)?;
        // Codes of the other's dictionaries in ours, without adding anything yet: the merge is
        // checked whole before `self` changes.
        let mut pending: Vec<HashMap<String, u32>> = vec![HashMap::new(); self.columns.len()];
        let maps: Vec<Option<Vec<u32>>> = self
            .columns
            .iter()
            .zip(&other.columns)
            .zip(pending.iter_mut())
            .map(|((a, b), p)| (!a.by_row).then(|| b.values.iter().map(|v| a.peek(v, p)).collect()))
            .collect();
        let remap = |k: &[u32], out: &mut Vec<u32>| {
            out.clear();
            out.extend(k.iter().zip(&maps).map(|(&c, m)| m.as_ref().map_or(c, |m| m[c as usize])));
        };
        let mut key = Vec::with_capacity(self.columns.len());
        let mut new = 0usize;
        other.counts.for_each(|k, _| {
            remap(k, &mut key);
            new += usize::from(!self.counts.contains(&key));
        });
        if self.counts.len() + new > MAX_DISTINCT_COMBINATIONS {
            return Err(too_many_combinations());
        }
        for (c, p) in self.columns.iter_mut().zip(pending) {
            let mut added: Vec<(String, u32)> = p.into_iter().collect();
            added.sort_by_key(|e| e.1);
            for (v, code) in added {
                c.index.insert(v.clone(), code);
                c.values.push(v);
            }
        }
        // Within the limit, checked above: every add succeeds.
        other.counts.for_each(|k, n| {
            remap(k, &mut key);
            self.counts.add(&key, n, usize::MAX);
        });
        self.records = records;
        Ok(())
    }

    /// The counted combinations as `(values of [`Frequencies::columns`], records)`, in no
    /// particular order: what to ship from a partition to where they are merged.
    pub fn iter(&self) -> impl Iterator<Item = (Vec<&str>, u64)> + '_ {
        self.counts.iter().map(move |(k, n)| {
            let values = k
                .iter()
                .zip(&self.columns)
                .map(|(&c, col)| match (&col.hierarchy, col.by_row) {
                    (Some(h), true) => h.rows()[c as usize][0].as_str(),
                    _ => col.values[c as usize].as_str(),
                })
                .collect();
            (values, n)
        })
    }
}

fn too_many_records() -> Error {
    arg("more than 2^64 - 1 records counted")
}

fn too_many_combinations() -> Error {
    arg(format!("more than the limit of {MAX_DISTINCT_COMBINATIONS} distinct combinations of values"))
}

/// What a search on counts gives: the report and the transformation as a row-wise generalizer.
#[derive(Clone, Debug)]
pub struct Generalized {
    /// What was done and what it achieved (the same figures as in memory on the same records).
    pub report: Report,
    /// Releases any row: levels and released classes.
    pub generalizer: Generalizer,
}

/// The optimal full-domain search on [`Frequencies`]: [`Anonymizer`]'s search, metrics, models,
/// risk and report on weighted rows (one per distinct combination), without the table.
pub struct FrequencyAnonymizer {
    inner: Anonymizer<'static>,
}

impl FrequencyAnonymizer {
    /// Encodes the counted combinations against the configuration, which must give the same
    /// quasi-identifiers, sensitive attributes and hierarchies as the one the frequencies were
    /// counted with (its models, suppression limit, metric and risk threshold may differ).
    ///
    /// Errors: as [`Anonymizer::new`] (no records, impossible models, ...); columns or hierarchies
    /// that differ from the counted ones; more than [`MAX_COUNTED_RECORDS`] records.
    pub fn new(frequencies: &Frequencies, config: &Config) -> Result<FrequencyAnonymizer> {
        FrequencyAnonymizer::build(frequencies, None, config)
    }

    /// [`FrequencyAnonymizer::new`] on frequencies it may consume: their counts are freed once
    /// sorted, before the encoding is built, so that the two are never held at once (the peak
    /// memory of the two-pass path).
    pub fn from_frequencies(mut frequencies: Frequencies, config: &Config) -> Result<FrequencyAnonymizer> {
        let counts = std::mem::replace(&mut frequencies.counts, CountTable::new(&[]));
        FrequencyAnonymizer::build(&frequencies, Some(counts), config)
    }

    /// `counts`: the counts taken out of `frequencies` (to consume), or `None` to copy theirs.
    fn build(frequencies: &Frequencies, counts: Option<CountTable>, config: &Config) -> Result<FrequencyAnonymizer> {
        let f = frequencies;
        if config.research_subset.is_some()
            || config.models.iter().any(|m| matches!(m, PrivacyModel::DeltaPresence { .. }))
        {
            return Err(arg("δ-presence needs the rows of the research subset; run it in memory (Anonymizer::new)"));
        }
        let (qis, sensitive) = encode::roles(config, &f.header, Some(f.records))?;
        if qis.len() != f.quasi || qis.iter().chain(&sensitive).ne(f.names.iter()) {
            return Err(arg(format!(
                "the configuration's quasi-identifiers {qis:?} and sensitive attributes {sensitive:?} are not the \
                 counted columns {:?}",
                f.names
            )));
        }
        for c in &f.columns {
            if config.hierarchies.get(&c.name) != c.hierarchy.as_ref() {
                return Err(arg("the configuration's hierarchy is not the one the frequencies were counted with")
                    .at_column(c.name.clone()));
            }
        }
        if f.records > MAX_COUNTED_RECORDS {
            return Err(arg(format!("{} records, more than the limit of {MAX_COUNTED_RECORDS}", f.records)));
        }
        // Dictionaries sorted and combinations sorted: the encoding does not depend on the order
        // in which records or partitions were counted.
        let orders: Vec<Option<Vec<u32>>> = f
            .columns
            .iter()
            .map(|c| {
                (!c.by_row).then(|| {
                    let mut order: Vec<u32> = (0..c.values.len() as u32).collect();
                    order.sort_unstable_by(|&a, &b| c.values[a as usize].cmp(&c.values[b as usize]));
                    let mut code = vec![0u32; order.len()];
                    for (i, &o) in order.iter().enumerate() {
                        code[o as usize] = i as u32;
                    }
                    code
                })
            })
            .collect();
        // Consumed, so that the map is freed as soon as the combinations are sorted.
        let sorted = match counts {
            Some(c) => c.sorted(&orders),
            None => f.counts.sorted(&orders),
        };
        let columns: Vec<DictColumn> = f
            .columns
            .iter()
            .enumerate()
            .map(|(j, c)| {
                let dict: Vec<String> = match (&c.hierarchy, c.by_row) {
                    (Some(h), true) => h.rows().iter().map(|r| r[0].clone()).collect(),
                    _ => {
                        let mut v = c.values.clone();
                        v.sort_unstable();
                        v
                    }
                };
                DictColumn { dict, codes: sorted.column(j) }
            })
            .collect();
        // n <= records <= MAX_COUNTED_RECORDS
        let weights = sorted.weights();
        drop(sorted);
        let parts = Parts {
            qis: &qis,
            sensitive: &sensitive,
            records: f.records as usize,
            weights: Some(weights),
            subset: None,
            // Sorted by codes, quasi-identifiers first.
            grouped: true,
        };
        let column = |name: &str| &columns[f.names.iter().position(|n| n == name).expect("checked above")];
        let enc = encode::encode_parts(config, parts, column, |e, _| e)?;
        let pre = super::metric::Precomputed::new(&enc);
        Ok(FrequencyAnonymizer { inner: Anonymizer { table: None, config: config.clone(), enc, pre } })
    }

    /// Number of full-domain transformations.
    pub fn lattice_size(&self) -> usize {
        self.inner.lattice_size()
    }

    /// Runs the optimal search and returns what it found (as [`Anonymizer::search`]).
    pub fn search(&self) -> Result<SearchOutcome> {
        self.inner.search()
    }

    /// Checks every transformation (as [`Anonymizer::search_exhaustive`]).
    pub fn search_exhaustive(&self) -> Result<SearchOutcome> {
        self.inner.search_exhaustive()
    }

    /// The optimal full-domain generalization with record suppression (as
    /// [`Anonymizer::optimal`], including its error when nothing is feasible).
    pub fn optimal(&self) -> Result<Generalized> {
        let t = Instant::now();
        let out = self.inner.search()?;
        self.finish(out, t.elapsed().as_secs_f64() * 1e3)
    }

    /// Like [`FrequencyAnonymizer::optimal`] but by checking every transformation.
    pub fn exhaustive(&self) -> Result<Generalized> {
        let t = Instant::now();
        let out = self.inner.search_exhaustive()?;
        self.finish(out, t.elapsed().as_secs_f64() * 1e3)
    }

    /// Applies one full-domain transformation (as [`Anonymizer::apply`]).
    pub fn apply(&self, levels: &[usize]) -> Result<Generalized> {
        let out = self.inner.apply_outcome(levels)?;
        self.finish(out, 0.0)
    }

    /// Always an `InvalidArgument` error: Mondrian's local recoding needs the rows, so it runs in
    /// memory only ([`Anonymizer::mondrian`]).
    pub fn mondrian(&self) -> Result<Generalized> {
        Err(mondrian_refused())
    }

    fn finish(&self, out: SearchOutcome, ms: f64) -> Result<Generalized> {
        let (report, generalizer) = self.inner.conclude(out, ms)?;
        Ok(Generalized { report, generalizer })
    }
}
