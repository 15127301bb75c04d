//! One audit record: what happened to one exchange, as metadata and hashes only.
//!
//! A record never holds payload bytes: it names the message (128-bit id), the participants, the
//! purpose and policy, and the payload's length and digest. Its binary encoding (section 3 of
//! `docs/formats/audit-log.md`) is the Merkle leaf and is stored as is in the log file; the
//! JSON form ([`Record::from_json`]) is what the C, Java and Python bindings pass.

use super::hash::Hash;
use crate::envelope::{ParticipantId, PARTICIPANT_ID_MAX_LEN};
use crate::{Error, ErrorKind, Result};
use serde::{Deserialize, Serialize};

/// The version byte that starts every record encoding.
pub const RECORD_VERSION: u8 = 1;
/// The longest participant id, in bytes (ids follow the envelope's [`ParticipantId`] rules).
pub const MAX_PARTICIPANT_LEN: usize = PARTICIPANT_ID_MAX_LEN;
/// The most recipients one record names.
pub const MAX_RECIPIENTS: usize = 256;
/// The longest purpose, in bytes.
pub const MAX_PURPOSE_LEN: usize = 1024;
/// The longest policy id, in bytes.
pub const MAX_POLICY_ID_LEN: usize = 255;
/// The longest record encoding the limits above allow (checked by a test), rounded up: a decoder
/// refuses a longer one before reading it.
pub const MAX_RECORD_LEN: usize = 1 << 17;

const FLAG_MESSAGE_ID: u8 = 0x01;
const FLAG_SENDER: u8 = 0x02;
const FLAG_POLICY: u8 = 0x04;

/// What happened to the exchange.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Event {
    /// This participant sealed and sent the envelope.
    Sent,
    /// This participant received the envelope (before opening it).
    Received,
    /// This participant opened the envelope: signature, recipient and payload all checked.
    Opened,
    /// This participant refused the envelope. The reason is the stable code of the
    /// [`ErrorKind`] that opening returned (e.g. 500 replay, 501 expired); never 0.
    Rejected(u32),
}

impl Event {
    fn code(self) -> u8 {
        match self {
            Event::Sent => 1,
            Event::Received => 2,
            Event::Opened => 3,
            Event::Rejected(_) => 4,
        }
    }

    /// The event's name in the JSON form: `sent`, `received`, `opened`, `rejected`.
    pub fn name(self) -> &'static str {
        match self {
            Event::Sent => "sent",
            Event::Received => "received",
            Event::Opened => "opened",
            Event::Rejected(_) => "rejected",
        }
    }

    /// A rejection for an error kind (the record stores its code).
    pub fn rejected(kind: ErrorKind) -> Event {
        Event::Rejected(kind.code())
    }
}

/// The sharing policy an exchange was made under.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyRef {
    /// The policy's id (1 to 255 bytes of UTF-8).
    pub id: String,
    /// The policy's version.
    pub version: u32,
    /// The digest of the policy document, in the log's suite hash.
    #[serde(with = "hex32")]
    pub hash: Hash,
}

/// One audit record. Build it with the constructors and `with_*` methods, or as a struct literal;
/// [`Record::validate`] (called by every append) checks the rules of section 3 of the format.
///
/// ```
/// use privshare::audit::{Event, Record};
/// let r = Record::new(Event::Sent, 1_760_000_000_000)
///     .with_message_id([7; 16])
///     .with_sender("EE/GOV/70000001/tax")
///     .with_recipient("EE/GOV/70000002/health")
///     .with_purpose("benefit eligibility check")
///     .with_payload([9; 32], 1_048_576);
/// r.validate()?;
/// assert_eq!(privshare::audit::Record::decode(&r.encode())?, r);
/// # Ok::<(), privshare::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Record {
    /// When it happened, in milliseconds since 1970-01-01T00:00:00Z (the caller's clock).
    pub time_ms: u64,
    /// What happened.
    pub event: Event,
    /// The envelope's 128-bit message id. Required unless the event is a rejection (an envelope
    /// rejected as malformed may have none).
    pub message_id: Option<[u8; 16]>,
    /// The sender's participant id, `INSTANCE/CLASS/MEMBER/SUBSYSTEM`. Required unless rejected.
    pub sender: Option<String>,
    /// The recipients' participant ids: at least one unless rejected, at most 256.
    pub recipients: Vec<String>,
    /// The stated purpose: required (non-empty) unless rejected.
    pub purpose: String,
    /// The sharing policy, if the exchange names one.
    pub policy: Option<PolicyRef>,
    /// The digest of the bytes the event concerns (the payload for sent and opened, the envelope
    /// for received and rejected), in the log's suite hash. Never the bytes themselves.
    pub payload_hash: Hash,
    /// Their length in bytes.
    pub payload_len: u64,
}

