"""Keyset life cycle, storage and its errors."""

import json

import pytest

import privshare

FAST_ARGON2 = (8, 1, 1)  # minimal Argon2id costs: tests only


def test_generate_both_suites_and_default():
    assert privshare.Keyset.generate().suite == "aes"
    for suite in ("aes", "sm", "AES"):
        ks = privshare.Keyset.generate(suite)
        assert ks.suite == suite.lower()
        (v,) = ks.versions
        assert (v.id, v.suite, v.status, v.primary) == (ks.primary_id, suite.lower(), "enabled", True)
        assert v.id != 0 and v.created_at > 1_600_000_000
        assert len(ks) == 1


def test_generate_rejects_unknown_suite_and_wrong_types():
    with pytest.raises(privshare.InvalidArgument) as info:
        privshare.Keyset.generate("des")
    assert info.value.code == 100
    with pytest.raises(TypeError):
        privshare.Keyset.generate(1)


def test_rotate_disable_enable_destroy():
    ks = privshare.Keyset.generate("aes")
    a = ks.primary_id
    b = ks.rotate()
    assert ks.primary_id == b and ks.versions[1].suite == "aes"
    c = ks.rotate("sm")
    assert ks.suite == "sm" and [v.id for v in ks.versions] == [a, b, c]
    with pytest.raises(privshare.KeysetStateError):
        ks.disable(c)
    with pytest.raises(privshare.KeysetStateError):
        ks.destroy(c)
    ks.disable(a)
    assert ks.versions[0].status == "disabled"
    with pytest.raises(privshare.KeyDisabled):
        ks.set_primary(a)
    ks.enable(a)
    ks.set_primary(a)
    assert ks.primary_id == a and ks.versions[0].primary
    ks.set_primary(c)
    ks.destroy(b)
    assert ks.versions[1].status == "destroyed"
    with pytest.raises(privshare.KeyDestroyed):
        ks.enable(b)
    with pytest.raises(privshare.KeyDestroyed):
        ks.disable(b)
    for op in (ks.disable, ks.enable, ks.destroy, ks.set_primary):
        with pytest.raises(privshare.UnknownKey):
            op(424242)
    with pytest.raises(OverflowError):
        ks.disable(-1)
    with pytest.raises(TypeError):
        ks.disable("1")


def test_repr_shows_no_key_material():
    ks = privshare.Keyset.generate()
    root = json.loads(ks.to_insecure_plaintext_json())["versions"][0]["root_key_hex"]
    shown = repr(ks) + repr(ks.versions)
    assert root not in shown and str(ks.primary_id) in shown


@pytest.mark.parametrize("kek", [bytes(range(32)), bytes(range(16))])
def test_json_with_kek_round_trips(keyset, kek):
    keyset.rotate()
    old = keyset.versions[0].id
    keyset.disable(old)
    text = keyset.to_json(kek=kek)
    assert "root_key_hex" not in text
    back = privshare.Keyset.from_json(text, kek=kek)
    assert back.primary_id == keyset.primary_id
    assert [(v.id, v.suite, v.status) for v in back.versions] == [
        (v.id, v.suite, v.status) for v in keyset.versions
    ]
    # The loaded keyset holds the same keys: it decrypts what the original encrypted.
    c1 = privshare.RandomizedCipher(keyset, "d", "f")
    c2 = privshare.RandomizedCipher(back, "d", "f")
    assert c2.decrypt(c1.encrypt(b"v")) == b"v"
    # bytes JSON is accepted too
    privshare.Keyset.from_json(text.encode(), kek=kek)


def test_json_with_wrong_kek_or_modified_file_fails():
    ks = privshare.Keyset.generate()
    text = ks.to_json(kek=b"k" * 32)
    with pytest.raises(privshare.KeyUnwrapFailed):
        privshare.Keyset.from_json(text, kek=b"j" * 32)
    doc = json.loads(text)
    doc["primary"] = doc["primary"] ^ 1
    with pytest.raises(privshare.Error):
        privshare.Keyset.from_json(json.dumps(doc), kek=b"k" * 32)
    with pytest.raises(privshare.MalformedKeyset):
        privshare.Keyset.from_json("not json", kek=b"k" * 32)
    with pytest.raises(privshare.MalformedKeyset):
        privshare.Keyset.from_json(b"\xff\xfe", kek=b"k" * 32)


