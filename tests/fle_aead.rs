//! Randomized and deterministic field encryption and tokens, through the public API only:
//! the committed vector file, property tests, tampering, garbage input, rotation and batches.

use privshare::fle::format::{self, Algorithm};
use privshare::fle::{DeterministicCipher, Encoding, FieldCipher, Padding, RandomizedCipher, Tokenizer};
use privshare::{ErrorKind, KeyId, Keyset, Suite};
use privshare::{OnInvalid, Packed, Values};
use proptest::prelude::*;
use serde_json::Value;

const AES_ID: KeyId = 0x0102_0304;

fn vectors() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/field-ciphertext.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn unhex(v: &Value) -> Option<Vec<u8>> {
    v.as_str().map(|s| hex::decode(s).unwrap())
}

/// The vector file's keyset with `primary` as primary.
fn vector_keyset(v: &Value, primary: KeyId) -> Keyset {
    let keys: Vec<(KeyId, Suite, [u8; 32])> = v["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            let suite = k["suite"].as_str().unwrap().parse().unwrap();
            let root: [u8; 32] = unhex(&k["root_key"]).unwrap().try_into().unwrap();
            (k["key_id"].as_u64().unwrap() as KeyId, suite, root)
        })
        .collect();
    Keyset::from_insecure_root_keys(primary, &keys).unwrap()
}

#[test]
fn vector_file_valid_cases_decrypt_and_deterministic_ones_reproduce() {
    let v = vectors();
    let valid = v["valid"].as_array().unwrap();
    let mut seen = std::collections::HashSet::new();
    for t in valid {
        let name = t["name"].as_str().unwrap();
        let ks = vector_keyset(&v, t["key_id"].as_u64().unwrap() as KeyId);
        let (dataset, field) = (t["dataset"].as_str().unwrap(), t["field"].as_str().unwrap());
        let record = unhex(&t["record"]);
        let pt = unhex(&t["plaintext"]).unwrap();
        let ct = unhex(&t["ciphertext"]).unwrap();
        let text = t["text"].as_str().unwrap();
        let header = format::inspect(&ct).unwrap();
        seen.insert(header.algorithm);
        assert_eq!(header.algorithm.name(), t["algorithm"].as_str().unwrap(), "{name}");
        let aad = format::associated_data(header, dataset, field, record.as_deref()).unwrap();
        assert_eq!(Some(aad), unhex(&t["aad"]), "{name}");
        assert_eq!(format::to_text(&ct), text, "{name}");
        let padding = Padding::parse(t["padding"].as_str().unwrap()).unwrap();
        assert_eq!(header.padding, padding, "{name}");
        assert_eq!(ct.len(), header.ciphertext_len(pt.len()), "{name}");
        assert_eq!(padding.padded_len(pt.len()) as u64, t["padded_length"].as_u64().unwrap(), "{name}");
        if t["scheme"] == "randomized" {
            // Any cipher of the column decrypts any padding.
            let c = RandomizedCipher::new(&ks, dataset, field).unwrap();
            assert_eq!(c.decrypt(record.as_deref(), &ct).unwrap(), pt, "{name}");
            assert_eq!(c.decrypt_text(record.as_deref(), text).unwrap(), pt, "{name}");
            let at = header.encoded_len();
            assert_eq!(unhex(&t["nonce"]).unwrap(), ct[at..at + 12], "{name}");
            let p = RandomizedCipher::with_padding(&ks, dataset, field, padding).unwrap();
            assert_eq!(p.encrypt(record.as_deref(), &pt).unwrap().len(), ct.len(), "{name}");
        } else {
            let c = DeterministicCipher::with_padding(&ks, dataset, field, padding).unwrap();
            assert_eq!(c.encrypt(&pt).unwrap(), ct, "{name}");
            assert_eq!(c.encrypt_text(&pt).unwrap(), text, "{name}");
            assert_eq!(c.decrypt_text(text).unwrap(), pt, "{name}");
        }
    }
    assert_eq!(seen.len(), 4, "every algorithm has vectors");
}

