"""Benchmark: ``channelkit.spark.settle_all`` against a plain PySpark job (issue #11).

``N`` generated rows (1,000,000 by default; 10,000 partners, ``DECIMAL(38, 2)`` amounts,
integer quantities, sales, returns and payments over a year) are cached on a ``local[2]``
session, then settled for one quarter under a three-bracket graduated policy:

1. ``channelkit.spark.settle_all``: every row checked (all the rules of ``frames.transactions``,
   unique ids), per-partner sums in Spark, each rebate computed by channelkit on the executors,
   the result typed from its values; collected.
2. a plain hand-written baseline: the same per-partner sums in Spark, and the same graduated
   rebate as Spark SQL arithmetic (no Python UDF, no checks), rounded half up; collected.

Both must give every partner the same rebate to the cent. Run: ``python benchmarks/spark.py``
(``--quick`` for a tenth, ``--rows N`` for another size). Each figure is the best of
``--repeats`` runs (default 2).
"""

from __future__ import annotations

import argparse
import time
from decimal import Decimal

from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as sf

from channelkit import Bracket, Period, RebatePolicy
from channelkit.spark import settle_all
from channelkit.spark._local import local_session

PARTNERS = 10_000
QUARTER = Period.quarter(2026, 3)
POLICY = RebatePolicy(
    id="Q3",
    name="Q3 ladder",
    currency="CNY",
    brackets=(
        Bracket(start=Decimal(0), rate=Decimal("0.02")),
        Bracket(start=Decimal(50_000), rate=Decimal("0.03")),
        Bracket(start=Decimal(200_000), rate=Decimal("0.045")),
    ),
)


def make_frame(spark: SparkSession, n: int) -> DataFrame:
    i = sf.col("id")
    partner = sf.pmod(sf.hash(i), sf.lit(PARTNERS))
    kind = sf.when(i % 10 == 3, "return").when(i % 10 == 7, "payment").otherwise("sale")
    return spark.range(n).select(
        sf.concat(sf.lit("T"), i.cast("string")).alias("id"),
        sf.concat(sf.lit("P"), partner.cast("string")).alias("partner_id"),
        sf.date_add(sf.lit("2026-01-01").cast("date"), (i % 365).cast("int")).alias("date"),
        kind.alias("kind"),
        ((i * 7919 % 1_000_000 + 1).cast("decimal(38,0)") / 100)
        .cast("decimal(38,2)")
        .alias("amount"),
        (i % 9).cast("int").alias("quantity"),
        sf.lit("CNY").alias("currency"),
    )


def baseline(df: DataFrame) -> dict[str, Decimal]:
    """Per-partner sums and the graduated rebate in plain Spark SQL arithmetic."""
    start, end = QUARTER.start.isoformat(), QUARTER.end.isoformat()
    now = (sf.col("date") >= sf.lit(start).cast("date")) & (
        sf.col("date") < sf.lit(end).cast("date")
    )
    sale, back = sf.col("kind") == "sale", sf.col("kind") == "return"
    sums = (
        df.where(now & sf.col("partner_id").isNotNull())
        .groupBy("partner_id")
        .agg(
            sf.sum(sf.when(sale, sf.col("amount")).otherwise(0)).alias("sales"),
            sf.sum(sf.when(back, sf.col("amount")).otherwise(0)).alias("returns"),
        )
    )
    basis = sf.col("sales") - sf.col("returns")
    starts = [b.start for b in POLICY.brackets]
    ends: list[Decimal | None] = [*starts[1:], None]
    total: Column = sf.lit(Decimal(0))
    for b, upper in zip(POLICY.brackets, ends, strict=True):
        top = basis if upper is None else sf.least(basis, sf.lit(upper))
        part = sf.greatest(top - sf.lit(b.start), sf.lit(Decimal(0))) * sf.lit(b.rate)
        total = total + part
    amount = sf.round(sf.when(basis > 0, total).otherwise(sf.lit(Decimal(0))), 2)
    return {
        r["partner_id"]: r["amount"]
        for r in sums.select("partner_id", amount.alias("amount")).collect()
    }


def library(df: DataFrame) -> dict[str, Decimal]:
    out = settle_all(POLICY, df, QUARTER)
    got = {
        r["partner_id"]: r["result_amount"]
        for r in out.select("partner_id", "result_amount").collect()
    }
    out.unpersist()
    return got


def best(fn: object, df: DataFrame, repeats: int) -> tuple[float, dict[str, Decimal]]:
    times, result = [], {}
    for _ in range(repeats):
        t = time.perf_counter()
        result = fn(df)  # type: ignore[operator]
        times.append(time.perf_counter() - t)
    return min(times), result


def scale(spark: SparkSession, n: int, repeats: int) -> None:
    """``settle_all`` over ``n`` and ``10 n`` cached rows: the time per row of each, the ratio."""
    per_row = []
    for rows in (n, 10 * n):
        df = make_frame(spark, rows).cache()
        df.count()
        took, got = best(library, df, repeats)
        df.unpersist()
        per_row.append(took / rows)
        each = took / rows * 1e6
        print(f"{rows:>12,} rows: {took:8.2f} s  {each:7.2f} us/row  ({len(got):,} partners)")
    print(f"time per row at {10 * n:,} / at {n:,}: {per_row[1] / per_row[0]:.2f}x (target <= 1.3)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="a tenth of the rows")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument(
        "--scale",
        action="store_true",
        help="settle_all at --rows and at ten times as many: is the time per row the same?",
    )
    args = parser.parse_args()
    n = args.rows // 10 if args.quick else args.rows
    spark = local_session(memory="6g")
    if args.scale:
        scale(spark, n, args.repeats)
        return
    df = make_frame(spark, n).cache()
    print(f"{df.count():,} rows cached on local[2]")
    lib_time, lib = best(library, df, args.repeats)
    base_time, base = best(baseline, df, args.repeats)
    if lib != base:
        raise SystemExit("the two paths disagree")
    print(f"partners settled: {len(lib):,}")
    for label, took in (
        ("channelkit.spark.settle_all (checks included)", lib_time),
        ("plain PySpark sums + SQL rebate (no checks)", base_time),
    ):
        print(f"{label:48s} {took:8.2f} s  {took / n * 1e6:7.2f} us/row")
    print(f"ratio: {lib_time / base_time:.2f}x the plain job")


if __name__ == "__main__":
    main()
