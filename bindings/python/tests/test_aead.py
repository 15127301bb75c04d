"""RandomizedCipher and DeterministicCipher: single values, columns, and every error path."""

import base64

import pytest

import privshare

R = privshare.RandomizedCipher
D = privshare.DeterministicCipher


def b64(data: bytes) -> str:
    return "ps1:" + base64.urlsafe_b64encode(data).decode().rstrip("=")


@pytest.mark.parametrize("cls", [R, D])
def test_round_trip_text_and_binary(keyset, cls):
    c = cls(keyset, "tax-2026", "name")
    assert (c.dataset, c.field, c.primary_id) == ("tax-2026", "name", keyset.primary_id)
    for value in ["Zhang San", "张三", "", "x" * 10_000]:
        text = c.encrypt(value)
        assert isinstance(text, str) and text.startswith("ps1:")
        assert c.decrypt(text) == value.encode()
        assert c.decrypt(text, as_str=True) == value
        binary = c.encrypt(value.encode(), encoding="binary")
        assert isinstance(binary, bytes) and binary[0] == 1
        assert c.decrypt(binary) == value.encode()
        # the two forms are the same bytes
        assert c.decrypt(b64(binary)) == value.encode()
        assert c.decrypt(text.encode(), encoding="text") == value.encode()
    assert c.encrypt(bytearray(b"ab"), encoding="binary")
    assert f"key_id={c.primary_id}" in repr(c) and "Zhang" not in repr(c)


def test_randomized_is_randomized_deterministic_is_not(keyset):
    r, d = R(keyset, "d", "f"), D(keyset, "d", "f")
    assert r.encrypt("v") != r.encrypt("v")
    assert d.encrypt("v") == d.encrypt(b"v")
    assert d.encrypt("v") != d.encrypt("w")
    assert D(keyset, "d", "g").encrypt("v") != d.encrypt("v")


@pytest.mark.parametrize("cls", [R, D])
def test_padding_hides_lengths_in_buckets(keyset, cls):
    block = cls(keyset, "d", "note", padding="block:32")
    plain = cls(keyset, "d", "note")
    assert (block.padding, plain.padding) == ("block:32", "none")

    def size(c, n):
        return len(c.encrypt(b"x" * n, encoding="binary"))

    assert size(block, 0) == size(block, 31) == size(block, 32) - 32
    assert size(plain, 0) < size(plain, 31) < size(block, 31)
    padded = block.encrypt("secret")
    assert plain.decrypt(padded) == b"secret"  # any cipher of the field opens any padding
    assert block.decrypt_column(block.encrypt_column(["", "a" * 40]), as_str=True) == ["", "a" * 40]
    padme = cls(keyset, "d", "note", padding="padme")
    assert size(padme, 1000) - size(padme, 1) == 1024 - 2  # 1001 bytes round up to 1024
    for bad in ["block:1", "block:4097", "Padme", ""]:
        with pytest.raises(privshare.InvalidArgument):
            cls(keyset, "d", "note", padding=bad)


def test_algorithm_follows_the_suite(keyset, suite):
    alg = R(keyset, "d", "f").encrypt(b"v", encoding="binary")[1]
    det = D(keyset, "d", "f").encrypt(b"v", encoding="binary")[1]
    assert (alg, det) == ((1, 3) if suite == "aes" else (2, 4))


def test_record_binding(keyset):
    c = R(keyset, "d", "f")
    ct = c.encrypt("v", record="row-1")
    assert c.decrypt(ct, record=b"row-1") == b"v"
    assert c.decrypt(ct, "row-1") == b"v"
    for wrong in (None, "row-2", b""):
        with pytest.raises(privshare.AuthenticationFailed):
            c.decrypt(ct, record=wrong)
    with pytest.raises(privshare.AuthenticationFailed):
        c.decrypt(c.encrypt("v"), record="row-1")


@pytest.mark.parametrize("cls", [R, D])
def test_context_binding(keyset, cls):
    ct = cls(keyset, "d", "f").encrypt("v")
    for other in (cls(keyset, "d", "g"), cls(keyset, "e", "f"), cls(keyset, "df", "")):
        with pytest.raises(privshare.AuthenticationFailed) as info:
            other.decrypt(ct)
        assert str(info.value) == "decryption or verification failed (code 200)"


