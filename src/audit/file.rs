//! The log file's layout (section 2 of `docs/formats/audit-log.md`): a header, then frames, each
//! with a checksum; and a reader that walks them with bounded memory.
//!
//! ```text
//! header  "PSAUDLOG" | version 0x01 | suite | log id (16) | check (32) = H(preceding 26 bytes)
//! frame   type ('B' batch | 'T' tree head) | body length u32 | body | check (32) = H(type..body)
//! batch   count u32 | count × (length u32 | record) | tree size u64 | root (32)
//! head    a signed tree head (section 4)
//! ```

use super::hash::{Hash, Hasher, HASH_LEN};
use super::head::SignedTreeHead;
use super::record::MAX_RECORD_LEN;
use crate::{Error, ErrorKind, Result, Suite};
use std::io::Read;

/// The file's first eight bytes.
pub const MAGIC: &[u8; 8] = b"PSAUDLOG";
/// The file format version.
pub const FILE_VERSION: u8 = 1;
/// The header's length.
pub const HEADER_LEN: usize = 8 + 1 + 1 + 16 + HASH_LEN;
/// Frame type of a batch of records.
pub const FRAME_BATCH: u8 = b'B';
/// Frame type of a signed tree head.
pub const FRAME_HEAD: u8 = b'T';
/// The largest frame body (16 MiB).
pub const MAX_FRAME_BODY: usize = 1 << 24;
/// The most records in one batch.
pub const MAX_BATCH_RECORDS: usize = 100_000;
/// Bytes a frame adds around its body: type, length and check.
pub const FRAME_OVERHEAD: usize = 1 + 4 + HASH_LEN;
/// Bytes a batch body adds around its records: count, tree size and root.
pub const BATCH_OVERHEAD: usize = 4 + 8 + HASH_LEN;

/// The file header: which suite the log hashes with and the log's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Header {
    pub(crate) suite: Suite,
    pub(crate) log_id: [u8; 16],
}

impl Header {
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_LEN);
        out.extend_from_slice(MAGIC);
        out.push(FILE_VERSION);
        out.push(self.suite.id());
        out.extend_from_slice(&self.log_id);
        let check = Hasher::digest(self.suite, &out);
        out.extend_from_slice(&check);
        out
    }

    fn decode(b: &[u8; HEADER_LEN]) -> Result<Header> {
        if &b[..8] != MAGIC {
            return Err(malformed("not a privshare audit log (bad magic)", 0));
        }
        if b[8] != FILE_VERSION {
            return Err(Error::new(ErrorKind::UnsupportedVersion, "audit log file version not supported").at_offset(8));
        }
        let suite = Suite::from_id(b[9]).ok_or_else(|| malformed("unknown suite", 9))?;
        if Hasher::digest(suite, &b[..26]) != b[26..] {
            return Err(malformed("header check does not match", 26));
        }
        Ok(Header { suite, log_id: b[10..26].try_into().expect("16 bytes") })
    }
}

fn malformed(what: &str, offset: u64) -> Error {
    Error::new(ErrorKind::MalformedAuditLog, format!("audit log: {what}")).at_offset(offset)
}

/// Frames `body` as `kind`, appending to `out`.
pub(crate) fn put_frame(out: &mut Vec<u8>, suite: Suite, kind: u8, body: &[u8]) {
    let start = out.len();
    out.push(kind);
    out.extend_from_slice(&u32::try_from(body.len()).expect("bodies are at most 16 MiB").to_be_bytes());
    out.extend_from_slice(body);
    let check = Hasher::digest(suite, &out[start..]);
    out.extend_from_slice(&check);
}

/// One frame read back.
pub(crate) enum Frame {
    /// A batch: its records' encodings, the tree size and root after it.
    Batch { offset: u64, records: Vec<std::ops::Range<usize>>, body: Vec<u8>, tree_size: u64, root: Hash },
    /// A signed tree head.
    Head { offset: u64, head: SignedTreeHead },
}

/// Walks a log file frame by frame, holding at most one frame in memory.
pub(crate) struct LogReader<R: Read> {
    input: R,
    header: Header,
    offset: u64,
    total_len: u64,
    buf: Vec<u8>,
}

impl<R: Read> LogReader<R> {
    /// Reads and checks the header. `total_len` is the input's length, so that an incomplete last
    /// frame is told apart from a damaged one in the middle.
    pub(crate) fn new(mut input: R, total_len: u64) -> Result<LogReader<R>> {
        let mut h = [0u8; HEADER_LEN];
        let got = read_full(&mut input, &mut h)?;
        if got < HEADER_LEN {
            return Err(malformed("shorter than its header", got as u64));
        }
        let header = Header::decode(&h)?;
        Ok(LogReader { input, header, offset: HEADER_LEN as u64, total_len, buf: Vec::new() })
    }

