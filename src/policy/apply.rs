//! Applying a plan to CSV: records are read in chunks, each chunk's columns go through their
//! ciphers and maskers on all cores (a whole column of the chunk per call), and the chunks are
//! written in order. Memory is a few chunks, whatever the size of the file. `generalize`
//! columns need one counting pass first (and the anonymization search between the passes).

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
use crate::{Column, Error, ErrorKind, Result, Values};

/// Records per chunk handed to one core.
pub const CHUNK_ROWS: usize = 4096;

/// What is written for one input column.
#[derive(Clone, Copy)]
enum Slot {
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
    lines: Vec<u64>,
    len: usize,
    /// Zero-based data row of the first record.
    first_row: u64,
}

impl Chunk {
    /// Reads up to [`CHUNK_ROWS`] records; `row` counts the data rows read so far.
    fn fill<R: Read>(&mut self, rdr: &mut CsvReader<R>, row: &mut u64) -> Result<()> {
        self.len = 0;
        self.first_row = *row;
        while self.len < CHUNK_ROWS {
            if self.len == self.records.len() {
                self.records.push(csv::ByteRecord::new());
                self.lines.push(0);
            }
            let Some(line) = rdr.next_bytes(&mut self.records[self.len]).map_err(|e| e.at_row(*row))? else { break };
            self.lines[self.len] = line;
            self.len += 1;
            *row += 1;
        }
        Ok(())
    }
}

/// The output bytes of one chunk and the invalid values of each input column.
struct Done {
    bytes: Vec<u8>,
    invalid: Vec<u64>,
}

