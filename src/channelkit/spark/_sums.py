"""Exact decimal columns for sums, the date of each row, and the row check before a calculation.

A decimal column is summed as it is; an integer column as a decimal of scale 0; a text column
(read as ``Decimal(text)`` reads it) is cast to the decimal type with the most places its valid
values have, found by one small aggregation first. Spark decimals hold 38 digits: text with
more than 23 places cannot be summed exactly there and is refused with a ``FrameError`` (read
such tables with ``channelkit.frames`` instead).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as sf
from pyspark.sql import types as spt

from channelkit.errors import FrameError
from channelkit.numeric import MAX_MAGNITUDE
from channelkit.spark._columns import Layout
from channelkit.spark._rules import CODE, Rule, col, number_text
from channelkit.spark._validate import checked, raise_rejected

__all__ = ["Prepared", "count_bad", "prepare"]

_WIDE: Final = 38
_MOST_PLACES: Final = _WIDE - MAX_MAGNITUDE
_TEXT: Final = (
    "id",
    "partner_id",
    "kind",
    "sku",
    "territory",
    "customer_id",
    "currency",
    "category",
    "refers_to",
)


@dataclass(frozen=True)
class Prepared:
    """A DataFrame checked row by row, with its canonical columns as exact Spark columns."""

    source: DataFrame
    coded: DataFrame
    layout: Layout
    rules: list[Rule]
    text: dict[str, Column]
    """``id``, ``partner_id``, ``kind``, ``sku``, ``territory``, ``customer_id``, ``currency``,
    ``category``, ``refers_to`` (null when absent)."""
    number: dict[str, Column]
    """``amount``, ``quantity`` and ``cost`` as exact decimals (``quantity`` 0 when absent or
    null; ``cost`` null when absent or not asked for)."""
    date: Column

    @property
    def currency(self) -> Column:
        """Each row's currency: the ``currency=`` given for every row, else the column's."""
        if self.layout.currency is not None:
            return sf.lit(self.layout.currency)
        return self.text["currency"]


def _date(lay: Layout) -> Column:
    c = col(lay.found["date"])
    t = lay.types["date"]
    if isinstance(t, spt.DateType):
        return c
    if isinstance(t, spt.TimestampNTZType):
        return c.cast("date")
    return c.cast("string").try_cast("date")


def prepare(df: DataFrame, *, currency_needed: bool = True, cost: bool = False) -> Prepared:
    """Check ``df`` (a DataFrame with the canonical column names) and read its columns exactly.

    ``cost``: read the ``cost`` column too (a margin figure sums it); otherwise it is only checked.
    """
    coded, lay, rules = checked(df, need_currency=currency_needed)
    found = lay.found
    text: dict[str, Column] = {}
    for name in _TEXT:
        text[name] = (
            col(found[name]).cast("string") if name in found else sf.lit(None).cast("string")
        )
    wanted = [n for n in ("amount", "quantity", "cost") if n in found and (cost or n != "cost")]
    texts = {n: number_text(n, lay.types[n], found[n]) for n in wanted}
    places = _places(coded, {n: c for n, c in texts.items() if _is_text(lay.types[n])}, found)
    number: dict[str, Column] = {}
    for name in wanted:
        t = lay.types[name]
        c = texts[name]
        if isinstance(t, spt.DecimalType):
            number[name] = c
        elif isinstance(t, spt.NullType):
            number[name] = sf.lit(None).cast(spt.DecimalType(1, 0))
        elif name in places:
            s = places[name]
            number[name] = c.try_cast(spt.DecimalType(MAX_MAGNITUDE + s, s))
        else:
            number[name] = c.cast(spt.DecimalType(20, 0))
    number["quantity"] = sf.coalesce(number.get("quantity", sf.lit(None)), sf.lit(0))
    number.setdefault("cost", sf.lit(None).cast(spt.DecimalType(1, 0)))
    return Prepared(df, coded, lay, rules, text, number, _date(lay))


def _is_text(t: spt.DataType) -> bool:
    return isinstance(t, spt.StringType | spt.VarcharType | spt.CharType)


def _places(
    coded: DataFrame, texts: Mapping[str, Column], found: Mapping[str, str]
) -> dict[str, int]:
    """The most places of the valid values of each text number column (one small job)."""
    if not texts:
        return {}
    stats = [
        sf.max(
            sf.when(
                col(CODE) == 0,
                sf.length(sf.substring_index(c, ".", -1)) * c.contains(".").cast("int"),
            )
        ).alias(n)
        for n, c in texts.items()
    ]
    row = coded.agg(*stats).collect()[0]
    out: dict[str, int] = {}
    for name in texts:
        s = int(row[name] or 0)
        if s > _MOST_PLACES:
            msg = (
                f"{found[name]}: values with {s} decimal places cannot be summed exactly in Spark "
                f"(its decimals hold 38 digits: at most {_MOST_PLACES} places beside "
                f"{MAX_MAGNITUDE} integer digits); round them at the source, or use "
                "channelkit.frames"
            )
            raise FrameError(msg)
        out[name] = s
    return out


def count_bad(p: Prepared, bad: int, total: int) -> None:
    """Raise the ``FrameError`` of ``p`` when ``bad`` of its ``total`` rows were rejected."""
    if bad:
        raise_rejected(p.source, p.coded, p.layout, p.rules, bad, total)
