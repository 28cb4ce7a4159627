"""Demo section: the sample partners' scorecards and tier decisions (渠道绩效评估与分级管理).

The quarter's figures come from the sample transactions: net sales (sales less returns), growth
on the same quarter a year earlier, the collection rate (payments over net sales, 回款率) and the
return rate (returns over sales). Rates are rounded to four decimals, as a report shows them; a
figure that cannot be computed (no prior-year sales, no sales at all) is left out, and the
scorecard renormalizes over the rest.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from channelkit.demo import sample
from channelkit.demo.text import heading, table
from channelkit.kpi import collection_rate, growth_rate
from channelkit.labels import fmt_amount, fmt_pct, pick
from channelkit.numeric import CONTEXT, quantize_places
from channelkit.scales import Direction
from channelkit.scoring import Metric, MissingMetric, Scorecard
from channelkit.tiers import Requirement, Tier, TierBenefits, TierDecision, TierProgram, assign_tier
from channelkit.transactions import TransactionKind

__all__ = ["ORDER", "PROGRAM", "SCORECARD", "STORED", "decisions", "partner_metrics", "section"]

ORDER = 40
"""Where the section stands in the demo (after rebates, before credit)."""

SCORECARD = Scorecard(
    metrics=(
        Metric(key="net_sales", weight=Decimal(50), target=Decimal(400_000), cap=Decimal("1.2")),
        Metric(key="growth", weight=Decimal(20), target=Decimal("0.10"), cap=Decimal("1.2")),
        Metric(key="collection_rate", weight=Decimal(20), target=Decimal("0.90")),
        Metric(
            key="return_rate",
            weight=Decimal(10),
            target=Decimal("0.03"),
            direction=Direction.LOWER_IS_BETTER,
        ),
    ),
    missing=MissingMetric.RENORMALIZE,
)
"""The quarterly partner scorecard: volume, growth, collections and returns."""

PROGRAM = TierProgram(
    tiers=(
        Tier(
            code="GOLD",
            name="Gold",
            rank=3,
            requirements=(Requirement(metric="net_sales", minimum=Decimal(250_000)),),
            min_score=Decimal(75),
            benefits=TierBenefits(
                rebate_multiplier=Decimal("1.2"),
                credit_multiplier=Decimal("1.5"),
                payment_terms_days=60,
            ),
        ),
        Tier(
            code="SILVER",
            name="Silver",
            rank=2,
            requirements=(Requirement(metric="net_sales", minimum=Decimal(150_000)),),
            min_score=Decimal(60),
            benefits=TierBenefits(
                rebate_multiplier=Decimal("1.1"),
                credit_multiplier=Decimal("1.2"),
                payment_terms_days=45,
            ),
        ),
        Tier(
            code="BRONZE",
            name="Bronze",
            rank=1,
            requirements=(Requirement(metric="net_sales", minimum=Decimal(50_000)),),
        ),
    ),
    scorecard=SCORECARD,
    demotion_grace=1,
)
"""The sample tier programme: a tier may be failed once and kept (on watch), not twice."""

STORED = {"S-WEST": 1}
"""Missed counters stored from the previous evaluation (S-WEST already failed GOLD once)."""

_RATE_PLACES = 4


@cache
def partner_metrics() -> dict[str, dict[str, Decimal | None]]:
    """Each sample partner's figures for the quarter, by metric key (``None``: not computable)."""
    sums: dict[tuple[str | None, bool, TransactionKind], Decimal] = {}
    for t in sample.transactions():
        # the sample holds the quarter and the prior one only: "not now" is the prior quarter
        key = (t.partner_id, t.date in sample.QUARTER, t.kind)
        sums[key] = CONTEXT.add(sums.get(key, Decimal(0)), t.amount.amount)
    out: dict[str, dict[str, Decimal | None]] = {}
    for p in sample.partners():

        def total(now: bool, kind: TransactionKind, pid: str = p.id) -> Decimal:
            return sums.get((pid, now, kind), Decimal(0))

        sales = total(True, TransactionKind.SALE)
        returns = total(True, TransactionKind.RETURN)
        net = CONTEXT.subtract(sales, returns)
        prior = CONTEXT.subtract(
            total(False, TransactionKind.SALE), total(False, TransactionKind.RETURN)
        )
        paid = total(True, TransactionKind.PAYMENT)
        out[p.id] = {
            "net_sales": net,
            "growth": _rounded(growth_rate(net, prior)) if prior > 0 else None,
            "collection_rate": _rounded(collection_rate(paid, net)) if net > 0 else None,
            # returns over gross sales (退货率): the review's return rate, not a kpi function
            "return_rate": _rounded(CONTEXT.divide(returns, sales)) if sales > 0 else None,
        }
    return out


