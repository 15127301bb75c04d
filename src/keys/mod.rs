//! Keys and keysets: versions, rotation, derivation and (in [`store`]) wrapped storage.
//!
//! A [`Keyset`] holds key versions, each with a 32-bit id, a [`Suite`], a [`KeyStatus`], a
//! creation time and a 32-byte root key. One enabled version is the primary: new data is
//! encrypted under it. Older versions still decrypt as long as they are enabled. Callers never
//! see root keys or derived keys; they obtain ciphers from the keyset (see `privshare::fle`), which
//! derive per-context keys once.
//!
//! ```
//! use privshare::{Keyset, Suite};
//! let mut ks = Keyset::generate(Suite::Aes)?;
//! let first = ks.primary_id();
//! let second = ks.rotate(Suite::Sm)?;
//! assert_eq!(ks.primary_id(), second);
//! assert_ne!(first, second);
//! assert_eq!(ks.versions().len(), 2);
//! # Ok::<(), privshare::Error>(())
//! ```

mod derive;
pub(crate) mod mac;
mod secret;
pub mod store;

pub(crate) use derive::hkdf_expand;
pub use derive::{DerivationContext, KeyUse};
pub use secret::SecretBytes;

use crate::{Error, ErrorKind, Result, Suite};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Length of every root key.
pub const ROOT_KEY_LEN: usize = 32;

/// Identifier of a key version: unique within a keyset, never 0, written into every ciphertext.
pub type KeyId = u32;

/// Life-cycle state of a key version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyStatus {
    /// Usable: encrypts if primary, decrypts always.
    Enabled,
    /// Kept but refused for every operation until enabled again.
    Disabled,
    /// Material erased; the id is kept so that its ciphertexts get a clear error.
    Destroyed,
}

/// One version of a key.
#[derive(Clone)]
pub struct KeyVersion {
    id: KeyId,
    suite: Suite,
    status: KeyStatus,
    created_at: u64,
    root: Option<SecretBytes>,
}

impl KeyVersion {
    /// The version's id.
    pub fn id(&self) -> KeyId {
        self.id
    }
    /// The suite of every key derived from this version.
    pub fn suite(&self) -> Suite {
        self.suite
    }
    /// Enabled, disabled or destroyed.
    pub fn status(&self) -> KeyStatus {
        self.status
    }
    /// Creation time, seconds since the Unix epoch.
    pub fn created_at(&self) -> u64 {
        self.created_at
    }
    /// The root key, if not destroyed. Crate-internal: users never handle root keys.
    pub(crate) fn root(&self) -> Option<&SecretBytes> {
        self.root.as_ref()
    }
    pub(crate) fn from_parts(
        id: KeyId,
        suite: Suite,
        status: KeyStatus,
        created_at: u64,
        root: Option<SecretBytes>,
    ) -> KeyVersion {
        KeyVersion { id, suite, status, created_at, root }
    }
}

impl std::fmt::Debug for KeyVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyVersion")
            .field("id", &self.id)
            .field("suite", &self.suite)
            .field("status", &self.status)
            .field("created_at", &self.created_at)
            .field("root", &"[REDACTED]")
            .finish()
    }
}

type CacheKey = (KeyId, KeyUse, u8, String, String);

/// Derived keys are cached per keyset; the cache is bounded so that a caller deriving for many
/// contexts cannot grow memory without limit.
const CACHE_LIMIT: usize = 4096;

/// A set of key versions with one primary. `Send + Sync`: share it across threads behind an `Arc`
/// or a reference; mutate (rotate, disable, ...) through `&mut`.
///
/// Every change raises the keyset's [generation](Keyset::generation), which stored keysets
/// authenticate: a loader that knows the latest generation can refuse an older copy (see
/// [`store::LoadOptions::min_generation`]).
pub struct Keyset {
    versions: Vec<KeyVersion>,
    primary: KeyId,
    generation: u64,
    cache: Mutex<HashMap<CacheKey, Arc<SecretBytes>>>,
}

