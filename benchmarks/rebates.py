"""Benchmarks of the rebate engine against hand-written Decimal baselines (issue #3).

1. ``rebate_amounts`` over N random bases on a 5-bracket GRADUATED ladder, against a tight loop
   (bisect on the starts, a precomputed cumulative table, one quantize): target <= 1.3x. The same
   for VOLUME, and the per-call cost of ``compute_rebate`` (a full, explained result).
2. ``settle_all`` over M transactions for P partners, against a hand-written one-pass sum per
   partner followed by the tight loop: target <= 2x.

The transactions are built without validation, as a loader of trusted rows would:
``Transaction.model_construct`` with ``Money`` values taken from a pool validated once (Money is
immutable, so rows share them) and enum members for the kinds. Building them is not timed.

Both sides run in the same process, alternately, best of ``--repeat`` runs; the script checks
that they give the same amounts and prints the ratios and the spread of the per-run ratios (the
machine's noise). ``python benchmarks/rebates.py`` runs the full size (1,000,000 bases,
1,000,000 transactions, 10,000 partners); ``--quick`` a tenth of it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time
from bisect import bisect_right
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from channelkit import (
    Bracket,
    Money,
    Period,
    RebatePolicy,
    Transaction,
    TransactionKind,
    compute_rebate,
    rebate_amounts,
    settle_all,
)
from channelkit.numeric import CONTEXT
from channelkit.rebates.plan import plan_of

SEED = 20260701
STARTS = [0, 100_000, 250_000, 500_000, 1_000_000]
RATES = ["0.01", "0.02", "0.03", "0.04", "0.05"]
GRID = Decimal("0.01")


def ladder(mode: str) -> RebatePolicy:
    return RebatePolicy(
        id=f"BENCH-{mode}",
        name="5-bracket ladder",
        currency="CNY",
        mode=mode,  # type: ignore[arg-type]
        brackets=tuple(
            Bracket(start=Decimal(s), rate=Decimal(r)) for s, r in zip(STARTS, RATES, strict=True)
        ),
    )


def tight_graduated() -> Callable[[Sequence[Decimal]], list[Decimal]]:
    """The hand-written GRADUATED loop: bisect, cumulative table, one quantize."""
    starts = [Decimal(s) for s in STARTS]
    rates = [Decimal(r) for r in RATES]
    cum = [Decimal(0)]
    for i in range(1, len(starts)):
        cum.append(cum[-1] + (starts[i] - starts[i - 1]) * rates[i - 1])

    def run(bases: Sequence[Decimal]) -> list[Decimal]:
        out = []
        append = out.append
        with localcontext(CONTEXT):
            for b in bases:
                i = bisect_right(starts, b) - 1
                append((cum[i] + (b - starts[i]) * rates[i]).quantize(GRID, ROUND_HALF_UP))
        return out

    return run


def tight_volume() -> Callable[[Sequence[Decimal]], list[Decimal]]:
    """The hand-written VOLUME loop: bisect, the bracket's rate on the whole basis."""
    starts = [Decimal(s) for s in STARTS]
    rates = [Decimal(r) for r in RATES]

    def run(bases: Sequence[Decimal]) -> list[Decimal]:
        out = []
        append = out.append
        with localcontext(CONTEXT):
            for b in bases:
                i = bisect_right(starts, b) - 1
                append((b * rates[i]).quantize(GRID, ROUND_HALF_UP))
        return out

    return run


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


def report(name: str, ours: float, theirs: float, ratios: list[float], target: float) -> None:
    """Print best against best, and judge the target on the median of the paired runs' ratios.

    Each pair ran back to back under the same machine load, so the median of their ratios is
    less moved by one lucky run of either side than the ratio of the two bests.
    """
    median = statistics.median(ratios)
    verdict = "ok" if median <= target else "ABOVE TARGET"
    print(
        f"{name}: channelkit {ours:.3f} s, baseline {theirs:.3f} s, "
        f"best/best {ours / theirs:.2f}x, median of paired runs {median:.2f}x "
        f"(target <= {target}x: {verdict}; "
        f"per-run ratios {min(ratios):.2f}-{max(ratios):.2f})"
    )


