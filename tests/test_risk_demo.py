"""The demo's risk section and the risk strategies' options."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from channelkit import Direction, RiskCategory, RiskStatus, Severity, Signal, assess, summarize
from channelkit.demo import risk as demo
from channelkit.demo import sections
from channelkit.testing import indicators, risk_items, risk_matrices


def test_below_floor_share_from_the_sample_quarter() -> None:
    # O-MALL sold 15 AC-100 at 2,450 under the 2,600 floor; 400 units were sold in the quarter
    assert demo.below_floor_share() == Decimal(15) / Decimal(400) == Decimal("0.0375")


def test_the_register_assessed_by_hand() -> None:
    items = demo.register()
    assert [i.category for i in items] == [
        RiskCategory.CREDIT,
        RiskCategory.MARKET,
        RiskCategory.FUNDS_SETTLEMENT,
        RiskCategory.INFORMATION_SECURITY,
        RiskCategory.TERMINAL,
        RiskCategory.POLICY,
    ]
    got = {i.id: (assess(i).residual, assess(i).rating) for i in items}
    assert got == {
        "R-01": (Decimal(9), Severity.MEDIUM),  # 3 x 4 = 12 x 0.75 = 9, on medium_max
        "R-02": (Decimal(18), Severity.CRITICAL),  # 5 x 4 = 20 x 0.9 = 18
        "R-03": (Decimal(5), Severity.MEDIUM),  # 2 x 5 = 10 x 0.5 = 5
        "R-04": (Decimal("3.6"), Severity.LOW),  # 3 x 3 = 9 x 0.4 = 3.6
        "R-05": (Decimal(6), Severity.MEDIUM),  # 3 x 2 = 6
        "R-06": (Decimal(15), Severity.HIGH),  # 3 x 5 = 15
    }
    signals = {i.id: dict(assess(i).signals) for i in items}
    assert signals["R-01"] == {"dso": Signal.RED, "overdue_share": Signal.GREEN}  # 63 >= red 60
    assert signals["R-02"] == {"below_floor_share": Signal.AMBER}  # 0.0375 >= amber 0.02
    assert signals["R-03"] == {"collection_rate": Signal.AMBER}  # 0.91 <= amber 0.95
    assert signals["R-05"] == {"distribution_rate": Signal.AMBER}
    # D-NORTH's payment terms are the DSO amber line
    assert items[0].indicators[0].amber == 45
    s = summarize(items, as_of=demo.AS_OF)
    # R-06's review is due on the day itself: not overdue
    assert [r.id for r in s.overdue_reviews] == ["R-03", "R-01"]
    assert s.by_status[RiskStatus.MITIGATING] == 3


def test_titles_follow_the_language() -> None:
    assert demo.register("zh")[1].title == "AC-100 线上价格战"
    assert demo.register("en")[1].title == "Price war on AC-100 online"
    with pytest.raises(ValueError, match="lang must be"):
        demo.register("de")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["Channel risk register", "Heat map", "likelihood \\ impact", "Critical above"]),
        ("zh", ["渠道风险登记", "风险热力图", "可能性 \\ 影响", "逾期未复核"]),
    ],
)
def test_section_in_both_languages(lang: str, expected: list[str]) -> None:
    text = demo.section(lang)
    for part in expected:
        assert part in text
    # the heat map's rows, likelihood 5 at the top: R-02 (5, 4); on row 3
    lines = text.splitlines()
    start = next(
        n for n, line in enumerate(lines) if line.lstrip().startswith(("likelihood", "可能性"))
    )
    rows = [line.split() for line in lines[start + 2 : start + 7]]
    assert rows == [
        ["5", ".", ".", ".", "1", "."],
        ["4", ".", ".", ".", ".", "."],
        ["3", ".", "1", "1", "1", "1"],
        ["2", ".", ".", ".", ".", "1"],
        ["1", ".", ".", ".", ".", "."],
    ]


def test_the_section_is_in_the_demo() -> None:
    assert demo.ORDER == 80
    assert demo.section in sections()


@given(
    indicators(
        keys=st.just("x"), directions=st.just(Direction.HIGHER_IS_BETTER), min_value=0, max_value=1
    )
)
def test_indicator_strategy_options(ind: object) -> None:
    assert ind.key == "x"  # type: ignore[attr-defined]
    assert ind.direction is Direction.HIGHER_IS_BETTER  # type: ignore[attr-defined]
    assert 0 <= ind.red <= ind.amber <= 1  # type: ignore[attr-defined]


@given(
    risk_items(
        categories=st.just(RiskCategory.TERMINAL),
        statuses=st.just(RiskStatus.CLOSED),
        max_indicators=0,
    )
)
def test_risk_item_strategy_options(item: object) -> None:
    assert item.category is RiskCategory.TERMINAL  # type: ignore[attr-defined]
    assert item.status is RiskStatus.CLOSED  # type: ignore[attr-defined]
    assert item.indicators == ()  # type: ignore[attr-defined]


@given(risk_matrices(max_value=5))
def test_matrix_strategy_bound(m: object) -> None:
    assert m.high_max <= 5  # type: ignore[attr-defined]
