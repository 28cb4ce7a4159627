"""Profitability on random input: the table path equals the model path, and the report's invariants.

Each example draws transactions (the shipped strategies; sometimes in two currencies), channel
costs, rebates, funds and financing terms; the report from the rows as a pyarrow table, a pandas
and a polars DataFrame equals the one from models (or both raise the same error), and the
report's figures agree with sums computed here from the inputs alone.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from channelkit import ChannelkitError, Money, Period, Transaction, TransactionKind
from channelkit import testing as ckt
from channelkit.incentives.costs import ChannelCost, CostCategory
from channelkit.incentives.profit import ProfitabilityReport, ProfitRow, profitability
from channelkit.numeric import CONTEXT
from channelkit.testing._profit import channel_costs, profit_rows, profitability_reports

POOL = ["P1", "P2", "P3", "P4"]
Q = Period.quarter(2026, 1)
DATES = st.dates(min_value=dt.date(2025, 12, 20), max_value=dt.date(2026, 4, 10))
EXAMPLES = 40  # the table check runs the model path once and the table path three times


@dataclass(frozen=True)
class Inputs:
    txs: list[Transaction]
    options: dict[str, Any]


@st.composite
def inputs(draw: st.DrawFn, *, mixed: bool = True) -> Inputs:
    """Transactions, costs, rebates, funds and financing terms in CNY, sometimes some in USD."""
    two = mixed and draw(st.integers(min_value=0, max_value=2)) == 0
    cur = st.sampled_from(["CNY", "USD"]) if two else st.just("CNY")
    txs = draw(
        st.lists(
            ckt.transactions(
                partner_ids=st.sampled_from([None, *POOL]),
                currencies=cur,
                dates=DATES,
                max_amount=10_000,
            ),
            max_size=25,
            unique_by=lambda t: t.id,
        )
    )
    costs = draw(
        st.lists(
            channel_costs(
                partner_ids=st.sampled_from([None, *POOL, "P5"]), currencies=cur, dates=DATES
            ),
            max_size=8,
        )
    )
    given_money = st.dictionaries(
        st.sampled_from([*POOL, "P6"]), ckt.money(cur, min_value=-100, max_value=5_000), max_size=3
    )
    options = {
        "costs": costs,
        "rebates": draw(given_money),
        "funds": draw(given_money),
        "financing_rate": draw(st.none() | ckt.amounts(min_value=0, max_value=1, places=3)),
        "receivable_days": draw(
            st.dictionaries(
                st.sampled_from([*POOL, "P7"]), st.integers(min_value=0, max_value=180), max_size=4
            )
        ),
        "currency": draw(st.none() | st.just("CNY")),
    }
    return Inputs(txs, options)


def tables(txs: list[Transaction]) -> list[tuple[str, object]]:
    """The rows as a pyarrow table, and as pandas and polars DataFrames when installed."""
    import pyarrow as pa

    from channelkit import frames

    frame = frames.transactions(txs)
    table = frame.to_arrow()
    out: list[tuple[str, object]] = [("pyarrow", table)]
    if importlib.util.find_spec("pandas") is not None:
        out.append(("pandas", table.to_pandas()))
    if importlib.util.find_spec("polars") is not None:
        import polars

        # polars decimals hold 38 digits: a wider column is carried as decimal text
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
    try:
        return compute()
    except ChannelkitError as err:
        return Raised(type(err), str(err))


@pytest.mark.skipif(importlib.util.find_spec("pyarrow") is None, reason="needs pyarrow")
@settings(max_examples=EXAMPLES)
@given(inputs())
def test_a_table_gives_the_report_of_the_models(given_: Inputs) -> None:
    expected = outcome(partial(profitability, given_.txs, Q, **given_.options))
    event(expected.kind.__name__ if isinstance(expected, Raised) else "report")
    for name, table in tables(given_.txs):
        got = outcome(partial(profitability, table, Q, **given_.options))  # type: ignore[arg-type]
        assert got == expected, name


# -- invariants, against sums computed here from the inputs --------------------------------------


def _add(values: list[Decimal]) -> Decimal:
    total = Decimal(0)
    for v in values:
        total = CONTEXT.add(total, v)
    return total


def _signed(t: Transaction, money: Money | None) -> Decimal:
    assert money is not None
    return money.amount if t.kind is TransactionKind.SALE else -money.amount


def _spend(row: ProfitRow) -> Decimal:
    parts = [row.rebates.amount, row.funds.amount, *(m.amount for m in row.costs.values())]
    return _add([*parts, row.financing_cost.amount])


@settings(max_examples=EXAMPLES * 2)
@given(inputs(mixed=False))
def test_the_figures_add_up(given_: Inputs) -> None:
    txs, opts = given_.txs, {**given_.options, "currency": "CNY"}  # also when nothing is read
    r = profitability(txs, Q, **opts)
    read = [t for t in txs if t.date in Q]
    goods = [t for t in read if t.kind is not TransactionKind.PAYMENT]
    costs: list[ChannelCost] = [c for c in opts["costs"] if c.date in Q]
    rows = {row.partner_id: row for row in r.rows}
    # a row per partner with a transaction or cost in the period, or a rebate or a fund
    ids = {t.partner_id for t in read} | {c.partner_id for c in costs}
    ids |= set(opts["rebates"]) | set(opts["funds"])
    assert set(rows) == ids - {None}
    assert len(rows) == len(r.rows)
    for pid, row in rows.items():
        mine = [t for t in goods if t.partner_id == pid]
        assert row.net_sales.amount == _add([_signed(t, t.amount) for t in mine])
        if any(t.cost is None for t in mine):
            assert row.gross_profit is None
        else:
            cogs = _add([_signed(t, t.cost) for t in mine])
            assert row.gross_profit == row.net_sales - Money(cogs, "CNY")
        assert row.rebates.amount == opts["rebates"].get(pid, Money(0, "CNY")).amount
        assert row.funds.amount == opts["funds"].get(pid, Money(0, "CNY")).amount
        for cat in CostCategory:
            found = [c.amount.amount for c in costs if c.partner_id == pid and c.category is cat]
            assert (cat in row.costs) == bool(found)
            assert row.costs.get(cat, Money(0, "CNY")).amount == _add(found)
    # rows, direct sales and partnerless costs add up to the total
    t = r.total
    direct = _add([_signed(x, x.amount) for x in goods if x.partner_id is None])
    assert t.net_sales.amount == _add([*(row.net_sales.amount for row in r.rows), direct])
    for name in ("rebates", "funds", "financing_cost"):
        assert getattr(t, name).amount == _add([getattr(row, name).amount for row in r.rows])
    for cat, amount in t.costs.items():
        alone = [c.amount.amount for c in costs if c.partner_id is None and c.category is cat]
        inside = [row.costs[cat].amount for row in r.rows if cat in row.costs]
        assert amount.amount == _add([*inside, *alone])
    assert (t.gross_profit is None) == any(x.cost is None for x in goods)
    # spend, contribution and the ratios follow from each row's figures
    for row in (*r.rows, t):
        assert row.spend.amount == _spend(row)
        if row.gross_profit is None:
            assert (row.contribution, row.contribution_margin, row.roi) == (None, None, None)
            continue
        assert row.contribution == row.gross_profit - row.spend
        assert row.contribution is not None
        if row.net_sales.amount > 0:
            assert row.contribution_margin == CONTEXT.divide(
                row.contribution.amount, row.net_sales.amount
            )
        else:
            assert row.contribution_margin is None
        assert (row.roi is None) == (row.spend.amount == 0)
    _check_order(r)


def _check_order(r: ProfitabilityReport) -> None:
    known = [row for row in r.rows if row.contribution is not None]
    unknown = [row for row in r.rows if row.contribution is None]
    assert list(r.rows) == known + unknown
    assert [row.partner_id for row in unknown] == sorted(str(row.partner_id) for row in unknown)
    pairs = [(-row.contribution.amount, str(row.partner_id)) for row in known]  # type: ignore[union-attr]
    assert pairs == sorted(pairs)
    negative = [str(row.partner_id) for row in known if row.contribution.amount < 0]  # type: ignore[union-attr]
    assert r.negative == tuple(negative)
    ranks = [(-amount.amount, list(CostCategory).index(cat)) for cat, amount in r.categories]
    assert ranks == sorted(ranks)
    assert {cat for cat, _ in r.categories} == set(r.total.costs)


@settings(max_examples=EXAMPLES)
@given(profitability_reports())
def test_drawn_reports_round_trip_and_explain(r: ProfitabilityReport) -> None:
    assert ProfitabilityReport.model_validate_json(r.model_dump_json()) == r
    assert r.explain("zh").startswith("渠道费用分析")
    assert r._repr_html_().startswith("<div")
    _check_order(r)


@settings(max_examples=EXAMPLES)
@given(profit_rows(), channel_costs())
def test_drawn_rows_and_costs_round_trip(row: ProfitRow, cost: ChannelCost) -> None:
    assert ProfitRow.model_validate_json(row.model_dump_json()) == row
    assert row.spend.amount == _spend(row)
    assert ChannelCost.model_validate_json(cost.model_dump_json()) == cost
