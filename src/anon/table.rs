//! Tables: columns of text values, dictionary-encoded once at load, and attribute roles.

use std::collections::HashMap;

use crate::io::csv::{CsvReader, MAX_COLUMNS};
use crate::{Error, ErrorKind, Result};

/// The role an attribute plays in anonymization (ARX's attribute types).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttributeType {
    /// Directly identifies a person (name, resident ID): must not be in the released table.
    Identifying,
    /// Could single a person out in combination with others (age, sex, region): generalized.
    QuasiIdentifying,
    /// The information to protect (diagnosis, salary): kept, constrained by l-diversity / t-closeness.
    Sensitive,
    /// Neither: kept as it is.
    Insensitive,
}

/// One column: distinct values and one code per row.
#[derive(Clone, Debug)]
pub struct DictColumn {
    /// The distinct values, indexed by code.
    pub dict: Vec<String>,
    /// The code of each row's value.
    pub codes: Vec<u32>,
}

impl DictColumn {
    /// Encodes a column of values.
    pub fn from_values<S: AsRef<str>>(values: &[S]) -> DictColumn {
        let mut b = DictBuilder::default();
        for v in values {
            b.push(v.as_ref());
        }
        b.finish()
    }

    /// The value in row `row`.
    pub fn value(&self, row: usize) -> &str {
        &self.dict[self.codes[row] as usize]
    }
}

/// Builds a dictionary column; each distinct value is stored once (in the index while loading,
/// moved into the dictionary at the end).
#[derive(Default)]
struct DictBuilder {
    index: HashMap<String, u32>,
    codes: Vec<u32>,
}

impl DictBuilder {
    fn push(&mut self, v: &str) {
        let code = match self.index.get(v) {
            Some(&c) => c,
            None => {
                let c = self.index.len() as u32;
                self.index.insert(v.to_string(), c);
                c
            }
        };
        self.codes.push(code);
    }
    fn finish(self) -> DictColumn {
        let mut dict = vec![String::new(); self.index.len()];
        for (v, c) in self.index {
            dict[c as usize] = v;
        }
        DictColumn { dict, codes: self.codes }
    }
}

/// A table of text columns with a header.
///
/// ```
/// use privshare::anon::Table;
/// let t = Table::from_csv("age,sex\n34,F\n35,M\n".as_bytes(), b',')?;
/// assert_eq!(t.rows(), 2);
/// assert_eq!(t.column("sex").unwrap().value(1), "M");
/// # Ok::<(), privshare::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Table {
    names: Vec<String>,
    /// Column name -> position, so that looking a column up does not scan the header.
    index: HashMap<String, usize>,
    columns: Vec<DictColumn>,
    rows: usize,
    /// The file line of each row, for a table read from CSV.
    lines: Lines,
}

/// The file line of each data row, kept sparsely: `(row, line)` wherever a row does not start on
/// the line after the previous one (a blank line or a quoted line break in between).
#[derive(Clone, Debug, Default)]
struct Lines(Vec<(usize, u64)>);

impl Lines {
    fn push(&mut self, row: usize, line: u64) {
        if self.0.last().is_none_or(|&(r, l)| l + (row - r) as u64 != line) {
            self.0.push((row, line));
        }
    }

    fn get(&self, row: usize) -> Option<u64> {
        let i = self.0.partition_point(|&(r, _)| r <= row).checked_sub(1)?;
        let (r, l) = self.0[i];
        Some(l + (row - r) as u64)
    }
}

/// Maps each name to its position; the first repeated name is an error naming it.
fn name_index(names: &[String]) -> Result<HashMap<String, usize>> {
    let mut index = HashMap::with_capacity(names.len());
    for (i, n) in names.iter().enumerate() {
        if index.insert(n.clone(), i).is_some() {
            return Err(Error::new(ErrorKind::InvalidInput, "column name repeated").at_column(n.clone()));
        }
    }
    Ok(index)
}

