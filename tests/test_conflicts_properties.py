"""Properties of the conflict detectors, the lifecycle and recommend()."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from channelkit import (
    Conflict,
    ConflictStatus,
    DealRegistration,
    DealStatus,
    InvalidTransitionError,
    Money,
    Partner,
    PartnerKind,
    PartnerStatus,
    Recommendation,
    Resolution,
    Transaction,
    TransactionKind,
    detect_channel_overlap,
    detect_conflicts,
    detect_deal_overlaps,
    detect_price_violations,
    recommend,
    transition,
)
from channelkit.conflicts import SETTLED_STATUSES, TRANSITIONS
from channelkit.testing import conflicts, deal_registrations, recommendations

START = dt.date(2026, 1, 1)
FLOORS = {"A": Money(100, "CNY"), "B": Money(250, "CNY")}

days = st.integers(min_value=0, max_value=60).map(lambda n: START + dt.timedelta(days=n))


@st.composite
def transaction_lists(draw: st.DrawFn) -> list[Transaction]:
    """Small channels' transactions with unique ids, prices around the floors."""
    n = draw(st.integers(min_value=0, max_value=25))
    out = []
    for i in range(n):
        kind = draw(st.sampled_from(TransactionKind))
        qty = Decimal(draw(st.integers(min_value=0, max_value=5)))
        price = Money(draw(st.integers(min_value=50, max_value=300)), "CNY")
        with_price = draw(st.booleans())
        amount = price * qty if qty else Money(draw(st.integers(1, 500)), "CNY")
        out.append(
            Transaction(
                id=f"T{i}",
                partner_id=draw(st.sampled_from([None, "P1", "P2", "P3", "P4"])),
                date=draw(days),
                kind=kind,
                amount=amount,
                quantity=qty,
                sku=draw(st.sampled_from([None, "A", "B", "C"])),
                unit_price=price if with_price else None,
                territory=draw(st.sampled_from([None, "N", "S", "E", "W"])),
                customer_id=draw(st.sampled_from([None, "C1", "C2", "C3"])),
            )
        )
    return out


@st.composite
def partner_lists(draw: st.DrawFn) -> list[Partner]:
    out = []
    for pid in ("P1", "P2", "P3", "P4"):
        if draw(st.booleans()):
            out.append(
                Partner(
                    id=pid,
                    name=pid,
                    kind=PartnerKind.DEALER,
                    territories=draw(st.frozensets(st.sampled_from("NSEW"), max_size=2)),
                    exclusive=draw(st.booleans()),
                    currency="CNY",
                    payment_terms_days=30,
                    joined=draw(days),
                    status=draw(st.sampled_from(PartnerStatus)),
                )
            )
    return out


@st.composite
def registration_lists(draw: st.DrawFn) -> list[DealRegistration]:
    regs = draw(
        st.lists(
            deal_registrations(
                partner_ids=st.sampled_from(["P1", "P2", "P3"]),
                customer_ids=st.sampled_from(["C1", "C2", "C3"]),
                min_value=START,
                max_value=START + dt.timedelta(days=60),
                max_days=40,
            ),
            max_size=15,
        )
    )
    # unique ids, not in the order of the dates
    return [r.model_copy(update={"id": f"R{(7 * i) % 101}"}) for i, r in enumerate(regs)]


def everything(
    txs: list[Transaction], partners: list[Partner], regs: list[DealRegistration]
) -> tuple[Conflict, ...]:
    return detect_conflicts(
        txs, partners=partners, registrations=regs, floors=FLOORS, tolerance="0.1"
    )


def without_evidence(found: tuple[Conflict, ...]) -> list[tuple[Conflict, list[str]]]:
    return [(c.model_copy(update={"evidence": ()}), sorted(c.evidence)) for c in found]


