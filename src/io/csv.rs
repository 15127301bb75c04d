//! CSV input with bounded memory: the one reader behind anonymization tables, hierarchies and the
//! PII scan.
//!
//! The csv crate grows a record's buffer for as long as the record runs, so a single 200 MB line
//! would be held whole before anyone could look at it. Here the bytes handed to the parser are
//! metered from the start of each record: a record longer than [`MAX_RECORD_BYTES`] is refused
//! once that many bytes are read, and a header with more than [`MAX_COLUMNS`] fields is refused
//! before any per-column state is built. Errors name the file's one-based line (and the column,
//! when the header names it), never the data.

use std::collections::VecDeque;
use std::io::Read;

use crate::{Error, ErrorKind, Result};

/// Longest CSV record, in bytes as read (delimiters and quotes included; a record is one line, or
/// several when a quoted field holds line breaks).
pub const MAX_RECORD_BYTES: usize = 1 << 20;

/// Most columns a CSV header may name.
pub const MAX_COLUMNS: usize = 65_536;

/// The parser's read-ahead buffer.
const BUFFER: usize = 64 * 1024;

/// The error of a record that ran past [`MAX_RECORD_BYTES`], with the line it starts on.
#[derive(Debug)]
struct TooLong(u64);

impl std::fmt::Display for TooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "record at line {} longer than {MAX_RECORD_BYTES} bytes", self.0)
    }
}

impl std::error::Error for TooLong {}

/// Where the scan is within the CSV syntax (the csv crate's default dialect: `"` quotes a field
/// that starts with it, `""` inside is a quote, `\r`, `\n` or `\r\n` end a record, empty lines
/// are skipped).
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between records (at the start, or after a line break outside quotes).
    Between,
    /// At the start of a field.
    FieldStart,
    /// In an unquoted field (or after the closing quote of a quoted one).
    Unquoted,
    /// In a quoted field.
    Quoted,
    /// Just after a quote inside a quoted field: a second quote is an escaped quote.
    QuoteInQuoted,
}

/// The input as the parser sees it, followed byte by byte: it counts lines as an editor does,
/// notes the line each record starts on (the csv crate's own positions skip neither blank lines
/// nor `\r\n` correctly), and stops a record at [`MAX_RECORD_BYTES`] before the parser has to
/// hold more of it.
struct Tracked<R> {
    inner: R,
    delimiter: u8,
    state: State,
    /// Line of the next byte.
    line: u64,
    /// Bytes of the current record so far.
    record: usize,
    /// Start lines of the records the scan has entered and the parser has not handed out yet.
    starts: VecDeque<u64>,
}

impl<R> Tracked<R> {
    fn scan(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let mut i = 0;
        while i < bytes.len() {
            // Inside a field, only a few bytes change the state: skip the rest in one search (the
            // byte-by-byte walk made reading CSV three times slower than parsing it).
            let run = match self.state {
                State::Unquoted => memchr::memchr3(self.delimiter, b'\n', b'\r', &bytes[i..]),
                State::Quoted => memchr::memchr2(b'"', b'\n', &bytes[i..]),
                _ => Some(0),
            }
            .unwrap_or(bytes.len() - i);
            if run > 0 {
                self.record += run;
                i += run;
                if self.record > MAX_RECORD_BYTES {
                    return Err(self.too_long());
                }
                continue;
            }
            let b = bytes[i];
            i += 1;
            if b == b'\n' {
                self.line += 1;
            }
            let end = b == b'\n' || b == b'\r';
            self.state = match self.state {
                State::Between if end => State::Between,
                State::Between => {
                    self.starts.push_back(self.line);
                    self.record = 0;
                    self.field_start(b)
                }
                State::FieldStart => self.field_start(b),
                State::Unquoted | State::QuoteInQuoted if end => State::Between,
                State::Unquoted | State::QuoteInQuoted if b == self.delimiter => State::FieldStart,
                State::QuoteInQuoted if b == b'"' => State::Quoted,
                State::Unquoted | State::QuoteInQuoted => State::Unquoted,
                State::Quoted if b == b'"' => State::QuoteInQuoted,
                State::Quoted => State::Quoted,
            };
            if self.state != State::Between {
                self.record += 1;
                if self.record > MAX_RECORD_BYTES {
                    return Err(self.too_long());
                }
            }
        }
        Ok(())
    }

    fn too_long(&self) -> std::io::Error {
        std::io::Error::other(TooLong(self.starts.back().copied().unwrap_or(self.line)))
    }

    fn field_start(&self, b: u8) -> State {
        match b {
            b'\n' | b'\r' => State::Between,
            b'"' => State::Quoted,
            _ if b == self.delimiter => State::FieldStart,
            _ => State::Unquoted,
        }
    }
}

