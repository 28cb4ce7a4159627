"""Programmes: Program validation, the four stackings, settle_program(_all), tables, explain."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
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
    Money,
    Period,
    PolicyError,
    Program,
    ProgramSettlement,
    RebatePolicy,
    Scope,
    Stacking,
    Tier,
    TierBenefits,
    Transaction,
    TransactionKind,
    settle,
    settle_program,
    settle_program_all,
)
from channelkit import testing as ckt

D = Decimal
Q3 = Period.quarter(2026, 3)
CNY = "CNY"


def policy(pid: str, rate: str, start: int = 0, **kw: Any) -> RebatePolicy:
    fields: dict[str, Any] = {
        "id": pid,
        "name": pid,
        "currency": CNY,
        "brackets": (Bracket(start=start, rate=rate),),
    }
    fields.update(kw)
    return RebatePolicy(**fields)


def program(*policies: RebatePolicy, stacking: str = "add", **kw: Any) -> Program:
    return Program(id="PG", name="PG", currency=CNY, policies=policies, stacking=stacking, **kw)


_n = iter(range(10**6))


def tx(kind: str, amount: int | str, partner: str | None = "D1", **kw: Any) -> Transaction:
    day = kw.pop("day", dt.date(2026, 8, 1))
    cur = kw.pop("currency", CNY)
    return Transaction(
        id=f"T{next(_n)}",
        partner_id=partner,
        date=day,
        kind=kind,  # type: ignore[arg-type]
        amount=Money(amount, cur),
        **kw,
    )


A = Scope(skus=frozenset({"A"}))
TXS = [
    tx("sale", 60_000, sku="A"),
    tx("sale", 40_000, sku="B"),
    tx("return", 10_000, sku="A"),
    tx("payment", 30_000),
    tx("sale", 500_000, day=dt.date(2026, 10, 1)),  # after the period
    tx("sale", 70_000, partner="D2", sku="B"),
    tx("sale", 1_000, partner=None, sku="A"),  # direct sale
]
BASE = policy("BASE", "0.02")
BONUS = policy("BONUS", "0.01", scope=A)


# -- the model ------------------------------------------------------------------------------------


def test_stacking_labels() -> None:
    assert [s.value for s in Stacking] == ["add", "first", "best", "compound"]
    assert Stacking.BEST.label() == "Best only"
    assert Stacking.COMPOUND.label("zh") == "依次扣减"
    assert program(BASE).stacking is Stacking.ADD


@pytest.mark.parametrize(
    ("policies", "stacking", "message"),
    [
        ((BASE, BASE), "add", r"policies\[1\].id \('BASE'\) repeats policies\[0\].id"),
        (
            (BASE, policy("U", "0.1", currency="USD")),
            "add",
            r"policies\[1\].currency \(USD\) must be the programme's currency \(CNY\)",
        ),
        (
            (BASE, policy("G", "0.1", basis="gross_sales")),
            "compound",
            r"one basis: policies\[1\].basis \(gross_sales\) differs from policies\[0\].basis",
        ),
        ((BASE, BONUS), "compound", r"one scope: policies\[1\].scope differs"),
        (
            (policy("U", "1", basis="units"),),
            "compound",
            r"money basis: policies\[0\].basis is units",
        ),
        ((), "add", "policies"),
    ],
)
def test_program_rules(policies: tuple[RebatePolicy, ...], stacking: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Program(id="PG", name="PG", currency=CNY, policies=policies, stacking=stacking)  # type: ignore[arg-type]


def test_program_fields_are_checked() -> None:
    with pytest.raises(ValidationError, match="stacking"):
        program(BASE, stacking="sum")
    with pytest.raises(ValidationError, match="extra"):
        program(BASE, bonus=True)
    with pytest.raises(ValidationError, match="currency"):
        Program(id="PG", name="PG", currency="XXX1", policies=(BASE,))
    p = program(BASE, BONUS, stacking="first")
    assert Program.model_validate_json(p.model_dump_json()) == p
    assert hash(p) == hash(program(BASE, BONUS, stacking="first"))


# -- the stackings, by hand -----------------------------------------------------------------------


def test_add_sums_every_policy_on_its_own_scope() -> None:
    s = settle_program(program(BASE, BONUS), TXS, Q3, partner_id="D1", advances=300)
    # BASE: net 60,000 + 40,000 - 10,000 = 90,000 x 2% = 1,800
    # BONUS (SKU A): 60,000 - 10,000 = 50,000 x 1% = 500
    assert [x.basis for x in s.settlements] == [D(90_000), D(50_000)]
    assert [x.result.amount for x in s.settlements] == [Money(1800, CNY), Money(500, CNY)]
    assert s.amount == Money("2300.00", CNY)
    assert s.advances == Money(300, CNY)
    assert s.payable == Money("2000.00", CNY)  # 2,300 - 300
    assert s.chosen is None
    assert (s.program_id, s.partner_id, s.period, s.stacking) == ("PG", "D1", Q3, Stacking.ADD)
    # each policy's settlement is settle's own, without advances
    assert s.settlements == (
        settle(BASE, TXS, Q3, partner_id="D1"),
        settle(BONUS, TXS, Q3, partner_id="D1"),
    )


def test_first_counts_each_transaction_for_the_first_scope_that_holds_it() -> None:
    phones = policy("PHONES", "0.05", scope=A)
    s = settle_program(program(phones, BASE, stacking="first"), TXS, Q3, partner_id="D1")
    # PHONES: SKU A 60,000 - 10,000 = 50,000 x 5% = 2,500 (and the payment: no SKU to test)
    # BASE: only what PHONES did not hold: SKU B 40,000 x 2% = 800
    assert [x.basis for x in s.settlements] == [D(50_000), D(40_000)]
    assert [x.collections for x in s.settlements] == [Money(30_000, CNY), Money(0, CNY)]
    assert s.amount == Money("3300.00", CNY)  # 2,500 + 800
    # everything first: nothing left for the policy after it
    s = settle_program(program(BASE, phones, stacking="first"), TXS, Q3, partner_id="D1")
    assert [x.basis for x in s.settlements] == [D(90_000), D(0)]
    assert s.amount == Money("1800.00", CNY)


def test_best_pays_the_highest_and_ties_go_to_the_earlier() -> None:
    volume = policy("VOLUME", "0.01", mode="volume").model_copy(
        update={"brackets": (Bracket(start=0, rate="0.01"), Bracket(start=80_000, rate="0.03"))}
    )
    s = settle_program(program(BASE, volume, stacking="best"), TXS, Q3, partner_id="D1")
    # BASE 90,000 x 2% = 1,800; VOLUME 90,000 x 3% = 2,700
    assert [x.result.amount.amount for x in s.settlements] == [D(1800), D(2700)]
    assert s.chosen == "VOLUME"
    assert s.amount == Money("2700.00", CNY)
    same = policy("SAME", "0.02")
    s = settle_program(program(same, BASE, stacking="best"), TXS, Q3, partner_id="D1")
    assert s.chosen == "SAME"  # 1,800 each: the earlier
    assert s.amount == Money("1800.00", CNY)


def test_compound_takes_each_rebate_off_the_next_basis() -> None:
    twenty, ten = policy("TWENTY", "0.2"), policy("TEN", "0.1")
    sale = tx("sale", "1000.05")
    s = settle_program(program(twenty, ten, stacking="compound"), [sale], Q3, partner_id="D1")
    # 1,000.05 x 20% = 200.01; (1,000.05 - 200.01) = 800.04 x 10% = 80.004 -> 80.00
    assert [x.basis for x in s.settlements] == [D("1000.05"), D("800.04")]
    assert [x.result.amount.amount for x in s.settlements] == [D("200.01"), D("80.00")]
    assert s.amount == Money("280.01", CNY)  # 28% of 1,000.05 is 280.014
    second = s.settlements[1]
    assert second.gross_sales == Money("1000.05", CNY)  # the figures read are the first's
    assert second.payable == second.result.amount
    assert second.advances == Money(0, CNY)


def test_compound_with_a_tier_basis_and_a_negative_basis() -> None:
    twenty = policy("TWENTY", "0.2")
    by_units = RebatePolicy(
        id="UNITS",
        name="Units pick the rate",
        currency=CNY,
        mode="volume",
        tier_basis="units",
        brackets=(Bracket(start=0, rate="0.01"), Bracket(start=10, rate="0.02")),
    )
    s = settle_program(
        program(twenty, by_units, stacking="compound"),
        [tx("sale", 1_000, quantity=12)],
        Q3,
        partner_id="D1",
    )
    # 1,000 x 20% = 200; 12 units reach the 2% bracket, applied to 1,000 - 200 = 800: 16
    assert [x.result.amount.amount for x in s.settlements] == [D(200), D(16)]
    assert s.settlements[1].result.tier_value == D(12)
    assert s.amount == Money("216.00", CNY)
    back = [
        policy(p, "0.1", allow_negative=True) for p in ("N1", "N2")
    ]  # refunds: a negative basis earns a negative rebate
    s = settle_program(
        program(*back, stacking="compound"),
        [tx("sale", 1_000), tx("return", 3_000)],
        Q3,
        partner_id="D1",
    )
    # -2,000 x 10% = -200; (-2,000 + 200) x 10% = -180: -380, 19% of -2,000
    assert [x.basis for x in s.settlements] == [D(-2000), D(-1800)]
    assert s.amount == Money("-380.00", CNY)
    assert s.payable == Money("-380.00", CNY)
    assert "clawback: 380.00 CNY" in s.explain()


def test_compound_refuses_per_transaction_policies() -> None:
    each = policy("EACH", "0.1", per="transaction")
    with pytest.raises(ValidationError, match=r"policies\[1\].per must be period"):
        program(BASE, each, stacking="compound")
    assert program(BASE, each, stacking="add").policies[1].per == "transaction"


def test_compound_applies_conditions_and_tier_to_every_policy() -> None:
    gold = Tier(code="GOLD", name="Gold", rank=1, benefits=TierBenefits(rebate_multiplier="2"))
    cond = Condition(metric="nps", minimum=50, factor="0.5")
    twenty = policy("TWENTY", "0.2")
    ten = policy("TEN", "0.1", conditions=(cond,))
    pg = program(twenty, ten, stacking="compound")
    s = settle_program(pg, [tx("sale", 1000)], Q3, partner_id="D1", metrics={"nps": 10}, tier=gold)
    # 1,000 x 20% x 2 = 400; (1,000 - 400) x 10% x 0.5 x 2 = 60
    assert [x.result.amount.amount for x in s.settlements] == [D(400), D(60)]
    with pytest.raises(PolicyError, match="missing from metrics: nps"):
        settle_program(pg, [tx("sale", 1000)], Q3, partner_id="D1")


def test_a_negative_basis_earns_nothing_in_every_stacking() -> None:
    txs = [tx("sale", 1_000), tx("return", 3_000)]
    for stacking in Stacking:
        s = settle_program(
            program(BASE, policy("B2", "0.1"), stacking=stacking), txs, Q3, partner_id="D1"
        )
        # FIRST: BASE holds every transaction, nothing is left for B2
        second = D(0) if stacking is Stacking.FIRST else D(-2000)
        assert [x.basis for x in s.settlements] == [D(-2000), second], stacking
        assert s.amount == Money(0, CNY)


def test_a_partner_without_transactions_settles_to_nothing_and_claws_back() -> None:
    s = settle_program(program(BASE, BONUS), TXS, Q3, partner_id="D9", advances=Money(50, CNY))
    assert s.amount == Money(0, CNY)
    assert s.payable == Money(-50, CNY)


# -- validity, baselines ----------------------------------------------------------------------


def test_policies_out_of_their_valid_period_take_no_part() -> None:
    old = policy("OLD", "0.5", valid=Period.quarter(2026, 2))
    s = settle_program(program(old, BASE, stacking="first"), TXS, Q3, partner_id="D1")
    assert [x.result.policy_id for x in s.settlements] == ["BASE"]
    assert s.amount == Money("1800.00", CNY)  # OLD does not take SKU A either
    with pytest.raises(PolicyError, match="programme PG: no policy is valid") as err:
        settle_program(program(old), TXS, Q3, partner_id="D1")
    assert err.value.policy == "PG"
    with pytest.raises(PolicyError, match="no policy is valid"):
        settle_program_all(program(old), TXS, Q3)


def test_the_baseline_goes_to_incremental_policies_only() -> None:
    growth = policy("GROWTH", "0.05", basis="incremental")
    s = settle_program(program(BASE, growth), TXS, Q3, partner_id="D1", baseline=80_000)
    # BASE 90,000 x 2% = 1,800; GROWTH (90,000 - 80,000) x 5% = 500
    assert [x.baseline for x in s.settlements] == [None, D(80_000)]
    assert s.amount == Money("2300.00", CNY)
    with pytest.raises(PolicyError, match="pass the baseline"):
        settle_program(program(BASE, growth), TXS, Q3, partner_id="D1")
    with pytest.raises(PolicyError, match="programme PG has no incremental policy"):
        settle_program(program(BASE), TXS, Q3, partner_id="D1", baseline=1)
    out = settle_program_all(program(BASE, growth), TXS, Q3, baselines={"D1": 80_000, "D2": 0})
    assert out["D1"] == s
    with pytest.raises(PolicyError, match=r"a baseline \(given for D2\)"):
        settle_program_all(program(BASE), TXS, Q3, baselines={"D2": 1})
    # a baseline for a partner not settled is not read
    assert settle_program_all(program(BASE), TXS, Q3, baselines={"D7": 1}).keys() == {
        "D1",
        "D2",
    }


# -- every partner --------------------------------------------------------------------------------


def test_settle_program_all_settles_every_partner_in_some_scope() -> None:
    pg = program(BONUS, BASE)
    out = settle_program_all(pg, TXS, Q3, advances={"D2": 100})
    assert list(out) == ["D1", "D2"]
    # D2 sold SKU B only: nothing in BONUS's scope, a settlement of nothing there
    d2 = out["D2"]
    assert [x.basis for x in d2.settlements] == [D(0), D(70_000)]
    assert d2.amount == Money("1400.00", CNY)  # 70,000 x 2%
    assert d2.payable == Money("1300.00", CNY)
    for pid, s in out.items():
        assert s == settle_program(pg, TXS, Q3, partner_id=pid, advances=100 if pid == "D2" else 0)
    only_a = program(BONUS)
    assert list(settle_program_all(only_a, TXS, Q3)) == ["D1"]


@pytest.mark.parametrize("stacking", list(Stacking))
def test_settle_program_all_equals_settle_program(stacking: Stacking) -> None:
    pg = program(
        policy("P1", "0.02", scope=A if stacking is not Stacking.COMPOUND else Scope()),
        policy("P2", "0.03"),
        policy("P3", "0.01", start=50_000, mode="volume"),
        stacking=stacking,
    )
    out = settle_program_all(pg, TXS, Q3)
    assert out
    for pid, s in out.items():
        assert s == settle_program(pg, TXS, Q3, partner_id=pid)


def test_options_are_named_by_mapping_and_key() -> None:
    pg = program(BONUS, BASE)
    with pytest.raises(ArgumentError, match=r"advances\['D1'\] must not be negative"):
        settle_program_all(pg, TXS, Q3, advances={"D1": -1})
    with pytest.raises(ArgumentTypeError, match=r"tiers\['D2'\] must be a Tier"):
        settle_program_all(pg, TXS, Q3, tiers={"D2": "GOLD"})  # type: ignore[dict-item]
    with pytest.raises(ArgumentTypeError, match=r"metrics\['D2'\] must be a mapping"):
        settle_program_all(pg, TXS, Q3, metrics={"D2": 5})  # type: ignore[dict-item]
    growth = policy("GROWTH", "0.05", basis="incremental", scope=A)
    with pytest.raises(ArgumentError, match=r"baselines\['D2'\]"):
        settle_program_all(program(growth, BASE), TXS, Q3, baselines={"D1": 0, "D2": "x"})
    compound = program(BASE, policy("B2", "0.1"), stacking="compound")
    with pytest.raises(ArgumentTypeError, match=r"tiers\['D1'\] must be a Tier"):
        settle_program_all(compound, TXS, Q3, tiers={"D1": 1})  # type: ignore[dict-item]
    for name in ("metrics", "tiers", "advances", "baselines"):
        with pytest.raises(ArgumentTypeError, match=f"{name} must be a mapping"):
            settle_program_all(pg, TXS, Q3, **{name: [1]})


# -- arguments ------------------------------------------------------------------------------------


def test_arguments_are_checked() -> None:
    pg = program(BASE)
    calls: list[tuple[Any, str]] = [
        (lambda: settle_program(BASE, TXS, Q3, partner_id="D1"), "program must be a Program"),
        (lambda: settle_program(pg, TXS, "Q3", partner_id="D1"), "period must be a Period"),
        (lambda: settle_program(pg, TXS, Q3, partner_id=None), "partner_id must be a str"),
        (lambda: settle_program(pg, TXS[0], Q3, partner_id="D1"), "iterable of Transaction"),
        (lambda: settle_program(pg, "T1", Q3, partner_id="D1"), "iterable of Transaction"),
        (lambda: settle_program(pg, [1], Q3, partner_id="D1"), "Transaction objects only"),
        (lambda: settle_program(pg, TXS, Q3, partner_id="D1", tier="G"), "tier must be a Tier"),
        (lambda: settle_program_all(BASE, TXS, Q3), "program must be a Program"),
        (lambda: settle_program_all(pg, 5, Q3), "iterable of Transaction"),
        (lambda: settle_program_all(pg, TXS, None), "period must be a Period"),
    ]
    for call, message in calls:
        with pytest.raises(ArgumentTypeError, match=message):
            call()
    with pytest.raises(ArgumentError, match="partner_id must not be empty or blank"):
        settle_program(pg, TXS, Q3, partner_id=" ")
    with pytest.raises(ArgumentError, match="advances must not be negative"):
        settle_program(pg, TXS, Q3, partner_id="D1", advances=-1)
    with pytest.raises(CurrencyMismatchError, match="advances"):
        settle_program(pg, TXS, Q3, partner_id="D1", advances=Money(1, "USD"))
    with pytest.raises(CurrencyMismatchError, match="transaction"):
        settle_program(pg, [tx("sale", 5, currency="USD")], Q3, partner_id="D1")


def test_a_generator_is_read_once() -> None:
    pg = program(BASE, BONUS, stacking="best")
    s = settle_program(pg, (t for t in TXS), Q3, partner_id="D1")
    assert s == settle_program(pg, TXS, Q3, partner_id="D1")
    out = settle_program_all(pg, iter(TXS), Q3)
    assert out == settle_program_all(pg, TXS, Q3)


# -- explanations ---------------------------------------------------------------------------------


def test_explain_in_both_languages() -> None:
    volume = policy("VOLUME", "0.03", mode="volume")
    s = settle_program(program(BASE, volume, stacking="best"), TXS, Q3, partner_id="D1")
    assert s.explain() == (
        "Programme PG for D1, 2026-07-01..2026-10-01: 2 policies, stacking Best only\n"
        "  the policy with the highest amount is paid (ties to the earlier)\n"
        "  BASE: net sales 90,000.00 -> 1,800.00 (not paid)\n"
        "  VOLUME: net sales 90,000.00 -> 2,700.00 (paid)\n"
        "Amount: 2,700.00 CNY\n"
        "Advances paid: 0.00; payable: 2,700.00 CNY"
    )
    s = settle_program(program(BASE, BONUS), TXS, Q3, partner_id="D1", advances=5_000)
    assert s.explain("zh") == (
        "返利政策组合 PG，D1，2026-07-01..2026-10-01：2 项政策，叠加方式：累加\n"
        "  各项政策按各自范围计返并累加\n"
        "  BASE: 净销售额 90,000.00 -> 1,800.00\n"
        "  BONUS: 净销售额 50,000.00 -> 500.00\n"
        "返利合计：2,300.00 CNY\n"
        "已预付：5,000.00；追回：2,700.00 CNY"
    )
    units = policy("UNITS", "2", basis="units")
    s = settle_program(
        program(units, stacking="first"), [tx("sale", 10, quantity=7)], Q3, partner_id="D1"
    )
    assert "  UNITS: units 7 -> 14.00" in s.explain()
    assert "每笔交易只计入范围包含它的第一项政策" in s.explain("zh")
    with pytest.raises(ArgumentError, match="lang"):
        s.explain("fr")


# -- tables ---------------------------------------------------------------------------------------


def test_tables_give_the_model_path_results() -> None:
    pa = pytest.importorskip("pyarrow")
    from channelkit import frames

    frame = frames.transactions(TXS)
    table = frame.to_arrow()
    assert isinstance(table, pa.Table)
    phones = policy("PHONES", "0.05", scope=A)
    for stacking in Stacking:
        scope = Scope() if stacking is Stacking.COMPOUND else A
        pg = program(policy("P1", "0.05", scope=scope), BASE, stacking=stacking)
        expected = settle_program_all(pg, TXS, Q3)
        assert settle_program_all(pg, table, Q3) == expected
        assert settle_program_all(pg, frame, Q3) == expected
        for pid in ("D1", "D2", "D9"):
            one = settle_program(pg, TXS, Q3, partner_id=pid)
            assert settle_program(pg, table, Q3, partner_id=pid) == one
            assert settle_program(pg, frame, Q3, partner_id=pid) == one
    # FIRST with a scope that holds everything first, then a scoped one: nothing left
    pg = program(BASE, phones, stacking="first")
    assert settle_program_all(pg, table, Q3) == settle_program_all(pg, TXS, Q3)
    mixed = [*TXS, tx("sale", 5, partner="D2", currency="USD", sku="A")]
    with pytest.raises(CurrencyMismatchError) as by_models:
        settle_program_all(program(phones, BASE, stacking="first"), mixed, Q3)
    with pytest.raises(CurrencyMismatchError) as by_table:
        settle_program_all(
            program(phones, BASE, stacking="first"), frames.transactions(mixed).to_arrow(), Q3
        )
    assert str(by_table.value) == str(by_models.value)


# -- properties -----------------------------------------------------------------------------------

PARTNERS = ["P1", "P2", "P3"]
DATES = st.dates(min_value=dt.date(2026, 6, 15), max_value=dt.date(2026, 10, 15))


def costed(t: Transaction) -> Transaction:
    """``t`` with a cost when it is a sale or return without one (a MARGIN basis reads it)."""
    if t.cost is not None or t.kind is TransactionKind.PAYMENT:
        return t
    return t.model_copy(update={"cost": Money(0, CNY)})


def rows(max_size: int = 20) -> st.SearchStrategy[list[Transaction]]:
    return st.lists(
        ckt.transactions(
            partner_ids=st.sampled_from([None, *PARTNERS]),
            currencies=st.just(CNY),
            dates=DATES,
            max_amount=100_000,
        ).map(costed),
        max_size=max_size,
        unique_by=lambda t: t.id,
    )


def programs(stacking: Stacking) -> st.SearchStrategy[Program]:
    return ckt.programs(
        currencies=st.just(CNY),
        stackings=st.just(stacking),
        policies=ckt.rebate_policies(currencies=st.just(CNY), composite=False).filter(
            lambda p: "incremental" not in (p.basis, p.tier_basis)
        ),
    )


@settings(max_examples=40)
@given(programs(Stacking.ADD), rows())
def test_add_equals_the_sum_of_separate_settlements(pg: Program, txs: list[Transaction]) -> None:
    s = settle_program(pg, txs, Q3, partner_id="P1")
    alone = [settle(p, txs, Q3, partner_id="P1") for p in pg.policies]
    assert s.settlements == tuple(alone)
    assert s.amount.amount == sum((x.result.amount.amount for x in alone), D(0))


@settings(max_examples=40)
@given(programs(Stacking.FIRST), rows())
def test_first_never_counts_a_transaction_twice(pg: Program, txs: list[Transaction]) -> None:
    s = settle_program(pg, txs, Q3, partner_id="P1")
    counted = [D(0)] * len(pg.policies)
    mine = [t for t in txs if t.partner_id == "P1" and t.date in Q3]
    for t in mine:
        holders = [k for k, p in enumerate(pg.policies) if p.scope.contains(t)]
        if holders:  # the first holder only
            counted[holders[0]] += t.amount.amount
    read = [x.gross_sales.amount + x.returns.amount + x.collections.amount for x in s.settlements]
    assert read == counted
    assert sum(read, D(0)) <= sum((t.amount.amount for t in mine), D(0))


@settings(max_examples=40)
@given(programs(Stacking.BEST), rows())
def test_best_picks_the_highest_ties_to_the_earlier(pg: Program, txs: list[Transaction]) -> None:
    s = settle_program(pg, txs, Q3, partner_id="P1")
    amounts = [x.result.amount.amount for x in s.settlements]
    assert s.amount.amount == max(amounts)
    assert s.chosen == pg.policies[amounts.index(max(amounts))].id


@given(st.decimals(min_value=0, max_value=10**9, places=2))
def test_compound_twenty_then_ten_is_twenty_eight_percent(basis: Decimal) -> None:
    pg = program(policy("TWENTY", "0.2"), policy("TEN", "0.1"), stacking="compound")
    txs = [tx("sale", basis)] if basis else []
    s = settle_program(pg, txs, Q3, partner_id="D1")
    cent = D("0.01")
    first = (basis * D("0.2")).quantize(cent, ROUND_HALF_UP)
    second = ((basis - first) * D("0.1")).quantize(cent, ROUND_HALF_UP)
    assert s.amount.amount == first + second
    assert abs(s.amount.amount - basis * D("0.28")) <= cent


@settings(max_examples=30)
@given(st.sampled_from(list(Stacking)).flatmap(programs), rows())
def test_tables_equal_models_and_all_equals_one(pg: Program, txs: list[Transaction]) -> None:
    pytest.importorskip("pyarrow")
    from channelkit import frames

    out = settle_program_all(pg, txs, Q3)
    assert settle_program_all(pg, frames.transactions(txs).to_arrow(), Q3) == out
    for pid in PARTNERS:
        one = settle_program(pg, txs, Q3, partner_id=pid)
        if pid in out:
            assert out[pid] == one
        else:  # nothing in the period and any scope: the programme of no transaction
            assert one == settle_program(pg, [], Q3, partner_id=pid)
            assert all(x.basis == 0 for x in one.settlements)
            assert not any(
                t.partner_id == pid
                and t.date in Q3
                and any(p.scope.contains(t) for p in pg.policies)
                for t in txs
            )


@settings(max_examples=25)
@given(ckt.programs(), ckt.program_settlements())
def test_json_round_trips(pg: Program, s: ProgramSettlement) -> None:
    assert Program.model_validate_json(pg.model_dump_json()) == pg
    assert ProgramSettlement.model_validate_json(s.model_dump_json()) == s
    assert s.explain()
    assert s.explain("zh")
    if s.stacking is Stacking.BEST:
        assert s.chosen in {x.result.policy_id for x in s.settlements}
    else:
        assert s.chosen is None
