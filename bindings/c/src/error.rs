//! Status codes and the optional error object.
//!
//! A status is the core's `ErrorKind::code()` unchanged, so every binding reports the same number.
//! Codes 1000 and up belong to this C layer; the core's codes stay below 1000 forever.

use crate::boundary::ffi_value_boundary;
use crate::handle::{self, Boxed, Handle};
use privshare_core::{Error, ErrorKind};
use std::ffi::{c_char, CStr, CString};

/// The result of every fallible function: 0 is success, anything else an error code.
pub type privshare_status = u32;

/// Success.
pub const PRIVSHARE_STATUS_OK: privshare_status = 0;

// The core's codes, mirrored for C (a test checks each against `ErrorKind`).
/// An argument or configuration value is not acceptable.
pub const PRIVSHARE_STATUS_INVALID_ARGUMENT: privshare_status = 100;
/// A data value is malformed for the operation.
pub const PRIVSHARE_STATUS_INVALID_INPUT: privshare_status = 101;
/// A value is empty where the scheme needs at least one character.
pub const PRIVSHARE_STATUS_EMPTY_VALUE: privshare_status = 102;
/// Text input (a value or a C string argument) is not valid UTF-8.
pub const PRIVSHARE_STATUS_NOT_UTF8: privshare_status = 103;
/// A value contains a character outside the format-preserving alphabet.
pub const PRIVSHARE_STATUS_OUTSIDE_ALPHABET: privshare_status = 104;
/// A value is not a valid identifier of the cipher's type.
pub const PRIVSHARE_STATUS_INVALID_IDENTIFIER: privshare_status = 105;
/// A format-preserving domain is too small to be secure.
pub const PRIVSHARE_STATUS_DOMAIN_TOO_SMALL: privshare_status = 106;
/// A value is longer than the scheme allows.
pub const PRIVSHARE_STATUS_VALUE_TOO_LONG: privshare_status = 107;
/// Decryption or verification failed (deliberately nothing more specific).
pub const PRIVSHARE_STATUS_AUTHENTICATION_FAILED: privshare_status = 200;
/// The bytes are not a privshare ciphertext.
pub const PRIVSHARE_STATUS_MALFORMED_CIPHERTEXT: privshare_status = 201;
/// The format version is not supported by this build.
pub const PRIVSHARE_STATUS_UNSUPPORTED_VERSION: privshare_status = 202;
/// The algorithm or suite is not supported, or does not match the key.
pub const PRIVSHARE_STATUS_UNSUPPORTED_ALGORITHM: privshare_status = 203;
/// No key version with that id exists in the keyset.
pub const PRIVSHARE_STATUS_UNKNOWN_KEY: privshare_status = 300;
/// The key version is disabled.
pub const PRIVSHARE_STATUS_KEY_DISABLED: privshare_status = 301;
/// The key version was destroyed.
pub const PRIVSHARE_STATUS_KEY_DESTROYED: privshare_status = 302;
/// A stored keyset could not be unwrapped (wrong KEK or passphrase, or modified).
pub const PRIVSHARE_STATUS_KEY_UNWRAP_FAILED: privshare_status = 303;
/// A stored keyset is not valid.
pub const PRIVSHARE_STATUS_MALFORMED_KEYSET: privshare_status = 304;
/// The operation would leave the keyset without a usable primary.
pub const PRIVSHARE_STATUS_KEYSET_STATE: privshare_status = 305;
/// A stored keyset is older than the generation the loader demanded (a stale copy or a rollback).
pub const PRIVSHARE_STATUS_KEYSET_ROLLED_BACK: privshare_status = 306;
/// A sharing policy is invalid.
pub const PRIVSHARE_STATUS_POLICY: privshare_status = 400;
/// Reading or writing a file or stream failed.
pub const PRIVSHARE_STATUS_IO: privshare_status = 401;
/// The envelope was seen before.
pub const PRIVSHARE_STATUS_REPLAY: privshare_status = 500;
/// The envelope has expired.
pub const PRIVSHARE_STATUS_EXPIRED: privshare_status = 501;
/// This identity is not among the envelope's recipients.
pub const PRIVSHARE_STATUS_NOT_RECIPIENT: privshare_status = 502;
/// The sender, or the key it names, is not registered, or the key is not valid then.
pub const PRIVSHARE_STATUS_UNKNOWN_SENDER: privshare_status = 503;
/// The bytes are not a well-formed envelope.
pub const PRIVSHARE_STATUS_MALFORMED_ENVELOPE: privshare_status = 504;
/// The envelope's signature does not verify under the sender's registered key.
pub const PRIVSHARE_STATUS_BAD_SIGNATURE: privshare_status = 505;
/// The envelope's creation time is in the future (beyond the allowed clock skew).
pub const PRIVSHARE_STATUS_NOT_YET_VALID: privshare_status = 506;
/// The signature is valid but the content does not open.
pub const PRIVSHARE_STATUS_CORRUPTED_PAYLOAD: privshare_status = 507;
/// No transformation satisfies the privacy models within the suppression limit.
pub const PRIVSHARE_STATUS_ANONYMIZATION_INFEASIBLE: privshare_status = 600;
/// An audit log file, tree head or proof is not well-formed.
pub const PRIVSHARE_STATUS_MALFORMED_AUDIT_LOG: privshare_status = 700;
/// An audit log ends in a frame torn by a crash: see `privshare_audit_log_recover`.
pub const PRIVSHARE_STATUS_AUDIT_LOG_TORN_TAIL: privshare_status = 701;
/// An audit log's records do not match what was committed or signed.
pub const PRIVSHARE_STATUS_AUDIT_LOG_MISMATCH: privshare_status = 702;
/// An audit log is shorter than a trusted signed tree head.
pub const PRIVSHARE_STATUS_AUDIT_LOG_TRUNCATED: privshare_status = 703;
/// Two validly signed tree heads of one log disagree: a forked log.
pub const PRIVSHARE_STATUS_AUDIT_LOG_FORKED: privshare_status = 704;
/// An internal invariant was broken; please report it.
pub const PRIVSHARE_STATUS_INTERNAL: privshare_status = 900;

