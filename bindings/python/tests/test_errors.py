"""The exception hierarchy mirrors the core's error kinds and codes."""

import pickle
import subprocess
import sys
import textwrap

import pytest

import privshare
from privshare import _native


def test_every_core_kind_has_its_own_class_with_the_same_code_and_name():
    kinds = _native._error_kinds()
    assert len(kinds) >= 25
    for code, name in kinds:
        cls = privshare.error_class(code)
        assert cls is not privshare.Error, f"no class for core code {code} ({name})"
        assert cls.code == code and cls.kind == name
        assert issubclass(cls, privshare.Error)
        assert cls.__module__ == "privshare" and getattr(privshare, cls.__name__) is cls


def test_codes_are_the_published_ones():
    assert privshare.InvalidArgument.code == 100
    assert privshare.AuthenticationFailed.code == 200
    assert privshare.UnknownKey.code == 300
    assert privshare.KeyUnwrapFailed.code == 303
    assert privshare.InternalError.code == 900


def test_families():
    for cls in (privshare.EmptyValue, privshare.NotUtf8, privshare.OutsideAlphabet,
                privshare.InvalidIdentifier, privshare.DomainTooSmall, privshare.ValueTooLong):
        assert issubclass(cls, privshare.InvalidInput) and issubclass(cls, ValueError)
    for cls in (privshare.UnknownKey, privshare.KeyDisabled, privshare.KeyDestroyed):
        assert issubclass(cls, privshare.KeyVersionError)
    for cls in (privshare.AuthenticationFailed, privshare.MalformedCiphertext,
                privshare.UnsupportedVersion, privshare.UnsupportedAlgorithm):
        assert issubclass(cls, privshare.CiphertextError)
    assert issubclass(privshare.IoError, OSError)
    # AuthenticationFailed says nothing more: it is not a ValueError a caller could confuse with
    # bad input.
    assert not issubclass(privshare.AuthenticationFailed, ValueError)


def test_unknown_code_keeps_its_number():
    from privshare._errors import _from_core

    e = _from_core(999, "future", "future (code 999)", None, None, None)
    assert type(e) is privshare.Error and e.code == 999 and str(e) == "future (code 999)"


def test_raised_error_carries_position_and_message():
    ks = privshare.Keyset.generate()
    c = privshare.Ff1Cipher(ks, "d", "f", key_id=ks.primary_id)
    with pytest.raises(privshare.OutsideAlphabet) as info:
        c.encrypt_column(["1234567", "12345x789"])
    e = info.value
    assert (e.code, e.kind, e.row, e.offset) == (104, "outside_alphabet", 1, 5)
    assert "row 1" in str(e) and "byte offset 5" in str(e) and "(code 104)" in str(e)
    assert e.message == "character outside the alphabet"
    # Messages never contain the value.
    assert "12345x789" not in str(e)
    # Only an infeasible anonymization has details.
    assert e.details is None


def test_errors_pickle_with_code_and_position():
    ks = privshare.Keyset.generate()
    with pytest.raises(privshare.OutsideAlphabet) as info:
        privshare.Ff1Cipher(ks, "d", "f", key_id=ks.primary_id).encrypt_column(["1234567", "12345x789"])
    back = pickle.loads(pickle.dumps(info.value))
    assert type(back) is privshare.OutsideAlphabet
    assert (back.code, back.row, back.offset, back.message, str(back)) == (
        104, 1, 5, info.value.message, str(info.value))


def test_details_and_report():
    from privshare._errors import _from_core

    details = '{"records": 4, "quality": {"suppressed": 4}}'
    e = _from_core(600, "infeasible", "infeasible (code 600)", None, None, None, details)
    assert type(e) is privshare.AnonymizationInfeasible
    assert e.details == details and e.report == {"records": 4, "quality": {"suppressed": 4}}
    # Without details (e.g. Mondrian), or with details that are not a JSON object: no report.
    assert _from_core(600, "m", "m", None, None, None).report is None
    assert _from_core(600, "m", "m", None, None, None, "not json").report is None
    assert _from_core(600, "m", "m", None, None, None, "[1]").report is None
    # Other kinds keep details as text and have no report.
    other = _from_core(101, "x", "x", None, None, None, "{}")
    assert other.details == "{}" and not hasattr(other, "report")
    assert _from_core(101, "x", "x", None, None, None).details is None


def test_infeasible_pickles_with_details_and_report():
    config = {
        "attributes": [{"name": "zip", "role": "quasi_identifying",
                        "hierarchy": {"type": "rows", "rows": [["1", "1"], ["2", "2"], ["3", "3"]]}}],
        "models": [{"model": "k_anonymity", "k": 2}],
        "suppression_limit": 0,
    }
    with pytest.raises(privshare.AnonymizationInfeasible) as info:
        privshare.anonymize(b"zip\n1\n2\n3\n", config)
    back = pickle.loads(pickle.dumps(info.value))
    assert type(back) is privshare.AnonymizationInfeasible
    assert back.details == info.value.details and back.report == info.value.report
    assert back.report is not None and back.report["quality"]["suppressed"] == 3


def test_details_and_report_type_check(tmp_path):
    pytest.importorskip("mypy")
    sample = tmp_path / "sample.py"
    sample.write_text(textwrap.dedent('''
        import privshare
        try:
            privshare.anonymize(b"a\\n1\\n", {"attributes": []})
        except privshare.AnonymizationInfeasible as e:
            details: "str | None" = e.details
            if e.report is not None:
                suppressed: int = e.report["quality"]["suppressed"]
        except privshare.Error as other:
            nothing: "str | None" = other.details
    '''))
    run = subprocess.run([sys.executable, "-m", "mypy", "--strict", str(sample)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_file_errors_name_the_line_and_pickle_it():
    # A value missing from its hierarchy in a CSV: line 4 of the file (header = line 1), data row 2.
    csv = b"age,sex\n31,F\n32,M\n99,F\n"
    config = {"attributes": [{"name": "age", "role": "quasi_identifying",
                              "hierarchy": {"type": "csv", "text": "31;*\n32;*\n"}}],
              "models": [{"model": "k_anonymity", "k": 1}]}
    with pytest.raises(privshare.InvalidInput) as info:
        privshare.anonymize(csv, config)
    e = info.value
    assert (e.line, e.row, e.column) == (4, 2, "age") and "line 4" in str(e)
    back = pickle.loads(pickle.dumps(e))
    assert (back.line, back.row, back.column) == (4, 2, "age")
    # A hierarchy line with an empty label is refused at its own line.
    config["attributes"][0]["hierarchy"]["text"] = "31;x;*\n32;;*\n"
    with pytest.raises(privshare.InvalidInput) as info:
        privshare.anonymize(csv, config)
    assert (info.value.line, info.value.column) == (2, "age")
    # Errors without a file have no line.
    with pytest.raises(privshare.OutsideAlphabet) as info:
        ks = privshare.Keyset.generate()
        privshare.Ff1Cipher(ks, "d", "f", key_id=ks.primary_id).encrypt_column(["12345x789"])
    assert info.value.line is None


def test_no_python_class_claims_a_code_the_core_lacks():
    """The other direction of the table check: the Python classes are exactly the core's kinds."""
    core = dict(_native._error_kinds())
    ours = {}
    for name in privshare._errors.__all__:
        cls = getattr(privshare, name)
        if isinstance(cls, type) and issubclass(cls, privshare.Error) and cls.__dict__.get("code", 0) > 0:
            ours[cls.code] = cls.kind
    assert ours == core
