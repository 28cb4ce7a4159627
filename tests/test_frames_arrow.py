"""channelkit.frames.to_arrow: results of one model type as one flat Arrow table."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Literal

import pytest
from pydantic import Field

pa = pytest.importorskip("pyarrow")

from channelkit import (  # noqa: E402
    ArgumentError,
    ArgumentTypeError,
    Bracket,
    Money,
    Period,
    RebatePolicy,
    Severity,
    Transaction,
    settle_all,
)
from channelkit.frames import to_arrow  # noqa: E402
from channelkit.model import Model  # noqa: E402


class Inner(Model):
    total: Money
    note: str | None = None


class Row(Model):
    key: str
    when: Period
    inner: Inner | None = None
    level: Severity
    ratio: Decimal
    tags: tuple[str, ...] = ()
    codes: frozenset[str] = frozenset()
    parts: tuple[Inner, ...] = ()
    prices: tuple[Money, ...] = ()
    spans: tuple[Period, ...] = ()
    by_key: dict[str, Decimal] = Field(default_factory=dict)
    money_by_key: dict[str, Money] = Field(default_factory=dict)
    at: dt.datetime | None = None
    flag: bool = False
    count: int = 0
    mode: Literal["a", "b"] = "a"
    either: int | str = 0
    gap: dt.timedelta | None = None


Q3 = Period(dt.date(2026, 7, 1), dt.date(2026, 10, 1))


def _rows() -> list[Row]:
    return [
        Row(
            key="A",
            when=Q3,
            inner=Inner(total=Money("1.50", "CNY"), note="n"),
            level=Severity.HIGH,
            ratio=Decimal("0.25"),
            tags=("x", "y"),
            codes=frozenset({"b", "a"}),
            parts=(Inner(total=Money(2, "USD")),),
            prices=(Money("0.5", "EUR"),),
            spans=(Q3,),
            by_key={"k": Decimal("1.5")},
            money_by_key={"m": Money(3, "JPY")},
            at=dt.datetime(2026, 7, 1, 12, 0),
            flag=True,
            count=3,
            mode="b",
            either="s",
        ),
        Row(key="B", when=Q3, level=Severity.LOW, ratio=Decimal(7)),
    ]


def test_flattening_of_every_kind_of_field() -> None:
    table = to_arrow(_rows())
    assert table.column_names == [
        "key",
        "when_start",
        "when_end",
        "inner_total",
        "inner_total_currency",
        "inner_note",
        "level",
        "ratio",
        "tags",
        "codes",
        "parts",
        "prices",
        "spans",
        "by_key",
        "money_by_key",
        "at",
        "flag",
        "count",
        "mode",
        "either",
        "gap",
    ]
    row_a, row_b = table.to_pylist()
    assert row_a["when_start"] == dt.date(2026, 7, 1)
    assert row_a["inner_total"] == Decimal("1.50")
    assert row_a["inner_total_currency"] == "CNY"
    assert (row_b["inner_total"], row_b["inner_total_currency"]) == (None, None)
    assert row_a["level"] == "high"
    assert row_a["codes"] == ["a", "b"]
    assert row_a["parts"] == [{"total": Decimal(2), "total_currency": "USD", "note": None}]
    assert row_a["prices"] == [{"amount": Decimal("0.5"), "currency": "EUR"}]
    assert row_a["spans"] == [{"start": dt.date(2026, 7, 1), "end": dt.date(2026, 10, 1)}]
    assert row_a["by_key"] == [("k", Decimal("1.5"))]
    assert row_a["money_by_key"] == [("m", {"amount": Decimal(3), "currency": "JPY"})]
    assert row_b["tags"] == []
    assert json.loads(row_a["either"]) == "s"
    assert json.loads(row_b["either"]) == 0
    assert row_b["gap"] is None
    schema = table.schema
    assert schema.field("ratio").type == pa.decimal128(38, 2)
    assert schema.field("inner_total").type == pa.decimal128(38, 2)
    assert schema.field("level").type == pa.string()
    assert schema.field("when_end").type == pa.date32()
    assert schema.field("count").type == pa.int64()
    assert schema.field("at").type == pa.timestamp("us")


def test_a_none_nested_model_gives_nulls_not_missing_columns() -> None:
    table = to_arrow([_rows()[1]])
    assert "inner_total" in table.column_names
    assert table.column("inner_total").to_pylist() == [None]


def test_wide_decimals() -> None:
    wide = Decimal("1E+40")  # 41 digits: decimal256
    huge = Decimal("1E+100")  # past 76 digits: exact decimal text
    table = to_arrow([_rows()[1].model_copy(update={"ratio": wide})])
    assert table.schema.field("ratio").type == pa.decimal256(76, 0)
    assert table.column("ratio").to_pylist() == [wide]
    table = to_arrow([_rows()[1].model_copy(update={"ratio": huge})])
    assert table.schema.field("ratio").type == pa.string()
    assert Decimal(table.column("ratio")[0].as_py()) == huge


class Wide(Model):
    x: Decimal | None = None


class Deep(Model):
    values: tuple[Decimal, ...] = ()
    nested: tuple[Wide, ...] = ()
    by_key: dict[str, Decimal] = Field(default_factory=dict)


def test_decimals_past_76_digits_inside_lists_maps_and_structs_are_text() -> None:
    huge = Decimal("1E+100")
    table = to_arrow(
        [
            Deep(values=(huge, Decimal(1)), nested=(Wide(x=huge), Wide()), by_key={"k": huge}),
            Deep(),
        ]
    )
    row = table.to_pylist()[0]
    assert [Decimal(v) for v in row["values"]] == [huge, 1]
    assert Decimal(row["nested"][0]["x"]) == huge
    assert row["nested"][1]["x"] is None
    assert [(k, Decimal(v)) for k, v in row["by_key"]] == [("k", huge)]
    # a column without such a decimal keeps its exact decimal type
    narrow = to_arrow([Deep(values=(Decimal("1.5"),), nested=(Wide(x=Decimal(2)),))])
    assert narrow.schema.field("values").type == pa.list_(pa.decimal128(38, 1))


def test_settlements_with_explanations() -> None:
    policy = RebatePolicy(
        id="L",
        name="L",
        currency="CNY",
        brackets=(Bracket(start=0, rate="0.02"), Bracket(start=1000, rate="0.03")),
    )
    txs = [
        Transaction(
            id=f"T{i}", partner_id=p, date=dt.date(2026, 7, 3), kind="sale", amount=Money(a, "CNY")
        )
        for i, (p, a) in enumerate([("D1", 1500), ("D2", 500)])
    ]
    settlements = settle_all(policy, txs, Q3)
    table = to_arrow(settlements, lang="zh")
    assert table.num_rows == 2
    assert table.column("partner_id").to_pylist() == ["D1", "D2"]
    # D1: 1000 x 2% + 500 x 3% = 35.00
    assert table.column("result_amount").to_pylist()[0] == Decimal("35.00")
    assert table.column("result_amount_currency").to_pylist() == ["CNY", "CNY"]
    assert table.column("period_start").to_pylist() == [dt.date(2026, 7, 1)] * 2
    assert pa.types.is_list(table.schema.field("result_lines").type)
    assert table.column("explanation").to_pylist() == [
        s.explain("zh") for s in settlements.values()
    ]


def test_empty_and_errors() -> None:
    assert to_arrow([]).num_columns == 0
    assert to_arrow({}).num_rows == 0
    with pytest.raises(ArgumentTypeError, match="results mixes model types: Row and Inner") as info:
        to_arrow([_rows()[0], Inner(total=Money(1, "CNY"))])
    assert isinstance(info.value, TypeError)
    with pytest.raises(ArgumentTypeError, match=r"results\[0\] is a Money, not a pydantic model"):
        to_arrow([Money(1, "CNY")])
    with pytest.raises(ArgumentTypeError, match="lang needs models with explain"):
        to_arrow(_rows(), lang="en")
    with pytest.raises(ArgumentError, match="lang must be 'en' or 'zh'"):
        to_arrow(_rows(), lang="fr")
