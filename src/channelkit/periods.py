"""Half-open periods of calendar days and the frequencies programmes settle at.

A [`Period`][] is ``[start, end)``: it contains ``start`` and not ``end``, so consecutive periods
share a boundary date without overlapping and their day counts add up. Fiscal years are named by
the calendar year they start in (``Period.year(2026, start_month=4)`` is 2026-04-01 to 2027-04-01),
and their quarters and halves count from ``start_month``. Calendar arithmetic uses
``dateutil.relativedelta``, always from the period's start, so month ends never drift.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Self

from dateutil.relativedelta import relativedelta
from pydantic import model_validator

from channelkit.errors import ArgumentError, ArgumentTypeError
from channelkit.labels import LabeledEnum
from channelkit.model import Model
from channelkit.numeric import CONTEXT

__all__ = ["Frequency", "Period"]


class Frequency(LabeledEnum):
    """How often a programme settles (返利频度)."""

    MONTHLY = "monthly", "Monthly", "月度"
    QUARTERLY = "quarterly", "Quarterly", "季度"
    HALF_YEARLY = "half_yearly", "Half-yearly", "半年度"
    YEARLY = "yearly", "Yearly", "年度"

    @property
    def months(self) -> int:
        """Length in months: 1, 3, 6 or 12."""
        return _MONTHS[self]


_MONTHS = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.HALF_YEARLY: 6,
    Frequency.YEARLY: 12,
}


def _check_range(name: str, value: int, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"{name} must be an integer from {low} to {high}, got {value!r}"
        raise ArgumentTypeError(msg, argument=name, value=value)
    if not low <= value <= high:
        msg = f"{name} must be an integer from {low} to {high}, got {value!r}"
        raise ArgumentError(msg, argument=name, value=value)


def _shift(day: date, months: int) -> date:
    """``day`` moved by ``months``, or an argument error past the calendar's last year (9999)."""
    try:
        return day + relativedelta(months=months)
    except (ValueError, OverflowError):
        msg = f"{day} moved by {months} months leaves the calendar (years 1 to 9999)"
        raise ArgumentError(msg, argument="year", value=day.year) from None


_UNSET: Any = object()


def _first(year: int, month: int) -> date:
    _check_range("year", year, 1, 9999)
    return date(year, month, 1)


