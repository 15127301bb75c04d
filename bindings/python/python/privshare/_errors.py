"""The exception hierarchy of privshare.

Every error the core reports becomes an instance of a subclass of :class:`Error` whose ``code`` is
the core's stable ``ErrorKind`` code (the same number the C ABI returns as its status). Messages
never contain plaintext, ciphertext or key bytes; ``row``, ``column``, ``offset`` and ``line`` say
where the problem is when known; ``details`` holds machine-readable details (JSON text) for the errors that
have them: today :class:`AnonymizationInfeasible`, whose ``report`` is the best-effort report parsed.

>>> import privshare
>>> issubclass(privshare.AuthenticationFailed, privshare.Error)
True
>>> privshare.error_class(104).__name__, privshare.OutsideAlphabet.code
('OutsideAlphabet', 104)
"""

from __future__ import annotations

import json
from typing import Any, Dict, Optional, Type

__all__ = [
    "Error",
    "InvalidArgument",
    "InvalidInput",
    "EmptyValue",
    "NotUtf8",
    "OutsideAlphabet",
    "InvalidIdentifier",
    "DomainTooSmall",
    "ValueTooLong",
    "CiphertextError",
    "AuthenticationFailed",
    "MalformedCiphertext",
    "UnsupportedVersion",
    "UnsupportedAlgorithm",
    "KeyVersionError",
    "UnknownKey",
    "KeyDisabled",
    "KeyDestroyed",
    "KeysetError",
    "KeyUnwrapFailed",
    "MalformedKeyset",
    "KeysetStateError",
    "KeysetRolledBack",
    "PolicyError",
    "IoError",
    "EnvelopeError",
    "Replay",
    "Expired",
    "NotRecipient",
    "UnknownSender",
    "MalformedEnvelope",
    "BadSignature",
    "NotYetValid",
    "CorruptedPayload",
    "AnonymizationInfeasible",
    "AuditLogError",
    "MalformedAuditLog",
    "AuditLogTornTail",
    "AuditLogMismatch",
    "AuditLogTruncated",
    "AuditLogForked",
    "InternalError",
    "error_class",
]


class Error(Exception):
    """Base class of every privshare error.

    Attributes:
        code: the stable numeric code (``ErrorKind::code()`` in Rust, the C ABI status).
        kind: the stable short name, e.g. ``"authentication_failed"``.
        message: the message without the position.
        row: zero-based row (value index in a batch), or ``None``.
        column: column or field name, or ``None``.
        offset: zero-based byte offset within the value or document, or ``None``.
        line: one-based line of the file or document (a CSV table's line, the header being line 1; a
            hierarchy's line; a JSON spec's line), or ``None``.
        details: machine-readable details as JSON text, or ``None`` (every error but an infeasible
            anonymization from the optimal search, see :class:`AnonymizationInfeasible`).
    """

    code: int = 0
    kind: str = "unknown"

    def __init__(
        self,
        message: str = "",
        *,
        row: Optional[int] = None,
        column: Optional[str] = None,
        offset: Optional[int] = None,
        display: Optional[str] = None,
        details: Optional[str] = None,
        line: Optional[int] = None,
    ) -> None:
        super().__init__(display if display is not None else message)
        self.message = message
        self.row = row
        self.column = column
        self.offset = offset
        self.line = line
        self.details = details

    def __reduce__(self):  # type: ignore[override]
        # Keep the code, the position and the details across pickling (e.g. multiprocessing).
        return (
            _rebuild,
            (type(self), self.message, str(self), self.row, self.column, self.offset, self.code, self.details, self.line),
        )


# --- 1xx: the caller's input -------------------------------------------------------------------


class InvalidArgument(Error, ValueError):
    """An argument or configuration value is not acceptable (unknown alphabet, bad range...)."""

    code, kind = 100, "invalid_argument"


class InvalidInput(Error, ValueError):
    """A data value is malformed for the operation. Base of the more specific input errors."""

    code, kind = 101, "invalid_input"


class EmptyValue(InvalidInput):
    """A value is empty where the scheme needs at least one character."""

    code, kind = 102, "empty_value"


class NotUtf8(InvalidInput):
    """Text input (or a decrypted value requested as ``str``) is not valid UTF-8."""

    code, kind = 103, "not_utf8"


