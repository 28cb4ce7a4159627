"""The channel performance review (渠道绩效评估): a period's channel numbers from raw transactions.

[`review`][] reads the transactions once and gives the figures a channel team's work summary
(渠道工作总结) is built on: total, direct and indirect sales, one row per partner (share, growth,
attainment, collection and return rates), rows by territory and by partner kind, territory
coverage, concentration on the head partners, and the laggards.
"""

from __future__ import annotations

from channelkit.review.engine import review
from channelkit.review.models import (
    ChannelReview,
    Concentration,
    Coverage,
    Figures,
    GroupRow,
    PartnerRow,
)

__all__ = [
    # results
    "ChannelReview",
    "Figures",
    "PartnerRow",
    "GroupRow",
    "Coverage",
    "Concentration",
    # calculator
    "review",
]
