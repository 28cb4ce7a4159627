"""The notebook table of a channel review, bound as [`ChannelReview`][]'s ``_repr_html_``.

A caption naming the period and currency, a line of headline figures (net sales, growth, the
direct/indirect split, activity, coverage, concentration, laggards) and the partner rows, in
row order, written by [`html_table`][channelkit.html.html_table]. Labels are English: a notebook
calls ``_repr_html_`` without arguments.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from channelkit.html import _pct, _percent, _round, html_table
from channelkit.labels import fmt_pct

if TYPE_CHECKING:
    from channelkit.review.models import ChannelReview

__all__ = ["channel_review"]

_HEADER = [
    "partner",
    "kind",
    "net sales",
    "share %",
    "growth %",
    "target",
    "attainment %",
    "collection rate %",
    "return rate %",
    "laggard",
]


def channel_review(r: ChannelReview) -> str:
    """A review: its headline figures, then one row per partner, by net sales descending."""
    summary: list[tuple[str, object]] = [("net sales", r.total.net_sales)]
    if r.prior is not None:
        summary += [("prior", r.prior_net_sales), ("growth", _pct(r.growth))]
    cov, con = r.coverage, r.concentration
    summary += [
        ("direct", r.direct.net_sales),
        ("indirect", r.indirect.net_sales),
        ("indirect share", _pct(r.indirect_share)),
        ("active partners", f"{cov.active_partners:,} of {cov.partners:,}"),
    ]
    if cov.territories:
        summary.append(("territories covered", f"{cov.territories_covered} of {cov.territories}"))
    summary += [
        (f"top {con.top} share", _pct(con.top_share)),
        ("HHI", _round(con.hhi, 0)),
        (f"laggards (attainment below {fmt_pct(r.laggard_below)})", len(r.laggards)),
    ]
    laggards = set(r.laggards)
    rows = [
        [
            row.partner_id,
            row.kind,
            row.figures.net_sales,
            _percent(row.share),
            _percent(row.growth),
            row.target,
            _percent(row.attainment),
            _percent(row.collection_rate),
            _percent(row.return_rate),
            row.partner_id in laggards,
        ]
        for row in r.partners
    ]
    caption = f"Channel review {r.period} in {r.currency}"
    if r.prior is not None:
        caption += f", against {r.prior}"
    return html_table(caption, _HEADER, rows, summary=summary)
