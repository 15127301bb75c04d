//! The audit log file: persistence, torn tails and their recovery, a writer process killed
//! mid-write, concurrent appenders, and a second writer.

mod audit_support;

use audit_support::{parse, record, TempDir};
use privshare::audit::{AuditLog, LogVerifier, Record};
use privshare::envelope::{SignatureAlgorithm, SigningKey};
use privshare::{ErrorKind, Suite};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;

fn batch(first: u64, n: u64) -> Vec<Record> {
    (first..first + n).map(record).collect()
}

#[test]
fn a_log_survives_reopening() {
    for suite in Suite::ALL {
        let dir = TempDir::new("reopen");
        let path = dir.join("log");
        let key = SigningKey::generate(SignatureAlgorithm::Ed25519).unwrap();
        let (root, head, log_id) = {
            let log = AuditLog::create(&path, suite).unwrap();
            assert_eq!(log.size().unwrap(), 0);
            let a = log.append(&batch(0, 5)).unwrap();
            assert_eq!((a.first_index, a.tree_size), (0, 5));
            let head = log.sign_tree_head(&key).unwrap();
            let a = log.append(&batch(5, 3)).unwrap();
            assert_eq!((a.first_index, a.tree_size, a.root), (5, 8, log.root_at(8).unwrap()));
            (log.tree_head().unwrap().root, head, log.log_id())
        };
        let log = AuditLog::open(&path).unwrap();
        assert_eq!((log.size().unwrap(), log.tree_head().unwrap().root, log.log_id()), (8, root, log_id));
        assert_eq!(log.latest_tree_head().unwrap(), Some(head.clone()));
        for i in 0..8 {
            let leaf = privshare::audit::hash::leaf_hash(suite, &record(i).encode());
            assert_eq!(log.leaf_hash(i).unwrap(), leaf);
            log.inclusion_proof(i, 8).unwrap().verify(&leaf, &root).unwrap();
        }
        log.consistency_proof(5, 8).unwrap().verify(&head.head().root, &root).unwrap();
        log.append(&batch(8, 1)).unwrap();
        let verifier = key.verifying_key().clone();
        let report = LogVerifier::new(&verifier).trust(head).verify_file(&path).unwrap();
        assert_eq!((report.records, report.signed_records, report.unsigned_records), (9, 5, 4));
    }
}

#[test]
fn the_verifier_passes_on_the_records_it_checked() {
    let dir = TempDir::new("visit");
    let path = dir.join("log");
    let key = SigningKey::generate(SignatureAlgorithm::Ed25519).unwrap();
    let log = AuditLog::create(&path, Suite::Sm).unwrap();
    log.append(&batch(0, 3)).unwrap();
    log.sign_tree_head(&key).unwrap();
    log.append(&batch(3, 2)).unwrap();
    let mut seen = Vec::new();
    let report = LogVerifier::new(key.verifying_key()).verify_file_with(&path, |i, r| seen.push((i, r))).unwrap();
    assert_eq!(seen, (0..5).map(|i| (i, record(i))).collect::<Vec<_>>());
    assert_eq!((report.records, report.signed_records, report.unsigned_records), (5, 3, 2));
    // Without a key: the structure and chain are checked, no signature, so nothing counts as signed.
    let report = LogVerifier::structure_only().verify_file(&path).unwrap();
    assert_eq!((report.records, report.tree_heads, report.signed_records, report.unsigned_records), (5, 1, 0, 5));
    let other = SigningKey::generate(SignatureAlgorithm::Ed25519).unwrap();
    assert_eq!(LogVerifier::new(other.verifying_key()).verify_file(&path).unwrap_err().kind(), ErrorKind::UnknownKey);
    // A record changed: both refuse.
    let mut bytes = std::fs::read(&path).unwrap();
    let n = bytes.len();
    bytes[n / 3] ^= 1;
    std::fs::write(&path, bytes).unwrap();
    assert!(LogVerifier::structure_only().verify_file(&path).is_err());
    assert!(LogVerifier::new(key.verifying_key()).verify_file(&path).is_err());
}

#[test]
fn create_refuses_an_existing_file_and_leaves_no_temporary() {
    let dir = TempDir::new("create");
    let path = dir.join("log");
    std::fs::write(&path, b"precious").unwrap();
    assert_eq!(AuditLog::create(&path, Suite::Aes).unwrap_err().kind(), ErrorKind::Io);
    assert_eq!(std::fs::read(&path).unwrap(), b"precious");
    assert_eq!(std::fs::read_dir(&dir.0).unwrap().count(), 1);
    assert_eq!(AuditLog::open(&path).unwrap_err().kind(), ErrorKind::MalformedAuditLog);
}

#[test]
fn bad_batches_are_refused_whole() {
    let dir = TempDir::new("bad");
    let log = AuditLog::create(dir.join("log"), Suite::Aes).unwrap();
    let mut b = batch(0, 3);
    b[2].recipients.push("not-a-participant".into());
    let e = log.append(&b).unwrap_err();
    assert_eq!((e.kind(), e.position().row), (ErrorKind::InvalidArgument, Some(2)));
    assert_eq!(log.append(&[]).unwrap_err().kind(), ErrorKind::InvalidArgument);
    assert_eq!(log.size().unwrap(), 0);
    assert_eq!(std::fs::metadata(log.path()).unwrap().len(), 58, "nothing was written");
}

