//! The replay store: (sender, message id) pairs seen, kept until the envelope could no longer be
//! accepted anyway (its expiry plus the clock skew).
//!
//! A persistent store is an append-only file of checksummed records, `fsync`ed before an insert
//! returns, so an envelope is released only once its id is on disk. A record torn by a crash
//! (never acknowledged) is detected by its checksum and cut off at the next load. Compaction
//! rewrites the live records into a temporary file and renames it over the old one. One process
//! may share a store between threads; two processes must not open the same file.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::format::{hex, MESSAGE_ID_LEN};
use super::participant::{ParticipantId, PARTICIPANT_ID_MAX_LEN};
use crate::{Error, ErrorKind, Result};

const FILE_MAGIC: &[u8; 8] = b"PSRPLY\x00\x01";
const CHECKSUM_LEN: usize = 4;

type Key = (ParticipantId, [u8; MESSAGE_ID_LEN]);

struct State {
    seen: HashMap<Key, u64>,
    file: Option<File>,
    /// Records in the file (live or not), to decide when to compact.
    records_in_file: usize,
}

/// Remembers which envelopes were opened; see the module documentation.
pub struct ReplayStore {
    path: Option<PathBuf>,
    state: Mutex<State>,
}

impl std::fmt::Debug for ReplayStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ReplayStore({:?}, {} entries)", self.path, self.len())
    }
}

fn checksum(record: &[u8]) -> [u8; CHECKSUM_LEN] {
    let d = ring::digest::digest(&ring::digest::SHA256, record);
    d.as_ref()[..CHECKSUM_LEN].try_into().expect("4 bytes")
}

/// One record: sender length (1), sender, message id (16), keep-until (8, Unix seconds), and the
/// first 4 bytes of the SHA-256 of what precedes.
fn encode_record(sender: &ParticipantId, id: &[u8; MESSAGE_ID_LEN], until: u64) -> Vec<u8> {
    let mut r = Vec::with_capacity(1 + sender.as_str().len() + MESSAGE_ID_LEN + 8 + CHECKSUM_LEN);
    r.push(sender.as_str().len() as u8);
    r.extend_from_slice(sender.as_str().as_bytes());
    r.extend_from_slice(id);
    r.extend_from_slice(&until.to_be_bytes());
    let c = checksum(&r);
    r.extend_from_slice(&c);
    r
}

/// Decodes the record at the start of `bytes`: the record and its length, or `None` when it is
/// incomplete or does not check (a torn write).
fn decode_record(bytes: &[u8]) -> Option<(Key, u64, usize)> {
    let n = *bytes.first()? as usize;
    if n == 0 || n > PARTICIPANT_ID_MAX_LEN {
        return None;
    }
    let len = 1 + n + MESSAGE_ID_LEN + 8 + CHECKSUM_LEN;
    let rec = bytes.get(..len)?;
    let (body, sum) = rec.split_at(len - CHECKSUM_LEN);
    if checksum(body) != sum {
        return None;
    }
    let sender = ParticipantId::parse(std::str::from_utf8(&body[1..1 + n]).ok()?).ok()?;
    let id: [u8; MESSAGE_ID_LEN] = body[1 + n..1 + n + MESSAGE_ID_LEN].try_into().ok()?;
    let until = u64::from_be_bytes(body[1 + n + MESSAGE_ID_LEN..].try_into().ok()?);
    Some(((sender, id), until, len))
}

impl ReplayStore {
    /// A store in memory only (forgotten when dropped): for tests and short-lived processes.
    pub fn in_memory() -> ReplayStore {
        ReplayStore { path: None, state: Mutex::new(State { seen: HashMap::new(), file: None, records_in_file: 0 }) }
    }

    /// Opens (or creates) the store file at `path`. A torn last record is cut off; entries whose
    /// keep-until time has passed are dropped at the next compaction.
    pub fn open(path: impl AsRef<Path>) -> Result<ReplayStore> {
        let path = path.as_ref().to_path_buf();
        let mut file = OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path)?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;
        let mut seen = HashMap::new();
        let mut records = 0;
        let good_len = if bytes.is_empty() {
            file.write_all(FILE_MAGIC)?;
            file.sync_all()?;
            FILE_MAGIC.len()
        } else {
            if !bytes.starts_with(FILE_MAGIC) {
                return Err(Error::new(ErrorKind::InvalidInput, format!("{} is not a replay store", path.display())));
            }
            let mut pos = FILE_MAGIC.len();
            while let Some((key, until, len)) = decode_record(&bytes[pos..]) {
                let e = seen.entry(key).or_insert(until);
                *e = (*e).max(until);
                records += 1;
                pos += len;
            }
            pos
        };
        let max_record = 1 + PARTICIPANT_ID_MAX_LEN + MESSAGE_ID_LEN + 8 + CHECKSUM_LEN;
        if bytes.len().saturating_sub(good_len) >= max_record {
            // More than one record's worth after a bad record: not a torn write but damage.
            return Err(Error::new(
                ErrorKind::InvalidInput,
                format!("replay store {} is damaged (bad record)", path.display()),
            )
            .at_offset(good_len as u64));
        }
        if good_len < bytes.len() {
            // A write that a crash interrupted: it was never acknowledged, so nothing is lost.
            file.set_len(good_len as u64)?;
            file.sync_all()?;
        }
        file.seek(SeekFrom::End(0))?;
        let state = State { seen, file: Some(file), records_in_file: records };
        Ok(ReplayStore { path: Some(path), state: Mutex::new(state) })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the map inconsistent (single insertions).
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Number of remembered entries (including expired ones not yet compacted away).
    pub fn len(&self) -> usize {
        self.lock().seen.len()
    }

