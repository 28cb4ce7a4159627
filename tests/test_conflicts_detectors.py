"""Hand-built scenarios for each conflict detector, with their edge cases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from channelkit import (
    ArgumentError,
    ArgumentTypeError,
    ConflictCause,
    ConflictType,
    CurrencyMismatchError,
    DealRegistration,
    DealStatus,
    Money,
    Partner,
    PartnerKind,
    PartnerStatus,
    Severity,
    Transaction,
    TransactionKind,
    detect_channel_overlap,
    detect_conflicts,
    detect_deal_overlaps,
    detect_price_violations,
    detect_territory_diversion,
)
from channelkit.conflicts import conflict_id, depth_severity

D = dt.date
SALE, RETURN, PAYMENT = TransactionKind.SALE, TransactionKind.RETURN, TransactionKind.PAYMENT
AUG = D(2026, 8, 1)
LONG_AGO = D(2020, 1, 1)


def tx(
    id: str,
    partner: str | None = "P1",
    *,
    day: dt.date = AUG,
    kind: TransactionKind = SALE,
    sku: str | None = "A",
    qty: int | str = 1,
    price: int | str | None = 1000,
    amount: int | str | None = None,
    cur: str = "CNY",
    territory: str | None = None,
    customer: str | None = None,
) -> Transaction:
    unit = None if price is None else Money(price, cur)
    if amount is None:
        total = unit * Decimal(qty) if unit is not None and Decimal(qty) else Money(1, cur)
    else:
        total = Money(amount, cur)
    return Transaction(
        id=id,
        partner_id=partner,
        date=day,
        kind=kind,
        amount=total,
        quantity=Decimal(qty),
        sku=sku,
        unit_price=unit,
        territory=territory,
        customer_id=customer,
    )


FLOORS = {"A": Money(1000, "CNY"), "B": Money(2600, "CNY")}


# -- price violations ---------------------------------------------------------------------------


def test_price_exactly_at_the_floor_is_no_violation() -> None:
    assert detect_price_violations([tx("T1", price=1000)], FLOORS) == ()


def test_price_one_unit_below_the_floor() -> None:
    (c,) = detect_price_violations([tx("T1", price="999.99", qty=3)], FLOORS)
    # depth 0.01 / 1000 = 0.001% -> LOW; stake 0.01 x 3 = 0.03
    assert c.id == "price_violation:P1:A:2026-08-01"
    assert (c.type, c.cause, c.parties) == (
        ConflictType.HORIZONTAL,
        ConflictCause.PRICE_VIOLATION,
        ("P1",),
    )
    assert (c.severity, c.amount_at_stake, c.evidence) == (
        Severity.LOW,
        Money("0.03", "CNY"),
        ("T1",),
    )
    assert c.detected == D(2026, 8, 1)
    assert c.description == (
        "P1 sold A below the floor of 1,000.00 CNY in 1 sale; deepest 0% under it"
    )


def test_tolerance_boundary() -> None:
    at = tx("T1", price=980)  # depth 20 / 1000 = 2%: exactly the tolerance, not beyond it
    beyond = tx("T2", price=979)  # depth 2.1% > 2%
    found = detect_price_violations([at, beyond], FLOORS, tolerance="0.02")
    assert [c.evidence for c in found] == [("T2",)]
    # the stake is the whole gap below the floor, not only the part beyond the tolerance
    assert found[0].amount_at_stake == Money("21.00", "CNY")
    assert detect_price_violations([at], FLOORS, tolerance=Decimal("0.02")) == ()
    assert detect_price_violations([at], FLOORS, tolerance=0)[0].evidence == ("T1",)


def test_tolerance_one_flags_nothing() -> None:
    assert detect_price_violations([tx("T1", price=0, amount=1)], FLOORS, tolerance=1) == ()


@pytest.mark.parametrize(
    ("price", "severity"),
    [
        (951, Severity.LOW),  # depth 4.9%
        (950, Severity.MEDIUM),  # depth exactly 5%: the higher band
        (851, Severity.MEDIUM),  # 14.9%
        (850, Severity.HIGH),  # 15%
        (701, Severity.HIGH),  # 29.9%
        (700, Severity.CRITICAL),  # 30%
        (0, Severity.CRITICAL),  # 100%
    ],
)
def test_severity_bands_by_depth(price: int, severity: Severity) -> None:
    (c,) = detect_price_violations([tx("T1", price=price, amount=1)], FLOORS)
    assert c.severity is severity


def test_custom_bands() -> None:
    # depth 10%: with bands 1%, 2%, 10% it is CRITICAL; with 20%, 30%, 40% LOW
    sale = [tx("T1", price=900)]
    assert detect_price_violations(sale, FLOORS, bands=("0.01", "0.02", "0.10"))[0].severity is (
        Severity.CRITICAL
    )
    assert detect_price_violations(sale, FLOORS, bands=(20, 30, 40))[0].severity is Severity.LOW
    assert depth_severity("0.1", bands=["0.2", "0.3", "0.4"]) is Severity.LOW
    # equal bounds skip a level: no MEDIUM with (5%, 5%, 30%)
    assert depth_severity("0.06", bands=["0.05", "0.05", "0.30"]) is Severity.HIGH


def test_group_per_seller_and_sku() -> None:
    sales = [
        tx("T1", day=D(2026, 9, 1), price=950, qty=2),  # depth 5%, stake 50 x 2 = 100
        tx("T2", day=D(2026, 7, 1), price=800, qty=1),  # depth 20%, stake 200
        tx("T3", day=D(2026, 8, 1), price=1100, qty=5),  # above the floor
        tx("T4", partner="P0", sku="B", price=2470, qty=1),  # depth 130 / 2600 = 5%, stake 130
        tx("T5", sku="B", price=2000, qty=2),  # depth 600 / 2600 = 23.08%, stake 1200
    ]
    found = detect_price_violations(sales, FLOORS)
    # sorted by seller, then SKU
    assert [(c.parties, c.evidence) for c in found] == [
        (("P0",), ("T4",)),
        (("P1",), ("T1", "T2")),  # evidence in input order
        (("P1",), ("T5",)),
    ]
    p1a = found[1]
    assert p1a.amount_at_stake == Money("300.00", "CNY")  # 100 + 200
    assert p1a.severity is Severity.HIGH  # the deepest, 20%
    assert p1a.detected == D(2026, 7, 1)  # the first date, not the first in input order
    assert p1a.id == "price_violation:P1:A:2026-07-01"
    assert "in 2 sales; deepest 20% under it" in p1a.description
    assert found[2].amount_at_stake == Money("1200.00", "CNY")
    assert found[2].severity is Severity.HIGH


def test_unit_price_derived_from_amount_and_quantity() -> None:
    # no unit_price: 9,000 / 4 = 2,250 per unit; stake 2,600 x 4 - 9,000 = 1,400
    (c,) = detect_price_violations([tx("T1", sku="B", price=None, amount=9000, qty=4)], FLOORS)
    assert c.amount_at_stake == Money("1400.00", "CNY")
    assert c.severity is Severity.MEDIUM  # depth 350 / 2600 = 13.46%
    # a third of a unit price: 1,000 / 3 = 333.33...; stake 1,000 x 3 - 1,000 = 2,000 exactly
    (c2,) = detect_price_violations([tx("T2", price=None, amount=1000, qty=3)], FLOORS)
    assert c2.amount_at_stake == Money("2000.00", "CNY")


def test_stake_rounded_half_up_once_at_the_end() -> None:
    # gap 0.01 x 0.5 = 0.005 per sale; two sales 0.010 -> 0.01 (rounding each would give 0.02)
    sales = [tx("T1", price="999.99", qty="0.5"), tx("T2", price="999.99", qty="0.5")]
    assert detect_price_violations(sales, FLOORS)[0].amount_at_stake == Money("0.01", "CNY")
    # a single 0.005 rounds half-up to 0.01
    assert detect_price_violations(sales[:1], FLOORS)[0].amount_at_stake == Money("0.01", "CNY")
    # JPY has no minor unit: 0.5 x 3 = 1.5 -> 2
    jpy = [tx("T3", price=99, qty="1.5", cur="JPY")]
    assert detect_price_violations(jpy, {"A": Money(100, "JPY")})[0].amount_at_stake == Money(
        2, "JPY"
    )


def test_price_skips_what_is_not_a_partner_sale_of_a_floored_sku() -> None:
    skipped = [
        tx("T1", partner=None, price=10),  # the vendor's direct sale
        tx("T2", kind=RETURN, price=10),
        tx("T3", kind=PAYMENT, sku=None, price=None, qty=0, amount=10),
        tx("T4", sku=None, price=10),
        tx("T5", sku="Z", price=10),  # no floor for Z
        tx("T6", price=None, qty=0, amount=5),  # neither a unit price nor a quantity
    ]
    assert detect_price_violations(skipped, FLOORS) == ()
    assert detect_price_violations([tx("T1", price=10)], {}) == ()


def test_zero_quantity_with_a_unit_price_is_flagged_with_no_stake() -> None:
    (c,) = detect_price_violations([tx("T1", price=500, qty=0, amount=1)], FLOORS)
    assert (c.severity, c.amount_at_stake) == (Severity.CRITICAL, Money("0.00", "CNY"))


def test_floor_in_another_currency_raises_even_above_the_floor() -> None:
    with pytest.raises(CurrencyMismatchError, match=r"floor of A and transaction T1.*CNY.*USD"):
        detect_price_violations([tx("T1", price=5000, cur="USD")], FLOORS)
    with pytest.raises(CurrencyMismatchError):
        detect_price_violations([tx("T1", price=None, qty=0, amount=5, cur="USD")], FLOORS)


def test_price_bad_options() -> None:
    sale = [tx("T1")]
    with pytest.raises(ArgumentError, match=r"floors\['A'\] must be positive, got 0 CNY") as err:
        detect_price_violations(sale, {"A": Money(0, "CNY")})
    assert err.value.argument == "floors"
    with pytest.raises(ArgumentError, match="must be positive"):
        detect_price_violations(sale, {"A": Money(-1, "CNY")})
    with pytest.raises(ArgumentTypeError, match=r"floors\['A'\] must be Money, got Decimal"):
        detect_price_violations(sale, {"A": Decimal(5)})  # type: ignore[dict-item]
    with pytest.raises(ArgumentTypeError, match="floors must be keyed by SKU"):
        detect_price_violations(sale, {5: Money(5, "CNY")})  # type: ignore[dict-item]
    with pytest.raises(
        ArgumentTypeError, match="floors must be a mapping of SKUs to Money, not list"
    ):
        detect_price_violations(sale, [("A", Money(5, "CNY"))])  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match="tolerance must not be a float"):
        detect_price_violations(sale, FLOORS, tolerance=0.02)  # type: ignore[arg-type]
    for bad in ("-0.01", "1.01"):
        with pytest.raises(ArgumentError, match="tolerance must be from 0 to 1") as err:
            detect_price_violations(sale, FLOORS, tolerance=bad)
        assert (err.value.argument, err.value.value) == ("tolerance", bad)
    with pytest.raises(ArgumentError, match="bands must hold three bounds") as err:
        detect_price_violations(sale, FLOORS, bands=("0.1", "0.2"))
    assert err.value.argument == "bands"
    with pytest.raises(ArgumentError, match="bands must be non-negative and ascending"):
        detect_price_violations(sale, FLOORS, bands=("0.3", "0.2", "0.1"))
    with pytest.raises(ArgumentError, match="bands must be non-negative and ascending"):
        detect_price_violations(sale, FLOORS, bands=("-0.1", "0.2", "0.3"))
    with pytest.raises(ArgumentTypeError, match=r"bands\[1\] must not be a float"):
        detect_price_violations(sale, FLOORS, bands=("0.1", 0.2, "0.3"))  # type: ignore[arg-type]
    with pytest.raises(
        ArgumentTypeError, match="bands must be a sequence of three bounds, not str"
    ):
        detect_price_violations(sale, FLOORS, bands="0.1")  # type: ignore[arg-type]
    with pytest.raises(
        ArgumentTypeError, match="bands must be a sequence of three bounds, not set"
    ):
        depth_severity("0.1", bands={"0.1", "0.2", "0.3"})  # type: ignore[arg-type]
    with pytest.raises(
        ArgumentTypeError, match=r"transactions\[0\] must be a Transaction, not dict"
    ):
        detect_price_violations([{"id": "T1"}], FLOORS)  # type: ignore[list-item]
    with pytest.raises(ArgumentTypeError, match="transactions must be an iterable of Transaction"):
        detect_price_violations(5, FLOORS)  # type: ignore[arg-type]


def test_conflict_ids_escape_separators() -> None:
    (c,) = detect_price_violations(
        [tx("T1", partner="P:1", sku="A%B", price=1)], {"A%B": Money(2, "CNY")}
    )
    assert c.id == "price_violation:P%3A1:A%25B:2026-08-01"
    assert conflict_id("deal_overlap", "a:b", "c") != conflict_id("deal_overlap", "a", "b:c")


# -- territory diversion ------------------------------------------------------------------------


def partner(
    id: str,
    territories: tuple[str, ...],
    *,
    exclusive: bool = True,
    joined: dt.date = LONG_AGO,
    status: PartnerStatus = PartnerStatus.ACTIVE,
) -> Partner:
    return Partner(
        id=id,
        name=id,
        kind=PartnerKind.DISTRIBUTOR,
        territories=frozenset(territories),
        exclusive=exclusive,
        currency="CNY",
        payment_terms_days=30,
        joined=joined,
        status=status,
    )


EAST = partner("D-EAST", ("SH", "JS"))
SOUTH = partner("R-SOUTH", ("GD",), exclusive=False)
SHARED = partner("D-SHARED", ("SH",))  # a second exclusive holder of SH (misconfigured, but legal)


def sold(
    id: str, seller: str | None, territory: str | None, amount: int = 1000, **kw: object
) -> Transaction:
    return tx(id, seller, territory=territory, price=None, amount=amount, **kw)  # type: ignore[arg-type]


def test_diversion_names_seller_and_holder() -> None:
    sales = [
        sold("T2", "R-SOUTH", "SH", 12_000, day=D(2026, 9, 1)),
        sold("T1", "R-SOUTH", "SH", 33_000, day=D(2026, 8, 25)),
    ]
    (c,) = detect_territory_diversion(sales, [EAST, SOUTH])
    assert c.id == "territory_diversion:R-SOUTH:SH:2026-08-25"
    assert (c.type, c.cause, c.parties) == (
        ConflictType.HORIZONTAL,
        ConflictCause.TERRITORY_DIVERSION,
        ("R-SOUTH", "D-EAST"),
    )
    assert c.amount_at_stake == Money(45_000, "CNY")  # 12,000 + 33,000
    assert c.evidence == ("T2", "T1")  # input order
    assert c.detected == D(2026, 8, 25)
    assert c.severity is Severity.HIGH
    assert c.description == (
        "R-SOUTH sold into SH, held exclusively by D-EAST: 2 sales, 45,000.00 CNY"
    )


def test_not_diversions() -> None:
    sales = [
        sold("T1", "D-EAST", "SH"),  # the territory's own holder
        sold("T2", "D-EAST", "GD"),  # GD is not exclusive
        sold("T3", "R-SOUTH", None),  # no territory
        sold("T4", "R-SOUTH", "XJ"),  # nobody holds XJ
        sold("T5", None, "SH"),  # the vendor's direct sale
        sold("T6", "R-SOUTH", "SH", kind=RETURN),  # a return
    ]
    assert detect_territory_diversion(sales, [EAST, SOUTH]) == ()


def test_several_exclusive_holders_sorted_and_a_holder_among_them_is_not_diverting() -> None:
    sales = [sold("T1", "R-SOUTH", "SH"), sold("T2", "D-SHARED", "SH")]
    (c,) = detect_territory_diversion(sales, [SHARED, EAST])
    assert c.parties == ("R-SOUTH", "D-EAST", "D-SHARED")
    assert c.description.startswith("R-SOUTH sold into SH, held exclusively by D-EAST, D-SHARED:")


def test_holder_counts_from_the_day_it_joined() -> None:
    late = partner("D-LATE", ("SH",), joined=D(2026, 8, 1))
    before = sold("T1", "R-SOUTH", "SH", day=D(2026, 7, 31))
    same_day = sold("T2", "R-SOUTH", "SH", day=D(2026, 8, 1))
    assert detect_territory_diversion([before], [late]) == ()
    assert detect_territory_diversion([same_day], [late])[0].evidence == ("T2",)
    # holders are the union over the group's sales: EAST for both, LATE only for T2
    (c,) = detect_territory_diversion([before, same_day], [late, EAST])
    assert c.parties == ("R-SOUTH", "D-EAST", "D-LATE")
    assert c.evidence == ("T1", "T2")


def test_terminated_holders_hold_nothing_suspended_still_do() -> None:
    sale = [sold("T1", "R-SOUTH", "SH")]
    gone = partner("D-EAST", ("SH",), status=PartnerStatus.TERMINATED)
    paused = partner("D-EAST", ("SH",), status=PartnerStatus.SUSPENDED)
    assert detect_territory_diversion(sale, [gone]) == ()
    assert detect_territory_diversion(sale, [paused])[0].parties == ("R-SOUTH", "D-EAST")


def test_diversion_groups_sorted_and_severity_option() -> None:
    sales = [
        sold("T1", "R-SOUTH", "SH"),
        sold("T2", "O-MALL", "JS"),
        sold("T3", "R-SOUTH", "JS"),
    ]
    found = detect_territory_diversion(sales, [EAST], severity=Severity.CRITICAL)
    assert [c.id for c in found] == [
        "territory_diversion:O-MALL:JS:2026-08-01",
        "territory_diversion:R-SOUTH:JS:2026-08-01",
        "territory_diversion:R-SOUTH:SH:2026-08-01",
    ]
    assert {c.severity for c in found} == {Severity.CRITICAL}


def test_diversion_in_two_currencies_raises() -> None:
    sales = [sold("T1", "R-SOUTH", "SH"), sold("T2", "R-SOUTH", "SH", cur="USD")]
    with pytest.raises(CurrencyMismatchError, match="diverted sales of R-SOUTH into SH"):
        detect_territory_diversion(sales, [EAST])


# -- deal registration overlaps -----------------------------------------------------------------


def registration(
    id: str,
    partner: str,
    start: dt.date,
    end: dt.date,
    *,
    customer: str = "C1",
    status: DealStatus = DealStatus.APPROVED,
) -> DealRegistration:
    return DealRegistration(
        id=id,
        partner_id=partner,
        customer_id=customer,
        registered=start,
        expires=end,
        status=status,
    )


JAN, FEB, MAR, APR, MAY = (D(2026, m, 1) for m in range(1, 6))


def test_overlap_first_registration_wins() -> None:
    a = registration("R1", "P-A", JAN, MAR)
    b = registration("R2", "P-B", FEB, APR, status=DealStatus.PENDING)
    (c,) = detect_deal_overlaps([b, a])
    assert c.id == "deal_overlap:R1:R2"
    assert (c.type, c.cause, c.parties) == (
        ConflictType.HORIZONTAL,
        ConflictCause.DEAL_OVERLAP,
        ("P-A", "P-B"),
    )
    assert c.evidence == ("R2", "R1")  # input order
    assert (c.detected, c.amount_at_stake, c.severity) == (FEB, None, Severity.MEDIUM)
    assert c.description == (
        "P-B registered customer C1 (R2, from 2026-02-01) while P-A's registration R1 "
        "(from 2026-01-01 to 2026-03-01) was open; R1 wins"
    )


def test_registration_that_expired_the_day_before_does_not_overlap() -> None:
    a = registration("R1", "P-A", JAN, MAR)  # covers up to 2026-02-28
    assert detect_deal_overlaps([a, registration("R2", "P-B", MAR, APR)]) == ()
    touching = registration("R2", "P-B", D(2026, 2, 28), APR)
    assert len(detect_deal_overlaps([a, touching])) == 1


@pytest.mark.parametrize("status", [DealStatus.REJECTED, DealStatus.EXPIRED])
def test_rejected_and_expired_registrations_do_not_count(status: DealStatus) -> None:
    a = registration("R1", "P-A", JAN, MAR)
    b = registration("R2", "P-B", FEB, APR, status=status)
    assert detect_deal_overlaps([a, b]) == ()
    assert detect_deal_overlaps([b.model_copy(update={"id": "R0"}), b]) == ()


def test_same_partner_twice_and_other_customers_are_no_conflict() -> None:
    a = registration("R1", "P-A", JAN, MAR)
    again = registration("R2", "P-A", FEB, APR)
    elsewhere = registration("R3", "P-B", FEB, APR, customer="C2")
    assert detect_deal_overlaps([a, again, elsewhere]) == ()


def test_same_day_smaller_id_first_as_strings() -> None:
    r9 = registration("R9", "P-A", JAN, MAR)
    r10 = registration("R10", "P-B", JAN, MAR)  # "R10" < "R9" as strings
    (c,) = detect_deal_overlaps([r9, r10])
    assert (c.id, c.parties, c.evidence) == ("deal_overlap:R10:R9", ("P-B", "P-A"), ("R9", "R10"))


def test_one_conflict_per_registration_against_the_first_it_overlaps() -> None:
    regs = [
        registration("R3", "P-C", MAR, MAY),
        registration("R1", "P-A", JAN, MAY),
        registration("R2", "P-B", FEB, D(2026, 3, 2)),
        registration("R4", "P-A", D(2026, 3, 5), MAY),
        registration("X1", "P-B", JAN, FEB, customer="C0"),
        registration("X2", "P-C", JAN, FEB, customer="C0"),
    ]
    found = detect_deal_overlaps(regs)
    # R2 (P-B, from 1 Feb): R1 (P-A) is open -> against R1.
    # R3 (P-C, from 1 Mar): R1 and R2 (R2 covers 1 Mar, its last day) are both open and of
    #   other partners -> once, against the first, R1 (no R2:R3 any more).
    # R4 (P-A, from 5 Mar): R1 is P-A's own, R2 closed on 2 Mar, R3 (P-C) is open -> against R3.
    assert [(c.id, c.parties, c.detected) for c in found] == [
        ("deal_overlap:X1:X2", ("P-B", "P-C"), JAN),  # customer C0 first
        ("deal_overlap:R1:R2", ("P-A", "P-B"), FEB),
        ("deal_overlap:R1:R3", ("P-A", "P-C"), MAR),
        ("deal_overlap:R3:R4", ("P-C", "P-A"), D(2026, 3, 5)),
    ]
    assert found[2].evidence == ("R3", "R1")  # input order
    assert found[2].description == (
        "P-C registered customer C1 (R3, from 2026-03-01) while P-A's registration R1 "
        "(from 2026-01-01 to 2026-05-01) was open; R1 wins"
    )


def test_overlap_looks_past_the_partners_own_and_closed_registrations() -> None:
    regs = [
        registration("A1", "P-A", JAN, MAY),  # P-A's first, open throughout
        registration("B1", "P-B", D(2026, 1, 10), FEB),  # P-B's first, closed on 1 Feb
        registration("A2", "P-A", D(2026, 1, 20), MAY),
        registration("B2", "P-B", D(2026, 1, 25), MAY),
        registration("A3", "P-A", MAR, MAY),
        registration("C1", "P-C", APR, MAY),
        registration("B3", "P-B", D(2026, 5, 1), D(2026, 6, 1)),  # everything closed on 1 May
    ]
    found = detect_deal_overlaps(regs)
    # B1: A1 open -> A1:B1. A2 (P-A): the first open is A1, its own; the first of another
    # partner is B1 (open to 1 Feb) -> B1:A2. B2: A1 -> A1:B2. A3 (1 Mar, P-A): B1 closed on
    # 1 Feb, so the first other one open is B2 -> B2:A3. C1: A1 -> A1:C1. B3: nothing open.
    assert [c.id for c in found] == [
        "deal_overlap:A1:B1",
        "deal_overlap:A1:B2",
        "deal_overlap:A1:C1",
        "deal_overlap:B1:A2",
        "deal_overlap:B2:A3",
    ]
    assert [c.parties for c in found] == [
        ("P-A", "P-B"),
        ("P-A", "P-B"),
        ("P-A", "P-C"),
        ("P-B", "P-A"),
        ("P-B", "P-A"),
    ]


def test_2000_registrations_of_one_customer_give_at_most_1999_conflicts() -> None:
    # R<i> by partner P<i mod 7>, registered i days after 1 Jan 2026, all open until 2032, so
    # every pair of them overlaps: one conflict per pair of partners would be about 1.7 million;
    # one per later registration is at most 1,999
    regs = [
        registration(f"R{i:04d}", f"P{i % 7}", JAN + dt.timedelta(days=i), D(2032, 1, 1))
        for i in range(2000)
    ]
    found = detect_deal_overlaps(reversed(regs))
    assert len(found) <= 1999
    # R0000 (P0, the first) holds the customer: every other partner's registration is against
    # it; P0's own later ones are against the first of another partner, R0001 (P1)
    assert len(found) == 1999
    by_later = {c.id.split(":")[2]: c.id.split(":")[1] for c in found}
    assert len(by_later) == 1999  # at most one per registration
    assert by_later["R0005"] == "R0000"
    assert by_later["R0007"] == "R0001"  # P0 again
    assert by_later["R1995"] == "R0001"  # P0 again (1995 = 7 x 285)
    assert by_later["R1999"] == "R0000"  # P4
    # one partner only: no conflict at all
    same = [r.model_copy(update={"partner_id": "P0"}) for r in regs]
    assert detect_deal_overlaps(same) == ()


def test_deal_overlap_bad_arguments() -> None:
    a = registration("R1", "P-A", JAN, MAR)
    with pytest.raises(ArgumentTypeError, match="registrations must be an iterable") as err:
        detect_deal_overlaps(None)  # type: ignore[arg-type]
    assert err.value.argument == "registrations"
    with pytest.raises(ArgumentTypeError, match=r"registrations\[1\] must be a DealRegistration"):
        detect_deal_overlaps([a, a.model_dump()])  # type: ignore[list-item]
    with pytest.raises(ArgumentTypeError, match="not str"):
        detect_deal_overlaps("R1")  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match="severity must be one of") as err:
        detect_deal_overlaps([a], severity="worst")  # type: ignore[arg-type]
    assert (err.value.argument, err.value.value) == ("severity", "worst")
    with pytest.raises(ArgumentTypeError, match="severity must be a Severity or its value"):
        detect_deal_overlaps([a], severity=2)  # type: ignore[arg-type]


def test_duplicate_registration_ids_raise() -> None:
    a = registration("R1", "P-A", JAN, MAR)
    dup = registration("R1", "P-B", FEB, APR, status=DealStatus.REJECTED)
    with pytest.raises(
        ArgumentError, match="registrations must have unique ids: 'R1' appears twice"
    ) as err:
        detect_deal_overlaps([a, dup])
    assert (err.value.argument, err.value.value) == ("registrations", "R1")
    with pytest.raises(ArgumentError, match="unique ids"):
        detect_channel_overlap([], [a, dup])


def test_deal_overlap_severity_option() -> None:
    regs = [registration("R1", "P-A", JAN, MAR), registration("R2", "P-B", FEB, APR)]
    assert detect_deal_overlaps(regs, severity=Severity.LOW)[0].severity is Severity.LOW
    assert detect_deal_overlaps(regs, severity="critical")[0].severity is Severity.CRITICAL  # type: ignore[arg-type]


# -- channel overlap ----------------------------------------------------------------------------


def direct(id: str, day: dt.date, customer: str | None = "C1", **kw: object) -> Transaction:
    return tx(id, None, day=day, customer=customer, price=None, amount=24_000, **kw)  # type: ignore[arg-type]


def test_direct_sale_inside_a_registration() -> None:
    reg = registration("REG-01", "S-WEST", JAN, MAY)
    (c,) = detect_channel_overlap([direct("T9", FEB)], [reg])
    assert c.id == "channel_overlap:REG-01:T9"
    assert (c.type, c.cause, c.parties) == (
        ConflictType.MULTICHANNEL,
        ConflictCause.CHANNEL_OVERLAP,
        ("S-WEST",),
    )
    assert (c.evidence, c.detected, c.amount_at_stake, c.severity) == (
        ("T9", "REG-01"),
        FEB,
        Money(24_000, "CNY"),
        Severity.HIGH,
    )
    assert c.description == (
        "direct sale T9 of 24,000.00 CNY to C1 on 2026-02-01, inside S-WEST's registration "
        "REG-01 (2026-01-01 to 2026-05-01)"
    )


def test_channel_overlap_window_is_half_open() -> None:
    reg = registration("R1", "S-WEST", FEB, MAR)
    sales = [
        direct("T1", D(2026, 1, 31)),  # the day before it starts
        direct("T2", FEB),  # the day it starts: inside
        direct("T3", D(2026, 2, 28)),  # its last day: inside
        direct("T4", MAR),  # the day it expires: outside
    ]
    assert [c.evidence[0] for c in detect_channel_overlap(sales, [reg])] == ["T2", "T3"]


def test_channel_overlap_ignores_what_does_not_count() -> None:
    reg = registration("R1", "S-WEST", JAN, MAY)
    sales = [
        tx("T1", "P-X", day=FEB, customer="C1"),  # a partner's sale
        direct("T2", FEB, customer=None),  # no customer
        direct("T3", FEB, customer="C2"),  # another customer
        direct("T4", FEB, kind=RETURN),  # a return
    ]
    assert detect_channel_overlap(sales, [reg]) == ()
    for status in (DealStatus.REJECTED, DealStatus.EXPIRED):
        dead = reg.model_copy(update={"status": status})
        assert detect_channel_overlap([direct("T5", FEB)], [dead]) == ()


def test_the_first_covering_registration_is_named() -> None:
    early = registration("R2", "P-A", JAN, MAR)
    late = registration("R1", "P-B", FEB, MAY)
    sales = [direct("T3", D(2026, 4, 1)), direct("T1", D(2026, 2, 15)), direct("T0", JAN)]
    found = detect_channel_overlap(sales, [late, early])
    # sorted by customer, date, sale id; R2 is first while open, then R1
    assert [(c.evidence, c.parties) for c in found] == [
        (("T0", "R2"), ("P-A",)),
        (("T1", "R2"), ("P-A",)),
        (("T3", "R1"), ("P-B",)),
    ]


def test_channel_overlap_sorted_by_customer() -> None:
    regs = [
        registration("R1", "P-A", JAN, MAY, customer="C2"),
        registration("R2", "P-B", JAN, MAY, customer="C1"),
    ]
    sales = [direct("T1", FEB, customer="C2"), direct("T2", MAR, customer="C1")]
    assert [c.id for c in detect_channel_overlap(sales, regs, severity=Severity.LOW)] == [
        "channel_overlap:R2:T2",
        "channel_overlap:R1:T1",
    ]


# -- detect_conflicts ---------------------------------------------------------------------------


def test_detect_conflicts_runs_what_its_inputs_allow() -> None:
    sales = [
        tx("T1", "R-SOUTH", territory="SH", price=900),  # below floor and into SH
        direct("T2", FEB),
    ]
    regs = [
        registration("R1", "P-A", JAN, MAR),
        registration("R2", "P-B", JAN, MAR),
    ]
    assert detect_conflicts(sales) == ()
    assert [c.cause for c in detect_conflicts(iter(sales), floors=FLOORS)] == [
        ConflictCause.PRICE_VIOLATION
    ]
    everything = detect_conflicts(
        iter(sales), partners=[EAST], registrations=iter(regs), floors=FLOORS, tolerance="0.2"
    )
    assert [c.cause for c in everything] == [
        ConflictCause.TERRITORY_DIVERSION,  # 10% is within the 20% tolerance
        ConflictCause.DEAL_OVERLAP,
        ConflictCause.CHANNEL_OVERLAP,
    ]
    assert [c.cause for c in detect_conflicts(registrations=regs)] == [ConflictCause.DEAL_OVERLAP]
    bands = detect_conflicts(sales, floors=FLOORS, bands=("0.01", "0.02", "0.05"))
    assert bands[0].severity is Severity.CRITICAL  # 10% >= 5%
