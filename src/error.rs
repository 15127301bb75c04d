//! The one error type of privshare.
//!
//! Every failure is an [`Error`] with an [`ErrorKind`]. Kinds have stable numeric codes
//! ([`ErrorKind::code`]) that are also the C ABI's status codes: a code, once published, keeps its
//! meaning forever and a retired code is never reused.
//!
//! Messages describe *where* and *what kind of* problem occurred (row, column, byte offset, key id),
//! never the value or key bytes involved. Every cryptographic failure while decrypting or verifying
//! is the single kind [`ErrorKind::AuthenticationFailed`], so that an attacker learns nothing from
//! which check failed.

use std::fmt;

/// What went wrong, as a caller can act on it. The discriminants are the stable codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[repr(u32)]
pub enum ErrorKind {
    // 1xx: the caller's input.
    /// An argument or configuration value is not acceptable (e.g. an unknown alphabet, a bad range).
    InvalidArgument = 100,
    /// A data value is malformed for the operation (generic; more specific kinds follow).
    InvalidInput = 101,
    /// A value is empty where the scheme needs at least one character.
    EmptyValue = 102,
    /// Text input is not valid UTF-8.
    NotUtf8 = 103,
    /// A value contains a character outside the declared format-preserving alphabet.
    OutsideAlphabet = 104,
    /// A value given to structure-aware encryption is not a valid identifier of that type
    /// (resident ID, mobile number, bank card number).
    InvalidIdentifier = 105,
    /// A format-preserving domain is too small to be secure (fewer than 1,000,000 values).
    DomainTooSmall = 106,
    /// A value is longer than the scheme allows.
    ValueTooLong = 107,

    // 2xx: ciphertexts and other wire formats.
    /// Decryption or verification failed. Deliberately says nothing more.
    AuthenticationFailed = 200,
    /// The bytes are not a privshare ciphertext (bad prefix, bad base64, truncated, trailing bytes).
    MalformedCiphertext = 201,
    /// The format version is not one this build understands.
    UnsupportedVersion = 202,
    /// The algorithm or suite named in the data is not one this build supports, or does not match
    /// the key or cipher it was given to.
    UnsupportedAlgorithm = 203,

    // 3xx: keys and keysets.
    /// No key version with the id named by the ciphertext exists in the keyset.
    UnknownKey = 300,
    /// The key version exists but is disabled.
    KeyDisabled = 301,
    /// The key version exists but its material was destroyed.
    KeyDestroyed = 302,
    /// A stored keyset could not be unwrapped: wrong passphrase or key-encryption key, or the
    /// stored keyset was modified.
    KeyUnwrapFailed = 303,
    /// A stored keyset is not valid JSON of the documented shape, or breaks its invariants.
    MalformedKeyset = 304,
    /// The operation would leave the keyset without a usable primary (e.g. disabling the primary).
    KeysetState = 305,
    /// A stored keyset is older (a lower generation) than the loader demanded: a stale copy or a
    /// rollback of the keyset file.
    KeysetRolledBack = 306,

    // 4xx: policies and I/O (reserved for the sharing-policy issue).
    /// A sharing policy is invalid.
    Policy = 400,
    /// Reading or writing a file or stream failed.
    Io = 401,

    // 5xx: exchange envelopes.
    /// The envelope was seen before (same sender and message id, still within its validity).
    Replay = 500,
    /// The envelope has expired (its expiry, plus the allowed clock skew, has passed).
    Expired = 501,
    /// This identity is not among the envelope's recipients.
    NotRecipient = 502,
    /// The sender is not registered, or the key it names is not registered to it or not valid at
    /// the envelope's creation time or now.
    UnknownSender = 503,
    /// The bytes are not a well-formed envelope (bad magic, lengths, limits, trailing bytes, an
    /// unknown critical extension).
    MalformedEnvelope = 504,
    /// The envelope's signature does not verify under the sender's registered key.
    BadSignature = 505,
    /// The envelope's creation time is in the future (beyond the allowed clock skew).
    NotYetValid = 506,
    /// The signature is valid but the content does not open: the wrapped key, the key commitment
    /// or a payload chunk fails to authenticate (the sender sealed something inconsistent).
    CorruptedPayload = 507,

    // 6xx: anonymization.
    /// No transformation satisfies the privacy models within the suppression limit.
    AnonymizationInfeasible = 600,

    // 7xx: the audit log.
    /// An audit log file, tree head or proof is not well-formed (bad magic, checksum, length or field);
    /// the message names the byte offset.
    MalformedAuditLog = 700,
    /// The audit log ends in an incomplete or damaged frame, as a write interrupted by a crash leaves
    /// it. Opening refuses such a log; `AuditLog::recover` moves the tail aside and truncates it.
    AuditLogTornTail = 701,
    /// The audit log's records do not match what was committed or signed: a record was modified,
    /// removed, reordered or inserted, or a tree head does not match the records before it.
    AuditLogMismatch = 702,
    /// The audit log is shorter than a signed tree head the verifier trusts.
    AuditLogTruncated = 703,
    /// Two validly signed tree heads of one log cannot both be true (same size and different roots,
    /// or no valid consistency proof between them): the log was forked or rewritten.
    AuditLogForked = 704,

