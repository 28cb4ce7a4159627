"""Conflict models, the lifecycle table and transition(), and recommend()."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

import pytest
from pydantic import ValidationError

from channelkit import (
    ArgumentError,
    ChannelkitError,
    Conflict,
    ConflictCause,
    ConflictStatus,
    ConflictType,
    DealRegistration,
    DealStatus,
    InvalidTransitionError,
    Money,
    Recommendation,
    Resolution,
    Severity,
    Stage,
    recommend,
    transition,
)
from channelkit.conflicts import PLAYBOOK, TRANSITIONS, allowed_moves, recurrences

S = ConflictStatus
DAY = dt.date(2026, 8, 1)


def make(
    status: ConflictStatus = S.OPEN,
    resolution: Resolution | None = None,
    *,
    id: str = "C1",
    severity: Severity = Severity.LOW,
    parties: tuple[str, ...] = ("A", "B"),
    cause: ConflictCause = ConflictCause.TERRITORY_DIVERSION,
    detected: dt.date = DAY,
) -> Conflict:
    return Conflict(
        id=id,
        type=ConflictType.HORIZONTAL,
        cause=cause,
        parties=parties,
        severity=severity,
        status=status,
        detected=detected,
        resolution=resolution,
    )


def settled(status: ConflictStatus) -> Resolution | None:
    return Resolution.MEDIATION if status in (S.RESOLVED, S.CLOSED) else None


# -- enums --------------------------------------------------------------------------------------


def test_enum_values_and_labels() -> None:
    assert str(ConflictType.HORIZONTAL) == "horizontal"
    assert ConflictType.HORIZONTAL.label("zh") == "水平渠道冲突"
    assert ConflictType.VERTICAL.label("zh") == "垂直渠道冲突"
    assert ConflictCause.TERRITORY_DIVERSION.label("zh") == "窜货"
    assert ConflictCause.PRICE_VIOLATION.label("zh") == "乱价"
    assert ConflictCause.INFORMATION_GAP.label("zh") == "信息差异"
    assert Resolution.LEGAL.label("zh") == "法律手段"
    assert Stage.PREVENT.label("zh") == "前期防范"
    assert DealStatus.APPROVED.label() == "Approved"
    for enum in (ConflictType, ConflictCause, ConflictStatus, Resolution, Stage, DealStatus):
        for member in enum:
            assert member.value == member.name.lower()
            assert member.label("en")
            assert member.label("zh")


def test_severity_is_the_kernels_and_ordered() -> None:
    from channelkit.scales import Severity as KernelSeverity

    assert Severity is KernelSeverity
    assert max(Severity.HIGH, Severity.CRITICAL, Severity.LOW) is Severity.CRITICAL
    assert sorted(Severity, reverse=True)[0] is Severity.CRITICAL


# -- Conflict -----------------------------------------------------------------------------------


def test_conflict_defaults() -> None:
    c = make()
    assert (c.status, c.amount_at_stake, c.evidence, c.description, c.resolution) == (
        S.OPEN,
        None,
        (),
        "",
        None,
    )


def test_conflict_parties_non_empty() -> None:
    with pytest.raises(ValidationError, match="parties"):
        make(parties=())


def test_conflict_parties_each_once() -> None:
    with pytest.raises(ValidationError, match="'A' appears twice"):
        make(parties=("A", "B", "A"))


@pytest.mark.parametrize("status", [S.RESOLVED, S.CLOSED])
def test_settled_conflict_needs_a_resolution(status: ConflictStatus) -> None:
    with pytest.raises(ValidationError, match=f"resolution is required when status is '{status}'"):
        make(status)


@pytest.mark.parametrize("status", [S.OPEN, S.MEDIATING, S.ESCALATED])
def test_unsettled_conflict_has_no_resolution(status: ConflictStatus) -> None:
    with pytest.raises(ValidationError, match="resolution must be None"):
        make(status, Resolution.LEGAL)


def test_conflict_rejects_unknown_fields_and_float_stake() -> None:
    with pytest.raises(ValidationError, match="extra"):
        Conflict.model_validate({**make().model_dump(), "owner": "me"})
    with pytest.raises(ValidationError):
        Conflict.model_validate(
            {**make().model_dump(), "amount_at_stake": {"amount": 1.5, "currency": "CNY"}}
        )


def test_conflict_explain_en_and_zh() -> None:
    c = Conflict(
        id="C9",
        type=ConflictType.MULTICHANNEL,
        cause=ConflictCause.CHANNEL_OVERLAP,
        parties=("S-WEST",),
        severity=Severity.HIGH,
        status=S.RESOLVED,
        resolution=Resolution.COMMUNICATION,
        detected=dt.date(2026, 9, 18),
        amount_at_stake=Money(24_000, "CNY"),
        evidence=("T023", "REG-01"),
    )
    assert c.explain() == (
        "Conflict C9: multi-channel conflict, cause direct sale to a registered customer\n"
        "  parties: S-WEST\n"
        "  severity high, status resolved, detected 2026-09-18\n"
        "  at stake: 24,000.00 CNY\n"
        "  evidence: T023, REG-01\n"
        "  resolution: communication"
    )
    zh = c.explain("zh")
    assert "不同渠道间冲突" in zh
    assert "直销与渠道撞单" in zh
    assert "24,000.00 CNY" in zh
    assert "沟通" in zh
    minimal = make().explain()
    assert "at stake" not in minimal
    assert "evidence" not in minimal
    with pytest.raises(ValueError, match="lang must be"):
        c.explain("fr")


# -- DealRegistration ---------------------------------------------------------------------------


def reg(registered: dt.date, expires: dt.date) -> DealRegistration:
    return DealRegistration(
        id="R1",
        partner_id="P1",
        customer_id="C1",
        registered=registered,
        expires=expires,
        status=DealStatus.PENDING,
    )


def test_registration_window_is_half_open() -> None:
    r = reg(dt.date(2026, 1, 1), dt.date(2026, 1, 2))  # one day
    assert r.window.days == 1
    assert dt.date(2026, 1, 1) in r.window
    assert dt.date(2026, 1, 2) not in r.window


@pytest.mark.parametrize("expires", [dt.date(2026, 1, 1), dt.date(2025, 12, 31)])
def test_registration_expires_after_registered(expires: dt.date) -> None:
    with pytest.raises(ValidationError, match=r"expires \(.*\) must be after registered"):
        reg(dt.date(2026, 1, 1), expires)


@pytest.mark.parametrize(
    ("status", "active"),
    [
        (DealStatus.PENDING, True),
        (DealStatus.APPROVED, True),
        (DealStatus.REJECTED, False),
        (DealStatus.EXPIRED, False),
    ],
)
def test_registration_active(status: DealStatus, active: bool) -> None:
    r = reg(dt.date(2026, 1, 1), dt.date(2026, 2, 1)).model_copy(update={"status": status})
    assert r.active is active


# -- lifecycle ----------------------------------------------------------------------------------

ALLOWED = {
    (S.OPEN, S.MEDIATING),
    (S.OPEN, S.ESCALATED),
    (S.OPEN, S.RESOLVED),
    (S.MEDIATING, S.ESCALATED),
    (S.MEDIATING, S.RESOLVED),
    (S.ESCALATED, S.MEDIATING),
    (S.ESCALATED, S.RESOLVED),
    (S.RESOLVED, S.CLOSED),
    (S.RESOLVED, S.OPEN),
}
"""The contract's moves, written out independently of TRANSITIONS."""


