//! The audit log of `share` and `open` (`--audit-log`), `privshare audit verify` and
//! `privshare audit show`.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use privshare::audit::{AuditLog, Event, LogVerifier, Record, TreeHeadVerifier, VerifyReport};
use privshare::envelope::{Header, SigningKey};
use privshare::Suite;

use crate::files::{self, in_file};
use crate::Failure;

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Verify an audit log: every record, batch and signed tree head.
    Verify {
        /// The log file.
        log: PathBuf,
        /// A public key whose signed tree heads the log may hold (repeat for several).
        #[arg(long = "key", value_name = "PUB", required = true)]
        keys: Vec<PathBuf>,
    },
    /// List an audit log's records, after verifying it (with --key) or checking its hash chain.
    Show {
        /// The log file.
        log: PathBuf,
        /// A public key whose signed tree heads the log may hold (repeat for several). Without
        /// one, only the log's structure and hash chain are checked, not who signed it.
        #[arg(long = "key", value_name = "PUB")]
        keys: Vec<PathBuf>,
        /// Show only the last N records.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
        last: Option<u64>,
    },
}

/// The log at `path`, made for `suite` if it does not exist yet.
fn open_log(path: &Path, suite: Suite) -> Result<AuditLog, Failure> {
    let log = if path.exists() { AuditLog::open(path) } else { AuditLog::create(path, suite) };
    log.map_err(|e| in_file(path, e))
}

fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// An exchange's record from its authenticated header.
fn exchange(event: Event, h: &Header, body_hash: [u8; 32], len: u64) -> Record {
    let mut r = Record::new(event, now_ms())
        .with_message_id(h.message_id)
        .with_sender(h.sender.to_string())
        .with_purpose(h.purpose.clone())
        .with_payload(body_hash, len);
    for recipient in &h.recipients {
        r = r.with_recipient(recipient.participant.to_string());
    }
    if let Ok(hash) = h.policy_hash.as_slice().try_into() {
        r = r.with_policy(h.policy_id.clone(), h.policy_version, hash);
    }
    r
}

/// Appends `record` to the log at `path` and, given a signer, signs the new tree head.
pub fn append(path: &Path, suite: Suite, record: Record, signer: Option<&SigningKey>) -> Result<(), Failure> {
    let log = open_log(path, suite)?;
    log.append(&[record]).map_err(|e| in_file(path, e))?;
    if let Some(signer) = signer {
        log.sign_tree_head(signer).map_err(|e| in_file(path, e))?;
    }
    Ok(())
}

/// The record of a package sent.
pub fn sent(h: &Header, body_hash: [u8; 32], envelope_len: u64) -> Record {
    exchange(Event::Sent, h, body_hash, envelope_len)
}

/// The record of a package opened.
pub fn opened(h: &Header, body_hash: [u8; 32], envelope_len: u64) -> Record {
    exchange(Event::Opened, h, body_hash, envelope_len)
}

/// The record of a package refused: the reason's code and the digest of the file as received.
pub fn rejected(package: &Path, suite: Suite, kind: privshare::ErrorKind) -> Record {
    let bytes = std::fs::read(package).unwrap_or_default();
    Record::new(Event::rejected(kind), now_ms())
        .with_payload(privshare::audit::Hasher::digest(suite, &bytes), bytes.len() as u64)
}

pub fn run(command: AuditCommand, json: bool) -> Result<(), Failure> {
    match command {
        AuditCommand::Verify { log, keys } => verify(&log, &keys, json),
        AuditCommand::Show { log, keys, last } => show(&log, &keys, last, json),
    }
}

/// A verifier for `keys` (all the same log's), or one of the structure alone when there is none.
fn verifier(keys: &[privshare::envelope::VerifyingKey]) -> LogVerifier<'_> {
    let Some((first, rest)) = keys.split_first() else {
        return LogVerifier::structure_only();
    };
    let mut verifier = LogVerifier::new(first as &dyn TreeHeadVerifier);
    for k in rest {
        verifier = verifier.key(k);
    }
    verifier
}

fn verify(log: &Path, keys: &[PathBuf], json: bool) -> Result<(), Failure> {
    let keys: Vec<_> = keys.iter().map(|k| files::verifying_key(k)).collect::<Result<_, _>>()?;
    let report = verifier(&keys).verify_file(log).map_err(|e| in_file(log, e))?;
    if json {
        println!(
            "{}",
            serde_json::json!({
                "log": log, "records": report.records, "batches": report.batches, "tree_heads": report.tree_heads,
                "signed_records": report.signed_records, "unsigned_records": report.unsigned_records,
                "root": hex(&report.root),
            })
        );
    } else {
        println!(
            "{}: intact: {} records in {} batches, {} signed tree heads; {} records signed, {} not yet",
            log.display(),
            report.records,
            report.batches,
            report.tree_heads,
            report.signed_records,
            report.unsigned_records
        );
    }
    Ok(())
}

