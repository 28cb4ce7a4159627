"""The credit section of the demo: figures checked against the sample data by hand."""

from __future__ import annotations

import datetime as dt

from channelkit import CreditOutcome, Money, Partner
from channelkit.demo import credit, sample, sections


def partner(pid: str) -> Partner:
    return next(p for p in sample.partners() if p.id == pid)


def test_open_items_apply_returns_and_payments_to_the_oldest_first() -> None:
    north = partner("D-NORTH")
    # sales 116,000 (T001), 76,000 (T002), 114,000 (T003), 142,500 (T005); return 11,600;
    # payments 180,000 + 200,000. Credits 391,600 settle T001-T003 (306,000) and 85,600 of T005.
    items = credit.open_items(north, dt.date(2026, 9, 30))
    assert [(i.id, i.amount, i.due) for i in items] == [
        ("T005", Money(56_900, "CNY"), dt.date(2026, 10, 25))  # 142,500 - 85,600; 09-10 + 45
    ]
    # on 2026-08-10 only the first payment (180,000) and three sales have happened:
    # T001 paid, T002 76,000 - 64,000 = 12,000 open, T003 open
    early = credit.open_items(north, dt.date(2026, 8, 10))
    assert [(i.id, i.amount) for i in early] == [
        ("T002", Money(12_000, "CNY")),
        ("T003", Money(114_000, "CNY")),
    ]


def test_receivables_are_net_sales_less_payments() -> None:
    east = partner("D-EAST")
    items = credit.open_items(east, credit.AS_OF)
    # sales 111,000 + 98,000 + 46,250 = 255,250; payments 150,000 -> 105,250
    assert sum((i.amount for i in items), Money.zero("CNY")) == Money(105_250, "CNY")


def test_section_in_english() -> None:
    text = credit.section("en")
    assert text.startswith("Credit control\n==============")
    # exposure before 105,250 + 180,000 + 40,000 = 325,250; limit 600,000
    # 200,000 -> 525,250 (87.54%), 250,000 -> 575,250 (95.88%), 300,000 -> 625,250 (104.21%)
    assert "200,000.00      525,250.00   74,750.00       87.54%  Approve" in text
    assert "250,000.00      575,250.00   24,750.00       95.88%  Warn" in text
    assert "300,000.00      625,250.00  -25,250.00      104.21%  Block" in text
    # overdue 59,000 of 105,250 = 56.06%, T009 due 09-11: 19 days
    assert "Overdue: 59,000.00 CNY, 56.06% of the open total; oldest T009, 19 days past due" in text
    # median of 650,000, 585,000 and 85,083.33 x 45 / 30 = 127,625 -> 585,000
    assert "Proposed credit limit: 585,000.00 CNY" in text


def test_section_in_chinese() -> None:
    text = credit.section("zh")
    assert text.startswith("信用管理")
    assert "信用检查：警告" in text
    assert "建议信用额度：585,000.00 CNY" in text


def test_the_section_is_found_in_order() -> None:
    assert credit.ORDER == 50
    assert credit.section in sections()


def test_the_demo_decisions() -> None:
    east = partner("D-EAST")
    from channelkit import Exposure, aging, check_order

    aged = aging(credit.open_items(east, credit.AS_OF), credit.AS_OF)
    e = Exposure(
        receivables=aged.open_total,
        open_orders=credit.OPEN_ORDERS,
        unbilled_deliveries=credit.UNBILLED,
        unposted_invoices=Money(0, "CNY"),
    )
    outcomes = [
        check_order(east.credit_limit, e, o, credit.POLICY, aging=aged).outcome
        for o in credit.ORDERS
    ]
    assert outcomes == [CreditOutcome.APPROVE, CreditOutcome.WARN, CreditOutcome.BLOCK]
