"""Masking rules, validators and PII detection through the Python API: known answers (the shared
vectors of tests/vectors/mask and hand-written ones), strict mode, keyed rules on both suites,
scan of a path / bytes / DataFrame with planted columns, and bad input."""

import base64
import datetime
import json
import random
import threading

import pytest

import privshare
from conftest import REPO, luhn_ok, resident_id_ok

VECTORS = REPO / "tests" / "vectors" / "mask"
RULE_CASES = json.loads((VECTORS / "rules.json").read_text(encoding="utf-8"))["cases"]
VALIDATOR_CASES = json.loads((VECTORS / "validators.json").read_text(encoding="utf-8"))


def _check_char(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights)) % 11]


def _resident_ids(n: int, rng: random.Random):
    out = []
    for _ in range(n):
        born = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(20000))
        first17 = f"110105{born:%Y%m%d}{rng.randrange(1000):03d}"
        out.append(first17 + _check_char(first17))
    assert all(resident_id_ok(x) for x in out)
    return out


def _mobiles(n: int, rng: random.Random):
    return [f"138{rng.randrange(10**8):08d}" for _ in range(n)]


# --- known answers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rule, value, expected",
    [
        ({"rule": "mobile"}, "13812345678", "138****5678"),
        ({"rule": "mobile"}, "+86 138-1234-5678", "+86 138-****-5678"),
        ({"rule": "resident_id"}, "11010519491231002X", "110105********002X"),
        ({"rule": "resident_id"}, "11010519491231002x", "110105********002X"),
        ({"rule": "name"}, "欧阳娜娜", "欧阳**"),
        ({"rule": "name"}, "张三", "张*"),
        ({"rule": "bank_card"}, "6222021234567890128", "622202*********0128"),
        ({"rule": "bank_card"}, "4111 1111 1111 1111", "4111 11** **** 1111"),
        ({"rule": "keep_ends", "first": 1, "last": 1}, "13800138000", "1*********0"),
        ({"rule": "email"}, "zhangsan@example.com", "z***@example.com"),
    ],
)
def test_known_answers(rule, value, expected):
    assert privshare.Masker(rule).apply(value) == expected
    assert privshare.Masker(json.dumps(rule)).apply(value.encode()) == expected


@pytest.mark.parametrize("case", RULE_CASES, ids=lambda c: json.dumps(c["rule"], ensure_ascii=False))
def test_shared_rule_vectors(case):
    m = privshare.Masker(case["rule"])
    values = [v for v, _, _ in case["values"]]
    expected = [out for _, out, _ in case["values"]]
    bad = [i for i, (_, _, parsed) in enumerate(case["values"]) if not parsed]
    assert [m.apply(v) for v in values] == expected
    assert m.apply_column(values) == expected
    assert m.apply_column(values, return_invalid=True) == (expected, bad)
    strict = privshare.Masker(case["rule"], strict=True)
    for i, (v, out, parsed) in enumerate(case["values"]):
        if parsed:
            assert strict.apply(v) == out
        else:
            with pytest.raises(privshare.InvalidInput):
                strict.apply(v)


def test_rule_property_round_trips():
    m = privshare.Masker({"rule": "mobile", "keep_last": 2})
    assert m.rule["rule"] == "mobile" and m.rule["keep_last"] == 2
    assert privshare.Masker(m.rule).apply("13812345678") == m.apply("13812345678") == "138******78"
    assert (m.strict, m.column) == (False, None)
    assert "mobile" in repr(m)


def test_invalid_values_are_masked_completely_and_counted():
    m = privshare.Masker({"rule": "resident_id"})
    out, invalid = m.apply_column(["11010519491231002X", "110105194912310021", "", "张三"], return_invalid=True)
    assert out == ["110105********002X", "*" * 18, "", "**"]
    assert invalid == [1, 3]  # the empty value stays empty and is not listed


# --- strict mode ---------------------------------------------------------------------------------


def test_strict_error_names_row_and_column_never_value():
    m = privshare.Masker({"rule": "mobile"}, strict=True, column="phone")
    assert (m.strict, m.column) == (True, "phone")
    secret = "1381234567"
    with pytest.raises(privshare.InvalidInput) as info:
        m.apply_column(["13812345678", "13912345678", secret])
    e = info.value
    assert (e.code, e.row, e.column) == (101, 2, "phone")
    assert secret not in str(e)
    with pytest.raises(privshare.InvalidInput) as info:
        m.apply(secret)
    assert info.value.column == "phone" and secret not in str(info.value)


