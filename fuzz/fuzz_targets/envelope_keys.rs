//! The envelope module's other parsers: trust registry JSON, participant ids, public key ids and
//! signing / recipient keys in DER and PEM. The first byte picks the parser.
#![no_main]
use libfuzzer_sys::fuzz_target;
use privshare::envelope::{
    ParticipantId, PublicKeyId, RecipientKey, RecipientPublicKey, SigningKey, TrustRegistry, VerifyingKey,
};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, input)) = data.split_first() else { return };
    let text = std::str::from_utf8(input).ok();
    match (selector % 11, text) {
        (0, Some(t)) => drop(TrustRegistry::from_json(t).map(|r| r.to_json())),
        (1, Some(t)) => drop(ParticipantId::parse(t)),
        (2, Some(t)) => drop(PublicKeyId::from_hex(t)),
        (3, _) => drop(VerifyingKey::from_spki_der(input)),
        (4, Some(t)) => drop(VerifyingKey::from_spki_pem(t)),
        (5, _) => drop(SigningKey::from_pkcs8_der(input)),
        (6, Some(t)) => drop(SigningKey::from_pkcs8_pem(t)),
        (7, _) => drop(RecipientKey::from_pkcs8_der(input)),
        (8, Some(t)) => drop(RecipientKey::from_pkcs8_pem(t)),
        (9, _) => drop(RecipientPublicKey::from_spki_der(input)),
        (10, Some(t)) => drop(RecipientPublicKey::from_spki_pem(t)),
        _ => {}
    }
});
