"""Every row rule of ``frames.transactions`` as Spark column expressions.

:func:`check` adds the rules in the order :mod:`channelkit.frames` checks them (``Transaction``
field order; within a field: present, readable, in bounds, then the field's own rules) and
gives each row the number of the first rule it breaks (``0``: none). Reasons are written only
for rejected rows, by a Python function on the executors that formats them exactly as
``frames`` does (``amount: must be positive (value -5.00)``).

Numbers in text columns are read the way ``Decimal(text)`` reads them, by the same function as
``frames`` (:func:`channelkit.frames._numbers.read_decimal`), in a Python UDF; decimal and
integer columns are checked by Spark expressions alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as sf
from pyspark.sql import types as spt

from channelkit.currencies import CURRENCIES
from channelkit.frames._checks import show
from channelkit.frames._numbers import BOUNDS, TOO_LARGE, TOO_MANY_DIGITS, TOO_SMALL, read_decimal
from channelkit.frames._rows import BLANK, REQUIRED
from channelkit.frames._schema import IDS
from channelkit.numeric import MAX_DIGITS, MAX_MAGNITUDE, decimal_text
from channelkit.spark._columns import Layout
from channelkit.transactions import WHITE_SPACE, TransactionKind

__all__ = ["CODE", "Rule", "check", "col", "day", "number_text", "reasons"]

CODE: Final = "__ck_code"
"""The column holding each row's first broken rule (0: the row is valid)."""
SHOWN: Final = "__ck_shown"
DETAIL: Final = "__ck_detail"
_PARSED: Final = "__ck_n_"

_NON_SPACE: Final = f"[^{WHITE_SPACE}]"
_EMPTY_SEGMENT: Final = f"(^|/)[{WHITE_SPACE}]*(/|$)"
_ISO: Final = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_KINDS: Final = [k.value for k in TransactionKind]
_CODES: Final = sorted(CURRENCIES)
_LIMIT: Final = Decimal(10) ** MAX_MAGNITUDE
_INTEGRAL: Final = (spt.ByteType, spt.ShortType, spt.IntegerType, spt.LongType)

DUPLICATE: Final = "duplicates the id of row {}"
DUPLICATE_UNNUMBERED: Final = "duplicates the id of another row"
KIND: Final = "must be one of 'sale', 'return', 'payment'"
UNKNOWN_CURRENCY: Final = "unknown currency: expected an upper-case ISO 4217 code such as 'CNY'"
ISO_DATE: Final = "must be an ISO date YYYY-MM-DD"
TIMED: Final = "must be a date without a time of day"
DAY_RANGE: Final = "must be between 0001-01-01 and 9999-12-31"
POSITIVE: Final = "must be positive"
NOT_NEGATIVE: Final = "must not be negative"
PAYMENT_COST: Final = "a payment has no cost of goods"
CATEGORY: Final = "must be a '/'-separated path without empty segments"
SALE_REFERS: Final = "a sale refers to no other transaction"


def day(d: dt.date) -> Column:
    """A date literal (any year: Python's ``strftime`` does not pad years below 1000)."""
    return sf.lit(d.isoformat()).cast("date")


def col(name: str) -> Column:
    """The column named ``name``, whatever characters the name holds."""
    return sf.col("`" + name.replace("`", "``") + "`")


@dataclass(frozen=True)
class Rule:
    """One rule: the rows it rejects, and how a rejected row's reason reads."""

    column: str
    """The input column the reason names."""
    message: str
    """The rule; ``{}`` is filled with the row's ``detail``."""
    style: str
    """How the value is shown: ``repr`` (text, quoted), ``strip``, ``plain`` or ``stamp``."""
    when: Column
    shown: Column
    detail: Column | None = None


_PARSED_TYPE: Final = spt.StructType(
    [
        spt.StructField("code", spt.IntegerType()),
        spt.StructField("sign", spt.IntegerType()),
        spt.StructField("text", spt.StringType()),
    ]
)


