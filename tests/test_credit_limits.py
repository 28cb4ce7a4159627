"""propose_credit_limit(): each method, combining, multiplier, rounding, bounds and errors."""

from __future__ import annotations

import datetime as dt
import decimal
from decimal import Decimal
from enum import IntEnum

import pytest

from channelkit import (
    ArgumentError,
    ArgumentTypeError,
    Combine,
    CreditLimitProposal,
    CurrencyMismatchError,
    FinancialStatement,
    LimitMethod,
    Money,
    PolicyError,
    propose_credit_limit,
)
from channelkit.credit import LimitBound

NW, WC, SV = LimitMethod.NET_WORTH, LimitMethod.WORKING_CAPITAL, LimitMethod.SALES_VELOCITY


def cny(a: object) -> Money:
    return Money(a, "CNY")  # type: ignore[arg-type]


def statement(**figures: object) -> FinancialStatement:
    return FinancialStatement(currency="CNY", period_end=dt.date(2025, 12, 31), **figures)  # type: ignore[arg-type]


S = statement(equity=2_345_678, current_assets=3_000_000, current_liabilities=1_800_000)


def test_each_method_by_hand() -> None:
    p = propose_credit_limit(statement=S, monthly_sales=cny(300_000), terms_days=45, grace_days=15)
    # NET_WORTH 10% x 2,345,678 = 234,567.80
    # WORKING_CAPITAL 10% x (3,000,000 - 1,800,000) = 120,000
    # SALES_VELOCITY 300,000 x (45 + 15) / 30 = 600,000
    assert p.components == {NW: cny("234567.80"), WC: cny(120_000), SV: cny(600_000)}
    assert list(p.components) == [NW, WC, SV]
    # MIN = 120,000; x 1; rounded down to 1,000: 120,000
    assert p.combine is Combine.MIN
    assert p.combined == cny(120_000)
    assert p.multiplier == 1
    assert p.multiplied == cny(120_000)
    assert p.rounded == cny(120_000)
    assert p.amount == cny(120_000)
    assert p.bounded_by is None
    assert (p.equity, p.working_capital) == (2_345_678, 1_200_000)
    assert (p.monthly_sales, p.terms_days, p.grace_days) == (cny(300_000), 45, 15)
    assert (p.net_worth_rate, p.working_capital_rate) == (Decimal("0.10"), Decimal("0.10"))
    assert p.round_down_to == 1000


def test_mean_and_median() -> None:
    kw = {"statement": S, "monthly_sales": cny(300_000), "terms_days": 45}
    # figures 234,567.80, 120,000, 450,000
    mean = propose_credit_limit(**kw, combine=Combine.MEAN)  # type: ignore[arg-type]
    # (234,567.80 + 120,000 + 450,000) / 3 = 804,567.80 / 3 = 268,189.2666...
    assert mean.combined.amount == Decimal("268189.2666666666666666666666666667")
    assert mean.amount == cny("268000.00")
    median = propose_credit_limit(**kw, combine="median")  # type: ignore[arg-type]
    assert median.combined == cny("234567.80")
    assert median.amount == cny("234000.00")
    # an even count: the mean of the middle two, (234,567.80 + 120,000) / 2 = 177,283.90
    two = propose_credit_limit(statement=S, combine="median")
    assert two.combined == cny("177283.90")
    assert two.amount == cny(177_000)


def test_multiplier_then_round_down() -> None:
    p = propose_credit_limit(statement=S, methods=[NW], multiplier="1.5", round_down_to=10_000)
    # 234,567.80 x 1.5 = 351,851.70 -> down to 10,000: 350,000
    assert p.multiplied == cny("351851.700")
    assert p.rounded == cny(350_000)
    assert p.amount == cny(350_000)


def test_round_down_to_none_rounds_to_the_minor_unit() -> None:
    p = propose_credit_limit(monthly_sales=1000, terms_days=1, currency="CNY", round_down_to=None)
    # 1,000 x 1 / 30 = 33.333... -> 33.33 (down)
    assert p.amount == cny("33.33")
    assert p.round_down_to is None
    jpy = propose_credit_limit(monthly_sales=1000, terms_days=1, currency="JPY", round_down_to=None)
    assert jpy.amount == Money(33, "JPY")


