"""Exact money: [`Money`][] and [`allocate`][].

``Money`` is an immutable ``(amount, currency)`` pair. Amounts are ``Decimal`` and keep every digit
of a calculation; [`Money.rounded`][] rounds once, at the end, to the currency's minor unit
with an explicit rounding mode. Arithmetic runs in channelkit's private 34-digit context, so the
caller's global `decimal` context neither influences nor is changed by it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, DecimalException
from typing import Annotated, Any, Final, overload

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from channelkit.currencies import CURRENCIES, check_currency
from channelkit.errors import (
    ArgumentError,
    ArgumentTypeError,
    CurrencyMismatchError,
    UndefinedRatioError,
)
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
    to_result_decimal,
)

__all__ = [
    "Money",
    "ResultMoney",
    "allocate",
    "largest_remainder",
    "read_amount",
    "read_money",
]

_set = object.__setattr__
_CODES: Final = frozenset(CURRENCIES)
_MIN_ADJ: Final = -MAX_DIGITS
_MAX_ADJ: Final = MAX_MAGNITUDE
_ZERO: Final = Decimal(0)
_MAX_INT: Final = 10**MAX_DIGITS
_ZEROS: dict[str, Money] = {}


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
    ``+`` and ``-`` need the same currency (else [`CurrencyMismatchError`][]);
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
    """The amount, exact (not rounded until [`rounded`][])."""
    currency: str
    """The ISO 4217 code."""

    def __init__(self, amount: DecimalLike, currency: str) -> None:
        _set(self, "amount", to_decimal(amount, "amount"))
        try:
            known = currency in _CODES
        except TypeError:  # unhashable (a dict from a JSON document): not a code
            known = False
        _set(self, "currency", currency if known else check_currency(currency))

    @classmethod
    def _make(cls, amount: Decimal, currency: str) -> Money:
        """Build without validation (for results of arithmetic on valid Money)."""
        m = object.__new__(cls)
        _set(m, "amount", amount)
        _set(m, "currency", currency)
        return m

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Zero in ``currency``: the start value of a ``sum()`` (one shared instance per code).

        Examples
        --------
        >>> sum([Money(1, "USD"), Money(2, "USD")], Money.zero("USD"))
        Money('3', 'USD')
        """
        zero = _ZEROS.get(currency) if isinstance(currency, str) else None
        if zero is None:
            zero = _ZEROS[currency] = cls._make(_ZERO, check_currency(currency))
        return zero

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
        """Round to the currency's minor unit with ``rounding`` (a `decimal` mode).

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
        try:
            return Money._make(CONTEXT.multiply(self.amount, factor), self.currency)
        except DecimalException:
            raise _out_of_range(self, "multiplied by", factor) from None

    __rmul__ = __mul__

    @overload
    def __truediv__(self, other: Money) -> Decimal: ...
    @overload
    def __truediv__(self, other: Decimal | int) -> Money: ...
    def __truediv__(self, other: object) -> Any:
        if isinstance(other, Money):
            self._same(other, "divide")
            return _divide(self, other.amount)
        divisor = _factor(other, "divide")
        if divisor is None:
            return NotImplemented
        return Money._make(_divide(self, divisor), self.currency)

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
        """Read an input field: bounded like every input amount."""
        if isinstance(value, Money):
            if type(value.amount) is not Decimal:  # a subclass or a Money built by a back door
                return cls(value.amount, value.currency)
            return value if _in_input_bounds(value.amount) else cls(value.amount, value.currency)
        amount, currency = _money_dict(value)
        return cls(amount, currency)

    @classmethod
    def _validate_result(cls, value: Any) -> Money:
        """Read a result field: a computed amount may exceed the input bounds (see ResultMoney)."""
        if isinstance(value, Money):
            to_result_decimal(value.amount, "amount")
            return value
        amount, currency = _money_dict(value)
        return cls._make(to_result_decimal(amount, "amount"), check_currency(currency))

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


class _ResultMoney:
    """Pydantic metadata: a ``Money`` field of a result, read with the bounds of a result."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            Money._validate_result,
            serialization=core_schema.plain_serializer_function_ser_schema(
                Money._to_json, when_used="json"
            ),
        )

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        out = Money.__get_pydantic_json_schema__(schema, handler)
        out["properties"]["amount"] = {
            "type": "string",
            "pattern": r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$",
        }
        return out


