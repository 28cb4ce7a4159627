"""Benchmark: ``profitability`` from a table (issue #13), against ``review`` of the same table.

1,000,000 transactions of 10,000 partners in a pyarrow table (the generator of
``benchmarks/tables.py``: text ids, ``date32`` dates over 2026, ``decimal128(38, 2)`` amounts,
5% direct sales, a currency column) with a ``cost`` column added (50-89% of the amount for sales
and returns, 1% of them without a cost, none for payments), and for every partner two channel
costs, a rebate, a fund and receivable days, plus a few channel-wide costs, go through

1. ``profitability(table, YEAR, costs=..., rebates=..., funds=..., financing_rate=...,
   receivable_days=...)``: the table is validated by ``frames.transactions`` inside the call,
   summed in columns, and only the rows are built as models;
2. ``review(table, YEAR)`` on the same table in the same run: the issue's target is
   profitability within 3x of review;
3. both again from a frame built beforehand (``frames.transactions(table)``, timed on its own),
   which shows the share of the row checks.

The two reports must agree on the total net sales. Run: ``python benchmarks/profitability.py``
(``--rows 100000`` for a quick run, with a hundredth as many partners). Each figure is the best
of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from channelkit import Money, Period, review
from channelkit.frames import transactions
from channelkit.incentives.costs import ChannelCost, CostCategory
from channelkit.incentives.profit import profitability
from tables import SEED, make_table  # benchmarks/tables.py: the same table

YEAR = Period.year(2026)
CATEGORIES = list(CostCategory)


def with_costs(table: pa.Table) -> pa.Table:
    """The table with a ``cost`` column: 50-89% of each sale's or return's amount, 1% missing."""
    rng = np.random.default_rng(SEED + 1)
    n = table.num_rows
    cents = [int(a.scaleb(2)) for a in table.column("amount").to_pylist()]
    share = rng.integers(50, 90, n).tolist()
    cost = [
        f"{c * s // 10_000}.{c * s // 100 % 100:02d}" for c, s in zip(cents, share, strict=True)
    ]
    payment = pc.equal(table.column("kind"), "payment").to_numpy(zero_copy_only=False)
    missing = np.asarray(payment) | (rng.random(n) < 0.01)
    column = pc.cast(pa.array(cost, mask=missing, type=pa.string()), pa.decimal128(38, 2))
    return table.append_column("cost", column)


def options(partners: int) -> dict[str, Any]:
    """Two costs, a rebate, a fund and receivable days for every partner, and channel costs."""
    rng = np.random.default_rng(SEED + 2)
    ids = [f"P{p:05d}" for p in range(partners)]
    days = [dt.date(2026, 1, 1) + dt.timedelta(days=int(d)) for d in rng.integers(0, 365, 64)]

    def cny(cents: int) -> Money:
        return Money(Decimal(int(cents)).scaleb(-2), "CNY")

    costs = [
        ChannelCost(
            partner_id=pid,
            category=CATEGORIES[int(rng.integers(0, len(CATEGORIES)))],
            amount=cny(int(rng.integers(-10_000, 5_000_000))),
            date=days[int(rng.integers(0, len(days)))],
        )
        for pid in ids
        for _ in range(2)
    ]
    costs += [
        ChannelCost(partner_id=None, category=cat, amount=cny(10**8), date=days[0])
        for cat in CATEGORIES
    ]
    return {
        "costs": costs,
        "rebates": {pid: cny(int(rng.integers(0, 2_000_000))) for pid in ids},
        "funds": {pid: cny(int(rng.integers(0, 1_000_000))) for pid in ids},
        "financing_rate": Decimal("0.045"),
        "receivable_days": {pid: int(rng.integers(0, 120)) for pid in ids},
    }


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="transactions (1,000,000)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each figure")
    args = parser.parse_args()
    n, r = args.rows, args.repeat
    partners = max(1, n // 100)
    table = with_costs(make_table(n, partners))
    given = options(partners)
    print(f"{n:,} transactions, {partners:,} partners, {table.nbytes / 2**20:.0f} MiB of Arrow")

    t_profit, report = best(lambda: profitability(table, YEAR, **given), r)
    t_review, reviewed = best(lambda: review(table, YEAR), r)
    t_check, frame = best(lambda: transactions(table), r)
    t_profit_f, _ = best(lambda: profitability(frame, YEAR, **given), r)
    t_review_f, _ = best(lambda: review(frame, YEAR), r)

    assert report.total.net_sales == reviewed.total.net_sales
    assert len(report.rows) == partners

    print(f"profitability(table)  {t_profit:8.3f} s  ({len(report.rows):,} rows)")
    print(f"review(table)         {t_review:8.3f} s")
    print(f"ratio                 {t_profit / t_review:8.2f} x  (target: within 3x)")
    print(f"frames.transactions   {t_check:8.3f} s  (the row checks alone)")
    print(f"profitability(frame)  {t_profit_f:8.3f} s")
    print(f"review(frame)         {t_review_f:8.3f} s")
    print(f"ratio from a frame    {t_profit_f / t_review_f:8.2f} x")


if __name__ == "__main__":
    main()
