"""Benchmark: partner evaluation (scoring and tier assignment) against hand-written baselines.

Builds 100,000 partners' figures with a fixed seed (``--quick``: 10,000), then times

* ``score()`` on a four-metric scorecard against a plain loop of the same Decimal arithmetic;
* ``assign_tier()`` (score, qualification, promotion/grace rule, gaps) against a plain
  function doing the same steps on tuples;

checks that both give the same answers, and prints the ratio (library time / baseline time).
Each entry of ``BENCHMARKS`` is one comparison. Then it runs ``benchmarks/credit.py``:
``check_order`` for 1,000,000 orders (``--quick``: 100,000) against its own baseline.

Run: ``python benchmarks/evaluation.py [--quick] [--repeat N]``.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from channelkit import (
    Direction,
    Metric,
    MissingMetric,
    Requirement,
    Scorecard,
    Tier,
    TierProgram,
    assign_tier,
    score,
)
from channelkit.numeric import CONTEXT

SEED = 20260701
FULL = 100_000
QUICK = 10_000

CARD = Scorecard(
    metrics=(
        Metric(key="sales", weight=Decimal(50), target=Decimal(400_000), cap=Decimal("1.2")),
        Metric(key="growth", weight=Decimal(20), target=Decimal("0.10"), cap=Decimal("1.5")),
        Metric(key="collection_rate", weight=Decimal(20), target=Decimal("0.90")),
        Metric(
            key="dso",
            weight=Decimal(10),
            target=Decimal(45),
            direction=Direction.LOWER_IS_BETTER,
        ),
    ),
    missing=MissingMetric.ZERO,
)
PROGRAM = TierProgram(
    tiers=(
        Tier(
            code="PLATINUM",
            name="Platinum",
            rank=4,
            requirements=(
                Requirement(metric="sales", minimum=Decimal(600_000)),
                Requirement(metric="collection_rate", minimum=Decimal("0.95")),
            ),
            min_score=Decimal(100),
        ),
        Tier(
            code="GOLD",
            name="Gold",
            rank=3,
            requirements=(Requirement(metric="sales", minimum=Decimal(300_000)),),
            min_score=Decimal(75),
        ),
        Tier(
            code="SILVER",
            name="Silver",
            rank=2,
            requirements=(Requirement(metric="sales", minimum=Decimal(150_000)),),
            min_score=Decimal(50),
        ),
        Tier(
            code="BRONZE",
            name="Bronze",
            rank=1,
            requirements=(Requirement(metric="sales", minimum=Decimal(50_000)),),
        ),
    ),
    scorecard=CARD,
    demotion_grace=1,
)

Case = tuple[dict[str, Decimal], str | None, int]


def make_cases(n: int) -> list[Case]:
    """``n`` partners: figures (sometimes missing growth), a current tier and a stored count."""
    rng = random.Random(SEED)
    codes = [None, "BRONZE", "SILVER", "GOLD", "PLATINUM"]
    out: list[Case] = []
    for _ in range(n):
        figures = {
            "sales": Decimal(rng.randrange(0, 90_000_000)) / 100,
            "collection_rate": Decimal(rng.randrange(0, 10_000)) / 10_000,
            "dso": Decimal(rng.randrange(0, 120)),
        }
        if rng.random() < 0.9:
            figures["growth"] = Decimal(rng.randrange(-5_000, 20_000)) / 10_000
        current = rng.choice(codes)
        out.append((figures, current, rng.randrange(0, 2) if current else 0))
    return out


# -- baselines: the same arithmetic, written by hand -----------------------------------------

_ZERO, _HUNDRED = Decimal(0), Decimal(100)
_METRICS = [
    (m.key, m.weight, m.target, m.direction is Direction.HIGHER_IS_BETTER, m.cap)
    for m in CARD.metrics
]
_WSUM = sum((m.weight for m in CARD.metrics), _ZERO)
_TIERS = [
    (t.code, t.rank, [(r.metric, r.minimum) for r in t.requirements], t.min_score)
    for t in PROGRAM.ranked
]
_RANK = {t.code: t.rank for t in PROGRAM.tiers}


def baseline_score(figures: dict[str, Decimal]) -> tuple[Decimal, list[Any]]:
    """The total and each metric's (achievement, share, points), as score() computes them."""
    num = _ZERO
    achieved = []
    for key, weight, target, higher, cap in _METRICS:
        actual = figures.get(key)
        if actual is None:
            ach = _ZERO
        elif higher:
            ach = min(CONTEXT.divide(actual, target), cap) if actual > 0 else _ZERO
        else:
            ach = min(CONTEXT.divide(target, actual), cap) if actual > 0 else cap
        num = CONTEXT.add(num, CONTEXT.multiply(ach, weight))
        achieved.append((ach, weight))
    parts = [
        (
            ach,
            CONTEXT.divide(weight, _WSUM),
            CONTEXT.divide(CONTEXT.multiply(CONTEXT.multiply(ach, _HUNDRED), weight), _WSUM),
        )
        for ach, weight in achieved
    ]
    return CONTEXT.divide(CONTEXT.multiply(num, _HUNDRED), _WSUM), parts


