"""Channel costs and profitability (渠道费用分析): hand-worked reports, rules, errors, output."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from decimal import Decimal, localcontext
from html.parser import HTMLParser
from typing import Any

import pytest
from pydantic import ValidationError

from channelkit import (
    ArgumentError,
    ArgumentTypeError,
    CurrencyMismatchError,
    Money,
    Period,
    Transaction,
)
from channelkit.incentives.costs import ChannelCost, CostCategory
from channelkit.incentives.profit import ProfitabilityReport, ProfitRow, profitability
from channelkit.numeric import CONTEXT

D = Decimal
Q3 = Period.quarter(2026, 3)
DAY = dt.date(2026, 7, 15)
CNY = "CNY"


def m(amount: int | str, currency: str = CNY) -> Money:
    return Money(amount, currency)


_n = iter(range(10**6))


def tx(kind: str, amount: int | str, partner: str | None, cost: int | str | None = None,
       day: dt.date = DAY, currency: str = CNY) -> Transaction:  # fmt: skip
    return Transaction(
        id=f"T{next(_n)}",
        partner_id=partner,
        date=day,
        kind=kind,  # type: ignore[arg-type]
        amount=m(amount, currency),
        cost=None if cost is None else m(cost, currency),
    )


def cost(partner: str | None, category: str, amount: int | str, day: dt.date = DAY,
         currency: str = CNY) -> ChannelCost:  # fmt: skip
    return ChannelCost(
        partner_id=partner,
        category=category,  # type: ignore[arg-type]
        amount=m(amount, currency),
        date=day,
    )


OUT_AFTER, OUT_BEFORE = dt.date(2026, 10, 1), dt.date(2026, 6, 30)  # the period is [Jul 1, Oct 1)
TXS = [
    tx("sale", 100_000, "D1", 70_000),
    tx("return", 10_000, "D1", 7_000),
    tx("sale", 40_000, "D2", 34_000),
    tx("sale", 20_000, "D3"),  # no cost: D3 has no gross profit
    tx("sale", 5_000, None, 3_000),  # direct: only in the total
    tx("payment", 50_000, "D1"),  # payments are not sales
    tx("sale", 999_999, "D1", 1, day=OUT_AFTER),
    tx("sale", 1, "D2", 1, day=OUT_BEFORE),
    tx("payment", 700, "D4"),  # a payment alone gives D4 a row of zeros
]
COSTS = [
    cost("D1", "marketing", 5_000),
    cost("D1", "marketing", -1_000, day=dt.date(2026, 8, 1)),  # a reversal
    cost("D2", "logistics", 6_000),
    cost(None, "sales_management", 3_000),  # channel-wide: only in the total
    cost("D1", "logistics", 2_000, day=OUT_AFTER),
    cost("D3", "subsidy", 500),
]
OPTIONS: dict[str, Any] = {
    "costs": COSTS,
    "rebates": {"D1": m(2_700), "D5": m(300)},  # D5 has only a rebate
    "funds": {"D2": m(1_500)},
    "financing_rate": D("0.06"),
    "receivable_days": {"D1": 60, "D2": 30, "D5": 90, "D9": 45},  # D9 has no row
}


@pytest.fixture(scope="module")
def report() -> ProfitabilityReport:
    return profitability(TXS, Q3, **OPTIONS)


def test_a_partner_row_from_the_formula(report: ProfitabilityReport) -> None:
    d1 = next(r for r in report.rows if r.partner_id == "D1")
    assert d1.net_sales == m(90_000)  # 100,000 - 10,000 (the payment and Oct 1 sale are out)
    assert d1.gross_profit == m(27_000)  # 90,000 - (70,000 - 7,000)
    assert d1.rebates == m(2_700)
    assert d1.funds == m(0)
    assert d1.costs == {CostCategory.MARKETING: m(4_000)}  # 5,000 - 1,000; Oct 1 logistics out
    assert d1.financing_cost == m("887.67")  # 90,000 x 0.06 x 60 / 365 = 887.6712...
    assert d1.spend == m("7587.67")  # 2,700 + 0 + 4,000 + 887.67
    assert d1.contribution == m("19412.33")  # 27,000 - 7,587.67
    assert d1.contribution_margin == CONTEXT.divide(D("19412.33"), D(90_000))  # 0.21569...
    assert d1.roi == CONTEXT.divide(D("19412.33"), D("7587.67"))  # 2.5584...


def test_a_loss_making_partner(report: ProfitabilityReport) -> None:
    d2 = next(r for r in report.rows if r.partner_id == "D2")
    assert d2.net_sales == m(40_000)  # the Jun 30 sale is out
    assert d2.gross_profit == m(6_000)  # 40,000 - 34,000
    assert d2.financing_cost == m("197.26")  # 40,000 x 0.06 x 30 / 365 = 197.2602...
    assert d2.spend == m("7697.26")  # 0 + 1,500 + 6,000 + 197.26
    assert d2.contribution == m("-1697.26")  # 6,000 - 7,697.26
    assert d2.contribution_margin == CONTEXT.divide(D("-1697.26"), D(40_000))
    assert d2.roi == CONTEXT.divide(D("-1697.26"), D("7697.26"))  # -0.2205...


def test_none_rules(report: ProfitabilityReport) -> None:
    rows = {r.partner_id: r for r in report.rows}
    d3, d4, d5 = rows["D3"], rows["D4"], rows["D5"]
    # D3: a sale without cost -> no gross profit, so no contribution nor ratios; no days -> 0
    assert (d3.net_sales, d3.gross_profit) == (m(20_000), None)
    assert (d3.contribution, d3.contribution_margin, d3.roi) == (None, None, None)
    assert (d3.spend, d3.financing_cost) == (m(500), m(0))
    # D4: a payment only -> zeros; margin None (net sales 0), ROI None (spend 0)
    assert (d4.net_sales, d4.gross_profit, d4.spend, d4.contribution) == (m(0),) * 4
    assert (d4.contribution_margin, d4.roi) == (None, None)
    # D5: a rebate only -> contribution 0 - 300; 0 x 0.06 x 90 / 365 = 0 financing
    assert (d5.spend, d5.contribution, d5.financing_cost) == (m(300), m(-300), m(0))
    assert (d5.contribution_margin, d5.roi) == (None, D(-1))  # -300 / 300


def test_rows_are_ranked_and_negatives_listed(report: ProfitabilityReport) -> None:
    # contributions: D1 19,412.33 > D4 0 > D5 -300 > D2 -1,697.26; D3 has none: last
    assert [r.partner_id for r in report.rows] == ["D1", "D4", "D5", "D2", "D3"]
    assert report.negative == ("D5", "D2")


def test_the_total(report: ProfitabilityReport) -> None:
    t = report.total
    assert t.partner_id is None
    assert t.net_sales == m(155_000)  # 90,000 + 40,000 + 20,000 + 5,000 direct + 0
    assert (t.gross_profit, t.contribution) == (None, None)  # D3 lacks a cost
    assert (t.rebates, t.funds) == (m(3_000), m(1_500))  # 2,700 + 300; 1,500
    assert t.financing_cost == m("1084.93")  # 887.67 + 197.26 (the rows' sum)
    assert t.costs == {  # the channel-wide 3,000 counts here only; in enum order
        CostCategory.SALES_MANAGEMENT: m(3_000),
        CostCategory.MARKETING: m(4_000),
        CostCategory.LOGISTICS: m(6_000),
        CostCategory.SUBSIDY: m(500),
    }
    assert list(t.costs) == [c for c in CostCategory if c in t.costs]
    assert t.spend == m("19084.93")  # 3,000 + 1,500 + 13,500 + 1,084.93
    assert report.categories == (
        (CostCategory.LOGISTICS, m(6_000)),
        (CostCategory.MARKETING, m(4_000)),
        (CostCategory.SALES_MANAGEMENT, m(3_000)),
        (CostCategory.SUBSIDY, m(500)),
    )
    assert (report.period, report.currency) == (Q3, CNY)


def test_the_total_with_every_cost_known() -> None:
    txs = [t if t.partner_id != "D3" else t.model_copy(update={"cost": m(15_000)}) for t in TXS]
    r = profitability(txs, Q3, **OPTIONS)
    rows = {row.partner_id: row for row in r.rows}
    assert rows["D3"].contribution == m(4_500)  # (20,000 - 15,000) - 500
    assert [row.partner_id for row in r.rows] == ["D1", "D3", "D4", "D5", "D2"]
    t = r.total
    assert t.gross_profit == m(40_000)  # 155,000 - (63,000 + 34,000 + 15,000 + 3,000)
    assert t.contribution == m("20915.07")  # 40,000 - 19,084.93
    assert t.contribution_margin == CONTEXT.divide(D("20915.07"), D(155_000))
    assert t.roi == CONTEXT.divide(D("20915.07"), D("19084.93"))
    # a direct sale without its cost takes the total's gross profit away, and no row's
    r = profitability([*txs, tx("return", 10, None)], Q3, **OPTIONS)
    assert all(row.gross_profit is not None for row in r.rows)
    assert (r.total.gross_profit, r.total.net_sales) == (None, m(154_990))


def test_ties_go_by_partner_id_and_categories_by_enum_order() -> None:
    txs = [tx("sale", 100, p, 60) for p in ("B", "A", "C")]
    txs += [tx("sale", 5, "Z"), tx("sale", 5, "Y")]
    costs = [cost("C", "other", 40), cost("A", "marketing", 40), cost(None, "logistics", 40)]
    r = profitability(txs, Q3, costs=costs)
    # B 40; A and C 0 (40 - 40), tied: by id; Y and Z without contribution: by id
    assert [row.partner_id for row in r.rows] == ["B", "A", "C", "Y", "Z"]
    cats = [c for c, _ in r.categories]
    assert cats == [CostCategory.MARKETING, CostCategory.LOGISTICS, CostCategory.OTHER]
    assert r.negative == ()


def test_financing_rounds_half_up_once() -> None:
    def financing(*txs: Transaction, rate: str | None = "0.01", days: int | None = 5) -> Money:
        pid = txs[0].partner_id
        by = None if days is None else {str(pid): days}
        row = profitability(txs, Q3, financing_rate=rate, receivable_days=by).rows[0]
        return row.financing_cost

    assert financing(tx("sale", "36.50", "P", 1)) == m("0.01")  # 36.5 x 0.01 x 5 / 365 = 0.005
    assert financing(tx("return", "36.50", "P", 1)) == m("-0.01")  # net -36.5: -0.005
    assert financing(tx("sale", 3650, "P", 1, currency="JPY")) == Money(1, "JPY")  # 0.5 yen
    assert financing(tx("sale", "36.49", "P", 1)) == m(0)  # 0.004998...
    assert financing(tx("sale", 1000, "P"), rate=None) == m(0)  # no rate
    assert financing(tx("sale", 1000, "P"), days=None) == m(0)  # no days for P
    # 10**14 x 10**14 x 10**14 / 365 cannot carry cents in 34 digits: 34 digits are kept
    big = profitability(
        [tx("sale", 10**14, "P", 0)], Q3, financing_rate=10**14, receivable_days={"P": 10**14}
    ).rows[0]
    assert big.financing_cost.amount == D("2.739726027397260273972602739726027E+39")


def test_margin_and_roi_edges() -> None:
    r = profitability([tx("return", 100, "R", 80), tx("sale", 100, "S", 100)], Q3)
    rows = {row.partner_id: row for row in r.rows}
    # R: net -100, gross -100 - (-80) = -20, spend 0: margin None (net < 0), ROI None
    assert (rows["R"].gross_profit, rows["R"].contribution) == (m(-20), m(-20))
    assert (rows["R"].contribution_margin, rows["R"].roi) == (None, None)
    # S: net 100, gross 0, contribution 0: margin 0 / 100 = 0, ROI None (spend 0)
    assert (rows["S"].contribution_margin, rows["S"].roi) == (D(0), None)


def test_the_callers_context_is_not_used() -> None:
    with localcontext() as ctx:
        ctx.prec = 3
        r = profitability(TXS, Q3, **OPTIONS)
    assert r == profitability(TXS, Q3, **OPTIONS)
    assert r.rows[0].contribution == m("19412.33")


# -- currencies -----------------------------------------------------------------------------------


def test_currency_of_an_empty_report() -> None:
    r = profitability([], Q3, currency="USD")
    assert (r.currency, r.rows, r.categories, r.negative) == ("USD", (), (), ())
    assert (r.total.net_sales, r.total.roi) == (Money(0, "USD"), None)
    # only rows outside the period: nothing is read
    out = [tx("sale", 5, "P", 1, day=OUT_AFTER, currency="EUR")]
    with pytest.raises(ArgumentError, match="no currency") as err:
        profitability(out, Q3, costs=[cost("P", "other", 1, day=OUT_BEFORE)])
    assert err.value.argument == "currency"
    with pytest.raises(ArgumentError, match="unknown currency 'usd'"):
        profitability([], Q3, currency="usd")


def test_the_currency_comes_from_the_first_amount_read() -> None:
    assert profitability([], Q3, costs=[cost(None, "other", 1, currency="EUR")]).currency == "EUR"
    assert profitability([], Q3, rebates={"P": m(1, "USD")}).currency == "USD"
    assert profitability([], Q3, funds={"P": m(1, "JPY")}).currency == "JPY"
    out = [tx("sale", 5, "P", 1, day=OUT_AFTER, currency="EUR")]  # out of the period: not read
    assert profitability(out, Q3, costs=[cost("P", "other", 1)]).currency == CNY


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"currency": "USD"}, r"\(transaction T\d+\): expected USD, got CNY"),
        ({"costs": [cost("P", "other", 1), cost("P", "other", 1, currency="USD")]},
         r"\(costs\[1\]\): expected CNY, got USD"),
        ({"rebates": {"P1": m(1, "USD")}}, r"\(rebates\['P1'\]\): expected CNY, got USD"),
        ({"funds": {"P2": m(1, "JPY")}}, r"\(funds\['P2'\]\): expected CNY, got JPY"),
    ],
)  # fmt: skip
def test_one_currency(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(CurrencyMismatchError, match=message):
        profitability([tx("sale", 5, "P", 1)], Q3, **kwargs)


def test_transactions_in_two_currencies() -> None:
    txs = [tx("sale", 5, "P", 1), tx("sale", 5, "P", 1, currency="USD")]
    with pytest.raises(CurrencyMismatchError, match=rf"transaction {txs[1].id}\): expected CNY"):
        profitability(txs, Q3)


# -- arguments ------------------------------------------------------------------------------------

ONE = [tx("sale", 5, "P", 1)]


@pytest.mark.parametrize(
    ("kwargs", "error", "argument", "message"),
    [
        ({"costs": 5}, ArgumentTypeError, "costs", "costs must be an iterable of ChannelCost"),
        ({"costs": "abc"}, ArgumentTypeError, "costs", "not str"),
        ({"costs": COSTS[0]}, ArgumentTypeError, "costs", "not one ChannelCost"),
        ({"costs": [COSTS[0], 1]}, ArgumentTypeError, "costs[1]", "costs[1] must be a Channel"),
        ({"rebates": [("P", m(1))]}, ArgumentTypeError, "rebates", "must be a mapping"),
        ({"rebates": {"": m(1)}}, ArgumentTypeError, "rebates", "got ''"),
        ({"funds": {2**100: m(1)}}, ArgumentTypeError, "funds", "an integer of 101 bits"),
        ({"funds": {("x" * 99,): m(1)}}, ArgumentTypeError, "funds", "x...xxxxxxxxx',)"),
        ({"rebates": {"P": D(1)}}, ArgumentTypeError, "rebates['P']", "must be Money, not Dec"),
        ({"rebates": {"P": m(10**14) * 100}}, ArgumentError, "rebates['P']", "too large"),
        ({"financing_rate": -1}, ArgumentError, "financing_rate", "not be negative, got -1"),
        ({"financing_rate": 0.06}, ArgumentTypeError, "financing_rate", "not be a float"),
        ({"receivable_days": {"P": "-5"}}, ArgumentError, "receivable_days['P']", "got -5"),
        ({"receivable_days": {"P": 30.0}}, ArgumentTypeError, "receivable_days['P']", "float"),
        ({"receivable_days": 30}, ArgumentTypeError, "receivable_days", "mapping of partner"),
        ({"currency": 840}, ArgumentTypeError, "currency", "unknown currency 840"),
    ],
)
def test_arguments_are_checked(
    kwargs: dict[str, Any], error: type[Exception], argument: str, message: str
) -> None:
    with pytest.raises(error) as err:
        profitability(ONE, Q3, **kwargs)
    assert type(err.value) is error
    assert err.value.argument == argument  # type: ignore[attr-defined]
    assert message in str(err.value)


@pytest.mark.parametrize(
    ("transactions", "message"),
    [
        (5, "transactions must be an iterable of Transaction models, not int"),
        ("T1", "transactions must be an iterable of Transaction models, not str"),
        ([ONE[0], {"id": "T2"}], "transactions must hold Transaction models, got dict"),
    ],
)
def test_transactions_are_checked(transactions: Any, message: str) -> None:
    with pytest.raises(ArgumentTypeError, match=message):
        profitability(transactions, Q3)


def test_period_is_checked() -> None:
    with pytest.raises(ArgumentTypeError, match="period must be a Period, got str") as err:
        profitability(ONE, "2026Q3")  # type: ignore[arg-type]
    assert err.value.argument == "period"


# -- channel costs --------------------------------------------------------------------------------


def test_cost_categories() -> None:
    labels = {c.value: (c.label("en"), c.label("zh")) for c in CostCategory}
    assert labels == {
        "sales_management": ("Sales management", "销售管理费用"),
        "marketing": ("Marketing promotion", "市场推广费用"),
        "logistics": ("Logistics", "物流费用"),
        "subsidy": ("Subsidies", "补贴"),
        "function_pay": ("Function-based pay", "职能付酬"),
        "other": ("Other", "其他费用"),
    }


def test_channel_cost_validation() -> None:
    c = cost(None, "function_pay", "-12.5")  # a reversal is allowed, a channel-wide cost too
    assert (c.amount, c.note) == (m("-12.5"), "")
    assert ChannelCost.model_validate_json(c.model_dump_json()) == c
    bad: list[tuple[dict[str, Any], str]] = [
        ({"partner_id": " "}, "partner_id"),
        ({"category": "travel"}, "category"),
        ({"amount": {"amount": "1e20", "currency": CNY}}, "amount"),
        ({"amount": 5}, "amount"),
        ({"date": "2026-13-01"}, "date"),
        ({"extra": 1}, "extra"),
    ]
    for change, field in bad:
        with pytest.raises(ValidationError) as err:
            ChannelCost.model_validate({**c.model_dump(), **change})
        assert err.value.errors()[0]["loc"][0] == field
    with pytest.raises(ValidationError, match="frozen"):
        c.note = "x"  # type: ignore[misc]


# -- output: JSON, explain, HTML ------------------------------------------------------------------


def test_json_round_trip(report: ProfitabilityReport) -> None:
    text = report.model_dump_json()
    assert ProfitabilityReport.model_validate_json(text) == report
    assert '"marketing":{"amount":"4000","currency":"CNY"}' in text


def test_explain_in_english(report: ProfitabilityReport) -> None:
    assert report.explain() == "\n".join(
        [
            "Channel profitability 2026-07-01..2026-10-01 in CNY, 5 partners",
            "Net sales 155,000.00; gross profit n/a; contribution n/a"
            " (a sale or return lacks its cost)",
            "Spend 19,084.93: rebates 3,000.00, funds 1,500.00, channel costs 13,500.00,"
            " financing 1,084.93",
            "Top cost category: Logistics 6,000.00",
            "Negative contribution: D5 -300.00, D2 -1,697.26",
        ]
    )


def test_explain_in_chinese(report: ProfitabilityReport) -> None:
    txs = [t if t.partner_id != "D3" else t.model_copy(update={"cost": m(15_000)}) for t in TXS]
    assert profitability(txs, Q3, **OPTIONS).explain("zh") == "\n".join(
        [
            "渠道费用分析 2026-07-01..2026-10-01（CNY），5 个渠道伙伴",
            # 20,915.07 / 155,000 = 13.49%; 20,915.07 / 19,084.93 = 109.59%
            "净销售额 155,000.00；毛利 40,000.00；渠道贡献 20,915.07"
            "（贡献率 13.49%，投资回报率 109.59%）",
            "渠道投入 19,084.93：返利 3,000.00，基金 1,500.00，"
            "渠道费用 13,500.00，资金成本 1,084.93",
            "最大费用类别：物流费用 6,000.00",
            "贡献为负的伙伴：D5 -300.00、D2 -1,697.26",
        ]
    )
    empty = profitability([], Q3, currency="JPY").explain("zh").splitlines()
    assert empty[-2:] == ["本期无渠道费用", "无贡献为负的伙伴"]
    with pytest.raises(ArgumentError, match="lang must be 'en' or 'zh'"):
        report.explain("fr")


def test_explain_names_ten_negative_partners_and_counts_the_rest() -> None:
    r = profitability([], Q3, rebates={f"P{i:02d}": m(i + 1) for i in range(12)})
    # contributions -1 .. -12: the least negative first
    assert r.negative == tuple(f"P{i:02d}" for i in range(12))
    last = r.explain().splitlines()[-1]
    assert last.startswith("Negative contribution: P00 -1.00, P01 -2.00")
    assert last.endswith("P09 -10.00 and 2 more")
    assert r.explain("zh").endswith("P09 -10.00 等，另有 2 个")


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.tags: list[str] = []
        self.cells: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open.append(tag)
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open.pop() == tag

    def handle_data(self, data: str) -> None:
        if self.open and self.open[-1] in ("td", "th"):
            self.cells.append(data)


def test_html(report: ProfitabilityReport) -> None:
    parser = _Html()
    parser.feed(report._repr_html_())
    parser.close()
    assert parser.open == []  # well formed
    assert not {"script", "style", "link", "img"} & set(parser.tags)
    assert parser.tags.count("tr") == 1 + 1 + 5  # the header, the total, five partners
    cells = parser.cells
    assert cells[:11] == [
        "Partner", "Net sales", "Gross profit", "Rebates", "Funds", "Channel costs",
        "Financing", "Spend", "Contribution", "Margin", "ROI",
    ]  # fmt: skip
    assert cells[11:14] == ["Total", "155,000.00 CNY", "—"]
    d1 = cells[22:33]
    assert [d1[0], *d1[-3:]] == ["D1", "19,412.33 CNY", "21.57%", "255.84%"]
    hostile = profitability([tx("sale", 1, "<script>", 1)], Q3)._repr_html_()
    assert "<script>" not in hostile
    assert "&lt;script&gt;" in hostile


def test_a_row_explains_and_renders_itself(report: ProfitabilityReport) -> None:
    d1 = report.rows[0]
    assert d1.explain() == "\n".join(
        [
            "Profitability of D1 in CNY",
            "Net sales 90,000.00; gross profit 27,000.00; contribution 19,412.33"
            " (margin 21.57%, ROI 255.84%)",  # 19,412.33 / 90,000; 19,412.33 / 7,587.67
            "Spend 7,587.67: rebates 2,700.00, funds 0.00, channel costs 4,000.00,"
            " financing 887.67",
            "Channel costs: Marketing promotion 4,000.00",
        ]
    )
    assert report.total.explain("zh").splitlines()[0] == "合计 渠道费用分析（CNY）"
    assert report.total.explain("zh").splitlines()[-1] == (
        "渠道费用：销售管理费用 3,000.00，市场推广费用 4,000.00，物流费用 6,000.00，补贴 500.00"
    )
    assert len(report.rows[1].explain().splitlines()) == 3  # D4: no costs, no costs line
    parser = _Html()
    parser.feed(d1._repr_html_())
    parser.close()
    assert parser.open == []
    assert parser.tags.count("tr") == 2
    assert parser.cells[11:13] == ["D1", "90,000.00 CNY"]
    assert "Marketing promotion: 4,000.00 CNY" in d1._repr_html_()
    assert "<strong>Profitability of Total (CNY)</strong>" in report.total._repr_html_()


# -- the result models check themselves -----------------------------------------------------------


def _row(currency: str = CNY, **change: Any) -> dict[str, Any]:
    def c(amount: int) -> Money:
        return Money(amount, currency)

    # spend 20 + 30 + 50 + 0 = 100; contribution 300 - 100 = 200; 200 / 1000; 200 / 100
    row = {
        "partner_id": "P", "net_sales": c(1000), "gross_profit": c(300), "rebates": c(20),
        "funds": c(30), "costs": {"marketing": c(50)}, "financing_cost": c(0),
        "spend": c(100), "contribution": c(200), "contribution_margin": D("0.2"), "roi": D(2),
    }  # fmt: skip
    return {**row, **change}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"rebates": m(20, "USD")}, "rebates is in USD but net_sales is in CNY"),
        ({"costs": {"other": m(50, "USD")}}, "costs['other'] is in USD"),
        ({"spend": m(99)}, "spend must equal rebates + funds + costs + financing_cost (100)"),
        ({"contribution": None}, "contribution must be None exactly when gross_profit is"),
        ({"gross_profit": None}, "contribution must be None exactly when gross_profit is"),
        ({"contribution": m(201)}, "contribution must equal gross_profit - spend"),
        ({"contribution_margin": D("0.3")}, "contribution_margin must be 0.2"),
        ({"roi": None}, "roi must be 2 from the row's figures, got None"),
        ({"net_sales": m(-5), "contribution_margin": D(-40)}, "contribution_margin must be None"),
    ],
)
def test_a_row_checks_its_arithmetic(change: dict[str, Any], message: str) -> None:
    assert ProfitRow.model_validate(_row()).roi == D(2)
    with pytest.raises(ValidationError, match=re.escape(message)):
        ProfitRow.model_validate(_row(**change))


def _report(report: ProfitabilityReport, **change: Any) -> dict[str, Any]:
    return {**dict(report), **change}


def test_a_report_checks_itself(report: ProfitabilityReport) -> None:
    rows, total = report.rows, report.total
    usd = ProfitRow.model_validate(_row("USD", partner_id="Z"))
    bad: list[tuple[dict[str, Any], str]] = [
        ({"total": rows[0]}, "total must have partner_id None, got 'D1'"),
        ({"rows": (rows[0], rows[0])}, r"rows\[1\]: partner_id 'D1' must name one partner row"),
        ({"rows": (total,)}, r"rows\[0\] must name a partner: partner_id None is the total's"),
        ({"rows": (*rows[:-1], usd)}, r"rows\[4\] is in USD but the report is in CNY"),
        ({"total": usd.model_copy(update={"partner_id": None})}, "total is in USD"),
        ({"rows": (rows[1], rows[0], *rows[2:])}, r"rows\[1\] \(D1\) is out of order"),
        ({"rows": (*rows[:3], rows[4], rows[3])}, r"rows\[4\] \(D2\) is out of order"),
        ({"rows": (rows[0], rows[4], rows[1])}, r"rows\[2\] \(D4\) is out of order"),
        ({"negative": ("D2", "D5")}, "negative must list the rows with a contribution below 0"),
        ({"categories": report.categories[1:]}, "categories must be the total's costs"),
    ]
    for change, message in bad:
        with pytest.raises(ValidationError, match=message):
            ProfitabilityReport.model_validate(_report(report, **change))
    ok = _report(report, rows=(rows[0], rows[1], rows[4]), negative=())  # D3 last: no contribution
    assert ProfitabilityReport.model_validate(ok).rows[-1].partner_id == "D3"


# -- tables ---------------------------------------------------------------------------------------


def test_a_table_gives_the_same_report(report: ProfitabilityReport) -> None:
    pa = pytest.importorskip("pyarrow")
    from channelkit import frames

    table = frames.transactions(TXS).to_arrow()
    assert profitability(table, Q3, **OPTIONS) == report
    assert profitability(frames.transactions(table), Q3, **OPTIONS) == report
    # a table without a currency column, made a frame with currency=
    bare = table.drop_columns(["currency"])
    frame = frames.transactions(bare, currency=CNY)
    assert profitability(frame, Q3, **OPTIONS) == report
    first = TXS[0].id
    with pytest.raises(CurrencyMismatchError, match=rf"\(transaction {first}\): expected USD"):
        profitability(frame, Q3, currency="USD")
    assert profitability(frame, Period.quarter(2027, 1), currency="USD").currency == "USD"
    # two currencies: the first row in another is named, as on the model path
    usd = [*TXS[:3], tx("sale", 5, "P", 1, currency="USD")]
    with pytest.raises(CurrencyMismatchError, match=rf"{usd[3].id}\): expected CNY, got USD"):
        profitability(frames.transactions(usd).to_arrow(), Q3)
    with pytest.raises(CurrencyMismatchError, match=rf"{usd[3].id}\): expected CNY, got USD"):
        profitability(usd, Q3)
    with pytest.raises(CurrencyMismatchError, match=rf"{TXS[0].id}\): expected EUR, got CNY"):
        profitability(table, Q3, currency="EUR")
    assert isinstance(table, pa.Table)


def test_a_duckdb_relation_and_a_bad_row() -> None:
    pytest.importorskip("pyarrow")
    from channelkit import frames

    table = frames.transactions(TXS).to_arrow()
    where = table.column_names.index("amount")
    negative = [str(-a) for a in table.column("amount").to_pylist()]
    with pytest.raises(frames.FrameError, match="amount"):
        profitability(table.set_column(where, "amount", [negative]), Q3)
    duckdb = pytest.importorskip("duckdb")
    relation = duckdb.from_arrow(table)
    assert profitability(relation, Q3, **OPTIONS) == profitability(TXS, Q3, **OPTIONS)


MODELS_ONLY = """
import datetime as dt, sys
from channelkit import Money, Period, Transaction
from channelkit.incentives.costs import ChannelCost
from channelkit.incentives.profit import profitability
t = Transaction(id="T1", partner_id="D1", date=dt.date(2026, 7, 3), kind="sale",
                amount=Money(100, "CNY"), cost=Money(60, "CNY"))
