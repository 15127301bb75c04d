//! The writer: an append-only log file whose batches are on disk before `append` returns.
//!
//! Crash safety rests on three rules (section 7 of `docs/formats/audit-log.md`):
//! - a log file appears whole: the header is written to a temporary file, synced and linked
//!   into place (never over an existing file);
//! - every batch is one frame with its own check, written and `fdatasync`ed before the call
//!   returns, so after a crash the file holds every acknowledged batch and then at most one
//!   group write that was in flight, whose frames are either complete or a torn tail;
//! - a torn tail is never silently dropped: [`AuditLog::open`] refuses it and
//!   [`AuditLog::recover`] moves it to a side file before truncating.
//!
//! Concurrent appenders in one process share one fsync (group commit): the first thread to take
//! the write lock writes every batch queued so far as consecutive frames and syncs once; the
//! others find their result when they get the lock.

use super::file::{
    put_frame, Frame, Header, LogReader, BATCH_OVERHEAD, FRAME_BATCH, FRAME_HEAD, FRAME_OVERHEAD, HEADER_LEN,
    MAX_BATCH_RECORDS, MAX_FRAME_BODY,
};
use super::hash::{leaf_hash, Hash};
use super::head::{SignedTreeHead, TreeHead, TreeHeadSigner};
use super::proof::{ConsistencyProof, InclusionProof};
use super::record::Record;
use super::tree::{Frontier, MerkleTree};
use crate::{Error, ErrorKind, Result, Suite};
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, RwLock};

/// The most bytes one group write carries (several queued batches); also the largest torn tail
/// [`AuditLog::recover`] will move aside on its own.
pub const MAX_GROUP_WRITE: usize = 4 * MAX_FRAME_BODY;

/// Where a batch landed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Appended {
    /// The index of the batch's first record.
    pub first_index: u64,
    /// The tree size after the batch.
    pub tree_size: u64,
    /// The root after the batch.
    pub root: Hash,
}

/// What [`AuditLog::recover`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recovery {
    /// The length of the log that was kept.
    pub kept_len: u64,
    /// The number of torn bytes moved aside (0 when the log was intact).
    pub moved_len: u64,
    /// Where they were moved: `<log>.torn-<offset>`.
    pub moved_to: Option<PathBuf>,
}

/// An audit log open for appending. `Send + Sync`: share one per file across the threads of a
/// process (one process per file: a second writer is detected at its next append and refused).
///
/// ```
/// use privshare::audit::{AuditLog, Event, LogVerifier, Record};
/// use privshare::envelope::{SignatureAlgorithm, SigningKey};
/// use privshare::Suite;
/// let dir = std::env::temp_dir().join(format!("audit-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let path = dir.join("exchanges.log");
/// # let _ = std::fs::remove_file(&path);
/// let log = AuditLog::create(&path, Suite::Aes)?;
/// let record = Record::new(Event::Sent, 1_760_000_000_000)
///     .with_message_id([1; 16])
///     .with_sender("EE/GOV/70000001/tax")
///     .with_recipient("EE/GOV/70000002/health")
///     .with_purpose("benefit eligibility check")
///     .with_payload([0; 32], 0);
/// let at = log.append(&[record.clone(), record])?;
/// assert_eq!((at.first_index, at.tree_size), (0, 2));
/// let key = SigningKey::generate(SignatureAlgorithm::Sm2Sm3)?; // or Ed25519, ECDSA P-256
/// let head = log.sign_tree_head(&key)?;
/// let report = LogVerifier::new(key.verifying_key()).trust(head).verify_file(&path)?;
/// assert_eq!((report.records, report.unsigned_records), (2, 0));
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct AuditLog {
    path: PathBuf,
    header: Header,
    queue: Mutex<Queue>,
    writer: Mutex<Writer>,
    tree: RwLock<Committed>,
}

/// Batches waiting for a writer.
#[derive(Default)]
struct Queue {
    next_ticket: u64,
    items: Vec<Pending>,
}

struct Pending {
    ticket: u64,
    /// The batch body without its trailer: count and length-prefixed records.
    body: Vec<u8>,
    leaves: Vec<Hash>,
}

struct Writer {
    file: File,
    len: u64,
    frontier: Frontier,
    /// Results of batches written by another thread, collected by their owners.
    done: HashMap<u64, Result<Appended>>,
    /// Set when a write or sync failed: the file's tail is unknown until reopened.
    failed: bool,
}

/// What readers see: only what is on disk.
struct Committed {
    tree: MerkleTree,
    latest_head: Option<SignedTreeHead>,
}

