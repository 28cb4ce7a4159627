"""lint: hand-worked findings, their order and texts, and properties against compute_rebate."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from channelkit import (
    ArgumentError,
    ArgumentTypeError,
    Boundary,
    Bracket,
    Finding,
    FindingCode,
    RebateBasis,
    RebatePolicy,
    Severity,
    TierMode,
    compute_rebate,
    lint,
)
from channelkit.rebates.lint import SEVERITY
from channelkit.testing import findings, rebate_policies

D = Decimal
CLIFF, RATE_DROP, UNREACHABLE = FindingCode.CLIFF, FindingCode.RATE_DROP, FindingCode.UNREACHABLE
THRESHOLD, CAP_FLAT, ZERO = (
    FindingCode.THRESHOLD_BELOW_FIRST,
    FindingCode.CAP_BELOW_FLAT,
    FindingCode.ZERO_LADDER,
)


def policy(*brackets: tuple[object, ...], **kw: object) -> RebatePolicy:
    """A CNY policy with ``(start, rate[, flat])`` brackets."""
    ladder = tuple(
        Bracket(start=b[0], rate=b[1], flat=b[2] if len(b) > 2 else 0)  # type: ignore[arg-type]
        for b in brackets
    )
    return RebatePolicy(id="P", name="P", currency="CNY", brackets=ladder, **kw)  # type: ignore[arg-type]


def codes(p: RebatePolicy) -> list[tuple[FindingCode, int | None]]:
    return [(f.code, f.bracket) for f in lint(p)]


# -- clean policies ----------------------------------------------------------------------------


def test_a_clean_graduated_ladder_gives_nothing() -> None:
    assert lint(policy((10_000, "0.02"), (50_000, "0.03"), (100_000, "0.04"))) == ()


def test_a_volume_ladder_with_rising_rates_has_no_cliff() -> None:
    # at 100,000: 100,000 x 2% = 2,000 just below, 100,000 x 3% = 3,000 from the start
    assert lint(policy((0, "0.02"), (100_000, "0.03"), mode="volume")) == ()


# -- CLIFF -------------------------------------------------------------------------------------


def test_volume_cliff_is_high_and_cites_the_two_amounts() -> None:
    # just below 100,000 the whole basis earns 3%: 100,000 x 3% = 3,000 (the limit);
    # at 100,000 it earns 2%: 100,000 x 2% = 2,000 < 3,000, so buying more pays less
    found = lint(policy((0, "0.03"), (100_000, "0.02"), mode="volume"))
    assert [(f.code, f.bracket, f.severity) for f in found] == [
        (CLIFF, 1, Severity.HIGH),
        (RATE_DROP, 1, Severity.LOW),
    ]
    cliff = found[0]
    assert (cliff.start, cliff.value, cliff.reference) == (D(100_000), D(2000), D(3000))
    assert cliff.message == (
        "Cliff at brackets[1] (from 100,000): crossing the start lowers the rebate from 3,000 "
        "to 2,000, so buying more pays less"
    )
    assert cliff.explain("zh") == (
        "断崖：档位 brackets[1]（起点 100,000），越过起点后返利由 3,000 降至 2,000，多买反而少拿"
    )


def test_a_flat_that_makes_up_the_drop_exactly_is_no_cliff() -> None:
    # 100,000 x 2% + 1,000 = 3,000 = 100,000 x 3%: equal is not less
    assert codes(policy((0, "0.03"), (100_000, "0.02", 1_000), mode="volume")) == [(RATE_DROP, 1)]
    # one cent short: 2,999.99 < 3,000
    assert codes(policy((0, "0.03"), (100_000, "0.02", "999.99"), mode="volume")) == [
        (CLIFF, 1),
        (RATE_DROP, 1),
    ]


def test_a_flat_of_the_bracket_below_counts_in_the_amount_just_below() -> None:
    # below: 100,000 x 2% + 500 = 2,500; above: 100,000 x 2.4% = 2,400 < 2,500
    assert codes(policy((0, "0.02", 500), (100_000, "0.024"), mode="volume")) == [(CLIFF, 1)]
    # above: 100,000 x 2.5% = 2,500 = below: no cliff
    assert codes(policy((0, "0.02", 500), (100_000, "0.025"), mode="volume")) == []


def test_graduated_rate_drop_is_no_cliff() -> None:
    # graduated: at 100,000 both sides earn 100,000 x 3% = 3,000; the rate only falls above it
    assert codes(policy((0, "0.03"), (100_000, "0.02"))) == [(RATE_DROP, 1)]


def test_flat_mode_reads_the_first_bracket_only() -> None:
    assert lint(policy((0, "0.03"), (100_000, "0.02"), mode="flat")) == ()


def test_threshold_at_the_start_hides_the_cliff_under_reach_only() -> None:
    ladder = ((0, "0.03"), (100_000, "0.02"))
    # REACH: a basis just below 100,000 is below the threshold and earns 0 < 2,000
    assert codes(policy(*ladder, mode="volume", threshold=100_000)) == [(RATE_DROP, 1)]
    # EXCEED: a basis of 100,000 meets the threshold and earns 3% (3,000); just above: 2,000
    assert codes(policy(*ladder, mode="volume", threshold=100_000, boundary="exceed")) == [
        (CLIFF, 1),
        (RATE_DROP, 1),
    ]
    # a threshold above the start: both sides earn nothing
    assert codes(policy(*ladder, mode="volume", threshold=100_001, boundary="exceed")) == [
        (RATE_DROP, 1)
    ]


def test_the_cap_can_hide_a_cliff() -> None:
    ladder = ((0, "0.03"), (100_000, "0.02"))
    # cap 2,000: min(2,000, 2,000) = min(3,000, 2,000): no cliff; the cap is reached below
    assert codes(policy(*ladder, mode="volume", cap=2_000)) == [(RATE_DROP, 1), (UNREACHABLE, 1)]
    # cap 2,500: 2,000 < min(3,000, 2,500) = 2,500: still a cliff, of 500
    found = lint(policy(*ladder, mode="volume", cap=2_500))
    assert [(f.code, f.bracket) for f in found] == [(CLIFF, 1), (RATE_DROP, 1), (UNREACHABLE, 1)]
    assert (found[0].value, found[0].reference) == (D(2000), D(2500))


def test_cliff_is_exact_beyond_34_digits() -> None:
    # s r = 10**14 x 0.1234...1234 (34 digits) = 12345678901234.56789012345678901234; the flats
    # differ by 1E-22, which 34-digit arithmetic would round away: exactly, above < below
    r = "0.1234567890123456789012345678901234"
    p = policy((0, r, "2E-22"), (10**14, r, "1E-22"), mode="volume")
    found = lint(p)
    assert [(f.code, f.bracket) for f in found] == [(CLIFF, 1)]
    # the figures shown are rounded to the 34 digits a result holds
    assert found[0].value == found[0].reference == D("12345678901234.56789012345678901234")
    # one more 1E-22 on the upper flat and the two sides are equal: no cliff
    assert lint(policy((0, r, "2E-22"), (10**14, r, "2E-22"), mode="volume")) == ()


# -- RATE_DROP, UNREACHABLE, THRESHOLD_BELOW_FIRST, CAP_BELOW_FLAT, ZERO_LADDER -----------------


def test_unreachable_when_the_brackets_below_reach_the_cap() -> None:
    ladder = ((0, "0.02"), (100_000, "0.03"), (500_000, "0.04", 5_000))
    # at 500,000 the brackets below pay 100,000 x 2% + 400,000 x 3% = 2,000 + 12,000 = 14,000
    # (bracket 2's own flat does not count)
    found = lint(policy(*ladder, cap=14_000))
    assert [(f.code, f.bracket, f.severity) for f in found] == [(UNREACHABLE, 2, Severity.MEDIUM)]
    assert (found[0].value, found[0].reference) == (D(14_000), D(14_000))
    assert lint(policy(*ladder, cap="14000.01")) == ()


def test_a_cap_of_zero_makes_every_bracket_unreachable() -> None:
    assert codes(policy((0, "0.02"), (100_000, "0.03"), cap=0)) == [
        (UNREACHABLE, 0),
        (UNREACHABLE, 1),
    ]


def test_threshold_at_or_below_the_first_start() -> None:
    ladder = ((10_000, "0.02"),)
    found = lint(policy(*ladder, threshold=5_000))
    assert [(f.code, f.bracket, f.severity) for f in found] == [(THRESHOLD, None, Severity.LOW)]
    assert (found[0].start, found[0].value, found[0].reference) == (None, D(5_000), D(10_000))
    assert codes(policy(*ladder, threshold=10_000)) == [(THRESHOLD, None)]
    assert codes(policy(*ladder, threshold="10000.01")) == []
    # under EXCEED a basis above the start meets a threshold at the start too
    assert codes(policy(*ladder, threshold=10_000, boundary="exceed")) == [(THRESHOLD, None)]
    # per transaction, a sale of 12,000 reaches the start while the period's net total (say
    # 12,000 - 5,000 returned = 7,000) misses a threshold of 10,000: the threshold bites
    assert codes(policy(*ladder, threshold=10_000, per="transaction")) == []


def test_cap_below_a_flat_the_policy_pays() -> None:
    found = lint(policy((0, "0.01"), (50_000, "0.02", 5_000), cap=3_000))
    # at 50,000 the bracket below pays 500 < 3,000: reachable; its flat 5,000 > cap 3,000
    assert [(f.code, f.bracket, f.severity) for f in found] == [(CAP_FLAT, 1, Severity.MEDIUM)]
    assert (found[0].value, found[0].reference) == (D(3_000), D(5_000))
    # FLAT mode never pays the second bracket's flat
    assert lint(policy((0, "0.01"), (50_000, "0.02", 5_000), cap=3_000, mode="flat")) == ()
    assert codes(policy((0, "0.01", 5_000), cap=3_000, mode="flat")) == [(CAP_FLAT, 0)]


def test_zero_ladder() -> None:
    found = lint(policy((0, 0), (10_000, 0)))
    assert [(f.code, f.bracket, f.severity) for f in found] == [(ZERO, None, Severity.HIGH)]
    assert (found[0].start, found[0].value, found[0].reference) == (None, None, None)
    assert lint(policy((0, 0), (10_000, 0, 100))) == ()  # a flat pays something


def test_order_whole_policy_first_then_by_bracket_then_code() -> None:
    p = policy((0, 0), (10, 0), threshold=0, cap=0)
    assert codes(p) == [(THRESHOLD, None), (ZERO, None), (UNREACHABLE, 0), (UNREACHABLE, 1)]
    q = policy((0, "0.03", 4_000), (100_000, "0.02"), mode="volume", cap=2_500, threshold=0)
    # below 100,000: 3,000 + 4,000 = 7,000 -> capped 2,500; above: 2,000 < 2,500
    assert codes(q) == [
        (THRESHOLD, None),
        (CAP_FLAT, 0),
        (CLIFF, 1),
        (RATE_DROP, 1),
        (UNREACHABLE, 1),
    ]


def test_tier_basis_skips_cliff_and_unreachable() -> None:
    ladder = ((0, "0.03"), (100, "0.02"))
    p = policy(*ladder, mode="volume", tier_basis="units", cap=0)
    assert codes(p) == [(RATE_DROP, 1)]


def test_units_rates_are_shown_per_unit() -> None:
    found = lint(policy((0, "1.5"), (100, "1.2"), basis="units"))
    assert found[0].per_unit
    assert found[0].message == (
        "Rate drop at brackets[1] (from 100): it pays 1.2 per unit, less than the 1.5 per unit "
        "of the bracket before it"
    )
    assert found[0].explain("zh") == (
        "返利率下降：档位 brackets[1]（起点 100），返利率 每件 1.2，低于上一档的 每件 1.5"
    )


def test_texts_of_every_code_in_both_languages() -> None:
    p = policy((0, 0), threshold=0)
    assert [f.explain("zh") for f in lint(p)] == [
        "无效门槛：门槛 0 不高于第一档起点 0，不起任何作用",
        "零返利阶梯：所有档位的返利率和固定返利均为 0，不产生任何返利",
    ]
    q = policy((0, "0.02"), (100_000, "0.03", 9_000), cap=2_000)
    assert [f.explain("en") for f in lint(q)] == [
        "Unreachable bracket at brackets[1] (from 100,000): the brackets below it already pay "
        "2,000 at its start, reaching the cap of 2,000",
        "Cap below a flat amount at brackets[1] (from 100,000): its flat amount of 9,000 is "
        "above the cap of 2,000",
    ]
    assert [f.explain("zh") for f in lint(q)] == [
        "无效档位：档位 brackets[1]（起点 100,000），其下各档在起点已返利 2,000，达到封顶 2,000",
        "封顶低于固定返利：档位 brackets[1]（起点 100,000），固定返利 9,000 高于封顶 2,000",
    ]
    assert FindingCode.CLIFF.label("zh") == "断崖"


def test_a_finding_built_without_figures_still_explains() -> None:
    bare = Finding(code="rate_drop", severity="low", bracket=1, message="rates fall")
    assert (
        bare.explain()
        == "Rate drop at brackets[1] (from ?): it pays ?, less than the ? of the bracket before it"
    )
    assert bare.message == "rates fall"


def test_arguments() -> None:
    with pytest.raises(ArgumentTypeError, match="policy must be a RebatePolicy, not str"):
        lint("P")  # type: ignore[arg-type]
    finding = lint(policy((0, 0)))[0]
    with pytest.raises(ArgumentError, match="lang must be 'en' or 'zh'"):
        finding.explain("fr")


# -- properties ----------------------------------------------------------------------------------


@given(rebate_policies(modes=st.just(TierMode.GRADUATED)))
def test_graduated_policies_never_have_a_cliff(p: RebatePolicy) -> None:
    assert CLIFF not in {f.code for f in lint(p)}


EPSILON = D("1E-12")


def _exact(p: RebatePolicy, basis: Decimal) -> Decimal:
    """The amount before rounding: the gross (0 below the threshold), bounded by the cap."""
    gross = compute_rebate(p, basis).gross.amount
    return gross if p.cap is None else min(gross, p.cap)


@given(rebate_policies(composite=False, bases=st.sampled_from(list(RebateBasis)[:4])))
def test_cliff_agrees_with_compute_rebate_just_below_and_at_each_start(p: RebatePolicy) -> None:
    # starts are whole numbers, rates have 4 places, flats 2: the amounts at the starts differ
    # by at least 0.0001 when they differ, far more than EPSILON x rate
    used = p.brackets[:1] if p.mode is TierMode.FLAT else p.brackets
    expected = set()
    for j in range(1, len(used)):
        s = used[j].start
        if p.boundary is Boundary.REACH:
            below, above = _exact(p, s - EPSILON), _exact(p, s)
        else:
            below, above = _exact(p, s), _exact(p, s + EPSILON)
        if above < below:
            expected.add(j)
    assert {f.bracket for f in lint(p) if f.code is CLIFF} == expected


@given(rebate_policies())
def test_findings_are_ordered_with_their_severity_and_explained(p: RebatePolicy) -> None:
    found = lint(p)
    order = list(FindingCode)
    keys = [(f.bracket is not None, f.bracket or 0, order.index(f.code)) for f in found]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
    for f in found:
        assert f.severity is SEVERITY[f.code]
        assert (f.bracket is None) == (f.code in (THRESHOLD, ZERO))
        assert f.explain() == f.message
        assert f.explain("zh") != f.message


@given(findings())
def test_findings_round_trip_through_json(f: Finding) -> None:
    assert Finding.model_validate_json(f.model_dump_json()) == f
    assert f.explain("en") == f.message