    /// True when nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True when (sender, id) was seen and is kept beyond `now`.
    pub fn contains(&self, sender: &ParticipantId, id: &[u8; MESSAGE_ID_LEN], now: u64) -> bool {
        self.lock().seen.get(&(sender.clone(), *id)).is_some_and(|&until| until > now)
    }

    /// Records (sender, id), kept until `until` (Unix seconds); [`ErrorKind::Replay`] if it is
    /// already there. A persistent store returns only once the record is on disk.
    pub fn insert(&self, sender: &ParticipantId, id: &[u8; MESSAGE_ID_LEN], until: u64, now: u64) -> Result<()> {
        let mut state = self.lock();
        let key = (sender.clone(), *id);
        if state.seen.get(&key).is_some_and(|&u| u > now) {
            return Err(Error::new(
                ErrorKind::Replay,
                format!("envelope {} from {sender} was already opened", hex(id)),
            ));
        }
        if let Some(file) = state.file.as_mut() {
            file.write_all(&encode_record(sender, id, until))?;
            file.sync_data()?;
            state.records_in_file += 1;
        }
        state.seen.insert(key, until);
        let live = state.seen.len();
        if state.records_in_file > 1024 && state.records_in_file > 2 * live {
            drop(state);
            self.compact(now)?;
        }
        Ok(())
    }

    /// Drops the entries kept only until `now` or earlier, and rewrites the file with the rest
    /// (atomically: a temporary file renamed over the old one).
    pub fn compact(&self, now: u64) -> Result<()> {
        let mut state = self.lock();
        state.seen.retain(|_, until| *until > now);
        let Some(path) = &self.path else {
            return Ok(());
        };
        let mut bytes = FILE_MAGIC.to_vec();
        for ((sender, id), until) in &state.seen {
            bytes.extend_from_slice(&encode_record(sender, id, *until));
        }
        let tmp = path.with_extension("compacting");
        {
            let mut f = File::create(&tmp)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
        }
        std::fs::rename(&tmp, path)?;
        let mut file = OpenOptions::new().read(true).write(true).open(path)?;
        file.seek(SeekFrom::End(0))?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // The rename is durable once the directory is synced.
            File::open(dir).and_then(|d| d.sync_all()).ok();
        }
        state.records_in_file = state.seen.len();
        state.file = Some(file);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sender() -> ParticipantId {
        "CN/GOV/1/tax".parse().unwrap()
    }

    fn temp(name: &str) -> PathBuf {
        let p = std::env::temp_dir().join(format!("privshare-replay-{name}-{}", std::process::id()));
        let _ = std::fs::remove_file(&p);
        p
    }

    #[test]
    fn remembers_until_expiry() {
        let s = ReplayStore::in_memory();
        s.insert(&sender(), &[1; 16], 100, 10).unwrap();
        assert_eq!(s.insert(&sender(), &[1; 16], 100, 50).unwrap_err().kind(), ErrorKind::Replay);
        s.insert(&sender(), &[2; 16], 100, 10).unwrap();
        s.insert(&"CN/GOV/2/tax".parse().unwrap(), &[1; 16], 100, 10).unwrap();
        assert!(s.contains(&sender(), &[1; 16], 99));
        assert!(!s.contains(&sender(), &[1; 16], 100));
        s.insert(&sender(), &[1; 16], 200, 100).unwrap(); // past its keep-until: a new entry
        s.compact(150).unwrap();
        assert_eq!(s.len(), 1);
    }

    #[test]
    fn survives_reopening_torn_tails_and_compaction() {
        let path = temp("reopen");
        {
            let s = ReplayStore::open(&path).unwrap();
            for i in 0..10u8 {
                s.insert(&sender(), &[i; 16], 100 + u64::from(i), 0).unwrap();
            }
        }
        // A torn record at the end, as a crash mid-write leaves it.
        let full = encode_record(&sender(), &[99; 16], 500);
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(&full[..full.len() - 3]).unwrap();
        drop(f);
        let s = ReplayStore::open(&path).unwrap();
        assert_eq!(s.len(), 10);
        assert!(!s.contains(&sender(), &[99; 16], 0));
        for i in 0..10u8 {
            assert_eq!(s.insert(&sender(), &[i; 16], 1000, 0).unwrap_err().kind(), ErrorKind::Replay);
        }
        s.insert(&sender(), &[99; 16], 500, 0).unwrap();
        s.compact(105).unwrap(); // drops ids 0..=5
        drop(s);
        let s = ReplayStore::open(&path).unwrap();
        assert_eq!(s.len(), 5);
        assert!(s.contains(&sender(), &[99; 16], 0) && s.contains(&sender(), &[9; 16], 0));
        let len = std::fs::metadata(&path).unwrap().len() as usize;
        assert_eq!(len, FILE_MAGIC.len() + 5 * full.len());
        std::fs::write(&path, b"not a store").unwrap();
        assert_eq!(ReplayStore::open(&path).unwrap_err().kind(), ErrorKind::InvalidInput);
        std::fs::remove_file(&path).unwrap();
    }
}
