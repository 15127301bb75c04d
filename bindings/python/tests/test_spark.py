"""privshare.spark on a local Spark (local[2,2]: two threads, a failed task tried again; one session
for the module): protection round-trips through plain Python and gives the same output when a task
is retried, no key travels in a task, anonymization equals privshare.anonymize in memory (Adult and
synthetic citizens), counts merged in any order give the same optimum."""

import base64
import json
import os
import pathlib
import random
import shutil
import sys

import pytest

import privshare
from conftest import REPO
from privshare import _native

pyspark = pytest.importorskip("pyspark")
pd = pytest.importorskip("pandas")
import privshare.spark as ps  # noqa: E402  (needs pyspark only when called)
from test_anon import ADULT  # noqa: E402

KEK = os.urandom(32)
KEK_ENV = "PRIVSHARE_KEK"  # the name docs/spark.md uses


@pytest.fixture(scope="module")
def spark():
    if not os.environ.get("JAVA_HOME") and not shutil.which("java"):
        for candidate in ("/usr/lib/jvm/default-java", "/usr/lib/jvm/java-17-openjdk-amd64"):
            if pathlib.Path(candidate, "bin", "java").exists():
                os.environ["JAVA_HOME"] = candidate
    # The workers run this interpreter (with privshare installed) and inherit the KEK's variable,
    # as an executor would get it from spark.executorEnv or the cluster's secrets.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ[KEK_ENV] = base64.b64encode(KEK).decode()
    from pyspark.sql import SparkSession

    session = (
        # Two threads; a failed task is tried again once (local[N, maxFailures]).
        SparkSession.builder.master("local[2,2]")
        .appName("privshare-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "100")  # several batches per task
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def keyset():
    return privshare.Keyset.generate("aes")


def _keys(keyset):
    return ps.Keys(keyset.to_json(kek=KEK), kek_env=KEK_ENV)


def _citizens(n, seed=7):
    """Synthetic citizens: name, phone, card number, resident-like code, age, sex, zip, disease."""
    g = random.Random(seed)
    rows = []
    for i in range(n):
        age = 20 + g.randrange(8) * g.randrange(9) + g.randrange(3)
        rows.append({
            "name": f"citizen {i}",
            "phone": "138" + f"{g.randrange(10**8):08d}",
            "card": f"{g.randrange(10**12):012d}",
            "email": f"user{i}@example.org",
            "age": str(age),
            "sex": g.choice("FFM"),
            "zip": str(75000 + 10 * g.randrange(4) + g.randrange(1 + g.randrange(10))),
            "disease": g.choice(["flu", "cold", "asthma", "diabetes", "gastritis"]),
        })
    return pd.DataFrame(rows)


PLAN = {
    "name": ps.encrypt("census", "name"),
    "email": ps.encrypt_deterministic("census", "email"),
    "card": ps.fpe("ff1", "census", "card"),
    "phone": ps.fpe("mobile", "census", "phone"),
    "zip": ps.token("linkage"),
    "disease": ps.mask({"rule": "keep_ends", "first": 1}),
}


def _protect(spark, keyset, frame, partitions=3):
    df = spark.createDataFrame(frame).repartition(partitions)
    return ps.protect(df, PLAN, _keys(keyset)).toPandas()


def test_protect_round_trips_and_is_deterministic(spark, keyset):
    frame = _citizens(400)
    out = _protect(spark, keyset, frame)
    again = _protect(spark, keyset, frame, partitions=2)
    assert list(out.columns) == list(frame.columns) and len(out) == len(frame)
    # Rows come back in any order: the untouched age column and the deterministic email find them.
    ks = privshare.Keyset.from_json(keyset.to_json(kek=KEK), kek=KEK)
    det = privshare.DeterministicCipher(ks, "census", "email")
    emails = det.decrypt_column(list(out["email"]), as_str=True)
    out = out.assign(plain_email=emails).set_index("plain_email").loc[list(frame["email"])].reset_index(drop=True)
    assert list(det.decrypt_column(list(out["email"]), as_str=True)) == list(frame["email"])
    rnd = privshare.RandomizedCipher(ks, "census", "name")
    assert rnd.decrypt_column(list(out["name"]), as_str=True) == list(frame["name"])
    assert out["name"].tolist() != frame["name"].tolist()
    pk = ks.primary_id
    assert privshare.Ff1Cipher(ks, "census", "card", key_id=pk).decrypt_column(list(out["card"])) == list(frame["card"])
    assert privshare.MobileCipher(ks, "census", "phone", key_id=pk).decrypt_column(list(out["phone"])) == list(frame["phone"])
    assert list(out["zip"]) == privshare.Tokenizer(ks, "linkage").token_column(list(frame["zip"]))
    masker = privshare.Masker({"rule": "keep_ends", "first": 1})
    assert list(out["disease"]) == masker.apply_column(list(frame["disease"]))
    assert list(out["age"]) == list(frame["age"])
    # The same job again (other partitions, as a retried task would run): deterministic schemes
    # give the same values; randomized ciphertexts differ and still decrypt.
    again = again.set_index(again["email"]).loc[list(out["email"])].reset_index(drop=True)
    for c in ["email", "card", "phone", "zip", "disease", "age"]:
        assert list(again[c]) == list(out[c]), c
    assert all(a != b for a, b in zip(again["name"], out["name"]))
    assert rnd.decrypt_column(list(again["name"]), as_str=True) == list(frame["name"])


class _FailFirstAttempt:
    """Passes batches through, but the first attempt of partition 0 dies midway (an executor lost),
    leaving a marker file so that the test knows the failure happened."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __call__(self, batches):
        from pyspark import TaskContext

        ctx = TaskContext.get()
        for i, batch in enumerate(batches):
            if ctx.partitionId() == 0 and ctx.attemptNumber() == 0 and i == 1:
                pathlib.Path(self.marker).write_text("failed once")
                raise RuntimeError("simulated executor failure")
            yield batch


def test_a_retried_task_gives_the_same_output(spark, keyset, tmp_path):
    frame = _citizens(600)
    df = spark.createDataFrame(frame).repartition(2)
    clean = ps.protect(df, PLAN, _keys(keyset)).toPandas()
    protected = ps.protect(df, PLAN, _keys(keyset))
    marker = tmp_path / "failed"
    retried = protected.mapInArrow(_FailFirstAttempt(marker), protected.schema).toPandas()
    assert marker.exists()  # the first attempt did fail; Spark ran the task again
    assert len(retried) == len(clean) == 600
    clean = clean.sort_values(["email"]).reset_index(drop=True)  # deterministic: one per citizen
    retried = retried.sort_values(["email"]).reset_index(drop=True)
    for c in ["email", "card", "phone", "zip", "disease", "age"]:
        assert list(retried[c]) == list(clean[c]), c
    ks = privshare.Keyset.from_json(keyset.to_json(kek=KEK), kek=KEK)
    rnd = privshare.RandomizedCipher(ks, "census", "name")
    assert rnd.decrypt_column(list(retried["name"]), as_str=True) == rnd.decrypt_column(list(clean["name"]), as_str=True)
    assert all(a != b for a, b in zip(retried["name"], clean["name"]))


def test_nulls_stay_null_and_bad_values_are_named(spark, keyset):
    frame = pd.DataFrame({"phone": ["13812345678", None, "13912345678"], "n": [1, 2, 3]})
    df = spark.createDataFrame(frame).coalesce(1)
    out = ps.protect(df, {"phone": ps.mask({"rule": "mobile"})}).toPandas()
    assert out["phone"].tolist() == ["138****5678", None, "139****5678"] and out["n"].tolist() == [1, 2, 3]
    bad = spark.createDataFrame(pd.DataFrame({"card": ["12345678", "12ab5678"]})).coalesce(1)
    with pytest.raises(Exception) as e:
        ps.protect(bad, {"card": ps.fpe("ff1", "census", "card")}, _keys(keyset)).collect()
    assert "column 'card', row 1 of partition 0" in str(e.value) and "12ab5678" not in str(e.value)
    nulls = ps.protect(bad, {"card": ps.fpe("ff1", "census", "card", on_invalid="null")}, _keys(keyset)).collect()
    assert nulls[1]["card"] is None and len(nulls[0]["card"]) == 8


def test_no_key_travels_in_the_task(spark, keyset, monkeypatch):
    from pyspark import cloudpickle
    from pyspark.sql import DataFrame

    shipped = []
    original = DataFrame.mapInArrow

    def capture(self, func, schema, *args, **kwargs):
        shipped.append(func)
        return original(self, func, schema, *args, **kwargs)

    monkeypatch.setattr(DataFrame, "mapInArrow", capture)
    keys = _keys(keyset)
    df = spark.createDataFrame(_citizens(20))
    assert ps.protect(df, PLAN, keys).count() == 20
    assert ps.protect(df, POLICY.format(pk=keyset.primary_id), keys).count() == 20
    assert len(shipped) == 2  # by actions, and by a policy
    plaintext = keyset.to_insecure_plaintext_json()
    root_keys = [v["root_key_hex"] for v in json.loads(plaintext)["versions"]]
    for func in shipped:
        blob = cloudpickle.dumps(func)  # what Spark ships to each task
        for secret in [KEK, base64.b64encode(KEK), KEK.hex().encode(), plaintext.encode()]:
            assert secret not in blob
        for root in root_keys:
            assert root.encode() not in blob and bytes.fromhex(root) not in blob
        # The test can see what is there: the wrapped keyset and the variable's name.
        assert json.loads(keys.keyset_json)["versions"][0]["wrapped_key"].encode() in blob
        assert KEK_ENV.encode() in blob
    # A plaintext keyset cannot even be handed over.
    with pytest.raises(privshare.InvalidArgument):
        ps.Keys(plaintext, kek_env=KEK_ENV)


def test_keys_are_required_and_read_on_the_executor(spark, keyset, monkeypatch):
    df = spark.createDataFrame(_citizens(5))
    with pytest.raises(privshare.InvalidArgument, match="need keys"):
        ps.protect(df, {"name": ps.encrypt("census", "name")})
    with pytest.raises(privshare.InvalidArgument, match="not in the DataFrame"):
        ps.protect(df, {"nope": ps.encrypt("census", "name")}, _keys(keyset))
    missing = ps.Keys(keyset.to_json(kek=KEK), kek_env="PRIVSHARE_TEST_UNSET_VARIABLE")
    with pytest.raises(Exception, match="PRIVSHARE_TEST_UNSET_VARIABLE is not set"):
        ps.protect(df, {"name": ps.encrypt("census", "name")}, missing).collect()
    # A passphrase (cheap Argon2id parameters for the test) works the same way.
    monkeypatch.setenv("PRIVSHARE_TEST_PASSPHRASE", "correct horse")
    stored = keyset.to_json(passphrase="correct horse", argon2=(8192, 1, 1))
    keys = ps.Keys(stored, passphrase_env="PRIVSHARE_TEST_PASSPHRASE", argon2_caps=(8192, 1, 1))
    assert privshare.Keyset.from_json(stored, passphrase="correct horse", argon2_caps=(8192, 1, 1)).primary_id == keyset.primary_id
    assert keys.load().primary_id == keyset.primary_id


POLICY = """
policy = "census-share"
version = 1
dataset = "census"
purpose = "statistics"
suite = "aes"
[columns]
email = {{ action = "keep" }}
name = {{ action = "encrypt", record = "email" }}
card = {{ action = "fpe", kind = "ff1", alphabet = "digits", key_version = {pk} }}
phone = {{ action = "fpe", kind = "mobile", key_version = {pk} }}
zip = {{ action = "token", purpose = "linkage" }}
disease = {{ action = "mask", rule = "keep_ends", first = 1 }}
age = {{ action = "encrypt_deterministic" }}
sex = {{ action = "drop" }}
"""


def test_protect_under_a_policy_equals_the_single_process_plan(spark, keyset):
    frame = _citizens(300)
    policy = POLICY.format(pk=keyset.primary_id)
    df = spark.createDataFrame(frame).repartition(3)
    out = ps.protect(df, policy, _keys(keyset)).toPandas()
    assert list(out.columns) == ["name", "phone", "card", "email", "age", "zip", "disease"]
    # The same policy in one process, on the same rows (found again by the kept email).
    ks = privshare.Keyset.from_json(keyset.to_json(kek=KEK), kek=KEK)
    plan = privshare.Plan(policy, ks)
    expected, _ = plan.protect(frame)
    out = out.set_index("email").loc[list(frame["email"])].reset_index()
    for c in ["phone", "card", "age", "zip", "disease"]:
        assert list(out[c]) == list(expected[c]), c
    # Randomized names differ, decrypt, and only beside their own record (the email).
    names = privshare.RandomizedCipher(ks, "census", "name")
    assert names.decrypt_column(list(out["name"]), records=list(frame["email"]), as_str=True) == list(frame["name"])
    assert list(out["name"]) != list(expected["name"])

    # Checked on the driver: a column the policy does not name, a generalized one, no keys.
    with pytest.raises(privshare.PolicyError, match="`sex` is not in the policy"):
        ps.protect(df, policy.replace('sex = { action = "drop" }', ""), _keys(keyset))
    generalizing = policy.replace('sex = { action = "drop" }', 'sex = { action = "generalize" }')
    generalizing += '[anonymization]\nmodels = [{ model = "k_anonymity", k = 2 }]\n'
    with pytest.raises(privshare.PolicyError, match="generalized"):
        ps.protect(df, generalizing, _keys(keyset))
    with pytest.raises(privshare.InvalidArgument, match="needs keys"):
        ps.protect(df, policy)


def _untimed(report):
    report = json.loads(json.dumps(report))
    report.pop("search_ms", None)
    return report


def _sorted_rows(frame):
    frame = frame.astype(str)
    return sorted(map(tuple, frame.itertuples(index=False)))


def _assert_same_as_in_memory(spark, frame, spec, partitions=3):
    mem_out, mem_report = privshare.anonymize(frame, spec)
    df = spark.createDataFrame(frame).repartition(partitions)
    out, report = ps.anonymize(df, spec)
    out = out.toPandas()
    assert _untimed(report) == _untimed(mem_report)
    assert list(out.columns) == list(mem_out.columns)
    assert _sorted_rows(out) == _sorted_rows(mem_out)
    return out, report


CITIZEN_SPEC = {
    "attributes": [
        {"name": "name", "role": "identifying"},
        {"name": "age", "role": "quasi_identifying",
         "hierarchy": {"type": "intervals", "origin": 0, "widths": [5, 10, 20]}},
        {"name": "sex", "role": "quasi_identifying", "hierarchy": {"type": "flat"}},
        {"name": "zip", "role": "quasi_identifying", "hierarchy": {"type": "redaction", "keep": [4, 3]}},
        {"name": "disease", "role": "sensitive"},
    ],
    "models": [{"model": "k_anonymity", "k": 5}, {"model": "distinct_l", "attribute": "disease", "l": 2}],
    "suppression_limit": 0.05,
    "drop_identifying": True,
}


def test_anonymize_synthetic_citizens_equals_in_memory(spark):
    frame = _citizens(1500)[["name", "age", "sex", "zip", "disease", "email"]]
    out, report = _assert_same_as_in_memory(spark, frame, CITIZEN_SPEC)
    suppressed = int((out[["age", "sex", "zip"]] == "*").all(axis=1).sum())
    assert suppressed == report["quality"]["suppressed"] > 0  # the test covers suppressed rows
    assert "name" not in out.columns and report["records"] == 1500
    levels = [a["level"] for a in report["quality"]["attributes"]]
    assert any(level > 0 for level in levels)


def test_adult_sample_equals_in_memory(spark):
    if not (ADULT / "adult.csv").exists():
        pytest.skip("../shared/data/adult/adult.csv not found (set PRIVSHARE_ADULT_DIR)")
    frame = pd.read_csv(ADULT / "adult.csv", sep=";", dtype=str, keep_default_na=False).iloc[:4000]
    qis = ["sex", "age", "race", "marital-status", "education"]
    attributes = [
        {"name": q, "role": "quasi_identifying",
         "hierarchy": {"type": "csv", "text": (ADULT / f"adult_hierarchy_{q}.csv").read_text(), "delimiter": ";"}}
        for q in qis
    ]
    attributes.append({"name": "salary-class", "role": "sensitive"})
    spec = {
        "attributes": attributes,
        "models": [{"model": "k_anonymity", "k": 5}, {"model": "distinct_l", "attribute": "salary-class", "l": 2}],
        "suppression_limit": 0.04,
        "metric": {"metric": "loss", "aggregate": "geometric"},
    }
    out, report = _assert_same_as_in_memory(spark, frame, spec)
    assert report["quality"]["suppressed"] > 0 and len(out) == 4000


def test_counts_merged_in_any_order_give_the_same_optimum(spark):
    frame = _citizens(800, seed=3)[["age", "sex", "zip", "disease"]]
    spec = {k: v for k, v in CITIZEN_SPEC.items() if k != "drop_identifying"}
    spec["attributes"] = spec["attributes"][1:]
    one, report_one = ps.anonymize(spark.createDataFrame(frame).coalesce(1), spec)
    many, report_many = ps.anonymize(spark.createDataFrame(frame).repartition(4), spec)
    assert _untimed(report_one) == _untimed(report_many)
    assert _sorted_rows(one.toPandas()) == _sorted_rows(many.toPandas())
    # The driver's step alone: group-by rows reversed, shuffled, one split in two.
    groups = frame.groupby(list(frame.columns)).size().reset_index(name="n")
    rows = [tuple(r) for r in groups.itertuples(index=False)]
    results = set()
    for order in range(3):
        shuffled = list(rows) if order == 0 else list(reversed(rows))
        if order == 2:
            random.Random(1).shuffle(shuffled)
            big = next(i for i, r in enumerate(shuffled) if r[-1] > 1)
            shuffled.append(shuffled[big][:-1] + (1,))
            shuffled[big] = shuffled[big][:-1] + (shuffled[big][-1] - 1,)
        columns = [[r[j] for r in shuffled] for j in range(4)]
        report, generalizer = _native._anonymize_counts(
            list(frame.columns), list(frame.columns), columns, [int(r[-1]) for r in shuffled], json.dumps(spec)
        )
        results.add((json.dumps(_untimed(json.loads(report)), sort_keys=True), generalizer))
    assert len(results) == 1


def test_mondrian_and_infeasible_specs_are_refused(spark):
    df = spark.createDataFrame(_citizens(30)[["age", "sex"]])
    spec = {"attributes": [{"name": "age", "role": "quasi_identifying"}], "models": [{"model": "k_anonymity", "k": 2}],
            "method": "mondrian"}
    with pytest.raises(privshare.InvalidArgument, match="Mondrian"):
        ps.anonymize(df, spec)
    spec = {"attributes": [{"name": "age", "role": "quasi_identifying",
                            "hierarchy": {"type": "rows", "rows": [[str(a), str(a)] for a in range(20, 120)]}}],
            "models": [{"model": "k_anonymity", "k": 20}]}
    with pytest.raises(privshare.AnonymizationInfeasible) as e:
        ps.anonymize(df, spec)
    assert e.value.report["models"][0]["holds"] is False


def test_docs_spark_md_examples_run(spark):
    import doctest

    result = doctest.testfile(str(REPO / "docs" / "spark.md"), module_relative=False, encoding="utf-8",
                              globs={"spark": spark}, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} examples in docs/spark.md failed (see output above)"
    assert result.attempted >= 10


def test_generalizer_round_trips_and_names_bad_values():
    spec = {"attributes": [{"name": "age", "role": "quasi_identifying",
                            "hierarchy": {"type": "intervals", "origin": 0, "widths": [10]}},
                           {"name": "sex", "role": "quasi_identifying"}],
            "models": [{"model": "k_anonymity", "k": 2}], "suppression_limit": 0.25}
    _, stored = _native._anonymize_counts(["age", "sex"], ["age", "sex"], [["31", "35", "47"], ["F", "F", "M"]],
                                          [1, 2, 1], json.dumps(spec))
    g = privshare.Generalizer.from_json(stored)
    assert (g.columns, g.levels, g.released_classes, g.to_json()) == (["age", "sex"], [1, 0], 1, stored)
    released = g.generalize_columns([["31", "47"], ["F", "M"]])
    assert released == [["[30, 40)", "*"], ["F", "*"]]
    pa = pytest.importorskip("pyarrow")
    buffers = g._generalize_buffers([pa.array(["31", "47"]), pa.array(["F", "M"])])
    arrays = [pa.Array.from_buffers(pa.large_string(), 2, [None, pa.py_buffer(o), pa.py_buffer(d)]) for d, o in buffers]
    assert [a.to_pylist() for a in arrays] == released
    with pytest.raises(privshare.InvalidInput) as e:
        g.generalize_columns([["31", "99"], ["F", "F"]])
    assert (e.value.column, e.value.row) == ("age", 1)
    with pytest.raises(privshare.InvalidArgument, match="generalizer"):
        privshare.Generalizer.from_json(stored.replace('"version":1', '"version":9'))
