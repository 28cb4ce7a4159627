"""The channel review calculator: [`review`][] reads the transactions in one pass."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, localcontext
from typing import Final

from channelkit.errors import CurrencyMismatchError
from channelkit.money import Money
from channelkit.numeric import CONTEXT, DecimalLike, decimal_text, to_decimal
from channelkit.partners import Partner
from channelkit.periods import Period
from channelkit.review.build import Acc, build
from channelkit.review.models import ChannelReview
from channelkit.transactions import Transaction, TransactionKind

__all__ = ["review"]

_ZERO: Final = Decimal(0)
_SALE: Final = TransactionKind.SALE
_PAYMENT: Final = TransactionKind.PAYMENT


def review(
    transactions: Iterable[Transaction],
    period: Period,
    *,
    partners: Iterable[Partner] = (),
    prior: Period | None = None,
    targets: Mapping[str, DecimalLike | Money] | None = None,
    territories: Iterable[str] | None = None,
    top: int = 5,
    laggard_below: DecimalLike = Decimal("0.8"),
) -> ChannelReview:
    r"""Review a period of the channel (渠道绩效评估) from its raw transactions.

    Parameters
    ----------
    transactions
        Sales, returns and payments; only those dated inside ``period`` or ``prior`` are read.
        Any iterable (it is read once).
    period
        The period reviewed.
    partners
        The channel's partners: each gets a row, its kind groups the ``kinds`` rows, and they
        define ``coverage`` (and, by default, the territories to cover).
    prior
        A comparison period (a year earlier, the previous quarter) read from the same
        transactions; it must not overlap ``period``.
    targets
        Net-sales targets by partner id, in the review's currency (a ``Decimal``-like number or
        ``Money``); not negative. A partner with a target gets a row even if it is unknown.
    territories
        The territories the channel should cover; default: every territory of ``partners``.
    top
        How many head partners ``concentration.top_share`` sums (at least 1).
    laggard_below
        A partner with a positive target whose attainment is below this is a laggard.

    Returns
    -------
    ChannelReview
        Total, direct and indirect figures, partner, territory and kind rows, coverage,
        concentration and laggards.

    Raises
    ------
    CurrencyMismatchError
        Two transactions read are in different currencies (both are named), a ``Money``
        target is in another currency, or no transaction was read and the partners use
        several currencies.
    ValueError
        ``prior`` overlaps ``period``; a target is negative; ``top`` is below 1; a partner id
        is passed twice; or no transaction was read and no partner gives the currency.
    TypeError
        ``period`` or ``prior`` is not a ``Period``, ``top`` is not an int, ``territories``
        is a single string, or a number is a float.

    Notes
    -----
    The transactions are read in one pass; each slice's figures are sums:

    $$
    \text{net} = \text{gross sales} - \text{returns}, \qquad
    \text{units} = \text{units sold} - \text{units returned}
    $$

    and the ratios (each ``None`` when its denominator is not positive, so a review never
    raises for a zero):

    $$
    \text{growth} = \frac{\text{net} - \text{net}_\text{prior}}{\text{net}_\text{prior}},\quad
    \text{share} = \frac{\text{net}_i}{\text{net}_\text{indirect}},\quad
    \text{attainment} = \frac{\text{net}}{\text{target}},\quad
    \text{collection rate} = \frac{\text{collections}}{\text{net}},\quad
    \text{return rate} = \frac{\text{returns}}{\text{gross}}
    $$

    ``average_order = gross / orders``, rounded half-up to the currency's minor unit (the only
    rounded figure). Concentration uses the partner rows' net sales clamped at 0,
    $c_i = \max(\text{net}_i, 0)$, as shares $s_i = c_i / \sum_j c_j$:
    ``top_share`` is the share of the ``top`` largest and
    $\text{HHI} = \sum_i (100\, s_i)^2$, between $10000/n$ for $n$ equal
    partners and 10000 for one. Payments count in the total, direct, indirect, partner and kind
    figures, never in territory rows (they carry no territory); sales and returns without a
    territory are grouped under ``""``.

    Examples
    --------
    >>> from channelkit.demo import sample
    >>> r = review(sample.transactions(), sample.QUARTER, partners=sample.partners(),
    ...            prior=sample.PRIOR, targets={"D-NORTH": 500_000, "R-SOUTH": 120_000})
    >>> r.total.net_sales, r.growth.quantize(Decimal("0.0001"))
    (Money('1066000', 'CNY'), Decimal('0.4982'))
    >>> [row.partner_id for row in r.partners][:3]
    ['D-NORTH', 'D-EAST', 'S-WEST']
    >>> r.laggards
    ('R-SOUTH',)
    """
    if not isinstance(period, Period):
        msg = f"period must be a Period, got {type(period).__name__}"
        raise TypeError(msg)
    if prior is not None:
        if not isinstance(prior, Period):
            msg = f"prior must be a Period or None, got {type(prior).__name__}"
            raise TypeError(msg)
        if prior.overlaps(period):
            msg = f"prior ({prior}) must not overlap period ({period})"
            raise ValueError(msg)
    if isinstance(top, bool) or not isinstance(top, int):
        msg = f"top must be an int, got {top!r}"
        raise TypeError(msg)
    if top < 1:
        msg = f"top must be at least 1, got {top}"
        raise ValueError(msg)
    below = to_decimal(laggard_below, "laggard_below")
    known = _partners_by_id(partners)
    goals = _read_targets(targets)
    if territories is None:
        to_cover = frozenset(t for p in known.values() for t in p.territories)
    elif isinstance(territories, str):
        msg = f"territories must be a collection of codes, not one string ({territories!r})"
        raise TypeError(msg)
    else:
        to_cover = frozenset(territories)

    # -- the one pass ---------------------------------------------------------------------------
    ps, pe = period.start, period.end
    qs, qe = (prior.start, prior.end) if prior is not None else (date.max, date.max)
    by_partner: dict[str | None, Acc] = {}
    by_territory: dict[str, Acc] = {}
    partner_sold_in: set[str] = set()
    prior_partner: dict[str | None, Decimal] = {}
    prior_territory: dict[str, Decimal] = {}
    currency: str | None = None
    sale, payment = _SALE, _PAYMENT
    with localcontext(CONTEXT):
        for t in transactions:
            d = t.date
            if ps <= d < pe:
                m = t.amount
                if m.currency != currency:
                    if currency is not None:
                        raise CurrencyMismatchError(currency, m.currency, f"transaction {t.id}")
                    currency = m.currency
                a = m.amount
                pid = t.partner_id
                acc = by_partner.get(pid)
                if acc is None:
                    acc = by_partner[pid] = Acc()
                kind = t.kind
                if kind is payment:
                    acc.collections += a
                    continue
                key = t.territory or ""
                grp = by_territory.get(key)
                if grp is None:
                    grp = by_territory[key] = Acc()
                q = t.quantity
                if kind is sale:
                    acc.gross += a
                    acc.units += q
                    acc.orders += 1
                    grp.gross += a
                    grp.units += q
                    grp.orders += 1
                    c = t.customer_id
                    if c is not None:
                        acc.customers.add(c)
                        grp.customers.add(c)
                    if pid is not None:
                        partner_sold_in.add(key)
                else:
                    acc.returns += a
                    acc.units -= q
                    grp.returns += a
                    grp.units -= q
            elif qs <= d < qe:
                m = t.amount
                if m.currency != currency:
                    if currency is not None:
                        raise CurrencyMismatchError(currency, m.currency, f"transaction {t.id}")
                    currency = m.currency
                kind = t.kind
                if kind is payment:
                    continue
                a = m.amount if kind is sale else -m.amount
                pid = t.partner_id
                prior_partner[pid] = prior_partner.get(pid, _ZERO) + a
                key = t.territory or ""
                prior_territory[key] = prior_territory.get(key, _ZERO) + a

        cur = currency if currency is not None else _partners_currency(known)
        return build(
            cur,
            period,
            prior,
            known,
            {pid: _target_amount(pid, v, cur) for pid, v in goals.items()},
            to_cover,
            top,
            below,
            by_partner,
            by_territory,
            partner_sold_in,
            prior_partner if prior is not None else None,
            prior_territory if prior is not None else None,
        )


# -- input checks -------------------------------------------------------------------------------


def _partners_by_id(partners: Iterable[Partner]) -> dict[str, Partner]:
    known: dict[str, Partner] = {}
    for p in partners:
        if p.id in known:
            msg = f"partners must have unique ids: {p.id!r} is passed twice"
            raise ValueError(msg)
        known[p.id] = p
    return known


def _read_targets(targets: Mapping[str, DecimalLike | Money] | None) -> dict[str, Decimal | Money]:
    out: dict[str, Decimal | Money] = {}
    for pid, value in (targets or {}).items():
        name = f"targets[{pid!r}]"
        if not isinstance(pid, str) or not pid.strip():
            msg = f"targets must be keyed by partner ids (non-empty strings), got {pid!r}"
            raise TypeError(msg)
        amount = value.amount if isinstance(value, Money) else to_decimal(value, name)
        if amount < 0:
            msg = f"{name} must not be negative, got {decimal_text(amount)}"
            raise ValueError(msg)
        out[pid] = value if isinstance(value, Money) else amount
    return out


def _target_amount(pid: str, value: Decimal | Money, currency: str) -> Decimal:
    if isinstance(value, Money):
        if value.currency != currency:
            raise CurrencyMismatchError(currency, value.currency, f"targets[{pid!r}]")
        return value.amount
    return value


def _partners_currency(known: Mapping[str, Partner]) -> str:
    found = sorted({p.currency for p in known.values()})
    if not found:
        msg = (
            "review has no currency: no transaction was read in the period or the prior period "
            "and no partners were passed"
        )
        raise ValueError(msg)
    if len(found) > 1:
        raise CurrencyMismatchError(found[0], found[1], "partners, with no transaction read")
    return found[0]
