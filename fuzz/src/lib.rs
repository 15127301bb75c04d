//! Fixtures shared by the fuzz targets: keysets, envelope keys and the audit log's verifying key,
//! all built deterministically from the repository's own test vectors (compiled in with
//! `include_str!`), so no target needs key material from outside.

use std::sync::OnceLock;

use privshare::envelope::{ParticipantId, RecipientKey, SigningKey, TrustRegistry, VerifyingKey};
use privshare::fle::{DeterministicCipher, RandomizedCipher};
use privshare::{Keyset, Suite};
use serde_json::Value;

/// The field ciphertext vectors (keys and ciphertexts).
pub const FIELD_VECTORS: &str = include_str!("../../tests/vectors/field-ciphertext.json");
/// The envelope vectors (keys, valid and invalid envelopes).
pub const ENVELOPE_VECTORS: &str = include_str!("../../tests/vectors/envelope/envelope.json");
/// The audit log vectors (signing key, logs, records, proofs).
pub const AUDIT_VECTORS: &str = include_str!("../../tests/vectors/audit/audit-log.json");
/// The keyset KEKs and passphrase of the stored-keyset vectors.
pub const KEKS: &str = include_str!("../../tests/vectors/keyset/keks.json");

/// The AES key version of the field ciphertext and token vectors.
pub const AES_KEY_ID: u32 = 16_909_060;
/// The SM key version of the field ciphertext and token vectors.
pub const SM_KEY_ID: u32 = 168_496_141;

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("test vectors are JSON")
}

fn unhex(v: &Value) -> Vec<u8> {
    hex::decode(v.as_str().expect("hex string")).expect("hex")
}

/// Splits `data` at its first 0xFF byte (which never occurs in UTF-8): two inputs in one, e.g. a
/// rule and a value. Without a 0xFF byte the second part is empty.
pub fn split2(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|&b| b == 0xFF) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[]),
    }
}

fn vector_keyset(primary: u32) -> Keyset {
    let v = json(FIELD_VECTORS);
    let mut versions = Vec::new();
    for k in v["keys"].as_array().expect("keys") {
        let id = k["key_id"].as_u64().expect("key_id") as u32;
        let suite = if k["suite"] == "sm" { Suite::Sm } else { Suite::Aes };
        let root: [u8; 32] = unhex(&k["root_key"]).try_into().expect("32-byte root key");
        versions.push((id, suite, root));
    }
    Keyset::from_insecure_root_keys(primary, &versions).expect("vector keyset")
}

/// The keyset of the field ciphertext and token vectors: an AES version (primary) and an SM one.
pub fn keyset() -> &'static Keyset {
    static K: OnceLock<Keyset> = OnceLock::new();
    K.get_or_init(|| vector_keyset(AES_KEY_ID))
}

/// The same keys with the SM version as primary (new outputs under SM4).
pub fn keyset_sm() -> &'static Keyset {
    static K: OnceLock<Keyset> = OnceLock::new();
    K.get_or_init(|| vector_keyset(SM_KEY_ID))
}

/// A randomized and a deterministic cipher for ("tax-2026", "id_number") over [`keyset`], the
/// field of the ciphertext vectors the seeds come from.
pub fn field_ciphers() -> &'static (RandomizedCipher, DeterministicCipher) {
    static C: OnceLock<(RandomizedCipher, DeterministicCipher)> = OnceLock::new();
    C.get_or_init(|| {
        let k = keyset();
        (
            RandomizedCipher::new(k, "tax-2026", "id_number").unwrap(),
            DeterministicCipher::new(k, "tax-2026", "id_number").unwrap(),
        )
    })
}

/// The stored-keyset vectors' KEKs and passphrase.
pub struct Keks {
    /// The AES-256 KEK.
    pub aes: Vec<u8>,
    /// The SM4 KEK.
    pub sm4: Vec<u8>,
    /// The passphrase.
    pub passphrase: String,
}

/// [`Keks`] from `tests/vectors/keyset/keks.json`.
pub fn keks() -> &'static Keks {
    static K: OnceLock<Keks> = OnceLock::new();
    K.get_or_init(|| {
        let v = json(KEKS);
        Keks {
            aes: unhex(&v["kek_hex"]),
            sm4: unhex(&v["sm4_kek_hex"]),
            passphrase: v["passphrase"].as_str().expect("passphrase").to_string(),
        }
    })
}

