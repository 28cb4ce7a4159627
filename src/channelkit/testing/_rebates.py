"""Hypothesis strategies for rebate policies and their parts."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from channelkit.rebates.models import (
    PER_TRANSACTION_BASES,
    Boundary,
    Bracket,
    Condition,
    PayoutStep,
    RebateBasis,
    RebateForm,
    RebatePolicy,
    Scope,
    SettleUnit,
    TierMode,
)
from channelkit.testing._kernel import _CATEGORIES, amounts, currencies, ids
from channelkit.testing._scoring import scorecards

__all__ = [
    "brackets",
    "bracket_ladders",
    "conditions",
    "payout_steps",
    "payout_schedules",
    "scopes",
    "rebate_policies",
]

_METRICS = ("collection_rate", "growth", "price_compliance", "coverage")
_RATES = amounts(min_value=0, max_value=Decimal("0.2"), places=4)


def brackets(
    *,
    min_value: Decimal | int = 0,
    max_value: Decimal | int = 10**7,
    rates: st.SearchStrategy[Decimal] | None = None,
) -> st.SearchStrategy[Bracket]:
    """Single brackets with a start in ``[min_value, max_value]``, rates from 0 to 20%."""
    return st.builds(
        Bracket,
        start=amounts(min_value=min_value, max_value=max_value, places=0),
        rate=rates if rates is not None else _RATES,
        flat=st.just(Decimal(0)) | amounts(min_value=0, max_value=10_000, places=2),
    )


def bracket_ladders(
    *,
    min_size: int = 1,
    max_size: int = 5,
    max_value: Decimal | int = 10**7,
    ascending_rates: bool = False,
) -> st.SearchStrategy[tuple[Bracket, ...]]:
    """Ladders of brackets with strictly ascending starts (optionally ascending rates too)."""

    @st.composite
    def build(draw: st.DrawFn) -> tuple[Bracket, ...]:
        starts = sorted(
            draw(
                st.lists(
                    amounts(min_value=0, max_value=max_value, places=0),
                    min_size=min_size,
                    max_size=max_size,
                    unique=True,
                )
            )
        )
        rates = draw(st.lists(_RATES, min_size=len(starts), max_size=len(starts)))
        if ascending_rates:
            rates.sort()
        flats = draw(
            st.lists(
                st.just(Decimal(0)) | amounts(min_value=0, max_value=10_000, places=2),
                min_size=len(starts),
                max_size=len(starts),
            )
        )
        return tuple(
            Bracket(start=s, rate=r, flat=f) for s, r, f in zip(starts, rates, flats, strict=True)
        )

    return build()


def conditions(*, metrics: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Condition]:
    """Conditions with a minimum, a maximum or both, and a factor from 0 to 1."""

    @st.composite
    def build(draw: st.DrawFn) -> Condition:
        metric = draw(metrics if metrics is not None else st.sampled_from(_METRICS))
        low = draw(st.none() | amounts(min_value=0, max_value=1, places=2))
        high: Decimal | None = draw(amounts(min_value=low or 0, max_value=2, places=2))
        if low is not None and draw(st.booleans()):
            high = None
        return Condition(
            metric=metric,
            minimum=low,
            maximum=high,
            factor=draw(amounts(min_value=0, max_value=1, places=2)),
        )

    return build()


def payout_steps() -> st.SearchStrategy[PayoutStep]:
    """Single payout steps: a ``min_score`` from 0 to 100 and a factor from 0 to 2."""
    return st.builds(
        PayoutStep,
        min_score=amounts(min_value=0, max_value=100, places=0),
        factor=amounts(min_value=0, max_value=2, places=2),
    )


def payout_schedules(
    *, min_size: int = 1, max_size: int = 4
) -> st.SearchStrategy[tuple[PayoutStep, ...]]:
    """Payout step tuples with strictly ascending ``min_score`` from 0 to 100."""

    @st.composite
    def build(draw: st.DrawFn) -> tuple[PayoutStep, ...]:
        scores = sorted(
            draw(
                st.lists(
                    amounts(min_value=0, max_value=100, places=0),
                    min_size=min_size,
                    max_size=max_size,
                    unique=True,
                )
            )
        )
        return tuple(
            PayoutStep(min_score=s, factor=draw(amounts(min_value=0, max_value=2, places=2)))
            for s in scores
        )

    return build()


def scopes() -> st.SearchStrategy[Scope]:
    """Scopes over SKUs, territories, customers and categories.

    The SKUs ``A``-``C``, territories ``N``/``S``/``E``/``W``, a few customers and the
    categories the ``transactions()`` strategy draws (``Electronics``, ``Home/Kitchen``...).
    """
    skus = st.frozensets(st.sampled_from(["A", "B", "C"]), max_size=3)
    return st.builds(
        Scope,
        skus=st.none() | skus,
        exclude_skus=skus,
        territories=st.none() | st.frozensets(st.sampled_from(["N", "S", "E", "W"]), max_size=4),
        customers=st.none() | st.frozensets(ids("C"), max_size=3),
        categories=st.none() | st.frozensets(st.sampled_from(_CATEGORIES), max_size=2),
    )


def rebate_policies(
    *,
    currencies: st.SearchStrategy[str] | None = None,
    bases: st.SearchStrategy[RebateBasis] | None = None,
    modes: st.SearchStrategy[TierMode] | None = None,
    boundaries: st.SearchStrategy[Boundary] | None = None,
    ladders: st.SearchStrategy[tuple[Bracket, ...]] | None = None,
    composite: bool = True,
    scoped: bool = True,
    tier_bases: st.SearchStrategy[RebateBasis | None] | None = None,
    units: st.SearchStrategy[SettleUnit] | None = None,
    negatives: st.SearchStrategy[bool] | None = None,
) -> st.SearchStrategy[RebatePolicy]:
    """Valid rebate policies.

    ``composite=False`` leaves out conditions, scorecard and payout (what ``rebate_amounts``
    accepts); ``scoped=False`` keeps the default scope (every transaction counts).

    ``per`` is drawn from ``units`` (PERIOD or TRANSACTION by default) and ``allow_negative``
    from ``negatives`` (either by default); ``tier_basis`` is drawn from ``tier_bases`` only
    when it is given (a policy with a tier basis needs ``tier_value=`` in ``compute_rebate``
    and is refused by ``rebate_amounts``), e.g. ``tier_bases=st.none() | st.sampled_from(
    RebateBasis)``. A draw the policy's rules forbid is dropped: a tier basis under GRADUATED,
    ``per=TRANSACTION`` with a basis or tier basis other than net sales, gross sales or units.
    """
    cur_st = currencies if currencies is not None else _currencies()

    @st.composite
    def build(draw: st.DrawFn) -> RebatePolicy:
        conds: tuple[Condition, ...] = ()
        card = None
        payout: tuple[PayoutStep, ...] = ()
        if composite and draw(st.booleans()):
            conds = tuple(draw(st.lists(conditions(), max_size=2, unique_by=lambda c: c.metric)))
            card = draw(st.none() | scorecards(max_size=3))
            if card is not None and draw(st.booleans()):
                payout = draw(payout_schedules())
        basis = draw(bases if bases is not None else st.sampled_from(RebateBasis))
        mode = draw(modes if modes is not None else st.sampled_from(TierMode))
        tier = None if tier_bases is None else draw(tier_bases)
        if mode is TierMode.GRADUATED:
            tier = None
        per = draw(units if units is not None else st.sampled_from(SettleUnit))
        if basis not in PER_TRANSACTION_BASES or tier not in (None, *PER_TRANSACTION_BASES):
            per = SettleUnit.PERIOD
        return RebatePolicy(
            id=draw(ids("R")),
            name=draw(st.text(min_size=1, max_size=12)),
            currency=draw(cur_st),
            basis=basis,
            mode=mode,
            tier_basis=tier,
            per=per,
            allow_negative=draw(negatives if negatives is not None else st.booleans()),
            boundary=draw(boundaries if boundaries is not None else st.sampled_from(Boundary)),
            brackets=draw(ladders if ladders is not None else bracket_ladders()),
            threshold=draw(st.none() | amounts(min_value=0, max_value=10**6, places=0)),
            cap=draw(st.none() | amounts(min_value=0, max_value=10**6, places=2)),
            conditions=conds,
            scorecard=card,
            payout=payout,
            form=draw(st.sampled_from(RebateForm)),
            rounding=draw(st.sampled_from(["ROUND_HALF_UP", "ROUND_HALF_EVEN", "ROUND_DOWN"])),
            scope=draw(scopes()) if scoped and draw(st.booleans()) else Scope(),
        )

    return build()


_currencies = currencies

REGISTRY: dict[type, Callable[[], st.SearchStrategy[Any]]] = {
    Bracket: brackets,
    Condition: conditions,
    PayoutStep: payout_steps,
    Scope: scopes,
    RebatePolicy: rebate_policies,
}
"""The types this module's strategies are registered for with ``st.from_type``."""
