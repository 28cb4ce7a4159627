"""channelkit.plot: the review chart, the risk heat map and the aging chart, point by point.

As in ``test_plot.py``: each figure is rendered to PNG with the Agg backend (warnings are
errors) and checked through its artists' data, titles and labels, never its pixels.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest

pytest.importorskip("matplotlib")

from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from channelkit import (
    Aging,
    ArgumentTypeError,
    Money,
    OpenItem,
    RiskItem,
    RiskMatrix,
    Transaction,
    aging,
    heatmap,
)
from channelkit import testing as ckt
from channelkit.demo import sample
from channelkit.numeric import CONTEXT
from channelkit.plot import aging_chart, review_chart, risk_heatmap
from channelkit.plot._base import BLUE, GREY, RED
from channelkit.plot.review import cumulative_shares
from channelkit.review import ChannelReview, review

D = Decimal
CNY = "CNY"
DAY = dt.date(2026, 7, 1)


def png(fig: Figure) -> None:
    """Render with Agg, as a notebook or ``savefig`` would."""
    assert isinstance(fig, Figure)
    buffer = io.BytesIO()
    FigureCanvasAgg(fig).print_png(buffer)
    assert buffer.getvalue().startswith(b"\x89PNG")


def gid(ax: Any, name: str) -> list[Any]:
    """The lines, texts and patches of ``ax`` tagged ``name``."""
    return [a for a in [*ax.lines, *ax.texts, *ax.patches] if a.get_gid() == name]


def legend_texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.legends[0].get_texts()]


# -- review_chart --------------------------------------------------------------------------------


def sample_review() -> ChannelReview:
    return review(
        sample.transactions(),
        sample.QUARTER,
        partners=sample.partners(),
        prior=sample.PRIOR,
        targets={"D-NORTH": 400_000, "D-EAST": 400_000},
    )


def test_review_chart_draws_the_partners_pareto_and_the_territories() -> None:
    r = sample_review()
    fig = review_chart(r)
    png(fig)
    pareto, territories, line_ax = fig.axes
    rows = r.partners
    bars = gid(pareto, "net_sales")
    assert [b.get_height() for b in bars] == [float(row.net_sales.amount) for row in rows]
    assert [t.get_text() for t in pareto.get_xticklabels()] == [row.partner_id for row in rows]
    assert r.laggards == ("D-EAST",)
    assert [b.get_facecolor() for b in bars[:2]] == [to_rgba(BLUE), to_rgba(RED)]
    (targets,) = gid(pareto, "target")
    assert list(targets.get_xdata()) == [0, 1]
    assert list(targets.get_ydata()) == [400_000.0, 400_000.0]
    # D-NORTH 436,900 / 400,000 = 109.2%; D-EAST below the 80% laggard line
    marks = gid(pareto, "attainment")
    assert [m.get_text() for m in marks] == ["109%", "64%"]
    assert marks[0].xy == (0, 436_900.0)  # above the column, which tops its target
    assert marks[1].xy == (1, 400_000.0)  # above the target, which tops the column
    (line,) = gid(line_ax, "cumulative")
    shares = cumulative_shares(rows)
    assert shares is not None
    assert list(line.get_ydata()) == [float(s) for s in shares]
    assert shares[-1] == 1
    positive = sum(max(x.net_sales.amount, D(0)) for x in rows)
    assert shares[0] == CONTEXT.divide(rows[0].net_sales.amount, positive)
    shown = [t for t in r.territories if t.share is not None]
    assert [b.get_width() for b in gid(territories, "shares")] == [
        float(t.share or 0) for t in shown
    ]
    assert [t.get_text() for t in territories.get_yticklabels()] == [t.key for t in shown]
    assert legend_texts(fig) == [
        "Net sales",
        "Laggard (attainment below 80%)",
        "Target",
        "Cumulative share",
    ]
    assert fig.get_suptitle().startswith(
        "Channel review 2026Q3: net sales 1,066,000.00 CNY, growth "
    )
    assert pareto.get_title() == "Partners' net sales"
    assert territories.get_title() == "Shares by territory"
    assert pareto.get_ylabel() == "Net sales (CNY)"


def _tx(n: int, partner: str | None, kind: str, amount: int, territory: str | None) -> Transaction:
    return Transaction(
        id=f"T{n}",
        partner_id=partner,
        date=dt.date(2026, 8, 1),
        kind=kind,  # type: ignore[arg-type]
        amount=Money(amount, CNY),
        territory=territory,
    )


def test_review_chart_sums_the_long_tail_in_one_column() -> None:
    # P00..P19 sell 1,000 x (i + 1) each in their own territory; P20 only takes back 500
    txs = [_tx(i, f"P{i:02d}", "sale", 1_000 * (i + 1), f"T{i:02d}") for i in range(20)]
    txs.append(_tx(99, "P20", "return", 500, None))
    r = review(txs, sample.QUARTER)
    fig = review_chart(r)
    png(fig)
    pareto, territories, line_ax = fig.axes
    heights = [b.get_height() for b in gid(pareto, "net_sales")]
    assert len(heights) == 16
    assert heights[:3] == [20_000.0, 19_000.0, 18_000.0]
    # the 6 rows after the first 15: 5,000 + 4,000 + 3,000 + 2,000 + 1,000 - 500
    assert heights[-1] == 14_500.0
    assert pareto.get_xticklabels()[-1].get_text() == "Others (6)"
    assert gid(pareto, "net_sales")[-1].get_facecolor() == to_rgba(GREY)
    (line,) = gid(line_ax, "cumulative")
    ys = list(line.get_ydata())
    assert (len(ys), ys[-1]) == (16, 1.0)  # the negative row adds nothing
    assert ys[0] == 20_000 / 210_000
    assert gid(pareto, "target") == gid(pareto, "attainment") == []
    assert legend_texts(fig) == ["Net sales", "Cumulative share"]
    names = [t.get_text() for t in territories.get_yticklabels()]
    assert (len(names), names[0], names[-1]) == (16, "T19", "Others (6)")
    widths = [b.get_width() for b in gid(territories, "shares")]
    # the total is 209,500: the last 6 territories (the return has none) hold 14,500 of it
    shares = {t.key: t.share for t in r.territories}
    rest = [t.share for t in r.territories[15:]]
    assert widths[-1] == float(sum(s for s in rest if s is not None))
    assert (shares[""] or 0) < 0  # the return has no territory: "(none)"


def test_review_chart_cuts_long_names_so_the_axes_keep_their_room() -> None:
    # a 300-character id as a tick label collapses the axes (matplotlib warns: an error here)
    txs = [_tx(i, f"P{i}-" + "x" * 300, "sale", 100 * (i + 1), "T" * 200) for i in range(3)]
    fig = review_chart(review(txs, sample.QUARTER))
    png(fig)
    label = fig.axes[0].get_xticklabels()[0].get_text()
    assert label == "P2-" + "x" * 16 + "…"  # 20 characters
    assert fig.axes[1].get_yticklabels()[0].get_text() == "T" * 19 + "…"


def test_review_chart_names_the_territory_none() -> None:
    r = review([_tx(1, "P1", "sale", 100, None)], sample.QUARTER)
    territories = review_chart(r).axes[1]
    assert [t.get_text() for t in territories.get_yticklabels()] == ["(none)"]


def test_review_chart_without_partners_says_so() -> None:
    # one direct return: no partner row, and a negative total leaves no share defined
    fig = review_chart(review([_tx(1, None, "return", 100, "BJ")], sample.QUARTER))
    png(fig)
    pareto, territories = fig.axes
    assert [t.get_text() for t in pareto.texts] == ["No partner rows"]
    assert [t.get_text() for t in territories.texts] == ["No positive net sales to share"]
    assert pareto.get_xticks().tolist() == territories.get_yticks().tolist() == []
    assert fig.legends == []
    assert fig.get_suptitle() == "Channel review 2026Q3: net sales -100.00 CNY"


def test_review_chart_without_positive_sales_draws_no_pareto_line() -> None:
    r = review([_tx(1, "P1", "return", 100, "BJ")], sample.QUARTER)
    fig = review_chart(r)
    png(fig)
    assert len(fig.axes) == 2  # no axes for the cumulative line
    assert cumulative_shares(r.partners) is None
    assert [t.get_text() for t in fig.axes[1].texts] == ["No positive net sales to share"]


def test_review_chart_refuses_another_object() -> None:
    with pytest.raises(ArgumentTypeError, match="review must be a ChannelReview, not dict"):
        review_chart({})  # type: ignore[arg-type]


@settings(max_examples=15)
@given(ckt.channel_reviews(max_partners=20))
def test_review_chart_draws_every_row(r: ChannelReview) -> None:
    fig = review_chart(r)
    pareto = fig.axes[0]
    heights = [b.get_height() for b in gid(pareto, "net_sales")]
    rows = r.partners
    assert heights[:15] == [float(x.net_sales.amount) for x in rows[:15]]
    assert len(heights) == min(len(rows), 16)
    shares = cumulative_shares(rows)
    if shares is not None:
        (line,) = gid(fig.axes[2], "cumulative")
        assert list(line.get_ydata())[-1] == float(shares[-1]) == 1.0


# -- risk_heatmap --------------------------------------------------------------------------------


def risk(n: int, likelihood: int, impact: int) -> RiskItem:
    return RiskItem(
        id=f"R{n}",
        title="t",
        category="credit",  # type: ignore[arg-type]
        likelihood=likelihood,
        impact=impact,
        identified=DAY,
    )


def test_risk_heatmap_colours_each_cell_by_its_rating_and_counts_the_risks() -> None:
    items = [risk(1, 4, 5), risk(2, 4, 5), risk(3, 1, 2), risk(4, 3, 3)]
    fig = risk_heatmap(items)
    png(fig)
    (ax,) = fig.axes
    image = ax.images[0].get_array()
    matrix = RiskMatrix()
    for lk in range(1, 6):
        for im in range(1, 6):
            assert image[lk - 1][im - 1] == matrix.rating(lk * im).rank
    assert [image[n][n] for n in range(5)] == [0, 0, 1, 2, 3]  # 1, 4, 9, 16, 25
    counts = {(t.get_position()): t.get_text() for t in ax.texts}
    # text at (impact - 1, likelihood - 1): heatmap's grid[likelihood - 1][impact - 1]
    assert counts == {(4, 3): "2", (1, 0): "1", (2, 2): "1"}
    grid = heatmap(items)
    assert grid[3][4] == 2
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "2", "3", "4", "5"]
    assert ax.get_title() == "Risk heat map: 4 risks"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Impact", "Likelihood")
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert texts == ["Critical", "High", "Medium", "Low"]
    assert ax.get_legend().get_title().get_text() == "Rating"


def test_risk_heatmap_of_one_risk_and_of_none() -> None:
    assert risk_heatmap([risk(1, 1, 1)]).axes[0].get_title() == "Risk heat map: 1 risk"
    fig = risk_heatmap(iter([]))
    png(fig)
    assert len(fig.axes[0].texts) == 0
    assert fig.axes[0].get_title() == "Risk heat map: 0 risks"


def test_risk_heatmap_refuses_what_is_not_a_risk() -> None:
    with pytest.raises(ArgumentTypeError, match=r"items must be RiskItems, got int at items\[0\]"):
        risk_heatmap([1])  # type: ignore[list-item]
    with pytest.raises(ArgumentTypeError, match="items must be an iterable of RiskItems"):
        risk_heatmap(5)  # type: ignore[arg-type]


@settings(max_examples=15)
@given(st.lists(ckt.risk_items(), max_size=12))
def test_risk_heatmap_counts_every_item(items: list[RiskItem]) -> None:
    ax = risk_heatmap(items).axes[0]
    assert sum(int(t.get_text()) for t in ax.texts) == len(items)


# -- aging_chart ---------------------------------------------------------------------------------


def open_items() -> list[OpenItem]:
    return [
        OpenItem(id="A", amount=Money(600, CNY), due=dt.date(2026, 9, 1)),
        OpenItem(id="B", amount=Money(400, CNY), due=dt.date(2026, 10, 15)),
        OpenItem(id="C", amount=Money("1400.50", CNY), due=dt.date(2026, 5, 15)),
    ]


def test_aging_chart_draws_a_column_per_bucket() -> None:
    a = aging(open_items(), dt.date(2026, 9, 30))
    fig = aging_chart(a)
    png(fig)
    (ax,) = fig.axes
    # A is 29 days past due, B not yet due, C 138 days
    assert [b.get_height() for b in ax.patches] == [400.0, 600.0, 0.0, 0.0, 1400.5]
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "Current",
        "1-30 days overdue",
        "31-60 days overdue",
        "61-90 days overdue",
        "Over 90 days overdue",
    ]
    assert [t.get_text() for t in ax.texts] == [
        "400.00\n1 item",
        "600.00\n1 item",
        "0.00\n0 items",
        "0.00\n0 items",
        "1,400.50\n1 item",
    ]
    # overdue 2,000.50 of 2,400.50 open = 83.34%
    assert ax.get_title() == "Aging on 2026-09-30: 2,400.50 CNY open, 83.34% overdue"
    assert ax.get_ylabel() == "Open amount (CNY)"
    assert ax.get_ylim()[0] == 0


def test_aging_chart_shows_grace_days_and_an_empty_aging() -> None:
    a = aging(open_items(), dt.date(2026, 9, 30), grace_days=30)
    ax = aging_chart(a).axes[0]
    assert [b.get_height() for b in ax.patches] == [1000.0, 0.0, 0.0, 0.0, 1400.5]
    assert ax.get_title().endswith(", 58.34% overdue (grace 30 days)")
    empty = aging_chart(aging([], dt.date(2026, 9, 30), currency="JPY"))
    png(empty)
    assert [b.get_height() for b in empty.axes[0].patches] == [0.0] * 5
    assert empty.axes[0].get_title() == "Aging on 2026-09-30: 0 JPY open, 0% overdue"


def test_aging_chart_refuses_another_object() -> None:
    with pytest.raises(ArgumentTypeError, match="aging must be an Aging, not list"):
        aging_chart([])  # type: ignore[arg-type]


@settings(max_examples=15)
@given(ckt.agings())
def test_aging_chart_draws_the_buckets(a: Aging) -> None:
    ax = aging_chart(a).axes[0]
    assert [b.get_height() for b in ax.patches] == [float(m.amount) for m in a.buckets.values()]
