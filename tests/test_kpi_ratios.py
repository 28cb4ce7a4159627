"""Hand-worked examples, error paths and boundaries of every scalar function of channelkit.kpi."""

from __future__ import annotations

import decimal
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from channelkit import (
    ArgumentError,
    ArgumentTypeError,
    CurrencyMismatchError,
    Money,
    UndefinedRatioError,
    kpi,
)
from channelkit.kpi import (
    RATIO_LABELS,
    asset_turnover,
    attainment,
    average,
    cash_conversion_cycle,
    cash_ratio,
    churn_rate,
    collection_rate,
    conversion_rate,
    current_ratio,
    customer_acquisition_cost,
    customer_lifetime_value,
    days_inventory_outstanding,
    days_payables_outstanding,
    days_sales_outstanding,
    debt_ratio,
    debt_to_equity,
    expense_profit_ratio,
    fill_rate,
    gross_margin,
    growth_rate,
    inventory_turnover,
    market_share,
    net_margin,
    quick_ratio,
    ratio_label,
    receivables_turnover,
    retention_rate,
    return_on_assets,
    return_on_equity,
    return_on_investment,
    sell_through,
)

D = Decimal

# (function, positional args, keyword args, expected exact result); the comment shows the arithmetic
EXAMPLES: list[tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any], Decimal]] = [
    (current_ratio, (300, 200), {}, D("1.5")),  # 300 / 200
    (current_ratio, (D("1000.00"), D("800.00")), {}, D("1.25")),  # 1000 / 800
    (quick_ratio, (300, 100, 200), {}, D(1)),  # (300 - 100) / 200
    (quick_ratio, ("550", "150", "400"), {}, D(1)),  # (550 - 150) / 400, numeric strings
    (cash_ratio, (50, 200), {}, D("0.25")),  # 50 / 200, cash only
    (cash_ratio, (50, 200), {"short_term_investments": 30}, D("0.4")),  # (50 + 30) / 200
    (debt_to_equity, (600, 400), {}, D("1.5")),  # 600 / 400
    (debt_ratio, (600, 1000), {}, D("0.6")),  # 600 / 1000
    (gross_margin, (1000, 600), {}, D("0.4")),  # (1000 - 600) / 1000
    (gross_margin, (1000, 1200), {}, D("-0.2")),  # selling below cost: (1000 - 1200) / 1000
    (net_margin, (80, 1000), {}, D("0.08")),  # 80 / 1000
    (net_margin, (-30, 1000), {}, D("-0.03")),  # a loss: -30 / 1000
    (return_on_assets, (80, 1600), {}, D("0.05")),  # 80 / 1600
    (return_on_equity, (80, 400), {}, D("0.2")),  # 80 / 400
    (expense_profit_ratio, (120, 800), {}, D("0.15")),  # 120 / 800
    (return_on_investment, (65, 50), {}, D("0.3")),  # (65 - 50) / 50
    (return_on_investment, (40, 50), {}, D("-0.2")),  # (40 - 50) / 50
    (asset_turnover, (2000, 1600), {}, D("1.25")),  # 2000 / 1600
    (inventory_turnover, (1200, 300), {}, D(4)),  # sales-based: 1200 / 300
    (inventory_turnover, (900, 300), {}, D(3)),  # COGS-based: 900 / 300
    (receivables_turnover, (1200, 150), {}, D(8)),  # 1200 / 150
    (days_sales_outstanding, (150, 1200), {}, D("45.625")),  # 150 / 1200 * 365
    (days_sales_outstanding, (150, 1200), {"days": 360}, D(45)),  # 150 / 1200 * 360
    (days_sales_outstanding, (30, 90), {"days": 90}, D(30)),  # a quarter: 30 / 90 * 90
    (days_inventory_outstanding, (300, 730), {}, D(150)),  # 300 / 730 * 365
    (days_inventory_outstanding, (300, 720), {"days": 360}, D(150)),  # 300 / 720 * 360
    (days_payables_outstanding, (146, 730), {}, D(73)),  # 146 / 730 * 365
    (days_payables_outstanding, (146, 720), {"days": "360"}, D(73)),  # 146 / 720 * 360
    (cash_conversion_cycle, (30, 45, 60), {}, D(15)),  # 30 + 45 - 60
    (cash_conversion_cycle, (10, 20, 60), {}, D(-30)),  # 10 + 20 - 60
    (collection_rate, (380, 400), {}, D("0.95")),  # 380 / 400
    (collection_rate, (450, 400), {}, D("1.125")),  # arrears collected too: 450 / 400
    (sell_through, (180, 240), {}, D("0.75")),  # 180 / 240
    (fill_rate, (485, 500), {}, D("0.97")),  # 485 / 500
    (growth_rate, (120, 100), {}, D("0.2")),  # (120 - 100) / 100
    (growth_rate, (80, 100), {}, D("-0.2")),  # (80 - 100) / 100
    (growth_rate, (0, 100), {}, D(-1)),  # (0 - 100) / 100
    (attainment, (1100, 1000), {}, D("1.1")),  # 1100 / 1000, not capped
    (attainment, (1000, 1000), {}, D(1)),  # exactly at the target
    (market_share, (30, 120), {}, D("0.25")),  # 30 / 120
    (conversion_rate, (12, 80), {}, D("0.15")),  # 12 / 80
    (customer_acquisition_cost, (90000, 40), {}, D(2250)),  # 90000 / 40
    (customer_lifetime_value, (1000, "0.3", "0.05"), {}, D(6000)),  # 1000 * 0.3 / 0.05
    (customer_lifetime_value, (1000, "0.3", 1), {}, D(300)),  # churn 1: one period, 1000 * 0.3
    (retention_rate, (200, 210, 30), {}, D("0.9")),  # (210 - 30) / 200
    (churn_rate, (20, 200), {}, D("0.1")),  # 20 / 200
    (average, (100, 201), {}, D("150.5")),  # (100 + 201) / 2
]


