//! `privshare.SigningKey`, `RecipientKey`, `TrustRegistry`, `ReplayStore` and the sealing and
//! opening functions behind `privshare.seal` / `privshare.open` (python/privshare/_envelope.py).

use crate::errors::{core, IntoPy};
use privshare::envelope::{
    KemAlgorithm, Opener, Padding, ParticipantId, PublicKeyId, RecipientKey, RecipientPublicKey, ReplayStore, Sealer,
    SignatureAlgorithm, SigningKey, TrustRegistry, VerifyingKey,
};
use privshare::ErrorKind;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use std::sync::RwLock;

/// Key material given as PEM text (`str`) or as bytes (PEM or DER).
#[derive(FromPyObject)]
pub enum KeyData {
    Text(String),
    Bytes(Vec<u8>),
}

impl KeyData {
    fn bytes(&self) -> &[u8] {
        match self {
            KeyData::Text(s) => s.as_bytes(),
            KeyData::Bytes(b) => b,
        }
    }
}

fn is_pem(data: &[u8]) -> bool {
    data.trim_ascii_start().starts_with(b"-----BEGIN")
}

fn pem(py: Python<'_>, data: &[u8]) -> PyResult<String> {
    String::from_utf8(data.to_vec()).map_err(|_| core(py, ErrorKind::NotUtf8, "PEM text is not UTF-8"))
}

fn participant(py: Python<'_>, id: &str) -> PyResult<ParticipantId> {
    ParticipantId::parse(id).py_err(py)
}

fn verifying_key(py: Python<'_>, data: &[u8]) -> PyResult<VerifyingKey> {
    if is_pem(data) {
        VerifyingKey::from_spki_pem(&pem(py, data)?).py_err(py)
    } else {
        VerifyingKey::from_spki_der(data).py_err(py)
    }
}

fn recipient_public_key(py: Python<'_>, data: &[u8]) -> PyResult<RecipientPublicKey> {
    if is_pem(data) {
        RecipientPublicKey::from_spki_pem(&pem(py, data)?).py_err(py)
    } else {
        RecipientPublicKey::from_spki_der(data).py_err(py)
    }
}

fn unknown(py: Python<'_>, what: &str, name: &str) -> PyErr {
    core(py, ErrorKind::InvalidArgument, &format!("unknown {what} {name:?}"))
}

/// A signature algorithm by its name: ``"ed25519"``, ``"ecdsa-p256-sha256"`` or ``"sm2-sm3"``.
pub(crate) fn signature_algorithm(py: Python<'_>, name: &str) -> PyResult<SignatureAlgorithm> {
    match name {
        "ed25519" => Ok(SignatureAlgorithm::Ed25519),
        "ecdsa-p256-sha256" => Ok(SignatureAlgorithm::EcdsaP256Sha256),
        "sm2-sm3" => Ok(SignatureAlgorithm::Sm2Sm3),
        _ => Err(unknown(py, "signature algorithm", name)),
    }
}

/// A private signing key (Ed25519, ECDSA P-256 or SM2); its algorithm is fixed by the key.
///
/// >>> import privshare
/// >>> key = privshare.SigningKey.generate("ed25519")
/// >>> sig = key.sign(b"tree head")
/// >>> privshare.verify_signature(key.public_pem(), b"tree head", sig)
/// >>> len(key.key_id), key.algorithm
/// (32, 'ed25519')
#[pyclass(frozen, module = "privshare", name = "SigningKey")]
pub struct PySigningKey {
    pub(crate) inner: SigningKey,
}

#[pymethods]
impl PySigningKey {
    /// A new key: ``"ed25519"``, ``"ecdsa-p256-sha256"`` or ``"sm2-sm3"``.
    #[staticmethod]
    #[pyo3(signature = (algorithm = "ed25519"))]
    fn generate(py: Python<'_>, algorithm: &str) -> PyResult<PySigningKey> {
        Ok(PySigningKey { inner: SigningKey::generate(signature_algorithm(py, algorithm)?).py_err(py)? })
    }

    /// Loads a PKCS#8 private key, PEM or DER (e.g. from ``openssl genpkey``).
    #[staticmethod]
    fn load(py: Python<'_>, data: KeyData) -> PyResult<PySigningKey> {
        let data = data.bytes();
        let inner =
            if is_pem(data) { SigningKey::from_pkcs8_pem(&pem(py, data)?) } else { SigningKey::from_pkcs8_der(data) };
        Ok(PySigningKey { inner: inner.py_err(py)? })
    }

