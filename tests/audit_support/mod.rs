//! Test-side reader and writer of the audit log file, written from docs/formats/audit-log.md
//! (not from the library's code), so that tests can take a log apart and put a forged one together
//! the way an attacker with write access to the file would.
#![allow(dead_code)]

use privshare::audit::hash::leaf_hash;
use privshare::audit::{Event, Hasher, MerkleTree, Record};
use privshare::Suite;

pub const HEADER_LEN: usize = 58;

/// One frame of a log file.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// A batch of records (encodings).
    Batch(Vec<Vec<u8>>),
    /// A signed tree head (its bytes).
    Head(Vec<u8>),
}

/// A log file taken apart: its header and frames.
#[derive(Clone, Debug)]
pub struct Parsed {
    pub suite: Suite,
    pub log_id: [u8; 16],
    pub items: Vec<Item>,
    /// The byte offset where each frame starts.
    pub offsets: Vec<usize>,
}

pub fn parse(bytes: &[u8]) -> Parsed {
    assert_eq!(&bytes[..8], b"PSAUDLOG");
    let suite = Suite::from_id(bytes[9]).unwrap();
    let log_id = bytes[10..26].try_into().unwrap();
    let mut pos = HEADER_LEN;
    let (mut items, mut offsets) = (Vec::new(), Vec::new());
    while pos < bytes.len() {
        offsets.push(pos);
        let kind = bytes[pos];
        let len = u32::from_be_bytes(bytes[pos + 1..pos + 5].try_into().unwrap()) as usize;
        let body = &bytes[pos + 5..pos + 5 + len];
        items.push(match kind {
            b'B' => {
                let count = u32::from_be_bytes(body[..4].try_into().unwrap()) as usize;
                let mut p = 4;
                let mut records = Vec::new();
                for _ in 0..count {
                    let n = u32::from_be_bytes(body[p..p + 4].try_into().unwrap()) as usize;
                    records.push(body[p + 4..p + 4 + n].to_vec());
                    p += 4 + n;
                }
                Item::Batch(records)
            }
            b'T' => Item::Head(body.to_vec()),
            other => panic!("frame type {other}"),
        });
        pos += 5 + len + 32;
    }
    Parsed { suite, log_id, items, offsets }
}

fn frame(suite: Suite, kind: u8, body: &[u8]) -> Vec<u8> {
    let mut f = vec![kind];
    f.extend_from_slice(&(body.len() as u32).to_be_bytes());
    f.extend_from_slice(body);
    let check = Hasher::digest(suite, &f);
    f.extend_from_slice(&check);
    f
}

/// Writes a well-formed log file from parts: every check and batch root recomputed from the
/// records given (what an attacker can do); heads copied as given (what an attacker cannot make).
pub fn assemble(p: &Parsed) -> Vec<u8> {
    let mut out = b"PSAUDLOG".to_vec();
    out.push(1);
    out.push(p.suite.id());
    out.extend_from_slice(&p.log_id);
    let check = Hasher::digest(p.suite, &out);
    out.extend_from_slice(&check);
    let mut tree = MerkleTree::new(p.suite);
    for item in &p.items {
        match item {
            Item::Batch(records) => {
                let mut body = (records.len() as u32).to_be_bytes().to_vec();
                for r in records {
                    body.extend_from_slice(&(r.len() as u32).to_be_bytes());
                    body.extend_from_slice(r);
                    tree.push(leaf_hash(p.suite, r));
                }
                body.extend_from_slice(&tree.len().to_be_bytes());
                body.extend_from_slice(&tree.root());
                out.extend(frame(p.suite, b'B', &body));
            }
            Item::Head(h) => out.extend(frame(p.suite, b'T', h)),
        }
    }
    out
}

/// A valid record whose fields depend on `i`.
pub fn record(i: u64) -> Record {
    let event = match i % 4 {
        0 => Event::Sent,
        1 => Event::Received,
        2 => Event::Opened,
        _ => Event::Rejected(500 + (i % 4) as u32),
    };
    let mut r = Record::new(event, 1_760_000_000_000 + i)
        .with_payload(Hasher::digest(Suite::Aes, &i.to_be_bytes()), i * 1000)
        .with_purpose(format!("purpose {}", i % 7));
    if i % 4 != 3 {
        r = r
            .with_message_id(((i as u128) << 64 | 0xabcdef).to_be_bytes())
            .with_sender(format!("EE/GOV/7000{:04}/tax", i % 100))
            .with_recipient("EE/GOV/70000002/health");
    }
    if i.is_multiple_of(3) {
        r = r.with_policy("tax-to-health", (i % 5) as u32, [i as u8; 32]);
    }
    r
}

/// A scratch directory removed on drop.
pub struct TempDir(pub std::path::PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        use std::sync::atomic::{AtomicU64, Ordering};
        static N: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir().join(format!(
            "privshare-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn join(&self, name: &str) -> std::path::PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
