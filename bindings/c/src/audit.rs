//! The audit log: `privshare_audit_log` (append, sign tree heads, proofs), `privshare_audit_signer`
//! (a tree head key: Ed25519, ECDSA P-256 or SM2), `privshare_audit_verifier` (keys and trusted heads; verifies log
//! files, heads and consistency between heads), and the proof checks.
//!
//! Records cross the boundary as JSON (section 3 of `docs/formats/audit-log.md`); tree heads and
//! proofs as their byte encodings (sections 4 and 5); hashes as 32 bytes the caller provides.

use crate::boundary::{bytes, c_str, ffi_boundary, out};
use crate::buffer::{buffer_from_vec, privshare_buffer};
use crate::error::{privshare_error, privshare_status, Failure};
use crate::handle::{borrow, free_boxed, hand_out_boxed, Boxed, Handle};
use privshare_core::audit::{
    hash::leaf_hash, AuditLog, ConsistencyProof, InclusionProof, LogVerifier, Record, SignedTreeHead, TreeHeadVerifier,
};
use privshare_core::envelope::{SignatureAlgorithm, SigningKey, VerifyingKey};
use privshare_core::{ErrorKind, Suite};

/// An audit log file open for appending. Made by `privshare_audit_log_create` or
/// `privshare_audit_log_open`, released by `privshare_audit_log_free`. Every function takes it as
/// `const`: one handle may be used from many threads at once (concurrent appends share syncs).
pub struct privshare_audit_log {
    _private: [u8; 0],
}

impl Handle for privshare_audit_log {
    type Ownership = Boxed;
    type Inner = AuditLog;
}

/// A key that signs tree heads (Ed25519, ECDSA P-256 or SM2, fixed by the key). Made by
/// `privshare_audit_signer_generate` or `privshare_audit_signer_load_pkcs8`, released by
/// `privshare_audit_signer_free`.
pub struct privshare_audit_signer {
    _private: [u8; 0],
}

impl Handle for privshare_audit_signer {
    type Ownership = Boxed;
    type Inner = SigningKey;
}

/// The public keys and trusted tree heads an auditor verifies with. Made by
/// `privshare_audit_verifier_new`, filled by `_add_key` / `_trust` (not concurrently with other
/// calls on it), then used from any number of threads; released by `privshare_audit_verifier_free`.
pub struct privshare_audit_verifier {
    _private: [u8; 0],
}

impl Handle for privshare_audit_verifier {
    type Ownership = Boxed;
    type Inner = Verifier;
}

/// What `privshare_audit_verifier_verify_file` found in a valid log.
#[repr(C)]
pub struct privshare_audit_report {
    /// Records in the log.
    pub records: u64,
    /// Batches in the log.
    pub batches: u64,
    /// Signed tree heads in the file (all valid).
    pub tree_heads: u64,
    /// Records covered by a valid signed head (in the file or trusted).
    pub signed_records: u64,
    /// Records no signed head covers yet: whoever can write the file could have changed them.
    pub unsigned_records: u64,
    /// The root over every record.
    pub root: [u8; 32],
    /// The log's id.
    pub log_id: [u8; 16],
    /// The log's suite (`PRIVSHARE_SUITE_AES` or `PRIVSHARE_SUITE_SM`).
    pub suite: u32,
}

/// The fields of a signed tree head.
#[repr(C)]
pub struct privshare_audit_tree_head {
    /// The log's suite.
    pub suite: u32,
    /// The log's id.
    pub log_id: [u8; 16],
    /// Records covered.
    pub tree_size: u64,
    /// When it was signed, in milliseconds since the epoch.
    pub timestamp_ms: u64,
    /// The root of the first `tree_size` records.
    pub root: [u8; 32],
    /// SHA-256 of the signing key's SubjectPublicKeyInfo.
    pub key_id: [u8; 32],
}

/// cbindgen:ignore
pub(crate) struct Verifier {
    keys: Vec<VerifyingKey>,
    trusted: Vec<SignedTreeHead>,
}

