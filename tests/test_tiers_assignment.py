"""assign_tier: hand-worked placements, the promotion and demotion_grace rules, and gaps."""

from __future__ import annotations

import decimal
from decimal import Decimal

import pytest
from pydantic import ValidationError

from channelkit import (
    ArgumentError,
    ArgumentTypeError,
    Gap,
    Metric,
    PolicyError,
    Requirement,
    Scorecard,
    Tier,
    TierChange,
    TierDecision,
    TierProgram,
    assign_tier,
    score,
)
from channelkit.numeric import CONTEXT
from channelkit.tiers import SCORE_METRIC

D = Decimal
NEW, PROMOTED, RETAINED = TierChange.NEW, TierChange.PROMOTED, TierChange.RETAINED
ON_WATCH, DEMOTED = TierChange.ON_WATCH, TierChange.DEMOTED

# Scorecard: sales (weight 70, target 1,000,000) and collection (weight 30, target 0.95).
CARD = Scorecard(
    metrics=(
        Metric(key="sales", weight=70, target=1_000_000),
        Metric(key="collection", weight=30, target=D("0.95")),
    )
)
PLATINUM = Tier(
    code="PLATINUM",
    name="Platinum",
    rank=4,
    requirements=(
        Requirement(metric="sales", minimum=2_000_000),
        Requirement(metric="collection", minimum=D("0.95")),
    ),
    min_score=100,
)
GOLD = Tier(
    code="GOLD",
    name="Gold",
    rank=3,
    requirements=(Requirement(metric="sales", minimum=1_000_000),),
    min_score=90,
)
SILVER = Tier(
    code="SILVER",
    name="Silver",
    rank=2,
    requirements=(Requirement(metric="sales", minimum=500_000),),
)
BRONZE = Tier(code="BRONZE", name="Bronze", rank=1)


def program(grace: int = 1) -> TierProgram:
    return TierProgram(tiers=(BRONZE, GOLD, PLATINUM, SILVER), scorecard=CARD, demotion_grace=grace)


def figures(sales, collection="0.95") -> dict[str, object]:
    return {"sales": sales, "collection": collection}


# -- qualification and placement -------------------------------------------------------------


def test_new_partner_gets_the_highest_tier_it_qualifies_for():
    # sales 1,200,000: achievement 1 (cap) x 70 = 70; collection 0.95/0.95 = 1 x 30 = 30
    # score 100 -> GOLD (sales >= 1,000,000, score >= 90); PLATINUM needs sales 2,000,000
    d = assign_tier(program(), figures(1_200_000))
    assert d.change is NEW
    assert d.tier == GOLD
    assert d.previous is None
    assert d.missed == 0
    assert d.qualified == ("GOLD", "SILVER", "BRONZE")
    assert d.score is not None
    assert d.score.total == 100
    assert d.gaps_to == PLATINUM
    assert d.gaps == (Gap(metric="sales", required=2_000_000, actual=1_200_000, shortfall=800_000),)


def test_new_partner_ignores_a_stored_missed_count():
    d = assign_tier(program(), figures(600_000), missed=3)
    assert (d.change, d.tier, d.missed) == (NEW, SILVER, 0)


def test_new_partner_that_qualifies_for_nothing_gets_no_tier_and_gaps_to_the_lowest():
    p = TierProgram(tiers=(SILVER, GOLD), scorecard=CARD)
    # sales 300,000: short of SILVER's 500,000 by 200,000
    d = assign_tier(p, figures(300_000))
    assert (d.change, d.tier, d.qualified) == (NEW, None, ())
    assert d.gaps_to == SILVER
    assert d.gaps == (Gap(metric="sales", required=500_000, actual=300_000, shortfall=200_000),)


def test_at_a_tier_minimum_qualifies():
    # exactly 500,000 meets SILVER (inclusive); one cent less does not
    assert assign_tier(program(), figures(500_000)).tier == SILVER
    assert assign_tier(program(), figures("499999.99")).tier == BRONZE


