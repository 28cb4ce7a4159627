"""Aging of open items (应收账款账龄): how long a partner's unpaid invoices are past due.

[`aging`][] sorts open items into the buckets of [`AgingBucket`][] by days past due and
gives the overdue total, the overdue share and the age of the oldest overdue item, which the
overdue rules of a [`CreditPolicy`][] read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Self

from pydantic import model_validator

from channelkit.credit import _html
from channelkit.credit._args import read_count, read_currency, wrong_type
from channelkit.currencies import CurrencyCode
from channelkit.errors import ArgumentError, CurrencyMismatchError
from channelkit.labels import LabeledEnum, fmt_amount, fmt_pct, pick
from channelkit.model import Id, Model, trusted
from channelkit.money import Money, ResultMoney
from channelkit.numeric import CONTEXT, NonNegativeCount, ResultNonNegative, add_all

__all__ = [
    # enums
    "AgingBucket",
    # models
    "OpenItem",
    # results
    "Aging",
    # calculators
    "aging",
    "bucket_for",
]

_ZERO = Decimal(0)


class AgingBucket(LabeledEnum):
    """An aging bucket by days past due (``grace_days`` widens CURRENT)."""

    CURRENT = "current", "Current", "未逾期"
    DAYS_1_30 = "days_1_30", "1-30 days overdue", "逾期 1-30 天"
    DAYS_31_60 = "days_31_60", "31-60 days overdue", "逾期 31-60 天"
    DAYS_61_90 = "days_61_90", "61-90 days overdue", "逾期 61-90 天"
    OVER_90 = "over_90", "Over 90 days overdue", "逾期 90 天以上"


class OpenItem(Model):
    """An unpaid invoice (or other open receivable) and its due date.

    Examples
    --------
    >>> OpenItem(id="INV-1", amount=Money(1200, "CNY"), due=dt.date(2026, 9, 30)).amount
    Money('1200', 'CNY')
    """

    id: Id
    """The item's identifier (an invoice number)."""
    amount: Money
    """The amount still open, positive."""
    due: dt.date
    """The day payment is due; the item is overdue from the day after."""

    @model_validator(mode="after")
    def _positive(self) -> Self:
        if self.amount.amount <= 0:
            msg = f"amount must be positive (an open amount still owed), got {self.amount}"
            raise ValueError(msg)
        return self


def bucket_for(days_past_due: int, grace_days: int = 0) -> AgingBucket:
    """The bucket of an item ``days_past_due`` days past its due date (negative: not yet due).

    Examples
    --------
    >>> bucket_for(-5), bucket_for(30), bucket_for(31), bucket_for(91)
    (<AgingBucket.CURRENT: 'current'>, <AgingBucket.DAYS_1_30: 'days_1_30'>,
     <AgingBucket.DAYS_31_60: 'days_31_60'>, <AgingBucket.OVER_90: 'over_90'>)
    >>> bucket_for(5, grace_days=5)
    <AgingBucket.CURRENT: 'current'>
    """
    if isinstance(days_past_due, bool) or not isinstance(days_past_due, int):
        raise wrong_type("days_past_due", "an int", days_past_due)
    return _bucket(days_past_due, read_count(grace_days, "grace_days"))


def _bucket(days_past_due: int, grace_days: int) -> AgingBucket:
    if days_past_due <= grace_days or days_past_due <= 0:
        return AgingBucket.CURRENT
    if days_past_due <= 30:
        return AgingBucket.DAYS_1_30
    if days_past_due <= 60:
        return AgingBucket.DAYS_31_60
    if days_past_due <= 90:
        return AgingBucket.DAYS_61_90
    return AgingBucket.OVER_90


