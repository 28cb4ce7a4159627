r"""Activity ratios (营运能力): turnovers, days outstanding and the cash conversion cycle.

A turnover divides a flow of the period (sales, COGS) by a balance; the balance is the ending one
by default, or [`average`][] of opening and closing. Days ratios take
``days=365`` by default (``360`` for the banker's year, or the days of a shorter period).
Denominators must be positive, else [`UndefinedRatioError`][].
"""

from __future__ import annotations

from decimal import Decimal

from channelkit.kpi._core import (
    Amount,
    amounts,
    divide,
    plain,
    plain_form,
    positive_days,
    ratio,
)
from channelkit.numeric import CONTEXT, DecimalLike

__all__ = [
    "asset_turnover",
    "inventory_turnover",
    "receivables_turnover",
    "days_sales_outstanding",
    "days_inventory_outstanding",
    "days_payables_outstanding",
    "cash_conversion_cycle",
]


@ratio("Asset turnover", "资金周转率")
def asset_turnover(net_sales: Amount, total_assets: Amount) -> Decimal:
    r"""Asset turnover (资金周转率): sales revenue per unit of total assets employed.

    Parameters
    ----------
    net_sales
        Net sales of the period.
    total_assets
        Total assets at the period's end (default), or [`average`][] of opening and closing.

    Returns
    -------
    Decimal
        Times per period, exact.

    Raises
    ------
    UndefinedRatioError
        When ``total_assets`` is 0 or negative.

    Notes
    -----
    $$
    \text{asset turnover} = \frac{\text{net sales}}{\text{total assets}}
    $$

    Examples
    --------
    >>> asset_turnover(383_285, 352_583).quantize(Decimal("0.01"))
    Decimal('1.09')
    """
    ns, ta = amounts("asset_turnover", ("net_sales", "total_assets"), (net_sales, total_assets))
    return divide("asset_turnover", ns, ta, "total_assets")


@ratio("Inventory turnover", "存货周转率")
def inventory_turnover(flow: Amount, average_inventory: Amount) -> Decimal:
    r"""Inventory turnover (存货周转率): how many times the inventory is sold in the period.

    Parameters
    ----------
    flow
        Annual net sales (the domain brief's definition) or cost of goods sold (the common
        alternative): the caller chooses by what it passes.
    average_inventory
        [`average`][] of opening and closing inventory, or the ending inventory when no opening
        figure is known.

    Returns
    -------
    Decimal
        Times per period, exact.

    Raises
    ------
    UndefinedRatioError
        When ``average_inventory`` is 0 or negative.

    Notes
    -----
    $$
    \text{inventory turnover} = \frac{\text{net sales}}{\overline{\text{inventory}}}
    \quad\text{or}\quad \frac{\text{COGS}}{\overline{\text{inventory}}}
    $$

    The sales-based figure is higher than the COGS-based one by the markup; compare partners
    on one basis only.

    Examples
    --------
    Apple, fiscal 2023 ($ millions), COGS over the average of 4,946 and 6,331:

    >>> from channelkit.kpi import average
    >>> inventory_turnover(214_137, average(4_946, 6_331)).quantize(Decimal("0.01"))
    Decimal('37.98')
    """
    f, inv = amounts("inventory_turnover", ("flow", "average_inventory"), (flow, average_inventory))
    return divide("inventory_turnover", f, inv, "average_inventory")


@ratio("Receivables turnover", "应收账款周转率")
def receivables_turnover(net_sales: Amount, receivables: Amount) -> Decimal:
    r"""Receivables turnover (应收账款周转率): how many times receivables are collected.

    Parameters
    ----------
    net_sales
        Net (credit) sales of the period.
    receivables
        Accounts receivable at the end (default), or [`average`][] of opening and closing.

    Returns
    -------
    Decimal
        Times per period, exact.

    Raises
    ------
    UndefinedRatioError
        When ``receivables`` is 0 or negative.

    Notes
    -----
    $$
    \text{receivables turnover} = \frac{\text{net sales}}{\text{receivables}}
    $$

    Examples
    --------
    >>> receivables_turnover(1_200_000, 150_000)
    Decimal('8')
    """
    ns, ar = amounts("receivables_turnover", ("net_sales", "receivables"), (net_sales, receivables))
    return divide("receivables_turnover", ns, ar, "receivables")


