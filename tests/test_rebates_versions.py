"""PolicyVersions: dated terms, their rules, and settle / settle_all under them (issue #12)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
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
    PolicyVersions,
    RebateLine,
    RebatePolicy,
    Scope,
    Settlement,
    Tier,
    TierBenefits,
    Transaction,
    settle,
    settle_all,
)
from channelkit.rebates._fill import Part, fill, steps
from channelkit.testing import policy_versions

D = Decimal
Q3 = Period.quarter(2026, 3)
A = Period(dt.date(2026, 1, 1), dt.date(2026, 8, 15))  # in force in July and early August
B = Period(dt.date(2026, 8, 15), dt.date(2027, 1, 1))  # in force on Q3's last day
JUL, SEP = dt.date(2026, 7, 10), dt.date(2026, 9, 1)


def terms(
    valid: Period | None,
    rates: tuple[str, str] = ("0.02", "0.03"),
    flats: tuple[int, int] = (0, 0),
    **kw: Any,
) -> RebatePolicy:
    fields: dict[str, Any] = {
        "id": "L",
        "name": "Ladder",
        "currency": "CNY",
        "valid": valid,
        "brackets": (
            Bracket(start=0, rate=rates[0], flat=flats[0]),
            Bracket(start=50_000, rate=rates[1], flat=flats[1]),
        ),
    }
    fields.update(kw)
    return RebatePolicy(**fields)


def versions(a: dict[str, Any] | None = None, b: dict[str, Any] | None = None) -> PolicyVersions:
    """A: 2% then 3% from 50,000; B: 2.5% then 4% (unless told otherwise)."""
    first = {"rates": ("0.02", "0.03"), **(a or {})}
    second = {"rates": ("0.025", "0.04"), **(b or {})}
    return PolicyVersions(versions=(terms(A, **first), terms(B, **second)))


_n = iter(range(10**6))


def tx(
    kind: str, amount: int | str, day: dt.date, partner: str | None = "D1", **kw: Any
) -> Transaction:
    return Transaction(
        id=f"T{next(_n):05d}",
        partner_id=partner,
        date=day,
        kind=kind,  # type: ignore[arg-type]
        amount=Money(amount, kw.pop("currency", "CNY")),
        **kw,
    )


def lines(s: Settlement) -> list[tuple[int, Decimal, Decimal, Decimal, Decimal, Period | None]]:
    return [(x.index, x.start, x.end, x.rate, x.amount.amount, x.valid) for x in s.result.lines]


# -- the model -------------------------------------------------------------------------------------


def test_versions_union_lookup_and_shared_terms() -> None:
    v = versions()
    assert v.valid == Period(dt.date(2026, 1, 1), dt.date(2027, 1, 1))
    assert (v.id, v.currency, v.basis) == ("L", "CNY", "net_sales")
    assert v.index(dt.date(2026, 8, 14)) == 0
    assert v.index(dt.date(2026, 8, 15)) == 1
    assert v.index(dt.date(2027, 1, 1)) == -1
    assert v.index(dt.datetime(2026, 8, 15, 12)) == -1  # type: ignore[arg-type]
    assert v.at(dt.date(2026, 12, 31)).brackets[1].rate == D("0.04")
    with pytest.raises(ArgumentError, match=r"no version of policy L is in force on 2025-12-31"):
        v.at(dt.date(2025, 12, 31))
    with pytest.raises(ArgumentTypeError, match="day must be a date, not str"):
        v.at("2026-01-01")  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match="day must be a date, not datetime"):
        v.at(dt.datetime(2026, 1, 1))


def test_a_single_version_is_allowed() -> None:
    assert PolicyVersions(versions=(terms(A),)).valid == A


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: (), "at least 1 item"),
        (lambda: (terms(A), terms(None)), r"versions\[1\]\.valid must be set"),
        (
            lambda: (terms(B), terms(A)),
            r"versions must be in date order: versions\[1\]\.valid \(2026-01-01\.\.2026-08-15\)",
        ),
        (
            lambda: (terms(A), terms(Period(dt.date(2026, 8, 1), dt.date(2027, 1, 1)))),
            r"versions\[1\]\.valid \(2026-08-01\.\.2027-01-01\) overlaps versions\[0\]\.valid",
        ),
        (
            lambda: (terms(A), terms(A)),
            r"versions\[1\]\.valid \(2026-01-01\.\.2026-08-15\) overlaps",
        ),
        (
            lambda: (terms(A), terms(Period(dt.date(2026, 9, 1), dt.date(2027, 1, 1)))),
            r"versions\[1\]\.valid \(2026-09-01\.\.2027-01-01\) does not start where "
            r"versions\[0\]\.valid \(2026-01-01\.\.2026-08-15\) ends",
        ),
        (
            lambda: (terms(A), terms(B, threshold=1_000)),
            r"versions\[1\]\.threshold \(1000\) differs from versions\[0\]\.threshold \(None\): "
            "versions may differ only in the brackets' rate and flat and in cap",
        ),
        (
            lambda: (terms(A), terms(B, name="Other")),
            r"versions\[1\]\.name \(Other\) differs from versions\[0\]\.name \(Ladder\)",
        ),
        (
            lambda: (terms(A), terms(B, scope=Scope(skus=frozenset({"A"})))),
            r"versions\[1\]\.scope differs from versions\[0\]\.scope:",
        ),
        (
            lambda: (terms(A), terms(B, brackets=(Bracket(start=0, rate="0.02"),))),
            r"versions\[1\]\.brackets has 1 brackets, versions\[0\]\.brackets has 2",
        ),
        (
            lambda: (
                terms(A),
                terms(B, brackets=(Bracket(start=0, rate=0), Bracket(start=60_000, rate=0))),
            ),
            r"versions\[1\]\.brackets\[1\]\.start \(60000\) differs from "
            r"versions\[0\]\.brackets\[1\]\.start \(50000\)",
        ),
        (
            lambda: (terms(A, basis="incremental"),),
            r"versions\[0\]\.basis is incremental: versions need one of collections, "
            "gross_sales, net_sales, units",
        ),
    ],
)
def test_invalid_versions_name_the_field(build: Any, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        PolicyVersions(versions=build())


@pytest.mark.parametrize(
    ("field", "value"),
    [("tier_basis", "units"), ("per", "transaction"), ("allow_negative", True)],
)
def test_versions_refuse_what_they_do_not_support(field: str, value: object) -> None:
    if field not in RebatePolicy.model_fields:  # pragma: no cover - before #12 part 1 lands
        pytest.skip(f"RebatePolicy has no {field} yet")
    mode = "volume" if field == "tier_basis" else "graduated"
    with pytest.raises(ValidationError, match=rf"versions\[0\]\.{field} is .*: versions do not"):
        PolicyVersions(versions=(terms(A, mode=mode, **{field: value}),))


def test_rate_flat_and_cap_may_differ() -> None:
    v = versions(a={"cap": 10, "flats": (0, 5)}, b={"cap": None, "flats": (1, 0)})
    assert [p.cap for p in v.versions] == [D(10), None]


@given(policy_versions())
def test_versions_round_trip_through_json(v: PolicyVersions) -> None:
    assert PolicyVersions.model_validate_json(v.model_dump_json()) == v
    for before, after in itertools.pairwise(v.versions):
        assert before.valid is not None
        assert after.valid is not None
        assert before.valid.end == after.valid.start


# -- the fill, by hand -----------------------------------------------------------------------------


def test_graduated_slices_earn_the_version_in_force_when_filled() -> None:
    txs = [
        tx("sale", 40_000, JUL),
        tx("sale", 30_000, SEP),
        tx("return", 5_000, dt.date(2026, 9, 20)),
    ]
    s = settle(versions(), txs, Q3, partner_id="D1")
    # fill: A [0, 40k), B [40k, 70k); the return unfills B's top: B [40k, 65k)
    # 40,000 x 2% = 800; 10,000 x 2.5% = 250; 15,000 x 4% = 600; total 1,650
    assert s.basis == D(65_000)
    assert lines(s) == [
        (0, D(0), D(40_000), D("0.02"), D(800), A),
        (0, D(40_000), D(50_000), D("0.025"), D(250), B),
        (1, D(50_000), D(65_000), D("0.04"), D(600), B),
    ]
    assert s.result.amount == Money(1650, "CNY")
    assert s.payable == Money(1650, "CNY")
    assert (s.gross_sales, s.returns) == (Money(70_000, "CNY"), Money(5_000, "CNY"))


def test_a_return_unfills_last_filled_first_at_the_filled_rates() -> None:
    txs = [tx("sale", 40_000, JUL), tx("sale", 20_000, SEP), tx("return", 30_000, SEP)]
    s = settle(versions(), txs, Q3, partner_id="D1")
    # A [0, 40k), B [40k, 60k); the return takes B's 20,000 then 10,000 of A: A [0, 30k)
    # 30,000 x 2% = 600 (B's rates no longer apply to anything)
    assert lines(s) == [(0, D(0), D(30_000), D("0.02"), D(600), A)]
    assert s.result.amount.amount == D(600)


def test_the_fill_goes_below_zero_and_sales_refill_that_part_for_nothing() -> None:
    txs = [tx("return", 10_000, dt.date(2026, 7, 5)), tx("sale", 30_000, SEP)]
    s = settle(versions(), txs, Q3, partner_id="D1")
    # level -10,000 after the return; the sale refills 10,000 for nothing, then B [0, 20k)
    # 20,000 x 2.5% = 500
    assert s.basis == D(20_000)
    assert lines(s) == [(0, D(0), D(20_000), D("0.025"), D(500), B)]


def test_refilling_after_a_return_extends_the_version_s_one_part() -> None:
    txs = [
        tx("sale", 10_000, JUL),
        tx("sale", 10_000, SEP),
        tx("return", 5_000, SEP),
        tx("sale", 5_000, dt.date(2026, 9, 2)),
    ]
    s = settle(versions(), txs, Q3, partner_id="D1")
    # A [0, 10k) = 200; B [10k, 20k) = 250 (one line per version and bracket)
    assert lines(s) == [
        (0, D(0), D(10_000), D("0.02"), D(200), A),
        (0, D(10_000), D(20_000), D("0.025"), D(250), B),
    ]


def test_fill_order_is_date_then_id_then_input_order() -> None:
    from channelkit.transactions import TransactionKind as K

    day = dt.date(2026, 9, 1)
    starts = [A.start, B.start]
    net = versions().basis
    early = dt.date(2026, 7, 1)
    same_day = [
        (day, "T2", K.RETURN, D(5), D(0)),
        (day, "T1", K.SALE, D(20), D(0)),
        (early, "T9", K.SALE, D(7), D(0)),
        (early, "T8", K.PAYMENT, D(99), D(0)),  # adds nothing to net sales: no step
    ]
    # T9 (an earlier date, under A) first, then T1 before T2 (same day, id order), under B
    assert steps(same_day, net, starts) == [(0, D(7)), (1, D(20)), (1, D(-5))]
    twice = [(day, "T1", K.RETURN, D(5), D(0)), (day, "T1", K.SALE, D(20), D(0))]
    assert steps(twice, net, starts) == [(1, D(-5)), (1, D(20))]  # the same id: input order
    # A fills [0, 10), B [10, 20); taking 15 empties B and 5 of A: A keeps [0, 5)
    assert fill([(0, D(10)), (1, D(10)), (1, D(-15))]) == [Part(D(0), D(5), 0)]
    # 5 below zero; B's 20 refills those 5 for nothing and fills [0, 15)
    assert fill([(0, D(-5)), (1, D(20))]) == [Part(D(0), D(15), 1)]


def test_volume_prices_each_version_s_part_at_the_reached_bracket() -> None:
    v = versions(a={"mode": "volume"}, b={"mode": "volume"})
    s = settle(v, [tx("sale", 30_000, JUL), tx("sale", 30_000, SEP)], Q3, partner_id="D1")
    # 60,000 reaches bracket 1: 30,000 x 3% (A) + 30,000 x 4% (B) = 900 + 1,200 = 2,100
    assert lines(s) == [
        (1, D(0), D(30_000), D("0.03"), D(900), A),
        (1, D(30_000), D(60_000), D("0.04"), D(1200), B),
    ]
    low = settle(v, [tx("sale", 20_000, JUL), tx("sale", 20_000, SEP)], Q3, partner_id="D1")
    # 40,000 stays in bracket 0: 20,000 x 2% + 20,000 x 2.5% = 400 + 500 = 900
    assert low.result.amount.amount == D(900)
    explained = s.explain()
    assert "0.00 - 30,000.00 at 3% (terms of 2026-01-01..2026-08-15) = 900.00" in explained
    assert "30,000.00 - 60,000.00 按 4%（2026-08-15..2027-01-01 版条款）" in s.explain("zh")


def test_flat_uses_the_first_bracket_of_each_version() -> None:
    v = versions(a={"mode": "flat"}, b={"mode": "flat"})
    s = settle(v, [tx("sale", 30_000, JUL), tx("sale", 30_000, SEP)], Q3, partner_id="D1")
    # 30,000 x 2% + 30,000 x 2.5% = 600 + 750 = 1,350 (bracket 1 is ignored, as for a policy)
    assert s.result.amount.amount == D(1350)
    assert {line.index for line in s.result.lines} == {0}


def test_flats_and_cap_come_from_the_version_in_force_on_the_last_day() -> None:
    v = versions(a={"flats": (0, 100), "cap": 1_000}, b={"flats": (0, 300), "cap": 1_500})
    s = settle(v, [tx("sale", 40_000, JUL), tx("sale", 30_000, SEP)], Q3, partner_id="D1")
    # 800 (A) + 250 (B) + 20,000 x 4% + B's flat 300 = 2,150 gross; B's cap 1,500
    assert s.result.gross == Money(2150, "CNY")
    assert s.result.lines[-1].flat == Money(300, "CNY")
    assert [a.amount.amount for a in s.result.adjustments] == [D(-650)]
    assert s.result.amount.amount == D(1500)
    before_b = settle(v, [tx("sale", 70_000, JUL)], Period.month(2026, 7), partner_id="D1")
    # in July A is in force throughout: 1,000 + 20,000 x 3% + 100 = 1,700, capped at 1,000
    assert before_b.result.amount.amount == D(1000)


def test_a_flat_the_last_version_did_not_fill_sits_on_an_empty_line() -> None:
    v = versions(b={"flats": (50, 0)})
    s = settle(v, [tx("sale", 40_000, JUL)], Q3, partner_id="D1")
    # A filled [0, 40k) = 800; B (in force on 30 September) pays bracket 0's flat of 50
    assert lines(s) == [
        (0, D(0), D(40_000), D("0.02"), D(800), A),
        (0, D(40_000), D(40_000), D("0.025"), D(50), B),
    ]
    assert s.result.lines[1].slice == 0
    assert s.result.amount.amount == D(850)


def test_a_basis_at_a_start_reaches_it_with_an_empty_line() -> None:
    s = settle(versions(), [tx("sale", 50_000, JUL)], Q3, partner_id="D1")
    # REACH: 50,000 x 2% = 1,000 and an empty line of bracket 1 (as a policy gives)
    assert lines(s) == [
        (0, D(0), D(50_000), D("0.02"), D(1000), A),
        (1, D(50_000), D(50_000), D("0.04"), D(0), B),
    ]
    exceed = versions(a={"boundary": "exceed"}, b={"boundary": "exceed"})
    assert len(settle(exceed, [tx("sale", 50_000, JUL)], Q3, partner_id="D1").result.lines) == 1


@pytest.mark.parametrize(
    ("basis", "rates", "txs", "expected_basis", "expected"),
    [
        # units: 10 sold in July at 1/unit; 5 sold in September at 2/unit, 3 returned: B [10, 12)
        # 10 x 1 + 2 x 2 = 14
        (
            "units",
            (("1", "1"), ("2", "2")),
            [("sale", 1_000, JUL, 10), ("sale", 500, SEP, 5), ("return", 300, SEP, 3)],
            D(12),
            D(14),
        ),
        # collections: payments fill, sales do not: 10,000 x 2% + 10,000 x 2.5% = 450
        (
            "collections",
            (("0.02", "0.03"), ("0.025", "0.04")),
            [("payment", 10_000, JUL, 0), ("payment", 10_000, SEP, 0), ("sale", 9_999, SEP, 1)],
            D(20_000),
            D(450),
        ),
        # gross sales: a return takes nothing back: 10,000 x 2% + 10,000 x 2.5% = 450
        (
            "gross_sales",
            (("0.02", "0.03"), ("0.025", "0.04")),
            [("sale", 10_000, JUL, 1), ("sale", 10_000, SEP, 1), ("return", 5_000, SEP, 1)],
            D(20_000),
            D(450),
        ),
    ],
)
def test_other_bases(
    basis: str,
    rates: tuple[tuple[str, str], tuple[str, str]],
    txs: list[tuple[str, int, dt.date, int]],
    expected_basis: Decimal,
    expected: Decimal,
) -> None:
    v = versions(a={"basis": basis, "rates": rates[0]}, b={"basis": basis, "rates": rates[1]})
    rows = [tx(k, amount, day, quantity=q) for k, amount, day, q in txs]
    s = settle(v, rows, Q3, partner_id="D1")
    assert (s.basis, s.result.amount.amount) == (expected_basis, expected)


def test_threshold_negative_basis_and_no_transactions_earn_nothing() -> None:
    high = versions(a={"threshold": 100_000}, b={"threshold": 100_000})
    s = settle(high, [tx("sale", 70_000, JUL)], Q3, partner_id="D1")
    assert (s.result.lines, s.result.amount.amount) == ((), D(0))
    assert s.result.next_bracket is not None
    assert s.result.next_bracket.start == D(100_000)
    neg = settle(versions(), [tx("return", 1_000, JUL)], Q3, partner_id="D1")
    assert (neg.basis, neg.result.lines, neg.result.amount.amount) == (D(-1_000), (), D(0))
    nothing = settle(versions(), [], Q3, partner_id="D1")
    assert nothing.basis == 0
    assert nothing.result.lines[0].slice == 0


def test_conditions_tier_and_payout_apply_to_the_versioned_gross() -> None:
    cond = Condition(metric="collection_rate", minimum="0.9", factor="0.5")
    v = versions(a={"conditions": (cond,)}, b={"conditions": (cond,)})
    gold = Tier(code="GOLD", name="Gold", rank=1, benefits=TierBenefits(rebate_multiplier="1.2"))
    txs = [tx("sale", 40_000, JUL), tx("sale", 30_000, SEP), tx("return", 5_000, SEP)]
    s = settle(v, txs, Q3, partner_id="D1", metrics={"collection_rate": "0.8"}, tier=gold)
    # 1,650 x 0.5 = 825; x 1.2 = 990
    assert [a.amount.amount for a in s.result.adjustments] == [D(-825), D(165)]
    assert s.result.amount.amount == D(990)
    with pytest.raises(PolicyError, match="collection_rate"):
        settle(v, txs, Q3, partner_id="D1")


def test_a_scorecard_payout_applies() -> None:
    from channelkit import Metric, PayoutStep, Scorecard

    card = Scorecard(metrics=(Metric(key="nps", weight=1, target=10),))
    steps = (PayoutStep(min_score=50, factor="1.5"),)
    v = versions(a={"scorecard": card, "payout": steps}, b={"scorecard": card, "payout": steps})
    s = settle(v, [tx("sale", 10_000, JUL)], Q3, partner_id="D1", metrics={"nps": 10})
    # 10,000 x 2% = 200, score 100 >= 50: x 1.5 = 300
    assert s.result.score == D(100)
    assert s.result.amount.amount == D(300)


def test_advances_and_settle_all() -> None:
    txs = [tx("sale", 40_000, JUL), tx("sale", 10_000, SEP, partner="D2"), tx("sale", 1, JUL, None)]
    one = settle(versions(), txs, Q3, partner_id="D1", advances=Money(300, "CNY"))
    assert one.payable == Money(500, "CNY")  # 800 - 300
    everyone = settle_all(versions(), txs, Q3, advances={"D1": 300})
    assert list(everyone) == ["D1", "D2"]
    assert everyone["D1"] == one
    assert everyone["D2"].result.amount == Money(250, "CNY")  # 10,000 x 2.5%
    assert settle(versions(), txs, Q3, partner_id="D9").basis == 0
    with pytest.raises(ArgumentError, match=r"advances\['D2'\] must not be negative"):
        settle_all(versions(), txs, Q3, advances={"D2": -1})
    with pytest.raises(ArgumentTypeError, match="tiers must be a mapping"):
        settle_all(versions(), txs, Q3, tiers=[])  # type: ignore[arg-type]


def test_the_union_of_the_versions_must_contain_the_period() -> None:
    with pytest.raises(PolicyError, match=r"valid for 2026-01-01\.\.2027-01-01, which does not"):
        settle(versions(), [], Period.quarter(2027, 1), partner_id="D1")
    with pytest.raises(PolicyError, match="does not contain the settlement period"):
        settle_all(versions(), [], Period(dt.date(2025, 12, 1), dt.date(2026, 2, 1)))


def test_wrong_arguments_are_named() -> None:
    v = versions()
    with pytest.raises(PolicyError, match=r"a baseline .* applies only to an incremental basis"):
        settle(v, [], Q3, partner_id="D1", baseline=1)
    with pytest.raises(CurrencyMismatchError, match="transaction"):
        settle(v, [tx("sale", 1, JUL, currency="USD")], Q3, partner_id="D1")
    assert settle(v, [tx("sale", 1, JUL, partner="D2", currency="USD")], Q3, partner_id="D1")
    with pytest.raises(ArgumentTypeError, match="transactions must be an iterable"):
        settle(v, "T1", Q3, partner_id="D1")  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match="transactions must hold Transaction"):
        settle(v, [1], Q3, partner_id="D1")  # type: ignore[list-item]
    with pytest.raises(ArgumentTypeError, match="period must be a Period"):
        settle(v, [], "2026Q3", partner_id="D1")  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match="partner_id must be a str"):
        settle(v, [], Q3, partner_id=None)  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match="partner_id must not be empty"):
        settle(v, [], Q3, partner_id=" ")


def test_scope_filters_as_for_a_policy() -> None:
    scope = Scope(skus=frozenset({"A"}))
    v = versions(a={"scope": scope}, b={"scope": scope})
    txs = [tx("sale", 10_000, JUL, sku="A"), tx("sale", 90_000, SEP, sku="B")]
    assert settle(v, txs, Q3, partner_id="D1").basis == D(10_000)


def test_a_versioned_settlement_reads_back_from_json_and_explains_itself() -> None:
    txs = [tx("sale", 40_000, JUL), tx("sale", 30_000, SEP)]
    s = settle(versions(b={"flats": (0, 20)}), txs, Q3, partner_id="D1")
    assert Settlement.model_validate_json(s.model_dump_json()) == s
    assert RebateLine.model_validate_json(s.result.lines[0].model_dump_json()).valid == A
    text = s.explain()
    assert "40,000.00 - 50,000.00 at 2.5% (terms of 2026-08-15..2027-01-01) = 250.00" in text
    assert "+ flat 20.00 (terms of 2026-08-15..2027-01-01)" in text
    assert "（2026-01-01..2026-08-15 版条款）" in s.explain("zh")


# -- properties ------------------------------------------------------------------------------------


@st.composite
def cases(
    draw: st.DrawFn, *, same_terms: bool = False
) -> tuple[PolicyVersions, Period, list[Transaction]]:
    """Versions, a settlement period inside their union, and transactions over it."""
    v = draw(policy_versions(same_terms=same_terms, max_size=3))
    union = v.valid
    first = draw(st.integers(min_value=0, max_value=union.days - 1))
    last = draw(st.integers(min_value=first + 1, max_value=union.days))
    period = Period(union.start + dt.timedelta(days=first), union.start + dt.timedelta(days=last))
    cur = v.currency
    places = 0 if cur == "JPY" else 2
    rows = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["sale", "sale", "return", "payment"]),
                st.integers(min_value=1, max_value=3_000_000).map(lambda n: D(n).scaleb(-places)),
                st.integers(min_value=-2, max_value=period.days + 1),
                st.integers(min_value=0, max_value=50),
                st.sampled_from(["D1", "D1", "D2", None]),
                st.sampled_from([None, "A", "B"]),
            ),
            max_size=12,
        )
    )
    txs = [
        Transaction(
            id=f"X{i:03d}",
            partner_id=pid,
            date=period.start + dt.timedelta(days=day),
            kind=kind,  # type: ignore[arg-type]
            amount=Money(amount, cur),
            quantity=D(0) if kind == "payment" else D(qty),
            sku=None if kind == "payment" else sku,
            territory="N",
            customer_id="C1",
        )
        for i, (kind, amount, day, qty, pid, sku) in enumerate(rows)
        if dt.date.min + dt.timedelta(days=3) < period.start + dt.timedelta(days=day)
    ]
    return v, period, txs


def _metrics(policy: RebatePolicy) -> dict[str, Decimal]:
    keys = [c.metric for c in policy.conditions]
    if policy.scorecard is not None:
        keys += [m.key for m in policy.scorecard.metrics]
    return dict.fromkeys(keys, D(1))


@given(cases(same_terms=True))
def test_versions_with_the_same_terms_settle_as_the_policy(case: Any) -> None:
    v, period, txs = case
    policy = v.versions[0].model_copy(update={"valid": None})
    metrics = _metrics(policy)
    mine = settle(v, txs, period, partner_id="D1", metrics=metrics)
    theirs = settle(policy, txs, period, partner_id="D1", metrics=metrics)
    assert mine.basis == theirs.basis
    assert mine.result.amount == theirs.result.amount
    assert mine.result.gross == theirs.result.gross
    assert mine.payable == theirs.payable
    assert mine.model_copy(update={"result": None}) == theirs.model_copy(update={"result": None})
    if len(v.versions) == 1:  # one version: the policy's lines, each with ``valid``...
        same = {"valid": None}
        if mine.result.mode != "graduated" and theirs.result.lines:  # ...VOLUME, FLAT from 0
            assert all(x.start == 0 for x in mine.result.lines)
            same = {"valid": None, "start": theirs.result.lines[0].start}
        assert [x.model_copy(update=same) for x in mine.result.lines] == list(theirs.result.lines)


@given(cases())
def test_lines_reconcile_and_each_version_fills_one_part(case: Any) -> None:
    v, period, txs = case
    s = settle(v, txs, period, partner_id="D1", metrics=_metrics(v.versions[0]))
    r = s.result
    total = sum((x.amount for x in r.lines), Money.zero(v.currency))
    adjustments = sum((a.amount for a in r.adjustments), Money.zero(v.currency))
    assert total + adjustments == r.amount
    assert total == r.gross.rounded(v.versions[-1].rounding) or not r.lines
    valid = [p.valid for p in v.versions]
    for x in r.lines:
        assert x.valid in valid
        assert x.slice == x.end - x.start >= 0
        assert x.rate == v.versions[valid.index(x.valid)].brackets[x.index].rate
    # bracket by bracket, the versions' parts are contiguous and in version order
    for j in {x.index for x in r.lines}:
        parts = [x for x in r.lines if x.index == j]
        assert all(a.end == b.start for a, b in itertools.pairwise(parts))
        assert [valid.index(x.valid) for x in parts] == sorted(valid.index(x.valid) for x in parts)
    filled = sum((x.slice for x in r.lines), D(0))
    if r.lines and r.mode != "graduated":
        assert filled == s.basis
    if r.lines and r.mode == "graduated":
        assert filled == s.basis - v.versions[0].brackets[0].start


@given(cases())
def test_settle_all_gives_each_partner_s_settle(case: Any) -> None:
    v, period, txs = case
    metrics = _metrics(v.versions[0])
    everyone = settle_all(v, txs, period, metrics={"D1": metrics, "D2": metrics})
    for pid, s in everyone.items():
        assert s == settle(v, txs, period, partner_id=pid, metrics=metrics)


# -- tables ----------------------------------------------------------------------------------------


def test_a_table_settles_as_its_rows_do() -> None:
    pa = pytest.importorskip("pyarrow")
    from channelkit import frames

    txs = [
        tx("sale", 40_000, JUL, quantity=4),
        tx("sale", 30_000, SEP, quantity=3),
        tx("return", 5_000, dt.date(2026, 9, 20), quantity=1),
        tx("sale", 8_000, SEP, partner="D2"),
        tx("sale", 9, SEP, partner=None),
        tx("payment", 100, SEP),
    ]
    frame = frames.transactions(txs)
    table = frame.to_arrow()
    assert isinstance(table, pa.Table)
    v = versions()
    for data in (frame, table, table.drop_columns(["quantity"])):
        s = settle(v, data, Q3, partner_id="D1")
        assert s.result.amount == Money(1650, "CNY")
    assert settle(v, table, Q3, partner_id="D1") == settle(v, txs, Q3, partner_id="D1")
    assert settle_all(v, table, Q3) == settle_all(v, txs, Q3)
    units = versions(a={"basis": "units"}, b={"basis": "units"})
    no_units = [*txs, tx("sale", 5, SEP)]  # a sale of no units moves no unit basis
    assert settle(units, frames.transactions(no_units), Q3, partner_id="D1") == settle(
        units, no_units, Q3, partner_id="D1"
    )
    scope = Scope(skus=frozenset({"A"}))
    scoped = versions(a={"scope": scope}, b={"scope": scope})
    only = settle_all(scoped, table, Q3)
    assert only == settle_all(scoped, txs, Q3)
    assert list(only) == ["D1"]  # the payment alone: a SKU scope lets payments through
    assert only["D1"].basis == 0
    for basis in ("collections", "gross_sales"):  # bases that nothing takes back
        other = versions(a={"basis": basis}, b={"basis": basis})
        assert settle_all(other, table, Q3) == settle_all(other, txs, Q3)
    single = PolicyVersions(versions=(terms(Period.year(2026)),))
    assert settle_all(single, table, Q3) == settle_all(single, txs, Q3)
    # amounts stored at 25 places (more than 34 digits a value): read as a model holds them
    wide = table.set_column(
        table.schema.get_field_index("amount"),
        "amount",
        table.column("amount").cast(pa.decimal128(38, 25)),
    )
    assert settle_all(v, wide, Q3) == settle_all(v, txs, Q3)
    usd = frames.transactions([*txs, tx("sale", 1, SEP, currency="USD")])
    with pytest.raises(CurrencyMismatchError, match="transaction T"):
        settle(v, usd, Q3, partner_id="D1")


@given(cases())
def test_tables_equal_models(case: Any) -> None:
    pytest.importorskip("pyarrow")
    from channelkit import frames

    v, period, txs = case
    if not txs:
        return
    metrics = _metrics(v.versions[0])
    table = frames.transactions(txs).to_arrow()
    assert settle(v, table, period, partner_id="D1", metrics=metrics) == settle(
        v, txs, period, partner_id="D1", metrics=metrics
    )
    by = {"D1": metrics, "D2": metrics}
    assert settle_all(v, table, period, metrics=by) == settle_all(v, txs, period, metrics=by)
