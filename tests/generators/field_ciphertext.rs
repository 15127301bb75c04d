//! Generator of `tests/vectors/field-ciphertext.json`: fixed root keys, fixed nonces, every
//! algorithm, padding and error case. Compiled into the core's unit tests (`src/fle/sealer.rs`
//! includes it with `#[path]`) because sealing under a chosen nonce is deliberately not public;
//! it lives here so that `src/` holds only the library. `PRIVSHARE_WRITE_VECTORS=1 cargo test
//! --lib vector_file` rewrites the file.

use super::*;
use crate::Suite;
use serde_json::{json, Value};

pub(crate) const AES_ID: KeyId = 0x0102_0304;
pub(crate) const SM_ID: KeyId = 0x0a0b_0c0d;

pub(crate) fn root(suite: Suite) -> [u8; 32] {
    let base = if suite == Suite::Aes { 0x00 } else { 0x40 };
    std::array::from_fn(|i| base + i as u8)
}

/// Both keys; the primary is `primary`.
pub(crate) fn keyset(primary: KeyId) -> Keyset {
    Keyset::from_insecure_root_keys(
        primary,
        &[(AES_ID, Suite::Aes, root(Suite::Aes)), (SM_ID, Suite::Sm, root(Suite::Sm))],
    )
    .unwrap()
}

fn hexs(b: &[u8]) -> String {
    hex::encode(b)
}

struct Case {
    name: &'static str,
    dataset: &'static str,
    field: &'static str,
    record: Option<&'static [u8]>,
    plaintext: Vec<u8>,
    padding: Padding,
}

fn cases(deterministic: bool) -> Vec<Case> {
    let c = |name, dataset, field, record, plaintext: &[u8], padding| Case {
        name,
        dataset,
        field,
        record: if deterministic { None } else { record },
        plaintext: plaintext.to_vec(),
        padding,
    };
    let hundred: Vec<u8> = (0..100).collect();
    let none = Padding::None;
    vec![
        c("empty value", "tax-2026", "id_number", None, b"", none),
        c(
            "resident id, bound to a record",
            "tax-2026",
            "id_number",
            Some(&b"row-0001"[..]),
            b"110101199003074578",
            none,
        ),
        c("utf-8 name, empty record id", "health-2026", "name", Some(&b""[..]), "张三".as_bytes(), none),
        c("100 bytes, one block boundary crossed", "tax-2026", "notes", None, &hundred, none),
        // Format version 2 (padded): case index 4 is the sample for the negative vectors.
        c("padded to a 32-byte block, empty value", "tax-2026", "id_number", None, b"", Padding::Block(32)),
        c(
            "padded to a 32-byte block, 32 bytes (two blocks)",
            "tax-2026",
            "address",
            Some(&b"row-0001"[..]),
            &[0x41; 32],
            Padding::Block(32),
        ),
        c("padme, 100 bytes", "tax-2026", "notes", Some(&b"row-0002"[..]), &hundred, Padding::Padme),
        c(
            "padme, 2 bytes (padme adds only the marker)",
            "health-2026",
            "name",
            None,
            "张".as_bytes()[..2].as_ref(),
            Padding::Padme,
        ),
    ]
}

fn one(alg: Algorithm, nonce_seed: u8, case: &Case) -> (Value, Vec<u8>) {
    let det = alg.is_deterministic();
    let id = if alg.suite() == Suite::Aes { AES_ID } else { SM_ID };
    let ks = keyset(id);
    let sealer = Sealer::with_padding(&ks, case.dataset, case.field, det, case.padding).unwrap();
    let nonce: Vec<u8> =
        if det { vec![] } else { (0..12).map(|i| nonce_seed.wrapping_mul(16).wrapping_add(i)).collect() };
    let mut ct = Vec::new();
    sealer.batch().seal_into(case.record, &nonce, &case.plaintext, &mut ct).unwrap();
    let aad = format::associated_data(format::inspect(&ct).unwrap(), case.dataset, case.field, case.record).unwrap();
    let key_use = if det { KeyUse::Deterministic } else { KeyUse::Randomized };
    let ctx = DerivationContext::Field { dataset: case.dataset, field: case.field };
    let (_, key) = ks.derive(id, key_use, ctx).unwrap();
    let v = json!({
        "name": format!("{}: {}", alg.name(), case.name),
        "scheme": if det { "deterministic" } else { "randomized" },
        "algorithm": alg.name(),
        "key_id": id,
        "dataset": case.dataset,
        "field": case.field,
        "record": case.record.map(hexs),
        "plaintext": hexs(&case.plaintext),
        "padding": case.padding.to_string(),
        "padded_length": case.padding.padded_len(case.plaintext.len()),
        "nonce": if det { Value::Null } else { json!(hexs(&nonce)) },
        "derived_key": hexs(key.expose()),
        "aad": hexs(&aad),
        "ciphertext": hexs(&ct),
        "text": format::to_text(&ct),
    });
    (v, ct)
}

