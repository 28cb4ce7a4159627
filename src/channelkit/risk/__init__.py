"""Channel risk (渠道风险): the risk register, early-warning indicators, assessment and summary.

* :mod:`channelkit.risk.models`: :class:`RiskItem`, :class:`RiskCategory`, :class:`RiskStatus`,
  :class:`Indicator` with :class:`Signal` and :func:`signal`;
* :mod:`channelkit.risk.assessment`: :class:`RiskMatrix`, :func:`assess` and
  :class:`RiskAssessment`;
* :mod:`channelkit.risk.register`: :func:`heatmap`, :func:`summarize` and :class:`RiskSummary`.
"""

from __future__ import annotations

from channelkit.risk.assessment import RiskAssessment, RiskMatrix, assess
from channelkit.risk.models import Indicator, RiskCategory, RiskItem, RiskStatus, Signal, signal
from channelkit.risk.register import RiskSummary, heatmap, summarize

__all__ = [
    # the register
    "RiskItem",
    "RiskCategory",
    "RiskStatus",
    # early warning
    "Indicator",
    "Signal",
    "signal",
    # assessment
    "RiskMatrix",
    "assess",
    "RiskAssessment",
    # the register as a whole
    "heatmap",
    "summarize",
    "RiskSummary",
]