// Codes of this C layer (1000+; the core never uses them).
/// A required pointer argument was NULL.
pub const PRIVSHARE_STATUS_NULL_ARGUMENT: privshare_status = 1000;
/// A caller-provided output buffer is too small; `*out_len` holds the length needed.
pub const PRIVSHARE_STATUS_BUFFER_TOO_SMALL: privshare_status = 1001;
/// A panic was caught at the boundary (a bug in privshare; please report it). The handles
/// involved remain valid to free.
pub const PRIVSHARE_STATUS_PANIC: privshare_status = 1002;

/// Details of a failure: code, message (never containing plaintext or key bytes), position and,
/// for some kinds, machine-readable details (JSON). Made by the library, read with the `privshare_error_*` accessors, freed with
/// `privshare_error_free`.
pub struct privshare_error {
    _private: [u8; 0],
}

impl Handle for privshare_error {
    type Ownership = Boxed;
    type Inner = ErrorDetails;
}

/// What a `privshare_error *` points to.
pub(crate) struct ErrorDetails {
    code: u32,
    message: CString,
    description: CString,
    column: Option<CString>,
    row: Option<u64>,
    offset: Option<u64>,
    line: Option<u64>,
    details: Option<CString>,
}

/// A failure inside the boundary, before it becomes a status and an error object.
#[derive(Debug)]
pub(crate) enum Failure {
    /// A core error, unchanged.
    Core(Error),
    /// A failure of this layer: its status code and a message.
    Ffi(privshare_status, String),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::Core(e)
    }
}

impl Failure {
    pub(crate) fn null(what: &str) -> Failure {
        Failure::Ffi(PRIVSHARE_STATUS_NULL_ARGUMENT, format!("argument `{what}` must not be NULL"))
    }

    pub(crate) fn panic() -> Failure {
        Failure::Ffi(PRIVSHARE_STATUS_PANIC, "internal panic caught at the C boundary; please report it".into())
    }

    pub(crate) fn core(kind: ErrorKind, message: impl Into<String>) -> Failure {
        Failure::Core(Error::new(kind, message))
    }

    pub(crate) fn code(&self) -> privshare_status {
        match self {
            Failure::Core(e) => e.code(),
            Failure::Ffi(code, _) => *code,
        }
    }

    pub(crate) fn into_details(self) -> ErrorDetails {
        // Messages are ours and never contain NUL; strip any defensively rather than fail.
        let c = |s: String| CString::new(s.replace('\0', "")).unwrap_or_default();
        match self {
            Failure::Core(e) => ErrorDetails {
                code: e.code(),
                message: c(e.message().to_string()),
                description: c(e.to_string()),
                column: e.position().column.clone().map(c),
                row: e.position().row,
                offset: e.position().offset,
                line: e.position().line,
                details: e.details().map(|d| c(d.to_string())),
            },
            Failure::Ffi(code, message) => ErrorDetails {
                code,
                description: c(format!("{message} (code {code})")),
                message: c(message),
                column: None,
                row: None,
                offset: None,
                line: None,
                details: None,
            },
        }
    }
}