def test_at_min_score_qualifies():
    # sales 1,000,000 -> 70; collection 0.76 / 0.95 = 0.8 x 30 = 24 -> score 94 >= 90: GOLD
    assert assign_tier(program(), figures(1_000_000, "0.76")).tier == GOLD
    # collection 0.665 / 0.95 = 0.7 x 30 = 21 -> score 91; exactly 90 needs 0.6333.../0.95
    # use a min_score of exactly 91
    gold91 = GOLD.model_copy(update={"min_score": D(91)})
    p = TierProgram(tiers=(BRONZE, gold91, SILVER), scorecard=CARD)
    assert assign_tier(p, figures(1_000_000, "0.665")).tier == gold91
    below = assign_tier(p, figures(1_000_000, "0.664"))
    # 0.664 / 0.95 x 30 = 20.968421...: score 90.968... < 91
    assert below.tier == SILVER
    assert below.gaps[0].metric == SCORE_METRIC
    assert below.gaps[0].required == 91
    assert below.score is not None
    assert below.gaps[0].shortfall == CONTEXT.subtract(D(91), below.score.total)


def test_promotion_is_immediate_and_may_skip_tiers():
    d = assign_tier(program(), figures(1_000_000), current="BRONZE", missed=1)
    assert (d.change, d.previous, d.tier, d.missed) == (PROMOTED, BRONZE, GOLD, 0)


def test_promotion_when_the_current_tier_is_not_met():
    # requirements need not nest: RETAIL requires collection, GOLD-ish sales only
    retail = Tier(
        code="RETAIL",
        name="Retail",
        rank=1,
        requirements=(Requirement(metric="collection", minimum=D("0.9")),),
    )
    volume = Tier(
        code="VOLUME",
        name="Volume",
        rank=2,
        requirements=(Requirement(metric="sales", minimum=1_000_000),),
    )
    p = TierProgram(tiers=(retail, volume), demotion_grace=0)
    d = assign_tier(p, figures(2_000_000, "0.5"), current="RETAIL")
    assert (d.change, d.tier, d.qualified) == (PROMOTED, volume, ("VOLUME",))


def test_retained_resets_missed():
    d = assign_tier(program(), figures(700_000), current="SILVER", missed=1)
    assert (d.change, d.tier, d.previous, d.missed) == (RETAINED, SILVER, SILVER, 0)
    # gaps to GOLD: sales short 300,000; score 70 x 0.7 + 30 = 79 short of 90 by 11
    assert d.gaps_to == GOLD
    assert [(g.metric, g.actual, g.shortfall) for g in d.gaps] == [
        ("sales", 700_000, 300_000),
        ("score", 79, 11),
    ]


def test_top_tier_has_no_gaps():
    d = assign_tier(program(), figures(2_500_000, 1), current="PLATINUM")
    assert (d.change, d.tier) == (RETAINED, PLATINUM)
    assert d.gaps == ()
    assert d.gaps_to is None


def test_on_watch_gives_the_gaps_to_the_tier_held():
    # GOLD held, sales 800,000: 56 + 30 = 86 < 90 and sales < 1,000,000
    d = assign_tier(program(), figures(800_000), current="GOLD")
    assert (d.change, d.tier, d.missed) == (ON_WATCH, GOLD, 1)
    assert d.gaps_to == GOLD
    assert [(g.metric, g.shortfall) for g in d.gaps] == [("sales", 200_000), ("score", 4)]


def test_demotion_to_no_tier():
    p = TierProgram(tiers=(SILVER,), demotion_grace=0)
    d = assign_tier(p, figures(100), current="SILVER")
    assert (d.change, d.tier, d.previous, d.missed) == (DEMOTED, None, SILVER, 0)
    assert d.gaps_to == SILVER  # the next tier above "no tier" is the lowest one


def test_demotion_drops_to_the_highest_tier_qualified_even_several_levels():
    d = assign_tier(program(grace=0), figures(100_000), current="PLATINUM")
    assert (d.change, d.tier, d.missed) == (DEMOTED, BRONZE, 0)
    assert d.gaps_to == SILVER


def test_a_stored_count_beyond_the_grace_demotes():
    d = assign_tier(program(grace=1), figures(100_000), current="SILVER", missed=5)
    assert (d.change, d.tier) == (DEMOTED, BRONZE)


# -- demotion_grace sequences ----------------------------------------------------------------


def run(grace: int, sales: list[int], start: str = "SILVER") -> list[tuple[str, str | None, int]]:
    """Evaluate one partner period after period, storing tier and missed as a service would."""
    p = program(grace)
    current: str | None = start
    missed = 0
    out = []
    for s in sales:
        d = assign_tier(p, figures(s), current=current, missed=missed)
        current = d.tier.code if d.tier is not None else None
        missed = d.missed
        out.append((d.change.value, current, missed))
    return out


