//! `privshare.AuditLog`, `privshare.AuditSigner`, `privshare.AuditVerifier` and the proof checks.
//! Records are dicts (or JSON text) in the JSON form of `docs/formats/audit-log.md`; tree heads and
//! proofs are `bytes` in their encodings.

use crate::envelope::signature_algorithm;
use crate::errors::IntoPy;
use crate::keyset::parse_suite;
use privshare::audit::{
    hash::leaf_hash, AuditLog, ConsistencyProof, InclusionProof, LogVerifier, Record, SignedTreeHead, TreeHeadVerifier,
};
use privshare::envelope::{SigningKey, VerifyingKey};
use privshare::{Error, ErrorKind};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};
use std::path::PathBuf;

/// Records as JSON text: a `str` is taken as it is, anything else goes through `json.dumps`.
fn records_json(py: Python<'_>, records: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(s) = records.cast::<PyString>() {
        return Ok(s.to_str()?.to_string());
    }
    py.import("json")?.call_method1("dumps", (records,))?.extract()
}

fn hash32(py: Python<'_>, b: &[u8], what: &str) -> PyResult<[u8; 32]> {
    b.try_into().map_err(|_| {
        crate::errors::to_py(py, Error::new(ErrorKind::InvalidArgument, format!("{what} must be 32 bytes")))
    })
}

/// An audit log file open for appending: records of exchanges (metadata and hashes only) in a
/// Merkle tree, each batch on disk before ``append`` returns. Thread-safe: share one per file.
///
/// >>> import os, tempfile, privshare
/// >>> path = os.path.join(tempfile.mkdtemp(), "exchanges.log")
/// >>> log = privshare.AuditLog.create(path, "aes")
/// >>> record = {"time_ms": 1760000000000, "event": "sent", "message_id": "00" * 16,
/// ...           "sender": "EE/GOV/70000001/tax", "recipients": ["EE/GOV/70000002/health"],
/// ...           "purpose": "eligibility", "payload_hash": "ab" * 32, "payload_len": 1024}
/// >>> log.append([record, record])
/// (0, 2)
/// >>> signer = privshare.AuditSigner(privshare.AuditSigner.generate_pkcs8())
/// >>> head = log.sign_tree_head(signer)
/// >>> privshare.AuditVerifier([signer.public_key], [head]).verify_file(path)["records"]
/// 2
#[pyclass(frozen, module = "privshare", name = "AuditLog")]
pub struct PyAuditLog {
    inner: AuditLog,
}

#[pymethods]
impl PyAuditLog {
    /// Creates a new, empty log at ``path`` hashing with ``suite`` (``"aes"``: SHA-256, ``"sm"``:
    /// SM3). Raises ``IoError`` if the file exists.
    #[staticmethod]
    #[pyo3(signature = (path, suite = "aes"))]
    fn create(py: Python<'_>, path: PathBuf, suite: &str) -> PyResult<PyAuditLog> {
        let suite = parse_suite(py, suite)?;
        Ok(PyAuditLog { inner: py.detach(|| AuditLog::create(&path, suite)).py_err(py)? })
    }

    /// Opens an existing log for appending (reads and checks it whole). A torn tail left by a crash
    /// raises ``AuditLogTornTail``: see ``recover``.
    #[staticmethod]
    fn open(py: Python<'_>, path: PathBuf) -> PyResult<PyAuditLog> {
        Ok(PyAuditLog { inner: py.detach(|| AuditLog::open(&path)).py_err(py)? })
    }

    /// Repairs a log whose tail a crash left torn: moves the torn bytes to ``<path>.torn-<offset>``
    /// and truncates the log after its last complete frame. Returns the number of bytes moved
    /// (0 for an intact log). Refuses damage anywhere but the tail.
    #[staticmethod]
    fn recover(py: Python<'_>, path: PathBuf) -> PyResult<u64> {
        Ok(py.detach(|| AuditLog::recover(&path)).py_err(py)?.moved_len)
    }

    /// Appends a batch (a list of record dicts, or JSON text of such a list) and returns
    /// ``(first_index, tree_size)`` once it is on disk. A bad record raises ``InvalidArgument``
    /// with its ``row``; nothing is written then.
    fn append(&self, py: Python<'_>, records: &Bound<'_, PyAny>) -> PyResult<(u64, u64)> {
        let json = records_json(py, records)?;
        let records = Record::list_from_json(&json).py_err(py)?;
        let a = py.detach(|| self.inner.append(&records)).py_err(py)?;
        Ok((a.first_index, a.tree_size))
    }

    /// The number of records on disk.
    #[getter]
    fn size(&self, py: Python<'_>) -> PyResult<u64> {
        self.inner.size().py_err(py)
    }

