"""privshare.anonymize: DataFrame and CSV bytes in and out, outputs re-checked by an independent
recount of equivalence classes (and, on Adult, by the pycanon package), infeasible requests and
bad input; DataFrames go in as columns and come out with the dtypes of the columns left unchanged."""

import collections
import io
import os
import pathlib
import re

import pytest

import privshare
from conftest import REPO



def _adult_dir():
    # As the Rust tests: $PRIVSHARE_ADULT_DIR, else ../shared/data/adult from the repository root,
    # or one level further up from a worktree.
    candidates = [pathlib.Path(os.environ["PRIVSHARE_ADULT_DIR"])] if os.environ.get("PRIVSHARE_ADULT_DIR") else []
    candidates += [REPO.parent / "shared" / "data" / "adult", REPO.parent.parent / "shared" / "data" / "adult"]
    return next((d for d in candidates if (d / "adult.csv").exists()), candidates[-1])


ADULT = _adult_dir()

PEOPLE = {
    "name": ["Ann", "Bob", "Cid", "Dee", "Eve", "Fay", "Gus", "Hal"],
    "age": [23, 27, 31, 36, 38, 44, 47, 49],
    "sex": ["F", "M", "F", "M", "M", "F", "F", "M"],
    "zip": ["100081", "100085", "100871", "100872", "200030", "200031", "200032", "200433"],
    "disease": ["flu", "cold", "flu", "gastritis", "cold", "flu", "cancer", "flu"],
}

CONFIG = {
    "attributes": [
        {"name": "name", "role": "identifying"},
        {"name": "age", "role": "quasi_identifying", "hierarchy": {"type": "intervals", "origin": 0, "widths": [10, 20]}},
        {"name": "sex", "role": "quasi_identifying"},
        {"name": "zip", "role": "quasi_identifying", "hierarchy": {"type": "redaction", "keep": [4, 2]}},
        {"name": "disease", "role": "sensitive"},
    ],
    "models": [{"model": "k_anonymity", "k": 2}],
    "drop_identifying": True,
}
QIS = ["age", "sex", "zip"]


def _classes(rows, qis):
    """Class sizes from the output's text, suppressed records (every QI '*') left out."""
    keys = [tuple(r[q] for q in qis) for r in rows]
    return collections.Counter(k for k in keys if any(v != "*" for v in k))


def _covers(label: str, age: int) -> bool:
    if label == "*":
        return True
    m = re.fullmatch(r"\[(\d+), (\d+)\)", label)
    assert m, label
    return int(m.group(1)) <= age < int(m.group(2))


def _check_generalizes(out_rows, original):
    for o, age, z in zip(out_rows, original["age"], original["zip"]):
        assert _covers(o["age"], age)
        kept = o["zip"].rstrip("*")
        assert o["zip"] == "*" or (len(o["zip"]) == 6 and z.startswith(kept))


def test_dataframe_k2_recounted():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(PEOPLE)
    out, report = privshare.anonymize(df, CONFIG)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == ["age", "sex", "zip", "disease"]  # the identifying column is gone
    assert len(out) == len(df)
    assert list(out["disease"]) == PEOPLE["disease"]  # sensitive values are kept, in order
    rows = out.to_dict("records")
    sizes = _classes(rows, QIS)
    suppressed = sum(1 for r in rows if all(r[q] == "*" for q in QIS))
    assert min(sizes.values()) >= 2
    assert report["quality"]["suppressed"] == suppressed == 0  # the default limit is 0
    assert report["quality"]["min_class_size"] == min(sizes.values())
    assert report["quality"]["classes"] == len(sizes)
    assert all(m["holds"] for m in report["models"])
    _check_generalizes(rows, PEOPLE)
    # The input frame is untouched.
    assert list(df["age"]) == PEOPLE["age"] and "name" in df.columns


def test_dataframe_quoting_index_and_text_survive():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"age": [31, 32, 33, 38], "city": ["New York, NY", 'a"b', "line\nbreak", "北京"],
                       "sex": ["F", "F", "M", "M"]}, index=[10, 11, 12, 13])
    config = {
        "attributes": [
            {"name": "age", "role": "quasi_identifying", "hierarchy": {"type": "intervals", "origin": 0, "widths": [5, 10]}},
            {"name": "sex", "role": "quasi_identifying"},
        ],
        "models": [{"model": "k_anonymity", "k": 2}],
    }
    for sep in (",", ";"):
        out, _ = privshare.anonymize(df, config, delimiter=sep)
        assert list(out.index) == [10, 11, 12, 13]
        assert list(out["city"]) == list(df["city"])  # insensitive column: unchanged, quotes and all
        assert set(out["age"]) == {"[30, 40)"}
    with pytest.raises(privshare.InvalidInput):
        privshare.anonymize(df.iloc[:0], config)  # no rows


