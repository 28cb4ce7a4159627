"""How a programme's policies combine: FIRST's partition, COMPOUND's chain, the total.

The helpers of [`settle_program`][channelkit.rebates.settle_program] and
[`settle_program_all`][channelkit.rebates.settle_program_all], which settle each policy with
``settle``/``settle_all`` and hand the settlements here.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from channelkit.model import trusted
from channelkit.money import Money
from channelkit.numeric import CONTEXT, add_all
from channelkit.periods import Period
from channelkit.rebates.engine import Metrics, evaluate
from channelkit.rebates.models import RebatePolicy
from channelkit.rebates.plan import plan_of
from channelkit.rebates.settled import Settlement
from channelkit.rebates.stacked import ProgramSettlement, Stacking
from channelkit.tiers import Tier
from channelkit.transactions import Transaction

if TYPE_CHECKING:
    from channelkit.rebates._rows import Rows
    from channelkit.rebates.programs import Program

__all__ = ["compound", "first_parts", "settled_alone", "total"]


def first_parts(active: Sequence[RebatePolicy], rows: Rows) -> list[Rows]:
    """FIRST: for each policy, the rows no earlier policy's scope holds (models or a frame).

    A frame is filtered in columns by the scopes' masks (``_columnar.scope_mask``), the same
    rules as ``Scope.contains``.
    """
    if isinstance(rows, list):
        parts: list[list[Transaction]] = [[] for _ in active]
        tests = [None if p.scope.everything else p.scope.contains for p in active]
        for t in rows:
            for part, contains in zip(parts, tests, strict=True):
                if contains is None or contains(t):
                    part.append(t)
                    break
        return list(parts)
    import pyarrow.compute as pc

    from channelkit.rebates._columnar import scope_mask

    out: list[Rows] = []
    taken = None
    for p in active:
        out.append(rows if taken is None else rows.filter(pc.invert(taken)))
        mask = scope_mask(p.scope, rows)
        if mask is None:  # every row: nothing is left for the policies after it
            mask = pc.is_valid(rows.column("id"))
        taken = mask if taken is None else pc.or_(taken, mask)
    return out


def settled_alone(stacking: Stacking, k: int, policy: RebatePolicy) -> bool:
    """Whether policy ``k`` is settled from the rows (COMPOUND: the first, and a tier basis)."""
    return k == 0 or stacking is not Stacking.COMPOUND or policy.tier_basis is not None


def compound(
    policies: Sequence[RebatePolicy],
    own: Sequence[Settlement | None],
    *,
    metrics: Metrics | None,
    tier: Tier | None,
    metrics_name: str,
) -> list[Settlement]:
    """COMPOUND: the first settlement, then each policy on the basis the one before it left.

    ``own[k]`` is policy ``k``'s settlement as [`settle`][channelkit.settle] makes it, or
    ``None`` (see [`settled_alone`][]) when it has no ``tier_basis``: the policies share one
    basis and one scope, so they read the same figures (sales, returns...) as the first, and
    only a tier figure may differ. From the second on, the basis is the previous basis less
    the previous rounded rebate, and the rebate is computed on it (with the policy's own tier
    figure, for a ``tier_basis``). The first is always settled.
    """
    first = cast(Settlement, own[0])
    out = [first]
    previous = first
    for policy, settled in zip(policies[1:], own[1:], strict=True):
        basis = CONTEXT.subtract(previous.basis, previous.result.amount.amount)
        result = evaluate(
            policy,
            basis,
            metrics=metrics,
            tier=tier,
            plan=plan_of(policy),
            metrics_name=metrics_name,
            tier_value=None if settled is None else settled.result.tier_value,
        )
        previous = trusted(
            Settlement,
            {**dict(settled or first), "basis": basis, "result": result, "payable": result.amount},
        )
        out.append(previous)
    return out


def total(
    program: Program,
    partner_id: str,
    period: Period,
    settlements: list[Settlement],
    paid: Decimal,
) -> ProgramSettlement:
    """The programme's result: the sum of the amounts (BEST: the highest, ties to the earlier)."""
    cur = program.currency
    amounts = [s.result.amount.amount for s in settlements]
    chosen: str | None = None
    if program.stacking is Stacking.BEST:
        best = max(range(len(amounts)), key=amounts.__getitem__)  # the first of equals
        chosen = settlements[best].result.policy_id
        amount = amounts[best]
    else:
        amount = add_all(amounts)
    return trusted(
        ProgramSettlement,
        {
            "program_id": program.id,
            "partner_id": partner_id,
            "period": period,
            "stacking": program.stacking,
            "settlements": tuple(settlements),
            "chosen": chosen,
            "amount": Money._make(amount, cur),
            "advances": Money._make(paid, cur),
            "payable": Money._make(CONTEXT.subtract(amount, paid), cur),
        },
    )
