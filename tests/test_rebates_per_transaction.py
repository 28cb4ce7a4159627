"""Tiering per transaction (按单计返, #12): hand-worked examples and the properties of the lines.

Every SALE in scope reaches its own bracket; every RETURN takes back what its own figure earns
(not under GROSS_SALES); the threshold, conditions, payout, multiplier and cap apply to the
period's total.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from channelkit import (
    AdjustmentKind,
    Bracket,
    Money,
    Period,
    RebatePolicy,
    RebateResult,
    Settlement,
    SettleUnit,
    Tier,
    TierBenefits,
    TierMode,
    Transaction,
    compute_rebate,
    settle,
    settle_all,
)
from channelkit.testing import amounts, bracket_ladders

D = Decimal
Q3 = Period.quarter(2026, 3)
LADDER = (
    Bracket(start=0, rate="0.01"),
    Bracket(start=1_000, rate="0.02", flat=5),
    Bracket(start=5_000, rate="0.03"),
)


def policy(**kw: Any) -> RebatePolicy:
    fields: dict[str, Any] = {
        "id": "P",
        "name": "P",
        "currency": "CNY",
        "brackets": LADDER,
        "per": "transaction",
        "mode": "volume",
    }
    fields.update(kw)
    return RebatePolicy(**fields)


_n = iter(range(10**6))


def tx(kind: str, amount: int | str, quantity: int = 0, partner: str = "D1") -> Transaction:
    return Transaction(
        id=f"T{next(_n)}",
        partner_id=partner,
        date=dt.date(2026, 8, 1),
        kind=kind,  # type: ignore[arg-type]
        amount=Money(amount, "CNY"),
        quantity=quantity,
    )


def both(p: RebatePolicy, txs: list[Transaction], **kw: Any) -> Settlement:
    """``settle`` from the models, checked equal to ``settle`` from the same rows as a table."""
    s = settle(p, txs, Q3, partner_id="D1", **kw)
    pytest.importorskip("pyarrow")
    from channelkit import frames

    assert settle(p, frames.transactions(txs).to_arrow(), Q3, partner_id="D1", **kw) == s
    assert Settlement.model_validate_json(s.model_dump_json()) == s
    return s


SALES = [tx("sale", 800), tx("sale", 3_000), tx("sale", 6_000), tx("return", 2_000)]


def test_volume_each_sale_reaches_its_own_bracket() -> None:
    s = both(policy(), SALES)
    # 800 x 1% = 8; 3,000 x 2% + 5 = 65; 6,000 x 3% = 180; the return of 2,000 takes back
    # 2,000 x 2% + 5 = 45: 8 + 65 + 180 - 45 = 208
    assert s.basis == D(7_800)
    assert s.result.amount == Money("208.00", "CNY")
    assert s.result.per is SettleUnit.TRANSACTION
    lines = [(ln.index, ln.slice, ln.end, ln.amount.amount) for ln in s.result.lines]
    # the bracket from 1,000: 3,000 - 2,000 = 1,000 x 2% + (1 - 1) x 5 = 20
    assert lines == [(0, 800, 800, 8), (1, 1_000, 1_000, 20), (2, 6_000, 6_000, 180)]
    assert s.result.next_bracket is None
    # the period's 7,800 tiered at once would earn 7,800 x 3% = 234
    assert compute_rebate(policy(), 7_800).amount.amount == 234


def test_graduated_per_transaction() -> None:
    s = both(policy(mode="graduated"), SALES)
    # 800: 8; 3,000: 1,000 x 1% + 2,000 x 2% + 5 = 55; 6,000: 10 + 4,000 x 2% + 5 + 1,000 x 3%
    # = 125; the return of 2,000: 10 + 1,000 x 2% + 5 = 35 back: 8 + 55 + 125 - 35 = 153
    assert s.result.amount.amount == 153
    lines = [(ln.start, ln.end, ln.slice, ln.amount.amount) for ln in s.result.lines]
    # bracket 0: 800 + 1,000 + 1,000 - 1,000 = 1,800; bracket 1: 2,000 + 4,000 - 1,000 = 5,000
    # and one flat each for two sales less one return; bracket 2: 1,000
    assert lines == [
        (0, 1_800, 1_800, 18),
        (1_000, 6_000, 5_000, 105),
        (5_000, 6_000, 1_000, 30),
    ]


def test_flat_and_units() -> None:
    flat = both(policy(mode="flat"), SALES)
    # FLAT: the first bracket's 1% on each: (800 + 3,000 + 6,000 - 2,000) x 1% = 78
    assert flat.result.amount.amount == 78
    units = policy(
        basis="units",
        brackets=(Bracket(start=0, rate=1), Bracket(start=10, rate=2, flat=3)),
    )
    txs = [tx("sale", 100, 4), tx("sale", 900, 12), tx("return", 50, 2), tx("return", 300, 11)]
    s = both(units, txs)
    # 4 x 1 = 4; 12 x 2 + 3 = 27; back 2 x 1 = 2 and 11 x 2 + 3 = 25: 4 + 27 - 2 - 25 = 4
    assert (s.basis, s.result.amount.amount) == (D(3), 4)


def test_gross_sales_returns_take_nothing_back() -> None:
    s = both(policy(basis="gross_sales"), SALES)
    # 8 + 65 + 180 = 253; the return is not tiered
    assert (s.basis, s.result.amount.amount) == (D(9_800), 253)


def test_tier_basis_per_transaction() -> None:
    p = policy(
        tier_basis="units", brackets=(Bracket(start=0, rate="0.01"), Bracket(start=10, rate="0.05"))
    )
    txs = [tx("sale", 1_000, 12), tx("sale", 2_000, 3), tx("return", 500, 10)]
    s = both(p, txs)
    # 12 units reach 5%: 50; 3 units: 2,000 x 1% = 20; the return's 10 units: 500 x 5% = 25
    # back: 50 + 20 - 25 = 45; the period's tier figure is 5 net units
    assert s.result.amount.amount == 45
    assert s.result.tier_value == 5
    bracket_from_ten = s.result.lines[1]
    assert (bracket_from_ten.slice, bracket_from_ten.end) == (D(500), D(2))  # 1,000 - 500; 12 - 10
    assert "bracket picked by units 5" in s.result.explain()


def test_the_threshold_is_met_by_the_period() -> None:
    p = policy(threshold=10_000)
    s = both(p, SALES)
    assert s.result.amount.amount == 0
    assert s.result.lines == ()
    nb = s.result.next_bracket
    assert nb is not None
    # 2,200 more net sales meet the threshold; the transactions would then earn 208
    assert (nb.start, nb.gap, nb.amount_at_start) == (D(10_000), D(2_200), Money(208, "CNY"))
    assert "below the threshold of 10,000.00: no rebate" in s.explain()
    assert both(policy(threshold=7_800), SALES).result.amount.amount == 208
    # a threshold below every bracket start is no step at all
    low = policy(brackets=(Bracket(start=100, rate="0.01"),), threshold=50)
    assert both(low, [tx("sale", 40)]).result.next_bracket is None


def test_a_negative_sum_is_paid_as_zero_unless_allow_negative() -> None:
    # small sales at 1% and one large return at 3%, net sales still above zero
    txs = [
        tx("sale", 500),
        tx("sale", 900),
        tx("sale", 900),
        tx("sale", 4_000),
        tx("return", 6_000),
    ]
    p = policy(brackets=(Bracket(start=0, rate="0.01"), Bracket(start=5_000, rate="0.03")))
    s = both(p, txs)
    # 5 + 9 + 9 + 40 = 63 earned, 180 taken back: -117, paid as 0 (basis 300 >= 0)
    assert s.basis == 300
    assert s.result.gross.amount == -117
    assert s.result.amount.amount == 0
    (floor,) = s.result.adjustments
    assert (floor.kind, floor.amount.amount, floor.value) == (AdjustmentKind.FLOOR, 117, -117)
    assert "the transactions' rebates sum to -117, below zero: paid as 0" in s.explain()
    assert "逐单返利合计 -117 为负：按 0 计" in s.explain("zh")
    owed = both(p.model_copy(update={"allow_negative": True}), txs)
    assert owed.result.amount.amount == -117
    assert owed.result.adjustments == ()


def test_a_negative_basis_ignores_the_transaction_rebates() -> None:
    txs = [tx("sale", 6_000), tx("return", 500), tx("return", 7_000)]
    assert both(policy(), txs).result.amount.amount == 0
    s = both(policy(allow_negative=True), txs)
    # net -1,500 x 1% (the first bracket) = -15, whatever the transactions' brackets
    assert (s.basis, s.result.amount.amount) == (-1_500, -15)
    assert s.result.next_bracket is None


def test_conditions_multiplier_and_cap_apply_to_the_total() -> None:
    gold = Tier(code="G", name="G", rank=1, benefits=TierBenefits(rebate_multiplier=2))
    s = both(policy(cap=400), SALES, tier=gold)
    # 208 x 2 = 416, capped at 400
    kinds = [a.kind for a in s.result.adjustments]
    assert kinds == [AdjustmentKind.TIER, AdjustmentKind.CAP]
    assert s.result.amount.amount == 400


def test_explanations_show_the_tiering() -> None:
    r = both(policy(), SALES).result
    en, zh = r.explain(), r.explain("zh")
    assert "tiered per transaction: each sale and return on its own figure" in en
    assert (
        "1,000.00 (per-transaction bracket from 1,000.00) at 2% + flat 5.00 per transaction" in en
    )
    assert "No next step for the period: each transaction reaches its own bracket" in en
    assert "按单计返：每笔销售、退货按自身金额单独计档" in zh
    assert "（单笔自 1,000.00 起的档位） 按 2% + 固定 5.00（每笔）" in zh
    assert "按单计档：本期没有统一的下一档" in zh
    assert RebateResult.model_validate_json(r.model_dump_json()) == r


def test_compute_rebate_tiers_its_basis_as_one_transaction() -> None:
    r = compute_rebate(policy(), 3_000)
    assert (r.per, r.amount.amount) == (SettleUnit.PERIOD, 65)  # 3,000 x 2% + 5


def test_settle_all_equals_settle() -> None:
    txs = [*SALES, tx("sale", 4_000, partner="D2"), tx("return", 100, partner="D3")]
    out = settle_all(policy(), txs, Q3)
    assert list(out) == ["D1", "D2", "D3"]
    for pid, s in out.items():
        assert s == settle(policy(), txs, Q3, partner_id=pid)
    assert out["D2"].result.amount.amount == 85  # 4,000 x 2% + 5
    assert out["D3"].basis == -100
    assert out["D3"].result.amount.amount == 0


# -- properties ------------------------------------------------------------------------------------

MODES = st.sampled_from([TierMode.GRADUATED, TierMode.VOLUME, TierMode.FLAT])
AMOUNTS = amounts(min_value=D("0.01"), max_value=10**6, places=2)


@st.composite
def rows(draw: st.DrawFn) -> list[Transaction]:
    out = []
    for kind, amount, units in draw(
        st.lists(
            st.tuples(st.sampled_from(["sale", "sale", "return"]), AMOUNTS, st.integers(0, 50)),
            max_size=12,
        )
    ):
        out.append(tx(kind, amount, units))  # type: ignore[arg-type]
    return out


@given(
    bracket_ladders(max_value=10**6),
    MODES,
    st.sampled_from(["net_sales", "gross_sales", "units"]),
    st.booleans(),
    rows(),
)
def test_lines_sum_to_the_transactions_rebates(
    ladder: tuple[Bracket, ...], mode: TierMode, basis: str, negative: bool, txs: list[Transaction]
) -> None:
    p = policy(brackets=ladder, mode=mode, basis=basis, allow_negative=negative)
    s = settle(p, txs, Q3, partner_id="D1")
    r = s.result
    zero = Money.zero("CNY")
    lines = sum((ln.amount for ln in r.lines), zero)
    assert lines == r.gross.rounded(p.rounding)
    assert lines + sum((a.amount for a in r.adjustments), zero) == r.amount
    if s.basis >= 0:
        # the exact gross is the sum of each transaction's own rebate, returns subtracted
        expected = Decimal(0)
        for t in txs:
            if t.kind == "return" and basis == "gross_sales":
                continue
            own = t.quantity if basis == "units" else t.amount.amount
            one = compute_rebate(p.model_copy(update={"allow_negative": False}), own)
            expected += -one.gross.amount if t.kind == "return" else one.gross.amount
        assert r.gross.amount == expected
        assert r.amount.amount >= 0 or negative


@given(bracket_ladders(max_value=10**5), MODES, rows(), AMOUNTS)
def test_one_more_sale_never_lowers_the_rebate(
    ladder: tuple[Bracket, ...], mode: TierMode, txs: list[Transaction], extra: Decimal
) -> None:
    p = policy(brackets=ladder, mode=mode, cap=D(5_000))
    before = settle(p, txs, Q3, partner_id="D1").result.amount
    after = settle(p, [*txs, tx("sale", extra)], Q3, partner_id="D1").result.amount
    assert after >= before