def test_bytes_in_bytes_out_and_mondrian():
    csv = _csv_bytes(PEOPLE, ";")
    out, report = privshare.anonymize(csv, {**CONFIG, "method": "mondrian"}, delimiter=";")
    assert isinstance(out, bytes)
    lines = out.decode().splitlines()
    header = lines[0].split(";")
    rows = [dict(zip(header, line.split(";"))) for line in lines[1:]]
    assert header == ["age", "sex", "zip", "disease"] and len(rows) == 8
    sizes = _classes(rows, QIS)
    assert min(sizes.values()) >= 2 and report["quality"]["suppressed"] == 0
    assert report["quality"]["min_class_size"] == min(sizes.values())


def test_a_file_in_two_passes_equals_the_bytes_call(tmp_path):
    csv = _csv_bytes(PEOPLE, ";")
    (tmp_path / "in.csv").write_bytes(csv)
    out, report = privshare.anonymize(csv, CONFIG, delimiter=";")
    file_report = privshare.anonymize_csv_file(tmp_path / "in.csv", str(tmp_path / "out.csv"), CONFIG, delimiter=";")
    assert (tmp_path / "out.csv").read_bytes() == out
    report.pop("search_ms"), file_report.pop("search_ms")
    assert file_report == report
    with pytest.raises(privshare.InvalidArgument):  # Mondrian needs the rows
        privshare.anonymize_csv_file(tmp_path / "in.csv", tmp_path / "m.csv", {**CONFIG, "method": "mondrian"})
    with pytest.raises(privshare.InvalidArgument):  # never over the input
        privshare.anonymize_csv_file(tmp_path / "in.csv", tmp_path / "in.csv", CONFIG, delimiter=";")
    with pytest.raises(privshare.AnonymizationInfeasible):
        privshare.anonymize_csv_file(tmp_path / "in.csv", tmp_path / "x.csv", _distinct_ages_config(0), delimiter=";")
    with pytest.raises(privshare.IoError):
        privshare.anonymize_csv_file(tmp_path / "missing.csv", tmp_path / "x.csv", CONFIG)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]


def test_json_text_config_and_l_diversity():
    import json

    config = {**CONFIG, "models": [{"model": "k_anonymity", "k": 2}, {"model": "distinct_l", "attribute": "disease",
                                                                       "l": 2}]}
    out, report = privshare.anonymize(_csv_bytes(PEOPLE, ","), json.dumps(config))
    import csv as csvmod

    rows = list(csvmod.DictReader(io.StringIO(out.decode())))
    groups = collections.defaultdict(set)
    for r in rows:
        if any(r[q] != "*" for q in QIS):
            groups[tuple(r[q] for q in QIS)].add(r["disease"])
    assert groups and all(len(d) >= 2 for d in groups.values())


def _csv_bytes(cols, sep):
    names = list(cols)
    return (sep.join(names) + "\n" + "".join(sep.join(str(v) for v in r) + "\n" for r in zip(*cols.values()))).encode()


def test_infeasible_raises_anonymization_infeasible():
    pd = pytest.importorskip("pandas")
    config = {
        "attributes": [
            {"name": "age", "role": "quasi_identifying", "hierarchy": {"type": "rows", "rows": [[str(a), str(a)] for a in PEOPLE["age"]]}},
            {"name": "disease", "role": "sensitive"},
        ],
        "models": [{"model": "k_anonymity", "k": 2}],
    }
    df = pd.DataFrame({"age": PEOPLE["age"], "disease": PEOPLE["disease"]})
    with pytest.raises(privshare.AnonymizationInfeasible) as info:
        privshare.anonymize(df, config)
    assert info.value.code == 600 and isinstance(info.value, privshare.Error)


