"""Collection guards: the parts that need the ``frames`` extra are skipped without pyarrow."""

from __future__ import annotations

import importlib.util

collect_ignore_glob: list[str] = []
if importlib.util.find_spec("pyarrow") is None:  # pragma: no cover - depends on the environment
    collect_ignore_glob += ["src/channelkit/frames/*", "docs/tables.md"]
