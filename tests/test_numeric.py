from __future__ import annotations

import time
from decimal import Decimal
from enum import IntEnum, StrEnum

import pytest
from pydantic import BaseModel, ValidationError

from channelkit.numeric import (
    Dec,
    NonNegativeDecimal,
    PositiveDecimal,
    UnitInterval,
    check_rounding,
    decimal_text,
    quantize_places,
    to_decimal,
)


class _Num(IntEnum):
    TWO = 2


class _Txt(StrEnum):
    HALF = "0.5"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("12.50"), Decimal("12.50")),
        (7, Decimal(7)),
        ("1_000.25", Decimal("1000.25")),
        (" 3.5 ", Decimal("3.5")),
        ("-0", Decimal(0)),
        (_Num.TWO, Decimal(2)),
        (_Txt.HALF, Decimal("0.5")),
        ("9" * 15, Decimal("9" * 15)),  # just below 10**15
        ("1e-34", Decimal("1e-34")),
    ],
)
def test_to_decimal_accepts(value: object, expected: Decimal) -> None:
    assert to_decimal(value) == expected


@pytest.mark.parametrize(
    ("value", "error", "text"),
    [
        (0.1, TypeError, "rate must not be a float (got 0.1)"),
        (True, TypeError, "rate must be a number, not a bool"),
        (None, TypeError, "not NoneType"),
        ([1], TypeError, "not list"),
        ("abc", ValueError, "rate is not a number: 'abc'"),
        ("NaN", ValueError, "rate must be finite, got NaN"),
        (Decimal("-Infinity"), ValueError, "must be finite"),
        ("1e15", ValueError, "rate is too large"),
        (10**15, ValueError, "too large"),
        ("-1e999999", ValueError, "too large"),
        ("1e-35", ValueError, "too small to be meaningful"),
        (Decimal("1." + "1" * 34), ValueError, "too many digits"),
        ("0." + "1" * 40, ValueError, "too many digits"),
    ],
)
def test_to_decimal_rejects(value: object, error: type[Exception], text: str) -> None:
    with pytest.raises(error, match=text.replace("(", r"\(").replace(")", r"\)")):
        to_decimal(value, "rate")


def test_exponent_bomb_is_rejected_at_once() -> None:
    start = time.perf_counter()
    for _ in range(100):
        with pytest.raises(ValueError, match="too large"):
            to_decimal("1e999999")
    # 100 rejections; generous bound so the check never depends on machine speed in practice
    assert (time.perf_counter() - start) / 100 < 0.01


def test_quantize_and_rounding_modes() -> None:
    assert quantize_places(Decimal("2.345"), 2) == Decimal("2.35")  # half up
    assert quantize_places(Decimal("2.345"), 2, "ROUND_HALF_EVEN") == Decimal("2.34")
    assert quantize_places(Decimal("-2.345"), 2) == Decimal("-2.35")
    assert quantize_places(Decimal("1234.5"), 0) == Decimal("1235")
    assert check_rounding("ROUND_DOWN") == "ROUND_DOWN"
    with pytest.raises(ValueError, match="rounding must be one of"):
        check_rounding("HALF_UP")


def test_decimal_text_is_never_scientific() -> None:
    assert decimal_text(Decimal("1E+3")) == "1000"
    assert decimal_text(Decimal("1E-5")) == "0.00001"


class _Fields(BaseModel):
    any: Dec = Decimal(0)
    nonneg: NonNegativeDecimal = Decimal(0)
    pos: PositiveDecimal = Decimal(1)
    share: UnitInterval = Decimal(0)


def test_decimal_fields_validate_and_name_the_field() -> None:
    m = _Fields(any="-1.5", nonneg=0, pos="0.01", share=1)
    assert (m.any, m.nonneg, m.pos, m.share) == (
        Decimal("-1.5"),
        Decimal(0),
        Decimal("0.01"),
        Decimal(1),
    )
    cases = [
        ({"any": 1.5}, "must not be a float"),
        ({"nonneg": -1}, "must be at least 0, got -1"),
        ({"pos": 0}, "must be greater than 0, got 0"),
        ({"share": "1.01"}, "must be at most 1, got 1.01"),
        ({"any": "nan"}, "must be finite"),
    ]
    for kwargs, text in cases:
        with pytest.raises(ValidationError) as info:
            _Fields(**kwargs)  # type: ignore[arg-type]
        err = info.value.errors()[0]
        assert err["loc"] == (next(iter(kwargs)),)
        assert text in str(info.value)


def test_decimal_fields_json_round_trip_and_schema() -> None:
    m = _Fields(any="1E+3", nonneg="0.10")
    raw = m.model_dump_json()
    assert '"any":"1000"' in raw
    assert '"nonneg":"0.10"' in raw
    assert _Fields.model_validate_json(raw) == m
    schema = _Fields.model_json_schema()["properties"]
    assert schema["nonneg"]["minimum"] == 0
    assert schema["pos"]["exclusiveMinimum"] == 0
    assert schema["share"]["maximum"] == 1
    # a JSON number with a fraction is a float: refused
    with pytest.raises(ValidationError, match="must not be a float"):
        _Fields.model_validate_json('{"any": 0.1}')
