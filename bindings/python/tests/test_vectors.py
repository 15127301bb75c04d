"""The shared vector files under tests/vectors/, read through the Python API."""

import json

import pytest

import privshare
from conftest import REPO

FIELD_VECTORS = REPO / "tests/vectors/field-ciphertext.json"


def _load(path):
    if not path.exists():
        pytest.skip(f"{path.relative_to(REPO)} not in this checkout")
    return json.loads(path.read_text())


def _keyset(vectors, primary):
    versions = [
        {"id": k["key_id"], "suite": k["suite"], "status": "enabled", "created_at": 0, "root_key_hex": k["root_key"]}
        for k in vectors["keys"]
    ]
    doc = {"format": "privshare-keyset-insecure-plaintext", "version": 1, "primary": primary, "versions": versions}
    return privshare.Keyset.from_insecure_plaintext_json(json.dumps(doc))


def _cipher(ks, v):
    padding = v.get("padding", "none")  # invalid vectors have none
    if v["scheme"] == "randomized":
        return privshare.RandomizedCipher(ks, v["dataset"], v["field"], padding=padding), True
    return privshare.DeterministicCipher(ks, v["dataset"], v["field"], padding=padding), False


def _record(v):
    return None if v.get("record") is None else bytes.fromhex(v["record"])


def test_valid_field_ciphertext_vectors():
    vectors = _load(FIELD_VECTORS)
    assert len(vectors["valid"]) >= 8
    for v in vectors["valid"]:
        ks = _keyset(vectors, v["key_id"])
        c, randomized = _cipher(ks, v)
        pt = bytes.fromhex(v["plaintext"])
        ct = bytes.fromhex(v["ciphertext"])
        args = (_record(v),) if randomized else ()
        assert c.decrypt(ct, *args) == pt, v["name"]
        assert c.decrypt(v["text"], *args) == pt, v["name"]
        records = [_record(v)] if randomized and _record(v) is not None else None
        if randomized:
            assert c.decrypt_column([v["text"]], records) == [pt], v["name"]
        else:
            assert c.decrypt_column([v["text"]]) == [pt], v["name"]
        assert c.padding == v["padding"], v["name"]
        # Deterministic encryption with the vector's padding reproduces it byte for byte.
        if not randomized:
            assert c.encrypt(pt, encoding="binary") == ct, v["name"]
            assert c.encrypt(pt) == v["text"], v["name"]


def test_invalid_field_ciphertext_vectors():
    vectors = _load(FIELD_VECTORS)
    assert vectors["invalid"]
    primary = vectors["keys"][0]["key_id"]
    for v in vectors["invalid"]:
        ks = _keyset(vectors, primary)
        c, randomized = _cipher(ks, v)
        args = (_record(v),) if randomized else ()
        given = bytes.fromhex(v["ciphertext"]) if v.get("ciphertext") is not None else v["text"]
        with pytest.raises(privshare.Error) as info:
            c.decrypt(given, *args)
        e = info.value
        assert (e.kind, e.code) == (v["error"], v["error_code"]), v["name"]
        assert type(e) is privshare.error_class(v["error_code"])
        if v.get("offset") is not None:
            assert e.offset == v["offset"], v["name"]


def _plain_keyset(keys, primary):
    """A keyset from (key_id, suite, root hex) triples, through the insecure plaintext form."""
    versions = [{"id": i, "suite": s, "status": "enabled", "created_at": 0, "root_key_hex": r} for i, s, r in keys]
    doc = {"format": "privshare-keyset-insecure-plaintext", "version": 1, "primary": primary, "versions": versions}
    return privshare.Keyset.from_insecure_plaintext_json(json.dumps(doc))


def test_token_vectors():
    vectors = _load(REPO / "tests/vectors/fle/token.json")
    keys = [(k["key_id"], k["suite"], k["root_key"]) for k in vectors["keys"]]
    assert len(vectors["valid"]) >= 4
    for v in vectors["valid"]:
        t = privshare.Tokenizer(_plain_keyset(keys, v["key_id"]), v["purpose"])
        value = bytes.fromhex(v["value"])
        assert t.token(value).hex() == v["token"]
        assert t.token_text(value) == v["text"]
        assert t.token_column([value]) == [v["text"]]
    for v in vectors["invalid"]:
        t = privshare.Tokenizer(_plain_keyset(keys, v["key_id"]), v["purpose"])
        with pytest.raises(privshare.Error) as info:
            t.token(bytes.fromhex(v["value"]))
        assert (info.value.kind, info.value.code) == (v["error"], v["error_code"])


