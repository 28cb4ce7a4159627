r"""Channel and customer KPIs: collections, sell-through, growth, attainment, share, funnel.

These are the figures of a channel review (渠道绩效评估) and of partner scorecards. Amounts are
plain numbers or ``Money`` of one currency; counts (leads, customers, units) are plain numbers.
A denominator must be positive, else [`UndefinedRatioError`][]; results are
exact fractions (``Decimal('0.95')`` is 95%).
"""

from __future__ import annotations

from decimal import Decimal

from channelkit.errors import ArgumentError
from channelkit.kpi._core import (
    Amount,
    amounts,
    divide,
    plain,
    plain_form,
    ratio,
    require_positive,
)
from channelkit.numeric import CONTEXT, DecimalLike, decimal_text

__all__ = [
    "collection_rate",
    "sell_through",
    "fill_rate",
    "growth_rate",
    "attainment",
    "market_share",
    "conversion_rate",
    "customer_acquisition_cost",
    "customer_lifetime_value",
    "retention_rate",
    "churn_rate",
]

_ONE = Decimal(1)


@ratio("Collection rate", "回款率", form="percent")
def collection_rate(collected: Amount, due: Amount) -> Decimal:
    r"""Collection rate (回款率): what was collected over what was due in the period.

    Parameters
    ----------
    collected
        Payments received in the period.
    due
        Receivables falling due in the period (or, the simpler variant many channel reviews
        use, the period's net sales).

    Returns
    -------
    Decimal
        The rate as a fraction, exact; above 1 when old arrears were also collected.

    Raises
    ------
    UndefinedRatioError
        When ``due`` is 0 or negative (nothing was due: the rate says nothing).

    Notes
    -----
    $$
    \text{collection rate} = \frac{\text{collected}}{\text{due}}
    $$

    Examples
    --------
    >>> from channelkit import Money
    >>> collection_rate(Money(380_000, "CNY"), Money(400_000, "CNY"))
    Decimal('0.95')
    """
    c, d = amounts("collection_rate", ("collected", "due"), (collected, due))
    return divide("collection_rate", c, d, "due")


@ratio("Sell-through rate", "售罄率", form="percent")
def sell_through(units_sold: Amount, units_received: Amount) -> Decimal:
    r"""Sell-through rate (售罄率): what a partner sold on over what it received.

    Parameters
    ----------
    units_sold
        Units sold to end customers in the period (or their value, for the value variant).
    units_received
        Units received from the vendor in the period (or their value); a variant adds the
        opening stock (pass ``opening + received``).

    Returns
    -------
    Decimal
        The rate as a fraction, exact.

    Raises
    ------
    UndefinedRatioError
        When ``units_received`` is 0 or negative.

    Notes
    -----
    $$
    \text{sell-through} = \frac{\text{units sold}}{\text{units received}}
    $$

    Examples
    --------
    >>> sell_through(180, 240)
    Decimal('0.75')
    """
    s, r = amounts("sell_through", ("units_sold", "units_received"), (units_sold, units_received))
    return divide("sell_through", s, r, "units_received")


@ratio("Fill rate", "订单满足率", form="percent")
def fill_rate(shipped: Amount, ordered: Amount) -> Decimal:
    r"""Fill rate (订单满足率): what was shipped over what was ordered.

    Parameters
    ----------
    shipped, ordered
        Units (or lines, or value) shipped and ordered, on one basis.

    Returns
    -------
    Decimal
        The rate as a fraction, exact.

    Raises
    ------
    UndefinedRatioError
        When ``ordered`` is 0 or negative.

    Notes
    -----
    $$
    \text{fill rate} = \frac{\text{shipped}}{\text{ordered}}
    $$

    Examples
    --------
    >>> fill_rate(485, 500)
    Decimal('0.97')
    """
    s, o = amounts("fill_rate", ("shipped", "ordered"), (shipped, ordered))
    return divide("fill_rate", s, o, "ordered")


