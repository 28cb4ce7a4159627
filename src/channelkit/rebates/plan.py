"""What a policy allows, precomputed once: starts, rates and the cumulative bracket table.

A `Plan` is built from a ``RebatePolicy`` the first time an equal policy is used and kept in a
small module-level cache keyed by the policy itself (policies are frozen and hash by value), so a
policy read again from JSON reuses it too. Every calculator computes the gross rebate of a basis
with the same operations on the same table (`Plan.gross_at` and the batch loop), so the batch
path and the result objects cannot disagree.

The batch path is fenced: a basis enters its loop only through `FENCE` (the input bounds of
``channelkit.numeric`` as a context whose every signal traps) and the table's sentinels (a
negative basis, or one at or above `TOP`, meets a signalling NaN); whatever trips either is
computed by the code of ``compute_rebate``, so the batch path refuses exactly what
``compute_rebate`` refuses.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from decimal import (
    ROUND_HALF_EVEN,
    Clamped,
    Context,
    Decimal,
    DecimalException,
    Inexact,
    InvalidOperation,
    Overflow,
    Rounded,
    Subnormal,
    Underflow,
)
from threading import Lock
from typing import Final

from channelkit.currencies import CURRENCIES
from channelkit.model import trusted
from channelkit.money import Money
from channelkit.numeric import CONTEXT, MAX_DIGITS, MAX_MAGNITUDE, grid
from channelkit.rebates.models import Boundary, RebateBasis, RebatePolicy, SettleUnit, TierMode
from channelkit.rebates.results import RebateLine

__all__ = ["FENCE", "MAX_PLANS", "TOP", "Plan", "plan_of"]

_ZERO: Final = Decimal(0)
_SNAN: Final = Decimal("sNaN")  # any arithmetic on it traps InvalidOperation in CONTEXT

TOP: Final = Decimal((0, (1,), MAX_MAGNITUDE))
"""``10 ** MAX_MAGNITUDE``, the least basis above the input bound: the batch table's top key."""

SMALLEST: Final = Decimal((0, (1,), -MAX_DIGITS))
"""``10 ** -MAX_DIGITS``, the least valid basis above zero."""

FENCE: Final = Context(
    prec=MAX_DIGITS,
    rounding=ROUND_HALF_EVEN,
    Emax=MAX_MAGNITUDE - 1,
    Emin=-MAX_DIGITS,
    traps=[InvalidOperation, Overflow, Underflow, Subnormal, Rounded, Clamped],
)
"""The input bounds as a context: ``FENCE.plus(b)`` returns ``b`` (``-0`` as ``0``) when ``b``
is a finite ``Decimal`` of at most ``MAX_DIGITS`` digits, below ``10 ** MAX_MAGNITUDE`` in
absolute value and zero or at least ``10 ** -MAX_DIGITS`` in magnitude; otherwise it traps
(NaN and the infinities pass, and meet the table's sentinels). A zero with a far exponent, which
``to_decimal`` reads as 0, traps too and is read that way by the
slow path."""

_EXACT: Final = Context(prec=3 * MAX_DIGITS, traps=[Inexact, InvalidOperation, Overflow])

MAX_PLANS: Final = 256
"""How many plans the cache keeps (the oldest built is dropped first)."""


