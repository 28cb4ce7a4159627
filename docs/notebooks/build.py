"""Build and execute the docs' notebook: ``python docs/notebooks/build.py``.

The cells of ``channel-review.ipynb`` are written here, in ``CELLS``. The script builds the
notebook with nbformat, executes it with nbclient (kernel ``python3``) in a temporary directory
and writes it, outputs included, next to this file. Run it again after changing a cell, or when
a result's HTML or explanation changes: ``tests/test_notebooks.py`` executes the notebook and
fails while the committed outputs are not those of the current code.

Executing needs nbformat, nbclient, ipykernel, matplotlib, pyarrow and pandas; they are imported
when the notebook is built, not when this module is imported (pytest collects it).
"""

from __future__ import annotations

import inspect
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

if TYPE_CHECKING:
    from nbformat import NotebookNode

__all__ = ["CELLS", "KERNEL_ENV", "NOTEBOOK", "TIMEOUT", "execute", "main", "notebook"]

NOTEBOOK: Final = Path(__file__).with_name("channel-review.ipynb")
README_CHART: Final = Path(__file__).parent.parent / "images" / "review-chart.png"
"""The chart the README shows: the sample quarter's review chart, written by ``main``."""
"""The notebook this script writes."""

TIMEOUT: Final = 120
"""Seconds a cell may run (the whole notebook takes a few)."""

KERNEL_ENV: Final = {
    # older jupyter_core 5 releases warn (DeprecationWarning, an error under pytest) unless
    # their paths follow platformdirs already
    "JUPYTER_PLATFORM_DIRS": "1",
    # no display: figures are drawn by the inline backend the notebook selects
    "MPLBACKEND": "Agg",
}
"""Environment variables set for the kernel (and, by the test, for the process starting it)."""

Kind = Literal["markdown", "code"]

_CELLS: list[tuple[Kind, str]] = [
    (
        "markdown",
        """
        # Channel review and settlement from a Parquet file

        A quarter of a channel end to end, as an analyst runs it in a notebook: the transactions
        come from a Parquet file, `channelkit.frames` reads and checks them, a channel review
        (渠道绩效评估) and a rebate settlement (返利结算) are computed from them, and
        `channelkit.plot` draws both. The data is the demo's sample channel: six partners in CNY,
        the third quarter of 2026 against the same quarter of 2025.

        It needs the `frames` and `plot` extras (`pip install 'channelkit[frames,plot]'`) and shows
        the settlements with pandas when pandas is installed. The outputs below are those of the
        current code: the test suite executes the notebook and compares them.
        """,
    ),
    (
        "code",
        """
        # channelkit.plot never touches pyplot: the inline backend draws a figure a cell returns
        %matplotlib inline
        import tempfile
        from decimal import ROUND_HALF_UP, Decimal
        from pathlib import Path

        import pyarrow.parquet as pq

        from channelkit import frames, review, settle_all
        from channelkit.demo import sample
        from channelkit.demo.rebates import POLICY
        from channelkit.demo.review import TARGETS
        from channelkit.plot import rebate_curve, review_chart
        """,
    ),
    (
        "markdown",
        """
        ## A Parquet file of transactions

        The operator's export: here the sample quarter's sales, returns and payments, written with
        `frames.to_arrow` (one row per `Transaction`; each amount an exact decimal column with its
        `<name>_currency` column) to a file in a temporary directory.
        """,
    ),
    (
        "code",
        """
        workdir = tempfile.TemporaryDirectory()
        path = Path(workdir.name) / "transactions-2026q3.parquet"
        pq.write_table(frames.to_arrow(sample.transactions()), path)
        print(path.name, "holds", pq.read_metadata(path).num_rows, "rows")
        pq.read_schema(path)
        """,
    ),
    (
        "markdown",
        """
        ## Reading it back

        `frames.read_transactions` reads the file and checks every row against the rules of
        `Transaction` (a bad row raises a `FrameError` naming the row and the column). The file
        has no `currency` column, so the currency is given. The result is a `TransactionFrame`:
        every calculator takes it in place of a list of transactions and works on its columns.
        """,
    ),
    (
        "code",
        """
        txs = frames.read_transactions(path, currency=sample.CURRENCY)
        len(txs), txs.currency, list(txs) == list(sample.transactions())
        """,
    ),
    (
        "markdown",
        """
        ## The channel review (渠道绩效评估)

        The quarter against the same quarter a year earlier, with the partners and their
        net-sales targets. A notebook shows the review as its table; `explain("zh")` tells it in
        Chinese; `review_chart` draws it: the partners' net sales as a Pareto (largest first, the
        cumulative share as a line), each target as a tick with the attainment (目标达成率) above
        the column, laggards in red, and on the right the shares by territory.
        """,
    ),
    (
        "code",
        """
        quarter = review(
            txs, sample.QUARTER, prior=sample.PRIOR, partners=sample.partners(), targets=TARGETS
        )
        quarter
        """,
    ),
    (
        "code",
        """
        print(quarter.explain("zh"))
        """,
    ),
    (
        "code",
        """
        review_chart(quarter)
        """,
    ),
    (
        "markdown",
        """
        ## The settlement (返利结算)

        The demo's policy `Q-LADDER`: a graduated ladder (梯级返利) on net sales, from 1% to 4% at
        400,000, a 50,000 threshold, a 20,000 cap, and half the rebate when the collection rate
        (回款率) is below 50%. The collection rates come from the review, rounded to four places;
        `settle_all` settles every partner that traded in the quarter in one pass over the frame.
        """,
    ),
    (
        "code",
        """
        rates = {row.partner_id: row.collection_rate or Decimal(0) for row in quarter.partners}
        metrics = {
            pid: {"collection_rate": rate.quantize(Decimal("0.0001"), ROUND_HALF_UP)}
            for pid, rate in rates.items()
        }
        settled = settle_all(POLICY, txs, sample.QUARTER, metrics=metrics)
        print(settled["O-MALL"].explain("en"))
        """,
    ),
    (
        "markdown",
        """
        The settlements as a table: `frames.to_arrow` makes a row of each `Settlement` (nested
        fields joined with `_`, money as an exact decimal and its currency). A few of its
        columns, as a pandas DataFrame when pandas is installed: the ladder's gross rebate, and
        the payable, halved where less than half the net sales was collected.
        """,
    ),
    (
        "code",
        """
        table = frames.to_arrow(settled).select(
            ["partner_id", "basis", "result_gross", "payable", "payable_currency"]
        )
        try:
            shown = table.to_pandas()
        except ImportError:  # no pandas: the Arrow table shows itself
            shown = table
        shown
        """,
    ),
    (
        "markdown",
        """
        ## The rebate curve

        What the policy pays across the basis: the amount and the effective rate, each bracket
        start marked. Nothing below the 50,000 threshold, and the cap flattens the amount near
        the top.
        """,
    ),
    (
        "code",
        """
        workdir.cleanup()
        rebate_curve(POLICY, up_to=800_000)
        """,
    ),
]

