"""``channelkit.spark.settle_all`` with the programme figures: the same settlement as the models.

Per-transaction tiering, margin and paid-sales bases, and category scopes read more than the
four per-partner sums; each case is worked by hand and compared with ``channelkit.settle_all``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

pytest.importorskip("pyspark")
pytest.importorskip("pyarrow")

from channelkit import (
    Bracket,
    CurrencyMismatchError,
    Money,
    Period,
    PolicyError,
    RebateBasis,
    RebatePolicy,
    Scope,
    SettleUnit,
    TierMode,
    Transaction,
)
from channelkit import settle_all as model_settle_all
from channelkit.frames import to_arrow
from channelkit.spark import settle_all
from channelkit.spark._local import frame_of

Q3 = Period.quarter(2026, 3)
JULY = dt.date(2026, 7, 3)
JUNE = dt.date(2026, 6, 10)


def tx(i: int, partner: str, kind: str, amount: str, **kw: Any) -> Transaction:
    cost, cur = kw.pop("cost", None), kw.pop("currency", "CNY")
    return Transaction(
        id=f"T{i}",
        partner_id=partner,
        date=kw.pop("date", JULY),
        kind=kind,
        amount=Money(amount, cur),
        cost=None if cost is None else Money(cost, cur),
        **kw,
    )


def policy(rate: str = "0.10", **kw: Any) -> RebatePolicy:
    brackets = kw.pop("brackets", (Bracket(start=Decimal(0), rate=Decimal(rate)),))
    return RebatePolicy(id="P", name="P", currency="CNY", brackets=brackets, **kw)


def on_cluster(spark: Any, p: RebatePolicy, txs: list[Transaction]) -> list[dict[str, Any]]:
    out = settle_all(p, frame_of(spark, txs), Q3)
    try:
        return [r.asDict(recursive=True) for r in out.orderBy("partner_id").collect()]
    finally:
        out.unpersist()


def settled(spark: Any, p: RebatePolicy, txs: list[Transaction]) -> dict[str, tuple[Any, Any]]:
    """``{partner: (basis, payable)}`` on the cluster, after checking it equals the model path."""
    got = on_cluster(spark, p, txs)
    assert got == to_arrow(model_settle_all(p, txs, Q3)).to_pylist()
    return {r["partner_id"]: (r["basis"], r["payable"]) for r in got}


def test_per_transaction_tiers_each_sale_on_its_own(spark: Any) -> None:
    ladder = (
        Bracket(start=Decimal(0), rate=Decimal("0.01")),
        Bracket(start=Decimal(1000), rate=Decimal("0.02")),
    )
    p = policy(brackets=ladder, mode=TierMode.VOLUME, per=SettleUnit.TRANSACTION)
    txs = [
        tx(1, "D1", "sale", "500.00"),  # bracket 0: 5.00
        tx(2, "D1", "sale", "2000.00"),  # bracket 1: 40.00
        tx(3, "D1", "return", "300.00"),  # bracket 0: takes back 3.00
        tx(4, "D2", "sale", "999.99"),  # bracket 0: 9.9999
    ]
    assert settled(spark, p, txs) == {
        "D1": (Decimal("2200.00"), Decimal("42.00")),
        "D2": (Decimal("999.99"), Decimal("10.00")),
    }


def test_per_transaction_graduated_counts_each_slice(spark: Any) -> None:
    ladder = (
        Bracket(start=Decimal(0), rate=Decimal("0.01")),
        Bracket(start=Decimal(1000), rate=Decimal("0.02")),
    )
    p = policy(brackets=ladder, per=SettleUnit.TRANSACTION)
    # 2500: 1000 x 1% + 1500 x 2% = 40.00; 400: 4.00
    txs = [tx(1, "D1", "sale", "2500.00"), tx(2, "D1", "sale", "400.00")]
    assert settled(spark, p, txs) == {"D1": (Decimal("2900.00"), Decimal("44.00"))}


def test_margin_is_net_sales_less_net_cost(spark: Any) -> None:
    p = policy(basis=RebateBasis.MARGIN)
    txs = [
        tx(1, "D1", "sale", "1000.00", cost="600.00"),
        tx(2, "D1", "return", "100.00", cost="60.00"),
        tx(3, "D1", "payment", "500.00"),
    ]
    # (1000 - 100) - (600 - 60) = 360; 10% = 36.00
    assert settled(spark, p, txs) == {"D1": (Decimal("360.00"), Decimal("36.00"))}


def test_margin_refuses_a_sale_without_cost(spark: Any) -> None:
    p = policy(basis=RebateBasis.MARGIN)
    txs = [tx(1, "D1", "sale", "1000.00", cost="600.00"), tx(2, "D1", "sale", "50.00")]
    with pytest.raises(PolicyError, match="sale T2 of partner D1 has no cost"):
        settle_all(p, frame_of(spark, txs), Q3)
    # a row in another currency with a lesser (partner, id) is named first
    other = [tx(0, "D0", "sale", "5.00", currency="USD", cost="1.00"), *txs]
    with pytest.raises(CurrencyMismatchError, match="transaction T0"):
        settle_all(p, frame_of(spark, other), Q3)


def test_paid_sales_count_what_is_paid_in_the_period(spark: Any) -> None:
    p = policy("0.02", basis=RebateBasis.PAID_SALES, scope=Scope(territories=frozenset({"E"})))
    txs = [
        tx(1, "D1", "sale", "1000.00", date=JUNE, territory="E"),
        tx(2, "D1", "payment", "400.00", refers_to="T1", territory="E"),
        # 700 paid, 600 still unpaid: 600 counts
        tx(3, "D1", "payment", "700.00", refers_to="T1", date=dt.date(2026, 8, 1), territory="E"),
        # D2 has no row in the period's scope, only a payment of an earlier sale
        tx(4, "D2", "sale", "300.00", date=JUNE, territory="E"),
        tx(5, "D2", "payment", "300.00", refers_to="T4"),
        tx(6, "D3", "payment", "50.00", territory="E"),  # names no sale: counts nothing
    ]
    assert settled(spark, p, txs) == {
        "D1": (Decimal("1000.00"), Decimal("20.00")),
        "D2": (Decimal("300.00"), Decimal("6.00")),
        "D3": (Decimal("0"), Decimal("0.00")),
    }


def test_paid_sales_refuse_a_payment_in_another_currency(spark: Any) -> None:
    p = policy("0.02", basis=RebateBasis.PAID_SALES)
    txs = [
        tx(1, "D1", "sale", "1000.00", date=JUNE),
        tx(2, "D1", "payment", "400.00", refers_to="T1", date=JUNE, currency="USD"),
        tx(3, "D1", "payment", "100.00", refers_to="T1"),
    ]
    with pytest.raises(CurrencyMismatchError, match=r"transaction T2\): expected CNY, got USD"):
        model_settle_all(p, txs, Q3)
    with pytest.raises(CurrencyMismatchError, match=r"transaction T2\): expected CNY, got USD"):
        settle_all(p, frame_of(spark, txs), Q3)


def test_a_category_covers_the_paths_under_it(spark: Any) -> None:
    p = policy(scope=Scope(categories=frozenset({"Electronics"})))
    txs = [
        tx(1, "D1", "sale", "1000.00", category="Electronics/Phones"),
        tx(2, "D1", "sale", "300.00", category="Electronics"),
        tx(3, "D1", "sale", "500.00", category="ElectronicsX"),
        tx(4, "D1", "sale", "200.00"),
        tx(5, "D1", "payment", "100.00"),  # payments carry no product: in scope
    ]
    assert settled(spark, p, txs) == {"D1": (Decimal("1300.00"), Decimal("130.00"))}
