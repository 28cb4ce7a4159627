"""Demo section (the opening one): the sample quarter's channel review (渠道绩效评估)."""

from __future__ import annotations

from decimal import Decimal

from channelkit.demo import sample
from channelkit.demo.text import heading, table
from channelkit.labels import fmt_amount, fmt_pct, pick
from channelkit.money import Money
from channelkit.partners import PartnerKind
from channelkit.review import ChannelReview, GroupRow, review

__all__ = ["ORDER", "TARGETS", "section", "sample_review"]

ORDER = 10
"""The channel review opens the demo."""

TARGETS: dict[str, Decimal] = {
    "D-NORTH": Decimal(500_000),
    "D-EAST": Decimal(280_000),
    "R-SOUTH": Decimal(120_000),
    "S-WEST": Decimal(150_000),
    "O-MALL": Decimal(60_000),
    "A-CENTRAL": Decimal(40_000),
}
"""The sample partners' net-sales targets for the quarter (CNY)."""


def sample_review() -> ChannelReview:
    """The review of the sample quarter against the same quarter a year earlier (top 3 share).

    Examples
    --------
    >>> r = sample_review()
    >>> r.total.net_sales, r.laggards
    (Money('1066000', 'CNY'), ('R-SOUTH', 'A-CENTRAL'))
    """
    return review(
        sample.transactions(),
        sample.QUARTER,
        partners=sample.partners(),
        prior=sample.PRIOR,
        targets=TARGETS,
        top=3,
    )


def _amt(m: Money | None) -> str:
    return "-" if m is None else fmt_amount(m.amount, m.places)


def _pct(d: Decimal | None) -> str:
    return "-" if d is None else fmt_pct(d, 1)


def _group_table(rows: tuple[GroupRow, ...], first: str, lang: str, *, kinds: bool) -> str:
    headers = (
        [first, "net sales", "share", "prior", "growth"]
        if lang == "en"
        else [first, "净销售额", "占比", "对比期", "增长率"]
    )
    body = [
        [
            PartnerKind(g.key).label(lang) if kinds else (g.key or "-"),
            _amt(g.figures.net_sales),
            _pct(g.share),
            _amt(g.prior_net_sales),
            _pct(g.growth),
        ]
        for g in rows
    ]
    return table(headers, body, right=[1, 2, 3, 4])


def section(lang: str = "en") -> str:
    """The review's summary, then the partner, territory and partner-kind tables."""
    r = sample_review()
    partner_headers = (
        [
            "partner",
            "kind",
            "net sales",
            "share",
            "growth",
            "target",
            "attained",
            "collected",
            "returns",
            "avg order",
        ]
        if lang == "en"
        else [
            "伙伴",
            "类型",
            "净销售额",
            "占比",
            "增长率",
            "目标",
            "达成率",
            "回款率",
            "退货率",
            "平均订单",
        ]
    )
    partner_rows = [
        [
            row.partner_id,
            "-" if row.kind is None else row.kind.label(lang),
            _amt(row.figures.net_sales),
            _pct(row.share),
            _pct(row.growth),
            _amt(row.target),
            _pct(row.attainment),
            _pct(row.collection_rate),
            _pct(row.return_rate),
            _amt(row.average_order),
        ]
        for row in r.partners
    ]
    title = pick(lang, "Channel review of {q}", "{q} 渠道绩效评估").format(q=sample.QUARTER)
    return "\n\n".join(
        [
            heading(title),
            r.explain(lang),
            pick(lang, "Partners (CNY)", "渠道伙伴（CNY）"),
            table(partner_headers, partner_rows, right=list(range(2, 10))),
            pick(lang, "Territories (CNY)", "区域（CNY）"),
            _group_table(r.territories, pick(lang, "territory", "区域"), lang, kinds=False),
            pick(lang, "Partner kinds (CNY)", "渠道类型（CNY）"),
            _group_table(r.kinds, pick(lang, "kind", "类型"), lang, kinds=True),
        ]
    )
