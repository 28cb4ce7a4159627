"""Contract tests of incentive funds (API.md, "Incentive funds, claims and channel profitability").

Written from the contract alone, independently of the implementation: every figure below is
worked by hand from the contract's formulas, with the arithmetic in a comment.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal, Inexact, localcontext
from typing import Any

import pytest
from pydantic import ValidationError

from channelkit.errors import ChannelkitError, CurrencyMismatchError
from channelkit.incentives.balances import (
    FundBalance,
    FundBalances,
    FundEntry,
    FundEntryKind,
    fund_balances,
)
from channelkit.incentives.decisions import (
    ClaimDecision,
    ClaimReason,
    ClaimReasonCode,
    Decision,
    RequestDecision,
    RequestReason,
    RequestReasonCode,
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
from channelkit.partners import Partner
from channelkit.periods import Period

D = Decimal
CNY = "CNY"
H1 = Period(dt.date(2026, 1, 1), dt.date(2026, 7, 1))  # [2026-01-01, 2026-07-01)
RC = RequestReasonCode
CC = ClaimReasonCode
K = FundEntryKind


def cny(x: int | str) -> Money:
    return Money(x, CNY)


def program(**kw: Any) -> FundProgram:
    fields: dict[str, Any] = {
        "id": "MDF",
        "name": "Market development",
        "currency": CNY,
        "period": H1,
        "budget": cny(10_000),
        "accrual_rate": D("0.01"),
        "tier_quotas": {"gold": cny(3_000), "silver": cny(1_000)},
        "activities": frozenset({"event", "ads"}),
        "reimbursement_rate": D("0.5"),
        "claim_window_days": 30,
    }
    fields.update(kw)
    return FundProgram(**fields)


def partner(pid: str, tier: str | None = None, status: str = "active") -> Partner:
    return Partner(
        id=pid,
        name=pid,
        kind="dealer",  # type: ignore[arg-type]
        tier=tier,
        currency=CNY,
        payment_terms_days=30,
        joined=dt.date(2024, 1, 1),
        status=status,  # type: ignore[arg-type]
    )


def request(
    rid: str, pid: str, planned: Money | int | str, start: dt.date, end: dt.date, **kw: Any
) -> FundRequest:
    return FundRequest(
        id=rid,
        program_id=kw.pop("program_id", "MDF"),
        partner_id=pid,
        activity=kw.pop("activity", "event"),
        planned_cost=planned if isinstance(planned, Money) else cny(planned),
        start=start,
        end=end,
    )


def claim(
    cid: str, rid: str, pid: str, amount: Money | int | str, submitted: dt.date, **kw: Any
) -> Claim:
    return Claim(
        id=cid,
        request_id=rid,
        partner_id=pid,
        amount=amount if isinstance(amount, Money) else cny(amount),
        submitted=submitted,
        proof=kw.pop("proof", ("invoice.pdf",)),
    )


def codes(decision: Any) -> set[Any]:
    return {r.code for r in decision.reasons}


@contextmanager
def argument_error() -> Iterator[None]:
    """Settled details of funds: an argument error is a ValueError subclass of ChannelkitError."""
    with pytest.raises(ChannelkitError) as info:
        yield
    assert isinstance(info.value, ValueError)


# -- models ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "kw"),
    [
        ("budget", {"budget": cny(-1)}),
        ("budget", {"budget": Money(100, "USD")}),
        ("tier_quotas", {"tier_quotas": {"gold": Money(100, "USD")}}),
        ("tier_quotas", {"tier_quotas": {"gold": cny(-1)}}),
        ("accrual_rate", {"accrual_rate": D("-0.01")}),
        ("accrual_rate", {"accrual_rate": 0.1}),  # a float is refused
        ("reimbursement_rate", {"reimbursement_rate": D("1.01")}),
        ("reimbursement_rate", {"reimbursement_rate": D("-0.01")}),
        ("claim_window_days", {"claim_window_days": -1}),
        ("bonus", {"bonus": 1}),  # extra="forbid"
        ("id", {"id": ""}),  # ids are non-empty
    ],
)
def test_program_validation_names_the_field(field: str, kw: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match=field):
        program(**kw)


def test_program_defaults_and_bounds() -> None:
    p = FundProgram(id="P", name="P", currency=CNY, period=H1)
    assert p.budget is None
    assert p.accrual_rate == 0
    assert dict(p.tier_quotas) == {}
    assert p.activities is None
    assert p.reimbursement_rate == 1
    assert p.claim_window_days == 60
    assert p.proof_required is True
    # the inclusive bounds are valid: rates 0 and 1, a zero budget and window, a zero quota
    program(reimbursement_rate=0, budget=cny(0), claim_window_days=0, tier_quotas={"x": cny(0)})
    program(reimbursement_rate=1, accrual_rate="0.25")
    with pytest.raises(ValidationError):  # frozen
        p.budget = cny(5)  # type: ignore[misc]


def test_request_and_claim_validation_names_the_field() -> None:
    day = dt.date(2026, 3, 1)
    with pytest.raises(ValidationError, match="end"):
        request("R", "A", 100, day, day - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="planned_cost"):
        request("R", "A", -1, day, day)
    with pytest.raises(ValidationError, match="amount"):
        claim("K", "R", "A", -1, day)
    # one-day requests, zero costs and zero claims are valid
    r = request("R", "A", 0, day, day)
    assert (r.start, r.end, r.planned_cost) == (day, day, cny(0))
    c = claim("K", "R", "A", 0, day, proof=())
    assert (c.amount, c.proof) == (cny(0), ())
    assert Claim(id="K", request_id="R", partner_id="A", amount=cny(1), submitted=day).proof == ()


def test_models_have_the_contracts_fields_in_order() -> None:
    expected: dict[type[Any], list[str]] = {
        FundProgram: [
            *("id", "name", "currency", "period", "budget", "accrual_rate", "tier_quotas"),
            *("activities", "reimbursement_rate", "claim_window_days", "proof_required"),
        ],
        FundRequest: ["id", "program_id", "partner_id", "activity", "planned_cost", "start", "end"],
        Claim: ["id", "request_id", "partner_id", "amount", "submitted", "proof"],
        FundAllocation: ["program_id", "amounts", "scaled"],
        RequestDecision: ["outcome", "approved", "reasons"],
        ClaimDecision: ["outcome", "approved", "reasons"],
        RequestReason: ["code", "message"],
        ClaimReason: ["code", "message"],
        FundBalances: ["as_of", "balances"],
        FundEntry: ["date", "kind", "request_id", "claim_id", "amount"],
    }
    for model, names in expected.items():
        fields = [f for f in model.model_fields if f in names]
        assert fields == names, model.__name__  # all present, in the contract's order
    figures = "allocated committed claimed paid unpaid released available unclaimed expired"
    assert next(iter(FundBalance.model_fields)) == "partner_id"  # starts with partner_id
    assert {*figures.split(), "entries"} <= set(FundBalance.model_fields)


def test_enums_are_lower_case_names_with_labels() -> None:
    expected = {
        Decision: ["approve", "partial", "reject"],
        RequestReasonCode: [
            "activity",
            "window",
            "no_allocation",
            "exhausted",
            "partial",
            "wrong_program",
        ],
        ClaimReasonCode: [
            "late",
            "no_proof",
            "over_approved",
            "wrong_partner",
            "currency",
            "partial",
        ],
        FundEntryKind: ["allocate", "commit", "claim", "pay", "release", "expire"],
    }
    for enum, values in expected.items():
        assert sorted(m.value for m in enum) == sorted(values)
        for m in enum:
            assert m.value == m.name.lower()
            assert m.label("en")
            assert m.label("zh")
            assert m.label("zh") != m.label("en")


# -- allocation --------------------------------------------------------------------------------

PARTNERS = [
    partner("A", "gold"),
    partner("B", "silver"),
    partner("C", "gold", "suspended"),
    partner("T", "gold", "terminated"),
    partner("D"),  # no tier
    partner("R", "bronze"),  # a tier without a quota
]
SALES = {"A": 200_000, "B": 50_000, "C": 100_000, "T": 100_000, "D": -5_000, "R": "100.5"}


def test_allocation_is_quota_plus_accrual_rounded_half_up() -> None:
    sales = {k: D(v) for k, v in SALES.items()} | {"Z": D(999_999)}  # Z is not passed
    a = allocate_funds(program(), PARTNERS, sales=sales)
    assert a.program_id == "MDF"
    assert a.scaled is False  # 6,501.01 <= 10,000
    assert dict(a.amounts) == {
        "A": cny(5_000),  # 3,000 + 0.01 x 200,000
        "B": cny(1_500),  # 1,000 + 0.01 x 50,000
        "C": cny(0),  # suspended
        "T": cny(0),  # terminated
        "D": cny(0),  # 0 + 0.01 x max(-5,000, 0)
        "R": cny("1.01"),  # 0 + 0.01 x 100.5 = 1.005 -> 1.01 half-up (half-even gives 1.00)
    }
    assert all(m.currency == CNY for m in a.amounts.values())
    # without sales (or a partner missing from them) only the quotas count
    a = allocate_funds(program(), PARTNERS)
    assert {k: m.amount for k, m in a.amounts.items()} == {
        "A": 3_000,
        "B": 1_000,
        "C": 0,
        "T": 0,
        "D": 0,
        "R": 0,
    }
    a = allocate_funds(program(), PARTNERS, sales={"B": D(100)})
    assert (a.amounts["A"], a.amounts["B"]) == (cny(3_000), cny(1_001))
    assert len(allocate_funds(program(), [], sales={"A": D(1)}).amounts) == 0


def test_scaled_exactly_when_the_unscaled_sum_is_strictly_above_the_budget() -> None:
    three = PARTNERS[:3]  # unscaled A 5,000, B 1,500, C 0: sum 6,500
    sales = {"A": D(200_000), "B": D(50_000), "C": D(100_000)}
    a = allocate_funds(program(budget=cny(6_500)), three, sales=sales)  # equal: not scaled
    assert a.scaled is False
    assert dict(a.amounts) == {"A": cny(5_000), "B": cny(1_500), "C": cny(0)}
    a = allocate_funds(program(budget=None), three, sales=sales)  # no budget: nothing to scale
    assert a.scaled is False
    assert dict(a.amounts) == {"A": cny(5_000), "B": cny(1_500), "C": cny(0)}
    a = allocate_funds(program(budget=cny(5_200)), three, sales=sales)
    assert a.scaled is True
    # 5,200 x 5,000 / 6,500 = 4,000; 5,200 x 1,500 / 6,500 = 1,200; C weighs 0
    assert dict(a.amounts) == {"A": cny(4_000), "B": cny(1_200), "C": cny(0)}
    a = allocate_funds(program(budget=cny("6499.99")), three, sales=sales)
    assert a.scaled is True
    # 6,499.99 x 5,000/6,500 = 4,999.9923 -> 4,999.99 (remainder .0023);
    # 6,499.99 x 1,500/6,500 = 1,499.9977 -> 1,499.99 (remainder .0077, the larger: +0.01)
    assert dict(a.amounts) == {"A": cny("4999.99"), "B": cny("1500.00"), "C": cny(0)}
    assert sum(a.amounts.values(), Money.zero(CNY)) == cny("6499.99")


def test_a_zero_budget_scales_everything_to_zero() -> None:
    a = allocate_funds(program(budget=cny(0)), PARTNERS, sales={"A": D(1)})
    # A 3,000 + 0.01 = 3,000.01, B 1,000: 4,000.01 > 0, so scaled to a total of 0
    assert a.scaled is True
    assert all(m == cny(0) for m in a.amounts.values())
    a = allocate_funds(program(budget=cny(0), tier_quotas={}), PARTNERS)  # 0 > 0 is false
    assert a.scaled is False


def test_sales_must_not_be_floats() -> None:
    with pytest.raises(ChannelkitError, match="sales"):
        allocate_funds(program(), PARTNERS, sales={"A": 0.5})  # type: ignore[dict-item]


def test_scaling_breaks_ties_to_the_smaller_id() -> None:
    p = program(budget=cny(100), accrual_rate=0, tier_quotas={"gold": cny(50)})
    given = [partner("P3", "gold"), partner("P1", "gold"), partner("P2", "gold")]
    a = allocate_funds(p, given)
    # 50 each, 150 > 100: 33.333... each; floors 3 x 33.33 = 99.99; the last cent to P1
    assert a.scaled is True
    assert dict(a.amounts) == {"P1": cny("33.34"), "P2": cny("33.33"), "P3": cny("33.33")}


# -- request decisions -------------------------------------------------------------------------

FEB1, FEB10 = dt.date(2026, 2, 1), dt.date(2026, 2, 10)


def decide(
    req: FundRequest, allocation: int | str = 1_000, committed: int | str = 0, **kw: Any
) -> RequestDecision:
    return decide_request(
        kw.pop("prog", program()), req, allocation=cny(allocation), committed=cny(committed)
    )


def test_request_commits_the_vendors_share_rounded_half_up() -> None:
    d = decide(request("R", "A", "100.01", FEB1, FEB10))
    # 100.01 x 0.5 = 50.005 -> 50.01
    assert (d.outcome, d.approved, d.reasons) == (Decision.APPROVE, cny("50.01"), ())
    # the default rate 1 commits the whole planned cost
    d = decide(request("R", "A", 700, FEB1, FEB10), prog=program(reimbursement_rate=1))
    assert (d.outcome, d.approved) == (Decision.APPROVE, cny(700))


def test_request_approves_up_to_what_is_left() -> None:
    r = request("R", "A", 1_000, FEB1, FEB10)  # share 500
    d = decide(r, 800, 300)  # left 500 = share: full approval
    assert (d.outcome, d.approved, d.reasons) == (Decision.APPROVE, cny(500), ())
    d = decide(r, 800, 600)  # left 200 < 500
    assert (d.outcome, d.approved, codes(d)) == (Decision.PARTIAL, cny(200), {RC.PARTIAL})
    assert all(isinstance(x.message, str) and x.message for x in d.reasons)
    d = decide(r, 800, 800)  # left 0: nothing left
    assert (d.outcome, d.approved, codes(d)) == (Decision.REJECT, cny(0), {RC.EXHAUSTED})
    d = decide(r, 800, 900)  # over-committed: still EXHAUSTED, still zero
    assert (d.outcome, d.approved, codes(d)) == (Decision.REJECT, cny(0), {RC.EXHAUSTED})
    d = decide(r, 0, 0)  # no allocation at all
    assert (d.outcome, d.approved, codes(d)) == (Decision.REJECT, cny(0), {RC.NO_ALLOCATION})
    assert d.approved.currency == CNY


def test_request_activity_and_program() -> None:
    d = decide(request("R", "A", 1_000, FEB1, FEB10, activity="training"))
    assert (d.outcome, d.approved, codes(d)) == (Decision.REJECT, cny(0), {RC.ACTIVITY})
    d = decide(
        request("R", "A", 1_000, FEB1, FEB10, activity="training"), prog=program(activities=None)
    )
    assert d.outcome == Decision.APPROVE  # no list of activities: any activity
    d = decide(request("R", "A", 1_000, FEB1, FEB10, program_id="OTHER"))
    assert (d.outcome, d.approved, codes(d)) == (Decision.REJECT, cny(0), {RC.WRONG_PROGRAM})


@pytest.mark.parametrize(
    ("start", "end", "inside"),
    [
        (dt.date(2026, 1, 1), dt.date(2026, 6, 30), True),  # the whole half-open period
        (dt.date(2026, 6, 30), dt.date(2026, 6, 30), True),  # the last day alone
        (dt.date(2026, 1, 1), dt.date(2026, 1, 1), True),  # the first day alone
        (dt.date(2025, 12, 31), dt.date(2026, 1, 5), False),  # starts the day before
        (dt.date(2026, 6, 1), dt.date(2026, 7, 1), False),  # ends on the period's end (excluded)
        (dt.date(2026, 7, 1), dt.date(2026, 7, 1), False),
    ],
)
def test_request_window_is_inclusive_days_inside_the_half_open_period(
    start: dt.date, end: dt.date, inside: bool
) -> None:
    d = decide(request("R", "A", 100, start, end))
    if inside:
        assert (d.outcome, d.approved, d.reasons) == (Decision.APPROVE, cny(50), ())
    else:
        assert (d.outcome, d.approved, codes(d)) == (Decision.REJECT, cny(0), {RC.WINDOW})


def test_request_lists_every_failed_check() -> None:
    r = request("R", "A", 100, dt.date(2025, 12, 1), FEB10, activity="training", program_id="OTHER")
    d = decide(r, 0, 0)
    assert d.outcome == Decision.REJECT
    assert d.approved == cny(0)
    assert codes(d) == {RC.ACTIVITY, RC.WINDOW, RC.WRONG_PROGRAM, RC.NO_ALLOCATION}
    d = decide(r, 500, 500)
    assert codes(d) == {RC.ACTIVITY, RC.WINDOW, RC.WRONG_PROGRAM, RC.EXHAUSTED}


def test_request_money_in_another_currency_raises() -> None:
    prog = program()
    r = request("R", "A", 100, FEB1, FEB10)
    usd = Money(100, "USD")
    with pytest.raises(CurrencyMismatchError):
        decide_request(
            prog, request("R", "A", usd, FEB1, FEB10), allocation=cny(1), committed=cny(0)
        )
    with pytest.raises(CurrencyMismatchError):
        decide_request(prog, r, allocation=usd, committed=cny(0))
    with pytest.raises(CurrencyMismatchError):
        decide_request(prog, r, allocation=cny(100), committed=usd)


# -- claim decisions ---------------------------------------------------------------------------

REQ = request("R1", "A", 4_000, FEB1, FEB10)  # window 30 days: on time through 2026-03-12
AS_OF = dt.date(2026, 6, 15)


def judge(c: Claim, approved: int | str = 2_000, before: int | str = 0, **kw: Any) -> ClaimDecision:
    return decide_claim(
        kw.pop("prog", program()),
        c,
        kw.pop("req", REQ),
        approved=cny(approved),
        claimed_before=cny(before),
        as_of=kw.pop("as_of", AS_OF),
    )


def test_claim_is_paid_the_share_up_to_what_is_left() -> None:
    day = dt.date(2026, 2, 20)
    d = judge(claim("K", "R1", "A", "1000.01", day))  # 1,000.01 x 0.5 = 500.005 -> 500.01
    assert (d.outcome, d.approved, d.reasons) == (Decision.APPROVE, cny("500.01"), ())
    c = claim("K", "R1", "A", 1_000, day)  # share 500
    d = judge(c, 2_000, 1_500)  # left 500: exactly the share
    assert (d.outcome, d.approved, d.reasons) == (Decision.APPROVE, cny(500), ())
    d = judge(c, 2_000, 1_700)  # left 300
    assert (d.outcome, d.approved) == (Decision.PARTIAL, cny(300))
    assert codes(d) == {CC.OVER_APPROVED, CC.PARTIAL}
    d = judge(c, 2_000, 2_000)  # nothing left
    assert (d.outcome, d.approved, codes(d)) == (Decision.REJECT, cny(0), {CC.OVER_APPROVED})
    d = judge(c, 0, 0)  # a request approved for nothing
    assert (d.outcome, d.approved, codes(d)) == (Decision.REJECT, cny(0), {CC.OVER_APPROVED})
    assert all(isinstance(x.message, str) and x.message for x in d.reasons)


@pytest.mark.parametrize(
    ("window", "submitted", "late"),
    [
        (30, dt.date(2026, 3, 12), False),  # 2026-02-10 + 30 days: the last day
        (30, dt.date(2026, 3, 13), True),  # the day after
        (30, dt.date(2026, 2, 1), False),  # before the request ends
        (0, FEB10, False),
        (0, dt.date(2026, 2, 11), True),
    ],
)
def test_claim_lateness_is_judged_on_submitted(window: int, submitted: dt.date, late: bool) -> None:
    d = judge(claim("K", "R1", "A", 100, submitted), prog=program(claim_window_days=window))
    if late:
        assert (d.outcome, d.approved, codes(d)) == (Decision.REJECT, cny(0), {CC.LATE})
    else:
        assert (d.outcome, d.approved, d.reasons) == (Decision.APPROVE, cny(50), ())


def test_claim_proof_partner_and_currency() -> None:
    day = dt.date(2026, 2, 20)
    d = judge(claim("K", "R1", "A", 100, day, proof=()))
    assert (d.outcome, d.approved, codes(d)) == (Decision.REJECT, cny(0), {CC.NO_PROOF})
    d = judge(claim("K", "R1", "A", 100, day, proof=()), prog=program(proof_required=False))
    assert (d.outcome, d.approved, d.reasons) == (Decision.APPROVE, cny(50), ())
    d = judge(claim("K", "R1", "B", 100, day))
    assert (d.outcome, d.approved, codes(d)) == (Decision.REJECT, cny(0), {CC.WRONG_PARTNER})
    d = judge(claim("K", "R1", "A", Money(100, "USD"), day))  # refused, not raised
    assert d.outcome == Decision.REJECT
    assert d.approved == cny(0)
    assert d.approved.currency == CNY
    assert CC.CURRENCY in codes(d)


def test_claim_lists_every_failed_check() -> None:
    late = dt.date(2026, 4, 1)
    d = judge(claim("K", "R1", "B", 100, late, proof=()))
    assert (d.outcome, d.approved) == (Decision.REJECT, cny(0))
    assert codes(d) == {CC.LATE, CC.NO_PROOF, CC.WRONG_PARTNER}
    d = judge(claim("K", "R1", "A", 100, late), 2_000, 2_000)  # late, and nothing left
    assert (d.outcome, d.approved) == (Decision.REJECT, cny(0))
    assert codes(d) == {CC.LATE, CC.OVER_APPROVED}
    d = judge(claim("K", "R1", "A", 100, dt.date(2026, 2, 20), proof=()), 2_000, 2_000)
    assert (d.outcome, codes(d)) == (Decision.REJECT, {CC.NO_PROOF, CC.OVER_APPROVED})
    d = judge(claim("K", "R1", "B", Money(100, "USD"), late))  # refused for every reason
    assert (d.outcome, d.approved) == (Decision.REJECT, cny(0))
    assert codes(d) >= {CC.CURRENCY, CC.LATE, CC.WRONG_PARTNER}


def test_claim_argument_errors() -> None:
    c = claim("K", "R1", "A", 100, dt.date(2026, 2, 20))
    assert judge(c, as_of=dt.date(2026, 2, 20)).outcome == Decision.APPROVE  # on as_of is fine
    with argument_error():
        judge(c, as_of=dt.date(2026, 2, 19))  # submitted after as_of
    with argument_error():
        judge(claim("K", "R2", "A", 100, dt.date(2026, 2, 20)))  # not a claim on this request
    with pytest.raises(CurrencyMismatchError):
        decide_claim(
            program(), c, REQ, approved=Money(1, "USD"), claimed_before=cny(0), as_of=AS_OF
        )
    with pytest.raises(CurrencyMismatchError):
        decide_claim(
            program(), c, REQ, approved=cny(1), claimed_before=Money(0, "USD"), as_of=AS_OF
        )


def test_calculators_check_argument_types() -> None:
    prog = program()
    c = claim("K", "R1", "A", 100, dt.date(2026, 2, 20))
    with pytest.raises(TypeError, match="program"):
        allocate_funds({"id": "MDF"}, PARTNERS)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="request"):
        decide_request(prog, {"id": "R"}, allocation=cny(1), committed=cny(0))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="claim"):
        decide_claim(prog, "K", REQ, approved=cny(1), claimed_before=cny(0), as_of=AS_OF)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="allocation"):
        fund_balances(prog, {"A": cny(1)}, [REQ], [c], as_of=AS_OF)  # type: ignore[arg-type]


def test_results_ignore_the_callers_decimal_context() -> None:
    # unscaled A 5,000, B 1,000, others 0: 6,000 > 5,000.01, scaled by an inexact ratio
    prog, sales = program(budget=cny("5000.01")), {"A": D(200_000)}
    before = allocate_funds(prog, PARTNERS, sales=sales)
    d1 = decide(request("R", "A", "100.01", FEB1, FEB10))
    with localcontext() as ctx:
        ctx.prec = 3
        ctx.traps[Inexact] = True
        ctx.clear_flags()  # flags an earlier computation left (Hypothesis draws decimals)
        after = allocate_funds(prog, PARTNERS, sales=sales)
        d2 = decide(request("R", "A", "100.01", FEB1, FEB10))
        assert ctx.prec == 3
        assert not ctx.flags[Inexact]
    assert before.scaled is True
    # 5,000.01 x 5/6 = 4,166.675 -> 4,166.67 (remainder .005); x 1/6 = 833.335 -> 833.33
    # (.005): one cent left, the tie to the smaller id A
    assert (before.amounts["A"], before.amounts["B"]) == (cny("4166.68"), cny("833.33"))
    assert after == before
    assert d2 == d1


# -- balances ----------------------------------------------------------------------------------

ALLOC = allocate_funds(
    program(), [*PARTNERS[:3], partner("D")], sales={k: D(SALES[k]) for k in "ABCD"}
)
# A 5,000, B 1,500, C 0 (suspended), D 0: not scaled
REQUESTS = [
    request("R1", "A", 4_000, FEB1, FEB10),  # share 2,000, left 5,000: APPROVE 2,000
    request("R2", "A", 8_000, dt.date(2026, 3, 1), dt.date(2026, 3, 31), activity="ads"),
    # share 4,000, left 3,000: PARTIAL 3,000
    request("R3", "A", 1_000, dt.date(2026, 4, 1), dt.date(2026, 4, 2)),  # left 0: EXHAUSTED
    request("R4", "B", 2_000, dt.date(2026, 1, 10), dt.date(2026, 1, 20)),  # APPROVE 1,000
    request("R5", "B", 600, dt.date(2026, 5, 1), dt.date(2026, 5, 5)),  # APPROVE 300 (left 500)
    request("R6", "E", 100, FEB1, FEB10),  # E has no allocation: NO_ALLOCATION
    request("R7", "B", 100, FEB1, FEB10, activity="training"),  # ACTIVITY
]
CLAIMS = [  # given out of order: K1 and K2 share a day, so K1 (the smaller id) comes first
    claim("K2", "R1", "A", 3_000, dt.date(2026, 2, 20)),  # share 1,500, left 1,250: PARTIAL
    claim("K1", "R1", "A", 1_500, dt.date(2026, 2, 20)),  # share 750: APPROVE
    claim("K3", "R2", "A", 2_000, dt.date(2026, 4, 1), proof=()),  # NO_PROOF
    claim("K4", "R2", "A", 2_000, dt.date(2026, 4, 5)),  # APPROVE 1,000 (window to 04-30)
    claim("K5", "R2", "A", 10_000, dt.date(2026, 6, 20)),  # after as_of: not counted
    claim("K6", "R4", "B", 800, dt.date(2026, 2, 19)),  # 01-20 + 30: on time, APPROVE 400
    claim("K7", "R4", "B", 200, dt.date(2026, 2, 20)),  # LATE
    claim("K8", "R5", "B", 100, dt.date(2026, 5, 10)),  # APPROVE 50
    claim("K9", "R99", "A", 100, dt.date(2026, 3, 1)),  # request not given: ignored
    claim("K10", "R3", "A", 100, dt.date(2026, 4, 2)),  # R3 approved 0: OVER_APPROVED
]
PAYMENTS = {"K1": cny(750), "K2": cny(1_000), "K6": cny(400), "K3": cny(0), "NOPE": cny(0)}
CLOSED = frozenset({"R5", "R999"})


def balances(**kw: Any) -> FundBalances:
    return fund_balances(
        kw.pop("prog", program()),
        kw.pop("allocation", ALLOC),
        kw.pop("requests", REQUESTS),
        kw.pop("claims", CLAIMS),
        as_of=kw.pop("as_of", AS_OF),
        payments=kw.pop("payments", PAYMENTS),
        closed=kw.pop("closed", CLOSED),
    )


FIELDS = ("allocated", "committed", "claimed", "paid", "unpaid", "released", "available")


def figures(b: Any) -> tuple[Decimal, ...]:
    return tuple(getattr(b, f).amount for f in (*FIELDS, "unclaimed", "expired"))


def check_ledger(b: Any) -> None:
    by_kind = {K.ALLOCATE: "allocated", K.COMMIT: "committed", K.CLAIM: "claimed", K.PAY: "paid"}
    by_kind |= {K.RELEASE: "released", K.EXPIRE: "expired"}
    for kind, field in by_kind.items():
        total = sum((e.amount for e in b.entries if e.kind == kind), Money.zero(CNY))
        assert total == getattr(b, field), (b.partner_id, field)
    assert all(e.amount != cny(0) for e in b.entries)  # no zero-amount entries
    assert b.unpaid == b.claimed - b.paid
    assert b.available == b.allocated - b.committed + b.released
    assert b.unclaimed == b.committed - b.claimed - b.released


def ledger(b: Any) -> Counter[tuple[Any, ...]]:
    keys = {K.CLAIM: "claim_id", K.PAY: "claim_id", K.ALLOCATE: None}
    out: Counter[tuple[Any, ...]] = Counter()
    for e in b.entries:
        key = keys.get(e.kind, "request_id")
        out[(e.date, e.kind, getattr(e, key) if key else None, e.amount)] += 1
    return out


def test_balances_of_a_scenario() -> None:
    bal = balances()
    assert bal.as_of == AS_OF
    assert [b.partner_id for b in bal] == ["A", "B", "C", "D", "E"]  # allocation or request
    a, b, c, d, e = bal
    # A: committed 2,000 + 3,000; claimed 750 + 1,250 + 1,000; paid 750 + 1,000;
    # R2's 3,000 - 1,000 unclaimed expires: its window closed 04-30, before as_of
    assert figures(a) == (5_000, 5_000, 3_000, 1_750, 1_250, 0, 0, 2_000, 2_000)
    assert ledger(a) == Counter(
        {
            (dt.date(2026, 1, 1), K.ALLOCATE, None, cny(5_000)): 1,
            (FEB1, K.COMMIT, "R1", cny(2_000)): 1,
            (dt.date(2026, 3, 1), K.COMMIT, "R2", cny(3_000)): 1,
            (dt.date(2026, 2, 20), K.CLAIM, "K1", cny(750)): 1,
            (dt.date(2026, 2, 20), K.CLAIM, "K2", cny(1_250)): 1,
            (dt.date(2026, 4, 5), K.CLAIM, "K4", cny(1_000)): 1,
            (AS_OF, K.PAY, "K1", cny(750)): 1,
            (AS_OF, K.PAY, "K2", cny(1_000)): 1,
            (dt.date(2026, 5, 1), K.EXPIRE, "R2", cny(2_000)): 1,  # 03-31 + 30 + 1
        }
    )
    # B: committed 1,000 + 300; claimed 400 + 50; paid 400; R5 closed: 300 - 50 released;
    # R4's 1,000 - 400 expires (window closed 02-19); R5's window closed too, but it is released
    assert figures(b) == (1_500, 1_300, 450, 400, 50, 250, 450, 600, 600)
    assert ledger(b) == Counter(
        {
            (dt.date(2026, 1, 1), K.ALLOCATE, None, cny(1_500)): 1,
            (dt.date(2026, 1, 10), K.COMMIT, "R4", cny(1_000)): 1,
            (dt.date(2026, 5, 1), K.COMMIT, "R5", cny(300)): 1,
            (dt.date(2026, 2, 19), K.CLAIM, "K6", cny(400)): 1,
            (dt.date(2026, 5, 10), K.CLAIM, "K8", cny(50)): 1,
            (AS_OF, K.PAY, "K6", cny(400)): 1,
            (AS_OF, K.RELEASE, "R5", cny(250)): 1,
            (dt.date(2026, 2, 20), K.EXPIRE, "R4", cny(600)): 1,
        }
    )
    for zero in (c, d, e):  # suspended, no allocation, a rejected request only
        assert figures(zero) == (0,) * 9
        assert zero.entries == ()
    for x in bal:
        check_ledger(x)
        assert x.expired <= x.unclaimed
        assert all(
            e.request_id is None and e.claim_id is None for e in x.entries if e.kind == K.ALLOCATE
        )
        assert all(getattr(x, f).currency == CNY for f in (*FIELDS, "unclaimed", "expired"))
    assert sum((x.allocated for x in bal), Money.zero(CNY)) == sum(
        ALLOC.amounts.values(), Money.zero(CNY)
    )


def test_balances_are_a_sequence_that_explains_itself() -> None:
    bal = balances()
    assert len(bal) == 5
    assert bal[0].partner_id == "A"
    assert bal[-1].partner_id == "E"
    assert list(bal) == list(bal.balances)
    assert tuple(bal.balances[i] for i in range(len(bal))) == bal.balances
    en, zh = bal.explain("en"), bal.explain("zh")
    assert isinstance(en, str)
    assert isinstance(zh, str)
    assert en
    assert zh
    assert en != zh
    assert bal.explain() == en
    assert "<table" in bal._repr_html_()
    assert "FundBalances" in repr(bal)  # every result prints
    assert str(bal)
    for result in (
        ALLOC,
        decide(REQUESTS[0]),
        judge(claim("K", "R1", "A", 100, FEB10)),
    ):
        assert result.explain("en")
        assert result.explain("zh")
        assert "<table" in result._repr_html_()


def test_balances_follow_as_of() -> None:
    # R4 ends 01-20: its window closes 02-19; on 02-19 nothing has expired yet
    reqs, cls = [REQUESTS[3]], [CLAIMS[5], CLAIMS[6]]  # K6 (02-19), K7 (02-20, late)
    bal = balances(
        requests=reqs, claims=cls, as_of=dt.date(2026, 2, 19), payments={}, closed=frozenset()
    )
    assert [x.partner_id for x in bal] == ["A", "B", "C", "D"]  # the allocation's partners
    b = bal[1]
    assert (b.committed, b.claimed, b.expired, b.unclaimed) == (
        cny(1_000),
        cny(400),
        cny(0),
        cny(600),
    )
    bal = balances(
        requests=reqs, claims=cls, as_of=dt.date(2026, 2, 20), payments={}, closed=frozenset()
    )
    b = bal[1]
    assert b.partner_id == "B"
    assert (b.expired, b.unclaimed, b.available) == (cny(600), cny(600), cny(500))
    assert ledger(b)[(dt.date(2026, 2, 20), K.EXPIRE, "R4", cny(600))] == 1
    # before any claim: nothing claimed; committing does not depend on as_of
    b = balances(
        requests=reqs, claims=cls, as_of=dt.date(2026, 2, 18), payments={}, closed=frozenset()
    )[1]
    assert (b.committed, b.claimed, b.unclaimed) == (cny(1_000), cny(0), cny(1_000))
    # closing R4 releases its unclaimed part instead of expiring it
    b = balances(
        requests=reqs, claims=cls, as_of=dt.date(2026, 3, 1), payments={}, closed=frozenset({"R4"})
    )[1]
    assert (b.released, b.expired, b.unclaimed, b.available) == (
        cny(600),
        cny(0),
        cny(0),
        cny(1_100),
    )
    assert ledger(b)[(dt.date(2026, 3, 1), K.RELEASE, "R4", cny(600))] == 1


def test_balances_decide_requests_in_the_order_given() -> None:
    # the other way round, R2 (share 4,000) comes first and R1 (share 2,000) gets 1,000
    bal = balances(requests=[REQUESTS[1], REQUESTS[0]], claims=[], payments={}, closed=frozenset())
    a = bal[0]
    assert a.committed == cny(5_000)
    assert ledger(a)[(FEB1, K.COMMIT, "R1", cny(1_000))] == 1
    assert ledger(a)[(dt.date(2026, 3, 1), K.COMMIT, "R2", cny(4_000))] == 1


@pytest.mark.parametrize(
    "payments",
    [
        {"K1": cny("750.01")},  # above the approved 750
        {"K1": cny(-1)},
        {"K1": Money(1, "USD")},
        {"K7": cny(1)},  # a rejected (late) claim
        {"K5": cny(1)},  # submitted after as_of
        {"K9": cny(1)},  # on a request not given: not counted
        {"NOPE": cny(1)},  # unknown
    ],
)
def test_balances_refuse_bad_payments(payments: dict[str, Money]) -> None:
    with argument_error():
        balances(payments=payments)


def test_balances_with_no_allocation_or_input() -> None:
    empty = allocate_funds(program(), [])
    bal = fund_balances(program(), empty, [], [], as_of=AS_OF)
    assert len(bal) == 0
    assert bal.balances == ()
    assert bal.explain("en")
    assert bal.explain("zh")
    assert isinstance(bal._repr_html_(), str)
    bal = fund_balances(program(), ALLOC, [], [], as_of=AS_OF)
    assert [b.partner_id for b in bal] == ["A", "B", "C", "D"]
    assert [b.available for b in bal] == [cny(5_000), cny(1_500), cny(0), cny(0)]


def test_every_kind_of_model_round_trips_through_json() -> None:
    bal = balances()
    req = decide(request("R", "A", 1_000, FEB1, FEB10), 800, 600)  # PARTIAL, with a reason
    clm = judge(claim("K", "R1", "A", 1_000, FEB10), 2_000, 1_700)  # PARTIAL, with reasons
    models: list[Any] = [program(), REQUESTS[0], CLAIMS[0], ALLOC, bal, bal[0], bal[0].entries[0]]
    models += [req, req.reasons[0], clm, clm.reasons[0]]
    for m in models:
        again = type(m).model_validate_json(m.model_dump_json())
        assert again == m, type(m).__name__


def test_argument_error_helper_requires_a_value_error() -> None:
    # the helper itself must be able to fail: a ChannelkitError that is not a ValueError
    with pytest.raises(AssertionError), argument_error():
        raise ChannelkitError("x")
