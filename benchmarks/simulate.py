"""Benchmark of ``simulate`` over an Arrow table of partner bases (issue #12).

``simulate`` runs 2 policies (a 5-bracket GRADUATED ladder and its VOLUME twin, capped) at 3
growth factors over N partners whose bases come as a pyarrow table (``partner_id``, ``basis``
as ``decimal128(18, 2)``). Its time is printed as a ratio to:

1. ``rebate_amounts`` over the same bases, once per policy and growth factor (6 calls, each
   given the grown bases as a pyarrow decimal array built beforehand, not timed): target <= 3x.
   ``simulate`` does more (it reads the table, checks and grows the bases, sums each row and
   keeps the bases for ``diff``), but reads every basis once for all six.
2. A plain hand-written Decimal loop that reads the basis column into Python, grows each basis
   and computes each policy's amount with a bisection on a precomputed table, summing the total,
   the paid partners and the least and greatest amount (no checks, no objects): for scale.

Both sides run in the same process, alternately, best of ``--repeat`` runs; the script checks
that they agree (totals, paid partners, min and max) and prints the ratios and the spread of the
per-run ratios (the machine's noise). ``python benchmarks/simulate.py`` runs 1,000,000
partners; ``--quick`` a tenth of it.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from bisect import bisect_right
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from channelkit import Bracket, RebatePolicy, rebate_amounts, simulate
from channelkit.numeric import CONTEXT

SEED = 20260701
STARTS = [0, 100_000, 250_000, 500_000, 1_000_000]
RATES = ["0.01", "0.02", "0.03", "0.04", "0.05"]
CAP = Decimal(60_000)
GROWTH = (Decimal(0), Decimal("0.05"), Decimal("0.1"))
GRID = Decimal("0.01")


def policies() -> dict[str, RebatePolicy]:
    ladder = tuple(
        Bracket(start=Decimal(s), rate=Decimal(r)) for s, r in zip(STARTS, RATES, strict=True)
    )
    return {
        "graduated": RebatePolicy(id="G", name="Graduated", currency="CNY", brackets=ladder),
        "volume": RebatePolicy(
            id="V", name="Volume", currency="CNY", mode="volume", cap=CAP, brackets=ladder
        ),
    }


def table_of(n: int) -> pa.Table:
    rng = random.Random(SEED)
    bases = [Decimal(rng.randrange(0, 150_000_000)).scaleb(-2) for _ in range(n)]
    return pa.table(
        {
            "partner_id": pa.array([f"P{i:07d}" for i in range(n)], pa.string()),
            "basis": pa.array(bases, pa.decimal128(18, 2)),
        }
    )


def hand_loop(table: pa.Table) -> list[tuple[Decimal, int, Decimal, Decimal]]:
    """``(total, paid, min, max)`` per policy and growth, policy-major: plain Decimal code."""
    starts = [Decimal(s) for s in STARTS]
    rates = [Decimal(r) for r in RATES]
    cum = [Decimal(0)]
    for i in range(1, len(starts)):
        cum.append(cum[-1] + (starts[i] - starts[i - 1]) * rates[i - 1])
    values = table.column("basis").to_pylist()
    out: dict[tuple[int, int], tuple[Decimal, int, Decimal, Decimal]] = {}
    with localcontext(CONTEXT):
        for k, g in enumerate(GROWTH):
            f = 1 + g
            grown = values if not g else [v * f for v in values]
            for p in (0, 1):
                total, paid = Decimal(0), 0
                lo = hi = None
                for b in grown:
                    i = bisect_right(starts, b) - 1
                    if p == 0:
                        a = (cum[i] + (b - starts[i]) * rates[i]).quantize(GRID, ROUND_HALF_UP)
                    else:
                        a = min(b * rates[i], CAP).quantize(GRID, ROUND_HALF_UP)
                    total += a
                    paid += a > 0
                    lo = a if lo is None or a < lo else lo
                    hi = a if hi is None or a > hi else hi
                out[p, k] = (total, paid, lo, hi)  # type: ignore[assignment]
    return [out[p, k] for p in (0, 1) for k in range(len(GROWTH))]


def race(
    ours: Callable[[], Any], theirs: Callable[[], Any], repeat: int
) -> tuple[float, float, list[float], Any, Any]:
    """Alternate the two, best of ``repeat``; also each run's ratio (the noise)."""
    best_ours = best_theirs = float("inf")
    ratios = []
    got_ours = got_theirs = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        got_theirs = theirs()
        t1 = time.perf_counter()
        got_ours = ours()
        t2 = time.perf_counter()
        best_theirs = min(best_theirs, t1 - t0)
        best_ours = min(best_ours, t2 - t1)
        ratios.append((t2 - t1) / (t1 - t0))
    return best_ours, best_theirs, ratios, got_ours, got_theirs


def report(
    name: str, ours: float, theirs: float, ratios: list[float], target: float | None
) -> None:
    median = statistics.median(ratios)
    verdict = (
        "" if target is None else f"target <= {target}x: {'ok' if median <= target else 'ABOVE'}; "
    )
    print(
        f"{name}: simulate {ours:.3f} s, baseline {theirs:.3f} s, best/best "
        f"{ours / theirs:.2f}x, median of paired runs {median:.2f}x ({verdict}per-run ratios "
        f"{min(ratios):.2f}-{max(ratios):.2f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the full size")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side (best kept)")
    args = parser.parse_args()
    n = 100_000 if args.quick else 1_000_000
    t0 = time.perf_counter()
    table = table_of(n)
    chosen = policies()
    basis = table.column("basis").to_pylist()
    with localcontext(CONTEXT):  # exact: bases of 2 places times factors of 2
        grown_arrays = [
            pa.array([b * (1 + g) for b in basis] if g else basis, pa.decimal128(20, 4))
            for g in GROWTH
        ]
    print(f"(built {n:,} partner bases and the grown arrays in {time.perf_counter() - t0:.1f} s)")

    def ours() -> Any:
        return simulate(chosen, table, growth=GROWTH)

    def per_call() -> list[Any]:
        return [rebate_amounts(p, arr) for p in chosen.values() for arr in grown_arrays]

    best, theirs, ratios, sim, columns = race(ours, per_call, args.repeat)
    for row, column in zip(sim.rows, columns, strict=True):
        assert row.total.amount == pc.sum(column).as_py(), row.policy_id
        assert row.partners_paid == pc.sum(pc.greater(column, 0)).as_py()
    report(
        f"{n:,} partners, 2 policies x 3 growth factors, against 6 rebate_amounts calls",
        best,
        theirs,
        ratios,
        3.0,
    )
    best, theirs, ratios, sim, hand = race(ours, lambda: hand_loop(table), args.repeat)
    assert [(r.total.amount, r.partners_paid, r.min.amount, r.max.amount) for r in sim.rows] == [
        (t, paid, lo, hi) for t, paid, lo, hi in hand
    ]
    report(f"{n:,} partners, against a plain Decimal loop", best, theirs, ratios, None)


if __name__ == "__main__":
    main()
