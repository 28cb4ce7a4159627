"""The kernel under hostile input (issue #10; API.md, "Hostile input").

Each test pins one rule of the kernel's second pass: the errors' fields and builtin bases, numbers
read safely whatever the text or the caller's decimal context, result fields that read back from
their own JSON, the argument readers, periods at the calendar's end, the ordered enums and the
one banding, and the one result builder.
"""

from __future__ import annotations

import itertools
import pickle
from datetime import date
from decimal import (
    Clamped,
    Context,
    Decimal,
    Inexact,
    InvalidOperation,
    Rounded,
    localcontext,
)
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import ValidationError

import channelkit
import channelkit.model
from channelkit import (
    ArgumentError,
    ArgumentTypeError,
    ChannelkitError,
    CreditOutcome,
    CurrencyMismatchError,
    FrameError,
    Frequency,
    Money,
    Partner,
    Period,
    PolicyError,
    RebatePolicy,
    Severity,
    UndefinedRatioError,
    allocate,
)
from channelkit.labels import LabeledEnum, RankedEnum
from channelkit.model import Model, trusted
from channelkit.money import ResultMoney, read_amount, read_money
from channelkit.numeric import (
    MAX_DIGITS,
    MAX_MAGNITUDE,
    ResultDec,
    ResultNonNegative,
    decimal_text,
    to_decimal,
    to_result_decimal,
)
from channelkit.scales import band

CNY = "CNY"
HUGE = 10**1_000_000


def _id(value: object) -> str:
    """A test id; a huge int has no text (Python refuses to print over 4,300 digits)."""
    try:
        return repr(value)[:30]
    except ValueError:
        return "huge_int"


# -- errors ------------------------------------------------------------------------------------


def test_argument_errors_carry_the_argument_and_the_value() -> None:
    err = ArgumentError("top must be at least 1, got 0", argument="top", value=0)
    assert (str(err), err.argument, err.value) == ("top must be at least 1, got 0", "top", 0)
    assert isinstance(err, ChannelkitError)
    assert isinstance(err, ValueError)
    assert not isinstance(err, TypeError)
    typed = ArgumentTypeError("rate must not be a float", argument="rate", value=0.1)
    assert (typed.argument, typed.value) == ("rate", 0.1)
    for base in (ArgumentError, ChannelkitError, ValueError, TypeError):
        assert isinstance(typed, base), base
    with pytest.raises(TypeError):
        ArgumentError("no argument named")  # type: ignore[call-arg]


def test_policy_and_frame_errors_carry_their_fields() -> None:
    err = PolicyError("policy P1 needs metric 'nps'", policy="P1", metric="nps")
    assert (err.policy, err.metric, str(err)) == ("P1", "nps", "policy P1 needs metric 'nps'")
    assert isinstance(err, ChannelkitError)
    assert isinstance(err, ValueError)
    bare = PolicyError("cannot apply")
    assert (bare.policy, bare.metric) == (None, None)
    frame = FrameError("amount: column is float64")
    assert frame.rejected is None
    assert isinstance(frame, ChannelkitError)
    assert isinstance(frame, ValueError)
    rows = [{"row": 3, "reason": "negative amount"}]
    assert FrameError("1 row rejected", rejected=rows).rejected is rows


def test_every_error_is_importable_from_the_root_and_derives_from_a_builtin() -> None:
    builtins = {
        "ArgumentError": ValueError,
        "ArgumentTypeError": TypeError,
        "CurrencyMismatchError": ValueError,
        "UndefinedRatioError": ZeroDivisionError,
        "InvalidTransitionError": ValueError,
        "PolicyError": ValueError,
        "FrameError": ValueError,
    }
    for name, builtin in builtins.items():
        cls = getattr(channelkit, name)
        assert issubclass(cls, ChannelkitError), name
        assert issubclass(cls, builtin), name
        assert name in channelkit.__all__


