"""The channel review's result models validate themselves (a review read back from JSON)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from channelkit import (
    ChannelReview,
    Concentration,
    Coverage,
    Figures,
    GroupRow,
    Money,
    PartnerKind,
    PartnerRow,
    review,
)
from channelkit.demo import sample


def cny(x: int | str) -> Money:
    return Money(x, "CNY")


def figures(
    gross: str, returns: str, coll: str, units: int, orders: int, customers: int
) -> Figures:
    return Figures(
        gross_sales=cny(gross),
        returns=cny(returns),
        net_sales=cny(gross) - cny(returns),
        collections=cny(coll),
        units=Decimal(units),
        orders=orders,
        customers=customers,
    )


def test_figures_validation() -> None:
    good: dict[str, Any] = {
        "gross_sales": cny(10),
        "returns": cny(2),
        "net_sales": cny(8),
        "collections": cny(0),
        "units": 1,
        "orders": 1,
        "customers": 1,
    }
    assert Figures(**good).currency == "CNY"
    with pytest.raises(ValidationError, match="returns is in USD but gross_sales is in CNY"):
        Figures(**{**good, "returns": Money(2, "USD")})
    with pytest.raises(ValidationError, match="collections must not be negative, got -1 CNY"):
        Figures(**{**good, "collections": cny(-1)})
    with pytest.raises(ValidationError, match="net_sales must equal gross_sales - returns"):
        Figures(**{**good, "net_sales": cny(10)})
    with pytest.raises(ValidationError, match=r"customers \(2\) cannot exceed orders \(1\)"):
        Figures(**{**good, "customers": 2})
    with pytest.raises(ValidationError, match="orders"):
        Figures(**{**good, "orders": -1})
    with pytest.raises(ValidationError, match="must not be a float"):
        Figures(**{**good, "units": 1.0})


def test_partner_row_validation() -> None:
    good: dict[str, Any] = {
        "partner_id": "A",
        "kind": "dealer",
        "figures": figures("10", "0", "0", 1, 1, 1),
        "prior_net_sales": None,
        "growth": None,
        "share": None,
        "target": cny(5),
        "attainment": 2,
        "collection_rate": None,
        "return_rate": 0,
        "average_order": cny(10),
    }
    row = PartnerRow(**good)
    assert row.kind is PartnerKind.DEALER
    assert row.net_sales == cny(10)
    with pytest.raises(ValidationError, match="target is in USD but the figures are in CNY"):
        PartnerRow(**{**good, "target": Money(5, "USD")})
    with pytest.raises(ValidationError, match="target must not be negative, got -5 CNY"):
        PartnerRow(**{**good, "target": cny(-5)})
    with pytest.raises(ValidationError, match="return_rate"):
        PartnerRow(**{**good, "return_rate": -1})
    with pytest.raises(ValidationError, match="partner_id"):
        PartnerRow(**{**good, "partner_id": ""})


def test_group_row_validation() -> None:
    f = figures("10", "0", "0", 1, 1, 1)
    with pytest.raises(ValidationError, match="prior_net_sales is in USD but the figures are in"):
        GroupRow(key="N", figures=f, share=None, prior_net_sales=Money(1, "USD"), growth=None)
    assert GroupRow(key="", figures=f, share=1, prior_net_sales=None, growth=None).key == ""


def test_coverage_validation() -> None:
    good: dict[str, Any] = {
        "partners": 2,
        "active_partners": 1,
        "new_partners": 1,
        "territories": 2,
        "territories_covered": 1,
        "coverage_rate": "0.5",
    }
    assert Coverage(**good).coverage_rate == Decimal("0.5")
    with pytest.raises(ValidationError, match=r"active_partners \(3\) cannot exceed partners"):
        Coverage(**{**good, "active_partners": 3})
    with pytest.raises(ValidationError, match=r"new_partners \(3\) cannot exceed partners"):
        Coverage(**{**good, "new_partners": 3})
    with pytest.raises(ValidationError, match=r"territories_covered \(3\) cannot exceed"):
        Coverage(**{**good, "territories_covered": 3})
    with pytest.raises(ValidationError, match="coverage_rate must be None exactly when"):
        Coverage(**{**good, "coverage_rate": None})
    with pytest.raises(ValidationError, match="coverage_rate"):
        Coverage(**{**good, "coverage_rate": "1.5"})


def test_concentration_validation() -> None:
    with pytest.raises(ValidationError, match="top_share and hhi must both be None"):
        Concentration(top=1, top_share=1, hhi=None)
    with pytest.raises(ValidationError, match="hhi must be at most 10000, got 10001"):
        Concentration(top=1, top_share=1, hhi=10_001)
    with pytest.raises(ValidationError, match="head names 2 partners but top is 1"):
        Concentration(top=1, top_share=1, hhi=10_000, head=("A", "B"))
    with pytest.raises(ValidationError, match="top"):
        Concentration(top=0, top_share=None, hhi=None)


def test_channel_review_validation() -> None:
    r = review(
        sample.transactions(), sample.QUARTER, partners=sample.partners(), prior=sample.PRIOR
    )
    data = r.model_dump()
    with pytest.raises(ValidationError, match="total is in CNY but the review is in USD"):
        ChannelReview.model_validate({**data, "currency": "USD"})
    with pytest.raises(ValidationError, match="must not overlap period"):
        ChannelReview.model_validate({**data, "prior": sample.QUARTER})
    with pytest.raises(ValidationError, match=r"laggards must name partner rows, got \['NOPE'\]"):
        ChannelReview.model_validate({**data, "laggards": ("NOPE",)})
    twice = (data["partners"][0], data["partners"][0])
    with pytest.raises(ValidationError, match="one row per partner id"):
        ChannelReview.model_validate({**data, "partners": twice})
    assert ChannelReview.model_validate(data) == r
