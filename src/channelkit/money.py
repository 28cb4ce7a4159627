"""Exact money: :class:`Money` and :func:`allocate`.

``Money`` is an immutable ``(amount, currency)`` pair. Amounts are ``Decimal`` and keep every digit
of a calculation; :meth:`Money.rounded` rounds once, at the end, to the currency's minor unit
with an explicit rounding mode. Arithmetic runs in channelkit's private 34-digit context, so the
caller's global :mod:`decimal` context neither influences nor is changed by it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Final, overload

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from channelkit.currencies import CURRENCIES, check_currency
from channelkit.errors import CurrencyMismatchError
from channelkit.numeric import (
    CONTEXT,
    MAX_DIGITS,
    MAX_MAGNITUDE,
    DecimalLike,
    add_all,
    check_rounding,
    decimal_text,
    grid,
    to_decimal,
)

__all__ = ["Money", "allocate", "largest_remainder"]

_set = object.__setattr__
_CODES: Final = frozenset(CURRENCIES)
_FAST_LEN: Final = MAX_DIGITS  # a string this short cannot hold more significant digits
_MIN_ADJ: Final = -MAX_DIGITS
_MAX_ADJ: Final = MAX_MAGNITUDE
_ZERO: Final = Decimal(0)


class Money:
    """An amount of money in one ISO 4217 currency.

    Parameters
    ----------
    amount
        A ``Decimal``, ``int`` or numeric ``str``; a ``float`` is refused. Bounded below 10**15 in
        absolute value with at most 34 significant digits, so exponent bombs fail at once.
    currency
        An upper-case ISO 4217 code (``"CNY"``, ``"USD"``, ``"JPY"``...).

    Notes
    -----
    ``+`` and ``-`` need the same currency (else :class:`~channelkit.CurrencyMismatchError`);
    ``*`` and ``/`` take a ``Decimal`` or ``int``; ``Money / Money`` of one currency is their ratio
    as a ``Decimal``. Comparisons (``<``, ``<=``...) need one currency; ``==`` between currencies
    is simply ``False``. ``sum(items, Money.zero("CNY"))`` sums a list; ``0 + money`` also works
    so that a bare ``sum()`` of a non-empty list does. Results of arithmetic are exact (34 digits)
    and are never rejected for their size.

    Examples
    --------
    >>> price = Money("12.50", "CNY")
    >>> price * 3 + Money(1, "CNY")
    Money('38.50', 'CNY')
    >>> (Money(10, "CNY") / 3).rounded()
    Money('3.33', 'CNY')
    >>> Money(1, "CNY") + Money(1, "USD")
    Traceback (most recent call last):
    channelkit.errors.CurrencyMismatchError: currency mismatch (add): expected CNY, got USD
    """

    __slots__ = ("amount", "currency")

    amount: Decimal
    """The amount, exact (not rounded until :meth:`rounded`)."""
    currency: str
    """The ISO 4217 code."""

    def __init__(self, amount: DecimalLike, currency: str) -> None:
        # fast path for the common case (a short numeric string of ordinary size); anything
        # else, and every error, goes through the full guard in ``to_decimal``
        if type(amount) is str and len(amount) <= _FAST_LEN:
            try:
                d = Decimal(amount)
            except InvalidOperation:
                d = to_decimal(amount, "amount")
            if not (d.is_finite() and (not d or _MIN_ADJ <= d.adjusted() < _MAX_ADJ)):
                d = to_decimal(amount, "amount")
        else:
            d = to_decimal(amount, "amount")
        _set(self, "amount", d)
        _set(self, "currency", currency if currency in _CODES else check_currency(currency))

    @classmethod
    def _make(cls, amount: Decimal, currency: str) -> Money:
        """Build without validation (for results of arithmetic on valid Money)."""
        m = object.__new__(cls)
        _set(m, "amount", amount)
        _set(m, "currency", currency)
        return m

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Zero in ``currency``: the start value of a ``sum()``.

        Examples
        --------
        >>> sum([Money(1, "USD"), Money(2, "USD")], Money.zero("USD"))
        Money('3', 'USD')
        """
        return cls._make(_ZERO, check_currency(currency))

    # -- immutability ---------------------------------------------------------------------------

    def __setattr__(self, name: str, value: object) -> None:
        msg = f"Money is immutable: cannot set {name!r}"
        raise AttributeError(msg)

    def __delattr__(self, name: str) -> None:
        msg = f"Money is immutable: cannot delete {name!r}"
        raise AttributeError(msg)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Money._make, (self.amount, self.currency))

    def __copy__(self) -> Money:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Money:
        return self

    # -- rounding -----------------------------------------------------------------------------

    @property
    def places(self) -> int:
        """Decimal places of the currency's minor unit (CNY 2, JPY 0, KWD 3)."""
        return CURRENCIES[self.currency]

    def rounded(self, rounding: str = ROUND_HALF_UP) -> Money:
        """Round to the currency's minor unit with ``rounding`` (a :mod:`decimal` mode).

        Examples
        --------
        >>> Money("2.345", "CNY").rounded()
        Money('2.35', 'CNY')
        >>> Money("2.345", "CNY").rounded("ROUND_HALF_EVEN")
        Money('2.34', 'CNY')
        >>> Money("1234.5", "JPY").rounded()
        Money('1235', 'JPY')
        """
        check_rounding(rounding)
        return Money._make(
            self.amount.quantize(grid(self.places), rounding=rounding, context=CONTEXT),
            self.currency,
        )

    # -- arithmetic -----------------------------------------------------------------------------

    def _same(self, other: Money, op: str) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatchError(self.currency, other.currency, op)

    def __add__(self, other: object) -> Money:
        if isinstance(other, Money):
            self._same(other, "add")
            return Money._make(CONTEXT.add(self.amount, other.amount), self.currency)
        return NotImplemented

    def __radd__(self, other: object) -> Money:
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self
        return NotImplemented

    def __sub__(self, other: object) -> Money:
        if isinstance(other, Money):
            self._same(other, "subtract")
            return Money._make(CONTEXT.subtract(self.amount, other.amount), self.currency)
        return NotImplemented

    def __neg__(self) -> Money:
        return Money._make(CONTEXT.minus(self.amount), self.currency)

    def __pos__(self) -> Money:
        return self

    def __abs__(self) -> Money:
        return Money._make(CONTEXT.abs(self.amount), self.currency)

    def __mul__(self, other: object) -> Money:
        factor = _factor(other, "multiply")
        if factor is None:
            return NotImplemented
        return Money._make(CONTEXT.multiply(self.amount, factor), self.currency)

    __rmul__ = __mul__

    @overload
    def __truediv__(self, other: Money) -> Decimal: ...
    @overload
    def __truediv__(self, other: Decimal | int) -> Money: ...
    def __truediv__(self, other: object) -> Any:
        if isinstance(other, Money):
            self._same(other, "divide")
            return CONTEXT.divide(self.amount, other.amount)
        divisor = _factor(other, "divide")
        if divisor is None:
            return NotImplemented
        return Money._make(CONTEXT.divide(self.amount, divisor), self.currency)

    # -- comparison -----------------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Money):
            return self.currency == other.currency and self.amount == other.amount
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.amount, self.currency))

    def __lt__(self, other: object) -> bool:
        if isinstance(other, Money):
            self._same(other, "compare")
            return self.amount < other.amount
        return NotImplemented

    def __le__(self, other: object) -> bool:
        if isinstance(other, Money):
            self._same(other, "compare")
            return self.amount <= other.amount
        return NotImplemented

    def __gt__(self, other: object) -> bool:
        if isinstance(other, Money):
            self._same(other, "compare")
            return self.amount > other.amount
        return NotImplemented

    def __ge__(self, other: object) -> bool:
        if isinstance(other, Money):
            self._same(other, "compare")
            return self.amount >= other.amount
        return NotImplemented

    def __bool__(self) -> bool:
        return bool(self.amount)

    # -- text -----------------------------------------------------------------------------------

    def __repr__(self) -> str:
        return f"Money('{decimal_text(self.amount)}', '{self.currency}')"

    def __str__(self) -> str:
        return f"{decimal_text(self.amount)} {self.currency}"

    # -- pydantic -------------------------------------------------------------------------------

    @classmethod
    def _validate(cls, value: Any) -> Money:
        if isinstance(value, Money):
            return value
        if isinstance(value, dict):
            if set(value) != {"amount", "currency"}:
                msg = (
                    "money must be an object with exactly 'amount' and 'currency', "
                    f"got keys {sorted(map(str, value))}"
                )
                raise ValueError(msg)
            try:
                return cls(value["amount"], value["currency"])
            except TypeError as err:  # pydantic reports ValueErrors as ValidationErrors
                raise ValueError(str(err)) from None
        msg = f"expected Money or {{'amount': ..., 'currency': ...}}, got {type(value).__name__}"
        raise ValueError(msg)

    def _to_json(self) -> dict[str, str]:
        return {"amount": decimal_text(self.amount), "currency": self.currency}

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls._validate,
            serialization=core_schema.plain_serializer_function_ser_schema(
                cls._to_json, when_used="json"
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "title": "Money",
            "type": "object",
            "properties": {
                "amount": {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"},
                "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
            },
            "required": ["amount", "currency"],
            "additionalProperties": False,
        }


def _factor(value: object, op: str) -> Decimal | None:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, float):
        msg = f"cannot {op} Money by a float ({value!r}): use a Decimal or an int"
        raise TypeError(msg)
    return None


