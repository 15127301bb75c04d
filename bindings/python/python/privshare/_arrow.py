"""pyarrow glue for the column methods (used by the native module; pyarrow is optional).

Input: the value bytes and the offsets (native-endian int32 / int64) are handed over as
memoryviews of exactly the array's slice of its buffers; the native module copies the values once
into memory it wipes after use (masking: one block at a time, into one reused buffer). Output: the
native module builds one ``bytes`` for the values and one for the offsets (masking: writes them
block by block); ``pyarrow.py_buffer`` wraps them without another copy. Nulls pass through: only
valid values are processed, and the output has nulls where the input had them.
"""

from __future__ import annotations

import sys
from typing import Any, List, Optional, Sequence, Tuple

from ._errors import InvalidArgument


class Shape:
    """What is needed to rebuild an output array in the caller's shape."""

    __slots__ = ("mask", "length")

    def __init__(self, mask: Any, length: int) -> None:
        self.mask = mask  # BooleanArray of the original validity, or None when there were no nulls
        self.length = length


def _kind(arr: Any, what: str) -> Tuple[bool, bool, Any]:
    """(wide, text, array) for a string/binary array; view types are cast to the large types."""
    import pyarrow as pa

    t = arr.type
    if pa.types.is_string(t):
        return False, True, arr
    if pa.types.is_binary(t):
        return False, False, arr
    if pa.types.is_large_string(t):
        return True, True, arr
    if pa.types.is_large_binary(t):
        return True, False, arr
    if getattr(pa.types, "is_string_view", lambda _t: False)(t):
        return True, True, arr.cast(pa.large_string())
    if getattr(pa.types, "is_binary_view", lambda _t: False)(t):
        return True, False, arr.cast(pa.large_binary())
    raise TypeError(f"{what} must be a pyarrow string or binary array, not {t}")


def unpack(arr: Any, what: str) -> Tuple[memoryview, memoryview, bool, bool, Shape]:
    """(view of the value bytes, view of the offsets' bytes (native-endian int32 / int64), wide
    offsets?, text?, shape) of a pyarrow array. Views, not copies: the native module copies what
    it needs (for masking, one block at a time)."""
    if hasattr(arr, "combine_chunks"):
        arr = arr.combine_chunks()
    wide, text, arr = _kind(arr, what)
    length = len(arr)
    mask = None
    if arr.null_count:
        mask = arr.is_valid()
        arr = arr.filter(mask)
    width = 8 if wide else 4
    n = len(arr)
    if n == 0:
        return memoryview(b""), memoryview(bytes(width)), wide, text, Shape(mask, length)
    _validity, offsets_buf, data_buf = arr.buffers()[:3]
    if offsets_buf is None or offsets_buf.size < (arr.offset + n + 1) * width:
        raise InvalidArgument(f"{what}: corrupt Arrow offsets")
    offsets = memoryview(offsets_buf).cast("B")[arr.offset * width : (arr.offset + n + 1) * width]
    first = int.from_bytes(offsets[:width], sys.byteorder, signed=True)
    last = int.from_bytes(offsets[n * width :], sys.byteorder, signed=True)
    if first < 0 or last < first or (data_buf is None and last > first) or (data_buf is not None and last > data_buf.size):
        raise InvalidArgument(f"{what}: corrupt Arrow offsets")
    if data_buf is not None and last > first:
        # A view, not a copy: the native module copies it once into memory it wipes after use.
        data = memoryview(data_buf).cast("B")[first:last]
    else:
        data = memoryview(b"")
    return data, offsets, wide, text, Shape(mask, length)


def pack(shape: Shape, data: bytes, offsets: bytes, wide: bool, text: bool, n: int, null_rows: List[int]) -> Any:
    """The output array: string or binary, 32- or 64-bit offsets, with the input's nulls and a
    null at each of ``null_rows`` (rows among the values handed to the core: on_invalid="null")."""
    import pyarrow as pa

    if text:
        typ = pa.large_string() if wide else pa.string()
    else:
        typ = pa.large_binary() if wide else pa.binary()
    if n == 0:
        out = pa.array([], type=typ)
    else:
        out = pa.Array.from_buffers(typ, n, [None, pa.py_buffer(offsets), pa.py_buffer(data)])
    if null_rows:
        import pyarrow.compute as pc

        valid = [True] * n
        for r in null_rows:
            valid[r] = False
        out = pc.if_else(pa.array(valid), out, pa.scalar(None, type=typ))
    if shape.mask is not None:
        import pyarrow.compute as pc

        out = pc.replace_with_mask(pa.nulls(shape.length, typ), shape.mask, out)
    return out


def original_row(shape: Shape, row: int) -> int:
    """The row in the caller's array of row ``row`` among its valid values."""
    if shape.mask is None:
        return row
    import pyarrow.compute as pc

    return int(pc.indices_nonzero(shape.mask)[row].as_py())


def original_rows(shape: Shape, rows: List[int]) -> List[int]:
    """:func:`original_row` of each of ``rows`` (ascending), in one pass."""
    if shape.mask is None:
        return list(rows)
    import pyarrow.compute as pc

    positions = pc.indices_nonzero(shape.mask)
    return [int(positions[r].as_py()) for r in rows]


def filter_like(records: Any, shape: Shape) -> Any:
    """Record ids for values whose null rows were dropped: drop the same rows."""
    if shape.mask is None:
        return records
    import pyarrow as pa

    if not hasattr(records, "filter"):
        records = pa.array(list(records))
    if len(records) != shape.length:
        raise InvalidArgument(f"{shape.length} values but {len(records)} record ids")
    return records.filter(shape.mask)


def chunk_pairs(values: Any, records: Optional[Sequence[Any]]) -> List[Tuple[Any, Any]]:
    """(chunk, records for that chunk) for a ChunkedArray of values."""
    chunks = list(values.chunks)
    if records is None:
        return [(c, None) for c in chunks]
    if len(records) != len(values):
        raise InvalidArgument(f"{len(values)} values but {len(records)} record ids")
    pairs = []
    base = 0
    for c in chunks:
        n = len(c)
        rec = records.slice(base, n) if hasattr(records, "slice") else records[base : base + n]
        pairs.append((c, rec))
        base += n
    return pairs


def chunked(outs: List[Any], values: Any, binary: bool) -> Any:
    """A ChunkedArray of the per-chunk outputs."""
    import pyarrow as pa

    if outs:
        types = {o.type for o in outs}
        if len(types) > 1:  # one chunk outgrew 32-bit offsets: widen all
            wide = pa.large_binary() if binary else pa.large_string()
            outs = [o.cast(wide) for o in outs]
        return pa.chunked_array(outs)
    return pa.chunked_array([], type=pa.binary() if binary else pa.string())
