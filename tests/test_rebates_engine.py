"""compute_rebate and rebate_amounts: hand-worked examples, boundaries, order, errors."""

from __future__ import annotations

from decimal import Decimal

import pytest

from channelkit import (
    Boundary,
    Bracket,
    Condition,
    CurrencyMismatchError,
    Metric,
    MissingMetric,
    Money,
    PayoutStep,
    PolicyError,
    RebateBasis,
    RebatePolicy,
    Scorecard,
    Tier,
    TierBenefits,
    TierMode,
    compute_rebate,
    rebate_amounts,
)
from channelkit.numeric import CONTEXT
from channelkit.rebates import AdjustmentKind

D = Decimal
LADDER = (
    Bracket(start=10_000, rate="0.02"),
    Bracket(start=50_000, rate="0.03"),
    Bracket(start=100_000, rate="0.04"),
    Bracket(start=500_000, rate="0.05"),
)
GOLD = Tier(code="GOLD", name="Gold", rank=3, benefits=TierBenefits(rebate_multiplier="1.2"))


def policy(**kw: object) -> RebatePolicy:
    fields: dict[str, object] = {"id": "LADDER", "name": "Ladder", "currency": "CNY"}
    fields["brackets"] = LADDER
    fields.update(kw)
    return RebatePolicy(**fields)  # type: ignore[arg-type]


def amount(p: RebatePolicy, basis: object, **kw: object) -> Decimal:
    return compute_rebate(p, basis, **kw).amount.amount  # type: ignore[arg-type]


# -- modes ----------------------------------------------------------------------------------------


def test_graduated_ladder() -> None:
    r = compute_rebate(policy(), 120_000)
    # 40,000 x 2% + 50,000 x 3% + 20,000 x 4% = 800 + 1,500 + 800 = 3,100
    assert r.amount == Money("3100.00", "CNY")
    assert r.gross == Money(3100, "CNY")
    assert [(ln.start, ln.end, ln.slice, ln.rate) for ln in r.lines] == [
        (D(10_000), D(50_000), D(40_000), D("0.02")),
        (D(50_000), D(100_000), D(50_000), D("0.03")),
        (D(100_000), D(120_000), D(20_000), D("0.04")),
    ]
    assert [ln.amount.amount for ln in r.lines] == [D(800), D(1500), D(800)]
    assert [ln.index for ln in r.lines] == [0, 1, 2]
    assert r.adjustments == ()
    assert r.effective_rate == CONTEXT.divide(D(3100), D(120_000))
    assert r.mode is TierMode.GRADUATED
    assert r.basis_kind is RebateBasis.NET_SALES


def test_volume_ladder() -> None:
    r = compute_rebate(policy(mode="volume"), 120_000)
    # the whole 120,000 at the 4% of the highest bracket reached = 4,800
    assert r.amount.amount == D(4800)
    assert len(r.lines) == 1
    line = r.lines[0]
    assert (line.index, line.start, line.slice, line.rate) == (2, D(100_000), D(120_000), D("0.04"))


def test_flat_uses_first_bracket_on_everything() -> None:
    p = policy(mode="flat")
    # 120,000 x 2% = 2,400 (later brackets do not matter)
    assert amount(p, 120_000) == D(2400)
    assert amount(p, 9_999) == D(0)  # below the first start
    assert compute_rebate(p, 120_000).lines[0].slice == D(120_000)
    assert compute_rebate(p, 120_000).next_bracket is None
    nb = compute_rebate(p, 4_000).next_bracket
    assert nb is not None
    assert (nb.index, nb.start, nb.gap) == (0, D(10_000), D(6_000))
    assert nb.amount_at_start == Money(200, "CNY")  # 10,000 x 2%


def test_flats_per_mode() -> None:
    brackets = (
        Bracket(start=0, rate="0.01", flat=100),
        Bracket(start=100_000, rate="0.02", flat=500),
        Bracket(start=200_000, rate="0.03", flat=1000),
    )
    # GRADUATED: (100,000 x 1% + 100) + (100,000 x 2% + 500) + (50,000 x 3% + 1,000) = 6,100
    r = compute_rebate(policy(brackets=brackets), 250_000)
    assert [ln.amount.amount for ln in r.lines] == [D(1100), D(2500), D(2500)]
    assert r.lines[1].flat == Money(500, "CNY")
    assert r.amount.amount == D(6100)
    # VOLUME: 250,000 x 3% + 1,000 (the top bracket's flat only) = 8,500
    assert amount(policy(brackets=brackets, mode="volume"), 250_000) == D(8500)
    # FLAT: 250,000 x 1% + 100 (the first bracket's flat) = 2,600
    assert amount(policy(brackets=brackets, mode="flat"), 250_000) == D(2600)


