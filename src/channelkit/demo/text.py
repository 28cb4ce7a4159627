"""Plain-text layout for the demo: aligned tables (CJK-aware) and section headings."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

__all__ = ["heading", "table", "width"]


def width(text: str) -> int:
    """Display width of ``text`` in a terminal: wide (CJK) characters count two.

    Examples
    --------
    >>> width("abc"), width("经销商")
    (3, 6)
    """
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, size: int, right: bool) -> str:
    gap = " " * (size - width(text))
    return gap + text if right else text + gap


def table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], *, right: Sequence[int] = ()
) -> str:
    """Lay out ``rows`` under ``headers``; columns whose index is in ``right`` align right.

    Examples
    --------
    >>> print(table(["id", "sales"], [["D1", "1,200.00"], ["D22", "80.00"]], right=[1]))
    id     sales
    ---  --------
    D1   1,200.00
    D22     80.00
    """
    sizes = [width(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            sizes[i] = max(sizes[i], width(cell))
    lines = [
        "  ".join(_pad(h, sizes[i], i in right) for i, h in enumerate(headers)).rstrip(),
        "  ".join("-" * s for s in sizes),
    ]
    lines.extend(
        "  ".join(_pad(c, sizes[i], i in right) for i, c in enumerate(row)).rstrip() for row in rows
    )
    return "\n".join(lines)


def heading(title: str) -> str:
    """A section heading underlined to its display width.

    Examples
    --------
    >>> print(heading("Rebates"))
    Rebates
    =======
    """
    return f"{title}\n{'=' * width(title)}"
