//! The envelope's binary layout (`docs/formats/envelope.md`): encoding and strict parsing of the
//! header, and the sizes of the body and trailer that follow it.
//!
//! Integers are big-endian; every variable field has a length prefix and a limit; the parser
//! checks every length against what remains and names the byte offset of the first problem.

use super::identity::PublicKeyId;
use super::participant::{ParticipantId, PARTICIPANT_ID_MAX_LEN};
use crate::{Error, ErrorKind, Result, Suite};

/// The first four bytes of every envelope.
pub const MAGIC: &[u8; 4] = b"PSEV";
/// The format version this build writes and reads.
pub const VERSION: u8 = 1;
/// Length of a message id.
pub const MESSAGE_ID_LEN: usize = 16;
/// Length of a payload chunk's GCM tag.
pub const TAG_LEN: usize = 16;
/// Length of the encrypted content-length prefix at the start of the body.
pub const LENGTH_PREFIX_LEN: usize = 8;

/// Most bytes in a header.
pub const MAX_HEADER_LEN: usize = 1 << 20;
/// Most recipients of one envelope.
pub const MAX_RECIPIENTS: usize = 1000;
/// Most extensions in one header.
pub const MAX_EXTENSIONS: usize = 64;
/// Most bytes in one extension's value.
pub const MAX_EXTENSION_LEN: usize = 1 << 16;
/// Most bytes in the purpose and in the legal basis (UTF-8).
pub const MAX_TEXT_LEN: usize = 1024;
/// Most bytes in a policy id and in a content type.
pub const MAX_NAME_LEN: usize = 255;
/// Most bytes in the policy hash and in the schema hash.
pub const MAX_HASH_LEN: usize = 64;
/// Most bytes in one wrapped content key.
pub const MAX_WRAPPED_KEY_LEN: usize = 1024;
/// Most bytes in the signature.
pub const MAX_SIGNATURE_LEN: usize = 512;
/// Smallest chunk size.
pub const MIN_CHUNK_SIZE: u32 = 1 << 10;
/// Largest chunk size (a streaming opener holds one chunk, so this bounds its memory).
pub const MAX_CHUNK_SIZE: u32 = 1 << 22;
/// Default chunk size.
pub const DEFAULT_CHUNK_SIZE: u32 = 1 << 16;
/// Largest padded payload (64 TiB).
pub const MAX_PAYLOAD_LEN: u64 = 1 << 46;
/// Most column entries in the column-key-versions extension.
pub const MAX_COLUMNS: usize = 10_000;

/// Extension type of the column key versions (non-critical).
pub const EXT_COLUMN_KEY_VERSIONS: u16 = 0x0001;
/// The bit of an extension type that marks it critical: a reader that does not know the type
/// must refuse the envelope.
pub const EXT_CRITICAL: u16 = 0x8000;

/// One recipient as listed in the header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecipientEntry {
    /// Who.
    pub participant: ParticipantId,
    /// Which of its keys.
    pub key_id: PublicKeyId,
    /// The content key wrapped for that key.
    pub wrapped_key: Vec<u8>,
}

/// A header extension: a type (bit 15 = critical) and an opaque value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extension {
    /// The type, with [`EXT_CRITICAL`] set when a reader must understand it.
    pub kind: u16,
    /// The value.
    pub value: Vec<u8>,
}

