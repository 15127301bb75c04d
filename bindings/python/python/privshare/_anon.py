"""Anonymization over the Rust core (``privshare::anon::spec``): a pandas DataFrame (handed over as
columns, no CSV) or CSV bytes and a configuration dict in; the anonymized data in the same form and
the report as a dict out. pandas is imported only when a DataFrame is given.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, List, Tuple, Union

from . import _native
from ._mask import _is_dataframe, _text_column

__all__ = ["anonymize", "anonymize_csv_file"]


def anonymize(data: Any, config: Union[Dict[str, Any], str], *, delimiter: str = ",") -> Tuple[Any, Dict[str, Any]]:
    """Generalizes quasi-identifiers until the privacy models hold; returns ``(output, report)``.

    ``data`` is a pandas DataFrame or CSV bytes with a header row (fields separated by
    ``delimiter``, which applies to bytes only). ``config`` is the core's configuration as a dict or
    JSON text (docs/anonymization.md): ``attributes`` (``name``, ``role`` =
    ``identifying|quasi_identifying|sensitive|insensitive``, ``hierarchy``), ``models`` (e.g.
    ``{"model": "k_anonymity", "k": 5}``), ``suppression_limit``, ``metric``, ``method``
    (``optimal`` or ``mondrian``), ``drop_identifying``. Unknown fields are refused
    (``InvalidArgument``).

    A DataFrame is passed to the core column by column as text (column labels as ``str(label)``,
    missing values as empty text) and gives a DataFrame with the same index, row order and column
    labels (identifying columns dropped). A column the anonymization left exactly as it was (every
    sensitive and insensitive column; a quasi-identifier kept at level 0 with nothing suppressed)
    is the caller's column, with its dtype and missing values; a column it changed holds text
    (dtype ``object``): generalized values such as ``[30, 40)``, and ``*`` in every
    quasi-identifier of a suppressed record (never NaN). Bytes give CSV bytes. The report is a
    dict (levels, suppressed rows, loss, class sizes, risk before and after, ...). Raises
    :class:`privshare.AnonymizationInfeasible` (code 600) when no transformation meets the models
    within the suppression limit, returning no table; its ``report`` is then the report (a dict of
    the same shape) of the best transformation possible, the one with the least suppression
    (``None`` with Mondrian), and ``details`` the same as JSON. The core runs without the GIL.

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
    ...     print(e.code, e.report["quality"]["suppressed"], e.report["models"][0]["holds"])
    600 4 False
    """
    text = config if isinstance(config, str) else json.dumps(config)
    if isinstance(data, (bytes, bytearray, memoryview)):
        out, report = _native._anonymize_csv(bytes(data), text, delimiter)
        return out, json.loads(report)
    if _is_dataframe(data):
        return _anonymize_frame(data, text)
    raise TypeError(f"data must be a pandas DataFrame or CSV bytes, not {type(data).__name__}")


def anonymize_csv_file(
    input: Union[str, "os.PathLike[str]"],
    output: Union[str, "os.PathLike[str]"],
    config: Union[Dict[str, Any], str],
    *,
    delimiter: str = ",",
) -> Dict[str, Any]:
    """Anonymizes the CSV file ``input`` into a new file ``output`` without loading it; returns the report.

    The file is read twice (three times when a hierarchy is derived from a column's values), so
    memory grows with the distinct combinations of quasi-identifier values, not with the rows. The
    output file holds what :func:`anonymize` gives for the same bytes; it appears only when
    everything succeeded and may not be ``input``. The configuration is :func:`anonymize`'s, with
    the optimal search only (``"method": "mondrian"`` needs the rows: ``InvalidArgument``).

    >>> import pathlib, tempfile, privshare
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "in.csv").write_text("age,sex\\n31,F\\n32,F\\n33,M\\n38,M\\n")
    >>> config = {"attributes": [{"name": "age", "role": "quasi_identifying",
    ...                           "hierarchy": {"type": "intervals", "origin": 0, "widths": [10]}}],
    ...           "models": [{"model": "k_anonymity", "k": 4}]}
    >>> privshare.anonymize_csv_file(d / "in.csv", d / "out.csv", config)["quality"]["suppressed"]
    0
    >>> print((d / "out.csv").read_text(), end="")
    age,sex
    "[30, 40)",F
    "[30, 40)",F
    "[30, 40)",M
    "[30, 40)",M
    """
    text = config if isinstance(config, str) else json.dumps(config)
    return json.loads(_native._anonymize_csv_file(input, output, text, delimiter))


def _anonymize_frame(frame: Any, config_json: str) -> Tuple[Any, Dict[str, Any]]:
    import pandas as pd

    labels = list(frame.columns)
    names = [str(label) for label in labels]
    inputs: List[List[str]] = [_text_column(frame.iloc[:, i]) for i in range(len(names))]
    out_names, out_columns, report = _native._anonymize_columns(names, inputs, config_json)
    position = {name: i for i, name in enumerate(names)}  # unique: the core refuses repeated names
    columns = {}
    for name, values in zip(out_names, out_columns):
        i = position[name]
        if values == inputs[i]:
            # Left as it was: the caller's values, dtype and missing values (a copy).
            columns[labels[i]] = frame.iloc[:, i].copy()
        else:
            # Generalized or suppressed: text, "*" included, never parsed back into numbers or NaN.
            columns[labels[i]] = pd.Series(values, index=frame.index, dtype=object)
    out = pd.DataFrame(columns, index=frame.index)
    out.columns.name = frame.columns.name
    return out, json.loads(report)
