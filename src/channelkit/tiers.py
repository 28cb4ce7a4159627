"""Partner tiers (分级管理): levels with requirements and the benefits they bring.

A :class:`Tier` says what a partner must achieve (requirements on metrics, a minimum score) and
what it gets (:class:`TierBenefits`: a rebate multiplier, a credit multiplier, payment terms).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field

from channelkit.model import Id, Model
from channelkit.numeric import Dec, NonNegativeDecimal

__all__ = ["Requirement", "Tier", "TierBenefits"]


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
    payment_terms_days: Annotated[int, Field(ge=0)] | None = None
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
    rank: int
    """Position in the programme: higher is better; unique within a programme."""
    requirements: tuple[Requirement, ...] = ()
    """Every requirement must be met to qualify."""
    min_score: Dec | None = None
    """The scorecard total the tier needs, if any."""
    benefits: TierBenefits = TierBenefits()
    """What the tier brings."""
