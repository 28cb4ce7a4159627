"""The commands in process (``main([...])``): every exit status, message and output branch."""

from __future__ import annotations

import io
import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

import channelkit.cli._commands as commands  # noqa: E402
from channelkit import Bracket, Condition, Period, PolicyVersions, RebatePolicy  # noqa: E402
from channelkit.cli import main  # noqa: E402

D = Decimal
Q3 = Period.quarter(2026, 3)
POLICY = RebatePolicy(
    id="Q3",
    name="Q3 ladder",
    currency="CNY",
    brackets=(Bracket(start=D(0), rate=D("0.02")), Bracket(start=D(10_000), rate=D("0.03"))),
)
HEADER = "id,partner_id,date,kind,amount,currency\n"
SALES = HEADER + "T1,D1,2026-07-03,sale,80000.00,CNY\nT2,D2,2026-07-10,sale,30000.00,CNY\n"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    Path("policy.json").write_text(POLICY.model_dump_json(), encoding="utf-8")
    Path("sales.csv").write_text(SALES, encoding="utf-8")
    return tmp_path


def status(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_version_and_no_command(capsys: pytest.CaptureFixture[str]) -> None:
    import channelkit

    assert status(capsys, "--version")[:2] == (0, channelkit.__version__ + "\n")
    code, out, _ = status(capsys)
    assert code == 2
    assert "settle" in out
    assert "Exit status" in out


def test_a_bad_period_is_a_usage_error(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["review", "sales.csv", "--period", "2026-7"])
    assert done.value.code == 2
    assert "argument --period: period must be written 2026Q3" in capsys.readouterr().err


def test_review_in_process(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = status(
        capsys, "review", "sales.csv", "--period", "2026Q3", "--out", "rows.csv", "--lang", "zh"
    )
    assert (code, err) == (0, "")
    assert out == "已将 2026-07-01..2026-10-01 渠道评估的 2 行渠道伙伴数据写入 rows.csv\n"
    header = Path("rows.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith('"partner_id","kind","figures_gross_sales"')
    assert "explanation" not in header  # a partner row has no explain
    code, out, _ = status(capsys, "review", "sales.csv", "--period", "2026Q3", "--out", "r.json")
    assert out == "Wrote 2 partner rows of the review of 2026-07-01..2026-10-01 to r.json\n"
    code, out, _ = status(capsys, "review", "sales.csv", "--period", "2026Q3")
    # net sales 80,000 + 30,000 = 110,000, all indirect
    assert out.startswith("Channel review 2026-07-01..2026-10-01 in CNY\nNet sales 110,000.00")


def test_a_missing_column_is_a_usage_error(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("inv.csv").write_text(SALES.replace("id,", "inv,", 1))
    code, _, err = status(capsys, "settle", "policy.json", "inv.csv", "--period", "2026Q3")
    assert code == 2
    assert err.startswith("channelkit settle: error: inv.csv: id: the table has no 'id' column")
    assert "--currency" not in err
    assert "validate" not in err
    Path("neg.csv").write_text(SALES.replace("30000.00", "-30000.00"))
    code, _, err = status(capsys, "settle", "policy.json", "neg.csv", "--period", "2026Q3")
    assert err.splitlines() == [
        "channelkit settle: error: neg.csv: 1 of 2 rows rejected (every one below; "
        "FrameError.rejected holds them all):",
        "  row 1: amount: must be positive (value -30000.00)",
        "run `channelkit validate neg.csv --rejected FILE` to write every rejected row",
    ]


def test_schema_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    from channelkit import Partner
    from channelkit.schemas import schemas

    code, out, _ = status(capsys, "schema", "Partner")
    assert (code, json.loads(out)) == (0, Partner.model_json_schema())
    code, out, _ = status(capsys, "schema")
    assert json.loads(out) == schemas()


def test_settle_with_more_partners_than_shown(
    here: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(commands, "SHOWN", 1)
    code, out, err = status(capsys, "settle", "policy.json", "sales.csv", "--period", "2026Q3")
    assert (code, err) == (0, "")
    assert out.endswith("\n\n... and 1 more partners: write them all with --out FILE.csv\n")
    assert "D2" not in out
    code, out, _ = status(
        capsys, "settle", "policy.json", "sales.csv", "--period", "2026Q3", "--lang", "zh"
    )
    assert out.startswith("政策 Q3 在 2026-07-01..2026-10-01 的返利结算（sales.csv）：2 个渠道伙伴")
    assert out.endswith("……另有 1 个渠道伙伴：用 --out FILE.csv 写出全部\n")


def test_settle_with_no_partner_in_the_period(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = status(capsys, "settle", "policy.json", "sales.csv", "--period", "2025")
    assert code == 0
    assert out == (
        "Settlement under policy Q3 for 2025-01-01..2026-01-01 from sales.csv: 0 partners, "
        "payable 0.00 CNY\n\nNo partner has a transaction in the period and the policy's scope.\n"
    )
    code, out, _ = status(capsys, "settle", "policy.json", "sales.csv", "--period", "2025-03")
    assert "返利" not in out
    assert "0 partners" in out
    code, out, _ = status(
        capsys, "settle", "policy.json", "sales.csv", "--period", "2025H1", "--lang", "zh"
    )
    assert out.endswith("期内没有渠道伙伴在政策范围内的交易。\n")
    code, out, _ = status(
        capsys, "settle", "policy.json", "sales.csv", "--period", "2025", "--out", "none.json"
    )
    assert out == "Wrote 0 settlements to none.json (payable 0.00 CNY)\n"
    assert json.loads(Path("none.json").read_text()) == []


def test_settle_of_policy_versions(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def terms(rate: str, valid: str) -> RebatePolicy:
        from channelkit.cli._periods import parse_period

        ladder = (Bracket(start=D(0), rate=D(rate)),)
        return POLICY.model_copy(update={"valid": parse_period(valid), "brackets": ladder})

    versions = PolicyVersions(
        versions=(terms("0.02", "2026-01-01..2026-07-15"), terms("0.03", "2026-07-15..2027-01-01"))
    )
    Path("versions.json").write_text(versions.model_dump_json(), encoding="utf-8")
    code, out, err = status(capsys, "settle", "versions.json", "sales.csv", "--period", "2026Q3")
    # T1 (3 July, 2%) 80,000 x 2% = 1,600; T2 (10 July, 2%) 30,000 x 2% = 600
    assert (code, err) == (0, "")
    assert "payable 2,200.00 CNY" in out.splitlines()[0]
    code, out, _ = status(capsys, "lint", "versions.json")
    assert (code, out) == (0, "versions.json: policy Q3 (Q3 ladder): no findings\n")


def test_lint_of_versions_names_the_version(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def terms(rates: tuple[str, str], valid: str) -> RebatePolicy:
        from channelkit.cli._periods import parse_period

        ladder = (
            Bracket(start=D(0), rate=D(rates[0])),
            Bracket(start=D(10_000), rate=D(rates[1])),
        )
        return POLICY.model_copy(update={"valid": parse_period(valid), "brackets": ladder})

    versions = PolicyVersions(
        versions=(terms(("0.02", "0.03"), "2026"), terms(("0.03", "0.01"), "2027"))
    )
    Path("v.json").write_text(versions.model_dump_json(), encoding="utf-8")
    code, out, _ = status(capsys, "lint", "v.json")
    assert code == 1
    assert out.splitlines()[0] == "v.json: policy Q3 (Q3 ladder): 1 finding"
    assert out.splitlines()[1].startswith("  [Low] versions[1] (2027-01-01..2028-01-01): Rate drop")


def test_calculator_errors_name_the_files(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("usd.csv").write_text(SALES.replace("CNY", "USD"), encoding="utf-8")
    code, _, err = status(capsys, "settle", "policy.json", "usd.csv", "--period", "2026Q3")
    assert code == 2
    assert err.startswith("channelkit settle: error: policy.json on usd.csv: currency mismatch")
    needs = POLICY.model_copy(update={"conditions": (Condition(metric="nps", minimum=D(8)),)})
    Path("needs.json").write_text(needs.model_dump_json(), encoding="utf-8")
    code, _, err = status(capsys, "settle", "needs.json", "sales.csv", "--period", "2026Q3")
    assert code == 2
    assert "needs.json on sales.csv:" in err
    assert "nps" in err
    code, _, err = status(capsys, "review", "sales.csv", "--period", "2026Q3", "--prior", "2026-08")
    assert code == 2
    assert err.startswith("channelkit review: error: review of sales.csv: ")
    assert "prior" in err


def test_bad_policy_files(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("list.json").write_text("[1, 2]")
    Path("broken.json").write_text('{"id": "Q3",\n "name": }')
    Path("latin.json").write_bytes(b'{"name": "caf\xe9"}')
    bad = json.loads(POLICY.model_dump_json())
    bad["brackets"][1]["rate"] = -0.5
    bad["colour"] = "red"
    Path("invalid.json").write_text(json.dumps(bad))
    cases = {
        "missing.json": "missing.json: cannot read the file: No such file or directory",
        "list.json": "list.json: a policy is a JSON object, not list",
        "broken.json": "broken.json: not valid JSON: Expecting value: line 2 column 10 (char 22)",
        "latin.json": "latin.json: not UTF-8 text (byte 14 is 0xe9)",
    }
    for name, message in cases.items():
        assert status(capsys, "lint", name) == (2, "", f"channelkit lint: error: {message}\n")
    code, _, err = status(capsys, "lint", "invalid.json", "--lang", "zh")
    assert code == 2
    assert err.splitlines() == [
        "channelkit lint: 错误: invalid.json: not a valid RebatePolicy:",
        "  brackets[1].rate: must be at least 0, got -0.5 (value -0.5)",
        "  colour: Extra inputs are not permitted (value 'red')",
    ]
    whole = json.loads(POLICY.model_dump_json())
    whole["valid"] = {"start": "2026-10-01", "end": "2026-07-01"}
    Path("backwards.json").write_text(json.dumps(whole))
    code, _, err = status(capsys, "lint", "backwards.json")
    assert err.splitlines()[1] == (
        "  valid: end (2026-07-01) must be after start (2026-10-01): periods are [start, end)"
    )


def test_bad_transaction_files(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("sales.txt").write_text(SALES)
    Path("folder.csv").mkdir()
    Path("ragged.csv").write_text(SALES + "T3,D1,2026-07-04,sale,5.00,CNY,extra\n")
    Path("latin.csv").write_bytes(b"id,partner_id,d\xe9te\n")
    Path("broken.parquet").write_text("not parquet")
    Path("nocurrency.csv").write_text(SALES.replace(",currency", "").replace(",CNY", ""))
    cases = {
        "sales.txt": "sales.txt: transactions must be a .csv or .parquet file",
        "missing.csv": "missing.csv: no such file",
        "folder.csv": "folder.csv: no such file",
        "ragged.csv": "ragged.csv: line 4: CSV parse error: Expected 6 columns, got 7: "
        "T3,D1,2026-07-04,sale,5.00,CNY,extra",
        "latin.csv": "latin.csv: not UTF-8 text (byte 16 is 0xe9)",
    }
    for name, message in cases.items():
        code, out, err = status(capsys, "validate", name)
        assert (code, out, err) == (2, "", f"channelkit validate: error: {message}\n"), name
    code, _, err = status(capsys, "validate", "broken.parquet")
    assert code == 2
    assert err.startswith("channelkit validate: error: broken.parquet: ")
    assert "Parquet" in err
    code, _, err = status(capsys, "validate", "nocurrency.csv", "--lang", "zh")
    assert code == 2
    assert err.splitlines()[-1] == "命令行中：加上 --currency CODE（例如 --currency CNY）"
    assert status(capsys, "validate", "nocurrency.csv", "--currency", "CNY")[0] == 0
    code, _, err = status(capsys, "validate", "sales.csv", "--currency", "CNY")
    assert code == 2
    assert err.startswith("channelkit validate: error: sales.csv: currency='CNY' was given")
    code, _, err = status(capsys, "validate", "sales.txt", "--lang", "zh")
    assert err == "channelkit validate: 错误: sales.txt：交易数据须为 .csv 或 .parquet 文件\n"


def test_a_file_that_cannot_be_read(
    here: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import channelkit.frames

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(channelkit.frames, "read_transactions", refuse)
    code, _, err = status(capsys, "validate", "sales.csv")
    assert code == 2
    assert err == "channelkit validate: error: sales.csv: cannot read the file: Permission denied\n"


def test_bad_output_files(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("taken.csv").mkdir()
    run = ["settle", "policy.json", "sales.csv", "--period", "2026Q3", "--out"]
    assert status(capsys, *run, "out.xlsx")[2] == (
        "channelkit settle: error: out.xlsx: an output file must end in .csv, .parquet or .json\n"
    )
    assert status(capsys, *run, "nowhere/out.csv", "--lang", "zh")[2] == (
        "channelkit settle: 错误: nowhere/out.csv：目录 nowhere 不存在\n"
    )
    code, _, err = status(capsys, *run, "taken.csv")
    assert code == 2
    assert err.startswith("channelkit settle: error: taken.csv: cannot write the file: ")
    code, _, err = status(capsys, "validate", "sales.csv", "--rejected", "bad.txt")
    assert "bad.txt: an output file must end in" in err
    code, _, err = status(capsys, "review", "sales.csv", "--period", "2026", "--out", "r.xlsx")
    assert "r.xlsx: an output file must end in" in err


def test_validate_with_more_rejected_rows_than_shown(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = "".join(f"B{i},D1,2026-07-01,sale,-{i + 1}.00,CNY\n" for i in range(7))
    Path("bad.csv").write_text(HEADER + "A0,D1,2026-07-01,sale,1.00,CNY\n" + rows)
    code, out, _ = status(capsys, "validate", "bad.csv", "--rejected", "bad.json", "--lang", "zh")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "bad.csv：共 8 行，有效 1 行，拒绝 7 行"
    assert lines[1] == "  row 1: amount: must be positive (value -1.00)"
    assert lines[6:] == ["  ……另有 2 行", "已将 7 行被拒绝的数据写入 bad.json"]
    written = json.loads(Path("bad.json").read_text(encoding="utf-8"))
    assert [r["row"] for r in written] == [1, 2, 3, 4, 5, 6, 7]
    assert written[0]["amount"] == "-1.00"  # the input's own text, untouched
    code, out, _ = status(capsys, "validate", "bad.csv")
    assert len(out.splitlines()) == 8  # without --rejected, every rejected row is listed
    Path("one.csv").write_text(HEADER + "B0,D1,2026-07-01,sale,-1.00,CNY\n")
    code, out, _ = status(capsys, "validate", "one.csv", "--rejected", "one.csv.csv")
    assert out.splitlines() == [
        "one.csv: 1 row, 0 valid, 1 rejected",
        "  row 0: amount: must be positive (value -1.00)",
        "Wrote 1 rejected row to one.csv.csv",
    ]


def test_schema_errors_in_both_languages(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = status(capsys, "schema", "Nothing")
    assert code == 2
    assert err == (
        "channelkit schema: error: no public model is called 'Nothing' "
        "(`channelkit schema` prints every model's)\n"
    )
    code, _, err = status(capsys, "schema", "Settlment", "--lang", "zh")
    assert err.startswith(
        "channelkit schema: 错误: 没有名为 'Settlment' 的公开模型；是否要找 Settlement"
    )


def test_schema_of_money(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = status(capsys, "schema", "Money")
    assert code == 0
    assert json.loads(out)["required"] == ["amount", "currency"]


def test_a_closed_pipe_ends_quietly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    class Closed(io.TextIOWrapper):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    target = open(tmp_path / "sink", "wb")  # noqa: SIM115
    monkeypatch.setattr(sys, "stdout", Closed(target, encoding="utf-8"))
    assert main(["schema", "Money"]) == 1
    target.close()

    class NoFile(Closed):
        def fileno(self) -> int:
            raise io.UnsupportedOperation("no file")

    monkeypatch.setattr(sys, "stdout", NoFile(io.BytesIO(), encoding="utf-8"))
    assert main(["schema", "Money"]) == 1


def test_a_terminal_that_cannot_show_chinese(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(raw, encoding="ascii"))
    assert main(["lint", "policy.json", "--lang", "zh"]) == 0
    assert raw.getvalue().decode("utf-8") == "policy.json：政策 Q3 (Q3 ladder)：未发现问题\n"


def test_commands_that_need_pyarrow_without_it(
    here: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "channelkit.frames", None)
    code, _, err = status(capsys, "validate", "sales.csv", "--lang", "zh")
    assert code == 2
    assert err == (
        "channelkit validate: 错误: validate 读取表格，需要 pyarrow："
        "pip install 'channelkit[frames]'\n"
    )
    code, _, err = status(capsys, "review", "sales.csv", "--period", "2026", "--partners", "p.csv")
    assert err == (
        "channelkit review: error: review reads tables and needs pyarrow: "
        "pip install 'channelkit[frames]'\n"
    )


def test_the_entry_point_is_the_cli_main() -> None:
    from channelkit import __main__ as entry

    assert entry.main is main
    assert entry.__all__ == ["main"]
