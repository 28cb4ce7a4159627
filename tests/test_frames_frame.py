"""TransactionFrame: its table, its rows and the helpers the columnar calculators use."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from decimal import Decimal
from typing import Any

import pytest

pa = pytest.importorskip("pyarrow")
pc = pytest.importorskip("pyarrow.compute")

from channelkit import Money, TransactionKind  # noqa: E402
from channelkit.frames import transactions  # noqa: E402


def _frame(n: int = 6, **extra: Any) -> Any:
    data: dict[str, Any] = {
        "id": [f"T{i}" for i in range(n)],
        "partner_id": [["D1", "D2", None][i % 3] for i in range(n)],
        "date": [dt.date(2026, 7, 1) + dt.timedelta(days=i) for i in range(n)],
        "kind": [["sale", "sale", "return"][i % 3] for i in range(n)],
        "amount": [f"{10 * (i + 1)}.50" for i in range(n)],
        **extra,
    }
    return transactions(pa.table(data), currency="CNY")


def test_len_currency_and_repr() -> None:
    frame = _frame()
    assert len(frame) == 6
    assert frame.currency == "CNY"
    assert repr(frame) == "<TransactionFrame: 6 rows, currency CNY>"
    assert _frame(0).currency is None


def test_currency_of_a_column() -> None:
    table = _frame(3).to_arrow()
    assert transactions(table).currency == "CNY"
    mixed = table.set_column(13, "currency", pa.array(["CNY", "USD", "CNY"]))
    assert transactions(mixed).currency is None
    assert [t.amount.currency for t in transactions(mixed)] == ["CNY", "USD", "CNY"]


def test_columns_made_on_demand() -> None:
    frame = _frame(2)
    assert not frame.has("quantity")
    assert frame.has("amount")
    assert frame.column("quantity").to_pylist() == [Decimal(0), Decimal(0)]
    assert frame.column("cost").to_pylist() == [None, None]
    assert frame.column("sku").type == pa.string()
    assert frame.column("currency").to_pylist() == ["CNY", "CNY"]
    assert frame.column("amount").type == pa.decimal128(38, 2)
    with pytest.raises(KeyError, match="'colour' is not a column of a TransactionFrame"):
        frame.column("colour")


def test_decimals() -> None:
    frame = _frame(2, cost=["1.5", None])
    assert frame.decimals("amount") == [Decimal("10.50"), Decimal("20.50")]
    assert frame.decimals("cost") == [Decimal("1.5"), None]


def test_masks_and_filter() -> None:
    frame = _frame()
    july_2_to_4 = frame.between(dt.date(2026, 7, 2), dt.date(2026, 7, 5))
    assert july_2_to_4.to_pylist() == [False, True, True, True, False, False]
    returns = frame.is_kind(TransactionKind.RETURN)
    assert [t.id for t in frame.filter(returns)] == ["T2", "T5"]
    assert [t.id for t in frame.filter(pc.and_(july_2_to_4, frame.is_kind("sale")))] == ["T1", "T3"]
    assert frame.filter(returns).currency == "CNY"


def test_group_sums() -> None:
    frame = _frame()
    # sales: T0 10.50 (D1), T1 20.50 (D2), T3 40.50 (D1), T4 50.50 (D2); returns T2, T5 (None)
    assert frame.group_sums("partner_id", "amount", where=frame.is_kind("sale")) == {
        "D1": Decimal("51.00"),
        "D2": Decimal("71.00"),
    }
    assert frame.group_sums(["partner_id", "kind"], "amount") == {
        ("D1", "sale"): Decimal("51.00"),
        ("D2", "sale"): Decimal("71.00"),
        (None, "return"): Decimal("91.00"),
    }
    assert frame.group_sums("kind", "cost") == {"sale": Decimal(0), "return": Decimal(0)}
    with pytest.raises(KeyError, match="value must be a number column"):
        frame.group_sums("kind", "sku")


def test_group_sums_never_overflow() -> None:
    # 22 places in decimal128(38, 22): ten rows could pass 38 digits, so the sum runs in 76
    price = "999999999999." + "9" * 22
    frame = _frame(10, quantity=["1"] * 10, unit_price=[price] * 10)
    assert frame.column("unit_price").type == pa.decimal128(38, 22)
    sums = frame.group_sums("currency", "unit_price")
    assert sums == {"CNY": Decimal("9999999999999." + "9" * 21 + "0")}  # exact, 35 digits
    # 34 digits at 67 places is decimal text: summed exactly in Python
    tiny = "0." + "0" * 33 + "1" * 34
    frame = _frame(3, cost=[tiny, tiny, None])
    assert frame.column("cost").type == pa.string()
    twice = Decimal("0." + "0" * 33 + "2" * 34)
    assert frame.group_sums("currency", "cost") == {"CNY": twice}
    assert frame.group_sums(["currency"], "cost") == {("CNY",): twice}


def test_iteration_crosses_batches_in_order() -> None:
    frame = _frame(20_000)
    ids = [t.id for t in frame]
    assert ids == [f"T{i}" for i in range(20_000)]
    last = list(frame)[-1]
    assert last.amount == Money("200000.50", "CNY")


def test_equality() -> None:
    assert _frame() == _frame()
    assert _frame() != _frame(5)
    assert _frame() != "frame"
    with pytest.raises(TypeError):
        hash(_frame())


MEMORY = """
import datetime as dt, sys, tracemalloc
import pyarrow as pa, pyarrow.compute as pc
from channelkit.frames import transactions
n = 200_000
text = sys.argv[1] == "text"
amount = pa.array([f"{i % 99991 + 1}.{i % 100:02d}" for i in range(n)])
date = pa.array([(dt.date(2026, 1, 1) + dt.timedelta(days=i % 365)).isoformat() for i in range(n)])
table = pa.table({
    "id": pa.array([f"T{i:07d}" for i in range(n)]),
    "partner_id": pa.array([f"P{i % 500:04d}" for i in range(n)]),
    "date": date if text else pc.cast(pc.strptime(date, "%Y-%m-%d", "s"), pa.date32()),
    "kind": pa.array(["sale", "return", "payment", "sale"] * (n // 4)),
    "amount": amount if text else pc.cast(amount, pa.decimal128(38, 2)),
    "quantity": pa.array([i % 7 for i in range(n)], pa.int64()),
    "currency": pa.array(["CNY"] * n),
})
size = table.nbytes
pool = pa.system_memory_pool()  # the table lives in the default pool; the frame is built here
pa.set_memory_pool(pool)
tracemalloc.start()
frame = transactions(table)
python_peak = tracemalloc.get_traced_memory()[1]
held = sum(b.size for col in frame._table.columns for c in col.chunks for b in c.buffers() if b)
print(size, pool.max_memory() + python_peak, held, len(frame))
"""


@pytest.mark.parametrize("kind", ["arrow", "text"])
def test_memory(kind: str) -> None:
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(MEMORY), kind],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    size, peak, held, rows = map(int, out)
    assert rows == 200_000
    # building: the table plus what building allocates stays within 2.5 times the table
    assert size + peak <= 2.5 * size
    # holding: the frame's buffers (shared with the table where they could be) within twice
    assert held <= 2 * size