def _read(text: str | None) -> tuple[int, int | None, str | None]:
    """A number text read as the kernel reads it: bound code, sign and plain decimal text."""
    if text is None:
        return 0, None, None
    code, value = read_decimal(text)
    if value is None:
        return code, None, None
    return code, (value > 0) - (value < 0), decimal_text(value)


_read_udf: Callable[..., Column] | None = None


def _parse(c: Column) -> Column:
    global _read_udf  # one UDF object per process, made on first use
    if _read_udf is None:
        _read_udf = sf.udf(_read, _PARSED_TYPE, useArrow=False)
    return _read_udf(c)


def _bounds_decimal(c: Column, t: spt.DecimalType) -> Column:
    """The bound code of each value of a decimal column (0: in bounds)."""
    p, s = t.precision, t.scale
    text = sf.abs(c).cast("string")
    out: Column = sf.lit(0)
    # a value in bounds (below 10**15) has at most 15 + s significant digits: count them only
    # when that can pass 34 (a larger value is refused as too large first)
    if p > MAX_DIGITS and MAX_MAGNITUDE + s > MAX_DIGITS:
        digits = sf.length(sf.regexp_replace(sf.regexp_replace(text, r"\.", ""), "^0+|0+$", ""))
        out = sf.when(digits > MAX_DIGITS, sf.lit(TOO_MANY_DIGITS)).otherwise(out)
    if s > MAX_DIGITS:
        tiny = (c != 0) & text.rlike(r"^0\.0{" + str(MAX_DIGITS) + "}")
        out = sf.when(tiny, sf.lit(TOO_SMALL)).otherwise(out)
    if p - s > MAX_MAGNITUDE:
        out = sf.when(sf.abs(c) >= sf.lit(_LIMIT), sf.lit(TOO_LARGE)).otherwise(out)
    return out


def _number(
    df: DataFrame, name: str, source: str, t: spt.DataType, rules: list[Rule], *, required: bool
) -> tuple[DataFrame, Column | None]:
    """Add a number column's rules; return the DataFrame and a column to compare with 0.

    The value itself for decimal and integer columns, its sign (-1, 0, 1) for text.
    """
    raw = col(source)
    if required:
        rules.append(Rule(source, REQUIRED, "plain", raw.isNull(), sf.lit(None)))
    if isinstance(t, spt.NullType):
        return df, None
    if isinstance(t, spt.DecimalType | spt.LongType):
        if isinstance(t, spt.DecimalType):
            code = _bounds_decimal(raw, t)
        else:
            large = (raw >= sf.lit(10**MAX_MAGNITUDE)) | (raw <= -(10**MAX_MAGNITUDE))
            code = sf.when(large, sf.lit(TOO_LARGE)).otherwise(sf.lit(0))
        for number in sorted(BOUNDS):
            rules.append(Rule(source, BOUNDS[number], "plain", code == number, raw.cast("string")))
        return df, raw
    if isinstance(t, _INTEGRAL):
        return df, raw
    parsed = _PARSED + name
    df = df.withColumn(parsed, _parse(raw.cast("string")))
    for number in sorted(BOUNDS):
        rules.append(
            Rule(source, BOUNDS[number], "repr", col(parsed)["code"] == number, raw.cast("string"))
        )
    return df, col(parsed)["sign"]


def number_text(name: str, t: spt.DataType, source: str) -> Column:
    """A valid number column as exact decimal text or a decimal (after :func:`check`)."""
    if isinstance(t, spt.NullType):
        return sf.lit(None).cast("string")
    if isinstance(t, (spt.DecimalType, *_INTEGRAL)):
        return col(source)
    return col(_PARSED + name)["text"]


def _dates(source: str, t: spt.DataType, rules: list[Rule]) -> None:
    raw = col(source)
    rules.append(Rule(source, REQUIRED, "plain", raw.isNull(), sf.lit(None)))
    if isinstance(t, spt.NullType):
        return
    if isinstance(t, spt.StringType | spt.VarcharType | spt.CharType):
        text = raw.cast("string")
        good = text.rlike(_ISO) & text.try_cast("date").isNotNull() & ~text.startswith("0000")
        rules.append(Rule(source, ISO_DATE, "repr", raw.isNotNull() & ~good, text))
        return
    days = raw.cast("date")
    if isinstance(t, spt.TimestampNTZType):
        timed = raw != days.cast(spt.TimestampNTZType())
        rules.append(Rule(source, TIMED, "stamp", timed, raw.cast("string")))
    low, high = day(dt.date(1, 1, 1)), day(dt.date(9999, 12, 31))
    rules.append(
        Rule(source, DAY_RANGE, "strip", (days < low) | (days > high), days.cast("string"))
    )


