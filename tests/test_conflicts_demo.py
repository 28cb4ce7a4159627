"""The conflicts section of the demo: what the sample quarter holds, in both languages."""

from __future__ import annotations

from channelkit import ConflictCause, Money, Severity, recommend
from channelkit.demo import conflicts as demo
from channelkit.demo import sections


def test_sample_quarter_findings() -> None:
    found = demo.findings()
    assert [c.id for c in found] == [
        "price_violation:O-MALL:AC-100:2026-08-08",
        "territory_diversion:R-SOUTH:SH:2026-08-25",
        "deal_overlap:REG-02:REG-03",
        "channel_overlap:REG-01:T023",
    ]
    price, diversion, overlap, direct = found
    # O-MALL: 15 x AC-100 at 2,450 against 2,600: (2,600 - 2,450) x 15 = 2,250; depth 5.77%
    assert (price.amount_at_stake, price.severity) == (Money("2250.00", "CNY"), Severity.MEDIUM)
    # R-SOUTH: 12 x 2,750 = 33,000 into SH, held exclusively by D-EAST
    assert diversion.parties == ("R-SOUTH", "D-EAST")
    assert diversion.amount_at_stake == Money(33_000, "CNY")
    assert overlap.parties == ("D-EAST", "R-SOUTH")
    # the direct sale T023: 8 x 3,000 = 24,000 to C-SC-01, registered by S-WEST (REG-01)
    assert (direct.parties, direct.amount_at_stake) == (("S-WEST",), Money(24_000, "CNY"))
    assert direct.evidence == ("T023", "REG-01")
    # REG-04 (rejected) and REG-06 (expired) are out; REG-05's window closed before T022
    assert all("REG-04" not in c.evidence and "REG-05" not in c.evidence for c in found)


def test_recommendations_use_the_history() -> None:
    diversion = demo.findings()[1]
    r = recommend(diversion, history=demo.HISTORY)
    assert r.recurrence_ids == ("territory_diversion:R-SOUTH:SH:2026-05-12",)
    assert r.severity_used is Severity.CRITICAL  # HIGH + 1 recurrence


def test_section_in_both_languages() -> None:
    en = demo.section("en")
    zh = demo.section("zh")
    assert en.startswith("Channel conflicts\n=================")
    assert "2,250.00" in en
    assert "33,000.00" in en
    assert "Legal action, Channel restructuring" in en
    assert "渠道冲突" in zh
    assert "窜货" in zh
    assert "法律手段、渠道重组" in zh
    assert demo.ORDER == 70
    assert demo.section in sections()
    assert {c.cause for c in demo.findings()} == {
        ConflictCause.PRICE_VIOLATION,
        ConflictCause.TERRITORY_DIVERSION,
        ConflictCause.DEAL_OVERLAP,
        ConflictCause.CHANNEL_OVERLAP,
    }
