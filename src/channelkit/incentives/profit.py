r"""Channel profitability (渠道费用分析): each partner's contribution after what it cost.

[`profitability`][] sets a period's gross profit per partner against what the channel spent on
it (rebates, incentive funds, channel costs by
[`CostCategory`][channelkit.incentives.CostCategory] and the financing cost of its
payment terms), in a [`ProfitabilityReport`][]: one [`ProfitRow`][] per partner, ranked by
contribution, a total row, the cost categories ranked by amount and the partners whose
contribution is negative.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Self

from pydantic import model_validator

from channelkit._tables import TableLike, is_table
from channelkit.currencies import CurrencyCode
from channelkit.incentives._profit_args import (
    check_period,
    iterate,
    read_costs,
    read_currency,
    read_days,
    read_money_map,
    read_rate,
)
from channelkit.incentives._profit_build import (
    assemble,
    cost_sums,
    in_order,
    model_sums,
    no_currency,
    ratio,
    read_given,
    spend_of,
)
from channelkit.incentives._profit_text import explain_report, explain_row, report_html, row_html
from channelkit.incentives.costs import ChannelCost, CostCategory
from channelkit.model import Id, Model, trusted
from channelkit.money import Money, ResultMoney
from channelkit.numeric import CONTEXT, DecimalLike, ResultDec
from channelkit.periods import Period
from channelkit.transactions import Transaction

__all__ = [
    # results
    "ProfitRow",
    "ProfitabilityReport",
    # the calculator
    "profitability",
]


class ProfitRow(Model):
    """One partner's profitability in the period, or the channel's total (``partner_id=None``).

    Amounts are exact sums of the inputs; only ``financing_cost`` is rounded (half-up, to the
    minor unit). The row checks its own arithmetic, so a row read back from JSON is as
    consistent as one just computed.

    Examples
    --------
    >>> m = lambda a: Money(a, "CNY")
    >>> row = ProfitRow(partner_id="D1", net_sales=m(1000), gross_profit=m(300), rebates=m(20),
    ...                 funds=m(30), costs={"marketing": m(50)}, financing_cost=m(0),
    ...                 spend=m(100), contribution=m(200), contribution_margin="0.2", roi=2)
    >>> row.contribution, row.costs[CostCategory.MARKETING]
    (Money('200', 'CNY'), Money('50', 'CNY'))
    """

    partner_id: Id | None
    """The partner; ``None`` for the total row, which also holds direct sales and the costs
    without a partner."""
    net_sales: ResultMoney
    """Sales minus returns in the period (净销售额); payments do not count."""
    gross_profit: ResultMoney | None
    """``net_sales`` minus the net cost of goods (the sales' costs minus the returns'); ``None``
    when a sale or return in the period lacks its ``cost``."""
    rebates: ResultMoney
    """The rebates given for the partner (返利), as given; 0 without."""
    funds: ResultMoney
    """The incentive funds given for the partner (市场发展基金, 补贴), as given; 0 without."""
    costs: Mapping[CostCategory, ResultMoney]
    """The channel costs dated in the period by category, in enum order; only the categories
    with a cost."""
    financing_cost: ResultMoney
    """``net_sales x financing_rate x receivable_days / 365`` rounded half-up (放宽回款条件的资金
    成本); 0 without a rate or the partner's days."""
    spend: ResultMoney
    """``rebates + funds + costs + financing_cost``: what the channel spent on the partner."""
    contribution: ResultMoney | None
    """``gross_profit - spend`` (渠道贡献); ``None`` without a gross profit."""
    contribution_margin: ResultDec | None
    """``contribution / net_sales`` (贡献率); ``None`` without a contribution or when net
    sales are not positive."""
    roi: ResultDec | None
    """``contribution / spend`` (渠道投资回报率); ``None`` without a contribution or at zero
    spend."""

    @model_validator(mode="after")
    def _check(self) -> Self:
        cur = self.net_sales.currency
        amounts: dict[str, Money | None] = {
            name: getattr(self, name)
            for name in ("gross_profit", "rebates", "funds", "financing_cost", "spend")
        }
        amounts.update({f"costs[{cat.value!r}]": m for cat, m in self.costs.items()})
        amounts["contribution"] = self.contribution
        for name, m in amounts.items():
            if m is not None and m.currency != cur:
                msg = f"{name} is in {m.currency} but net_sales is in {cur}"
                raise ValueError(msg)
        costs = [m.amount for m in in_order(self.costs).values()]
        spend = spend_of(self.rebates.amount, self.funds.amount, costs, self.financing_cost.amount)
        if spend != self.spend.amount:
            msg = (
                f"spend must equal rebates + funds + costs + financing_cost ({spend}), "
                f"got {self.spend.amount}"
            )
            raise ValueError(msg)
        gross, contribution = self.gross_profit, self.contribution
        if gross is None or contribution is None:
            if gross is not contribution:
                msg = (
                    f"contribution must be None exactly when gross_profit is "
                    f"(gross_profit={gross}, contribution={contribution})"
                )
                raise ValueError(msg)
            margin = roi = None
        else:
            if contribution.amount != CONTEXT.subtract(gross.amount, self.spend.amount):
                msg = (
                    f"contribution must equal gross_profit - spend ({gross} - {self.spend}), "
                    f"got {contribution}"
                )
                raise ValueError(msg)
            net = self.net_sales.amount
            margin = ratio(contribution.amount, net) if net > 0 else None
            roi = ratio(contribution.amount, spend) if spend else None
        for name, value in (("contribution_margin", margin), ("roi", roi)):
            if getattr(self, name) != value:
                msg = f"{name} must be {value} from the row's figures, got {getattr(self, name)}"
                raise ValueError(msg)
        return self

    def explain(self, lang: str = "en") -> str:
        """The row's figures, its spend and its channel costs by category.

        Examples
        --------
        >>> m = lambda a: Money(a, "CNY")
        >>> row = ProfitRow(partner_id="D1", net_sales=m(1000), gross_profit=m(300),
        ...                 rebates=m(20), funds=m(30), costs={"logistics": m(50)},
        ...                 financing_cost=m(0), spend=m(100), contribution=m(200),
        ...                 contribution_margin="0.2", roi=2)
        >>> print(row.explain())
        Profitability of D1 in CNY
        Net sales 1,000.00; gross profit 300.00; contribution 200.00 (margin 20%, ROI 200%)
        Spend 100.00: rebates 20.00, funds 30.00, channel costs 50.00, financing 0.00
        Channel costs: Logistics 50.00
        >>> print(row.explain("zh").splitlines()[-1])
        渠道费用：物流费用 50.00
        """
        return explain_row(self, lang)

    def _repr_html_(self) -> str:
        """The row as an HTML table, for notebooks."""
        return row_html(self)