class OutsideAlphabet(InvalidInput):
    """A value contains a character outside the format-preserving alphabet (see ``offset``)."""

    code, kind = 104, "outside_alphabet"


class InvalidIdentifier(InvalidInput):
    """Not a valid resident ID, mobile number or bank card number (see ``offset``)."""

    code, kind = 105, "invalid_identifier"


class DomainTooSmall(InvalidInput):
    """A format-preserving domain has fewer than 1,000,000 values: too small to be secure."""

    code, kind = 106, "domain_too_small"


class ValueTooLong(InvalidInput):
    """A value is longer than the scheme allows."""

    code, kind = 107, "value_too_long"


# --- 2xx: ciphertexts --------------------------------------------------------------------------


class CiphertextError(Error):
    """Base of the errors about ciphertexts and other wire formats."""


class AuthenticationFailed(CiphertextError):
    """Decryption or verification failed. Deliberately says nothing more (like ``InvalidTag``)."""

    code, kind = 200, "authentication_failed"


class MalformedCiphertext(CiphertextError, ValueError):
    """Not a privshare ciphertext: bad prefix, bad base64, truncated, trailing bytes."""

    code, kind = 201, "malformed_ciphertext"


class UnsupportedVersion(CiphertextError):
    """The format version is not one this build understands."""

    code, kind = 202, "unsupported_version"


class UnsupportedAlgorithm(CiphertextError):
    """The suite or algorithm in the data is unsupported or does not match the key."""

    code, kind = 203, "unsupported_algorithm"


# --- 3xx: keys and keysets ---------------------------------------------------------------------


class KeyVersionError(Error):
    """Base of the errors about a key version named by id: unknown, disabled or destroyed."""


class UnknownKey(KeyVersionError):
    """No key version with that id exists in the keyset."""

    code, kind = 300, "unknown_key"


class KeyDisabled(KeyVersionError):
    """The key version exists but is disabled."""

    code, kind = 301, "key_disabled"


class KeyDestroyed(KeyVersionError):
    """The key version exists but its material was destroyed."""

    code, kind = 302, "key_destroyed"


class KeysetError(Error):
    """Base of the errors about a stored keyset or the keyset's state."""


class KeyUnwrapFailed(KeysetError):
    """A stored keyset could not be unwrapped: wrong passphrase or KEK, or it was modified."""

    code, kind = 303, "key_unwrap_failed"


class MalformedKeyset(KeysetError, ValueError):
    """A stored keyset is not valid JSON of the documented shape, or breaks its invariants."""

    code, kind = 304, "malformed_keyset"


class KeysetStateError(KeysetError):
    """The operation would leave the keyset without a usable primary (e.g. disabling it)."""

    code, kind = 305, "keyset_state"


class KeysetRolledBack(KeysetError):
    """A stored keyset is older (a lower generation) than the ``min_generation`` the loader demanded:
    a stale copy or a rollback of the keyset file."""

    code, kind = 306, "keyset_rolled_back"


# --- 4xx, 5xx, 6xx, 9xx ------------------------------------------------------------------------


class PolicyError(Error):
    """A sharing policy is invalid."""

    code, kind = 400, "policy"


class IoError(Error, OSError):
    """Reading or writing a file or stream failed."""

    code, kind = 401, "io"


class EnvelopeError(Error):
    """Base of the errors about exchange envelopes."""


class Replay(EnvelopeError):
    """The envelope was seen before."""

    code, kind = 500, "replay"


class Expired(EnvelopeError):
    """The envelope has expired."""

    code, kind = 501, "expired"


class NotRecipient(EnvelopeError):
    """This identity is not among the envelope's recipients."""

    code, kind = 502, "not_recipient"


class UnknownSender(EnvelopeError):
    """The sender, or the key it names, is not registered, or the key is not valid then."""

    code, kind = 503, "unknown_sender"


class MalformedEnvelope(EnvelopeError):
    """The bytes are not a well-formed envelope."""

    code, kind = 504, "malformed_envelope"


class BadSignature(EnvelopeError):
    """The envelope's signature does not verify under the sender's registered key."""

    code, kind = 505, "bad_signature"