# -- boundaries -----------------------------------------------------------------------------------


def test_reach_counts_a_basis_at_the_start() -> None:
    r = compute_rebate(policy(), 50_000)
    # 40,000 x 2% = 800; the 3% bracket is reached with an empty slice
    assert r.amount.amount == D(800)
    assert [ln.slice for ln in r.lines] == [D(40_000), D(0)]
    assert amount(policy(mode="volume"), 50_000) == D(1500)  # 50,000 x 3%
    assert amount(policy(), 10_000) == D(0)
    assert len(compute_rebate(policy(), 10_000).lines) == 1


def test_exceed_needs_a_basis_above_the_start() -> None:
    p = policy(boundary="exceed")
    assert amount(policy(boundary="exceed", mode="volume"), 50_000) == D(1000)  # 50,000 x 2%
    assert len(compute_rebate(p, 50_000).lines) == 1
    assert compute_rebate(p, 10_000).lines == ()
    assert amount(p, D("10000.01")) == D("0.00")  # 0.01 x 2% = 0.0002
    nb = compute_rebate(p, 50_000).next_bracket
    assert nb is not None
    assert (nb.index, nb.start, nb.gap) == (1, D(50_000), D(0))  # anything above reaches it
    assert nb.amount_at_start == Money(800, "CNY")


def test_below_first_bracket_earns_nothing() -> None:
    r = compute_rebate(policy(), 9_000)
    assert r.amount == Money(0, "CNY")
    assert r.lines == ()
    assert r.effective_rate == 0
    assert "below the first bracket" in r.explain()
    assert "未达第一档" in r.explain("zh")


# -- threshold and cap ----------------------------------------------------------------------------


def test_threshold() -> None:
    p = policy(brackets=(Bracket(start=0, rate="0.02"),), threshold=50_000)
    assert amount(p, D("49999.99")) == D(0)
    assert amount(p, 50_000) == D(1000)  # 50,000 x 2%: the whole basis once the threshold is met
    below = compute_rebate(p, 30_000)
    assert below.lines == ()
    assert below.gross.amount == 0
    nb = below.next_bracket
    assert nb is not None  # the next step is the threshold itself
    assert (nb.index, nb.start, nb.rate, nb.gap) == (0, D(50_000), D("0.02"), D(20_000))
    assert nb.amount_at_start == Money(1000, "CNY")
    assert "below the threshold of 50,000.00" in below.explain()
    assert "未达门槛 50,000.00" in below.explain("zh")
    assert compute_rebate(p, 50_000).next_bracket is None


def test_threshold_ignores_the_boundary() -> None:
    p = policy(brackets=(Bracket(start=0, rate="0.02"),), threshold=50_000, boundary="exceed")
    assert amount(p, 50_000) == D(1000)


def test_threshold_below_first_bracket_points_to_the_bracket() -> None:
    p = policy(threshold=5_000)
    nb = compute_rebate(p, 1_000).next_bracket
    assert nb is not None
    assert (nb.index, nb.start, nb.gap) == (0, D(10_000), D(9_000))


def test_cap() -> None:
    r = compute_rebate(policy(mode="volume", cap=4000), 120_000)
    # 4,800 capped at 4,000: one adjustment of -800
    assert r.amount.amount == D(4000)
    assert [(a.kind, a.amount.amount, a.value) for a in r.adjustments] == [
        (AdjustmentKind.CAP, D(-800), D(4000))
    ]
    assert r.adjustments[0].reason == "capped at 4,000"
    assert compute_rebate(policy(mode="volume", cap=5000), 120_000).adjustments == ()


# -- conditions, payout, tier and the order of operations -----------------------------------------


