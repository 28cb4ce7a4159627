"""Hypothesis strategies for channel costs and profitability (渠道费用分析).

``profitability_reports()`` draws real reports (it calls
[`profitability`][channelkit.incentives.profitability] on drawn transactions, costs,
rebates and funds), so code that reads reports is tested on every shape one takes: no rows,
missing costs, negative contributions, direct sales, reversals. ``profit_rows()`` draws single
rows whose figures are consistent (spend, contribution and ratios computed from drawn parts).

Examples
--------
>>> from hypothesis import given
>>> @given(profitability_reports())
... def test_negative_partners_lose_money(r):
...     rows = {row.partner_id: row for row in r.rows}
...     assert all(rows[pid].contribution.amount < 0 for pid in r.negative)
>>> test_negative_partners_lose_money()
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from channelkit.currencies import CURRENCIES
from channelkit.incentives._profit_build import financing, in_order, row_values
from channelkit.incentives.costs import ChannelCost, CostCategory
from channelkit.incentives.profit import ProfitabilityReport, ProfitRow, profitability
from channelkit.money import Money
from channelkit.periods import Period
from channelkit.testing._kernel import amounts, currencies, transactions

__all__ = ["channel_costs", "profit_rows", "profitability_reports"]

_POOL = tuple(f"P{i}" for i in range(6))
_QUARTER = Period.quarter(2026, 3)
_AROUND = st.dates(min_value=dt.date(2026, 6, 20), max_value=dt.date(2026, 10, 10))

_currencies = currencies


def channel_costs(
    *,
    partner_ids: st.SearchStrategy[str | None] | None = None,
    currencies: st.SearchStrategy[str] | None = None,
    categories: st.SearchStrategy[CostCategory] | None = None,
    dates: st.SearchStrategy[dt.date] | None = None,
    min_value: Decimal | int = -(10**6),
    max_value: Decimal | int = 10**7,
) -> st.SearchStrategy[ChannelCost]:
    """Valid costs with amounts in ``[min_value, max_value]`` on the currency's minor unit.

    By default a partner from a small pool or ``None`` (a channel-wide cost), any category,
    dates around Q3 2026, and sometimes a negative amount (a reversal).
    """
    pid_st = partner_ids if partner_ids is not None else st.none() | st.sampled_from(_POOL)
    cur_st = currencies if currencies is not None else _currencies()
    cat_st = categories if categories is not None else st.sampled_from(CostCategory)
    date_st = dates if dates is not None else _AROUND

    @st.composite
    def build(draw: st.DrawFn) -> ChannelCost:
        cur = draw(cur_st)
        places = CURRENCIES[cur]
        return ChannelCost(
            partner_id=draw(pid_st),
            category=draw(cat_st),
            amount=Money(
                draw(amounts(min_value=min_value, max_value=max_value, places=places)), cur
            ),
            date=draw(date_st),
            note=draw(st.sampled_from(["", "freight", "Q3 campaign", "展会"])),
        )

    return build()


def profit_rows(
    currencies: st.SearchStrategy[str] | None = None,
    *,
    partner_ids: st.SearchStrategy[str | None] | None = None,
    min_value: Decimal | int = -(10**6),
    max_value: Decimal | int = 10**9,
) -> st.SearchStrategy[ProfitRow]:
    """Valid rows, their derived figures computed from drawn parts as ``profitability`` does.

    Net sales, gross profit (or ``None``), rebates, funds and costs are drawn in
    ``[min_value, max_value]`` (often 0); the financing cost follows a drawn rate and day
    count; spend, contribution and the ratios are computed. So both signs and every ``None``
    rule (no gross profit, net sales not positive, zero spend) occur.
    """
    cur_st = currencies if currencies is not None else _currencies()
    pid_st = partner_ids if partner_ids is not None else st.sampled_from(_POOL)

    @st.composite
    def build(draw: st.DrawFn) -> ProfitRow:
        cur = draw(cur_st)
        places = CURRENCIES[cur]
        figure = amounts(min_value=min_value, max_value=max_value, places=places)
        small = st.just(Decimal(0)) | figure
        net = draw(small)
        gross = draw(st.none() | small)
        cats = draw(st.lists(st.sampled_from(CostCategory), unique=True, max_size=3))
        costs = in_order({cat: draw(figure) for cat in cats})
        rate = draw(st.none() | amounts(min_value=0, max_value=1, places=3))
        days = draw(st.none() | st.integers(min_value=0, max_value=180).map(Decimal))
        values = row_values(
            draw(pid_st),
            cur,
            net,
            gross,
            draw(small),
            draw(small),
            costs,
            financing(net, rate, days, places),
        )
        return ProfitRow.model_validate(values)

    return build()


def profitability_reports(
    currencies: st.SearchStrategy[str] | None = None,
    *,
    max_transactions: int = 20,
    max_costs: int = 8,
) -> st.SearchStrategy[ProfitabilityReport]:
    """Real reports: [`profitability`][channelkit.incentives.profitability] of Q3 2026.

    Transactions (direct ones too, sometimes without a cost), costs (channel-wide and
    reversals too) fall inside or around the quarter; rebates, funds and receivable days are
    keyed by a small pool of partners, so rows with only a rebate or a fund, partners without
    days and empty reports all occur.
    """
    cur_st = currencies if currencies is not None else _currencies()

    @st.composite
    def build(draw: st.DrawFn) -> ProfitabilityReport:
        cur = draw(cur_st)
        places = CURRENCIES[cur]
        txs = draw(
            st.lists(
                transactions(
                    partner_ids=st.none() | st.sampled_from(_POOL),
                    currencies=st.just(cur),
                    dates=_AROUND,
                    max_amount=10**6,
                ),
                max_size=max_transactions,
            )
        )
        costs = draw(st.lists(channel_costs(currencies=st.just(cur)), max_size=max_costs))
        given = st.dictionaries(
            st.sampled_from(_POOL),
            amounts(min_value=-1000, max_value=10**5, places=places).map(lambda a: Money(a, cur)),
            max_size=3,
        )
        return profitability(
            txs,
            _QUARTER,
            costs=costs,
            rebates=draw(given),
            funds=draw(given),
            financing_rate=draw(st.none() | amounts(min_value=0, max_value=1, places=3)),
            receivable_days=draw(
                st.dictionaries(st.sampled_from(_POOL), st.integers(0, 180), max_size=4)
            ),
            currency=cur,
        )

    return build()


REGISTRY: dict[type, Callable[[], st.SearchStrategy[Any]]] = {
    ChannelCost: channel_costs,
    ProfitRow: profit_rows,
    ProfitabilityReport: profitability_reports,
}
"""The types this module's strategies are registered for with ``st.from_type``."""
