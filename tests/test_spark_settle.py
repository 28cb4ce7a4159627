"""channelkit.spark.settle_all: sums in Spark, rebates on the executors, equal to the model path."""

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
from pyspark.sql import types as spt

from channelkit import (
    ArgumentError,
    ArgumentTypeError,
    Bracket,
    ChannelkitError,
    Condition,
    CurrencyMismatchError,
    FrameError,
    Money,
    Period,
    PolicyError,
    RebateBasis,
    RebatePolicy,
    Scope,
    Tier,
    TierBenefits,
    Transaction,
    TransactionKind,
)
from channelkit import settle_all as model_settle_all
from channelkit import testing as kernel
from channelkit.frames import to_arrow
from channelkit.spark import settle_all, validate
from channelkit.spark._local import frame_of

Q3 = Period.quarter(2026, 3)
LADDER = RebatePolicy(
    id="Q3",
    name="Q3 ladder",
    currency="CNY",
    brackets=(
        Bracket(start=Decimal(0), rate=Decimal("0.02")),
        Bracket(start=Decimal(10_000), rate=Decimal("0.03")),
    ),
)
DAY = dt.date(2026, 7, 3)


def tx(i: int, partner: str | None, kind: str, amount: str, **kw: Any) -> Transaction:
    return Transaction(
        id=f"T{i}",
        partner_id=partner,
        date=kw.pop("date", DAY),
        kind=kind,
        amount=Money(amount, kw.pop("currency", "CNY")),
        **kw,
    )


TXS = [
    tx(1, "D1", "sale", "12000.00", quantity=10, sku="A"),
    tx(2, "D1", "return", "800.00", quantity=1, sku="A"),
    tx(3, None, "sale", "5000.00"),
    tx(4, "D2", "payment", "300.00"),
    tx(5, "D2", "sale", "60000.50", quantity=3, sku="B"),
    tx(6, "D3", "sale", "999.99", date=dt.date(2026, 10, 1)),  # outside Q3
]


def _same(a: Any, b: Any) -> bool:
    """Equal values; exact decimal text (a column past 38 digits) equals its Decimal."""
    if isinstance(a, str) and isinstance(b, Decimal):
        return Decimal(a) == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return bool(a == b)


def collected(df: Any) -> list[dict[str, Any]]:
    return [r.asDict(recursive=True) for r in df.orderBy("partner_id").collect()]


def outcome(fn: Any) -> Any:
    try:
        return fn()
    except (ChannelkitError, ValueError, TypeError) as err:
        return type(err)


def test_a_worked_settlement(spark: Any) -> None:
    out = settle_all(LADDER, frame_of(spark, TXS), Q3)
    rows = collected(out)
    # D1: net 12000.00 - 800.00 = 11200.00; 10000 x 2% + 1200 x 3% = 200 + 36 = 236.00
    # D2: net 60000.50; 200 + 50000.50 x 3% = 200 + 1500.015 = 1700.015 -> 1700.02
    assert [(r["partner_id"], r["basis"], r["result_amount"]) for r in rows] == [
        ("D1", Decimal("11200.00"), Decimal("236.00")),
        ("D2", Decimal("60000.50"), Decimal("1700.02")),
    ]
    assert rows[1]["collections"] == Decimal("300.00")
    assert out.schema["result_amount"].dataType == spt.DecimalType(38, 2)
    assert out.columns == to_arrow(model_settle_all(LADDER, TXS, Q3)).column_names
    assert _same(rows, to_arrow(model_settle_all(LADDER, TXS, Q3)).to_pylist())
    out.unpersist()


def test_explanations_and_schema_match_to_arrow(spark: Any) -> None:
    out = settle_all(LADDER, frame_of(spark, TXS), Q3, lang="zh")
    want = to_arrow(model_settle_all(LADDER, TXS, Q3), lang="zh")
    assert collected(out) == want.to_pylist()
    for field in want.schema:
        t = out.schema[field.name].dataType
        if isinstance(t, spt.DecimalType):
            assert (t.precision, t.scale) == (field.type.precision, field.type.scale)