@pytest.mark.parametrize(("fn", "args", "kwargs", "expected"), EXAMPLES)
def test_hand_worked_example(
    fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], expected: Decimal
) -> None:
    result = fn(*args, **kwargs)
    assert type(result) is Decimal
    assert result == expected


def test_every_function_has_an_example_and_a_label() -> None:
    names = {fn.__name__ for fn, *_ in EXAMPLES}
    functions = {
        n
        for n in kpi.__all__
        if callable(getattr(kpi, n)) and n[0].islower() and n != "ratio_label"
    }
    functions -= {"financial_ratios"}
    assert functions == names
    assert set(RATIO_LABELS) == names


def test_results_are_exact_not_rounded() -> None:
    # 1 / 3 to the 34 digits of the local context, not to 2 places
    assert current_ratio(1, 3) == D("0." + "3" * 34)


def test_results_have_no_positive_exponent() -> None:
    # 1000 / 0.5 computes as 2E+3 in decimal; the result is shown as 2000
    assert str(current_ratio(1000, "0.5")) == "2000"
    assert str(average(D("1E+3"), D("1E+3"))) == "1000"
    assert str(cash_conversion_cycle(D("1E+2"), 0, 0)) == "100"


def test_the_global_context_is_neither_read_nor_changed() -> None:
    with decimal.localcontext() as ctx:
        ctx.prec = 3
        ctx.traps[decimal.Inexact] = True
        assert current_ratio(1, 3) == D("0." + "3" * 34)
        assert ctx.prec == 3


# -- Money --------------------------------------------------------------------------------------


def cny(amount: int | str) -> Money:
    return Money(amount, "CNY")


