"""The rebate engine: [`compute_rebate`][] (one basis, full result) and [`rebate_amounts`][].

Both compute the gross through the policy's precomputed `Plan`,
so the batch path gives exactly ``compute_rebate(...).amount`` for every basis.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal, DecimalException, localcontext
from typing import TYPE_CHECKING, Any, Final, overload

from channelkit._tables import is_array
from channelkit.errors import ArgumentTypeError, PolicyError
from channelkit.model import trusted
from channelkit.money import Money, largest_remainder
from channelkit.numeric import CONTEXT, MAX_DIGITS, DecimalLike, add_all, decimal_text, to_decimal
from channelkit.rebates._checks import Metrics as Metrics
from channelkit.rebates._checks import basis_value as basis_value
from channelkit.rebates._checks import check_options as check_options
from channelkit.rebates._checks import check_policy as check_policy
from channelkit.rebates._checks import refuse_tier_basis, tier_figure
from channelkit.rebates._lines import bracket_lines, line, spans, threshold_step
from channelkit.rebates._lines import next_bracket as next_bracket
from channelkit.rebates.models import Boundary, RebatePolicy, SettleUnit
from channelkit.rebates.plan import FENCE, Plan, plan_of
from channelkit.rebates.results import (
    Adjustment,
    AdjustmentKind,
    RebateResult,
    describe,
)
from channelkit.scoring import Scorecard, score
from channelkit.tiers import Tier

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["compute_rebate", "rebate_amounts"]

_ZERO: Final = Decimal(0)


def _metric_values(policy: RebatePolicy, metrics: Metrics | None, name: str) -> dict[str, Decimal]:
    supplied = metrics or {}
    needed = list(dict.fromkeys(c.metric for c in policy.conditions))
    missing = [key for key in needed if key not in supplied]
    if missing:
        msg = (
            f"policy {policy.id}: its conditions need metrics missing from {name}: "
            f"{', '.join(missing)}"
        )
        raise PolicyError(msg, policy=policy.id, metric=missing[0])
    return {key: to_decimal(supplied[key], f"{name}[{key!r}]") for key in needed}


def _score(policy: RebatePolicy, card: Scorecard, metrics: Metrics | None) -> Decimal:
    """The scorecard total of ``metrics``, a scorecard's own refusal naming the policy."""
    supplied = metrics or {}
    try:
        return score(card, supplied).total
    except PolicyError as err:  # the scorecard's RAISE rule: say which policy and metric
        metric = err.metric or next(
            (m.key for m in card.metrics if supplied.get(m.key) is None), None
        )
        raise PolicyError(f"policy {policy.id}: {err}", policy=policy.id, metric=metric) from None


def rounded(policy: RebatePolicy, plan: Plan, value: Decimal, what: str) -> Decimal:
    """``value`` rounded to the minor unit, never a ``decimal`` signal.

    A value that takes more than 34 digits at the minor unit (factors or a multiplier far above
    1, or a settlement basis far beyond the input bounds) is a ``PolicyError`` naming ``what``.
    A negative value that rounds to zero gives a zero without sign (never ``-0.00``).
    """
    try:
        r = plan.round(value)
        return r if r else r.copy_abs()
    except DecimalException:
        msg = (
            f"policy {policy.id}: {what} is {decimal_text(value)}, more than can be rounded to "
            f"the minor unit of {policy.currency} in 34 digits"
        )
        raise PolicyError(msg, policy=policy.id) from None


def _adjustment(kind: AdjustmentKind, amount: Money, **fields: Any) -> Adjustment:
    factor, subject = fields.get("factor"), fields.get("subject")
    value, condition = fields.get("value"), fields.get("condition")
    return trusted(
        Adjustment,
        {
            "kind": kind,
            "reason": describe(kind, factor, subject, value, condition),
            "factor": factor,
            "subject": subject,
            "value": value,
            "condition": condition,
            "amount": amount,
        },
    )