@dataclass(frozen=True, slots=True)
class Plan:
    """The arithmetic a policy allows, ready for a hot loop."""

    mode: TierMode
    reach: bool
    basis: RebateBasis
    currency: str
    starts: tuple[Decimal, ...]
    """Bracket starts (FLAT: the first only)."""
    rates: tuple[Decimal, ...]
    flats: tuple[Decimal, ...]
    base: tuple[Decimal, ...]
    """Gross at the moment bracket ``i`` is reached (GRADUATED: every full slice below it and the
    flats of brackets ``0..i``; VOLUME and FLAT: the bracket's own flat)."""
    threshold: Decimal | None
    cap: Decimal | None
    grid: Decimal
    """One minor unit of the currency (``Decimal('0.01')`` for CNY)."""
    places: int
    rounding: str
    table_keys: tuple[Decimal, ...]
    """The batch path's segments, for ``bisect_right``: a basis ``b`` lands in segment
    ``k = bisect_right(table_keys, b) - 1``. Segment 0 starts at 0 and pays nothing; the
    threshold, when set, starts a segment and every segment below it pays nothing; the last key
    is `TOP`. A negative basis gives ``k = -1``, which Python reads
    as the last entry, so both ends meet the signalling NaN of the other tables."""
    table_base: tuple[Decimal, ...]
    """``base`` aligned with ``table_keys`` (0 for the segments that pay nothing, sNaN last)."""
    table_offs: tuple[Decimal, ...]
    """GRADUATED: the start the slice is measured from (0 below the first bracket, sNaN last)."""
    table_rates: tuple[Decimal, ...]
    """``rates`` aligned with ``table_keys`` (0 for the segments that pay nothing, sNaN last)."""
    sliced: bool
    """GRADUATED: the rate applies to ``b - table_offs[k]`` rather than to ``b``."""
    based: bool
    """Whether any ``table_base`` is not 0 (otherwise the loop skips the add)."""
    spans: tuple[tuple[int, Decimal, Decimal, Decimal], ...]
    """GRADUATED: each bracket's full slice below the next start: index, start, end, slice."""
    full: tuple[Decimal, ...]
    """GRADUATED: the exact amount of each full slice (``slice x rate + flat``)."""
    flat_money: tuple[Money, ...]
    """Each bracket's flat as ``Money``."""
    full_lines: tuple[RebateLine | None, ...]
    """GRADUATED: the line of each full slice, prebuilt when its amount is on the minor-unit
    grid (largest remainder then never changes it, so every result can share the object)."""
    at_start: tuple[Money, ...]
    """The gross at each bracket's start with that bracket applied (``amount_at_start``)."""
    tier_basis: RebateBasis | None = None
    """The figure that picks the bracket when it is not the basis (VOLUME and FLAT only)."""
    per_transaction: bool = False
    """Whether each sale and return is tiered on its own (``per=TRANSACTION``)."""
    allow_negative: bool = False
    """Whether a basis below zero earns the first bracket's rate (``allow_negative``)."""

    def index(self, basis: Decimal) -> int:
        """Position of the highest bracket ``basis`` reaches, -1 when none (threshold ignored)."""
        if self.reach:
            return bisect_right(self.starts, basis) - 1
        return bisect_left(self.starts, basis) - 1

    def applied(self, basis: Decimal) -> int:
        """Like `index`, but -1 also when ``basis`` is below the threshold."""
        if self.threshold is not None and basis < self.threshold:
            return -1
        return self.index(basis)

    def gross_at(self, basis: Decimal, i: int) -> Decimal:
        """The exact gross rebate of ``basis`` with bracket ``i`` applied (``i >= 0``)."""
        with_rate = CONTEXT.multiply
        if self.mode is TierMode.GRADUATED:
            slice_ = CONTEXT.subtract(basis, self.starts[i])
            return CONTEXT.add(self.base[i], with_rate(slice_, self.rates[i]))
        return CONTEXT.add(self.base[i], with_rate(basis, self.rates[i]))

    def round(self, value: Decimal) -> Decimal:
        """``value`` rounded to the currency's minor unit with the policy's rounding.

        Traps ``InvalidOperation`` when the rounded value needs more than 34 digits; the engine
        reports that as a ``PolicyError``.
        """
        return value.quantize(self.grid, rounding=self.rounding, context=CONTEXT)