def test_options_as_mappings_and_as_dataframes(spark: Any) -> None:
    policy = LADDER.model_copy(
        update={
            "conditions": (Condition(metric="nps", minimum=Decimal(50), factor=Decimal("0.5")),)
        }
    )
    gold = Tier(
        code="G", name="Gold", rank=1, benefits=TierBenefits(rebate_multiplier=Decimal("1.1"))
    )
    metrics = {"D1": {"nps": Decimal(40)}, "D2": {"nps": Decimal(60)}}
    tiers = {"D2": gold}
    advances = {"D1": Decimal("100.00")}
    want = to_arrow(
        model_settle_all(policy, TXS, Q3, metrics=metrics, tiers=tiers, advances=advances)
    ).to_pylist()
    df = frame_of(spark, TXS)
    by_mapping = settle_all(policy, df, Q3, metrics=metrics, tiers=tiers, advances=advances)
    assert collected(by_mapping) == want
    frames_of = {
        "metrics": spark.createDataFrame(
            [("D1", {"nps": Decimal(40)}), ("D2", {"nps": Decimal(60)})],
            "partner_id string, metrics map<string, decimal(10,0)>",
        ),
        "tiers": spark.createDataFrame(
            [("D2", gold.model_dump_json())], "partner_id string, tiers string"
        ),
        "advances": spark.createDataFrame([("D1", "100.00")], "partner_id string, advances string"),
    }
    by_frame = settle_all(policy, df, Q3, **frames_of)
    assert collected(by_frame) == want
    # metrics as JSON text
    as_json = spark.createDataFrame(
        [("D1", '{"nps": 40}'), ("D2", '{"nps": 60.0}')], "partner_id string, metrics string"
    )
    assert (
        collected(settle_all(policy, df, Q3, metrics=as_json, tiers=tiers, advances=advances))
        == want
    )


def test_scope_filters_as_the_model_does(spark: Any) -> None:
    scoped = RebatePolicy.model_validate(
        {**LADDER.model_dump(), "scope": Scope(skus=frozenset({"A"}))}
    )
    rows = collected(settle_all(scoped, frame_of(spark, TXS), Q3))
    want = to_arrow(model_settle_all(scoped, TXS, Q3)).to_pylist()
    assert rows == want
    # D2's payment carries no SKU and still counts; its sale of B does not
    assert [(r["partner_id"], r["gross_sales"], r["collections"]) for r in rows] == [
        ("D1", Decimal("12000.00"), Decimal("0")),
        ("D2", Decimal("0"), Decimal("300.00")),
    ]


def test_errors_are_the_model_paths(spark: Any) -> None:
    df = frame_of(spark, TXS)
    usd = frame_of(spark, [*TXS, tx(9, "D1", "sale", "1.00", currency="USD")])
    with pytest.raises(CurrencyMismatchError, match="transaction T9"):
        settle_all(LADDER, usd, Q3)
    incremental = RebatePolicy.model_validate({**LADDER.model_dump(), "basis": "incremental"})
    with pytest.raises(PolicyError, match=r"pass the baseline .* of D1"):
        settle_all(incremental, df, Q3)
    with pytest.raises(ValueError, match=r"advances\['D1'\] must not be negative"):
        settle_all(LADDER, df, Q3, advances={"D1": Decimal(-1)})
    bad = df.withColumn(
        "amount", sf.when(sf.col("id") == "T2", sf.lit(Decimal("-1"))).otherwise(sf.col("amount"))
    )
    with pytest.raises(FrameError, match=r"1 of 6 rows rejected") as info:
        settle_all(LADDER, bad, Q3)
    assert "amount: must be positive (value -1.00)" in str(info.value)
    assert info.value.rejected.count() == 1
    with pytest.raises(ArgumentError, match="lang"):
        settle_all(LADDER, df, Q3, lang="fr")
    with pytest.raises(ArgumentTypeError, match="policy must be a RebatePolicy"):
        settle_all("P", df, Q3)  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match="metrics must be a mapping"):
        settle_all(LADDER, df, Q3, metrics=[1])  # type: ignore[arg-type]
    twice = spark.createDataFrame([("D1", "1"), ("D1", "2")], "partner_id string, advances string")
    with pytest.raises(ArgumentError, match="advances: partner 'D1' has more than one row"):
        settle_all(LADDER, df, Q3, advances=twice)
    with pytest.raises(ArgumentError, match="needs the columns 'partner_id' and 'baselines'"):
        settle_all(LADDER, df, Q3, baselines=twice)


