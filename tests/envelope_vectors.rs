//! Known-answer vectors of the envelope format: `tests/vectors/envelope/envelope.json`.
//!
//! The test re-seals every reproducible vector (fixed keys, fixed randomness; Ed25519, SM2 with
//! RFC 6979 nonces and HPKE are deterministic given those) and compares the bytes, opens every
//! vector, and checks each rejection vector fails with its error kind. ECDSA P-256 signatures
//! draw a random nonce, so that vector is only opened. `PRIVSHARE_REGENERATE_VECTORS=1` rewrites
//! the file with new keys (then review and commit it).

use privshare::envelope::*;
use privshare::ErrorKind;
use serde_json::{json, Value};

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/envelope/envelope.json");
const T0: u64 = 1_800_000_000;

fn unhex(v: &Value) -> Vec<u8> {
    hex::decode(v.as_str().unwrap()).unwrap()
}

struct Keys {
    doc: Value,
}

impl Keys {
    fn generate() -> Keys {
        let mut keys = serde_json::Map::new();
        let mut put_sign = |name: &str, alg| {
            let k = SigningKey::generate(alg).unwrap();
            keys.insert(
                name.into(),
                json!({"pkcs8": hex::encode(k.to_pkcs8_der().expose()), "spki": hex::encode(k.verifying_key().to_spki_der()), "key_id": k.id().to_hex()}),
            );
        };
        put_sign("sender-ed25519", SignatureAlgorithm::Ed25519);
        put_sign("sender-p256", SignatureAlgorithm::EcdsaP256Sha256);
        put_sign("sender-sm2", SignatureAlgorithm::Sm2Sm3);
        put_sign("other-ed25519", SignatureAlgorithm::Ed25519);
        for (name, alg) in [
            ("recipient-x25519", KemAlgorithm::HpkeX25519),
            ("recipient-p256", KemAlgorithm::HpkeP256),
            ("recipient-sm2", KemAlgorithm::Sm2),
            ("second-x25519", KemAlgorithm::HpkeX25519),
        ] {
            let k = RecipientKey::generate(alg).unwrap();
            keys.insert(
                name.into(),
                json!({"pkcs8": hex::encode(k.to_pkcs8_der().expose()), "spki": hex::encode(k.public_key().to_spki_der()), "key_id": k.id().to_hex()}),
            );
        }
        Keys { doc: Value::Object(keys) }
    }

    fn signing(&self, name: &str) -> SigningKey {
        SigningKey::from_pkcs8_der(&unhex(&self.doc[name]["pkcs8"])).unwrap()
    }

    fn recipient(&self, name: &str) -> RecipientKey {
        RecipientKey::from_pkcs8_der(&unhex(&self.doc[name]["pkcs8"])).unwrap()
    }
}

/// The parameters of one valid vector.
struct Case {
    name: &'static str,
    sender: &'static str,
    recipients: &'static [(&'static str, &'static str)],
    chunk_size: u32,
    padding: Padding,
    columns: &'static [(&'static str, u32)],
    payload: Vec<u8>,
    reproducible: bool,
}

fn cases() -> Vec<Case> {
    let csv = b"resident_token,district,income\npt1:AAAA,110101,5200\npt1:BBBB,310104,6100\n".to_vec();
    vec![
        Case {
            name: "ed25519-x25519-small",
            sender: "sender-ed25519",
            recipients: &[("CN/GOV/222/stats", "recipient-x25519")],
            chunk_size: 65536,
            padding: Padding::None,
            columns: &[("resident_token", 3), ("income", 1)],
            payload: csv.clone(),
            reproducible: true,
        },
        Case {
            name: "ed25519-x25519-chunks-padded-two-recipients",
            sender: "sender-ed25519",
            recipients: &[("CN/GOV/222/stats", "recipient-x25519"), ("CN/GOV/444/health", "second-x25519")],
            chunk_size: 1024,
            padding: Padding::Multiple(4096),
            columns: &[],
            payload: (0..3000u32).map(|i| (i % 251) as u8).collect(),
            reproducible: true,
        },
        Case {
            name: "ed25519-p256-empty",
            sender: "sender-ed25519",
            recipients: &[("CN/GOV/222/stats", "recipient-p256")],
            chunk_size: 1024,
            padding: Padding::None,
            columns: &[],
            payload: Vec::new(),
            reproducible: true,
        },
        Case {
            name: "ecdsa-p256-p256",
            sender: "sender-p256",
            recipients: &[("CN/GOV/222/stats", "recipient-p256")],
            chunk_size: 1024,
            padding: Padding::PowerOfTwo,
            columns: &[],
            payload: csv.clone(),
            reproducible: false,
        },
        Case {
            name: "sm2-sm2-chunks",
            sender: "sender-sm2",
            recipients: &[("CN/GOV/222/stats", "recipient-sm2")],
            chunk_size: 1024,
            padding: Padding::None,
            columns: &[("resident_token", 3)],
            payload: (0..2500u32).map(|i| (i * 7 % 256) as u8).collect(),
            reproducible: true,
        },
    ]
}

