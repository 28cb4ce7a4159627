"""The notebook tables of the risk results, bound as their ``_repr_html_``.

Each class binds its function here (``_repr_html_ = _html.risk_summary``): a caption naming it,
a line of headline figures and a compact table, written by
[`html_table`][channelkit.html.html_table]. Labels are English: a notebook calls
``_repr_html_`` without arguments.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from channelkit.html import _pct, html_table
from channelkit.labels import fmt_number

if TYPE_CHECKING:
    from channelkit.risk.assessment import RiskAssessment
    from channelkit.risk.register import RiskSummary

__all__ = ["risk_assessment", "risk_summary"]


def risk_assessment(a: RiskAssessment) -> str:
    """One risk scored: its rating; then each step of the scoring and each indicator's signal."""
    m = a.matrix
    bands = (
        f"low up to {fmt_number(m.low_max)}, medium up to {fmt_number(m.medium_max)}, "
        f"high up to {fmt_number(m.high_max)}, critical above"
    )
    rows: list[list[object]] = [
        ["category", a.category],
        ["likelihood", a.likelihood],
        ["impact", a.impact],
        ["inherent (likelihood x impact)", a.inherent],
        ["control effectiveness", _pct(a.control_effectiveness)],
        ["residual (inherent x (1 - control effectiveness))", a.residual],
        ["rating bands", bands],
        ["rating", a.rating],
    ]
    rows += [[f"indicator {key}", light] for key, light in a.signals.items()]
    summary: list[tuple[str, object]] = [("rating", a.rating), ("residual", a.residual)]
    caption = f"Risk {a.item_id}: {a.title}"
    return html_table(caption, ["step", "value"], rows, summary=summary)


_TOP_HEADER = ["risk", "title", "category", "status", "inherent", "residual", "rating"]
_TOP_HEADER += ["review by"]


def risk_summary(s: RiskSummary) -> str:
    """A register summarized: the counts by rating; one row per risk, by residual descending."""
    summary: list[tuple[str, object]] = [(rating.label(), n) for rating, n in s.by_rating.items()]
    summary.append(("overdue reviews", len(s.overdue_reviews)))
    rows = [
        [
            item.id,
            item.title,
            item.category,
            item.status,
            a.inherent,
            a.residual,
            a.rating,
            item.review_by,
        ]
        for item, a in zip(s.top, s.assessments, strict=False)
    ]
    caption = f"Risk register on {s.as_of}: {s.count:,} risks"
    return html_table(caption, _TOP_HEADER, rows, summary=summary)
