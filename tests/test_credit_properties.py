"""Hypothesis properties of credit control: the invariants of the check, aging and proposals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from channelkit import (
    Aging,
    CreditDecision,
    CreditLimitProposal,
    CreditOutcome,
    CreditPolicy,
    Exposure,
    LimitBound,
    Money,
    OpenItem,
    aging,
    check_order,
)
from channelkit.labels import fmt_amount
from channelkit.testing import (
    agings,
    amounts,
    credit_decisions,
    credit_limit_proposals,
    credit_policies,
    exposures,
    open_items,
)

CUR = st.just("CNY")


def cny(a: Decimal) -> Money:
    return Money(a, "CNY")


limits = st.none() | amounts(min_value=0, max_value=10**9).map(cny)
orders = amounts(min_value=0, max_value=10**8).map(cny)
cny_agings = agings(CUR)


def _aging_for(policy: CreditPolicy, ag: Aging) -> Aging | None:
    return ag if policy.has_overdue_rules or ag.open_total.amount > 0 else None


@given(
    amounts(min_value=0, max_value=10**9).map(cny),
    exposures(CUR),
    orders,
    credit_policies(),
    cny_agings,
)
def test_available_plus_exposure_after_is_the_limit(
    limit: Money, e: Exposure, order: Money, policy: CreditPolicy, ag: Aging
) -> None:
    d = check_order(limit, e, order, policy, aging=ag)
    assert d.available is not None
    assert d.exceeded_by is not None
    assert d.available + d.exposure_after == limit
    assert d.exceeded_by == Money(max(Decimal(0), -d.available.amount), "CNY")
    assert d.exposure_after == d.exposure_before + order


@given(limits, exposures(CUR), orders, orders, credit_policies(), cny_agings)
def test_the_outcome_never_improves_when_the_order_grows(
    limit: Money | None,
    e: Exposure,
    a: Money,
    b: Money,
    policy: CreditPolicy,
    ag: Aging,
) -> None:
    small, large = sorted([a, b])
    first = check_order(limit, e, small, policy, aging=ag)
    second = check_order(limit, e, large, policy, aging=ag)
    assert second.outcome >= first.outcome
    # and every rule that tripped for the smaller order still trips (notes aside)
    tripped = {r.code for r in first.reasons if r.outcome is not CreditOutcome.APPROVE}
    assert tripped <= {r.code for r in second.reasons} | {"tolerance"}


@given(credit_decisions())
def test_outcome_is_the_most_severe_reason(d: CreditDecision) -> None:
    expected = max([r.outcome for r in d.reasons], default=CreditOutcome.APPROVE)
    assert d.outcome == expected
    if d.limit is None:
        assert d.available is None
        assert d.exceeded_by is None
        assert d.utilization is None


@given(limits, exposures(CUR), orders)
def test_limit_rule_matches_the_contract(limit: Money | None, e: Exposure, order: Money) -> None:
    d = check_order(limit, e, order, CreditPolicy(warn_at=None))
    over = limit is not None and d.exposure_after > limit
    assert (d.outcome is CreditOutcome.BLOCK) == over


@given(
    st.lists(open_items(CUR), max_size=10, unique_by=lambda i: i.id),
    st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 12, 31)),
    st.integers(min_value=0, max_value=40),
)
def test_aging_buckets_sum_to_the_open_total(
    items: list[OpenItem], as_of: dt.date, grace: int
) -> None:
    a = aging(items, as_of, grace_days=grace, currency="CNY")
    total = sum((i.amount for i in items), Money.zero("CNY"))
    assert sum(a.buckets.values(), Money.zero("CNY")) == a.open_total == total
    assert sum(a.counts.values()) == len(items)
    assert 0 <= a.overdue_share <= 1
    assert a.overdue_total == a.open_total - a.buckets[next(iter(a.buckets))]
    overdue = [(as_of - i.due).days for i in items if (as_of - i.due).days > grace]
    assert a.oldest_overdue_days == max(overdue, default=0)


@given(
    st.lists(open_items(CUR), max_size=10, unique_by=lambda i: i.id),
    st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 12, 31)),
    st.integers(min_value=0, max_value=40),
)
def test_more_grace_never_raises_the_overdue_total(
    items: list[OpenItem], as_of: dt.date, grace: int
) -> None:
    strict = aging(items, as_of, currency="CNY")
    lenient = aging(items, as_of, grace_days=grace, currency="CNY")
    assert lenient.overdue_total <= strict.overdue_total


@given(credit_limit_proposals())
def test_proposal_steps_are_consistent(p: CreditLimitProposal) -> None:
    assert all(m.amount >= 0 for m in p.components.values())
    assert p.amount.amount >= 0
    assert p.rounded <= p.multiplied
    if p.round_down_to is not None:
        assert p.rounded.amount % p.round_down_to == 0
    if p.bounded_by is None:
        assert p.amount == p.rounded
    elif p.bounded_by is LimitBound.FLOOR:
        assert p.floor is not None
        assert p.amount == p.floor > p.rounded
    else:
        assert p.ceiling is not None
        assert p.amount == p.ceiling < p.rounded
    figures = [m.amount for m in p.components.values()]
    assert min(figures) <= p.combined.amount <= max(figures)


@given(
    st.from_type(Exposure),
    st.from_type(CreditPolicy),
    st.from_type(Aging),
    st.from_type(CreditDecision),
    st.from_type(CreditLimitProposal),
)
def test_json_round_trips(
    e: Exposure, p: CreditPolicy, a: Aging, d: CreditDecision, lp: CreditLimitProposal
) -> None:
    for model in (e, p, a, d, lp):
        assert type(model).model_validate_json(model.model_dump_json()) == model


@given(credit_decisions(), st.sampled_from(["en", "zh"]))
def test_every_decision_explains_itself(d: CreditDecision, lang: str) -> None:
    text = d.explain(lang)
    assert d.outcome.label(lang) in text.splitlines()[0]
    assert len(text.splitlines()) >= 4 + len(d.reasons)
    # every figure the decision rests on is in its account
    places = d.exposure_after.places
    assert f"{fmt_amount(d.exposure_after.amount, places)} {d.currency}" in text
    for r in d.reasons:
        assert r.text(lang) in text


@given(agings(), st.sampled_from(["en", "zh"]))
def test_every_aging_explains_itself(a: Aging, lang: str) -> None:
    lines = a.explain(lang).splitlines()
    places = a.open_total.places
    assert f"{fmt_amount(a.open_total.amount, places)} {a.currency}" in lines[0]
    for bucket, line in zip(a.buckets, lines[1:6], strict=True):
        assert line.strip().startswith(bucket.label(lang))
        assert fmt_amount(a.buckets[bucket].amount, places) in line


@given(credit_limit_proposals(), st.sampled_from(["en", "zh"]))
def test_every_proposal_explains_itself(p: CreditLimitProposal, lang: str) -> None:
    lines = p.explain(lang).splitlines()
    assert f"{fmt_amount(p.amount.amount, p.amount.places)} {p.amount.currency}" in lines[0]
    for method, line in zip(p.components, lines[1:], strict=False):
        assert method.label(lang) in line


@given(credit_policies(overdue_rules=True), credit_policies(overdue_rules=False))
def test_policy_strategy_can_force_overdue_rules(on: CreditPolicy, off: CreditPolicy) -> None:
    assert on.has_overdue_rules
    assert not off.has_overdue_rules