def test_condition_not_met_applies_its_factor() -> None:
    p = policy(conditions=(Condition(metric="collection_rate", minimum="0.9", factor="0.5"),))
    r = compute_rebate(p, 120_000, metrics={"collection_rate": "0.85"})
    # 3,100 x 0.5 = 1,550
    assert r.amount.amount == D(1550)
    (adj,) = r.adjustments
    assert (adj.kind, adj.factor, adj.subject, adj.value) == (
        AdjustmentKind.CONDITION,
        D("0.5"),
        "collection_rate",
        D("0.85"),
    )
    assert adj.amount.amount == D(-1550)
    assert adj.reason == "condition collection_rate at least 0.9 not met (0.85): x 0.5"
    assert "未达条件 collection_rate 不低于 0.9（实际 0.85）" in adj.describe("zh")
    met = compute_rebate(p, 120_000, metrics={"collection_rate": "0.9"})
    assert met.amount.amount == D(3100)
    assert met.adjustments == ()


def test_conditions_multiply_in_order_and_forfeit() -> None:
    p = policy(
        conditions=(
            Condition(metric="a", minimum=1, factor="0.5"),
            Condition(metric="b", maximum=10, factor="0.8"),
        )
    )
    r = compute_rebate(p, 120_000, metrics={"a": 0, "b": 11})
    # 3,100 x 0.5 = 1,550; x 0.8 = 1,240
    assert [a.amount.amount for a in r.adjustments] == [D(-1550), D(-310)]
    assert r.amount.amount == D(1240)
    assert r.adjustments[1].reason == "condition b at most 10 not met (11): x 0.8"
    both = Condition(metric="a", minimum=1, maximum=2)
    forfeit = compute_rebate(policy(conditions=(both,)), 120_000, metrics={"a": 3})
    assert forfeit.amount.amount == 0
    assert forfeit.adjustments[0].reason == "condition a between 1 and 2 not met (3): x 0"
    assert "在 1 至 2 之间" in forfeit.adjustments[0].describe("zh")


def test_missing_condition_metric_is_a_policy_error() -> None:
    p = policy(conditions=(Condition(metric="collection_rate", minimum="0.9"),))
    with pytest.raises(PolicyError, match="collection_rate"):
        compute_rebate(p, 120_000)
    with pytest.raises(PolicyError, match="collection_rate"):
        compute_rebate(p, 120_000, metrics={"growth": 1})
    with pytest.raises(TypeError, match="float"):
        compute_rebate(p, 120_000, metrics={"collection_rate": 0.9})


CARD = Scorecard(metrics=(Metric(key="sales", weight=1, target=100),))
STEPS = (
    PayoutStep(min_score=50, factor="0.5"),
    PayoutStep(min_score=80, factor=1),
    PayoutStep(min_score=95, factor="1.1"),
)


@pytest.mark.parametrize(
    ("sales", "factor", "expected"),
    [
        (97, D("1.1"), D(3410)),  # score 97 -> 1.1: 3,100 x 1.1 = 3,410
        (95, D("1.1"), D(3410)),  # a score at min_score earns the step
        (90, D(1), D(3100)),
        (60, D("0.5"), D(1550)),
        (40, D(0), D(0)),  # no step reached: factor 0
    ],
)
def test_scorecard_payout(sales: int, factor: Decimal, expected: Decimal) -> None:
    r = compute_rebate(policy(scorecard=CARD, payout=STEPS), 120_000, metrics={"sales": sales})
    assert r.amount.amount == expected
    assert r.score == D(sales)
    (adj,) = r.adjustments
    assert (adj.kind, adj.factor, adj.value) == (AdjustmentKind.PAYOUT, factor, D(sales))
    assert adj.amount.amount == expected - 3100


def test_scorecard_without_payout_changes_nothing() -> None:
    r = compute_rebate(policy(scorecard=CARD), 120_000)
    assert r.amount.amount == D(3100)
    assert r.score is None
    assert r.adjustments == ()


def test_payout_follows_the_scorecard_missing_rule() -> None:
    strict = CARD.model_copy(update={"missing": MissingMetric.RAISE})
    with pytest.raises(PolicyError, match="sales"):
        compute_rebate(policy(scorecard=strict, payout=STEPS), 120_000)
    zero = compute_rebate(policy(scorecard=CARD, payout=STEPS), 120_000)
    assert zero.score == 0
    assert zero.amount.amount == 0


