"""The ``hypothesis`` entry point: registers channelkit's strategies when Hypothesis is imported.

Kept apart from [`channelkit.testing`][] because importing that module imports Hypothesis, which
runs its entry points while ``channelkit.testing`` is still half-initialised; in that case the hook
does nothing and ``channelkit.testing`` registers its strategies itself when its import finishes.
"""

from __future__ import annotations

import importlib
import sys

__all__: list[str] = []


def _hypothesis_setup_hook() -> None:
    """Register every strategy of [`channelkit.testing`][] with ``st.from_type``."""
    module = sys.modules.get("channelkit.testing")
    if module is not None and not getattr(module, "_READY", False):
        return  # being imported right now: it registers itself at the end of its import
    importlib.import_module("channelkit.testing")  # registers on import
