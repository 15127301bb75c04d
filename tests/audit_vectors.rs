//! The audit log vectors (tests/vectors/audit/audit-log.json): records in JSON and binary form,
//! one log per suite with its heads and proofs, and attacked logs with the error each must give.
//! tests/vectors/audit/check_audit_log.py checks the same file from the format document alone.
//!
//! Regenerate (the logs get a new random log id and new timestamps):
//! `PRIVSHARE_WRITE_VECTORS=1 cargo test --test audit_vectors -- --ignored regenerate_vectors`

mod audit_support;

use audit_support::{assemble, parse, record, Item, TempDir};
use privshare::audit::hash::leaf_hash;
use privshare::audit::{AuditLog, ConsistencyProof, Event, InclusionProof, LogVerifier, Record, SignedTreeHead};
use privshare::envelope::SigningKey;
use privshare::{ErrorKind, Suite};
use serde_json::{json, Value};

fn vector_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/audit/audit-log.json")
}

/// A PKCS#8 v1 Ed25519 key (RFC 8410) from a seed.
fn key(seed_byte: u8) -> (SigningKey, [u8; 32]) {
    let seed = [seed_byte; 32];
    let der = [&hex::decode("302e020100300506032b657004220420").unwrap()[..], &seed].concat();
    (SigningKey::from_pkcs8_der(&der).unwrap(), seed)
}

fn vector_records() -> Vec<Record> {
    let mut v: Vec<Record> = (0..8).map(record).collect();
    // A rejection that names nothing: an envelope refused as malformed.
    v.push(Record::new(Event::rejected(ErrorKind::MalformedCiphertext), 1_760_000_100_000).with_payload([0xee; 32], 7));
    v.push(record(1).with_recipient("CN-GOV/GOV/91110000:2/stats.dept_1").with_purpose("跨部门数据共享").with_policy(
        "health-stats",
        12,
        [0x5a; 32],
    ));
    v
}

const BATCHES: [usize; 4] = [3, 4, 2, 1];
const INCLUSIONS: [(u64, u64); 5] = [(0, 10), (4, 10), (9, 10), (2, 7), (0, 1)];
const CONSISTENCIES: [(u64, u64); 4] = [(3, 10), (7, 10), (7, 7), (1, 3)];

/// Writes a log of the vector records (a head after the second and the fourth batch).
fn write_log(path: &std::path::Path, suite: Suite, signer: &SigningKey) -> AuditLog {
    let log = AuditLog::create(path, suite).unwrap();
    let records = vector_records();
    let mut at = 0;
    for (i, n) in BATCHES.iter().enumerate() {
        log.append(&records[at..at + n]).unwrap();
        at += n;
        if i % 2 == 1 {
            log.sign_tree_head(signer).unwrap();
        }
    }
    log
}

fn heads_of(bytes: &[u8]) -> Vec<Vec<u8>> {
    parse(bytes).items.into_iter().filter_map(|i| if let Item::Head(h) = i { Some(h) } else { None }).collect()
}