impl Verifier {
    fn log_verifier(&self) -> Result<LogVerifier<'_>, Failure> {
        let (first, rest) = self
            .keys
            .split_first()
            .ok_or_else(|| Failure::core(ErrorKind::InvalidArgument, "the verifier has no key"))?;
        let mut v = LogVerifier::new(first);
        for k in rest {
            v = v.key(k);
        }
        for t in &self.trusted {
            v = v.trust(t.clone());
        }
        Ok(v)
    }

    fn key_refs(&self) -> Vec<&dyn TreeHeadVerifier> {
        self.keys.iter().map(|k| k as &dyn TreeHeadVerifier).collect()
    }
}

/// Writes `value` to a required output.
///
/// # Safety
/// `ptr` is NULL or valid for writes.
unsafe fn put<T>(ptr: *mut T, value: T, what: &str) -> Result<(), Failure> {
    let ptr = out(ptr, what)?;
    // SAFETY: non-NULL and valid for writes by the caller's contract.
    unsafe { ptr.write(value) };
    Ok(())
}

/// Writes `value` to an optional output (NULL: not wanted).
///
/// # Safety
/// `ptr` is NULL or valid for writes.
unsafe fn put_opt<T>(ptr: *mut T, value: T) {
    if !ptr.is_null() {
        // SAFETY: non-NULL and valid for writes by the caller's contract.
        unsafe { ptr.write(value) };
    }
}

/// A 32-byte hash argument.
///
/// # Safety
/// `ptr` is NULL or valid for 32 reads.
unsafe fn hash_arg(ptr: *const u8, what: &str) -> Result<[u8; 32], Failure> {
    // SAFETY: forwarded contract.
    let b = unsafe { bytes(ptr, 32, what)? };
    Ok(b.try_into().expect("32 bytes"))
}

fn suite_of(id: u32) -> Result<Suite, Failure> {
    u8::try_from(id)
        .ok()
        .and_then(Suite::from_id)
        .ok_or_else(|| Failure::core(ErrorKind::InvalidArgument, format!("unknown suite {id} (expected 1 or 2)")))
}

fn json_arg(raw: &[u8]) -> Result<&str, Failure> {
    std::str::from_utf8(raw).map_err(|e| {
        Failure::Core(
            privshare_core::Error::new(ErrorKind::NotUtf8, "record JSON is not UTF-8")
                .at_offset(e.valid_up_to() as u64),
        )
    })
}

// --- the log -----------------------------------------------------------------------------------

/// Creates a new, empty audit log file at `path` (a NUL-terminated UTF-8 path) hashing with
/// `suite` (`PRIVSHARE_SUITE_AES`: SHA-256, `PRIVSHARE_SUITE_SM`: SM3), and opens it. Fails with
/// `PRIVSHARE_STATUS_IO` if the file exists.
#[no_mangle]
pub unsafe extern "C" fn privshare_audit_log_create(
    path: *const std::ffi::c_char,
    suite: u32,
    out_log: *mut *mut privshare_audit_log,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: pointer arguments from the caller, per the crate's pointer contract.
        let path = unsafe { c_str(path, "path")? };
        let out_log = out(out_log, "out_log")?;
        let log = AuditLog::create(path, suite_of(suite)?)?;
        // SAFETY: `out_log` is non-NULL.
        unsafe { hand_out_boxed(out_log, log) };
        Ok(())
    })
}

/// Opens an existing audit log for appending (reads and checks it whole). A log left with a torn
/// tail by a crash gives `PRIVSHARE_STATUS_AUDIT_LOG_TORN_TAIL`: see `privshare_audit_log_recover`.
#[no_mangle]
pub unsafe extern "C" fn privshare_audit_log_open(
    path: *const std::ffi::c_char,
    out_log: *mut *mut privshare_audit_log,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: pointer arguments from the caller, per the crate's pointer contract.
        let path = unsafe { c_str(path, "path")? };
        let out_log = out(out_log, "out_log")?;
        let log = AuditLog::open(path)?;
        // SAFETY: `out_log` is non-NULL.
        unsafe { hand_out_boxed(out_log, log) };
        Ok(())
    })
}