def test_fpe_keyed_vectors():
    vectors = _load(REPO / "tests/vectors/fpe/keyed.json")
    seen = set()
    for v in vectors["vectors"]:
        ks = _plain_keyset([(vectors["key_id"], v["suite"], vectors["root_key"])], vectors["key_id"])
        kind = v["cipher"]
        if kind == "ff1":
            c = privshare.Ff1Cipher(ks, v["dataset"], v["field"], v["alphabet"], key_id=ks.primary_id)
        elif kind == "resident_id":
            start, end = (tuple(d) for d in v["range"])
            c = privshare.ResidentIdCipher(ks, v["dataset"], v["field"], birth_dates=(start, end), key_id=ks.primary_id)
        elif kind == "mobile":
            c = privshare.MobileCipher(ks, v["dataset"], v["field"], key_id=ks.primary_id)
        else:
            assert kind == "bank_card"
            c = privshare.BankCardCipher(ks, v["dataset"], v["field"], key_id=ks.primary_id)
        assert c.encrypt(v["pt"]) == v["ct"], v
        assert c.decrypt(v["ct"]) == v["pt"], v
        assert c.encrypt_column([v["pt"]]) == [v["ct"]], v
        seen.add((kind, v["suite"]))
    assert len(seen) == 8  # every cipher in both suites


KEYSET_DIR = REPO / "tests/vectors/keyset"


def _summary(ks):
    return ks.primary_id, [(v.id, v.suite, v.status, v.created_at) for v in ks.versions]


def test_stored_keyset_vectors():
    keks = _load(KEYSET_DIR / "keks.json")
    plain = privshare.Keyset.from_insecure_plaintext_json((KEYSET_DIR / "plaintext.json").read_text())
    assert _summary(plain) == (305419896, [(17, "aes", "destroyed", 1577836800), (4242, "sm", "enabled", 1672531200),
                                           (305419896, "aes", "enabled", 1735689600)])
    loaded = [
        privshare.Keyset.from_json((KEYSET_DIR / "wrapped_raw_aes.json").read_text(), kek=bytes.fromhex(keks["kek_hex"])),
        privshare.Keyset.from_json((KEYSET_DIR / "wrapped_raw_sm4.json").read_bytes(),
                                   kek=bytes.fromhex(keks["sm4_kek_hex"])),
        privshare.Keyset.from_json((KEYSET_DIR / "wrapped_passphrase.json").read_text(), passphrase=keks["passphrase"]),
    ]
    for ks in loaded:
        assert _summary(ks) == _summary(plain)
        # same root keys: what one encrypts, the other decrypts
        assert privshare.DeterministicCipher(ks, "d", "f").encrypt("v") == privshare.DeterministicCipher(
            plain, "d", "f").encrypt("v")
        assert ks.to_insecure_plaintext_json() == plain.to_insecure_plaintext_json()
    with pytest.raises(privshare.KeyUnwrapFailed):
        privshare.Keyset.from_json((KEYSET_DIR / "wrapped_raw_aes.json").read_text(), kek=bytes(32))
    with pytest.raises(privshare.KeyUnwrapFailed, match="wrong passphrase or modified keyset"):
        privshare.Keyset.from_json((KEYSET_DIR / "wrapped_passphrase.json").read_text(), passphrase="wrong")
    assert {ks.generation for ks in loaded} == {plain.generation} == {7}


def test_version_1_keyset_vectors_still_load_as_generation_0():
    keks = _load(KEYSET_DIR / "keks.json")
    plain = privshare.Keyset.from_insecure_plaintext_json((KEYSET_DIR / "plaintext.json").read_text())
    v1 = KEYSET_DIR / "v1"
    loaded = [
        privshare.Keyset.from_insecure_plaintext_json((v1 / "plaintext.json").read_text()),
        privshare.Keyset.from_json((v1 / "wrapped_raw_aes.json").read_text(), kek=bytes.fromhex(keks["kek_hex"])),
        privshare.Keyset.from_json((v1 / "wrapped_raw_sm4.json").read_text(), kek=bytes.fromhex(keks["sm4_kek_hex"])),
        privshare.Keyset.from_json((v1 / "wrapped_passphrase.json").read_text(), passphrase=keks["passphrase"]),
    ]
    for ks in loaded:
        assert ks.generation == 0
        assert _summary(ks) == _summary(plain)
    with pytest.raises(privshare.KeysetRolledBack):
        privshare.Keyset.from_json((v1 / "wrapped_raw_aes.json").read_text(), kek=bytes.fromhex(keks["kek_hex"]),
                                   min_generation=1)
