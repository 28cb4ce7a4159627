"""Hypothesis strategies for incentive funds: programmes, requests, claims and their results.

The input strategies draw valid models; the result strategies call the calculators themselves
(``allocate_funds``, ``decide_request``, ``decide_claim``, ``fund_balances``) on drawn inputs, so a
result is always one the library can produce: scaled and unscaled allocations, every outcome and
reason, ledgers with payments, releases and expiries.

Examples
--------
>>> from hypothesis import given
>>> @given(fund_balance_reports())
... def test_available_is_never_negative(report):
...     assert all(b.available.amount >= 0 for b in report)
>>> test_available_is_never_negative()
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final

from hypothesis import strategies as st

from channelkit.currencies import CURRENCIES
from channelkit.incentives.balances import (
    FundBalance,
    FundBalances,
    FundEntry,
    FundEntryKind,
    fund_balances,
)
from channelkit.incentives.decisions import (
    ClaimDecision,
    RequestDecision,
    decide_claim,
    decide_request,
)
from channelkit.incentives.funds import (
    Claim,
    FundAllocation,
    FundProgram,
    FundRequest,
    allocate_funds,
)
from channelkit.money import Money
from channelkit.partners import Partner, PartnerKind, PartnerStatus
from channelkit.periods import Period
from channelkit.testing._kernel import amounts, currencies, ids

__all__ = [
    # inputs
    "fund_programs",
    "fund_requests",
    "claims",
    # results
    "fund_allocations",
    "request_decisions",
    "claim_decisions",
    "fund_entries",
    "fund_balance_rows",
    "fund_balance_reports",
]

ACTIVITIES: Final = ("display", "training", "trade_show", "storage", "transport", "installation")
"""The activities drawn: co-op and market development, subsidies, function-based pay."""
_TIERS: Final = ("GOLD", "SILVER", "BRONZE")
_PARTNERS: Final = ("P1", "P2", "P3")
_YEAR: Final = Period.year(2026)
_DATES: Final = st.dates(min_value=dt.date(2025, 10, 1), max_value=dt.date(2027, 3, 31))
_JOINED: Final = dt.date(2024, 1, 1)
_ACTIVITY: Final = st.sampled_from(ACTIVITIES)
_STATUSES: Final = st.sampled_from([PartnerStatus.ACTIVE] * 4 + list(PartnerStatus))

_ids = ids
_currencies = currencies


def _money(
    cur: str, max_value: Decimal | int, min_value: Decimal | int = 0
) -> st.SearchStrategy[Money]:
    """Money on ``cur``'s minor unit in ``[min_value, max_value]``."""
    places = CURRENCIES[cur]
    return amounts(min_value=min_value, max_value=max_value, places=places).map(
        lambda a: Money(a, cur)
    )


def fund_programs(
    *,
    ids: st.SearchStrategy[str] | None = None,
    currencies: st.SearchStrategy[str] | None = None,
    periods: st.SearchStrategy[Period] | None = None,
    activities: st.SearchStrategy[frozenset[str] | None] | None = None,
    max_budget: Decimal | int = 10**7,
) -> st.SearchStrategy[FundProgram]:
    """Valid programmes: a budget (or none) up to ``max_budget``, quotas, rates and windows.

    By default the period is the calendar year 2026 or one of its quarters, ``activities`` is
    ``None`` or a few of ``ACTIVITIES``, the reimbursement rate has two places, and quotas are
    drawn for some of the tiers GOLD, SILVER and BRONZE.
    """
    id_st = ids if ids is not None else _ids("F")
    cur_st = currencies if currencies is not None else _currencies()
    period_st = (
        periods
        if periods is not None
        else st.sampled_from([_YEAR, *(Period.quarter(2026, q) for q in (1, 2, 3, 4))])
    )
    act_st = (
        activities
        if activities is not None
        else st.none() | st.frozensets(st.sampled_from(ACTIVITIES), min_size=1, max_size=4)
    )

    @st.composite
    def build(draw: st.DrawFn) -> FundProgram:
        cur = draw(cur_st)
        quota_st = _money(cur, Decimal(max_budget) / 4)
        # a small budget now and then, so that allocations are scaled to it
        budget_st = st.none() | _money(cur, Decimal(max_budget) / 100) | _money(cur, max_budget)
        return FundProgram(
            id=draw(id_st),
            name=draw(st.text(min_size=1, max_size=16)),
            currency=cur,
            period=draw(period_st),
            budget=draw(budget_st),
            accrual_rate=draw(amounts(min_value=0, max_value=Decimal("0.1"), places=4)),
            tier_quotas=draw(st.dictionaries(st.sampled_from(_TIERS), quota_st, max_size=3)),
            activities=draw(act_st),
            reimbursement_rate=draw(amounts(min_value=0, max_value=1, places=2)),
            claim_window_days=draw(st.integers(min_value=0, max_value=120)),
            proof_required=draw(st.booleans()),
        )

    return build()


