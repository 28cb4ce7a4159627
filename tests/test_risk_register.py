"""The register as a whole: heat map and summary (counts, ranking and its ties, overdue reviews)."""

from __future__ import annotations

import datetime as dt
from decimal import Context, Inexact, InvalidOperation, Rounded, localcontext
from typing import Any

import pytest

from channelkit import (
    ArgumentError,
    ArgumentTypeError,
    RiskCategory,
    RiskItem,
    RiskMatrix,
    RiskStatus,
    RiskSummary,
    Severity,
    heatmap,
    summarize,
)

DAY = dt.date(2026, 1, 1)
AS_OF = dt.date(2026, 9, 30)


def item(id: str, likelihood: int, impact: int, ce: str = "0", **over: Any) -> RiskItem:
    fields: dict[str, Any] = {
        "id": id,
        "title": f"risk {id}",
        "category": RiskCategory.MARKET,
        "likelihood": likelihood,
        "impact": impact,
        "control_effectiveness": ce,
        "identified": DAY,
    }
    fields.update(over)
    return RiskItem(**fields)


# -- heat map ------------------------------------------------------------------------------------


def test_empty_heatmap_is_five_by_five_zeros() -> None:
    assert heatmap([]) == ((0,) * 5,) * 5


def test_heatmap_cells_are_likelihood_then_impact() -> None:
    items = [item("A", 1, 5), item("B", 5, 1), item("C", 5, 1), item("D", 3, 4, "0.9")]
    grid = heatmap(items)
    assert len(grid) == 5
    assert all(len(row) == 5 for row in grid)
    assert grid[0][4] == 1  # likelihood 1, impact 5
    assert grid[4][0] == 2  # likelihood 5, impact 1
    assert grid[2][3] == 1  # placed by its scores, not moved by its controls
    assert sum(map(sum, grid)) == 4


def test_heatmap_counts_every_status_and_reads_a_generator_once() -> None:
    items = (item(str(n), 2, 2, status=s) for n, s in enumerate(RiskStatus))
    assert heatmap(items)[1][1] == len(RiskStatus)


def test_heatmap_refuses_a_non_item() -> None:
    with pytest.raises(ArgumentTypeError, match=r"items must be RiskItems, got dict at items\[1\]"):
        heatmap([item("A", 1, 1), {"likelihood": 1}])  # type: ignore[list-item]
    for bad in (None, 5, "R1"):
        with pytest.raises(
            ArgumentTypeError, match="items must be an iterable of RiskItems"
        ) as err:
            heatmap(bad)  # type: ignore[arg-type]
        assert (err.value.argument, err.value.value) == ("items", bad)


# -- summary: counts -----------------------------------------------------------------------------


def test_empty_register() -> None:
    s = summarize([], as_of=AS_OF)
    assert s.count == 0
    assert s.top == s.assessments == s.overdue_reviews == ()
    assert set(s.by_category.values()) == set(s.by_rating.values()) == {0}
    text = s.explain()
    assert "0 risks" in text
    assert "by category: none" in text
    assert "by residual: none" in text
    assert "overdue reviews: none" in text
    assert "按类别：无" in s.explain("zh")


def test_counts_list_every_key_in_order() -> None:
    items = [
        item("A", 5, 5, category=RiskCategory.CREDIT),  # 25 critical
        item("B", 4, 4, category=RiskCategory.CREDIT, status="closed"),  # 16 high
        item("C", 3, 3, category=RiskCategory.TERMINAL, status="mitigating"),  # 9 medium
        item("D", 2, 2, category=RiskCategory.POLICY, status="closed"),  # 4 low
        item("E", 5, 5, "0.84", category=RiskCategory.POLICY),  # 25 x 0.16 = 4.00 low
    ]
    s = summarize(items, as_of=AS_OF)
    assert s.count == 5
    assert list(s.by_category) == list(RiskCategory)
    assert s.by_category[RiskCategory.CREDIT] == 2
    assert s.by_category[RiskCategory.POLICY] == 2
    assert s.by_category[RiskCategory.TERMINAL] == 1
    assert s.by_category[RiskCategory.RELATIONSHIP] == 0
    assert list(s.by_rating) == [Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL]
    assert dict(s.by_rating) == {
        Severity.LOW: 2,
        Severity.MEDIUM: 1,
        Severity.HIGH: 1,
        Severity.CRITICAL: 1,
    }
    assert dict(s.by_status) == {
        RiskStatus.OPEN: 2,
        RiskStatus.MITIGATING: 1,
        RiskStatus.ACCEPTED: 0,
        RiskStatus.CLOSED: 2,
    }