#[test]
fn vector_file_invalid_cases_fail_with_their_error() {
    let v = vectors();
    let ks = vector_keyset(&v, AES_ID);
    let invalid = v["invalid"].as_array().unwrap();
    assert!(invalid.len() >= 20);
    for t in invalid {
        let name = t["name"].as_str().unwrap();
        let (dataset, field) = (t["dataset"].as_str().unwrap(), t["field"].as_str().unwrap());
        let record = unhex(&t["record"]);
        let err = match (t["scheme"].as_str().unwrap(), unhex(&t["ciphertext"]), t["text"].as_str()) {
            ("randomized", Some(ct), _) => {
                RandomizedCipher::new(&ks, dataset, field).unwrap().decrypt(record.as_deref(), &ct).unwrap_err()
            }
            ("randomized", None, Some(text)) => {
                RandomizedCipher::new(&ks, dataset, field).unwrap().decrypt_text(record.as_deref(), text).unwrap_err()
            }
            ("deterministic", Some(ct), _) => {
                DeterministicCipher::new(&ks, dataset, field).unwrap().decrypt(&ct).unwrap_err()
            }
            ("deterministic", None, Some(text)) => {
                DeterministicCipher::new(&ks, dataset, field).unwrap().decrypt_text(text).unwrap_err()
            }
            other => panic!("bad vector {name}: {other:?}"),
        };
        assert_eq!(err.kind().name(), t["error"].as_str().unwrap(), "{name}: {err}");
        assert_eq!(u64::from(err.code()), t["error_code"].as_u64().unwrap(), "{name}");
        if let Some(off) = t["offset"].as_u64() {
            assert_eq!(err.position().offset, Some(off), "{name}: {err}");
        }
    }
}

fn keyset(suite: Suite) -> Keyset {
    Keyset::generate(suite).unwrap()
}

/// Every bit of `ct` flipped in turn must make `open` fail.
fn every_bit_flip_fails(ct: &[u8], open: impl Fn(&[u8]) -> Result<Vec<u8>, privshare::Error>) {
    for i in 0..ct.len() * 8 {
        let mut bad = ct.to_vec();
        bad[i / 8] ^= 1 << (i % 8);
        assert!(open(&bad).is_err(), "flipping bit {i} was not detected");
    }
}

