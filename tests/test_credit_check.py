"""check_order(): hand-worked decisions, every boundary the contract names, and every error."""

from __future__ import annotations

import datetime as dt
import decimal
from decimal import Decimal

import pytest

from channelkit import (
    ArgumentError,
    ArgumentTypeError,
    CreditDecision,
    CreditOutcome,
    CreditPolicy,
    CreditReasonCode,
    CurrencyMismatchError,
    Exposure,
    ExposureKind,
    Money,
    OpenItem,
    PolicyError,
    aging,
    check_order,
)
from channelkit.credit.check import CreditReason

A, W, BL = CreditOutcome.APPROVE, CreditOutcome.WARN, CreditOutcome.BLOCK
C = CreditReasonCode
NO_WARN = CreditPolicy(warn_at=None)
AS_OF = dt.date(2026, 9, 30)


def cny(a: object) -> Money:
    return Money(a, "CNY")  # type: ignore[arg-type]


def exposure(r: object = 0, o: object = 0, u: object = 0, i: object = 0) -> Exposure:
    return Exposure(
        receivables=cny(r), open_orders=cny(o), unbilled_deliveries=cny(u), unposted_invoices=cny(i)
    )


def codes(d: CreditDecision) -> list[CreditReasonCode]:
    return [r.code for r in d.reasons]


# -- hand-worked decisions -----------------------------------------------------------------------

E = exposure(300_000, 50_000, 20_000, 10_000)  # 380,000 in all


def test_approve_below_the_warning_level() -> None:
    d = check_order(cny(1_000_000), E, cny(100_000))
    # before 380,000; after 380,000 + 100,000 = 480,000; available 1,000,000 - 480,000 = 520,000
    # utilization 480,000 / 1,000,000 = 0.48 < 0.9
    assert d.outcome is A
    assert d.reasons == ()
    assert d.exposure_before == cny(380_000)
    assert d.exposure_after == cny(480_000)
    assert d.available == cny(520_000)
    assert d.exceeded_by == cny(0)
    assert d.utilization == Decimal("0.48")
    assert d.limit == cny(1_000_000)
    assert d.limit_with_tolerance == cny(1_000_000)
    assert d.order == cny(100_000)
    assert d.included == tuple(ExposureKind)
    assert d.approved


def test_block_over_the_limit() -> None:
    d = check_order(cny(400_000), E, cny(30_000), NO_WARN)
    # after 380,000 + 30,000 = 410,000 > 400,000: exceeded by 10,000, available -10,000
    assert d.outcome is BL
    assert not d.approved
    assert codes(d) == [C.LIMIT]
    assert d.available == cny(-10_000)
    assert d.exceeded_by == cny(10_000)
    # utilization 410,000 / 400,000 = 1.025
    assert d.utilization == Decimal("1.025")
    r = d.reasons[0]
    assert (r.outcome, r.actual, r.threshold, r.currency) == (BL, 410_000, 400_000, "CNY")
    assert r.message == "exposure after the order 410,000.00 CNY is above 400,000.00 CNY"
    assert r.text("zh") == "下单后敞口 410,000.00 CNY，超过 400,000.00 CNY"


def test_include_set_selects_the_components() -> None:
    policy = CreditPolicy(include={"receivables", "open_orders"}, warn_at=None)
    d = check_order(cny(400_000), E, cny(30_000), policy)
    # counted 300,000 + 50,000 = 350,000; after 380,000 <= 400,000
    assert d.exposure_before == cny(350_000)
    assert d.exposure_after == cny(380_000)
    assert d.outcome is A
    assert d.included == (ExposureKind.RECEIVABLES, ExposureKind.OPEN_ORDERS)


def test_the_order_counts_whatever_include_says() -> None:
    policy = CreditPolicy(include={"receivables"}, warn_at=None)
    d = check_order(cny(300_000), E, cny(1), policy)
    # 300,000 + 1 > 300,000
    assert d.exposure_after == cny(300_001)
    assert d.outcome is BL


# -- the limit boundary and tolerance ------------------------------------------------------------


