"""The aging chart (账龄图): a partner's open items by aging bucket."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from channelkit.credit import Aging
from channelkit.errors import expect
from channelkit.labels import fmt_amount, fmt_pct
from channelkit.plot._base import drawn, font, new_figure, number_axis, require, style_axes
from channelkit.plot._fonts import Fonts

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["aging_chart"]

BUCKET_COLOURS: Final = ("#8fcf8f", "#f5dc6b", "#f2a054", "#e07050", "#c0392b")
"""CURRENT to OVER_90: green through red."""


def aging_chart(aging: Aging, *, lang: str = "en") -> Figure:
    r"""The aging of open items as columns, one per bucket, current first.

    Parameters
    ----------
    aging
        The result of [`aging`][channelkit.aging].
    lang
        ``"en"`` or ``"zh"``: the language of the labels.

    Returns
    -------
    matplotlib.figure.Figure
        One axes: a column per [`AgingBucket`][channelkit.AgingBucket] in order, its height the
        bucket's open amount, labelled with the amount and the number of items; the title gives
        the day, the open total and the overdue share. Never shown or saved.

    Raises
    ------
    ArgumentTypeError
        ``aging`` is not an ``Aging`` (a ``TypeError``).
    ArgumentError
        ``lang`` is not ``"en"`` or ``"zh"``.
    ImportError
        matplotlib is not installed (``pip install 'channelkit[plot]'``).

    Notes
    -----
    Every figure shown is a field of ``aging``: the columns are ``aging.buckets`` (they sum to
    ``open_total``), the labels ``aging.counts``, the title ``open_total`` and

    $$
    \text{overdue share} = \frac{\text{overdue total}}{\text{open total}}
    $$

    (0 when nothing is open, when every column is empty). Amounts are converted to ``float``
    only to be drawn.

    Examples
    --------
    >>> import datetime as dt
    >>> from channelkit import Money, OpenItem, aging
    >>> items = [OpenItem(id="A", amount=Money(600, "CNY"), due=dt.date(2026, 9, 1)),
    ...          OpenItem(id="B", amount=Money(400, "CNY"), due=dt.date(2026, 10, 15))]
    >>> ax = aging_chart(aging(items, dt.date(2026, 9, 30))).axes[0]
    >>> [float(bar.get_height()) for bar in ax.patches]
    [400.0, 600.0, 0.0, 0.0, 0.0]
    >>> print(ax.get_title())
    Aging on 2026-09-30: 1,000.00 CNY open, 60% overdue
    """
    require()
    expect(aging, Aging, "aging", "an Aging")
    fonts = Fonts(lang)
    lang = fonts.lang
    places, cur = aging.open_total.places, aging.currency
    fig = new_figure(8, 5)
    ax = fig.add_subplot()
    style_axes(ax, fonts)
    buckets = list(aging.buckets.items())
    positions = list(range(len(buckets)))
    bars = ax.bar(
        positions,
        [drawn(amount.amount) for _, amount in buckets],
        color=list(BUCKET_COLOURS),
        gid="buckets",
    )
    for bar, (bucket, amount) in zip(bars, buckets, strict=True):
        n = aging.counts.get(bucket, 0)
        ax.annotate(
            fonts.pick(
                "{a}\n{n} item" + ("" if n == 1 else "s"),
                "{a}\n{n} 笔",
                a=fmt_amount(amount.amount, places),
                n=n,
            ),
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            **font(fonts, fontsize=9),
        )
    ax.set_xticks(positions, [fonts.text(bucket.label(lang)) for bucket, _ in buckets])
    ax.tick_params(axis="x", labelrotation=15)
    number_axis(ax.yaxis)
    ax.margins(y=0.15)  # room for the labels; the columns keep the axis at 0
    ax.set_ylabel(fonts.pick("Open amount ({c})", "未结金额（{c}）", c=cur), **font(fonts))
    title = fonts.pick(
        "Aging on {d}: {t} {c} open, {s} overdue",
        "{d} 账龄：未结 {t} {c}，逾期占比 {s}",
        d=aging.as_of,
        t=fmt_amount(aging.open_total.amount, places),
        c=cur,
        s=fmt_pct(aging.overdue_share),
    )
    if aging.grace_days:
        title += fonts.pick(" (grace {g} days)", "（宽限 {g} 天）", g=aging.grace_days)
    ax.set_title(title, **font(fonts))
    return fig
