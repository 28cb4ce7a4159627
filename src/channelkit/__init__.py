"""channelkit: typed models and exact calculators for sales-channel management.

Every public name is importable from here; each area's module holds its models and calculators
(``channelkit.money``, ``channelkit.periods``, ``channelkit.partners``, ...).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from channelkit.errors import (
    ArgumentError,
    ArgumentTypeError,
    ChannelkitError,
    CurrencyMismatchError,
    FrameError,
    InvalidTransitionError,
    PolicyError,
    UndefinedRatioError,
)
from channelkit.labels import Explainable, LabeledEnum
from channelkit.money import Money, allocate
from channelkit.partners import Partner, PartnerKind, PartnerStatus
from channelkit.periods import Frequency, Period
from channelkit.scales import Direction, Severity
from channelkit.schemas import schemas
from channelkit.scoring import Metric, MissingMetric, Score, Scorecard, ScorePart, score
from channelkit.statements import FinancialStatement
from channelkit.tiers import Requirement, Tier, TierBenefits
from channelkit.transactions import Transaction, TransactionKind

# -- area imports: each area adds one block here (keep the blocks in this order) -----------------
# [rebates]
# isort: split
from channelkit.rebates import (
    Accrual,
    Adjustment,
    AdjustmentKind,
    Boundary,
    Bracket,
    Condition,
    NextBracket,
    PayoutStep,
    RebateBasis,
    RebateForm,
    RebateLine,
    RebatePolicy,
    RebateResult,
    Scope,
    Settlement,
    TierMode,
    accrue,
    compute_rebate,
    rebate_amounts,
    settle,
    settle_all,
)

# [/rebates]
# [tiers]
# isort: split
from channelkit.scoring import achievement
from channelkit.tiers import Gap, TierChange, TierDecision, TierProgram, assign_tier

# [/tiers]
# [credit]
# isort: split
from channelkit.credit import (
    Aging,
    AgingBucket,
    Combine,
    CreditDecision,
    CreditLimitProposal,
    CreditOutcome,
    CreditPolicy,
    CreditReason,
    CreditReasonCode,
    Exposure,
    ExposureKind,
    LimitBound,
    LimitMethod,
    OpenItem,
    aging,
    check_order,
    propose_credit_limit,
)

# [/credit]
# [kpi]
# isort: split
from channelkit import kpi
from channelkit.kpi import Balances, RatioReport, financial_ratios

# [/kpi]
# [review]
# isort: split
from channelkit.review import (
    ChannelReview,
    Concentration,
    Coverage,
    Figures,
    GroupRow,
    PartnerRow,
    review,
)

# [/review]
# [conflicts]
# isort: split
from channelkit.conflicts import (
    Conflict,
    ConflictCause,
    ConflictStatus,
    ConflictType,
    DealRegistration,
    DealStatus,
    Recommendation,
    Resolution,
    Stage,
    detect_channel_overlap,
    detect_conflicts,
    detect_deal_overlaps,
    detect_price_violations,
    detect_territory_diversion,
    recommend,
    transition,
)

# [/conflicts]
# [risk]
# isort: split
from channelkit.risk import (
    Indicator,
    RiskAssessment,
    RiskCategory,
    RiskItem,
    RiskMatrix,
    RiskStatus,
    RiskSummary,
    Signal,
    assess,
    heatmap,
    signal,
    summarize,
)

# [/risk]

try:
    __version__: str = version("channelkit")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0+unknown"

__all__ = [
    "__version__",
    # kernel: money and periods
    "Money",
    "allocate",
    "Period",
    "Frequency",
    # kernel: errors
    "ChannelkitError",
    "CurrencyMismatchError",
    "UndefinedRatioError",
    "InvalidTransitionError",
    "PolicyError",
    "ArgumentError",
    "ArgumentTypeError",
    "FrameError",
    # kernel: conventions
    "LabeledEnum",
    "Explainable",
    "Direction",
    "Severity",
    "schemas",
    # facts
    "Partner",
    "PartnerKind",
    "PartnerStatus",
    "Transaction",
    "TransactionKind",
    "FinancialStatement",
    # scoring and tiers
    "Metric",
    "Scorecard",
    "MissingMetric",
    "Score",
    "ScorePart",
    "score",
    "Requirement",
    "TierBenefits",
    "Tier",
    # [rebates-all]
    "RebatePolicy",
    "Bracket",
    "Condition",
    "PayoutStep",
    "Scope",
    "RebateBasis",
    "TierMode",
    "Boundary",
    "RebateForm",
    "AdjustmentKind",
    "RebateResult",
    "RebateLine",
    "NextBracket",
    "Adjustment",
    "Settlement",
    "Accrual",
    "compute_rebate",
    "rebate_amounts",
    "settle",
    "settle_all",
    "accrue",
    # [/rebates-all]
    # [tiers-all]
    "achievement",
    "TierProgram",
    "TierChange",
    "Gap",
    "TierDecision",
    "assign_tier",
    # [/tiers-all]
    # [credit-all]
    # credit: exposure, policy, aging, the credit check, credit limits
    "Exposure",
    "ExposureKind",
    "CreditPolicy",
    "CreditOutcome",
    "OpenItem",
    "AgingBucket",
    "Aging",
    "aging",
    "check_order",
    "CreditDecision",
    "CreditReason",
    "CreditReasonCode",
    "propose_credit_limit",
    "CreditLimitProposal",
    "LimitMethod",
    "Combine",
    "LimitBound",
    # [/credit-all]
    # [kpi-all]
    "kpi",
    "financial_ratios",
    "RatioReport",
    "Balances",
    # [/kpi-all]
    # [review-all]
    "review",
    "ChannelReview",
    "Figures",
    "PartnerRow",
    "GroupRow",
    "Coverage",
    "Concentration",
    # [/review-all]
    # [conflicts-all]
    "Conflict",
    "ConflictType",
    "ConflictCause",
    "ConflictStatus",
    "Resolution",
    "transition",
    "DealRegistration",
    "DealStatus",
    "detect_price_violations",
    "detect_territory_diversion",
    "detect_deal_overlaps",
    "detect_channel_overlap",
    "detect_conflicts",
    "recommend",
    "Recommendation",
    "Stage",
    # [/conflicts-all]
    # [risk-all]
    "RiskItem",
    "RiskCategory",
    "RiskStatus",
    "Indicator",
    "Signal",
    "signal",
    "RiskMatrix",
    "assess",
    "RiskAssessment",
    "heatmap",
    "summarize",
    "RiskSummary",
    # [/risk-all]
]
