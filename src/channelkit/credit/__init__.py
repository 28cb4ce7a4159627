"""Credit control (信用管理): exposure, the credit check at an order, aging, and credit limits.

* :mod:`channelkit.credit.exposure`: :class:`Exposure`, :class:`ExposureKind`,
  :class:`CreditPolicy` and :class:`CreditOutcome`;
* :mod:`channelkit.credit.openitems`: :class:`OpenItem`, :func:`aging` and its :class:`Aging`;
* :mod:`channelkit.credit.check`: :func:`check_order` and its :class:`CreditDecision`;
* :mod:`channelkit.credit.limits`: :func:`propose_credit_limit` and its
  :class:`CreditLimitProposal`.
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
