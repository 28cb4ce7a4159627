from __future__ import annotations

import copy
import decimal
import pickle
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter, ValidationError

from channelkit import ArgumentError, ArgumentTypeError, CurrencyMismatchError, Money, allocate
from channelkit.currencies import CURRENCIES, check_currency, minor_unit
from channelkit.money import largest_remainder
from channelkit.testing import amounts, money

CNY = "CNY"


def test_construction_positional_and_keyword() -> None:
    assert Money("12.50", "CNY") == Money(amount=Decimal("12.50"), currency="CNY")
    assert Money(3, "JPY").amount == Decimal(3)
    assert repr(Money("12.50", "CNY")) == "Money('12.50', 'CNY')"
    assert str(Money("1E+2", "USD")) == "100 USD"


@pytest.mark.parametrize(
    ("amount", "currency", "error", "text"),
    [
        (1.5, "CNY", TypeError, "amount must not be a float"),
        ("abc", "CNY", ValueError, "amount is not a number: 'abc'"),
        ("1e-40", "CNY", ValueError, "amount is too small"),
        ("0." + "1" * 40, "CNY", ValueError, "amount has too many digits"),
        ("nan", "CNY", ValueError, "amount must be finite"),
        ("inf", "CNY", ValueError, "amount must be finite"),
        ("1e999999", "CNY", ValueError, "amount is too large"),
        (1, "XYZ", ArgumentError, "unknown currency 'XYZ'"),
        (1, "cny", ArgumentError, "unknown currency 'cny'"),
        (1, 156, ArgumentTypeError, "unknown currency 156"),
    ],
)
def test_construction_errors(amount: object, currency: object, error: type, text: str) -> None:
    with pytest.raises(error, match=text):
        Money(amount, currency)  # type: ignore[arg-type]


def test_currency_table() -> None:
    assert (minor_unit("CNY"), minor_unit("USD"), minor_unit("EUR")) == (2, 2, 2)
    assert (minor_unit("JPY"), minor_unit("KRW")) == (0, 0)
    assert (minor_unit("KWD"), minor_unit("BHD")) == (3, 3)
    assert minor_unit("CLF") == 4
    assert all(len(c) == 3 and c.isupper() for c in CURRENCIES)
    assert check_currency("EUR") == "EUR"


def test_arithmetic_by_hand() -> None:
    a, b = Money("10.25", CNY), Money("2.50", CNY)
    assert a + b == Money("12.75", CNY)
    assert a - b == Money("7.75", CNY)
    assert -a == Money("-10.25", CNY)
    assert +a is a
    assert abs(Money(-3, CNY)) == Money(3, CNY)
    assert a * 2 == Money("20.50", CNY)
    assert 2 * a == Money("20.50", CNY)
    assert a * Decimal("0.1") == Money("1.025", CNY)
    assert a / 5 == Money("2.05", CNY)
    assert Money(30, CNY) / Money(120, CNY) == Decimal("0.25")
    assert 0 + a is a
    assert sum([a, b]) == Money("12.75", CNY)
    assert sum([a, b], Money.zero(CNY)) == Money("12.75", CNY)
    assert bool(Money.zero(CNY)) is False
    assert bool(a) is True


def test_arithmetic_refuses_floats_other_currencies_and_other_types() -> None:
    a = Money(1, CNY)
    with pytest.raises(CurrencyMismatchError, match="expected CNY, got USD") as info:
        a + Money(1, "USD")
    assert isinstance(info.value, ValueError)
    assert (info.value.expected, info.value.got) == ("CNY", "USD")
    with pytest.raises(CurrencyMismatchError):
        a - Money(1, "USD")
    with pytest.raises(CurrencyMismatchError):
        a / Money(1, "USD")
    with pytest.raises(TypeError, match="cannot multiply Money by a float"):
        a * 0.5
    with pytest.raises(TypeError, match="cannot divide Money by a float"):
        a / 0.5
    with pytest.raises(TypeError):
        a * a  # type: ignore[operator]
    with pytest.raises(TypeError):
        a + 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        1 + a  # type: ignore[operator]
    with pytest.raises(TypeError):
        a - 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        a * True  # type: ignore[operator]
    with pytest.raises(TypeError):
        a / "2"  # type: ignore[operator]
    with pytest.raises(ZeroDivisionError):
        a / 0


def test_comparisons() -> None:
    one, two = Money(1, CNY), Money(2, CNY)
    assert one < two
    assert one <= two
    assert two > one
    assert two >= one
    assert one == Money("1.00", CNY)
    assert hash(one) == hash(Money("1.00", CNY))
    assert one != Money(1, "USD")
    assert one != 1
    for op in ("__lt__", "__le__", "__gt__", "__ge__"):
        with pytest.raises(CurrencyMismatchError, match="compare"):
            getattr(one, op)(Money(1, "USD"))
        assert getattr(one, op)(1) is NotImplemented
    assert max([one, two]) == two


def test_immutable_hashable_picklable() -> None:
    m = Money("1.5", CNY)
    with pytest.raises(AttributeError, match="immutable"):
        m.amount = Decimal(2)  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        del m.currency  # type: ignore[misc]
    assert {m, Money("1.50", CNY)} == {m}
    assert pickle.loads(pickle.dumps(m)) == m
    assert copy.copy(m) is m
    assert copy.deepcopy(m) is m


def test_rounding() -> None:
    assert Money("2.345", CNY).rounded() == Money("2.35", CNY)
    assert Money("2.345", CNY).rounded("ROUND_HALF_EVEN") == Money("2.34", CNY)
    assert Money("2.349", CNY).rounded("ROUND_DOWN") == Money("2.34", CNY)
    assert Money("-2.345", CNY).rounded() == Money("-2.35", CNY)
    assert Money("1500.5", "JPY").rounded() == Money(1501, "JPY")
    assert Money("1.2345", "KWD").rounded() == Money("1.235", "KWD")
    assert str(Money(7, CNY).rounded().amount) == "7.00"
    with pytest.raises(ValueError, match="rounding must be one of"):
        Money(1, CNY).rounded("UP")


