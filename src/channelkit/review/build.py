"""Building the review's result from the sums of the pass: figures, rows, ratios, concentration.

Every ratio is a division of two figures the pass computed, read as they are (sums of validated
input can pass the input bounds, and the differences of inputs can be finer than them): it is
``None`` when its denominator is not positive or when it is too large for the review to show
(10**30 or more in absolute value), so a review never raises for a ratio. Every operation names
the kernel's ``CONTEXT``: the caller's decimal context is neither read nor changed, whoever calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from operator import attrgetter
from typing import Final, NamedTuple, TypeVar

from channelkit.currencies import CURRENCIES
from channelkit.model import trusted
from channelkit.money import Money
from channelkit.numeric import CONTEXT, add_all, grid
from channelkit.partners import Partner
from channelkit.periods import Period
from channelkit.review.models import (
    ChannelReview,
    Concentration,
    Coverage,
    Figures,
    GroupRow,
    PartnerRow,
)

__all__ = ["Acc", "Customers", "Seen", "Sums", "assemble", "count_seen", "kinds_of"]

_ZERO: Final = Decimal(0)
_ONE: Final = Decimal(1)
_HUNDRED: Final = Decimal(100)
_HHI_MAX: Final = Decimal(10_000)
_RATIO_LIMIT: Final = 30
"""A ratio of 10**30 or more in absolute value is ``None``: its percentage with two decimals would
not fit the 34 digits of ``CONTEXT`` (nor could ``explain`` show it)."""
_R = TypeVar("_R", PartnerRow, GroupRow)


class Acc:
    """A slice's running sums during the pass (plain Decimals, no Money until the end).

    ``customers`` is the count of distinct customer ids among the slice's sales, set by whoever
    computes the sums (the model path counts its [`Seen`][] ids with [`count_seen`][]).
    """

    __slots__ = ("collections", "customers", "gross", "orders", "returns", "units")

    def __init__(self) -> None:
        self.gross = _ZERO
        self.returns = _ZERO
        self.collections = _ZERO
        self.units = _ZERO
        self.orders = 0
        self.customers = 0


class Seen(Acc):
    """An ``Acc`` of the model path, which reads the customer ids of the sales one by one."""

    __slots__ = ("seen",)

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[str] = set()


class Customers(NamedTuple):
    """Distinct customer ids among the period's sales of the slices made of several partners.

    A partner's or a territory's own count is its ``Acc.customers``; these are counted over
    the union of the rows, never added (one customer may buy from several partners).
    """

    total: int
    """Among every sale."""
    indirect: int
    """Among the partners' sales (partner id set)."""
    by_kind: dict[str, int]
    """Among the sales of the partners of each kind ([`kinds_of`][]: the partners passed)."""


class Sums(NamedTuple):
    """What a review reads from its transactions, whether models (one pass) or a table."""

    currency: str | None
    """The currency of the transactions read (``None``: none was read)."""
    by_partner: Mapping[str | None, Acc]
    """Figures of the period per partner (``None``: direct sales), for each with a row in it."""
    by_territory: Mapping[str, Acc]
    """Figures of the period's sales and returns per territory (``""``: none)."""
    partner_sold_in: set[str]
    """The territories (``""`` included) with a partner's sale in the period."""
    prior_partner: dict[str | None, Decimal]
    """Net sales of the prior period per partner with a sale or return in it."""
    prior_territory: dict[str, Decimal]
    """Net sales of the prior period per territory with a sale or return in it."""
    customers: Customers
    """Distinct customers of the slices made of several partners."""


def kinds_of(known: Mapping[str, Partner]) -> dict[str, list[str]]:
    """The ids of the partners passed, by the value of their kind, in the order passed."""
    members: dict[str, list[str]] = {}
    for pid, p in known.items():
        members.setdefault(p.kind.value, []).append(pid)
    return members


def count_seen(
    by_partner: Mapping[str | None, Seen],
    by_territory: Mapping[str, Seen],
    kinds: Mapping[str, list[str]],
) -> Customers:
    """Set each ``Acc.customers`` from its ``seen`` ids and count the unions (the model path)."""
    for acc in (*by_partner.values(), *by_territory.values()):
        acc.customers = len(acc.seen)

    def union(accs: Iterable[Seen]) -> int:
        return len(set[str]().union(*(a.seen for a in accs)))

    return Customers(
        union(by_partner.values()),
        union(a for p, a in by_partner.items() if p is not None),
        {k: union(by_partner[m] for m in pids if m in by_partner) for k, pids in kinds.items()},
    )


def _ratio(num: Decimal, den: Decimal) -> Decimal | None:
    """``num / den`` for a positive ``den``, else ``None``: the review's ratios never raise.

    The quotient is that of ``channelkit.kpi`` (34 significant digits, no positive exponent:
    ``6E+3`` is ``6000``), computed without reading the figures as input amounts; a quotient of
    10**30 or more in absolute value is ``None`` too (it needs a denominator vanishingly small
    beside its numerator, and means nothing as a percentage).
    """
    if den <= 0:
        return None
    q = CONTEXT.divide(num, den)
    big = q.adjusted()
    if big > 0:  # |q| >= 10 (or a zero with a positive exponent)
        if q and big >= _RATIO_LIMIT:
            return None
        if q.as_tuple().exponent > 0:  # type: ignore[operator]
            return q.quantize(_ONE, context=CONTEXT)
    return q