def test_the_matrix_is_used_for_the_ratings() -> None:
    items = [item("A", 3, 4)]  # 12: HIGH by default, MEDIUM with medium_max 12
    assert summarize(items, as_of=AS_OF).by_rating[Severity.HIGH] == 1
    s = summarize(items, as_of=AS_OF, matrix=RiskMatrix(low_max=4, medium_max=12, high_max=16))
    assert s.by_rating[Severity.MEDIUM] == 1
    assert s.assessments[0].rating is Severity.MEDIUM


# -- summary: the ranking and its ties -----------------------------------------------------------


def test_top_by_residual_descending() -> None:
    items = [
        item("low", 1, 2),  # 2
        item("big", 4, 5, "0.5"),  # 20 x 0.5 = 10
        item("mid", 2, 3),  # 6
        item("top", 3, 4),  # 12
    ]
    s = summarize(items, as_of=AS_OF)
    assert [r.id for r in s.top] == ["top", "big", "mid", "low"]
    assert [a.item_id for a in s.assessments] == ["top", "big", "mid", "low"]
    assert [str(a.residual) for a in s.assessments] == ["12", "10.0", "6", "2"]


def test_equal_residuals_go_by_inherent_then_id_then_input_order() -> None:
    items = [
        item("b", 2, 3),  # 6, inherent 6
        item("z", 3, 4, "0.5"),  # 12 x 0.5 = 6.0, inherent 12: first of the 6s
        item("a", 3, 2),  # 6, inherent 6, id "a" before "b"
        item("a", 2, 3, title="second a"),  # the same id and scores: keeps its input order
    ]
    s = summarize(items, as_of=AS_OF)
    assert [(r.id, r.title) for r in s.top] == [
        ("z", "risk z"),
        ("a", "risk a"),
        ("a", "second a"),
        ("b", "risk b"),
    ]


def test_limit_keeps_the_head_of_the_ranking_and_all_the_counts() -> None:
    items = [item(str(n), n, 1) for n in (1, 2, 3, 4, 5)]
    s = summarize(items, as_of=AS_OF, limit=2)
    assert [r.id for r in s.top] == ["5", "4"]
    assert len(s.assessments) == 2
    assert s.count == 5
    assert sum(s.by_rating.values()) == 5
    assert summarize(items, as_of=AS_OF, limit=0).top == ()
    assert len(summarize(items, as_of=AS_OF, limit=9).top) == 5


# -- summary: overdue reviews --------------------------------------------------------------------


def test_overdue_reviews_are_strictly_before_as_of_longest_overdue_first() -> None:
    items = [
        item("due-today", 1, 1, review_by=AS_OF),  # due on as_of: not yet overdue
        item("late-b", 1, 1, review_by=dt.date(2026, 9, 29)),  # the day before: overdue
        item("none", 1, 1),  # no review date: never overdue
        item("later", 1, 1, review_by=dt.date(2026, 10, 1)),
        item("oldest", 1, 1, review_by=dt.date(2026, 6, 1)),
        item("late-a", 1, 1, review_by=dt.date(2026, 9, 29)),
    ]
    s = summarize(items, as_of=AS_OF)
    assert [r.id for r in s.overdue_reviews] == ["oldest", "late-a", "late-b"]


# -- summary: errors and explanation -------------------------------------------------------------


