//! `privshare_cipher`: one handle type for every field-encryption scheme, made from a keyset for
//! one (dataset, field) or purpose. Immutable once made (`const *`), holds its own derived keys,
//! and may be used from many threads at once.

use crate::boundary::{bytes, c_str, ffi_boundary, ffi_value_boundary, out, packed};
use crate::buffer::{buffer_from_vec, column_from_core, privshare_buffer, privshare_column, Contents};
use crate::error::{privshare_error, privshare_status, Failure, PRIVSHARE_STATUS_BUFFER_TOO_SMALL};
use crate::keyset::{privshare_keyset, read};
use crate::scheme::{encoding, Scheme, Secret};
use privshare_core::fle::{
    Alphabet, BankCardCipher, DateRange, DeterministicCipher, Ff1Cipher, MobileCipher, RandomizedCipher,
    ResidentIdCipher, Tokenizer,
};
use privshare_core::{Column, Packed};
use privshare_core::{KeyId, Keyset, Result};
use std::ffi::c_char;
use std::sync::Arc;

pub use crate::scheme::{
    PRIVSHARE_ENCODING_BINARY, PRIVSHARE_ENCODING_TEXT, PRIVSHARE_SCHEME_BANK_CARD, PRIVSHARE_SCHEME_DETERMINISTIC,
    PRIVSHARE_SCHEME_FF1, PRIVSHARE_SCHEME_MOBILE, PRIVSHARE_SCHEME_RANDOMIZED, PRIVSHARE_SCHEME_RESIDENT_ID,
    PRIVSHARE_SCHEME_TOKEN,
};

/// A field cipher of one scheme (`PRIVSHARE_SCHEME_*`), made by a `privshare_cipher_new_*`
/// function and released by `privshare_cipher_free`. Thread-safe: share one per column.
pub struct privshare_cipher {
    _private: [u8; 0],
}

/// An inclusive range of birth dates for resident identity numbers.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct privshare_date_range {
    /// First year, e.g. 1900.
    pub start_year: u16,
    /// First month, 1 to 12.
    pub start_month: u8,
    /// First day, 1 to 31.
    pub start_day: u8,
    /// Last year, e.g. 2099.
    pub end_year: u16,
    /// Last month, 1 to 12.
    pub end_month: u8,
    /// Last day, 1 to 31.
    pub end_day: u8,
}

/// Builds a cipher from the keyset and hands out a new handle in `*out_cipher`.
///
/// # Safety
/// `keyset` is NULL or a live handle; `out_cipher` is NULL or valid for writes.
unsafe fn make(
    keyset: *const privshare_keyset,
    out_cipher: *mut *const privshare_cipher,
    build: impl FnOnce(&Keyset) -> std::result::Result<Scheme, Failure>,
) -> std::result::Result<(), Failure> {
    // SAFETY: forwarded contract.
    let ks = unsafe { read(keyset, "keyset")? };
    let out_cipher = out(out_cipher, "out")?;
    let scheme = build(&ks)?;
    let handle = Arc::into_raw(Arc::new(scheme)).cast::<privshare_cipher>();
    // SAFETY: checked non-NULL; valid for writes by the caller's contract.
    unsafe { out_cipher.write(handle) };
    Ok(())
}

/// Borrows the scheme behind a handle.
///
/// # Safety
/// `cipher` is NULL or a live handle made by `make`.
unsafe fn scheme<'a>(cipher: *const privshare_cipher) -> std::result::Result<&'a Scheme, Failure> {
    if cipher.is_null() {
        return Err(Failure::null("cipher"));
    }
    // SAFETY: a non-NULL handle points into a live `Arc<Scheme>` made by `make`.
    Ok(unsafe { &*cipher.cast::<Scheme>() })
}

/// `key_id` 0 means "the keyset's primary"; real key ids are never 0.
fn version(ks: &Keyset, key_id: u32) -> KeyId {
    if key_id == 0 {
        ks.primary_id()
    } else {
        key_id
    }
}

/// Randomized encryption (AES-256-GCM or SM4-GCM, by the primary's suite) for `field` of
/// `dataset`, producing ciphertexts in `encoding` (`PRIVSHARE_ENCODING_TEXT` or `_BINARY`).
/// Decrypts ciphertexts of every enabled version of the keyset.
#[no_mangle]
pub unsafe extern "C" fn privshare_cipher_new_randomized(
    keyset: *const privshare_keyset,
    dataset: *const c_char,
    field: *const c_char,
    encoding_id: u32,
    out_cipher: *mut *const privshare_cipher,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: C strings from the caller, per the crate's pointer contract.
        let (dataset, field) = unsafe { (c_str(dataset, "dataset")?, c_str(field, "field")?) };
        let enc = encoding(encoding_id)?;
        // SAFETY: handle and out pointer from the caller.
        unsafe {
            make(keyset, out_cipher, |ks| Ok(Scheme::Randomized(RandomizedCipher::new(ks, dataset, field)?, enc)))
        }
    })
}

