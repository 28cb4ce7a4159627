from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from channelkit import Frequency, Period
from channelkit.testing import periods


def test_constructors_by_hand() -> None:
    assert Period.month(2026, 2) == Period(date(2026, 2, 1), date(2026, 3, 1))
    assert Period.month(2026, 12) == Period(date(2026, 12, 1), date(2027, 1, 1))
    assert Period.quarter(2026, 1) == Period(date(2026, 1, 1), date(2026, 4, 1))
    assert Period.quarter(2026, 4) == Period(date(2026, 10, 1), date(2027, 1, 1))
    # fiscal year from April, named by the year it starts in: Q4 is Jan-Mar of the next year
    assert Period.quarter(2026, 1, start_month=4) == Period(date(2026, 4, 1), date(2026, 7, 1))
    assert Period.quarter(2026, 4, start_month=4) == Period(date(2027, 1, 1), date(2027, 4, 1))
    assert Period.half(2026, 2) == Period(date(2026, 7, 1), date(2027, 1, 1))
    assert Period.half(2026, 2, start_month=7) == Period(date(2027, 1, 1), date(2027, 7, 1))
    assert Period.year(2026) == Period(date(2026, 1, 1), date(2027, 1, 1))
    assert Period.year(2026, start_month=4) == Period(date(2026, 4, 1), date(2027, 4, 1))
    assert Period(start=date(2026, 1, 1), end=date(2026, 1, 2)).days == 1


def test_containing() -> None:
    d = date(2026, 2, 14)
    assert Period.containing(d, Frequency.MONTHLY) == Period.month(2026, 2)
    assert Period.containing(d, Frequency.QUARTERLY) == Period.quarter(2026, 1)
    assert Period.containing(d, Frequency.HALF_YEARLY) == Period.half(2026, 1)
    assert Period.containing(d, Frequency.YEARLY) == Period.year(2026)
    # February 2026 is in fiscal year 2025 when the year starts in April: its Q4
    assert Period.containing(d, Frequency.QUARTERLY, start_month=4) == Period.quarter(
        2025, 4, start_month=4
    )
    assert Period.containing(d, "yearly", start_month=4) == Period.year(2025, start_month=4)  # type: ignore[arg-type]
    assert Period.containing(date(2026, 4, 1), Frequency.YEARLY, start_month=4) == Period.year(
        2026, start_month=4
    )


@pytest.mark.parametrize(
    ("call", "text"),
    [
        (lambda: Period.month(2026, 13), "month must be an integer from 1 to 12, got 13"),
        (lambda: Period.quarter(2026, 0), "quarter must be an integer from 1 to 4, got 0"),
        (lambda: Period.half(2026, 3), "half must be an integer from 1 to 2, got 3"),
        (lambda: Period.year(2026, start_month=0), "start_month must be an integer"),
        (lambda: Period.quarter(2026, True), "quarter must be an integer"),
        (lambda: Period.containing(date(2026, 1, 1), Frequency.YEARLY, 13), "start_month"),
    ],
)
def test_constructor_errors(call: object, text: str) -> None:
    with pytest.raises(ValueError, match=text):
        call()  # type: ignore[operator]


def test_end_must_be_after_start() -> None:
    with pytest.raises(ValidationError, match=r"end \(2026-01-01\) must be after start"):
        Period(date(2026, 1, 1), date(2026, 1, 1))
    with pytest.raises(ValidationError):
        Period(date(2026, 1, 2), date(2026, 1, 1))


def test_queries() -> None:
    q1 = Period.quarter(2026, 1)
    assert q1.days == 90
    assert date(2026, 1, 1) in q1
    assert date(2026, 3, 31) in q1
    assert date(2026, 4, 1) not in q1
    assert "2026-01-05" not in q1
    assert q1.overlaps(Period.month(2026, 3))
    assert not q1.overlaps(Period.month(2026, 4))
    assert q1.intersection(Period.month(2026, 4)) is None
    assert q1.intersection(Period(date(2025, 12, 15), date(2026, 1, 10))) == Period(
        date(2026, 1, 1), date(2026, 1, 10)
    )
    # January is 31 of the quarter's 90 days
    assert Period.month(2026, 1).fraction_of(q1) == Decimal(
        "0." + "3" + "4" * 33
    )  # 31/90, 34 digits
    assert q1.fraction_of(Period.month(2026, 1)) == 1
    assert Period.month(2026, 5).fraction_of(q1) == 0
    assert str(q1) == "2026-01-01..2026-04-01"


def test_split_by_hand() -> None:
    assert Period.year(2026).split(Frequency.QUARTERLY) == [
        Period.quarter(2026, q) for q in (1, 2, 3, 4)
    ]
    assert Period.year(2026, start_month=4).split(Frequency.QUARTERLY) == [
        Period.quarter(2026, q, start_month=4) for q in (1, 2, 3, 4)
    ]
    assert Period.quarter(2026, 1).split(Frequency.YEARLY) == [Period.quarter(2026, 1)]
    # counted from the start, each part from the start itself: month ends do not drift
    assert Period(date(2026, 1, 31), date(2026, 4, 15)).split(Frequency.MONTHLY) == [
        Period(date(2026, 1, 31), date(2026, 2, 28)),
        Period(date(2026, 2, 28), date(2026, 3, 31)),
        Period(date(2026, 3, 31), date(2026, 4, 15)),
    ]


def test_frequency() -> None:
    assert [f.months for f in Frequency] == [1, 3, 6, 12]
    assert Frequency.HALF_YEARLY == "half_yearly"
    assert Frequency.YEARLY.label("zh") == "年度"


@given(periods(), st.sampled_from(Frequency))
def test_split_covers_exactly_with_contiguous_parts(p: Period, f: Frequency) -> None:
    parts = p.split(f)
    assert parts[0].start == p.start
    assert parts[-1].end == p.end
    for a, b in pairwise(parts):
        assert a.end == b.start
    assert sum(x.days for x in parts) == p.days
    assert sum((x.fraction_of(p) for x in parts), Decimal(0)) == pytest.approx(Decimal(1))


@given(periods(), periods())
def test_overlap_and_fraction_agree(a: Period, b: Period) -> None:
    frac = a.fraction_of(b)
    assert 0 <= frac <= 1
    assert (frac > 0) == a.overlaps(b) == b.overlaps(a)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    st.sampled_from(Frequency),
    st.integers(min_value=1, max_value=12),
)
def test_containing_contains(day: date, f: Frequency, start_month: int) -> None:
    p = Period.containing(day, f, start_month=start_month)
    assert day in p
    assert p.start.day == 1
    assert p.start - timedelta(days=1) not in p


@given(periods())
def test_period_json_round_trip(p: Period) -> None:
    assert Period.model_validate_json(p.model_dump_json()) == p
