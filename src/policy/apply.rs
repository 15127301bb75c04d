//! Applying a plan to a CSV or JSON Lines table (Parquet: `super::parquet`, column by column, with
//! the same slots and calls): records are read in chunks, each chunk's columns
//! go through their ciphers and maskers on all cores (a whole column of the chunk per call), and
//! the chunks are written in order, in the input's format. Memory is a few chunks, whatever the
//! size of the file. `generalize` columns need one counting pass first (and the anonymization
//! search between the passes).

use std::io::{Read, Write};
use std::path::Path;

use rayon::prelude::*;

use super::plan::{Step, Transform};
use super::report::{ColumnReport, Report};
use super::{problems_error, Plan};
use crate::anon::{Frequencies, FrequencyAnonymizer, Generalizer, Releaser};
use crate::fle::Encoding;
use crate::io::atomic::{refuse_same_file, write_atomically};
use crate::io::csv::CsvReader;
use crate::io::jsonl::{self, FieldKind, JsonLinesReader, UnknownKeys};
use crate::io::records::{open_table, DataFormat, Records};
use crate::{Column, Error, ErrorKind, Result, Values};

/// Records per chunk handed to one core.
pub const CHUNK_ROWS: usize = 4096;

/// What is written for one input column.
#[derive(Clone, Copy)]
pub(super) enum Slot {
    Drop,
    Keep,
    /// Encrypted, tokenized or masked by `steps[step]`; `record`: the input column it is bound to.
    Computed {
        step: usize,
        record: Option<usize>,
    },
    /// The `j`-th quasi-identifier of the generalizer.
    Generalize(usize),
}

/// A run of records read from the input.
#[derive(Default)]
struct Chunk {
    records: Vec<csv::ByteRecord>,
    /// What each field of each record was (empty for CSV, whose fields are all text).
    kinds: Vec<Vec<FieldKind>>,
    lines: Vec<u64>,
    len: usize,
    /// Zero-based data row of the first record.
    first_row: u64,
}

impl Chunk {
    /// Reads up to [`CHUNK_ROWS`] records; `row` counts the data rows read so far.
    fn fill(&mut self, rdr: &mut dyn Records, row: &mut u64) -> Result<()> {
        self.len = 0;
        self.first_row = *row;
        while self.len < CHUNK_ROWS {
            if self.len == self.records.len() {
                self.records.push(csv::ByteRecord::new());
                self.kinds.push(Vec::new());
                self.lines.push(0);
            }
            let (rec, kinds) = (&mut self.records[self.len], &mut self.kinds[self.len]);
            let Some(line) = rdr.next_record(rec, kinds).map_err(|e| e.at_row(*row))? else { break };
            self.lines[self.len] = line;
            self.len += 1;
            *row += 1;
        }
        Ok(())
    }
}

/// The output bytes of one chunk, and the invalid and the absent (JSON Lines: `null` or missing)
/// values of each input column.
struct Done {
    bytes: Vec<u8>,
    invalid: Vec<u64>,
    absent: Vec<u64>,
}