/// A log of three batches and a head, cut throughout its last three frames: each cut is a
/// torn tail that `open` refuses and `recover` repairs to the last complete frame, keeping the
/// torn bytes aside.
#[test]
fn every_torn_tail_is_refused_then_recovered() {
    let dir = TempDir::new("torn");
    let path = dir.join("log");
    let key = SigningKey::generate(SignatureAlgorithm::Ed25519).unwrap();
    {
        let log = AuditLog::create(&path, Suite::Sm).unwrap();
        log.append(&batch(0, 4)).unwrap();
        log.append(&batch(4, 4)).unwrap();
        log.sign_tree_head(&key).unwrap();
        log.append(&batch(8, 2)).unwrap();
    }
    let full = std::fs::read(&path).unwrap();
    let offsets = parse(&full).offsets;
    let cut_path = dir.join("cut");
    let verifier = key.verifying_key().clone();
    // Every byte of each frame's first 48 (type, length, start of the body), then every 13th
    // (each cut costs a few syncs).
    let cuts = (offsets[1] + 1..full.len()).filter(|c| {
        let start = *offsets.iter().filter(|&&o| o <= *c).max().unwrap();
        c - start < 48 || c % 13 == 0
    });
    for cut in cuts {
        let _ = std::fs::remove_file(&cut_path);
        std::fs::write(&cut_path, &full[..cut]).unwrap();
        if offsets.contains(&cut) {
            assert!(AuditLog::open(&cut_path).is_ok(), "a cut between frames is a shorter, intact log");
            continue;
        }
        let e = AuditLog::open(&cut_path).unwrap_err();
        let frame_start = *offsets.iter().filter(|&&o| o < cut).max().unwrap();
        assert_eq!(
            (e.kind(), e.position().offset),
            (ErrorKind::AuditLogTornTail, Some(frame_start as u64)),
            "cut {cut}"
        );
        let r = AuditLog::recover(&cut_path).unwrap();
        assert_eq!((r.kept_len, r.moved_len), (frame_start as u64, (cut - frame_start) as u64));
        let side = r.moved_to.unwrap();
        assert_eq!(std::fs::read(&side).unwrap(), &full[frame_start..cut]);
        std::fs::remove_file(side).unwrap();
        assert_eq!(std::fs::read(&cut_path).unwrap(), &full[..frame_start]);
        let log = AuditLog::open(&cut_path).unwrap();
        let want = if frame_start >= offsets[2] { 8 } else { 4 };
        assert_eq!(log.size().unwrap(), want, "cut {cut}");
        // The repaired log takes appends and verifies.
        log.append(&batch(100, 1)).unwrap();
        LogVerifier::new(&verifier).verify_file(&cut_path).unwrap();
    }
    // A last frame of the right length but wrong content (a write whose data never reached the
    // disk) is torn too.
    let mut zeroed = full.clone();
    let n = zeroed.len();
    zeroed[offsets[3] + 5..n].fill(0);
    std::fs::write(&cut_path, &zeroed).unwrap();
    assert_eq!(AuditLog::open(&cut_path).unwrap_err().kind(), ErrorKind::AuditLogTornTail);
    assert_eq!(AuditLog::recover(&cut_path).unwrap().kept_len, offsets[3] as u64);
    // An intact log is left alone.
    let r = AuditLog::recover(&path).unwrap();
    assert_eq!((r.kept_len, r.moved_len, r.moved_to), (full.len() as u64, 0, None));
}

#[test]
fn damage_before_the_tail_is_refused_not_repaired() {
    let dir = TempDir::new("damage");
    let path = dir.join("log");
    {
        let log = AuditLog::create(&path, Suite::Aes).unwrap();
        for b in 0..3 {
            log.append(&batch(b * 3, 3)).unwrap();
        }
    }
    let mut bytes = std::fs::read(&path).unwrap();
    let offsets = parse(&bytes).offsets;
    bytes[offsets[1] + 20] ^= 1;
    std::fs::write(&path, &bytes).unwrap();
    assert_eq!(AuditLog::open(&path).unwrap_err().kind(), ErrorKind::AuditLogMismatch);
    assert_eq!(AuditLog::recover(&path).unwrap_err().kind(), ErrorKind::AuditLogMismatch);
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "recover changed nothing");
}