    /// The log's random 16-byte id.
    #[getter]
    fn log_id<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.log_id())
    }

    /// ``"aes"`` or ``"sm"``.
    #[getter]
    fn suite(&self) -> &'static str {
        self.inner.suite().name()
    }

    /// The root (32 bytes) of the first ``tree_size`` records (all of them by default).
    #[pyo3(signature = (tree_size = None))]
    fn root<'py>(&self, py: Python<'py>, tree_size: Option<u64>) -> PyResult<Bound<'py, PyBytes>> {
        let size = match tree_size {
            Some(s) => s,
            None => self.inner.size().py_err(py)?,
        };
        Ok(PyBytes::new(py, &self.inner.root_at(size).py_err(py)?))
    }

    /// Signs the head of everything on disk, appends it to the log and returns its bytes.
    fn sign_tree_head<'py>(&self, py: Python<'py>, signer: &PyAuditSigner) -> PyResult<Bound<'py, PyBytes>> {
        let head = py.detach(|| self.inner.sign_tree_head(&signer.inner)).py_err(py)?;
        Ok(PyBytes::new(py, head.as_bytes()))
    }

    /// The most recent signed tree head in the file, or ``None``.
    #[getter]
    fn latest_tree_head<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyBytes>>> {
        Ok(self.inner.latest_tree_head().py_err(py)?.map(|h| PyBytes::new(py, h.as_bytes())))
    }

    /// The inclusion proof (bytes) of record ``index`` in the tree of ``tree_size`` records.
    fn inclusion_proof<'py>(&self, py: Python<'py>, index: u64, tree_size: u64) -> PyResult<Bound<'py, PyBytes>> {
        Ok(PyBytes::new(py, &self.inner.inclusion_proof(index, tree_size).py_err(py)?.encode()))
    }

    /// The consistency proof (bytes) between the trees of ``old_size`` and ``new_size`` records.
    fn consistency_proof<'py>(&self, py: Python<'py>, old_size: u64, new_size: u64) -> PyResult<Bound<'py, PyBytes>> {
        Ok(PyBytes::new(py, &self.inner.consistency_proof(old_size, new_size).py_err(py)?.encode()))
    }
}

/// A key that signs tree heads, from DER PKCS#8: Ed25519, ECDSA P-256 or SM2 (``openssl genpkey
/// -outform DER``, or ``AuditSigner.generate_pkcs8()``).
#[pyclass(frozen, module = "privshare", name = "AuditSigner")]
pub struct PyAuditSigner {
    inner: SigningKey,
}

#[pymethods]
impl PyAuditSigner {
    #[new]
    fn new(py: Python<'_>, pkcs8: &[u8]) -> PyResult<PyAuditSigner> {
        Ok(PyAuditSigner { inner: SigningKey::from_pkcs8_der(pkcs8).py_err(py)? })
    }

    /// A new random key as DER PKCS#8 (a secret: store it protected): ``"ed25519"`` (the
    /// default), ``"ecdsa-p256-sha256"`` or ``"sm2-sm3"``.
    #[staticmethod]
    #[pyo3(signature = (algorithm = "ed25519"))]
    fn generate_pkcs8<'py>(py: Python<'py>, algorithm: &str) -> PyResult<Bound<'py, PyBytes>> {
        let key = SigningKey::generate(signature_algorithm(py, algorithm)?).py_err(py)?;
        Ok(PyBytes::new(py, key.to_pkcs8_der().expose()))
    }

    /// The public key as DER SubjectPublicKeyInfo (what ``AuditVerifier`` takes).
    #[getter]
    fn public_key<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.verifying_key().to_spki_der())
    }

    /// The key id: SHA-256 of the SubjectPublicKeyInfo.
    #[getter]
    fn key_id<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.id().0)
    }
}

/// Verifies audit logs with the log's public keys (DER SubjectPublicKeyInfo; several across a key
/// rotation) and tree heads obtained outside the log file (``trusted``).
#[pyclass(frozen, module = "privshare", name = "AuditVerifier")]
pub struct PyAuditVerifier {
    keys: Vec<VerifyingKey>,
    trusted: Vec<SignedTreeHead>,
}

impl PyAuditVerifier {
    fn verifier(&self) -> LogVerifier<'_> {
        let mut v = LogVerifier::new(&self.keys[0]);
        for k in &self.keys[1..] {
            v = v.key(k);
        }
        for t in &self.trusted {
            v = v.trust(t.clone());
        }
        v
    }
}

#[pymethods]
impl PyAuditVerifier {
    #[new]
    #[pyo3(signature = (keys, trusted = Vec::new()))]
    fn new(py: Python<'_>, keys: Vec<Vec<u8>>, trusted: Vec<Vec<u8>>) -> PyResult<PyAuditVerifier> {
        if keys.is_empty() {
            return Err(crate::errors::core(py, ErrorKind::InvalidArgument, "give at least one key"));
        }
        let keys = keys.iter().map(|k| VerifyingKey::from_spki_der(k)).collect::<Result<Vec<_>, _>>().py_err(py)?;
        let trusted = trusted.iter().map(|t| SignedTreeHead::decode(t)).collect::<Result<Vec<_>, _>>().py_err(py)?;
        Ok(PyAuditVerifier { keys, trusted })
    }

