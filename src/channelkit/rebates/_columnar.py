"""The table path of [`settle`][channelkit.settle] and [`settle_all`][channelkit.settle_all].

[`frame_sums`][] computes, in columns, what the model path's one pass computes row by row: per
partner, the sales, returns and collections in the period and the policy's scope, and the net
units; the settlement module then settles each partner from these sums with the same code as
for models (``_settle_one``). Only the settlements are built as models, never the transactions.

Imported by the settlement module inside its table branch: it needs pyarrow (the ``frames``
extra), which the package never imports otherwise.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

import pyarrow as pa
import pyarrow.compute as pc

from channelkit.errors import CurrencyMismatchError
from channelkit.frames import TransactionFrame
from channelkit.numeric import CONTEXT
from channelkit.periods import Period
from channelkit.rebates.models import RebatePolicy, Scope
from channelkit.transactions import TransactionKind

__all__ = ["check_currency", "frame_sums", "scope_mask"]

_ZERO: Final = Decimal(0)
_SLOT: Final = {
    TransactionKind.SALE.value: 0,
    TransactionKind.RETURN.value: 1,
    TransactionKind.PAYMENT.value: 2,
}
_SALE: Final = TransactionKind.SALE.value


def _within(column: pa.ChunkedArray, values: frozenset[str]) -> pa.ChunkedArray:
    """A mask of the rows whose ``column`` is one of ``values`` (a null is not)."""
    found = pc.is_in(column, value_set=pa.array(sorted(values), pa.string()))
    return pc.fill_null(found, False)


def scope_mask(scope: Scope, frame: TransactionFrame) -> pa.ChunkedArray | None:
    """The rows ``scope.contains`` lets through, as a mask (``None``: every row).

    The same rules as ``Scope.contains``: the SKU fields filter sales and returns only, a row
    without the field a scope names is out, ``exclude_skus`` wins over ``skus``.
    """
    if scope.everything:
        return None
    mask: pa.ChunkedArray | None = None

    def both(more: pa.ChunkedArray) -> pa.ChunkedArray:
        return more if mask is None else pc.and_(mask, more)

    if scope.skus is not None or scope.exclude_skus:
        payment = frame.is_kind(TransactionKind.PAYMENT)
        sku = frame.column("sku")
        if scope.skus is not None:
            mask = both(pc.or_(payment, _within(sku, scope.skus)))
        if scope.exclude_skus:
            mask = both(pc.or_(payment, pc.invert(_within(sku, scope.exclude_skus))))
    if scope.territories is not None:
        mask = both(_within(frame.column("territory"), scope.territories))
    if scope.customers is not None:
        mask = both(_within(frame.column("customer_id"), scope.customers))
    return mask


def check_currency(frame: TransactionFrame, currency: str, rows: pa.ChunkedArray) -> None:
    """Raise the model path's error for the first row ``rows`` chooses in another currency.

    Raises
    ------
    CurrencyMismatchError
        ``CurrencyMismatchError(currency, <its currency>, "transaction <its id>")``, as the
        model path raises it for the same row (the first in input order).
    """
    if not frame.has("currency"):
        if frame.currency == currency or not pc.any(rows).as_py():
            return
        other = rows
    else:
        other = pc.and_(rows, pc.not_equal(frame.column("currency"), currency))
    first = pc.index(pc.fill_null(other, False), True).as_py()
    if first < 0:
        return
    raise CurrencyMismatchError(
        currency,
        frame.column("currency")[first].as_py(),
        f"transaction {frame.column('id')[first].as_py()}",
    )


def frame_sums(
    policy: RebatePolicy, frame: TransactionFrame, period: Period, only: str | None = None
) -> dict[str, list[Decimal]]:
    """``[sales, returns, collections, net units]`` per partner in the period and scope.

    The model path's ``_sums`` for a frame: the same rows counted (a partner's, ``only``'s when
    given, dated in the half-open period, in the policy's scope), the same currency check, the
    same figures, summed exactly in columns.

    Raises
    ------
    CurrencyMismatchError
        A row that counts is in another currency than the policy's (the first such row).
    """
    partner = frame.column("partner_id")
    counted = pc.is_valid(partner) if only is None else pc.equal(partner, only)
    mask = pc.and_(frame.between(period.start, period.end), counted)
    in_scope = scope_mask(policy.scope, frame)
    if in_scope is not None:
        mask = pc.and_(mask, in_scope)
    check_currency(frame, policy.currency, mask)
    acc: dict[str, list[Decimal]] = {}
    for (pid, kind), total in frame.group_sums(
        ["partner_id", "kind"], "amount", where=mask
    ).items():
        a = acc.get(pid)
        if a is None:
            a = acc[pid] = [_ZERO, _ZERO, _ZERO, _ZERO]
        a[_SLOT[kind]] = total
    goods = pc.and_(mask, frame.is_kind(TransactionKind.SALE, TransactionKind.RETURN))
    for (pid, kind), units in frame.group_sums(
        ["partner_id", "kind"], "quantity", where=goods
    ).items():
        a = acc[pid]
        a[3] = CONTEXT.add(a[3], units) if kind == _SALE else CONTEXT.subtract(a[3], units)
    return acc