/// Stores `failure` into `*err` (if `err` is not NULL) and returns its status.
///
/// # Safety
/// `err` is NULL or valid for a pointer write.
pub(crate) unsafe fn report(err: *mut *mut privshare_error, failure: Failure) -> privshare_status {
    let code = failure.code();
    if !err.is_null() {
        // SAFETY: `err` is non-NULL and, by the caller's contract, valid for writes.
        unsafe { handle::hand_out(err, handle::boxed(failure.into_details())) };
    }
    code
}

/// The details behind an error object, or `None` for NULL.
///
/// # Safety
/// `err` is NULL or a live error made by [`report`].
unsafe fn details<'a>(err: *const privshare_error) -> Option<&'a ErrorDetails> {
    // SAFETY: forwarded contract.
    unsafe { handle::get(err) }
}

/// The status code of `err` (0 if `err` is NULL).
#[no_mangle]
pub unsafe extern "C" fn privshare_error_code(err: *const privshare_error) -> privshare_status {
    // SAFETY: NULL or a live error, per the crate's pointer contract.
    unsafe { details(err) }.map_or(0, |d| d.code)
}

/// The message of `err`, without code or position: a NUL-terminated UTF-8 string owned by `err`,
/// valid until `privshare_error_free(err)`. Returns "" if `err` is NULL.
#[no_mangle]
pub unsafe extern "C" fn privshare_error_message(err: *const privshare_error) -> *const c_char {
    // SAFETY: NULL or a live error, per the crate's pointer contract.
    unsafe { details(err) }.map_or(c"".as_ptr(), |d| d.message.as_ptr())
}

/// The full description of `err`: message, code and position, e.g.
/// `"character outside the alphabet (code 104) at row 3, byte offset 7"`. Owned by `err`, like
/// the message. Returns "" if `err` is NULL.
#[no_mangle]
pub unsafe extern "C" fn privshare_error_description(err: *const privshare_error) -> *const c_char {
    // SAFETY: NULL or a live error, per the crate's pointer contract.
    unsafe { details(err) }.map_or(c"".as_ptr(), |d| d.description.as_ptr())
}

/// Writes the zero-based row (value index in a column call) of the failure to `*row` and returns
/// true, or returns false (writing nothing) when unknown or when an argument is NULL.
#[no_mangle]
pub unsafe extern "C" fn privshare_error_row(err: *const privshare_error, row: *mut u64) -> bool {
    // SAFETY: NULL or a live error, per the crate's pointer contract.
    match (unsafe { details(err) }.and_then(|d| d.row), row.is_null()) {
        (Some(r), false) => {
            // SAFETY: `row` is non-NULL and valid for writes by the caller's contract.
            unsafe { row.write(r) };
            true
        }
        _ => false,
    }
}

/// Writes the zero-based byte offset (within the value or document) of the failure to `*offset`
/// and returns true, or returns false (writing nothing) when unknown or an argument is NULL.
#[no_mangle]
pub unsafe extern "C" fn privshare_error_offset(err: *const privshare_error, offset: *mut u64) -> bool {
    // SAFETY: NULL or a live error, per the crate's pointer contract.
    match (unsafe { details(err) }.and_then(|d| d.offset), offset.is_null()) {
        (Some(o), false) => {
            // SAFETY: `offset` is non-NULL and valid for writes by the caller's contract.
            unsafe { offset.write(o) };
            true
        }
        _ => false,
    }
}

/// Writes the one-based line of the file or document the failure is in (a CSV table's line,
/// header = 1; a hierarchy's line; a JSON spec's or rule's line) to `*line` and returns true, or
/// returns false (writing nothing) when unknown or when an argument is NULL.
#[no_mangle]
pub unsafe extern "C" fn privshare_error_line(err: *const privshare_error, line: *mut u64) -> bool {
    // SAFETY: NULL or a live error, per the crate's pointer contract.
    match (unsafe { details(err) }.and_then(|d| d.line), line.is_null()) {
        (Some(l), false) => {
            // SAFETY: `line` is non-NULL and valid for writes by the caller's contract.
            unsafe { line.write(l) };
            true
        }
        _ => false,
    }
}

