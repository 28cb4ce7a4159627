"""Hypothesis strategies for credit control: exposures, policies, open items and results."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from channelkit.credit import (
    Aging,
    CreditDecision,
    CreditLimitProposal,
    CreditOutcome,
    CreditPolicy,
    Exposure,
    ExposureKind,
    OpenItem,
    aging,
    check_order,
    propose_credit_limit,
)
from channelkit.credit.limits import Combine, LimitMethod
from channelkit.currencies import CURRENCIES
from channelkit.numeric import grid
from channelkit.testing._kernel import amounts, currencies, financial_statements, ids, money

__all__ = [
    "agings",
    "credit_decisions",
    "credit_limit_proposals",
    "credit_policies",
    "exposures",
    "open_items",
]

_DEFAULT_MAX = Decimal(10**9)


def exposures(
    currencies: st.SearchStrategy[str] | None = None,
    *,
    min_value: Decimal | int = -(10**6),
    max_value: Decimal | int = _DEFAULT_MAX,
) -> st.SearchStrategy[Exposure]:
    """Exposures in one drawn currency; components in ``[min_value, max_value]`` (may be < 0)."""
    cur_st = currencies if currencies is not None else _currencies()

    def build(cur: str) -> st.SearchStrategy[Exposure]:
        m = money(st.just(cur), min_value=min_value, max_value=max_value)
        return st.builds(
            Exposure, receivables=m, open_orders=m, unbilled_deliveries=m, unposted_invoices=m
        )

    return cur_st.flatmap(build)


_currencies = currencies


def credit_policies(*, overdue_rules: bool | None = None) -> st.SearchStrategy[CreditPolicy]:
    """Valid credit policies; ``overdue_rules`` forces overdue rules on or off (``None``: any)."""
    reactions = st.sampled_from([CreditOutcome.WARN, CreditOutcome.BLOCK])
    days = st.none() | st.integers(min_value=0, max_value=120)
    shares = st.none() | amounts(min_value=0, max_value=1)
    if overdue_rules is False:
        days = shares = st.none()

    @st.composite
    def build(draw: st.DrawFn) -> CreditPolicy:
        max_days, max_share = draw(days), draw(shares)
        if overdue_rules and max_days is None and max_share is None:
            max_days = draw(st.integers(min_value=0, max_value=120))
        return CreditPolicy(
            include=draw(st.frozensets(st.sampled_from(ExposureKind), min_size=1)),
            warn_at=draw(st.none() | amounts(min_value=Decimal("0.01"), max_value=Decimal("1.2"))),
            tolerance=draw(amounts(min_value=0, max_value=Decimal("0.3"))),
            max_document_value=draw(st.none() | amounts(min_value=0, max_value=10**7)),
            max_overdue_days=max_days,
            max_overdue_share=max_share,
            on_limit=draw(reactions),
            on_document_value=draw(reactions),
            on_overdue=draw(reactions),
        )

    return build()


def open_items(
    currencies: st.SearchStrategy[str] | None = None,
    *,
    ids: st.SearchStrategy[str] | None = None,
    dues: st.SearchStrategy[dt.date] | None = None,
    max_value: Decimal | int = 10**7,
) -> st.SearchStrategy[OpenItem]:
    """Open items with a positive amount and a due date in 2026 (by default)."""
    cur_st = currencies if currencies is not None else _currencies()
    id_st = ids if ids is not None else _ids("INV-")
    due_st = (
        dues
        if dues is not None
        else st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 12, 31))
    )

    def build(cur: str) -> st.SearchStrategy[OpenItem]:
        step = grid(CURRENCIES[cur])  # the minor unit
        return st.builds(
            OpenItem,
            id=id_st,
            amount=money(st.just(cur), min_value=step, max_value=max_value),
            due=due_st,
        )

    return cur_st.flatmap(build)


_ids = ids


def agings(
    currencies: st.SearchStrategy[str] | None = None, *, max_items: int = 8
) -> st.SearchStrategy[Aging]:
    """Agings of up to ``max_items`` open items, as of a day in 2026, with 0 to 10 grace days."""
    cur_st = currencies if currencies is not None else _currencies()

    def build(cur: str) -> st.SearchStrategy[Aging]:
        items = st.lists(open_items(st.just(cur)), max_size=max_items, unique_by=lambda i: i.id)
        return st.builds(
            lambda xs, as_of, grace: aging(xs, as_of, grace_days=grace, currency=cur),
            items,
            st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2027, 6, 30)),
            st.integers(min_value=0, max_value=10),
        )

    return cur_st.flatmap(build)


def credit_decisions() -> st.SearchStrategy[CreditDecision]:
    """Results of [`check_order`][] on drawn inputs."""

    @st.composite
    def build(draw: st.DrawFn) -> CreditDecision:
        cur = draw(_currencies())
        policy = draw(credit_policies())
        exposure = draw(exposures(st.just(cur)))
        limit = draw(st.none() | money(st.just(cur), min_value=0, max_value=_DEFAULT_MAX))
        order = draw(money(st.just(cur), min_value=0, max_value=10**7))
        ag = draw(st.none() | agings(st.just(cur)))
        if policy.has_overdue_rules and ag is None:
            ag = aging([], dt.date(2026, 6, 30), currency=cur)
        return check_order(limit, exposure, order, policy, aging=ag)

    return build()


def credit_limit_proposals() -> st.SearchStrategy[CreditLimitProposal]:
    """Results of [`propose_credit_limit`][] from a statement and monthly sales."""

    @st.composite
    def build(draw: st.DrawFn) -> CreditLimitProposal:
        statement = draw(financial_statements())
        cur = statement.currency
        floor = draw(st.none() | money(st.just(cur), min_value=0, max_value=10**6))
        ceiling = draw(
            st.none()
            | money(st.just(cur), min_value=0 if floor is None else floor.amount, max_value=10**9)
        )
        return propose_credit_limit(
            statement=statement,
            monthly_sales=draw(money(st.just(cur), min_value=0, max_value=10**8)),
            terms_days=draw(st.integers(min_value=0, max_value=180)),
            grace_days=draw(st.integers(min_value=0, max_value=30)),
            methods=draw(st.none() | st.just([LimitMethod.SALES_VELOCITY])),
            combine=draw(st.sampled_from(Combine)),
            multiplier=draw(amounts(min_value=0, max_value=2)),
            round_down_to=draw(st.sampled_from([None, Decimal(1), Decimal(1000)])),
            floor=floor,
            ceiling=ceiling,
        )

    return build()


REGISTRY: dict[type, Callable[[], st.SearchStrategy[Any]]] = {
    Exposure: exposures,
    CreditPolicy: credit_policies,
    OpenItem: open_items,
    Aging: agings,
    CreditDecision: credit_decisions,
    CreditLimitProposal: credit_limit_proposals,
}
"""The types this module's strategies are registered for with ``st.from_type``."""
