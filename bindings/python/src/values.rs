//! Python values in: single values (`str` / `bytes` / `bytearray`) and whole columns (a list or
//! tuple or other iterable of them, or a `pyarrow` string / binary array) packed into one buffer
//! plus offsets, so that the core is called once per column with the GIL released.

use crate::errors;
use privshare::ErrorKind;
use pyo3::buffer::PyBuffer;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyList, PyString, PyTuple};
use std::borrow::Cow;

/// The bytes of one value: `str` as UTF-8, `bytes` / `bytearray` as they are.
pub fn bytes_of<'a>(obj: &'a Bound<'_, PyAny>, what: &str) -> PyResult<Cow<'a, [u8]>> {
    bytes_at(obj, what, None)
}

/// [`bytes_of`] for value `row` of a column: errors name the row.
fn bytes_at<'a>(obj: &'a Bound<'_, PyAny>, what: &str, row: Option<usize>) -> PyResult<Cow<'a, [u8]>> {
    if let Ok(s) = obj.cast::<PyString>() {
        let s = s.to_str().map_err(|_| {
            // A str with lone surrogates has no UTF-8 form.
            let mut e = privshare::Error::new(ErrorKind::NotUtf8, format!("{what} is not encodable as UTF-8"));
            if let Some(r) = row {
                e = e.at_row(r as u64);
            }
            errors::to_py(obj.py(), e)
        })?;
        Ok(Cow::Borrowed(s.as_bytes()))
    } else if let Ok(b) = obj.cast::<PyBytes>() {
        Ok(Cow::Borrowed(b.as_bytes()))
    } else if let Ok(b) = obj.cast::<PyByteArray>() {
        Ok(Cow::Owned(b.to_vec()))
    } else {
        let at = row.map(|r| format!("row {r}: ")).unwrap_or_default();
        Err(PyTypeError::new_err(format!(
            "{at}{what} must be str or bytes, not {}",
            obj.get_type().name().map(|n| n.to_string()).unwrap_or_default()
        )))
    }
}

/// One text value (for format-preserving ciphers): `str`, or `bytes` holding UTF-8.
pub fn str_of<'a>(obj: &'a Bound<'_, PyAny>, what: &str) -> PyResult<Cow<'a, str>> {
    match bytes_of(obj, what)? {
        Cow::Borrowed(b) => std::str::from_utf8(b).map(Cow::Borrowed),
        Cow::Owned(v) => String::from_utf8(v).map(Cow::Owned).map_err(|e| e.utf8_error()),
    }
    .map_err(|e| {
        let err = privshare::Error::new(ErrorKind::NotUtf8, format!("{what} is not valid UTF-8"))
            .at_offset(e.valid_up_to() as u64);
        errors::to_py(obj.py(), err)
    })
}

/// A record id (`str` or `bytes`), or `None`.
pub fn record_of<'a>(obj: Option<&'a Bound<'_, PyAny>>) -> PyResult<Option<Cow<'a, [u8]>>> {
    match obj {
        None => Ok(None),
        Some(o) if o.is_none() => Ok(None),
        Some(o) => bytes_of(o, "record").map(Some),
    }
}

/// Where a column came from, so that the output can take the same shape.
pub enum Source {
    /// A list, tuple or other iterable. `text` is true when the first value was a `str`.
    Sequence { text: bool },
    /// A pyarrow array; `wide` when its offsets are 64-bit; `shape` is what `privshare._arrow`
    /// needs to rebuild an array of the same length (with the nulls of the original, if any: the
    /// values packed here are then only the valid ones).
    Arrow { text: bool, wide: bool, shape: Py<PyAny> },
}

impl Source {
    /// True when the caller's values were text (`str` values or an Arrow string array).
    pub fn is_text(&self) -> bool {
        match self {
            Source::Sequence { text } | Source::Arrow { text, .. } => *text,
        }
    }
}

/// A column: one buffer plus `n + 1` offsets, owned so that it can cross `Python::detach`. The
/// buffer is the one copy of the caller's values (from a list, or from an Arrow data buffer), and
/// is wiped when dropped: the values may be plaintext.
pub struct Input {
    data: Vec<u8>,
    offsets: Vec<usize>,
    pub source: Source,
}

impl Input {
    /// The values, as the core wants them.
    pub fn packed(&self) -> privshare::Result<privshare::Packed<'_>> {
        privshare::Packed::new(&self.data, &self.offsets)
    }

    /// [`Input::packed`] with the buffer checked to be UTF-8 once as a whole (so that the core
    /// reads each value as text without checking it again); as `packed` if that check fails.
    pub fn packed_text(&self) -> privshare::Result<privshare::Packed<'_>> {
        match std::str::from_utf8(&self.data) {
            Ok(t) => privshare::Packed::from_text(t, &self.offsets).or_else(|_| self.packed()),
            Err(_) => self.packed(),
        }
    }
}

impl Drop for Input {
    // A column of values to encrypt is plaintext: wipe our copy.
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.data);
    }
}

/// True for a pyarrow `Array` or `ChunkedArray` (checked by module name, so pyarrow is never
/// imported unless the caller uses it).
pub fn is_arrow(obj: &Bound<'_, PyAny>) -> bool {
    obj.get_type().module().map(|m| m.to_str().map(|s| s.starts_with("pyarrow")).unwrap_or(false)).unwrap_or(false)
}

