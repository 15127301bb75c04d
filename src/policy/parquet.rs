//! Applying a plan to a Parquet table (feature `parquet`), column by column: each record batch's
//! kept columns are written as they were read (type, nulls and values), the computed ones go
//! through the same cipher and masker calls as a CSV chunk's, on the columns' text, and come out
//! as text columns with their nulls left null; generalized columns are the releaser's labels. The
//! batches are protected on all cores and written in order; memory is a few batches and one
//! output row group ([`ROW_GROUP_BYTES`]), whatever the size of the file.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::StringBuilder;
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use rayon::prelude::*;

use super::apply::{changed, Counts, Slot};
use super::plan::Step;
use super::Plan;
use crate::anon::{Generalizer, Releaser};
use crate::io::parquet::{self as pq, ParquetBatches};
use crate::io::records::PARQUET_BATCH_ROWS;
use crate::{Error, ErrorKind, Result, Values};

/// Encoded bytes of the output row group held before it is written out: the writer buffers a row
/// group whole, so this bounds its memory (and readers get row groups of a usual size).
const ROW_GROUP_BYTES: usize = 128 << 20;

// The reader's batches are the policy pass's chunks.
const _: () = assert!(PARQUET_BATCH_ROWS == super::apply::CHUNK_ROWS);

/// One protected batch, and the invalid and the null values of each input column.
struct Done {
    batch: RecordBatch,
    invalid: Vec<u64>,
    absent: Vec<u64>,
}