def test_grace_0_demotes_at_the_first_failure():
    assert run(0, [100, 600_000]) == [("demoted", "BRONZE", 0), ("promoted", "SILVER", 0)]


def test_grace_1_keeps_the_tier_once():
    assert run(1, [100, 100, 100]) == [
        ("on_watch", "SILVER", 1),
        ("demoted", "BRONZE", 0),
        ("retained", "BRONZE", 0),
    ]


def test_grace_2_keeps_the_tier_twice():
    assert run(2, [100, 100, 100]) == [
        ("on_watch", "SILVER", 1),
        ("on_watch", "SILVER", 2),
        ("demoted", "BRONZE", 0),
    ]


def test_meeting_the_tier_again_resets_the_count():
    assert run(1, [100, 600_000, 100, 100]) == [
        ("on_watch", "SILVER", 1),
        ("retained", "SILVER", 0),
        ("on_watch", "SILVER", 1),
        ("demoted", "BRONZE", 0),
    ]


def test_promotion_during_the_watch_resets_the_count():
    assert run(2, [100, 1_000_000, 900_000]) == [
        ("on_watch", "SILVER", 1),
        ("promoted", "GOLD", 0),
        ("on_watch", "GOLD", 1),
    ]


def test_no_scorecard_no_score():
    p = TierProgram(tiers=(SILVER, BRONZE))
    d = assign_tier(p, {"sales": 600_000})
    assert d.score is None
    assert d.tier == SILVER


# -- errors ----------------------------------------------------------------------------------


def test_current_must_be_in_the_programme():
    with pytest.raises(PolicyError, match=r"current tier 'DIAMOND' is not in the programme"):
        assign_tier(program(), figures(1), current="DIAMOND")


def test_a_required_figure_must_be_supplied():
    with pytest.raises(PolicyError, match="tier 'SILVER' requires metric 'sales'") as err:
        assign_tier(program(), {"collection": 1})
    assert err.value.metric == "sales"
    with pytest.raises(PolicyError, match="requires metric 'sales'"):
        assign_tier(program(), {"sales": None, "collection": 1})


@pytest.mark.parametrize(
    ("missed", "error", "message"),
    [
        (-1, ArgumentError, "missed must be at least 0, got -1"),
        pytest.param(
            -(10**5000),
            ArgumentError,
            "missed must be at least 0, got a huge negative int",
            id="huge",
        ),
        (True, ArgumentTypeError, "missed must be an int, got True"),
        (1.0, ArgumentTypeError, "missed must be an int, got 1.0"),
        ("1", ArgumentTypeError, "missed must be an int, got '1'"),
        ([1], ArgumentTypeError, "missed must be an int, got list"),
    ],
)
def test_missed_must_be_a_non_negative_int(missed, error, message):
    with pytest.raises(error, match=message) as err:
        assign_tier(program(), figures(1), current="SILVER", missed=missed)
    assert err.value.argument == "missed"
    assert err.value.value is missed


def test_figures_are_checked():
    with pytest.raises(ArgumentTypeError, match="sales must not be a float"):
        assign_tier(TierProgram(tiers=(SILVER,)), {"sales": 1.5})
    with pytest.raises(ArgumentError, match="sales is too large"):
        assign_tier(TierProgram(tiers=(SILVER,)), {"sales": "1e20"})


# -- results ---------------------------------------------------------------------------------


def test_gap_checks_its_shortfall():
    with pytest.raises(ValidationError, match=r"shortfall must be required - actual = 2, got 3"):
        Gap(metric="sales", required=5, actual=3, shortfall=3)
    with pytest.raises(ValidationError, match="shortfall must be above 0"):
        Gap(metric="sales", required=5, actual=5, shortfall=0)
    with pytest.raises(ValidationError, match="must be at least 0, got -1"):
        Gap(metric="sales", required=5, actual=6, shortfall=-1)


def test_tier_change_values_and_labels():
    assert [c.value for c in TierChange] == ["new", "promoted", "retained", "on_watch", "demoted"]
    assert TierChange.ON_WATCH.label() == "On watch"
    assert [c.label("zh") for c in TierChange] == ["首次定级", "晋级", "保级", "观察期", "降级"]


