from __future__ import annotations

import pytest

from channelkit import Direction, Severity


def test_severity_orders_by_severity_not_spelling() -> None:
    # alphabetically "critical" < "high" < "low" < "medium"; by severity the reverse holds
    assert sorted([Severity.MEDIUM, Severity.CRITICAL, Severity.LOW, Severity.HIGH]) == [
        Severity.LOW,
        Severity.MEDIUM,
        Severity.HIGH,
        Severity.CRITICAL,
    ]
    assert max(Severity.LOW, Severity.MEDIUM) is Severity.MEDIUM
    assert min(Severity.CRITICAL, Severity.HIGH) is Severity.HIGH
    assert Severity.LOW < Severity.MEDIUM <= Severity.MEDIUM < Severity.HIGH
    assert Severity.CRITICAL > Severity.HIGH >= Severity.HIGH
    assert not Severity.CRITICAL < Severity.LOW
    assert [s.rank for s in Severity] == [0, 1, 2, 3]


def test_severity_keeps_string_equality_and_hash() -> None:
    assert Severity.HIGH == "high"
    assert hash(Severity.HIGH) == hash("high")
    assert {Severity.HIGH: 1}["high"] == 1


@pytest.mark.parametrize("op", ["__lt__", "__le__", "__gt__", "__ge__"])
def test_severity_does_not_compare_with_plain_strings(op: str) -> None:
    # str's own order would compare the spelling ("medium" >= "high"): refused instead
    with pytest.raises(TypeError, match="Severity members are ordered by rank"):
        getattr(Severity.LOW, op)("zzz")
    assert getattr(Severity.LOW, op)(3) is NotImplemented
    with pytest.raises(TypeError):
        Severity.LOW < 3  # type: ignore[operator]  # noqa: B015
    with pytest.raises(TypeError):
        "medium" >= Severity.HIGH  # type: ignore[operator]  # noqa: B015, SIM300


def test_escalate() -> None:
    assert Severity.LOW.escalate() is Severity.MEDIUM
    assert Severity.LOW.escalate(2) is Severity.HIGH
    assert Severity.HIGH.escalate(5) is Severity.CRITICAL
    assert Severity.MEDIUM.escalate(0) is Severity.MEDIUM
    assert Severity.MEDIUM.escalate(-3) is Severity.MEDIUM


def test_direction_labels() -> None:
    assert Direction.HIGHER_IS_BETTER == "higher_is_better"
    assert Direction.LOWER_IS_BETTER.label("zh") == "越低越好"
