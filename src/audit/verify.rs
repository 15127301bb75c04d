//! The verifier: recomputes a log file's tree from its records, in constant memory, and checks it
//! against every batch root and signed tree head in the file and every tree head the caller
//! trusts (obtained earlier, out of band: from a witness, an auditor's notes, the other party).
//!
//! What it proves, and what it cannot (section 8 of `docs/formats/audit-log.md`): a record that
//! was modified, removed, reordered or inserted changes every root from its position on, so it
//! disagrees with the batch roots (unless the attacker rewrote them), with the signed heads in
//! the file (unless the attacker also removed them: the attacker cannot sign new ones), and with
//! any trusted head. Only a head held outside the writer's reach detects an attacker who rewrote
//! the file and dropped its heads, or cut the log short at a frame boundary.

use super::file::{Frame, LogReader};
use super::hash::{empty_root, leaf_hash, Hash};
use super::head::{SignedTreeHead, TreeHeadVerifier};
use super::proof::ConsistencyProof;
use super::record::Record;
use super::tree::Frontier;
use crate::{Error, ErrorKind, Result, Suite};
use std::io::Read;
use std::path::Path;

/// What a verified log holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyReport {
    /// The log's suite.
    pub suite: Suite,
    /// The log's id.
    pub log_id: [u8; 16],
    /// The number of records.
    pub records: u64,
    /// The number of batches.
    pub batches: u64,
    /// The number of signed tree heads in the file (all valid; for
    /// [`LogVerifier::structure_only`], matching their records but with signatures unchecked).
    pub tree_heads: u64,
    /// The root over every record.
    pub root: Hash,
    /// How many records a valid signed head (in the file or trusted) covers (0 for
    /// [`LogVerifier::structure_only`], which checks no signature).
    pub signed_records: u64,
    /// Records after the last signed head: checked for consistency, but nothing signed vouches
    /// for them yet, so whoever can write the file could have changed them.
    pub unsigned_records: u64,
    /// The last signed tree head in the file.
    pub latest_head: Option<SignedTreeHead>,
}

/// Verifies audit logs against the log's public keys and any trusted tree heads.
pub struct LogVerifier<'k> {
    keys: Vec<&'k dyn TreeHeadVerifier>,
    trusted: Vec<SignedTreeHead>,
    /// False for [`LogVerifier::structure_only`].
    signatures: bool,
}

impl<'k> LogVerifier<'k> {
    /// A verifier accepting tree heads signed by `key`.
    pub fn new(key: &'k dyn TreeHeadVerifier) -> LogVerifier<'k> {
        LogVerifier { keys: vec![key], trusted: Vec::new(), signatures: true }
    }

    /// A verifier for when the log's keys are not at hand: it checks the file's structure, every
    /// frame check, record encoding and batch root, and that every tree head matches the records
    /// before it, but no signature. That catches damage and careless edits, not an attacker who
    /// can write the file: without a key nothing vouches for the records (every record is
    /// reported as unsigned). Trusted heads cannot be checked either (`UnknownKey`).
    pub fn structure_only() -> LogVerifier<'static> {
        LogVerifier { keys: Vec::new(), trusted: Vec::new(), signatures: false }
    }

    /// Also accepts heads signed by `key` (a log whose signing key was rotated).
    pub fn key(mut self, key: &'k dyn TreeHeadVerifier) -> LogVerifier<'k> {
        self.keys.push(key);
        self
    }

    /// Trusts `head`, obtained outside the log file: the log must contain its records unchanged.
    pub fn trust(mut self, head: SignedTreeHead) -> LogVerifier<'k> {
        self.trusted.push(head);
        self
    }

    /// Verifies the log file at `path`.
    pub fn verify_file(&self, path: impl AsRef<Path>) -> Result<VerifyReport> {
        self.verify_file_with(path, |_, _| {})
    }

    /// [`LogVerifier::verify_file`], passing every record to `visit` with its index as it is
    /// read, in one pass (so that what is shown is what was verified). The records are not yet
    /// verified when `visit` sees them: use them only if this returns `Ok`.
    pub fn verify_file_with(&self, path: impl AsRef<Path>, visit: impl FnMut(u64, Record)) -> Result<VerifyReport> {
        let f = std::fs::File::open(path)?;
        let len = f.metadata()?.len();
        self.verify_reader_with(std::io::BufReader::with_capacity(1 << 20, f), len, visit)
    }

