"""channelkit.plot: the rebate curve and the ledger chart against the library's own numbers.

Figures are rendered to PNG with the Agg backend (warnings are errors, so a missing glyph or a
layout warning fails the test); the checks read the artists' data, never pixels. The review
chart, the heat map and the aging chart are in ``test_plot_charts.py``; the Chinese labels, the
font fallback and the lazy import in ``test_plot_fonts.py``.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from decimal import Decimal
from typing import Any

import pytest

pytest.importorskip("matplotlib")

from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from channelkit import (
    ArgumentError,
    ArgumentTypeError,
    Bracket,
    Condition,
    CurrencyMismatchError,
    Money,
    Period,
    PolicyError,
    RebateLedger,
    RebatePolicy,
    Transaction,
    compute_rebate,
    ledger,
    lint,
)
from channelkit import testing as ckt
from channelkit.plot import ledger_chart, rebate_curve
from channelkit.plot._base import period_label
from channelkit.plot.rebates import curve

D = Decimal
CNY = "CNY"


def png(fig: Figure) -> bytes:
    """Render with Agg (as a notebook or savefig would) and return the PNG's bytes."""
    assert isinstance(fig, Figure)
    buffer = io.BytesIO()
    FigureCanvasAgg(fig).print_png(buffer)
    data = buffer.getvalue()
    assert data.startswith(b"\x89PNG")
    return data


def gid(ax: Any, name: str) -> list[Any]:
    """The lines, texts and patches of ``ax`` tagged ``name``."""
    return [a for a in [*ax.lines, *ax.texts, *ax.patches] if a.get_gid() == name]


def legend_texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.legends[0].get_texts()]


def floats(values: Any) -> list[float]:
    return [float(v) for v in values]


# -- rebate_curve --------------------------------------------------------------------------------

LADDER = RebatePolicy(
    id="L",
    name="Ladder",
    currency=CNY,
    brackets=(
        Bracket(start=10_000, rate=D("0.02")),
        Bracket(start=50_000, rate=D("0.03")),
        Bracket(start=100_000, rate=D("0.04")),
    ),
)
VOLUME = RebatePolicy(
    id="V",
    name="Volume",
    currency=CNY,
    mode="volume",  # type: ignore[arg-type]
    brackets=(Bracket(start=0, rate=D("0.03")), Bracket(start=100_000, rate=D("0.02"))),
)


def test_rebate_curve_draws_the_ladder_through_its_starts() -> None:
    fig = rebate_curve(LADDER, up_to=200_000)
    png(fig)
    ax, rate_ax = fig.axes
    (line,) = gid(ax, "amount")
    xs, ys = list(line.get_xdata()), list(line.get_ydata())
    # up_to / 200 = 1,000 apart, and each start with neighbours up_to / 10**6 = 0.2 either side
    assert xs[:3] == [0.0, 1000.0, 2000.0]
    assert xs[-1] == 200_000.0
    for start in (10_000, 50_000, 100_000):
        at = xs.index(float(start))
        assert xs[at - 1 : at + 2] == [start - 0.2, start, start + 0.2]
    assert len(xs) == 201 + 6  # the grid holds the starts; their neighbours are 6 more
    # 200,000: 40,000 x 2% + 50,000 x 3% + 100,000 x 4% = 800 + 1,500 + 4,000 = 6,300
    assert ys[-1] == 6300.0
    # 120,000: 800 + 1,500 + 20,000 x 4% = 3,100 (the style guide's example)
    assert ys[xs.index(120_000.0)] == 3100.0
    assert ys[xs.index(10_000.2)] == 0.0  # 0.2 x 2% = 0.004 rounds to 0.00
    bases, amounts, rates = curve(LADDER, D(200_000))
    assert xs == floats(bases)
    assert ys == floats(amounts)
    for x in (D(0), D(9_999.8).quantize(D("0.1")), D(75_000), D(200_000)):
        assert amounts[bases.index(x)] == compute_rebate(LADDER, x).amount.amount
    (rate_line,) = gid(rate_ax, "rate")
    rate_ys = list(rate_line.get_ydata())
    assert math.isnan(rate_ys[0])  # no rate at 0
    assert rate_ys[-1] == pytest.approx(0.0315)  # 6,300 / 200,000
    assert rates[-1] == D("0.0315")
    assert [r for r in rates if r is None] == [None]  # only 0 is below up_to / 200
    # the starts, each with its rate
    assert [ln.get_xdata()[0] for ln in gid(ax, "bracket") if hasattr(ln, "get_xdata")] == [
        10_000,
        50_000,
        100_000,
    ]
    assert [t.get_text() for t in ax.texts if t.get_gid() == "bracket"] == [" 2%", " 3%", " 4%"]
    assert gid(ax, "cliff") == []
    assert ax.get_xlabel() == "Basis: net sales (CNY)"
    assert ax.get_ylabel() == "Rebate (CNY)"
    assert rate_ax.get_ylabel() == "Effective rate"
    assert ax.get_title() == "Rebate curve of Ladder (L)\ngraduated, reach"
    assert ax.get_xlim() == (0.0, 200_000.0)
    assert legend_texts(fig) == ["Rebate", "Effective rate"]
    assert [t.get_text() for t in rate_ax.get_yticklabels()][-1].endswith("%")


