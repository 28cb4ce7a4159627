"""Benchmark: ``check_order`` against a hand-written baseline of the same arithmetic.

Usage: ``python benchmarks/credit.py`` (1,000,000 orders) or ``--quick`` (100,000 orders);
``--repeat N`` runs each side N times and keeps the best.

The data is built with a fixed seed: exposures of four components (some negative: advances),
limits (one in ten partners has none, a few have a zero limit), orders, three policies (the
default; SAP-like with a tolerance, a document-value warning and overdue rules; Odoo-like, warn
only on receivables and open orders) and a pool of agings. Exposures are built with
``Exposure.model_construct`` from valid ``Money`` (building a million validated models is not
what is measured; the check reads them exactly as it reads validated ones).

The baseline does the same work on plain tuples of Decimals in the same 34-digit context: the
included sum, the order added, available, exceeded by, utilization, every rule, the most severe
reaction, and a tuple per order of (outcome, exposure after, available, exceeded by,
utilization, reason codes). It builds no models and formats no messages. The script checks that
both sides agree on every order and prints the best time of each and their ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from channelkit import (
    Aging,
    CreditPolicy,
    Exposure,
    ExposureKind,
    Money,
    OpenItem,
    aging,
    check_order,
)
from channelkit.numeric import CONTEXT

SEED = 20260930
CUR = "CNY"
AS_OF = dt.date(2026, 9, 30)
KINDS = tuple(ExposureKind)
POLICIES = (
    CreditPolicy(),
    CreditPolicy(
        tolerance=Decimal("0.05"),
        max_document_value=Decimal(150_000),
        on_document_value="warn",
        max_overdue_days=60,
        max_overdue_share=Decimal("0.5"),
    ),
    CreditPolicy(include={"receivables", "open_orders"}, warn_at=None, on_limit="warn"),
)

Case = tuple[Money | None, Exposure, Money, CreditPolicy, Aging | None]
Raw = tuple[
    Decimal | None,
    tuple[Decimal, ...],
    Decimal,
    int,
    tuple[int, Decimal] | None,
]


def make_agings(rng: random.Random, n: int) -> list[Aging]:
    out = []
    for k in range(n):
        items = [
            OpenItem(
                id=f"I{k}-{j}",
                amount=Money(rng.randrange(1_000, 200_000), CUR),
                due=AS_OF - dt.timedelta(days=rng.randrange(-30, 120)),
            )
            for j in range(rng.randrange(1, 6))
        ]
        out.append(aging(items, AS_OF, grace_days=rng.choice([0, 5])))
    return out


def make_cases(n: int) -> tuple[list[Case], list[Raw]]:
    rng = random.Random(SEED)
    agings = make_agings(rng, 50)
    amounts = [Money(Decimal(rng.randrange(0, 50_000_000)) / 100, CUR) for _ in range(5000)]
    negatives = [Money(-Decimal(rng.randrange(0, 5_000_000)) / 100, CUR) for _ in range(500)]
    limits = [Money(rng.randrange(0, 200) * 10_000, CUR) for _ in range(500)]
    limits[:5] = [Money(0, CUR)] * 5
    cases: list[Case] = []
    raws: list[Raw] = []
    for _ in range(n):
        parts = [rng.choice(amounts) for _ in KINDS]
        if rng.random() < 0.1:
            parts[1] = rng.choice(negatives)
        exposure = Exposure.model_construct(
            receivables=parts[0],
            open_orders=parts[1],
            unbilled_deliveries=parts[2],
            unposted_invoices=parts[3],
        )
        limit = None if rng.random() < 0.1 else rng.choice(limits)
        order = rng.choice(amounts)
        p = rng.randrange(len(POLICIES))
        ag = rng.choice(agings) if p == 1 else None
        cases.append((limit, exposure, order, POLICIES[p], ag))
        raws.append(
            (
                None if limit is None else limit.amount,
                tuple(m.amount for m in parts),
                order.amount,
                p,
                None if ag is None else (ag.oldest_overdue_days, ag.overdue_share),
            )
        )
    return cases, raws


# -- the baseline: the same rules on plain Decimals -----------------------------------------------

_ONE = Decimal(1)
_ZERO = Decimal(0)
_RANK = {"approve": 0, "warn": 1, "block": 2}
_RAW_POLICIES = [
    (
        tuple(i for i, k in enumerate(KINDS) if k in p.include),
        p.warn_at,
        p.tolerance,
        p.max_document_value,
        p.max_overdue_days,
        p.max_overdue_share,
        p.on_limit.value,
        p.on_document_value.value,
        p.on_overdue.value,
    )
    for p in POLICIES
]


def baseline(raws: Sequence[Raw]) -> list[tuple[Any, ...]]:
    add, mul, sub, div = CONTEXT.add, CONTEXT.multiply, CONTEXT.subtract, CONTEXT.divide
    out = []
    for limit, parts, order, p, ag in raws:
        inc, warn_at, tol, max_doc, max_days, max_share, on_lim, on_doc, on_od = _RAW_POLICIES[p]
        before = _ZERO
        for i in inc:
            before = add(before, parts[i])
        after = add(before, order)
        worst = "approve"
        codes = []
        available = exceeded = utilization = None
        if limit is not None:
            ceiling = mul(limit, add(_ONE, tol))
            over = sub(after, limit)
            available = -over
            exceeded = over if over > 0 else _ZERO
            utilization = div(after, limit) if limit else None
            if after > ceiling:
                worst = on_lim
                codes.append("limit")
            elif over > 0:
                codes.append("tolerance")
            if warn_at is not None and utilization is not None and after >= mul(limit, warn_at):
                if worst == "approve":
                    worst = "warn"
                codes.append("warn_level")
        if max_doc is not None and order > max_doc:
            if _RANK[on_doc] > _RANK[worst]:
                worst = on_doc
            codes.append("document_value")
        if ag is not None:
            days, share = ag
            if max_days is not None and days > max_days:
                codes.append("overdue_days")
                if _RANK[on_od] > _RANK[worst]:
                    worst = on_od
            if max_share is not None and share > max_share:
                codes.append("overdue_share")
                if _RANK[on_od] > _RANK[worst]:
                    worst = on_od
        out.append((worst, after, available, exceeded, utilization, tuple(codes)))
    return out


def library(cases: Sequence[Case]) -> list[Any]:
    return [check_order(limit, e, o, p, aging=a) for limit, e, o, p, a in cases]


def as_tuple(d: Any) -> tuple[Any, ...]:
    return (
        d.outcome.value,
        d.exposure_after.amount,
        None if d.available is None else d.available.amount,
        None if d.exceeded_by is None else d.exceeded_by.amount,
        d.utilization,
        tuple(r.code.value for r in d.reasons),
    )


def alternate(
    lib: Callable[[], Any], base: Callable[[], Any], repeat: int, *, collect: bool
) -> tuple[float, float, Any, Any]:
    """Best times of ``lib`` and ``base``, run in turn so that both see the same machine load.

    ``collect=False`` turns the cyclic garbage collector off while timing (as ``timeit`` does).
    """
    best_lib = best_base = float("inf")
    lib_out = base_out = None
    for _ in range(repeat):
        for which in ("lib", "base"):
            if which == "lib":  # free the previous results before timing
                lib_out = None
            else:
                base_out = None
            gc.collect()
            if not collect:
                gc.disable()
            start = time.perf_counter()
            out = lib() if which == "lib" else base()
            elapsed = time.perf_counter() - start
            gc.enable()
            if which == "lib":
                best_lib, lib_out = min(best_lib, elapsed), out
            else:
                best_base, base_out = min(best_base, elapsed), out
            del out
    return best_lib, best_base, lib_out, base_out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 orders instead of 1,000,000")
    parser.add_argument("--repeat", type=int, default=3, help="runs per side (best kept)")
    args = parser.parse_args(argv)
    n = 100_000 if args.quick else 1_000_000
    start = time.perf_counter()
    cases, raws = make_cases(n)
    print(f"check_order: {n:,} orders (built in {time.perf_counter() - start:.1f} s)")
    for collect in (True, False):
        lib_time, base_time, decisions, expected = alternate(
            lambda: library(cases), lambda: baseline(raws), args.repeat, collect=collect
        )
        got = [as_tuple(d) for d in decisions]
        if got != expected:
            bad = next(i for i, (g, e) in enumerate(zip(got, expected, strict=True)) if g != e)
            msg = f"library and baseline disagree on order {bad}: {got[bad]} != {expected[bad]}"
            raise SystemExit(msg)
        if collect:
            outcomes = {o: sum(1 for g in got if g[0] == o) for o in ("approve", "warn", "block")}
            print(f"  outcomes: {outcomes}; both sides agree on every order")
        del decisions, expected, got
        print(f"  garbage collector {'on (as in use)' if collect else 'off (as timeit runs)'}:")
        print(f"    library : {lib_time:7.3f} s  ({lib_time / n * 1e6:.2f} us per order)")
        print(f"    baseline: {base_time:7.3f} s  ({base_time / n * 1e6:.2f} us per order)")
        print(f"    ratio   : {lib_time / base_time:.2f}x")


if __name__ == "__main__":
    main()