    pub(crate) fn header(&self) -> Header {
        self.header
    }

    /// The byte offset of the next frame (the end of the valid part after the last frame).
    pub(crate) fn offset(&self) -> u64 {
        self.offset
    }

    fn torn(&self, what: &str) -> Error {
        let tail = self.total_len.saturating_sub(self.offset);
        Error::new(
            ErrorKind::AuditLogTornTail,
            format!(
                "audit log ends in {what} ({tail} bytes from the offset): an interrupted write; see AuditLog::recover"
            ),
        )
        .at_offset(self.offset)
    }

    /// The next frame, `None` at the end of the file.
    pub(crate) fn next_frame(&mut self) -> Result<Option<Frame>> {
        let start = self.offset;
        let mut head = [0u8; 5];
        match read_full(&mut self.input, &mut head)? {
            0 => return Ok(None),
            5 => {}
            _ => return Err(self.torn("an incomplete frame header")),
        }
        let kind = head[0];
        let len = u32::from_be_bytes(head[1..5].try_into().expect("4 bytes")) as usize;
        let frame_len = (FRAME_OVERHEAD + len) as u64;
        let ends_the_file = start + frame_len >= self.total_len;
        if start + frame_len > self.total_len {
            return Err(self.torn("an incomplete frame"));
        }
        if (kind != FRAME_BATCH && kind != FRAME_HEAD) || len == 0 || len > MAX_FRAME_BODY {
            return Err(if ends_the_file {
                self.torn("a damaged frame")
            } else {
                malformed("bad frame type or length", start)
            });
        }
        self.buf.clear();
        self.buf.extend_from_slice(&head);
        self.buf.resize(5 + len + HASH_LEN, 0);
        if read_full(&mut self.input, &mut self.buf[5..])? != len + HASH_LEN {
            return Err(self.torn("an incomplete frame"));
        }
        let check = Hasher::digest(self.header.suite, &self.buf[..5 + len]);
        if check != self.buf[5 + len..] {
            return Err(if ends_the_file {
                self.torn("a damaged frame")
            } else {
                Error::new(ErrorKind::AuditLogMismatch, "audit log frame was altered (its check does not match)")
                    .at_offset(start)
            });
        }
        let body = &self.buf[5..5 + len];
        let body_at = start + 5;
        let frame = match kind {
            FRAME_BATCH => {
                let (records, tree_size, root) = split_batch(body, body_at)?;
                Frame::Batch { offset: start, records, body: body.to_vec(), tree_size, root }
            }
            _ => Frame::Head { offset: start, head: SignedTreeHead::decode(body).map_err(|e| shift(e, body_at))? },
        };
        self.offset += frame_len;
        Ok(Some(frame))
    }
}

/// Moves an error's offset (relative to a frame body) to a file offset.
fn shift(e: Error, base: u64) -> Error {
    let off = e.position().offset.unwrap_or(0);
    Error::new(e.kind(), e.message().to_string()).at_offset(base + off)
}

/// Splits a batch body into its records' byte ranges and its trailer.
fn split_batch(body: &[u8], body_at: u64) -> Result<(Vec<std::ops::Range<usize>>, u64, Hash)> {
    let bad = |what: &str, at: usize| Err(malformed(what, body_at + at as u64));
    if body.len() < BATCH_OVERHEAD {
        return bad("batch shorter than its fixed fields", 0);
    }
    let count = u32::from_be_bytes(body[..4].try_into().expect("4 bytes")) as usize;
    if count == 0 || count > MAX_BATCH_RECORDS {
        return bad("batch record count is 0 or above 100000", 0);
    }
    let end = body.len() - 8 - HASH_LEN;
    let mut records = Vec::with_capacity(count);
    let mut pos = 4;
    for _ in 0..count {
        if pos + 4 > end {
            return bad("batch ends inside a record length", pos);
        }
        let len = u32::from_be_bytes(body[pos..pos + 4].try_into().expect("4 bytes")) as usize;
        if len == 0 || len > MAX_RECORD_LEN || pos + 4 + len > end {
            return bad("record length is 0, above the limit or beyond the batch", pos);
        }
        records.push(pos + 4..pos + 4 + len);
        pos += 4 + len;
    }
    if pos != end {
        return bad("bytes between the last record and the batch trailer", pos);
    }
    let tree_size = u64::from_be_bytes(body[end..end + 8].try_into().expect("8 bytes"));
    let root = body[end + 8..].try_into().expect("32 bytes");
    Ok((records, tree_size, root))
}

/// Reads until `buf` is full or the input ends; returns how much was read.
fn read_full(input: &mut impl Read, buf: &mut [u8]) -> Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match input.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(got)
}