@pytest.mark.parametrize(
    "err",
    [
        ArgumentError("top must be at least 1", argument="top", value=0),
        ArgumentTypeError("rate must not be a float", argument="rate", value=0.5),
        PolicyError("needs nps", policy="P1", metric="nps"),
        FrameError("1 row rejected", rejected=[{"row": 1}]),
        UndefinedRatioError("current_ratio", "current_liabilities is 0"),
        CurrencyMismatchError("CNY", "USD", "add"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_errors_survive_pickling(err: ChannelkitError) -> None:
    """Errors cross process boundaries (multiprocessing, executors) with their fields."""
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is type(err)
    assert str(back) == str(err)
    assert vars(back) == vars(err)


def test_a_currency_mismatch_keeps_its_parts() -> None:
    err = CurrencyMismatchError("CNY", "USD", "transaction T9")
    assert (err.expected, err.got, err.context) == ("CNY", "USD", "transaction T9")
    assert str(err) == "currency mismatch (transaction T9): expected CNY, got USD"


# -- to_decimal: hostile text and numbers ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["0E-999999999", "0E+999999999", "-0E-999999999", "0E-35", "-0E-50", "0E+16", "0e-67"],
)
@pytest.mark.parametrize("reader", [to_decimal, to_result_decimal])
def test_a_zero_with_a_far_exponent_is_read_as_plain_zero(text: str, reader: Any) -> None:
    for value in (text, Decimal(text)):
        d = reader(value)
        assert d.as_tuple() == (0, (0,), 0), value
        assert decimal_text(d) == "0"


@pytest.mark.parametrize(
    ("text", "exponent"), [("0.00", -2), ("0E-34", -34), ("0E+15", 15), ("0", 0), ("-0.0", -1)]
)
def test_other_zeros_keep_their_exponent(text: str, exponent: int) -> None:
    for value in (text, Decimal(text)):
        d = to_decimal(value)
        assert not d
        assert d.as_tuple().exponent == exponent
        assert d.as_tuple() == Decimal(text).as_tuple()


def test_money_reads_a_far_zero_as_plain_zero() -> None:
    m = Money("0E-999999999", CNY)
    assert m.amount.as_tuple() == (0, (0,), 0)
    assert str(m) == "0 CNY"
    assert str(m.rounded()) == "0.00 CNY"
    assert (
        Partner(**PARTNER, payment_terms_days=0, credit_limit=m).model_dump_json().count("0") < 20
    )


@pytest.mark.parametrize("reader", [to_decimal, to_result_decimal])
@pytest.mark.parametrize("value", [HUGE, -HUGE, 10**5000], ids=_id)
def test_a_huge_int_is_refused_by_its_size(reader: Any, value: int) -> None:
    """Refused before any conversion (``Decimal(10**1_000_000)`` alone takes seconds)."""
    with pytest.raises(ArgumentError, match="too large: an integer of") as info:
        reader(value, "amount")
    assert info.value.argument == "amount"
    assert info.value.value == "<int>"  # not the number itself: its text is the cost


def test_money_refuses_a_huge_int() -> None:
    with pytest.raises(ArgumentError, match="amount is too large"):
        Money(HUGE, CNY)


@pytest.mark.parametrize(
    "value",
    [
        "NaN",
        "-nan",
        "sNaN",
        "inf",
        "-Infinity",
        Decimal("NaN"),
        Decimal("sNaN"),
        Decimal("-Infinity"),
        Decimal("Infinity"),
    ],
    ids=repr,
)
@pytest.mark.parametrize("reader", [to_decimal, to_result_decimal])
def test_nan_and_infinities_are_argument_errors(value: object, reader: Any) -> None:
    with pytest.raises(ArgumentError, match="x must be finite") as info:
        reader(value, "x")
    assert info.value.argument == "x"
    assert not isinstance(info.value, TypeError)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (True, "x must be a number, not a bool"),
        (False, "x must be a number, not a bool"),
        (0.1, "x must not be a float"),
        (float("nan"), "x must not be a float"),
        (None, "not NoneType"),
        (b"1", "not bytes"),
        ([1], "not list"),
        ({"amount": 1}, "not dict"),
        (Money(1, CNY), "not Money"),
    ],
    ids=repr,
)
@pytest.mark.parametrize("reader", [to_decimal, to_result_decimal])
def test_wrong_types_are_argument_type_errors(value: object, text: str, reader: Any) -> None:
    with pytest.raises(ArgumentTypeError, match=text) as info:
        reader(value, "x")
    assert info.value.argument == "x"
    assert isinstance(info.value, TypeError)
    assert isinstance(info.value, ValueError)


THIRTY_FIVE = "0." + "1" * 35


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (THIRTY_FIVE, "too many digits"),
        (Decimal(THIRTY_FIVE), "too many digits"),
        ("-" + THIRTY_FIVE, "too many digits"),
        ("1." + "0" * 34, "too many digits"),  # 35 digits, trailing zeros count
        ("1" * 35, "too large"),
        (Decimal("1" * 35), "too large"),
        ("1e-35", "too small to be meaningful"),
        ("1e15", "too large"),
        ("-1e999999", "too large"),
        ("1e-999999", "too small"),
    ],
    ids=repr,
)
def test_out_of_bounds_numbers_are_argument_errors(value: object, text: str) -> None:
    with pytest.raises(ArgumentError, match=text) as info:
        to_decimal(value, "x")
    assert info.value.argument == "x"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0." + "1" * 34, Decimal("0." + "1" * 34)),
        (Decimal("1." + "1" * 33), Decimal("1." + "1" * 33)),
        ("1_000.25", Decimal("1000.25")),
        ("1_000_000", Decimal(1_000_000)),
        (" \t12.5\n", Decimal("12.5")),
        ("+7", Decimal(7)),
        ("1E+14", Decimal("1E+14")),
        ("-" + "9" * 15, Decimal("-" + "9" * 15)),
        (10**15 - 1, Decimal(10**15 - 1)),
    ],
    ids=repr,
)
def test_numbers_within_the_bounds_are_read_exactly(value: object, expected: Decimal) -> None:
    d = to_decimal(value)
    assert type(d) is Decimal
    assert d == expected
    assert d.as_tuple() == expected.as_tuple()


