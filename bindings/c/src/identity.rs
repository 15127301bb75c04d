//! `privshare_signing_key`, `privshare_recipient_key`: envelope identities. Keys load from PKCS#8
//! (private) or SubjectPublicKeyInfo (public), in PEM or DER, e.g. as `openssl genpkey` makes them.

use crate::boundary::{bytes, ffi_boundary, out};
use crate::buffer::{buffer_from_vec, privshare_buffer};
use crate::error::{privshare_error, privshare_status, Failure};
use crate::handle::{borrow, free_boxed, hand_out_boxed, Boxed, Handle};
use privshare_core::envelope::{
    KemAlgorithm, RecipientKey, RecipientPublicKey, SignatureAlgorithm, SigningKey, VerifyingKey,
};
use privshare_core::ErrorKind;

/// Ed25519 (`aes` suite).
pub const PRIVSHARE_SIGNATURE_ED25519: u32 = 1;
/// ECDSA P-256 with SHA-256 (`aes` suite).
pub const PRIVSHARE_SIGNATURE_ECDSA_P256: u32 = 2;
/// SM2 with SM3 (`sm` suite).
pub const PRIVSHARE_SIGNATURE_SM2: u32 = 3;
/// HPKE with X25519 (`aes` suite).
pub const PRIVSHARE_KEM_X25519: u32 = 1;
/// HPKE with P-256 (`aes` suite).
pub const PRIVSHARE_KEM_P256: u32 = 2;
/// SM2 encryption (`sm` suite).
pub const PRIVSHARE_KEM_SM2: u32 = 3;

/// A private signing key. Made by `privshare_signing_key_generate` or `_load`, released by
/// `privshare_signing_key_free`. Immutable: may be used from many threads.
pub struct privshare_signing_key {
    _private: [u8; 0],
}

impl Handle for privshare_signing_key {
    type Ownership = Boxed;
    type Inner = SigningKey;
}

/// A recipient's private key. Made by `privshare_recipient_key_generate` or `_load`, released by
/// `privshare_recipient_key_free`. Immutable: may be used from many threads.
pub struct privshare_recipient_key {
    _private: [u8; 0],
}

impl Handle for privshare_recipient_key {
    type Ownership = Boxed;
    type Inner = RecipientKey;
}

fn signature_algorithm(id: u32) -> Result<SignatureAlgorithm, Failure> {
    match id {
        PRIVSHARE_SIGNATURE_ED25519 => Ok(SignatureAlgorithm::Ed25519),
        PRIVSHARE_SIGNATURE_ECDSA_P256 => Ok(SignatureAlgorithm::EcdsaP256Sha256),
        PRIVSHARE_SIGNATURE_SM2 => Ok(SignatureAlgorithm::Sm2Sm3),
        _ => Err(Failure::core(ErrorKind::InvalidArgument, format!("unknown signature algorithm {id}"))),
    }
}

fn kem_algorithm(id: u32) -> Result<KemAlgorithm, Failure> {
    match id {
        PRIVSHARE_KEM_X25519 => Ok(KemAlgorithm::HpkeX25519),
        PRIVSHARE_KEM_P256 => Ok(KemAlgorithm::HpkeP256),
        PRIVSHARE_KEM_SM2 => Ok(KemAlgorithm::Sm2),
        _ => Err(Failure::core(ErrorKind::InvalidArgument, format!("unknown recipient key algorithm {id}"))),
    }
}

/// True when `data` is PEM text rather than DER.
fn is_pem(data: &[u8]) -> bool {
    data.trim_ascii_start().starts_with(b"-----BEGIN")
}

fn pem_text(data: &[u8]) -> Result<&str, Failure> {
    std::str::from_utf8(data).map_err(|_| Failure::core(ErrorKind::NotUtf8, "PEM text is not UTF-8"))
}

/// A private signing key given as PKCS#8 PEM or DER.
pub(crate) fn signing_key(data: &[u8]) -> Result<SigningKey, Failure> {
    Ok(if is_pem(data) { SigningKey::from_pkcs8_pem(pem_text(data)?)? } else { SigningKey::from_pkcs8_der(data)? })
}

