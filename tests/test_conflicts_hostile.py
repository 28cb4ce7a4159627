"""Hostile input to the conflicts area: wrong types, extreme figures, odd decimal contexts.

API.md, "Hostile input": every error raised on purpose is a ``ChannelkitError`` (a bad model
given as data is a ``ValidationError``); no ``decimal`` signal reaches the caller; no result
depends on or changes the caller's decimal context; every result prints, explains itself and
round-trips through JSON whatever its size; output sizes are linear in input sizes.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from decimal import (
    Clamped,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
    Rounded,
    Underflow,
    getcontext,
    localcontext,
)
from typing import Any

import pytest
from pydantic import ValidationError

from channelkit import (
    ArgumentError,
    ChannelkitError,
    Conflict,
    ConflictCause,
    ConflictType,
    DealRegistration,
    DealStatus,
    Money,
    Partner,
    PartnerKind,
    Recommendation,
    Severity,
    Transaction,
    TransactionKind,
    detect_channel_overlap,
    detect_conflicts,
    detect_deal_overlaps,
    detect_price_violations,
    detect_territory_diversion,
    recommend,
    transition,
)
from channelkit.conflicts import allowed_moves, conflict_id, depth_severity, recurrences
from channelkit.scales import band

D = dt.date
SALE = TransactionKind.SALE
BIG = 10**15 - 1  # the largest whole input amount
FEB = D(2026, 2, 1)


def sale(
    id: str,
    partner: str | None = "P1",
    *,
    price: int | str | None = 900,
    qty: int | str = 1,
    amount: int | str = 900,
    sku: str = "A",
    territory: str | None = "SH",
    customer: str | None = "C1",
    day: dt.date = FEB,
) -> Transaction:
    return Transaction(
        id=id,
        partner_id=partner,
        date=day,
        kind=SALE,
        amount=Money(amount, "CNY"),
        quantity=Decimal(qty),
        sku=sku,
        unit_price=None if price is None else Money(price, "CNY"),
        territory=territory,
        customer_id=customer,
    )


EAST = Partner(
    id="D-EAST",
    name="D-EAST",
    kind=PartnerKind.DISTRIBUTOR,
    territories=frozenset({"SH"}),
    exclusive=True,
    currency="CNY",
    payment_terms_days=30,
    joined=D(2020, 1, 1),
)
REGS = (
    DealRegistration(
        id="R1",
        partner_id="P-A",
        customer_id="C1",
        registered=D(2026, 1, 1),
        expires=D(2026, 6, 1),
        status=DealStatus.APPROVED,
    ),
    DealRegistration(
        id="R2",
        partner_id="P-B",
        customer_id="C1",
        registered=D(2026, 1, 15),
        expires=D(2026, 3, 1),
        status=DealStatus.PENDING,
    ),
)
FLOORS = {"A": Money(1000, "CNY")}
TXS = (sale("T1"), sale("T2", None, price=None, amount=24_000))
CONFLICT = detect_deal_overlaps(REGS)[0]


def check_result(c: Conflict | Recommendation) -> None:
    """A result prints, explains itself in both languages and round-trips through JSON, each
    in a text whose size follows the number of ids it holds, not the size of its figures."""
    ids = len(c.evidence) + len(c.parties) if isinstance(c, Conflict) else len(c.recurrence_ids)
    limit = 600 + 40 * ids
    assert len(repr(c)) < limit + len(getattr(c, "description", ""))
    text = c.model_dump_json()
    assert len(text) < limit + len(getattr(c, "description", ""))
    assert type(c).model_validate_json(text) == c
    head = c.id if isinstance(c, Conflict) else c.conflict_id
    for lang in ("en", "zh"):
        explained = c.explain(lang)
        assert head in explained
        assert len(explained) < limit


# -- every calculator, every argument, every hostile value --------------------------------------

HOSTILE: list[Any] = [
    None,
    True,
    0,
    -1,
    10**100,
    1.5,
    float("nan"),
    "",
    "x",
    "critical",
    b"abc",
    Decimal("NaN"),
    Decimal("sNaN"),
    Decimal("-Infinity"),
    Decimal("1e999999"),
    Decimal("1e-999999"),
    Decimal("0E-999999999"),
    [],
    (),
    {},
    set(),
    object(),
    [None],
    [1.5],
    ["T1"],
    ("0.1", "0.2"),
    ("0.3", "0.2", "0.1"),
    ("NaN", "0.2", "0.3"),
    {"A": None},
    {"A": 1.5},
    {"A": Money._make(Decimal("1e999999"), "CNY")},
    {"A": Money._make(Decimal("1e-999999"), "CNY")},
    {"A": Money._make(Decimal("NaN"), "CNY")},
    {"A": Money(1, "USD")},
    {None: Money(1, "CNY")},
    [{"id": "T1"}],
    Money(1, "CNY"),
    Severity.LOW,
    CONFLICT,
    CONFLICT.model_dump(),
]
"""Values that are wrong for at least one argument of each calculator."""

CALLS: list[tuple[str, Callable[..., Any], tuple[Any, ...], dict[str, Any]]] = [
    (
        "price",
        detect_price_violations,
        (TXS, FLOORS),
        {"tolerance": "0.01", "bands": ("0", "1", "2")},
    ),
    ("diversion", detect_territory_diversion, (TXS, [EAST]), {"severity": Severity.LOW}),
    ("deals", detect_deal_overlaps, (REGS,), {"severity": "high"}),
    ("channel", detect_channel_overlap, (TXS, REGS), {"severity": Severity.HIGH}),
    (
        "all",
        detect_conflicts,
        (TXS,),
        {"partners": [EAST], "registrations": REGS, "floors": FLOORS, "tolerance": 0},
    ),
    ("depth", depth_severity, ("0.1",), {"bands": ("0.05", "0.15", "0.30")}),
    ("id", conflict_id, ("deal_overlap", "R1", "R2"), {}),
    ("transition", transition, (CONFLICT, "resolved"), {"resolution": "legal"}),
    ("moves", allowed_moves, ("open",), {}),
    ("recommend", recommend, (CONFLICT,), {"history": [CONFLICT]}),
    ("recurrences", recurrences, (CONFLICT, [CONFLICT]), {}),
    ("explain", CONFLICT.explain, ("zh",), {}),
]


def _variants() -> list[tuple[str, Callable[..., Any], tuple[Any, ...], dict[str, Any]]]:
    out = []
    for name, fn, args, kwargs in CALLS:
        for i, bad in itertools.product(range(len(args)), HOSTILE):
            out.append((f"{name}-arg{i}", fn, (*args[:i], bad, *args[i + 1 :]), kwargs))
        for key, bad in itertools.product(kwargs, HOSTILE):
            out.append((f"{name}-{key}", fn, args, {**kwargs, key: bad}))
    return out


VARIANTS = _variants()


@pytest.mark.parametrize("call", CALLS, ids=[c[0] for c in CALLS])
def test_the_valid_calls_work(call: tuple[str, Callable[..., Any], tuple[Any, ...], Any]) -> None:
    _, fn, args, kwargs = call
    fn(*args, **kwargs)


def test_hostile_arguments_raise_only_channelkit_errors() -> None:
    """Each argument of each calculator replaced by each hostile value, one at a time."""
    wrong: list[str] = []
    for name, fn, args, kwargs in VARIANTS:
        try:
            with localcontext(Context(prec=2, traps=[Inexact, Rounded, Clamped, Underflow])):
                result = fn(*args, **kwargs)
        except ChannelkitError:  # an argument error, a currency mismatch, a refused move
            continue
        except Exception as err:  # pragma: no cover - what the test exists to catch
            wrong.append(f"{name}: {type(err).__name__}: {err}")
            continue
        for c in result if isinstance(result, tuple) else ():
            if isinstance(c, Conflict):
                check_result(c)
    assert wrong == []
    assert len(VARIANTS) > 1000


def test_an_argument_error_names_the_argument() -> None:
    named, unnamed = 0, []
    for name, fn, args, kwargs in VARIANTS:
        try:
            fn(*args, **kwargs)
        except ArgumentError as err:
            named += 1
            if not str(err).startswith(err.argument.split("[")[0]):  # pragma: no cover
                unnamed.append(f"{name}: {err.argument!r} not in {err}")
        except ChannelkitError:  # a currency mismatch, a refused move
            pass
    assert unnamed == []
    assert named > 500


# -- the caller's decimal context ---------------------------------------------------------------

STRICT = Context(
    prec=3,
    traps=[Inexact, Rounded, InvalidOperation, DivisionByZero, Overflow, Clamped, Underflow],
)


def test_detectors_neither_read_nor_change_the_callers_context() -> None:
    sales = [
        sale("T1", price="999.999999", qty="3.3333333", amount=1, territory=None),
        sale("T2", price=None, amount=1000, qty=3, territory=None),  # 333.33... per unit
        sale("T3", "R-SOUTH", price=None, amount="12345.6789"),  # into SH
        sale("T4", None, price=None, amount="24000.01"),  # direct, to C1
    ]
    expected = detect_conflicts(sales, partners=[EAST], registrations=REGS, floors=FLOORS)
    before = getcontext().copy()
    with localcontext(STRICT) as ctx:
        got = detect_conflicts(sales, partners=[EAST], registrations=REGS, floors=FLOORS)
        assert not any(ctx.flags.values())
    assert got == expected
    assert [c.cause for c in got] == [
        ConflictCause.PRICE_VIOLATION,
        ConflictCause.TERRITORY_DIVERSION,
        ConflictCause.DEAL_OVERLAP,
        ConflictCause.CHANNEL_OVERLAP,
    ]
    # T1: (1000 - 999.999999) x 3.3333333 = 0.0000033333333; T2: 1000 x 3 - 1000 = 2000
    assert got[0].amount_at_stake == Money("2000.00", "CNY")
    assert getcontext().prec == before.prec
    assert getcontext().traps == before.traps


# -- extreme figures ----------------------------------------------------------------------------


def test_a_stake_too_large_for_its_minor_unit_keeps_34_digits() -> None:
    # 200 sales at price 0 of BIG units under a floor of BIG: each (BIG - 0) x BIG =
    # 10**30 - 2 x 10**15 + 1, so 200 of them = 2 x 10**32 - 4 x 10**17 + 200: 33 digits, which
    # cannot also hold 2 decimals within 34 digits (that rounding used to raise InvalidOperation)
    sales = [sale(f"T{i}", price=0, qty=BIG, amount=1) for i in range(200)]
    (c,) = detect_price_violations(sales, {"A": Money(BIG, "CNY")})
    assert c.amount_at_stake is not None
    assert c.amount_at_stake.amount == Decimal("199999999999999600000000000000200")
    assert c.severity is Severity.CRITICAL
    check_result(c)
    assert "at stake: 199999999999999600000000000000200 CNY" in c.explain()
    # one such sale still rounds to the minor unit: 10**30 - 2 x 10**15 + 1 has 31 digits
    (one,) = detect_price_violations(sales[:1], {"A": Money(BIG, "CNY")})
    assert str(one.amount_at_stake) == "999999999999998000000000000001.00 CNY"
    assert "999,999,999,999,998,000,000,000,000,001.00 CNY" in one.explain()


def test_tiny_floors_and_prices() -> None:
    tiny = {"A": Money("1E-34", "CNY")}
    sales = [
        sale("T1", price=0, qty="1E-20", amount=1),  # depth 1, stake 1E-54 -> 0.00
        sale("T2", price=None, qty=BIG, amount="1E-34"),  # 1E-34 / BIG per unit: a violation
    ]
    (c,) = detect_price_violations(sales, tiny)
    assert c.severity is Severity.CRITICAL
    assert c.amount_at_stake == Money("0.00", "CNY")
    assert c.description.endswith("deepest 100% under it")
    check_result(c)


@pytest.mark.parametrize(
    "floor",
    [
        Money._make(Decimal("1E+999999"), "CNY"),
        Money._make(Decimal("-1E-999999"), "CNY"),
        Money._make(Decimal("1E-999999"), "CNY"),
        Money._make(Decimal("Infinity"), "CNY"),
    ],
)
def test_floors_built_past_validation_are_read_with_the_input_bounds(floor: Money) -> None:
    with pytest.raises(ArgumentError, match=r"floors\['A'\]") as err:
        detect_price_violations([sale("T1", price=0, qty=BIG)], {"A": floor})
    assert err.value.argument == "floors['A']"


def test_conflict_stakes_are_result_money() -> None:
    doc = CONFLICT.model_dump(mode="json")
    for amount in ("9E+20", "-1E+999998", "1E-999998", "123456789012345678901234567890.1234"):
        c = Conflict.model_validate(
            {**doc, "amount_at_stake": {"amount": amount, "currency": "CNY"}}
        )
        assert c.amount_at_stake is not None
        assert c.amount_at_stake.amount == Decimal(amount)
        check_result(c)
    huge = Conflict.model_validate(
        {**doc, "amount_at_stake": {"amount": "1E+999998", "currency": "CNY"}}
    )
    assert "at stake: 1E+999998 CNY" in huge.explain()
    for bad in ("1E+1000000", "NaN", "1" * 35):
        with pytest.raises(ValidationError, match="amount_at_stake"):
            Conflict.model_validate({**doc, "amount_at_stake": {"amount": bad, "currency": "CNY"}})


def test_recurrence_counts_are_bounded() -> None:
    r = recommend(CONFLICT)
    doc = r.model_dump()
    with pytest.raises(ValidationError, match="recurrences"):
        Recommendation.model_validate({**doc, "recurrences": 10**9, "recurrence_ids": ("x",) * 0})
    check_result(r)


# -- one banding kernel -------------------------------------------------------------------------


@pytest.mark.parametrize("depth", ["0", "0.0499", "0.05", "0.1", "0.15", "0.2999", "0.3", "1"])
def test_depth_severity_is_the_kernels_band_with_edges_going_up(depth: str) -> None:
    edges = (Decimal("0.05"), Decimal("0.15"), Decimal("0.30"))
    assert depth_severity(depth) is band(Decimal(depth), edges, edge_goes_up=True)


def test_output_is_linear_in_the_input() -> None:
    # 300 direct sales to a customer under 300 overlapping registrations of 300 partners:
    # one conflict per sale (against the first registration) and one per later registration
    regs = [
        DealRegistration(
            id=f"R{i:03d}",
            partner_id=f"P{i:03d}",
            customer_id="C1",
            registered=D(2026, 1, 1),
            expires=D(2027, 1, 1),
            status=DealStatus.APPROVED,
        )
        for i in range(300)
    ]
    sales = [sale(f"T{i:03d}", None, price=None, amount=5) for i in range(300)]
    found = detect_conflicts(sales, registrations=regs)
    assert len(found) == 299 + 300
    assert {c.type for c in found} == {ConflictType.HORIZONTAL, ConflictType.MULTICHANNEL}
    assert all(c.parties[0] == "P000" for c in found)
