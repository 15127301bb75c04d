//! CSV output of synthetic records (RFC 4180 quoting, `\n` line ends, UTF-8, header first).

use super::{Citizen, Generator, COLUMNS};
use std::io::{self, Write};

/// Appends `field` to `out`, quoted if it contains a comma, a double quote, CR or LF (inner
/// quotes doubled), as RFC 4180 requires.
pub fn write_field(out: &mut Vec<u8>, field: &str) {
    if field.bytes().any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n')) {
        out.push(b'"');
        for b in field.bytes() {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(field.as_bytes());
    }
}

/// Writes records as CSV rows. Buffers internally (write to a plain `File` or `Stdout` without a
/// `BufWriter`); call [`finish`](Self::finish) to flush.
pub struct CsvWriter<W: Write> {
    out: W,
    buf: Vec<u8>,
    scratch: String,
}

const FLUSH_AT: usize = 1 << 16;

impl<W: Write> CsvWriter<W> {
    /// A writer to `out`; nothing is written until the first call.
    pub fn new(out: W) -> CsvWriter<W> {
        CsvWriter { out, buf: Vec::with_capacity(FLUSH_AT + 1024), scratch: String::with_capacity(128) }
    }

    /// Writes the header row ([`COLUMNS`]).
    pub fn write_header(&mut self) -> io::Result<()> {
        self.write_row(COLUMNS.iter().copied())
    }

    /// Writes one row of arbitrary fields.
    pub fn write_row<'a>(&mut self, fields: impl IntoIterator<Item = &'a str>) -> io::Result<()> {
        for (i, f) in fields.into_iter().enumerate() {
            if i > 0 {
                self.buf.push(b',');
            }
            write_field(&mut self.buf, f);
        }
        self.end_row()
    }

    /// Writes one record.
    pub fn write_record(&mut self, c: &Citizen) -> io::Result<()> {
        for col in 0..COLUMNS.len() {
            if col > 0 {
                self.buf.push(b',');
            }
            self.scratch.clear();
            c.write_field(col, &mut self.scratch);
            write_field(&mut self.buf, &self.scratch);
        }
        self.end_row()
    }

    fn end_row(&mut self) -> io::Result<()> {
        self.buf.push(b'\n');
        if self.buf.len() >= FLUSH_AT {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    /// Flushes everything and returns the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Writes the header and rows `0..rows` of `seed`'s data set to `out`, streaming (constant
/// memory whatever `rows` is).
///
/// ```
/// let mut out = Vec::new();
/// privshare::synth::write_csv(1, 3, &mut out)?;
/// let text = String::from_utf8(out).unwrap();
/// assert_eq!(text.lines().count(), 4);
/// assert!(text.starts_with("record_id,name,sex,"));
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn write_csv<W: Write>(seed: u64, rows: u64, out: W) -> io::Result<W> {
    let mut w = CsvWriter::new(out);
    w.write_header()?;
    let generator = Generator::new(seed);
    let mut c = Citizen::default();
    for i in 0..rows {
        generator.fill(i, &mut c);
        w.write_record(&c)?;
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        let cases = [
            ("plain", "plain"),
            ("", ""),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("two\nlines", "\"two\nlines\""),
            ("cr\r", "\"cr\r\""),
            ("买买提·艾力", "买买提·艾力"),
        ];
        for (input, expected) in cases {
            let mut out = Vec::new();
            write_field(&mut out, input);
            assert_eq!(String::from_utf8(out).unwrap(), expected, "{input:?}");
        }
    }
}
