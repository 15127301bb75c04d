//! Attacks on an audit log file by someone who can write it but does not hold the log's signing
//! key: every modified, removed, reordered or inserted record, every truncation and every fork is
//! detected, by the batch roots, the signed heads in the file, or a head the verifier trusts.

mod audit_support;

use audit_support::{assemble, parse, record, Item, Parsed, TempDir};
use privshare::audit::{AuditLog, Hasher, LogVerifier, SignedTreeHead};
use privshare::envelope::{SignatureAlgorithm, SigningKey, VerifyingKey};
use privshare::{ErrorKind, Suite};
use std::path::Path;

struct Fixture {
    _dir: TempDir,
    path: std::path::PathBuf,
    key: SigningKey,
    verifier: VerifyingKey,
    /// The heads signed while writing, oldest first (sizes 6, 12, 18).
    heads: Vec<SignedTreeHead>,
    bytes: Vec<u8>,
}

/// Three batches of 6 records, a signed head after each.
fn fixture(suite: Suite) -> Fixture {
    let dir = TempDir::new("attacks");
    let path = dir.join("log");
    let log = AuditLog::create(&path, suite).unwrap();
    // The SM suite's log is signed with SM2 (SM3 records), the other with Ed25519 (SHA-256).
    let alg = if suite == Suite::Sm { SignatureAlgorithm::Sm2Sm3 } else { SignatureAlgorithm::Ed25519 };
    let key = SigningKey::generate(alg).unwrap();
    let mut heads = Vec::new();
    for b in 0..3u64 {
        log.append(&(0..6).map(|i| record(b * 6 + i)).collect::<Vec<_>>()).unwrap();
        heads.push(log.sign_tree_head(&key).unwrap());
    }
    let bytes = std::fs::read(&path).unwrap();
    let verifier = key.verifying_key().clone();
    Fixture { _dir: dir, path, key, verifier, heads, bytes }
}

impl Fixture {
    fn verify(&self, bytes: &[u8], trusted: &[&SignedTreeHead]) -> Result<privshare::audit::VerifyReport, ErrorKind> {
        let mut v = LogVerifier::new(&self.verifier);
        for t in trusted {
            v = v.trust((*t).clone());
        }
        v.verify_reader(bytes, bytes.len() as u64).map_err(|e| e.kind())
    }

    fn parsed(&self) -> Parsed {
        parse(&self.bytes)
    }
}

fn records_mut(p: &mut Parsed, batch: usize) -> &mut Vec<Vec<u8>> {
    let Item::Batch(r) = p.items.iter_mut().filter(|i| matches!(i, Item::Batch(_))).nth(batch).unwrap() else {
        unreachable!()
    };
    r
}

fn without_heads(p: &Parsed) -> Parsed {
    let mut p = p.clone();
    p.items.retain(|i| matches!(i, Item::Batch(_)));
    p
}

