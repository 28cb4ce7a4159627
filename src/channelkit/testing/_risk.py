"""Hypothesis strategies for the risk register: indicators, risk items, matrices and results."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from channelkit.risk import (
    Indicator,
    RiskAssessment,
    RiskCategory,
    RiskItem,
    RiskMatrix,
    RiskStatus,
    RiskSummary,
    assess,
    summarize,
)
from channelkit.scales import Direction
from channelkit.testing._kernel import ids

__all__ = [
    "indicators",
    "risk_assessments",
    "risk_items",
    "risk_matrices",
    "risk_summaries",
]

_KEYS = ("dso", "overdue_share", "collection_rate", "below_floor_share", "distribution_rate")
_FIRST_DAY = dt.date(2020, 1, 1)
_LAST_DAY = dt.date(2030, 12, 31)
_DEFAULT_HIGH = RiskMatrix().high_max


def _hundredths(min_value: Decimal, max_value: Decimal) -> st.SearchStrategy[Decimal]:
    """Decimals with two places in ``[min_value, max_value]`` (drawn as integers: fast)."""
    low = int((min_value * 100).to_integral_value(rounding="ROUND_CEILING"))
    high = int((max_value * 100).to_integral_value(rounding="ROUND_FLOOR"))
    return st.integers(min_value=low, max_value=high).map(lambda n: Decimal(n).scaleb(-2))


@st.composite
def _indicator(
    draw: st.DrawFn,
    keys: st.SearchStrategy[str],
    directions: st.SearchStrategy[Direction],
    min_value: Decimal,
    max_value: Decimal,
) -> Indicator:
    direction = draw(directions)
    values = _hundredths(min_value, max_value)
    low, high = sorted((draw(values), draw(values)))
    # LOWER_IS_BETTER: red is the higher threshold; HIGHER_IS_BETTER: the lower one.
    amber, red = (low, high) if direction is Direction.LOWER_IS_BETTER else (high, low)
    # Often exactly on a threshold, where the comparison's equality matters.
    value = draw(st.sampled_from((amber, red)) | values)
    return Indicator(key=draw(keys), value=value, amber=amber, red=red, direction=direction)


def indicators(
    *,
    keys: st.SearchStrategy[str] | None = None,
    directions: st.SearchStrategy[Direction] | None = None,
    min_value: Decimal | int = -1000,
    max_value: Decimal | int = 1000,
) -> st.SearchStrategy[Indicator]:
    """Valid indicators: thresholds in the order their direction needs, values often on one."""
    return _indicator(
        keys if keys is not None else st.sampled_from(_KEYS),
        directions if directions is not None else st.sampled_from(Direction),
        Decimal(min_value),
        Decimal(max_value),
    )


_indicators = indicators


@st.composite
def _risk_item(
    draw: st.DrawFn,
    categories: st.SearchStrategy[RiskCategory],
    statuses: st.SearchStrategy[RiskStatus],
    indicator_st: st.SearchStrategy[Indicator],
    max_indicators: int,
) -> RiskItem:
    identified = draw(st.dates(min_value=_FIRST_DAY, max_value=_LAST_DAY))
    review_by = draw(st.none() | st.dates(min_value=identified, max_value=_LAST_DAY))
    return RiskItem(
        id=draw(ids("R")),
        title=draw(st.sampled_from(("late payments", "price war", "data leak", "shelf loss"))),
        category=draw(categories),
        likelihood=draw(st.integers(min_value=1, max_value=5)),
        impact=draw(st.integers(min_value=1, max_value=5)),
        control_effectiveness=draw(
            st.sampled_from((Decimal(0), Decimal("0.25"), Decimal("0.5"), Decimal(1)))
            | st.integers(min_value=0, max_value=10**6).map(lambda n: Decimal(n).scaleb(-6))
        ),
        partner_id=draw(st.none() | ids("P")),
        owner=draw(st.none() | st.sampled_from(("credit", "sales", "it"))),
        identified=identified,
        review_by=review_by,
        status=draw(statuses),
        indicators=tuple(
            draw(st.lists(indicator_st, max_size=max_indicators, unique_by=lambda i: i.key))
        ),
    )


def risk_items(
    *,
    categories: st.SearchStrategy[RiskCategory] | None = None,
    statuses: st.SearchStrategy[RiskStatus] | None = None,
    indicators: st.SearchStrategy[Indicator] | None = None,
    max_indicators: int = 3,
) -> st.SearchStrategy[RiskItem]:
    """Valid risk items: scores 1 to 5, ``review_by`` never before ``identified``, unique keys."""
    return _risk_item(
        categories if categories is not None else st.sampled_from(RiskCategory),
        statuses if statuses is not None else st.sampled_from(RiskStatus),
        indicators if indicators is not None else _indicators(),
        max_indicators,
    )


_risk_items = risk_items


@st.composite
def _matrix(draw: st.DrawFn, max_value: Decimal) -> RiskMatrix:
    edges = draw(
        st.lists(
            _hundredths(Decimal(0), max_value),
            min_size=3,
            max_size=3,
            unique=True,
        )
    )
    low, medium, high = sorted(edges)
    return RiskMatrix(low_max=low, medium_max=medium, high_max=high)


def risk_matrices(*, max_value: Decimal | int = 25) -> st.SearchStrategy[RiskMatrix]:
    """Valid risk matrices: three strictly rising band edges in ``[0, max_value]``.

    The default matrix (4, 9, 16) is drawn often when it fits under ``max_value``.
    """
    drawn = _matrix(Decimal(max_value))
    return st.just(RiskMatrix()) | drawn if max_value >= _DEFAULT_HIGH else drawn


_risk_matrices = risk_matrices


def risk_assessments(
    *,
    items: st.SearchStrategy[RiskItem] | None = None,
    matrices: st.SearchStrategy[RiskMatrix] | None = None,
) -> st.SearchStrategy[RiskAssessment]:
    """Assessments of drawn risk items on drawn matrices."""
    return st.builds(
        assess,
        items if items is not None else _risk_items(),
        matrices if matrices is not None else _risk_matrices(),
    )


def risk_summaries(
    *, items: st.SearchStrategy[RiskItem] | None = None, max_size: int = 6
) -> st.SearchStrategy[RiskSummary]:
    """Summaries of drawn registers of up to ``max_size`` risks on a drawn day."""
    return st.builds(
        lambda register, day: summarize(register, as_of=day),
        st.lists(items if items is not None else _risk_items(), max_size=max_size),
        st.dates(min_value=_FIRST_DAY, max_value=_LAST_DAY),
    )


REGISTRY: dict[type, Callable[[], st.SearchStrategy[Any]]] = {
    Indicator: indicators,
    RiskItem: risk_items,
    RiskMatrix: risk_matrices,
    RiskAssessment: risk_assessments,
    RiskSummary: risk_summaries,
}
"""The types this module's strategies are registered for with ``st.from_type``."""
