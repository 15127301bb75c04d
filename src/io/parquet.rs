//! Parquet tables, read in record batches through the arrow-rs `parquet` crate (feature
//! `parquet`).
//!
//! The columnar pass that protects a Parquet file (`policy::apply`) takes the batches as they are;
//! the passes that count and derive hierarchies read them as records ([`ParquetRecords`]), every
//! field as its text and a null as an empty field marked [`FieldKind::Null`]. Columns are checked
//! when the file is opened: at most [`MAX_COLUMNS`], each a type with a text form (nested lists,
//! structs and maps are refused, naming the column). A batch is [`CHUNK_ROWS`] rows and at most
//! [`MAX_PARQUET_BATCH_BYTES`] once decoded. A corrupt or non-Parquet file is an error, never a
//! panic; errors name the row and column, never a value, and the reader's own messages are not
//! passed on once data is read (a decoding error could quote a value).

use std::path::Path;

use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType, SchemaRef};
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};

use super::csv::MAX_COLUMNS;
use super::jsonl::FieldKind;
use super::records::{Records, MAX_PARQUET_BATCH_BYTES, PARQUET_BATCH_ROWS as CHUNK_ROWS};
use crate::{Error, ErrorKind, Result};

/// An open Parquet file: its batches, its schema and its rows (from the footer).
pub(crate) struct ParquetBatches {
    reader: ParquetRecordBatchReader,
    pub schema: SchemaRef,
    pub rows: u64,
    /// The file's length, for progress (rows read × length ÷ rows).
    pub file_len: u64,
    /// Zero-based data row of the next batch.
    next_row: u64,
}

/// Opens `path`: reads the footer and checks every column (see the module documentation).
pub(crate) fn open(path: &Path) -> Result<ParquetBatches> {
    let file = std::fs::File::open(path)?;
    let file_len = file.metadata()?.len();
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| {
        // The footer's errors say what is wrong with the file's structure; they hold no value.
        Error::new(ErrorKind::InvalidInput, format!("not a readable Parquet file: {e}"))
    })?;
    let schema = builder.schema().clone();
    check_columns(&schema)?;
    let rows = u64::try_from(builder.metadata().file_metadata().num_rows())
        .map_err(|_| Error::new(ErrorKind::InvalidInput, "the Parquet footer gives a negative row count"))?;
    let reader = builder
        .with_batch_size(CHUNK_ROWS)
        .build()
        .map_err(|_| Error::new(ErrorKind::InvalidInput, "the Parquet file's columns cannot be read"))?;
    Ok(ParquetBatches { reader, schema, rows, file_len, next_row: 0 })
}

/// The column names of the Parquet file `path`, from its footer (for checking a policy's columns).
pub fn column_names(path: &Path) -> Result<Vec<String>> {
    Ok(names(&open(path)?.schema))
}

pub(crate) fn names(schema: &SchemaRef) -> Vec<String> {
    schema.fields().iter().map(|f| f.name().clone()).collect()
}

fn check_columns(schema: &SchemaRef) -> Result<()> {
    if schema.fields().len() > MAX_COLUMNS {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!("the Parquet file has more than {MAX_COLUMNS} columns"),
        ));
    }
    for field in schema.fields() {
        let t = field.data_type();
        if t.is_nested() || !arrow_cast::can_cast_types(t, &DataType::Utf8) {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                format!("a column of type {t} is not supported: only flat columns with a text form are"),
            )
            .at_column(field.name().as_str()));
        }
    }
    Ok(())
}

