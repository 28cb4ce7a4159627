"""The rebate engine: [`compute_rebate`][] (one basis, full result) and [`rebate_amounts`][].

Both compute the gross through the policy's precomputed `Plan`,
so the batch path gives exactly ``compute_rebate(...).amount`` for every basis.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation, localcontext
from typing import Any, Final

from channelkit.errors import CurrencyMismatchError, PolicyError
from channelkit.money import Money, largest_remainder
from channelkit.numeric import CONTEXT, DecimalLike, to_decimal
from channelkit.rebates.models import Boundary, RebateBasis, RebatePolicy, TierMode
from channelkit.rebates.plan import Plan, plan_of
from channelkit.rebates.results import (
    Adjustment,
    AdjustmentKind,
    NextBracket,
    RebateLine,
    RebateResult,
    build,
)
from channelkit.scoring import score
from channelkit.tiers import Tier

__all__ = ["compute_rebate", "rebate_amounts"]

_ZERO: Final = Decimal(0)
_INF: Final = Decimal("Infinity")

Metrics = Mapping[str, DecimalLike]
"""Metric values by key (the figures conditions and scorecards read)."""


def basis_value(policy: RebatePolicy, basis: object, name: str = "basis") -> Decimal:
    """Check a basis argument against ``policy`` and return it as a non-negative ``Decimal``."""
    if isinstance(basis, Money):
        if not RebateBasis(policy.basis).is_money:
            msg = (
                f"policy {policy.id} has a units basis: {name} must be a number of units, "
                f"not money ({basis})"
            )
            raise PolicyError(msg)
        if basis.currency != policy.currency:
            raise CurrencyMismatchError(policy.currency, basis.currency, f"policy {policy.id}")
        value = to_decimal(basis.amount, name)
    else:
        value = to_decimal(basis, name)
    if value < 0:
        msg = f"{name} must not be negative, got {value} (policy {policy.id})"
        raise PolicyError(msg)
    return value


def _metric_values(policy: RebatePolicy, metrics: Metrics | None) -> dict[str, Decimal]:
    supplied = metrics or {}
    needed = list(dict.fromkeys(c.metric for c in policy.conditions))
    missing = [key for key in needed if key not in supplied]
    if missing:
        msg = (
            f"policy {policy.id}: its conditions need metrics that were not supplied: "
            f"{', '.join(missing)}"
        )
        raise PolicyError(msg)
    return {key: to_decimal(supplied[key], f"metrics[{key!r}]") for key in needed}


def next_bracket(plan: Plan, basis: Decimal) -> NextBracket | None:
    """The next step above ``basis``: the threshold when not yet met, else the next bracket."""
    threshold = plan.threshold
    if threshold is not None and basis < threshold:
        at = plan.index(threshold)
        if at >= 0:
            return build(
                NextBracket,
                {
                    "index": at,
                    "start": threshold,
                    "rate": plan.rates[at],
                    "gap": CONTEXT.subtract(threshold, basis),
                    "amount_at_start": Money._make(plan.gross_at(threshold, at), plan.currency),
                },
            )
    j = plan.index(basis) + 1
    if j >= len(plan.starts):
        return None
    start = plan.starts[j]
    return build(
        NextBracket,
        {
            "index": j,
            "start": start,
            "rate": plan.rates[j],
            "gap": CONTEXT.subtract(start, basis),
            "amount_at_start": plan.at_start[j],
        },
    )


def _lines(plan: Plan, basis: Decimal, i: int, gross: Decimal) -> list[RebateLine]:
    """The lines of bracket ``i`` applied to ``basis``, rounded by largest remainder."""
    rates, flats = plan.rates, plan.flats
    if plan.mode is TierMode.GRADUATED:
        top = CONTEXT.subtract(basis, plan.starts[i])
        spans = [*plan.spans[:i], (i, plan.starts[i], basis, top)]
        exact = [*plan.full[:i], CONTEXT.add(CONTEXT.multiply(top, rates[i]), flats[i])]
    else:
        spans = [(i, plan.starts[i], basis, basis)]
        exact = [CONTEXT.add(CONTEXT.multiply(basis, rates[i]), flats[i])]
    rounded = largest_remainder(exact, plan.places, plan.round(gross))
    cur, flat_money, prebuilt = plan.currency, plan.flat_money, plan.full_lines
    lines: list[RebateLine] = []
    for (j, start, end, sl), r in zip(spans, rounded, strict=True):
        # a full slice already on the grid has no remainder, so largest remainder never gives
        # it a unit (the units missing are fewer than the lines with a remainder): reuse it
        line = prebuilt[j] if j < i else None
        if line is None:
            line = build(
                RebateLine,
                {
                    "index": j,
                    "start": start,
                    "end": end,
                    "slice": sl,
                    "rate": rates[j],
                    "flat": flat_money[j],
                    "amount": Money._make(r, cur),
                },
            )
        lines.append(line)
    return lines


def _adjustment(kind: AdjustmentKind, amount: Money, **fields: Any) -> Adjustment:
    values: dict[str, Any] = {
        "kind": kind,
        "reason": "",
        "factor": fields.get("factor"),
        "subject": fields.get("subject"),
        "value": fields.get("value"),
        "condition": fields.get("condition"),
        "amount": amount,
    }
    adj = build(Adjustment, values)
    values["reason"] = adj.describe("en")
    return adj


def evaluate(
    policy: RebatePolicy,
    basis: Decimal,
    *,
    metrics: Metrics | None = None,
    tier: Tier | None = None,
    plan: Plan | None = None,
) -> RebateResult:
    """The full result for a checked ``basis`` (below zero only from a settlement)."""
    if plan is None:
        plan = plan_of(policy)
    cur = policy.currency
    values = _metric_values(policy, metrics) if policy.conditions else {}
    i = plan.applied(basis) if basis >= 0 else -1
    gross = plan.gross_at(basis, i) if i >= 0 else _ZERO
    lines = _lines(plan, basis, i, gross) if i >= 0 else []
    total = gross
    before = plan.round(gross)
    adjustments: list[Adjustment] = []
    total_score: Decimal | None = None
    if policy.conditions or policy.payout or tier is not None or plan.cap is not None:

        def apply(kind: AdjustmentKind, new_total: Decimal, **fields: Any) -> None:
            nonlocal total, before
            total = new_total
            after = plan.round(total)
            amount = Money._make(CONTEXT.subtract(after, before), cur)
            adjustments.append(_adjustment(kind, amount, **fields))
            before = after

        with localcontext(CONTEXT):
            for c in policy.conditions:
                value = values[c.metric]
                if not c.met(value):
                    apply(
                        AdjustmentKind.CONDITION,
                        total * c.factor,
                        factor=c.factor,
                        subject=c.metric,
                        value=value,
                        condition=c,
                    )
            if policy.payout and policy.scorecard is not None:
                total_score = score(policy.scorecard, metrics or {}).total
                factor = _ZERO
                for step in policy.payout:
                    if step.min_score <= total_score:
                        factor = step.factor
                apply(AdjustmentKind.PAYOUT, total * factor, factor=factor, value=total_score)
            if tier is not None:
                m = tier.benefits.rebate_multiplier
                apply(AdjustmentKind.TIER, total * m, factor=m, subject=tier.code)
            if plan.cap is not None and total > plan.cap:
                apply(AdjustmentKind.CAP, plan.cap, value=plan.cap)
    return build(
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
        },
    )


def compute_rebate(
    policy: RebatePolicy,
    basis: DecimalLike | Money,
    *,
    metrics: Metrics | None = None,
    tier: Tier | None = None,
) -> RebateResult:
    r"""The rebate ``policy`` gives ``basis``, with its lines, adjustments and next step.

    Parameters
    ----------
    policy
        The rebate policy.
    basis
        The basis: a number (money in the policy's currency, or units for a ``UNITS`` basis;
        for ``INCREMENTAL`` the growth above the baseline) or ``Money`` in the policy's currency.
    metrics
        Metric values by key, read by the policy's conditions and scorecard.
    tier
        The partner's tier; its ``benefits.rebate_multiplier`` multiplies the rebate.

    Returns
    -------
    RebateResult
        Lines, gross, adjustments, the rounded ``amount``, ``effective_rate``, ``next_bracket``.

    Raises
    ------
    PolicyError
        A negative basis, ``Money`` for a units basis, or a metric a condition names missing
        from ``metrics`` (or from a scorecard whose ``missing`` rule is RAISE).
    CurrencyMismatchError
        ``basis`` is ``Money`` in another currency than the policy's.

    Notes
    -----
    With starts $s_0 < s_1 < \dots$, rates $r_j$, flats $f_j$ and $i$
    the highest bracket reached (REACH: $s_i \le x$; EXCEED: $s_i < x$):

    $$
    \text{GRADUATED: } g = \sum_{j<i} \big((s_{j+1}-s_j) r_j + f_j\big) + (x - s_i) r_i + f_i
    \qquad \text{VOLUME: } g = x r_i + f_i \qquad \text{FLAT: } g = x r_0 + f_0
    $$

    A basis below the threshold (``x < threshold``, whatever the boundary) or below the first
    bracket earns nothing. Then, in this order: each condition not met multiplies by its
    factor; the payout step (highest ``min_score`` not above the score, else 0) multiplies;
    the tier multiplier multiplies; the cap bounds; the total is rounded once with
    ``policy.rounding``. Lines are rounded by largest remainder to sum to the rounded gross,
    and each adjustment is the difference of the rounded totals around it.

    Examples
    --------
    >>> from channelkit import Bracket, RebatePolicy
    >>> ladder = RebatePolicy(id="LADDER", name="Ladder", currency="CNY", brackets=(
    ...     Bracket(start=10_000, rate="0.02"), Bracket(start=50_000, rate="0.03"),
    ...     Bracket(start=100_000, rate="0.04"), Bracket(start=500_000, rate="0.05")))
    >>> r = compute_rebate(ladder, 120_000)
    >>> r.amount, [line.amount.amount for line in r.lines]
    (Money('3100.00', 'CNY'), [Decimal('800.00'), Decimal('1500.00'), Decimal('800.00')])
    >>> r.next_bracket.gap, r.next_bracket.amount_at_start
    (Decimal('380000'), Money('18300.00', 'CNY'))
    """
    return evaluate(policy, basis_value(policy, basis), metrics=metrics, tier=tier)


def rebate_amounts(policy: RebatePolicy, bases: Iterable[DecimalLike | Money]) -> list[Decimal]:
    """Rounded rebate amounts for many bases at once: the batch path.

    Parameters
    ----------
    policy
        A policy without conditions or payout (those need per-item metrics).
    bases
        Bases as accepted by [`compute_rebate`][].

    Returns
    -------
    list of Decimal
        ``compute_rebate(policy, b).amount.amount`` for each ``b``, in order, as plain decimals.

    Raises
    ------
    PolicyError
        The policy has conditions or payout steps, or a basis is negative or ``Money`` for a
        units basis.
    CurrencyMismatchError
        A ``Money`` basis in another currency.

    Notes
    -----
    The policy's cumulative bracket table is computed once; each basis costs one bisection,
    one multiply-add, the threshold and cap comparisons and one ``quantize``. There is no tier
    argument: the tier multiplier is 1.

    Examples
    --------
    >>> from channelkit import Bracket, RebatePolicy
    >>> ladder = RebatePolicy(id="L", name="L", currency="CNY", cap=2_000, brackets=(
    ...     Bracket(start=10_000, rate="0.02"), Bracket(start=50_000, rate="0.03")))
    >>> rebate_amounts(ladder, [Decimal(5_000), 60_000, "200000"])
    [Decimal('0.00'), Decimal('1100.00'), Decimal('2000.00')]
    """
    if policy.conditions or policy.payout:
        msg = (
            f"policy {policy.id} has conditions or payout steps, which need each partner's "
            "metrics: use compute_rebate (or settle_all) instead of rebate_amounts"
        )
        raise PolicyError(msg)
    plan = plan_of(policy)
    items: Sequence[object] = bases if isinstance(bases, list | tuple) else list(bases)
    try:
        return _amounts(plan, items, lambda b: basis_value(policy, b, "bases item"))
    except (InvalidOperation, TypeError):  # a NaN or an odd type: report it properly
        for b in items:
            basis_value(policy, b, "bases item")
        raise  # pragma: no cover - every input that fails above also fails the check


def _amounts(
    plan: Plan, items: Sequence[object], check: Callable[[object], Decimal]
) -> list[Decimal]:
    """The hot loop: one bisection, one multiply-add, one quantize per basis."""
    starts, base, rates = plan.table_starts, plan.table_base, plan.table_rates
    grid, rounding = plan.grid, plan.rounding
    find = bisect_right if plan.reach else bisect_left
    graduated = plan.mode is TierMode.GRADUATED
    out: list[Decimal] = []
    append = out.append
    with localcontext(CONTEXT):
        if plan.threshold is None and plan.cap is None:
            if graduated:
                for b in items:
                    if type(b) is not Decimal:
                        b = check(b)
                    k = find(starts, b) - 1
                    append((base[k] + (b - starts[k]) * rates[k]).quantize(grid, rounding))
            elif plan.has_flats:
                for b in items:
                    if type(b) is not Decimal:
                        b = check(b)
                    k = find(starts, b) - 1
                    append((base[k] + b * rates[k]).quantize(grid, rounding))
            else:  # VOLUME or FLAT without flats: the rate on the whole basis
                for b in items:
                    if type(b) is not Decimal:
                        b = check(b)
                    k = find(starts, b) - 1
                    append((b * rates[k]).quantize(grid, rounding))
            return out
        threshold = plan.threshold if plan.threshold is not None else _ZERO
        cap = plan.cap if plan.cap is not None else _INF
        zero = _ZERO.quantize(grid)
        for b in items:
            if type(b) is not Decimal:
                b = check(b)
            k = find(starts, b) - 1
            g = base[k] + (b - starts[k]) * rates[k] if graduated else base[k] + b * rates[k]
            if b < threshold:
                append(zero)
            else:
                append((cap if g > cap else g).quantize(grid, rounding))
    return out
