"""The demo opens with the sample quarter's channel review, in both languages."""

from __future__ import annotations

from decimal import Decimal

import pytest

from channelkit import Money
from channelkit.demo import render
from channelkit.demo.review import TARGETS, sample_review, section
from channelkit.numeric import CONTEXT


def test_the_sample_review_by_hand() -> None:
    r = sample_review()
    # D-NORTH: 40 x 2900 + 20 x 3800 + 60 x 1900 + 50 x 2850 = 448,500, less 4 x 2900 = 436,900;
    # a year earlier 80 x 2900 + 50 x 1900 = 327,000, so growth 109,900 / 327,000
    north = r.partner("D-NORTH")
    assert north.figures.net_sales == Money(436_900, "CNY")
    assert north.growth == CONTEXT.divide(109_900, 327_000)
    assert north.attainment == CONTEXT.divide(436_900, 500_000)
    # sales 448,500 + 255,250 + 87,000 + 156,500 + 71,750 + 64,000 (direct) = 1,083,000;
    # returns 11,600 + 5,400 = 17,000
    assert r.total.gross_sales == Money(1_083_000, "CNY")
    assert r.total.net_sales == Money(1_066_000, "CNY")
    # prior 327,000 + 166,500 + 63,000 + 78,000 + 29,000 + 48,000 = 711,500
    assert r.prior_net_sales == Money(711_500, "CNY")
    # R-SOUTH 81,600 / 120,000 = 68%, A-CENTRAL 0 / 40,000
    assert r.laggards == ("R-SOUTH", "A-CENTRAL")
    # top 3: (436,900 + 255,250 + 156,500) / 1,002,000
    assert r.concentration.top_share == CONTEXT.divide(848_650, 1_002_000)
    assert r.coverage.uncovered == ("HN",)
    assert set(TARGETS) == {row.partner_id for row in r.partners}
    assert all(v > Decimal(0) for v in TARGETS.values())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_demo_opens_with_the_review(lang: str) -> None:
    text = render(lang)
    assert text.startswith(section(lang))


def test_the_section_in_english() -> None:
    text = section("en")
    assert text.startswith("Channel review of 2026-07-01..2026-10-01\n=====")
    assert "Net sales 1,066,000.00 (gross 1,083,000.00 - returns 17,000.00)" in text
    assert "Laggards (attainment below 80%): R-SOUTH 68%, A-CENTRAL 0%" in text
    assert "Concentration: top 3 share 84.7%, HHI 2,912" in text
    for title in ("Partners (CNY)", "Territories (CNY)", "Partner kinds (CNY)"):
        assert title in text
    lines = text.splitlines()
    north = next(line for line in lines if line.startswith("D-NORTH "))
    assert north.split() == [
        "D-NORTH",
        "Distributor",
        "436,900.00",
        "43.6%",
        "33.6%",
        "500,000.00",
        "87.4%",
        "87%",
        "2.6%",
        "112,125.00",
    ]
    assert next(line for line in lines if line.startswith("GD ")).split() == [
        "GD",
        "48,600.00",
        "4.6%",
        "63,000.00",
        "-22.9%",
    ]
    assert any(line.startswith("Agent ") and line.endswith("-100%") for line in lines)


def test_the_section_in_chinese() -> None:
    text = section("zh")
    assert text.startswith("2026-07-01..2026-10-01 渠道绩效评估")
    assert "落后伙伴（目标达成率低于 80%）：R-SOUTH 68%、A-CENTRAL 0%" in text
    for title in ("渠道伙伴（CNY）", "区域（CNY）", "渠道类型（CNY）", "行业解决方案提供商"):
        assert title in text
    assert "Partners" not in text
