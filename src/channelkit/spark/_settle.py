"""``settle_all`` on a cluster: per-partner sums in Spark, each rebate computed on the executors.

1. The rows are checked (every rule of ``frames.transactions``) and summed per partner in one
   Spark aggregation over exact decimals: sales, returns, collections and net units in the
   period and the policy's scope, as :func:`channelkit.rebates.settlement._sums` sums them, with
   the count of rejected rows and the first row in another currency.
2. A small job over those sums raises what the model path raises (``FrameError``,
   ``CurrencyMismatchError``); nothing but sums and counts reaches the driver.
3. ``mapInArrow`` over the sums settles each partner on the executors with the model path's own
   function (:func:`channelkit.rebates.settlement._settle_one`) and writes the settlement as the
   flattened row ``frames.to_arrow`` makes of it.
4. A last small job types the decimal columns from their values and raises the first error a
   partner's settlement met (by partner id, as the model path meets them in that order).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any, Final

import pyarrow as pa
from pyspark import StorageLevel
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as sf

from channelkit.errors import ArgumentError, CurrencyMismatchError
from channelkit.labels import check_lang
from channelkit.periods import Period
from channelkit.rebates._figures import missing_cost, uses
from channelkit.rebates.models import RebateBasis, RebatePolicy
from channelkit.rebates.plan import Plan, plan_of
from channelkit.rebates.settled import Settlement
from channelkit.rebates.settlement import _check, _settle_one
from channelkit.spark._figures import (
    cost_columns,
    exact,
    in_scope,
    paid_sales,
    read_extra,
    tally_columns,
)
from channelkit.spark._options import Option, option
from channelkit.spark._results import Flat, typed
from channelkit.spark._rules import CODE, col, day
from channelkit.spark._sums import Prepared, count_bad, prepare
from channelkit.transactions import TransactionKind

__all__ = ["settle_all"]

_ZERO: Final = Decimal(0)
_SUMS: Final = ("sales", "returns", "collections", "units")


def _sum(when: Column, value: Column, name: str) -> list[Column]:
    return [
        sf.try_sum(sf.when(when, value)).alias(name),
        sf.count(sf.when(when, sf.lit(1))).alias("n_" + name),
    ]


def _sums(policy: RebatePolicy, plan: Plan, p: Prepared, period: Period) -> DataFrame:
    """One row per partner id (null and invalid ones too): the sums, counts and checks.

    With the figures ``plan`` reads beyond the four sums: the net cost and the first sale or
    return without one (``MARGIN``), the per-transaction tallies (``per=TRANSACTION``).
    """
    pid, kind = p.text["partner_id"], p.text["kind"]
    ok = col(CODE) == 0
    counted = (
        ok
        & pid.isNotNull()
        & (p.date >= day(period.start))
        & (p.date < day(period.end))
        & in_scope(policy, p)
    )
    cur = p.currency
    same = counted & (cur == sf.lit(policy.currency))
    sale, back = kind == TransactionKind.SALE.value, kind == TransactionKind.RETURN.value
    pay = kind == TransactionKind.PAYMENT.value
    amount, qty = p.number["amount"], p.number["quantity"]
    units = sf.when(sale, qty).otherwise(-qty)
    extra: list[Column] = []
    if uses(plan, RebateBasis.MARGIN):
        extra += cost_columns(p, counted & (sale | back), sale)
    if plan.per_transaction:
        extra += tally_columns(plan, p, same & (sale | back), sale)
    return p.coded.groupBy(pid.alias("partner_id")).agg(
        sf.count(sf.lit(1)).alias("rows"),
        sf.count(sf.when(~ok, sf.lit(1))).alias("bad"),
        sf.count(sf.when(counted, sf.lit(1))).alias("counted"),
        sf.min(sf.when(counted & ~same, sf.struct(p.text["id"].alias("id"), cur.alias("c")))).alias(
            "other"
        ),
        *_sum(same & sale, amount, "sales"),
        *_sum(same & back, amount, "returns"),
        *_sum(same & pay, amount, "collections"),
        *_sum(same & (sale | back), units, "units"),
        *extra,
    )


def _settler(
    policy: RebatePolicy, period: Period, options: list[Option], flat: Flat, lang: str | None
) -> Any:
    def settle(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        plan = plan_of(policy)
        for batch in batches:
            out = []
            error: tuple[str, BaseException] | None = None
            for r in batch.to_pylist():
                pid = r["partner_id"]
                try:
                    sums = [
                        exact(r[name], name, pid) if r["n_" + name] else _ZERO for name in _SUMS
                    ]
                    sums += read_extra(plan, r, pid)
                    given = {o.name: o.value(r, pid) for o in options}
                    paid = given.get("advances")
                    s = _settle_one(
                        policy,
                        pid,
                        period,
                        sums,
                        plan=plan,
                        metrics=given.get("metrics"),
                        tier=given.get("tiers"),
                        advances=_ZERO if paid is None else paid,
                        baseline=given.get("baselines"),
                        keyed=True,
                    )
                    out.append(flat.row(s, lang))
                except (ValueError, TypeError, ArithmeticError) as err:
                    if error is None or pid < error[0]:
                        error = (pid, err)
            yield flat.batch(out, error)

    return settle


def settle_all(
    policy: RebatePolicy,
    df: DataFrame,
    period: Period,
    *,
    metrics: Mapping[str, Any] | DataFrame | None = None,
    tiers: Mapping[str, Any] | DataFrame | None = None,
    advances: Mapping[str, Any] | DataFrame | None = None,
    baselines: Mapping[str, Any] | DataFrame | None = None,
    lang: str | None = None,
) -> DataFrame:
    """Settle every partner's rebate on the cluster: one row per partner, as ``to_arrow`` has it.

    Parameters
    ----------
    policy
        The rebate policy.
    df
        Transactions with the columns of ``frames.transactions`` (canonical names; a
        ``currency`` column, as [`validate`][channelkit.spark.validate] returns them). Every row
        is checked: a rejected row raises ``FrameError``.
    period
        The settlement period; inside ``policy.valid`` when that is set.
    metrics, tiers, advances, baselines
        Mappings keyed by partner id, as for :func:`channelkit.settle_all`, or DataFrames with a
        ``partner_id`` column and a column named after the option: ``metrics`` a map of metric
        name to number (or its JSON text), ``tiers`` a ``Tier`` as JSON text or a struct of its
        fields, ``advances`` and ``baselines`` exact numbers (decimal, integer or text).
    lang
        ``"en"`` or ``"zh"``: add an ``explanation`` column.

    Returns
    -------
    pyspark.sql.DataFrame
        One row per partner with a transaction in the period and scope, with the columns of
        ``frames.to_arrow`` of the settlements (decimals as ``DecimalType(38, places)``, or
        exact text past 38 digits). Collected and ordered by ``partner_id``, it equals
        ``frames.to_arrow(channelkit.settle_all(...))`` for the same rows. The DataFrame is
        persisted (``unpersist()`` it when done).

    Raises
    ------
    FrameError
        A column cannot be read, or a row breaks a rule (the message shows the first five,
        ``rejected`` is the DataFrame of every rejected row with its reason).
    CurrencyMismatchError, PolicyError
        As :func:`channelkit.settle_all` raises them.
    ArgumentError
        A bad ``lang``, an option DataFrame without its columns or with a partner twice.

    Notes
    -----
    The sums are Spark aggregations over exact decimals; the rebate of each partner is
    computed by channelkit on the executors (``mapInArrow`` over the per-partner sums), so only
    sums, counts and the results reach the driver, never the transactions.

    Examples
    --------
    >>> import datetime as dt
    >>> from decimal import Decimal
    >>> from channelkit import Bracket, Period, RebatePolicy
    >>> from channelkit.spark._local import local_session
    >>> spark = local_session()
    >>> df = spark.createDataFrame(
    ...     [("T1", "D1", dt.date(2026, 7, 3), "sale", Decimal("80000.00"), "CNY"),
    ...      ("T2", "D1", dt.date(2026, 8, 3), "return", Decimal("5000.00"), "CNY")],
    ...     "id string, partner_id string, date date, kind string, amount decimal(38,2), "
    ...     "currency string")
    >>> policy = RebatePolicy(id="P", name="P", currency="CNY",
    ...                       brackets=(Bracket(start=0, rate="0.02"),))
    >>> out = settle_all(policy, df, Period.quarter(2026, 3))
    >>> out.select("partner_id", "basis", "payable").collect()
    [Row(partner_id='D1', basis=Decimal('75000.00'), payable=Decimal('1500.00'))]
    >>> _ = out.unpersist()
    """
    # the model path's checks of the policy, the period and policy.valid (no transactions)
    policy, _ = _check(policy, (), period)
    if lang is not None:
        try:
            check_lang(lang)
        except ValueError as err:
            raise ArgumentError(str(err), argument="lang", value=lang) from None
    given = {"metrics": metrics, "tiers": tiers, "advances": advances, "baselines": baselines}
    options = [option(name, value) for name, value in given.items() if value is not None]
    plan = plan_of(policy)
    p = prepare(df, cost=uses(plan, RebateBasis.MARGIN))
    sums = _sums(policy, plan, p, period).persist(StorageLevel.MEMORY_AND_DISK)
    paid = None
    try:
        _check_sums(policy, plan, p, sums)
        rows = sums.where(sf.col("counted") > 0)
        if uses(plan, RebateBasis.PAID_SALES):
            paid = paid_sales(policy, p, period).persist(StorageLevel.MEMORY_AND_DISK)
            rows = _with_paid(sums, paid, policy)
        rows = rows.drop("rows", "bad", "counted", "other", "bare")
        # the sums are small and AQE gathers them in one partition: spread the settling
        spread = int(str(rows.sparkSession.conf.get("spark.sql.shuffle.partitions", "200")))
        rows = rows.repartition(max(spread, 1), "partner_id")
        for o in options:
            rows = o.join(rows)
        flat = Flat(Settlement, explain=lang is not None)
        light = [o.light() for o in options]
        stage = rows.mapInArrow(_settler(policy, period, light, flat, lang), flat.schema)
        stage = stage.persist(StorageLevel.MEMORY_AND_DISK)
        try:
            typed_out, error = typed(stage, flat)
            if error is not None:
                raise error
            out = typed_out.persist(StorageLevel.MEMORY_AND_DISK)  # out.unpersist() frees it
            out.count()
        finally:
            stage.unpersist()
    finally:
        sums.unpersist()
        if paid is not None:
            paid.unpersist()
    return out


def _check_sums(policy: RebatePolicy, plan: Plan, p: Prepared, sums: DataFrame) -> None:
    """Raise what the model path raises for the rows (rejected, currency, cost).

    Rejected rows, a row in another currency, and under ``MARGIN`` a sale or return without
    cost. Of a row in another currency and a row without cost, the one with the least
    ``(partner_id, id)`` is named (the model path names the first in input order; a cluster
    has none).
    """
    other = sf.when(sf.col("other").isNotNull(), sf.struct("partner_id", "other"))
    checks = [sf.sum("bad").alias("bad"), sf.sum("rows").alias("rows"), sf.min(other).alias("o")]
    margin = uses(plan, RebateBasis.MARGIN)
    if margin:
        checks.append(sf.min("bare").alias("bare"))
    check = sums.agg(*checks).collect()[0]
    count_bad(p, int(check["bad"] or 0), int(check["rows"] or 0))
    wrong = check["o"]
    bare = check["bare"] if margin else None
    named = None if wrong is None else (wrong["partner_id"], wrong["other"]["id"])
    if bare is not None and (named is None or (bare["partner_id"], bare["id"]) < named):
        raise missing_cost(policy, plan, bare["kind"], bare["id"], bare["partner_id"])
    if wrong is not None:
        first = wrong["other"]
        raise CurrencyMismatchError(policy.currency, first["c"], f"transaction {first['id']}")


def _with_paid(sums: DataFrame, paid: DataFrame, policy: RebatePolicy) -> DataFrame:
    """The partners to settle under ``PAID_SALES``, with each one's paid sales (``paid``).

    Those with a row that counts and those with a payment that counts; ``paid`` is the result
    of :func:`~channelkit.spark._figures.paid_sales`.

    Raises
    ------
    CurrencyMismatchError
        A row the matching reads is in another currency (the least ``(partner_id, id)``).
    """
    bad = (
        paid.where(sf.col("context").isNotNull())
        .agg(sf.min(sf.struct("partner_id", "context", "got")).alias("b"))
        .collect()[0]["b"]
    )
    if bad is not None:
        raise CurrencyMismatchError(policy.currency, bad["got"], bad["context"])
    joined = sums.join(paid.select("partner_id", "paid"), "partner_id", "left")
    return joined.where((sf.col("counted") > 0) | sf.col("paid").isNotNull())