fn seal(keys: &Keys, case: &Case, seed: [u8; 32]) -> Vec<u8> {
    let signer = keys.signing(case.sender);
    let recipients: Vec<RecipientKey> = case.recipients.iter().map(|(_, k)| keys.recipient(k)).collect();
    let mut s = Sealer::new("CN/GOV/111/tax".parse().unwrap())
        .purpose("monthly income statistics")
        .legal_basis("Statistics Law art. 7")
        .policy("tax-to-stats", 3, &[0x5a; 32])
        .schema_hash(&[0xa5; 32])
        .content_type("text/csv")
        .created_at(T0)
        .lifetime(86_400)
        .chunk_size(case.chunk_size)
        .padding(case.padding)
        .insecure_fixed_randomness(seed);
    for ((who, _), key) in case.recipients.iter().zip(&recipients) {
        s = s.recipient(who.parse().unwrap(), key.public_key());
    }
    for (column, version) in case.columns {
        s = s.column_key_version(*column, *version);
    }
    s.seal(&signer, &case.payload).unwrap()
}

fn registry(keys: &Keys) -> TrustRegistry {
    let mut r = TrustRegistry::new();
    for name in ["sender-ed25519", "sender-p256", "sender-sm2"] {
        r.add("CN/GOV/111/tax".parse().unwrap(), keys.signing(name).verifying_key().clone(), 0, None).unwrap();
    }
    r.add("CN/GOV/333/police".parse().unwrap(), keys.signing("other-ed25519").verifying_key().clone(), 0, None)
        .unwrap();
    r
}

/// Rejection vectors: a mutation of the first valid vector and the error it must give.
fn rejections(envelope: &[u8], keys: &Keys) -> Vec<(&'static str, Vec<u8>, ErrorKind, u64)> {
    let (h, hlen) = parse_header(envelope).unwrap();
    let mut out = Vec::new();
    let mut flip = envelope.to_vec();
    flip[hlen + 3] ^= 0x01;
    out.push(("ciphertext-bit-flipped", flip, ErrorKind::BadSignature, T0 + 10));
    let mut trailing = envelope.to_vec();
    trailing.push(0);
    out.push(("trailing-byte", trailing, ErrorKind::MalformedEnvelope, T0 + 10));
    out.push(("truncated", envelope[..envelope.len() - 1].to_vec(), ErrorKind::MalformedEnvelope, T0 + 10));
    let mut magic = envelope.to_vec();
    magic[0] = b'X';
    out.push(("bad-magic", magic, ErrorKind::MalformedEnvelope, T0 + 10));
    // Signed by another registered participant's key (the sender field unchanged).
    let mut forged = envelope.to_vec();
    let body_end = hlen + h.body_len() as usize;
    let signed = signed_message(&envelope[..hlen], h.body_len(), &sha256(&envelope[hlen..body_end]));
    let sig = keys.signing("other-ed25519").sign(&signed).unwrap();
    forged.truncate(body_end);
    forged.extend_from_slice(&(sig.len() as u16).to_be_bytes());
    forged.extend_from_slice(&sig);
    out.push(("signed-by-another-key", forged, ErrorKind::BadSignature, T0 + 10));
    out.push(("expired", envelope.to_vec(), ErrorKind::Expired, T0 + 86_400 + 300));
    out.push(("not-yet-valid", envelope.to_vec(), ErrorKind::NotYetValid, T0 - 301));
    out
}

fn sha256(b: &[u8]) -> [u8; 32] {
    ring::digest::digest(&ring::digest::SHA256, b).as_ref().try_into().unwrap()
}

