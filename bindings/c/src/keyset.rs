//! `privshare_keyset`: generate, load, save, rotate.
//!
//! The handle owns a `RwLock<Keyset>`: functions taking `const privshare_keyset *` only read and
//! may run concurrently from many threads; `privshare_keyset_rotate` takes the write lock, so
//! even a caller who rotates while other threads build ciphers gets no data race.

use crate::boundary::{bytes, c_bytes, ffi_boundary, ffi_value_boundary, out};
use crate::buffer::{buffer_from_vec, privshare_buffer};
use crate::error::{privshare_error, privshare_status, Failure};
use crate::handle::{self, Boxed, Handle};
use privshare_core::keys::store::{Argon2Params, LoadOptions, RawKek};
use privshare_core::{Error, ErrorKind, Keyset, Suite};
use std::sync::{RwLock, RwLockReadGuard};

/// AES-256, HMAC-SHA-256, HKDF-SHA-256.
pub const PRIVSHARE_SUITE_AES: u32 = 1;
/// SM4, HMAC-SM3, HKDF-SM3 (Chinese national algorithms).
pub const PRIVSHARE_SUITE_SM: u32 = 2;

/// A set of key versions with one primary. Made by `privshare_keyset_generate` or
/// `privshare_keyset_load_*`, released by `privshare_keyset_free`.
pub struct privshare_keyset {
    _private: [u8; 0],
}

impl Handle for privshare_keyset {
    type Ownership = Boxed;
    type Inner = RwLock<Keyset>;
}

fn unknown_suite(id: u32) -> privshare_core::Error {
    privshare_core::Error::new(ErrorKind::InvalidArgument, format!("unknown suite {id} (expected 1 or 2)"))
}

fn suite(id: u32) -> Result<Suite, Failure> {
    u8::try_from(id).ok().and_then(Suite::from_id).ok_or_else(|| Failure::Core(unknown_suite(id)))
}

/// Borrows the keyset behind a handle for reading.
///
/// # Safety
/// `ks` is NULL or a live handle made by this module.
pub(crate) unsafe fn read<'a>(ks: *const privshare_keyset, what: &str) -> Result<RwLockReadGuard<'a, Keyset>, Failure> {
    // SAFETY: forwarded contract.
    let lock = unsafe { handle::borrow(ks, what)? };
    // A poisoned lock means a panic while rotating; the keyset itself stays consistent (rotation
    // changes it only after the new key exists), so keep serving it.
    Ok(lock.read().unwrap_or_else(|p| p.into_inner()))
}

/// Writes a new handle for `keyset` into `*out`.
///
/// # Safety
/// `out_ptr` was checked non-NULL and is valid for writes.
unsafe fn hand_out(keyset: Keyset, out_ptr: *mut *mut privshare_keyset) {
    // SAFETY: forwarded contract.
    unsafe { handle::hand_out(out_ptr, handle::boxed(RwLock::new(keyset))) };
}

/// Generates a keyset with one fresh primary version of `suite` (`PRIVSHARE_SUITE_AES` or
/// `PRIVSHARE_SUITE_SM`) and writes it to `*out`.
#[no_mangle]
pub unsafe extern "C" fn privshare_keyset_generate(
    suite_id: u32,
    out_keyset: *mut *mut privshare_keyset,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        let out_keyset = out(out_keyset, "out")?;
        let ks = Keyset::generate(suite(suite_id)?)?;
        // SAFETY: `out_keyset` is non-NULL.
        unsafe { hand_out(ks, out_keyset) };
        Ok(())
    })
}

/// What a loader demands of a stored keyset beyond authenticity. Zero-initialize it
/// (`privshare_keyset_load_options opts = {0};`) for the defaults, then set what you need; passing
/// NULL instead of a pointer to it also means the defaults.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct privshare_keyset_load_options {
    /// Refuse (`PRIVSHARE_STATUS_KEYSET_ROLLED_BACK`) a keyset whose generation is lower: pass the
    /// `privshare_keyset_generation` recorded when it was last saved. 0: no minimum.
    pub min_generation: u64,
    /// Passphrase-protected keysets only: the most Argon2id memory (KiB) a file may ask for.
    /// 0: the default cap, 262144 (256 MiB).
    pub argon2_max_m_cost_kib: u32,
    /// The most Argon2id passes. 0: the default cap, 8.
    pub argon2_max_t_cost: u32,
    /// The most Argon2id lanes. 0: the default cap, 8.
    pub argon2_max_p_cost: u32,
}

