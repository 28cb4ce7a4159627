"""Argument readers of the conflict calculators: wrong types and values are argument errors.

Every calculator of the area reads its arguments through these, so that a wrong argument is an
[`ArgumentTypeError`][channelkit.ArgumentTypeError] or an
[`ArgumentError`][channelkit.ArgumentError] naming it, never an ``AttributeError`` from deep
inside a loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import TypeVar

from channelkit.errors import ArgumentError, ArgumentTypeError

_T = TypeVar("_T")
_E = TypeVar("_E", bound=Enum)


def read_all(values: object, cls: type[_T], name: str) -> Sequence[_T]:
    """The items of the iterable ``values`` (read once), each checked to be a ``cls``.

    A list or a tuple is used as it is; any other iterable is read into a tuple. The check costs
    one ``type()`` per item (a set of the types met), not an ``isinstance`` call each.

    Examples
    --------
    >>> from decimal import Decimal
    >>> read_all(iter([Decimal(1), Decimal(2)]), Decimal, "rates")
    (Decimal('1'), Decimal('2'))
    >>> read_all([Decimal(1), "2"], Decimal, "rates")
    Traceback (most recent call last):
    channelkit.errors.ArgumentTypeError: rates[1] must be a Decimal, not str
    >>> read_all(None, Decimal, "rates")
    Traceback (most recent call last):
    channelkit.errors.ArgumentTypeError: rates must be an iterable of Decimal, not NoneType
    """
    if type(values) is list or type(values) is tuple:
        items: Sequence[object] = values
    else:
        try:
            if isinstance(values, str | bytes):
                raise TypeError  # iterable, but of characters
            each = iter(values)  # type: ignore[call-overload]
        except TypeError:
            msg = f"{name} must be an iterable of {cls.__name__}, not {type(values).__name__}"
            raise ArgumentTypeError(msg, argument=name, value=values) from None
        items = tuple(each)
    for kind in set(map(type, items)):
        if not issubclass(kind, cls):
            index = next(i for i, v in enumerate(items) if type(v) is kind)
            msg = f"{name}[{index}] must be a {cls.__name__}, not {kind.__name__}"
            raise ArgumentTypeError(msg, argument=name, value=items[index])
    return items  # type: ignore[return-value]


def read_one(value: object, cls: type[_T], name: str) -> _T:
    """``value`` if it is a ``cls``, else an argument type error naming ``name``."""
    if not isinstance(value, cls):
        msg = f"{name} must be a {cls.__name__}, not {type(value).__name__}"
        raise ArgumentTypeError(msg, argument=name, value=value)
    return value


def read_member(value: object, enum: type[_E], name: str) -> _E:
    """The member of ``enum`` that ``value`` is or names (its value), else an argument error.

    Examples
    --------
    >>> from channelkit.scales import Severity
    >>> read_member("high", Severity, "severity")
    <Severity.HIGH: 'high'>
    >>> read_member("worst", Severity, "severity")
    Traceback (most recent call last):
    channelkit.errors.ArgumentError: severity must be one of low, medium, high, critical, got ...
    """
    if isinstance(value, enum):
        return value
    if not isinstance(value, str):
        msg = f"{name} must be a {enum.__name__} or its value, not {type(value).__name__}"
        raise ArgumentTypeError(msg, argument=name, value=value)
    try:
        return enum(value)
    except ValueError:
        choices = ", ".join(str(m.value) for m in enum)
        msg = f"{name} must be one of {choices}, got {value!r}"
        raise ArgumentError(msg, argument=name, value=value) from None
