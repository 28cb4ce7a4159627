"""Benchmark: calculators that take a table (issue #11), against models and a plain baseline.

1,000,000 transactions of 10,000 partners in a pyarrow table (text ids, ``date32`` dates,
``decimal128(38, 2)`` amounts, integer quantities, territories, customers, a currency column)
go through

1. ``settle_all(policy, table, year)`` and ``review(table, quarter, prior=...)``: the table is
   validated by ``frames.transactions`` (every row rule, unique ids), summed in columns, and
   only the results are built as models; the time of the validation alone is shown too;
2. a plain hand-written pyarrow baseline computing the same exact amounts: per-partner sums
   with ``group_by``, the 5-bracket graduated rebate as decimal column arithmetic rounded
   half-up (no row checks, no result models); for the review, the headline figures per partner
   and per territory (sums, counts, distinct customers) and the totals; with duckdb installed,
   the same settlement as one SQL query, raw and with the same row checks first; with polars
   installed, the review's headline figures in polars;
3. the model path: ``Transaction`` models built (validated) from the rows, then the same calls.

Every path must give the same amounts. Run: ``python benchmarks/tables.py`` (``--quick`` for a
tenth). Each columnar figure is the best of ``--repeat`` runs; the model path runs once.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from channelkit import Bracket, Money, Period, RebatePolicy, Transaction, review, settle_all
from channelkit.frames import transactions

SEED = 11
STARTS = [0, 100_000, 250_000, 500_000, 1_000_000]
RATES = ["0.01", "0.02", "0.03", "0.04", "0.05"]
YEAR = Period.year(2026)
QUARTER, PRIOR = Period.quarter(2026, 3), Period.quarter(2026, 2)
POLICY = RebatePolicy(
    id="BENCH",
    name="5-bracket ladder",
    currency="CNY",
    brackets=tuple(
        Bracket(start=Decimal(s), rate=Decimal(r)) for s, r in zip(STARTS, RATES, strict=True)
    ),
)


def make_table(n: int, partners: int) -> pa.Table:
    rng = np.random.default_rng(SEED)
    cents = rng.integers(1, 1_000_000, n)
    partner = rng.integers(0, partners, n)
    customer = rng.integers(0, 200_000, n)
    territories = np.array([f"T{i:02d}" for i in range(30)], dtype=object)
    kinds = np.array(["sale", "return", "payment"], dtype=object)
    start = np.datetime64("2026-01-01")
    return pa.table(
        {
            "id": pa.array([f"T{i:08d}" for i in range(n)]),
            "partner_id": pa.array(
                [f"P{p:05d}" for p in partner], mask=rng.random(n) < 0.05, type=pa.string()
            ),
            "date": pa.array(start + rng.integers(0, 365, n).astype("timedelta64[D]")).cast(
                pa.date32()
            ),
            "kind": pa.array(kinds[rng.choice(3, n, p=[0.6, 0.2, 0.2])], pa.string()),
            "amount": pc.cast(
                pa.array([f"{c // 100}.{c % 100:02d}" for c in cents]), pa.decimal128(38, 2)
            ),
            "quantity": pa.array(rng.integers(1, 50, n)),
            "territory": pa.array(
                territories[rng.integers(0, 30, n)], mask=rng.random(n) < 0.1, type=pa.string()
            ),
            "customer_id": pa.array(
                [f"C{c}" for c in customer], mask=rng.random(n) < 0.2, type=pa.string()
            ),
            "currency": pa.array(["CNY"] * n),
        }
    )


# -- the plain baseline ---------------------------------------------------------------------------


def _decimal(value: str, precision: int, scale: int) -> pa.Scalar:
    return pa.scalar(Decimal(value), pa.decimal128(precision, scale))


def _in(table: pa.Table, period: Period) -> pa.ChunkedArray:
    day = table["date"]
    low, high = pa.scalar(period.start, pa.date32()), pa.scalar(period.end, pa.date32())
    return pc.and_(pc.greater_equal(day, low), pc.less(day, high))


def arrow_settle(table: pa.Table) -> dict[str, Decimal]:
    """Per-partner rebates of the year: group_by sums, then the ladder in decimal columns."""
    rows = table.filter(pc.and_(_in(table, YEAR), pc.is_valid(table["partner_id"])))
    sums = rows.group_by(["partner_id", "kind"]).aggregate([("amount", "sum")])
    sales = sums.filter(pc.equal(sums["kind"], "sale")).select(["partner_id", "amount_sum"])
    back = sums.filter(pc.equal(sums["kind"], "return")).select(["partner_id", "amount_sum"])
    back = back.rename_columns(["partner_id", "returns"])
    every = pa.table({"partner_id": pc.unique(rows["partner_id"])})
    joined = every.join(sales, "partner_id").join(back, "partner_id")

    def at(value: object, like: Any) -> pa.Scalar:
        return pa.scalar(Decimal(str(value)), like.type)

    narrow = pa.decimal128(20, 2)
    gross = pc.cast(pc.fill_null(joined["amount_sum"], Decimal(0)), narrow)
    returns = pc.cast(pc.fill_null(joined["returns"], Decimal(0)), narrow)
    net = pc.subtract(gross, returns)
    basis = pc.max_element_wise(net, at(0, net))
    total: Any = None
    for i, (start, rate) in enumerate(zip(STARTS, RATES, strict=True)):
        part = pc.subtract(basis, at(start, basis))
        part = pc.max_element_wise(part, at(0, part))
        if i + 1 < len(STARTS):
            part = pc.min_element_wise(part, at(STARTS[i + 1] - start, part))
        slice_ = pc.multiply(part, _decimal(rate, 5, 4))
        total = slice_ if total is None else pc.add(total, slice_)
    amounts = pc.round(total, ndigits=2, round_mode="half_up")
    return dict(zip(joined["partner_id"].to_pylist(), amounts.to_pylist(), strict=True))


def _ladder_sql() -> str:
    return " + ".join(
        f"least(greatest(basis - {s}, 0), {STARTS[i + 1] - s}) * {r}"
        if i + 1 < len(STARTS)
        else f"greatest(basis - {s}, 0) * {r}"
        for i, (s, r) in enumerate(zip(STARTS, RATES, strict=True))
    )


_SETTLE_SQL = """
    with sums as (
        select partner_id,
               greatest(coalesce(sum(amount) filter (where kind = 'sale'), 0)
                      - coalesce(sum(amount) filter (where kind = 'return'), 0), 0) as basis
        from source
        where partner_id is not null and date >= DATE '{start}' and date < DATE '{end}'
        group by partner_id)
    select partner_id, round({ladder}, 2) as amount from sums
