"""Building the review's result from the sums of the pass: figures, rows, ratios, concentration.

Every ratio is one of [`channelkit.kpi`][] (or a plain division where the KPI module has none),
wrapped so that a denominator that is not positive gives ``None``: a review never raises for a zero.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from channelkit.errors import UndefinedRatioError
from channelkit.kpi import attainment, collection_rate, growth_rate, market_share
from channelkit.money import Money
from channelkit.numeric import CONTEXT
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

__all__ = ["Acc", "build"]

_ZERO: Final = Decimal(0)
_HUNDRED: Final = Decimal(100)
_HHI_MAX: Final = Decimal(10_000)
_SCALE_AT: Final = 14  # scale ratio arguments whose magnitude reaches 10**14


class Acc:
    """A slice's running sums during the pass (plain Decimals, no Money until the end)."""

    __slots__ = ("collections", "customers", "gross", "orders", "returns", "units")

    def __init__(self) -> None:
        self.gross = _ZERO
        self.returns = _ZERO
        self.collections = _ZERO
        self.units = _ZERO
        self.orders = 0
        self.customers: set[str] = set()


def _ratio(fn: Callable[[Decimal, Decimal], Decimal], num: Decimal, den: Decimal) -> Decimal | None:
    """``fn(num, den)`` for a positive ``den``, else ``None`` (review ratios never raise)."""
    if den <= 0:
        return None
    try:
        return fn(*_scaled(num, den))
    except UndefinedRatioError:  # pragma: no cover - the kpi functions agree on den > 0
        return None


def _scaled(num: Decimal, den: Decimal) -> tuple[Decimal, Decimal]:
    """``num`` and ``den`` scaled by one power of ten so that both are below 10**15.

    The ratios of [`channelkit.kpi`][] read their arguments as input amounts (below 10**15);
    sums of many transactions can be larger. Scaling both by the same power of ten leaves the
    ratio unchanged (``scaleb`` is exact).
    """
    big = max(den.adjusted(), num.adjusted() if num else 0)
    if big < _SCALE_AT:
        return num, den
    return (num.scaleb(-big, CONTEXT) if num else num), den.scaleb(-big, CONTEXT)


def _divide(num: Decimal, den: Decimal) -> Decimal:
    return CONTEXT.divide(num, den)


def _figures(accs: Iterable[Acc], currency: str) -> Figures:
    gross = returns = collections = units = _ZERO
    orders = 0
    seen: set[str] = set()
    for acc in accs:
        gross += acc.gross
        returns += acc.returns
        collections += acc.collections
        units += acc.units
        orders += acc.orders
        seen |= acc.customers
    return _make_figures(gross, returns, collections, units, orders, len(seen), currency)