def test_exactly_at_the_limit_passes() -> None:
    # 380,000 + 20,000 = 400,000 == limit: available 0, exceeded by 0, utilization 1
    d = check_order(cny(400_000), E, cny(20_000), NO_WARN)
    assert d.outcome is A
    assert d.reasons == ()
    assert d.available == cny(0)
    assert d.exceeded_by == cny(0)
    assert d.utilization == 1


def test_one_minor_unit_over_the_limit_trips() -> None:
    d = check_order(cny(400_000), E, cny("20000.01"), NO_WARN)
    assert d.outcome is BL
    assert d.exceeded_by == cny("0.01")
    assert d.available == cny("-0.01")


def test_at_the_limit_with_the_default_policy_warns() -> None:
    # utilization 1 >= warn_at 0.9: the limit passes but the warning level trips
    d = check_order(cny(400_000), E, cny(20_000))
    assert d.outcome is W
    assert codes(d) == [C.WARN_LEVEL]


def test_tolerance_boundary() -> None:
    policy = CreditPolicy(tolerance="0.05", warn_at=None)
    # limit 400,000 x 1.05 = 420,000
    at = check_order(cny(400_000), E, cny(40_000), policy)  # after 420,000
    assert at.limit_with_tolerance == cny(420_000)
    assert at.outcome is A
    assert codes(at) == [C.TOLERANCE]  # a note: over the limit, within the tolerance
    assert at.reasons[0].outcome is A
    assert at.exceeded_by == cny(20_000)  # measured against the limit, not the tolerance
    assert at.available == cny(-20_000)
    above = check_order(cny(400_000), E, cny("40000.01"), policy)  # after 420,000.01
    assert above.outcome is BL
    assert codes(above) == [C.LIMIT]
    assert above.reasons[0].threshold == 420_000


def test_tolerance_note_text() -> None:
    policy = CreditPolicy(tolerance="0.1", warn_at=None)
    r = check_order(cny(100), exposure(), cny(105), policy).reasons[0]
    assert r.message == (
        "exposure after the order 105.00 CNY is above the limit 100.00 CNY, within the tolerance"
    )
    assert "在容差内" in r.text("zh")


def test_warn_reaction_for_the_limit() -> None:
    policy = CreditPolicy(on_limit="warn", warn_at=None)  # Odoo-like: warn only
    d = check_order(cny(400_000), E, cny(30_000), policy)
    assert d.outcome is W
    assert d.reasons[0].outcome is W


# -- the warning level ---------------------------------------------------------------------------


def test_warning_level_boundary() -> None:
    # limit 400,000 x 0.9 = 360,000; before 380,000 would already warn, so use include
    policy = CreditPolicy(include={"open_orders"})  # before 50,000
    below = check_order(cny(400_000), E, cny("309999.99"), policy)  # after 359,999.99
    assert below.outcome is A
    at = check_order(cny(400_000), E, cny(310_000), policy)  # after 360,000: utilization 0.9
    assert at.utilization == Decimal("0.9")
    assert at.outcome is W
    assert codes(at) == [C.WARN_LEVEL]
    r = at.reasons[0]
    assert (r.actual, r.threshold, r.currency) == (Decimal("0.9"), Decimal("0.9"), None)
    assert r.message == "utilization 90% is at or above 90%"
    assert r.text("zh") == "额度使用率 90%，达到预警线 90%"


def test_warn_at_none_turns_the_band_off() -> None:
    d = check_order(cny(400_000), E, cny(19_000), NO_WARN)  # utilization 0.9975
    assert d.outcome is A


def test_over_the_limit_lists_the_limit_and_the_warning_level() -> None:
    d = check_order(cny(400_000), E, cny(30_000))
    assert codes(d) == [C.LIMIT, C.WARN_LEVEL]
    assert d.outcome is BL


# -- no limit and a zero limit -------------------------------------------------------------------


def test_no_limit() -> None:
    d = check_order(None, E, cny(10**9))
    assert d.outcome is A
    assert d.limit is None
    assert d.limit_with_tolerance is None
    assert d.available is None
    assert d.exceeded_by is None
    assert d.utilization is None
    assert d.exposure_after == cny(1_000_380_000)


