"""KPI ratios (财务与渠道指标): exact, bilingual, defined only where they mean something.

Scalar functions take plain numbers (``Decimal``, ``int``, numeric ``str``; never ``float``) or
``Money`` of one currency and return an exact ``Decimal``; a zero or negative denominator raises
[`UndefinedRatioError`][] (a ``ZeroDivisionError``). Defaults follow the domain
brief's definitions; variants (365 or 360 days, ending or average balances, COGS- or sales-based
turnover, total-liabilities- or debt-based leverage) are chosen by what the caller passes or by
keyword. [`financial_ratios`][] computes every ratio a [`FinancialStatement`][]
allows into a [`RatioReport`][].

Examples
--------
>>> from decimal import Decimal
>>> from channelkit import kpi
>>> kpi.current_ratio(143_566, 145_308).quantize(Decimal("0.01"))
Decimal('0.99')
"""

from __future__ import annotations

from channelkit.kpi._core import RATIO_LABELS, Amount, ratio_label
from channelkit.kpi.activity import (
    asset_turnover,
    cash_conversion_cycle,
    days_inventory_outstanding,
    days_payables_outstanding,
    days_sales_outstanding,
    inventory_turnover,
    receivables_turnover,
)
from channelkit.kpi.balance import (
    average,
    cash_ratio,
    current_ratio,
    debt_ratio,
    debt_to_equity,
    quick_ratio,
)
from channelkit.kpi.channel import (
    attainment,
    churn_rate,
    collection_rate,
    conversion_rate,
    customer_acquisition_cost,
    customer_lifetime_value,
    fill_rate,
    growth_rate,
    market_share,
    retention_rate,
    sell_through,
)
from channelkit.kpi.profitability import (
    expense_profit_ratio,
    gross_margin,
    net_margin,
    return_on_assets,
    return_on_equity,
    return_on_investment,
)
from channelkit.kpi.report import REPORT_KEYS, Balances, RatioReport, financial_ratios

__all__ = [
    # liquidity and leverage
    "current_ratio",
    "quick_ratio",
    "cash_ratio",
    "debt_to_equity",
    "debt_ratio",
    # profitability
    "gross_margin",
    "net_margin",
    "return_on_assets",
    "return_on_equity",
    "expense_profit_ratio",
    "return_on_investment",
    # activity
    "asset_turnover",
    "inventory_turnover",
    "receivables_turnover",
    "days_sales_outstanding",
    "days_inventory_outstanding",
    "days_payables_outstanding",
    "cash_conversion_cycle",
    # channel and customers
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
    # balances
    "average",
    # statement report
    "financial_ratios",
    "RatioReport",
    "Balances",
    "REPORT_KEYS",
    # labels and types
    "RATIO_LABELS",
    "ratio_label",
    "Amount",
]