fn paddings() -> impl Strategy<Value = Padding> {
    prop_oneof![Just(Padding::None), Just(Padding::Padme), (2u16..=4096).prop_map(|b| Padding::block(b).unwrap())]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Padded ciphertexts round trip, one value and a column, in both encodings, and their length
    /// is the value's bucket: the padded length plus the scheme's constant overhead.
    #[test]
    fn padded_lengths_fall_in_their_buckets(sm in any::<bool>(), padding in paddings(),
                                            values in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..300), 1..6)) {
        let ks = keyset(if sm { Suite::Sm } else { Suite::Aes });
        let r = RandomizedCipher::with_padding(&ks, "ds", "f", padding).unwrap();
        let d = DeterministicCipher::with_padding(&ks, "ds", "f", padding).unwrap();
        let header = if padding == Padding::None { format::HEADER_LEN } else { format::PADDED_HEADER_LEN };
        for v in &values {
            let bucket = padding.padded_len(v.len());
            let ct = r.encrypt(Some(b"row"), v).unwrap();
            prop_assert_eq!(ct.len(), header + 12 + bucket + 16);
            prop_assert_eq!(r.decrypt(Some(b"row"), &ct).unwrap(), v.clone());
            let dct = d.encrypt(v).unwrap();
            prop_assert_eq!(dct.len(), header + 16 + bucket);
            prop_assert_eq!(d.decrypt(&dct).unwrap(), v.clone());
            // What the bucket promises.
            match padding {
                Padding::None => prop_assert_eq!(bucket, v.len()),
                Padding::Block(b) => prop_assert!(bucket % usize::from(b) == 0 && bucket > v.len() && bucket <= v.len() + usize::from(b)),
                _ => prop_assert!(bucket > v.len() && (bucket - v.len() - 1) as f64 <= 0.12 * (v.len() + 1) as f64),
            }
            // An unpadded cipher of the column decrypts padded ciphertexts too.
            prop_assert_eq!(DeterministicCipher::new(&ks, "ds", "f").unwrap().decrypt(&dct).unwrap(), v.clone());
        }
        let refs: Vec<&[u8]> = values.iter().map(|v| v.as_slice()).collect();
        for enc in [Encoding::Binary, Encoding::Text] {
            let ct = r.encrypt_column(&refs, None, enc, OnInvalid::Error).unwrap();
            let back = r.decrypt_column(&ct_values(&ct), None, enc, OnInvalid::Error).unwrap();
            prop_assert_eq!(back.iter().collect::<Vec<_>>(), refs.clone());
            let dct = d.encrypt_column(&refs, None, enc, OnInvalid::Error).unwrap();
            let back = d.decrypt_column(&ct_values(&dct), None, enc, OnInvalid::Error).unwrap();
            prop_assert_eq!(back.iter().collect::<Vec<_>>(), refs.clone());
            if enc == Encoding::Text && padding != Padding::None {
                prop_assert!(dct.get_str(0).unwrap().starts_with("ps2:"));
            }
        }
    }

    #[test]
    fn randomized_round_trip(sm in any::<bool>(), pt in prop::collection::vec(any::<u8>(), 0..80),
                             record in prop::option::of(prop::collection::vec(any::<u8>(), 0..20))) {
        let ks = keyset(if sm { Suite::Sm } else { Suite::Aes });
        let c = RandomizedCipher::new(&ks, "ds", "f").unwrap();
        let r = record.as_deref();
        let ct = c.encrypt(r, &pt).unwrap();
        prop_assert_eq!(ct.len(), format::HEADER_LEN + 12 + pt.len() + 16);
        prop_assert_eq!(c.decrypt(r, &ct).unwrap(), pt.clone());
        let text = c.encrypt_text(r, &pt).unwrap();
        prop_assert_eq!(c.decrypt_text(r, &text).unwrap(), pt.clone());
        prop_assert_ne!(c.encrypt(r, &pt).unwrap(), ct, "randomized: two encryptions differ");
    }

    #[test]
    fn deterministic_round_trip_and_determinism(sm in any::<bool>(), pt in prop::collection::vec(any::<u8>(), 0..80)) {
        let ks = keyset(if sm { Suite::Sm } else { Suite::Aes });
        let c = DeterministicCipher::new(&ks, "ds", "f").unwrap();
        let ct = c.encrypt(&pt).unwrap();
        prop_assert_eq!(ct.len(), format::HEADER_LEN + 16 + pt.len());
        prop_assert_eq!(&c.encrypt(&pt).unwrap(), &ct);
        // A second cipher over the same keyset and context agrees; other contexts do not.
        prop_assert_eq!(&DeterministicCipher::new(&ks, "ds", "f").unwrap().encrypt(&pt).unwrap(), &ct);
        prop_assert_ne!(&DeterministicCipher::new(&ks, "ds", "g").unwrap().encrypt(&pt).unwrap(), &ct);
        prop_assert_ne!(&DeterministicCipher::new(&ks, "ds2", "f").unwrap().encrypt(&pt).unwrap(), &ct);
        prop_assert_eq!(c.decrypt(&ct).unwrap(), pt.clone());
        prop_assert_eq!(c.decrypt_text(&c.encrypt_text(&pt).unwrap()).unwrap(), pt);
    }

    #[test]
    fn garbage_is_an_error_never_a_panic(bytes in prop::collection::vec(any::<u8>(), 0..120), text in ".{0,80}") {
        for suite in Suite::ALL {
            let ks = keyset(suite);
            let r = RandomizedCipher::new(&ks, "d", "f").unwrap();
            let d = DeterministicCipher::new(&ks, "d", "f").unwrap();
            prop_assert!(r.decrypt(None, &bytes).is_err());
            prop_assert!(d.decrypt(&bytes).is_err());
            prop_assert!(r.decrypt_text(None, &text).is_err());
            prop_assert!(d.decrypt_text(&text).is_err());
            let prefixed = format!("ps1:{text}");
            prop_assert!(r.decrypt_text(Some(b"x"), &prefixed).is_err());
            prop_assert!(d.decrypt_text(&prefixed).is_err());
            // Garbage behind a valid header for this keyset reaches the AEAD and fails there.
            let mut framed = vec![1, 1, 0, 0, 0, 0];
            framed[1] = Algorithm::for_suite(suite, false).id();
            framed[2..6].copy_from_slice(&ks.primary_id().to_be_bytes());
            framed.extend_from_slice(&bytes);
            let e = r.decrypt(None, &framed).unwrap_err().kind();
            prop_assert!(matches!(e, ErrorKind::AuthenticationFailed | ErrorKind::MalformedCiphertext), "{:?}", e);
        }
    }
}

