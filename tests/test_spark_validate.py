"""channelkit.spark.validate: every rule of frames.transactions as Spark expressions.

Each bad row is checked against frames itself: the same rows through ``frames.transactions``
(``errors="split"``) must be rejected with the very same reasons.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

pytest.importorskip("pyspark")
pa = pytest.importorskip("pyarrow")

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from pyspark.sql import functions as sf  # noqa: E402
from pyspark.sql import types as spt  # noqa: E402

from channelkit import (  # noqa: E402
    ArgumentError,
    ArgumentTypeError,
    FrameError,
    frames,
)
from channelkit.spark import validate  # noqa: E402

TEXT = spt.StringType()
HEADER = ["line", "id", "partner_id", "date", "kind", "amount", "currency", "quantity", "sku"]
MORE = ["unit_price", "territory", "customer_id", "cost", "category", "refers_to"]
GOOD: dict[str, Any] = {
    "id": "T",
    "partner_id": "D1",
    "date": "2026-07-01",
    "kind": "sale",
    "amount": "10.00",
    "currency": "CNY",
    "quantity": "1",
    "sku": "S1",
    "unit_price": "10.00",
    "territory": "N",
    "customer_id": "C1",
    "cost": "6.00",
    "category": "A/B",
    "refers_to": None,
}
# one bad row per rule, in field order (each row breaks exactly the rule named)
BAD: list[dict[str, Any]] = [
    {"id": None},
    {"id": " "},
    {"id": "T0"},  # duplicates row 0
    {"partner_id": "\u3000"},
    {"date": None},
    {"date": "2026-02-30"},
    {"date": "2026-7-1"},
    {"kind": None},
    {"kind": "refund"},
    {"amount": None},
    {"amount": "abc"},
    {"amount": "NaN"},
    {"amount": "1e15"},
    {"amount": "1e-35"},
    {"amount": "1.2345678901234567890123456789012345"},
    {"currency": None},
    {"currency": "cny"},
    {"amount": "-5.00"},
    {"amount": "0"},
    {"quantity": "-1"},
    {"quantity": "x"},
    {"sku": ""},
    {"unit_price": " -2 "},
    {"territory": "\t"},
    {"customer_id": " "},
    {"cost": "-0.01"},
    {"kind": "payment", "cost": "1.00", "quantity": "0"},
    {"category": "A//B"},
    {"category": "/A"},
    {"refers_to": " "},
    {"refers_to": "T0"},
    {"amount": "1_000"},  # valid: Decimal reads it
    {"amount": " 7 "},  # valid
    {"amount": "1E+3"},  # valid
]


def _rows() -> list[dict[str, Any]]:
    rows = [{"line": 0, **GOOD, "id": "T0"}]
    for i, change in enumerate(BAD, start=1):
        rows.append({"line": i, **GOOD, "id": f"T{i}", **change})
    return rows


def _frames_rejected(rows: list[dict[str, Any]]) -> dict[int, str]:
    names = [*HEADER, *MORE]
    table = pa.table(
        {
            n: pa.array([r[n] for r in rows], pa.int64() if n == "line" else pa.string())
            for n in names
        }
    )
    _, rejected = frames.transactions(table, errors="split")
    return dict(zip(rejected["row"].to_pylist(), rejected["reason"].to_pylist(), strict=True))


def _spark_frame(spark: Any, rows: list[dict[str, Any]]) -> Any:
    names = [*HEADER, *MORE]
    schema = spt.StructType(
        [spt.StructField(n, spt.LongType() if n == "line" else TEXT) for n in names]
    )
    return spark.createDataFrame([tuple(r[n] for n in names) for r in rows], schema)


def test_every_rule_gives_the_reason_frames_gives(spark: Any) -> None:
    rows = _rows()
    want = _frames_rejected(rows)
    valid, rejected = validate(_spark_frame(spark, rows), row="line")
    got = {r["line"]: r["reason"] for r in rejected.collect()}
    assert got == want
    # the three valid spellings of numbers and the first row pass
    assert sorted(r["line"] for r in valid.collect()) == [0, 32, 33, 34]
    assert len(want) == len(BAD) - 3


def test_reasons_read_as_frames_words_them(spark: Any) -> None:
    rows = _rows()
    _, rejected = validate(_spark_frame(spark, rows), row="line")
    got = {r["line"]: r["reason"] for r in rejected.collect()}
    assert got[3] == "id: duplicates the id of row 0 (value 'T0')"
    assert got[6] == "date: must be an ISO date YYYY-MM-DD (value '2026-02-30')"
    assert got[18] == "amount: must be positive (value -5.00)"
    assert got[27] == "cost: a payment has no cost of goods (value 1.00)"


def test_nothing_is_lost_and_columns_are_kept(spark: Any) -> None:
    df = spark.createDataFrame(
        [
            ("A1", "D1", "2026-07-01", "sale", "100.00", "x"),
            ("A1", "D2", "2026-07-02", "sale", "7", "y"),
        ],
        "inv_no string, partner_id string, date string, kind string, amount string, note string",
    )
    valid, rejected = validate(df, columns={"inv_no": "id"}, currency="USD")
    assert valid.columns == ["id", "partner_id", "date", "kind", "amount", "note", "currency"]
    assert rejected.columns == [*df.columns, "reason"]
    assert valid.count() + rejected.count() == 2
    (bad,) = rejected.collect()
    # without a row column, the row kept is the first in the order of the other columns
    assert bad["partner_id"] == "D2"
    assert bad["reason"] == "inv_no: duplicates the id of another row (value 'A1')"
    assert {r["currency"] for r in valid.collect()} == {"USD"}


def test_ids_are_unique_among_the_valid_rows(spark: Any) -> None:
    # as in frames: the first T1 is rejected for its amount, so the second is kept and the
    # third repeats it (line 1)
    df = spark.createDataFrame(
        [
            (0, "T1", "D1", "2026-07-01", "sale", "-1"),
            (1, "T1", "D1", "2026-07-01", "sale", "1"),
            (2, "T1", "D1", "2026-07-01", "sale", "2"),
            (3, "T2", "D1", "2026-07-01", "sale", "3"),
        ],
        "line long, id string, partner_id string, date string, kind string, amount string",
    )
    valid, rejected = validate(df, currency="CNY", row="line")
    assert sorted(r["line"] for r in valid.collect()) == [1, 3]
    assert {r["line"]: r["reason"] for r in rejected.collect()} == {
        0: "amount: must be positive (value -1)",
        2: "id: duplicates the id of row 1 (value 'T1')",
    }


def test_decimal_and_integer_columns(spark: Any) -> None:
    schema = (
        "line long, id string, partner_id string, date date, kind string, "
        "amount decimal(38,36), quantity long, currency string"
    )
    day = dt.date(2026, 7, 1)
    df = spark.createDataFrame(
        [
            (0, "A", "D", day, "sale", Decimal("1.5"), 2, "CNY"),
            (1, "B", "D", day, "sale", Decimal("1E-36"), 2, "CNY"),
            (2, "C", "D", day, "sale", Decimal("1.00000000000000000000000000000000001"), 2, "CNY"),
            (3, "E", "D", day, "sale", Decimal("-1.5"), 2, "CNY"),
            (4, "F", "D", day, "sale", Decimal("1"), 10**15, "CNY"),
            (5, "G", "D", day, "sale", Decimal("1"), -3, "CNY"),
        ],
        schema,
    )
    _, rejected = validate(df, row="line")
    got = {r["line"]: r["reason"] for r in rejected.collect()}
    table = pa.Table.from_pylist(
        [r.asDict() for r in df.collect()],
        pa.schema(
            [
                ("line", pa.int64()),
                ("id", pa.string()),
                ("partner_id", pa.string()),
                ("date", pa.date32()),
                ("kind", pa.string()),
                ("amount", pa.decimal128(38, 36)),
                ("quantity", pa.int64()),
                ("currency", pa.string()),
            ]
        ),
    )
    _, want = frames.transactions(table, errors="split")
    assert got == dict(zip(want["row"].to_pylist(), want["reason"].to_pylist(), strict=True))
    assert set(got) == {1, 2, 3, 4, 5}


def test_timestamps_without_time_zone(spark: Any) -> None:
    df = spark.createDataFrame(
        [
            (0, "A", "D", dt.datetime(2026, 7, 1), "sale", "1"),
            (1, "B", "D", dt.datetime(2026, 7, 1, 10, 30), "sale", "1"),
        ],
        "line long, id string, partner_id string, date timestamp_ntz, kind string, amount string",
    )
    valid, rejected = validate(df, row="line", currency="CNY")
    assert [r["reason"] for r in rejected.collect()] == [
        "date: must be a date without a time of day (value 2026-07-01T10:30:00)"
    ]
    assert [r["line"] for r in valid.collect()] == [0]


@pytest.mark.parametrize("kind", ["double", "float"])
def test_a_floating_point_column_is_refused(spark: Any, kind: str) -> None:
    df = spark.createDataFrame(
        [("A", "D", "2026-07-01", "sale", 1.5)],
        f"id string, partner_id string, date string, kind string, amount {kind}",
    )
    with pytest.raises(FrameError, match=rf"^amount: column is {kind} \(floating point\)") as info:
        validate(df, currency="CNY")
    assert "DECIMAL(38, 2)" in str(info.value)
    assert info.value.rejected is None


def test_column_errors(spark: Any) -> None:
    df = spark.createDataFrame(
        [("A", "D", "2026-07-01", "sale", "1", "CNY")],
        "id string, partner_id string, date string, kind string, amount string, currency string",
    )
    with pytest.raises(FrameError, match="kind: the DataFrame has no 'kind' column"):
        validate(df.drop("kind"))
    with pytest.raises(ArgumentError, match="use one or the other") as info:
        validate(df, currency="CNY")
    assert info.value.argument == "currency"
    with pytest.raises(FrameError, match=r"^currency: the DataFrame has no currency column"):
        validate(df.drop("currency"))
    with pytest.raises(ArgumentError, match="unknown currency 'XXX'"):
        validate(df.drop("currency"), currency="XXX")
    with pytest.raises(ArgumentError, match="'nope' is not a column"):
        validate(df, columns={"nope": "id"})
    with pytest.raises(ArgumentError, match="row: 'line' is not a column"):
        validate(df, row="line")
    with pytest.raises(ArgumentTypeError, match=r"df must be a pyspark\.sql\.DataFrame"):
        validate([1, 2])  # type: ignore[arg-type]
    with pytest.raises(FrameError, match="kind: column is int; kind needs text"):
        validate(df.withColumn("kind", sf.lit(1)))
    with pytest.raises(FrameError, match="date: column is boolean; date needs a date"):
        validate(df.withColumn("date", sf.lit(True)))


NUMBERS = ["10", "0.01", "-5.00", "0", "1e3", "1E+15", "1e-35", "abc", " 7 ", "1_000", "٣", "NaN"]
TEXTS = [None, "X", "", " ", "\xa0", "\x1f"]


@st.composite
def text_rows(draw: st.DrawFn, i: int) -> dict[str, Any]:
    number = st.none() | st.sampled_from(NUMBERS)
    return {
        "line": i,
        "id": draw(st.just(f"T{i}") | st.sampled_from(["T0", "", " "])),
        "partner_id": draw(st.sampled_from([None, "D1", "", " "])),
        "date": draw(st.sampled_from([None, "2026-01-05", "2026-02-30", "2026-1-5", "0000-01-01"])),
        "kind": draw(st.sampled_from([None, "sale", "return", "payment", "Sale"])),
        "amount": draw(number),
        "currency": draw(st.sampled_from([None, "CNY", "JPY", "cny"])),
        "quantity": draw(number),
        "sku": draw(st.sampled_from(TEXTS)),
        "unit_price": draw(number),
        "territory": draw(st.sampled_from(TEXTS)),
        "customer_id": draw(st.sampled_from(TEXTS)),
        "cost": draw(number),
        "category": draw(st.sampled_from([None, "A/B", "A//B", "/A", "A/ "])),
        "refers_to": draw(st.sampled_from(TEXTS)),
    }


@settings(max_examples=5)
@given(
    st.integers(min_value=0, max_value=15).flatmap(
        lambda n: st.tuples(*[text_rows(i) for i in range(n)])
    )
)
def test_random_rows_get_the_reasons_frames_gives(
    spark: Any, rows: tuple[dict[str, Any], ...]
) -> None:
    data = list(rows)
    valid, rejected = validate(_spark_frame(spark, data), row="line")
    got = {r["line"]: r["reason"] for r in rejected.collect()}
    assert got == _frames_rejected(data)
    assert valid.count() + len(got) == len(data)