    /// Verifies the log file at ``path`` and returns what it holds: ``records``, ``batches``,
    /// ``tree_heads``, ``signed_records``, ``unsigned_records``, ``root``, ``log_id``, ``suite``.
    /// Raises ``AuditLogMismatch``, ``AuditLogTruncated``, ``AuditLogForked``, ``AuditLogTornTail``,
    /// ``MalformedAuditLog``, ``UnknownKey`` or ``AuthenticationFailed`` (see the format document).
    fn verify_file<'py>(&self, py: Python<'py>, path: PathBuf) -> PyResult<Bound<'py, PyDict>> {
        let r = py.detach(|| self.verifier().verify_file(&path)).py_err(py)?;
        let d = PyDict::new(py);
        d.set_item("records", r.records)?;
        d.set_item("batches", r.batches)?;
        d.set_item("tree_heads", r.tree_heads)?;
        d.set_item("signed_records", r.signed_records)?;
        d.set_item("unsigned_records", r.unsigned_records)?;
        d.set_item("root", PyBytes::new(py, &r.root))?;
        d.set_item("log_id", PyBytes::new(py, &r.log_id))?;
        d.set_item("suite", r.suite.name())?;
        Ok(d)
    }

    /// Verifies a signed tree head's signature (``UnknownKey``, ``AuthenticationFailed``).
    fn verify_tree_head(&self, py: Python<'_>, head: &[u8]) -> PyResult<()> {
        let keys: Vec<&dyn TreeHeadVerifier> = self.keys.iter().map(|k| k as &dyn TreeHeadVerifier).collect();
        SignedTreeHead::decode(head).and_then(|h| h.verify(&keys)).py_err(py)
    }

    /// Checks that two signed heads of one log can both be true: the older is a prefix of the newer
    /// by ``proof`` (not needed for equal sizes). Raises ``AuditLogForked`` if not.
    #[pyo3(signature = (old_head, new_head, proof = None))]
    fn check_consistency(
        &self,
        py: Python<'_>,
        old_head: &[u8],
        new_head: &[u8],
        proof: Option<&[u8]>,
    ) -> PyResult<()> {
        let old = SignedTreeHead::decode(old_head).py_err(py)?;
        let new = SignedTreeHead::decode(new_head).py_err(py)?;
        let proof = proof.map(ConsistencyProof::decode).transpose().py_err(py)?;
        self.verifier().check_consistency(&old, &new, proof.as_ref()).py_err(py)
    }
}

/// The leaf hash (32 bytes) of one record (a dict or JSON text) in ``suite``'s hash: what an
/// inclusion proof proves.
#[pyfunction]
#[pyo3(signature = (record, suite = "aes"))]
pub fn audit_leaf_hash<'py>(py: Python<'py>, record: &Bound<'py, PyAny>, suite: &str) -> PyResult<Bound<'py, PyBytes>> {
    let suite = parse_suite(py, suite)?;
    let r = Record::from_json(&records_json(py, record)?).py_err(py)?;
    Ok(PyBytes::new(py, &leaf_hash(suite, &r.encode())))
}

/// Checks an inclusion proof of ``leaf_hash`` against ``root``; raises ``AuthenticationFailed``
/// if it does not prove it.
#[pyfunction]
pub fn verify_inclusion_proof(py: Python<'_>, proof: &[u8], leaf_hash: &[u8], root: &[u8]) -> PyResult<()> {
    let (leaf, root) = (hash32(py, leaf_hash, "leaf_hash")?, hash32(py, root, "root")?);
    InclusionProof::decode(proof).and_then(|p| p.verify(&leaf, &root)).py_err(py)
}

/// Checks a consistency proof between the trees with roots ``old_root`` and ``new_root``; raises
/// ``AuthenticationFailed`` if it does not prove it.
#[pyfunction]
pub fn verify_consistency_proof(py: Python<'_>, proof: &[u8], old_root: &[u8], new_root: &[u8]) -> PyResult<()> {
    let (old, new) = (hash32(py, old_root, "old_root")?, hash32(py, new_root, "new_root")?);
    ConsistencyProof::decode(proof).and_then(|p| p.verify(&old, &new)).py_err(py)
}

/// The fields of a signed tree head (not verified): ``suite``, ``log_id``, ``tree_size``,
/// ``timestamp_ms``, ``root``, ``key_id``.
#[pyfunction]
pub fn parse_tree_head<'py>(py: Python<'py>, head: &[u8]) -> PyResult<Bound<'py, PyDict>> {
    let signed = SignedTreeHead::decode(head).py_err(py)?;
    let h = signed.head();
    let d = PyDict::new(py);
    d.set_item("suite", h.suite.name())?;
    d.set_item("log_id", PyBytes::new(py, &h.log_id))?;
    d.set_item("tree_size", h.tree_size)?;
    d.set_item("timestamp_ms", h.timestamp_ms)?;
    d.set_item("root", PyBytes::new(py, &h.root))?;
    d.set_item("key_id", PyBytes::new(py, &signed.key_id()))?;
    Ok(d)
}