def test_tier_multiplier() -> None:
    r = compute_rebate(policy(), 120_000, tier=GOLD)
    # 3,100 x 1.2 = 3,720
    assert r.amount.amount == D(3720)
    (adj,) = r.adjustments
    assert (adj.kind, adj.factor, adj.subject) == (AdjustmentKind.TIER, D("1.2"), "GOLD")
    assert adj.reason == "tier GOLD rebate multiplier: x 1.2"
    assert adj.describe("zh") == "级别 GOLD 返利系数：x 1.2"


def test_cap_applies_after_the_tier_multiplier() -> None:
    r = compute_rebate(policy(mode="volume", cap=5000), 120_000, tier=GOLD)
    # 4,800 x 1.2 = 5,760, then the cap: 5,000 (capping first would give 6,000)
    assert r.amount.amount == D(5000)
    assert [a.kind for a in r.adjustments] == [AdjustmentKind.TIER, AdjustmentKind.CAP]
    assert [a.amount.amount for a in r.adjustments] == [D(960), D(-760)]


def test_full_order_of_operations() -> None:
    p = policy(
        mode="volume",
        cap=4000,
        conditions=(Condition(metric="collection_rate", minimum="0.9", factor="0.8"),),
        scorecard=CARD,
        payout=STEPS,
    )
    r = compute_rebate(p, 120_000, metrics={"collection_rate": "0.5", "sales": 97}, tier=GOLD)
    # 4,800 x 0.8 = 3,840; x 1.1 = 4,224; x 1.2 = 5,068.8; cap 4,000
    assert [a.kind for a in r.adjustments] == [
        AdjustmentKind.CONDITION,
        AdjustmentKind.PAYOUT,
        AdjustmentKind.TIER,
        AdjustmentKind.CAP,
    ]
    assert [a.amount.amount for a in r.adjustments] == [
        D(-960),
        D(384),
        D("844.80"),
        D("-1068.80"),
    ]
    assert r.amount.amount == D(4000)
    text = r.explain()
    assert "Gross: 4,800.00" in text
    assert "scorecard payout: score 97 -> x 1.1 = +384.00" in text
    assert "capped at 4,000 = -1,068.80" in text
    assert "综合评分 97 对应系数：x 1.1 = +384.00" in r.explain("zh")


# -- rounding and reconciliation ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rounding", "expected"),
    [("ROUND_HALF_UP", D("1.01")), ("ROUND_HALF_EVEN", D("1.00")), ("ROUND_DOWN", D("1.00"))],
)
def test_rounding_once_with_the_policy_mode(rounding: str, expected: Decimal) -> None:
    p = policy(brackets=(Bracket(start=0, rate="0.01"),), rounding=rounding)
    # 100.50 x 1% = 1.005
    r = compute_rebate(p, D("100.50"))
    assert r.amount.amount == expected
    assert r.gross.amount == D("1.005")  # exact
    assert rebate_amounts(p, [D("100.50")]) == [expected]


def test_minor_units_of_the_currency() -> None:
    p = policy(currency="JPY", brackets=(Bracket(start=0, rate="0.01"),))
    assert amount(p, 12_345) == D(123)  # 123.45 JPY rounds to 123
    kwd = policy(currency="KWD", brackets=(Bracket(start=0, rate="0.01"),))
    assert amount(kwd, D("1.2345")) == D("0.012")


def test_lines_by_largest_remainder() -> None:
    p = policy(brackets=(Bracket(start=0, rate="0.015"), Bracket(start=1, rate="0.015")))
    r = compute_rebate(p, 2)
    # exact 0.015 + 0.015 = 0.03; half-up per line would give 0.04: ties go to the earlier line
    assert [ln.amount.amount for ln in r.lines] == [D("0.02"), D("0.01")]
    assert r.amount.amount == D("0.03")


def test_adjustments_are_differences_of_rounded_totals() -> None:
    p = policy(
        brackets=(Bracket(start=0, rate="0.015"),),
        conditions=(Condition(metric="x", minimum=1, factor="0.5"),),
    )
    half = Tier(code="T", name="T", rank=1, benefits=TierBenefits(rebate_multiplier="0.5"))
    r = compute_rebate(p, 2, metrics={"x": 0}, tier=half)
    # 0.03 -> x 0.5 = 0.015 (0.02) -> x 0.5 = 0.0075 (0.01)
    assert [a.amount.amount for a in r.adjustments] == [D("-0.01"), D("-0.01")]
    assert r.amount.amount == D("0.01")
    total = sum((ln.amount for ln in r.lines), Money.zero("CNY"))
    assert total + sum((a.amount for a in r.adjustments), Money.zero("CNY")) == r.amount


