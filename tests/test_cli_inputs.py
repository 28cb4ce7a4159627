"""The command line's readers and writers: partners, targets, periods, tables out, progress."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from channelkit import ArgumentError, Money, Period  # noqa: E402
from channelkit.cli import main  # noqa: E402
from channelkit.cli._inputs import read_partners, read_targets  # noqa: E402
from channelkit.cli._io import UsageError, _bad_line, _unreadable, write_table  # noqa: E402
from channelkit.cli._periods import parse_period  # noqa: E402
from channelkit.cli._progress import Progress, _is_terminal  # noqa: E402

D = Decimal
PARTNERS = (
    "id,name,kind,territories,exclusive,currency,credit_limit,payment_terms_days,joined,status\n"
    "D1,North Co,distributor,NORTH; EAST,true,CNY,500000,30,2024-01-01,\n"
    "D2,South Co,dealer,,,CNY,,45,2026-08-01,suspended\n"
)


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def failure(call: Any) -> str:
    with pytest.raises(UsageError) as err:
        call()
    return str(err.value)


# -- partners -------------------------------------------------------------------------------------


def test_partners_from_csv_and_parquet(here: Path) -> None:
    Path("p.csv").write_text(PARTNERS, encoding="utf-8")
    d1, d2 = read_partners("p.csv", "en")
    assert d1.territories == frozenset({"NORTH", "EAST"})
    assert (d1.exclusive, d1.credit_limit, d1.status.value) == (
        True,
        Money(500_000, "CNY"),
        "active",
    )
    assert (d2.territories, d2.credit_limit, d2.status.value) == (frozenset(), None, "suspended")
    table = pa.table(
        {
            "id": ["D1"],
            "name": ["North Co"],
            "kind": ["agent"],
            "territories": pa.array([["N", "S"]]),
            "currency": ["USD"],
            "credit_limit": pa.array([D("1000.50")], pa.decimal128(10, 2)),
            "payment_terms_days": pa.array([60], pa.int32()),
            "joined": pa.array([dt.date(2025, 3, 1)]),
        }
    )
    pq.write_table(table, "p.parquet")
    (agent,) = read_partners("p.parquet", "en")
    assert agent.territories == frozenset({"N", "S"})
    assert agent.credit_limit == Money("1000.50", "USD")


def test_bad_partner_rows_name_the_row_and_the_column(here: Path) -> None:
    Path("p.csv").write_text(
        PARTNERS
        + "D3,West,wholesaler,WEST,maybe,CNY,,30,2024-01-01,\n"
        + "D1,Again,agent,,,CNY,,30,2024-01-01,\n"
        + "D5,Limit,agent,,,CNY,-5,30,2024-01-01,\n",
        encoding="utf-8",
    )
    assert failure(lambda: read_partners("p.csv", "en")).splitlines() == [
        "p.csv: 3 of 5 rows rejected:",
        "  row 2: kind: Input should be 'distributor', 'dealer', 'agent', 'retailer', 'online' "
        "or 'solution_provider' (value 'wholesaler')",
        "  row 2: exclusive: Input should be a valid boolean, unable to interpret input "
        "(value 'maybe')",
        "  row 3: id: duplicates the id of row 0 (value 'D1')",
        "  row 4: credit_limit must not be negative, got -5 CNY",
    ]
    Path("q.csv").write_text("id,name,teritories\nD1,x,N\n")
    assert failure(lambda: read_partners("q.csv", "zh")).startswith("q.csv：未知列 'teritories'；")
    assert (
        failure(lambda: read_partners("q.txt", "zh")) == "q.txt：渠道伙伴须为 .csv 或 .parquet 文件"
    )
    assert failure(lambda: read_partners("r.csv", "en")) == "r.csv: no such file"
    Path("ragged.csv").write_text("id,name\nD1,x,y\n")
    assert failure(lambda: read_partners("ragged.csv", "en")).startswith(
        "ragged.csv: line 2: CSV parse error"
    )


def test_many_bad_rows_are_cut_short(here: Path) -> None:
    rows = "".join(f"D{i},,agent,,,CNY,,30,2024-01-01,\n" for i in range(7))
    Path("p.csv").write_text(PARTNERS.splitlines(keepends=True)[0] + rows)
    lines = failure(lambda: read_partners("p.csv", "zh")).splitlines()
    assert lines[0] == "p.csv：7 行中有 7 行被拒绝："
    assert lines[1] == "  row 0: name: Field required"  # the row is no value to show
    assert lines[-1] == "  ……另有 2 条"
    assert len(lines) == 7


# -- targets --------------------------------------------------------------------------------------


def test_targets(here: Path) -> None:
    Path("t.csv").write_text("partner_id,target\nD1,100000.50\nD2,0\n")
    assert read_targets("t.csv", "en") == {"D1": D("100000.50"), "D2": D(0)}
    Path("m.csv").write_text("partner_id,target,currency\nD1,100,USD\n")
    assert read_targets("m.csv", "en") == {"D1": Money(100, "USD")}
    Path("bad.csv").write_text(
        "partner_id,target,currency\n,5,\nD1,abc,\nD1,7,\nD2,-3,\nD3,,\nD4,5,usd\nD5,1e20,\n"
    )
    assert failure(lambda: read_targets("bad.csv", "en")).splitlines() == [
        "bad.csv: 7 of 7 rows rejected:",
        "  row 0: partner_id: must be a partner id (value None)",
        "  row 1: target: target is not a number: 'abc'",
        "  row 2: partner_id: duplicates the partner of row 1 (value 'D1')",
        "  row 3: target: target must not be negative, got -3",
        "  row 4: target: target must be a Decimal, an int or a numeric str, not NoneType",
        "  ... and 2 more",
    ]
    Path("x.csv").write_text("partner,target\nD1,5\n")
    assert failure(lambda: read_targets("x.csv", "en")) == (
        "x.csv: unknown column 'partner'; the columns are partner_id, target, currency"
    )


def test_review_reads_targets_in_another_currency_as_an_error(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("s.csv").write_text(
        "id,partner_id,date,kind,amount,currency\nT1,D1,2026-07-01,sale,5,CNY\n"
    )
    Path("t.csv").write_text("partner_id,target,currency\nD1,100,USD\n")
    assert main(["review", "s.csv", "--period", "2026Q3", "--targets", "t.csv"]) == 2
    assert "review of s.csv: currency mismatch" in capsys.readouterr().err


# -- periods --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("2026Q3", Period.quarter(2026, 3)),
        (" 2026q1 ", Period.quarter(2026, 1)),
        ("2026H2", Period.half(2026, 2)),
        ("2026-07", Period.month(2026, 7)),
        ("2026", Period.year(2026)),
        ("2026-07-01..2026-07-02", Period(dt.date(2026, 7, 1), dt.date(2026, 7, 2))),
    ],
)
def test_periods(text: str, period: Period) -> None:
    assert parse_period(text) == period


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026Q0", "period '2026Q0': quarter must be an integer from 1 to 4, got 0"),
        ("2026H3", "period '2026H3': half must be an integer from 1 to 2, got 3"),
        ("2026-13", "period '2026-13': month must be an integer from 1 to 12, got 13"),
        ("0000", "period '0000': year must be an integer from 1 to 9999, got 0"),
        ("2026-02-30..2026-03-01", "period '2026-02-30..2026-03-01': 2026-02-30 is not a day"),
        ("2026-07-01..2026-07-01", "period '2026-07-01..2026-07-01': the end (2026-07-01) must"),
        ("2026-7", "period must be written 2026Q3, 2026H2, 2026-07, 2026 or 2026-07-01..2026-10"),
        ("Q3 2026", "period must be written"),
    ],
)
def test_bad_periods(text: str, message: str) -> None:
    with pytest.raises(ArgumentError, match="^" + re.escape(message)) as err:
        parse_period(text)
    assert err.value.argument == "period"


# -- tables out -----------------------------------------------------------------------------------


def test_write_table_in_each_format(here: Path) -> None:
    table = pa.table(
        {
            "id": ["a,b", None],
            "amount": pa.array([D("0.10"), D("-12345678901234.5678")], pa.decimal128(38, 4)),
            "day": [dt.date(2026, 7, 1), None],
            "lines": pa.array([[{"x": D("1.5"), "d": dt.date(2026, 1, 2)}], []]),
            "pairs": pa.array([[("k", 1)], None], pa.map_(pa.string(), pa.int64())),
        }
    )
    write_table(table, "t.json")
    assert json.loads(Path("t.json").read_text(encoding="utf-8")) == [
        {
            "id": "a,b",
            "amount": "0.1000",
            "day": "2026-07-01",
            "lines": [{"x": "1.5", "d": "2026-01-02"}],
            "pairs": [["k", 1]],
        },
        {"id": None, "amount": "-12345678901234.5678", "day": None, "lines": [], "pairs": None},
    ]
    write_table(table, "t.csv")
    assert Path("t.csv").read_text(encoding="utf-8").splitlines() == [
        '"id","amount","day","lines","pairs"',
        '"a,b",0.1000,2026-07-01,"[{""x"":""1.5"",""d"":""2026-01-02""}]","[[""k"",1]]"',
        ',-12345678901234.5678,,"[]",',
    ]
    write_table(table, "t.parquet")
    assert pq.read_table("t.parquet").equals(table)
    write_table(pa.table({}), "empty.json")
    assert Path("empty.json").read_text() == "[\n]\n"


def test_bad_line_of_a_csv_file(here: Path) -> None:
    Path("even.csv").write_text("a,b\n1,2\n\n3,4\n")
    assert _bad_line("even.csv") is None
    assert _bad_line("missing.csv") is None
    # a parse error that Python's reader does not see keeps pyarrow's own message
    assert _unreadable("even.csv", ValueError("CSV parse error: odd")) == "CSV parse error: odd"
    assert _unreadable("even.csv", ValueError("other")) == "other"


def test_a_small_table_that_cannot_be_read(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import channelkit.frames._input as inputs

    def refuse(path: object) -> None:
        raise PermissionError(13, "Permission denied")

    Path("p.csv").write_text(PARTNERS)
    monkeypatch.setattr(inputs, "read_table", refuse)
    assert failure(lambda: read_partners("p.csv", "en")) == (
        "p.csv: cannot read the file: Permission denied"
    )


# -- progress -------------------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_drawn_on_a_terminal_for_a_large_file(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import channelkit.cli._progress as progress

    Path("big.csv").write_bytes(b"x" * 10)
    screen = Terminal()
    monkeypatch.setattr(progress, "LARGE", 10)
    bar = Progress.for_input(screen, "big.csv", steps=2)
    with bar:
        bar.step("reading")
        time.sleep(0.45)  # the ticker redraws about every 0.2 s
        bar.step("settling")
    drawn = screen.getvalue()
    assert re.search(r"\r\[#{10}\.{10}\] 1/2 reading \d+\.\ds", drawn)
    assert drawn.count("1/2 reading") >= 2
    assert "\r[####################] 2/2 settling" in drawn
    assert drawn.endswith("\r" + " " * 70 + "\r")
    assert bar._thread is not None
    assert not bar._thread.is_alive()


def test_no_progress_for_a_small_file_a_missing_one_or_a_pipe(here: Path) -> None:
    Path("small.csv").write_bytes(b"x")
    for stream, path in [
        (Terminal(), "small.csv"),
        (Terminal(), "none.csv"),
        (io.StringIO(), "small.csv"),
    ]:
        with Progress.for_input(stream, path, steps=1) as bar:
            bar.step("reading")
        assert stream.getvalue() == ""


def test_is_terminal_of_odd_streams() -> None:
    closed = io.StringIO()
    closed.close()
    assert _is_terminal(closed) is False
    assert _is_terminal(object()) is False  # type: ignore[arg-type]
    assert _is_terminal(Terminal()) is True