@pytest.mark.parametrize(
    "text", ["", " ", "abc", "1e", "++1", "1.2.3", "0x10", "1,000", "1e+-5", "½"]
)
def test_non_numeric_text_is_an_argument_error(text: str) -> None:
    with pytest.raises(ArgumentError) as info:
        to_decimal(text, "x")
    assert info.value.argument == "x"
    assert info.value.value == text


def _hostile_context() -> Context:
    return Context(prec=3, Emax=5, Emin=-5, traps=[])


INVALID = ["abc", "1e999999", "1e-999999", "NaN", "sNaN", "0." + "1" * 40, "1" * 40, "1e"]
INVALID_RESULT = ["abc", "1e1000000", "1e-1000000", "NaN", "sNaN", "1" * 40, "1e", "x" * 300]
VALID = ["1234567.891", "0.0000000000000000000000000000000001", "0E-999999999", "99999999999999.99"]


def test_the_caller_context_is_neither_read_nor_changed() -> None:
    expected = {t: to_decimal(t) for t in VALID}
    for make in (_hostile_context, lambda: Context(prec=3, traps=[Inexact, Rounded, Clamped])):
        with localcontext(make()) as ctx:
            ctx.clear_flags()
            before = (ctx.prec, ctx.Emax, ctx.Emin, dict(ctx.traps))
            for text in INVALID:
                with pytest.raises(ArgumentError):
                    to_decimal(text, "x")
            for text in INVALID_RESULT:
                with pytest.raises(ArgumentError):
                    to_result_decimal(text, "x")
            for text, d in expected.items():
                got = to_decimal(text)
                assert got == d
                assert got.as_tuple() == d.as_tuple()
                assert to_result_decimal(text) == d
            assert not any(ctx.flags.values()), {k.__name__ for k, v in ctx.flags.items() if v}
            assert (ctx.prec, ctx.Emax, ctx.Emin, dict(ctx.traps)) == before


@given(
    st.decimals(
        min_value=Decimal(1 - 10**MAX_MAGNITUDE),
        max_value=Decimal(10**MAX_MAGNITUDE - 1),
        allow_nan=False,
        allow_infinity=False,
    )
)
def test_to_decimal_reads_back_what_str_wrote(d: Decimal) -> None:
    assume(len(d.as_tuple().digits) <= MAX_DIGITS and (not d or d.adjusted() >= -MAX_DIGITS))
    assert to_decimal(str(d)) == d
    assert to_decimal(d) is d
    assert to_decimal(decimal_text(d)) == d


@given(
    st.text(max_size=60)
    | st.from_regex(r"\A\s*[-+]?\d{0,40}(\.\d{0,40})?([eE][-+]?\d{1,12})?\s*\Z")
)
def test_to_decimal_of_any_text_is_bounded_or_an_argument_error(text: str) -> None:
    with localcontext(_hostile_context()) as ctx:
        ctx.clear_flags()
        d = _read(text)
        assert not any(ctx.flags.values())
    if isinstance(d, ArgumentError):
        assert d.argument == "x"
        return
    assert type(d) is Decimal
    assert d.is_finite()
    with localcontext(Context(prec=MAX_DIGITS, Emax=10**12, Emin=-(10**12))):
        assert d == Decimal(text)  # exact: never rounded
    if d:
        assert -MAX_DIGITS <= d.adjusted() < MAX_MAGNITUDE
        assert len(d.as_tuple().digits) <= MAX_DIGITS
    else:
        assert -MAX_DIGITS <= d.adjusted() <= MAX_MAGNITUDE
    assert len(decimal_text(d)) <= 2 * MAX_DIGITS + MAX_MAGNITUDE


def _read(text: str) -> Decimal | ArgumentError:
    try:
        return to_decimal(text, "x")
    except ArgumentError as err:
        return err


