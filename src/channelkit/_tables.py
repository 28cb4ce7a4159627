"""How a calculator tells a table from models, without importing pyarrow.

Every calculator that takes transactions also takes a table in their place (API.md, "Tables in,
tables out"): a [`TransactionFrame`][channelkit.frames.TransactionFrame] or any Arrow-compatible
table (pyarrow, pandas >= 2.2, polars, duckdb). pyarrow is optional and the package root never
imports ``channelkit.frames``, so an area recognises a table by its type alone
([`is_table`][]: one ``hasattr`` on the type, nothing measurable on the model path) and reaches
``channelkit.frames`` only inside its table branch, through [`frame_of`][].

This module sits beside ``frames`` (layer 2): the areas above read tables through it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol, cast

from channelkit.errors import ArgumentTypeError
from channelkit.transactions import Transaction

if TYPE_CHECKING:
    from channelkit.frames import TransactionFrame

__all__ = ["TableLike", "frame_of", "is_array", "is_table", "rows_or_frame"]


class TableLike(Protocol):
    """The type of a table a calculator takes: anything with the Arrow stream interface."""

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        """An Arrow C stream of the table's rows (the Arrow PyCapsule interface)."""
        ...  # pragma: no cover - a protocol


_INSTALL = "pip install 'channelkit[frames]'"


def is_table(value: object) -> bool:
    """Whether ``value`` is a table: its type has the Arrow stream interface.

    That is ``__arrow_c_stream__``: a pyarrow ``Table`` or ``RecordBatchReader``, a pandas >= 2.2
    or polars ``DataFrame``, a duckdb relation, a ``TransactionFrame``.

    Examples
    --------
    >>> is_table([]), is_table(())
    (False, False)
    """
    return hasattr(type(value), "__arrow_c_stream__")


def frame_of(table: object) -> TransactionFrame:
    """``table`` as a validated frame: ``frames.transactions(table)`` with its defaults.

    A ``TransactionFrame`` is returned as it is. A rejected row raises
    [`FrameError`][channelkit.FrameError], as ``frames.transactions`` does.

    Raises
    ------
    FrameError
        A column cannot be read or a row breaks a rule of ``Transaction``.
    ArgumentError
        The table has no ``currency`` column (build a frame with
        ``frames.transactions(table, currency=...)`` and pass that); an
        [`ArgumentTypeError`][channelkit.ArgumentTypeError] naming ``transactions`` when its
        stream is not of rows (a pyarrow ``ChunkedArray``, a polars ``Series``).
    ImportError
        pyarrow is not installed (the ``frames`` extra).
    """
    try:
        from channelkit import frames
    except ImportError as err:  # pragma: no cover - depends on the environment
        msg = (
            f"a table of transactions ({type(table).__name__}) needs the frames extra, which "
            f"brings pyarrow: {_INSTALL}"
        )
        raise ImportError(msg) from err
    try:
        frame: TransactionFrame = frames.transactions(table)
    except ArgumentTypeError as err:  # an Arrow stream of something else than rows
        raise ArgumentTypeError(
            str(err).replace("data must be", "transactions must be", 1),
            argument="transactions",
            value=table,
        ) from None
    return frame


def rows_or_frame(transactions: object) -> Iterable[Transaction] | TransactionFrame:
    """``transactions`` as a calculator reads them: a table as a frame, an iterable as it is.

    The items of an iterable are checked where it is read, one by one.

    Raises
    ------
    ArgumentTypeError
        ``transactions`` is neither a table nor an iterable (a single ``Transaction``, a
        ``str`` or ``bytes`` included).
    FrameError, ArgumentError, ImportError
        As [`frame_of`][] raises them for a table.

    Examples
    --------
    >>> rows_or_frame([])
    []
    >>> rows_or_frame("T1")
    Traceback (most recent call last):
    ...
    channelkit.errors.ArgumentTypeError: transactions must be an iterable ... not str
    """
    if is_table(transactions):
        return frame_of(transactions)
    if isinstance(transactions, Transaction | str | bytes) or not isinstance(
        transactions, Iterable
    ):
        msg = (
            "transactions must be an iterable of Transaction or a table, not "
            f"{type(transactions).__name__}"
        )
        raise ArgumentTypeError(msg, argument="transactions", value=transactions)
    return cast("Iterable[Transaction]", transactions)


def is_array(value: object) -> bool:
    """Whether ``value`` is a pyarrow ``Array``/``ChunkedArray`` or a numpy integer array.

    Those are the bases ``rebate_amounts`` computes in columns. A ``list`` costs one type
    comparison; nothing is imported.

    Examples
    --------
    >>> is_array([1, 2]), is_array((1, 2))
    (False, False)
    """
    kind = type(value)
    if kind is list or kind is tuple:
        return False
    module = kind.__module__
    if module.startswith("pyarrow"):
        pa = sys.modules.get("pyarrow")
        return pa is not None and isinstance(value, pa.Array | pa.ChunkedArray)
    if module == "numpy":
        dtype = getattr(value, "dtype", None)
        return hasattr(value, "__array__") and getattr(dtype, "kind", "") in ("i", "u")
    return False