def test_table_matches_the_contract() -> None:
    table = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
    assert table == ALLOWED
    assert set(TRANSITIONS) == set(ConflictStatus)
    assert TRANSITIONS[S.CLOSED] == frozenset()
    with pytest.raises(TypeError):
        TRANSITIONS[S.CLOSED] = frozenset({S.OPEN})  # type: ignore[index]


@pytest.mark.parametrize(("source", "target"), sorted(ALLOWED))
def test_every_allowed_move(source: ConflictStatus, target: ConflictStatus) -> None:
    c = make(source, settled(source))
    how = Resolution.LEGAL if target is S.RESOLVED else None
    moved = transition(c, target, resolution=how)
    assert moved.status is target
    assert c.status is source  # the original is unchanged
    assert moved.id == c.id
    assert moved.parties == c.parties
    if target is S.RESOLVED:
        assert moved.resolution is Resolution.LEGAL
    elif target is S.CLOSED:
        assert moved.resolution is Resolution.MEDIATION  # kept from RESOLVED
    else:
        assert moved.resolution is None  # RESOLVED -> OPEN clears it
    assert Conflict.model_validate(moved.model_dump()) == moved


REFUSED = sorted(set(itertools.product(ConflictStatus, repeat=2)) - ALLOWED)


@pytest.mark.parametrize(("source", "target"), REFUSED)
def test_every_refused_move(source: ConflictStatus, target: ConflictStatus) -> None:
    c = make(source, settled(source))
    how = Resolution.LEGAL if target is S.RESOLVED else None
    with pytest.raises(
        InvalidTransitionError, match=f"cannot move from {source.value} to {target.value}"
    ):
        transition(c, target, resolution=how)


