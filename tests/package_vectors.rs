//! Known-answer vectors of the package payload (`docs/formats/package.md`):
//! `tests/vectors/package/package.json`. Each vector is an envelope (fixed keys, randomness and
//! time) whose payload is built here from the document alone — data, report, big-endian report
//! length, `PSR1` — and `open_package_file` must give the data and report back, or refuse a bad
//! trailer with `MalformedEnvelope`. `PRIVSHARE_REGENERATE_VECTORS=1` rewrites the file with new
//! keys (then review and commit it).

use privshare::envelope::*;
use privshare::policy::{open_package_file, PACKAGE_CONTENT_TYPE};
use privshare::ErrorKind;
use serde_json::{json, Value};

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/package/package.json");
const T0: u64 = 1_800_000_000;
const SENDER: &str = "CN/GOV/hrss/benefits";
const RECIPIENT: &str = "CN/GOV/stats/census";

/// The payload the document specifies.
fn payload(data: &[u8], report: &[u8], magic: &[u8; 4], claimed_len: Option<u32>) -> Vec<u8> {
    let mut p = data.to_vec();
    p.extend_from_slice(report);
    p.extend_from_slice(&claimed_len.unwrap_or(report.len() as u32).to_be_bytes());
    p.extend_from_slice(magic);
    p
}

/// What opening a vector must give: `(data, report)` or the error kind.
type Expected = Result<(&'static [u8], &'static [u8]), ErrorKind>;

/// `(name, payload, expected)`.
fn cases() -> Vec<(&'static str, Vec<u8>, Expected)> {
    const DATA: &[u8] = b"record_id,name,mobile\nP1,ps1:AQJcexample,138****5678\n";
    const REPORT: &[u8] = br#"{"policy":"benefits-to-census","policy_version":1,"rows":1}"#;
    vec![
        ("package", payload(DATA, REPORT, b"PSR1", None), Ok((DATA, REPORT))),
        ("empty-data", payload(b"", REPORT, b"PSR1", None), Ok((b"", REPORT))),
        ("bad-magic", payload(DATA, REPORT, b"PSR2", None), Err(ErrorKind::MalformedEnvelope)),
        (
            "report-longer-than-payload",
            payload(DATA, REPORT, b"PSR1", Some(1 << 20)),
            Err(ErrorKind::MalformedEnvelope),
        ),
        (
            "report-over-the-limit",
            payload(DATA, REPORT, b"PSR1", Some((16 << 20) + 1)),
            Err(ErrorKind::MalformedEnvelope),
        ),
        ("shorter-than-trailer", b"PSR1".to_vec(), Err(ErrorKind::MalformedEnvelope)),
    ]
}

fn regenerate() -> Value {
    let signer = SigningKey::generate(SignatureAlgorithm::Ed25519).unwrap();
    let recipient = RecipientKey::generate(KemAlgorithm::HpkeX25519).unwrap();
    let mut vectors = Vec::new();
    for (i, (name, payload, _)) in cases().into_iter().enumerate() {
        let envelope = Sealer::new(SENDER.parse().unwrap())
            .recipient(RECIPIENT.parse().unwrap(), recipient.public_key())
            .purpose("population statistics")
            .policy("benefits-to-census", 1, &[0x5a; 32])
            .content_type(PACKAGE_CONTENT_TYPE)
            .created_at(T0)
            .lifetime(86_400)
            .insecure_fixed_randomness([i as u8; 32])
            .seal(&signer, &payload)
            .unwrap();
        vectors.push(json!({"name": name, "envelope": hex::encode(envelope)}));
    }
    json!({
        "description": "privshare packages (docs/formats/package.md): envelopes whose payload is data || report || u32 BE report length || \"PSR1\"",
        "sender": SENDER, "recipient": RECIPIENT, "time": T0 + 60,
        "sender_spki": hex::encode(signer.verifying_key().to_spki_der()),
        "recipient_pkcs8": hex::encode(recipient.to_pkcs8_der().expose()),
        "vectors": vectors,
    })
}

#[test]
fn package_vectors_open_to_their_data_and_report() {
    if std::env::var_os("PRIVSHARE_REGENERATE_VECTORS").is_some() {
        std::fs::create_dir_all(std::path::Path::new(PATH).parent().unwrap()).unwrap();
        std::fs::write(PATH, serde_json::to_string_pretty(&regenerate()).unwrap() + "\n").unwrap();
    }
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(PATH).unwrap()).unwrap();
    let unhex = |v: &Value| hex::decode(v.as_str().unwrap()).unwrap();
    let mut registry = TrustRegistry::new();
    let sender = VerifyingKey::from_spki_der(&unhex(&doc["sender_spki"])).unwrap();
    registry.add(SENDER.parse().unwrap(), sender, 0, None).unwrap();
    let key = RecipientKey::from_pkcs8_der(&unhex(&doc["recipient_pkcs8"])).unwrap();
    let me: ParticipantId = RECIPIENT.parse().unwrap();
    let dir = std::env::temp_dir().join(format!("privshare-package-vectors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases = cases();
    assert_eq!(doc["vectors"].as_array().unwrap().len(), cases.len());
    for (v, (name, _, expected)) in doc["vectors"].as_array().unwrap().iter().zip(cases) {
        assert_eq!(v["name"], name);
        let (input, output) = (dir.join(format!("{name}.pse")), dir.join(format!("{name}.csv")));
        std::fs::write(&input, unhex(&v["envelope"])).unwrap();
        let replay = ReplayStore::in_memory();
        let opener = Opener::new(&registry, &me, &key, &replay).at(doc["time"].as_u64().unwrap());
        match (open_package_file(&opener, &input, &output), expected) {
            (Ok(opened), Ok((data, report))) => {
                assert_eq!(std::fs::read(&output).unwrap(), data, "{name}");
                assert_eq!(opened.report_json.as_bytes(), report, "{name}");
                assert_eq!(opened.data_len, data.len() as u64);
            }
            (Err(e), Err(kind)) => {
                assert_eq!(e.kind(), kind, "{name}: {e}");
                assert!(!output.exists(), "{name}: output written for a refused package");
            }
            (got, want) => panic!("{name}: got {:?}, want {want:?}", got.map(|o| o.data_len)),
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