    /// The algorithm's name.
    #[getter]
    fn algorithm(&self) -> &'static str {
        self.inner.algorithm().name()
    }

    /// SHA-256 of the SubjectPublicKeyInfo DER (32 bytes).
    #[getter]
    fn key_id<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.inner.id().as_bytes())
    }

    /// The private key as PKCS#8 PEM. Secret: store it protected.
    fn private_pem<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.inner.to_pkcs8_pem().as_bytes())
    }

    /// The public key as SubjectPublicKeyInfo PEM.
    fn public_pem(&self) -> String {
        self.inner.verifying_key().to_spki_pem()
    }

    /// Signs ``message`` (64 bytes).
    fn sign<'py>(&self, py: Python<'py>, message: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
        Ok(PyBytes::new(py, &self.inner.sign(message).py_err(py)?))
    }

    fn __repr__(&self) -> String {
        format!("SigningKey({}, {})", self.inner.algorithm(), self.inner.id())
    }
}

/// A recipient's private key (HPKE X25519 or P-256, or SM2); envelopes are sealed to its public key.
#[pyclass(frozen, module = "privshare", name = "RecipientKey")]
pub struct PyRecipientKey {
    inner: RecipientKey,
}

#[pymethods]
impl PyRecipientKey {
    /// A new key: ``"hpke-x25519"``, ``"hpke-p256"`` or ``"sm2"``.
    #[staticmethod]
    #[pyo3(signature = (algorithm = "hpke-x25519"))]
    fn generate(py: Python<'_>, algorithm: &str) -> PyResult<PyRecipientKey> {
        let alg = match algorithm {
            "hpke-x25519" => KemAlgorithm::HpkeX25519,
            "hpke-p256" => KemAlgorithm::HpkeP256,
            "sm2" => KemAlgorithm::Sm2,
            _ => return Err(unknown(py, "recipient key algorithm", algorithm)),
        };
        Ok(PyRecipientKey { inner: RecipientKey::generate(alg).py_err(py)? })
    }

    /// Loads a PKCS#8 private key, PEM or DER.
    #[staticmethod]
    fn load(py: Python<'_>, data: KeyData) -> PyResult<PyRecipientKey> {
        let data = data.bytes();
        let inner = if is_pem(data) {
            RecipientKey::from_pkcs8_pem(&pem(py, data)?)
        } else {
            RecipientKey::from_pkcs8_der(data)
        };
        Ok(PyRecipientKey { inner: inner.py_err(py)? })
    }

    /// The algorithm's name.
    #[getter]
    fn algorithm(&self) -> &'static str {
        self.inner.algorithm().name()
    }

    /// SHA-256 of the SubjectPublicKeyInfo DER (32 bytes).
    #[getter]
    fn key_id<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.inner.id().as_bytes())
    }

    /// The private key as PKCS#8 PEM. Secret: store it protected.
    fn private_pem<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.inner.to_pkcs8_pem().as_bytes())
    }

    /// The public key as SubjectPublicKeyInfo PEM.
    fn public_pem(&self) -> String {
        self.inner.public_key().to_spki_pem()
    }

    fn __repr__(&self) -> String {
        format!("RecipientKey({}, {})", self.inner.algorithm(), self.inner.id())
    }
}

/// Verifies ``signature`` over ``message`` with a public key (SubjectPublicKeyInfo PEM or DER)
/// and the key's own algorithm; raises ``AuthenticationFailed`` when it does not verify.
#[pyfunction]
pub fn verify_signature(py: Python<'_>, public_key: KeyData, message: &[u8], signature: &[u8]) -> PyResult<()> {
    verifying_key(py, public_key.bytes())?.verify(message, signature).py_err(py)
}

/// Which participant owns which signing keys, and when each is valid. Thread-safe.
#[pyclass(frozen, module = "privshare", name = "TrustRegistry")]
pub struct PyTrustRegistry {
    inner: RwLock<TrustRegistry>,
}

impl PyTrustRegistry {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, TrustRegistry> {
        self.inner.read().unwrap_or_else(|p| p.into_inner())
    }
}

#[pymethods]
impl PyTrustRegistry {
    #[new]
    fn new() -> Self {
        PyTrustRegistry { inner: RwLock::new(TrustRegistry::new()) }
    }

    /// Loads a registry from its JSON form.
    #[staticmethod]
    fn from_json(py: Python<'_>, json: &str) -> PyResult<PyTrustRegistry> {
        Ok(PyTrustRegistry { inner: RwLock::new(TrustRegistry::from_json(json).py_err(py)?) })
    }

    /// The registry as JSON.
    fn to_json(&self) -> String {
        self.read().to_json()
    }

    /// Registers a signing public key (PEM or DER) for ``participant``, valid from ``not_before``
    /// until ``not_after`` (Unix seconds, exclusive; ``None`` for no end).
    #[pyo3(signature = (participant, public_key, not_before = 0, not_after = None))]
    fn add(
        &self,
        py: Python<'_>,
        participant: &str,
        public_key: KeyData,
        not_before: u64,
        not_after: Option<u64>,
    ) -> PyResult<()> {
        let (who, key) = (self::participant(py, participant)?, verifying_key(py, public_key.bytes())?);
        let mut r = self.inner.write().unwrap_or_else(|p| p.into_inner());
        r.add(who, key, not_before, not_after).py_err(py)
    }

