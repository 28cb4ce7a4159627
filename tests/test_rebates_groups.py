"""Buying groups: members by parent chain, the pooled settlement, shares, tables, explain."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from channelkit import (
    ArgumentError,
    ArgumentTypeError,
    Bracket,
    Condition,
    CurrencyMismatchError,
    GroupSettlement,
    Money,
    Partner,
    Period,
    PolicyError,
    RebatePolicy,
    Transaction,
    TransactionKind,
    settle,
    settle_group,
)
from channelkit import testing as ckt

D = Decimal
Q3 = Period.quarter(2026, 3)
CNY = "CNY"


def partner(pid: str, parent: str | None = None) -> Partner:
    return Partner(
        id=pid,
        name=pid,
        kind="dealer",  # type: ignore[arg-type]
        parent_id=parent,
        currency=CNY,
        payment_terms_days=30,
        joined=dt.date(2024, 1, 1),
    )


_n = iter(range(10**6))


def tx(kind: str, amount: int | str, partner_id: str | None, **kw: Any) -> Transaction:
    return Transaction(
        id=f"T{next(_n)}",
        partner_id=partner_id,
        date=kw.pop("day", dt.date(2026, 8, 1)),
        kind=kind,  # type: ignore[arg-type]
        amount=Money(amount, kw.pop("currency", CNY)),
        **kw,
    )


LADDER = RebatePolicy(
    id="L",
    name="L",
    currency=CNY,
    mode="volume",
    brackets=(Bracket(start=0, rate="0.01"), Bracket(start=100_000, rate="0.03")),
)
# G is the buying group; D1 and D2 buy through it, S1 buys through D1 (a two-tier chain);
# X buys through Y, outside the group; Z has no parent
CHAIN = [partner("D1", "G"), partner("D2", "G"), partner("S1", "D1"), partner("X", "Y")]
CHAIN.append(partner("Z"))
TXS = [
    tx("sale", 10_000, "G"),
    tx("sale", 50_000, "D1"),
    tx("sale", 30_000, "D2"),
    tx("return", 5_000, "D2"),
    tx("sale", 20_000, "S1"),
    tx("sale", 99_999, "X"),
    tx("sale", 88_888, "Z"),
    tx("sale", 77_777, None),
    tx("sale", 500_000, "D1", day=dt.date(2026, 10, 1)),  # after the period
]


def test_a_two_tier_chain_pools_to_the_higher_bracket() -> None:
    g = settle_group(LADDER, TXS, Q3, partners=CHAIN, group_id="G", advances=1_000)
    assert g.group_id == "G"
    assert g.members == ("D1", "D2", "G", "S1")
    # pool: 10,000 + 50,000 + (30,000 - 5,000) + 20,000 = 105,000: the 3% bracket on all
    assert dict(g.bases) == {"D1": D(50_000), "D2": D(25_000), "G": D(10_000), "S1": D(20_000)}
    s = g.settlement
    assert (s.partner_id, s.basis, s.result.amount) == ("G", D(105_000), Money(3_150, CNY))
    assert s.gross_sales == Money(110_000, CNY)
    assert s.returns == Money(5_000, CNY)
    # 3,150 x 50/105 = 1,500; x 25/105 = 750; x 10/105 = 300; x 20/105 = 600
    assert dict(g.shares) == {
        "D1": Money("1500.00", CNY),
        "D2": Money("750.00", CNY),
        "G": Money("300.00", CNY),
        "S1": Money("600.00", CNY),
    }
    assert g.payable == Money("2150.00", CNY)  # 3,150 - 1,000 advances
    assert g.payable == s.payable
    # each alone would stay in the 1% bracket: 500 + 250 + 100 + 200 = 1,050
    alone = [settle(LADDER, TXS, Q3, partner_id=m).result.amount.amount for m in g.members]
    assert sum(alone, D(0)) == D(1050)


def test_remainders_go_to_the_smaller_ids() -> None:
    third = RebatePolicy(id="F", name="F", currency=CNY, brackets=(Bracket(start=0, rate="0.01"),))
    txs = [tx("sale", 3_333, p) for p in ("B", "A", "C")]  # 3 x 3,333 = 9,999 x 1% = 99.99
    g = settle_group(third, txs, Q3, partners=[partner("A", "C"), partner("B", "C")], group_id="C")
    # 33.33 each exactly: no remainder
    assert [m.amount for m in g.shares.values()] == [D("33.33")] * 3
    txs = [tx("sale", 3_334, p) for p in ("B", "A", "C")]  # 10,002 x 1% = 100.02
    g = settle_group(third, txs, Q3, partners=[partner("A", "C"), partner("B", "C")], group_id="C")
    # 33.34 each exactly
    assert sum((m.amount for m in g.shares.values()), D(0)) == D("100.02")
    flat = RebatePolicy(
        id="FLAT", name="F", currency=CNY, brackets=(Bracket(start=0, rate=0, flat=100),)
    )
    g = settle_group(flat, [], Q3, partners=[partner("A", "C"), partner("B", "C")], group_id="C")
    # no member has a positive basis: 100 equally, the remainder cent to the smallest id
    assert dict(g.shares) == {
        "A": Money("33.34", CNY),
        "B": Money("33.33", CNY),
        "C": Money("33.33", CNY),
    }
    assert "equally" in g.explain()
    assert "平均分配" in g.explain("zh")


def test_negative_bases_lower_the_pool_and_get_nothing() -> None:
    txs = [tx("sale", 50_000, "D1"), tx("sale", 1_000, "D2"), tx("return", 6_000, "D2")]
    g = settle_group(LADDER, txs, Q3, partners=CHAIN, group_id="G")
    # pool 50,000 - 5,000 = 45,000 x 1% = 450, all of it to D1 (the only positive basis)
    assert g.bases["D2"] == D(-5_000)
    assert g.settlement.basis == D(45_000)
    assert dict(g.shares) == {
        "D1": Money("450.00", CNY),
        "D2": Money("0.00", CNY),
        "G": Money("0.00", CNY),
        "S1": Money("0.00", CNY),
    }


def test_a_negative_pooled_amount_is_split_by_the_negative_bases() -> None:
    refund = RebatePolicy(
        id="R",
        name="R",
        currency=CNY,
        allow_negative=True,
        brackets=(Bracket(start=0, rate="0.1"),),
    )
    txs = [
        tx("return", 3_000, "D1"),
        tx("sale", 1_000, "D2"),
        tx("return", 1_000, "S1"),
    ]
    g = settle_group(refund, txs, Q3, partners=CHAIN, group_id="G")
    # pool -3,000 + 1,000 - 1,000 = -3,000 x 10% = -300, split 3:1 between D1 and S1
    assert g.settlement.result.amount == Money("-300.00", CNY)
    assert dict(g.shares) == {
        "D1": Money("-225.00", CNY),
        "D2": Money("0.00", CNY),
        "G": Money("0.00", CNY),
        "S1": Money("-75.00", CNY),
    }
    assert "by each member's negative basis" in g.explain()
    assert "clawback: 300.00 CNY" in g.explain()
    grow = refund.model_copy(update={"basis": "incremental"})
    g = settle_group(grow, [tx("sale", 100, "D1")], Q3, partners=CHAIN, group_id="G", baseline=400)
    # (100 - 400) x 10% = -30; no member has a negative basis: equally, 7.50 each
    assert g.bases["D1"] == D(100)
    assert [m.amount for m in g.shares.values()] == [D("-7.50")] * 4


def test_an_incremental_basis_takes_the_group_baseline_once() -> None:
    grow = LADDER.model_copy(update={"basis": "incremental"})
    g = settle_group(grow, TXS, Q3, partners=CHAIN, group_id="G", baseline=5_000)
    # members' net sales 105,000 - baseline 5,000 = 100,000: 3% = 3,000
    assert g.settlement.baseline == D(5_000)
    assert g.settlement.basis == D(100_000)
    assert g.bases["D1"] == D(50_000)
    assert sum((m.amount for m in g.shares.values()), D(0)) == D(3_000)
    assert "less the group's baseline 5,000.00; pooled 100,000.00" in g.explain()
    assert "减去联盟基准 5,000.00" in g.explain("zh")
    with pytest.raises(PolicyError, match="pass the baseline"):
        settle_group(grow, TXS, Q3, partners=CHAIN, group_id="G")
    with pytest.raises(PolicyError, match="applies only to an incremental"):
        settle_group(LADDER, TXS, Q3, partners=CHAIN, group_id="G", baseline=1)


def test_conditions_and_tier_apply_to_the_pool() -> None:
    cond = LADDER.model_copy(update={"conditions": (Condition(metric="nps", minimum=50),)})
    g = settle_group(cond, TXS, Q3, partners=CHAIN, group_id="G", metrics={"nps": 60})
    assert g.settlement.result.amount == Money(3_150, CNY)
    g = settle_group(cond, TXS, Q3, partners=CHAIN, group_id="G", metrics={"nps": 10})
    assert g.settlement.result.amount == Money(0, CNY)
    assert all(m.amount == 0 for m in g.shares.values())
    assert "nothing to share" in g.explain()
    with pytest.raises(PolicyError, match="nps"):
        settle_group(cond, TXS, Q3, partners=CHAIN, group_id="G")


def test_membership_follows_the_parent_chain() -> None:
    # the group need not be listed; a chain ends at a parent not listed
    g = settle_group(LADDER, TXS, Q3, partners=[partner("S1", "D1")], group_id="D1")
    assert g.members == ("D1", "S1")
    g = settle_group(LADDER, TXS, Q3, partners=[], group_id="Z")
    assert g.members == ("Z",)
    assert g.settlement.basis == D(88_888)
    assert dict(g.shares) == {"Z": g.settlement.result.amount}
    # a group with a parent of its own: only what is below it
    g = settle_group(LADDER, TXS, Q3, partners=[*CHAIN, partner("G", "TOP")], group_id="G")
    assert g.members == ("D1", "D2", "G", "S1")
    g = settle_group(LADDER, TXS, Q3, partners=CHAIN, group_id="NOBODY")
    assert g.members == ("NOBODY",)
    assert g.settlement.basis == 0


def test_a_cycle_anywhere_is_a_policy_error() -> None:
    loop = [partner("A", "B"), partner("B", "C"), partner("C", "A")]
    with pytest.raises(PolicyError, match="parent_id links form a cycle: A -> B -> C -> A"):
        settle_group(LADDER, TXS, Q3, partners=[*CHAIN, *loop], group_id="G")
    tail = [partner("T", "A"), *loop]  # a chain into a cycle: the cycle is named
    with pytest.raises(PolicyError, match="cycle: A -> B -> C -> A") as err:
        settle_group(LADDER, TXS, Q3, partners=tail, group_id="G")
    assert err.value.policy == "L"


@pytest.mark.parametrize(
    ("changes", "kind", "message"),
    [
        ({"policy": "L"}, ArgumentTypeError, "policy must be a RebatePolicy"),
        ({"period": 3}, ArgumentTypeError, "period must be a Period"),
        ({"group_id": 1}, ArgumentTypeError, "group_id must be a str"),
        ({"group_id": ""}, ArgumentError, "group_id must not be empty or blank"),
        ({"partners": 5}, ArgumentTypeError, "partners must be an iterable of Partner"),
        ({"partners": CHAIN[0]}, ArgumentTypeError, "partners must be an iterable of Partner"),
        ({"partners": ["D1"]}, ArgumentTypeError, "Partner objects only, got str"),
        ({"partners": [CHAIN[0]] * 2}, ArgumentError, "partners lists the partner 'D1' twice"),
        ({"transactions": None}, ArgumentTypeError, "transactions must be an iterable"),
        ({"transactions": [None]}, ArgumentTypeError, "Transaction objects only"),
        ({"tier": 1}, ArgumentTypeError, "tier must be a Tier"),
        ({"metrics": 1}, ArgumentTypeError, "metrics must be a mapping"),
        ({"advances": -1}, ArgumentError, "advances must not be negative"),
    ],
)
def test_arguments_are_checked(
    changes: dict[str, Any], kind: type[Exception], message: str
) -> None:
    args: dict[str, Any] = {
        "policy": LADDER,
        "transactions": TXS,
        "period": Q3,
        "partners": CHAIN,
        "group_id": "G",
        **changes,
    }
    with pytest.raises(kind, match=message):
        settle_group(**args)


def test_policy_and_currency_errors() -> None:
    late = LADDER.model_copy(update={"valid": Period.quarter(2027, 1)})
    with pytest.raises(PolicyError, match="does not contain the settlement period"):
        settle_group(late, TXS, Q3, partners=CHAIN, group_id="G")
    usd = [*TXS, tx("sale", 1, "S1", currency="USD")]
    with pytest.raises(CurrencyMismatchError, match="transaction"):
        settle_group(LADDER, usd, Q3, partners=CHAIN, group_id="G")
    # a foreign-currency sale outside the group is not read
    outside = [*TXS, tx("sale", 1, "X", currency="USD")]
    assert settle_group(LADDER, outside, Q3, partners=CHAIN, group_id="G").members


def test_explain_in_both_languages() -> None:
    g = settle_group(LADDER, TXS, Q3, partners=CHAIN, group_id="G", advances=1_000)
    assert g.explain() == (
        "Buying group G, 4 members, under policy L for 2026-07-01..2026-10-01\n"
        "  bases: D1 50,000.00, D2 25,000.00, G 10,000.00, S1 20,000.00; pooled 105,000.00\n"
        "Rebate for policy L on net sales 105,000.00 CNY (volume (whole basis), reach)\n"
        "  105,000.00 (bracket from 100,000.00) at 3% = 3,150.00\n"
        "Payable: 3,150.00 CNY (effective rate 3%)\n"
        "Highest bracket reached\n"
        "Shares of 3,150.00 CNY by each member's positive basis:\n"
        "  D1 1,500.00, D2 750.00, G 300.00, S1 600.00\n"
        "Advances paid: 1,000.00; payable: 2,150.00 CNY"
    )
    zh = g.explain("zh")
    assert zh.startswith("采购联盟 G，4 个成员，政策 L，2026-07-01..2026-10-01\n")
    assert "返利 3,150.00 CNY 的分配（按各成员正基数比例）：" in zh
    assert zh.endswith("已预付：1,000.00；应付：2,150.00 CNY")
    units = RebatePolicy(
        id="U", name="U", currency=CNY, basis="units", brackets=(Bracket(start=0, rate=2),)
    )
    g = settle_group(units, [tx("sale", 10, "D1", quantity=7)], Q3, partners=CHAIN, group_id="G")
    assert "bases: D1 7, D2 0, G 0, S1 0; pooled 7" in g.explain()


def test_a_group_settlement_read_back_must_hold_one_entry_per_member() -> None:
    doc = settle_group(LADDER, TXS, Q3, partners=CHAIN, group_id="G").model_dump(mode="json")
    assert GroupSettlement.model_validate(doc).members == ("D1", "D2", "G", "S1")
    with pytest.raises(ValidationError, match=r"shares must have one entry per member"):
        GroupSettlement.model_validate({**doc, "shares": {}})
    with pytest.raises(ValidationError, match=r"bases must have one entry per member"):
        GroupSettlement.model_validate({**doc, "bases": {**doc["bases"], "X": "1"}})
    with pytest.raises(ValidationError, match=r"members must not repeat an id"):
        GroupSettlement.model_validate({**doc, "members": ["D1", "D1", "D2", "G", "S1"]})


# -- tables ---------------------------------------------------------------------------------------


def test_tables_give_the_model_path_results() -> None:
    pytest.importorskip("pyarrow")
    from channelkit import frames

    frame = frames.transactions(TXS)
    for policy in (LADDER, LADDER.model_copy(update={"basis": "units"})):
        expected = settle_group(policy, TXS, Q3, partners=CHAIN, group_id="G")
        assert settle_group(policy, frame, Q3, partners=CHAIN, group_id="G") == expected
        by_table = settle_group(policy, frame.to_arrow(), Q3, partners=CHAIN, group_id="G")
        assert by_table == expected
    bare = frames.transactions(frame.to_arrow().drop_columns(["currency"]), currency=CNY)
    assert settle_group(LADDER, bare, Q3, partners=CHAIN, group_id="G") == settle_group(
        LADDER, TXS, Q3, partners=CHAIN, group_id="G"
    )
    usd = [*TXS, tx("sale", 1, "S1", currency="USD")]
    with pytest.raises(CurrencyMismatchError) as by_models:
        settle_group(LADDER, usd, Q3, partners=CHAIN, group_id="G")
    with pytest.raises(CurrencyMismatchError) as by_frame:
        settle_group(LADDER, frames.transactions(usd), Q3, partners=CHAIN, group_id="G")
    assert str(by_frame.value) == str(by_models.value)


# -- properties -----------------------------------------------------------------------------------

IDS = ["G", "M0", "M1", "M2", "M3", "OUT"]


@st.composite
def chains(draw: st.DrawFn) -> list[Partner]:
    """Members M0..M3 whose parent is G or an earlier member (no cycle), sometimes not listed."""
    out = []
    for i in range(4):
        parent = draw(st.sampled_from(["G", *IDS[1 : i + 1], None]))
        if draw(st.booleans()):
            out.append(partner(f"M{i}", parent))
    return out


def costed(t: Transaction) -> Transaction:
    if t.cost is not None or t.kind is TransactionKind.PAYMENT:
        return t
    return t.model_copy(update={"cost": Money(0, CNY)})


ROWS = st.lists(
    ckt.transactions(
        partner_ids=st.sampled_from([None, *IDS]),
        currencies=st.just(CNY),
        dates=st.dates(min_value=dt.date(2026, 6, 15), max_value=dt.date(2026, 10, 15)),
        max_amount=100_000,
    ).map(costed),
    max_size=20,
    unique_by=lambda t: t.id,
)
POLICIES = ckt.rebate_policies(currencies=st.just(CNY), composite=False).filter(
    lambda p: "incremental" not in (p.basis, p.tier_basis)
)


@settings(max_examples=60)
@given(POLICIES, ROWS, chains())
def test_shares_sum_exactly_to_the_pooled_amount(
    policy: RebatePolicy, txs: list[Transaction], partners: list[Partner]
) -> None:
    g = settle_group(policy, txs, Q3, partners=partners, group_id="G")
    amount = g.settlement.result.amount
    assert list(g.shares) == list(g.members) == sorted(g.members)
    assert sum((s.amount for s in g.shares.values()), D(0)) == amount.amount
    assert all(s.currency == CNY for s in g.shares.values())
    # the pool is the sum of the members' bases, and each share has the amount's sign
    assert g.settlement.basis == sum(g.bases.values(), D(0))
    positive = [m for m in g.members if g.bases[m] > 0]
    for m, share in g.shares.items():
        assert share.amount * amount.amount >= 0
        if amount.amount > 0 and positive and m not in positive:
            assert share.amount == 0
    # members are G and whoever's chain reaches it
    reach = {p.id for p in partners if p.parent_id == "G" or p.parent_id in {"M0", "M1", "M2"}}
    assert set(g.members) <= {"G"} | reach
    assert "OUT" not in g.members


@settings(max_examples=30)
@given(POLICIES, ROWS, chains())
def test_tables_equal_models(
    policy: RebatePolicy, txs: list[Transaction], partners: list[Partner]
) -> None:
    pytest.importorskip("pyarrow")
    from channelkit import frames

    expected = settle_group(policy, txs, Q3, partners=partners, group_id="G")
    table = frames.transactions(txs).to_arrow()
    assert settle_group(policy, table, Q3, partners=partners, group_id="G") == expected


@settings(max_examples=25)
@given(ckt.group_settlements())
def test_json_round_trips(g: GroupSettlement) -> None:
    assert GroupSettlement.model_validate_json(g.model_dump_json()) == g
    assert g.explain()
    assert g.explain("zh")
    assert sum((s.amount for s in g.shares.values()), D(0)) == g.settlement.result.amount.amount