impl Record {
    /// A record of `event` at `time_ms` with every other field empty.
    pub fn new(event: Event, time_ms: u64) -> Record {
        Record {
            time_ms,
            event,
            message_id: None,
            sender: None,
            recipients: Vec::new(),
            purpose: String::new(),
            policy: None,
            payload_hash: [0; 32],
            payload_len: 0,
        }
    }

    /// Sets the message id.
    pub fn with_message_id(mut self, id: [u8; 16]) -> Record {
        self.message_id = Some(id);
        self
    }

    /// Sets the sender.
    pub fn with_sender(mut self, sender: impl Into<String>) -> Record {
        self.sender = Some(sender.into());
        self
    }

    /// Adds a recipient.
    pub fn with_recipient(mut self, recipient: impl Into<String>) -> Record {
        self.recipients.push(recipient.into());
        self
    }

    /// Sets the purpose.
    pub fn with_purpose(mut self, purpose: impl Into<String>) -> Record {
        self.purpose = purpose.into();
        self
    }

    /// Sets the policy.
    pub fn with_policy(mut self, id: impl Into<String>, version: u32, hash: Hash) -> Record {
        self.policy = Some(PolicyRef { id: id.into(), version, hash });
        self
    }

    /// Sets the payload digest and length.
    pub fn with_payload(mut self, hash: Hash, len: u64) -> Record {
        self.payload_hash = hash;
        self.payload_len = len;
        self
    }

    /// Checks the rules of section 3 of `docs/formats/audit-log.md` (`InvalidArgument` naming the
    /// field otherwise).
    pub fn validate(&self) -> Result<()> {
        let bad =
            |field: &str, what: &str| Err(Error::new(ErrorKind::InvalidArgument, what.to_string()).at_column(field));
        let rejected = matches!(self.event, Event::Rejected(_));
        if self.event == Event::Rejected(0) {
            return bad("reason", "a rejection needs a non-zero reason code");
        }
        if !rejected {
            if self.message_id.is_none() {
                return bad("message_id", "a message id is required unless the event is a rejection");
            }
            if self.sender.is_none() {
                return bad("sender", "a sender is required unless the event is a rejection");
            }
            if self.recipients.is_empty() {
                return bad("recipients", "at least one recipient is required unless the event is a rejection");
            }
            if self.purpose.is_empty() {
                return bad("purpose", "a purpose is required unless the event is a rejection");
            }
        }
        if let Some(s) = &self.sender {
            check_participant(s).map_err(|e| e.at_column("sender"))?;
        }
        if self.recipients.len() > MAX_RECIPIENTS {
            return bad("recipients", "more than 256 recipients");
        }
        for (i, r) in self.recipients.iter().enumerate() {
            check_participant(r).map_err(|e| e.at_column(format!("recipients[{i}]")))?;
        }
        if self.purpose.len() > MAX_PURPOSE_LEN {
            return bad("purpose", "purpose longer than 1024 bytes");
        }
        if let Some(p) = &self.policy {
            if p.id.is_empty() || p.id.len() > MAX_POLICY_ID_LEN {
                return bad("policy", "policy id must be 1 to 255 bytes");
            }
        }
        Ok(())
    }

