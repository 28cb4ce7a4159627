"""assign_tier: invariants over drawn programmes, figures, current tiers and counters."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from channelkit import Gap, TierChange, TierDecision, TierProgram, assign_tier, score
from channelkit.labels import fmt_amount, fmt_number
from channelkit.numeric import CONTEXT
from channelkit.testing import actuals, amounts, gaps, tier_decisions, tier_programs
from channelkit.tiers import SCORE_METRIC


@st.composite
def cases(draw, programs=None):
    """A programme, complete figures, a current tier (or none) and a stored counter."""
    program = draw(programs if programs is not None else tier_programs())
    figures = draw(actuals(allow_missing=False))
    current = draw(st.none() | st.sampled_from([t.code for t in program.tiers]))
    missed = draw(st.integers(min_value=0, max_value=program.demotion_grace + 2))
    return program, figures, current, missed


def qualified_by_hand(program: TierProgram, figures: Mapping[str, Decimal]) -> set[str]:
    total = score(program.scorecard, figures).total if program.scorecard else None
    return {
        t.code
        for t in program.tiers
        if all(figures[r.metric] >= r.minimum for r in t.requirements)
        and (t.min_score is None or (total is not None and total >= t.min_score))
    }


def rank(d: TierDecision) -> float:
    return d.tier.rank if d.tier is not None else float("-inf")


@given(cases())
def test_never_below_the_best_tier_qualified_for(case):
    # a partner meeting a higher tier's requirements never gets a lower tier
    program, figures, current, missed = case
    d = assign_tier(program, figures, current=current, missed=missed)
    qualified = qualified_by_hand(program, figures)
    assert set(d.qualified) == qualified
    for code in qualified:
        assert rank(d) >= program.tier(code).rank


@given(cases())
def test_the_assigned_tier_is_qualified_unless_on_watch(case):
    program, figures, current, missed = case
    d = assign_tier(program, figures, current=current, missed=missed)
    if d.change is TierChange.ON_WATCH:
        assert d.tier is not None
        assert d.tier.code == current
        assert d.tier.code not in d.qualified
        assert 1 <= d.missed <= program.demotion_grace
        assert d.missed == missed + 1
    else:
        assert d.missed == 0
        assert d.tier is None or d.tier.code in d.qualified


@given(cases())
def test_the_change_matches_the_tiers(case):
    program, figures, current, missed = case
    d = assign_tier(program, figures, current=current, missed=missed)
    held = program.tier(current) if current is not None else None
    assert d.previous == held
    if held is None:
        assert d.change is TierChange.NEW
    elif d.change is TierChange.PROMOTED:
        assert rank(d) > held.rank
    elif d.change in (TierChange.RETAINED, TierChange.ON_WATCH):
        assert d.tier == held
    else:
        assert d.change is TierChange.DEMOTED
        assert rank(d) < held.rank
        assert missed + 1 > program.demotion_grace


@given(cases())
def test_gaps_refer_to_the_tier_above_or_the_tier_held(case):
    program, figures, current, missed = case
    d = assign_tier(program, figures, current=current, missed=missed)
    expected = d.tier if d.change is TierChange.ON_WATCH else program.above(d.tier)
    assert d.gaps_to == expected
    if d.gaps_to is None:
        assert d.gaps == ()
        assert d.tier is not None
        assert d.tier.rank == max(t.rank for t in program.tiers)
    else:
        # the tier the gaps refer to is not met, so there is at least one gap
        assert d.gaps
        assert d.gaps_to.code not in d.qualified
    for g in d.gaps:
        assert g.shortfall > 0
        assert g.shortfall == CONTEXT.subtract(g.required, g.actual)


@given(cases(programs=tier_programs(scorecards=st.none())), st.data())
def test_better_figures_never_give_a_lower_tier(case, data):
    program, figures, current, missed = case
    key = data.draw(st.sampled_from(sorted(figures)))
    more = data.draw(amounts(min_value=0, max_value=10**6))
    before = assign_tier(program, figures, current=current, missed=missed)
    after = assign_tier(
        program, {**figures, key: figures[key] + more}, current=current, missed=missed
    )
    assert rank(after) >= rank(before)


@given(cases())
def test_grace_sequence_ends_in_demotion_or_recovery(case):
    # failing the same tier again and again: ON_WATCH exactly demotion_grace times, then DEMOTED
    program, figures, current, _ = case
    d = assign_tier(program, figures, current=current)
    if d.change is not TierChange.ON_WATCH:
        return
    watches = 1
    while d.change is TierChange.ON_WATCH:
        d = assign_tier(program, figures, current=current, missed=d.missed)
        watches += d.change is TierChange.ON_WATCH
    assert d.change is TierChange.DEMOTED
    assert watches == program.demotion_grace


@given(tier_decisions(), gaps())
def test_json_round_trips(d, g):
    assert TierDecision.model_validate_json(d.model_dump_json()) == d
    assert Gap.model_validate_json(g.model_dump_json()) == g


@given(tier_decisions())
def test_the_explanation_shows_the_decision_and_its_figures(d):
    en, zh = d.explain(), d.explain("zh")
    # the headline names the change and the tier assigned (names may hold line breaks)
    assert en.startswith(d.change.label())
    assert zh.startswith(d.change.label("zh"))
    assert (d.tier.code if d.tier is not None else "no tier") in en
    assert f"\nMissed evaluations to store: {d.missed}\n" in en
    assert f"\n待存储的连续未达标次数：{d.missed}\n" in zh
    if d.score is not None:
        assert f"\nScore: {fmt_amount(d.score.total)}\n" in en
    if d.gaps_to is None:
        assert en.endswith("\nTop tier: nothing higher to reach")
    # one line per gap: its metric and its shortfall, in order
    tail = en
    for g in d.gaps:
        short = fmt_amount(g.shortfall) if g.metric == SCORE_METRIC else fmt_number(g.shortfall)
        line = f"\n  {g.metric}: "
        assert line in tail
        tail = tail[tail.index(line) + len(line) :]
        assert tail.split("\n")[0].endswith(f" required, short by {short}")


@given(st.from_type(TierDecision), st.from_type(Gap))
def test_registered_strategies(d, g):
    assert isinstance(d, TierDecision)
    assert g.shortfall > 0
