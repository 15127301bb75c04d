//! The ground floor for column values: a whole column in ([`Values`], [`Packed`]), one buffer plus
//! offsets out ([`Column`]). Ciphers, masking, detection and the synthetic generator all take and
//! give columns in these types; this module imports nothing from the rest of the crate but errors.
//!
//! Bindings cross their boundary once per column: they hand over a [`Packed`] view of their own
//! buffer and receive a [`Column`] (one contiguous `data` buffer and `len + 1` offsets).

use crate::{Error, ErrorKind, Result};

/// A column of input values, borrowed. Implemented for slices of `&[u8]`, `&str`, `String` and
/// `Vec<u8>`, and for [`Packed`] buffers.
pub trait Values {
    /// Number of values.
    fn count(&self) -> usize;
    /// The `i`-th value's bytes. `i < self.count()`.
    fn value(&self, i: usize) -> &[u8];
    /// The `i`-th value as text, or `None` if it is not UTF-8. Columns that already hold text
    /// (slices of `&str` / `String`, [`Packed::from_text`]) answer without checking again.
    fn text(&self, i: usize) -> Option<&str> {
        std::str::from_utf8(self.value(i)).ok()
    }
}

macro_rules! values_for_slice {
    ($($t:ty => $text:expr),*) => {$(
        impl Values for [$t] {
            fn count(&self) -> usize { self.len() }
            fn value(&self, i: usize) -> &[u8] { self[i].as_ref() }
            fn text(&self, i: usize) -> Option<&str> { $text(&self[i]) }
        }
        impl<const N: usize> Values for [$t; N] {
            fn count(&self) -> usize { N }
            fn value(&self, i: usize) -> &[u8] { self[i].as_ref() }
            fn text(&self, i: usize) -> Option<&str> { $text(&self[i]) }
        }
        impl Values for Vec<$t> {
            fn count(&self) -> usize { self.len() }
            fn value(&self, i: usize) -> &[u8] { self[i].as_ref() }
            fn text(&self, i: usize) -> Option<&str> { $text(&self[i]) }
        }
    )*};
}
fn utf8(v: &[u8]) -> Option<&str> {
    std::str::from_utf8(v).ok()
}

fn already_text(v: &str) -> Option<&str> {
    Some(v)
}

values_for_slice!(&[u8] => utf8, &str => already_text, String => already_text, Vec<u8> => utf8);

/// Values packed end to end in one buffer: value `i` is `data[offsets[i]..offsets[i + 1]]`.
/// This is how the C ABI and Python pass a column without one allocation per value.
#[derive(Clone, Copy, Debug)]
pub struct Packed<'a> {
    data: &'a [u8],
    offsets: &'a [usize],
    /// `data` as text, when it was checked to be UTF-8 cut only at character boundaries.
    text: Option<&'a str>,
}

impl<'a> Packed<'a> {
    /// Checks that `offsets` has at least one entry, starts at 0, never decreases and ends at
    /// `data.len()`.
    pub fn new(data: &'a [u8], offsets: &'a [usize]) -> Result<Packed<'a>> {
        let bad = |m: &str| Error::new(ErrorKind::InvalidArgument, m.to_string());
        match (offsets.first(), offsets.last()) {
            (Some(0), Some(&end)) if end == data.len() => {}
            _ => return Err(bad("offsets must start at 0 and end at the data length")),
        }
        if let Some(i) = offsets.windows(2).position(|w| w[0] > w[1]) {
            return Err(bad("offsets must not decrease").at_row(i as u64));
        }
        Ok(Packed { data, offsets, text: None })
    }

    /// [`Packed::new`] for values known to be text: also checks that every offset falls on a
    /// character boundary, so that [`Values::text`] needs no per-value UTF-8 check (one check of
    /// the whole buffer is much cheaper than one per short value).
    pub fn from_text(data: &'a str, offsets: &'a [usize]) -> Result<Packed<'a>> {
        let mut p = Packed::new(data.as_bytes(), offsets)?;
        if let Some(i) = offsets.iter().position(|&o| !data.is_char_boundary(o)) {
            let e = Error::new(ErrorKind::InvalidArgument, "offsets must fall on character boundaries");
            return Err(e.at_row(i.saturating_sub(1) as u64));
        }
        p.text = Some(data);
        Ok(p)
    }
}

