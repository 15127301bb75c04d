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

    // 5xx: exchange envelopes (reserved for the envelope issue).
    /// The envelope was seen before.
    Replay = 500,
    /// The envelope has expired.
    Expired = 501,
    /// This identity is not among the envelope's recipients.
    NotRecipient = 502,
    /// The sender is not a known identity.
    UnknownSender = 503,

    // 6xx: anonymization.
    /// No transformation satisfies the privacy models within the suppression limit.
    AnonymizationInfeasible = 600,

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
            AnonymizationInfeasible => "anonymization_infeasible",
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
        ErrorKind::AnonymizationInfeasible,
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
    }
}