@ratio("Days sales outstanding", "应收账款周期", form="days")
def days_sales_outstanding(
    receivables: Amount, net_sales: Amount, *, days: DecimalLike = 365
) -> Decimal:
    r"""Days sales outstanding (应收账款周期): receivables in days of sales.

    Parameters
    ----------
    receivables
        Accounts receivable at the end (default), or [`average`][] of opening and closing.
    net_sales
        Net sales of the period the ``days`` cover.
    days
        Days in the period: 365 (default, the domain brief's), 360 (banker's year), or the
        days of a shorter period (90 for a quarter's sales).

    Returns
    -------
    Decimal
        Days, exact.

    Raises
    ------
    UndefinedRatioError
        When ``net_sales`` is 0 or negative.
    ArgumentError
        When ``days`` is not positive (a ``ValueError``).

    Notes
    -----
    $$
    \text{DSO} = \frac{\text{receivables}}{\text{net sales}} \times \text{days}
    $$

    Examples
    --------
    >>> days_sales_outstanding(150_000, 1_200_000)
    Decimal('45.625')
    >>> days_sales_outstanding(150_000, 1_200_000, days=360)
    Decimal('45')
    """
    ar, ns = amounts(
        "days_sales_outstanding", ("receivables", "net_sales"), (receivables, net_sales)
    )
    d = positive_days(days)
    return divide("days_sales_outstanding", CONTEXT.multiply(ar, d), ns, "net_sales")


@ratio("Days inventory outstanding", "存货周转天数", form="days")
def days_inventory_outstanding(
    inventory: Amount, cogs: Amount, *, days: DecimalLike = 365
) -> Decimal:
    r"""Days inventory outstanding (存货周转天数): inventory in days of cost of sales.

    Parameters
    ----------
    inventory
        Inventory at the end (default), or [`average`][] of opening and closing.
    cogs
        Cost of goods sold of the period the ``days`` cover (the standard basis; pass net
        sales for the sales-based variant).
    days
        Days in the period: 365 (default), 360, or the days of a shorter period.

    Returns
    -------
    Decimal
        Days, exact.

    Raises
    ------
    UndefinedRatioError
        When ``cogs`` is 0 or negative.
    ArgumentError
        When ``days`` is not positive (a ``ValueError``).

    Notes
    -----
    $$
    \text{DIO} = \frac{\text{inventory}}{\text{COGS}} \times \text{days}
    $$

    Examples
    --------
    >>> days_inventory_outstanding(6_331, 214_137).quantize(Decimal("0.01"))
    Decimal('10.79')
    """
    inv, c = amounts("days_inventory_outstanding", ("inventory", "cogs"), (inventory, cogs))
    d = positive_days(days)
    return divide("days_inventory_outstanding", CONTEXT.multiply(inv, d), c, "cogs")


@ratio("Days payables outstanding", "应付账款周转天数", form="days")
def days_payables_outstanding(
    accounts_payable: Amount, cogs: Amount, *, days: DecimalLike = 365
) -> Decimal:
    r"""Days payables outstanding (应付账款周转天数): payables in days of cost of sales.

    Parameters
    ----------
    accounts_payable
        Accounts payable at the end (default), or [`average`][] of opening and closing.
    cogs
        Cost of goods sold of the period (the usual proxy for purchases; pass purchases for
        the purchases-based variant).
    days
        Days in the period: 365 (default), 360, or the days of a shorter period.

    Returns
    -------
    Decimal
        Days, exact.

    Raises
    ------
    UndefinedRatioError
        When ``cogs`` is 0 or negative.
    ArgumentError
        When ``days`` is not positive (a ``ValueError``).

    Notes
    -----
    $$
    \text{DPO} = \frac{\text{accounts payable}}{\text{COGS}} \times \text{days}
    $$

    Examples
    --------
    >>> days_payables_outstanding(62_611, 214_137).quantize(Decimal("0.01"))
    Decimal('106.72')
    """
    ap, c = amounts(
        "days_payables_outstanding", ("accounts_payable", "cogs"), (accounts_payable, cogs)
    )
    d = positive_days(days)
    return divide("days_payables_outstanding", CONTEXT.multiply(ap, d), c, "cogs")


@ratio("Cash conversion cycle", "现金转换周期", form="days")
def cash_conversion_cycle(dio: DecimalLike, dso: DecimalLike, dpo: DecimalLike) -> Decimal:
    r"""Cash conversion cycle (现金转换周期): days from paying suppliers to collecting customers.

    Parameters
    ----------
    dio, dso, dpo
        Days inventory, sales and payables outstanding (plain numbers of days, computed on one
        ``days`` basis).

    Returns
    -------
    Decimal
        Days, exact; negative when suppliers finance the whole cycle.

    Raises
    ------
    ArgumentTypeError
        When an argument is ``Money`` or a float: the inputs are days, not amounts (a
        ``TypeError``).

    Notes
    -----
    $$
    \text{CCC} = \text{DIO} + \text{DSO} - \text{DPO}
    $$

    A sum, not a ratio: it has no denominator and is never undefined.

    Examples
    --------
    >>> cash_conversion_cycle(30, 45, 60)
    Decimal('15')
    """
    return cycle(plain(dio, "dio"), plain(dso, "dso"), plain(dpo, "dpo"))


def cycle(dio: Decimal, dso: Decimal, dpo: Decimal) -> Decimal:
    """[`cash_conversion_cycle`][] of days already computed, such as a report's own ratios.

    Not read as arguments: a days ratio of a tiny denominator may exceed the input bounds.
    """
    return plain_form(CONTEXT.subtract(CONTEXT.add(dio, dso), dpo))
