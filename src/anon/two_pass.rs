//! Anonymizing a CSV file larger than memory, in two passes over it: the first counts the
//! distinct combinations of quasi-identifier (and sensitive) values ([`Frequencies`]), the optimal
//! search runs on the counts, and the second pass releases each row through the [`Generalizer`].
//! Memory depends on the hierarchies and the number of distinct combinations, not on the number
//! of rows; the output is what [`Anonymizer::optimal`](super::Anonymizer::optimal) gives for the
//! same file, byte for byte.

use std::path::Path;
use std::time::{Duration, Instant};

use super::generalizer::Releaser;
use super::{AttributeType, Config, Frequencies, FrequencyAnonymizer, Generalizer, Report};
use crate::io::atomic::{refuse_same_file, write_atomically};
use crate::io::csv::CsvReader;
use crate::{Error, ErrorKind, Result};

/// What the second pass does with an input column.
#[derive(Clone, Copy)]
enum Slot {
    /// Identifying (with `drop_identifying`): not written.
    Drop,
    /// The `j`-th quasi-identifier of the generalizer.
    Generalize(usize),
    /// Written unchanged.
    Keep,
}

/// Anonymizes the `delimiter`-separated file `input` (a header line, then one record per line)
/// with the optimal full-domain generalization for `config`, reading it twice, and writes the
/// result to `output`: the input's columns in order, identifying ones dropped, quasi-identifiers
/// generalized (`*` in every one of a suppressed record), the others unchanged. `output` appears
/// only when everything succeeded (it is written to a temporary file beside it and renamed); it
/// must not be `input`.
///
/// Errors are those of [`Table::from_csv_file`](super::Table::from_csv_file) and
/// [`Anonymizer::optimal`](super::Anonymizer::optimal) (with the file's line for a value), plus
/// `InvalidInput` when the file changed between the two passes. Mondrian and δ-presence need the
/// rows: use the in-memory [`Anonymizer`](super::Anonymizer).
///
/// ```
/// use privshare::anon::{anonymize_csv_file, Config, Hierarchy, PrivacyModel};
/// let dir = std::env::temp_dir().join(format!("two-pass-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let (input, output) = (dir.join("people.csv"), dir.join("released.csv"));
/// std::fs::write(&input, "age;sex;disease\n31;F;flu\n32;F;cold\n33;M;flu\n38;M;cold\n")?;
/// let config = Config::new()
///     .quasi_identifier("age", Hierarchy::intervals(&["31", "32", "33", "38"], 0.0, &[5.0, 10.0])?)
///     .quasi_identifier("sex", Hierarchy::flat(&["F", "M"])?)
///     .sensitive("disease")
///     .model(PrivacyModel::KAnonymity { k: 2 });
/// let report = anonymize_csv_file(&input, &output, b';', &config)?;
/// assert_eq!((report.records, report.quality.min_class_size), (4, 2));
/// assert!(std::fs::read_to_string(&output)?.starts_with("age;sex;disease\n"));
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn anonymize_csv_file(
    input: impl AsRef<Path>,
    output: impl AsRef<Path>,
    delimiter: u8,
    config: &Config,
) -> Result<Report> {
    anonymize_csv_file_timed(input, output, delimiter, config).map(|(report, _)| report)
}

/// Wall-clock time of each step of [`anonymize_csv_file_timed`].
#[derive(Clone, Copy, Debug, Default)]
pub struct TwoPassTimes {
    /// Pass 1: reading and counting the rows.
    pub count: Duration,
    /// Encoding the counts and searching (the report's `search_ms` is the search alone).
    pub search: Duration,
    /// Pass 2: reading, releasing and writing the rows.
    pub release: Duration,
}

