"""Collection guards: ``channelkit.frames`` imports pyarrow and ``channelkit.spark`` pyspark,
so their doctests need the extras."""

from __future__ import annotations

import importlib.util

collect_ignore_glob: list[str] = []
if importlib.util.find_spec("pyarrow") is None:  # pragma: no cover - depends on the environment
    collect_ignore_glob.append("src/channelkit/frames/*")
if importlib.util.find_spec("pyspark") is None:  # pragma: no cover - depends on the environment
    collect_ignore_glob.append("src/channelkit/spark/*")
