"""The fund ledger: balances, entries and their dates, payments, releases and expiries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from channelkit.errors import ArgumentError, ArgumentTypeError, CurrencyMismatchError
from channelkit.incentives.balances import (
    FundBalance,
    FundBalances,
    FundEntry,
    FundEntryKind,
    fund_balances,
)
from channelkit.incentives.decisions import decide_request
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
from channelkit.testing import _funds
from channelkit.testing._funds import fund_balance_rows, fund_entries, fund_programs

D = Decimal
CNY = "CNY"
K = FundEntryKind
H1 = Period(dt.date(2026, 1, 1), dt.date(2026, 7, 1))  # [2026-01-01, 2026-07-01)
AS_OF = dt.date(2026, 6, 30)


def cny(x: int | str) -> Money:
    return Money(x, CNY)


def round_trip(model: BaseModel) -> None:
    assert type(model).model_validate_json(model.model_dump_json()) == model


class _Html(HTMLParser):
    """Checks that every tag closes in order and records the tags seen."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.seen: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.add(tag)
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open.pop() == tag, f"</{tag}> closes another tag"


def check_html(html: str) -> set[str]:
    parser = _Html()
    parser.feed(html)
    parser.close()
    assert not parser.open, parser.open
    assert "script" not in parser.seen
    return parser.seen


def day(month: int, d: int) -> dt.date:
    return dt.date(2026, month, d)


PROGRAM = FundProgram(
    id="MDF",
    name="Market development H1",
    currency=CNY,
    period=H1,
    budget=cny(20_000),
    tier_quotas={"GOLD": cny(10_000), "SILVER": cny(5_000)},
    reimbursement_rate=D("0.5"),
    claim_window_days=30,
)


def partner(pid: str, tier: str | None) -> Partner:
    return Partner(
        id=pid,
        name=pid,
        kind="dealer",  # type: ignore[arg-type]
        tier=tier,
        currency=CNY,
        payment_terms_days=30,
        joined=dt.date(2024, 1, 1),
    )


# P1 GOLD 10,000; P2 SILVER 5,000; P3 no tier 0 (sum 15,000 <= 20,000: not scaled)
ALLOCATION = allocate_funds(
    PROGRAM, [partner("P1", "GOLD"), partner("P2", "SILVER"), partner("P3", None)]
)


def req(rid: str, pid: str, planned: int, start: dt.date, end: dt.date) -> FundRequest:
    return FundRequest(
        id=rid,
        program_id="MDF",
        partner_id=pid,
        activity="display",
        planned_cost=cny(planned),
        start=start,
        end=end,
    )


def clm(cid: str, rid: str, pid: str, amount: int, submitted: dt.date, proof: bool = True) -> Claim:
    return Claim(
        id=cid,
        request_id=rid,
        partner_id=pid,
        amount=cny(amount),
        submitted=submitted,
        proof=("photos.zip",) if proof else (),
    )


REQUESTS = [
    req("R1", "P1", 8_000, day(2, 1), day(2, 28)),  # share 4,000 of 10,000 left: approved
    req("R2", "P1", 16_000, day(3, 1), day(3, 15)),  # share 8,000 > 6,000 left: partial 6,000
    req("R3", "P1", 2_000, day(4, 1), day(4, 10)),  # nothing left: exhausted
    req("R4", "P2", 6_000, day(1, 10), day(1, 20)),  # share 3,000 of 5,000: approved
    req("R5", "P2", 2_000, day(5, 1), day(5, 31)),  # share 1,000 of 2,000 left: approved
    req("R6", "P3", 1_000, day(2, 1), day(2, 2)),  # zero allocation
    req("R7", "P4", 1_000, day(2, 1), day(2, 2)),  # not in the allocation at all
]
CLAIMS = [
    # given out of order: decided by submitted, then id
    clm("C2", "R1", "P1", 4_000, day(3, 20)),  # share 2,000 > 4,000 - 3,000: partial 1,000
    clm("C1", "R1", "P1", 6_000, day(3, 10)),  # share 3,000 <= 4,000: approved
    clm("C3", "R2", "P1", 10_000, day(4, 1)),  # share 5,000 <= 6,000: approved
    clm("C4", "R4", "P2", 2_000, day(2, 25)),  # R4 ended 01-20 + 30 days = 02-19: late
    clm("C5", "R5", "P2", 1_000, day(6, 5)),  # share 500: approved
    clm("C6", "R1", "P1", 100, day(7, 5)),  # after as_of: ignored
    clm("C7", "R9", "P1", 100, day(3, 1)),  # on a request not given: ignored
    clm("C8", "R2", "P1", 500, day(4, 2), proof=False),  # no proof: rejected, counts nowhere
]
PAYMENTS = {"C3": cny(5_000), "C1": cny(3_000), "C2": cny(500), "C5": cny(0), "C4": cny(0)}


