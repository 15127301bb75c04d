//! The trust registry: which participant owns which signing keys, and when each key is valid.
//!
//! A verifier looks the sender's key up here by (participant, key id) and verifies with the
//! algorithm of the registered key; nothing in a message chooses the algorithm.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::identity::{PublicKeyId, VerifyingKey};
use super::participant::ParticipantId;
use crate::{Error, ErrorKind, Result};

/// Most keys one registry holds (a JSON registry is refused beyond it).
pub const REGISTRY_MAX_KEYS: usize = 100_000;

/// A registered signing key and its validity period, in Unix seconds: valid at `t` when
/// `not_before <= t` and (`not_after` is absent or `t < not_after`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegisteredKey {
    /// The key.
    pub key: VerifyingKey,
    /// First second of validity.
    pub not_before: u64,
    /// First second no longer valid; `None` for no end.
    pub not_after: Option<u64>,
}

impl RegisteredKey {
    /// True when the key is valid at `unix_seconds`.
    pub fn valid_at(&self, unix_seconds: u64) -> bool {
        self.not_before <= unix_seconds && self.not_after.is_none_or(|end| unix_seconds < end)
    }
}

/// Participants and their signing keys. Build it with [`TrustRegistry::add`] or load it from JSON.
#[derive(Clone, Debug, Default)]
pub struct TrustRegistry {
    participants: BTreeMap<ParticipantId, Vec<RegisteredKey>>,
    owners: HashMap<PublicKeyId, ParticipantId>,
}

impl TrustRegistry {
    /// An empty registry.
    pub fn new() -> TrustRegistry {
        TrustRegistry::default()
    }

    /// Registers `key` for `participant`, valid from `not_before` until `not_after` (exclusive,
    /// `None` for no end). A key belongs to one participant only; registering it again for the
    /// same participant replaces its validity period.
    pub fn add(
        &mut self,
        participant: ParticipantId,
        key: VerifyingKey,
        not_before: u64,
        not_after: Option<u64>,
    ) -> Result<()> {
        if not_after.is_some_and(|end| end <= not_before) {
            return Err(Error::new(ErrorKind::InvalidArgument, "a key's validity must end after it starts"));
        }
        let id = key.id();
        if let Some(owner) = self.owners.get(&id) {
            if *owner != participant {
                return Err(Error::new(
                    ErrorKind::InvalidArgument,
                    format!("key {id} is already registered for participant {owner}"),
                ));
            }
        } else if self.owners.len() >= REGISTRY_MAX_KEYS {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("a registry holds at most {REGISTRY_MAX_KEYS} keys"),
            ));
        }
        let keys = self.participants.entry(participant.clone()).or_default();
        keys.retain(|k| k.key.id() != id);
        keys.push(RegisteredKey { key, not_before, not_after });
        self.owners.insert(id, participant);
        Ok(())
    }

    /// The registered keys of `participant` (empty when unknown).
    pub fn keys(&self, participant: &ParticipantId) -> &[RegisteredKey] {
        self.participants.get(participant).map(Vec::as_slice).unwrap_or_default()
    }

    /// Every registered participant.
    pub fn participants(&self) -> impl Iterator<Item = &ParticipantId> {
        self.participants.keys()
    }

    /// The participant that owns the key `id`, if any.
    pub fn owner(&self, id: &PublicKeyId) -> Option<&ParticipantId> {
        self.owners.get(id)
    }

    /// The key `id` of `participant` if it is registered to it and valid at every one of `times`
    /// (Unix seconds); otherwise [`ErrorKind::UnknownSender`].
    pub fn signing_key(&self, participant: &ParticipantId, id: &PublicKeyId, times: &[u64]) -> Result<&VerifyingKey> {
        let Some(keys) = self.participants.get(participant) else {
            return Err(Error::new(ErrorKind::UnknownSender, format!("participant {participant} is not registered")));
        };
        let Some(entry) = keys.iter().find(|k| k.key.id() == *id) else {
            return Err(Error::new(
                ErrorKind::UnknownSender,
                format!("key {id} is not registered for participant {participant}"),
            ));
        };
        if let Some(t) = times.iter().find(|&&t| !entry.valid_at(t)) {
            return Err(Error::new(
                ErrorKind::UnknownSender,
                format!("key {id} of participant {participant} is not valid at {t} (Unix seconds)"),
            ));
        }
        Ok(&entry.key)
    }

    /// Verifies `signature` over `message` by key `id` of `participant`, valid at every one of
    /// `times`. Unknown participant or key, or a key outside its validity: [`ErrorKind::UnknownSender`];
    /// a wrong signature: [`ErrorKind::AuthenticationFailed`].
    pub fn verify(
        &self,
        participant: &ParticipantId,
        id: &PublicKeyId,
        times: &[u64],
        message: &[u8],
        signature: &[u8],
    ) -> Result<()> {
        self.signing_key(participant, id, times)?.verify(message, signature)
    }

    /// The registry as JSON (documented in `docs/formats/envelope.md`): public keys as PEM.
    pub fn to_json(&self) -> String {
        let doc = RegistryJson {
            version: 1,
            participants: self
                .participants
                .iter()
                .map(|(id, keys)| ParticipantJson {
                    id: id.clone(),
                    signing_keys: keys
                        .iter()
                        .map(|k| KeyJson {
                            public_key: k.key.to_spki_pem(),
                            not_before: k.not_before,
                            not_after: k.not_after,
                        })
                        .collect(),
                })
                .collect(),
        };
        serde_json::to_string_pretty(&doc).expect("a registry always serializes")
    }

    /// Loads a registry from its JSON form.
    pub fn from_json(json: &str) -> Result<TrustRegistry> {
        let malformed = |m: String| Error::new(ErrorKind::InvalidInput, format!("trust registry: {m}"));
        let doc: RegistryJson = serde_json::from_str(json).map_err(|e| {
            malformed(format!("not the documented JSON ({})", e.classify_name())).at_offset(e.column() as u64)
        })?;
        if doc.version != 1 {
            return Err(Error::new(ErrorKind::UnsupportedVersion, format!("trust registry version {}", doc.version)));
        }
        let mut registry = TrustRegistry::new();
        for p in doc.participants {
            if registry.participants.contains_key(&p.id) {
                return Err(malformed(format!("participant {} listed twice", p.id)));
            }
            for (i, k) in p.signing_keys.into_iter().enumerate() {
                let key = VerifyingKey::from_spki_pem(&k.public_key)
                    .map_err(|e| malformed(format!("participant {}, key {i}: {}", p.id, e.message())))?;
                registry.add(p.id.clone(), key, k.not_before, k.not_after)?;
            }
        }
        Ok(registry)
    }
}