def test_refused_move_is_a_value_error_and_names_allowed_moves() -> None:
    with pytest.raises(ValueError, match=r"\(allowed: mediating, escalated, resolved\)"):
        transition(make(), S.CLOSED)
    closed = make(S.CLOSED, Resolution.EXIT)
    with pytest.raises(InvalidTransitionError, match="allowed: none, it is final"):
        transition(closed, S.OPEN)


@pytest.mark.parametrize("source", [S.OPEN, S.MEDIATING, S.ESCALATED])
def test_resolving_needs_a_resolution(source: ConflictStatus) -> None:
    with pytest.raises(InvalidTransitionError, match="cannot be resolved without a resolution"):
        transition(make(source), S.RESOLVED)


@pytest.mark.parametrize(
    ("source", "target"), [(a, b) for a, b in sorted(ALLOWED) if b is not S.RESOLVED]
)
def test_resolution_with_another_target_is_refused(
    source: ConflictStatus, target: ConflictStatus
) -> None:
    with pytest.raises(InvalidTransitionError, match="only given when moving to resolved"):
        transition(make(source, settled(source)), target, resolution=Resolution.MEDIATION)


def test_transition_accepts_values_and_checks_them() -> None:
    moved = transition(make(), "resolved", resolution="exit")
    assert (moved.status, moved.resolution) == (S.RESOLVED, Resolution.EXIT)
    with pytest.raises(ArgumentError, match=r"status must be one of open, .*got 'done'") as err:
        transition(make(), "done")
    assert (err.value.argument, err.value.value) == ("status", "done")
    with pytest.raises(ArgumentError, match=r"resolution must be one of .*got 'magic'") as err:
        transition(make(), "resolved", resolution="magic")
    assert (err.value.argument, err.value.value) == ("resolution", "magic")
    with pytest.raises(ArgumentError, match="status must be one of"):
        allowed_moves("done")


@pytest.mark.parametrize(
    ("call", "argument", "message"),
    [
        (lambda: transition({"id": "C1"}, "mediating"), "conflict", "must be a Conflict, not dict"),  # type: ignore[arg-type]
        (lambda: transition(make(), 3), "status", "ConflictStatus or its value, not int"),  # type: ignore[arg-type]
        (lambda: transition(make(), ["open"]), "status", "not list"),  # type: ignore[arg-type]
        (
            lambda: transition(make(), "resolved", resolution=Severity.LOW),
            "resolution",
            "must be one of communication",
        ),
        (lambda: allowed_moves(None), "status", "not NoneType"),  # type: ignore[arg-type]
        (lambda: recommend("C1"), "conflict", "must be a Conflict, not str"),  # type: ignore[arg-type]
        (lambda: recommend(make(), history=None), "history", "iterable of Conflict"),  # type: ignore[arg-type]
        (lambda: recommend(make(), history=[make(), 5]), "history", r"history\[1\] must be"),  # type: ignore[list-item]
        (lambda: recurrences(None), "conflict", "not NoneType"),  # type: ignore[arg-type]
    ],
)
def test_lifecycle_and_recommend_check_their_arguments(
    call: Callable[[], object], argument: str, message: str
) -> None:
    with pytest.raises(ArgumentError, match=message) as err:
        call()
    assert err.value.argument == argument
    assert isinstance(err.value, ChannelkitError)


def test_transition_builds_a_checked_result_and_leaves_the_conflict_alone() -> None:
    c = make(severity=Severity.HIGH).model_copy(update={"amount_at_stake": Money(5, "CNY")})
    done = transition(c, "resolved", resolution="legal")
    assert c.status is S.OPEN  # the original is not changed
    assert c.resolution is None
    assert done.model_fields_set == set(Conflict.model_fields)
    assert done.model_dump() == {**c.model_dump(), "status": S.RESOLVED, "resolution": "legal"}
    assert Conflict.model_validate_json(done.model_dump_json()) == done


def test_allowed_moves_in_lifecycle_order() -> None:
    assert allowed_moves(S.OPEN) == (S.MEDIATING, S.ESCALATED, S.RESOLVED)
    assert allowed_moves("escalated") == (S.MEDIATING, S.RESOLVED)
    assert allowed_moves(S.CLOSED) == ()


def test_recurred_conflict_goes_round_again() -> None:
    c = transition(make(), S.RESOLVED, resolution=Resolution.COMMUNICATION)
    again = transition(transition(c, S.OPEN), S.ESCALATED)
    done = transition(transition(again, S.RESOLVED, resolution=Resolution.LEGAL), S.CLOSED)
    assert (done.status, done.resolution) == (S.CLOSED, Resolution.LEGAL)