/// Repairs a log whose tail a crash left torn: moves the torn bytes to `<path>.torn-<offset>` and
/// truncates the log after its last complete frame. Writes the number of bytes moved (0 for an
/// intact log) to `*out_moved_len` if it is not NULL. Refuses damage anywhere but the tail.
#[no_mangle]
pub unsafe extern "C" fn privshare_audit_log_recover(
    path: *const std::ffi::c_char,
    out_moved_len: *mut u64,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: pointer arguments from the caller, per the crate's pointer contract.
        let path = unsafe { c_str(path, "path")? };
        let r = AuditLog::recover(path)?;
        // SAFETY: NULL or valid for writes.
        unsafe { put_opt(out_moved_len, r.moved_len) };
        Ok(())
    })
}

/// Releases a log handle (NULL is accepted).
#[no_mangle]
pub unsafe extern "C" fn privshare_audit_log_free(log: *mut privshare_audit_log) {
    // SAFETY: per the crate's pointer contract.
    unsafe { free_boxed(log) }
}

/// Appends a batch of records, given as a JSON array of record objects (`json_len` bytes, see
/// `docs/formats/audit-log.md` section 3), and returns once it is on disk. Writes the index of the
/// batch's first record and the tree size after it to the optional outputs. A bad record gives
/// `PRIVSHARE_STATUS_INVALID_ARGUMENT` with its row; nothing is written then.
#[no_mangle]
pub unsafe extern "C" fn privshare_audit_log_append_json(
    log: *const privshare_audit_log,
    json: *const u8,
    json_len: usize,
    out_first_index: *mut u64,
    out_tree_size: *mut u64,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: pointer arguments from the caller, per the crate's pointer contract.
        let (log, json) = unsafe { (borrow(log, "log")?, bytes(json, json_len, "json")?) };
        let records = Record::list_from_json(json_arg(json)?)?;
        let a = log.append(&records)?;
        // SAFETY: NULL or valid for writes.
        unsafe {
            put_opt(out_first_index, a.first_index);
            put_opt(out_tree_size, a.tree_size);
        }
        Ok(())
    })
}

/// Writes the number of records on disk to `*out_size`.
#[no_mangle]
pub unsafe extern "C" fn privshare_audit_log_size(
    log: *const privshare_audit_log,
    out_size: *mut u64,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: per the crate's pointer contract.
        let log = unsafe { borrow(log, "log")? };
        let size = log.size()?;
        // SAFETY: checked by `put`.
        unsafe { put(out_size, size, "out_size") }
    })
}

/// Writes the root of the first `tree_size` records (32 bytes) to `out_root`.
#[no_mangle]
pub unsafe extern "C" fn privshare_audit_log_root(
    log: *const privshare_audit_log,
    tree_size: u64,
    out_root: *mut u8,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: per the crate's pointer contract.
        let log = unsafe { borrow(log, "log")? };
        let root = log.root_at(tree_size)?;
        // SAFETY: checked by `put`; `out_root` is valid for 32 bytes by the contract.
        unsafe { put(out_root.cast::<[u8; 32]>(), root, "out_root") }
    })
}

/// Signs the head of everything on disk with `signer`, appends it to the log (synced) and returns
/// its encoding in `*out_head` (free with `privshare_buffer_free`).
#[no_mangle]
pub unsafe extern "C" fn privshare_audit_log_sign_tree_head(
    log: *const privshare_audit_log,
    signer: *const privshare_audit_signer,
    out_head: *mut privshare_buffer,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: per the crate's pointer contract.
        let (log, signer) = unsafe { (borrow(log, "log")?, borrow(signer, "signer")?) };
        let out_head = out(out_head, "out_head")?;
        let head = log.sign_tree_head(signer)?;
        // SAFETY: `out_head` is non-NULL and valid for writes.
        unsafe { out_head.write(buffer_from_vec(head.as_bytes().to_vec())) };
        Ok(())
    })
}

/// Writes the inclusion proof of record `index` in the tree of `tree_size` records to `*out_proof`.
#[no_mangle]
pub unsafe extern "C" fn privshare_audit_log_inclusion_proof(
    log: *const privshare_audit_log,
    index: u64,
    tree_size: u64,
    out_proof: *mut privshare_buffer,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: per the crate's pointer contract.
        let log = unsafe { borrow(log, "log")? };
        let out_proof = out(out_proof, "out_proof")?;
        let proof = log.inclusion_proof(index, tree_size)?;
        // SAFETY: `out_proof` is non-NULL and valid for writes.
        unsafe { out_proof.write(buffer_from_vec(proof.encode())) };
        Ok(())
    })
}

