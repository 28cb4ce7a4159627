"""The table path of [`review`][channelkit.review]: the review's sums from a frame, in columns.

[`frame_sums`][] computes what the model path's one pass (``engine._pass``) computes row by row,
the figures per partner and per territory in the period and the net sales per partner and per
territory in the prior period, as exact grouped sums, counts and distinct pairs of columns. The
review is then built from them by the same code as for models (``build.assemble``); no
``Transaction`` is built.

Imported by the review engine inside its table branch: it needs pyarrow (the ``frames`` extra),
which the package never imports otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final

import pyarrow as pa
import pyarrow.compute as pc

from channelkit.errors import CurrencyMismatchError
from channelkit.frames import TransactionFrame
from channelkit.numeric import CONTEXT
from channelkit.periods import Period
from channelkit.review.build import Acc, Sums
from channelkit.transactions import TransactionKind

__all__ = ["frame_sums"]

_ZERO: Final = Decimal(0)
_SALE: Final = TransactionKind.SALE.value
_RETURN: Final = TransactionKind.RETURN.value
_COUNT_ALL: Final = pc.CountOptions(mode="all")


def _currency(frame: TransactionFrame, read: pa.ChunkedArray) -> str | None:
    """The one currency of the rows ``read``, or the model path's error for the first in another.

    Raises
    ------
    CurrencyMismatchError
        ``CurrencyMismatchError(<first row's currency>, <its currency>, "transaction <id>")`` for
        the first row read (in input order) whose currency differs from the first row's.
    """
    if not frame.has("currency"):
        return frame.currency if pc.any(read).as_py() else None
    column = pc.filter(frame.column("currency"), read)
    if not len(column):
        return None
    first = column[0].as_py()
    other = pc.index(pc.not_equal(column, pa.scalar(first, pa.string())), True).as_py()
    if other < 0:
        return str(first)
    ids = pc.filter(frame.column("id"), read)
    raise CurrencyMismatchError(first, column[other].as_py(), f"transaction {ids[other].as_py()}")


def _sold(
    frame: TransactionFrame, key: str, sales: pa.ChunkedArray
) -> tuple[dict[Any, int], dict[Any, list[str]]]:
    """Orders and customers per value of column ``key`` among the rows ``sales`` chooses.

    The count of rows per value (null included), and each value's distinct customer ids (not
    null): the distinct pairs, sorted by value, cut into one run per value.
    """
    table = pa.table({"k": frame.column(key), "c": frame.column("customer_id")}).filter(sales)
    counts = table.group_by("k", use_threads=False).aggregate([("k", "count", _COUNT_ALL)])
    per_key = dict(
        zip(counts.column("k").to_pylist(), counts.column("k_count").to_pylist(), strict=True)
    )
    known = table.filter(pc.is_valid(table.column("c")))
    pairs = known.group_by(["k", "c"], use_threads=False).aggregate([]).sort_by("k")
    runs = pc.value_counts(pairs.column("k"))  # in order of appearance: sorted, null last
    customers = pairs.column("c").to_pylist()
    by_key: dict[Any, list[str]] = {}
    start = 0
    for k, n in zip(
        runs.field("values").to_pylist(), runs.field("counts").to_pylist(), strict=True
    ):
        by_key[k] = customers[start : start + n]
        start += n
    return per_key, by_key


def _figures(
    frame: TransactionFrame,
    key: str,
    name: Callable[[Any], Any],
    rows: pa.ChunkedArray,
    goods: pa.ChunkedArray,
    sales: pa.ChunkedArray,
) -> dict[Any, Acc]:
    """Each group's figures: an ``Acc`` per value of column ``key``, renamed by ``name``.

    Among the rows the mask ``rows`` chooses; of them, ``goods`` are the sales and returns and
    ``sales`` the sales.
    """
    out: dict[Any, Acc] = {}
    for (k, kind), total in frame.group_sums([key, "kind"], "amount", where=rows).items():
        acc = out.get(name(k))
        if acc is None:
            acc = out[name(k)] = Acc()
        if kind == _SALE:
            acc.gross = total
        elif kind == _RETURN:
            acc.returns = total
        else:
            acc.collections = total
    for (k, kind), units in frame.group_sums([key, "kind"], "quantity", where=goods).items():
        acc = out[name(k)]
        acc.units = (
            CONTEXT.add(acc.units, units) if kind == _SALE else CONTEXT.subtract(acc.units, units)
        )
    orders, customers = _sold(frame, key, sales)
    for k, n in orders.items():
        out[name(k)].orders = n
    for k, some in customers.items():
        out[name(k)].customers.update(some)
    return out


def _nets(
    frame: TransactionFrame, key: str, name: Callable[[Any], Any], goods: pa.ChunkedArray
) -> dict[Any, Decimal]:
    """Net sales (sales minus returns) per value of column ``key`` among the rows ``goods``."""
    out: dict[Any, Decimal] = {}
    for (k, kind), total in frame.group_sums([key, "kind"], "amount", where=goods).items():
        net = out.get(name(k), _ZERO)
        out[name(k)] = CONTEXT.add(net, total) if kind == _SALE else CONTEXT.subtract(net, total)
    return out


def _same(key: Any) -> Any:
    return key


def _territory(key: str | None) -> str:
    return key or ""


def frame_sums(frame: TransactionFrame, period: Period, prior: Period | None) -> Sums:
    """The review's sums of a frame: what ``engine._pass`` computes from the same rows as models.

    Payments count in the partner figures (collections), never in territory rows; a sale or
    return without a territory is grouped under ``""``; only a partner's sale covers a
    territory. Rows are chosen by masks, never copied whole.

    Raises
    ------
    CurrencyMismatchError
        Two rows read (dated in ``period`` or ``prior``) are in different currencies: the first
        row read and the first in another currency, as the model path names them.
    """
    now = frame.between(period.start, period.end)
    then = None if prior is None else frame.between(prior.start, prior.end)
    currency = _currency(frame, now if then is None else pc.or_(now, then))
    moving = frame.is_kind(_SALE, _RETURN)
    goods = pc.and_(now, moving)
    sales = pc.and_(now, frame.is_kind(_SALE))
    by_partner = _figures(frame, "partner_id", _same, now, goods, sales)
    by_territory = _figures(frame, "territory", _territory, goods, goods, sales)
    partner_sales = pc.and_(sales, pc.is_valid(frame.column("partner_id")))
    covered = pc.unique(pc.filter(frame.column("territory"), partner_sales))
    sold_in = {_territory(t) for t in covered.to_pylist()}
    prior_partner: dict[str | None, Decimal] = {}
    prior_territory: dict[str, Decimal] = {}
    if then is not None:
        moved = pc.and_(then, moving)
        prior_partner = _nets(frame, "partner_id", _same, moved)
        prior_territory = _nets(frame, "territory", _territory, moved)
    return Sums(currency, by_partner, by_territory, sold_in, prior_partner, prior_territory)
