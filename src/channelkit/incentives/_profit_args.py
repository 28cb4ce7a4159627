"""The argument checks of [`profitability`][channelkit.incentives.profitability].

Each reader checks one argument's type and, where the amount's currency is not needed, its
value, before any transaction is read; an error names the argument (and the key of a mapping).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any, Final, cast

from channelkit.currencies import check_currency
from channelkit.errors import ArgumentError, ArgumentTypeError
from channelkit.incentives.costs import ChannelCost
from channelkit.money import Money
from channelkit.numeric import decimal_text, to_decimal
from channelkit.periods import Period

__all__ = [
    "check_period",
    "iterate",
    "read_costs",
    "read_currency",
    "read_days",
    "read_money_map",
    "read_rate",
]

_LONG: Final = 60


def _shown(value: object) -> str:
    """A short ``repr`` of a refused value for a message."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return f"an integer of {value.bit_length()} bits"
    text = repr(value)
    return text if len(text) <= _LONG else text[:45] + "..." + text[-12:]


def check_period(period: object) -> Period:
    """``period`` if it is a ``Period``, else an argument type error naming it."""
    if not isinstance(period, Period):
        msg = f"period must be a Period, got {type(period).__name__}"
        raise ArgumentTypeError(msg, argument="period", value=period)
    return period


def iterate(value: object, name: str, what: str) -> Iterator[Any]:
    """``iter(value)``, or an argument type error naming ``name`` (a string is refused)."""
    if not isinstance(value, str | bytes):
        try:
            return iter(cast(Iterable[Any], value))
        except TypeError:
            pass
    msg = f"{name} must be an iterable of {what}, not {type(value).__name__}"
    raise ArgumentTypeError(msg, argument=name, value=value)


def read_costs(costs: object) -> list[ChannelCost]:
    """The costs as a list, each checked to be a ``ChannelCost``."""
    if isinstance(costs, ChannelCost):
        msg = "costs must be an iterable of ChannelCost, not one ChannelCost: pass [cost]"
        raise ArgumentTypeError(msg, argument="costs", value=costs)
    out: list[ChannelCost] = []
    for i, c in enumerate(iterate(costs, "costs", "ChannelCost")):
        if not isinstance(c, ChannelCost):
            msg = f"costs[{i}] must be a ChannelCost, not {type(c).__name__}"
            raise ArgumentTypeError(msg, argument=f"costs[{i}]", value=c)
        out.append(c)
    return out


def _keys(value: object, name: str, what: str) -> Mapping[str, Any]:
    """``value`` as a mapping keyed by partner ids (``None``: empty)."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        msg = f"{name} must be a mapping of partner id to {what}, not {type(value).__name__}"
        raise ArgumentTypeError(msg, argument=name, value=value)
    for key in value:
        if not isinstance(key, str) or not key.strip():
            msg = f"{name} must be keyed by partner ids (non-blank strings), got {_shown(key)}"
            raise ArgumentTypeError(msg, argument=name, value=key)
    return value


def read_money_map(value: object, name: str) -> dict[str, Money]:
    """Rebates or funds by partner id: each a ``Money`` (its currency is checked later)."""
    out: dict[str, Money] = {}
    for pid, m in _keys(value, name, "Money").items():
        if not isinstance(m, Money):
            msg = f"{name}[{pid!r}] must be Money, not {type(m).__name__}: {_shown(m)}"
            raise ArgumentTypeError(msg, argument=f"{name}[{pid!r}]", value=m)
        out[str(pid)] = m
    return out


def _non_negative(value: object, name: str) -> Decimal:
    d = to_decimal(value, name)
    if d < 0:
        msg = f"{name} must not be negative, got {decimal_text(d)}"
        raise ArgumentError(msg, argument=name, value=value)
    return d


def read_rate(value: object) -> Decimal | None:
    """The annual financing rate: ``None`` or a number at least 0 (``0.06`` is 6%)."""
    return None if value is None else _non_negative(value, "financing_rate")


def read_days(value: object) -> dict[str, Decimal]:
    """Receivable days by partner id, each a number at least 0."""
    return {
        str(pid): _non_negative(days, f"receivable_days[{pid!r}]")
        for pid, days in _keys(value, "receivable_days", "days").items()
    }


def read_currency(value: object) -> str | None:
    """``None`` or a known ISO 4217 code (else an argument error naming ``currency``)."""
    return None if value is None else check_currency(value)