def test_kek_must_be_16_or_32_bytes_and_exactly_one_protection():
    ks = privshare.Keyset.generate()
    with pytest.raises(privshare.InvalidArgument):
        ks.to_json(kek=b"short")
    with pytest.raises(TypeError):
        ks.to_json(kek="a str is not a key")
    with pytest.raises(TypeError):
        ks.to_json()
    with pytest.raises(TypeError):
        ks.to_json(kek=bytes(32), passphrase=b"x")
    with pytest.raises(TypeError):
        ks.to_json(kek=bytes(32), argon2=FAST_ARGON2)
    with pytest.raises(TypeError):
        privshare.Keyset.from_json("{}")


def test_passphrase_round_trip_and_wrong_passphrase():
    ks = privshare.Keyset.generate("sm")
    text = ks.to_json(passphrase="correct horse", argon2=FAST_ARGON2)
    assert json.loads(text)["argon2id"]["m_cost_kib"] == 8
    back = privshare.Keyset.from_json(text, passphrase=b"correct horse")
    assert back.primary_id == ks.primary_id
    with pytest.raises(privshare.KeyUnwrapFailed):
        privshare.Keyset.from_json(text, passphrase="wrong")
    # A passphrase file is not opened with a KEK, and the other way round.
    with pytest.raises(privshare.KeyUnwrapFailed):
        privshare.Keyset.from_json(text, kek=bytes(32))
    with pytest.raises(privshare.KeyUnwrapFailed):
        privshare.Keyset.from_json(ks.to_json(kek=bytes(32)), passphrase="x")
    with pytest.raises(privshare.InvalidArgument):
        ks.to_json(passphrase="x", argon2=(0, 0, 0))


def test_generation_counts_changes_and_refuses_older_files():
    ks = privshare.Keyset.generate()
    assert ks.generation == 1
    first = ks.primary_id
    older = ks.to_json(kek=bytes(32))
    ks.rotate()
    ks.destroy(first)
    with pytest.raises(privshare.KeysetStateError):
        ks.destroy(ks.primary_id)
    assert ks.generation == 3  # two changes; the failed one does not count
    latest = ks.to_json(kek=bytes(32))
    with pytest.raises(privshare.KeysetRolledBack) as info:
        privshare.Keyset.from_json(older, kek=bytes(32), min_generation=ks.generation)
    assert info.value.code == 306 and isinstance(info.value, privshare.KeysetError)
    back = privshare.Keyset.from_json(latest, kek=bytes(32), min_generation=ks.generation)
    assert back.generation == 3
    assert privshare.Keyset.from_json(older, kek=bytes(32)).generation == 1  # no minimum: loads
    with pytest.raises(OverflowError):
        privshare.Keyset.from_json(latest, kek=bytes(32), min_generation=-1)


def test_argon2_caps_refuse_costly_files_before_running():
    ks = privshare.Keyset.generate()
    text = ks.to_json(passphrase="pw", argon2=(64, 2, 1))
    # Above the caps: refused before Argon2id runs, so a wrong passphrase gets the same answer.
    for caps in [(32, 2, 1), (64, 1, 1)]:
        for pw in ["pw", "wrong"]:
            with pytest.raises(privshare.MalformedKeyset, match="cap"):
                privshare.Keyset.from_json(text, passphrase=pw, argon2_caps=caps)
    assert privshare.Keyset.from_json(text, passphrase="pw", argon2_caps=(64, 2, 1)).primary_id == ks.primary_id
    with pytest.raises(privshare.InvalidArgument):
        privshare.Keyset.from_json(text, passphrase="pw", argon2_caps=(64, 2, 17))
    with pytest.raises(TypeError):
        privshare.Keyset.from_json(ks.to_json(kek=bytes(32)), kek=bytes(32), argon2_caps=(64, 2, 1))


def test_insecure_plaintext_export_round_trips():
    ks = privshare.Keyset.generate()
    ks.rotate("sm")
    ks.destroy(ks.versions[0].id)
    text = ks.to_insecure_plaintext_json()
    doc = json.loads(text)
    assert doc["format"] == "privshare-keyset-insecure-plaintext"
    assert doc["versions"][0].get("root_key_hex") is None and doc["versions"][1]["root_key_hex"]
    back = privshare.Keyset.from_insecure_plaintext_json(text)
    assert [v.status for v in back.versions] == ["destroyed", "enabled"]
    with pytest.raises(privshare.MalformedKeyset):
        privshare.Keyset.from_insecure_plaintext_json("{}")