def test_round_down_to_a_fractional_step() -> None:
    p = propose_credit_limit(monthly_sales=1000, terms_days=1, currency="CNY", round_down_to="0.5")
    # 33.333... -> 33.0 (a multiple of 0.5) -> 33.00
    assert p.amount == cny("33.00")


def test_floor_and_ceiling() -> None:
    floor = propose_credit_limit(statement=S, methods=["working_capital"], floor=cny(150_000))
    assert floor.rounded == cny(120_000)
    assert floor.amount == cny(150_000)
    assert floor.bounded_by is LimitBound.FLOOR
    ceiling = propose_credit_limit(statement=S, methods=["net_worth"], ceiling=200_000)
    assert ceiling.amount == cny(200_000)
    assert ceiling.bounded_by is LimitBound.CEILING
    assert ceiling.ceiling == cny(200_000)
    # exactly at a bound: it does not "apply"
    at = propose_credit_limit(statement=S, methods=[WC], floor=120_000, ceiling=120_000)
    assert at.amount == cny(120_000)
    assert at.bounded_by is None


def test_tier_credit_multiplier_feeds_the_proposal() -> None:
    from channelkit import TierBenefits

    gold = TierBenefits(credit_multiplier="1.25")
    p = propose_credit_limit(statement=S, methods=[WC], multiplier=gold.credit_multiplier)
    # 120,000 x 1.25 = 150,000
    assert p.amount == cny(150_000)


def test_negative_figures_count_as_zero() -> None:
    s = statement(equity=-500_000, current_assets=100, current_liabilities=200)
    p = propose_credit_limit(statement=s)
    assert p.components == {NW: cny(0), WC: cny(0)}
    assert p.amount == cny(0)
    assert p.equity == -500_000
    assert p.working_capital == -100
    assert "(below 0: counts as 0)" in p.explain()
    assert "（小于 0，按 0 计）" in p.explain("zh")


def test_custom_rates_and_zero_multiplier() -> None:
    p = propose_credit_limit(statement=S, methods=[NW], net_worth_rate="0.2")
    # 20% x 2,345,678 = 469,135.60 -> 469,000
    assert p.amount == cny(469_000)
    q = propose_credit_limit(statement=S, methods=[WC], working_capital_rate="0.25")
    assert q.amount == cny(300_000)
    assert propose_credit_limit(statement=S, multiplier=0).amount == cny(0)


def test_methods_none_uses_the_available_methods() -> None:
    only_equity = statement(equity=1_000_000)
    p = propose_credit_limit(statement=only_equity, monthly_sales=cny(1), terms_days=None)
    assert list(p.components) == [NW]
    assert p.monthly_sales is None
    assert p.terms_days is None
    assert p.working_capital is None
    q = propose_credit_limit(monthly_sales=cny(90_000), terms_days=30, currency="CNY")
    assert list(q.components) == [SV]
    assert q.equity is None


def test_currency_rules() -> None:
    usd = propose_credit_limit(monthly_sales=30_000, terms_days=30, currency="USD")
    assert usd.amount == Money(30_000, "USD")
    with pytest.raises(ArgumentError, match="currency is required when no statement is given"):
        propose_credit_limit(monthly_sales=1, terms_days=1)
    with pytest.raises(CurrencyMismatchError, match=r"\(currency\): expected CNY, got USD"):
        propose_credit_limit(statement=S, currency="USD")
    assert propose_credit_limit(statement=S, currency="CNY").amount.currency == "CNY"
    with pytest.raises(CurrencyMismatchError, match=r"\(monthly_sales\)"):
        propose_credit_limit(statement=S, monthly_sales=Money(1, "USD"), terms_days=1)
    with pytest.raises(CurrencyMismatchError, match=r"\(floor\)"):
        propose_credit_limit(statement=S, floor=Money(1, "USD"))
    with pytest.raises(ValueError, match="currency"):
        propose_credit_limit(monthly_sales=1, terms_days=1, currency="cny")