def test_zero_limit_is_a_real_limit() -> None:
    d = check_order(cny(0), E, cny(1))
    # after 380,001 > 0 x (1 + 0)
    assert d.outcome is BL
    assert codes(d) == [C.LIMIT]
    assert d.available == cny(-380_001)
    assert d.exceeded_by == cny(380_001)
    assert d.utilization is None  # undefined with a zero limit; no warning level
    # a zero limit with tolerance is still zero
    assert check_order(cny(0), E, cny(1), CreditPolicy(tolerance="0.5")).outcome is BL


def test_zero_limit_with_nothing_owed_passes() -> None:
    # advances of 100 cover an order of 100: after 0, exactly at the limit
    d = check_order(cny(0), exposure(-100), cny(100))
    assert d.outcome is A
    assert d.exposure_after == cny(0)
    assert d.available == cny(0)
    assert d.utilization is None


# -- negative components ---------------------------------------------------------------------------


def test_advances_lower_the_exposure() -> None:
    # receivables 100,000, advance -60,000 booked against open orders: before 40,000
    d = check_order(cny(100_000), exposure(100_000, -60_000), cny(50_000))
    # after 90,000; utilization 0.9 -> warn; available 10,000
    assert d.exposure_before == cny(40_000)
    assert d.available == cny(10_000)
    assert d.outcome is W


def test_negative_exposure_after_gives_negative_utilization() -> None:
    d = check_order(cny(1000), exposure(-5000), cny(1000))
    # after -4000; utilization -4; available 5000
    assert d.utilization == -4
    assert d.available == cny(5000)
    assert d.exceeded_by == cny(0)
    assert d.outcome is A


# -- document value -------------------------------------------------------------------------------


def test_document_value_boundary_and_no_limit() -> None:
    policy = CreditPolicy(max_document_value=50_000)
    at = check_order(None, E, cny(50_000), policy)
    assert at.outcome is A
    above = check_order(None, E, cny("50000.01"), policy)
    assert above.outcome is BL
    assert codes(above) == [C.DOCUMENT_VALUE]
    r = above.reasons[0]
    assert r.message == "order 50,000.01 CNY is above the maximum 50,000.00 CNY"
    assert r.text("zh") == "订单金额 50,000.01 CNY，超过单笔上限 50,000.00 CNY"


def test_document_value_warn_reaction_and_zero_maximum() -> None:
    policy = CreditPolicy(max_document_value=0, on_document_value="warn")
    assert check_order(None, E, cny(0), policy).outcome is A
    d = check_order(None, E, cny("0.01"), policy)
    assert d.outcome is W
    assert d.reasons[0].outcome is W


def test_document_warn_does_not_lower_a_limit_block() -> None:
    policy = CreditPolicy(max_document_value=1, on_document_value="warn", warn_at=None)
    d = check_order(cny(0), E, cny(10))
    assert d.outcome is BL
    d = check_order(cny(0), E, cny(10), policy)
    assert codes(d) == [C.LIMIT, C.DOCUMENT_VALUE]
    assert d.outcome is BL


# -- overdue rules --------------------------------------------------------------------------------


def item(id_: str, amount: int, days: int) -> OpenItem:
    return OpenItem(id=id_, amount=cny(amount), due=AS_OF - dt.timedelta(days=days))


AGED = aging([item("I1", 700, 10), item("I2", 300, 45)], AS_OF)  # oldest 45 days, share 1
MIXED = aging([item("I1", 700, -5), item("I2", 300, 45)], AS_OF)  # share 300 / 1000 = 0.3


def test_overdue_days_boundary() -> None:
    assert check_order(None, E, cny(1), CreditPolicy(max_overdue_days=45), aging=AGED).outcome is A
    d = check_order(None, E, cny(1), CreditPolicy(max_overdue_days=44), aging=AGED)
    assert d.outcome is BL
    assert codes(d) == [C.OVERDUE_DAYS]
    r = d.reasons[0]
    assert (r.actual, r.threshold) == (45, 44)
    assert r.message == "oldest overdue item is 45 days past due, more than 44"


