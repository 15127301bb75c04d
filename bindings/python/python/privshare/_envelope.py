"""Signed exchange envelopes: ``seal`` and ``open`` over the native core (docs/formats/envelope.md)."""
import json
from typing import Any, Dict, Iterable, Mapping, Optional, Sequence, Tuple, Union

from ._native import RecipientKey, ReplayStore, SigningKey, TrustRegistry, _open, _seal

_Key = Union[str, bytes]


def _key_bytes(key: _Key) -> bytes:
    return key.encode() if isinstance(key, str) else bytes(key)


def seal(
    signer: SigningKey,
    sender: str,
    recipients: Iterable[Tuple[str, _Key]],
    payload: bytes,
    *,
    purpose: str = "",
    legal_basis: str = "",
    policy: Optional[Tuple[str, int, bytes]] = None,
    schema_hash: bytes = b"",
    content_type: str = "",
    column_key_versions: Optional[Mapping[str, int]] = None,
    created_at: Optional[int] = None,
    lifetime: Optional[int] = None,
    padding: Union[None, str, int] = None,
    chunk_size: Optional[int] = None,
) -> bytes:
    """Seals ``payload`` for ``recipients`` (pairs of participant id and public key, PEM or DER),
    signed by ``signer`` on behalf of ``sender`` (``INSTANCE/CLASS/MEMBER/SUBSYSTEM``).

    ``policy`` is ``(id, version, hash)``; ``column_key_versions`` maps each encrypted column to
    its keyset key version. ``created_at`` (Unix seconds) defaults to now and ``lifetime`` to 7
    days. ``padding`` is ``"power_of_two"`` or a multiple in bytes, to hide the payload's exact
    size. ``chunk_size`` is 1 KiB to 4 MiB (64 KiB by default).

    >>> import privshare
    >>> signer = privshare.SigningKey.generate("ed25519")
    >>> me = privshare.RecipientKey.generate("hpke-x25519")
    >>> env = privshare.seal(signer, "CN/GOV/111/tax", [("CN/GOV/222/stats", me.public_pem())],
    ...                      b"id,income\\n1,100\\n", purpose="statistics", content_type="text/csv")
    >>> registry = privshare.TrustRegistry()
    >>> registry.add("CN/GOV/111/tax", signer.public_pem())
    >>> store = privshare.ReplayStore()
    >>> payload, header = privshare.open(env, registry=registry, recipient="CN/GOV/222/stats",
    ...                                  key=me, replay_store=store)
    >>> payload, header["purpose"], header["sender"]
    (b'id,income\\n1,100\\n', 'statistics', 'CN/GOV/111/tax')
    >>> privshare.open(env, registry=registry, recipient="CN/GOV/222/stats", key=me, replay_store=store)
    Traceback (most recent call last):
    ...
    privshare.Replay: envelope from CN/GOV/111/tax was already opened (code 500)
    """
    pid, pversion, phash = policy if policy is not None else ("", 0, b"")
    if padding is None:
        pad: Optional[int] = None
    elif padding == "power_of_two":
        pad = 0
    elif isinstance(padding, int) and not isinstance(padding, bool) and padding > 0:
        pad = padding
    else:
        raise ValueError('padding is None, "power_of_two" or a positive number of bytes')
    return _seal(
        signer,
        sender,
        [(who, _key_bytes(key)) for who, key in recipients],
        bytes(payload),
        purpose,
        legal_basis,
        pid,
        pversion,
        bytes(phash),
        bytes(schema_hash),
        content_type,
        list((column_key_versions or {}).items()),
        created_at,
        lifetime,
        pad,
        chunk_size,
    )


def open(  # noqa: A001  (privshare.open, as the module's documented entry point)
    envelope: bytes,
    *,
    registry: TrustRegistry,
    recipient: str,
    key: RecipientKey,
    replay_store: ReplayStore,
    now: Optional[int] = None,
    clock_skew: int = 300,
) -> Tuple[bytes, Dict[str, Any]]:
    """Opens an envelope addressed to ``recipient`` holding ``key``: ``(payload, header)``, the
    header as a dict (byte strings in hex). Each failed check raises its own exception:
    ``MalformedEnvelope``, ``UnknownSender``, ``BadSignature``, ``NotYetValid``, ``Expired``,
    ``NotRecipient``, ``Replay``, ``CorruptedPayload``. ``now`` (Unix seconds) defaults to the
    clock."""
    payload, header = _open(bytes(envelope), registry, recipient, key, replay_store, now, clock_skew)
    return payload, json.loads(header)


__all__: Sequence[str] = ["seal", "open"]
