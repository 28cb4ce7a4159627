"""Hostile input to the rebate calculators (issue #10): types, bounds, signals, the cache."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from channelkit import (
    Accrual,
    ArgumentError,
    ArgumentTypeError,
    Boundary,
    Bracket,
    Condition,
    CurrencyMismatchError,
    Metric,
    MissingMetric,
    Money,
    PayoutStep,
    Period,
    PolicyError,
    RebatePolicy,
    RebateResult,
    Scorecard,
    Settlement,
    Tier,
    TierBenefits,
    TierMode,
    Transaction,
    accrue,
    compute_rebate,
    rebate_amounts,
    settle,
    settle_all,
)
from channelkit.errors import ChannelkitError
from channelkit.numeric import MAX_DIGITS, MAX_MAGNITUDE, to_decimal
from channelkit.rebates import plan as plans
from channelkit.rebates.plan import FENCE, MAX_PLANS, SMALLEST, TOP, plan_of
from channelkit.testing import rebate_policies

D = Decimal
Q3 = Period.quarter(2026, 3)
LADDER = (Bracket(start=10_000, rate="0.02"), Bracket(start=50_000, rate="0.03"))
M = D("999999999999999.9999999999999999999")  # the largest valid input (34 digits)
GOLD = Tier(code="GOLD", name="Gold", rank=1, benefits=TierBenefits(rebate_multiplier="1.5"))
CARD = Scorecard(metrics=(Metric(key="sales", weight=1, target=100),))


def policy(**kw: Any) -> RebatePolicy:
    fields: dict[str, Any] = {"id": "LADDER", "name": "Ladder", "currency": "CNY"}
    fields["brackets"] = LADDER
    fields.update(kw)
    return RebatePolicy(**fields)


_n = iter(range(10**6))


def tx(amount: Any, kind: str = "sale", partner: str | None = "D1") -> Transaction:
    return Transaction(
        id=f"T{next(_n)}",
        partner_id=partner,
        date=dt.date(2026, 8, 1),
        kind=kind,  # type: ignore[arg-type]
        amount=Money(amount, "CNY"),
    )


TXS = [tx(60_000), tx(20_000, partner="D2")]


# -- argument types: an ArgumentTypeError (a TypeError) naming the argument, never AttributeError


CALLS: dict[str, Callable[[Any], object]] = {
    "compute_rebate": lambda p: compute_rebate(p, 100),
    "rebate_amounts": lambda p: rebate_amounts(p, [D(100)]),
    "settle": lambda p: settle(p, TXS, Q3, partner_id="D1"),
    "settle_all": lambda p: settle_all(p, TXS, Q3),
    "accrue": lambda p: accrue(p, 100, projected_basis=200),
}


@pytest.mark.parametrize("call", list(CALLS))
@pytest.mark.parametrize("bad", [{"id": "P"}, None, "LADDER", LADDER[0]])
def test_policy_of_the_wrong_type(call: str, bad: object) -> None:
    with pytest.raises(ArgumentTypeError, match="policy must be a RebatePolicy") as err:
        CALLS[call](bad)
    assert isinstance(err.value, TypeError)
    assert (err.value.argument, err.value.value) == ("policy", bad)


@pytest.mark.parametrize("bad", [None, 7, b"D1", ("D1",)])
def test_settle_partner_id_must_be_a_str(bad: object) -> None:
    # settle(partner_id=None) used to return an empty settlement
    with pytest.raises(ArgumentTypeError, match="partner_id must be a str") as err:
        settle(policy(), TXS, Q3, partner_id=bad)  # type: ignore[arg-type]
    assert err.value.argument == "partner_id"


@pytest.mark.parametrize("bad", ["", "   ", "\t\n"])
def test_settle_partner_id_must_not_be_blank(bad: str) -> None:
    with pytest.raises(ArgumentError, match="partner_id must not be empty or blank") as err:
        settle(policy(), TXS, Q3, partner_id=bad)
    assert not isinstance(err.value, TypeError)


@pytest.mark.parametrize("call", ["settle", "settle_all"])
@pytest.mark.parametrize(
    "bad", [5, None, "T1", b"T1", TXS[0], [TXS[0], {"id": "T2"}], [None], [Money(1, "CNY")]]
)
def test_transactions_must_be_transactions(call: str, bad: object) -> None:
    run: Callable[[], object] = (
        (lambda: settle(policy(), bad, Q3, partner_id="D1"))  # type: ignore[arg-type]
        if call == "settle"
        else (lambda: settle_all(policy(), bad, Q3))  # type: ignore[arg-type]
    )
    with pytest.raises(ArgumentTypeError, match="transactions must") as err:
        run()
    assert err.value.argument == "transactions"


@pytest.mark.parametrize(
    "bad", ["2026-Q3", None, {"start": dt.date(2026, 7, 1), "end": dt.date(2026, 10, 1)}]
)
def test_period_must_be_a_period(bad: object) -> None:
    with pytest.raises(ArgumentTypeError, match="period must be a Period") as err:
        settle(policy(), TXS, bad, partner_id="D1")  # type: ignore[arg-type]
    assert err.value.argument == "period"
    with pytest.raises(ArgumentTypeError, match="period must be a Period"):
        settle_all(policy(), TXS, bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [[("collection_rate", 1)], "collection_rate", 5, D(1)])
def test_metrics_must_be_a_mapping(bad: object) -> None:
    p = policy(conditions=(Condition(metric="collection_rate", minimum="0.9"),))
    with pytest.raises(ArgumentTypeError, match="metrics must be a mapping") as err:
        compute_rebate(p, 100, metrics=bad)  # type: ignore[arg-type]
    assert err.value.argument == "metrics"
    with pytest.raises(ArgumentTypeError, match="metrics must be a mapping"):
        accrue(p, 100, projected_basis=100, metrics=bad)  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match="metrics must be a mapping"):
        settle(p, TXS, Q3, partner_id="D1", metrics=bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [{"code": "GOLD"}, "GOLD", GOLD.benefits])
def test_tier_must_be_a_tier(bad: object) -> None:
    with pytest.raises(ArgumentTypeError, match="tier must be a Tier or None") as err:
        compute_rebate(policy(), 100, tier=bad)  # type: ignore[arg-type]
    assert err.value.argument == "tier"
    with pytest.raises(ArgumentTypeError, match="tier must be a Tier"):
        settle(policy(), TXS, Q3, partner_id="D1", tier=bad)  # type: ignore[arg-type]


def test_settle_all_options_are_mappings_named_by_partner() -> None:
    p = policy(basis="incremental")
    with pytest.raises(ArgumentTypeError, match="metrics must be a mapping keyed by partner"):
        settle_all(p, TXS, Q3, metrics=[{"x": 1}])  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match="baselines must be a mapping") as err:
        settle_all(p, TXS, Q3, baselines=[0, 0])  # type: ignore[arg-type]
    assert err.value.argument == "baselines"
    with pytest.raises(ArgumentTypeError, match=r"tiers\['D1'\] must be a Tier") as err:
        settle_all(p, TXS, Q3, tiers={"D1": "GOLD"}, baselines={"D1": 0, "D2": 0})  # type: ignore[dict-item]
    assert err.value.argument == "tiers['D1']"
    with pytest.raises(ArgumentTypeError, match=r"metrics\['D2'\] must be a mapping"):
        settle_all(p, TXS, Q3, metrics={"D2": 5}, baselines={"D1": 0, "D2": 0})  # type: ignore[dict-item]
    with pytest.raises(ArgumentTypeError, match=r"advances\['D1'\] must not be a float"):
        settle_all(p, TXS, Q3, advances={"D1": 0.5}, baselines={"D1": 0, "D2": 0})  # type: ignore[dict-item]
    with pytest.raises(CurrencyMismatchError, match=r"baselines\['D2'\]"):
        settle_all(p, TXS, Q3, baselines={"D1": 0, "D2": Money(1, "USD")})


@pytest.mark.parametrize("bad", [5, None, "123", b"1", Money(1, "CNY")])
def test_rebate_amounts_bases_must_be_an_iterable_of_bases(bad: object) -> None:
    # a str would be read digit by digit: refused like any other non-iterable
    with pytest.raises(ArgumentTypeError, match="bases must be an iterable") as err:
        rebate_amounts(policy(), bad)  # type: ignore[arg-type]
    assert err.value.argument == "bases"


def test_rebate_amounts_names_the_bad_item() -> None:
    with pytest.raises(ArgumentTypeError, match=r"bases\[2\] must not be a float") as err:
        rebate_amounts(policy(), [D(1), 2, 0.5])
    assert err.value.argument == "bases[2]"
    with pytest.raises(ArgumentError, match=r"bases\[1\] is too large"):
        rebate_amounts(policy(), (b for b in [D(1), D("1e999999999")]))


def test_accrue_argument_types() -> None:
    with pytest.raises(ArgumentTypeError, match="projected_basis must be a Decimal"):
        accrue(policy(), 100, projected_basis=None)  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match="basis_to_date must not be a float"):
        accrue(policy(), 0.5, projected_basis=1)  # type: ignore[arg-type]


# -- PolicyError says which policy and which metric -----------------------------------------------


def test_policy_errors_carry_the_policy_and_the_metric() -> None:
    p = policy(conditions=(Condition(metric="collection_rate", minimum="0.9"),))
    with pytest.raises(PolicyError, match="collection_rate") as err:
        compute_rebate(p, 120_000, metrics={"growth": 1})
    assert (err.value.policy, err.value.metric) == ("LADDER", "collection_rate")
    with pytest.raises(PolicyError, match=r"metrics\['D2'\]: collection_rate") as err:
        settle_all(p, TXS, Q3, metrics={"D1": {"collection_rate": 1}})
    assert (err.value.policy, err.value.metric) == ("LADDER", "collection_rate")
    strict = policy(
        scorecard=CARD.model_copy(update={"missing": MissingMetric.RAISE}),
        payout=(PayoutStep(min_score=0, factor=1),),
    )
    with pytest.raises(PolicyError, match=r"policy LADDER: .*sales") as err:
        compute_rebate(strict, 120_000)
    assert (err.value.policy, err.value.metric) == ("LADDER", "sales")


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: compute_rebate(policy(), -1), "basis must not be negative"),
        (lambda: compute_rebate(policy(basis="units"), Money(1, "CNY")), "units basis"),
        (lambda: rebate_amounts(policy(), [D(1), D(-1)]), r"bases\[1\] must not be negative"),
        (
            lambda: rebate_amounts(policy(conditions=(Condition(metric="x", minimum=1),)), []),
            "conditions or payout",
        ),
        (
            lambda: settle(policy(valid=Period.year(2025)), TXS, Q3, partner_id="D1"),
            "does not contain the settlement period",
        ),
        (
            lambda: settle(policy(basis="incremental"), TXS, Q3, partner_id="D1"),
            "pass the baseline",
        ),
        (
            lambda: settle(policy(), TXS, Q3, partner_id="D1", baseline=0),
            "applies only to an incremental basis",
        ),
    ],
)
def test_every_policy_error_names_its_policy(call: Callable[[], object], match: str) -> None:
    with pytest.raises(PolicyError, match=match) as err:
        call()
    assert (err.value.policy, err.value.metric) == ("LADDER", None)


# -- totals that cannot be rounded: a PolicyError, never a decimal signal --------------------------


def test_condition_factors_that_overflow_before_the_cap() -> None:
    huge = D(10) ** 14
    p = policy(
        cap=5_000,
        conditions=tuple(Condition(metric=m, minimum=1, factor=huge) for m in "abc"),
    )
    metrics = {"a": 0, "b": 0, "c": 0}
    # gross 40,000 x 2% + 10,000 x 3% = 1,100; x 1e14 x 1e14 = 1.1e31 (34 digits at the fen);
    # x 1e14 again is 1.1e45, which no 34-digit amount holds to the fen: refused before the cap
    with pytest.raises(PolicyError, match=r"after its condition adjustment .* 34 digits") as err:
        compute_rebate(p, 60_000, metrics=metrics)
    assert err.value.policy == "LADDER"
    with pytest.raises(PolicyError, match="after its condition adjustment"):
        settle(p, TXS, Q3, partner_id="D1", metrics=metrics)
    two = p.model_copy(update={"conditions": p.conditions[:2]})
    r = compute_rebate(two, 60_000, metrics=metrics)
    assert [a.amount.amount for a in r.adjustments] == [
        D("109999999999998900.00"),  # 1.1e17 - 1,100
        D("10999999999999890000000000000000.00"),  # 1.1e31 - 1.1e17
        D("-10999999999999999999999999995000.00"),  # the cap: 5,000 - 1.1e31
    ]
    assert r.amount == Money("5000.00", "CNY")
    assert RebateResult.model_validate_json(r.model_dump_json()) == r
    assert "capped at 5,000 = -10,999,999,999,999,999,999,999,999,995,000.00" in r.explain()
    giant = Tier(code="G", name="G", rank=1, benefits=TierBenefits(rebate_multiplier=M))
    with pytest.raises(PolicyError, match="after its tier adjustment"):
        compute_rebate(two, 60_000, metrics=metrics, tier=giant)
    payout = policy(scorecard=CARD, payout=(PayoutStep(min_score=0, factor=M),))
    with pytest.raises(PolicyError, match="after its payout adjustment"):
        compute_rebate(
            payout.model_copy(update={"conditions": two.conditions}), 60_000, metrics=metrics
        )


def test_a_gross_beyond_the_minor_unit_is_refused_by_both_paths() -> None:
    # gross = 3M (the first slice, two flats) + (M - 1) x M: about 1e30 + 1e15, 31 digits before
    # the point; in CNY (2 places) it rounds in 33 digits, in CLF (4 places) it would need 35
    brackets = (Bracket(start=0, rate=M, flat=M), Bracket(start=1, rate=M, flat=M))
    cny = policy(brackets=brackets)
    r = compute_rebate(cny, M)
    assert RebateResult.model_validate_json(r.model_dump_json()) == r
    assert rebate_amounts(cny, [M]) == [r.amount.amount]
    for extra in ({}, {"cap": 1}, {"mode": "volume"}):
        clf = policy(brackets=brackets, currency="CLF", **extra)
        with pytest.raises(PolicyError, match=r"the gross rebate .* minor unit of CLF") as err:
            compute_rebate(clf, M)
        with pytest.raises(PolicyError, match="the gross rebate") as batch:
            rebate_amounts(clf, [D(1), M])
        assert str(batch.value) == str(err.value)


def test_a_full_slice_too_large_to_round_is_not_prebuilt() -> None:
    # the first slice, 1e-34 to M at a rate near 1e15, is about 1e30: 35 digits in CLF (4
    # places), so its line cannot be prebuilt; a basis of 1 still pays M + (1 - 1e-34) x M
    p = policy(
        currency="CLF",
        brackets=(Bracket(start="1e-34", rate=M, flat=M), Bracket(start=M, rate=1)),
    )
    assert plan_of(p).full_lines == (None,)
    assert compute_rebate(p, 1).amount.amount == D("2000000000000000.0000")
    assert rebate_amounts(p, [D(1)]) == [D("2000000000000000.0000")]


def test_a_settlement_too_large_to_round_is_a_policy_error() -> None:
    p = policy(brackets=(Bracket(start=0, rate=M),))
    big = [tx(900_000_000_000_000) for _ in range(120)]
    # 120 x 9e14 = 1.08e17 at a rate near 1e15: about 1.08e32, 35 digits at the fen
    with pytest.raises(PolicyError, match="the gross rebate"):
        settle(p, big, Q3, partner_id="D1")
    with pytest.raises(PolicyError, match="the gross rebate"):
        settle_all(p, big, Q3)


def test_an_accrual_too_large_to_round_is_a_policy_error() -> None:
    p = policy(basis="units", brackets=(Bracket(start=0, rate=0, flat=900_000_000_000_000),))
    # at 1e-34 units the rebate is the flat 9e14: 9e48 per unit, x 1 unit to date
    with pytest.raises(PolicyError, match=r"the accrual is 9\.0+E\+48"):
        accrue(p, 1, projected_basis="1e-34")


# -- results are unbounded: they read back from their own JSON ------------------------------------


def test_a_settlement_over_two_large_sales_reads_back_from_its_json() -> None:
    p = policy(brackets=(Bracket(start=0, rate="0.02"),))
    txs = [tx(900_000_000_000_000), tx(900_000_000_000_000)]
    s = settle(p, txs, Q3, partner_id="D1")
    # 1.8e15 (above the input bound of 1e15) x 2% = 3.6e13
    assert s.gross_sales.amount == D(1_800_000_000_000_000)
    assert s.basis == D(1_800_000_000_000_000)
    assert s.payable == Money("36000000000000.00", "CNY")  # an input-sized amount
    assert Settlement.model_validate_json(s.model_dump_json()) == s
    assert settle_all(p, txs, Q3)["D1"] == s
    assert "sales 1,800,000,000,000,000.00" in s.explain()
    assert "1,800,000,000,000,000.00 - " not in s.explain()  # one bracket: 0.00 - 1.8e15
    assert "0.00 - 1,800,000,000,000,000.00 at 2% = 36,000,000,000,000.00" in s.explain()


def test_accrue_accepts_its_own_output() -> None:
    p = policy(basis="units", brackets=(Bracket(start=0, rate=0, flat=900_000_000_000_000),))
    a = accrue(p, 1, projected_basis="0.5")
    # the flat 9e14 over 0.5 units: 1.8e15 per unit, above the input bound; x 1 unit to date
    assert a.effective_rate == D(1_800_000_000_000_000)
    assert (a.amount.amount, a.amount.currency) == (D("1800000000000000.00"), "CNY")
    assert Accrual.model_validate_json(a.model_dump_json()) == a
    assert accrue(p, a.basis_to_date, projected_basis=a.projected_basis) == a
    assert "1 to date x 1,800,000,000,000,000.00 CNY/unit = 1,800,000,000,000,000.00" in (
        a.explain()
    )


def test_a_result_far_beyond_the_input_bounds_explains_itself() -> None:
    p = policy(brackets=(Bracket(start=0, rate=0, flat=900_000_000_000_000),))
    r = compute_rebate(p, "1e-34")
    # the flat 9e14 earned on a basis of 1e-34: an effective rate of 9e48 (9e50 %)
    assert r.effective_rate == D("9E+48")
    assert RebateResult.model_validate_json(r.model_dump_json()) == r
    assert "E+50%)" in r.explain()
    assert "E+50%）" in r.explain("zh")


EXTREME = st.sampled_from(
    [str(M), "999999999999999", "123456789012345.6789012345678901234", "1e-34", "1", "0", "0.5"]
).map(D)


@given(
    st.lists(st.tuples(EXTREME, EXTREME, EXTREME), min_size=1, max_size=4),
    EXTREME,
    st.sampled_from(["CLF", "CNY", "JPY", "KWD"]),
    st.sampled_from(TierMode),
    st.sampled_from(Boundary),
    st.none() | EXTREME,
    st.none() | EXTREME,
    st.sampled_from(["ROUND_HALF_UP", "ROUND_UP", "ROUND_DOWN", "ROUND_05UP"]),
)
def test_extreme_policies_agree_round_trip_and_explain(
    figures: list[tuple[Decimal, Decimal, Decimal]],
    basis: Decimal,
    currency: str,
    mode: TierMode,
    boundary: Boundary,
    threshold: Decimal | None,
    cap: Decimal | None,
    rounding: str,
) -> None:
    starts = sorted({start for start, _, _ in figures})
    brackets = tuple(
        Bracket(start=s, rate=r, flat=f) for s, (_, r, f) in zip(starts, figures, strict=False)
    )
    p = policy(
        currency=currency,
        mode=mode,
        boundary=boundary,
        brackets=brackets,
        threshold=threshold,
        cap=cap,
        rounding=rounding,
    )
    single = outcome(lambda: compute_rebate(p, basis).amount.amount)
    assert outcome(lambda: rebate_amounts(p, [D(0), basis])[1]) == single
    if single[0] == "ok":
        r = compute_rebate(p, basis)
        assert RebateResult.model_validate_json(r.model_dump_json()) == r
        assert f"{currency} (" in r.explain()
        assert f"{currency}（" in r.explain("zh")
    else:  # the only refusal of valid figures: a total beyond 34 digits at the minor unit
        assert single[0] == "PolicyError"
        assert "in 34 digits" in single[1]


# -- rebate_amounts refuses exactly what compute_rebate refuses -----------------------------------

HOSTILE = [
    "1e999999999",
    "-1e999999999",
    "1e-999999999",
    "-1e-999999999",
    "1e-35",
    "-1e-35",
    "1." + "0" * 34,  # 35 digits
    "1" * 35,
    "1" + "0" * 15,  # 10**15
    "-1",
    "NaN",
    "-NaN",
    "sNaN",
    "Infinity",
    "-Infinity",
    "0E+999999999",  # zeros with a far exponent read as 0
    "0E-999999999",
    "-0",
    "-0E-50",
    "0E+15",
    "0E-40",
    "1e-34",
    str(M),
    "10000",
    "50000",
    "60000.005",
]
VARIANTS = [
    {"mode": mode, "boundary": boundary, **extra}
    for mode in TierMode
    for boundary in Boundary
    for extra in (
        {},
        {"threshold": 50_000, "cap": 1_000},
        {"brackets": (Bracket(start=0, rate="0.01", flat=5), *LADDER[1:])},
    )
]


def outcome(call: Callable[[], Decimal]) -> tuple[str, str]:
    """What a call gives: its amount's exact text, or its error's type and message."""
    try:
        return ("ok", str(call()))
    except ChannelkitError as err:
        return (type(err).__name__, str(err).replace("bases[1]", "basis"))


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: "-".join(map(str, v.values()))[:40])
def test_rebate_amounts_refuses_exactly_what_compute_rebate_refuses(
    variant: dict[str, Any],
) -> None:
    p = policy(**variant)
    for text in HOSTILE:
        b = D(text)
        single = outcome(lambda b=b: compute_rebate(p, b).amount.amount)
        batch = outcome(lambda b=b: rebate_amounts(p, [D(70_000), b, D(60_000)])[1])
        assert batch == single, text
        if single[0] == "ok":  # the loop goes on after a basis it handed to the slow path
            got = rebate_amounts(p, [D(70_000), b, D(60_000)])
            assert got[::2] == rebate_amounts(p, [D(70_000), D(60_000)])


def test_far_zeros_and_negative_zero_are_plain_zeros() -> None:
    p = policy(brackets=(Bracket(start=0, rate="0.01", flat=5),), mode="flat")
    got = rebate_amounts(p, [D("-0"), D("0E+999999999"), D("0E-999999999"), "-0"])
    assert [str(x) for x in got] == ["5.00"] * 4  # the first bracket is reached at 0
    assert str(compute_rebate(p, D("-0")).basis) == "0"
    bare = policy(brackets=(Bracket(start=0, rate="-0"),), mode="volume")
    assert [str(x) for x in rebate_amounts(bare, [D(5), D("-0")])] == ["0.00", "0.00"]
    assert str(compute_rebate(bare, 5).amount.amount) == "0.00"


# -- the fast path's fence and sentinels derive from the numeric bounds ---------------------------


def test_fast_path_sentinels_derive_from_the_numeric_bounds() -> None:
    assert TOP == 10**MAX_MAGNITUDE
    assert D(1).scaleb(-MAX_DIGITS) == SMALLEST
    assert (FENCE.prec, FENCE.Emax, FENCE.Emin) == (MAX_DIGITS, MAX_MAGNITUDE - 1, -MAX_DIGITS)
    trapped = {s for s, on in FENCE.traps.items() if on}
    assert trapped == {
        decimal.InvalidOperation,
        decimal.Overflow,
        decimal.Underflow,
        decimal.Subnormal,
        decimal.Rounded,
        decimal.Clamped,
    }
    plan = plan_of(policy(threshold=20_000))
    # nothing below the threshold; from it, the 2% bracket measured from its start, 10,000
    assert plan.table_keys == (D(0), D(20_000), D(50_000), TOP)
    assert plan.table_rates[:3] == (0, D("0.02"), D("0.03"))
    assert plan.table_offs[:3] == (0, D(10_000), D(50_000))
    assert plan.table_base[:3] == (0, 0, D(800))
    assert [t[-1].is_snan() for t in (plan.table_base, plan.table_offs, plan.table_rates)] == [
        True
    ] * 3
    exceed = plan_of(policy(boundary="exceed", brackets=(Bracket(start=0, rate=1), *LADDER)))
    # EXCEED: each start's key lies between it and the next valid basis above it
    assert exceed.table_keys[1:-1] == (
        SMALLEST,
        D("10000.000000000000000000000000000001"),
        D("50000.000000000000000000000000000001"),
    )


@pytest.mark.parametrize(
    "text",
    [
        "999999999999999.9999999999999999999",
        "-999999999999999.9999999999999999999",
        "1E+15",
        "-1E+15",
        "1E+14",
        "1E-34",
        "-1E-34",
        "9.999999999999999999999999999999999E-35",
        "1" * 34,
        "1" * 35,
        "1." + "0" * 33,
        "1." + "0" * 34,
        "1.000000000000000000000000000000001E-34",
        "5",
    ],
)
def test_the_fence_takes_exactly_the_valid_inputs(text: str) -> None:
    d = D(text)
    try:
        fenced = FENCE.plus(d) == d
    except decimal.DecimalException:
        fenced = False
    try:
        valid = to_decimal(d) == d
    except ArgumentError:
        valid = False
    assert fenced == valid


def _near(figure: Decimal) -> list[Decimal]:
    """``figure`` and the valid bases just around it (one unit of its 34th digit either side)."""
    if not figure:
        return [figure, SMALLEST]
    step = D(1).scaleb(figure.adjusted() - MAX_DIGITS + 1)
    context = decimal.Context(prec=60)
    return [figure, context.add(figure, step), context.subtract(figure, step)]


@given(rebate_policies(composite=False))
def test_the_fast_table_agrees_with_compute_rebate_at_every_edge(p: RebatePolicy) -> None:
    figures = [b.start for b in p.brackets] + [p.threshold or D(0)]
    bases = [b for f in figures for b in _near(f) if b >= 0]
    expected = [outcome(lambda b=b: compute_rebate(p, b).amount.amount) for b in bases]
    assert [outcome(lambda b=b: rebate_amounts(p, [D(0), b])[1]) for b in bases] == expected


def test_exceed_and_threshold_by_hand() -> None:
    p = policy(boundary="exceed", threshold=50_000)
    # 49,999.99 is below the threshold; at 50,000 the threshold is met but EXCEED keeps the 2%
    # bracket (40,000 x 2% = 800); at 60,000: 800 + 10,000 x 3% = 1,100
    bases = [D("49999.99"), D(50_000), D(60_000)]
    assert rebate_amounts(p, bases) == [D(0), D(800), D(1_100)]
    assert [compute_rebate(p, b).amount.amount for b in bases] == [D(0), D(800), D(1_100)]
    flat = policy(boundary="exceed", brackets=(Bracket(start=0, rate=0, flat=5),))
    assert rebate_amounts(flat, [D(0), SMALLEST]) == [D(0), D(5)]  # above 0, not at it
    reach = flat.model_copy(update={"boundary": Boundary.REACH})
    assert rebate_amounts(reach, [D(0)]) == [D(5)]


# -- the caller's decimal context is neither read nor changed -------------------------------------

TRAPS = [
    decimal.Clamped,
    decimal.DivisionByZero,
    decimal.Inexact,
    decimal.InvalidOperation,
    decimal.Overflow,
    decimal.Rounded,
    decimal.Subnormal,
    decimal.Underflow,
    decimal.FloatOperation,
]


def _everything() -> list[object]:
    p = policy(
        mode="volume",
        cap=4_000,
        conditions=(Condition(metric="collection_rate", minimum="0.9", factor="0.8"),),
        scorecard=CARD,
        payout=(PayoutStep(min_score=50, factor="1.1"),),
    )
    metrics = {"collection_rate": D("0.5"), "sales": 97}
    r = compute_rebate(p, D("120000.555"), metrics=metrics, tier=GOLD)
    simple = policy(cap=D("1234.567"), threshold=20_000)
    bases = [D("98765.4321"), D("0E+999999999"), D("1000.01"), "-0", 60_000]
    s = settle_all(simple, [*TXS, tx(D("0.01"), "return")], Q3, advances={"D2": D("0.005")})
    a = accrue(p, D("3333.33"), projected_basis=D("98765.4321"), metrics=metrics, tier=GOLD)
    big = settle(simple, [tx(900_000_000_000_000)] * 2, Q3, partner_id="D1")
    return [
        r,
        r.explain(),
        r.explain("zh"),
        r.model_dump_json(),
        rebate_amounts(simple, bases),
        rebate_amounts(simple.model_copy(update={"mode": TierMode.VOLUME}), bases),
        s,
        [x.explain("zh") for x in s.values()],
        a,
        a.explain(),
        big.model_dump_json(),
        big.explain(),
    ]


@pytest.mark.parametrize(
    "hostile",
    [
        decimal.Context(prec=1, rounding=decimal.ROUND_FLOOR, Emax=3, Emin=-3, traps=TRAPS),
        decimal.Context(prec=100, rounding=decimal.ROUND_UP, traps=[]),
    ],
)
def test_the_callers_context_is_neither_read_nor_changed(hostile: decimal.Context) -> None:
    expected = _everything()
    with decimal.localcontext(hostile) as ctx:
        ctx.clear_flags()
        assert _everything() == expected
        assert not any(ctx.flags.values())
        assert (ctx.prec, ctx.Emax) == (hostile.prec, hostile.Emax)


# -- the plan cache: by value, bounded, nothing stored on the policy ------------------------------


def test_the_plan_cache_stores_nothing_on_the_policy() -> None:
    p = policy()
    compute_rebate(p, 120_000)
    rebate_amounts(p, [D(120_000)])
    assert set(p.__dict__) == set(RebatePolicy.model_fields)
    again = RebatePolicy.model_validate_json(p.model_dump_json())
    assert plan_of(again) is plan_of(p)  # an equal policy shares the plan


def test_the_plan_cache_is_bounded() -> None:
    for i in range(MAX_PLANS + 20):
        compute_rebate(policy(id=f"P{i}"), 120_000)
    assert len(plans._PLANS) <= MAX_PLANS


def test_equal_policies_written_differently_keep_their_own_digits() -> None:
    short = policy(brackets=(Bracket(start=0, rate="0.02"),), cap=D("100"))
    long = policy(brackets=(Bracket(start=D("0.00"), rate="0.020"),), cap=D("100.0"))
    assert short == long
    for first, second in [(short, long), (long, short)]:
        compute_rebate(first, 1_000)
        r = compute_rebate(second, 10_000)
        assert str(r.lines[0].rate) == str(second.brackets[0].rate)
        assert str(r.lines[0].start) == str(second.brackets[0].start)
        assert str(r.adjustments[0].value) == str(second.cap)
    rate_only = long.model_copy(update={"cap": short.cap})  # only the ladder's digits differ
    assert plan_of(rate_only) is not plan_of(short)
    assert str(compute_rebate(rate_only, 10_000).lines[0].rate) == "0.020"
    copy = short.model_copy()  # an equal policy sharing its figures: the plan is shared
    assert copy is not short
    assert plan_of(copy) is plan_of(short)


def test_threads_share_the_cache_safely() -> None:
    ps = [policy(id=f"T{i}", cap=i + 1) for i in range(MAX_PLANS + 44)]

    def run(i: int) -> list[Decimal]:
        return rebate_amounts(ps[i % len(ps)], [D(60_000), D(120_000)])

    expected = [run(i) for i in range(600)]
    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(run, range(600))) == expected


# -- a fuzz of every calculator with hostile arguments --------------------------------------------

HOSTILE_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.just(10**5000),
    st.text(max_size=8),
    st.sampled_from(HOSTILE).map(D),
    st.sampled_from(HOSTILE),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.lists(st.integers(), max_size=2),
    st.builds(
        Money, st.integers(min_value=-(10**6), max_value=10**6), st.sampled_from(["CNY", "USD"])
    ),
    st.just(GOLD),
    st.just(Q3),
    st.just(LADDER[0]),
)
FUZZ = policy(conditions=(Condition(metric="collection_rate", minimum="0.9", factor="0.5"),))
GOOD: dict[str, Any] = {
    "policy": FUZZ,
    "basis": D(60_000),
    "bases": [D(60_000)],
    "transactions": TXS,
    "period": Q3,
    "partner_id": "D1",
    "metrics": {"collection_rate": D(1)},
    "tier": GOLD,
    "advances": D(0),
    "baseline": None,
    "basis_to_date": D(100),
    "projected_basis": D(200),
}
SIGNATURES: dict[str, tuple[Callable[..., object], tuple[str, ...], tuple[str, ...]]] = {
    "compute_rebate": (compute_rebate, ("policy", "basis"), ("metrics", "tier")),
    "rebate_amounts": (rebate_amounts, ("policy", "bases"), ()),
    "settle": (
        settle,
        ("policy", "transactions", "period"),
        ("partner_id", "metrics", "tier", "advances", "baseline"),
    ),
    "accrue": (accrue, ("policy", "basis_to_date"), ("projected_basis", "metrics", "tier")),
}


@given(
    st.sampled_from(sorted(SIGNATURES)),
    st.sampled_from(sorted(GOOD)),
    HOSTILE_VALUES,
    st.booleans(),
)
def test_hostile_arguments_raise_only_channelkit_errors(
    name: str, argument: str, value: object, nested: bool
) -> None:
    fn, positional, keywords = SIGNATURES[name]
    if argument not in positional + keywords:
        return
    args = {k: GOOD[k] for k in positional + keywords}
    if nested and argument in ("bases", "transactions"):
        args[argument] = [*GOOD[argument], value]  # a hostile item in a good list
    elif nested and argument == "metrics":
        args[argument] = {"collection_rate": value}
    else:
        args[argument] = value
    try:
        result = fn(*(args[k] for k in positional), **{k: args[k] for k in keywords})
    except (ChannelkitError, ValidationError):
        return
    if isinstance(result, RebateResult | Settlement | Accrual):
        assert type(result).model_validate_json(result.model_dump_json()) == result
        term = {RebateResult: "返利政策", Settlement: "返利结算", Accrual: "返利计提"}
        assert term[type(result)] in result.explain("zh")
