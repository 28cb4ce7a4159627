"""Type tests of the public API: ``mypy --strict`` checks this file in CI (``.ci/run``).

At run time ``assert_type`` does nothing, so the test also runs under pytest; its value is that
mypy fails when a public signature's types drift.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import assert_type

from channelkit import (
    Bracket,
    ChannelReview,
    CreditDecision,
    Exposure,
    Frequency,
    Metric,
    Money,
    Period,
    RebatePolicy,
    RebateResult,
    Score,
    Scorecard,
    Transaction,
    TransactionKind,
    allocate,
    check_order,
    compute_rebate,
    kpi,
    rebate_amounts,
    review,
    score,
)


def test_public_signatures_have_the_documented_types() -> None:
    m = Money("1.50", "CNY")
    assert_type(m + m, Money)
    assert_type(m * 2, Money)
    assert_type(m / 2, Money)
    assert_type(m / Decimal(2), Money)
    assert_type(m / m, Decimal)
    assert_type(-m, Money)
    assert_type(m < m, bool)
    assert_type(m.rounded(), Money)
    assert_type(m.amount, Decimal)
    assert_type(allocate(m, [1, 2]), list[Money])
    p = Period.quarter(2026, 1)
    assert_type(p.split(Frequency.MONTHLY), list[Period])
    assert_type(p.fraction_of(p), Decimal)
    assert_type(p.days, int)
    one = Decimal(1)
    bracket = Bracket(start=Decimal(0), rate=Decimal("0.02"))
    policy = RebatePolicy(id="P", name="P", currency="CNY", brackets=(bracket,))
    assert_type(compute_rebate(policy, 100), RebateResult)
    assert_type(rebate_amounts(policy, [1, 2]), list[Decimal])
    card = Scorecard(metrics=(Metric(key="s", weight=one, target=one),))
    assert_type(score(card, {"s": Decimal(1)}), Score)
    cny = Money(0, "CNY")
    exposure = Exposure(
        receivables=cny, open_orders=cny, unbilled_deliveries=cny, unposted_invoices=cny
    )
    assert_type(check_order(None, exposure, m), CreditDecision)
    assert_type(kpi.current_ratio(2, 1), Decimal)
    sale = Transaction(id="T1", partner_id=None, date=p.start, kind=TransactionKind.SALE, amount=m)
    assert_type(review([sale], p), ChannelReview)
    assert date(2026, 1, 1) in p


def test_kernel_readers_and_errors_have_the_documented_types() -> None:
    from channelkit import ArgumentError, PolicyError, Severity
    from channelkit.model import trusted
    from channelkit.money import read_amount, read_money
    from channelkit.numeric import to_decimal, to_result_decimal
    from channelkit.scales import band

    assert_type(Money.zero("CNY"), Money)
    assert_type(to_decimal("1"), Decimal)
    assert_type(to_result_decimal("1e30"), Decimal)
    assert_type(read_amount("1", "CNY", "advance"), Decimal)
    assert_type(read_money("1", "CNY", "advance", non_negative=True), Money)
    edges = (Decimal(1), Decimal(2), Decimal(3))
    assert_type(band(Decimal(2), edges, edge_goes_up=True), Severity)
    err = ArgumentError("top must be at least 1", argument="top", value=0)
    assert_type(err.argument, str)
    policy_error = PolicyError("needs nps", policy="P1", metric="nps")
    assert_type(policy_error.metric, str | None)
    assert_type(trusted(Period, {"start": date(2026, 1, 1), "end": date(2026, 2, 1)}), Period)


def test_incentive_signatures_have_the_documented_types() -> None:
    from channelkit import (
        Claim,
        ClaimDecision,
        Decision,
        FundAllocation,
        FundBalance,
        FundBalances,
        FundProgram,
        FundRequest,
        ProfitabilityReport,
        ProfitRow,
        RequestDecision,
        allocate_funds,
        decide_claim,
        decide_request,
        fund_balances,
        profitability,
    )

    cny = Money(0, "CNY")
    program = FundProgram(
        id="F", name="F", currency="CNY", period=Period.quarter(2026, 3), budget=Money(100, "CNY")
    )
    alloc = assert_type(allocate_funds(program, []), FundAllocation)
    request = FundRequest(
        id="R",
        program_id="F",
        partner_id="D1",
        activity="ads",
        planned_cost=Money(10, "CNY"),
        start=date(2026, 7, 1),
        end=date(2026, 7, 2),
    )
    decided = assert_type(
        decide_request(program, request, allocation=Money(10, "CNY"), committed=cny),
        RequestDecision,
    )
    assert_type(decided.outcome, Decision)
    claim = Claim(
        id="C", request_id="R", partner_id="D1", amount=Money(4, "CNY"), submitted=date(2026, 7, 5)
    )
    paid = decide_claim(
        program,
        claim,
        request,
        approved=decided.approved,
        claimed_before=cny,
        as_of=date(2026, 7, 9),
    )
    assert_type(paid, ClaimDecision)
    balances = assert_type(
        fund_balances(program, alloc, [request], [claim], as_of=date(2026, 7, 9)), FundBalances
    )
    for one in balances:
        assert_type(one, FundBalance)
    report = assert_type(
        profitability([], Period.quarter(2026, 3), currency="CNY"), ProfitabilityReport
    )
    assert_type(report.total, ProfitRow)
    assert_type(report.total.contribution, Money | None)
