"""Demo section: the quarter's rebate settlement (返利结算) for the sample partners."""

from __future__ import annotations

from decimal import Decimal, localcontext

from channelkit.demo import sample
from channelkit.demo.text import heading, table
from channelkit.labels import fmt_amount, fmt_pct, pick
from channelkit.numeric import CONTEXT, quantize_places
from channelkit.rebates import (
    Bracket,
    Condition,
    RebatePolicy,
    Settlement,
    settle,
    settle_all,
)
from channelkit.transactions import TransactionKind

__all__ = ["ORDER", "POLICY", "section"]

ORDER = 30
"""Where the section stands in the demo (after the review, 10, and the overview, 20)."""

POLICY = RebatePolicy(
    id="Q-LADDER",
    name="Quarterly sales ladder",
    currency=sample.CURRENCY,
    brackets=(
        Bracket(start=Decimal(0), rate=Decimal("0.01")),
        Bracket(start=Decimal(100_000), rate=Decimal("0.02")),
        Bracket(start=Decimal(200_000), rate=Decimal("0.03")),
        Bracket(start=Decimal(400_000), rate=Decimal("0.04")),
    ),
    threshold=Decimal(50_000),
    cap=Decimal(20_000),
    conditions=(
        Condition(metric="collection_rate", minimum=Decimal("0.5"), factor=Decimal("0.5")),
    ),
)
"""The sample programme: a graduated quarterly ladder (梯级返利) on net sales, a 50,000
threshold, a 20,000 cap, and half the rebate when the collection rate (回款率) is below 50%."""


def _collection_rates() -> dict[str, Decimal]:
    """Each sample partner's collections over net sales in the quarter, to four places.

    A partner without net sales counts as 0 (nothing to collect on, nothing earned either).
    """
    sums: dict[str, list[Decimal]] = {p.id: [Decimal(0), Decimal(0)] for p in sample.partners()}
    with localcontext(CONTEXT):
        for t in sample.transactions():
            if t.partner_id is None or t.date not in sample.QUARTER:
                continue
            row = sums[t.partner_id]
            if t.kind is TransactionKind.PAYMENT:
                row[1] += t.amount.amount
            elif t.kind is TransactionKind.SALE:
                row[0] += t.amount.amount
            else:
                row[0] -= t.amount.amount
    return {
        pid: quantize_places(CONTEXT.divide(paid, net), 4) if net > 0 else Decimal(0)
        for pid, (net, paid) in sums.items()
    }


def settlements() -> dict[str, Settlement]:
    """The quarter's settlement of every sample partner, those that did not trade included."""
    rates = _collection_rates()
    metrics = {pid: {"collection_rate": rate} for pid, rate in rates.items()}
    txs = sample.transactions()
    out = settle_all(POLICY, txs, sample.QUARTER, metrics=metrics)
    for p in sample.partners():
        if p.id not in out:
            out[p.id] = settle(POLICY, txs, sample.QUARTER, partner_id=p.id, metrics=metrics[p.id])
    return out


def section(lang: str = "en") -> str:
    """The policy, one row per partner (basis, bracket, rebate, gap) and one explanation."""
    cur = sample.CURRENCY
    results = settlements()
    rates = _collection_rates()
    rows = []
    for p in sample.partners():
        s = results[p.id]
        r = s.result
        nb = r.next_bracket
        rows.append(
            [
                p.id,
                fmt_amount(s.basis),
                fmt_pct(r.lines[-1].rate) if r.lines else "-",
                fmt_pct(rates[p.id], 1),
                fmt_amount(r.amount.amount),
                "-" if nb is None else f"{fmt_amount(nb.gap)} -> {fmt_pct(nb.rate)}",
            ]
        )
    headers = (
        ["partner", f"net sales ({cur})", "bracket", "collected", "rebate", "to next step"]
        if lang == "en"
        else ["伙伴", f"净销售额（{cur}）", "档位", "回款率", "返利", "距下一档"]
    )
    ladder = pick(lang, ", ", "，").join(
        pick(lang, "{r} from {s}", "{s} 起 {r}").format(r=fmt_pct(b.rate), s=fmt_amount(b.start, 0))
        for b in POLICY.brackets
    )
    intro = pick(
        lang,
        "Policy {id} ({mode}, on {basis}): {ladder}; threshold {t}; a collection rate below "
        "50% halves the rebate; cap {cap} {cur}.",
        "返利政策 {id}（{mode}，按{basis}）：{ladder}；门槛 {t}；回款率低于 50% 返利减半；"
        "封顶 {cap} {cur}。",
    ).format(
        id=POLICY.id,
        mode=POLICY.mode.label(lang),
        basis=POLICY.basis.label(lang),
        ladder=ladder,
        t=fmt_amount(POLICY.threshold or Decimal(0), 0),
        cap=fmt_amount(POLICY.cap or Decimal(0), 0),
        cur=cur,
    )
    example = results["O-MALL"]
    return "\n\n".join(
        [
            heading(pick(lang, "Rebates: the quarter's settlement", "返利：本季度结算")),
            intro,
            table(headers, rows, right=[1, 2, 3, 4, 5]),
            pick(lang, "How one rebate was computed:", "一笔返利的计算过程："),
            example.explain(lang),
        ]
    )
