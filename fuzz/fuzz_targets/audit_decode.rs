//! The audit log's other decoders: a record's encoding and JSON forms, inclusion and consistency
//! proofs, signed tree heads. The first byte picks the decoder; a decoded record re-encodes to a
//! record that decodes the same.
#![no_main]
use libfuzzer_sys::fuzz_target;
use privshare::audit::{ConsistencyProof, InclusionProof, Record, SignedTreeHead};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, input)) = data.split_first() else { return };
    let text = std::str::from_utf8(input).ok();
    match (selector % 6, text) {
        (0, _) => {
            if let Ok(r) = Record::decode(input) {
                let again = Record::decode(&r.encode()).expect("an encoded record decodes");
                assert_eq!(again.encode(), r.encode());
            }
        }
        (1, Some(t)) => drop(Record::from_json(t).map(|r| r.to_json())),
        (2, Some(t)) => drop(Record::list_from_json(t)),
        (3, _) => drop(InclusionProof::decode(input)),
        (4, _) => drop(ConsistencyProof::decode(input)),
        (5, _) => {
            if let Ok(h) = SignedTreeHead::decode(input) {
                let _ = h.verify(&[privshare_fuzz::audit_verifier()]);
            }
        }
        _ => {}
    }
});
