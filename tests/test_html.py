"""``_repr_html_`` of every result: well-formed, escaped, script-free tables, and their figures.

The classes are found from ``channelkit.__all__`` (every model with ``explain``), so a result added
later is checked without touching this file; each is drawn with ``st.from_type``.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from decimal import Decimal
from html.parser import HTMLParser
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

import channelkit
from channelkit import (
    Accrual,
    Bracket,
    Condition,
    Conflict,
    ConflictCause,
    ConflictType,
    Exposure,
    FinancialStatement,
    Metric,
    Money,
    OpenItem,
    Partner,
    PayoutStep,
    Period,
    Program,
    ProgramSettlement,
    RebateBasis,
    RebatePolicy,
    RebateResult,
    Requirement,
    RiskItem,
    Scorecard,
    Settlement,
    Severity,
    Stacking,
    Tier,
    TierBenefits,
    TierProgram,
    Transaction,
    accrue,
    aging,
    assess,
    assign_tier,
    check_order,
    compute_rebate,
    ledger,
    lint,
    propose_credit_limit,
    recommend,
    score,
    settle,
    settle_group,
    settle_program,
    simulate,
    summarize,
)
from channelkit.demo import sample
from channelkit.html import MAX_ROWS, _pct, _percent, _round
from channelkit.kpi import RatioReport, financial_ratios
from channelkit.review import review

D = Decimal
Q3 = Period.quarter(2026, 3)

RESULTS: list[type[BaseModel]] = sorted(
    (
        obj
        for obj in (getattr(channelkit, name) for name in channelkit.__all__)
        if inspect.isclass(obj) and issubclass(obj, BaseModel) and hasattr(obj, "explain")
    ),
    key=lambda cls: cls.__name__,
)

# --- strategies for the results channelkit.testing does not register ----------------------------


def _settlements() -> st.SearchStrategy[Settlement]:
    """A policy's settlement inside a drawn programme settlement (every basis, tiering, cap)."""
    programs = st.from_type(ProgramSettlement).filter(lambda p: bool(p.settlements))
    return programs.flatmap(lambda p: st.sampled_from(p.settlements))


@st.composite
def _accruals(draw: st.DrawFn) -> Accrual:
    """An accrual around a drawn rebate (the figures need not agree: only the table is tested)."""
    projected = draw(_settlements()).result
    return Accrual(
        policy_id=projected.policy_id,
        basis_to_date=draw(st.decimals(min_value=0, max_value=10**6, places=2)),
        projected_basis=projected.basis,
        projected=projected,
        effective_rate=projected.effective_rate,
        amount=projected.amount,
    )


UNREGISTERED: dict[type[BaseModel], st.SearchStrategy[Any]] = {
    RebateResult: _settlements().map(lambda s: s.result),
    Settlement: _settlements(),
    Accrual: _accruals(),
}


def strategy(cls: type[BaseModel]) -> st.SearchStrategy[Any]:
    return UNREGISTERED.get(cls, st.from_type(cls))


# --- what every fragment must be -----------------------------------------------------------------

TAGS = {"div", "strong", "p", "table", "thead", "tbody", "tr", "th", "td"}
ATTRS = {("div", "class", "channelkit"), ("td", "style", "text-align:right")}


class Checker(HTMLParser):
    """Parses a fragment, failing on a tag out of order, an unknown tag or attribute."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.header = 0
        self.widths: list[int] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in TAGS, tag
        for name, value in attrs:
            assert (tag, name, value) in ATTRS, (tag, name, value)
        self.stack.append(tag)
        self.tags.append(tag)
        if tag == "th":
            self.header += 1
        elif tag == "tr" and "tbody" in self.stack:
            self.widths.append(0)
        elif tag == "td":
            self.widths[-1] += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise AssertionError(f"self-closing <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, f"</{tag}> closes nothing"
        opened = self.stack.pop()
        assert opened == tag, f"<{opened}> closed by </{tag}>"

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        raise AssertionError("a comment")

    def handle_decl(self, decl: str) -> None:
        raise AssertionError("a declaration")

    def handle_pi(self, data: str) -> None:
        raise AssertionError("a processing instruction")


def check(html: str) -> Checker:
    """Parse ``html`` and assert it is a compact, self-contained, well-formed table."""
    assert isinstance(html, str)
    lowered = html.lower()
    assert "<script" not in lowered
    for external in ("src=", "href=", "url("):
        assert external not in lowered
    assert lowered.count("style=") == lowered.count('style="text-align:right"')
    parser = Checker()
    parser.feed(html)
    parser.close()
    assert parser.stack == [], f"unclosed {parser.stack}"
    assert parser.tags[0] == "div"
    assert parser.tags.count("table") == 1
    assert parser.header >= 1
    assert all(width == parser.header for width in parser.widths), "a row of the wrong width"
    return parser


def rows_text(html: str) -> list[list[str]]:
    """The text of each body row's cells (escaped as written)."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in body.split("</tr>")[:-1]]


