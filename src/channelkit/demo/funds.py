"""Demo section: the quarter's fund programme (补贴, 职能付酬) and the partners' profitability.

A market development fund for the sample quarter: tier quotas plus 1% of each partner's net
sales, scaled down to the budget; two fund requests and three claims (one of them late); the
balances at the quarter's last day; then what each partner earned the vendor once its rebates,
funds, channel costs and the financing of its payment terms are paid (渠道费用分析). Unit costs,
channel costs and the financing rate are illustrative figures, not in the sample data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from channelkit.demo import sample
from channelkit.demo.rebates import settlements
from channelkit.demo.text import heading, table
from channelkit.incentives import (
    ChannelCost,
    Claim,
    ClaimReason,
    CostCategory,
    FundAllocation,
    FundBalances,
    FundProgram,
    FundRequest,
    ProfitabilityReport,
    RequestReason,
    allocate_funds,
    decide_claim,
    decide_request,
    fund_balances,
    profitability,
)
from channelkit.labels import fmt_amount, fmt_pct, pick
from channelkit.money import Money
from channelkit.numeric import CONTEXT
from channelkit.transactions import Transaction, TransactionKind

__all__ = [
    "AS_OF",
    "CLAIMS",
    "COSTS",
    "ORDER",
    "PROGRAM",
    "REQUESTS",
    "allocation",
    "balances",
    "report",
    "section",
]

ORDER = 65
"""Where the section stands in the demo (after the KPIs, 60, before conflicts, 70)."""

_CNY = sample.CURRENCY


def _cny(amount: int | str) -> Money:
    return Money(amount, _CNY)


PROGRAM = FundProgram(
    id="MDF-26Q3",
    name="Market development fund 2026 Q3",
    currency=_CNY,
    period=sample.QUARTER,
    budget=_cny(40_000),
    accrual_rate=Decimal("0.01"),
    tier_quotas={"GOLD": _cny(15_000), "SILVER": _cny(8_000), "BRONZE": _cny(4_000)},
    activities=frozenset({"co-op advertising", "trade show", "training"}),
    reimbursement_rate=Decimal("0.5"),
    claim_window_days=30,
)
"""The quarter's fund: 40,000 CNY, tier quotas plus 1% of net sales, half of the cost
reimbursed, claims within 30 days of an activity's end."""

REQUESTS = (
    FundRequest(
        id="R1",
        program_id=PROGRAM.id,
        partner_id="D-NORTH",
        activity="co-op advertising",
        planned_cost=_cny(30_000),
        start=dt.date(2026, 7, 15),
        end=dt.date(2026, 8, 15),
    ),
    FundRequest(
        id="R2",
        program_id=PROGRAM.id,
        partner_id="R-SOUTH",
        activity="trade show",
        planned_cost=_cny(6_000),
        start=dt.date(2026, 8, 1),
        end=dt.date(2026, 8, 3),
    ),
)
"""Two fund requests: D-NORTH's advertising (more than its allocation) and R-SOUTH's show."""

CLAIMS = (
    Claim(
        id="C1",
        request_id="R1",
        partner_id="D-NORTH",
        amount=_cny(24_000),
        submitted=dt.date(2026, 8, 25),
        proof=("invoice-ads-0815.pdf",),
    ),
    Claim(
        id="C2",
        request_id="R1",
        partner_id="D-NORTH",
        amount=_cny(6_000),
        submitted=dt.date(2026, 9, 10),
        proof=("invoice-ads-0910.pdf",),
    ),
    Claim(
        id="C3",
        request_id="R2",
        partner_id="R-SOUTH",
        amount=_cny(5_800),
        submitted=dt.date(2026, 9, 20),
        proof=("show-receipts.pdf",),
    ),
)
"""Three claims: D-NORTH's two (the second cut to what is left), R-SOUTH's late one."""

AS_OF = sample.QUARTER.end - dt.timedelta(days=1)
"""The day of the balances: the quarter's last day."""

PAYMENTS = {"C1": _cny(12_000)}
"""What was paid by then: the first claim."""

UNIT_COSTS = {"AC-100": 2_100, "WM-200": 1_350, "RF-300": 2_700}
"""Illustrative cost of goods per unit, by SKU."""