def fund_requests(
    *,
    ids: st.SearchStrategy[str] | None = None,
    program_ids: st.SearchStrategy[str] | None = None,
    partner_ids: st.SearchStrategy[str] | None = None,
    currencies: st.SearchStrategy[str] | None = None,
    dates: st.SearchStrategy[dt.date] | None = None,
    max_days: int = 60,
    max_cost: Decimal | int = 10**6,
) -> st.SearchStrategy[FundRequest]:
    """Valid requests: an activity of ``ACTIVITIES`` lasting 1 to ``max_days + 1`` days.

    ``dates`` draws the first day (around 2026 by default); the planned cost is on the
    currency's minor unit, from 0 to ``max_cost``.
    """
    id_st = ids if ids is not None else _ids("R")
    program_st = program_ids if program_ids is not None else _ids("F")
    pid_st = partner_ids if partner_ids is not None else st.sampled_from(_PARTNERS)
    cur_st = currencies if currencies is not None else _currencies()
    date_st = dates if dates is not None else _DATES

    @st.composite
    def build(draw: st.DrawFn) -> FundRequest:
        cur = draw(cur_st)
        start = draw(date_st)
        return FundRequest(
            id=draw(id_st),
            program_id=draw(program_st),
            partner_id=draw(pid_st),
            activity=draw(st.sampled_from(ACTIVITIES)),
            planned_cost=draw(_money(cur, max_cost)),
            start=start,
            end=start + dt.timedelta(days=draw(st.integers(min_value=0, max_value=max_days))),
        )

    return build()


def claims(
    *,
    ids: st.SearchStrategy[str] | None = None,
    request_ids: st.SearchStrategy[str] | None = None,
    partner_ids: st.SearchStrategy[str] | None = None,
    currencies: st.SearchStrategy[str] | None = None,
    dates: st.SearchStrategy[dt.date] | None = None,
    max_amount: Decimal | int = 10**6,
) -> st.SearchStrategy[Claim]:
    """Valid claims: an amount from 0 to ``max_amount`` and sometimes proof references."""
    id_st = ids if ids is not None else _ids("C")
    request_st = request_ids if request_ids is not None else _ids("R")
    pid_st = partner_ids if partner_ids is not None else st.sampled_from(_PARTNERS)
    cur_st = currencies if currencies is not None else _currencies()
    date_st = dates if dates is not None else _DATES
    proof_st = st.lists(st.sampled_from(["photos.zip", "invoice.pdf", "attendance.xlsx"]))

    @st.composite
    def build(draw: st.DrawFn) -> Claim:
        cur = draw(cur_st)
        return Claim(
            id=draw(id_st),
            request_id=draw(request_st),
            partner_id=draw(pid_st),
            amount=draw(_money(cur, max_amount)),
            submitted=draw(date_st),
            proof=tuple(draw(proof_st.map(sorted))),
        )

    return build()


def _partners(draw: st.DrawFn, cur: str, min_size: int = 0) -> list[Partner]:
    """``min_size`` to three partners of any status, with or without a tier."""
    chosen = draw(st.lists(st.sampled_from(_PARTNERS), unique=True, min_size=min_size, max_size=3))
    return [
        Partner(
            id=pid,
            name=pid,
            kind=PartnerKind.DEALER,
            tier=draw(st.none() | st.sampled_from(_TIERS)),
            currency=cur,
            payment_terms_days=30,
            joined=_JOINED,
            status=draw(_STATUSES),
        )
        for pid in sorted(chosen)
    ]


def _allocation(draw: st.DrawFn, program: FundProgram, min_partners: int = 0) -> FundAllocation:
    cur = program.currency
    partners = _partners(draw, cur, min_partners)
    sales = {p.id: draw(amounts(min_value=-1000, max_value=10**7, places=2)) for p in partners}
    return allocate_funds(program, partners, sales=sales)


def fund_allocations(
    *, programs: st.SearchStrategy[FundProgram] | None = None
) -> st.SearchStrategy[FundAllocation]:
    """Results of [`allocate_funds`][] for up to three partners with drawn sales (some negative)."""
    program_st = programs if programs is not None else fund_programs()

    @st.composite
    def build(draw: st.DrawFn) -> FundAllocation:
        return _allocation(draw, draw(program_st))

    return build()