fn lock<T>(m: &Mutex<T>) -> Result<MutexGuard<'_, T>> {
    m.lock().map_err(|_| Error::new(ErrorKind::Internal, "audit log lock poisoned by a panic"))
}

fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// Syncs the directory holding `path`, so that a new name in it survives a crash.
fn sync_parent(path: &Path) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    File::open(dir)?.sync_all()?;
    Ok(())
}

fn random_log_id() -> Result<[u8; 16]> {
    use ring::rand::SecureRandom;
    let mut id = [0u8; 16];
    ring::rand::SystemRandom::new()
        .fill(&mut id)
        .map_err(|_| Error::new(ErrorKind::Internal, "system random generator failed"))?;
    Ok(id)
}

impl AuditLog {
    /// Creates a new, empty log at `path` with a random log id (`Io` if the file exists).
    pub fn create(path: impl AsRef<Path>, suite: Suite) -> Result<AuditLog> {
        let path = path.as_ref();
        let header = Header { suite, log_id: random_log_id()? };
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(format!(".creating-{}", hex::encode(&header.log_id[..8])));
        let temp = path.with_file_name(name);
        let result = (|| {
            let mut f = OpenOptions::new().write(true).create_new(true).open(&temp)?;
            f.write_all(&header.encode())?;
            f.sync_all()?;
            // A hard link, unlike a rename, refuses to replace an existing log.
            std::fs::hard_link(&temp, path)?;
            Ok::<(), Error>(())
        })();
        let _ = std::fs::remove_file(&temp);
        result?;
        sync_parent(path)?;
        AuditLog::open(path)
    }

    /// Opens an existing log for appending: reads it whole, checks every frame and every batch
    /// root, and rebuilds the tree (64 bytes of memory per record). Tree head signatures are not
    /// checked here (see [`super::LogVerifier`]). A torn tail is `AuditLogTornTail`.
    pub fn open(path: impl AsRef<Path>) -> Result<AuditLog> {
        let path = path.as_ref().to_path_buf();
        let mut file = OpenOptions::new().read(true).append(true).open(&path)?;
        let len = file.metadata()?.len();
        let (header, tree, latest_head) = {
            let mut reader = LogReader::new(std::io::BufReader::with_capacity(1 << 20, &mut file), len)?;
            let header = reader.header();
            let mut tree = MerkleTree::new(header.suite);
            let mut latest_head = None;
            while let Some(frame) = reader.next_frame()? {
                match frame {
                    Frame::Batch { offset, records, body, tree_size, root } => {
                        for r in records {
                            tree.push(leaf_hash(header.suite, &body[r]));
                        }
                        if tree.len() != tree_size || tree.root() != root {
                            return Err(Error::new(
                                ErrorKind::AuditLogMismatch,
                                "audit log batch does not match the records before it",
                            )
                            .at_offset(offset));
                        }
                    }
                    Frame::Head { offset, head } => {
                        let h = head.head();
                        if h.log_id != header.log_id || h.tree_size != tree.len() || h.root != tree.root() {
                            return Err(Error::new(
                                ErrorKind::AuditLogMismatch,
                                "audit log tree head does not match the records before it",
                            )
                            .at_offset(offset));
                        }
                        latest_head = Some(head);
                    }
                }
            }
            (header, tree, latest_head)
        };
        let frontier = tree.frontier();
        Ok(AuditLog {
            path,
            header,
            queue: Mutex::default(),
            writer: Mutex::new(Writer { file, len, frontier, done: HashMap::new(), failed: false }),
            tree: RwLock::new(Committed { tree, latest_head }),
        })
    }

    /// Repairs a log left with a torn tail by a crash: copies the tail to `<log>.torn-<offset>`
    /// (synced), then truncates the log to its last complete frame. Does nothing to an intact log.
    /// Refuses (returns the error) when the log is damaged elsewhere than at its tail, or when the
    /// tail is longer than one group write ([`MAX_GROUP_WRITE`]), which no crash leaves.
    /// Call it with no writer open on the file.
    pub fn recover(path: impl AsRef<Path>) -> Result<Recovery> {
        let path = path.as_ref();
        let mut file = OpenOptions::new().read(true).write(true).open(path)?;
        let len = file.metadata()?.len();
        let torn_at = {
            let mut reader = LogReader::new(std::io::BufReader::with_capacity(1 << 20, &mut file), len)?;
            loop {
                match reader.next_frame() {
                    Ok(Some(_)) => {}
                    Ok(None) => return Ok(Recovery { kept_len: len, moved_len: 0, moved_to: None }),
                    Err(e) if e.kind() == ErrorKind::AuditLogTornTail => break reader.offset(),
                    Err(e) => return Err(e),
                }
            }
        };
        let tail_len = len - torn_at;
        if tail_len > (MAX_GROUP_WRITE + FRAME_OVERHEAD) as u64 {
            return Err(Error::new(
                ErrorKind::AuditLogTornTail,
                format!("torn tail of {tail_len} bytes is longer than any interrupted write: inspect the log by hand"),
            )
            .at_offset(torn_at));
        }
        let mut tail = Vec::with_capacity(tail_len as usize);
        file.seek(SeekFrom::Start(torn_at))?;
        (&mut file).take(tail_len).read_to_end(&mut tail)?;
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(format!(".torn-{torn_at}"));
        let side = path.with_file_name(name);
        let mut s = OpenOptions::new().write(true).create_new(true).open(&side)?;
        s.write_all(&tail)?;
        s.sync_all()?;
        sync_parent(&side)?;
        file.set_len(torn_at)?;
        file.sync_all()?;
        Ok(Recovery { kept_len: torn_at, moved_len: tail_len, moved_to: Some(side) })
    }

