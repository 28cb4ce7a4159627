"""Properties of the fields and bases of #12: caps, monotony, scope, and tables equal to models.

The policies come from the shipped strategy with every new field drawn (``tier_bases=``), the
transactions from the shipped ``transactions()`` strategy, with a cost on most sales and returns
(MARGIN) and the ``refers_to`` of returns and payments pointing at the list's own sales
(PAID_SALES).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from channelkit import (
    Bracket,
    ChannelkitError,
    Money,
    Period,
    RebateBasis,
    RebatePolicy,
    Scope,
    SettleUnit,
    TierMode,
    Transaction,
    TransactionKind,
    compute_rebate,
    settle,
    settle_all,
)
from channelkit import testing as ckt
from channelkit.numeric import CONTEXT

D = Decimal
POOL = ["P1", "P2", "P3"]
PERIODS = st.sampled_from([Period.quarter(2026, 1), Period.quarter(2026, 2), Period.half(2026, 1)])
CATEGORIES = ["Electronics", "Electronics/Phones", "Electronics/Phones/Android", "Home/Kitchen"]
ENTRIES = st.frozensets(
    st.sampled_from([*CATEGORIES, "Home", "ElectronicsX", "electronics"]), max_size=3
)
POLICIES = ckt.rebate_policies(
    currencies=st.just("CNY"),
    composite=False,
    tier_bases=st.none() | st.sampled_from(RebateBasis),
)
SIGNED = ckt.amounts(min_value=-(10**7), max_value=10**7, places=2)


def draw_figure(draw: st.DrawFn, policy: RebatePolicy, basis: Decimal) -> dict[str, Any]:
    """``tier_value=`` for a tier-basis policy (negative only where allowed), else nothing."""
    if policy.tier_basis is None:
        return {}
    low = -(10**7) if policy.allow_negative else 0
    return {"tier_value": draw(ckt.amounts(min_value=low, max_value=10**7, places=2))}


@st.composite
def policies_and_bases(draw: st.DrawFn) -> tuple[RebatePolicy, Decimal, dict[str, Any]]:
    policy = draw(POLICIES)
    basis = draw(SIGNED)
    if basis < 0 and not policy.allow_negative:
        basis = -basis
    return policy, basis, draw_figure(draw, policy, basis)


@given(policies_and_bases())
def test_never_above_the_cap_and_only_negative_when_allowed(
    case: tuple[RebatePolicy, Decimal, dict[str, Any]],
) -> None:
    policy, basis, kw = case
    r = compute_rebate(policy, basis, **kw)
    if policy.cap is not None:
        assert r.amount <= Money(policy.cap, policy.currency).rounded(policy.rounding)
    if r.amount.amount < 0:  # a negative rebate ignores the cap, and needs allow_negative
        assert policy.allow_negative
        assert basis < 0
    zero = Money.zero(policy.currency)
    assert (
        sum((ln.amount for ln in r.lines), zero) + sum((a.amount for a in r.adjustments), zero)
        == r.amount
    )
    assert r.effective_rate == (CONTEXT.divide(r.amount.amount, basis) if basis else 0)
    assert (r.tier_value is None) is (policy.tier_basis is None)


@st.composite
def ascending(draw: st.DrawFn) -> RebatePolicy:
    """VOLUME or FLAT policies picked by units, with rates and flats ascending."""
    ladder = draw(ckt.bracket_ladders(ascending_rates=True, max_value=10**5))
    flats = sorted(b.flat for b in ladder)
    ladder = tuple(b.model_copy(update={"flat": f}) for b, f in zip(ladder, flats, strict=True))
    return RebatePolicy(
        id="A",
        name="A",
        currency="CNY",
        basis=draw(st.sampled_from([RebateBasis.NET_SALES, RebateBasis.MARGIN])),
        mode=draw(st.sampled_from([TierMode.VOLUME, TierMode.FLAT])),
        tier_basis=RebateBasis.UNITS,
        brackets=ladder,
        threshold=draw(st.none() | ckt.amounts(min_value=0, max_value=10**5, places=0)),
        cap=draw(st.none() | ckt.amounts(min_value=0, max_value=10**6, places=2)),
        allow_negative=draw(st.booleans()),
    )


BASES = ckt.amounts(min_value=0, max_value=10**7, places=2)
UNITS = ckt.amounts(min_value=0, max_value=2 * 10**5, places=0)


@given(ascending(), BASES, BASES, UNITS, UNITS)
def test_monotone_in_the_basis_and_in_the_tier_figure(
    p: RebatePolicy, a: Decimal, b: Decimal, u: Decimal, v: Decimal
) -> None:
    low, high = sorted((a, b))
    fewer, more = sorted((u, v))
    assert (
        compute_rebate(p, low, tier_value=fewer).amount
        <= compute_rebate(p, high, tier_value=fewer).amount
    )
    assert (
        compute_rebate(p, low, tier_value=fewer).amount
        <= compute_rebate(p, low, tier_value=more).amount
    )


@given(ckt.rebate_policies(currencies=st.just("CNY"), composite=False), SIGNED, SIGNED)
def test_a_graduated_negative_rebate_is_monotone_through_zero(
    policy: RebatePolicy, a: Decimal, b: Decimal
) -> None:
    p = policy.model_copy(
        update={"mode": TierMode.GRADUATED, "allow_negative": True, "per": SettleUnit.PERIOD}
    )
    low, high = sorted((a, b))
    assert compute_rebate(p, low).amount <= compute_rebate(p, high).amount


@given(st.sampled_from([None, *CATEGORIES, "ElectronicsX/Phones", "Home"]), ENTRIES)
def test_the_category_scope_is_the_prefix_rule(
    category: str | None, entries: frozenset[str]
) -> None:
    scope = Scope(categories=entries)
    expected = category is not None and any(
        category == e or category.startswith(e + "/") for e in entries
    )
    assert scope.covers(category) is expected
    sale = Transaction(
        id="S",
        partner_id="P1",
        date=dt.date(2026, 1, 5),
        kind="sale",
        amount=Money(1, "CNY"),
        category=category,
    )
    assert scope.contains(sale) is expected
    assert scope.contains(sale.model_copy(update={"kind": TransactionKind.PAYMENT}))
    pytest.importorskip("pyarrow")
    from channelkit import frames
    from channelkit.rebates._columnar import scope_mask

    mask = scope_mask(scope, frames.transactions([sale]))
    assert mask is not None
    assert mask.to_pylist() == [expected]


@st.composite
def rows(draw: st.DrawFn) -> list[Transaction]:
    """Transactions of the pool in CNY, most sales and returns with a cost, references resolved."""
    txs = draw(
        st.lists(
            ckt.transactions(
                partner_ids=st.sampled_from([None, *POOL]),
                currencies=st.just("CNY"),
                dates=st.dates(min_value=dt.date(2025, 11, 1), max_value=dt.date(2026, 7, 31)),
                kinds=st.sampled_from(
                    [TransactionKind.SALE] * 2
                    + [TransactionKind.RETURN]
                    + [TransactionKind.PAYMENT] * 2
                ),
                max_amount=10_000,
            ),
            min_size=4,
            max_size=25,
            unique_by=lambda t: t.id,
        )
    )
    sales = [t.id for t in txs if t.kind is TransactionKind.SALE]
    out = []
    for t in txs:
        update: dict[str, Any] = {}
        if t.kind is not TransactionKind.SALE and sales and draw(st.integers(0, 3)):
            update["refers_to"] = draw(st.sampled_from(sales))
        if t.kind is not TransactionKind.PAYMENT and t.cost is None and draw(st.integers(0, 9)):
            update["cost"] = Money(draw(ckt.amounts(min_value=0, max_value=10_000)), "CNY")
        out.append(t.model_copy(update=update))
    return out


def outcome(compute: Any) -> Any:
    try:
        return compute()
    except ChannelkitError as err:
        return type(err), str(err)


def options(policy: RebatePolicy) -> dict[str, Any]:
    incremental = RebateBasis.INCREMENTAL in (policy.basis, policy.tier_basis)
    return {"baselines": {"P1": 100, "P2": -50, "P3": 0}} if incremental else {}


@st.composite
def settled_policies(draw: st.DrawFn) -> RebatePolicy:
    """The shipped policies, a third of them scoped over what ``rows()`` holds."""
    policy = draw(
        ckt.rebate_policies(
            currencies=st.just("CNY"),
            composite=False,
            scoped=False,
            tier_bases=st.none() | st.sampled_from(RebateBasis),
        )
    )
    if draw(st.integers(0, 2)):
        return policy
    scope = Scope(
        skus=draw(st.none() | st.frozensets(st.sampled_from(["A", "B", "C"]), min_size=2)),
        territories=draw(st.none() | st.frozensets(st.sampled_from("NSEW"), min_size=2)),
        categories=draw(st.none() | ENTRIES),
    )
    return policy.model_copy(update={"scope": scope})


@settings(max_examples=150)
@given(settled_policies(), rows(), PERIODS)
def test_the_table_path_equals_the_model_path(
    policy: RebatePolicy, txs: list[Transaction], period: Period
) -> None:
    pytest.importorskip("pyarrow")
    from channelkit import frames

    table = frames.transactions(txs).to_arrow()
    kw = options(policy)
    expected = outcome(lambda: settle_all(policy, txs, period, **kw))
    settled = isinstance(expected, dict) and bool(expected)
    event(f"{policy.basis.value}: {'settled' if settled else 'refused or empty'}")
    event(f"per {policy.per.value}, tier basis: {policy.tier_basis is not None}")
    assert outcome(lambda: settle_all(policy, table, period, **kw)) == expected
    if isinstance(expected, dict):
        for pid in POOL:
            one = {"baseline": kw["baselines"][pid]} if kw else {}
            alone = settle(policy, table, period, partner_id=pid, **one)
            assert alone == settle(policy, txs, period, partner_id=pid, **one)
            if pid in expected:
                assert expected[pid] == alone


@given(rows(), PERIODS, st.sampled_from(POOL))
def test_paid_sales_never_exceed_the_payments_that_count(
    txs: list[Transaction], period: Period, pid: str
) -> None:
    paid = RebatePolicy(
        id="PAID",
        name="PAID",
        currency="CNY",
        basis="paid_sales",
        brackets=(Bracket(start=0, rate="0.01"),),
    )
    s = settle(paid, txs, period, partner_id=pid)
    own = {t.id: t for t in txs if t.partner_id == pid and t.kind is TransactionKind.SALE}
    counting = D(0)
    for t in txs:
        sale = own.get(t.refers_to or "")
        mine = t.partner_id == pid and t.kind is TransactionKind.PAYMENT
        if mine and sale is not None and max(t.date, sale.date) in period:
            counting += t.amount.amount
    assert 0 <= s.basis <= counting