def _above(start: Decimal) -> Decimal:
    """A key between ``start`` and every valid basis above it, for an EXCEED bracket.

    A valid basis above a start ``s > 0`` (both of at most 34 digits) exceeds it by a multiple of
    ``10 ** (s.adjusted() - 33)``, so ``s + 10 ** (s.adjusted() - 34)`` lies strictly between;
    above a zero start, the least valid basis is `SMALLEST`.
    """
    if not start:
        return SMALLEST
    return _EXACT.add(start, Decimal((0, (1,), start.adjusted() - MAX_DIGITS)))


def _table(
    mode: TierMode,
    reach: bool,
    starts: tuple[Decimal, ...],
    rates: tuple[Decimal, ...],
    base: tuple[Decimal, ...],
    threshold: Decimal | None,
) -> tuple[tuple[Decimal, ...], ...]:
    """The batch path's segment tables: keys, base, offsets and rates (see `Plan.table_keys`).

    Every key is the least basis of its segment for ``bisect_right`` whatever the boundary: an
    EXCEED bracket starts at `_above` its start, and the
    threshold (met at ``basis >= threshold`` under either boundary) at itself.
    """
    keys = starts if reach else tuple(_above(s) for s in starts)
    offs = starts if mode is TierMode.GRADUATED else (_ZERO,) * len(starts)
    nothing = (_ZERO, _ZERO, _ZERO, _ZERO)
    segments = [nothing, *zip(keys, base, offs, rates, strict=True)]
    if threshold is not None:
        at = bisect_right([key for key, *_ in segments], threshold) - 1
        segments = [nothing, (threshold, *segments[at][1:]), *segments[at + 1 :]]
    columns = list(zip(*segments, strict=True))
    return (
        (*columns[0], TOP),
        (*columns[1], _SNAN),
        (*columns[2], _SNAN),
        (*columns[3], _SNAN),
    )


def _build(policy: RebatePolicy) -> Plan:
    """Precompute a policy's plan.

    Zeros are read without their sign (a ``-0`` rate, start, flat, threshold or cap is a valid
    non-negative input), so no computed rebate is a ``-0``.
    """
    # ``model_copy(update=...)`` does not validate: accept an enum's value as well as the member
    mode, boundary = TierMode(policy.mode), Boundary(policy.boundary)
    brackets = policy.brackets[:1] if mode is TierMode.FLAT else policy.brackets
    starts = tuple(b.start.copy_abs() for b in brackets)
    rates = tuple(b.rate.copy_abs() for b in brackets)
    flats = tuple(b.flat.copy_abs() for b in brackets)
    if mode is TierMode.GRADUATED:
        base: list[Decimal] = []
        below = _ZERO  # full slices and flats of the brackets under bracket i
        for i, flat in enumerate(flats):
            base.append(CONTEXT.add(below, flat))
            if i + 1 < len(starts):
                whole = CONTEXT.multiply(CONTEXT.subtract(starts[i + 1], starts[i]), rates[i])
                below = CONTEXT.add(below, CONTEXT.add(whole, flat))
    else:
        base = list(flats)
    places = CURRENCIES[policy.currency]
    reach = boundary is Boundary.REACH
    threshold = None if policy.threshold is None else policy.threshold.copy_abs()
    cap = None if policy.cap is None else policy.cap.copy_abs()
    cur = policy.currency
    spans = tuple(
        (j, starts[j], starts[j + 1], CONTEXT.subtract(starts[j + 1], starts[j]))
        for j in range(len(starts) - 1)
    )
    full_amounts = tuple(
        CONTEXT.add(CONTEXT.multiply(sl, rates[j]), flats[j]) for j, _, _, sl in spans
    )
    unit = grid(places)
    flat_money = tuple(Money._make(f, cur) for f in flats)
    full_lines = tuple(
        trusted(
            RebateLine,
            {
                "index": j,
                "start": start,
                "end": end,
                "slice": sl,
                "rate": rates[j],
                "flat": flat_money[j],
                "amount": Money._make(amount, cur),
                "valid": None,
            },
        )
        if _on_grid(amount, unit)
        else None
        for (j, start, end, sl), amount in zip(spans, full_amounts, strict=True)
    )
    at_start = tuple(  # what ``gross_at(starts[j], j)`` gives, computed the same way
        Money._make(
            CONTEXT.add(
                base[j],
                CONTEXT.multiply(
                    CONTEXT.subtract(s, s) if mode is TierMode.GRADUATED else s, rates[j]
                ),
            ),
            cur,
        )
        for j, s in enumerate(starts)
    )
    keys, table_base, offs, table_rates = _table(mode, reach, starts, rates, tuple(base), threshold)
    return Plan(
        mode=mode,
        reach=reach,
        basis=RebateBasis(policy.basis),
        currency=cur,
        spans=spans,
        full=full_amounts,
        flat_money=flat_money,
        full_lines=full_lines,
        at_start=at_start,
        starts=starts,
        rates=rates,
        flats=flats,
        base=tuple(base),
        threshold=threshold,
        cap=cap,
        grid=unit,
        places=places,
        rounding=policy.rounding,
        table_keys=keys,
        table_base=table_base,
        table_offs=offs,
        table_rates=table_rates,
        sliced=mode is TierMode.GRADUATED,
        based=any(base),
        tier_basis=None if policy.tier_basis is None else RebateBasis(policy.tier_basis),
        per_transaction=SettleUnit(policy.per) is SettleUnit.TRANSACTION,
        allow_negative=bool(policy.allow_negative),
    )