/// Everything an envelope opener needs, from the envelope vectors.
pub struct EnvelopeFixture {
    /// Every sender key of the vectors, registered as in `tests/envelope_vectors.rs`.
    pub registry: TrustRegistry,
    /// The recipient keys (x25519, p256, sm2, second x25519), each with its participant id.
    pub recipients: Vec<(ParticipantId, RecipientKey)>,
    /// The sender signing keys: ed25519, p256, sm2, other-ed25519.
    pub senders: Vec<SigningKey>,
    /// The time the vectors are opened at.
    pub open_at: u64,
    /// The valid and invalid envelopes of the vectors.
    pub envelopes: Vec<Vec<u8>>,
}

/// [`EnvelopeFixture`], built once.
pub fn envelopes() -> &'static EnvelopeFixture {
    static E: OnceLock<EnvelopeFixture> = OnceLock::new();
    E.get_or_init(|| {
        let v = json(ENVELOPE_VECTORS);
        let keys = &v["keys"];
        let signing = |name: &str| SigningKey::from_pkcs8_der(&unhex(&keys[name]["pkcs8"])).expect("signing key");
        let recipient = |name: &str| RecipientKey::from_pkcs8_der(&unhex(&keys[name]["pkcs8"])).expect("recipient key");
        let sender: ParticipantId = v["sender_id"].as_str().expect("sender_id").parse().expect("participant");
        let other: ParticipantId = v["other_id"].as_str().expect("other_id").parse().expect("participant");
        let senders: Vec<SigningKey> =
            ["sender-ed25519", "sender-p256", "sender-sm2", "other-ed25519"].iter().map(|n| signing(n)).collect();
        let mut registry = TrustRegistry::new();
        for (i, k) in senders.iter().enumerate() {
            let who = if i == 3 { other.clone() } else { sender.clone() };
            registry.add(who, k.verifying_key().clone(), 0, None).expect("register");
        }
        let stats: ParticipantId = "CN/GOV/222/stats".parse().expect("participant");
        let health: ParticipantId = "CN/GOV/444/health".parse().expect("participant");
        let recipients = vec![
            (stats.clone(), recipient("recipient-x25519")),
            (stats.clone(), recipient("recipient-p256")),
            (stats, recipient("recipient-sm2")),
            (health, recipient("second-x25519")),
        ];
        let mut envelopes = Vec::new();
        for group in ["valid", "invalid"] {
            for e in v[group].as_array().expect("envelopes") {
                envelopes.push(unhex(&e["envelope"]));
            }
        }
        EnvelopeFixture { registry, recipients, senders, open_at: v["open_at"].as_u64().expect("open_at"), envelopes }
    })
}

/// The audit log vectors' verifying key.
pub fn audit_verifier() -> &'static VerifyingKey {
    static V: OnceLock<VerifyingKey> = OnceLock::new();
    V.get_or_init(|| {
        let v = json(AUDIT_VECTORS);
        // An Ed25519 SubjectPublicKeyInfo (RFC 8410): a fixed 12-byte prefix, then the raw key.
        let spki =
            [&hex::decode("302a300506032b6570032100").expect("hex")[..], &unhex(&v["signing_key"]["public_key"])]
                .concat();
        VerifyingKey::from_spki_der(&spki).expect("the vectors' Ed25519 key")
    })
}

/// A valid audit record in its JSON form (the first of the audit vectors).
pub const AUDIT_RECORD: &str = r#"{"event": "sent", "message_id": "00000000000000000000000000abcdef",
  "payload_hash": "af5570f5a1810b7af78caf4bc70a660f0df51e42baf91d4de5b2328de0e83dfc", "payload_len": 0,
  "policy": {"hash": "0000000000000000000000000000000000000000000000000000000000000000", "id": "tax-to-health",
  "version": 0}, "purpose": "purpose 0", "recipients": ["EE/GOV/70000002/health"], "sender": "EE/GOV/70000000/tax",
  "time_ms": 1760000000000}"#;