/// The output of one field.
enum Field<'a> {
    /// Text (a JSON string in JSON Lines).
    Text(&'a [u8]),
    /// JSON text, written as it is in JSON Lines (and as text in CSV, where it came from).
    Json(&'a [u8]),
    /// `null` in JSON Lines, an empty field in CSV.
    Null,
    /// Left out in JSON Lines, an empty field in CSV.
    Missing,
}

/// Rows of one chunk written in memory, in the output's format.
enum RowWriter {
    Csv(Box<csv::Writer<Vec<u8>>>),
    /// The bytes, whether the current row has a field yet, and every input column's name as a
    /// JSON string.
    JsonLines(Vec<u8>, bool, std::sync::Arc<[Vec<u8>]>),
}

impl RowWriter {
    fn new(format: &Output) -> RowWriter {
        match format {
            Output::Csv(delimiter) => RowWriter::Csv(Box::new(
                csv::WriterBuilder::new()
                    .delimiter(*delimiter)
                    .has_headers(false)
                    .from_writer(Vec::with_capacity(1 << 16)),
            )),
            Output::JsonLines(keys) => RowWriter::JsonLines(Vec::with_capacity(1 << 16), false, keys.clone()),
        }
    }

    /// Writes column `column`'s field of the current row.
    fn field(&mut self, column: usize, field: Field<'_>) -> Result<()> {
        match self {
            RowWriter::Csv(w) => w
                .write_field(match field {
                    Field::Text(b) | Field::Json(b) => b,
                    Field::Null | Field::Missing => b"",
                })
                .map_err(|_| in_memory()),
            RowWriter::JsonLines(out, started, keys) => {
                if matches!(field, Field::Missing) {
                    return Ok(());
                }
                out.push(if std::mem::replace(started, true) { b',' } else { b'{' });
                out.extend_from_slice(&keys[column]);
                out.push(b':');
                match field {
                    Field::Text(b) => jsonl::write_string(out, &String::from_utf8_lossy(b)),
                    Field::Json(b) => out.extend_from_slice(b),
                    Field::Null => out.extend_from_slice(b"null"),
                    Field::Missing => unreachable!("returned above"),
                }
                Ok(())
            }
        }
    }

    fn end_row(&mut self) -> Result<()> {
        match self {
            RowWriter::Csv(w) => w.write_record(None::<&[u8]>).map_err(|_| in_memory()),
            RowWriter::JsonLines(out, started, _) => {
                if !std::mem::replace(started, false) {
                    out.push(b'{');
                }
                out.extend_from_slice(b"}\n");
                Ok(())
            }
        }
    }

    fn into_bytes(self) -> Result<Vec<u8>> {
        match self {
            RowWriter::Csv(w) => w.into_inner().map_err(|_| in_memory()),
            RowWriter::JsonLines(out, ..) => Ok(out),
        }
    }
}

/// The output's format.
enum Output {
    Csv(u8),
    /// Every input column's name as a JSON string.
    JsonLines(std::sync::Arc<[Vec<u8>]>),
}

impl Output {
    fn new(format: DataFormat, header: &[String]) -> Result<Output> {
        Ok(match format {
            DataFormat::Csv { delimiter } => Output::Csv(delimiter),
            DataFormat::JsonLines => {
                Output::JsonLines(header.iter().map(|n| serde_json::to_vec(n).expect("a string serializes")).collect())
            }
            DataFormat::Parquet => {
                return Err(Error::new(ErrorKind::Internal, "Parquet is written column by column, not in rows"))
            }
        })
    }
}

fn in_memory() -> Error {
    Error::new(ErrorKind::Internal, "writing CSV in memory failed")
}

impl Plan {
    /// Protects CSV read from `input` (a header line, then records, `delimiter`-separated) into
    /// `output`, in one streaming pass. Policies with `generalize` columns need two passes: use
    /// [`Plan::protect_csv_file`]. Errors name the line, the data row and the column, never a
    /// value; what was written to `output` before an error is incomplete (the file call writes
    /// whole or not at all).
    pub fn protect_csv(&self, input: impl Read + Send, output: impl Write, delimiter: u8) -> Result<Report> {
        let mut rdr = CsvReader::new(input, delimiter, false);
        let header = rdr.table_header()?;
        self.protect_stream(Box::new(rdr), header, output, DataFormat::Csv { delimiter })
    }

    /// [`Plan::protect_csv`] for JSON Lines read from `input` (see [`Plan::protect_file`]).
    pub fn protect_jsonl(&self, input: impl Read + Send, output: impl Write) -> Result<Report> {
        let mut rdr = JsonLinesReader::new(std::io::BufReader::with_capacity(1 << 16, input));
        let header = rdr.header(&self.named(), self.unknown_keys())?;
        self.protect_stream(Box::new(rdr), header, output, DataFormat::JsonLines)
    }

    /// The one pass of a policy without `generalize` columns over a stream.
    fn protect_stream(
        &self,
        rdr: Box<dyn Records + '_>,
        header: Vec<String>,
        output: impl Write,
        format: DataFormat,
    ) -> Result<Report> {
        if self.anonymization.is_some() {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                "a policy with `generalize` columns reads its input twice: protect a file (protect_file)",
            ));
        }
        let (bound, slots) = self.protect_slots(&header, None)?;
        let output_format = Output::new(format, &header)?;
        let (rows, counts) = self.run(rdr, &header, &slots, output, &output_format, None, None, false)?;
        Ok(self.report(&header, &bound, &counts, rows))
    }

    /// Protects the CSV file `input` into `output`, written whole or not at all (through a
    /// temporary file beside it, renamed when everything succeeded) and never over `input`.
    /// With `generalize` columns the file is read once more first, to count the combinations of
    /// quasi-identifiers the optimal search runs on (and once more still when a hierarchy is
    /// derived from the column's values).
    pub fn protect_csv_file(&self, input: impl AsRef<Path>, output: impl AsRef<Path>, delimiter: u8) -> Result<Report> {
        self.protect_file(input, output, DataFormat::Csv { delimiter })
    }

    /// Protects the table file `input` (CSV, JSON Lines or Parquet, as `format` says) into
    /// `output`, in the same format, as [`Plan::protect_csv_file`] does. In Parquet, kept columns
    /// are written as they were read (type, nulls and values); encrypted, tokenized, masked and
    /// generalized ones are text columns computed from each value's text (a number's decimal
    /// text), their nulls left null and counted as `absent`. In JSON Lines, the columns are the
    /// first record's keys and the policy's columns; a record may lack a key or hold `null`
    /// (written back as it was, never encrypted or masked, and counted as `absent` in the report),
    /// and a kept value is written back byte for byte; encrypted, tokenized, masked and
    /// generalized values are written as strings.
    pub fn protect_file(
        &self,
        input: impl AsRef<Path>,
        output: impl AsRef<Path>,
        format: DataFormat,
    ) -> Result<Report> {
        let (input, output) = (input.as_ref(), output.as_ref());
        refuse_same_file(input, output)?;
        let (_, header) = self.open_input(input, format)?;
        self.bind(&header).map_err(|p| problems_error(&p))?;
        let anonymized = match &self.anonymization {
            None => None,
            Some(spec) => {
                let config = spec.build_for_file(input, format)?;
                let (frequencies, rows) = self.count(input, format, &config, &header)?;
                Some((FrequencyAnonymizer::from_frequencies(frequencies, &config)?.optimal()?, rows))
            }
        };
        write_atomically(output, |w| {
            let generalizer = anonymized.as_ref().map(|(g, _)| &g.generalizer);
            let (bound, slots) = self.protect_slots(&header, generalizer)?;
            let expected = anonymized.as_ref().map(|(_, rows)| *rows);
            let (rows, counts) = if format == DataFormat::Parquet {
                self.run_parquet(input, &header, &slots, w, generalizer, expected, false)?
            } else {
                let (rdr, again) = self.open_input(input, format)?;
                if again != header {
                    return Err(changed());
                }
                let output_format = Output::new(format, &header)?;
                self.run(rdr, &header, &slots, w, &output_format, generalizer, expected, false)?
            };
            let mut report = self.report(&header, &bound, &counts, rows);
            report.anonymization = anonymized.as_ref().map(|(g, _)| g.report.clone());
            Ok(report)
        })
    }

    /// Decrypts what can be decrypted in a file this plan's policy protected, for a holder of
    /// the keyset: `encrypt`, `encrypt_deterministic` and `fpe` columns (a name bound to its
    /// record decrypts only beside that record's id); tokens, masks and generalized values cannot
    /// be reversed and are copied as they are. Every column of `input` must be one the policy
    /// writes. `output` is written whole or not at all, never over `input`.
    pub fn reveal_csv_file(&self, input: impl AsRef<Path>, output: impl AsRef<Path>, delimiter: u8) -> Result<Report> {
        self.reveal_file(input, output, DataFormat::Csv { delimiter })
    }

    /// [`Plan::reveal_csv_file`] for a table in `format`. Decrypted JSON Lines values are
    /// written as strings (a number that was encrypted comes back as its text, `"42"`), and so
    /// are decrypted Parquet columns (text columns).
    pub fn reveal_file(&self, input: impl AsRef<Path>, output: impl AsRef<Path>, format: DataFormat) -> Result<Report> {
        let (input, output) = (input.as_ref(), output.as_ref());
        refuse_same_file(input, output)?;
        let (_, header) = self.open_written(input, format)?;
        let at = |name: &str| header.iter().position(|h| h == name);
        let mut bound = Vec::with_capacity(header.len());
        let mut slots = Vec::with_capacity(header.len());
        for name in &header {
            let step = self.steps.iter().position(|s| &s.name == name && !matches!(s.transform, Transform::Drop));
            let Some(i) = step else {
                return Err(Error::new(ErrorKind::Policy, format!("column `{name}` is not one the policy writes"))
                    .at_column(name.as_str()));
            };
            slots.push(match &self.steps[i].transform {
                Transform::Cipher { cipher, record } if cipher.scheme().is_reversible() => {
                    let record = match record.as_deref().map(|r| (r, at(r))) {
                        Some((r, None)) => {
                            return Err(Error::new(
                                ErrorKind::InvalidInput,
                                format!("the record column `{r}` is missing"),
                            )
                            .at_column(name.as_str()))
                        }
                        Some((_, found)) => found,
                        None => None,
                    };
                    Slot::Computed { step: i, record }
                }
                _ => Slot::Keep,
            });
            bound.push(Some(i));
        }
        write_atomically(output, |w| {
            let (rows, counts) = if format == DataFormat::Parquet {
                self.run_parquet(input, &header, &slots, w, None, None, true)?
            } else {
                let (rdr, _) = self.open_written(input, format)?;
                let output_format = Output::new(format, &header)?;
                self.run(rdr, &header, &slots, w, &output_format, None, None, true)?
            };
            let mut report = self.report(&header, &bound, &counts, rows);
            for (c, slot) in report.columns.iter_mut().zip(&slots) {
                c.detail = Some(if matches!(slot, Slot::Computed { .. }) { "decrypted" } else { "as received" }.into());
            }
            Ok(report)
        })
    }

    /// What protecting writes for each column of `header`, and the step of each.
    fn protect_slots(
        &self,
        header: &[String],
        generalizer: Option<&Generalizer>,
    ) -> Result<(Vec<Option<usize>>, Vec<Slot>)> {
        let bound = self.bind(header).map_err(|p| problems_error(&p))?;
        let at = |name: &str| header.iter().position(|h| h == name).expect("bind checked every name");
        let slots: Vec<Slot> = bound
            .iter()
            .map(|&step| match step.map(|i| (i, &self.steps[i].transform)) {
                None | Some((_, Transform::Drop)) => Slot::Drop,
                Some((_, Transform::Keep)) => Slot::Keep,
                Some((i, Transform::Cipher { record, .. })) => {
                    Slot::Computed { step: i, record: record.as_deref().map(at) }
                }
                Some((i, Transform::Mask(_))) => Slot::Computed { step: i, record: None },
                Some((i, Transform::Generalize)) => {
                    let g = generalizer.expect("a plan with generalize columns runs with a generalizer");
                    let name = &self.steps[i].name;
                    Slot::Generalize(g.columns().iter().position(|q| q == name).expect("a quasi-identifier"))
                }
            })
            .collect();
        Ok((bound, slots))
    }

    /// The table file `input` to protect, and its columns (JSON Lines: the first record's keys,
    /// then the policy's other columns; another key is refused unless the policy drops it by
    /// default).
    fn open_input(&self, input: &Path, format: DataFormat) -> Result<(Box<dyn Records>, Vec<String>)> {
        open_table(input, format, &self.named(), self.unknown_keys())
    }

    /// The columns the policy names.
    fn named(&self) -> Vec<String> {
        self.steps.iter().map(|s| s.name.clone()).collect()
    }

    /// What a JSON Lines key the policy does not name is.
    fn unknown_keys(&self) -> UnknownKeys {
        if self.policy.default == super::DefaultAction::Drop {
            UnknownKeys::Drop
        } else {
            UnknownKeys::Refuse
        }
    }

    /// A table file this plan's policy wrote, to reveal, and its columns.
    fn open_written(&self, input: &Path, format: DataFormat) -> Result<(Box<dyn Records>, Vec<String>)> {
        let written: Vec<String> =
            self.steps.iter().filter(|s| !matches!(s.transform, Transform::Drop)).map(|s| s.name.clone()).collect();
        open_table(input, format, &written, UnknownKeys::Refuse)
    }

    /// One pass over the records: protecting (or, with `reveal`, decrypting what can be) and
    /// writing. With a generalizer, `expected_rows` is what the counting pass saw. Returns the
    /// rows and the invalid and absent values of each column.
    #[allow(clippy::too_many_arguments)]
    fn run(
        &self,
        mut rdr: Box<dyn Records + '_>,
        header: &[String],
        slots: &[Slot],
        output: impl Write,
        format: &Output,
        generalizer: Option<&Generalizer>,
        expected_rows: Option<u64>,
        reveal: bool,
    ) -> Result<(u64, Counts)> {
        let at = |name: &str| header.iter().position(|h| h == name).expect("a header column");
        let qi_columns: Vec<usize> = generalizer.map_or_else(Vec::new, |g| g.columns().iter().map(|q| at(q)).collect());
        let mut out = std::io::BufWriter::with_capacity(1 << 16, output);
        if let Output::Csv(delimiter) = format {
            let kept: Vec<&str> =
                header.iter().zip(slots).filter(|(_, s)| !matches!(s, Slot::Drop)).map(|(n, _)| n.as_str()).collect();
            let mut w = csv::WriterBuilder::new().delimiter(*delimiter).has_headers(false).from_writer(Vec::new());
            w.write_record(&kept).map_err(|_| in_memory())?;
            out.write_all(&w.into_inner().map_err(|_| in_memory())?)?;
        }

        // A reader thread fills one batch of chunks (one per core) while the cores protect the
        // previous batch and this thread writes it: reading, protecting and writing overlap.
        let lanes = rayon::current_num_threads().max(1);
        let mut releasers: Vec<Option<Releaser<'_>>> = (0..lanes).map(|_| generalizer.map(Releaser::new)).collect();
        let mut counts = Counts { invalid: vec![0; header.len()], absent: vec![0; header.len()] };
        let (filled_tx, filled_rx) = std::sync::mpsc::sync_channel::<Result<Vec<Chunk>>>(1);
        let (free_tx, free_rx) = std::sync::mpsc::channel::<Vec<Chunk>>();
        for _ in 0..2 {
            free_tx.send((0..lanes).map(|_| Chunk::default()).collect()).expect("the receiver is here");
        }
        let row = std::thread::scope(|scope| -> Result<u64> {
            // Owned here, so that an early return closes both channels and the reader stops.
            let (filled_rx, free_tx) = (filled_rx, free_tx);
            let progress = self.progress.as_deref();
            let reader = scope.spawn(move || {
                let mut row = 0u64;
                while let Ok(mut batch) = free_rx.recv() {
                    batch.iter_mut().for_each(|c| c.len = 0); // a recycled batch: nothing read yet
                    let mut last = false;
                    for chunk in &mut batch {
                        if let Err(e) = chunk.fill(rdr.as_mut(), &mut row) {
                            let _ = filled_tx.send(Err(e));
                            return row;
                        }
                        if let Some(progress) = progress {
                            progress(rdr.bytes_read());
                        }
                        if chunk.len < CHUNK_ROWS {
                            last = true; // the input ended in this chunk
                            break;
                        }
                    }
                    if filled_tx.send(Ok(batch)).is_err() || last {
                        break;
                    }
                }
                row
            });
            for batch in filled_rx.iter() {
                let batch = batch?;
                let done: Vec<Result<Done>> = batch
                    .par_iter()
                    .zip(releasers.par_iter_mut())
                    .filter(|(chunk, _)| chunk.len > 0)
                    .map(|(chunk, releaser)| {
                        self.chunk(chunk, header, slots, &qi_columns, releaser.as_mut(), format, reveal)
                    })
                    .collect();
                for d in done {
                    let d = d?;
                    out.write_all(&d.bytes)?;
                    counts.invalid.iter_mut().zip(&d.invalid).for_each(|(a, b)| *a += b);
                    counts.absent.iter_mut().zip(&d.absent).for_each(|(a, b)| *a += b);
                }
                let _ = free_tx.send(batch);
            }
            reader.join().map_err(|_| Error::new(ErrorKind::Internal, "the reader thread panicked"))
        })?;
        if expected_rows.is_some_and(|n| n != row) {
            return Err(changed());
        }
        out.flush()?;
        Ok((row, counts))
    }

    /// One chunk: every computed column through its step, then the rows written out.
    #[allow(clippy::too_many_arguments)]
    fn chunk(
        &self,
        chunk: &Chunk,
        header: &[String],
        slots: &[Slot],
        qi_columns: &[usize],
        mut releaser: Option<&mut Releaser<'_>>,
        format: &Output,
        reveal: bool,
    ) -> Result<Done> {
        let rows = &chunk.records[..chunk.len];
        let kinds = &chunk.kinds[..chunk.len];
        let kind = |r: usize, i: usize| kinds[r].get(i).copied().unwrap_or(FieldKind::Text);
        let locate = |e: Error, r: usize, name: &str| {
            let line = chunk.lines.get(r).copied().unwrap_or(0);
            Error::new(e.kind(), e.message()).at_row(chunk.first_row + r as u64).at_line(line).at_column(name)
        };
        let mut invalid = vec![0u64; slots.len()];
        let mut absent = vec![0u64; slots.len()];
        let mut computed: Vec<Option<Computed>> = Vec::with_capacity(slots.len());
        for (i, slot) in slots.iter().enumerate() {
            absent[i] = (0..rows.len()).filter(|&r| !kind(r, i).is_present()).count() as u64;
            let Slot::Computed { step, record } = *slot else {
                computed.push(None);
                continue;
            };
            // JSON Lines `null`s and missing keys are not values: they stay as they are, and only
            // then do the rows need mapping to the values computed.
            let present: Option<Vec<usize>> =
                (absent[i] > 0).then(|| (0..rows.len()).filter(|&r| kind(r, i).is_present()).collect());
            let count = present.as_ref().map_or(rows.len(), Vec::len);
            let row_of = |k: usize| present.as_ref().map_or(k, |p| p[k]);
            let values: Vec<&[u8]> = (0..count).map(|k| &rows[row_of(k)][i]).collect();
            let records: Option<Vec<&[u8]>> = record.map(|c| (0..count).map(|k| &rows[row_of(k)][c]).collect());
            let records = records.as_ref().map(|r| r as &dyn Values);
            let column = self.compute(&self.steps[step], &values, records, reveal).map_err(|e| {
                let k = e.position().row.map(|k| k as usize).filter(|&k| k < count);
                locate(e, k.map_or(0, row_of), &header[i])
            })?;
            invalid[i] = column.invalid_rows().len() as u64;
            let at = present.map(|p| {
                let mut at = vec![u32::MAX; rows.len()];
                p.iter().enumerate().for_each(|(k, &r)| at[r] = k as u32);
                at
            });
            computed.push(Some(Computed { column, at }));
        }
        let mut w = RowWriter::new(format);
        for (r, rec) in rows.iter().enumerate() {
            let released = match releaser.as_deref_mut() {
                Some(rel) => rel
                    .classify(|j| std::str::from_utf8(&rec[qi_columns[j]]).unwrap_or("\u{fffd}"))
                    .map_err(|e| locate(e, r, ""))?,
                None => true,
            };
            for (i, slot) in slots.iter().enumerate() {
                let field = match (*slot, kind(r, i)) {
                    (Slot::Drop, _) => continue,
                    (Slot::Generalize(j), _) => Field::Text(match releaser.as_deref() {
                        Some(rel) if released => rel.label(j).as_bytes(),
                        _ => b"*",
                    }),
                    (_, FieldKind::Null) => Field::Null,
                    (_, FieldKind::Missing) => Field::Missing,
                    (Slot::Keep, FieldKind::Json) => Field::Json(&rec[i]),
                    (Slot::Keep, FieldKind::Text) => Field::Text(&rec[i]),
                    (Slot::Computed { .. }, _) => {
                        let c = computed[i].as_ref().expect("computed above");
                        let k = c.at.as_ref().map_or(r, |at| at[r] as usize);
                        Field::Text(c.column.get(k).unwrap_or_default())
                    }
                };
                w.field(i, field)?;
            }
            w.end_row()?;
        }
        Ok(Done { bytes: w.into_bytes()?, invalid, absent })
    }

    /// Applies the policy's action for column `name` to `values` as text (`records`: the values
    /// of the column an `encrypt` action binds them to, row for row), or with `reveal` decrypts
    /// them: what protecting a file does to that column, for callers that hold columns (a
    /// Spark task's Arrow batch). Only `encrypt`, `encrypt_deterministic`, `fpe`, `token` and
    /// `mask` columns compute anything; any other name is an `InvalidArgument` error. Errors of a
    /// value name its row in `values`, never the value.
    pub fn protect_column(
        &self,
        name: &str,
        values: &dyn Values,
        records: Option<&dyn Values>,
        reveal: bool,
    ) -> Result<Column> {
        let step = self.steps.iter().find(|s| s.name == name).ok_or_else(|| {
            Error::new(ErrorKind::InvalidArgument, format!("column `{name}` is not in the policy")).at_column(name)
        })?;
        if !matches!(step.transform, Transform::Cipher { .. } | Transform::Mask(_)) {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("column `{name}` is `{}`: there is nothing to compute", step.action),
            )
            .at_column(name));
        }
        if matches!(&step.transform, Transform::Cipher { record: Some(_), .. }) != records.is_some() {
            let needs = if records.is_some() { "is not bound to a record" } else { "is bound to a record column" };
            return Err(Error::new(ErrorKind::InvalidArgument, format!("column `{name}` {needs}")).at_column(name));
        }
        self.compute(step, values, records, reveal).map_err(|e| e.at_column(name))
    }

    /// One step on a column of values.
    pub(super) fn compute(
        &self,
        step: &Step,
        values: &dyn Values,
        records: Option<&dyn Values>,
        reveal: bool,
    ) -> Result<Column> {
        match &step.transform {
            Transform::Cipher { cipher, .. } if reveal => {
                cipher.decrypt_column(values, records, Encoding::Text, step.on_invalid)
            }
            Transform::Cipher { cipher, .. } => cipher.encrypt_column(values, records, Encoding::Text, step.on_invalid),
            Transform::Mask(_) if reveal => Err(Error::new(ErrorKind::InvalidArgument, "a mask cannot be reversed")),
            Transform::Mask(masker) => masker.apply_column(values, None, Some(step.on_invalid)),
            _ => Err(Error::new(ErrorKind::InvalidArgument, "only ciphers and masks compute values")),
        }
    }

    fn report(&self, header: &[String], bound: &[Option<usize>], counts: &Counts, rows: u64) -> Report {
        let columns = header
            .iter()
            .zip(bound)
            .zip(counts.invalid.iter().zip(&counts.absent))
            .map(|((name, step), (&invalid, &absent))| match step.map(|i| &self.steps[i]) {
                Some(s) => ColumnReport {
                    name: name.clone(),
                    action: s.action.to_string(),
                    detail: s.detail.clone(),
                    key_version: s.key_version,
                    invalid,
                    on_invalid: s.on_invalid.name().to_string(),
                    absent,
                },
                None => ColumnReport {
                    name: name.clone(),
                    action: "drop".to_string(),
                    detail: Some("not in the policy; default = \"drop\"".to_string()),
                    key_version: None,
                    invalid: 0,
                    on_invalid: String::new(),
                    absent,
                },
            })
            .collect();
        let p = &self.policy;
        Report {
            policy: p.id.clone(),
            policy_version: p.version,
            policy_hash: hex::encode(p.hash),
            dataset: p.dataset.clone(),
            rows,
            columns,
            anonymization: None,
        }
    }
}