def largest_remainder(exact: Sequence[Decimal], places: int, total: Decimal) -> list[Decimal]:
    """Round ``exact`` to ``places`` decimals so that the results sum to ``total`` exactly.

    Each value is first rounded down to the grid; the units still missing to reach ``total`` go
    one each to the values with the largest remainders, ties to the earlier value.

    Parameters
    ----------
    exact
        The unrounded values.
    places
        Decimal places of the grid (a currency's minor unit).
    total
        The rounded total the results must sum to; it must lie between the sum of the rounded-down
        values and that sum plus ``len(exact)`` units (it does whenever it is a rounding of
        ``sum(exact)``).

    Examples
    --------
    >>> thirds = [Decimal("0.333"), Decimal("0.333"), Decimal("0.334")]
    >>> largest_remainder(thirds, 2, Decimal("1.00"))
    [Decimal('0.33'), Decimal('0.33'), Decimal('0.34')]
    """
    unit = grid(places)
    floors = [v.quantize(unit, rounding=ROUND_FLOOR, context=CONTEXT) for v in exact]
    missing = int(CONTEXT.divide(CONTEXT.subtract(total, add_all(floors)), unit))
    if not 0 <= missing <= len(exact):
        msg = f"total {total} cannot be reached by rounding {list(exact)} to {places} places"
        raise ValueError(msg)
    if missing:
        order = sorted(range(len(exact)), key=lambda i: (CONTEXT.subtract(floors[i], exact[i]), i))
        for i in order[:missing]:
            floors[i] = CONTEXT.add(floors[i], unit)
    return floors


