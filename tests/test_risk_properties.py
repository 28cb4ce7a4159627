"""Properties of the risk area: residual within inherent, bands, heat map and summary counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from channelkit import (
    Direction,
    Indicator,
    RiskAssessment,
    RiskItem,
    RiskMatrix,
    RiskSummary,
    Severity,
    Signal,
    assess,
    heatmap,
    signal,
    summarize,
)
from channelkit.testing import (
    indicators,
    risk_assessments,
    risk_items,
    risk_matrices,
    risk_summaries,
)

_RANK = {Signal.GREEN: 0, Signal.AMBER: 1, Signal.RED: 2}
registers = st.lists(risk_items(), max_size=8)
days = st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2031, 12, 31))


@given(risk_items(), risk_matrices())
def test_residual_never_exceeds_inherent(item: RiskItem, matrix: RiskMatrix) -> None:
    a = assess(item, matrix)
    assert a.inherent == item.likelihood * item.impact
    assert 0 <= a.residual <= a.inherent
    if item.control_effectiveness == 0:
        assert a.residual == a.inherent
    if item.control_effectiveness == 1:
        assert a.residual == 0


@given(risk_items(), risk_matrices())
def test_rating_follows_the_bands(item: RiskItem, matrix: RiskMatrix) -> None:
    a = assess(item, matrix)
    r = a.residual
    if r <= matrix.low_max:
        assert a.rating is Severity.LOW
    elif r <= matrix.medium_max:
        assert a.rating is Severity.MEDIUM
    elif r <= matrix.high_max:
        assert a.rating is Severity.HIGH
    else:
        assert a.rating is Severity.CRITICAL


@given(risk_matrices(), st.decimals(0, 25, places=3), st.decimals(0, 25, places=3))
def test_rating_is_monotone_in_the_residual(matrix: RiskMatrix, x: Decimal, y: Decimal) -> None:
    lo, hi = sorted((x, y))
    assert matrix.rating(lo) <= matrix.rating(hi)


@given(risk_items())
def test_more_effective_controls_never_raise_the_rating(item: RiskItem) -> None:
    better = item.model_copy(update={"control_effectiveness": Decimal(1)})
    assert assess(better).rating <= assess(item).rating
    assert assess(better).residual <= assess(item).residual


@given(risk_items())
def test_signals_match_the_indicators(item: RiskItem) -> None:
    a = assess(item)
    assert list(a.signals) == [i.key for i in item.indicators]
    assert all(a.signals[i.key] is signal(i) for i in item.indicators)


@given(indicators())
def test_directions_mirror_each_other(ind: Indicator) -> None:
    # a lower-is-better indicator is a higher-is-better one on the negated scale
    flipped = (
        Direction.HIGHER_IS_BETTER
        if ind.direction is Direction.LOWER_IS_BETTER
        else (Direction.LOWER_IS_BETTER)
    )
    mirror = Indicator(
        key=ind.key, value=-ind.value, amber=-ind.amber, red=-ind.red, direction=flipped
    )
    assert signal(mirror) is signal(ind)


@given(indicators(), st.decimals(0, 100, places=2))
def test_a_worse_reading_never_gives_a_better_signal(ind: Indicator, step: Decimal) -> None:
    worse_value = (
        ind.value + step if ind.direction is Direction.LOWER_IS_BETTER else ind.value - step
    )
    worse = ind.model_copy(update={"value": worse_value})
    assert _RANK[signal(worse)] >= _RANK[signal(ind)]


@given(registers)
def test_heatmap_counts_sum_to_the_number_of_items(items: list[RiskItem]) -> None:
    grid = heatmap(items)
    assert sum(map(sum, grid)) == len(items)
    for lk in range(1, 6):
        for im in range(1, 6):
            expected = sum(1 for i in items if (i.likelihood, i.impact) == (lk, im))
            assert grid[lk - 1][im - 1] == expected


@given(registers, days)
def test_summary_counts_sum_to_the_number_of_items(items: list[RiskItem], as_of: dt.date) -> None:
    s = summarize(items, as_of=as_of)
    assert s.count == len(items)
    assert sum(s.by_category.values()) == len(items)
    assert sum(s.by_rating.values()) == len(items)
    assert sum(s.by_status.values()) == len(items)
    assert sorted(s.top, key=id) == sorted(items, key=id)  # a permutation of the items
    residuals = [a.residual for a in s.assessments]
    assert residuals == sorted(residuals, reverse=True)
    assert [a.item_id for a in s.assessments] == [r.id for r in s.top]
    assert set(map(id, s.overdue_reviews)) == {
        id(i) for i in items if i.review_by is not None and i.review_by < as_of
    }


@given(st.lists(risk_items(), max_size=8, unique_by=lambda r: r.id), days, st.randoms())
def test_summary_is_the_same_for_any_order_of_distinct_ids(
    items: list[RiskItem], as_of: dt.date, rnd: object
) -> None:
    shuffled = list(items)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert summarize(shuffled, as_of=as_of) == summarize(items, as_of=as_of)


@given(risk_items())
def test_item_json_round_trip(item: RiskItem) -> None:
    assert RiskItem.model_validate_json(item.model_dump_json()) == item


@given(indicators(), risk_matrices())
def test_indicator_and_matrix_json_round_trip(ind: Indicator, matrix: RiskMatrix) -> None:
    assert Indicator.model_validate_json(ind.model_dump_json()) == ind
    assert RiskMatrix.model_validate_json(matrix.model_dump_json()) == matrix


@given(risk_assessments())
def test_assessment_json_round_trip(a: RiskAssessment) -> None:
    assert RiskAssessment.model_validate_json(a.model_dump_json()) == a
    en, zh = a.explain(), a.explain("zh")
    inherent = a.likelihood * a.impact
    assert f"  inherent = likelihood {a.likelihood} x impact {a.impact} = {inherent}" in en
    assert f"  固有风险 = 可能性 {a.likelihood} x 影响 {a.impact} = {inherent}" in zh
    assert f"  rating: {a.rating.label()} (residual " in en
    assert f"  评级：{a.rating.label('zh')}（剩余风险 " in zh


@given(risk_summaries())
def test_summary_json_round_trip(s: RiskSummary) -> None:
    assert RiskSummary.model_validate_json(s.model_dump_json()) == s
    assert s.explain().startswith("Risk register as of")
    assert s.explain("zh").startswith("风险登记汇总")


@given(
    st.from_type(RiskItem),
    st.from_type(Indicator),
    st.from_type(RiskMatrix),
    st.from_type(RiskAssessment),
    st.from_type(RiskSummary),
)
def test_strategies_are_registered(
    item: RiskItem, ind: Indicator, m: RiskMatrix, a: RiskAssessment, s: RiskSummary
) -> None:
    assert isinstance(item, RiskItem)
    assert isinstance(ind, Indicator)
    assert isinstance(m, RiskMatrix)
    assert isinstance(a, RiskAssessment)
    assert isinstance(s, RiskSummary)
