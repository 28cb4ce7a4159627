"""The shared machinery of the KPI ratios: input checks, the positive-denominator rule, labels.

Every ratio function reads its inputs through `amounts` (plain numbers, or ``Money`` of one
currency, never floats) and divides through `divide`, which defines a ratio only for a
positive denominator. Nothing here is rounded: ratios are exact to the 34 digits of
[`channelkit.numeric.CONTEXT`][].
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Final, TypeAlias

from channelkit.errors import CurrencyMismatchError, UndefinedRatioError
from channelkit.labels import pick
from channelkit.money import Money
from channelkit.numeric import CONTEXT, decimal_text, to_decimal

__all__ = [
    "RATIO_LABELS",
    "Amount",
    "amounts",
    "divide",
    "plain_form",
    "plain",
    "positive_days",
    "ratio_label",
    "require_positive",
]

_ONE: Final = Decimal(1)

Amount: TypeAlias = Money | Decimal | int | str
"""What a ratio accepts for an amount: a ``Decimal``, ``int`` or numeric ``str``, or ``Money``."""


def amounts(ratio: str, names: tuple[str, ...], values: tuple[object, ...]) -> list[Decimal]:
    """Read ``values`` as one kind of amount: all plain numbers, or all ``Money`` of one currency.

    A plain zero goes with ``Money`` (zero needs no currency, as in ``sum(..., 0)``), so an
    optional amount left at its default ``0`` does not force the caller to spell a currency.

    Raises
    ------
    CurrencyMismatchError
        Two ``Money`` values in different currencies.
    TypeError
        A float, a non-number, or a non-zero plain number beside ``Money``.
    ValueError
        A non-numeric string, NaN, infinity or a number out of bounds.
    """
    out: list[Decimal] = []
    money_name = ""
    currency = ""
    plain_name = ""
    for name, value in zip(names, values, strict=True):
        if isinstance(value, Money):
            if not money_name:
                money_name, currency = name, value.currency
            elif value.currency != currency:
                raise CurrencyMismatchError(
                    currency, value.currency, f"{ratio}: {money_name}, {name}"
                )
            out.append(value.amount)
        else:
            d = to_decimal(value, name)
            if d and not plain_name:
                plain_name = name
            out.append(d)
    if money_name and plain_name:
        msg = (
            f"{ratio}: {plain_name} is a plain number but {money_name} is Money in {currency}; "
            "pass every amount as Money of one currency, or every amount as a plain number"
        )
        raise TypeError(msg)
    return out


def plain(value: object, name: str) -> Decimal:
    """Read a number that is not an amount of money (a count, a fraction, days): no ``Money``."""
    return to_decimal(value, name)


def positive_days(days: object) -> Decimal:
    """Read the ``days`` of a days-outstanding ratio: a positive number (365, 360, 90...)."""
    d = to_decimal(days, "days")
    if d <= 0:
        msg = f"days must be positive (365, 360 or the days of the period), got {decimal_text(d)}"
        raise ValueError(msg)
    return d


def require_positive(ratio: str, name: str, value: Decimal) -> None:
    """Raise [`UndefinedRatioError`][] unless the denominator ``value`` is above zero."""
    if value > 0:
        return
    if not value:
        raise UndefinedRatioError(ratio, f"{name} is 0")
    reason = f"{name} is negative ({decimal_text(value)}): the ratio would invert its meaning"
    raise UndefinedRatioError(ratio, reason)


def divide(ratio: str, numerator: Decimal, denominator: Decimal, name: str) -> Decimal:
    """``numerator / denominator`` in the local context; the denominator (``name``) must be > 0."""
    require_positive(ratio, name, denominator)
    return plain_form(CONTEXT.divide(numerator, denominator))


def plain_form(value: Decimal) -> Decimal:
    """``value`` without a positive exponent (``6.00E+3`` becomes ``6000``), same value."""
    if value.as_tuple().exponent > 0:  # type: ignore[operator]
        return value.quantize(_ONE, context=CONTEXT)
    return value


RATIO_LABELS: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        # liquidity and leverage
        "current_ratio": ("Current ratio", "流动比率"),
        "quick_ratio": ("Quick ratio", "速动比率"),
        "cash_ratio": ("Cash ratio", "现金比率"),
        "debt_to_equity": ("Debt to equity", "总负债对净资产比率"),
        "debt_ratio": ("Debt ratio", "资产负债率"),
        # profitability
        "gross_margin": ("Gross margin", "毛利率"),
        "net_margin": ("Net profit margin", "销售利润率"),
        "return_on_assets": ("Return on assets", "资产回报比率"),
        "return_on_equity": ("Return on equity", "净资产回报比率"),
        "expense_profit_ratio": ("Expense profit ratio", "费用利润率"),
        "return_on_investment": ("Return on investment", "投资回报率"),
        # activity
        "asset_turnover": ("Asset turnover", "资金周转率"),
        "inventory_turnover": ("Inventory turnover", "存货周转率"),
        "receivables_turnover": ("Receivables turnover", "应收账款周转率"),
        "days_sales_outstanding": ("Days sales outstanding", "应收账款周期"),
        "days_inventory_outstanding": ("Days inventory outstanding", "存货周转天数"),
        "days_payables_outstanding": ("Days payables outstanding", "应付账款周转天数"),
        "cash_conversion_cycle": ("Cash conversion cycle", "现金转换周期"),
        # channel and customers
        "collection_rate": ("Collection rate", "回款率"),
        "sell_through": ("Sell-through rate", "售罄率"),
        "fill_rate": ("Fill rate", "订单满足率"),
        "growth_rate": ("Growth rate", "增长率"),
        "attainment": ("Target attainment", "目标达成率"),
        "market_share": ("Market share", "市场占有率"),
        "conversion_rate": ("Conversion rate", "转化率"),
        "customer_acquisition_cost": ("Customer acquisition cost", "获客成本"),
        "customer_lifetime_value": ("Customer lifetime value", "客户终身价值"),
        "retention_rate": ("Retention rate", "客户留存率"),
        "churn_rate": ("Churn rate", "客户流失率"),
        # helper
        "average": ("Average balance", "平均余额"),
    }
)
"""English and Chinese display names of every function of [`channelkit.kpi`][], by name."""


def ratio_label(name: str, lang: str = "en") -> str:
    """The display name of the ratio function ``name`` in ``lang`` (``"en"`` or ``"zh"``).

    Raises
    ------
    KeyError
        When ``name`` is not a function of [`channelkit.kpi`][].

    Examples
    --------
    >>> ratio_label("collection_rate", "zh")
    '回款率'
    """
    try:
        en, zh = RATIO_LABELS[name]
    except KeyError:
        msg = f"no KPI ratio is named {name!r}; known: {', '.join(RATIO_LABELS)}"
        raise KeyError(msg) from None
    return pick(lang, en, zh)
