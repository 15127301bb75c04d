//! Whole-column calls: pack the Python values, call the core once with the GIL released, and
//! build the output in the caller's shape (a list, or a pyarrow array of the same width).

use crate::errors;
use crate::values::{self, Input, Source};
use privshare::ErrorKind;
use privshare::{Column, Packed};
use pyo3::buffer::PyBuffer;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PySlice, PyString};

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
    run_dyn(values, records, out, &f, 0, false)
}

/// [`run`] for calls that read the values as text (masking): a column of `str` is checked to be
/// UTF-8 once as a whole, so that the core needs no check per value.
pub fn run_on_text<'py, F>(
    values: &Bound<'py, PyAny>,
    records: Option<&Bound<'py, PyAny>>,
    out: Out,
    f: F,
) -> PyResult<Bound<'py, PyAny>>
where
    F: Fn(&Packed<'_>, Option<&Packed<'_>>, bool) -> privshare::Result<Column> + Sync,
{
    run_dyn(values, records, out, &f, 0, true)
}

fn run_dyn<'py>(
    values: &Bound<'py, PyAny>,
    records: Option<&Bound<'py, PyAny>>,
    out: Out,
    f: &ColumnFn<'_>,
    base: usize,
    as_text: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let py = values.py();
    if values::is_arrow(values) && values.hasattr("chunks")? {
        return run_chunked(values, records, out, f, as_text);
    }
    let input = values::column(values, "values")?;
    let recs = match records {
        None => None,
        Some(r) if r.is_none() => None,
        Some(r) => Some(records_like(r, &input)?),
    };
    let text = input.source.is_text();
    let result = py.detach(|| {
        let v = if as_text && text { input.packed_text()? } else { input.packed()? };
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
    as_text: bool,
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
        let res = run_dyn(&chunk, rec.as_ref(), out, f, base, as_text)?;
        outs.push(res);
        base += n;
    }
    arrow.getattr("chunked")?.call1((outs, values, out == Out::Bytes))
}

/// The row of a core error in the caller's terms: for Arrow input with nulls, the row among the
/// valid values is mapped back to the original array; `base` is the chunk's first row.
pub fn reposition(py: Python<'_>, e: privshare::Error, source: &Source, base: usize) -> privshare::Error {
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
    with_row(e, new_row)
}

