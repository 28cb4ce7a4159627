"""financial_ratios and RatioReport: every key, the notes, the options and their errors."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import pytest

from channelkit import ArgumentError, ArgumentTypeError, CurrencyMismatchError, FinancialStatement
from channelkit.kpi import REPORT_KEYS, Balances, RatioReport, financial_ratios
from channelkit.numeric import CONTEXT

D = Decimal
END = dt.date(2025, 12, 31)
PRIOR_END = dt.date(2024, 12, 31)


def fs(period_end: dt.date = END, **figures: Any) -> FinancialStatement:
    return FinancialStatement(currency="CNY", period_end=period_end, **figures)


FULL = {
    "net_sales": 1_460,
    "cogs": 730,
    "net_income": 146,
    "expenses": 584,
    "cash": 100,
    "short_term_investments": 50,
    "receivables": 200,
    "inventory": 150,
    "current_assets": 600,
    "total_assets": 1_000,
    "accounts_payable": 100,
    "current_liabilities": 400,
    "total_liabilities": 600,
    "equity": 400,
}
PRIOR = {**FULL, "net_sales": 1_168, "inventory": 50, "total_assets": 900, "equity": 330}


def test_every_ratio_of_a_full_statement_by_hand() -> None:
    r = financial_ratios(fs(**FULL))
    assert list(r) == list(REPORT_KEYS)
    assert len(r) == 18
    expected = {
        "current_ratio": D("1.5"),  # 600 / 400
        "quick_ratio": D("1.125"),  # (600 - 150) / 400
        "cash_ratio": D("0.375"),  # (100 + 50) / 400
        "debt_to_equity": D("1.5"),  # 600 / 400
        "debt_ratio": D("0.6"),  # 600 / 1000
        "gross_margin": D("0.5"),  # (1460 - 730) / 1460
        "net_margin": D("0.1"),  # 146 / 1460
        "return_on_assets": D("0.146"),  # 146 / 1000
        "return_on_equity": D("0.365"),  # 146 / 400
        "expense_profit_ratio": D("0.25"),  # 146 / 584
        "asset_turnover": D("1.46"),  # 1460 / 1000
        "inventory_turnover": D("9.733333333333333333333333333333333"),  # 1460 / 150 (sales)
        "receivables_turnover": D("7.3"),  # 1460 / 200
        "days_sales_outstanding": D(50),  # 200 / 1460 * 365
        "days_inventory_outstanding": D(75),  # 150 / 730 * 365 (COGS)
        "days_payables_outstanding": D(50),  # 100 / 730 * 365
        "cash_conversion_cycle": D(75),  # 75 + 50 - 50
        "growth_rate": None,  # no prior
    }
    assert dict(r) == expected
    assert set(r.notes) == {"inventory_turnover", "days_inventory_outstanding", "growth_rate"}
    assert r.notes["growth_rate"] == "net sales growth needs the prior statement (prior=...)"
    assert r.notes["days_inventory_outstanding"].startswith("COGS-based")
    assert r.notes["inventory_turnover"].startswith("sales-based")


def test_days_360() -> None:
    r = financial_ratios(fs(**FULL), days=360)
    # 200 / 1460 * 360 = 49.31...; 150 / 730 * 360 = 73.97...; 100 / 730 * 360 = 49.31...
    assert r["days_sales_outstanding"] == CONTEXT.divide(D(72_000), D(1460))
    assert r["days_inventory_outstanding"] == CONTEXT.divide(D(54_000), D(730))
    assert r.days == D(360)


def test_average_balances_by_hand() -> None:
    r = financial_ratios(fs(**FULL), prior=fs(PRIOR_END, **PRIOR), balances=Balances.AVERAGE)
    assert r.balances is Balances.AVERAGE
    assert r.prior_period_end == PRIOR_END
    # average total assets (900 + 1000) / 2 = 950: ROA 146 / 950, asset turnover 1460 / 950
    assert r["return_on_assets"] == CONTEXT.divide(D(146), D(950))
    assert r["asset_turnover"] == CONTEXT.divide(D(1460), D(950))
    # average equity (330 + 400) / 2 = 365: ROE 146 / 365 = 0.4
    assert r["return_on_equity"] == D("0.4")
    # average inventory (50 + 150) / 2 = 100: turnover 1460 / 100, DIO 100 / 730 * 365 = 50
    assert r["inventory_turnover"] == D("14.6")
    assert r["days_inventory_outstanding"] == D(50)
    # point-in-time ratios keep the ending balances
    assert r["current_ratio"] == D("1.5")
    assert r["debt_to_equity"] == D("1.5")
    # growth (1460 - 1168) / 1168 = 0.25
    assert r["growth_rate"] == D("0.25")


def test_average_accepts_the_string_value() -> None:
    r = financial_ratios(fs(**FULL), prior=fs(PRIOR_END, **PRIOR), balances="average")
    assert r.balances is Balances.AVERAGE


def test_ending_balances_with_a_prior_use_it_only_for_growth() -> None:
    r = financial_ratios(fs(**FULL), prior=fs(PRIOR_END, **PRIOR))
    assert r["return_on_equity"] == D("0.365")
    assert r["growth_rate"] == D("0.25")
    assert "growth_rate" not in r.notes


def test_an_empty_statement_has_a_note_for_every_key() -> None:
    r = financial_ratios(fs())
    assert all(v is None for v in r.values())
    assert set(r.notes) == set(REPORT_KEYS)
    assert r.notes["current_ratio"] == "the statement lacks current_assets, current_liabilities"
    assert r.notes_in("zh")["current_ratio"] == (
        "报表缺少流动资产（current_assets）、流动负债（current_liabilities）"
    )
    assert r.notes["inventory_turnover"] == (
        "sales-based: net sales / inventory, as the domain brief defines it (for the COGS-based "
        "figure call inventory_turnover(cogs, inventory)); the statement lacks net_sales, inventory"
    )
    assert r.notes["cash_conversion_cycle"] == (
        "needs days_inventory_outstanding, days_sales_outstanding, days_payables_outstanding, "
        "which the statement does not allow"
    )


def test_a_zero_denominator_is_noted() -> None:
    r = financial_ratios(fs(**{**FULL, "current_liabilities": 0}))
    assert r["current_ratio"] is None
    assert r.notes["current_ratio"] == "current_liabilities is 0"
    assert r.notes_in("zh")["current_ratio"] == "流动负债（current_liabilities）为 0"
    assert r["cash_ratio"] is None
    assert r.notes["cash_ratio"] == "current_liabilities is 0"


def test_negative_equity_is_noted_not_computed() -> None:
    r = financial_ratios(fs(**{**FULL, "equity": -200}))
    assert r["debt_to_equity"] is None
    assert r["return_on_equity"] is None
    assert r.notes["debt_to_equity"] == "equity is negative (-200)"
    assert r.notes_in("zh")["return_on_equity"] == "净资产（equity）为负数（-200）"


def test_an_average_denominator_of_zero_is_noted_as_average() -> None:
    r = financial_ratios(
        fs(**{**FULL, "inventory": 0}),
        prior=fs(PRIOR_END, **{**PRIOR, "inventory": 0}),
        balances="average",
    )
    assert r["inventory_turnover"] is None
    assert r.notes["inventory_turnover"].endswith("; average inventory is 0")
    assert r.notes_in("zh")["inventory_turnover"].endswith("；平均存货（inventory）为 0")
    # DIO divides by COGS, so zero inventory gives zero days
    assert r["days_inventory_outstanding"] == D(0)


def test_a_prior_lacking_an_opening_balance_is_noted() -> None:
    prior = {k: v for k, v in PRIOR.items() if k != "total_assets"}
    r = financial_ratios(fs(**FULL), prior=fs(PRIOR_END, **prior), balances="average")
    assert r["return_on_assets"] is None
    assert r.notes["return_on_assets"] == (
        "the prior statement lacks total_assets (for the average balance)"
    )
    assert (
        r.notes_in("zh")["return_on_assets"]
        == "上期报表缺少总资产（total_assets）（无法计算平均余额）"
    )
    # debt_ratio is point-in-time and does not need the prior
    assert r["debt_ratio"] == D("0.6")


def test_cash_ratio_without_short_term_investments_counts_cash_only() -> None:
    figures = {k: v for k, v in FULL.items() if k != "short_term_investments"}
    r = financial_ratios(fs(**figures))
    assert r["cash_ratio"] == D("0.25")  # 100 / 400
    assert r.notes["cash_ratio"] == "short_term_investments not stated: counted as 0 (cash only)"


def test_cash_conversion_cycle_names_the_missing_days_ratio() -> None:
    figures = {k: v for k, v in FULL.items() if k != "accounts_payable"}
    r = financial_ratios(fs(**figures))
    assert r["cash_conversion_cycle"] is None
    assert r.notes["cash_conversion_cycle"] == (
        "needs days_payables_outstanding, which the statement does not allow"
    )
    assert r.notes_in("zh")["cash_conversion_cycle"] == "需要应付账款周转天数，但报表无法计算"


@pytest.mark.parametrize(
    ("current", "prior", "note"),
    [
        ({}, {"net_sales": 100}, "the statement lacks net_sales"),
        ({"net_sales": 100}, {}, "the prior statement lacks net_sales"),
        ({"net_sales": 100}, {"net_sales": 0}, "prior net_sales is 0"),
    ],
)
def test_growth_notes(current: dict[str, int], prior: dict[str, int], note: str) -> None:
    r = financial_ratios(fs(**current), prior=fs(PRIOR_END, **prior))
    assert r["growth_rate"] is None
    assert r.notes["growth_rate"] == note


# -- errors -------------------------------------------------------------------------------------


def test_average_without_prior_is_an_argument_error() -> None:
    with pytest.raises(ArgumentError, match="balances=AVERAGE needs the prior statement") as err:
        financial_ratios(fs(**FULL), balances=Balances.AVERAGE)
    assert err.value.argument == "prior"
    assert isinstance(err.value, ValueError)


def test_prior_in_another_currency_is_a_currency_mismatch() -> None:
    prior = FinancialStatement(currency="USD", period_end=PRIOR_END)
    with pytest.raises(CurrencyMismatchError, match=r"prior statement.*expected CNY, got USD"):
        financial_ratios(fs(**FULL), prior=prior)


@pytest.mark.parametrize("day", [END, dt.date(2026, 1, 1)])
def test_prior_must_be_earlier(day: dt.date) -> None:
    with pytest.raises(ArgumentError, match=r"prior.period_end \(.*\) must be before") as err:
        financial_ratios(fs(**FULL), prior=fs(day))
    assert (err.value.argument, err.value.value) == ("prior", day)


def test_prior_of_another_partner_is_refused() -> None:
    with pytest.raises(ArgumentError, match=r"prior\.partner_id \('P2'\) differs"):
        financial_ratios(fs(partner_id="P1"), prior=fs(PRIOR_END, partner_id="P2"))
    # an unrecorded partner on either side is accepted
    financial_ratios(fs(partner_id="P1"), prior=fs(PRIOR_END))


def test_bad_arguments() -> None:
    with pytest.raises(
        ArgumentTypeError, match="statement must be a FinancialStatement, not dict"
    ) as err:
        financial_ratios(FULL)  # type: ignore[arg-type]
    assert err.value.argument == "statement"
    with pytest.raises(
        ArgumentTypeError, match="prior must be a FinancialStatement or None, not dict"
    ) as err:
        financial_ratios(fs(), prior=PRIOR)  # type: ignore[arg-type]
    assert err.value.argument == "prior"
    with pytest.raises(
        ArgumentError, match=r"balances must be one of \['ending', 'average'\]"
    ) as err:
        financial_ratios(fs(), balances="mean")
    assert (err.value.argument, err.value.value) == ("balances", "mean")
    with pytest.raises(ArgumentError, match="balances must be one of"):
        financial_ratios(fs(), balances=["ending"])  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match="days must be positive"):
        financial_ratios(fs(), days=0)
    with pytest.raises(ArgumentTypeError, match="days must not be a float"):
        financial_ratios(fs(), days=365.0)


# -- the RatioReport object ----------------------------------------------------------------------


def test_report_is_an_immutable_mapping() -> None:
    r = financial_ratios(fs(**FULL))
    assert isinstance(r, Mapping)
    with pytest.raises(TypeError):
        r["current_ratio"] = D(2)  # type: ignore[index]
    with pytest.raises(AttributeError, match="RatioReport is immutable: cannot set 'currency'"):
        r.currency = "USD"  # type: ignore[misc]
    with pytest.raises(AttributeError, match="cannot delete 'days'"):
        del r.days
    with pytest.raises(TypeError):
        r.notes["x"] = "y"  # type: ignore[index]
    with pytest.raises(KeyError):
        r["roe"]
    assert r.get("roe") is None
    assert "current_ratio" in r


def test_report_equality_and_hash() -> None:
    a = financial_ratios(fs(**FULL))
    b = financial_ratios(fs(**FULL))
    assert a == b
    assert hash(a) == hash(b)
    assert a != financial_ratios(fs(**FULL), days=360)
    assert a == dict(a)  # a plain mapping with the same items compares equal, as Mapping does
    assert a != 1


def test_report_pickles_and_copies() -> None:
    import copy
    import pickle

    r = financial_ratios(fs(partner_id="P1", **FULL), prior=fs(PRIOR_END, **PRIOR))
    back = pickle.loads(pickle.dumps(r))
    assert back == r
    assert back.notes_in("zh") == r.notes_in("zh")
    assert copy.deepcopy(r) == r


def test_report_repr() -> None:
    r = financial_ratios(fs(partner_id="D-NORTH", current_assets=3, current_liabilities=2))
    text = repr(r)
    assert text.startswith("<RatioReport 'D-NORTH', 2025-12-31 CNY ending: {")
    assert "'current_ratio': Decimal('1.5')" in text
    assert repr(financial_ratios(fs())).startswith("<RatioReport 2025-12-31 CNY ending")


def test_to_dict_is_json_ready() -> None:
    r = financial_ratios(fs(partner_id="P1", **FULL), prior=fs(PRIOR_END, **PRIOR))
    d = r.to_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["partner_id"] == "P1"
    assert d["currency"] == "CNY"
    assert d["period_end"] == "2025-12-31"
    assert d["prior_period_end"] == "2024-12-31"
    assert d["balances"] == "ending"
    assert d["days"] == "365"
    assert d["ratios"]["current_ratio"] == "1.5"
    assert d["ratios"]["days_sales_outstanding"] == "50"
    assert d["notes"]["inventory_turnover"].startswith("sales-based")
    assert d["notes_zh"]["inventory_turnover"].startswith("按销售额计算")
    none = financial_ratios(fs()).to_dict()
    assert none["ratios"]["current_ratio"] is None
    assert none["prior_period_end"] is None


def test_explain_in_english() -> None:
    r = financial_ratios(fs(partner_id="D-NORTH", **FULL))
    lines = r.explain().splitlines()
    assert lines[0] == (
        "Financial ratios of D-NORTH at 2025-12-31 (CNY; ending balances; 365-day period)"
    )
    assert "  Current ratio: 1.50" in lines
    assert "  Debt ratio: 60%" in lines
    assert "  Return on equity: 36.5%" in lines
    assert "  Days sales outstanding: 50.0 days" in lines
    assert any(line.startswith("  Inventory turnover: 9.73 (sales-based") for line in lines)
    assert any(line.startswith("  Growth rate: n/a (net sales growth needs") for line in lines)
    assert len(lines) == 1 + len(REPORT_KEYS)


def test_explain_in_chinese() -> None:
    r = financial_ratios(fs(**FULL), days=360)
    lines = r.explain("zh").splitlines()
    assert lines[0] == "2025-12-31 财务比率（CNY；期末余额；期间 360 天）"
    assert "  流动比率：1.50" in lines
    assert "  资产负债率：60%" in lines
    assert any(line.startswith("  增长率：无法计算（净销售额增长率需要上期报表") for line in lines)
    r2 = financial_ratios(fs(partner_id="P1"), prior=fs(PRIOR_END), balances="average")
    assert (
        r2.explain("zh").splitlines()[0] == "P1 2025-12-31 财务比率（CNY；平均余额；期间 365 天）"
    )
    with pytest.raises(ValueError, match="lang must be"):
        r.explain("de")


def test_report_constructor_checks() -> None:
    r = RatioReport(
        {"current_ratio": D("1.5"), "x": None}, currency="CNY", period_end=END, notes={"x": "why"}
    )
    assert r.notes_in("zh") == {"x": "why"}  # Chinese notes default to the English ones
    assert "  x: n/a (why)" in r.explain()  # an unknown key is shown by its name
    with pytest.raises(
        ArgumentTypeError, match="ratio 'current_ratio' must be a Decimal or None, got float"
    ):
        RatioReport({"current_ratio": 1.5}, currency="CNY", period_end=END)  # type: ignore[dict-item]
    with pytest.raises(ArgumentError, match="notes for ratios the report does not hold: y"):
        RatioReport({"x": None}, currency="CNY", period_end=END, notes={"y": "?"})
    with pytest.raises(ValueError, match="lang must be 'en' or 'zh'"):
        r.notes_in("fr")
