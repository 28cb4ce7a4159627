"""Hypothesis strategies for the channel review: its figures, rows, and whole reviews.

``channel_reviews()`` draws real reviews (it calls [`channelkit.review.review`][] on drawn
partners and transactions), so code that consumes reviews (reports, exports, dashboards) can be
tested on every shape a review takes: no partners, no prior period, negative net sales, targets
for unknown partners. The row strategies draw valid models with independent ratios, for code
that reads one row at a time.

Examples
--------
>>> from hypothesis import given
>>> @given(channel_reviews())
... def test_rows_are_ordered(r):
...     nets = [row.figures.net_sales.amount for row in r.partners]
...     assert nets == sorted(nets, reverse=True)
>>> test_rows_are_ordered()
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from channelkit.currencies import CURRENCIES
from channelkit.numeric import CONTEXT
from channelkit.partners import Partner, PartnerKind
from channelkit.periods import Period
from channelkit.review import (
    ChannelReview,
    Concentration,
    Coverage,
    Figures,
    GroupRow,
    PartnerRow,
    review,
)
from channelkit.testing._kernel import amounts, currencies, money, partners, transactions
from channelkit.transactions import Transaction

__all__ = [
    "channel_reviews",
    "concentrations",
    "coverages",
    "figures",
    "group_rows",
    "partner_rows",
]

_TERRITORIES = ("N", "S", "E", "W")
_ratios = st.none() | amounts(min_value=-10, max_value=10, places=4)
_rates = st.none() | amounts(min_value=0, max_value=10, places=4)


def figures(
    currencies: st.SearchStrategy[str] | None = None, *, max_value: int = 10**9
) -> st.SearchStrategy[Figures]:
    """Valid ``Figures``: non-negative sales, returns and collections up to ``max_value``."""
    cur_st = currencies if currencies is not None else _currencies()

    @st.composite
    def build(draw: st.DrawFn) -> Figures:
        cur = draw(cur_st)
        gross = draw(money(st.just(cur), min_value=0, max_value=max_value))
        returns = draw(money(st.just(cur), min_value=0, max_value=max_value))
        orders = draw(st.integers(min_value=0, max_value=10_000))
        return Figures(
            gross_sales=gross,
            returns=returns,
            net_sales=gross - returns,
            collections=draw(money(st.just(cur), min_value=0, max_value=max_value)),
            units=draw(amounts(min_value=-(10**6), max_value=10**6, places=0)),
            orders=orders,
            customers=draw(st.integers(min_value=0, max_value=orders)),
        )

    return build()


_currencies = currencies


def partner_rows(
    currencies: st.SearchStrategy[str] | None = None,
    *,
    ids: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[PartnerRow]:
    """Valid partner rows (figures and ratios drawn independently)."""
    cur_st = currencies if currencies is not None else _currencies()
    id_st = ids if ids is not None else st.sampled_from([f"P{i}" for i in range(10)])

    @st.composite
    def build(draw: st.DrawFn) -> PartnerRow:
        cur = draw(cur_st)
        f = draw(figures(st.just(cur)))
        return PartnerRow(
            partner_id=draw(id_st),
            kind=draw(st.none() | st.sampled_from(PartnerKind)),
            figures=f,
            prior_net_sales=draw(
                st.none() | money(st.just(cur), min_value=-(10**6), max_value=10**9)
            ),
            growth=draw(_ratios),
            share=draw(_ratios),
            target=draw(st.none() | money(st.just(cur), min_value=0, max_value=10**9)),
            attainment=draw(_ratios),
            collection_rate=draw(_rates),
            return_rate=draw(_rates),
            average_order=draw(st.none() | money(st.just(cur), min_value=0, max_value=10**9)),
        )

    return build()


def group_rows(
    currencies: st.SearchStrategy[str] | None = None,
    *,
    keys: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[GroupRow]:
    """Valid territory or kind rows."""
    cur_st = currencies if currencies is not None else _currencies()
    key_st = keys if keys is not None else st.sampled_from(["", *_TERRITORIES, *PartnerKind])

    @st.composite
    def build(draw: st.DrawFn) -> GroupRow:
        cur = draw(cur_st)
        return GroupRow(
            key=str(draw(key_st)),
            figures=draw(figures(st.just(cur))),
            share=draw(_ratios),
            prior_net_sales=draw(
                st.none() | money(st.just(cur), min_value=-(10**6), max_value=10**9)
            ),
            growth=draw(_ratios),
        )

    return build()


@st.composite
def _coverage(draw: st.DrawFn, max_partners: int, max_territories: int) -> Coverage:
    n = draw(st.integers(min_value=0, max_value=max_partners))
    t = draw(st.integers(min_value=0, max_value=max_territories))
    covered = draw(st.integers(min_value=0, max_value=t))
    return Coverage(
        partners=n,
        active_partners=draw(st.integers(min_value=0, max_value=n)),
        new_partners=draw(st.integers(min_value=0, max_value=n)),
        territories=t,
        territories_covered=covered,
        coverage_rate=CONTEXT.divide(covered, t) if t else None,
    )


def coverages(
    *, max_partners: int = 1000, max_territories: int = 100
) -> st.SearchStrategy[Coverage]:
    """Valid coverage figures (counts within their bounds, the rate their quotient)."""
    return _coverage(max_partners, max_territories)


@st.composite
def _concentration(draw: st.DrawFn, max_top: int) -> Concentration:
    top = draw(st.integers(min_value=1, max_value=max_top))
    if draw(st.booleans()):
        return Concentration(top=top, top_share=None, hhi=None)
    return Concentration(
        top=top,
        top_share=draw(amounts(min_value=0, max_value=1, places=4)),
        hhi=draw(amounts(min_value=0, max_value=10_000, places=2)),
        head=tuple(
            draw(st.lists(st.sampled_from(["A", "B", "C", "D"]), max_size=top, unique=True))
        ),
    )


def concentrations(*, max_top: int = 10) -> st.SearchStrategy[Concentration]:
    """Valid concentration figures (``top_share`` and ``hhi`` both set or both ``None``)."""
    return _concentration(max_top)


def channel_reviews(
    currencies: st.SearchStrategy[str] | None = None,
    *,
    max_partners: int = 6,
    max_transactions: int = 40,
) -> st.SearchStrategy[ChannelReview]:
    """Real reviews: [`review`][] of drawn partners and transactions.

    The period is a quarter of 2026; the prior period is absent or the same quarter of 2025;
    transactions fall inside either or outside both; partner ids, transaction partners and
    target keys come from one small pool, so partners that did not trade, unknown partners and
    targets for unknown partners all occur.
    """
    cur_st = currencies if currencies is not None else _currencies()
    pool = [f"P{i}" for i in range(max_partners + 2)]

    @st.composite
    def build(draw: st.DrawFn) -> ChannelReview:
        cur = draw(cur_st)
        quarter = draw(st.integers(min_value=1, max_value=4))
        period = Period.quarter(2026, quarter)
        prior = draw(st.none() | st.just(Period.quarter(2025, quarter)))
        members: list[Partner] = draw(
            st.lists(
                partners(ids=st.sampled_from(pool), currencies=st.just(cur)),
                max_size=max_partners,
                unique_by=lambda p: p.id,
            )
        )
        txs: list[Transaction] = draw(
            st.lists(
                transactions(
                    partner_ids=st.none() | st.sampled_from(pool),
                    currencies=st.just(cur),
                    dates=st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2026, 12, 31)),
                    max_amount=10**6,
                ),
                max_size=max_transactions,
            )
        )
        if not members and not any(
            t.date in period or (prior is not None and t.date in prior) for t in txs
        ):  # nothing would give the review its currency
            members = [draw(partners(ids=st.sampled_from(pool), currencies=st.just(cur)))]
        targets = draw(
            st.dictionaries(
                st.sampled_from(pool),
                amounts(min_value=0, max_value=10**6, places=CURRENCIES[cur]),
                max_size=4,
            )
        )
        return review(
            txs,
            period,
            partners=members,
            prior=prior,
            targets=targets,
            top=draw(st.integers(min_value=1, max_value=5)),
            laggard_below=draw(st.sampled_from([Decimal("0.8"), Decimal(1), Decimal("0.5")])),
        )

    return build()


REGISTRY: dict[type, Callable[[], st.SearchStrategy[Any]]] = {
    Figures: figures,
    PartnerRow: partner_rows,
    GroupRow: group_rows,
    Coverage: coverages,
    Concentration: concentrations,
    ChannelReview: channel_reviews,
}
"""The types this module's strategies are registered for with ``st.from_type``."""
