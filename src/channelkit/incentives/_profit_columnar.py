"""The table path of [`profitability`][channelkit.incentives.profitability], in columns.

[`frame_sums`][] computes what the model path's pass (``_profit_build.model_sums``) computes
row by row: each partner's net sales and net cost of goods in the period as exact grouped sums
of the decimal columns, the partners with a sale or return lacking its cost, and the partners
with any transaction in the period. The report is then built from them by the same code as for
models; no ``Transaction`` is built.

Imported by ``profitability`` inside its table branch: it needs pyarrow (the ``frames`` extra),
which the package never imports otherwise.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

import pyarrow as pa
import pyarrow.compute as pc

from channelkit._tables import frame_of
from channelkit.errors import CurrencyMismatchError
from channelkit.frames import TransactionFrame, transactions
from channelkit.frames._input import as_table
from channelkit.incentives._profit_build import Sums
from channelkit.numeric import CONTEXT
from channelkit.periods import Period
from channelkit.transactions import TransactionKind

__all__ = ["frame_sums", "read_frame"]

_ZERO: Final = Decimal(0)
_SALE: Final = TransactionKind.SALE.value
_RETURN: Final = TransactionKind.RETURN.value


def read_frame(table: object, currency: str | None) -> TransactionFrame:
    """``table`` as a frame; ``currency`` is the currency of a table without a currency column.

    A frame, or a table with its own currency column, is read as every calculator reads it.
    """
    if currency is None or isinstance(table, TransactionFrame):
        return frame_of(table)
    data, _ = as_table(table)
    if "currency" in data.column_names:
        return frame_of(data)
    frame: TransactionFrame = transactions(data, currency=currency)
    return frame


def _currency(frame: TransactionFrame, read: pa.ChunkedArray, expected: str | None) -> str | None:
    """The one currency of the rows ``read``, or the model path's error for the first other.

    The rows must be in ``expected`` when it is given, else in the first row's currency.

    Raises
    ------
    CurrencyMismatchError
        ``CurrencyMismatchError(<expected or first currency>, <other>, "transaction <id>")`` for
        the first row read, in input order, in another currency.
    """
    if not pc.any(read).as_py():
        return expected
    if frame.has("currency"):
        column = pc.filter(frame.column("currency"), read)
        first = expected if expected is not None else column[0].as_py()
        other = pc.index(pc.not_equal(column, pa.scalar(first, pa.string())), True).as_py()
        if other < 0:
            return str(first)
        found = column[other].as_py()
    else:  # one currency for every row: the frame's own
        found = first = str(frame.currency)
        if expected is None or found == expected:
            return found
        first, other = expected, 0
    ids = pc.filter(frame.column("id"), read)
    raise CurrencyMismatchError(first, found, f"transaction {ids[other].as_py()}")


def _signed(sums: dict[tuple[str | None, str], Decimal]) -> dict[str | None, Decimal]:
    """Sales minus returns per partner, from sums keyed by ``(partner_id, kind)``."""
    out: dict[str | None, Decimal] = {}
    for (pid, kind), total in sums.items():
        value = out.get(pid, _ZERO)
        # CONTEXT keeps 34 digits, as a model's running sum does (a sum may carry the scale
        # of a wide column: its trailing zeros are not digits a result may hold)
        out[pid] = CONTEXT.add(value, total) if kind == _SALE else CONTEXT.subtract(value, total)
    return out


def frame_sums(frame: TransactionFrame, period: Period, expected: str | None) -> Sums:
    """The sums of a frame: what ``model_sums`` computes from the same rows as models.

    Rows are chosen by masks, never copied whole; amounts and costs are summed exactly per
    ``(partner_id, kind)`` among the sales and returns dated in ``period``.

    Raises
    ------
    CurrencyMismatchError
        A row dated in ``period`` is not in ``expected`` (or, without it, in the first such
        row's currency): the first in input order, as the model path names it.
    """
    now = frame.between(period.start, period.end)
    currency = _currency(frame, now, expected)
    goods = pc.and_(now, frame.is_kind(_SALE, _RETURN))
    keys = ["partner_id", "kind"]
    net = dict.fromkeys(pc.unique(pc.filter(frame.column("partner_id"), now)).to_pylist(), _ZERO)
    net.update(_signed(frame.group_sums(keys, "amount", where=goods)))
    cogs = _signed(frame.group_sums(keys, "cost", where=goods))
    lacking = pc.and_(goods, pc.is_null(frame.column("cost")))
    missing = set(pc.unique(pc.filter(frame.column("partner_id"), lacking)).to_pylist())
    return Sums(currency, net, cogs, missing)