def balances(**kw: Any) -> FundBalances:
    args: dict[str, Any] = {
        "as_of": AS_OF,
        "payments": PAYMENTS,
        "closed": frozenset({"R5", "R-unknown"}),
    } | kw
    return fund_balances(
        args.pop("program", PROGRAM),
        args.pop("allocation", ALLOCATION),
        args.pop("requests", REQUESTS),
        args.pop("claims", CLAIMS),
        **args,
    )


def figures(b: FundBalance) -> dict[str, Decimal]:
    names = ["allocated", "committed", "claimed", "paid", "unpaid", "released"]
    names += ["available", "unclaimed", "expired"]
    return {n: getattr(b, n).amount for n in names}


def entries(b: FundBalance) -> list[tuple[dt.date, str, str | None, str | None, Decimal]]:
    return [(e.date, e.kind.value, e.request_id, e.claim_id, e.amount.amount) for e in b.entries]


def test_the_hand_worked_scenario() -> None:
    r = balances()
    assert (r.as_of, r.program_id, r.currency) == (AS_OF, "MDF", CNY)
    # a balance per partner of the allocation (P1-P3) or of a request (P4), by id
    assert [b.partner_id for b in r] == ["P1", "P2", "P3", "P4"]
    p1, p2, p3, p4 = r
    # P1: committed 4,000 + 6,000; claimed 3,000 + 1,000 + 5,000; paid 3,000 + 500 + 5,000
    # available 10,000 - 10,000 + 0 = 0; unclaimed 10,000 - 9,000 - 0 = 1,000, all of it
    # R2's (6,000 - 5,000), whose window closed on 03-15 + 30 = 04-14
    assert figures(p1) == {
        "allocated": D(10_000),
        "committed": D(10_000),
        "claimed": D(9_000),
        "paid": D(8_500),
        "unpaid": D(500),
        "released": D(0),
        "available": D(0),
        "unclaimed": D(1_000),
        "expired": D(1_000),
    }
    # P2: committed 3,000 + 1,000; claimed 500 (C4 late); R5 closed: 1,000 - 500 released;
    # R4's 3,000 unclaimed expired (window closed 02-19); available 5,000 - 4,000 + 500
    assert figures(p2) == {
        "allocated": D(5_000),
        "committed": D(4_000),
        "claimed": D(500),
        "paid": D(0),
        "unpaid": D(500),
        "released": D(500),
        "available": D(1_500),
        "unclaimed": D(3_000),
        "expired": D(3_000),
    }
    for b in (p3, p4):  # rejected requests only: every figure zero, no entries
        assert set(figures(b).values()) == {D(0)}
        assert b.entries == ()


def test_entries_and_their_dates() -> None:
    p1, p2, _, _ = balances()
    assert entries(p1) == [
        (day(1, 1), "allocate", None, None, D(10_000)),  # the programme's start
        (day(2, 1), "commit", "R1", None, D(4_000)),  # the request's start
        (day(3, 1), "commit", "R2", None, D(6_000)),
        (day(3, 10), "claim", "R1", "C1", D(3_000)),  # submitted
        (day(3, 20), "claim", "R1", "C2", D(1_000)),
        (day(4, 1), "claim", "R2", "C3", D(5_000)),
        (day(4, 15), "expire", "R2", None, D(1_000)),  # end + 30 + 1
        (AS_OF, "pay", "R1", "C1", D(3_000)),  # as_of, in the order decided
        (AS_OF, "pay", "R1", "C2", D(500)),
        (AS_OF, "pay", "R2", "C3", D(5_000)),
    ]
    assert entries(p2) == [
        (day(1, 1), "allocate", None, None, D(5_000)),
        (day(1, 10), "commit", "R4", None, D(3_000)),
        (day(2, 20), "expire", "R4", None, D(3_000)),  # 01-20 + 30 + 1
        (day(5, 1), "commit", "R5", None, D(1_000)),
        (day(6, 5), "claim", "R5", "C5", D(500)),  # the zero payment posts nothing
        (AS_OF, "release", "R5", None, D(500)),
    ]


