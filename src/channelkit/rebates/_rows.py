"""The arguments programmes and buying groups read: ids, the period, the transactions.

Shared by ``programs`` and ``groups``: the transactions are read once (a table into a
``TransactionFrame``, an iterable into a checked list) and passed around as ``Rows``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

from pydantic import TypeAdapter, ValidationError

from channelkit._tables import frame_of, is_table
from channelkit.errors import ArgumentError, ArgumentTypeError
from channelkit.model import Id
from channelkit.periods import Period
from channelkit.transactions import Transaction

if TYPE_CHECKING:
    from typing import TypeAlias

    from channelkit.frames import TransactionFrame

    Rows: TypeAlias = list[Transaction] | TransactionFrame
    """The transactions the helpers pass around: models in a list, or a frame."""

__all__ = ["check_id", "check_period", "partner_rows", "read_rows"]

_ID: Final = TypeAdapter(Id)


def check_period(period: object) -> Period:
    """``period`` if it is a ``Period``, else an ``ArgumentTypeError`` naming it."""
    if not isinstance(period, Period):
        msg = f"period must be a Period, not {type(period).__name__}"
        raise ArgumentTypeError(msg, argument="period", value=period)
    return period


def check_id(value: object, name: str) -> str:
    """``value`` if it is a non-blank ``str``, else an argument error naming ``name``."""
    if not isinstance(value, str):
        msg = f"{name} must be a str, not {type(value).__name__}"
        raise ArgumentTypeError(msg, argument=name, value=value)
    try:
        _ID.validate_python(value)
    except ValidationError:
        msg = f"{name} must not be empty or blank, got {value!r}"
        raise ArgumentError(msg, argument=name, value=value) from None
    return value


def read_rows(transactions: object) -> Rows:
    """The transactions as a list of models (each checked) or, for a table, as a frame.

    A table goes through ``frames.transactions`` with its defaults (a bad row is a
    ``FrameError``); an iterable is read once, so a generator can be passed.
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
    items = list(transactions)
    for t in items:
        if not isinstance(t, Transaction):
            msg = f"transactions must hold Transaction objects only, got {type(t).__name__}"
            raise ArgumentTypeError(msg, argument="transactions", value=t)
    return items


def partner_rows(rows: Rows, ids: Iterable[str]) -> Rows:
    """The rows of the partners ``ids`` only (a list, or a frame filtered in columns)."""
    wanted = frozenset(ids)
    if isinstance(rows, list):
        return [t for t in rows if t.partner_id in wanted]
    import pyarrow as pa
    import pyarrow.compute as pc

    found = pc.is_in(rows.column("partner_id"), value_set=pa.array(sorted(wanted), pa.string()))
    return rows.filter(found)
