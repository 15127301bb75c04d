//! JSON Lines input with bounded memory: one JSON object per line, read as records whose fields
//! follow a fixed list of columns (the first record's keys, then any names the caller adds, such
//! as a policy's columns that the first record lacks).
//!
//! A value keeps what it was, so that one written back unchanged is the input's byte for byte: a
//! string is handed out as its text, a number, `true`, `false`, an array or an object as its JSON
//! text exactly as written, and `null` and a missing key as empty fields marked as such
//! ([`FieldKind`]). Blank lines are skipped; a byte-order mark before the first line is dropped.
//! A line is limited to [`MAX_RECORD_BYTES`], a record to [`MAX_COLUMNS`] keys, both checked
//! before more is held. Errors name the line (and the byte offset or the key), never a value.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::BufRead;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::csv::{MAX_COLUMNS, MAX_RECORD_BYTES};
use crate::{Error, ErrorKind, Result};

/// What one field of a record was in the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FieldKind {
    /// A string (every CSV field is one): the field holds its text.
    Text,
    /// A number, `true`, `false`, an array or an object: the field holds its JSON text.
    Json,
    /// `null`: the field is empty.
    Null,
    /// The record has no such key: the field is empty.
    Missing,
}

impl FieldKind {
    /// Whether the field holds a value (not `null`, not missing).
    pub(crate) fn is_present(self) -> bool {
        matches!(self, FieldKind::Text | FieldKind::Json)
    }
}

/// What a record's key that is not among the columns is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UnknownKeys {
    /// An error naming the line and the key.
    Refuse,
    /// Skipped.
    Drop,
}

/// A reader of JSON Lines records (see the module documentation).
pub(crate) struct JsonLinesReader<R> {
    inner: R,
    names: Vec<String>,
    index: HashMap<String, usize>,
    unknown: UnknownKeys,
    /// The current line, without its line break.
    line: Vec<u8>,
    /// Lines read so far.
    lines: u64,
    /// Bytes read so far.
    bytes: u64,
    /// The line of the first record, read by `header` and not handed out yet.
    pending: Option<u64>,
}

impl<R: BufRead> JsonLinesReader<R> {
    pub(crate) fn new(inner: R) -> JsonLinesReader<R> {
        JsonLinesReader {
            inner,
            names: Vec::new(),
            index: HashMap::new(),
            unknown: UnknownKeys::Refuse,
            line: Vec::new(),
            lines: 0,
            bytes: 0,
            pending: None,
        }
    }

    /// Reads the first record's keys: the columns are those, in order, then the names of `extra`
    /// that are not among them. Keys of later records not among the columns are `unknown`.
    pub(crate) fn header(&mut self, extra: &[String], unknown: UnknownKeys) -> Result<Vec<String>> {
        let mut names = Vec::new();
        if let Some(line) = self.read_line()? {
            for (key, _) in parse(&self.line, line)? {
                if key.is_empty() {
                    return Err(invalid("a key of the first record is empty", line));
                }
                names.push(key.into_owned());
            }
            self.pending = Some(line);
        }
        let mut index = HashMap::with_capacity(names.len() + extra.len());
        for (i, name) in names.iter().enumerate() {
            if index.insert(name.clone(), i).is_some() {
                return Err(invalid(&format!("key `{}` appears twice", shown(name)), self.pending.unwrap_or(1)));
            }
        }
        for name in extra {
            if !index.contains_key(name) {
                index.insert(name.clone(), names.len());
                names.push(name.clone());
            }
        }
        (self.names, self.index, self.unknown) = (names.clone(), index, unknown);
        Ok(names)
    }

    /// Reads the next record into `rec` (one field per column, empty for `null` and a missing
    /// key) and what each field was into `kinds`; returns its one-based line, or `None` at the end.
    pub(crate) fn next_record(&mut self, rec: &mut csv::ByteRecord, kinds: &mut Vec<FieldKind>) -> Result<Option<u64>> {
        let line = match self.pending.take() {
            Some(line) => line,
            None => match self.read_line()? {
                Some(line) => line,
                None => return Ok(None),
            },
        };
        let entries = parse(&self.line, line)?;
        let mut at: Vec<Option<usize>> = vec![None; self.names.len()];
        for (e, (key, _)) in entries.iter().enumerate() {
            match self.index.get(key.as_ref()) {
                Some(&i) if at[i].is_some() => {
                    return Err(invalid(&format!("key `{}` appears twice", shown(key)), line))
                }
                Some(&i) => at[i] = Some(e),
                None if self.unknown == UnknownKeys::Drop => {}
                None => {
                    return Err(invalid(
                        &format!(
                            "key `{}` is not a column the policy names: name it, or set default = \"drop\"",
                            shown(key)
                        ),
                        line,
                    )
                    .at_column(shown(key)))
                }
            }
        }
        rec.clear();
        kinds.clear();
        for e in at {
            let (kind, text) = match e {
                None => (FieldKind::Missing, Cow::Borrowed("")),
                Some(e) => value(entries[e].1, line)?,
            };
            rec.push_field(text.as_bytes());
            kinds.push(kind);
        }
        Ok(Some(line))
    }