def test_strict_pyarrow_rows_are_the_callers():
    pa = pytest.importorskip("pyarrow")
    m = privshare.Masker({"rule": "mobile"}, strict=True, column="phone")
    arr = pa.array([None, "13812345678", None, "bad"])
    with pytest.raises(privshare.InvalidInput) as info:
        m.apply_column(arr)
    assert info.value.row == 3
    chunked = pa.chunked_array([["13812345678", "13912345678"], ["13712345678", "bad"]])
    with pytest.raises(privshare.InvalidInput) as info:
        m.apply_column(chunked)
    assert info.value.row == 3


def test_pyarrow_in_pyarrow_out_with_nulls_and_invalid_count():
    pa = pytest.importorskip("pyarrow")
    m = privshare.Masker({"rule": "mobile"})
    out, invalid = m.apply_column(pa.array(["13812345678", None, "x"]), return_invalid=True)
    assert isinstance(out, pa.Array) and out.type == pa.string()
    assert out.to_pylist() == ["138****5678", None, "*"] and invalid == [2]  # rows of the caller's array
    big = pa.array(["13812345678", "nope"], type=pa.large_string())
    out = m.apply_column(big)
    assert out.type == pa.large_string() and out.to_pylist() == ["138****5678", "****"]
    out, invalid = m.apply_column(pa.chunked_array([["x"], ["13812345678", "yy"]]), return_invalid=True)
    assert isinstance(out, pa.ChunkedArray) and out.to_pylist() == ["*", "138****5678", "**"] and invalid == [0, 2]


# pyarrow masking goes block by block (8192 values) straight into the result's buffers; the list
# path packs the whole column. Both must give the same values, nulls and invalid counts.

_ARROW_RULES = [
    {"rule": "mobile"},
    {"rule": "resident_id"},
    {"rule": "name"},
    {"rule": "keep_ends", "first": 1, "last": 1, "mask_char": "×"},
    {"rule": "email"},
    {"rule": "constant", "value": "已脱敏"},
    {"rule": "round", "base": 5},
]


def _mixed_column(n: int, seed: int):
    """Valid and invalid values, empty, non-ASCII, and nulls (None), in a random order."""
    rng = random.Random(seed)
    pool = _mobiles(8, rng) + _resident_ids(8, rng) + [
        "", "x", "1381234567", "+86 138-1234-5678", "欧阳娜娜", "张三", "e\u0301cole", "👨‍👩‍👧",
        "zhangsan@example.com", "42", "-7.5", "a" * 300,
    ]
    return [None if rng.random() < 0.1 else rng.choice(pool) for _ in range(n)]


def _list_path(m, values):
    """The list path's answer, with nulls put back where they were."""
    present = [v for v in values if v is not None]
    masked, invalid_present = m.apply_column(present, return_invalid=True)
    # Rows among the present values, back in the numbering of the whole column.
    rows = [i for i, v in enumerate(values) if v is not None]
    invalid = [rows[r] for r in invalid_present]
    it = iter(masked)
    return [None if v is None else next(it) for v in values], invalid


@pytest.mark.parametrize("rule", _ARROW_RULES, ids=lambda r: r["rule"])
def test_pyarrow_matches_the_list_path_across_blocks(rule):
    pa = pytest.importorskip("pyarrow")
    m = privshare.Masker(rule)
    values = _mixed_column(20_000, seed=len(str(rule)))
    want, want_invalid = _list_path(m, values)
    for typ in [pa.string(), pa.large_string()]:
        arr = pa.array(values, type=typ)
        out, invalid = m.apply_column(arr, return_invalid=True)
        out.validate(full=True)
        assert out.type == typ and out.null_count == arr.null_count
        assert out.to_pylist() == want and invalid == want_invalid
    # binary input gives text output
    out = m.apply_column(pa.array([None if v is None else v.encode() for v in values], type=pa.binary()))
    assert out.type == pa.string() and out.to_pylist() == want