def _before(a: ProfitRow, b: ProfitRow) -> bool:
    """Whether row ``a`` comes strictly before row ``b`` in a report."""
    ca, cb = a.contribution, b.contribution
    if ca is None or cb is None:
        if (ca is None) != (cb is None):
            return cb is None
    elif ca.amount != cb.amount:
        return ca.amount > cb.amount
    return str(a.partner_id) < str(b.partner_id)


class ProfitabilityReport(Model):
    """The channel's profitability in a period (渠道费用分析), from [`profitability`][].

    ``rows`` are ranked by contribution; the ``total`` row adds the direct sales and the costs
    without a partner to the rows' figures.
    """

    period: Period
    """The period analysed."""
    currency: CurrencyCode
    """The currency of every amount."""
    rows: tuple[ProfitRow, ...]
    """One row per partner: contribution descending, then id; rows without a contribution
    last, by id."""
    total: ProfitRow
    """The whole channel (``partner_id`` is ``None``)."""
    categories: tuple[tuple[CostCategory, ResultMoney], ...]
    """The total's cost categories by amount descending, then enum order: only categories with
    a cost in the period."""
    negative: tuple[str, ...]
    """The partners whose contribution is below 0, in row order."""

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.total.partner_id is not None:
            msg = f"total must have partner_id None, got {self.total.partner_id!r}"
            raise ValueError(msg)
        seen: set[str | None] = set()
        for i, row in enumerate(self.rows):
            if row.partner_id is None:
                msg = f"rows[{i}] must name a partner: partner_id None is the total's"
                raise ValueError(msg)
            if row.partner_id in seen:
                msg = f"rows[{i}]: partner_id {row.partner_id!r} must name one partner row only"
                raise ValueError(msg)
            seen.add(row.partner_id)
        for i, row in enumerate((*self.rows, self.total)):
            if row.net_sales.currency != self.currency:
                name = "total" if i == len(self.rows) else f"rows[{i}]"
                msg = f"{name} is in {row.net_sales.currency} but the report is in {self.currency}"
                raise ValueError(msg)
        for i in range(1, len(self.rows)):
            if not _before(self.rows[i - 1], self.rows[i]):
                msg = (
                    f"rows must be ordered by contribution descending, then partner id, rows "
                    f"without a contribution last: rows[{i}] ({self.rows[i].partner_id}) is "
                    "out of order"
                )
                raise ValueError(msg)
        negative = tuple(
            str(r.partner_id)
            for r in self.rows
            if r.contribution is not None and r.contribution.amount < 0
        )
        if negative != self.negative:
            msg = f"negative must list the rows with a contribution below 0 {negative}"
            raise ValueError(msg)
        ranked = sorted(in_order(self.total.costs).items(), key=lambda i: i[1].amount, reverse=True)
        if tuple(ranked) != self.categories:
            msg = "categories must be the total's costs by amount descending, then enum order"
            raise ValueError(msg)
        return self

    def explain(self, lang: str = "en") -> str:
        """The period, total net sales and contribution, the top cost category, the losses.

        Every figure it shows is a field of the report.

        Examples
        --------
        >>> import datetime as dt
        >>> r = profitability(
        ...     [Transaction(id="T1", partner_id="D1", date=dt.date(2026, 7, 3), kind="sale",
        ...                  amount=Money(1000, "CNY"), cost=Money(700, "CNY"))],
        ...     Period.quarter(2026, 3),
        ...     costs=[ChannelCost(partner_id="D1", category="marketing",
        ...                        amount=Money(400, "CNY"), date=dt.date(2026, 8, 1))])
        >>> print(r.explain())
        Channel profitability 2026-07-01..2026-10-01 in CNY, 1 partner
        Net sales 1,000.00; gross profit 300.00; contribution -100.00 (margin -10%, ROI -25%)
        Spend 400.00: rebates 0.00, funds 0.00, channel costs 400.00, financing 0.00
        Top cost category: Marketing promotion 400.00
        Negative contribution: D1 -100.00
        >>> print(r.explain("zh").splitlines()[-1])
        贡献为负的伙伴：D1 -100.00
        """
        return explain_report(self, lang)

    def _repr_html_(self) -> str:
        """The rows and the total as an HTML table, for notebooks."""
        return report_html(self)


