"""Properties of channelkit.frames: the columnar rules agree with the model, row by row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

pa = pytest.importorskip("pyarrow")

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from pydantic import ValidationError  # noqa: E402

from channelkit import FrameError, Transaction  # noqa: E402
from channelkit.frames import transactions  # noqa: E402
from channelkit.testing import transactions as transaction_models  # noqa: E402

NUMBER_TEXTS = [
    "10",
    "0.01",
    "-5.00",
    "0",
    "0.00",
    "-0",
    "1e3",
    "1E+14",
    "1E+15",
    "999999999999999.99",
    "1000000000000000",
    "1e-34",
    "1e-35",
    "0E-40",
    "0E+20",
    "NaN",
    "-Infinity",
    "abc",
    "",
    " ",
    "1_000",
    " 7 ",
    "٣",
    "+.5",
    "5.",
    "12345678901234.12345678901234567890",
    "1234567890123.123456789012345678901",
    "0.000000000000000000000000000000000012",
]
IDS = ["", " ", "\u3000", "\x1c", "a b", "\t"]
TEXTS = [None, "X", "", " ", "\xa0", "\x1f"]


def _money(amount: object, currency: object) -> object:
    return {"amount": amount, "currency": currency}


def _model(row: dict[str, Any]) -> Transaction:
    """The model of a row, read the way a caller would build it from the same values."""
    kw: dict[str, Any] = {
        "id": row["id"],
        "partner_id": row["partner_id"],
        "date": row["date"],
        "kind": row["kind"],
        "amount": _money(row["amount"], row["currency"]),
    }
    if row["quantity"] is not None:
        kw["quantity"] = row["quantity"]
    for name in ("unit_price", "cost"):
        if row[name] is not None:
            kw[name] = _money(row[name], row["currency"])
    for name in ("sku", "territory", "customer_id", "category", "refers_to"):
        kw[name] = row[name]
    return Transaction(**kw)


@st.composite
def rows(draw: st.DrawFn, i: int) -> dict[str, Any]:
    number = st.sampled_from(NUMBER_TEXTS)
    return {
        "id": draw(st.just(f"T{i}") | st.sampled_from(IDS)),
        "partner_id": draw(st.sampled_from([None, "D1", "", " "])),
        "date": draw(
            st.none()
            | st.sampled_from(["2026-01-05", "2026-02-30", "2026-1-5", "0000-01-01", "x"])
            | st.dates().map(dt.date.isoformat)
        ),
        "kind": draw(st.sampled_from([None, "sale", "return", "payment", "refund", "Sale"])),
        "amount": draw(st.none() | number),
        "currency": draw(st.sampled_from([None, "CNY", "JPY", "XYZ", "cny"])),
        "quantity": draw(st.none() | number),
        "sku": draw(st.sampled_from(TEXTS)),
        "unit_price": draw(st.none() | number),
        "territory": draw(st.sampled_from(TEXTS)),
        "customer_id": draw(st.sampled_from(TEXTS)),
        "cost": draw(st.none() | number),
        "category": draw(st.sampled_from([None, "A", "A/B", "A//B", "", "/A", "A/ ", "A/\x1c"])),
        "refers_to": draw(st.sampled_from(TEXTS)),
    }


@st.composite
def tables(draw: st.DrawFn) -> list[dict[str, Any]]:
    n = draw(st.integers(min_value=0, max_value=12))
    return [draw(rows(i)) for i in range(n)]


def _valid(row: dict[str, Any]) -> bool:
    try:
        _model(row)
    except ValidationError:
        return False
    return True


@given(tables())
def test_text_rows_are_rejected_exactly_when_the_model_refuses_them(
    data: list[dict[str, Any]],
) -> None:
    table = pa.Table.from_pylist(data, schema=pa.schema([(k, pa.string()) for k in rows_keys()]))
    frame, rejected = transactions(table, errors="split")
    expected = [i for i, row in enumerate(data) if not _valid(row)]
    assert rejected.column("row").to_pylist() == expected
    assert len(frame) + rejected.num_rows == len(data)
    kept = [_model(row) for row in data if _valid(row)]
    assert list(frame) == kept


def rows_keys() -> list[str]:
    return [
        "id",
        "partner_id",
        "date",
        "kind",
        "amount",
        "currency",
        "quantity",
        "sku",
        "unit_price",
        "territory",
        "customer_id",
        "cost",
        "category",
        "refers_to",
    ]


@given(
    st.lists(
        st.decimals(
            allow_nan=False, allow_infinity=False, places=4, min_value=-(10**16), max_value=10**16
        )
        | st.none(),
        max_size=10,
    ),
    st.sampled_from([(38, 4), (20, 4), (76, 40), (10, 4), (50, 4)]),
)
def test_decimal_amounts_agree_with_the_model(
    values: list[Decimal | None], ps: tuple[int, int]
) -> None:
    p, s = ps
    fits = [v if v is None or abs(v) < Decimal(10) ** (p - s) else None for v in values]
    t = pa.decimal256(p, s) if p > 38 else pa.decimal128(p, s)
    amounts = pa.array(fits, t)
    n = len(fits)
    table = pa.table(
        {
            "id": [f"T{i}" for i in range(n)],
            "partner_id": [None] * n,
            "date": [dt.date(2026, 1, 1)] * n,
            "kind": ["sale"] * n,
            "amount": amounts,
        }
    )
    frame, rejected = transactions(table, currency="USD", errors="split")
    # a column's scale is storage: the value given decides, not its zeros at the column's scale
    ok = []
    for i, a in enumerate(fits):
        try:
            Transaction(
                id="T",
                partner_id=None,
                date=dt.date(2026, 1, 1),
                kind="sale",
                amount=_money(a, "USD"),
            )
            ok.append(i)
        except ValidationError:
            pass
    assert [i for i in range(n) if i not in ok] == rejected.column("row").to_pylist()
    assert [t.amount.amount for t in frame] == [fits[i] for i in ok]


@given(st.lists(transaction_models(), max_size=20))
def test_a_table_of_transactions_iterates_back_to_the_same_models(
    models: list[Transaction],
) -> None:
    first: dict[str, Transaction] = {}
    for t in models:
        first.setdefault(t.id, t)
    frame, rejected = transactions(models, errors="split")
    assert list(frame) == list(first.values())
    assert len(frame) + rejected.num_rows == len(models)
    again = transactions(frame.to_arrow())
    assert again == frame
    assert list(transactions(pa.table(frame.to_arrow()))) == list(first.values())


@given(st.lists(transaction_models(currencies=st.just("EUR")), max_size=20))
def test_raise_mode_counts_every_duplicate(models: list[Transaction]) -> None:
    duplicates = len(models) - len({t.id for t in models})
    if not duplicates:
        assert len(transactions(models)) == len(models)
        return
    with pytest.raises(FrameError) as info:
        transactions(models)
    assert info.value.rejected.num_rows == duplicates
    assert str(info.value).startswith(f"{duplicates} of {len(models)} rows rejected")
