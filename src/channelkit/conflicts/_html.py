"""The notebook tables of a conflict and a recommendation, bound as their ``_repr_html_``.

Each class binds its function here (``_repr_html_ = _html.conflict``): a caption naming it, a
line of headline figures and a compact table, written by
[`html_table`][channelkit.html.html_table]. Labels are English: a notebook calls
``_repr_html_`` without arguments.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from channelkit.html import html_table

if TYPE_CHECKING:
    from channelkit.conflicts.models import Conflict, Recommendation

__all__ = ["conflict", "recommendation"]


def conflict(c: Conflict) -> str:
    """A conflict: severity, status and stake; then its kind, cause, parties and evidence."""
    summary: list[tuple[str, object]] = [
        ("severity", c.severity),
        ("status", c.status),
        ("at stake", c.amount_at_stake),
    ]
    rows: list[list[object]] = [
        ["type", c.type],
        ["cause", c.cause],
        ["parties", ", ".join(c.parties)],
        ["detected", c.detected],
        ["evidence", ", ".join(c.evidence)],
        ["resolution", c.resolution],
        ["description", c.description],
    ]
    return html_table(f"Conflict {c.id}", ["item", "value"], rows, summary=summary)


def recommendation(r: Recommendation) -> str:
    """A recommendation: the severity used and the stage; one row per action, mildest first."""
    summary: list[tuple[str, object]] = [
        ("severity", r.severity),
        ("recurrences", r.recurrences),
    ]
    if r.recurrence_ids:
        summary.append(("earlier", ", ".join(r.recurrence_ids)))
    summary += [("severity used", r.severity_used), ("stage", r.stage)]
    rows = [[n, action] for n, action in enumerate(r.actions, start=1)]
    caption = f"Recommendation for conflict {r.conflict_id}: {r.stage.label()}"
    return html_table(caption, ["step", "action"], rows, summary=summary)
