"""The review's table path on the numbers its Arrow sums cannot hold, and its decimal reading.

``review`` sums a table's amounts and quantities with Arrow's exact decimal sums when the digits
cannot overflow, widened to 76 digits where 38 might not be enough, and row by row in Python
otherwise (decimal text, or a scale that leaves no room). Each case here must give the review
of the same rows as models, and the decimals read back from Arrow keep their exponent.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

pa = pytest.importorskip("pyarrow")

from channelkit import Partner, PartnerKind, Period, frames, review  # noqa: E402
from channelkit.review import _columnar  # noqa: E402

Q3 = Period.quarter(2026, 3)
Q2 = Period.quarter(2026, 2)
PARTNERS = [
    Partner(
        id=pid,
        name=pid,
        kind=kind,
        currency="CNY",
        payment_terms_days=30,
        joined=dt.date(2025, 1, 1),
    )
    for pid, kind in (("D1", PartnerKind.DISTRIBUTOR), ("R1", PartnerKind.DEALER))
]
DATES = ["2026-07-03", "2026-08-03", "2026-07-10", "2026-09-01", "2026-07-20", "2026-05-02"]


def _frame(amounts: list[str], quantities: list[str] | None = None) -> Any:
    """Rows of two partners, direct sales, two territories and the prior quarter."""
    n = len(amounts)
    return frames.transactions(
        pa.table(
            {
                "id": [f"T{i}" for i in range(n)],
                "partner_id": [("D1", "R1", None)[i % 3] for i in range(n)],
                "date": [DATES[i % len(DATES)] for i in range(n)],
                "kind": [("sale", "sale", "return", "payment")[i % 4] for i in range(n)],
                "amount": amounts,
                "quantity": quantities or [str(i % 5) for i in range(n)],
                "territory": [("N", "S", None)[i % 3] for i in range(n)],
                "customer_id": [("C1", "C2", "C3", None)[i % 4] for i in range(n)],
            }
        ),
        currency="CNY",
    )


def _same_as_models(frame: Any) -> None:
    for prior in (Q2, None):
        by_table = review(frame, Q3, partners=PARTNERS, prior=prior)
        assert by_table == review(list(frame), Q3, partners=PARTNERS, prior=prior)
        assert by_table.total.orders > 0


def test_amounts_of_a_few_places_are_summed_in_columns() -> None:
    frame = _frame(["80000.00", "2.50", "1.5", "30000", "7", "3.25"] * 3)
    assert _columnar.exact_in_columns(frame)
    _same_as_models(frame)


def test_amounts_in_decimal_text_are_read_as_models() -> None:
    # 34 significant digits at 67 places: kept as decimal text, which Arrow cannot sum
    tiny = "0." + "0" * 33 + "1" * 34
    frame = _frame([tiny, "2", "1.5", tiny, "7", "3"] * 2)
    assert frame.column("amount").type == pa.string()
    assert not _columnar.exact_in_columns(frame)
    _same_as_models(frame)


def test_quantities_in_decimal_text_are_read_as_models() -> None:
    tiny = "0." + "0" * 33 + "1" * 34
    frame = _frame(["1", "2", "3", "4", "5", "6"], [tiny, "1", tiny, "2", "0", "3"])
    assert frame.column("quantity").type == pa.string()
    assert not _columnar.exact_in_columns(frame)
    _same_as_models(frame)


def test_a_scale_whose_sums_might_pass_34_digits_is_read_as_models() -> None:
    # 15 integer digits + 2 for 12 rows + 18 places = 35 digits: a model's sum would round
    fine = "0." + "0" * 17 + "3"
    frame = _frame([fine, "2", "1.5", fine, "7", "3"] * 2)
    assert frame.column("amount").type == pa.decimal128(38, 18)
    assert not _columnar.exact_in_columns(frame)
    _same_as_models(frame)
    # 9 rows: 15 + 1 + 18 = 34 digits, every sum exact
    assert _columnar.exact_in_columns(_frame([fine, "2", "1.5", fine, "7", "3", "1", "2", "4"]))


@given(
    st.lists(
        st.decimals(min_value=-(10**14), max_value=10**14, places=4, allow_nan=False),
        min_size=1,
        max_size=20,
    ),
    st.sampled_from([(38, 4), (38, 20), (76, 40)]),
)
def test_decimals_read_back_with_their_exponent(values: list[Decimal], shape: Any) -> None:
    precision, scale = shape
    kind = pa.decimal128 if precision == 38 else pa.decimal256
    column = pa.chunked_array([pa.array(values, kind(precision, scale))])
    read = _columnar._decimals(column)
    expected = column.to_pylist()
    assert read == expected == values
    assert [d.as_tuple() for d in read] == [d.as_tuple() for d in expected]