#[test]
fn every_flipped_bit_fails_for_every_algorithm() {
    for suite in Suite::ALL {
        let ks = keyset(suite);
        let r = RandomizedCipher::new(&ks, "d", "f").unwrap();
        let d = DeterministicCipher::new(&ks, "d", "f").unwrap();
        for pt in [&b""[..], b"x", b"0123456789abcdef0123"] {
            every_bit_flip_fails(&r.encrypt(Some(b"rec"), pt).unwrap(), |c| r.decrypt(Some(b"rec"), c));
            every_bit_flip_fails(&d.encrypt(pt).unwrap(), |c| d.decrypt(c));
        }
    }
}

#[test]
fn context_and_key_binding() {
    for suite in Suite::ALL {
        let ks = keyset(suite);
        let c = RandomizedCipher::new(&ks, "d", "f").unwrap();
        let ct = c.encrypt(Some(b"r1"), b"secret").unwrap();
        let auth = |res: privshare::Result<Vec<u8>>| res.unwrap_err().kind() == ErrorKind::AuthenticationFailed;
        assert!(auth(c.decrypt(Some(b"r2"), &ct)));
        assert!(auth(c.decrypt(None, &ct)));
        assert!(auth(c.decrypt(Some(b"r1\0"), &ct)));
        assert!(auth(RandomizedCipher::new(&ks, "d", "g").unwrap().decrypt(Some(b"r1"), &ct)));
        assert!(auth(RandomizedCipher::new(&ks, "e", "f").unwrap().decrypt(Some(b"r1"), &ct)));
        // Same key id, different root key: the wrong key.
        let id = ks.primary_id();
        let other = Keyset::from_insecure_root_keys(id, &[(id, suite, [9; 32])]).unwrap();
        assert!(auth(RandomizedCipher::new(&other, "d", "f").unwrap().decrypt(Some(b"r1"), &ct)));
        let dct = DeterministicCipher::new(&ks, "d", "f").unwrap().encrypt(b"secret").unwrap();
        assert!(auth(DeterministicCipher::new(&other, "d", "f").unwrap().decrypt(&dct)));
        // Another keyset (other random id): unknown key.
        let stranger = keyset(suite);
        let e = RandomizedCipher::new(&stranger, "d", "f").unwrap().decrypt(Some(b"r1"), &ct).unwrap_err();
        assert_eq!((e.kind(), e.position().offset), (ErrorKind::UnknownKey, Some(2)));
        // Messages never carry the plaintext.
        assert!(!format!("{e} {e:?}").contains("secret"));
        assert_eq!(c.context(Some(b"r1")), privshare::FieldContext::new("d", "f").with_record(b"r1"));
    }
}