POOL = ["P1", "P2", "P3", "P4"]


@st.composite
def linked(draw: st.DrawFn) -> list[Transaction]:
    """Transactions of the pool in Q3 and around it, some returns and payments naming a sale."""
    txs = draw(
        st.lists(
            kernel.transactions(
                partner_ids=st.none() | st.sampled_from(POOL),
                currencies=st.just("CNY"),
                dates=st.dates(min_value=dt.date(2026, 6, 1), max_value=dt.date(2026, 10, 31)),
            ),
            max_size=25,
            unique_by=lambda t: t.id,
        )
    )
    sales = [t.id for t in txs if t.kind is TransactionKind.SALE]
    named = st.sampled_from(sales) if sales else st.none()
    return [
        t.model_copy(update={"refers_to": draw(named)})
        if t.kind is not TransactionKind.SALE and draw(st.booleans())
        else t
        for t in txs
    ]


@settings(max_examples=8)
@given(
    kernel.rebate_policies(
        currencies=st.just("CNY"), tier_bases=st.none() | st.sampled_from(RebateBasis)
    ),
    linked(),
    st.dictionaries(
        st.sampled_from(POOL), kernel.amounts(min_value=0, max_value=10**5), max_size=2
    ),
)
def test_equal_to_the_model_path(
    spark: Any, policy: RebatePolicy, txs: list[Transaction], paid: dict[str, Decimal]
) -> None:
    period = Q3 if policy.valid is None else policy.valid
    metrics = {p: {c.metric: Decimal(1) for c in policy.conditions} for p in POOL}
    incremental = RebateBasis.INCREMENTAL in (policy.basis, policy.tier_basis)
    baselines = {p: Decimal(100) for p in POOL} if incremental else None
    kw: dict[str, Any] = {"metrics": metrics, "advances": paid, "baselines": baselines}
    want = outcome(lambda: to_arrow(model_settle_all(policy, txs, period, **kw)).to_pylist())
    got = outcome(lambda: collected(settle_all(policy, frame_of(spark, txs), period, **kw)))
    assert _same(got, want) if isinstance(want, list) else got is want


def test_text_amounts_are_summed_exactly(spark: Any) -> None:
    rows = [
        ("T1", "D1", "2026-07-01", "sale", "12000.005", "3"),
        ("T2", "D1", "2026-07-02", "return", " 1_000 ", "1"),
        ("T3", "D2", "2026-07-03", "sale", "1E+3", "2"),
    ]
    df = spark.createDataFrame(
        rows,
        "id string, partner_id string, date string, kind string, amount string, quantity string",
    )
    valid, rejected = validate(df, currency="CNY")
    assert rejected.count() == 0
    txs = [
        Transaction(
            id=i,
            partner_id=p,
            date=dt.date.fromisoformat(d),
            kind=k,
            amount=Money(a, "CNY"),
            quantity=q,
        )
        for i, p, d, k, a, q in rows
    ]
    got = collected(settle_all(LADDER, valid, Q3))
    assert _same(got, to_arrow(model_settle_all(LADDER, txs, Q3)).to_pylist())
    # D1: 12000.005 - 1000 = 11000.005; 200 + 1000.005 x 3% = 230.00015 -> 230.00
    assert [(r["partner_id"], r["basis"], r["result_amount"]) for r in got] == [
        ("D1", Decimal("11000.005"), Decimal("230.00")),
        ("D2", Decimal("1000"), Decimal("20.00")),
    ]
    wide = df.withColumn("amount", sf.lit("0." + "0" * 23 + "1"))
    valid, _ = validate(wide, currency="CNY")
    with pytest.raises(FrameError, match="amount: values with 24 decimal places cannot be summed"):
        settle_all(LADDER, valid, Q3)
