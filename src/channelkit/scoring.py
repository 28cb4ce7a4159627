"""Scorecards: weighted KPIs combined into one score (渠道绩效评估).

A [`Scorecard`][] weighs several [`Metric`][]s; [`score`][] turns a partner's actual
figures into points per metric and a total. Scores drive tier placement, composite rebates
(a rebate policy's payout steps) and credit terms.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Self

from pydantic import Field, model_validator

from channelkit.errors import ArgumentError, ArgumentTypeError, PolicyError, expect
from channelkit.html import _percent, _round, html_table
from channelkit.labels import LabeledEnum, fmt_amount, fmt_number, fmt_pct, pick
from channelkit.model import Id, Model, trusted
from channelkit.numeric import CONTEXT, DecimalLike, PositiveDecimal, ResultDec, to_decimal
from channelkit.scales import Direction

__all__ = [
    # models
    "Metric",
    "MissingMetric",
    "Scorecard",
    # results
    "Score",
    "ScorePart",
    # calculators
    "achievement",
    "score",
]

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)


class MissingMetric(LabeledEnum):
    """What [`score`][] does when an actual figure for a metric is not supplied."""

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
    Decimal('78.75')
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
        return CONTEXT.multiply(_HUNDRED, max(m.cap for m in self.metrics))


class ScorePart(Model):
    """One metric's contribution to a [`Score`][]."""

    key: str
    """The metric's key."""
    actual: ResultDec | None
    """The actual figure, ``None`` when it was missing."""
    target: ResultDec
    """The metric's target."""
    direction: Direction
    """The metric's direction."""
    achievement: ResultDec
    """actual / target (LOWER_IS_BETTER: target / actual), clamped to ``[0, cap]``."""
    weight: ResultDec
    """The weight used: the metric's weight over the sum of the weights counted (0 if left out)."""
    points: ResultDec
    """achievement x 100 x weight."""


_PART_HEADER = ["metric", "actual", "target", "direction", "achievement %", "weight %", "points"]


def _score_html(s: Score) -> str:
    """A score as a notebook table (its ``_repr_html_``): the total, then one row per metric."""
    summary: list[tuple[str, object]] = [("total", _round(s.total)), ("most", s.max_total)]
    if s.missing:
        summary.append(("missing", ", ".join(s.missing)))
    rows = [
        [
            p.key,
            p.actual,
            p.target,
            p.direction,
            _percent(p.achievement),
            _percent(p.weight),
            _round(p.points),
        ]
        for p in s.parts
    ]
    caption = f"Score {fmt_amount(s.total)} of {fmt_number(s.max_total)}"
    return html_table(caption, _PART_HEADER, rows, summary=summary)


class Score(Model):
    """The result of [`score`][]: a total in ``[0, 100 * max cap]`` and the parts it sums."""

    total: ResultDec
    """100 x the sum of achievement x metric weight over the sum of the weights counted: the sum
    of the parts' points, computed with one division so that full marks are exactly 100."""
    parts: tuple[ScorePart, ...]
    """One part per metric, in scorecard order."""
    missing: tuple[str, ...] = ()
    """Keys of the metrics whose figure was not supplied."""
    max_total: ResultDec = _HUNDRED
    """The most the scorecard can give: 100 times its largest cap."""

    _repr_html_ = _score_html

    def explain(self, lang: str = "en") -> str:
        """How the score was reached, one line per metric.

        Examples
        --------
        >>> card = Scorecard(metrics=(Metric(key="sales", weight=1, target=100),))
        >>> print(score(card, {"sales": 90}).explain())
        Score 90.00 of 100
          sales: 90 against target 100 (higher is better) -> 90% x weight 100% = 90.00
        >>> print(score(card, {}).explain("zh"))
        得分 0.00（满分 100）
          sales：缺失，按零计 -> 0.00
        """
        if self.max_total == _HUNDRED:
            head = pick(lang, "Score {t} of 100", "得分 {t}（满分 100）")
        else:
            head = pick(
                lang,
                "Score {t} of 100 (at most {m} with caps)",
                "得分 {t}（满分 100，计超额封顶最高 {m}）",
            )
        lines = [head.format(t=fmt_amount(self.total), m=fmt_amount(self.max_total))]
        for p in self.parts:
            if p.actual is None:
                how = (
                    pick(lang, "missing, left out", "缺失，不计入")
                    if p.weight == 0
                    else pick(lang, "missing, counted as 0", "缺失，按零计")
                )
                lines.append(
                    pick(lang, "  {k}: {h} -> {pts}", "  {k}：{h} -> {pts}").format(
                        k=p.key, h=how, pts=fmt_amount(p.points)
                    )
                )
                continue
            lines.append(
                pick(
                    lang,
                    "  {k}: {a} against target {t} ({d}) -> {ach} x weight {w} = {pts}",
                    "  {k}：实际 {a}，目标 {t}（{d}）-> {ach} x 权重 {w} = {pts}",
                ).format(
                    k=p.key,
                    a=fmt_number(p.actual),
                    t=fmt_number(p.target),
                    d=p.direction.label(lang).lower(),
                    ach=fmt_pct(p.achievement),
                    w=fmt_pct(p.weight),
                    pts=fmt_amount(p.points),
                )
            )
        return "\n".join(lines)


