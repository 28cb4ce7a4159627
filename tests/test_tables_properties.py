"""The table path of every calculator equals the model path, for random transactions (issue #11).

Each example draws transactions (the shipped strategies), computes the calculator over them as
models, then over the same rows as a pyarrow table, a pandas DataFrame and a polars DataFrame:
the results are equal (``==``) in every field, or both paths raise the same error.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

pa = pytest.importorskip("pyarrow")

from hypothesis import event, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from channelkit import (  # noqa: E402
    ChannelkitError,
    DealRegistration,
    Money,
    Partner,
    Period,
    RebateBasis,
    RebatePolicy,
    Scope,
    Transaction,
    TransactionKind,
    detect_channel_overlap,
    detect_conflicts,
    detect_price_violations,
    detect_territory_diversion,
    frames,
    review,
    settle,
    settle_all,
)
from channelkit import testing as ckt  # noqa: E402

POOL = ["P1", "P2", "P3", "P4"]
CUSTOMERS = ["C1", "C2", "C3"]
FIRST, LAST = dt.date(2025, 10, 1), dt.date(2026, 6, 30)
DATES = st.dates(min_value=FIRST, max_value=LAST)
QUARTERS = st.sampled_from([Period.quarter(2026, 1), Period.quarter(2026, 2)])
EXAMPLES = 60  # each example runs the model path once and the table path three times


def _customers(t: Transaction, pick: str | None) -> Transaction:
    """``t`` with a customer id from a small pool (the strategy's pool is large)."""
    return t if t.customer_id is None else t.model_copy(update={"customer_id": pick})


@st.composite
def transaction_lists(
    draw: st.DrawFn, *, min_size: int = 4, max_size: int = 25, direct: int = 1, sales: int = 1
) -> list[Transaction]:
    """Transactions with unique ids, mostly in CNY, sometimes with a few in USD.

    Of ``len(POOL) + direct`` partner ids, ``direct`` are ``None`` (a direct sale); of
    ``sales + 2`` kinds, ``sales`` are SALE.
    """
    mixed = draw(st.integers(min_value=0, max_value=4)) == 0
    txs = draw(
        st.lists(
            ckt.transactions(
                partner_ids=st.sampled_from([None] * direct + POOL),
                currencies=st.sampled_from(["CNY", "USD"]) if mixed else st.just("CNY"),
                dates=DATES,
                kinds=st.sampled_from([TransactionKind.SALE] * sales + [*TransactionKind][1:]),
                max_amount=10_000,
            ),
            min_size=min_size,
            max_size=max_size,
            unique_by=lambda t: t.id,
        )
    )
    txs = [_customers(t, draw(st.sampled_from(CUSTOMERS))) for t in txs]
    # a return or payment that refers to a sale names one of the list's sales (PAID_SALES)
    sales = [t.id for t in txs if t.kind is TransactionKind.SALE]
    return [
        t.model_copy(update={"refers_to": draw(st.sampled_from(sales))})
        if t.refers_to is not None and sales
        else t
        for t in txs
    ]


def tables(txs: list[Transaction]) -> list[tuple[str, object]]:
    """The rows as a pyarrow table, and as pandas and polars DataFrames when installed."""
    frame = frames.transactions(txs)
    table = frame.to_arrow()
    out: list[tuple[str, object]] = [("pyarrow", table)]
    if importlib.util.find_spec("pandas") is not None:
        out.append(("pandas", table.to_pandas()))
    if importlib.util.find_spec("polars") is not None:
        import polars

        # polars decimals hold 38 digits: a wider column (unit prices with many places) is
        # carried as decimal text, each value as it is written, as a polars user holds it
        for i, field in enumerate(table.schema):
            if pa.types.is_decimal256(field.type):
                text = [None if v is None else str(v) for v in frame.decimals(field.name)]
                table = table.set_column(i, field.name, pa.array(text, pa.string()))
        out.append(("polars", polars.from_arrow(table)))
    return out


@dataclass(frozen=True)
class Raised:
    kind: type[Exception]
    message: str


def outcome(compute: Callable[[], Any]) -> Any:
    """The result, or the type and message of the channelkit error raised."""
    try:
        return compute()
    except ChannelkitError as err:
        return Raised(type(err), str(err))


def check(txs: list[Transaction], compute: Callable[[Any], Any]) -> None:
    expected = outcome(lambda: compute(txs))
    assert not isinstance(expected, Raised) or expected.kind is not frames.FrameError
    event(expected.kind.__name__ if isinstance(expected, Raised) else f"{bool(expected)} result")
    for name, table in tables(txs):
        assert outcome(lambda table=table: compute(table)) == expected, name


scopes = st.builds(
    Scope,
    skus=st.none() | st.frozensets(st.sampled_from(["A", "B", "C"]), min_size=1),
    exclude_skus=st.frozensets(st.sampled_from(["A", "B", "C"]), max_size=1),
    territories=st.none() | st.frozensets(st.sampled_from(["N", "S", "E", "W"]), min_size=1),
    customers=st.none() | st.frozensets(st.sampled_from(CUSTOMERS), min_size=1),
    categories=st.none()
    | st.frozensets(st.sampled_from(["Electronics", "Electronics/Phones", "Home"]), min_size=1),
)


@st.composite
def policies(draw: st.DrawFn, *, composite: bool = False) -> RebatePolicy:
    """Policies in CNY, with the fields of #12 (tier basis, per transaction, negative rebates)
    drawn too; half of them scoped over the SKUs, territories, customers and categories drawn."""
    policy = draw(
        ckt.rebate_policies(
            currencies=st.just("CNY"),
            composite=composite,
            tier_bases=st.none() | st.sampled_from(RebateBasis),
        )
    )
    if draw(st.booleans()):
        return policy.model_copy(update={"scope": draw(scopes)})
    return policy


@st.composite
def settle_options(draw: st.DrawFn, policy: RebatePolicy) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if draw(st.booleans()):
        options["advances"] = draw(
            st.dictionaries(st.sampled_from(POOL), ckt.amounts(min_value=0, max_value=500))
        )
    if RebateBasis.INCREMENTAL in (policy.basis, policy.tier_basis):
        options["baselines"] = draw(
            st.dictionaries(st.sampled_from(POOL), ckt.amounts(min_value=-1000, max_value=10**4))
        )
    return options


@settings(max_examples=EXAMPLES)
@given(policies(), transaction_lists(), QUARTERS, st.data())
def test_settle_all_from_a_table_equals_the_model_path(
    policy: Any, txs: list[Transaction], period: Period, data: st.DataObject
) -> None:
    options = data.draw(settle_options(policy))
    check(txs, lambda t: settle_all(policy, t, period, **options))


@settings(max_examples=EXAMPLES // 2)
@given(policies(composite=True), transaction_lists(), QUARTERS)
def test_settle_all_with_conditions_from_a_table_raises_or_equals(
    policy: Any, txs: list[Transaction], period: Period
) -> None:
    keys = ("collection_rate", "growth", "price_compliance", "coverage", "sales", "dso", "returns")
    # P4 has no metrics: a policy with conditions refuses to settle it, in both paths
    metrics = {p: dict.fromkeys(keys, Decimal(i) / 2) for i, p in enumerate(POOL[:3])}
    check(txs, lambda t: settle_all(policy, t, period, metrics=metrics))


@settings(max_examples=EXAMPLES)
@given(policies(), transaction_lists(), QUARTERS, st.sampled_from([*POOL, "NOBODY"]), st.data())
def test_settle_from_a_table_equals_the_model_path(
    policy: Any, txs: list[Transaction], period: Period, partner: str, data: st.DataObject
) -> None:
    options = data.draw(settle_options(policy))
    advances = options.get("advances", {}).get(partner, Decimal(0))
    baseline = options.get("baselines", {}).get(partner)
    check(
        txs,
        lambda t: settle(
            policy, t, period, partner_id=partner, advances=advances, baseline=baseline
        ),
    )


@st.composite
def partner_lists(draw: st.DrawFn) -> list[Partner]:
    """Partners of the pool, most of them holding territories exclusively, joined mostly before
    the transactions."""
    found = draw(
        st.lists(
            ckt.partners(ids=st.sampled_from(POOL), currencies=st.just("CNY")),
            min_size=1,
            max_size=4,
            unique_by=lambda p: p.id,
        )
    )
    joined = st.dates(min_value=dt.date(2020, 1, 1), max_value=LAST)
    exclusive = st.sampled_from([True, True, True, False])
    held = st.frozensets(st.sampled_from(["N", "S", "E", "W"]), min_size=1, max_size=2)
    return [
        p.model_copy(
            update={
                "joined": draw(joined),
                "exclusive": draw(exclusive),
                "territories": p.territories or draw(held),
            }
        )
        for p in found
    ]


@settings(max_examples=EXAMPLES)
@given(
    transaction_lists(),
    QUARTERS,
    partner_lists(),
    st.booleans(),
    st.dictionaries(st.sampled_from([*POOL, "X"]), ckt.amounts(min_value=0, max_value=10**4)),
    st.integers(min_value=1, max_value=4),
)
def test_review_from_a_table_equals_the_model_path(
    txs: list[Transaction],
    period: Period,
    partners: list[Partner],
    with_prior: bool,
    targets: dict[str, Decimal],
    top: int,
) -> None:
    prior = Period.quarter(2025, 4) if period.start.month == 4 else Period(FIRST, period.start)
    check(
        txs,
        lambda t: review(
            t,
            period,
            partners=partners,
            prior=prior if with_prior else None,
            targets=targets,
            top=top,
        ),
    )


floor_maps = st.dictionaries(
    st.sampled_from(["A", "B", "C"]),
    st.builds(
        Money,
        ckt.amounts(min_value=Decimal("0.01"), max_value=100),
        st.sampled_from(["CNY", "CNY", "CNY", "CNY", "USD"]),
    ),
    min_size=1,
)
tolerances = st.sampled_from([Decimal(0), Decimal("0.02"), Decimal("0.1"), Decimal(1)])


@st.composite
def registration_lists(draw: st.DrawFn) -> list[DealRegistration]:
    return draw(
        st.lists(
            ckt.deal_registrations(
                partner_ids=st.sampled_from(POOL),
                customer_ids=st.sampled_from(CUSTOMERS),
                min_value=dt.date(2025, 9, 1),
                max_value=LAST,
                max_days=200,
            ),
            min_size=1,
            max_size=8,
            unique_by=lambda r: r.id,
        )
    )


@settings(max_examples=EXAMPLES)
@given(transaction_lists(min_size=6, max_size=30, sales=4), floor_maps, tolerances)
def test_price_violations_from_a_table_equal_the_model_path(
    txs: list[Transaction], floors: dict[str, Money], tolerance: Decimal
) -> None:
    check(txs, lambda t: detect_price_violations(t, floors, tolerance=tolerance))


@settings(max_examples=EXAMPLES)
@given(transaction_lists(min_size=6, max_size=30, sales=4), partner_lists())
def test_territory_diversion_from_a_table_equals_the_model_path(
    txs: list[Transaction], partners: list[Partner]
) -> None:
    check(txs, lambda t: detect_territory_diversion(t, partners))


@settings(max_examples=EXAMPLES)
@given(transaction_lists(min_size=6, max_size=30, direct=4, sales=4), registration_lists())
def test_channel_overlap_from_a_table_equals_the_model_path(
    txs: list[Transaction], registrations: list[DealRegistration]
) -> None:
    check(txs, lambda t: detect_channel_overlap(t, registrations))


@settings(max_examples=EXAMPLES)
@given(
    transaction_lists(min_size=6, max_size=30, direct=2, sales=4),
    st.none() | partner_lists(),
    st.none() | registration_lists(),
    st.none() | floor_maps,
    tolerances,
)
def test_detect_conflicts_from_a_table_equals_the_model_path(
    txs: list[Transaction],
    partners: list[Partner] | None,
    registrations: list[DealRegistration] | None,
    floors: dict[str, Money] | None,
    tolerance: Decimal,
) -> None:
    check(
        txs,
        lambda t: detect_conflicts(
            t,
            partners=partners,
            registrations=registrations,
            floors=floors,
            tolerance=tolerance,
        ),
    )