def test_rebate_curve_highlights_a_cliff_inside_the_range() -> None:
    fig = rebate_curve(VOLUME, up_to=Money(200_000, CNY))
    png(fig)
    ax = fig.axes[0]
    (cliff,) = gid(ax, "cliff")
    # lint: just below 100,000 the whole basis earns 3% (3,000); from it on 2% (2,000)
    (finding,) = [f for f in lint(VOLUME) if f.code == "cliff"]
    assert (finding.reference, finding.value) == (D("3000.00"), D("2000.00"))
    assert list(cliff.get_xdata()) == [100_000.0, 100_000.0]
    assert list(cliff.get_ydata()) == [3000.0, 2000.0]
    (line,) = gid(ax, "amount")
    xs, ys = list(line.get_xdata()), list(line.get_ydata())
    at = xs.index(100_000.0)
    assert ys[at - 1 : at + 1] == [2999.99, 2000.0]  # 99,999.8 x 3% = 2,999.994
    assert legend_texts(fig)[-1] == "Cliff: buying more pays less"
    assert ax.get_title() == "Rebate curve of Volume (V)\nvolume (whole basis), reach"


def test_rebate_curve_leaves_out_starts_and_cliffs_beyond_up_to() -> None:
    fig = rebate_curve(VOLUME, up_to=50_000)
    ax = fig.axes[0]
    assert gid(ax, "cliff") == []
    assert [t.get_text() for t in ax.texts if t.get_gid() == "bracket"] == [" 3%"]
    assert len(legend_texts(fig)) == 2


def test_rebate_curve_shows_the_threshold_the_cap_and_flats() -> None:
    policy = RebatePolicy(
        id="T",
        name="Threshold",
        currency=CNY,
        mode="volume",  # type: ignore[arg-type]
        threshold=D(20_000),
        cap=D(3_000),
        brackets=(
            Bracket(start=0, rate=D("0.01")),
            Bracket(start=50_000, rate=D("0.02"), flat=D(500)),
        ),
    )
    fig = rebate_curve(policy, up_to=200_000)
    png(fig)
    ax = fig.axes[0]
    (line,) = gid(ax, "amount")
    xs, ys = list(line.get_xdata()), list(line.get_ydata())
    at = xs.index(20_000.0)
    assert ys[at - 1 : at + 2] == [0.0, 200.0, 200.0]  # below the threshold nothing; 20,000 x 1%
    assert max(ys) == 3000.0  # 200,000 x 2% + 500 = 4,500, capped
    assert ys[xs.index(100_000.0)] == 2500.0  # 100,000 x 2% + 500
    assert [t.get_text() for t in ax.texts if t.get_gid() == "bracket"] == [" 1%", " 2% + 500.00"]
    assert ax.get_title().endswith("volume (whole basis), reach, cap 3,000.00 CNY")