def test_pyarrow_sliced_chunked_and_view_arrays():
    pa = pytest.importorskip("pyarrow")
    m = privshare.Masker({"rule": "mobile"})
    values = _mixed_column(30_000, seed=3)
    want, _ = _list_path(m, values)
    arr = pa.array(values)
    # a window that starts inside the data buffer (non-zero offset) and spans blocks
    for start, length in [(1, 9000), (8191, 8194), (12_345, 0), (29_999, 1)]:
        part = m.apply_column(arr.slice(start, length))
        assert part.to_pylist() == want[start : start + length]
    chunks = [values[:5], [], values[5:17_000], values[17_000:]]
    chunked = pa.chunked_array([pa.array(c, type=pa.string()) for c in chunks])
    out, invalid = m.apply_column(chunked, return_invalid=True)
    assert isinstance(out, pa.ChunkedArray) and out.num_chunks == 4
    assert out.to_pylist() == want and invalid == _list_path(m, values)[1]
    sliced_chunked = chunked.slice(3, 20_000)
    assert m.apply_column(sliced_chunked).to_pylist() == want[3:20_003]
    large = pa.chunked_array([pa.array(c, type=pa.large_string()) for c in chunks if c])
    assert m.apply_column(large).to_pylist() == want
    if hasattr(pa, "string_view"):
        view = pa.array(values, type=pa.string_view())
        assert m.apply_column(view).to_pylist() == want
    assert m.apply_column(pa.array([], type=pa.string())).to_pylist() == []
    assert m.apply_column(pa.array([None, None], type=pa.string())).to_pylist() == [None, None]


def test_pyarrow_keyed_rule_matches_the_list_path(keyset):
    pa = pytest.importorskip("pyarrow")
    h = privshare.Masker({"rule": "hash", "length": 16}, keyset=keyset, key_id=keyset.primary_id, dataset="tax", field="phone")
    values = _mixed_column(9000, seed=5)
    assert h.apply_column(pa.array(values)).to_pylist() == _list_path(h, values)[0]


def test_strict_pyarrow_rows_in_later_blocks_and_chunks():
    pa = pytest.importorskip("pyarrow")
    m = privshare.Masker({"rule": "mobile"}, strict=True, column="phone")
    rng = random.Random(9)
    values = [None if i % 7 == 0 else v for i, v in enumerate(_mobiles(30_000, rng))]
    values[25_001] = "1381234567"  # after three blocks of valid values and many nulls
    with pytest.raises(privshare.InvalidInput) as info:
        m.apply_column(pa.array(values))
    assert (info.value.row, info.value.column) == (25_001, "phone")
    chunked = pa.chunked_array([values[:10_000], values[10_000:20_000], values[20_000:]])
    with pytest.raises(privshare.InvalidInput) as info:
        m.apply_column(chunked)
    assert info.value.row == 25_001
    with pytest.raises(privshare.InvalidInput) as info:
        m.apply_column(pa.array(values).slice(20_000))
    assert info.value.row == 5_001
    bad_utf8 = pa.array([b"13812345678"] * 9000 + [b"\xff"], type=pa.binary())
    with pytest.raises(privshare.NotUtf8) as info:
        m.apply_column(bad_utf8)
    assert info.value.row == 9000
    lenient = privshare.Masker({"rule": "mobile"})
    out, invalid = lenient.apply_column(bad_utf8, return_invalid=True)
    assert out[9000].as_py() == "*" and invalid == [9000]


def test_list_blocks_match_value_by_value_and_fall_back_for_other_items():
    # A list of str goes block by block (8192 values); tuples, bytes and odd str take the general path.
    m = privshare.Masker({"rule": "mobile"})
    values = [v if v is not None else "" for v in _mixed_column(20_000, seed=11)]
    want = [m.apply(v) for v in values]
    strict = privshare.Masker({"rule": "mobile"}, strict=True, column="phone")

    def parses(v):
        try:
            strict.apply(v)
            return True
        except privshare.InvalidInput:
            return False

    want_invalid = [i for i, v in enumerate(values) if not parses(v)]
    assert 0 < len(want_invalid) < len(values)
    assert m.apply_column(values, return_invalid=True) == (want, want_invalid)
    assert m.apply_column(tuple(values)) == want
    mixed = values[:9000] + [b"13812345678"] + values[9000:]
    shifted = [r if r < 9000 else r + 1 for r in want_invalid]
    assert m.apply_column(mixed, return_invalid=True) == (want[:9000] + ["138****5678"] + want[9000:], shifted)
    with pytest.raises(privshare.NotUtf8) as info:
        m.apply_column(values[:8200] + ["\ud800"])  # a lone surrogate has no UTF-8 form
    assert info.value.row == 8200
    with pytest.raises(TypeError):
        m.apply_column(values[:10] + [42])
    good = _mobiles(20_000, random.Random(2))
    with pytest.raises(privshare.InvalidInput) as info:
        strict.apply_column(good[:17_000] + ["13812345"] + good[17_000:])
    assert (info.value.row, info.value.column) == (17_000, "phone")
    assert strict.apply_column(good) == [m.apply(v) for v in good]