CELLS: Final[tuple[tuple[Kind, str], ...]] = tuple(
    (kind, inspect.cleandoc(source)) for kind, source in _CELLS
)
"""The notebook's cells in order: each a kind (``"markdown"`` or ``"code"``) and its source."""


def notebook() -> NotebookNode:
    """The notebook of ``CELLS``, not executed: kernel ``python3``, cell ids ``cell-01``...

    The ids are fixed, not random, so that building twice writes the same file.
    """
    import nbformat

    cells: list[dict[str, Any]] = []
    for number, (kind, source) in enumerate(CELLS, 1):
        cell: dict[str, Any] = {"cell_type": kind, "id": f"cell-{number:02d}", "metadata": {}}
        if kind == "code":
            cell |= {"execution_count": None, "outputs": []}
        cells.append(cell | {"source": source})
    kernelspec = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    data = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"kernelspec": kernelspec, "language_info": {"name": "python"}},
        "cells": cells,
    }
    nb: NotebookNode = nbformat.from_dict(data)  # type: ignore[no-untyped-call]  # not annotated
    nbformat.validate(nb)
    return nb


def execute(nb: NotebookNode, *, cwd: Path) -> None:
    """Execute ``nb`` in place in a fresh ``python3`` kernel working in ``cwd``.

    The kernel gets ``KERNEL_ENV`` and an IPython directory inside ``cwd`` (so that its
    history database is not written to the home directory); no timing is recorded in the
    cells, so the outputs are all that changes. A cell that raises stops the execution with
    nbclient's ``CellExecutionError``.
    """
    from nbclient import NotebookClient

    env = {**os.environ, **KERNEL_ENV, "IPYTHONDIR": str(cwd / ".ipython")}
    client = NotebookClient(
        nb,
        timeout=TIMEOUT,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(cwd)}},
    )
    client.execute(env=env)


def main() -> int:
    """Build the notebook, execute it in a temporary directory and write it to ``NOTEBOOK``."""
    import nbformat

    os.environ.update(KERNEL_ENV)
    nb = notebook()
    with tempfile.TemporaryDirectory() as tmp:
        execute(nb, cwd=Path(tmp))
    nbformat.validate(nb)
    nbformat.write(nb, NOTEBOOK)  # type: ignore[no-untyped-call]  # not annotated
    print(f"wrote {NOTEBOOK.name}: {len(nb.cells)} cells, executed")
    readme_chart(README_CHART)
    print(f"wrote {README_CHART.name}")
    return 0


def readme_chart(path: Path) -> None:
    """The README's picture: the review chart of the demo's sample quarter, as a PNG."""
    from channelkit import review
    from channelkit.demo import sample
    from channelkit.plot import review_chart

    result = review(
        sample.transactions(),
        sample.QUARTER,
        partners=sample.partners(),
        prior=sample.PRIOR,
        targets={"D-NORTH": 500_000, "R-SOUTH": 120_000},
    )
    path.parent.mkdir(exist_ok=True)
    review_chart(result).savefig(path, format="png")


if __name__ == "__main__":
    sys.exit(main())