def test_rebate_curve_of_a_flat_policy_marks_the_first_bracket_only() -> None:
    flat = RebatePolicy(
        id="F",
        name="Flat",
        currency=CNY,
        mode="flat",  # type: ignore[arg-type]
        brackets=(Bracket(start=0, rate=D("0.01")), Bracket(start=50_000, rate=D("0.05"))),
    )
    ax = rebate_curve(flat, up_to=100_000).axes[0]
    assert [t.get_text() for t in ax.texts if t.get_gid() == "bracket"] == [" 1%"]
    (line,) = gid(ax, "amount")
    assert list(line.get_ydata())[-1] == 1000.0  # 100,000 x 1%: the second bracket is not read


def test_rebate_curve_of_a_units_basis_shows_money_per_unit() -> None:
    units = RebatePolicy(
        id="U",
        name="Units",
        currency=CNY,
        basis="units",  # type: ignore[arg-type]
        brackets=(Bracket(start=0, rate=D("2")), Bracket(start=500, rate=D("3"), flat=D(100))),
    )
    fig = rebate_curve(units, up_to=1_000)
    png(fig)
    ax, rate_ax = fig.axes
    assert ax.get_xlabel() == "Basis: units"
    assert rate_ax.get_ylabel() == "Rebate per unit (CNY)"
    assert legend_texts(fig) == ["Rebate", "Rebate per unit"]
    assert [t.get_text() for t in ax.texts if t.get_gid() == "bracket"] == [
        " 2 per unit",
        " 3 per unit + 100.00",
    ]
    (line,) = gid(ax, "amount")
    assert list(line.get_ydata())[-1] == 2600.0  # 500 x 2 + 500 x 3 + 100
    (rate_line,) = gid(rate_ax, "rate")
    assert list(rate_line.get_ydata())[-1] == 2.6  # 2,600 / 1,000 units
    with pytest.raises(PolicyError, match="up_to must be a number of units, not money"):
        rebate_curve(units, up_to=Money(1_000, CNY))


def test_rebate_curve_reads_conditions_as_met_and_no_payout() -> None:
    conditional = LADDER.model_copy(
        update={
            "conditions": (Condition(metric="collection_rate", minimum=D("0.9"), factor=D("0.5")),)
        }
    )
    bases, amounts, _ = curve(conditional, D(200_000))
    met = {"collection_rate": D(1)}
    for x in (D(30_000), D(120_000), D(200_000)):
        expected = compute_rebate(conditional, x, metrics=met).amount.amount
        assert amounts[bases.index(x)] == expected
    png(rebate_curve(conditional, up_to=200_000))


def test_rebate_curve_refuses_what_it_cannot_draw() -> None:
    tiered = VOLUME.model_copy(update={"tier_basis": "units"})
    with pytest.raises(PolicyError, match="tier_basis units: its rebate is not a function"):
        rebate_curve(tiered, up_to=100)
    with pytest.raises(ArgumentError, match="up_to must be positive, got 0"):
        rebate_curve(LADDER, up_to=0)
    with pytest.raises(ArgumentError, match="up_to must be positive, got -5"):
        rebate_curve(LADDER, up_to="-5")
    with pytest.raises(ArgumentTypeError, match="up_to"):
        rebate_curve(LADDER, up_to=1.5)  # type: ignore[arg-type]
    with pytest.raises(CurrencyMismatchError):
        rebate_curve(LADDER, up_to=Money(5, "USD"))
    with pytest.raises(ArgumentTypeError, match="policy must be a RebatePolicy, not str"):
        rebate_curve("L", up_to=5)  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match="lang must be 'en' or 'zh', got 'fr'"):
        rebate_curve(LADDER, up_to=5, lang="fr")


