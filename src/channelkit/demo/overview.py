"""Demo section: the sample channel's partners, their terms, and the quarter's trading."""

from __future__ import annotations

from decimal import Decimal

from channelkit.demo import sample
from channelkit.demo.text import heading, table
from channelkit.labels import fmt_amount, pick
from channelkit.money import Money
from channelkit.transactions import TransactionKind

__all__ = ["ORDER", "section"]

ORDER = 20
"""Where the section stands in the demo (the channel review, 10, opens it)."""


def section(lang: str = "en") -> str:
    """The partners and a per-partner summary of the quarter's transactions."""
    cur = sample.CURRENCY
    partner_rows = [
        [
            p.id,
            p.name,
            p.kind.label(lang),
            p.tier or "-",
            ", ".join(sorted(p.territories))
            + (pick(lang, " (excl.)", "（独家）") if p.exclusive else ""),
            "-" if p.credit_limit is None else fmt_amount(p.credit_limit.amount),
            str(p.payment_terms_days),
            p.joined.isoformat(),
        ]
        for p in sample.partners()
    ]
    headers = (
        [
            "partner",
            "name",
            "kind",
            "tier",
            "territories",
            f"credit limit ({cur})",
            "terms",
            "joined",
        ]
        if lang == "en"
        else [
            "伙伴",
            "名称",
            "类型",
            "级别",
            "区域",
            f"信用额度（{cur}）",
            "账期（天）",
            "加入日期",
        ]
    )
    sums: dict[str, dict[TransactionKind, Money]] = {}
    units: dict[str, Decimal] = {}
    for t in sample.transactions():
        if t.date not in sample.QUARTER:
            continue
        key = t.partner_id or pick(lang, "(direct)", "（直销）")
        row = sums.setdefault(key, {k: Money.zero(cur) for k in TransactionKind})
        row[t.kind] += t.amount
        sign = -1 if t.kind is TransactionKind.RETURN else 1
        units[key] = units.get(key, Decimal(0)) + sign * t.quantity
    trade_rows = [
        [
            key,
            fmt_amount(row[TransactionKind.SALE].amount),
            fmt_amount(row[TransactionKind.RETURN].amount),
            fmt_amount((row[TransactionKind.SALE] - row[TransactionKind.RETURN]).amount),
            fmt_amount(row[TransactionKind.PAYMENT].amount),
            str(units[key]),
        ]
        for key, row in sums.items()
    ]
    trade_headers = (
        ["partner", "sales", "returns", "net sales", "payments", "net units"]
        if lang == "en"
        else ["伙伴", "销售额", "退货", "净销售额", "回款", "净销量"]
    )
    title = pick(lang, "The sample channel", "示例渠道")
    quarter = pick(lang, "Transactions in {q}, in {c}", "{q} 的交易（{c}）").format(
        q=sample.QUARTER, c=cur
    )
    return "\n\n".join(
        [
            heading(title),
            table(headers, partner_rows, right=[5, 6]),
            quarter,
            table(trade_headers, trade_rows, right=[1, 2, 3, 4, 5]),
        ]
    )