impl Table {
    /// Reads a CSV with a header row and the given delimiter. Ragged rows and bad UTF-8 are errors
    /// naming the file's line (one-based, the header is line 1), the data row (zero-based) and,
    /// where one is missing or not UTF-8, the column. Records are limited to
    /// [`MAX_RECORD_BYTES`](crate::io::csv::MAX_RECORD_BYTES), headers to
    /// [`MAX_COLUMNS`](crate::io::csv::MAX_COLUMNS) names.
    pub fn from_csv<R: std::io::Read>(reader: R, delimiter: u8) -> Result<Table> {
        Table::from_csv_selected(reader, delimiter, |_| true)
    }

    /// Like [`Table::from_csv`], keeping only the columns `keep` accepts (e.g. to drop identifying
    /// columns while reading, so they never occupy memory).
    pub fn from_csv_selected<R: std::io::Read>(reader: R, delimiter: u8, keep: impl Fn(&str) -> bool) -> Result<Table> {
        let mut rdr = CsvReader::new(reader, delimiter, false);
        let all = rdr.table_header()?;
        name_index(&all).map_err(|e| e.at_line(1))?;
        let kept: Vec<usize> = (0..all.len()).filter(|&i| keep(&all[i])).collect();
        let mut builders: Vec<DictBuilder> = kept.iter().map(|_| DictBuilder::default()).collect();
        let mut rec = csv::StringRecord::new();
        let mut lines = Lines::default();
        let mut row = 0usize;
        while let Some(line) = rdr.next_string(&mut rec).map_err(|e| e.at_row(row as u64))? {
            for (b, &i) in builders.iter_mut().zip(&kept) {
                b.push(&rec[i]);
            }
            lines.push(row, line);
            row += 1;
        }
        let names: Vec<String> = kept.iter().map(|&i| all[i].clone()).collect();
        Ok(Table {
            index: name_index(&names)?,
            names,
            columns: builders.into_iter().map(|b| b.finish()).collect(),
            rows: row,
            lines,
        })
    }

    /// Reads a CSV file.
    pub fn from_csv_file(path: impl AsRef<std::path::Path>, delimiter: u8) -> Result<Table> {
        let f = std::fs::File::open(path)?;
        Table::from_csv(std::io::BufReader::new(f), delimiter)
    }