def allocate(total: Money, weights: Iterable[DecimalLike]) -> list[Money]:
    """Split ``total`` in proportion to ``weights``, in minor units, summing exactly to ``total``.

    Notes
    -----
    Each part's exact share is ``total * w_i / sum(w)``. The shares are rounded down to the minor
    unit and the remaining units go one each to the largest remainders (ties to the earlier part),
    so every part differs from its exact share by less than one minor unit and the parts sum to
    ``total`` exactly. A negative total is split as its absolute value and negated, so
    ``allocate(-t, w) == [-p for p in allocate(t, w)]``.

    Raises
    ------
    ValueError
        When ``weights`` is empty, has a negative weight or sums to zero, or when ``total`` has
        more decimal places than its currency's minor unit (round it first).

    Examples
    --------
    >>> allocate(Money(100, "CNY"), [1, 1, 1])
    [Money('33.34', 'CNY'), Money('33.33', 'CNY'), Money('33.33', 'CNY')]
    >>> allocate(Money(10, "JPY"), [Decimal("0.5"), Decimal("0.3"), Decimal("0.2")])
    [Money('5', 'JPY'), Money('3', 'JPY'), Money('2', 'JPY')]
    """
    ws = [to_decimal(w, f"weights[{i}]") for i, w in enumerate(weights)]
    if not ws:
        msg = "weights must not be empty"
        raise ValueError(msg)
    for i, w in enumerate(ws):
        if w < 0:
            msg = f"weights[{i}] must not be negative, got {w}"
            raise ValueError(msg)
    wsum = add_all(ws)
    if not wsum:
        msg = "weights must not all be zero"
        raise ValueError(msg)
    places = total.places
    if total.amount != total.amount.quantize(grid(places), context=CONTEXT):
        msg = (
            f"total {total} has more decimal places than {total.currency}'s minor unit "
            f"({places}): round it first"
        )
        raise ValueError(msg)
    sign = -1 if total.amount < 0 else 1
    whole = CONTEXT.abs(total.amount)
    exact = [CONTEXT.divide(CONTEXT.multiply(whole, w), wsum) for w in ws]
    parts = largest_remainder(exact, places, whole)
    return [Money._make(p if sign > 0 else CONTEXT.minus(p), total.currency) for p in parts]