/// The edits an attacker makes to the records, with the index of the first record each changes.
type Edit = (&'static str, u64, Box<dyn Fn(&mut Parsed)>);

fn edits() -> Vec<Edit> {
    vec![
        (
            "modified",
            8,
            Box::new(|p: &mut Parsed| {
                let r = &mut records_mut(p, 1)[2];
                let n = r.len();
                r[n - 1] ^= 1; // the payload length's last byte
            }),
        ),
        ("removed", 9, Box::new(|p: &mut Parsed| drop(records_mut(p, 1).remove(3)))),
        ("reordered", 1, Box::new(|p: &mut Parsed| records_mut(p, 0).swap(1, 4))),
        (
            "reordered across batches",
            5,
            Box::new(|p: &mut Parsed| {
                let a = records_mut(p, 0).pop().unwrap();
                let b = records_mut(p, 1).remove(0);
                records_mut(p, 0).push(b);
                records_mut(p, 1).insert(0, a);
            }),
        ),
        ("inserted", 8, Box::new(|p: &mut Parsed| records_mut(p, 1).insert(2, record(99).encode()))),
        (
            "duplicated",
            6,
            Box::new(|p: &mut Parsed| {
                let r = records_mut(p, 0)[0].clone();
                records_mut(p, 1).insert(0, r)
            }),
        ),
    ]
}

#[test]
fn the_untouched_log_verifies() {
    for suite in Suite::ALL {
        let f = fixture(suite);
        let all: Vec<&SignedTreeHead> = f.heads.iter().collect();
        let report = f.verify(&f.bytes, &all).unwrap();
        assert_eq!((report.records, report.batches, report.tree_heads, report.unsigned_records), (18, 3, 3, 0));
        assert_eq!(report.root, f.heads[2].head().root);
        // Reassembling from the parts gives back the same bytes: the test's encoder follows the spec.
        assert_eq!(assemble(&f.parsed()), f.bytes);
    }
}

#[test]
fn a_changed_byte_anywhere_is_detected() {
    for suite in [Suite::Aes, Suite::Sm] {
        let f = fixture(suite);
        for i in 0..f.bytes.len() {
            let mut b = f.bytes.clone();
            b[i] ^= 0x01;
            let e = f.verify(&b, &[]).unwrap_err();
            assert!(
                matches!(
                    e,
                    ErrorKind::MalformedAuditLog
                        | ErrorKind::UnsupportedVersion
                        | ErrorKind::AuditLogMismatch
                        | ErrorKind::AuditLogTornTail
                ),
                "{suite:?}, byte {i}: {e:?}"
            );
        }
    }
}

#[test]
fn record_edits_are_detected_at_every_level_of_effort() {
    let f = fixture(Suite::Sm);
    for (name, at, edit) in edits() {
        let mut p = f.parsed();
        edit(&mut p);
        // The attacker recomputes every check and batch root but cannot sign: the heads in the
        // file no longer match.
        let forged = assemble(&p);
        assert_eq!(f.verify(&forged, &[]), Err(ErrorKind::AuditLogMismatch), "{name}");
        // ... so the attacker also drops the heads: the file is self-consistent, and only a head
        // kept outside the writer's reach tells: any head covering the edited position does.
        let stripped = assemble(&without_heads(&p));
        let report = f.verify(&stripped, &[]).unwrap();
        assert_eq!(report.signed_records, 0, "{name}: nothing vouches for a log without heads");
        assert_eq!(report.unsigned_records, report.records, "{name}");
        for t in f.heads.iter().filter(|t| t.head().tree_size > at) {
            // A log left shorter than the head is reported as truncated.
            let want = if report.records < t.head().tree_size {
                ErrorKind::AuditLogTruncated
            } else {
                ErrorKind::AuditLogMismatch
            };
            assert_eq!(f.verify(&stripped, &[t]), Err(want), "{name}, size {}", t.head().tree_size);
        }
        for t in f.heads.iter().filter(|t| t.head().tree_size <= at) {
            assert!(f.verify(&stripped, &[t]).is_ok(), "{name}: records before the edit are unchanged");
        }
    }
}

#[test]
fn a_head_from_before_an_edit_is_not_enough_but_a_later_one_is() {
    let f = fixture(Suite::Aes);
    let mut p = without_heads(&f.parsed());
    records_mut(&mut p, 2)[0][10] ^= 1; // a record after the first head
    let forged = assemble(&p);
    assert!(f.verify(&forged, &[&f.heads[0]]).is_ok(), "the first 6 records are unchanged");
    assert_eq!(f.verify(&forged, &[&f.heads[0], &f.heads[2]]), Err(ErrorKind::AuditLogMismatch));
}

#[test]
fn truncation_is_detected() {
    let f = fixture(Suite::Aes);
    let p = f.parsed();
    // Cut at a frame boundary (after the second head): a valid, shorter log, unless a trusted
    // head covers more.
    let cut = p.offsets[4];
    let short = &f.bytes[..cut];
    assert_eq!(f.verify(short, &[]).unwrap().records, 12);
    assert_eq!(f.verify(short, &[&f.heads[2]]), Err(ErrorKind::AuditLogTruncated));
    // Cut inside a frame: a torn tail, whatever the verifier trusts.
    for cut in [p.offsets[4] + 1, p.offsets[4] + 5, f.bytes.len() - 1] {
        assert_eq!(f.verify(&f.bytes[..cut], &[]), Err(ErrorKind::AuditLogTornTail), "cut at {cut}");
    }
    // Cut inside the header.
    assert_eq!(f.verify(&f.bytes[..20], &[]), Err(ErrorKind::MalformedAuditLog));
}

#[test]
fn a_fork_is_detected() {
    let f = fixture(Suite::Aes);
    let dir = TempDir::new("fork");
    // Two copies of the log at 18 records continue differently, each with a signed head.
    let fork = |name: &str, salt: u64| {
        let path = dir.join(name);
        std::fs::copy(&f.path, &path).unwrap();
        let log = AuditLog::open(&path).unwrap();
        log.append(&[record(1000 + salt), record(2000 + salt)]).unwrap();
        let head = log.sign_tree_head(&f.key).unwrap();
        (path, log, head)
    };
    let (path_a, log_a, head_a) = fork("a", 1);
    let (_, _, head_b) = fork("b", 2);
    let bytes_a = std::fs::read(&path_a).unwrap();
    assert!(f.verify(&bytes_a, &[&f.heads[2], &head_a]).is_ok());
    // Log A with the head the other side was shown: both validly signed, they disagree.
    assert_eq!(f.verify(&bytes_a, &[&head_b]), Err(ErrorKind::AuditLogForked));
    // Comparing heads alone: same size, different roots; and no consistency proof from the common
    // head to B's head can be made from A.
    let v = LogVerifier::new(&f.verifier);
    assert_eq!(v.check_consistency(&head_a, &head_b, None).unwrap_err().kind(), ErrorKind::AuditLogForked);
    let proof = log_a.consistency_proof(18, 20).unwrap();
    v.check_consistency(&f.heads[2], &head_a, Some(&proof)).unwrap();
    assert_eq!(v.check_consistency(&f.heads[2], &head_b, Some(&proof)).unwrap_err().kind(), ErrorKind::AuditLogForked);
    let proof = log_a.consistency_proof(6, 20).unwrap();
    v.check_consistency(&f.heads[0], &head_a, Some(&proof)).unwrap();
}

#[test]
fn heads_must_be_signed_by_a_known_key() {
    let f = fixture(Suite::Aes);
    // A verifier that knows another key.
    let other = SigningKey::generate(SignatureAlgorithm::Ed25519).unwrap();
    let other_v = other.verifying_key().clone();
    let e = LogVerifier::new(&other_v).verify_reader(&f.bytes[..], f.bytes.len() as u64).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnknownKey);
    // Key rotation: a verifier that knows both keys accepts heads by either.
    assert!(LogVerifier::new(&other_v).key(&f.verifier).verify_reader(&f.bytes[..], f.bytes.len() as u64).is_ok());
    // A head with a changed signature byte (frame check recomputed).
    let mut p = f.parsed();
    let Item::Head(h) = &mut p.items[1] else { unreachable!() };
    let n = h.len();
    h[n - 1] ^= 1;
    assert_eq!(f.verify(&assemble(&p), &[]), Err(ErrorKind::AuthenticationFailed));
    // A head signed by another key, put into the log: unknown to the verifier.
    let mut p = f.parsed();
    let forged = f.heads[0].head().sign(&other).unwrap();
    p.items[1] = Item::Head(forged.as_bytes().to_vec());
    assert_eq!(f.verify(&assemble(&p), &[]), Err(ErrorKind::UnknownKey));
    // A trusted head of another log is refused.
    let dir = TempDir::new("other-log");
    let log = AuditLog::create(dir.join("x"), Suite::Aes).unwrap();
    let foreign = log.sign_tree_head(&f.key).unwrap();
    assert_eq!(f.verify(&f.bytes, &[&foreign]), Err(ErrorKind::InvalidArgument));
}

