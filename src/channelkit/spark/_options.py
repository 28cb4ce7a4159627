"""The per-partner options of ``settle_all``: mappings, or DataFrames keyed by ``partner_id``.

A mapping travels to the executors with the function that settles; a DataFrame (``partner_id``
plus a column named after the option) is joined to the per-partner sums, and its value read on
the executors: ``metrics`` a map (or JSON text) of metric name to number, ``tiers`` a ``Tier`` as
JSON text or a struct, ``advances`` and ``baselines`` numbers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

from pyspark.sql import DataFrame
from pyspark.sql import functions as sf

from channelkit.errors import ArgumentError, ArgumentTypeError
from channelkit.tiers import Tier

__all__ = ["OPTIONS", "Option", "option"]

OPTIONS: Final = ("metrics", "tiers", "advances", "baselines")
_PREFIX: Final = "__ck_opt_"


class Option:
    """One option: a mapping, or a DataFrame column joined to the sums."""

    def __init__(self, name: str, mapping: Mapping[str, Any] | None, frame: DataFrame | None):
        self.name = name
        self.mapping = None if mapping is None else dict(mapping)
        self.frame = frame

    def join(self, rows: DataFrame) -> DataFrame:
        """``rows`` with this option's column, when it is a DataFrame."""
        if self.frame is None:
            return rows
        right = self.frame.select(
            sf.col("partner_id").cast("string").alias("partner_id"),
            sf.col(self.name).alias(_PREFIX + self.name),
        )
        return rows.join(right, on="partner_id", how="left")

    def light(self) -> Option:
        """The option without its DataFrame, to travel to the executors."""
        return Option(self.name, self.mapping, None)

    def value(self, row: Mapping[str, Any], pid: str) -> Any:
        """The option's value for partner ``pid`` (``None``: the model path's default)."""
        if self.mapping is not None:
            return self.mapping.get(pid)
        v = row[_PREFIX + self.name]
        if v is None:
            return None
        if self.name == "metrics":
            if isinstance(v, str):
                return json.loads(v, parse_float=Decimal)
            return dict(v)  # a map arrives as (key, value) pairs, a struct as a dict
        if self.name == "tiers":
            return Tier.model_validate_json(v) if isinstance(v, str) else Tier.model_validate(v)
        return v


def option(name: str, value: object) -> Option:
    """Check one option given to ``settle_all``.

    Raises
    ------
    ArgumentTypeError
        Neither a mapping nor a DataFrame.
    ArgumentError
        A DataFrame without ``partner_id`` or the option's column, or with a partner twice.
    """
    if isinstance(value, DataFrame):
        missing = [c for c in ("partner_id", name) if c not in value.columns]
        if missing:
            msg = (
                f"{name}: the DataFrame needs the columns 'partner_id' and {name!r} "
                f"(missing {missing}; its columns: {value.columns})"
            )
            raise ArgumentError(msg, argument=name, value=value.columns)
        twice = (
            value.groupBy(sf.col("partner_id").cast("string").alias("p"))
            .count()
            .where(sf.col("count") > 1)
            .limit(1)
            .collect()
        )
        if twice:
            msg = f"{name}: partner {twice[0]['p']!r} has more than one row"
            raise ArgumentError(msg, argument=name, value=twice[0]["p"])
        return Option(name, None, value)
    if isinstance(value, Mapping):
        return Option(name, value, None)
    msg = f"{name} must be a mapping keyed by partner id or a DataFrame, got {type(value).__name__}"
    raise ArgumentTypeError(msg, argument=name, value=value)
