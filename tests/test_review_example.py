"""A channel review worked by hand: every figure of a small channel, checked one by one.

The channel (CNY), reviewed for 2026 Q1 against 2025 Q1, with ``top=1``:

- partner A, a distributor appointed to N and E, sells twice in N, takes a return, pays;
- partner B, a dealer appointed to S, joined 2026-02-01 (new in the period), sells once in S;
- partner C, an agent appointed to W, sold in 2025 Q1 but not in the period;
- Z, a partner that was not passed, sells without a territory and returns more than it sold;
- Q, unknown and silent, has a target of 0;
- the vendor sells directly in E (a territory no partner sold in) and receives a payment;
- W is a territory nobody sold in; transactions on 2025-12-31 and 2026-04-01 (outside both
  periods, one of them in USD) are ignored.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from channelkit import (
    ArgumentError,
    ArgumentTypeError,
    ChannelReview,
    Concentration,
    Coverage,
    CurrencyMismatchError,
    Figures,
    GroupRow,
    Money,
    Partner,
    PartnerKind,
    PartnerRow,
    Period,
    Transaction,
    TransactionKind,
    review,
)
from channelkit.numeric import CONTEXT

S, R, P = TransactionKind.SALE, TransactionKind.RETURN, TransactionKind.PAYMENT
Q1 = Period.quarter(2026, 1)
PRIOR = Period.quarter(2025, 1)


def cny(x: int | str) -> Money:
    return Money(x, "CNY")


def div(a: int, b: int) -> Decimal:
    return CONTEXT.divide(Decimal(a), Decimal(b))


def tx(
    tid: str,
    pid: str | None,
    day: str,
    kind: TransactionKind,
    amount: int | str,
    qty: int = 0,
    territory: str | None = None,
    customer: str | None = None,
    currency: str = "CNY",
) -> Transaction:
    return Transaction(
        id=tid,
        partner_id=pid,
        date=dt.date.fromisoformat(day),
        kind=kind,
        amount=Money(amount, currency),
        quantity=qty,
        territory=territory,
        customer_id=customer,
    )


def partner(pid: str, kind: PartnerKind, territories: set[str], joined: str) -> Partner:
    return Partner(
        id=pid,
        name=f"Partner {pid}",
        kind=kind,
        territories=frozenset(territories),
        currency="CNY",
        payment_terms_days=30,
        joined=dt.date.fromisoformat(joined),
    )


PARTNERS = (
    partner("A", PartnerKind.DISTRIBUTOR, {"N", "E"}, "2020-01-01"),
    partner("B", PartnerKind.DEALER, {"S"}, "2026-02-01"),
    partner("C", PartnerKind.AGENT, {"W"}, "2021-05-01"),
)
TRANSACTIONS = (
    # -- 2026 Q1 ---------------------------------------------------------------------------
    tx("T1", "A", "2026-01-10", S, "1000.00", 10, "N", "C1"),
    tx("T2", "A", "2026-02-10", S, "500.00", 5, "N", "C2"),
    tx("T3", "A", "2026-03-01", R, "100.00", 1, "N"),
    tx("T4", "A", "2026-03-15", P, "800.00"),
    tx("T5", "B", "2026-03-20", S, "300.00", 3, "S", "C1"),
    tx("T6", None, "2026-01-05", S, "200.00", 2, "E", "C3"),
    tx("T7", None, "2026-01-20", P, "200.00"),
    tx("T8", "Z", "2026-02-02", S, "50.00", 1),
    tx("T9", "Z", "2026-03-03", R, "80.00", 1),
    # -- 2025 Q1 ---------------------------------------------------------------------------
    tx("T10", "A", "2025-02-01", S, "1000.00", 10, "N", "C1"),
    tx("T11", "C", "2025-03-01", S, "400.00", 4, "W", "C4"),
    tx("T12", None, "2025-01-15", S, "100.00", 1, "E", "C3"),
    tx("T13", "A", "2025-03-01", P, "500.00"),
    # -- outside both periods ----------------------------------------------------------------
    tx("T14", "A", "2026-04-01", S, "999.00", 9, "N", "C1"),
    tx("T15", "B", "2025-12-31", S, "999.00", 9, "S", "C1", currency="USD"),
)
TARGETS = {"A": 2000, "B": "300", "C": Decimal(100), "Q": 0}


@pytest.fixture(scope="module")
def r() -> ChannelReview:
    return review(TRANSACTIONS, Q1, partners=PARTNERS, prior=PRIOR, targets=TARGETS, top=1)


def figures(
    gross: str, returns: str, coll: str, units: int, orders: int, customers: int
) -> Figures:
    return Figures(
        gross_sales=cny(gross),
        returns=cny(returns),
        net_sales=cny(gross) - cny(returns),
        collections=cny(coll),
        units=Decimal(units),
        orders=orders,
        customers=customers,
    )


def test_headline(r: ChannelReview) -> None:
    assert r.period == Q1
    assert r.prior == PRIOR
    assert r.currency == "CNY"
    # sales 1000 + 500 + 300 + 200 + 50 = 2050; returns 100 + 80 = 180; net 1870;
    # payments 800 + 200 = 1000; units 10 + 5 - 1 + 3 + 2 + 1 - 1 = 19;
    # orders T1 T2 T5 T6 T8 = 5; customers C1 C2 C3 = 3 (C1 bought from A and B)
    assert r.total == figures("2050", "180", "1000", 19, 5, 3)
    assert r.total.net_sales == cny(1870)
    # direct: T6 and T7
    assert r.direct == figures("200", "0", "200", 2, 1, 1)
    # indirect: 1850 - 180 = 1670; payments 800; units 17; orders 4; customers C1 C2
    assert r.indirect == figures("1850", "180", "800", 17, 4, 2)
    # indirect share 1670 / 1870
    assert r.indirect_share == div(1670, 1870)
    # prior: 1000 (A) + 400 (C) + 100 (direct) = 1500; the prior payment does not count
    assert r.prior_net_sales == cny(1500)
    # growth (1870 - 1500) / 1500 = 370 / 1500
    assert r.growth == div(370, 1500)
    assert r.laggard_below == Decimal("0.8")


def test_partner_rows(r: ChannelReview) -> None:
    # ordered by net sales descending, then id: A 1400, B 300, C 0, Q 0, Z -30
    assert [row.partner_id for row in r.partners] == ["A", "B", "C", "Q", "Z"]
    a, b, c, q, z = r.partners
    assert a == PartnerRow(
        partner_id="A",
        kind=PartnerKind.DISTRIBUTOR,
        figures=figures("1500", "100", "800", 14, 2, 2),
        prior_net_sales=cny(1000),
        growth=Decimal("0.4"),  # (1400 - 1000) / 1000
        share=div(1400, 1670),
        target=cny(2000),
        attainment=Decimal("0.7"),  # 1400 / 2000
        collection_rate=div(800, 1400),
        return_rate=div(100, 1500),
        average_order=cny("750.00"),  # 1500 / 2
    )
    assert b == PartnerRow(
        partner_id="B",
        kind=PartnerKind.DEALER,
        figures=figures("300", "0", "0", 3, 1, 1),
        prior_net_sales=cny(0),
        growth=None,  # prior 0
        share=div(300, 1670),
        target=cny(300),
        attainment=Decimal(1),
        collection_rate=Decimal(0),  # 0 / 300
        return_rate=Decimal(0),
        average_order=cny("300.00"),
    )
    assert c == PartnerRow(
        partner_id="C",
        kind=PartnerKind.AGENT,
        figures=figures("0", "0", "0", 0, 0, 0),
        prior_net_sales=cny(400),
        growth=Decimal(-1),  # (0 - 400) / 400
        share=Decimal(0),
        target=cny(100),
        attainment=Decimal(0),
        collection_rate=None,  # net sales 0
        return_rate=None,  # no sales
        average_order=None,  # no orders
    )
    assert q == PartnerRow(
        partner_id="Q",
        kind=None,  # not passed: it has a row only because of its target
        figures=figures("0", "0", "0", 0, 0, 0),
        prior_net_sales=cny(0),
        growth=None,
        share=Decimal(0),
        target=cny(0),
        attainment=None,  # target 0
        collection_rate=None,
        return_rate=None,
        average_order=None,
    )
    assert z == PartnerRow(
        partner_id="Z",
        kind=None,
        figures=figures("50", "80", "0", 0, 1, 0),  # net -30; the sale had no customer id
        prior_net_sales=cny(0),
        growth=None,
        share=div(-30, 1670),
        target=None,
        attainment=None,
        collection_rate=None,  # net sales negative
        return_rate=div(80, 50),  # 1.6: returns of goods sold earlier
        average_order=cny("50.00"),
    )
    # the partner rows' net sales plus direct sales are the total: 1400 + 300 - 30 + 200 = 1870
    assert sum((row.net_sales for row in r.partners), r.direct.net_sales) == r.total.net_sales


def test_territory_rows(r: ChannelReview) -> None:
    # N 1400, S 300, E 200 (direct), "" -30 (Z's sale and return); W had no sale: no row
    assert r.territories == (
        GroupRow(
            key="N",
            figures=figures("1500", "100", "0", 14, 2, 2),  # payments never count here
            share=div(1400, 1870),
            prior_net_sales=cny(1000),
            growth=Decimal("0.4"),
        ),
        GroupRow(
            key="S",
            figures=figures("300", "0", "0", 3, 1, 1),
            share=div(300, 1870),
            prior_net_sales=cny(0),
            growth=None,
        ),
        GroupRow(
            key="E",
            figures=figures("200", "0", "0", 2, 1, 1),
            share=div(200, 1870),
            prior_net_sales=cny(100),
            growth=Decimal(1),  # (200 - 100) / 100
        ),
        GroupRow(
            key="",
            figures=figures("50", "80", "0", 0, 1, 0),
            share=div(-30, 1870),
            prior_net_sales=cny(0),
            growth=None,
        ),
    )


def test_kind_rows(r: ChannelReview) -> None:
    # every kind among the partners passed, their transactions only (Z is not counted)
    assert r.kinds == (
        GroupRow(
            key="distributor",
            figures=figures("1500", "100", "800", 14, 2, 2),
            share=div(1400, 1670),
            prior_net_sales=cny(1000),
            growth=Decimal("0.4"),
        ),
        GroupRow(
            key="dealer",
            figures=figures("300", "0", "0", 3, 1, 1),
            share=div(300, 1670),
            prior_net_sales=cny(0),
            growth=None,
        ),
        GroupRow(
            key="agent",
            figures=figures("0", "0", "0", 0, 0, 0),
            share=Decimal(0),
            prior_net_sales=cny(400),
            growth=Decimal(-1),
        ),
    )


def test_coverage(r: ChannelReview) -> None:
    # to cover: N E S W (the partners' territories); a partner sold in N (A) and S (B);
    # E only had a direct sale, W nothing
    assert r.coverage == Coverage(
        partners=3,
        active_partners=2,  # A and B; C did not sell
        new_partners=1,  # B joined 2026-02-01
        territories=4,
        territories_covered=2,
        coverage_rate=Decimal("0.5"),
        new_partner_ids=("B",),
        inactive_partner_ids=("C",),
        uncovered=("E", "W"),
    )


def test_concentration(r: ChannelReview) -> None:
    # counted net sales: A 1400, B 300, C 0, Q 0, Z -30 -> 0; whole 1700
    # top 1 share 1400 / 1700 = 14/17;
    # HHI (100 x 14/17)^2 + (100 x 3/17)^2 = 10000 x 205 / 289 = 7093.43
    pct_a = CONTEXT.multiply(100, div(1400, 1700))
    pct_b = CONTEXT.multiply(100, div(300, 1700))
    hhi = CONTEXT.add(CONTEXT.multiply(pct_a, pct_a), CONTEXT.multiply(pct_b, pct_b))
    assert r.concentration == Concentration(top=1, top_share=div(1400, 1700), hhi=hhi, head=("A",))
    assert abs(r.concentration.hhi - div(2_050_000, 289)) < Decimal("1e-28")  # type: ignore[operator]


def test_laggards(r: ChannelReview) -> None:
    # positive targets: A 0.7 < 0.8 (laggard), B 1.0, C 0 (laggard); Q's target is 0
    assert r.laggards == ("A", "C")
    at_70 = review(TRANSACTIONS, Q1, partners=PARTNERS, targets=TARGETS, laggard_below="0.7")
    assert at_70.laggards == ("C",)  # 0.7 is not below 0.7


def test_without_prior_growth_is_none() -> None:
    r = review(TRANSACTIONS, Q1, partners=PARTNERS)
    assert r.prior is None
    assert r.prior_net_sales is None
    assert r.growth is None
    assert all(row.prior_net_sales is None and row.growth is None for row in r.partners)
    assert all(g.prior_net_sales is None and g.growth is None for g in r.territories + r.kinds)
    # without targets, no row for Q and no laggards
    assert [row.partner_id for row in r.partners] == ["A", "B", "C", "Z"]
    assert r.laggards == ()
    assert r.concentration.top == 5
    assert r.concentration.top_share == Decimal(1)  # 5 largest of 2 trading partners
    assert r.concentration.head == ("A", "B")


def test_explicit_territories() -> None:
    r = review(TRANSACTIONS, Q1, partners=PARTNERS, territories=["N", "E", "X"])
    assert (r.coverage.territories, r.coverage.territories_covered) == (3, 1)
    assert r.coverage.uncovered == ("E", "X")
    assert r.coverage.coverage_rate == div(1, 3)
    full = review(TRANSACTIONS, Q1, partners=PARTNERS, territories={"N"})
    assert full.coverage.coverage_rate == Decimal(1)
    assert "Territory coverage: 1 of 1 (100%)\n" in full.explain()
    none = review(TRANSACTIONS, Q1, partners=PARTNERS, territories=())
    assert none.coverage.territories == 0
    assert none.coverage.coverage_rate is None


def test_to_rows(r: ChannelReview) -> None:
    rows = r.to_rows()
    assert [row["partner_id"] for row in rows] == ["A", "B", "C", "Q", "Z"]
    assert rows[0] == {
        "partner_id": "A",
        "kind": "distributor",
        "currency": "CNY",
        "gross_sales": Decimal("1500.00"),
        "returns": Decimal("100.00"),
        "net_sales": Decimal("1400.00"),
        "collections": Decimal("800.00"),
        "units": Decimal(14),
        "orders": 2,
        "customers": 2,
        "prior_net_sales": Decimal("1000.00"),
        "growth": Decimal("0.4"),
        "share": div(1400, 1670),
        "target": Decimal(2000),
        "attainment": Decimal("0.7"),
        "collection_rate": div(800, 1400),
        "return_rate": div(100, 1500),
        "average_order": Decimal("750.00"),
    }
    assert rows[3]["kind"] is None
    assert rows[3]["average_order"] is None
    assert rows[4]["target"] is None
    assert all(type(v) in (str, int, Decimal, type(None)) for row in rows for v in row.values())


def test_partner_lookup(r: ChannelReview) -> None:
    assert r.partner("B").figures.orders == 1
    with pytest.raises(KeyError, match="NOPE"):
        r.partner("NOPE")


def test_explain_english(r: ChannelReview) -> None:
    text = r.explain()
    assert text.splitlines()[0] == "Channel review 2026-01-01..2026-04-01 in CNY, against " + (
        "2025-01-01..2025-04-01"
    )
    assert (
        "Net sales 1,870.00 (gross 2,050.00 - returns 180.00), prior 1,500.00, growth 24.67%"
        in (text)
    )
    assert "Direct 200.00, indirect 1,670.00 (indirect share 89.3%); collections 1,000.00" in text
    assert "Partners: 2 of 3 active, 1 new (B)" in text
    assert "Territory coverage: 2 of 4 (50%); not covered: E, W" in text
    assert "Concentration: top 1 share 82.35%, HHI 7,093" in text
    assert "Top partner: A, net sales 1,400.00 (share 83.83%, growth 40%), attainment 70%" in text
    assert "Bottom partner: Z, net sales -30.00 (share -1.8%, growth n/a)" in text
    assert "Laggards (attainment below 80%): A 70%, C 0%" in text


def test_explain_chinese(r: ChannelReview) -> None:
    text = r.explain("zh")
    assert text.startswith(
        "渠道绩效评估 2026-01-01..2026-04-01（CNY），对比期 2025-01-01..2025-04-01"
    )
    assert (
        "净销售额 1,870.00（销售额 2,050.00 - 退货 180.00），对比期 1,500.00，增长率 24.67%" in text
    )
    assert "直接渠道 200.00，间接渠道 1,670.00（间接渠道占比 89.3%）；回款 1,000.00" in text
    assert "渠道伙伴：活跃 2/3，新签 1（B）" in text
    assert "区域覆盖率：2/4（50%）；未覆盖：E、W" in text
    assert "渠道集中度：前 1 名占比 82.35%，HHI 7,093" in text
    assert "头部伙伴：A，净销售额 1,400.00（占比 83.83%，增长率 40%），目标达成率 70%" in text
    assert "尾部伙伴：Z，净销售额 -30.00（占比 -1.8%，增长率 无）" in text
    assert "落后伙伴（目标达成率低于 80%）：A 70%、C 0%" in text


def test_explain_bad_language(r: ChannelReview) -> None:
    with pytest.raises(ValueError, match="lang must be 'en' or 'zh', got 'fr'"):
        r.explain("fr")


def test_json_round_trip(r: ChannelReview) -> None:
    again = ChannelReview.model_validate_json(r.model_dump_json())
    assert again == r
    assert again.partners[0].figures.net_sales == cny(1400)


# -- currencies ---------------------------------------------------------------------------------


def test_two_currencies_in_the_period_name_both() -> None:
    txs = [tx("T1", "A", "2026-01-10", S, 10), tx("T2", "A", "2026-01-11", S, 10, currency="USD")]
    with pytest.raises(CurrencyMismatchError, match=r"transaction T2.*expected CNY, got USD") as e:
        review(txs, Q1)
    assert (e.value.expected, e.value.got) == ("CNY", "USD")


def test_a_prior_transaction_in_another_currency_is_refused() -> None:
    txs = [tx("T1", "A", "2026-01-10", S, 10), tx("T2", "A", "2025-01-11", P, 10, currency="EUR")]
    with pytest.raises(CurrencyMismatchError, match="expected CNY, got EUR"):
        review(txs, Q1, prior=PRIOR)
    # without a prior period that transaction is outside and ignored
    assert review(txs, Q1).currency == "CNY"


def test_the_currency_can_come_from_the_prior_period() -> None:
    txs = [tx("T1", "A", "2025-01-10", S, 10, currency="USD"), tx("T2", "A", "2026-01-11", S, 5)]
    with pytest.raises(CurrencyMismatchError, match="expected USD, got CNY"):
        review(txs, Q1, prior=PRIOR)


def test_transactions_outside_both_periods_are_ignored_whatever_their_currency() -> None:
    txs = [tx("T1", "A", "2026-04-01", S, 10, currency="JPY"), tx("T2", "A", "2026-01-01", S, 5)]
    r = review(txs, Q1, prior=PRIOR)
    assert r.currency == "CNY"
    assert r.total.gross_sales == cny(5)


def test_with_no_transaction_read_the_currency_is_the_partners() -> None:
    r = review([], Q1, partners=PARTNERS, targets={"A": 100})
    assert r.currency == "CNY"
    assert r.total == figures("0", "0", "0", 0, 0, 0)
    assert [row.partner_id for row in r.partners] == ["A", "B", "C"]
    assert r.partners[0].attainment == Decimal(0)
    assert r.laggards == ("A",)
    assert r.indirect_share is None
    assert r.concentration == Concentration(top=5, top_share=None, hhi=None)
    assert r.coverage.coverage_rate == Decimal(0)
    assert "Laggards (attainment below 80%): A 0%" in r.explain()


def test_with_no_transaction_and_no_partner_there_is_no_currency() -> None:
    with pytest.raises(ArgumentError, match="review has no currency") as e:
        review([], Q1)
    assert e.value.argument == "partners"


def test_partners_in_two_currencies_without_transactions_are_refused() -> None:
    usd = PARTNERS[0].model_copy(update={"id": "U", "currency": "USD"})
    with pytest.raises(CurrencyMismatchError, match="expected CNY, got USD"):
        review([], Q1, partners=[*PARTNERS, usd])


def test_money_targets_are_checked_against_the_review_currency() -> None:
    r = review(TRANSACTIONS, Q1, targets={"A": cny(1400)})
    assert r.partner("A").attainment == Decimal(1)
    with pytest.raises(CurrencyMismatchError, match=r"targets\['A'\].*expected CNY, got USD"):
        review(TRANSACTIONS, Q1, targets={"A": Money(1400, "USD")})


# -- argument checks ----------------------------------------------------------------------------


def test_prior_overlapping_period_is_a_value_error() -> None:
    with pytest.raises(ArgumentError, match=r"prior \(2026-03-01..2026-06-01\) must not overlap"):
        review(TRANSACTIONS, Q1, prior=Period(dt.date(2026, 3, 1), dt.date(2026, 6, 1)))
    # touching is not overlapping: the next quarter (holding T14 on 2026-04-01) is a valid prior
    r = review(TRANSACTIONS, Q1, prior=Period.quarter(2026, 2))
    assert r.prior_net_sales == cny(999)
    assert r.growth == div(1870 - 999, 999)


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (-1, ArgumentError, r"targets\['A'\] must not be negative, got -1"),
        ("-0.01", ArgumentError, r"targets\['A'\] must not be negative, got -0.01"),
        (cny(-5), ArgumentError, r"targets\['A'\] must not be negative, got -5"),
        (1.5, ArgumentTypeError, r"targets\['A'\] must not be a float"),
        ("lots", ArgumentError, r"targets\['A'\] is not a number"),
    ],
)
def test_bad_targets_are_refused(value: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        review(TRANSACTIONS, Q1, targets={"A": value})


@pytest.mark.parametrize("key", [7, "", "  ", None])
def test_target_keys_must_be_partner_ids(key: Any) -> None:
    with pytest.raises(ArgumentTypeError, match="targets must be keyed by partner ids"):
        review(TRANSACTIONS, Q1, targets={key: 100})


@pytest.mark.parametrize(
    ("top", "error", "message"),
    [
        (0, ArgumentError, "top must be at least 1, got 0"),
        (-3, ArgumentError, "top must be at least 1, got -3"),
        (True, ArgumentTypeError, "top must be an int, got True"),
        (2.0, ArgumentTypeError, "top must be an int, got 2.0"),
    ],
)
def test_bad_top_is_refused(top: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        review(TRANSACTIONS, Q1, top=top)


def test_laggard_below_must_not_be_a_float() -> None:
    with pytest.raises(ArgumentTypeError, match="laggard_below must not be a float"):
        review(TRANSACTIONS, Q1, laggard_below=0.8)  # type: ignore[arg-type]


def test_duplicate_partners_are_refused() -> None:
    with pytest.raises(ArgumentError, match="'A' is passed twice"):
        review(TRANSACTIONS, Q1, partners=[*PARTNERS, PARTNERS[0]])


def test_period_and_prior_must_be_periods() -> None:
    with pytest.raises(ArgumentTypeError, match="period must be a Period, got tuple"):
        review(TRANSACTIONS, (dt.date(2026, 1, 1), dt.date(2026, 4, 1)))  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match="prior must be a Period or None, got str"):
        review(TRANSACTIONS, Q1, prior="2025Q1")  # type: ignore[arg-type]


def test_territories_must_not_be_one_string() -> None:
    with pytest.raises(ArgumentTypeError, match="territories must be a collection of codes"):
        review(TRANSACTIONS, Q1, territories="NE")


def test_nothing_is_mutated() -> None:
    txs = list(TRANSACTIONS)
    partners = list(PARTNERS)
    targets = dict(TARGETS)
    territories = {"N", "W"}
    before = copy.deepcopy((txs, partners, targets, territories))
    review(txs, Q1, partners=partners, prior=PRIOR, targets=targets, territories=territories)
    assert (txs, partners, targets, territories) == before


def test_any_iterable_is_read_once() -> None:
    r = review(iter(TRANSACTIONS), Q1, partners=iter(PARTNERS), prior=PRIOR, targets=TARGETS)
    assert r == review(TRANSACTIONS, Q1, partners=PARTNERS, prior=PRIOR, targets=TARGETS)


# -- edge cases ---------------------------------------------------------------------------------


def test_a_direct_only_channel() -> None:
    r = review([tx("T1", None, "2026-01-10", S, 100, 1, "N", "C1")], Q1)
    assert r.partners == ()
    assert r.kinds == ()
    assert r.indirect_share == Decimal(0)
    assert r.concentration.hhi is None
    assert r.coverage == Coverage(
        partners=0,
        active_partners=0,
        new_partners=0,
        territories=0,
        territories_covered=0,
        coverage_rate=None,
    )
    text = r.explain()
    assert "No partner rows" in text
    assert "Territory coverage" not in text
    assert "Concentration" not in text
    assert "No laggards (attainment below 80%)" in text
    assert "无渠道伙伴数据" in r.explain("zh")


def test_net_sales_not_positive_make_shares_none() -> None:
    txs = [tx("T1", "A", "2026-01-10", S, 100, 1, "N"), tx("T2", "A", "2026-01-11", R, 150, 1, "N")]
    r = review(txs, Q1, partners=PARTNERS[:1], prior=PRIOR)
    assert r.total.net_sales == cny(-50)
    assert r.indirect_share is None
    assert r.partners[0].share is None
    assert r.partners[0].collection_rate is None
    assert r.territories[0].share is None
    assert r.kinds[0].share is None
    assert r.growth is None  # the prior net sales are 0
    assert r.concentration.top_share is None


def test_a_single_partner_has_all_the_concentration() -> None:
    r = review([tx("T1", "A", "2026-01-10", S, 100)], Q1)
    assert r.concentration == Concentration(
        top=5, top_share=Decimal(1), hhi=Decimal(10_000), head=("A",)
    )
    text = r.explain()
    assert "Top partner: A" in text
    assert "Bottom partner" not in text
    assert r.partners[0].kind is None


def test_average_order_is_rounded_half_up_to_the_minor_unit() -> None:
    txs = [tx(f"T{i}", "A", "2026-01-10", S, "0.01") for i in range(2)]
    txs.append(tx("T3", "A", "2026-01-10", S, "0.03"))
    # 0.05 / 3 = 0.01666... -> 0.02
    assert review(txs, Q1).partner("A").average_order == cny("0.02")
    jpy = [tx("T1", "A", "2026-01-10", S, 5, currency="JPY")]
    jpy.append(tx("T2", "A", "2026-01-10", S, 10, currency="JPY"))
    # 15 / 2 = 7.5 -> 8 (JPY has no minor unit)
    assert review(jpy, Q1).partner("A").average_order == Money(8, "JPY")


def test_a_payment_alone_gives_a_row_but_no_territory() -> None:
    r = review([tx("T1", "A", "2026-01-10", P, 100)], Q1, partners=PARTNERS)
    assert r.partner("A").figures.collections == cny(100)
    assert r.territories == ()
    assert r.coverage.active_partners == 0  # a payment is not a sale


def test_a_return_does_not_cover_a_territory() -> None:
    r = review([tx("T1", "A", "2026-01-10", R, 100, 1, "N")], Q1, partners=PARTNERS)
    assert r.coverage.territories_covered == 0
    assert [g.key for g in r.territories] == ["N"]


def test_partner_missing_from_partners_is_still_a_partner_kind_none() -> None:
    p = Partner(
        id="Z",
        name="Z",
        kind=PartnerKind.ONLINE,
        currency="CNY",
        payment_terms_days=0,
        joined=dt.date(2026, 3, 31),
    )
    r = review(TRANSACTIONS, Q1, partners=[*PARTNERS, p])
    assert r.partner("Z").kind is PartnerKind.ONLINE
    assert r.coverage.new_partners == 2  # B and Z (joined on the period's last day)
    assert [g.key for g in r.kinds][-1] == "online"  # -30 is the lowest


def test_ratios_of_sums_beyond_the_input_bound() -> None:
    # three sales of 900 trillion VND: sums reach 10**15, beyond what one input amount may be,
    # and the ratios stay exact: A's share 2/3, growth (1.8e15 - 9e14) / 9e14 = 1
    big = "900000000000000"
    txs = [
        tx("T1", "A", "2026-01-10", S, big, 1, "N", currency="VND"),
        tx("T2", "A", "2026-01-11", S, big, 1, "N", currency="VND"),
        tx("T3", "B", "2026-01-12", S, big, 1, "S", currency="VND"),
        tx("T4", "A", "2025-01-12", S, big, 1, "N", currency="VND"),
    ]
    r = review(txs, Q1, prior=PRIOR, targets={"B": big})
    a, b = r.partners
    assert a.share == div(2, 3)
    assert a.growth == Decimal(1)
    assert b.attainment == Decimal(1)
    assert r.growth == Decimal(2)
    assert r.territories[0].share == div(2, 3)
    assert r.concentration.top_share == Decimal(1)
    # HHI (100 x 2/3)^2 + (100 x 1/3)^2 = 50000 / 9
    assert abs(r.concentration.hhi - div(50_000, 9)) < Decimal("1e-28")  # type: ignore[operator]