"""

# The rules frames.transactions checks on this table's columns (Transaction's own rules: ids
# present and not blank, unique; a date; a known kind; an amount present, positive and below
# 10**15; a known currency; quantities not negative), and settle_all's currency check, as one
# scan of aggregates; the query then settles as the raw one does.
_CHECKS_SQL = """
    select
        count(*) filter (where
            id is null or not regexp_matches(id, '\\S')
            or (partner_id is not null and not regexp_matches(partner_id, '\\S'))
            or (territory is not null and not regexp_matches(territory, '\\S'))
            or (customer_id is not null and not regexp_matches(customer_id, '\\S'))
            or date is null
            or kind is null or kind not in ('sale', 'return', 'payment')
            or amount is null or amount <= 0 or amount >= 1e15
            or currency is null or currency not in (select unnest($codes))
            or quantity < 0) as bad,
        count(id) - count(distinct id) as repeated,
        count(*) filter (where partner_id is not null and currency <> 'CNY'
                         and date >= DATE '{start}' and date < DATE '{end}') as other_currency
    from source
"""


def duckdb_settle(table: pa.Table, *, checked: bool = False) -> dict[str, Decimal]:
    """The same settlement as one SQL query over the Arrow table (``checked``: with the rules)."""
    import duckdb

    from channelkit.currencies import CURRENCIES

    source = table  # noqa: F841  (read by name by duckdb)
    con = duckdb.connect()
    dates = {"start": YEAR.start, "end": YEAR.end}
    if checked:
        bad, repeated, other = con.execute(
            _CHECKS_SQL.format(**dates), {"codes": sorted(CURRENCIES)}
        ).fetchone() or (0, 0, 0)
        if bad or repeated or other:
            msg = f"{bad} rows rejected, {repeated} repeated ids, {other} in another currency"
            raise ValueError(msg)
    query = _SETTLE_SQL.format(ladder=_ladder_sql(), **dates)
    return dict(con.execute(query).fetchall())


def polars_review(table: pa.Table) -> dict[str, Any]:
    """The review's headline figures in polars: per partner, per territory, and the totals."""
    import polars as pl

    df = pl.from_arrow(table)
    assert isinstance(df, pl.DataFrame)
    day = pl.col("date")
    now = df.filter((day >= QUARTER.start) & (day < QUARTER.end))
    kind, amount, qty = pl.col("kind"), pl.col("amount"), pl.col("quantity")
    sale, back = kind == "sale", kind == "return"
    figures = [
        (pl.when(sale).then(amount).when(back).then(-amount).otherwise(0)).sum().alias("net"),
        pl.when(sale).then(amount).otherwise(0).sum().alias("gross"),
        pl.when(kind == "payment").then(amount).otherwise(0).sum().alias("collected"),
        pl.when(sale).then(qty).when(back).then(-qty).otherwise(0).sum().alias("units"),
        sale.sum().alias("orders"),
        pl.when(sale).then(pl.col("customer_id")).drop_nulls().n_unique().alias("customers"),
    ]
    partners = now.group_by("partner_id").agg(figures)
    territories = (
        now.filter(kind != "payment")
        .with_columns(pl.col("territory").fill_null(""))
        .group_by("territory")
        .agg(figures)
    )
    totals = now.select(figures)
    prior = df.filter((day >= PRIOR.start) & (day < PRIOR.end)).select(figures[0])
    return {
        "net": totals["net"][0],
        "customers": totals["customers"][0],
        "prior_net": prior["net"][0],
        "partners": dict(zip(partners["partner_id"], partners["net"], strict=True)),
        "territories": dict(zip(territories["territory"], territories["net"], strict=True)),
    }


