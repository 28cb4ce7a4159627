"""Paid sales (按回款计返): the part of each sale paid inside the period.

A ``PAID_SALES`` basis counts a partner's payments that name (``refers_to``) one of its own
sales in the policy's scope, the sale possibly from an earlier period. A payment counts in the
period that contains the later of its own date and its sale's date (a payment before delivery,
先款后货, counts when the sale happens), and only up to what of its sale is still unpaid: the
sale's amount, less its returns dated before the period's end, less the payments of it that come
before (by date, then id). Payments without ``refers_to`` count nothing.

[`paid_sales`][] does the matching on plain records. The model path keeps the records during its
one pass; the table path reads the rows it needs from the frame into the same records; both
call [`paid_sales`][], so they give the same figures and raise the same error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, localcontext
from typing import Final

from channelkit.errors import CurrencyMismatchError
from channelkit.numeric import CONTEXT
from channelkit.periods import Period

__all__ = ["Record", "paid_sales"]

Record = tuple[int, str, str, dt.date, Decimal, str, str | None]
"""A transaction as the matching reads it: its position in the input, id, partner id, date,
amount, currency and ``refers_to``."""

_ZERO: Final = Decimal(0)


def paid_sales(
    sales: Iterable[Record],
    returns: Iterable[Record],
    payments: Iterable[Record],
    period: Period,
    currency: str,
) -> dict[str, Decimal]:
    r"""Each partner's paid sales in ``period``, for the partners with a payment that counts.

    Parameters
    ----------
    sales
        The partners' sales in the policy's scope dated before the period's end (of several
        sales of one partner with one id, the first is the one referred to).
    returns, payments
        The partners' returns and payments dated before the period's end that name a sale.
    period
        The settlement period.
    currency
        The policy's currency.

    Returns
    -------
    dict of str to Decimal
        Per partner with at least one payment counting in the period (even for nothing, its
        sale being paid already), the sum of what its payments counted.

    Raises
    ------
    CurrencyMismatchError
        A row the figure reads (a sale with a payment counting in the period, its returns and
        its payments) in another currency: the first such row in input order.

    Notes
    -----
    For a sale $s$ with returns $r_k$ and payments $p_1, p_2, \dots$ in order of date, then id:

    $$
    \text{counted}_i = \min\Big(p_i,\ \max\big(0,\ s - \sum_k r_k - \sum_{j<i} p_j\big)\Big)
    $$

    for each $p_i$ whose later date (its own or the sale's) lies in the period.
    """
    start = period.start
    by_key: dict[tuple[str, str], Record] = {}
    for s in sales:
        by_key.setdefault((s[2], s[1]), s)
    paid_by: dict[tuple[str, str], list[Record]] = {}
    for p in payments:
        key = (p[2], p[6] or "")
        if key in by_key:
            paid_by.setdefault(key, []).append(p)
    returned: dict[tuple[str, str], list[Record]] = {}
    for r in returns:
        key = (r[2], r[6] or "")
        if key in by_key:
            returned.setdefault(key, []).append(r)
    work: list[tuple[Record, list[Record], list[Record]]] = []
    for key, pays in paid_by.items():
        sale = by_key[key]
        if any(start <= max(p[3], sale[3]) for p in pays):  # every date is before the end
            work.append((sale, pays, returned.get(key, [])))
    wrong = [r for sale, pays, rets in work for r in (sale, *pays, *rets) if r[5] != currency]
    if wrong:
        first = min(wrong)
        raise CurrencyMismatchError(currency, first[5], f"transaction {first[1]}")
    out: dict[str, Decimal] = {}
    with localcontext(CONTEXT):
        for sale, pays, rets in work:
            unpaid = sale[4]
            for r in rets:
                unpaid -= r[4]
            total = out.get(sale[2], _ZERO)
            for p in sorted(pays, key=lambda p: (p[3], p[1], p[0])):
                if start <= max(p[3], sale[3]):
                    total += min(p[4], max(unpaid, _ZERO))
                unpaid -= p[4]
            out[sale[2]] = total
    return out
