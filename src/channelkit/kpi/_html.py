"""The notebook table of a ratio report, bound as [`RatioReport`][]'s ``_repr_html_``.

A caption naming the statement (partner, date, currency), a line with the options the ratios
were computed with, and one row per ratio: its name, its value as the explanation shows it (a
percentage, days or a number; a dash when undefined) and its note, written by
[`html_table`][channelkit.html.html_table]. Labels are English: a notebook calls
``_repr_html_`` without arguments.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from channelkit.html import html_table

if TYPE_CHECKING:
    from channelkit.kpi.report import RatioReport

__all__ = ["ratio_report"]


def ratio_report(r: RatioReport) -> str:
    """A report: one row per ratio, in the report's order."""
    from channelkit.kpi.report import _label, _show  # the report's module imports this one

    summary: list[tuple[str, object]] = [("balances", r.balances), ("days", r.days)]
    if r.prior_period_end is not None:
        summary.append(("prior statement", r.prior_period_end))
    notes = r.notes
    rows = [
        [_label(key, "en"), None if value is None else _show(key, value, "en"), notes.get(key, "")]
        for key, value in r.items()
    ]
    who = "" if r.partner_id is None else f" of {r.partner_id}"
    caption = f"Financial ratios{who} at {r.period_end.isoformat()} ({r.currency})"
    return html_table(caption, ["ratio", "value", "note"], rows, summary=summary)