def arrow_review(table: pa.Table) -> dict[str, Any]:
    """The review's headline figures: per partner, per territory, and the totals."""
    rows = table.filter(_in(table, QUARTER))
    sale = pc.equal(rows["kind"], "sale")
    signed = pc.if_else(pc.equal(rows["kind"], "return"), pc.negate(rows["amount"]), rows["amount"])
    goods = pc.not_equal(rows["kind"], "payment")
    work = pa.table(
        {
            "partner_id": rows["partner_id"],
            "territory": pc.fill_null(rows["territory"], ""),
            "net": pc.if_else(goods, signed, _decimal("0", 38, 2)),
            "gross": pc.if_else(sale, rows["amount"], _decimal("0", 38, 2)),
            "collected": pc.if_else(goods, _decimal("0", 38, 2), rows["amount"]),
            "units": pc.if_else(
                sale, rows["quantity"], pc.if_else(goods, pc.negate(rows["quantity"]), 0)
            ),
            "order": pc.cast(sale, pa.int64()),
            "customer": pc.if_else(sale, rows["customer_id"], pa.scalar(None, pa.string())),
            "goods": goods,
        }
    )
    aggregations = [
        ("net", "sum"),
        ("gross", "sum"),
        ("collected", "sum"),
        ("units", "sum"),
        ("order", "sum"),
        ("customer", "count_distinct"),
    ]
    partners = work.group_by("partner_id").aggregate(aggregations)
    territories = work.filter(work["goods"]).group_by("territory").aggregate(aggregations)
    prior = table.filter(_in(table, PRIOR))
    prior_net = pc.sum(
        pc.if_else(
            pc.equal(prior["kind"], "sale"),
            prior["amount"],
            pc.if_else(pc.equal(prior["kind"], "return"), pc.negate(prior["amount"]), 0),
        )
    ).as_py()
    return {
        "net": pc.sum(work["net"]).as_py(),
        "customers": pc.count_distinct(work["customer"]).as_py(),
        "prior_net": prior_net,
        "partners": dict(
            zip(partners["partner_id"].to_pylist(), partners["net_sum"].to_pylist(), strict=True)
        ),
        "territories": dict(
            zip(
                territories["territory"].to_pylist(),
                territories["net_sum"].to_pylist(),
                strict=True,
            )
        ),
    }


# -- the model path -------------------------------------------------------------------------------