def _figures(accs: Iterable[Acc], customers: int, currency: str) -> Figures:
    """The figures of several slices together, with their distinct ``customers`` counted apart."""
    add = CONTEXT.add
    gross = returns = collections = units = _ZERO
    orders = 0
    for acc in accs:
        gross = add(gross, acc.gross)
        returns = add(returns, acc.returns)
        collections = add(collections, acc.collections)
        units = add(units, acc.units)
        orders += acc.orders
    return _make_figures(gross, returns, collections, units, orders, customers, currency)


def _one(acc: Acc, currency: str) -> Figures:
    return _make_figures(
        acc.gross,
        acc.returns,
        acc.collections,
        acc.units,
        acc.orders,
        acc.customers,
        currency,
    )


def _make_figures(
    gross: Decimal,
    returns: Decimal,
    collections: Decimal,
    units: Decimal,
    orders: int,
    customers: int,
    currency: str,
) -> Figures:
    make = Money._make
    return trusted(
        Figures,
        {
            "gross_sales": make(gross, currency),
            "returns": make(returns, currency),
            "net_sales": make(CONTEXT.subtract(gross, returns), currency),
            "collections": make(collections, currency),
            "units": units,
            "orders": orders,
            "customers": customers,
        },
    )


def _growth(current: Decimal, prior: Decimal | None) -> Decimal | None:
    return None if prior is None else _ratio(CONTEXT.subtract(current, prior), prior)


def _net(row: PartnerRow | GroupRow) -> Decimal:
    return row.figures.net_sales.amount


def _by_net_sales(rows: list[_R], key: str) -> None:
    """Order ``rows`` by net sales descending, then ``key``: two stable sorts, no arithmetic."""
    rows.sort(key=attrgetter(key))
    rows.sort(key=_net, reverse=True)


def _partner_rows(
    cur: str,
    ids: Iterable[str],
    by_partner: Mapping[str | None, Acc],
    known: Mapping[str, Partner],
    goals: Mapping[str, Decimal],
    prior_partner: Mapping[str | None, Decimal] | None,
    indirect_net: Decimal,
) -> list[PartnerRow]:
    """One row per partner id, unordered: the review's hot loop (one per partner of a channel).

    Each row's values are computed inline from its ``Acc`` (no intermediate ``Figures`` read
    back), with the kernel's operations bound once.
    """
    make = Money._make
    sub, div = CONTEXT.subtract, CONTEXT.divide
    unit = grid(CURRENCIES[cur])
    ratio = _ratio
    empty = Acc()
    rows: list[PartnerRow] = []
    for pid in ids:
        acc = by_partner.get(pid, empty)
        gross, returns = acc.gross, acc.returns
        net = sub(gross, returns)
        orders = acc.orders
        figures = trusted(
            Figures,
            {
                "gross_sales": make(gross, cur),
                "returns": make(returns, cur),
                "net_sales": make(net, cur),
                "collections": make(acc.collections, cur),
                "units": acc.units,
                "orders": orders,
                "customers": acc.customers,
            },
        )
        prior_net = None if prior_partner is None else prior_partner.get(pid, _ZERO)
        goal = goals.get(pid)
        p = known.get(pid)
        rows.append(
            trusted(
                PartnerRow,
                {
                    "partner_id": pid,
                    "kind": None if p is None else p.kind,
                    "figures": figures,
                    "prior_net_sales": None if prior_net is None else make(prior_net, cur),
                    "growth": None if prior_net is None else ratio(sub(net, prior_net), prior_net),
                    "share": ratio(net, indirect_net),
                    "target": None if goal is None else make(goal, cur),
                    "attainment": None if goal is None else ratio(net, goal),
                    "collection_rate": ratio(acc.collections, net),
                    "return_rate": ratio(returns, gross),
                    "average_order": (
                        make(
                            div(gross, orders).quantize(
                                unit, rounding=ROUND_HALF_UP, context=CONTEXT
                            ),
                            cur,
                        )
                        if orders
                        else None
                    ),
                },
            )
        )
    return rows


