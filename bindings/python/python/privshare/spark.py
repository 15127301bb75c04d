"""PySpark DataFrames through privshare: row-wise protection (:func:`protect`, by per-column
actions or by a sharing policy) and optimal
anonymization from group-by counts (:func:`anonymize`), both applied on the executors with
``DataFrame.mapInArrow`` over the pyarrow column paths. docs/spark.md tells what travels where.

Keys never travel in plaintext: the driver ships the *stored* keyset JSON (wrapped by a KEK or a
passphrase) and the name of an environment variable; each task reads the KEK or passphrase from
that variable on its executor, unwraps the keyset once and builds its ciphers once, then runs
every Arrow batch of its partition through them.

>>> import privshare, privshare.spark as ps
>>> plan = {"name": ps.encrypt("tax-2026", "name"), "phone": ps.mask({"rule": "mobile"})}
>>> sorted(plan)
['name', 'phone']
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterator, List, Literal, Mapping, Optional, Tuple, Union

from . import _native
from ._errors import Error, InvalidArgument, PolicyError
from ._native import Generalizer, Keyset

__all__ = [
    "Action",
    "Keys",
    "anonymize",
    "encrypt",
    "encrypt_deterministic",
    "fpe",
    "mask",
    "protect",
    "token",
]

_Kind = Literal["encrypt", "encrypt_deterministic", "fpe", "token", "mask"]
_OnInvalid = Optional[Literal["error", "null", "keep_marked"]]


@dataclass(frozen=True)
class Action:
    """How to protect one column: plain data (no key), pickled into the Spark task and turned into
    a cipher or masker on the executor. Made by :func:`encrypt`, :func:`encrypt_deterministic`,
    :func:`fpe`, :func:`token` and :func:`mask`."""

    kind: _Kind
    params: Tuple[Tuple[str, Any], ...] = ()
    on_invalid: _OnInvalid = None

    def _build(self, keyset: Optional[Keyset]) -> Callable[[Any], Any]:
        """The column function (a pyarrow array in, a pyarrow array out) for this action."""
        p = dict(self.params)
        kw: Dict[str, Any] = {"on_invalid": self.on_invalid} if self.on_invalid else {}
        if self.kind == "mask":
            masker = _native.Masker(p["rule"], keyset=keyset if p["keyed"] else None, key_id=p["key_id"],
                                    dataset=p["dataset"], field=p["field"])
            return lambda values: masker.apply_column(values, **kw)
        assert keyset is not None
        if self.kind == "token":
            tokenizer = _native.Tokenizer(keyset, p["purpose"], key_id=p["key_id"])
            return lambda values: tokenizer.token_column(values, **kw)
        if self.kind == "encrypt":
            cipher: Any = _native.RandomizedCipher(keyset, p["dataset"], p["field"], padding=p["padding"])
        elif self.kind == "encrypt_deterministic":
            cipher = _native.DeterministicCipher(keyset, p["dataset"], p["field"], padding=p["padding"])
        else:
            key_id = keyset.primary_id if p["key_id"] is None else p["key_id"]
            scheme, dataset, name = p["scheme"], p["dataset"], p["field"]
            if scheme == "ff1":
                cipher = _native.Ff1Cipher(keyset, dataset, name, p["alphabet"], key_id=key_id)
            elif scheme == "resident_id":
                cipher = _native.ResidentIdCipher(keyset, dataset, name, key_id=key_id, birth_dates=p["birth_dates"])
            elif scheme == "mobile":
                cipher = _native.MobileCipher(keyset, dataset, name, key_id=key_id)
            else:
                cipher = _native.BankCardCipher(keyset, dataset, name, key_id=key_id)
        return lambda values: cipher.encrypt_column(values, **kw)

    @property
    def needs_keys(self) -> bool:
        return self.kind != "mask" or bool(dict(self.params)["keyed"])


def encrypt(dataset: str, field: str, *, padding: str = "none", on_invalid: _OnInvalid = None) -> Action:
    """Randomized encryption (:class:`privshare.RandomizedCipher`): text ciphertexts."""
    return Action("encrypt", (("dataset", dataset), ("field", field), ("padding", padding)), on_invalid)


def encrypt_deterministic(dataset: str, field: str, *, padding: str = "none", on_invalid: _OnInvalid = None) -> Action:
    """Deterministic encryption (:class:`privshare.DeterministicCipher`): equal values give equal
    ciphertexts, so joins and group-bys still work on the column."""
    return Action("encrypt_deterministic", (("dataset", dataset), ("field", field), ("padding", padding)), on_invalid)


def fpe(
    scheme: Literal["ff1", "resident_id", "mobile", "bank_card"],
    dataset: str,
    field: str,
    *,
    key_id: Optional[int] = None,
    alphabet: str = _native.DIGITS,
    birth_dates: Optional[Tuple[Any, Any]] = None,
    on_invalid: _OnInvalid = None,
) -> Action:
    """Format-preserving encryption (:class:`privshare.Ff1Cipher`, :class:`privshare.ResidentIdCipher`,
    :class:`privshare.MobileCipher`, :class:`privshare.BankCardCipher`) under ``key_id`` (default:
    the keyset's primary key, read on the executor). ``birth_dates`` is required for resident IDs."""
    if scheme not in ("ff1", "resident_id", "mobile", "bank_card"):
        raise InvalidArgument(f"unknown format-preserving scheme {scheme!r}")
    if scheme == "resident_id" and birth_dates is None:
        raise InvalidArgument("fpe('resident_id', ...) needs birth_dates=(earliest, latest)")
    params = (("scheme", scheme), ("dataset", dataset), ("field", field), ("key_id", key_id), ("alphabet", alphabet),
              ("birth_dates", birth_dates))
    return Action("fpe", params, on_invalid)


def token(purpose: str, *, key_id: Optional[int] = None, on_invalid: _OnInvalid = None) -> Action:
    """Linkage tokens (:class:`privshare.Tokenizer`) for ``purpose``, as text."""
    return Action("token", (("purpose", purpose), ("key_id", key_id)), on_invalid)


def mask(
    rule: Union[Dict[str, Any], str],
    *,
    keyed: bool = False,
    key_id: Optional[int] = None,
    dataset: Optional[str] = None,
    field: Optional[str] = None,
    on_invalid: _OnInvalid = None,
) -> Action:
    """A masking rule (:class:`privshare.Masker`); ``keyed=True`` for rules that need the keyset."""
    rule_json = rule if isinstance(rule, str) else json.dumps(rule, sort_keys=True)
    params = (("rule", rule_json), ("keyed", keyed), ("key_id", key_id), ("dataset", dataset), ("field", field))
    return Action("mask", params, on_invalid)


@dataclass(frozen=True)
class Keys:
    """Where a task finds its keys: the stored keyset JSON (as :meth:`privshare.Keyset.to_json`
    writes it, wrapped by a KEK or a passphrase) and the name of the environment variable that
    holds, on each executor, the KEK (32 bytes in base64) or the passphrase. Set the variable
    with ``--conf spark.executorEnv.NAME=...`` or the cluster's secret mechanism.

    A plaintext keyset is refused here, so that it can never be pickled into a task.

    >>> import os, privshare, privshare.spark as ps
    >>> ks = privshare.Keyset.generate("aes")
    >>> kek = os.urandom(32)
    >>> keys = ps.Keys(ks.to_json(kek=kek), kek_env="PRIVSHARE_KEK")
    >>> ps.Keys(ks.to_insecure_plaintext_json(), kek_env="PRIVSHARE_KEK")
    Traceback (most recent call last):
    ...
    privshare.InvalidArgument: Keys needs a stored keyset wrapped by a KEK or a passphrase, not a plaintext one
    """

    keyset_json: str
    kek_env: Optional[str] = None
    passphrase_env: Optional[str] = None
    argon2_caps: Optional[Tuple[int, int, int]] = None

    def __post_init__(self) -> None:
        try:
            stored = json.loads(self.keyset_json)
        except ValueError:
            raise InvalidArgument("Keys: keyset_json is not JSON") from None
        if not isinstance(stored, dict) or stored.get("format") != "privshare-keyset":
            raise InvalidArgument("Keys needs a stored keyset wrapped by a KEK or a passphrase, not a plaintext one")
        if (self.kek_env is None) == (self.passphrase_env is None):
            raise InvalidArgument("Keys needs exactly one of kek_env and passphrase_env")

    def load(self) -> Keyset:
        """The keyset, unwrapped with the secret from this process's environment (on an executor)."""
        name = self.kek_env or self.passphrase_env
        assert name is not None
        secret = os.environ.get(name)
        if not secret:
            raise InvalidArgument(f"environment variable {name} is not set on this executor "
                                  f"(set it with --conf spark.executorEnv.{name}=...)")
        if self.kek_env is not None:
            try:
                kek = base64.b64decode(secret, validate=True)
            except (binascii.Error, ValueError):
                raise InvalidArgument(f"environment variable {name} is not a base64 KEK") from None
            return Keyset.from_json(self.keyset_json, kek=kek)
        return Keyset.from_json(self.keyset_json, passphrase=secret, argon2_caps=self.argon2_caps)


def _string_types(df: Any, names: List[str]) -> Any:
    """``df`` with the named columns cast to strings (nulls kept), the others unchanged."""
    from pyspark.sql import functions as F

    wanted = set(names)
    return df.select([F.col(c).cast("string").alias(c) if c in wanted else F.col(c) for c in df.columns])


def _output_schema(df: Any, text_columns: List[str]) -> Any:
    from pyspark.sql.types import StringType, StructField, StructType

    wanted = set(text_columns)
    return StructType([StructField(f.name, StringType(), True) if f.name in wanted else f for f in df.schema.fields])


# A column step: (the column's array, every column of the batch) to the protected array.
_Step = Callable[[Any, List[Any]], Any]


def _alone(run: Callable[[Any], Any]) -> _Step:
    return lambda values, _columns: run(values)


class _ProtectTask:
    """The function ``mapInArrow`` runs: plain data only (actions, column positions and names, the
    wrapped keyset); ciphers are built once per task, on the executor."""

    def __init__(self, actions: List[Tuple[int, str, Action]], keys: Optional[Keys]) -> None:
        self.actions = actions
        self.keys = keys

    def _steps(self) -> List[Tuple[int, str, _Step]]:
        keyset = self.keys.load() if self.keys is not None else None
        return [(i, name, _alone(a._build(keyset))) for i, name, a in self.actions]

    def __call__(self, batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa
        from pyspark import TaskContext

        steps = self._steps()
        context = TaskContext.get()
        partition = context.partitionId() if context is not None else None
        first = 0  # the first row of the batch within the partition
        for batch in batches:
            columns = list(batch.columns)
            for i, name, run in steps:
                try:
                    out = run(columns[i], columns)
                except Error as e:
                    # The row within the partition, and the column: never the value.
                    row = None if e.row is None else first + e.row
                    where = f"column {name!r}, row {row} of partition {partition}"
                    raise type(e)(e.message, row=row, column=name, display=f"{e.message} ({where})") from None
                columns[i] = out if out.type == pa.string() else out.cast(pa.string())
            first += batch.num_rows
            yield pa.RecordBatch.from_arrays(columns, schema=_text_schema(batch.schema, [i for i, _, _ in steps]))


def _text_schema(schema: Any, positions: List[int]) -> Any:
    import pyarrow as pa

    return pa.schema([pa.field(f.name, pa.string()) if i in positions else f for i, f in enumerate(schema)])


class _PolicyTask(_ProtectTask):
    """``mapInArrow``'s function for a sharing policy: the policy's text, the positions of the
    computed columns (and of the record column each is bound to) and the wrapped keyset; the plan
    is compiled once per task, on the executor."""

    def __init__(self, policy: str, policy_format: str, computed: List[Tuple[int, str, Optional[int]]],
                 keys: Keys) -> None:
        super().__init__([], keys)
        self.policy = policy
        self.policy_format = policy_format
        self.computed = computed

    def _steps(self) -> List[Tuple[int, str, _Step]]:
        assert self.keys is not None
        plan = _native._Plan(self.policy, self.keys.load(), self.policy_format)

        def step(name: str, record: Optional[int]) -> _Step:
            def run(values: Any, columns: List[Any]) -> Any:
                import pyarrow as pa

                records = None if record is None else columns[record].cast(pa.string())
                return plan.protect_column(name, values, records)
            return run

        return [(i, name, step(name, record)) for i, name, record in self.computed]


_COMPUTED = ("encrypt", "encrypt_deterministic", "fpe", "token", "mask")


def _protect_with_policy(df: Any, policy: str, keys: Optional[Keys], policy_format: str) -> Any:
    """:func:`protect` under a sharing policy (docs/policy.md), checked on the driver."""
    info = json.loads(_native._policy_columns(policy, policy_format))
    named = {c["name"]: c for c in info["columns"]}
    problems = [f"the DataFrame's column `{c}` is not in the policy: give it an action, or set default = \"drop\""
                for c in df.columns if c not in named and info["default"] == "deny"]
    problems += [f"column `{n}` is not in the DataFrame" for n in named if n not in df.columns]
    generalized = [n for n, c in named.items() if c["action"] == "generalize"]
    if generalized:
        problems.append(f"columns {generalized} are generalized: privshare.spark.protect runs the row-wise actions; "
                        "anonymize with privshare.spark.anonymize first and keep them in the policy")
    if problems:
        raise PolicyError("; ".join(problems))
    if keys is None:
        raise InvalidArgument("a policy needs keys: pass keys=privshare.spark.Keys(...)")
    kept = [c for c in df.columns if c in named and named[c]["action"] != "drop"]
    text = [c for c in kept if named[c]["action"] in _COMPUTED]
    computed = [(kept.index(c), c, kept.index(named[c]["record"]) if named[c]["record"] else None) for c in text]
    source = _string_types(df.select(kept), text)
    return source.mapInArrow(_PolicyTask(policy, policy_format, computed, keys), _output_schema(source, text))


def protect(df: Any, columns: Union[Mapping[str, Action], str], keys: Optional[Keys] = None, *,
            policy_format: str = "toml") -> Any:
    """``df`` with each column of ``columns`` protected by its :class:`Action`, the others unchanged
    (a lazy DataFrame: nothing runs until an action such as ``write`` or ``collect``). Protected
    columns are cast to strings first and come out as strings; nulls stay null. ``keys`` is
    required unless every action is an unkeyed mask.

    ``columns`` may instead be a sharing policy's text (TOML, or JSON with
    ``policy_format="json"``): every column of ``df`` then gets the policy's action, as
    ``privshare share`` would give it (dropped columns are left out, kept ones unchanged), and the
    policy is compiled once per task with ``keys`` (required). The policy's columns are checked
    against ``df`` on the driver (``PolicyError`` naming each problem); ``generalize`` columns
    are refused there: anonymize them with :func:`anonymize` first.

    Errors: a column missing from ``df`` or an action of the wrong type (``InvalidArgument``, on
    the driver); a value a cipher refuses fails the task with the privshare error naming the
    column, the row within its partition and the partition, never the value (``on_invalid="null"``
    turns such values into nulls instead).
    """
    if isinstance(columns, str):
        return _protect_with_policy(df, columns, keys, policy_format)
    positions = {c: i for i, c in enumerate(df.columns)}
    plan: List[Tuple[int, str, Action]] = []
    for name, action in columns.items():
        if name not in positions:
            raise InvalidArgument(f"column {name!r} is not in the DataFrame")
        if not isinstance(action, Action):
            raise InvalidArgument(f"column {name!r}: expected a privshare.spark action (encrypt, fpe, token, "
                                  f"mask, ...), not {type(action).__name__}")
        plan.append((positions[name], name, action))
    if keys is None and any(a.needs_keys for _, _, a in plan):
        needing = [n for n, a in columns.items() if a.needs_keys]
        raise InvalidArgument(f"columns {needing} need keys: pass keys=privshare.spark.Keys(...)")
    text = list(columns)
    source = _string_types(df, text)
    return source.mapInArrow(_ProtectTask(plan, keys), _output_schema(df, text))


class _ReleaseTask:
    """The function ``mapInArrow`` runs to release rows: the generalizer as JSON (hierarchies and
    released classes' labels, no record), rebuilt once per task."""

    def __init__(self, generalizer_json: str, positions: List[int]) -> None:
        self.generalizer_json = generalizer_json
        self.positions = positions

    def __call__(self, batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        generalizer = Generalizer.from_json(self.generalizer_json)
        for batch in batches:
            columns = list(batch.columns)
            released = generalizer._generalize_buffers([columns[i] for i in self.positions])
            for i, (data, offsets) in zip(self.positions, released):
                wide = pa.Array.from_buffers(pa.large_string(), batch.num_rows,
                                             [None, pa.py_buffer(offsets), pa.py_buffer(data)])
                columns[i] = wide.cast(pa.string())
            yield pa.RecordBatch.from_arrays(columns, schema=_text_schema(batch.schema, self.positions))


def _collect_columns(df: Any, names: List[str]) -> Tuple[List[Any], List[int]]:
    """The named columns (pyarrow arrays) and the ``_n`` column of a small DataFrame, collected to
    the driver through Arrow when this pyspark can (``_collect_as_arrow``), else as rows."""
    import pyarrow as pa

    collect = getattr(df, "_collect_as_arrow", None)
    if collect is not None:
        batches = collect()
        if batches:
            table = pa.Table.from_batches(batches)
            return [table.column(n) for n in names], table.column("_n").to_pylist()
    rows = df.collect()
    return [pa.array([r[n] for r in rows], type=pa.string()) for n in names], [r["_n"] for r in rows]


def anonymize(df: Any, spec: Union[Dict[str, Any], str]) -> Tuple[Any, Dict[str, Any]]:
    """Anonymizes ``df`` as :func:`privshare.anonymize` would on the same rows; returns
    ``(released DataFrame, report)``.

    Spark counts the distinct combinations of the quasi-identifier and sensitive columns
    (``groupBy(...).count()``); the counts, not the rows, are collected to the driver, where the
    optimal search runs; the result (a generalizer: hierarchies, levels, released classes) is
    shipped to the executors, which release each row with ``mapInArrow``. Values are compared as
    text: each counted column is cast to a string and a null counts as the empty string. The
    released DataFrame has the columns of ``df`` in order (identifying ones dropped when the spec
    says ``drop_identifying``), quasi-identifiers as strings (``*`` in every one of a suppressed
    row), the others unchanged. Mondrian needs the rows, so ``"method": "mondrian"`` is refused
    (``InvalidArgument``); an infeasible spec raises :class:`privshare.AnonymizationInfeasible`.
    """
    from pyspark.sql import functions as F

    config = json.loads(spec) if isinstance(spec, str) else dict(spec)
    if config.get("method") == "mondrian":
        raise InvalidArgument("Mondrian needs the rows: run privshare.anonymize in memory; "
                              "privshare.spark.anonymize supports the optimal full-domain search only")
    roles = {a.get("name"): a.get("role") for a in config.get("attributes", []) if isinstance(a, dict)}
    counted = [c for c in df.columns if roles.get(c) in ("quasi_identifying", "sensitive")]
    qis = [c for c in counted if roles.get(c) == "quasi_identifying"]
    dropped = {c for c in df.columns if config.get("drop_identifying") and roles.get(c) == "identifying"}

    def text(c: str) -> Any:
        return F.coalesce(F.col(c).cast("string"), F.lit(""))

    aliases = [f"_c{i}" for i in range(len(counted))]
    groups = df.select([text(c).alias(a) for c, a in zip(counted, aliases)]).groupBy(aliases)
    columns, counts = _collect_columns(groups.agg(F.count(F.lit(1)).alias("_n")), aliases)
    report_json, generalizer_json = _native._anonymize_counts(
        list(df.columns), counted, columns, counts, json.dumps(config)
    )
    generalizer = Generalizer.from_json(generalizer_json)
    kept = [c for c in df.columns if c not in dropped]
    source = df.select([text(c).alias(c) if c in qis else F.col(c) for c in kept])
    positions = [kept.index(c) for c in generalizer.columns]
    released = source.mapInArrow(_ReleaseTask(generalizer_json, positions), _output_schema(source, qis))
    return released, json.loads(report_json)