/// The column or field name of the failure, or NULL when unknown. Owned by `err`.
#[no_mangle]
pub unsafe extern "C" fn privshare_error_column(err: *const privshare_error) -> *const c_char {
    // SAFETY: NULL or a live error, per the crate's pointer contract.
    unsafe { details(err) }.and_then(|d| d.column.as_ref()).map_or(std::ptr::null(), |c| c.as_ptr())
}

/// Machine-readable details of `err` as JSON, or NULL when it has none (or `err` is NULL): a
/// NUL-terminated UTF-8 string owned by `err`, valid until `privshare_error_free(err)`.
///
/// Today only `PRIVSHARE_STATUS_ANONYMIZATION_INFEASIBLE` (600) from the optimal search carries
/// details: the full report (the same JSON shape as a successful call's report, with the models'
/// `"holds": false`) of the best transformation possible, the one that needs the least suppression.
/// Details never contain data values, plaintext or key bytes.
#[no_mangle]
pub unsafe extern "C" fn privshare_error_details(err: *const privshare_error) -> *const c_char {
    // SAFETY: NULL or a live error, per the crate's pointer contract.
    unsafe { details(err) }.and_then(|d| d.details.as_ref()).map_or(std::ptr::null(), |c| c.as_ptr())
}

/// The core's name of `kind` as a static C string (no allocation: nothing for valgrind to find
/// reachable at exit). A test checks every entry against `ErrorKind::name`.
fn kind_name(kind: ErrorKind) -> &'static CStr {
    match kind {
        ErrorKind::InvalidArgument => c"invalid_argument",
        ErrorKind::InvalidInput => c"invalid_input",
        ErrorKind::EmptyValue => c"empty_value",
        ErrorKind::NotUtf8 => c"not_utf8",
        ErrorKind::OutsideAlphabet => c"outside_alphabet",
        ErrorKind::InvalidIdentifier => c"invalid_identifier",
        ErrorKind::DomainTooSmall => c"domain_too_small",
        ErrorKind::ValueTooLong => c"value_too_long",
        ErrorKind::AuthenticationFailed => c"authentication_failed",
        ErrorKind::MalformedCiphertext => c"malformed_ciphertext",
        ErrorKind::UnsupportedVersion => c"unsupported_version",
        ErrorKind::UnsupportedAlgorithm => c"unsupported_algorithm",
        ErrorKind::UnknownKey => c"unknown_key",
        ErrorKind::KeyDisabled => c"key_disabled",
        ErrorKind::KeyDestroyed => c"key_destroyed",
        ErrorKind::KeyUnwrapFailed => c"key_unwrap_failed",
        ErrorKind::MalformedKeyset => c"malformed_keyset",
        ErrorKind::KeysetState => c"keyset_state",
        ErrorKind::KeysetRolledBack => c"keyset_rolled_back",
        ErrorKind::Policy => c"policy",
        ErrorKind::Io => c"io",
        ErrorKind::Replay => c"replay",
        ErrorKind::Expired => c"expired",
        ErrorKind::NotRecipient => c"not_recipient",
        ErrorKind::UnknownSender => c"unknown_sender",
        ErrorKind::MalformedEnvelope => c"malformed_envelope",
        ErrorKind::BadSignature => c"bad_signature",
        ErrorKind::NotYetValid => c"not_yet_valid",
        ErrorKind::CorruptedPayload => c"corrupted_payload",
        ErrorKind::AnonymizationInfeasible => c"anonymization_infeasible",
        ErrorKind::MalformedAuditLog => c"malformed_audit_log",
        ErrorKind::AuditLogTornTail => c"audit_log_torn_tail",
        ErrorKind::AuditLogMismatch => c"audit_log_mismatch",
        ErrorKind::AuditLogTruncated => c"audit_log_truncated",
        ErrorKind::AuditLogForked => c"audit_log_forked",
        ErrorKind::Internal => c"internal",
        _ => c"unknown",
    }
}

/// The number of error kinds of the core (the statuses below 1000). With
/// `privshare_error_kind_code` and `privshare_error_kind_name`, the table a binding checks its own
/// constants against.
#[no_mangle]
pub unsafe extern "C" fn privshare_error_kind_count() -> usize {
    ErrorKind::ALL.len()
}

/// The status code of the core's error kind number `index` (0 to `privshare_error_kind_count() - 1`),
/// or 0 past the end.
#[no_mangle]
pub unsafe extern "C" fn privshare_error_kind_code(index: usize) -> privshare_status {
    ErrorKind::ALL.get(index).map_or(0, |k| k.code())
}

