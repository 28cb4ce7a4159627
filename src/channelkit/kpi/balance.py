r"""Balance-sheet ratios: liquidity (流动性) and leverage (偿债能力), and the average balance.

Each function takes amounts as plain numbers or as ``Money`` of one currency and returns an exact
``Decimal`` (not rounded). A ratio is defined only for a positive denominator: zero or a negative
denominator raises [`UndefinedRatioError`][].
"""

from __future__ import annotations

from decimal import Decimal
from typing import overload

from channelkit.kpi._core import Amount, amounts, divide, plain_form, ratio
from channelkit.money import Money
from channelkit.numeric import CONTEXT, DecimalLike

__all__ = [
    "current_ratio",
    "quick_ratio",
    "cash_ratio",
    "debt_to_equity",
    "debt_ratio",
    "average",
]

_TWO = Decimal(2)


@ratio("Current ratio", "流动比率")
def current_ratio(current_assets: Amount, current_liabilities: Amount) -> Decimal:
    r"""Current ratio (流动比率): current assets over current liabilities.

    Parameters
    ----------
    current_assets, current_liabilities
        Balance-sheet totals: plain numbers, or ``Money`` of one currency.

    Returns
    -------
    Decimal
        The ratio, exact (round it for display).

    Raises
    ------
    UndefinedRatioError
        When ``current_liabilities`` is 0 or negative.

    Notes
    -----
    $$
    \text{current ratio} = \frac{\text{current assets}}{\text{current liabilities}}
    $$

    Point-in-time balances: the ending balance sheet is the usual basis (an average of opening
    and closing is possible by passing [`average`][] of each).

    Examples
    --------
    Apple, fiscal 2023 10-K ($ millions):

    >>> current_ratio(143_566, 145_308).quantize(Decimal("0.01"))
    Decimal('0.99')
    >>> from channelkit import Money
    >>> current_ratio(Money(300, "CNY"), Money(200, "CNY"))
    Decimal('1.5')
    """
    ca, cl = amounts(
        "current_ratio",
        ("current_assets", "current_liabilities"),
        (current_assets, current_liabilities),
    )
    return divide("current_ratio", ca, cl, "current_liabilities")


@ratio("Quick ratio", "速动比率")
def quick_ratio(current_assets: Amount, inventory: Amount, current_liabilities: Amount) -> Decimal:
    r"""Quick ratio (速动比率, acid-test): liquid assets over current liabilities.

    Parameters
    ----------
    current_assets, inventory, current_liabilities
        Balance-sheet figures: plain numbers, or ``Money`` of one currency.

    Returns
    -------
    Decimal
        The ratio, exact.

    Raises
    ------
    UndefinedRatioError
        When ``current_liabilities`` is 0 or negative.

    Notes
    -----
    $$
    \text{quick} = \frac{\text{current assets} - \text{inventory}}
    {\text{current liabilities}}
    $$

    The source material's definition. Some analysts also subtract prepaid expenses, or count
    only cash, short-term investments and receivables: pass the adjusted figure as
    ``current_assets`` (or as ``inventory``, the amount to exclude).

    Examples
    --------
    Apple, fiscal 2023 10-K ($ millions):

    >>> quick_ratio(143_566, 6_331, 145_308).quantize(Decimal("0.0001"))
    Decimal('0.9444')
    """
    ca, inv, cl = amounts(
        "quick_ratio",
        ("current_assets", "inventory", "current_liabilities"),
        (current_assets, inventory, current_liabilities),
    )
    return divide("quick_ratio", CONTEXT.subtract(ca, inv), cl, "current_liabilities")


@ratio("Cash ratio", "现金比率")
def cash_ratio(
    cash: Amount, current_liabilities: Amount, *, short_term_investments: Amount = 0
) -> Decimal:
    r"""Cash ratio (现金比率): cash and marketable securities over current liabilities.

    Parameters
    ----------
    cash, current_liabilities
        Cash and cash equivalents, and total current liabilities.
    short_term_investments
        Marketable securities counted as liquid (default 0: cash alone). A plain ``0`` goes
        with ``Money`` arguments.

    Returns
    -------
    Decimal
        The ratio, exact.

    Raises
    ------
    UndefinedRatioError
        When ``current_liabilities`` is 0 or negative.

    Notes
    -----
    $$
    \text{cash ratio} = \frac{\text{cash} + \text{short-term investments}}
    {\text{current liabilities}}
    $$

    The strict variant counts cash only (leave ``short_term_investments`` at 0).

    Examples
    --------
    Apple, fiscal 2023 10-K ($ millions): cash 29,965, current marketable securities 31,590:

    >>> cash_ratio(29_965, 145_308, short_term_investments=31_590).quantize(Decimal("0.01"))
    Decimal('0.42')
    >>> cash_ratio(29_965, 145_308).quantize(Decimal("0.01"))
    Decimal('0.21')
    """
    c, cl, sti = amounts(
        "cash_ratio",
        ("cash", "current_liabilities", "short_term_investments"),
        (cash, current_liabilities, short_term_investments),
    )
    return divide("cash_ratio", CONTEXT.add(c, sti), cl, "current_liabilities")