#[test]
fn empty_values_are_encrypted_and_hidden() {
    for suite in Suite::ALL {
        let ks = keyset(suite);
        let r = RandomizedCipher::new(&ks, "d", "f").unwrap();
        let d = DeterministicCipher::new(&ks, "d", "f").unwrap();
        assert_eq!(r.decrypt(None, &r.encrypt(None, b"").unwrap()).unwrap(), b"");
        let e = d.encrypt(b"").unwrap();
        assert_eq!(d.decrypt(&e).unwrap(), b"");
        assert_ne!(e, d.encrypt(b"\0").unwrap());
    }
}

#[test]
fn length_limits() {
    let ks = keyset(Suite::Aes);
    let r = RandomizedCipher::new(&ks, "d", "f").unwrap();
    let big = vec![0u8; format::MAX_PLAINTEXT_LEN + 1];
    assert_eq!(r.encrypt(None, &big).unwrap_err().kind(), ErrorKind::ValueTooLong);
    assert_eq!(
        DeterministicCipher::new(&ks, "d", "f").unwrap().encrypt(&big).unwrap_err().kind(),
        ErrorKind::ValueTooLong
    );
    assert_eq!(r.encrypt(Some(&vec![0; 65536]), b"x").unwrap_err().kind(), ErrorKind::ValueTooLong);
    let mut oversized = r.encrypt(None, b"x").unwrap();
    oversized.resize(Algorithm::Aes256Gcm.ciphertext_len(format::MAX_PLAINTEXT_LEN) + 1, 0);
    assert_eq!(r.decrypt(None, &oversized).unwrap_err().kind(), ErrorKind::MalformedCiphertext);
    let text = format!("ps1:{}", "A".repeat(format::MAX_PLAINTEXT_LEN * 2));
    assert_eq!(r.decrypt_text(None, &text).unwrap_err().kind(), ErrorKind::MalformedCiphertext);
    assert_eq!(RandomizedCipher::new(&ks, &"d".repeat(70_000), "f").unwrap_err().kind(), ErrorKind::InvalidArgument);
}

#[test]
fn rotation_and_key_states() {
    let mut ks = keyset(Suite::Aes);
    let v1 = ks.primary_id();
    let old = RandomizedCipher::new(&ks, "d", "f").unwrap();
    let old_det = DeterministicCipher::new(&ks, "d", "f").unwrap();
    let ct1 = old.encrypt(None, b"before").unwrap();
    let dct1 = old_det.encrypt(b"before").unwrap();
    let v2 = ks.rotate(Suite::Sm).unwrap();

    let new = RandomizedCipher::new(&ks, "d", "f").unwrap();
    let new_det = DeterministicCipher::new(&ks, "d", "f").unwrap();
    assert_eq!((new.primary_id(), new_det.primary_id()), (v2, v2));
    assert_eq!(new.decrypt(None, &ct1).unwrap(), b"before");
    assert_eq!(new_det.decrypt(&dct1).unwrap(), b"before");
    let ct2 = new.encrypt(None, b"after").unwrap();
    let h = format::inspect(&ct2).unwrap();
    assert_eq!((h.algorithm, h.key_id), (Algorithm::Sm4Gcm, v2));
    assert_eq!(format::inspect(&new_det.encrypt(b"x").unwrap()).unwrap().algorithm, Algorithm::Sm4Siv);
    // A cipher built before the rotation does not know v2.
    assert_eq!(old.decrypt(None, &ct2).unwrap_err().kind(), ErrorKind::UnknownKey);

    ks.disable(v1).unwrap();
    let kinds = |ks: &Keyset| {
        (
            RandomizedCipher::new(ks, "d", "f").unwrap().decrypt(None, &ct1).unwrap_err().kind(),
            DeterministicCipher::new(ks, "d", "f").unwrap().decrypt(&dct1).unwrap_err().kind(),
        )
    };
    assert_eq!(kinds(&ks), (ErrorKind::KeyDisabled, ErrorKind::KeyDisabled));
    ks.destroy(v1).unwrap();
    assert_eq!(kinds(&ks), (ErrorKind::KeyDestroyed, ErrorKind::KeyDestroyed));
    assert_eq!(RandomizedCipher::new(&ks, "d", "f").unwrap().decrypt(None, &ct2).unwrap(), b"after");
}