def caption(html: str) -> str:
    return html.split("<strong>", 1)[1].split("</strong>", 1)[0]


def headline(html: str) -> str:
    return html.split("<p>", 1)[1].split("</p>", 1)[0]


def figures(html: str) -> set[str]:
    """The headline figures, each ``label: value``."""
    return set(headline(html).split(" · "))


# --- every result class ---------------------------------------------------------------------------


GOOD = '<div class="channelkit"><strong>c</strong><table><thead><tr><th>a</th></tr></thead>'
GOOD += '<tbody><tr><td style="text-align:right">1</td></tr></tbody></table></div>'


@pytest.mark.parametrize(
    "bad",
    [
        GOOD.replace("</td></tr>", "</tr></td>"),  # closed out of order
        GOOD.removesuffix("</div>"),  # left open
        GOOD.replace("<td ", "<td><b>x</b><td "),  # an unknown tag (and a row too wide)
        GOOD.replace("text-align:right", "color:red"),  # another style
        GOOD.replace("1</td>", '<img src="http://x/y.png"/></td>'),  # an external resource
        GOOD.replace("c</strong>", "c</strong><script>alert(1)</script>"),
        GOOD.replace("</th>", "</th><th>b</th>"),  # a row narrower than the header
        GOOD.replace("<table>", "<table><!-- x -->"),
        GOOD.replace("<table>", "<table><table>").replace("</table>", "</table></table>"),
    ],
)
def test_the_checker_rejects_what_a_fragment_must_not_hold(bad: str) -> None:
    check(GOOD)
    with pytest.raises(AssertionError):
        check(bad)


def test_the_result_classes_are_found() -> None:
    names = {cls.__name__ for cls in RESULTS}
    assert {"ChannelReview", "RebateLedger", "Simulation", "Settlement", "CreditDecision"} <= names
    assert len(RESULTS) >= 21
    assert set(UNREGISTERED) <= set(RESULTS)