_DUP_ID: Final = "__ck_dup_id"
_DUP_N: Final = "__ck_dup_n"
_FIRST: Final = "__ck_first"
_RANK: Final = "__ck_rank"


def _ranked(df: DataFrame, lay: Layout, ids: Column) -> tuple[DataFrame, Column]:
    """``df`` with each row's rank among the rows sharing its id (1: the row kept).

    Ids are counted by an aggregation (a shuffle of the ids alone); only the rows of ids seen
    more than once, joined to those few ids by broadcast, are ranked by a window. Ranks follow
    ``row`` when given (its lowest value first, also kept as the first row's number), else the
    other canonical columns, so that the row kept does not depend on partitioning.
    """
    extra = [sf.min(col(lay.row)).alias(_FIRST)] if lay.row is not None else []
    counts = df.groupBy(ids.alias(_DUP_ID)).agg(sf.count(sf.lit(1)).alias(_DUP_N), *extra)
    multi = counts.where(col(_DUP_N) > 1)
    joined = df.join(sf.broadcast(multi), ids == col(_DUP_ID), "left")
    if lay.row is not None:
        order = [col(lay.row).asc_nulls_last()]
    else:
        order = [col(lay.found[n]).asc_nulls_first() for n in lay.found if n != "id"]
    window = Window.partitionBy(col(_DUP_ID)).orderBy(*order)
    repeated = joined.where(col(_DUP_N).isNotNull()).withColumn(_RANK, sf.row_number().over(window))
    single = joined.where(col(_DUP_N).isNull()).withColumn(_RANK, sf.lit(1))
    return single.unionByName(repeated), col(_RANK)


def check(df: DataFrame, lay: Layout) -> tuple[DataFrame, list[Rule]]:
    """``df`` with a :data:`CODE` column (the first rule each row breaks, 0 for none).

    The rules are added in ``frames``' order, the unique-id rule last (it is judged among the
    rows that pass every other rule, as in ``frames``); the returned list is indexed by
    code - 1. Helper columns (``__ck_...``) are added for parsed number text and duplicate ids.
    """
    found, types = lay.found, lay.types
    rules: list[Rule] = []

    def text(name: str) -> Column | None:
        if name not in found:
            return None
        source = found[name]
        c = col(source).cast("string")
        if name in IDS:
            blank = c.isNotNull() & ~c.rlike(_NON_SPACE)
            rules.append(Rule(source, BLANK, "repr", blank, c))
        return c

    # -- id: present, not blank, unique --
    id_source = found["id"]
    ids = col(id_source).cast("string")
    rules.append(Rule(id_source, REQUIRED, "plain", ids.isNull(), sf.lit(None)))
    rules.append(Rule(id_source, BLANK, "repr", ids.isNotNull() & ~ids.rlike(_NON_SPACE), ids))
    text("partner_id")
    _dates(found["date"], types["date"], rules)
    # -- kind --
    kind = col(found["kind"]).cast("string")
    rules.append(Rule(found["kind"], REQUIRED, "plain", kind.isNull(), sf.lit(None)))
    rules.append(Rule(found["kind"], KIND, "repr", ~kind.isin(_KINDS), kind))
    # -- amount and currency --
    df, amount = _number(df, "amount", found["amount"], types["amount"], rules, required=True)
    if "currency" in found:
        cur = col(found["currency"]).cast("string")
        rules.append(Rule(found["currency"], REQUIRED, "plain", cur.isNull(), sf.lit(None)))
        rules.append(Rule(found["currency"], UNKNOWN_CURRENCY, "repr", ~cur.isin(_CODES), cur))
    _sign_rule(rules, found["amount"], types["amount"], amount, POSITIVE, strict=False)
    # -- the optional fields --
    for name in ("quantity", "sku", "unit_price", "territory", "customer_id", "cost"):
        if name not in found:
            continue
        if name in ("sku", "territory", "customer_id"):
            text(name)
            continue
        source = found[name]
        df, sign = _number(df, name, source, types[name], rules, required=False)
        _sign_rule(rules, source, types[name], sign, NOT_NEGATIVE, strict=True)
        if name == "cost":
            paid = (kind == TransactionKind.PAYMENT.value) & col(source).isNotNull()
            style, shown = _number_shown(source, types[name])
            rules.append(Rule(source, PAYMENT_COST, style, paid, shown))
    category = text("category")
    if category is not None:
        empty = category.rlike(_EMPTY_SEGMENT)
        rules.append(Rule(found["category"], CATEGORY, "repr", empty, category))
    refers = text("refers_to")
    if refers is not None:
        sale = (kind == TransactionKind.SALE.value) & refers.isNotNull()
        rules.append(Rule(found["refers_to"], SALE_REFERS, "repr", sale, refers))
    df = _coded(df, rules)
    # -- id: unique among the rows that pass every other rule (the first valid row is kept) --
    live = sf.when(col(CODE) == 0, ids)
    df, rank = _ranked(df, lay, live)
    message = DUPLICATE if lay.row is not None else DUPLICATE_UNNUMBERED
    detail = col(_FIRST).cast("string") if lay.row is not None else None
    repeated = live.isNotNull() & (rank > 1)
    rules.append(Rule(id_source, message, "repr", repeated, ids, detail))
    code = sf.when(repeated, sf.lit(len(rules))).otherwise(col(CODE))
    return df.withColumn(CODE, code), rules


