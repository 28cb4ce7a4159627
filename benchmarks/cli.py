"""Benchmark: ``channelkit settle`` on a Parquet file end to end, against the same from Python.

Usage: ``python benchmarks/cli.py`` (1,000,000 transactions of 10,000 partners) or
``python benchmarks/cli.py --rows 200000`` (partners: a hundredth of the rows).

The table of ``benchmarks/tables.py`` (``make_table``: fixed seed, text ids, ``date32``
dates, ``decimal128(38, 2)`` amounts, a currency column) is written to a Parquet file with the
5-bracket policy of that benchmark as JSON. Then, each the best of ``--repeat`` runs:

1. the command line, as a subprocess: ``python -m channelkit settle policy.json sales.parquet
   --period 2026 --out settled.parquet`` (interpreter start, imports, reading and checking
   the file, settling, writing the columns of ``frames.to_arrow``), and the same printing its
   summary to standard output (sent to a pipe that is read and dropped);
2. from Python, in this process (already imported): ``frames.read_transactions(path)`` and
   ``settle_all(policy, frame, period)``;
3. the same from a Python script, as a subprocess, the way a user would do it without the
   command (starting Python, importing, then (2)), and that script writing the same Parquet file
   (``pq.write_table(frames.to_arrow(results), ...)``);
4. the fixed cost of the command line: starting Python and importing what ``settle`` imports.

The file the command writes must equal ``frames.to_arrow`` of the Python results. The target
(at most 1.5x at 1M rows) is judged against the script doing the same work (3): the command and
the script both start an interpreter, so the ratio is what the command adds. The ratio to the
calls in an already warm process (2) is printed too.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).parent))

from channelkit import settle_all
from channelkit.frames import read_transactions, to_arrow
from tables import POLICY, YEAR, make_table

TARGET = 1.5


def best(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = run()
        times.append(time.perf_counter() - start)
    return min(times), out


def command(*args: str, folder: Path) -> Callable[[], None]:
    def run() -> None:
        subprocess.run(
            [sys.executable, "-m", "channelkit", *args],
            cwd=folder,
            check=True,
            stdout=subprocess.PIPE,
        )

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="transactions in the file")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each figure")
    args = parser.parse_args()
    n, partners, r = args.rows, max(args.rows // 100, 1), args.repeat
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        path = folder / "sales.parquet"
        pq.write_table(make_table(n, partners), path)
        (folder / "policy.json").write_text(POLICY.model_dump_json(), encoding="utf-8")
        size = path.stat().st_size / 2**20
        print(f"{n:,} transactions, {partners:,} partners, {size:.1f} MiB of Parquet")

        settle = ("settle", "policy.json", "sales.parquet", "--period", "2026")
        t_cli, _ = best(command(*settle, "--out", "settled.parquet", folder=folder), r)
        t_text, _ = best(command(*settle, folder=folder), r)
        t_python, settled = best(lambda: settle_all(POLICY, read_transactions(path), YEAR), r)
        t_arrow, table = best(lambda: to_arrow(settled), r)
        imports = "import channelkit.cli._commands, channelkit.frames"
        t_start, _ = best(lambda: subprocess.run([sys.executable, "-c", imports], check=True), r)
        t_cold = min(_first_call(path) for _ in range(r))
        t_script, _ = best(_script(path, None), r)
        t_script_out, _ = best(_script(path, folder / "by-script.parquet"), r)
        assert pq.read_table(folder / "settled.parquet").equals(table)
        assert pq.read_table(folder / "by-script.parquet").equals(table)

    print(f"channelkit settle --out settled.parquet   {t_cli:7.2f} s")
    print(f"channelkit settle (summary on stdout)     {t_text:7.2f} s")
    print(f"a Python script: read + settle            {t_script:7.2f} s")
    print(f"a Python script: read + settle + write    {t_script_out:7.2f} s")
    print(f"read_transactions + settle_all (warm)     {t_python:7.2f} s")
    print("the command's parts:")
    print(f"  start Python, import what settle needs  {t_start:7.2f} s")
    print(f"  read + settle, first call in a process  {t_cold:7.2f} s")
    print(f"  frames.to_arrow of the settlements      {t_arrow:7.2f} s")
    for what, t, script in (("--out", t_cli, t_script_out), ("summary", t_text, t_script)):
        ratio = t / script
        verdict = "within" if ratio <= TARGET else "OVER"
        print(
            f"ratio ({what}) to the script {ratio:.2f}x ({verdict} the {TARGET}x target); "
            f"to the warm calls {t / t_python:.2f}x"
        )


def _script(path: Path, out: Path | None) -> Callable[[], None]:
    """A fresh interpreter running read_transactions + settle_all, then writing ``out``."""
    code = (
        "import sys, pathlib; from channelkit import Period, RebatePolicy, settle_all; "
        "from channelkit.frames import read_transactions; "
        "policy = RebatePolicy.model_validate_json(pathlib.Path(sys.argv[2]).read_text()); "
        "settled = settle_all(policy, read_transactions(sys.argv[1]), Period.year(2026))"
    )
    if out is not None:
        code += (
            "; import pyarrow.parquet as pq; from channelkit.frames import to_arrow; "
            "pq.write_table(to_arrow(settled), sys.argv[3])"
        )
    policy = path.parent / "policy.json"

    def run() -> None:
        subprocess.run([sys.executable, "-c", code, str(path), str(policy), str(out)], check=True)

    return run


def _first_call(path: Path) -> float:
    """read_transactions + settle_all timed in a fresh interpreter, after its imports."""
    code = (
        "import sys, time; sys.path.insert(0, sys.argv[2]); from tables import POLICY, YEAR; "
        "from channelkit import settle_all; from channelkit.frames import read_transactions; "
        "t = time.perf_counter(); settle_all(POLICY, read_transactions(sys.argv[1]), YEAR); "
        "print(time.perf_counter() - t)"
    )
    here = str(Path(__file__).parent)
    done = subprocess.run(
        [sys.executable, "-c", code, str(path), here], check=True, capture_output=True, text=True
    )
    return float(done.stdout)


if __name__ == "__main__":
    main()
