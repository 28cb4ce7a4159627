"""The notebook tables of the credit results: one renderer per result, bound as ``_repr_html_``.

Each result class binds its function here as its ``_repr_html_`` (``_repr_html_ = _html.aging``):
a caption naming it, a line of headline figures and a compact table, written by
[`html_table`][channelkit.html.html_table]. Labels are English: a notebook calls
``_repr_html_`` without arguments.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from channelkit.html import _pct, html_table
from channelkit.labels import fmt_amount, fmt_number
from channelkit.money import Money

if TYPE_CHECKING:
    from channelkit.credit.check import CreditDecision
    from channelkit.credit.limits import CreditLimitProposal
    from channelkit.credit.openitems import Aging

__all__ = ["aging", "credit_decision", "credit_limit_proposal"]

Summary = list[tuple[str, object]]


def aging(a: Aging) -> str:
    """Open items by bucket: one row per bucket with its items and amount; the overdue figures."""
    summary: Summary = [
        ("open", a.open_total),
        ("overdue", a.overdue_total),
        ("overdue share", _pct(a.overdue_share)),
    ]
    if a.oldest_overdue_id is not None:
        summary.append(("oldest overdue", f"{a.oldest_overdue_id}, {a.oldest_overdue_days} days"))
    if a.grace_days:
        summary.append(("grace days", a.grace_days))
    rows = [[bucket, a.counts.get(bucket, 0), amount] for bucket, amount in a.buckets.items()]
    caption = f"Aging of open items on {a.as_of} ({a.currency})"
    return html_table(caption, ["bucket", "items", "amount"], rows, summary=summary)


def credit_decision(d: CreditDecision) -> str:
    """A credit check: the order, exposure and limit; one row per rule that tripped."""
    summary: Summary = [
        ("order", d.order),
        ("exposure before", d.exposure_before),
        ("exposure after", d.exposure_after),
        ("limit", "none" if d.limit is None else d.limit),
    ]
    if d.limit is not None:
        summary += [
            ("available", d.available),
            ("utilization", _pct(d.utilization)),
            ("exceeded by", d.exceeded_by),
        ]
    rows = [[r.code, r.outcome, r.message] for r in d.reasons]
    caption = f"Credit check ({d.currency}): {d.outcome.label()}"
    return html_table(caption, ["rule", "outcome", "reason"], rows, summary=summary)


def _step(step: Decimal | None, places: int) -> str:
    return "the minor unit" if step is None else fmt_amount(step, places)


def credit_limit_proposal(p: CreditLimitProposal) -> str:
    """A proposed limit: the inputs used; one row per step from the methods' figures to it."""
    cur = p.amount.currency
    summary: Summary = [("proposed limit", p.amount)]
    for name, value in (("equity", p.equity), ("working capital", p.working_capital)):
        if value is not None:
            summary.append((name, Money._make(value, cur)))
    if p.monthly_sales is not None:
        summary.append(("monthly sales", p.monthly_sales))
    if p.terms_days is not None:
        summary.append(("days", f"{p.terms_days} terms + {p.grace_days} grace"))
    rows: list[list[object]] = [[method, figure] for method, figure in p.components.items()]
    rows += [
        [f"combined: {p.combine.label()}", p.combined],
        [f"x {fmt_number(p.multiplier)}", p.multiplied],
        [f"rounded down to {_step(p.round_down_to, p.amount.places)}", p.rounded],
    ]
    if p.floor is not None:
        rows.append(["floor", p.floor])
    if p.ceiling is not None:
        rows.append(["ceiling", p.ceiling])
    rows.append(
        [
            "proposed limit" if p.bounded_by is None else f"proposed ({p.bounded_by.label()})",
            p.amount,
        ]
    )
    return html_table(f"Credit limit proposal ({cur})", ["step", "amount"], rows, summary=summary)