@pytest.mark.parametrize("cls", [R, D])
def test_garbage_ciphertexts(keyset, cls):
    c = cls(keyset, "d", "f")
    good = c.encrypt(b"secret", encoding="binary")
    cases = [
        ("ps1:", privshare.MalformedCiphertext, 0),
        ("ps1:!!!!", privshare.MalformedCiphertext, 4),
        ("xx1:AAAA", privshare.MalformedCiphertext, 0),
        ("", privshare.MalformedCiphertext, 0),
        (b"", privshare.MalformedCiphertext, 0),
        (b"\x03" + good[1:], privshare.UnsupportedVersion, 0),
        (b"\x01\x09" + good[2:], privshare.UnsupportedAlgorithm, 1),
        (good[:3], privshare.MalformedCiphertext, None),
        (good[:20], privshare.MalformedCiphertext, None),
        (good + b"\x00", privshare.AuthenticationFailed, None),
        (b"\xff\xfe", privshare.UnsupportedVersion, 0),
    ]
    for ct, exc, offset in cases:
        with pytest.raises(exc) as info:
            c.decrypt(ct)
        if offset is not None:
            assert info.value.offset == offset, ct
        assert "secret" not in str(info.value)
    # text form that is not UTF-8
    with pytest.raises(privshare.MalformedCiphertext):
        c.decrypt(b"ps1:\xff\xff", encoding="text")
    # every single-bit flip of a valid ciphertext is rejected
    for i in range(len(good)):
        bad = bytearray(good)
        bad[i] ^= 0x01
        with pytest.raises(privshare.Error):
            c.decrypt(bytes(bad))


@pytest.mark.parametrize("cls", [R, D])
def test_wrong_unknown_disabled_destroyed_keys(cls):
    ks = privshare.Keyset.generate("aes")
    old_ct = cls(ks, "d", "f").encrypt("v")
    old = ks.primary_id
    ks.rotate()
    c = cls(ks, "d", "f")
    assert c.decrypt(old_ct) == b"v"  # rotated-out versions still decrypt
    assert c.encrypt(b"v", encoding="binary")[2:6] == ks.primary_id.to_bytes(4, "big")
    other = privshare.Keyset.generate("aes")
    with pytest.raises(privshare.UnknownKey) as info:
        cls(other, "d", "f").decrypt(old_ct)
    assert info.value.offset == 2
    ks.disable(old)
    with pytest.raises(privshare.KeyDisabled):
        cls(ks, "d", "f").decrypt(old_ct)
    # a cipher keeps the keys it was made with
    assert c.decrypt(old_ct) == b"v"
    ks.enable(old)
    assert cls(ks, "d", "f").decrypt(old_ct) == b"v"
    ks.destroy(old)
    with pytest.raises(privshare.KeyDestroyed):
        cls(ks, "d", "f").decrypt(old_ct)


def test_same_id_other_key_fails_authentication():
    import json

    a = privshare.Keyset.generate("aes")
    doc = json.loads(privshare.Keyset.generate("aes").to_insecure_plaintext_json())
    doc["primary"] = a.primary_id
    doc["versions"][0]["id"] = a.primary_id
    b = privshare.Keyset.from_insecure_plaintext_json(json.dumps(doc))
    with pytest.raises(privshare.AuthenticationFailed):
        R(b, "d", "f").decrypt(R(a, "d", "f").encrypt("v"))


@pytest.mark.parametrize("cls", [R, D])
def test_wrong_types(keyset, cls):
    c = cls(keyset, "d", "f")
    for bad in (None, 5, 1.5, ["a"], object()):
        with pytest.raises(TypeError):
            c.encrypt(bad)
        with pytest.raises(TypeError):
            c.decrypt(bad)
    with pytest.raises(privshare.InvalidArgument):
        c.encrypt("v", encoding="hex")
    with pytest.raises(privshare.InvalidArgument):
        c.decrypt("v", encoding="hex")
    with pytest.raises(TypeError):
        cls("not a keyset", "d", "f")
    with pytest.raises(TypeError):
        cls(keyset, b"d", "f")
    with pytest.raises(privshare.NotUtf8):
        c.encrypt("\ud800")  # a lone surrogate cannot be UTF-8


