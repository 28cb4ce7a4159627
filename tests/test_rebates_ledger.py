"""ledger: year-to-date and period-by-period ledgers; returns restate their sale's period (#12)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from channelkit import (
    ArgumentError,
    ArgumentTypeError,
    Bracket,
    CurrencyMismatchError,
    LedgerEntry,
    Money,
    Period,
    PolicyError,
    PolicyVersions,
    RebateBasis,
    RebateLedger,
    RebatePolicy,
    Transaction,
    ledger,
    settle,
)
from channelkit.testing import (
    bracket_ladders,
    policy_versions,
    rebate_ledgers,
    rebate_policies,
)
from channelkit.testing._versions import _plain

D = Decimal
QUARTERS = Period.year(2026).split("quarterly")
YTD = RebatePolicy(
    id="YTD",
    name="Year to date",
    currency="CNY",
    brackets=(Bracket(start=0, rate="0.01"), Bracket(start=100_000, rate="0.03")),
)

_n = iter(range(10**6))


def tx(
    kind: str, amount: int, day: dt.date, *, id: str | None = None, partner: str = "D1", **kw: Any
) -> Transaction:
    return Transaction(
        id=id or f"N{next(_n):05d}",
        partner_id=partner,
        date=day,
        kind=kind,  # type: ignore[arg-type]
        amount=Money(amount, kw.pop("currency", "CNY")),
        **kw,
    )


# a sale of 80,000 in Q1 and 60,000 in Q2; Q3 returns 30,000 of the Q1 sale; Q4 sells 50,000
TXS = [
    tx("sale", 80_000, dt.date(2026, 2, 1), id="T1"),
    tx("sale", 60_000, dt.date(2026, 5, 1), id="T2"),
    tx("return", 30_000, dt.date(2026, 8, 1), id="R1", refers_to="T1"),
    tx("sale", 50_000, dt.date(2026, 11, 1), id="T3"),
]


def figures(book: RebateLedger) -> list[tuple[Decimal, ...]]:
    return [
        (e.basis, e.rebate.amount, e.paid_before.amount, e.clawback.amount, e.payable.amount)
        for e in book.entries
    ]


def test_cumulative_ledger_by_hand() -> None:
    book = ledger(YTD, TXS, QUARTERS, partner_id="D1")
    assert figures(book) == [
        # Q1: 80,000 x 1% = 800
        (D(80_000), D(800), D(0), D(0), D(800)),
        # Q2: 140,000 to date: 1,000 + 40,000 x 3% = 2,200; 2,200 - 800 = 1,400
        (D(140_000), D(2200), D(800), D(0), D(1400)),
        # Q3: the return restates the first half to 110,000: 1,000 + 300 = 1,300, where 2,200
        # was paid: clawback 900; to date 110,000 earns 1,300: 1,300 - 2,200 = -900
        (D(110_000), D(1300), D(2200), D(900), D(-900)),
        # Q4: 160,000: 1,000 + 60,000 x 3% = 2,800; 2,800 - 1,300 = 1,500
        (D(160_000), D(2800), D(1300), D(0), D(1500)),
    ]
    assert book.total_paid == Money(2800, "CNY")  # the whole year restated: 160,000 -> 2,800
    assert [e.period for e in book.entries] == QUARTERS
    assert (book.partner_id, book.policy_id, book.basis_kind, book.cumulative) == (
        "D1",
        "YTD",
        RebateBasis.NET_SALES,
        True,
    )


def test_period_by_period_ledger_by_hand() -> None:
    book = ledger(YTD, TXS, QUARTERS, partner_id="D1", cumulative=False)
    assert figures(book) == [
        (D(80_000), D(800), D(0), D(0), D(800)),  # 80,000 x 1%
        (D(60_000), D(600), D(800), D(0), D(600)),  # 60,000 x 1%
        # Q3's own basis is 0 (the return counts in Q1); Q1 restated: 50,000 x 1% = 500,
        # 300 less than paid: clawback 300, payable 0 - 300
        (D(0), D(0), D(1400), D(300), D(-300)),
        (D(50_000), D(500), D(1100), D(0), D(500)),  # 50,000 x 1%
    ]
    assert book.total_paid == Money(1600, "CNY")  # 500 + 600 + 0 + 500, each restated


def test_returns_whose_sale_is_not_earlier_in_the_ledger_count_in_their_own_period() -> None:
    txs = [
        tx("sale", 10_000, dt.date(2025, 12, 1), id="T0"),  # before the ledger
        tx("sale", 80_000, dt.date(2026, 5, 1), id="T2"),
        tx("return", 1_000, dt.date(2026, 5, 2), refers_to="T0"),  # sale outside: own period
        tx("return", 2_000, dt.date(2026, 5, 3), refers_to="T2"),  # same period: own period
        tx("return", 3_000, dt.date(2026, 5, 4), refers_to="NOPE"),  # not found: own period
        tx("return", 4_000, dt.date(2026, 5, 5)),  # refers to nothing
        tx("return", 5_000, dt.date(2026, 2, 5), refers_to="T2"),  # a later sale: own period
    ]
    book = ledger(YTD, txs, QUARTERS[:2], partner_id="D1", cumulative=False)
    # Q1: -5,000 (nothing); Q2: 80,000 - 1,000 - 2,000 - 3,000 - 4,000 = 70,000 x 1% = 700
    assert figures(book) == [
        (D(-5_000), D(0), D(0), D(0), D(0)),
        (D(70_000), D(700), D(0), D(0), D(700)),
    ]


def test_several_restatements_in_one_entry_add_up() -> None:
    txs = [
        tx("sale", 80_000, dt.date(2026, 2, 1), id="T1"),
        tx("sale", 60_000, dt.date(2026, 5, 1), id="T2"),
        tx("return", 30_000, dt.date(2026, 8, 1), refers_to="T1"),
        tx("return", 10_000, dt.date(2026, 8, 2), refers_to="T2"),
        tx("return", 20_000, dt.date(2026, 9, 2), refers_to="T1"),
        tx("sale", 5_000, dt.date(2026, 9, 3)),
    ]
    book = ledger(YTD, txs, QUARTERS[:3], partner_id="D1", cumulative=False)
    # Q1 restated: 80,000 - 50,000 = 30,000 -> 300 (800 paid: 500 back);
    # Q2 restated: 50,000 -> 500 (600 paid: 100 back); Q3's own: 5,000 -> 50
    assert figures(book)[2] == (D(5_000), D(50), D(1400), D(600), D(-550))
    assert book.total_paid == Money(850, "CNY")  # 300 + 500 + 50
    ytd = ledger(YTD, txs, QUARTERS[:3], partner_id="D1")
    # to date 85,000 -> 850; restated half 80,000 -> 800 where 2,200 was paid: 1,400 back
    assert figures(ytd)[2] == (D(85_000), D(850), D(2200), D(1400), D(-1350))


def test_earlier_entries_keep_what_they_paid() -> None:
    short = ledger(YTD, TXS, QUARTERS[:2], partner_id="D1")
    longer = ledger(YTD, TXS, QUARTERS, partner_id="D1")
    assert longer.entries[:2] == short.entries


def test_a_ledger_under_versions() -> None:
    first = Period(dt.date(2026, 1, 1), dt.date(2026, 7, 1))
    second = Period(dt.date(2026, 7, 1), dt.date(2027, 1, 1))
    later = RebatePolicy(
        **{
            **dict(YTD),
            "valid": second,
            "brackets": (Bracket(start=0, rate="0.02"), Bracket(start=100_000, rate="0.04")),
        }
    )
    v = PolicyVersions(versions=(YTD.model_copy(update={"valid": first}), later))
    txs = [tx("sale", 80_000, dt.date(2026, 2, 1)), tx("sale", 60_000, dt.date(2026, 8, 1))]
    book = ledger(v, txs, QUARTERS[:3], partner_id="D1")
    # Q3 to date: 80,000 x 1% (filled under the first terms) + 20,000 x 2% + 40,000 x 4%
    # = 800 + 400 + 1,600 = 2,800; 800 paid before
    assert [e.payable.amount for e in book.entries] == [D(800), D(0), D(2000)]
    own = ledger(v, txs, QUARTERS[:3], partner_id="D1", cumulative=False)
    assert [e.payable.amount for e in own.entries] == [D(800), D(0), D(1200)]  # 60,000 x 2%
    assert book.policy_id == "YTD"


def test_incremental_bases_take_the_baseline() -> None:
    inc = YTD.model_copy(update={"basis": RebateBasis.INCREMENTAL})
    book = ledger(inc, TXS, QUARTERS[:1], partner_id="D1", baseline=50_000)
    assert figures(book) == [(D(30_000), D(300), D(0), D(0), D(300))]  # (80,000 - 50,000) x 1%
    with pytest.raises(PolicyError, match="pass the baseline"):
        ledger(inc, TXS, QUARTERS[:1], partner_id="D1")
    with pytest.raises(PolicyError, match="applies only to an incremental basis"):
        ledger(YTD, TXS, QUARTERS[:1], partner_id="D1", baseline=1)


def test_explanations() -> None:
    book = ledger(YTD, TXS, QUARTERS[:3], partner_id="D1")
    assert book.explain() == (
        "Rebate ledger of D1 under policy YTD: 3 periods, cumulative (to date)\n"
        "  2026-01-01..2026-04-01: basis 80,000.00, rebate 800.00\n"
        "    paid before 0.00, clawback 0.00, payable 800.00 CNY\n"
        "  2026-04-01..2026-07-01: basis 140,000.00, rebate 2,200.00\n"
        "    paid before 800.00, clawback 0.00, payable 1,400.00 CNY\n"
        "  2026-07-01..2026-10-01: basis 110,000.00, rebate 1,300.00\n"
        "    paid before 2,200.00, clawback 900.00, payable -900.00 CNY\n"
        "Total paid: 1,300.00 CNY"
    )
    zh = ledger(YTD, TXS, QUARTERS[:1], partner_id="D1", cumulative=False).explain("zh")
    assert zh.startswith("D1 的返利台账（政策 YTD，1 期，逐期计算）\n")
    units = YTD.model_copy(update={"basis": RebateBasis.UNITS})
    sold = [tx("sale", 10, dt.date(2026, 2, 1), quantity=12)]
    assert "basis 12, rebate 0.12" in ledger(units, sold, QUARTERS[:1], partner_id="D1").explain()
    assert book.entries[2].explain("zh") == (
        "2026-07-01..2026-10-01：基数 110,000，返利 1,300.00\n"
        "  此前已付 2,200.00，追回 900.00，本期应付 -900.00 CNY"
    )


@pytest.mark.parametrize(
    ("periods", "error", "message"),
    [
        ([], ArgumentError, "periods must not be empty"),
        (
            [QUARTERS[0], QUARTERS[2]],
            ArgumentError,
            r"periods\[1\] \(2026-07-01\.\.2026-10-01\) does not start where periods\[0\]",
        ),
        ([QUARTERS[1], QUARTERS[0]], ArgumentError, "ascending and contiguous"),
        ([QUARTERS[0], QUARTERS[0]], ArgumentError, "ascending and contiguous"),
        ("2026", ArgumentTypeError, "periods must be a sequence of Period, not str"),
        (QUARTERS[0], ArgumentTypeError, "periods must be a sequence of Period, not Period"),
        (5, ArgumentTypeError, "periods must be a sequence of Period, not int"),
        ([QUARTERS[0], "Q2"], ArgumentTypeError, r"periods\[1\] must be a Period, not str"),
    ],
)
def test_bad_periods(periods: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        ledger(YTD, TXS, periods, partner_id="D1")


def test_bad_arguments() -> None:
    with pytest.raises(ArgumentTypeError, match="policy_or_versions must be a RebatePolicy"):
        ledger({}, TXS, QUARTERS, partner_id="D1")  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match="partner_id must be a str"):
        ledger(YTD, TXS, QUARTERS, partner_id=None)  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match="partner_id must not be empty"):
        ledger(YTD, TXS, QUARTERS, partner_id="")
    with pytest.raises(ArgumentTypeError, match="cumulative must be a bool, not int"):
        ledger(YTD, TXS, QUARTERS, partner_id="D1", cumulative=1)  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match="transactions must be an iterable"):
        ledger(YTD, TXS[0], QUARTERS, partner_id="D1")  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match="transactions must hold Transaction"):
        ledger(YTD, [*TXS, "T9"], QUARTERS, partner_id="D1")  # type: ignore[list-item]
    with pytest.raises(ArgumentTypeError, match="tier must be a Tier"):
        ledger(YTD, TXS, QUARTERS, partner_id="D1", tier="GOLD")  # type: ignore[arg-type]
    dollars = [tx("sale", 1, dt.date(2026, 3, 1), id="U1", currency="USD")]
    with pytest.raises(CurrencyMismatchError, match="transaction U1"):
        ledger(YTD, dollars, QUARTERS, partner_id="D1")
    # another partner's rows, in any currency, are not read
    other = tx("sale", 1, dt.date(2026, 3, 1), partner="D2", currency="USD")
    assert ledger(YTD, [*TXS, other], QUARTERS, partner_id="D1").total_paid.amount == D(2800)


def test_the_policy_must_be_valid_over_every_span() -> None:
    half = YTD.model_copy(update={"valid": Period.half(2026, 1)})
    assert ledger(half, TXS, QUARTERS[:2], partner_id="D1").total_paid.amount == D(2200)
    with pytest.raises(PolicyError, match="does not contain the settlement period"):
        ledger(half, TXS, QUARTERS[:3], partner_id="D1")


def test_a_table_gives_the_models_ledger() -> None:
    pytest.importorskip("pyarrow")
    from channelkit import frames

    rows = [*TXS, tx("sale", 7, dt.date(2026, 3, 1), partner="D2")]
    frame = frames.transactions(rows)
    for cumulative in (True, False):
        mine = ledger(YTD, rows, QUARTERS, partner_id="D1", cumulative=cumulative)
        assert ledger(YTD, frame, QUARTERS, partner_id="D1", cumulative=cumulative) == mine
        table = frame.to_arrow()
        assert ledger(YTD, table, QUARTERS, partner_id="D1", cumulative=cumulative) == mine
    assert frames.to_arrow(mine.entries, lang="en").num_rows == 4


def test_models_round_trip_through_json() -> None:
    book = ledger(YTD, TXS, QUARTERS, partner_id="D1")
    assert RebateLedger.model_validate_json(book.model_dump_json()) == book
    entry = book.entries[2]
    assert LedgerEntry.model_validate_json(entry.model_dump_json()) == entry


@given(rebate_ledgers())
def test_ledger_strategy_round_trips_and_adds_up(book: RebateLedger) -> None:
    assert RebateLedger.model_validate_json(book.model_dump_json()) == book
    total = sum((e.payable for e in book.entries), Money.zero(book.total_paid.currency))
    assert total == book.total_paid
    assert book.explain("zh")


# -- properties ------------------------------------------------------------------------------------

_AMOUNTS = st.integers(1, 10**6) | st.integers(1, 10**8)  # in minor units
_BASES = st.sampled_from(
    [RebateBasis.NET_SALES] * 3
    + [RebateBasis.GROSS_SALES, RebateBasis.COLLECTIONS, RebateBasis.UNITS]
)
# ladders low enough that the amounts reach them, so that restatements change rebates
_POLICIES = rebate_policies(
    bases=_BASES, ladders=bracket_ladders(max_value=200_000), composite=False
).map(_plain)
_ANY = rebate_policies(bases=_BASES).map(_plain)


@st.composite
def cases(draw: st.DrawFn) -> tuple[Any, list[Period], list[Transaction], bool]:
    """A policy or versions, 1 to 4 consecutive months inside them, and transactions with
    returns referring to sales (or to nothing)."""
    if draw(st.booleans()):
        terms: Any = draw(policy_versions(max_size=3, policies=_POLICIES | _ANY))
        valid = terms.valid
    else:
        terms = draw(_POLICIES | _ANY)
        valid = Period(dt.date(2024, 1, 1), dt.date(2028, 1, 1))
        terms = terms.model_copy(update={"valid": None})
    start = valid.start + dt.timedelta(days=draw(st.integers(0, min(10, valid.days - 1))))
    periods: list[Period] = []
    for _ in range(draw(st.sampled_from([1, 2, 3, 3, 4, 4]))):
        end = start + dt.timedelta(days=draw(st.integers(min_value=1, max_value=60)))
        if end > valid.end:
            break
        periods.append(Period(start, end))
        start = end
    if not periods:
        periods = [Period(valid.end - dt.timedelta(days=1), valid.end)]
    span = Period(periods[0].start, periods[-1].end)
    cur = terms.currency
    places = 0 if cur == "JPY" else 2
    n = draw(st.integers(min_value=0, max_value=14))
    txs: list[Transaction] = []
    for i in range(n):
        kind = draw(st.sampled_from(["sale", "sale", "return", "return", "payment"]))
        sales = [t for t in txs if t.kind == "sale"]
        refers = partner = None
        low = -3
        if kind == "return" and sales and draw(st.integers(0, 3)):
            sale = draw(st.sampled_from(sales))  # mostly after its sale, often periods later
            refers, low, partner = sale.id, (sale.date - span.start).days, sale.partner_id
        elif kind == "return" and draw(st.booleans()):
            refers = "ZZ"  # found nowhere
        day = span.start + dt.timedelta(days=draw(st.integers(low, span.days + 2)))
        txs.append(
            Transaction(
                id=f"X{i:02d}",
                partner_id=partner or draw(st.sampled_from(["D1", "D1", "D1", "D2"])),
                date=day,
                kind=kind,  # type: ignore[arg-type]
                amount=Money(D(draw(_AMOUNTS)).scaleb(-places), cur),
                quantity=D(0) if kind == "payment" else D(draw(st.integers(0, 30))),
                refers_to=refers,
            )
        )
    return terms, periods, txs, draw(st.booleans())


def _metrics(terms: Any) -> dict[str, Decimal]:
    policy = terms.versions[0] if isinstance(terms, PolicyVersions) else terms
    keys = [c.metric for c in policy.conditions]
    if policy.scorecard is not None:
        keys += [m.key for m in policy.scorecard.metrics]
    return dict.fromkeys(keys, D(1))


def _restated(txs: list[Transaction], periods: list[Period]) -> list[Transaction]:
    """Every return of a sale of an earlier period moved to that period's last day."""

    def at(day: dt.date) -> int:
        return next((k for k, p in enumerate(periods) if day in p), -1)

    sales: dict[str, Transaction] = {}
    for t in txs:
        if t.kind == "sale" and t.partner_id == "D1":
            sales.setdefault(t.id, t)
    out = []
    for t in txs:
        sale = sales.get(t.refers_to or "") if t.kind == "return" else None
        if t.partner_id == "D1" and sale is not None and 0 <= at(sale.date) < at(t.date):
            t = t.model_copy(update={"date": periods[at(sale.date)].end - dt.timedelta(days=1)})
        out.append(t)
    return out