class Aging(Model):
    """The result of [`aging`][]: open items by bucket, and the overdue figures."""

    as_of: dt.date
    """The day the items were aged on."""
    grace_days: NonNegativeCount
    """Items at most this many days past due counted as current."""
    currency: CurrencyCode
    """The currency of every amount."""
    buckets: Mapping[AgingBucket, ResultMoney]
    """The open amount in each bucket; every bucket is present, in order, and they sum to
    ``open_total``."""
    counts: Mapping[AgingBucket, NonNegativeCount]
    """The number of items in each bucket."""
    open_total: ResultMoney
    """The sum of every open item."""
    overdue_total: ResultMoney
    """The sum of the items not current (more than ``grace_days`` past due)."""
    overdue_share: ResultNonNegative
    """``overdue_total / open_total``, from 0 to 1; 0 when nothing is open."""
    oldest_overdue_days: NonNegativeCount
    """Days past due of the oldest overdue item; 0 when nothing is overdue."""
    oldest_overdue_id: Id | None = None
    """The id of that item (the first listed among equals), ``None`` when nothing is overdue."""

    _repr_html_ = _html.aging

    def explain(self, lang: str = "en") -> str:
        """The buckets and the overdue figures, one line each.

        Examples
        --------
        >>> items = [OpenItem(id="A", amount=Money(600, "CNY"), due=dt.date(2026, 9, 1)),
        ...          OpenItem(id="B", amount=Money(400, "CNY"), due=dt.date(2026, 10, 15))]
        >>> print(aging(items, dt.date(2026, 9, 30)).explain())
        Aging of 1,000.00 CNY of open items on 2026-09-30
          Current: 400.00 (1 item)
          1-30 days overdue: 600.00 (1 item)
          31-60 days overdue: 0.00 (0 items)
          61-90 days overdue: 0.00 (0 items)
          Over 90 days overdue: 0.00 (0 items)
        Overdue: 600.00 CNY, 60% of the open total; oldest A, 29 days past due
        """
        places = self.open_total.places
        head = pick(
            lang,
            "Aging of {t} {c} of open items on {d}",
            "{d} 未结项目账龄（合计 {t} {c}）",
        ).format(t=fmt_amount(self.open_total.amount, places), c=self.currency, d=self.as_of)
        if self.grace_days:
            head += pick(lang, " (grace {g} days)", "（宽限 {g} 天）").format(g=self.grace_days)
        lines = [head]
        for bucket, amount in self.buckets.items():
            n = self.counts.get(bucket, 0)
            lines.append(
                pick(lang, "  {b}: {a} ({n} item{s})", "  {b}：{a}（{n} 笔）").format(
                    b=bucket.label(lang),
                    a=fmt_amount(amount.amount, places),
                    n=n,
                    s="" if n == 1 else "s",
                )
            )
        if self.oldest_overdue_id is None:
            lines.append(pick(lang, "Nothing overdue", "无逾期项目"))
        else:
            lines.append(
                pick(
                    lang,
                    "Overdue: {o} {c}, {s} of the open total; oldest {i}, {d} days past due",
                    "逾期：{o} {c}，占未结总额 {s}；最久 {i}，逾期 {d} 天",
                ).format(
                    o=fmt_amount(self.overdue_total.amount, places),
                    c=self.currency,
                    s=fmt_pct(self.overdue_share),
                    i=self.oldest_overdue_id,
                    d=self.oldest_overdue_days,
                )
            )
        return "\n".join(lines)