# -- bases ----------------------------------------------------------------------------------------


def test_units_basis_pays_money_per_unit() -> None:
    p = policy(basis="units", brackets=(Bracket(start=0, rate=5), Bracket(start=100, rate=6)))
    r = compute_rebate(p, 150)
    # 100 x 5 + 50 x 6 = 800 CNY
    assert r.amount == Money("800.00", "CNY")
    assert r.effective_rate == CONTEXT.divide(D(800), D(150))
    text = r.explain()
    assert "on units 150 (graduated, reach)" in text
    assert "0 - 100 at 5 CNY/unit = 500.00" in text
    assert "effective rate 5.33 CNY/unit" in text
    assert "5.33 CNY/件" in r.explain("zh")
    with pytest.raises(PolicyError, match="units"):
        compute_rebate(p, Money(150, "CNY"))


def test_incremental_basis_is_the_growth_passed() -> None:
    p = policy(basis="incremental", brackets=(Bracket(start=0, rate="0.05"),))
    assert amount(p, 20_000) == D(1000)
    assert "incremental net sales 20,000.00 CNY" in compute_rebate(p, 20_000).explain()


def test_money_basis() -> None:
    assert amount(policy(), Money(120_000, "CNY")) == D(3100)
    with pytest.raises(CurrencyMismatchError, match="expected CNY, got USD"):
        compute_rebate(policy(), Money(120_000, "USD"))


def test_negative_basis_is_a_policy_error() -> None:
    with pytest.raises(PolicyError, match="basis must not be negative, got -1"):
        compute_rebate(policy(), -1)


@pytest.mark.parametrize(
    ("basis", "error"), [(0.5, TypeError), ("abc", ValueError), ("NaN", ValueError)]
)
def test_bad_basis(basis: object, error: type[Exception]) -> None:
    with pytest.raises(error, match="basis"):
        compute_rebate(policy(), basis)  # type: ignore[arg-type]


# -- next bracket ---------------------------------------------------------------------------------


def test_next_bracket() -> None:
    nb = compute_rebate(policy(), 120_000).next_bracket
    assert nb is not None
    # at 500,000: 800 + 1,500 + 400,000 x 4% = 18,300
    assert (nb.index, nb.start, nb.rate, nb.gap) == (3, D(500_000), D("0.05"), D(380_000))
    assert nb.amount_at_start == Money(18_300, "CNY")
    vol = compute_rebate(policy(mode="volume"), 120_000).next_bracket
    assert vol is not None
    assert vol.amount_at_start == Money(25_000, "CNY")  # 500,000 x 5%
    assert compute_rebate(policy(), 600_000).next_bracket is None
    first = compute_rebate(policy(), 0).next_bracket
    assert first is not None
    assert (first.index, first.gap) == (0, D(10_000))


# -- explanations ---------------------------------------------------------------------------------


def test_explain_matches_the_house_example() -> None:
    assert compute_rebate(policy(), 120_000).explain() == "\n".join(
        [
            "Rebate for policy LADDER on net sales 120,000.00 CNY (graduated, reach)",
            "  10,000.00 - 50,000.00 at 2% = 800.00",
            "  50,000.00 - 100,000.00 at 3% = 1,500.00",
            "  100,000.00 - 120,000.00 at 4% = 800.00",
            "Payable: 3,100.00 CNY (effective rate 2.58%)",
            "Next step: 380,000.00 more reaches 5% (rebate there: 18,300.00)",
        ]
    )


def test_explain_volume_and_flat_lines() -> None:
    brackets = (Bracket(start=0, rate="0.01", flat=100), Bracket(start=100, rate="0.02"))
    text = compute_rebate(policy(mode="volume", brackets=brackets), 50).explain()
    assert "50.00 (bracket from 0.00) at 1% + flat 100.00 = 100.50" in text
    zh = compute_rebate(policy(mode="volume", brackets=brackets), 50).explain("zh")
    assert "50.00（自 0.00 起的档位） 按 1% + 固定 100.00 = 100.50" in zh
    assert "全额累进" in zh


