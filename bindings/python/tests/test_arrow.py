"""pyarrow arrays in and out of every column method."""

import pytest

import privshare

pa = pytest.importorskip("pyarrow")


@pytest.fixture
def ks():
    return privshare.Keyset.generate("aes")


VALUES = ["a", "", "张三", "x" * 100, "hello"]


@pytest.mark.parametrize("typ", [pa.string(), pa.large_string()])
def test_randomized_string_arrays(ks, typ):
    c = privshare.RandomizedCipher(ks, "d", "f")
    arr = pa.array(VALUES, type=typ)
    out = c.encrypt_column(arr)
    assert isinstance(out, pa.Array) and out.type == typ and len(out) == len(VALUES)
    out.validate(full=True)
    assert all(s.startswith("ps1:") for s in out.to_pylist())
    # each output decrypts as a single value too
    assert [c.decrypt(s, as_str=True) for s in out.to_pylist()] == VALUES
    back = c.decrypt_column(out, as_str=True)
    assert back.type == typ and back.to_pylist() == VALUES
    raw = c.decrypt_column(out)
    assert raw.type == (pa.binary() if typ == pa.string() else pa.large_binary())
    assert raw.to_pylist() == [v.encode() for v in VALUES]


@pytest.mark.parametrize("typ", [pa.binary(), pa.large_binary()])
def test_binary_arrays_and_binary_encoding(ks, typ):
    c = privshare.DeterministicCipher(ks, "d", "f")
    arr = pa.array([v.encode() for v in VALUES], type=typ)
    out = c.encrypt_column(arr, encoding="binary")
    assert pa.types.is_binary(out.type) or pa.types.is_large_binary(out.type)
    assert out.to_pylist() == c.encrypt_column([v.encode() for v in VALUES], encoding="binary")
    assert c.decrypt_column(out).to_pylist() == [v.encode() for v in VALUES]
    # text-form ciphertexts from a binary array need encoding="text"
    text = c.encrypt_column(arr)
    assert pa.types.is_string(text.type) or pa.types.is_large_string(text.type)
    as_binary = text.cast(pa.binary())
    assert c.decrypt_column(as_binary, encoding="text").to_pylist() == [v.encode() for v in VALUES]


def test_sliced_arrays_use_their_own_window(ks):
    c = privshare.DeterministicCipher(ks, "d", "f")
    arr = pa.array(VALUES)
    part = arr.slice(1, 3)
    assert c.encrypt_column(part).to_pylist() == c.encrypt_column(VALUES[1:4])
    assert len(c.encrypt_column(arr.slice(2, 0))) == 0
    assert c.encrypt_column(pa.array([], type=pa.string())).to_pylist() == []


def test_nulls_pass_through_and_rows_refer_to_the_original(ks):
    c = privshare.RandomizedCipher(ks, "d", "f")
    arr = pa.array(["a", None, "b", None])
    out = c.encrypt_column(arr)
    assert out.null_count == 2 and out.is_null().to_pylist() == [False, True, False, True]
    assert c.decrypt_column(out, as_str=True).to_pylist() == ["a", None, "b", None]
    bad = pa.array([out[0].as_py(), None, "ps1:AAAA"])
    with pytest.raises(privshare.UnsupportedVersion) as info:
        c.decrypt_column(bad)
    assert info.value.row == 2 and "row 2" in str(info.value)
    # records follow the values' nulls
    cts = c.encrypt_column(arr, records=["r0", "r1", "r2", "r3"])
    assert c.decrypt_column(cts, records=pa.array(["r0", "r1", "r2", "r3"]), as_str=True).to_pylist() == [
        "a", None, "b", None]
    assert c.decrypt(cts[2].as_py(), record="r2") == b"b"
    with pytest.raises(privshare.InvalidArgument):
        c.encrypt_column(arr, records=["r0"])


def test_fpe_and_tokens_with_arrow(ks):
    f = privshare.Ff1Cipher(ks, "d", "f", key_id=ks.primary_id)
    arr = pa.array(["1234567", None, "7654321"], type=pa.large_string())
    out = f.encrypt_column(arr)
    assert out.type == pa.large_string() and out[1].as_py() is None
    assert f.decrypt_column(out).to_pylist() == arr.to_pylist()
    with pytest.raises(privshare.OutsideAlphabet) as info:
        f.encrypt_column(pa.array([None, "1234567", "12a4567"]))
    assert (info.value.row, info.value.offset) == (2, 2)
    t = privshare.Tokenizer(ks, "p")
    toks = t.token_column(pa.array(["x", "y"]))
    assert toks.to_pylist() == t.token_column(["x", "y"])
    m = privshare.MobileCipher(ks, "d", "f", key_id=ks.primary_id)
    assert m.decrypt_column(m.encrypt_column(pa.array(["13812345678"]))).to_pylist() == ["13812345678"]


def test_chunked_arrays(ks):
    c = privshare.RandomizedCipher(ks, "d", "f")
    chunked = pa.chunked_array([["a", "b"], [], ["c", None]])
    out = c.encrypt_column(chunked, records=["1", "2", "3", "4"])
    assert isinstance(out, pa.ChunkedArray) and len(out) == 4
    assert c.decrypt_column(out, records=pa.array(["1", "2", "3", "4"]), as_str=True).to_pylist() == [
        "a", "b", "c", None]
    bad = pa.chunked_array([[out[0].as_py()], [None, "ps1:AAAA"]])
    with pytest.raises(privshare.UnsupportedVersion) as info:
        c.decrypt_column(bad, records=["1", "2", "3"])
    assert info.value.row == 2 and "row 2" in str(info.value)
    assert len(c.encrypt_column(pa.chunked_array([], type=pa.string()))) == 0


def test_other_arrow_types_are_rejected(ks):
    c = privshare.RandomizedCipher(ks, "d", "f")
    with pytest.raises(TypeError):
        c.encrypt_column(pa.array([1, 2, 3]))


def test_large_column_matches_the_list_path(ks):
    d = privshare.DeterministicCipher(ks, "d", "f")
    values = [f"value-{i:08d}" for i in range(20_000)]
    assert d.encrypt_column(pa.array(values)).to_pylist() == d.encrypt_column(values)


def test_invalid_values_become_arrow_nulls():
    ks = privshare.Keyset.generate("sm")
    m = privshare.MobileCipher(ks, "d", "f", key_id=ks.primary_id)
    arr = pa.array(["13812345678", None, "1381234567", "13912345678", "x"])
    out, rows = m.encrypt_column(arr, on_invalid="null", return_invalid=True)
    assert isinstance(out, pa.Array) and rows == [2, 4]  # rows of the caller's array, nulls counted
    assert out.null_count == 3 and out[0].as_py() is not None and out[2].as_py() is None
    back = m.decrypt_column(out.filter(out.is_valid()))
    assert back.to_pylist() == ["13812345678", "13912345678"]
    chunked = pa.chunked_array([["x", "13812345678"], ["1", "13912345678"]])
    out, rows = m.encrypt_column(chunked, on_invalid="null", return_invalid=True)
    assert isinstance(out, pa.ChunkedArray) and rows == [0, 2] and out.null_count == 2
    masked, rows = privshare.Masker({"rule": "mobile"}).apply_column(arr, on_invalid="null", return_invalid=True)
    assert masked.to_pylist() == ["138****5678", None, None, "139****5678", None] and rows == [2, 4]
