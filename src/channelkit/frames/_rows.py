"""Every rule ``Transaction`` enforces, checked column by column for all rows at once.

:func:`check_rows` adds the rules to a :class:`~channelkit.frames._checks.Checks` in field order
(within a field: present, readable, in bounds, then the field's own rules; a rule about two fields
sits at the field to change) and returns the canonical columns, before the rejected rows are
dropped. It mirrors :class:`~channelkit.Transaction`, :class:`~channelkit.Money` and
:func:`~channelkit.numeric.to_decimal`; a test checks the two agree row by row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Final

import pyarrow as pa
import pyarrow.compute as pc

from channelkit.currencies import CURRENCIES
from channelkit.frames._checks import Checks
from channelkit.frames._numbers import BOUNDS, compare_zero, parse_numbers
from channelkit.frames._schema import IDS, is_text
from channelkit.transactions import WHITE_SPACE, TransactionKind

__all__ = ["check_rows"]

# the characters of WHITE_SPACE one by one (it holds a range), for utf8_trim
_SPACES: Final = "".join(
    c for c in map(chr, range(0x3001)) if re.fullmatch(f"[{WHITE_SPACE}]", c) is not None
)
_EMPTY_SEGMENT: Final = f"(^|/)[{WHITE_SPACE}]*(/|$)"
_ISO: Final = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_KINDS: Final = pa.array([k.value for k in TransactionKind])
_CODES: Final = pa.array(sorted(CURRENCIES))
_FIRST_DAY: Final = dt.date(1, 1, 1)
_LAST_DAY: Final = dt.date(9999, 12, 31)

BLANK: Final = "must not be empty or only white space"
REQUIRED: Final = "is required"


def _chunked(arr: pa.Array | pa.ChunkedArray) -> pa.ChunkedArray:
    return arr if isinstance(arr, pa.ChunkedArray) else pa.chunked_array([arr])


def _text(col: pa.ChunkedArray) -> pa.ChunkedArray:
    """A text or all-null column as ``string``."""
    return col if col.type == pa.string() else _chunked(pc.cast(col, pa.string()))


def _blank(col: pa.ChunkedArray) -> pa.ChunkedArray:
    """Empty or only white space (null stays null): trimmed to nothing, 5x a regex's speed."""
    return pc.equal(pc.utf8_trim(col, _SPACES), "")


def _repeats(ids: pa.ChunkedArray) -> bool:
    """Whether some id (nulls aside) is on more than one row: one hash pass.

    Ids in strictly increasing order (an export sorted by id, the common case) are distinct
    without hashing: one comparison of each id with the next.
    """
    nulls: int = ids.null_count
    if not nulls and len(ids) > 1:
        rising = pc.less(ids.slice(0, len(ids) - 1), ids.slice(1))
        if pc.all(rising).as_py():
            return False
    distinct = len(pc.unique(ids)) - (1 if nulls else 0)
    return distinct < len(ids) - nulls


def _duplicates(ids: pa.ChunkedArray) -> tuple[pa.ChunkedArray, pa.ChunkedArray]:
    """Rows whose id appeared on an earlier row, and each row's first row with its id.

    Null ids (missing, or rows rejected by another rule) take no part. ``unique`` lists values
    in order of first appearance, so a row is the first with its id exactly when its position in
    that list exceeds every position seen before it.
    """
    codes = _chunked(pc.fill_null(pc.index_in(ids, value_set=pc.unique(ids)), -1))
    seen = pc.cumulative_max(codes)
    before = pa.chunked_array(
        [pa.array([-1], pa.int32()), *seen.slice(0, max(len(codes) - 1, 0)).chunks], pa.int32()
    )
    new = pc.or_(pc.greater(codes, before), pc.equal(codes, -1))
    firsts = pc.indices_nonzero(pc.and_(new, pc.not_equal(codes, -1)))
    duplicate = pc.invert(new)
    first = pc.take(firsts, pc.if_else(duplicate, codes, 0))
    return duplicate, _chunked(first)


def _dates(col: pa.ChunkedArray, source: str, checks: Checks) -> pa.ChunkedArray:
    t = col.type
    checks.add(pc.is_null(col), source, REQUIRED, col)
    if pa.types.is_null(t):
        return pa.chunked_array([pa.nulls(len(col), pa.date32())])
    if is_text(t):
        text = _text(col)
        stamps = pc.strptime(text, "%Y-%m-%d", "s", error_is_null=True)
        good = pc.and_(
            pc.and_(
                pc.match_substring_regex(text, _ISO),
                pc.equal(pc.strftime(stamps, "%Y-%m-%d"), text),
            ),
            pc.invert(pc.starts_with(text, "0000")),
        )
        checks.add(
            pc.and_(pc.is_valid(text), pc.invert(pc.fill_null(good, False))),
            source,
            "must be an ISO date YYYY-MM-DD",
            col,
        )
        return _chunked(
            pc.cast(pc.if_else(good, stamps, pa.scalar(None, stamps.type)), pa.date32())
        )
    days = _chunked(pc.cast(col, pa.date32(), safe=False))
    if pa.types.is_timestamp(t):
        timed = pc.not_equal(col, pc.cast(days, t))
        checks.add(timed, source, "must be a date without a time of day", col)
    low, high = pa.scalar(_FIRST_DAY, pa.date32()), pa.scalar(_LAST_DAY, pa.date32())
    outside = pc.or_(pc.less(days, low), pc.greater(days, high))
    if pc.any(outside).as_py():  # shown as text, made only when needed
        checks.add(
            outside,
            source,
            "must be between 0001-01-01 and 9999-12-31",
            _chunked(pc.cast(days, pa.string())),  # Python has no such dates to show
            number=True,
        )
    return days


