"""Benchmark: rebate programmes over a table (issue #12), against their policies alone.

1,000,000 transactions of 10,000 partners in a pyarrow table (text ids, ``date32`` dates,
``decimal128(38, 2)`` amounts, SKUs, a currency column) are settled for the year by a programme
of three policies (a 5-bracket graduated ladder on everything, a 2% rebate on SKUs ``A`` and
``B``, a volume ladder on everything) under each stacking, and by a COMPOUND programme of the
ladder and a flat 1%:

1. ``settle_program_all(program, table, year)`` and ``settle_program_all(program, frame, year)``
   (the frame already validated by ``frames.transactions``);
2. the same policies one at a time, ``settle_all(policy, table, year)`` (and ``frame``), summed:
   the programme's cost as a ratio to its policies settled alone, in the same run;
3. a plain hand-written pyarrow baseline: the sums per partner of the year's sales and returns
   with one ``group_by``, and the ladder as decimal column arithmetic (no checks, no models).

ADD must give each partner the sum of its policies' amounts, and the ladder's amounts must equal
the plain baseline's. Run: ``python benchmarks/programs.py`` (``--quick`` for a tenth). Each
figure is the best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from channelkit import (
    Bracket,
    Period,
    Program,
    RebatePolicy,
    Scope,
    Stacking,
    settle_all,
    settle_program_all,
)
from channelkit.frames import transactions

SEED = 12
STARTS = [0, 100_000, 250_000, 500_000, 1_000_000]
RATES = ["0.01", "0.02", "0.03", "0.04", "0.05"]
YEAR = Period.year(2026)
LADDER = RebatePolicy(
    id="LADDER",
    name="5-bracket ladder",
    currency="CNY",
    brackets=tuple(
        Bracket(start=Decimal(s), rate=Decimal(r)) for s, r in zip(STARTS, RATES, strict=True)
    ),
)
PHONES = RebatePolicy(
    id="PHONES",
    name="Phones 2%",
    currency="CNY",
    brackets=(Bracket(start=Decimal(0), rate=Decimal("0.02")),),
    scope=Scope(skus=frozenset({"A", "B"})),
)
VOLUME = RebatePolicy(
    id="VOLUME",
    name="Volume",
    currency="CNY",
    mode="volume",  # type: ignore[arg-type]
    brackets=(
        Bracket(start=Decimal(0), rate=Decimal("0.005")),
        Bracket(start=Decimal(2_000_000), rate=Decimal("0.015")),
    ),
)
FLAT = RebatePolicy(
    id="FLAT", name="Flat 1%", currency="CNY", brackets=(Bracket(start=0, rate=Decimal("0.01")),)
)


def programs() -> list[Program]:
    three = (PHONES, LADDER, VOLUME)
    out = [
        Program(id=s.value, name=s.value, currency="CNY", policies=three, stacking=s)
        for s in (Stacking.ADD, Stacking.FIRST, Stacking.BEST)
    ]
    out.append(
        Program(
            id="compound",
            name="compound",
            currency="CNY",
            policies=(LADDER, FLAT),
            stacking=Stacking.COMPOUND,
        )
    )
    return out


def make_table(n: int, partners: int) -> pa.Table:
    rng = np.random.default_rng(SEED)
    cents = rng.integers(1, 1_000_000, n)
    partner = rng.integers(0, partners, n)
    kinds = np.array(["sale", "return", "payment"], dtype=object)
    kind = kinds[rng.choice(3, n, p=[0.6, 0.2, 0.2])]
    skus = np.array(["A", "B", "C", "D", "E"], dtype=object)
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
            "kind": pa.array(kind, pa.string()),
            "amount": pc.cast(
                pa.array([f"{c // 100}.{c % 100:02d}" for c in cents]), pa.decimal128(38, 2)
            ),
            "sku": pa.array(skus[rng.integers(0, 5, n)], mask=kind == "payment", type=pa.string()),
            "currency": pa.array(["CNY"] * n),
        }
    )


def arrow_ladder(table: pa.Table) -> dict[str, Decimal]:
    """The ladder's amount per partner for the year: one group_by, then decimal columns."""
    day = table["date"]
    low, high = pa.scalar(YEAR.start, pa.date32()), pa.scalar(YEAR.end, pa.date32())
    rows = table.filter(
        pc.and_(
            pc.and_(pc.greater_equal(day, low), pc.less(day, high)),
            pc.is_valid(table["partner_id"]),
        )
    )
    goods = pc.not_equal(rows["kind"], "payment")
    signed = pc.if_else(pc.equal(rows["kind"], "return"), pc.negate(rows["amount"]), rows["amount"])
    work = pa.table(
        {
            "partner_id": rows["partner_id"],
            "net": pc.if_else(goods, signed, pa.scalar(Decimal(0), rows["amount"].type)),
        }
    )
    sums = work.group_by("partner_id").aggregate([("net", "sum")])
    narrow = pa.decimal128(20, 2)
    net = pc.cast(sums["net_sum"], narrow)
    basis = pc.max_element_wise(net, pa.scalar(Decimal(0), narrow))
    total: Any = None
    for i, (start, rate) in enumerate(zip(STARTS, RATES, strict=True)):
        part = pc.subtract(basis, pa.scalar(Decimal(start), basis.type))
        part = pc.max_element_wise(part, pa.scalar(Decimal(0), part.type))
        if i + 1 < len(STARTS):
            part = pc.min_element_wise(part, pa.scalar(Decimal(STARTS[i + 1] - start), part.type))
        slice_ = pc.multiply(part, pa.scalar(Decimal(rate), pa.decimal128(5, 4)))
        total = slice_ if total is None else pc.add(total, slice_)
    amounts = pc.round(total, ndigits=2, round_mode="half_up")
    return dict(zip(sums["partner_id"].to_pylist(), amounts.to_pylist(), strict=True))


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
    parser.add_argument("--repeat", type=int, default=3, help="runs of each figure")
    args = parser.parse_args()
    n, partners = (100_000, 1_000) if args.quick else (1_000_000, 10_000)
    table = make_table(n, partners)
    r = args.repeat
    print(f"{n:,} transactions, {partners:,} partners, {table.nbytes / 2**20:.0f} MiB of Arrow")

    t_check, frame = best(lambda: transactions(table), r)
    t_plain, plain = best(lambda: arrow_ladder(table), r)
    t_ladder, by_ladder = best(lambda: settle_all(LADDER, frame, YEAR), r)
    ladder = {p: s.result.amount.amount for p, s in by_ladder.items()}
    assert ladder == {p: a for p, a in plain.items() if a or p in ladder}, "ladder != plain"

    def line(name: str, seconds: float, versus: float | None = None) -> None:
        ratio = f"  {seconds / versus:6.2f}x its policies alone" if versus else ""
        print(f"  {name:<40} {seconds:8.3f} s ({seconds / n * 1e9:5.0f} ns a row){ratio}")

    print("one policy:")
    line("frames.transactions (validation)", t_check)
    line("settle_all(LADDER, frame)", t_ladder)
    line("plain pyarrow ladder (no checks, models)", t_plain)
    print("programmes (settle_program_all) and, timed in turn, settle_all of each policy:")
    for program in programs():
        for source, data in (("table", table), ("frame", frame)):
            took: list[float] = []
            alone: list[float] = []
            for _ in range(r):  # in turn, so that both see the same load on a shared machine
                out: Any = None  # each timing starts with no earlier result alive
                singles: Any = None
                gc.collect()
                start = time.perf_counter()
                out = settle_program_all(program, data, YEAR)
                took.append(time.perf_counter() - start)
                if program.stacking is Stacking.ADD:
                    by_partner = {p: s.amount.amount for p, s in out.items()}
                out = None
                gc.collect()
                start = time.perf_counter()
                singles = [settle_all(p, data, YEAR) for p in program.policies]
                alone.append(time.perf_counter() - start)
                if program.stacking is Stacking.ADD:
                    for pid, amount in by_partner.items():
                        expected = sum(
                            (one[pid].result.amount.amount for one in singles if pid in one),
                            Decimal(0),
                        )
                        assert amount == expected, pid
            line(f"{program.stacking.value:<8} from a {source}", min(took), min(alone))
        print(f"    (from a frame: {min(took) / t_plain:.1f}x the plain pyarrow ladder)")


if __name__ == "__main__":
    main()