def baseline_tier(
    figures: dict[str, Decimal], current: str | None, missed: int
) -> tuple[str | None, str, int, Decimal, list[tuple[str, Decimal]]]:
    total, _ = baseline_score(figures)
    unmet: dict[str, list[tuple[str, Decimal]]] = {}
    best = None
    for code, _, reqs, min_score in _TIERS:
        gaps = [
            (key, CONTEXT.subtract(minimum, figures[key]))
            for key, minimum in reqs
            if figures[key] < minimum
        ]
        if min_score is not None and total < min_score:
            gaps.append(("score", CONTEXT.subtract(min_score, total)))
        unmet[code] = gaps
        if not gaps:
            best = code
    if current is None:
        tier, change, missed = best, "new", 0
    elif best is not None and _RANK[best] > _RANK[current]:
        tier, change, missed = best, "promoted", 0
    elif not unmet[current]:
        tier, change, missed = current, "retained", 0
    elif missed + 1 <= PROGRAM.demotion_grace:
        tier, change, missed = current, "on_watch", missed + 1
    else:
        tier, change, missed = best, "demoted", 0
    target = current if change == "on_watch" else _above(tier)
    return tier, change, missed, total, unmet[target] if target else []


def _above(code: str | None) -> str | None:
    rank = _RANK[code] if code is not None else None
    for c, r, _, _ in _TIERS:
        if rank is None or r > rank:
            return c
    return None


# -- the comparisons -------------------------------------------------------------------------


def bench_score(cases: Sequence[Case]) -> tuple[Callable[[], Any], Callable[[], Any]]:
    def library() -> list[Any]:
        out = []
        for figures, _, _ in cases:
            s = score(CARD, figures)
            out.append((s.total, [(p.achievement, p.weight, p.points) for p in s.parts]))
        return out

    def baseline() -> list[Any]:
        return [baseline_score(figures) for figures, _, _ in cases]

    return library, baseline


def bench_assign_tier(cases: Sequence[Case]) -> tuple[Callable[[], Any], Callable[[], Any]]:
    def library() -> list[Any]:
        out = []
        for figures, current, missed in cases:
            d = assign_tier(PROGRAM, figures, current=current, missed=missed)
            out.append(
                (
                    d.tier.code if d.tier is not None else None,
                    d.change.value,
                    d.missed,
                    d.score.total if d.score is not None else None,
                    [(g.metric, g.shortfall) for g in d.gaps],
                )
            )
        return out

    def baseline() -> list[Any]:
        return [baseline_tier(figures, current, missed) for figures, current, missed in cases]

    return library, baseline


Benchmark = tuple[str, Callable[[Sequence[Case]], tuple[Callable[[], Any], Callable[[], Any]]]]
BENCHMARKS: list[Benchmark] = [
    ("score()", bench_score),
    ("assign_tier()", bench_assign_tier),
]


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def run(
    name: str, library: Callable[[], Any], baseline: Callable[[], Any], n: int, repeat: int
) -> None:
    lib_t, lib_r = best_of(library, repeat)
    base_t, base_r = best_of(baseline, repeat)
    if lib_r != base_r:
        msg = f"{name}: the library and the baseline disagree"
        raise SystemExit(msg)
    print(
        f"{name:<16} n={n:>9,}  library {lib_t:8.3f} s ({lib_t / n * 1e6:7.2f} us each)  "
        f"baseline {base_t:8.3f} s  ratio {lib_t / base_t:5.2f}x"
    )


def main(argv: Sequence[str] | None = None, benchmarks: Sequence[Benchmark] = BENCHMARKS) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK:,} partners, not {FULL:,}")
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs (default 3)")
    args = parser.parse_args(argv)
    n = QUICK if args.quick else FULL
    cases = make_cases(n)
    for name, bench in benchmarks:
        library, baseline = bench(cases)
        run(name, library, baseline, n, args.repeat)


if __name__ == "__main__":
    import sys
    from pathlib import Path

    main()
    sys.path.insert(0, str(Path(__file__).parent))
    import credit  # benchmarks/credit.py: check_order against its hand-written baseline

    credit.main([a for a in sys.argv[1:] if a in ("--quick",)])
