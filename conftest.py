"""Collection guard: ``channelkit.frames`` imports pyarrow, so its doctests need the extra."""

from __future__ import annotations

import importlib.util

collect_ignore_glob: list[str] = []
if importlib.util.find_spec("pyarrow") is None:  # pragma: no cover - depends on the environment
    collect_ignore_glob.append("src/channelkit/frames/*")