/// Deterministic encryption (AES-SIV or SM4-SIV) for `field` of `dataset`: equal values give equal
/// ciphertexts, so encrypted columns can be joined.
#[no_mangle]
pub unsafe extern "C" fn privshare_cipher_new_deterministic(
    keyset: *const privshare_keyset,
    dataset: *const c_char,
    field: *const c_char,
    encoding_id: u32,
    out_cipher: *mut *const privshare_cipher,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: C strings from the caller, per the crate's pointer contract.
        let (dataset, field) = unsafe { (c_str(dataset, "dataset")?, c_str(field, "field")?) };
        let enc = encoding(encoding_id)?;
        // SAFETY: handle and out pointer from the caller.
        unsafe {
            make(keyset, out_cipher, |ks| Ok(Scheme::Deterministic(DeterministicCipher::new(ks, dataset, field)?, enc)))
        }
    })
}

/// FF1 format-preserving encryption over `alphabet` (a NUL-terminated UTF-8 string of distinct
/// characters, e.g. "0123456789"), under key version `key_id` (0 = the primary). Values must be
/// UTF-8 made of the alphabet's characters; outputs have the same length and alphabet.
#[no_mangle]
pub unsafe extern "C" fn privshare_cipher_new_ff1(
    keyset: *const privshare_keyset,
    key_id: u32,
    dataset: *const c_char,
    field: *const c_char,
    alphabet: *const c_char,
    out_cipher: *mut *const privshare_cipher,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: C strings from the caller, per the crate's pointer contract.
        let (dataset, field, chars) =
            unsafe { (c_str(dataset, "dataset")?, c_str(field, "field")?, c_str(alphabet, "alphabet")?) };
        let alphabet = Alphabet::custom(chars)?;
        // SAFETY: handle and out pointer from the caller.
        unsafe {
            make(keyset, out_cipher, |ks| {
                Ok(Scheme::Ff1(Ff1Cipher::with_version(ks, version(ks, key_id), dataset, field, alphabet)?))
            })
        }
    })
}

/// Structure-aware encryption of 18-character resident identity numbers, birth dates kept within
/// `range` (NULL = 1900-01-01 to 2099-12-31), under key version `key_id` (0 = the primary).
#[no_mangle]
pub unsafe extern "C" fn privshare_cipher_new_resident_id(
    keyset: *const privshare_keyset,
    key_id: u32,
    dataset: *const c_char,
    field: *const c_char,
    range: *const privshare_date_range,
    out_cipher: *mut *const privshare_cipher,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: C strings from the caller, per the crate's pointer contract.
        let (dataset, field) = unsafe { (c_str(dataset, "dataset")?, c_str(field, "field")?) };
        let range = if range.is_null() {
            DateRange::default()
        } else {
            // SAFETY: non-NULL and valid for reads by the caller's contract.
            let r = unsafe { range.read() };
            DateRange { start: (r.start_year, r.start_month, r.start_day), end: (r.end_year, r.end_month, r.end_day) }
        };
        // SAFETY: handle and out pointer from the caller.
        unsafe {
            make(keyset, out_cipher, |ks| {
                Ok(Scheme::ResidentId(ResidentIdCipher::with_version(ks, version(ks, key_id), dataset, field, range)?))
            })
        }
    })
}

/// Structure-aware encryption of 11-digit mainland mobile numbers (carrier prefix kept), under key
/// version `key_id` (0 = the primary).
#[no_mangle]
pub unsafe extern "C" fn privshare_cipher_new_mobile(
    keyset: *const privshare_keyset,
    key_id: u32,
    dataset: *const c_char,
    field: *const c_char,
    out_cipher: *mut *const privshare_cipher,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: C strings from the caller, per the crate's pointer contract.
        let (dataset, field) = unsafe { (c_str(dataset, "dataset")?, c_str(field, "field")?) };
        // SAFETY: handle and out pointer from the caller.
        unsafe {
            make(keyset, out_cipher, |ks| {
                Ok(Scheme::Mobile(MobileCipher::with_version(ks, version(ks, key_id), dataset, field)?))
            })
        }
    })
}

