//! Whole-column calls: pack the Python values, call the core once with the GIL released, and
//! build the output in the caller's shape (a list, or a pyarrow array of the same width).

use crate::errors;
use crate::values::{self, Input, Source};
use privshare::fle::{Column, Packed};
use privshare::ErrorKind;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyString};

/// What the output values are.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Out {
    /// ASCII / UTF-8 text made by the core (text-form ciphertexts, tokens, FPE values): `str`.
    Text,
    /// Bytes (binary ciphertexts, decrypted plaintexts): `bytes`.
    Bytes,
    /// Decrypted plaintexts the caller wants as `str`: checked to be UTF-8 (`NotUtf8` names the row).
    Str,
}

/// The core call on a packed column: (values, records, values-were-text) to output.
type ColumnFn<'f> = dyn Fn(&Packed<'_>, Option<&Packed<'_>>, bool) -> privshare::Result<Column> + Sync + 'f;

/// Runs `f` over the column `values` (and the optional `records`) and returns the result in the
/// caller's shape. `f` runs without the GIL.
pub fn run<'py, F>(
    values: &Bound<'py, PyAny>,
    records: Option<&Bound<'py, PyAny>>,
    out: Out,
    f: F,
) -> PyResult<Bound<'py, PyAny>>
where
    F: Fn(&Packed<'_>, Option<&Packed<'_>>, bool) -> privshare::Result<Column> + Sync,
{
    run_dyn(values, records, out, &f, 0)
}

fn run_dyn<'py>(
    values: &Bound<'py, PyAny>,
    records: Option<&Bound<'py, PyAny>>,
    out: Out,
    f: &ColumnFn<'_>,
    base: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let py = values.py();
    if values::is_arrow(values) && values.hasattr("chunks")? {
        return run_chunked(values, records, out, f);
    }
    let input = values::column(values, "values")?;
    let recs = match records {
        None => None,
        Some(r) if r.is_none() => None,
        Some(r) => Some(records_like(r, &input)?),
    };
    let text = input.source.is_text();
    let result = py.detach(|| {
        let v = input.packed()?;
        let r = match &recs {
            Some(r) => Some(r.packed()?),
            None => None,
        };
        f(&v, r.as_ref(), text)
    });
    let column = match result {
        Ok(c) => c,
        Err(e) => return Err(errors::to_py(py, reposition(py, e, &input.source, base))),
    };
    build(py, &column, &input.source, out, base)
}

/// Records for values that came from an Arrow array with nulls must drop the same rows.
fn records_like(records: &Bound<'_, PyAny>, values: &Input) -> PyResult<Input> {
    if let Source::Arrow { shape, .. } = &values.source {
        let py = records.py();
        let filtered = py.import("privshare._arrow")?.getattr("filter_like")?.call1((records, shape.bind(py)))?;
        return values::column(&filtered, "records");
    }
    values::column(records, "records")
}

/// A pyarrow `ChunkedArray`: each chunk in turn, the output a `ChunkedArray` again.
fn run_chunked<'py>(
    values: &Bound<'py, PyAny>,
    records: Option<&Bound<'py, PyAny>>,
    out: Out,
    f: &ColumnFn<'_>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = values.py();
    let arrow = py.import("privshare._arrow")?;
    // Records, if any, are re-chunked to match the values' chunks.
    let pairs = arrow.getattr("chunk_pairs")?.call1((values, records))?;
    let mut outs = Vec::new();
    let mut base = 0usize;
    for pair in pairs.try_iter()? {
        let (chunk, rec): (Bound<'py, PyAny>, Option<Bound<'py, PyAny>>) = pair?.extract()?;
        let n = chunk.len()?;
        let res = run_dyn(&chunk, rec.as_ref(), out, f, base)?;
        outs.push(res);
        base += n;
    }
    arrow.getattr("chunked")?.call1((outs, values, out == Out::Bytes))
}

/// The row of a core error in the caller's terms: for Arrow input with nulls, the row among the
/// valid values is mapped back to the original array; `base` is the chunk's first row.
fn reposition(py: Python<'_>, e: privshare::Error, source: &Source, base: usize) -> privshare::Error {
    let Some(row) = e.position().row else { return e };
    let mut new_row = row;
    if let Source::Arrow { shape, .. } = source {
        let original = py
            .import("privshare._arrow")
            .and_then(|m| m.getattr("original_row")?.call1((shape.bind(py), row))?.extract::<u64>());
        if let Ok(r) = original {
            new_row = r;
        }
    }
    new_row += base as u64;
    if new_row == row {
        return e;
    }
    // `at_row` keeps a row already set, so rebuild the error with the caller's row.
    let p = e.position().clone();
    let mut moved = privshare::Error::new(e.kind(), e.message()).at_row(new_row);
    if let Some(c) = p.column {
        moved = moved.at_column(c);
    }
    if let Some(o) = p.offset {
        moved = moved.at_offset(o);
    }
    moved
}

/// The output in the caller's shape.
fn build<'py>(py: Python<'py>, column: &Column, source: &Source, out: Out, base: usize) -> PyResult<Bound<'py, PyAny>> {
    if out != Out::Bytes {
        if let Some(row) = column.iter().position(|v| std::str::from_utf8(v).is_err()) {
            let kind = if out == Out::Str { ErrorKind::NotUtf8 } else { ErrorKind::Internal };
            let e = privshare::Error::new(kind, "a decrypted value is not valid UTF-8").at_row(row as u64);
            return Err(errors::to_py(py, reposition(py, e, source, base)));
        }
    }
    match source {
        Source::Sequence { .. } => {
            if out == Out::Bytes {
                Ok(PyList::new(py, column.iter().map(|v| PyBytes::new(py, v)))?.into_any())
            } else {
                // UTF-8 checked above.
                let strs = column.iter().map(|v| PyString::new(py, std::str::from_utf8(v).unwrap_or_default()));
                Ok(PyList::new(py, strs)?.into_any())
            }
        }
        Source::Arrow { wide, shape, .. } => {
            let data = column.data();
            let wide = *wide || data.len() > i32::MAX as usize;
            let offsets = offsets_bytes(column.offsets(), wide)
                .ok_or_else(|| PyValueError::new_err("output column too large for Arrow offsets"))?;
            // One copy of the output bytes into a Python `bytes`, which pyarrow wraps without
            // another copy (`pyarrow.py_buffer`).
            let data = PyBytes::new(py, data);
            let offsets = PyBytes::new(py, &offsets);
            py.import("privshare._arrow")?.getattr("pack")?.call1((
                shape.bind(py),
                data,
                offsets,
                wide,
                out != Out::Bytes,
                column.len(),
            ))
        }
    }
}

/// Offsets as native-endian i32 or i64 bytes (Arrow's layout).
fn offsets_bytes(offsets: &[usize], wide: bool) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(offsets.len() * if wide { 8 } else { 4 });
    for &o in offsets {
        if wide {
            out.extend_from_slice(&i64::try_from(o).ok()?.to_ne_bytes());
        } else {
            out.extend_from_slice(&i32::try_from(o).ok()?.to_ne_bytes());
        }
    }
    Some(out)
}
