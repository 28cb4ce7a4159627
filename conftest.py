"""Configuration for every test and doctest.

Results are checked as they are built (``channelkit.model.CHECK_RESULTS``), and the doctests of
``channelkit.frames`` (pyarrow) and ``channelkit.spark`` (pyspark) are collected only when their
extras are installed.
"""

from __future__ import annotations

import importlib.util

import channelkit.model

channelkit.model.CHECK_RESULTS = True

collect_ignore_glob: list[str] = []
if importlib.util.find_spec("pyarrow") is None:  # pragma: no cover - depends on the environment
    collect_ignore_glob.append("src/channelkit/frames/*")
if importlib.util.find_spec("pyspark") is None:  # pragma: no cover - depends on the environment
    collect_ignore_glob.append("src/channelkit/spark/*")
if importlib.util.find_spec("matplotlib") is None:  # pragma: no cover - depends on the environment
    collect_ignore_glob.append("src/channelkit/plot/*")
