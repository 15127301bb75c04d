"""privshare.anonymize: DataFrame and CSV bytes in and out, outputs re-checked by an independent
recount of equivalence classes (and, on Adult, by the pycanon package), infeasible requests and
bad input."""

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


def test_adult_checked_by_pycanon():
    if not (ADULT / "adult.csv").exists():
        pytest.skip("../shared/data/adult/adult.csv not found (set PRIVSHARE_ADULT_DIR): Adult check skipped")
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
