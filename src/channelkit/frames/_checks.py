"""Row rules, checked in bulk: a code per row naming the first rule in field order it breaks.

:class:`Checks` collects rules in the order they are added (the callers add them in
``Transaction`` field order) and keeps, for each row, the number of the first rule it breaks.
Reasons are written only for the rows rejected, as ``<column>: <rule> (value <value>)``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pyarrow as pa
import pyarrow.compute as pc

from channelkit.numeric import decimal_text

__all__ = ["Checks", "show"]


@dataclass(frozen=True, slots=True)
class _Rule:
    column: str
    message: str
    shown: pa.ChunkedArray
    detail: pa.ChunkedArray | None
    number: bool


def show(value: object) -> str:
    """A value as a rejection reason shows it: numbers plain, text quoted, ``null``.

    Examples
    --------
    >>> show(Decimal("-5.00")), show("T1"), show(None), show(dt.date(2026, 1, 5))
    ('-5.00', "'T1'", 'null', '2026-01-05')
    """
    if value is None:
        return "null"
    if isinstance(value, Decimal):
        exp = value.as_tuple().exponent
        text = decimal_text(value) if isinstance(exp, int) and abs(exp) <= 40 else str(value)
    elif isinstance(value, dt.date | dt.datetime):
        text = value.isoformat()
    elif isinstance(value, str):
        text = repr(value)
    else:
        text = str(value)
    return text if len(text) <= 60 else text[:40] + "..." + text[-12:]


class Checks:
    """The rules a table's rows are checked against, and the first one each row breaks."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.rules: list[_Rule] = []
        self.codes: pa.ChunkedArray | None = None

    def add(
        self,
        mask: pa.Array | pa.ChunkedArray,
        column: str,
        message: str,
        shown: pa.ChunkedArray,
        detail: pa.ChunkedArray | None = None,
        *,
        number: bool = False,
    ) -> None:
        """Reject the rows where ``mask`` is true (null counts as false) and no earlier rule did.

        ``message`` may hold ``{}``, filled with the row's value of ``detail``. ``number``: the
        shown values are numbers (text that reads as one is shown without quotes).
        """
        if not pc.any(mask).as_py():
            return
        self.rules.append(_Rule(column, message, shown, detail, number))
        code = pa.scalar(len(self.rules), pa.int16())
        hit = pc.fill_null(mask, False)
        if self.codes is None:
            self.codes = pc.if_else(hit, code, pa.scalar(0, pa.int16()))
        else:
            self.codes = pc.if_else(pc.and_(hit, pc.equal(self.codes, 0)), code, self.codes)

    def ok(self) -> pa.ChunkedArray | None:
        """The rows that break no rule, or ``None`` when every row is fine."""
        return None if self.codes is None else pc.equal(self.codes, 0)

    def reasons(self) -> tuple[pa.Array, list[str]]:
        """The rejected rows' numbers (``int64``, ascending) and their reasons."""
        if self.codes is None:  # pragma: no cover - asked only when a row was rejected
            return pa.array([], pa.int64()), []
        rows = pc.indices_nonzero(self.codes).cast(pa.int64())
        codes = pc.take(self.codes, rows).to_pylist()
        reasons: list[str] = [""] * len(codes)
        for number, rule in enumerate(self.rules, start=1):
            at = [i for i, c in enumerate(codes) if c == number]
            picked = pc.take(rows, pa.array(at, pa.int64()))
            values = pc.take(rule.shown, picked).to_pylist()
            details = pc.take(rule.detail, picked).to_pylist() if rule.detail is not None else None
            for j, i in enumerate(at):
                message = rule.message.format(details[j]) if details is not None else rule.message
                value = values[j]
                text = value.strip() if rule.number and isinstance(value, str) else show(value)
                reasons[i] = f"{rule.column}: {message} (value {text})"
        return rows, reasons
