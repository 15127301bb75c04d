"""Sharing policies: one declarative document that says what happens to every column
(``docs/policy.md``), compiled with a keyset into a :class:`Plan` that protects CSV files,
CSV bytes and pandas DataFrames."""

import io
import json
import os
from typing import Any, Dict, List, Tuple, Union

from . import _native
from ._native import Keyset

_Path = Union[str, "os.PathLike[str]"]


def check_policy(text: str, *, format: str = "toml") -> List[Dict[str, Any]]:
    """Every problem of a policy (``line``, ``path``, ``message``); an empty list when there is none.

    >>> import privshare
    >>> for p in privshare.check_policy('policy = "p"\\nversion = 0\\n')[:2]:
    ...     print(p["line"], p["message"])
    2 version starts at 1
    None `dataset` is missing
    """
    problems: List[Dict[str, Any]] = json.loads(_native._check_policy(text, format))
    return problems


class Plan:
    """A sharing policy compiled with a keyset: every column's keys derived once. Immutable and
    safe to share between threads; the work runs in Rust without the GIL, on all cores.

    >>> import privshare
    >>> ks = privshare.Keyset.generate("aes")
    >>> plan = privshare.Plan('''
    ... policy = "clinic-to-registry"
    ... version = 1
    ... dataset = "visits"
    ... purpose = "registry"
    ... suite = "aes"
    ... [columns]
    ... visit = { action = "keep" }
    ... mobile = { action = "mask", rule = "mobile" }
    ... patient = { action = "token", purpose = "linkage" }
    ... ''', ks)
    >>> out, report = plan.protect_csv(b"visit,mobile,patient\\n1,13812345678,Li Lei\\n")
    >>> out.decode().splitlines()[1].startswith("1,138****5678,pt1:")
    True
    >>> report["rows"]
    1
    """

    def __init__(self, policy: str, keyset: Keyset, *, format: str = "toml") -> None:
        self._plan = _native._Plan(policy, keyset, format)

    @classmethod
    def from_file(cls, path: _Path, keyset: Keyset) -> "Plan":
        """The policy in the file ``path`` (JSON when its name ends in ``.json``, TOML otherwise)."""
        text = open(path, encoding="utf-8").read()  # noqa: SIM115
        return cls(text, keyset, format="json" if str(path).lower().endswith(".json") else "toml")

    @property
    def policy(self) -> Tuple[str, int, str]:
        """The policy's id, version and digest (hex; SHA-256 or SM3 as its suite says)."""
        return self._plan.policy

    @property
    def key_versions(self) -> List[Tuple[str, int]]:
        """``(column, key version)`` of every keyed column."""
        return self._plan.key_versions

    def protect_csv_file(self, input: _Path, output: _Path, *, delimiter: str = ",") -> Dict[str, Any]:
        """Protects the CSV file ``input`` into a new file ``output`` (whole or not at all, never
        over ``input``); returns the report. ``generalize`` columns read the file twice."""
        report: Dict[str, Any] = json.loads(self._plan.protect_csv_file(input, output, delimiter))
        return report

    def reveal_csv_file(self, input: _Path, output: _Path, *, delimiter: str = ",") -> Dict[str, Any]:
        """Decrypts what the policy encrypted in a protected file (tokens, masks and generalized
        values stay as they are); returns the report."""
        report: Dict[str, Any] = json.loads(self._plan.reveal_csv_file(input, output, delimiter))
        return report

    def protect_jsonl_file(self, input: _Path, output: _Path) -> Dict[str, Any]:
        """Protects the JSON Lines file ``input`` (one object per line) into a new file ``output``,
        as :meth:`protect_csv_file` does. Kept values are written back exactly (numbers stay
        numbers); ``null`` and missing keys stay as they are and are counted as ``absent``;
        protected values are strings."""
        report: Dict[str, Any] = json.loads(self._plan.protect_jsonl_file(input, output))
        return report

    def reveal_jsonl_file(self, input: _Path, output: _Path) -> Dict[str, Any]:
        """:meth:`reveal_csv_file` for JSON Lines; decrypted values are strings."""
        report: Dict[str, Any] = json.loads(self._plan.reveal_jsonl_file(input, output))
        return report

    def protect_csv(self, data: bytes, *, delimiter: str = ",") -> Tuple[bytes, Dict[str, Any]]:
        """Protects CSV bytes (a header line, then records): ``(protected CSV bytes, report)``.
        A policy with ``generalize`` columns needs a file: :meth:`protect_csv_file`."""
        out, report = self._plan.protect_csv(data, delimiter)
        return out, json.loads(report)

    def protect_column(self, name: str, values: Any, records: Any = None, *, reveal: bool = False) -> Any:
        """What the policy does to column ``name``, on a column alone (a list or a pyarrow array;
        each value as text): the same output a file gets for that column. ``records`` are the
        values of the column an ``encrypt`` action binds it to; ``reveal=True`` decrypts instead.
        Nulls stay null. Only computed columns (``encrypt``, ``encrypt_deterministic``, ``fpe``,
        ``token``, ``mask``) take this call."""
        return self._plan.protect_column(name, values, records, reveal=reveal)

    def protect(self, frame: Any) -> Tuple[Any, Dict[str, Any]]:
        """Protects a pandas DataFrame: ``(protected DataFrame, report)``. Values go through the
        policy as text (what ``frame.to_csv`` writes), so every output column holds strings;
        missing values are empty strings."""
        import pandas as pd

        data = frame.to_csv(index=False).encode("utf-8")
        out, report = self.protect_csv(data)
        protected = pd.read_csv(io.BytesIO(out), dtype=str, keep_default_na=False)
        return protected, report