def test_invalid_counts_are_per_call_across_threads():
    m = privshare.Masker({"rule": "mobile"})
    results = {}

    def work(i):
        values = ["13812345678"] * 2000 + ["bad"] * i
        results[i] = len(m.apply_column(values, return_invalid=True)[1])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(1, 9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {i: i for i in range(1, 9)}


# --- keyed rules ---------------------------------------------------------------------------------


def test_keyed_hash_both_suites(keyset):
    rule = {"rule": "hash"}
    h = privshare.Masker(rule, keyset=keyset, key_id=keyset.primary_id, dataset="tax", field="phone")
    assert h.column == "phone"
    a = h.apply("13812345678")
    assert len(a) == 64 and all(c in "0123456789abcdef" for c in a)  # SHA-256 / SM3: 32 bytes
    assert a == privshare.Masker(rule, keyset=keyset, key_id=keyset.primary_id, dataset="tax", field="phone").apply("13812345678")
    assert a != h.apply("13812345679")
    assert a != privshare.Masker(rule, keyset=keyset, key_id=keyset.primary_id, dataset="tax", field="mobile").apply("13812345678")
    other = privshare.Keyset.generate(keyset.suite.lower())
    assert a != privshare.Masker(rule, keyset=other, key_id=other.primary_id, dataset="tax",
                                 field="phone").apply("13812345678")
    assert h.apply_column(["13812345678", "x"]) == [a, h.apply("x")]
    short = privshare.Masker({"rule": "hash", "length": 16}, keyset=keyset, key_id=keyset.primary_id, dataset="tax", field="phone")
    assert short.apply("13812345678") == a[:16]
    b32 = privshare.Masker({"rule": "hash", "encoding": "base32"}, keyset=keyset, key_id=keyset.primary_id, dataset="tax", field="phone")
    assert base64.b32decode(b32.apply("13812345678") + "====").hex() == a
    keyset.rotate()
    assert privshare.Masker(rule, keyset=keyset, key_id=keyset.primary_id, dataset="tax", field="phone").apply("13812345678") != a


def test_keyed_suites_differ():
    aes = privshare.Keyset.generate("aes")
    sm = privshare.Keyset.generate("sm")
    ha = privshare.Masker({"rule": "hash"}, keyset=aes, key_id=aes.primary_id, dataset="d", field="f").apply("v")
    hs = privshare.Masker({"rule": "hash"}, keyset=sm, key_id=sm.primary_id, dataset="d", field="f").apply("v")
    assert ha != hs and len(ha) == len(hs) == 64


def test_date_shift_moves_one_subjects_dates_together(keyset):
    m = privshare.Masker({"rule": "date_shift", "max_days": 30}, keyset=keyset, key_id=keyset.primary_id, dataset="d", field="admitted")
    dates = ["2024-01-10", "2024-03-05", "2024-01-10"]
    subjects = ["p1", "p1", "p2"]
    out = m.apply_column(dates, subjects)
    d = [datetime.date.fromisoformat(x) for x in dates]
    o = [datetime.date.fromisoformat(x) for x in out]
    assert o[1] - o[0] == d[1] - d[0]
    for orig, moved in zip(d, o):
        assert 1 <= abs((moved - orig).days) <= 30
    assert m.apply(dates[0], subject="p1") == out[0]
    with pytest.raises(privshare.InvalidArgument):
        m.apply(dates[0])  # no subject id


def test_keyed_rule_arguments():
    ks = privshare.Keyset.generate()
    with pytest.raises(privshare.InvalidArgument):
        privshare.Masker({"rule": "hash"})  # keyed rule without a keyset
    with pytest.raises(privshare.InvalidArgument):
        privshare.Masker({"rule": "hash"}, keyset=ks, key_id=ks.primary_id, dataset="d")  # no field
    with pytest.raises(privshare.InvalidArgument):
        privshare.Masker({"rule": "mobile"}, dataset="d", field="f")  # no keyset
    with pytest.raises(privshare.InvalidArgument):
        privshare.Masker({"rule": "hash"}, keyset=ks, dataset="d", field="f")  # no key version


def test_keyed_rules_follow_the_recorded_version():
    ks = privshare.Keyset.generate()
    recorded = ks.primary_id
    h = privshare.Masker({"rule": "hash"}, keyset=ks, key_id=recorded, dataset="d", field="f")
    before = h.apply("13812345678")
    assert h.key_id == recorded and privshare.Masker({"rule": "mobile"}).key_id is None
    ks.rotate()
    again = privshare.Masker({"rule": "hash"}, keyset=ks, key_id=recorded, dataset="d", field="f")
    newer = privshare.Masker({"rule": "hash"}, keyset=ks, key_id=ks.primary_id, dataset="d", field="f")
    assert again.apply("13812345678") == before != newer.apply("13812345678")
    # A keyset for an unkeyed rule is harmless: the field names error positions.
    m = privshare.Masker({"rule": "mobile"}, keyset=ks, key_id=ks.primary_id, dataset="d", field="f", strict=True)
    with pytest.raises(privshare.InvalidInput) as info:
        m.apply_column(["x"])
    assert (info.value.row, info.value.column) == (0, "f")


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rule",
    [
        {"rule": "no_such_rule"},
        {"rule": "mobile", "keep_lots": 3},
        {"rule": "redact", "mask_char": "a"},
        {"rule": "regex", "pattern": "("},
        {"rule": "bucket", "bounds": [3, 2]},
        {"rule": "address", "levels": 9},
        "{not json",
        "[]",
    ],
)
def test_bad_rules_are_invalid_argument(rule):
    with pytest.raises(privshare.InvalidArgument):
        privshare.Masker(rule)