/// [`anonymize_csv_file`], also returning how long each step took (for throughput figures).
pub fn anonymize_csv_file_timed(
    input: impl AsRef<Path>,
    output: impl AsRef<Path>,
    delimiter: u8,
    config: &Config,
) -> Result<(Report, TwoPassTimes)> {
    let (input, output) = (input.as_ref(), output.as_ref());
    refuse_same_file(input, output)?; // the second pass reads the input while the output is written
    let t = Instant::now();
    let (header, frequencies, rows) = count(input, delimiter, config)?;
    let count = t.elapsed();
    let result = FrequencyAnonymizer::from_frequencies(frequencies, config)?.optimal()?;
    let search = t.elapsed() - count;
    write_atomically(output, |w| release(input, delimiter, config, &header, &result.generalizer, rows, w))?;
    let release = t.elapsed() - count - search;
    Ok((result.report, TwoPassTimes { count, search, release }))
}

fn open(input: &Path, delimiter: u8) -> Result<(CsvReader<std::io::BufReader<std::fs::File>>, Vec<String>)> {
    let mut rdr =
        CsvReader::new(std::io::BufReader::with_capacity(1 << 16, std::fs::File::open(input)?), delimiter, false);
    let header = rdr.table_header()?;
    Ok((rdr, header))
}

/// Pass 1: the header, the counts and the number of rows.
fn count(input: &Path, delimiter: u8, config: &Config) -> Result<(Vec<String>, Frequencies, u64)> {
    let (mut rdr, header) = open(input, delimiter)?;
    let mut frequencies = Frequencies::new(config, &header).map_err(|e| e.at_line(1))?;
    let mut rec = csv::StringRecord::new();
    let mut row = 0u64;
    while let Some(line) = rdr.next_string(&mut rec).map_err(|e| e.at_row(row))? {
        frequencies.add_csv_record(&rec).map_err(|e| e.at_row(row).at_line(line))?;
        row += 1;
    }
    Ok((header, frequencies, row))
}

/// Pass 2: every row in its released form, written to `w`.
fn release(
    input: &Path,
    delimiter: u8,
    config: &Config,
    header: &[String],
    generalizer: &Generalizer,
    rows: u64,
    w: impl std::io::Write,
) -> Result<()> {
    let changed = || Error::new(ErrorKind::InvalidInput, "the input file changed between the two passes");
    let (mut rdr, again) = open(input, delimiter)?;
    if again != header {
        return Err(changed());
    }
    let slots: Vec<Slot> = header
        .iter()
        .map(|name| match config.role(name) {
            AttributeType::Identifying => Slot::Drop,
            AttributeType::QuasiIdentifying => {
                Slot::Generalize(generalizer.columns().iter().position(|q| q == name).expect("a counted column"))
            }
            _ => Slot::Keep,
        })
        .collect();
    let qi_columns: Vec<usize> =
        generalizer.columns().iter().map(|q| header.iter().position(|h| h == q).expect("a header column")).collect();
    let mut out = csv::WriterBuilder::new().delimiter(delimiter).from_writer(w);
    let written = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(e) => Error::from(e),
        _ => Error::new(ErrorKind::Internal, "writing CSV failed"),
    };
    let kept = header.iter().zip(&slots).filter(|(_, s)| !matches!(s, Slot::Drop)).map(|(n, _)| n);
    out.write_record(kept).map_err(written)?;
    let mut rec = csv::StringRecord::new();
    let mut row = 0u64;
    let mut releaser = Releaser::new(generalizer);
    while let Some(line) = rdr.next_string(&mut rec).map_err(|e| e.at_row(row))? {
        if row == rows {
            return Err(changed());
        }
        // Field by field: no vector or string per row.
        let released = releaser.classify(|j| &rec[qi_columns[j]]).map_err(|e| e.at_row(row).at_line(line))?;
        for (slot, value) in slots.iter().zip(rec.iter()) {
            match *slot {
                Slot::Drop => Ok(()),
                Slot::Generalize(j) => out.write_field(if released { releaser.label(j) } else { "*" }),
                Slot::Keep => out.write_field(value),
            }
            .map_err(written)?;
        }
        out.write_record(None::<&[u8]>).map_err(written)?;
        row += 1;
    }
    if row != rows {
        return Err(changed());
    }
    out.flush()?;
    Ok(())
}