COSTS = (
    ChannelCost(
        partner_id="D-NORTH",
        category=CostCategory.SALES_MANAGEMENT,
        amount=_cny(18_000),
        date=dt.date(2026, 9, 30),
        note="key account manager",
    ),
    ChannelCost(
        partner_id="O-MALL",
        category=CostCategory.MARKETING,
        amount=_cny(25_000),
        date=dt.date(2026, 8, 10),
        note="launch promotion",
    ),
    ChannelCost(
        partner_id="S-WEST",
        category=CostCategory.LOGISTICS,
        amount=_cny(6_000),
        date=dt.date(2026, 8, 20),
        note="project delivery",
    ),
    ChannelCost(
        partner_id=None,
        category=CostCategory.MARKETING,
        amount=_cny(10_000),
        date=dt.date(2026, 7, 1),
        note="brand campaign",
    ),
)
"""Illustrative channel costs of the quarter, one of them for no partner."""

FINANCING_RATE = Decimal("0.06")
"""Illustrative: the vendor's cost of money, 6% a year."""


def _net_sales() -> dict[str, Decimal]:
    """Each sample partner's net sales (sales less returns) in the quarter."""
    out = {p.id: Decimal(0) for p in sample.partners()}
    for t in sample.transactions():
        if t.partner_id is None or t.date not in sample.QUARTER:
            continue
        if t.kind is TransactionKind.SALE:
            out[t.partner_id] = CONTEXT.add(out[t.partner_id], t.amount.amount)
        elif t.kind is TransactionKind.RETURN:
            out[t.partner_id] = CONTEXT.subtract(out[t.partner_id], t.amount.amount)
    return out


def allocation() -> FundAllocation:
    """The programme's allocation over the sample partners, on their net sales."""
    return allocate_funds(PROGRAM, sample.partners(), sales=_net_sales())


def balances() -> FundBalances:
    """The balances at ``AS_OF``, with the first claim paid."""
    return fund_balances(PROGRAM, allocation(), REQUESTS, CLAIMS, as_of=AS_OF, payments=PAYMENTS)


def _with_costs() -> list[Transaction]:
    """The sample transactions with their cost of goods (sales and returns)."""
    out = []
    for t in sample.transactions():
        if t.kind is TransactionKind.PAYMENT or t.sku is None:
            out.append(t)
            continue
        cost = Money(CONTEXT.multiply(t.quantity, Decimal(UNIT_COSTS[t.sku])), _CNY)
        out.append(Transaction.model_validate({**t.model_dump(), "cost": cost}))
    return out


def report() -> ProfitabilityReport:
    """Each partner's contribution in the quarter: margin less rebates, funds, costs, financing."""
    rebates = {pid: s.result.amount for pid, s in settlements().items()}
    funds = {b.partner_id: b.claimed for b in balances()}
    days = {p.id: Decimal(p.payment_terms_days) for p in sample.partners()}
    return profitability(
        _with_costs(),
        sample.QUARTER,
        costs=COSTS,
        rebates=rebates,
        funds=funds,
        financing_rate=FINANCING_RATE,
        receivable_days=days,
    )


def _money(m: Money | None) -> str:
    return "-" if m is None else fmt_amount(m.amount)


def _reasons(reasons: Sequence[RequestReason | ClaimReason], lang: str) -> str:
    return ", ".join(r.code.label(lang) for r in reasons) or "-"


