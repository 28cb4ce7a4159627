"""channelkit.frames.transactions: every rule, its reason, and the two error modes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

pa = pytest.importorskip("pyarrow")

from channelkit import ArgumentError, ArgumentTypeError, FrameError  # noqa: E402
from channelkit.frames import transactions  # noqa: E402

GOOD: dict[str, Any] = {
    "id": "T1",
    "partner_id": "D1",
    "date": "2026-07-01",
    "kind": "sale",
    "amount": "100.00",
    "currency": "CNY",
    "quantity": "2",
    "sku": "A",
    "unit_price": "50.00",
    "territory": "N",
    "customer_id": "C1",
    "cost": "60.00",
    "category": "Electronics/Phones",
    "refers_to": None,
}


def _table(*changes: dict[str, Any]) -> Any:
    """One valid row, then one row per change (ids T2, T3, ... unless the change sets one)."""
    rows = [dict(GOOD)]
    for i, change in enumerate(changes, start=2):
        rows.append({**GOOD, "id": f"T{i}", **change})
    return pa.Table.from_pylist(rows, schema=pa.schema([(k, pa.string()) for k in GOOD]))


def _reason(change: dict[str, Any]) -> str:
    frame, rejected = transactions(_table(change), errors="split")
    assert len(frame) == 1
    assert rejected.column("row").to_pylist() == [1]
    return str(rejected.column("reason")[0])


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"id": None}, "id: is required (value null)"),
        ({"id": ""}, "id: must not be empty or only white space (value '')"),
        ({"id": " \u3000"}, "id: must not be empty or only white space (value ' \\u3000')"),
        ({"id": "T1"}, "id: duplicates the id of row 0 (value 'T1')"),
        ({"partner_id": "  "}, "partner_id: must not be empty or only white space (value '  ')"),
        ({"date": None}, "date: is required (value null)"),
        ({"date": "2026-02-30"}, "date: must be an ISO date YYYY-MM-DD (value '2026-02-30')"),
        ({"date": "2026-7-1"}, "date: must be an ISO date YYYY-MM-DD (value '2026-7-1')"),
        ({"date": "0000-01-01"}, "date: must be an ISO date YYYY-MM-DD (value '0000-01-01')"),
        ({"kind": None}, "kind: is required (value null)"),
        ({"kind": "refund"}, "kind: must be one of 'sale', 'return', 'payment' (value 'refund')"),
        ({"kind": "Sale"}, "kind: must be one of 'sale', 'return', 'payment' (value 'Sale')"),
        ({"amount": None}, "amount: is required (value null)"),
        ({"amount": "-5.00"}, "amount: must be positive (value -5.00)"),
        ({"amount": "0"}, "amount: must be positive (value 0)"),
        ({"amount": "abc"}, "amount: is not a number (value 'abc')"),
        ({"amount": "NaN"}, "amount: must be finite (value 'NaN')"),
        ({"amount": "1e15"}, "amount: is too large (the bound is below 10**15) (value '1e15')"),
        (
            {"amount": "1e-35"},
            "amount: is too small to be meaningful (at least 10**-34 when not zero) "
            "(value '1e-35')",
        ),
        (
            {"amount": "1." + "0" * 34},
            "amount: has too many digits (at most 34 significant digits) (value '1."
            + "0" * 34
            + "')",
        ),
        ({"currency": None}, "currency: is required (value null)"),
        (
            {"currency": "cny"},
            "currency: unknown currency: expected an upper-case ISO 4217 code such as 'CNY' "
            "(value 'cny')",
        ),
        ({"quantity": "-1"}, "quantity: must not be negative (value -1)"),
        ({"quantity": "x"}, "quantity: is not a number (value 'x')"),
        ({"sku": ""}, "sku: must not be empty or only white space (value '')"),
        ({"unit_price": "-0.01"}, "unit_price: must not be negative (value -0.01)"),
        ({"territory": "\t"}, "territory: must not be empty or only white space (value '\\t')"),
        ({"customer_id": ""}, "customer_id: must not be empty or only white space (value '')"),
        ({"cost": "-1"}, "cost: must not be negative (value -1)"),
        ({"cost": " -1.5 "}, "cost: must not be negative (value -1.5)"),
        ({"kind": "payment"}, "cost: a payment has no cost of goods (value 60.00)"),
        (
            {"category": "A//B"},
            "category: must be a '/'-separated path without empty segments (value 'A//B')",
        ),
        (
            {"category": "A/ "},
            "category: must be a '/'-separated path without empty segments (value 'A/ ')",
        ),
        (
            {"category": ""},
            "category: must be a '/'-separated path without empty segments (value '')",
        ),
        ({"refers_to": " "}, "refers_to: must not be empty or only white space (value ' ')"),
        ({"refers_to": "T0"}, "refers_to: a sale refers to no other transaction (value 'T0')"),
    ],
)
def test_each_rule_and_its_reason(change: dict[str, Any], reason: str) -> None:
    assert _reason(change) == reason


def test_returns_and_payments_may_refer_to_a_sale() -> None:
    frame = transactions(
        _table(
            {"kind": "return", "refers_to": "T1"},
            {"kind": "payment", "refers_to": "T1", "cost": None},
        )
    )
    assert [t.refers_to for t in frame] == [None, "T1", "T1"]


def test_the_first_rule_in_field_order_wins() -> None:
    # id (blank), then amount (negative), then cost (negative): the id is reported
    assert _reason({"id": "", "amount": "-1", "cost": "-1"}).startswith("id: must not be empty")
    # amount before currency? the amount's own bounds first, then its currency, then its sign
    assert _reason({"amount": "abc", "currency": "XYZ"}).startswith("amount: is not a number")
    assert _reason({"amount": "-1", "currency": "XYZ"}).startswith("currency: unknown")
    # a cost that is negative on a payment: the cost's own rule first
    assert _reason({"kind": "payment", "cost": "-1"}) == "cost: must not be negative (value -1)"


def test_every_later_duplicate_is_rejected_and_the_first_kept() -> None:
    table = _table({"id": "T1"}, {"id": "T9"}, {"id": "T1"}, {"id": "T9"})
    frame, rejected = transactions(table, errors="split")
    assert [t.id for t in frame] == ["T1", "T9"]
    assert rejected.column("row").to_pylist() == [1, 3, 4]
    assert rejected.column("reason").to_pylist() == [
        "id: duplicates the id of row 0 (value 'T1')",
        "id: duplicates the id of row 0 (value 'T1')",
        "id: duplicates the id of row 2 (value 'T9')",
    ]


def test_ids_are_unique_among_the_valid_rows_and_the_first_valid_one_is_kept() -> None:
    # the first T1 is rejected for its amount, so the second T1 is the first valid one and
    # kept; the third repeats it (row 1), the fifth repeats T2 (row 3)
    table = pa.table(
        {
            "id": ["T1", "T1", "T1", "T2", "T2"],
            "partner_id": ["D"] * 5,
            "date": ["2026-01-01"] * 5,
            "kind": ["sale"] * 5,
            "amount": ["-1", "1", "2", "3", "4"],
        }
    )
    frame, rejected = transactions(table, currency="CNY", errors="split")
    assert [(t.id, t.amount.amount) for t in frame] == [("T1", 1), ("T2", 3)]
    assert rejected.column("row").to_pylist() == [0, 2, 4]
    assert rejected.column("reason").to_pylist() == [
        "amount: must be positive (value -1)",
        "id: duplicates the id of row 1 (value 'T1')",
        "id: duplicates the id of row 3 (value 'T2')",
    ]


@pytest.mark.parametrize(
    ("ids", "repeated"),
    [
        (["T1", "T2", "T3"], []),  # rising: distinct without hashing
        (["T3", "T1", "T2"], []),  # distinct, not in order: hashed
        (["T1", "T2", "T2"], [2]),  # in order, not strictly rising: hashed, the repeat found
        (["T1"], []),  # a single row
    ],
)
def test_ids_in_any_order_are_checked_for_repeats(ids: list[str], repeated: list[int]) -> None:
    frame, rejected = transactions(_table(*({"id": i} for i in ids)).slice(1), errors="split")
    assert rejected.column("row").to_pylist() == repeated
    assert len(frame) == len(ids) - len(repeated)


def test_a_decimal_column_inside_every_bound_keeps_every_row() -> None:
    # decimal128(38, 2) could hold values past the bounds; its extremes show none is there
    amounts = pa.array([Decimal("0.01"), Decimal("99999999999999.99")], pa.decimal128(38, 2))
    table = pa.table(
        {
            "id": ["T1", "T2"],
            "partner_id": ["D", "D"],
            "date": [dt.date(2026, 1, 1)] * 2,
            "kind": ["sale", "sale"],
            "amount": amounts,
        }
    )
    frame = transactions(table, currency="CNY")
    assert [t.amount.amount for t in frame] == [Decimal("0.01"), Decimal("99999999999999.99")]


def test_raise_mode_message_count_first_five_and_rejected_table() -> None:
    changes = [{"amount": "-1"} for _ in range(7)]
    table = _table(*changes).append_column("note", pa.array(["n"] * 8))
    with pytest.raises(FrameError) as info:
        transactions(table)
    err = info.value
    lines = str(err).splitlines()
    assert (
        lines[0]
        == "7 of 8 rows rejected (the first five below; FrameError.rejected holds them all):"
    )
    assert lines[1:] == [f"  row {i}: amount: must be positive (value -1)" for i in range(1, 6)]
    assert err.rejected.column_names == [*GOOD, "note", "row", "reason"]
    assert err.rejected.schema.field("row").type == pa.int64()
    assert err.rejected.schema.field("reason").type == pa.string()
    assert err.rejected.column("row").to_pylist() == list(range(1, 8))
    assert isinstance(err, ValueError)


def test_raise_mode_message_for_one_row() -> None:
    with pytest.raises(FrameError, match=r"^1 of 2 rows rejected \(every one below"):
        transactions(_table({"kind": "gift"}))


def test_split_mode_with_nothing_rejected_has_an_empty_rejected_table() -> None:
    frame, rejected = transactions(_table(), errors="split")
    assert len(frame) == 1
    assert rejected.num_rows == 0
    assert rejected.column_names == [*GOOD, "row", "reason"]


def test_rejected_keeps_the_input_names_and_types() -> None:
    table = pa.table(
        {
            "inv": ["A", "B"],
            "who": ["D", "D"],
            "day": [dt.date(2026, 1, 1)] * 2,
            "kind": ["sale", "sale"],
            "amt": pa.array([Decimal("1.00"), Decimal("-2.00")], pa.decimal128(9, 2)),
            "extra": [1, 2],
        }
    )
    frame, rejected = transactions(
        table,
        columns={"inv": "id", "who": "partner_id", "day": "date", "amt": "amount"},
        currency="USD",
        errors="split",
    )
    assert rejected.schema.field("amt").type == pa.decimal128(9, 2)
    assert rejected.column("reason").to_pylist() == ["amt: must be positive (value -2.00)"]
    assert rejected.column("extra").to_pylist() == [2]
    assert [t.id for t in frame] == ["A"]


@pytest.mark.parametrize("kind", ["float64", "float32", "float16"])
def test_float_number_columns_are_refused_before_any_row_is_read(kind: str) -> None:
    table = _table({"amount": "-1"}).set_column(
        4, "amount", pa.array([1.5, -1.0], kind if kind != "float16" else "float32").cast(kind)
    )
    for errors in ("raise", "split"):
        with pytest.raises(
            FrameError, match=r"^amount: column is .*floating point.*decimal128"
        ) as info:
            transactions(table, errors=errors)
        assert info.value.rejected is None


def test_float_quantity_named_by_its_input_name() -> None:
    table = _table().append_column("qty", pa.array([1.0])).drop_columns(["quantity"])
    with pytest.raises(FrameError, match=r"^qty: column is double"):
        transactions(table, columns={"qty": "quantity"})


@pytest.mark.parametrize("missing", ["id", "partner_id", "date", "kind", "amount"])
def test_required_columns(missing: str) -> None:
    with pytest.raises(FrameError, match=rf"^{missing}: the table has no '{missing}' column"):
        transactions(_table().drop_columns([missing]))


def test_optional_columns_may_be_absent_and_extras_are_ignored() -> None:
    table = _table().select(["id", "partner_id", "date", "kind", "amount", "currency"])
    frame = transactions(table.append_column("colour", pa.array(["red"])))
    (t,) = list(frame)
    assert (t.quantity, t.cost, t.sku, t.category) == (Decimal(0), None, None, None)


@pytest.mark.parametrize(
    ("column", "array", "text"),
    [
        ("id", pa.array([1]), "id: column is int64; id needs text"),
        ("date", pa.array([1]), "date: column is int64; date needs a date"),
        ("amount", pa.array([True]), "amount: column is bool; amount needs an exact number"),
        ("kind", pa.array([[1]]), "kind: column is list<item: int64>; kind needs text"),
        (
            "date",
            pa.array([dt.datetime(2026, 1, 1)], pa.timestamp("s", tz="UTC")),
            "date: column is timestamp",
        ),
    ],
)
def test_columns_of_the_wrong_type(column: str, array: Any, text: str) -> None:
    table = _table()
    table = table.set_column(table.column_names.index(column), column, array)
    with pytest.raises(FrameError, match=f"^{text}"):
        transactions(table)


def test_currency_argument_rules() -> None:
    table = _table()
    with pytest.raises(
        ArgumentError, match="currency='USD' was given but the table has a currency column"
    ) as info:
        transactions(table, currency="USD")
    assert (info.value.argument, info.value.value) == ("currency", "USD")
    no_cur = table.drop_columns(["currency"])
    with pytest.raises(FrameError, match=r"^currency: the table has no currency column"):
        transactions(no_cur)
    with pytest.raises(ArgumentError, match="unknown currency 'usd'"):
        transactions(no_cur, currency="usd")
    assert transactions(no_cur, currency="JPY").currency == "JPY"
    # an empty table needs no currency
    assert transactions(no_cur.slice(0, 0)).currency is None


def test_renames() -> None:
    names = ["inv_no" if c == "id" else "ccy" if c == "currency" else c for c in GOOD]
    frame = transactions(
        _table().rename_columns(names), columns={"inv_no": "id", "ccy": "currency"}
    )
    assert [t.id for t in frame] == ["T1"]
    assert frame.currency == "CNY"


def test_a_renamed_column_wins_over_one_of_the_same_name() -> None:
    table = _table().append_column("inv_no", pa.array(["X1"]))
    frame = transactions(table, columns={"inv_no": "id"})
    assert [t.id for t in frame] == ["X1"]


@pytest.mark.parametrize(
    ("columns", "text"),
    [
        ({"nope": "id"}, "'nope' is not a column of the table"),
        ({"sku": "product"}, "'sku' is renamed to 'product', which is not a Transaction field"),
        ({"sku": "id", "territory": "id"}, "both 'sku' and 'territory' would be read as 'id'"),
    ],
)
def test_bad_renames(columns: dict[str, str], text: str) -> None:
    with pytest.raises(ArgumentError, match=text):
        transactions(_table(), columns=columns)


def test_bad_arguments() -> None:
    with pytest.raises(ArgumentError, match="errors must be 'raise' or 'split'"):
        transactions(_table(), errors="ignore")  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match="columns must be a mapping"):
        transactions(_table(), columns=[("a", "b")])  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match="data must be an Arrow-compatible table"):
        transactions(42)
    with pytest.raises(ArgumentTypeError, match=r"data\[1\] is a str, not a Transaction"):
        transactions([next(iter(transactions(_table()))), "T2"])


def test_number_forms_read_exactly() -> None:
    values = ["1_000", " 7 ", "1e3", "+.5", "5.", "١٢", "12345678901234.12345678901234567890"]
    frame = transactions(_table(*({"amount": v} for v in values)))
    assert [t.amount.amount for t in frame][1:] == [
        Decimal(1000),
        Decimal(7),
        Decimal(1000),
        Decimal("0.5"),
        Decimal(5),
        Decimal(12),
        Decimal("12345678901234.12345678901234567890"),
    ]


def test_a_zero_with_a_wide_exponent_is_plain_zero() -> None:
    # 0E-40 is read as 0: it does not widen the column to 40 places
    frame = transactions(_table({"quantity": "0E-40"}, {"quantity": "0." + "0" * 50}))
    assert [t.quantity for t in frame] == [Decimal(2), Decimal(0), Decimal(0)]
    assert frame.column("quantity").type == pa.decimal128(38, 0)


def test_wide_scales_stay_exact() -> None:
    # 34 significant digits at 67 places: past decimal256, kept as decimal text
    tiny = "0." + "0" * 33 + "1" * 34
    frame = transactions(_table({"cost": tiny}))
    assert frame.column("cost").type == pa.string()
    assert [t.cost.amount if t.cost else None for t in frame][1] == Decimal(tiny)
    wide = "0." + "0" * 20 + "1" * 10
    frame = transactions(_table({"unit_price": wide}))
    assert frame.column("unit_price").type == pa.decimal256(76, 30)
    assert list(frame)[1].unit_price.amount == Decimal(wide)


def _one(**columns: Any) -> Any:
    n = len(next(iter(columns.values())))
    base = {
        "id": [f"T{i}" for i in range(n)],
        "partner_id": [None] * n,
        "date": [dt.date(2026, 1, 1)] * n,
        "kind": ["sale"] * n,
        "amount": ["1"] * n,
    }
    return pa.table({**base, **columns})


def test_integer_columns() -> None:
    table = _one(
        amount=pa.array([10**15, -(10**15), 5, None], pa.int64()),
        quantity=pa.array([-1, 2, 3, 4], pa.int16()),
    )
    frame, rejected = transactions(table, currency="CNY", errors="split")
    assert rejected.column("reason").to_pylist() == [
        "amount: is too large (the bound is below 10**15) (value 1000000000000000)",
        "amount: is too large (the bound is below 10**15) (value -1000000000000000)",
        "amount: is required (value null)",
    ]
    assert [t.amount.amount for t in frame] == [Decimal(5)]
    unsigned = _one(
        amount=pa.array([10**15, 7], pa.uint64()), quantity=pa.array([1, 2], pa.uint32())
    )
    frame, rejected = transactions(unsigned, currency="CNY", errors="split")
    assert rejected.column("row").to_pylist() == [0]
    negative = _one(amount=pa.array([1], pa.int8()), quantity=pa.array([-1], pa.int64()))
    with pytest.raises(FrameError, match="quantity: must not be negative \\(value -1\\)"):
        transactions(negative, currency="CNY")


def test_date_columns_of_other_types() -> None:
    stamps = pa.array([dt.datetime(2026, 1, 1), dt.datetime(2026, 1, 1, 3)], pa.timestamp("ms"))
    frame, rejected = transactions(_one(date=stamps), currency="CNY", errors="split")
    assert [t.date for t in frame] == [dt.date(2026, 1, 1)]
    assert rejected.column("reason").to_pylist() == [
        "date: must be a date without a time of day (value 2026-01-01T03:00:00)"
    ]
    days64 = pa.array([dt.date(2026, 1, 2)], pa.date64())
    assert [t.date for t in transactions(_one(date=days64), currency="CNY")] == [
        dt.date(2026, 1, 2)
    ]
    beyond = pa.array([2_932_897], pa.int32()).cast(pa.date32())  # the day after 9999-12-31
    with pytest.raises(
        FrameError, match=r"date: must be between 0001-01-01 and 9999-12-31 \(value 10000-01-01\)"
    ):
        transactions(_one(date=beyond), currency="CNY")
    with pytest.raises(FrameError, match="date: is required"):
        transactions(_one(date=pa.nulls(1)), currency="CNY")


def test_very_wide_decimal_columns() -> None:
    # scale 70: past decimal256; the valid values are kept exactly as decimal text
    values = [Decimal("1E-34"), Decimal("1E-40"), Decimal(5)]
    table = _one(amount=pa.array(values, pa.decimal256(76, 70)))
    frame, rejected = transactions(table, currency="CNY", errors="split")
    assert frame.column("amount").type == pa.decimal256(76, 34)
    assert [t.amount.amount for t in frame] == [Decimal("1E-34"), Decimal(5)]
    clean = transactions(_one(amount=pa.array([values[0]], pa.decimal256(76, 70))), currency="CNY")
    assert clean.decimals("amount") == [Decimal("1E-34")]
    (reason,) = rejected.column("reason").to_pylist()
    assert reason.startswith(
        "amount: is too small to be meaningful (at least 10**-34 when not zero)"
    )


def test_more_number_text() -> None:
    many = "1." + "0" * 34 + "e1"  # 35 digits with an exponent: read in Python
    frame, rejected = transactions(_one(amount=[many, "2"]), currency="CNY", errors="split")
    assert rejected.column("reason").to_pylist()[0].startswith("amount: has too many digits")
    wide_zero = "0." + "0" * 50  # plain text, all of it: the zero is read as 0
    frame = transactions(_one(amount=["1", "2"], quantity=[wide_zero, "1.5"]), currency="CNY")
    assert frame.column("quantity").type == pa.decimal128(38, 1)
    assert frame.decimals("quantity") == [Decimal(0), Decimal("1.5")]
    assert transactions(_one(amount=pa.nulls(1, pa.string())), currency="CNY", errors="split")[
        1
    ].column("reason").to_pylist() == ["amount: is required (value null)"]


def test_models_with_very_wide_numbers() -> None:
    tiny = Decimal("0." + "0" * 33 + "1" * 34)
    model = next(iter(transactions(_table())))
    wide = model.model_copy(update={"cost": None, "unit_price": None, "quantity": tiny})
    big = model.model_copy(update={"id": "T2", "quantity": Decimal(10**14)})
    frame = transactions([wide, big])
    assert frame.column("quantity").type == pa.string()
    assert [t.quantity for t in frame] == [tiny, Decimal(10**14)]


def test_a_pandas_without_the_arrow_stream_is_told_so() -> None:
    old = type("DataFrame", (), {"__module__": "pandas.core.frame"})()
    with pytest.raises(ArgumentTypeError, match=r"pandas before 2\.2 has no Arrow stream"):
        transactions(old)