    /// Verifies a log read from `input`, whose length is `len` bytes.
    pub fn verify_reader(&self, input: impl Read, len: u64) -> Result<VerifyReport> {
        self.verify_reader_with(input, len, |_, _| {})
    }

    /// [`LogVerifier::verify_reader`], passing every record to `visit` as
    /// [`LogVerifier::verify_file_with`] does.
    pub fn verify_reader_with(
        &self,
        input: impl Read,
        len: u64,
        mut visit: impl FnMut(u64, Record),
    ) -> Result<VerifyReport> {
        let mut reader = LogReader::new(input, len)?;
        let header = reader.header();
        let mut trusted = Vec::with_capacity(self.trusted.len());
        for t in &self.trusted {
            t.verify(&self.keys)?;
            let h = t.head();
            if h.log_id != header.log_id || h.suite != header.suite {
                return Err(Error::new(ErrorKind::InvalidArgument, "a trusted tree head belongs to another log"));
            }
            trusted.push((h.tree_size, h.root));
        }
        trusted.sort();
        trusted.dedup();
        if trusted.windows(2).any(|w| w[0].0 == w[1].0) {
            return Err(Error::new(
                ErrorKind::AuditLogForked,
                "two trusted tree heads of one size have different roots",
            ));
        }
        let mut scan = Scan {
            keys: &self.keys,
            signatures: self.signatures,
            visit: &mut visit,
            log_id: header.log_id,
            frontier: Frontier::new(header.suite),
            trusted: trusted.into_iter().peekable(),
            disagreement: None,
            report: VerifyReport {
                suite: header.suite,
                log_id: header.log_id,
                records: 0,
                batches: 0,
                tree_heads: 0,
                root: empty_root(header.suite),
                signed_records: 0,
                unsigned_records: 0,
                latest_head: None,
            },
        };
        let outcome = scan.run(&mut reader);
        if let Some(size) = scan.disagreement {
            // A trusted head disagrees with the records; unless a signed head in the file vouches
            // for these records (a fork, reported by `run`), the records were changed.
            return Err(outcome.err().filter(|e| e.kind() == ErrorKind::AuditLogForked).unwrap_or_else(|| {
                Error::new(
                    ErrorKind::AuditLogMismatch,
                    format!(
                        "the records do not match the trusted tree head of size {size}: records were modified, \
                         removed, reordered or inserted before that point"
                    ),
                )
            }));
        }
        outcome?;
        if let Some((size, _)) = scan.trusted.next() {
            return Err(Error::new(
                ErrorKind::AuditLogTruncated,
                format!("the log holds {} records but a trusted tree head covers {size}", scan.frontier.size()),
            ));
        }
        let mut report = scan.report;
        report.records = scan.frontier.size();
        report.root = scan.frontier.root();
        report.unsigned_records = report.records - report.signed_records;
        Ok(report)
    }

    /// Checks that two signed heads of one log can both be true: `old` (the smaller) is a prefix
    /// of `new`, by `proof` (none needed for equal sizes or an empty `old`). `AuditLogForked` if
    /// not; `UnknownKey` / `AuthenticationFailed` if a signature does not verify.
    pub fn check_consistency(
        &self,
        old: &SignedTreeHead,
        new: &SignedTreeHead,
        proof: Option<&ConsistencyProof>,
    ) -> Result<()> {
        old.verify(&self.keys)?;
        new.verify(&self.keys)?;
        let (o, n) = (old.head(), new.head());
        if o.log_id != n.log_id || o.suite != n.suite {
            return Err(Error::new(ErrorKind::InvalidArgument, "the tree heads belong to different logs"));
        }
        if o.tree_size > n.tree_size {
            return Err(Error::new(ErrorKind::InvalidArgument, "the old tree head is larger than the new one"));
        }
        let forked = || Error::new(ErrorKind::AuditLogForked, "the signed tree heads are not consistent: a forked log");
        if o.tree_size == 0 {
            return if o.root == empty_root(o.suite) { Ok(()) } else { Err(forked()) };
        }
        if o.tree_size == n.tree_size {
            return if o.root == n.root { Ok(()) } else { Err(forked()) };
        }
        let proof = proof.ok_or_else(|| Error::new(ErrorKind::InvalidArgument, "a consistency proof is needed"))?;
        if (proof.suite, proof.old_size, proof.new_size) != (o.suite, o.tree_size, n.tree_size) {
            return Err(Error::new(ErrorKind::InvalidArgument, "the proof is for other tree sizes or another suite"));
        }
        proof.verify(&o.root, &n.root).map_err(|_| forked())
    }
}

