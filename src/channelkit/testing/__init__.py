"""Hypothesis strategies for every public channelkit model, in Hypothesis's own style.

Strategies have plural names (``partners()``, ``rebate_policies()``), take bounds as
``min_value``/``max_value`` and other strategies as arguments, and always produce valid models.
They are registered with `hypothesis.strategies.register_type_strategy` through the
``hypothesis`` entry point, so ``st.from_type(Partner)`` works as soon as channelkit is installed
beside Hypothesis (which this module needs: ``pip install 'channelkit[testing]'``).

Examples
--------
>>> from hypothesis import given, strategies as st
>>> from channelkit import Partner
>>> @given(st.from_type(Partner))
... def test_partner_ids_are_non_empty(p):
...     assert p.id
>>> test_partner_ids_are_non_empty()
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

from channelkit.testing._kernel import (
    amounts,
    currencies,
    financial_statements,
    ids,
    money,
    partners,
    periods,
    transactions,
)
from channelkit.testing._scoring import metrics, requirements, scorecards, tier_benefits, tiers

# [rebates]
# isort: split
from channelkit.testing._design import findings, partner_diffs, simulation_rows, simulations
from channelkit.testing._programs import group_settlements, program_settlements, programs
from channelkit.testing._rebates import (
    bracket_ladders,
    brackets,
    conditions,
    payout_schedules,
    payout_steps,
    rebate_policies,
    scopes,
)
from channelkit.testing._results import accruals, rebate_results, settlements
from channelkit.testing._versions import ledger_entries, policy_versions, rebate_ledgers

# [/rebates]
# [tiers]
# isort: split
from channelkit.testing._scoring import actuals, score_parts, scores
from channelkit.testing._tiers import gaps, tier_decisions, tier_programs

# [/tiers]
# [credit]
# isort: split
from channelkit.testing._credit import (
    agings,
    credit_decisions,
    credit_limit_proposals,
    credit_policies,
    exposures,
    open_items,
)

# [/credit]
# [review]
# isort: split
from channelkit.testing._review import (
    channel_reviews,
    concentrations,
    coverages,
    figures,
    group_rows,
    partner_rows,
)

# [/review]
# [conflicts]
# isort: split
from channelkit.testing._conflicts import conflicts, deal_registrations, recommendations

# [/conflicts]
# [risk]
# isort: split
from channelkit.testing._risk import (
    indicators,
    risk_assessments,
    risk_items,
    risk_matrices,
    risk_summaries,
)

# [/risk]
# [incentives]
# isort: split
from channelkit.testing._funds import (
    claim_decisions,
    claims,
    fund_allocations,
    fund_balance_reports,
    fund_balance_rows,
    fund_entries,
    fund_programs,
    fund_requests,
    request_decisions,
)
from channelkit.testing._profit import channel_costs, profit_rows, profitability_reports

# [/incentives]
# [parts]
# isort: split
from channelkit.testing._parts import (
    adjustments,
    claim_reasons,
    credit_reasons,
    next_brackets,
    rebate_lines,
    request_reasons,
)

# [/parts]

__all__ = [
    # kernel and facts
    "amounts",
    "currencies",
    "ids",
    "money",
    "periods",
    "partners",
    "transactions",
    "financial_statements",
    # scoring and tiers
    "metrics",
    "scorecards",
    "requirements",
    "tier_benefits",
    "tiers",
    # [rebates-all]
    "brackets",
    "bracket_ladders",
    "conditions",
    "payout_steps",
    "payout_schedules",
    "scopes",
    "rebate_policies",
    "rebate_results",
    "settlements",
    "accruals",
    "programs",
    "program_settlements",
    "group_settlements",
    "policy_versions",
    "ledger_entries",
    "rebate_ledgers",
    "findings",
    "simulations",
    "simulation_rows",
    "partner_diffs",
    # [/rebates-all]
    # [tiers-all]
    "actuals",
    "scores",
    "score_parts",
    "tier_programs",
    "tier_decisions",
    "gaps",
    # [/tiers-all]
    # [credit-all]
    "exposures",
    "credit_policies",
    "open_items",
    "agings",
    "credit_decisions",
    "credit_limit_proposals",
    # [/credit-all]
    # [review-all]
    "figures",
    "partner_rows",
    "group_rows",
    "coverages",
    "concentrations",
    "channel_reviews",
    # [/review-all]
    # [conflicts-all]
    "conflicts",
    "deal_registrations",
    "recommendations",
    # [/conflicts-all]
    # [risk-all]
    "indicators",
    "risk_items",
    "risk_matrices",
    "risk_assessments",
    "risk_summaries",
    # [/risk-all]
    # [incentives-all]
    "fund_programs",
    "fund_requests",
    "claims",
    "fund_allocations",
    "request_decisions",
    "claim_decisions",
    "fund_entries",
    "fund_balance_rows",
    "fund_balance_reports",
    "channel_costs",
    "profit_rows",
    "profitability_reports",
    # [/incentives-all]
    # [parts-all]: the parts of results (a rebate's lines, next step, adjustments; reasons)
    "rebate_lines",
    "next_brackets",
    "adjustments",
    "credit_reasons",
    "request_reasons",
    "claim_reasons",
    # [/parts-all]
    # registration
    "register",
]


def _registry() -> dict[type, Callable[[], Any]]:
    """Merge the ``REGISTRY`` of every strategy module of this package."""
    merged: dict[type, Callable[[], Any]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        merged.update(getattr(module, "REGISTRY", {}))
    return merged


def register() -> None:
    """Register every strategy with ``st.register_type_strategy`` (idempotent).

    Importing this module does it (and Hypothesis imports this module through its entry point);
    call it yourself only after registering other strategies for the same types.
    """
    from hypothesis import strategies as st

    for tp, factory in _registry().items():
        st.register_type_strategy(tp, st.deferred(factory))


register()
_READY = True
