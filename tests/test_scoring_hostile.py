"""Scorecards and tiers under hostile input (API.md, "Hostile input"): sizes, types, contexts.

Integer fields are bounded, result fields take any result-sized figure and read back from their
JSON, the calculators check their arguments' types, and nothing but a ``ChannelkitError`` (or a
``ValidationError`` for a model) comes out of hostile arguments.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from channelkit import (
    ArgumentError,
    ArgumentTypeError,
    ChannelkitError,
    Direction,
    Gap,
    Metric,
    Requirement,
    Score,
    Scorecard,
    ScorePart,
    Tier,
    TierBenefits,
    TierDecision,
    TierProgram,
    achievement,
    assign_tier,
    score,
)
from channelkit.testing import scorecards, tier_programs

D = Decimal
SALES = Metric(key="sales", weight=1, target=100)
CARD = Scorecard(metrics=(SALES,))
PROGRAM = TierProgram(
    tiers=(
        Tier(
            code="GOLD",
            name="Gold",
            rank=2,
            requirements=(Requirement(metric="sales", minimum="999999999999999"),),
        ),
        Tier(code="SILVER", name="Silver", rank=1),
    ),
    scorecard=CARD,
)


# -- integer fields are bounded ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "field", "value"),
    [
        pytest.param(Tier, "rank", 10**5000, id="rank-huge"),
        (Tier, "rank", 10**9),
        (Tier, "rank", -(10**9)),
        (TierBenefits, "payment_terms_days", 10**9),
        (TierBenefits, "payment_terms_days", -1),
        (TierProgram, "demotion_grace", 10**9),
        (TierDecision, "missed", 10**9),
        (TierDecision, "demotion_grace", -1),
    ],
)
def test_integer_fields_are_bounded(model: type, field: str, value: int) -> None:
    with pytest.raises(ValidationError) as err:
        model(**{field: value})
    assert field in str(err.value)


def test_the_largest_rank_prints_and_round_trips() -> None:
    # 10**5000 was accepted before and could then not be printed (int's text limit)
    top = Tier(code="TOP", name="Top", rank=10**9 - 1)
    low = Tier(code="LOW", name="Low", rank=-(10**9) + 1)
    assert "rank=999999999" in repr(top)
    assert Tier.model_validate_json(top.model_dump_json()) == top
    assert [t.code for t in TierProgram(tiers=(top, low)).ranked] == ["LOW", "TOP"]


# -- result fields take any result-sized figure --------------------------------------------------


def test_a_score_beyond_the_input_bounds_reads_back_from_its_json() -> None:
    # cap 999,999,999,999,999 and target 1E-34: 100 x the cap = 99,999,999,999,999,900 points,
    # above the input bound of 10**15, so the result fields are result-sized
    card = Scorecard(metrics=(Metric(key="x", weight=1, target="1e-34", cap="999999999999999"),))
    s = score(card, {"x": 1})
    assert s.total == D("99999999999999900")
    assert Score.model_validate_json(s.model_dump_json()) == s
    assert ScorePart.model_validate_json(s.parts[0].model_dump_json()) == s.parts[0]
    assert s.explain().splitlines()[0] == (
        "Score 99,999,999,999,999,900.00 of 100 (at most 99,999,999,999,999,900.00 with caps)"
    )
    # the achievement of a tiny weight over a large sum is below the input bound of 1E-34
    wide = Scorecard(
        metrics=(
            Metric(key="a", weight="1e-34", target=1),
            Metric(key="b", weight="999999999999999", target=1),
        )
    )
    w = score(wide, {"a": 1, "b": 1})
    assert w.parts[0].weight < D("1e-48")
    assert Score.model_validate_json(w.model_dump_json()) == w


def test_a_gap_beyond_the_input_bounds_reads_back_from_its_json() -> None:
    # required 999,999,999,999,999 and actual -999,999,999,999,999: a shortfall of about 2E+15
    d = assign_tier(PROGRAM, {"sales": "-999999999999999"}, current="SILVER")
    (gap,) = d.gaps
    assert gap.shortfall == D("1999999999999998")
    assert TierDecision.model_validate_json(d.model_dump_json()) == d
    assert (
        "  sales: -999,999,999,999,999 of 999,999,999,999,999 required, short by "
        + ("1,999,999,999,999,998")
        in d.explain().splitlines()
    )


@pytest.mark.parametrize(
    "doc",
    [
        {"metric": "x", "required": "9E+999999", "actual": "-9E+999999", "shortfall": "1"},
        {"metric": "x", "required": "1E+1000000", "actual": "0", "shortfall": "1E+1000000"},
        {"metric": "x", "required": "NaN", "actual": "0", "shortfall": "1"},
        {"metric": "x", "required": 1.5, "actual": "0", "shortfall": "1.5"},
        {"metric": "x", "required": "2", "actual": "1"},
        {"metric": "x", "required": "2", "actual": "1", "shortfall": "1", "extra": 1},
    ],
)
def test_hostile_gap_documents_are_validation_errors(doc: dict[str, Any]) -> None:
    # required - actual would overflow the context for the first: still a ValidationError
    with pytest.raises(ValidationError):
        Gap.model_validate(doc)


def test_a_result_sized_gap_is_accepted_from_json() -> None:
    g = Gap.model_validate_json(
        '{"metric": "x", "required": "5E+999998", "actual": "-5E+999998", '
        '"shortfall": "1.0E+999999"}'
    )
    assert g.shortfall == D("1E+999999")
    assert Gap.model_validate_json(g.model_dump_json()) == g


# -- argument types ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: score({"metrics": []}, {}), "scorecard"),  # type: ignore[arg-type]
        (lambda: score(CARD, [("sales", 1)]), "actuals"),  # type: ignore[arg-type]
        (lambda: score(CARD, None), "actuals"),  # type: ignore[arg-type]
        (lambda: achievement({"key": "sales"}, 1), "metric"),  # type: ignore[arg-type]
        (lambda: assign_tier({"tiers": ()}, {}), "program"),  # type: ignore[arg-type]
        (lambda: assign_tier(PROGRAM, "sales=1"), "metrics"),  # type: ignore[arg-type]
        (lambda: assign_tier(PROGRAM, {"sales": 1}, current=2), "current"),  # type: ignore[arg-type]
        (lambda: assign_tier(PROGRAM, {"sales": 1}, missed=None), "missed"),  # type: ignore[arg-type]
    ],
)
def test_calculators_check_their_argument_types(call: Any, argument: str) -> None:
    # a TypeError naming the argument, never an AttributeError
    with pytest.raises(ArgumentTypeError) as err:
        call()
    assert err.value.argument == argument
    assert isinstance(err.value, TypeError)
    assert argument in str(err.value)


def test_a_negative_lower_is_better_figure_is_an_argument_error() -> None:
    dso = Metric(key="dso", weight=1, target=45, direction=Direction.LOWER_IS_BETTER)
    with pytest.raises(ArgumentError, match="metric 'dso' is lower-is-better") as err:
        score(Scorecard(metrics=(dso,)), {"dso": -1})
    assert err.value.argument == "dso"


# -- the caller's decimal context ----------------------------------------------------------------


def test_results_do_not_depend_on_or_change_the_callers_context() -> None:
    figures = {"sales": "123.456789", "growth": "-0.5"}
    card = Scorecard(
        metrics=(SALES, Metric(key="growth", weight=3, target="0.07", cap="1.5")),
    )
    expected = (score(card, figures), assign_tier(PROGRAM, figures, current="GOLD"))
    # one digit, a tiny exponent range, rounding trapped: any use of it fails or leaves a flag
    hostile = decimal.Context(prec=1, Emax=2, Emin=-2, traps=[decimal.Inexact, decimal.Rounded])
    with decimal.localcontext(hostile) as ctx:
        got = (score(card, figures), assign_tier(PROGRAM, figures, current="GOLD"))
        text = got[0].explain() + got[1].explain("zh")
        assert not any(ctx.flags.values())
    assert got == expected
    assert "growth: -0.5 against target 0.07" in text


# -- hostile arguments raise ChannelkitError only ----------------------------------------------

HOSTILE = st.one_of(
    st.none(),
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(),
    st.just(5000).map(lambda n: -(10**n)),  # built when drawn: its repr would exceed int's limit
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [D("sNaN"), D("1E+999999"), D("-1E-999999"), "1e999999999", "-1e-34", "9" * 40, "x", ""]
    ),
    st.text(max_size=6),
    st.lists(st.integers(), max_size=2),
)
FIGURES = st.dictionaries(
    st.sampled_from(["sales", "growth", "collection_rate", "dso", "returns"]) | st.text(max_size=3),
    HOSTILE | st.decimals(min_value=-(10**6), max_value=10**6, places=2),
    max_size=6,
)


@given(scorecards() | HOSTILE, FIGURES | HOSTILE)
def test_hostile_score_arguments_raise_channelkit_errors_only(card: Any, figures: Any) -> None:
    try:
        s = score(card, figures)
    except ChannelkitError:
        return
    assert s.explain().startswith("Score ")
    assert Score.model_validate_json(s.model_dump_json()) == s


@given(scorecards(), HOSTILE)
def test_hostile_achievement_arguments_raise_channelkit_errors_only(card: Any, actual: Any) -> None:
    try:
        a = achievement(card.metrics[0], actual)
    except ChannelkitError:
        return
    assert 0 <= a <= card.metrics[0].cap


@given(
    tier_programs() | HOSTILE,
    FIGURES | HOSTILE,
    st.sampled_from(["BRONZE", "SILVER", "GOLD", "PLATINUM"]) | HOSTILE,
    st.integers(min_value=0, max_value=3) | HOSTILE,
)
def test_hostile_tier_arguments_raise_channelkit_errors_only(
    program: Any, figures: Any, current: Any, missed: Any
) -> None:
    try:
        d = assign_tier(program, figures, current=current, missed=missed)
    except ChannelkitError:
        return
    assert d.explain().startswith(d.change.label())
    assert TierDecision.model_validate_json(d.model_dump_json()) == d


JSON_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["1E+999999", "-9E+999999", "1E-999999", "0E-999999999", "NaN", "1e", "-0"]),
    st.text(max_size=4),
)


@given(
    st.sampled_from([Score, ScorePart, Gap, TierDecision, Tier, TierProgram, TierBenefits]),
    st.dictionaries(
        st.sampled_from(
            [
                "total",
                "parts",
                "missing",
                "max_total",
                "key",
                "actual",
                "target",
                "direction",
                "achievement",
                "weight",
                "points",
                "metric",
                "required",
                "shortfall",
                "tier",
                "previous",
                "change",
                "missed",
                "gaps",
                "code",
                "name",
                "rank",
                "tiers",
                "demotion_grace",
                "payment_terms_days",
            ]
        ),
        JSON_VALUES,
    ),
)
def test_hostile_documents_are_validation_errors(model: Any, doc: dict[str, Any]) -> None:
    try:
        obj = model.model_validate(doc)
    except ValidationError:
        return
    assert model.model_validate_json(obj.model_dump_json()) == obj


# -- results of any size explain themselves ------------------------------------------------------


def test_a_result_sized_score_explains_itself() -> None:
    s = Score.model_validate({"total": "1E+40", "parts": [], "max_total": "1E+999999"})
    assert s.explain() == "Score 1E+40 of 100 (at most 1E+999999 with caps)"


def test_a_result_sized_decision_explains_itself_briefly() -> None:
    gap = {"metric": "sales", "required": "5E+999998", "actual": "-5E+999998"}
    d = TierDecision.model_validate(
        {
            "tier": None,
            "previous": None,
            "change": "new",
            "missed": 0,
            "gaps": [{**gap, "shortfall": "1.0E+999999"}],
            "gaps_to": {"code": "A", "name": "A", "rank": 1},
        }
    )
    # the figures keep their short scientific form (written out, 1E+999999 is a megabyte)
    assert d.explain().splitlines()[-1] == (
        "  sales: -5E+999998 of 5E+999998 required, short by 1E+999999"
    )