def test_bad_values():
    m = privshare.Masker({"rule": "mobile"})
    with pytest.raises(privshare.InvalidArgument):
        privshare.Masker(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        m.apply(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        m.apply_column("13812345678")  # a single value, not a column
    with pytest.raises(privshare.NotUtf8):
        m.apply(b"\xff\xfe")
    assert m.apply_column([b"\xff\xfe"], return_invalid=True) == (["**"], [0])
    with pytest.raises(privshare.NotUtf8) as info:
        privshare.Masker({"rule": "mobile"}, strict=True, column="c").apply_column(["13812345678", b"\xff"])
    assert info.value.row == 1
    with pytest.raises(privshare.InvalidArgument):
        ks2 = privshare.Keyset.generate()
        privshare.Masker({"rule": "date_shift"}, keyset=ks2, key_id=ks2.primary_id, dataset="d",
                         field="f").apply_column(["2024-01-01"], ["a", "b"])  # subject count


# --- validators ----------------------------------------------------------------------------------


@pytest.mark.parametrize("pii_type", [k for k in VALIDATOR_CASES if k != "description"])
def test_shared_validator_vectors(pii_type):
    case = VALIDATOR_CASES[pii_type]
    assert pii_type in privshare.PII_TYPES
    for v in case["valid"]:
        assert privshare.validate(pii_type, v), v
    for v in case["invalid"]:
        assert not privshare.validate(pii_type, v), v
    values = case["valid"] + case["invalid"]
    assert privshare.validate_column(pii_type, values) == [True] * len(case["valid"]) + [False] * len(case["invalid"])


def test_validators_against_independent_checks():
    rng = random.Random(7)
    for _ in range(300):
        digits = f"{rng.randrange(10**17):017d}" + rng.choice("0123456789X")
        assert privshare.validate("resident_id", digits) == (resident_id_ok(digits) and _plausible_id(digits))
        card = "62" + f"{rng.randrange(10**14):014d}"
        assert privshare.validate("bank_card", card) == luhn_ok(card)


def _plausible_id(number: str) -> bool:
    """Province code and birth date, as GB 11643 requires (checked here without the core)."""
    provinces = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53,
                 54, 61, 62, 63, 64, 65, 71, 81, 82}
    if int(number[:2]) not in provinces:
        return False
    try:
        datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return True


def test_validate_column_pyarrow_and_bad_type():
    pa = pytest.importorskip("pyarrow")
    out = privshare.validate_column("mobile", pa.array(["13812345678", None, "x"]))
    assert isinstance(out, pa.Array) and out.to_pylist() == [True, False, False]
    with pytest.raises(privshare.InvalidArgument):
        privshare.validate_column("nope", ["x"])
    assert privshare.validate("mobile", b"13812345678") and not privshare.validate("mobile", b"\xff")


# --- scan ----------------------------------------------------------------------------------------


def _planted(n=60):
    rng = random.Random(11)
    return {
        "citizen_id": _resident_ids(n, rng),
        "phone": _mobiles(n, rng),
        "noise": [f"{rng.randrange(10**18):018d}" for _ in range(n)],  # ID-shaped, not IDs
        "city": [rng.choice(["north", "south", "east"]) for _ in range(n)],
    }


def _csv(cols):
    names = list(cols)
    rows = zip(*cols.values())
    return (",".join(names) + "\n" + "".join(",".join(r) + "\n" for r in rows)).encode()


def _detected(report):
    return {c["name"]: c["detected"] for c in report["columns"]}


EXPECTED = {"citizen_id": "resident_id", "phone": "mobile", "noise": None, "city": None}


def test_scan_bytes_and_path(tmp_path):
    data = _csv(_planted())
    report = privshare.scan(data)
    assert _detected(report) == EXPECTED
    assert report["rows_read"] == 60 and report["complete"] is True
    by_name = {c["name"]: c for c in report["columns"]}
    assert by_name["citizen_id"]["valid_share"] == 1.0
    assert by_name["citizen_id"]["suggested_rule"]["rule"] == "resident_id"
    noise = {c["pii_type"]: c for c in by_name["noise"]["candidates"]}
    assert noise["resident_id"]["shape_share"] == 1.0 and noise["resident_id"]["valid_share"] < 0.2
    path = tmp_path / "citizens.csv"
    path.write_bytes(data)
    assert privshare.scan(path) == report
    assert privshare.scan(str(path)) == report
    head = privshare.scan(path, sampling="head", sample_rows=20)
    assert head["rows_sampled"] == 20 and head["sampling"] == "head"
    assert privshare.scan(data, min_values=1000)["columns"][0]["detected"] is None


def test_scan_dataframe():
    pd = pytest.importorskip("pandas")
    cols = _planted()
    df = pd.DataFrame(cols)
    df["age"] = [20 + i % 50 for i in range(len(df))]  # not text: read as text
    df.loc[3, "phone"] = None  # missing: empty, not "None"
    report = privshare.scan(df)
    assert _detected(report) == {**EXPECTED, "age": None}
    phone = {c["name"]: c for c in report["columns"]}["phone"]
    assert phone["non_empty"] == 59


def test_scan_bad_input(tmp_path):
    with pytest.raises(privshare.InvalidArgument):
        privshare.scan(b"a,b\n1,2\n", no_such_option=1)
    with pytest.raises(privshare.InvalidArgument):
        privshare.scan(b"a,b\n1,2\n", sampling="sideways")
    with pytest.raises(privshare.IoError):
        privshare.scan(tmp_path / "missing.csv")
    with pytest.raises(TypeError):
        privshare.scan(12345)  # type: ignore[arg-type]


def test_hostile_values():
    m = privshare.Masker({"rule": "name"})
    with pytest.raises(privshare.NotUtf8):
        m.apply("\ud800")  # lone surrogate: no UTF-8 form
    with pytest.raises(TypeError) as info:
        m.apply_column(["张三", None])
    assert "row 1" in str(info.value)
    assert m.apply_column(v for v in ["张三", "李四"]) == ["张*", "李*"]  # any iterable
    long = "张" * 100_000
    out, invalid = m.apply_column([long], return_invalid=True)
    assert out == ["*" * 100_000] and invalid == [0]  # longer than a name: masked completely
    assert privshare.Masker({"rule": "redact"}).apply("👍🏽e\u0301") == "**"  # graphemes, not code points


def test_scan_says_why_a_column_was_not_detected():
    csv = b"id,phone,note\n" + b"11010519491231002X,13812345678,ok\n" * 5
    cols = {c["name"]: c for c in privshare.scan(csv)["columns"]}
    assert cols["id"]["detected"] is None
    assert cols["id"]["not_detected"] == {"reason": "too_few_values", "non_empty": 5, "needed": 10}
    many = b"phone\n" + b"13812345678\n" * 8 + b"n/a\n" * 4
    (col,) = privshare.scan(many)["columns"]
    assert col["not_detected"]["reason"] == "below_threshold" and col["not_detected"]["best"] == "mobile"
    ok = privshare.scan(b"phone\n" + b"13812345678\n" * 12)["columns"][0]
    assert ok["detected"] == "mobile" and ok["not_detected"] is None