def models(table: pa.Table) -> list[Transaction]:
    """``Transaction`` models built and validated from the rows, as a caller would."""
    out = []
    for row in table.to_pylist():
        cur = row.pop("currency")
        row["amount"] = Money(row["amount"], cur)
        out.append(Transaction(**row))
    return out


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the size")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each columnar figure")
    args = parser.parse_args()
    n, partners = (100_000, 1_000) if args.quick else (1_000_000, 10_000)
    table = make_table(n, partners)
    r = args.repeat
    print(f"{n:,} transactions, {partners:,} partners, {table.nbytes / 2**20:.0f} MiB of Arrow")

    t_check, frame = best(lambda: transactions(table), r)
    t_settle, settled = best(lambda: settle_all(POLICY, table, YEAR), r)
    t_review, reviewed = best(lambda: review(table, QUARTER, prior=PRIOR), r)
    t_settle_f, _ = best(lambda: settle_all(POLICY, frame, YEAR), r)
    t_review_f, _ = best(lambda: review(frame, QUARTER, prior=PRIOR), r)
    t_arrow_settle, plain = best(lambda: arrow_settle(table), r)
    t_arrow_review, headline = best(lambda: arrow_review(table), r)

    assert {p: s.result.amount.amount for p, s in settled.items()} == plain
    assert reviewed.total.net_sales.amount == headline["net"]
    assert reviewed.total.customers == headline["customers"]
    assert reviewed.prior_net_sales is not None
    assert reviewed.prior_net_sales.amount == headline["prior_net"]
    rows = {row.partner_id: row.figures.net_sales.amount for row in reviewed.partners}
    assert rows == {p: v for p, v in headline["partners"].items() if p is not None}
    assert {g.key: g.figures.net_sales.amount for g in reviewed.territories} == (
        headline["territories"]
    )

    t_duck = t_duck_checked = t_polars = None
    try:
        import duckdb  # noqa: F401
    except ImportError:
        pass
    else:
        t_duck, by_sql = best(lambda: duckdb_settle(table), r)
        t_duck_checked, by_checked_sql = best(lambda: duckdb_settle(table, checked=True), r)
        assert by_sql == plain == by_checked_sql
    try:
        import polars  # noqa: F401
    except ImportError:
        pass
    else:
        t_polars, by_polars = best(lambda: polars_review(table), r)
        assert by_polars["net"] == headline["net"]
        assert by_polars["customers"] == headline["customers"]
        assert by_polars["prior_net"] == headline["prior_net"]
        assert by_polars["partners"] == headline["partners"]
        assert by_polars["territories"] == headline["territories"]

    start = time.perf_counter()
    rows_as_models = models(table)
    t_models = time.perf_counter() - start
    start = time.perf_counter()
    by_models = settle_all(POLICY, rows_as_models, YEAR)
    t_settle_m = time.perf_counter() - start
    start = time.perf_counter()
    review_m = review(rows_as_models, QUARTER, prior=PRIOR)
    t_review_m = time.perf_counter() - start
    assert by_models == settled
    assert review_m == reviewed

    def line(name: str, seconds: float) -> None:
        print(f"  {name:<46} {seconds:8.3f} s  ({seconds / n * 1e9:6.0f} ns a row)")

    print("settle_all (the year, every partner):")
    line("table -> settle_all (validation included)", t_settle)
    line("  of which frames.transactions", t_check)
    line("  settle_all(frame)", t_settle_f)
    line("plain pyarrow (no checks, no models)", t_arrow_settle)
    if t_duck is not None and t_duck_checked is not None:
        line("duckdb SQL with the same checks", t_duck_checked)
        line("duckdb SQL (no checks, no models)", t_duck)
    line("models: build 1 Transaction a row", t_models)
    line("models: settle_all(models)", t_settle_m)
    print("review (a quarter and its prior):")
    line("table -> review (validation included)", t_review)
    line("  review(frame)", t_review_f)
    line("plain pyarrow headline figures", t_arrow_review)
    if t_polars is not None:
        line("polars headline figures", t_polars)
    line("models: review(models)", t_review_m)

    def ratio(name: str, value: float, target: str = "") -> None:
        print(f"  {name:<44} {value:8.2f}x  {target}")

    print("ratios:")
    if t_duck is not None and t_duck_checked is not None:
        ratio("settle_all: table / duckdb with checks", t_settle / t_duck_checked, "(target <= 2)")
        ratio("settle_all: table / duckdb raw", t_settle / t_duck)
    ratio("settle_all: table / plain pyarrow", t_settle / t_arrow_settle)
    ratio(
        "settle_all: models end to end / table",
        (t_models + t_settle_m) / t_settle,
        "(target >= 30)",
    )
    ratio("settle_all: models (calculator) / frame", t_settle_m / t_settle_f)
    if t_polars is not None:
        ratio("review: table / polars", t_review / t_polars, "(target <= 3)")
    ratio("review: table / plain pyarrow", t_review / t_arrow_review)
    ratio("review: models end to end / table", (t_models + t_review_m) / t_review)
    ratio("review: models (calculator) / frame", t_review_m / t_review_f)


if __name__ == "__main__":
    main()
