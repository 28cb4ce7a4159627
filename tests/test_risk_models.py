"""Risk register models: categories, indicators and their signals, risk item validation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from channelkit import (
    ArgumentTypeError,
    Direction,
    Indicator,
    RiskCategory,
    RiskItem,
    RiskStatus,
    Signal,
    signal,
)

LOWER = Direction.LOWER_IS_BETTER
HIGHER = Direction.HIGHER_IS_BETTER
DAY = dt.date(2026, 3, 1)


def item(**over: Any) -> RiskItem:
    fields: dict[str, Any] = {
        "id": "R1",
        "title": "late payments",
        "category": RiskCategory.CREDIT,
        "likelihood": 3,
        "impact": 4,
        "identified": DAY,
    }
    fields.update(over)
    return RiskItem(**fields)


# -- enums -------------------------------------------------------------------------------------


def test_categories_are_the_nine_of_the_contract_with_chinese_labels() -> None:
    assert [c.name for c in RiskCategory] == [
        "CREDIT",
        "MARKET",
        "POLICY",
        "FUNDS_SETTLEMENT",
        "INFORMATION_SECURITY",
        "TERMINAL",
        "OPERATIONAL",
        "COMPLIANCE",
        "RELATIONSHIP",
    ]
    assert all(c.value == c.name.lower() for c in RiskCategory)
    # the six of the glossary (DOMAIN.md), word for word
    assert RiskCategory.CREDIT.label("zh") == "信用风险"
    assert RiskCategory.MARKET.label("zh") == "市场风险"
    assert RiskCategory.POLICY.label("zh") == "政策风险"
    assert RiskCategory.FUNDS_SETTLEMENT.label("zh") == "资金/结算风险"
    assert RiskCategory.INFORMATION_SECURITY.label("zh") == "信息安全风险"
    assert RiskCategory.TERMINAL.label("zh") == "终端风险"
    assert RiskCategory.OPERATIONAL.label("zh") == "运营风险"
    assert RiskCategory.COMPLIANCE.label("zh") == "合规风险"
    assert RiskCategory.RELATIONSHIP.label("zh") == "渠道关系风险"
    assert RiskCategory.CREDIT.label() == "Credit risk"


def test_status_and_signal_enums() -> None:
    assert [s.value for s in RiskStatus] == ["open", "mitigating", "accepted", "closed"]
    assert [s.value for s in Signal] == ["green", "amber", "red"]
    assert Signal.RED.label("zh") == "红灯"
    assert RiskStatus.MITIGATING.label("zh") == "处置中"


# -- signals: thresholds reached exactly, both directions ----------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("44.99", Signal.GREEN),  # below amber 45
        ("45", Signal.AMBER),  # exactly amber: reaching it triggers it
        ("59.99", Signal.AMBER),
        ("60", Signal.RED),  # exactly red
        ("60.01", Signal.RED),
        ("-5", Signal.GREEN),
    ],
)
def test_lower_is_better_signal(value: str, expected: Signal) -> None:
    ind = Indicator(key="dso", value=value, amber=45, red=60)
    assert ind.direction is LOWER  # the default
    assert signal(ind) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.96", Signal.GREEN),  # above amber 0.95
        ("0.95", Signal.AMBER),  # exactly amber
        ("0.86", Signal.AMBER),
        ("0.85", Signal.RED),  # exactly red
        ("0.84", Signal.RED),
    ],
)
def test_higher_is_better_signal(value: str, expected: Signal) -> None:
    ind = Indicator(key="collection_rate", value=value, amber="0.95", red="0.85", direction=HIGHER)
    assert signal(ind) is expected


@pytest.mark.parametrize(("direction", "value"), [(LOWER, 9), (HIGHER, 11)])
def test_equal_thresholds_go_straight_from_green_to_red(direction: Direction, value: int) -> None:
    assert signal(Indicator(key="k", value=10, amber=10, red=10, direction=direction)) is Signal.RED
    green = Indicator(key="k", value=value, amber=10, red=10, direction=direction)
    assert signal(green) is Signal.GREEN


def test_signal_refuses_a_non_indicator() -> None:
    with pytest.raises(ArgumentTypeError, match="indicator must be an Indicator, not dict") as err:
        signal({"key": "dso", "value": 1, "amber": 2, "red": 3})  # type: ignore[arg-type]
    assert err.value.argument == "indicator"


# -- indicator validation ------------------------------------------------------------------------


def test_lower_is_better_thresholds_in_the_wrong_order() -> None:
    with pytest.raises(ValidationError, match=r"'dso' is lower-is-better.*amber 60, red 45"):
        Indicator(key="dso", value=50, amber=60, red=45)


def test_higher_is_better_thresholds_in_the_wrong_order() -> None:
    with pytest.raises(ValidationError, match=r"'cr' is higher-is-better.*amber 0.85, red 0.95"):
        Indicator(key="cr", value="0.9", amber="0.85", red="0.95", direction="higher_is_better")


@pytest.mark.parametrize(
    ("field", "bad"),
    [("value", 0.5), ("amber", float("nan")), ("red", "NaN"), ("value", "abc"), ("red", "1e999")],
)
def test_indicator_refuses_floats_and_non_numbers(field: str, bad: object) -> None:
    fields: dict[str, Any] = {"key": "k", "value": 1, "amber": 2, "red": 3}
    fields[field] = bad
    with pytest.raises(ValidationError, match=field):
        Indicator(**fields)


def test_indicator_key_must_not_be_blank() -> None:
    with pytest.raises(ValidationError, match="key"):
        Indicator(key=" ", value=1, amber=2, red=3)


# -- risk item validation ------------------------------------------------------------------------


def test_defaults() -> None:
    r = item()
    assert r.control_effectiveness == Decimal(0)
    assert r.status is RiskStatus.OPEN
    assert (r.partner_id, r.owner, r.review_by, r.indicators) == (None, None, None, ())


@pytest.mark.parametrize("field", ["likelihood", "impact"])
@pytest.mark.parametrize("good", [1, 5])
def test_scores_accept_one_to_five(field: str, good: int) -> None:
    assert getattr(item(**{field: good}), field) == good


@pytest.mark.parametrize("field", ["likelihood", "impact"])
@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (0, "greater than or equal to 1"),
        (6, "less than or equal to 5"),
        (3.0, "not a float"),
        (True, "not a bool"),
        ("2.5", "valid integer"),
    ],
)
def test_scores_outside_one_to_five_are_refused(field: str, bad: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as err:
        item(**{field: bad})
    assert err.value.errors()[0]["loc"] == (field,)


@pytest.mark.parametrize("good", [0, 1, "0.25", Decimal("0.999")])
def test_control_effectiveness_in_the_unit_interval(good: object) -> None:
    assert item(control_effectiveness=good).control_effectiveness == Decimal(str(good))


@pytest.mark.parametrize(
    ("bad", "message"), [("-0.01", "at least 0"), ("1.01", "at most 1"), (0.5, "float")]
)
def test_control_effectiveness_outside_the_unit_interval(bad: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        item(control_effectiveness=bad)


def test_review_by_on_the_day_identified_is_allowed() -> None:
    assert item(review_by=DAY).review_by == DAY


def test_review_by_before_identified_is_refused() -> None:
    with pytest.raises(
        ValidationError,
        match="review_by must not be before identified: "
        "got review_by 2026-02-28, identified 2026-03-01",
    ):
        item(review_by=dt.date(2026, 2, 28))


def test_indicator_keys_must_be_unique() -> None:
    a = Indicator(key="dso", value=1, amber=2, red=3)
    b = Indicator(key="dso", value=5, amber=6, red=7)
    with pytest.raises(
        ValidationError, match="indicators must have unique keys: 'dso' appears twice"
    ):
        item(indicators=(a, b))


@pytest.mark.parametrize("field", ["id", "title", "partner_id", "owner"])
def test_ids_and_title_must_not_be_blank(field: str) -> None:
    with pytest.raises(ValidationError, match=field):
        item(**{field: ""})


def test_unknown_category_and_extra_fields_are_refused() -> None:
    with pytest.raises(ValidationError, match="category"):
        item(category="weather")
    with pytest.raises(ValidationError, match="severity"):
        item(severity="high")


def test_items_are_frozen() -> None:
    r = item()
    with pytest.raises(ValidationError, match="frozen"):
        r.likelihood = 5  # type: ignore[misc]


def test_item_json_round_trip_keeps_decimals_exact() -> None:
    r = item(
        control_effectiveness="0.30",
        review_by=dt.date(2026, 9, 1),
        indicators=(Indicator(key="cr", value="0.91", amber="0.95", red="0.85", direction=HIGHER),),
    )
    text = r.model_dump_json()
    assert '"control_effectiveness":"0.30"' in text
    assert RiskItem.model_validate_json(text) == r