impl Clone for Keyset {
    fn clone(&self) -> Keyset {
        Keyset {
            versions: self.versions.clone(),
            primary: self.primary,
            generation: self.generation,
            cache: Mutex::default(),
        }
    }
}

impl std::fmt::Debug for Keyset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyset")
            .field("primary", &self.primary)
            .field("generation", &self.generation)
            .field("versions", &self.versions)
            .finish()
    }
}

fn now_secs() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

impl Keyset {
    /// A new keyset with one freshly generated, enabled, primary version of `suite`.
    /// Its [generation](Self::generation) is 1.
    pub fn generate(suite: Suite) -> Result<Keyset> {
        let mut ks = Keyset { versions: Vec::new(), primary: 0, generation: 1, cache: Mutex::default() };
        ks.primary = ks.add_version(suite, SecretBytes::random(ROOT_KEY_LEN)?)?;
        Ok(ks)
    }

    /// Builds a keyset from versions (used by [`store`]); checks every invariant.
    pub(crate) fn from_versions(versions: Vec<KeyVersion>, primary: KeyId, generation: u64) -> Result<Keyset> {
        let bad = |m: &str| Error::new(ErrorKind::MalformedKeyset, m.to_string());
        let mut ids = std::collections::HashSet::new();
        for v in &versions {
            if v.id == 0 || !ids.insert(v.id) {
                return Err(bad("key ids must be non-zero and unique"));
            }
            match (&v.root, v.status) {
                (None, KeyStatus::Destroyed) => {}
                (Some(r), KeyStatus::Enabled | KeyStatus::Disabled) if r.len() == ROOT_KEY_LEN => {}
                _ => return Err(bad("a destroyed version must have no key and every other version a 32-byte key")),
            }
        }
        match versions.iter().find(|v| v.id == primary) {
            Some(v) if v.status == KeyStatus::Enabled => {}
            _ => return Err(bad("the primary must name an enabled version")),
        }
        Ok(Keyset { versions, primary, generation, cache: Mutex::default() })
    }

    /// How many changes this keyset has seen: 1 when generated, raised by one by every successful
    /// [`rotate`](Self::rotate), [`set_primary`](Self::set_primary), [`disable`](Self::disable),
    /// [`enable`](Self::enable) and [`destroy`](Self::destroy). Stored keysets carry it,
    /// authenticated (0 for a keyset stored before format version 2). Record it after every save
    /// somewhere an attacker who can replace the keyset file cannot roll back (an audit log, a
    /// database), and demand it when loading ([`store::LoadOptions::min_generation`]).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Records a change (see [`generation`](Self::generation)).
    fn changed(&mut self) {
        self.generation = self.generation.saturating_add(1);
    }

    fn add_version(&mut self, suite: Suite, root: SecretBytes) -> Result<KeyId> {
        use ring::rand::SecureRandom;
        let rng = ring::rand::SystemRandom::new();
        let id = loop {
            let mut b = [0u8; 4];
            rng.fill(&mut b).map_err(|_| Error::new(ErrorKind::Internal, "system random generator failed"))?;
            let id = u32::from_be_bytes(b);
            if id != 0 && self.versions.iter().all(|v| v.id != id) {
                break id;
            }
        };
        self.versions.push(KeyVersion {
            id,
            suite,
            status: KeyStatus::Enabled,
            created_at: now_secs(),
            root: Some(root),
        });
        Ok(id)
    }

    /// Adds a new version of `suite` and makes it the primary. Older versions keep decrypting.
    pub fn rotate(&mut self, suite: Suite) -> Result<KeyId> {
        let id = self.add_version(suite, SecretBytes::random(ROOT_KEY_LEN)?)?;
        self.primary = id;
        self.changed();
        Ok(id)
    }

    /// Makes an enabled version the primary.
    pub fn set_primary(&mut self, id: KeyId) -> Result<()> {
        self.usable(id)?;
        self.primary = id;
        self.changed();
        Ok(())
    }

