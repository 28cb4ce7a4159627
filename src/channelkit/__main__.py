"""``python -m channelkit`` and the ``channelkit`` script: ``main`` of ``channelkit.cli``."""

from __future__ import annotations

from channelkit.cli import main

__all__ = ["main"]


if __name__ == "__main__":
    raise SystemExit(main())