#[test]
fn concurrent_appenders_share_syncs_and_lose_nothing() {
    let dir = TempDir::new("threads");
    let path = dir.join("log");
    let log = Arc::new(AuditLog::create(&path, Suite::Aes).unwrap());
    let key = SigningKey::generate(SignatureAlgorithm::Ed25519).unwrap();
    let key = Arc::new(key);
    let threads: Vec<_> = (0..4u64)
        .map(|t| {
            let (log, key) = (log.clone(), key.clone());
            std::thread::spawn(move || {
                let mut got = Vec::new();
                for b in 0..25u64 {
                    let first = (t * 25 + b) * 10;
                    let a = log.append(&batch(first, 10)).unwrap();
                    got.push((a.first_index, first));
                    if b % 10 == 0 {
                        log.sign_tree_head(key.as_ref()).unwrap();
                    }
                }
                got
            })
        })
        .collect();
    let mut placed: Vec<(u64, u64)> = threads.into_iter().flat_map(|t| t.join().unwrap()).collect();
    placed.sort();
    // Batches land whole and in disjoint, contiguous ranges.
    assert_eq!(placed.len(), 100);
    for (i, (index, _)) in placed.iter().enumerate() {
        assert_eq!(*index, i as u64 * 10);
    }
    assert_eq!(log.size().unwrap(), 1000);
    for &(index, first) in &placed {
        for k in 0..10 {
            let leaf = privshare::audit::hash::leaf_hash(Suite::Aes, &record(first + k).encode());
            assert_eq!(log.leaf_hash(index + k).unwrap(), leaf);
        }
    }
    let verifier = key.verifying_key().clone();
    let report = LogVerifier::new(&verifier).verify_file(&path).unwrap();
    assert_eq!((report.records, report.batches, report.tree_heads), (1000, 100, 12));
}

#[test]
fn a_second_writer_is_detected() {
    let dir = TempDir::new("two-writers");
    let path = dir.join("log");
    let first = AuditLog::create(&path, Suite::Aes).unwrap();
    let second = AuditLog::open(&path).unwrap();
    first.append(&batch(0, 2)).unwrap();
    assert_eq!(second.append(&batch(2, 2)).unwrap_err().kind(), ErrorKind::AuditLogMismatch);
    // The refused writer stays refused (until reopened); the file holds only the first writer's batch.
    assert_eq!(second.append(&batch(2, 2)).unwrap_err().kind(), ErrorKind::Io);
    assert_eq!(AuditLog::open(&path).unwrap().size().unwrap(), 2);
}

const CHILD_ENV: &str = "PRIVSHARE_AUDIT_CHILD_LOG";

/// Run as a child process by `a_writer_killed_mid_write_loses_no_acknowledged_batch`: appends
/// batches from two threads forever, printing each acknowledged batch. Does nothing otherwise.
#[test]
fn child_writer() {
    let Ok(path) = std::env::var(CHILD_ENV) else { return };
    let log = Arc::new(AuditLog::open(&path).unwrap());
    let key = SigningKey::generate(SignatureAlgorithm::Ed25519).unwrap();
    let threads: Vec<_> = (0..2u64)
        .map(|t| {
            let log = log.clone();
            std::thread::spawn(move || {
                for b in 0u64.. {
                    let first = 1_000_000 * (t + 1) + b * 50;
                    let a = log.append(&batch(first, 50)).unwrap();
                    println!("acked {} {} {}", a.first_index, first, a.tree_size);
                }
            })
        })
        .collect();
    for _ in 0.. {
        std::thread::sleep(std::time::Duration::from_millis(3));
        log.sign_tree_head(&key).unwrap();
    }
    drop(threads);
}

#[test]
fn a_writer_killed_mid_write_loses_no_acknowledged_batch() {
    let dir = TempDir::new("kill");
    let path = dir.join("log");
    drop(AuditLog::create(&path, Suite::Aes).unwrap());
    let exe = std::env::current_exe().unwrap();
    let mut acked: Vec<(u64, u64)> = Vec::new();
    for round in 0..6u64 {
        let mut child = Command::new(&exe)
            .args(["--exact", "child_writer", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // Kill it after a varying number of acknowledged batches.
        let target = 5 + round * 7;
        let mut seen = 0;
        while seen < target {
            let Some(Ok(line)) = lines.next() else { break };
            if let Some(rest) = line.strip_prefix("acked ") {
                let v: Vec<u64> = rest.split(' ').map(|x| x.parse().unwrap()).collect();
                acked.push((v[0], v[1]));
                seen += 1;
            }
        }
        child.kill().unwrap();
        child.wait().unwrap();
        // Lines printed before the kill but not yet read are acknowledged too.
        for line in lines.map_while(Result::ok) {
            if let Some(rest) = line.strip_prefix("acked ") {
                let v: Vec<u64> = rest.split(' ').map(|x| x.parse().unwrap()).collect();
                acked.push((v[0], v[1]));
            }
        }
        assert!(seen > 0, "round {round}: the child acknowledged nothing");
        AuditLog::recover(&path).unwrap();
        let log = AuditLog::open(&path).unwrap();
        // Every acknowledged batch is there, whole and unchanged.
        for &(index, first) in &acked {
            for k in 0..50 {
                let leaf = privshare::audit::hash::leaf_hash(Suite::Aes, &record(first + k).encode());
                assert_eq!(log.leaf_hash(index + k).unwrap(), leaf, "round {round}, batch at {index}");
            }
        }
        assert_eq!(log.size().unwrap() % 50, 0, "only whole batches");
    }
}