def _request(draw: st.DrawFn, program: FundProgram) -> FundRequest:
    """A request of ``program``, mostly one that passes its checks.

    Now and then it is for another programme, an activity the programme does not fund, or days
    that leave its period.
    """
    period = program.period
    if draw(st.integers(min_value=0, max_value=9)):  # inside the period
        start = period.start + dt.timedelta(draw(st.integers(0, period.days - 1)))
        last = min((period.end - start).days - 1, 40)
        end = start + dt.timedelta(draw(st.integers(0, last)))
    elif draw(st.booleans()):  # starting before the period
        start = period.start - dt.timedelta(draw(st.integers(1, 15)))
        end = start + dt.timedelta(draw(st.integers(0, 40)))
    else:  # ending on or after the period's (exclusive) end
        end = period.end + dt.timedelta(draw(st.integers(0, 15)))
        start = end - dt.timedelta(draw(st.integers(0, 40)))
    funded = sorted(program.activities) if program.activities else list(ACTIVITIES)
    activity = draw(st.sampled_from(funded) if draw(st.integers(0, 9)) else _ACTIVITY)
    return FundRequest(
        id=draw(_ids("R")),
        program_id=program.id if draw(st.integers(0, 9)) else "OTHER",
        partner_id=draw(st.sampled_from(_PARTNERS)),
        activity=activity,
        planned_cost=draw(_money(program.currency, 10**5)),
        start=start,
        end=end,
    )


def request_decisions(
    *, programs: st.SearchStrategy[FundProgram] | None = None
) -> st.SearchStrategy[RequestDecision]:
    """Results of [`decide_request`][] on drawn requests, allocations and commitments.

    The allocation is sometimes zero and the commitment sometimes all of it, so every outcome
    and reason is drawn.
    """
    program_st = programs if programs is not None else fund_programs()

    @st.composite
    def build(draw: st.DrawFn) -> RequestDecision:
        program = draw(program_st)
        cur = program.currency
        allocation = draw(st.just(Money(0, cur)) | _money(cur, 10**6))
        committed = draw(
            st.just(Money(0, cur))
            | st.just(allocation)
            | _money(cur, allocation.amount)
            | _money(cur, 10**6)
        )
        return decide_request(
            program, _request(draw, program), allocation=allocation, committed=committed
        )

    return build()


def claim_decisions(
    *, programs: st.SearchStrategy[FundProgram] | None = None
) -> st.SearchStrategy[ClaimDecision]:
    """Results of [`decide_claim`][] on drawn claims, every outcome and reason among them.

    Claims are sometimes late, without proof, by another partner, in another currency or above
    what is left of the approval.
    """
    program_st = programs if programs is not None else fund_programs()

    @st.composite
    def build(draw: st.DrawFn) -> ClaimDecision:
        program = draw(program_st)
        cur = program.currency
        request = _request(draw, program)
        submitted = request.end + dt.timedelta(
            days=draw(st.integers(min_value=-3, max_value=program.claim_window_days + 10))
        )
        claim = draw(
            claims(
                request_ids=st.just(request.id),
                partner_ids=st.sampled_from([request.partner_id] * 3 + ["PX"]),
                currencies=st.sampled_from([cur, cur, cur, "USD" if cur != "USD" else "EUR"]),
                dates=st.just(submitted),
            )
        )
        approved = draw(_money(cur, 10**6))
        before = draw(st.just(Money(0, cur)) | st.just(approved) | _money(cur, approved.amount))
        as_of = submitted + dt.timedelta(days=draw(st.integers(min_value=0, max_value=30)))
        return decide_claim(
            program, claim, request, approved=approved, claimed_before=before, as_of=as_of
        )

    return build()


def fund_entries(
    *,
    currencies: st.SearchStrategy[str] | None = None,
    kinds: st.SearchStrategy[FundEntryKind] | None = None,
    dates: st.SearchStrategy[dt.date] | None = None,
    max_amount: Decimal | int = 10**7,
) -> st.SearchStrategy[FundEntry]:
    """Valid ledger lines: a positive amount, and the ids each kind names."""
    cur_st = currencies if currencies is not None else _currencies()
    kind_st = kinds if kinds is not None else st.sampled_from(FundEntryKind)
    date_st = dates if dates is not None else _DATES

    @st.composite
    def build(draw: st.DrawFn) -> FundEntry:
        cur = draw(cur_st)
        kind = draw(kind_st)
        step = Decimal(1).scaleb(-CURRENCIES[cur])
        return FundEntry(
            date=draw(date_st),
            kind=kind,
            request_id=None if kind is FundEntryKind.ALLOCATE else draw(_ids("R")),
            claim_id=draw(_ids("C")) if kind in (FundEntryKind.CLAIM, FundEntryKind.PAY) else None,
            amount=draw(_money(cur, max_amount, step)),
        )

    return build()