def test_as_of_must_be_a_date() -> None:
    with pytest.raises(ArgumentTypeError, match="as_of must be a date, not datetime") as err:
        summarize([], as_of=dt.datetime(2026, 9, 30, 12, 0))
    assert err.value.argument == "as_of"
    with pytest.raises(ArgumentTypeError, match="as_of must be a date, not str"):
        summarize([], as_of="2026-09-30")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("limit", "error", "message"),
    [
        (-1, ArgumentError, "limit must not be negative, got -1"),
        (True, ArgumentTypeError, "not bool"),
        ("2", ArgumentTypeError, "limit must be an int or None, not str"),
    ],
)
def test_limit_must_be_a_non_negative_int(
    limit: object, error: type[ArgumentError], message: str
) -> None:
    with pytest.raises(error, match=message) as err:
        summarize([], as_of=AS_OF, limit=limit)  # type: ignore[arg-type]
    assert (err.value.argument, err.value.value) == ("limit", limit)


def test_summarize_refuses_a_non_item_and_a_non_matrix() -> None:
    with pytest.raises(ArgumentTypeError, match="items must be RiskItems, got str"):
        summarize(["R1"], as_of=AS_OF)  # type: ignore[list-item]
    with pytest.raises(ArgumentTypeError, match="matrix must be a RiskMatrix, not dict") as err:
        summarize([], as_of=AS_OF, matrix={"low_max": 4})  # type: ignore[arg-type]
    assert err.value.argument == "matrix"


def test_ranking_ignores_the_callers_decimal_context() -> None:
    # A: 5 x 5 x (1 - 0.0004) = 24.99; B: 5 x 5 x (1 - 0.0001) = 24.9975, so B ranks first.
    # Ranking by a unary minus in a 3-digit context made both -25.0 and put A first by id.
    items = [item("A", 5, 5, "0.0004"), item("B", 5, 5, "0.0001")]
    expected = summarize(items, as_of=AS_OF)
    assert [r.id for r in expected.top] == ["B", "A"]
    strict = Context(prec=3, traps=[Inexact, Rounded, InvalidOperation])
    with localcontext(strict) as ctx:
        got = summarize(items, as_of=AS_OF)
        assert not any(ctx.flags.values())
    assert got == expected
    assert [str(a.residual) for a in got.assessments] == ["24.9975", "24.9900"]


def test_explain_in_both_languages() -> None:
    items = [
        item("R1", 3, 4, "0.25", category=RiskCategory.CREDIT, review_by=dt.date(2026, 9, 15)),
        item("R2", 2, 2),
    ]
    s = summarize(items, as_of=AS_OF)
    # R1: 12 x 0.75 = 9.00 medium; R2: 4 low
    assert s.explain().splitlines() == [
        "Risk register as of 2026-09-30: 2 risks",
        "  by rating: Critical 0, High 0, Medium 1, Low 1",
        "  by category: Credit risk 1, Market risk 1",
        "  by residual: R1 9 (Medium), R2 4 (Low)",
        "  overdue reviews: R1 (review by 2026-09-15)",
    ]
    assert s.explain("zh").splitlines() == [
        "风险登记汇总（截至 2026-09-30）：共 2 项",
        "  按评级：严重 0，高 0，中 1，低 1",
        "  按类别：信用风险 1，市场风险 1",
        "  按剩余风险排序：R1 9（中），R2 4（低）",
        "  逾期未复核：R1（应于 2026-09-15 前复核）",
    ]
    assert (
        summarize(items[:1], as_of=AS_OF)
        .explain()
        .startswith("Risk register as of 2026-09-30: 1 risk\n")
    )


def test_summary_json_round_trip() -> None:
    items = [
        item("R1", 3, 4, "0.25", review_by=dt.date(2026, 9, 15)),
        item("R2", 5, 5, category=RiskCategory.COMPLIANCE, status="accepted"),
    ]
    s = summarize(items, as_of=AS_OF)
    text = s.model_dump_json()
    assert '"by_rating":{"low":0,"medium":1,"high":0,"critical":1}' in text
    back = RiskSummary.model_validate_json(text)
    assert back == s
    assert back.by_category[RiskCategory.COMPLIANCE] == 1
