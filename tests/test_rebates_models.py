"""Rebate policy models: validation, enums, scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from pydantic import ValidationError

from channelkit import (
    Boundary,
    Bracket,
    Condition,
    Metric,
    Money,
    PayoutStep,
    RebateBasis,
    RebateForm,
    RebatePolicy,
    Scope,
    Scorecard,
    TierMode,
    Transaction,
)
from channelkit.rebates import AdjustmentKind


def policy(**kw: object) -> RebatePolicy:
    fields: dict[str, object] = {
        "id": "P",
        "name": "P",
        "currency": "CNY",
        "brackets": (Bracket(start=0, rate="0.01"), Bracket(start=100, rate="0.02")),
    }
    fields.update(kw)
    return RebatePolicy(**fields)  # type: ignore[arg-type]


def test_defaults() -> None:
    p = policy()
    assert p.basis is RebateBasis.NET_SALES
    assert p.mode is TierMode.GRADUATED
    assert p.boundary is Boundary.REACH
    assert p.form is RebateForm.CREDIT_NOTE
    assert p.rounding == "ROUND_HALF_UP"
    assert p.scope == Scope()
    assert p.threshold is None
    assert p.cap is None


def test_brackets_must_not_be_empty() -> None:
    with pytest.raises(ValidationError, match="brackets"):
        policy(brackets=())


@pytest.mark.parametrize("starts", [(0, 0), (100, 50)])
def test_bracket_starts_strictly_ascending(starts: tuple[int, int]) -> None:
    with pytest.raises(ValidationError, match=r"brackets\[1\]\.start"):
        policy(brackets=tuple(Bracket(start=s, rate="0.01") for s in starts))


@pytest.mark.parametrize("field", ["start", "rate", "flat"])
def test_bracket_fields_not_negative(field: str) -> None:
    kw = {"start": 0, "rate": "0.01", field: -1}
    with pytest.raises(ValidationError, match=field):
        Bracket(**kw)  # type: ignore[arg-type]


def test_bracket_rejects_float() -> None:
    with pytest.raises(ValidationError, match="float"):
        Bracket(start=0, rate=0.01)  # type: ignore[arg-type]


@pytest.mark.parametrize("field", ["threshold", "cap"])
def test_threshold_and_cap_not_negative(field: str) -> None:
    with pytest.raises(ValidationError, match=field):
        policy(**{field: -1})


def test_currency_known() -> None:
    with pytest.raises(ValidationError, match="unknown currency 'XYZ'"):
        policy(currency="XYZ")


def test_rounding_must_be_a_decimal_mode() -> None:
    with pytest.raises(ValidationError, match="rounding must be one of"):
        policy(rounding="HALF_UP")


def test_unknown_field_refused() -> None:
    with pytest.raises(ValidationError, match="bracket"):
        policy(bracket=())


def test_payout_needs_scorecard() -> None:
    with pytest.raises(ValidationError, match="payout needs a scorecard"):
        policy(payout=(PayoutStep(min_score=0, factor=1),))


def test_payout_steps_strictly_ascending() -> None:
    card = Scorecard(metrics=(Metric(key="sales", weight=1, target=100),))
    steps = (PayoutStep(min_score=50, factor=1), PayoutStep(min_score=50, factor=2))
    with pytest.raises(ValidationError, match=r"payout\[1\]\.min_score \(50\)"):
        policy(scorecard=card, payout=steps)


def test_payout_step_not_negative() -> None:
    with pytest.raises(ValidationError, match="factor"):
        PayoutStep(min_score=0, factor=-1)


def test_condition_needs_a_bound() -> None:
    with pytest.raises(ValidationError, match="needs a minimum or a maximum"):
        Condition(metric="growth")


def test_condition_bounds_ordered() -> None:
    with pytest.raises(ValidationError, match=r"minimum \(2\) must not be above maximum \(1\)"):
        Condition(metric="growth", minimum=2, maximum=1)


def test_condition_factor_not_negative() -> None:
    with pytest.raises(ValidationError, match="factor"):
        Condition(metric="growth", minimum=0, factor=-1)


def test_condition_met_bounds_inclusive() -> None:
    c = Condition(metric="growth", minimum="-0.1", maximum="0.5")
    assert c.met(Decimal("-0.1"))
    assert c.met(Decimal("0.5"))
    assert not c.met(Decimal("-0.11"))
    assert not c.met(Decimal("0.51"))
    assert Condition(metric="dso", maximum=45).met(Decimal(-100))
    assert not Condition(metric="dso", maximum=45).met(Decimal(46))


def test_enum_values_and_labels() -> None:
    assert TierMode.GRADUATED == "graduated"
    assert TierMode.VOLUME.label("zh") == "全额累进"
    assert TierMode.GRADUATED.label("zh") == "超额累进"
    assert Boundary.EXCEED.label("zh") == "超过才适用"
    assert RebateBasis.INCREMENTAL.label("zh") == "增量销售额"
    assert RebateBasis.COLLECTIONS.label() == "collections"
    assert RebateForm.CREDIT_NOTE.label("zh") == "冲抵货款"
    assert AdjustmentKind.CAP.label("zh") == "封顶"
    assert RebateBasis.UNITS.is_money is False
    assert RebateBasis.NET_SALES.is_money is True


def tx(kind: str = "sale", **kw: object) -> Transaction:
    fields: dict[str, object] = {
        "id": "T",
        "partner_id": "D1",
        "date": dt.date(2026, 7, 1),
        "kind": kind,
        "amount": Money(100, "CNY"),
    }
    fields.update(kw)
    return Transaction(**fields)  # type: ignore[arg-type]


def test_scope_everything() -> None:
    assert Scope().everything
    assert Scope().contains(tx())
    assert not Scope(exclude_skus=frozenset({"A"})).everything
    assert not Scope(territories=frozenset({"N"})).everything
    assert not Scope(customers=frozenset({"C1"})).everything


def test_scope_skus() -> None:
    scope = Scope(skus=frozenset({"A", "B"}), exclude_skus=frozenset({"B"}))
    assert scope.contains(tx(sku="A"))
    assert not scope.contains(tx(sku="B"))  # exclude wins over skus
    assert not scope.contains(tx(sku="C"))
    assert not scope.contains(tx())  # no SKU: out of a SKU scope
    assert scope.contains(tx("return", sku="A"))
    assert scope.contains(tx("payment"))  # payments carry no SKU: SKU fields do not filter them


def test_scope_territories_and_customers() -> None:
    scope = Scope(territories=frozenset({"N"}), customers=frozenset({"C1"}))
    assert scope.contains(tx(territory="N", customer_id="C1"))
    assert not scope.contains(tx(territory="S", customer_id="C1"))
    assert not scope.contains(tx(territory="N", customer_id="C2"))
    assert not scope.contains(tx(customer_id="C1"))  # no territory
    assert not scope.contains(tx("payment", territory=None))  # payments have no territory


def test_policy_json_round_trip() -> None:
    card = Scorecard(metrics=(Metric(key="sales", weight=1, target=100),))
    p = policy(
        conditions=(Condition(metric="growth", minimum=0),),
        scorecard=card,
        payout=(PayoutStep(min_score=0, factor=1),),
        scope=Scope(skus=frozenset({"A"})),
    )
    assert RebatePolicy.model_validate_json(p.model_dump_json()) == p
