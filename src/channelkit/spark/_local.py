"""A quiet local SparkSession for examples, tests and benchmarks (not for a cluster)."""

from __future__ import annotations

import os
import sys

from pyspark.sql import SparkSession

__all__ = ["local_session"]


def local_session(cores: int = 2, *, name: str = "channelkit") -> SparkSession:
    """A ``local[cores]`` session tuned for small data: few shuffle partitions, no UI, quiet.

    The Python workers run the interpreter of the caller (``PYSPARK_PYTHON`` is set to it
    unless already set), so they see the same channelkit and pyarrow. Returns the running
    session when there is one.
    """
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    spark = (
        SparkSession.builder.master(f"local[{cores}]")
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
