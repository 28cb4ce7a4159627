"""Hypothesis strategies for the design tools: lint's findings and simulations."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from channelkit.rebates.lint import Finding, FindingCode, finding
from channelkit.rebates.models import RebateBasis, RebatePolicy, SettleUnit
from channelkit.rebates.simulate import PartnerDiff, Simulation, SimulationRow, simulate
from channelkit.testing._kernel import amounts, currencies, ids
from channelkit.testing._rebates import rebate_policies

__all__ = ["findings", "partner_diffs", "simulation_rows", "simulations"]

_WHOLE = (FindingCode.THRESHOLD_BELOW_FIRST, FindingCode.ZERO_LADDER)
"""The codes whose findings name no bracket."""
_MONEY_BASES = [b for b in RebateBasis if b.is_money and b is not RebateBasis.INCREMENTAL]


def findings(*, codes: st.SearchStrategy[FindingCode] | None = None) -> st.SearchStrategy[Finding]:
    """Findings of every code with drawn figures, built as ``lint`` builds them.

    The severity is the code's, the bracket ``None`` for THRESHOLD_BELOW_FIRST and ZERO_LADDER,
    the message the English text of the figures; ZERO_LADDER cites no figure.
    """
    code_st = codes if codes is not None else st.sampled_from(FindingCode)
    figure = amounts(min_value=0, max_value=10**7, places=st.integers(0, 4))

    @st.composite
    def build(draw: st.DrawFn) -> Finding:
        code = draw(code_st)
        whole = code in _WHOLE
        bracket = None if whole else draw(st.integers(min_value=0, max_value=6))
        cited = code is not FindingCode.ZERO_LADDER
        return finding(
            code,
            bracket=bracket,
            start=None if whole else draw(figure),
            value=draw(figure) if cited else None,
            reference=draw(figure) if cited else None,
            per_unit=draw(st.booleans()),
        )

    return build()


def simulations(
    *,
    policies: st.SearchStrategy[RebatePolicy] | None = None,
    max_policies: int = 3,
    min_partners: int = 0,
    max_partners: int = 6,
) -> st.SearchStrategy[Simulation]:
    """Results of [`simulate`][] over drawn policies, bases and growth factors.

    The policies (``rebate_policies(composite=False)`` by default, with a money basis other than
    INCREMENTAL) are given one currency, unique ids, no ``tier_basis`` and ``per=PERIOD``; the
    bases are 0 to 10**7 for ``min_partners`` to ``max_partners`` partners; one to three growth
    factors from -100% to +100%, whole percents.
    """

    @st.composite
    def build(draw: st.DrawFn) -> Simulation:
        cur = draw(currencies())
        policy_st = (
            policies
            if policies is not None
            else rebate_policies(composite=False, bases=st.sampled_from(_MONEY_BASES))
        )
        drawn = draw(st.lists(policy_st, min_size=1, max_size=max_policies))
        keys = draw(st.lists(ids("S"), min_size=len(drawn), max_size=len(drawn), unique=True))
        update = {"currency": cur, "tier_basis": None, "per": SettleUnit.PERIOD}
        chosen = {k: p.model_copy(update=update) for k, p in zip(keys, drawn, strict=True)}
        bases = draw(
            st.dictionaries(
                ids("D"),
                amounts(min_value=0, max_value=10**7, places=2),
                min_size=min_partners,
                max_size=max_partners,
            )
        )
        percents = draw(st.lists(st.integers(-100, 100), min_size=1, max_size=3, unique=True))
        growth = [Decimal(f"{n}e-2") for n in percents]
        return simulate(chosen, bases, growth=growth)

    return build()


def simulation_rows() -> st.SearchStrategy[SimulationRow]:
    """Rows of drawn [`simulations`][]."""
    return simulations().flatmap(lambda s: st.sampled_from(s.rows))


def partner_diffs() -> st.SearchStrategy[PartnerDiff]:
    """Per-partner differences between two policies of drawn [`simulations`][]."""

    @st.composite
    def build(draw: st.DrawFn) -> PartnerDiff:
        sim = draw(simulations(min_partners=1))
        a, b = draw(st.sampled_from(list(sim.policies))), draw(st.sampled_from(list(sim.policies)))
        growth = draw(st.sampled_from(sim.growth))
        return draw(st.sampled_from(sim.diff(a, b, growth)))

    return build()


REGISTRY: dict[type, Callable[[], st.SearchStrategy[Any]]] = {
    Finding: findings,
    Simulation: simulations,
    SimulationRow: simulation_rows,
    PartnerDiff: partner_diffs,
}
"""The types this module's strategies are registered for with ``st.from_type``."""
