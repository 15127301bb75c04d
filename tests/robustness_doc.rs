//! `docs/robustness.md` states every limit with its value and constant: each row must name a
//! constant listed here, with the constant's value, and each constant here must have its row. The
//! limits it states in prose (Argon2id caps, key versions) are checked by behaviour.

use privshare::keys::store::{Argon2Params, RawKek};
use privshare::keys::Keyset;
use privshare::suite::Suite;
use privshare::{anon, audit, envelope, fle, io, mask, policy, ErrorKind};

/// `(path, value)` of each constant, the path written once.
macro_rules! limits {
    ($($path:path),* $(,)?) => {
        vec![$((stringify!($path).replace(' ', ""), $path as u64)),*]
    };
}

fn constants() -> Vec<(String, u64)> {
    limits![
        mask::limits::MAX_RULE_JSON_BYTES,
        mask::limits::MAX_MASK_LENGTH,
        mask::limits::MAX_TEXT_BYTES,
        mask::limits::MAX_BUCKET_BOUNDS,
        mask::limits::MAX_REGEX_PATTERN_BYTES,
        mask::limits::MAX_REGEX_COMPILED_BYTES,
        mask::scan::MAX_SAMPLE_ROWS,
        mask::scan::MAX_SAMPLE_BYTES,
        io::csv::MAX_RECORD_BYTES,
        io::csv::MAX_COLUMNS,
        io::records::MAX_PARQUET_BATCH_BYTES,
        anon::spec::MAX_SPEC_BYTES,
        anon::MAX_HIERARCHY_HEIGHT,
        anon::MAX_HIERARCHY_CELLS,
        anon::MAX_LATTICE,
        anon::MAX_MODELS,
        anon::MAX_DISTINCT_COMBINATIONS,
        anon::MAX_COUNTED_RECORDS,
        fle::format::MAX_PLAINTEXT_LEN,
        fle::format::MAX_RECORD_LEN,
        fle::padding::MAX_BLOCK,
        envelope::MAX_HEADER_LEN,
        envelope::MAX_RECIPIENTS,
        envelope::MAX_EXTENSIONS,
        envelope::MAX_EXTENSION_LEN,
        envelope::MAX_TEXT_LEN,
        envelope::MAX_NAME_LEN,
        envelope::MAX_HASH_LEN,
        envelope::MAX_WRAPPED_KEY_LEN,
        envelope::MAX_SIGNATURE_LEN,
        envelope::MAX_CHUNK_SIZE,
        envelope::MAX_PAYLOAD_LEN,
        envelope::MAX_COLUMNS,
        audit::MAX_FRAME_BODY,
        audit::MAX_BATCH_RECORDS,
        audit::MAX_PARTICIPANT_LEN,
        audit::MAX_RECIPIENTS,
        audit::MAX_PURPOSE_LEN,
        audit::MAX_POLICY_ID_LEN,
        audit::MAX_RECORD_LEN,
        audit::MAX_GROUP_WRITE,
        policy::MAX_POLICY_BYTES,
        policy::MAX_POLICY_COLUMNS,
        policy::MAX_POLICY_RECIPIENTS,
        policy::MAX_PACKAGE_REPORT_BYTES,
        policy::CHUNK_ROWS,
    ]
}

/// `(constant, value)` of every table row `| what | 1,024 bytes | `path` |`.
fn doc_rows() -> Vec<(String, u64)> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/robustness.md")).unwrap();
    doc.lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.trim().trim_matches('|').split('|').map(str::trim).collect();
            let [_, value, constant] = cells[..] else { return None };
            let constant = constant.strip_prefix('`')?.strip_suffix('`')?;
            let digits: String = value.split(' ').next()?.chars().filter(|&c| c != ',').collect();
            Some((constant.to_string(), digits.parse().ok()?))
        })
        .collect()
}

#[test]
fn every_limit_in_the_doc_is_its_constant() {
    let rows = doc_rows();
    let constants = constants();
    for (name, value) in &rows {
        let found = constants.iter().find(|(n, _)| n == name);
        assert_eq!(found.map(|c| c.1), Some(*value), "docs/robustness.md row {name}");
    }
    for (name, _) in &constants {
        assert!(rows.iter().any(|(n, _)| n == name), "docs/robustness.md has no row for {name}");
    }
}

#[test]
fn argon2_caps_are_the_documented_ones() {
    assert_eq!(Argon2Params::DEFAULT_CAPS, Argon2Params::new(262_144, 8, 8).unwrap());
    assert!(Argon2Params::new(1_048_576, 16, 16).is_ok());
    for (m, t, p) in [(1_048_577, 1, 1), (65_536, 17, 1), (65_536, 1, 17)] {
        assert_eq!(Argon2Params::new(m, t, p).unwrap_err().kind(), ErrorKind::InvalidArgument);
    }
}

#[test]
fn a_stored_keyset_holds_at_most_1000_versions() {
    let kek = RawKek::new(&[7; 32]).unwrap();
    let mut ks = Keyset::generate(Suite::Aes).unwrap();
    for _ in 1..1000 {
        ks.rotate(Suite::Aes).unwrap();
    }
    let json = ks.to_json(&kek).unwrap();
    assert!(Keyset::from_json(&json, &kek).is_ok());
    ks.rotate(Suite::Aes).unwrap();
    let over = ks.to_json(&kek).map_or_else(|e| e, |json| Keyset::from_json(&json, &kek).unwrap_err());
    assert_eq!(over.kind(), ErrorKind::MalformedKeyset, "{over}");
}
