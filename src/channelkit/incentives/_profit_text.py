"""The profitability report's explanation (English, Chinese) and HTML, kept apart from the models.

Every figure shown is a field of the report (or, for a row's channel costs, the sum of its
``costs``), so the text and the data cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Final

from channelkit.html import html_table
from channelkit.labels import check_lang, fmt_amount, fmt_pct, pick
from channelkit.money import Money
from channelkit.numeric import CONTEXT

if TYPE_CHECKING:
    from channelkit.incentives.profit import ProfitabilityReport, ProfitRow

__all__ = ["explain_report", "explain_row", "report_html", "row_html"]

_SHOWN: Final = 10
"""Negative partners named at most in the explanation; the rest are counted."""


def _amt(value: Money | None, lang: str) -> str:
    return pick(lang, "n/a", "无") if value is None else fmt_amount(value.amount, value.places)


def _pct(value: Decimal | None, lang: str) -> str:
    return pick(lang, "n/a", "无") if value is None else fmt_pct(value)


def _sum(values: Iterable[Money], currency: str) -> Money:
    total = Decimal(0)
    for m in values:
        total = CONTEXT.add(total, m.amount)
    return Money._make(total, currency)


def _figures(t: ProfitRow, lang: str) -> str:
    text = pick(
        lang,
        "Net sales {net}; gross profit {gross}; contribution {c}",
        "净销售额 {net}；毛利 {gross}；渠道贡献 {c}",
    ).format(
        net=_amt(t.net_sales, lang),
        gross=_amt(t.gross_profit, lang),
        c=_amt(t.contribution, lang),
    )
    if t.contribution is None:
        return text + pick(
            lang,
            " (a sale or return lacks its cost)",
            "（有销售或退货缺少成本）",
        )
    return text + pick(lang, " (margin {m}, ROI {r})", "（贡献率 {m}，投资回报率 {r}）").format(
        m=_pct(t.contribution_margin, lang), r=_pct(t.roi, lang)
    )


def _spend(t: ProfitRow, lang: str) -> str:
    return pick(
        lang,
        "Spend {s}: rebates {r}, funds {f}, channel costs {k}, financing {i}",
        "渠道投入 {s}：返利 {r}，基金 {f}，渠道费用 {k}，资金成本 {i}",
    ).format(
        s=_amt(t.spend, lang),
        r=_amt(t.rebates, lang),
        f=_amt(t.funds, lang),
        k=_amt(_sum(t.costs.values(), t.net_sales.currency), lang),
        i=_amt(t.financing_cost, lang),
    )


def explain_row(t: ProfitRow, lang: str = "en") -> str:
    """The text of ``ProfitRow.explain``: the figures, the spend and the costs by category."""
    check_lang(lang)
    who = pick(lang, "Total", "合计") if t.partner_id is None else t.partner_id
    lines = [
        pick(lang, "Profitability of {p} in {c}", "{p} 渠道费用分析（{c}）").format(
            p=who, c=t.net_sales.currency
        ),
        _figures(t, lang),
        _spend(t, lang),
    ]
    if t.costs:
        parts = [f"{cat.label(lang)} {_amt(m, lang)}" for cat, m in t.costs.items()]
        lines.append(
            pick(lang, "Channel costs: ", "渠道费用：") + pick(lang, ", ", "，").join(parts)
        )
    return "\n".join(lines)


def explain_report(r: ProfitabilityReport, lang: str = "en") -> str:
    """The text of ``ProfitabilityReport.explain``."""
    check_lang(lang)
    t, cur = r.total, r.currency
    n = len(r.rows)
    lines = [
        pick(
            lang,
            "Channel profitability {p} in {c}, {n} partner{s}",
            "渠道费用分析 {p}（{c}），{n} 个渠道伙伴",
        ).format(p=r.period, c=cur, n=n, s="" if n == 1 else "s"),
        _figures(t, lang),
        _spend(t, lang),
    ]
    if r.categories:
        top, amount = r.categories[0]
        lines.append(
            pick(lang, "Top cost category: {c} {a}", "最大费用类别：{c} {a}").format(
                c=top.label(lang), a=_amt(amount, lang)
            )
        )
    else:
        lines.append(pick(lang, "No channel costs in the period", "本期无渠道费用"))
    if r.negative:
        rows = {row.partner_id: row for row in r.rows}
        named = [f"{pid} {_amt(rows[pid].contribution, lang)}" for pid in r.negative[:_SHOWN]]
        text = pick(lang, ", ", "、").join(named)
        more = len(r.negative) - _SHOWN
        if more > 0:
            text += pick(lang, " and {k} more", " 等，另有 {k} 个").format(k=more)
        lines.append(pick(lang, "Negative contribution: {t}", "贡献为负的伙伴：{t}").format(t=text))
    else:
        lines.append(pick(lang, "No partner with a negative contribution", "无贡献为负的伙伴"))
    return "\n".join(lines)


def _cells(row: ProfitRow, name: str, currency: str) -> list[object]:
    return [
        name,
        row.net_sales,
        row.gross_profit,
        row.rebates,
        row.funds,
        _sum(row.costs.values(), currency),
        row.financing_cost,
        row.spend,
        row.contribution,
        None if row.contribution_margin is None else fmt_pct(row.contribution_margin),
        None if row.roi is None else fmt_pct(row.roi),
    ]


def report_html(r: ProfitabilityReport, lang: str = "en") -> str:
    """The report as an HTML table: the total, then a row per partner in report order."""
    check_lang(lang)
    t, cur = r.total, r.currency
    summary: list[tuple[str, object]] = [
        (pick(lang, "Net sales", "净销售额"), t.net_sales),
        (pick(lang, "Contribution", "渠道贡献"), t.contribution),
    ]
    if r.categories:
        top, amount = r.categories[0]
        label = pick(lang, "Top cost category", "最大费用类别")
        summary.append((label, f"{top.label(lang)} {_amt(amount, lang)}"))
    # the total first: a long table is cut after html.MAX_ROWS rows
    rows = [_cells(t, pick(lang, "Total", "合计"), cur)]
    rows.extend(_cells(row, str(row.partner_id), cur) for row in r.rows)
    return html_table(
        pick(lang, "Channel profitability {p} ({c})", "渠道费用分析 {p}（{c}）").format(
            p=r.period, c=cur
        ),
        _header(lang),
        rows,
        summary=summary,
        lang=lang,
    )


def _header(lang: str) -> list[str]:
    return pick(
        lang,
        "Partner|Net sales|Gross profit|Rebates|Funds|Channel costs|Financing|Spend|"
        "Contribution|Margin|ROI",
        "渠道伙伴|净销售额|毛利|返利|基金|渠道费用|资金成本|渠道投入|渠道贡献|贡献率|投资回报率",
    ).split("|")


def row_html(row: ProfitRow, lang: str = "en") -> str:
    """One row as an HTML table, its costs by category as the headline figures."""
    check_lang(lang)
    cur = row.net_sales.currency
    name = pick(lang, "Total", "合计") if row.partner_id is None else row.partner_id
    return html_table(
        pick(lang, "Profitability of {p} ({c})", "{p} 渠道费用分析（{c}）").format(p=name, c=cur),
        _header(lang),
        [_cells(row, name, cur)],
        summary=[(cat.label(lang), m) for cat, m in row.costs.items()],
        lang=lang,
    )