#[test]
fn columns_round_trip_in_both_encodings() {
    let data = b"alicebobcarol";
    let offsets = [0, 5, 5, 8, 13];
    let values = Packed::new(data, &offsets).unwrap();
    let records = ["r0", "r1", "r2", "r3"];
    for suite in Suite::ALL {
        let ks = keyset(suite);
        let r = RandomizedCipher::new(&ks, "d", "f").unwrap();
        let d = DeterministicCipher::new(&ks, "d", "f").unwrap();
        for enc in [Encoding::Binary, Encoding::Text] {
            let ct = r.encrypt_column(&values, Some(&records), enc, OnInvalid::Error).unwrap();
            assert_eq!(ct.len(), 4);
            let pt = r.decrypt_column(&ct_values(&ct), Some(&records), enc, OnInvalid::Error).unwrap();
            assert_eq!(pt.iter().collect::<Vec<_>>(), vec![&b"alice"[..], b"", b"bob", b"carol"]);
            // Single-value decryption agrees with the column form.
            let one = match enc {
                Encoding::Binary => r.decrypt(Some(b"r2"), ct.get(2).unwrap()).unwrap(),
                Encoding::Text => r.decrypt_text(Some(b"r2"), ct.get_str(2).unwrap()).unwrap(),
            };
            assert_eq!(one, b"bob");
            // Records out of order: the row that no longer matches is named.
            let swapped = ["r0", "r1", "r3", "r2"];
            let e = r.decrypt_column(&ct_values(&ct), Some(&swapped), enc, OnInvalid::Error).unwrap_err();
            assert_eq!((e.kind(), e.position().row), (ErrorKind::AuthenticationFailed, Some(2)));
            assert_eq!(e.position().column.as_deref(), Some("f"));

            let dct = d.encrypt_column(&values, None, enc, OnInvalid::Error).unwrap();
            assert_eq!(
                dct.get(0),
                Some(
                    match enc {
                        Encoding::Binary => d.encrypt(b"alice").unwrap(),
                        Encoding::Text => d.encrypt_text(b"alice").unwrap().into_bytes(),
                    }
                    .as_slice()
                )
            );
            let dpt = d.decrypt_column(&ct_values(&dct), None, enc, OnInvalid::Error).unwrap();
            assert_eq!(dpt.get(3), Some(&b"carol"[..]));
        }
        let e = r.encrypt_column(&values, Some(&["only-one"]), Encoding::Text, OnInvalid::Error).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        let bad = ["ps1:AQ==", "ps1:AAAA"];
        let e = d.decrypt_column(&bad, None, Encoding::Text, OnInvalid::Error).unwrap_err();
        assert_eq!((e.kind(), e.position().row), (ErrorKind::MalformedCiphertext, Some(0)));
        let e = r.decrypt_column(&["ps1:", "nope"], None, Encoding::Text, OnInvalid::Error).unwrap_err();
        assert_eq!((e.kind(), e.position().row), (ErrorKind::MalformedCiphertext, Some(0)));
    }
}

fn ct_values(c: &privshare::Column) -> Vec<Vec<u8>> {
    c.iter().map(<[u8]>::to_vec).collect()
}