def test_overdue_share_boundary() -> None:
    at = check_order(None, E, cny(1), CreditPolicy(max_overdue_share="0.3"), aging=MIXED)
    assert at.outcome is A
    d = check_order(None, E, cny(1), CreditPolicy(max_overdue_share="0.29"), aging=MIXED)
    assert d.outcome is BL
    assert codes(d) == [C.OVERDUE_SHARE]
    assert d.reasons[0].message == "30% of open items are overdue, more than 29%"
    assert d.reasons[0].text("zh") == "逾期占未结 30%，超过上限 29%"


def test_overdue_rules_warn_and_both_listed() -> None:
    policy = CreditPolicy(max_overdue_days=0, max_overdue_share=0, on_overdue="warn")
    d = check_order(None, E, cny(1), policy, aging=MIXED)
    assert d.outcome is W
    assert codes(d) == [C.OVERDUE_DAYS, C.OVERDUE_SHARE]
    assert {r.outcome for r in d.reasons} == {W}


def test_max_overdue_days_zero_with_nothing_overdue_passes() -> None:
    clean = aging([item("I1", 100, 0)], AS_OF)
    assert check_order(None, E, cny(1), CreditPolicy(max_overdue_days=0), aging=clean).outcome is A


def test_overdue_rules_without_aging_are_a_policy_error() -> None:
    with pytest.raises(PolicyError, match=r"overdue rules.*no aging was passed"):
        check_order(cny(10**6), E, cny(1), CreditPolicy(max_overdue_days=30))
    with pytest.raises(PolicyError, match=r"max_overdue_share=0\.1"):
        check_order(None, E, cny(1), CreditPolicy(max_overdue_share="0.1"))


def test_aging_without_overdue_rules_is_ignored_but_checked_for_currency() -> None:
    assert check_order(None, E, cny(1), aging=AGED).outcome is A
    usd = aging([], AS_OF, currency="USD")
    with pytest.raises(CurrencyMismatchError, match=r"\(aging\): expected CNY, got USD"):
        check_order(None, E, cny(1), aging=usd)
    with pytest.raises(CurrencyMismatchError, match=r"\(aging\)"):
        check_order(None, E, cny(1), CreditPolicy(max_overdue_days=1), aging=usd)


# -- every rule at once: the most severe wins and every one is listed ------------------------------


def test_most_severe_outcome_wins_and_every_reason_is_listed() -> None:
    policy = CreditPolicy(
        tolerance="0.05",
        max_document_value=10_000,
        on_document_value="warn",
        max_overdue_days=30,
        on_overdue="warn",
        on_limit="warn",
    )
    d = check_order(cny(400_000), E, cny(20_000), policy, aging=AGED)
    # after 400,000 == limit: limit passes; warn level (1 >= 0.9), document (20,000 > 10,000),
    # overdue days (45 > 30): all WARN
    assert codes(d) == [C.WARN_LEVEL, C.DOCUMENT_VALUE, C.OVERDUE_DAYS]
    assert d.outcome is W
    blocking = policy.model_copy(update={"on_overdue": BL})
    assert check_order(cny(400_000), E, cny(20_000), blocking, aging=AGED).outcome is BL


# -- errors ---------------------------------------------------------------------------------------


def test_currency_mismatches() -> None:
    with pytest.raises(CurrencyMismatchError, match=r"\(order\): expected CNY, got USD"):
        check_order(cny(1), E, Money(1, "USD"))
    with pytest.raises(CurrencyMismatchError, match=r"\(limit\): expected CNY, got EUR"):
        check_order(Money(1, "EUR"), E, cny(1))


def test_negative_order_and_limit_are_rejected() -> None:
    with pytest.raises(ArgumentError, match="order must not be negative, got -1") as err:
        check_order(cny(1), E, cny(-1))
    assert (err.value.argument, err.value.value) == ("order", cny(-1))
    with pytest.raises(
        ArgumentError, match=r"limit must not be negative \(None means no limit\), got -1 CNY"
    ) as err:
        check_order(cny(-1), E, cny(1))
    assert err.value.argument == "limit"
    assert isinstance(err.value, ValueError)


