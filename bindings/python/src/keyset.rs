//! `privshare.Keyset` and `privshare.KeyVersion`.

use crate::errors::IntoPy;
use crate::values::bytes_of;
use privshare::keys::store::{Argon2Params, LoadOptions, RawKek};
use privshare::{KeyId, KeyStatus, Keyset, Suite};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

pub fn parse_suite(py: Python<'_>, suite: &str) -> PyResult<Suite> {
    suite.parse::<Suite>().py_err(py)
}

fn status_name(s: KeyStatus) -> &'static str {
    match s {
        KeyStatus::Enabled => "enabled",
        KeyStatus::Disabled => "disabled",
        KeyStatus::Destroyed => "destroyed",
    }
}

/// A set of key versions with one primary, from which ciphers are made.
///
/// Thread-safe: share one ``Keyset`` between threads. Ciphers derive their keys when they are
/// made, so a cipher keeps working with the versions it saw; make new ciphers after ``rotate``,
/// ``disable`` or ``destroy``.
///
/// >>> import privshare
/// >>> ks = privshare.Keyset.generate("aes")
/// >>> first = ks.primary_id
/// >>> second = ks.rotate("sm")
/// >>> ks.primary_id == second != first
/// True
/// >>> [(v.suite, v.status, v.primary) for v in ks.versions]
/// [('aes', 'enabled', False), ('sm', 'enabled', True)]
/// >>> kek = bytes(32)  # use a real 32-byte secret
/// >>> again = privshare.Keyset.from_json(ks.to_json(kek=kek), kek=kek)
/// >>> again.primary_id == ks.primary_id
/// True
#[pyclass(frozen, module = "privshare", name = "Keyset")]
pub struct PyKeyset {
    inner: RwLock<Keyset>,
}

