"""Benchmark: the conflict detectors against a hand-written baseline of the same checks.

Usage: ``python benchmarks/conflicts.py`` (100,000 then 1,000,000 transactions with 10,000 then
100,000 deal registrations) or ``python benchmarks/conflicts.py --quick`` (10,000 then 100,000
transactions with 1,000 then 10,000 registrations).

The data is built with a fixed seed. To build a million transactions in seconds rather than
minutes, the script creates them with ``Transaction.model_construct`` (no validation) from pools
of pre-built, valid ``Money`` prices and amounts, dates and ids: the detectors read them exactly
as they read validated transactions, and building them is not what is measured.
Registrations and partners are built with validation. The built data is then frozen out of
the garbage collector's reach (``gc.freeze()``), for both sides alike, so that the timings do not
include rescans of a million long-lived objects.

Both sides do the same checks and produce the same findings: price violations per seller and
SKU (evidence, stake, deepest depth's severity), territory diversion per seller and territory
(evidence, total, holders), deal registration overlaps per later registration against the first
earlier one of another partner still open (only pending and approved count; half-open windows),
channel overlap per direct sale (the first covering registration). The baseline is plain Python
over the same objects: dictionaries, tuples and Decimals, no models built for the results. The
script checks that both agree,
prints the best of a few runs of each and their ratio, and the scaling of each detector from
the small size to the large one (10x the rows: 10x the time is linear).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import time
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from channelkit import (
    DealRegistration,
    DealStatus,
    Money,
    Partner,
    PartnerKind,
    PartnerStatus,
    Transaction,
    TransactionKind,
    detect_channel_overlap,
    detect_deal_overlaps,
    detect_price_violations,
    detect_territory_diversion,
)
from channelkit.numeric import CONTEXT

SEED = 20260925
CUR = "CNY"
SALE, RETURN, PAYMENT = TransactionKind.SALE, TransactionKind.RETURN, TransactionKind.PAYMENT
N_PARTNERS = 300
TERRITORIES = [f"R{i:03d}" for i in range(400)]
SKUS = [f"SKU{i:03d}" for i in range(100)]
START = dt.date(2025, 1, 1)
DAYS = [START + dt.timedelta(days=k) for k in range(730)]
ACTIVE = (DealStatus.PENDING, DealStatus.APPROVED)


def build_partners(rng: random.Random) -> list[Partner]:
    return [
        Partner(
            id=f"P{i:04d}",
            name=f"Partner {i}",
            kind=PartnerKind.DEALER,
            territories=frozenset(rng.sample(TERRITORIES, 2)),
            exclusive=i % 2 == 0,
            currency=CUR,
            payment_terms_days=30,
            joined=START + dt.timedelta(days=rng.randrange(0, 400)),
            status=PartnerStatus.TERMINATED if i % 37 == 0 else PartnerStatus.ACTIVE,
        )
        for i in range(N_PARTNERS)
    ]


def build_transactions(rng: random.Random, n: int, n_customers: int) -> list[Transaction]:
    """Sales (85%, a tenth of them direct), returns and payments; ~6% of sales below the floor."""
    floors = {sku: 1000 + 50 * i for i, sku in enumerate(SKUS)}
    qtys = [Decimal(q) for q in range(1, 21)]
    # pre-built Money: per SKU, 40 prices from 20% below to 20% above the floor, and the amounts
    prices = {
        sku: [Money(Decimal(f) * (80 + k) / 100, CUR) for k in range(41)]
        for sku, f in floors.items()
    }
    amounts: dict[tuple[Money, Decimal], Money] = {}
    payments = [Money(rng.randrange(1_000, 900_000), CUR) for _ in range(500)]
    pids = [f"P{i:04d}" for i in range(N_PARTNERS)]
    customers = [f"C{i:06d}" for i in range(n_customers)]
    fields = {
        "id",
        "partner_id",
        "date",
        "kind",
        "amount",
        "quantity",
        "sku",
        "unit_price",
        "territory",
        "customer_id",
    }
    construct = Transaction.model_construct
    out: list[Transaction] = []
    rand, choice = rng.random, rng.choice
    for i in range(n):
        u = rand()
        day = choice(DAYS)
        if u < 0.05:
            out.append(
                construct(
                    fields,
                    id=f"T{i:07d}",
                    partner_id=choice(pids),
                    date=day,
                    kind=PAYMENT,
                    amount=choice(payments),
                    quantity=Decimal(0),
                    sku=None,
                    unit_price=None,
                    territory=None,
                    customer_id=None,
                )
            )
            continue
        sku = choice(SKUS)
        grid = prices[sku]
        # mostly at or above the floor (index 20 is the floor), sometimes below
        price = grid[rng.randrange(0, 20)] if rand() < 0.06 else grid[rng.randrange(20, 41)]
        qty = choice(qtys)
        amount = amounts.get((price, qty))
        if amount is None:
            amount = amounts[(price, qty)] = price * qty
        out.append(
            construct(
                fields,
                id=f"T{i:07d}",
                partner_id=None if u > 0.865 else choice(pids),
                date=day,
                kind=RETURN if u < 0.15 else SALE,
                amount=amount,
                quantity=qty,
                sku=sku,
                unit_price=price,
                territory=choice(TERRITORIES) if rand() < 0.9 else None,
                customer_id=choice(customers),
            )
        )
    return out


def build_registrations(rng: random.Random, n: int, n_customers: int) -> list[DealRegistration]:
    statuses = list(DealStatus)
    out = []
    for i in range(n):
        start = START + dt.timedelta(days=rng.randrange(0, 700))
        out.append(
            DealRegistration(
                id=f"REG{i:06d}",
                partner_id=f"P{rng.randrange(N_PARTNERS):04d}",
                customer_id=f"C{rng.randrange(n_customers):06d}",
                registered=start,
                expires=start + dt.timedelta(days=rng.randrange(30, 181)),
                status=statuses[rng.randrange(4)],
            )
        )
    return out


FLOORS = {sku: Money(1000 + 50 * i, CUR) for i, sku in enumerate(SKUS)}


# -- the library, reduced to comparable answers ------------------------------------------------


def lib_price(txs: Sequence[Transaction]) -> Any:
    return {
        c.id: (c.evidence, c.amount_at_stake, c.severity.value)
        for c in detect_price_violations(txs, FLOORS, tolerance="0.02")
    }


def lib_diversion(txs: Sequence[Transaction], partners: Sequence[Partner]) -> Any:
    return {
        c.id: (c.parties, c.evidence, c.amount_at_stake)
        for c in detect_territory_diversion(txs, partners)
    }


def lib_deals(regs: Sequence[DealRegistration]) -> Any:
    return {c.id: (c.parties, c.evidence) for c in detect_deal_overlaps(regs)}


def lib_channel(txs: Sequence[Transaction], regs: Sequence[DealRegistration]) -> Any:
    return {c.id: (c.parties, c.evidence) for c in detect_channel_overlap(txs, regs)}


# -- the baseline: plain loops over the same objects -------------------------------------------


def base_price(txs: Sequence[Transaction]) -> Any:
    tol = Decimal("0.02")
    groups: dict[tuple[str, str], list[Any]] = {}
    for t in txs:
        if t.kind is not SALE or t.partner_id is None:
            continue
        floor = FLOORS.get(t.sku)  # type: ignore[arg-type]
        if floor is None:
            continue
        if t.amount.currency != floor.currency:
            raise ValueError(t.id)
        price = t.unit_price.amount  # type: ignore[union-attr]
        f = floor.amount
        depth = CONTEXT.divide(f - price, f)
        if depth > tol:
            g = groups.get((t.partner_id, t.sku))  # type: ignore[arg-type]
            if g is None:
                g = groups[(t.partner_id, t.sku)] = [[], Decimal(0), Decimal(0), t.date]  # type: ignore[index]
            g[0].append(t.id)
            g[1] = CONTEXT.add(g[1], CONTEXT.multiply(f - price, t.quantity))
            g[2] = max(g[2], depth)
            g[3] = min(g[3], t.date)
    out = {}
    for (seller, sku), (ids, stake, deepest, first) in groups.items():
        sev = (
            "low"
            if deepest < Decimal("0.05")
            else "medium"
            if deepest < Decimal("0.15")
            else "high"
            if deepest < Decimal("0.30")
            else "critical"
        )
        key = f"price_violation:{seller}:{sku}:{first.isoformat()}"
        out[key] = (tuple(ids), Money(stake.quantize(Decimal("0.01"), ROUND_HALF_UP), CUR), sev)
    return out


def base_diversion(txs: Sequence[Transaction], partners: Sequence[Partner]) -> Any:
    holders: dict[str, dict[str, dt.date]] = {}
    for p in partners:
        if p.exclusive and p.status is not PartnerStatus.TERMINATED:
            for terr in p.territories:
                holders.setdefault(terr, {})[p.id] = p.joined
    groups: dict[tuple[str, str], list[Any]] = {}
    for t in txs:
        if t.kind is not SALE or t.partner_id is None or t.territory is None:
            continue
        held = holders.get(t.territory)
        if not held or t.partner_id in held:
            continue
        against = [h for h, joined in held.items() if joined <= t.date]
        if not against:
            continue
        g = groups.get((t.partner_id, t.territory))
        if g is None:
            g = groups[(t.partner_id, t.territory)] = [[], Decimal(0), set(), t.date]
        g[0].append(t.id)
        g[1] = CONTEXT.add(g[1], t.amount.amount)
        g[2].update(against)
        g[3] = min(g[3], t.date)
    return {
        f"territory_diversion:{s}:{terr}:{first.isoformat()}": (
            (s, *sorted(hs)),
            tuple(ids),
            Money(total, CUR),
        )
        for (s, terr), (ids, total, hs, first) in groups.items()
    }


def base_deals(regs: Sequence[DealRegistration]) -> Any:
    by_customer: dict[str, list[tuple[dt.date, str, int, DealRegistration]]] = {}
    for i, r in enumerate(regs):
        if r.status in ACTIVE:
            by_customer.setdefault(r.customer_id, []).append((r.registered, r.id, i, r))
    out = {}
    for group in by_customer.values():
        group.sort(key=lambda g: (g[0], g[1]))
        for j, (start, _, i, r) in enumerate(group):
            for _, _, i0, r0 in group[:j]:  # the first earlier one of another partner still open
                if r0.expires > start and r0.partner_id != r.partner_id:
                    ev = (r0.id, r.id) if i0 < i else (r.id, r0.id)
                    out[f"deal_overlap:{r0.id}:{r.id}"] = ((r0.partner_id, r.partner_id), ev)
                    break
    return out


def base_channel(txs: Sequence[Transaction], regs: Sequence[DealRegistration]) -> Any:
    by_customer: dict[str, list[DealRegistration]] = {}
    for r in regs:
        if r.status in ACTIVE:
            by_customer.setdefault(r.customer_id, []).append(r)
    for group in by_customer.values():
        group.sort(key=lambda r: (r.registered, r.id))
    out = {}
    for t in txs:
        if t.partner_id is not None or t.kind is not SALE:
            continue
        group = by_customer.get(t.customer_id)  # type: ignore[arg-type]
        if group is None:
            continue
        for r in group:  # the first (by registered, id) covering the sale
            if r.registered > t.date:
                break
            if t.date < r.expires:
                out[f"channel_overlap:{r.id}:{t.id}"] = ((r.partner_id,), (t.id, r.id))
                break
    return out


# -- timing -------------------------------------------------------------------------------------


def best(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def run(n: int, n_regs: int, repeats: int) -> dict[str, tuple[float, float, int]]:
    rng = random.Random(SEED)
    n_customers = max(n // 20, 1)
    t0 = time.perf_counter()
    partners = build_partners(rng)
    txs = build_transactions(rng, n, n_customers)
    regs = build_registrations(rng, n_regs, n_customers)
    built = time.perf_counter() - t0
    gc.collect()
    gc.freeze()  # the built data is never garbage: keep the collector from rescanning it
    print(f"\n{n:,} transactions, {n_regs:,} registrations (built in {built:.1f} s)")
    cases: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = [
        ("price violations", lambda: lib_price(txs), lambda: base_price(txs)),
        (
            "territory diversion",
            lambda: lib_diversion(txs, partners),
            lambda: base_diversion(txs, partners),
        ),
        ("deal overlaps", lambda: lib_deals(regs), lambda: base_deals(regs)),
        ("channel overlap", lambda: lib_channel(txs, regs), lambda: base_channel(txs, regs)),
    ]
    print(f"{'detector':<22}{'found':>9}{'library s':>12}{'baseline s':>12}{'ratio':>8}")
    results = {}
    for name, lib, base in cases:
        lib_t, lib_r = best(lib, repeats)
        base_t, base_r = best(base, repeats)
        if lib_r != base_r:
            raise SystemExit(f"{name}: the library and the baseline disagree")
        results[name] = (lib_t, base_t, len(lib_r))
        print(f"{name:<22}{len(lib_r):>9,}{lib_t:>12.3f}{base_t:>12.3f}{lib_t / base_t:>7.2f}x")
    lib_total = sum(r[0] for r in results.values())
    base_total = sum(r[1] for r in results.values())
    ratio = lib_total / base_total
    print(f"{'all four':<22}{'':>9}{lib_total:>12.3f}{base_total:>12.3f}{ratio:>7.2f}x")
    results["all four"] = (lib_total, base_total, 0)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10k and 100k transactions")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each (best is kept)")
    args = parser.parse_args()
    sizes = (
        [(10_000, 1_000), (100_000, 10_000)]
        if args.quick
        else [
            (100_000, 10_000),
            (1_000_000, 100_000),
        ]
    )
    small = run(*sizes[0], args.repeats)
    large = run(*sizes[1], args.repeats)
    print(f"\nscaling from {sizes[0][0]:,} to {sizes[1][0]:,} transactions (10x: linear is 10x)")
    print(f"{'detector':<22}{'library':>10}{'baseline':>10}")
    for name in large:
        lib_x = large[name][0] / small[name][0]
        base_x = large[name][1] / small[name][1]
        print(f"{name:<22}{lib_x:>9.1f}x{base_x:>9.1f}x")


if __name__ == "__main__":
    main()
