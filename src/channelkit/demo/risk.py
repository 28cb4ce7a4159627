"""Demo section: the sample channel's risk register, assessed, with its heat map and summary."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from channelkit.demo import sample
from channelkit.demo.text import heading, table
from channelkit.labels import check_lang, fmt_number, fmt_pct, pick
from channelkit.numeric import CONTEXT
from channelkit.risk import (
    Indicator,
    RiskCategory,
    RiskItem,
    RiskMatrix,
    RiskStatus,
    assess,
    heatmap,
    summarize,
)
from channelkit.scales import Direction
from channelkit.transactions import TransactionKind

__all__ = ["AS_OF", "ORDER", "below_floor_share", "register", "section"]

ORDER = 80
"""Where the section stands in the demo: last, after conflicts (70)."""

AS_OF = dt.date(2026, 9, 30)
"""The day the register is reviewed: the last day of the sample quarter."""

_D = dt.date


def below_floor_share() -> Decimal:
    """Units sold below the SKU's price floor over all units sold in the sample quarter.

    Examples
    --------
    >>> below_floor_share()  # O-MALL's 15 AC-100 at 2,450 (floor 2,600) of 400 units
    Decimal('0.0375')
    """
    sold = below = Decimal(0)
    for t in sample.transactions():
        if t.kind is not TransactionKind.SALE or t.date not in sample.QUARTER:
            continue
        sold += t.quantity
        floor = sample.FLOORS.get(t.sku or "")
        if floor is not None and t.unit_price is not None and t.unit_price < floor:
            below += t.quantity
    return CONTEXT.divide(below, sold)


def _terms(partner_id: str) -> int:
    return next(p.payment_terms_days for p in sample.partners() if p.id == partner_id)


def register(lang: str = "en") -> tuple[RiskItem, ...]:
    """The sample risk register, titles in ``lang``.

    Indicator readings come from the sample quarter where it has them (the share of units sold
    below the price floor; D-NORTH's payment terms as the DSO amber line) and are stated
    otherwise (as a credit controller's or IT's report would give them).
    """
    check_lang(lang)
    return (
        RiskItem(
            id="R-01",
            title=pick(lang, "D-NORTH pays beyond its terms", "D-NORTH 回款超出账期"),
            category=RiskCategory.CREDIT,
            likelihood=3,
            impact=4,
            control_effectiveness=Decimal("0.25"),
            partner_id="D-NORTH",
            owner="credit",
            identified=_D(2026, 3, 1),
            review_by=_D(2026, 9, 15),
            status=RiskStatus.MITIGATING,
            indicators=(
                Indicator(
                    key="dso", value=Decimal(63), amber=Decimal(_terms("D-NORTH")), red=Decimal(60)
                ),
                Indicator(
                    key="overdue_share",
                    value=Decimal("0.08"),
                    amber=Decimal("0.10"),
                    red=Decimal("0.20"),
                ),
            ),
        ),
        RiskItem(
            id="R-02",
            title=pick(lang, "Price war on AC-100 online", "AC-100 线上价格战"),
            category=RiskCategory.MARKET,
            likelihood=5,
            impact=4,
            control_effectiveness=Decimal("0.1"),
            partner_id="O-MALL",
            owner="sales",
            identified=_D(2026, 8, 10),
            review_by=_D(2026, 10, 15),
            indicators=(
                Indicator(
                    key="below_floor_share",
                    value=below_floor_share(),
                    amber=Decimal("0.02"),
                    red=Decimal("0.05"),
                ),
            ),
        ),
        RiskItem(
            id="R-03",
            title=pick(lang, "Rebate settlement held up", "返利结算延误"),
            category=RiskCategory.FUNDS_SETTLEMENT,
            likelihood=2,
            impact=5,
            control_effectiveness=Decimal("0.5"),
            owner="finance",
            identified=_D(2026, 1, 15),
            review_by=_D(2026, 9, 1),
            status=RiskStatus.MITIGATING,
            indicators=(
                Indicator(
                    key="collection_rate",
                    value=Decimal("0.91"),
                    amber=Decimal("0.95"),
                    red=Decimal("0.85"),
                    direction=Direction.HIGHER_IS_BETTER,
                ),
            ),
        ),
        RiskItem(
            id="R-04",
            title=pick(lang, "Partner portal accounts shared", "渠道门户账号共用"),
            category=RiskCategory.INFORMATION_SECURITY,
            likelihood=3,
            impact=3,
            control_effectiveness=Decimal("0.6"),
            owner="it",
            identified=_D(2026, 5, 20),
            review_by=_D(2026, 12, 31),
            status=RiskStatus.MITIGATING,
            indicators=(
                Indicator(
                    key="shared_accounts", value=Decimal(0), amber=Decimal(1), red=Decimal(3)
                ),
            ),
        ),
        RiskItem(
            id="R-05",
            title=pick(lang, "Shelf space lost in GD outlets", "广东终端陈列位流失"),
            category=RiskCategory.TERMINAL,
            likelihood=3,
            impact=2,
            partner_id="R-SOUTH",
            owner="sales",
            identified=_D(2026, 6, 1),
            indicators=(
                Indicator(
                    key="distribution_rate",
                    value=Decimal("0.62"),
                    amber=Decimal("0.70"),
                    red=Decimal("0.60"),
                    direction=Direction.HIGHER_IS_BETTER,
                ),
            ),
        ),
        RiskItem(
            id="R-06",
            title=pick(lang, "New rules on online promotions", "线上促销新规"),
            category=RiskCategory.POLICY,
            likelihood=3,
            impact=5,
            owner="legal",
            identified=_D(2026, 7, 1),
            review_by=AS_OF,
            status=RiskStatus.ACCEPTED,
        ),
    )


def _heat_table(items: tuple[RiskItem, ...], lang: str) -> str:
    grid = heatmap(items)
    corner = pick(lang, "likelihood \\ impact", "可能性 \\ 影响")
    rows = [[str(lk)] + [str(n) if n else "." for n in grid[lk - 1]] for lk in range(5, 0, -1)]
    return table([corner, "1", "2", "3", "4", "5"], rows, right=[0, 1, 2, 3, 4, 5])


def section(lang: str = "en") -> str:
    """The register assessed, its early-warning signals, heat map and summary."""
    items = register(lang)
    matrix = RiskMatrix()
    assessed = [(item, assess(item, matrix)) for item in items]
    rows = [
        [
            item.id,
            item.category.label(lang),
            item.title,
            item.partner_id or "-",
            str(a.likelihood),
            str(a.impact),
            fmt_number(a.inherent, grouping=False),
            fmt_pct(a.control_effectiveness),
            fmt_number(a.residual, grouping=False),
            a.rating.label(lang),
        ]
        for item, a in assessed
    ]
    headers = (
        [
            "risk",
            "category",
            "title",
            "partner",
            "L",
            "I",
            "inherent",
            "controls",
            "residual",
            "rating",
        ]
        if lang == "en"
        else ["风险", "类别", "标题", "伙伴", "可能性", "影响", "固有", "控制", "剩余", "评级"]
    )
    signal_rows = [
        [
            item.id,
            ind.key,
            fmt_number(ind.value, grouping=False),
            fmt_number(ind.amber, grouping=False),
            fmt_number(ind.red, grouping=False),
            ind.direction.label(lang),
            a.signals[ind.key].label(lang),
        ]
        for item, a in assessed
        for ind in item.indicators
    ]
    signal_headers = (
        ["risk", "indicator", "value", "amber", "red", "direction", "signal"]
        if lang == "en"
        else ["风险", "指标", "读数", "黄灯线", "红灯线", "方向", "信号"]
    )
    bands = pick(
        lang,
        "Rated on the residual: Low up to {l}, Medium up to {m}, High up to {h}, Critical above.",
        "按剩余风险评级：不超过 {l} 为低，不超过 {m} 为中，不超过 {h} 为高，以上为严重。",
    ).format(
        l=fmt_number(matrix.low_max, grouping=False),
        m=fmt_number(matrix.medium_max, grouping=False),
        h=fmt_number(matrix.high_max, grouping=False),
    )
    return "\n\n".join(
        [
            heading(pick(lang, "Channel risk register", "渠道风险登记")),
            pick(lang, "Reviewed on {d}. ", "复核日 {d}。").format(d=AS_OF) + bands,
            table(headers, rows, right=[4, 5, 6, 7, 8]),
            pick(lang, "Early-warning indicators", "风险预警指标"),
            table(signal_headers, signal_rows, right=[2, 3, 4]),
            pick(
                lang,
                "Heat map (risks per cell; likelihood rows, impact columns)",
                "风险热力图（每格风险数；行为可能性，列为影响）",
            ),
            _heat_table(items, lang),
            summarize(items, as_of=AS_OF, matrix=matrix).explain(lang),
            assessed[0][1].explain(lang),
        ]
    )
