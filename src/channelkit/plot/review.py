"""The channel review chart (渠道绩效评估): the partners' Pareto and the shares by territory."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from channelkit.errors import expect
from channelkit.labels import fmt_amount, fmt_pct
from channelkit.numeric import CONTEXT, add_all
from channelkit.plot._base import (
    BLUE,
    GREY,
    ORANGE,
    RED,
    drawn,
    font,
    legend,
    new_figure,
    number_axis,
    percent_axis,
    period_label,
    require,
    short,
    style_axes,
)
from channelkit.plot._fonts import Fonts
from channelkit.review import ChannelReview, GroupRow, PartnerRow

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["review_chart"]

BARS: Final = 15
"""Partners (and territories) drawn one by one; the rest are summed in one "others" bar."""
_ZERO: Final = Decimal(0)


def cumulative_shares(rows: tuple[PartnerRow, ...]) -> list[Decimal] | None:
    """The Pareto line: each row's share of the partners' positive net sales, accumulated.

    ``None`` when no partner has positive net sales (there is nothing to share).

    Examples
    --------
    >>> from channelkit.demo import sample
    >>> from channelkit.review import review
    >>> r = review(sample.transactions(), sample.QUARTER, partners=sample.partners())
    >>> [f"{s:.3f}" for s in cumulative_shares(r.partners)]
    ['0.436', '0.691', '0.847', '0.928', '1.000', '1.000']
    """
    positive = [max(r.net_sales.amount, _ZERO) for r in rows]
    total = add_all(positive)
    if not total:
        return None
    out, running = [], _ZERO
    for value in positive:
        running = CONTEXT.add(running, value)
        out.append(CONTEXT.divide(running, total))
    return out


def review_chart(review: ChannelReview, *, lang: str = "en") -> Figure:
    r"""A channel review at a glance: the partners' Pareto and the shares by territory.

    Parameters
    ----------
    review
        The result of [`review`][channelkit.review.review].
    lang
        ``"en"`` or ``"zh"``: the language of the labels.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes. Left, the Pareto: a column per partner row (largest net sales first; the
        first 15, the rest summed in one "others" column), laggards in red, each target as a
        black tick, each attainment written above its column, and the cumulative share of the
        partners' net sales on the right scale. Right, each territory's share of the total net
        sales (the first 15, the rest summed). The title gives the period, the total net sales
        and the growth. Never shown or saved.

    Raises
    ------
    ArgumentTypeError
        ``review`` is not a ``ChannelReview`` (a ``TypeError``).
    ArgumentError
        ``lang`` is not ``"en"`` or ``"zh"``.
    ImportError
        matplotlib is not installed (``pip install 'channelkit[plot]'``).

    Notes
    -----
    Every figure is a field of ``review`` or computed from them in ``Decimal``: the columns are
    ``figures.net_sales``, the ticks ``target``, the marks ``attainment``, the territory bars
    ``share`` (``None`` shares, when the total is not positive, leave the panel empty). With
    $n_i$ the net sales of the $i$-th row, the Pareto line is

    $$
    \text{cumulative}_k = \frac{\sum_{i \le k} \max(n_i, 0)}{\sum_i \max(n_i, 0)}
    $$

    over every row (the "others" column reaches 1), the partners' non-negative net sales as the
    concentration reads them; no line when no partner sold more than it took back. A review
    without partner rows draws an empty panel saying so. Amounts are converted to ``float``
    only to be drawn.

    Examples
    --------
    >>> from channelkit.demo import sample
    >>> from channelkit.review import review
    >>> r = review(sample.transactions(), sample.QUARTER, partners=sample.partners(),
    ...            targets={"D-NORTH": 400_000, "D-EAST": 400_000})
    >>> fig = review_chart(r)
    >>> pareto, shares = fig.axes[:2]
    >>> [label.get_text() for label in pareto.get_xticklabels()][:2]
    ['D-NORTH', 'D-EAST']
    >>> sorted(t.get_text() for t in pareto.texts)
    ['109%', '64%']
    >>> fig.get_suptitle()
    'Channel review 2026Q3: net sales 1,066,000.00 CNY'
    """
    require()
    expect(review, ChannelReview, "review", "a ChannelReview")
    fonts = Fonts(lang)
    fig = new_figure(13, 5.5)
    pareto, territories = fig.subplots(1, 2, width_ratios=[3, 2])
    for ax in (pareto, territories):
        style_axes(ax, fonts)
    handles = _pareto(pareto, fonts, review)
    _territories(territories, fonts, review)
    if handles:
        legend(fig, fonts, handles)
    title = fonts.pick(
        "Channel review {p}: net sales {t} {c}",
        "渠道绩效评估 {p}：净销售额 {t} {c}",
        p=period_label(review.period),
        t=fmt_amount(review.total.net_sales.amount, review.total.net_sales.places),
        c=review.currency,
    )
    if review.growth is not None:
        title += fonts.pick(", growth {g}", "，增长 {g}", g=fmt_pct(review.growth, 1))
    fig.suptitle(title, **font(fonts))
    return fig


def _empty(ax: Axes, fonts: Fonts, text: str) -> None:
    """An axes with nothing to draw: no ticks, and ``text`` in the middle."""
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, **font(fonts))
    ax.set_xticks([])
    ax.set_yticks([])


def _pareto(ax: Axes, fonts: Fonts, review: ChannelReview) -> list[Any]:
    """The partners' net sales, largest first, with targets, attainment and the Pareto line.

    Returns the legend's handles (none when there is no partner row).
    """
    from matplotlib.patches import Patch

    ax.set_title(fonts.pick("Partners' net sales", "渠道伙伴净销售额"), **font(fonts))
    rows = review.partners
    if not rows:
        _empty(ax, fonts, fonts.pick("No partner rows", "无渠道伙伴"))
        return []
    shown, rest = rows[:BARS], rows[BARS:]
    names = [fonts.text(short(r.partner_id)) for r in shown]
    heights = [r.net_sales.amount for r in shown]
    laggards = set(review.laggards)
    colours = [RED if r.partner_id in laggards else BLUE for r in shown]
    if rest:
        names.append(fonts.pick("Others ({n})", "其他（{n} 家）", n=len(rest)))
        heights.append(add_all(r.net_sales.amount for r in rest))
        colours.append(GREY)
    positions = list(range(len(names)))
    ax.bar(positions, [drawn(h) for h in heights], color=colours, gid="net_sales")
    handles: list[Any] = [Patch(color=BLUE, label=fonts.pick("Net sales", "净销售额"))]
    if laggards & {r.partner_id for r in shown}:
        below = fmt_pct(review.laggard_below, 1)
        handles.append(
            Patch(
                color=RED,
                label=fonts.pick(
                    "Laggard (attainment below {b})", "落后伙伴（达成率低于 {b}）", b=below
                ),
            )
        )
    targets = [(i, r.target.amount) for i, r in enumerate(shown) if r.target is not None]
    if targets:
        (marks,) = ax.plot(
            [i for i, _ in targets],
            [drawn(t) for _, t in targets],
            linestyle="none",
            marker="_",
            markersize=22,
            markeredgewidth=2.5,
            color="black",
            gid="target",
            label=fonts.pick("Target", "目标"),
        )
        handles.append(marks)
    for i, r in enumerate(shown):
        if r.attainment is not None:
            top = max(r.net_sales.amount, r.target.amount if r.target else _ZERO, _ZERO)
            ax.annotate(
                fmt_pct(r.attainment, 0),
                (i, drawn(top)),
                xytext=(0, 4),
                textcoords="offset points",
                ha="center",
                va="bottom",
                gid="attainment",
                **font(fonts, fontsize=8),
            )
    shares = cumulative_shares(rows)
    if shares is not None:
        line_ax = ax.twinx()
        style_axes(line_ax, fonts)
        points = shares[: len(shown)] + ([shares[-1]] if rest else [])
        (line,) = line_ax.plot(
            positions,
            [drawn(s) for s in points],
            color=ORANGE,
            marker="o",
            gid="cumulative",
            label=fonts.pick("Cumulative share", "累计占比"),
        )
        line_ax.set_ylim(0, 1.05)
        percent_axis(line_ax.yaxis)
        handles.append(line)
    ax.set_xticks(positions, names)
    ax.tick_params(axis="x", labelrotation=45)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("right")
    ax.axhline(0, color=GREY, linewidth=0.8)
    number_axis(ax.yaxis)
    ax.margins(y=0.12)
    ax.set_ylabel(
        fonts.pick("Net sales ({c})", "净销售额（{c}）", c=review.currency), **font(fonts)
    )
    return handles


def _territories(ax: Axes, fonts: Fonts, review: ChannelReview) -> None:
    """Each territory's share of the total net sales, largest first."""
    ax.set_title(fonts.pick("Shares by territory", "各区域销售占比"), **font(fonts))
    rows: list[GroupRow] = [t for t in review.territories if t.share is not None]
    if not rows:
        _empty(ax, fonts, fonts.pick("No positive net sales to share", "无正的净销售额可分"))
        return
    shown, rest = rows[:BARS], rows[BARS:]
    names = [
        fonts.text(short(t.key)) if t.key else fonts.pick("(none)", "（无区域）") for t in shown
    ]
    shares = [t.share or _ZERO for t in shown]  # every row kept has a share
    colours = [BLUE] * len(shown)
    if rest:
        names.append(fonts.pick("Others ({n})", "其他（{n} 个）", n=len(rest)))
        shares.append(add_all(t.share or _ZERO for t in rest))
        colours.append(GREY)
    positions = list(range(len(names)))
    bars = ax.barh(positions, [drawn(s) for s in shares], color=colours, gid="shares")
    for bar, share in zip(bars, shares, strict=True):
        ax.annotate(
            fmt_pct(share, 1),
            (bar.get_width(), bar.get_y() + bar.get_height() / 2),
            xytext=(3 if share >= 0 else -3, 0),
            textcoords="offset points",
            ha="left" if share >= 0 else "right",
            va="center",
            **font(fonts, fontsize=8),
        )
    ax.set_yticks(positions, names)
    ax.invert_yaxis()
    ax.axvline(0, color=GREY, linewidth=0.8)
    percent_axis(ax.xaxis)
    ax.margins(x=0.15)
    ax.set_xlabel(fonts.pick("Share of net sales", "销售占比"), **font(fonts))