struct Scan<'a, 'k, I: Iterator<Item = (u64, Hash)>> {
    keys: &'a [&'k dyn TreeHeadVerifier],
    /// Whether tree head signatures are checked.
    signatures: bool,
    visit: &'a mut dyn FnMut(u64, Record),
    log_id: [u8; 16],
    frontier: Frontier,
    trusted: std::iter::Peekable<I>,
    /// The size of the first trusted head the records disagree with.
    disagreement: Option<u64>,
    report: VerifyReport,
}

impl<I: Iterator<Item = (u64, Hash)>> Scan<'_, '_, I> {
    fn run<R: Read>(&mut self, reader: &mut LogReader<R>) -> Result<()> {
        let suite = self.report.suite;
        self.check_trusted();
        while let Some(frame) = reader.next_frame()? {
            match frame {
                Frame::Batch { offset, records, body, tree_size, root } => {
                    let first = self.frontier.size();
                    for r in records {
                        let at = offset + 5 + r.start as u64;
                        let record = Record::decode(&body[r.clone()]).map_err(|e| {
                            let inner = e.position().offset.unwrap_or(0);
                            Error::new(e.kind(), format!("record {}: {}", self.frontier.size(), e.message()))
                                .at_offset(at + inner)
                        })?;
                        (self.visit)(self.frontier.size(), record);
                        self.frontier.push(leaf_hash(suite, &body[r]));
                        self.check_trusted();
                    }
                    if tree_size != self.frontier.size() || root != self.frontier.root() {
                        return Err(Error::new(
                            ErrorKind::AuditLogMismatch,
                            format!(
                                "batch of records {first}..{} does not match its recorded root: records were \
                                 modified, removed, reordered or inserted",
                                self.frontier.size()
                            ),
                        )
                        .at_offset(offset));
                    }
                    self.report.batches += 1;
                }
                Frame::Head { offset, head } => {
                    let h = head.head();
                    if h.log_id != self.log_id || h.suite != suite {
                        return Err(
                            Error::new(ErrorKind::AuditLogMismatch, "tree head of another log").at_offset(offset)
                        );
                    }
                    if h.tree_size != self.frontier.size() || h.root != self.frontier.root() {
                        return Err(Error::new(
                            ErrorKind::AuditLogMismatch,
                            format!(
                                "signed tree head of size {} does not match the {} records before it: records \
                                 were modified, removed, reordered or inserted",
                                h.tree_size,
                                self.frontier.size()
                            ),
                        )
                        .at_offset(offset));
                    }
                    if self.signatures {
                        head.verify(self.keys).map_err(|e| e.at_offset(offset))?;
                    }
                    if let Some(size) = self.disagreement {
                        if h.tree_size >= size {
                            return Err(Error::new(
                                ErrorKind::AuditLogForked,
                                format!(
                                    "a trusted tree head and the log's own signed head disagree about the first \
                                     {size} records: the log was forked"
                                ),
                            )
                            .at_offset(offset));
                        }
                    }
                    self.report.tree_heads += 1;
                    if self.signatures {
                        self.report.signed_records = self.report.signed_records.max(h.tree_size);
                    }
                    self.report.latest_head = Some(head);
                }
            }
        }
        Ok(())
    }

    /// Compares the root with a trusted head of the current size, if there is one.
    fn check_trusted(&mut self) {
        let size = self.frontier.size();
        while let Some(&(s, root)) = self.trusted.peek() {
            if s > size {
                break;
            }
            self.trusted.next();
            if root != self.frontier.root() {
                self.disagreement.get_or_insert(s);
            } else {
                self.report.signed_records = self.report.signed_records.max(s);
            }
        }
    }
}
