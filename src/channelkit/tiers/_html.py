"""The notebook table of a tier decision, bound as [`TierDecision`][]'s ``_repr_html_``.

A caption naming the change and the tier, a line of headline figures (the tier held before, the
failed-evaluation counter, the tiers qualified for, the score) and one row per gap to the tier
the gaps refer to, written by [`html_table`][channelkit.html.html_table]. Labels are English: a
notebook calls ``_repr_html_`` without arguments.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from channelkit.html import _round, html_table

if TYPE_CHECKING:
    from channelkit.tiers.assignment import TierDecision
    from channelkit.tiers.models import Tier

__all__ = ["tier_decision"]


def _code(tier: Tier | None) -> str:
    return "none" if tier is None else tier.code


def tier_decision(d: TierDecision) -> str:
    """A decision: the tier and its change; one row per requirement still unmet.

    A gap in the score is shown to two places, as the explanation does; other figures as held.
    """
    from channelkit.tiers.assignment import SCORE_METRIC  # that module imports this one

    summary: list[tuple[str, object]] = [
        ("tier", _code(d.tier)),
        ("previous", _code(d.previous)),
        ("missed", f"{d.missed} (grace {d.demotion_grace})"),
        ("qualified", ", ".join(d.qualified) or "none"),
    ]
    if d.score is not None:
        summary.append(("score", _round(d.score.total)))
    summary.append(("gaps to", _code(d.gaps_to)))
    rows: list[list[object]] = []
    for g in d.gaps:
        figures: list[Decimal | None] = [g.required, g.actual, g.shortfall]
        if g.metric == SCORE_METRIC:
            figures = [_round(f) for f in figures]
        rows.append([g.metric, *figures])
    caption = f"Tier decision: {d.change.label()}, tier {_code(d.tier)}"
    header = ["metric", "required", "actual", "shortfall"]
    return html_table(caption, header, rows, summary=summary)
