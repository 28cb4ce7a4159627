"""Tier programmes: validation of codes, ranks, scores and the demotion grace."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from channelkit import (
    Metric,
    Requirement,
    Scorecard,
    Tier,
    TierBenefits,
    TierProgram,
)
from channelkit.testing import tier_programs

CARD = Scorecard(
    metrics=(
        Metric(key="sales", weight=1, target=100, cap=Decimal("1.5")),
        Metric(key="growth", weight=1, target=Decimal("0.1")),
    )
)


def tier(code: str, rank: int, **kw) -> Tier:
    return Tier(code=code, name=code.title(), rank=rank, **kw)


def test_defaults():
    p = TierProgram(tiers=(tier("BRONZE", 1),))
    assert p.scorecard is None
    assert p.demotion_grace == 1
    assert tier("A", 1).benefits == TierBenefits(
        rebate_multiplier=1, credit_multiplier=1, payment_terms_days=None
    )


def test_tiers_may_be_listed_in_any_order():
    p = TierProgram(tiers=(tier("GOLD", 3), tier("BRONZE", -1), tier("SILVER", 2)))
    assert [t.code for t in p.ranked] == ["BRONZE", "SILVER", "GOLD"]
    assert [t.code for t in p.tiers] == ["GOLD", "BRONZE", "SILVER"]  # kept as given
    assert p.tier("SILVER").rank == 2
    assert p.above(None) == p.tier("BRONZE")
    assert p.above(p.tier("BRONZE")) == p.tier("SILVER")
    assert p.above(p.tier("GOLD")) is None


def test_tier_lookup_of_an_unknown_code_is_a_key_error():
    with pytest.raises(KeyError):
        TierProgram(tiers=(tier("GOLD", 3),)).tier("SILVER")


def test_duplicate_codes_are_rejected():
    with pytest.raises(ValidationError, match="unique codes: 'GOLD' appears twice"):
        TierProgram(tiers=(tier("GOLD", 3), tier("GOLD", 2)))


def test_duplicate_ranks_are_rejected_naming_both_tiers():
    with pytest.raises(ValidationError, match="unique ranks: 'SILVER' and 'GOLD' both have rank 3"):
        TierProgram(tiers=(tier("GOLD", 3), tier("SILVER", 3)))


def test_a_programme_needs_a_tier():
    with pytest.raises(ValidationError, match="tiers"):
        TierProgram(tiers=())


def test_min_score_needs_a_scorecard():
    with pytest.raises(ValidationError, match="'GOLD' has min_score 80 but the programme has no"):
        TierProgram(tiers=(tier("GOLD", 3, min_score=80),))


def test_min_score_must_be_reachable():
    # max_total = 100 x the largest cap 1.5 = 150
    TierProgram(tiers=(tier("GOLD", 3, min_score=150),), scorecard=CARD)
    with pytest.raises(ValidationError, match=r"min_score 150.01, above the most .* \(150"):
        TierProgram(tiers=(tier("GOLD", 3, min_score="150.01"),), scorecard=CARD)


@pytest.mark.parametrize("grace", [-1, "x", 1.5])
def test_demotion_grace_must_be_a_non_negative_int(grace):
    with pytest.raises(ValidationError, match="demotion_grace"):
        TierProgram(tiers=(tier("A", 1),), demotion_grace=grace)


def test_demotion_grace_zero_is_allowed():
    assert TierProgram(tiers=(tier("A", 1),), demotion_grace=0).demotion_grace == 0


def test_unknown_fields_are_rejected():
    with pytest.raises(ValidationError, match="grace"):
        TierProgram(tiers=(tier("A", 1),), grace=2)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("field", "value"),
    [("rebate_multiplier", -1), ("credit_multiplier", "-0.1"), ("payment_terms_days", -1)],
)
def test_benefits_reject_negatives(field, value):
    with pytest.raises(ValidationError, match=field):
        TierBenefits(**{field: value})


def test_requirement_and_tier_reject_bad_fields():
    with pytest.raises(ValidationError, match="metric"):
        Requirement(metric="", minimum=1)
    with pytest.raises(ValidationError, match="float"):
        Requirement(metric="sales", minimum=1.5)
    with pytest.raises(ValidationError, match="name"):
        Tier(code="A", name="", rank=1)


def test_program_json_round_trip_keeps_the_lookups():
    p = TierProgram(
        tiers=(tier("GOLD", 3, min_score=90), tier("BRONZE", 1)),
        scorecard=CARD,
        demotion_grace=2,
    )
    again = TierProgram.model_validate_json(p.model_dump_json())
    assert again == p
    assert again.tier("GOLD") == p.tier("GOLD")
    assert [t.code for t in again.ranked] == ["BRONZE", "GOLD"]


@given(tier_programs())
def test_drawn_programmes_are_valid_and_round_trip(p):
    assert len({t.code for t in p.tiers}) == len({t.rank for t in p.tiers}) == len(p.tiers)
    assert [t.rank for t in p.ranked] == sorted(t.rank for t in p.tiers)
    assert TierProgram.model_validate_json(p.model_dump_json()) == p


@given(st.from_type(TierProgram), st.from_type(Tier))
def test_registered_strategies(p, t):
    assert isinstance(p, TierProgram)
    assert Tier.model_validate_json(t.model_dump_json()) == t


def test_a_copy_with_new_tiers_looks_up_its_own():
    # nothing is cached on the frozen programme, so model_copy(update=...) cannot go stale
    p = TierProgram(tiers=(tier("GOLD", 3), tier("SILVER", 2)))
    assert p.above(p.tier("SILVER")) == p.tier("GOLD")
    assert set(p.__dict__) == set(TierProgram.model_fields)
    assert not p.__pydantic_private__
    q = p.model_copy(update={"tiers": (tier("PLATINUM", 4), tier("BRONZE", 1))})
    assert [t.code for t in q.ranked] == ["BRONZE", "PLATINUM"]
    assert q.tier("PLATINUM").rank == 4
    with pytest.raises(KeyError):
        q.tier("GOLD")
    assert [t.code for t in p.ranked] == ["SILVER", "GOLD"]


def test_equal_programmes_compare_equal_whether_used_or_not():
    p = TierProgram(tiers=(tier("GOLD", 3), tier("SILVER", 2)))
    q = TierProgram(tiers=(tier("GOLD", 3), tier("SILVER", 2)))
    p.tier("GOLD")
    assert p == q
    assert hash(p) == hash(q)
    assert TierProgram.model_construct(tiers=p.tiers) == p
