"""Sharing policies from Python: problems with their lines, files, bytes and DataFrames, and the
plan's outputs checked against the primitives they stand for."""

import pytest

import privshare

POLICY = """
policy = "clinic-to-registry"
version = 2
dataset = "visits"
purpose = "registry"
suite = "{suite}"
[columns]
visit = {{ action = "keep" }}
patient = {{ action = "encrypt", record = "visit" }}
mobile = {{ action = "mask", rule = "mobile" }}
card = {{ action = "fpe", kind = "bank_card", key_version = {key} }}
diagnosis = {{ action = "encrypt_deterministic" }}
"""

DATA = b"visit,patient,mobile,card,diagnosis\n1,Li Lei,13812345678,6222021234567890128,flu\n2,Han Meimei,13987654321,6222021234567890128,flu\n"


@pytest.fixture(params=["aes", "sm"])
def plan_and_keys(request):
    ks = privshare.Keyset.generate(request.param)
    return privshare.Plan(POLICY.format(suite=request.param, key=ks.primary_id), ks), ks


def test_protect_bytes_matches_the_primitives(plan_and_keys):
    plan, ks = plan_and_keys
    out, report = plan.protect_csv(DATA)
    rows = [line.split(",") for line in out.decode().splitlines()]
    assert rows[0] == ["visit", "patient", "mobile", "card", "diagnosis"]
    names = privshare.RandomizedCipher(ks, "visits", "patient")
    assert names.decrypt(rows[1][1], record="1", as_str=True) == "Li Lei"
    cards = privshare.BankCardCipher(ks, "visits", "card", key_id=ks.primary_id)
    assert cards.decrypt(rows[1][3]) == "6222021234567890128"
    assert rows[1][2] == "138****5678"
    assert rows[1][4] == rows[2][4]  # deterministic: equal values, equal ciphertexts
    assert report["rows"] == 2 and report["policy_version"] == 2
    assert dict(plan.key_versions)["card"] == ks.primary_id


def test_files_round_trip_through_reveal(plan_and_keys, tmp_path):
    plan, _ = plan_and_keys
    (tmp_path / "in.csv").write_bytes(DATA)
    report = plan.protect_csv_file(tmp_path / "in.csv", tmp_path / "out.csv")
    assert [c["action"] for c in report["columns"]] == ["keep", "encrypt", "mask", "fpe", "encrypt_deterministic"]
    plan.reveal_csv_file(tmp_path / "out.csv", tmp_path / "back.csv")
    assert (tmp_path / "back.csv").read_bytes() == DATA.replace(b"13812345678", b"138****5678").replace(
        b"13987654321", b"139****4321"
    )


def test_json_lines_round_trip_through_reveal(plan_and_keys, tmp_path):
    import json

    plan, _ = plan_and_keys
    rows = [
        {"visit": 1, "patient": "Li Lei", "mobile": "13812345678", "card": "6222021234567890128", "diagnosis": "flu"},
        {"visit": 2, "patient": "Han Meimei", "mobile": None, "card": "6222021234567890128"},
    ]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    report = plan.protect_jsonl_file(tmp_path / "in.jsonl", tmp_path / "out.jsonl")
    absent = {c["name"]: c.get("absent", 0) for c in report["columns"]}
    assert absent["mobile"] == 1 and absent["diagnosis"] == 1 and absent["patient"] == 0
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert out[0]["visit"] == 1 and out[0]["mobile"] == "138****5678"
    assert out[1]["mobile"] is None and "diagnosis" not in out[1]
    assert out[0]["patient"] != "Li Lei"
    plan.reveal_jsonl_file(tmp_path / "out.jsonl", tmp_path / "back.jsonl")
    back = [json.loads(line) for line in (tmp_path / "back.jsonl").read_text().splitlines()]
    assert back[0] == dict(rows[0], mobile="138****5678")
    assert back[1] == {k: v for k, v in rows[1].items()}


def test_a_column_alone_gets_what_a_file_gets(plan_and_keys):
    plan, _ = plan_and_keys
    out, _ = plan.protect_csv(DATA)
    rows = [line.split(",") for line in out.decode().splitlines()[1:]]
    assert plan.protect_column("mobile", ["13812345678"]) == [rows[0][2]]
    assert plan.protect_column("diagnosis", ["flu"]) == [rows[0][4]]
    names = plan.protect_column("patient", ["Li Lei"], records=["1"])
    assert plan.protect_column("patient", names, records=["1"], reveal=True) == ["Li Lei"]
    assert plan.protect_column("patient", [rows[0][1]], records=["1"], reveal=True) == ["Li Lei"]
    with pytest.raises(privshare.InvalidArgument):
        plan.protect_column("visit", ["1"])
    pa = pytest.importorskip("pyarrow")
    assert plan.protect_column("mobile", pa.array(["13812345678", None])).to_pylist() == [rows[0][2], None]


def test_a_dataframe(plan_and_keys):
    pd = pytest.importorskip("pandas")
    plan, _ = plan_and_keys
    frame = pd.DataFrame(
        {"visit": [1, 2], "patient": ["a", "b"], "mobile": ["13812345678", "13987654321"],
         "card": ["6222021234567890128"] * 2, "diagnosis": ["flu", "cold"]}
    )
    protected, report = plan.protect(frame)
    assert list(protected.columns) == list(frame.columns)
    assert list(protected["mobile"]) == ["138****5678", "139****4321"]
    assert protected["patient"].str.startswith("ps1:").all()


def test_problems_name_their_lines():
    problems = privshare.check_policy(POLICY.format(suite="des", key=0))
    messages = {p["line"]: p["message"] for p in problems}
    assert "unknown suite `des`" in messages[6]
    assert "key_version is a positive integer" in messages[11]
    with pytest.raises(privshare.Error) as e:
        privshare.Plan(POLICY.format(suite="des", key=0), privshare.Keyset.generate("aes"))
    assert e.value.code == 400 and "line 6" in str(e.value)


def test_data_errors_name_where(plan_and_keys):
    plan, _ = plan_and_keys
    with pytest.raises(privshare.Error) as e:
        plan.protect_csv(DATA + b"3,Wang,139,1234,flu\n")
    assert "Wang" not in str(e.value) and "1234" not in str(e.value)
    with pytest.raises(privshare.Error) as e:
        plan.protect_csv(DATA.replace(b"diagnosis", b"notes", 1))
    assert "`notes` (column 5) is not in the policy" in str(e.value)
