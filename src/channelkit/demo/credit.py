"""Demo section: a credit check of sample orders for one partner, its aging and a proposed limit.

The partner is D-EAST (Donghai Distribution, limit 600,000 CNY, 30-day terms). Its receivables
are the quarter's net sales minus its payments; its open items are the quarter's invoices, each
due ``payment_terms_days`` after the sale, with payments applied to the oldest first (returns
credit the oldest too). Open orders, unbilled deliveries and the statement behind the proposed
limit are illustrative figures, not in the sample data.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from channelkit.credit import (
    Combine,
    CreditPolicy,
    Exposure,
    OpenItem,
    aging,
    check_order,
    propose_credit_limit,
)
from channelkit.demo import sample
from channelkit.demo.text import heading, table
from channelkit.labels import fmt_amount, fmt_pct, pick
from channelkit.money import Money
from channelkit.partners import Partner
from channelkit.statements import FinancialStatement
from channelkit.transactions import TransactionKind

__all__ = ["ORDER", "PARTNER", "open_items", "section"]

ORDER = 50
"""Where the section stands in the demo (after scoring and tiers, before KPIs)."""

PARTNER = "D-EAST"
"""The partner whose credit the section checks."""
AS_OF = sample.QUARTER.end - dt.timedelta(days=1)
"""The day of the check: the last day of the quarter."""
OPEN_ORDERS = Money(180_000, sample.CURRENCY)
"""Illustrative: confirmed orders not yet delivered."""
UNBILLED = Money(40_000, sample.CURRENCY)
"""Illustrative: goods delivered and not yet invoiced."""
ORDERS = (Money(200_000, sample.CURRENCY), Money(250_000, sample.CURRENCY), Money(300_000, "CNY"))
"""The sample orders checked."""
POLICY = CreditPolicy(max_overdue_days=30, max_overdue_share=Decimal("0.6"))
"""SAP-like: every component counts, warn at 90%, block over the limit or on overdue items."""
STATEMENT = FinancialStatement(
    currency=sample.CURRENCY,
    period_end=dt.date(2025, 12, 31),
    partner_id=PARTNER,
    equity=Decimal(6_500_000),
    current_assets=Decimal(11_850_000),
    current_liabilities=Decimal(6_000_000),
)
"""Illustrative: the partner's last annual statement."""


def _partner() -> Partner:
    return next(p for p in sample.partners() if p.id == PARTNER)


def open_items(partner: Partner, as_of: dt.date) -> list[OpenItem]:
    """The partner's unpaid invoices of the quarter on ``as_of``, oldest settled first."""
    txs = sorted(
        (
            t
            for t in sample.transactions()
            if t.partner_id == partner.id and t.date in sample.QUARTER
        ),
        key=lambda t: t.date,
    )
    credit = sum(
        (t.amount for t in txs if t.kind is not TransactionKind.SALE and t.date <= as_of),
        Money.zero(partner.currency),
    )
    items: list[OpenItem] = []
    for t in txs:
        if t.kind is not TransactionKind.SALE or t.date > as_of:
            continue
        applied = min(credit, t.amount)
        credit -= applied
        if applied < t.amount:
            due = t.date + dt.timedelta(days=partner.payment_terms_days)
            items.append(OpenItem(id=t.id, amount=t.amount - applied, due=due))
    return items


def section(lang: str = "en") -> str:
    """The credit check of three orders, the explanation of one, the aging and the proposal."""
    partner = _partner()
    cur = partner.currency
    items = open_items(partner, AS_OF)
    aged = aging(items, AS_OF, currency=cur)
    exposure = Exposure(
        receivables=aged.open_total,
        open_orders=OPEN_ORDERS,
        unbilled_deliveries=UNBILLED,
        unposted_invoices=Money.zero(cur),
    )
    decisions = [check_order(partner.credit_limit, exposure, o, POLICY, aging=aged) for o in ORDERS]
    rows = [
        [
            fmt_amount(d.order.amount),
            fmt_amount(d.exposure_after.amount),
            "-" if d.available is None else fmt_amount(d.available.amount),
            "-" if d.utilization is None else fmt_pct(d.utilization),
            d.outcome.label(lang),
        ]
        for d in decisions
    ]
    headers = (
        ["order", "exposure after", "available", "utilization", "decision"]
        if lang == "en"
        else ["订单金额", "下单后敞口", "可用额度", "额度使用率", "结果"]
    )
    net_sales = sum(
        (
            t.amount if t.kind is TransactionKind.SALE else -t.amount
            for t in sample.transactions()
            if t.partner_id == partner.id
            and t.date in sample.QUARTER
            and t.kind is not TransactionKind.PAYMENT
        ),
        Money.zero(cur),
    )
    monthly = (net_sales / 3).rounded()
    proposal = propose_credit_limit(
        statement=STATEMENT,
        monthly_sales=monthly,
        terms_days=partner.payment_terms_days,
        grace_days=15,
        combine=Combine.MEDIAN,
    )
    intro = pick(
        lang,
        "{p} ({n}), limit {l} {c}, {t}-day terms, checked on {d}. Receivables are the quarter's "
        "net sales less payments; open orders {o} and unbilled deliveries {u} are illustrative.\n"
        "Policy: every component counts; warn at 90% of the limit; block above the limit, when "
        "an item is more than 30 days overdue or more than 60% of open items are overdue.",
        "{p}（{n}），信用额度 {l} {c}，账期 {t} 天，检查日 {d}。应收账款为本季度净销售额减回款；"
        "未交货订单 {o}、已发货未开票 {u} 为示例数字。\n"
        "信用政策：计入全部敞口；使用率达 90% 警告；超出额度、逾期超过 30 天或逾期占比超过 60% "
        "时冻结。",
    ).format(
        p=partner.id,
        n=partner.name,
        l="-" if partner.credit_limit is None else fmt_amount(partner.credit_limit.amount),
        c=cur,
        t=partner.payment_terms_days,
        d=AS_OF,
        o=fmt_amount(OPEN_ORDERS.amount),
        u=fmt_amount(UNBILLED.amount),
    )
    return "\n\n".join(
        [
            heading(pick(lang, "Credit control", "信用管理")),
            intro,
            table(headers, rows, right=[0, 1, 2, 3]),
            decisions[1].explain(lang),
            aged.explain(lang),
            pick(
                lang,
                "Proposed limit from the {y} statement and the quarter's monthly sales:",
                "根据 {y} 年报和本季度月均销售额建议的信用额度：",
            ).format(y=STATEMENT.period_end.year),
            proposal.explain(lang),
        ]
    )
