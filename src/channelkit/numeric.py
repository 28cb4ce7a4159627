"""Exact numbers: the float guard, input bounds, the local decimal context and Decimal field types.

Money and rates never pass through binary floating point. Every number that enters channelkit,
as a model field or a calculator argument, goes through [`to_decimal`][], which

* accepts ``Decimal``, ``int`` and numeric ``str``;
* rejects ``float`` (and ``bool``) with a message that says what to pass instead;
* rejects NaN and the infinities;
* rejects values at or above 10**15 in absolute value, with more than 34 significant digits
  or a non-zero magnitude below 10**-34, so that exponent bombs such as ``"1e999999"`` fail at
  once instead of exhausting memory in a later ``quantize``.

Arithmetic is done in [`CONTEXT`][], a private 34-digit context with the traps set, used through
``localcontext`` or its methods; the caller's global context is never read or changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import (
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Clamped,
    Context,
    Decimal,
    DecimalException,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    Rounded,
    Subnormal,
    Underflow,
    localcontext,
)
from functools import cache
from typing import Annotated, Any, Final

from pydantic import Field, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from channelkit.errors import ArgumentError, ArgumentTypeError

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
    "ResultDec",
    "ResultNonNegative",
    "Count",
    "NonNegativeCount",
    "add_all",
    "check_rounding",
    "decimal_text",
    "grid",
    "quantize_places",
    "to_decimal",
    "to_result_decimal",
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
"""The rounding modes of the `decimal` module, by their constant's value."""

DecimalLike = Decimal | int | str
"""What a calculator accepts where it needs a number: never a ``float``."""

_MAX: Final = Decimal(10) ** MAX_MAGNITUDE


def to_decimal(value: object, name: str = "value") -> Decimal:
    """Convert ``value`` to a bounded, finite ``Decimal`` or raise an argument error naming it.

    Parameters
    ----------
    value
        A ``Decimal``, an ``int`` or a numeric ``str`` (white space and ``_`` separators allowed).
    name
        The argument or field name, used in the error message.

    Returns
    -------
    Decimal
        The value; a zero whose exponent lies outside the input bounds (``0E-999999999``) is read
        as plain ``Decimal(0)``, other zeros keep their exponent (``"0.00"`` stays ``0.00``).

    Raises
    ------
    ArgumentTypeError
        For a ``float``, a ``bool`` or any other type (a ``TypeError``).
    ArgumentError
        For a non-numeric string, NaN, infinity, or a value outside the bounds: absolute value
        at or above 10**15, more than 34 significant digits, or a non-zero magnitude below 10**-34
        (a ``ValueError``, so a ``ValidationError`` inside a model field).

    Examples
    --------
    >>> to_decimal("12.50")
    Decimal('12.50')
    >>> to_decimal("0E-999999999")
    Decimal('0')
    >>> to_decimal(0.1, "rate")
    Traceback (most recent call last):
    channelkit.errors.ArgumentTypeError: rate must not be a float (got 0.1): pass a Decimal, ...
    >>> to_decimal("1e999999", "amount")
    Traceback (most recent call last):
    channelkit.errors.ArgumentError: amount is too large: 1E+999999 (the bound is below 10**15)
    """
    tp = type(value)
    if tp is str:
        try:  # the common case: a plain number within the bounds, parsed without any signal
            d = _STRICT.create_decimal(value)  # type: ignore[arg-type]
        except DecimalException:
            return _check(_parse(value, name), name, True)  # type: ignore[arg-type]
        # a zero's exponent is not bounded by the parse (0E-60 passes it): _check reads it
        return d if d and d.is_finite() else _check(d, name, False)
    if tp is Decimal:
        return _check(value, name, True)  # type: ignore[arg-type]
    if tp is int:
        return _from_int(value, name)  # type: ignore[arg-type]
    if isinstance(value, bool):
        msg = f"{name} must be a number, not a bool (got {value!r})"
        raise ArgumentTypeError(msg, argument=name, value=value)
    if isinstance(value, float):
        msg = (
            f"{name} must not be a float (got {value!r}): "
            f"pass a Decimal, an int or a string such as '{value!r}'"
        )
        raise ArgumentTypeError(msg, argument=name, value=value)
    if isinstance(value, int):  # a subclass such as IntEnum
        return _from_int(int(value), name)
    if isinstance(value, str | Decimal):  # a subclass such as StrEnum
        return to_decimal(str(value), name)
    msg = f"{name} must be a Decimal, an int or a numeric str, not {tp.__name__}"
    raise ArgumentTypeError(msg, argument=name, value=value)