@given(transaction_lists(), partner_lists(), registration_lists(), st.randoms())
def test_detectors_are_deterministic_under_shuffling(
    txs: list[Transaction],
    partners: list[Partner],
    regs: list[DealRegistration],
    rnd: random.Random,
) -> None:
    first = everything(txs, partners, regs)
    assert everything(txs, partners, regs) == first  # the same input: the same output
    shuffled = (rnd.sample(txs, len(txs)), rnd.sample(partners, len(partners)))
    regs2 = rnd.sample(regs, len(regs))
    second = everything(*shuffled, regs2)
    # same ids in the same order, same findings; evidence follows the (new) input order
    assert [c.id for c in second] == [c.id for c in first]
    assert without_evidence(second) == without_evidence(first)
    position = {x.id: i for i, x in enumerate(shuffled[0])} | {r.id: i for i, r in enumerate(regs2)}
    for c in second:
        tx_ids = [e for e in c.evidence if e.startswith("T")]
        reg_ids = [e for e in c.evidence if e.startswith("R")]
        assert c.evidence == (*tx_ids, *reg_ids)  # transactions first, then registrations
        assert [position[e] for e in tx_ids] == sorted(position[e] for e in tx_ids)
        assert [position[e] for e in reg_ids] == sorted(position[e] for e in reg_ids)


@given(transaction_lists(), partner_lists(), registration_lists())
def test_evidence_refers_to_input_ids_and_findings_round_trip(
    txs: list[Transaction], partners: list[Partner], regs: list[DealRegistration]
) -> None:
    known = {t.id for t in txs} | {r.id for r in regs}
    found = everything(txs, partners, regs)
    assert len({c.id for c in found}) == len(found)  # ids are unique
    for c in found:
        assert c.evidence
        assert set(c.evidence) <= known
        assert len(set(c.parties)) == len(c.parties)
        assert Conflict.model_validate_json(c.model_dump_json()) == c


@given(
    transaction_lists(),
    st.decimals(min_value=0, max_value=1, places=3),
    st.decimals(min_value=0, max_value=1, places=3),
)
def test_a_tighter_tolerance_never_finds_fewer_price_violations(
    txs: list[Transaction], a: Decimal, b: Decimal
) -> None:
    tight, loose = min(a, b), max(a, b)
    strict = detect_price_violations(txs, FLOORS, tolerance=tight)
    lax = detect_price_violations(txs, FLOORS, tolerance=loose)
    strict_sales = {e for c in strict for e in c.evidence}
    lax_sales = {e for c in lax for e in c.evidence}
    assert lax_sales <= strict_sales
    assert len(strict) >= len(lax)


@given(transaction_lists())
def test_price_violations_match_a_plain_reading_of_the_rule(txs: list[Transaction]) -> None:
    expected: dict[tuple[str, str], Decimal] = {}
    for t in txs:
        if t.kind is not TransactionKind.SALE or t.partner_id is None or t.sku not in FLOORS:
            continue
        floor = FLOORS[t.sku].amount
        if t.unit_price is not None:
            price = t.unit_price.amount
        elif t.quantity:
            price = t.amount.amount / t.quantity
        else:
            continue
        if price < floor:
            key = (t.partner_id, t.sku)
            expected[key] = (
                expected.get(key, Decimal(0))
                + floor * t.quantity
                - (price * t.quantity if t.unit_price is not None else t.amount.amount)
            )
    found = detect_price_violations(txs, FLOORS)
    assert [(c.parties[0], c.id.split(":")[2]) for c in found] == sorted(expected)
    for c in found:
        assert c.amount_at_stake is not None
        want = expected[(c.parties[0], c.id.split(":")[2])].quantize(Decimal("0.01"))
        assert c.amount_at_stake.amount == want


def naive_overlaps(regs: list[DealRegistration]) -> set[tuple[str, str]]:
    """API.md's rule read literally: for each registration, every earlier one of the customer
    by another partner whose window overlaps it; the first of those, if any."""
    active = [r for r in regs if r.status in (DealStatus.PENDING, DealStatus.APPROVED)]
    pairs = set()
    for b in active:
        earlier = [
            a
            for a in active
            if a.customer_id == b.customer_id
            and a.partner_id != b.partner_id
            and (a.registered, a.id) < (b.registered, b.id)
            and a.registered < b.expires
            and b.registered < a.expires
        ]
        if earlier:
            first = min(earlier, key=lambda a: (a.registered, a.id))
            pairs.add((first.id, b.id))
    return pairs


