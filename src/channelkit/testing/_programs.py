"""Hypothesis strategies for rebate programmes, their settlements and buying groups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from channelkit.currencies import CURRENCIES
from channelkit.money import Money
from channelkit.partners import Partner, PartnerKind
from channelkit.periods import Period
from channelkit.rebates.groups import GroupSettlement, settle_group
from channelkit.rebates.models import RebateBasis, RebatePolicy, SettleUnit
from channelkit.rebates.programs import Program, settle_program
from channelkit.rebates.stacked import ProgramSettlement, Stacking
from channelkit.testing._kernel import amounts, currencies, ids, transactions
from channelkit.testing._rebates import rebate_policies
from channelkit.transactions import Transaction, TransactionKind

__all__ = ["group_settlements", "program_settlements", "programs"]

_PERIOD = Period.quarter(2026, 3)
_DATES = st.dates(min_value=dt.date(2026, 6, 20), max_value=dt.date(2026, 10, 10))


def programs(
    *,
    policies: st.SearchStrategy[RebatePolicy] | None = None,
    stackings: st.SearchStrategy[Stacking] | None = None,
    currencies: st.SearchStrategy[str] | None = None,
    min_size: int = 1,
    max_size: int = 3,
) -> st.SearchStrategy[Program]:
    """Valid programmes of ``min_size`` to ``max_size`` policies.

    The policies (drawn from ``policies``, ``rebate_policies()`` by default) are given the
    programme's currency and unique ids; under COMPOUND they are given the first one's basis
    (a money basis) and scope.
    """
    cur_st = currencies if currencies is not None else _currencies()
    stack_st = stackings if stackings is not None else st.sampled_from(Stacking)

    @st.composite
    def build(draw: st.DrawFn) -> Program:
        cur = draw(cur_st)
        stacking = draw(stack_st)
        policy_st = policies if policies is not None else rebate_policies(currencies=st.just(cur))
        drawn = draw(st.lists(policy_st, min_size=min_size, max_size=max_size))
        names = draw(st.lists(ids("R"), min_size=len(drawn), max_size=len(drawn), unique=True))
        chosen = [
            p.model_copy(update={"id": name, "currency": cur})
            for p, name in zip(drawn, names, strict=True)
        ]
        if stacking is Stacking.COMPOUND and chosen:
            first = chosen[0]
            basis = first.basis if first.basis.is_money else RebateBasis.NET_SALES
            same = {"basis": basis, "scope": first.scope, "per": SettleUnit.PERIOD}
            chosen = [p.model_copy(update=same) for p in chosen]
        return Program(
            id=draw(ids("PG")),
            name=draw(st.text(min_size=1, max_size=12)),
            currency=cur,
            policies=tuple(chosen),
            stacking=stacking,
        )

    return build()


_currencies = currencies


def _metrics(policies: tuple[RebatePolicy, ...]) -> dict[str, Decimal]:
    """A value for every metric a condition or scorecard of ``policies`` reads."""
    keys = {c.metric for p in policies for c in p.conditions}
    keys |= {m.key for p in policies if p.scorecard is not None for m in p.scorecard.metrics}
    return dict.fromkeys(sorted(keys), Decimal(1))


def _rows(draw: st.DrawFn, partner_ids: list[str], cur: str) -> list[Transaction]:
    """Transactions in ``cur`` around Q3 2026; every sale and return has a cost (for MARGIN)."""
    rows = draw(
        st.lists(
            transactions(
                partner_ids=st.sampled_from([*partner_ids, None]),
                currencies=st.just(cur),
                dates=_DATES,
                max_amount=10**6,
            ),
            max_size=10,
            unique_by=lambda t: t.id,
        )
    )
    return [
        t
        if t.cost is not None or t.kind is TransactionKind.PAYMENT
        else t.model_copy(update={"cost": Money.zero(cur)})
        for t in rows
    ]


def _incremental(policy: RebatePolicy) -> bool:
    return RebateBasis.INCREMENTAL in (policy.basis, policy.tier_basis)


def _money_amount(cur: str, max_value: int) -> st.SearchStrategy[Decimal]:
    return amounts(min_value=0, max_value=max_value, places=CURRENCIES[cur])


def program_settlements(
    *, programs: st.SearchStrategy[Program] | None = None
) -> st.SearchStrategy[ProgramSettlement]:
    """Results of [`settle_program`][] on drawn programmes and transactions (Q3 2026).

    Every metric the policies read is supplied, and a baseline when one is incremental.
    """
    program_st = programs if programs is not None else _programs()

    @st.composite
    def build(draw: st.DrawFn) -> ProgramSettlement:
        program = draw(program_st)
        cur = program.currency
        period = next((p.valid for p in program.policies if p.valid is not None), _PERIOD)
        incremental = any(_incremental(p) for p in program.policies)
        return settle_program(
            program,
            _rows(draw, ["P1", "P2"], cur),
            period,
            partner_id="P1",
            metrics=_metrics(program.policies),
            advances=draw(_money_amount(cur, 10_000)),
            baseline=draw(_money_amount(cur, 10**6)) if incremental else None,
        )

    return build()


_programs = programs


def group_settlements(
    *, policies: st.SearchStrategy[RebatePolicy] | None = None, max_members: int = 4
) -> st.SearchStrategy[GroupSettlement]:
    """Results of [`settle_group`][] for a group ``G`` of up to ``max_members`` partners.

    Each member's parent is ``G`` or an earlier member (so the links have no cycle); one more
    partner outside the group sells too.
    """
    policy_st = policies if policies is not None else rebate_policies()

    @st.composite
    def build(draw: st.DrawFn) -> GroupSettlement:
        policy = draw(policy_st)
        cur = policy.currency
        n = draw(st.integers(min_value=0, max_value=max_members))
        names = [f"M{i}" for i in range(n)]
        parents = [draw(st.sampled_from(["G", *names[:i]])) for i in range(n)]
        partners = [
            Partner(
                id=name,
                name=name,
                kind=PartnerKind.DEALER,
                parent_id=parent,
                currency=cur,
                payment_terms_days=30,
                joined=dt.date(2024, 1, 1),
            )
            for name, parent in zip(names, parents, strict=True)
        ]
        period = policy.valid if policy.valid is not None else _PERIOD
        return settle_group(
            policy,
            _rows(draw, ["G", *names, "OUT"], cur),
            period,
            partners=partners,
            group_id="G",
            metrics=_metrics((policy,)),
            advances=draw(_money_amount(cur, 10_000)),
            baseline=draw(_money_amount(cur, 10**6)) if _incremental(policy) else None,
        )

    return build()


REGISTRY: dict[type, Callable[[], st.SearchStrategy[Any]]] = {
    Program: programs,
    ProgramSettlement: program_settlements,
    GroupSettlement: group_settlements,
}
"""The types this module's strategies are registered for with ``st.from_type``."""