def test_missing_inputs() -> None:
    with pytest.raises(
        PolicyError,
        match="no credit limit method has its inputs: net_worth needs "
        "statement; working_capital needs statement; sales_velocity needs "
        "monthly_sales, terms_days",
    ):
        propose_credit_limit(currency="CNY")
    with pytest.raises(PolicyError, match=r"method net_worth needs statement\.equity"):
        propose_credit_limit(statement=statement(current_assets=1), methods=[NW])
    with pytest.raises(PolicyError, match=r"working_capital needs statement\.current_liabilities"):
        propose_credit_limit(statement=statement(current_assets=1), methods=[WC])
    with pytest.raises(PolicyError, match="sales_velocity needs terms_days"):
        propose_credit_limit(statement=S, monthly_sales=1, methods=[SV])
    with pytest.raises(PolicyError, match="net_worth needs statement,"):
        propose_credit_limit(currency="CNY", monthly_sales=1, terms_days=1, methods=[SV, NW])


@pytest.mark.parametrize(
    ("kwargs", "argument", "match"),
    [
        ({"methods": []}, "methods", "methods must name at least one method"),
        ({"methods": ["cash_flow"]}, "methods", "methods must be one of net_worth, .*'cash_flow'"),
        ({"combine": "max"}, "combine", "combine must be one of min, mean, median, got 'max'"),
        ({"multiplier": -1}, "multiplier", "multiplier must not be negative, got -1"),
        ({"multiplier": "NaN"}, "multiplier", "multiplier must be finite"),
        ({"net_worth_rate": "-0.1"}, "net_worth_rate", "net_worth_rate must not be negative"),
        (
            {"working_capital_rate": "-0.1"},
            "working_capital_rate",
            "working_capital_rate must not be negative",
        ),
        ({"round_down_to": 0}, "round_down_to", "round_down_to must be positive"),
        ({"round_down_to": "1e-35"}, "round_down_to", "round_down_to is too small"),
        ({"grace_days": -1}, "grace_days", "grace_days must not be negative, got -1"),
        ({"terms_days": -1}, "terms_days", "terms_days must not be negative, got -1"),
        ({"terms_days": 10**9}, "terms_days", "terms_days must be below 10\\*\\*9"),
        ({"floor": -1}, "floor", "floor must not be negative, got -1"),
        ({"ceiling": cny(-1)}, "ceiling", "ceiling must not be negative, got -1"),
        ({"monthly_sales": -1, "terms_days": 30}, "monthly_sales", "must not be negative"),
        ({"monthly_sales": "1e15", "terms_days": 30}, "monthly_sales", "too large"),
        ({"floor": 10, "ceiling": 9}, "floor", "floor must not be above ceiling, got floor=10 CNY"),
        ({"currency": "cny"}, "currency", "unknown currency 'cny'"),
    ],
)
def test_bad_arguments(kwargs: dict[str, object], argument: str, match: str) -> None:
    # issue #10: these were bare ValueErrors
    with pytest.raises(ArgumentError, match=match) as err:
        propose_credit_limit(statement=S, **kwargs)  # type: ignore[arg-type]
    assert err.value.argument == argument
    assert not isinstance(err.value, TypeError)


@pytest.mark.parametrize(
    ("kwargs", "argument", "match"),
    [
        ({"statement": {"equity": 1}}, "statement", "a FinancialStatement or None, got dict"),
        ({"multiplier": 1.5}, "multiplier", "multiplier must not be a float"),
        ({"monthly_sales": {"amount": 1}, "terms_days": 1}, "monthly_sales", "not dict"),
        ({"floor": [1]}, "floor", "not list"),
        ({"terms_days": 30.0}, "terms_days", "terms_days must be an int, got float"),
        ({"grace_days": None}, "grace_days", "grace_days must be an int, got NoneType"),
        ({"terms_days": True}, "terms_days", "got bool"),
        ({"methods": "net_worth"}, "methods", "an iterable of LimitMethod or None, got str"),
        ({"methods": 1}, "methods", "got int"),
        ({"methods": [None]}, "methods", "a LimitMethod or its value \\(str\\), got NoneType"),
        ({"combine": None}, "combine", "a Combine or its value \\(str\\), got NoneType"),
        ({"statement": None, "currency": 156}, "currency", "currency code \\(str\\), got int"),
        ({"round_down_to": 0.5}, "round_down_to", "must not be a float"),
    ],
)
def test_argument_types(kwargs: dict[str, object], argument: str, match: str) -> None:
    call: dict[str, object] = {"statement": S} | kwargs
    with pytest.raises(ArgumentTypeError, match=match) as err:
        propose_credit_limit(**call)  # type: ignore[arg-type]
    assert err.value.argument == argument
    assert isinstance(err.value, TypeError)


