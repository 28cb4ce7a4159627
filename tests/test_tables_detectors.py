"""The detectors take a table too (API.md, "Tables in, tables out"): worked examples.

Each detector picks in columns the rows that can matter and runs its own loop over them as
models; these cases sit on the edges of those column filters (a price at the floor to 34 digits,
number columns too wide to compare in columns, holders joining mid-period, a registration's
expiry day). The random comparisons with the model path are in ``test_tables_properties.py``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

pa = pytest.importorskip("pyarrow")

from channelkit import (  # noqa: E402
    CurrencyMismatchError,
    DealRegistration,
    Money,
    Partner,
    PartnerKind,
    Transaction,
    detect_channel_overlap,
    detect_conflicts,
    detect_price_violations,
    detect_territory_diversion,
    frames,
)


def models(data: Any) -> list[Transaction]:
    return list(frames.transactions(data))


def _sales(**changes: list[Any]) -> Any:
    n = len(next(iter(changes.values())))
    base: dict[str, list[Any]] = {
        "id": [f"S{i}" for i in range(n)],
        "partner_id": ["D1"] * n,
        "date": ["2026-08-01"] * n,
        "kind": ["sale"] * n,
        "sku": ["A"] * n,
        "currency": ["CNY"] * n,
    }
    return pa.table({**base, **changes})


@pytest.mark.parametrize(
    ("floor", "found"),
    [
        # 1 / 3 is 0.3333333333333333333333333333333333 in 34 digits: below this floor...
        ("0.3333333333333333333333333333333334", 1),
        # ...and exactly at this one, which is not a violation
        ("0.3333333333333333333333333333333333", 0),
    ],
)
def test_a_price_computed_from_amount_and_quantity_at_the_floor(floor: str, found: int) -> None:
    data = _sales(amount=["1.00"], quantity=[3])
    floors = {"A": Money(floor, "CNY")}
    result = detect_price_violations(data, floors)
    assert len(result) == found
    assert result == detect_price_violations(models(data), floors)


def test_unit_prices_at_and_below_the_floor_with_a_tolerance() -> None:
    # floor 2600, tolerance 2%: prices below 2548 violate; 2548 itself does not
    data = _sales(
        amount=["25480", "25470", "36750"],
        quantity=[10, 10, 15],
        unit_price=["2548", "2547", "2450"],
    )
    floors = {"A": Money(2600, "CNY")}
    result = detect_price_violations(data, floors, tolerance="0.02")
    assert [c.evidence for c in result] == [("S1", "S2")]
    assert result == detect_price_violations(models(data), floors, tolerance="0.02")


@pytest.mark.parametrize(
    "changes",
    [
        # unit prices that need decimal text (15 integer digits and 67 places)
        {"unit_price": ["2500", "1.000000000000000000000000000000001E-34", "999999999999999"]},
        # amounts past 44 places, quantities past 28: the detector decides on every row
        {"amount": ["2500", "1.000000000000000000000000000000001E-34", "99999"]},
        {"quantity": ["1", "1.0000000000000000000000000000001", "30"]},
    ],
)
def test_wide_number_columns_leave_the_choice_to_the_detector(changes: dict[str, Any]) -> None:
    columns: dict[str, list[Any]] = {"amount": ["2500", "2500", "99999"], "quantity": [1, 1, 30]}
    data = _sales(**{**columns, **changes})
    floors = {"A": Money(2600, "CNY")}
    result = detect_price_violations(data, floors)
    assert result
    assert result == detect_price_violations(models(data), floors)


def test_no_floors_and_no_rows_find_nothing() -> None:
    data = _sales(amount=["1"], quantity=[1])
    assert detect_price_violations(data, {}) == ()
    assert detect_price_violations(data.slice(0, 0), {"A": Money(5, "CNY")}) == ()
    assert detect_territory_diversion(data.slice(0, 0), []) == ()
    assert detect_conflicts(data.slice(0, 0), partners=[], registrations=[], floors={}) == ()


def test_a_sale_in_another_currency_than_its_floor_raises_as_with_models() -> None:
    data = _sales(
        amount=["100", "100"], quantity=[1, 1], unit_price=["5000", "5000"], currency=["CNY", "USD"]
    )
    with pytest.raises(CurrencyMismatchError, match="transaction S1"):
        detect_price_violations(data, {"A": Money(2600, "CNY")})


def test_territory_diversion_from_a_table_by_hand() -> None:
    def holder(pid: str, joined: dt.date) -> Partner:
        return Partner(
            id=pid,
            name=pid,
            kind=PartnerKind.DEALER,
            currency="CNY",
            territories=frozenset({"SH"}),
            exclusive=True,
            payment_terms_days=30,
            joined=joined,
        )

    holders = [holder("H1", dt.date(2026, 1, 1)), holder("H2", dt.date(2026, 8, 1))]
    data = _sales(
        partner_id=["H1", "D1", "D1", "D1", "H2"],
        date=["2026-07-01", "2025-12-31", "2026-07-01", "2026-08-01", "2026-09-01"],
        territory=["SH", "SH", "SH", "SH", "SH"],
        amount=["1", "2", "3", "4", "5"],
    )
    (found,) = detect_territory_diversion(data, holders)
    # S0 and S4 are the holders' own; S1 is dated before any holder joined; S2 is against H1
    # only (H2 joined in August), S3 against both
    assert (found.parties, found.evidence) == (("D1", "H1", "H2"), ("S2", "S3"))
    assert found.amount_at_stake == Money(7, "CNY")
    assert (found,) == detect_territory_diversion(models(data), holders)


def test_channel_overlap_from_a_table_by_hand() -> None:
    reg = DealRegistration(
        id="R1",
        partner_id="D1",
        customer_id="C1",
        registered=dt.date(2026, 7, 1),
        expires=dt.date(2026, 9, 1),
        status="approved",
    )
    data = _sales(
        partner_id=[None, None, "D2", None],
        date=["2026-08-01", "2026-09-01", "2026-08-01", "2026-08-02"],
        customer_id=["C1", "C1", "C1", "C2"],
        amount=["10", "20", "30", "40"],
    )
    (found,) = detect_channel_overlap(data, [reg])
    # S1 is on the expiry day (half-open window), S2 is a partner's, S3 another customer's
    assert found.evidence == ("S0", "R1")
    assert (found,) == detect_channel_overlap(models(data), [reg])
    assert detect_conflicts(data, registrations=[reg]) == (found,)