/// Structure-aware encryption of bank card numbers (issuer prefix kept, Luhn digit recomputed),
/// under key version `key_id` (0 = the primary).
#[no_mangle]
pub unsafe extern "C" fn privshare_cipher_new_bank_card(
    keyset: *const privshare_keyset,
    key_id: u32,
    dataset: *const c_char,
    field: *const c_char,
    out_cipher: *mut *const privshare_cipher,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: C strings from the caller, per the crate's pointer contract.
        let (dataset, field) = unsafe { (c_str(dataset, "dataset")?, c_str(field, "field")?) };
        // SAFETY: handle and out pointer from the caller.
        unsafe {
            make(keyset, out_cipher, |ks| {
                Ok(Scheme::BankCard(BankCardCipher::with_version(ks, version(ks, key_id), dataset, field)?))
            })
        }
    })
}

/// Keyed linkage tokens for `purpose` under key version `key_id` (0 = the primary): the same value
/// gives the same token in every dataset; `encoding` TEXT gives text tokens, BINARY the 32 raw
/// bytes. Encrypt makes tokens; decrypt is refused (`PRIVSHARE_STATUS_INVALID_ARGUMENT`).
#[no_mangle]
pub unsafe extern "C" fn privshare_cipher_new_token(
    keyset: *const privshare_keyset,
    key_id: u32,
    purpose: *const c_char,
    encoding_id: u32,
    out_cipher: *mut *const privshare_cipher,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: a C string from the caller, per the crate's pointer contract.
        let purpose = unsafe { c_str(purpose, "purpose")? };
        let enc = encoding(encoding_id)?;
        // SAFETY: handle and out pointer from the caller.
        unsafe {
            make(keyset, out_cipher, |ks| {
                Ok(Scheme::Token(Tokenizer::with_version(ks, version(ks, key_id), purpose)?, enc))
            })
        }
    })
}

/// The cipher's scheme (`PRIVSHARE_SCHEME_*`), or 0 if `cipher` is NULL.
#[no_mangle]
pub unsafe extern "C" fn privshare_cipher_scheme(cipher: *const privshare_cipher) -> u32 {
    // SAFETY: NULL or a live handle, per the crate's pointer contract.
    ffi_value_boundary!(0, unsafe { scheme(cipher) }.map_or(0, |s| s.id()))
}

/// The key version the cipher encrypts (or tokenizes) under, or 0 if `cipher` is NULL.
#[no_mangle]
pub unsafe extern "C" fn privshare_cipher_key_id(cipher: *const privshare_cipher) -> u32 {
    // SAFETY: NULL or a live handle, per the crate's pointer contract.
    ffi_value_boundary!(0, unsafe { scheme(cipher) }.map_or(0, |s| s.key_id()))
}

/// Frees a cipher (its derived keys are zeroized). NULL is accepted.
#[no_mangle]
pub unsafe extern "C" fn privshare_cipher_free(cipher: *const privshare_cipher) {
    if cipher.is_null() {
        return;
    }
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: a non-NULL handle was made by `make` with `Arc::into_raw`; this releases the
        // one reference C holds.
        drop(unsafe { Arc::from_raw(cipher.cast::<Scheme>()) });
    }));
}

/// The optional record id argument: NULL means "not bound to a record".
///
/// # Safety
/// As for [`bytes`].
unsafe fn record<'a>(ptr: *const u8, len: usize) -> std::result::Result<Option<&'a [u8]>, Failure> {
    // SAFETY: forwarded contract.
    (!ptr.is_null()).then(|| unsafe { bytes(ptr, len, "record") }).transpose()
}

/// The common shape of the single-value calls.
///
/// # Safety
/// Pointer arguments per the crate's pointer contract.
unsafe fn one(
    cipher: *const privshare_cipher,
    record_ptr: *const u8,
    record_len: usize,
    value: *const u8,
    value_len: usize,
    op: ValueOp,
) -> std::result::Result<Secret, Failure> {
    // SAFETY: forwarded contract.
    let (s, rec, val) =
        unsafe { (scheme(cipher)?, record(record_ptr, record_len)?, bytes(value, value_len, "value")?) };
    Ok(op(s, rec, val)?)
}