/// The core's options for `options` (NULL: the defaults).
///
/// # Safety
/// `options` is NULL or valid for reads.
unsafe fn load_options(options: *const privshare_keyset_load_options) -> Result<LoadOptions, Failure> {
    let o = if options.is_null() {
        privshare_keyset_load_options {
            min_generation: 0,
            argon2_max_m_cost_kib: 0,
            argon2_max_t_cost: 0,
            argon2_max_p_cost: 0,
        }
    } else {
        // SAFETY: non-NULL and valid for reads by the caller's contract.
        unsafe { options.read() }
    };
    let default = Argon2Params::DEFAULT_CAPS;
    let or_default = |asked: u32, default: u32| if asked == 0 { default } else { asked };
    let caps = Argon2Params::new(
        or_default(o.argon2_max_m_cost_kib, default.m_cost_kib()),
        or_default(o.argon2_max_t_cost, default.t_cost()),
        or_default(o.argon2_max_p_cost, default.p_cost()),
    )
    .map_err(|_| {
        Error::new(
            ErrorKind::InvalidArgument,
            "Argon2id caps must satisfy 8 x lanes <= memory <= 1048576 KiB, passes <= 16, lanes <= 16",
        )
    })?;
    Ok(LoadOptions::new().min_generation(o.min_generation).argon2_caps(caps))
}

/// Loads a stored keyset (JSON, `json_len` bytes) whose keys are wrapped by the raw
/// key-encryption key `kek` (32 bytes: AES-256-GCM; 16 bytes: SM4-GCM), with `options` (NULL for
/// the defaults). A wrong KEK or a modified document gives `PRIVSHARE_STATUS_KEY_UNWRAP_FAILED`; a
/// document of the wrong shape `PRIVSHARE_STATUS_MALFORMED_KEYSET`; one older than
/// `options->min_generation` `PRIVSHARE_STATUS_KEYSET_ROLLED_BACK`.
#[no_mangle]
pub unsafe extern "C" fn privshare_keyset_load_json_kek(
    json: *const u8,
    json_len: usize,
    kek: *const u8,
    kek_len: usize,
    options: *const privshare_keyset_load_options,
    out_keyset: *mut *mut privshare_keyset,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: pointer/length pairs from the caller, per the crate's pointer contract.
        let (json, kek) = unsafe { (json_text(json, json_len)?, bytes(kek, kek_len, "kek")?) };
        // SAFETY: NULL or valid for reads, per the crate's pointer contract.
        let options = unsafe { load_options(options)? };
        let out_keyset = out(out_keyset, "out")?;
        let ks = Keyset::from_json_with_options(json, &RawKek::from_bytes(kek)?, &options)?;
        // SAFETY: `out_keyset` is non-NULL.
        unsafe { hand_out(ks, out_keyset) };
        Ok(())
    })
}

/// Loads a stored keyset (JSON, `json_len` bytes) wrapped under a passphrase (a NUL-terminated
/// string; its bytes are used as they are, UTF-8 recommended), with `options` (NULL for the
/// defaults). Errors as for `privshare_keyset_load_json_kek`; in addition, Argon2id costs above the
/// caps in `options` are `PRIVSHARE_STATUS_MALFORMED_KEYSET`, found before Argon2id runs, and caps
/// outside the bounds (8 x lanes <= memory <= 1048576 KiB, passes and lanes <= 16) are
/// `PRIVSHARE_STATUS_INVALID_ARGUMENT`.
#[no_mangle]
pub unsafe extern "C" fn privshare_keyset_load_json_passphrase(
    json: *const u8,
    json_len: usize,
    passphrase: *const std::ffi::c_char,
    options: *const privshare_keyset_load_options,
    out_keyset: *mut *mut privshare_keyset,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: pointer arguments from the caller, per the crate's pointer contract.
        let (json, pass) = unsafe { (json_text(json, json_len)?, c_bytes(passphrase, "passphrase")?) };
        // SAFETY: NULL or valid for reads, per the crate's pointer contract.
        let options = unsafe { load_options(options)? };
        let out_keyset = out(out_keyset, "out")?;
        let ks = Keyset::from_json_with_passphrase_options(json, pass, &options)?;
        // SAFETY: `out_keyset` is non-NULL.
        unsafe { hand_out(ks, out_keyset) };
        Ok(())
    })
}

/// Stores the keyset as JSON with every key wrapped by the raw key-encryption key `kek` (32 bytes:
/// AES-256-GCM; 16 bytes: SM4-GCM), into a new `*out` buffer (free it with
/// `privshare_buffer_free`). Other KEK lengths give `PRIVSHARE_STATUS_INVALID_ARGUMENT`.
#[no_mangle]
pub unsafe extern "C" fn privshare_keyset_save_json_kek(
    keyset: *const privshare_keyset,
    kek: *const u8,
    kek_len: usize,
    out_json: *mut privshare_buffer,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: pointer arguments from the caller, per the crate's pointer contract.
        let (ks, kek) = unsafe { (read(keyset, "keyset")?, bytes(kek, kek_len, "kek")?) };
        let out_json = out(out_json, "out")?;
        let json = ks.to_json(&RawKek::from_bytes(kek)?)?;
        // SAFETY: `out_json` is non-NULL and valid for writes.
        unsafe { out_json.write(buffer_from_vec(json.into_bytes())) };
        Ok(())
    })
}