def aging(
    items: Iterable[OpenItem],
    as_of: dt.date,
    *,
    grace_days: int = 0,
    currency: str | None = None,
) -> Aging:
    r"""Age open items on ``as_of`` into the buckets of [`AgingBucket`][].

    Parameters
    ----------
    items
        The open items, in one currency, each id once.
    as_of
        The day to age on.
    grace_days
        Items at most this many days past due count as current (not overdue).
    currency
        The currency, needed only when ``items`` is empty (else it must match the items').

    Returns
    -------
    Aging
        Every bucket with its amount and count, the open and overdue totals, the overdue share
        and the oldest overdue item.

    Raises
    ------
    CurrencyMismatchError
        When the items are in more than one currency, or not in ``currency``.
    ArgumentError
        When ``grace_days`` is negative (or 10**9 or more), an item id repeats, ``currency`` is
        not a known code, or ``items`` is empty and no ``currency`` is given.
    ArgumentTypeError
        When ``items`` is not an iterable of [`OpenItem`][], ``as_of`` not a ``date`` (a
        ``datetime`` is refused too) or ``grace_days`` not an ``int`` (also a ``TypeError``).

    Notes
    -----
    An item is $d = \text{as\_of} - \text{due}$ days past due (negative when not yet due).
    It is CURRENT when $d \le \text{grace\_days}$ (so an item due today, $d = 0$, is
    current), else in DAYS_1_30 ($d \le 30$), DAYS_31_60 ($\le 60$), DAYS_61_90
    ($\le 90$) or OVER_90 by its actual days past due: grace moves an item to current, it
    does not shift the other buckets.

    $$
    \text{overdue share} = \frac{\sum_{b \ne \text{CURRENT}} B_b}{\sum_b B_b}
    $$

    The buckets sum to the open total exactly (no rounding: amounts are added, never divided;
    only a sum of more than 34 significant digits is rounded to 34); the overdue total is the
    sum of the overdue buckets; with nothing open the overdue share is 0.

    Examples
    --------
    >>> items = [
    ...     OpenItem(id="INV-1", amount=Money(1000, "CNY"), due=dt.date(2026, 9, 25)),
    ...     OpenItem(id="INV-2", amount=Money(3000, "CNY"), due=dt.date(2026, 7, 31)),
    ... ]
    >>> a = aging(items, dt.date(2026, 9, 30))
    >>> a.buckets[AgingBucket.DAYS_1_30], a.buckets[AgingBucket.DAYS_61_90]
    (Money('1000', 'CNY'), Money('3000', 'CNY'))
    >>> a.overdue_share, a.oldest_overdue_days
    (Decimal('1'), 61)
    >>> aging(items, dt.date(2026, 9, 30), grace_days=5).buckets[AgingBucket.CURRENT]
    Money('1000', 'CNY')
    """
    if not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
        raise wrong_type("as_of", "a date (not a datetime)", as_of)
    grace = read_count(grace_days, "grace_days")
    cur = None if currency is None else read_currency(currency)
    if isinstance(items, str | bytes) or not isinstance(items, Iterable):
        raise wrong_type("items", "an iterable of OpenItem", items)
    sums = dict.fromkeys(AgingBucket, _ZERO)
    counts = dict.fromkeys(AgingBucket, 0)
    seen: set[str] = set()
    oldest_days = 0
    oldest_id: str | None = None
    for item in items:
        if not isinstance(item, OpenItem):
            raise wrong_type("items", "an iterable of OpenItem", item)
        got = item.amount.currency
        if cur is None:
            cur = got
        elif got != cur:
            raise CurrencyMismatchError(cur, got, f"open item {item.id}")
        if item.id in seen:
            msg = f"items must have unique ids: {item.id!r} appears twice"
            raise ArgumentError(msg, argument="items", value=item.id)
        seen.add(item.id)
        days = (as_of - item.due).days
        bucket = _bucket(days, grace)
        sums[bucket] = CONTEXT.add(sums[bucket], item.amount.amount)
        counts[bucket] += 1
        if bucket is not AgingBucket.CURRENT and days > oldest_days:
            oldest_days, oldest_id = days, item.id
    if cur is None:
        msg = "currency is required when there are no open items"
        raise ArgumentError(msg, argument="currency", value=None)
    total = add_all(sums.values())
    overdue = add_all(a for b, a in sums.items() if b is not AgingBucket.CURRENT)
    share = CONTEXT.divide(overdue, total) if total else _ZERO
    return trusted(
        Aging,
        {
            "as_of": as_of,
            "grace_days": grace,
            "currency": cur,
            "buckets": {b: Money._make(a, cur) for b, a in sums.items()},
            "counts": counts,
            "open_total": Money._make(total, cur),
            "overdue_total": Money._make(overdue, cur),
            "overdue_share": share,
            "oldest_overdue_days": oldest_days,
            "oldest_overdue_id": oldest_id,
        },
    )