@pytest.mark.parametrize("cls", RESULTS, ids=lambda cls: cls.__name__)
@settings(max_examples=8, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_result_renders_a_well_formed_table(
    cls: type[BaseModel], data: st.DataObject
) -> None:
    result = data.draw(strategy(cls))
    html = result._repr_html_()  # type: ignore[attr-defined]
    check(html)
    assert html == result._repr_html_()  # type: ignore[attr-defined]  # pure


def _is_text(annotation: Any) -> bool:
    """Whether a field holds text: ``str``, ``Id`` or either of them or ``None``."""
    if get_origin(annotation) in (Union, UnionType):
        kinds = [a for a in get_args(annotation) if a is not type(None)]
        return len(kinds) == 1 and _is_text(kinds[0])
    if get_origin(annotation) is Annotated:
        return _is_text(get_args(annotation)[0])
    return annotation is str


def _text_fields(cls: type[BaseModel]) -> list[str]:
    """The top-level text fields a caller supplies (ids, titles, messages), not the currency."""
    return [
        name
        for name, field in cls.model_fields.items()
        if _is_text(field.annotation) and name != "currency"
    ]


@pytest.mark.parametrize("cls", RESULTS, ids=lambda cls: cls.__name__)
@settings(max_examples=3, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_text_in_a_result_is_escaped(cls: type[BaseModel], data: st.DataObject) -> None:
    result = data.draw(strategy(cls))
    names = _text_fields(cls)
    hostile = result.model_copy(update=dict.fromkeys(names, "<b>x</b> & 'y'"))
    html = hostile._repr_html_()  # type: ignore[attr-defined]
    parser = check(html)
    assert "b" not in parser.tags
    if names:  # each shows at least one of its ids or texts, escaped
        assert "&lt;b&gt;x&lt;/b&gt; &amp; &#x27;y&#x27;" in html
        assert "<b>x</b> & 'y'" in "".join(parser.text)


def test_the_text_fields_found_include_the_keys() -> None:
    assert _text_fields(Settlement) == ["partner_id"]
    assert "oldest_overdue_id" in _text_fields(channelkit.Aging)
    assert _text_fields(channelkit.ChannelReview) == []


@settings(max_examples=10, suppress_health_check=[HealthCheck.too_slow])
@given(st.from_type(FinancialStatement))
def test_a_ratio_report_renders_a_well_formed_table(statement: FinancialStatement) -> None:
    report = financial_ratios(statement)
    parser = check(report._repr_html_())
    assert len(parser.widths) == len(report)


# --- hand-checked examples ------------------------------------------------------------------------


def sale(partner_id: str | None, amount: int, day: dt.date = dt.date(2026, 7, 3), **kw: Any) -> Any:
    return Transaction(
        id=kw.pop("id", f"T-{partner_id}-{amount}"),
        partner_id=partner_id,
        date=day,
        kind="sale",  # type: ignore[arg-type]
        amount=Money(amount, "CNY"),
        **kw,
    )


LADDER = RebatePolicy(
    id="LADDER",
    name="Ladder",
    currency="CNY",
    brackets=(
        Bracket(start=10_000, rate="0.02"),
        Bracket(start=50_000, rate="0.03"),
        Bracket(start=100_000, rate="0.04"),
        Bracket(start=500_000, rate="0.05"),
    ),
)


def test_a_review_shows_its_partners_in_row_order() -> None:
    r = review(sample.transactions(), sample.QUARTER, partners=sample.partners())
    html = r._repr_html_()
    check(html)
    assert caption(html) == "Channel review 2026-07-01..2026-10-01 in CNY"
    rows = rows_text(html)
    # by net sales: 436,900 > 255,250 > 156,500 > 81,600 > 71,750 > 0
    order = ["D-NORTH", "D-EAST", "S-WEST", "R-SOUTH", "O-MALL", "A-CENTRAL"]
    assert [row[0] for row in rows] == order == [p.partner_id for p in r.partners]
    # D-NORTH: net sales 436,900 of the indirect 1,002,000 = 0.436028 -> 43.6 %
    assert rows[0][1:4] == ["Distributor", "436,900.00 CNY", "43.6"]
    # net 1,066,000 = direct 64,000 + indirect 1,002,000; indirect share 1,002/1,066 = 94.0 %
    assert {
        "net sales: 1,066,000.00 CNY",
        "direct: 64,000.00 CNY",
        "indirect share: 94%",
        "active partners: 5 of 6",
        "laggards (attainment below 80%): 0",
    } <= figures(html)


def test_a_review_against_a_prior_period() -> None:
    prior = Period.quarter(2026, 2)
    txs = [sale("D1", 600, id="T1"), sale("D1", 400, day=dt.date(2026, 5, 4), id="T2")]
    html = review(txs, Q3, prior=prior)._repr_html_()
    check(html)
    assert (
        caption(html)
        == "Channel review 2026-07-01..2026-10-01 in CNY, against 2026-04-01..2026-07-01"
    )
    # (600 - 400) / 400 = 50 %
    assert {"prior: 400.00 CNY", "growth: 50%"} <= figures(html)
    assert rows_text(html)[0][:5] == ["D1", "—", "600.00 CNY", "100", "50"]


def test_a_review_escapes_partner_ids_and_marks_laggards() -> None:
    p = Partner(
        id="<b>D1</b>",
        name="D1",
        kind="dealer",  # type: ignore[arg-type]
        currency="CNY",
        payment_terms_days=30,
        joined=dt.date(2024, 1, 1),
    )
    txs = [sale("<b>D1</b>", 600, id="T1"), sale(None, 400, id="T2")]
    r = review(txs, Q3, partners=[p], targets={"<b>D1</b>": Money(1_000, "CNY")})
    html = r._repr_html_()
    parser = check(html)
    assert "b" not in parser.tags
    # attainment 600 / 1,000 = 60 % < 80 %: a laggard; share 600 / 600 = 100 %
    assert rows_text(html) == [
        [
            "&lt;b&gt;D1&lt;/b&gt;",
            "Dealer",
            "600.00 CNY",
            "100",
            "—",
            "1,000.00 CNY",
            "60",
            "0",
            "0",
            "yes",
        ]
    ]


def test_a_rebate_shows_its_lines_and_next_step() -> None:
    r = compute_rebate(LADDER, 120_000)
    html = r._repr_html_()
    check(html)
    assert caption(html) == "Rebate for policy LADDER"
    # 40,000 x 2% = 800; 50,000 x 3% = 1,500; 20,000 x 4% = 800; total 3,100 = 2.58 % of 120,000
    assert rows_text(html) == [
        ["brackets[0]", "10,000", "50,000", "40,000", "2", "0.00 CNY", "800.00 CNY"],
        ["brackets[1]", "50,000", "100,000", "50,000", "3", "0.00 CNY", "1,500.00 CNY"],
        ["brackets[2]", "100,000", "120,000", "20,000", "4", "0.00 CNY", "800.00 CNY"],
    ]
    line = headline(html)
    assert line.startswith("net sales: 120,000.00 CNY · mode: graduated · boundary: reach")
    assert "rebate: 3,100.00 CNY · effective rate: 2.58%" in line
    # at 500,000: 800 + 1,500 + 400,000 x 4% = 18,300
    assert "next step: 380,000.00 CNY more reaches 5% (rebate there: 18,300.00 CNY)" in line
    assert "gross" not in line


def test_a_rebate_shows_its_adjustments_threshold_and_tiering() -> None:
    policy = LADDER.model_copy(update={"threshold": D(20_000), "cap": D(1_000)})
    gold = Tier(code="GOLD", name="Gold", rank=1, benefits=TierBenefits(rebate_multiplier="1.2"))
    html = compute_rebate(policy, 60_000, tier=gold)._repr_html_()
    check(html)
    # gross 800 + 300 = 1,100; x 1.2 = 1,320 (+220); capped at 1,000 (-320)
    rows = rows_text(html)
    assert rows[2:] == [
        ["tier GOLD rebate multiplier: x 1.2", "", "", "", "", "", "220.00 CNY"],
        ["capped at 1,000", "", "", "", "", "", "-320.00 CNY"],
    ]
    assert {"threshold: 20,000.00 CNY", "gross: 1,100.00 CNY", "rebate: 1,000.00 CNY"} <= figures(
        html
    )


def test_a_units_rebate_shows_money_per_unit() -> None:
    policy = RebatePolicy(
        id="U",
        name="U",
        currency="CNY",
        basis="units",  # type: ignore[arg-type]
        brackets=(Bracket(start=0, rate="1.5"), Bracket(start=100, rate="2")),
    )
    html = compute_rebate(policy, 40)._repr_html_()
    check(html)
    assert "<th>rate (CNY/unit)</th>" in html
    # 40 units x 1.5 = 60.00; 60 more units reach 2 CNY/unit
    assert rows_text(html)[0][4:] == ["1.5", "0.00 CNY", "60.00 CNY"]
    assert headline(html).startswith("units: 40 ·")
    assert {
        "effective rate: 1.5 CNY/unit",
        # graduated: at 100 units, 100 x 1.5 = 150; the 2 CNY/unit applies above them
        "next step: 60 more reaches 2 CNY/unit (rebate there: 150.00 CNY)",
    } <= figures(html)


def test_a_rebate_picked_by_another_figure_and_a_score() -> None:
    policy = RebatePolicy(
        id="T",
        name="T",
        currency="CNY",
        mode="volume",  # type: ignore[arg-type]
        tier_basis="units",  # type: ignore[arg-type]
        brackets=(Bracket(start=0, rate="0.01"), Bracket(start=100, rate="0.02")),
        conditions=(Condition(metric="growth", minimum="0.1", factor="0.5"),),
    )
    html = compute_rebate(policy, 10_000, tier_value=50, metrics={"growth": "0"})._repr_html_()
    check(html)
    # 50 units pick the 1 % bracket: 10,000 x 1% = 100.00, halved by the condition: 50.00;
    # at 100 units the whole 10,000 earns 2% = 200.00
    assert {
        "bracket picked by units: 50",
        "rebate: 50.00 CNY",
        "next step: 50 more reaches 2% (rebate there: 200.00 CNY)",
    } <= figures(html)


def test_a_rebate_paid_by_scorecard_shows_the_score() -> None:
    policy = RebatePolicy(
        id="S",
        name="S",
        currency="CNY",
        brackets=(Bracket(start=0, rate="0.02"),),
        scorecard=Scorecard(metrics=(Metric(key="sales", weight=1, target=3),)),
        payout=(PayoutStep(min_score=0, factor="0.5"), PayoutStep(min_score=80, factor=1)),
    )
    html = compute_rebate(policy, 10_000, metrics={"sales": 2})._repr_html_()
    check(html)
    # score 2 / 3 x 100 = 66.666...: shown as 66.67, below 80: x 0.5; 10,000 x 2% = 200 -> 100
    assert {"score: 66.67", "gross: 200.00 CNY", "rebate: 100.00 CNY"} <= figures(html)
    assert rows_text(html)[-1][-1] == "-100.00 CNY"


def test_a_settlement_shows_its_amount_and_a_clawback() -> None:
    policy = RebatePolicy(
        id="P", name="P", currency="CNY", brackets=(Bracket(start=0, rate="0.02"),)
    )
    s = settle(policy, [sale("D1", 50_000, quantity=10)], Q3, partner_id="D1", advances=1_200)
    html = s._repr_html_()
    check(html)
    assert caption(html) == "Settlement of D1 for 2026-07-01..2026-10-01 under policy P"
    # 50,000 x 2% = 1,000 earned; 1,200 advanced: 200 to claw back
    assert rows_text(html) == [
        ["brackets[0]", "0", "50,000", "50,000", "2", "0.00 CNY", "1,000.00 CNY"]
    ]
    assert {
        "sales: 50,000.00 CNY",
        "net units: 10",
        "rebate: 1,000.00 CNY",
        "next step: top bracket reached",
    } <= figures(html)
    assert headline(html).endswith("advances: 1,200.00 CNY · clawback: 200.00 CNY")


def test_a_settlement_with_a_baseline_and_per_transaction_tiering() -> None:
    incremental = RebatePolicy(
        id="I",
        name="I",
        currency="CNY",
        basis="incremental",  # type: ignore[arg-type]
        brackets=(Bracket(start=0, rate="0.1"),),
    )
    s = settle(incremental, [sale("D1", 5_000)], Q3, partner_id="D1", baseline=3_000)
    # 5,000 - 3,000 = 2,000 incremental x 10% = 200
    assert {
        "baseline: 3,000.00 CNY",
        "basis (incremental net sales): 2,000.00 CNY",
        "payable: 200.00 CNY",
    } <= figures(s._repr_html_())
    each = RebatePolicy(
        id="E",
        name="E",
        currency="CNY",
        per="transaction",  # type: ignore[arg-type]
        brackets=(Bracket(start=0, rate="0.01"), Bracket(start=1_000, rate="0.02")),
    )
    s = settle(each, [sale("D1", 500, id="A"), sale("D1", 2_000, id="B")], Q3, partner_id="D1")
    # each sale up its own graduated ladder: 500 x 1% = 5; 1,000 x 1% + 1,000 x 2% = 30; 35
    assert {
        "tiered: per transaction",
        "rebate: 35.00 CNY",
        "next step: none (each transaction tiered on its own)",
    } <= figures(s._repr_html_())


def test_an_accrual_shows_the_rate_it_is_booked_at() -> None:
    policy = RebatePolicy(
        id="P",
        name="P",
        currency="CNY",
        mode="volume",  # type: ignore[arg-type]
        brackets=(Bracket(start=0, rate="0.01"), Bracket(start=100_000, rate="0.03")),
    )
    html = accrue(policy, 40_000, projected_basis=120_000)._repr_html_()
    check(html)
    # 40,000 to date x 3% (the rate at 120,000) = 1,200
    assert caption(html) == "Accrual for policy P"
    assert headline(html) == (
        "basis to date: 40,000.00 CNY · projected basis: 120,000.00 CNY · "
        "effective rate at the projected basis: 3% · accrual: 1,200.00 CNY"
    )
    assert rows_text(html) == [
        ["brackets[1]", "100,000", "120,000", "120,000", "3", "0.00 CNY", "3,600.00 CNY"]
    ]


def test_a_programme_marks_the_policy_paid() -> None:
    twenty = RebatePolicy(
        id="A", name="A", currency="CNY", brackets=(Bracket(start=0, rate="0.2"),)
    )
    ten = twenty.model_copy(update={"id": "B", "brackets": (Bracket(start=0, rate="0.1"),)})
    program = Program(
        id="PG",
        name="PG",
        currency="CNY",
        policies=(ten, twenty),
        stacking="best",  # type: ignore[arg-type]
    )
    html = settle_program(program, [sale("D1", 1_000)], Q3, partner_id="D1")._repr_html_()
    check(html)
    assert caption(html) == "Programme PG for D1, 2026-07-01..2026-10-01"
    # 1,000 x 10% = 100 (not paid); 1,000 x 20% = 200 (paid: the best)
    assert rows_text(html) == [
        ["B", "net sales", "1,000.00 CNY", "100.00 CNY", "no"],
        ["A", "net sales", "1,000.00 CNY", "200.00 CNY", "yes"],
    ]
    assert {"stacking: Best only", "policy paid: A", "payable: 200.00 CNY"} <= figures(html)
    added = program.model_copy(update={"stacking": Stacking.ADD})
    html = settle_program(added, [sale("D1", 1_000)], Q3, partner_id="D1")._repr_html_()
    # every policy paid: 100 + 200 = 300
    assert [row[-1] for row in rows_text(html)] == ["yes", "yes"]
    assert "rebate: 300.00 CNY" in figures(html)
    assert not any(item.startswith("policy paid") for item in figures(html))


def test_a_buying_group_shows_each_member_share() -> None:
    ladder = RebatePolicy(
        id="L",
        name="L",
        currency="CNY",
        mode="volume",  # type: ignore[arg-type]
        basis="incremental",  # type: ignore[arg-type]
        brackets=(Bracket(start=0, rate="0.01"), Bracket(start=100_000, rate="0.03")),
    )
    dealers = [
        Partner(
            id=d,
            name=d,
            kind="dealer",  # type: ignore[arg-type]
            parent_id="G",
            currency="CNY",
            payment_terms_days=30,
            joined=dt.date(2024, 1, 1),
        )
        for d in ("D1", "D2")
    ]
    txs = [sale("D1", 70_000), sale("D2", 50_000)]
    g = settle_group(ladder, txs, Q3, partners=dealers, group_id="G", baseline=0)
    html = g._repr_html_()
    check(html)
    # pooled 120,000 x 3% = 3,600, shared 70:50 -> 2,100 and 1,500
    assert rows_text(html) == [
        ["D1", "70,000.00 CNY", "2,100.00 CNY"],
        ["D2", "50,000.00 CNY", "1,500.00 CNY"],
        ["G", "0.00 CNY", "0.00 CNY"],
    ]
    assert caption(html) == "Buying group G under policy L, 2026-07-01..2026-10-01"
    assert "group baseline: 0.00 CNY" in figures(html)
    net = ladder.model_copy(update={"basis": RebateBasis.NET_SALES})
    html = settle_group(net, txs, Q3, partners=dealers, group_id="G")._repr_html_()
    assert {"members: 3", "pooled basis (net sales): 120,000.00 CNY"} <= figures(html)
    assert "baseline" not in headline(html)


def test_a_ledger_shows_its_entries_in_order() -> None:
    policy = RebatePolicy(
        id="P", name="P", currency="CNY", brackets=(Bracket(start=0, rate="0.02"),)
    )
    book = ledger(
        policy,
        [sale("D1", 50_000, day=dt.date(2026, 2, 3))],
        Period.half(2026, 1).split("quarterly"),
        partner_id="D1",
    )
    html = book._repr_html_()
    check(html)
    # cumulative: Q1 settles 50,000 x 2% = 1,000; Q2 the same to date, 1,000 paid before
    assert rows_text(html) == [
        ["2026-01-01..2026-04-01", "50,000.00 CNY", "1,000.00 CNY", "0.00 CNY", "0.00 CNY",
         "1,000.00 CNY"],
        ["2026-04-01..2026-07-01", "50,000.00 CNY", "1,000.00 CNY", "1,000.00 CNY", "0.00 CNY",
         "0.00 CNY"],
    ]  # fmt: skip
    assert (
        headline(html)
        == "basis: net sales · cumulative: yes · periods: 2 · total paid: 1,000.00 CNY"
    )
    entry = book.entries[1]._repr_html_()
    check(entry)
    assert caption(entry) == "Ledger entry 2026-04-01..2026-07-01"
    assert rows_text(entry)[0][1] == "50,000"
    owed = book.entries[0].model_copy(update={"payable": Money("-5", "CNY")})._repr_html_()
    assert headline(owed) == "clawback: 5.00 CNY"


def test_findings_and_simulations() -> None:
    volume = RebatePolicy(
        id="V",
        name="V",
        currency="CNY",
        mode="volume",  # type: ignore[arg-type]
        brackets=(Bracket(start=0, rate="0.03"), Bracket(start=100_000, rate="0.02")),
    )
    cliff = lint(volume)[0]._repr_html_()
    check(cliff)
    # just below 100,000: 3% of it = 3,000; from 100,000 on: 2% = 2,000
    assert caption(cliff) == "Policy finding: Cliff (High)"
    assert rows_text(cliff)[0][:6] == ["Cliff", "High", "brackets[1]", "100,000", "2,000", "3,000"]
    zero = volume.model_copy(update={"brackets": (Bracket(start=0, rate="0"),)})
    assert rows_text(lint(zero)[0]._repr_html_())[0][2] == "whole policy"

    sim = simulate({"V": volume}, {"D1": 60_000, "D2": 5_000}, growth=(0, "0.1"))
    html = sim._repr_html_()
    check(html)
    assert caption(html) == "Simulation of 1 policies over 2 partners"
    assert headline(html) == "growth: 0%, +10%"
    # volume below 100,000: 3% of all. 60,000 -> 1,800 and 5,000 -> 150: 1,950 on 65,000 (3%);
    # grown 10%: 66,000 -> 1,980 and 5,500 -> 165: 2,145 on 71,500
    assert rows_text(html) == [
        ["V", "0", "net sales", "2", "65,000.00 CNY", "1,950.00 CNY", "3%", "2", "150.00 CNY",
         "1,800.00 CNY"],
        ["V", "10", "net sales", "2", "71,500.00 CNY", "2,145.00 CNY", "3%", "2", "165.00 CNY",
         "1,980.00 CNY"],
    ]  # fmt: skip
    row = sim.rows[1]._repr_html_()
    assert caption(row) == "Simulation of V at growth +10%"
    b = volume.model_copy(update={"id": "B", "brackets": (Bracket(start=0, rate="0.04"),)})
    diff = simulate({"V": volume, "B": b}, {"D1": 60_000}).diff("V", "B")[0]._repr_html_()
    check(diff)
    # 60,000 x 3% = 1,800 -> x 4% = 2,400: +600
    assert rows_text(diff) == [["D1", "60,000", "1,800.00 CNY", "2,400.00 CNY", "600.00 CNY"]]


def test_a_long_table_is_cut_with_a_note() -> None:
    policy = RebatePolicy(
        id="P", name="P", currency="CNY", brackets=(Bracket(start=0, rate="0.01"),)
    )
    growth = [D(n) / 100 for n in range(MAX_ROWS + 3)]  # 0%, 1%, ... 202%: 203 rows
    html = simulate({"P": policy}, {"D1": 100}, growth=growth)._repr_html_()
    check(html)
    assert len(rows_text(html)) == MAX_ROWS
    assert html.endswith("</table><p>3 more rows not shown</p></div>")


def test_credit_results() -> None:
    cny = lambda a: Money(a, "CNY")  # noqa: E731
    e = Exposure(
        receivables=cny(300_000),
        open_orders=cny(50_000),
        unbilled_deliveries=cny(20_000),
        unposted_invoices=cny(0),
    )
    html = check_order(cny(400_000), e, cny(40_000))._repr_html_()
    check(html)
    # 370,000 + 40,000 = 410,000 over the 400,000 limit; 410/400 = 102.5 %
    assert caption(html) == "Credit check (CNY): Block"
    assert {"utilization: 102.5%", "exceeded by: 10,000.00 CNY"} <= figures(html)
    assert rows_text(html) == [
        ["Credit limit exceeded", "Block",
         "exposure after the order 410,000.00 CNY is above 400,000.00 CNY"],
        ["Utilization at the warning level", "Warn", "utilization 102.5% is at or above 90%"],
    ]  # fmt: skip
    assert "limit: none" in headline(check_order(None, e, cny(1))._repr_html_())

    items = [
        OpenItem(id="A", amount=cny(600), due=dt.date(2026, 9, 1)),
        OpenItem(id="B", amount=cny(400), due=dt.date(2026, 10, 15)),
    ]
    html = aging(items, dt.date(2026, 9, 30), grace_days=1)._repr_html_()
    check(html)
    # A is 29 days past due (1-30), B not yet due
    assert rows_text(html)[:2] == [
        ["Current", "1", "400.00 CNY"],
        ["1-30 days overdue", "1", "600.00 CNY"],
    ]
    assert headline(html) == (
        "open: 1,000.00 CNY · overdue: 600.00 CNY · overdue share: 60% · "
        "oldest overdue: A, 29 days · grace days: 1"
    )
    assert "oldest" not in headline(aging([], dt.date(2026, 9, 30), currency="CNY")._repr_html_())

    s = FinancialStatement(
        currency="CNY",
        period_end=dt.date(2025, 12, 31),
        equity=5_000_000,
        current_assets=3_000_000,
        current_liabilities=1_800_000,
    )
    p = propose_credit_limit(
        statement=s, monthly_sales=cny(300_000), terms_days=45, floor=cny(200_000)
    )
    html = p._repr_html_()
    check(html)
    # 10% x 5,000,000 = 500,000; 10% x 1,200,000 = 120,000; 300,000 x 45 / 30 = 450,000;
    # lowest 120,000, raised to the floor 200,000
    assert rows_text(html) == [
        ["Net worth", "500,000.00 CNY"],
        ["Working capital", "120,000.00 CNY"],
        ["Sales velocity", "450,000.00 CNY"],
        ["combined: Lowest", "120,000.00 CNY"],
        ["x 1", "120,000.00 CNY"],
        ["rounded down to 1,000.00", "120,000.00 CNY"],
        ["floor", "200,000.00 CNY"],
        ["proposed (Floor)", "200,000.00 CNY"],
    ]
    assert "days: 45 terms + 0 grace" in headline(html)
    bare = propose_credit_limit(statement=s, round_down_to=None, ceiling=cny(10**6))._repr_html_()
    assert ["rounded down to the minor unit", "120,000.00 CNY"] in rows_text(bare)
    assert rows_text(bare)[-1] == ["proposed limit", "120,000.00 CNY"]
    sales_only = propose_credit_limit(
        monthly_sales=cny(300_000), terms_days=45, currency="CNY"
    )._repr_html_()
    # 300,000 x 45 / 30 = 450,000, no statement figures
    assert headline(sales_only) == (
        "proposed limit: 450,000.00 CNY · monthly sales: 300,000.00 CNY · days: 45 terms + 0 grace"
    )


def test_scores_and_tier_decisions() -> None:
    sales = Metric(key="sales", weight=2, target=90, cap="1.2")  # type: ignore[arg-type]
    card = Scorecard(metrics=(sales, Metric(key="dso", weight=1, target=45)))
    html = score(card, {"sales": 100})._repr_html_()
    check(html)
    # sales 100/90 = 1.1111 (below the cap 1.2) x 2/3 x 100 = 74.07; dso missing: 0;
    # at most 100 x 1.2 = 120
    assert caption(html) == "Score 74.07 of 120"
    assert rows_text(html)[0] == [
        "sales",
        "100",
        "90",
        "Higher is better",
        "111.11",
        "66.67",
        "74.07",
    ]
    assert headline(html) == "total: 74.07 · most: 120 · missing: dso"

    program = TierProgram(
        tiers=(
            Tier(
                code="SILVER",
                name="Silver",
                rank=2,
                min_score=80,
                requirements=(Requirement(metric="sales", minimum=500_000),),
            ),
            Tier(code="BRONZE", name="Bronze", rank=1),
        ),
        scorecard=Scorecard(metrics=(Metric(key="sales", weight=1, target=600_000),)),
    )
    html = assign_tier(program, {"sales": 420_000})._repr_html_()
    check(html)
    # score 420,000 / 600,000 x 100 = 70: 10 short of 80; sales 80,000 short of 500,000
    assert caption(html) == "Tier decision: New placement, tier BRONZE"
    assert rows_text(html) == [
        ["sales", "500,000", "420,000", "80,000"],
        ["score", "80", "70", "10"],
    ]
    assert headline(html) == (
        "tier: BRONZE · previous: none · missed: 0 (grace 1) · qualified: BRONZE · score: 70 · "
        "gaps to: SILVER"
    )
    bare = TierProgram(tiers=(Tier(code="T", name="T", rank=1, requirements=(
        Requirement(metric="sales", minimum=10),)),))  # fmt: skip
    assert "qualified: none" in assign_tier(bare, {"sales": 1})._repr_html_()


def test_conflicts_and_recommendations() -> None:
    c = Conflict(
        id="C1",
        type=ConflictType.HORIZONTAL,
        cause=ConflictCause.TERRITORY_DIVERSION,
        parties=("R-SOUTH", "D-EAST"),
        severity=Severity.HIGH,
        detected=dt.date(2026, 8, 25),
        amount_at_stake=Money(33_000, "CNY"),
        evidence=("T013", "T014"),
    )
    html = c._repr_html_()
    check(html)
    assert caption(html) == "Conflict C1"
    assert headline(html) == "severity: High · status: Open · at stake: 33,000.00 CNY"
    assert ["parties", "R-SOUTH, D-EAST"] in rows_text(html)
    assert ["evidence", "T013, T014"] in rows_text(html)
    again = c.model_copy(update={"id": "C2", "detected": dt.date(2026, 9, 1)})
    html = recommend(again, history=[c])._repr_html_()
    check(html)
    # one recurrence raises HIGH to CRITICAL
    assert {"recurrences: 1", "earlier: C1", "severity used: Critical"} <= figures(html)
    actions = rows_text(html)
    assert [row[0] for row in actions] == [str(n) for n in range(1, len(actions) + 1)]
    first = recommend(c)._repr_html_()
    assert {"recurrences: 0", "severity used: High"} <= figures(first)
    assert "earlier" not in headline(first)


def test_risk_results() -> None:
    from channelkit.risk.models import Indicator

    item = RiskItem(
        id="R1",
        title="D-NORTH pays late",
        category="credit",  # type: ignore[arg-type]
        likelihood=3,
        impact=4,
        control_effectiveness="0.25",  # type: ignore[arg-type]
        identified=dt.date(2026, 3, 1),
        review_by=dt.date(2026, 9, 1),
        indicators=(Indicator(key="dso", value=63, amber=45, red=60),),
    )
    html = assess(item)._repr_html_()
    check(html)
    # 3 x 4 = 12; 12 x (1 - 25%) = 9: MEDIUM (above 4, up to 9)
    assert caption(html) == "Risk R1: D-NORTH pays late"
    assert headline(html) == "rating: Medium · residual: 9"
    assert ["control effectiveness", "25%"] in rows_text(html)
    assert rows_text(html)[-1] == ["indicator dso", "Red"]
    other = item.model_copy(update={"id": "R2", "likelihood": 5, "review_by": None})
    html = summarize([item, other], as_of=dt.date(2026, 9, 30))._repr_html_()
    check(html)
    # R2: 5 x 4 x 75% = 15 (HIGH) ranks above R1's 9 (MEDIUM); R1's review is overdue
    assert caption(html) == "Risk register on 2026-09-30: 2 risks"
    assert [row[0] for row in rows_text(html)] == ["R2", "R1"]
    assert headline(html) == "Low: 0 · Medium: 1 · High: 1 · Critical: 0 · overdue reviews: 1"


def test_a_ratio_report() -> None:
    statement = FinancialStatement(
        currency="CNY",
        period_end="2025-12-31",  # type: ignore[arg-type]
        partner_id="<b>D1</b>",
        current_assets=300,
        current_liabilities=200,
    )
    prior = statement.model_copy(update={"period_end": dt.date(2024, 12, 31)})
    report = financial_ratios(statement, prior=prior)
    assert isinstance(report, RatioReport)
    html = report._repr_html_()
    check(html)
    assert caption(html) == "Financial ratios of &lt;b&gt;D1&lt;/b&gt; at 2025-12-31 (CNY)"
    # 300 / 200 = 1.50
    assert rows_text(html)[0] == ["Current ratio", "1.50", ""]
    assert rows_text(html)[1] == ["Quick ratio", "—", "the statement lacks inventory"]
    assert "prior statement: 2024-12-31" in headline(html)
    alone = financial_ratios(statement)._repr_html_()
    assert headline(alone) == "balances: Ending balances · days: 365"


def test_the_private_figure_helpers() -> None:
    assert [_percent(D("0.5")), _percent(D("-0.125"), 1)] == [D(50), D("-12.5")]
    assert _percent(D("1E+40")) == D("1E+42")  # too long to round: the figure as it is
    assert [_round(D("1E+40")), _round(D("-2.005"))] == [D("1E+40"), D("-2.01")]
    assert _round(D("1234567.891")) == D("1234567.89")
    assert [_pct(D("0.125")), _pct(None), _round(None), _percent(None)] == [
        "12.5%",
        None,
        None,
        None,
    ]