#[test]
fn a_head_moved_or_replayed_is_detected() {
    let f = fixture(Suite::Aes);
    // The first head copied to the end of the log: valid signature, wrong size there.
    let mut p = f.parsed();
    p.items.push(p.items[1].clone());
    assert_eq!(f.verify(&assemble(&p), &[]), Err(ErrorKind::AuditLogMismatch));
    // The log id of the header changed (its check recomputed): heads belong to another log.
    let mut p = f.parsed();
    p.log_id[0] ^= 1;
    assert_eq!(f.verify(&assemble(&p), &[]), Err(ErrorKind::AuditLogMismatch));
    // The suite changed: every hash differs.
    let mut p = f.parsed();
    p.suite = Suite::Sm;
    assert_eq!(f.verify(&assemble(&p), &[]), Err(ErrorKind::AuditLogMismatch));
}

#[test]
fn records_hold_no_payload() {
    // The payload is represented by its digest and length only; the record encoding has no room
    // for anything else (every field is specified), so a secret payload never reaches the log.
    let f = fixture(Suite::Aes);
    let secret = b"resident 38001085718 diagnosis F32";
    let dir = TempDir::new("payload");
    let path = dir.join("log");
    let log = AuditLog::create(&path, Suite::Aes).unwrap();
    let r = record(0).with_payload(Hasher::digest(Suite::Aes, secret), secret.len() as u64);
    log.append(&[r]).unwrap();
    let bytes = std::fs::read(Path::new(&path)).unwrap();
    assert!(!bytes.windows(secret.len()).any(|w| w == secret));
    assert!(!bytes.windows(11).any(|w| w == b"38001085718"));
    drop(f);
}

