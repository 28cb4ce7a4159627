"""settle, settle_all and accrue: sums, scope, periods, true-up, clawback, accrual."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from channelkit import (
    Accrual,
    ArgumentError,
    Bracket,
    Condition,
    CurrencyMismatchError,
    Money,
    Period,
    PolicyError,
    RebatePolicy,
    Scope,
    Settlement,
    Tier,
    TierBenefits,
    Transaction,
    accrue,
    compute_rebate,
    settle,
    settle_all,
)

D = Decimal
Q3 = Period.quarter(2026, 3)
YEAR = Period.year(2026)


def policy(**kw: object) -> RebatePolicy:
    fields: dict[str, object] = {
        "id": "P",
        "name": "P",
        "currency": "CNY",
        "brackets": (Bracket(start=0, rate="0.02"), Bracket(start=100_000, rate="0.03")),
    }
    fields.update(kw)
    return RebatePolicy(**fields)  # type: ignore[arg-type]


_n = iter(range(10**6))


def tx(
    kind: str,
    amount: int | str,
    day: dt.date = dt.date(2026, 8, 1),
    partner: str | None = "D1",
    **kw: object,
) -> Transaction:
    cur = kw.pop("currency", "CNY")
    return Transaction(
        id=f"T{next(_n)}",
        partner_id=partner,
        date=day,
        kind=kind,  # type: ignore[arg-type]
        amount=Money(amount, cur),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


TXS = [
    tx("sale", 90_000, quantity=90, sku="A", territory="N", customer_id="C1"),
    tx("sale", 30_000, quantity=20, sku="B", territory="S", customer_id="C2"),
    tx("return", 5_000, quantity=5, sku="A", territory="N", customer_id="C1"),
    tx("payment", 70_000),
    tx("sale", 1_000_000, day=dt.date(2026, 10, 1)),  # after the period: ignored
    tx("sale", 1_000_000, day=dt.date(2026, 6, 30)),  # before the period: ignored
    tx("sale", 1_000_000, partner="D2", day=dt.date(2026, 9, 30)),  # another partner
    tx("sale", 1_000_000, partner=None),  # the vendor's direct sale
]


def test_settle_net_sales() -> None:
    s = settle(policy(), TXS, Q3, partner_id="D1")
    assert s.gross_sales == Money(120_000, "CNY")
    assert s.returns == Money(5_000, "CNY")
    assert s.collections == Money(70_000, "CNY")
    assert s.units == D(105)  # 90 + 20 - 5
    # net 115,000: 100,000 x 2% + 15,000 x 3% = 2,450
    assert s.basis == D(115_000)
    assert s.result.amount == Money("2450.00", "CNY")
    assert s.advances == Money(0, "CNY")
    assert s.payable == Money("2450.00", "CNY")
    assert s.period == Q3
    assert s.baseline is None


@pytest.mark.parametrize(
    ("basis", "expected_basis", "expected"),
    [
        ("gross_sales", D(120_000), D(2600)),  # 2,000 + 20,000 x 3%
        ("collections", D(70_000), D(1400)),  # 70,000 x 2%
    ],
)
def test_settle_money_bases(basis: str, expected_basis: Decimal, expected: Decimal) -> None:
    s = settle(policy(basis=basis), TXS, Q3, partner_id="D1")
    assert s.basis == expected_basis
    assert s.result.amount.amount == expected


def test_settle_units() -> None:
    p = policy(basis="units", brackets=(Bracket(start=0, rate=10),))
    s = settle(p, TXS, Q3, partner_id="D1")
    assert s.basis == D(105)
    assert s.result.amount.amount == D(1050)  # 105 units x 10 CNY


def test_settle_incremental() -> None:
    p = policy(basis="incremental", brackets=(Bracket(start=0, rate="0.05"),))
    s = settle(p, TXS, Q3, partner_id="D1", baseline=100_000)
    # net 115,000 - baseline 100,000 = 15,000 x 5% = 750
    assert (s.baseline, s.basis) == (D(100_000), D(15_000))
    assert s.result.amount.amount == D(750)
    assert "baseline 100,000.00: incremental basis 15,000.00" in s.explain()
    assert "基准 100,000.00：增量基数 15,000.00" in s.explain("zh")
    shrink = settle(p, TXS, Q3, partner_id="D1", baseline=Money(200_000, "CNY"))
    assert shrink.basis == D(-85_000)
    assert shrink.result.amount.amount == 0
    with pytest.raises(PolicyError, match="pass the baseline"):
        settle(p, TXS, Q3, partner_id="D1")
    with pytest.raises(PolicyError, match="applies only to an incremental basis"):
        settle(policy(), TXS, Q3, partner_id="D1", baseline=1)
    with pytest.raises(CurrencyMismatchError, match="baseline"):
        settle(p, TXS, Q3, partner_id="D1", baseline=Money(1, "USD"))


def test_negative_net_basis_earns_nothing_and_says_so() -> None:
    txs = [tx("sale", 1_000), tx("return", 3_000)]
    s = settle(policy(), txs, Q3, partner_id="D1")
    assert s.basis == D(-2_000)
    assert s.result.basis == D(-2_000)
    assert s.result.amount == Money(0, "CNY")
    assert s.result.lines == ()
    assert s.result.effective_rate == 0
    assert "below zero (returns exceed sales): no rebate" in s.explain()
    assert "基数为负" in s.explain("zh")
    nb = s.result.next_bracket
    assert nb is not None
    assert nb.gap == D(2_000)


def test_partner_without_transactions_settles_at_zero() -> None:
    s = settle(policy(), TXS, Q3, partner_id="NOBODY")
    assert s.basis == 0
    assert s.result.amount.amount == 0
    assert s.gross_sales == Money(0, "CNY")


def test_scope_filters_the_basis() -> None:
    skus = policy(scope=Scope(skus=frozenset({"A"})))
    s = settle(skus, TXS, Q3, partner_id="D1")
    assert (s.gross_sales.amount, s.returns.amount, s.collections.amount) == (
        D(90_000),
        D(5_000),
        D(70_000),  # payments carry no SKU: a SKU scope does not filter them
    )
    territory = settle(policy(scope=Scope(territories=frozenset({"S"}))), TXS, Q3, partner_id="D1")
    assert (territory.gross_sales.amount, territory.collections.amount) == (D(30_000), D(0))
    excluded = settle(policy(scope=Scope(exclude_skus=frozenset({"A"}))), TXS, Q3, partner_id="D1")
    assert (excluded.gross_sales.amount, excluded.returns.amount) == (D(30_000), D(0))
    customers = settle(policy(scope=Scope(customers=frozenset({"C1"}))), TXS, Q3, partner_id="D1")
    assert customers.basis == D(85_000)


def test_other_currency_refused() -> None:
    txs = [*TXS, tx("sale", 10, currency="USD")]
    with pytest.raises(CurrencyMismatchError, match="expected CNY, got USD"):
        settle(policy(), txs, Q3, partner_id="D1")
    with pytest.raises(CurrencyMismatchError):
        settle_all(policy(), txs, Q3)
    # another partner's, or out of period: ignored
    other = [*TXS, tx("sale", 10, partner="D9", currency="USD")]
    assert settle(policy(), other, Q3, partner_id="D1").basis == D(115_000)
    outside = [tx("sale", 10, day=dt.date(2025, 1, 1), currency="USD")]
    assert settle(policy(), outside, Q3, partner_id="D1").basis == 0


def test_valid_period_must_contain_the_settlement_period() -> None:
    p = policy(valid=Period.half(2026, 2))
    assert settle(p, TXS, Q3, partner_id="D1").basis == D(115_000)
    assert settle(p, TXS, Period.quarter(2026, 4), partner_id="D1").basis == D(1_000_000)
    with pytest.raises(PolicyError, match="does not contain the settlement period"):
        settle(p, TXS, YEAR, partner_id="D1")
    with pytest.raises(PolicyError, match=r"2026-01-01\.\.2026-04-01"):
        settle_all(p, TXS, Period.quarter(2026, 1))


def test_advances_true_up_and_clawback() -> None:
    # annual programme, quarterly advances: the year settles at 2,450 (only Q3 traded)
    q3_only = TXS[:4]
    paid = settle(policy(), q3_only, YEAR, partner_id="D1", advances=Money(2_000, "CNY"))
    assert paid.advances == Money(2_000, "CNY")
    assert paid.payable == Money("450.00", "CNY")
    assert "Advances paid: 2,000.00; payable: 450.00 CNY" in paid.explain()
    assert "已预付：2,000.00；应付：450.00 CNY" in paid.explain("zh")
    over = settle(policy(), q3_only, YEAR, partner_id="D1", advances=3_000)
    assert over.payable == Money("-550.00", "CNY")  # a clawback
    assert "clawback: 550.00 CNY" in over.explain()
    assert "追回：550.00 CNY" in over.explain("zh")
    with pytest.raises(ArgumentError, match="advances must not be negative, got -1") as err:
        settle(policy(), TXS, YEAR, partner_id="D1", advances=-1)
    assert (err.value.argument, err.value.value) == ("advances", -1)
    with pytest.raises(ArgumentError, match=r"advances\['D1'\] must not be negative"):
        settle_all(policy(), TXS, YEAR, advances={"D1": Money(-1, "CNY")})
    with pytest.raises(CurrencyMismatchError):
        settle(policy(), TXS, YEAR, partner_id="D1", advances=Money(1, "USD"))
    with pytest.raises(TypeError, match="float"):
        settle(policy(), TXS, YEAR, partner_id="D1", advances=1.5)  # type: ignore[arg-type]


def test_returns_after_settlement_claw_back() -> None:
    q3 = settle(policy(), [tx("sale", 100_000)], Q3, partner_id="D1")
    assert q3.payable.amount == D(2000)
    later = [tx("sale", 100_000), tx("return", 40_000, day=dt.date(2026, 11, 5))]
    h2 = settle(policy(), later, Period.half(2026, 2), partner_id="D1", advances=q3.result.amount)
    # 60,000 x 2% = 1,200 earned over the half, 2,000 paid: claw back 800
    assert h2.payable == Money("-800.00", "CNY")


def test_settle_with_metrics_and_tier() -> None:
    p = policy(conditions=(Condition(metric="collection_rate", minimum="0.9", factor="0.5"),))
    gold = Tier(code="GOLD", name="Gold", rank=1, benefits=TierBenefits(rebate_multiplier="1.2"))
    s = settle(p, TXS, Q3, partner_id="D1", metrics={"collection_rate": "0.6"}, tier=gold)
    # 2,450 x 0.5 x 1.2 = 1,470
    assert s.result.amount.amount == D(1470)
    with pytest.raises(PolicyError, match="collection_rate"):
        settle(p, TXS, Q3, partner_id="D1")


def test_settle_all_equals_settle_per_partner() -> None:
    txs = [
        *TXS,
        tx("sale", 50_000, partner="D2"),
        tx("payment", 10_000, partner="D3"),
    ]
    gold = Tier(code="GOLD", name="Gold", rank=1, benefits=TierBenefits(rebate_multiplier=2))
    out = settle_all(policy(), txs, Q3, tiers={"D2": gold}, advances={"D3": 100})
    assert list(out) == ["D1", "D2", "D3"]  # ordered by partner id; no direct sales
    assert out["D1"] == settle(policy(), txs, Q3, partner_id="D1")
    assert out["D2"] == settle(policy(), txs, Q3, partner_id="D2", tier=gold)
    # 1,050,000: (100,000 x 2% + 950,000 x 3%) x 2 = 61,000
    assert out["D2"].result.amount.amount == D(61_000)
    assert out["D3"].payable == Money("-100.00", "CNY")
    assert settle_all(policy(), [], Q3) == {}


def test_settle_all_mappings() -> None:
    p = policy(
        basis="incremental",
        brackets=(Bracket(start=0, rate="0.05"),),
        conditions=(Condition(metric="m", minimum=1, factor=0),),
    )
    txs = [tx("sale", 10_000, partner="D1"), tx("sale", 10_000, partner="D2")]
    out = settle_all(
        p,
        txs,
        Q3,
        metrics={"D1": {"m": 1}, "D2": {"m": 0}},
        baselines={"D1": 4_000, "D2": 0},
    )
    assert out["D1"].result.amount.amount == D(300)  # (10,000 - 4,000) x 5%
    assert out["D2"].result.amount.amount == D(0)  # condition not met: forfeit
    with pytest.raises(PolicyError, match="D2"):
        settle_all(p, txs, Q3, metrics={"D1": {"m": 1}, "D2": {"m": 1}}, baselines={"D1": 0})


def test_settlement_json_round_trip() -> None:
    s = settle(policy(), TXS, Q3, partner_id="D1", advances=100)
    assert Settlement.model_validate_json(s.model_dump_json()) == s


def test_accrue() -> None:
    p = policy(
        mode="volume", brackets=(Bracket(start=0, rate="0.01"), Bracket(start=100_000, rate="0.03"))
    )
    a = accrue(p, 40_000, projected_basis=120_000)
    # expected to reach 3% (on 120,000: 3,600 = 3%): book 40,000 x 3% = 1,200
    assert a.amount == Money("1200.00", "CNY")
    assert a.effective_rate == D("0.03")
    assert a.projected == compute_rebate(p, 120_000)
    assert (a.basis_to_date, a.projected_basis, a.policy_id) == (D(40_000), D(120_000), "P")
    assert a.explain() == (
        "Accrual for policy P: 40,000.00 to date x 3% = 1,200.00 CNY\n"
        "  (3% is the effective rate at the projected basis of 120,000.00)"
    )
    assert "政策 P 的返利计提" in a.explain("zh")
    assert Accrual.model_validate_json(a.model_dump_json()) == a
    assert accrue(p, 40_000, projected_basis=0).amount.amount == 0
    with pytest.raises(PolicyError, match="basis_to_date must not be negative"):
        accrue(p, -1, projected_basis=1)
    with pytest.raises(PolicyError, match="projected_basis must not be negative"):
        accrue(p, 1, projected_basis=-1)


def test_accrue_with_tier_and_units() -> None:
    p = policy(basis="units", brackets=(Bracket(start=0, rate=2), Bracket(start=100, rate=3)))
    gold = Tier(code="GOLD", name="Gold", rank=1, benefits=TierBenefits(rebate_multiplier="1.5"))
    a = accrue(p, 50, projected_basis=200, tier=gold)
    # at 200 units: (100 x 2 + 100 x 3) x 1.5 = 750, 3.75 CNY per unit; 50 x 3.75 = 187.50
    assert a.amount == Money("187.50", "CNY")
    assert "50 to date x 3.75 CNY/unit = 187.50 CNY" in a.explain()
    assert "3.75 CNY/件" in a.explain("zh")
