"""Validators and PII detection over the Rust core (``privshare::mask``).

The :class:`privshare.Masker` class itself is native; this module picks the input kind for
:func:`scan` (a path, CSV bytes or a pandas DataFrame; pandas is imported only if given one) and
turns the core's JSON report into a dict.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, List, Union

from . import _native

__all__ = ["validate", "validate_column", "scan", "PII_TYPES"]

PII_TYPES = tuple(_native._pii_types())
"""The PII type names :func:`validate` and :func:`scan` use."""


def validate(pii_type: str, value: Union[str, bytes]) -> bool:
    """Whether ``value`` is a valid ``pii_type`` (one of :data:`PII_TYPES`), check digits included.

    >>> import privshare
    >>> privshare.validate("resident_id", "11010519491231002X")
    True
    >>> privshare.validate("resident_id", "110105194912310021")  # wrong check character
    False
    >>> privshare.validate("bank_card", "6222021234567890128"), privshare.validate("mobile", "12345678901")
    (True, False)
    >>> privshare.validate("shoe_size", "42")
    Traceback (most recent call last):
    ...
    privshare.InvalidArgument: unknown PII type; expected one of resident_id, ... (code 100)
    """
    return _native._validate(pii_type, value)


def validate_column(pii_type: str, values: Any) -> Any:
    """:func:`validate` over a column, in one core call without the GIL: a list (or iterable) of
    ``str``/``bytes`` gives a list of ``bool``; a pyarrow array gives a pyarrow boolean array
    (a null is not valid: ``False``).

    >>> import privshare
    >>> privshare.validate_column("mobile", ["13812345678", "n/a", ""])
    [True, False, False]
    """
    if type(values).__module__.startswith("pyarrow"):
        import pyarrow as pa

        arr = values.combine_chunks() if hasattr(values, "combine_chunks") else values
        # Nulls become empty values (never valid), so the one core call sees every row.
        flags = _native._validate_column(pii_type, arr.fill_null(b"" if arr.type in (pa.binary(), pa.large_binary()) else ""))
        return pa.array(flags, type=pa.bool_())
    return _native._validate_column(pii_type, values)


def _options_json(options: Dict[str, Any]) -> str:
    return json.dumps(options)


def scan(source: Any, **options: Any) -> Dict[str, Any]:
    """Finds which columns hold which kind of personal data.

    ``source`` is a CSV file path (``str`` or ``os.PathLike``), CSV bytes (header row,
    comma-separated), or a pandas DataFrame (every column read as text; missing values as empty).
    ``options`` are the core's ``ScanOptions``: ``sample_rows`` (10000), ``sampling``
    (``"uniform"`` or ``"head"``), ``max_rows``, ``seed``, ``min_values`` (10), ``detect_dates``
    (True), ``check_digit_threshold`` (0.8), ``structure_threshold`` (0.9); an unknown option is
    ``InvalidArgument``. Returns the report as a dict: ``rows_read``, ``rows_sampled``,
    ``sampling``, ``complete`` and ``columns`` (per column ``name``, ``detected``,
    ``valid_share``, ``evidence``, ``suggested_rule``, ``candidates``, ...).

    >>> import privshare
    >>> csv = "id,note\\n" + "11010519491231002X,ok\\n" * 12
    >>> report = privshare.scan(csv.encode())
    >>> [(c["name"], c["detected"]) for c in report["columns"]]
    [('id', 'resident_id'), ('note', None)]
    >>> report["columns"][0]["suggested_rule"]["rule"]
    'resident_id'
    """
    opts = _options_json(options)
    if isinstance(source, (bytes, bytearray, memoryview)):
        text = _native._scan_csv(bytes(source), opts)
    elif isinstance(source, (str, os.PathLike)):
        text = _native._scan_path(os.fspath(source), opts)
    elif _is_dataframe(source):
        names = [str(c) for c in source.columns]
        columns = [_text_column(source.iloc[:, i]) for i in range(len(names))]
        text = _native._scan_columns(names, columns, opts)
    else:
        raise TypeError(f"source must be a path, CSV bytes or a pandas DataFrame, not {type(source).__name__}")
    report: Dict[str, Any] = json.loads(text)
    return report


def _is_dataframe(obj: Any) -> bool:
    # By module name, so pandas is never imported unless the caller uses it.
    return type(obj).__module__.startswith("pandas") and hasattr(obj, "columns") and hasattr(obj, "iloc")


def _text_column(series: Any) -> List[str]:
    """A DataFrame column as text, missing values (None / NaN / NA / NaT) as empty strings
    (vectorized: no Python loop per value)."""
    text: List[str] = series.astype(object).where(series.notna(), "").astype(str).tolist()
    return text