def _one(acc: Acc, currency: str) -> Figures:
    return _make_figures(
        acc.gross,
        acc.returns,
        acc.collections,
        acc.units,
        acc.orders,
        len(acc.customers),
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
    # Built without re-validation: every value is a sum of validated input (see Figures._check).
    make = Money._make
    return Figures.model_construct(
        gross_sales=make(gross, currency),
        returns=make(returns, currency),
        net_sales=make(gross - returns, currency),
        collections=make(collections, currency),
        units=units,
        orders=orders,
        customers=customers,
    )


def _growth(current: Decimal, prior: Decimal | None) -> Decimal | None:
    return None if prior is None else _ratio(growth_rate, current, prior)


def build(
    cur: str,
    period: Period,
    prior: Period | None,
    known: dict[str, Partner],
    goals: dict[str, Decimal],
    to_cover: frozenset[str],
    top: int,
    below: Decimal,
    by_partner: dict[str | None, Acc],
    by_territory: dict[str, Acc],
    partner_sold_in: set[str],
    prior_partner: dict[str | None, Decimal] | None,
    prior_territory: dict[str, Decimal] | None,
) -> ChannelReview:
    """The review from the pass's sums (``None`` prior sums: no prior period).

    Runs inside the caller's ``localcontext(CONTEXT)``; builds ``Money`` and the result models
    only here, once per row, without re-validating the computed values.
    """
    make = Money._make
    empty = Acc()
    total = _figures(by_partner.values(), cur)
    direct = _one(by_partner.get(None, empty), cur)
    indirect = _figures((a for p, a in by_partner.items() if p is not None), cur)
    indirect_net = indirect.net_sales.amount
    total_net = total.net_sales.amount
    prior_total = None if prior_partner is None else sum(prior_partner.values(), _ZERO)

    # -- partner rows -----------------------------------------------------------------------
    ids = {p for p in by_partner if p is not None} | known.keys() | goals.keys()
    rows: list[PartnerRow] = []
    for pid in ids:
        f = _one(by_partner.get(pid, empty), cur)
        net = f.net_sales.amount
        prior_net = None if prior_partner is None else prior_partner.get(pid, _ZERO)
        goal = goals.get(pid)
        p = known.get(pid)
        rows.append(
            PartnerRow.model_construct(
                partner_id=pid,
                kind=None if p is None else p.kind,
                figures=f,
                prior_net_sales=None if prior_net is None else make(prior_net, cur),
                growth=_growth(net, prior_net),
                share=_ratio(market_share, net, indirect_net),
                target=None if goal is None else make(goal, cur),
                attainment=None if goal is None else _ratio(attainment, net, goal),
                collection_rate=_ratio(collection_rate, f.collections.amount, net),
                return_rate=_ratio(_divide, f.returns.amount, f.gross_sales.amount),
                average_order=(
                    make(_divide(f.gross_sales.amount, Decimal(f.orders)), cur).rounded(
                        ROUND_HALF_UP
                    )
                    if f.orders
                    else None
                ),
            )
        )
    rows.sort(key=lambda r: (-r.figures.net_sales.amount, r.partner_id))

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
    members: dict[str, list[str]] = {}
    for pid, p in known.items():
        members.setdefault(p.kind.value, []).append(pid)
    kind_rows = [
        _group(
            kind,
            _figures((by_partner[m] for m in pids if m in by_partner), cur),
            indirect_net,
            None
            if prior_partner is None
            else sum((prior_partner.get(m, _ZERO) for m in pids), _ZERO),
            cur,
        )
        for kind, pids in members.items()
    ]

    def group_order(g: GroupRow) -> tuple[Decimal, str]:
        return (-g.figures.net_sales.amount, g.key)

    territory_rows.sort(key=group_order)
    kind_rows.sort(key=group_order)

    return ChannelReview.model_construct(
        period=period,
        prior=prior,
        currency=cur,
        total=total,
        direct=direct,
        indirect=indirect,
        indirect_share=_ratio(market_share, indirect_net, total_net),
        prior_net_sales=None if prior_total is None else make(prior_total, cur),
        growth=_growth(total_net, prior_total),
        partners=tuple(rows),
        territories=tuple(territory_rows),
        kinds=tuple(kind_rows),
        coverage=_coverage(period, known, by_partner, to_cover, partner_sold_in),
        concentration=_concentration(rows, top, indirect_net),
        laggard_below=below,
        laggards=tuple(
            r.partner_id
            for r in rows
            if r.target is not None
            and r.target.amount > 0
            and r.attainment is not None
            and r.attainment < below
        ),
    )


def _group(
    key: str, f: Figures, denominator: Decimal, prior_net: Decimal | None, cur: str
) -> GroupRow:
    net = f.net_sales.amount
    return GroupRow.model_construct(
        key=key,
        figures=f,
        share=_ratio(market_share, net, denominator),
        prior_net_sales=None if prior_net is None else Money._make(prior_net, cur),
        growth=_growth(net, prior_net),
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
    return Coverage(
        partners=len(known),
        active_partners=len(active),
        new_partners=len(new),
        territories=len(to_cover),
        territories_covered=len(covered),
        coverage_rate=_ratio(_divide, Decimal(len(covered)), Decimal(len(to_cover))),
        new_partner_ids=tuple(new),
        inactive_partner_ids=tuple(sorted(known.keys() - active)),
        uncovered=tuple(sorted(to_cover - covered)),
    )


def _concentration(rows: list[PartnerRow], top: int, indirect_net: Decimal) -> Concentration:
    counted = [max(r.figures.net_sales.amount, _ZERO) for r in rows]  # rows are largest first
    whole = sum(counted, _ZERO)
    if whole <= 0:
        return Concentration(top=top, top_share=None, hhi=None)
    # with no negative row the denominator is the indirect net sales: each row's share is its s_i
    same = whole == indirect_net
    hhi = _ZERO
    for r, c in zip(rows, counted, strict=True):
        if c:
            share = r.share if same and r.share is not None else market_share(*_scaled(c, whole))
            pct = CONTEXT.multiply(_HUNDRED, share)
            hhi = CONTEXT.add(hhi, CONTEXT.multiply(pct, pct))
    return Concentration(
        top=top,
        top_share=market_share(*_scaled(sum(counted[:top], _ZERO), whole)),
        hhi=min(hhi, _HHI_MAX),
        head=tuple(r.partner_id for r, c in zip(rows, counted, strict=True) if c > 0)[:top],
    )
