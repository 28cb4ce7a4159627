"""Calculators that take transactions take a table too (API.md, "Tables in, tables out").

Worked examples computed by hand, the errors of the table path, and ``rebate_amounts`` on
arrays. The detectors' cases are in ``test_tables_detectors.py``, the random comparisons with the
model path in ``test_tables_properties.py``.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from decimal import Decimal
from typing import Any

import pytest

pa = pytest.importorskip("pyarrow")

from channelkit import (  # noqa: E402
    ArgumentError,
    ArgumentTypeError,
    Bracket,
    CurrencyMismatchError,
    FrameError,
    Money,
    Partner,
    PartnerKind,
    Period,
    PolicyError,
    RebatePolicy,
    Scope,
    Transaction,
    detect_channel_overlap,
    detect_conflicts,
    detect_price_violations,
    detect_territory_diversion,
    frames,
    rebate_amounts,
    review,
    settle,
    settle_all,
)

Q3 = Period.quarter(2026, 3)
Q2 = Period.quarter(2026, 2)
LADDER = RebatePolicy(
    id="Q3",
    name="Q3 ladder",
    currency="CNY",
    brackets=(Bracket(start=0, rate="0.02"), Bracket(start=50_000, rate="0.03")),
)
ROWS: dict[str, list[Any]] = {
    "id": ["T1", "T2", "T3", "T4", "T5", "T6", "T7"],
    "partner_id": ["D1", "D1", "D2", "D1", None, "D2", "D3"],
    "date": [
        "2026-07-03",
        "2026-08-03",
        "2026-07-10",
        "2026-09-01",
        "2026-07-20",
        "2026-10-01",
        "2026-06-30",
    ],
    "kind": ["sale", "return", "sale", "payment", "sale", "sale", "sale"],
    "amount": ["80000.00", "5000.00", "30000.00", "50000.00", "999.00", "7000.00", "1000.00"],
    "quantity": [10, 1, 4, 0, 1, 1, 1],
    "sku": ["A", "A", "B", None, "A", "B", "A"],
    "territory": ["N", "N", "S", None, "N", "S", "E"],
    "customer_id": ["C1", "C1", "C2", None, "C3", "C2", "C4"],
    "currency": ["CNY"] * 7,
}


def table(**changes: list[Any]) -> Any:
    return pa.table({**ROWS, **changes})


def models(data: Any) -> list[Transaction]:
    return list(frames.transactions(data))


# -- settlements ----------------------------------------------------------------------------------


def test_settle_all_from_a_table_by_hand() -> None:
    out = settle_all(LADDER, table(), Q3)
    # D1: sales 80000 (T1), returns 5000 (T2), collections 50000 (T4); units 10 - 1 = 9
    #     basis 75000: 50000 x 2% + 25000 x 3% = 1000 + 750 = 1750.00
    # D2: sales 30000 (T3; T6 is in Q4), units 4: 30000 x 2% = 600.00
    # the direct sale T5 and D3's sale in Q2 are not settled
    assert list(out) == ["D1", "D2"]
    d1, d2 = out["D1"], out["D2"]
    assert (d1.gross_sales, d1.returns, d1.collections) == (
        Money("80000", "CNY"),
        Money("5000", "CNY"),
        Money("50000", "CNY"),
    )
    assert (d1.units, d1.basis, d1.payable) == (Decimal(9), Decimal(75000), Money("1750", "CNY"))
    assert (d2.units, d2.basis, d2.payable) == (Decimal(4), Decimal(30000), Money("600", "CNY"))
    assert out == settle_all(LADDER, models(table()), Q3)


def test_settle_one_partner_from_a_table() -> None:
    assert settle(LADDER, table(), Q3, partner_id="D2").payable == Money("600.00", "CNY")
    # a partner without a row in the period settles at zero, as with models
    nobody = settle(LADDER, table(), Q3, partner_id="D9", advances=100)
    assert nobody == settle(LADDER, models(table()), Q3, partner_id="D9", advances=100)
    assert nobody.payable == Money("-100", "CNY")


def test_scope_is_applied_in_columns() -> None:
    scoped = LADDER.model_copy(
        update={"scope": Scope(skus=frozenset({"A"}), territories=frozenset({"N"}))}
    )
    out = settle_all(scoped, table(), Q3)
    # only T1 and T2 (SKU A in N) count; the payment T4 has no SKU but no territory either
    assert out["D1"].basis == Decimal(75000)
    assert out["D1"].collections == Money("0", "CNY")
    assert list(out) == ["D1"]
    assert out == settle_all(scoped, models(table()), Q3)


def test_a_frame_is_read_as_it_is() -> None:
    frame = frames.transactions(table())
    assert settle_all(LADDER, frame, Q3) == settle_all(LADDER, table(), Q3)
    assert review(frame, Q3) == review(table(), Q3)


def test_pandas_polars_and_duckdb_tables() -> None:
    expected = settle_all(LADDER, table(), Q3)
    pandas = pytest.importorskip("pandas")
    polars = pytest.importorskip("polars")
    duckdb = pytest.importorskip("duckdb")
    assert settle_all(LADDER, pandas.DataFrame(ROWS), Q3) == expected
    assert settle_all(LADDER, polars.DataFrame(ROWS), Q3) == expected
    source = table()  # noqa: F841  (read by name by duckdb's replacement scan)
    assert settle_all(LADDER, duckdb.sql("select * from source"), Q3) == expected


# -- errors ---------------------------------------------------------------------------------------


def test_a_bad_row_raises_frame_error_in_every_calculator() -> None:
    bad = table(amount=["80000.00", "-5000.00", *ROWS["amount"][2:]])
    calls = [
        lambda: settle_all(LADDER, bad, Q3),
        lambda: settle(LADDER, bad, Q3, partner_id="D1"),
        lambda: review(bad, Q3),
        lambda: detect_price_violations(bad, {"A": Money(1, "CNY")}),
        lambda: detect_territory_diversion(bad, []),
        lambda: detect_channel_overlap(bad, []),
        lambda: detect_conflicts(bad),
    ]
    for call in calls:
        with pytest.raises(FrameError, match="row 1: amount: must be positive") as err:
            call()
        assert err.value.rejected is not None
        assert err.value.rejected["row"].to_pylist() == [1]


def test_duplicate_ids_are_a_frame_error() -> None:
    with pytest.raises(FrameError, match="duplicates the id of row 0"):
        settle_all(LADDER, table(id=["T1", "T1", "T3", "T4", "T5", "T6", "T7"]), Q3)


def test_a_table_without_currency_needs_a_frame_with_currency() -> None:
    plain = table().drop_columns(["currency"])
    with pytest.raises(FrameError, match=r"^currency: the table has no currency column"):
        settle_all(LADDER, plain, Q3)
    frame = frames.transactions(plain, currency="CNY")
    assert settle_all(LADDER, frame, Q3) == settle_all(LADDER, table(), Q3)


def test_currency_mismatch_names_the_row_the_model_path_names() -> None:
    mixed = table(currency=["CNY", "CNY", "USD", "CNY", "EUR", "CNY", "JPY"])
    rows = models(mixed)
    for compute in (
        lambda t: settle_all(LADDER, t, Q3),
        lambda t: settle(LADDER, t, Q3, partner_id="D2"),
        lambda t: review(t, Q3),
        lambda t: review(t, Q3, prior=Q2),
    ):
        with pytest.raises(CurrencyMismatchError) as by_table:
            compute(mixed)
        with pytest.raises(CurrencyMismatchError) as by_models:
            compute(rows)
        assert str(by_table.value) == str(by_models.value)
    with pytest.raises(CurrencyMismatchError, match="transaction T3"):
        settle_all(LADDER, mixed, Q3)
    # D1's rows are all in CNY: settling D1 alone reads no other currency
    assert settle(LADDER, mixed, Q3, partner_id="D1").payable == Money("1750", "CNY")
    # a frame whose currency was given (no column): every counted row is in USD
    dollars = frames.transactions(table().drop_columns(["currency"]), currency="USD")
    with pytest.raises(CurrencyMismatchError) as by_table:
        settle_all(LADDER, dollars, Q3)
    with pytest.raises(CurrencyMismatchError) as by_models:
        settle_all(LADDER, list(dollars), Q3)
    assert str(by_table.value) == str(by_models.value)
    assert "transaction T1" in str(by_table.value)
    assert review(dollars, Q3) == review(list(dollars), Q3)
    # nothing read in the period and no partners: no currency, in both paths
    with pytest.raises(ArgumentError, match="review has no currency"):
        review(dollars, Period.quarter(2027, 1))


def test_policy_errors_are_those_of_the_model_path() -> None:
    incremental = LADDER.model_copy(update={"basis": "incremental"})
    with pytest.raises(PolicyError, match="pass the baseline") as by_table:
        settle_all(incremental, table(), Q3)
    with pytest.raises(PolicyError) as by_models:
        settle_all(incremental, models(table()), Q3)
    assert str(by_table.value) == str(by_models.value)


def test_a_column_is_not_a_table_of_transactions() -> None:
    column = pa.chunked_array([[1, 2]])  # an Arrow stream, but of numbers, not rows
    for call in (
        lambda: settle_all(LADDER, column, Q3),
        lambda: review(column, Q3),
        lambda: detect_conflicts(column),
    ):
        with pytest.raises(ArgumentTypeError, match="transactions must be a table") as err:
            call()
        assert err.value.argument == "transactions"
    with pytest.raises(ArgumentTypeError, match="data must be a table"):
        frames.transactions(column)


def test_arguments_are_checked_before_the_table_is_read() -> None:
    bad = table(amount=["-1", *ROWS["amount"][1:]])
    with pytest.raises(ArgumentTypeError, match="policy must be a RebatePolicy"):
        settle_all("LADDER", bad, Q3)  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match="period must be a Period"):
        review(bad, "2026Q3")  # type: ignore[arg-type]


# -- the review ----------------------------------------------------------------------------------


def test_review_from_a_table_by_hand() -> None:
    east = Partner(
        id="D1",
        name="East",
        kind=PartnerKind.DISTRIBUTOR,
        currency="CNY",
        territories=frozenset({"N", "E"}),
        payment_terms_days=30,
        joined=dt.date(2020, 1, 1),
    )
    r = review(table(), Q3, partners=[east], prior=Q2, targets={"D2": 40_000})
    # Q3 rows T1-T5: gross 80000 + 30000 + 999 = 110999, returns 5000, net 105999,
    # collections 50000, units 10 - 1 + 4 + 1 = 14, 3 sales to 3 customers (C1, C2, C3)
    assert r.total.net_sales == Money("105999", "CNY")
    assert (r.total.units, r.total.orders, r.total.customers) == (Decimal(14), 3, 3)
    assert r.direct.net_sales == Money("999", "CNY")
    # prior (Q2): D3's 1000; growth (105999 - 1000) / 1000 = 104.999
    assert r.growth == Decimal("104.999")
    # territories N: 80000 - 5000 + 999 = 75999, S: 30000; E is D1's but sold in Q2 only
    assert [(g.key, g.figures.net_sales.amount) for g in r.territories] == [
        ("N", Decimal(75999)),
        ("S", Decimal(30000)),
    ]
    # D2: attainment 30000 / 40000 = 0.75 < 0.8, a laggard
    assert r.laggards == ("D2",)
    assert r.coverage.territories_covered == 1  # N (to cover: N, E)
    assert r == review(models(table()), Q3, partners=[east], prior=Q2, targets={"D2": 40_000})


# -- rebate_amounts on arrays ---------------------------------------------------------------------

CAPPED = RebatePolicy(
    id="L",
    name="L",
    currency="CNY",
    cap=2_000,
    brackets=(Bracket(start=10_000, rate="0.02"), Bracket(start=50_000, rate="0.03")),
)


def _listed(bases: list[Any]) -> list[Decimal | None]:
    """The list path, item by item, a null basis giving a null amount."""
    amounts = iter(rebate_amounts(CAPPED, [b for b in bases if b is not None]))
    return [None if b is None else next(amounts) for b in bases]


def test_rebate_amounts_of_a_pyarrow_array_with_nulls() -> None:
    bases = [5_000, 60_000, None, 200_000, 60_000, 10_000]
    out = rebate_amounts(CAPPED, pa.array(bases))
    assert isinstance(out, pa.Array)
    assert out.type == pa.decimal128(38, 2)
    # 60000: 40000 x 2% + 10000 x 3% = 800 + 300 = 1100; 200000 is capped at 2000
    assert out.to_pylist() == [
        Decimal("0.00"),
        Decimal("1100.00"),
        None,
        Decimal("2000.00"),
        Decimal("1100.00"),
        Decimal("0.00"),
    ]
    assert out.to_pylist() == _listed(bases)


def test_rebate_amounts_of_decimal_and_chunked_arrays() -> None:
    bases = [Decimal("10000.50"), None, Decimal("49999.99")]
    decimals = pa.array(bases, pa.decimal128(12, 2))
    assert rebate_amounts(CAPPED, decimals).to_pylist() == _listed(bases)
    chunked = rebate_amounts(CAPPED, pa.chunked_array([decimals, decimals.slice(0, 1)]))
    assert isinstance(chunked, pa.ChunkedArray)
    assert chunked.to_pylist() == _listed([*bases, bases[0]])


def test_rebate_amounts_of_numpy_integer_arrays() -> None:
    np = pytest.importorskip("numpy")
    for dtype in (np.int64, np.int32, np.uint16):
        out = rebate_amounts(CAPPED, np.array([5_000, 60_000, 30_000], dtype=dtype))
        assert out.to_pylist() == _listed([5_000, 60_000, 30_000])
    # other numpy arrays are iterables of bases: an object array of Decimals reads as a list
    assert rebate_amounts(CAPPED, np.array([Decimal(60_000)], dtype=object)) == [Decimal(1100)]


def test_rebate_amounts_of_arrays_refuses_what_the_list_path_refuses() -> None:
    np = pytest.importorskip("numpy")
    with pytest.raises(PolicyError, match=r"bases\[3\] must not be negative"):
        rebate_amounts(CAPPED, pa.array([1, 5, None, -3, 1]))
    with pytest.raises(ArgumentError, match=r"bases\[1\] is too large"):
        rebate_amounts(CAPPED, np.array([5, 10**16, -1]))
    with pytest.raises(ArgumentTypeError, match="integers or decimals"):
        rebate_amounts(CAPPED, pa.array([1.5]))
    with pytest.raises(TypeError, match="float"):
        rebate_amounts(CAPPED, np.array([1.5]))
    conditional = CAPPED.model_copy(update={"conditions": ({"metric": "growth"},)})
    with pytest.raises(PolicyError, match="conditions or payout"):
        rebate_amounts(conditional, pa.array([None], pa.int64()))
    # a table is no column of bases; other iterables keep the list path
    with pytest.raises(ArgumentTypeError, match="iterable of bases, not Table"):
        rebate_amounts(CAPPED, pa.table({"basis": [1]}))
    assert rebate_amounts(CAPPED, (60_000,)) == rebate_amounts(CAPPED, {60_000}) == [Decimal(1100)]


# -- the model path stays free of pyarrow --------------------------------------------------------

MODELS_ONLY = """
import datetime as dt, sys
from channelkit import *
p = RebatePolicy(id="P", name="P", currency="CNY", brackets=(Bracket(start=0, rate="0.02"),))
t = Transaction(id="T1", partner_id="D1", date=dt.date(2026, 7, 3), kind="sale",
                amount=Money(100, "CNY"), sku="A", territory="N", customer_id="C1")
q = Period.quarter(2026, 3)
settle_all(p, [t], q), settle(p, [t], q, partner_id="D1"), review([t], q)
detect_conflicts([t], partners=[], registrations=[], floors={"A": Money(1, "CNY")})
rebate_amounts(p, [1, 2]), rebate_amounts(p, (1, 2)), rebate_amounts(p, iter([1]))
print(sorted(m for m in sys.modules if m.startswith(("pyarrow", "numpy", "channelkit.frames"))))
"""


def test_the_model_path_never_imports_pyarrow() -> None:
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(MODELS_ONLY)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "[]"
