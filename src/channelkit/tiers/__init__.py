"""Partner tiers (分级管理): levels with requirements, the benefits they bring, and placement.

A [`Tier`][] says what a partner must achieve (requirements on metrics, a minimum score) and
what it gets ([`TierBenefits`][]: a rebate multiplier, a credit multiplier, payment terms). A
[`TierProgram`][] ranks the tiers and sets the demotion grace; [`assign_tier`][] places a
partner at each periodic evaluation, with immediate promotion, demotion after the grace, and the
gaps to the next tier up ([`TierDecision`][]).

The area is split in two modules, both re-exported here: `channelkit.tiers.models` (the
programme) and `channelkit.tiers.assignment` (the decision).
"""

from __future__ import annotations

from channelkit.tiers.assignment import SCORE_METRIC, Gap, TierChange, TierDecision, assign_tier
from channelkit.tiers.models import Requirement, Tier, TierBenefits, TierProgram

__all__ = [
    # models
    "Requirement",
    "TierBenefits",
    "Tier",
    "TierProgram",
    # results
    "TierChange",
    "Gap",
    "TierDecision",
    "SCORE_METRIC",
    # calculators
    "assign_tier",
]