/// Packs a list / tuple / iterable of `str` or `bytes` values.
pub fn from_sequence(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Input> {
    let py = obj.py();
    let items: Bound<'_, PyAny> = if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        obj.clone()
    } else if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>() {
        return Err(PyTypeError::new_err(format!("{what} must be a list of values, not a single value")));
    } else {
        // Any other iterable (generator, numpy object array, ...): materialize once.
        // An exception raised by the iterable itself (e.g. inside a generator) passes through.
        if !obj.hasattr("__iter__")? {
            return Err(PyTypeError::new_err(format!(
                "{what} must be a list or tuple of str/bytes, or a pyarrow array"
            )));
        }
        py.get_type::<PyList>().call1((obj,))?
    };
    let n = items.len()?;
    let mut data: Vec<u8> = Vec::new();
    let mut offsets = Vec::with_capacity(n + 1);
    offsets.push(0);
    let mut text = false;
    let mut push = |i: usize, item: &Bound<'_, PyAny>| -> PyResult<()> {
        let b = bytes_at(item, what, Some(i))?;
        if i == 0 {
            text = item.is_instance_of::<PyString>();
            // Columns are usually of similar lengths: size the buffer once from the first value.
            data = Vec::with_capacity(n.saturating_mul(b.len() + 8));
        }
        extend_wiping(&mut data, &b);
        offsets.push(data.len());
        Ok(())
    };
    if let Ok(list) = items.cast::<PyList>() {
        for (i, item) in list.iter().enumerate() {
            push(i, &item)?;
        }
    } else {
        for (i, item) in items.cast::<PyTuple>()?.iter().enumerate() {
            push(i, &item)?;
        }
    }
    Ok(Input { data, offsets, source: Source::Sequence { text } })
}

/// Appends `bytes` to `buf`. When `buf` must grow, the values move to a new allocation and the old
/// one is wiped first, so that no copy of the plaintext is left behind in freed memory.
fn extend_wiping(buf: &mut Vec<u8>, bytes: &[u8]) {
    if buf.capacity() - buf.len() < bytes.len() {
        let mut bigger = Vec::with_capacity((buf.len() + bytes.len()).saturating_mul(2));
        bigger.extend_from_slice(buf);
        zeroize::Zeroize::zeroize(buf);
        *buf = bigger;
    }
    buf.extend_from_slice(bytes);
}

/// Packs one pyarrow `Array` (not chunked) of string / binary type (32- or 64-bit offsets) with one
/// copy of its value bytes: the Arrow helper in `privshare/_arrow.py` hands over views of the
/// buffers (no copy in Python); the offsets are read from one copy of their bytes.
pub fn from_arrow(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Input> {
    let py = obj.py();
    let helper = py.import("privshare._arrow")?;
    let unpacked = helper.getattr("unpack")?.call1((obj, what))?;
    let (view, raw_offsets, wide, text, shape): (Bound<'_, PyAny>, Bound<'_, PyAny>, bool, bool, Py<PyAny>) =
        unpacked.extract()?;
    let data = PyBuffer::<u8>::get(&view)?.to_vec(py)?;
    let offsets = offsets_of(&raw_offsets, wide)
        .filter(|o| o.last() == Some(&data.len()))
        .ok_or_else(|| errors::core(py, ErrorKind::InvalidArgument, &format!("{what}: corrupt Arrow offsets")))?;
    // The one copy of the values: into a buffer we own and wipe when done.
    Ok(Input { data, offsets, source: Source::Arrow { text, wide, shape } })
}

/// Arrow offsets (a memoryview of their native-endian i32 or i64 bytes) rebased to start at 0.
/// `None` if negative or decreasing.
fn offsets_of(view: &Bound<'_, PyAny>, wide: bool) -> Option<Vec<usize>> {
    let raw = PyBuffer::<u8>::get(view).ok()?.to_vec(view.py()).ok()?;
    rebase(decode_offsets(&raw, wide))
}

/// Native-endian i32 or i64 offsets from their bytes.
pub fn decode_offsets(raw: &[u8], wide: bool) -> impl ExactSizeIterator<Item = i64> + '_ {
    raw.chunks_exact(if wide { 8 } else { 4 }).map(move |c| {
        if wide {
            i64::from_ne_bytes(c.try_into().unwrap_or([0; 8]))
        } else {
            i64::from(i32::from_ne_bytes(c.try_into().unwrap_or([0; 4])))
        }
    })
}

/// `offsets` rebased to start at 0, in one pass; `None` if negative or decreasing.
pub fn rebase(offsets: impl ExactSizeIterator<Item = i64>) -> Option<Vec<usize>> {
    let mut out = Vec::with_capacity(offsets.len());
    let (mut first, mut prev) = (None, 0);
    for v in offsets {
        let f = *first.get_or_insert(v);
        if v < f || v < prev {
            return None;
        }
        prev = v;
        out.push(usize::try_from(v - f).ok()?);
    }
    Some(out)
}

/// Packs any supported column argument (not chunked arrays: see `column::run`).
pub fn column(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Input> {
    if is_arrow(obj) {
        from_arrow(obj, what)
    } else {
        from_sequence(obj, what)
    }
}
