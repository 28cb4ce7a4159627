"""Hypothesis properties of channelkit.kpi: Money, scaling, report completeness, JSON."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st

from channelkit import FinancialStatement, Money, UndefinedRatioError, kpi
from channelkit.kpi import REPORT_KEYS, Balances, financial_ratios
from channelkit.numeric import CONTEXT
from channelkit.testing import amounts, currencies, financial_statements

# every function whose arguments are all amounts of one kind, with its arity
HOMOGENEOUS: list[tuple[Callable[..., Decimal], int]] = [
    (kpi.current_ratio, 2),
    (kpi.quick_ratio, 3),
    (kpi.cash_ratio, 2),
    (kpi.debt_to_equity, 2),
    (kpi.debt_ratio, 2),
    (kpi.gross_margin, 2),
    (kpi.net_margin, 2),
    (kpi.return_on_assets, 2),
    (kpi.return_on_equity, 2),
    (kpi.expense_profit_ratio, 2),
    (kpi.return_on_investment, 2),
    (kpi.asset_turnover, 2),
    (kpi.inventory_turnover, 2),
    (kpi.receivables_turnover, 2),
    (kpi.days_sales_outstanding, 2),
    (kpi.days_inventory_outstanding, 2),
    (kpi.days_payables_outstanding, 2),
    (kpi.collection_rate, 2),
    (kpi.sell_through, 2),
    (kpi.fill_rate, 2),
    (kpi.growth_rate, 2),
    (kpi.attainment, 2),
    (kpi.market_share, 2),
    (kpi.conversion_rate, 2),
    (kpi.retention_rate, 3),
    (kpi.churn_rate, 2),
]

functions = st.sampled_from(HOMOGENEOUS)
figures = amounts(min_value=-(10**9), max_value=10**9, places=2)


def call(fn: Callable[..., Decimal], args: list[Any]) -> Decimal | None:
    try:
        return fn(*args)
    except UndefinedRatioError:
        return None


@given(functions, st.lists(figures, min_size=3, max_size=3), currencies())
def test_ratio_of_money_equals_ratio_of_amounts(
    case: tuple[Callable[..., Decimal], int], values: list[Decimal], currency: str
) -> None:
    fn, arity = case
    plain = values[:arity]
    money = [Money(v, currency) for v in plain]
    assert call(fn, money) == call(fn, plain)


@given(
    functions,
    st.lists(figures, min_size=3, max_size=3),
    amounts(min_value=Decimal("0.01"), max_value=10**4, places=2),
)
def test_scaling_numerator_and_denominator_together_leaves_the_ratio_unchanged(
    case: tuple[Callable[..., Decimal], int], values: list[Decimal], k: Decimal
) -> None:
    fn, arity = case
    args = values[:arity]
    scaled = [CONTEXT.multiply(v, k) for v in args]
    assert call(fn, scaled) == call(fn, args)


@given(functions, st.lists(figures, min_size=3, max_size=3))
def test_a_ratio_is_undefined_exactly_when_its_denominator_is_not_positive(
    case: tuple[Callable[..., Decimal], int], values: list[Decimal]
) -> None:
    fn, arity = case
    args = values[:arity]
    # the denominator is the last argument, except in gross_margin(net_sales, cogs) and
    # retention_rate(start, end, new), where it is the first
    index = 0 if fn.__name__ in {"gross_margin", "retention_rate"} else arity - 1
    assert (call(fn, args) is None) == (args[index] <= 0)


@given(amounts(min_value=-(10**9), max_value=10**9), amounts(min_value=-(10**9), max_value=10**9))
def test_average_lies_between_the_balances(a: Decimal, b: Decimal) -> None:
    m = kpi.average(a, b)
    assert min(a, b) <= m <= max(a, b)
    assert kpi.average(Money(a, "CNY"), Money(b, "CNY")) == Money(m, "CNY")


@given(
    amounts(min_value=1, max_value=10**9),
    amounts(min_value=0, max_value=10**9),
    st.sampled_from([360, 365, 90]),
)
def test_days_outstanding_is_days_over_turnover(ns: Decimal, ar: Decimal, days: int) -> None:
    dso = kpi.days_sales_outstanding(ar, ns, days=days)
    assume(ar > 0)
    turnover = kpi.receivables_turnover(ns, ar)
    # days / turnover, within the rounding of two 34-digit divisions
    assert abs(dso - CONTEXT.divide(Decimal(days), turnover)) <= abs(dso) * Decimal("1E-30")


statements = financial_statements()


@given(statements, st.sampled_from([365, 360]))
def test_report_has_a_value_or_a_note_for_every_key(s: FinancialStatement, days: int) -> None:
    r = financial_ratios(s, days=days)
    assert tuple(r) == REPORT_KEYS
    for key, value in r.items():
        assert value is not None or key in r.notes
        assert value is None or isinstance(value, Decimal)
        assert value is not None or key in r.notes_in("zh")


@given(statements, statements)
def test_average_report_has_a_value_or_a_note_for_every_key(
    s: FinancialStatement, p: FinancialStatement
) -> None:
    prior = p.model_copy(
        update={
            "currency": s.currency,
            "partner_id": s.partner_id,
            "period_end": s.period_end - dt.timedelta(days=365),
        }
    )
    r = financial_ratios(s, prior=prior, balances=Balances.AVERAGE)
    for key, value in r.items():
        assert value is not None or key in r.notes


@given(statements)
def test_report_values_are_the_scalar_functions_of_the_fields(s: FinancialStatement) -> None:
    r = financial_ratios(s)
    if r["current_ratio"] is not None:
        assert r["current_ratio"] == kpi.current_ratio(s.current_assets, s.current_liabilities)  # type: ignore[arg-type]
    if r["net_margin"] is not None:
        assert r["net_margin"] == kpi.net_margin(s.net_income, s.net_sales)  # type: ignore[arg-type]
    if r["inventory_turnover"] is not None:
        assert r["inventory_turnover"] == kpi.inventory_turnover(s.net_sales, s.inventory)  # type: ignore[arg-type]


@given(statements)
def test_to_dict_round_trips_through_json(s: FinancialStatement) -> None:
    r = financial_ratios(s)
    d = r.to_dict()
    back = json.loads(json.dumps(d))
    assert back == d
    for key, text in back["ratios"].items():
        assert (None if text is None else Decimal(text)) == r[key]
    assert back["notes"] == dict(r.notes)
