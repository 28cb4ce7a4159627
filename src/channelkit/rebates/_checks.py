"""The checks of the rebate calculators' arguments: the policy, the options, a basis, a tier figure.

Shared by the engine and the settlement module (and re-exported by the engine, where the other
rebate modules import them from).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from channelkit.errors import ArgumentTypeError, PolicyError
from channelkit.money import Money, read_amount
from channelkit.numeric import DecimalLike, decimal_text
from channelkit.rebates.models import RebateBasis, RebatePolicy
from channelkit.tiers import Tier

__all__ = [
    "Metrics",
    "basis_value",
    "check_options",
    "check_policy",
    "refuse_tier_basis",
    "tier_figure",
]

Metrics = Mapping[str, DecimalLike]
"""Metric values by key (the figures conditions and scorecards read)."""


def check_policy(policy: object) -> RebatePolicy:
    """``policy`` if it is a ``RebatePolicy``, else an ``ArgumentTypeError``."""
    if not isinstance(policy, RebatePolicy):
        msg = f"policy must be a RebatePolicy, not {type(policy).__name__}"
        raise ArgumentTypeError(msg, argument="policy", value=policy)
    return policy


def check_options(
    metrics: object, tier: object, *, metrics_name: str = "metrics", tier_name: str = "tier"
) -> tuple[Metrics | None, Tier | None]:
    """Check the ``metrics`` (a mapping or ``None``) and ``tier`` (a ``Tier`` or ``None``)."""
    if metrics is not None and not isinstance(metrics, Mapping):
        msg = f"{metrics_name} must be a mapping of metric values, not {type(metrics).__name__}"
        raise ArgumentTypeError(msg, argument=metrics_name, value=metrics)
    if tier is not None and not isinstance(tier, Tier):
        msg = f"{tier_name} must be a Tier or None, not {type(tier).__name__}"
        raise ArgumentTypeError(msg, argument=tier_name, value=tier)
    return metrics, tier


def basis_value(
    policy: RebatePolicy, basis: object, name: str = "basis", kind: RebateBasis | None = None
) -> Decimal:
    """Check a basis argument against ``policy`` and return it as a ``Decimal``.

    Read by ``channelkit.money.read_amount`` (money in the policy's currency, or a number);
    ``Money`` for a units figure (``kind``, the policy's basis by default) and a negative one
    (unless ``policy.allow_negative``) are ``PolicyError``s, and a zero is read without its
    sign.
    """
    what = "basis" if kind is None else "tier basis"
    kind = RebateBasis(policy.basis) if kind is None else kind
    if isinstance(basis, Money) and not kind.is_money:
        msg = (
            f"policy {policy.id} has a units {what}: {name} must be a number of units, "
            f"not money ({basis})"
        )
        raise PolicyError(msg, policy=policy.id)
    value = read_amount(basis, policy.currency, name)
    if value < 0 and not policy.allow_negative:
        msg = f"{name} must not be negative, got {decimal_text(value)} (policy {policy.id})"
        raise PolicyError(msg, policy=policy.id)
    return value if value else value.copy_abs()


def tier_figure(
    policy: RebatePolicy, tier_value: object, name: str = "tier_value"
) -> Decimal | None:
    """The checked tier figure of a ``tier_basis`` policy; ``None`` for any other policy.

    Raises
    ------
    PolicyError
        A ``tier_basis`` policy without ``tier_value``, a ``tier_value`` for a policy without
        ``tier_basis``, or a tier figure ``basis_value`` refuses.
    """
    if policy.tier_basis is None:
        if tier_value is not None:
            msg = (
                f"policy {policy.id} has no tier_basis: {name} applies only to a policy whose "
                "bracket is picked by another figure than its basis"
            )
            raise PolicyError(msg, policy=policy.id)
        return None
    kind = RebateBasis(policy.tier_basis)
    if tier_value is None:
        msg = (
            f"policy {policy.id} picks its bracket by {kind.label()} (tier_basis {kind.value}): "
            f"pass {name}, the {kind.label()} figure"
        )
        raise PolicyError(msg, policy=policy.id)
    return basis_value(policy, tier_value, name, kind)


def refuse_tier_basis(policy: RebatePolicy) -> None:
    """The batch path's refusal of a ``tier_basis`` policy (it has one figure per basis)."""
    if policy.tier_basis is not None:
        msg = (
            f"policy {policy.id} picks its bracket by tier_basis "
            f"{RebateBasis(policy.tier_basis).value}, which needs a tier figure per basis: use "
            "compute_rebate with tier_value= (or settle_all) instead of rebate_amounts"
        )
        raise PolicyError(msg, policy=policy.id)
