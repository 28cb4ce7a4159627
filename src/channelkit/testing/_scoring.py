"""Hypothesis strategies for scorecards and tiers' building blocks."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from channelkit.scales import Direction
from channelkit.scoring import Metric, MissingMetric, Score, Scorecard, ScorePart, score
from channelkit.tiers import Requirement, Tier, TierBenefits

__all__ = [
    "actuals",
    "metrics",
    "requirements",
    "score_parts",
    "scorecards",
    "scores",
    "tier_benefits",
    "tiers",
]

_KEYS = ("sales", "growth", "collection_rate", "dso", "returns", "coverage")


def _decimals(min_value: Decimal | int, max_value: Decimal | int) -> st.SearchStrategy[Decimal]:
    """Two-place decimals in ``[min_value, max_value]``: ``amounts()`` without its ``flatmap``."""
    return st.decimals(
        min_value=Decimal(min_value),
        max_value=Decimal(max_value),
        places=2,
        allow_nan=False,
        allow_infinity=False,
    )


def metrics(
    *,
    keys: st.SearchStrategy[str] | None = None,
    directions: st.SearchStrategy[Direction] | None = None,
) -> st.SearchStrategy[Metric]:
    """Valid metrics with positive weights and targets and a cap from 1 to 2."""
    return st.builds(
        Metric,
        key=keys if keys is not None else st.sampled_from(_KEYS),
        weight=_decimals(Decimal("0.01"), 100),
        target=_decimals(Decimal("0.01"), 10**6),
        direction=directions if directions is not None else st.sampled_from(Direction),
        cap=st.sampled_from([Decimal(1), Decimal("1.2"), Decimal("1.5"), Decimal(2)]),
    )


def scorecards(
    *,
    metrics: st.SearchStrategy[Metric] | None = None,
    min_size: int = 1,
    max_size: int = 5,
    missing: st.SearchStrategy[MissingMetric] | None = None,
) -> st.SearchStrategy[Scorecard]:
    """Scorecards of ``min_size`` to ``max_size`` metrics with unique keys."""
    metric_st = metrics if metrics is not None else _metrics()
    return st.builds(
        Scorecard,
        metrics=st.lists(
            metric_st, min_size=min_size, max_size=max_size, unique_by=lambda m: m.key
        ).map(tuple),
        missing=missing if missing is not None else st.sampled_from(MissingMetric),
    )


_metrics = metrics


def actuals(
    *,
    keys: tuple[str, ...] = _KEYS,
    min_value: Decimal | int = 0,
    max_value: Decimal | int = 2 * 10**6,
    allow_missing: bool = True,
) -> st.SearchStrategy[dict[str, Decimal]]:
    """Figures by metric key (some keys left out when ``allow_missing``), never negative by default.

    ``min_value`` below 0 can make a lower-is-better metric fail to score (a ``ValueError``).
    """
    figure = _decimals(min_value, max_value)
    if not allow_missing:
        return st.fixed_dictionaries(dict.fromkeys(keys, figure))
    return st.fixed_dictionaries({}, optional=dict.fromkeys(keys, figure))


_actuals = actuals


def scores(
    *,
    scorecards: st.SearchStrategy[Scorecard] | None = None,
    actuals: st.SearchStrategy[dict[str, Decimal]] | None = None,
) -> st.SearchStrategy[Score]:
    """Results of [`score`][] on drawn scorecards and figures.

    Scorecards that refuse missing figures (``RAISE``) are given every figure.
    """
    card_st = scorecards if scorecards is not None else _scorecards()
    fig_st = actuals if actuals is not None else _actuals()

    @st.composite
    def build(draw: st.DrawFn) -> Score:
        card = draw(card_st)
        figures = draw(fig_st)
        if card.missing is MissingMetric.RAISE:
            for m in card.metrics:
                figures.setdefault(m.key, m.target)
        return score(card, figures)

    return build()


_scorecards = scorecards


def score_parts() -> st.SearchStrategy[ScorePart]:
    """One part of a drawn [`Score`][]."""
    return scores().flatmap(lambda s: st.sampled_from(s.parts))


def requirements(*, keys: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Requirement]:
    """Requirements on a metric with a minimum from 0 to 10**6."""
    return st.builds(
        Requirement,
        metric=keys if keys is not None else st.sampled_from(_KEYS),
        minimum=_decimals(0, 10**6),
    )


def tier_benefits() -> st.SearchStrategy[TierBenefits]:
    """Benefits with multipliers from 0.5 to 2."""
    return st.builds(
        TierBenefits,
        rebate_multiplier=_decimals(Decimal("0.5"), 2),
        credit_multiplier=_decimals(Decimal("0.5"), 2),
        payment_terms_days=st.none() | st.integers(min_value=0, max_value=120),
    )


def tiers(*, ranks: st.SearchStrategy[int] | None = None) -> st.SearchStrategy[Tier]:
    """Single tiers (a programme's tiers come from ``tier_programs()``)."""
    return st.builds(
        Tier,
        code=st.sampled_from(["BRONZE", "SILVER", "GOLD", "PLATINUM"]),
        name=st.text(min_size=1, max_size=12),
        rank=ranks if ranks is not None else st.integers(min_value=0, max_value=10),
        requirements=st.lists(requirements(), max_size=3, unique_by=lambda r: r.metric).map(tuple),
        min_score=st.none() | _decimals(0, 100),
        benefits=tier_benefits(),
    )


REGISTRY: dict[type, Callable[[], st.SearchStrategy[Any]]] = {
    Metric: metrics,
    Scorecard: scorecards,
    Score: scores,
    ScorePart: score_parts,
    Requirement: requirements,
    TierBenefits: tier_benefits,
    Tier: tiers,
}
"""The types this module's strategies are registered for with ``st.from_type``."""
