"""The caller's global decimal context is never read or changed by a channelkit call."""

from __future__ import annotations

import decimal
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from channelkit import Frequency, Metric, Money, Period, Scorecard, allocate, score
from channelkit.testing import money, periods


def _snapshot(ctx: decimal.Context) -> tuple[object, ...]:
    return (
        ctx.prec,
        ctx.rounding,
        ctx.Emin,
        ctx.Emax,
        ctx.capitals,
        ctx.clamp,
        tuple(sorted((k.__name__, v) for k, v in ctx.flags.items())),
        tuple(sorted((k.__name__, v) for k, v in ctx.traps.items())),
    )


@given(
    money(st.just("CNY"), min_value=-(10**9), max_value=10**9, minor_units=False),
    money(st.just("CNY"), min_value=1, max_value=10**9),
    st.integers(min_value=1, max_value=97),
    periods(),
    st.sampled_from(Frequency),
)
def test_global_context_is_untouched(a: Money, b: Money, k: int, p: Period, f: Frequency) -> None:
    with decimal.localcontext() as ctx:
        ctx.prec = 5
        ctx.rounding = decimal.ROUND_FLOOR
        ctx.traps[decimal.Inexact] = False
        ctx.clear_flags()
        before = _snapshot(decimal.getcontext())
        # a tour of the kernel: every operation must use channelkit's own context
        total = (a + b - b) * k / k
        assert total.rounded().amount == a.rounded().amount
        parts = allocate(b.rounded(), [k, 1, 2])
        assert sum(parts, Money.zero("CNY")) == b.rounded()
        assert b / b == 1
        assert p.split(f)[0].fraction_of(p) <= 1
        card = Scorecard(metrics=(Metric(key="x", weight=k, target=Decimal(7)),))
        score(card, {"x": a.amount})
        assert _snapshot(decimal.getcontext()) == before


def test_the_demo_is_independent_of_the_global_context() -> None:
    """Every area's demo path computes in channelkit's own context, never the caller's."""
    from channelkit.demo import render

    expected = {lang: render(lang) for lang in ("en", "zh")}
    with decimal.localcontext() as ctx:
        ctx.prec = 3
        ctx.rounding = decimal.ROUND_FLOOR
        ctx.clear_flags()
        before = _snapshot(ctx)
        for lang, text in expected.items():
            assert render(lang) == text
        assert _snapshot(decimal.getcontext()) == before


def test_bulk_leaves_a_collector_turned_off_by_the_caller_off() -> None:
    import gc

    from channelkit.model import bulk

    gc.disable()
    try:
        with bulk():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
    with bulk():
        assert not gc.isenabled()
    assert gc.isenabled()
