"""The risk register as a whole: the heat map and the summary.

[`heatmap`][] counts risks in the cells of the 5 x 5 matrix (风险热力图); [`summarize`][]
gives the counts by category, rating and status, the risks ordered by residual score, and the
reviews that are overdue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from channelkit.errors import ArgumentError, ArgumentTypeError
from channelkit.labels import pick
from channelkit.model import Model, trusted
from channelkit.numeric import NonNegativeCount
from channelkit.risk import _html
from channelkit.risk.assessment import (
    _DEFAULT_MATRIX,
    RiskAssessment,
    RiskMatrix,
    assess,
    figure,
)
from channelkit.risk.models import RiskCategory, RiskItem, RiskStatus
from channelkit.scales import Severity

__all__ = [
    # results
    "RiskSummary",
    # calculators
    "heatmap",
    "summarize",
]

_SIZE = 5


def _read_items(items: object) -> list[RiskItem]:
    """The risks of the iterable ``items`` (read once), each checked to be a ``RiskItem``."""
    try:
        if isinstance(items, str | bytes):
            raise TypeError  # iterable, but of characters
        each = iter(items)  # type: ignore[call-overload]
    except TypeError:
        msg = f"items must be an iterable of RiskItems, not {type(items).__name__}"
        raise ArgumentTypeError(msg, argument="items", value=items) from None
    out: list[RiskItem] = []
    for n, item in enumerate(each):
        if not isinstance(item, RiskItem):
            msg = f"items must be RiskItems, got {type(item).__name__} at items[{n}]"
            raise ArgumentTypeError(msg, argument="items", value=item)
        out.append(item)
    return out


def heatmap(items: Iterable[RiskItem]) -> tuple[tuple[int, ...], ...]:
    """Count risks in each cell of the 5 x 5 risk matrix (风险热力图).

    Parameters
    ----------
    items
        The risks, any iterable (read once).

    Returns
    -------
    tuple of tuple of int
        Five rows of five counts: ``grid[likelihood - 1][impact - 1]`` is the number of risks with
        that likelihood and impact.

    Raises
    ------
    ArgumentTypeError
        When ``items`` is not an iterable of ``RiskItem`` (a ``TypeError``).

    Notes
    -----
    Cells are placed by the inherent scores (likelihood and impact); controls do not move a risk
    on the map (its residual and rating are [`assess`][]'s). Every
    item is counted whatever its status, so the counts always sum to the number of items: leave
    closed risks out before calling if they should not show.

    Examples
    --------
    >>> import datetime as dt
    >>> day = dt.date(2026, 7, 1)
    >>> items = [RiskItem(id=f"R{n}", title="t", category="credit", likelihood=lk, impact=im,
    ...                   identified=day) for n, (lk, im) in enumerate([(1, 5), (5, 1), (5, 1)])]
    >>> grid = heatmap(items)
    >>> grid[0][4], grid[4][0], sum(map(sum, grid))
    (1, 2, 3)
    """
    grid = [[0] * _SIZE for _ in range(_SIZE)]
    for it in _read_items(items):
        grid[it.likelihood - 1][it.impact - 1] += 1
    return tuple(tuple(row) for row in grid)


def _overdue(review_by: dt.date | None, as_of: dt.date) -> bool:
    return review_by is not None and review_by < as_of


class RiskSummary(Model):
    """The result of [`summarize`][]: the register counted, ranked, checked for overdue reviews.

    ``top[i]`` and ``assessments[i]`` are the same risk.
    """

    as_of: dt.date
    """The day the summary was taken; reviews due before it are overdue."""
    count: NonNegativeCount
    """The number of risks summarized."""
    by_category: Mapping[RiskCategory, NonNegativeCount]
    """Risks per category, every category listed (0 when none), in category order."""
    by_rating: Mapping[Severity, NonNegativeCount]
    """Risks per rating of their residual, LOW to CRITICAL, every rating listed."""
    by_status: Mapping[RiskStatus, NonNegativeCount]
    """Risks per status, every status listed."""
    top: tuple[RiskItem, ...]
    """The risks by residual descending; ties by inherent descending, then id, then input order."""
    assessments: tuple[RiskAssessment, ...]
    """The assessment of each risk of ``top``, in the same order."""
    overdue_reviews: tuple[RiskItem, ...]
    """The risks whose ``review_by`` is before ``as_of``, the longest overdue first (then by id)."""

    _repr_html_ = _html.risk_summary

    def explain(self, lang: str = "en") -> str:
        """The summary in a few lines: counts, the ranking and the overdue reviews.

        Examples
        --------
        >>> import datetime as dt
        >>> day = dt.date(2026, 7, 1)
        >>> items = [
        ...     RiskItem(id="R1", title="late payer", category="credit", likelihood=3,
        ...              impact=4, identified=day, review_by=dt.date(2026, 9, 1)),
        ...     RiskItem(id="R2", title="price war", category="market", likelihood=5,
        ...              impact=4, control_effectiveness="0.1", identified=day),
        ... ]
        >>> print(summarize(items, as_of=dt.date(2026, 9, 30)).explain())
        Risk register as of 2026-09-30: 2 risks
          by rating: Critical 1, High 1, Medium 0, Low 0
          by category: Credit risk 1, Market risk 1
          by residual: R2 18 (Critical), R1 12 (High)
          overdue reviews: R1 (review by 2026-09-01)
        """
        sep = pick(lang, ", ", "，")
        ratings = sep.join(
            f"{s.label(lang)} {self.by_rating.get(s, 0)}" for s in reversed(Severity)
        )
        cats = sep.join(f"{c.label(lang)} {n}" for c, n in self.by_category.items() if n) or pick(
            lang, "none", "无"
        )
        ranked = sep.join(
            pick(lang, "{i} {r} ({s})", "{i} {r}（{s}）").format(
                i=a.item_id, r=figure(a.residual), s=a.rating.label(lang)
            )
            for a in self.assessments
        ) or pick(lang, "none", "无")
        overdue = sep.join(
            pick(lang, "{i} (review by {d})", "{i}（应于 {d} 前复核）").format(
                i=r.id, d=r.review_by
            )
            for r in self.overdue_reviews
        ) or pick(lang, "none", "无")
        return "\n".join(
            [
                pick(
                    lang,
                    f"Risk register as of {self.as_of}: {self.count} "
                    + ("risk" if self.count == 1 else "risks"),
                    f"风险登记汇总（截至 {self.as_of}）：共 {self.count} 项",
                ),
                pick(lang, f"  by rating: {ratings}", f"  按评级：{ratings}"),
                pick(lang, f"  by category: {cats}", f"  按类别：{cats}"),
                pick(lang, f"  by residual: {ranked}", f"  按剩余风险排序：{ranked}"),
                pick(lang, f"  overdue reviews: {overdue}", f"  逾期未复核：{overdue}"),
            ]
        )


def summarize(
    items: Iterable[RiskItem],
    *,
    as_of: dt.date,
    matrix: RiskMatrix = _DEFAULT_MATRIX,
    limit: int | None = None,
) -> RiskSummary:
    """Summarize a risk register: counts, the ranking by residual, the overdue reviews.

    Parameters
    ----------
    items
        The risks, any iterable (read once).
    as_of
        The day of the summary (a ``date``, not a ``datetime``).
    matrix
        The band edges used to rate each risk (default ``RiskMatrix()``).
    limit
        Keep only the first ``limit`` risks of the ranking (``top`` and ``assessments``);
        ``None`` (the default) keeps them all. The counts always cover every item.

    Returns
    -------
    RiskSummary
        ``count``, ``by_category``, ``by_rating``, ``by_status``, ``top`` with its
        ``assessments``, and ``overdue_reviews``.

    Raises
    ------
    ArgumentTypeError
        When ``as_of`` is not a date (or is a datetime), ``items`` is not an iterable of
        ``RiskItem``, ``matrix`` not a ``RiskMatrix`` or ``limit`` not an ``int`` (a
        ``TypeError``).
    ArgumentError
        When ``limit`` is negative.

    Notes
    -----
    Each risk is assessed with [`assess`][]. The ranking is by
    residual descending; equal residuals go by inherent descending (more is at stake if the
    controls fail), then by id ascending, then in input order, so it is the same for any order of
    distinct ids. A review is overdue when ``review_by`` is strictly before ``as_of`` (due on
    ``as_of`` itself is not yet overdue); the longest overdue come first. Every item counts,
    whatever its status: the counts of ``by_category``, ``by_rating`` and ``by_status`` each sum
    to ``count``.

    Examples
    --------
    >>> import datetime as dt
    >>> day = dt.date(2026, 7, 1)
    >>> items = [RiskItem(id=f"R{n}", title="t", category="terminal", likelihood=n, impact=3,
    ...                   identified=day) for n in (1, 5, 3)]
    >>> s = summarize(items, as_of=dt.date(2026, 9, 30), limit=2)
    >>> [r.id for r in s.top], [str(a.residual) for a in s.assessments]
    (['R5', 'R3'], ['15', '9'])
    >>> s.by_rating[Severity.HIGH], s.by_category[RiskCategory.TERMINAL], s.count
    (1, 3, 3)
    """
    if not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
        msg = f"as_of must be a date, not {type(as_of).__name__}"
        raise ArgumentTypeError(msg, argument="as_of", value=as_of)
    if not isinstance(matrix, RiskMatrix):
        msg = f"matrix must be a RiskMatrix, not {type(matrix).__name__}"
        raise ArgumentTypeError(msg, argument="matrix", value=matrix)
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)):
        msg = f"limit must be an int or None, not {type(limit).__name__}"
        raise ArgumentTypeError(msg, argument="limit", value=limit)
    if limit is not None and limit < 0:
        msg = f"limit must not be negative, got {limit}"
        raise ArgumentError(msg, argument="limit", value=limit)
    checked = _read_items(items)
    assessed = [(item, assess(item, matrix)) for item in checked]
    by_category = dict.fromkeys(RiskCategory, 0)
    by_rating = dict.fromkeys(Severity, 0)
    by_status = dict.fromkeys(RiskStatus, 0)
    for item, a in assessed:
        by_category[item.category] += 1
        by_rating[a.rating] += 1
        by_status[item.status] += 1
    # by id, then (stable, so ties keep it) by residual and inherent descending: comparisons
    # only, no arithmetic in the caller's decimal context
    ranked = sorted(assessed, key=lambda pair: pair[0].id)
    ranked.sort(key=lambda pair: (pair[1].residual, pair[1].inherent), reverse=True)
    if limit is not None:
        ranked = ranked[:limit]
    overdue = sorted(
        ((i.review_by, i.id, n, i) for n, i in enumerate(checked) if _overdue(i.review_by, as_of)),
        key=lambda row: row[:3],
    )
    return trusted(
        RiskSummary,
        {
            "as_of": as_of,
            "count": len(checked),
            "by_category": by_category,
            "by_rating": by_rating,
            "by_status": by_status,
            "top": tuple(item for item, _ in ranked),
            "assessments": tuple(a for _, a in ranked),
            "overdue_reviews": tuple(row[3] for row in overdue),
        },
    )
