"""The figures of [`profitability`][channelkit.incentives.profitability], from its sums.

Both paths of ``profitability`` (transactions as models, read here by [`model_sums`][], or a
table, read in columns by ``_profit_columnar.frame_sums``) produce the same [`Sums`][]; the
costs, rebates and funds are read by the same code ([`cost_sums`][], [`read_given`][]), and
[`row_values`][] computes each row's figures from them. So the two paths cannot disagree on a
rule.

Every operation names a private context: the caller's decimal context is neither read nor
changed. Sums are exact (34 digits); the financing cost is the only rounded figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import (
    ROUND_HALF_UP,
    Context,
    Decimal,
    DecimalException,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)
from typing import Any, Final, NamedTuple, TypeVar

from channelkit.errors import ArgumentError, ArgumentTypeError, CurrencyMismatchError
from channelkit.incentives.costs import ChannelCost, CostCategory
from channelkit.money import Money, read_amount
from channelkit.numeric import CONTEXT, MAX_DIGITS, grid
from channelkit.periods import Period
from channelkit.transactions import Transaction, TransactionKind

__all__ = [
    # what the transactions give
    "Sums",
    "model_sums",
    # the other inputs
    "cost_sums",
    "read_given",
    "no_currency",
    # the figures
    "financing",
    "spend_of",
    "ratio",
    "in_order",
    "row_values",
    "Parts",
    "assemble",
]

_ZERO: Final = Decimal(0)
_YEAR: Final = Decimal(365)
_SALE: Final = TransactionKind.SALE
_PAYMENT: Final = TransactionKind.PAYMENT
_TRAPS: Final = [InvalidOperation, DivisionByZero, Overflow]
_WIDE: Final = Context(prec=4 * MAX_DIGITS, Emax=999_999, Emin=-999_999, traps=_TRAPS)
"""Wide enough for ``net sales x rate x days`` exactly: each factor has at most 34 digits."""
_HALF_UP: Final = Context(
    prec=MAX_DIGITS, rounding=ROUND_HALF_UP, Emax=999_999, Emin=-999_999, traps=_TRAPS
)
"""Keeps 34 digits of a financing cost too large to carry its minor unit."""


class Sums(NamedTuple):
    """What ``profitability`` reads from its transactions, whether models or a table."""

    currency: str | None
    """The currency of the transactions read (the expected one if given; ``None``: none)."""
    net: dict[str | None, Decimal]
    """Net sales (sales - returns) per partner (``None``: direct) with a transaction in the
    period, a payment included (a payment alone gives 0)."""
    cogs: dict[str | None, Decimal]
    """Net cost of goods (cost of the sales - cost of the returns) per partner."""
    missing: set[str | None]
    """The partners (``None``: direct) with a sale or return in the period lacking ``cost``."""


def model_sums(items: Iterator[Any], period: Period, expected: str | None) -> Sums:
    """The one pass over the transactions (models): net sales, net cost, missing costs.

    Raises
    ------
    CurrencyMismatchError
        A transaction read is not in ``expected`` or, without it, in the first one's currency.
    ArgumentTypeError
        An item is not a ``Transaction``.
    """
    start, end = period.start, period.end
    net: dict[str | None, Decimal] = {}
    cogs: dict[str | None, Decimal] = {}
    missing: set[str | None] = set()
    currency = expected
    add, sub = CONTEXT.add, CONTEXT.subtract
    for t in items:
        if type(t) is not Transaction and not isinstance(t, Transaction):
            msg = f"transactions must hold Transaction models, got {type(t).__name__}"
            raise ArgumentTypeError(msg, argument="transactions", value=t)
        if not start <= t.date < end:
            continue
        m = t.amount
        if m.currency != currency:
            if currency is not None:
                raise CurrencyMismatchError(currency, m.currency, f"transaction {t.id}")
            currency = m.currency
        pid = t.partner_id
        kind = t.kind
        if kind is _PAYMENT:
            net.setdefault(pid, _ZERO)
            continue
        cost = t.cost
        sign = add if kind is _SALE else sub
        net[pid] = sign(net.get(pid, _ZERO), m.amount)
        if cost is None:
            missing.add(pid)
        else:
            cogs[pid] = sign(cogs.get(pid, _ZERO), cost.amount)
    return Sums(currency, net, cogs, missing)


def _check_currency(currency: str | None, found: str, where: str) -> str:
    if currency is not None and found != currency:
        raise CurrencyMismatchError(currency, found, where)
    return found


def cost_sums(
    costs: Iterable[ChannelCost], period: Period, currency: str | None
) -> tuple[str | None, dict[str | None, dict[CostCategory, Decimal]], dict[CostCategory, Decimal]]:
    """The costs dated in ``period``: the currency, the sums per partner and in all, by category.

    Raises
    ------
    CurrencyMismatchError
        A cost read is not in ``currency`` (or, without it, in the first cost's), named by its
        index in ``costs``.
    """
    start, end = period.start, period.end
    by_partner: dict[str | None, dict[CostCategory, Decimal]] = {}
    total: dict[CostCategory, Decimal] = {}
    add = CONTEXT.add
    for i, c in enumerate(costs):
        if not start <= c.date < end:
            continue
        m = c.amount
        currency = _check_currency(currency, m.currency, f"costs[{i}]")
        cat = c.category
        sums = by_partner.get(c.partner_id)
        if sums is None:
            sums = by_partner[c.partner_id] = {}
        sums[cat] = add(sums.get(cat, _ZERO), m.amount)
        total[cat] = add(total.get(cat, _ZERO), m.amount)
    return currency, by_partner, total


def read_given(
    given: Mapping[str, Money], name: str, currency: str | None
) -> tuple[str | None, dict[str, Decimal]]:
    """Rebates or funds as given: the currency and each partner's amount (any sign).

    Raises
    ------
    CurrencyMismatchError
        An amount is not in ``currency`` (or, without it, in the first amount's).
    ArgumentError
        An amount is outside the input bounds (``Money`` built by arithmetic can be).
    """
    out: dict[str, Decimal] = {}
    for pid, m in given.items():
        where = f"{name}[{pid!r}]"
        currency = _check_currency(currency, m.currency, where)
        out[pid] = read_amount(m, currency, where)
    return currency, out


def financing(net: Decimal, rate: Decimal | None, days: Decimal | None, places: int) -> Decimal:
    """``net x rate x days / 365`` rounded half-up to ``places``; 0 without a rate or days.

    The product is exact and the quotient carries far more digits than the minor unit, so the
    one rounding is that of the exact figure. A figure too large to carry its minor unit within
    34 digits keeps its 34 significant digits.

    Examples
    --------
    >>> financing(Decimal(100_000), Decimal("0.06"), Decimal(45), 2)
    Decimal('739.73')
    """
    if rate is None or days is None:
        return _ZERO
    exact = _WIDE.divide(_WIDE.multiply(_WIDE.multiply(net, rate), days), _YEAR)
    try:
        return exact.quantize(grid(places), rounding=ROUND_HALF_UP, context=CONTEXT)
    except DecimalException:
        return _HALF_UP.plus(exact)


def spend_of(
    rebates: Decimal, funds: Decimal, costs: Iterable[Decimal], financing: Decimal
) -> Decimal:
    """``rebates + funds + costs + financing``, added in that order (costs in enum order)."""
    total = CONTEXT.add(rebates, funds)
    for c in costs:
        total = CONTEXT.add(total, c)
    return CONTEXT.add(total, financing)


def ratio(num: Decimal, den: Decimal) -> Decimal:
    """``num / den`` to 34 significant digits (``den`` is not zero)."""
    return CONTEXT.divide(num, den)


def row_values(
    partner_id: str | None,
    currency: str,
    net: Decimal,
    gross: Decimal | None,
    rebates: Decimal,
    funds: Decimal,
    costs: Mapping[CostCategory, Decimal],
    financing: Decimal,
) -> dict[str, Any]:
    """The fields of a ``ProfitRow`` from its figures: spend, contribution and the ratios.

    ``costs`` holds the row's categories, in enum order.
    """

    def money(amount: Decimal) -> Money:
        return Money._make(amount, currency)

    spend = spend_of(rebates, funds, costs.values(), financing)
    contribution = None if gross is None else CONTEXT.subtract(gross, spend)
    return {
        "partner_id": partner_id,
        "net_sales": money(net),
        "gross_profit": None if gross is None else money(gross),
        "rebates": money(rebates),
        "funds": money(funds),
        "costs": {cat: money(v) for cat, v in costs.items()},
        "financing_cost": money(financing),
        "spend": money(spend),
        "contribution": None if contribution is None else money(contribution),
        "contribution_margin": (
            ratio(contribution, net) if contribution is not None and net > 0 else None
        ),
        "roi": ratio(contribution, spend) if contribution is not None and spend else None,
    }


def no_currency() -> ArgumentError:
    """The error for a report with nothing read and no ``currency=``."""
    msg = (
        "profitability has no currency: no transaction or cost was read in the period and no "
        "rebate or fund was given; pass currency='CNY' (or another ISO 4217 code)"
    )
    return ArgumentError(msg, argument="currency", value=None)


_V = TypeVar("_V")


def in_order(sums: Mapping[CostCategory, _V]) -> dict[CostCategory, _V]:
    """``sums`` with its categories in enum order."""
    return {cat: sums[cat] for cat in CostCategory if cat in sums}


class Parts(NamedTuple):
    """The values of a report's parts, in report order, before they are built as models."""

    rows: list[dict[str, Any]]
    """The partner rows' fields: contribution descending, then id; no contribution last."""
    total: dict[str, Any]
    """The total row's fields."""
    categories: list[tuple[CostCategory, Money]]
    """The total's categories by amount descending, then enum order."""
    negative: list[str]
    """The partners whose contribution is below 0, in row order."""


def assemble(
    currency: str,
    sums: Sums,
    partner_costs: Mapping[str | None, Mapping[CostCategory, Decimal]],
    total_costs: Mapping[CostCategory, Decimal],
    rebates: Mapping[str, Decimal],
    funds: Mapping[str, Decimal],
    rate: Decimal | None,
    days: Mapping[str, Decimal],
) -> Parts:
    """Every row, the total, the ranked categories and the negative partners.

    A partner has a row when it has a transaction or a cost in the period, or a rebate or a
    fund; direct sales and costs without a partner count only in the total, whose rebates,
    funds and financing cost are the rows' sums and whose gross profit is ``None`` when any
    sale or return read (direct ones included) lacks its cost.
    """
    places = Money.zero(currency).places
    add = CONTEXT.add
    ids = {pid for pid in sums.net if pid is not None}
    ids.update(pid for pid in partner_costs if pid is not None)
    ids.update(rebates, funds)
    rows: list[dict[str, Any]] = []
    paid_rebates = paid_funds = financed = _ZERO
    for pid in sorted(ids):
        net = sums.net.get(pid, _ZERO)
        gross = None if pid in sums.missing else CONTEXT.subtract(net, sums.cogs.get(pid, _ZERO))
        rebate, fund = rebates.get(pid, _ZERO), funds.get(pid, _ZERO)
        cost = financing(net, rate, days.get(pid), places)
        paid_rebates, paid_funds = add(paid_rebates, rebate), add(paid_funds, fund)
        financed = add(financed, cost)
        mine = in_order(partner_costs.get(pid, {}))
        rows.append(row_values(pid, currency, net, gross, rebate, fund, mine, cost))
    net = _ZERO
    for v in sums.net.values():
        net = add(net, v)
    gross = None
    if not sums.missing:
        gross = net
        for v in sums.cogs.values():
            gross = CONTEXT.subtract(gross, v)
    every = in_order(total_costs)
    total = row_values(None, currency, net, gross, paid_rebates, paid_funds, every, financed)
    # stable sorts: by id (above), then contribution descending; no contribution last
    known = [r for r in rows if r["contribution"] is not None]
    known.sort(key=lambda r: r["contribution"].amount, reverse=True)
    ordered = known + [r for r in rows if r["contribution"] is None]
    ranked = sorted(total["costs"].items(), key=lambda item: item[1].amount, reverse=True)
    negative = [r["partner_id"] for r in known if r["contribution"].amount < 0]
    return Parts(ordered, total, ranked, negative)