@ratio("Growth rate", "增长率", form="percent")
def growth_rate(current: Amount, prior: Amount) -> Decimal:
    r"""Growth rate (增长率): the change over the prior period, relative to the prior period.

    Parameters
    ----------
    current, prior
        The figure of this period and of the comparison period (the same period a year
        earlier for year-on-year growth 同比, the previous period for 环比).

    Returns
    -------
    Decimal
        The growth as a fraction, exact (``-0.2`` is a 20% decline; ``-1`` is down to zero).

    Raises
    ------
    UndefinedRatioError
        When ``prior`` is 0 (growth from nothing is not a rate) or negative (the sign would
        invert: a loss shrinking to a smaller loss would show as a decline).

    Notes
    -----
    $$
    g = \frac{\text{current} - \text{prior}}{\text{prior}}
    $$

    Examples
    --------
    >>> growth_rate(120, 100)
    Decimal('0.2')
    >>> growth_rate(1, 0)
    Traceback (most recent call last):
    channelkit.errors.UndefinedRatioError: growth_rate is undefined: prior is 0
    """
    c, p = amounts("growth_rate", ("current", "prior"), (current, prior))
    return divide("growth_rate", CONTEXT.subtract(c, p), p, "prior")


@ratio("Target attainment", "目标达成率", form="percent")
def attainment(actual: Amount, target: Amount) -> Decimal:
    r"""Target attainment (目标达成率): actual over target.

    Parameters
    ----------
    actual, target
        The figure achieved and the figure targeted, on one basis.

    Returns
    -------
    Decimal
        The attainment as a fraction, exact (not capped: 1.25 is 125%).

    Raises
    ------
    UndefinedRatioError
        When ``target`` is 0 or negative.

    Notes
    -----
    $$
    \text{attainment} = \frac{\text{actual}}{\text{target}}
    $$

    Examples
    --------
    >>> attainment(1_100_000, 1_000_000)
    Decimal('1.1')
    """
    a, t = amounts("attainment", ("actual", "target"), (actual, target))
    return divide("attainment", a, t, "target")


@ratio("Market share", "市场占有率", form="percent")
def market_share(sales: Amount, market_sales: Amount) -> Decimal:
    r"""Market share (市场占有率): own sales over the whole market's sales.

    Parameters
    ----------
    sales
        The vendor's (or a partner's) sales in the market.
    market_sales
        The whole market's sales in the same territory and period, on the same basis (value or
        units).

    Returns
    -------
    Decimal
        The share as a fraction, exact.

    Raises
    ------
    UndefinedRatioError
        When ``market_sales`` is 0 or negative.

    Notes
    -----
    $$
    \text{share} = \frac{\text{sales}}{\text{market sales}}
    $$

    Variant: the relative share divides by the largest rival's sales instead.

    Examples
    --------
    >>> market_share(30, 120)
    Decimal('0.25')
    """
    s, m = amounts("market_share", ("sales", "market_sales"), (sales, market_sales))
    return divide("market_share", s, m, "market_sales")


@ratio("Conversion rate", "转化率", form="percent")
def conversion_rate(converted: Amount, leads: Amount) -> Decimal:
    r"""Conversion rate (转化率): leads (or registered deals) won over leads received.

    Parameters
    ----------
    converted, leads
        Counts of the period (or their value, on one basis).

    Returns
    -------
    Decimal
        The rate as a fraction, exact.

    Raises
    ------
    UndefinedRatioError
        When ``leads`` is 0 or negative.

    Notes
    -----
    $$
    \text{conversion} = \frac{\text{converted}}{\text{leads}}
    $$

    Examples
    --------
    >>> conversion_rate(12, 80)
    Decimal('0.15')
    """
    c, n = amounts("conversion_rate", ("converted", "leads"), (converted, leads))
    return divide("conversion_rate", c, n, "leads")


@ratio("Customer acquisition cost", "获客成本")
def customer_acquisition_cost(spend: Amount, new_customers: DecimalLike) -> Decimal:
    r"""Customer acquisition cost (获客成本): marketing and sales spend per new customer.

    Parameters
    ----------
    spend
        What acquiring customers cost in the period: a number or ``Money``.
    new_customers
        New customers won in the period: a plain count.

    Returns
    -------
    Decimal
        The cost per customer, exact, in the currency of ``spend`` (a ``Decimal``, as every
        ratio: round it to the currency's minor unit for display).

    Raises
    ------
    UndefinedRatioError
        When ``new_customers`` is 0 or negative.
    ArgumentTypeError
        When ``new_customers`` is ``Money`` or a float (a ``TypeError``).

    Notes
    -----
    $$
    \text{CAC} = \frac{\text{spend}}{\text{new customers}}
    $$

    Examples
    --------
    >>> from channelkit import Money
    >>> customer_acquisition_cost(Money(90_000, "CNY"), 40)
    Decimal('2250')
    """
    (s,) = amounts("customer_acquisition_cost", ("spend",), (spend,))
    n = plain(new_customers, "new_customers")
    return divide("customer_acquisition_cost", s, n, "new_customers")


