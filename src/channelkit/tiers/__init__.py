"""Partner tiers (分级管理): levels with requirements, the benefits they bring, and placement.

A :class:`Tier` says what a partner must achieve (requirements on metrics, a minimum score) and
what it gets (:class:`TierBenefits`: a rebate multiplier, a credit multiplier, payment terms). A
:class:`TierProgram` ranks the tiers and sets the demotion grace; :func:`assign_tier` places a
partner at each periodic evaluation, with immediate promotion, demotion after the grace, and the
gaps to the next tier up (:class:`TierDecision`).

The area is split in two modules, both re-exported here: :mod:`channelkit.tiers.models` (the
programme) and :mod:`channelkit.tiers.assignment` (the decision).
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