    /// Bytes of input read so far.
    pub(crate) fn bytes_read(&self) -> u64 {
        self.bytes
    }

    /// Reads the next line that is not blank into `self.line`; returns its one-based number.
    fn read_line(&mut self) -> Result<Option<u64>> {
        loop {
            self.line.clear();
            let mut ended = false;
            while !ended {
                let available = self.inner.fill_buf()?;
                if available.is_empty() {
                    if self.line.is_empty() {
                        return Ok(None);
                    }
                    break;
                }
                let (take, used) = match memchr::memchr(b'\n', available) {
                    Some(i) => {
                        ended = true;
                        (i, i + 1)
                    }
                    None => (available.len(), available.len()),
                };
                if self.line.len() + take > MAX_RECORD_BYTES {
                    return Err(Error::new(
                        ErrorKind::InvalidInput,
                        format!("JSON Lines record longer than the limit of {MAX_RECORD_BYTES} bytes"),
                    )
                    .at_line(self.lines + 1));
                }
                self.line.extend_from_slice(&available[..take]);
                self.inner.consume(used);
                self.bytes += used as u64;
            }
            self.lines += 1;
            if self.line.last() == Some(&b'\r') {
                self.line.pop();
            }
            if self.lines == 1 && self.line.starts_with("\u{feff}".as_bytes()) {
                self.line.drain(..3);
            }
            if !self.line.iter().all(u8::is_ascii_whitespace) {
                return Ok(Some(self.lines));
            }
        }
    }
}

/// A key as long as it need not be unescaped is borrowed from the line.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> std::result::Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// A record's entries in the order written.
struct Entries<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'de> Deserialize<'de> for Entries<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct EntriesVisitor;
        impl<'de> Visitor<'de> for EntriesVisitor {
            type Value = Entries<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Entries<'de>, A::Error> {
                let mut entries = Vec::new();
                while let Some(Key(key)) = map.next_key()? {
                    entries.push((key, map.next_value::<&RawValue>()?));
                }
                Ok(Entries(entries))
            }
        }
        d.deserialize_map(EntriesVisitor)
    }
}

/// The entries of the object on `bytes`, line `line`. serde_json's messages are not passed on:
/// some quote the value they stumbled on.
fn parse(bytes: &[u8], line: u64) -> Result<Vec<(Cow<'_, str>, &RawValue)>> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let entries = Entries::deserialize(&mut de).and_then(|e| de.end().map(|()| e)).map_err(|e| {
        let what = match e.classify() {
            serde_json::error::Category::Data => "is not a JSON object",
            _ => "is not valid JSON",
        };
        invalid(&format!("the record {what}"), line).at_offset(e.column().saturating_sub(1) as u64)
    })?;
    if entries.0.len() > MAX_COLUMNS {
        return Err(invalid(&format!("the record has more than {MAX_COLUMNS} keys"), line));
    }
    Ok(entries.0)
}

/// A value's kind and text.
fn value(raw: &RawValue, line: u64) -> Result<(FieldKind, Cow<'_, str>)> {
    let text = raw.get().trim_matches(|c: char| c.is_ascii_whitespace());
    Ok(match text.as_bytes().first() {
        Some(b'"') if !text.contains('\\') => (FieldKind::Text, Cow::Borrowed(&text[1..text.len() - 1])),
        Some(b'"') => {
            let s: String =
                serde_json::from_str(text).map_err(|_| invalid("a string value is not valid JSON", line))?;
            (FieldKind::Text, Cow::Owned(s))
        }
        Some(b'n') => (FieldKind::Null, Cow::Borrowed("")),
        _ => (FieldKind::Json, Cow::Borrowed(text)),
    })
}

fn invalid(message: &str, line: u64) -> Error {
    Error::new(ErrorKind::InvalidInput, message.to_string()).at_line(line)
}

/// A key for a message: at most 64 characters of it.
fn shown(key: &str) -> &str {
    key.char_indices().nth(64).map_or(key, |(i, _)| &key[..i])
}

