"""Scorecards: weighted KPIs combined into one score (渠道绩效评估).

A :class:`Scorecard` weighs several :class:`Metric` s; :func:`score` turns a partner's actual
figures into points per metric and a total. Scores drive tier placement, composite rebates
(a rebate policy's payout steps) and credit terms.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Self

from pydantic import Field, model_validator

from channelkit.errors import PolicyError
from channelkit.labels import LabeledEnum, fmt_amount, fmt_pct, pick
from channelkit.model import Id, Model
from channelkit.numeric import CONTEXT, Dec, DecimalLike, PositiveDecimal, to_decimal
from channelkit.scales import Direction

__all__ = [
    "Metric",
    "MissingMetric",
    "Score",
    "ScorePart",
    "Scorecard",
    "score",
]

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)


class MissingMetric(LabeledEnum):
    """What :func:`score` does when an actual figure for a metric is not supplied."""

    ZERO = "zero", "Count as zero", "按零计"
    RENORMALIZE = "renormalize", "Reweight the rest", "按其余指标重新加权"
    RAISE = "raise", "Refuse", "报错"


class Metric(Model):
    """One weighted KPI of a scorecard.

    Examples
    --------
    >>> Metric(key="sales", weight=60, target=1_000_000).cap
    Decimal('1')
    """

    key: Id
    """The name of the actual figure it reads (``"sales"``, ``"collection_rate"``...)."""
    weight: PositiveDecimal
    """Relative weight; weights need not sum to 1 or 100."""
    target: PositiveDecimal
    """The figure that scores full marks (achievement 1)."""
    direction: Direction = Direction.HIGHER_IS_BETTER
    """Whether beating the target means being above it or below it."""
    cap: PositiveDecimal = Decimal(1)
    """Most achievement counted (1 = no credit beyond target; 1.2 = up to 120%)."""


class Scorecard(Model):
    """Weighted metrics and the rule for missing figures.

    Examples
    --------
    >>> card = Scorecard(metrics=(Metric(key="sales", weight=3, target=100),
    ...                           Metric(key="dso", weight=1, target=45,
    ...                                  direction=Direction.LOWER_IS_BETTER)))
    >>> score(card, {"sales": 80, "dso": 60}).total
    Decimal('78.7500')
    """

    metrics: Annotated[tuple[Metric, ...], Field(min_length=1)]
    """The metrics, each key once."""
    missing: MissingMetric = MissingMetric.ZERO
    """ZERO: a missing figure achieves 0; RENORMALIZE: it is left out and the remaining weights
    are scaled up; RAISE: it is a ``PolicyError``."""

    @model_validator(mode="after")
    def _unique_keys(self) -> Self:
        seen: set[str] = set()
        for m in self.metrics:
            if m.key in seen:
                msg = f"metrics must have unique keys: {m.key!r} appears twice"
                raise ValueError(msg)
            seen.add(m.key)
        return self

    @property
    def max_total(self) -> Decimal:
        """The bound of the total: 100 times the largest cap (reached when all caps are equal)."""
        return _HUNDRED * max(m.cap for m in self.metrics)


class ScorePart(Model):
    """One metric's contribution to a :class:`Score`."""

    key: str
    """The metric's key."""
    actual: Dec | None
    """The actual figure, ``None`` when it was missing."""
    target: Dec
    """The metric's target."""
    direction: Direction
    """The metric's direction."""
    achievement: Dec
    """actual / target (LOWER_IS_BETTER: target / actual), clamped to ``[0, cap]``."""
    weight: Dec
    """The weight used: the metric's weight over the sum of the weights counted (0 if left out)."""
    points: Dec
    """achievement x 100 x weight."""


class Score(Model):
    """The result of :func:`score`: a total in ``[0, 100 * max cap]`` and the parts it sums."""

    total: Dec
    """Sum of the parts' points."""
    parts: tuple[ScorePart, ...]
    """One part per metric, in scorecard order."""
    missing: tuple[str, ...] = ()
    """Keys of the metrics whose figure was not supplied."""

    def explain(self, lang: str = "en") -> str:
        """How the score was reached, one line per metric.

        Examples
        --------
        >>> card = Scorecard(metrics=(Metric(key="sales", weight=1, target=100),))
        >>> print(score(card, {"sales": 90}).explain())
        Score 90.00 of 100
          sales: 90 against target 100 (higher is better) -> 90% x weight 100% = 90.00
        """
        head = pick(lang, "Score {t} of 100", "得分 {t}（满分 100）").format(
            t=fmt_amount(self.total)
        )
        lines = [head]
        for p in self.parts:
            if p.actual is None:
                lines.append(
                    pick(lang, "  {k}: missing", "  {k}：缺失").format(k=p.key)
                    + pick(lang, " -> {pts}", " -> {pts}").format(pts=fmt_amount(p.points))
                )
                continue
            lines.append(
                pick(
                    lang,
                    "  {k}: {a} against target {t} ({d}) -> {ach} x weight {w} = {pts}",
                    "  {k}：实际 {a}，目标 {t}（{d}）-> {ach} x 权重 {w} = {pts}",
                ).format(
                    k=p.key,
                    a=p.actual,
                    t=p.target,
                    d=p.direction.label(lang).lower(),
                    ach=fmt_pct(p.achievement),
                    w=fmt_pct(p.weight),
                    pts=fmt_amount(p.points),
                )
            )
        return "\n".join(lines)