# -- result numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1e30", Decimal("1e30")),
        ("-1e-40", Decimal("-1e-40")),
        ("9e999999", Decimal("9e999999")),
        ("1e-999999", Decimal("1e-999999")),
        (10**33, Decimal(10**33)),
        (Decimal("9" * 34 + "E+100"), Decimal("9" * 34 + "E+100")),
    ],
    ids=repr,
)
def test_result_decimals_accept_what_a_calculation_can_give(
    value: object, expected: Decimal
) -> None:
    assert to_result_decimal(value) == expected


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("1e1000000", "out of range"),
        ("1e-1000000", "out of range"),
        (Decimal("1" * 35), "out of range"),
        (10**34, "too large"),
        ("1" * 201, "too long a text"),
        ("x" * 10_000, "too long a text"),
    ],
    ids=_id,
)
def test_result_decimals_are_still_bounded(value: object, text: str) -> None:
    with pytest.raises(ArgumentError, match=text):
        to_result_decimal(value, "x")


@pytest.mark.parametrize(
    ("d", "text"),
    [
        (Decimal("1E+999"), "1E+999"),
        (Decimal("-1E-999"), "-1E-999"),
        (Decimal("9.9E+33"), "99" + "0" * 32),  # 34 digits: read back as written
        (Decimal("1E+34"), "1E+34"),  # 35 digits written out: more than a number may have
        (Decimal("1E+49"), "1E+49"),
        (Decimal("1E-49"), "0." + "0" * 48 + "1"),
        (Decimal("1E+50"), "1E+50"),
        (Decimal("1.5E-50"), "1.5E-50"),
        (Decimal("9" * 34 + "E+999000"), "9.999999999999999999999999999999999E+999033"),
    ],
)
def test_decimal_text_stays_short_for_huge_and_tiny(d: Decimal, text: str) -> None:
    assert decimal_text(d) == text
    assert Decimal(decimal_text(d)) == d


@given(
    st.integers(min_value=-(10**MAX_DIGITS) + 1, max_value=10**MAX_DIGITS - 1),
    st.integers(min_value=-(10**6) + 40, max_value=10**6 - 40),
)
def test_decimal_text_of_any_result_is_short_and_exact(digits: int, exponent: int) -> None:
    d = Decimal(digits).scaleb(exponent, Context(prec=MAX_DIGITS, Emax=10**7, Emin=-(10**7)))
    assume(not d or -(10**6) < d.adjusted() < 10**6)
    text = decimal_text(d)
    assert len(text) <= MAX_DIGITS + 60
    assert to_result_decimal(text) == d


class _Result(Model):
    """A result model with the kernel's result field types."""

    money: ResultMoney
    """An amount."""
    figure: ResultDec
    """A figure."""
    share: ResultNonNegative
    """A share."""


@pytest.mark.parametrize("text", ["1e30", "-1e30", "1e-40", "9.999E+999990", "0E-999999"])
def test_result_fields_round_trip_through_json(text: str) -> None:
    value = Decimal(text)
    if value < 0:
        r = _Result(money={"amount": text, "currency": CNY}, figure=text, share=0)  # type: ignore[arg-type]
    else:
        r = _Result(money={"amount": text, "currency": CNY}, figure=text, share=text)  # type: ignore[arg-type]
    raw = r.model_dump_json()
    assert len(raw) < 300
    assert _Result.model_validate_json(raw) == r
    assert _Result.model_validate(r.model_dump()) == r
    assert r.money.amount == value
    assert len(repr(r)) < 300
    # a Money field built by arithmetic beyond the input bounds is a valid result
    big = Money(10**14, CNY) * 10**10
    assert _Result(money=big, figure=0, share=0).money is big


def test_result_money_refuses_what_input_money_refuses_in_type() -> None:
    for bad in [{"amount": 1.5, "currency": CNY}, {"amount": "NaN", "currency": CNY}]:
        with pytest.raises(ValidationError, match="money"):
            _Result(money=bad, figure=0, share=0)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="money"):
        _Result(money={"amount": 1, "currency": CNY, "x": 1}, figure=0, share=0)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="money"):
        _Result(money={"amount": 1}, figure=0, share=0)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="share"):
        _Result(money=Money(1, CNY), figure=0, share=-1)


# -- Money arithmetic -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("factor", "error", "text"),
    [
        (0.5, ArgumentTypeError, "cannot multiply Money by a float"),
        (float("nan"), ArgumentTypeError, "by a float"),
        (Decimal("NaN"), ArgumentError, "cannot multiply Money by NaN: the factor must be finite"),
        (Decimal("sNaN"), ArgumentError, "must be finite"),
        (Decimal("-Infinity"), ArgumentError, "must be finite"),
        (10**40, ArgumentError, "cannot multiply Money by an integer of 133 bits"),
        (HUGE, ArgumentError, "an integer of"),
        (Decimal("1e999999"), ArgumentError, "out of the range of exact arithmetic"),
    ],
    ids=_id,
)
def test_money_times_a_hostile_factor(factor: Any, error: type[Exception], text: str) -> None:
    m = Money(5000, CNY)
    with pytest.raises(error, match=text) as info:
        m * factor
    assert isinstance(info.value, ChannelkitError)
    with pytest.raises(error):
        factor * m