    /// The binary encoding (section 3 of the format): the Merkle leaf. Call [`Record::validate`]
    /// first; lengths beyond the limits are not representable and make this panic.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(128 + self.purpose.len() + 40 * self.recipients.len());
        self.encode_into(&mut out);
        out
    }

    pub(crate) fn encode_into(&self, out: &mut Vec<u8>) {
        let reason = match self.event {
            Event::Rejected(r) => r,
            _ => 0,
        };
        let flags = if self.message_id.is_some() { FLAG_MESSAGE_ID } else { 0 }
            | if self.sender.is_some() { FLAG_SENDER } else { 0 }
            | if self.policy.is_some() { FLAG_POLICY } else { 0 };
        out.push(RECORD_VERSION);
        out.push(self.event.code());
        out.extend_from_slice(&reason.to_be_bytes());
        out.extend_from_slice(&self.time_ms.to_be_bytes());
        out.push(flags);
        if let Some(id) = &self.message_id {
            out.extend_from_slice(id);
        }
        if let Some(s) = &self.sender {
            put_u8_str(out, s);
        }
        out.extend_from_slice(&u16::try_from(self.recipients.len()).expect("validated").to_be_bytes());
        for r in &self.recipients {
            put_u8_str(out, r);
        }
        out.extend_from_slice(&u16::try_from(self.purpose.len()).expect("validated").to_be_bytes());
        out.extend_from_slice(self.purpose.as_bytes());
        if let Some(p) = &self.policy {
            put_u8_str(out, &p.id);
            out.extend_from_slice(&p.version.to_be_bytes());
            out.extend_from_slice(&p.hash);
        }
        out.extend_from_slice(&self.payload_hash);
        out.extend_from_slice(&self.payload_len.to_be_bytes());
    }

    /// Decodes and validates one record encoding (exactly: no trailing bytes).
    /// `MalformedAuditLog` with the byte offset otherwise.
    pub fn decode(bytes: &[u8]) -> Result<Record> {
        let mut r = Reader { bytes, pos: 0 };
        let record = r.record()?;
        if r.pos != bytes.len() {
            return Err(malformed("trailing bytes after the record", r.pos));
        }
        record.validate().map_err(|e| Error::new(ErrorKind::MalformedAuditLog, e.message().to_string()))?;
        Ok(record)
    }

    /// Parses the JSON form (section 6 of the format), e.g. one element of what the bindings pass.
    pub fn from_json(json: &str) -> Result<Record> {
        let j: RecordJson = serde_json::from_str(json).map_err(json_error)?;
        j.try_into()
    }

    /// Parses a JSON array of records; an error names the record's index as its row.
    pub fn list_from_json(json: &str) -> Result<Vec<Record>> {
        let list: Vec<serde_json::Value> = serde_json::from_str(json).map_err(json_error)?;
        list.into_iter()
            .enumerate()
            .map(|(i, v)| {
                let j: RecordJson = serde_json::from_value(v).map_err(json_error).map_err(|e| e.at_row(i as u64))?;
                Record::try_from(j).map_err(|e| e.at_row(i as u64))
            })
            .collect()
    }

    /// The JSON form.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&RecordJson::from(self)).expect("a record always serializes")
    }
}

fn json_error(e: serde_json::Error) -> Error {
    // serde_json names the line and column, and the offending field, never the value.
    Error::new(ErrorKind::InvalidArgument, format!("record JSON: {e}"))
}

/// `INSTANCE/CLASS/MEMBER/SUBSYSTEM`: four non-empty parts, at most 255 bytes, no control characters.
/// One rule for participant ids wherever they appear: the envelope's [`ParticipantId`] (four
/// X-Road style parts of 1 to 63 bytes of `A-Z a-z 0-9 - _ . :`), so that every id an envelope
/// names can be recorded and every recorded id could be an envelope's.
fn check_participant(id: &str) -> Result<()> {
    ParticipantId::parse(id).map(drop)
}

fn put_u8_str(out: &mut Vec<u8>, s: &str) {
    out.push(u8::try_from(s.len()).expect("validated"));
    out.extend_from_slice(s.as_bytes());
}