/// The signed header of an envelope. What `open` returns is authenticated; what
/// [`parse_header`] returns alone is not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// Algorithm suite of the payload encryption and hashes.
    pub suite: Suite,
    /// Random 128-bit message id.
    pub message_id: [u8; MESSAGE_ID_LEN],
    /// Creation time, Unix seconds.
    pub created: u64,
    /// Expiry, Unix seconds (the envelope is valid while `now < expires`, give or take the skew).
    pub expires: u64,
    /// The sender.
    pub sender: ParticipantId,
    /// The sender's signing key id.
    pub sender_key_id: PublicKeyId,
    /// Why the data is shared.
    pub purpose: String,
    /// The legal basis of the exchange.
    pub legal_basis: String,
    /// The sharing policy's id (empty when none).
    pub policy_id: String,
    /// The sharing policy's version.
    pub policy_version: u32,
    /// The sharing policy's hash (empty when none).
    pub policy_hash: Vec<u8>,
    /// The data schema's hash (empty when none).
    pub schema_hash: Vec<u8>,
    /// The payload's media type, e.g. `text/csv`.
    pub content_type: String,
    /// Payload length after padding (the true length is encrypted in the body).
    pub padded_length: u64,
    /// Plaintext bytes per chunk (the last chunk may be shorter).
    pub chunk_size: u32,
    /// Commitment to the content key (see the spec).
    pub key_commitment: [u8; 32],
    /// The message this one answers.
    pub in_reply_to: Option<[u8; MESSAGE_ID_LEN]>,
    /// The recipients, at least one, distinct key ids.
    pub recipients: Vec<RecipientEntry>,
    /// Column name and key version of every encrypted column (extension 0x0001).
    pub column_key_versions: Vec<(String, u32)>,
    /// Other extensions, by increasing type.
    pub extensions: Vec<Extension>,
}

impl Header {
    /// Length of the body: the encrypted length prefix, payload and padding, and one tag per chunk.
    pub fn body_len(&self) -> u64 {
        let plain = LENGTH_PREFIX_LEN as u64 + self.padded_length;
        plain + self.chunk_count() * TAG_LEN as u64
    }

    /// Number of payload chunks (at least one).
    pub fn chunk_count(&self) -> u64 {
        (LENGTH_PREFIX_LEN as u64 + self.padded_length).div_ceil(u64::from(self.chunk_size))
    }

    /// Plaintext length of chunk `i`.
    pub fn chunk_plain_len(&self, i: u64) -> usize {
        let total = LENGTH_PREFIX_LEN as u64 + self.padded_length;
        let start = i * u64::from(self.chunk_size);
        (total - start).min(u64::from(self.chunk_size)) as usize
    }
}

fn malformed(message: impl Into<String>, offset: usize) -> Error {
    Error::new(ErrorKind::MalformedEnvelope, message).at_offset(offset as u64)
}

fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidArgument, message)
}

/// Checks the limits a sealer must respect (the parser enforces the same ones).
fn check_limits(h: &Header) -> Result<()> {
    let text = |name: &str, v: &str, max: usize| {
        if v.len() > max {
            Err(invalid(format!("{name} is longer than {max} bytes")))
        } else {
            Ok(())
        }
    };
    text("the purpose", &h.purpose, MAX_TEXT_LEN)?;
    text("the legal basis", &h.legal_basis, MAX_TEXT_LEN)?;
    text("the policy id", &h.policy_id, MAX_NAME_LEN)?;
    text("the content type", &h.content_type, MAX_NAME_LEN)?;
    if h.policy_hash.len() > MAX_HASH_LEN || h.schema_hash.len() > MAX_HASH_LEN {
        return Err(invalid(format!("a policy or schema hash is longer than {MAX_HASH_LEN} bytes")));
    }
    if h.expires <= h.created {
        return Err(invalid("the expiry must be after the creation time"));
    }
    if h.padded_length > MAX_PAYLOAD_LEN {
        return Err(invalid(format!("the payload is longer than {MAX_PAYLOAD_LEN} bytes")));
    }
    if !(MIN_CHUNK_SIZE..=MAX_CHUNK_SIZE).contains(&h.chunk_size) {
        return Err(invalid(format!("the chunk size must be {MIN_CHUNK_SIZE} to {MAX_CHUNK_SIZE} bytes")));
    }
    if h.recipients.is_empty() || h.recipients.len() > MAX_RECIPIENTS {
        return Err(invalid(format!("an envelope has 1 to {MAX_RECIPIENTS} recipients")));
    }
    for (i, r) in h.recipients.iter().enumerate() {
        if h.recipients[..i].iter().any(|o| o.key_id == r.key_id) {
            return Err(invalid(format!("recipient key {} is listed twice", r.key_id)));
        }
    }
    if h.column_key_versions.len() > MAX_COLUMNS {
        return Err(invalid(format!("at most {MAX_COLUMNS} column key versions")));
    }
    if h.column_key_versions.iter().any(|(name, _)| name.len() > MAX_NAME_LEN) {
        return Err(invalid(format!("a column name is longer than {MAX_NAME_LEN} bytes")));
    }
    if h.extensions.len() + 1 > MAX_EXTENSIONS {
        return Err(invalid(format!("at most {} extensions", MAX_EXTENSIONS - 1)));
    }
    let mut previous = EXT_COLUMN_KEY_VERSIONS;
    for e in &h.extensions {
        if e.kind & !EXT_CRITICAL <= EXT_COLUMN_KEY_VERSIONS || e.kind <= previous {
            return Err(invalid("extension types must be above 0x0001 and increasing"));
        }
        if e.value.len() > MAX_EXTENSION_LEN {
            return Err(invalid(format!("an extension is longer than {MAX_EXTENSION_LEN} bytes")));
        }
        previous = e.kind;
    }
    Ok(())
}