def test_money_times_a_large_but_exact_factor() -> None:
    big = Money(5, CNY) * 10**33
    assert big.amount == Decimal("5E+33")
    assert (Money(5, CNY) * Decimal("1e-999990")).amount == Decimal("5e-999990")


@pytest.mark.parametrize(
    "divisor", [0, Decimal(0), Decimal("-0"), Decimal("0E-999999"), Money(0, CNY)], ids=repr
)
def test_money_divided_by_zero_is_an_undefined_ratio(divisor: Any) -> None:
    with pytest.raises(UndefinedRatioError, match="the divisor is 0") as info:
        Money(5, CNY) / divisor
    assert isinstance(info.value, ZeroDivisionError)
    assert info.value.reason == "the divisor is 0"
    assert "5 CNY" in info.value.ratio


def test_money_divided_out_of_range() -> None:
    with pytest.raises(ArgumentError, match="out of the range"):
        Money(5, CNY) / Decimal("1e-999999") / Decimal("1e-10")
    with pytest.raises(ArgumentError, match="cannot divide Money by NaN"):
        Money(5, CNY) / Decimal("NaN")
    with pytest.raises(ArgumentTypeError, match="cannot divide Money by a float"):
        Money(5, CNY) / 0.0


def test_money_arithmetic_ignores_a_hostile_context() -> None:
    a, b = Money("1234567.891", CNY), Money("0.009", CNY)
    expected = (a + b, a - b, a * 3, a / 7, a / b, -a)
    with localcontext(Context(prec=2, traps=[Inexact, Rounded, InvalidOperation])) as ctx:
        ctx.clear_flags()
        assert (a + b, a - b, a * 3, a / 7, a / b, -a) == expected
        with pytest.raises(UndefinedRatioError):
            a / 0
        assert not any(ctx.flags.values())


def test_money_zero_is_one_cached_instance_per_currency() -> None:
    assert Money.zero(CNY) is Money.zero(CNY)
    assert Money.zero("JPY") is Money.zero("JPY")
    assert Money.zero(CNY) is not Money.zero("USD")
    zero = Money.zero("USD")
    assert zero.amount.as_tuple() == (0, (0,), 0)
    assert zero.currency == "USD"
    with pytest.raises(AttributeError, match="immutable"):
        zero.amount = Decimal(1)  # type: ignore[misc]
    assert Money.zero("USD").amount == 0


@pytest.mark.parametrize(
    ("currency", "error"),
    [
        ("XYZ", ArgumentError),
        ("cny", ArgumentError),
        ({}, ArgumentTypeError),  # unhashable: a dict from a JSON document
        (["CNY"], ArgumentTypeError),
        (None, ArgumentTypeError),
        (156, ArgumentTypeError),
    ],
    ids=_id,
)
def test_an_unknown_currency_is_an_argument_error(currency: Any, error: type[Exception]) -> None:
    for make in (lambda: Money(1, currency), lambda: Money.zero(currency)):
        with pytest.raises(error, match="unknown currency") as info:
            make()
        assert info.value.argument == "currency"  # type: ignore[attr-defined]
    doc = {"id": "P", "name": "P", "kind": "dealer", "currency": CNY, "joined": "2026-01-01"}
    doc |= {"payment_terms_days": 0, "credit_limit": {"amount": "1", "currency": currency}}
    with pytest.raises(ValidationError, match="credit_limit"):
        Partner.model_validate(doc)


# -- argument readers -----------------------------------------------------------------------------


def test_read_amount_reads_money_of_the_currency_or_a_number() -> None:
    assert read_amount(Money("5.5", CNY), CNY, "advance") == Decimal("5.5")
    assert read_amount("2.50", CNY, "advance").as_tuple() == Decimal("2.50").as_tuple()
    assert read_amount(7, CNY, "advance") == 7
    assert read_amount("0E-999999999", CNY, "advance").as_tuple() == (0, (0,), 0)
    assert read_amount(-3, CNY, "advance") == -3
    assert read_amount(0, CNY, "advance", non_negative=True) == 0
    m = read_money("12.5", CNY, "limit")
    assert (m, type(m)) == (Money("12.5", CNY), Money)
    assert read_money(Money(3, CNY), CNY, "limit") == Money(3, CNY)


