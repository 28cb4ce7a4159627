"""Incentive funds, claims and channel profitability (补贴, 职能付酬, 渠道建设投入, 渠道费用分析).

Market development and co-op funds, subsidies and function-based pay are one mechanism: a
[`FundProgram`][channelkit.incentives.FundProgram] with a budget for a period,
[`allocate_funds`][channelkit.incentives.allocate_funds] to share it among the partners, fund
requests decided against what is left ([`decide_request`][channelkit.incentives.decide_request]),
claims paid against proof within a window ([`decide_claim`][channelkit.incentives.decide_claim]),
and [`fund_balances`][channelkit.incentives.fund_balances] with the ledger behind every figure.
[`profitability`][channelkit.incentives.profitability] then sets what each partner earns the
vendor (its margin) against what it costs: rebates, funds, channel costs by category and the
financing of its payment terms.
"""

from __future__ import annotations

from channelkit.incentives.balances import (
    FundBalance,
    FundBalances,
    FundEntry,
    FundEntryKind,
    fund_balances,
)
from channelkit.incentives.costs import ChannelCost, CostCategory
from channelkit.incentives.decisions import (
    ClaimDecision,
    ClaimReason,
    ClaimReasonCode,
    Decision,
    RequestDecision,
    RequestReason,
    RequestReasonCode,
    decide_claim,
    decide_request,
)
from channelkit.incentives.funds import (
    Claim,
    FundAllocation,
    FundProgram,
    FundRequest,
    allocate_funds,
)
from channelkit.incentives.profit import ProfitabilityReport, ProfitRow, profitability

__all__ = [
    # funds: the programme and what partners ask for
    "FundProgram",
    "FundRequest",
    "Claim",
    # allocation
    "allocate_funds",
    "FundAllocation",
    # decisions
    "decide_request",
    "RequestDecision",
    "RequestReason",
    "RequestReasonCode",
    "Decision",
    "decide_claim",
    "ClaimDecision",
    "ClaimReason",
    "ClaimReasonCode",
    # balances and their ledger
    "fund_balances",
    "FundBalances",
    "FundBalance",
    "FundEntry",
    "FundEntryKind",
    # channel costs and profitability (渠道费用分析)
    "ChannelCost",
    "CostCategory",
    "profitability",
    "ProfitabilityReport",
    "ProfitRow",
]
