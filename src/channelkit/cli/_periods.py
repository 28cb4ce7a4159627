"""Periods as the command line writes them: ``2026Q3``, ``2026-07``, ``2026``, ``start..end``."""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

from pydantic import ValidationError

from channelkit.errors import ArgumentError
from channelkit.periods import Period

__all__ = ["FORMS", "parse_period"]

FORMS: Final = "2026Q3, 2026H2, 2026-07, 2026 or 2026-07-01..2026-10-01"
"""The forms a period is written in, for messages and help."""

_QUARTER: Final = re.compile(r"(\d{4})[Qq](\d)")
_HALF: Final = re.compile(r"(\d{4})[Hh](\d)")
_MONTH: Final = re.compile(r"(\d{4})-(\d{2})")
_YEAR: Final = re.compile(r"\d{4}")
_DAY: Final = r"\d{4}-\d{2}-\d{2}"
_RANGE: Final = re.compile(rf"({_DAY})\.\.({_DAY})")


def parse_period(text: str) -> Period:
    """The [`Period`][channelkit.Period] that ``text`` names.

    Parameters
    ----------
    text
        A quarter ``2026Q3``, a half-year ``2026H2``, a month ``2026-07``, a calendar year
        ``2026`` or a half-open range of days ``2026-07-01..2026-10-01`` (the end excluded,
        as ``str(period)`` writes it).

    Returns
    -------
    Period
        The calendar quarter, half, month or year, or the range ``[start, end)``.

    Raises
    ------
    ArgumentError
        Text in none of these forms, a quarter other than 1 to 4, a half other than 1 or 2,
        a month other than 1 to 12, a year outside 1 to 9999, a day that does not exist, or a
        range whose end is not after its start; the message quotes the text.

    Notes
    -----
    Surrounding white space is ignored and ``q``/``h`` may be lower case; otherwise the forms
    are exact (four-digit years, two-digit months and days), so ``2026-7`` is refused rather
    than guessed. A range is half-open like every ``Period``: ``2026-07-01..2026-10-01`` is
    the third quarter, and ``str(parse_period(s)) == s`` for any valid range ``s``.

    Examples
    --------
    >>> str(parse_period("2026Q3")), str(parse_period("2026-02"))
    ('2026-07-01..2026-10-01', '2026-02-01..2026-03-01')
    >>> parse_period("2026-07-01..2026-10-01") == parse_period("2026q3")
    True
    >>> parse_period("2026Q5")
    Traceback (most recent call last):
    channelkit.errors.ArgumentError: period '2026Q5': quarter must be an integer from 1 to 4, got 5
    """
    s = text.strip()
    try:
        if m := _QUARTER.fullmatch(s):
            return Period.quarter(int(m[1]), int(m[2]))
        if m := _HALF.fullmatch(s):
            return Period.half(int(m[1]), int(m[2]))
        if m := _MONTH.fullmatch(s):
            return Period.month(int(m[1]), int(m[2]))
        if _YEAR.fullmatch(s):
            return Period.year(int(s))
        if m := _RANGE.fullmatch(s):
            return _range(m[1], m[2])
    except ArgumentError as err:
        raise ArgumentError(f"period {text!r}: {err}", argument="period", value=text) from None
    msg = f"period must be written {FORMS}, got {text!r}"
    raise ArgumentError(msg, argument="period", value=text)


def _range(start: str, end: str) -> Period:
    days: list[dt.date] = []
    for day in (start, end):
        try:
            days.append(dt.date.fromisoformat(day))
        except ValueError:
            msg = f"{day} is not a day of the calendar"
            raise ArgumentError(msg, argument="period", value=day) from None
    try:
        return Period(days[0], days[1])
    except ValidationError:
        msg = f"the end ({end}) must be after the start ({start}): periods are [start, end)"
        raise ArgumentError(msg, argument="period", value=f"{start}..{end}") from None