/// `e` at row `new_row` (`at_row` keeps a row already set, so the error is rebuilt).
fn with_row(e: privshare::Error, new_row: u64) -> privshare::Error {
    if e.position().row == Some(new_row) {
        return e;
    }
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
    // Text output is checked once over the whole buffer (fast for ASCII), and value by value only
    // to name the row when that check fails.
    let text = if out == Out::Bytes {
        None
    } else {
        match std::str::from_utf8(column.data()) {
            // A valid buffer can still split a character between two values: check the cuts.
            Ok(t) if column.offsets().iter().all(|&o| t.is_char_boundary(o)) => Some(t),
            _ => {
                let row = column.iter().position(|v| std::str::from_utf8(v).is_err()).unwrap_or(0);
                let kind = if out == Out::Str { ErrorKind::NotUtf8 } else { ErrorKind::Internal };
                let e = privshare::Error::new(kind, "a decrypted value is not valid UTF-8").at_row(row as u64);
                return Err(errors::to_py(py, reposition(py, e, source, base)));
            }
        }
    };
    match source {
        Source::Sequence { .. } => match text {
            None => Ok(PyList::new(py, column.iter().map(|v| PyBytes::new(py, v)))?.into_any()),
            Some(text) => {
                // Checked above: every offset falls on a character boundary.
                let o = column.offsets();
                let strs = (0..column.len()).map(|i| PyString::new(py, text.get(o[i]..o[i + 1]).unwrap_or_default()));
                Ok(PyList::new(py, strs)?.into_any())
            }
        },
        Source::Arrow { wide, shape, .. } => {
            let data = column.data();
            let wide = *wide || data.len() > i32::MAX as usize;
            let offsets = offsets_bytes(py, column.offsets(), wide)?;
            // One copy of the output bytes into a Python `bytes`, which pyarrow wraps without
            // another copy (`pyarrow.py_buffer`).
            let data = PyBytes::new(py, data);
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

/// Offsets as native-endian i32 or i64 bytes (Arrow's layout), written straight into a `bytes`.
fn offsets_bytes<'py>(py: Python<'py>, offsets: &[usize], wide: bool) -> PyResult<Bound<'py, PyBytes>> {
    let too_large = || PyValueError::new_err("output column too large for Arrow offsets");
    if offsets.last().is_some_and(|&end| end > if wide { i64::MAX as usize } else { i32::MAX as usize }) {
        return Err(too_large());
    }
    let width = if wide { 8 } else { 4 };
    PyBytes::new_with(py, offsets.len() * width, |buf| {
        for (dst, &o) in buf.chunks_exact_mut(width).zip(offsets) {
            // In range: offsets never decrease and the last one was checked above.
            if wide {
                dst.copy_from_slice(&(o as i64).to_ne_bytes());
            } else {
                dst.copy_from_slice(&(o as i32).to_ne_bytes());
            }
        }
        Ok(())
    })
}

/// Values per block of [`run_arrow_text`]: small enough that each block's buffers stay in cache
/// and are reused by the allocator, large enough that the per-block Python calls do not count.
const BLOCK: usize = 8192;

/// A pyarrow `Array` or `ChunkedArray` of string / binary values through `f`, whose output is
/// text, without ever holding the whole column in Rust-owned memory: the values are copied one
/// block at a time into a buffer that is reused and wiped, `f` runs on each block without the
/// GIL, and its output goes straight into the Python `bytes` objects that back the result (values
/// and offsets). Fresh memory is touched only for the result, which is what makes this path
/// several times cheaper than packing the whole column (page faults dominated). `Ok(None)` when
/// the output outgrows 32-bit offsets: the caller then takes the general path, which widens.
pub fn run_arrow_text<'py>(values: &Bound<'py, PyAny>, f: &ColumnFn<'_>) -> PyResult<Option<Bound<'py, PyAny>>> {
    let py = values.py();
    let arrow = py.import("privshare._arrow")?;
    if !values.hasattr("chunks")? {
        return arrow_blocks(values, f, 0);
    }
    let mut outs = Vec::new();
    let mut base = 0usize;
    for chunk in values.getattr("chunks")?.try_iter()? {
        let chunk = chunk?;
        let n = chunk.len()?;
        match arrow_blocks(&chunk, f, base)? {
            Some(o) => outs.push(o),
            None => return Ok(None),
        }
        base += n;
    }
    arrow.getattr("chunked")?.call1((outs, values, false)).map(Some)
}

/// A buffer of plaintext values, wiped when dropped (also on an early return).
struct Wiped(Vec<u8>);

impl Drop for Wiped {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

/// Copies bytes `a..b` of a byte memoryview into `into` (resized to fit).
fn copy_range(view: &Bound<'_, PyAny>, a: usize, b: usize, into: &mut Vec<u8>) -> PyResult<()> {
    let py = view.py();
    let (sa, sb) = (isize::try_from(a)?, isize::try_from(b)?);
    let part = view.get_item(PySlice::new(py, sa, sb, 1))?;
    into.resize(b - a, 0);
    PyBuffer::<u8>::get(&part)?.copy_to_slice(py, into)
}

/// [`run_arrow_text`] for one (non-chunked) array; `base` is its first row in the caller's column.
fn arrow_blocks<'py>(values: &Bound<'py, PyAny>, f: &ColumnFn<'_>, base: usize) -> PyResult<Option<Bound<'py, PyAny>>> {
    let py = values.py();
    let arrow = py.import("privshare._arrow")?;
    let (data, offsets, wide, text, shape): (Bound<'_, PyAny>, Bound<'_, PyAny>, bool, bool, Py<PyAny>) =
        arrow.getattr("unpack")?.call1((values, "values"))?.extract()?;
    let source = Source::Arrow { text, wide, shape: shape.clone_ref(py) };
    let corrupt = || errors::core(py, ErrorKind::InvalidArgument, "values: corrupt Arrow offsets");
    let width = if wide { 8 } else { 4 };
    let n = (offsets.len()? / width).checked_sub(1).ok_or_else(corrupt)?;
    let data_len = data.len()?;
    let mut raw = Vec::new();
    copy_range(&offsets, 0, width, &mut raw)?;
    let first = values::decode_offsets(&raw, wide).next().ok_or_else(corrupt)?;
    let limit = if wide { i64::MAX as usize } else { i32::MAX as usize };
    let mut block = Wiped(Vec::new());
    let mut overflow = false;
    let mut out_data = None;
    let out_offsets = PyBytes::new_with(py, (n + 1) * width, |out_offsets| {
        let written = PyBytes::new_with_writer(py, data_len, |w| {
            for i0 in (0..n).step_by(BLOCK) {
                let i1 = (i0 + BLOCK).min(n);
                copy_range(&offsets, i0 * width, (i1 + 1) * width, &mut raw)?;
                // Offsets relative to the array's first value, checked, then to this block's first.
                let offs = values::rebase(values::decode_offsets(&raw, wide)).ok_or_else(corrupt)?;
                let lo = values::decode_offsets(&raw, wide).next().and_then(|o| usize::try_from(o - first).ok());
                let lo = lo.ok_or_else(corrupt)?;
                let hi = lo.saturating_add(offs.last().copied().unwrap_or(0));
                if hi > data_len {
                    return Err(corrupt());
                }
                copy_range(&data, lo, hi, &mut block.0)?;
                let column =
                    run_block(py, &block.0, &offs, f, text).map_err(|e| block_error(py, e, i0, &source, base))?;
                // pyarrow does not check buffers it is given: one value per input, and text.
                let utf8 = std::str::from_utf8(column.data())
                    .is_ok_and(|t| column.offsets().iter().all(|&o| t.is_char_boundary(o)));
                if column.len() != i1 - i0 || !utf8 {
                    return Err(errors::core(py, ErrorKind::Internal, "a masked block is not one text per value"));
                }
                let start = w.len();
                if start + column.data().len() > limit {
                    overflow = true;
                    return Ok(());
                }
                w.write_bytes(column.data())?;
                let dst = &mut out_offsets[(i0 + 1) * width..(i1 + 1) * width];
                for (d, &o) in dst.chunks_exact_mut(width).zip(&column.offsets()[1..]) {
                    // In range: checked against `limit` above.
                    let o = start + o;
                    if wide {
                        d.copy_from_slice(&(o as i64).to_ne_bytes());
                    } else {
                        d.copy_from_slice(&(o as i32).to_ne_bytes());
                    }
                }
            }
            Ok(())
        })?;
        out_data = Some(written);
        Ok(())
    })?;
    match out_data {
        Some(d) if !overflow => arrow.getattr("pack")?.call1((shape.bind(py), d, out_offsets, wide, true, n)).map(Some),
        _ => Ok(None),
    }
}

/// `f` over one block of packed values, without the GIL. One UTF-8 check for the whole block
/// instead of one per value, when it passes (it always does for values that came from `str`).
fn run_block(py: Python<'_>, data: &[u8], offs: &[usize], f: &ColumnFn<'_>, text: bool) -> privshare::Result<Column> {
    py.detach(|| {
        let as_text = std::str::from_utf8(data).ok().and_then(|t| Packed::from_text(t, offs).ok());
        let v = match as_text {
            Some(v) => v,
            None => Packed::new(data, offs)?,
        };
        f(&v, None, text)
    })
}

/// The error of the block starting at value `i0`, as the Python exception for the whole column.
fn block_error(py: Python<'_>, e: privshare::Error, i0: usize, source: &Source, base: usize) -> PyErr {
    let e = match e.position().row {
        Some(r) => with_row(e, r + i0 as u64),
        None => e,
    };
    errors::to_py(py, reposition(py, e, source, base))
}

/// A Python `list` of `str` through `f`, whose output is text, block by block as in
/// [`run_arrow_text`]: each block of values is copied into a buffer that is reused and wiped, `f`
/// runs on it without the GIL, and its output becomes `str` objects at once, so the whole column
/// is never held in Rust-owned memory. `Ok(None)` when the list holds anything but `str` (or a
/// `str` with no UTF-8 form): the caller then takes the general path, which accepts `bytes` too
/// and names the row of a bad value.
pub fn run_list_text<'py>(values: &Bound<'py, PyAny>, f: &ColumnFn<'_>) -> PyResult<Option<Bound<'py, PyAny>>> {
    let py = values.py();
    let Ok(list) = values.cast::<PyList>() else { return Ok(None) };
    let n = list.len();
    let mut block = Wiped(Vec::new());
    let mut offs = Vec::with_capacity(BLOCK.min(n) + 1);
    let mut strs: Vec<Bound<'py, PyString>> = Vec::with_capacity(n);
    let source = Source::Sequence { text: true };
    let mut i0 = 0;
    while i0 < n {
        let i1 = (i0 + BLOCK).min(n);
        block.0.clear();
        offs.clear();
        offs.push(0);
        for i in i0..i1 {
            // `get_item` rather than an iterator: another thread may shrink the list while a
            // block runs without the GIL, which is then an IndexError, never a short result.
            let item = list.get_item(i)?;
            let Ok(s) = item.cast::<PyString>() else { return Ok(None) };
            let Ok(t) = s.to_str() else { return Ok(None) };
            block.0.extend_from_slice(t.as_bytes());
            offs.push(block.0.len());
        }
        let column = run_block(py, &block.0, &offs, f, true).map_err(|e| block_error(py, e, i0, &source, 0))?;
        let text = std::str::from_utf8(column.data())
            .ok()
            .filter(|t| column.len() == i1 - i0 && column.offsets().iter().all(|&o| t.is_char_boundary(o)))
            .ok_or_else(|| errors::core(py, ErrorKind::Internal, "a masked block is not one text per value"))?;
        let o = column.offsets();
        strs.extend((0..column.len()).map(|k| PyString::new(py, text.get(o[k]..o[k + 1]).unwrap_or_default())));
        i0 = i1;
    }
    Ok(Some(PyList::new(py, strs)?.into_any()))
}
