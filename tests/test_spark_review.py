"""channelkit.spark.review: aggregates on the cluster, the same ChannelReview as the model path."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

pytest.importorskip("pyspark")
pytest.importorskip("pyarrow")

from hypothesis import given, settings
from hypothesis import strategies as st
from pyspark.sql import functions as sf

from channelkit import (
    ArgumentError,
    ArgumentTypeError,
    ChannelkitError,
    CurrencyMismatchError,
    FrameError,
    Money,
    Partner,
    Period,
    Transaction,
)
from channelkit import review as model_review
from channelkit import testing as kernel
from channelkit.demo import sample
from channelkit.spark import review
from channelkit.spark._local import frame_of

PERIOD = Period.quarter(2026, 1)
PRIOR = Period.quarter(2025, 1)
POOL = [f"P{i}" for i in range(5)]


def outcome(fn: Any) -> Any:
    try:
        return fn()
    except (ChannelkitError, ValueError, TypeError) as err:
        return type(err)


def test_the_sample_channel(spark: Any) -> None:
    txs = list(sample.transactions())
    kw: dict[str, Any] = {
        "partners": sample.partners(),
        "prior": sample.PRIOR,
        "targets": {"D-NORTH": 500_000, "R-SOUTH": 120_000},
    }
    got = review(frame_of(spark, txs), sample.QUARTER, **kw)
    want = model_review(txs, sample.QUARTER, **kw)
    assert got == want
    assert got.laggards == ("R-SOUTH",)
    assert got.total.customers == want.total.customers > 0
    assert got.explain("zh") == want.explain("zh")


def _tx(i: int, partner: str | None, kind: str, amount: str, **kw: Any) -> Transaction:
    return Transaction(
        id=f"T{i}",
        partner_id=partner,
        date=kw.pop("date", dt.date(2026, 2, 1)),
        kind=kind,
        amount=Money(amount, kw.pop("currency", "CNY")),
        **kw,
    )


def test_distinct_customers_are_counted_across_partners(spark: Any) -> None:
    # C1 buys from P1 and P2 and directly: 1 customer in all, 1 indirect, 1 per partner
    txs = [
        _tx(1, "P1", "sale", "10", customer_id="C1", territory="N"),
        _tx(2, "P2", "sale", "20", customer_id="C1", territory="N"),
        _tx(3, None, "sale", "30", customer_id="C1", territory="S"),
        _tx(4, "P2", "sale", "5", customer_id="C2"),
        _tx(5, "P2", "payment", "7"),
    ]
    partners = [
        Partner(
            id=p,
            name=p,
            kind="dealer",
            currency="CNY",
            payment_terms_days=30,
            joined=dt.date(2020, 1, 1),
        )
        for p in ("P1", "P2")
    ]
    got = review(frame_of(spark, txs), PERIOD, partners=partners)
    assert got == model_review(txs, PERIOD, partners=partners)
    assert (got.total.customers, got.indirect.customers, got.direct.customers) == (2, 2, 1)
    assert [(g.key, g.figures.customers) for g in got.territories] == [("N", 1), ("S", 1), ("", 1)]
    assert [(g.key, g.figures.customers) for g in got.kinds] == [("dealer", 2)]


def test_errors_are_the_model_paths(spark: Any) -> None:
    txs = [_tx(1, "P1", "sale", "10"), _tx(2, "P1", "sale", "1", currency="USD")]
    with pytest.raises(CurrencyMismatchError, match="transaction T2"):
        review(frame_of(spark, txs), PERIOD)
    df = frame_of(spark, txs[:1])
    with pytest.raises(ArgumentError, match="must not overlap"):
        review(df, PERIOD, prior=PERIOD)
    with pytest.raises(ArgumentError, match="top must be at least 1"):
        review(df, PERIOD, top=0)
    with pytest.raises(ArgumentTypeError, match="period must be a Period"):
        review(df, "2026Q1")  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match="territories must be a collection"):
        review(df, PERIOD, territories="N")
    with pytest.raises(ValueError, match="review has no currency"):
        review(df, Period.quarter(2027, 1))
    bad = df.withColumn("kind", sf.lit("refund"))
    with pytest.raises(FrameError, match="kind: must be one of"):
        review(bad, PERIOD)


@settings(max_examples=6)
@given(
    st.lists(
        kernel.transactions(
            partner_ids=st.none() | st.sampled_from(POOL),
            currencies=st.just("CNY"),
            dates=st.dates(min_value=dt.date(2024, 12, 1), max_value=dt.date(2026, 4, 30)),
            max_amount=10**6,
        ),
        max_size=30,
        unique_by=lambda t: t.id,
    ),
    st.lists(
        kernel.partners(ids=st.sampled_from(POOL), currencies=st.just("CNY")),
        max_size=4,
        unique_by=lambda p: p.id,
    ),
    st.dictionaries(
        st.sampled_from([*POOL, "X"]), kernel.amounts(min_value=0, max_value=10**6), max_size=3
    ),
    st.none() | st.just(PRIOR),
    st.integers(min_value=1, max_value=4),
)
def test_equal_to_the_model_path(
    spark: Any,
    txs: list[Transaction],
    partners: list[Partner],
    targets: dict[str, Decimal],
    prior: Period | None,
    top: int,
) -> None:
    kw: dict[str, Any] = {"partners": partners, "prior": prior, "targets": targets, "top": top}
    want = outcome(lambda: model_review(txs, PERIOD, **kw))
    got = outcome(lambda: review(frame_of(spark, txs), PERIOD, **kw))
    assert got == want