# -- recommend ----------------------------------------------------------------------------------

EXPECTED: dict[Severity, tuple[Stage, tuple[Resolution, ...]]] = {
    Severity.LOW: (Stage.PREVENT, (Resolution.COMMUNICATION,)),
    Severity.MEDIUM: (Stage.REDUCE, (Resolution.COMMUNICATION, Resolution.MEDIATION)),
    Severity.HIGH: (Stage.RESOLVE, (Resolution.MEDIATION, Resolution.LEGAL)),
    Severity.CRITICAL: (Stage.RESOLVE, (Resolution.LEGAL, Resolution.RESTRUCTURE)),
}
LEVELS = [Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL]


def history_of(n: int) -> list[Conflict]:
    return [make(id=f"H{i}", detected=DAY - dt.timedelta(days=30 * (i + 1))) for i in range(n)]


def test_playbook_matches_the_contract() -> None:
    assert dict(PLAYBOOK) == EXPECTED


@pytest.mark.parametrize("severity", LEVELS)
@pytest.mark.parametrize("n", [0, 1, 2, 3, 4])
def test_recommend_every_severity_and_recurrence_count(severity: Severity, n: int) -> None:
    c = make(severity=severity)
    r = recommend(c, history=history_of(n))
    # each recurrence raises one step, capped at CRITICAL (index 3)
    used = LEVELS[min(LEVELS.index(severity) + n, 3)]
    stage, actions = EXPECTED[used]
    if used is Severity.CRITICAL and n >= 2:
        actions = (*actions, Resolution.EXIT)
    assert (r.severity, r.recurrences, r.severity_used, r.stage, r.actions) == (
        severity,
        n,
        used,
        stage,
        actions,
    )
    assert r.recurrence_ids == tuple(f"H{i}" for i in range(n))
    assert r.conflict_id == "C1"


def test_critical_with_one_recurrence_has_no_exit() -> None:
    r = recommend(make(severity=Severity.CRITICAL), history=history_of(1))
    assert Resolution.EXIT not in r.actions
    r2 = recommend(make(severity=Severity.CRITICAL), history=history_of(2))
    assert r2.actions[-1] is Resolution.EXIT


def test_what_counts_as_a_recurrence() -> None:
    c = make()
    history = [
        make(id="C1", detected=DAY - dt.timedelta(days=9)),  # same id: itself, not counted
        make(id="SAME-DAY", detected=DAY),  # detected no later: counted
        make(id="LATER", detected=DAY + dt.timedelta(days=1)),  # after it: not counted
        make(id="OTHER-CAUSE", cause=ConflictCause.PRICE_VIOLATION),  # not counted
        make(id="SUBSET", parties=("A",)),  # another set of parties: not counted
        make(id="SUPERSET", parties=("A", "B", "C")),  # not counted
        make(id="REORDERED", parties=("B", "A")),  # same set: counted
        make(id="REORDERED", parties=("B", "A"), status=S.MEDIATING),  # a snapshot: once
    ]
    assert recurrences(c, history) == ("SAME-DAY", "REORDERED")
    r = recommend(c, history=iter(history))  # any iterable
    assert r.recurrences == 2
    assert r.severity_used is Severity.HIGH  # LOW + 2 steps


def test_recommendation_explain() -> None:
    r = recommend(make(severity=Severity.HIGH), history=history_of(2))
    assert r.explain() == (
        "Recommendation for conflict C1: severity high, 2 recurrence(s) (H0, H1) raise it to "
        "critical\n  stage: resolve; actions: legal action, channel restructuring, exit"
    )
    zh = recommend(make()).explain("zh")
    assert zh == "冲突 C1 的处理建议：严重程度 低，无重复发生\n  阶段：前期防范；措施：沟通"


def test_recommendation_validation() -> None:
    good = recommend(make(), history=history_of(1)).model_dump()
    with pytest.raises(ValidationError, match="recurrence_ids must hold one id per recurrence"):
        Recommendation.model_validate({**good, "recurrences": 2})
    with pytest.raises(ValidationError, match=r"severity_used .* must not be below severity"):
        Recommendation.model_validate({**good, "severity": Severity.HIGH})
    with pytest.raises(ValidationError, match="actions"):
        Recommendation.model_validate({**good, "actions": ()})
    assert Recommendation.model_validate_json(Recommendation(**good).model_dump_json()) == (
        Recommendation(**good)
    )
