"""Hypothesis strategies for tier programmes and tier decisions."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from channelkit.numeric import CONTEXT
from channelkit.scoring import Scorecard
from channelkit.testing._kernel import ids
from channelkit.testing._scoring import (
    _decimals,
    actuals,
    requirements,
    scorecards,
    tier_benefits,
)
from channelkit.tiers import Gap, Tier, TierDecision, TierProgram, assign_tier

__all__ = ["gaps", "tier_decisions", "tier_programs"]

_CODES = ("BRONZE", "SILVER", "GOLD", "PLATINUM", "DIAMOND")


def tier_programs(
    *,
    min_size: int = 1,
    max_size: int = 4,
    scorecards: st.SearchStrategy[Scorecard | None] | None = None,
    keys: st.SearchStrategy[str] | None = None,
    max_grace: int = 3,
) -> st.SearchStrategy[TierProgram]:
    """Valid programmes of ``min_size`` to ``max_size`` tiers with unique codes and ranks.

    A tier gets a ``min_score`` only when the programme has a scorecard, and never above what
    the scorecard can give; requirements read ``keys`` (the scoring strategies' keys by default).
    """
    card_st = scorecards if scorecards is not None else st.none() | _scorecards()

    @st.composite
    def build(draw: st.DrawFn) -> TierProgram:
        card = draw(card_st)
        n = draw(st.integers(min_value=min_size, max_value=max_size))
        ranks = draw(st.lists(st.integers(-5, 20), min_size=n, max_size=n, unique=True))
        codes = draw(
            st.lists(st.sampled_from(_CODES) | ids("T"), min_size=n, max_size=n, unique=True)
        )
        score_st: st.SearchStrategy[Decimal | None] = (
            st.none() if card is None else st.none() | _decimals(0, card.max_total)
        )
        tiers = tuple(
            Tier(
                code=code,
                name=draw(st.text(min_size=1, max_size=12)),
                rank=rank,
                requirements=tuple(
                    draw(
                        st.lists(requirements(keys=keys), max_size=3, unique_by=lambda r: r.metric)
                    )
                ),
                min_score=draw(score_st),
                benefits=draw(tier_benefits()),
            )
            for code, rank in zip(codes, ranks, strict=True)
        )
        grace = draw(st.integers(min_value=0, max_value=max_grace))
        return TierProgram(tiers=tiers, scorecard=card, demotion_grace=grace)

    return build()


_scorecards = scorecards


def tier_decisions(
    *, programs: st.SearchStrategy[TierProgram] | None = None
) -> st.SearchStrategy[TierDecision]:
    """Results of [`assign_tier`][] on drawn programmes, figures and counters.

    Every figure a requirement or a ``RAISE`` scorecard reads is supplied.
    """
    program_st = programs if programs is not None else tier_programs()

    @st.composite
    def build(draw: st.DrawFn) -> TierDecision:
        program = draw(program_st)
        figures = draw(actuals(allow_missing=False))
        keys = {r.metric for t in program.tiers for r in t.requirements}
        if program.scorecard is not None:
            keys.update(m.key for m in program.scorecard.metrics)
        for key in keys:
            figures.setdefault(key, draw(_decimals(0, 2 * 10**6)))
        current = draw(st.none() | st.sampled_from([t.code for t in program.tiers]))
        missed = draw(st.integers(min_value=0, max_value=program.demotion_grace + 1))
        return assign_tier(program, figures, current=current, missed=missed)

    return build()


def gaps() -> st.SearchStrategy[Gap]:
    """Gaps with ``actual < required`` and ``shortfall = required - actual``."""
    return st.builds(
        lambda metric, required, short: Gap(
            metric=metric,
            required=required,
            actual=CONTEXT.subtract(required, short),  # not the caller's context
            shortfall=short,
        ),
        st.sampled_from(["sales", "growth", "collection_rate", "score"]),
        _decimals(-(10**6), 10**6),
        _decimals(Decimal("0.01"), 10**6),
    )


REGISTRY: dict[type, Callable[[], st.SearchStrategy[Any]]] = {
    TierProgram: tier_programs,
    TierDecision: tier_decisions,
    Gap: gaps,
}
"""The types this module's strategies are registered for with ``st.from_type``."""