_MAX_INT: Final = 10**MAX_MAGNITUDE


def _from_int(value: int, name: str) -> Decimal:
    # compare before converting: Decimal(10**1_000_000) alone takes seconds
    if -_MAX_INT < value < _MAX_INT:
        return Decimal(value)
    msg = (
        f"{name} is too large: an integer of {value.bit_length()} bits "
        f"(the bound is below 10**{MAX_MAGNITUDE})"
    )
    raise ArgumentError(msg, argument=name, value="<int>")


def _check(d: Decimal, name: str, count_digits: bool) -> Decimal:
    """The bounds of an input number; ``count_digits`` when its text may hold over 34 digits."""
    if not d.is_finite():
        msg = f"{name} must be finite, got {d}"
        raise ArgumentError(msg, argument=name, value=d)
    adjusted = d.adjusted()
    if not d:
        # a zero's exponent is its adjusted exponent; a far one is an exponent bomb in waiting
        return _ZERO if adjusted < -MAX_DIGITS or adjusted > MAX_MAGNITUDE else d
    if adjusted >= MAX_MAGNITUDE:
        msg = f"{name} is too large: {_short(d)} (the bound is below 10**{MAX_MAGNITUDE})"
        raise ArgumentError(msg, argument=name, value=d)
    if adjusted < -MAX_DIGITS:
        msg = f"{name} is too small to be meaningful: {_short(d)} (at least 10**-{MAX_DIGITS})"
        raise ArgumentError(msg, argument=name, value=d)
    # the common case: a short text cannot hold more than 34 digits (no as_tuple() needed)
    if count_digits and len(str(d)) > MAX_DIGITS and _digits(d) > MAX_DIGITS:
        msg = f"{name} has too many digits: {_short(d)} (at most {MAX_DIGITS} significant digits)"
        raise ArgumentError(msg, argument=name, value=d)
    return d


def _parse(text: str, name: str) -> Decimal:
    """Read ``text`` exactly, in a private context (the caller's is neither read nor changed)."""
    try:
        with localcontext(_LOOSE):
            return Decimal(text)
    except (InvalidOperation, ValueError):
        msg = f"{name} is not a number: {_short_text(text)}"
        raise ArgumentError(msg, argument=name, value=text) from None


def _digits(d: Decimal) -> int:
    return len(d.as_tuple().digits)


def to_result_decimal(value: object, name: str = "value") -> Decimal:
    """Convert ``value`` to a finite ``Decimal`` within the bounds of a *result* field.

    Results are computed, not read from input: a sum of many bounded amounts can exceed the
    input bound of 10**15, and a ratio can be tiny. A result field accepts any finite number of at
    most 34 significant digits whose adjusted exponent lies within ±10**6 (the local context's
    range), so that every result the library builds reads back from its own JSON.

    Examples
    --------
    >>> to_result_decimal("9e20")
    Decimal('9E+20')
    >>> to_result_decimal("1e-40")
    Decimal('1E-40')
    """
    if type(value) is Decimal:
        d = value
    elif isinstance(value, str | int) and not isinstance(value, bool):
        if isinstance(value, str):
            if len(value) > _RESULT_TEXT:
                msg = f"{name} is too long a text for a number: {_short_text(value)}"
                raise ArgumentError(msg, argument=name, value=value)
            d = _parse(value, name)
        elif -_RESULT_INT < value < _RESULT_INT:
            d = Decimal(value)
        else:
            msg = f"{name} is too large: an integer of {value.bit_length()} bits"
            raise ArgumentError(msg, argument=name, value="<int>")
    else:
        return to_decimal(value, name)  # the same type errors as an input
    if not d.is_finite():
        msg = f"{name} must be finite, got {_short_text(str(value))}"
        raise ArgumentError(msg, argument=name, value=value)
    if not d:  # a zero is read as an input's is (API.md, "Hostile input")
        return d if -MAX_DIGITS <= d.adjusted() <= MAX_MAGNITUDE else _ZERO
    if not -_RESULT_EXP < d.adjusted() < _RESULT_EXP or _digits(d) > MAX_DIGITS:
        msg = (
            f"{name} is out of range: {_short(d)} (at most {MAX_DIGITS} digits, |exponent| < 10**6)"
        )
        raise ArgumentError(msg, argument=name, value=d)
    return d


