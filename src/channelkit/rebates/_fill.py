"""The ladder filled under dated terms, and the result it gives (for ``_versioned``).

Rows that count fill the ladder in date order (then id order), each slice tagged with the
version in force on its transaction's date; a RETURN unfills it last-filled-first. Versions come
in date order, so every version fills one contiguous part of the ladder, and the lines of the
result are the parts of the brackets each version filled, priced at that version's rates.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import Final

from channelkit.model import trusted
from channelkit.money import Money, largest_remainder
from channelkit.numeric import CONTEXT
from channelkit.rebates.engine import (
    Metrics,
    _metric_values,
    adjust,
    next_bracket,
    rounded,
)
from channelkit.rebates.models import Boundary, RebateBasis, SettleUnit, TierMode
from channelkit.rebates.plan import Plan
from channelkit.rebates.results import RebateLine, RebateResult
from channelkit.rebates.versions import PolicyVersions
from channelkit.tiers import Tier
from channelkit.transactions import TransactionKind

__all__ = ["Part", "Row", "Step", "figures", "fill", "steps", "versioned_result"]

_ZERO: Final = Decimal(0)
_SALE: Final = TransactionKind.SALE
_RETURN: Final = TransactionKind.RETURN
_PAYMENT: Final = TransactionKind.PAYMENT

Row = tuple[dt.date, str, TransactionKind, Decimal, Decimal]
"""A transaction that counts, as the settlement reads it: date, id, kind, amount, quantity."""
Step = tuple[int, Decimal]
"""A transaction's step of the fill: the index of its version, what it adds to the basis."""


# -- filling the ladder ----------------------------------------------------------------------------


@dataclass(slots=True)
class Part:
    """The part ``[lo, hi)`` of the ladder filled under the version at ``version``."""

    lo: Decimal
    hi: Decimal
    version: int


def figures(rows: list[Row]) -> list[Decimal]:
    """``[sales, returns, collections, net units]`` of the rows, summed in input order."""
    sales = returns = collections = units = _ZERO
    with localcontext(CONTEXT):
        for _, _, kind, amount, quantity in rows:
            if kind is _SALE:
                sales += amount
                units += quantity
            elif kind is _RETURN:
                returns += amount
                units -= quantity
            else:
                collections += amount
    return [sales, returns, collections, units]


def steps(rows: list[Row], basis: RebateBasis, starts: list[dt.date]) -> list[Step]:
    """The rows' steps in fill order: date order, then id order (ties in input order).

    ``starts`` are the versions' first days, ascending; a row that adds nothing to the basis
    (a payment for net sales, a return for gross sales...) gives no step.
    """
    out: list[Step] = []
    with localcontext(CONTEXT):
        for day, _, kind, amount, qty in sorted(rows, key=lambda r: (r[0], r[1])):
            if basis is RebateBasis.COLLECTIONS:
                c = amount if kind is _PAYMENT else _ZERO
            elif kind is _SALE:
                c = qty if basis is RebateBasis.UNITS else amount
            elif kind is _RETURN and basis is not RebateBasis.GROSS_SALES:
                c = -(qty if basis is RebateBasis.UNITS else amount)
            else:
                c = _ZERO
            if c:
                out.append((bisect_right(starts, day) - 1, c))
    return out


def fill(steps: Iterable[Step]) -> list[Part]:
    """The ladder's fill after ``steps``, in their order.

    A positive step first refills what returns took below 0 (earning nothing), then fills from
    the level up under its version; a negative one unfills from the top, last-filled-first, and
    below 0 once nothing is left. Versions never decrease along the steps, so the parts
    returned cover ``[0, basis)`` bottom up, one per version at most.
    """
    parts: list[Part] = []
    level = _ZERO
    with localcontext(CONTEXT):
        for v, c in steps:
            if c > 0:
                if level < 0:
                    cover = min(c, -level)
                    level += cover
                    c -= cover
                    if not c:
                        continue
                top = parts[-1] if parts else None
                if top is not None and top.version == v:
                    top.hi = level = level + c
                else:
                    parts.append(Part(level, level + c, v))
                    level += c
            else:
                take = -c
                while take > 0 and parts:
                    top = parts[-1]
                    width = top.hi - top.lo
                    if width <= take:
                        parts.pop()
                        take -= width
                        level = top.lo
                    else:
                        top.hi = level = top.hi - take
                        take = _ZERO
                level -= take
    return parts


