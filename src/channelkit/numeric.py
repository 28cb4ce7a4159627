"""Exact numbers: the float guard, input bounds, the local decimal context and Decimal field types.

Money and rates never pass through binary floating point. Every number that enters channelkit,
as a model field or a calculator argument, goes through :func:`to_decimal`, which

* accepts ``Decimal``, ``int`` and numeric ``str``;
* rejects ``float`` (and ``bool``) with a message that says what to pass instead;
* rejects NaN and the infinities;
* rejects values at or above 10**15 in absolute value, with more than 34 significant digits
  or a non-zero magnitude below 10**-34, so that exponent bombs such as ``"1e999999"`` fail at
  once instead of exhausting memory in a later ``quantize``.

Arithmetic is done in :data:`CONTEXT`, a private 34-digit context with the traps set, used through
``localcontext`` or its methods; the caller's global context is never read or changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import (
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)
from functools import cache
from typing import Annotated, Any, Final

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

__all__ = [
    "CONTEXT",
    "MAX_DIGITS",
    "MAX_MAGNITUDE",
    "ROUNDING_MODES",
    "Dec",
    "DecimalLike",
    "NonNegativeDecimal",
    "PositiveDecimal",
    "UnitInterval",
    "add_all",
    "check_rounding",
    "decimal_text",
    "grid",
    "quantize_places",
    "to_decimal",
]

MAX_DIGITS: Final = 34
"""Most significant digits (and decimal places) an input number may have."""
MAX_MAGNITUDE: Final = 15
"""Input numbers must be below ``10 ** MAX_MAGNITUDE`` in absolute value."""

CONTEXT: Final = Context(
    prec=MAX_DIGITS,
    rounding=ROUND_HALF_EVEN,
    Emax=999_999,
    Emin=-999_999,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)
"""The local context every calculation runs in (34 digits, IEEE 754 decimal128 precision)."""

ROUNDING_MODES: Final = frozenset(
    {
        "ROUND_CEILING",
        "ROUND_DOWN",
        "ROUND_FLOOR",
        "ROUND_HALF_DOWN",
        "ROUND_HALF_EVEN",
        "ROUND_HALF_UP",
        "ROUND_UP",
        "ROUND_05UP",
    }
)
"""The rounding modes of the :mod:`decimal` module, by their constant's value."""

DecimalLike = Decimal | int | str
"""What a calculator accepts where it needs a number: never a ``float``."""

_MAX: Final = Decimal(10) ** MAX_MAGNITUDE


def to_decimal(value: object, name: str = "value") -> Decimal:
    """Convert ``value`` to a bounded, finite ``Decimal`` or raise ``ValueError``/``TypeError``.

    Parameters
    ----------
    value
        A ``Decimal``, an ``int`` or a numeric ``str`` (white space and ``_`` separators allowed).
    name
        The argument or field name, used in the error message.

    Raises
    ------
    TypeError
        For a ``float``, a ``bool`` or any other type.
    ValueError
        For a non-numeric string, NaN, infinity, or a value outside the bounds: absolute value
        at or above 10**15, more than 34 significant digits, or a non-zero magnitude below 10**-34.

    Examples
    --------
    >>> to_decimal("12.50")
    Decimal('12.50')
    >>> to_decimal(0.1, "rate")
    Traceback (most recent call last):
    TypeError: rate must not be a float (got 0.1): pass a Decimal, an int or a string such as '0.1'
    >>> to_decimal("1e999999", "amount")
    Traceback (most recent call last):
    ValueError: amount is too large: 1E+999999 (the bound is below 10**15)
    """
    tp = type(value)
    if tp is str:
        try:
            d = Decimal(value)  # type: ignore[arg-type]
        except InvalidOperation:
            msg = f"{name} is not a number: {value!r}"
            raise ValueError(msg) from None
        if len(value) <= MAX_DIGITS:  # type: ignore[arg-type]
            return _check_range(d, name)
        return _check_digits(_check_range(d, name), name)
    if tp is Decimal:
        return _check_digits(_check_range(value, name), name)  # type: ignore[arg-type]
    if tp is int:
        return _check_range(Decimal(value), name)  # type: ignore[arg-type]
    if isinstance(value, bool):
        msg = f"{name} must be a number, not a bool (got {value!r})"
        raise TypeError(msg)
    if isinstance(value, float):
        msg = (
            f"{name} must not be a float (got {value!r}): "
            f"pass a Decimal, an int or a string such as '{value!r}'"
        )
        raise TypeError(msg)
    if isinstance(value, int):  # a subclass such as IntEnum
        return _check_range(Decimal(int(value)), name)
    if isinstance(value, str | Decimal):  # a subclass such as StrEnum
        return to_decimal(str(value), name)
    msg = f"{name} must be a Decimal, an int or a numeric str, not {tp.__name__}"
    raise TypeError(msg)