def bench_amounts(n: int, repeat: int) -> None:
    rng = random.Random(SEED)
    bases = [Decimal(rng.randrange(0, 150_000_000)).scaleb(-2) for _ in range(n)]
    for mode, tight in (("graduated", tight_graduated()), ("volume", tight_volume())):
        policy = ladder(mode)
        ours, theirs, ratios, got, want = race(
            lambda p=policy: rebate_amounts(p, bases), lambda t=tight: t(bases), repeat
        )
        assert got == want, f"{mode}: rebate_amounts differs from the baseline"
        report(f"rebate_amounts, {n:,} bases, {mode}", ours, theirs, ratios, 1.3)
    policy = ladder("graduated")
    calls = max(n // 100, 1000)
    sample = bases[:calls]
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        results = [compute_rebate(policy, b) for b in sample]
        best = min(best, time.perf_counter() - t0)
    assert [r.amount.amount for r in results] == rebate_amounts(policy, sample)
    per_item = ours / n
    print(
        f"compute_rebate: {best / calls * 1e6:.1f} us per call over {calls:,} calls "
        f"(rebate_amounts: {per_item * 1e6:.2f} us per basis)"
    )
    # the plan cache is keyed by the policy's value: a lookup of a policy other than the last
    # one looked up hashes it (alternating two equal policies misses the last-policy memo)
    copy = RebatePolicy.model_validate_json(policy.model_dump_json())
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(calls):
            plan_of(policy)
            plan_of(copy)
        best = min(best, time.perf_counter() - t0)
    print(f"plan cache: {best / (2 * calls) * 1e6:.1f} us per lookup that hashes the policy")


def transactions(m: int, partners: int) -> list[Transaction]:
    """``m`` rows: 90% in 2026 Q3, 5% either side; 5% direct sales; 85% sales, 10% returns."""
    rng = random.Random(SEED)
    pool = [Money(Decimal(rng.randrange(1_000, 5_000_000)).scaleb(-2), "CNY") for _ in range(4096)]
    quarter_days = [dt.date(2026, 7, 1) + dt.timedelta(days=d) for d in range(92)]
    outside = [dt.date(2026, 6, 15), dt.date(2026, 10, 15)]
    ids = [f"P{i:05d}" for i in range(partners)]
    kinds = [TransactionKind.SALE] * 17 + [TransactionKind.RETURN] * 2 + [TransactionKind.PAYMENT]
    rows = []
    construct = Transaction.model_construct
    for i in range(m):
        r = rng.random()
        rows.append(
            construct(
                id=f"T{i}",
                partner_id=None if r < 0.05 else ids[rng.randrange(partners)],
                date=rng.choice(outside) if r > 0.9 else rng.choice(quarter_days),
                kind=kinds[rng.randrange(20)],
                amount=pool[rng.randrange(4096)],
                quantity=Decimal(1),
            )
        )
    return rows


def baseline_settle(rows: list[Transaction], period: Period) -> dict[str, list[Decimal]]:
    """One pass summing each partner's figures, then the tight GRADUATED loop on net sales.

    It sums what a ``Settlement`` reports (sales, returns, collections, net units: the same
    arithmetic as ``settle_all``) but checks nothing (no currency, no scope) and builds no
    objects: ``{partner: [sales, returns, collections, units, rebate]}``.
    """
    start, end = period.start, period.end
    sale, ret = TransactionKind.SALE, TransactionKind.RETURN
    zero = Decimal(0)
    acc: dict[str, list[Decimal]] = {}
    with localcontext(CONTEXT):
        for t in rows:
            pid = t.partner_id
            if pid is None:
                continue
            d = t.date
            if d < start or d >= end:
                continue
            a = acc.get(pid)
            if a is None:
                a = acc[pid] = [zero, zero, zero, zero]
            kind = t.kind
            if kind is sale:
                a[0] += t.amount.amount
                a[3] += t.quantity
            elif kind is ret:
                a[1] += t.amount.amount
                a[3] -= t.quantity
            else:
                a[2] += t.amount.amount
        pids = sorted(acc)
        nets = [max(acc[p][0] - acc[p][1], zero) for p in pids]
    for p, amount in zip(pids, tight_graduated()(nets), strict=True):
        acc[p].append(amount)
    return {p: acc[p] for p in pids}


def bench_settle(m: int, partners: int, repeat: int) -> None:
    t0 = time.perf_counter()
    rows = transactions(m, partners)
    print(f"(built {m:,} transactions in {time.perf_counter() - t0:.1f} s, not timed)")
    policy = ladder("graduated")
    period = Period.quarter(2026, 3)
    ours, theirs, ratios, got, want = race(
        lambda: settle_all(policy, rows, period), lambda: baseline_settle(rows, period), repeat
    )
    assert {
        p: [
            s.gross_sales.amount,
            s.returns.amount,
            s.collections.amount,
            s.units,
            s.result.amount.amount,
        ]
        for p, s in got.items()
    } == want
    report(f"settle_all, {m:,} transactions, {len(got):,} partners", ours, theirs, ratios, 2.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the full size")
    parser.add_argument("--repeat", type=int, default=5, help="runs per side (best is kept)")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    bench_amounts(1_000_000 // scale, args.repeat)
    bench_settle(1_000_000 // scale, 10_000 // scale, max(args.repeat - 2, 1))


if __name__ == "__main__":
    main()
