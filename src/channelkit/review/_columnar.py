"""The table path of [`review`][channelkit.review]: the review's sums from a frame, in columns.

[`frame_sums`][] computes what the model path's one pass (``engine._pass``) computes row by row.
The rows of the period are taken once and each row's share in every figure is made a column
(its amount where the kind is right, else 0; its quantity signed by the kind; 1 for a sale);
these columns are summed per partner and per territory, one aggregation each. The distinct
customers of the sales are counted per partner, per territory and over the slices made of
several partners (all, indirect, each partner kind), on the customer ids encoded once as
integers. The rows of the prior period are summed the same way for their net sales. Only these
aggregates reach Python; the review is then built from them by the same code as for models
(``build.assemble``), and no ``Transaction`` is built.

The sums are Arrow's exact decimal sums, used only where they are the model path's sums digit
for digit ([`exact_in_columns`][]: every sum fits 34 significant digits, as it does for amounts
of a few decimal places); otherwise the engine reads the frame's rows as models. Groups come in
order of first appearance, as the model path meets them.

Imported by the review engine inside its table branch: it needs pyarrow (the ``frames`` extra),
which the package never imports otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

import pyarrow as pa
import pyarrow.compute as pc

from channelkit.errors import CurrencyMismatchError
from channelkit.frames import TransactionFrame
from channelkit.numeric import MAX_DIGITS, MAX_MAGNITUDE
from channelkit.periods import Period
from channelkit.review.build import Acc, Customers, Sums
from channelkit.transactions import TransactionKind

__all__ = ["exact_in_columns", "frame_sums"]

_ZERO: Final = Decimal(0)
_SALE: Final = TransactionKind.SALE.value
_RETURN: Final = TransactionKind.RETURN.value
_SUM_ALL: Final = pc.ScalarAggregateOptions(min_count=0)
_READ: Final = ("partner_id", "territory", "kind", "amount", "quantity", "customer_id")
_FIGURES: Final = ("gross", "returns", "collections", "units")


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
    at = pc.index(read, True).as_py()
    if at < 0:
        return None
    codes = frame.column("currency")
    first = codes[at].as_py()
    other = pc.and_(read, pc.not_equal(codes, pa.scalar(first, pa.string())))
    if not pc.any(other).as_py():
        return str(first)
    row = pc.index(other, True).as_py()
    found, named = codes[row].as_py(), frame.column("id")[row].as_py()
    raise CurrencyMismatchError(first, found, f"transaction {named}")


def _decimals(column: pa.ChunkedArray) -> list[Decimal]:
    """A decimal column's values as ``Decimal``, exponent included, read through their text.

    Arrow writes a decimal as its unscaled digits and scale (``"12.50"``, ``"1.0E-30"``), which
    ``Decimal`` reads back to the same coefficient and exponent, at a fraction of the cost of
    building each value from Arrow's scalar.
    """
    return [Decimal(v) for v in pc.cast(column, pa.string()).to_pylist()]


def exact_in_columns(frame: TransactionFrame) -> bool:
    """Whether Arrow's decimal sums of ``frame`` are the model path's sums, digit for digit.

    They are when every sum fits 34 significant digits (``15 + digits(rows) + scale``, the
    values being below 10**15): the model path's arithmetic in ``CONTEXT`` is then exact too.
    Otherwise (a scale past about 12 places, or numbers kept as decimal text) the review reads
    the frame's rows as models.
    """
    for name in ("amount", "quantity"):
        t = frame.column(name).type
        if not pa.types.is_decimal(t):
            return False
        if MAX_MAGNITUDE + len(str(max(len(frame), 1))) + t.scale > MAX_DIGITS:
            return False
    return True


def _if(mask: pa.ChunkedArray, values: pa.ChunkedArray) -> pa.ChunkedArray:
    """``values`` where ``mask`` is true, else 0 (a null value stays null: a sum skips it)."""
    return pc.if_else(mask, values, pa.scalar(_ZERO, values.type))


def _sum_by(rows: pa.Table, key: str, shares: dict[str, pa.ChunkedArray]) -> pa.Table:
    """The exact sum of each column of ``shares`` per value of column ``key`` (as ``"k"``).

    The values come in order of first appearance, each sum under its name in ``shares``.
    """
    table = pa.table({"k": rows.column(key), **shares})
    grouped = table.group_by("k", use_threads=False).aggregate(
        [(name, "sum", _SUM_ALL) for name in shares]
    )
    return grouped.select([*(f"{name}_sum" for name in shares), "k"]).rename_columns([*shares, "k"])


def _figures(rows: pa.Table) -> tuple[dict[str | None, Acc], dict[str | None, Acc]]:
    """The figures of the period's ``rows`` per partner and per territory (``None`` as it is).

    Payments count in the partner figures only: a territory with only payments has no ``Acc``.
    """
    amounts, quantities = rows.column("amount"), rows.column("quantity")
    kind = rows.column("kind")
    sale, back = pc.equal(kind, _SALE), pc.equal(kind, _RETURN)
    goods = pc.or_(sale, back)
    shares = {
        "gross": _if(sale, amounts),
        "returns": _if(back, amounts),
        "collections": _if(pc.invert(goods), amounts),
        "units": pc.if_else(sale, quantities, _if(back, pc.negate(quantities))),
        "orders": sale,
        "goods": goods,
    }
    by_partner = _accs(_sum_by(rows, "partner_id", shares))
    del shares["collections"]
    by_territory = _accs(_sum_by(rows, "territory", shares), goods_only=True)
    return by_partner, by_territory


def _accs(grouped: pa.Table, *, goods_only: bool = False) -> dict[Any, Acc]:
    """An ``Acc`` per group of ``_figures``'s sums (``goods_only``: those with a sale or return)."""
    names = [name for name in _FIGURES if name in grouped.column_names]
    figures = zip(*(_decimals(grouped.column(name)) for name in names), strict=True)
    keys = grouped.column("k").to_pylist()
    orders = grouped.column("orders").to_pylist()
    goods = grouped.column("goods").to_pylist()
    out: dict[Any, Acc] = {}
    for k, values, sold, moved in zip(keys, figures, orders, goods, strict=True):
        if goods_only and not moved:
            continue
        acc = out[k] = Acc()
        for name, value in zip(names, values, strict=True):
            setattr(acc, name, value)
        acc.orders = sold
    return out