def _distinct_ages_config(limit):
    # Ages kept as they are (a one-level hierarchy): every record is its own class, so k=2 holds
    # only when every record is suppressed.
    return {
        "attributes": [
            {"name": "age", "role": "quasi_identifying", "hierarchy": {"type": "rows", "rows": [[str(a), str(a)] for a in PEOPLE["age"]]}},
            {"name": "disease", "role": "sensitive"},
        ],
        "models": [{"model": "k_anonymity", "k": 2}],
        "suppression_limit": limit,
    }


def test_infeasible_carries_the_best_possible_report():
    import json

    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"age": PEOPLE["age"], "disease": PEOPLE["disease"]})
    with pytest.raises(privshare.AnonymizationInfeasible) as info:
        privshare.anonymize(df, _distinct_ages_config(0.25))
    e = info.value
    assert e.code == 600 and isinstance(e.details, str)
    report = e.report
    assert isinstance(report, dict) and report == json.loads(e.details)
    # The best possible suppresses all 8 records, more than the 2 the limit allows, and k=2 fails.
    assert report["records"] == 8 and report["suppression_limit"] == 0.25
    assert report["quality"]["suppressed"] == 8 > report["suppression_limit"] * report["records"]
    assert [m["holds"] for m in report["models"]] == [False] and "2-anonymity" in report["models"][0]["model"]
    assert [a["attribute"] for a in report["quality"]["attributes"]] == ["age"]
    assert report["quality"]["attributes"][0]["level"] in (0, 1)
    assert "suppresses 8 records" in e.message
    # The same shape as the report of a success.
    _, ok = privshare.anonymize(df, {**_distinct_ages_config(1.0)})
    assert set(report) == set(ok) and set(report["quality"]) == set(ok["quality"])
    assert ok["models"][0]["holds"] is True
    # No data values in the details.
    for value in ["flu", "gastritis", "cancer", "23", "49"]:
        assert f'"{value}"' not in e.details
    # The same from CSV bytes (but for the search's wall time).
    with pytest.raises(privshare.AnonymizationInfeasible) as from_csv:
        privshare.anonymize(_csv_bytes({"age": PEOPLE["age"], "disease": PEOPLE["disease"]}, ","),
                            _distinct_ages_config(0.25))
    assert from_csv.value.report is not None
    assert {**from_csv.value.report, "search_ms": 0} == {**report, "search_ms": 0}


def test_infeasible_mondrian_has_no_report():
    # Mondrian fails before any recoding when the whole table breaks the model: nothing to report.
    config = {
        "attributes": [
            {"name": "age", "role": "quasi_identifying", "hierarchy": {"type": "intervals", "origin": 0, "widths": [10, 20]}},
            {"name": "disease", "role": "sensitive"},
        ],
        # Four diseases, but flu is half the records: entropy ln 4 is out of reach even for one class.
        "models": [{"model": "entropy_l", "attribute": "disease", "l": 4}],
        "method": "mondrian",
    }
    with pytest.raises(privshare.AnonymizationInfeasible) as info:
        privshare.anonymize(_csv_bytes({"age": PEOPLE["age"], "disease": PEOPLE["disease"]}, ","), config)
    assert info.value.details is None and info.value.report is None


def test_ordinary_anonymize_error_has_no_details():
    with pytest.raises(privshare.InvalidArgument) as info:
        privshare.anonymize(_csv_bytes(PEOPLE, ","), "{not json")
    assert info.value.details is None


def test_bad_input():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(PEOPLE)
    with pytest.raises(privshare.InvalidArgument):
        privshare.anonymize(df, {**CONFIG, "no_such_field": 1})
    with pytest.raises(privshare.InvalidArgument):
        privshare.anonymize(df, {**CONFIG, "drop_identifying": False})  # identifying column left in
    with pytest.raises(privshare.InvalidArgument):
        privshare.anonymize(df, {**CONFIG, "models": [{"model": "k_anonymity", "k": 9}]})  # k > rows
    with pytest.raises(privshare.InvalidArgument):
        privshare.anonymize(df, "{not json")
    with pytest.raises(privshare.InvalidArgument):
        privshare.anonymize(_csv_bytes(PEOPLE, ","), CONFIG, delimiter=";;")
    with pytest.raises(TypeError):
        privshare.anonymize([[1, 2]], CONFIG)  # type: ignore[arg-type]
    # A value missing from its hierarchy: the error names the row and column, never the value.
    rows = [["F", "*"], ["M", "*"]]
    config = {**CONFIG, "attributes": [a if a["name"] != "sex" else {**a, "hierarchy": {"type": "rows", "rows": rows}}
                                       for a in CONFIG["attributes"]]}
    odd = df.copy()
    odd.loc[5, "sex"] = "Xyzzy"
    with pytest.raises(privshare.Error) as info:
        privshare.anonymize(odd, config)
    e = info.value
    assert e.column == "sex" and e.row is not None and "Xyzzy" not in str(e)


