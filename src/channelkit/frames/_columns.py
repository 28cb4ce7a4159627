"""Column-level checks, made before any row is read: names, presence and types.

A table whose columns cannot be read (a required column missing, a floating-point number
column, a column of a type that cannot hold its field) is refused whole with a
:class:`~channelkit.errors.FrameError` that names the column and says how to fix it, in both
``errors`` modes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import pyarrow as pa
import pyarrow.compute as pc

from channelkit.errors import ArgumentError, ArgumentTypeError, FrameError
from channelkit.frames._schema import COLUMNS, NUMBERS, REQUIRED, is_decimal, is_text

__all__ = ["check_types", "sources"]

_CAST_NUMBER: Final = (
    "cast it to an exact type first, e.g. pyarrow.compute.cast(column, pyarrow.decimal128(38, 2)), "
    "or read it as text (dtype=str in pandas, schema_overrides={...: polars.String} in polars)"
)


def sources(table: pa.Table, columns: Mapping[str, str] | None) -> dict[str, str]:
    """Which input column holds each canonical column: ``{field: input name}``.

    ``columns`` renames (``{"inv_no": "id"}``); columns that are not canonical are ignored.

    Raises
    ------
    ArgumentError
        A key of ``columns`` that is not a column of the table, a value that is not a
        ``Transaction`` field nor ``currency``, or two input columns read as one field.
    """
    names = list(table.column_names)
    if columns is None:
        columns = {}
    elif not isinstance(columns, Mapping):
        msg = (
            f"columns must be a mapping of input names to field names, got {type(columns).__name__}"
        )
        raise ArgumentTypeError(msg, argument="columns", value=columns)
    for source, target in columns.items():
        if source not in names:
            msg = f"columns: {source!r} is not a column of the table (its columns: {names})"
            raise ArgumentError(msg, argument="columns", value=dict(columns))
        if target not in COLUMNS:
            msg = (
                f"columns: {source!r} is renamed to {target!r}, which is not a Transaction field "
                f"nor 'currency' (expected one of {list(COLUMNS)})"
            )
            raise ArgumentError(msg, argument="columns", value=dict(columns))
    found: dict[str, str] = {}
    renamed = set(columns.values())
    for name in names:
        if name in columns:
            target = columns[name]
        elif name in renamed:  # another column is renamed to this one's name: it wins
            continue
        else:
            target = name
        if target not in COLUMNS:
            continue
        if target in found:
            msg = f"columns: both {found[target]!r} and {name!r} would be read as {target!r}"
            raise ArgumentError(msg, argument="columns", value=dict(columns))
        found[target] = name
    return found


def _kind(t: pa.DataType) -> str:
    if pa.types.is_dictionary(t):
        return _kind(t.value_type)
    if pa.types.is_null(t):
        return "null"
    if is_text(t):
        return "text"
    if pa.types.is_floating(t):
        return "float"
    if pa.types.is_integer(t):
        return "integer"
    if is_decimal(t):
        return "decimal"
    if pa.types.is_date(t):
        return "date"
    if pa.types.is_timestamp(t):
        return "timestamp" if t.tz is None else "zoned"
    return "other"


_ACCEPTED: Final = {
    "date": (
        {"null", "text", "date", "timestamp"},
        "a date, a timestamp without time zone or ISO text",
    ),
    "number": ({"null", "text", "integer", "decimal"}, "an exact number: decimal, integer or text"),
    "text": (
        {"null", "text"},
        "text (cast it with pyarrow.compute.cast(column, pyarrow.string()))",
    ),
}


def _decode(col: pa.ChunkedArray) -> pa.ChunkedArray:
    """A dictionary column's values (as ``string`` when they are text: polars sends views)."""
    value_type = col.type.value_type
    target = pa.string() if is_text(value_type) else value_type
    chunks = [pc.take(pc.cast(chunk.dictionary, target), chunk.indices) for chunk in col.chunks]
    return pa.chunked_array(chunks, target)


def check_types(table: pa.Table, found: Mapping[str, str]) -> dict[str, pa.ChunkedArray]:
    """Check presence and types; return each canonical column's input, dictionaries decoded.

    Raises
    ------
    FrameError
        A required column is missing, a number column is floating point, or a column has a
        type its field cannot be read from. ``rejected`` is ``None``: no row was read.
    """
    for name in REQUIRED:
        if name not in found:
            msg = (
                f"{name}: the table has no {name!r} column (required; its columns: "
                f"{table.column_names}; rename one with columns={{...: {name!r}}})"
            )
            raise FrameError(msg)
    out: dict[str, pa.ChunkedArray] = {}
    for name in COLUMNS:
        if name not in found:
            continue
        source = found[name]
        col = table.column(source)
        kind = _kind(col.type)
        group = "date" if name == "date" else "number" if name in NUMBERS else "text"
        if group == "number" and kind == "float":
            msg = (
                f"{source}: column is {col.type} (floating point), which cannot hold {name} "
                f"exactly; {_CAST_NUMBER}"
            )
            raise FrameError(msg)
        accepted, what = _ACCEPTED[group]
        if kind not in accepted:
            msg = f"{source}: column is {col.type}; {name} needs {what}"
            raise FrameError(msg)
        if pa.types.is_dictionary(col.type):
            col = _decode(col)
        out[name] = col
    return out
