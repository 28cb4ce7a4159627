"""Fonts for the charts' text: a CJK font found at run time, and the Latin fallback.

Chinese labels need a font with CJK glyphs, which matplotlib does not ship. [`find_cjk_font`][]
looks for one of the usual ones among the fonts matplotlib knows; [`Fonts`][] chooses the
language a figure is labelled in and cleans every text it shows, so that matplotlib never meets
a glyph that no font of the figure has (it would warn, and draw an empty box).
"""

from __future__ import annotations

import sys
import warnings
from functools import cache
from typing import Final

from channelkit.labels import Lang, check_lang

__all__ = ["CJK_FAMILIES", "LATIN", "CJKFontWarning", "Fonts", "find_cjk_font"]

LATIN: Final = "DejaVu Sans"
"""The font of Latin text: matplotlib ships it, so it is always there."""

CJK_FAMILIES: Final = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "STHeiti",
    "Sarasa Gothic SC",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
    "Source Han Sans",
    "Droid Sans Fallback",
    "Arial Unicode MS",
)
"""The fonts with Chinese glyphs looked for, in order of preference (simplified Chinese first)."""

_INSTALL: Final = (
    "install a font with Chinese glyphs, e.g. Noto Sans CJK SC (Debian and Ubuntu: "
    "apt-get install fonts-noto-cjk), WenQuanYi Zen Hei (fonts-wqy-zenhei) or Source Han Sans "
    "SC; Windows and macOS have Microsoft YaHei, SimHei or PingFang SC. Then rebuild "
    "matplotlib's font list: delete the fontlist-*.json in matplotlib.get_cachedir() and "
    "restart Python"
)


class CJKFontWarning(UserWarning):
    """No font with Chinese glyphs was found: the chart is labelled in English.

    Also raised, once per chart, when text of the data (a name, an id) holds characters that no
    installed font can draw: they are shown as ``?``. The message says which fonts to install.
    """


def find_cjk_font() -> str | None:
    """The first of [`CJK_FAMILIES`][] that matplotlib knows, or ``None`` when none is.

    Examples
    --------
    >>> found = find_cjk_font()
    >>> found is None or found in CJK_FAMILIES
    True
    """
    from matplotlib import font_manager

    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FAMILIES if name in installed), None)


@cache
def _charmap(path: str) -> frozenset[int]:
    """The code points the font file at ``path`` has glyphs for."""
    from matplotlib.ft2font import FT2Font

    return frozenset(FT2Font(path).get_charmap())


@cache
def _covered(families: tuple[str, ...]) -> frozenset[int]:
    """The code points some font of ``families`` has a glyph for."""
    from matplotlib import font_manager

    points: frozenset[int] = frozenset()
    for family in families:
        prop = font_manager.FontProperties(family=family)
        path = font_manager.findfont(prop, fallback_to_default=False)
        points |= _charmap(str(path))
    return points


class Fonts:
    r"""The language and the fonts of one figure's text.

    ``Fonts("zh")`` labels in Chinese when [`find_cjk_font`][] finds a font, else it emits one
    [`CJKFontWarning`][] and labels in English (``lang`` is then ``"en"``). ``families`` is the
    font list every text of the figure is given: [`LATIN`][] first, then the CJK font if one
    was found (matplotlib takes each glyph from the first font that has it), in either language,
    so that Chinese names in the data show in an English chart too.

    Examples
    --------
    >>> fonts = Fonts("en")
    >>> fonts.lang, fonts.families[0], fonts.text("Cost: $5")
    ('en', 'DejaVu Sans', 'Cost: \\$5')
    """

    lang: Lang
    """The language the figure is labelled in."""
    families: tuple[str, ...]
    """The font families of every text, in order of use."""

    def __init__(self, lang: str) -> None:
        wanted = check_lang(lang)
        cjk = find_cjk_font()
        self.families = (LATIN,) if cjk is None else (LATIN, cjk)
        self._warned = False
        if wanted == "zh" and cjk is None:
            self._warn(
                "no font with Chinese glyphs was found, so the chart is labelled in English: "
                + _INSTALL
            )
            wanted = "en"
        self.lang = wanted
        self._points = _covered(self.families)

    def _warn(self, message: str) -> None:
        """Warn once per figure, pointing at the caller's line outside ``channelkit.plot``."""
        if self._warned:
            return
        self._warned = True
        depth = 1  # sys._getframe(depth) is the frame `stacklevel=depth + 1` names
        while sys._getframe(depth).f_globals.get("__name__", "").startswith("channelkit.plot."):
            depth += 1
        warnings.warn(message, CJKFontWarning, stacklevel=depth + 1)

    def text(self, value: str) -> str:
        r"""``value`` as matplotlib should be given it: drawable, and never read as math.

        A ``$`` is escaped (matplotlib would read text between two of them as mathematics);
        a character that no font of ``families`` has is replaced by ``?``: a printable one the
        first time with a [`CJKFontWarning`][] (unless one was already emitted for this
        figure), a control character (``\x1f``, a tab) silently, as no font would draw it.
        """
        out: list[str] = []
        missing = False
        for ch in value:
            if ch == "$":
                out.append("\\$")
            elif ch == "\n" or ord(ch) in self._points:
                out.append(ch)
            else:
                out.append("?")
                missing = missing or ch.isprintable()  # a font would draw it
        if missing:
            self._warn(
                "the chart's data holds characters no installed font can draw (such as Chinese "
                f"names), shown as '?': {_INSTALL}"
            )
        return "".join(out)

    def pick(self, en: str, zh: str, **values: object) -> str:
        """The English or the Chinese template by the figure's language, filled, then cleaned.

        ``values`` fill the template's ``{name}`` fields (``str.format``); the whole text then
        goes through `text`.
        """
        return self.text((zh if self.lang == "zh" else en).format(**values))
