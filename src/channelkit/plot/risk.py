"""The risk heat map (风险热力图): the 5 x 5 matrix, coloured by rating, with its counts."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from channelkit.plot._base import SEVERITY_COLOURS, font, new_figure, require, style_axes
from channelkit.plot._fonts import Fonts
from channelkit.risk import RiskItem, RiskMatrix, heatmap
from channelkit.scales import Severity

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["risk_heatmap"]

_SIZE = 5
_MATRIX = RiskMatrix()


def ratings() -> list[list[Severity]]:
    """The rating of each cell: ``ratings()[likelihood - 1][impact - 1]``.

    Examples
    --------
    >>> [r.value for r in ratings()[2]]
    ['low', 'medium', 'medium', 'high', 'high']
    """
    return [
        [_MATRIX.rating(Decimal(lk * im)) for im in range(1, _SIZE + 1)]
        for lk in range(1, _SIZE + 1)
    ]


def risk_heatmap(items: Iterable[RiskItem], *, lang: str = "en") -> Figure:
    r"""The risk heat map of ``items``: the 5 x 5 matrix coloured by rating, with the counts.

    Parameters
    ----------
    items
        The risks, any iterable of [`RiskItem`][channelkit.RiskItem] (read once).
    lang
        ``"en"`` or ``"zh"``: the language of the labels.

    Returns
    -------
    matplotlib.figure.Figure
        One axes: impact 1 to 5 across, likelihood 1 to 5 up; each cell coloured by its rating
        (green LOW, yellow MEDIUM, orange HIGH, red CRITICAL; the image's values are the ratings'
        ranks 0 to 3) and showing the number of risks in it when there are any, as
        [`heatmap`][channelkit.heatmap] counts them. Never shown or saved.

    Raises
    ------
    ArgumentTypeError
        ``items`` is not an iterable of ``RiskItem`` (a ``TypeError``).
    ArgumentError
        ``lang`` is not ``"en"`` or ``"zh"``.
    ImportError
        matplotlib is not installed (``pip install 'channelkit[plot]'``).

    Notes
    -----
    A risk sits in the cell of its inherent scores, as [`heatmap`][channelkit.heatmap] places
    it; the cell's colour is the rating of its inherent score under the default
    [`RiskMatrix`][channelkit.RiskMatrix] (edges 4, 9, 16):

    $$
    \text{colour}(l, i) = \text{rating}(l \times i)
    $$

    so a cell of score 4 is LOW, 9 MEDIUM, 16 HIGH and 20 CRITICAL. Every item counts, whatever
    its status; the counts sum to the number of items. No items give the coloured matrix alone.

    Examples
    --------
    >>> import datetime as dt
    >>> from channelkit import RiskItem
    >>> day = dt.date(2026, 7, 1)
    >>> items = [RiskItem(id=f"R{n}", title="t", category="credit", likelihood=lk, impact=im,
    ...                   identified=day) for n, (lk, im) in enumerate([(4, 5), (4, 5), (1, 2)])]
    >>> fig = risk_heatmap(items)
    >>> ax = fig.axes[0]
    >>> ax.get_title(), ax.get_xlabel(), ax.get_ylabel()
    ('Risk heat map: 3 risks', 'Impact', 'Likelihood')
    >>> sorted(t.get_text() for t in ax.texts)
    ['1', '2']
    >>> int(ax.images[0].get_array()[3][4])  # likelihood 4, impact 5: 20 is CRITICAL (rank 3)
    3
    """
    require()
    grid = heatmap(items)
    fonts = Fonts(lang)
    lang = fonts.lang
    fig = new_figure(6.5, 5.5)
    ax = fig.add_subplot()
    style_axes(ax, fonts)
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    ranks = [[r.rank for r in row] for row in ratings()]
    ax.imshow(
        ranks, cmap=ListedColormap(list(SEVERITY_COLOURS)), vmin=-0.5, vmax=3.5, origin="lower"
    )
    for lk, row in enumerate(grid):
        for im, count in enumerate(row):
            if count:
                ax.text(im, lk, str(count), ha="center", va="center", **font(fonts, fontsize=13))
    ticks = list(range(_SIZE))
    ax.set_xticks(ticks, [str(n + 1) for n in ticks])
    ax.set_yticks(ticks, [str(n + 1) for n in ticks])
    ax.set_xlabel(fonts.pick("Impact", "影响"), **font(fonts))
    ax.set_ylabel(fonts.pick("Likelihood", "可能性"), **font(fonts))
    total = sum(map(sum, grid))
    ax.set_title(
        fonts.pick(
            "Risk heat map: {n} risk" + ("" if total == 1 else "s"),
            "风险热力图：共 {n} 项",
            n=total,
        ),
        **font(fonts),
    )
    handles = [
        Patch(facecolor=SEVERITY_COLOURS[s.rank], label=fonts.text(s.label(lang)))
        for s in reversed(Severity)
    ]
    ax.legend(
        handles=handles,
        title=fonts.pick("Rating", "评级"),
        loc="upper left",
        bbox_to_anchor=(1.02, 1),
        prop={"family": list(fonts.families)},
        title_fontproperties={"family": list(fonts.families)},
    )
    return fig
