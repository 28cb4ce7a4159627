"""The rebates area wired in: root exports, strategies, schemas, demo."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import channelkit
from channelkit import (
    Bracket,
    Condition,
    Explainable,
    PayoutStep,
    RebatePolicy,
    Scope,
    compute_rebate,
    schemas,
)
from channelkit.demo import rebates as demo
from channelkit.demo import render

# the shared design folder beside the checkout (../shared/design), as in test_conventions
NAMES = Path(__file__).resolve().parents[1].parent / "shared" / "design" / "names.txt"
CONTRACT = [
    "RebatePolicy",
    "Bracket",
    "Scope",
    "RebateBasis",
    "TierMode",
    "Boundary",
    "RebateForm",
    "Condition",
    "PayoutStep",
    "RebateResult",
    "RebateLine",
    "NextBracket",
    "Settlement",
    "Accrual",
    "compute_rebate",
    "rebate_amounts",
    "settle",
    "settle_all",
    "accrue",
]


def test_every_contract_name_imports_from_the_root() -> None:
    names = list(CONTRACT)
    if not NAMES.exists() and os.environ.get("CI"):
        pytest.fail(f"{NAMES} is missing: CI must check out shared/design beside the repo")
    if NAMES.exists():  # the shared design folder, when present, must agree
        for line in NAMES.read_text().splitlines():
            if line.startswith("rebates:"):
                names = line.split(":", 1)[1].split()
        assert names == CONTRACT
    for name in names:
        assert hasattr(channelkit, name), name
        assert name in channelkit.__all__, name
    import channelkit.rebates as area

    for name in area.__all__:
        assert getattr(channelkit, name) is getattr(area, name)


@given(st.from_type(RebatePolicy))
def test_policies_from_type_are_valid_and_computable(policy: RebatePolicy) -> None:
    metrics = dict.fromkeys((c.metric for c in policy.conditions), Decimal(1))
    if policy.scorecard is not None:
        metrics |= dict.fromkeys((m.key for m in policy.scorecard.metrics), Decimal(1))
    r = compute_rebate(policy, 1000, metrics=metrics)
    assert isinstance(r, Explainable)
    assert r.amount.currency == policy.currency


@pytest.mark.parametrize("tp", [Bracket, Condition, PayoutStep, Scope])
def test_parts_from_type(tp: type) -> None:
    @given(st.from_type(tp))
    def check(value: object) -> None:
        assert isinstance(value, tp)

    check()


def test_schemas_include_rebate_models() -> None:
    s = schemas()
    for name in ("RebatePolicy", "RebateResult", "Settlement", "Accrual", "Bracket"):
        assert name in s
    assert "brackets" in s["RebatePolicy"]["properties"]


def test_demo_section() -> None:
    assert demo.ORDER == 30
    en = demo.section("en")
    zh = demo.section("zh")
    assert "Rebates: the quarter's settlement" in en
    assert "返利：本季度结算" in zh
    # D-NORTH: net 436,900: 1,000 + 2,000 + 6,000 + 36,900 x 4% = 10,476
    assert "436,900.00" in en
    assert "10,476.00" in en
    # A-CENTRAL did not trade: 50,000 to the threshold
    assert "50,000.00 -> 1%" in en
    assert "condition collection_rate at least 0.5 not met (0.4181)" in en
    assert "未达条件 collection_rate 不低于 0.5（实际 0.4181）" in zh
    s = demo.settlements()
    assert s["D-EAST"].result.amount.amount == Decimal("4657.50")  # 1,000 + 2,000 + 55,250 x 3%
    assert s["R-SOUTH"].result.amount.amount == Decimal("408.00")  # 81,600 x 1% halved
    assert "Rebates: the quarter's settlement" in render("en")


def test_the_global_context_is_neither_read_nor_changed() -> None:
    import datetime as dt
    import decimal

    from channelkit import (
        Money,
        Period,
        Transaction,
        accrue,
        rebate_amounts,
        settle_all,
    )

    policy = RebatePolicy(
        id="P",
        name="P",
        currency="CNY",
        cap=Decimal("123456.78"),
        brackets=(Bracket(start=0, rate=Decimal("0.0123")), Bracket(start=1000, rate=Decimal(1))),
    )
    txs = [
        Transaction(
            id=f"T{i}",
            partner_id=f"D{i % 3}",
            date=dt.date(2026, 7, 1),
            kind="sale" if i % 4 else "return",
            amount=Money(Decimal("12345.67") + i, "CNY"),
            quantity=Decimal("1.5"),
        )
        for i in range(12)
    ]
    q = Period.quarter(2026, 3)

    def run() -> object:
        return (
            compute_rebate(policy, Decimal("98765.4321")),
            rebate_amounts(policy, [Decimal("98765.4321"), Decimal("1000.01")]),
            settle_all(policy, txs, q),
            accrue(policy, Decimal("3333.33"), projected_basis=Decimal("98765.4321")),
            demo.section("en"),
        )

    expected = run()
    with decimal.localcontext() as ctx:
        ctx.prec = 3
        ctx.rounding = decimal.ROUND_FLOOR
        ctx.clear_flags()
        assert run() == expected
        assert ctx.prec == 3
        assert not any(ctx.flags.values())
