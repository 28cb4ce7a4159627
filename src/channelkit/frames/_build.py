"""``transactions``: a table or models in, a validated :class:`TransactionFrame` out."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Final, Literal

import pyarrow as pa
import pyarrow.compute as pc

from channelkit.currencies import CURRENCIES
from channelkit.errors import ArgumentError, FrameError
from channelkit.frames._checks import Checks
from channelkit.frames._columns import check_types, sources
from channelkit.frames._frame import TransactionFrame
from channelkit.frames._input import as_table, read_table
from channelkit.frames._rows import check_rows

__all__ = ["read_transactions", "transactions"]

_SHOWN: Final = 5


def transactions(
    data: object,
    *,
    columns: Mapping[str, str] | None = None,
    currency: str | None = None,
    errors: Literal["raise", "split"] = "raise",
) -> Any:
    """Validate a table of transactions (or ``Transaction`` models) into a frame.

    Parameters
    ----------
    data
        Anything with ``__arrow_c_stream__`` (a pyarrow ``Table`` or ``RecordBatchReader``, a
        pandas >= 2.2 or polars ``DataFrame``, a duckdb relation, a ``TransactionFrame``) or an
        iterable of :class:`~channelkit.Transaction`.
    columns
        Renames, input name to field name (``{"inv_no": "id"}``). Columns that are not
        ``Transaction`` fields (nor ``currency``) are ignored.
    currency
        The currency of every row, for a table without a ``currency`` column.
    errors
        ``"raise"``: any rejected row raises :class:`~channelkit.FrameError`. ``"split"``: return
        ``(frame, rejected)``.

    Returns
    -------
    TransactionFrame or tuple of (TransactionFrame, pyarrow.Table)
        The valid rows in input order; with ``errors="split"`` also the rejected rows: the input's
        own columns plus ``row`` (``int64``, 0-based in the input) and ``reason`` (``string``).

    Raises
    ------
    FrameError
        A required column (``id``, ``partner_id``, ``date``, ``kind``, ``amount``) is missing, a
        number column is floating point or a column has a type its field cannot be read from
        (``rejected`` is ``None``; in both modes); or, with ``errors="raise"``, a row breaks a
        rule: the message gives the count and the first five, ``rejected`` holds every one.
    ArgumentError
        ``currency=`` together with a currency column (or models), an unknown currency, bad
        ``columns`` or ``errors``, or no currency at all.
    ArgumentTypeError
        ``data`` is not a table nor an iterable of ``Transaction``.

    Notes
    -----
    Each row is checked against every rule :class:`~channelkit.Transaction` enforces, in bulk;
    a row breaking several is rejected once, for the first in field order, with a reason such
    as ``amount: must be positive (value -5.00)``. Of rows sharing an
    id, the first is kept and every later one rejected.

    Examples
    --------
    >>> import pyarrow as pa
    >>> table = pa.table({"inv_no": ["A1", "A2", "A1"], "partner_id": ["D1", "D1", "D2"],
    ...                   "date": ["2026-07-01", "2026-07-02", "2026-07-03"],
    ...                   "kind": ["sale", "sale", "sale"], "amount": ["100.00", "-5.00", "7"]})
    >>> frame, rejected = transactions(table, columns={"inv_no": "id"}, currency="CNY",
    ...                                errors="split")
    >>> len(frame)
    1
    >>> for row, reason in zip(rejected["row"].to_pylist(), rejected["reason"].to_pylist()):
    ...     print(row, reason)
    1 amount: must be positive (value -5.00)
    2 inv_no: duplicates the id of row 0 (value 'A1')
    """
    if errors not in ("raise", "split"):
        msg = f"errors must be 'raise' or 'split', got {errors!r}"
        raise ArgumentError(msg, argument="errors", value=errors)
    if isinstance(data, TransactionFrame) and columns is None and currency is None:
        return data if errors == "raise" else (data, _no_rows(data.to_arrow()))
    table, from_models = as_table(data)
    table = _without_views(table)
    if from_models and (columns is not None or currency is not None):
        name = "columns" if columns is not None else "currency"
        msg = f"{name}= does not apply to Transaction models (they carry their own fields)"
        raise ArgumentError(msg, argument=name, value=columns if columns is not None else currency)
    found = sources(table, columns)
    cols = check_types(table, found)
    if currency is not None:
        if "currency" in found:
            msg = (
                f"currency={currency!r} was given but the table has a currency column "
                f"({found['currency']!r}): use one or the other"
            )
            raise ArgumentError(msg, argument="currency", value=currency)
        if currency not in CURRENCIES:
            msg = (
                f"unknown currency {currency!r}: expected an upper-case ISO 4217 code such as 'CNY'"
            )
            raise ArgumentError(msg, argument="currency", value=currency)
    elif "currency" not in found and table.num_rows:
        msg = (
            "currency: the table has no currency column: pass currency= (such as "
            "currency='CNY') or add a 'currency' column"
        )
        raise FrameError(msg)
    checks = Checks(table.num_rows)
    out = check_rows(cols, found, checks)
    ok = checks.ok()
    if ok is not None:
        out = {name: col.filter(ok) for name, col in out.items()}
    frame = TransactionFrame._make(pa.table(out), currency)
    rejected = _rejected(table, checks, ok)
    if errors == "split":
        return frame, rejected
    if rejected.num_rows:
        raise FrameError(_message(rejected, table.num_rows), rejected=rejected)
    return frame


def _without_views(table: pa.Table) -> pa.Table:
    """``table`` with its text views (``string_view``, as polars sends text) as ``large_string``.

    Some Arrow kernels take no views (``match_substring_regex`` for numbers read as text,
    ``take`` when the rejected rows are filtered), so views are read as plain text at once.
    """
    for i, field in enumerate(table.schema):
        if hasattr(pa.types, "is_string_view") and pa.types.is_string_view(field.type):
            table = table.set_column(i, field.name, pc.cast(table.column(i), pa.large_string()))
    return table


def _no_rows(table: pa.Table) -> pa.Table:
    return (
        table.slice(0, 0)
        .append_column("row", pa.array([], pa.int64()))
        .append_column("reason", pa.array([], pa.string()))
    )


def _rejected(table: pa.Table, checks: Checks, ok: pa.ChunkedArray | None) -> pa.Table:
    if ok is None:
        return _no_rows(table)
    rows, reasons = checks.reasons()
    return (
        table.filter(pc.invert(ok))
        .append_column("row", rows)
        .append_column("reason", pa.array(reasons, pa.string()))
    )


def _message(rejected: pa.Table, total: int) -> str:
    count = rejected.num_rows
    rows = rejected.column("row").slice(0, _SHOWN).to_pylist()
    reasons = rejected.column("reason").slice(0, _SHOWN).to_pylist()
    head = f"{count} of {total} rows rejected" if count > 1 else f"1 of {total} rows rejected"
    shown = "the first five" if count > _SHOWN else "every one"
    lines = [f"  row {r}: {reason}" for r, reason in zip(rows, reasons, strict=True)]
    return f"{head} ({shown} below; FrameError.rejected holds them all):\n" + "\n".join(lines)


def read_transactions(
    path: str | os.PathLike[str],
    *,
    columns: Mapping[str, str] | None = None,
    currency: str | None = None,
    errors: Literal["raise", "split"] = "raise",
) -> Any:
    """Read a ``.csv`` or ``.parquet`` file of transactions into a frame.

    A CSV file is read as text: an empty field is null, numbers are parsed exactly (never
    through floating point) and dates are ISO (``2026-07-01``). The options and the result are
    those of :func:`transactions`.

    Raises
    ------
    ArgumentError
        For a path that does not end in ``.csv`` or ``.parquet``; and as :func:`transactions`.
    """
    return transactions(read_table(path), columns=columns, currency=currency, errors=errors)