impl Plan {
    /// Protects CSV read from `input` (a header line, then records, `delimiter`-separated) into
    /// `output`, in one streaming pass. Policies with `generalize` columns need two passes: use
    /// [`Plan::protect_csv_file`]. Errors name the line, the data row and the column, never a
    /// value; what was written to `output` before an error is incomplete (the file call writes
    /// whole or not at all).
    pub fn protect_csv(&self, input: impl Read + Send, output: impl Write, delimiter: u8) -> Result<Report> {
        if self.anonymization.is_some() {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                "a policy with `generalize` columns reads its input twice: protect a file (protect_csv_file)",
            ));
        }
        let mut rdr = CsvReader::new(input, delimiter, false);
        let header = crate::anon::table_header(&mut rdr)?;
        let (bound, slots) = self.protect_slots(&header, None)?;
        let (rows, invalid) = self.run(rdr, &header, &slots, output, delimiter, None, None, false)?;
        Ok(self.report(&header, &bound, &invalid, rows))
    }

    /// Protects the CSV file `input` into `output`, written whole or not at all (through a
    /// temporary file beside it, renamed when everything succeeded) and never over `input`.
    /// With `generalize` columns the file is read once more first, to count the combinations of
    /// quasi-identifiers the optimal search runs on (and once more still when a hierarchy is
    /// derived from the column's values).
    pub fn protect_csv_file(&self, input: impl AsRef<Path>, output: impl AsRef<Path>, delimiter: u8) -> Result<Report> {
        let (input, output) = (input.as_ref(), output.as_ref());
        refuse_same_file(input, output)?;
        let (_, header) = open(input, delimiter)?;
        self.bind(&header).map_err(|p| problems_error(&p))?;
        let anonymized = match &self.anonymization {
            None => None,
            Some(spec) => {
                let config = spec.build_for_file(input, delimiter)?;
                let (frequencies, rows) = count(input, delimiter, &config, &header)?;
                Some((FrequencyAnonymizer::from_frequencies(frequencies, &config)?.optimal()?, rows))
            }
        };
        write_atomically(output, |w| {
            let (rdr, again) = open(input, delimiter)?;
            if again != header {
                return Err(changed());
            }
            let generalizer = anonymized.as_ref().map(|(g, _)| &g.generalizer);
            let (bound, slots) = self.protect_slots(&header, generalizer)?;
            let expected = anonymized.as_ref().map(|(_, rows)| *rows);
            let (rows, invalid) = self.run(rdr, &header, &slots, w, delimiter, generalizer, expected, false)?;
            let mut report = self.report(&header, &bound, &invalid, rows);
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
        let (input, output) = (input.as_ref(), output.as_ref());
        refuse_same_file(input, output)?;
        let (_, header) = open(input, delimiter)?;
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
            let (rdr, _) = open(input, delimiter)?;
            let (rows, invalid) = self.run(rdr, &header, &slots, w, delimiter, None, None, true)?;
            let mut report = self.report(&header, &bound, &invalid, rows);
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

    /// One pass over the records: protecting (or, with `reveal`, decrypting what can be) and
    /// writing. With a generalizer, `expected_rows` is what the counting pass saw. Returns the
    /// rows and the invalid values of each column.
    #[allow(clippy::too_many_arguments)]
    fn run<R: Read + Send>(
        &self,
        mut rdr: CsvReader<R>,
        header: &[String],
        slots: &[Slot],
        output: impl Write,
        delimiter: u8,
        generalizer: Option<&Generalizer>,
        expected_rows: Option<u64>,
        reveal: bool,
    ) -> Result<(u64, Vec<u64>)> {
        let at = |name: &str| header.iter().position(|h| h == name).expect("a header column");
        let qi_columns: Vec<usize> = generalizer.map_or_else(Vec::new, |g| g.columns().iter().map(|q| at(q)).collect());
        let mut out = std::io::BufWriter::with_capacity(1 << 16, output);
        let kept: Vec<&str> =
            header.iter().zip(slots).filter(|(_, s)| !matches!(s, Slot::Drop)).map(|(n, _)| n.as_str()).collect();
        out.write_all(&write_rows(delimiter, |w| w.write_record(&kept))?)?;

        // A reader thread fills one batch of chunks (one per core) while the cores protect the
        // previous batch and this thread writes it: reading, protecting and writing overlap.
        let lanes = rayon::current_num_threads().max(1);
        let mut releasers: Vec<Option<Releaser<'_>>> = (0..lanes).map(|_| generalizer.map(Releaser::new)).collect();
        let mut invalid = vec![0u64; header.len()];
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
                        if let Err(e) = chunk.fill(&mut rdr, &mut row) {
                            let _ = filled_tx.send(Err(e));
                            return row;
                        }
                        if let (Some(progress), Some(rec)) = (progress, chunk.records[..chunk.len].last()) {
                            progress(rec.position().map_or(0, |p| p.byte()) + rec.as_slice().len() as u64);
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
                        self.chunk(chunk, header, slots, &qi_columns, releaser.as_mut(), delimiter, reveal)
                    })
                    .collect();
                for d in done {
                    let d = d?;
                    out.write_all(&d.bytes)?;
                    invalid.iter_mut().zip(&d.invalid).for_each(|(a, b)| *a += b);
                }
                let _ = free_tx.send(batch);
            }
            reader.join().map_err(|_| Error::new(ErrorKind::Internal, "the CSV reader thread panicked"))
        })?;
        if expected_rows.is_some_and(|n| n != row) {
            return Err(changed());
        }
        out.flush()?;
        Ok((row, invalid))
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
        delimiter: u8,
        reveal: bool,
    ) -> Result<Done> {
        let rows = &chunk.records[..chunk.len];
        let locate = |e: Error, name: &str| {
            let r = e.position().row.unwrap_or(0) as usize;
            let line = chunk.lines.get(r).copied().unwrap_or(0);
            let e = Error::new(e.kind(), e.message()).at_row(chunk.first_row + r as u64).at_line(line).at_column(name);
            e
        };
        let mut invalid = vec![0u64; slots.len()];
        let mut computed: Vec<Option<Column>> = Vec::with_capacity(slots.len());
        for (i, slot) in slots.iter().enumerate() {
            let Slot::Computed { step, record } = *slot else {
                computed.push(None);
                continue;
            };
            let Step { transform, on_invalid, .. } = &self.steps[step];
            let values: Vec<&[u8]> = rows.iter().map(|r| &r[i]).collect();
            let records: Option<Vec<&[u8]>> = record.map(|c| rows.iter().map(|r| &r[c]).collect());
            let column = match transform {
                Transform::Cipher { cipher, .. } if reveal => cipher.decrypt_column(
                    &values,
                    records.as_ref().map(|r| r as &dyn Values),
                    Encoding::Text,
                    *on_invalid,
                ),
                Transform::Cipher { cipher, .. } => cipher.encrypt_column(
                    &values,
                    records.as_ref().map(|r| r as &dyn Values),
                    Encoding::Text,
                    *on_invalid,
                ),
                Transform::Mask(masker) => masker.apply_column(&values, None, Some(*on_invalid)),
                _ => unreachable!("only ciphers and masks are computed"),
            }
            .map_err(|e| locate(e, &header[i]))?;
            invalid[i] = column.invalid_rows().len() as u64;
            computed.push(Some(column));
        }
        let mut released = true;
        let bytes = write_rows(delimiter, |w| {
            for (r, rec) in rows.iter().enumerate() {
                if let Some(rel) = releaser.as_deref_mut() {
                    released = rel
                        .classify(|j| std::str::from_utf8(&rec[qi_columns[j]]).unwrap_or("\u{fffd}"))
                        .map_err(|e| locate(e.at_row(r as u64), "").into_csv())?;
                }
                for (i, slot) in slots.iter().enumerate() {
                    match *slot {
                        Slot::Drop => continue,
                        Slot::Keep => w.write_field(&rec[i])?,
                        Slot::Computed { .. } => {
                            w.write_field(computed[i].as_ref().and_then(|c| c.get(r)).unwrap_or_default())?
                        }
                        Slot::Generalize(j) => {
                            let label = match releaser.as_deref() {
                                Some(rel) if released => rel.label(j),
                                _ => "*",
                            };
                            w.write_field(label)?
                        }
                    }
                }
                w.write_record(None::<&[u8]>)?;
            }
            Ok(())
        })?;
        Ok(Done { bytes, invalid })
    }

    fn report(&self, header: &[String], bound: &[Option<usize>], invalid: &[u64], rows: u64) -> Report {
        let columns = header
            .iter()
            .zip(bound)
            .zip(invalid)
            .map(|((name, step), &invalid)| match step.map(|i| &self.steps[i]) {
                Some(s) => ColumnReport {
                    name: name.clone(),
                    action: s.action.to_string(),
                    detail: s.detail.clone(),
                    key_version: s.key_version,
                    invalid,
                    on_invalid: s.on_invalid.name().to_string(),
                },
                None => ColumnReport {
                    name: name.clone(),
                    action: "drop".to_string(),
                    detail: Some("not in the policy; default = \"drop\"".to_string()),
                    key_version: None,
                    invalid: 0,
                    on_invalid: String::new(),
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

/// An error carried through the CSV writer's closure.
trait IntoCsv {
    fn into_csv(self) -> csv::Error;
}

impl IntoCsv for Error {
    fn into_csv(self) -> csv::Error {
        csv::Error::from(std::io::Error::other(Carried(self)))
    }
}

#[derive(Debug)]
struct Carried(Error);

impl std::fmt::Display for Carried {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Carried {}

/// Runs `write` on a CSV writer into memory; returns the bytes.
fn write_rows(delimiter: u8, write: impl FnOnce(&mut csv::Writer<Vec<u8>>) -> csv::Result<()>) -> Result<Vec<u8>> {
    let mut w =
        csv::WriterBuilder::new().delimiter(delimiter).has_headers(false).from_writer(Vec::with_capacity(1 << 16));
    write(&mut w).map_err(|e| match e.into_kind() {
        csv::ErrorKind::Io(io) => match io.into_inner().map(|inner| inner.downcast::<Carried>()) {
            Some(Ok(carried)) => carried.0,
            _ => Error::new(ErrorKind::Internal, "writing CSV in memory failed"),
        },
        _ => Error::new(ErrorKind::Internal, "writing CSV in memory failed"),
    })?;
    w.into_inner().map_err(|_| Error::new(ErrorKind::Internal, "writing CSV in memory failed"))
}

fn changed() -> Error {
    Error::new(ErrorKind::InvalidInput, "the input file changed between the passes")
}

fn open(input: &Path, delimiter: u8) -> Result<(CsvReader<std::io::BufReader<std::fs::File>>, Vec<String>)> {
    let mut rdr =
        CsvReader::new(std::io::BufReader::with_capacity(1 << 16, std::fs::File::open(input)?), delimiter, false);
    let header = crate::anon::table_header(&mut rdr)?;
    Ok((rdr, header))
}

/// The counting pass: the combinations of quasi-identifier (and sensitive) values, and the rows.
fn count(input: &Path, delimiter: u8, config: &crate::anon::Config, header: &[String]) -> Result<(Frequencies, u64)> {
    let (mut rdr, again) = open(input, delimiter)?;
    if again != header {
        return Err(changed());
    }
    let mut frequencies = Frequencies::new(config, header).map_err(|e| e.at_line(1))?;
    let mut rec = csv::StringRecord::new();
    let mut row = 0u64;
    while let Some(line) = rdr.next_string(&mut rec).map_err(|e| e.at_row(row))? {
        frequencies.add_csv_record(&rec).map_err(|e| e.at_row(row).at_line(line))?;
        row += 1;
    }
    Ok((frequencies, row))
}