impl<R: Read> Read for Tracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.scan(&buf[..n])?;
        Ok(n)
    }
}

/// A CSV reader whose records are bounded in bytes and whose errors carry lines and column names.
pub(crate) struct CsvReader<R: Read> {
    rdr: csv::Reader<Tracked<R>>,
    /// Header names, for the column of an error (empty when the input has no header).
    names: Vec<String>,
}

impl<R: Read> CsvReader<R> {
    /// A reader of `delimiter`-separated records; `flexible` allows records of different lengths.
    pub fn new(reader: R, delimiter: u8, flexible: bool) -> CsvReader<R> {
        let tracked =
            Tracked { inner: reader, delimiter, state: State::Between, line: 1, record: 0, starts: VecDeque::new() };
        let rdr = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(flexible)
            .buffer_capacity(BUFFER)
            .from_reader(tracked);
        CsvReader { rdr, names: Vec::new() }
    }

    /// Reads the first record as the header: names trimmed, a leading byte-order mark dropped.
    /// More than [`MAX_COLUMNS`] names is an error, and so is a name that is not UTF-8 unless
    /// `lossy` (then it is converted with replacement characters). An empty input has no names.
    pub fn header(&mut self, lossy: bool) -> Result<Vec<String>> {
        let mut rec = csv::ByteRecord::new();
        let Some(line) = self.next_bytes(&mut rec)? else { return Ok(Vec::new()) };
        if rec.len() > MAX_COLUMNS {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                format!("CSV header has {} columns, more than the limit of {MAX_COLUMNS}", rec.len()),
            )
            .at_line(line));
        }
        let mut names = Vec::with_capacity(rec.len());
        for (i, field) in rec.iter().enumerate() {
            let name = match std::str::from_utf8(field) {
                Ok(s) => std::borrow::Cow::Borrowed(s),
                Err(_) if lossy => String::from_utf8_lossy(field),
                Err(e) => {
                    return Err(Error::new(
                        ErrorKind::InvalidInput,
                        format!("CSV header field {i} is not valid UTF-8"),
                    )
                    .at_line(line)
                    .at_offset(e.valid_up_to() as u64));
                }
            };
            let name = if i == 0 { name.trim_start_matches('\u{feff}') } else { &name };
            names.push(name.trim().to_string());
        }
        self.names = names.clone();
        Ok(names)
    }

    /// [`CsvReader::header`] for a table: every name must be non-empty.
    pub(crate) fn table_header(&mut self) -> Result<Vec<String>> {
        let names = self.header(false)?;
        if let Some(i) = names.iter().position(|n| n.is_empty()) {
            return Err(Error::new(ErrorKind::InvalidInput, format!("CSV header field {i} is empty")).at_line(1));
        }
        Ok(names)
    }

    /// Bytes of input the parser has consumed.
    pub(crate) fn bytes_read(&self) -> u64 {
        self.rdr.position().byte()
    }

    /// Reads the next record into `rec`; returns the one-based line it starts on, or `None` at
    /// the end of the input.
    pub fn next_bytes(&mut self, rec: &mut csv::ByteRecord) -> Result<Option<u64>> {
        let read = self.rdr.read_byte_record(rec);
        self.finish(read, || rec.position().map(|p| p.line()))
    }

    /// As [`CsvReader::next_bytes`], for a record of UTF-8 fields.
    pub fn next_string(&mut self, rec: &mut csv::StringRecord) -> Result<Option<u64>> {
        let read = self.rdr.read_record(rec);
        self.finish(read, || rec.position().map(|p| p.line()))
    }

    /// The line of the record just read (or failed), or the error.
    fn finish(&mut self, read: csv::Result<bool>, csv_line: impl Fn() -> Option<u64>) -> Result<Option<u64>> {
        if let Err(e) = &read {
            if let csv::ErrorKind::Io(io) = e.kind() {
                if let Some(TooLong(line)) = io.get_ref().and_then(|i| i.downcast_ref::<TooLong>()) {
                    return Err(Error::new(
                        ErrorKind::InvalidInput,
                        format!("CSV record longer than the limit of {MAX_RECORD_BYTES} bytes"),
                    )
                    .at_line(*line));
                }
            }
        }
        // A record read, or refused by the parser, is the oldest one the scan has entered.
        let started = match &read {
            Ok(false) => None,
            _ => self.rdr.get_mut().starts.pop_front(),
        };
        let line = started.or_else(&csv_line).unwrap_or(0);
        match read {
            Ok(more) => Ok(more.then_some(line)),
            Err(e) => Err(self.error(e, line)),
        }
    }

    /// Our error for a csv error in the record at `line`, without the record's content.
    fn error(&self, e: csv::Error, line: u64) -> Error {
        let invalid = |m: String| Error::new(ErrorKind::InvalidInput, m).at_line(line);
        let named = |e: Error, field: usize| match self.names.get(field) {
            Some(n) => e.at_column(n.clone()),
            None => e,
        };
        match e.into_kind() {
            csv::ErrorKind::Io(io) => Error::new(ErrorKind::Io, format!("reading CSV failed: {}", io.kind())),
            csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                let e = invalid(format!("malformed CSV: record has {len} fields, expected {expected_len}"));
                // A short record: the first missing column.
                if len < expected_len {
                    named(e, len as usize)
                } else {
                    e
                }
            }
            csv::ErrorKind::Utf8 { err, .. } => {
                named(invalid("malformed CSV: field is not valid UTF-8".into()), err.field())
                    .at_offset(err.valid_up_to() as u64)
            }
            _ => invalid("malformed CSV".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &[u8]) -> Result<Vec<(u64, Vec<String>)>> {
        let mut r = CsvReader::new(text, b',', true);
        let mut rec = csv::StringRecord::new();
        let mut out = Vec::new();
        while let Some(line) = r.next_string(&mut rec)? {
            out.push((line, rec.iter().map(String::from).collect()));
        }
        Ok(out)
    }

    #[test]
    fn records_carry_the_line_they_start_on() {
        let starts = |text: &[u8]| lines(text).unwrap().iter().map(|g| g.0).collect::<Vec<u64>>();
        let got = lines(b"a,b\n\"x\ny\",2\n\n3,4\n").unwrap();
        assert_eq!(got[1].1, ["x\ny", "2"]);
        assert_eq!(starts(b"a,b\n\"x\ny\",2\n\n3,4\n"), [1, 2, 5]);
        assert_eq!(starts(b"a,b\r\n\r\n3,4\r\n5,6"), [1, 3, 4]);
        // A quote inside an unquoted field is a character; `""` inside a quoted one is a quote.
        assert_eq!(starts(b"a\"b,c\nd\n\"e\"\"\nf\",g\nh"), [1, 2, 3, 5]);
        assert_eq!(lines(b"a\"b,c\n\"e\"\"\nf\",g\n").unwrap()[1].1, ["e\"\nf", "g"]);
        assert_eq!(starts(b"\n\n\"\"\n\n x\n"), [3, 5]);
    }

    #[test]
    fn a_record_at_the_limit_passes_and_one_byte_more_does_not() {
        let field = |n: usize| vec![b'x'; n];
        // Exactly the limit, at the end of the input (no line break): accepted.
        assert_eq!(lines(&field(MAX_RECORD_BYTES)).unwrap().len(), 1);
        let mut text = b"a\n".to_vec();
        text.extend(field(MAX_RECORD_BYTES + 1));
        text.extend(b"\nb\n");
        let e = lines(&text).unwrap_err();
        assert_eq!((e.kind(), e.position().line), (ErrorKind::InvalidInput, Some(2)));
        assert!(e.message().contains("longer than the limit"), "{e}");
        // Many records that are each short are fine, however long the input.
        let many = b"0123456789\n".repeat(MAX_RECORD_BYTES / 5);
        assert_eq!(lines(&many).unwrap().len(), MAX_RECORD_BYTES / 5);
    }

    #[test]
    fn header_limits_and_names_in_errors() {
        let wide = vec!["c"; MAX_COLUMNS + 1].join(",");
        let e = CsvReader::new(wide.as_bytes(), b',', false).header(false).unwrap_err();
        assert_eq!(e.position().line, Some(1));
        let mut r = CsvReader::new(&b"\xef\xbb\xbfa , b\n1\n"[..], b',', false);
        assert_eq!(r.header(false).unwrap(), ["a", "b"]);
        let e = r.next_string(&mut csv::StringRecord::new()).unwrap_err();
        assert_eq!((e.position().line, e.position().column.as_deref()), (Some(2), Some("b")));
        let mut r = CsvReader::new(&b"a,b\n1,\xff\n"[..], b',', false);
        r.header(false).unwrap();
        let e = r.next_string(&mut csv::StringRecord::new()).unwrap_err();
        assert_eq!((e.position().line, e.position().column.as_deref()), (Some(2), Some("b")));
        assert!(CsvReader::new(&b"\xff\n"[..], b',', false).header(false).is_err());
        assert_eq!(CsvReader::new(&b"\xff\n"[..], b',', false).header(true).unwrap(), ["\u{fffd}"]);
    }
}
