"""A quiet local SparkSession for examples, tests and benchmarks (not for a cluster)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from decimal import Decimal

import pyarrow as pa
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import types as spt

from channelkit.frames._input import table_of
from channelkit.numeric import decimal_text
from channelkit.transactions import Transaction

__all__ = ["frame_of", "local_session"]


def local_session(
    cores: int = 2, *, name: str = "channelkit", memory: str | None = None
) -> SparkSession:
    """A ``local[cores]`` session tuned for small data: few shuffle partitions, no UI, quiet.

    The Python workers run the interpreter of the caller (``PYSPARK_PYTHON`` is set to it
    unless already set), so they see the same channelkit and pyarrow. ``memory`` sets the
    driver's memory (``"4g"``: in local mode the driver holds everything). Returns the running
    session when there is one.
    """
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = SparkSession.builder
    if memory is not None:
        builder = builder.config("spark.driver.memory", memory)
    spark = (
        builder.master(f"local[{cores}]")
        .appName(name)
        .config("spark.sql.shuffle.partitions", str(cores))
        .config("spark.default.parallelism", str(cores))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.extraJavaOptions", "-Dlog4j2.level=ERROR")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def frame_of(spark: SparkSession, items: Iterable[Transaction]) -> DataFrame:
    """``Transaction`` models as a DataFrame in the canonical schema (tests and examples).

    Numbers are ``DecimalType(38, places)``, or exact text when a column needs more than 38
    digits; the ``currency`` column is the amount's.
    """
    table = table_of(list(items))
    fields: list[spt.StructField] = []
    texts: list[bool] = []
    for f in table.schema:
        t = f.type
        if pa.types.is_decimal128(t):
            fields.append(spt.StructField(f.name, spt.DecimalType(38, t.scale)))
        elif pa.types.is_date(t):
            fields.append(spt.StructField(f.name, spt.DateType()))
        else:
            fields.append(spt.StructField(f.name, spt.StringType()))
        texts.append(pa.types.is_decimal256(t))
    rows = [
        tuple(
            decimal_text(v) if wide and isinstance(v, Decimal) else v
            for v, wide in zip(row.values(), texts, strict=True)
        )
        for row in table.to_pylist()
    ]
    return spark.createDataFrame(rows, spt.StructType(fields))
