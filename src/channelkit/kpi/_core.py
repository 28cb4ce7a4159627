"""The shared machinery of the KPI ratios: the registry, input checks, positive denominators.

Every ratio function is declared with [`ratio`][channelkit.kpi._core.ratio], which records its
display names beside its definition (the one list of the KPI functions: [`RATIO_LABELS`][] is
read from it). It reads its inputs through `amounts` (plain numbers, or ``Money`` of one
currency, never floats) and divides through `divide`, which defines a ratio only for a positive
denominator. Nothing here is rounded: ratios are exact to the 34 digits of
[`channelkit.numeric.CONTEXT`][].
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from decimal import Decimal, DecimalException
from types import MappingProxyType
from typing import Final, Literal, TypeAlias, TypeVar, cast

from channelkit.errors import (
    ArgumentError,
    ArgumentTypeError,
    CurrencyMismatchError,
    UndefinedRatioError,
)
from channelkit.labels import pick
from channelkit.money import Money
from channelkit.numeric import CONTEXT, MAX_DIGITS, decimal_text, to_decimal

__all__ = [
    "RATIO_LABELS",
    "Amount",
    "Form",
    "amounts",
    "divide",
    "plain_form",
    "plain",
    "positive_days",
    "ratio",
    "ratio_form",
    "ratio_label",
    "require_positive",
]

_ONE: Final = Decimal(1)

Amount: TypeAlias = Money | Decimal | int | str
"""What a ratio accepts for an amount: a ``Decimal``, ``int`` or numeric ``str``, or ``Money``."""


def amounts(ratio: str, names: tuple[str, ...], values: tuple[object, ...]) -> list[Decimal]:
    """Read ``values`` as one kind of amount: all plain numbers, or all ``Money`` of one currency.

    A plain zero goes with ``Money`` (zero needs no currency, as in ``sum(..., 0)``), so an
    optional amount left at its default ``0`` does not force the caller to spell a currency.

    Raises
    ------
    CurrencyMismatchError
        Two ``Money`` values in different currencies.
    ArgumentTypeError
        A float, a non-number, or a non-zero plain number beside ``Money`` (a ``TypeError``).
    ArgumentError
        A non-numeric string, NaN, infinity or a number out of bounds (a ``ValueError``).
    """
    out: list[Decimal] = []
    money_name = ""
    currency = ""
    plain_name = ""
    plain_value: object = None
    for name, value in zip(names, values, strict=True):
        if isinstance(value, Money):
            if not money_name:
                money_name, currency = name, value.currency
            elif value.currency != currency:
                raise CurrencyMismatchError(
                    currency, value.currency, f"{ratio}: {money_name}, {name}"
                )
            out.append(value.amount)
        else:
            d = to_decimal(value, name)
            if d and not plain_name:
                plain_name, plain_value = name, value
            out.append(d)
    if money_name and plain_name:
        msg = (
            f"{ratio}: {plain_name} is a plain number but {money_name} is Money in {currency}; "
            "pass every amount as Money of one currency, or every amount as a plain number"
        )
        raise ArgumentTypeError(msg, argument=plain_name, value=plain_value)
    return out


def plain(value: object, name: str) -> Decimal:
    """Read a number that is not an amount of money (a count, a fraction, days): no ``Money``."""
    return to_decimal(value, name)


def positive_days(days: object) -> Decimal:
    """Read the ``days`` of a days-outstanding ratio: a positive number (365, 360, 90...)."""
    d = to_decimal(days, "days")
    if d <= 0:
        msg = f"days must be positive (365, 360 or the days of the period), got {decimal_text(d)}"
        raise ArgumentError(msg, argument="days", value=d)
    return d


def require_positive(ratio: str, name: str, value: Decimal) -> None:
    """Raise [`UndefinedRatioError`][] unless the denominator ``value`` is above zero."""
    if value > 0:
        return
    if not value:
        raise UndefinedRatioError(ratio, f"{name} is 0")
    reason = f"{name} is negative ({decimal_text(value)}): the ratio would invert its meaning"
    raise UndefinedRatioError(ratio, reason)


def divide(ratio: str, numerator: Decimal, denominator: Decimal, name: str) -> Decimal:
    """``numerator / denominator`` in the local context; the denominator (``name``) must be > 0."""
    require_positive(ratio, name, denominator)
    return plain_form(CONTEXT.divide(numerator, denominator))


def plain_form(value: Decimal) -> Decimal:
    """``value`` without a positive exponent (``6.00E+3`` becomes ``6000``), same value.

    A value of 10**34 or more keeps its exponent (``1E+36``): its plain form would need more
    digits than the context holds (a ``quantize`` would signal ``InvalidOperation``).
    """
    if value.as_tuple().exponent > 0 and value.adjusted() < MAX_DIGITS:  # type: ignore[operator]
        return value.quantize(_ONE, context=CONTEXT)
    return value


Form: TypeAlias = Literal["number", "percent", "days"]
"""How a ratio is shown: a plain number (times, money), a fraction as a percentage, or days."""

_Fn = TypeVar("_Fn", bound=Callable[..., object])

_LABELS: dict[str, tuple[str, str]] = {}
_FORMS: dict[str, Form] = {}


def ratio(en: str, zh: str, *, form: Form = "number") -> Callable[[_Fn], _Fn]:
    """Declare a function of [`channelkit.kpi`][] with its display names, beside its definition.

    The registry it fills is the one list of the KPI functions: [`RATIO_LABELS`][] and
    [`ratio_form`][channelkit.kpi._core.ratio_form] read it, so a function cannot be added
    without its English and Chinese names.

    The function is returned guarded: a ``decimal`` signal of the local context (an ``Overflow``
    from amounts of ``Money`` far beyond the input bounds, such as results read back from JSON)
    becomes an [`ArgumentError`][channelkit.ArgumentError] naming the function's arguments, so
    that no signal reaches the caller.
    """

    def register(fn: _Fn) -> _Fn:
        name = fn.__name__
        _LABELS[name] = (en, zh)
        _FORMS[name] = form
        code = fn.__code__
        params = ", ".join(code.co_varnames[: code.co_argcount + code.co_kwonlyargcount])

        @functools.wraps(fn)
        def guarded(*args: object, **kwargs: object) -> object:
            try:
                return fn(*args, **kwargs)
            except DecimalException:
                msg = (
                    f"{name}: the figures are out of the range of exact arithmetic "
                    f"(each result's exponent must stay within ±{CONTEXT.Emax:,})"
                )
                raise ArgumentError(msg, argument=params, value=(*args, *kwargs.values())) from None

        return cast("_Fn", guarded)

    return register


RATIO_LABELS: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(_LABELS)
"""English and Chinese display names of every function of [`channelkit.kpi`][], by name.

Filled by the functions' declarations ([`ratio`][channelkit.kpi._core.ratio]), module by module.
"""


def ratio_label(name: str, lang: str = "en") -> str:
    """The display name of the ratio function ``name`` in ``lang`` (``"en"`` or ``"zh"``).

    Raises
    ------
    ArgumentError
        When ``name`` is not a function of [`channelkit.kpi`][] (a ``ValueError``).
    ArgumentTypeError
        When ``name`` is not a ``str`` (a ``TypeError``).

    Examples
    --------
    >>> ratio_label("collection_rate", "zh")
    '回款率'
    """
    if not isinstance(name, str):
        msg = f"name must be the name of a KPI function (a str), not {type(name).__name__}"
        raise ArgumentTypeError(msg, argument="name", value=name)
    try:
        en, zh = RATIO_LABELS[name]
    except KeyError:
        msg = f"no KPI ratio is named {name[:40]!r}; known: {', '.join(RATIO_LABELS)}"
        raise ArgumentError(msg, argument="name", value=name) from None
    return pick(lang, en, zh)


def ratio_form(name: str) -> Form:
    """How the ratio ``name`` is shown (``"number"`` for a name that is not a ratio)."""
    return _FORMS.get(name, "number")
