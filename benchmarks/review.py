"""Benchmark: ``review`` against a hand-written one-pass aggregation of the same figures.

Usage: ``python benchmarks/review.py`` (1,000,000 transactions for 10,000 partners) or
``python benchmarks/review.py --quick`` (100,000 for 1,000).

The data is built with a fixed seed. To build a million transactions in seconds rather than
minutes, the script creates them with ``Transaction.model_construct`` (no validation) from a
small pool of pre-built, valid ``Money`` amounts, dates, quantities and ids: the review reads
them exactly as it reads validated transactions, and building them is not what is measured.

Both sides compute, in one pass: per partner, per territory, for the total and by kind the
gross sales, returns, net sales, collections, net units, orders and distinct customers; the
prior period's net sales per partner and territory; then growth, shares, attainment,
collection and return rates, average order, coverage, top-N share, HHI and laggards. The script
checks that both agree, then prints the best of a few runs of each, the ratio (target: at most
2x) and the time per million transactions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from channelkit import Money, Partner, PartnerKind, Period, Transaction, TransactionKind, review
from channelkit.numeric import CONTEXT

SEED = 20260701
CUR = "CNY"
PERIOD = Period.quarter(2026, 3)
PRIOR = Period.quarter(2025, 3)
TERRITORIES = [f"R{i:02d}" for i in range(60)]
SALE, RETURN, PAYMENT = TransactionKind.SALE, TransactionKind.RETURN, TransactionKind.PAYMENT


def build(n: int, n_partners: int) -> tuple[list[Transaction], list[Partner], dict[str, int]]:
    """Transactions (70% in the period, 25% in the prior, 5% outside), partners, targets."""
    rng = random.Random(SEED)
    pids = [f"P{i:05d}" for i in range(n_partners)]
    kinds = list(PartnerKind)
    partners = [
        Partner(
            id=pid,
            name=f"Partner {pid}",
            kind=kinds[i % len(kinds)],
            territories=frozenset(rng.sample(TERRITORIES[:50], 2)),
            currency=CUR,
            payment_terms_days=30,
            joined=dt.date(2020 + i % 7, 1 + i % 12, 1),
        )
        for i, pid in enumerate(pids)
    ]
    targets = {pid: rng.randrange(10_000, 2_000_000) for pid in pids[::2]}
    amounts = [Money(Decimal(rng.randrange(100, 5_000_000)) / 100, CUR) for _ in range(2_000)]
    quantities = [Decimal(q) for q in range(1, 50)]

    def days(p: Period) -> list[dt.date]:
        return [p.start + dt.timedelta(days=k) for k in range(p.days)]

    in_period, in_prior = days(PERIOD), days(PRIOR)
    outside = days(Period.quarter(2026, 1))
    customers = [f"C{i:06d}" for i in range(100_000)]
    fields = {
        "id",
        "partner_id",
        "date",
        "kind",
        "amount",
        "quantity",
        "territory",
        "customer_id",
    }
    construct = Transaction.model_construct
    txs: list[Transaction] = []
    for i in range(n):
        u = rng.random()
        day = rng.choice(in_period if u < 0.70 else in_prior if u < 0.95 else outside)
        k = rng.random()
        kind = SALE if k < 0.8 else RETURN if k < 0.9 else PAYMENT
        pid = None if rng.random() < 0.1 else rng.choice(pids)
        txs.append(
            construct(
                _fields_set=fields,
                id=f"T{i}",
                partner_id=pid,
                date=day,
                kind=kind,
                amount=rng.choice(amounts),
                quantity=Decimal(0) if kind is PAYMENT else rng.choice(quantities),
                sku=None,
                unit_price=None,
                territory=None if kind is PAYMENT else rng.choice(TERRITORIES),
                customer_id=rng.choice(customers) if kind is SALE else None,
            )
        )
    return txs, partners, targets


def baseline(
    txs: Sequence[Transaction],
    partners: Sequence[Partner],
    targets: dict[str, int],
    top: int = 5,
    below: Decimal = Decimal("0.8"),
) -> dict[str, Any]:
    """A plain one-pass aggregation of the review's figures, written as a user would by hand."""
    zero = Decimal(0)
    ps, pe, qs, qe = PERIOD.start, PERIOD.end, PRIOR.start, PRIOR.end
    part: dict[str | None, list[Any]] = {}
    terr: dict[str, list[Any]] = {}
    sold_in: set[str] = set()
    prior_p: dict[str | None, Decimal] = {}
    prior_t: dict[str, Decimal] = {}
    with localcontext(CONTEXT):
        for t in txs:
            d = t.date
            if ps <= d < pe:
                a = t.amount.amount
                pid = t.partner_id
                row = part.get(pid)
                if row is None:
                    row = part[pid] = [zero, zero, zero, zero, 0, set()]
                if t.kind is PAYMENT:
                    row[2] += a
                    continue
                key = t.territory or ""
                g = terr.get(key)
                if g is None:
                    g = terr[key] = [zero, zero, zero, zero, 0, set()]
                if t.kind is SALE:
                    row[0] += a
                    row[3] += t.quantity
                    row[4] += 1
                    g[0] += a
                    g[3] += t.quantity
                    g[4] += 1
                    if t.customer_id is not None:
                        row[5].add(t.customer_id)
                        g[5].add(t.customer_id)
                    if pid is not None:
                        sold_in.add(key)
                else:
                    row[1] += a
                    row[3] -= t.quantity
                    g[1] += a
                    g[3] -= t.quantity
            elif qs <= d < qe and t.kind is not PAYMENT:
                a = t.amount.amount if t.kind is SALE else -t.amount.amount
                prior_p[t.partner_id] = prior_p.get(t.partner_id, zero) + a
                key = t.territory or ""
                prior_t[key] = prior_t.get(key, zero) + a

        def net(r: list[Any]) -> Decimal:
            return r[0] - r[1]

        total_net = sum((net(r) for r in part.values()), zero)
        indirect_net = sum((net(r) for p, r in part.items() if p is not None), zero)
        customers: set[str] = set()
        for r in part.values():
            customers |= r[5]
        kind_of = {p.id: p.kind for p in partners}
        empty = [zero, zero, zero, zero, 0, set()]
        ids = {p for p in part if p is not None} | kind_of.keys() | targets.keys()
        rows = []
        for pid in ids:
            r = part.get(pid, empty)
            n = net(r)
            prior = prior_p.get(pid, zero)
            goal = Decimal(targets[pid]) if pid in targets else None
            rows.append(
                {
                    "partner_id": pid,
                    "net_sales": n,
                    "customers": len(r[5]),
                    "growth": (n - prior) / prior if prior > 0 else None,
                    "share": n / indirect_net if indirect_net > 0 else None,
                    "attainment": n / goal if goal else None,
                    "collection_rate": r[2] / n if n > 0 else None,
                    "return_rate": r[1] / r[0] if r[0] > 0 else None,
                    "average_order": (r[0] / r[4]).quantize(Decimal("0.01"), ROUND_HALF_UP)
                    if r[4]
                    else None,
                }
            )
        rows.sort(key=lambda x: (-x["net_sales"], x["partner_id"]))
        territories = sorted(
            ((k, net(g), net(g) / total_net, len(g[5])) for k, g in terr.items()),
            key=lambda x: (-x[1], x[0]),
        )
        by_kind: dict[str, Decimal] = {}
        for pid, kind in kind_of.items():
            by_kind[kind.value] = by_kind.get(kind.value, zero) + (
                net(part[pid]) if pid in part else zero
            )
        counted = [max(r["net_sales"], zero) for r in rows]
        whole = sum(counted, zero)
        hhi = sum(((100 * c / whole) ** 2 for c in counted if c), zero)
        to_cover = {t for p in partners for t in p.territories}
        return {
            "total_net": total_net,
            "customers": len(customers),
            "rows": rows,
            "territories": territories,
            "kinds": by_kind,
            "top_share": sum(counted[:top], zero) / whole,
            "hhi": hhi,
            "coverage": len(to_cover & sold_in) / Decimal(len(to_cover)),
            "laggards": [
                r["partner_id"]
                for r in rows
                if r["attainment"] is not None and r["attainment"] < below
            ],
        }


