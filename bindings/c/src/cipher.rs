//! `privshare_cipher`: one handle type for every field-encryption scheme, made from a keyset for
//! one (dataset, field) or purpose. Immutable once made (`const *`), holds its own derived keys,
//! and may be used from many threads at once.

use crate::boundary::{bytes, c_str, ffi_boundary, ffi_value_boundary, optional_bytes, out, packed};
use crate::buffer::{buffer_from_vec, column_from_core, privshare_buffer, privshare_column};
use crate::error::{privshare_error, privshare_status, Failure, PRIVSHARE_STATUS_BUFFER_TOO_SMALL};
use crate::handle::{self, Handle, Shared};
use crate::keyset::{privshare_keyset, read};
use privshare_core::fle::{
    Alphabet, BankCardCipher, DateRange, DeterministicCipher, Encoding, Ff1Cipher, FieldCipher, MobileCipher, Padding,
    RandomizedCipher, ResidentIdCipher, Tokenizer,
};
use privshare_core::{Error, ErrorKind, KeyId, Keyset, OnInvalid, Packed, Result, Values};
use std::ffi::c_char;
use zeroize::Zeroizing;

/// Randomized AEAD (AES-256-GCM / SM4-GCM); the only scheme that binds a record id.
pub const PRIVSHARE_SCHEME_RANDOMIZED: u32 = 1;
/// Deterministic AEAD (AES-SIV / SM4-SIV), for equality joins.
pub const PRIVSHARE_SCHEME_DETERMINISTIC: u32 = 2;
/// FF1 format-preserving encryption over an alphabet.
pub const PRIVSHARE_SCHEME_FF1: u32 = 3;
/// Resident identity numbers (GB 11643) to valid resident identity numbers.
pub const PRIVSHARE_SCHEME_RESIDENT_ID: u32 = 4;
/// Mainland mobile numbers to valid mobile numbers.
pub const PRIVSHARE_SCHEME_MOBILE: u32 = 5;
/// Bank card numbers to valid (Luhn) bank card numbers.
pub const PRIVSHARE_SCHEME_BANK_CARD: u32 = 6;
/// Keyed linkage tokens (HMAC); one-way: decrypt is refused.
pub const PRIVSHARE_SCHEME_TOKEN: u32 = 7;

/// Ciphertexts (and tokens) as text: `ps1:` + base64url, safe in CSV and JSON cells.
pub const PRIVSHARE_ENCODING_TEXT: u32 = 0;
/// Ciphertexts as raw bytes (tokens: the 32 raw bytes).
pub const PRIVSHARE_ENCODING_BINARY: u32 = 1;

/// The default handling of invalid values in a column call: an error for ciphers; for maskers,
/// the masker's own (masked completely, or an error if strict).
pub const PRIVSHARE_ON_INVALID_DEFAULT: u32 = 0;
/// Fail the call at the first invalid value (the error names its row).
pub const PRIVSHARE_ON_INVALID_ERROR: u32 = 1;
/// Give an empty value for each invalid one and list its row in the column's `invalid_rows`.
pub const PRIVSHARE_ON_INVALID_NULL: u32 = 2;
/// Keep each invalid value unchanged and list its row in the column's `invalid_rows`.
pub const PRIVSHARE_ON_INVALID_KEEP_MARKED: u32 = 3;

fn encoding(id: u32) -> Result<Encoding> {
    match id {
        PRIVSHARE_ENCODING_TEXT => Ok(Encoding::Text),
        PRIVSHARE_ENCODING_BINARY => Ok(Encoding::Binary),
        _ => Err(Error::new(ErrorKind::InvalidArgument, format!("unknown encoding {id} (expected 0 or 1)"))),
    }
}

/// The `on_invalid` argument: `None` for `PRIVSHARE_ON_INVALID_DEFAULT`.
pub(crate) fn on_invalid_choice(id: u32) -> Result<Option<OnInvalid>> {
    OnInvalid::from_id(id)
}

/// What a `privshare_cipher` handle holds: the core's cipher and the encoding it was made for.
pub(crate) struct Cipher {
    cipher: Box<dyn FieldCipher>,
    encoding: Encoding,
}

/// Bytes that may be plaintext: zeroized when dropped.
/// cbindgen:ignore
pub(crate) type Secret = Zeroizing<Vec<u8>>;

