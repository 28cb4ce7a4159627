"""channelkit.frames._amounts.rebate_amounts_array: the array path equals the list path."""

from __future__ import annotations

from decimal import Decimal

import pytest

pa = pytest.importorskip("pyarrow")

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from channelkit import ArgumentTypeError, Bracket, PolicyError, RebatePolicy, rebate_amounts  # noqa: E402
from channelkit.frames._amounts import rebate_amounts_array  # noqa: E402
from channelkit.testing import rebate_policies  # noqa: E402

LADDER = RebatePolicy(
    id="L",
    name="L",
    currency="CNY",
    cap=2_000,
    brackets=(Bracket(start=10_000, rate="0.02"), Bracket(start=50_000, rate="0.03")),
)


def test_hand_worked() -> None:
    # 60,000: 40,000 x 2% + 10,000 x 3% = 1,100; 200,000 reaches the cap of 2,000
    out = rebate_amounts_array(LADDER, pa.array([5_000, 60_000, None, 200_000, 60_000]))
    assert out.type == pa.decimal128(38, 2)
    assert out.to_pylist() == [
        Decimal("0.00"),
        Decimal("1100.00"),
        None,
        Decimal("2000.00"),
        Decimal("1100.00"),
    ]


def test_numpy_decimal_and_chunked_inputs() -> None:
    np = pytest.importorskip("numpy")
    assert rebate_amounts_array(LADDER, np.array([60_000], dtype=np.int64)).to_pylist() == [
        Decimal("1100.00")
    ]
    decimals = pa.array([Decimal("60000.50")], pa.decimal128(20, 2))
    assert rebate_amounts_array(LADDER, decimals).to_pylist() == rebate_amounts(
        LADDER, [Decimal("60000.50")]
    )
    chunked = pa.chunked_array([[60_000], [None, 5_000]])
    out = rebate_amounts_array(LADDER, chunked)
    assert isinstance(out, pa.ChunkedArray)
    assert out.to_pylist() == [Decimal("1100.00"), None, Decimal("0.00")]
    assert rebate_amounts_array(LADDER, pa.nulls(2)).to_pylist() == [None, None]
    jpy = LADDER.model_copy(update={"currency": "JPY"})
    assert rebate_amounts_array(jpy, pa.array([60_000])).type == pa.decimal128(38, 0)


def test_errors() -> None:
    np = pytest.importorskip("numpy")
    with pytest.raises(ArgumentTypeError, match="numpy integer array, got ndarray of float64"):
        rebate_amounts_array(LADDER, np.array([1.5]))
    with pytest.raises(ArgumentTypeError, match="bases must hold integers or decimals, got double"):
        rebate_amounts_array(LADDER, pa.array([1.5]))
    with pytest.raises(ArgumentTypeError, match="got list"):
        rebate_amounts_array(LADDER, [1, 2])
    with pytest.raises(PolicyError, match="must not be negative"):
        rebate_amounts_array(LADDER, pa.array([-1]))


@given(
    rebate_policies().filter(lambda p: not p.conditions and not p.payout),
    st.lists(st.none() | st.integers(min_value=0, max_value=10**12), max_size=20),
    st.lists(
        st.none() | st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False),
        max_size=20,
    ),
)
def test_equal_to_the_list_path_item_by_item(
    policy: RebatePolicy, ints: list[int | None], decimals: list[Decimal | None]
) -> None:
    for bases in (pa.array(ints, pa.int64()), pa.array(decimals, pa.decimal128(20, 2))):
        out = rebate_amounts_array(policy, bases).to_pylist()
        values = bases.to_pylist()
        expected = rebate_amounts(policy, [v for v in values if v is not None])
        it = iter(expected)
        assert out == [None if v is None else next(it) for v in values]