/// Writes `result` into the caller's buffer, or reports the length needed.
///
/// # Safety
/// `out_buf` is NULL or valid for `out_cap` writes; `out_len` is NULL or valid for a write.
/// Checks a caller-buffer call's output pointers before any work: a call that cannot deliver its
/// result does none. `out` may be NULL only when `out_cap` is 0.
pub(crate) fn check_caller_buffer(
    out_buf: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> std::result::Result<(), Failure> {
    out(out_len, "out_len")?;
    if out_buf.is_null() && out_cap > 0 {
        return Err(Failure::null("out"));
    }
    Ok(())
}

pub(crate) unsafe fn into_caller(
    result: &[u8],
    out_buf: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> std::result::Result<(), Failure> {
    let out_len = out(out_len, "out_len")?;
    if result.len() > out_cap {
        // SAFETY: non-NULL and valid for a write. Telling the needed length is this status's point.
        unsafe { out_len.write(result.len()) };
        return Err(Failure::Ffi(
            PRIVSHARE_STATUS_BUFFER_TOO_SMALL,
            format!("output needs {} bytes but the buffer has {out_cap}", result.len()),
        ));
    }
    if !result.is_empty() {
        let out_buf = out(out_buf, "out")?;
        // SAFETY: `out_buf` is valid for `out_cap >= result.len()` writes, and cannot overlap
        // `result`, which the library allocated.
        unsafe { std::ptr::copy_nonoverlapping(result.as_ptr(), out_buf, result.len()) };
    }
    // SAFETY: non-NULL and valid for a write.
    unsafe { out_len.write(result.len()) };
    Ok(())
}

/// Cipher-specific encryption of one value (`value_len` bytes) into a new `*out` buffer (free it with
/// `privshare_buffer_free`). `record` (NULL = none) binds the value to a record id and is accepted by
/// the randomized scheme only. Format-preserving schemes take and give UTF-8 text.
#[no_mangle]
pub unsafe extern "C" fn privshare_cipher_encrypt(
    cipher: *const privshare_cipher,
    record: *const u8,
    record_len: usize,
    value: *const u8,
    value_len: usize,
    out_buf: *mut privshare_buffer,
    err: *mut *mut privshare_error,
) -> privshare_status {
    // SAFETY: pointer arguments from the caller, per the crate's pointer contract.
    ffi_boundary!(err, { unsafe { to_buffer(cipher, record, record_len, value, value_len, out_buf, Scheme::encrypt) } })
}

/// As `privshare_cipher_encrypt`, but into the caller's buffer `out` of `out_cap` bytes; the length is
/// written to `*out_len`. If the buffer is too small, returns `PRIVSHARE_STATUS_BUFFER_TOO_SMALL` with
/// the length needed in `*out_len` and leaves `out` untouched (call again with a larger buffer: the
/// needed length depends only on the input's length).
#[no_mangle]
pub unsafe extern "C" fn privshare_cipher_encrypt_into(
    cipher: *const privshare_cipher,
    record: *const u8,
    record_len: usize,
    value: *const u8,
    value_len: usize,
    out_buf: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        check_caller_buffer(out_buf, out_cap, out_len)?;
        // SAFETY: pointer arguments from the caller, per the crate's pointer contract.
        unsafe {
            let result = one(cipher, record, record_len, value, value_len, Scheme::encrypt)?;
            into_caller(&result, out_buf, out_cap, out_len)
        }
    })
}

/// Cipher-specific decryption of one value (`value_len` bytes) into a new `*out` buffer (free it with
/// `privshare_buffer_free`). `record` (NULL = none) binds the value to a record id and is accepted by
/// the randomized scheme only. Format-preserving schemes take and give UTF-8 text.
#[no_mangle]
pub unsafe extern "C" fn privshare_cipher_decrypt(
    cipher: *const privshare_cipher,
    record: *const u8,
    record_len: usize,
    value: *const u8,
    value_len: usize,
    out_buf: *mut privshare_buffer,
    err: *mut *mut privshare_error,
) -> privshare_status {
    // SAFETY: pointer arguments from the caller, per the crate's pointer contract.
    ffi_boundary!(err, { unsafe { to_buffer(cipher, record, record_len, value, value_len, out_buf, Scheme::decrypt) } })
}

/// As `privshare_cipher_decrypt`, but into the caller's buffer `out` of `out_cap` bytes; the length is
/// written to `*out_len`. If the buffer is too small, returns `PRIVSHARE_STATUS_BUFFER_TOO_SMALL` with
/// the length needed in `*out_len` and leaves `out` untouched (call again with a larger buffer: the
/// needed length depends only on the input's length).
#[no_mangle]
pub unsafe extern "C" fn privshare_cipher_decrypt_into(
    cipher: *const privshare_cipher,
    record: *const u8,
    record_len: usize,
    value: *const u8,
    value_len: usize,
    out_buf: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        check_caller_buffer(out_buf, out_cap, out_len)?;
        // SAFETY: pointer arguments from the caller, per the crate's pointer contract.
        unsafe {
            let result = one(cipher, record, record_len, value, value_len, Scheme::decrypt)?;
            into_caller(&result, out_buf, out_cap, out_len)
        }
    })
}

