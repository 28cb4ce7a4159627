"""Properties of the channel review that hold for every channel."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from channelkit import (
    ChannelReview,
    Concentration,
    Coverage,
    Figures,
    GroupRow,
    Money,
    Partner,
    PartnerRow,
    Period,
    Transaction,
    review,
)
from channelkit import testing as kernel
from channelkit.labels import fmt_amount, fmt_pct
from channelkit.numeric import CONTEXT

PERIOD = Period.quarter(2026, 1)
PRIOR = Period.quarter(2025, 1)
POOL = [f"P{i}" for i in range(6)]
TINY = Decimal("1e-30")

partner_lists = st.lists(
    kernel.partners(ids=st.sampled_from(POOL), currencies=st.just("CNY")),
    max_size=5,
    unique_by=lambda p: p.id,
)


def txns(dates: st.SearchStrategy[dt.date] | None = None) -> st.SearchStrategy[Transaction]:
    return kernel.transactions(
        partner_ids=st.none() | st.sampled_from(POOL),
        currencies=st.just("CNY"),
        dates=dates
        if dates is not None
        else st.dates(min_value=dt.date(2024, 12, 1), max_value=dt.date(2026, 4, 30)),
        max_amount=10**6,
    )


transaction_lists = st.lists(txns(), max_size=30)
targets = st.dictionaries(
    st.sampled_from([*POOL, "X"]), kernel.amounts(min_value=0, max_value=10**6), max_size=4
)
priors = st.none() | st.just(PRIOR)


def run(
    txs: list[Transaction],
    partners: list[Partner],
    prior: Period | None = PRIOR,
    goals: dict[str, Decimal] | None = None,
    top: int = 5,
) -> ChannelReview:
    return review(txs, PERIOD, partners=partners or [_ANCHOR], prior=prior, targets=goals, top=top)


def total(values: list[Decimal | None]) -> Decimal:
    """The exact sum (in channelkit's 34-digit context, not the 28-digit default)."""
    out = Decimal(0)
    for v in values:
        assert v is not None
        out = CONTEXT.add(out, v)
    return out


_ANCHOR = Partner(
    id="P0", name="anchor", kind="dealer", currency="CNY", payment_terms_days=0, joined="2020-01-01"
)


@given(transaction_lists, partner_lists, priors, targets)
def test_partner_rows_plus_direct_equal_the_total(
    txs: list[Transaction], partners: list[Partner], prior: Period | None, goals: dict[str, Decimal]
) -> None:
    r = run(txs, partners, prior, goals)
    rows_net = sum((row.net_sales for row in r.partners), r.direct.net_sales)
    assert rows_net == r.total.net_sales
    # total = direct + indirect, figure by figure (customers may be shared, so at most)
    for name in ("gross_sales", "returns", "net_sales", "collections", "units", "orders"):
        assert getattr(r.total, name) == getattr(r.direct, name) + getattr(r.indirect, name)
    assert max(r.direct.customers, r.indirect.customers) <= r.total.customers
    assert r.total.customers <= r.direct.customers + r.indirect.customers
    # territory rows hold every sale and return of the period
    assert sum((g.figures.net_sales for g in r.territories), 0 * r.total.net_sales) == (
        r.total.net_sales
    )


@given(transaction_lists, partner_lists)
def test_shares_sum_to_one_when_the_denominator_is_positive(
    txs: list[Transaction], partners: list[Partner]
) -> None:
    r = run(txs, partners)
    if r.indirect.net_sales.amount > 0:
        shares = [row.share for row in r.partners]
        assert None not in shares
        assert abs(total(shares) - 1) < TINY
        assert r.concentration.top_share is not None
        assert r.concentration.top_share <= 1
    else:
        assert all(row.share is None for row in r.partners)
        assert all(g.share is None for g in r.kinds)
    if r.total.net_sales.amount > 0:
        shares = [g.share for g in r.territories]
        assert abs(total(shares) - 1) < TINY
        assert r.indirect_share is not None
    else:
        assert r.indirect_share is None
        assert all(g.share is None for g in r.territories)


@given(transaction_lists, partner_lists, priors, targets, st.randoms(use_true_random=False))
def test_shuffling_changes_nothing(
    txs: list[Transaction],
    partners: list[Partner],
    prior: Period | None,
    goals: dict[str, Decimal],
    rnd: random.Random,
) -> None:
    r = run(txs, partners, prior, goals)
    shuffled, reordered = list(txs), list(partners)
    rnd.shuffle(shuffled)
    rnd.shuffle(reordered)
    assert run(shuffled, reordered, prior, goals) == r


@given(
    transaction_lists,
    partner_lists,
    priors,
    txns(st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2024, 12, 31)))
    | txns(st.dates(min_value=dt.date(2026, 4, 1), max_value=dt.date(2030, 1, 1))),
    st.sampled_from(["CNY", "USD", "JPY"]),
)
def test_a_transaction_outside_both_periods_changes_nothing(
    txs: list[Transaction],
    partners: list[Partner],
    prior: Period | None,
    outside: Transaction,
    currency: str,
) -> None:
    data = outside.model_dump() | {"amount": Money(1, currency), "unit_price": None, "cost": None}
    stray = Transaction.model_validate(data)
    r = run(txs, partners, prior)
    assert run([*txs, stray], partners, prior) == r
    assert run([stray, *txs], partners, prior) == r


