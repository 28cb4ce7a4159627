"""The figures of a settlement beyond the four sums, in Spark: scope, cost, tallies, paid sales.

What ``rebates._columnar`` computes in columns for a frame, as Spark expressions and jobs, so a
policy reads on a cluster exactly what it reads from a table (see ``rebates._figures`` for the
list of figures):

- the policy's scope, categories included (:func:`in_scope`);
- the net cost of goods of a ``MARGIN`` basis or tier basis, and the first sale or return that
  counts without a cost (:func:`cost_columns`);
- the per-transaction tallies of a ``per=TRANSACTION`` policy: each row's top bracket found by
  a ``CASE`` over the plan's starts, then four sums per bracket (:func:`tally_columns`);
- the paid sales of a ``PAID_SALES`` figure (:func:`paid_sales`): the rows the matching reads
  (payments naming a sale, the returns of the sales named, those sales when in scope) grouped
  by partner and matched on the executors by ``rebates._paid.paid_sales``, the model path's own
  function; only each partner's figure comes back.

[`read_extra`][] turns a row of these aggregates into the figures ``_settle_one`` reads after
the four sums.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final

import pyarrow as pa
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as sf

from channelkit.errors import ArgumentError, CurrencyMismatchError
from channelkit.periods import Period
from channelkit.rebates import _per_transaction as per_transaction
from channelkit.rebates._figures import BASE, uses, width
from channelkit.rebates._paid import Record
from channelkit.rebates._paid import paid_sales as match
from channelkit.rebates.models import RebateBasis, RebatePolicy
from channelkit.rebates.plan import Plan
from channelkit.spark._rules import CODE, col, day
from channelkit.spark._sums import Prepared
from channelkit.transactions import TransactionKind

__all__ = ["cost_columns", "exact", "in_scope", "paid_sales", "read_extra", "tally_columns"]

_ZERO: Final = Decimal(0)
_SALE: Final = TransactionKind.SALE.value
_RETURN: Final = TransactionKind.RETURN.value
_PAYMENT: Final = TransactionKind.PAYMENT.value
_SLOTS: Final = ("n", "c", "b", "v")
_PAID_COLUMNS: Final = ("partner_id", "paid", "context", "got")
_PAID_SCHEMA: Final = ", ".join(f"{name} string" for name in _PAID_COLUMNS)


def _within(c: Column, values: frozenset[str]) -> Column:
    """``c`` is one of ``values`` (a null is not)."""
    return sf.coalesce(c.isin(sorted(values)), sf.lit(False))


def in_scope(policy: RebatePolicy, p: Prepared) -> Column:
    """The rows ``policy.scope.contains`` lets through, by the rules of ``Scope.contains``.

    SKU and category entries filter sales and returns only; a row without the field a scope
    names is out; a category entry covers the paths under it by whole segments.
    """
    scope = policy.scope
    out: Column = sf.lit(True)
    payment = p.text["kind"] == _PAYMENT
    if scope.skus is not None:
        out &= payment | _within(p.text["sku"], scope.skus)
    if scope.exclude_skus:
        out &= payment | ~_within(p.text["sku"], scope.exclude_skus)
    if scope.categories is not None:
        category = p.text["category"]
        covered = _within(category, scope.categories)
        for entry in sorted(scope.categories):
            covered |= sf.coalesce(category.startswith(entry + "/"), sf.lit(False))
        out &= payment | covered
    if scope.territories is not None:
        out &= _within(p.text["territory"], scope.territories)
    if scope.customers is not None:
        out &= _within(p.text["customer_id"], scope.customers)
    return out


def _signed(sale: Column, value: Column) -> Column:
    """``value`` for a sale, its negation otherwise (the caller keeps sales and returns)."""
    return sf.when(sale, value).otherwise(-value)


def cost_columns(p: Prepared, goods: Column, sale: Column) -> list[Column]:
    """The net cost of the ``goods`` rows, their count, and the first of them without a cost.

    ``bare`` is the least ``(partner_id, id, kind)`` of a sale or return that counts with no
    cost (the model path refuses the first in input order; a cluster has no input order).
    """
    cost = p.number["cost"]
    missing = goods & cost.isNull()
    first = sf.struct(
        p.text["partner_id"].alias("partner_id"),
        p.text["id"].alias("id"),
        p.text["kind"].alias("kind"),
    )
    return [
        sf.try_sum(sf.when(goods, _signed(sale, cost))).alias("cost"),
        sf.count(sf.when(goods & cost.isNotNull(), sf.lit(1))).alias("n_cost"),
        sf.min(sf.when(missing, first)).alias("bare"),
    ]


def _bracket(plan: Plan, figure: Column) -> Column:
    """The position of the highest bracket ``figure`` reaches, -1 when none (``Plan.index``)."""
    out: Column = sf.lit(-1)
    for j, start in enumerate(plan.starts):
        reached = figure >= sf.lit(start) if plan.reach else figure > sf.lit(start)
        out = sf.when(reached, sf.lit(j)).otherwise(out)
    return out


def tally_columns(plan: Plan, p: Prepared, goods: Column, sale: Column) -> list[Column]:
    """Four sums per bracket of the ``goods`` rows whose own figure tops out there.

    Per bracket ``j``: ``t{j}_n`` the signed count, ``t{j}_c`` the count, ``t{j}_b`` the signed
    sum of the basis figures, ``t{j}_v`` that of the tier figures (see ``_per_transaction``).
    Under ``GROSS_SALES`` a return takes nothing back and is not tallied.
    """
    if not per_transaction.takes_back(plan):
        goods = goods & sale
    tier = plan.basis if plan.tier_basis is None else plan.tier_basis
    own = p.number["amount" if plan.basis.is_money else "quantity"]
    by = p.number["amount" if tier.is_money else "quantity"]
    top = _bracket(plan, by)
    out: list[Column] = []
    for j in range(len(plan.starts)):
        here = goods & (top == j)
        out += [
            sf.sum(sf.when(here, _signed(sale, sf.lit(1)))).alias(f"t{j}_n"),
            sf.count(sf.when(here, sf.lit(1))).alias(f"t{j}_c"),
            sf.try_sum(sf.when(here, _signed(sale, own))).alias(f"t{j}_b"),
            sf.try_sum(sf.when(here, _signed(sale, by))).alias(f"t{j}_v"),
        ]
    return out


def _matcher(period: Period, currency: str) -> Callable[[pa.Table], pa.Table]:
    """The matching of one partner's rows, on an executor: its paid sales, or the wrong row."""
    schema = pa.schema([(name, pa.string()) for name in _PAID_COLUMNS])

    def matched(rows: pa.Table) -> pa.Table:
        kept: tuple[list[Record], list[Record], list[Record]] = ([], [], [])
        slot = {_SALE: 0, _RETURN: 1, _PAYMENT: 2}
        for r in rows.to_pylist():
            record = (0, r["id"], r["pid"], r["date"], Decimal(r["amount"]), r["cur"], r["ref"])
            kept[slot[r["kind"]]].append(record)
        try:
            found = match(*kept, period, currency)
        except CurrencyMismatchError as err:
            pid = rows.column("pid")[0].as_py()
            return pa.table([[pid], [None], [err.context], [err.got]], schema=schema)
        names = list(found)
        paid = [str(found[n]) for n in names]
        return pa.table([names, paid, [None] * len(names), [None] * len(names)], schema=schema)

    return matched