def test_non_money_arguments_are_rejected() -> None:
    with pytest.raises(ArgumentTypeError, match="order must be Money, got Decimal") as err:
        check_order(cny(1), E, Decimal(1))  # type: ignore[arg-type]
    assert err.value.argument == "order"
    assert isinstance(err.value, TypeError)
    with pytest.raises(ArgumentTypeError, match="limit must be Money or None, got int"):
        check_order(1, E, cny(1))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("args", "argument", "match"),
    [
        (
            (None, {"receivables": cny(1)}, cny(1)),
            "exposure",
            "exposure must be an Exposure, got dict",
        ),
        ((None, E, cny(1), {"warn_at": None}), "policy", "policy must be a CreditPolicy, got dict"),
        ((None, E, {"amount": "1", "currency": "CNY"}), "order", "order must be Money, got dict"),
        ((cny(1).amount, E, cny(1)), "limit", "limit must be Money or None, got Decimal"),
    ],
)
def test_every_argument_is_type_checked(
    args: tuple[object, ...], argument: str, match: str
) -> None:
    # a dict for a model used to give AttributeError ('dict' object has no attribute ...)
    with pytest.raises(ArgumentTypeError, match=match) as err:
        check_order(*args)  # type: ignore[arg-type]
    assert err.value.argument == argument


def test_aging_must_be_an_aging() -> None:
    with pytest.raises(ArgumentTypeError, match="aging must be an Aging or None, got dict"):
        check_order(None, E, cny(1), CreditPolicy(max_overdue_days=1), aging={"currency": "CNY"})  # type: ignore[arg-type]


def test_limit_and_order_are_held_to_the_input_bounds() -> None:
    big = cny(10**14) * 10  # 10**15: arithmetic may make it, an argument may not be it
    with pytest.raises(ArgumentError, match="order is too large") as err:
        check_order(None, E, big)
    assert err.value.argument == "order"
    with pytest.raises(ArgumentError, match="limit is too large"):
        check_order(big, E, cny(1))
    tiny = cny(1) * Decimal("1e-40")  # below 10**-34
    with pytest.raises(ArgumentError, match="limit is too small"):
        check_order(tiny, E, cny(1))


def test_a_zero_with_a_far_exponent_is_read_as_zero() -> None:
    far = cny(0) * Decimal("1e-60")  # Decimal('0E-60'): printed plainly it has 60 digits
    assert str(far.amount) == "0E-60"
    d = check_order(far, E, far)
    # a zero limit: after 380,000 > 0 blocks; the figures hold plain zeros
    assert d.outcome is BL
    assert str(d.limit.amount) == "0"  # type: ignore[union-attr]
    assert str(d.order.amount) == "0"
    assert "Limit: 0.00 CNY" in d.explain()


def test_a_zero_order_is_checked_too() -> None:
    d = check_order(cny(300_000), E, cny(0), NO_WARN)
    assert d.outcome is BL  # already over the limit
    assert d.exposure_after == d.exposure_before


# -- explanation and serialisation ----------------------------------------------------------------


def test_explain_in_english() -> None:
    policy = CreditPolicy(tolerance="0.05", max_overdue_days=30)
    text = check_order(cny(400_000), E, cny(41_000), policy, aging=AGED).explain()
    assert text.splitlines() == [
        "Credit check: Block",
        "  Exposure before the order: 380,000.00 CNY (receivables, open orders, unbilled "
        "deliveries, unposted invoices)",
        "  Order: 41,000.00 CNY -> exposure after: 421,000.00 CNY",
        "  Limit: 400,000.00 CNY (tolerance 5%: 420,000.00 CNY); available: -21,000.00 CNY; "
        "exceeded by 21,000.00 CNY",
        "  Utilization: 105.25% (warning at 90%)",
        "  - block: exposure after the order 421,000.00 CNY is above 420,000.00 CNY",
        "  - warn: utilization 105.25% is at or above 90%",
        "  - block: oldest overdue item is 45 days past due, more than 30",
    ]