@pytest.mark.parametrize(
    ("value", "error", "text"),
    [
        (Money(5, "USD"), CurrencyMismatchError, "currency mismatch \\(advance\\)"),
        (1.5, ArgumentTypeError, "advance must not be a float"),
        (None, ArgumentTypeError, "advance must be a Decimal, an int or a numeric str"),
        ({"amount": 1, "currency": CNY}, ArgumentTypeError, "not dict"),
        (True, ArgumentTypeError, "not a bool"),
        ("NaN", ArgumentError, "advance must be finite"),
        ("1e999999", ArgumentError, "advance is too large"),
        (Money(10**14, CNY) * 100, ArgumentError, "advance is too large"),
        (HUGE, ArgumentError, "advance is too large"),
        (-1, ArgumentError, "advance must not be negative, got -1"),
        (Money("-0.01", CNY), ArgumentError, "advance must not be negative, got -0.01"),
    ],
    ids=_id,
)
@pytest.mark.parametrize("reader", [read_amount, read_money])
def test_read_amount_refuses(value: object, error: type[Exception], text: str, reader: Any) -> None:
    with pytest.raises(error, match=text) as info:
        reader(value, CNY, "advance", non_negative=True)
    if isinstance(info.value, ArgumentError):
        assert info.value.argument == "advance"


# -- allocate -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weights", "expected"),
    [
        ([Decimal("1e999990"), Decimal("1e999990")], ["50.00", "50.00"]),
        ([Decimal("9e999999"), 1], ["100.00", "0.00"]),
        ([Decimal("1e-999990"), Decimal("3e-999990")], ["25.00", "75.00"]),
        ([0, 1], ["0.00", "100.00"]),
        ([0, 0, 1, 0], ["0.00", "0.00", "100.00", "0.00"]),
        ([Decimal("0E-999999999"), 1], ["0.00", "100.00"]),
        (["9" * 34, "9" * 34, "9" * 34], ["33.34", "33.33", "33.33"]),
    ],
    ids=repr,
)
def test_allocate_with_huge_tiny_and_zero_weights(weights: list[Any], expected: list[str]) -> None:
    parts = allocate(Money(100, CNY), weights)
    assert [str(p.amount) for p in parts] == expected
    assert sum(parts, Money.zero(CNY)) == Money(100, CNY)


@pytest.mark.parametrize(
    ("total", "weights", "error", "text"),
    [
        (Money(100, CNY), [0, 0], ArgumentError, "weights must not all be zero"),
        (Money(100, CNY), [], ArgumentError, "weights must not be empty"),
        (Money(100, CNY), [1, -1], ArgumentError, "weights\\[1\\] must not be negative"),
        (Money(100, CNY), [Decimal("1e1000000")], ArgumentError, "out of range"),
        (Money(100, CNY), [HUGE], ArgumentError, "too large"),
        (Money(100, CNY), [Decimal("NaN")], ArgumentError, "must be finite"),
        (Money(100, CNY), [0.5], ArgumentTypeError, "must not be a float"),
        (Money(100, CNY), [None], ArgumentTypeError, "not NoneType"),
        (Money(100, CNY), "12", ArgumentTypeError, "weights must be an iterable"),
        (Money(100, CNY), 12, ArgumentTypeError, "weights must be an iterable"),
        (100, [1], ArgumentTypeError, "total must be Money"),
        (Money("100.001", CNY), [1], ArgumentError, "more decimal places"),
    ],
    ids=_id,
)
def test_allocate_refuses(total: Any, weights: Any, error: type[Exception], text: str) -> None:
    with pytest.raises(error, match=text):
        allocate(total, weights)


# -- periods --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc", "loc", "kind"),
    [
        ({"start": "2026-01-01"}, ("end",), "missing"),
        ({"end": "2026-01-01"}, ("start",), "missing"),
        ({"start": "2026-01-01", "end": "2026-02-01", "weeks": 4}, ("weeks",), "extra_forbidden"),
        ({}, ("start",), "missing"),
    ],
)
def test_a_period_dict_with_a_missing_or_extra_key_is_a_validation_error(
    doc: dict[str, Any], loc: tuple[str, ...], kind: str
) -> None:
    with pytest.raises(ValidationError) as info:
        Period.model_validate(doc)
    assert (info.value.errors()[0]["loc"], info.value.errors()[0]["type"]) == (loc, kind)
    with pytest.raises(ValidationError) as again:
        Period(**doc)
    assert again.value.errors()[0]["loc"] == loc
    policy = {
        "id": "P",
        "name": "P",
        "currency": CNY,
        "brackets": [{"start": 0, "rate": "0.01"}],
        "valid": doc,
        "cap": "nope",  # a second error: every error is reported, none hidden by a TypeError
    }
    with pytest.raises(ValidationError) as nested:
        RebatePolicy.model_validate(policy)
    locs = [e["loc"] for e in nested.value.errors()]
    assert ("valid", *loc) in locs
    assert ("cap",) in locs


def test_a_period_still_takes_positional_and_keyword_dates() -> None:
    a = Period(date(2026, 1, 1), date(2026, 2, 1))
    assert a == Period(start=date(2026, 1, 1), end=date(2026, 2, 1)) == Period.month(2026, 1)
    with pytest.raises(ValidationError, match="end"):
        Period(date(2026, 1, 1))  # type: ignore[call-arg]