    /// Disables a version: it no longer decrypts until [`enable`](Self::enable)d. The primary cannot be
    /// disabled (rotate first).
    pub fn disable(&mut self, id: KeyId) -> Result<()> {
        self.refuse_primary(id, "disable")?;
        let v = self.version_mut(id)?;
        if v.status == KeyStatus::Destroyed {
            return Err(Error::new(ErrorKind::KeyDestroyed, format!("key version {id} is destroyed")));
        }
        v.status = KeyStatus::Disabled;
        self.clear_cache();
        self.changed();
        Ok(())
    }

    /// Enables a disabled version again.
    pub fn enable(&mut self, id: KeyId) -> Result<()> {
        let v = self.version_mut(id)?;
        if v.status == KeyStatus::Destroyed {
            return Err(Error::new(ErrorKind::KeyDestroyed, format!("key version {id} is destroyed")));
        }
        v.status = KeyStatus::Enabled;
        self.changed();
        Ok(())
    }

    /// Erases a version's key material for good. Its ciphertexts can never be decrypted again.
    /// The primary cannot be destroyed (rotate first).
    pub fn destroy(&mut self, id: KeyId) -> Result<()> {
        self.refuse_primary(id, "destroy")?;
        let v = self.version_mut(id)?;
        v.status = KeyStatus::Destroyed;
        v.root = None; // SecretBytes zeroizes on drop.
        self.clear_cache();
        self.changed();
        Ok(())
    }

    fn refuse_primary(&self, id: KeyId, what: &str) -> Result<()> {
        if id == self.primary {
            return Err(Error::new(
                ErrorKind::KeysetState,
                format!("cannot {what} the primary key version {id}; rotate first"),
            ));
        }
        Ok(())
    }

    fn version_mut(&mut self, id: KeyId) -> Result<&mut KeyVersion> {
        self.versions
            .iter_mut()
            .find(|v| v.id == id)
            .ok_or_else(|| Error::new(ErrorKind::UnknownKey, format!("no key version {id} in this keyset")))
    }