@given(registration_lists())
def test_deal_overlaps_equal_the_pairwise_check(regs: list[DealRegistration]) -> None:
    found = detect_deal_overlaps(regs)
    assert {(c.id.split(":")[1], c.id.split(":")[2]) for c in found} == naive_overlaps(regs)
    later_ids = [c.id.split(":")[2] for c in found]
    assert len(set(later_ids)) == len(later_ids)  # at most one conflict per registration
    by_id = {r.id: r for r in regs}
    for c in found:
        first, later = (by_id[i] for i in c.id.split(":")[1:])
        assert c.parties == (first.partner_id, later.partner_id)
        assert c.detected == later.registered


@given(transaction_lists(), registration_lists())
def test_channel_overlap_names_the_first_covering_registration(
    txs: list[Transaction], regs: list[DealRegistration]
) -> None:
    expected = {}
    for t in txs:
        if t.partner_id is not None or t.kind is not TransactionKind.SALE:
            continue
        covering = [
            r
            for r in regs
            if r.active and r.customer_id == t.customer_id and r.registered <= t.date < r.expires
        ]
        if covering:
            expected[t.id] = min(covering, key=lambda r: (r.registered, r.id)).id
    found = detect_channel_overlap(txs, regs)
    assert {c.evidence[0]: c.evidence[1] for c in found} == expected
    assert len(found) == len(expected)


@given(conflicts(), st.lists(st.sampled_from(ConflictStatus), max_size=8))
def test_transition_follows_the_table(start: Conflict, path: list[ConflictStatus]) -> None:
    c = start
    for target in path:
        how = Resolution.MEDIATION if target is ConflictStatus.RESOLVED else None
        if target in TRANSITIONS[c.status]:
            nxt = transition(c, target, resolution=how)
            assert nxt.status is target
            assert (nxt.resolution is not None) == (target in SETTLED_STATUSES)
            c = nxt
        else:
            with pytest.raises(InvalidTransitionError):
                transition(c, target, resolution=how)


@given(conflicts(), st.lists(conflicts(), max_size=5))
def test_recommend_never_lowers_severity(c: Conflict, history: list[Conflict]) -> None:
    r = recommend(c, history=history)
    assert r.severity is c.severity
    assert r.severity_used >= c.severity
    assert r.severity_used == c.severity.escalate(r.recurrences)
    assert r.recurrences <= len(history)


@given(conflicts())
def test_conflict_json_round_trip(c: Conflict) -> None:
    assert Conflict.model_validate_json(c.model_dump_json()) == c
    en, zh = c.explain("en"), c.explain("zh")
    assert en.startswith(f"Conflict {c.id}: {c.type.label().lower()}, cause ")
    assert zh.startswith(f"冲突 {c.id}：{c.type.label('zh')}，原因：{c.cause.label('zh')}")
    assert f"  parties: {', '.join(c.parties)}" in en
    assert f"严重程度：{c.severity.label('zh')}" in zh
    if c.amount_at_stake is not None:
        # the stake, grouped and rounded to the currency's minor unit, and its currency
        shown = f"{c.amount_at_stake.rounded().amount:,} {c.amount_at_stake.currency}"
        assert f"  at stake: {shown}" in en
        assert f"  涉及金额：{shown}" in zh
    else:
        assert "at stake" not in en


@given(deal_registrations())
def test_registration_json_round_trip(r: DealRegistration) -> None:
    assert DealRegistration.model_validate_json(r.model_dump_json()) == r


@given(recommendations())
def test_recommendation_json_round_trip(r: Recommendation) -> None:
    assert Recommendation.model_validate_json(r.model_dump_json()) == r
    zh = r.explain("zh")
    assert zh.startswith(f"冲突 {r.conflict_id} 的处理建议：严重程度 {r.severity.label('zh')}")
    assert f"阶段：{r.stage.label('zh')}" in zh
    assert "、".join(a.label("zh") for a in r.actions) in zh
    if r.recurrences:
        assert f"重复发生 {r.recurrences} 次" in zh


@given(st.from_type(Conflict), st.from_type(DealRegistration), st.from_type(Recommendation))
def test_strategies_are_registered(c: Conflict, r: DealRegistration, rec: Recommendation) -> None:
    assert isinstance(c, Conflict)
    assert isinstance(r, DealRegistration)
    assert isinstance(rec, Recommendation)