/// Writes `text` as a JSON string.
pub(crate) fn write_string(out: &mut Vec<u8>, text: &str) {
    serde_json::to_writer(out, text).expect("writing to a Vec cannot fail");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every record's fields, with their kinds.
    type Rows = Vec<Vec<(FieldKind, String)>>;

    fn read(input: &str, extra: &[&str], unknown: UnknownKeys) -> Result<(Vec<String>, Rows)> {
        let mut r = JsonLinesReader::new(input.as_bytes());
        let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        let names = r.header(&extra, unknown)?;
        let (mut rec, mut kinds, mut rows) = (csv::ByteRecord::new(), Vec::new(), Vec::new());
        while r.next_record(&mut rec, &mut kinds)?.is_some() {
            let row = rec.iter().zip(&kinds).map(|(f, k)| (*k, String::from_utf8(f.to_vec()).unwrap())).collect();
            rows.push(row);
        }
        Ok((names, rows))
    }

    #[test]
    fn values_keep_their_kind_and_text() {
        let input = "\u{feff}{\"a\": \"x\\\"y\", \"b\": 1.50e3, \"c\": null}\r\n\n  \n{\"c\": [1, {\"d\": true}], \"a\": \"é\"}\n";
        let (names, rows) = read(input, &["e"], UnknownKeys::Refuse).unwrap();
        assert_eq!(names, ["a", "b", "c", "e"]);
        use FieldKind::*;
        let s = |k, v: &str| (k, v.to_string());
        assert_eq!(rows[0], [s(Text, "x\"y"), s(Json, "1.50e3"), s(Null, ""), s(Missing, "")]);
        assert_eq!(rows[1], [s(Text, "é"), s(Missing, ""), s(Json, "[1, {\"d\": true}]"), s(Missing, "")]);
    }

    #[test]
    fn errors_name_the_line_and_never_the_value() {
        let err = |input: &str, unknown| read(input, &[], unknown).unwrap_err();
        let e = err("{\"a\": 1}\n{\"a\": 2, \"b\": \"secret\"}\n", UnknownKeys::Refuse);
        assert!(e.message().contains("key `b`") && !e.to_string().contains("secret"), "{e}");
        assert_eq!(e.position().line, Some(2));
        assert!(read("{\"a\": 1}\n{\"a\": 2, \"b\": \"secret\"}\n", &[], UnknownKeys::Drop).is_ok());
        let e = err("{\"a\": 1}\n\n[\"secret\"]\n", UnknownKeys::Refuse);
        assert!(e.message().contains("not a JSON object") && !e.to_string().contains("secret"), "{e}");
        assert_eq!(e.position().line, Some(3));
        let e = err("{\"a\": \"secret}\n", UnknownKeys::Refuse);
        assert!(e.message().contains("not valid JSON") && !e.to_string().contains("secret"), "{e}");
        let e = err("{\"a\": 1, \"a\": 2}\n", UnknownKeys::Refuse);
        assert!(e.message().contains("appears twice"), "{e}");
        let e = err("{\"a\": 1}\n{\"a\": 1, \"a\": 2}\n", UnknownKeys::Refuse);
        assert!(e.message().contains("appears twice") && e.position().line == Some(2), "{e}");
        let e = err("{\"\": 1}\n", UnknownKeys::Refuse);
        assert!(e.message().contains("empty"), "{e}");
    }

    #[test]
    fn a_long_line_is_refused_before_it_is_held() {
        let mut input = String::from("{\"a\": \"");
        input.push_str(&"x".repeat(MAX_RECORD_BYTES));
        input.push_str("\"}\n");
        let e = read(&input, &[], UnknownKeys::Refuse).unwrap_err();
        assert!(e.message().contains("longer than the limit"), "{e}");
        assert_eq!(e.position().line, Some(1));
    }

    #[test]
    fn deep_values_are_skipped_without_recursion_and_too_many_keys_are_refused() {
        // A value is kept as text: serde_json skips it with a loop, not a recursion per level,
        // so nesting as deep as a line allows cannot exhaust the stack.
        let deep = format!("{{\"a\": {}{}}}\n", "[".repeat(400_000), "]".repeat(400_000));
        let (_, rows) = read(&deep, &[], UnknownKeys::Refuse).unwrap();
        assert_eq!((rows[0][0].0, rows[0][0].1.len()), (FieldKind::Json, 800_000));
        let keys = |n: usize| {
            let fields: Vec<String> = (0..n).map(|i| format!("\"{i}\":0")).collect();
            format!("{{{}}}\n", fields.join(","))
        };
        assert!(keys(MAX_COLUMNS).len() < MAX_RECORD_BYTES);
        assert_eq!(read(&keys(MAX_COLUMNS), &[], UnknownKeys::Refuse).unwrap().0.len(), MAX_COLUMNS);
        let e = read(&keys(MAX_COLUMNS + 1), &[], UnknownKeys::Refuse).unwrap_err();
        assert!(e.message().contains("more than 65536 keys"), "{e}");
    }

    #[test]
    fn an_empty_input_has_only_the_extra_columns() {
        let (names, rows) = read("\n\n", &["a"], UnknownKeys::Refuse).unwrap();
        assert_eq!((names, rows.len()), (vec!["a".to_string()], 0));
    }
}