impl PyKeyset {
    fn read(&self) -> RwLockReadGuard<'_, Keyset> {
        // A panic while holding the lock cannot leave a Keyset half-updated (every mutator checks
        // before it changes anything), so a poisoned lock is still safe to use.
        self.inner.read().unwrap_or_else(|p| p.into_inner())
    }
    fn write(&self) -> RwLockWriteGuard<'_, Keyset> {
        self.inner.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` on the keyset under the read lock. The lock is taken and released with the GIL
    /// released: a thread waiting for the lock (behind a slow Argon2id `to_json`, say) never
    /// holds the GIL, so other Python threads keep running and no lock-order deadlock with the
    /// GIL is possible.
    pub fn with_read<R: Send>(&self, py: Python<'_>, f: impl FnOnce(&Keyset) -> R + Send) -> R {
        py.detach(|| f(&self.read()))
    }

    /// Runs `f` on the keyset under the write lock, like [`with_read`](Self::with_read).
    fn with_write<R: Send>(&self, py: Python<'_>, f: impl FnOnce(&mut Keyset) -> R + Send) -> R {
        py.detach(|| f(&mut self.write()))
    }
    fn wrap(ks: Keyset) -> PyKeyset {
        PyKeyset { inner: RwLock::new(ks) }
    }
}

enum Protection {
    Kek(RawKek),
    Passphrase(Vec<u8>),
}

impl Drop for Protection {
    fn drop(&mut self) {
        if let Protection::Passphrase(p) = self {
            zeroize::Zeroize::zeroize(p);
        }
    }
}

fn protection(
    py: Python<'_>,
    kek: Option<&Bound<'_, PyAny>>,
    passphrase: Option<&Bound<'_, PyAny>>,
) -> PyResult<Protection> {
    match (kek, passphrase) {
        (Some(k), None) => {
            let k = k.extract::<&[u8]>().map_err(|_| PyTypeError::new_err("kek must be bytes (32 or 16 bytes)"))?;
            Ok(Protection::Kek(RawKek::from_bytes(k).py_err(py)?))
        }
        (None, Some(p)) => Ok(Protection::Passphrase(bytes_of(p, "passphrase")?.into_owned())),
        _ => Err(PyTypeError::new_err("give exactly one of kek= or passphrase=")),
    }
}

#[pymethods]
impl PyKeyset {
    /// A new keyset with one freshly generated primary version of ``suite`` (``"aes"`` or ``"sm"``).
    #[staticmethod]
    #[pyo3(signature = (suite = "aes"))]
    fn generate(py: Python<'_>, suite: &str) -> PyResult<PyKeyset> {
        let suite = parse_suite(py, suite)?;
        Ok(PyKeyset::wrap(Keyset::generate(suite).py_err(py)?))
    }

    /// Loads a stored keyset (``str`` or ``bytes`` JSON) with exactly one of ``kek`` (the raw
    /// key-encryption key it was saved with: 32 bytes AES-256-GCM or 16 bytes SM4-GCM) or
    /// ``passphrase`` (``bytes`` or ``str``).
    ///
    /// ``min_generation``: refuse a keyset older than this (pass the ``generation`` recorded when
    /// it was last saved) with ``KeysetRolledBack``. ``argon2_caps=(memory_kib, passes, lanes)``:
    /// the largest Argon2id costs a passphrase-protected file may ask for (default
    /// ``(262144, 8, 8)``); a file asking for more is refused with ``MalformedKeyset`` before
    /// Argon2id runs. Both are checked before anything is unwrapped.
    ///
    /// Raises ``KeyUnwrapFailed`` for a wrong KEK or passphrase or a modified file,
    /// ``MalformedKeyset`` for JSON of the wrong shape.
    ///
    /// >>> import privshare
    /// >>> privshare.Keyset.from_json("{}", kek=bytes(32))
    /// Traceback (most recent call last):
    /// ...
    /// privshare.MalformedKeyset: ...
    /// >>> ks = privshare.Keyset.generate()
    /// >>> old = ks.to_json(kek=bytes(32))
    /// >>> _ = ks.rotate()
    /// >>> privshare.Keyset.from_json(old, kek=bytes(32), min_generation=ks.generation)
    /// Traceback (most recent call last):
    /// ...
    /// privshare.KeysetRolledBack: ...
    #[staticmethod]
    #[pyo3(signature = (data, *, kek = None, passphrase = None, min_generation = 0, argon2_caps = None))]
    fn from_json(
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
        kek: Option<&Bound<'_, PyAny>>,
        passphrase: Option<&Bound<'_, PyAny>>,
        min_generation: u64,
        argon2_caps: Option<(u32, u32, u32)>,
    ) -> PyResult<PyKeyset> {
        let json = json_text(data)?;
        let prot = protection(py, kek, passphrase)?;
        let mut options = LoadOptions::new().min_generation(min_generation);
        if let Some((m, t, p)) = argon2_caps {
            if matches!(prot, Protection::Kek(_)) {
                return Err(PyTypeError::new_err("argon2_caps= applies only with passphrase="));
            }
            options = options.argon2_caps(Argon2Params::new(m, t, p).py_err(py)?);
        }
        // Argon2id takes a while: let other Python threads run meanwhile.
        let ks = py.detach(|| match &prot {
            Protection::Kek(k) => Keyset::from_json_with_options(&json, k, &options),
            Protection::Passphrase(p) => Keyset::from_json_with_passphrase_options(&json, p, &options),
        });
        Ok(PyKeyset::wrap(ks.py_err(py)?))
    }

    /// The keyset as JSON with every root key wrapped by ``kek`` (32 or 16 bytes) or by a key
    /// derived from ``passphrase`` with Argon2id. ``argon2=(memory_kib, passes, lanes)``
    /// overrides the default Argon2id costs, RFC 9106's second recommended option
    /// ``(65536, 3, 4)`` (passphrase only). Record ``generation`` after saving.
    #[pyo3(signature = (*, kek = None, passphrase = None, argon2 = None))]
    fn to_json(
        &self,
        py: Python<'_>,
        kek: Option<&Bound<'_, PyAny>>,
        passphrase: Option<&Bound<'_, PyAny>>,
        argon2: Option<(u32, u32, u32)>,
    ) -> PyResult<String> {
        let prot = protection(py, kek, passphrase)?;
        let params = match argon2 {
            Some((m, t, p)) => Argon2Params::new(m, t, p).py_err(py)?,
            None => Argon2Params::default(),
        };
        if argon2.is_some() && matches!(prot, Protection::Kek(_)) {
            return Err(PyTypeError::new_err("argon2= applies only with passphrase="));
        }
        self.with_read(py, |ks| match &prot {
            Protection::Kek(k) => ks.to_json(k),
            Protection::Passphrase(p) => ks.to_json_with_passphrase_params(p, &params),
        })
        .py_err(py)
    }

    /// INSECURE: the keyset as JSON with every root key in plain hex. Anyone who reads it can
    /// decrypt everything the keyset protects. For interoperability tests and migrations only.
    fn to_insecure_plaintext_json(&self, py: Python<'_>) -> PyResult<String> {
        self.with_read(py, |ks| ks.to_insecure_plaintext_json()).py_err(py)
    }

    /// Loads the output of ``to_insecure_plaintext_json``. Nothing is authenticated.
    #[staticmethod]
    fn from_insecure_plaintext_json(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<PyKeyset> {
        let json = json_text(data)?;
        Ok(PyKeyset::wrap(Keyset::from_insecure_plaintext_json(&json).py_err(py)?))
    }

    /// Adds a new version and makes it the primary; returns its id. ``suite`` defaults to the
    /// current primary's suite. Older versions keep decrypting.
    #[pyo3(signature = (suite = None))]
    fn rotate(&self, py: Python<'_>, suite: Option<&str>) -> PyResult<KeyId> {
        let suite = suite.map(|s| parse_suite(py, s)).transpose()?;
        self.with_write(py, |ks| {
            let suite = suite.unwrap_or_else(|| ks.primary().suite());
            ks.rotate(suite)
        })
        .py_err(py)
    }

    /// Makes the enabled version ``key_id`` the primary.
    fn set_primary(&self, py: Python<'_>, key_id: KeyId) -> PyResult<()> {
        self.with_write(py, |ks| ks.set_primary(key_id)).py_err(py)
    }

    /// Disables a version (not the primary): its ciphertexts no longer decrypt until enabled.
    fn disable(&self, py: Python<'_>, key_id: KeyId) -> PyResult<()> {
        self.with_write(py, |ks| ks.disable(key_id)).py_err(py)
    }

    /// Enables a disabled version again.
    fn enable(&self, py: Python<'_>, key_id: KeyId) -> PyResult<()> {
        self.with_write(py, |ks| ks.enable(key_id)).py_err(py)
    }

    /// Erases a version's key material for good (not the primary).
    fn destroy(&self, py: Python<'_>, key_id: KeyId) -> PyResult<()> {
        self.with_write(py, |ks| ks.destroy(key_id)).py_err(py)
    }

    /// How many changes the keyset has seen: 1 when generated, one more for every ``rotate``,
    /// ``set_primary``, ``disable``, ``enable`` and ``destroy``; 0 if loaded from a file written
    /// before generations existed. Stored keysets carry it, authenticated. Record it after every
    /// save somewhere the file's writer cannot roll back (an audit log, a database) and pass it as
    /// ``from_json(..., min_generation=...)``.
    #[getter]
    fn generation(&self, py: Python<'_>) -> u64 {
        self.with_read(py, |ks| ks.generation())
    }

    /// The id of the primary version (new data is encrypted under it).
    #[getter]
    fn primary_id(&self, py: Python<'_>) -> KeyId {
        self.with_read(py, |ks| ks.primary_id())
    }

    /// The primary version's suite: ``"aes"`` or ``"sm"``.
    #[getter]
    fn suite(&self, py: Python<'_>) -> &'static str {
        self.with_read(py, |ks| ks.primary().suite().name())
    }

    /// Every version, oldest first, as ``KeyVersion`` records (no key material).
    #[getter]
    fn versions(&self, py: Python<'_>) -> Vec<PyKeyVersion> {
        self.with_read(py, |ks| {
            let primary = ks.primary_id();
            ks.versions()
                .iter()
                .map(|v| PyKeyVersion {
                    id: v.id(),
                    suite: v.suite().name(),
                    status: status_name(v.status()),
                    created_at: v.created_at(),
                    primary: v.id() == primary,
                })
                .collect()
        })
    }

    fn __len__(&self, py: Python<'_>) -> usize {
        self.with_read(py, |ks| ks.versions().len())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        self.with_read(py, |ks| {
            format!("<privshare.Keyset primary={} versions={}>", ks.primary_id(), ks.versions().len())
        })
    }
}

fn json_text(data: &Bound<'_, PyAny>) -> PyResult<String> {
    let b = bytes_of(data, "keyset JSON")?;
    String::from_utf8(b.into_owned())
        .map_err(|_| crate::errors::core(data.py(), privshare::ErrorKind::MalformedKeyset, "keyset JSON is not UTF-8"))
}

/// One version of a keyset: id, suite, status, creation time, whether it is the primary.
#[pyclass(frozen, module = "privshare", name = "KeyVersion", get_all)]
pub struct PyKeyVersion {
    /// The version's id (written into every ciphertext it makes).
    id: KeyId,
    /// ``"aes"`` or ``"sm"``.
    suite: &'static str,
    /// ``"enabled"``, ``"disabled"`` or ``"destroyed"``.
    status: &'static str,
    /// Creation time, seconds since the Unix epoch.
    created_at: u64,
    /// True for the primary version.
    primary: bool,
}

#[pymethods]
impl PyKeyVersion {
    fn __repr__(&self) -> String {
        format!(
            "KeyVersion(id={}, suite='{}', status='{}', created_at={}, primary={})",
            self.id,
            self.suite,
            self.status,
            self.created_at,
            if self.primary { "True" } else { "False" }
        )
    }
}