def test_days_may_be_an_int_enum() -> None:
    class Terms(IntEnum):
        NET_30 = 30

    p = propose_credit_limit(monthly_sales=30_000, terms_days=Terms.NET_30, currency="USD")
    # 30,000 x 30 / 30 = 30,000; the result holds a plain int
    assert p.amount == Money(30_000, "USD")
    assert type(p.terms_days) is int


def test_no_currency_is_an_argument_error() -> None:
    with pytest.raises(ArgumentError, match="currency is required") as err:
        propose_credit_limit(monthly_sales=1, terms_days=1)
    assert (err.value.argument, err.value.value) == ("currency", None)


def test_explain_in_english() -> None:
    p = propose_credit_limit(
        statement=S,
        monthly_sales=cny(300_000),
        terms_days=45,
        grace_days=15,
        combine="mean",
        multiplier="1.2",
        ceiling=300_000,
    )
    # figures 234,567.80, 120,000, 600,000; mean 954,567.80 / 3 = 318,189.2666...
    # x 1.2 = 381,827.12 -> 381,000 -> ceiling 300,000
    assert p.explain().splitlines() == [
        "Proposed credit limit: 300,000.00 CNY",
        "  Net worth: 10% of equity 2,345,678.00 = 234,567.80",
        "  Working capital: 10% of working capital 1,200,000.00 = 120,000.00",
        "  Sales velocity: monthly sales 300,000.00 x (45 + 15) days / 30 = 600,000.00",
        "  Mean: 318,189.27",
        "  x 1.2 = 381,827.12; rounded down to 1,000: 381,000.00",
        "  cut to the ceiling 300,000.00",
    ]


def test_explain_in_chinese_with_a_floor_and_a_minor_unit_step() -> None:
    p = propose_credit_limit(
        monthly_sales=1000, terms_days=1, currency="CNY", round_down_to=None, floor=100
    )
    assert p.explain("zh").splitlines() == [
        "建议信用额度：100.00 CNY",
        "  销售周转法：月销售额 1,000.00 x（1 + 0）天 / 30 = 33.33",
        "  取最小值：33.33",
        "  x 1 = 33.33；向下取整到 最小货币单位：33.33",
        "  提高到下限 100.00",
    ]
    q = propose_credit_limit(monthly_sales=1000, terms_days=1, currency="CNY", round_down_to="0.5")
    assert "rounded down to 0.50: 33.00" in q.explain()


def test_proposal_round_trips_through_json() -> None:
    p = propose_credit_limit(
        statement=S, monthly_sales=cny(300_000), terms_days=45, floor=1, ceiling=10**6
    )
    assert CreditLimitProposal.model_validate_json(p.model_dump_json()) == p


def test_mean_keeps_34_digits() -> None:
    # 0.01 x (0 + 1) / 30 = 0.000333... (34 significant digits); the mean of one figure is itself
    p = propose_credit_limit(
        monthly_sales="0.01", terms_days=0, grace_days=1, currency="CNY", combine="mean"
    )
    figure = p.components[SV].amount
    assert figure == Decimal("0.0003333333333333333333333333333333333")
    assert p.combined.amount == figure
    assert p.amount == cny("0.00")


# -- hostile input: no decimal signal, every result prints and reads back (issue #10) -------------


def test_a_tiny_step_rounds_down_exactly() -> None:
    # 1,000 x 1 / 30 = 33.33...3 (34 digits); 33.33...3 / 10**-34 needs 36 digits, which made
    # divide_int raise InvalidOperation. Every multiple of 10**-34 below it: 33.33...3 itself,
    # then down to the minor unit: 33.33
    p = propose_credit_limit(
        monthly_sales=1000, terms_days=1, currency="CNY", round_down_to="1e-34"
    )
    assert p.multiplied == cny("33.33333333333333333333333333333333")
    assert p.rounded == cny("33.33")
    assert p.amount == cny("33.33")
    assert "rounded down to 0.0000000000000000000000000000000001: 33.33" in p.explain()
    assert CreditLimitProposal.model_validate_json(p.model_dump_json()) == p