def test_money_inputs_give_the_ratio_of_their_amounts() -> None:
    assert current_ratio(cny(300), cny(200)) == D("1.5")
    assert quick_ratio(cny(300), cny(100), cny(200)) == D(1)
    assert collection_rate(cny(380_000), cny(400_000)) == D("0.95")
    assert growth_rate(cny(120), cny(100)) == D("0.2")
    assert days_sales_outstanding(cny(150), cny(1200), days=360) == D(45)


def test_a_plain_zero_goes_with_money() -> None:
    # the default short_term_investments=0 needs no currency
    assert cash_ratio(cny(50), cny(200)) == D("0.25")
    assert cash_ratio(cny(50), cny(200), short_term_investments=cny(30)) == D("0.4")
    assert collection_rate(0, cny(400)) == D(0)


def test_average_of_money_is_money() -> None:
    assert average(cny(100), cny(201)) == Money("150.5", "CNY")
    # and it can be passed on beside other Money
    assert inventory_turnover(cny(1200), average(cny(200), cny(400))) == D(4)


def test_money_based_cac_and_clv_are_amounts_in_the_currency() -> None:
    assert customer_acquisition_cost(cny(90_000), 40) == D(2250)
    assert customer_lifetime_value(cny(1000), "0.3", "0.05") == D(6000)


def test_mixing_currencies_is_an_error_naming_both() -> None:
    with pytest.raises(CurrencyMismatchError, match=r"current_ratio.*expected CNY, got USD"):
        current_ratio(cny(300), Money(200, "USD"))
    with pytest.raises(CurrencyMismatchError, match="USD"):
        average(cny(1), Money(1, "USD"))


def test_mixing_money_with_a_plain_number_is_a_type_error() -> None:
    with pytest.raises(
        ArgumentTypeError, match=r"current_liabilities is a plain number.*current_assets is Money"
    ) as err:
        current_ratio(cny(300), 200)
    assert (err.value.argument, err.value.value) == ("current_liabilities", 200)
    assert isinstance(err.value, TypeError)
    with pytest.raises(
        ArgumentTypeError, match="collected is a plain number but due is Money in CNY"
    ) as err:
        collection_rate(380, cny(400))
    assert err.value.argument == "collected"
    with pytest.raises(ArgumentTypeError, match="short_term_investments is a plain number"):
        cash_ratio(cny(50), cny(200), short_term_investments=30)


def test_money_is_refused_where_a_count_or_days_are_expected() -> None:
    with pytest.raises(
        ArgumentTypeError, match="new_customers must be a Decimal, an int or a numeric str"
    ):
        customer_acquisition_cost(cny(100), cny(2))
    with pytest.raises(ArgumentTypeError, match="dio must be"):
        cash_conversion_cycle(cny(1), 2, 3)
    with pytest.raises(ArgumentTypeError, match="days must be"):
        days_sales_outstanding(100, 1000, days=cny(365))


# -- bad input ----------------------------------------------------------------------------------


def test_floats_are_refused_with_the_argument_named() -> None:
    with pytest.raises(ArgumentTypeError, match="current_assets must not be a float"):
        current_ratio(1.5, 2)
    with pytest.raises(ArgumentTypeError, match="churn_rate must not be a float"):
        customer_lifetime_value(100, "0.3", 0.05)
    with pytest.raises(ArgumentTypeError, match="days must not be a float"):
        days_sales_outstanding(1, 2, days=365.0)


def test_bools_non_numbers_nan_and_bombs_are_refused() -> None:
    with pytest.raises(ArgumentTypeError, match="prior must be a number, not a bool"):
        growth_rate(1, True)
    with pytest.raises(ArgumentTypeError, match="target must be a Decimal"):
        attainment(1, None)
    with pytest.raises(ArgumentError, match="due is not a number"):
        collection_rate(1, "lots")
    with pytest.raises(ArgumentError, match="must be finite"):
        market_share(D("NaN"), 1)
    with pytest.raises(ArgumentError, match="too large"):
        market_share("1e999999", 1)