#[test]
#[ignore]
fn regenerate_vectors() {
    if std::env::var("PRIVSHARE_WRITE_VECTORS").as_deref() != Ok("1") {
        return;
    }
    let dir = TempDir::new("vectors");
    let (signer, seed) = key(0x42);
    let (other, _) = key(0x17);
    let records: Vec<Value> = vector_records()
        .iter()
        .map(|r| {
            json!({
                "json": serde_json::from_str::<Value>(&r.to_json()).unwrap(),
                "encoding": hex::encode(r.encode()),
                "leaf_hash": {"aes": hex::encode(leaf_hash(Suite::Aes, &r.encode())), "sm": hex::encode(leaf_hash(Suite::Sm, &r.encode()))},
            })
        })
        .collect();
    let mut logs = Vec::new();
    let mut invalid = Vec::new();
    for suite in Suite::ALL {
        let path = dir.join(suite.name());
        let log = write_log(&path, suite, &signer);
        let bytes = std::fs::read(&path).unwrap();
        let p = parse(&bytes);
        logs.push(json!({
            "suite": suite.name(),
            "log_id": hex::encode(log.log_id()),
            "file": hex::encode(&bytes),
            "batches": BATCHES,
            "records": 10,
            "root": hex::encode(log.root_at(10).unwrap()),
            "roots": (0..=10).map(|n| hex::encode(log.root_at(n).unwrap())).collect::<Vec<_>>(),
            "tree_heads": heads_of(&bytes).iter().map(hex::encode).collect::<Vec<_>>(),
            "inclusion": INCLUSIONS.iter().map(|&(i, n)| json!({"leaf_index": i, "tree_size": n, "proof": hex::encode(log.inclusion_proof(i, n).unwrap().encode())})).collect::<Vec<_>>(),
            "consistency": CONSISTENCIES.iter().map(|&(m, n)| json!({"old_size": m, "new_size": n, "proof": hex::encode(log.consistency_proof(m, n).unwrap().encode())})).collect::<Vec<_>>(),
        }));
        if suite == Suite::Sm {
            continue;
        }
        // Attacked copies of the aes log.
        let last_head = hex::encode(heads_of(&bytes).last().unwrap());
        let mut case = |name: &str, file: Vec<u8>, trusted: &[&str], error: ErrorKind| {
            invalid.push(json!({"name": name, "suite": suite.name(), "file": hex::encode(file), "trusted_heads": trusted, "error": error.name()}));
        };
        case("torn-tail", bytes[..bytes.len() - 10].to_vec(), &[], ErrorKind::AuditLogTornTail);
        let mut b = bytes.clone();
        b[p.offsets[0] + 40] ^= 1;
        case("byte-changed-in-a-record", b, &[], ErrorKind::AuditLogMismatch);
        let mut b = bytes.clone();
        b[0] = b'X';
        case("bad-magic", b, &[], ErrorKind::MalformedAuditLog);
        let modified = {
            let mut q = p.clone();
            let Item::Batch(r) = &mut q.items[1] else { unreachable!() };
            let n = r[1].len();
            r[1][n - 1] ^= 1;
            q
        };
        case("record-modified-roots-recomputed", assemble(&modified), &[], ErrorKind::AuditLogMismatch);
        let mut swapped = p.clone();
        swapped.items.retain(|i| matches!(i, Item::Batch(_)));
        let Item::Batch(r) = &mut swapped.items[0] else { unreachable!() };
        r.swap(0, 2);
        case("records-swapped-heads-removed", assemble(&swapped), &[&last_head], ErrorKind::AuditLogMismatch);
        case("truncated-at-a-frame", bytes[..p.offsets[4]].to_vec(), &[&last_head], ErrorKind::AuditLogTruncated);
        let mut bad_sig = p.clone();
        let Item::Head(h) = &mut bad_sig.items[2] else { unreachable!() };
        h[110] ^= 0x10; // inside the signature (from byte 100)
        case("head-signature-changed", assemble(&bad_sig), &[], ErrorKind::AuthenticationFailed);
        let mut foreign = p.clone();
        let Item::Head(h) = &mut foreign.items[2] else { unreachable!() };
        *h = SignedTreeHead::decode(h).unwrap().head().sign(&other).unwrap().as_bytes().to_vec();
        case("head-by-an-unknown-key", assemble(&foreign), &[], ErrorKind::UnknownKey);
        // A fork: the log up to its first head, continued with other records and signed.
        let fork_path = dir.join("fork");
        std::fs::write(&fork_path, &bytes[..p.offsets[3]]).unwrap();
        let fork = AuditLog::open(&fork_path).unwrap();
        fork.append(&[record(50), record(51)]).unwrap();
        fork.append(&[record(52)]).unwrap();
        fork.sign_tree_head(&signer).unwrap();
        case("forked", std::fs::read(&fork_path).unwrap(), &[&last_head], ErrorKind::AuditLogForked);
    }
    let v = json!({
        "description": "privshare audit log vectors, format version 1 (docs/formats/audit-log.md)",
        "signing_key": {
            "algorithm": "ed25519",
            "seed": hex::encode(seed),
            "public_key": hex::encode(&signer.verifying_key().to_spki_der()[12..]),
            "key_id": hex::encode(privshare::audit::TreeHeadVerifier::key_id(&signer.verifying_key().clone())),
        },
        "records": records,
        "logs": logs,
        "invalid_logs": invalid,
    });
    std::fs::write(vector_path(), serde_json::to_string_pretty(&v).unwrap() + "\n").unwrap();
}

fn vectors() -> Value {
    serde_json::from_str(&std::fs::read_to_string(vector_path()).unwrap()).unwrap()
}

