"""What every chart shares: the figure, matplotlib imported on demand, labels and colours.

Figures are built with matplotlib's object-oriented API (``matplotlib.figure.Figure()``), never
through ``pyplot``: no global state is touched, nothing is shown or saved.

Amounts reach matplotlib as floats, converted by [`drawn`][] at the last moment; every figure the
chart computes is computed in ``Decimal`` first.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from channelkit.periods import Period
from channelkit.plot._fonts import Fonts

if TYPE_CHECKING:
    from collections.abc import Sequence

    from matplotlib.axes import Axes
    from matplotlib.axis import XAxis, YAxis
    from matplotlib.figure import Figure

__all__ = [
    "MISSING",
    "drawn",
    "font",
    "legend",
    "new_figure",
    "number_axis",
    "percent_axis",
    "period_label",
    "require",
    "short",
    "style_axes",
]

MISSING: Final = (
    "channelkit.plot needs matplotlib, which is not installed: pip install 'channelkit[plot]'"
)
"""The message of the ``ImportError`` raised when matplotlib is missing."""

BLUE: Final = "#4c72b0"
GREY: Final = "#9a9a9a"
RED: Final = "#c44e52"
ORANGE: Final = "#dd8452"
SEVERITY_COLOURS: Final = ("#8fcf8f", "#f5dc6b", "#f2a054", "#d9534f")
"""LOW, MEDIUM, HIGH, CRITICAL: green, yellow, orange, red."""
LABEL_LIMIT: Final = 20
"""The longest tick label drawn from the data (a partner id, a territory), in characters."""


def require() -> None:
    """Import matplotlib, or raise an ``ImportError`` that says how to install it."""
    try:
        import matplotlib.figure  # noqa: F401
    except ImportError as err:
        raise ImportError(MISSING, name="matplotlib") from err


def new_figure(width: float, height: float) -> Figure:
    """An empty figure of ``width`` by ``height`` inches, laid out by constrained layout."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def drawn(value: Decimal) -> float:
    """A figure as matplotlib draws it: the only conversion of a ``Decimal`` to ``float``."""
    return float(value)


def style_axes(ax: Axes, fonts: Fonts) -> None:
    """Give the tick labels of ``ax`` the figure's fonts (ticks are made when drawn)."""
    ax.tick_params(labelfontfamily=list(fonts.families))


def _grouped(value: float, _position: object = None) -> str:
    """A tick value with thousands separators, plain up to 12 digits (``1,250,000``)."""
    return f"{value:,.12g}"


def number_axis(axis: XAxis | YAxis) -> None:
    """Label the ticks of ``axis`` with thousands separators."""
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(_grouped))


def percent_axis(axis: XAxis | YAxis) -> None:
    """Label the ticks of ``axis``, which holds fractions, as percentages."""
    from matplotlib.ticker import PercentFormatter

    axis.set_major_formatter(PercentFormatter(xmax=1))


def font(fonts: Fonts, **more: Any) -> dict[str, Any]:
    """Keyword arguments that give a text the figure's fonts."""
    return {"fontfamily": list(fonts.families), **more}


def legend(fig: Figure, fonts: Fonts, handles: Sequence[Any]) -> None:
    """The figure's legend, in one row below the axes (where it hides no data).

    ``handles`` are artists or containers (a ``BarContainer``), each with its label.
    """
    fig.legend(
        handles=list(handles),
        loc="outside lower center",
        ncols=len(handles),
        frameon=False,
        prop={"family": list(fonts.families)},
    )


def short(text: str, limit: int = LABEL_LIMIT) -> str:
    """``text`` cut to ``limit`` characters, the last one an ellipsis, when it is longer.

    A tick label of a few hundred characters would leave the axes no room at all.

    Examples
    --------
    >>> short("D-NORTH"), short("Beifang Trading and Logistics Co.", 12)
    ('D-NORTH', 'Beifang Tra…')
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"


def period_label(period: Period, *, span: bool = True) -> str:
    """A short name of ``period``: ``2026-07``, ``2026Q3``, ``2026H2``, ``2026``, else its span.

    With ``span=False`` a period of no such name is named by its first day (enough for
    contiguous periods, each of which ends where the next starts).

    Examples
    --------
    >>> period_label(Period.quarter(2026, 3)), period_label(Period.month(2026, 7))
    ('2026Q3', '2026-07')
    >>> period_label(Period.half(2026, 2)), period_label(Period.year(2026))
    ('2026H2', '2026')
    >>> import datetime as dt
    >>> weeks = Period(dt.date(2026, 7, 1), dt.date(2026, 7, 15))
    >>> period_label(weeks), period_label(weeks, span=False)
    ('2026-07-01..2026-07-15', '2026-07-01')
    """
    start, end = period.start, period.end
    if start.day == 1 and end.day == 1:
        months = (end.year - start.year) * 12 + end.month - start.month
        if months == 1:
            return f"{start.year}-{start.month:02d}"
        if months == 3 and start.month % 3 == 1:
            return f"{start.year}Q{(start.month + 2) // 3}"
        if months == 6 and start.month in (1, 7):
            return f"{start.year}H{1 if start.month == 1 else 2}"
        if months == 12 and start.month == 1:
            return str(start.year)
    return str(period) if span else start.isoformat()
