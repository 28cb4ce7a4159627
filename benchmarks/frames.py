"""Benchmark: validating a table of transactions with ``channelkit.frames`` (issue #11).

1,000,000 rows in a pyarrow table (text ids, ``date32`` dates, ``decimal128(38, 2)`` amounts,
integer quantities, a currency column; one row in a thousand breaks a rule) go through

1. ``frames.transactions(table, errors="split")``: every ``Transaction`` rule, unique ids, the
   reasons of the rejected rows;
2. a plain hand-written baseline: the same checks as ``pyarrow.compute`` masks, then a filter,
   with no reasons and nothing else;
3. building ``Transaction`` models from the rows (``table.to_pylist()`` then the model), once.

Both columnar paths must keep the same rows, and the models path must accept the same count.
Run: ``python benchmarks/frames.py`` (``--quick`` for a tenth). Each columnar figure is the best
of three interleaved repeats.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from collections.abc import Callable
from decimal import Decimal

import pyarrow as pa
import pyarrow.compute as pc
from pydantic import ValidationError

from channelkit import Money, Transaction
from channelkit.currencies import CURRENCIES
from channelkit.frames import transactions
from channelkit.transactions import WHITE_SPACE


def make_table(n: int, seed: int = 11) -> pa.Table:
    rng = random.Random(seed)
    ids = [f"T{i:08d}" for i in range(n)]
    amounts = [Decimal(rng.randrange(1, 10_000_000)).scaleb(-2) for _ in range(n)]
    quantities = [rng.randrange(0, 50) for _ in range(n)]
    for i in range(0, n, 1000):  # one row in a thousand is bad, in turn each way
        match (i // 1000) % 3:
            case 0:
                amounts[i] = -amounts[i]
            case 1:
                ids[i] = ids[i - 1]
            case _:
                quantities[i] = -1
    start = dt.date(2026, 1, 1)
    return pa.table(
        {
            "id": pa.array(ids, pa.string()),
            "partner_id": pa.array([f"P{rng.randrange(2000):04d}" for _ in range(n)]),
            "date": pa.array([start + dt.timedelta(days=rng.randrange(365)) for _ in range(n)]),
            "kind": pa.array([rng.choice(("sale", "sale", "return", "payment")) for _ in range(n)]),
            "amount": pa.array(amounts, pa.decimal128(38, 2)),
            "quantity": pa.array(quantities, pa.int64()),
            "currency": pa.array(["CNY"] * n),
        }
    )


def baseline(table: pa.Table) -> pa.Table:
    """The same row checks written directly in pyarrow.compute (no reasons, no conversions)."""
    non_space = f"[^{WHITE_SPACE}]"
    ids = table["id"]
    codes = pc.index_in(ids, value_set=pc.unique(ids))
    seen = pc.cumulative_max(codes)
    before = pa.chunked_array([pa.array([-1], pa.int32()), *seen.slice(0, len(ids) - 1).chunks])
    first = pc.greater(codes, before)
    amount, quantity = table["amount"], table["quantity"]
    limit = pa.scalar(Decimal(10) ** 15, pa.decimal128(38, 2))
    masks = [
        pc.is_valid(ids),
        pc.match_substring_regex(ids, non_space),
        first,
        pc.or_kleene(
            pc.is_null(table["partner_id"]),
            pc.match_substring_regex(table["partner_id"], non_space),
        ),
        pc.is_valid(table["date"]),
        pc.is_in(table["kind"], value_set=pa.array(["sale", "return", "payment"])),
        pc.greater(amount, pa.scalar(Decimal(0), amount.type)),
        pc.less(amount, limit),
        pc.greater_equal(quantity, 0),
        pc.is_in(table["currency"], value_set=pa.array(sorted(CURRENCIES))),
    ]
    ok = masks[0]
    for mask in masks[1:]:
        ok = pc.and_(ok, pc.fill_null(mask, False))
    return table.filter(ok)


def models(table: pa.Table) -> int:
    kept, seen = 0, set()
    for row in table.to_pylist():
        cur = row.pop("currency")
        row["amount"] = Money(row["amount"], cur)
        try:
            t = Transaction(**row)
        except ValidationError:
            continue
        if t.id not in seen:
            seen.add(t.id)
            kept += 1
    return kept


def best_pair(
    ours: Callable[[], object], base: Callable[[], object], repeats: int = 3
) -> tuple[float, float]:
    t_ours, t_base = [], []
    for _ in range(repeats):
        for fn, times in ((ours, t_ours), (base, t_base)):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return min(t_ours), min(t_base)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the size")
    args = parser.parse_args()
    n = 100_000 if args.quick else 1_000_000
    table = make_table(n)
    frame, rejected = transactions(table, errors="split")
    plain = baseline(table)
    assert frame.column("id").equals(plain["id"]), "the two columnar paths keep different rows"
    assert len(frame) + rejected.num_rows == n
    t_frames, t_plain = best_pair(
        lambda: transactions(table, errors="split"), lambda: baseline(table)
    )
    start = time.perf_counter()
    kept = models(table)
    t_models = time.perf_counter() - start
    assert kept == len(frame), (kept, len(frame))
    print(f"Validating {n:,} transactions ({rejected.num_rows:,} rejected)")
    print(f"  frames.transactions       {t_frames:8.3f} s  ({t_frames / n * 1e9:6.0f} ns a row)")
    print(f"  plain pyarrow.compute     {t_plain:8.3f} s  ({t_plain / n * 1e9:6.0f} ns a row)")
    print(f"  Transaction models        {t_models:8.3f} s  ({t_models / n * 1e9:6.0f} ns a row)")
    print(f"  frames / plain pyarrow    {t_frames / t_plain:8.2f}x")
    print(f"  models / frames           {t_models / t_frames:8.2f}x")


if __name__ == "__main__":
    main()