    /// The log file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The suite whose hash the log uses.
    pub fn suite(&self) -> Suite {
        self.header.suite
    }

    /// The log's random 128-bit id.
    pub fn log_id(&self) -> [u8; 16] {
        self.header.log_id
    }

    fn committed(&self) -> Result<std::sync::RwLockReadGuard<'_, Committed>> {
        self.tree.read().map_err(|_| Error::new(ErrorKind::Internal, "audit log lock poisoned by a panic"))
    }

    /// The number of records on disk.
    pub fn size(&self) -> Result<u64> {
        Ok(self.committed()?.tree.len())
    }

    /// The current (unsigned) tree head.
    pub fn tree_head(&self) -> Result<TreeHead> {
        let c = self.committed()?;
        Ok(TreeHead {
            suite: self.header.suite,
            log_id: self.header.log_id,
            tree_size: c.tree.len(),
            timestamp_ms: now_ms(),
            root: c.tree.root(),
        })
    }

    /// The root of the first `tree_size` records.
    pub fn root_at(&self, tree_size: u64) -> Result<Hash> {
        self.committed()?.tree.root_at(tree_size)
    }

    /// The leaf hash of record `index`.
    pub fn leaf_hash(&self, index: u64) -> Result<Hash> {
        self.committed()?
            .tree
            .leaf(index)
            .ok_or_else(|| Error::new(ErrorKind::InvalidArgument, "no record at that index"))
    }

    /// The most recent signed tree head in the file, if any.
    pub fn latest_tree_head(&self) -> Result<Option<SignedTreeHead>> {
        Ok(self.committed()?.latest_head.clone())
    }

    /// Proof that record `index` is in the tree of `tree_size` records.
    pub fn inclusion_proof(&self, index: u64, tree_size: u64) -> Result<InclusionProof> {
        self.committed()?.tree.inclusion_proof(index, tree_size)
    }

    /// Proof that the tree of `old_size` records is a prefix of the tree of `new_size` records.
    pub fn consistency_proof(&self, old_size: u64, new_size: u64) -> Result<ConsistencyProof> {
        self.committed()?.tree.consistency_proof(old_size, new_size)
    }

    /// Appends `records` as one batch and returns once it is on disk (written and synced): the
    /// whole batch is in the log after a crash, or none of it. Every record is validated first
    /// (`InvalidArgument` naming the row); 1 to 100,000 records whose encodings total at most
    /// 16 MiB.
    pub fn append(&self, records: &[Record]) -> Result<Appended> {
        let suite = self.header.suite;
        if records.is_empty() || records.len() > MAX_BATCH_RECORDS {
            return Err(Error::new(ErrorKind::InvalidArgument, "a batch holds 1 to 100000 records"));
        }
        let mut body = Vec::with_capacity(4 + records.len() * 160);
        body.extend_from_slice(&(records.len() as u32).to_be_bytes());
        let mut leaves = Vec::with_capacity(records.len());
        for (i, r) in records.iter().enumerate() {
            r.validate().map_err(|e| e.at_row(i as u64))?;
            let at = body.len();
            body.extend_from_slice(&[0; 4]);
            r.encode_into(&mut body);
            let len = (body.len() - at - 4) as u32;
            body[at..at + 4].copy_from_slice(&len.to_be_bytes());
            leaves.push(leaf_hash(suite, &body[at + 4..]));
            if body.len() + BATCH_OVERHEAD > MAX_FRAME_BODY {
                return Err(
                    Error::new(ErrorKind::InvalidArgument, "batch larger than 16 MiB: split it").at_row(i as u64)
                );
            }
        }
        let ticket = {
            let mut q = lock(&self.queue)?;
            let ticket = q.next_ticket;
            q.next_ticket += 1;
            q.items.push(Pending { ticket, body, leaves });
            ticket
        };
        let mut w = lock(&self.writer)?;
        loop {
            if let Some(result) = w.done.remove(&ticket) {
                return result;
            }
            let group = {
                let mut q = lock(&self.queue)?;
                let mut size = 0;
                let n = q.items.iter().take_while(|p| {
                    size += p.body.len() + BATCH_OVERHEAD + FRAME_OVERHEAD;
                    size <= MAX_GROUP_WRITE
                });
                let n = n.count().max(1);
                q.items.drain(..n).collect::<Vec<_>>()
            };
            self.commit(&mut w, group)?;
        }
    }

    /// Writes `group` as consecutive batch frames with one sync, then publishes it to readers and
    /// records each owner's result.
    fn commit(&self, w: &mut Writer, group: Vec<Pending>) -> Result<()> {
        let suite = self.header.suite;
        if w.failed {
            for p in group {
                w.done.insert(p.ticket, Err(unusable()));
            }
            return Ok(());
        }
        let mut frontier = w.frontier.clone();
        let mut out = Vec::with_capacity(group.iter().map(|p| p.body.len() + BATCH_OVERHEAD + FRAME_OVERHEAD).sum());
        let mut results = Vec::with_capacity(group.len());
        for p in &group {
            let first_index = frontier.size();
            for &l in &p.leaves {
                frontier.push(l);
            }
            let (tree_size, root) = (frontier.size(), frontier.root());
            let mut body = Vec::with_capacity(p.body.len() + BATCH_OVERHEAD);
            body.extend_from_slice(&p.body);
            body.extend_from_slice(&tree_size.to_be_bytes());
            body.extend_from_slice(&root);
            put_frame(&mut out, suite, FRAME_BATCH, &body);
            results.push((p.ticket, Appended { first_index, tree_size, root }));
        }
        if let Err(e) = write_synced(w, &out) {
            w.failed = true;
            for (ticket, _) in results {
                w.done.insert(ticket, Err(e.clone()));
            }
            return Ok(());
        }
        w.frontier = frontier;
        {
            let mut c = self.tree.write().map_err(|_| Error::new(ErrorKind::Internal, "audit log lock poisoned"))?;
            for p in &group {
                for &l in &p.leaves {
                    c.tree.push(l);
                }
            }
        }
        for (ticket, a) in results {
            w.done.insert(ticket, Ok(a));
        }
        Ok(())
    }

    /// Signs the current tree head with `signer`, appends it to the log (synced) and returns it.
    /// The head covers every batch whose `append` has returned.
    pub fn sign_tree_head(&self, signer: &dyn TreeHeadSigner) -> Result<SignedTreeHead> {
        let mut w = lock(&self.writer)?;
        if w.failed {
            return Err(unusable());
        }
        let head = TreeHead {
            suite: self.header.suite,
            log_id: self.header.log_id,
            tree_size: w.frontier.size(),
            timestamp_ms: now_ms(),
            root: w.frontier.root(),
        };
        let signed = head.sign(signer)?;
        let mut out = Vec::with_capacity(signed.as_bytes().len() + FRAME_OVERHEAD);
        put_frame(&mut out, self.header.suite, FRAME_HEAD, signed.as_bytes());
        if let Err(e) = write_synced(&mut w, &out) {
            w.failed = true;
            return Err(e);
        }
        self.tree.write().map_err(|_| Error::new(ErrorKind::Internal, "audit log lock poisoned"))?.latest_head =
            Some(signed.clone());
        Ok(signed)
    }
}

fn unusable() -> Error {
    Error::new(ErrorKind::Io, "an earlier write to this audit log failed: reopen it (after AuditLog::recover)")
}

/// Appends `bytes` at the end of the file and syncs, after checking that nobody else wrote to it.
fn write_synced(w: &mut Writer, bytes: &[u8]) -> Result<()> {
    let on_disk = w.file.metadata()?.len();
    if on_disk != w.len {
        return Err(Error::new(
            ErrorKind::AuditLogMismatch,
            format!("audit log changed under this writer ({} bytes expected, {on_disk} found): another writer?", w.len),
        ));
    }
    w.file.write_all(bytes)?;
    w.file.sync_data()?;
    w.len += bytes.len() as u64;
    Ok(())
}

impl std::fmt::Debug for AuditLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditLog")
            .field("path", &self.path)
            .field("suite", &self.header.suite)
            .field("log_id", &hex::encode(self.header.log_id))
            .finish_non_exhaustive()
    }
}

const _: () = assert!(HEADER_LEN == 58);
