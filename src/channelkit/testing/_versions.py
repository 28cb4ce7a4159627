"""Hypothesis strategies for dated terms and the rebate ledger."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from channelkit.currencies import CURRENCIES
from channelkit.money import Money
from channelkit.periods import Period
from channelkit.rebates.ledger import LedgerEntry, RebateLedger
from channelkit.rebates.models import Bracket, RebateBasis, RebatePolicy, TierMode
from channelkit.rebates.versions import VERSIONED_BASES, PolicyVersions
from channelkit.testing._kernel import amounts, currencies, ids
from channelkit.testing._rebates import rebate_policies

__all__ = ["ledger_entries", "policy_versions", "rebate_ledgers"]

_RATES = amounts(min_value=0, max_value=Decimal("0.2"), places=4)
_FLATS = st.just(Decimal(0)) | amounts(min_value=0, max_value=10_000, places=2)
_CAPS = st.none() | amounts(min_value=0, max_value=10**6, places=2)
_NOT_VERSIONED = ("tier_basis", "per", "allow_negative")


def _plain(policy: RebatePolicy) -> RebatePolicy:
    """``policy`` with the fields versions do not support at their defaults (validated)."""
    fields = RebatePolicy.model_fields
    reset = {name: fields[name].default for name in _NOT_VERSIONED if name in fields}
    if all(getattr(policy, name) == value for name, value in reset.items()):
        return policy
    return RebatePolicy(**{**dict(policy), **reset})


def policy_versions(
    *,
    min_size: int = 1,
    max_size: int = 3,
    policies: st.SearchStrategy[RebatePolicy] | None = None,
    modes: st.SearchStrategy[TierMode] | None = None,
    same_terms: bool = False,
    min_value: dt.date = dt.date(2024, 1, 1),
    max_value: dt.date = dt.date(2027, 12, 31),
) -> st.SearchStrategy[PolicyVersions]:
    """Valid versions: one policy's terms, each version with its own rates, flats and cap.

    The first version starts in ``[min_value, max_value]``; each lasts 1 to 200 days and the
    next starts where it ends. ``policies`` gives the common terms (default: drawn with a basis
    versions accept); ``same_terms=True`` keeps every version's rates, flats and cap equal to
    the first's (the versions then differ only in ``valid``).
    """
    bases = st.sampled_from(sorted(VERSIONED_BASES, key=lambda b: b.value))
    base_st = (
        policies if policies is not None else rebate_policies(bases=bases, modes=modes).map(_plain)
    )

    @st.composite
    def build(draw: st.DrawFn) -> PolicyVersions:
        base = draw(base_st)
        n = draw(st.integers(min_value=min_size, max_value=max_size))
        start = draw(st.dates(min_value=min_value, max_value=max_value))
        versions: list[RebatePolicy] = []
        for i in range(n):
            end = start + dt.timedelta(days=draw(st.integers(min_value=1, max_value=200)))
            update: dict[str, Any] = {"valid": Period(start, end)}
            if i and not same_terms:
                update["brackets"] = tuple(
                    Bracket(start=b.start, rate=draw(_RATES), flat=draw(_FLATS))
                    for b in base.brackets
                )
                update["cap"] = draw(_CAPS)
            versions.append(RebatePolicy(**{**dict(base), **update}))
            start = end
        return PolicyVersions(versions=tuple(versions))

    return build()


def ledger_entries(
    currencies: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[LedgerEntry]:
    """Ledger entries: figures in one currency, ``payable`` the rebate less ``clawback``."""
    cur_st = currencies if currencies is not None else _currencies()

    @st.composite
    def build(draw: st.DrawFn) -> LedgerEntry:
        cur = draw(cur_st)
        places = CURRENCIES[cur]

        def cash(low: int = -(10**6)) -> Money:
            return Money(draw(amounts(min_value=low, max_value=10**6, places=places)), cur)

        rebate, clawback = cash(0), cash()
        start = draw(st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 12, 31)))
        return LedgerEntry(
            period=Period(start, start + dt.timedelta(days=draw(st.integers(1, 366)))),
            basis=draw(amounts(min_value=-(10**7), max_value=10**8, places=2)),
            rebate=rebate,
            paid_before=cash(),
            clawback=clawback,
            payable=rebate - clawback,
        )

    return build()


def rebate_ledgers(
    currencies: st.SearchStrategy[str] | None = None, *, max_size: int = 4
) -> st.SearchStrategy[RebateLedger]:
    """Ledgers of contiguous periods whose entries add up (``paid_before``, ``total_paid``)."""
    cur_st = currencies if currencies is not None else _currencies()

    @st.composite
    def build(draw: st.DrawFn) -> RebateLedger:
        cur = draw(cur_st)
        places = CURRENCIES[cur]
        cumulative = draw(st.booleans())
        start = draw(st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 12, 31)))
        paid = Money.zero(cur)
        entries: list[LedgerEntry] = []
        for _ in range(draw(st.integers(min_value=1, max_value=max_size))):
            end = start + dt.timedelta(days=draw(st.integers(min_value=1, max_value=120)))
            rebate = Money(draw(amounts(min_value=0, max_value=10**6, places=places)), cur)
            clawback = Money(draw(amounts(min_value=0, max_value=10**4, places=places)), cur)
            payable = rebate - paid if cumulative else rebate - clawback
            entries.append(
                LedgerEntry(
                    period=Period(start, end),
                    basis=draw(amounts(min_value=0, max_value=10**8, places=2)),
                    rebate=rebate,
                    paid_before=paid,
                    clawback=clawback,
                    payable=payable,
                )
            )
            paid = paid + payable
            start = end
        return RebateLedger(
            partner_id=draw(ids("D")),
            policy_id=draw(ids("R")),
            basis_kind=draw(st.sampled_from(RebateBasis)),
            cumulative=cumulative,
            entries=tuple(entries),
            total_paid=paid,
        )

    return build()


_currencies = currencies

REGISTRY: dict[type, Callable[[], st.SearchStrategy[Any]]] = {
    PolicyVersions: policy_versions,
    LedgerEntry: ledger_entries,
    RebateLedger: rebate_ledgers,
}
"""The types this module's strategies are registered for with ``st.from_type``."""
