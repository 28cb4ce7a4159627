"""Credit control (信用管理): exposure, the credit check at an order, aging, and credit limits.

* `channelkit.credit.exposure`: [`Exposure`][], [`ExposureKind`][],
  [`CreditPolicy`][] and [`CreditOutcome`][];
* `channelkit.credit.openitems`: [`OpenItem`][], [`aging`][] and its [`Aging`][];
* `channelkit.credit.check`: [`check_order`][] and its [`CreditDecision`][];
* `channelkit.credit.limits`: [`propose_credit_limit`][] and its
  [`CreditLimitProposal`][].
"""

from __future__ import annotations

from channelkit.credit.check import CreditDecision, CreditReason, CreditReasonCode, check_order
from channelkit.credit.exposure import CreditOutcome, CreditPolicy, Exposure, ExposureKind
from channelkit.credit.limits import (
    Combine,
    CreditLimitProposal,
    LimitBound,
    LimitMethod,
    propose_credit_limit,
)
from channelkit.credit.openitems import Aging, AgingBucket, OpenItem, aging

__all__ = [
    # exposure and policy
    "Exposure",
    "ExposureKind",
    "CreditPolicy",
    "CreditOutcome",
    # aging
    "OpenItem",
    "AgingBucket",
    "Aging",
    "aging",
    # the credit check
    "check_order",
    "CreditDecision",
    "CreditReason",
    "CreditReasonCode",
    # credit limits
    "propose_credit_limit",
    "CreditLimitProposal",
    "LimitMethod",
    "Combine",
    "LimitBound",
]
