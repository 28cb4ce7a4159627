"""The table path of [`settle`][channelkit.settle] and [`settle_all`][channelkit.settle_all].

[`frame_sums`][] computes, in columns, what the model path's one pass computes row by row: per
partner, the sales, returns and collections in the period and the policy's scope, and the net
units; the net cost of goods (MARGIN) and the per-transaction tallies (``per=TRANSACTION``,
grouped by the bracket each row's own figure reaches); the settlement module then settles each
partner from these sums with the same code as for models (``_settle_one``). Only the
settlements are built as models, never the transactions. Paid sales (matching payments to the
sales they name) read the few rows they need into the records of ``_paid`` and share the model
path's code.

Imported by the settlement module inside its table branch: it needs pyarrow (the ``frames``
extra), which the package never imports otherwise.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Final

import pyarrow as pa
import pyarrow.compute as pc

from channelkit.errors import CurrencyMismatchError
from channelkit.frames import TransactionFrame
from channelkit.frames._schema import tidy
from channelkit.numeric import CONTEXT
from channelkit.periods import Period
from channelkit.rebates import _per_transaction as per_transaction
from channelkit.rebates._figures import COST, MORE, PAID, missing_cost, uses, width
from channelkit.rebates._paid import Record, paid_sales
from channelkit.rebates.models import RebateBasis, RebatePolicy, Scope
from channelkit.rebates.plan import Plan, plan_of
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

    The same rules as ``Scope.contains``: the SKU and category fields filter sales and returns
    only, a row without the field a scope names is out, ``exclude_skus`` wins over ``skus``, a
    category entry covers the paths under it by whole segments.
    """
    if scope.everything:
        return None
    mask: pa.ChunkedArray | None = None

    def both(more: pa.ChunkedArray) -> pa.ChunkedArray:
        return more if mask is None else pc.and_(mask, more)

    if scope.skus is not None or scope.exclude_skus or scope.categories is not None:
        payment = frame.is_kind(TransactionKind.PAYMENT)
        sku = frame.column("sku")
        if scope.skus is not None:
            mask = both(pc.or_(payment, _within(sku, scope.skus)))
        if scope.exclude_skus:
            mask = both(pc.or_(payment, pc.invert(_within(sku, scope.exclude_skus))))
        if scope.categories is not None:
            category = frame.column("category")
            covered = _within(category, scope.categories)
            for entry in sorted(scope.categories):  # a path under the entry
                under = pc.fill_null(pc.starts_with(category, entry + "/"), False)
                covered = pc.or_(covered, under)
            mask = both(pc.or_(payment, covered))
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
    first = _other_currency(frame, currency, rows)
    if first >= 0:
        raise _mismatch(frame, currency, first)


def _first(mask: pa.ChunkedArray) -> int:
    """The position of the first true row of ``mask`` (a null is false), -1 when none."""
    return int(pc.index(pc.fill_null(mask, False), True).as_py())


def _other_currency(frame: TransactionFrame, currency: str, rows: pa.ChunkedArray) -> int:
    """The position of the first row ``rows`` chooses in another currency, -1 when none."""
    if not frame.has("currency"):
        if frame.currency == currency or not pc.any(rows).as_py():
            return -1
        return _first(rows)
    return _first(pc.and_(rows, pc.not_equal(frame.column("currency"), currency)))


def _mismatch(frame: TransactionFrame, currency: str, row: int) -> CurrencyMismatchError:
    return CurrencyMismatchError(
        currency,
        frame.column("currency")[row].as_py(),
        f"transaction {frame.column('id')[row].as_py()}",
    )


def frame_sums(
    policy: RebatePolicy, frame: TransactionFrame, period: Period, only: str | None = None
) -> dict[str, list[Decimal]]:
    """``[sales, returns, collections, net units, ...]`` per partner that counts.

    The model path's ``_sums`` for a frame: the same rows counted (a partner's, ``only``'s when
    given, dated in the half-open period, in the policy's scope), the same checks, the same
    figures (see ``_figures``), summed exactly in columns.

    Raises
    ------
    CurrencyMismatchError
        A row that counts is in another currency than the policy's (the first such row); under
        ``PAID_SALES``, a row the paid sales read.
    PolicyError
        Under ``MARGIN``, a sale or return that counts without ``cost``, when no row before it
        raises the error above (the model path checks row by row).
    """
    plan = plan_of(policy)
    size = width(plan)
    partner = frame.column("partner_id")
    counted = pc.is_valid(partner) if only is None else pc.equal(partner, only)
    mask = pc.and_(frame.between(period.start, period.end), counted)
    in_scope = scope_mask(policy.scope, frame)
    if in_scope is not None:
        mask = pc.and_(mask, in_scope)
    goods = pc.and_(mask, frame.is_kind(TransactionKind.SALE, TransactionKind.RETURN))
    margin = uses(plan, RebateBasis.MARGIN)
    wrong = _other_currency(frame, policy.currency, mask)
    if margin:  # the first row that fails a check decides, currency first, as row by row
        bare = _first(pc.and_(goods, pc.is_null(frame.column("cost"))))
        if bare >= 0 and (wrong < 0 or bare < wrong):
            kind, tid, pid = (frame.column(c)[bare].as_py() for c in ("kind", "id", "partner_id"))
            raise missing_cost(policy, plan, kind, tid, pid)
    if wrong >= 0:
        raise _mismatch(frame, policy.currency, wrong)
    acc: dict[str, list[Decimal]] = {}
    for (pid, kind), total in frame.group_sums(
        ["partner_id", "kind"], "amount", where=mask
    ).items():
        a = acc.get(pid)
        if a is None:
            a = acc[pid] = [_ZERO] * size
        a[_SLOT[kind]] = total
    _add_signed(acc, frame.group_sums(["partner_id", "kind"], "quantity", where=goods), 3)
    if margin:
        _add_signed(acc, frame.group_sums(["partner_id", "kind"], "cost", where=goods), COST)
    if plan.per_transaction:
        _tallies(plan, frame, goods, acc)
    if uses(plan, RebateBasis.PAID_SALES):
        for pid, value in _paid(policy, frame, period, only).items():
            a = acc.get(pid)
            if a is None:
                a = acc[pid] = [_ZERO] * size
            a[PAID] = value
    return acc


