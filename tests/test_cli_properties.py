"""Properties of the command line: periods read back, policies read exactly, settle = library."""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from channelkit import ChannelkitError, Money, Period, RebateBasis, settle_all  # noqa: E402
from channelkit import testing as ckt  # noqa: E402
from channelkit.cli import main  # noqa: E402
from channelkit.cli._io import read_policy  # noqa: E402
from channelkit.cli._periods import parse_period  # noqa: E402
from channelkit.frames import read_transactions, to_arrow, transactions  # noqa: E402
from channelkit.numeric import decimal_text  # noqa: E402

DAYS = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))


@given(DAYS, DAYS)
def test_a_range_reads_back_from_its_text(a: dt.date, b: dt.date) -> None:
    if a == b:
        return
    period = Period(min(a, b), max(a, b))
    assert parse_period(str(period)) == period


@given(st.integers(1, 9998), st.integers(1, 4), st.integers(1, 12), st.integers(1, 2))
def test_named_periods_are_the_calendar_constructors(y: int, q: int, m: int, h: int) -> None:
    assert parse_period(f"{y:04d}Q{q}") == Period.quarter(y, q)
    assert parse_period(f"{y:04d}-{m:02d}") == Period.month(y, m)
    assert parse_period(f"{y:04d}H{h}") == Period.half(y, h)
    assert parse_period(f"{y:04d}") == Period.year(y)


_NUMBER = "@@number:"


def _with_numbers(value: Any) -> Any:
    """``value`` (a python-mode dump) for JSON, each decimal marked to become a bare number."""
    if isinstance(value, Decimal):
        return f"{_NUMBER}{decimal_text(value)}@@"
    if isinstance(value, Money):
        return {"amount": _with_numbers(value.amount), "currency": value.currency}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _with_numbers(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted(_with_numbers(v) for v in value)
    if isinstance(value, list | tuple):
        return [_with_numbers(v) for v in value]
    return value


@settings(max_examples=40)
@given(ckt.rebate_policies(), st.booleans())
def test_a_policy_reads_back_exactly_with_numbers_as_text_or_bare(policy: Any, bare: bool) -> None:
    if bare:  # JSON numbers such as 0.02, read as exact decimals (never a binary float)
        text = json.dumps(_with_numbers(policy.model_dump()))
        text = re.sub(f'"{_NUMBER}([^@]*)@@"', r"\1", text)
    else:
        text = policy.model_dump_json()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "policy.json"
        path.write_text(text, encoding="utf-8")
        assert read_policy(str(path)) == policy


Q3 = Period.quarter(2026, 3)
NET_SALES, GROSS_SALES = RebateBasis.NET_SALES, RebateBasis.GROSS_SALES
COLLECTIONS, UNITS = RebateBasis.COLLECTIONS, RebateBasis.UNITS


@settings(max_examples=20)
@given(
    ckt.rebate_policies(
        currencies=st.just("CNY"),
        bases=st.sampled_from([NET_SALES, GROSS_SALES, COLLECTIONS, UNITS]),
        composite=False,
    ),
    st.lists(
        ckt.transactions(
            currencies=st.just("CNY"),
            partner_ids=st.sampled_from(["D1", "D2", "D3", None]),
            dates=st.dates(dt.date(2026, 6, 20), dt.date(2026, 10, 10)),
            max_amount=10**6,
        ),
        max_size=12,
        unique_by=lambda t: t.id,
    ),
)
def test_settle_writes_what_the_library_computes(policy: Any, items: list[Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        sales, out = Path(folder) / "sales.csv", Path(folder) / "out.parquet"
        from pyarrow import csv as pacsv

        pacsv.write_csv(transactions(items).to_arrow() if items else _empty(), sales)
        (Path(folder) / "policy.json").write_text(policy.model_dump_json(), encoding="utf-8")
        argv = ["settle", str(Path(folder) / "policy.json"), str(sales), "--period", "2026Q3"]
        try:
            expected = settle_all(policy, read_transactions(sales), Q3)
        except ChannelkitError:
            assert main([*argv, "--out", str(out)]) == 2
            return
        assert main([*argv, "--out", str(out)]) == 0
        written = pq.read_table(out)
        assert written.equals(to_arrow(expected))


def _empty() -> Any:
    names = ["id", "partner_id", "date", "kind", "amount", "currency"]
    return pa.table({name: pa.array([], pa.string()) for name in names})