impl ParquetBatches {
    /// The next batch and the zero-based data row of its first record, or `None` at the end.
    pub fn next_batch(&mut self) -> Result<Option<(u64, RecordBatch)>> {
        let first = self.next_row;
        let Some(batch) = self.reader.next() else {
            return Ok(None);
        };
        let batch = batch.map_err(|_| {
            Error::new(ErrorKind::InvalidInput, "the Parquet data is corrupt or cannot be decoded").at_row(first)
        })?;
        if batch.get_array_memory_size() > MAX_PARQUET_BATCH_BYTES {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                format!("{CHUNK_ROWS} rows of the Parquet file take more than {MAX_PARQUET_BATCH_BYTES} bytes"),
            )
            .at_row(first));
        }
        self.next_row += batch.num_rows() as u64;
        Ok(Some((first, batch)))
    }

    /// Input bytes "read" so far, in proportion to the rows (the reader does not count bytes).
    pub fn bytes_read(&self) -> u64 {
        match self.rows {
            0 => self.file_len,
            rows => (u128::from(self.file_len) * u128::from(self.next_row.min(rows)) / u128::from(rows)) as u64,
        }
    }
}

/// A column's values as text (a number as its decimal text, a date as ISO 8601); nulls stay null.
/// A binary column must hold UTF-8. Errors name no value (the cast's own message could).
pub(crate) fn text_column(array: &ArrayRef) -> Result<StringArray> {
    let options = arrow_cast::CastOptions { safe: false, ..Default::default() };
    let cast = arrow_cast::cast_with_options(array, &DataType::Utf8, &options).map_err(|_| {
        Error::new(ErrorKind::InvalidInput, "a value has no text form (a binary value that is not UTF-8?)")
    })?;
    cast.as_any()
        .downcast_ref::<StringArray>()
        .cloned()
        .ok_or_else(|| Error::new(ErrorKind::Internal, "a cast to text gave no text column"))
}

/// The batches of a Parquet file read as records (see the module documentation).
pub(crate) struct ParquetRecords {
    batches: ParquetBatches,
    /// The current batch's columns as text, and the next row in it.
    columns: Vec<StringArray>,
    at: usize,
    /// Records handed out so far.
    row: u64,
}

impl ParquetRecords {
    pub(crate) fn new(batches: ParquetBatches) -> ParquetRecords {
        ParquetRecords { batches, columns: Vec::new(), at: 0, row: 0 }
    }

    /// Moves to the next row, reading a batch when the current one is done; `false` at the end.
    fn advance(&mut self) -> Result<bool> {
        while self.columns.first().is_none_or(|c| self.at >= c.len()) {
            let Some((first, batch)) = self.batches.next_batch()? else {
                return Ok(false);
            };
            let names = names(&self.batches.schema);
            self.columns = batch
                .columns()
                .iter()
                .zip(&names)
                .map(|(c, name)| text_column(c).map_err(|e| e.at_row(first).at_column(name.as_str())))
                .collect::<Result<_>>()?;
            self.at = 0;
            if self.columns.is_empty() {
                return Ok(false); // no column: no record to hand out
            }
        }
        Ok(true)
    }
}

impl Records for ParquetRecords {
    fn next_record(&mut self, rec: &mut csv::ByteRecord, kinds: &mut Vec<FieldKind>) -> Result<Option<u64>> {
        rec.clear();
        kinds.clear();
        if !self.advance()? {
            return Ok(None);
        }
        for c in &self.columns {
            let null = c.is_null(self.at);
            rec.push_field(if null { b"" } else { c.value(self.at).as_bytes() });
            kinds.push(if null { FieldKind::Null } else { FieldKind::Text });
        }
        self.at += 1;
        self.row += 1;
        // Parquet has no lines: the record's one-based number stands in for one.
        Ok(Some(self.row))
    }

    fn next_strings(&mut self, rec: &mut csv::StringRecord) -> Result<Option<u64>> {
        rec.clear();
        if !self.advance()? {
            return Ok(None);
        }
        for c in &self.columns {
            rec.push_field(if c.is_null(self.at) { "" } else { c.value(self.at) });
        }
        self.at += 1;
        self.row += 1;
        Ok(Some(self.row))
    }

    fn bytes_read(&self) -> u64 {
        self.batches.bytes_read()
    }
}
