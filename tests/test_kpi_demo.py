"""The KPI demo section: figures computed by hand from the sample statements and transactions."""

from __future__ import annotations

from channelkit.demo import kpi as demo
from channelkit.demo import sections


def test_section_is_registered_in_order() -> None:
    assert demo.ORDER == 60
    assert demo.section in sections()


def test_english_section_figures() -> None:
    text = demo.section("en")
    lines = text.splitlines()
    north = next(line for line in lines if line.startswith("D-NORTH") and "%" in line)
    # current 1,200,000 / 750,000 = 1.60; quick (1,200,000 - 504,000) / 750,000 = 0.93;
    # D/E 900,000 / 700,000 = 1.29; net margin 146,000 / 3,650,000 = 4%; ROE 146,000 / 700,000
    # = 20.9%; DSO 400,000 / 3,650,000 * 365 = 40; inventory turnover 3,650,000 / 504,000 = 7.24;
    # growth (3,650,000 - 3,285,000) / 3,285,000 = 11.1%
    assert north.split() == [
        "D-NORTH",
        "1.60",
        "0.93",
        "1.29",
        "4%",
        "20.9%",
        "40",
        "7.24",
        "11.1%",
    ]
    south = next(line for line in lines if line.startswith("R-SOUTH") and "n/a" in line)
    # no inventory: quick ratio and inventory turnover n/a; no prior: growth n/a;
    # D/E 250,000 / 50,000 = 5.00; net margin -18,000 / 730,000 = -2.5%; ROE -18,000 / 50,000
    assert south.split() == ["R-SOUTH", "1.24", "n/a", "5.00", "-2.5%", "-36%", "45", "n/a", "n/a"]
    assert "  R-SOUTH Quick ratio: the statement lacks inventory" in lines
    # collections in 2026 Q3: D-NORTH paid 180,000 + 200,000 = 380,000 of net sales
    # 40*2,900 + 20*3,800 + 60*1,900 - 4*2,900 + 50*2,850 = 436,900: 87.0%
    assert "D-NORTH         436,900.00       380,000.00              87%" in lines
    # A-CENTRAL did not trade in the quarter: the rate is undefined
    assert any(line.startswith("A-CENTRAL") and "n/a (no sales)" in line for line in lines)


def test_chinese_section() -> None:
    text = demo.section("zh")
    assert text.startswith("渠道伙伴指标")
    assert "流动比率" in text
    assert "回款率" in text
    assert "  R-SOUTH 速动比率：报表缺少存货（inventory）" in text.splitlines()
    assert "无（无销售）" in text


def test_statements_are_the_documented_figures() -> None:
    pairs = demo.statements()
    assert [s.partner_id for s, _ in pairs] == list(demo.STATEMENTS)
    assert [p is None for _, p in pairs] == [False, False, True]
