"""The channel review under hostile input (issue #10, API.md "Hostile input").

Every bad argument is a ``ChannelkitError`` naming it (an ``ArgumentTypeError`` for a wrong type,
never an ``AttributeError``); figures beyond the input bounds, far finer than them or giving
ratios of 10**30 and more never make a review raise; and a review neither reads nor changes the
caller's decimal context, whoever calls its builder.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from decimal import (
    ROUND_FLOOR,
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
from enum import StrEnum
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from channelkit import (
    ArgumentError,
    ArgumentTypeError,
    ChannelkitError,
    ChannelReview,
    CurrencyMismatchError,
    Money,
    Partner,
    PartnerKind,
    Period,
    Transaction,
    TransactionKind,
    review,
)
from channelkit.labels import fmt_amount
from channelkit.numeric import CONTEXT

S, R, P = TransactionKind.SALE, TransactionKind.RETURN, TransactionKind.PAYMENT
Q1 = Period.quarter(2026, 1)
PRIOR = Period.quarter(2025, 1)
TINY = "1.000000000000000000000000000000001E-34"  # 34 digits, the finest an input may be
ENGINE = sys.modules["channelkit.review.engine"]
BUILD = sys.modules["channelkit.review.build"]


def tx(
    tid: str,
    pid: str | None,
    day: str,
    kind: TransactionKind,
    amount: int | str,
    territory: str | None = "N",
    currency: str = "CNY",
) -> Transaction:
    return Transaction(
        id=tid,
        partner_id=pid,
        date=dt.date.fromisoformat(day),
        kind=kind,
        amount=Money(amount, currency),
        quantity=1 if kind is not P else 0,
        territory=territory if kind is not P else None,
        customer_id="C1" if kind is S else None,
    )


PARTNER = Partner(
    id="A",
    name="A",
    kind=PartnerKind.DEALER,
    territories=frozenset({"N"}),
    currency="CNY",
    payment_terms_days=30,
    joined=dt.date(2020, 1, 1),
)
BASIC = (tx("T1", "A", "2026-01-10", S, 100), tx("T2", "B", "2026-01-11", S, 50))


def holds(r: ChannelReview) -> None:
    """What every review must do whatever its figures: print, explain, read back from JSON."""
    assert ChannelReview.model_validate_json(r.model_dump_json()) == r
    assert ChannelReview.model_validate(r.model_dump()) == r
    assert str(r)
    assert repr(r)
    en, zh = r.explain("en"), r.explain("zh")
    net = r.total.net_sales
    assert f"Net sales {fmt_amount(net.amount, net.places)} " in en
    assert f"净销售额 {fmt_amount(net.amount, net.places)}" in zh
    assert len(en) < 5_000
    assert len(r.model_dump_json()) < 50_000


# -- errors name the argument -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("top", "error", "message"),
    [
        (0, ArgumentError, "top must be at least 1, got 0"),
        (-3, ArgumentError, "top must be at least 1, got -3"),
        (-(10**5000), ArgumentError, "top must be at least 1, got an integer of 16610 bits"),
        (10**9, ArgumentError, "top must be below 10\\*\\*9, got an integer of 30 bits"),
        (10**5000, ArgumentError, "top must be below 10\\*\\*9, got an integer of 16610 bits"),
        (True, ArgumentTypeError, "top must be an int, got True"),
        (2.0, ArgumentTypeError, "top must be an int, got 2.0"),
        ("5", ArgumentTypeError, "top must be an int, got '5'"),
        (None, ArgumentTypeError, "top must be an int, got None"),
    ],
    ids=lambda v: "huge" if isinstance(v, int) and not -(10**20) < v < 10**20 else None,
)
def test_top_is_an_int_from_1_to_below_10_to_the_9(top: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=message) as e:
        review(BASIC, Q1, top=top)
    assert e.value.argument == "top"
    assert e.value.value is top
    assert not isinstance(e.value, ArgumentTypeError) or isinstance(e.value, TypeError)


def test_top_at_the_bound_is_kept() -> None:
    r = review(BASIC, Q1, top=10**9 - 1)
    assert r.concentration.top == 10**9 - 1
    assert r.concentration.head == ("A", "B")
    holds(r)


def test_an_int_subclass_top_is_read_as_an_int() -> None:
    class Three(int):
        pass

    r = review(BASIC, Q1, top=Three(1))
    assert type(r.concentration.top) is int
    assert r.concentration.head == ("A",)


def test_period_and_prior_are_checked() -> None:
    with pytest.raises(ArgumentTypeError, match="period must be a Period, got NoneType") as e:
        review(BASIC, None)  # type: ignore[arg-type]
    assert e.value.argument == "period"
    with pytest.raises(ArgumentTypeError, match="prior must be a Period or None, got dict") as e:
        review(BASIC, Q1, prior={"start": "2025-01-01"})  # type: ignore[arg-type]
    assert e.value.argument == "prior"
    with pytest.raises(ArgumentError, match="must not overlap period") as e:
        review(BASIC, Q1, prior=Period.month(2026, 2))
    assert (e.value.argument, e.value.value) == ("prior", Period.month(2026, 2))


@pytest.mark.parametrize(
    ("transactions", "message"),
    [
        (None, "transactions must be an iterable of Transaction models, not NoneType"),
        (5, "transactions must be an iterable of Transaction models, not int"),
        ([{"date": dt.date(2026, 1, 1)}], "transactions must hold Transaction models, got dict"),
        ("T1", "transactions must hold Transaction models, got str"),
        (b"T1", "transactions must hold Transaction models, got int"),
        ([*BASIC, None], "transactions must hold Transaction models, got NoneType"),
        ([BASIC[0], PARTNER], "transactions must hold Transaction models, got Partner"),
    ],
)
def test_transactions_must_be_transactions(transactions: Any, message: str) -> None:
    with pytest.raises(ArgumentTypeError, match=message) as e:
        review(transactions, Q1)
    assert e.value.argument == "transactions"
    assert isinstance(e.value, TypeError)


def test_an_object_that_only_looks_like_a_transaction_is_refused() -> None:
    class Fake:
        date = dt.date(2026, 1, 10)
        amount = "100 CNY"

    with pytest.raises(ArgumentTypeError, match="must hold Transaction models, got Fake"):
        review([Fake()], Q1)
    # outside both periods only its date is read: it is ignored like any transaction there
    Fake.date = dt.date(2020, 1, 1)
    assert review([Fake(), *BASIC], Q1) == review(BASIC, Q1)  # type: ignore[list-item]


def test_an_error_of_the_callers_own_iterator_is_not_rewritten() -> None:
    def failing(first: list[Transaction]) -> Iterator[Transaction]:
        yield from first
        raise TypeError("the caller's bug")

    for first in ([], list(BASIC)):
        with pytest.raises(TypeError, match="the caller's bug") as e:
            review(failing(first), Q1)
        assert not isinstance(e.value, ChannelkitError)


@pytest.mark.parametrize(
    ("partners", "error", "message"),
    [
        (None, ArgumentTypeError, "partners must be an iterable of Partner models, not NoneType"),
        ([{"id": "A"}], ArgumentTypeError, "partners must hold Partner models, got dict"),
        ("AB", ArgumentTypeError, "partners must hold Partner models, got str"),
        ([PARTNER, PARTNER], ArgumentError, "partners must have unique ids: 'A' is passed twice"),
    ],
)
def test_partners_must_be_unique_partners(partners: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=message) as e:
        review(BASIC, Q1, partners=partners)
    assert e.value.argument == "partners"


def test_without_a_currency_the_error_names_partners() -> None:
    with pytest.raises(ArgumentError, match="review has no currency") as e:
        review([], Q1)
    assert e.value.argument == "partners"


@pytest.mark.parametrize(
    ("targets", "error", "argument", "message"),
    [
        ([("A", 1)], ArgumentTypeError, "targets", "targets must be a mapping of partner id"),
        ("A", ArgumentTypeError, "targets", "targets must be a mapping of partner id"),
        ({7: 1}, ArgumentTypeError, "targets", "keyed by partner ids .*got 7"),
        ({" ": 1}, ArgumentTypeError, "targets", "keyed by partner ids .*got ' '"),
        ({10**5000: 1}, ArgumentTypeError, "targets", "keyed by .*got an integer of 16610 bits"),
        ({"x" * 100: 1, "": 2}, ArgumentTypeError, "targets", "keyed by partner ids .*got ''"),
        ({"A": 1.5}, ArgumentTypeError, "targets['A']", r"targets\['A'\] must not be a float"),
        ({"A": None}, ArgumentTypeError, "targets['A']", "must be a Decimal, an int or a numeric"),
        ({"A": {"amount": 1}}, ArgumentTypeError, "targets['A']", "not dict"),
        ({"A": "nan"}, ArgumentError, "targets['A']", "must be finite"),
        ({"A": Decimal("sNaN")}, ArgumentError, "targets['A']", "must be finite"),
        ({"A": "1e999999999"}, ArgumentError, "targets['A']", "too large"),
        ({"A": 10**100}, ArgumentError, "targets['A']", "too large"),
        ({"A": "1e-999999"}, ArgumentError, "targets['A']", "too small to be meaningful"),
        ({"A": -1}, ArgumentError, "targets['A']", r"targets\['A'\] must not be negative, got -1"),
        (
            {"A": Money(-5, "CNY")},
            ArgumentError,
            "targets['A']",
            r"targets\['A'\] must not be negative, got -5",
        ),
    ],
)
def test_targets_are_read_like_every_amount_argument(
    targets: Any, error: type, argument: str, message: str
) -> None:
    with pytest.raises(error, match=message) as e:
        review(BASIC, Q1, targets=targets)
    assert e.value.argument == argument


def test_a_money_target_in_another_currency_is_a_currency_mismatch() -> None:
    with pytest.raises(CurrencyMismatchError, match=r"targets\['A'\].*expected CNY, got USD"):
        review(BASIC, Q1, targets={"A": Money(1, "USD")})


@pytest.mark.parametrize(
    ("territories", "error", "message"),
    [
        ("N", ArgumentTypeError, "territories must be a collection of codes, not one string"),
        ("N" * 100, ArgumentTypeError, r"not one string \('NNNNNNNNNN.*\.\.\.NNNNNNNNNNN'\)$"),
        (5, ArgumentTypeError, "territories must be an iterable of territory codes, not int"),
        ([1], ArgumentTypeError, r"territories must hold territory codes \(str\), got int"),
        ([["N"]], ArgumentTypeError, r"territories must hold territory codes \(str\), got list"),
        (["N", ""], ArgumentError, "territories must not hold a blank code, got ''"),
        ([" "], ArgumentError, "territories must not hold a blank code, got ' '"),
    ],
)
def test_territories_are_codes(territories: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=message) as e:
        review(BASIC, Q1, territories=territories)
    assert e.value.argument == "territories"


def test_laggard_below_is_a_number() -> None:
    with pytest.raises(ArgumentTypeError, match="laggard_below must not be a float"):
        review(BASIC, Q1, laggard_below=0.8)  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match="laggard_below must be finite"):
        review(BASIC, Q1, laggard_below="NaN")
    with pytest.raises(ArgumentTypeError, match="laggard_below must be a Decimal"):
        review(BASIC, Q1, laggard_below=None)  # type: ignore[arg-type]


def test_string_enum_ids_are_read_as_plain_strings() -> None:
    class Code(StrEnum):
        A = "A"
        N = "N"

    r = review(BASIC, Q1, targets={Code.A: 200}, territories=[Code.N, "S"])
    assert r.partner("A").attainment == Decimal("0.5")
    assert all(type(row.partner_id) is str for row in r.partners)
    assert r.coverage.uncovered == ("S",)
    assert type(r.coverage.uncovered[0]) is str
    holds(r)


# -- figures beyond the input bounds never make a review raise ---------------------------------


def test_net_sales_finer_than_any_input_give_ratios() -> None:
    # A sells 1.000...001E-34 and takes back 1E-34: its net sales are 1E-67, finer than any
    # input may be; the review read them as input amounts and refused them ("too small")
    txs = [
        tx("T1", "A", "2026-01-10", S, TINY),
        tx("T2", "A", "2026-01-11", R, "1E-34"),
        tx("T3", "B", "2026-01-12", S, 1),
        tx("T4", "A", "2025-01-12", S, TINY),
    ]
    r = review(txs, Q1, prior=PRIOR, targets={"A": "1E-34"})
    a = r.partner("A")
    net = Decimal("1E-67")
    assert a.figures.net_sales.amount == net
    indirect = CONTEXT.add(Decimal(1), net)
    assert a.share == CONTEXT.divide(net, indirect)
    assert a.attainment == CONTEXT.divide(net, Decimal("1E-34"))  # 1E-33
    assert a.collection_rate == Decimal(0)
    assert a.return_rate == CONTEXT.divide(Decimal("1E-34"), Decimal(TINY))
    # growth (1E-67 - 1.000...001E-34) / 1.000...001E-34: just above -1
    assert a.growth == CONTEXT.divide(CONTEXT.subtract(net, Decimal(TINY)), Decimal(TINY))
    assert r.laggards == ("A",)
    holds(r)


@pytest.mark.parametrize(
    ("current", "prior", "growth"),
    [
        # (1E+14 - 1E-15) / 1E-15 = 1E+29 - 1: below 10**30, shown in full
        ("100000000000000", "1E-15", Decimal(10**29 - 1)),
        # (1E+14 + 1E-16 - 1E-16) / 1E-16 = 1E+30: the first ratio too large to show
        ("100000000000000.0000000000000001", "1E-16", None),
        # (1E+14 - 1E-20) / 1E-20 = 1E+34 - 1: it escaped as a decimal InvalidOperation
        ("100000000000000", "1E-20", None),
        ("999999999999999", "1E-34", None),
        # a loss against a tiny prior: -(1E+14 + 1E-20) / 1E-20, too large in absolute value
        ("-100000000000000", "1E-20", None),
    ],
)
def test_growth_of_10_to_the_30_and_more_is_none(
    current: str, prior: str, growth: Decimal | None
) -> None:
    kind = R if current.startswith("-") else S
    txs = [
        tx("T1", "A", "2026-01-10", kind, current.lstrip("-")),
        tx("T2", "A", "2025-01-10", S, prior),
    ]
    r = review(txs, Q1, prior=PRIOR)
    assert r.growth == growth
    assert r.partner("A").growth == growth
    assert r.territories[0].growth == growth
    if growth is not None:
        assert repr(r.growth) == f"Decimal('{10**29 - 1}')"  # plain form, no exponent
        assert f"growth {10**31 - 100}%" in r.explain()
    else:
        assert "growth n/a" in r.explain()
    holds(r)


BIG = "100000000000000"  # 1E+14


def test_every_other_ratio_of_10_to_the_30_and_more_is_none() -> None:
    # A sells 1E+14 against a target of 1E-34: attainment 1E+48, so A is not a laggard
    r = review([tx("T1", "A", "2026-01-10", S, BIG)], Q1, targets={"A": "1E-34"})
    assert r.partner("A").attainment is None
    assert r.laggards == ()
    holds(r)
    # B sells 1E-20 and takes back 1E+14: return rate 1E+34
    r = review([tx("T1", "B", "2026-01-10", S, "1E-20"), tx("T2", "B", "2026-01-11", R, BIG)], Q1)
    assert r.partner("B").return_rate is None
    holds(r)
    # C sells 1E-20 and pays 1E+14: collection rate 1E+34
    r = review([tx("T1", "C", "2026-01-10", S, "1E-20"), tx("T2", "C", "2026-01-11", P, BIG)], Q1)
    assert r.partner("C").collection_rate is None
    assert r.partner("C").return_rate == Decimal(0)
    holds(r)
    # A sells 1E+14, the vendor sells 1E-16 and takes back 1E+14: the total is 1E-16, so the
    # indirect share is 1E+30 and so is A's share of the territory; B sells 1E-19 and takes back
    # 1E+14, so the indirect net sales are 1E-19 (the sum 1E+14 + 1E-19 has 34 digits: 1E-20
    # would be rounded away) and A's share is 1E+33
    txs = [
        tx("T1", "A", "2026-01-10", S, BIG),
        tx("T2", None, "2026-01-10", S, "1E-16", "S"),
        tx("T3", None, "2026-01-11", R, BIG, "S"),
    ]
    r = review(txs, Q1)
    assert r.total.net_sales.amount == Decimal("1E-16")
    assert r.indirect_share is None
    assert r.territories[0].key == "N"
    assert r.territories[0].share is None
    assert r.partner("A").share == Decimal(1)
    holds(r)
    txs = [
        tx("T1", "A", "2026-01-10", S, BIG),
        tx("T2", "B", "2026-01-10", S, "1E-19"),
        tx("T3", "B", "2026-01-11", R, BIG),
    ]
    r = review(txs, Q1)
    assert r.indirect.net_sales.amount == Decimal("1E-19")
    assert r.partner("A").share is None
    assert r.partner("B").share is None  # -(1E+14 - 1E-19) / 1E-19
    # concentration counts B as 0: A holds everything
    assert r.concentration.top_share == 1
    assert r.concentration.hhi == 10_000
    holds(r)


def test_sums_beyond_the_input_bound_read_back_from_json() -> None:
    big = "999999999999999.9999999999999999999"
    txs = [tx(f"T{i}", "A", "2026-01-10", S, big) for i in range(30)]
    txs += [tx(f"U{i}", "B", "2026-01-10", R, big) for i in range(30)]
    r = review(txs, Q1)
    assert r.total.gross_sales.amount == CONTEXT.multiply(Decimal(big), 30)
    assert r.total.gross_sales.amount > Decimal(10) ** 16
    assert r.partner("B").figures.net_sales.amount < -(Decimal(10) ** 16)
    assert r.total.units == 0
    assert r.partner("A").figures.units == 30
    holds(r)


# -- the caller's decimal context ---------------------------------------------------------------


def _hostile() -> Context:
    return Context(
        prec=3,
        rounding=ROUND_FLOOR,
        Emax=5,
        Emin=-5,
        traps=[InvalidOperation, DivisionByZero, Overflow, Inexact, Rounded, Underflow, Clamped],
    )


def _channel() -> dict[str, Any]:
    txs = [
        tx("T1", "A", "2026-01-10", S, "1234.567"),
        tx("T2", "A", "2026-01-11", R, "0.001"),
        tx("T3", "B", "2026-02-10", S, "7.77", "S"),
        tx("T4", None, "2026-02-11", S, "999999.99", "E"),
        tx("T5", "A", "2026-02-12", P, "1000"),
        tx("T6", "A", "2025-01-10", S, "3"),
        tx("T7", "B", "2025-01-10", S, "1E-30"),
        tx("T8", "C", "2026-03-10", R, "12345678.9"),
    ]
    return {
        "transactions": txs,
        "period": Q1,
        "partners": [PARTNER],
        "prior": PRIOR,
        "targets": {"A": 7, "B": "0.3"},
        "top": 2,
    }


def test_the_callers_context_neither_changes_nor_is_changed() -> None:
    args = _channel()
    expected = review(**args)
    ctx = _hostile()
    with localcontext(ctx) as inside:
        got = review(**args)
        assert all(not flag for flag in inside.flags.values())
        assert (inside.prec, inside.rounding, inside.Emax) == (3, ROUND_FLOOR, 5)
    assert got == expected
    assert got.model_dump_json() == expected.model_dump_json()
    assert got.explain() == expected.explain()
    assert getcontext().prec == 28


def test_the_builder_computes_in_the_kernels_context_whoever_calls_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[tuple[Any, ...]] = []

    def spy(*args: Any) -> ChannelReview:
        calls.append(args)
        return BUILD.assemble(*args)  # type: ignore[no-any-return]

    monkeypatch.setattr(ENGINE, "assemble", spy)
    expected = review(**_channel())
    (args,) = calls
    # called with no local context of the engine's around it, under a context that traps
    # every signal at 3 digits: the same review, and no flag raised in the caller's context
    with localcontext(_hostile()) as inside:
        again = BUILD.assemble(*args)
        assert all(not flag for flag in inside.flags.values())
    assert again == expected
    # the prior total 3 + 1E-30 has 31 digits: at 3 digits it would be 3, and the growth another
    prior = CONTEXT.add(Decimal(3), Decimal("1E-30"))
    assert again.prior_net_sales == Money("3.000000000000000000000000000001", "CNY")
    net = again.total.net_sales.amount
    assert again.growth == CONTEXT.divide(CONTEXT.subtract(net, prior), prior)


# -- a fuzz of every argument -------------------------------------------------------------------

_HOSTILE_VALUES = [
    None,
    0.5,
    float("nan"),
    float("inf"),
    True,
    -1,
    0,
    10**20,
    -(10**4000),
    Decimal("NaN"),
    Decimal("sNaN"),
    Decimal("-Infinity"),
    Decimal("1E+999999999"),
    Decimal("1E-999999999"),
    Decimal("0E-999999999"),
    "",
    "  ",
    "nan",
    "1e999999999",
    "abc",
    b"bytes",
    {"amount": "1", "currency": "CNY"},
    {"A": 1.5},
    {7: 1},
    ["N", 1],
    [None],
    (),
    Money(1, "USD"),
    PARTNER,
    Q1,
    dt.date(2026, 1, 1),
    object(),
]
_bad = st.sampled_from(_HOSTILE_VALUES)
hostile = (
    _bad
    | st.text(max_size=5)
    | st.integers()
    # hostile items inside a valid container: transactions, partners, targets, territories
    | st.lists(_bad, min_size=1, max_size=3)
    | st.dictionaries(st.sampled_from(["A", "X"]), _bad, min_size=1, max_size=2)
)
_AMOUNTS = [
    TINY,
    "1E-34",
    "0.0000000000000000000000000000000001",
    "999999999999999.9999999999999999999",
    "999999999999999",
    "0.01",
    "1",
    "12345.678",
]


@st.composite
def extreme_transactions(draw: st.DrawFn) -> Transaction:
    kind = draw(st.sampled_from([S, S, R, P]))
    return tx(
        draw(st.sampled_from(["T1", "T2", "T3"])),
        draw(st.sampled_from([None, "A", "B", "C"])),
        draw(st.sampled_from(["2026-01-10", "2026-03-31", "2025-02-01", "2024-01-01"])),
        kind,
        draw(st.sampled_from(_AMOUNTS)),
        draw(st.sampled_from([None, "N", "S"])),
    )


valid_targets = st.dictionaries(
    st.sampled_from(["A", "B", "X"]), st.sampled_from([*_AMOUNTS, 0, Money("0.5", "CNY")])
)


VALID: dict[str, st.SearchStrategy[Any]] = {
    "transactions": st.lists(extreme_transactions(), max_size=8),
    "period": st.sampled_from([Q1, Period.month(2026, 2)]),
    "partners": st.sampled_from([(), [PARTNER]]),
    "prior": st.sampled_from([None, PRIOR]),
    "targets": valid_targets | st.none(),
    "territories": st.none() | st.sampled_from([["N", "S"], frozenset({"W"}), ()]),
    "top": st.integers(min_value=1, max_value=10**9 - 1),
    "laggard_below": st.sampled_from(["0.8", 1, Decimal("0.5"), TINY, "999999999999999"]),
}


@given(st.data())
def test_review_raises_only_channelkit_errors(data: st.DataObject) -> None:
    # valid arguments with extreme amounts, then up to two of them replaced by hostile values
    args = {name: data.draw(valid, label=name) for name, valid in VALID.items()}
    for name in data.draw(st.sets(st.sampled_from(sorted(VALID)), max_size=2), label="bad"):
        args[name] = data.draw(hostile, label=f"hostile {name}")
    transactions, period = args.pop("transactions"), args.pop("period")
    try:
        r = review(transactions, period, **args)
    except (ChannelkitError, ValidationError):
        return
    holds(r)