#[cfg(not(feature = "parquet"))]
impl Plan {
    /// Without the `parquet` feature (opening the file has refused it already).
    #[allow(clippy::too_many_arguments)]
    fn run_parquet(
        &self,
        _input: &Path,
        _header: &[String],
        _slots: &[Slot],
        _output: impl Write + Send,
        _generalizer: Option<&Generalizer>,
        _expected_rows: Option<u64>,
        _reveal: bool,
    ) -> Result<(u64, Counts)> {
        Err(crate::io::records::no_parquet())
    }
}

/// A computed column of a chunk: its values, and, when some rows hold a JSON Lines `null` or missing
/// key (which are not computed), each row's index among the values (`u32::MAX` for those rows).
struct Computed {
    column: Column,
    at: Option<Vec<u32>>,
}

/// What a pass counted per input column.
pub(super) struct Counts {
    pub invalid: Vec<u64>,
    pub absent: Vec<u64>,
}

pub(super) fn changed() -> Error {
    Error::new(ErrorKind::InvalidInput, "the input file changed between the passes")
}

impl Plan {
    /// The counting pass: the combinations of quasi-identifier (and sensitive) values, and the
    /// rows. A JSON Lines `null` or missing key counts as the empty value.
    fn count(
        &self,
        input: &Path,
        format: DataFormat,
        config: &crate::anon::Config,
        header: &[String],
    ) -> Result<(Frequencies, u64)> {
        let (mut rdr, again) = self.open_input(input, format)?;
        if again != header {
            return Err(changed());
        }
        let mut frequencies = Frequencies::new(config, header).map_err(|e| e.at_line(1))?;
        let mut rec = csv::StringRecord::new();
        let mut row = 0u64;
        while let Some(line) = rdr.next_strings(&mut rec).map_err(|e| e.at_row(row))? {
            frequencies.add_csv_record(&rec).map_err(|e| e.at_row(row).at_line(line))?;
            row += 1;
        }
        Ok((frequencies, row))
    }
}