    /// Verifies ``signature`` over ``message`` by key ``key_id`` of ``participant`` valid at
    /// ``at`` (Unix seconds). ``UnknownSender`` when the key is not registered to it or not valid
    /// then; ``AuthenticationFailed`` when the signature is wrong.
    fn verify(
        &self,
        py: Python<'_>,
        participant: &str,
        key_id: &[u8],
        at: u64,
        message: &[u8],
        signature: &[u8],
    ) -> PyResult<()> {
        let who = self::participant(py, participant)?;
        let id: [u8; 32] =
            key_id.try_into().map_err(|_| core(py, ErrorKind::InvalidArgument, "a key id is 32 bytes"))?;
        self.read().verify(&who, &PublicKeyId(id), &[at], message, signature).py_err(py)
    }
}

/// Remembers opened envelopes: in memory, or in a file (``path``) that survives restarts. Share
/// one store between the threads of a process; never open one file from two processes.
#[pyclass(frozen, module = "privshare", name = "ReplayStore")]
pub struct PyReplayStore {
    inner: ReplayStore,
}

#[pymethods]
impl PyReplayStore {
    #[new]
    #[pyo3(signature = (path = None))]
    fn new(py: Python<'_>, path: Option<std::path::PathBuf>) -> PyResult<Self> {
        let inner = match path {
            None => ReplayStore::in_memory(),
            Some(p) => ReplayStore::open(p).py_err(py)?,
        };
        Ok(PyReplayStore { inner })
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }
}

/// Seals ``payload``; the Python wrapper ``privshare.seal`` documents the arguments.
#[pyfunction]
#[pyo3(signature = (signer, sender, recipients, payload, purpose, legal_basis, policy_id, policy_version,
    policy_hash, schema_hash, content_type, column_key_versions, created_at, lifetime, padding, chunk_size))]
#[allow(clippy::too_many_arguments)]
pub fn _seal<'py>(
    py: Python<'py>,
    signer: &PySigningKey,
    sender: &str,
    recipients: Vec<(String, Vec<u8>)>,
    payload: &[u8],
    purpose: String,
    legal_basis: String,
    policy_id: String,
    policy_version: u32,
    policy_hash: Vec<u8>,
    schema_hash: Vec<u8>,
    content_type: String,
    column_key_versions: Vec<(String, u32)>,
    created_at: Option<u64>,
    lifetime: Option<u64>,
    padding: Option<u64>,
    chunk_size: Option<u32>,
) -> PyResult<Bound<'py, PyBytes>> {
    let mut s = Sealer::new(participant(py, sender)?)
        .purpose(purpose)
        .legal_basis(legal_basis)
        .policy(policy_id, policy_version, &policy_hash)
        .schema_hash(&schema_hash)
        .content_type(content_type);
    for (who, key) in &recipients {
        s = s.recipient(participant(py, who)?, &recipient_public_key(py, key)?);
    }
    for (column, version) in column_key_versions {
        s = s.column_key_version(column, version);
    }
    if let Some(t) = created_at {
        s = s.created_at(t);
    }
    if let Some(l) = lifetime {
        s = s.lifetime(l);
    }
    if let Some(c) = chunk_size {
        s = s.chunk_size(c);
    }
    // 0 is the power-of-two bucket, any other number a multiple.
    s = s.padding(match padding {
        None => Padding::None,
        Some(0) => Padding::PowerOfTwo,
        Some(m) => Padding::Multiple(m),
    });
    let envelope = py.detach(|| s.seal(&signer.inner, payload)).py_err(py)?;
    Ok(PyBytes::new(py, &envelope))
}

/// Opens an envelope: ``(payload, header JSON)``; the wrapper ``privshare.open`` documents it.
#[pyfunction]
#[pyo3(signature = (envelope, registry, recipient, key, replay_store, now, clock_skew))]
#[allow(clippy::too_many_arguments)]
pub fn _open<'py>(
    py: Python<'py>,
    envelope: &[u8],
    registry: &PyTrustRegistry,
    recipient: &str,
    key: &PyRecipientKey,
    replay_store: &PyReplayStore,
    now: Option<u64>,
    clock_skew: u64,
) -> PyResult<(Bound<'py, PyBytes>, String)> {
    let me = participant(py, recipient)?;
    let opened = py.detach(|| {
        let registry = registry.read();
        let mut opener = Opener::new(&registry, &me, &key.inner, &replay_store.inner).clock_skew(clock_skew);
        if let Some(t) = now {
            opener = opener.at(t);
        }
        opener.open(envelope)
    });
    let opened = opened.py_err(py)?;
    Ok((PyBytes::new(py, &opened.payload), opened.header.to_json()))
}
