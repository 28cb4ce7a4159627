"""Shared ordinal scales: [`Direction`][] and [`Severity`][].

``Direction`` says which way a number is good; ``Severity`` how bad a finding is.

Both are used by more than one area (scorecards and risk indicators read ``Direction``;
conflicts and risk ratings read ``Severity``), so they live in the kernel rather than in either.
"""

from __future__ import annotations

from decimal import Decimal

from channelkit.labels import LabeledEnum, RankedEnum

__all__ = ["Direction", "Severity", "band"]


class Direction(LabeledEnum):
    """Whether a larger value of a metric or indicator is better or worse."""

    HIGHER_IS_BETTER = "higher_is_better", "Higher is better", "越高越好"
    LOWER_IS_BETTER = "lower_is_better", "Lower is better", "越低越好"


class Severity(RankedEnum):
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

    def escalate(self, steps: int = 1) -> Severity:
        """The severity ``steps`` levels higher, at most CRITICAL."""
        order = tuple(Severity)
        return order[min(self.rank + max(steps, 0), len(order) - 1)]


def band(
    value: Decimal,
    edges: tuple[Decimal, Decimal, Decimal],
    *,
    edge_goes_up: bool,
) -> Severity:
    """The severity of ``value`` on three rising ``edges``: LOW, MEDIUM, HIGH, CRITICAL.

    The one banding of a figure into severities. Below (or up to) ``edges[0]`` is LOW, then
    MEDIUM up to ``edges[1]``, HIGH up to ``edges[2]``, CRITICAL beyond. Where a value lying
    exactly on an edge goes is the caller's rule, stated by ``edge_goes_up``:

    * ``True``: an edge starts the higher band (price depth: 5% is already MEDIUM);
    * ``False``: an edge ends the lower band (risk matrix: a residual of 4 is still LOW when
      ``low_max`` is 4).

    Examples
    --------
    >>> edges = (Decimal(4), Decimal(9), Decimal(16))
    >>> band(Decimal(4), edges, edge_goes_up=False), band(Decimal(4), edges, edge_goes_up=True)
    (<Severity.LOW: 'low'>, <Severity.MEDIUM: 'medium'>)
    >>> band(Decimal(17), edges, edge_goes_up=False)
    <Severity.CRITICAL: 'critical'>
    """
    levels = _LEVELS
    for i, edge in enumerate(edges):
        if value < edge or (value == edge and not edge_goes_up):
            return levels[i]
    return levels[3]


_LEVELS: tuple[Severity, Severity, Severity, Severity] = (
    Severity.LOW,
    Severity.MEDIUM,
    Severity.HIGH,
    Severity.CRITICAL,
)
