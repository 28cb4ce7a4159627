"""The channel review calculator: [`review`][] reads the transactions in one pass."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from decimal import Decimal, localcontext
from typing import Any, Final, cast

from channelkit._tables import TableLike, frame_of, is_table
from channelkit.errors import ArgumentError, ArgumentTypeError, CurrencyMismatchError
from channelkit.model import bulk
from channelkit.money import Money, read_amount
from channelkit.numeric import CONTEXT, DecimalLike, to_decimal
from channelkit.partners import Partner
from channelkit.periods import Period
from channelkit.review.build import Seen, Sums, assemble, count_seen, kinds_of
from channelkit.review.models import ChannelReview
from channelkit.transactions import Transaction, TransactionKind

__all__ = ["review"]

_ZERO: Final = Decimal(0)
_SALE: Final = TransactionKind.SALE
_PAYMENT: Final = TransactionKind.PAYMENT
_MAX_TOP: Final = 10**9
_NOTHING: Final = object()


def review(
    transactions: Iterable[Transaction] | TableLike,
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
        Any iterable of ``Transaction`` (it is read once), or a table (a
        [`TransactionFrame`][channelkit.frames.TransactionFrame] or any Arrow-compatible table:
        pyarrow, pandas, polars, duckdb; see ``channelkit.frames``), summed in columns to a
        review equal to that of the same rows as models.
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
    ArgumentError
        ``prior`` overlaps ``period``; a target is negative or not a number within the input
        bounds; ``top`` is below 1 or not below 10**9; a partner id is passed twice; a
        territory code is blank; or no transaction was read and no partner gives the currency
        (a ``ValueError``).
    ArgumentTypeError
        ``period`` or ``prior`` is not a ``Period``; ``transactions``, ``partners`` or
        ``territories`` is not an iterable of ``Transaction``, ``Partner`` or ``str``
        (``territories`` is a single string); ``targets`` is not a mapping keyed by partner
        ids; ``top`` is not an int; or a number is a float (a ``TypeError``, and an
        ``ArgumentError``).
    FrameError
        ``transactions`` is a table with a row that breaks a rule of ``Transaction`` (it is
        read by ``frames.transactions`` with its defaults: a table needs a ``currency`` column,
        else pass a frame built with ``currency=``).

    Notes
    -----
    The transactions are read in one pass (a table: filtered, grouped and summed in columns,
    with no ``Transaction`` built); each slice's figures are sums:

    $$
    \begin{aligned}
    \text{net} &= \text{gross sales} - \text{returns} \\
    \text{units} &= \text{units sold} - \text{units returned}
    \end{aligned}
    $$

    and the ratios (each ``None`` when its denominator is not positive, or when it reaches
    10**30 in absolute value, which only a vanishingly small denominator gives: a review never
    raises for a ratio):

    $$
    \begin{aligned}
    \text{growth} &= \frac{\text{net} - \text{net}_\text{prior}}{\text{net}_\text{prior}}, &
    \text{share} &= \frac{\text{net}_i}{\text{net}_\text{indirect}}, &
    \text{attainment} &= \frac{\text{net}}{\text{target}}, \\
    \text{collection rate} &= \frac{\text{collections}}{\text{net}}, &
    \text{return rate} &= \frac{\text{returns}}{\text{gross}}
    \end{aligned}
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
    _read_periods(period, prior)
    top = _read_top(top)
    below = to_decimal(laggard_below, "laggard_below")
    known = _partners_by_id(partners)
    goals = _target_keys(targets)
    to_cover = _to_cover(territories, known)
    kinds = kinds_of(known)
    with bulk():  # many results: the collector paused (model.bulk)
        if is_table(transactions):
            from channelkit.review._columnar import exact_in_columns, frame_sums

            frame = frame_of(transactions)
            if exact_in_columns(frame):
                sums = frame_sums(frame, period, prior, kinds)
            else:  # numbers too wide for the columns' sums to be the models' sums
                sums = _pass(iter(frame), period, prior, kinds)
        else:
            items = _iterate(transactions, "transactions", "Transaction models")
            sums = _pass(items, period, prior, kinds)
        currency = sums.currency
        cur = currency if currency is not None else _partners_currency(known)
        return assemble(
            cur, period, prior, known, _read_targets(goals, cur), to_cover, top, below, sums
        )


def _read_periods(period: object, prior: object) -> None:
    """Check the review's period and prior period (the table, model and Spark paths share it).

    Raises
    ------
    ArgumentTypeError
        ``period`` not a ``Period``, or ``prior`` neither a ``Period`` nor ``None``.
    ArgumentError
        ``prior`` overlaps ``period``.
    """
    if not isinstance(period, Period):
        msg = f"period must be a Period, got {type(period).__name__}"
        raise ArgumentTypeError(msg, argument="period", value=period)
    if prior is not None:
        if not isinstance(prior, Period):
            msg = f"prior must be a Period or None, got {type(prior).__name__}"
            raise ArgumentTypeError(msg, argument="prior", value=prior)
        if prior.overlaps(period):
            msg = f"prior ({prior}) must not overlap period ({period})"
            raise ArgumentError(msg, argument="prior", value=prior)


def _pass(
    items: Iterator[Any], period: Period, prior: Period | None, kinds: dict[str, list[str]]
) -> Sums:
    """The one pass over the transactions (models): every sum the review is built from.

    ``kinds`` lists the partner ids of each kind (``build.kinds_of``), whose customers are
    counted together.
    """
    ps, pe = period.start, period.end
    qs, qe = (prior.start, prior.end) if prior is not None else (date.max, date.max)
    by_partner: dict[str | None, Seen] = {}
    by_territory: dict[str, Seen] = {}
    partner_sold_in: set[str] = set()
    prior_partner: dict[str | None, Decimal] = {}
    prior_territory: dict[str, Decimal] = {}
    currency: str | None = None
    sale, payment = _SALE, _PAYMENT
    t = cast(Transaction, _NOTHING)  # the item being read, named if it is not a Transaction
    with localcontext(CONTEXT):
        try:
            for t in items:
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
                        acc = by_partner[pid] = Seen()
                    kind = t.kind
                    if kind is payment:
                        acc.collections += a
                        continue
                    key = t.territory or ""
                    grp = by_territory.get(key)
                    if grp is None:
                        grp = by_territory[key] = Seen()
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
                            acc.seen.add(c)
                            grp.seen.add(c)
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
        except (AttributeError, TypeError):
            if t is _NOTHING or isinstance(t, Transaction):
                raise  # not the caller's item: a bug, or an error of the caller's iterator
            raise _wrong_item("transactions", "Transaction models", t) from None

    customers = count_seen(by_partner, by_territory, kinds)
    return Sums(
        currency,
        by_partner,
        by_territory,
        partner_sold_in,
        prior_partner,
        prior_territory,
        customers,
    )


# -- input checks -------------------------------------------------------------------------------


def _iterate(value: object, name: str, what: str) -> Iterator[Any]:
    """``iter(value)``, or an argument type error naming ``name`` when it is not iterable."""
    try:
        return iter(cast(Iterable[Any], value))
    except TypeError:
        msg = f"{name} must be an iterable of {what}, not {type(value).__name__}"
        raise ArgumentTypeError(msg, argument=name, value=value) from None


def _shown(value: object) -> str:
    """A short ``repr`` of a refused value for a message (a huge int has no ``repr``)."""
    if isinstance(value, int) and not -_MAX_TOP < value < _MAX_TOP:
        return f"an integer of {value.bit_length()} bits"
    text = repr(value)
    return text if len(text) <= 60 else text[:45] + "..." + text[-12:]


def _wrong_item(name: str, what: str, item: object) -> ArgumentTypeError:
    msg = f"{name} must hold {what}, got {type(item).__name__}"
    return ArgumentTypeError(msg, argument=name, value=item)


def _read_top(top: object) -> int:
    if isinstance(top, bool) or not isinstance(top, int):
        msg = f"top must be an int, got {_shown(top)}"
        raise ArgumentTypeError(msg, argument="top", value=top)
    if top < 1:
        msg = f"top must be at least 1, got {_shown(top)}"
        raise ArgumentError(msg, argument="top", value=top)
    if top >= _MAX_TOP:
        msg = f"top must be below 10**9, got {_shown(top)}"
        raise ArgumentError(msg, argument="top", value=top)
    return int(top)


def _partners_by_id(partners: object) -> dict[str, Partner]:
    known: dict[str, Partner] = {}
    for p in _iterate(partners, "partners", "Partner models"):
        if not isinstance(p, Partner):
            raise _wrong_item("partners", "Partner models", p)
        if p.id in known:
            msg = f"partners must have unique ids: {p.id!r} is passed twice"
            raise ArgumentError(msg, argument="partners", value=p.id)
        known[p.id] = p
    return known


def _target_keys(targets: object) -> dict[str, object]:
    """The targets by partner id with their keys checked (amounts are read by `_read_targets`)."""
    if targets is None:
        return {}
    if not isinstance(targets, Mapping):
        msg = f"targets must be a mapping of partner id to amount, not {type(targets).__name__}"
        raise ArgumentTypeError(msg, argument="targets", value=targets)
    out: dict[str, object] = {}
    for pid, value in targets.items():
        if not isinstance(pid, str) or not pid.strip():
            msg = f"targets must be keyed by partner ids (non-empty strings), got {_shown(pid)}"
            raise ArgumentTypeError(msg, argument="targets", value=pid)
        out[pid if type(pid) is str else str(pid)] = value
    return out


def _read_targets(targets: dict[str, object], currency: str) -> dict[str, Decimal]:
    return {
        pid: read_amount(value, currency, f"targets[{pid!r}]", non_negative=True)
        for pid, value in targets.items()
    }


def _to_cover(territories: object, known: Mapping[str, Partner]) -> frozenset[str]:
    if territories is None:
        return frozenset(t for p in known.values() for t in p.territories)
    if isinstance(territories, str):
        msg = f"territories must be a collection of codes, not one string ({_shown(territories)})"
        raise ArgumentTypeError(msg, argument="territories", value=territories)
    codes: set[str] = set()
    for code in _iterate(territories, "territories", "territory codes"):
        if not isinstance(code, str):
            raise _wrong_item("territories", "territory codes (str)", code)
        if not code.strip():
            msg = f"territories must not hold a blank code, got {_shown(code)}"
            raise ArgumentError(msg, argument="territories", value=code)
        codes.add(code if type(code) is str else str(code))
    return frozenset(codes)


def _partners_currency(known: Mapping[str, Partner]) -> str:
    found = sorted({p.currency for p in known.values()})
    if not found:
        msg = (
            "review has no currency: no transaction was read in the period or the prior period "
            "and no partners were passed"
        )
        raise ArgumentError(msg, argument="partners", value=())
    if len(found) > 1:
        raise CurrencyMismatchError(found[0], found[1], "partners, with no transaction read")
    return found[0]