def achievement(metric: Metric, actual: DecimalLike) -> Decimal:
    r"""Achievement of ``actual`` against ``metric``, clamped to ``[0, metric.cap]``.

    Parameters
    ----------
    metric
        The metric: its target, direction and cap.
    actual
        The partner's figure (``Decimal``, ``int`` or numeric ``str``; never a ``float``).

    Returns
    -------
    Decimal
        A number in ``[0, metric.cap]``, exact to 34 significant digits.

    Raises
    ------
    ArgumentError
        A lower-is-better ``actual`` is negative (the message names the metric; a
        ``ValueError``).
    ArgumentTypeError
        ``metric`` is not a [`Metric`][], or ``actual`` is a ``float`` or not a number (a
        ``TypeError``).

    Notes
    -----
    $$
    \begin{aligned}
    a &= \min\left(\max\left(\frac{\text{actual}}{\text{target}}, 0\right), \text{cap}\right)
    && \text{higher is better} \\
    a &= \min\left(\frac{\text{target}}{\text{actual}}, \text{cap}\right)
    && \text{lower is better}
    \end{aligned}
    $$

    HIGHER_IS_BETTER: an actual below 0 (negative growth) achieves 0. LOWER_IS_BETTER: an actual
    of 0 is the best possible result and achieves ``cap``; a negative actual is an error, since
    a lower-is-better figure (days, a returns rate) cannot be below 0.

    Examples
    --------
    >>> achievement(Metric(key="dso", weight=1, target=45, direction="lower_is_better"),
    ...             Decimal(60))
    Decimal('0.75')
    >>> achievement(Metric(key="sales", weight=1, target=100, cap="1.2"), 150)
    Decimal('1.2')
    """
    if not isinstance(metric, Metric):
        msg = f"metric must be a Metric, not {type(metric).__name__}"
        raise ArgumentTypeError(msg, argument="metric", value=metric)
    return _achievement(metric, to_decimal(actual, metric.key))


def _achievement(metric: Metric, actual: Decimal) -> Decimal:
    """[`achievement`][] for an ``actual`` already converted by ``to_decimal``."""
    if metric.direction is Direction.HIGHER_IS_BETTER:
        if actual <= 0:
            return _ZERO
        raw = CONTEXT.divide(actual, metric.target)
    elif actual > 0:
        raw = CONTEXT.divide(metric.target, actual)
    elif actual == 0:
        return metric.cap
    else:
        msg = (
            f"metric {metric.key!r} is lower-is-better and its actual must not be negative, "
            f"got {actual}"
        )
        raise ArgumentError(msg, argument=metric.key, value=actual)
    return raw if raw <= metric.cap else metric.cap


