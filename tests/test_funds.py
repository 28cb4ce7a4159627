"""Incentive funds: the models, allocation, and the decisions on requests and claims."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import given, settings
from pydantic import BaseModel, ValidationError

from channelkit.errors import ArgumentError, ArgumentTypeError, CurrencyMismatchError
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
from channelkit.labels import LabeledEnum
from channelkit.money import Money
from channelkit.partners import Partner
from channelkit.periods import Period
from channelkit.testing._funds import (
    claim_decisions,
    claims,
    fund_allocations,
    fund_programs,
    fund_requests,
    request_decisions,
)

D = Decimal
CNY = "CNY"
RC, CC = RequestReasonCode, ClaimReasonCode
Y2026 = Period.year(2026)  # [2026-01-01, 2027-01-01)


def cny(x: int | str) -> Money:
    return Money(x, CNY)


def program(**kw: Any) -> FundProgram:
    fields: dict[str, Any] = {
        "id": "MDF",
        "name": "Market development",
        "currency": CNY,
        "period": Y2026,
        "budget": cny(10_000),
        "accrual_rate": D("0.02"),
        "tier_quotas": {"GOLD": cny(5_000), "SILVER": cny(2_000)},
        "activities": frozenset({"display", "training"}),
        "reimbursement_rate": D("0.8"),
        "claim_window_days": 30,
    }
    return FundProgram(**(fields | kw))


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


def request(**kw: Any) -> FundRequest:
    fields: dict[str, Any] = {
        "id": "R1",
        "program_id": "MDF",
        "partner_id": "P1",
        "activity": "display",
        "planned_cost": cny(10_000),
        "start": dt.date(2026, 3, 1),
        "end": dt.date(2026, 3, 31),
    }
    return FundRequest(**(fields | kw))


def claim(**kw: Any) -> Claim:
    fields: dict[str, Any] = {
        "id": "C1",
        "request_id": "R1",
        "partner_id": "P1",
        "amount": cny(7_500),
        "submitted": dt.date(2026, 4, 10),
        "proof": ("photos.zip",),
    }
    return Claim(**(fields | kw))


def codes(decision: RequestDecision | ClaimDecision) -> list[str]:
    return [r.code.value for r in decision.reasons]


class _Html(HTMLParser):
    """Checks that every tag closes in order and records the tags seen."""

    VOID = frozenset({"br", "hr", "img", "meta", "input", "col"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.seen: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.add(tag)
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open, f"</{tag}> closes nothing"
        assert self.open.pop() == tag, f"</{tag}> closes another tag"


def check_html(html: str) -> set[str]:
    parser = _Html()
    parser.feed(html)
    parser.close()
    assert not parser.open, parser.open
    assert "script" not in parser.seen
    assert "<script" not in html
    return parser.seen


def round_trip(model: BaseModel) -> None:
    assert type(model).model_validate_json(model.model_dump_json()) == model


# -- models ------------------------------------------------------------------------------------


def test_a_programme_has_the_contract_defaults() -> None:
    p = FundProgram(id="F", name="F", currency=CNY, period=Y2026)
    assert p.budget is None
    assert p.accrual_rate == 0
    assert dict(p.tier_quotas) == {}
    assert p.activities is None
    assert p.reimbursement_rate == 1
    assert (p.claim_window_days, p.proof_required) == (60, True)


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"budget": cny(-1)}, "budget must not be negative, got -1 CNY"),
        ({"budget": Money(100, "USD")}, "budget is in USD but the programme's currency is CNY"),
        ({"budget": cny("10.005")}, "budget must be in whole minor units of CNY (2 places)"),
        ({"tier_quotas": {"GOLD": cny(-5)}}, "tier_quotas['GOLD'] must not be negative, got -5"),
        ({"tier_quotas": {"GOLD": Money(5, "USD")}}, "tier_quotas['GOLD'] is in USD"),
        ({"accrual_rate": "-0.01"}, "must be at least 0, got -0.01"),
        ({"reimbursement_rate": "1.5"}, "must be at most 1, got 1.5"),
        ({"reimbursement_rate": "-0.1"}, "must be at least 0, got -0.1"),
        ({"claim_window_days": -1}, "claim_window_days"),
        ({"accrual_rate": 0.02}, "must not be a float"),
        ({"activities": frozenset({" "})}, "activities"),
        ({"unknown": 1}, "unknown"),
    ],
)
def test_a_bad_programme_is_refused_naming_the_field_and_value(
    kw: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        program(**kw)


def test_quotas_may_have_finer_decimals_than_the_budget() -> None:
    # only the budget is split exactly; a quota is rounded with the accrual
    assert program(tier_quotas={"GOLD": cny("0.005")}).tier_quotas["GOLD"] == cny("0.005")


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"end": dt.date(2026, 2, 28)}, r"end \(2026-02-28\) must be on or after start"),
        ({"planned_cost": cny(-1)}, "planned_cost must not be negative, got -1 CNY"),
        ({"partner_id": ""}, "partner_id"),
        ({"activity": "  "}, "activity"),
    ],
)
def test_a_bad_request_is_refused(kw: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        request(**kw)


def test_a_one_day_request_is_valid() -> None:
    one = request(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 1))
    assert one.start == one.end


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"amount": cny("-0.01")}, "amount must not be negative, got -0.01 CNY"),
        ({"proof": ("",)}, "proof"),
        ({"submitted": "2026-13-01"}, "submitted"),
    ],
)
def test_a_bad_claim_is_refused(kw: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        claim(**kw)


def test_models_are_frozen() -> None:
    with pytest.raises(ValidationError):
        program().budget = cny(1)  # type: ignore[misc]


@pytest.mark.parametrize("enum", [Decision, RequestReasonCode, ClaimReasonCode])
def test_every_member_has_both_labels(enum: type[LabeledEnum]) -> None:
    for member in enum:
        assert member.value == member.name.lower()
        assert member.label("en")
        assert member.label("zh") != member.label("en")


# -- allocation --------------------------------------------------------------------------------

PARTNERS = [
    partner("P4", "SILVER"),
    partner("P3", "SILVER", status="suspended"),
    partner("P2"),
    partner("P1", "GOLD"),
]
SALES = {"P1": 100_000, "P2": 300_000, "P3": 50_000, "P4": -5_000, "PZ": 1_000_000}


def test_allocation_within_the_budget_is_quota_plus_accrual() -> None:
    a = allocate_funds(program(budget=cny(20_000)), PARTNERS, sales=SALES)
    # P1 GOLD: 5,000 + 2% x 100,000 = 7,000; P2 no tier: 2% x 300,000 = 6,000
    # P3 suspended: 0; P4 SILVER with negative sales: 2,000 + 2% x 0 = 2,000; PZ not passed
    # unscaled sum 15,000 <= 20,000: not scaled
    assert not a.scaled
    assert dict(a.amounts) == {
        "P1": cny("7000.00"),
        "P2": cny("6000.00"),
        "P3": cny("0.00"),
        "P4": cny("2000.00"),
    }
    assert list(a.amounts) == ["P1", "P2", "P3", "P4"]  # by id
    assert a.unscaled == a.amounts
    assert (a.program_id, a.currency, a.budget) == ("MDF", CNY, cny(20_000))


def test_allocation_above_the_budget_is_scaled_to_it_exactly() -> None:
    a = allocate_funds(program(), PARTNERS, sales=SALES)
    # 15,000 > 10,000: shares 10,000 x 7/15 = 4,666.666.., x 6/15 = 4,000, x 2/15 = 1,333.333..
    # floors 4,666.66 + 4,000.00 + 0.00 + 1,333.33 = 9,999.99: the missing cent goes to the
    # largest remainder (P1's 0.00666.. over P4's 0.00333..)
    assert a.scaled
    assert dict(a.amounts) == {
        "P1": cny("4666.67"),
        "P2": cny("4000.00"),
        "P3": cny("0.00"),
        "P4": cny("1333.33"),
    }
    assert sum(a.amounts.values(), cny(0)) == cny(10_000)
    assert a.unscaled is not None
    assert a.unscaled["P1"] == cny(7_000)


def test_an_unscaled_sum_equal_to_the_budget_is_not_scaled() -> None:
    a = allocate_funds(program(budget=cny(15_000)), PARTNERS, sales=SALES)
    assert not a.scaled  # 15,000 is not strictly above 15,000
    assert a.amounts["P1"] == cny(7_000)


def test_no_budget_means_no_cap_and_no_sales_means_quotas_only() -> None:
    a = allocate_funds(program(budget=None), PARTNERS)
    # sales default to 0: quotas only (P1 GOLD 5,000, P4 SILVER 2,000)
    assert not a.scaled
    assert [m.amount for m in a.amounts.values()] == [D(5_000), D(0), D(0), D(2_000)]
    assert "no budget cap" in a.explain()


def test_amounts_round_half_up_to_the_minor_unit() -> None:
    p = program(accrual_rate="0.005", tier_quotas={}, budget=None)
    a = allocate_funds(p, [partner("P1")], sales={"P1": 1})
    assert a.amounts["P1"] == cny("0.01")  # 0.005 half-up (half-even would give 0.00)
    jpy = program(currency="JPY", budget=Money(1_000, "JPY"), tier_quotas={}, accrual_rate="0.5")
    a = allocate_funds(jpy, [partner("P1")], sales={"P1": Money(1_401, "JPY")})
    assert a.amounts["P1"] == Money(701, "JPY")  # 700.5 half-up to yen


def test_ties_go_to_the_smaller_id() -> None:
    p = program(budget=cny(100), tier_quotas={}, accrual_rate="0.01")
    trio = [partner("C"), partner("B"), partner("A")]
    a = allocate_funds(p, trio, sales=dict.fromkeys("ABC", 10_000))
    # 100 each, 300 > 100: 33.333.. each, floors 99.99, the cent to the smallest id
    assert dict(a.amounts) == {"A": cny("33.34"), "B": cny("33.33"), "C": cny("33.33")}


def test_a_zero_budget_scales_everything_to_zero() -> None:
    a = allocate_funds(program(budget=cny(0)), PARTNERS, sales=SALES)
    assert a.scaled
    assert all(not m for m in a.amounts.values())


def test_no_partners_give_an_empty_allocation() -> None:
    a = allocate_funds(program(), [])
    assert (dict(a.amounts), a.scaled) == ({}, False)
    assert "0 partners" in a.explain()


@pytest.mark.parametrize(
    ("kw", "error", "message"),
    [
        ({"partners": [partner("P1"), partner("P1")]}, ArgumentError, "the id 'P1' twice"),
        ({"partners": partner("P1")}, ArgumentTypeError, "iterable of Partner"),
        ({"partners": ["P1"]}, ArgumentTypeError, "Partner objects only"),
        ({"sales": [1]}, ArgumentTypeError, "sales must be a mapping"),
        ({"sales": {"P1": 1.5}}, ArgumentTypeError, r"sales\['P1'\] must not be a float"),
        ({"sales": {"P1": Money(1, "USD")}}, CurrencyMismatchError, "expected CNY, got USD"),
        ({"program": "MDF"}, ArgumentTypeError, "program must be a FundProgram"),
    ],
)
def test_allocation_arguments_are_checked(
    kw: dict[str, Any], error: type[Exception], message: str
) -> None:
    args: dict[str, Any] = {"program": program(), "partners": [partner("P1")]} | kw
    with pytest.raises(error, match=message):
        allocate_funds(args.pop("program"), args.pop("partners"), **args)


def test_an_allocation_beyond_exact_arithmetic_is_an_argument_error() -> None:
    # CLF has 4 places: (10**15 - 10**-4)**2 + 10**15 - 10**-4 > 10**30 needs 31 + 4 digits,
    # more than the 34 of the local context; no decimal signal reaches the caller
    big = "999999999999999.9999"
    clf = program(
        currency="CLF",
        budget=None,
        accrual_rate=big,
        tier_quotas={"GOLD": Money(big, "CLF")},
    )
    with pytest.raises(ArgumentError, match="allocation of 'P1' is out of the range"):
        allocate_funds(clf, [partner("P1", "GOLD")], sales={"P1": big})


def test_a_hand_built_allocation_is_checked() -> None:
    with pytest.raises(ValidationError, match="must sum to the budget"):
        FundAllocation(program_id="F", amounts={"P1": cny(5)}, scaled=True, budget=cny(10))
    with pytest.raises(ValidationError, match=r"amounts\['P2'\] is in USD"):
        FundAllocation(program_id="F", amounts={"P1": cny(5), "P2": Money(5, "USD")}, scaled=False)
    with pytest.raises(ValidationError, match="must not be negative"):
        FundAllocation(program_id="F", amounts={"P1": cny(-5)}, scaled=False)
    with pytest.raises(ValidationError, match="an entry for each partner"):
        FundAllocation(program_id="F", amounts={"P1": cny(5)}, scaled=False, unscaled={})
    bare = FundAllocation(program_id="F", amounts={"P1": cny(5)}, scaled=True)
    assert bare.explain().splitlines()[-1] == "Scaled to the budget"


# -- requests ----------------------------------------------------------------------------------


def decide(r: FundRequest | None = None, alloc: int = 10_000, done: int = 0, **kw: Any) -> Any:
    return decide_request(program(**kw), r or request(), allocation=cny(alloc), committed=cny(done))


def test_a_request_is_approved_for_the_vendors_share() -> None:
    d = decide()
    # 10,000 x 80% = 8,000 <= 10,000 - 0
    assert (d.outcome, d.approved, d.reasons) == (Decision.APPROVE, cny("8000.00"), ())
    assert (d.share, d.allocation, d.committed) == (cny(8_000), cny(10_000), cny(0))


def test_a_request_is_cut_to_what_is_left() -> None:
    d = decide(done=5_000)
    # share 8,000 > 10,000 - 5,000 = 5,000: PARTIAL, 0 < 5,000 < 8,000
    assert (d.outcome, d.approved, codes(d)) == (Decision.PARTIAL, cny("5000.00"), ["partial"])
    assert "only 5,000.00 CNY is left" in d.reasons[0].message
    assert "分配额度仅剩 5,000.00 CNY" in d.reasons[0].text("zh")


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({"done": 10_000}, ["exhausted"]),  # 10,000 - 10,000 = 0 left
        ({"done": 12_000}, ["exhausted"]),  # over-committed: nothing left
        ({"alloc": 0}, ["no_allocation"]),  # zero allocation, not EXHAUSTED
        ({"r": request(activity="golf")}, ["activity"]),
        ({"r": request(start=dt.date(2025, 12, 31))}, ["window"]),
        ({"r": request(end=dt.date(2027, 1, 1))}, ["window"]),  # the period's end is exclusive
        ({"r": request(program_id="OTHER")}, ["wrong_program"]),
        (
            {"r": request(activity="golf", program_id="X", start=dt.date(2025, 1, 1)), "alloc": 0},
            ["activity", "window", "no_allocation", "wrong_program"],
        ),
    ],
)
def test_every_failed_check_rejects_with_zero(kw: dict[str, Any], expected: list[str]) -> None:
    d = decide(**kw)
    assert (d.outcome, d.approved) == (Decision.REJECT, cny("0.00"))
    assert codes(d) == expected
    assert all(r.message and r.message_zh for r in d.reasons)


def test_reason_messages_name_the_figures() -> None:
    d = decide(request(activity="golf", start=dt.date(2025, 12, 31)), done=10_000)
    text = {r.code: (r.message, r.text("zh")) for r in d.reasons}
    assert (
        "activity 'golf' is not among the programme's activities ('display', 'training')"
        in (text[RC.ACTIVITY][0])
    )
    assert "2025-12-31..2026-03-31" in text[RC.WINDOW][0]
    assert "2026-01-01..2027-01-01" in text[RC.WINDOW][1]
    assert "10,000.00 CNY is already committed" in text[RC.EXHAUSTED][0]
    assert decide(alloc=0).reasons[0].message == "partner P1 has no allocation in programme MDF"
    wrong = decide(request(program_id="X")).reasons[0]
    assert wrong.text("zh") == "该申请属于项目 'X'，而非 'MDF'"


def test_the_last_day_of_the_period_is_inside_it() -> None:
    assert decide(request(end=dt.date(2026, 12, 31))).outcome is Decision.APPROVE


def test_activities_none_funds_any_and_an_empty_set_none() -> None:
    assert decide(request(activity="golf"), activities=None).outcome is Decision.APPROVE
    d = decide(activities=frozenset())
    assert codes(d) == ["activity"]
    assert "(none)" in d.reasons[0].message
    assert "（无）" in d.reasons[0].text("zh")
    many = frozenset(f"a{i}" for i in range(7))
    d = decide(activities=many)
    # five are shown, the rest counted
    assert d.reasons[0].message.endswith("('a0', 'a1', 'a2', 'a3', 'a4' and 2 more)")
    assert d.reasons[0].text("zh").endswith("（'a0'、'a1'、'a2'、'a3'、'a4' 等 7 项）")


def test_a_zero_share_is_approved_as_zero_and_shares_round_half_up() -> None:
    d = decide(request(planned_cost=cny(0)))
    assert (d.outcome, d.approved) == (Decision.APPROVE, cny("0.00"))
    d = decide(request(planned_cost=cny("0.01")), reimbursement_rate="0.5")
    assert d.approved == cny("0.01")  # 0.005 half-up


@pytest.mark.parametrize(
    ("kw", "error", "message"),
    [
        ({"request": request(planned_cost=Money(1, "USD"))}, CurrencyMismatchError, "got USD"),
        ({"allocation": Money(1, "USD")}, CurrencyMismatchError, r"\(allocation\)"),
        ({"committed": Money(1, "EUR")}, CurrencyMismatchError, r"\(committed\)"),
        ({"allocation": cny(-1)}, ArgumentError, "allocation must not be negative, got -1"),
        ({"committed": cny(-1)}, ArgumentError, "committed must not be negative, got -1"),
        ({"committed": 1.0}, ArgumentTypeError, "committed must not be a float"),
        ({"request": claim()}, ArgumentTypeError, "request must be a FundRequest, not Claim"),
    ],
)
def test_request_arguments_are_checked(
    kw: dict[str, Any], error: type[Exception], message: str
) -> None:
    args: dict[str, Any] = {
        "request": request(),
        "allocation": cny(10_000),
        "committed": cny(0),
    } | kw
    with pytest.raises(error, match=message):
        decide_request(program(), args.pop("request"), **args)


# -- claims ------------------------------------------------------------------------------------


def judge(c: Claim | None = None, ok: int = 8_000, before: int = 0, **kw: Any) -> Any:
    as_of = kw.pop("as_of", dt.date(2026, 6, 30))
    return decide_claim(
        program(**kw),
        c or claim(),
        request(),
        approved=cny(ok),
        claimed_before=cny(before),
        as_of=as_of,
    )


def test_a_claim_is_paid_the_vendors_share() -> None:
    d = judge()
    # 7,500 x 80% = 6,000 <= 8,000 - 0
    assert (d.outcome, d.approved, d.reasons) == (Decision.APPROVE, cny("6000.00"), ())
    assert (d.share, d.request_approved, d.claimed_before) == (cny(6_000), cny(8_000), cny(0))
    assert (d.claim_id, d.request_id, d.amount) == ("C1", "R1", cny(7_500))


def test_a_claim_is_cut_to_what_is_left_of_the_approval() -> None:
    d = judge(before=3_000)
    # 6,000 > 8,000 - 3,000 = 5,000: PARTIAL with OVER_APPROVED and PARTIAL
    assert (d.outcome, d.approved) == (Decision.PARTIAL, cny("5000.00"))
    assert codes(d) == ["over_approved", "partial"]
    d = judge(before=8_000)  # nothing left
    assert (d.outcome, d.approved, codes(d)) == (Decision.REJECT, cny("0.00"), ["over_approved"])


def test_lateness_is_judged_on_submitted_against_the_window() -> None:
    # the request ends 2026-03-31; window 30 days: 2026-04-30 is the last day on time
    assert judge(claim(submitted=dt.date(2026, 4, 30))).outcome is Decision.APPROVE
    d = judge(claim(submitted=dt.date(2026, 5, 1)))
    assert (d.outcome, codes(d)) == (Decision.REJECT, ["late"])
    assert "more than 30 days after the activity ended on 2026-03-31" in d.reasons[0].message
    assert judge(claim(submitted=dt.date(2026, 3, 31)), claim_window_days=0).reasons == ()


def test_proof_is_needed_only_when_required() -> None:
    assert codes(judge(claim(proof=()))) == ["no_proof"]
    assert judge(claim(proof=()), proof_required=False).outcome is Decision.APPROVE


def test_a_claim_by_another_partner_or_in_another_currency_is_refused() -> None:
    assert codes(judge(claim(partner_id="P2"))) == ["wrong_partner"]
    d = judge(claim(amount=Money(100, "USD")))
    # refused, not raised: zero in the programme's currency, no share
    assert (d.outcome, d.approved, d.share, codes(d)) == (
        Decision.REJECT,
        cny("0.00"),
        None,
        ["currency"],
    )
    assert d.reasons[0].message == "the claim is in USD but the programme pays in CNY"


def test_every_failed_check_is_listed() -> None:
    c = claim(amount=Money(1, "USD"), partner_id="P9", proof=(), submitted=dt.date(2026, 6, 1))
    assert codes(judge(c)) == ["late", "no_proof", "wrong_partner", "currency"]
    d = judge(claim(submitted=dt.date(2026, 6, 1)), before=7_000)
    assert (d.outcome, codes(d)) == (Decision.REJECT, ["late", "over_approved"])


class _Day(dt.date):
    """A date subclass (as some calendar libraries return)."""


def test_as_of_may_be_a_date_subclass() -> None:
    d = judge(as_of=_Day(2026, 6, 30))
    assert d.outcome is Decision.APPROVE


def test_a_zero_claim_is_approved_as_zero_even_with_nothing_left() -> None:
    d = judge(claim(amount=cny(0)), before=8_000)
    assert (d.outcome, d.approved) == (Decision.APPROVE, cny("0.00"))


@pytest.mark.parametrize(
    ("kw", "error", "message"),
    [
        ({"claim": claim(request_id="R2")}, ArgumentError, "for request 'R2', not 'R1'"),
        ({"as_of": dt.date(2026, 4, 9)}, ArgumentError, "submitted on 2026-04-10, after as_of"),
        ({"claimed_before": cny(9_000)}, ArgumentError, "must not be above approved"),
        ({"approved": cny(-1)}, ArgumentError, "approved must not be negative"),
        ({"approved": Money(1, "USD")}, CurrencyMismatchError, r"\(approved\)"),
        ({"claimed_before": Money(0, "USD")}, CurrencyMismatchError, r"\(claimed_before\)"),
        ({"as_of": dt.datetime(2026, 6, 30)}, ArgumentTypeError, "as_of must be a date"),
        ({"claim": request()}, ArgumentTypeError, "claim must be a Claim"),
    ],
)
def test_claim_arguments_are_checked(
    kw: dict[str, Any], error: type[Exception], message: str
) -> None:
    args: dict[str, Any] = {
        "claim": claim(),
        "approved": cny(8_000),
        "claimed_before": cny(0),
        "as_of": dt.date(2026, 6, 30),
    } | kw
    with pytest.raises(error, match=message):
        decide_claim(program(), args.pop("claim"), request(), **args)


# -- results: consistency, JSON, explanations, HTML ------------------------------------------


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"outcome": "reject", "approved": cny(1)}, "a REJECT approves nothing"),
        ({"outcome": "reject", "approved": cny(0)}, "a REJECT lists why"),
        ({"outcome": "partial", "approved": cny(1)}, "a PARTIAL lists the reasons"),
        ({"outcome": "approve", "approved": cny(-1)}, "approved must not be negative"),
        ({"outcome": "approve", "approved": cny(1), "share": cny(2)}, "the whole share"),
        ({"outcome": "approve", "approved": cny(1), "share": Money(1, "USD")}, "share is in USD"),
    ],
)
def test_a_decision_is_never_silently_cut_or_refused(kw: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        RequestDecision(**kw)
    with pytest.raises(ValidationError, match=message):
        ClaimDecision(**kw)


def test_hand_built_decisions_with_the_contract_fields_only() -> None:
    partial = RequestReason(code=RC.PARTIAL, message="cut")
    d = RequestDecision(outcome=Decision.PARTIAL, approved=cny(5), reasons=(partial,))
    assert partial.text("zh") == "cut"  # no Chinese message held: the English one
    assert d.explain() == "Request: Partial, approved 5.00 CNY\n  - Partly approved: cut"
    with pytest.raises(ValidationError, match="a PARTIAL approves more than 0"):
        RequestDecision(outcome=Decision.PARTIAL, approved=cny(0), reasons=(partial,))
    both = (
        ClaimReason(code=CC.OVER_APPROVED, message="o"),
        ClaimReason(code=CC.PARTIAL, message="p"),
    )
    c = ClaimDecision(outcome=Decision.PARTIAL, approved=cny(5), reasons=both)
    assert c.explain("zh").splitlines()[0] == "费用核销：部分批准，批准 5.00 CNY"
    with pytest.raises(ValidationError, match="must not repeat a code"):
        ClaimDecision(outcome=Decision.REJECT, approved=cny(0), reasons=(both[0], both[0]))
    with pytest.raises(ValidationError, match="an APPROVE lists no reason"):
        ClaimDecision(outcome=Decision.APPROVE, approved=cny(0), reasons=both[:1])


def test_every_model_round_trips_through_json() -> None:
    a = allocate_funds(program(), PARTNERS, sales=SALES)
    for model in (
        program(),
        request(),
        claim(),
        a,
        decide(done=5_000),
        decide(request(activity="golf")),
        judge(before=3_000),
        judge(claim(amount=Money(5, "USD"))),
        decide().reasons or RequestReason(code=RC.WINDOW, message="w", message_zh="窗"),
    ):
        assert isinstance(model, BaseModel)
        round_trip(model)


def test_results_explain_themselves_in_both_languages() -> None:
    a = allocate_funds(program(), PARTNERS, sales=SALES)
    assert a.explain().splitlines() == [
        "Fund allocation of programme MDF (budget 10,000.00 CNY), 4 partners",
        "  each active partner: its tier's quota + 2% x sales, rounded half-up",
        "  P1 7,000.00 -> 4,666.67",
        "  P2 6,000.00 -> 4,000.00",
        "  P3 0.00 -> 0.00",
        "  P4 2,000.00 -> 1,333.33",
        "Unscaled total 15,000.00 CNY is above the budget: scaled to sum to 10,000.00 CNY",
    ]
    assert (
        a.explain("zh").splitlines()[0] == "费用项目 MDF 的额度分配（预算 10,000.00 CNY），4 个伙伴"
    )
    assert (
        allocate_funds(program(budget=None), PARTNERS)
        .explain()
        .endswith("Total 7,000.00 CNY, not scaled")
    )
    d = decide(request(activity="golf"))
    assert d.explain().splitlines()[-1].startswith("  - Activity not funded: activity 'golf'")
    assert d.explain("zh").splitlines()[-1].startswith("  - 活动不在资助范围：活动 'golf'")
    c = judge(before=3_000)
    zh = c.explain("zh")
    assert "费用核销 C1（申请 R1）：部分批准，批准 5,000.00 CNY" in zh
    assert "厂商承担份额：7,500.00 CNY x 80% = 6,000.00 CNY" in zh
    assert "批准额剩余：8,000.00 CNY - 此前已核销 3,000.00 CNY = 5,000.00 CNY" in zh
    with pytest.raises(ArgumentError, match="lang must be 'en' or 'zh'"):
        c.explain("fr")


def test_results_render_as_safe_html() -> None:
    hostile = "<script>alert(1)</script>"
    a = allocate_funds(program(id=hostile), [partner(hostile)])
    d = decide_request(
        program(id=hostile),
        request(id=hostile, program_id=hostile, activity=hostile),
        allocation=cny(1),
        committed=cny(0),
    )
    c = judge(claim(id=hostile, partner_id=hostile))
    for result in (a, d, c):
        seen = check_html(result._repr_html_())
        assert {"div", "table", "tr", "td"} <= seen | {"td"}
        assert "&lt;script&gt;" in result._repr_html_()


# -- properties --------------------------------------------------------------------------------


@settings(max_examples=40)
@given(fund_allocations())
def test_allocations_keep_their_invariants(a: FundAllocation) -> None:
    unscaled = a.unscaled or {}
    assert set(unscaled) == set(a.amounts)
    total = sum((m.amount for m in unscaled.values()), D(0))
    # scaled exactly when the unscaled sum is strictly above the budget
    assert a.scaled == (a.budget is not None and total > a.budget.amount)
    for pid, amount in a.amounts.items():
        assert D(0) <= amount.amount <= unscaled[pid].amount
        assert a.scaled or amount == unscaled[pid]
    if a.scaled and a.budget is not None:
        assert sum((m.amount for m in a.amounts.values()), D(0)) == a.budget.amount
    round_trip(a)


@settings(max_examples=40)
@given(request_decisions(), claim_decisions())
def test_decisions_keep_their_invariants(r: RequestDecision, c: ClaimDecision) -> None:
    for d in (r, c):
        share = d.share if d.share is not None else Money.zero(d.approved.currency)
        assert d.share is None or d.approved <= d.share
        if d.outcome is Decision.PARTIAL:
            assert D(0) < d.approved.amount < share.amount
        elif d.outcome is Decision.REJECT:
            assert not d.approved
            assert d.reasons
        else:
            assert d.approved == d.share
            assert not d.reasons
        assert d.explain("zh").splitlines()[0].startswith("费用")
        round_trip(d)
    allocation = r.allocation or Money.zero(r.approved.currency)
    committed = r.committed or Money.zero(r.approved.currency)
    assert r.approved.amount <= max(allocation.amount - committed.amount, D(0))
    ok = c.request_approved or Money.zero(c.approved.currency)
    before = c.claimed_before or Money.zero(c.approved.currency)
    assert c.approved <= ok - before


@settings(max_examples=30)
@given(fund_programs(), fund_requests(), claims())
def test_drawn_inputs_round_trip(p: FundProgram, r: FundRequest, c: Claim) -> None:
    for model in (p, r, c):
        round_trip(model)


def test_a_programmes_json_lists_its_activities_sorted() -> None:
    from channelkit.incentives.funds import FundProgram as Program

    made = Program(
        id="F",
        name="F",
        currency="CNY",
        period=Period.quarter(2026, 3),
        activities=frozenset({"event", "ads", "training"}),
    )
    assert '"activities":["ads","event","training"]' in made.model_dump_json()
    assert Program.model_validate_json(made.model_dump_json()) == made
    assert '"activities":null' in made.model_copy(update={"activities": None}).model_dump_json()