/// The stable name of status `code` (`"authentication_failed"` for 200; also the C layer's
/// `"null_argument"`, `"buffer_too_small"` and `"panic"`), a static string; NULL for an unknown code.
#[no_mangle]
pub unsafe extern "C" fn privshare_error_kind_name(code: privshare_status) -> *const c_char {
    ffi_value_boundary!(std::ptr::null(), {
        match code {
            PRIVSHARE_STATUS_NULL_ARGUMENT => c"null_argument".as_ptr(),
            PRIVSHARE_STATUS_BUFFER_TOO_SMALL => c"buffer_too_small".as_ptr(),
            PRIVSHARE_STATUS_PANIC => c"panic".as_ptr(),
            _ => ErrorKind::from_code(code).map_or(std::ptr::null(), |k| kind_name(k).as_ptr()),
        }
    })
}

/// Frees an error object. NULL is accepted.
#[no_mangle]
pub unsafe extern "C" fn privshare_error_free(err: *mut privshare_error) {
    // SAFETY: NULL or an error made by `report`, freed once (double free is the caller's bug, as
    // with free(3)).
    unsafe { handle::free_boxed(err) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mirrored_codes_match_the_core() {
        let table = [
            (PRIVSHARE_STATUS_INVALID_ARGUMENT, ErrorKind::InvalidArgument),
            (PRIVSHARE_STATUS_INVALID_INPUT, ErrorKind::InvalidInput),
            (PRIVSHARE_STATUS_EMPTY_VALUE, ErrorKind::EmptyValue),
            (PRIVSHARE_STATUS_NOT_UTF8, ErrorKind::NotUtf8),
            (PRIVSHARE_STATUS_OUTSIDE_ALPHABET, ErrorKind::OutsideAlphabet),
            (PRIVSHARE_STATUS_INVALID_IDENTIFIER, ErrorKind::InvalidIdentifier),
            (PRIVSHARE_STATUS_DOMAIN_TOO_SMALL, ErrorKind::DomainTooSmall),
            (PRIVSHARE_STATUS_VALUE_TOO_LONG, ErrorKind::ValueTooLong),
            (PRIVSHARE_STATUS_AUTHENTICATION_FAILED, ErrorKind::AuthenticationFailed),
            (PRIVSHARE_STATUS_MALFORMED_CIPHERTEXT, ErrorKind::MalformedCiphertext),
            (PRIVSHARE_STATUS_UNSUPPORTED_VERSION, ErrorKind::UnsupportedVersion),
            (PRIVSHARE_STATUS_UNSUPPORTED_ALGORITHM, ErrorKind::UnsupportedAlgorithm),
            (PRIVSHARE_STATUS_UNKNOWN_KEY, ErrorKind::UnknownKey),
            (PRIVSHARE_STATUS_KEY_DISABLED, ErrorKind::KeyDisabled),
            (PRIVSHARE_STATUS_KEY_DESTROYED, ErrorKind::KeyDestroyed),
            (PRIVSHARE_STATUS_KEY_UNWRAP_FAILED, ErrorKind::KeyUnwrapFailed),
            (PRIVSHARE_STATUS_MALFORMED_KEYSET, ErrorKind::MalformedKeyset),
            (PRIVSHARE_STATUS_KEYSET_STATE, ErrorKind::KeysetState),
            (PRIVSHARE_STATUS_KEYSET_ROLLED_BACK, ErrorKind::KeysetRolledBack),
            (PRIVSHARE_STATUS_POLICY, ErrorKind::Policy),
            (PRIVSHARE_STATUS_IO, ErrorKind::Io),
            (PRIVSHARE_STATUS_REPLAY, ErrorKind::Replay),
            (PRIVSHARE_STATUS_EXPIRED, ErrorKind::Expired),
            (PRIVSHARE_STATUS_NOT_RECIPIENT, ErrorKind::NotRecipient),
            (PRIVSHARE_STATUS_UNKNOWN_SENDER, ErrorKind::UnknownSender),
            (PRIVSHARE_STATUS_MALFORMED_ENVELOPE, ErrorKind::MalformedEnvelope),
            (PRIVSHARE_STATUS_BAD_SIGNATURE, ErrorKind::BadSignature),
            (PRIVSHARE_STATUS_NOT_YET_VALID, ErrorKind::NotYetValid),
            (PRIVSHARE_STATUS_CORRUPTED_PAYLOAD, ErrorKind::CorruptedPayload),
            (PRIVSHARE_STATUS_ANONYMIZATION_INFEASIBLE, ErrorKind::AnonymizationInfeasible),
            (PRIVSHARE_STATUS_MALFORMED_AUDIT_LOG, ErrorKind::MalformedAuditLog),
            (PRIVSHARE_STATUS_AUDIT_LOG_TORN_TAIL, ErrorKind::AuditLogTornTail),
            (PRIVSHARE_STATUS_AUDIT_LOG_MISMATCH, ErrorKind::AuditLogMismatch),
            (PRIVSHARE_STATUS_AUDIT_LOG_TRUNCATED, ErrorKind::AuditLogTruncated),
            (PRIVSHARE_STATUS_AUDIT_LOG_FORKED, ErrorKind::AuditLogForked),
            (PRIVSHARE_STATUS_INTERNAL, ErrorKind::Internal),
        ];
        // Every core kind has its constant.
        assert_eq!(table.len(), ErrorKind::ALL.len());
        for (code, kind) in table {
            assert_eq!(code, kind.code(), "{kind}");
        }
        // The C layer's own codes stay clear of every core code.
        for &kind in ErrorKind::ALL {
            assert!(kind.code() > 0 && kind.code() < 1000, "{kind}");
        }
    }

    #[test]
    fn kind_names_are_the_core_names() {
        for &kind in ErrorKind::ALL {
            assert_eq!(kind_name(kind).to_str().unwrap(), kind.name());
        }
    }

    #[test]
    fn error_object_carries_code_message_and_position() {
        let mut err: *mut privshare_error = std::ptr::null_mut();
        let e = Error::new(ErrorKind::OutsideAlphabet, "outside").at_row(3).at_column("phone").at_offset(7).at_line(5);
        // SAFETY: `err` is a valid local.
        let status = unsafe { report(&mut err, e.into()) };
        assert_eq!(status, 104);
        // SAFETY: the strings are owned by `err`, which is alive.
        let (code, msg, desc, col) = unsafe {
            (
                privshare_error_code(err),
                CStr::from_ptr(privshare_error_message(err)).to_str().unwrap().to_string(),
                CStr::from_ptr(privshare_error_description(err)).to_str().unwrap().to_string(),
                CStr::from_ptr(privshare_error_column(err)).to_str().unwrap().to_string(),
            )
        };
        assert_eq!((code, msg.as_str(), col.as_str()), (104, "outside", "phone"));
        assert!(desc.contains("code 104") && desc.contains("row 3") && desc.contains("byte offset 7"));
        let (mut row, mut off, mut line) = (0u64, 0u64, 0u64);
        // SAFETY: valid locals and a live error.
        unsafe {
            assert!(privshare_error_row(err, &mut row) && privshare_error_offset(err, &mut off));
            assert!(privshare_error_line(err, &mut line));
            assert!(!privshare_error_line(err, std::ptr::null_mut()));
            privshare_error_free(err);
        }
        assert_eq!((row, off, line), (3, 7, 5));
    }

    #[test]
    fn error_object_carries_details() {
        let mut err: *mut privshare_error = std::ptr::null_mut();
        let e = Error::new(ErrorKind::AnonymizationInfeasible, "infeasible").with_details("{\"a\": 1}");
        // SAFETY: `err` is a valid local.
        assert_eq!(unsafe { report(&mut err, e.into()) }, 600);
        // SAFETY: the string is owned by `err`, which is alive.
        let d = unsafe { CStr::from_ptr(privshare_error_details(err)) }.to_str().unwrap().to_string();
        assert_eq!(d, "{\"a\": 1}");
        // SAFETY: a live error, freed once.
        unsafe { privshare_error_free(err) };
        // Without details, and for layer failures: NULL.
        for failure in [Failure::core(ErrorKind::InvalidInput, "x"), Failure::null("x")] {
            let mut err: *mut privshare_error = std::ptr::null_mut();
            // SAFETY: `err` is a valid local; the error is freed once.
            unsafe {
                report(&mut err, failure);
                assert!(privshare_error_details(err).is_null());
                privshare_error_free(err);
            }
        }
    }

    #[test]
    fn null_error_is_harmless() {
        // SAFETY: NULL is accepted.
        unsafe {
            assert_eq!(privshare_error_code(std::ptr::null()), 0);
            assert!(privshare_error_column(std::ptr::null()).is_null());
            assert!(privshare_error_details(std::ptr::null()).is_null());
            assert_eq!(report(std::ptr::null_mut(), Failure::null("x")), PRIVSHARE_STATUS_NULL_ARGUMENT);
            privshare_error_free(std::ptr::null_mut());
        }
    }
}
