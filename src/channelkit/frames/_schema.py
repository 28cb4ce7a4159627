"""The canonical schema of a transaction table, and the Arrow types of exact decimals.

Column names are the :class:`~channelkit.Transaction` field names in field order, then
``currency``. Text columns are ``string``, ``date`` is ``date32``, ``kind`` holds the enum values,
and the four numbers are exact decimals whose type :func:`decimal_type` chooses from the
digits they need: ``decimal128(38, s)``, ``decimal256(76, s)`` past 38 digits, and decimal text
(``string``) past 76.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final, cast

import pyarrow as pa

from channelkit.numeric import CONTEXT, MAX_DIGITS, MAX_MAGNITUDE

__all__ = [
    "COLUMNS",
    "FIELDS",
    "IDS",
    "MONEY",
    "NUMBERS",
    "REQUIRED",
    "TEXTS",
    "decimal_type",
    "decimal_type_of",
    "is_decimal",
    "is_text",
    "tidy",
]

FIELDS: Final = (
    "id",
    "partner_id",
    "date",
    "kind",
    "amount",
    "quantity",
    "sku",
    "unit_price",
    "territory",
    "customer_id",
    "cost",
    "category",
    "refers_to",
)
"""The ``Transaction`` fields, in field order."""
COLUMNS: Final = (*FIELDS, "currency")
"""The canonical columns: the fields, then the currency of the three money columns."""
REQUIRED: Final = ("id", "partner_id", "date", "kind", "amount")
"""Columns a table must have (the fields without a default)."""
NUMBERS: Final = ("amount", "quantity", "unit_price", "cost")
"""Exact-number columns."""
MONEY: Final = ("amount", "unit_price", "cost")
"""Number columns that are money in the row's currency."""
IDS: Final = ("id", "partner_id", "sku", "territory", "customer_id", "refers_to")
"""Identifier columns (non-empty, not only white space)."""
TEXTS: Final = (*IDS, "kind", "category", "currency")
"""Text columns."""

_WIDE: Final = 38
_WIDER: Final = 76


def decimal_type(int_digits: int, scale: int) -> pa.DataType:
    """The exact Arrow type for numbers of ``int_digits`` integer digits and ``scale`` places.

    ``decimal128(38, scale)`` when both fit in 38 digits, ``decimal256(76, scale)`` when they fit
    in 76, else ``string`` (decimal text, still exact). Never a floating-point type.

    Examples
    --------
    >>> decimal_type(15, 2), decimal_type(15, 30), decimal_type(15, 67)
    (Decimal128Type(decimal128(38, 2)), Decimal256Type(decimal256(76, 30)), DataType(string))
    """
    scale = max(scale, 0)
    digits = max(int_digits, 1) + scale
    if digits <= _WIDE:
        return pa.decimal128(_WIDE, scale)
    if digits <= _WIDER:
        return pa.decimal256(_WIDER, scale)
    return pa.string()


def decimal_type_of(values: list[Decimal]) -> pa.DataType:
    """The :func:`decimal_type` that holds every value of ``values`` (finite) exactly.

    Examples
    --------
    >>> decimal_type_of([Decimal("12.50"), Decimal("1E+3"), Decimal("0.001")])
    Decimal128Type(decimal128(38, 3))
    """
    scale, int_digits = 0, 1
    for d in values:
        scale = max(scale, -cast(int, d.as_tuple().exponent))
        if d:
            int_digits = max(int_digits, d.adjusted() + 1)
    return decimal_type(int_digits, scale)


def is_decimal(t: pa.DataType) -> bool:
    """Whether ``t`` is a decimal type (128 or 256 bits, or the narrower ones)."""
    return bool(pa.types.is_decimal(t))


def is_text(t: pa.DataType) -> bool:
    """Whether ``t`` holds text (``string``, ``large_string`` or ``string_view``)."""
    return bool(
        pa.types.is_string(t)
        or pa.types.is_large_string(t)
        or (hasattr(pa.types, "is_string_view") and pa.types.is_string_view(t))
    )


_ZERO: Final = Decimal(0)


def tidy(d: Decimal) -> Decimal:
    """A stored decimal as a model holds it: within the input bounds' digits.

    A column stores every value at its largest scale, so a value read back may carry more
    trailing zeros than 34 significant digits allow; they are dropped (the value is unchanged).
    A zero whose exponent is outside ``-34..15`` is plain ``0`` (the kernel's reading of input).

    Examples
    --------
    >>> tidy(Decimal("0E-40")), tidy(Decimal("1.5000")), tidy(Decimal("1." + "0" * 40))
    (Decimal('0'), Decimal('1.5000'), Decimal('1'))
    """
    if not d:
        exp = d.as_tuple().exponent
        return _ZERO if isinstance(exp, int) and not -MAX_DIGITS <= exp <= MAX_MAGNITUDE else d
    if len(d.as_tuple().digits) > MAX_DIGITS:
        return d.normalize(CONTEXT)
    return d
