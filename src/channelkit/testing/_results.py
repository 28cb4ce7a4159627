"""Hypothesis strategies for the rebate results: ``RebateResult``, ``Settlement``, ``Accrual``.

Each is what the calculator returns for drawn inputs (``settle``, ``accrue``), so a drawn
result is always one the library can produce: its lines sum to its gross, its payable is its
amount less its advances.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from channelkit.rebates._accrual import accrue
from channelkit.rebates.engine import compute_rebate
from channelkit.rebates.models import RebatePolicy
from channelkit.rebates.results import RebateResult
from channelkit.rebates.settled import Accrual, Settlement
from channelkit.rebates.settlement import settle
from channelkit.testing._programs import _PERIOD, _incremental, _metrics, _money_amount, _rows
from channelkit.testing._rebates import rebate_policies

__all__ = ["accruals", "rebate_results", "settlements"]


def settlements(
    *, policies: st.SearchStrategy[RebatePolicy] | None = None
) -> st.SearchStrategy[Settlement]:
    """Results of [`settle`][channelkit.settle] for partner ``P1`` on drawn transactions.

    Every metric the policy reads is supplied, and a baseline when its basis is incremental.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(settlements())
    ... def test_payable(s):
    ...     assert s.payable == s.result.amount - s.advances
    >>> test_payable()
    """
    policy_st = policies if policies is not None else rebate_policies()

    @st.composite
    def build(draw: st.DrawFn) -> Settlement:
        policy = draw(policy_st)
        cur = policy.currency
        return settle(
            policy,
            _rows(draw, ["P1", "P2"], cur),
            policy.valid if policy.valid is not None else _PERIOD,
            partner_id="P1",
            metrics=_metrics((policy,)),
            advances=draw(_money_amount(cur, 10_000)),
            baseline=draw(_money_amount(cur, 10**6)) if _incremental(policy) else None,
        )

    return build()


def rebate_results(
    *, policies: st.SearchStrategy[RebatePolicy] | None = None
) -> st.SearchStrategy[RebateResult]:
    """Results of [`compute_rebate`][channelkit.compute_rebate] on a drawn basis (not negative).

    Policies are drawn without a tier basis (which would need ``tier_value=``); every metric
    they read is supplied.
    """
    policy_st = policies if policies is not None else rebate_policies()

    @st.composite
    def build(draw: st.DrawFn) -> RebateResult:
        policy = draw(policy_st)
        basis = draw(_money_amount(policy.currency, 10**6))
        return compute_rebate(policy, basis, metrics=_metrics((policy,)))

    return build()


def accruals(
    *, policies: st.SearchStrategy[RebatePolicy] | None = None
) -> st.SearchStrategy[Accrual]:
    """Results of [`accrue`][channelkit.accrue]: a basis to date and a projected period-end basis.

    Policies are drawn per period without a tier basis (``accrue`` then needs no
    ``tier_value``); every metric they read is supplied.
    """
    policy_st = policies if policies is not None else rebate_policies(negatives=st.just(False))

    @st.composite
    def build(draw: st.DrawFn) -> Accrual:
        policy = draw(policy_st)
        cur = policy.currency
        to_date = draw(_money_amount(cur, 10**6))
        more = draw(_money_amount(cur, 10**6))
        return accrue(
            policy,
            to_date,
            projected_basis=to_date + more,
            metrics=_metrics((policy,)),
        )

    return build()


REGISTRY: dict[type, Callable[[], st.SearchStrategy[Any]]] = {
    Settlement: settlements,
    RebateResult: rebate_results,
    Accrual: accruals,
}
"""The types this module's strategies are registered for with ``st.from_type``."""