/// Cipher-specific encryption of a whole column: `count` values packed in `data`, value `i` being
/// `data[offsets[i] .. offsets[i + 1])` (`offsets` has `count + 1` entries, starts at 0, never
/// decreases; `data` may be NULL when all values are empty). `record_offsets` NULL means no record
/// binding; otherwise `record_data` and `record_offsets` give one record id per value (randomized
/// scheme only). The result goes to `*out` (free it with `privshare_column_free`). On failure nothing
/// is written and the error names the failing row.
#[no_mangle]
pub unsafe extern "C" fn privshare_cipher_encrypt_column(
    cipher: *const privshare_cipher,
    data: *const u8,
    offsets: *const usize,
    count: usize,
    record_data: *const u8,
    record_offsets: *const usize,
    out_col: *mut privshare_column,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: pointer arguments from the caller, per the crate's pointer contract.
        unsafe {
            column(
                cipher,
                data,
                offsets,
                count,
                record_data,
                record_offsets,
                out_col,
                Scheme::encrypt_column,
                Contents::Public,
            )
        }
    })
}

/// Cipher-specific decryption of a whole column: `count` values packed in `data`, value `i` being
/// `data[offsets[i] .. offsets[i + 1])` (`offsets` has `count + 1` entries, starts at 0, never
/// decreases; `data` may be NULL when all values are empty). `record_offsets` NULL means no record
/// binding; otherwise `record_data` and `record_offsets` give one record id per value (randomized
/// scheme only). The result goes to `*out` (free it with `privshare_column_free`). On failure nothing
/// is written and the error names the failing row.
#[no_mangle]
pub unsafe extern "C" fn privshare_cipher_decrypt_column(
    cipher: *const privshare_cipher,
    data: *const u8,
    offsets: *const usize,
    count: usize,
    record_data: *const u8,
    record_offsets: *const usize,
    out_col: *mut privshare_column,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: pointer arguments from the caller, per the crate's pointer contract.
        unsafe {
            column(
                cipher,
                data,
                offsets,
                count,
                record_data,
                record_offsets,
                out_col,
                Scheme::decrypt_column,
                Contents::Secret,
            )
        }
    })
}

/// The body of `privshare_cipher_encrypt` / `_decrypt`.
///
/// # Safety
/// Pointer arguments per the crate's pointer contract.
unsafe fn to_buffer(
    cipher: *const privshare_cipher,
    record: *const u8,
    record_len: usize,
    value: *const u8,
    value_len: usize,
    out_buf: *mut privshare_buffer,
    op: ValueOp,
) -> std::result::Result<(), Failure> {
    let out_buf = out(out_buf, "out")?;
    // SAFETY: forwarded contract.
    let mut result = unsafe { one(cipher, record, record_len, value, value_len, op)? };
    // SAFETY: checked non-NULL; valid for writes by the caller's contract.
    unsafe { out_buf.write(buffer_from_vec(std::mem::take(&mut *result))) };
    Ok(())
}

/// cbindgen:ignore
type ValueOp = fn(&Scheme, Option<&[u8]>, &[u8]) -> Result<Secret>;

/// cbindgen:ignore
type ColumnOp = fn(&Scheme, &Packed<'_>, Option<&Packed<'_>>) -> Result<Column>;

/// The body of the column functions.
///
/// # Safety
/// Pointer arguments per the crate's pointer contract.
#[allow(clippy::too_many_arguments)]
unsafe fn column(
    cipher: *const privshare_cipher,
    data: *const u8,
    offsets: *const usize,
    count: usize,
    record_data: *const u8,
    record_offsets: *const usize,
    out_col: *mut privshare_column,
    op: ColumnOp,
    contents: Contents,
) -> std::result::Result<(), Failure> {
    // SAFETY: forwarded contract.
    let (s, values) = unsafe { (scheme(cipher)?, packed(data, offsets, count, ("data", "offsets"))?) };
    let records = if record_offsets.is_null() {
        None
    } else {
        // SAFETY: forwarded contract.
        Some(unsafe { packed(record_data, record_offsets, count, ("record_data", "record_offsets"))? })
    };
    let out_col = out(out_col, "out")?;
    let col = op(s, &values, records.as_ref())?;
    // SAFETY: checked non-NULL; valid for writes by the caller's contract.
    unsafe { out_col.write(column_from_core(col, contents)) };
    Ok(())
}