    /// Builds a table from named columns of equal length. Empty or repeated names, columns of
    /// different lengths and more than [`MAX_COLUMNS`] columns are errors (`InvalidInput`, naming
    /// the column).
    pub fn from_columns<S: AsRef<str>>(columns: Vec<(String, Vec<S>)>) -> Result<Table> {
        if columns.len() > MAX_COLUMNS {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                format!("{} columns, more than the limit of {MAX_COLUMNS}", columns.len()),
            ));
        }
        let rows = columns.first().map_or(0, |c| c.1.len());
        let names: Vec<String> = columns.iter().map(|c| c.0.clone()).collect();
        let index = name_index(&names)?;
        let mut cols = Vec::new();
        for (i, (name, values)) in columns.into_iter().enumerate() {
            if name.is_empty() {
                // As for a CSV header: an empty name could not be written out and read back.
                return Err(Error::new(ErrorKind::InvalidInput, format!("column name {i} is empty")));
            }
            if values.len() != rows {
                return Err(Error::new(
                    ErrorKind::InvalidInput,
                    format!("column has {} values, the first column {rows}", values.len()),
                )
                .at_column(name));
            }
            cols.push(DictColumn::from_values(&values));
        }
        Ok(Table { names, index, columns: cols, rows, lines: Lines::default() })
    }

    pub(crate) fn from_dict_columns(columns: Vec<(String, DictColumn)>, rows: usize) -> Table {
        let (names, columns): (Vec<String>, Vec<DictColumn>) = columns.into_iter().unzip();
        let index = names.iter().enumerate().map(|(i, n)| (n.clone(), i)).collect();
        Table { names, index, columns, rows, lines: Lines::default() }
    }

    /// Flags the rows of this table (the population) that appear in `subset` (a research subset with
    /// some or all of the same columns), matching whole rows; each subset row takes a distinct
    /// population row. Errors name the subset row without a match or the missing column.
    pub fn subset_flags(&self, subset: &Table) -> Result<Vec<bool>> {
        let cols: Vec<(usize, usize)> = subset
            .names()
            .iter()
            .enumerate()
            .map(|(j, n)| {
                self.index_of(n).map(|i| (i, j)).ok_or_else(|| {
                    Error::new(ErrorKind::InvalidInput, "subset column is not in the table").at_column(n.clone())
                })
            })
            .collect::<Result<_>>()?;
        let key = |t: &Table, r: usize, pick: &dyn Fn(&(usize, usize)) -> usize| -> Vec<String> {
            cols.iter().map(|c| t.columns[pick(c)].value(r).to_string()).collect()
        };
        let mut free: HashMap<Vec<String>, Vec<usize>> = HashMap::new();
        for r in (0..self.rows).rev() {
            free.entry(key(self, r, &|c| c.0)).or_default().push(r);
        }
        let mut flags = vec![false; self.rows];
        for r in 0..subset.rows {
            let row = free.get_mut(&key(subset, r, &|c| c.1)).and_then(|v| v.pop()).ok_or_else(|| {
                subset.at_row(Error::new(ErrorKind::InvalidInput, "research subset row matches no unused table row"), r)
            })?;
            flags[row] = true;
        }
        Ok(flags)
    }

    /// The one-based line of the CSV file that row `row` was read from (`None` for a table not
    /// read from CSV).
    pub fn line(&self, row: usize) -> Option<u64> {
        self.lines.get(row)
    }

    /// Places an error at data row `row`: the row, and the file line when the table came from CSV.
    pub(crate) fn at_row(&self, e: Error, row: usize) -> Error {
        let e = e.at_row(row as u64);
        match self.line(row) {
            Some(line) => e.at_line(line),
            None => e,
        }
    }

    /// Number of data rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Column names in order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The column with this name.
    pub fn column(&self, name: &str) -> Option<&DictColumn> {
        self.index_of(name).map(|i| &self.columns[i])
    }

    /// The position of a column.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    /// The columns in order.
    pub fn columns(&self) -> &[DictColumn] {
        &self.columns
    }

    /// Writes the table as CSV with the given delimiter.
    pub fn write_csv<W: std::io::Write>(&self, writer: W, delimiter: u8) -> Result<()> {
        let mut w = csv::WriterBuilder::new().delimiter(delimiter).from_writer(writer);
        let io = |e: csv::Error| match e.into_kind() {
            csv::ErrorKind::Io(e) => Error::from(e),
            _ => Error::new(ErrorKind::Internal, "writing CSV failed: records of different lengths"),
        };
        w.write_record(&self.names).map_err(io)?;
        for r in 0..self.rows {
            w.write_record(self.columns.iter().map(|c| c.value(r))).map_err(io)?;
        }
        w.flush()?;
        Ok(())
    }
}

impl Table {
    /// [`from_columns`](Self::from_columns) for columns given as [`Values`](crate::Values) (what
    /// the C and Python bindings hand over): every value must be UTF-8 (`NotUtf8` naming the row,
    /// the column and the byte offset otherwise).
    pub fn from_value_columns(names: &[&str], columns: &[&dyn crate::Values]) -> Result<Table> {
        if names.len() != columns.len() {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("{} names but {} columns", names.len(), columns.len()),
            ));
        }
        let text = names
            .iter()
            .zip(columns)
            .map(|(&name, values)| {
                let column = (0..values.count())
                    .map(|row| {
                        std::str::from_utf8(values.value(row)).map_err(|e| {
                            Error::new(ErrorKind::NotUtf8, "value is not UTF-8")
                                .at_row(row as u64)
                                .at_column(name)
                                .at_offset(e.valid_up_to() as u64)
                        })
                    })
                    .collect::<Result<Vec<&str>>>()?;
                Ok((name.to_string(), column))
            })
            .collect::<Result<Vec<_>>>()?;
        Table::from_columns(text)
    }
}
