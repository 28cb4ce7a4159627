"""Hypothesis strategies for the parts of results (a rebate's lines, steps, reasons...).

The parts: a rebate's lines, next step and adjustments, and the reasons of credit, request and
claim decisions.

Each part is taken from a result the calculator computed for drawn inputs, so it is always one
the library can produce.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from channelkit.credit.check import CreditReason
from channelkit.incentives.decisions import ClaimReason, RequestReason
from channelkit.rebates.engine import compute_rebate
from channelkit.rebates.results import Adjustment, NextBracket, RebateLine
from channelkit.testing._credit import credit_decisions
from channelkit.testing._funds import claim_decisions, request_decisions
from channelkit.testing._programs import _metrics, _money_amount
from channelkit.testing._rebates import rebate_policies
from channelkit.testing._results import rebate_results
from channelkit.testing._scoring import tiers

__all__ = [
    "adjustments",
    "claim_reasons",
    "credit_reasons",
    "next_brackets",
    "rebate_lines",
    "request_reasons",
]


def rebate_lines() -> st.SearchStrategy[RebateLine]:
    """One line of a drawn rebate result that has lines."""
    return (
        rebate_results()
        .filter(lambda r: len(r.lines) > 0)
        .flatmap(lambda r: st.sampled_from(r.lines))
    )


def next_brackets() -> st.SearchStrategy[NextBracket]:
    """The next step of a drawn rebate result below its top bracket."""
    steps = rebate_results().map(lambda r: r.next_bracket)
    return steps.filter(lambda n: n is not None)  # type: ignore[return-value]


def adjustments() -> st.SearchStrategy[Adjustment]:
    """One adjustment of a rebate computed with a tier (so it has at least that one)."""

    @st.composite
    def build(draw: st.DrawFn) -> Adjustment:
        policy = draw(rebate_policies(negatives=st.just(False)))
        basis = draw(_money_amount(policy.currency, 10**6))
        result = compute_rebate(policy, basis, metrics=_metrics((policy,)), tier=draw(tiers()))
        return draw(st.sampled_from(result.adjustments))

    return build()


def credit_reasons() -> st.SearchStrategy[CreditReason]:
    """One reason of a drawn credit decision that has reasons."""
    return (
        credit_decisions()
        .filter(lambda d: len(d.reasons) > 0)
        .flatmap(lambda d: st.sampled_from(d.reasons))
    )


def request_reasons() -> st.SearchStrategy[RequestReason]:
    """One reason of a drawn request decision that has reasons."""
    return (
        request_decisions()
        .filter(lambda d: len(d.reasons) > 0)
        .flatmap(lambda d: st.sampled_from(d.reasons))
    )


def claim_reasons() -> st.SearchStrategy[ClaimReason]:
    """One reason of a drawn claim decision that has reasons."""
    return (
        claim_decisions()
        .filter(lambda d: len(d.reasons) > 0)
        .flatmap(lambda d: st.sampled_from(d.reasons))
    )


REGISTRY: dict[type, Callable[[], st.SearchStrategy[Any]]] = {
    RebateLine: rebate_lines,
    NextBracket: next_brackets,
    Adjustment: adjustments,
    CreditReason: credit_reasons,
    RequestReason: request_reasons,
    ClaimReason: claim_reasons,
}
"""The types this module's strategies are registered for with ``st.from_type``."""