#[test]
fn ciphers_are_shared_across_threads() {
    let ks = keyset(Suite::Aes);
    let r = RandomizedCipher::new(&ks, "d", "f").unwrap();
    let d = DeterministicCipher::new(&ks, "d", "f").unwrap();
    let t = Tokenizer::new(&ks, "p").unwrap();
    let expected = d.encrypt(b"v").unwrap();
    std::thread::scope(|s| {
        for i in 0..4u8 {
            let (r, d, t, expected) = (&r, &d, &t, &expected);
            s.spawn(move || {
                for j in 0..50u8 {
                    let v = [i, j];
                    assert_eq!(r.decrypt(None, &r.encrypt(None, &v).unwrap()).unwrap(), v);
                    assert_eq!(d.decrypt(&d.encrypt(&v).unwrap()).unwrap(), v);
                    assert_eq!(&d.encrypt(b"v").unwrap(), expected);
                    assert_eq!(t.token(&v).unwrap(), t.token(&v).unwrap());
                }
            });
        }
    });
}

#[test]
fn tokens_link_across_datasets_not_purposes() {
    let ks = keyset(Suite::Sm);
    let a = Tokenizer::new(&ks, "tax-health").unwrap();
    let col = a.encrypt_column(&["110101199003074578", "x"], None, Encoding::Text, OnInvalid::Error).unwrap();
    assert_eq!(col.get_str(0).unwrap(), a.token_text(b"110101199003074578").unwrap());
    let (id, tok) = Tokenizer::parse_text(col.get_str(1).unwrap()).unwrap();
    assert_eq!((id, tok), (ks.primary_id(), a.token(b"x").unwrap()));
    assert_ne!(Tokenizer::new(&ks, "tax-police").unwrap().token(b"x").unwrap(), tok);
    assert_eq!(a.token(b"").unwrap_err().kind(), ErrorKind::EmptyValue);
    let values: &dyn Values = &["a", "b"];
    assert_eq!(values.count(), 2);
}

/// `docs/formats/field-ciphertext.md` section 5: errors name at most the header fields (version,
/// algorithm, key id), never the nonce, body or tag, in binary or text form.
#[test]
fn errors_name_only_header_fields_of_a_ciphertext() {
    let ks = keyset(Suite::Aes);
    let r = RandomizedCipher::new(&ks, "d", "f").unwrap();
    let ct = r.encrypt(Some(b"rec"), b"a secret value of some length").unwrap();
    let text = privshare::fle::format::to_text(&ct);
    let mut inputs: Vec<Vec<u8>> = vec![ct.clone(), ct[..20].to_vec(), [&ct[..], &[0u8][..]].concat()];
    for at in [0, 1, 2, 7, 20, ct.len() - 1] {
        let mut c = ct.clone();
        c[at] ^= 0x5a;
        inputs.push(c);
    }
    let mut messages = Vec::new();
    for (i, c) in inputs.iter().enumerate() {
        let record: &[u8] = if i == 0 { b"other" } else { b"rec" };
        messages.push(r.decrypt(Some(record), c).unwrap_err().to_string());
        let t = privshare::fle::format::to_text(c);
        messages.push(r.decrypt_text(Some(record), &t).unwrap_err().to_string());
        messages.push(r.decrypt_text(Some(record), &format!("{t}!")).unwrap_err().to_string());
    }
    let hex: String = ct.iter().map(|b| format!("{b:02x}")).collect();
    // Any 8 characters of the secret parts (nonce, body, tag: from byte 6 on) in hex or base64url.
    let windows = |s: &str, from: usize| -> Vec<String> {
        (from..s.len().saturating_sub(8)).map(|i| s[i..i + 8].to_string()).collect()
    };
    let secret_parts: Vec<String> = [windows(&hex, 12), windows(&text, 4 + 8)].concat();
    for m in &messages {
        assert!(!secret_parts.iter().any(|w| m.contains(w.as_str())), "{m}");
        assert!(!m.contains("secret"), "{m}");
    }
    assert!(messages.len() > 20);
}