@pytest.mark.parametrize(
    "call",
    [
        lambda: Period.year(9999),
        lambda: Period.year(9999, start_month=12),
        lambda: Period.half(9999, 2),
        lambda: Period.quarter(9999, 4),
        lambda: Period.month(9999, 12),
        lambda: Period.containing(date(9999, 12, 31), Frequency.MONTHLY),
    ],
)
def test_a_period_past_the_calendar_is_an_argument_error(call: Any) -> None:
    with pytest.raises(ArgumentError, match="leaves the calendar") as info:
        call()
    assert info.value.argument == "year"


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: Period.year(10_000), ArgumentError),
        (lambda: Period.year(0), ArgumentError),
        (lambda: Period.year(-(10**100)), ArgumentError),
        (lambda: Period.year("2026"), ArgumentTypeError),
        (lambda: Period.year(True), ArgumentTypeError),
        (lambda: Period.month(2026, 13), ArgumentError),
        (lambda: Period.quarter(2026, 5), ArgumentError),
        (lambda: Period.year(2026, start_month=0), ArgumentError),
    ],
)
def test_period_constructors_name_the_argument(call: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        call()


def test_the_last_periods_of_the_calendar_work() -> None:
    assert Period.year(9998) == Period(date(9998, 1, 1), date(9999, 1, 1))
    assert Period.month(9999, 11).end == date(9999, 12, 1)
    last = Period(date(9999, 1, 1), date(9999, 12, 31))
    quarters = last.split(Frequency.QUARTERLY)
    assert [q.start.month for q in quarters] == [1, 4, 7, 10]
    assert quarters[-1].end == date(9999, 12, 31)
    assert sum(q.days for q in quarters) == last.days
    assert last.split(Frequency.YEARLY) == [last]
    odd = Period(date(9998, 3, 15), date(9999, 12, 31))
    halves = odd.split(Frequency.HALF_YEARLY)
    assert halves[-1] == Period(date(9999, 9, 15), date(9999, 12, 31))
    assert all(a.end == b.start for a, b in itertools.pairwise(halves))


# -- integer fields ------------------------------------------------------------------------------

PARTNER = {
    "id": "P",
    "name": "P",
    "kind": "dealer",
    "currency": CNY,
    "joined": date(2026, 1, 1),
}


@pytest.mark.parametrize("days", [10**9, -1, 10**5000, -(10**9)], ids=_id)
def test_integer_fields_are_below_a_billion(days: int) -> None:
    with pytest.raises(ValidationError) as info:
        Partner(**PARTNER, payment_terms_days=days)  # type: ignore[arg-type]
    assert info.value.errors()[0]["loc"] == ("payment_terms_days",)
    assert len(str(info.value)) < 1000


def test_an_integer_field_just_below_a_billion_is_accepted() -> None:
    p = Partner(**PARTNER, payment_terms_days=10**9 - 1)  # type: ignore[arg-type]
    assert p.payment_terms_days == 999_999_999


# -- ordered enums and banding ---------------------------------------------------------------------


class _Level(RankedEnum):
    LOW = "low", "Low", "低"
    HIGH = "high", "High", "高"
    A = "a", "A", "甲"  # declared last: the highest, although it sorts first by spelling


def test_ranked_enums_order_by_declaration() -> None:
    assert sorted([_Level.A, _Level.HIGH, _Level.LOW]) == [_Level.LOW, _Level.HIGH, _Level.A]
    assert max(_Level) is _Level.A
    assert min(_Level) is _Level.LOW
    assert [m.rank for m in _Level] == [0, 1, 2]
    assert _Level.LOW < _Level.HIGH <= _Level.HIGH < _Level.A
    assert _Level.A > _Level.HIGH >= _Level.HIGH > _Level.LOW
    assert _Level.A == "a"
    assert hash(_Level.A) == hash("a")
    assert _Level.HIGH.label("zh") == "高"
    assert issubclass(_Level, LabeledEnum)


@pytest.mark.parametrize("op", ["__lt__", "__le__", "__gt__", "__ge__"])
def test_ranked_enums_do_not_compare_across_types(op: str) -> None:
    assert getattr(_Level.LOW, op)(1) is NotImplemented
    for other in ("a", "zzz", Severity.LOW):
        with pytest.raises(ArgumentTypeError, match="_Level members are ordered by rank"):
            getattr(_Level.LOW, op)(other)


@pytest.mark.parametrize(
    "compare",
    [
        lambda: _Level.LOW < Severity.HIGH,
        lambda: Severity.MEDIUM >= "high",  # by spelling this would be True
        lambda: "high" <= Severity.MEDIUM,  # noqa: SIM300 - the member's method runs first
        lambda: sorted([_Level.LOW, "b"]),
        lambda: max([Severity.LOW, "critical"]),
        lambda: _Level.LOW < 1,
        lambda: Severity.LOW > None,
    ],
)
def test_ordering_a_member_and_another_type_is_a_type_error(compare: Any) -> None:
    """Never ``str``'s order by spelling, in which "medium" >= "high"."""
    with pytest.raises(TypeError):
        compare()


def test_severity_and_credit_outcome_share_the_ranked_base() -> None:
    assert issubclass(Severity, RankedEnum)
    assert issubclass(CreditOutcome, RankedEnum)
    assert max(CreditOutcome) is list(CreditOutcome)[-1]
    assert sorted(Severity, reverse=True)[0] is Severity.CRITICAL


EDGES = (Decimal(4), Decimal(9), Decimal(16))


@pytest.mark.parametrize(
    ("value", "up", "down"),
    [
        (Decimal(-100), Severity.LOW, Severity.LOW),
        (Decimal(3), Severity.LOW, Severity.LOW),
        (Decimal(4), Severity.MEDIUM, Severity.LOW),
        (Decimal("4.0001"), Severity.MEDIUM, Severity.MEDIUM),
        (Decimal(9), Severity.HIGH, Severity.MEDIUM),
        (Decimal(16), Severity.CRITICAL, Severity.HIGH),
        (Decimal(17), Severity.CRITICAL, Severity.CRITICAL),
        (Decimal("1e999999"), Severity.CRITICAL, Severity.CRITICAL),
    ],
)
def test_band_with_both_edge_rules(value: Decimal, up: Severity, down: Severity) -> None:
    assert band(value, EDGES, edge_goes_up=True) is up
    assert band(value, EDGES, edge_goes_up=False) is down


@given(
    st.decimals(min_value=-100, max_value=100, allow_nan=False, places=2),
    st.decimals(min_value=-100, max_value=100, allow_nan=False, places=2),
    st.booleans(),
)
def test_band_is_monotone_and_the_rules_differ_only_on_edges(
    a: Decimal, b: Decimal, up: bool
) -> None:
    lo, hi = sorted([a, b])
    assert band(lo, EDGES, edge_goes_up=up) <= band(hi, EDGES, edge_goes_up=up)
    if a not in EDGES:
        assert band(a, EDGES, edge_goes_up=True) is band(a, EDGES, edge_goes_up=False)
    else:
        assert band(a, EDGES, edge_goes_up=True) is band(a, EDGES, edge_goes_up=False).escalate()


# -- the one result builder -----------------------------------------------------------------------

JAN = {"start": date(2026, 1, 1), "end": date(2026, 2, 1)}


def test_trusted_builds_a_result_with_every_field() -> None:
    p = trusted(Period, dict(JAN))
    assert p == Period.month(2026, 1)
    assert p.model_fields_set == {"start", "end"}


@pytest.mark.parametrize(
    ("values", "text"),
    [
        ({"start": date(2026, 1, 1)}, r"Period built without \['end'\]"),
        ({**JAN, "weeks": 4}, r"with unknown \['weeks'\]"),
        ({}, r"without \['end', 'start'\]"),
    ],
)
@pytest.mark.parametrize("check", [True, False])
def test_trusted_refuses_a_missing_or_unknown_field(
    values: dict[str, Any], text: str, check: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Always, not only while checking: a result can never lack a field."""
    monkeypatch.setattr(channelkit.model, "CHECK_RESULTS", check)
    with pytest.raises(TypeError, match=text):
        trusted(Period, values)


def test_trusted_checks_types_while_the_suite_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    assert channelkit.model.CHECK_RESULTS  # the root conftest turns it on for every test
    with pytest.raises(TypeError, match=r"Period.start was built as '2026-01-01' \(str\)"):
        trusted(Period, {"start": "2026-01-01", "end": date(2026, 2, 1)})
    with pytest.raises(TypeError, match=r"_Result.figure was built as 1 \(int\)"):
        trusted(_Result, {"money": Money(1, CNY), "figure": 1, "share": Decimal(0)})
    with pytest.raises(ValidationError):  # a value validation refuses is refused too
        trusted(_Result, {"money": Money(1, CNY), "figure": Decimal(0), "share": Decimal(-1)})
    monkeypatch.setattr(channelkit.model, "CHECK_RESULTS", False)
    fast = trusted(Period, {"start": "2026-01-01", "end": date(2026, 2, 1)})
    assert fast.start == "2026-01-01"  # type: ignore[comparison-overlap]  # unchecked: fast


def test_check_results_comes_from_the_environment() -> None:
    import os
    import subprocess
    import sys

    code = "import channelkit.model as m; print(m.CHECK_RESULTS)"
    for env, expected in (("1", "True"), ("", "False"), ("0", "False")):
        out = subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "CHANNELKIT_CHECK_RESULTS": env},
            capture_output=True,
            text=True,
            check=True,
        )
        assert out.stdout.strip() == expected