fn unhex(v: &Value) -> Vec<u8> {
    hex::decode(v.as_str().unwrap()).unwrap()
}

#[test]
fn record_vectors() {
    let v = vectors();
    let want = vector_records();
    let cases = v["records"].as_array().unwrap();
    assert_eq!(cases.len(), want.len());
    for (case, want) in cases.iter().zip(&want) {
        let r = Record::from_json(&case["json"].to_string()).unwrap();
        assert_eq!(&r, want);
        assert_eq!(r.encode(), unhex(&case["encoding"]));
        assert_eq!(Record::decode(&unhex(&case["encoding"])).unwrap(), r);
        for suite in Suite::ALL {
            assert_eq!(leaf_hash(suite, &r.encode()).to_vec(), unhex(&case["leaf_hash"][suite.name()]));
        }
    }
}

#[test]
fn log_vectors() {
    let v = vectors();
    let (signer, _) = key(0x42);
    assert_eq!(
        hex::encode(&signer.verifying_key().to_spki_der()[12..]),
        v["signing_key"]["public_key"].as_str().unwrap()
    );
    let verifier = signer.verifying_key().clone();
    let dir = TempDir::new("log-vectors");
    for case in v["logs"].as_array().unwrap() {
        let suite: Suite = case["suite"].as_str().unwrap().parse().unwrap();
        let bytes = unhex(&case["file"]);
        let heads: Vec<SignedTreeHead> =
            case["tree_heads"].as_array().unwrap().iter().map(|h| SignedTreeHead::decode(&unhex(h)).unwrap()).collect();
        let mut verify = LogVerifier::new(&verifier);
        for h in &heads {
            verify = verify.trust(h.clone());
        }
        let report = verify.verify_reader(&bytes[..], bytes.len() as u64).unwrap();
        assert_eq!((report.suite, report.records, report.batches, report.tree_heads), (suite, 10, 4, 2));
        assert_eq!(report.root.to_vec(), unhex(&case["root"]));
        // The same file opened for appending: same tree, same proofs.
        let path = dir.join(suite.name());
        std::fs::write(&path, &bytes).unwrap();
        let log = AuditLog::open(&path).unwrap();
        let roots: Vec<Vec<u8>> = case["roots"].as_array().unwrap().iter().map(unhex).collect();
        for (n, root) in roots.iter().enumerate() {
            assert_eq!(log.root_at(n as u64).unwrap().to_vec(), *root);
        }
        let records = vector_records();
        for p in case["inclusion"].as_array().unwrap() {
            let proof = InclusionProof::decode(&unhex(&p["proof"])).unwrap();
            assert_eq!(
                (proof.suite, proof.leaf_index, proof.tree_size),
                (suite, p["leaf_index"].as_u64().unwrap(), p["tree_size"].as_u64().unwrap())
            );
            let leaf = leaf_hash(suite, &records[proof.leaf_index as usize].encode());
            proof.verify(&leaf, &roots[proof.tree_size as usize].clone().try_into().unwrap()).unwrap();
            assert_eq!(log.inclusion_proof(proof.leaf_index, proof.tree_size).unwrap(), proof);
        }
        for p in case["consistency"].as_array().unwrap() {
            let proof = ConsistencyProof::decode(&unhex(&p["proof"])).unwrap();
            let (m, n) = (proof.old_size as usize, proof.new_size as usize);
            proof.verify(&roots[m].clone().try_into().unwrap(), &roots[n].clone().try_into().unwrap()).unwrap();
            assert_eq!(log.consistency_proof(proof.old_size, proof.new_size).unwrap(), proof);
        }
    }
}

#[test]
fn invalid_log_vectors() {
    let v = vectors();
    let (signer, _) = key(0x42);
    let verifier = signer.verifying_key().clone();
    let cases = v["invalid_logs"].as_array().unwrap();
    assert!(cases.len() >= 9);
    for case in cases {
        let bytes = unhex(&case["file"]);
        let mut verify = LogVerifier::new(&verifier);
        for h in case["trusted_heads"].as_array().unwrap() {
            verify = verify.trust(SignedTreeHead::decode(&unhex(h)).unwrap());
        }
        let e = verify.verify_reader(&bytes[..], bytes.len() as u64).unwrap_err();
        assert_eq!(e.kind().name(), case["error"].as_str().unwrap(), "{}: {e}", case["name"]);
    }
}