/// A field cipher of one scheme (`PRIVSHARE_SCHEME_*`), made by a `privshare_cipher_new_*`
/// function and released by `privshare_cipher_free`. Thread-safe: share one per column.
pub struct privshare_cipher {
    _private: [u8; 0],
}

impl Handle for privshare_cipher {
    type Ownership = Shared;
    type Inner = Cipher;
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
    encoding: Encoding,
    build: impl FnOnce(&Keyset) -> Result<Box<dyn FieldCipher>>,
) -> std::result::Result<(), Failure> {
    // SAFETY: forwarded contract.
    let ks = unsafe { read(keyset, "keyset")? };
    let out_cipher = out(out_cipher, "out")?;
    let cipher = build(&ks)?;
    // SAFETY: checked non-NULL; valid for writes by the caller's contract.
    unsafe { handle::hand_out(out_cipher, handle::shared(Cipher { cipher, encoding })) };
    Ok(())
}

/// Borrows the cipher behind a handle.
///
/// # Safety
/// `cipher` is NULL or a live handle.
unsafe fn cipher<'a>(cipher: *const privshare_cipher) -> std::result::Result<&'a Cipher, Failure> {
    // SAFETY: forwarded contract.
    unsafe { handle::borrow(cipher, "cipher") }
}

/// `key_id` 0 means "the keyset's primary" (real key ids are never 0); for tokens only, whose text
/// form names the version.
fn token_version(ks: &Keyset, key_id: u32) -> KeyId {
    if key_id == 0 {
        ks.primary_id()
    } else {
        key_id
    }
}

/// The two AEAD schemes, which take a padding.
#[derive(Clone, Copy)]
enum Aead {
    Randomized,
    Deterministic,
}

/// Builds a randomized or deterministic cipher; `padding` is NULL for none (the unpadded
/// constructors) or a padding name.
///
/// # Safety
/// Every pointer as the exported constructors document it.
unsafe fn aead_cipher(
    scheme: Aead,
    keyset: *const privshare_keyset,
    (dataset, field): (*const c_char, *const c_char),
    encoding_id: u32,
    padding: Option<*const c_char>,
    out_cipher: *mut *const privshare_cipher,
) -> std::result::Result<(), Failure> {
    // SAFETY: C strings from the caller, per the crate's pointer contract.
    let (dataset, field) = unsafe { (c_str(dataset, "dataset")?, c_str(field, "field")?) };
    let padding = match padding {
        None => Padding::None,
        // SAFETY: as above.
        Some(p) => Padding::parse(unsafe { c_str(p, "padding")? })?,
    };
    let enc = encoding(encoding_id)?;
    // SAFETY: handle and out pointer from the caller.
    unsafe {
        make(keyset, out_cipher, enc, |ks| {
            Ok(match scheme {
                Aead::Randomized => Box::new(RandomizedCipher::with_padding(ks, dataset, field, padding)?),
                Aead::Deterministic => Box::new(DeterministicCipher::with_padding(ks, dataset, field, padding)?),
            })
        })
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
        // SAFETY: forwarded contract.
        unsafe { aead_cipher(Aead::Randomized, keyset, (dataset, field), encoding_id, None, out_cipher) }
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
        // SAFETY: forwarded contract.
        unsafe { aead_cipher(Aead::Deterministic, keyset, (dataset, field), encoding_id, None, out_cipher) }
    })
}

/// Like `privshare_cipher_new_randomized`, with new ciphertexts padded to hide the value's exact
/// length: `padding` is `"none"`, `"padme"` or `"block:N"` (N from 2 to 4096), see
/// `docs/formats/field-ciphertext.md` for what each leaks. Ciphertexts of any padding decrypt.
#[no_mangle]
pub unsafe extern "C" fn privshare_cipher_new_randomized_padded(
    keyset: *const privshare_keyset,
    dataset: *const c_char,
    field: *const c_char,
    encoding_id: u32,
    padding: *const c_char,
    out_cipher: *mut *const privshare_cipher,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: forwarded contract.
        unsafe { aead_cipher(Aead::Randomized, keyset, (dataset, field), encoding_id, Some(padding), out_cipher) }
    })
}

