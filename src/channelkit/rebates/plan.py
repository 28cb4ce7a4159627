"""What a policy allows, precomputed once: starts, rates and the cumulative bracket table.

A `Plan` is built from a [`RebatePolicy`][] the first time
the policy is used and kept on the policy (re-checked against the policy's fields by identity,
so ``model_copy(update=...)`` never reuses a stale plan). Every calculator computes the gross
rebate of a basis with the same operations on the same table (`Plan.gross_at` and the
batch loop), so the batch path and the result objects cannot disagree.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from channelkit.currencies import CURRENCIES
from channelkit.money import Money
from channelkit.numeric import CONTEXT, MAX_MAGNITUDE
from channelkit.rebates.models import Boundary, RebateBasis, RebatePolicy, TierMode
from channelkit.rebates.results import RebateLine, build

__all__ = ["Plan", "plan_of"]

_ZERO: Final = Decimal(0)
_KEY: Final = (
    "brackets",
    "mode",
    "boundary",
    "basis",
    "threshold",
    "cap",
    "currency",
    "rounding",
)
_SLOT: Final = "_channelkit_plan"
_BELOW_ZERO: Final = Decimal("-1e-35")  # above every negative input (they are at most -1e-34)
_SNAN: Final = Decimal("sNaN")  # any arithmetic on it traps InvalidOperation in CONTEXT
_TOP_REACH: Final = Decimal(10) ** MAX_MAGNITUDE
_TOP_EXCEED: Final = _TOP_REACH - Decimal("1e-19")  # the largest valid input (34 digits)


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
    table_starts: tuple[Decimal, ...]
    """``starts`` between two sentinels, for the batch path: a zero segment from just below 0
    and a top sentinel at the largest valid basis; see `_table`."""
    table_base: tuple[Decimal, ...]
    """``base`` aligned with ``table_starts`` (0 for the zero segment, sNaN for the top)."""
    table_rates: tuple[Decimal, ...]
    """``rates`` aligned with ``table_starts`` (0 for the zero segment, sNaN for the top)."""
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
    zero: Money
    """Zero in the currency."""
    has_flats: bool
    """Whether any bracket has a flat (the batch loop skips the add when none has)."""

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
        """``value`` rounded to the currency's minor unit with the policy's rounding."""
        return value.quantize(self.grid, rounding=self.rounding, context=CONTEXT)


def _build(policy: RebatePolicy) -> Plan:
    """Precompute a policy's plan.

    The batch tables make the hot loop branch-free: with ``k = bisect(table_starts, b) - 1``,
    a basis from 0 up to the first start lands in the zero segment (base 0, rate 0); a valid
    basis lands on its bracket; a negative basis gives ``k = -1`` and one at or above the input
    bound (10**15) gives the last index, both the sNaN entry, so the arithmetic traps and the
    caller re-checks the input to raise the proper error.
    """
    # ``model_copy(update=...)`` does not validate: accept an enum's value as well as the member
    mode, boundary = TierMode(policy.mode), Boundary(policy.boundary)
    brackets = policy.brackets[:1] if mode is TierMode.FLAT else policy.brackets
    starts = tuple(b.start for b in brackets)
    rates = tuple(b.rate for b in brackets)
    flats = tuple(b.flat for b in brackets)
    if mode is TierMode.GRADUATED:
        base: list[Decimal] = []
        below = _ZERO  # full slices and flats of the brackets under bracket i
        for i, b in enumerate(brackets):
            base.append(CONTEXT.add(below, b.flat))
            if i + 1 < len(brackets):
                whole = CONTEXT.multiply(CONTEXT.subtract(starts[i + 1], b.start), b.rate)
                below = CONTEXT.add(below, CONTEXT.add(whole, b.flat))
    else:
        base = list(flats)
    places = CURRENCIES[policy.currency]
    reach = boundary is Boundary.REACH
    top = _TOP_REACH if reach else _TOP_EXCEED
    cur = policy.currency
    spans = tuple(
        (j, starts[j], starts[j + 1], CONTEXT.subtract(starts[j + 1], starts[j]))
        for j in range(len(starts) - 1)
    )
    full_amounts = tuple(
        CONTEXT.add(CONTEXT.multiply(sl, rates[j]), flats[j]) for j, _, _, sl in spans
    )
    grid = Decimal(1).scaleb(-places)
    flat_money = tuple(Money._make(f, cur) for f in flats)
    full_lines = tuple(
        build(
            RebateLine,
            {
                "index": j,
                "start": start,
                "end": end,
                "slice": sl,
                "rate": rates[j],
                "flat": flat_money[j],
                "amount": Money._make(amount, cur),
            },
        )
        if amount == amount.quantize(grid, context=CONTEXT)
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
        zero=Money._make(_ZERO, cur),
        has_flats=any(flats),
        starts=starts,
        rates=rates,
        flats=flats,
        base=tuple(base),
        threshold=policy.threshold,
        cap=policy.cap,
        grid=grid,
        places=places,
        rounding=policy.rounding,
        table_starts=(_BELOW_ZERO, *starts, top),
        table_base=(_ZERO, *base, _SNAN),
        table_rates=(_ZERO, *rates, _SNAN),
    )


def plan_of(policy: RebatePolicy) -> Plan:
    """The policy's plan, built on first use and kept on the policy.

    The plan is stored in the instance ``__dict__`` beside the fields it was built from; it is
    reused only while those fields are the very same objects, so a copy with other brackets,
    threshold, cap, currency or rounding builds its own. (Pydantic ignores keys that are not
    fields when comparing, hashing and serialising models.)
    """
    d = policy.__dict__
    key = tuple(d[name] for name in _KEY)
    cached = d.get(_SLOT)
    if cached is not None:
        old_key, plan = cached
        if all(a is b for a, b in zip(old_key, key, strict=True)):
            return plan  # type: ignore[no-any-return]
    plan = _build(policy)
    d[_SLOT] = (key, plan)
    return plan