def test_rebate_curve_keeps_bases_within_the_input_bounds() -> None:
    # up_to / 200 and up_to / 10**6 are below 10**-34: only 0 and up_to itself remain
    bases, amounts, rates = curve(VOLUME, D("1e-34"))
    assert bases == [D(0), D("1e-34")]
    assert amounts == [D("0.00"), D("0.00")]
    assert rates == [None, D(0)]
    png(rebate_curve(VOLUME, up_to="1e-34"))


# drawn names hold any character; a font warning for one nobody can draw is tested elsewhere
@pytest.mark.filterwarnings("ignore::channelkit.plot.CJKFontWarning")
@settings(max_examples=20)
@given(ckt.rebate_policies(), st.integers(min_value=1, max_value=10**7))
def test_rebate_curve_draws_the_library_s_own_amounts(policy: RebatePolicy, top: int) -> None:
    fig = rebate_curve(policy, up_to=top)
    ax = fig.axes[0]
    bases, amounts, rates = curve(policy, D(top))
    (line,) = gid(ax, "amount")
    assert list(line.get_xdata()) == floats(bases)
    assert list(line.get_ydata()) == floats(amounts)
    assert (bases[0], bases[-1]) == (0, top)
    assert bases == sorted(bases)
    plain = policy.model_copy(update={"conditions": (), "scorecard": None, "payout": ()})
    for i in {0, len(bases) // 2, len(bases) - 1}:
        assert amounts[i] == compute_rebate(plain, bases[i]).amount.amount
        if rates[i] is not None:
            assert rates[i] == compute_rebate(plain, bases[i]).effective_rate
    used = policy.brackets[:1] if policy.mode == "flat" else policy.brackets
    drawn_starts = [t for t in ax.texts if t.get_gid() == "bracket"]
    assert len(drawn_starts) == sum(1 for b in used if b.start <= top)
    cliffs = [f for f in lint(policy) if f.code == "cliff" and (f.start or 0) <= top]
    assert len(gid(ax, "cliff")) == len(cliffs)


# -- ledger_chart --------------------------------------------------------------------------------

YTD = RebatePolicy(
    id="YTD",
    name="Year to date",
    currency=CNY,
    brackets=(Bracket(start=0, rate=D("0.01")), Bracket(start=100_000, rate=D("0.03"))),
)


def book(*, cumulative: bool = True, periods: list[Period] | None = None) -> RebateLedger:
    def tx(i: int, day: dt.date, kind: str, amount: int, **kw: Any) -> Transaction:
        return Transaction(
            id=f"T{i}",
            partner_id="D1",
            date=day,
            kind=kind,  # type: ignore[arg-type]
            amount=Money(amount, CNY),
            **kw,
        )

    txs = [
        tx(1, dt.date(2026, 2, 1), "sale", 80_000),
        tx(2, dt.date(2026, 5, 1), "sale", 60_000),
        tx(3, dt.date(2026, 8, 1), "return", 30_000, refers_to="T1"),
    ]
    spans = periods or Period.year(2026).split("quarterly")[:3]
    return ledger(YTD, txs, spans, partner_id="D1", cumulative=cumulative)


def test_ledger_chart_draws_payables_clawbacks_and_the_total_paid() -> None:
    b = book()
    fig = ledger_chart(b)
    png(fig)
    (ax,) = fig.axes
    # the ledger's own example: Q3's return of Q1's sale claws back 900
    assert [p.get_height() for p in gid(ax, "payable")] == [800.0, 1400.0, -900.0]
    assert [p.get_height() for p in gid(ax, "clawback")] == [0.0, 0.0, 900.0]
    assert [p.get_x() + p.get_width() / 2 for p in gid(ax, "payable")] == [-0.2, 0.8, 1.8]
    (paid,) = gid(ax, "paid")
    assert list(paid.get_ydata()) == [800.0, 2200.0, 1300.0]  # 800, + 1,400, - 900
    assert list(paid.get_ydata())[-1] == float(b.total_paid.amount)
    assert [e.rebate.amount for e in b.entries] == [D(800), D(2200), D(1300)]  # to date
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2026Q1", "2026Q2", "2026Q3"]
    assert legend_texts(fig) == ["Payable", "Clawback", "Paid to date"]
    assert ax.get_title() == (
        "Rebate ledger of D1 under YTD: cumulative (to date)\ntotal paid 1,300.00 CNY"
    )
    assert ax.get_ylabel() == "Amount (CNY)"


def test_ledger_chart_without_clawbacks_and_with_long_periods() -> None:
    months = [
        Period(dt.date(2026, 1, 1), dt.date(2026, 3, 15)),
        Period(dt.date(2026, 3, 15), dt.date(2026, 7, 1)),
    ]
    b = book(cumulative=False, periods=months)
    fig = ledger_chart(b)
    png(fig)
    (ax,) = fig.axes
    assert gid(ax, "clawback") == []
    assert [p.get_height() for p in gid(ax, "payable")] == [800.0, 600.0]
    assert [p.get_x() + p.get_width() / 2 for p in gid(ax, "payable")] == [0.0, 1.0]
    labels = ax.get_xticklabels()
    assert [t.get_text() for t in labels] == ["2026-01-01", "2026-03-15"]  # their first days
    assert labels[0].get_rotation() == 30
    assert legend_texts(fig) == ["Payable", "Paid to date"]
    assert "each period on its own" in ax.get_title()


def test_ledger_chart_of_many_periods_names_every_k_th() -> None:
    # 30 weeks: ceil(30 / 12) = 3, so weeks 0, 3, ..., 27 are named
    weeks = [
        Period(
            dt.date(2026, 1, 5) + dt.timedelta(weeks=k),
            dt.date(2026, 1, 12) + dt.timedelta(weeks=k),
        )
        for k in range(30)
    ]
    fig = ledger_chart(book(periods=weeks))
    png(fig)
    ax = fig.axes[0]
    assert len(gid(ax, "payable")) == 30
    assert ax.get_xticks().tolist() == list(range(0, 30, 3))
    assert ax.get_xticklabels()[1].get_text() == "2026-01-26"
    assert fig.get_size_inches().tolist() == [14.0, 5.0]


def test_ledger_chart_refuses_another_object() -> None:
    with pytest.raises(ArgumentTypeError, match="ledger must be a RebateLedger, not NoneType"):
        ledger_chart(None)  # type: ignore[arg-type]


@settings(max_examples=15)
@given(ckt.rebate_ledgers())
def test_ledger_chart_draws_every_entry(b: RebateLedger) -> None:
    ax = ledger_chart(b).axes[0]
    assert [p.get_height() for p in gid(ax, "payable")] == [
        float(e.payable.amount) for e in b.entries
    ]
    (paid,) = gid(ax, "paid")
    assert list(paid.get_ydata())[-1] == float(b.total_paid.amount)


# -- shared pieces -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "label"),
    [
        (Period.month(2026, 12), "2026-12"),
        (Period.quarter(2026, 4), "2026Q4"),
        (Period.quarter(2026, 1, start_month=2), "2026-02-01..2026-05-01"),
        (Period.half(2026, 1), "2026H1"),
        (Period.half(2026, 1, start_month=4), "2026-04-01..2026-10-01"),
        (Period.year(2026), "2026"),
        (Period.year(2026, start_month=4), "2026-04-01..2027-04-01"),
        (Period(dt.date(2026, 1, 1), dt.date(2026, 3, 1)), "2026-01-01..2026-03-01"),
    ],
)
def test_period_labels(period: Period, label: str) -> None:
    assert period_label(period) == label
