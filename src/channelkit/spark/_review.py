"""``review`` on a cluster: every sum and distinct count in Spark, the review built on the driver.

The aggregations are those of :func:`channelkit.review` 's one pass: figures per partner and per
territory in the period, net sales per partner and per territory in the prior period, distinct
customers of the sales per partner, per territory, per partner kind, in all and indirect. Only
these aggregates are collected; the review is then built by the model path's own function
(``channelkit.review.build.assemble``), with Spark's counts in the sums, so the two cannot
disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Final

from pyspark import StorageLevel
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as sf

from channelkit.errors import ArgumentError, CurrencyMismatchError
from channelkit.money import Money
from channelkit.numeric import DecimalLike, to_decimal
from channelkit.partners import Partner
from channelkit.periods import Period
from channelkit.review.build import Acc, Customers, Sums, assemble
from channelkit.review.engine import (
    _partners_by_id,
    _partners_currency,
    _read_periods,
    _read_targets,
    _read_top,
    _target_keys,
    _to_cover,
)
from channelkit.review.models import ChannelReview
from channelkit.spark._rules import CODE, day
from channelkit.spark._sums import count_bad, prepare
from channelkit.transactions import TransactionKind

__all__ = ["review"]

_ZERO: Final = Decimal(0)
_SALE: Final = TransactionKind.SALE.value
_RETURN: Final = TransactionKind.RETURN.value
_PAYMENT: Final = TransactionKind.PAYMENT.value


def _total(value: Decimal | None, count: int, what: str) -> Decimal:
    if not count:
        return _ZERO
    if value is None:
        msg = f"the {what} overflow 38 digits in Spark"
        raise ArgumentError(msg, argument="df", value=what)
    return Decimal(value)  # an integer column's sum comes as an int


def _sum(when: Column, value: Column, name: str) -> list[Column]:
    return [
        sf.try_sum(sf.when(when, value)).alias(name),
        sf.count(sf.when(when, sf.lit(1))).alias("n_" + name),
    ]


def _figures(r: Any, what: str) -> Acc:
    acc = Acc()
    acc.gross = _total(r["gross"], r["n_gross"], f"sales of {what}")
    acc.returns = _total(r["returns"], r["n_returns"], f"returns of {what}")
    acc.collections = _total(r["collections"], r["n_collections"], f"collections of {what}")
    acc.units = _total(r["units"], r["n_units"], f"units of {what}")
    acc.orders = int(r["n_gross"])
    return acc


def review(
    df: DataFrame,
    period: Period,
    *,
    partners: Iterable[Partner] = (),
    prior: Period | None = None,
    targets: Mapping[str, DecimalLike | Money] | None = None,
    territories: Iterable[str] | None = None,
    top: int = 5,
    laggard_below: DecimalLike = Decimal("0.8"),
) -> ChannelReview:
    """Review a period of the channel from a Spark DataFrame of transactions.

    Parameters
    ----------
    df
        Transactions with the columns of ``frames.transactions`` (canonical names and a
        ``currency`` column, as [`validate`][channelkit.spark.validate] returns them). Every row
        is checked: a rejected row raises ``FrameError``.
    period, partners, prior, targets, territories, top, laggard_below
        As for :func:`channelkit.review`.

    Returns
    -------
    ChannelReview
        Equal (``==``) to ``channelkit.review`` of the same rows.

    Raises
    ------
    FrameError
        A column cannot be read, or a row breaks a rule.
    CurrencyMismatchError, ValueError, TypeError
        As :func:`channelkit.review` raises them (argument errors are ``ArgumentError`` and
        ``ArgumentTypeError``, which are ``ValueError`` and ``TypeError``).

    Notes
    -----
    Every sum and distinct count is a Spark aggregation; only aggregates are collected (one row
    per partner, per territory and per partner kind).

    Examples
    --------
    >>> import datetime as dt
    >>> from decimal import Decimal
    >>> from channelkit.spark._local import local_session
    >>> spark = local_session()
    >>> df = spark.createDataFrame(
    ...     [("T1", "D1", dt.date(2026, 7, 3), "sale", Decimal("800.00"), "C1", "CNY"),
    ...      ("T2", None, dt.date(2026, 7, 4), "sale", Decimal("200.00"), "C1", "CNY")],
    ...     "id string, partner_id string, date date, kind string, amount decimal(38,2), "
    ...     "customer_id string, currency string")
    >>> r = review(df, Period.quarter(2026, 3))
    >>> r.total.net_sales, r.indirect_share, r.total.customers
    (Money('1000.00', 'CNY'), Decimal('0.8'), 1)
    """
    _read_periods(period, prior)
    top = _read_top(top)
    below = to_decimal(laggard_below, "laggard_below")
    known = _partners_by_id(partners)
    goals = _target_keys(targets)
    to_cover = _to_cover(territories, known)

    p = prepare(df)
    now = (p.date >= day(period.start)) & (p.date < day(period.end))
    if prior is not None:
        then = (p.date >= day(prior.start)) & (p.date < day(prior.end))
    else:
        then = sf.lit(False)
    base = p.coded.select(
        p.text["id"].alias("id"),
        p.text["partner_id"].alias("pid"),
        p.text["kind"].alias("kind"),
        sf.coalesce(p.text["territory"], sf.lit("")).alias("key"),
        p.text["customer_id"].alias("customer"),
        p.currency.alias("cur"),
        p.number["amount"].alias("amount"),
        p.number["quantity"].alias("qty"),
        (sf.col(CODE) != 0).alias("bad"),
        sf.coalesce(now, sf.lit(False)).alias("now"),
        sf.coalesce(then, sf.lit(False)).alias("then"),
    ).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        return _review(p, base, period, prior, known, goals, to_cover, top, below)
    finally:
        base.unpersist()


def _review(
    p: Any,
    base: DataFrame,
    period: Period,
    prior: Period | None,
    known: dict[str, Partner],
    goals: dict[str, object],
    to_cover: frozenset[str],
    top: int,
    below: Decimal,
) -> ChannelReview:
    c = sf.col
    sale, back, pay = c("kind") == _SALE, c("kind") == _RETURN, c("kind") == _PAYMENT
    now, then = c("now") & ~c("bad"), c("then") & ~c("bad")
    sold = now & sale
    customers = sf.count_distinct(sf.when(sold, c("customer")))
    head = base.agg(
        sf.count(sf.lit(1)).alias("rows"),
        sf.count(sf.when(c("bad"), sf.lit(1))).alias("bad"),
        customers.alias("all"),
        sf.count_distinct(sf.when(sold & c("pid").isNotNull(), c("customer"))).alias("indirect"),
    ).collect()[0]
    count_bad(p, int(head["bad"]), int(head["rows"]))
    currencies = (
        base.where(now | then).groupBy("cur").agg(sf.min("id").alias("id")).orderBy("cur").collect()
    )
    if len(currencies) > 1:
        first, other = currencies[0], currencies[1]
        raise CurrencyMismatchError(first["cur"], other["cur"], f"transaction {other['id']}")
    net = sf.when(then & sale, c("amount")).when(then & back, -c("amount"))
    figures = [
        *_sum(sold, c("amount"), "gross"),
        *_sum(now & back, c("amount"), "returns"),
        *_sum(now & pay, c("amount"), "collections"),
        *_sum(now & (sale | back), sf.when(sale, c("qty")).otherwise(-c("qty")), "units"),
        customers.alias("customers"),
        sf.try_sum(net).alias("prior"),
        sf.count(net).alias("n_prior"),
    ]
    by_pid = (
        base.groupBy("pid")
        .agg(sf.count(sf.when(now, sf.lit(1))).alias("n_now"), *figures)
        .collect()
    )
    by_key = (
        base.where(~pay)
        .groupBy("key")
        .agg(
            sf.count(sf.when(now, sf.lit(1))).alias("n_now"),
            sf.max(sold & c("pid").isNotNull()).alias("partner_sold"),
            *figures,
        )
        .collect()
    )
    kinds: dict[str, int] = {}
    if known:
        spark = base.sparkSession
        members = spark.createDataFrame(
            [(pid, q.kind.value) for pid, q in known.items()], "pid string, member string"
        )
        joined = base.where(sold).join(sf.broadcast(members), on="pid")
        for r in joined.groupBy("member").agg(sf.count_distinct("customer").alias("n")).collect():
            kinds[r["member"]] = int(r["n"])

    by_partner: dict[str | None, Acc] = {}
    prior_partner: dict[str | None, Decimal] = {}
    for r in by_pid:
        pid = r["pid"]
        if r["n_now"]:
            acc = by_partner[pid] = _figures(r, f"partner {pid}")
            acc.customers = int(r["customers"])
        if r["n_prior"]:
            prior_partner[pid] = _total(r["prior"], r["n_prior"], f"prior sales of {pid}")
    by_territory: dict[str, Acc] = {}
    prior_territory: dict[str, Decimal] = {}
    sold_in: set[str] = set()
    for r in by_key:
        key = r["key"]
        if r["n_now"]:
            acc = by_territory[key] = _figures(r, f"territory {key!r}")
            acc.customers = int(r["customers"])
            if r["partner_sold"]:
                sold_in.add(key)
        if r["n_prior"]:
            prior_territory[key] = _total(r["prior"], r["n_prior"], f"prior sales of {key!r}")
    cur = currencies[0]["cur"] if currencies else _partners_currency(known)
    counted = Customers(int(head["all"]), int(head["indirect"]), kinds)
    sums = Sums(cur, by_partner, by_territory, sold_in, prior_partner, prior_territory, counted)
    return assemble(
        cur, period, prior, known, _read_targets(goals, cur), to_cover, top, below, sums
    )