fn signed_message(header: &[u8], body_len: u64, body_hash: &[u8; 32]) -> Vec<u8> {
    let mut m = b"privshare envelope v1 signature".to_vec();
    m.extend_from_slice(&(header.len() as u32).to_be_bytes());
    m.extend_from_slice(header);
    m.extend_from_slice(&body_len.to_be_bytes());
    m.extend_from_slice(body_hash);
    m
}

fn build(keys: &Keys, previous: Option<&Value>) -> Value {
    let mut valid = Vec::new();
    for (i, case) in cases().iter().enumerate() {
        let seed = [i as u8 + 1; 32];
        let envelope = match (case.reproducible, previous) {
            (false, Some(doc)) => unhex(&doc["valid"][i]["envelope"]),
            _ => seal(keys, case, seed),
        };
        valid.push(json!({
            "name": case.name,
            "sender": case.sender,
            "recipients": case.recipients.iter().map(|(who, key)| json!({"id": who, "key": key})).collect::<Vec<_>>(),
            "seed": hex::encode(seed),
            "chunk_size": case.chunk_size,
            "padding": format!("{:?}", case.padding),
            "column_key_versions": case.columns.iter().map(|(c, v)| json!([c, v])).collect::<Vec<_>>(),
            "reproducible": case.reproducible,
            "payload": hex::encode(&case.payload),
            "envelope": hex::encode(&envelope),
        }));
    }
    let first = unhex(&valid[0]["envelope"]);
    let invalid: Vec<Value> = rejections(&first, keys)
        .into_iter()
        .map(|(name, env, kind, at)| {
            json!({"name": name, "open_as": "recipient-x25519", "open_at": at, "envelope": hex::encode(env), "error": kind.name(), "code": kind.code()})
        })
        .collect();
    json!({
        "description": "privshare envelope v1 vectors: see docs/formats/envelope.md",
        "sender_id": "CN/GOV/111/tax",
        "other_id": "CN/GOV/333/police",
        "created": T0,
        "lifetime": 86_400,
        "open_at": T0 + 10,
        "purpose": "monthly income statistics",
        "legal_basis": "Statistics Law art. 7",
        "policy": {"id": "tax-to-stats", "version": 3, "hash": hex::encode([0x5a; 32])},
        "schema_hash": hex::encode([0xa5; 32]),
        "content_type": "text/csv",
        "keys": keys.doc,
        "valid": valid,
        "invalid": invalid,
    })
}

#[test]
fn envelope_vectors() {
    if std::env::var_os("PRIVSHARE_REGENERATE_VECTORS").is_some() {
        let keys = Keys::generate();
        let doc = build(&keys, None);
        std::fs::write(PATH, serde_json::to_string_pretty(&doc).unwrap() + "\n").unwrap();
    }
    let committed: Value = serde_json::from_str(&std::fs::read_to_string(PATH).unwrap()).unwrap();
    let keys = Keys { doc: committed["keys"].clone() };
    // The committed file is exactly what the code produces from its keys.
    assert_eq!(build(&keys, Some(&committed)), committed, "{PATH} is out of date");
    let registry = registry(&keys);
    for (case, v) in cases().iter().zip(committed["valid"].as_array().unwrap()) {
        let envelope = unhex(&v["envelope"]);
        for (who, key) in case.recipients {
            let key = keys.recipient(key);
            let store = ReplayStore::in_memory();
            let me: ParticipantId = who.parse().unwrap();
            let opened = Opener::new(&registry, &me, &key, &store).at(T0 + 10).open(&envelope).unwrap();
            assert_eq!(opened.payload, case.payload, "{}", case.name);
            assert_eq!(opened.header.purpose, "monthly income statistics");
        }
    }
    let key = keys.recipient("recipient-x25519");
    let me: ParticipantId = "CN/GOV/222/stats".parse().unwrap();
    for v in committed["invalid"].as_array().unwrap() {
        let store = ReplayStore::in_memory();
        let r =
            Opener::new(&registry, &me, &key, &store).at(v["open_at"].as_u64().unwrap()).open(&unhex(&v["envelope"]));
        assert_eq!(r.unwrap_err().kind().name(), v["error"].as_str().unwrap(), "{}", v["name"]);
    }
}
