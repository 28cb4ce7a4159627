"""Scorecards: hand-worked scores, the boundaries of achievement and every missing-metric rule."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from channelkit import (
    ArgumentError,
    ArgumentTypeError,
    Direction,
    Gap,
    Metric,
    MissingMetric,
    PolicyError,
    Score,
    Scorecard,
    ScorePart,
    TierDecision,
    achievement,
    score,
)
from channelkit.model import trusted as _trusted
from channelkit.numeric import CONTEXT

D = Decimal
LOWER = Direction.LOWER_IS_BETTER


def card(*metrics: Metric, missing: MissingMetric = MissingMetric.ZERO) -> Scorecard:
    return Scorecard(metrics=metrics, missing=missing)


SALES = Metric(key="sales", weight=60, target=1_000_000)
COLLECTION = Metric(key="collection", weight=30, target=D("0.95"), cap=D("1.2"))
DSO = Metric(key="dso", weight=10, target=45, direction=LOWER)


# -- achievement -----------------------------------------------------------------------------


def test_achievement_higher_is_better_is_actual_over_target():
    # 800,000 / 1,000,000 = 0.8
    assert achievement(SALES, 800_000) == D("0.8")


def test_achievement_lower_is_better_is_target_over_actual():
    # 45 / 60 = 0.75
    assert achievement(DSO, 60) == D("0.75")


def test_achievement_at_target_is_one():
    assert achievement(SALES, 1_000_000) == 1
    assert achievement(DSO, 45) == 1


def test_achievement_is_clamped_at_the_cap():
    # 1.14 / 0.95 = 1.2 exactly: at the cap; 1.9 / 0.95 = 2 is clamped to 1.2
    assert achievement(COLLECTION, D("1.14")) == D("1.2")
    assert achievement(COLLECTION, D("1.9")) == D("1.2")
    # the default cap is 1: 1,500,000 / 1,000,000 = 1.5 -> 1
    assert achievement(SALES, 1_500_000) == 1
    # lower is better beyond target: 45 / 30 = 1.5 -> cap 1
    assert achievement(DSO, 30) == 1


def test_achievement_just_below_the_cap_is_not_clamped():
    # 1.13 / 0.95 = 1.18947...
    assert achievement(COLLECTION, D("1.13")) == CONTEXT.divide(D("1.13"), D("0.95"))


def test_higher_is_better_zero_and_negative_achieve_zero():
    assert achievement(SALES, 0) == 0
    assert achievement(SALES, -5) == 0  # negative growth achieves 0, not a negative number


def test_lower_is_better_zero_achieves_the_cap():
    assert achievement(DSO, 0) == 1
    returns = Metric(key="returns", weight=1, target=D("0.02"), direction=LOWER, cap=D("1.5"))
    assert achievement(returns, 0) == D("1.5")
    assert achievement(returns, "0.00") == D("1.5")


def test_lower_is_better_negative_is_an_error_naming_the_metric():
    with pytest.raises(ArgumentError, match=r"metric 'dso' is lower-is-better.*got -1") as err:
        achievement(DSO, -1)
    assert (err.value.argument, err.value.value) == ("dso", Decimal(-1))
    assert isinstance(err.value, ValueError)


def test_achievement_rejects_floats_naming_the_metric():
    with pytest.raises(ArgumentTypeError, match="sales must not be a float"):
        achievement(SALES, 0.5)  # type: ignore[arg-type]


def test_achievement_accepts_numeric_strings():
    assert achievement(SALES, "250000") == D("0.25")


# -- score -----------------------------------------------------------------------------------


def test_score_weighted_sum():
    # sales 800,000 / 1,000,000 = 0.8   x 100 x 60/100 = 48
    # collection 0.95 / 0.95 = 1        x 100 x 30/100 = 30
    # dso 45 / 50 = 0.9                 x 100 x 10/100 = 9
    # total 87
    s = score(card(SALES, COLLECTION, DSO), {"sales": 800_000, "collection": "0.95", "dso": 50})
    assert s.total == 87
    assert [p.points for p in s.parts] == [48, 30, 9]
    assert [p.weight for p in s.parts] == [D("0.6"), D("0.3"), D("0.1")]
    assert [p.achievement for p in s.parts] == [D("0.8"), 1, D("0.9")]
    assert [p.key for p in s.parts] == ["sales", "collection", "dso"]
    assert s.missing == ()
    assert s.max_total == 120  # 100 x the largest cap, 1.2


def test_score_above_100_with_a_cap():
    # collection at the cap 1.2 x 100 x 30/100 = 36; the others at target: 60 + 10
    s = score(card(SALES, COLLECTION, DSO), {"sales": 2_000_000, "collection": 2, "dso": 0})
    assert s.total == 106


def test_full_marks_on_equal_weights_are_exactly_100():
    # 1/3 + 1/3 + 1/3 of 100 must not come out as 99.999...: the total uses one division
    three = card(*(Metric(key=k, weight=1, target=10) for k in "abc"))
    s = score(three, {"a": 10, "b": 10, "c": 10})
    assert s.total == 100
    assert s.parts[0].points == CONTEXT.divide(D(100), 3)


def test_all_caps_reached_give_the_maximum():
    s = score(card(COLLECTION), {"collection": 5})
    assert s.total == s.max_total == 120


def test_extra_actuals_are_ignored():
    s = score(card(SALES), {"sales": 500_000, "unknown": 7})
    assert s.total == 50


def test_missing_zero_counts_the_metric_as_zero():
    # sales 1.0 x 100 x 60/100 = 60; collection missing: 0; dso 1 x 10 = 10 -> 70
    s = score(card(SALES, COLLECTION, DSO), {"sales": 1_000_000, "dso": 45})
    assert s.total == 70
    assert s.missing == ("collection",)
    part = s.parts[1]
    assert part.actual is None
    assert part.achievement == 0
    assert part.weight == D("0.3")  # its weight still counts
    assert part.points == 0


def test_missing_renormalize_scales_the_remaining_weights():
    # collection missing: weights 60 + 10 = 70
    # sales 1.0 x 100 x 60/70 = 85.714..., dso 1.0 x 100 x 10/70 = 14.285... -> 100
    s = score(
        card(SALES, COLLECTION, DSO, missing=MissingMetric.RENORMALIZE),
        {"sales": 1_000_000, "dso": 45},
    )
    assert s.total == 100
    assert s.parts[1].weight == 0
    assert s.parts[1].points == 0
    assert s.parts[0].weight == CONTEXT.divide(D(60), D(70))


def test_missing_renormalize_with_nothing_supplied_scores_zero():
    s = score(card(SALES, DSO, missing=MissingMetric.RENORMALIZE), {})
    assert s.total == 0
    assert s.missing == ("sales", "dso")
    assert all(p.weight == 0 and p.points == 0 for p in s.parts)


def test_missing_raise_names_every_missing_metric():
    rules = card(SALES, COLLECTION, DSO, missing=MissingMetric.RAISE)
    with pytest.raises(PolicyError, match="not supplied: collection, dso") as err:
        score(rules, {"sales": 1})
    assert err.value.metric == "collection"


def test_missing_raise_passes_when_everything_is_supplied():
    rules = card(SALES, missing=MissingMetric.RAISE)
    assert score(rules, {"sales": 1_000_000}).total == 100


def test_none_counts_as_missing():
    zero = score(card(SALES, DSO), {"sales": None, "dso": 45})
    assert zero.missing == ("sales",)
    assert zero.total == CONTEXT.divide(D(1000), D(70))  # dso's 10 of 70 weight x 100
    with pytest.raises(PolicyError):
        score(card(SALES, missing=MissingMetric.RAISE), {"sales": None})


def test_score_rejects_floats_and_negative_lower_is_better():
    with pytest.raises(ArgumentTypeError, match="sales must not be a float"):
        score(card(SALES), {"sales": 1.5})  # type: ignore[dict-item]
    with pytest.raises(ArgumentError, match="'dso'"):
        score(card(DSO), {"dso": -3})
    with pytest.raises(ArgumentError, match="sales is not a number"):
        score(card(SALES), {"sales": "lots"})


def test_negative_higher_is_better_scores_zero_points():
    growth = Metric(key="growth", weight=1, target=D("0.1"))
    assert score(card(growth), {"growth": D("-0.25")}).total == 0


# -- models ----------------------------------------------------------------------------------


def test_metric_defaults():
    m = Metric(key="sales", weight=1, target=1)
    assert m.direction is Direction.HIGHER_IS_BETTER
    assert m.cap == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("weight", 0, "greater than 0"),
        ("weight", -1, "greater than 0"),
        ("target", 0, "greater than 0"),
        ("cap", 0, "greater than 0"),
        ("weight", 0.5, "must not be a float"),
        ("key", "", "key"),
        ("direction", "sideways", "direction"),
    ],
)
def test_metric_rejects(field, value, message):
    args = {"key": "sales", "weight": 1, "target": 1, field: value}
    with pytest.raises(ValidationError, match=message) as info:
        Metric(**args)
    assert field in str(info.value)


def test_scorecard_rejects_duplicate_keys_and_no_metrics():
    with pytest.raises(ValidationError, match="unique keys: 'sales' appears twice"):
        card(SALES, SALES)
    with pytest.raises(ValidationError, match="metrics"):
        Scorecard(metrics=())
    with pytest.raises(ValidationError, match="missing"):
        Scorecard(metrics=(SALES,), missing="ignore")  # type: ignore[arg-type]


def test_scorecard_max_total():
    assert card(SALES).max_total == 100
    assert card(SALES, COLLECTION).max_total == 120


def test_missing_metric_labels():
    assert MissingMetric.RENORMALIZE == "renormalize"
    assert MissingMetric.ZERO.label("zh") == "按零计"
    assert MissingMetric.RAISE.label() == "Refuse"


def test_score_json_round_trip():
    s = score(card(SALES, COLLECTION, DSO), {"sales": 123_456, "dso": 61})
    again = Score.model_validate_json(s.model_dump_json())
    assert again == s
    assert again.parts[0] == ScorePart.model_validate(s.parts[0].model_dump())


# -- explain ---------------------------------------------------------------------------------


def test_explain_english():
    s = score(card(SALES, COLLECTION, DSO), {"sales": 800_000, "dso": 50})
    assert s.explain() == (
        "Score 57.00 of 100 (at most 120.00 with caps)\n"
        "  sales: 800,000 against target 1,000,000 (higher is better) -> 80% x weight 60% = 48.00\n"
        "  collection: missing, counted as 0 -> 0.00\n"
        "  dso: 50 against target 45 (lower is better) -> 90% x weight 10% = 9.00"
    )


def test_explain_chinese_and_left_out():
    s = score(card(SALES, DSO, missing=MissingMetric.RENORMALIZE), {"dso": 45})
    assert s.explain("zh") == (
        "得分 100.00（满分 100）\n"
        "  sales：缺失，不计入 -> 0.00\n"
        "  dso：实际 45，目标 45（越低越好）-> 100% x 权重 100% = 100.00"
    )


def test_explain_rejects_unknown_language():
    with pytest.raises(ValueError, match="lang must be 'en' or 'zh'"):
        score(card(SALES), {"sales": 1}).explain("fr")


# -- results built without re-validation -----------------------------------------------------


@pytest.mark.parametrize("cls", [Score, ScorePart, Gap, TierDecision])
def test_trusted_construction_fits_the_result_models(cls):
    # _trusted skips what model_construct does for aliases, private attributes and post-init
    assert not cls.__private_attributes__
    assert not cls.__pydantic_post_init__
    assert all(f.alias is None and f.validation_alias is None for f in cls.model_fields.values())


def test_trusted_results_equal_validated_ones():
    s = score(card(SALES, COLLECTION, DSO), {"sales": 800_000, "dso": 50})
    checked = Score.model_validate(s.model_dump())
    assert s == checked
    assert hash(s) == hash(checked)
    assert s.model_fields_set == checked.model_fields_set
    assert s.parts[0] == ScorePart(**s.parts[0].model_dump())
    assert s.model_copy(update={"total": D(1)}).total == 1
    assert _trusted(ScorePart, s.parts[0].model_dump()) == s.parts[0]