fn put_u8_bytes(out: &mut Vec<u8>, b: &[u8]) {
    out.push(b.len() as u8);
    out.extend_from_slice(b);
}

fn put_u16_bytes(out: &mut Vec<u8>, b: &[u8]) {
    out.extend_from_slice(&(b.len() as u16).to_be_bytes());
    out.extend_from_slice(b);
}

fn column_key_versions_value(columns: &[(String, u32)]) -> Vec<u8> {
    let mut v = (columns.len() as u16).to_be_bytes().to_vec();
    for (name, version) in columns {
        put_u8_bytes(&mut v, name.as_bytes());
        v.extend_from_slice(&version.to_be_bytes());
    }
    v
}

/// Encodes a header (checking the limits first).
pub(crate) fn encode_header(h: &Header) -> Result<Vec<u8>> {
    check_limits(h)?;
    let mut out = Vec::with_capacity(512);
    out.extend_from_slice(MAGIC);
    out.push(VERSION);
    out.push(h.suite.id());
    out.extend_from_slice(&[0; 4]); // header length, filled in below
    out.extend_from_slice(&h.message_id);
    out.extend_from_slice(&h.created.to_be_bytes());
    out.extend_from_slice(&h.expires.to_be_bytes());
    put_u8_bytes(&mut out, h.sender.as_str().as_bytes());
    out.extend_from_slice(h.sender_key_id.as_bytes());
    put_u16_bytes(&mut out, h.purpose.as_bytes());
    put_u16_bytes(&mut out, h.legal_basis.as_bytes());
    put_u8_bytes(&mut out, h.policy_id.as_bytes());
    out.extend_from_slice(&h.policy_version.to_be_bytes());
    put_u8_bytes(&mut out, &h.policy_hash);
    put_u8_bytes(&mut out, &h.schema_hash);
    put_u8_bytes(&mut out, h.content_type.as_bytes());
    out.extend_from_slice(&h.padded_length.to_be_bytes());
    out.extend_from_slice(&h.chunk_size.to_be_bytes());
    out.extend_from_slice(&h.key_commitment);
    match &h.in_reply_to {
        None => out.push(0),
        Some(id) => {
            out.push(1);
            out.extend_from_slice(id);
        }
    }
    out.extend_from_slice(&(h.recipients.len() as u16).to_be_bytes());
    for r in &h.recipients {
        put_u8_bytes(&mut out, r.participant.as_str().as_bytes());
        out.extend_from_slice(r.key_id.as_bytes());
        put_u16_bytes(&mut out, &r.wrapped_key);
    }
    let columns = (!h.column_key_versions.is_empty())
        .then(|| Extension { kind: EXT_COLUMN_KEY_VERSIONS, value: column_key_versions_value(&h.column_key_versions) });
    let extensions: Vec<&Extension> = columns.iter().chain(&h.extensions).collect();
    out.push(extensions.len() as u8);
    for e in extensions {
        out.extend_from_slice(&e.kind.to_be_bytes());
        out.extend_from_slice(&(e.value.len() as u32).to_be_bytes());
        out.extend_from_slice(&e.value);
    }
    if out.len() > MAX_HEADER_LEN {
        return Err(invalid(format!("the header would be longer than {MAX_HEADER_LEN} bytes")));
    }
    let len = out.len() as u32;
    out[6..10].copy_from_slice(&len.to_be_bytes());
    Ok(out)
}