/// A public key given as SubjectPublicKeyInfo PEM or DER.
pub(crate) fn verifying_key(data: &[u8]) -> Result<VerifyingKey, Failure> {
    Ok(if is_pem(data) { VerifyingKey::from_spki_pem(pem_text(data)?)? } else { VerifyingKey::from_spki_der(data)? })
}

/// A recipient public key given as SubjectPublicKeyInfo PEM or DER.
pub(crate) fn recipient_public_key(data: &[u8]) -> Result<RecipientPublicKey, Failure> {
    Ok(if is_pem(data) {
        RecipientPublicKey::from_spki_pem(pem_text(data)?)?
    } else {
        RecipientPublicKey::from_spki_der(data)?
    })
}

fn write_id(id: &[u8; 32], out_id: *mut u8) -> Result<(), Failure> {
    let out_id = out(out_id, "out_key_id")?;
    // SAFETY: non-NULL; valid for 32 bytes by the function's contract.
    unsafe { std::ptr::copy_nonoverlapping(id.as_ptr(), out_id, 32) };
    Ok(())
}

/// Writes a buffer into `*out_buf` (checked non-NULL).
pub(crate) fn give(bytes: Vec<u8>, out_buf: *mut privshare_buffer) -> Result<(), Failure> {
    let out_buf = out(out_buf, "out")?;
    // SAFETY: non-NULL and writable by the caller's contract.
    unsafe { out_buf.write(buffer_from_vec(bytes)) };
    Ok(())
}

/// Generates a signing key of `algorithm` (`PRIVSHARE_SIGNATURE_*`).
#[no_mangle]
pub unsafe extern "C" fn privshare_signing_key_generate(
    algorithm: u32,
    out_key: *mut *mut privshare_signing_key,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        let out_key = out(out_key, "out_key")?;
        let key = SigningKey::generate(signature_algorithm(algorithm)?)?;
        // SAFETY: `out_key` is non-NULL.
        unsafe { hand_out_boxed(out_key, key) };
        Ok(())
    })
}

/// Loads a PKCS#8 private signing key, PEM (`-----BEGIN PRIVATE KEY-----`) or DER.
#[no_mangle]
pub unsafe extern "C" fn privshare_signing_key_load(
    data: *const u8,
    len: usize,
    out_key: *mut *mut privshare_signing_key,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        let out_key = out(out_key, "out_key")?;
        // SAFETY: valid for `len` bytes by the caller's contract.
        let data = unsafe { bytes(data, len, "data")? };
        let key = signing_key(data)?;
        // SAFETY: `out_key` is non-NULL.
        unsafe { hand_out_boxed(out_key, key) };
        Ok(())
    })
}

/// The private key as PKCS#8 PEM (secret: the buffer is zeroized when freed).
#[no_mangle]
pub unsafe extern "C" fn privshare_signing_key_private_pem(
    key: *const privshare_signing_key,
    out_pem: *mut privshare_buffer,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: a handle of this module or NULL.
        let key: &SigningKey = unsafe { borrow(key, "key")? };
        give(key.to_pkcs8_pem().as_bytes().to_vec(), out_pem)
    })
}

/// The public key as SubjectPublicKeyInfo PEM (what a trust registry holds).
#[no_mangle]
pub unsafe extern "C" fn privshare_signing_key_public_pem(
    key: *const privshare_signing_key,
    out_pem: *mut privshare_buffer,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: a handle of this module or NULL.
        let key: &SigningKey = unsafe { borrow(key, "key")? };
        give(key.verifying_key().to_spki_pem().into_bytes(), out_pem)
    })
}

/// Writes the key id (SHA-256 of the SubjectPublicKeyInfo DER) into `out_key_id[0..32)`.
#[no_mangle]
pub unsafe extern "C" fn privshare_signing_key_id(
    key: *const privshare_signing_key,
    out_key_id: *mut u8,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: a handle of this module or NULL.
        let key: &SigningKey = unsafe { borrow(key, "key")? };
        write_id(key.id().as_bytes(), out_key_id)
    })
}

/// Signs `message` (64-byte signature; the algorithm is the key's).
#[no_mangle]
pub unsafe extern "C" fn privshare_signing_key_sign(
    key: *const privshare_signing_key,
    message: *const u8,
    message_len: usize,
    out_signature: *mut privshare_buffer,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: a handle of this module or NULL; `message` valid for `message_len` bytes.
        let (key, message): (&SigningKey, _) =
            unsafe { (borrow(key, "key")?, bytes(message, message_len, "message")?) };
        give(key.sign(message)?, out_signature)
    })
}