c = ChannelCost(partner_id="D1", category="other", amount=Money(5, "CNY"), date=t.date)
r = profitability([t], Period.quarter(2026, 3), costs=[c], financing_rate=1,
                  receivable_days={"D1": 30})
r.explain(), r._repr_html_()
print(sorted(m for m in sys.modules if m.startswith(("pyarrow", "numpy", "channelkit.frames"))))
"""


def test_the_model_path_never_imports_pyarrow() -> None:
    out = subprocess.run(
        [sys.executable, "-c", MODELS_ONLY], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_a_table_without_a_currency_column_takes_currency_from_the_argument() -> None:
    pa = pytest.importorskip("pyarrow")
    from channelkit.frames import transactions as frame_of_rows

    table = pa.table(
        {
            "id": ["T1", "T2"],
            "partner_id": ["D1", "D1"],
            "date": ["2026-07-10", "2026-08-02"],
            "kind": ["sale", "return"],
            "amount": ["1000", "100"],
            "cost": ["700", "70"],
        }
    )
    q3 = Period.quarter(2026, 3)
    report = profitability(table, q3, currency="CNY")
    # net sales 1,000 - 100 = 900; gross profit 900 - (700 - 70) = 270
    assert report.total.net_sales == Money(900, "CNY")
    assert report.total.gross_profit == Money(270, "CNY")
    # the same as a frame read with that currency, and as a table with the column
    assert report == profitability(frame_of_rows(table, currency="CNY"), q3)
    with_column = table.append_column("currency", pa.array(["CNY", "CNY"]))
    assert report == profitability(with_column, q3, currency="CNY")
    assert report == profitability(frame_of_rows(table, currency="CNY"), q3, currency="CNY")