/// Stores the keyset as JSON with every key wrapped under `passphrase` (a NUL-terminated string,
/// stretched with Argon2id at RFC 9106's second recommended costs: 64 MiB, 3 passes, 4 lanes), into
/// a new `*out` buffer.
#[no_mangle]
pub unsafe extern "C" fn privshare_keyset_save_json_passphrase(
    keyset: *const privshare_keyset,
    passphrase: *const std::ffi::c_char,
    out_json: *mut privshare_buffer,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: pointer arguments from the caller, per the crate's pointer contract.
        let (ks, pass) = unsafe { (read(keyset, "keyset")?, c_bytes(passphrase, "passphrase")?) };
        let out_json = out(out_json, "out")?;
        let json = ks.to_json_with_passphrase(pass)?;
        // SAFETY: `out_json` is non-NULL and valid for writes.
        unsafe { out_json.write(buffer_from_vec(json.into_bytes())) };
        Ok(())
    })
}

/// INSECURE: loads a keyset exported by `privshare_keyset_save_insecure_plaintext_json`, whose root
/// keys are in plain hex. For test vectors and migrations only; anyone who reads such a document can
/// decrypt everything its keyset protects.
#[no_mangle]
pub unsafe extern "C" fn privshare_keyset_load_insecure_plaintext_json(
    json: *const u8,
    json_len: usize,
    out_keyset: *mut *mut privshare_keyset,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: a pointer/length pair from the caller, per the crate's pointer contract.
        let json = unsafe { json_text(json, json_len)? };
        let out_keyset = out(out_keyset, "out")?;
        let ks = Keyset::from_insecure_plaintext_json(json)?;
        // SAFETY: `out_keyset` is non-NULL.
        unsafe { hand_out(ks, out_keyset) };
        Ok(())
    })
}

/// INSECURE: the keyset as JSON with every root key in plain hex, into a new `*out` buffer (zeroized
/// when freed). For test vectors and migrations only: prefer `privshare_keyset_save_json_kek`.
#[no_mangle]
pub unsafe extern "C" fn privshare_keyset_save_insecure_plaintext_json(
    keyset: *const privshare_keyset,
    out_json: *mut privshare_buffer,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: a handle from the caller, per the crate's pointer contract.
        let ks = unsafe { read(keyset, "keyset")? };
        let out_json = out(out_json, "out")?;
        let json = ks.to_insecure_plaintext_json()?;
        // SAFETY: `out_json` is non-NULL and valid for writes.
        unsafe { out_json.write(buffer_from_vec(json.into_bytes())) };
        Ok(())
    })
}

/// Adds a new version of `suite` and makes it the primary; older versions keep decrypting.
/// Writes the new version's id to `*new_id` if `new_id` is not NULL. Ciphers made before the
/// rotation keep encrypting under the old primary: make new ones.
#[no_mangle]
pub unsafe extern "C" fn privshare_keyset_rotate(
    keyset: *mut privshare_keyset,
    suite_id: u32,
    new_id: *mut u32,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        let mut id = 0;
        // SAFETY: a handle from the caller, per the crate's pointer contract.
        unsafe {
            mutate(keyset, |ks| {
                id = ks.rotate(suite(suite_id).map_err(|_| unknown_suite(suite_id))?)?;
                Ok(())
            })?
        };
        if !new_id.is_null() {
            // SAFETY: non-NULL and valid for writes by the caller's contract.
            unsafe { new_id.write(id) };
        }
        Ok(())
    })
}

/// Runs a mutation of the keyset under its write lock.
///
/// # Safety
/// `keyset` is NULL or a live handle made by this module.
unsafe fn mutate(
    keyset: *mut privshare_keyset,
    change: impl FnOnce(&mut Keyset) -> privshare_core::Result<()>,
) -> Result<(), Failure> {
    // SAFETY: forwarded contract.
    let lock = unsafe { handle::borrow(keyset.cast_const(), "keyset")? };
    let mut ks = lock.write().unwrap_or_else(|p| p.into_inner());
    Ok(change(&mut ks)?)
}

/// Makes the enabled version `id` the primary (`PRIVSHARE_STATUS_UNKNOWN_KEY`,
/// `_KEY_DISABLED` or `_KEY_DESTROYED` otherwise).
#[no_mangle]
pub unsafe extern "C" fn privshare_keyset_set_primary(
    keyset: *mut privshare_keyset,
    id: u32,
    err: *mut *mut privshare_error,
) -> privshare_status {
    // SAFETY: a handle from the caller, per the crate's pointer contract.
    ffi_boundary!(err, { unsafe { mutate(keyset, |ks| ks.set_primary(id)) } })
}

