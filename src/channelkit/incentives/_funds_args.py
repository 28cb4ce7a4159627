"""Readers of the fund calculators' arguments, and the few helpers their texts share.

A wrong type is an [`ArgumentTypeError`][channelkit.ArgumentTypeError] and a wrong value an
[`ArgumentError`][channelkit.ArgumentError], each naming the argument; money in another
currency than the programme's is a [`CurrencyMismatchError`][channelkit.CurrencyMismatchError].
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Final, TypeVar

from channelkit.currencies import CURRENCIES
from channelkit.errors import ArgumentError, ArgumentTypeError, expect
from channelkit.labels import fmt_amount, pick
from channelkit.model import Model
from channelkit.money import Money, read_amount
from channelkit.numeric import quantize_places

__all__ = [
    # amounts
    "zero",
    "rounded",
    "on_grid",
    "money_text",
    "partners_text",
    # arguments
    "read_date",
    "read_fund_money",
    "read_ids",
    "read_mapping",
    "read_models",
    "unique",
]

_ZERO: Final = Decimal(0)


def zero(currency: str) -> Money:
    """Zero on the currency's grid (``0.00`` CNY, ``0`` JPY): the figure of an empty sum."""
    return Money._make(quantize_places(_ZERO, CURRENCIES[currency]), currency)


def rounded(value: Money) -> Money:
    """``value`` rounded half-up to its currency's minor unit (the one rounding of a share)."""
    return value.rounded()


def on_grid(value: Money) -> Money:
    """``value`` written to its minor unit when that changes only the exponent, not the value.

    Examples
    --------
    >>> on_grid(Money(5, "CNY")), on_grid(Money("5.001", "CNY"))
    (Money('5.00', 'CNY'), Money('5.001', 'CNY'))
    """
    tidy = Money._make(quantize_places(value.amount, value.places), value.currency)
    return tidy if tidy == value else value


def read_fund_money(value: object, currency: str, name: str) -> Money:
    """An amount given as ``Money`` in ``currency`` (or a plain number), not negative.

    Examples
    --------
    >>> read_fund_money(Money(5, "CNY"), "CNY", "committed")
    Money('5', 'CNY')
    >>> read_fund_money(Money(-5, "CNY"), "CNY", "committed")
    Traceback (most recent call last):
    channelkit.errors.ArgumentError: committed must not be negative, got -5
    """
    return Money._make(read_amount(value, currency, name, non_negative=True), currency)


def read_date(value: object, name: str) -> dt.date:
    """A calendar day (a ``datetime``, which has a time of day, is refused).

    Examples
    --------
    >>> read_date(dt.date(2026, 6, 30), "as_of")
    datetime.date(2026, 6, 30)
    >>> read_date("2026-06-30", "as_of")
    Traceback (most recent call last):
    channelkit.errors.ArgumentTypeError: as_of must be a date, not str
    """
    if type(value) is dt.date:
        return value
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        msg = f"{name} must be a date, not {type(value).__name__}"
        raise ArgumentTypeError(msg, argument=name, value=value)
    return dt.date(value.year, value.month, value.day)  # a date subclass


def partners_text(n: int, lang: str) -> str:
    """``"1 partner"``, ``"3 partners"``; in Chinese ``"3 个伙伴"``.

    Examples
    --------
    >>> partners_text(1, "en"), partners_text(2, "en"), partners_text(2, "zh")
    ('1 partner', '2 partners', '2 个伙伴')
    """
    return pick(lang, "1 partner" if n == 1 else f"{n} partners", f"{n} 个伙伴")


def money_text(value: Money) -> str:
    """``value`` with thousands separators to its minor unit and its code: ``1,234.50 CNY``."""
    return f"{fmt_amount(value.amount, CURRENCIES[value.currency])} {value.currency}"


_M = TypeVar("_M", bound=Model)


def read_models(value: object, cls: type[_M], argument: str) -> list[_M]:
    """A list of ``cls`` instances with unique ids from an iterable (a lone model is refused).

    Examples
    --------
    >>> read_models(Money(1, "CNY"), Model, "claims")
    Traceback (most recent call last):
    channelkit.errors.ArgumentTypeError: claims must be an iterable of Model, not Money
    """
    if isinstance(value, str | bytes | Model) or not isinstance(value, Iterable):
        msg = f"{argument} must be an iterable of {cls.__name__}, not {type(value).__name__}"
        raise ArgumentTypeError(msg, argument=argument, value=value)
    items = [expect(v, cls, argument, f"{cls.__name__} objects only") for v in value]
    unique([getattr(v, "id", "") for v in items], argument)
    return items


def read_mapping(value: object, argument: str, what: str) -> Mapping[Any, Any]:
    """A mapping (``None`` reads as an empty one); ``what`` completes "a mapping of ..."."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        msg = f"{argument} must be a mapping of {what}, not {type(value).__name__}"
        raise ArgumentTypeError(msg, argument=argument, value=value)
    return value


def read_ids(value: object, argument: str) -> frozenset[str]:
    """A set of ids from any iterable of ``str`` (a lone ``str`` is refused).

    Examples
    --------
    >>> sorted(read_ids(["R2", "R1"], "closed"))
    ['R1', 'R2']
    """
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        msg = f"{argument} must be a set of ids, not {type(value).__name__}"
        raise ArgumentTypeError(msg, argument=argument, value=value)
    return frozenset(expect(i, str, argument, "ids (str) only") for i in value)


def unique(ids: list[str], argument: str) -> None:
    """An argument error naming the first id that ``ids`` holds twice."""
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            msg = f"{argument} holds the id {i!r} twice"
            raise ArgumentError(msg, argument=argument, value=i)
        seen.add(i)
