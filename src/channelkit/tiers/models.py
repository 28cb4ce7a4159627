"""The tier models: requirements, benefits, tiers and the programme that ranks them."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Self

from pydantic import Field, model_validator

from channelkit.model import Id, Model
from channelkit.numeric import Count, Dec, NonNegativeCount, NonNegativeDecimal
from channelkit.scoring import Scorecard

__all__ = ["Requirement", "Tier", "TierBenefits", "TierProgram"]


class Requirement(Model):
    """A metric a tier requires: qualified when the partner's figure is at least ``minimum``."""

    metric: Id
    """The metric's key."""
    minimum: Dec
    """The least figure that meets the requirement (inclusive)."""


class TierBenefits(Model):
    """What a tier gives its partners."""

    rebate_multiplier: NonNegativeDecimal = Decimal(1)
    """Factor applied to rebates (after conditions and payout, before the cap)."""
    credit_multiplier: NonNegativeDecimal = Decimal(1)
    """Factor applied to credit limits."""
    payment_terms_days: NonNegativeCount | None = None
    """Payment terms the tier grants, ``None`` to keep the partner's own."""


class Tier(Model):
    """One level of a tier programme; a higher ``rank`` is a better tier.

    Examples
    --------
    >>> gold = Tier(code="GOLD", name="Gold", rank=3,
    ...             requirements=(Requirement(metric="sales", minimum=1_000_000),),
    ...             benefits=TierBenefits(rebate_multiplier=Decimal("1.2")))
    >>> gold.benefits.rebate_multiplier
    Decimal('1.2')
    """

    code: Id
    """Short code stored on the partner (``Partner.tier``)."""
    name: Annotated[str, Field(min_length=1)]
    """Display name."""
    rank: Count
    """Position in the programme: higher is better; unique within a programme (below 10**9 in
    absolute value)."""
    requirements: tuple[Requirement, ...] = ()
    """Every requirement must be met to qualify."""
    min_score: Dec | None = None
    """The scorecard total the tier needs, if any."""
    benefits: TierBenefits = TierBenefits()
    """What the tier brings."""


class TierProgram(Model):
    """The tiers of a partner programme (分级管理), the scorecard and the demotion grace.

    Tiers may be listed in any order; ``rank`` orders them (higher is better). Codes and ranks
    are unique. A tier with a ``min_score`` needs the programme's ``scorecard`` (which computes
    the score), and its ``min_score`` must be reachable on it (at most ``scorecard.max_total``).

    Examples
    --------
    >>> program = TierProgram(tiers=(
    ...     Tier(code="SILVER", name="Silver", rank=2,
    ...          requirements=(Requirement(metric="sales", minimum=500_000),)),
    ...     Tier(code="BRONZE", name="Bronze", rank=1),
    ... ))
    >>> [t.code for t in program.ranked], program.demotion_grace
    (['BRONZE', 'SILVER'], 1)
    >>> TierProgram(tiers=(Tier(code="A", name="A", rank=1), Tier(code="A", name="B", rank=2)))
    Traceback (most recent call last):
    pydantic_core._pydantic_core.ValidationError: 1 validation error for TierProgram
      Value error, tiers must have unique codes: 'A' appears twice ...
    """

    tiers: Annotated[tuple[Tier, ...], Field(min_length=1)]
    """The tiers, each code and each rank once."""
    scorecard: Scorecard | None = None
    """The scorecard whose total the tiers' ``min_score`` is compared with, if any."""
    demotion_grace: NonNegativeCount = 1
    """How many evaluations in a row a partner may fail its tier and keep it (ON_WATCH);
    0 demotes at the first failure."""

    @model_validator(mode="after")
    def _check_tiers(self) -> Self:
        codes: set[str] = set()
        ranks: dict[int, str] = {}
        for t in self.tiers:
            if t.code in codes:
                msg = f"tiers must have unique codes: {t.code!r} appears twice"
                raise ValueError(msg)
            if t.rank in ranks:
                msg = (
                    f"tiers must have unique ranks: {t.code!r} and {ranks[t.rank]!r} "
                    f"both have rank {t.rank}"
                )
                raise ValueError(msg)
            codes.add(t.code)
            ranks[t.rank] = t.code
            if t.min_score is None:
                continue
            if self.scorecard is None:
                msg = (
                    f"tier {t.code!r} has min_score {t.min_score} but the programme has no "
                    f"scorecard to compute a score"
                )
                raise ValueError(msg)
            if t.min_score > self.scorecard.max_total:
                msg = (
                    f"tier {t.code!r} has min_score {t.min_score}, above the most the "
                    f"scorecard can give ({self.scorecard.max_total})"
                )
                raise ValueError(msg)
        return self

    @property
    def ranked(self) -> tuple[Tier, ...]:
        """The tiers from the lowest rank to the highest.

        Sorted when asked (a programme has a handful of tiers), so nothing is kept on the frozen
        instance and a copy with other tiers is always right.
        """
        return tuple(sorted(self.tiers, key=_rank))

    def tier(self, code: str) -> Tier:
        """The tier whose code is ``code``; ``KeyError`` if there is none.

        Examples
        --------
        >>> TierProgram(tiers=(Tier(code="GOLD", name="Gold", rank=3),)).tier("GOLD").rank
        3
        """
        for t in self.tiers:
            if t.code == code:
                return t
        raise KeyError(code)

    def above(self, tier: Tier | None) -> Tier | None:
        """The next tier up from ``tier`` (the lowest tier from ``None``); ``None`` at the top."""
        ranked = self.ranked
        if tier is None:
            return ranked[0]
        for t in ranked:
            if t.rank > tier.rank:
                return t
        return None


def _rank(tier: Tier) -> int:
    return tier.rank