/// Bytes that announce the header: magic, version, suite, header length.
pub const PREAMBLE_LEN: usize = 10;

/// The header length announced by the preamble (the first [`PREAMBLE_LEN`] bytes), after
/// checking magic, version and suite.
pub fn header_len(preamble: &[u8]) -> Result<usize> {
    if preamble.len() < PREAMBLE_LEN {
        return Err(malformed("truncated before the end of the preamble", preamble.len()));
    }
    if &preamble[..4] != MAGIC {
        return Err(malformed("not a privshare envelope (bad magic)", 0));
    }
    if preamble[4] != VERSION {
        return Err(Error::new(ErrorKind::UnsupportedVersion, format!("envelope version {}", preamble[4])).at_offset(4));
    }
    if Suite::from_id(preamble[5]).is_none() {
        return Err(malformed(format!("unknown suite {}", preamble[5]), 5));
    }
    let len = u32::from_be_bytes(preamble[6..10].try_into().expect("4 bytes")) as usize;
    if !(PREAMBLE_LEN..=MAX_HEADER_LEN).contains(&len) {
        return Err(malformed(format!("header length {len} outside {PREAMBLE_LEN}..={MAX_HEADER_LEN}"), 6));
    }
    Ok(len)
}

/// A cursor over the header bytes that reports the offset of what it could not read.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| malformed(format!("truncated in {what}"), self.pos))?;
        let out = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N]> {
        Ok(self.take(N, what)?.try_into().expect("N bytes"))
    }

    fn u8(&mut self, what: &str) -> Result<u8> {
        Ok(self.take(1, what)?[0])
    }

    fn u16(&mut self, what: &str) -> Result<u16> {
        Ok(u16::from_be_bytes(self.array(what)?))
    }

    fn u32(&mut self, what: &str) -> Result<u32> {
        Ok(u32::from_be_bytes(self.array(what)?))
    }

    fn u64(&mut self, what: &str) -> Result<u64> {
        Ok(u64::from_be_bytes(self.array(what)?))
    }

    /// A field with a one-byte length, at most `max` bytes.
    fn bytes8(&mut self, what: &str, max: usize) -> Result<&'a [u8]> {
        let at = self.pos;
        let n = self.u8(what)? as usize;
        if n > max {
            return Err(malformed(format!("{what} is longer than {max} bytes"), at));
        }
        self.take(n, what)
    }

    /// A field with a two-byte length, at most `max` bytes.
    fn bytes16(&mut self, what: &str, max: usize) -> Result<&'a [u8]> {
        let at = self.pos;
        let n = self.u16(what)? as usize;
        if n > max {
            return Err(malformed(format!("{what} is longer than {max} bytes"), at));
        }
        self.take(n, what)
    }

    fn text(&mut self, what: &str, bytes: &[u8], at: usize) -> Result<String> {
        let _ = self;
        String::from_utf8(bytes.to_vec())
            .map_err(|e| malformed(format!("{what} is not UTF-8"), at + e.utf8_error().valid_up_to()))
    }

    fn text8(&mut self, what: &str, max: usize) -> Result<String> {
        let at = self.pos + 1;
        let b = self.bytes8(what, max)?;
        self.text(what, b, at)
    }

    fn text16(&mut self, what: &str, max: usize) -> Result<String> {
        let at = self.pos + 2;
        let b = self.bytes16(what, max)?;
        self.text(what, b, at)
    }

    fn participant(&mut self, what: &str) -> Result<ParticipantId> {
        let at = self.pos + 1;
        let text = self.text8(what, PARTICIPANT_ID_MAX_LEN)?;
        ParticipantId::parse(&text).map_err(|e| malformed(format!("{what}: {}", e.message()), at))
    }
}

