from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from channelkit.__main__ import main
from channelkit.demo import render, sections
from channelkit.demo.text import heading, table, width


def test_demo_prints_the_sample_channel(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "The sample channel" in out
    assert "D-NORTH" in out
    assert "Beifang Trading" in out
    # D-NORTH's quarter: sales 116,000 + 76,000 + 114,000 + 142,500 = 448,500; returns 11,600
    assert "448,500.00" in out
    assert "436,900.00" in out


def test_demo_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "示例渠道" in out
    assert "经销商" in out


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    import channelkit

    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == channelkit.__version__
    assert main([]) == 2
    assert "demo" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["demo", "--lang", "fr"])


def test_demo_writes_no_files(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "channelkit", "demo"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    assert "The sample channel" in result.stdout
    assert list(tmp_path.iterdir()) == []


def test_demo_survives_a_terminal_that_cannot_show_chinese(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "channelkit", "demo", "--lang", "zh"],
        cwd=tmp_path,
        capture_output=True,
        env={"PYTHONIOENCODING": "ascii", "PATH": ""},
        check=True,
    )
    assert "示例渠道".encode() in result.stdout


def test_sections_are_ordered_and_render_checks_the_language() -> None:
    found = sections()
    assert found
    assert all(callable(s) for s in found)
    with pytest.raises(ValueError, match="lang must be"):
        render("fr")


def test_text_layout() -> None:
    assert width("ab经销") == 6
    assert heading("渠道") == "渠道\n===="
    assert table(["a", "b"], [["经", "1"]], right=[1]).splitlines() == ["a   b", "--  -", "经  1"]
