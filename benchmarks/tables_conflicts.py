"""Benchmark: ``detect_conflicts`` from a table (issue #11), against duckdb SQL of the same rules.

1,000,000 transactions of 10,000 partners in a pyarrow table (text ids, ``date32`` dates,
``decimal128(38, 2)`` amounts and unit prices, integer quantities, SKUs, territories, customers,
a currency column; nulls in partner ids (direct sales), quantities and unit prices, SKUs,
territories and customers), with 10,000 ``Partner`` models (a few exclusive holders of a few
territories, one of them terminated), 50,000 deal registrations (``DealRegistration`` models
over 25,000 customers) and price floors for most of 500 SKUs, go through

1. ``detect_conflicts(table, partners=..., registrations=..., floors=..., tolerance=...,
   bands=...)``: the table is validated by ``frames.transactions`` (every row rule, unique ids)
   inside the call, each detector picks in columns the rows it may act on and runs its loop
   over those rows as models; deal overlaps read the registrations only. The same call from a
   frame built beforehand (``frames.transactions(table)``, timed on its own), and the model path
   (``Transaction`` models built from the rows, then ``detect_conflicts``) once;
2. duckdb SQL over the same Arrow table (and small Arrow tables of floors, exclusive holders and
   registrations) computing the same findings of the three detectors that read transactions:
   price violations per seller and SKU (price below ``floor x (1 - tolerance)``, the unit price
   or ``amount / quantity`` compared exactly as ``amount < threshold x quantity``, severity from
   the deepest depth by the bands, stake ``(floor - price) x quantity`` or
   ``floor x quantity - amount``), territory diversion per seller and territory (holders who
   joined by a sale's day are named; a holder never diverts), channel overlap per direct sale
   (the first covering registration by ``registered`` then id, windows half-open). "raw" is
   those queries alone (no checks, no result models); "checked" first runs, as SQL aggregates
   over the table, the row rules and unique-id check of ``frames.transactions`` (ids present and
   not blank, kind in its set, amount present, positive and below 10**15, currency present and
   known, quantity and unit price not negative and below 10**15, no duplicate id): the price of
   validation.

Every path must give the same findings: per detector the same conflict ids (cause and key ids),
parties, severity, detected day, stake (exactly) and evidence. Run:
``python benchmarks/tables_conflicts.py`` (``--quick`` for a tenth). Each table and SQL figure
is the best of ``--repeat`` runs; the model path runs once. The issue's target: the table path
within 5x of duckdb.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from channelkit import (
    DEFAULT_BANDS,
    Conflict,
    ConflictCause,
    DealRegistration,
    DealStatus,
    Money,
    Partner,
    PartnerKind,
    PartnerStatus,
    Severity,
    Transaction,
    detect_conflicts,
    detect_deal_overlaps,
)
from channelkit.currencies import CURRENCIES
from channelkit.frames import transactions
from channelkit.transactions import WHITE_SPACE

SEED = 11
CUR = "CNY"
TOLERANCE = Decimal("0.02")
BANDS = DEFAULT_BANDS
SKUS = 500  # every tenth SKU has no floor
TERRITORIES = [f"T{i:03d}" for i in range(500)]
HELD = TERRITORIES[::61][:8]  # held exclusively by one to three partners each
BELOW = 0.01  # the share of sales priced below the floor (most beyond the tolerance)
DIRECT = 0.08  # the share of rows without a partner: the vendor's direct sales
REGISTRATIONS = 50_000  # per 1,000,000 transactions, over a pool of customers
POOL = 25_000
CUSTOMERS = 200_000
START = np.datetime64("2026-01-01")
SEVERITIES = (Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL)
MONEY = pa.decimal128(38, 2)


def _money_column(cents: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """Integer cents as ``decimal128(38, 2)``, exactly (cents x 0.01, in decimal arithmetic)."""
    whole = pc.cast(pa.array(cents, mask=mask), pa.decimal128(20, 0))
    return pc.cast(pc.multiply(whole, pa.scalar(Decimal("0.01"), pa.decimal128(3, 2))), MONEY)


def make_floors(rng: np.random.Generator) -> tuple[np.ndarray, dict[str, Money]]:
    """Each SKU's floor in whole yuan (as cents); every tenth SKU has none."""
    cents = rng.integers(50, 5_000, SKUS) * 100
    floors = {
        f"S{i:03d}": Money(Decimal(int(c)) / 100, CUR) for i, c in enumerate(cents) if i % 10 != 9
    }
    return cents, floors


