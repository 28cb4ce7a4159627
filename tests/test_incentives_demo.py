"""The demo's funds and profitability section: figures checked against the sample data by hand."""

from __future__ import annotations

from decimal import Decimal

from channelkit import ClaimReasonCode, Decision, Money
from channelkit.demo import funds, sections


def cny(amount: str | int) -> Money:
    return Money(amount, "CNY")


def test_the_allocation_is_scaled_to_the_budget() -> None:
    alloc = funds.allocation()
    # unscaled: quota + 1% of net sales; D-NORTH 15,000 + 4,369 = 19,369, D-EAST 8,000 +
    # 2,552.50, R-SOUTH 4,000 + 816, S-WEST 15,000 + 1,565, O-MALL 0 + 717.50, A-CENTRAL
    # 4,000 + 0: 56,020 in all, above the 40,000 budget
    assert alloc.scaled
    assert sum(alloc.amounts.values(), cny(0)) == cny(40_000)
    # 19,369 x 40,000 / 56,020 = 13,830.0607; 717.50 x 40,000 / 56,020 = 512.3170
    assert alloc.amounts["D-NORTH"] == cny("13830.06")
    assert alloc.amounts["O-MALL"] == cny("512.32")


def test_requests_claims_and_balances() -> None:
    balances = {b.partner_id: b for b in funds.balances()}
    north, south = balances["D-NORTH"], balances["R-SOUTH"]
    # R1: share 30,000 x 50% = 15,000, above the 13,830.06 allocated: partly approved
    assert north.committed == cny("13830.06")
    # C1 pays 24,000 x 50% = 12,000; C2's 3,000 is cut to 13,830.06 - 12,000 = 1,830.06
    assert north.claimed == cny("13830.06")
    assert north.paid == cny(12_000)
    assert north.unpaid == cny("1830.06")
    assert north.available == cny(0)
    # R2: 3,000 committed; C3 came 2026-09-20, after 2026-08-03 + 30 days: refused, and the
    # window closed before the quarter's end, so the 3,000 expired
    assert south.committed == cny(3_000)
    assert south.claimed == cny(0)
    assert south.expired == cny(3_000)
    assert south.available == cny("438.77")  # 3,438.77 - 3,000


def test_the_late_claim_is_refused_with_its_reason() -> None:
    text = funds.section("en")
    assert "C3     R2       2026-09-20   5,800.00       0.00  Reject    Submitted late" in text
    assert ClaimReasonCode.LATE.label("en") == "Submitted late"
    assert Decision.REJECT.label("zh") in funds.section("zh")


def test_profitability_of_the_online_partner_is_negative() -> None:
    report = funds.report()
    row = next(r for r in report.rows if r.partner_id == "O-MALL")
    # net sales 36,750 + 35,000 = 71,750; cost 15 x 2,100 + 20 x 1,350 = 58,500
    assert row.net_sales == cny(71_750)
    assert row.gross_profit == cny(13_250)
    # 71,750 x 6% x 15 / 365 = 176.9178 -> 176.92
    assert row.financing_cost == cny("176.92")
    # 13,250 - (358.75 rebate + 25,000 launch promotion + 176.92) = -12,285.67
    assert row.contribution == cny("-12285.67")
    assert report.negative == ("O-MALL",)
    assert report.rows[-1].partner_id == "O-MALL"  # contribution descending
    # the total counts the direct sales (64,000) and the brand campaign (10,000) too
    assert report.total.net_sales == cny(1_066_000)
    assert report.categories[0] == (funds.CostCategory.MARKETING, cny(35_000))
    assert row.contribution_margin is not None
    assert row.contribution_margin.quantize(Decimal("0.001")) == Decimal("-0.171")


def test_the_section_is_in_the_demo_in_both_languages() -> None:
    assert funds.section in sections()
    assert funds.section("en").startswith("Incentive funds and profitability\n")
    zh = funds.section("zh")
    assert zh.startswith("激励基金与渠道盈利\n")
    assert "贡献为负的伙伴：O-MALL" in zh
    assert "合计" in zh