def test_decision_json_round_trip():
    d = assign_tier(program(), figures(800_000), current="GOLD")
    again = TierDecision.model_validate_json(d.model_dump_json())
    assert again == d
    assert again.gaps == d.gaps


# -- explain ---------------------------------------------------------------------------------


def test_explain_promoted():
    d = assign_tier(program(), figures(1_000_000, "0.76"), current="SILVER")
    assert d.explain() == (
        "Promoted from SILVER (Silver) to GOLD (Gold)\n"
        "Score: 94.00\n"
        "Qualifies for: GOLD, SILVER, BRONZE\n"
        "Missed evaluations to store: 0\n"
        "To reach PLATINUM (Platinum):\n"
        "  sales: 1,000,000 of 2,000,000 required, short by 1,000,000\n"
        "  collection: 0.76 of 0.95 required, short by 0.19\n"
        "  score: 94.00 of 100.00 required, short by 6.00"
    )
    assert d.explain("zh") == (
        "晋级：由 SILVER（Silver）升至 GOLD（Gold）\n"
        "得分：94.00\n"
        "符合级别：GOLD、SILVER、BRONZE\n"
        "待存储的连续未达标次数：0\n"
        "升至 PLATINUM（Platinum）还需：\n"
        "  sales：实际 1,000,000，要求 2,000,000，差 1,000,000\n"
        "  collection：实际 0.76，要求 0.95，差 0.19\n"
        "  score：实际 94.00，要求 100.00，差 6.00"
    )


def test_explain_on_watch_and_demoted():
    watch = assign_tier(program(), figures(800_000), current="GOLD")
    assert watch.explain().splitlines()[0] == (
        "On watch: keeps GOLD (Gold), failed 1 time(s) in a row (grace 1)"
    )
    assert watch.explain().splitlines()[4] == "To keep GOLD (Gold):"
    assert (
        watch.explain("zh").splitlines()[0]
        == "观察期：保留 GOLD（Gold），已连续 1 次未达标（宽限 1 次）"
    )
    assert watch.explain("zh").splitlines()[4] == "保住 GOLD（Gold）还需："
    down = assign_tier(TierProgram(tiers=(SILVER,), demotion_grace=0), figures(1), current="SILVER")
    assert down.explain() == (
        "Demoted from SILVER (Silver) to no tier: "
        "failed more than the grace of 0 time(s) in a row\n"
        "Qualifies for no tier\n"
        "Missed evaluations to store: 0\n"
        "To reach SILVER (Silver):\n"
        "  sales: 1 of 500,000 required, short by 499,999"
    )
    assert down.explain("zh").splitlines()[:2] == [
        "降级：由 SILVER（Silver）降至 无级别，连续未达标超过宽限 0 次",
        "不符合任何级别",
    ]


def test_explain_new_and_top():
    d = assign_tier(program(), figures(3_000_000, 1))
    assert d.explain().splitlines() == [
        "New placement: PLATINUM (Platinum)",
        "Score: 100.00",
        "Qualifies for: PLATINUM, GOLD, SILVER, BRONZE",
        "Missed evaluations to store: 0",
        "Top tier: nothing higher to reach",
    ]
    assert d.explain("zh").splitlines()[0] == "首次定级：PLATINUM（Platinum）"
    assert d.explain("zh").splitlines()[-1] == "已是最高级别"
    nothing = assign_tier(TierProgram(tiers=(SILVER,)), {"sales": 0})
    assert nothing.explain().splitlines()[0] == "New placement: no tier"
    with pytest.raises(ValueError, match="lang"):
        d.explain("de")


def test_results_do_not_depend_on_the_global_context():
    odd = Scorecard(metrics=(Metric(key="sales", weight=7, target=3, cap=D("1.23456")),))
    args = (program(), figures(1_234_567, "0.8765"))
    expected = assign_tier(*args, current="GOLD")
    expected_text = expected.explain() + expected.explain("zh")
    with decimal.localcontext() as ctx:
        ctx.prec = 3
        ctx.rounding = decimal.ROUND_FLOOR
        again = assign_tier(*args, current="GOLD")
        again_text = again.explain() + again.explain("zh")
        assert odd.max_total == D("123.456")
        assert score(odd, {"sales": 100}).max_total == D("123.456")
    assert again == expected
    assert again_text == expected_text