def test_explain_rejects_unknown_language() -> None:
    with pytest.raises(ValueError, match="lang"):
        compute_rebate(policy(), 1).explain("fr")


# -- rebate_amounts -------------------------------------------------------------------------------


def test_rebate_amounts_matches_compute_rebate() -> None:
    bases = [D(0), D(9_999), D(10_000), D("50000"), D("120000.55"), D(10**9)]
    with_flats = tuple(b.model_copy(update={"flat": D(100)}) for b in LADDER)
    for mode in TierMode:
        for boundary in Boundary:
            for extra in ({}, {"threshold": 60_000, "cap": 20_000}, {"brackets": with_flats}):
                p = policy(mode=mode, boundary=boundary, **extra)
                assert rebate_amounts(p, bases) == [amount(p, b) for b in bases]


def test_rebate_amounts_accepts_any_basis_form() -> None:
    p = policy()
    got = rebate_amounts(p, (b for b in [120_000, "120000", Money(120_000, "CNY")]))
    assert got == [D(3100)] * 3
    assert rebate_amounts(p, []) == []
    with_flats = tuple(b.model_copy(update={"flat": D(100)}) for b in LADDER)
    for extra in ({"mode": "volume"}, {"mode": "volume", "brackets": with_flats}, {"cap": 1}):
        q = policy(**extra)
        assert rebate_amounts(q, [120_000, "5"]) == [amount(q, 120_000), amount(q, 5)]


def test_rebate_amounts_refuses_conditions_and_payout() -> None:
    p = policy(conditions=(Condition(metric="x", minimum=1),))
    with pytest.raises(PolicyError, match="use compute_rebate"):
        rebate_amounts(p, [D(1)])
    with pytest.raises(PolicyError, match="conditions or payout"):
        rebate_amounts(policy(scorecard=CARD, payout=STEPS), [D(1)])


@pytest.mark.parametrize("extra", [{}, {"cap": 100}, {"mode": "volume"}])
@pytest.mark.parametrize(
    ("bad", "error", "match"),
    [
        (D(-1), PolicyError, "must not be negative"),
        (D("-0.0001"), PolicyError, "must not be negative"),
        (D(10) ** 15, ValueError, "too large"),
        (D("Infinity"), ValueError, "finite"),
        (D("NaN"), ValueError, "finite"),
        (D("sNaN"), ValueError, "finite"),
        (0.5, TypeError, "float"),
        (True, TypeError, "bool"),
        (Money(1, "USD"), CurrencyMismatchError, "USD"),
    ],
)
def test_rebate_amounts_errors(
    extra: dict[str, object], bad: object, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        rebate_amounts(policy(**extra), [D(5), bad])


def test_rebate_amounts_largest_valid_basis() -> None:
    top = D("999999999999999.9999999999999999999")
    for boundary in Boundary:
        p = policy(boundary=boundary, brackets=(Bracket(start=0, rate="0.01"),))
        assert rebate_amounts(p, [top]) == [amount(p, top)]


def test_plan_is_rebuilt_for_a_changed_copy() -> None:
    p = policy()
    assert rebate_amounts(p, [D(120_000)]) == [D(3100)]
    q = p.model_copy(update={"brackets": (Bracket(start=0, rate="0.1"),)})
    assert rebate_amounts(q, [D(120_000)]) == [D(12_000)]
    assert rebate_amounts(p, [D(120_000)]) == [D(3100)]
    assert p == policy()  # the cached plan does not change equality
    assert hash(p) == hash(policy())


def test_unvalidated_copy_with_enum_values_still_computes() -> None:
    # model_copy(update=...) does not validate: plain enum values must still work
    p = policy().model_copy(update={"mode": "volume", "boundary": "exceed", "basis": "units"})
    r = compute_rebate(p, 50_000)
    assert r.amount.amount == D(1000)  # EXCEED: 50,000 stays in the 2% bracket, whole basis
    assert r.mode is TierMode.VOLUME
    assert r.boundary is Boundary.EXCEED
    assert r.basis_kind is RebateBasis.UNITS
    with pytest.raises(PolicyError, match="units"):
        compute_rebate(p, Money(1, "CNY"))