def _check_range(d: Decimal, name: str) -> Decimal:
    if not d.is_finite():
        msg = f"{name} must be finite, got {d}"
        raise ValueError(msg)
    if not d:
        return d
    adjusted = d.adjusted()
    if adjusted >= MAX_MAGNITUDE:
        msg = f"{name} is too large: {_short(d)} (the bound is below 10**{MAX_MAGNITUDE})"
        raise ValueError(msg)
    if adjusted < -MAX_DIGITS:
        msg = f"{name} is too small to be meaningful: {_short(d)} (at least 10**-{MAX_DIGITS})"
        raise ValueError(msg)
    return d


def _check_digits(d: Decimal, name: str) -> Decimal:
    if len(d.as_tuple().digits) > MAX_DIGITS:
        msg = f"{name} has too many digits: {_short(d)} (at most {MAX_DIGITS} significant digits)"
        raise ValueError(msg)
    return d


def _short(d: Decimal) -> str:
    text = str(d)
    return text if len(text) <= 40 else text[:20] + "..." + text[-12:]


@cache
def grid(places: int) -> Decimal:
    """The unit of ``places`` decimals, ``10 ** -places``, built exactly (no context involved).

    Examples
    --------
    >>> grid(2), grid(0)
    (Decimal('0.01'), Decimal('1'))
    """
    return Decimal((0, (1,), -places))


def add_all(values: Iterable[Decimal]) -> Decimal:
    """Sum ``values`` in the local context (the builtin ``sum`` would use the global one).

    Examples
    --------
    >>> add_all([Decimal("0.1"), Decimal("0.2")])
    Decimal('0.3')
    """
    total = Decimal(0)
    for v in values:
        total = CONTEXT.add(total, v)
    return total


def quantize_places(value: Decimal, places: int, rounding: str = ROUND_HALF_UP) -> Decimal:
    """Round ``value`` to ``places`` decimals with ``rounding``, in the local context.

    Examples
    --------
    >>> quantize_places(Decimal("2.345"), 2)
    Decimal('2.35')
    >>> quantize_places(Decimal("2.345"), 2, "ROUND_HALF_EVEN")
    Decimal('2.34')
    """
    return value.quantize(grid(places), rounding=rounding, context=CONTEXT)


def check_rounding(rounding: str) -> str:
    """Return ``rounding`` if it names a :mod:`decimal` rounding mode, else raise ``ValueError``.

    Examples
    --------
    >>> check_rounding("ROUND_HALF_EVEN")
    'ROUND_HALF_EVEN'
    """
    if rounding not in ROUNDING_MODES:
        msg = f"rounding must be one of {sorted(ROUNDING_MODES)}, got {rounding!r}"
        raise ValueError(msg)
    return rounding


def decimal_text(d: Decimal) -> str:
    """Plain (never scientific) text of ``d``, the JSON form of every decimal.

    Examples
    --------
    >>> decimal_text(Decimal("1E+3"))
    '1000'
    """
    return f"{d:f}"


_DECIMAL_PATTERN: Final = r"^\s*[-+]?(\d[\d_]*)?(\.\d*)?([eE][-+]?\d+)?\s*$"


class _DecimalField:
    """Pydantic metadata for a bounded, float-free Decimal field with optional limits."""

    __slots__ = ("ge", "gt", "le")

    def __init__(
        self, *, ge: Decimal | None = None, gt: Decimal | None = None, le: Decimal | None = None
    ) -> None:
        self.ge, self.gt, self.le = ge, gt, le

    def validate(self, value: Any) -> Decimal:
        try:
            d = to_decimal(value, "value")
        except TypeError as err:  # pydantic reports ValueErrors as ValidationErrors
            raise ValueError(str(err)) from None
        if self.ge is not None and d < self.ge:
            msg = f"must be at least {self.ge}, got {d}"
            raise ValueError(msg)
        if self.gt is not None and d <= self.gt:
            msg = f"must be greater than {self.gt}, got {d}"
            raise ValueError(msg)
        if self.le is not None and d > self.le:
            msg = f"must be at most {self.le}, got {d}"
            raise ValueError(msg)
        return d

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            self.validate,
            serialization=core_schema.plain_serializer_function_ser_schema(
                decimal_text, when_used="json"
            ),
        )

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        number: dict[str, Any] = {"type": "integer"}
        text: dict[str, Any] = {"type": "string", "pattern": _DECIMAL_PATTERN}
        out: dict[str, Any] = {"anyOf": [number, text]}
        if self.ge is not None:
            out["minimum"] = int(self.ge)
        if self.gt is not None:
            out["exclusiveMinimum"] = int(self.gt)
        if self.le is not None:
            out["maximum"] = int(self.le)
        return out


Dec = Annotated[Decimal, _DecimalField()]
"""A ``Decimal`` field: accepts ``Decimal``, ``int`` and numeric ``str``; rejects floats and NaN."""
NonNegativeDecimal = Annotated[Decimal, _DecimalField(ge=Decimal(0))]
"""A :data:`Dec` that is at least 0."""
PositiveDecimal = Annotated[Decimal, _DecimalField(gt=Decimal(0))]
"""A :data:`Dec` that is above 0."""
UnitInterval = Annotated[Decimal, _DecimalField(ge=Decimal(0), le=Decimal(1))]
"""A :data:`Dec` between 0 and 1 inclusive (a share, an effectiveness)."""