/// Frees a signing key (its private key is zeroized). NULL is accepted.
#[no_mangle]
pub unsafe extern "C" fn privshare_signing_key_free(key: *mut privshare_signing_key) {
    // SAFETY: NULL or a handle of this module, not used afterwards.
    unsafe { free_boxed(key) }
}

/// Verifies `signature` over `message` with a public key (SubjectPublicKeyInfo PEM or DER), with
/// the key's own algorithm. A wrong signature is `PRIVSHARE_STATUS_AUTHENTICATION_FAILED`.
#[no_mangle]
pub unsafe extern "C" fn privshare_verify_signature(
    public_key: *const u8,
    public_key_len: usize,
    message: *const u8,
    message_len: usize,
    signature: *const u8,
    signature_len: usize,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: each pointer is valid for its length by the caller's contract.
        let (public_key, message, signature) = unsafe {
            (
                bytes(public_key, public_key_len, "public_key")?,
                bytes(message, message_len, "message")?,
                bytes(signature, signature_len, "signature")?,
            )
        };
        Ok(verifying_key(public_key)?.verify(message, signature)?)
    })
}

/// Generates a recipient key of `algorithm` (`PRIVSHARE_KEM_*`).
#[no_mangle]
pub unsafe extern "C" fn privshare_recipient_key_generate(
    algorithm: u32,
    out_key: *mut *mut privshare_recipient_key,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        let out_key = out(out_key, "out_key")?;
        let key = RecipientKey::generate(kem_algorithm(algorithm)?)?;
        // SAFETY: `out_key` is non-NULL.
        unsafe { hand_out_boxed(out_key, key) };
        Ok(())
    })
}

/// Loads a PKCS#8 private recipient key (X25519, P-256 or SM2), PEM or DER.
#[no_mangle]
pub unsafe extern "C" fn privshare_recipient_key_load(
    data: *const u8,
    len: usize,
    out_key: *mut *mut privshare_recipient_key,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        let out_key = out(out_key, "out_key")?;
        // SAFETY: valid for `len` bytes by the caller's contract.
        let data = unsafe { bytes(data, len, "data")? };
        let key = if is_pem(data) {
            RecipientKey::from_pkcs8_pem(pem_text(data)?)?
        } else {
            RecipientKey::from_pkcs8_der(data)?
        };
        // SAFETY: `out_key` is non-NULL.
        unsafe { hand_out_boxed(out_key, key) };
        Ok(())
    })
}

/// The private key as PKCS#8 PEM (secret: the buffer is zeroized when freed).
#[no_mangle]
pub unsafe extern "C" fn privshare_recipient_key_private_pem(
    key: *const privshare_recipient_key,
    out_pem: *mut privshare_buffer,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: a handle of this module or NULL.
        let key: &RecipientKey = unsafe { borrow(key, "key")? };
        give(key.to_pkcs8_pem().as_bytes().to_vec(), out_pem)
    })
}

/// The public key as SubjectPublicKeyInfo PEM (what senders seal to).
#[no_mangle]
pub unsafe extern "C" fn privshare_recipient_key_public_pem(
    key: *const privshare_recipient_key,
    out_pem: *mut privshare_buffer,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: a handle of this module or NULL.
        let key: &RecipientKey = unsafe { borrow(key, "key")? };
        give(key.public_key().to_spki_pem().into_bytes(), out_pem)
    })
}

/// Writes the key id into `out_key_id[0..32)`.
#[no_mangle]
pub unsafe extern "C" fn privshare_recipient_key_id(
    key: *const privshare_recipient_key,
    out_key_id: *mut u8,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: a handle of this module or NULL.
        let key: &RecipientKey = unsafe { borrow(key, "key")? };
        write_id(key.id().as_bytes(), out_key_id)
    })
}

/// Frees a recipient key (its private key is zeroized). NULL is accepted.
#[no_mangle]
pub unsafe extern "C" fn privshare_recipient_key_free(key: *mut privshare_recipient_key) {
    // SAFETY: NULL or a handle of this module, not used afterwards.
    unsafe { free_boxed(key) }
}