def make_table(
    rng: np.random.Generator, n: int, partners: int, customers: int, floor_cents: np.ndarray
) -> pa.Table:
    kinds = np.array(["sale", "return", "payment"], dtype=object)
    kind = rng.choice(3, n, p=[0.6, 0.2, 0.2])
    payment = kind == 2
    sku = rng.integers(0, SKUS, n)
    below = rng.random(n) < BELOW
    factor = np.where(below, rng.uniform(0.55, 0.999, n), rng.uniform(1.0, 1.4, n))
    price = np.rint(floor_cents[sku] * factor).astype(np.int64)
    quantity = rng.integers(1, 50, n)
    amount = np.where(payment, rng.integers(1, 10_000_000, n), price * quantity)
    partner = rng.integers(0, partners, n)
    customer = rng.integers(0, customers, n)
    territory = rng.integers(0, len(TERRITORIES), n)
    names = np.array(TERRITORIES, dtype=object)
    return pa.table(
        {
            "id": pa.array([f"T{i:08d}" for i in range(n)]),
            "partner_id": pa.array(
                [f"P{p:05d}" for p in partner], mask=rng.random(n) < DIRECT, type=pa.string()
            ),
            "date": pa.array(START + rng.integers(0, 365, n).astype("timedelta64[D]")).cast(
                pa.date32()
            ),
            "kind": pa.array(kinds[kind], pa.string()),
            "amount": _money_column(amount),
            "quantity": pa.array(quantity, mask=payment),
            "sku": pa.array(
                [f"S{s:03d}" for s in sku],
                mask=payment | (rng.random(n) < 0.02),
                type=pa.string(),
            ),
            "unit_price": _money_column(price, payment | (rng.random(n) < 0.1)),
            "territory": pa.array(names[territory], mask=rng.random(n) < 0.1, type=pa.string()),
            "customer_id": pa.array(
                [f"C{c}" for c in customer], mask=rng.random(n) < 0.2, type=pa.string()
            ),
            "currency": pa.array([CUR] * n),
        }
    )


def make_partners(rng: np.random.Generator, partners: int) -> list[Partner]:
    """``partners`` partners: the first few hold ``HELD`` exclusively (one to three each)."""
    holds: dict[int, set[str]] = {}
    first = 0
    for territory in HELD:
        count = int(rng.integers(1, 4))
        for k in range(count):
            holds.setdefault(first + k, set()).add(territory)
        first += count - 1  # a territory's last holder also holds the next one
    first += 1
    base = dt.date(2025, 9, 1)
    out = []
    for i in range(partners):
        exclusive = i < first
        home = TERRITORIES[int(rng.integers(0, len(TERRITORIES)))]
        out.append(
            Partner(
                id=f"P{i:05d}",
                name=f"Partner {i}",
                kind=PartnerKind.DISTRIBUTOR if exclusive else PartnerKind.DEALER,
                territories=frozenset(holds[i]) if exclusive else frozenset({home}),
                exclusive=exclusive,
                currency=CUR,
                payment_terms_days=30,
                # holders join from 2025-09 on: a sale before every holder of its territory
                # joined is no diversion, one before some joined names only the others
                joined=base + dt.timedelta(days=int(rng.integers(0, 360 if exclusive else 850))),
                status=PartnerStatus.TERMINATED if i == 2 else PartnerStatus.ACTIVE,
            )
        )
    return out