class Period(Model):
    """A half-open range of days ``[start, end)`` with ``end > start``.

    Examples
    --------
    >>> q = Period.quarter(2026, 1)
    >>> q
    Period(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 4, 1))
    >>> q.days, date(2026, 3, 31) in q, date(2026, 4, 1) in q
    (90, True, False)
    >>> [str(p) for p in Period.year(2026, start_month=4).split(Frequency.HALF_YEARLY)]
    ['2026-04-01..2026-10-01', '2026-10-01..2027-04-01']
    """

    start: date
    """First day in the period."""
    end: date
    """First day after the period (exclusive)."""

    def __init__(self, start: date = _UNSET, end: date = _UNSET, **extra: Any) -> None:
        # positional or keyword; a missing or unknown key is a ValidationError like any field's
        given = {k: v for k, v in (("start", start), ("end", end)) if v is not _UNSET}
        super().__init__(**given, **extra)

    @model_validator(mode="after")
    def _end_after_start(self) -> Self:
        if self.end <= self.start:
            msg = f"end ({self.end}) must be after start ({self.start}): periods are [start, end)"
            raise ValueError(msg)
        return self

    # -- constructors ---------------------------------------------------------------------------

    @classmethod
    def _months_from(cls, first: date, months: int) -> Period:
        return cls(first, _shift(first, months))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """The calendar month ``month`` of ``year``.

        Examples
        --------
        >>> Period.month(2026, 2).days
        28
        """
        _check_range("month", month, 1, 12)
        return cls._months_from(_first(year, month), 1)

    @classmethod
    def _part(cls, year: int, index: int, size: int, start_month: int) -> Period:
        _check_range("start_month", start_month, 1, 12)
        first = _shift(_first(year, start_month), size * (index - 1))
        return cls._months_from(first, size)

    @classmethod
    def quarter(cls, year: int, quarter: int, start_month: int = 1) -> Period:
        """Quarter ``quarter`` (1-4) of the (fiscal) year ``year`` starting in ``start_month``.

        Examples
        --------
        >>> str(Period.quarter(2026, 4, start_month=4))
        '2027-01-01..2027-04-01'
        """
        _check_range("quarter", quarter, 1, 4)
        return cls._part(year, quarter, 3, start_month)

    @classmethod
    def half(cls, year: int, half: int, start_month: int = 1) -> Period:
        """Half ``half`` (1-2) of the (fiscal) year ``year`` starting in ``start_month``.

        Examples
        --------
        >>> str(Period.half(2026, 2))
        '2026-07-01..2027-01-01'
        """
        _check_range("half", half, 1, 2)
        return cls._part(year, half, 6, start_month)

    @classmethod
    def year(cls, year: int, start_month: int = 1) -> Period:
        """The (fiscal) year named by the calendar year it starts in.

        Examples
        --------
        >>> str(Period.year(2026, start_month=4))
        '2026-04-01..2027-04-01'
        """
        return cls._part(year, 1, 12, start_month)

    @classmethod
    def containing(cls, day: date, frequency: Frequency, start_month: int = 1) -> Period:
        """The period of ``frequency`` (in the fiscal calendar of ``start_month``) holding ``day``.

        Examples
        --------
        >>> str(Period.containing(date(2026, 2, 14), Frequency.QUARTERLY, start_month=4))
        '2026-01-01..2026-04-01'
        """
        _check_range("start_month", start_month, 1, 12)
        size = Frequency(frequency).months
        fiscal_year = day.year if day.month >= start_month else day.year - 1
        offset = (day.month - start_month) % 12
        return cls._part(fiscal_year, offset // size + 1, size, start_month)

    # -- queries --------------------------------------------------------------------------------

    @property
    def days(self) -> int:
        """Number of days in the period."""
        return (self.end - self.start).days

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day < self.end

    def overlaps(self, other: Period) -> bool:
        """Whether the two periods share at least one day.

        Examples
        --------
        >>> Period.month(2026, 1).overlaps(Period.month(2026, 2))
        False
        """
        return self.start < other.end and other.start < self.end

    def intersection(self, other: Period) -> Period | None:
        """The days both periods share, or ``None`` when they share none."""
        if not self.overlaps(other):
            return None
        return Period(max(self.start, other.start), min(self.end, other.end))

    def fraction_of(self, other: Period) -> Decimal:
        """Share of ``other``'s days that this period covers: overlap days / ``other.days``.

        Used for proration; the result is exact to 34 significant digits and lies in ``[0, 1]``.

        Examples
        --------
        >>> Period.month(2026, 1).fraction_of(Period.quarter(2026, 1))
        Decimal('0.3444444444444444444444444444444444')
        """
        overlap = self.intersection(other)
        if overlap is None:
            return Decimal(0)
        return CONTEXT.divide(Decimal(overlap.days), Decimal(other.days))

    def split(self, frequency: Frequency) -> list[Period]:
        """Cut the period into consecutive parts of ``frequency``, counted from ``start``.

        The parts are contiguous, cover the period exactly, and the last one ends at ``end``
        (shorter when the period is not a whole number of parts).

        Examples
        --------
        >>> [str(p) for p in Period.year(2026).split(Frequency.QUARTERLY)][:2]
        ['2026-01-01..2026-04-01', '2026-04-01..2026-07-01']
        """
        size = Frequency(frequency).months
        parts: list[Period] = []
        k = 0
        first = self.start
        while first < self.end:
            k += 1
            try:
                nxt = min(self.start + relativedelta(months=size * k), self.end)
            except (ValueError, OverflowError):  # past 9999: the last part ends with the period
                nxt = self.end
            parts.append(Period(first, nxt))
            first = nxt
        return parts

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"
