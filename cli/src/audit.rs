//! The audit log of `share` and `open` (`--audit-log`), and `privshare audit verify`.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use privshare::audit::{AuditLog, Event, LogVerifier, Record, TreeHeadVerifier};
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
    let AuditCommand::Verify { log, keys } = command;
    let keys: Vec<_> = keys.iter().map(|k| files::verifying_key(k)).collect::<Result<_, _>>()?;
    let mut verifier = LogVerifier::new(&keys[0] as &dyn TreeHeadVerifier);
    for k in &keys[1..] {
        verifier = verifier.key(k);
    }
    let report = verifier.verify_file(&log).map_err(|e| in_file(&log, e))?;
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

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
