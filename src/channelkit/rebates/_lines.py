"""The lines and the next step of a rebate result, built for [`evaluate`][] in the engine.

A result's lines are of one bracket applied to the basis ([`bracket_lines`][], the common case:
its full slices below it when GRADUATED) or not ([`spans`][]: the first bracket's line on a
negative basis with ``allow_negative``, or the lines summed over a period's transactions with
``per=TRANSACTION``). Either way their amounts are rounded by largest remainder to sum to the
rounded gross. [`next_bracket`][] is the step above the figure that picks the bracket.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import cast

from channelkit.model import trusted
from channelkit.money import Money, largest_remainder
from channelkit.numeric import CONTEXT, add_all
from channelkit.rebates import _per_transaction as per_transaction
from channelkit.rebates.models import TierMode
from channelkit.rebates.plan import Plan
from channelkit.rebates.results import NextBracket, RebateLine

__all__ = ["bracket_lines", "line", "next_bracket", "spans", "threshold_step"]

Span = tuple[int, Decimal, Decimal, Decimal, Decimal]
"""A line before rounding: bracket index, start, end, slice and exact amount."""


def next_bracket(
    plan: Plan, basis: Decimal, tier_value: Decimal | None = None
) -> NextBracket | None:
    """The next step above the tier figure: the threshold when not yet met, else the next bracket.

    The tier figure is ``tier_value`` when the policy has a ``tier_basis``, else ``basis``; with
    a ``tier_basis`` the amount at the step is what ``basis`` earns at that bracket.
    """
    figure = basis if tier_value is None else tier_value
    cur = plan.currency
    threshold = plan.threshold
    if threshold is not None and figure < threshold:
        at = plan.index(threshold)
        if at >= 0:
            there = plan.gross_at(threshold if tier_value is None else basis, at)
            return _step(at, threshold, plan.rates[at], figure, Money._make(there, cur))
    j = plan.index(figure) + 1
    if j >= len(plan.starts):
        return None
    start = plan.starts[j]
    there_money = (
        plan.at_start[j] if tier_value is None else Money._make(plan.gross_at(basis, j), cur)
    )
    return _step(j, start, plan.rates[j], figure, there_money)


def _step(index: int, start: Decimal, rate: Decimal, figure: Decimal, there: Money) -> NextBracket:
    return trusted(
        NextBracket,
        {
            "index": index,
            "start": start,
            "rate": rate,
            "gap": CONTEXT.subtract(start, figure),
            "amount_at_start": there,
        },
    )


def line(
    plan: Plan, j: int, start: Decimal, end: Decimal, sl: Decimal, flat: Money, r: Decimal
) -> RebateLine:
    """Bracket ``j``'s line: ``slice`` from ``start`` to ``end``, its rounded amount ``r``."""
    return trusted(
        RebateLine,
        {
            "index": j,
            "start": start,
            "end": end,
            "slice": sl,
            "rate": plan.rates[j],
            "flat": flat,
            "amount": Money._make(r if r else r.copy_abs(), plan.currency),  # never -0
            "valid": None,
        },
    )


def bracket_lines(
    plan: Plan, basis: Decimal, i: int, total: Decimal, tier_value: Decimal | None = None
) -> list[RebateLine]:
    """The lines of bracket ``i`` applied to ``basis``, rounded by largest remainder.

    VOLUME and FLAT lines end at the figure that picked the bracket (``tier_value`` when given).
    """
    rates, flats = plan.rates, plan.flats
    flat_money, prebuilt = plan.flat_money, plan.full_lines
    if plan.mode is not TierMode.GRADUATED:  # one line: it is the total
        end = basis if tier_value is None else tier_value
        return [line(plan, i, plan.starts[i], end, basis, flat_money[i], total)]
    top = CONTEXT.subtract(basis, plan.starts[i])
    if None not in prebuilt[:i]:
        # every full slice is on the grid (no remainder, so largest remainder gives it no
        # unit): the last line is the rest of the total, as largest remainder would make it
        rest = CONTEXT.subtract(total, add_all(plan.full[:i]))
        last = rest.quantize(plan.grid, context=CONTEXT)
        full = cast("list[RebateLine]", list(prebuilt[:i]))
        return [*full, line(plan, i, plan.starts[i], basis, top, flat_money[i], last)]
    where = [*plan.spans[:i], (i, plan.starts[i], basis, top)]
    exact = [*plan.full[:i], CONTEXT.add(CONTEXT.multiply(top, rates[i]), flats[i])]
    parts = largest_remainder(exact, plan.places, total)
    lines: list[RebateLine] = []
    for (j, start, end, sl), r in zip(where, parts, strict=True):
        # a full slice already on the grid has no remainder, so largest remainder never gives
        # it a unit (the units missing are fewer than the lines with a remainder): reuse it
        built = prebuilt[j] if j < i else None
        if built is None:
            built = line(plan, j, start, end, sl, flat_money[j], r)
        lines.append(built)
    return lines


def spans(plan: Plan, basis: Decimal, tallies: Sequence[Decimal] | None) -> tuple[list[Span], bool]:
    """Lines not of one bracket applied to the basis: ``(index, start, end, slice, amount)``.

    A negative basis with ``allow_negative`` gives the first bracket's line on it (no flat);
    per transaction, the lines of the tallies. The flag says whether the lines pay flats.
    """
    if basis < 0:
        if not plan.allow_negative:
            return [], False
        exact = CONTEXT.multiply(basis, plan.rates[0])
        return [(0, plan.starts[0], basis, basis, exact)], False
    return ([] if tallies is None else per_transaction.lines(plan, tallies)), True


def threshold_step(plan: Plan, figure: Decimal, tallies: Sequence[Decimal]) -> NextBracket | None:
    """Per transaction, the one step for the period: the threshold, when it is not met.

    Its amount is what the transactions' own brackets pay once it is met; ``None`` when the
    threshold lies below the first bracket.
    """
    threshold = plan.threshold
    at = -1 if threshold is None else plan.index(threshold)
    if threshold is None or at < 0:
        return None
    there = add_all(s[4] for s in per_transaction.lines(plan, tallies))
    return _step(at, threshold, plan.rates[at], figure, Money._make(there, plan.currency))
