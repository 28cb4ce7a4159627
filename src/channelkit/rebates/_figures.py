"""A settlement's figures per partner: the one pass over the transactions (the model path).

[`model_sums`][] reads the transactions once and keeps, per partner, a list of figures (the
*sums*), all of them additive (the sums of two sets of transactions are the sums of their union,
figure by figure):

- ``sums[0:4]``: sales, returns and collections in the period and scope, and net units;
- ``sums[4]``: net cost of goods (sales' cost minus returns' cost), read when the basis or the
  tier basis is ``MARGIN``; ``sums[5]``: paid sales, when it is ``PAID_SALES``;
- ``sums[6:]``: the per-transaction tallies of a ``per=TRANSACTION`` policy (see
  ``_per_transaction``).

A policy that needs none of the extra figures has four; [`width`][] says how many a plan needs,
and a shorter list (a partner without transactions) reads as zeros. The table path
(``_columnar.frame_sums``) computes the same lists in columns; [`figure`][] picks a basis.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal, localcontext
from typing import Final

from channelkit.errors import ArgumentTypeError, CurrencyMismatchError, PolicyError
from channelkit.numeric import CONTEXT
from channelkit.periods import Period
from channelkit.rebates import _per_transaction as per_transaction
from channelkit.rebates._paid import Record, paid_sales
from channelkit.rebates._per_transaction import SLOTS
from channelkit.rebates.models import RebateBasis, RebatePolicy
from channelkit.rebates.plan import Plan
from channelkit.transactions import Transaction, TransactionKind

__all__ = [
    "BASE",
    "COST",
    "MORE",
    "PAID",
    "figure",
    "missing_cost",
    "model_sums",
    "uses",
    "width",
]

BASE: Final = 4
"""Figures of every policy: sales, returns, collections, net units."""
COST: Final = 4
"""Index of the net cost of goods (``MARGIN``)."""
PAID: Final = 5
"""Index of the paid sales (``PAID_SALES``)."""
MORE: Final = 6
"""Figures before the per-transaction tallies, when a policy needs more than `BASE`."""

_ZERO: Final = Decimal(0)
_ONE: Final = Decimal(1)
_SALE: Final = TransactionKind.SALE
_RETURN: Final = TransactionKind.RETURN


def uses(plan: Plan, kind: RebateBasis) -> bool:
    """Whether ``kind`` is the plan's basis or tier basis."""
    return plan.basis is kind or plan.tier_basis is kind


def width(plan: Plan) -> int:
    """How many figures the plan's settlements read per partner."""
    if plan.per_transaction:
        return MORE + per_transaction.width(plan)
    if uses(plan, RebateBasis.MARGIN) or uses(plan, RebateBasis.PAID_SALES):
        return MORE
    return BASE


def figure(kind: RebateBasis, sums: Sequence[Decimal], baseline: Decimal | None) -> Decimal:
    """The basis (or tier figure) ``kind`` of a partner's ``sums``.

    ``sums`` is at least `MORE` long when ``kind`` reads cost or paid sales; ``baseline`` is
    given for ``INCREMENTAL``.
    """
    if kind is RebateBasis.GROSS_SALES:
        return sums[0]
    if kind is RebateBasis.COLLECTIONS:
        return sums[2]
    if kind is RebateBasis.UNITS:
        return sums[3]
    if kind is RebateBasis.PAID_SALES:
        return sums[PAID]
    net = CONTEXT.subtract(sums[0], sums[1])
    if kind is RebateBasis.MARGIN:
        return CONTEXT.subtract(net, sums[COST])
    if kind is RebateBasis.INCREMENTAL:
        return CONTEXT.subtract(net, baseline)  # type: ignore[arg-type]
    return net


def missing_cost(policy: RebatePolicy, plan: Plan, kind: str, tid: str, pid: str) -> PolicyError:
    """The refusal of a counting sale or return without ``cost`` under a margin figure."""
    what = "basis" if plan.basis is RebateBasis.MARGIN else "tier basis"
    msg = (
        f"policy {policy.id} has a margin {what}: {kind} {tid} of partner {pid} has no cost "
        "(the margin needs the cost of goods of every sale and return that counts)"
    )
    return PolicyError(msg, policy=policy.id)