fn malformed(what: &str, offset: usize) -> Error {
    Error::new(ErrorKind::MalformedAuditLog, format!("record: {what}")).at_offset(offset as u64)
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| malformed("truncated", self.bytes.len()))?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16> {
        Ok(u16::from_be_bytes(self.take(2)?.try_into().expect("2 bytes")))
    }
    fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_be_bytes(self.take(4)?.try_into().expect("4 bytes")))
    }
    fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_be_bytes(self.take(8)?.try_into().expect("8 bytes")))
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        Ok(self.take(N)?.try_into().expect("N bytes"))
    }
    fn text(&mut self, len: usize) -> Result<String> {
        let at = self.pos;
        let b = self.take(len)?;
        String::from_utf8(b.to_vec()).map_err(|_| malformed("text is not UTF-8", at))
    }
    fn u8_text(&mut self) -> Result<String> {
        let n = self.u8()? as usize;
        self.text(n)
    }

    fn record(&mut self) -> Result<Record> {
        let at = self.pos;
        if self.u8()? != RECORD_VERSION {
            return Err(malformed("unknown record version", at));
        }
        let at = self.pos;
        let kind = self.u8()?;
        let reason = self.u32()?;
        let event = match (kind, reason) {
            (1, 0) => Event::Sent,
            (2, 0) => Event::Received,
            (3, 0) => Event::Opened,
            (4, r) if r != 0 => Event::Rejected(r),
            (1..=3, _) => return Err(malformed("a reason code on an event that is not a rejection", at + 1)),
            (4, _) => return Err(malformed("a rejection without a reason code", at + 1)),
            _ => return Err(malformed("unknown event", at)),
        };
        let time_ms = self.u64()?;
        let at = self.pos;
        let flags = self.u8()?;
        if flags & !(FLAG_MESSAGE_ID | FLAG_SENDER | FLAG_POLICY) != 0 {
            return Err(malformed("unknown flag bits", at));
        }
        let message_id = if flags & FLAG_MESSAGE_ID != 0 { Some(self.array::<16>()?) } else { None };
        let sender = if flags & FLAG_SENDER != 0 { Some(self.u8_text()?) } else { None };
        let at = self.pos;
        let n = self.u16()? as usize;
        if n > MAX_RECIPIENTS {
            return Err(malformed("more than 256 recipients", at));
        }
        let recipients = (0..n).map(|_| self.u8_text()).collect::<Result<Vec<_>>>()?;
        let at = self.pos;
        let n = self.u16()? as usize;
        if n > MAX_PURPOSE_LEN {
            return Err(malformed("purpose longer than 1024 bytes", at));
        }
        let purpose = self.text(n)?;
        let policy = if flags & FLAG_POLICY != 0 {
            let id = self.u8_text()?;
            Some(PolicyRef { id, version: self.u32()?, hash: self.array()? })
        } else {
            None
        };
        let payload_hash = self.array()?;
        let payload_len = self.u64()?;
        Ok(Record { time_ms, event, message_id, sender, recipients, purpose, policy, payload_hash, payload_len })
    }
}

/// The JSON form: hashes and the message id in lowercase hex, absent optional fields omitted.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordJson {
    time_ms: u64,
    event: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "hex16_opt")]
    message_id: Option<[u8; 16]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sender: Option<String>,
    #[serde(default)]
    recipients: Vec<String>,
    #[serde(default)]
    purpose: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    policy: Option<PolicyRef>,
    #[serde(with = "hex32")]
    payload_hash: Hash,
    payload_len: u64,
}

impl From<&Record> for RecordJson {
    fn from(r: &Record) -> RecordJson {
        RecordJson {
            time_ms: r.time_ms,
            event: r.event.name().to_string(),
            reason: match r.event {
                Event::Rejected(c) => Some(c),
                _ => None,
            },
            message_id: r.message_id,
            sender: r.sender.clone(),
            recipients: r.recipients.clone(),
            purpose: r.purpose.clone(),
            policy: r.policy.clone(),
            payload_hash: r.payload_hash,
            payload_len: r.payload_len,
        }
    }
}

impl TryFrom<RecordJson> for Record {
    type Error = Error;
    fn try_from(j: RecordJson) -> Result<Record> {
        let bad = |m: &str| Err(Error::new(ErrorKind::InvalidArgument, m.to_string()).at_column("event"));
        let event = match (j.event.as_str(), j.reason) {
            ("sent", None) => Event::Sent,
            ("received", None) => Event::Received,
            ("opened", None) => Event::Opened,
            ("rejected", Some(code)) => Event::Rejected(code),
            ("rejected", None) => return bad("a rejection needs a reason code"),
            ("sent" | "received" | "opened", Some(_)) => return bad("only a rejection has a reason code"),
            _ => return bad("event must be sent, received, opened or rejected"),
        };
        let r = Record {
            time_ms: j.time_ms,
            event,
            message_id: j.message_id,
            sender: j.sender,
            recipients: j.recipients,
            purpose: j.purpose,
            policy: j.policy,
            payload_hash: j.payload_hash,
            payload_len: j.payload_len,
        };
        r.validate()?;
        Ok(r)
    }
}

fn hex_array<const N: usize, E: serde::de::Error>(s: &str) -> Result<[u8; N], E> {
    let mut out = [0u8; N];
    hex::decode_to_slice(s, &mut out).map_err(|_| E::custom(format!("expected {} hex digits", 2 * N)))?;
    Ok(out)
}

mod hex32 {
    pub fn serialize<S: serde::Serializer>(v: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(v))
    }
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let s: String = serde::Deserialize::deserialize(d)?;
        super::hex_array(&s)
    }
}