def test_explain_in_chinese() -> None:
    policy = CreditPolicy(include={"receivables"}, tolerance="0.1", warn_at=None)
    text = check_order(cny(300_000), E, cny(10_000), policy).explain("zh")
    assert text.splitlines() == [
        "信用检查：通过",
        "  下单前敞口：300,000.00 CNY（应收账款）",
        "  订单：10,000.00 CNY -> 下单后敞口：310,000.00 CNY",
        "  信用额度：300,000.00 CNY（容差 10%：330,000.00 CNY）；可用额度：-10,000.00 CNY；"
        "超出 10,000.00 CNY",
        "  额度使用率：103.33%",
        "  - 提示：下单后敞口 310,000.00 CNY，超过额度 300,000.00 CNY，但在容差内",
    ]


def test_explain_without_a_limit_and_with_a_zero_limit() -> None:
    text = check_order(None, E, cny(1)).explain()
    assert "  Limit: none" in text.splitlines()
    assert "信用额度：不限" in check_order(None, E, cny(1)).explain("zh")
    zero = check_order(cny(0), exposure(), cny(0))
    assert "  Utilization: n/a (zero limit)" in zero.explain().splitlines()
    assert "额度使用率：不适用（额度为零）" in zero.explain("zh")
    assert "exceeded by" not in zero.explain()
    with pytest.raises(ValueError, match="lang"):
        zero.explain("de")


def test_explain_uses_the_currency_minor_unit() -> None:
    jpy = Exposure.zero("JPY")
    d = check_order(Money(1000, "JPY"), jpy, Money(1200, "JPY"), NO_WARN)
    assert "exposure after the order 1,200 JPY is above 1,000 JPY" in d.explain()


def test_decision_round_trips_through_json() -> None:
    policy = CreditPolicy(tolerance="0.05", max_document_value=1, max_overdue_share="0.1")
    d = check_order(cny(400_000), E, cny(41_000), policy, aging=AGED)
    assert CreditDecision.model_validate_json(d.model_dump_json()) == d
    assert CreditDecision.model_validate(d.model_dump()) == d


def test_reason_model_validates() -> None:
    r = CreditReason(
        code="limit", outcome="block", actual=2, threshold=1, currency="CNY", message="m"
    )
    assert r.text() == "exposure after the order 2.00 CNY is above 1.00 CNY"
    assert r.code.label("zh") == "超出信用额度"


def test_fast_built_results_behave_like_validated_ones() -> None:
    d = check_order(cny(400_000), E, cny(41_000), CreditPolicy(tolerance="0.05"))
    validated = CreditDecision.model_validate(d.model_dump())
    assert validated == d
    assert validated.model_fields_set == d.model_fields_set
    assert hash(d.reasons[0]) == hash(validated.reasons[0])
    copy = d.model_copy(update={"outcome": A})
    assert copy.outcome is A
    assert d.outcome is BL
    assert d.model_fields_set == set(CreditDecision.model_fields)  # the shared set is unchanged
    dumped = d.model_dump(mode="json")
    assert dumped["reasons"][0]["message"] == d.reasons[0].message
    assert dumped["limit_with_tolerance"] == {"amount": "420000.00", "currency": "CNY"}


def test_reason_message_is_derived_not_trusted() -> None:
    data = {"code": "limit", "outcome": "warn", "actual": "5", "threshold": "4", "message": "?"}
    r = CreditReason.model_validate(data)
    assert r.message == "exposure after the order 5.00 is above 4.00"
    assert CreditReason.model_validate_json(r.model_dump_json()) == r


def test_zero_tolerance_reuses_the_limit_and_zero_excess() -> None:
    d = check_order(cny(400_000), E, cny(1), NO_WARN)
    assert d.limit_with_tolerance == d.limit == cny(400_000)
    assert d.exceeded_by == Money(0, "CNY")


