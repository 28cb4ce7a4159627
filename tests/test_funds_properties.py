"""Properties of incentive funds, drawn from local strategies (API.md, "Incentive funds").

Each property restates a sentence of the contract; the balances are checked against an oracle
built from the contract's own steps (requests decided in the order given, claims by submission
date then id, releases of closed requests, expiry after the window) and the public decisions.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

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
from channelkit.money import Money, allocate
from channelkit.partners import Partner, PartnerStatus
from channelkit.periods import Period

D = Decimal
CNY = "CNY"
CENT = D("0.01")
H1 = Period(dt.date(2026, 1, 1), dt.date(2026, 7, 1))
ZERO = Money.zero(CNY)
K = FundEntryKind
RC = RequestReasonCode
CC = ClaimReasonCode
IDS = ["A", "B", "C", "D", "E"]


def half_up(x: Decimal) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 60
        return x.quantize(CENT, rounding=ROUND_HALF_UP)


def cents(low: int, high: int) -> st.SearchStrategy[Money]:
    return st.integers(low, high).map(lambda c: Money(D(c).scaleb(-2), CNY))


def rates(high: int, places: int) -> st.SearchStrategy[Decimal]:
    return st.integers(0, high).map(lambda n: D(n).scaleb(-places))


def dates(first: dt.date, last: dt.date) -> st.SearchStrategy[dt.date]:
    return st.dates(min_value=first, max_value=last)


@st.composite
def programs(draw: st.DrawFn, *, funded: bool = False) -> FundProgram:
    """Any valid programme; ``funded``: quotas, a budget and a share, so that money flows."""
    low = 1 if funded else 0
    quotas = st.dictionaries(st.sampled_from(["gold", "silver"]), cents(0, 500_000))
    if funded:
        quotas = st.fixed_dictionaries({"gold": cents(1, 500_000), "silver": cents(0, 300_000)})
    return FundProgram(
        id="MDF",
        name="Market development",
        currency=CNY,
        period=H1,
        budget=draw(st.none() | cents(low * 100_000, 2_000_000)),
        accrual_rate=draw(rates(500, 3)),  # 0 to 0.5 by 0.001
        tier_quotas=draw(quotas),
        activities=draw(st.none() | st.just(frozenset({"event", "ads"}))),
        reimbursement_rate=draw(rates(100, 2).map(lambda r: max(r, D(low) / 10))),  # by 0.01
        claim_window_days=draw(st.integers(0, 40)),
        proof_required=draw(st.booleans()),
    )


@st.composite
def partner_lists(draw: st.DrawFn, *, dense: bool = False) -> list[Partner]:
    """Partners with unique ids; ``dense``: at least three, mostly active, mostly with a quota."""
    ids = draw(st.lists(st.sampled_from(IDS), unique=True, min_size=3 if dense else 0))
    tiers = (
        ["gold", "silver", "gold", "silver", None] if dense else [None, "gold", "silver", "bronze"]
    )
    active = [PartnerStatus.ACTIVE] * (4 if dense else 1)
    return [
        Partner(
            id=pid,
            name=pid,
            kind="dealer",  # type: ignore[arg-type]
            tier=draw(st.sampled_from(tiers)),
            currency=CNY,
            payment_terms_days=30,
            joined=dt.date(2024, 1, 1),
            status=draw(st.sampled_from([*active, *PartnerStatus])),
        )
        for pid in ids
    ]


sales_maps = st.none() | st.dictionaries(
    st.sampled_from([*IDS, "Z"]), st.integers(-10_000_000, 100_000_000).map(lambda c: D(c) / 100)
)


def unscaled(program: FundProgram, p: Partner, sales: dict[str, Decimal] | None) -> Decimal:
    if p.status != PartnerStatus.ACTIVE:
        return D(0)
    quota = program.tier_quotas.get(p.tier, ZERO).amount if p.tier else D(0)
    sold = (sales or {}).get(p.id, D(0))
    return half_up(quota + program.accrual_rate * max(sold, D(0)))


@given(programs(), partner_lists(), sales_maps)
def test_allocations_never_exceed_the_budget(
    program: FundProgram, partners: list[Partner], sales: dict[str, Decimal] | None
) -> None:
    a = allocate_funds(program, partners, sales=sales)
    assert a.program_id == program.id
    assert set(a.amounts) == {p.id for p in partners}
    raw = {p.id: unscaled(program, p, sales) for p in partners}
    total = sum((m for m in a.amounts.values()), ZERO)
    budget = program.budget
    assert a.scaled == (budget is not None and sum(raw.values(), D(0)) > budget.amount)
    if a.scaled:
        assert budget is not None
        assert total == budget
        order = sorted(raw)
        expected = allocate(budget, [raw[i] for i in order])
        assert [a.amounts[i] for i in order] == expected
        assert all(a.amounts[i].amount <= raw[i] for i in order)
    else:
        assert {k: m.amount for k, m in a.amounts.items()} == raw
        if budget is not None:
            assert total <= budget
    assert all(m.currency == CNY and m.amount >= 0 for m in a.amounts.values())


def _request(**kw: Any) -> FundRequest:
    return FundRequest(**({"id": "R", "program_id": "MDF", "partner_id": "A"} | kw))


@given(
    programs(),
    cents(0, 1_000_000),
    cents(0, 500_000),
    cents(0, 500_000),
    st.sampled_from(["event", "training"]),
    dates(dt.date(2025, 12, 25), dt.date(2026, 7, 5)),
    st.integers(0, 10),
    st.sampled_from(["MDF", "MDF", "OTHER"]),
)
def test_a_request_never_gets_more_than_its_share_or_what_is_left(
    program: FundProgram,
    planned: Money,
    allocation: Money,
    committed: Money,
    activity: str,
    start: dt.date,
    days: int,
    program_id: str,
) -> None:
    end = start + dt.timedelta(days=days)
    r = _request(
        program_id=program_id, activity=activity, planned_cost=planned, start=start, end=end
    )
    d = decide_request(program, r, allocation=allocation, committed=committed)
    share = half_up(planned.amount * program.reimbursement_rate)
    left = allocation.amount - committed.amount
    assert d.approved.currency == CNY
    assert 0 <= d.approved.amount <= share
    assert d.approved.amount <= max(left, D(0))
    expected = set()
    if program.activities is not None and activity not in program.activities:
        expected.add(RC.ACTIVITY)
    if start < H1.start or end >= H1.end:
        expected.add(RC.WINDOW)
    if program_id != program.id:
        expected.add(RC.WRONG_PROGRAM)
    if allocation.amount == 0:
        expected.add(RC.NO_ALLOCATION)
    elif left <= 0:
        expected.add(RC.EXHAUSTED)
    codes = {x.code for x in d.reasons}
    assert codes - {RC.PARTIAL} == expected
    if expected:
        assert (d.outcome, d.approved.amount) == (Decision.REJECT, 0)
    else:
        assert d.approved.amount == min(share, left)
    if d.outcome == Decision.REJECT:
        assert d.approved.amount == 0
    if d.outcome == Decision.PARTIAL:
        assert 0 < d.approved.amount < share
        assert RC.PARTIAL in codes
    if d.outcome == Decision.APPROVE:
        assert d.approved.amount == share
        assert d.reasons == ()
    if 0 < d.approved.amount < share:
        assert d.outcome == Decision.PARTIAL
        assert codes == {RC.PARTIAL}


@given(
    programs(),
    cents(0, 200_000),
    st.lists(st.tuples(cents(0, 150_000), st.booleans()), max_size=6),
)
def test_claims_on_a_request_never_exceed_its_approval(
    program: FundProgram, approved: Money, amounts: list[tuple[Money, bool]]
) -> None:
    req = _request(
        activity="event",
        planned_cost=Money(1, CNY),
        start=dt.date(2026, 2, 1),
        end=dt.date(2026, 2, 10),
    )
    before = ZERO
    for i, (amount, proof) in enumerate(amounts):
        c = Claim(
            id=f"K{i}",
            request_id="R",
            partner_id="A",
            amount=amount,
            submitted=dt.date(2026, 2, 10),
            proof=("p",) if proof else (),
        )
        d = decide_claim(
            program, c, req, approved=approved, claimed_before=before, as_of=dt.date(2026, 2, 10)
        )
        share = half_up(amount.amount * program.reimbursement_rate)
        left = approved.amount - before.amount
        codes = {x.code for x in d.reasons}
        assert 0 <= d.approved.amount <= min(share, left)
        if program.proof_required and not proof:
            assert codes >= {CC.NO_PROOF}
            assert (d.outcome, d.approved.amount) == (Decision.REJECT, 0)
        else:
            assert d.approved.amount == min(share, left) if left > 0 else d.approved.amount == 0
            if share > 0 and left >= share:
                assert (d.outcome, d.reasons) == (Decision.APPROVE, ())
            elif share > 0 and left > 0:
                assert (d.outcome, codes) == (Decision.PARTIAL, {CC.OVER_APPROVED, CC.PARTIAL})
            elif share > 0:
                assert (d.outcome, codes) == (Decision.REJECT, {CC.OVER_APPROVED})
        before += d.approved
        assert before <= approved


# -- balances ----------------------------------------------------------------------------------

DAYS = [dt.date(2026, m, d) for m in range(1, 10) for d in (1, 15)]  # shared days: ties happen


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    program = draw(programs(funded=True))
    allocation = allocate_funds(program, draw(partner_lists(dense=True)), sales=draw(sales_maps))
    holders = [pid for pid, m in allocation.amounts.items() if m.amount > 0]
    requests = []
    for i in range(draw(st.integers(1, 6))):  # no request at all: see the contract tests
        # mostly well inside the period, sometimes across either of its edges
        inside = st.sampled_from(DAYS[:11])
        start = draw(inside | inside | dates(dt.date(2025, 12, 25), H1.end))
        requests.append(
            FundRequest(
                id=f"R{i}",
                program_id=draw(st.sampled_from(["MDF"] * 7 + ["OTHER"])),
                partner_id=draw(st.sampled_from([*holders] * 3 + [*IDS, "X"])),
                activity=draw(st.sampled_from(["event", "ads", "event", "training"])),
                planned_cost=draw(cents(0, 1_000_000)),
                start=start,
                end=start + dt.timedelta(days=draw(st.integers(0, 20))),
            )
        )
    rids = [r.id for r in requests]
    # claims go mostly to requests that got money (found with the public decision, which only
    # steers the drawing: the test checks the balances against its own oracle)
    funded, committed = [], dict.fromkeys([*IDS, "X"], ZERO)
    for r in requests:
        got = allocation.amounts.get(r.partner_id, ZERO)
        approved = decide_request(
            program, r, allocation=got, committed=committed[r.partner_id]
        ).approved
        committed[r.partner_id] += approved
        funded += [r.id] * 3 if approved else []
    claims = []
    for j in range(draw(st.integers(0, 8) if rids else st.integers(0, 2))):
        rid = draw(st.sampled_from([*funded, *rids, "R99"]))
        req = next((r for r in requests if r.id == rid), None)
        owner, end = (req.partner_id, req.end) if req else ("A", DAYS[5])
        currency = draw(st.sampled_from([CNY] * 7 + ["USD"]))
        # near the end of the request's window (on time, late, on the same day as another)
        late_by = draw(st.sampled_from([-5, 0, 10, 30, 41]) | st.integers(-10, 50))
        claims.append(
            Claim(
                id=f"K{j}",
                request_id=rid,
                partner_id=draw(st.sampled_from([owner] * 5 + ["B"])),
                amount=Money(D(draw(st.integers(0, 500_000))).scaleb(-2), currency),
                submitted=end + dt.timedelta(days=late_by),
                proof=draw(st.sampled_from([(), ("p",), ("p", "q"), ("p",)])),
            )
        )
    # as_of: late enough for everything, on a claim's day, or on either side of a window's end
    window = dt.timedelta(days=program.claim_window_days)
    edges = [r.end + window + dt.timedelta(days=k) for r in requests for k in (0, 1)]
    days = [dt.date(2026, 9, 30), *(c.submitted for c in claims), *edges]
    return {
        "program": program,
        "allocation": allocation,
        "requests": requests,
        "claims": claims,
        "as_of": draw(st.sampled_from(days) | dates(DAYS[0], days[0])),
        "closed": frozenset(draw(st.lists(st.sampled_from([*rids, "R999"]), max_size=4))),
    }


Entry = tuple[dt.date, FundEntryKind, str | None, Money]


def oracle(s: dict[str, Any]) -> tuple[dict[str, list[Entry]], dict[str, tuple[str, Money]]]:
    """The ledger per partner by the contract's steps, and each counted claim's approval."""
    program, allocation, as_of = s["program"], s["allocation"], s["as_of"]
    ledger: dict[str, list[Entry]] = {pid: [] for pid in allocation.amounts}
    for pid, m in allocation.amounts.items():
        ledger[pid].append((program.period.start, K.ALLOCATE, None, m))
    committed: dict[str, Money] = {}
    approved: dict[str, Money] = {}
    for r in s["requests"]:  # in the order given, committed running per partner
        before = committed.get(r.partner_id, ZERO)
        got = allocation.amounts.get(r.partner_id, ZERO)
        d = decide_request(program, r, allocation=got, committed=before)
        approved[r.id] = d.approved
        committed[r.partner_id] = before + d.approved
        ledger.setdefault(r.partner_id, []).append((r.start, K.COMMIT, r.id, d.approved))
    by_id = {r.id: r for r in s["requests"]}
    claimed: dict[str, Money] = {}
    counted: dict[str, tuple[str, Money]] = {}
    known = [c for c in s["claims"] if c.submitted <= as_of and c.request_id in by_id]
    for c in sorted(known, key=lambda c: (c.submitted, c.id)):
        r = by_id[c.request_id]
        before = claimed.get(r.id, ZERO)
        d = decide_claim(program, c, r, approved=approved[r.id], claimed_before=before, as_of=as_of)
        claimed[r.id] = before + d.approved
        counted[c.id] = (r.partner_id, d.approved)
        ledger[r.partner_id].append((c.submitted, K.CLAIM, c.id, d.approved))
    window = dt.timedelta(days=program.claim_window_days)
    for r in s["requests"]:
        left = approved[r.id] - claimed.get(r.id, ZERO)
        if r.id in s["closed"]:
            ledger[r.partner_id].append((as_of, K.RELEASE, r.id, left))
        elif r.end + window < as_of:
            ledger[r.partner_id].append(
                (r.end + window + dt.timedelta(days=1), K.EXPIRE, r.id, left)
            )
    return {p: [e for e in es if e[3].amount != 0] for p, es in ledger.items()}, counted


def entry_key(e: FundEntry) -> Entry:
    key = {K.ALLOCATE: None, K.CLAIM: e.claim_id, K.PAY: e.claim_id}.get(e.kind, e.request_id)
    return (e.date, e.kind, key, e.amount)


def sort_key(e: Entry) -> tuple[Any, ...]:
    return (e[0], e[1].value, e[2] or "", e[3].amount)


FIGURES = {
    K.ALLOCATE: "allocated",
    K.COMMIT: "committed",
    K.CLAIM: "claimed",
    K.PAY: "paid",
    K.RELEASE: "released",
    K.EXPIRE: "expired",
}


@settings(max_examples=60)
@given(scenarios(), st.data())
def test_balances_reconcile(s: dict[str, Any], data: st.DataObject) -> None:
    expected, counted = oracle(s)
    payments: dict[str, Money] = {"NOPE": ZERO}  # a zero payment of an unknown claim is valid
    for cid, (pid, approved) in counted.items():
        if approved.amount > 0 and data.draw(st.booleans()):
            paid = data.draw(st.integers(0, int(approved.amount * 100)))
            payments[cid] = Money(D(paid).scaleb(-2), CNY)
            if paid:
                expected[pid].append((s["as_of"], K.PAY, cid, payments[cid]))
    bal = fund_balances(
        s["program"],
        s["allocation"],
        s["requests"],
        s["claims"],
        as_of=s["as_of"],
        payments=payments,
        closed=s["closed"],
    )
    assert bal.as_of == s["as_of"]
    assert [b.partner_id for b in bal] == sorted(expected)
    assert len(bal) == len(expected)
    assert list(bal) == list(bal.balances)
    for b in bal:
        got = sorted((entry_key(e) for e in b.entries), key=sort_key)
        assert got == sorted(expected[b.partner_id], key=sort_key)
        for kind, field in FIGURES.items():
            assert getattr(b, field) == sum(
                (e.amount for e in b.entries if e.kind == kind), ZERO
            ), field
            assert getattr(b, field).amount >= 0, field
        assert b.unpaid == b.claimed - b.paid
        assert b.available == b.allocated - b.committed + b.released
        assert b.unclaimed == b.committed - b.claimed - b.released
        assert ZERO <= b.expired <= b.unclaimed
        assert b.unpaid >= ZERO
        assert b.available >= ZERO
    assert sum((b.allocated for b in bal), ZERO) == sum(s["allocation"].amounts.values(), ZERO)


@settings(max_examples=30)
@given(scenarios())
def test_every_model_round_trips_through_json(s: dict[str, Any]) -> None:
    program, allocation = s["program"], s["allocation"]
    bal = fund_balances(
        program, allocation, s["requests"], s["claims"], as_of=s["as_of"], closed=s["closed"]
    )
    models: list[Any] = [program, allocation, bal, *bal, *s["requests"], *s["claims"]]
    models += [e for b in bal for e in b.entries]
    for r in s["requests"]:
        d = decide_request(program, r, allocation=Money(100, CNY), committed=ZERO)
        models += [d, *d.reasons]
    for c in s["claims"]:
        r = _request(
            id=c.request_id, activity="event", planned_cost=ZERO, start=DAYS[0], end=DAYS[0]
        )
        d = decide_claim(
            program, c, r, approved=Money(100, CNY), claimed_before=ZERO, as_of=DAYS[-1]
        )
        models += [d, *d.reasons]
    kinds = {type(m) for m in models}
    for m in models:
        again = type(m).model_validate_json(m.model_dump_json())
        assert again == m
        assert again.model_dump_json() == m.model_dump_json()
    assert kinds <= {
        FundProgram,
        FundAllocation,
        FundBalances,
        FundBalance,
        FundEntry,
        FundRequest,
        Claim,
        RequestDecision,
        RequestReason,
        ClaimDecision,
        ClaimReason,
    }