def adjust(
    policy: RebatePolicy,
    plan: Plan,
    gross: Decimal,
    before: Decimal,
    *,
    metrics: Metrics | None,
    tier: Tier | None,
    values: Mapping[str, Decimal],
    floor: bool = False,
) -> tuple[Decimal, list[Adjustment], Decimal | None]:
    """The adjustments after the gross, in their order: floor, conditions, payout, tier, cap.

    ``before`` is the rounded gross; ``values`` the metric values the conditions read;
    ``floor``: a per-transaction total below zero is paid as 0. Returns the rounded amount
    after every adjustment, the adjustments and the scorecard's total score (``None`` without
    a payout). The one chain behind [`evaluate`][] and a versioned result (``_fill``).
    """
    adjustments: list[Adjustment] = []
    total_score: Decimal | None = None
    adjusted = policy.conditions or policy.payout or tier is not None or plan.cap is not None
    if not (floor or adjusted):
        return before, adjustments, total_score
    cur = policy.currency
    total = gross

    def apply(kind: AdjustmentKind, new_total: Decimal, **fields: Any) -> None:
        nonlocal total, before
        total = new_total
        after = rounded(policy, plan, total, f"the rebate after its {kind.value} adjustment")
        amount = Money._make(CONTEXT.subtract(after, before), cur)
        adjustments.append(_adjustment(kind, amount, **fields))
        before = after

    multiply = CONTEXT.multiply
    if floor:  # per transaction: the transactions' rebates sum below zero
        apply(AdjustmentKind.FLOOR, _ZERO, value=before)
    for c in policy.conditions:
        value = values[c.metric]
        if not c.met(value):
            apply(
                AdjustmentKind.CONDITION,
                multiply(total, c.factor),
                factor=c.factor,
                subject=c.metric,
                value=value,
                condition=c,
            )
    if policy.payout and policy.scorecard is not None:
        total_score = _score(policy, policy.scorecard, metrics)
        factor = _ZERO
        for step in policy.payout:
            if step.min_score <= total_score:
                factor = step.factor
        apply(AdjustmentKind.PAYOUT, multiply(total, factor), factor=factor, value=total_score)
    if tier is not None:
        m = tier.benefits.rebate_multiplier
        apply(AdjustmentKind.TIER, multiply(total, m), factor=m, subject=tier.code)
    if plan.cap is not None and total > plan.cap:
        apply(AdjustmentKind.CAP, plan.cap, value=plan.cap)
    return before, adjustments, total_score


def evaluate(
    policy: RebatePolicy,
    basis: Decimal,
    *,
    metrics: Metrics | None = None,
    tier: Tier | None = None,
    plan: Plan | None = None,
    metrics_name: str = "metrics",
    tier_value: Decimal | None = None,
    tallies: Sequence[Decimal] | None = None,
) -> RebateResult:
    """The full result for a checked ``basis``.

    The basis is below zero only from a settlement, or with ``allow_negative``.
    ``tier_value`` is the checked tier figure of a ``tier_basis`` policy (it meets the threshold
    and picks the bracket); ``tallies`` are a settlement's per-transaction tallies (see
    ``_per_transaction``), given for a ``per=TRANSACTION`` policy only. Arithmetic runs through
    the methods of ``CONTEXT``; a total that cannot be rounded to the minor unit is a
    ``PolicyError`` (see ``rounded``).
    """
    if plan is None:
        plan = plan_of(policy)
    cur = policy.currency
    values = _metric_values(policy, metrics, metrics_name) if policy.conditions else {}
    figure = basis if tier_value is None else tier_value
    met = plan.threshold is None or figure >= plan.threshold
    i = plan.index(figure) if basis >= 0 and met and tallies is None else -1
    if i >= 0:
        gross = plan.gross_at(basis, i)
        before = rounded(policy, plan, gross, "the gross rebate")
        lines = bracket_lines(plan, basis, i, before, tier_value)
    else:
        others, flats = spans(plan, basis, tallies if met else None)
        exact = [s[4] for s in others]
        gross = add_all(exact)
        before = rounded(policy, plan, gross, "the gross rebate")
        parts = largest_remainder(exact, plan.places, before) if others else []
        none = Money.zero(cur)
        lines = [
            line(plan, j, start, end, sl, plan.flat_money[j] if flats else none, r)
            for (j, start, end, sl, _), r in zip(others, parts, strict=True)
        ]
    floor = gross < 0 and not plan.allow_negative
    before, adjustments, total_score = adjust(
        policy, plan, gross, before, metrics=metrics, tier=tier, values=values, floor=floor
    )
    rate = CONTEXT.divide(before, basis) if basis else _ZERO
    if tallies is None:
        upward = next_bracket(plan, basis, tier_value)
    else:
        upward = None if basis < 0 or met else threshold_step(plan, figure, tallies)
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
            "gross": Money._make(gross if gross else gross.copy_abs(), cur),
            "adjustments": tuple(adjustments),
            "amount": Money._make(before, cur),
            "effective_rate": rate if rate else rate.copy_abs(),  # never -0
            "next_bracket": upward,
            "score": total_score,
            "tier_basis": plan.tier_basis,
            "tier_value": tier_value,
            "per": SettleUnit.PERIOD if tallies is None else SettleUnit.TRANSACTION,
        },
    )