def achievement(metric: Metric, actual: Decimal) -> Decimal:
    """Achievement of ``actual`` against ``metric``, clamped to ``[0, metric.cap]``.

    Notes
    -----
    HIGHER_IS_BETTER: ``actual / target``; an actual below 0 achieves 0.
    LOWER_IS_BETTER: ``target / actual``; an actual of 0 is the best possible result and
    achieves ``cap``; a negative actual is a ``ValueError`` naming the metric.

    Examples
    --------
    >>> achievement(Metric(key="dso", weight=1, target=45, direction="lower_is_better"),
    ...             Decimal(60))
    Decimal('0.75')
    """
    if metric.direction is Direction.HIGHER_IS_BETTER:
        raw = CONTEXT.divide(actual, metric.target) if actual > 0 else _ZERO
    elif actual > 0:
        raw = CONTEXT.divide(metric.target, actual)
    elif actual == 0:
        return metric.cap
    else:
        msg = (
            f"metric {metric.key!r} is lower-is-better and its actual must not be negative, "
            f"got {actual}"
        )
        raise ValueError(msg)
    return min(raw, metric.cap)


def score(scorecard: Scorecard, actuals: Mapping[str, DecimalLike]) -> Score:
    r"""Score ``actuals`` on ``scorecard``.

    Notes
    -----
    .. math:: \text{total} = \sum_i \min(\max(a_i, 0), \text{cap}_i) \times 100
              \times \frac{w_i}{\sum_j w_j}

    where :math:`a_i` is the achievement (see :func:`achievement`). With ``missing=ZERO`` a
    missing figure achieves 0 and every weight counts; with ``RENORMALIZE`` the sum runs over the
    metrics supplied only (a scorecard with none supplied scores 0); with ``RAISE`` a missing
    figure is a :class:`~channelkit.PolicyError`. Keys of ``actuals`` that no metric reads are
    ignored. The total lies in ``[0, 100 * max cap]`` and is exact (not rounded).

    Raises
    ------
    PolicyError
        A metric is missing and the scorecard says ``RAISE``.
    ValueError
        A lower-is-better actual is negative.

    Examples
    --------
    >>> card = Scorecard(metrics=(Metric(key="sales", weight=60, target=1000),
    ...                           Metric(key="collection", weight=40, target=1)),
    ...                  missing="renormalize")
    >>> score(card, {"sales": 500}).total
    Decimal('50.0')
    """
    values: dict[str, Decimal] = {}
    missing: list[str] = []
    for m in scorecard.metrics:
        if m.key in actuals:
            values[m.key] = to_decimal(actuals[m.key], m.key)
        else:
            missing.append(m.key)
    if missing and scorecard.missing is MissingMetric.RAISE:
        msg = f"the scorecard needs metrics that were not supplied: {', '.join(missing)}"
        raise PolicyError(msg)
    counted = (
        [m for m in scorecard.metrics if m.key in values]
        if scorecard.missing is MissingMetric.RENORMALIZE
        else list(scorecard.metrics)
    )
    wsum = sum((m.weight for m in counted), _ZERO)
    parts: list[ScorePart] = []
    total = _ZERO
    for m in scorecard.metrics:
        actual = values.get(m.key)
        ach = _ZERO if actual is None else achievement(m, actual)
        share = CONTEXT.divide(m.weight, wsum) if actual is not None or m in counted else _ZERO
        points = CONTEXT.multiply(CONTEXT.multiply(ach, _HUNDRED), share)
        total = CONTEXT.add(total, points)
        parts.append(
            ScorePart(
                key=m.key,
                actual=actual,
                target=m.target,
                direction=m.direction,
                achievement=ach,
                weight=share,
                points=points,
            )
        )
    return Score(total=total, parts=tuple(parts), missing=tuple(missing))