_RESULT_EXP: Final = 10**6
_RESULT_INT: Final = 10**MAX_DIGITS
_RESULT_TEXT: Final = 200
_ZERO: Final = Decimal(0)
_STRICT: Final = Context(
    prec=MAX_DIGITS,
    Emax=MAX_MAGNITUDE - 1,
    Emin=-MAX_DIGITS,
    traps=[InvalidOperation, Rounded, Overflow, Underflow, Clamped, Subnormal],
)
"""Parses input text: any signal (too many digits, out of range) sends it to the full checks."""
_LOOSE: Final = Context(
    prec=MAX_DIGITS, Emax=999_999_999, Emin=-999_999_999, traps=[InvalidOperation]
)


def _short(d: Decimal) -> str:
    text = str(d)
    return text if len(text) <= 40 else text[:20] + "..." + text[-12:]


def _short_text(text: str) -> str:
    return repr(text) if len(text) <= 40 else repr(text[:20] + "..." + text[-12:])


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
    """Return ``rounding`` if it names a `decimal` rounding mode, else an argument error.

    Examples
    --------
    >>> check_rounding("ROUND_HALF_EVEN")
    'ROUND_HALF_EVEN'
    """
    if rounding not in ROUNDING_MODES:
        msg = f"rounding must be one of {sorted(ROUNDING_MODES)}, got {rounding!r}"
        raise ArgumentError(msg, argument="rounding", value=rounding)
    return rounding


def decimal_text(d: Decimal) -> str:
    """Plain text of ``d``, the JSON form of every decimal: never scientific from 10**-50 to 10**34.

    A number outside that range (only a result can be that large or small) keeps the scientific
    form, so that its text stays short whatever its size and never holds more than 34 digits
    (``1E+34`` written out would have 35, more than a number read back may have).

    Examples
    --------
    >>> decimal_text(Decimal("1E+3"))
    '1000'
    >>> decimal_text(Decimal("1E+999"))
    '1E+999'
    """
    if d.is_finite() and -_PLAIN < d.adjusted() < MAX_DIGITS:
        return f"{d:f}"
    return str(d)


_PLAIN: Final = 50


_DECIMAL_PATTERN: Final = r"^\s*[-+]?(\d[\d_]*)?(\.\d*)?([eE][-+]?\d+)?\s*$"


class _DecimalField:
    """Pydantic metadata for a bounded, float-free Decimal field with optional limits."""

    __slots__ = ("ge", "gt", "le", "read")

    def __init__(
        self,
        *,
        ge: Decimal | None = None,
        gt: Decimal | None = None,
        le: Decimal | None = None,
        result: bool = False,
    ) -> None:
        self.ge, self.gt, self.le = ge, gt, le
        self.read = to_result_decimal if result else to_decimal

    def validate(self, value: Any) -> Decimal:
        # argument errors are ValueErrors, which pydantic reports as ValidationErrors
        d = self.read(value, "value")
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
"""A [`Dec`][] that is at least 0."""
PositiveDecimal = Annotated[Decimal, _DecimalField(gt=Decimal(0))]
"""A [`Dec`][] that is above 0."""
UnitInterval = Annotated[Decimal, _DecimalField(ge=Decimal(0), le=Decimal(1))]
"""A [`Dec`][] between 0 and 1 inclusive (a share, an effectiveness)."""

ResultDec = Annotated[Decimal, _DecimalField(result=True)]
"""A ``Decimal`` field of a result model: not bounded like input (see [`to_result_decimal`][])."""
ResultNonNegative = Annotated[Decimal, _DecimalField(ge=Decimal(0), result=True)]
"""A [`ResultDec`][] that is at least 0."""

Count = Annotated[int, Field(gt=-(10**9), lt=10**9)]
"""An integer field: its absolute value is below 10**9 (API.md's hostile-input convention)."""
NonNegativeCount = Annotated[int, Field(ge=0, lt=10**9)]
"""A [`Count`][] that is at least 0 (days, ranks, counts)."""
