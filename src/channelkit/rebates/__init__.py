"""Rebates (返利): ladder policies, the rebate engine, settlement, true-up, clawback and accrual.

[`RebatePolicy`][] describes a programme; [`compute_rebate`][] applies it to one basis
with a full, self-explaining [`RebateResult`][]; [`rebate_amounts`][] is the batch path;
[`settle`][] and [`settle_all`][] read transactions; [`accrue`][] books the liability.
"""

from __future__ import annotations

from channelkit.rebates.engine import compute_rebate, rebate_amounts
from channelkit.rebates.groups import GroupSettlement, settle_group
from channelkit.rebates.ledger import LedgerEntry, RebateLedger, ledger
from channelkit.rebates.lint import Finding, FindingCode, lint
from channelkit.rebates.models import (
    Boundary,
    Bracket,
    Condition,
    PayoutStep,
    RebateBasis,
    RebateForm,
    RebatePolicy,
    Scope,
    SettleUnit,
    TierMode,
)
from channelkit.rebates.programs import (
    Program,
    ProgramSettlement,
    Stacking,
    settle_program,
    settle_program_all,
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
from channelkit.rebates.simulate import PartnerDiff, Simulation, SimulationRow, simulate
from channelkit.rebates.versions import PolicyVersions

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
    # programmes and buying groups
    "Program",
    "Stacking",
    "ProgramSettlement",
    "GroupSettlement",
    "settle_program",
    "settle_program_all",
    "settle_group",
    # time: dated terms and the ledger
    "PolicyVersions",
    "RebateLedger",
    "LedgerEntry",
    "ledger",
    # design tools: lint and simulate
    "FindingCode",
    "Finding",
    "lint",
    "Simulation",
    "SimulationRow",
    "PartnerDiff",
    "simulate",
    # bases, tiers and units (tier_basis, per-transaction tiering)
    "SettleUnit",
]