# -- hostile input: figures of any size print, explain themselves and read back -------------------


def test_a_sub_minor_unit_limit_gives_a_result_that_prints_and_reads_back() -> None:
    # issue #10: a limit of 10**-30 made a utilization of ~10**35, which could not be printed,
    # serialised (its reason's message) or explained, nor read back (an input-bounded field)
    tiny = cny("1e-30")
    d = check_order(tiny, E, cny(1))
    # after 380,000 + 1 = 380,001; utilization 380,001 / 10**-30 = 3.80001E+35
    assert d.utilization == Decimal("3.80001E+35")
    # available 10**-30 - 380,001, rounded to 34 digits: -380,001.0000000000000000000000000000
    assert d.available == cny("-380001.0000000000000000000000000000")
    assert d.exceeded_by == cny("380001.0000000000000000000000000000")
    assert d.outcome is BL
    assert codes(d) == [C.LIMIT, C.WARN_LEVEL]
    # the percentage is too large to round to 0.01%: it is written with its own digits
    assert d.reasons[1].message == "utilization 3.80001E+37% is at or above 90%"
    text = d.explain()
    assert "  Utilization: 3.80001E+37% (warning at 90%)" in text.splitlines()
    assert "exposure after the order 380,001.00 CNY is above 0.00 CNY" in text
    assert "额度使用率 3.80001E+37%" in d.explain("zh")
    assert "utilization=Decimal('3.80001E+35')" in repr(d)
    assert CreditDecision.model_validate_json(d.model_dump_json()) == d


def test_the_smallest_limit_and_the_largest_exposure() -> None:
    top = Decimal("999999999999999.9999999999999999999")  # the largest input: 34 digits
    big = exposure(top, top, top, top)
    d = check_order(cny("1e-34"), big, cny(top))
    # after 5 x top = 4999999999999999.999999999999999999 (rounded to 34 digits: 5E+15);
    # utilization 5E+15 / 1E-34 = 5E+49
    assert d.exposure_after.amount == Decimal("5000000000000000.000000000000000000")
    assert d.utilization == Decimal("5.000000000000000000000000000000000E+49")
    assert "E+51% is at or above 90%" in d.explain()  # 5E+49 as a percentage
    assert CreditDecision.model_validate_json(d.model_dump_json()) == d


def test_a_decision_read_from_hostile_json_still_explains_itself_briefly() -> None:
    d = check_order(cny(400_000), E, cny(41_000), CreditPolicy(tolerance="0.05"))
    doc = d.model_dump(mode="json")
    huge = {"amount": "9E+999999", "currency": "CNY"}
    doc |= {"utilization": "9E+999999", "tolerance": "1E+999999", "order": huge}
    doc |= {"exposure_after": huge, "available": huge, "limit_with_tolerance": huge}
    doc["reasons"][0] |= {"actual": "-9E+999999", "threshold": "1E-999999"}
    odd = CreditDecision.model_validate(doc)
    for lang in ("en", "zh"):
        text = odd.explain(lang)
        assert len(text) < 2000
        assert "9E+999999" in text
    assert len(odd.model_dump_json()) < 3000
    assert CreditDecision.model_validate_json(odd.model_dump_json()) == odd


def test_overdue_days_from_json_print_briefly() -> None:
    r = CreditReason(code="overdue_days", outcome="block", actual="1E+999999", threshold=30)
    assert r.message == "oldest overdue item is 1E+999999 days past due, more than 30"


def test_a_hostile_decimal_context_changes_nothing() -> None:
    policy = CreditPolicy(tolerance="0.05", max_document_value=10_000, max_overdue_days=30)
    expected = check_order(cny("400000.01"), E, cny("41000.07"), policy, aging=AGED)
    with decimal.localcontext(decimal.Context(prec=3, Emax=9, Emin=-9, traps=[])) as ctx:
        got = check_order(cny("400000.01"), E, cny("41000.07"), policy, aging=AGED)
        text = got.explain()
        flags = [f for f, on in ctx.flags.items() if on]
    assert got == expected
    assert text == expected.explain()
    assert flags == []