trait ClassifyName {
    fn classify_name(&self) -> &'static str;
}

impl ClassifyName for serde_json::Error {
    fn classify_name(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "I/O",
            serde_json::error::Category::Syntax => "syntax error",
            serde_json::error::Category::Data => "unexpected field or value",
            serde_json::error::Category::Eof => "truncated",
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RegistryJson {
    version: u32,
    participants: Vec<ParticipantJson>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ParticipantJson {
    id: ParticipantId,
    signing_keys: Vec<KeyJson>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyJson {
    public_key: String,
    not_before: u64,
    #[serde(default)]
    not_after: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::super::identity::{SignatureAlgorithm, SigningKey};
    use super::*;

    fn pid(s: &str) -> ParticipantId {
        s.parse().unwrap()
    }

    #[test]
    fn lookups_check_owner_key_and_validity() {
        let key = SigningKey::generate(SignatureAlgorithm::Ed25519).unwrap();
        let mut reg = TrustRegistry::new();
        let tax = pid("CN/GOV/1/tax");
        reg.add(tax.clone(), key.verifying_key().clone(), 100, Some(200)).unwrap();
        let sig = key.sign(b"m").unwrap();
        reg.verify(&tax, &key.id(), &[100, 199], b"m", &sig).unwrap();
        let kind = |r: Result<()>| r.unwrap_err().kind();
        assert_eq!(kind(reg.verify(&tax, &key.id(), &[99], b"m", &sig)), ErrorKind::UnknownSender);
        assert_eq!(kind(reg.verify(&tax, &key.id(), &[150, 200], b"m", &sig)), ErrorKind::UnknownSender);
        assert_eq!(kind(reg.verify(&pid("CN/GOV/2/tax"), &key.id(), &[150], b"m", &sig)), ErrorKind::UnknownSender);
        assert_eq!(kind(reg.verify(&tax, &PublicKeyId([0; 32]), &[150], b"m", &sig)), ErrorKind::UnknownSender);
        assert_eq!(kind(reg.verify(&tax, &key.id(), &[150], b"x", &sig)), ErrorKind::AuthenticationFailed);
        // One key, one owner.
        let e = reg.add(pid("CN/GOV/2/tax"), key.verifying_key().clone(), 0, None).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        assert!(reg.add(tax.clone(), key.verifying_key().clone(), 5, Some(5)).is_err());
        assert_eq!(reg.owner(&key.id()), Some(&tax));
    }

    #[test]
    fn json_round_trip_and_strictness() {
        let mut reg = TrustRegistry::new();
        for (i, alg) in [SignatureAlgorithm::Ed25519, SignatureAlgorithm::EcdsaP256Sha256, SignatureAlgorithm::Sm2Sm3]
            .iter()
            .enumerate()
        {
            let key = SigningKey::generate(*alg).unwrap();
            reg.add(pid(&format!("CN/GOV/{i}/x")), key.verifying_key().clone(), 0, Some(10 + i as u64)).unwrap();
        }
        let json = reg.to_json();
        let again = TrustRegistry::from_json(&json).unwrap();
        assert_eq!(again.to_json(), json);
        assert_eq!(again.participants().count(), 3);
        assert!(TrustRegistry::from_json(&json.replace("\"version\": 1", "\"version\": 2")).is_err());
        assert!(TrustRegistry::from_json(&json.replace("\"not_before\"", "\"nb\"")).is_err());
        assert!(TrustRegistry::from_json(&json.replace("CN/GOV/0/x", "CN/GOV/0")).is_err());
    }
}
