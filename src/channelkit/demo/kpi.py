"""Demo section: the sample partners' key financial ratios and the quarter's collection rates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache

from channelkit.demo import sample
from channelkit.demo.text import heading, table
from channelkit.errors import UndefinedRatioError
from channelkit.kpi import collection_rate, financial_ratios, ratio_label
from channelkit.kpi._core import ratio_form
from channelkit.labels import fmt_amount, fmt_pct, pick
from channelkit.money import Money
from channelkit.statements import FinancialStatement
from channelkit.transactions import TransactionKind

__all__ = ["ORDER", "STATEMENTS", "section", "statements"]

ORDER = 60
"""Where the section stands in the demo (after credit, 50; before conflicts, 70)."""

_YEAR_END = dt.date(2025, 12, 31)
_PRIOR_END = dt.date(2024, 12, 31)

STATEMENTS = {
    # fiscal 2025, CNY: a sound distributor, a stretched one, and a small dealer with a short
    # statement (no inventory or COGS stated) that made a loss
    "D-NORTH": {
        "net_sales": 3_650_000,
        "cogs": 3_066_000,
        "net_income": 146_000,
        "expenses": 438_000,
        "cash": 180_000,
        "short_term_investments": 20_000,
        "receivables": 400_000,
        "inventory": 504_000,
        "current_assets": 1_200_000,
        "total_assets": 1_600_000,
        "accounts_payable": 336_000,
        "current_liabilities": 750_000,
        "total_liabilities": 900_000,
        "equity": 700_000,
    },
    "D-EAST": {
        "net_sales": 2_190_000,
        "cogs": 1_861_500,
        "net_income": 65_700,
        "expenses": 262_800,
        "cash": 60_000,
        "receivables": 420_000,
        "inventory": 380_000,
        "current_assets": 900_000,
        "total_assets": 1_100_000,
        "accounts_payable": 250_000,
        "current_liabilities": 820_000,
        "total_liabilities": 860_000,
        "equity": 240_000,
    },
    "R-SOUTH": {
        "net_sales": 730_000,
        "net_income": -18_000,
        "cash": 25_000,
        "receivables": 90_000,
        "current_assets": 260_000,
        "total_assets": 300_000,
        "current_liabilities": 210_000,
        "total_liabilities": 250_000,
        "equity": 50_000,
    },
}
"""The figures of the sample partners' fiscal 2025 statements (CNY)."""

_PRIOR_SALES = {"D-NORTH": 3_285_000, "D-EAST": 2_400_000}
"""Fiscal 2024 net sales, for growth (R-SOUTH filed no prior statement)."""

_COLUMNS = (
    "current_ratio",
    "quick_ratio",
    "debt_to_equity",
    "net_margin",
    "return_on_equity",
    "days_sales_outstanding",
    "inventory_turnover",
    "growth_rate",
)


@cache
def statements() -> tuple[tuple[FinancialStatement, FinancialStatement | None], ...]:
    """Each sample statement with its prior-year statement (or ``None``)."""
    out = []
    for pid, figures in STATEMENTS.items():
        current = FinancialStatement(
            currency=sample.CURRENCY,
            period_end=_YEAR_END,
            partner_id=pid,
            **{name: Decimal(value) for name, value in figures.items()},
        )
        prior_sales = _PRIOR_SALES.get(pid)
        prior = (
            None
            if prior_sales is None
            else FinancialStatement(
                currency=sample.CURRENCY,
                period_end=_PRIOR_END,
                partner_id=pid,
                net_sales=Decimal(prior_sales),
            )
        )
        out.append((current, prior))
    return tuple(out)


def _cell(key: str, value: Decimal | None, lang: str) -> str:
    if value is None:
        return pick(lang, "n/a", "无")
    form = ratio_form(key)
    if form == "percent":
        return fmt_pct(value, 1)
    return fmt_amount(value, 0 if form == "days" else 2)


def _ratio_table(lang: str) -> tuple[str, list[str]]:
    rows, notes = [], []
    for current, prior in statements():
        report = financial_ratios(current, prior=prior)
        pid = current.partner_id or "-"
        rows.append([pid, *(_cell(k, report[k], lang) for k in _COLUMNS)])
        for key in _COLUMNS:
            if report[key] is None:
                sep = pick(lang, ": ", "：")
                notes.append(f"  {pid} {ratio_label(key, lang)}{sep}{report.notes_in(lang)[key]}")
    headers = [pick(lang, "partner", "伙伴"), *(ratio_label(k, lang) for k in _COLUMNS)]
    return table(headers, rows, right=range(1, len(headers))), notes


def _collections(lang: str) -> str:
    cur = sample.CURRENCY
    net: dict[str, Money] = {}
    paid: dict[str, Money] = {}
    for t in sample.transactions():
        if t.date not in sample.QUARTER or t.partner_id is None:
            continue
        zero = Money.zero(cur)
        if t.kind is TransactionKind.PAYMENT:
            paid[t.partner_id] = paid.get(t.partner_id, zero) + t.amount
        else:
            sign = -1 if t.kind is TransactionKind.RETURN else 1
            net[t.partner_id] = net.get(t.partner_id, zero) + t.amount * sign
    rows = []
    for p in sample.partners():
        sales = net.get(p.id, Money.zero(cur))
        collected = paid.get(p.id, Money.zero(cur))
        try:
            rate = fmt_pct(collection_rate(collected, sales), 1)
        except UndefinedRatioError:
            rate = pick(lang, "n/a (no sales)", "无（无销售）")
        rows.append([p.id, fmt_amount(sales.amount), fmt_amount(collected.amount), rate])
    headers = (
        ["partner", f"net sales ({cur})", f"collected ({cur})", "collection rate"]
        if lang == "en"
        else ["伙伴", f"净销售额（{cur}）", f"回款（{cur}）", "回款率"]
    )
    return table(headers, rows, right=[1, 2, 3])


def section(lang: str = "en") -> str:
    """The key ratios of three sample partners' statements and the quarter's collection rates."""
    ratios, notes = _ratio_table(lang)
    intro = pick(
        lang,
        f"Key ratios of fiscal 2025 statements ({_YEAR_END}, {sample.CURRENCY}; ending balances; "
        "inventory turnover sales-based; growth of net sales over fiscal 2024)",
        f"2025 财年报表关键比率（{_YEAR_END}，{sample.CURRENCY}；期末余额；"
        "存货周转率按销售额计算；增长率为净销售额较 2024 财年的增长）",
    )
    why = pick(lang, "Why some ratios are n/a:", "部分比率无法计算的原因：")
    quarter = pick(
        lang,
        "Collection rate in {q}: payments received / net sales (sales less returns)",
        "{q} 回款率：回款 / 净销售额（销售额减退货）",
    ).format(q=sample.QUARTER)
    # R-SOUTH's short statement always leaves some ratios n/a, so the notes are never empty
    return "\n\n".join(
        [
            heading(pick(lang, "Partner KPIs", "渠道伙伴指标")),
            intro,
            ratios,
            "\n".join([why, *notes]),
            quarter,
            _collections(lang),
        ]
    )