def score(scorecard: Scorecard, actuals: Mapping[str, DecimalLike | None]) -> Score:
    r"""Score ``actuals`` on ``scorecard``.

    Parameters
    ----------
    scorecard
        The weighted metrics and the rule for missing figures.
    actuals
        The partner's figures by metric key. A key that is absent, or whose value is ``None``,
        is missing; keys that no metric reads are ignored.

    Returns
    -------
    Score
        The total and one part per metric (in scorecard order), with the missing keys.

    Raises
    ------
    PolicyError
        A metric is missing and the scorecard says ``RAISE`` (the message lists the keys,
        ``.metric`` is the first).
    ArgumentError
        A lower-is-better actual is negative (a ``ValueError``).
    ArgumentTypeError
        ``scorecard`` is not a [`Scorecard`][], ``actuals`` is not a mapping, or an actual is a
        ``float`` or not a number (a ``TypeError``).

    Notes
    -----
    $$
    \begin{aligned}
    \text{total} &= 100 \times \frac{\sum_i a_i \, w_i}{\sum_{j \in C} w_j} \\
    \text{points}_i &= a_i \times 100 \times \frac{w_i}{\sum_{j \in C} w_j}
    \end{aligned}
    $$

    where $a_i$ is the achievement (see [`achievement`][]) and $C$ the metrics
    counted. With ``missing=ZERO`` a missing figure achieves 0 and every weight counts; with
    ``RENORMALIZE`` only the metrics supplied count, so the remaining weights are scaled up (a
    scorecard with none supplied scores 0); with ``RAISE`` a missing figure is a
    [`PolicyError`][]. The total lies in ``[0, 100 * max cap]`` and is not
    rounded: it is computed with a single division in the 34-digit context, so a partner at
    target on every metric scores exactly 100 (each part's points are divided separately and
    may differ from an exact share in the 34th digit).

    Examples
    --------
    >>> card = Scorecard(metrics=(Metric(key="sales", weight=60, target=1000),
    ...                           Metric(key="collection", weight=40, target=1)),
    ...                  missing="renormalize")
    >>> score(card, {"sales": 500}).total
    Decimal('50.0')
    >>> score(card, {"sales": 1000, "collection": 1}).total
    Decimal('100')
    """
    expect(scorecard, Scorecard, "scorecard", "a Scorecard")
    expect(actuals, Mapping, "actuals", "a mapping of metric keys to figures")
    metrics = scorecard.metrics
    policy = scorecard.missing
    values: list[Decimal | None] = []
    missing: list[str] = []
    for m in metrics:
        raw = actuals.get(m.key)
        if raw is None:
            missing.append(m.key)
            values.append(None)
        else:
            values.append(to_decimal(raw, m.key))
    if missing and policy is MissingMetric.RAISE:
        msg = f"the scorecard needs metrics that were not supplied: {', '.join(missing)}"
        raise PolicyError(msg, metric=missing[0])
    renormalize = policy is MissingMetric.RENORMALIZE
    achieved: list[Decimal] = []
    wsum = _ZERO
    numerator = _ZERO
    add, multiply, divide = CONTEXT.add, CONTEXT.multiply, CONTEXT.divide
    top_cap = _ZERO
    for m, actual in zip(metrics, values, strict=True):
        if m.cap > top_cap:
            top_cap = m.cap
        if actual is None:
            achieved.append(_ZERO)
            if not renormalize:
                wsum = add(wsum, m.weight)
            continue
        ach = _achievement(m, actual)
        achieved.append(ach)
        wsum = add(wsum, m.weight)
        numerator = add(numerator, multiply(ach, m.weight))
    parts: list[ScorePart] = []
    for m, actual, ach in zip(metrics, values, achieved, strict=True):
        counted = actual is not None or not renormalize
        share = divide(m.weight, wsum) if counted else _ZERO
        points = divide(multiply(multiply(ach, _HUNDRED), m.weight), wsum) if counted else _ZERO
        # Built from validated figures (the scorecard's and to_decimal's): no re-validation.
        parts.append(
            trusted(
                ScorePart,
                {
                    "key": m.key,
                    "actual": actual,
                    "target": m.target,
                    "direction": m.direction,
                    "achievement": ach,
                    "weight": share,
                    "points": points,
                },
            )
        )
    total = divide(multiply(numerator, _HUNDRED), wsum) if wsum else _ZERO
    return trusted(
        Score,
        {
            "total": total,
            "parts": tuple(parts),
            "missing": tuple(missing),
            "max_total": multiply(_HUNDRED, top_cap),
        },
    )
