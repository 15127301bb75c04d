//! CSV output of synthetic records (RFC 4180 quoting, `\n` line ends, UTF-8, header first).

use super::{Citizen, Generator, COLUMNS};
use std::io::{self, Write};

/// Appends `field` to `out`, quoted if it contains a comma, a double quote, CR or LF (inner
/// quotes doubled), as RFC 4180 requires.
pub fn write_field(out: &mut Vec<u8>, field: &str) {
    // Every byte that forces quoting is <= b',' (and multi-byte UTF-8 is >= 0x80), so one cheap
    // comparison per byte settles almost every field.
    let special = |b: u8| matches!(b, b',' | b'"' | b'\r' | b'\n');
    if field.bytes().any(|b| b <= b',' && special(b)) {
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
            write_field(&mut self.buf, c.field_str(col, &mut self.scratch));
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

/// Like [`write_csv`], with `threads` threads generating rows (the output is byte-for-byte the
/// same). Rows are generated in rounds of one chunk per thread and written in order, so memory
/// stays bounded (about `threads` x 4 MB).
pub fn write_csv_parallel<W: Write>(seed: u64, rows: u64, threads: usize, mut out: W) -> io::Result<W> {
    const CHUNK: u64 = 16_384;
    let threads = threads.clamp(1, 64);
    if threads == 1 {
        return write_csv(seed, rows, out);
    }
    let mut header = CsvWriter::new(Vec::new());
    header.write_header()?;
    out.write_all(&header.finish()?)?;
    let generator = Generator::new(seed);
    let mut buffers: Vec<Vec<u8>> = vec![Vec::new(); threads];
    let mut next = 0;
    while next < rows {
        std::thread::scope(|scope| {
            let handles: Vec<_> = buffers
                .iter_mut()
                .enumerate()
                .map(|(k, buf)| {
                    let start = (next + k as u64 * CHUNK).min(rows);
                    let end = (start + CHUNK).min(rows);
                    let generator = &generator;
                    scope.spawn(move || write_rows(generator, start..end, buf))
                })
                .collect();
            handles.into_iter().try_for_each(|h| h.join().unwrap_or_else(|_| Err(io::Error::other("worker panicked"))))
        })?;
        for buf in &buffers {
            out.write_all(buf)?;
        }
        next += CHUNK * threads as u64;
    }
    out.flush()?;
    Ok(out)
}

/// Writes rows `range` (no header) into `buf`, replacing its contents.
fn write_rows(generator: &Generator, range: std::ops::Range<u64>, buf: &mut Vec<u8>) -> io::Result<()> {
    buf.clear();
    let mut w = CsvWriter::new(buf);
    let mut c = Citizen::default();
    for i in range {
        generator.fill(i, &mut c);
        w.write_record(&c)?;
    }
    w.finish().map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parallel_output_is_identical() {
        let one = write_csv(3, 40_000, Vec::new()).unwrap();
        for threads in [2, 3] {
            assert!(write_csv_parallel(3, 40_000, threads, Vec::new()).unwrap() == one);
        }
        assert_eq!(write_csv_parallel(3, 0, 2, Vec::new()).unwrap(), write_csv(3, 0, Vec::new()).unwrap());
    }

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
