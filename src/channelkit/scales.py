"""Shared ordinal scales: :class:`Direction` and :class:`Severity`.

``Direction`` says which way a number is good; ``Severity`` how bad a finding is.

Both are used by more than one area (scorecards and risk indicators read ``Direction``;
conflicts and risk ratings read ``Severity``), so they live in the kernel rather than in either.
"""

from __future__ import annotations

from typing import Any

from channelkit.labels import LabeledEnum

__all__ = ["Direction", "Severity"]


class Direction(LabeledEnum):
    """Whether a larger value of a metric or indicator is better or worse."""

    HIGHER_IS_BETTER = "higher_is_better", "Higher is better", "越高越好"
    LOWER_IS_BETTER = "lower_is_better", "Lower is better", "越低越好"


class Severity(LabeledEnum):
    """How serious a conflict or a risk is, ordered by severity (not by spelling).

    ``<``, ``>``, ``sorted()`` and ``max()`` follow LOW < MEDIUM < HIGH < CRITICAL; equality and
    hashing stay those of the string value.

    Examples
    --------
    >>> max(Severity.HIGH, Severity.CRITICAL, Severity.LOW)
    <Severity.CRITICAL: 'critical'>
    >>> Severity.MEDIUM < Severity.HIGH
    True
    >>> Severity.LOW.escalate(), Severity.CRITICAL.escalate()
    (<Severity.MEDIUM: 'medium'>, <Severity.CRITICAL: 'critical'>)
    """

    LOW = "low", "Low", "低"
    MEDIUM = "medium", "Medium", "中"
    HIGH = "high", "High", "高"
    CRITICAL = "critical", "Critical", "严重"

    @property
    def rank(self) -> int:
        """0 for LOW up to 3 for CRITICAL."""
        return _RANK[self]

    def escalate(self, steps: int = 1) -> Severity:
        """The severity ``steps`` levels higher, at most CRITICAL."""
        return _ORDER[min(self.rank + max(steps, 0), len(_ORDER) - 1)]

    def __lt__(self, other: Any) -> bool:
        if isinstance(other, Severity):
            return self.rank < other.rank
        return NotImplemented

    def __le__(self, other: Any) -> bool:
        if isinstance(other, Severity):
            return self.rank <= other.rank
        return NotImplemented

    def __gt__(self, other: Any) -> bool:
        if isinstance(other, Severity):
            return self.rank > other.rank
        return NotImplemented

    def __ge__(self, other: Any) -> bool:
        if isinstance(other, Severity):
            return self.rank >= other.rank
        return NotImplemented

    __hash__ = LabeledEnum.__hash__


_ORDER = tuple(Severity)
_RANK = {s: i for i, s in enumerate(_ORDER)}