def test_rounding_ignores_a_hostile_global_context() -> None:
    with decimal.localcontext() as ctx:
        ctx.prec = 3
        ctx.rounding = decimal.ROUND_FLOOR
        assert Money("123456.785", CNY).rounded() == Money("123456.79", CNY)
        assert Money("123456.78", CNY) + Money("0.01", CNY) == Money("123456.79", CNY)


class _Holder(BaseModel):
    price: Money
    fee: Money | None = None


def test_money_as_a_pydantic_field() -> None:
    h = _Holder(price=Money("12.50", CNY))
    raw = h.model_dump_json()
    assert raw == '{"price":{"amount":"12.50","currency":"CNY"},"fee":null}'
    assert _Holder.model_validate_json(raw) == h
    assert _Holder.model_validate({"price": {"amount": 3, "currency": "JPY"}}).price == Money(
        3, "JPY"
    )
    assert h.model_dump()["price"] is h.price  # python mode keeps the object
    for bad, text in [
        ({"amount": "1"}, "exactly 'amount' and 'currency'"),
        ({"amount": 1.5, "currency": "CNY"}, "must not be a float"),
        ({"amount": "1", "currency": "CNY", "x": 1}, "exactly 'amount' and 'currency'"),
        ("12.50 CNY", "expected Money"),
        ({"amount": "1e999999", "currency": "CNY"}, "too large"),
    ]:
        with pytest.raises(ValidationError, match=text) as info:
            _Holder.model_validate({"price": bad})
        assert info.value.errors()[0]["loc"][0] == "price"
    schema = TypeAdapter(Money).json_schema()
    assert schema["required"] == ["amount", "currency"]


def test_allocate_by_hand() -> None:
    # 100 / 3 = 33.333..: floors 33.33 x 3 = 99.99, one cent to the first (ties to the earlier)
    assert allocate(Money(100, CNY), [1, 1, 1]) == [
        Money("33.34", CNY),
        Money("33.33", CNY),
        Money("33.33", CNY),
    ]
    # 0.05 x 3/4 = 0.0375 -> 0.03 (rem .75), 0.05 x 1/4 = 0.0125 -> 0.01 (rem .25): 1 cent to part 0
    assert allocate(Money("0.05", "USD"), [3, 1]) == [Money("0.04", "USD"), Money("0.01", "USD")]
    # largest remainder wins over order: 10 x (1, 2) / 3 = 3.33.., 6.66.. -> 3.33, 6.67
    assert allocate(Money(10, CNY), ["1", "2"]) == [Money("3.33", CNY), Money("6.67", CNY)]
    assert allocate(Money(7, "JPY"), [1, 0, 1]) == [
        Money(4, "JPY"),
        Money(0, "JPY"),
        Money(3, "JPY"),
    ]
    assert allocate(Money(-100, CNY), [1, 1, 1]) == [
        Money("-33.34", CNY),
        Money("-33.33", CNY),
        Money("-33.33", CNY),
    ]
    assert allocate(Money(0, CNY), [1, 2]) == [Money(0, CNY), Money(0, CNY)]


@pytest.mark.parametrize(
    ("total", "weights", "text"),
    [
        (Money(1, CNY), [], "weights must not be empty"),
        (Money(1, CNY), [1, -1], r"weights\[1\] must not be negative"),
        (Money(1, CNY), [0, 0], "must not all be zero"),
        (Money("1.005", CNY), [1], "more decimal places than CNY's minor unit"),
    ],
)
def test_allocate_errors(total: Money, weights: list[int], text: str) -> None:
    with pytest.raises(ValueError, match=text):
        allocate(total, weights)
    with pytest.raises(TypeError, match="must not be a float"):
        allocate(Money(1, CNY), [0.5])  # type: ignore[list-item]


def test_largest_remainder_refuses_an_unreachable_total() -> None:
    with pytest.raises(ValueError, match="cannot be reached"):
        largest_remainder([Decimal("1.001")], 2, Decimal("5.00"))


same_currency = st.shared(st.sampled_from(["CNY", "JPY", "KWD"]), key="cur")


@given(money(same_currency), money(same_currency), money(same_currency))
def test_addition_is_associative_and_commutative(a: Money, b: Money, c: Money) -> None:
    assert a + b == b + a
    assert (a + b) + c == a + (b + c)
    assert (a + b) - b == a


@given(
    money(st.sampled_from(["CNY", "JPY", "KWD"]), min_value=-(10**9), max_value=10**9),
    st.lists(amounts(min_value=0, max_value=1000, places=3), min_size=1, max_size=12),
)
def test_allocate_sums_exactly_and_stays_within_one_unit(
    total: Money, weights: list[Decimal]
) -> None:
    if not sum(weights):
        weights = [*weights, Decimal(1)]
    parts = allocate(total, weights)
    assert len(parts) == len(weights)
    assert sum(parts, Money.zero(total.currency)) == total
    unit = Decimal(1).scaleb(-total.places)
    wsum = sum(weights)
    for part, w in zip(parts, weights, strict=True):
        exact = total.amount * w / wsum
        assert abs(part.amount - exact) < unit
        assert part.amount == part.amount.quantize(unit)


@given(money(minor_units=False))
def test_money_json_round_trip(m: Money) -> None:
    ta = TypeAdapter(Money)
    assert ta.validate_json(ta.dump_json(m)) == m