/// Verifies the log and keeps its records (the last `last`) in the same pass, so that what is
/// shown is exactly what was verified; shows nothing of a log that fails.
fn show(log: &Path, keys: &[PathBuf], last: Option<u64>, json: bool) -> Result<(), Failure> {
    let keys: Vec<_> = keys.iter().map(|k| files::verifying_key(k)).collect::<Result<_, _>>()?;
    let keep = last.and_then(|n| usize::try_from(n).ok()).unwrap_or(usize::MAX);
    let mut records = VecDeque::new();
    let verified = verifier(&keys).verify_file_with(log, |seq, record| {
        if records.len() == keep {
            records.pop_front();
        }
        records.push_back((seq, record));
    });
    let report = verified.map_err(|e| refused(log, e, !keys.is_empty()))?;
    let signed = !keys.is_empty();
    if json {
        for (seq, r) in &records {
            println!("{}", record_json(*seq, r, signed && *seq < report.signed_records));
        }
    } else {
        print_summary(log, &report, signed);
        for (seq, r) in &records {
            print_record(*seq, r, signed && *seq < report.signed_records);
        }
    }
    if !signed && json {
        eprintln!("privshare: warning: {}: {}", log.display(), UNCHECKED);
    }
    Ok(())
}

const UNCHECKED: &str = "signatures NOT checked (no --key given): the hash chain is intact, but whoever can write \
                         the file could have rewritten it whole";

/// A log that does not verify is refused with exit code 3, a head signed by a key not given
/// included: nothing of it is shown.
fn refused(log: &Path, e: privshare::Error, signed: bool) -> Failure {
    let unknown_key = e.kind() == privshare::ErrorKind::UnknownKey;
    let mut f = in_file(log, e);
    if signed && unknown_key {
        f.code = 3;
    }
    f
}

fn print_summary(log: &Path, report: &VerifyReport, signed: bool) {
    if signed {
        let mark = if report.unsigned_records > 0 { " (marked UNSIGNED: nothing vouches for them yet)" } else { "" };
        println!(
            "{}: verified: {} records, {} signed tree heads; {} records signed, {} not yet{mark}",
            log.display(),
            report.records,
            report.tree_heads,
            report.signed_records,
            report.unsigned_records
        );
    } else {
        println!("{}: {} records; {}", log.display(), report.records, UNCHECKED);
    }
}

fn print_record(seq: u64, r: &Record, signed: bool) {
    let mark = if signed { "" } else { "  UNSIGNED" };
    println!("#{seq}  {}  {}{mark}", iso_time(r.time_ms), event_text(r.event));
    if let Some(id) = &r.message_id {
        println!("    message:    {}", hex(id));
    }
    if let Some(s) = &r.sender {
        println!("    sender:     {}", printable(s));
    }
    if !r.recipients.is_empty() {
        let to: Vec<String> = r.recipients.iter().map(|p| printable(p)).collect();
        println!("    recipients: {}", to.join(", "));
    }
    if !r.purpose.is_empty() {
        println!("    purpose:    {}", printable(&r.purpose));
    }
    if let Some(p) = &r.policy {
        println!("    policy:     {} version {} (digest {})", printable(&p.id), p.version, hex(&p.hash));
    }
    println!("    payload:    {} bytes, digest {}", r.payload_len, hex(&r.payload_hash));
}

/// `sent`, or `rejected (replay, code 500)` with the reason's name when this build knows it.
fn event_text(event: Event) -> String {
    match event {
        Event::Rejected(code) => match privshare::ErrorKind::from_code(code) {
            Some(kind) => format!("rejected ({}, code {code})", kind.name()),
            None => format!("rejected (code {code})"),
        },
        e => e.name().to_string(),
    }
}

/// One record as a JSON object: the record's own JSON form (hashes in hex), with its sequence
/// number, its time in ISO 8601, the reason's name, and whether a verified signature covers it.
fn record_json(seq: u64, r: &Record, signed: bool) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap_or_default();
    if let serde_json::Value::Object(m) = &mut v {
        m.insert("seq".into(), seq.into());
        m.insert("time".into(), iso_time(r.time_ms).into());
        if let Event::Rejected(code) = r.event {
            if let Some(kind) = privshare::ErrorKind::from_code(code) {
                m.insert("reason_name".into(), kind.name().into());
            }
        }
        m.insert("signed".into(), signed.into());
    }
    v
}

/// Milliseconds since the epoch as UTC ISO 8601, `2026-12-08T00:04:39.123Z`.
fn iso_time(ms: u64) -> String {
    let secs = ms / 1000;
    let days = i64::try_from(secs / 86_400).unwrap_or(i64::MAX);
    let (y, mo, d) = privshare::ids::calendar::civil_from_days(days);
    let rem = secs % 86_400;
    format!("{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z", rem / 3600, rem / 60 % 60, rem % 60, ms % 1000)
}

/// Text from the log with control characters escaped, so that a record cannot rewrite the
/// terminal (the purpose and policy id are free text).
fn printable(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