def _rounded(rate: Decimal) -> Decimal:
    return quantize_places(rate, _RATE_PLACES)


@cache
def decisions() -> dict[str, TierDecision]:
    """Each sample partner's tier decision for the quarter."""
    figures = partner_metrics()
    return {
        p.id: assign_tier(PROGRAM, figures[p.id], current=p.tier, missed=STORED.get(p.id, 0))
        for p in sample.partners()
    }


def section(lang: str = "en") -> str:
    """The scorecard, the programme, each partner's score and tier, and two explanations."""
    card_rows = [
        [
            m.key,
            str(m.weight),
            str(m.target),
            m.direction.label(lang),
            fmt_pct(m.cap),
        ]
        for m in SCORECARD.metrics
    ]
    card_headers = pick(
        lang, "metric|weight|target|direction|cap", "指标|权重|目标|方向|封顶"
    ).split("|")
    tier_rows = [
        [
            t.code,
            t.name,
            str(t.rank),
            ", ".join(f"{r.metric} >= {fmt_amount(r.minimum, 0)}" for r in t.requirements),
            "-" if t.min_score is None else str(t.min_score),
            f"x{t.benefits.rebate_multiplier}",
            f"x{t.benefits.credit_multiplier}",
            "-" if t.benefits.payment_terms_days is None else str(t.benefits.payment_terms_days),
        ]
        for t in reversed(PROGRAM.ranked)
    ]
    tier_headers = pick(
        lang,
        "tier|name|rank|requirements|min score|rebate|credit|terms",
        "级别|名称|等级|达标条件|最低得分|返利系数|信用系数|账期（天）",
    ).split("|")
    figures = partner_metrics()
    rows = []
    for pid, d in decisions().items():
        f = figures[pid]
        rows.append(
            [
                pid,
                fmt_amount(f["net_sales"] or Decimal(0)),
                *(_pct(f[k]) for k in ("growth", "collection_rate", "return_rate")),
                "-" if d.score is None else fmt_amount(d.score.total),
                "-" if d.previous is None else d.previous.code,
                "-" if d.tier is None else d.tier.code,
                d.change.label(lang),
                str(d.missed),
            ]
        )
    headers = pick(
        lang,
        "partner|net sales|growth|collection|returns|score|was|tier|change|missed",
        "伙伴|净销售额|增长率|回款率|退货率|得分|原级别|新级别|变动|未达标次数",
    ).split("|")
    title = pick(lang, "Scorecards and tiers", "评分卡与分级")
    intro = pick(
        lang,
        "Quarterly evaluation in {q}: scorecard (missing figures: {m}), "
        "tier programme (demotion grace {g})",
        "{q} 季度评估：评分卡（缺失指标：{m}），分级方案（降级宽限 {g} 次）",
    ).format(q=sample.QUARTER, m=SCORECARD.missing.label(lang), g=PROGRAM.demotion_grace)
    chosen = decisions()
    blocks = [
        heading(title),
        intro,
        table(card_headers, card_rows, right=[1, 2, 4]),
        table(tier_headers, tier_rows, right=[2, 4, 5, 6, 7]),
        table(headers, rows, right=[1, 2, 3, 4, 5, 9]),
    ]
    for pid in ("O-MALL", "D-EAST", "S-WEST"):
        d = chosen[pid]
        scored = [s.explain(lang) for s in (d.score,) if s is not None]  # always one
        blocks.append("\n".join([f"{pid}:", *scored, d.explain(lang)]))
    return "\n\n".join(blocks)


def _pct(value: Decimal | None) -> str:
    return "-" if value is None else fmt_pct(value, 1)