/// Writes the consistency proof between the trees of `old_size` and `new_size` records to
/// `*out_proof` (`0 < old_size <= new_size`).
#[no_mangle]
pub unsafe extern "C" fn privshare_audit_log_consistency_proof(
    log: *const privshare_audit_log,
    old_size: u64,
    new_size: u64,
    out_proof: *mut privshare_buffer,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: per the crate's pointer contract.
        let log = unsafe { borrow(log, "log")? };
        let out_proof = out(out_proof, "out_proof")?;
        let proof = log.consistency_proof(old_size, new_size)?;
        // SAFETY: `out_proof` is non-NULL and valid for writes.
        unsafe { out_proof.write(buffer_from_vec(proof.encode())) };
        Ok(())
    })
}

/// Writes the leaf hash (32 bytes) of one record, given as a JSON object, in `suite`'s hash to
/// `out_hash`: what an inclusion proof proves.
#[no_mangle]
pub unsafe extern "C" fn privshare_audit_record_leaf_hash(
    suite: u32,
    json: *const u8,
    json_len: usize,
    out_hash: *mut u8,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: per the crate's pointer contract.
        let json = unsafe { bytes(json, json_len, "json")? };
        let record = Record::from_json(json_arg(json)?)?;
        let h = leaf_hash(suite_of(suite)?, &record.encode());
        // SAFETY: checked by `put`; valid for 32 bytes by the contract.
        unsafe { put(out_hash.cast::<[u8; 32]>(), h, "out_hash") }
    })
}

// --- proofs and tree heads -----------------------------------------------------------------------

/// Checks an inclusion proof (`proof_len` bytes) for `leaf_hash` against `root` (32 bytes each):
/// `PRIVSHARE_STATUS_OK`, or `PRIVSHARE_STATUS_AUTHENTICATION_FAILED` if it does not prove it.
#[no_mangle]
pub unsafe extern "C" fn privshare_audit_inclusion_proof_verify(
    proof: *const u8,
    proof_len: usize,
    leaf_hash: *const u8,
    root: *const u8,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: per the crate's pointer contract.
        let (proof, leaf, root) =
            unsafe { (bytes(proof, proof_len, "proof")?, hash_arg(leaf_hash, "leaf_hash")?, hash_arg(root, "root")?) };
        InclusionProof::decode(proof)?.verify(&leaf, &root)?;
        Ok(())
    })
}

/// Checks a consistency proof: the tree with root `old_root` is a prefix of the tree with root
/// `new_root` (sizes are in the proof). `PRIVSHARE_STATUS_AUTHENTICATION_FAILED` if not proven.
#[no_mangle]
pub unsafe extern "C" fn privshare_audit_consistency_proof_verify(
    proof: *const u8,
    proof_len: usize,
    old_root: *const u8,
    new_root: *const u8,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: per the crate's pointer contract.
        let (proof, old, new) = unsafe {
            (bytes(proof, proof_len, "proof")?, hash_arg(old_root, "old_root")?, hash_arg(new_root, "new_root")?)
        };
        ConsistencyProof::decode(proof)?.verify(&old, &new)?;
        Ok(())
    })
}

/// Parses a signed tree head (without verifying it) into `*out_head`.
#[no_mangle]
pub unsafe extern "C" fn privshare_audit_tree_head_parse(
    head: *const u8,
    head_len: usize,
    out_head: *mut privshare_audit_tree_head,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: per the crate's pointer contract.
        let raw = unsafe { bytes(head, head_len, "head")? };
        let signed = SignedTreeHead::decode(raw)?;
        let h = signed.head();
        let fields = privshare_audit_tree_head {
            suite: h.suite.id() as u32,
            log_id: h.log_id,
            tree_size: h.tree_size,
            timestamp_ms: h.timestamp_ms,
            root: h.root,
            key_id: signed.key_id(),
        };
        // SAFETY: checked by `put`.
        unsafe { put(out_head, fields, "out_head") }
    })
}

// --- keys -------------------------------------------------------------------------------------

