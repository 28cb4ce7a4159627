"""Benchmark: the cost of channelkit's validation (issue #2).

1. Validating 100,000 partner dicts into ``Partner`` versus an equivalent plain pydantic model with
   the same field types and no custom validation (target: at most 1.5x). In the plain model a credit
   limit is a nested plain model of ``(Decimal, str)``; ``Partner`` checks the currency code, the
   float guard and bounds, and the limit's currency against the partner's.
2. Constructing 1,000,000 ``Money`` values versus ``Decimal(str)`` (the ratio is reported).

Run: ``python benchmarks/validation.py`` (``--quick`` for a tenth of the sizes). Each figure is
the best of five repeats (three for Money), the library and its baseline interleaved so that a
change in machine load hits both; ratios are library time / baseline time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from collections.abc import Callable
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from channelkit import Money, Partner, PartnerKind, PartnerStatus


class PlainMoney(BaseModel):
    amount: Decimal
    currency: str


class PlainPartner(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    kind: PartnerKind
    tier: str | None = None
    parent_id: str | None = None
    territories: frozenset[str] = frozenset()
    exclusive: bool = False
    currency: str
    credit_limit: PlainMoney | None = None
    payment_terms_days: int
    joined: dt.date
    status: PartnerStatus = PartnerStatus.ACTIVE


def partner_dicts(n: int, seed: int = 7) -> list[dict[str, object]]:
    rng = random.Random(seed)
    kinds = [k.value for k in PartnerKind]
    out: list[dict[str, object]] = []
    for i in range(n):
        out.append(
            {
                "id": f"P{i:06d}",
                "name": f"Partner {i}",
                "kind": rng.choice(kinds),
                "tier": rng.choice([None, "GOLD", "SILVER"]),
                "parent_id": None if i % 5 else f"P{i // 5:06d}x",
                "territories": [rng.choice("NSEW"), rng.choice("NSEW")],
                "exclusive": bool(i % 2),
                "currency": "CNY",
                "credit_limit": {"amount": str(rng.randrange(0, 10**6)), "currency": "CNY"},
                "payment_terms_days": rng.randrange(0, 90),
                "joined": "2024-01-15",
            }
        )
    return out


def best_pair(
    ours: Callable[[], object], baseline: Callable[[], object], repeats: int = 5
) -> tuple[float, float]:
    """Best time of each, the two interleaved so that a change in machine load hits both."""
    t_ours, t_base = [], []
    for _ in range(repeats):
        for fn, times in ((ours, t_ours), (baseline, t_base)):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return min(t_ours), min(t_base)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    args = parser.parse_args()
    scale = 10 if args.quick else 1

    n = 100_000 // scale
    dicts = partner_dicts(n)
    ours = [Partner.model_validate(d) for d in dicts]
    plain = [PlainPartner.model_validate(d) for d in dicts]
    assert [p.id for p in ours] == [p.id for p in plain]
    assert all(
        p.credit_limit is not None
        and q.credit_limit is not None
        and p.credit_limit.amount == q.credit_limit.amount
        for p, q in zip(ours, plain, strict=True)
    )
    t_ours, t_plain = best_pair(
        lambda: [Partner.model_validate(d) for d in dicts],
        lambda: [PlainPartner.model_validate(d) for d in dicts],
    )
    print(f"Partner validation, {n:,} dicts")
    print(f"  channelkit Partner     {t_ours:8.3f} s  ({t_ours / n * 1e6:6.2f} us each)")
    print(f"  plain pydantic model   {t_plain:8.3f} s  ({t_plain / n * 1e6:6.2f} us each)")
    print(f"  ratio                  {t_ours / t_plain:8.2f}x  (target <= 1.5x)")

    m = 1_000_000 // scale
    texts = [f"{i % 100_000}.{i % 100:02d}" for i in range(m)]
    assert Money(texts[5], "CNY").amount == Decimal(texts[5])
    t_money, t_dec = best_pair(
        lambda: [Money(s, "CNY") for s in texts], lambda: [Decimal(s) for s in texts], repeats=3
    )
    print(f"\nMoney construction, {m:,} values from str")
    print(f"  Money(str, 'CNY')      {t_money:8.3f} s  ({t_money / m * 1e9:6.0f} ns each)")
    print(f"  Decimal(str)           {t_dec:8.3f} s  ({t_dec / m * 1e9:6.0f} ns each)")
    print(f"  ratio                  {t_money / t_dec:8.2f}x")


if __name__ == "__main__":
    main()