def check(lib: Any, base: dict[str, Any]) -> None:
    """Both sides agree on every figure compared (ratios to 30 significant digits)."""

    def close(a: Decimal | None, b: Decimal | None) -> bool:
        return a == b or (
            a is not None and b is not None and abs(a - b) <= abs(b) * Decimal("1e-30")
        )

    assert lib.total.net_sales.amount == base["total_net"]
    assert lib.total.customers == base["customers"]
    assert len(lib.partners) == len(base["rows"])
    for row, b in zip(lib.partners, base["rows"], strict=True):
        assert row.partner_id == b["partner_id"]
        assert row.figures.net_sales.amount == b["net_sales"]
        assert row.figures.customers == b["customers"]
        for name in ("growth", "share", "attainment", "collection_rate", "return_rate"):
            assert close(getattr(row, name), b[name]), (row.partner_id, name)
        assert (row.average_order and row.average_order.amount) == b["average_order"]
    assert [(g.key, g.figures.net_sales.amount) for g in lib.territories] == [
        (k, n) for k, n, _, _ in base["territories"]
    ]
    assert {g.key: g.figures.net_sales.amount for g in lib.kinds} == base["kinds"]
    assert close(lib.concentration.top_share, base["top_share"])
    assert close(lib.concentration.hhi, base["hhi"])
    assert close(lib.coverage.coverage_rate, base["coverage"])
    assert list(lib.laggards) == base["laggards"]


def best(fn: Any, repeats: int) -> tuple[float, float, Any]:
    """Best wall-clock (``perf_counter``) and CPU (``process_time``) time of ``repeats`` runs.

    The CPU time is printed too because the machines this runs on are often shared: another
    process stretches the wall-clock time of either side, not its CPU time.
    """
    walls, cpus, out = [], [], None
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        out = fn()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return min(walls), min(cpus), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 transactions, 1,000 partners")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    n, n_partners = (100_000, 1_000) if args.quick else (1_000_000, 10_000)
    start = time.perf_counter()
    txs, partners, targets = build(n, n_partners)
    built = time.perf_counter() - start
    print(f"built {n:,} transactions for {n_partners:,} partners in {built:.1f} s")

    def lib() -> Any:
        return review(txs, PERIOD, partners=partners, prior=PRIOR, targets=targets)

    w_lib, c_lib, result = best(lib, args.repeats)
    w_base, c_base, expected = best(lambda: baseline(txs, partners, targets), args.repeats)
    check(result, expected)
    print(f"best of {args.repeats}      wall clock    CPU time")
    print(f"review:         {w_lib:8.3f} s  {c_lib:8.3f} s")
    print(f"baseline:       {w_base:8.3f} s  {c_base:8.3f} s")
    print(f"ratio:          {w_lib / w_base:8.2f} x  {c_lib / c_base:8.2f} x   (target <= 2x)")
    scale = 1_000_000 / n
    print(f"per million:    {w_lib * scale:8.3f} s  {c_lib * scale:8.3f} s   (review)")
    print("results agree")


if __name__ == "__main__":
    main()
