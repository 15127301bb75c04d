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
    if v["scheme"] == "randomized":
        return privshare.RandomizedCipher(ks, v["dataset"], v["field"]), True
    return privshare.DeterministicCipher(ks, v["dataset"], v["field"]), False


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