AGE_DECADES = {"name": "age", "role": "quasi_identifying", "hierarchy": {"type": "intervals", "origin": 0, "widths": [10]}}


def _timeless(report):
    return {k: v for k, v in report.items() if k != "search_ms"}


def test_dataframe_keeps_dtypes_of_unchanged_columns():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({
        "age": [31, 32, 43, 48],
        "income": [5000, 6200, 7100, 8800],
        "score": [0.5, float("nan"), 2.25, 1.0],
        "visited": [True, False, True, True],
        "disease": ["flu", "cold", "flu", "cold"],
    })
    config = {"attributes": [AGE_DECADES, {"name": "disease", "role": "sensitive"}],
              "models": [{"model": "k_anonymity", "k": 2}]}
    out, report = privshare.anonymize(df, config)
    assert report["quality"]["attributes"][0]["level"] == 1 and report["quality"]["suppressed"] == 0
    assert list(out.columns) == list(df.columns)
    assert out["age"].dtype == object and list(out["age"]) == ["[30, 40)", "[30, 40)", "[40, 50)", "[40, 50)"]
    assert all(isinstance(v, str) for v in out["age"])
    for col in ("income", "score", "visited", "disease"):  # untouched: the caller's dtype and values
        assert out[col].dtype == df[col].dtype, col
        pd.testing.assert_series_equal(out[col], df[col])
    assert out["score"].isna().tolist() == [False, True, False, False]  # missing stays missing
    out.loc[0, "income"] = -1
    assert df.loc[0, "income"] == 5000  # a copy, not the caller's column


def test_quasi_identifier_at_level_zero_keeps_its_dtype():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"age": [30, 30, 40, 40, 40], "ward": [1, 2, 1, 2, 3]}, index=list("abcde"))
    config = {"attributes": [AGE_DECADES], "models": [{"model": "k_anonymity", "k": 2}]}
    out, report = privshare.anonymize(df, config)
    assert report["quality"]["attributes"][0]["level"] == 0 and report["quality"]["suppressed"] == 0
    assert out["age"].dtype == "int64" and out["ward"].dtype == "int64"
    pd.testing.assert_frame_equal(out, df)


def test_suppressed_values_are_text_never_nan():
    pd = pytest.importorskip("pandas")
    # 99 is alone at every level but "*": with one record of suppression allowed, the optimum keeps
    # the ages and suppresses that record.
    df = pd.DataFrame({"age": [30, 30, 40, 40, 99], "ward": [1, 2, 1, 2, 3]})
    config = {"attributes": [AGE_DECADES], "models": [{"model": "k_anonymity", "k": 2}], "suppression_limit": 0.2}
    out, report = privshare.anonymize(df, config)
    assert report["quality"]["suppressed"] == 1
    assert list(out["age"]) == ["30", "30", "40", "40", "*"]  # the int column became text, "*" included
    assert out["age"].dtype == object and not out["age"].isna().any()
    assert out["ward"].dtype == "int64" and list(out["ward"]) == [1, 2, 1, 2, 3]
    # The CSV path says the same.
    csv_out, csv_report = privshare.anonymize(df.to_csv(index=False).encode(), config)
    assert csv_out.decode().splitlines()[1:] == [f"{a},{w}" for a, w in zip(out["age"], out["ward"])]
    assert _timeless(csv_report) == _timeless(report)


