"""The demo behind ``python -m channelkit demo``: a worked quarter for a bundled sample channel.

Each area contributes a section: a module of this package that defines ``ORDER: int`` and a
function ``section(lang) -> str``. `sections` finds them and sorts them by ``ORDER`` (then
by module name), so an area adds its section without editing a central list. Nothing is read
from or written to disk.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

from channelkit.labels import check_lang

__all__ = ["render", "sections"]


def sections() -> list[Callable[[str], str]]:
    """The demo's section functions, in the order the demo prints them."""
    found: list[tuple[int, str, Callable[[str], str]]] = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        section = getattr(module, "section", None)
        order = getattr(module, "ORDER", None)
        if callable(section) and isinstance(order, int):
            found.append((order, info.name, section))
    return [section for _, _, section in sorted(found, key=lambda f: (f[0], f[1]))]


def render(lang: str = "en") -> str:
    """The whole demo text in ``lang`` (``"en"`` or ``"zh"``).

    Examples
    --------
    >>> text = render("zh")
    >>> "示例渠道" in text
    True
    """
    check_lang(lang)
    return "\n\n\n".join(section(lang) for section in sections()) + "\n"
