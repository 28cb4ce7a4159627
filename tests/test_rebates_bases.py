"""New policy fields and bases (#12): tier_basis, allow_negative, categories, MARGIN, PAID_SALES.

Hand-worked examples (the arithmetic in the comments), each also settled from a table, which
must give the same settlement.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from channelkit import (
    AdjustmentKind,
    ArgumentError,
    Bracket,
    Condition,
    CurrencyMismatchError,
    Money,
    Period,
    PolicyError,
    RebateBasis,
    RebatePolicy,
    RebateResult,
    Scope,
    Settlement,
    SettleUnit,
    Tier,
    TierBenefits,
    Transaction,
    accrue,
    compute_rebate,
    rebate_amounts,
    settle,
    settle_all,
)

D = Decimal
Q3 = Period.quarter(2026, 3)
LADDER = (Bracket(start=0, rate="0.01"), Bracket(start=1_000, rate="0.03", flat=50))


def policy(**kw: Any) -> RebatePolicy:
    fields: dict[str, Any] = {"id": "P", "name": "P", "currency": "CNY", "brackets": LADDER}
    fields.update(kw)
    return RebatePolicy(**fields)


def tx(tid: str, kind: str, amount: int | str, day: str = "2026-08-01", **kw: Any) -> Transaction:
    cur = kw.pop("currency", "CNY")
    cost = kw.pop("cost", None)
    return Transaction(
        id=tid,
        partner_id=kw.pop("partner", "D1"),
        date=dt.date.fromisoformat(day),
        kind=kind,  # type: ignore[arg-type]
        amount=Money(amount, cur),
        cost=None if cost is None else Money(cost, cur),
        **kw,
    )


def both(p: RebatePolicy, txs: list[Transaction], **kw: Any) -> Settlement:
    """``settle`` from the models, checked equal to ``settle`` from the same rows as a table."""
    s = settle(p, txs, Q3, partner_id=kw.pop("partner_id", "D1"), **kw)
    pa = pytest.importorskip("pyarrow")
    from channelkit import frames

    table = frames.transactions(txs).to_arrow()
    assert isinstance(table, pa.Table)
    assert settle(p, table, Q3, partner_id=s.partner_id, **kw) == s
    assert Settlement.model_validate_json(s.model_dump_json()) == s
    return s


# -- the models ------------------------------------------------------------------------------------


def test_labels_and_defaults() -> None:
    assert RebateBasis.MARGIN.label("zh") == "毛利"
    assert RebateBasis.PAID_SALES.label() == "paid sales"
    assert RebateBasis.PAID_SALES.label("zh") == "已回款销售额"
    assert RebateBasis.MARGIN.is_money
    assert RebateBasis.PAID_SALES.is_money
    assert [u.value for u in SettleUnit] == ["period", "transaction"]
    assert SettleUnit.TRANSACTION.label("zh") == "按单计返"
    p = policy()
    assert (p.tier_basis, p.per, p.allow_negative, p.scope.categories) == (
        None,
        SettleUnit.PERIOD,
        False,
        None,
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"tier_basis": "units"}, r"tier_basis \(units\) needs mode volume or flat"),
        ({"per": "transaction", "basis": "margin"}, "basis margin cannot be tiered per trans"),
        ({"per": "transaction", "basis": "collections"}, "needs a basis of gross_sales, net_"),
        (
            {"per": "transaction", "mode": "volume", "tier_basis": "paid_sales"},
            "tier_basis paid_sales cannot be tiered per transaction",
        ),
        ({"scope": {"categories": ["Electronics//Phones"]}}, r"categories(.|\n)*empty segments"),
        ({"per": "each"}, "per"),
    ],
)
def test_refused_combinations_name_the_field(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        policy(**fields)


def test_allowed_combinations_round_trip_through_json() -> None:
    for p in (
        policy(mode="volume", tier_basis="units", allow_negative=True),
        policy(mode="flat", tier_basis="incremental", basis="margin"),
        policy(per="transaction", basis="units", mode="volume", tier_basis="gross_sales"),
        policy(per="transaction", scope=Scope(categories=frozenset({"Home", "Electronics"}))),
    ):
        assert RebatePolicy.model_validate_json(p.model_dump_json()) == p


def test_categories_cover_whole_segments_case_sensitively() -> None:
    s = Scope(categories=frozenset({"Electronics", "Home/Kitchen"}))
    assert s.covers("Electronics")
    assert s.covers("Electronics/Phones/Android")
    assert s.covers("Home/Kitchen/Knives")
    assert not s.covers("ElectronicsX")
    assert not s.covers("electronics")
    assert not s.covers("Home")  # a parent of an entry is not under it
    assert not s.covers("Home/Kitchenware")
    assert not s.covers(None)
    assert Scope().covers(None)
    assert not s.everything
    sale = tx("S", "sale", 1, category="Electronics/Phones")
    assert s.contains(sale)
    assert not s.contains(sale.model_copy(update={"category": None}))
    assert s.contains(tx("P", "payment", 1))  # payments carry no product: not filtered
    assert not Scope(categories=frozenset()).contains(sale)


def test_settle_with_a_category_scope() -> None:
    txs = [
        tx("S1", "sale", 1_000, category="Electronics/Phones"),
        tx("S2", "sale", 500, category="Home"),
        tx("S3", "sale", 700),  # no category: out
        tx("R1", "return", 100, category="Electronics"),
        tx("P1", "payment", 300),
    ]
    s = both(policy(scope=Scope(categories=frozenset({"Electronics"}))), txs)
    # 1,000 - 100 = 900 net: 900 x 1% = 9.00; the payment counts in the collections
    assert (s.gross_sales.amount, s.returns.amount, s.collections.amount) == (1000, 100, 300)
    assert s.result.amount == Money("9.00", "CNY")


# -- tier_basis ------------------------------------------------------------------------------------

QTY = policy(
    mode="volume",
    tier_basis="units",
    threshold=100,
    brackets=(
        Bracket(start=0, rate="0.01"),
        Bracket(start=500, rate="0.02", flat=30),
        Bracket(start=2_000, rate="0.04"),
    ),
)


def test_tier_basis_picks_the_bracket_and_the_rate_applies_to_the_basis() -> None:
    r = compute_rebate(QTY, 80_000, tier_value=600)
    # 600 units reach the 500 bracket: 80,000 x 2% + 30 = 1,630
    assert r.amount == Money("1630.00", "CNY")
    assert (r.tier_basis, r.tier_value) == (RebateBasis.UNITS, D(600))
    (line,) = r.lines
    assert (line.index, line.start, line.end, line.slice) == (1, D(500), D(600), D(80_000))
    nb = r.next_bracket
    assert nb is not None
    # 1,400 more units reach 4%: 80,000 x 4% = 3,200 on the current basis
    assert (nb.start, nb.gap, nb.amount_at_start) == (D(2_000), D(1_400), Money(3_200, "CNY"))
    assert r.effective_rate == D("0.020375")  # 1,630 / 80,000
    assert "bracket picked by units 600" in r.explain()
    assert "80,000.00 (bracket from 500) at 2% + flat 30.00 = 1,630.00" in r.explain()
    assert "Next step: 1,400 more units reaches 4% (rebate there: 3,200.00)" in r.explain()
    assert "档位依据：销量 600" in r.explain("zh")
    assert "再增加 1,400 销量 可达 4%" in r.explain("zh")
    assert RebateResult.model_validate_json(r.model_dump_json()) == r


def test_the_threshold_is_met_by_the_tier_figure() -> None:
    below = compute_rebate(QTY, 1_000_000, tier_value=99)
    assert below.amount.amount == 0
    assert below.lines == ()
    assert "below the threshold of 100: no rebate" in below.explain()
    nb = below.next_bracket
    assert nb is not None
    # the step is the threshold (100 units, 1 more), paying 1% on the basis: 10,000
    assert (nb.start, nb.gap, nb.amount_at_start) == (D(100), D(1), Money(10_000, "CNY"))
    assert compute_rebate(QTY, 1_000, tier_value=100).amount.amount == 10  # 1,000 x 1%
    top = compute_rebate(QTY, 1_000, tier_value=5_000)
    assert top.next_bracket is None
    assert top.amount.amount == 40


def test_tier_value_is_required_exactly_for_a_tier_basis() -> None:
    with pytest.raises(PolicyError, match=r"picks its bracket by units \(tier_basis units\)"):
        compute_rebate(QTY, 1_000)
    with pytest.raises(PolicyError, match="has no tier_basis: tier_value applies only"):
        compute_rebate(policy(), 1_000, tier_value=5)
    with pytest.raises(PolicyError, match="units tier basis: tier_value must be a number"):
        compute_rebate(QTY, 1_000, tier_value=Money(5, "CNY"))
    with pytest.raises(PolicyError, match="tier_value must not be negative"):
        compute_rebate(QTY, 1_000, tier_value=-1)
    with pytest.raises(ArgumentError, match="tier_value"):
        compute_rebate(QTY, 1_000, tier_value="1e999999")
    with pytest.raises(TypeError, match="float"):
        compute_rebate(QTY, 1_000, tier_value=1.5)  # type: ignore[arg-type]
    money_tier = policy(mode="flat", basis="units", tier_basis="net_sales")
    # a money tier figure may be Money: 10,000 CNY of sales reach the (only) bracket
    r = compute_rebate(money_tier, 40, tier_value=Money(10_000, "CNY"))
    assert r.amount.amount == D("0.40")  # 40 units x 0.01 CNY
    with pytest.raises(CurrencyMismatchError):
        compute_rebate(money_tier, 40, tier_value=Money(10_000, "USD"))


def test_rebate_amounts_refuses_a_tier_basis() -> None:
    with pytest.raises(PolicyError, match="tier_basis units, which needs a tier figure"):
        rebate_amounts(QTY, [D(1)])
    pa = pytest.importorskip("pyarrow")
    from channelkit.frames._amounts import rebate_amounts_array

    with pytest.raises(PolicyError, match="tier_basis units, which needs a tier figure"):
        rebate_amounts(QTY, pa.array([1]))
    with pytest.raises(PolicyError, match="tier_basis units"):
        rebate_amounts_array(QTY, pa.array([1]))


def test_settle_computes_the_tier_figure_from_the_same_transactions() -> None:
    txs = [
        tx("S1", "sale", 30_000, quantity=400),
        tx("S2", "sale", 20_000, quantity=250),
        tx("R1", "return", 5_000, quantity=50),
        tx("X", "sale", 99_000, quantity=9_000, partner="D2"),
    ]
    s = both(QTY, txs)
    # 600 net units reach 2%: net sales 45,000 x 2% + 30 = 930
    assert (s.units, s.basis, s.result.tier_value) == (D(600), D(45_000), D(600))
    assert s.result.amount == Money("930.00", "CNY")


def test_accrue_with_a_tier_figure() -> None:
    a = accrue(QTY, 20_000, projected_basis=80_000, tier_value=600)
    # the projected 1,630 on 80,000 is 2.0375%: 20,000 x 2.0375% = 407.50
    assert a.amount == Money("407.50", "CNY")
    assert a.projected.tier_value == D(600)
    with pytest.raises(PolicyError, match="pass tier_value"):
        accrue(QTY, 20_000, projected_basis=80_000)


def test_incremental_tier_basis_needs_a_baseline() -> None:
    p = policy(mode="volume", tier_basis="incremental", basis="net_sales")
    txs = [tx("S1", "sale", 3_000)]
    s = both(p, txs, baseline=1_500)
    # growth 1,500 reaches the 1,000 bracket: 3,000 x 3% + 50 = 140
    assert (s.baseline, s.result.tier_value, s.result.amount.amount) == (1_500, 1_500, 140)
    assert "baseline 1,500.00: incremental tier figure 1,500.00" in s.explain()
    assert "基准 1,500.00：增量档位依据 1,500.00" in s.explain("zh")
    with pytest.raises(PolicyError, match="has an incremental tier basis: pass the baseline"):
        settle(p, txs, Q3, partner_id="D1")
    with pytest.raises(PolicyError, match="applies only to an incremental basis or tier basis"):
        settle(QTY, txs, Q3, partner_id="D1", baseline=0)


# -- allow_negative --------------------------------------------------------------------------------

NEG = policy(allow_negative=True, threshold=2_000, cap=100)


def test_a_negative_basis_earns_the_first_rate_without_flat_threshold_or_cap() -> None:
    r = compute_rebate(NEG, -12_345)
    # -12,345 x 1% = -123.45: no threshold, and the cap of 100 does not bound a negative
    assert r.amount == Money("-123.45", "CNY")
    (line,) = r.lines
    assert (line.index, line.slice, line.flat.amount, line.amount.amount) == (
        0,
        D(-12_345),
        0,
        D("-123.45"),
    )
    assert r.effective_rate == D("0.01")
    assert r.adjustments == ()
    assert "the first bracket's rate applies, a negative rebate to pay back" in r.explain()
    assert "-12,345.00 (bracket from 0.00) at 1% = -123.45" in r.explain()
    assert "基数为负：按第一档比例计负返利" in r.explain("zh")
    assert rebate_amounts(NEG, [D(-12_345), 5_000]) == [D("-123.45"), D(100)]
    with pytest.raises(PolicyError, match="basis must not be negative"):
        compute_rebate(policy(), -1)


def test_conditions_and_the_tier_multiplier_apply_to_a_negative_rebate() -> None:
    p = NEG.model_copy(update={"conditions": (Condition(metric="m", minimum=1, factor=D("0.5")),)})
    gold = Tier(code="G", name="G", rank=1, benefits=TierBenefits(rebate_multiplier=2))
    r = compute_rebate(p, -1_000, metrics={"m": 0}, tier=gold)
    # -1,000 x 1% = -10, x 0.5 = -5, x 2 = -10
    assert r.amount.amount == -10
    assert [a.kind for a in r.adjustments] == [AdjustmentKind.CONDITION, AdjustmentKind.TIER]
    assert [a.amount.amount for a in r.adjustments] == [5, -5]


def test_a_settlement_pays_a_negative_rebate_back() -> None:
    txs = [tx("S1", "sale", 1_000), tx("R1", "return", 4_000)]
    s = both(NEG, txs, advances=20)
    # net -3,000 x 1% = -30; 20 already advanced: -50 to pay back
    assert (s.basis, s.result.amount.amount, s.payable.amount) == (-3_000, -30, -50)
    plain = both(policy(), txs)
    assert plain.result.amount.amount == 0
    assert plain.result.effective_rate == 0


def test_accrue_accepts_negative_bases_only_with_allow_negative() -> None:
    a = accrue(NEG, -500, projected_basis=-2_000)
    # the rate at -2,000 is 1% (-20 / -2,000): -500 x 1% = -5
    assert (a.effective_rate, a.amount.amount) == (D("0.01"), -5)
    with pytest.raises(PolicyError, match="basis_to_date must not be negative"):
        accrue(policy(), -500, projected_basis=2_000)


def test_effective_rate_is_amount_over_any_non_zero_basis() -> None:
    assert compute_rebate(policy(), 0).effective_rate == 0
    assert str(compute_rebate(NEG, -1).effective_rate) == "0.01"  # -0.01 / -1
    nothing = compute_rebate(policy(threshold=10, allow_negative=True), 5)
    assert nothing.effective_rate == 0
    assert not nothing.effective_rate.is_signed()


# -- MARGIN ----------------------------------------------------------------------------------------


def test_margin_is_net_sales_less_net_cost() -> None:
    txs = [
        tx("S1", "sale", 10_000, cost=7_000),
        tx("S2", "sale", 5_000, cost="3500.50"),
        tx("R1", "return", 2_000, cost=1_400),
        tx("P1", "payment", 9_999),  # payments carry no cost and are ignored
        tx("S9", "sale", 1_000, day="2026-10-01"),  # after the period: no cost needed
    ]
    s = both(policy(basis="margin"), txs)
    # net sales 13,000 - net cost (10,500.50 - 1,400 = 9,100.50) = 3,899.50
    # 1,000 x 1% + 2,899.50 x 3% + 50 = 10 + 86.985 + 50 = 146.985 -> 146.99
    assert s.basis == D("3899.50")
    assert s.result.amount == Money("146.99", "CNY")
    assert "net cost of goods 9,100.50: margin 3,899.50" in s.explain()
    assert "净销售成本 9,100.50：毛利 3,899.50" in s.explain("zh")


def test_margin_below_zero_follows_the_negative_basis_rule() -> None:
    txs = [tx("S1", "sale", 1_000, cost=1_600)]
    assert both(policy(basis="margin"), txs).result.amount.amount == 0
    # -600 x 1% = -6 with allow_negative
    assert both(policy(basis="margin", allow_negative=True), txs).result.amount.amount == -6


def test_a_counting_sale_or_return_without_cost_names_its_id() -> None:
    txs = [tx("S1", "sale", 1_000, cost=600), tx("R7", "return", 100)]
    for p in (policy(basis="margin"), policy(mode="volume", tier_basis="margin")):
        with pytest.raises(PolicyError, match=r"margin .*basis: return R7 of partner D1 has no co"):
            settle(p, txs, Q3, partner_id="D1")
        with pytest.raises(PolicyError, match="return R7"):
            settle_all(p, txs, Q3)
    # another partner's sale without cost does not matter to D1
    other = [*txs[:1], tx("S2", "sale", 5, partner="D2")]
    assert settle(policy(basis="margin"), other, Q3, partner_id="D1").basis == 400


def test_margin_as_the_tier_figure() -> None:
    p = policy(mode="volume", tier_basis="margin")
    txs = [tx("S1", "sale", 3_000, cost=1_800)]
    s = both(p, txs)
    # margin 1,200 reaches the 1,000 bracket; net sales 3,000 x 3% + 50 = 140
    assert (s.result.tier_value, s.result.amount.amount) == (1_200, 140)
    assert "net cost of goods 1,800.00: margin 1,200.00" in s.explain()


# -- PAID_SALES ------------------------------------------------------------------------------------

PAID = policy(basis="paid_sales", brackets=(Bracket(start=0, rate="0.1"),))


def test_paid_sales_by_hand() -> None:
    txs = [
        tx("S0", "sale", 30_000, day="2026-05-10"),  # an earlier period's sale
        tx("P0a", "payment", 10_000, day="2026-06-01", refers_to="S0"),  # paid before: not now
        tx("P0b", "payment", 25_000, day="2026-07-15", refers_to="S0"),  # capped at 20,000
        tx("S1", "sale", 50_000, day="2026-08-01"),
        tx("R1", "return", 5_000, day="2026-09-01", refers_to="S1"),
        tx("R2", "return", 9_000, day="2026-10-05", refers_to="S1"),  # after the end: ignored
        tx("P1", "payment", 44_000, day="2026-09-10", refers_to="S1"),  # capped at 45,000: all
        tx("S2", "sale", 8_000, day="2026-09-20"),
        tx("P2", "payment", 8_000, day="2026-06-30", refers_to="S2"),  # 先款后货: counts now
        tx("S3", "sale", 7_000, day="2026-10-02"),
        tx("P3", "payment", 7_000, day="2026-09-30", refers_to="S3"),  # its sale is later
        tx("P4", "payment", 3_000, day="2026-08-05"),  # names no sale: nothing
        tx("P5", "payment", 1_000, day="2026-08-05", refers_to="NOPE"),
        tx("P6", "payment", 1_000, day="2026-08-05", refers_to="S9", partner="D2"),
        tx("S9", "sale", 1_000, day="2026-08-01", partner="D2"),
        tx("P7", "payment", 500, day="2026-08-06", refers_to="S9"),  # D1 paying D2's sale
    ]
    s = both(PAID, txs)
    # S0: 30,000 - 10,000 paid before = 20,000 of P0b; S1: 44,000 (45,000 unpaid);
    # S2: 8,000 (the prepayment counts when the sale happens) = 72,000 x 10% = 7,200
    assert s.basis == D(72_000)
    assert s.result.amount == Money("7200.00", "CNY")
    # every payment of D1's in the period, as before: 25,000 + 44,000 + 7,000 + 3,000 + 1,000
    # + 500 = 80,500
    assert s.collections.amount == 80_500
    assert "on paid sales 72,000.00 CNY" in s.explain()
    assert "已回款销售额 72,000.00 CNY" in s.explain("zh")
    d2 = both(PAID, txs, partner_id="D2")
    assert d2.basis == 1_000


def test_payments_of_one_sale_count_in_date_order_then_id() -> None:
    txs = [
        tx("S1", "sale", 1_000, day="2026-07-01"),
        tx("PB", "payment", 700, day="2026-07-02", refers_to="S1"),
        tx("PA", "payment", 700, day="2026-07-02", refers_to="S1"),  # same day: PA first
        tx("PC", "payment", 700, day="2026-07-01", refers_to="S1"),  # the earliest
    ]
    # PC 700; PA min(700, 300) = 300; PB nothing: the sale's 1,000 and no more
    assert both(PAID, txs).basis == 1_000
    q2 = settle(PAID, txs, Period.quarter(2026, 2), partner_id="D1")
    assert q2.basis == 0


def test_paid_sales_scope_is_the_sales() -> None:
    scoped = PAID.model_copy(update={"scope": Scope(territories=frozenset({"N"}))})
    txs = [
        tx("S1", "sale", 1_000, territory="N"),
        tx("S2", "sale", 2_000, territory="S"),
        tx("P1", "payment", 1_000, refers_to="S1"),  # no territory, but its sale is in scope
        tx("P2", "payment", 2_000, refers_to="S2"),  # its sale is out of scope
    ]
    s = both(scoped, txs)
    assert (s.basis, s.collections.amount) == (1_000, 0)


def test_settle_all_settles_a_partner_whose_only_transaction_is_a_counted_payment() -> None:
    scoped = PAID.model_copy(update={"scope": Scope(territories=frozenset({"N"}))})
    txs = [
        tx("S1", "sale", 1_000, day="2026-06-01", territory="N"),
        tx("P1", "payment", 600, day="2026-07-01", refers_to="S1"),
        tx("P2", "payment", 100, day="2026-07-01", partner="D2"),
    ]
    out = settle_all(scoped, txs, Q3)
    assert list(out) == ["D1"]
    pytest.importorskip("pyarrow")
    from channelkit import frames

    assert settle_all(scoped, frames.transactions(txs), Q3) == out
    assert out["D1"].basis == 600
    assert out["D1"].gross_sales.amount == 0
    plain = settle_all(policy(scope=scoped.scope), txs, Q3)
    assert plain == {}


def test_paid_sales_read_only_rows_in_the_policy_currency() -> None:
    txs = [
        tx("S1", "sale", 1_000, day="2026-06-01"),
        tx("R1", "return", 10, day="2026-06-02", refers_to="S1", currency="USD"),
        tx("P1", "payment", 600, day="2026-07-01", refers_to="S1"),
    ]
    with pytest.raises(CurrencyMismatchError, match=r"\(transaction R1\): expected CNY, got USD"):
        settle(PAID, txs, Q3, partner_id="D1")
    # a sale with no payment counting in the period is not read
    assert settle(PAID, txs, Period.quarter(2026, 4), partner_id="D1").basis == 0
