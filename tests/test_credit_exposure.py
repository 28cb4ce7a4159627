"""Exposure, ExposureKind, CreditOutcome and CreditPolicy: models, validation and ordering."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from channelkit import (
    ArgumentError,
    ArgumentTypeError,
    CreditOutcome,
    CreditPolicy,
    Exposure,
    ExposureKind,
    Money,
    Severity,
)
from channelkit.labels import RankedEnum


def cny(a: object) -> Money:
    return Money(a, "CNY")  # type: ignore[arg-type]


def exposure(r: object = 0, o: object = 0, u: object = 0, i: object = 0) -> Exposure:
    return Exposure(
        receivables=cny(r), open_orders=cny(o), unbilled_deliveries=cny(u), unposted_invoices=cny(i)
    )


# -- Exposure ------------------------------------------------------------------------------------


def test_total_sums_every_component_by_default() -> None:
    # 100 + 20 + 3 + 0.5 = 123.5
    assert exposure(100, 20, 3, "0.5").total() == cny("123.5")


def test_total_sums_only_the_included_components() -> None:
    e = exposure(100, 20, 3, "0.5")
    # receivables + unposted invoices = 100 + 0.5
    assert e.total({ExposureKind.RECEIVABLES, ExposureKind.UNPOSTED_INVOICES}) == cny("100.5")
    assert e.total(frozenset({ExposureKind.OPEN_ORDERS})) == cny(20)


def test_components_may_be_negative() -> None:
    # a customer advance of 500 against receivables of 300: 300 - 500 + 0 + 0 = -200
    e = exposure(300, -500)
    assert e.total() == cny(-200)


def test_component_by_kind_or_value() -> None:
    e = exposure(1, 2, 3, 4)
    assert [e.component(k) for k in ExposureKind] == [cny(1), cny(2), cny(3), cny(4)]
    assert e.component("unbilled_deliveries") == cny(3)
    assert e.currency == "CNY"


@pytest.mark.parametrize(
    ("include", "error", "match"),
    [
        (ExposureKind.RECEIVABLES, ArgumentTypeError, "kinds, not ExposureKind"),
        ("receivables", ArgumentTypeError, "kinds, not str"),
        (5, ArgumentTypeError, "not int"),
        ({"receivable"}, ArgumentError, "must name exposure kinds .* got 'receivable'"),
        ([None], ArgumentError, "got None"),
        (frozenset({1}), ArgumentError, "got 1"),
    ],
)
def test_total_checks_include(include: object, error: type[Exception], match: str) -> None:
    # a typo used to count nothing, silently; a wrong type gave an AttributeError or TypeError
    with pytest.raises(error, match=match) as err:
        exposure(1).total(include)  # type: ignore[arg-type]
    assert err.value.argument == "include"  # type: ignore[attr-defined]


def test_total_accepts_any_collection_of_kinds() -> None:
    e = exposure(100, 20, 3, "0.5")
    assert e.total(["receivables", ExposureKind.UNPOSTED_INVOICES]) == cny("100.5")
    assert e.total(frozenset({"open_orders"})) == cny(20)  # equal to the kinds' set, cached
    assert e.total(()) == cny(0)


def test_component_checks_its_kind() -> None:
    with pytest.raises(ArgumentError, match="kind must name exposure kinds") as err:
        exposure().component("receivable")
    assert err.value.argument == "kind"
    with pytest.raises(ArgumentError, match=r"got \{\}"):
        exposure().component({})  # type: ignore[arg-type]


def test_zero_exposure() -> None:
    z = Exposure.zero("JPY")
    assert z.total() == Money(0, "JPY")
    assert z.open_orders.currency == "JPY"
    with pytest.raises(ArgumentError, match="unknown currency 'jpy'"):
        Exposure.zero("jpy")
    with pytest.raises(ArgumentTypeError, match="currency must be a currency code"):
        Exposure.zero({})  # type: ignore[arg-type]


def test_exposure_rejects_mixed_currencies() -> None:
    with pytest.raises(ValidationError, match="open_orders is in USD but receivables is in CNY"):
        Exposure(
            receivables=cny(1),
            open_orders=Money(1, "USD"),
            unbilled_deliveries=cny(0),
            unposted_invoices=cny(0),
        )


def test_exposure_requires_every_component_and_rejects_floats() -> None:
    with pytest.raises(ValidationError, match="unposted_invoices"):
        Exposure(receivables=cny(1), open_orders=cny(1), unbilled_deliveries=cny(1))  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="float"):
        Exposure.model_validate(
            {
                "receivables": {"amount": 0.1, "currency": "CNY"},
                "open_orders": cny(0),
                "unbilled_deliveries": cny(0),
                "unposted_invoices": cny(0),
            }
        )


def test_exposure_kind_labels() -> None:
    assert ExposureKind.RECEIVABLES == "receivables"
    assert ExposureKind.UNBILLED_DELIVERIES.label("zh") == "已发货未开票"
    assert ExposureKind.OPEN_ORDERS.label() == "Open orders"


# -- CreditOutcome -------------------------------------------------------------------------------


def test_outcomes_are_ordered_by_severity() -> None:
    a, w, b = CreditOutcome.APPROVE, CreditOutcome.WARN, CreditOutcome.BLOCK
    assert a < w < b
    assert b > w > a
    assert a <= a <= w
    assert b >= b >= w
    assert max(w, b, a) is b
    assert sorted([b, a, w]) == [a, w, b]
    assert [o.rank for o in (a, w, b)] == [0, 1, 2]
    assert {a: 1}[CreditOutcome("approve")] == 1
    assert CreditOutcome.WARN.label("zh") == "警告"


def test_outcomes_share_the_kernel_ranked_base() -> None:
    # one ordered labelled enum base for Severity and CreditOutcome (issue #10)
    assert issubclass(CreditOutcome, RankedEnum)
    assert issubclass(Severity, RankedEnum)
    for name in ("__lt__", "__le__", "__gt__", "__ge__", "rank"):
        assert name not in vars(CreditOutcome), name
    assert CreditOutcome.BLOCK.rank == Severity.HIGH.rank == 2
    with pytest.raises(TypeError):
        _ = CreditOutcome.WARN < Severity.HIGH  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = CreditOutcome.WARN < "block"  # ordered by rank, never by spelling


def test_outcomes_do_not_compare_with_strings_by_severity() -> None:
    with pytest.raises(TypeError):
        _ = CreditOutcome.WARN < 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = CreditOutcome.WARN <= 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = CreditOutcome.WARN > 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = CreditOutcome.WARN >= 1  # type: ignore[operator]


# -- CreditPolicy --------------------------------------------------------------------------------


def test_policy_defaults_follow_the_contract() -> None:
    p = CreditPolicy()
    assert p.include == frozenset(ExposureKind)
    assert p.warn_at == Decimal("0.9")
    assert p.tolerance == 0
    assert p.max_document_value is None
    assert p.max_overdue_days is None
    assert p.max_overdue_share is None
    assert (p.on_limit, p.on_document_value, p.on_overdue) == (CreditOutcome.BLOCK,) * 3
    assert not p.has_overdue_rules


def test_policy_accepts_strings_and_reports_overdue_rules() -> None:
    p = CreditPolicy(include={"receivables"}, max_overdue_share="0.25", on_overdue="warn")
    assert p.include == frozenset({ExposureKind.RECEIVABLES})
    assert p.max_overdue_share == Decimal("0.25")
    assert p.on_overdue is CreditOutcome.WARN
    assert p.has_overdue_rules
    assert CreditPolicy(max_overdue_days=0).has_overdue_rules


@pytest.mark.parametrize("name", ["on_limit", "on_document_value", "on_overdue"])
def test_policy_reactions_must_be_warn_or_block(name: str) -> None:
    with pytest.raises(ValidationError, match=f"{name} must be 'warn' or 'block', got 'approve'"):
        CreditPolicy(**{name: "approve"})


@pytest.mark.parametrize(
    ("field", "value", "match"),
    [
        ("include", frozenset(), "include"),
        ("include", {"receivable"}, "include"),
        ("tolerance", "-0.01", "tolerance"),
        ("warn_at", 0, "warn_at"),
        ("warn_at", 0.9, "float"),
        ("max_document_value", -1, "max_document_value"),
        ("max_overdue_days", -1, "max_overdue_days"),
        ("max_overdue_days", 10**9, "max_overdue_days"),
        ("max_overdue_days", 10**1000, "max_overdue_days"),
        ("max_overdue_share", "1.01", "max_overdue_share"),
        ("max_overdue_share", "-0.1", "max_overdue_share"),
        ("unknown", 1, "unknown"),
    ],
)
def test_policy_rejects_bad_fields(field: str, value: object, match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        CreditPolicy(**{field: value})


def test_policy_is_frozen_and_hashable() -> None:
    p = CreditPolicy(tolerance="0.1")
    with pytest.raises(ValidationError):
        p.tolerance = Decimal(0)  # type: ignore[misc]
    assert hash(p) == hash(CreditPolicy(tolerance="0.1"))
