"""Channel risk (渠道风险): the risk register, early-warning indicators, assessment and summary.

* `channelkit.risk.models`: [`RiskItem`][], [`RiskCategory`][], [`RiskStatus`][],
  [`Indicator`][] with [`Signal`][] and [`signal`][];
* `channelkit.risk.assessment`: [`RiskMatrix`][], [`assess`][] and
  [`RiskAssessment`][];
* `channelkit.risk.register`: [`heatmap`][], [`summarize`][] and [`RiskSummary`][].
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