class NotYetValid(EnvelopeError):
    """The envelope's creation time is in the future (beyond the allowed clock skew)."""

    code, kind = 506, "not_yet_valid"


class CorruptedPayload(EnvelopeError):
    """The signature is valid but the content does not open (wrapped key, commitment or chunk)."""

    code, kind = 507, "corrupted_payload"


class AnonymizationInfeasible(Error):
    """No transformation satisfies the privacy models within the suppression limit.

    No table is returned (never one that misses what was asked). What *was* possible is in the
    exception: with the optimal search (the default method), ``details`` is the report (JSON) of the
    best transformation possible, the one that needs the least suppression, and ``report`` is that
    report as a dict, shaped like the report of a successful :func:`privshare.anonymize`: ``models``
    (each with ``holds``, false for at least one), ``quality`` (``suppressed``, per-attribute
    ``level``, loss), ``risk_before`` / ``risk_after``. Mondrian gives no report (``None``).

    Attributes:
        report: the best-effort report as a dict, or ``None``.
    """

    code, kind = 600, "anonymization_infeasible"

    def __init__(
        self,
        message: str = "",
        *,
        row: Optional[int] = None,
        column: Optional[str] = None,
        offset: Optional[int] = None,
        display: Optional[str] = None,
        details: Optional[str] = None,
        line: Optional[int] = None,
    ) -> None:
        super().__init__(message, row=row, column=column, offset=offset, display=display, details=details, line=line)
        self.report: Optional[Dict[str, Any]] = None
        if details is not None:
            try:
                parsed = json.loads(details)
            except ValueError:  # the core always sends JSON; never fail while raising
                parsed = None
            self.report = parsed if isinstance(parsed, dict) else None


class AuditLogError(Error):
    """Base of the errors about audit logs (see docs/formats/audit-log.md, section 8)."""


class MalformedAuditLog(AuditLogError):
    """An audit log file, tree head or proof is not well-formed; ``offset`` says where."""

    code, kind = 700, "malformed_audit_log"


class AuditLogTornTail(AuditLogError):
    """The audit log ends in a frame torn by a crash: see :meth:`privshare.AuditLog.recover`."""

    code, kind = 701, "audit_log_torn_tail"


class AuditLogMismatch(AuditLogError):
    """The audit log's records do not match what was committed or signed (modified, removed,
    reordered or inserted records)."""

    code, kind = 702, "audit_log_mismatch"


class AuditLogTruncated(AuditLogError):
    """The audit log is shorter than a trusted signed tree head."""

    code, kind = 703, "audit_log_truncated"


class AuditLogForked(AuditLogError):
    """Two validly signed tree heads of one log disagree: the log was forked."""

    code, kind = 704, "audit_log_forked"


class InternalError(Error):
    """An internal invariant was broken; please report it."""

    code, kind = 900, "internal"


_BY_CODE: Dict[int, Type[Error]] = {
    cls.code: cls
    for cls in list(globals().values())
    if isinstance(cls, type) and issubclass(cls, Error) and "code" in cls.__dict__
}


# Show the classes where users import them from: ``privshare.AuthenticationFailed``.
for _cls in list(globals().values()):
    if isinstance(_cls, type) and issubclass(_cls, Error):
        _cls.__module__ = "privshare"
del _cls


def _rebuild(cls, message, display, row, column, offset, code, details=None, line=None):  # type: ignore[no-untyped-def]
    err = cls(message, row=row, column=column, offset=offset, display=display, details=details, line=line)
    if err.code != code:
        err.code = code
    return err


def error_class(code: int) -> Type[Error]:
    """The exception class for a core error code (:class:`Error` itself for an unknown code)."""
    return _BY_CODE.get(code, Error)


def _from_core(
    code: int,
    message: str,
    display: str,
    row: Optional[int],
    column: Optional[str],
    offset: Optional[int],
    details: Optional[str] = None,
    line: Optional[int] = None,
) -> Error:
    """Called by the native module to turn a core error into an exception instance."""
    cls = error_class(code)
    err = cls(message, row=row, column=column, offset=offset, display=display, details=details, line=line)
    if cls is Error:
        # A code newer than this Python file: keep the number the core gave.
        err.code = code
    return err