@pytest.mark.parametrize("days", [0, -365, "0"])
def test_days_must_be_positive(days: Any) -> None:
    with pytest.raises(ArgumentError, match="days must be positive") as err:
        days_inventory_outstanding(10, 100, days=days)
    assert err.value.argument == "days"
    assert isinstance(err.value, ValueError)


def test_churn_above_one_is_an_argument_error() -> None:
    with pytest.raises(
        ArgumentError, match="churn_rate is a fraction of customers per period, at most 1"
    ) as err:
        customer_lifetime_value(100, "0.3", "1.5")
    assert (err.value.argument, err.value.value) == ("churn_rate", D("1.5"))
    assert isinstance(err.value, ValueError)


# -- zero and negative denominators --------------------------------------------------------------

# (function, args with a zero denominator, the denominator's name)
ZERO_DENOMINATORS: list[tuple[Callable[..., Any], tuple[Any, ...], str]] = [
    (current_ratio, (300, 0), "current_liabilities"),
    (quick_ratio, (300, 100, 0), "current_liabilities"),
    (cash_ratio, (50, 0), "current_liabilities"),
    (debt_to_equity, (600, 0), "equity"),
    (debt_ratio, (600, 0), "total_assets"),
    (gross_margin, (0, 600), "net_sales"),
    (net_margin, (80, 0), "net_sales"),
    (return_on_assets, (80, 0), "total_assets"),
    (return_on_equity, (80, 0), "equity"),
    (expense_profit_ratio, (120, 0), "expenses"),
    (return_on_investment, (65, 0), "cost"),
    (asset_turnover, (2000, 0), "total_assets"),
    (inventory_turnover, (1200, 0), "average_inventory"),
    (receivables_turnover, (1200, 0), "receivables"),
    (days_sales_outstanding, (150, 0), "net_sales"),
    (days_inventory_outstanding, (300, 0), "cogs"),
    (days_payables_outstanding, (146, 0), "cogs"),
    (collection_rate, (380, 0), "due"),
    (sell_through, (180, 0), "units_received"),
    (fill_rate, (485, 0), "ordered"),
    (growth_rate, (120, 0), "prior"),
    (attainment, (1100, 0), "target"),
    (market_share, (30, 0), "market_sales"),
    (conversion_rate, (12, 0), "leads"),
    (customer_acquisition_cost, (90000, 0), "new_customers"),
    (customer_lifetime_value, (1000, "0.3", 0), "churn_rate"),
    (retention_rate, (0, 210, 30), "start"),
    (churn_rate, (20, 0), "start"),
]


@pytest.mark.parametrize(("fn", "args", "name"), ZERO_DENOMINATORS)
def test_zero_denominator_is_undefined(
    fn: Callable[..., Any], args: tuple[Any, ...], name: str
) -> None:
    with pytest.raises(UndefinedRatioError) as info:
        fn(*args)
    assert info.value.ratio == fn.__name__
    assert info.value.reason == f"{name} is 0"
    assert str(info.value) == f"{fn.__name__} is undefined: {name} is 0"
    assert isinstance(info.value, ZeroDivisionError)


@pytest.mark.parametrize(("fn", "args", "name"), ZERO_DENOMINATORS)
def test_negative_denominator_is_undefined(
    fn: Callable[..., Any], args: tuple[Any, ...], name: str
) -> None:
    # put -1 where the zero denominator was
    negative = tuple(
        -1 if (a == 0 and i == _den_index(fn, args)) else a for i, a in enumerate(args)
    )
    with pytest.raises(UndefinedRatioError, match=rf"{name} is negative \(-1\)") as info:
        fn(*negative)
    assert info.value.ratio == fn.__name__


def _den_index(fn: Callable[..., Any], args: tuple[Any, ...]) -> int:
    return next(i for i, a in enumerate(args) if a == 0)


def test_every_ratio_with_a_denominator_is_covered() -> None:
    assert {fn.__name__ for fn, *_ in ZERO_DENOMINATORS} == {fn.__name__ for fn, *_ in EXAMPLES} - {
        "cash_conversion_cycle",
        "average",
    }


