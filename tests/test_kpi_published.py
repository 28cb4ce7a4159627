"""channelkit.kpi against a real company's published statements and a third party's ratios.

The company: Apple Inc., consolidated statements of its Form 10-K for the fiscal years ended
30 September 2023 and 24 September 2022 ($ millions). The ratios: Stock Analysis on Net
(stock-analysis-on.net), which publishes them computed from those 10-K filings, consulted
2026-11-25:

- Liquidity: https://www.stock-analysis-on.net/NASDAQ/Company/Apple-Inc/Ratios/Liquidity
  (2023 / 2022): current ratio 0.99 / 0.88, quick ratio 0.84 / 0.71, cash ratio 0.42 / 0.31.
  Their quick ratio is (cash + short-term marketable securities + receivables) / current
  liabilities, and their cash ratio (cash + short-term marketable securities) / current
  liabilities.
- Profitability: https://www.stock-analysis-on.net/NASDAQ/Company/Apple-Inc/Ratios/Profitability
  (2023 / 2022): gross profit margin 44.13% / 43.31%, operating profit margin 29.82% / 30.29%,
  net profit margin 25.31% / 25.31%, ROE 156.08% / 196.96%, ROA 27.51% / 28.29% (ending
  balances).
- Short-term activity:
  https://www.stock-analysis-on.net/NASDAQ/Company/Apple-Inc/Ratios/Short-term-Operating-Activity
  (2023 / 2022): inventory turnover (COGS / inventory) 33.82 / 45.20, receivables turnover
  (revenue / receivables) 12.99 / 13.99, payables turnover (COGS / payables) 3.42 / 3.49, average
  inventory processing period 11 / 8 days, receivable collection period 28 / 26 days, payables
  payment period 107 / 105 days, cash conversion cycle -68 / -71 days (365-day year, ending
  balances).

The source rounds ratios to 2 decimals, percentages to 2 decimals and days to whole days; the
tests round channelkit's exact results the same way (half up) and compare.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest

from channelkit import FinancialStatement, financial_ratios
from channelkit.kpi import (
    cash_conversion_cycle,
    cash_ratio,
    current_ratio,
    days_inventory_outstanding,
    days_payables_outstanding,
    days_sales_outstanding,
    gross_margin,
    inventory_turnover,
    net_margin,
    quick_ratio,
    receivables_turnover,
    return_on_assets,
    return_on_equity,
)

# Apple Inc. 10-K, $ millions: fiscal 2023 (period end 2023-09-30) and fiscal 2022 (2022-09-24).
APPLE = {
    2023: {
        "net_sales": 383_285,
        "cogs": 214_137,
        "operating_income": 114_301,
        "net_income": 96_995,
        "cash": 29_965,
        "marketable_securities": 31_590,
        "accounts_receivable": 29_508,
        "vendor_receivables": 31_477,
        "inventory": 6_331,
        "current_assets": 143_566,
        "total_assets": 352_583,
        "accounts_payable": 62_611,
        "current_liabilities": 145_308,
        "total_liabilities": 290_437,
        "equity": 62_146,
    },
    2022: {
        "net_sales": 394_328,
        "cogs": 223_546,
        "operating_income": 119_437,
        "net_income": 99_803,
        "cash": 23_646,
        "marketable_securities": 24_658,
        "accounts_receivable": 28_184,
        "vendor_receivables": 32_748,
        "inventory": 4_946,
        "current_assets": 135_405,
        "total_assets": 352_755,
        "accounts_payable": 64_115,
        "current_liabilities": 153_982,
        "total_liabilities": 302_083,
        "equity": 50_672,
    },
}

# Stock Analysis on Net's published figures (see the module docstring).
PUBLISHED = {
    2023: {
        "current_ratio": "0.99",
        "quick_ratio": "0.84",
        "cash_ratio": "0.42",
        "gross_margin": "44.13",
        "operating_margin": "29.82",
        "net_margin": "25.31",
        "return_on_equity": "156.08",
        "return_on_assets": "27.51",
        "inventory_turnover": "33.82",
        "receivables_turnover": "12.99",
        "payables_turnover": "3.42",
        "days_inventory_outstanding": "11",
        "days_sales_outstanding": "28",
        "days_payables_outstanding": "107",
        "cash_conversion_cycle": "-68",
    },
    2022: {
        "current_ratio": "0.88",
        "quick_ratio": "0.71",
        "cash_ratio": "0.31",
        "gross_margin": "43.31",
        "operating_margin": "30.29",
        "net_margin": "25.31",
        "return_on_equity": "196.96",
        "return_on_assets": "28.29",
        "inventory_turnover": "45.20",
        "receivables_turnover": "13.99",
        "payables_turnover": "3.49",
        "days_inventory_outstanding": "8",
        "days_sales_outstanding": "26",
        "days_payables_outstanding": "105",
        "cash_conversion_cycle": "-71",
    },
}

YEARS = [2023, 2022]


def r2(value: Decimal) -> str:
    """Two decimals, half up: the source's precision for ratios."""
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def pct(value: Decimal) -> str:
    """A fraction as a percentage with two decimals, half up."""
    return r2(value * 100)