/// Like `privshare_cipher_new_deterministic`, with new ciphertexts padded as `padding` says (see
/// `privshare_cipher_new_randomized_padded`). Equal values still give equal ciphertexts.
#[no_mangle]
pub unsafe extern "C" fn privshare_cipher_new_deterministic_padded(
    keyset: *const privshare_keyset,
    dataset: *const c_char,
    field: *const c_char,
    encoding_id: u32,
    padding: *const c_char,
    out_cipher: *mut *const privshare_cipher,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: forwarded contract.
        unsafe { aead_cipher(Aead::Deterministic, keyset, (dataset, field), encoding_id, Some(padding), out_cipher) }
    })
}

/// FF1 format-preserving encryption over `alphabet` (a NUL-terminated UTF-8 string of distinct
/// characters, e.g. "0123456789"), under key version `key_id`. There is no default version (0 is
/// no key id: `PRIVSHARE_STATUS_UNKNOWN_KEY`): take `privshare_keyset_primary_id` and record it,
/// because decryption needs the same version and alphabet, and any other gives a wrong but valid
/// value instead of an error. Values must be UTF-8 made of the alphabet's characters; outputs have
/// the same length and alphabet.
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
            make(keyset, out_cipher, Encoding::Text, |ks| {
                Ok(Box::new(Ff1Cipher::new(ks, key_id, dataset, field, alphabet)?))
            })
        }
    })
}

/// Structure-aware encryption of 18-character resident identity numbers, birth dates kept within
/// `range` (required: there is no default range; end it at the latest real birth date, since a
/// range that reaches the future gives future birth dates), under key version `key_id` (no default:
/// see `privshare_cipher_new_ff1`). Decryption needs the same version and range; another range
/// decrypts to a wrong but valid ID.
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
        let range = out(range.cast_mut(), "range")?;
        // SAFETY: non-NULL and valid for reads by the caller's contract.
        let r = unsafe { range.read() };
        let range =
            DateRange { start: (r.start_year, r.start_month, r.start_day), end: (r.end_year, r.end_month, r.end_day) };
        // SAFETY: handle and out pointer from the caller.
        unsafe {
            make(keyset, out_cipher, Encoding::Text, |ks| {
                Ok(Box::new(ResidentIdCipher::new(ks, key_id, dataset, field, range)?))
            })
        }
    })
}

/// Structure-aware encryption of 11-digit mainland mobile numbers (carrier prefix kept), under key
/// version `key_id` (no default: see `privshare_cipher_new_ff1`).
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
            make(keyset, out_cipher, Encoding::Text, |ks| Ok(Box::new(MobileCipher::new(ks, key_id, dataset, field)?)))
        }
    })
}

/// Structure-aware encryption of bank card numbers (issuer prefix kept, Luhn digit recomputed),
/// under key version `key_id` (no default: see `privshare_cipher_new_ff1`).
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
            make(keyset, out_cipher, Encoding::Text, |ks| {
                Ok(Box::new(BankCardCipher::new(ks, key_id, dataset, field)?))
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
            make(keyset, out_cipher, enc, |ks| {
                Ok(Box::new(Tokenizer::with_version(ks, token_version(ks, key_id), purpose)?))
            })
        }
    })
}

/// The cipher's scheme (`PRIVSHARE_SCHEME_*`), or 0 if `cipher` is NULL.
#[no_mangle]
pub unsafe extern "C" fn privshare_cipher_scheme(cipher: *const privshare_cipher) -> u32 {
    // SAFETY: NULL or a live handle, per the crate's pointer contract.
    ffi_value_boundary!(0, unsafe { handle::get(cipher) }.map_or(0, |c| c.cipher.scheme().id()))
}

/// The key version the cipher encrypts (or tokenizes) under, or 0 if `cipher` is NULL.
#[no_mangle]
pub unsafe extern "C" fn privshare_cipher_key_id(cipher: *const privshare_cipher) -> u32 {
    // SAFETY: NULL or a live handle, per the crate's pointer contract.
    ffi_value_boundary!(0, unsafe { handle::get(cipher) }.map_or(0, |c| c.cipher.key_id()))
}

/// Whether the cipher binds values to record ids (true for the randomized scheme only; false if
/// `cipher` is NULL).
#[no_mangle]
pub unsafe extern "C" fn privshare_cipher_binds_record(cipher: *const privshare_cipher) -> bool {
    // SAFETY: NULL or a live handle, per the crate's pointer contract.
    ffi_value_boundary!(false, unsafe { handle::get(cipher) }.is_some_and(|c| c.cipher.binding().record))
}

