//! Tables read record by record, whatever their format: CSV ([`super::csv`]), JSON Lines
//! ([`super::jsonl`]) or Parquet (`super::parquet`, with the `parquet` feature), behind one trait
//! for the passes that protect, count and release them. (Protecting a Parquet file takes its
//! batches column by column instead; the record view serves the counting passes.)

use std::io::BufReader;
use std::path::Path;

use super::csv::CsvReader;
use super::jsonl::{FieldKind, JsonLinesReader, UnknownKeys};
use crate::{Error, ErrorKind, Result};

/// The format of a table file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataFormat {
    /// A header line, then `delimiter`-separated records.
    Csv {
        /// The field delimiter, e.g. `b','`.
        delimiter: u8,
    },
    /// One JSON object per line; the columns are the first object's keys.
    JsonLines,
    /// An Apache Parquet file; the columns are its schema's. Needs the `parquet` feature: without
    /// it, every use is an `InvalidArgument` error.
    Parquet,
}

impl DataFormat {
    /// JSON Lines for a path ending in `.jsonl` or `.ndjson`, Parquet for `.parquet`, CSV with
    /// `delimiter` otherwise.
    pub fn from_path(path: &Path, delimiter: u8) -> DataFormat {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("jsonl" | "ndjson") => DataFormat::JsonLines,
            Some("parquet") => DataFormat::Parquet,
            _ => DataFormat::Csv { delimiter },
        }
    }
}

/// Rows of one Parquet record batch (the policy pass's `CHUNK_ROWS`).
#[cfg(feature = "parquet")]
pub(crate) const PARQUET_BATCH_ROWS: usize = 4096;

/// Most bytes one decoded Parquet record batch ([`PARQUET_BATCH_ROWS`] rows) may take in memory.
pub const MAX_PARQUET_BATCH_BYTES: usize = 256 << 20;

/// The error of a Parquet use in a build without the `parquet` feature.
#[cfg(not(feature = "parquet"))]
pub(crate) fn no_parquet() -> Error {
    Error::new(ErrorKind::InvalidArgument, "this build has no Parquet support: enable the `parquet` feature")
}

/// The column names of the Parquet file `path`, from its schema (to check a policy against).
pub fn parquet_columns(path: &Path) -> Result<Vec<String>> {
    #[cfg(feature = "parquet")]
    return super::parquet::column_names(path);
    #[cfg(not(feature = "parquet"))]
    {
        let _ = path;
        Err(no_parquet())
    }
}

/// Records of a table, one at a time.
pub(crate) trait Records: Send {
    /// Reads the next record into `rec` and what each field was into `kinds` (every field of a
    /// CSV record is text); returns its one-based line (Parquet: its one-based record number),
    /// or `None` at the end.
    fn next_record(&mut self, rec: &mut csv::ByteRecord, kinds: &mut Vec<FieldKind>) -> Result<Option<u64>>;
    /// As `next_record`, for fields that must be UTF-8 text.
    fn next_strings(&mut self, rec: &mut csv::StringRecord) -> Result<Option<u64>>;
    /// Bytes of input read so far.
    fn bytes_read(&self) -> u64;
}

impl<R: std::io::Read + Send> Records for CsvReader<R> {
    fn next_record(&mut self, rec: &mut csv::ByteRecord, kinds: &mut Vec<FieldKind>) -> Result<Option<u64>> {
        kinds.clear();
        self.next_bytes(rec)
    }

    fn next_strings(&mut self, rec: &mut csv::StringRecord) -> Result<Option<u64>> {
        self.next_string(rec)
    }

    fn bytes_read(&self) -> u64 {
        CsvReader::bytes_read(self)
    }
}

impl<R: std::io::BufRead + Send> Records for JsonLinesReader<R> {
    fn next_record(&mut self, rec: &mut csv::ByteRecord, kinds: &mut Vec<FieldKind>) -> Result<Option<u64>> {
        JsonLinesReader::next_record(self, rec, kinds)
    }

    fn next_strings(&mut self, rec: &mut csv::StringRecord) -> Result<Option<u64>> {
        let mut bytes = std::mem::take(rec).into_byte_record();
        let line = JsonLinesReader::next_record(self, &mut bytes, &mut Vec::new())?;
        // Every field came from a JSON text, which is UTF-8.
        *rec = csv::StringRecord::from_byte_record(bytes)
            .map_err(|_| Error::new(ErrorKind::Internal, "a JSON Lines field is not UTF-8"))?;
        Ok(line)
    }

    fn bytes_read(&self) -> u64 {
        JsonLinesReader::bytes_read(self)
    }
}

/// Opens the table file `path` and reads its header. JSON Lines columns are the first record's
/// keys, then those of `extra` it lacks; a later record's key outside them is `unknown`.
pub(crate) fn open_table(
    path: &Path,
    format: DataFormat,
    extra: &[String],
    unknown: UnknownKeys,
) -> Result<(Box<dyn Records>, Vec<String>)> {
    if format == DataFormat::Parquet {
        return open_parquet(path);
    }
    let file = BufReader::with_capacity(1 << 16, std::fs::File::open(path)?);
    Ok(match format {
        DataFormat::Csv { delimiter } => {
            let mut rdr = CsvReader::new(file, delimiter, false);
            let header = rdr.table_header()?;
            (Box::new(rdr), header)
        }
        DataFormat::JsonLines => {
            let mut rdr = JsonLinesReader::new(file);
            let header = rdr.header(extra, unknown)?;
            (Box::new(rdr), header)
        }
        DataFormat::Parquet => unreachable!("opened above"),
    })
}

/// A Parquet file's records (fields as text, a null as an empty field) and its columns.
fn open_parquet(path: &Path) -> Result<(Box<dyn Records>, Vec<String>)> {
    #[cfg(feature = "parquet")]
    {
        let batches = super::parquet::open(path)?;
        let header = super::parquet::names(&batches.schema);
        Ok((Box::new(super::parquet::ParquetRecords::new(batches)), header))
    }
    #[cfg(not(feature = "parquet"))]
    {
        let _ = path;
        Err(no_parquet())
    }
}

#[cfg(all(test, not(feature = "parquet")))]
mod tests {
    use super::*;

    #[test]
    fn parquet_without_the_feature_is_refused_clearly() {
        let path = Path::new("any.parquet");
        assert_eq!(DataFormat::from_path(path, b','), DataFormat::Parquet);
        for e in [
            open_table(path, DataFormat::Parquet, &[], UnknownKeys::Refuse).err().unwrap(),
            parquet_columns(path).unwrap_err(),
        ] {
            assert_eq!(e.kind(), ErrorKind::InvalidArgument);
            assert!(e.message().contains("enable the `parquet` feature"), "{e}");
        }
    }
}