mod hostile_input {
    use super::*;
    use privshare::audit::{ConsistencyProof, InclusionProof, Record};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Random damage to a valid log (overwrites, cuts, appended garbage) and random bytes to
        /// every decoder give an error or a valid result, never a panic (what a fuzz target checks).
        #[test]
        fn damaged_logs_and_random_bytes_never_panic(
            writes in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
            cut in any::<prop::sample::Index>(),
            tail in proptest::collection::vec(any::<u8>(), 0..64),
            noise in proptest::collection::vec(any::<u8>(), 0..300),
        ) {
            let f = fixture_bytes();
            let mut b = f.bytes.clone();
            for (i, v) in &writes {
                let i = i.index(b.len());
                b[i] = *v;
            }
            b.truncate(58 + cut.index(b.len() - 57));
            b.extend_from_slice(&tail);
            let v = LogVerifier::new(&f.verifier);
            let _ = v.verify_reader(&b[..], b.len() as u64);
            let mut header_then_noise = f.bytes[..58].to_vec();
            header_then_noise.extend_from_slice(&noise);
            let _ = v.verify_reader(&header_then_noise[..], header_then_noise.len() as u64);
            let _ = Record::decode(&noise);
            let _ = SignedTreeHead::decode(&noise);
            let _ = InclusionProof::decode(&noise);
            let _ = ConsistencyProof::decode(&noise);
        }
    }

    struct Bytes {
        bytes: Vec<u8>,
        verifier: VerifyingKey,
    }

    fn fixture_bytes() -> &'static Bytes {
        static F: std::sync::OnceLock<Bytes> = std::sync::OnceLock::new();
        F.get_or_init(|| {
            let f = fixture(Suite::Aes);
            Bytes { bytes: f.bytes.clone(), verifier: f.verifier }
        })
    }
}