def paid_sales(policy: RebatePolicy, p: Prepared, period: Period) -> DataFrame:
    """Each partner's paid sales in ``period`` (``partner_id``, ``paid`` as exact text).

    A row per partner with a payment that counts in the period. A row with ``context`` set
    instead is the matching's ``CurrencyMismatchError`` for a row it reads in another currency
    (``context`` names the row, ``got`` is its currency).
    """
    pid, kind, refers = p.text["partner_id"], p.text["kind"], p.text["refers_to"]
    before = (col(CODE) == 0) & pid.isNotNull() & (p.date < day(period.end))
    rows = p.coded.where(before).select(
        p.text["id"].alias("id"),
        pid.alias("pid"),
        p.date.alias("date"),
        kind.alias("kind"),
        p.number["amount"].cast("string").alias("amount"),
        p.currency.alias("cur"),
        refers.alias("ref"),
        in_scope(policy, p).alias("scoped"),
    )
    pays = rows.where((sf.col("kind") == _PAYMENT) & sf.col("ref").isNotNull())
    wanted = pays.select(sf.col("pid").alias("w_pid"), sf.col("ref").alias("w_id")).distinct()
    returns = rows.where((sf.col("kind") == _RETURN) & sf.col("ref").isNotNull()).join(
        wanted, (sf.col("pid") == sf.col("w_pid")) & (sf.col("ref") == sf.col("w_id")), "left_semi"
    )
    sales = rows.where((sf.col("kind") == _SALE) & sf.col("scoped")).join(
        wanted, (sf.col("pid") == sf.col("w_pid")) & (sf.col("id") == sf.col("w_id")), "left_semi"
    )
    read = pays.unionByName(returns).unionByName(sales).drop("scoped")
    return read.groupBy("pid").applyInArrow(_matcher(period, policy.currency), _PAID_SCHEMA)


def read_extra(plan: Plan, r: dict[str, Any], pid: str) -> list[Decimal]:
    """The figures after the four sums that ``plan`` reads, from a row of the aggregates.

    ``[cost, paid, tallies...]`` (see ``rebates._figures``); empty when the plan reads only
    the four sums.

    Raises
    ------
    ArgumentError
        A sum past the 38 digits of Spark's decimals.
    """
    size = width(plan)
    if size <= BASE:
        return []
    out = [_ZERO, _ZERO]
    if uses(plan, RebateBasis.MARGIN) and r["n_cost"]:
        out[0] = exact(r["cost"], "cost", pid)
    if uses(plan, RebateBasis.PAID_SALES) and r["paid"] is not None:
        out[1] = Decimal(r["paid"])
    if plan.per_transaction:
        for j in range(len(plan.starts)):
            count = r[f"t{j}_c"]
            for slot in _SLOTS:
                name = f"t{j}_{slot}"
                out.append(exact(r[name], name, pid) if count else _ZERO)
    return out


def exact(value: Any, name: str, pid: str) -> Decimal:
    """A sum read from Spark as ``Decimal`` (an integer column's sum comes as an int).

    Raises
    ------
    ArgumentError
        ``value`` is null: ``try_sum`` passed the 38 digits of Spark's decimals.
    """
    if value is None:
        msg = f"the {name} of partner {pid} overflow 38 digits in Spark"
        raise ArgumentError(msg, argument="df", value=pid)
    return Decimal(value)
