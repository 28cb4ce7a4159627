"""Exact numbers from a column: decimal, integer or numeric-text columns, never floating point.

:func:`parse_numbers` reads one column into its canonical exact type and tells, row by row, which
input bound a value breaks, with the kernel's rules (:func:`channelkit.numeric.to_decimal`):
finite, below 10**15 in absolute value, at least 10**-34 when not zero, at most 34 significant
digits. Text is read the way ``Decimal(text)`` reads it; plain decimal text (an optional sign,
ASCII digits and one point) is parsed by Arrow in bulk, anything else (exponents, underscores,
white space, other scripts' digits, errors) row by row in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Final

import pyarrow as pa
import pyarrow.compute as pc

from channelkit.frames._schema import decimal_type, is_decimal, is_text, tidy
from channelkit.numeric import MAX_DIGITS, MAX_MAGNITUDE, decimal_text

__all__ = ["BOUNDS", "Parsed", "compare_zero", "parse_numbers"]

OK, NOT_A_NUMBER, NOT_FINITE, TOO_LARGE, TOO_SMALL, TOO_MANY_DIGITS = range(6)
BOUNDS: Final = {
    NOT_A_NUMBER: "is not a number",
    NOT_FINITE: "must be finite",
    TOO_LARGE: f"is too large (the bound is below 10**{MAX_MAGNITUDE})",
    TOO_SMALL: f"is too small to be meaningful (at least 10**-{MAX_DIGITS} when not zero)",
    TOO_MANY_DIGITS: f"has too many digits (at most {MAX_DIGITS} significant digits)",
}
"""The message of each bound code, after the column name."""

_PLAIN: Final = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$"
_LIMIT: Final = Decimal(10) ** MAX_MAGNITUDE
_TINY: Final = Decimal(10) ** -MAX_DIGITS
_INT_DIGITS: Final = MAX_MAGNITUDE  # a valid number has at most 15 integer digits


@dataclass(frozen=True, slots=True)
class Parsed:
    """A number column read exactly.

    ``values`` holds the canonical exact column (null where the input is null or breaks a
    bound); ``codes`` an ``int8`` column of bound codes (0 where the value is fine or null), or
    ``None`` when no value breaks one.
    """

    values: pa.ChunkedArray
    codes: pa.ChunkedArray | None


def _chunked(arr: pa.Array | pa.ChunkedArray) -> pa.ChunkedArray:
    return arr if isinstance(arr, pa.ChunkedArray) else pa.chunked_array([arr])


def _codes(*rules: tuple[pa.ChunkedArray, int]) -> pa.ChunkedArray | None:
    """The code of the first rule whose mask is true, row by row (0 when none is)."""
    out: pa.ChunkedArray | None = None
    for mask, code in reversed(rules):
        if not pc.any(mask).as_py():
            continue
        base = out if out is not None else pa.scalar(0, pa.int8())
        out = _chunked(pc.if_else(pc.fill_null(mask, False), pa.scalar(code, pa.int8()), base))
    return out


def _keep(col: pa.ChunkedArray, codes: pa.ChunkedArray | None) -> pa.ChunkedArray:
    """``col`` with the rows that break a bound set to null."""
    if codes is None:
        return col
    return _chunked(pc.if_else(pc.equal(codes, 0), col, pa.scalar(None, col.type)))


def parse_numbers(col: pa.ChunkedArray) -> Parsed:
    """Read a number column (decimal, integer, text or all-null) exactly.

    The caller has already refused every other type (floating point among them).
    """
    t = col.type
    if pa.types.is_null(t):
        return Parsed(pa.chunked_array([pa.nulls(len(col), pa.decimal128(38, 0))]), None)
    if pa.types.is_integer(t):
        big = pa.scalar(10**MAX_MAGNITUDE, t) if _fits(t) else None
        if big is None:  # int8 .. int32 cannot reach the bound
            return Parsed(_chunked(pc.cast(col, pa.decimal128(38, 0))), None)
        large = pc.greater_equal(col, big)
        if pa.types.is_signed_integer(t):
            large = pc.or_(large, pc.less_equal(col, pa.scalar(-(10**MAX_MAGNITUDE), t)))
        codes = _codes((_chunked(large), TOO_LARGE))
        return Parsed(_chunked(pc.cast(_keep(col, codes), pa.decimal128(38, 0))), codes)
    if is_decimal(t):
        return _parse_decimals(col)
    if is_text(t):
        return _parse_text(col)
    raise TypeError(f"not a number column: {t}")  # pragma: no cover - types are checked first


def _fits(t: pa.DataType) -> bool:
    return bool(t.bit_width >= 64)


def _parse_decimals(col: pa.ChunkedArray) -> Parsed:
    t = col.type
    p, s = t.precision, t.scale
    rules: list[tuple[pa.ChunkedArray, int]] = []

    def at_least(bound: Decimal) -> pa.ChunkedArray:
        b = pa.scalar(bound, pa.decimal256(76, max(s, 0)))
        return _chunked(
            pc.or_(pc.greater_equal(col, b), pc.less_equal(col, pa.scalar(-bound, b.type)))
        )

    # one pass for the extremes: a bound no value reaches needs no row-by-row comparison
    extremes = pc.min_max(col)
    low, high = extremes["min"].as_py(), extremes["max"].as_py()

    def reached(bound: Decimal) -> bool:
        return high is not None and (high >= bound or low <= -bound)

    if p - s > MAX_MAGNITUDE and reached(_LIMIT):
        rules.append((at_least(_LIMIT), TOO_LARGE))
    if s > MAX_DIGITS:
        tiny = pc.invert(at_least(_TINY))
        rules.append(
            (_chunked(pc.and_(tiny, pc.not_equal(col, pa.scalar(Decimal(0), t)))), TOO_SMALL)
        )
    wide = Decimal(10) ** (MAX_DIGITS - s)
    if p > MAX_DIGITS and reached(wide):
        rules.append((_wide(col, at_least(wide)), TOO_MANY_DIGITS))
    codes = _codes(*rules)
    target = decimal_type(_INT_DIGITS, s)
    if pa.types.is_string(target):  # a scale past 61 places: decimal text
        return _from_python(col, codes)
    kept = _keep(col, codes)
    return Parsed(kept if kept.type == target else _chunked(pc.cast(kept, target)), codes)


def _wide(col: pa.ChunkedArray, candidates: pa.ChunkedArray) -> pa.ChunkedArray:
    """Rows with more than 34 significant digits, the column's scale aside.

    A decimal column stores every value at its scale; the zeros that adds are storage, not
    digits of the number (``100`` in a ``decimal128(38, 32)`` column is ``1E+2``). Only values
    whose stored coefficient has more than 34 digits (``candidates``) can break the rule; they
    are counted in Python.
    """
    flags = pc.fill_null(candidates, False)  # some row is a candidate: the caller saw one
    rows = pc.indices_nonzero(flags).to_pylist()
    out = [False] * len(col)
    for i, d in zip(rows, pc.take(col, pa.array(rows, pa.int64())).to_pylist(), strict=True):
        out[i] = significant(d) > MAX_DIGITS
    return pa.chunked_array([pa.array(out, pa.bool_())])


def significant(d: Decimal) -> int:
    """The significant digits of ``d`` without its trailing zeros.

    Examples
    --------
    >>> significant(Decimal("100.000")), significant(Decimal("0.0120")), significant(Decimal(0))
    (1, 2, 1)
    """
    digits = d.as_tuple().digits
    stripped = len(digits)
    while stripped > 1 and digits[stripped - 1] == 0:
        stripped -= 1
    return stripped


def _from_python(col: pa.ChunkedArray, codes: pa.ChunkedArray | None) -> Parsed:
    """Rebuild a column of valid decimals through Python (rare: very wide scales)."""
    values = [tidy(d) if d is not None else None for d in col.to_pylist()]
    if codes is not None:
        values = [v if c == 0 else None for v, c in zip(values, codes.to_pylist(), strict=True)]
    return Parsed(_array(values), codes)


def _array(values: list[Decimal | None]) -> pa.ChunkedArray:
    scale = 0
    for d in values:
        if d is not None:
            exp = d.as_tuple().exponent
            scale = max(scale, -exp if isinstance(exp, int) else 0)
    target = decimal_type(_INT_DIGITS, scale)
    if pa.types.is_string(target):
        return pa.chunked_array(
            [pa.array([None if d is None else decimal_text(d) for d in values], target)]
        )
    return pa.chunked_array([pa.array(values, target)])


def read_decimal(text: str) -> tuple[int, Decimal | None]:
    """Read one text the way the kernel does: ``(code, value)``, the value ``None`` when bad.

    Examples
    --------
    >>> read_decimal(" 1_200.50 "), read_decimal("1e20")[0] == TOO_LARGE
    ((0, Decimal('1200.50')), True)
    """
    try:
        d = Decimal(text)
    except InvalidOperation:
        return NOT_A_NUMBER, None
    if not d.is_finite():
        return NOT_FINITE, None
    if d:
        adjusted = d.adjusted()
        if adjusted >= MAX_MAGNITUDE:
            return TOO_LARGE, None
        if adjusted < -MAX_DIGITS:
            return TOO_SMALL, None
        if len(d.as_tuple().digits) > MAX_DIGITS:
            return TOO_MANY_DIGITS, None
    return OK, tidy(d)


def _parse_text(col: pa.ChunkedArray) -> Parsed:
    if col.null_count < len(col):
        plain = pc.match_substring_regex(col, _PLAIN)
        if pc.all(plain).as_py():
            parsed = _parse_plain(col)
            if parsed is not None:
                return parsed
    codes_list: list[int] = []
    values: list[Decimal | None] = []
    for text in col.to_pylist():
        code, value = (OK, None) if text is None else read_decimal(text)
        codes_list.append(code)
        values.append(value)
    codes = pa.chunked_array([pa.array(codes_list, pa.int8())]) if any(codes_list) else None
    return Parsed(_array(values), codes)


def _parse_plain(col: pa.ChunkedArray) -> Parsed | None:
    """Plain decimal text in bulk; ``None`` when the column needs decimal text (Python path)."""
    body = pc.replace_substring_regex(col, r"^[+-]", "")
    length = pc.binary_length(body)
    dot = pc.find_substring(body, ".")
    has_dot = pc.greater_equal(dot, 0)
    frac = pc.if_else(has_dot, pc.subtract(pc.subtract(length, dot), 1), 0)
    int_len = pc.if_else(has_dot, dot, length)
    zeros = pc.subtract(length, pc.binary_length(pc.utf8_ltrim(body, "0")))
    int_sig = pc.max_element_wise(pc.subtract(int_len, zeros), 0)
    core = pc.utf8_ltrim(body, "0.")
    digits = pc.subtract(
        pc.binary_length(core),
        pc.cast(pc.greater_equal(pc.find_substring(core, "."), 0), pa.int32()),
    )
    is_zero = pc.equal(digits, 0)
    small = pc.and_(
        pc.and_(pc.invert(is_zero), pc.equal(int_sig, 0)),
        pc.greater_equal(pc.subtract(frac, digits), MAX_DIGITS),
    )
    codes = _codes(
        (_chunked(pc.greater(int_sig, MAX_MAGNITUDE)), TOO_LARGE),
        (_chunked(small), TOO_SMALL),
        (_chunked(pc.greater(digits, MAX_DIGITS)), TOO_MANY_DIGITS),
    )
    wide_zero = pc.and_(is_zero, pc.greater(frac, MAX_DIGITS))  # read as plain 0
    scales = pc.if_else(wide_zero, 0, frac)
    if codes is not None:
        scales = pc.if_else(pc.equal(codes, 0), scales, 0)
    scale = pc.max(scales).as_py() or 0
    target = decimal_type(_INT_DIGITS, scale)
    if pa.types.is_string(target):
        return None
    text = col
    if pc.any(wide_zero).as_py():
        text = _chunked(pc.if_else(wide_zero, pa.scalar("0", col.type), col))
    return Parsed(_chunked(pc.cast(_keep(text, codes), target)), codes)


def compare_zero(values: pa.ChunkedArray, op: str) -> pa.ChunkedArray:
    """``values <op> 0`` row by row (``op`` is ``"less"`` or ``"less_equal"``); null stays null.

    Works on the decimal text of very wide columns too (read back in Python).
    """
    if pa.types.is_string(values.type):
        strict = op == "less"
        flags = [
            None if v is None else (Decimal(v) < 0 if strict else Decimal(v) <= 0)
            for v in values.to_pylist()
        ]
        return pa.chunked_array([pa.array(flags, pa.bool_())])
    fn = pc.less if op == "less" else pc.less_equal
    return _chunked(fn(values, pa.scalar(Decimal(0), values.type)))
