"""The channel review's explanation, in English and Chinese (kept apart from the models)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from channelkit.labels import check_lang, fmt_amount, fmt_pct, pick
from channelkit.money import Money

if TYPE_CHECKING:
    from channelkit.review.models import ChannelReview, PartnerRow

__all__ = ["explain_review"]


def _pct(value: Decimal | None, lang: str) -> str:
    return pick(lang, "n/a", "无") if value is None else fmt_pct(value)


def _amt(value: Money | None, lang: str) -> str:
    return pick(lang, "n/a", "无") if value is None else fmt_amount(value.amount, value.places)


def _join(items: list[str] | tuple[str, ...], lang: str) -> str:
    return pick(lang, ", ", "、").join(items)


def _partner_line(label: str, row: PartnerRow, lang: str) -> str:
    text = pick(
        lang,
        "{label}: {id}, net sales {net} (share {share}, growth {growth})",
        "{label}：{id}，净销售额 {net}（占比 {share}，增长率 {growth}）",
    ).format(
        label=label,
        id=row.partner_id,
        net=_amt(row.figures.net_sales, lang),
        share=_pct(row.share, lang),
        growth=_pct(row.growth, lang),
    )
    if row.target is not None:
        text += pick(lang, ", attainment {a}", "，目标达成率 {a}").format(
            a=_pct(row.attainment, lang)
        )
    return text


def explain_review(r: ChannelReview, lang: str = "en") -> str:
    """The text of [`ChannelReview.explain`][]."""
    check_lang(lang)
    sep = pick(lang, ", ", "，")
    lines: list[str] = []
    head = pick(lang, "Channel review {p} in {c}", "渠道绩效评估 {p}（{c}）").format(
        p=r.period, c=r.currency
    )
    if r.prior is not None:
        head += pick(lang, ", against {q}", "，对比期 {q}").format(q=r.prior)
    lines.append(head)
    t = r.total
    sales = pick(
        lang,
        "Net sales {net} (gross {gross} - returns {ret})",
        "净销售额 {net}（销售额 {gross} - 退货 {ret}）",
    ).format(
        net=_amt(t.net_sales, lang), gross=_amt(t.gross_sales, lang), ret=_amt(t.returns, lang)
    )
    if r.prior is not None:
        sales += sep + pick(lang, "prior {p}, growth {g}", "对比期 {p}，增长率 {g}").format(
            p=_amt(r.prior_net_sales, lang), g=_pct(r.growth, lang)
        )
    lines.append(sales)
    lines.append(
        pick(
            lang,
            "Direct {d}, indirect {i} (indirect share {s}); collections {c}",
            "直接渠道 {d}，间接渠道 {i}（间接渠道占比 {s}）；回款 {c}",
        ).format(
            d=_amt(r.direct.net_sales, lang),
            i=_amt(r.indirect.net_sales, lang),
            s=_pct(r.indirect_share, lang),
            c=_amt(t.collections, lang),
        )
    )
    cov = r.coverage
    partners = pick(
        lang, "Partners: {a} of {n} active, {k} new", "渠道伙伴：活跃 {a}/{n}，新签 {k}"
    ).format(a=cov.active_partners, n=cov.partners, k=cov.new_partners)
    if cov.new_partner_ids:
        partners += pick(lang, " ({ids})", "（{ids}）").format(ids=_join(cov.new_partner_ids, lang))
    lines.append(partners)
    if cov.territories:
        territories = pick(
            lang,
            "Territory coverage: {c} of {n} ({rate})",
            "区域覆盖率：{c}/{n}（{rate}）",
        ).format(c=cov.territories_covered, n=cov.territories, rate=_pct(cov.coverage_rate, lang))
        if cov.uncovered:
            territories += pick(lang, "; not covered: {u}", "；未覆盖：{u}").format(
                u=_join(cov.uncovered, lang)
            )
        lines.append(territories)
    con = r.concentration
    if con.hhi is not None:
        lines.append(
            pick(
                lang,
                "Concentration: top {n} share {s}, HHI {h}",
                "渠道集中度：前 {n} 名占比 {s}，HHI {h}",
            ).format(n=con.top, s=_pct(con.top_share, lang), h=fmt_amount(con.hhi, 0))
        )
    if r.partners:
        lines.append(_partner_line(pick(lang, "Top partner", "头部伙伴"), r.partners[0], lang))
        if len(r.partners) > 1:
            lines.append(
                _partner_line(pick(lang, "Bottom partner", "尾部伙伴"), r.partners[-1], lang)
            )
    else:
        lines.append(pick(lang, "No partner rows", "无渠道伙伴数据"))
    rows = {row.partner_id: row for row in r.partners}
    if r.laggards:
        lagging = _join(
            [f"{pid} {_pct(rows[pid].attainment, lang)}" for pid in r.laggards],
            lang,
        )
        lines.append(
            pick(
                lang,
                "Laggards (attainment below {b}): {ids}",
                "落后伙伴（目标达成率低于 {b}）：{ids}",
            ).format(b=fmt_pct(r.laggard_below), ids=lagging)
        )
    else:
        lines.append(
            pick(
                lang, "No laggards (attainment below {b})", "无落后伙伴（目标达成率低于 {b}）"
            ).format(b=fmt_pct(r.laggard_below))
        )
    return "\n".join(lines)