def _fund_tables(lang: str) -> list[str]:
    alloc = allocation()
    granted = pick(lang, "Allocations ({s}):", "分配额度（{s}）：").format(
        s=pick(lang, "scaled to the budget", "按预算等比缩减")
        if alloc.scaled
        else pick(lang, "within the budget", "未超预算")
    )
    alloc_rows = [[pid, _money(m)] for pid, m in alloc.amounts.items()]
    committed: dict[str, Money] = {}
    request_rows = []
    for r in REQUESTS:
        before = committed.get(r.partner_id, Money.zero(_CNY))
        d = decide_request(PROGRAM, r, allocation=alloc.amounts[r.partner_id], committed=before)
        committed[r.partner_id] = before + d.approved
        share = Money(CONTEXT.multiply(r.planned_cost.amount, PROGRAM.reimbursement_rate), _CNY)
        request_rows.append(
            [
                r.id,
                r.partner_id,
                r.activity,
                _money(share.rounded()),
                _money(d.approved),
                d.outcome.label(lang),
                _reasons(d.reasons, lang),
            ]
        )
    approved = {r.id: committed[r.partner_id] for r in REQUESTS}
    requests = {r.id: r for r in REQUESTS}
    claimed: dict[str, Money] = {}
    claim_rows = []
    for c in CLAIMS:
        before = claimed.get(c.request_id, Money.zero(_CNY))
        cd = decide_claim(
            PROGRAM,
            c,
            requests[c.request_id],
            approved=approved[c.request_id],
            claimed_before=before,
            as_of=AS_OF,
        )
        claimed[c.request_id] = before + cd.approved
        claim_rows.append(
            [
                c.id,
                c.request_id,
                c.submitted.isoformat(),
                _money(c.amount),
                _money(cd.approved),
                cd.outcome.label(lang),
                _reasons(cd.reasons, lang),
            ]
        )
    balance_rows = [
        [
            b.partner_id,
            _money(b.allocated),
            _money(b.committed),
            _money(b.claimed),
            _money(b.paid),
            _money(b.available),
            _money(b.expired),
        ]
        for b in balances()
    ]
    if lang == "en":
        heads = (
            ["partner", f"allocated ({_CNY})"],
            ["request", "partner", "activity", "share", "approved", "decision", "reasons"],
            ["claim", "request", "submitted", "amount", "approved", "decision", "reasons"],
            ["partner", "allocated", "committed", "claimed", "paid", "available", "expired"],
        )
    else:
        heads = (
            ["伙伴", f"分配额度（{_CNY}）"],
            ["申请", "伙伴", "活动", "厂家承担", "批准", "决定", "原因"],
            ["报销", "申请", "提交日", "金额", "批准", "决定", "原因"],
            ["伙伴", "分配", "已承诺", "已报销", "已支付", "可用", "已过期"],
        )
    return [
        granted,
        table(heads[0], alloc_rows, right=[1]),
        pick(lang, "Fund requests:", "费用申请："),
        table(heads[1], request_rows, right=[3, 4]),
        pick(lang, "Claims:", "报销申请："),
        table(heads[2], claim_rows, right=[3, 4]),
        pick(lang, "Balances on {d}:", "{d} 的余额：").format(d=AS_OF.isoformat()),
        table(heads[3], balance_rows, right=[1, 2, 3, 4, 5, 6]),
    ]


def _profit_table(lang: str) -> list[str]:
    rep = report()
    rows = [
        [
            row.partner_id or pick(lang, "total", "合计"),
            _money(row.net_sales),
            _money(row.gross_profit),
            _money(row.rebates),
            _money(row.funds),
            _money(sum(row.costs.values(), Money.zero(_CNY))),
            _money(row.financing_cost),
            _money(row.contribution),
            "-" if row.contribution_margin is None else fmt_pct(row.contribution_margin, 1),
        ]
        for row in (*rep.rows, rep.total)
    ]
    headers = (
        [
            "partner",
            "net sales",
            "gross profit",
            "rebates",
            "funds",
            "costs",
            "financing",
            "contribution",
            "margin",
        ]
        if lang == "en"
        else ["伙伴", "净销售额", "毛利", "返利", "基金", "费用", "资金成本", "贡献", "贡献率"]
    )
    return [
        pick(lang, "Profitability by partner ({c}):", "各伙伴盈利能力（{c}）：").format(c=_CNY),
        table(headers, rows, right=list(range(1, 9))),
        rep.explain(lang),
    ]


def section(lang: str = "en") -> str:
    """The programme, its requests, claims and balances, then the profitability table."""
    intro = pick(
        lang,
        "Programme {id}: budget {b} {c}; tier quotas {q}; plus {a} of net sales; {r} of an "
        "approved activity's cost reimbursed; claims within {w} days of its end.",
        "基金计划 {id}：预算 {b} {c}；分级额度 {q}；另按净销售额的 {a} 计提；"
        "批准活动费用由厂家承担 {r}；活动结束后 {w} 天内报销。",
    ).format(
        id=PROGRAM.id,
        b=fmt_amount(PROGRAM.budget.amount if PROGRAM.budget is not None else Decimal(0), 0),
        c=_CNY,
        q=", ".join(f"{t} {fmt_amount(m.amount, 0)}" for t, m in PROGRAM.tier_quotas.items()),
        a=fmt_pct(PROGRAM.accrual_rate, 0),
        r=fmt_pct(PROGRAM.reimbursement_rate, 0),
        w=PROGRAM.claim_window_days,
    )
    return "\n\n".join(
        [
            heading(pick(lang, "Incentive funds and profitability", "激励基金与渠道盈利")),
            intro,
            *_fund_tables(lang),
            *_profit_table(lang),
        ]
    )