def test_non_string_column_labels():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({0: ["Ann", "Bob", "Cid", "Dee"], 1: [31, 32, 43, 48], 2: [7, 7, 8, 8]})
    df.columns.name = "field"
    config = {"attributes": [{"name": "0", "role": "identifying"}, {**AGE_DECADES, "name": "1"}],
              "models": [{"model": "k_anonymity", "k": 2}], "drop_identifying": True}
    out, _ = privshare.anonymize(df, config)
    assert list(out.columns) == [1, 2] and out.columns.name == "field"  # the caller's labels, 0 dropped
    assert list(out[1]) == ["[30, 40)", "[30, 40)", "[40, 50)", "[40, 50)"]
    assert out[2].dtype == "int64" and list(out[2]) == [7, 7, 8, 8]
    clash = pd.DataFrame([[31, 1], [32, 2]], columns=[1, "1"])  # two labels, one name
    with pytest.raises(privshare.InvalidInput) as info:
        privshare.anonymize(clash, {"attributes": [{**AGE_DECADES, "name": "1"}]})
    assert info.value.column == "1"


def test_dataframe_report_and_values_match_the_csv_path():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(PEOPLE)
    for method in ("optimal", "mondrian"):
        config = {**CONFIG, "method": method, "suppression_limit": 0.25}
        out, report = privshare.anonymize(df, config)
        csv_out, csv_report = privshare.anonymize(df.to_csv(index=False).encode(), config)
        assert _timeless(report) == _timeless(csv_report), method
        text = pd.read_csv(io.BytesIO(csv_out), dtype=str, keep_default_na=False)
        assert out.astype(str).reset_index(drop=True).equals(text), method


def test_native_columns_entry_point_errors():
    from privshare import _native

    config = '{"attributes": [{"name": "a", "role": "quasi_identifying"}], "models": [{"model": "k_anonymity", "k": 1}]}'
    names, columns, report = _native._anonymize_columns(["a", "b"], [["1", "2"], [b"x", b"y"]], config)
    assert names == ["a", "b"] and columns == [["1", "2"], ["x", "y"]] and '"suppressed"' in report
    with pytest.raises(privshare.NotUtf8) as info:
        _native._anonymize_columns(["a", "b"], [["1", "2"], [b"x", b"\xff"]], config)
    assert (info.value.row, info.value.column) == (1, "b")
    with pytest.raises(privshare.InvalidInput) as info:
        _native._anonymize_columns(["a", "b"], [["1", "2"], ["x"]], config)
    assert info.value.column == "b" and "1 values, the first column 2" in str(info.value)
    with pytest.raises(privshare.InvalidArgument):
        _native._anonymize_columns(["a"], [["1"], ["2"]], config)
    with pytest.raises(privshare.InvalidArgument):
        _native._anonymize_columns(["a"], [["1"]], "{")
    with pytest.raises(TypeError):
        _native._anonymize_columns(["a"], ["12"], config)  # a column must be a list of values


def test_adult_checked_by_pycanon():
    if not (ADULT / "adult.csv").exists():
        pytest.skip("../shared/data/adult/adult.csv not found (set PRIVSHARE_ADULT_DIR)")
    pd = pytest.importorskip("pandas")
    pycanon = pytest.importorskip("pycanon", reason="pycanon not installed")
    from pycanon import anonymity

    qis = ["sex", "age", "race", "marital-status", "education", "native-country", "workclass", "occupation"]
    attributes = [
        {"name": q, "role": "quasi_identifying",
         "hierarchy": {"type": "csv", "text": (ADULT / f"adult_hierarchy_{q}.csv").read_text(), "delimiter": ";"}}
        for q in qis
    ]
    attributes.append({"name": "salary-class", "role": "sensitive"})
    config = {
        "attributes": attributes,
        "models": [{"model": "k_anonymity", "k": 5}, {"model": "distinct_l", "attribute": "salary-class", "l": 2}],
        "suppression_limit": 0.04,
        "metric": {"metric": "loss", "aggregate": "geometric"},
    }
    df = pd.read_csv(ADULT / "adult.csv", sep=";", dtype=str, keep_default_na=False)
    out, report = privshare.anonymize(df, config, delimiter=";")
    assert len(out) == len(df)
    released = out[~(out[qis] == "*").all(axis=1)].reset_index(drop=True)
    assert len(df) - len(released) == report["quality"]["suppressed"] <= 0.04 * len(df)
    k = anonymity.k_anonymity(released, qis)
    l_div = anonymity.l_diversity(released, qis, ["salary-class"])
    assert k >= 5 and l_div >= 2
    assert k == report["quality"]["min_class_size"]
    sizes = released.groupby(qis).size()
    assert int(sizes.min()) == k and len(sizes) == report["quality"]["classes"]