impl Plan {
    /// One pass over the Parquet file `input` (whose columns are `header`): protecting (or, with
    /// `reveal`, decrypting what can be) and writing Parquet to `output`. As `run` for records.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn run_parquet(
        &self,
        input: &Path,
        header: &[String],
        slots: &[Slot],
        output: impl Write + Send,
        generalizer: Option<&Generalizer>,
        expected_rows: Option<u64>,
        reveal: bool,
    ) -> Result<(u64, Counts)> {
        let batches = pq::open(input)?;
        if pq::names(&batches.schema) != header {
            return Err(changed());
        }
        let schema = output_schema(&batches.schema, slots);
        let properties = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::default()))
            .set_max_row_group_bytes(Some(ROW_GROUP_BYTES))
            .build();
        let mut writer = ArrowWriter::try_new(output, schema.clone(), Some(properties)).map_err(write_error)?;
        let at = |name: &str| header.iter().position(|h| h == name).expect("a header column");
        let qi_columns: Vec<usize> = generalizer.map_or_else(Vec::new, |g| g.columns().iter().map(|q| at(q)).collect());
        let lanes = rayon::current_num_threads().max(1);
        let mut releasers: Vec<Option<Releaser<'_>>> = (0..lanes).map(|_| generalizer.map(Releaser::new)).collect();
        let mut counts = Counts { invalid: vec![0; header.len()], absent: vec![0; header.len()] };
        // A reader thread decodes one group of batches (one per core) while the cores protect the
        // previous group and this thread encodes it: at most three groups are held.
        let (filled_tx, filled_rx) = std::sync::mpsc::sync_channel::<Result<Vec<(u64, RecordBatch)>>>(1);
        let rows = std::thread::scope(|scope| -> Result<u64> {
            let filled_rx = filled_rx; // owned here: an early return stops the reader
            let progress = self.progress.as_deref();
            let reader = scope.spawn(move || read_groups(batches, lanes, &filled_tx, progress));
            for group in filled_rx.iter() {
                let group = group?;
                let done: Vec<Result<Done>> = group
                    .par_iter()
                    .zip(releasers.par_iter_mut())
                    .map(|((first, batch), releaser)| {
                        let parts = Parts { header, slots, qi_columns: &qi_columns, schema: &schema, reveal };
                        self.protect_batch(*first, batch, &parts, releaser.as_mut())
                    })
                    .collect();
                for d in done {
                    let d = d?;
                    writer.write(&d.batch).map_err(write_error)?;
                    counts.invalid.iter_mut().zip(&d.invalid).for_each(|(a, b)| *a += b);
                    counts.absent.iter_mut().zip(&d.absent).for_each(|(a, b)| *a += b);
                }
            }
            reader.join().map_err(|_| Error::new(ErrorKind::Internal, "the reader thread panicked"))
        })?;
        if expected_rows.is_some_and(|n| n != rows) {
            return Err(changed());
        }
        writer.close().map_err(write_error)?;
        Ok((rows, counts))
    }

    /// One batch: every column as its slot says.
    fn protect_batch(
        &self,
        first: u64,
        batch: &RecordBatch,
        parts: &Parts<'_>,
        releaser: Option<&mut Releaser<'_>>,
    ) -> Result<Done> {
        let Parts { header, slots, qi_columns, schema, reveal } = *parts;
        let texts = texts(first, batch, header, slots, qi_columns)?;
        let text = |c: usize| texts[c].as_ref().expect("the column's text was made");
        let mut invalid = vec![0u64; slots.len()];
        // Logical nulls, as the text sees them: a dictionary's null value, a column of type Null.
        let absent: Vec<u64> = batch.columns().iter().map(|c| c.logical_null_count() as u64).collect();
        let labels = match releaser {
            Some(rel) => Some(labels(first, rel, &qi_columns.iter().map(|&c| text(c)).collect::<Vec<_>>())?),
            None => None,
        };
        let mut columns: Vec<ArrayRef> = Vec::with_capacity(schema.fields().len());
        for (i, slot) in slots.iter().enumerate() {
            columns.push(match *slot {
                Slot::Drop => continue,
                Slot::Keep => batch.column(i).clone(),
                Slot::Generalize(j) => Arc::new(labels.as_ref().expect("a releaser").column(j).clone()),
                Slot::Computed { step, record } => {
                    let (column, n_invalid) =
                        self.computed(text(i), record.map(text), &self.steps[step], reveal).map_err(|e| {
                            let e = match e.position().row {
                                Some(r) => Error::new(e.kind(), e.message()).at_row(first + r),
                                None => e,
                            };
                            e.at_column(header[i].as_str())
                        })?;
                    invalid[i] = n_invalid;
                    Arc::new(column)
                }
            });
        }
        let batch = RecordBatch::try_new(schema.clone(), columns).map_err(|_| {
            Error::new(ErrorKind::Internal, "a protected batch does not fit the output schema").at_row(first)
        })?;
        Ok(Done { batch, invalid, absent })
    }

    /// A computed column: its present values through the step (nulls are not values, and stay
    /// null); returns the text column and its invalid values. An error's row is in the batch.
    fn computed(
        &self,
        values: &StringArray,
        records: Option<&StringArray>,
        step: &Step,
        reveal: bool,
    ) -> Result<(StringArray, u64)> {
        let present: Vec<usize> = (0..values.len()).filter(|&r| values.is_valid(r)).collect();
        let texts: Vec<&str> = present.iter().map(|&r| values.value(r)).collect();
        let bound: Option<Vec<&str>> = records.map(|a| present.iter().map(|&r| text_or_empty(a, r)).collect());
        let bound = bound.as_ref().map(|b| b as &dyn Values);
        let column = self.compute(step, &texts, bound, reveal).map_err(|e| {
            match e.position().row.and_then(|k| present.get(k as usize)) {
                Some(&r) => Error::new(e.kind(), e.message()).at_row(r as u64),
                None => e,
            }
        })?;
        let mut out = StringBuilder::with_capacity(values.len(), column.data().len());
        let mut k = 0;
        for r in 0..values.len() {
            if values.is_null(r) {
                out.append_null();
            } else {
                out.append_value(String::from_utf8_lossy(column.get(k).unwrap_or_default()));
                k += 1;
            }
        }
        Ok((out.finish(), column.invalid_rows().len() as u64))
    }
}

/// What every batch of a pass shares.
#[derive(Clone, Copy)]
struct Parts<'a> {
    header: &'a [String],
    slots: &'a [Slot],
    qi_columns: &'a [usize],
    schema: &'a SchemaRef,
    reveal: bool,
}