def compute_rebate(
    policy: RebatePolicy,
    basis: DecimalLike | Money,
    *,
    metrics: Metrics | None = None,
    tier: Tier | None = None,
    tier_value: DecimalLike | Money | None = None,
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
    tier_value
        For a policy with a ``tier_basis`` (and only then): the figure that picks the bracket,
        in its units (units sold for a ``UNITS`` tier basis); required for such a policy.

    Returns
    -------
    RebateResult
        Lines, gross, adjustments, the rounded ``amount``, ``effective_rate``, ``next_bracket``
        (and ``tier_value``).

    Raises
    ------
    PolicyError
        A negative basis or tier figure (unless ``policy.allow_negative``), ``Money`` for a
        units figure, a ``tier_basis`` policy without ``tier_value`` (or a ``tier_value`` for a
        policy without one), or a metric a condition names missing from ``metrics`` (or from
        a scorecard whose ``missing`` rule is RAISE): ``.policy`` is the policy's id and
        ``.metric`` the first metric missing. Also a rebate that factors or a multiplier make
        too large to round to the minor unit in 34 digits.
    CurrencyMismatchError
        ``basis`` is ``Money`` in another currency than the policy's.
    ArgumentError
        ``basis`` or a metric is not a number within the input bounds (NaN, ``"1e999999"``...);
        an [`ArgumentTypeError`][channelkit.ArgumentTypeError] (also a ``TypeError``) when it,
        ``policy``, ``metrics`` or ``tier`` is of the wrong type (a ``float``, a ``dict``...).

    Notes
    -----
    With starts $s_0 < s_1 < \dots$, rates $r_j$, flats $f_j$ and $i$
    the highest bracket reached (REACH: $s_i \le x$; EXCEED: $s_i < x$):

    $$
    \begin{aligned}
    \text{GRADUATED: } g &= \sum_{j<i} \big((s_{j+1}-s_j) r_j + f_j\big) + (x - s_i) r_i + f_i \\
    \text{VOLUME: } g &= x r_i + f_i \\
    \text{FLAT: } g &= x r_0 + f_0
    \end{aligned}
    $$

    A basis below the threshold (``x < threshold``, whatever the boundary) or below the first
    bracket earns nothing. Then, in this order: each condition not met multiplies by its
    factor; the payout step (highest ``min_score`` not above the score, else 0) multiplies;
    the tier multiplier multiplies; the cap bounds; the total is rounded once with
    ``policy.rounding``. Lines are rounded by largest remainder to sum to the rounded gross,
    and each adjustment is the difference of the rounded totals around it.

    With a ``tier_basis`` (VOLUME and FLAT only) the tier figure $t$ meets the threshold and
    picks the bracket, and the rate applies to the basis: $g = x r_i + f_i$ with $i$ the
    highest bracket $t$ reaches; ``next_bracket.gap`` is in tier units and its
    ``amount_at_start`` is what $x$ earns there. With ``allow_negative`` a basis $x < 0$ earns
    $g = x r_0$ (no flat, no threshold; conditions, payout and the tier multiplier apply, the
    cap does not). ``effective_rate`` is ``amount / basis`` for any non-zero basis. ``per``
    does not change this function: a basis given alone is tiered as one transaction.

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

    Quantity tiers paying a share of sales: 1,200 units reach the 3% bracket, paid on sales.

    >>> qty = RebatePolicy(id="QTY", name="Qty", currency="CNY", mode="volume",
    ...     tier_basis="units", brackets=(Bracket(start=0, rate="0.01"),
    ...     Bracket(start=1_000, rate="0.03"), Bracket(start=5_000, rate="0.05")))
    >>> r = compute_rebate(qty, 90_000, tier_value=1_200)
    >>> r.amount, r.next_bracket.gap, r.next_bracket.amount_at_start
    (Money('2700.00', 'CNY'), Decimal('3800'), Money('4500.00', 'CNY'))
    """
    check_policy(policy)
    metrics, tier = check_options(metrics, tier)
    value = basis_value(policy, basis)
    figure = tier_figure(policy, tier_value)
    return evaluate(policy, value, metrics=metrics, tier=tier, tier_value=figure)


@overload
def rebate_amounts(policy: RebatePolicy, bases: npt.NDArray[np.integer[Any]]) -> Any: ...


@overload
def rebate_amounts(policy: RebatePolicy, bases: Iterable[DecimalLike | Money]) -> list[Decimal]: ...


def rebate_amounts(policy: RebatePolicy, bases: Any) -> Any:
    """Rounded rebate amounts for many bases at once: the batch path.

    Parameters
    ----------
    policy
        A policy without conditions or payout (those need per-item metrics).
    bases
        Bases as accepted by [`compute_rebate`][]; or a column of them: a pyarrow ``Array`` or
        ``ChunkedArray`` of integers or decimals, or a numpy integer array (the numbers are the
        bases themselves, never minor units; this needs the ``frames`` extra).

    Returns
    -------
    list of Decimal, or pyarrow.Array
        ``compute_rebate(policy, b).amount.amount`` for each ``b``, in order, as plain decimals.
        For a column: a pyarrow ``decimal128(38, places)`` array at the currency's minor unit,
        equal item by item to the list path; a null basis gives a null amount; chunked when
        ``bases`` is a ``ChunkedArray``.

    Raises
    ------
    PolicyError
        The policy has conditions, payout steps or a ``tier_basis`` (each basis would need its
        own tier figure), or a basis is negative (without ``allow_negative``) or ``Money`` for
        a units basis; as for [`compute_rebate`][], a rebate too large to round.
    CurrencyMismatchError
        A ``Money`` basis in another currency.
    ArgumentError
        A basis that [`compute_rebate`][] refuses, named ``bases[i]``; an
        [`ArgumentTypeError`][channelkit.ArgumentTypeError] when ``policy`` is not a
        ``RebatePolicy``, ``bases`` is not an iterable of bases (a ``str`` is refused) or a
        basis is of the wrong type.

    Notes
    -----
    The policy's cumulative bracket table is computed once; each plain ``Decimal`` basis costs
    one check against the input bounds, one bisection, one multiply-add, the cap comparison and
    one ``quantize`` (the threshold is a segment of the table). A basis of another type is read
    as [`compute_rebate`][] reads it, and a basis the fast loop cannot take (outside the input
    bounds, or one whose rebate is out of range) is computed by [`compute_rebate`][]'s own
    code, so the batch path returns and refuses exactly what [`compute_rebate`][] does. There
    is no tier argument: the tier multiplier is 1. A column is computed once per distinct
    basis, by the same loop, and the amounts are spread back over the rows in columns.

    Examples
    --------
    >>> from channelkit import Bracket, RebatePolicy
    >>> ladder = RebatePolicy(id="L", name="L", currency="CNY", cap=2_000, brackets=(
    ...     Bracket(start=10_000, rate="0.02"), Bracket(start=50_000, rate="0.03")))
    >>> rebate_amounts(ladder, [Decimal(5_000), 60_000, "200000"])
    [Decimal('0.00'), Decimal('1100.00'), Decimal('2000.00')]
    """
    check_policy(policy)
    refuse_tier_basis(policy)
    if type(bases) is not list and is_array(bases):
        from channelkit.frames._amounts import rebate_amounts_array

        return rebate_amounts_array(policy, bases)
    if isinstance(bases, str | bytes) or not isinstance(bases, Iterable):
        msg = f"bases must be an iterable of bases, not {type(bases).__name__}"
        raise ArgumentTypeError(msg, argument="bases", value=bases)
    if policy.conditions or policy.payout:
        msg = (
            f"policy {policy.id} has conditions or payout steps, which need each partner's "
            "metrics: use compute_rebate (or settle_all) instead of rebate_amounts"
        )
        raise PolicyError(msg, policy=policy.id)
    plan = plan_of(policy)

    def check(basis: object, i: int) -> Decimal:
        return basis_value(policy, basis, f"bases[{i}]")

    def slow(basis: object, i: int) -> Decimal:
        return evaluate(policy, check(basis, i), plan=plan).amount.amount

    return _amounts(plan, bases, check, slow)


def _amounts(
    plan: Plan,
    bases: Iterable[object],
    check: Callable[[object, int], Decimal],
    slow: Callable[[object, int], Decimal],
) -> list[Decimal]:
    """The hot loop: the fence, one bisection, one multiply-add, the cap, one quantize.

    One loop for every policy, its variants chosen by three flags (``sliced``, ``based``,
    ``capped``). A plain ``Decimal`` basis passes ``plan.FENCE``, any other is read by ``check``
    (which raises the calculator's error for a bad one). A ``decimal`` signal anywhere in the
    loop (the fence, a sentinel of the table, a rounding that needs more than 34 digits) hands
    that one basis to ``slow``, the code of ``compute_rebate``, which computes it or raises its
    error; the loop then goes on with the next basis.
    """
    keys, base, offs, rates = plan.table_keys, plan.table_base, plan.table_offs, plan.table_rates
    grid, rounding, sliced, based = plan.grid, plan.rounding, plan.sliced, plan.based
    capped = plan.cap is not None
    cap = plan.cap if plan.cap is not None else _ZERO
    # a gross the cap replaces must still round, as compute_rebate rounds it for its lines: one
    # below 10**(33 - places) always does, so only a larger one is rounded (to trap if it cannot)
    roundable = Decimal((0, (1,), MAX_DIGITS - 1 - plan.places))
    fence = FENCE.plus
    out: list[Decimal] = []
    append = out.append
    # a list's iterator never raises, so a signal in the loop is always the basis at len(out)
    items = iter(bases if isinstance(bases, list | tuple) else list(bases))
    raw: object = None
    while True:
        try:
            with localcontext(CONTEXT):
                for raw in items:
                    b = fence(raw) if type(raw) is Decimal else check(raw, len(out))
                    k = bisect_right(keys, b) - 1
                    if sliced:
                        b = b - offs[k]
                    g = b * rates[k]
                    if based:
                        g = base[k] + g
                    if capped and g > cap:
                        if g >= roundable:
                            g.quantize(grid, rounding)
                        g = cap
                    append(g.quantize(grid, rounding))
            return out
        except DecimalException:
            append(slow(raw, len(out)))
