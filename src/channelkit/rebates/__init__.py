"""Rebates (返利): ladder policies, the rebate engine, settlement, true-up, clawback and accrual.

[`RebatePolicy`][] describes a programme; [`compute_rebate`][] applies it to one basis
with a full, self-explaining [`RebateResult`][]; [`rebate_amounts`][] is the batch path;
[`settle`][] and [`settle_all`][] read transactions; [`accrue`][] books the liability.
"""

from __future__ import annotations

from channelkit.rebates.engine import compute_rebate, rebate_amounts
from channelkit.rebates.models import (
    Boundary,
    Bracket,
    Condition,
    PayoutStep,
    RebateBasis,
    RebateForm,
    RebatePolicy,
    Scope,
    TierMode,
)
from channelkit.rebates.results import (
    Adjustment,
    AdjustmentKind,
    NextBracket,
    RebateLine,
    RebateResult,
)
from channelkit.rebates.settled import Accrual, Settlement
from channelkit.rebates.settlement import accrue, settle, settle_all

__all__ = [
    # models
    "RebatePolicy",
    "Bracket",
    "Condition",
    "PayoutStep",
    "Scope",
    # enums
    "RebateBasis",
    "TierMode",
    "Boundary",
    "RebateForm",
    "AdjustmentKind",
    # results
    "RebateResult",
    "RebateLine",
    "NextBracket",
    "Adjustment",
    "Settlement",
    "Accrual",
    # calculators
    "compute_rebate",
    "rebate_amounts",
    "settle",
    "settle_all",
    "accrue",
]