    fn clear_cache(&self) {
        self.cache.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    /// The primary version's id.
    pub fn primary_id(&self) -> KeyId {
        self.primary
    }

    /// The primary version.
    pub fn primary(&self) -> &KeyVersion {
        // Invariant (checked by every constructor and mutator): the primary exists.
        self.versions.iter().find(|v| v.id == self.primary).expect("keyset invariant: primary exists")
    }

    /// Every version, oldest first.
    pub fn versions(&self) -> &[KeyVersion] {
        &self.versions
    }

    /// The version `id` if it exists and is enabled; otherwise `UnknownKey`, `KeyDisabled` or
    /// `KeyDestroyed`.
    pub fn usable(&self, id: KeyId) -> Result<&KeyVersion> {
        let v = self
            .versions
            .iter()
            .find(|v| v.id == id)
            .ok_or_else(|| Error::new(ErrorKind::UnknownKey, format!("no key version {id} in this keyset")))?;
        match v.status {
            KeyStatus::Enabled => Ok(v),
            KeyStatus::Disabled => Err(Error::new(ErrorKind::KeyDisabled, format!("key version {id} is disabled"))),
            KeyStatus::Destroyed => Err(Error::new(ErrorKind::KeyDestroyed, format!("key version {id} is destroyed"))),
        }
    }

    /// The key for (`key_use`, `ctx`) under version `id`, derived once and then served from a cache.
    /// Returns the version's suite with it. Crate-internal: callers get ciphers, never keys (the
    /// derivation vectors are checked through [`hazmat::derive_key`](crate::hazmat::derive_key)).
    pub(crate) fn derive(
        &self,
        id: KeyId,
        key_use: KeyUse,
        ctx: DerivationContext<'_>,
    ) -> Result<(Suite, Arc<SecretBytes>)> {
        let v = self.usable(id)?;
        let root =
            v.root().ok_or_else(|| Error::new(ErrorKind::KeyDestroyed, format!("key version {id} is destroyed")))?;
        let (tag, a, b) = match ctx {
            DerivationContext::Field { dataset, field } => (1u8, dataset, field),
            DerivationContext::Purpose(p) => (2u8, p, ""),
        };
        let cache_key = (id, key_use, tag, a.to_string(), b.to_string());
        if let Some(k) = self.cache.lock().unwrap_or_else(|p| p.into_inner()).get(&cache_key) {
            return Ok((v.suite, Arc::clone(k)));
        }
        let key = Arc::new(derive::derive(root, v.suite, key_use, ctx)?);
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(cache_key, Arc::clone(&key));
        Ok((v.suite, key))
    }

    /// A keyset of enabled versions with the given root keys, for test vectors only: real keysets
    /// come from [`generate`](Self::generate) or wrapped storage. `primary` must be one of `versions`.
    #[doc(hidden)]
    pub fn from_insecure_root_keys(primary: KeyId, versions: &[(KeyId, Suite, [u8; ROOT_KEY_LEN])]) -> Result<Keyset> {
        let versions = versions
            .iter()
            .map(|(id, suite, root)| {
                KeyVersion::from_parts(*id, *suite, KeyStatus::Enabled, 0, Some(SecretBytes::from_slice(root)))
            })
            .collect();
        Keyset::from_versions(versions, primary, 1)
    }

    /// Every enabled version's id, primary first: what a column cipher derives keys for.
    pub fn enabled_ids(&self) -> Vec<KeyId> {
        let mut ids = vec![self.primary];
        ids.extend(
            self.versions.iter().filter(|v| v.status == KeyStatus::Enabled && v.id != self.primary).map(|v| v.id),
        );
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn life_cycle() {
        let mut ks = Keyset::generate(Suite::Aes).unwrap();
        let a = ks.primary_id();
        let b = ks.rotate(Suite::Sm).unwrap();
        assert_eq!(ks.primary().suite(), Suite::Sm);
        assert_eq!(ks.enabled_ids(), vec![b, a]);
        assert_eq!(ks.disable(b).unwrap_err().kind(), ErrorKind::KeysetState);
        ks.disable(a).unwrap();
        assert_eq!(ks.usable(a).unwrap_err().kind(), ErrorKind::KeyDisabled);
        ks.enable(a).unwrap();
        ks.usable(a).unwrap();
        ks.destroy(a).unwrap();
        // generate, then rotate, disable, enable, destroy: one each.
        assert_eq!(ks.generation(), 5);
        assert_eq!(ks.usable(a).unwrap_err().kind(), ErrorKind::KeyDestroyed);
        assert_eq!(ks.enable(a).unwrap_err().kind(), ErrorKind::KeyDestroyed);
        assert_eq!(ks.usable(12345).unwrap_err().kind(), ErrorKind::UnknownKey);
        assert_eq!(ks.set_primary(a).unwrap_err().kind(), ErrorKind::KeyDestroyed);
        assert_eq!(ks.generation(), 5, "failed changes leave the generation alone");
        ks.set_primary(b).unwrap();
        assert_eq!(ks.generation(), 6);
        let ctx = DerivationContext::Field { dataset: "d", field: "f" };
        assert_eq!(ks.derive(a, KeyUse::Randomized, ctx).unwrap_err().kind(), ErrorKind::KeyDestroyed);
        let (suite, k1) = ks.derive(b, KeyUse::Randomized, ctx).unwrap();
        assert_eq!((suite, k1.len()), (Suite::Sm, 16));
        let (_, k2) = ks.derive(b, KeyUse::Randomized, ctx).unwrap();
        assert!(Arc::ptr_eq(&k1, &k2), "second derivation must come from the cache");
    }

    #[test]
    fn debug_never_shows_key_material() {
        let ks = Keyset::generate(Suite::Aes).unwrap();
        let root = ks.primary().root().unwrap().expose().to_vec();
        let shown = format!("{ks:?}");
        let hex: String = root.iter().map(|b| format!("{b:02x}")).collect();
        assert!(!shown.contains(&hex) && shown.contains("REDACTED"));
    }

    #[test]
    fn keyset_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Keyset>();
    }
}
