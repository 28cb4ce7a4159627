"""Benchmark: the cost of channelkit's validation (issue #2).

1. Validating 100,000 partner dicts into ``Partner`` versus an equivalent plain pydantic model with
   the same field types and no custom validation (target: at most 1.5x). In the plain model a credit
   limit is a nested plain model of ``(Decimal, str)``; ``Partner`` checks the currency code, the
   float guard and bounds, and the limit's currency against the partner's.
2. Constructing 1,000,000 ``Money`` values versus ``Decimal(str)`` (the ratio is reported).
3. ``to_decimal``, the guard every number passes, on 1,000,000 ``Decimal`` and ``str`` inputs:
   today's version against the version before issue #10 (written out below as ``before_to_decimal``:
   it counted digits with ``Decimal.as_tuple()`` on every ``Decimal``) and against plain
   ``Decimal(str)``; then building 100,000 ``Transaction`` values (two ``Money`` and a quantity,
   all from ``Decimal``) with each version of the guard.

Run: ``python benchmarks/validation.py`` (``--quick`` for a tenth of the sizes). Each figure is
the best of five repeats (three for Money), the library and its baseline interleaved so that a
change in machine load hits both; ratios are library time / baseline time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import time
from collections import deque
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from pydantic import BaseModel, ConfigDict

import channelkit.money
from channelkit import Money, Partner, PartnerKind, PartnerStatus, Transaction, TransactionKind
from channelkit.numeric import MAX_DIGITS, MAX_MAGNITUDE, to_decimal


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
    t_ours: list[float] = []
    t_base: list[float] = []
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

    guard_rows(1_000_000 // scale)
    transaction_rows(100_000 // scale)


# -- the guard before issue #10, written out as the "before" baseline (git show 7a93e3a) ----------


def before_to_decimal(value: object, name: str = "value") -> Decimal:
    """``to_decimal`` as it was: ``Decimal.as_tuple()`` counted the digits of every Decimal."""
    tp = type(value)
    if tp is str:
        try:
            d = Decimal(value)  # type: ignore[arg-type]
        except InvalidOperation:
            msg = f"{name} is not a number: {value!r}"
            raise ValueError(msg) from None
        if len(value) <= MAX_DIGITS:  # type: ignore[arg-type]
            return _before_range(d, name)
        return _before_digits(_before_range(d, name), name)
    if tp is Decimal:
        return _before_digits(_before_range(value, name), name)  # type: ignore[arg-type]
    if tp is int:
        return _before_range(Decimal(value), name)  # type: ignore[arg-type]
    msg = f"{name} must be a Decimal, an int or a numeric str, not {tp.__name__}"
    raise TypeError(msg)


def _before_range(d: Decimal, name: str) -> Decimal:
    if not d.is_finite():
        msg = f"{name} must be finite, got {d}"
        raise ValueError(msg)
    if not d:
        return d
    adjusted = d.adjusted()
    if adjusted >= MAX_MAGNITUDE:
        msg = f"{name} is too large"
        raise ValueError(msg)
    if adjusted < -MAX_DIGITS:
        msg = f"{name} is too small to be meaningful"
        raise ValueError(msg)
    return d


def _before_digits(d: Decimal, name: str) -> Decimal:
    if len(d.as_tuple().digits) > MAX_DIGITS:
        msg = f"{name} has too many digits"
        raise ValueError(msg)
    return d


def best_of(fns: list[Callable[[], object]], repeats: int = 5) -> list[float]:
    """Best time of each of ``fns``, interleaved like ``best_pair``."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeats):
        for fn, ts in zip(fns, times, strict=True):
            start = time.perf_counter()
            fn()
            ts.append(time.perf_counter() - start)
    return [min(ts) for ts in times]