def make_registrations(
    rng: np.random.Generator, count: int, partners: int, pool: int, customers: int
) -> list[DealRegistration]:
    statuses = list(DealStatus)  # pending, approved, rejected, expired
    who = rng.choice(customers, pool, replace=False)
    status = rng.choice(4, count, p=[0.3, 0.5, 0.1, 0.1])
    start = dt.date(2025, 10, 1)
    out = []
    for i in range(count):
        registered = start + dt.timedelta(days=int(rng.integers(0, 440)))
        out.append(
            DealRegistration(
                id=f"R{i:06d}",
                partner_id=f"P{int(rng.integers(0, partners)):05d}",
                customer_id=f"C{who[int(rng.integers(0, pool))]}",
                registered=registered,
                expires=registered + dt.timedelta(days=int(rng.integers(30, 181))),
                status=statuses[int(status[i])],
            )
        )
    return out


# -- duckdb ---------------------------------------------------------------------------------------


def _side_tables(
    partners: Sequence[Partner], registrations: Sequence[DealRegistration], floors: dict[str, Money]
) -> dict[str, pa.Table]:
    """The SQL's other inputs: floors with their thresholds, exclusive holders, registrations."""
    skus = sorted(floors)
    low = pa.decimal128(18, 4)

    def times(share: Decimal) -> pa.Array:
        return pa.array([floors[s].amount * (1 - share) for s in skus], low)

    floor_table = pa.table(
        {
            "sku": pa.array(skus),
            "floor": pa.array([floors[s].amount for s in skus], pa.decimal128(18, 2)),
            "threshold": times(TOLERANCE),  # prices strictly below violate
            "b1": times(BANDS[0]),  # prices at or below: depth at least bands[0], MEDIUM
            "b2": times(BANDS[1]),
            "b3": times(BANDS[2]),
        }
    )
    held = [
        (t, p.id, p.joined)
        for p in partners
        if p.exclusive and p.status is not PartnerStatus.TERMINATED
        for t in sorted(p.territories)
    ]
    holders = pa.table(
        {
            "territory": pa.array([h[0] for h in held], pa.string()),
            "pid": pa.array([h[1] for h in held], pa.string()),
            "joined": pa.array([h[2] for h in held], pa.date32()),
        }
    )
    regs = pa.table(
        {
            "id": [r.id for r in registrations],
            "partner_id": [r.partner_id for r in registrations],
            "customer_id": [r.customer_id for r in registrations],
            "registered": pa.array([r.registered for r in registrations], pa.date32()),
            "expires": pa.array([r.expires for r in registrations], pa.date32()),
            "status": [r.status.value for r in registrations],
        }
    )
    return {"floors": floor_table, "holders": holders, "regs": regs}


PRICE_SQL = """
with rows as (
    select s.id, s.partner_id, s.sku, s.date, s.amount::decimal(18, 2) as amount,
           coalesce(s.quantity, 0) as qty, s.unit_price::decimal(18, 2) as price,
           f.floor, f.threshold, f.b1, f.b2, f.b3
    from source s join floors f on s.sku = f.sku
    where s.kind = 'sale' and s.partner_id is not null
), bad as (
    select *,
        case when price is not null
             then case when price <= b3 then 3 when price <= b2 then 2
                       when price <= b1 then 1 else 0 end
             else case when amount <= b3 * qty then 3 when amount <= b2 * qty then 2
                       when amount <= b1 * qty then 1 else 0 end
        end as level,
        case when price is null then floor * qty - amount else (floor - price) * qty end as lost
    from rows
    where (price is not null and price < threshold)
       or (price is null and qty > 0 and amount < threshold * qty)
)
select partner_id, sku, min(date), max(level), sum(lost), list(id order by id)
from bad group by partner_id, sku
"""

DIVERSION_SQL = """
with diverted as (
    select s.id, s.partner_id, s.territory, s.date, s.amount
    from source s
    where s.kind = 'sale' and s.partner_id is not null
      and exists (select 1 from holders h where h.territory = s.territory and h.joined <= s.date)
      and not exists (
          select 1 from holders h where h.territory = s.territory and h.pid = s.partner_id)
), groups as (
    select partner_id, territory, min(date) as first, max(date) as last, sum(amount) as total,
           list(id order by id) as ids
    from diverted group by partner_id, territory
)
select g.partner_id, g.territory, g.first, g.total, g.ids,
       (select list(h.pid order by h.pid) from holders h
        where h.territory = g.territory and h.joined <= g.last) as named
from groups g
"""

