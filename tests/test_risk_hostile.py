"""Hostile input to the risk area: wrong types, extreme result documents, odd decimal contexts.

API.md, "Hostile input": every error raised on purpose is a ``ChannelkitError``; no ``decimal``
signal reaches the caller; no result depends on the caller's decimal context; every result
prints, explains itself and round-trips through JSON whatever its size.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from decimal import Clamped, Context, Decimal, Inexact, Rounded, Underflow, localcontext
from typing import Any

import pytest
from pydantic import ValidationError

from channelkit import (
    ArgumentError,
    Indicator,
    RiskAssessment,
    RiskItem,
    RiskMatrix,
    RiskSummary,
    assess,
    heatmap,
    signal,
    summarize,
)
from channelkit.risk.assessment import figure

DAY = dt.date(2026, 3, 1)
ITEM = RiskItem(
    id="R1",
    title="late payments",
    category="credit",
    likelihood=3,
    impact=4,
    control_effectiveness="0.123456789",
    identified=DAY,
    review_by=DAY,
    indicators=(Indicator(key="dso", value=50, amber=45, red=60),),
)
HOSTILE: list[Any] = [
    None,
    True,
    0,
    -1,
    10**100,
    1.5,
    "",
    "R1",
    b"x",
    Decimal("NaN"),
    Decimal("1e999999"),
    [],
    {},
    object(),
    [None],
    [ITEM, "R2"],
    ITEM.model_dump(),
    dt.datetime(2026, 3, 1, 12),
    "2026-03-01",
    RiskMatrix(),
    ITEM,
    ITEM.indicators[0],
]
CALLS: list[tuple[str, Callable[..., Any], tuple[Any, ...], dict[str, Any]]] = [
    ("signal", signal, (ITEM.indicators[0],), {}),
    ("assess", assess, (ITEM, RiskMatrix()), {}),
    ("rating", RiskMatrix().rating, ("9",), {}),
    ("heatmap", heatmap, ([ITEM],), {}),
    ("summarize", summarize, ([ITEM],), {"as_of": DAY, "matrix": RiskMatrix(), "limit": 1}),
    ("explain", assess(ITEM).explain, ("zh",), {}),
    ("summary-explain", summarize([ITEM], as_of=DAY).explain, ("en",), {}),
]


def _variants() -> list[tuple[str, Callable[..., Any], tuple[Any, ...], dict[str, Any]]]:
    out = []
    for name, fn, args, kwargs in CALLS:
        for i, bad in itertools.product(range(len(args)), HOSTILE):
            out.append((f"{name}-arg{i}", fn, (*args[:i], bad, *args[i + 1 :]), kwargs))
        for key, bad in itertools.product(kwargs, HOSTILE):
            out.append((f"{name}-{key}", fn, args, {**kwargs, key: bad}))
    return out


def test_hostile_arguments_raise_only_channelkit_errors_naming_the_argument() -> None:
    wrong: list[str] = []
    refused = 0
    for name, fn, args, kwargs in _variants():
        try:
            with localcontext(Context(prec=2, traps=[Inexact, Rounded, Clamped, Underflow])):
                fn(*args, **kwargs)
        except ArgumentError as err:
            refused += 1
            if not str(err).startswith(err.argument):  # pragma: no cover
                wrong.append(f"{name}: {err.argument!r} not in {err}")
        except Exception as err:  # pragma: no cover - what the test exists to catch
            wrong.append(f"{name}: {type(err).__name__}: {err}")
    assert wrong == []
    assert refused > 100


def test_results_do_not_depend_on_the_callers_context() -> None:
    expected = summarize([ITEM], as_of=DAY)
    with localcontext(Context(prec=2, traps=[Inexact, Rounded])) as ctx:
        got = summarize([ITEM], as_of=DAY)
        assert not any(ctx.flags.values())
    assert got == expected
    # 12 x (1 - 0.123456789) = 12 x 0.876543211 = 10.518518532, exactly
    assert got.assessments[0].residual == Decimal("10.518518532")


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("residual", "1E-999990", "1E-999990"),
        ("residual", "9E+999990", "9E+999990"),
        (
            "inherent",
            "1234567890123456789012345678901234E+40",
            "1.234567890123456789012345678901234E+73",
        ),
        ("residual", "1.2E-41", "0.000000000000000000000000000000000000000012"),
    ],
)
def test_an_assessment_document_with_extreme_scores_explains_itself_briefly(
    field: str, value: str, shown: str
) -> None:
    doc = assess(ITEM).model_dump(mode="json")
    a = RiskAssessment.model_validate({**doc, field: value})
    assert getattr(a, field) == Decimal(value)
    assert RiskAssessment.model_validate_json(a.model_dump_json()) == a
    for lang in ("en", "zh"):
        text = a.explain(lang)
        assert shown in text
        assert len(text) < 400
    s = summarize([ITEM], as_of=DAY)
    summary = RiskSummary.model_validate(
        {**s.model_dump(mode="json"), "assessments": [a.model_dump()]}
    )
    assert f"R1 {figure(a.residual)} (High)" in summary.explain()
    assert len(summary.explain()) < 600


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("likelihood", 6),
        ("impact", 0),
        ("control_effectiveness", "1.01"),
        ("control_effectiveness", "-0.1"),
        ("residual", "-1"),
        ("residual", "1E+1000000"),
        ("residual", "1" * 35),
        ("item_id", ""),
    ],
)
def test_assessment_fields_are_bounded_by_their_meaning(field: str, value: object) -> None:
    doc = assess(ITEM).model_dump(mode="json")
    with pytest.raises(ValidationError, match=field):
        RiskAssessment.model_validate({**doc, field: value})


def test_summary_counts_are_bounded() -> None:
    doc = summarize([ITEM], as_of=DAY).model_dump(mode="json")
    for bad in (10**9, -1):
        with pytest.raises(ValidationError, match="count"):
            RiskSummary.model_validate({**doc, "count": bad})
    with pytest.raises(ValidationError, match="by_rating"):
        RiskSummary.model_validate({**doc, "by_rating": {"low": 10**9}})


def test_results_are_built_with_every_field() -> None:
    a = assess(ITEM)
    s = summarize([ITEM], as_of=DAY)
    assert a.model_fields_set == set(RiskAssessment.model_fields)
    assert s.model_fields_set == set(RiskSummary.model_fields)
    assert "R1 10.518518532 (High)" in s.explain()