def _nets(rows: pa.Table) -> tuple[dict[str | None, Decimal], dict[str | None, Decimal]]:
    """Net sales (sales minus returns) per partner and per territory with a sale or return."""
    kind = rows.column("kind")
    sale, back = pc.equal(kind, _SALE), pc.equal(kind, _RETURN)
    amounts = rows.column("amount")
    shares = {
        "net": pc.if_else(sale, amounts, _if(back, pc.negate(amounts))),
        "goods": pc.or_(sale, back),
    }

    def nets(key: str) -> dict[str | None, Decimal]:
        grouped = _sum_by(rows, key, shares)
        found = zip(
            grouped.column("k").to_pylist(),
            _decimals(grouped.column("net")),
            grouped.column("goods").to_pylist(),
            strict=True,
        )
        return {k: net for k, net, moved in found if moved}

    return nets("partner_id"), nets("territory")


def _customers(
    sold: pa.Table,
    by_partner: Mapping[str | None, Acc],
    by_territory: Mapping[str | None, Acc],
    kinds: Mapping[str, Sequence[str]],
) -> Customers:
    """Set each partner's and territory's distinct customers, and count those of the unions.

    ``sold`` are the period's sales. Their customer ids are encoded once as integers (nulls
    stay null and are never counted): the dictionary's length is the number of all customers,
    and every other count is a count of distinct integers.
    """
    encoded = pc.dictionary_encode(sold.column("customer_id").combine_chunks())
    codes = pa.chunked_array([encoded.indices])
    partners = sold.column("partner_id")
    for key, accs in (("partner_id", by_partner), ("territory", by_territory)):
        counted = pa.table({"k": sold.column(key), "c": codes}).group_by("k", use_threads=False)
        counted = counted.aggregate([("c", "count_distinct")])
        for k, n in zip(
            counted.column("k").to_pylist(),
            counted.column("c_count_distinct").to_pylist(),
            strict=True,
        ):
            accs[k].customers = n

    def distinct(where: pa.ChunkedArray) -> int:
        return int(pc.count_distinct(pc.filter(codes, where)).as_py())

    return Customers(
        len(encoded.dictionary),
        distinct(pc.is_valid(partners)),
        {
            kind: distinct(pc.is_in(partners, pa.array(pids, pa.string())))
            for kind, pids in kinds.items()
        },
    )


def _named(figures: dict[str | None, Any]) -> dict[str, Any]:
    """Territory groups named as the review names them: a missing territory is ``""``."""
    return {key or "": value for key, value in figures.items()}


def frame_sums(
    frame: TransactionFrame,
    period: Period,
    prior: Period | None,
    kinds: Mapping[str, Sequence[str]],
) -> Sums:
    """The review's sums of a frame: what ``engine._pass`` computes from the same rows as models.

    Payments count in the partner figures (collections), never in territory rows; a sale or
    return without a territory is grouped under ``""``; only a partner's sale covers a
    territory. ``kinds`` lists the partner ids of each kind, whose customers are counted
    together. The period's rows and the prior period's are each taken once, in the columns
    read.

    Raises
    ------
    CurrencyMismatchError
        Two rows read (dated in ``period`` or ``prior``) are in different currencies: the first
        row read and the first in another currency, as the model path names them.
    """
    now = frame.between(period.start, period.end)
    then = None if prior is None else frame.between(prior.start, prior.end)
    currency = _currency(frame, now if then is None else pc.or_(now, then))
    table = pa.table({name: frame.column(name) for name in _READ})
    rows = table.filter(now)
    by_partner, by_territory = _figures(rows)
    sold = rows.select(["partner_id", "territory", "customer_id"]).filter(
        pc.equal(rows.column("kind"), _SALE)
    )
    customers = _customers(sold, by_partner, by_territory, kinds)
    covered = pc.unique(pc.filter(sold.column("territory"), pc.is_valid(sold.column("partner_id"))))
    prior_partner: dict[str | None, Decimal] = {}
    prior_territory: dict[str | None, Decimal] = {}
    if then is not None:
        before = table.select(["partner_id", "territory", "kind", "amount"]).filter(then)
        prior_partner, prior_territory = _nets(before)
    return Sums(
        currency,
        by_partner,
        _named(by_territory),
        {key or "" for key in covered.to_pylist()},
        prior_partner,
        _named(prior_territory),
        customers,
    )
