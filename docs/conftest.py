"""The guides' examples that need an extra are skipped, not failed, without it."""

from __future__ import annotations

import pytest

NEEDS: dict[str, str] = {
    "tables.md": "pyarrow",
    "spark.md": "pyspark",
    "plot.md": "matplotlib",
}


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip a guide's examples when the module they need is not installed."""
    module = NEEDS.get(item.path.name)
    if module is not None:
        pytest.importorskip(module)
