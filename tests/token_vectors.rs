//! Generator of `tests/vectors/fle/token.json` (fixed root keys), from the public API and
//! `hazmat::derive_key` for the intermediate derived keys; checks the committed file.

use privshare::fle::Tokenizer;
use privshare::hazmat;
use privshare::keys::{DerivationContext, KeyUse};
use privshare::{KeyId, Keyset, Suite};
use serde_json::json;

/// Builds `tests/vectors/fle/token.json` (fixed root keys) and checks the committed file;
/// `PRIVSHARE_WRITE_VECTORS=1` rewrites it.
#[test]
fn token_vector_file() {
    let keys: [(KeyId, Suite, [u8; 32]); 2] = [
        (0x0102_0304, Suite::Aes, std::array::from_fn(|i| i as u8)),
        (0x0a0b_0c0d, Suite::Sm, std::array::from_fn(|i| 0x40 + i as u8)),
    ];
    let mut valid = Vec::new();
    for (id, suite, _) in keys {
        let ks = Keyset::from_insecure_root_keys(id, &keys).unwrap();
        for (purpose, value) in [
            ("link-tax-health", &b"110101199003074578"[..]),
            ("link-tax-police", &b"110101199003074578"[..]),
            ("", "张三".as_bytes()),
            ("link-tax-health", &[0u8][..]),
        ] {
            let t = Tokenizer::new(&ks, purpose).unwrap();
            let (_, key) = hazmat::derive_key(&ks, id, KeyUse::Token, DerivationContext::Purpose(purpose)).unwrap();
            valid.push(json!({
                "key_id": id, "suite": suite.name(), "purpose": purpose, "value": hex::encode(value),
                "derived_key": hex::encode(key.expose()),
                "token": hex::encode(t.token(value).unwrap()), "text": t.token_text(value).unwrap(),
            }));
        }
    }
    let generated = json!({
        "description": "privshare linkage token vectors; see docs/formats/token.md. For each entry: build a keyset from keys with key_id as primary, a tokenizer for purpose; token(value) is token (hex) and text. An empty value must fail with empty_value (code 102).",
        "version": 1,
        "keys": keys.iter().map(|(id, suite, root)| json!({"key_id": id, "suite": suite.name(), "root_key": hex::encode(root)})).collect::<Vec<_>>(),
        "valid": valid,
        "invalid": [{"key_id": 0x0102_0304, "purpose": "link-tax-health", "value": "", "error": "empty_value", "error_code": 102}],
    });
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/fle/token.json");
    if std::env::var_os("PRIVSHARE_WRITE_VECTORS").is_some() {
        std::fs::write(path, serde_json::to_string_pretty(&generated).unwrap() + "\n").unwrap();
    }
    let committed: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(committed, generated, "tests/vectors/fle/token.json is out of date");
}