ResultMoney = Annotated[Money, _ResultMoney()]
"""A ``Money`` field of a result model.

Input amounts are bounded below 10**15; a computed amount (the sum of a quarter's sales, a
settlement over many partners) may be larger. A result field accepts any finite amount of at most
34 significant digits whose adjusted exponent lies within ±10**6, so that every result reads back
from its own JSON (API.md, "Hostile input").
"""


def _money_dict(value: Any) -> tuple[Any, Any]:
    if isinstance(value, dict):
        if set(value) != {"amount", "currency"}:
            msg = (
                "money must be an object with exactly 'amount' and 'currency', "
                f"got keys {sorted(map(str, value))[:5]}"
            )
            raise ValueError(msg)
        return value["amount"], value["currency"]
    msg = f"expected Money or {{'amount': ..., 'currency': ...}}, got {type(value).__name__}"
    raise ValueError(msg)


def _in_input_bounds(d: Decimal) -> bool:
    # a zero's adjusted exponent is its exponent: a far one is read again (as plain 0)
    return d.is_finite() and _MIN_ADJ <= d.adjusted() < _MAX_ADJ


def _factor(value: object, op: str) -> Decimal | None:
    if isinstance(value, Decimal):
        if not value.is_finite():
            msg = f"cannot {op} Money by {value}: the factor must be finite"
            raise ArgumentError(msg, argument="other", value=value)
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        if -_MAX_INT < value < _MAX_INT:
            return Decimal(value)
        msg = f"cannot {op} Money by an integer of {value.bit_length()} bits"
        raise ArgumentError(msg, argument="other", value="<int>")
    if isinstance(value, float):
        msg = f"cannot {op} Money by a float ({value!r}): use a Decimal or an int"
        raise ArgumentTypeError(msg, argument="other", value=value)
    return None


def _divide(money: Money, divisor: Decimal) -> Decimal:
    if not divisor:
        raise UndefinedRatioError(f"{money} / {divisor}", "the divisor is 0")
    try:
        return CONTEXT.divide(money.amount, divisor)
    except DecimalException:
        raise _out_of_range(money, "divided by", divisor) from None


def _out_of_range(money: Money, op: str, other: Decimal) -> ArgumentError:
    msg = f"{money} {op} {other} is out of the range of exact arithmetic"
    return ArgumentError(msg, argument="other", value=other)


def read_amount(value: object, currency: str, name: str, *, non_negative: bool = False) -> Decimal:
    """Read an argument given as ``Money`` in ``currency`` or as a plain number of it.

    The one reader of "an amount of money in this currency" for every calculator's arguments
    (advances, limits, targets, floors...): a ``Money`` must be in ``currency`` (else
    [CurrencyMismatchError][channelkit.CurrencyMismatchError]); a number is read with
    [to_decimal][channelkit.numeric.to_decimal]; both are held to the input bounds.

    Parameters
    ----------
    value
        A ``Money``, ``Decimal``, ``int`` or numeric ``str``.
    currency
        The currency the amount must be in.
    name
        The argument's name, for messages.
    non_negative
        Refuse a negative amount with an [ArgumentError][channelkit.ArgumentError].

    Examples
    --------
    >>> read_amount(Money(5, "CNY"), "CNY", "advance"), read_amount("2.5", "CNY", "advance")
    (Decimal('5'), Decimal('2.5'))
    >>> read_amount(-1, "CNY", "advance", non_negative=True)
    Traceback (most recent call last):
    channelkit.errors.ArgumentError: advance must not be negative, got -1
    """
    if isinstance(value, Money):
        if value.currency != currency:
            raise CurrencyMismatchError(currency, value.currency, name)
        amount = value.amount
        if not (type(amount) is Decimal and _in_input_bounds(amount)):
            amount = to_decimal(amount, name)  # refuses it, naming the argument
    else:
        amount = to_decimal(value, name)
    if non_negative and amount < 0:
        msg = f"{name} must not be negative, got {decimal_text(amount)}"
        raise ArgumentError(msg, argument=name, value=value)
    return amount