def test_a_fine_step_that_is_not_a_power_of_ten() -> None:
    # 100 x 1 / 30 = 3.333...3 (34 digits); a step of 3E-33: floor(3.333...3 / 3E-33) =
    # 1111111111111111111111111111111111 (34 ones); x 3E-33 = 3.333...3 (34 threes): the figure
    # itself, which the minor unit cuts to 3.33
    p = propose_credit_limit(monthly_sales=100, terms_days=1, currency="CNY", round_down_to="3e-33")
    assert p.rounded == cny("3.33")


def test_huge_terms_days() -> None:
    # the most days there may be: 30 x (999,999,999 + 0) / 30 = 999,999,999 -> down to 1,000
    p = propose_credit_limit(monthly_sales=30, terms_days=10**9 - 1, currency="CNY")
    assert p.components[SV] == cny(999_999_999)
    assert p.amount == cny("999999000.00")
    assert p.terms_days == 10**9 - 1
    assert "monthly sales 30.00 x (999999999 + 0) days / 30" in p.explain()
    assert CreditLimitProposal.model_validate_json(p.model_dump_json()) == p


def test_the_largest_proposal_is_cut_to_34_digits() -> None:
    # equity 9 x 10**14 at a rate of 9 x 10**14 = 8.1 x 10**29, x 9 x 10**14 = 7.29 x 10**44:
    # rounded down to 1,000 and to the cent it would need 47 digits; it keeps 34, rounded down
    s = statement(equity=9 * 10**14)
    big = 9 * 10**14
    p = propose_credit_limit(statement=s, net_worth_rate=big, multiplier=big)
    assert p.multiplied.amount == Decimal("7.29E+44")
    assert p.amount.amount == Decimal("7.29E+44")
    assert len(p.amount.amount.as_tuple().digits) == 34
    assert p.amount.amount <= p.multiplied.amount
    head = p.explain().splitlines()[0]  # too large to show to the cent: the figure as it is
    assert head.startswith("Proposed credit limit: 7.29")
    assert head.endswith("E+44 CNY")
    assert CreditLimitProposal.model_validate_json(p.model_dump_json()) == p


def test_a_huge_figure_over_a_tiny_step() -> None:
    # the widest quotient: 7.29 x 10**44 / 10**-34 has 79 digits, still taken exactly
    s = statement(equity=9 * 10**14)
    big = 9 * 10**14
    p = propose_credit_limit(statement=s, net_worth_rate=big, multiplier=big, round_down_to="1e-34")
    assert p.amount.amount == Decimal("7.29E+44")
    uneven = propose_credit_limit(statement=s, net_worth_rate=big, multiplier=big, round_down_to=7)
    # 7.29E+44 = 7 x 104142857142857142857142857142857142857142857 + 1: the multiple of 7 below
    # it, 728999999999999999999999999999999999999999999, cut to 34 digits (rounded down)
    assert uneven.amount.amount == Decimal("7.289999999999999999999999999999999E+44")
    assert uneven.amount.amount < uneven.multiplied.amount


def test_a_hostile_decimal_context_changes_nothing() -> None:
    kw: dict[str, object] = {"statement": S, "monthly_sales": cny("300000.01"), "terms_days": 45}
    expected = propose_credit_limit(**kw, combine="mean", multiplier="1.07")  # type: ignore[arg-type]
    with decimal.localcontext(decimal.Context(prec=3, Emax=9, Emin=-9, traps=[])) as ctx:
        got = propose_credit_limit(**kw, combine="mean", multiplier="1.07")  # type: ignore[arg-type]
        text = got.explain("zh")
        flags = [f for f, on in ctx.flags.items() if on]
    assert got == expected
    assert text == expected.explain("zh")
    assert flags == []


def test_a_proposal_read_from_hostile_json_still_explains_itself_briefly() -> None:
    p = propose_credit_limit(statement=S, monthly_sales=cny(300_000), terms_days=45)
    doc = p.model_dump(mode="json")
    huge = {"amount": "9E+999999", "currency": "CNY"}
    doc |= {"multiplied": huge, "multiplier": "1E+999999", "round_down_to": "1E-999999"}
    doc |= {"net_worth_rate": "5E+999999", "equity": "-3E+999999"}
    odd = CreditLimitProposal.model_validate(doc)
    for lang in ("en", "zh"):
        assert len(odd.explain(lang)) < 2000
    assert "x 1E+999999 = 9E+999999; rounded down to 1E-999999" in odd.explain()
