"""Scorecards: properties of score() over drawn scorecards and figures."""

from __future__ import annotations

import functools
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from channelkit import Direction, Metric, MissingMetric, Score, Scorecard, ScorePart, score
from channelkit.numeric import CONTEXT
from channelkit.testing import actuals, amounts, metrics, scorecards, scores


def _sum(values) -> Decimal:
    """Sum in the library's 34-digit context (the global one has 28)."""
    return functools.reduce(CONTEXT.add, values, Decimal(0))


def _complete(card: Scorecard, figures: dict[str, Decimal]) -> dict[str, Decimal]:
    if card.missing is MissingMetric.RAISE:
        for m in card.metrics:
            figures.setdefault(m.key, m.target)
    return figures


@given(scorecards(), actuals())
def test_total_is_within_its_bounds(card, figures):
    s = score(card, _complete(card, figures))
    assert 0 <= s.total <= card.max_total
    assert s.max_total == card.max_total
    for part, m in zip(s.parts, card.metrics, strict=True):
        assert 0 <= part.achievement <= m.cap
        assert part.key == m.key


@given(scorecards(), actuals())
def test_total_is_the_sum_of_the_points(card, figures):
    s = score(card, _complete(card, figures))
    points = _sum(p.points for p in s.parts)
    # each part is divided on its own: they agree with the total to a few units of the
    # 34th significant digit (totals are below 1000, so that is below 1e-29)
    assert abs(points - s.total) <= Decimal("1e-29")


@given(scorecards(), actuals())
def test_counted_weights_sum_to_one(card, figures):
    s = score(card, _complete(card, figures))
    weights = _sum(p.weight for p in s.parts)
    if card.missing is MissingMetric.RENORMALIZE and len(s.missing) == len(card.metrics):
        assert weights == 0  # nothing to renormalize over: every weight is 0
    else:
        assert abs(weights - 1) <= Decimal("1e-32")


@given(
    scorecards(metrics=metrics(directions=st.just(Direction.HIGHER_IS_BETTER))),
    actuals(allow_missing=False, min_value=-(10**6)),
    st.data(),
)
def test_score_is_monotone_in_each_higher_is_better_metric(card, figures, data):
    m = data.draw(st.sampled_from(card.metrics))
    more = data.draw(amounts(min_value=0, max_value=10**6))
    before = score(card, figures)
    after = score(card, {**figures, m.key: figures[m.key] + more})
    assert after.total >= before.total


@given(
    scorecards(metrics=metrics(directions=st.just(Direction.LOWER_IS_BETTER))),
    actuals(allow_missing=False),
    st.data(),
)
def test_score_never_rises_when_a_lower_is_better_metric_grows(card, figures, data):
    m = data.draw(st.sampled_from(card.metrics))
    more = data.draw(amounts(min_value=0, max_value=10**6))
    before = score(card, figures)
    after = score(card, {**figures, m.key: figures[m.key] + more})
    assert after.total <= before.total


@given(scorecards(), st.data())
def test_every_metric_at_target_scores_exactly_100(card, data):
    # at target on every metric: achievement 1 each, total 100 exactly (one division)
    s = score(card, {m.key: m.target for m in card.metrics})
    assert s.total == 100


@given(scorecards(), st.data())
def test_every_metric_at_its_cap_scores_the_weighted_caps(card, data):
    figures = {
        m.key: m.target * m.cap if m.direction is Direction.HIGHER_IS_BETTER else 0
        for m in card.metrics
    }
    s = score(card, figures)
    wsum = sum((m.weight for m in card.metrics), Decimal(0))
    expected = CONTEXT.divide(100 * sum((m.cap * m.weight for m in card.metrics), Decimal(0)), wsum)
    assert s.total == expected
    if len({m.cap for m in card.metrics}) == 1:
        assert s.total == card.max_total


@given(scorecards(missing=st.just(MissingMetric.ZERO)), actuals())
def test_zero_rule_never_scores_above_renormalize(card, figures):
    zero = score(card, figures)
    renorm = score(card.model_copy(update={"missing": MissingMetric.RENORMALIZE}), figures)
    assert zero.total <= renorm.total


@given(scores())
def test_score_json_round_trip(s):
    assert Score.model_validate_json(s.model_dump_json()) == s


@given(st.from_type(Scorecard), st.from_type(Metric), st.from_type(ScorePart))
def test_registered_strategies_round_trip(card, metric, part):
    assert Scorecard.model_validate_json(card.model_dump_json()) == card
    assert Metric.model_validate_json(metric.model_dump_json()) == metric
    assert ScorePart.model_validate_json(part.model_dump_json()) == part
