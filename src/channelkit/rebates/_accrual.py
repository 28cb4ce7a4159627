"""Accrual (返利计提): [`accrue`][channelkit.rebates.accrue], the liability to book mid-period.

Importable as ``channelkit.rebates.settlement.accrue`` and from the package root, as before.
"""

from __future__ import annotations

from channelkit.model import trusted
from channelkit.money import Money
from channelkit.numeric import CONTEXT, DecimalLike
from channelkit.rebates._checks import (
    Metrics,
    basis_value,
    check_options,
    check_policy,
    tier_figure,
)
from channelkit.rebates.engine import evaluate, rounded
from channelkit.rebates.models import RebatePolicy
from channelkit.rebates.plan import plan_of
from channelkit.rebates.settled import Accrual
from channelkit.tiers import Tier

__all__ = ["accrue"]


def accrue(
    policy: RebatePolicy,
    basis_to_date: DecimalLike | Money,
    *,
    projected_basis: DecimalLike | Money,
    metrics: Metrics | None = None,
    tier: Tier | None = None,
    tier_value: DecimalLike | Money | None = None,
) -> Accrual:
    r"""The rebate liability to book mid-period (返利计提).

    Parameters
    ----------
    policy
        The rebate policy.
    basis_to_date
        The basis reached so far in the period.
    projected_basis
        The basis the partner is expected to reach by the end of the period.
    metrics, tier
        As for [`compute_rebate`][channelkit.rebates.compute_rebate], applied at the projected
        basis.
    tier_value
        For a policy with a ``tier_basis`` (and only then, where it is required): the tier
        figure expected at ``projected_basis``, which picks the projected bracket.

    Returns
    -------
    Accrual
        The projected result, the effective rate and the rounded amount.

    Raises
    ------
    PolicyError, CurrencyMismatchError, ArgumentError
        As for [`compute_rebate`][channelkit.rebates.compute_rebate], for either basis and the
        tier figure (a negative basis only with ``allow_negative``); a ``PolicyError`` also
        when the accrual is too large to round to the minor unit in 34 digits (a projected
        basis far below the basis to date).

    Notes
    -----
    $$
    \text{accrual} = \text{basis to date} \times
    \frac{\text{rebate}(\text{projected})}{\text{projected}}
    $$

    rounded once with the policy's rounding. A projected basis of 0 accrues 0. The projection
    may be below the basis to date (returns expected); it is used as given. With
    ``allow_negative`` a negative projection books the first bracket's rate, so a negative
    basis to date accrues a negative liability (money the partner owes back).

    Examples
    --------
    >>> from channelkit import Bracket, RebatePolicy
    >>> policy = RebatePolicy(id="P", name="P", currency="CNY", brackets=(
    ...     Bracket(start=0, rate="0.01"), Bracket(start=100_000, rate="0.03")))
    >>> accrue(policy, 50_000, projected_basis=200_000).amount
    Money('1000.00', 'CNY')

    Quantity tiers: 1,500 units expected by the end pick the 2% bracket for sales so far.

    >>> qty = RebatePolicy(id="Q", name="Q", currency="CNY", mode="volume", tier_basis="units",
    ...     brackets=(Bracket(start=0, rate="0.01"), Bracket(start=1_000, rate="0.02")))
    >>> accrue(qty, 40_000, projected_basis=150_000, tier_value=1_500).amount
    Money('800.00', 'CNY')
    """
    check_policy(policy)
    metrics, tier = check_options(metrics, tier)
    so_far = basis_value(policy, basis_to_date, "basis_to_date")
    projected_at = basis_value(policy, projected_basis, "projected_basis")
    figure = tier_figure(policy, tier_value)
    plan = plan_of(policy)
    projected = evaluate(
        policy, projected_at, metrics=metrics, tier=tier, plan=plan, tier_value=figure
    )
    rate = projected.effective_rate
    amount = rounded(policy, plan, CONTEXT.multiply(so_far, rate), "the accrual")
    return trusted(
        Accrual,
        {
            "policy_id": policy.id,
            "basis_to_date": so_far,
            "projected_basis": projected_at,
            "projected": projected,
            "effective_rate": rate,
            "amount": Money._make(amount, policy.currency),
        },
    )