@ratio("Customer lifetime value", "客户终身价值")
def customer_lifetime_value(
    revenue_per_period: Amount, margin: DecimalLike, churn_rate: DecimalLike
) -> Decimal:
    r"""Customer lifetime value (客户终身价值): margin earned over a customer's expected life.

    Parameters
    ----------
    revenue_per_period
        Average revenue per customer per period: a number or ``Money``.
    margin
        Gross margin as a fraction (``0.3`` for 30%).
    churn_rate
        Share of customers lost per period, a fraction in ``(0, 1]``; the expected life is
        ``1 / churn_rate`` periods.

    Returns
    -------
    Decimal
        The value, exact, in the currency of ``revenue_per_period``.

    Raises
    ------
    UndefinedRatioError
        When ``churn_rate`` is 0 (an infinite life) or negative.
    ArgumentError
        When ``churn_rate`` is above 1 (a ``ValueError``).

    Notes
    -----
    $$
    \text{CLV} = \frac{\text{revenue per period} \times \text{margin}}{\text{churn}}
    $$

    The simple, undiscounted model; a discounted variant divides by
    $\text{churn} + \text{discount rate}$ (pass their sum as ``churn_rate``).

    Examples
    --------
    >>> customer_lifetime_value(1_000, "0.3", "0.05")
    Decimal('6000')
    """
    (r,) = amounts("customer_lifetime_value", ("revenue_per_period",), (revenue_per_period,))
    m = plain(margin, "margin")
    c = plain(churn_rate, "churn_rate")
    require_positive("customer_lifetime_value", "churn_rate", c)
    if c > _ONE:
        msg = f"churn_rate is a fraction of customers per period, at most 1, got {decimal_text(c)}"
        raise ArgumentError(msg, argument="churn_rate", value=c)
    return plain_form(CONTEXT.divide(CONTEXT.multiply(r, m), c))


@ratio("Retention rate", "客户留存率", form="percent")
def retention_rate(start: Amount, end: Amount, new: Amount) -> Decimal:
    r"""Customer retention rate (客户留存率): customers kept over customers at the start.

    Parameters
    ----------
    start, end
        Customers (or partners) at the start and at the end of the period.
    new
        Customers gained during the period (not counted as retained).

    Returns
    -------
    Decimal
        The rate as a fraction, exact.

    Raises
    ------
    UndefinedRatioError
        When ``start`` is 0 or negative.

    Notes
    -----
    $$
    \text{retention} = \frac{\text{end} - \text{new}}{\text{start}}
    $$

    Examples
    --------
    >>> retention_rate(200, 210, 30)
    Decimal('0.9')
    """
    s, e, n = amounts("retention_rate", ("start", "end", "new"), (start, end, new))
    return divide("retention_rate", CONTEXT.subtract(e, n), s, "start")


@ratio("Churn rate", "客户流失率", form="percent")
def churn_rate(lost: Amount, start: Amount) -> Decimal:
    r"""Churn rate (客户流失率): customers lost over customers at the start.

    Parameters
    ----------
    lost, start
        Customers (or partners) lost during the period, and those at its start.

    Returns
    -------
    Decimal
        The rate as a fraction, exact.

    Raises
    ------
    UndefinedRatioError
        When ``start`` is 0 or negative.

    Notes
    -----
    $$
    \text{churn} = \frac{\text{lost}}{\text{start}}
    $$

    Without customers gained and lost at once it is ``1 - retention_rate``.

    Examples
    --------
    >>> churn_rate(20, 200)
    Decimal('0.1')
    """
    lo, s = amounts("churn_rate", ("lost", "start"), (lost, start))
    return divide("churn_rate", lo, s, "start")
