"""channelkit.kpi under hostile input (API.md, "Hostile input"): sizes, types and contexts.

No ``decimal`` signal reaches a caller, a ratio that can be computed is returned exact, a report
of a valid statement never raises, explains itself and round-trips through JSON, and bad
arguments raise a ``ChannelkitError`` only.
"""

from __future__ import annotations

import datetime as dt
import decimal
import inspect
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from channelkit import (
    ArgumentError,
    ChannelkitError,
    FinancialStatement,
    Money,
    UndefinedRatioError,
    kpi,
)
from channelkit.kpi import RATIO_LABELS, Balances, RatioReport, financial_ratios
from channelkit.testing import amounts, currencies, financial_statements

D = Decimal
END = dt.date(2025, 12, 31)
PRIOR_END = dt.date(2024, 12, 31)
FUNCTIONS: list[Callable[..., Any]] = [getattr(kpi, name) for name in RATIO_LABELS]


# -- sizes: ratios of 10**34 and more -----------------------------------------------------------


def test_a_ratio_of_1e36_is_exact_and_signals_nothing() -> None:
    # 100 / 1E-34 = 1E+36: 37 digits in plain form, more than the context holds, so the result
    # keeps its exponent instead of failing in quantize (InvalidOperation)
    r = kpi.current_ratio(100, "1e-34")
    assert r == D("1E+36")
    assert type(r) is Decimal


def test_plain_form_stops_where_the_context_does() -> None:
    # 1E+14 / 1E-19 = 1E+33: 34 digits, written out; 1E+14 / 1E-20 = 1E+34 keeps its exponent
    assert str(kpi.current_ratio("1e14", "1e-19")) == "1" + "0" * 33
    assert kpi.current_ratio("1e14", "1e-20") == D("1E+34")
    assert kpi.current_ratio("1e14", "1e-20").as_tuple().exponent > 0


# the largest and the smallest input figures: every ratio of them is computed, never a signal
EXTREMES = ["999999999999999.9999999999999999999", "1e-34", "-1e-34", "-999999999999999", 1, 0]


@pytest.mark.parametrize("fn", FUNCTIONS, ids=lambda f: f.__name__)
def test_every_ratio_of_extreme_figures_is_a_decimal_or_undefined(fn: Callable[..., Any]) -> None:
    arity = sum(
        p.default is inspect.Parameter.empty for p in inspect.signature(fn).parameters.values()
    )
    refused: set[str] = set()
    for a in EXTREMES:
        for b in EXTREMES:
            args = [a, b, b][:arity]
            try:
                result = fn(*args)
            except UndefinedRatioError:
                continue
            except ArgumentError as err:  # a churn rate above 1
                refused.add(err.argument)
                continue
            assert type(result) is Decimal
            assert result.is_finite()
    assert refused <= {"churn_rate"}


def test_customer_lifetime_value_of_the_extremes() -> None:
    # 999,999,999,999,999 x 999,999,999,999,999 / 1E-34: about 1E+64, rounded to 34 digits
    r = kpi.customer_lifetime_value("999999999999999", "999999999999999", "1e-34")
    assert r == kpi.customer_lifetime_value(D("999999999999999"), D("999999999999999"), "1e-34")
    assert D("9.99999E+63") < r < D("1E+64")


def test_arithmetic_beyond_the_context_is_an_argument_error_not_a_signal() -> None:
    # Money results (read back from JSON, say) may be far beyond the input bounds; their ratio
    # would overflow the context's exponent range
    huge = Money._make(D("9E+999999"), "CNY")
    tiny = Money._make(D("1E-999999"), "CNY")
    with pytest.raises(ArgumentError, match="current_ratio: the figures are out of the range") as e:
        kpi.current_ratio(huge, tiny)
    assert e.value.argument == "current_assets, current_liabilities"
    with pytest.raises(ArgumentError, match="days_sales_outstanding"):
        kpi.days_sales_outstanding(huge, Money._make(D(1), "CNY"), days=10**14)
    with pytest.raises(ArgumentError, match="cash_ratio"):
        kpi.cash_ratio(huge, Money._make(D(1), "CNY"), short_term_investments=huge)


def test_the_functions_are_still_documented_and_named() -> None:
    # the registry's guard keeps each function's name, docstring and signature
    assert kpi.current_ratio.__name__ == "current_ratio"
    assert "流动比率" in (kpi.current_ratio.__doc__ or "")
    assert list(inspect.signature(kpi.cash_ratio).parameters) == [
        "cash",
        "current_liabilities",
        "short_term_investments",
    ]


# -- the report of a statement with extreme figures ---------------------------------------------


