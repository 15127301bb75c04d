"""Runs the examples in every docstring of the package (Rust classes included) as doctests."""

import doctest
import inspect

import pytest

import privshare
from conftest import REPO
from privshare import _anon, _arrow, _errors, _mask
from privshare import spark as _spark


def _objects():
    yield "privshare", privshare
    yield "privshare._errors", _errors
    yield "privshare._arrow", _arrow
    yield "privshare._mask", _mask
    yield "privshare._anon", _anon
    yield "privshare.spark", _spark
    yield "privshare.spark.Keys", _spark.Keys
    for name in privshare.__all__:
        obj = getattr(privshare, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            yield f"privshare.{name}", obj


def test_docstring_examples_run():
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    seen = set()
    examples = 0
    for name, obj in _objects():
        for test in finder.find(obj, name, module=False, globs={"privshare": privshare}):
            if test.name in seen:
                continue
            seen.add(test.name)
            examples += len(test.examples)
            runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} doctest examples failed (see output above)"
    # The main classes carry examples: a missing docstring would make this test vacuous.
    for cls in ("Keyset", "RandomizedCipher", "DeterministicCipher", "Ff1Cipher", "ResidentIdCipher",
                "MobileCipher", "BankCardCipher", "Tokenizer", "Masker", "validate", "scan", "anonymize"):
        assert ">>>" in getattr(privshare, cls).__doc__, cls
    assert examples >= 30


def test_docs_python_md_examples_run():
    """The ``>>>`` examples of docs/python.md (masking, scan, anonymization) run as written."""
    pytest.importorskip("pandas")
    path = REPO / "docs" / "python.md"
    result = doctest.testfile(str(path), module_relative=False, encoding="utf-8",
                              optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} examples in docs/python.md failed (see output above)"
    assert result.attempted >= 15