@given(cases())
def test_payables_add_up_to_the_restated_whole(case: Any) -> None:
    terms, periods, txs, cumulative = case
    metrics = _metrics(terms)
    book = ledger(terms, txs, periods, partner_id="D1", cumulative=cumulative, metrics=metrics)
    cur = terms.currency
    paid = Money.zero(cur)
    for e in book.entries:
        assert e.paid_before == paid
        if cumulative:
            assert e.payable == e.rebate - e.paid_before
        else:
            assert e.payable == e.rebate - e.clawback
        paid = paid + e.payable
    assert book.total_paid == paid
    moved = _restated(txs, periods)

    def amount(period: Period) -> Money:
        s = settle(terms, moved, period, partner_id="D1", metrics=metrics)
        return s.result.amount

    if cumulative:
        assert book.total_paid == amount(Period(periods[0].start, periods[-1].end))
    else:
        assert book.total_paid == sum((amount(p) for p in periods), Money.zero(cur))
    if not any(t.refers_to for t in txs):  # nothing to restate: each entry is settle's own
        assert all(e.clawback.amount == 0 for e in book.entries)
        first = periods[0].start
        for e in book.entries:
            span = Period(first, e.period.end) if cumulative else e.period
            assert e.rebate == amount(span)


@given(cases())
def test_a_table_ledger_equals_the_models(case: Any) -> None:
    pytest.importorskip("pyarrow")
    from channelkit import frames

    terms, periods, txs, cumulative = case
    if not txs:
        return
    metrics = _metrics(terms)
    mine = ledger(terms, txs, periods, partner_id="D1", cumulative=cumulative, metrics=metrics)
    table = frames.transactions(txs).to_arrow()
    theirs = ledger(terms, table, periods, partner_id="D1", cumulative=cumulative, metrics=metrics)
    assert theirs == mine
    assert RebateLedger.model_validate_json(mine.model_dump_json()) == mine