def model_sums(
    policy: RebatePolicy,
    plan: Plan,
    transactions: Iterable[Transaction],
    period: Period,
    only: str | None = None,
) -> dict[str, list[Decimal]]:
    """One pass: the sums of every partner (``only``'s when given) with a transaction that counts.

    A transaction counts when it is a partner's, dated in the half-open period and in the
    policy's scope; under ``PAID_SALES`` a partner with a payment that counts in the period (see
    ``_paid``) has sums too.

    Raises
    ------
    ArgumentTypeError
        An item that is not a ``Transaction``.
    CurrencyMismatchError
        A transaction that counts in another currency (the first one); under ``PAID_SALES``,
        after the pass, a row the paid sales read (see ``paid_sales``).
    PolicyError
        Under ``MARGIN``, a sale or return that counts without ``cost`` (checked after its
        currency, row by row).
    """
    cur = policy.currency
    start, end = period.start, period.end
    scope = policy.scope
    contains = None if scope.everything else scope.contains
    size = width(plan)
    margin = uses(plan, RebateBasis.MARGIN)
    paid = uses(plan, RebateBasis.PAID_SALES)
    each = plan.per_transaction
    back = per_transaction.takes_back(plan)
    starts, find = plan.starts, bisect_right if plan.reach else bisect_left
    own_money = plan.basis.is_money
    tier_money = (plan.basis if plan.tier_basis is None else plan.tier_basis).is_money
    kept: tuple[list[Record], list[Record], list[Record]] = ([], [], [])
    acc: dict[str, list[Decimal]] = {}
    get = acc.get
    with localcontext(CONTEXT):
        for pos, t in enumerate(transactions):
            if type(t) is not Transaction and not isinstance(t, Transaction):
                msg = f"transactions must hold Transaction objects only, got {type(t).__name__}"
                raise ArgumentTypeError(msg, argument="transactions", value=t)
            pid = t.partner_id
            if pid is None or (only is not None and pid != only):
                continue
            day = t.date
            if paid and day < end:
                _keep(kept, pos, t, pid, contains)
            if day < start or day >= end or (contains is not None and not contains(t)):
                continue
            m = t.amount
            if m.currency != cur:
                raise CurrencyMismatchError(cur, m.currency, f"transaction {t.id}")
            a = get(pid)
            if a is None:
                a = acc[pid] = [_ZERO] * size
            kind = t.kind
            if kind is _SALE:
                a[0] += m.amount
                a[3] += t.quantity
            elif kind is _RETURN:
                a[1] += m.amount
                a[3] -= t.quantity
            else:
                a[2] += m.amount
                continue
            if margin:
                cost = t.cost
                if cost is None:
                    raise missing_cost(policy, plan, kind.value, t.id, pid)
                a[COST] = a[COST] + cost.amount if kind is _SALE else a[COST] - cost.amount
            if each and (back or kind is _SALE):  # the tallies (see _per_transaction), inline
                figure = m.amount if tier_money else t.quantity
                i = find(starts, figure) - 1
                if i >= 0:
                    own = m.amount if own_money else t.quantity
                    o = MORE + SLOTS * i
                    if kind is _SALE:
                        a[o] += _ONE
                        a[o + 2] += own
                        a[o + 3] += figure
                    else:
                        a[o] -= _ONE
                        a[o + 2] -= own
                        a[o + 3] -= figure
                    a[o + 1] += _ONE
    if paid:
        for pid, value in paid_sales(*kept, period, cur).items():
            a = get(pid)
            if a is None:
                a = acc[pid] = [_ZERO] * size
            a[PAID] = value
    return acc


def _keep(
    kept: tuple[list[Record], list[Record], list[Record]],
    pos: int,
    t: Transaction,
    pid: str,
    contains: Callable[[Transaction], bool] | None,
) -> None:
    """Keep a partner's row dated before the period's end that paid sales may read."""
    kind = t.kind
    if kind is _SALE:
        if contains is None or contains(t):
            kept[0].append((pos, t.id, pid, t.date, t.amount.amount, t.amount.currency, None))
    elif t.refers_to is not None:
        row = (pos, t.id, pid, t.date, t.amount.amount, t.amount.currency, t.refers_to)
        kept[1 if kind is _RETURN else 2].append(row)
