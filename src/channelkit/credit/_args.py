"""Readers of the credit calculators' arguments that are not numbers or money.

Numbers and amounts are read by the kernel (`to_decimal`, `read_amount`, `read_money`); these
read the rest the same way: a wrong type is an [`ArgumentTypeError`][channelkit.ArgumentTypeError]
and a wrong value an [`ArgumentError`][channelkit.ArgumentError], each naming the argument.
"""

from __future__ import annotations

from enum import Enum
from typing import Final, TypeVar

from channelkit.currencies import CURRENCIES
from channelkit.errors import ArgumentError, ArgumentTypeError

__all__ = ["read_count", "read_currency", "read_option", "wrong_type"]

_E = TypeVar("_E", bound=Enum)
_MAX_COUNT: Final = 10**9
"""Counts of days are below this, as every integer field (API.md, "Hostile input")."""


def wrong_type(argument: str, expected: str, value: object) -> ArgumentTypeError:
    """The error for ``value`` given as ``argument``, which must be ``expected``."""
    msg = f"{argument} must be {expected}, got {type(value).__name__}"
    return ArgumentTypeError(msg, argument=argument, value=value)


def read_count(value: object, argument: str) -> int:
    """A whole number of days from 0 to 10**9 - 1 (``bool`` is not one).

    Examples
    --------
    >>> read_count(30, "terms_days")
    30
    >>> read_count(-1, "grace_days")
    Traceback (most recent call last):
    channelkit.errors.ArgumentError: grace_days must not be negative, got -1
    """
    if type(value) is not int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise wrong_type(argument, "an int", value)
        value = int(value)  # an int subclass such as IntEnum
    if value < 0:
        msg = f"{argument} must not be negative, got {value}"
        raise ArgumentError(msg, argument=argument, value=value)
    if value >= _MAX_COUNT:
        msg = f"{argument} must be below 10**9, got an integer of {value.bit_length()} bits"
        raise ArgumentError(msg, argument=argument, value="<int>")
    return value


def read_currency(value: object, argument: str = "currency") -> str:
    """A known upper-case ISO 4217 code.

    Examples
    --------
    >>> read_currency("CNY")
    'CNY'
    >>> read_currency("cny")
    Traceback (most recent call last):
    channelkit.errors.ArgumentError: unknown currency 'cny' (currency): expected an upper-case ISO 4217 code such as 'CNY'
    """  # noqa: E501
    if not isinstance(value, str):
        raise wrong_type(argument, "a currency code (str)", value)
    if value not in CURRENCIES:
        msg = (
            f"unknown currency {value[:20]!r} ({argument}): "
            "expected an upper-case ISO 4217 code such as 'CNY'"
        )
        raise ArgumentError(msg, argument=argument, value=value)
    return value


def read_option(enum: type[_E], value: object, argument: str) -> _E:
    """A member of ``enum``, given as the member or its value.

    Examples
    --------
    >>> from channelkit.credit import Combine
    >>> read_option(Combine, "median", "combine")
    <Combine.MEDIAN: 'median'>
    >>> read_option(Combine, "max", "combine")
    Traceback (most recent call last):
    channelkit.errors.ArgumentError: combine must be one of min, mean, median, got 'max'
    """
    if isinstance(value, enum):
        return value
    if not isinstance(value, str):
        raise wrong_type(argument, f"a {enum.__name__} or its value (str)", value)
    try:
        return enum(value)
    except ValueError:
        valid = ", ".join(str(m.value) for m in enum)
        msg = f"{argument} must be one of {valid}, got {value[:40]!r}"
        raise ArgumentError(msg, argument=argument, value=value) from None