# -- the result ------------------------------------------------------------------------------------


def _line_spans(
    plan: Plan, basis: Decimal, i: int, parts: list[Part], end: int
) -> list[tuple[int, Decimal, Decimal, int]]:
    """``(bracket, start, end, version)`` of each line, bracket by bracket, bottom up.

    GRADUATED: the parts of each bracket reached each version filled; VOLUME and FLAT: each
    version's part of the whole basis, in the bracket reached. A bracket whose flat is paid, or
    that no version filled (a basis at its start), gets a line of the version in force at the
    period's end, empty when that version filled none of it.
    """
    spans: list[tuple[int, Decimal, Decimal, int]] = []
    graduated = plan.mode is TierMode.GRADUATED
    for j in range(i + 1) if graduated else (i,):
        low = plan.starts[j] if graduated else _ZERO
        high = plan.starts[j + 1] if graduated and j < i else basis
        here = [
            (j, max(p.lo, low), min(p.hi, high), p.version)
            for p in parts
            if max(p.lo, low) < min(p.hi, high)
        ]
        if (plan.flats[j] or not here) and all(v != end for *_, v in here):
            here.append((j, high, high, end))
        spans.extend(here)
    return spans


def versioned_result(
    versions: PolicyVersions,
    plans: list[Plan],
    end: int,
    basis: Decimal,
    parts: list[Part],
    *,
    metrics: Metrics | None,
    tier: Tier | None,
    metrics_name: str,
) -> RebateResult:
    """The result of the filled ladder: lines per bracket and version, then the adjustments.

    The adjustments are the engine's, in its order, with the terms of the version at ``end``
    (in force on the period's last day); so is ``next_bracket``.
    """
    policy, plan = versions.versions[end], plans[end]
    cur = policy.currency
    values = _metric_values(policy, metrics, metrics_name) if policy.conditions else {}
    i = plan.applied(basis) if basis >= 0 else -1
    spans = _line_spans(plan, basis, i, parts, end) if i >= 0 else []
    with localcontext(CONTEXT):
        exact = [
            (hi - lo) * plans[v].rates[j] + (plan.flats[j] if v == end else _ZERO)
            for j, lo, hi, v in spans
        ]
        gross = sum(exact, _ZERO)
    before = rounded(policy, plan, gross, "the gross rebate")
    amounts = largest_remainder(exact, plan.places, before) if spans else []
    zero = Money.zero(cur)
    lines = [
        trusted(
            RebateLine,
            {
                "index": j,
                "start": lo,
                "end": hi,
                "slice": CONTEXT.subtract(hi, lo),
                "rate": plans[v].rates[j],
                "flat": plan.flat_money[j] if v == end else zero,
                "amount": Money._make(r, cur),
                "valid": versions.versions[v].valid,
            },
        )
        for (j, lo, hi, v), r in zip(spans, amounts, strict=True)
    ]
    before, adjustments, total_score = adjust(
        policy, plan, gross, before, metrics=metrics, tier=tier, values=values
    )
    return trusted(
        RebateResult,
        {
            "policy_id": policy.id,
            "basis_kind": plan.basis,
            "mode": plan.mode,
            "boundary": Boundary.REACH if plan.reach else Boundary.EXCEED,
            "basis": basis,
            "threshold": policy.threshold,
            "lines": tuple(lines),
            "gross": Money._make(gross, cur),
            "adjustments": tuple(adjustments),
            "amount": Money._make(before, cur),
            "effective_rate": CONTEXT.divide(before, basis) if basis > 0 else _ZERO,
            "next_bracket": next_bracket(plan, basis),
            "score": total_score,
            # versions refuse tier_basis and per=TRANSACTION (versions._UNSUPPORTED)
            "tier_basis": None,
            "tier_value": None,
            "per": SettleUnit.PERIOD,
        },
    )
