r"""Tiering per transaction (按单计返): each sale reaches its own bracket.

A ``per=TRANSACTION`` policy tiers every SALE in scope on its own figure (its amount, or its
quantity for ``UNITS``), and every RETURN takes back what its own figure earns tiered the same
way (not under ``GROSS_SALES``). The settlement pass does not keep the transactions: it keeps,
per partner and per bracket a transaction's tier figure reaches (its *top* bracket), four
additive figures, the *tallies*:

- ``n``: the signed count (a sale +1, a return -1),
- ``c``: the count (sales and returns),
- ``b``: the sum of the transactions' basis figures (returns negative),
- ``v``: the sum of their tier figures (returns negative).

The lines and the gross are then exact regroupings of the per-transaction sums. With starts
$s_j$, rates $r_j$, flats $f_j$ and $N_j = \sum_{i \ge j} n_i$ the signed count of the
transactions reaching bracket $j$:

$$
\begin{aligned}
\text{VOLUME, FLAT: } \text{slice}_j &= b_j, &
    \text{amount}_j &= b_j r_j + n_j f_j \\
\text{GRADUATED: } \text{slice}_j &= (N_j - n_j)(s_{j+1} - s_j) + b_j - n_j s_j, &
    \text{amount}_j &= \text{slice}_j\, r_j + N_j f_j
\end{aligned}
$$

Both the model path (``_figures.model_sums``, row by row, the bracket found by the plan's
bisection) and the table path (``_columnar``, grouped in columns by bracket) fill the tallies,
and both compute the lines with [`lines`][], so they cannot disagree. The tallies add up, so
the tallies of several partners pooled are the tallies of the pooled transactions.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Final

from channelkit.numeric import CONTEXT
from channelkit.rebates.models import RebateBasis, TierMode
from channelkit.rebates.plan import Plan

__all__ = ["SLOTS", "lines", "takes_back", "width"]

SLOTS: Final = 4
"""Tallies per bracket: signed count, count, sum of basis figures, sum of tier figures."""

_ZERO: Final = Decimal(0)


def width(plan: Plan) -> int:
    """How many tallies a partner has: `SLOTS` per bracket of the plan."""
    return SLOTS * len(plan.starts)


def takes_back(plan: Plan) -> bool:
    """Whether a RETURN takes back its rebate (every basis but ``GROSS_SALES``)."""
    return plan.basis is not RebateBasis.GROSS_SALES


def lines(
    plan: Plan, tallies: Sequence[Decimal]
) -> list[tuple[int, Decimal, Decimal, Decimal, Decimal]]:
    """The exact lines of the tallies: ``(index, start, end, slice, amount)`` per bracket.

    One line per bracket a transaction reached (GRADUATED: every bracket up to the highest
    reached); ``end`` is ``start + slice`` for GRADUATED, the sum of the tier figures for VOLUME
    and FLAT. Computed in the kernel's ``CONTEXT``.
    """
    starts, rates, flats = plan.starts, plan.rates, plan.flats
    count = len(starts)
    reached = [tallies[SLOTS * j + 1] > 0 for j in range(count)]
    add, sub, mul = CONTEXT.add, CONTEXT.subtract, CONTEXT.multiply
    out: list[tuple[int, Decimal, Decimal, Decimal, Decimal]] = []
    if plan.mode is not TierMode.GRADUATED:
        for j in range(count):
            if reached[j]:
                n, _, b, v = tallies[SLOTS * j : SLOTS * j + SLOTS]
                amount = add(mul(b, rates[j]), mul(n, flats[j]))
                out.append((j, starts[j], v, b, amount))
        return out
    top = max((j for j in range(count) if reached[j]), default=-1)
    above = _ZERO  # the signed count of the transactions whose top bracket is above j
    for j in range(top, -1, -1):
        n, b = tallies[SLOTS * j], tallies[SLOTS * j + 2]
        here = sub(b, mul(n, starts[j]))
        if j + 1 < count:
            here = add(mul(above, sub(starts[j + 1], starts[j])), here)
        above = add(above, n)
        amount = add(mul(here, rates[j]), mul(above, flats[j]))
        out.append((j, starts[j], add(starts[j], here), here, amount))
    out.reverse()
    return out
