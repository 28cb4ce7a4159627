"""The demo's scoring and tiers section: figures from the sample data, checked by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from channelkit import TierChange
from channelkit.demo import sections
from channelkit.demo import tiers as demo

D = Decimal


def test_partner_metrics_from_the_sample_transactions():
    f = demo.partner_metrics()
    # D-EAST: sales 30 x 3,700 + 35 x 2,800 + 25 x 1,850 = 111,000 + 98,000 + 46,250 = 255,250
    # no returns; prior 45 x 3,700 = 166,500; paid 150,000
    assert f["D-EAST"] == {
        "net_sales": D(255_250),
        "growth": D("0.5330"),  # 88,750 / 166,500 = 0.53303...
        "collection_rate": D("0.5877"),  # 150,000 / 255,250 = 0.58766...
        "return_rate": D("0.0000"),
    }
    # O-MALL is new: no prior-year sales, so no growth
    assert f["O-MALL"]["growth"] is None
    # A-CENTRAL did not trade in the quarter: growth -100%, no collection or return rate
    assert f["A-CENTRAL"] == {
        "net_sales": D(0),
        "growth": D("-1.0000"),
        "collection_rate": None,
        "return_rate": None,
    }


def test_decisions():
    d = demo.decisions()
    # D-EAST: 255,250 / 400,000 = 0.638125 x 50 = 31.90625; growth capped 1.2 x 20 = 24;
    # collection 0.5877 / 0.90 = 0.653 x 20 = 13.06; returns 0 -> 1 x 10 = 10: 78.96625
    east = d["D-EAST"]
    assert east.score is not None
    assert east.score.total == D("78.96625")
    assert (east.change, east.tier.code if east.tier else None) == (TierChange.PROMOTED, "GOLD")
    summary = {pid: (x.change, x.tier.code if x.tier else None, x.missed) for pid, x in d.items()}
    assert summary == {
        "D-NORTH": (TierChange.RETAINED, "GOLD", 0),
        "D-EAST": (TierChange.PROMOTED, "GOLD", 0),
        "R-SOUTH": (TierChange.RETAINED, "BRONZE", 0),
        "S-WEST": (TierChange.DEMOTED, "SILVER", 0),
        "O-MALL": (TierChange.NEW, "BRONZE", 0),
        "A-CENTRAL": (TierChange.ON_WATCH, "BRONZE", 1),
    }
    # O-MALL's growth is missing: renormalized over 80 of the 100 weight points
    assert d["O-MALL"].score is not None
    assert d["O-MALL"].score.missing == ("growth",)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["Scorecards and tiers", "Promoted from SILVER", "Demoted from GOLD", "On watch"]),
        ("zh", ["评分卡与分级", "晋级：由 SILVER", "降级：由 GOLD", "观察期", "首次定级"]),
    ],
)
def test_section_in_both_languages(lang, words):
    text = demo.section(lang)
    for w in words:
        assert w in text


def test_section_is_found_in_order():
    assert demo.ORDER == 40
    assert demo.section in sections()