#[allow(clippy::too_many_arguments)] // one column per vector field, test-only
fn invalid(
    name: &str,
    scheme: &str,
    dataset: &str,
    field: &str,
    record: Option<&[u8]>,
    input: Result<&[u8], &str>,
    error: ErrorKind,
    offset: Option<u64>,
) -> Value {
    let (ciphertext, text) = match input {
        Ok(bin) => (json!(hexs(bin)), Value::Null),
        Err(text) => (Value::Null, json!(text)),
    };
    json!({
        "name": name, "scheme": scheme, "dataset": dataset, "field": field, "record": record.map(hexs),
        "ciphertext": ciphertext, "text": text, "error": error.name(), "error_code": error.code(), "offset": offset,
    })
}

pub(crate) fn generate() -> Value {
    let mut valid = Vec::new();
    let mut samples = std::collections::HashMap::new();
    for alg in Algorithm::ALL {
        for (i, case) in cases(alg.is_deterministic()).iter().enumerate() {
            let (v, ct) = one(alg, i as u8 + 1, case);
            valid.push(v);
            samples.insert((alg, i), ct);
        }
    }
    // Negative vectors, all against the valid vector "resident id" (case 1).
    use ErrorKind::*;
    let gcm = &samples[&(Algorithm::Aes256Gcm, 1)];
    let siv = &samples[&(Algorithm::Aes256Siv, 1)];
    let siv32 = &samples[&(Algorithm::Aes256Siv, 4)];
    let non_canonical = {
        // An authentic SIV ciphertext whose body is a value of 0 bytes padded to two blocks of 32.
        let ks = keyset(AES_ID);
        let sealer = Sealer::with_padding(&ks, "tax-2026", "id_number", true, Padding::Block(32)).unwrap();
        let k = &sealer.keys[0];
        let mut body = vec![0u8; 64];
        body[0] = padding::MARKER;
        let tag = k.aead.session(&k.aad).seal(&[], &k.aad_no_record, &mut body).unwrap();
        [&k.aad[..k.header.encoded_len()], &tag[..], &body].concat()
    };
    let rec = Some(&b"row-0001"[..]);
    let edit = |ct: &[u8], at: usize, f: &dyn Fn(u8) -> u8| {
        let mut c = ct.to_vec();
        c[at] = f(c[at]);
        c
    };
    let (r, d) = ("randomized", "deterministic");
    let (ds, fd) = ("tax-2026", "id_number");
    let gcm_text = format::to_text(gcm);
    let mut sm_id = gcm.clone();
    sm_id[2..6].copy_from_slice(&SM_ID.to_be_bytes());
    let mut unknown = gcm.clone();
    unknown[2..6].copy_from_slice(&0x99u32.to_be_bytes());
    let last = gcm.len() - 1;
    let invalid = vec![
        invalid("moved to another record", r, ds, fd, Some(b"row-0002"), Ok(gcm), AuthenticationFailed, None),
        invalid("record binding removed", r, ds, fd, None, Ok(gcm), AuthenticationFailed, None),
        invalid("moved to another field", r, ds, "name", rec, Ok(gcm), AuthenticationFailed, None),
        invalid("moved to another dataset", r, "tax-2027", fd, rec, Ok(gcm), AuthenticationFailed, None),
        invalid("last tag bit flipped", r, ds, fd, rec, Ok(&edit(gcm, last, &|b| b ^ 1)), AuthenticationFailed, None),
        invalid("nonce bit flipped", r, ds, fd, rec, Ok(&edit(gcm, 6, &|b| b ^ 0x80)), AuthenticationFailed, None),
        invalid("one byte appended", r, ds, fd, rec, Ok(&[gcm.as_slice(), &[0]].concat()), AuthenticationFailed, None),
        invalid("version byte 3", r, ds, fd, rec, Ok(&edit(gcm, 0, &|_| 3)), UnsupportedVersion, Some(0)),
        invalid("algorithm byte 0x09", r, ds, fd, rec, Ok(&edit(gcm, 1, &|_| 9)), UnsupportedAlgorithm, Some(1)),
        invalid(
            "algorithm changed to SM4-GCM under an AES key",
            r,
            ds,
            fd,
            rec,
            Ok(&edit(gcm, 1, &|_| 2)),
            UnsupportedAlgorithm,
            Some(1),
        ),
        invalid("key id changed to the SM4 version", r, ds, fd, rec, Ok(&sm_id), UnsupportedAlgorithm, Some(1)),
        invalid("unknown key id", r, ds, fd, rec, Ok(&unknown), UnknownKey, Some(2)),
        invalid(
            "deterministic ciphertext to a randomized cipher",
            r,
            ds,
            fd,
            None,
            Ok(siv),
            UnsupportedAlgorithm,
            Some(1),
        ),
        invalid("truncated inside the key id", r, ds, fd, rec, Ok(&gcm[..4]), MalformedCiphertext, Some(4)),
        invalid("shorter than nonce and tag", r, ds, fd, rec, Ok(&gcm[..33]), MalformedCiphertext, Some(33)),
        invalid("empty", r, ds, fd, rec, Ok(&[]), MalformedCiphertext, Some(0)),
        invalid(
            "text: wrong prefix",
            r,
            ds,
            fd,
            rec,
            Err(&gcm_text.replacen("ps1:", "ps2:", 1)),
            MalformedCiphertext,
            Some(2),
        ),
        invalid(
            "text: padded base64",
            r,
            ds,
            fd,
            rec,
            Err(&format!("ps1:{}", base64_padded(gcm))),
            MalformedCiphertext,
            None,
        ),
        invalid(
            "text: standard base64 alphabet character",
            r,
            ds,
            fd,
            rec,
            Err(&format!("{}+", &gcm_text[..gcm_text.len() - 1])),
            MalformedCiphertext,
            Some(gcm_text.len() as u64 - 1),
        ),
        invalid("SIV bit flipped", d, ds, fd, None, Ok(&edit(siv, 6, &|b| b ^ 1)), AuthenticationFailed, None),
        invalid("deterministic, moved to another field", d, ds, "name", None, Ok(siv), AuthenticationFailed, None),
        invalid(
            "deterministic, algorithm changed to SM4-SIV",
            d,
            ds,
            fd,
            None,
            Ok(&edit(siv, 1, &|_| 4)),
            UnsupportedAlgorithm,
            Some(1),
        ),
        invalid(
            "randomized ciphertext to a deterministic cipher",
            d,
            ds,
            fd,
            None,
            Ok(gcm),
            UnsupportedAlgorithm,
            Some(1),
        ),
        invalid("shorter than the synthetic IV", d, ds, fd, None, Ok(&siv[..21]), MalformedCiphertext, Some(21)),
        invalid(
            "padded: reserved padding value 1",
            d,
            ds,
            fd,
            None,
            Ok(&edit(siv32, 7, &|_| 1)),
            MalformedCiphertext,
            Some(6),
        ),
        invalid(
            "padded: block above 4096",
            d,
            ds,
            fd,
            None,
            Ok(&edit(siv32, 6, &|_| 0x10)),
            MalformedCiphertext,
            Some(6),
        ),
        invalid(
            "padded: body not a whole number of blocks",
            d,
            ds,
            fd,
            None,
            Ok(&siv32[..siv32.len() - 1]),
            MalformedCiphertext,
            Some(siv32.len() as u64 - 1),
        ),
        invalid(
            "padded: block changed to 16 (authenticated)",
            d,
            ds,
            fd,
            None,
            Ok(&edit(siv32, 7, &|_| 16)),
            AuthenticationFailed,
            None,
        ),
        invalid(
            "padded: version byte changed to 1",
            d,
            ds,
            fd,
            None,
            Ok(&edit(siv32, 0, &|_| 1)),
            AuthenticationFailed,
            None,
        ),
        invalid(
            "padded: a whole extra block of padding inside",
            d,
            ds,
            fd,
            None,
            Ok(&non_canonical),
            MalformedCiphertext,
            None,
        ),
        invalid(
            "text: version 2 under the ps1: prefix",
            d,
            ds,
            fd,
            None,
            Err(&format::to_text(siv32).replacen("ps2:", "ps1:", 1)),
            MalformedCiphertext,
            Some(2),
        ),
    ];
    json!({
        "description": "privshare field ciphertext test vectors; see docs/formats/field-ciphertext.md. Build a keyset holding both keys (enabled) with the vector's key_id as primary (for invalid vectors any primary), then a randomized or deterministic cipher for (dataset, field). Valid vectors: decrypting ciphertext (binary) and text (text form) with record gives plaintext; encrypting deterministic vectors with the vector's padding gives ciphertext exactly; derived_key, aad and padded_length are intermediate values. Invalid vectors: decrypting ciphertext (binary) or text (text form) fails with error / error_code and, where given, the byte offset (for text input: the character offset).",
        "version": 1,
        "keys": [
            {"key_id": AES_ID, "suite": "aes", "root_key": hexs(&root(Suite::Aes))},
            {"key_id": SM_ID, "suite": "sm", "root_key": hexs(&root(Suite::Sm))},
        ],
        "valid": valid,
        "invalid": invalid,
    })
}

fn base64_padded(b: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE.encode(b)
}

/// Builds `tests/vectors/field-ciphertext.json` from fixed root keys and fixed nonces, and checks
/// the committed file against it. `PRIVSHARE_WRITE_VECTORS=1 cargo test --lib vector_file`
/// rewrites the file (only ever needed if the format changes, which needs a new version).
#[test]
fn vector_file() {
    let generated = generate();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/field-ciphertext.json");
    if std::env::var_os("PRIVSHARE_WRITE_VECTORS").is_some() {
        std::fs::write(path, serde_json::to_string_pretty(&generated).unwrap() + "\n").unwrap();
    }
    let committed: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(committed, generated, "tests/vectors/field-ciphertext.json is out of date");
}