def test_randomized_record_type_errors(keyset):
    c = R(keyset, "d", "f")
    with pytest.raises(TypeError):
        c.encrypt("v", record=5)
    with pytest.raises(TypeError):
        c.encrypt_column(["v"], records=[5])


def test_as_str_on_binary_plaintext_is_not_utf8(keyset):
    c = R(keyset, "d", "f")
    with pytest.raises(privshare.NotUtf8):
        c.decrypt(c.encrypt(b"\xff\xfe"), as_str=True)
    with pytest.raises(privshare.NotUtf8) as info:
        c.decrypt_column([c.encrypt(b"ok"), c.encrypt(b"\xff")], as_str=True)
    assert info.value.row == 1


@pytest.mark.parametrize("cls", [R, D])
def test_columns(keyset, cls):
    c = cls(keyset, "d", "f")
    values = ["a", "", "张三", "x" * 300]
    cts = c.encrypt_column(values)
    assert len(cts) == 4 and all(isinstance(t, str) and t.startswith("ps1:") for t in cts)
    assert [c.decrypt(t, as_str=True) for t in cts] == values
    assert c.decrypt_column(cts) == [v.encode() for v in values]
    assert c.decrypt_column(tuple(cts), as_str=True) == values
    assert c.decrypt_column(iter(cts), as_str=True) == values
    binary = c.encrypt_column([v.encode() for v in values], encoding="binary")
    assert all(isinstance(b, bytes) for b in binary)
    assert c.decrypt_column(binary, as_str=True) == values
    assert c.decrypt_column([t.encode() for t in cts], encoding="text", as_str=True) == values
    assert c.encrypt_column([]) == [] and c.decrypt_column([]) == []
    if cls is D:
        assert cts == c.encrypt_column(values)


@pytest.mark.parametrize("cls", [R, D])
def test_column_errors_name_the_row(keyset, cls):
    c = cls(keyset, "d", "f")
    cts = c.encrypt_column(["a", "b", "c"])
    cts[2] = cts[2][:-2] + ("A" if cts[2][-2] != "A" else "B") + cts[2][-1]
    with pytest.raises(privshare.AuthenticationFailed) as info:
        c.decrypt_column(cts)
    assert info.value.row == 2
    with pytest.raises(privshare.MalformedCiphertext) as info:
        c.decrypt_column([cts[0], "nope"])
    assert (info.value.row, info.value.offset) == (1, 0)
    with pytest.raises(TypeError, match="row 1"):
        c.encrypt_column(["a", 5])
    with pytest.raises(TypeError):
        c.encrypt_column("a single string is not a column")
    with pytest.raises(TypeError):
        c.encrypt_column(5)

    def failing():
        yield "a"
        raise RuntimeError("from the generator")

    with pytest.raises(RuntimeError, match="from the generator"):
        c.encrypt_column(failing())
    with pytest.raises(privshare.NotUtf8) as info:
        c.encrypt_column(["ok", "\udc80"])
    assert info.value.row == 1 and "row 1" in str(info.value)


def test_randomized_column_records(keyset):
    c = R(keyset, "d", "f")
    cts = c.encrypt_column(["a", "b"], ["r1", b"r2"])
    assert c.decrypt_column(cts, [b"r1", "r2"], as_str=True) == ["a", "b"]
    assert c.decrypt(cts[1], record="r2") == b"b"
    with pytest.raises(privshare.AuthenticationFailed) as info:
        c.decrypt_column(cts, ["r1", "r3"])
    assert info.value.row == 1
    with pytest.raises(privshare.InvalidArgument):
        c.encrypt_column(["a", "b"], ["r1"])
    with pytest.raises(privshare.InvalidArgument):
        c.decrypt_column(cts, ["r1", "r2", "r3"])