def _numbers(
    col: pa.ChunkedArray, source: str, checks: Checks, *, required: bool
) -> pa.ChunkedArray:
    if required:
        checks.add(pc.is_null(col), source, REQUIRED, col)
    parsed = parse_numbers(col)
    if parsed.codes is not None:
        for code in sorted(set(pc.unique(parsed.codes).to_pylist()) - {0}):
            checks.add(pc.equal(parsed.codes, code), source, BOUNDS[code], col)
    return parsed.values


def _zero(t: pa.DataType) -> pa.Scalar:
    return pa.scalar("0" if pa.types.is_string(t) else Decimal(0), t)


def _not_negative(
    values: pa.ChunkedArray, given: pa.ChunkedArray, source: str, checks: Checks
) -> None:
    checks.add(compare_zero(values, "less"), source, "must not be negative", given, number=True)


def check_rows(
    cols: Mapping[str, pa.ChunkedArray], found: Mapping[str, str], checks: Checks
) -> dict[str, pa.ChunkedArray]:
    """Add every row rule to ``checks`` in field order; return the canonical columns.

    ``cols`` holds the input columns by canonical name (dictionaries decoded), ``found`` their
    input names, which the reasons show.
    """
    out: dict[str, pa.ChunkedArray] = {}

    def text(name: str) -> pa.ChunkedArray | None:
        if name not in cols:
            return None
        col = _text(cols[name])
        if name in IDS:
            checks.add(_blank(col), found[name], BLANK, col)
        out[name] = col
        return col

    ids = _text(cols["id"])
    checks.add(pc.is_null(ids), found["id"], REQUIRED, ids)
    checks.add(_blank(ids), found["id"], BLANK, ids)
    # checked last, among the valid rows; counted here, while few columns are held
    repeats = _repeats(ids)
    out["id"] = ids
    text("partner_id")
    out["date"] = _dates(cols["date"], found["date"], checks)
    kind = _text(cols["kind"])
    checks.add(pc.is_null(kind), found["kind"], REQUIRED, kind)
    checks.add(
        pc.invert(pc.is_in(kind, value_set=_KINDS)),
        found["kind"],
        "must be one of 'sale', 'return', 'payment'",
        kind,
    )
    out["kind"] = kind
    amount = _numbers(cols["amount"], found["amount"], checks, required=True)
    if "currency" in cols:
        cur = _text(cols["currency"])
        checks.add(pc.is_null(cur), found["currency"], REQUIRED, cur)
        checks.add(
            pc.invert(pc.is_in(cur, value_set=_CODES)),
            found["currency"],
            "unknown currency: expected an upper-case ISO 4217 code such as 'CNY'",
            cur,
        )
    checks.add(
        compare_zero(amount, "less_equal"),
        found["amount"],
        "must be positive",
        cols["amount"],
        number=True,
    )
    out["amount"] = amount
    if "quantity" in cols:
        quantity = _numbers(cols["quantity"], found["quantity"], checks, required=False)
        _not_negative(quantity, cols["quantity"], found["quantity"], checks)
        out["quantity"] = _chunked(pc.fill_null(quantity, _zero(quantity.type)))
    text("sku")
    if "unit_price" in cols:
        price = _numbers(cols["unit_price"], found["unit_price"], checks, required=False)
        _not_negative(price, cols["unit_price"], found["unit_price"], checks)
        out["unit_price"] = price
    text("territory")
    text("customer_id")
    if "cost" in cols:
        cost = _numbers(cols["cost"], found["cost"], checks, required=False)
        _not_negative(cost, cols["cost"], found["cost"], checks)
        paid = pc.and_(pc.equal(kind, TransactionKind.PAYMENT.value), pc.is_valid(cost))
        checks.add(paid, found["cost"], "a payment has no cost of goods", cols["cost"], number=True)
        out["cost"] = cost
    category = text("category")
    if category is not None:
        checks.add(
            pc.match_substring_regex(category, _EMPTY_SEGMENT),
            found["category"],
            "must be a '/'-separated path without empty segments",
            category,
        )
    refers = text("refers_to")
    if refers is not None:
        sale = pc.and_(pc.equal(kind, TransactionKind.SALE.value), pc.is_valid(refers))
        checks.add(sale, found["refers_to"], "a sale refers to no other transaction", refers)
    if "currency" in cols:
        out["currency"] = _text(cols["currency"])
    if repeats:
        # ids are unique among the rows that pass every other rule: the first valid row is kept
        ok = checks.ok()
        live = ids if ok is None else _chunked(pc.if_else(ok, ids, pa.scalar(None, pa.string())))
        duplicate, first = _duplicates(live)
        checks.add(duplicate, found["id"], "duplicates the id of row {}", ids, first)
    return out
