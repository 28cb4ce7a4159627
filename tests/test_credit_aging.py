"""aging(): buckets by days past due, grace days, overdue totals and errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from pydantic import ValidationError

from channelkit import (
    Aging,
    AgingBucket,
    ArgumentError,
    ArgumentTypeError,
    CurrencyMismatchError,
    Money,
    OpenItem,
    aging,
)
from channelkit.credit.openitems import bucket_for

AS_OF = dt.date(2026, 9, 30)
B = AgingBucket


def item(id_: str, amount: object, days_past_due: int, cur: str = "CNY") -> OpenItem:
    return OpenItem(id=id_, amount=Money(amount, cur), due=AS_OF - dt.timedelta(days=days_past_due))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (-30, B.CURRENT),
        (0, B.CURRENT),  # due today: not yet overdue
        (1, B.DAYS_1_30),
        (30, B.DAYS_1_30),
        (31, B.DAYS_31_60),
        (60, B.DAYS_31_60),
        (61, B.DAYS_61_90),
        (90, B.DAYS_61_90),
        (91, B.OVER_90),
        (1000, B.OVER_90),
    ],
)
def test_bucket_boundaries(days: int, bucket: AgingBucket) -> None:
    assert bucket_for(days) is bucket
    assert aging([item("X", 1, days)], AS_OF).counts[bucket] == 1


@pytest.mark.parametrize(
    ("days", "grace", "bucket"),
    [
        (5, 5, B.CURRENT),  # at most N days past due is current
        (6, 5, B.DAYS_1_30),  # one more day: overdue, in its actual bucket
        (40, 5, B.DAYS_31_60),  # grace does not shift the other buckets
        (35, 40, B.CURRENT),
    ],
)
def test_grace_days(days: int, grace: int, bucket: AgingBucket) -> None:
    assert bucket_for(days, grace) is bucket
    assert aging([item("X", 1, days)], AS_OF, grace_days=grace).counts[bucket] == 1


def test_hand_worked_aging() -> None:
    items = [
        item("I1", "1000.00", -10),  # current
        item("I2", "250.50", 0),  # current (due today)
        item("I3", "300.00", 15),  # 1-30
        item("I4", "400.00", 45),  # 31-60
        item("I5", "500.00", 75),  # 61-90
        item("I6", "600.00", 120),  # over 90 (the oldest)
        item("I7", "49.50", 120),  # over 90, as old: the first listed stays the oldest
    ]
    a = aging(items, AS_OF)
    assert a.buckets == {
        B.CURRENT: Money("1250.50", "CNY"),
        B.DAYS_1_30: Money("300.00", "CNY"),
        B.DAYS_31_60: Money("400.00", "CNY"),
        B.DAYS_61_90: Money("500.00", "CNY"),
        B.OVER_90: Money("649.50", "CNY"),
    }
    assert list(a.buckets) == list(AgingBucket)
    assert a.counts == {
        B.CURRENT: 2,
        B.DAYS_1_30: 1,
        B.DAYS_31_60: 1,
        B.DAYS_61_90: 1,
        B.OVER_90: 2,
    }
    # open 1250.50 + 300 + 400 + 500 + 649.50 = 3100; overdue 3100 - 1250.50 = 1849.50
    assert a.open_total == Money("3100.00", "CNY")
    assert a.overdue_total == Money("1849.50", "CNY")
    # 1849.50 / 3100 = 0.5966129032258064516129032258064516 (34 digits)
    assert a.overdue_share == Decimal("0.5966129032258064516129032258064516")
    assert (a.oldest_overdue_days, a.oldest_overdue_id) == (120, "I6")
    assert (a.as_of, a.grace_days, a.currency) == (AS_OF, 0, "CNY")


def test_grace_changes_the_overdue_figures() -> None:
    items = [item("I1", 100, 3), item("I2", 300, 10)]
    a = aging(items, AS_OF, grace_days=3)
    # I1 (3 days) is current; I2 (10 days) is overdue: share 300 / 400 = 0.75
    assert a.buckets[B.CURRENT] == Money(100, "CNY")
    assert a.overdue_share == Decimal("0.75")
    assert (a.oldest_overdue_days, a.oldest_overdue_id) == (10, "I2")


def test_nothing_overdue() -> None:
    a = aging([item("I1", 100, -1)], AS_OF)
    assert a.overdue_total == Money(0, "CNY")
    assert a.overdue_share == 0
    assert (a.oldest_overdue_days, a.oldest_overdue_id) == (0, None)
    assert "Nothing overdue" in a.explain()
    assert "无逾期项目" in a.explain("zh")


def test_no_items_needs_a_currency() -> None:
    a = aging([], AS_OF, currency="USD")
    assert a.open_total == Money(0, "USD")
    assert a.overdue_share == 0
    assert all(m == Money(0, "USD") for m in a.buckets.values())
    with pytest.raises(ValueError, match="currency is required when there are no open items"):
        aging([], AS_OF)


def test_items_accept_a_generator() -> None:
    a = aging((item(f"I{n}", 10, n) for n in range(3)), AS_OF)
    assert a.open_total == Money(30, "CNY")


def test_errors() -> None:
    with pytest.raises(CurrencyMismatchError, match=r"open item U1.*expected CNY, got USD"):
        aging([item("C1", 1, 1), item("U1", 1, 1, "USD")], AS_OF)
    with pytest.raises(CurrencyMismatchError, match="expected EUR, got CNY"):
        aging([item("C1", 1, 1)], AS_OF, currency="EUR")
    with pytest.raises(ArgumentError, match="unique ids: 'C1' appears twice") as err:
        aging([item("C1", 1, 1), item("C1", 2, 2)], AS_OF)
    assert (err.value.argument, err.value.value) == ("items", "C1")
    with pytest.raises(ArgumentError, match="currency 'XXY'") as err:
        aging([], AS_OF, currency="XXY")
    assert err.value.argument == "currency"


def test_negative_grace_days_is_an_argument_error() -> None:
    # issue #10: it was a bare ValueError
    with pytest.raises(ArgumentError, match="grace_days must not be negative, got -1") as err:
        aging([], AS_OF, grace_days=-1, currency="CNY")
    assert (err.value.argument, err.value.value) == ("grace_days", -1)
    assert isinstance(err.value, ValueError)
    with pytest.raises(ArgumentError, match="grace_days must not be negative"):
        bucket_for(3, grace_days=-1)


def test_grace_days_is_bounded() -> None:
    # 10**9 - 1 days is a valid (if absurd) grace: every item is current
    a = aging([item("I1", 1, 5000)], AS_OF, grace_days=10**9 - 1)
    assert a.counts[B.CURRENT] == 1
    assert Aging.model_validate_json(a.model_dump_json()) == a
    with pytest.raises(ArgumentError, match="grace_days must be below 10\\*\\*9"):
        aging([], AS_OF, grace_days=10**9, currency="CNY")


@pytest.mark.parametrize(
    ("kwargs", "argument", "match"),
    [
        ({"items": None}, "items", "items must be an iterable of OpenItem, got NoneType"),
        ({"items": "INV-1"}, "items", "items must be an iterable of OpenItem, got str"),
        ({"items": [{"id": "I1"}]}, "items", "items must be an iterable of OpenItem, got dict"),
        ({"as_of": "2026-09-30"}, "as_of", "as_of must be a date"),
        ({"as_of": dt.datetime(2026, 9, 30, 12)}, "as_of", "not a datetime"),
        ({"grace_days": 1.5}, "grace_days", "grace_days must be an int, got float"),
        ({"grace_days": True}, "grace_days", "grace_days must be an int, got bool"),
        ({"grace_days": "5"}, "grace_days", "grace_days must be an int, got str"),
        ({"currency": 156}, "currency", "currency must be a currency code"),
    ],
)
def test_argument_types(kwargs: dict[str, object], argument: str, match: str) -> None:
    call: dict[str, object] = {"items": [item("I1", 1, 1)], "as_of": AS_OF} | kwargs
    with pytest.raises(ArgumentTypeError, match=match) as err:
        aging(**call)  # type: ignore[arg-type]
    assert err.value.argument == argument
    assert isinstance(err.value, TypeError)


def test_bucket_for_checks_its_arguments() -> None:
    with pytest.raises(ArgumentTypeError, match="days_past_due must be an int, got str"):
        bucket_for("5")  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match="grace_days must be an int, got float"):
        bucket_for(5, 1.0)  # type: ignore[arg-type]


def test_a_tiny_overdue_share_reads_back() -> None:
    # overdue 10**-30 of an open total of about 10**14: a share of about 10**-44, below the
    # input bound of 10**-34, which a result field must still read back (issue #10)
    items = [item("C", "99999999999999", -1), item("O", "1e-30", 5)]
    a = aging(items, AS_OF)
    # the open total 99,999,999,999,999 + 10**-30 needs 44 digits: 99999999999999.00...0 (34);
    # the overdue total is the overdue buckets' own sum, 10**-30 (not the total minus current,
    # which lost it); share 10**-30 / (10**14 - 1) = 10**-44 (1 + 10**-14 + 10**-28 + ...)
    assert a.open_total.amount == Decimal("99999999999999.00000000000000000000")
    assert a.overdue_total == Money("1e-30", "CNY")
    assert a.overdue_share == Decimal("1.000000000000010000000000000100000E-44")
    assert Aging.model_validate_json(a.model_dump_json()) == a
    assert "Overdue: 0.00 CNY, 0% of the open total; oldest O, 5 days past due" in a.explain()


def test_aging_read_from_hostile_json_explains_itself_briefly() -> None:
    doc = aging([item("I1", 10, 40)], AS_OF).model_dump(mode="json")
    huge = {"amount": "9E+999999", "currency": "CNY"}
    doc |= {"open_total": huge, "overdue_total": huge, "overdue_share": "7E+999999"}
    odd = Aging.model_validate(doc)
    for lang in ("en", "zh"):
        assert len(odd.explain(lang)) < 1000
    assert "9E+999999 CNY of open items" in odd.explain()


@pytest.mark.parametrize("amount", [0, -5])
def test_open_item_amount_must_be_positive(amount: int) -> None:
    with pytest.raises(ValidationError, match="amount must be positive"):
        OpenItem(id="I", amount=Money(amount, "CNY"), due=AS_OF)


def test_open_item_needs_an_id() -> None:
    with pytest.raises(ValidationError, match="id"):
        OpenItem(id=" ", amount=Money(1, "CNY"), due=AS_OF)


def test_explain_in_both_languages() -> None:
    a = aging([item("I1", 1000, 45), item("I2", 1, 0)], AS_OF, grace_days=2)
    en = a.explain()
    assert en.splitlines()[0] == "Aging of 1,001.00 CNY of open items on 2026-09-30 (grace 2 days)"
    assert "  Current: 1.00 (1 item)" in en
    assert "  31-60 days overdue: 1,000.00 (1 item)" in en
    assert "  Over 90 days overdue: 0.00 (0 items)" in en
    # 1000 / 1001 = 99.90%
    assert en.splitlines()[-1] == (
        "Overdue: 1,000.00 CNY, 99.9% of the open total; oldest I1, 45 days past due"
    )
    zh = a.explain("zh")
    assert zh.splitlines()[0] == "2026-09-30 未结项目账龄（合计 1,001.00 CNY）（宽限 2 天）"
    assert "逾期 31-60 天：1,000.00（1 笔）" in zh
    assert "最久 I1，逾期 45 天" in zh
    with pytest.raises(ValueError, match="lang"):
        a.explain("fr")


def test_jpy_amounts_have_no_decimals_in_the_explanation() -> None:
    a = aging([item("J", 1500, 5, "JPY")], AS_OF)
    assert "1,500 JPY" in a.explain()


def test_aging_round_trips_through_json() -> None:
    a = aging([item("I1", "10.25", 31), item("I2", 5, -3)], AS_OF, grace_days=1)
    assert Aging.model_validate_json(a.model_dump_json()) == a
