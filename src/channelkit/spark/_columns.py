"""Column-level checks of a Spark DataFrame, made before any row is read: names, presence, types.

The same rules as :mod:`channelkit.frames` (and the same renames through ``columns=``): a
required column missing, a floating-point number column or a column of a type its field cannot
be read from refuses the whole DataFrame with a :class:`~channelkit.errors.FrameError` naming the
column and saying how to fix it. Only the schema is read: no Spark job runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Final

from pyspark.sql import DataFrame
from pyspark.sql import types as spt

from channelkit.currencies import CURRENCIES
from channelkit.errors import ArgumentError, ArgumentTypeError, FrameError
from channelkit.frames._columns import sources
from channelkit.frames._schema import COLUMNS, NUMBERS, REQUIRED

__all__ = ["Layout", "layout"]

_CAST: Final = (
    "read it exactly instead: as DecimalType (a schema such as '{c} DECIMAL(38, 2)' in "
    "spark.read) or as text, or cast it where it was made exact, e.g. "
    "df.withColumn('{c}', sf.col('{c}').cast('decimal(38,2)')) only if every value is known to "
    "have at most 2 places"
)
_INTEGRAL: Final = (spt.ByteType, spt.ShortType, spt.IntegerType, spt.LongType)
_TEXT: Final = (spt.StringType, spt.VarcharType, spt.CharType)


@dataclass(frozen=True)
class Layout:
    """Where each canonical column of a DataFrame is, and its Spark type."""

    found: dict[str, str]
    """Canonical name to input column name."""
    types: dict[str, spt.DataType]
    """Canonical name to the input column's type."""
    currency: str | None
    """``currency=`` as given (the DataFrame then has no currency column)."""
    row: str | None
    """The input column that numbers the rows, when one was named."""


def _group(name: str) -> str:
    return "date" if name == "date" else "number" if name in NUMBERS else "text"


def _accepted(group: str, t: spt.DataType) -> bool:
    if isinstance(t, (spt.NullType, *_TEXT)):
        return True
    if group == "number":
        return isinstance(t, (spt.DecimalType, *_INTEGRAL))
    if group == "date":
        return isinstance(t, spt.DateType | spt.TimestampNTZType)
    return False


_WHAT: Final = {
    "date": "a date, a timestamp without time zone (TimestampNTZType) or ISO text",
    "number": "an exact number: decimal, integer or text",
    "text": "text (cast it with sf.col(name).cast('string'))",
}


def layout(
    df: object,
    columns: Mapping[str, str] | None,
    currency: str | None,
    row: str | None = None,
    *,
    need_currency: bool = True,
) -> Layout:
    """Check a DataFrame's columns and return where each canonical column is.

    Raises
    ------
    ArgumentTypeError
        ``df`` is not a ``pyspark.sql.DataFrame``.
    ArgumentError
        Bad ``columns``, ``row`` not a column, ``currency=`` with a currency column, an unknown
        currency, or no currency at all (when ``need_currency``).
    FrameError
        A required column is missing, a number column is floating point, or a column has a type
        its field cannot be read from.
    """
    if not isinstance(df, DataFrame):
        msg = f"df must be a pyspark.sql.DataFrame, got {type(df).__name__}"
        raise ArgumentTypeError(msg, argument="df", value=df)
    names = list(df.columns)
    found = sources(SimpleNamespace(column_names=names), columns)
    schema = {f.name: f.dataType for f in df.schema.fields}
    for name in REQUIRED:
        if name not in found:
            msg = (
                f"{name}: the DataFrame has no {name!r} column (required; its columns: "
                f"{names}; rename one with columns={{...: {name!r}}})"
            )
            raise FrameError(msg)
    types: dict[str, spt.DataType] = {}
    for name in COLUMNS:
        if name not in found:
            continue
        source = found[name]
        t = schema[source]
        group = _group(name)
        if group == "number" and isinstance(t, spt.FloatType | spt.DoubleType):
            msg = (
                f"{source}: column is {t.simpleString()} (floating point), which cannot hold "
                f"{name} exactly; {_CAST.format(c=source)}"
            )
            raise FrameError(msg)
        if not _accepted(group, t):
            msg = f"{source}: column is {t.simpleString()}; {name} needs {_WHAT[group]}"
            raise FrameError(msg)
        types[name] = t
    if row is not None and row not in schema:
        msg = f"row: {row!r} is not a column of the DataFrame (its columns: {names})"
        raise ArgumentError(msg, argument="row", value=row)
    if currency is not None:
        if "currency" in found:
            msg = (
                f"currency={currency!r} was given but the DataFrame has a currency column "
                f"({found['currency']!r}): use one or the other"
            )
            raise ArgumentError(msg, argument="currency", value=currency)
        if currency not in CURRENCIES:
            msg = (
                f"unknown currency {currency!r}: expected an upper-case ISO 4217 code such as 'CNY'"
            )
            raise ArgumentError(msg, argument="currency", value=currency)
    elif "currency" not in found and need_currency:
        msg = (
            "currency: the DataFrame has no currency column: pass currency= (such as "
            "currency='CNY') or add a 'currency' column"
        )
        raise FrameError(msg)
    return Layout(found=found, types=types, currency=currency, row=row)