def guard_rows(n: int) -> None:
    texts = [f"{i % 100_000}.{i % 100:02d}" for i in range(n)]
    decimals = [Decimal(t) for t in texts]
    for a in (texts, decimals):
        head = a[:1000]
        assert [to_decimal(v) for v in head] == [before_to_decimal(v) for v in head]
        assert [to_decimal(v) for v in head] == decimals[:1000]
    print(f"\nto_decimal, {n:,} values (the guard every input number passes)")
    # each result is dropped at once (``drain``): keeping a million of them would time the
    # allocator and the garbage collector instead
    t_dec, t_tuple, t_len = best_of(
        [
            lambda: drain(Decimal, texts),
            lambda: drain(Decimal.as_tuple, decimals),
            lambda: drain(lambda d: len(str(d)), decimals),
        ],
        repeats=3,
    )
    print(
        f"  Decimal(str)           {t_dec:8.3f} s  ({t_dec / n * 1e9:6.0f} ns each)  the baseline"
    )
    print(f"  d.as_tuple() alone     {t_tuple:8.3f} s  ({t_tuple / n * 1e9:6.0f} ns each)")
    print(f"  len(str(d)) alone      {t_len:8.3f} s  ({t_len / n * 1e9:6.0f} ns each)")
    inputs: list[tuple[str, list[Any]]] = [("Decimal", decimals), ("str", texts)]
    for kind, values in inputs:
        t_new, t_old = best_pair(
            partial(drain, to_decimal, values), partial(drain, before_to_decimal, values), repeats=3
        )
        print(f"  {kind + ': to_decimal':22} {t_new:8.3f} s  ({t_new / n * 1e9:6.0f} ns each)")
        print(f"  {kind + ': before #10':22} {t_old:8.3f} s  ({t_old / n * 1e9:6.0f} ns each)")
        print(f"  {kind + ': after/before':22} {t_new / t_old:8.2f}x")
        print(f"  {kind + ': to Decimal(str)':22} {t_new / t_dec:8.2f}x")


def drain(fn: Callable[[Any], object], values: list[Any]) -> None:
    """Call ``fn`` on every value, keeping no result."""
    deque(map(fn, values), maxlen=0)


def transaction_rows(n: int) -> None:
    rng = random.Random(11)
    day = dt.date(2026, 7, 1)
    rows = [
        (Decimal(rng.randrange(1, 10**7)) / 100, Decimal(rng.randrange(1, 500))) for _ in range(n)
    ]

    def build() -> list[Transaction]:
        return [
            Transaction(
                id="T",
                partner_id="P",
                date=day,
                kind=TransactionKind.SALE,
                amount=Money(amount, "CNY"),
                quantity=quantity,
                unit_price=Money(amount / quantity, "CNY"),
            )
            for amount, quantity in rows
        ]

    guards = _decimal_fields(Transaction)
    new = build()

    def build_before() -> list[Transaction]:
        with _guard(before_to_decimal, guards):
            return build()

    assert build_before() == new
    gc.collect()
    gc.disable()  # a hundred thousand new models: time them, not the collector's passes
    try:
        t_new, t_old = best_pair(build, build_before)
    finally:
        gc.enable()
    print(f"\nTransaction, {n:,} built from Decimal (two Money, one quantity)")
    print(f"  with to_decimal        {t_new:8.3f} s  ({t_new / n * 1e6:6.2f} us each)")
    print(f"  with the guard before  {t_old:8.3f} s  ({t_old / n * 1e6:6.2f} us each)")
    print(f"  ratio after/before     {t_new / t_old:8.2f}x")


def _decimal_fields(model: type[BaseModel]) -> list[Any]:
    """The kernel's Decimal field validators of ``model`` (each reads through ``.read``)."""
    return [m for f in model.model_fields.values() for m in f.metadata if hasattr(m, "read")]


class _guard:  # noqa: N801 - a context manager used like a function
    """Swap the guard ``Money`` and the Decimal fields read through, for the "before" runs."""

    def __init__(self, guard: Any, fields: list[Any]) -> None:
        self.guard, self.fields = guard, fields

    def __enter__(self) -> None:
        money = vars(channelkit.money)  # Money.__init__ reads its module's ``to_decimal``
        self.saved = money["to_decimal"], [f.read for f in self.fields]
        money["to_decimal"] = self.guard
        for f in self.fields:
            f.read = self.guard

    def __exit__(self, *exc: object) -> None:
        vars(channelkit.money)["to_decimal"], reads = self.saved
        for f, read in zip(self.fields, reads, strict=True):
            f.read = read


if __name__ == "__main__":
    main()