    // 9xx: bugs.
    /// An internal invariant was broken; please report it.
    Internal = 900,
}

impl ErrorKind {
    /// The stable numeric code of this kind (also the C ABI status code).
    pub fn code(self) -> u32 {
        self as u32
    }

    /// A short stable name, e.g. `"authentication_failed"`.
    pub fn name(self) -> &'static str {
        use ErrorKind::*;
        match self {
            InvalidArgument => "invalid_argument",
            InvalidInput => "invalid_input",
            EmptyValue => "empty_value",
            NotUtf8 => "not_utf8",
            OutsideAlphabet => "outside_alphabet",
            InvalidIdentifier => "invalid_identifier",
            DomainTooSmall => "domain_too_small",
            ValueTooLong => "value_too_long",
            AuthenticationFailed => "authentication_failed",
            MalformedCiphertext => "malformed_ciphertext",
            UnsupportedVersion => "unsupported_version",
            UnsupportedAlgorithm => "unsupported_algorithm",
            UnknownKey => "unknown_key",
            KeyDisabled => "key_disabled",
            KeyDestroyed => "key_destroyed",
            KeyUnwrapFailed => "key_unwrap_failed",
            MalformedKeyset => "malformed_keyset",
            KeysetState => "keyset_state",
            KeysetRolledBack => "keyset_rolled_back",
            Policy => "policy",
            Io => "io",
            Replay => "replay",
            Expired => "expired",
            NotRecipient => "not_recipient",
            UnknownSender => "unknown_sender",
            MalformedEnvelope => "malformed_envelope",
            BadSignature => "bad_signature",
            NotYetValid => "not_yet_valid",
            CorruptedPayload => "corrupted_payload",
            AnonymizationInfeasible => "anonymization_infeasible",
            MalformedAuditLog => "malformed_audit_log",
            AuditLogTornTail => "audit_log_torn_tail",
            AuditLogMismatch => "audit_log_mismatch",
            AuditLogTruncated => "audit_log_truncated",
            AuditLogForked => "audit_log_forked",
            Internal => "internal",
        }
    }

    /// Every kind, in code order (for bindings that mirror the codes and for tests).
    pub const ALL: &'static [ErrorKind] = &[
        ErrorKind::InvalidArgument,
        ErrorKind::InvalidInput,
        ErrorKind::EmptyValue,
        ErrorKind::NotUtf8,
        ErrorKind::OutsideAlphabet,
        ErrorKind::InvalidIdentifier,
        ErrorKind::DomainTooSmall,
        ErrorKind::ValueTooLong,
        ErrorKind::AuthenticationFailed,
        ErrorKind::MalformedCiphertext,
        ErrorKind::UnsupportedVersion,
        ErrorKind::UnsupportedAlgorithm,
        ErrorKind::UnknownKey,
        ErrorKind::KeyDisabled,
        ErrorKind::KeyDestroyed,
        ErrorKind::KeyUnwrapFailed,
        ErrorKind::MalformedKeyset,
        ErrorKind::KeysetState,
        ErrorKind::KeysetRolledBack,
        ErrorKind::Policy,
        ErrorKind::Io,
        ErrorKind::Replay,
        ErrorKind::Expired,
        ErrorKind::NotRecipient,
        ErrorKind::UnknownSender,
        ErrorKind::MalformedEnvelope,
        ErrorKind::BadSignature,
        ErrorKind::NotYetValid,
        ErrorKind::CorruptedPayload,
        ErrorKind::AnonymizationInfeasible,
        ErrorKind::MalformedAuditLog,
        ErrorKind::AuditLogTornTail,
        ErrorKind::AuditLogMismatch,
        ErrorKind::AuditLogTruncated,
        ErrorKind::AuditLogForked,
        ErrorKind::Internal,
    ];

    /// The kind with this code, if any.
    pub fn from_code(code: u32) -> Option<ErrorKind> {
        Self::ALL.iter().copied().find(|k| k.code() == code)
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where in the input a problem was found. Every part is optional; none of them is ever a value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Position {
    /// Zero-based row (value index within a column batch, or data row of a table).
    pub row: Option<u64>,
    /// Column name or field name.
    pub column: Option<String>,
    /// Zero-based byte offset (within the value, ciphertext or document).
    pub offset: Option<u64>,
    /// One-based line of the file or document the input came from (a CSV table, a hierarchy, a
    /// JSON spec or rule), counted as a text editor counts it: a CSV header is line 1.
    pub line: Option<u64>,
}

/// A privshare error: a kind, a message free of secrets, and optionally a position.
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    position: Position,
    details: Option<Box<str>>,
}