def extreme() -> tuple[FinancialStatement, FinancialStatement]:
    statement = FinancialStatement(
        currency="CNY",
        period_end=END,
        current_assets="999999999999999.99",
        current_liabilities="1e-34",
        inventory=10**14,
        receivables=10**14,
        accounts_payable=1,
        net_sales="1e-34",
        cogs="1e-34",
        net_income=10**14,
        expenses="1e-34",
        total_assets="1e-34",
        equity="1.000000000000000000000000000000001E-34",
        total_liabilities="1e-34",
    )
    prior = FinancialStatement(
        currency="CNY",
        period_end=PRIOR_END,
        net_sales="1e-34",
        inventory=0,
        receivables=0,
        accounts_payable=0,
        total_assets=0,
        equity="-1e-34",
    )
    return statement, prior


def test_a_report_of_extreme_figures_computes_every_ratio_exact() -> None:
    statement, prior = extreme()
    r = financial_ratios(statement, prior=prior, balances=Balances.AVERAGE)
    # current: 999,999,999,999,999.99 / 1E-34, exact to 34 digits (no InvalidOperation)
    assert r["current_ratio"] == D("999999999999999.99") / D("1e-34")
    # the average total assets, (0 + 1E-34) / 2 = 5E-35, is below the input bounds: the
    # report still divides by it, 1E+14 / 5E-35 = 2E+48
    assert r["return_on_assets"] == D("2E+48")
    # average equity (-1E-34 + 1.000000000000000000000000000000001E-34) / 2 = 5E-68
    assert r["return_on_equity"] == D("2E+81")
    # DSO (0 + 1E+14) / 2 x 365 / 1E-34 = 1.825E+50 and DIO the same; DPO 0.5 x 365 / 1E-34:
    # the cycle of days beyond the input bounds is still their sum
    assert r["days_sales_outstanding"] == D("1.825E+50")
    assert r["days_payables_outstanding"] == D("1.825E+36")
    assert r["cash_conversion_cycle"] == D("1.825E+50") + D("1.825E+50") - D("1.825E+36")
    assert all(r[key] is not None for key in ("quick_ratio", "debt_ratio", "growth_rate"))


def test_a_report_of_extreme_figures_explains_itself_and_round_trips() -> None:
    statement, prior = extreme()
    r = financial_ratios(statement, prior=prior, balances=Balances.AVERAGE)
    text = r.explain()
    # a value too large to round for display is shown exact, in scientific form
    assert "  Current ratio: 9.9999999999999999E+48" in text.splitlines()
    assert "  Days payables outstanding: 1.825E+36 days" in text.splitlines()
    # a percentage is shown x 100 by its exponent, without trailing zeros: 2.0...E+48 is 2E+50%
    assert "  资产回报比率：2E+50%" in r.explain("zh").splitlines()
    data = json.loads(json.dumps(r.to_dict()))
    assert D(data["ratios"]["return_on_equity"]) == D("2E+81")
    back = {k: None if v is None else D(v) for k, v in data["ratios"].items()}
    assert back == dict(r)


SIGNALS = [
    decimal.Clamped,
    decimal.DivisionByZero,
    decimal.FloatOperation,
    decimal.Inexact,
    decimal.InvalidOperation,
    decimal.Overflow,
    decimal.Rounded,
    decimal.Subnormal,
    decimal.Underflow,
]


def test_a_report_reads_no_figure_through_the_callers_context() -> None:
    statement, prior = extreme()
    expected = financial_ratios(statement, prior=prior, balances=Balances.AVERAGE)
    hostile = decimal.Context(prec=1, Emax=3, Emin=-3, traps=SIGNALS)
    with decimal.localcontext(hostile) as ctx:
        got = financial_ratios(statement, prior=prior, balances=Balances.AVERAGE)
        got.explain()
        got.to_dict()
        assert not any(ctx.flags.values())
    assert got == expected


# -- RatioReport built by a caller ---------------------------------------------------------------


@pytest.mark.parametrize("value", [D("1E+999999"), D("-9.5E+40"), D("1E-999999")])
def test_a_report_of_any_result_size_explains_itself(value: Decimal) -> None:
    r = RatioReport(
        {"current_ratio": value, "gross_margin": value, "days_sales_outstanding": value},
        currency="CNY",
        period_end=END,
    )
    lines = r.explain().splitlines()
    assert len(lines) == 4
    assert all(len(line) < 100 for line in lines)
    assert D(r.to_dict()["ratios"]["current_ratio"]) == value


@pytest.mark.parametrize(
    ("values", "options", "argument"),
    [
        ({"x": D("NaN")}, {}, "x"),
        ({"x": D("Infinity")}, {}, "x"),
        ({"x": D("1E+1000000")}, {}, "x"),
        ({"x": D("1" * 35)}, {}, "x"),
        ({"x": None}, {"currency": "XYZ"}, "currency"),
        ({"x": None}, {"balances": "mean"}, "balances"),
        ({"x": None}, {"days": -1}, "days"),
    ],
)
def test_a_report_refuses_values_out_of_the_bounds_of_a_result(
    values: dict[str, Any], options: dict[str, Any], argument: str
) -> None:
    kwargs: dict[str, Any] = {"currency": "CNY", "period_end": END, **options}
    with pytest.raises(ArgumentError) as err:
        RatioReport(values, **kwargs)
    assert err.value.argument == argument