/// Disables version `id`: its ciphertexts no longer decrypt (`PRIVSHARE_STATUS_KEY_DISABLED`) until
/// it is enabled again. The primary cannot be disabled (`PRIVSHARE_STATUS_KEYSET_STATE`). Ciphers
/// made before keep the keys they derived: make new ones.
#[no_mangle]
pub unsafe extern "C" fn privshare_keyset_disable(
    keyset: *mut privshare_keyset,
    id: u32,
    err: *mut *mut privshare_error,
) -> privshare_status {
    // SAFETY: a handle from the caller, per the crate's pointer contract.
    ffi_boundary!(err, { unsafe { mutate(keyset, |ks| ks.disable(id)) } })
}

/// Enables a disabled version `id` again.
#[no_mangle]
pub unsafe extern "C" fn privshare_keyset_enable(
    keyset: *mut privshare_keyset,
    id: u32,
    err: *mut *mut privshare_error,
) -> privshare_status {
    // SAFETY: a handle from the caller, per the crate's pointer contract.
    ffi_boundary!(err, { unsafe { mutate(keyset, |ks| ks.enable(id)) } })
}

/// Erases the key material of version `id` for good (`PRIVSHARE_STATUS_KEY_DESTROYED` from then
/// on). The primary cannot be destroyed (`PRIVSHARE_STATUS_KEYSET_STATE`).
#[no_mangle]
pub unsafe extern "C" fn privshare_keyset_destroy(
    keyset: *mut privshare_keyset,
    id: u32,
    err: *mut *mut privshare_error,
) -> privshare_status {
    // SAFETY: a handle from the caller, per the crate's pointer contract.
    ffi_boundary!(err, { unsafe { mutate(keyset, |ks| ks.destroy(id)) } })
}

/// The primary version's id (never 0), or 0 if `keyset` is NULL.
#[no_mangle]
pub unsafe extern "C" fn privshare_keyset_primary_id(keyset: *const privshare_keyset) -> u32 {
    // SAFETY: NULL or a live handle, per the crate's pointer contract.
    ffi_value_boundary!(0, unsafe { read(keyset, "keyset") }.map_or(0, |ks| ks.primary_id()))
}

/// The suite (`PRIVSHARE_SUITE_*`) of the primary version, or 0 if `keyset` is NULL.
#[no_mangle]
pub unsafe extern "C" fn privshare_keyset_primary_suite(keyset: *const privshare_keyset) -> u32 {
    // SAFETY: NULL or a live handle, per the crate's pointer contract.
    ffi_value_boundary!(0, unsafe { read(keyset, "keyset") }.map_or(0, |ks| u32::from(ks.primary().suite().id())))
}

/// The keyset's generation: 1 when generated, raised by one by every rotate, set_primary, disable,
/// enable and destroy; 0 for a keyset loaded from a file written before generations existed (and for
/// NULL). Record it after every save somewhere the keyset file's writer cannot roll back, and pass
/// it as `min_generation` when loading.
#[no_mangle]
pub unsafe extern "C" fn privshare_keyset_generation(keyset: *const privshare_keyset) -> u64 {
    // SAFETY: NULL or a live handle, per the crate's pointer contract.
    ffi_value_boundary!(0, unsafe { read(keyset, "keyset") }.map_or(0, |ks| ks.generation()))
}

/// Number of key versions (enabled, disabled and destroyed), or 0 if `keyset` is NULL.
#[no_mangle]
pub unsafe extern "C" fn privshare_keyset_version_count(keyset: *const privshare_keyset) -> usize {
    // SAFETY: NULL or a live handle, per the crate's pointer contract.
    ffi_value_boundary!(0, unsafe { read(keyset, "keyset") }.map_or(0, |ks| ks.versions().len()))
}

/// Frees a keyset (its key material is zeroized). NULL is accepted. Ciphers made from it stay
/// valid: they hold their own derived keys.
#[no_mangle]
pub unsafe extern "C" fn privshare_keyset_free(keyset: *mut privshare_keyset) {
    // SAFETY: NULL or a live handle, freed once, per the crate's pointer contract.
    unsafe { handle::free_boxed(keyset) }
}

/// A JSON document argument: bytes that must be UTF-8 (anything else is a malformed keyset).
///
/// # Safety
/// As for [`bytes`].
unsafe fn json_text<'a>(json: *const u8, len: usize) -> Result<&'a str, Failure> {
    // SAFETY: forwarded contract.
    let raw = unsafe { bytes(json, len, "json")? };
    std::str::from_utf8(raw).map_err(|e| {
        Failure::Core(
            privshare_core::Error::new(ErrorKind::MalformedKeyset, "stored keyset is not UTF-8")
                .at_offset(e.valid_up_to() as u64),
        )
    })
}