/// Frees a cipher (its derived keys are zeroized). NULL is accepted.
#[no_mangle]
pub unsafe extern "C" fn privshare_cipher_free(cipher: *const privshare_cipher) {
    // SAFETY: NULL or a live handle, freed once, per the crate's pointer contract.
    unsafe { handle::free_shared(cipher) }
}

/// The optional record id argument: NULL (with length 0) means "not bound to a record".
///
/// # Safety
/// As for [`bytes`].
unsafe fn record<'a>(ptr: *const u8, len: usize) -> std::result::Result<Option<&'a [u8]>, Failure> {
    // SAFETY: forwarded contract.
    unsafe { optional_bytes(ptr, len, "record") }
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
    let (c, rec, val) =
        unsafe { (self::cipher(cipher)?, record(record_ptr, record_len)?, bytes(value, value_len, "value")?) };
    let out = match op {
        ValueOp::Encrypt => c.cipher.encrypt_value(rec, val, c.encoding),
        ValueOp::Decrypt => c.cipher.decrypt_value(rec, val, c.encoding),
    };
    Ok(Zeroizing::new(out?))
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
/// `privshare_buffer_free`). `record` (NULL with `record_len` 0 = none; NULL with a non-zero length is
/// `PRIVSHARE_STATUS_NULL_ARGUMENT`) binds the value to a record id and is accepted by the randomized
/// scheme only. Format-preserving schemes take and give UTF-8 text.
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
    ffi_boundary!(err, {
        // SAFETY: pointer arguments from the caller, per the crate's pointer contract.
        unsafe { to_buffer(cipher, record, record_len, value, value_len, out_buf, ValueOp::Encrypt) }
    })
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
            let result = one(cipher, record, record_len, value, value_len, ValueOp::Encrypt)?;
            into_caller(&result, out_buf, out_cap, out_len)
        }
    })
}

/// Cipher-specific decryption of one value (`value_len` bytes) into a new `*out` buffer (free it with
/// `privshare_buffer_free`). `record` (NULL with `record_len` 0 = none; NULL with a non-zero length is
/// `PRIVSHARE_STATUS_NULL_ARGUMENT`) binds the value to a record id and is accepted by the randomized
/// scheme only. Format-preserving schemes take and give UTF-8 text.
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
    ffi_boundary!(err, {
        // SAFETY: pointer arguments from the caller, per the crate's pointer contract.
        unsafe { to_buffer(cipher, record, record_len, value, value_len, out_buf, ValueOp::Decrypt) }
    })
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
            let result = one(cipher, record, record_len, value, value_len, ValueOp::Decrypt)?;
            into_caller(&result, out_buf, out_cap, out_len)
        }
    })
}

/// Cipher-specific encryption of a whole column: `count` values packed in `data`, value `i` being
/// `data[offsets[i] .. offsets[i + 1])` (`offsets` has `count + 1` entries, starts at 0, never
/// decreases; `data` may be NULL when all values are empty). `record_offsets` NULL means no record
/// binding; otherwise `record_data` and `record_offsets` give one record id per value (randomized
/// scheme only). `on_invalid` (`PRIVSHARE_ON_INVALID_*`; DEFAULT is ERROR) says what a value that
/// cannot be transformed becomes: an error naming its row, an empty value (NULL), or the value
/// unchanged (KEEP_MARKED); the rows of such values are in the result's `invalid_rows`. The result
/// goes to `*out` (free it with `privshare_column_free`). On failure nothing is written.
#[no_mangle]
pub unsafe extern "C" fn privshare_cipher_encrypt_column(
    cipher: *const privshare_cipher,
    data: *const u8,
    offsets: *const usize,
    count: usize,
    record_data: *const u8,
    record_offsets: *const usize,
    on_invalid: u32,
    out_col: *mut privshare_column,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        let args = ColumnArgs { data, offsets, count, record_data, record_offsets, on_invalid };
        // SAFETY: pointer arguments from the caller, per the crate's pointer contract.
        unsafe { column(cipher, args, out_col, ValueOp::Encrypt) }
    })
}

