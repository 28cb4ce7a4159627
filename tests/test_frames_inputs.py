"""channelkit.frames: each kind of input, files, and the round trip."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

pa = pytest.importorskip("pyarrow")

from channelkit import ArgumentError, Money, Transaction  # noqa: E402
from channelkit.frames import TransactionFrame, read_transactions, transactions  # noqa: E402

DATA: dict[str, list[Any]] = {
    "id": ["T1", "T2", "T3"],
    "partner_id": ["D1", None, "D2"],
    "date": [dt.date(2026, 7, 1), dt.date(2026, 7, 2), dt.date(2026, 7, 3)],
    "kind": ["sale", "return", "payment"],
    "amount": [Decimal("1200.00"), Decimal("80.50"), Decimal("500.00")],
    "quantity": [Decimal(10), Decimal(1), Decimal(0)],
    "currency": ["CNY", "CNY", "CNY"],
}
EXPECTED = [
    Transaction(
        id="T1",
        partner_id="D1",
        date=dt.date(2026, 7, 1),
        kind="sale",
        amount=Money("1200.00", "CNY"),
        quantity=10,
    ),
    Transaction(
        id="T2",
        partner_id=None,
        date=dt.date(2026, 7, 2),
        kind="return",
        amount=Money("80.50", "CNY"),
        quantity=1,
    ),
    Transaction(
        id="T3",
        partner_id="D2",
        date=dt.date(2026, 7, 3),
        kind="payment",
        amount=Money("500.00", "CNY"),
    ),
]


def test_pyarrow_table_record_batch_and_reader() -> None:
    table = pa.table(DATA)
    assert list(transactions(table)) == EXPECTED
    assert list(transactions(table.to_batches()[0])) == EXPECTED
    reader = pa.RecordBatchReader.from_batches(table.schema, table.to_batches())
    assert list(transactions(reader)) == EXPECTED


def test_chunked_input_keeps_row_numbers() -> None:
    table = pa.concat_tables([pa.table(DATA).slice(0, 2), pa.table(DATA).slice(2)])
    bad = table.set_column(
        4,
        "amount",
        pa.chunked_array(
            [
                pa.array([Decimal("1"), Decimal("-2")], pa.decimal128(38, 2)),
                pa.array([Decimal("-3")], pa.decimal128(38, 2)),
            ]
        ),
    )
    frame, rejected = transactions(bad, errors="split")
    assert [t.id for t in frame] == ["T1"]
    assert rejected.column("row").to_pylist() == [1, 2]


def test_pandas() -> None:
    pd = pytest.importorskip("pandas")
    assert list(transactions(pd.DataFrame(DATA))) == EXPECTED
    floats = pd.DataFrame({**DATA, "amount": [1200.0, 80.5, 500.0]})
    with pytest.raises(Exception, match="amount: column is double"):
        transactions(floats)


def test_polars() -> None:
    pl = pytest.importorskip("polars")
    assert list(transactions(pl.DataFrame(DATA))) == EXPECTED
    categorical = pl.DataFrame(DATA).with_columns(pl.col("kind").cast(pl.Categorical))
    assert list(transactions(categorical)) == EXPECTED


def test_duckdb() -> None:
    duckdb = pytest.importorskip("duckdb")
    con = duckdb.connect()
    con.execute(
        "create table t as select * from (values "
        "('T1', 'D1', date '2026-07-01', 'sale', 1200.00::decimal(18,2), 10, 'CNY'), "
        "('T2', null, date '2026-07-02', 'return', 80.50::decimal(18,2), 1, 'CNY'), "
        "('T3', 'D2', date '2026-07-03', 'payment', 500.00::decimal(18,2), 0, 'CNY')) "
        "v(id, partner_id, date, kind, amount, quantity, currency)"
    )
    assert list(transactions(con.sql("select * from t order by id"))) == EXPECTED


def test_models_in() -> None:
    assert list(transactions(EXPECTED)) == EXPECTED
    assert list(transactions(iter(EXPECTED))) == EXPECTED
    assert len(transactions([])) == 0
    with pytest.raises(ArgumentError, match="currency= does not apply to Transaction models"):
        transactions(EXPECTED, currency="CNY")
    with pytest.raises(ArgumentError, match="columns= does not apply"):
        transactions(EXPECTED, columns={})


def test_a_frame_is_an_arrow_table() -> None:
    frame = transactions(pa.table(DATA))
    assert transactions(frame) is frame
    again, rejected = transactions(frame, errors="split")
    assert again is frame
    assert rejected.num_rows == 0
    assert pa.table(frame).equals(frame.to_arrow())
    assert list(transactions(pa.RecordBatchReader.from_stream(frame))) == EXPECTED
    renamed = transactions(
        frame, columns={"partner_id": "customer_id", "customer_id": "partner_id"}
    )
    assert [t.customer_id for t in renamed] == ["D1", None, "D2"]


def test_round_trip_through_to_arrow_is_unchanged() -> None:
    frame = transactions(pa.table(DATA))
    table = frame.to_arrow()
    assert table.column_names == [*Transaction.model_fields, "currency"]
    assert transactions(table).to_arrow().equals(table)


def test_csv_file(tmp_path: Path) -> None:
    path = tmp_path / "tx.csv"
    path.write_text(
        "id,partner_id,date,kind,amount,quantity,unit_price,note\n"
        "T1,D1,2026-07-01,sale,1200.00,10,120.00,a\n"
        'T2,,2026-07-02,return,80.50,1,,"b, quoted"\n'
        "T3,D2,2026-07-03,payment,500.00,,,\n"
        "007,D2,2026-07-04,sale,0.1,,,\n",
        encoding="utf-8",
    )
    frame = read_transactions(path, currency="CNY")
    rows = list(frame)
    assert rows[:3] == [
        EXPECTED[0].model_copy(update={"unit_price": Money("120.00", "CNY")}),
        *EXPECTED[1:],
    ]
    # text stays text (the id keeps its zeros) and numbers are exact, never floats
    assert rows[3].id == "007"
    assert rows[3].amount == Money("0.1", "CNY")


def test_csv_rejections_keep_the_text(tmp_path: Path) -> None:
    path = tmp_path / "tx.csv"
    path.write_text(
        "id,partner_id,date,kind,amount\nT1,D1,2026-07-01,sale,-5.00\n", encoding="utf-8"
    )
    frame, rejected = read_transactions(str(path), currency="USD", errors="split")
    assert len(frame) == 0
    assert rejected.column("amount").to_pylist() == ["-5.00"]
    assert rejected.column("reason").to_pylist() == ["amount: must be positive (value -5.00)"]


def test_parquet_file(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "tx.PARQUET"
    pq.write_table(pa.table(DATA), path)
    assert list(read_transactions(path)) == EXPECTED


def test_other_suffixes_are_an_argument_error(tmp_path: Path) -> None:
    with pytest.raises(ArgumentError, match=r"path must name a .csv or .parquet file") as info:
        read_transactions(tmp_path / "tx.xlsx")
    assert info.value.argument == "path"


def test_frames_cannot_be_built_directly_or_changed() -> None:
    with pytest.raises(TypeError, match=r"frames\.transactions"):
        TransactionFrame()
    frame = transactions(pa.table(DATA))
    with pytest.raises(AttributeError, match="immutable"):
        frame._table = None  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        del frame._table
