"""Hypothesis strategies for channel conflicts: conflicts, deal registrations, recommendations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from channelkit.conflicts import (
    SETTLED_STATUSES,
    Conflict,
    ConflictCause,
    ConflictStatus,
    ConflictType,
    DealRegistration,
    DealStatus,
    Recommendation,
    Resolution,
    recommend,
)
from channelkit.money import Money
from channelkit.scales import Severity
from channelkit.testing._kernel import currencies as _currencies
from channelkit.testing._kernel import ids as _ids
from channelkit.testing._kernel import money as _money

__all__ = ["conflicts", "deal_registrations", "recommendations"]

_MIN_DATE = dt.date(2020, 1, 1)
_MAX_DATE = dt.date(2030, 12, 31)


def deal_registrations(
    *,
    ids: st.SearchStrategy[str] | None = None,
    partner_ids: st.SearchStrategy[str] | None = None,
    customer_ids: st.SearchStrategy[str] | None = None,
    statuses: st.SearchStrategy[DealStatus] | None = None,
    min_value: dt.date = _MIN_DATE,
    max_value: dt.date = _MAX_DATE,
    max_days: int = 400,
) -> st.SearchStrategy[DealRegistration]:
    """Valid registrations registered in ``[min_value, max_value]``, 1 to ``max_days`` days long."""
    return st.builds(
        lambda rid, pid, cid, start, days, status: DealRegistration(
            id=rid,
            partner_id=pid,
            customer_id=cid,
            registered=start,
            expires=start + dt.timedelta(days=days),
            status=status,
        ),
        ids if ids is not None else _ids("REG"),
        partner_ids if partner_ids is not None else _ids("P"),
        customer_ids if customer_ids is not None else _ids("C"),
        st.dates(min_value=min_value, max_value=max_value),
        st.integers(min_value=1, max_value=max_days),
        statuses if statuses is not None else st.sampled_from(DealStatus),
    )


def conflicts(
    *,
    ids: st.SearchStrategy[str] | None = None,
    parties: st.SearchStrategy[str] | None = None,
    causes: st.SearchStrategy[ConflictCause] | None = None,
    severities: st.SearchStrategy[Severity] | None = None,
    statuses: st.SearchStrategy[ConflictStatus] | None = None,
    currencies: st.SearchStrategy[str] | None = None,
    min_value: dt.date = _MIN_DATE,
    max_value: dt.date = _MAX_DATE,
) -> st.SearchStrategy[Conflict]:
    """Valid conflicts: 1 to 3 distinct parties, a resolution exactly when resolved or closed.

    The amount at stake, when there is one, is sometimes above the input bound of 10**15 (a
    result field: see ``ResultMoney``).
    """
    id_st = ids if ids is not None else _ids("CF")
    party_st = parties if parties is not None else _ids("P")
    status_st = statuses if statuses is not None else st.sampled_from(ConflictStatus)
    currency_st = currencies if currencies is not None else _currencies()
    # a stake is a computed sum: sometimes beyond the input bound of 10**15
    large = st.builds(
        lambda n, cur: Money._make(Decimal(n), cur),
        st.integers(min_value=10**15, max_value=10**30),
        currency_st,
    )
    stake_st = st.none() | _money(currency_st, min_value=0, max_value=10**9) | large

    @st.composite
    def build(draw: st.DrawFn) -> Conflict:
        status = draw(status_st)
        stake: Money | None = draw(stake_st)
        return Conflict(
            id=draw(id_st),
            type=draw(st.sampled_from(ConflictType)),
            cause=draw(causes if causes is not None else st.sampled_from(ConflictCause)),
            parties=tuple(draw(st.lists(party_st, min_size=1, max_size=3, unique=True))),
            severity=draw(severities if severities is not None else st.sampled_from(Severity)),
            status=status,
            detected=draw(st.dates(min_value=min_value, max_value=max_value)),
            amount_at_stake=stake,
            evidence=tuple(draw(st.lists(_ids("T"), max_size=4))),
            description=draw(st.text(max_size=30)),
            resolution=draw(st.sampled_from(Resolution)) if status in SETTLED_STATUSES else None,
        )

    return build()


def recommendations(*, max_recurrences: int = 3) -> st.SearchStrategy[Recommendation]:
    """Recommendations that ``recommend`` makes, with 0 to ``max_recurrences`` recurrences.

    Each is made for a drawn conflict and a history of earlier copies of it under other ids.
    """

    @st.composite
    def build(draw: st.DrawFn) -> Recommendation:
        conflict = draw(conflicts(min_value=dt.date(2021, 1, 1)))
        n = draw(st.integers(min_value=0, max_value=max_recurrences))
        history = [
            conflict.model_copy(
                update={
                    "id": f"{conflict.id}-r{i}",
                    "detected": conflict.detected - dt.timedelta(days=i),
                }
            )
            for i in range(n)
        ]
        return recommend(conflict, history=history)

    return build()


REGISTRY: dict[type, Callable[[], st.SearchStrategy[Any]]] = {
    Conflict: conflicts,
    DealRegistration: deal_registrations,
    Recommendation: recommendations,
}
"""The types this module's strategies are registered for with ``st.from_type``."""