/// Cipher-specific decryption of a whole column: `count` values packed in `data`, value `i` being
/// `data[offsets[i] .. offsets[i + 1])` (`offsets` has `count + 1` entries, starts at 0, never
/// decreases; `data` may be NULL when all values are empty). `record_offsets` NULL means no record
/// binding; otherwise `record_data` and `record_offsets` give one record id per value (randomized
/// scheme only). `on_invalid` (`PRIVSHARE_ON_INVALID_*`; DEFAULT is ERROR) says what a value that
/// cannot be transformed becomes: an error naming its row, an empty value (NULL), or the value
/// unchanged (KEEP_MARKED); the rows of such values are in the result's `invalid_rows`. The result
/// goes to `*out` (free it with `privshare_column_free`). On failure nothing is written.
#[no_mangle]
pub unsafe extern "C" fn privshare_cipher_decrypt_column(
    cipher: *const privshare_cipher,
    data: *const u8,
    offsets: *const usize,
    count: usize,
    record_data: *const u8,
    record_offsets: *const usize,
    on_invalid: u32,
    out_col: *mut privshare_column,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        let args = ColumnArgs { data, offsets, count, record_data, record_offsets, on_invalid };
        // SAFETY: pointer arguments from the caller, per the crate's pointer contract.
        unsafe { column(cipher, args, out_col, ValueOp::Decrypt) }
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

/// Encrypt or decrypt.
#[derive(Clone, Copy)]
enum ValueOp {
    Encrypt,
    Decrypt,
}

/// The caller's column arguments.
struct ColumnArgs {
    data: *const u8,
    offsets: *const usize,
    count: usize,
    record_data: *const u8,
    record_offsets: *const usize,
    on_invalid: u32,
}

/// The body of the column functions.
///
/// # Safety
/// Pointer arguments per the crate's pointer contract.
unsafe fn column(
    cipher: *const privshare_cipher,
    args: ColumnArgs,
    out_col: *mut privshare_column,
    op: ValueOp,
) -> std::result::Result<(), Failure> {
    let ColumnArgs { data, offsets, count, record_data, record_offsets, on_invalid } = args;
    // SAFETY: forwarded contract.
    let (c, values) = unsafe { (self::cipher(cipher)?, packed(data, offsets, count, ("data", "offsets"))?) };
    let records: Option<Packed<'_>> = if record_offsets.is_null() {
        None
    } else {
        // SAFETY: forwarded contract.
        Some(unsafe { packed(record_data, record_offsets, count, ("record_data", "record_offsets"))? })
    };
    let on_invalid = on_invalid_choice(on_invalid)?.unwrap_or_default();
    let out_col = out(out_col, "out")?;
    let records = records.as_ref().map(|r| r as &dyn Values);
    let col = match op {
        ValueOp::Encrypt => c.cipher.encrypt_column(&values, records, c.encoding, on_invalid)?,
        ValueOp::Decrypt => c.cipher.decrypt_column(&values, records, c.encoding, on_invalid)?,
    };
    // SAFETY: checked non-NULL; valid for writes by the caller's contract.
    unsafe { out_col.write(column_from_core(col)) };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use privshare_core::fle::Scheme;

    #[test]
    fn constants_are_the_core_numbers() {
        let schemes = [
            PRIVSHARE_SCHEME_RANDOMIZED,
            PRIVSHARE_SCHEME_DETERMINISTIC,
            PRIVSHARE_SCHEME_FF1,
            PRIVSHARE_SCHEME_RESIDENT_ID,
            PRIVSHARE_SCHEME_MOBILE,
            PRIVSHARE_SCHEME_BANK_CARD,
            PRIVSHARE_SCHEME_TOKEN,
        ];
        assert_eq!(schemes.to_vec(), Scheme::ALL.iter().map(|s| s.id()).collect::<Vec<_>>());
        let choices = [PRIVSHARE_ON_INVALID_ERROR, PRIVSHARE_ON_INVALID_NULL, PRIVSHARE_ON_INVALID_KEEP_MARKED];
        assert_eq!(choices.to_vec(), OnInvalid::ALL.iter().map(|o| o.id()).collect::<Vec<_>>());
        assert_eq!(on_invalid_choice(PRIVSHARE_ON_INVALID_DEFAULT).unwrap(), None);
        assert!(on_invalid_choice(4).is_err() && encoding(2).is_err());
    }
}