def _number_shown(source: str, t: spt.DataType) -> tuple[str, Column]:
    style = "strip" if isinstance(t, spt.StringType | spt.VarcharType | spt.CharType) else "plain"
    return style, col(source).cast("string")


def _sign_rule(
    rules: list[Rule],
    source: str,
    t: spt.DataType,
    sign: Column | None,
    message: str,
    *,
    strict: bool,
) -> None:
    if sign is None:
        return
    bad = sign < 0 if strict else sign <= 0
    style, shown = _number_shown(source, t)
    rules.append(Rule(source, message, style, bad, shown))


def _coded(df: DataFrame, rules: list[Rule]) -> DataFrame:
    code: Any = sf
    for number, rule in enumerate(rules, start=1):
        hit = sf.coalesce(rule.when, sf.lit(False))
        code = code.when(hit, sf.lit(number))
    return df.withColumn(CODE, code.otherwise(sf.lit(0)))


def _text(value: str | None, style: str) -> str:
    if value is None:
        return "null"
    if style == "strip":
        return value.strip()
    if style == "repr":
        return show(value)
    if style == "stamp":
        value = dt.datetime.fromisoformat(value).isoformat()
    return value if len(value) <= 60 else value[:40] + "..." + value[-12:]


def reasons(df: DataFrame, rules: list[Rule]) -> Column:
    """The reason of each rejected row of ``df`` (after :func:`check`), as frames words it."""
    specs = [(r.column, r.message, r.style) for r in rules]

    def reason(code: int, shown: str | None, detail: str | None) -> str:
        column, message, style = specs[code - 1]
        if "{}" in message:
            message = message.format(detail)
        return f"{column}: {message} (value {_text(shown, style)})"

    shown: Any = sf
    detail: Any = sf
    has_detail = False
    for number, rule in enumerate(rules, start=1):
        shown = shown.when(col(CODE) == number, rule.shown.cast("string"))
        if rule.detail is not None:
            detail = detail.when(col(CODE) == number, rule.detail.cast("string"))
            has_detail = True
    detail_col = detail.otherwise(sf.lit(None)) if has_detail else sf.lit(None).cast("string")
    udf = sf.udf(reason, spt.StringType(), useArrow=False)
    return udf(col(CODE), shown.otherwise(sf.lit(None)), detail_col)