@given(transaction_lists, partner_lists, st.integers(min_value=1, max_value=6))
def test_hhi_lies_between_10000_over_n_and_10000(
    txs: list[Transaction], partners: list[Partner], top: int
) -> None:
    r = run(txs, partners, top=top)
    n = sum(1 for row in r.partners if row.net_sales.amount > 0)
    c = r.concentration
    if n == 0:
        assert c.hhi is None
        assert c.top_share is None
        return
    assert c.hhi is not None
    assert c.top_share is not None
    assert Decimal(10_000) / n - TINY * 10_000 <= c.hhi <= 10_000
    if n <= top:
        assert c.top_share == 1
    assert 0 < c.top_share <= 1
    assert len(c.head) == min(n, top)


@given(transaction_lists, partner_lists, priors, targets, st.sampled_from(["0.5", "0.8", "1"]))
def test_rows_order_and_laggards(
    txs: list[Transaction],
    partners: list[Partner],
    prior: Period | None,
    goals: dict[str, Decimal],
    below: str,
) -> None:
    r = review(txs, PERIOD, partners=partners or [_ANCHOR], prior=prior, targets=goals,
               laggard_below=below)  # fmt: skip
    keys = [(-row.net_sales.amount, row.partner_id) for row in r.partners]
    assert keys == sorted(keys)
    for groups in (r.territories, r.kinds):
        gkeys = [(-g.figures.net_sales.amount, g.key) for g in groups]
        assert gkeys == sorted(gkeys)
    expected = [
        row.partner_id
        for row in r.partners
        if row.target is not None
        and row.target.amount > 0
        and row.attainment is not None
        and row.attainment < Decimal(below)
    ]
    assert list(r.laggards) == expected
    # every partner passed, every partner trading in the period and every target has a row
    ids = {row.partner_id for row in r.partners}
    traded = {t.partner_id for t in txs if t.date in PERIOD and t.partner_id is not None}
    assert ids == {p.id for p in partners or [_ANCHOR]} | traded | goals.keys()
    assert len(ids) == len(r.partners)
    # the kinds are those of the partners passed
    assert {g.key for g in r.kinds} == {p.kind.value for p in partners or [_ANCHOR]}


@given(st.from_type(ChannelReview))
def test_json_round_trip(r: ChannelReview) -> None:
    assert ChannelReview.model_validate_json(r.model_dump_json()) == r
    assert ChannelReview.model_validate(r.model_dump()) == r
    assert len(r.to_rows()) == len(r.partners)
    # the explanation states the period, the total net sales and the laggard bound
    net = fmt_amount(r.total.net_sales.amount, r.total.net_sales.places)
    en, zh = r.explain("en"), r.explain("zh")
    assert en.startswith(f"Channel review {r.period} in {r.currency}")
    assert en.splitlines()[1].startswith(f"Net sales {net} (gross ")
    assert f"(attainment below {fmt_pct(r.laggard_below)})" in en.splitlines()[-1]
    assert zh.startswith(f"渠道绩效评估 {r.period}（{r.currency}）")
    assert zh.splitlines()[1].startswith(f"净销售额 {net}（销售额 ")
    assert f"（目标达成率低于 {fmt_pct(r.laggard_below)}）" in zh.splitlines()[-1]


@given(
    st.from_type(Figures),
    st.from_type(PartnerRow),
    st.from_type(GroupRow),
    st.from_type(Coverage),
    st.from_type(Concentration),
)
def test_registered_strategies_draw_valid_models(
    f: Figures, row: PartnerRow, g: GroupRow, cov: Coverage, con: Concentration
) -> None:
    for model in (f, row, g, cov, con):
        assert type(model).model_validate_json(model.model_dump_json()) == model
    assert f.net_sales == f.gross_sales - f.returns
    assert cov.territories_covered <= cov.territories