fn parse_column_key_versions(value: &[u8], base: usize) -> Result<Vec<(String, u32)>> {
    let mut r = Reader { bytes: value, pos: 0 };
    let shift = |e: Error| {
        let off = e.position().offset.unwrap_or(0) as usize;
        malformed(e.message().to_string(), base + off)
    };
    let n = r.u16("the column count").map_err(shift)? as usize;
    if n == 0 || n > MAX_COLUMNS {
        return Err(malformed(format!("the column count must be 1 to {MAX_COLUMNS}"), base));
    }
    let mut out = Vec::with_capacity(n.min(value.len() / 5));
    for _ in 0..n {
        let name = r.text8("a column name", MAX_NAME_LEN).map_err(shift)?;
        let version = r.u32("a column key version").map_err(shift)?;
        out.push((name, version));
    }
    if r.pos != value.len() {
        return Err(malformed("trailing bytes in the column key versions", base + r.pos));
    }
    Ok(out)
}

/// Parses a header from the start of `bytes` (which may continue with the body). Returns the
/// header and its length. Nothing is authenticated yet.
pub fn parse_header(bytes: &[u8]) -> Result<(Header, usize)> {
    let len = header_len(bytes)?;
    if bytes.len() < len {
        return Err(malformed(format!("truncated: the header is {len} bytes"), bytes.len()));
    }
    let mut r = Reader { bytes: &bytes[..len], pos: PREAMBLE_LEN };
    let suite = Suite::from_id(bytes[5]).expect("checked by header_len");
    let message_id = r.array("the message id")?;
    let created = r.u64("the creation time")?;
    let at = r.pos;
    let expires = r.u64("the expiry")?;
    if expires <= created {
        return Err(malformed("the expiry is not after the creation time", at));
    }
    let sender = r.participant("the sender")?;
    let sender_key_id = PublicKeyId(r.array("the sender key id")?);
    let purpose = r.text16("the purpose", MAX_TEXT_LEN)?;
    let legal_basis = r.text16("the legal basis", MAX_TEXT_LEN)?;
    let policy_id = r.text8("the policy id", MAX_NAME_LEN)?;
    let policy_version = r.u32("the policy version")?;
    let policy_hash = r.bytes8("the policy hash", MAX_HASH_LEN)?.to_vec();
    let schema_hash = r.bytes8("the schema hash", MAX_HASH_LEN)?.to_vec();
    let content_type = r.text8("the content type", MAX_NAME_LEN)?;
    let at = r.pos;
    let padded_length = r.u64("the payload length")?;
    if padded_length > MAX_PAYLOAD_LEN {
        return Err(malformed(format!("the payload length exceeds {MAX_PAYLOAD_LEN}"), at));
    }
    let at = r.pos;
    let chunk_size = r.u32("the chunk size")?;
    if !(MIN_CHUNK_SIZE..=MAX_CHUNK_SIZE).contains(&chunk_size) {
        return Err(malformed(format!("chunk size {chunk_size} outside {MIN_CHUNK_SIZE}..={MAX_CHUNK_SIZE}"), at));
    }
    let key_commitment = r.array("the key commitment")?;
    let at = r.pos;
    let in_reply_to = match r.u8("the in-reply-to flag")? {
        0 => None,
        1 => Some(r.array("the in-reply-to id")?),
        _ => return Err(malformed("the in-reply-to flag is neither 0 nor 1", at)),
    };
    let at = r.pos;
    let count = r.u16("the recipient count")? as usize;
    if count == 0 || count > MAX_RECIPIENTS {
        return Err(malformed(format!("the recipient count must be 1 to {MAX_RECIPIENTS}"), at));
    }
    let mut recipients: Vec<RecipientEntry> = Vec::with_capacity(count);
    for _ in 0..count {
        let participant = r.participant("a recipient id")?;
        let at = r.pos;
        let key_id = PublicKeyId(r.array("a recipient key id")?);
        if recipients.iter().any(|o| o.key_id == key_id) {
            return Err(malformed("a recipient key id is listed twice", at));
        }
        let wrapped_key = r.bytes16("a wrapped key", MAX_WRAPPED_KEY_LEN)?.to_vec();
        recipients.push(RecipientEntry { participant, key_id, wrapped_key });
    }
    let at = r.pos;
    let count = r.u8("the extension count")? as usize;
    if count > MAX_EXTENSIONS {
        return Err(malformed(format!("more than {MAX_EXTENSIONS} extensions"), at));
    }
    let mut column_key_versions = Vec::new();
    let mut extensions = Vec::new();
    let mut previous: Option<u16> = None;
    for _ in 0..count {
        let at = r.pos;
        let kind = r.u16("an extension type")?;
        if previous.is_some_and(|p| kind <= p) {
            return Err(malformed("extension types are not strictly increasing", at));
        }
        previous = Some(kind);
        let n = r.u32("an extension length")? as usize;
        if n > MAX_EXTENSION_LEN {
            return Err(malformed(format!("an extension is longer than {MAX_EXTENSION_LEN} bytes"), at + 2));
        }
        let value_at = r.pos;
        let value = r.take(n, "an extension value")?;
        match kind {
            EXT_COLUMN_KEY_VERSIONS => column_key_versions = parse_column_key_versions(value, value_at)?,
            k if k & EXT_CRITICAL != 0 => {
                return Err(malformed(format!("unknown critical extension 0x{k:04x}"), at));
            }
            _ => extensions.push(Extension { kind, value: value.to_vec() }),
        }
    }
    if r.pos != len {
        return Err(malformed("trailing bytes after the extensions", r.pos));
    }
    let header = Header {
        suite,
        message_id,
        created,
        expires,
        sender,
        sender_key_id,
        purpose,
        legal_basis,
        policy_id,
        policy_version,
        policy_hash,
        schema_hash,
        content_type,
        padded_length,
        chunk_size,
        key_commitment,
        in_reply_to,
        recipients,
        column_key_versions,
        extensions,
    };
    Ok((header, len))
}