/// Generates an Ed25519 tree head key (for SM2 or ECDSA P-256, load a PKCS#8 key from
/// `privshare_signing_key_generate` or openssl with `privshare_audit_signer_load_pkcs8`). Its PKCS#8 encoding (secret: store it protected) goes to
/// `*out_pkcs8` if that is not NULL (free with `privshare_buffer_free`, which wipes it).
#[no_mangle]
pub unsafe extern "C" fn privshare_audit_signer_generate(
    out_signer: *mut *mut privshare_audit_signer,
    out_pkcs8: *mut privshare_buffer,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        let out_signer = out(out_signer, "out_signer")?;
        let signer = SigningKey::generate(SignatureAlgorithm::Ed25519)?;
        // SAFETY: both outputs are NULL-checked, valid for writes by the contract.
        unsafe {
            put_opt(out_pkcs8, buffer_from_vec(signer.to_pkcs8_der().expose().to_vec()));
            hand_out_boxed(out_signer, signer);
        }
        Ok(())
    })
}

/// Loads a tree head key from PKCS#8, PEM or DER: Ed25519, ECDSA P-256 or SM2 (what `openssl
/// genpkey` writes, or `privshare_signing_key_private_pem`: one identity may sign envelopes and heads).
#[no_mangle]
pub unsafe extern "C" fn privshare_audit_signer_load_pkcs8(
    pkcs8: *const u8,
    pkcs8_len: usize,
    out_signer: *mut *mut privshare_audit_signer,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: per the crate's pointer contract.
        let pkcs8 = unsafe { bytes(pkcs8, pkcs8_len, "pkcs8")? };
        let out_signer = out(out_signer, "out_signer")?;
        let signer = crate::identity::signing_key(pkcs8)?;
        // SAFETY: `out_signer` is non-NULL.
        unsafe { hand_out_boxed(out_signer, signer) };
        Ok(())
    })
}

/// Writes the signer's public key as DER SubjectPublicKeyInfo to `*out_spki` (what verifiers
/// take; its SHA-256 is the key id).
#[no_mangle]
pub unsafe extern "C" fn privshare_audit_signer_public_key(
    signer: *const privshare_audit_signer,
    out_spki: *mut privshare_buffer,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: per the crate's pointer contract.
        let signer = unsafe { borrow(signer, "signer")? };
        let out_spki = out(out_spki, "out_spki")?;
        // SAFETY: `out_spki` is non-NULL and valid for writes.
        unsafe { out_spki.write(buffer_from_vec(signer.verifying_key().to_spki_der())) };
        Ok(())
    })
}

/// Releases a signer (NULL is accepted).
#[no_mangle]
pub unsafe extern "C" fn privshare_audit_signer_free(signer: *mut privshare_audit_signer) {
    // SAFETY: per the crate's pointer contract.
    unsafe { free_boxed(signer) }
}

// --- the verifier -------------------------------------------------------------------------------

/// Makes an empty verifier: add at least one key before verifying.
#[no_mangle]
pub unsafe extern "C" fn privshare_audit_verifier_new(
    out_verifier: *mut *mut privshare_audit_verifier,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        let out_verifier = out(out_verifier, "out_verifier")?;
        // SAFETY: `out_verifier` is non-NULL.
        unsafe { hand_out_boxed(out_verifier, Verifier { keys: Vec::new(), trusted: Vec::new() }) };
        Ok(())
    })
}

/// Accepts tree heads signed by the key in `spki` (SubjectPublicKeyInfo, DER or PEM: Ed25519, ECDSA
/// P-256 or SM2; the key fixes the algorithm).
/// Several keys may be added (a log whose key was rotated).
#[no_mangle]
pub unsafe extern "C" fn privshare_audit_verifier_add_key(
    verifier: *mut privshare_audit_verifier,
    spki: *const u8,
    spki_len: usize,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        if verifier.is_null() {
            return Err(Failure::null("verifier"));
        }
        // SAFETY: per the crate's pointer contract.
        let spki = unsafe { bytes(spki, spki_len, "spki")? };
        let key = crate::identity::verifying_key(spki)?;
        // SAFETY: a live, non-NULL handle made by `privshare_audit_verifier_new`; the caller does
        // not use it concurrently while adding.
        unsafe { &mut *verifier.cast::<Verifier>() }.keys.push(key);
        Ok(())
    })
}