def test_each_figure_is_the_sum_of_its_entries() -> None:
    for b in balances():
        sums: dict[str, Decimal] = defaultdict(Decimal)
        for e in b.entries:
            sums[e.kind.value] += e.amount.amount
        assert b.allocated.amount == sums["allocate"]
        assert b.committed.amount == sums["commit"]
        assert b.claimed.amount == sums["claim"]
        assert b.paid.amount == sums["pay"]
        assert b.released.amount == sums["release"]
        assert b.expired.amount == sums["expire"]
        assert b.unpaid == b.claimed - b.paid
        assert b.available == b.allocated - b.committed + b.released
        assert b.unclaimed == b.committed - b.claimed - b.released


def test_a_closed_request_releases_instead_of_expiring() -> None:
    p2 = balances(closed=frozenset({"R4"})).partner("P2")
    # R4 closed: its 3,000 unclaimed is released on as_of and never expires; R5 (open, window
    # until 06-30) neither
    assert (p2.released, p2.expired) == (cny(3_000), cny(0))
    assert p2.available == cny(4_000)  # 5,000 - 4,000 + 3,000
    assert p2.unclaimed == cny(500)  # 4,000 - 500 - 3,000: R5's, still claimable
    assert (AS_OF, "release", "R4", None, D(3_000)) in entries(p2)


def test_expiry_starts_the_day_after_the_window() -> None:
    # R4 ends 01-20; window 30 days: claims on time until 02-19, expired from 02-20
    late = [r for r in REQUESTS if r.id == "R4"]
    before = balances(requests=late, claims=[], payments={}, as_of=day(2, 19)).partner("P2")
    assert (before.expired, before.unclaimed) == (cny(0), cny(3_000))
    on = balances(requests=late, claims=[], payments={}, as_of=day(2, 20)).partner("P2")
    assert on.expired == cny(3_000)
    assert entries(on)[-1] == (day(2, 20), "expire", "R4", None, D(3_000))


def test_claims_on_the_same_day_are_decided_by_id() -> None:
    r1 = REQUESTS[0]  # approved 4,000
    same = [clm("C9", "R1", "P1", 8_000, day(3, 1)), clm("C10", "R1", "P1", 8_000, day(3, 1))]
    p1 = balances(requests=[r1], claims=same, payments={}).partner("P1")
    # "C10" < "C9": C10 takes the whole 4,000 share, C9 finds nothing left (rejected)
    assert [(e.claim_id, e.amount) for e in p1.entries if e.kind is K.CLAIM] == [
        ("C10", cny(4_000))
    ]


def test_requests_are_decided_in_the_order_given() -> None:
    r1, r2 = REQUESTS[:2]
    first = balances(requests=[r2, r1], claims=[], payments={}).partner("P1")
    # R2 first: 8,000 of 10,000 approved; then R1: 4,000 > 2,000 left, partial 2,000
    commits = [(e.request_id, e.amount) for e in first.entries if e.kind is K.COMMIT]
    assert commits == [("R1", cny(2_000)), ("R2", cny(8_000))]  # by date in the ledger


def test_the_sequence_protocol_and_lookup() -> None:
    r = balances()
    assert len(r) == 4
    assert r[0].partner_id == "P1"
    assert [b.partner_id for b in r[1:3]] == ["P2", "P3"]
    assert list(r) == list(r.balances)
    assert r.partner("P2") is r[1]
    with pytest.raises(KeyError):
        r.partner("P9")


