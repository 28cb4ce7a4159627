"""The command line end to end: ``python -m channelkit`` as a subprocess on files in tmp_path.

Each command's output is compared with the library called directly on the same file; the
in-process tests of every branch are in tests/test_cli_errors.py and tests/test_cli_inputs.py.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from channelkit import (  # noqa: E402
    Bracket,
    Partner,
    Period,
    RebatePolicy,
    lint,
    review,
    settle_all,
)
from channelkit.frames import read_transactions, to_arrow  # noqa: E402
from channelkit.schemas import schemas  # noqa: E402

D = Decimal
Q3 = Period.quarter(2026, 3)
Q2 = Period.quarter(2026, 2)
POLICY = RebatePolicy(
    id="Q3",
    name="Q3 ladder",
    currency="CNY",
    brackets=(Bracket(start=D(0), rate=D("0.02")), Bracket(start=D(10_000), rate=D("0.03"))),
)
SALES = (
    "id,partner_id,date,kind,amount,quantity,territory,currency\n"
    "T1,D1,2026-07-03,sale,80000.00,10,NORTH,CNY\n"
    "T2,D1,2026-08-03,return,5000.00,1,NORTH,CNY\n"
    "T3,D2,2026-07-10,sale,30000.00,4,SOUTH,CNY\n"
    "T4,D1,2026-09-01,payment,50000.00,,,CNY\n"
    "T5,,2026-07-20,sale,999.00,1,NORTH,CNY\n"
    "T6,D2,2026-05-10,sale,20000.00,2,SOUTH,CNY\n"
)
# D1 in Q3: net sales 80,000 - 5,000 = 75,000 -> 10,000 x 2% + 65,000 x 3% = 200 + 1,950 = 2,150
# D2 in Q3: 30,000 -> 200 + 20,000 x 3% = 800; payable in all 2,150 + 800 = 2,950.00
# (T6 is in Q2: D2's prior net sales 20,000, so its growth is 30,000 / 20,000 - 1 = 50%)


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "channelkit", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={"PYTHONIOENCODING": "utf-8", "PATH": ""},
        check=False,
    )


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "policy.json").write_text(POLICY.model_dump_json(), encoding="utf-8")
    (tmp_path / "sales.csv").write_text(SALES, encoding="utf-8")
    pq.write_table(read_transactions(tmp_path / "sales.csv").to_arrow(), tmp_path / "sales.parquet")
    return tmp_path


def test_settle_prints_the_explained_settlements(files: Path) -> None:
    done = run("settle", "policy.json", "sales.csv", "--period", "2026Q3", cwd=files)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    head, *parts = done.stdout.split("\n\n")
    assert head == (
        "Settlement under policy Q3 for 2026-07-01..2026-10-01 from sales.csv: 2 partners, "
        "payable 2,950.00 CNY"
    )
    expected = settle_all(POLICY, read_transactions(files / "sales.csv"), Q3)
    assert [p.strip() for p in parts] == [s.explain() for s in expected.values()]
    assert "payable: 2,150.00 CNY" in parts[0]


def test_settle_writes_the_columns_of_to_arrow(files: Path) -> None:
    args = ["settle", "policy.json", "sales.parquet", "--period", "2026-07-01..2026-10-01"]
    done = run(*args, "--out", "out.parquet", cwd=files)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Wrote 2 settlements to out.parquet (payable 2,950.00 CNY)\n"
    expected = to_arrow(settle_all(POLICY, read_transactions(files / "sales.parquet"), Q3))
    written = pq.read_table(files / "out.parquet")
    assert written.equals(expected)
    assert written.column("payable").to_pylist() == [D("2150.00"), D("800.00")]


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_settle_in_chinese_writes_text_outputs_with_explanations(files: Path, suffix: str) -> None:
    out = f"out{suffix}"
    args = ["settle", "policy.json", "sales.csv", "--period", "2026Q3", "--out", out]
    done = run(*args, "--lang", "zh", cwd=files)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"已将 2 条结算写入 {out}（应付合计 2,950.00 CNY）\n"
    expected = to_arrow(settle_all(POLICY, read_transactions(files / "sales.csv"), Q3), lang="zh")
    rows = _rows(files / out)
    assert list(rows[0]) == expected.column_names
    assert [r["partner_id"] for r in rows] == ["D1", "D2"]
    assert [D(r["payable"]) for r in rows] == [D("2150.00"), D("800.00")]
    assert [D(r["result_effective_rate"]) for r in rows] == expected.column(
        "result_effective_rate"
    ).to_pylist()
    assert rows[0]["explanation"] == expected.column("explanation")[0].as_py()
    assert "应付" in rows[0]["explanation"]
    lines = rows[0]["result_lines"]
    lines = json.loads(lines) if isinstance(lines, str) else lines
    assert [D(line["amount"]) for line in lines] == [D("200.00"), D("1950.00")]


def _rows(path: Path) -> list[dict[str, Any]]:
    if path.suffix == ".json":
        rows: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
        return rows
    with path.open(encoding="utf-8", newline="") as f:  # every field as text, exactly
        return [{k: (v or None) for k, v in r.items()} for r in csv.DictReader(f)]


def test_review_with_partners_and_targets(files: Path) -> None:
    (files / "partners.csv").write_text(
        "id,name,kind,territories,currency,payment_terms_days,joined\n"
        "D1,North Co,distributor,NORTH;EAST,CNY,30,2024-01-01\n"
        "D2,South Co,dealer,SOUTH,CNY,45,2026-08-01\n",
        encoding="utf-8",
    )
    (files / "targets.csv").write_text("partner_id,target\nD1,100000\nD2,25000\n")
    args = ["review", "sales.csv", "--period", "2026Q3", "--prior", "2026Q2"]
    args += ["--partners", "partners.csv", "--targets", "targets.csv"]
    partners = [
        Partner.model_validate(
            {
                "id": pid,
                "name": name,
                "kind": kind,
                "currency": "CNY",
                "territories": territories,
                "payment_terms_days": days,
                "joined": joined,
            }
        )
        for pid, name, kind, territories, days, joined in [
            ("D1", "North Co", "distributor", ["NORTH", "EAST"], 30, "2024-01-01"),
            ("D2", "South Co", "dealer", ["SOUTH"], 45, "2026-08-01"),
        ]
    ]
    expected = review(
        read_transactions(files / "sales.csv"),
        Q3,
        partners=partners,
        prior=Q2,
        targets={"D1": D(100_000), "D2": D(25_000)},
    )
    done = run(*args, cwd=files)
    assert done.returncode == 0, done.stderr
    assert done.stdout == expected.explain() + "\n"
    # D1 attains 75,000 / 100,000 = 75% < 80%: the one laggard
    assert expected.laggards == ("D1",)
    done = run(*args, "--out", "rows.json", "--lang", "zh", cwd=files)
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "已将 2026-07-01..2026-10-01 渠道评估的 2 行渠道伙伴数据写入 rows.json\n"
    )
    rows = json.loads((files / "rows.json").read_text(encoding="utf-8"))
    table = to_arrow(expected.partners)
    assert list(rows[0]) == table.column_names  # no explain on a partner row: no explanation
    assert [r["partner_id"] for r in rows] == ["D1", "D2"]
    assert [D(r["attainment"]) for r in rows] == [D("0.75"), D("1.2")]
    assert [D(r["growth"]) if r["growth"] else None for r in rows] == [None, D("0.5")]


def test_validate_lists_the_rejected_rows_and_exits_1(files: Path) -> None:
    (files / "messy.csv").write_text(
        "id,partner_id,date,kind,amount,currency\n"
        "A1,D1,2026-07-01,sale,100.00,CNY\n"
        "A2,D1,2026-02-30,sale,5.00,CNY\n"
        "A1,D2,2026-07-04,sale,7.00,CNY\n"
        "A4,D2,2026-07-05,sale,-5.00,CNY\n",
        encoding="utf-8",
    )
    done = run("validate", "messy.csv", "--rejected", "bad.parquet", cwd=files)
    assert done.returncode == 1
    assert done.stderr == ""
    assert done.stdout.splitlines() == [
        "messy.csv: 4 rows, 1 valid, 3 rejected",
        "  row 1: date: must be an ISO date YYYY-MM-DD (value '2026-02-30')",
        "  row 2: id: duplicates the id of row 0 (value 'A1')",
        "  row 3: amount: must be positive (value -5.00)",
        "Wrote 3 rejected rows to bad.parquet",
    ]
    bad = pq.read_table(files / "bad.parquet")
    columns = ["id", "partner_id", "date", "kind", "amount", "currency", "row", "reason"]
    assert bad.column_names == columns
    assert bad.column("row").to_pylist() == [1, 2, 3]
    done = run("validate", "sales.parquet", "--lang", "zh", cwd=files)
    assert (done.returncode, done.stdout) == (0, "sales.parquet：共 6 行，全部有效\n")


def test_a_rejected_row_names_the_file_row_and_column(files: Path) -> None:
    (files / "bad.csv").write_text(SALES.replace("80000.00", "-80000.00"), encoding="utf-8")
    done = run("settle", "policy.json", "bad.csv", "--period", "2026Q3", cwd=files)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("channelkit settle: error: bad.csv: 1 of 6 rows rejected")
    assert "  row 0: amount: must be positive (value -80000.00)" in done.stderr
    done = run("review", "bad.csv", "--period", "2026Q3", "--lang", "zh", cwd=files)
    assert done.returncode == 2
    assert done.stderr.startswith("channelkit review: 错误: bad.csv: 1 of 6 rows rejected")
    done = run("settle", "policy.json", "sales.csv", "--period", "2026Q5", cwd=files)
    assert done.returncode == 2
    assert "argument --period: period '2026Q5': quarter must be" in done.stderr


def test_lint_exits_1_on_findings_and_0_when_clean(files: Path) -> None:
    cliff = RebatePolicy(
        id="V",
        name="Volume",
        currency="CNY",
        mode="volume",  # type: ignore[arg-type]
        brackets=(Bracket(start=D(0), rate=D("0.03")), Bracket(start=D(100_000), rate=D("0.02"))),
    )
    (files / "cliff.json").write_text(cliff.model_dump_json(), encoding="utf-8")
    done = run("lint", "cliff.json", "--lang", "zh", cwd=files)
    assert done.returncode == 1
    found = lint(cliff)
    assert done.stdout.splitlines() == [
        "cliff.json：政策 V (Volume)：发现 2 个问题",
        *(f"  [{f.severity.label('zh')}] {f.explain('zh')}" for f in found),
    ]
    # the volume ladder pays 3% x 100,000 = 3,000 just below 100,000 and 2% x 100,000 = 2,000 at it
    assert "3,000" in done.stdout
    assert "2,000" in done.stdout
    done = run("lint", "policy.json", cwd=files)
    assert (done.returncode, done.stdout) == (
        0,
        "policy.json: policy Q3 (Q3 ladder): no findings\n",
    )


def test_schema_of_one_model_and_of_all(files: Path) -> None:
    done = run("schema", "Partner", cwd=files)
    assert done.returncode == 0
    assert json.loads(done.stdout) == Partner.model_json_schema()
    done = run("schema", cwd=files)
    assert json.loads(done.stdout) == schemas()
    done = run("schema", "Partnr", cwd=files)
    assert done.returncode == 2
    assert "did you mean Partner" in done.stderr


def test_without_pyarrow_table_commands_say_how_to_install_it(files: Path) -> None:
    code = (
        "import sys; sys.modules['pyarrow'] = None; from channelkit.cli import main; "
        "raise SystemExit(main(sys.argv[1:]))"
    )

    def bare(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", code, *args],
            cwd=files,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )

    done = bare("settle", "policy.json", "sales.csv", "--period", "2026Q3")
    assert done.returncode == 2
    assert "pip install 'channelkit[frames]'" in done.stderr
    assert bare("lint", "policy.json").returncode == 0
    assert bare("schema", "Money").returncode == 0


def test_demo_imports_no_pyarrow(tmp_path: Path) -> None:
    code = (
        "import sys; from channelkit.cli import main; assert main(['demo']) == 0; "
        "print('pyarrow' in sys.modules, 'channelkit.frames' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines()[-1] == "False False"


def test_no_progress_bar_in_a_pipe_even_for_a_large_input(files: Path) -> None:
    code = (
        "import sys; import channelkit.cli._progress as p; p.LARGE = 0; "
        "from channelkit.cli import main; raise SystemExit(main(sys.argv[1:]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "settle", "policy.json", "sales.csv", "--period", "2026Q3"],
        cwd=files,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 0
    assert done.stderr == ""
