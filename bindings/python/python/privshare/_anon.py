"""Anonymization over the Rust core (``privshare::anon::spec::anonymize_csv``): a pandas DataFrame
or CSV bytes and a configuration dict in; the anonymized data in the same form and the report as a
dict out. pandas is imported only when a DataFrame is given.
"""

from __future__ import annotations

import io
import json
from typing import Any, Dict, Tuple, Union

from . import _native
from ._mask import _is_dataframe

__all__ = ["anonymize"]


def anonymize(data: Any, config: Union[Dict[str, Any], str], *, delimiter: str = ",") -> Tuple[Any, Dict[str, Any]]:
    """Generalizes quasi-identifiers until the privacy models hold; returns ``(output, report)``.

    ``data`` is a pandas DataFrame (written to CSV without its index; missing values as empty
    text) or CSV bytes with a header row. ``config`` is the core's configuration as a dict or JSON
    text (docs/anonymization.md): ``attributes`` (``name``, ``role`` =
    ``identifying|quasi_identifying|sensitive|insensitive``, ``hierarchy``), ``models`` (e.g.
    ``{"model": "k_anonymity", "k": 5}``), ``suppression_limit``, ``metric``, ``method``
    (``optimal`` or ``mondrian``), ``drop_identifying``. Unknown fields are refused
    (``InvalidArgument``).

    A DataFrame gives a DataFrame with the same index and rows in the same order, whose columns are all text (generalized values such as
    ``[30, 40)``, suppressed ones ``*``); bytes give CSV bytes. The report is a dict (levels,
    suppressed rows, loss, class sizes, risk before and after, ...). Raises
    :class:`privshare.AnonymizationInfeasible` (code 600) when no transformation meets the models
    within the suppression limit; the core runs without the GIL.

    >>> import privshare
    >>> csv = b"age,sex,disease\\n31,F,flu\\n32,F,cold\\n33,M,flu\\n38,M,cold\\n"
    >>> config = {
    ...     "attributes": [
    ...         {"name": "age", "role": "quasi_identifying",
    ...          "hierarchy": {"type": "intervals", "origin": 0, "widths": [5, 10]}},
    ...         {"name": "sex", "role": "quasi_identifying"},
    ...         {"name": "disease", "role": "sensitive"},
    ...     ],
    ...     "models": [{"model": "k_anonymity", "k": 2}],
    ... }
    >>> out, report = privshare.anonymize(csv, config)
    >>> print(out.decode())
    age,sex,disease
    "[30, 40)",F,flu
    "[30, 40)",F,cold
    "[30, 40)",M,flu
    "[30, 40)",M,cold
    <BLANKLINE>
    >>> report["quality"]["suppressed"], report["quality"]["min_class_size"]
    (0, 2)
    >>> config["models"] = [{"model": "k_anonymity", "k": 3}]
    >>> config["attributes"][1]["hierarchy"] = {"type": "rows", "rows": [["F", "F"], ["M", "M"]]}  # never "*"
    >>> try:
    ...     privshare.anonymize(csv, config)
    ... except privshare.AnonymizationInfeasible as e:
    ...     print(e.code)
    600
    """
    text = config if isinstance(config, str) else json.dumps(config)
    if isinstance(data, (bytes, bytearray, memoryview)):
        out, report = _native._anonymize_csv(bytes(data), text, delimiter)
        return out, json.loads(report)
    if _is_dataframe(data):
        import pandas as pd

        csv = data.to_csv(index=False, sep=delimiter, lineterminator="\n").encode("utf-8")
        out, report = _native._anonymize_csv(csv, text, delimiter)
        frame = pd.read_csv(io.BytesIO(out), sep=delimiter, dtype=str, keep_default_na=False, na_filter=False)
        if len(frame) == len(data):
            # Every record is kept (suppressed ones as "*"), in order: keep the caller's index.
            frame.index = data.index
        return frame, json.loads(report)
    raise TypeError(f"data must be a pandas DataFrame or CSV bytes, not {type(data).__name__}")
