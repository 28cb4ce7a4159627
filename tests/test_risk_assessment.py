"""Risk matrix and assessment: inherent, residual, every band edge, signals, explanations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, getcontext
from typing import Any

import pytest
from pydantic import ValidationError

from channelkit import (
    ArgumentError,
    ArgumentTypeError,
    Direction,
    Indicator,
    RiskAssessment,
    RiskCategory,
    RiskItem,
    RiskMatrix,
    Severity,
    Signal,
    assess,
)
from channelkit.scales import band

DAY = dt.date(2026, 3, 1)


def item(likelihood: int = 3, impact: int = 4, ce: str = "0", **over: Any) -> RiskItem:
    return RiskItem(
        id=over.pop("id", "R1"),
        title="late payments",
        category=RiskCategory.CREDIT,
        likelihood=likelihood,
        impact=impact,
        control_effectiveness=ce,
        identified=DAY,
        **over,
    )


# -- the matrix ----------------------------------------------------------------------------------


def test_default_matrix() -> None:
    m = RiskMatrix()
    assert (m.low_max, m.medium_max, m.high_max) == (4, 9, 16)


@pytest.mark.parametrize(
    ("low", "medium", "high"),
    [(9, 9, 16), (4, 16, 16), (10, 9, 16), (4, 9, 3), (5, 4, 3)],
)
def test_band_edges_must_rise_strictly(low: int, medium: int, high: int) -> None:
    with pytest.raises(
        ValidationError,
        match=rf"low_max < medium_max < high_max\): got low_max {low}, medium_max {medium}, "
        rf"high_max {high}",
    ):
        RiskMatrix(low_max=low, medium_max=medium, high_max=high)


@pytest.mark.parametrize(("field", "bad"), [("low_max", -1), ("medium_max", 4.5)])
def test_band_edges_are_non_negative_decimals(field: str, bad: object) -> None:
    with pytest.raises(ValidationError, match=field):
        RiskMatrix(**{field: bad})


def test_rating_refuses_floats_and_non_numbers() -> None:
    with pytest.raises(ArgumentTypeError, match="residual must not be a float") as err:
        RiskMatrix().rating(4.0)  # type: ignore[arg-type]
    assert err.value.argument == "residual"
    with pytest.raises(ArgumentError, match="residual is not a number"):
        RiskMatrix().rating("four")


@pytest.mark.parametrize(
    "residual", ["0", "3.99", "4", "4.01", "8.99", "9", "9.01", "15.99", "16", "16.01", "25"]
)
def test_rating_is_the_kernels_band_with_edges_staying_down(residual: str) -> None:
    edges = (Decimal(4), Decimal(9), Decimal(16))
    assert RiskMatrix().rating(residual) is band(Decimal(residual), edges, edge_goes_up=False)


# -- every band edge: exactly at the edge and just above -------------------------------------------


@pytest.mark.parametrize(
    ("residual", "expected"),
    [
        ("0", Severity.LOW),
        ("4", Severity.LOW),  # exactly low_max
        ("4.0000001", Severity.MEDIUM),  # just above
        ("9", Severity.MEDIUM),  # exactly medium_max
        ("9.0000001", Severity.HIGH),
        ("16", Severity.HIGH),  # exactly high_max
        ("16.0000001", Severity.CRITICAL),
        ("25", Severity.CRITICAL),
    ],
)
def test_matrix_rating_at_each_edge(residual: str, expected: Severity) -> None:
    assert RiskMatrix().rating(residual) is expected


@pytest.mark.parametrize(
    ("likelihood", "impact", "ce", "residual", "expected"),
    [
        (2, 2, "0", "4", Severity.LOW),  # 2 x 2 = 4 = low_max
        (1, 5, "0", "5", Severity.MEDIUM),  # 5, the next whole score above 4
        (3, 3, "0", "9", Severity.MEDIUM),  # 9 = medium_max
        (2, 5, "0", "10", Severity.HIGH),  # 10, the next whole score above 9
        (4, 4, "0", "16", Severity.HIGH),  # 16 = high_max
        (4, 5, "0", "20", Severity.CRITICAL),  # 20 above 16
        (5, 5, "0.36", "16.00", Severity.HIGH),  # 25 x 0.64 = 16.00, exactly high_max
        (5, 5, "0.3599", "16.0025", Severity.CRITICAL),  # 25 x 0.6401 = 16.0025, just above
        (3, 4, "0.25", "9.00", Severity.MEDIUM),  # 12 x 0.75 = 9.00, exactly medium_max
        (3, 4, "0.2499", "9.0012", Severity.HIGH),  # 12 x 0.7501 = 9.0012, just above
        (2, 4, "0.5", "4.0", Severity.LOW),  # 8 x 0.5 = 4.0, exactly low_max
        (2, 4, "0.4999", "4.0008", Severity.MEDIUM),  # 8 x 0.5001 = 4.0008, just above
    ],
)
def test_assess_band_edges(
    likelihood: int, impact: int, ce: str, residual: str, expected: Severity
) -> None:
    a = assess(item(likelihood, impact, ce))
    assert a.inherent == likelihood * impact
    assert a.residual == Decimal(residual)
    assert str(a.residual) == residual  # exact, not rounded
    assert a.rating is expected


def test_custom_matrix_moves_the_edges() -> None:
    # 4 x 4 = 16 x (1 - 0.3) = 11.2: HIGH on the default matrix, MEDIUM when medium_max is 12
    it = item(4, 4, "0.3")
    assert assess(it).rating is Severity.HIGH
    custom = RiskMatrix(low_max=5, medium_max=12, high_max=20)
    a = assess(it, custom)
    assert a.rating is Severity.MEDIUM
    assert a.matrix == custom
    assert assess(it, matrix=custom) == a


def test_fractional_edges() -> None:
    m = RiskMatrix(low_max="2.5", medium_max="7.5", high_max="12.5")
    # 5 x 5 = 25 x (1 - 0.5) = 12.5 exactly high_max
    assert assess(item(5, 5, "0.5"), m).rating is Severity.HIGH
    assert assess(item(5, 5, "0.49"), m).rating is Severity.CRITICAL  # 25 x 0.51 = 12.75


# -- inherent and residual -----------------------------------------------------------------------


def test_hand_worked_assessment() -> None:
    # inherent = 4 x 5 = 20; residual = 20 x (1 - 0.35) = 20 x 0.65 = 13.00 -> HIGH (9 < 13 <= 16)
    a = assess(item(4, 5, "0.35"))
    assert a.inherent == Decimal(20)
    assert a.residual == Decimal("13.00")
    assert a.rating is Severity.HIGH
    assert (a.item_id, a.title, a.category) == ("R1", "late payments", RiskCategory.CREDIT)
    assert (a.likelihood, a.impact, a.control_effectiveness) == (4, 5, Decimal("0.35"))


def test_fully_effective_controls_leave_nothing() -> None:
    a = assess(item(5, 5, "1"))
    assert a.inherent == 25
    assert a.residual == 0
    assert a.rating is Severity.LOW


def test_no_controls_leave_the_inherent_risk() -> None:
    a = assess(item(5, 4))
    assert a.residual == a.inherent == 20
    assert a.rating is Severity.CRITICAL


def test_residual_is_exact_for_many_digits() -> None:
    # 1 x 1 x (1 - 0.333...3 with 30 threes) = 0.666...67 with 30 digits: the local 34-digit
    # context keeps them all, where the default 28-digit context would round
    ce = "0." + "3" * 30
    a = assess(item(1, 1, ce))
    assert a.residual == Decimal("0." + "6" * 29 + "7")


def test_assess_leaves_the_global_context_alone() -> None:
    before = getcontext().prec
    getcontext().prec = 3
    try:
        a = assess(item(5, 5, "0.123456"))
        assert a.residual == Decimal("21.9136")  # 25 x 0.876544, not rounded to 3 digits
        assert getcontext().prec == 3
    finally:
        getcontext().prec = before


def test_status_does_not_change_the_scores() -> None:
    open_ = assess(item(3, 4, "0.25"))
    closed = assess(item(3, 4, "0.25", status="closed"))
    assert closed == open_


# -- signals -------------------------------------------------------------------------------------


def test_signals_keyed_by_indicator_key_in_order() -> None:
    it = item(
        indicators=(
            Indicator(key="dso", value=60, amber=45, red=60),  # exactly red
            Indicator(key="overdue_share", value="0.05", amber="0.10", red="0.20"),
            Indicator(
                key="collection_rate",
                value="0.95",  # exactly amber
                amber="0.95",
                red="0.85",
                direction=Direction.HIGHER_IS_BETTER,
            ),
        )
    )
    a = assess(it)
    assert dict(a.signals) == {
        "dso": Signal.RED,
        "overdue_share": Signal.GREEN,
        "collection_rate": Signal.AMBER,
    }
    assert list(a.signals) == ["dso", "overdue_share", "collection_rate"]


def test_no_indicators_no_signals() -> None:
    assert dict(assess(item()).signals) == {}


# -- errors --------------------------------------------------------------------------------------


def test_assess_refuses_a_non_item() -> None:
    with pytest.raises(ArgumentTypeError, match="item must be a RiskItem, not dict") as err:
        assess({"id": "R1"})  # type: ignore[arg-type]
    assert (err.value.argument, err.value.value) == ("item", {"id": "R1"})


def test_assess_refuses_a_non_matrix() -> None:
    with pytest.raises(ArgumentTypeError, match="matrix must be a RiskMatrix, not tuple") as err:
        assess(item(), (4, 9, 16))  # type: ignore[arg-type]
    assert err.value.argument == "matrix"


# -- explanation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("likelihood", "impact", "ce", "en", "zh"),
    [
        (2, 2, "0", "residual 4 is up to low_max 4", "剩余风险 4 不超过 low_max 4"),
        (3, 3, "0", "residual 9 is above low_max 4, up to medium_max 9", "9 高于 low_max 4"),
        (4, 4, "0", "residual 16 is above medium_max 9, up to high_max 16", "不超过 high_max 16"),
        (4, 5, "0.1", "residual 18 is above high_max 16", "剩余风险 18 高于 high_max 16"),
    ],
)
def test_explain_names_the_band(likelihood: int, impact: int, ce: str, en: str, zh: str) -> None:
    a = assess(item(likelihood, impact, ce))
    assert en in a.explain()
    assert zh in a.explain("zh")


def test_explain_shows_the_fields() -> None:
    a = assess(item(2, 4, "0.35", indicators=(Indicator(key="dso", value=50, amber=45, red=60),)))
    # 8 x 0.65 = 5.20
    text = a.explain()
    assert text.splitlines() == [
        'Risk R1 "late payments" (Credit risk)',
        "  inherent = likelihood 2 x impact 4 = 8",
        "  residual = 8 x (1 - control effectiveness 35%) = 5.2",
        "  rating: Medium (residual 5.2 is above low_max 4, up to medium_max 9)",
        "  indicators: dso amber",
    ]
    assert "预警指标：dso 黄灯" in a.explain("zh")
    assert "indicators" not in assess(item()).explain()


def test_explain_refuses_an_unknown_language() -> None:
    with pytest.raises(ArgumentError, match="lang must be 'en' or 'zh', got 'fr'"):
        assess(item()).explain("fr")


def test_assessment_json_round_trip() -> None:
    a = assess(item(3, 4, "0.25", indicators=(Indicator(key="dso", value=1, amber=2, red=3),)))
    text = a.model_dump_json()
    assert '"residual":"9.00"' in text
    assert '"signals":{"dso":"green"}' in text
    assert RiskAssessment.model_validate_json(text) == a