@ratio("Debt to equity", "总负债对净资产比率")
def debt_to_equity(total_liabilities: Amount, equity: Amount) -> Decimal:
    r"""Debt to equity (总负债对净资产比率): total liabilities over net assets.

    Parameters
    ----------
    total_liabilities
        Total liabilities (the default, as the domain brief defines it), or interest-bearing
        debt for the debt-based variant.
    equity
        Shareholders' equity (net assets, 净资产).

    Returns
    -------
    Decimal
        The ratio, exact.

    Raises
    ------
    UndefinedRatioError
        When ``equity`` is 0 or negative: with a deficit the ratio would be negative and read as
        *low* leverage, so it is reported as undefined (analysts write "n/m").

    Notes
    -----
    $$
    \text{D/E} = \frac{\text{total liabilities}}{\text{equity}}
    $$

    Variant: many analysts use interest-bearing debt only,
    $\text{debt} / \text{equity}$; pass ``debt`` as the first argument.

    Examples
    --------
    Apple, fiscal 2023 10-K ($ millions): total liabilities 290,437, equity 62,146:

    >>> debt_to_equity(290_437, 62_146).quantize(Decimal("0.01"))
    Decimal('4.67')
    """
    tl, eq = amounts("debt_to_equity", ("total_liabilities", "equity"), (total_liabilities, equity))
    return divide("debt_to_equity", tl, eq, "equity")


@ratio("Debt ratio", "资产负债率", form="percent")
def debt_ratio(total_liabilities: Amount, total_assets: Amount) -> Decimal:
    r"""Debt ratio (资产负债率): total liabilities over total assets.

    Parameters
    ----------
    total_liabilities
        Total liabilities (default), or interest-bearing debt for the debt-based variant.
    total_assets
        Total assets.

    Returns
    -------
    Decimal
        The ratio, exact (a fraction: 0.82 is 82%).

    Raises
    ------
    UndefinedRatioError
        When ``total_assets`` is 0 or negative.

    Notes
    -----
    $$
    \text{debt ratio} = \frac{\text{total liabilities}}{\text{total assets}}
    $$

    Variant: $\text{debt} / \text{total assets}$, by passing ``debt`` first.

    Examples
    --------
    >>> debt_ratio(290_437, 352_583).quantize(Decimal("0.0001"))
    Decimal('0.8237')
    """
    tl, ta = amounts(
        "debt_ratio", ("total_liabilities", "total_assets"), (total_liabilities, total_assets)
    )
    return divide("debt_ratio", tl, ta, "total_assets")


@overload
def average(opening: Money, closing: Money) -> Money: ...
@overload
def average(opening: DecimalLike, closing: DecimalLike) -> Decimal: ...
@ratio("Average balance", "平均余额")
def average(opening: Amount, closing: Amount) -> Money | Decimal:
    r"""Average balance (平均余额) of an opening and a closing balance.

    Parameters
    ----------
    opening, closing
        The balance at the start (the prior period's end) and at the end of the period: plain
        numbers, or ``Money`` of one currency.

    Returns
    -------
    Decimal or Money
        The mean, exact; ``Money`` when the balances are ``Money`` (so that it can be passed on
        to a ratio beside other ``Money``), else ``Decimal``.

    Notes
    -----
    $$
    \bar{B} = \frac{B_\text{opening} + B_\text{closing}}{2}
    $$

    Turnover and return ratios divide a flow of the period by a balance; the *average balance*
    variant passes ``average(opening, closing)`` where the *ending balance* default passes the
    closing balance.

    Examples
    --------
    >>> average(4_946, 6_331)
    Decimal('5638.5')
    >>> from channelkit import Money
    >>> average(Money(100, "CNY"), Money(201, "CNY"))
    Money('150.5', 'CNY')
    """
    o, c = amounts("average", ("opening", "closing"), (opening, closing))
    mean = plain_form(CONTEXT.divide(CONTEXT.add(o, c), _TWO))
    for value in (opening, closing):
        if isinstance(value, Money):
            return Money._make(mean, value.currency)
    return mean
