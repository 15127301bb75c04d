"""Envelopes from Python: keys, the trust registry, seal and open with each error, the replay
store across restarts, keys made by openssl, and an independent check with `cryptography`."""

import importlib.util
import shutil
import subprocess

import pytest

import privshare

from conftest import REPO

SENDER, RECIPIENT = "CN/GOV/111/tax", "CN/GOV/222/stats"
T0 = 1_800_000_000
SUITES = [("ed25519", "hpke-x25519"), ("ecdsa-p256-sha256", "hpke-p256"), ("sm2-sm3", "sm2")]


class World:
    def __init__(self, sig="ed25519", kem="hpke-x25519"):
        self.signer = privshare.SigningKey.generate(sig)
        self.key = privshare.RecipientKey.generate(kem)
        self.registry = privshare.TrustRegistry()
        self.registry.add(SENDER, self.signer.public_pem())

    def seal(self, payload=b"id,income\n1,100\n", **kw):
        kw.setdefault("created_at", T0)
        kw.setdefault("lifetime", 3600)
        return privshare.seal(self.signer, SENDER, [(RECIPIENT, self.key.public_pem())], payload, **kw)

    def open(self, env, now=T0 + 10, store=None, **kw):
        store = store if store is not None else privshare.ReplayStore()
        return privshare.open(env, registry=self.registry, recipient=RECIPIENT, key=self.key, replay_store=store,
                              now=now, **kw)


@pytest.mark.parametrize("sig,kem", SUITES)
def test_round_trip_every_suite(sig, kem):
    w = World(sig, kem)
    env = w.seal(b"x" * 5000, purpose="statistics", legal_basis="law", policy=("p", 3, b"\x01" * 32),
                 schema_hash=b"\x02" * 32, content_type="text/csv", column_key_versions={"resident_id": 7},
                 padding="power_of_two", chunk_size=1024)
    payload, header = w.open(env)
    assert payload == b"x" * 5000
    assert header["purpose"] == "statistics" and header["suite"] == ("sm" if sig == "sm2-sm3" else "aes")
    assert header["policy"] == {"id": "p", "version": 3, "hash": "01" * 32}
    assert header["column_key_versions"] == [{"column": "resident_id", "key_version": 7}]
    assert header["padded_length"] == 8192 and header["sender"] == SENDER
    assert header["recipients"] == [{"id": RECIPIENT, "key_id": w.key.key_id.hex()}]


def test_each_check_raises_its_own_exception():
    w = World()
    env = w.seal()
    bad = bytearray(env)
    bad[-1] ^= 1
    with pytest.raises(privshare.BadSignature) as e:
        w.open(bytes(bad))
    assert e.value.code == 505
    with pytest.raises(privshare.MalformedEnvelope):
        w.open(env + b"\0")
    with pytest.raises(privshare.Expired):
        w.open(env, now=T0 + 3600 + 300)
    with pytest.raises(privshare.NotYetValid):
        w.open(env, now=T0 - 301)
    stranger = privshare.RecipientKey.generate()
    with pytest.raises(privshare.NotRecipient):
        privshare.open(env, registry=w.registry, recipient=RECIPIENT, key=stranger,
                       replay_store=privshare.ReplayStore(), now=T0)
    with pytest.raises(privshare.UnknownSender):
        privshare.open(env, registry=privshare.TrustRegistry(), recipient=RECIPIENT, key=w.key,
                       replay_store=privshare.ReplayStore(), now=T0)
    store = privshare.ReplayStore()
    w.open(env, store=store)
    with pytest.raises(privshare.Replay):
        w.open(env, store=store)
    for cls in (privshare.BadSignature, privshare.Replay, privshare.CorruptedPayload):
        assert issubclass(cls, privshare.EnvelopeError)
    with pytest.raises(ValueError):
        w.seal(padding="big")


def test_replay_store_survives_a_restart(tmp_path):
    w = World()
    env = w.seal()
    path = tmp_path / "replay.store"
    w.open(env, store=privshare.ReplayStore(path))
    again = privshare.ReplayStore(str(path))
    assert len(again) == 1
    with pytest.raises(privshare.Replay):
        w.open(env, store=again)


def test_keys_registry_and_signatures():
    key = privshare.SigningKey.generate("ecdsa-p256-sha256")
    again = privshare.SigningKey.load(key.private_pem())
    assert again.key_id == key.key_id and again.algorithm == "ecdsa-p256-sha256"
    sig = again.sign(b"tree head")
    privshare.verify_signature(key.public_pem().encode(), b"tree head", sig)
    with pytest.raises(privshare.AuthenticationFailed):
        privshare.verify_signature(key.public_pem().encode(), b"tree heaD", sig)
    reg = privshare.TrustRegistry()
    reg.add(SENDER, key.public_pem().encode(), not_before=100, not_after=200)
    reg.verify(SENDER, key.key_id, 150, b"tree head", sig)
    with pytest.raises(privshare.UnknownSender):
        reg.verify(SENDER, key.key_id, 200, b"tree head", sig)
    loaded = privshare.TrustRegistry.from_json(reg.to_json())
    loaded.verify(SENDER, key.key_id, 150, b"tree head", sig)
    # An Ed25519 key cannot receive (an EC key on P-256 or SM2 may serve as either kind).
    with pytest.raises(privshare.UnsupportedAlgorithm):
        privshare.RecipientKey.load(privshare.SigningKey.generate().private_pem())
    with pytest.raises(privshare.InvalidArgument):
        privshare.SigningKey.generate("rsa")
    assert "REDACTED" not in repr(key) and key.private_pem().decode() not in repr(key)


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command line")
def test_openssl_keys_load(tmp_path):
    for alg, kind in (("ed25519", "sign"), ("X25519", "recipient")):
        pem = subprocess.run(["openssl", "genpkey", "-algorithm", alg], capture_output=True, check=True).stdout
        if kind == "sign":
            assert privshare.SigningKey.load(pem).algorithm == "ed25519"
        else:
            assert privshare.RecipientKey.load(pem).algorithm == "hpke-x25519"


def _independent_checker():
    path = REPO / "tests" / "vectors" / "envelope" / "check_envelope.py"
    spec = importlib.util.spec_from_file_location("check_envelope", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cryptography_verifies_and_opens_a_fresh_envelope():
    """The decoder written from docs/formats/envelope.md on `cryptography` alone verifies the
    Ed25519 signature of an envelope sealed here and opens it (X25519 HPKE, AES-256-GCM)."""
    from cryptography.hazmat.primitives import serialization

    check = _independent_checker()
    w = World()
    payload = bytes(range(256)) * 20
    env = w.seal(payload, chunk_size=1024, padding=4096)
    h = check.parse(env)
    assert check.verify(h, serialization.load_pem_public_key(w.signer.public_pem().encode()).public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo))
    private = serialization.load_pem_private_key(w.key.private_pem(), None)
    assert check.open_envelope(h, RECIPIENT, w.key.key_id, private, T0 + 10) == payload
    bad = bytearray(env)
    bad[len(bad) // 2] ^= 1
    with pytest.raises(check.Rejected):
        check.verify(check.parse(bytes(bad)), serialization.load_pem_public_key(
            w.signer.public_pem().encode()).public_bytes(serialization.Encoding.DER,
                                                          serialization.PublicFormat.SubjectPublicKeyInfo))