/// Lowercase hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Header {
    /// The header as JSON, for bindings, logs and audit records: byte strings in lowercase hex,
    /// times in Unix seconds, wrapped keys left out.
    pub fn to_json(&self) -> String {
        let doc = serde_json::json!({
            "version": VERSION,
            "suite": self.suite.name(),
            "message_id": hex(&self.message_id),
            "created": self.created,
            "expires": self.expires,
            "sender": self.sender.as_str(),
            "sender_key_id": self.sender_key_id.to_hex(),
            "purpose": self.purpose,
            "legal_basis": self.legal_basis,
            "policy": {"id": self.policy_id, "version": self.policy_version, "hash": hex(&self.policy_hash)},
            "schema_hash": hex(&self.schema_hash),
            "content_type": self.content_type,
            "padded_length": self.padded_length,
            "chunk_size": self.chunk_size,
            "key_commitment": hex(&self.key_commitment),
            "in_reply_to": self.in_reply_to.map(|id| hex(&id)),
            "recipients": self.recipients.iter().map(|r| serde_json::json!({
                "id": r.participant.as_str(), "key_id": r.key_id.to_hex()
            })).collect::<Vec<_>>(),
            "column_key_versions": self.column_key_versions.iter().map(|(c, v)| serde_json::json!({
                "column": c, "key_version": v
            })).collect::<Vec<_>>(),
            "extensions": self.extensions.iter().map(|e| serde_json::json!({
                "type": e.kind, "value": hex(&e.value)
            })).collect::<Vec<_>>(),
        });
        doc.to_string()
    }
}