def _scenario(
    draw: st.DrawFn,
    program: FundProgram,
    max_requests: int,
    max_claims: int,
    min_partners: int = 0,
) -> Any:
    """A programme's allocation, requests, claims, payments, closed requests and ``as_of``."""
    cur = program.currency
    allocation = _allocation(draw, program, min_partners)
    n = draw(st.integers(min_value=0, max_value=max_requests))
    requests = [
        _request(draw, program).model_copy(
            update={"id": f"R{i}", "partner_id": draw(st.sampled_from([*_PARTNERS, "PX"]))}
        )
        for i in range(n)
    ]
    pool = [r.id for r in requests] + ["RX"]
    m = draw(st.integers(min_value=0, max_value=max_claims))
    claimed: list[Claim] = []
    for i in range(m):
        rid = draw(st.sampled_from(pool))
        request = next((r for r in requests if r.id == rid), None)
        end = request.end if request is not None else program.period.start
        partner = request.partner_id if request is not None else "P1"
        claimed.append(
            draw(
                claims(
                    ids=st.just(f"C{i}"),
                    request_ids=st.just(rid),
                    partner_ids=st.sampled_from([partner] * 4 + ["PX"]),
                    currencies=st.sampled_from([cur] * 5 + ["USD" if cur != "USD" else "EUR"]),
                    dates=st.dates(
                        min_value=end - dt.timedelta(days=5),
                        max_value=end + dt.timedelta(days=program.claim_window_days + 15),
                    ),
                    max_amount=10**5,
                )
            )
        )
    as_of = program.period.start + dt.timedelta(
        days=draw(st.integers(min_value=0, max_value=program.period.days + 200))
    )
    closed = frozenset(draw(st.lists(st.sampled_from([*pool, "RY"]), max_size=3)))
    # what each counted claim was approved for bounds its payment
    first = fund_balances(program, allocation, requests, claimed, as_of=as_of, closed=closed)
    approved = {
        e.claim_id: e.amount
        for b in first
        for e in b.entries
        if e.kind is FundEntryKind.CLAIM and e.claim_id is not None
    }
    payments = {
        cid: draw(st.sampled_from([amount, Money(0, cur)]) | _money(cur, amount.amount))
        for cid, amount in approved.items()
        if draw(st.booleans())
    }
    return allocation, requests, claimed, as_of, payments, closed


def fund_balance_reports(
    *,
    programs: st.SearchStrategy[FundProgram] | None = None,
    max_requests: int = 4,
    max_claims: int = 5,
    min_partners: int = 0,
) -> st.SearchStrategy[FundBalances]:
    """Results of [`fund_balances`][] on drawn scenarios.

    An allocation to ``min_partners`` to three partners, up to ``max_requests`` requests (some
    of another programme, for a partner without an allocation, or outside the period) and
    ``max_claims`` claims (some late, without proof, by another partner, in another currency, on
    an unknown request or after ``as_of``), payments up to what each claim was approved for, and
    a few closed requests.
    """
    program_st = programs if programs is not None else fund_programs()

    @st.composite
    def build(draw: st.DrawFn) -> FundBalances:
        program = draw(program_st)
        allocation, requests, claimed, as_of, payments, closed = _scenario(
            draw, program, max_requests, max_claims, min_partners
        )
        return fund_balances(
            program,
            allocation,
            requests,
            claimed,
            as_of=as_of,
            payments=payments,
            closed=closed,
        )

    return build()


def fund_balance_rows(
    *, reports: st.SearchStrategy[FundBalances] | None = None
) -> st.SearchStrategy[FundBalance]:
    """One partner's balance taken from a drawn report (so derived from real entries).

    ``reports`` defaults to ``fund_balance_reports(min_partners=1)``, never empty.
    """
    report_st = reports if reports is not None else fund_balance_reports(min_partners=1)
    return report_st.filter(len).flatmap(lambda r: st.sampled_from(r.balances))


REGISTRY: dict[type, Callable[[], st.SearchStrategy[Any]]] = {
    FundProgram: fund_programs,
    FundRequest: fund_requests,
    Claim: claims,
    FundAllocation: fund_allocations,
    RequestDecision: request_decisions,
    ClaimDecision: claim_decisions,
    FundEntry: fund_entries,
    FundBalance: fund_balance_rows,
    FundBalances: fund_balance_reports,
}
"""The types this module's strategies are registered for with ``st.from_type``."""