@pytest.mark.parametrize(
    ("values", "options", "argument"),
    [
        ([("x", None)], {}, "values"),
        ({1: None}, {}, "values"),
        ({"x": 1.5}, {}, "values"),
        ({"x": None}, {"currency": 156}, "currency"),
        ({"x": None}, {"period_end": "2025-12-31"}, "period_end"),
        ({"x": None}, {"prior_period_end": 2024}, "prior_period_end"),
        ({"x": None}, {"partner_id": 7}, "partner_id"),
        ({"x": None}, {"notes": ["why"]}, "notes"),
        ({"x": None}, {"notes": {"x": 1}}, "notes"),
        ({"x": None}, {"notes_zh": {"x": None}}, "notes_zh"),
    ],
)
def test_a_report_checks_its_argument_types(
    values: Any, options: dict[str, Any], argument: str
) -> None:
    kwargs: dict[str, Any] = {"currency": "CNY", "period_end": END, **options}
    with pytest.raises(ArgumentError) as err:
        RatioReport(values, **kwargs)
    assert isinstance(err.value, TypeError) or argument == "currency"
    assert err.value.argument == argument


# -- hostile arguments raise ChannelkitError only ----------------------------------------------

HOSTILE = st.one_of(
    st.none(),
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(),
    st.sampled_from([-(10**40), 10**15, -(10**15) + 1]),
    st.just(5000).map(lambda n: 10**n),  # built when drawn: its repr would exceed int's limit
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [
            D("sNaN"),
            D("1E+999999"),
            D("-1E-999999"),
            D("0E-999999999"),
            D("1" * 40),
            "1e999999999",
            "1e-34",
            "0E+999999999",
            "9" * 40,
            "abc",
            "",
            " 1_000 ",
            "Infinity",
            "-nan",
        ]
    ),
    st.text(max_size=8),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.builds(Money, amounts(min_value=-(10**6), max_value=10**6), currencies()),
    st.sampled_from(
        [
            Money._make(D("9E+999999"), "CNY"),
            Money._make(D("-1E-999999"), "CNY"),
            Money._make(D(0), "USD"),
        ]
    ),
)
VALID = amounts(min_value=-(10**6), max_value=10**6) | st.builds(
    Money, amounts(min_value=-(10**6), max_value=10**6), st.just("CNY")
)


@given(st.sampled_from(FUNCTIONS), st.lists(HOSTILE | VALID, min_size=3, max_size=3), st.data())
def test_hostile_arguments_raise_channelkit_errors_only(
    fn: Callable[..., Any], args: list[Any], data: st.DataObject
) -> None:
    params = list(inspect.signature(fn).parameters.values())
    positional = [p for p in params if p.default is inspect.Parameter.empty]
    kwargs = {p.name: data.draw(HOSTILE | VALID) for p in params if p not in positional}
    try:
        result = fn(*args[: len(positional)], **data.draw(st.just(kwargs) | st.just({})))
    except ChannelkitError:
        return
    assert isinstance(result, Decimal | Money)


@given(
    st.one_of(financial_statements(), HOSTILE),
    st.one_of(st.none(), financial_statements(), HOSTILE),
    st.one_of(st.just(365), HOSTILE),
    st.one_of(st.sampled_from(Balances), st.sampled_from(["ending", "average"]), HOSTILE),
)
def test_hostile_report_arguments_raise_channelkit_errors_only(
    statement: Any, prior: Any, days: Any, balances: Any
) -> None:
    try:
        r = financial_ratios(statement, prior=prior, days=days, balances=balances)
    except ChannelkitError:
        return
    assert r.explain().startswith("Financial ratios")
    assert "财务比率" in r.explain("zh").splitlines()[0]
    assert json.loads(json.dumps(r.to_dict()))["currency"] == r.currency


@given(HOSTILE, HOSTILE, HOSTILE, HOSTILE)
def test_hostile_report_constructor_arguments_raise_channelkit_errors_only(
    values: Any, currency: Any, days: Any, notes: Any
) -> None:
    for args in (
        ({"x": values}, {"currency": "CNY", "period_end": END}),
        (values, {"currency": currency, "period_end": END, "days": days, "notes": notes}),
    ):
        try:
            r = RatioReport(args[0], **args[1])
        except ChannelkitError:
            continue
        assert r.explain().startswith("Financial ratios at 2025-12-31")


# labels.check_lang formats the language it refuses: a 5000-digit int cannot be (kernel)
LANGS = HOSTILE.filter(lambda v: not (isinstance(v, int) and v.bit_length() > 10_000))


@given(st.sampled_from(FUNCTIONS) | HOSTILE, LANGS)
def test_hostile_label_arguments_raise_channelkit_errors(name: Any, lang: Any) -> None:
    try:
        label = kpi.ratio_label(getattr(name, "__name__", name), lang)
    except ChannelkitError:
        return
    assert label == RATIO_LABELS[name.__name__][lang == "zh"]