mod hex16_opt {
    pub fn serialize<S: serde::Serializer>(v: &Option<[u8; 16]>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) => s.serialize_str(&hex::encode(v)),
            None => s.serialize_none(),
        }
    }
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<[u8; 16]>, D::Error> {
        let s: Option<String> = serde::Deserialize::deserialize(d)?;
        s.map(|s| super::hex_array(&s)).transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent() -> Record {
        Record::new(Event::Sent, 1_760_000_000_000)
            .with_message_id([1; 16])
            .with_sender("EE/GOV/70000001/tax")
            .with_recipient("EE/GOV/70000002/health")
            .with_purpose("eligibility")
            .with_payload([2; 32], 10)
    }

    #[test]
    fn round_trips_binary_and_json() {
        let full = sent().with_policy("tax-to-health", 3, [4; 32]).with_recipient("EE/GOV/70000003/stats");
        let rejected = Record::new(Event::rejected(ErrorKind::Replay), 5).with_payload([3; 32], 99);
        for r in [sent(), full, rejected] {
            r.validate().unwrap();
            assert_eq!(Record::decode(&r.encode()).unwrap(), r);
            assert_eq!(Record::from_json(&r.to_json()).unwrap(), r);
        }
    }

    #[test]
    fn the_largest_record_fits_the_limit() {
        let id = |c: char| vec![c.to_string().repeat(63); 4].join("/");
        let mut r = Record::new(Event::Sent, u64::MAX)
            .with_message_id([0xff; 16])
            .with_sender(id('s'))
            .with_purpose("p".repeat(MAX_PURPOSE_LEN))
            .with_policy("q".repeat(MAX_POLICY_ID_LEN), u32::MAX, [0; 32]);
        r.recipients = (0..MAX_RECIPIENTS).map(|_| id('r')).collect();
        r.validate().unwrap();
        assert_eq!(id('r').len(), MAX_PARTICIPANT_LEN);
        assert!(r.encode().len() <= MAX_RECORD_LEN, "{}", r.encode().len());
    }

    #[test]
    fn rules_are_enforced() {
        let mut r = sent();
        r.message_id = None;
        assert_eq!(r.validate().unwrap_err().position().column.as_deref(), Some("message_id"));
        let r = sent().with_recipient("EE/GOV/only-three");
        assert_eq!(r.validate().unwrap_err().position().column.as_deref(), Some("recipients[1]"));
        assert!(Record::new(Event::Rejected(0), 0).validate().is_err());
        assert!(sent().with_sender("EE/GOV/7\n/x").validate().is_err());
        // The envelope's participant rules: ASCII parts of at most 63 bytes.
        assert!(sent().with_sender("CN/GOV/91110000/统计").validate().is_err());
        assert!(sent().with_sender(format!("CN/GOV/1/{}", "a".repeat(64))).validate().is_err());
        let id: ParticipantId = "CN-GOV/GOV/91110000/stats".parse().unwrap();
        assert!(sent().with_sender(id.as_str()).validate().is_ok());
        let mut r = sent();
        r.purpose.clear();
        assert!(r.validate().is_err());
    }

    #[test]
    fn decoding_is_strict() {
        let bytes = sent().encode();
        let mut trailing = bytes.clone();
        trailing.push(0);
        assert_eq!(Record::decode(&trailing).unwrap_err().kind(), ErrorKind::MalformedAuditLog);
        for cut in 0..bytes.len() {
            assert_eq!(Record::decode(&bytes[..cut]).unwrap_err().kind(), ErrorKind::MalformedAuditLog);
        }
        let mut flags = bytes.clone();
        flags[14] |= 0x80;
        assert!(Record::decode(&flags).is_err());
        let mut reason = bytes.clone();
        reason[5] = 1; // a reason on a "sent" record
        assert!(Record::decode(&reason).is_err());
    }

    #[test]
    fn json_is_strict() {
        assert!(Record::from_json(r#"{"time_ms":1,"event":"sent","payload_hash":"00","payload_len":1}"#).is_err());
        let j = sent().to_json().replace("\"purpose\"", "\"extra\":1,\"purpose\"");
        assert!(Record::from_json(&j).is_err());
        let j = sent().to_json().replace("\"sent\"", "\"rejected\"");
        assert!(Record::from_json(&j).is_err(), "a rejection without a reason");
        let list = format!("[{},{}]", sent().to_json(), sent().to_json().replace("EE/GOV/70000002/health", "x"));
        assert_eq!(Record::list_from_json(&list).unwrap_err().position().row, Some(1));
        let list =
            format!("[{},{}]", sent().to_json(), r#"{"time_ms":1,"event":"sent","payload_hash":"00","payload_len":1}"#);
        assert_eq!(Record::list_from_json(&list).unwrap_err().position().row, Some(1));
    }
}