CHANNEL_SQL = """
select s.id, s.date, s.amount, r.id, r.partner_id
from source s join regs r
  on r.customer_id = s.customer_id and r.registered <= s.date and s.date < r.expires
where s.kind = 'sale' and s.partner_id is null and r.status in ('pending', 'approved')
qualify row_number() over (partition by s.id order by r.registered, r.id) = 1
"""


def _re2_class(chars: str) -> str:
    """A regex class body of Python characters (ranges kept) in RE2's ASCII ``\\x{..}`` form."""
    return "".join(c if c == "-" else f"\\x{{{ord(c):04x}}}" for c in chars)


def _checks_sql() -> str:
    """One row of counts of the rows breaking each rule ``frames.transactions`` checks here."""
    text = "[^" + _re2_class(WHITE_SPACE) + "]"
    codes = ", ".join(f"'{c}'" for c in sorted(CURRENCIES))

    def blank(col: str) -> str:
        return f"{col} is not null and not regexp_matches({col}, '{text}')"

    rules = [
        "id is null",
        *(blank(c) for c in ("id", "partner_id", "sku", "territory", "customer_id")),
        "date is null",
        "date < DATE '0001-01-01' or date > DATE '9999-12-31'",
        "kind is null",
        "kind not in ('sale', 'return', 'payment')",
        "amount is null",
        "abs(amount) >= 1e15::decimal(16, 0)",
        "amount <= 0",
        "currency is null",
        f"currency not in ({codes})",
        "abs(quantity) >= 1000000000000000",
        "quantity < 0",
        "abs(unit_price) >= 1e15::decimal(16, 0)",
        "unit_price < 0",
    ]
    counts = ",\n       ".join(f"count(*) filter (where {r})" for r in rules)
    return f"select {counts},\n       count(*) - count(distinct id)\nfrom source"


CHECKS_SQL = _checks_sql()

Finding = tuple[tuple[str, ...], str, dt.date, Decimal | None, tuple[str, ...]]
Findings = dict[str, dict[str, Finding]]


def duckdb_conflicts(con: duckdb.DuckDBPyConnection, *, checked: bool) -> Findings:
    """The findings of the three transaction detectors, by cause and conflict id, from SQL."""
    if checked:
        counts = con.sql(CHECKS_SQL).fetchall()[0]
        if any(counts):  # the library raises FrameError for such rows
            raise ValueError(f"rows break a rule: {counts}")
    price: dict[str, Finding] = {}
    for seller, sku, first, level, lost, ids in con.sql(PRICE_SQL).fetchall():
        key = f"price_violation:{seller}:{sku}:{first.isoformat()}"
        price[key] = ((seller,), SEVERITIES[level].value, first, lost, tuple(ids))
    diversion: dict[str, Finding] = {}
    for seller, territory, first, total, ids, named in con.sql(DIVERSION_SQL).fetchall():
        key = f"territory_diversion:{seller}:{territory}:{first.isoformat()}"
        diversion[key] = ((seller, *named), "high", first, total, tuple(ids))
    channel: dict[str, Finding] = {}
    for sale, day, amount, reg, partner in con.sql(CHANNEL_SQL).fetchall():
        channel[f"channel_overlap:{reg}:{sale}"] = ((partner,), "high", day, amount, (sale, reg))
    return {"price_violation": price, "territory_diversion": diversion, "channel_overlap": channel}


def library_findings(found: Sequence[Conflict]) -> Findings:
    """The same view of the library's findings (deal overlaps have no SQL side)."""
    out: Findings = {c.value: {} for c in ConflictCause}
    for c in found:
        stake = None if c.amount_at_stake is None else c.amount_at_stake.amount
        out[c.cause.value][c.id] = (c.parties, c.severity.value, c.detected, stake, c.evidence)
    return out


# -- the model path -------------------------------------------------------------------------------


