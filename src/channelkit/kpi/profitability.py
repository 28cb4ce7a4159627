r"""Profitability ratios (盈利能力): margins and returns.

Incomes may be negative (a loss gives a negative margin or return); a denominator must be
positive, else [`UndefinedRatioError`][]. Results are exact fractions
(``Decimal('0.25')`` is 25%).
"""

from __future__ import annotations

from decimal import Decimal

from channelkit.kpi._core import Amount, amounts, divide, ratio
from channelkit.numeric import CONTEXT

__all__ = [
    "gross_margin",
    "net_margin",
    "return_on_assets",
    "return_on_equity",
    "expense_profit_ratio",
    "return_on_investment",
]


@ratio("Gross margin", "毛利率", form="percent")
def gross_margin(net_sales: Amount, cogs: Amount) -> Decimal:
    r"""Gross margin (毛利率): gross profit as a fraction of net sales.

    Parameters
    ----------
    net_sales, cogs
        Net sales and cost of goods sold of the period: plain numbers, or ``Money`` of one
        currency.

    Returns
    -------
    Decimal
        The margin as a fraction, exact.

    Raises
    ------
    UndefinedRatioError
        When ``net_sales`` is 0 or negative.

    Notes
    -----
    $$
    \text{gross margin} = \frac{\text{net sales} - \text{COGS}}{\text{net sales}}
    $$

    Examples
    --------
    Apple, fiscal 2023 10-K ($ millions): net sales 383,285, cost of sales 214,137:

    >>> gross_margin(383_285, 214_137).quantize(Decimal("0.0001"))
    Decimal('0.4413')
    """
    ns, c = amounts("gross_margin", ("net_sales", "cogs"), (net_sales, cogs))
    return divide("gross_margin", CONTEXT.subtract(ns, c), ns, "net_sales")


@ratio("Net profit margin", "销售利润率", form="percent")
def net_margin(net_income: Amount, net_sales: Amount) -> Decimal:
    r"""Net profit margin (销售利润率, 净利润边际): after-tax profit over net sales.

    Parameters
    ----------
    net_income
        After-tax profit of the period (negative for a loss).
    net_sales
        Net sales of the period.

    Returns
    -------
    Decimal
        The margin as a fraction, exact.

    Raises
    ------
    UndefinedRatioError
        When ``net_sales`` is 0 or negative.

    Notes
    -----
    $$
    \text{net margin} = \frac{\text{net income}}{\text{net sales}}
    $$

    Variant: the operating margin passes operating income as ``net_income``.

    Examples
    --------
    >>> net_margin(96_995, 383_285).quantize(Decimal("0.0001"))
    Decimal('0.2531')
    >>> net_margin(-50, 1_000)
    Decimal('-0.05')
    """
    ni, ns = amounts("net_margin", ("net_income", "net_sales"), (net_income, net_sales))
    return divide("net_margin", ni, ns, "net_sales")


@ratio("Return on assets", "资产回报比率", form="percent")
def return_on_assets(net_income: Amount, total_assets: Amount) -> Decimal:
    r"""Return on assets (资产回报比率): after-tax profit over total assets.

    Parameters
    ----------
    net_income
        After-tax profit of the period (negative for a loss).
    total_assets
        Total assets at the period's end (default), or [`average`][] of opening and closing.

    Returns
    -------
    Decimal
        The return as a fraction, exact.

    Raises
    ------
    UndefinedRatioError
        When ``total_assets`` is 0 or negative.

    Notes
    -----
    $$
    \text{ROA} = \frac{\text{net income}}{\text{total assets}}
    $$

    Variants: ending balance (the domain brief's definition) or average balance.

    Examples
    --------
    >>> return_on_assets(96_995, 352_583).quantize(Decimal("0.0001"))
    Decimal('0.2751')
    """
    ni, ta = amounts("return_on_assets", ("net_income", "total_assets"), (net_income, total_assets))
    return divide("return_on_assets", ni, ta, "total_assets")


@ratio("Return on equity", "净资产回报比率", form="percent")
def return_on_equity(net_income: Amount, equity: Amount) -> Decimal:
    r"""Return on equity (净资产回报比率): after-tax profit over net assets.

    Parameters
    ----------
    net_income
        After-tax profit of the period (negative for a loss).
    equity
        Shareholders' equity at the period's end (default), or [`average`][] of opening and
        closing.

    Returns
    -------
    Decimal
        The return as a fraction, exact.

    Raises
    ------
    UndefinedRatioError
        When ``equity`` is 0 or negative (a loss over a deficit would show a positive return).

    Notes
    -----
    $$
    \text{ROE} = \frac{\text{net income}}{\text{equity}}
    $$

    Examples
    --------
    >>> return_on_equity(96_995, 62_146).quantize(Decimal("0.0001"))
    Decimal('1.5608')
    """
    ni, eq = amounts("return_on_equity", ("net_income", "equity"), (net_income, equity))
    return divide("return_on_equity", ni, eq, "equity")


@ratio("Expense profit ratio", "费用利润率", form="percent")
def expense_profit_ratio(profit: Amount, expenses: Amount) -> Decimal:
    r"""Expense profit ratio (费用利润率): after-tax profit per unit of total expenses.

    Parameters
    ----------
    profit
        After-tax profit of the period (negative for a loss).
    expenses
        Total expenses of the period.

    Returns
    -------
    Decimal
        The ratio, exact.

    Raises
    ------
    UndefinedRatioError
        When ``expenses`` is 0 or negative.

    Notes
    -----
    $$
    \text{expense profit ratio} = \frac{\text{profit}}{\text{expenses}}
    $$

    The source material's definition; a variant uses the profit before tax (pass it as
    ``profit``).

    Examples
    --------
    >>> expense_profit_ratio(120_000, 800_000)
    Decimal('0.15')
    """
    p, e = amounts("expense_profit_ratio", ("profit", "expenses"), (profit, expenses))
    return divide("expense_profit_ratio", p, e, "expenses")


@ratio("Return on investment", "投资回报率", form="percent")
def return_on_investment(gain: Amount, cost: Amount) -> Decimal:
    r"""Return on investment (投资回报率): the net gain per unit invested.

    Parameters
    ----------
    gain
        What the investment returned in total (revenue or value gained, not the net gain).
    cost
        What it cost.

    Returns
    -------
    Decimal
        The return as a fraction, exact (negative when ``gain < cost``).

    Raises
    ------
    UndefinedRatioError
        When ``cost`` is 0 or negative.

    Notes
    -----
    $$
    \text{ROI} = \frac{\text{gain} - \text{cost}}{\text{cost}}
    $$

    Examples
    --------
    A co-marketing fund of 50,000 that brought 65,000 of gross profit:

    >>> return_on_investment(65_000, 50_000)
    Decimal('0.3')
    """
    g, c = amounts("return_on_investment", ("gain", "cost"), (gain, cost))
    return divide("return_on_investment", CONTEXT.subtract(g, c), c, "cost")