def profitability(
    transactions: Iterable[Transaction] | TableLike,
    period: Period,
    *,
    costs: Iterable[ChannelCost] = (),
    rebates: Mapping[str, Money] | None = None,
    funds: Mapping[str, Money] | None = None,
    financing_rate: DecimalLike | None = None,
    receivable_days: Mapping[str, DecimalLike] | None = None,
    currency: str | None = None,
) -> ProfitabilityReport:
    r"""Each partner's contribution in a period after what the channel spent on it (渠道费用分析).

    Parameters
    ----------
    transactions
        Sales, returns and payments; only those dated inside ``period`` are read. Any iterable
        of ``Transaction`` (read once), or a table (a
        [`TransactionFrame`][channelkit.frames.TransactionFrame] or any Arrow-compatible table:
        pyarrow, pandas, polars, duckdb), summed in columns to a report equal to that of the
        same rows as models.
    period
        The half-open period analysed.
    costs
        Channel costs; those dated inside ``period`` are read, by partner and category (a cost
        without a partner counts only in the total).
    rebates, funds
        The rebates and incentive funds spent on each partner in the period, as ``Money``, any
        sign (a clawback is negative), each giving the partner a row.
    financing_rate
        The annual cost of money (``0.06`` is 6%), at least 0; ``None``: no financing cost.
    receivable_days
        Each partner's receivable days (its average collection period), at least 0; a partner
        without days has no financing cost.
    currency
        The report's currency: every amount read must be in it. Needed only when nothing is
        read (no transaction or cost in the period, no rebate or fund); otherwise the first
        amount read gives it. It is also the currency of a table without a ``currency``
        column (``frames.transactions(table, currency=...)``).

    Returns
    -------
    ProfitabilityReport
        A row per partner with a transaction or a cost in the period, or a rebate or a fund;
        the total; the categories ranked; the partners with a negative contribution.

    Raises
    ------
    CurrencyMismatchError
        An amount read is in another currency than ``currency`` or the first read (both are
        named, with the transaction's id, ``costs[i]``, ``rebates['P1']`` or ``funds['P1']``).
    ArgumentError
        Nothing is read and ``currency`` is not given; an unknown ``currency``; a negative
        ``financing_rate`` or receivable days; a number or an amount outside the input bounds.
    ArgumentTypeError
        ``period`` is not a ``Period``; ``transactions`` or ``costs`` is not an iterable of
        ``Transaction`` or ``ChannelCost``; ``rebates``, ``funds`` or ``receivable_days`` is
        not a mapping keyed by partner ids (of ``Money``, of numbers); a number is a float.
    FrameError
        ``transactions`` is a table with a row that breaks a rule of ``Transaction``.

    Notes
    -----
    Net sales are those of [`review`][channelkit.review.review]: the sales' amounts minus the
    returns' amounts dated in the period (payments do not count). For a partner $p$:

    $$
    \begin{aligned}
    \text{gross profit} &= \text{net sales} - (\text{cost of sales} - \text{cost of returns}) \\
    \text{financing} &= \operatorname{round}_\text{half-up}\left(
        \text{net sales} \times \text{rate} \times \text{days}_p / 365\right) \\
    \text{spend} &= \text{rebates} + \text{funds} + \textstyle\sum \text{costs}
        + \text{financing} \\
    \text{contribution} &= \text{gross profit} - \text{spend}, \quad
    \text{margin} = \frac{\text{contribution}}{\text{net sales}}, \quad
    \text{ROI} = \frac{\text{contribution}}{\text{spend}}
    \end{aligned}
    $$

    The gross profit is ``None`` when a sale or return in the period lacks its ``cost``, and then
    so are the contribution and both ratios; the margin is ``None`` when net sales are not
    positive, the ROI at zero spend. Negative net sales give a negative financing cost, as the
    formula says. Amounts are exact; only the financing cost is rounded (to the minor unit),
    and the ratios are quotients to 34 significant digits.

    The total row holds every transaction (direct sales too) and every cost (those without a
    partner too); its rebates, funds and financing cost are the rows' sums, and its gross
    profit is ``None`` when any row's is or a direct sale or return lacks its cost.

    Examples
    --------
    >>> import datetime as dt
    >>> from decimal import Decimal
    >>> day, m = dt.date(2026, 7, 15), lambda a: Money(a, "CNY")
    >>> txs = [
    ...     Transaction(id="T1", partner_id="D1", date=day, kind="sale", amount=m(100_000),
    ...                 cost=m(70_000)),
    ...     Transaction(id="T2", partner_id="D1", date=day, kind="return", amount=m(10_000),
    ...                 cost=m(7_000)),
    ...     Transaction(id="T3", partner_id="D2", date=day, kind="sale", amount=m(40_000),
    ...                 cost=m(34_000))]
    >>> costs = [ChannelCost(partner_id="D1", category="marketing", amount=m(5_000), date=day),
    ...          ChannelCost(partner_id="D2", category="logistics", amount=m(6_000), date=day)]
    >>> r = profitability(txs, Period.quarter(2026, 3), costs=costs, rebates={"D1": m(2_700)},
    ...                   funds={"D2": m(1_500)}, financing_rate=Decimal("0.06"),
    ...                   receivable_days={"D1": 60})
    >>> d1 = r.rows[0]
    >>> d1.gross_profit, d1.financing_cost, d1.spend
    (Money('27000', 'CNY'), Money('887.67', 'CNY'), Money('8587.67', 'CNY'))
    >>> d1.contribution, d1.contribution_margin.quantize(Decimal("0.0001"))
    (Money('18412.33', 'CNY'), Decimal('0.2046'))
    >>> r.negative, r.total.contribution
    (('D2',), Money('16912.33', 'CNY'))
    >>> [(cat.label(), amount) for cat, amount in r.categories]
    [('Logistics', Money('6000', 'CNY')), ('Marketing promotion', Money('5000', 'CNY'))]
    """
    period = check_period(period)
    expected = read_currency(currency)
    cost_list = read_costs(costs)
    given_rebates = read_money_map(rebates, "rebates")
    given_funds = read_money_map(funds, "funds")
    rate = read_rate(financing_rate)
    days = read_days(receivable_days)
    if is_table(transactions):
        from channelkit.incentives._profit_columnar import frame_sums, read_frame

        sums = frame_sums(read_frame(transactions, expected), period, expected)
    else:
        items = iterate(transactions, "transactions", "Transaction models")
        sums = model_sums(items, period, expected)
    cur, partner_costs, total_costs = cost_sums(cost_list, period, sums.currency)
    cur, rebate_amounts = read_given(given_rebates, "rebates", cur)
    cur, fund_amounts = read_given(given_funds, "funds", cur)
    if cur is None:
        raise no_currency()
    parts = assemble(
        cur, sums, partner_costs, total_costs, rebate_amounts, fund_amounts, rate, days
    )
    return trusted(
        ProfitabilityReport,
        {
            "period": period,
            "currency": cur,
            "rows": tuple(trusted(ProfitRow, values) for values in parts.rows),
            "total": trusted(ProfitRow, parts.total),
            "categories": tuple(parts.categories),
            "negative": tuple(parts.negative),
        },
    )