@pytest.mark.parametrize(
    ("kw", "error", "message"),
    [
        ({"payments": {"C2": cny(1_001)}}, ArgumentError, r"payments\['C2'\] is 1,001.00 CNY"),
        ({"payments": {"C4": cny(1)}}, ArgumentError, "above the 0.00 CNY claim 'C4'"),
        ({"payments": {"C6": cny(1)}}, ArgumentError, "claim 'C6' was approved for"),
        ({"payments": {"CX": cny(1)}}, ArgumentError, "claim 'CX'"),
        ({"payments": {"C1": cny(-1)}}, ArgumentError, "must not be negative"),
        ({"payments": {"C1": Money(1, "USD")}}, CurrencyMismatchError, "got USD"),
        ({"payments": [("C1", cny(1))]}, ArgumentTypeError, "payments must be a mapping"),
        (
            {"allocation": FundAllocation(program_id="X", amounts={}, scaled=False)},
            ArgumentError,
            "of programme 'X'",
        ),
        (
            {
                "allocation": FundAllocation(
                    program_id="MDF", amounts={"P1": Money(1, "USD")}, scaled=False
                )
            },
            CurrencyMismatchError,
            "allocation P1",
        ),
        ({"requests": REQUESTS + REQUESTS[:1]}, ArgumentError, "requests holds the id 'R1' twice"),
        ({"claims": CLAIMS + CLAIMS[:1]}, ArgumentError, "claims holds the id 'C2' twice"),
        ({"requests": REQUESTS[0]}, ArgumentTypeError, "requests must be an iterable"),
        ({"claims": [REQUESTS[0]]}, ArgumentTypeError, "Claim objects only"),
        ({"closed": "R5"}, ArgumentTypeError, "closed must be a set of ids"),
        ({"closed": {5}}, ArgumentTypeError, "ids"),
        ({"as_of": "2026-06-30"}, ArgumentTypeError, "as_of must be a date"),
        ({"program": ALLOCATION}, ArgumentTypeError, "program must be a FundProgram"),
        (
            {"requests": [REQUESTS[0].model_copy(update={"planned_cost": Money(1, "USD")})]},
            CurrencyMismatchError,
            "planned_cost of request R1",
        ),
    ],
)
def test_arguments_are_checked(kw: dict[str, Any], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        balances(**kw)


def test_zero_payments_of_rejected_later_or_unknown_claims_are_accepted() -> None:
    r = balances(payments={"C4": cny(0), "C6": cny(0), "CX": cny(0), 7: cny(0)})
    assert all(not b.paid for b in r)


def test_models_validate_themselves() -> None:
    with pytest.raises(ValidationError, match="amount must be above zero"):
        FundEntry(date=day(1, 1), kind=K.ALLOCATE, amount=cny(0))
    with pytest.raises(ValidationError, match="a allocate entry names no request_id"):
        FundEntry(date=day(1, 1), kind=K.ALLOCATE, request_id="R1", amount=cny(1))
    with pytest.raises(ValidationError, match="a pay entry names claim_id"):
        FundEntry(date=day(1, 1), kind=K.PAY, request_id="R1", amount=cny(1))
    with pytest.raises(ValidationError, match="a commit entry names request_id"):
        FundEntry(date=day(1, 1), kind=K.COMMIT, amount=cny(1))
    p1 = balances()[0]
    changes: list[tuple[dict[str, Any], str]] = [
        ({"paid": cny(1)}, "paid must be the sum of its entries"),
        ({"unpaid": cny(1)}, "unpaid must be 500.00 CNY by its formula"),
        ({"claimed": Money(1, "USD")}, "claimed is in USD"),
        (
            {
                "entries": (
                    *p1.entries[:-1],
                    p1.entries[-1].model_copy(update={"amount": Money(1, "USD")}),
                )
            },
            r"entries\[9\] is in USD but the balance is in CNY",
        ),
    ]
    for change, message in changes:
        with pytest.raises(ValidationError, match=message):
            FundBalance.model_validate(p1.model_dump() | change)
    zero = dict.fromkeys(("allocated", "committed", "claimed", "paid", "unpaid"), cny(0))
    zero |= dict.fromkeys(("released", "available", "unclaimed", "expired"), cny(0))
    with pytest.raises(ValidationError, match="available must not be negative"):
        FundBalance(
            partner_id="P",
            **(zero | {"committed": cny(1), "available": cny(-1), "unclaimed": cny(1)}),
            entries=(FundEntry(date=day(1, 1), kind=K.COMMIT, request_id="R", amount=cny(1)),),
        )
    with pytest.raises(ValidationError, match=r"expired \(1 CNY\) is part of unclaimed"):
        FundBalance(
            partner_id="P",
            **(zero | {"expired": cny(1)}),
            entries=(FundEntry(date=day(1, 1), kind=K.EXPIRE, request_id="R", amount=cny(1)),),
        )
    r = balances()
    with pytest.raises(ValidationError, match="ordered by partner id"):
        FundBalances(as_of=AS_OF, balances=(r[1], r[0]))
    with pytest.raises(ValidationError, match="not USD"):
        FundBalances(as_of=AS_OF, balances=(r[0],), currency="USD")


def test_results_round_trip_explain_and_render() -> None:
    r = balances()
    round_trip(r)
    for b in r:
        round_trip(b)
        for e in b.entries:
            round_trip(e)
    text = r.explain().splitlines()
    assert text[0] == "Fund balances of programme MDF at 2026-06-30 (CNY), 4 partners"
    assert text[2] == (
        "  P2: allocated 5,000.00, committed 4,000.00, claimed 500.00, paid 0.00, released 500.00; "
        "available 1,500.00, unclaimed 3,000.00 (expired 3,000.00), unpaid 500.00"
    )
    assert text[-1].startswith("Total: allocated 15,000.00, committed 14,000.00, claimed 9,500.00")
    zh = r.explain("zh").splitlines()
    assert zh[0] == "费用项目 MDF 截至 2026-06-30 的余额（CNY），4 个伙伴"
    assert zh[-1].startswith("合计：分配 15,000.00，已承诺 14,000.00")
    ledger = r[1].explain().splitlines()
    assert ledger[0] == "Fund ledger of P2 (CNY)"
    assert "  2026-02-20 Expired R4 3,000.00" in ledger
    assert ledger[-2] == (
        "Unclaimed: 4,000.00 committed - 500.00 claimed - 500.00 released = 3,000.00 "
        "(expired 3,000.00)"
    )
    assert "  2026-06-05 核销 R5/C5 500.00" in r[1].explain("zh").splitlines()
    assert r[2].explain().splitlines()[1] == "  no entries"
    assert FundBalances(as_of=AS_OF, balances=()).explain() == (
        "Fund balances of programme at 2026-06-30, 0 partners"
    )
    for html in (r._repr_html_(), r[0]._repr_html_()):
        assert {"table", "td"} <= check_html(html)


# -- properties --------------------------------------------------------------------------------


@settings(max_examples=40)
@given(fund_programs(), st.data())
def test_ledgers_keep_their_invariants(program: FundProgram, data: st.DataObject) -> None:
    # the strategy's own scenario, so that the inputs behind each entry are at hand
    allocation, requests, claims, as_of, payments, closed = _funds._scenario(
        data.draw,  # type: ignore[arg-type]
        program,
        4,
        5,
    )
    r = fund_balances(
        program, allocation, requests, claims, as_of=as_of, payments=payments, closed=closed
    )
    by_request = {q.id: q for q in requests}
    by_claim = {c.id: c for c in claims}
    partners = set(allocation.amounts) | {q.partner_id for q in requests}
    assert [b.partner_id for b in r] == sorted(partners)
    committed: dict[str, Money] = {}
    for q in requests:  # one implementation of the rule: the ledger's commits are decide_request's
        pid = q.partner_id
        before = committed.get(pid, Money.zero(program.currency))
        alloc = allocation.amounts.get(pid, Money.zero(program.currency))
        approved = decide_request(program, q, allocation=alloc, committed=before).approved
        committed[pid] = before + approved
    for b in r:
        assert b.committed == committed.get(b.partner_id, Money.zero(program.currency))
        assert b.committed <= b.allocated
        assert b.expired <= b.unclaimed
        for e in b.entries:
            assert e.amount.amount > 0
            if e.kind is K.ALLOCATE:
                assert e.date == program.period.start
            elif e.kind is K.COMMIT:
                assert e.date == by_request[e.request_id or ""].start
            elif e.kind is K.CLAIM:
                assert e.date == by_claim[e.claim_id or ""].submitted <= as_of
            elif e.kind is K.EXPIRE:
                q = by_request[e.request_id or ""]
                assert e.date == q.end + dt.timedelta(days=program.claim_window_days + 1)
                assert e.date <= as_of
                assert q.id not in closed
            else:
                assert e.date == as_of
        assert b.released.amount == 0 or any(e.request_id in closed for e in b.entries)
    round_trip(r)


@settings(max_examples=25)
@given(fund_balance_rows(), fund_entries())
def test_drawn_rows_and_entries_are_valid(b: FundBalance, e: FundEntry) -> None:
    assert b.unclaimed.amount >= b.expired.amount >= 0
    assert b.explain("zh")
    round_trip(b)
    round_trip(e)