impl Values for Packed<'_> {
    fn count(&self) -> usize {
        self.offsets.len() - 1
    }
    fn value(&self, i: usize) -> &[u8] {
        &self.data[self.offsets[i]..self.offsets[i + 1]]
    }
    fn text(&self, i: usize) -> Option<&str> {
        match self.text {
            Some(t) => t.get(self.offsets[i]..self.offsets[i + 1]),
            None => std::str::from_utf8(self.value(i)).ok(),
        }
    }
}

/// A column of output values in one buffer: value `i` is `data[offsets[i]..offsets[i + 1]]`.
#[derive(Clone, Default)]
pub struct Column {
    data: Vec<u8>,
    offsets: Vec<usize>,
    /// Set for columns of ciphertexts or tokens, which need no wiping on drop (wiping a large
    /// buffer byte by byte costs about a tenth of a batch encryption). False by default: wipe.
    public: bool,
}

impl PartialEq for Column {
    fn eq(&self, other: &Column) -> bool {
        self.data == other.data && self.offsets == other.offsets
    }
}

impl Eq for Column {}

impl std::fmt::Debug for Column {
    // Output may be decrypted plaintext: show only its shape.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Column {{ values: {}, bytes: {} }}", self.len(), self.data.len())
    }
}

impl Values for Column {
    fn count(&self) -> usize {
        self.len()
    }
    fn value(&self, i: usize) -> &[u8] {
        &self.data[self.offsets[i]..self.offsets[i + 1]]
    }
}

impl Column {
    /// An empty column with room for `values` values of about `bytes_each` bytes.
    pub fn with_capacity(values: usize, bytes_each: usize) -> Column {
        let mut offsets = Vec::with_capacity(values + 1);
        offsets.push(0);
        Column { data: Vec::with_capacity(values.saturating_mul(bytes_each)), offsets, public: false }
    }

    /// A column from a buffer and its `len + 1` offsets (from 0, never decreasing, ending at
    /// `data.len()`), for producers that fill one buffer themselves (`Masker::apply_column`).
    pub(crate) fn from_parts(data: Vec<u8>, offsets: Vec<usize>) -> Column {
        debug_assert!(offsets.first() == Some(&0) && offsets.last() == Some(&data.len()));
        Column { data, offsets, public: false }
    }

    /// Appends one value by letting `write` extend the buffer; undoes the partial write on error.
    pub fn push_with(&mut self, write: impl FnOnce(&mut Vec<u8>) -> Result<()>) -> Result<()> {
        if self.offsets.is_empty() {
            self.offsets.push(0);
        }
        let start = self.data.len();
        match write(&mut self.data) {
            Ok(()) => {
                self.offsets.push(self.data.len());
                Ok(())
            }
            Err(e) => {
                self.data.truncate(start);
                Err(e)
            }
        }
    }

    /// Appends one value.
    pub fn push(&mut self, value: &[u8]) {
        if self.offsets.is_empty() {
            self.offsets.push(0);
        }
        self.data.extend_from_slice(value);
        self.offsets.push(self.data.len());
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// True when the column has no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Value `i`, or `None` past the end.
    pub fn get(&self, i: usize) -> Option<&[u8]> {
        (i < self.len()).then(|| &self.data[self.offsets[i]..self.offsets[i + 1]])
    }

    /// Value `i` as text, or `None` past the end or if it is not UTF-8.
    pub fn get_str(&self, i: usize) -> Option<&str> {
        self.get(i).and_then(|b| std::str::from_utf8(b).ok())
    }

    /// Every value in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &[u8]> + '_ {
        (0..self.len()).map(move |i| &self.data[self.offsets[i]..self.offsets[i + 1]])
    }