def test_a_tiny_positive_denominator_is_defined() -> None:
    # the boundary is 0 itself: the smallest positive denominator divides
    assert growth_rate(1, D("0.01")) == D(99)  # (1 - 0.01) / 0.01
    assert collection_rate(1, D("1E-10")) == D("1E+10").quantize(D(1))


def test_negative_numerators_are_allowed() -> None:
    assert return_on_equity(-80, 400) == D("-0.2")  # a loss
    assert collection_rate(-5, 100) == D("-0.05")  # a refund exceeding collections


def test_negative_equity_is_not_low_leverage() -> None:
    # a deficit would give D/E = 600 / -200 = -3, reading as *no* leverage: refused instead
    with pytest.raises(UndefinedRatioError, match="equity is negative"):
        debt_to_equity(600, -200)
    with pytest.raises(UndefinedRatioError, match="equity is negative"):
        return_on_equity(-80, -200)


def test_growth_from_a_loss_is_undefined() -> None:
    with pytest.raises(
        UndefinedRatioError, match=r"growth_rate is undefined: prior is negative \(-50\)"
    ):
        growth_rate(-10, -50)


def test_cash_conversion_cycle_is_never_undefined() -> None:
    assert cash_conversion_cycle(0, 0, 0) == D(0)


def test_retention_and_churn_agree_without_new_customers() -> None:
    # 200 at the start, 20 lost, none gained: 180 at the end
    assert retention_rate(200, 180, 0) + churn_rate(20, 200) == D(1)


# -- labels -------------------------------------------------------------------------------------


def test_labels_in_both_languages() -> None:
    assert ratio_label("quick_ratio") == "Quick ratio"
    assert ratio_label("quick_ratio", "zh") == "速动比率"
    assert ratio_label("debt_to_equity", "zh") == "总负债对净资产比率"
    assert ratio_label("days_sales_outstanding", "zh") == "应收账款周期"


def test_unknown_label_and_language_are_refused() -> None:
    with pytest.raises(ArgumentError, match="no KPI ratio is named 'roe'"):
        ratio_label("roe")
    with pytest.raises(ArgumentError, match="lang must be 'en' or 'zh'"):
        ratio_label("quick_ratio", "fr")
    with pytest.raises(ArgumentTypeError, match="name must be the name of a KPI function") as err:
        ratio_label(["roe"])  # type: ignore[arg-type]
    assert err.value.argument == "name"


def test_the_names_are_listed_once() -> None:
    # each module's __all__ lists its functions, each declared with its labels beside it
    # (kpi._core.ratio); the package's __all__ adds the modules' lists and the registry is
    # filled by the declarations: the three agree by construction
    from channelkit.kpi import activity, balance, channel, profitability, report

    modules = (balance, profitability, activity, channel)
    functions = [name for m in modules for name in m.__all__]
    assert kpi.__all__ == [*functions, *report.__all__, "RATIO_LABELS", "ratio_label", "Amount"]
    assert sorted(RATIO_LABELS) == sorted(functions)
    assert len(functions) == len(set(functions)) == 30


def test_each_ratio_has_a_display_form() -> None:
    from channelkit.kpi._core import ratio_form

    assert ratio_form("gross_margin") == ratio_form("collection_rate") == "percent"
    assert ratio_form("days_sales_outstanding") == ratio_form("cash_conversion_cycle") == "days"
    assert ratio_form("current_ratio") == ratio_form("average") == "number"
    assert ratio_form("not_a_ratio") == "number"


def test_exported_from_the_package_root() -> None:
    import channelkit

    assert channelkit.kpi is kpi
    assert channelkit.financial_ratios is kpi.financial_ratios
    assert channelkit.RatioReport is kpi.RatioReport
    assert channelkit.Balances is kpi.Balances
    for name in kpi.__all__:
        assert hasattr(kpi, name)
