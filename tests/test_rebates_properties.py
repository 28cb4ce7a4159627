"""Hypothesis properties of the rebate engine and settlement."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from channelkit import (
    Accrual,
    Boundary,
    Bracket,
    Money,
    Period,
    RebateBasis,
    RebatePolicy,
    RebateResult,
    Settlement,
    Tier,
    TierMode,
    Transaction,
    accrue,
    compute_rebate,
    rebate_amounts,
    settle,
    settle_all,
)
from channelkit.currencies import CURRENCIES
from channelkit.labels import fmt_amount
from channelkit.testing import amounts, bracket_ladders, rebate_policies

BASES = amounts(min_value=0, max_value=2 * 10**7, places=2)
SIMPLE = rebate_policies(composite=False)
METRICS = st.dictionaries(
    st.sampled_from(["collection_rate", "growth", "price_compliance", "coverage", "sales", "dso"]),
    amounts(min_value=0, max_value=2, places=2),
)


def full_metrics(policy: RebatePolicy, extra: dict[str, Decimal]) -> dict[str, Decimal]:
    """Every metric the policy reads (0.5 unless drawn), so no rule refuses a missing one."""
    keys = [c.metric for c in policy.conditions]
    if policy.scorecard is not None:
        keys += [m.key for m in policy.scorecard.metrics]
    base = dict.fromkeys(keys, Decimal("0.5"))
    base.update(extra)
    return base


def total_of(r: RebateResult) -> Money:
    zero = Money.zero(r.amount.currency)
    return sum((ln.amount for ln in r.lines), zero) + sum((a.amount for a in r.adjustments), zero)


@given(rebate_policies(), BASES, METRICS, st.none() | st.from_type(Tier))
def test_never_negative_never_above_cap_and_reconciles(
    policy: RebatePolicy, basis: Decimal, metrics: dict[str, Decimal], tier: Tier | None
) -> None:
    r = compute_rebate(policy, basis, metrics=full_metrics(policy, metrics), tier=tier)
    assert r.amount.amount >= 0
    if policy.cap is not None:
        assert r.amount.amount <= policy.cap.quantize(r.amount.amount) or (
            r.amount.amount == r.amount.rounded(policy.rounding).amount
            and r.amount.amount
            <= Money(policy.cap, policy.currency).rounded(policy.rounding).amount
        )
    assert total_of(r) == r.amount
    assert r.amount == r.amount.rounded(policy.rounding)
    lines = sum((ln.amount for ln in r.lines), Money.zero(policy.currency))
    assert lines == r.gross.rounded(policy.rounding)


@given(SIMPLE, BASES, BASES)
def test_graduated_non_decreasing(policy: RebatePolicy, a: Decimal, b: Decimal) -> None:
    p = policy.model_copy(update={"mode": TierMode.GRADUATED})
    low, high = sorted((a, b))
    assert compute_rebate(p, low).gross <= compute_rebate(p, high).gross
    assert rebate_amounts(p, [low])[0] <= rebate_amounts(p, [high])[0]


@given(SIMPLE, bracket_ladders(ascending_rates=True), BASES, BASES)
def test_volume_non_decreasing_with_ascending_rates(
    policy: RebatePolicy, ladder: tuple[Bracket, ...], a: Decimal, b: Decimal
) -> None:
    flats = sorted(x.flat for x in ladder)  # ascending flats too (a flat can drop otherwise)
    ladder = tuple(x.model_copy(update={"flat": f}) for x, f in zip(ladder, flats, strict=True))
    p = policy.model_copy(update={"mode": TierMode.VOLUME, "brackets": ladder})
    low, high = sorted((a, b))
    assert compute_rebate(p, low).gross <= compute_rebate(p, high).gross


@given(SIMPLE, bracket_ladders(ascending_rates=True), BASES)
def test_graduated_never_exceeds_volume_with_ascending_rates(
    policy: RebatePolicy, ladder: tuple[Bracket, ...], basis: Decimal
) -> None:
    no_flats = tuple(b.model_copy(update={"flat": Decimal(0)}) for b in ladder)
    grad = policy.model_copy(update={"mode": TierMode.GRADUATED, "brackets": no_flats})
    vol = policy.model_copy(update={"mode": TierMode.VOLUME, "brackets": no_flats})
    assert compute_rebate(grad, basis).gross <= compute_rebate(vol, basis).gross


@given(SIMPLE, BASES)
def test_reach_and_exceed_agree_except_at_a_start(policy: RebatePolicy, basis: Decimal) -> None:
    reach = policy.model_copy(update={"boundary": Boundary.REACH})
    exceed = policy.model_copy(update={"boundary": Boundary.EXCEED})
    starts = {b.start for b in policy.brackets}
    if basis not in starts:
        # the whole result but the boundary and the next step (whose rate at a threshold that
        # equals a start depends on the boundary, a start again)
        a = compute_rebate(reach, basis).model_dump(exclude={"boundary", "next_bracket"})
        b = compute_rebate(exceed, basis).model_dump(exclude={"boundary", "next_bracket"})
        assert a == b


@given(SIMPLE, st.lists(BASES, max_size=20))
def test_rebate_amounts_equals_compute_rebate(policy: RebatePolicy, bases: list[Decimal]) -> None:
    expected = [compute_rebate(policy, b).amount.amount for b in bases]
    assert rebate_amounts(policy, bases) == expected


@given(rebate_policies(), BASES, METRICS, st.none() | st.from_type(Tier))
def test_results_survive_json(
    policy: RebatePolicy, basis: Decimal, metrics: dict[str, Decimal], tier: Tier | None
) -> None:
    r = compute_rebate(policy, basis, metrics=full_metrics(policy, metrics), tier=tier)
    assert RebateResult.model_validate_json(r.model_dump_json()) == r
    assert RebatePolicy.model_validate_json(policy.model_dump_json()) == policy
    a = accrue(policy, basis, projected_basis=basis * 2, metrics=full_metrics(policy, metrics))
    assert Accrual.model_validate_json(a.model_dump_json()) == a
    places = CURRENCIES[policy.currency]
    payable = fmt_amount(r.amount.amount, places)
    en, zh = r.explain(), r.explain("zh")
    assert en.startswith(f"Rebate for policy {policy.id} on {r.basis_kind.label()} ")
    assert f"Payable: {payable} {policy.currency}" in en
    assert zh.startswith(f"返利政策 {policy.id}，{r.basis_kind.label('zh')} ")
    assert f"应付返利：{payable} {policy.currency}" in zh
    for line in r.lines:  # every line's amount is shown, in both languages
        shown = f"= {fmt_amount(line.amount.amount, places)}"
        assert shown in en
        assert shown in zh
    accrued = f"= {fmt_amount(a.amount.amount, places)} {policy.currency}"
    assert a.explain().startswith(f"Accrual for policy {policy.id}: ")
    assert accrued in a.explain()
    assert a.explain("zh").startswith(f"政策 {policy.id} 的返利计提：")
    assert accrued in a.explain("zh")


def transactions(year: int) -> st.SearchStrategy[list[Transaction]]:
    day = st.dates(min_value=dt.date(year - 1, 12, 1), max_value=dt.date(year + 1, 1, 31))

    @st.composite
    def build(draw: st.DrawFn) -> list[Transaction]:
        rows = draw(
            st.lists(
                st.tuples(
                    st.sampled_from(["D1", "D2", None]),
                    day,
                    st.sampled_from(["sale", "sale", "return", "payment"]),
                    amounts(min_value=Decimal("0.01"), max_value=10**6, places=2),
                    st.integers(min_value=0, max_value=50),
                    st.none() | st.sampled_from(["A", "B"]),
                    amounts(min_value=0, max_value=10**6, places=2),
                    st.none() | st.sampled_from(["Electronics/Phones", "Home"]),
                ),
                max_size=30,
            )
        )
        return [
            Transaction(
                id=f"T{i}",
                partner_id=p,
                date=d,
                kind=k,  # type: ignore[arg-type]
                amount=Money(a, "CNY"),
                quantity=0 if k == "payment" else q,
                sku=None if k == "payment" else sku,
                cost=None if k == "payment" else Money(c, "CNY"),  # a MARGIN basis reads it
                category=cat,
            )
            for i, (p, d, k, a, q, sku, c, cat) in enumerate(rows)
        ]

    return build()


@given(rebate_policies(currencies=st.just("CNY"), composite=False), transactions(2026))
def test_a_year_settles_on_the_sum_of_its_quarters(
    policy: RebatePolicy, txs: list[Transaction]
) -> None:
    kw = {"baseline": 0} if policy.basis is RebateBasis.INCREMENTAL else {}
    year = Period.year(2026)
    for pid in ("D1", "D2"):
        whole = settle(policy, txs, year, partner_id=pid, **kw)  # type: ignore[arg-type]
        parts = [
            settle(policy, txs, q, partner_id=pid, **kw)  # type: ignore[arg-type]
            for q in year.split(policy.frequency)
        ]
        assert whole.basis == sum((p.basis for p in parts), Decimal(0)) - ((len(parts) - 1) * 0)
        assert whole.gross_sales == sum((p.gross_sales for p in parts), Money.zero("CNY"))
        assert whole.units == sum((p.units for p in parts), Decimal(0))


@given(rebate_policies(currencies=st.just("CNY")), transactions(2026), METRICS)
def test_settle_all_equals_settle(
    policy: RebatePolicy, txs: list[Transaction], metrics: dict[str, Decimal]
) -> None:
    q = Period.quarter(2026, 2)
    m = full_metrics(policy, metrics)
    incremental = policy.basis is RebateBasis.INCREMENTAL
    out = settle_all(
        policy,
        txs,
        q,
        metrics={"D1": m, "D2": m},
        baselines={"D1": 100, "D2": 0} if incremental else None,
    )
    traded = {
        t.partner_id for t in txs if t.partner_id and t.date in q and policy.scope.contains(t)
    }
    assert set(out) == traded
    for pid, s in out.items():
        base = {"baseline": 100 if pid == "D1" else 0} if incremental else {}
        expected = settle(policy, txs, q, partner_id=pid, metrics=m, **base)  # type: ignore[arg-type]
        assert s == expected
        assert Settlement.model_validate_json(s.model_dump_json()) == s
        assert s.payable == s.result.amount - s.advances