/// Trusts a signed tree head obtained outside the log file (`head_len` bytes): logs verified
/// later must contain its records unchanged. Its signature is checked when a log is verified.
#[no_mangle]
pub unsafe extern "C" fn privshare_audit_verifier_trust(
    verifier: *mut privshare_audit_verifier,
    head: *const u8,
    head_len: usize,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        if verifier.is_null() {
            return Err(Failure::null("verifier"));
        }
        // SAFETY: per the crate's pointer contract.
        let head = SignedTreeHead::decode(unsafe { bytes(head, head_len, "head")? })?;
        // SAFETY: as in `privshare_audit_verifier_add_key`.
        unsafe { &mut *verifier.cast::<Verifier>() }.trusted.push(head);
        Ok(())
    })
}

/// Verifies the log file at `path` (see `docs/formats/audit-log.md` section 8 for what each
/// failure means: `PRIVSHARE_STATUS_AUDIT_LOG_MISMATCH`, `_TRUNCATED`, `_FORKED`, `_TORN_TAIL`,
/// `PRIVSHARE_STATUS_MALFORMED_AUDIT_LOG`, `PRIVSHARE_STATUS_UNKNOWN_KEY`,
/// `PRIVSHARE_STATUS_AUTHENTICATION_FAILED`) and writes what it holds to `*out_report`.
#[no_mangle]
pub unsafe extern "C" fn privshare_audit_verifier_verify_file(
    verifier: *const privshare_audit_verifier,
    path: *const std::ffi::c_char,
    out_report: *mut privshare_audit_report,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: per the crate's pointer contract.
        let (v, path) = unsafe { (borrow(verifier, "verifier")?, c_str(path, "path")?) };
        let out_report = out(out_report, "out_report")?;
        let r = v.log_verifier()?.verify_file(path)?;
        let report = privshare_audit_report {
            records: r.records,
            batches: r.batches,
            tree_heads: r.tree_heads,
            signed_records: r.signed_records,
            unsigned_records: r.unsigned_records,
            root: r.root,
            log_id: r.log_id,
            suite: r.suite.id() as u32,
        };
        // SAFETY: `out_report` is non-NULL and valid for writes.
        unsafe { out_report.write(report) };
        Ok(())
    })
}

/// Verifies a signed tree head's signature with the verifier's keys
/// (`PRIVSHARE_STATUS_UNKNOWN_KEY`, `PRIVSHARE_STATUS_AUTHENTICATION_FAILED`).
#[no_mangle]
pub unsafe extern "C" fn privshare_audit_verifier_verify_tree_head(
    verifier: *const privshare_audit_verifier,
    head: *const u8,
    head_len: usize,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: per the crate's pointer contract.
        let (v, head) = unsafe { (borrow(verifier, "verifier")?, bytes(head, head_len, "head")?) };
        SignedTreeHead::decode(head)?.verify(&v.key_refs())?;
        Ok(())
    })
}

/// Checks that two signed heads of one log can both be true: the older is a prefix of the newer by
/// `proof` (a consistency proof; may be NULL with length 0 when the sizes are equal).
/// `PRIVSHARE_STATUS_AUDIT_LOG_FORKED` if not.
#[no_mangle]
pub unsafe extern "C" fn privshare_audit_verifier_check_consistency(
    verifier: *const privshare_audit_verifier,
    old_head: *const u8,
    old_head_len: usize,
    new_head: *const u8,
    new_head_len: usize,
    proof: *const u8,
    proof_len: usize,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: per the crate's pointer contract.
        let (v, old, new, proof) = unsafe {
            (
                borrow(verifier, "verifier")?,
                bytes(old_head, old_head_len, "old_head")?,
                bytes(new_head, new_head_len, "new_head")?,
                bytes(proof, proof_len, "proof")?,
            )
        };
        let (old, new) = (SignedTreeHead::decode(old)?, SignedTreeHead::decode(new)?);
        let proof = if proof.is_empty() { None } else { Some(ConsistencyProof::decode(proof)?) };
        v.log_verifier()?.check_consistency(&old, &new, proof.as_ref())?;
        Ok(())
    })
}

/// Releases a verifier (NULL is accepted).
#[no_mangle]
pub unsafe extern "C" fn privshare_audit_verifier_free(verifier: *mut privshare_audit_verifier) {
    // SAFETY: per the crate's pointer contract.
    unsafe { free_boxed(verifier) }
}