def whole(value: Decimal) -> str:
    """Whole days, half up."""
    return str(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@pytest.mark.parametrize("year", YEARS)
def test_liquidity_ratios_match_the_source(year: int) -> None:
    a, p = APPLE[year], PUBLISHED[year]
    assert r2(current_ratio(a["current_assets"], a["current_liabilities"])) == p["current_ratio"]
    # the source's quick ratio counts only cash, securities and receivables: the documented
    # variant, passed as the liquid assets with nothing to exclude
    liquid = (
        a["cash"] + a["marketable_securities"] + a["accounts_receivable"] + a["vendor_receivables"]
    )
    assert r2(quick_ratio(liquid, 0, a["current_liabilities"])) == p["quick_ratio"]
    cash = cash_ratio(
        a["cash"], a["current_liabilities"], short_term_investments=a["marketable_securities"]
    )
    assert r2(cash) == p["cash_ratio"]


@pytest.mark.parametrize("year", YEARS)
def test_profitability_ratios_match_the_source(year: int) -> None:
    a, p = APPLE[year], PUBLISHED[year]
    assert pct(gross_margin(a["net_sales"], a["cogs"])) == p["gross_margin"]
    # operating margin: the documented variant of net_margin with operating income
    assert pct(net_margin(a["operating_income"], a["net_sales"])) == p["operating_margin"]
    assert pct(net_margin(a["net_income"], a["net_sales"])) == p["net_margin"]
    assert pct(return_on_equity(a["net_income"], a["equity"])) == p["return_on_equity"]
    assert pct(return_on_assets(a["net_income"], a["total_assets"])) == p["return_on_assets"]


@pytest.mark.parametrize("year", YEARS)
def test_activity_ratios_match_the_source(year: int) -> None:
    a, p = APPLE[year], PUBLISHED[year]
    # the source's inventory turnover is COGS-based: the caller passes COGS as the flow
    assert r2(inventory_turnover(a["cogs"], a["inventory"])) == p["inventory_turnover"]
    receivables = a["accounts_receivable"]
    assert r2(receivables_turnover(a["net_sales"], receivables)) == p["receivables_turnover"]
    # payables turnover is COGS / payables: the same division as an inventory turnover
    assert r2(inventory_turnover(a["cogs"], a["accounts_payable"])) == p["payables_turnover"]
    dio = days_inventory_outstanding(a["inventory"], a["cogs"])
    dso = days_sales_outstanding(receivables, a["net_sales"])
    dpo = days_payables_outstanding(a["accounts_payable"], a["cogs"])
    assert whole(dio) == p["days_inventory_outstanding"]
    assert whole(dso) == p["days_sales_outstanding"]
    assert whole(dpo) == p["days_payables_outstanding"]
    assert whole(cash_conversion_cycle(dio, dso, dpo)) == p["cash_conversion_cycle"]


def statement(year: int) -> FinancialStatement:
    a = APPLE[year]
    return FinancialStatement(
        currency="USD",
        period_end=dt.date(2023, 9, 30) if year == 2023 else dt.date(2022, 9, 24),
        partner_id="AAPL",
        net_sales=a["net_sales"],
        cogs=a["cogs"],
        operating_income=a["operating_income"],
        net_income=a["net_income"],
        cash=a["cash"],
        short_term_investments=a["marketable_securities"],
        receivables=a["accounts_receivable"],
        inventory=a["inventory"],
        current_assets=a["current_assets"],
        total_assets=a["total_assets"],
        accounts_payable=a["accounts_payable"],
        current_liabilities=a["current_liabilities"],
        total_liabilities=a["total_liabilities"],
        equity=a["equity"],
    )


@pytest.mark.parametrize("year", YEARS)
def test_the_report_matches_the_source_on_ending_balances(year: int) -> None:
    p = PUBLISHED[year]
    report = financial_ratios(statement(year))
    values = {k: v for k, v in report.items() if v is not None}
    assert r2(values["current_ratio"]) == p["current_ratio"]
    assert r2(values["cash_ratio"]) == p["cash_ratio"]
    assert pct(values["gross_margin"]) == p["gross_margin"]
    assert pct(values["net_margin"]) == p["net_margin"]
    assert pct(values["return_on_equity"]) == p["return_on_equity"]
    assert pct(values["return_on_assets"]) == p["return_on_assets"]
    assert r2(values["receivables_turnover"]) == p["receivables_turnover"]
    assert whole(values["days_inventory_outstanding"]) == p["days_inventory_outstanding"]
    assert whole(values["days_sales_outstanding"]) == p["days_sales_outstanding"]
    assert whole(values["days_payables_outstanding"]) == p["days_payables_outstanding"]
    assert whole(values["cash_conversion_cycle"]) == p["cash_conversion_cycle"]
    # the report's inventory turnover is sales-based (the domain brief's), so it differs from
    # the source's COGS-based 33.82: 383,285 / 6,331 = 60.54
    if year == 2023:
        assert r2(values["inventory_turnover"]) == "60.54"
        assert "sales-based" in report.notes["inventory_turnover"]


def test_the_report_with_the_prior_year_gives_growth() -> None:
    report = financial_ratios(statement(2023), prior=statement(2022))
    growth = report["growth_rate"]
    assert growth is not None
    # (383,285 - 394,328) / 394,328 = -2.80% (Apple's 10-K: net sales down 3%)
    assert pct(growth) == "-2.80"
    assert whole(growth * 100) == "-3"


def test_the_report_on_average_balances() -> None:
    report = financial_ratios(statement(2023), prior=statement(2022), balances="average")
    roa, dio = report["return_on_assets"], report["days_inventory_outstanding"]
    assert roa is not None
    assert dio is not None
    # ROA on average assets: 96,995 / ((352,755 + 352,583) / 2) = 96,995 / 352,669 = 27.50%
    assert pct(roa) == "27.50"
    # DIO on average inventory: (4,946 + 6,331) / 2 / 214,137 * 365 = 9.61 days
    assert r2(dio) == "9.61"
    # point-in-time ratios keep the ending balances
    assert report["current_ratio"] == financial_ratios(statement(2023))["current_ratio"]