/// `Result` with privshare's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A new error. `message` must not contain plaintext, ciphertext or key bytes.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error { kind, message: message.into(), position: Position::default(), details: None }
    }

    /// The one error every failed decryption or verification returns.
    pub fn authentication_failed() -> Error {
        Error::new(ErrorKind::AuthenticationFailed, "decryption or verification failed")
    }

    /// The kind of this error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The stable numeric code of this error's kind.
    pub fn code(&self) -> u32 {
        self.kind.code()
    }

    /// The message, without the position.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Where the problem is, as far as known.
    pub fn position(&self) -> &Position {
        &self.position
    }

    /// Machine-readable details (JSON), for the kinds that have them: with
    /// [`ErrorKind::AnonymizationInfeasible`] from the optimal search, the report of the best
    /// transformation possible (the one that needs the least suppression).
    pub fn details(&self) -> Option<&str> {
        self.details.as_deref()
    }

    /// Attaches machine-readable details (JSON, free of secrets and data values).
    pub fn with_details(mut self, json: impl Into<String>) -> Error {
        self.details = Some(json.into().into_boxed_str());
        self
    }

    /// Sets the row (zero-based), keeping the row already set by an inner layer.
    pub fn at_row(mut self, row: u64) -> Error {
        self.position.row.get_or_insert(row);
        self
    }

    /// Sets the column or field name, keeping one already set.
    pub fn at_column(mut self, column: impl Into<String>) -> Error {
        if self.position.column.is_none() {
            self.position.column = Some(column.into());
        }
        self
    }

    /// Sets the one-based line of the file or document, keeping one already set.
    pub fn at_line(mut self, line: u64) -> Error {
        self.position.line.get_or_insert(line);
        self
    }

    /// A JSON document (`what`: "masking rule", "anonymization spec") that serde refused: the
    /// reason (serde names fields and types, never values) and the one-based line.
    pub(crate) fn json(kind: ErrorKind, what: &str, e: &serde_json::Error) -> Error {
        let text = e.to_string();
        let reason = text.strip_suffix(&format!(" at line {} column {}", e.line(), e.column())).unwrap_or(&text);
        let e2 = Error::new(kind, format!("invalid {what}: {reason} (character {})", e.column()));
        if e.line() > 0 {
            e2.at_line(e.line() as u64)
        } else {
            e2
        }
    }

    /// Sets the byte offset, keeping one already set.
    pub fn at_offset(mut self, offset: u64) -> Error {
        self.position.offset.get_or_insert(offset);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (code {})", self.message, self.kind.code())?;
        let p = &self.position;
        let mut parts = Vec::new();
        if let Some(l) = p.line {
            parts.push(format!("line {l}"));
        }
        if let Some(r) = p.row {
            parts.push(format!("row {r}"));
        }
        if let Some(c) = &p.column {
            parts.push(format!("column {c:?}"));
        }
        if let Some(o) = p.offset {
            parts.push(format!("byte offset {o}"));
        }
        if !parts.is_empty() {
            write!(f, " at {}", parts.join(", "))?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("message", &self.message)
            .field("position", &self.position)
            .finish()
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        // io::Error messages name paths and OS reasons, never our data.
        Error::new(ErrorKind::Io, e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for &k in ErrorKind::ALL {
            assert!(seen.insert(k.code()), "duplicate code {}", k.code());
            assert_eq!(ErrorKind::from_code(k.code()), Some(k));
            assert!(k.code() != 0, "0 is the C ABI's OK");
        }
        assert_eq!(ErrorKind::from_code(0), None);
    }

    #[test]
    fn codes_are_stable() {
        // Published codes: changing one of these breaks every binding's users.
        assert_eq!(ErrorKind::InvalidArgument.code(), 100);
        assert_eq!(ErrorKind::AuthenticationFailed.code(), 200);
        assert_eq!(ErrorKind::UnknownKey.code(), 300);
        assert_eq!(ErrorKind::KeyUnwrapFailed.code(), 303);
        assert_eq!(ErrorKind::MalformedAuditLog.code(), 700);
        assert_eq!(ErrorKind::AuditLogForked.code(), 704);
        assert_eq!(ErrorKind::Replay.code(), 500);
        assert_eq!(ErrorKind::UnknownSender.code(), 503);
        assert_eq!(ErrorKind::CorruptedPayload.code(), 507);
        assert_eq!(ErrorKind::Internal.code(), 900);
    }

    #[test]
    fn display_names_position() {
        let e = Error::new(ErrorKind::OutsideAlphabet, "character outside the alphabet")
            .at_row(3)
            .at_column("phone")
            .at_offset(7)
            .at_row(9);
        assert_eq!(
            e.to_string(),
            "character outside the alphabet (code 104) at row 3, column \"phone\", byte offset 7"
        );
        let e = Error::new(ErrorKind::InvalidInput, "value is missing from the hierarchy").at_row(1748).at_line(1750);
        assert_eq!(e.to_string(), "value is missing from the hierarchy (code 101) at line 1750, row 1748");
    }
}