def _on_grid(amount: Decimal, unit: Decimal) -> bool:
    """Whether ``amount`` is a whole number of ``unit``s (False when too large to tell)."""
    try:
        return amount == amount.quantize(unit, context=CONTEXT)
    except DecimalException:  # more than 34 digits at the unit: no result can reach this line
        return False


_PLANS: dict[RebatePolicy, tuple[RebatePolicy, Plan]] = {}
_LOCK: Final = Lock()
_last: tuple[RebatePolicy, Plan] | None = None


def plan_of(policy: RebatePolicy) -> Plan:
    """The policy's plan: from the cache when an equal policy was planned, else built now.

    The cache is a module-level dictionary keyed by the policy (frozen, hashed by value), bounded
    to `MAX_PLANS` entries, the oldest built dropped first; nothing is stored on the policy.
    Policies that are equal may still write a number differently (``Decimal("0.02")`` and
    ``Decimal("0.020")``); a plan is reused only when the figures it was built from are written
    the same way, so a result never depends on which of two equal policies was planned first.
    Hashing a policy costs a few microseconds, so the last policy looked up is also remembered
    (a strong reference, so the identity test is safe) and a loop over one policy skips the
    hash. Reads take no lock; building and inserting do.
    """
    global _last  # one remembered pair, replaced whole (an atomic assignment)
    last = _last
    if last is not None and last[0] is policy:
        return last[1]
    entry = _PLANS.get(policy)
    if entry is not None and (entry[0] is policy or _same_figures(entry[0], policy)):
        plan = entry[1]
    else:
        plan = _build(policy)
        with _LOCK:
            _PLANS[policy] = (policy, plan)
            while len(_PLANS) > MAX_PLANS:
                del _PLANS[next(iter(_PLANS))]
    _last = (policy, plan)
    return plan


def _same_figures(a: RebatePolicy, b: RebatePolicy) -> bool:
    """Whether two equal policies write every figure of their plan the same way (sign included).

    ``compare_total`` is 0 only for the same coefficient, exponent and sign; the policies are
    equal, so their optional figures are ``None`` together and their ladders have one length.
    """
    for x, y in ((a.threshold, b.threshold), (a.cap, b.cap)):
        if x is not None and y is not None and x.compare_total(y):
            return False
    for p, q in zip(a.brackets, b.brackets, strict=True):
        if p is not q and (
            p.start.compare_total(q.start)
            or p.rate.compare_total(q.rate)
            or p.flat.compare_total(q.flat)
        ):
            return False
    return True