def read_money(value: object, currency: str, name: str, *, non_negative: bool = False) -> Money:
    """[read_amount][channelkit.money.read_amount] as ``Money`` in ``currency``.

    Examples
    --------
    >>> read_money("12.5", "CNY", "limit")
    Money('12.5', 'CNY')
    """
    return Money._make(read_amount(value, currency, name, non_negative=non_negative), currency)


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
        msg = f"total {total} cannot be reached by rounding {list(exact)[:5]} to {places} places"
        raise ArgumentError(msg, argument="total", value=total)
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

    Weights are read like the fields of a result (any finite number of at most 34 significant
    digits within the local context's range), since they are often computed figures.

    Raises
    ------
    ArgumentError
        When ``weights`` is empty, has a negative weight or sums to zero, or when ``total`` has
        more decimal places than its currency's minor unit (round it first).

    Examples
    --------
    >>> allocate(Money(100, "CNY"), [1, 1, 1])
    [Money('33.34', 'CNY'), Money('33.33', 'CNY'), Money('33.33', 'CNY')]
    >>> allocate(Money(10, "JPY"), [Decimal("0.5"), Decimal("0.3"), Decimal("0.2")])
    [Money('5', 'JPY'), Money('3', 'JPY'), Money('2', 'JPY')]
    """
    if not isinstance(total, Money):
        msg = f"total must be Money, not {type(total).__name__}"
        raise ArgumentTypeError(msg, argument="total", value=total)
    if isinstance(weights, str | bytes) or not isinstance(weights, Iterable):
        msg = f"weights must be an iterable of numbers, not {type(weights).__name__}"
        raise ArgumentTypeError(msg, argument="weights", value=weights)
    ws = [to_result_decimal(w, f"weights[{i}]") for i, w in enumerate(weights)]
    if not ws:
        msg = "weights must not be empty"
        raise ArgumentError(msg, argument="weights", value=ws)
    for i, w in enumerate(ws):
        if w < 0:
            msg = f"weights[{i}] must not be negative, got {w}"
            raise ArgumentError(msg, argument=f"weights[{i}]", value=w)
    if not any(ws):
        msg = "weights must not all be zero"
        raise ArgumentError(msg, argument="weights", value=ws)
    try:
        places = total.places
        exact_total = total.amount == total.amount.quantize(grid(places), context=CONTEXT)
        whole = CONTEXT.abs(total.amount)
        try:
            rel = ws
            wsum = add_all(rel)
            exact = [CONTEXT.divide(CONTEXT.multiply(whole, w), wsum) for w in rel]
        except DecimalException:
            # huge weights: take them relative to the largest, so nothing overflows
            top = max(ws)
            rel = [CONTEXT.divide(w, top) for w in ws]
            wsum = add_all(rel)
            exact = [CONTEXT.divide(CONTEXT.multiply(whole, w), wsum) for w in rel]
    except DecimalException:
        msg = f"total {total} or its weights are out of the range of exact arithmetic"
        raise ArgumentError(msg, argument="weights", value=ws) from None
    if not exact_total:
        msg = (
            f"total {total} has more decimal places than {total.currency}'s minor unit "
            f"({places}): round it first"
        )
        raise ArgumentError(msg, argument="total", value=total)
    sign = -1 if total.amount < 0 else 1
    parts = largest_remainder(exact, places, whole)
    return [Money._make(p if sign > 0 else CONTEXT.minus(p), total.currency) for p in parts]