/// Reads groups of `lanes` batches into `filled` until the end, an error or a closed channel;
/// returns the rows read.
fn read_groups(
    mut batches: ParquetBatches,
    lanes: usize,
    filled: &std::sync::mpsc::SyncSender<Result<Vec<(u64, RecordBatch)>>>,
    progress: Option<&(dyn Fn(u64) + Send + Sync)>,
) -> u64 {
    let mut rows = 0u64;
    loop {
        let mut group = Vec::with_capacity(lanes);
        while group.len() < lanes {
            match batches.next_batch() {
                Ok(Some(b)) => {
                    rows += b.1.num_rows() as u64;
                    group.push(b);
                }
                Ok(None) => break,
                Err(e) => {
                    let _ = filled.send(Err(e));
                    return rows;
                }
            }
        }
        if let Some(progress) = progress {
            progress(batches.bytes_read());
        }
        let last = group.len() < lanes;
        if (!group.is_empty() && filled.send(Ok(group)).is_err()) || last {
            return rows;
        }
    }
}

/// The text of the columns a batch computes from: the computed ones, the records they are bound
/// to and the quasi-identifiers (`None` for the others).
fn texts(
    first: u64,
    batch: &RecordBatch,
    header: &[String],
    slots: &[Slot],
    qi_columns: &[usize],
) -> Result<Vec<Option<StringArray>>> {
    let mut needed = vec![false; slots.len()];
    for (i, slot) in slots.iter().enumerate() {
        if let Slot::Computed { record, .. } = *slot {
            needed[i] = true;
            if let Some(c) = record {
                needed[c] = true;
            }
        }
    }
    qi_columns.iter().for_each(|&c| needed[c] = true);
    (0..slots.len())
        .map(|c| {
            needed[c]
                .then(|| {
                    pq::text_column(batch.column(c)).map_err(|e| {
                        // The cast does not say which value: name the batch's first row.
                        Error::new(
                            e.kind(),
                            format!("{} (in the {} rows from this one)", e.message(), batch.num_rows()),
                        )
                        .at_row(first)
                        .at_column(header[c].as_str())
                    })
                })
                .transpose()
        })
        .collect()
}

/// The generalized columns of a batch: each row's labels, or `*` where the row is suppressed.
struct Labels(Vec<StringArray>);

impl Labels {
    fn column(&self, j: usize) -> &StringArray {
        &self.0[j]
    }
}

fn labels(first: u64, releaser: &mut Releaser<'_>, qi: &[&StringArray]) -> Result<Labels> {
    let rows = qi.first().map_or(0, |c| c.len());
    let mut out: Vec<StringBuilder> = qi.iter().map(|_| StringBuilder::with_capacity(rows, rows * 8)).collect();
    for r in 0..rows {
        let released = releaser.classify(|j| text_or_empty(qi[j], r)).map_err(|e| e.at_row(first + r as u64))?;
        for (j, b) in out.iter_mut().enumerate() {
            b.append_value(if released { releaser.label(j) } else { "*" });
        }
    }
    Ok(Labels(out.iter_mut().map(StringBuilder::finish).collect()))
}

/// Row `r`'s text, empty for a null (as the counting pass reads it).
fn text_or_empty(c: &StringArray, r: usize) -> &str {
    if c.is_null(r) {
        ""
    } else {
        c.value(r)
    }
}

/// The output's schema: the kept columns' fields as they were, the others as nullable text.
fn output_schema(input: &SchemaRef, slots: &[Slot]) -> SchemaRef {
    let fields: Vec<Arc<Field>> = input
        .fields()
        .iter()
        .zip(slots)
        .filter_map(|(f, slot)| match slot {
            Slot::Drop => None,
            Slot::Keep => Some(f.clone()),
            Slot::Computed { .. } | Slot::Generalize(_) => Some(Arc::new(Field::new(f.name(), DataType::Utf8, true))),
        })
        .collect();
    // The input's schema metadata (pandas' column types, say) would describe columns that changed.
    Arc::new(Schema::new(fields))
}

fn write_error(e: parquet::errors::ParquetError) -> Error {
    // The writer's errors are about output and encoding, not values.
    Error::new(ErrorKind::Io, format!("writing the Parquet output failed: {e}"))
}