def assemble(
    cur: str,
    period: Period,
    prior: Period | None,
    known: dict[str, Partner],
    goals: dict[str, Decimal],
    to_cover: frozenset[str],
    top: int,
    below: Decimal,
    sums: Sums,
) -> ChannelReview:
    """The review from the pass's sums (without a ``prior`` period, its sums are not read).

    Computes in ``CONTEXT`` whatever the caller's context; builds ``Money`` and the result
    models only here, once per row, through [`trusted`][channelkit.model.trusted].
    """
    make = Money._make
    by_partner, by_territory = sums.by_partner, sums.by_territory
    prior_partner = None if prior is None else sums.prior_partner
    prior_territory = None if prior is None else sums.prior_territory
    counted = sums.customers
    empty = Acc()
    total = _figures(by_partner.values(), counted.total, cur)
    direct = _one(by_partner.get(None, empty), cur)
    indirect = _figures((a for p, a in by_partner.items() if p is not None), counted.indirect, cur)
    indirect_net = indirect.net_sales.amount
    total_net = total.net_sales.amount
    prior_total = None if prior_partner is None else add_all(prior_partner.values())

    # -- partner rows -----------------------------------------------------------------------
    ids = {p for p in by_partner if p is not None} | known.keys() | goals.keys()
    rows = _partner_rows(cur, ids, by_partner, known, goals, prior_partner, indirect_net)
    _by_net_sales(rows, "partner_id")

    # -- territory and kind rows --------------------------------------------------------------
    territory_rows = [
        _group(
            key,
            _one(acc, cur),
            total_net,
            None if prior_territory is None else prior_territory.get(key, _ZERO),
            cur,
        )
        for key, acc in by_territory.items()
    ]
    kind_rows = [
        _group(
            kind,
            _figures(
                (by_partner[m] for m in pids if m in by_partner),
                counted.by_kind.get(kind, 0),
                cur,
            ),
            indirect_net,
            None if prior_partner is None else add_all(prior_partner.get(m, _ZERO) for m in pids),
            cur,
        )
        for kind, pids in kinds_of(known).items()
    ]
    _by_net_sales(territory_rows, "key")
    _by_net_sales(kind_rows, "key")

    return trusted(
        ChannelReview,
        {
            "period": period,
            "prior": prior,
            "currency": cur,
            "total": total,
            "direct": direct,
            "indirect": indirect,
            "indirect_share": _ratio(indirect_net, total_net),
            "prior_net_sales": None if prior_total is None else make(prior_total, cur),
            "growth": _growth(total_net, prior_total),
            "partners": tuple(rows),
            "territories": tuple(territory_rows),
            "kinds": tuple(kind_rows),
            "coverage": _coverage(period, known, by_partner, to_cover, sums.partner_sold_in),
            "concentration": _concentration(rows, top, indirect_net),
            "laggard_below": below,
            "laggards": tuple(
                r.partner_id
                for r in rows
                if r.target is not None
                and r.target.amount > 0
                and r.attainment is not None
                and r.attainment < below
            ),
        },
    )


def _group(
    key: str, f: Figures, denominator: Decimal, prior_net: Decimal | None, cur: str
) -> GroupRow:
    net = f.net_sales.amount
    return trusted(
        GroupRow,
        {
            "key": key,
            "figures": f,
            "share": _ratio(net, denominator),
            "prior_net_sales": None if prior_net is None else Money._make(prior_net, cur),
            "growth": _growth(net, prior_net),
        },
    )


def _coverage(
    period: Period,
    known: Mapping[str, Partner],
    by_partner: Mapping[str | None, Acc],
    to_cover: frozenset[str],
    partner_sold_in: set[str],
) -> Coverage:
    active = {pid for pid in known if pid in by_partner and by_partner[pid].orders}
    new = sorted(pid for pid, p in known.items() if p.joined in period)
    covered = to_cover & partner_sold_in
    return trusted(
        Coverage,
        {
            "partners": len(known),
            "active_partners": len(active),
            "new_partners": len(new),
            "territories": len(to_cover),
            "territories_covered": len(covered),
            "coverage_rate": _ratio(Decimal(len(covered)), Decimal(len(to_cover))),
            "new_partner_ids": tuple(new),
            "inactive_partner_ids": tuple(sorted(known.keys() - active)),
            "uncovered": tuple(sorted(to_cover - covered)),
        },
    )


def _concentration(rows: list[PartnerRow], top: int, indirect_net: Decimal) -> Concentration:
    counted = [max(r.figures.net_sales.amount, _ZERO) for r in rows]  # rows are largest first
    whole = add_all(counted)
    if whole <= 0:
        return trusted(Concentration, {"top": top, "top_share": None, "hhi": None, "head": ()})
    # with no negative row the denominator is the indirect net sales: each row's share is its s_i
    same = whole == indirect_net
    hhi = _ZERO
    for r, c in zip(rows, counted, strict=True):
        if c:
            share = r.share if same and r.share is not None else CONTEXT.divide(c, whole)
            pct = CONTEXT.multiply(_HUNDRED, share)
            hhi = CONTEXT.add(hhi, CONTEXT.multiply(pct, pct))
    return trusted(
        Concentration,
        {
            "top": top,
            # at most 1: partial sums of non-negative figures never pass the whole
            "top_share": CONTEXT.divide(add_all(counted[:top]), whole),
            "hhi": min(hhi, _HHI_MAX),
            "head": tuple(r.partner_id for r, c in zip(rows, counted, strict=True) if c > 0)[:top],
        },
    )
