"""Compact HTML for notebooks: the one renderer behind every result's ``_repr_html_``.

Jupyter shows an object through its ``_repr_html_`` method. Every channelkit result renders the
same way: a caption, an optional line of headline figures and a table, each cell escaped, with no
script, no style sheet and no external resource, so that a notebook, a web page or an e-mail can
show it as it is.

[`html_table`][channelkit.html.html_table] builds that fragment; [`cell`][channelkit.html.cell]
writes one value: ``Money`` and numbers right-aligned with thousands separators, enums by their
label, ``None`` as an em dash.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from html import escape

from channelkit.labels import LabeledEnum, fmt_amount, fmt_number, fmt_pct, pick
from channelkit.money import Money

__all__ = ["cell", "html_table"]

_RIGHT = ' style="text-align:right"'
MAX_ROWS = 200
"""Rows shown at most; a longer table ends with a line saying how many were left out."""


def cell(value: object, lang: str = "en") -> tuple[str, bool]:
    """One value as escaped HTML text, and whether it is a number (aligned right).

    Examples
    --------
    >>> cell(Money("1234.5", "CNY"))
    ('1,234.50 CNY', True)
    >>> cell(None), cell("<b>"), cell(Decimal("0.125"))
    (('—', False), ('&lt;b&gt;', False), ('0.125', True))
    """
    if value is None:
        return "—", False
    if isinstance(value, Money):
        return escape(f"{fmt_amount(value.amount)} {value.currency}"), True
    if isinstance(value, LabeledEnum):
        return escape(value.label(lang)), False
    if isinstance(value, bool):
        return escape(pick(lang, "yes" if value else "no", "是" if value else "否")), False
    if isinstance(value, Decimal | int):
        return escape(fmt_number(Decimal(value))), True
    if isinstance(value, date):
        return value.isoformat(), False
    return escape(str(value)), False


def html_table(
    caption: str,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    summary: Sequence[tuple[str, object]] = (),
    lang: str = "en",
) -> str:
    """An HTML fragment: a caption, a line of headline figures, then a table of rows.

    Parameters
    ----------
    caption
        The title, shown above the table.
    header
        The column names.
    rows
        One sequence of values per row, as long as ``header``; values are written by
        [`cell`][channelkit.html.cell].
    summary
        Headline figures as ``(label, value)`` pairs, shown above the table.
    lang
        ``"en"`` or ``"zh"``: the language of enum labels and of the "more rows" line.

    Returns
    -------
    str
        A ``<div>`` holding a ``<table>``; every text escaped, no script or external resource.
        At most ``MAX_ROWS`` rows are written.

    Examples
    --------
    >>> html = html_table("Funds", ["partner", "left"], [["P1", Money("5", "CNY")]])
    >>> html.startswith("<div") and "<td" in html and "5.00 CNY" in html
    True
    >>> "<script" in html_table("<script>", ["a"], [["<script>"]])
    False
    """
    out = ['<div class="channelkit">', f"<strong>{escape(caption)}</strong>"]
    if summary:
        parts = []
        for label, value in summary:
            text, _ = cell(value, lang)
            parts.append(f"{escape(label)}: {text}")
        out.append(f"<p>{' · '.join(parts)}</p>")
    out.append("<table><thead><tr>")
    out.extend(f"<th>{escape(name)}</th>" for name in header)
    out.append("</tr></thead><tbody>")
    hidden = 0
    for index, row in enumerate(rows):
        if index >= MAX_ROWS:
            hidden += 1
            continue
        out.append("<tr>")
        for value in row:
            text, right = cell(value, lang)
            out.append(f"<td{_RIGHT if right else ''}>{text}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    if hidden:
        more = pick(lang, f"{hidden} more rows not shown", f"另有 {hidden} 行未显示")
        out.append(f"<p>{escape(more)}</p>")
    out.append("</div>")
    return "".join(out)


def _percent(fraction: Decimal | None, places: int = 2) -> Decimal | None:
    """A fraction as a number of percent, rounded half-up, for a column headed ``%``.

    [`cell`][channelkit.html.cell] aligns numbers right and text left; a rate given as a
    number of percent stays a number, so a column of rates lines up. ``None`` stays ``None``
    (a dash). The figure is the one ``fmt_pct`` shows, so a table and an explanation agree.

    Examples
    --------
    >>> _percent(Decimal("0.025833")), _percent(Decimal("0.00125"), 4), _percent(None)
    (Decimal('2.58'), Decimal('0.125'), None)
    """
    if fraction is None:
        return None
    return Decimal(fmt_pct(fraction, places).removesuffix("%"))


def _round(value: Decimal | None, places: int = 2) -> Decimal | None:
    """A computed figure rounded half-up for display, as ``fmt_amount`` shows it; still a number.

    For figures a division leaves with many digits (a score, an index), so that a table shows
    them as the explanation does. ``None`` stays ``None``.

    Examples
    --------
    >>> _round(Decimal("2911.6721148521320632")), _round(Decimal("78.755"), 0), _round(None)
    (Decimal('2911.67'), Decimal('79'), None)
    """
    if value is None:
        return None
    return Decimal(fmt_amount(value, places).replace(",", ""))


def _pct(fraction: Decimal | None, places: int = 2) -> str | None:
    """A fraction as a percentage for a line of headline figures; ``None`` stays (a dash).

    Examples
    --------
    >>> _pct(Decimal("0.6")), _pct(None)
    ('60%', None)
    """
    return None if fraction is None else fmt_pct(fraction, places)