def _add_signed(acc: dict[str, list[Decimal]], sums: dict[Any, Decimal], slot: int) -> None:
    """Add each partner's sales' figure to ``slot`` and subtract its returns', as row by row."""
    for (pid, kind), value in sums.items():
        a = acc[pid]
        a[slot] = CONTEXT.add(a[slot], value) if kind == _SALE else CONTEXT.subtract(a[slot], value)


def _tallies(
    plan: Plan, frame: TransactionFrame, goods: pa.ChunkedArray, acc: dict[str, list[Decimal]]
) -> None:
    """Add the per-transaction tallies of the rows ``goods`` chooses (see ``_per_transaction``).

    Each row's bracket is found once per distinct tier figure (by the plan's own bisection),
    then the rows of each bracket are counted and summed per partner and kind in columns.
    """
    if not per_transaction.takes_back(plan):
        goods = pc.and_(goods, frame.is_kind(TransactionKind.SALE))
    rows = frame.filter(goods)
    if not len(rows):
        return
    own = "amount" if plan.basis.is_money else "quantity"
    tier = plan.basis if plan.tier_basis is None else plan.tier_basis
    by = "amount" if tier.is_money else "quantity"
    figures = rows.column(by)
    distinct = pc.unique(figures)
    brackets = [plan.index(tidy(Decimal(v))) for v in distinct.to_pylist()]
    at = pc.take(pa.array(brackets, pa.int32()), pc.index_in(figures, value_set=distinct))
    keys = ["partner_id", "kind"]
    add, sub = CONTEXT.add, CONTEXT.subtract
    for i in sorted(set(brackets) - {-1}):
        here = pc.equal(at, i)
        owns = rows.group_sums(keys, own, where=here)
        tiers = owns if by == own else rows.group_sums(keys, by, where=here)
        o = MORE + per_transaction.SLOTS * i
        for key, n in _counts(rows, here).items():
            a = acc[key[0]]
            step = add if key[1] == _SALE else sub
            a[o] = step(a[o], n)
            a[o + 1] = add(a[o + 1], n)
            a[o + 2] = step(a[o + 2], owns[key])
            a[o + 3] = step(a[o + 3], tiers[key])


def _counts(frame: TransactionFrame, where: pa.ChunkedArray) -> dict[tuple[str, str], Decimal]:
    """The number of rows ``where`` chooses per partner and kind."""
    table = pa.table({"p": frame.column("partner_id"), "k": frame.column("kind")}).filter(where)
    grouped = table.group_by(["p", "k"], use_threads=False).aggregate([("p", "count")])
    return {
        (p, k): Decimal(n)
        for p, k, n in zip(
            grouped.column("p").to_pylist(),
            grouped.column("k").to_pylist(),
            grouped.column("p_count").to_pylist(),
            strict=True,
        )
    }


def _paid(
    policy: RebatePolicy, frame: TransactionFrame, period: Period, only: str | None
) -> dict[str, Decimal]:
    """Paid sales per partner: the rows the matching needs, read into ``_paid``'s records.

    Those are the partners' payments dated before the period's end that name a sale, the
    returns that name one of the sales named, and those sales when in scope.
    """
    partner, refers = frame.column("partner_id"), frame.column("refers_to")
    before = pc.less(frame.column("date"), pa.scalar(period.end, pa.date32()))
    mine = pc.is_valid(partner) if only is None else pc.equal(partner, only)
    named = pc.and_(pc.and_(before, mine), pc.is_valid(refers))
    pays = pc.and_(named, frame.is_kind(TransactionKind.PAYMENT))
    wanted = pc.unique(pc.drop_null(pc.filter(refers, pays)))
    returns = pc.and_(
        pc.and_(named, frame.is_kind(TransactionKind.RETURN)), _within_ids(refers, wanted)
    )
    sales = pc.and_(
        pc.and_(pc.and_(before, mine), frame.is_kind(TransactionKind.SALE)),
        _within_ids(frame.column("id"), wanted),
    )
    in_scope = scope_mask(policy.scope, frame)
    if in_scope is not None:
        sales = pc.and_(sales, in_scope)
    rows = pc.indices_nonzero(pc.fill_null(pc.or_(pc.or_(pays, returns), sales), False))
    names = ("id", "partner_id", "date", "kind", "amount", "currency", "refers_to")
    data = [pc.take(frame.column(name), rows).to_pylist() for name in names]
    kept: tuple[list[Record], list[Record], list[Record]] = ([], [], [])
    slot = {_SALE: 0, TransactionKind.RETURN.value: 1, TransactionKind.PAYMENT.value: 2}
    for pos, tid, pid, day, kind, amount, cur, ref in zip(rows.to_pylist(), *data, strict=True):
        record = (pos, tid, pid, day, tidy(Decimal(amount)), cur, ref)
        kept[slot[kind]].append(record)
    return paid_sales(*kept, period, policy.currency)


def _within_ids(column: pa.ChunkedArray, ids: pa.Array) -> pa.ChunkedArray:
    """A mask of the rows whose ``column`` is one of ``ids`` (a null is not)."""
    return pc.fill_null(pc.is_in(column, value_set=ids), False)
