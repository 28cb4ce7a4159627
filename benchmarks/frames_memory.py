"""Benchmark: the memory of a ``TransactionFrame`` against the Arrow table it is built from (#11).

1,000,000 rows (the table of ``benchmarks/tables.py``: text ids, ``date32`` dates,
``decimal128(38, 2)`` amounts, quantities, territories, customers, a currency column) are read
from an Arrow IPC file into memory in a fresh process, then ``frames.transactions`` builds the
frame. Arrow's memory pool counts every buffer, so the figures are exact, not sampled:

1. the table's own buffers (``table.nbytes``), the baseline;
2. the frame's buffers (the columns it holds, buffers it shares with the table counted in full)
   and what the pool holds after the build beyond the table;
3. the pool's peak while building, table included.

Targets: the frame holds at most 2x the table, and building it peaks at most 2.5x. Python
objects are counted by ``tracemalloc`` over the build. Run: ``python benchmarks/frames_memory.py``
(``--rows N`` for another size).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import tracemalloc
from pathlib import Path

import pyarrow as pa

sys.path.insert(0, str(Path(__file__).parent))

MIB = 2**20


def write(path: Path, rows: int) -> None:
    from tables import make_table

    table = make_table(rows, max(rows // 100, 1))
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def measure(path: Path) -> None:
    """In a fresh process: read the table into the pool, build the frame, print the figures."""
    from channelkit.frames import transactions

    pool = pa.default_memory_pool()
    with pa.OSFile(str(path), "rb") as source:  # read, not memory-mapped: buffers in the pool
        table = pa.ipc.open_file(source).read_all()
    table_bytes = table.nbytes
    before = pa.total_allocated_bytes()
    tracemalloc.start()
    frame = transactions(table)
    _, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    peak = pool.max_memory()
    held = pa.total_allocated_bytes() - before
    frame_bytes = frame._table.nbytes  # what it holds (to_arrow adds the absent columns)
    assert len(frame) == table.num_rows

    def line(name: str, value: float) -> None:
        print(f"  {name:<52} {value / MIB:8.1f} MiB  {value / table_bytes:5.2f}x the table")

    print(f"{table.num_rows:,} rows ({pool.backend_name} pool)")
    line("the Arrow table", table_bytes)
    line("the frame's columns (shared buffers counted in full)", frame_bytes)
    line("new buffers held after the build", held)
    line("peak of the pool while building (table included)", peak)
    line("Python objects at their peak (tracemalloc)", python_peak)
    print("ratios:")
    print(f"  frame / table                 {frame_bytes / table_bytes:5.2f}x  (target <= 2)")
    print(f"  peak while building / table   {peak / table_bytes:5.2f}x  (target <= 2.5)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure is not None:
        measure(args.measure)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "transactions.arrow"
        write(path, args.rows)
        subprocess.run([sys.executable, __file__, "--measure", str(path)], check=True)


if __name__ == "__main__":
    main()