    /// The whole buffer.
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// The `len() + 1` offsets (empty for a never-written default column).
    pub fn offsets(&self) -> &[usize] {
        &self.offsets
    }

    /// Marks the column as holding only public data (ciphertexts, tokens): it is not wiped on drop.
    pub(crate) fn into_public(mut self) -> Column {
        self.public = true;
        self
    }

    /// The buffer and the offsets, for handing over without a copy.
    /// The caller becomes responsible for zeroizing `data` if it holds plaintext.
    pub fn into_parts(mut self) -> (Vec<u8>, Vec<usize>) {
        (std::mem::take(&mut self.data), std::mem::take(&mut self.offsets))
    }
}

impl Drop for Column {
    // A column may hold decrypted plaintext.
    fn drop(&mut self) {
        if self.public {
            return;
        }
        zeroize::Zeroize::zeroize(&mut self.data);
    }
}

/// Runs `one` over every value (with its record, if any), collecting into a [`Column`]; an error
/// names the failing row. Shared by every cipher's column methods.
pub(crate) fn map_column<V: Values + ?Sized>(
    values: &V,
    records: Option<&dyn Values>,
    bytes_each: usize,
    mut one: impl FnMut(&[u8], Option<&[u8]>, &mut Vec<u8>) -> Result<()>,
) -> Result<Column> {
    let n = values.count();
    if let Some(r) = records {
        if r.count() != n {
            return Err(Error::new(ErrorKind::InvalidArgument, format!("{} values but {} record ids", n, r.count())));
        }
    }
    let mut out = Column::with_capacity(n, bytes_each);
    for i in 0..n {
        let record = records.map(|r| r.value(i));
        out.push_with(|buf| one(values.value(i), record, buf)).map_err(|e| e.at_row(i as u64))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_checks_offsets() {
        let data = b"abcdef";
        let p = Packed::new(data, &[0, 2, 2, 6]).unwrap();
        assert_eq!(p.count(), 3);
        assert_eq!((p.value(0), p.value(1), p.value(2)), (&b"ab"[..], &b""[..], &b"cdef"[..]));
        for bad in [&[][..], &[1, 6], &[0, 5], &[0, 3, 2, 6], &[0, 7]] {
            assert_eq!(Packed::new(data, bad).unwrap_err().kind(), ErrorKind::InvalidArgument);
        }
    }

    #[test]
    fn packed_text_checks_character_boundaries() {
        let p = Packed::from_text("a张b", &[0, 1, 4, 5]).unwrap();
        assert_eq!((p.text(0), p.text(1), p.text(2)), (Some("a"), Some("张"), Some("b")));
        let e = Packed::from_text("a张b", &[0, 2, 5]).unwrap_err();
        assert_eq!((e.kind(), e.position().row), (ErrorKind::InvalidArgument, Some(0)));
        let bytes = Packed::new(b"ok\xff", &[0, 2, 3]).unwrap();
        assert_eq!((bytes.text(0), bytes.text(1)), (Some("ok"), None));
        let strs = ["x", "张"];
        assert_eq!((strs.text(1), vec![&b"\xff"[..]].text(0)), (Some("张"), None));
    }

    #[test]
    fn map_column_names_failing_row_and_checks_record_count() {
        let vals = ["a", "bb", "", "c"];
        let col = map_column(&vals[..], None, 2, |v, _, out| {
            out.extend_from_slice(v);
            out.push(b'!');
            Ok(())
        })
        .unwrap();
        assert_eq!(col.iter().collect::<Vec<_>>(), vec![&b"a!"[..], b"bb!", b"!", b"c!"]);
        let err = map_column(&vals[..], None, 2, |v, _, out| {
            out.push(b'x');
            if v.is_empty() {
                return Err(Error::new(ErrorKind::EmptyValue, "empty"));
            }
            Ok(())
        })
        .unwrap_err();
        assert_eq!((err.kind(), err.position().row), (ErrorKind::EmptyValue, Some(2)));
        let recs = ["r1"];
        let err = map_column(&vals[..], Some(&recs), 2, |_, _, _| Ok(())).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    }
}
