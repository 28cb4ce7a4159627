"""What ``transactions`` accepts: Arrow-compatible tables, iterables of models, and files.

Anything with the Arrow PyCapsule stream interface (``__arrow_c_stream__``: a pyarrow ``Table``
or ``RecordBatchReader``, a pandas >= 2.2 or polars ``DataFrame``, a duckdb relation) is read as
one Arrow table; an iterable of :class:`~channelkit.Transaction` becomes the canonical table of
its rows; ``.csv`` and ``.parquet`` files are read by :func:`read_table`.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path

import pyarrow as pa

from channelkit.errors import ArgumentError, ArgumentTypeError
from channelkit.frames._schema import COLUMNS, MONEY, decimal_type_of
from channelkit.transactions import Transaction

__all__ = ["as_table", "read_table", "table_of"]


def as_table(data: object) -> tuple[pa.Table, bool]:
    """``data`` as one Arrow table, and whether it came from ``Transaction`` models.

    Raises
    ------
    ArgumentTypeError
        ``data`` is neither Arrow-compatible nor an iterable of ``Transaction``.
    """
    if isinstance(data, pa.Table):
        return data, False
    if isinstance(data, pa.RecordBatchReader):
        return data.read_all(), False
    if isinstance(data, pa.RecordBatch):
        return pa.Table.from_batches([data]), False
    if hasattr(data, "__arrow_c_stream__"):
        try:
            reader = pa.RecordBatchReader.from_stream(data)
        except (pa.ArrowException, TypeError, ValueError) as err:  # a column: not rows
            msg = f"data must be a table (a stream of rows), not a {type(data).__name__}: {err}"
            raise ArgumentTypeError(msg, argument="data", value=data) from None
        return reader.read_all(), False
    if isinstance(data, Iterable) and not isinstance(data, str | bytes | Mapping):
        items = list(data)
        for i, item in enumerate(items):
            if not isinstance(item, Transaction):
                msg = (
                    f"data[{i}] is a {type(item).__name__}, not a Transaction: pass an "
                    f"Arrow-compatible table or an iterable of Transaction{_hint(data)}"
                )
                raise ArgumentTypeError(msg, argument="data", value=item)
        return table_of(items), True
    msg = (
        "data must be an Arrow-compatible table (with __arrow_c_stream__: pyarrow, pandas >= 2.2, "
        f"polars, duckdb) or an iterable of Transaction, got {type(data).__name__}{_hint(data)}"
    )
    raise ArgumentTypeError(msg, argument="data", value=data)


def _hint(data: object) -> str:
    if type(data).__module__.startswith("pandas"):
        return " (pandas before 2.2 has no Arrow stream: upgrade, or pass pyarrow.table(df))"
    return ""


def table_of(items: list[Transaction]) -> pa.Table:
    """The canonical table of ``items`` (one row each, in order; currency from ``amount``)."""
    cols: dict[str, list[object]] = {name: [] for name in COLUMNS}
    for t in items:
        for name in COLUMNS[:-1]:
            v = getattr(t, name)
            if name in MONEY:
                v = None if v is None else v.amount
            elif name == "kind":
                v = v.value
            cols[name].append(v)
        cols["currency"].append(t.amount.currency)
    arrays: dict[str, pa.Array] = {}
    for name, values in cols.items():
        if name in (*MONEY, "quantity"):
            present = [v for v in values if isinstance(v, Decimal)]
            arrays[name] = _decimals(values, decimal_type_of(present))
        elif name == "date":
            arrays[name] = pa.array(values, pa.date32())
        else:
            arrays[name] = pa.array(values, pa.string())
    return pa.table(arrays)


def _decimals(values: list[object], t: pa.DataType) -> pa.Array:
    if pa.types.is_string(t):
        return pa.array([None if v is None else f"{v:f}" for v in values], t)
    return pa.array(values, t)


def read_table(path: str | os.PathLike[str]) -> pa.Table:
    """Read a ``.csv`` (every field as text, an empty field null) or ``.parquet`` file.

    Raises
    ------
    ArgumentError
        For any other suffix.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.read_table(p)
    if suffix == ".csv":
        from pyarrow import csv as pacsv

        with p.open(encoding="utf-8-sig", newline="") as f:
            header = next(csv.reader(f), [])
        text = dict.fromkeys(header, pa.string())
        return pacsv.read_csv(
            p,
            convert_options=pacsv.ConvertOptions(
                column_types=text,
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
                null_values=[""],
            ),
        )
    msg = f"path must name a .csv or .parquet file, got {str(path)!r}"
    raise ArgumentError(msg, argument="path", value=path)