def models(table: pa.Table) -> list[Transaction]:
    """``Transaction`` models built and validated from the rows, as a caller would."""
    out = []
    for row in table.to_pylist():
        cur = row.pop("currency")
        row["amount"] = Money(row["amount"], cur)
        if row["unit_price"] is not None:
            row["unit_price"] = Money(row["unit_price"], cur)
        if row["quantity"] is None:
            del row["quantity"]  # a payment: no units
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
    parser.add_argument("--repeat", type=int, default=3, help="runs of each columnar figure")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    n, n_partners = 1_000_000 // scale, 10_000 // scale
    n_regs, pool, customers = REGISTRATIONS // scale, POOL // scale, CUSTOMERS // scale
    rng = np.random.default_rng(SEED)
    floor_cents, floors = make_floors(rng)
    table = make_table(rng, n, n_partners, customers, floor_cents)
    partners = make_partners(rng, n_partners)
    registrations = make_registrations(rng, n_regs, n_partners, pool, customers)
    held = sum(p.exclusive for p in partners)
    print(
        f"{n:,} transactions, {n_partners:,} partners ({held} exclusive holders of "
        f"{len(HELD)} territories), {n_regs:,} registrations, {len(floors)} floors; "
        f"{table.nbytes / 2**20:.0f} MiB of Arrow"
    )
    r = args.repeat
    options: dict[str, Any] = {
        "partners": partners,
        "registrations": registrations,
        "floors": floors,
        "tolerance": TOLERANCE,
        "bands": BANDS,
    }

    t_table, found = best(lambda: detect_conflicts(table, **options), r)
    t_check, frame = best(lambda: transactions(table), r)
    t_frame, by_frame = best(lambda: detect_conflicts(frame, **options), r)
    t_deals, deals = best(lambda: detect_deal_overlaps(registrations), r)
    assert by_frame == found

    con = duckdb.connect()
    con.register("source", table)
    for name, side in _side_tables(partners, registrations, floors).items():
        con.register(name, side)
    t_raw, by_sql = best(lambda: duckdb_conflicts(con, checked=False), r)
    t_checks, _ = best(lambda: con.sql(CHECKS_SQL).fetchall()[0], r)
    t_checked, by_checked = best(lambda: duckdb_conflicts(con, checked=True), r)
    assert by_checked == by_sql

    mine = library_findings(found)
    for cause, expected in by_sql.items():
        assert mine[cause].keys() == expected.keys(), cause
        assert mine[cause] == expected, cause
    assert len(mine["deal_overlap"]) == len(deals)

    start = time.perf_counter()
    rows_as_models = models(table)
    t_models = time.perf_counter() - start
    start = time.perf_counter()
    by_models = detect_conflicts(rows_as_models, **options)
    t_detect_m = time.perf_counter() - start
    assert by_models == found

    print("findings: " + ", ".join(f"{c} {len(v):,}" for c, v in mine.items() if v))

    def line(name: str, seconds: float) -> None:
        print(f"  {name:<50} {seconds:8.3f} s  ({seconds / n * 1e9:6.0f} ns a row)")

    line("table -> detect_conflicts (validation included)", t_table)
    line("  of which frames.transactions", t_check)
    line("  of which detect_deal_overlaps (no SQL side)", t_deals)
    line("  detect_conflicts(frame)", t_frame)
    line("duckdb SQL raw (3 detectors, no checks)", t_raw)
    line("  row checks and unique ids alone", t_checks)
    line("duckdb SQL checked (checks, then 3 detectors)", t_checked)
    line("models: build 1 Transaction a row", t_models)
    line("models: detect_conflicts(models)", t_detect_m)
    print("ratios:")
    print(f"  table / duckdb raw                   {t_table / t_raw:8.2f}x")
    print(f"  table / duckdb checked               {t_table / t_checked:8.2f}x")
    print(f"  frame / duckdb raw                   {t_frame / t_raw:8.2f}x")
    print(f"  table less deal overlaps / raw       {(t_table - t_deals) / t_raw:8.2f}x")
    print(f"  models end to end / table            {(t_models + t_detect_m) / t_table:8.2f}x")
    verdict = "within" if t_table <= 5 * t_raw else "ABOVE"
    print(f"issue #11 target: table within 5x of duckdb (raw): {verdict}")


if __name__ == "__main__":
    main()
