from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from pydantic import ValidationError

from channelkit import (
    FinancialStatement,
    Money,
    Partner,
    PartnerKind,
    PartnerStatus,
    Transaction,
    TransactionKind,
)
from channelkit.testing import financial_statements, partners, transactions


def _partner(**kw: Any) -> Partner:
    base: dict[str, Any] = {
        "id": "D1",
        "name": "North",
        "kind": "distributor",
        "currency": "CNY",
        "payment_terms_days": 30,
        "joined": date(2024, 1, 1),
    }
    base.update(kw)
    return Partner(**base)


def _sale(**kw: Any) -> Transaction:
    base: dict[str, Any] = {
        "id": "T1",
        "partner_id": "D1",
        "date": date(2026, 1, 5),
        "kind": "sale",
        "amount": Money(100, "CNY"),
    }
    base.update(kw)
    return Transaction(**base)


def test_partner_defaults() -> None:
    p = _partner()
    assert p.kind is PartnerKind.DISTRIBUTOR
    assert (p.tier, p.parent_id, p.territories, p.exclusive, p.credit_limit) == (
        None,
        None,
        frozenset(),
        False,
        None,
    )
    assert p.status is PartnerStatus.ACTIVE


@pytest.mark.parametrize(
    ("kw", "field", "text"),
    [
        ({"id": ""}, "id", "at least 1 character"),
        ({"id": "   "}, "id", "pattern"),
        ({"name": ""}, "name", "at least 1 character"),
        ({"kind": "wholesaler"}, "kind", "distributor"),
        ({"currency": "XXX"}, "currency", "unknown currency 'XXX'"),
        ({"payment_terms_days": -1}, "payment_terms_days", "greater than or equal to 0"),
        ({"colour": "red"}, "colour", "Extra inputs are not permitted"),
        ({"credit_limit": Money(1, "USD")}, None, "credit_limit is in USD"),
        ({"credit_limit": Money(-1, "CNY")}, None, "credit_limit must not be negative"),
        ({"parent_id": "D1"}, None, "parent_id must differ from id"),
        ({"territories": frozenset({""})}, "territories", "at least 1 character"),
    ],
)
def test_partner_errors(kw: dict[str, Any], field: str | None, text: str) -> None:
    with pytest.raises(ValidationError, match=text) as info:
        _partner(**kw)
    if field is not None:
        assert info.value.errors()[0]["loc"][0] == field


def test_models_are_frozen() -> None:
    p = _partner()
    with pytest.raises(ValidationError, match="frozen"):
        p.name = "South"  # type: ignore[misc]
    assert p.model_copy(update={"name": "South"}).name == "South"
    assert hash(p) == hash(_partner())


def test_transaction_rules() -> None:
    t = _sale(quantity="2", unit_price=Money(50, "CNY"), sku="A")
    assert t.kind is TransactionKind.SALE
    assert t.quantity == Decimal(2)
    assert _sale(partner_id=None).partner_id is None
    cases: list[tuple[dict[str, Any], str]] = [
        ({"amount": Money(0, "CNY")}, "amount must be positive"),
        ({"amount": Money(-5, "CNY")}, "amount must be positive"),
        ({"unit_price": Money(1, "USD")}, "unit_price is in USD but amount is in CNY"),
        ({"unit_price": Money(-1, "CNY")}, "unit_price must not be negative"),
        ({"quantity": -1}, "must be at least 0"),
        ({"quantity": 1.5}, "must not be a float"),
        ({"amount": {"amount": 1.5, "currency": "CNY"}}, "must not be a float"),
        ({"kind": "refund"}, "kind"),
        ({"partner_id": ""}, "at least 1 character"),
    ]
    for kw, text in cases:
        with pytest.raises(ValidationError, match=text):
            _sale(**kw)


def test_statement_signs() -> None:
    s = FinancialStatement(currency="CNY", period_end=date(2025, 12, 31), net_income=-5, equity=-1)
    assert s.net_income == Decimal(-5)
    assert s.cash is None
    with pytest.raises(ValidationError, match="must be at least 0"):
        FinancialStatement(currency="CNY", period_end=date(2025, 12, 31), inventory=-1)
    with pytest.raises(ValidationError, match="must not be a float"):
        FinancialStatement(currency="CNY", period_end=date(2025, 12, 31), cash=1.0)


@given(partners())
def test_partner_json_round_trip(p: Partner) -> None:
    assert Partner.model_validate_json(p.model_dump_json()) == p


@given(transactions())
def test_transaction_json_round_trip(t: Transaction) -> None:
    assert Transaction.model_validate_json(t.model_dump_json()) == t


@given(financial_statements())
def test_statement_json_round_trip(s: FinancialStatement) -> None:
    assert FinancialStatement.model_validate_json(s.model_dump_json()) == s


def test_transaction_new_fields_default_to_none() -> None:
    t = _sale()
    assert (t.cost, t.category, t.refers_to) == (None, None, None)


def test_transaction_cost_category_refers_to_accepted() -> None:
    # a return of sale T0 whose goods cost 60 of the 100 CNY refunded
    r = _sale(
        kind="return",
        cost=Money("60.00", "CNY"),
        category="Electronics/Phones/Android",
        refers_to="T0",
    )
    assert r.cost == Money(60, "CNY")
    assert r.category == "Electronics/Phones/Android"
    assert r.refers_to == "T0"
    # a payment of invoice T0 (no cost), a sale with a zero cost, a one-segment category
    p = _sale(kind="payment", refers_to="T0")
    assert p.refers_to == "T0"
    assert _sale(cost=Money(0, "CNY"), category="Home").cost == Money(0, "CNY")


@pytest.mark.parametrize(
    ("kw", "text"),
    [
        ({"cost": Money(1, "USD")}, "cost is in USD but amount is in CNY"),
        ({"cost": Money("-0.01", "CNY")}, r"cost must not be negative, got -0.01 CNY"),
        ({"kind": "payment", "cost": Money(5, "CNY")}, "cost: a payment has no cost of goods"),
        ({"cost": {"amount": 1.5, "currency": "CNY"}}, "must not be a float"),
        ({"refers_to": "T0"}, "refers_to: a sale refers to no other transaction, got 'T0'"),
        ({"kind": "return", "refers_to": ""}, "at least 1 character"),
        ({"kind": "return", "refers_to": " "}, "pattern"),
        ({"category": ""}, "without empty segments"),
        ({"category": "A//B"}, "without empty segments"),
        ({"category": "/A"}, "without empty segments"),
        ({"category": "A/"}, "without empty segments"),
        ({"category": "A/ \u3000/B"}, "without empty segments"),
    ],
)
def test_transaction_new_field_errors(kw: dict[str, Any], text: str) -> None:
    with pytest.raises(ValidationError, match=text):
        _sale(**kw)


def test_category_segment_of_unicode_non_space_is_kept() -> None:
    # U+001C is not White_Space (the Id pattern accepts it), so it is a non-empty segment
    assert _sale(category="A/\x1c").category == "A/\x1c"
