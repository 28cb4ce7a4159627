"""A partner's financial statement: the figures credit limits and financial ratios read."""

from __future__ import annotations

import datetime as dt

from channelkit.currencies import CurrencyCode
from channelkit.model import Id, Model
from channelkit.numeric import Dec, NonNegativeDecimal

__all__ = ["FinancialStatement"]


class FinancialStatement(Model):
    """A partner's statement at ``period_end``; a figure not known is ``None``.

    Sales, costs, assets and liabilities are non-negative; incomes and equity may be negative
    (a loss, a deficit). Figures are plain ``Decimal`` in ``currency``. A ratio that needs a
    figure the statement lacks raises ``UndefinedRatioError`` (or is ``None`` in a ratio report).

    Examples
    --------
    >>> s = FinancialStatement(currency="CNY", period_end=dt.date(2025, 12, 31),
    ...                        current_assets=143_566, current_liabilities=145_308)
    >>> s.inventory is None
    True
    """

    currency: CurrencyCode
    """Currency of every figure."""
    period_end: dt.date
    """The balance-sheet date (end of the period the flows cover)."""
    partner_id: Id | None = None
    """The partner the statement belongs to, if recorded."""
    net_sales: NonNegativeDecimal | None = None
    """Revenue net of returns and discounts, for the period."""
    cogs: NonNegativeDecimal | None = None
    """Cost of goods sold, for the period."""
    operating_income: Dec | None = None
    """Operating profit (negative for a loss)."""
    net_income: Dec | None = None
    """After-tax profit (negative for a loss)."""
    expenses: NonNegativeDecimal | None = None
    """Total expenses, for the expense-profit ratio (费用利润率)."""
    cash: NonNegativeDecimal | None = None
    """Cash and cash equivalents."""
    short_term_investments: NonNegativeDecimal | None = None
    """Marketable securities counted as liquid."""
    receivables: NonNegativeDecimal | None = None
    """Accounts receivable."""
    inventory: NonNegativeDecimal | None = None
    """Inventories."""
    current_assets: NonNegativeDecimal | None = None
    """Total current assets."""
    total_assets: NonNegativeDecimal | None = None
    """Total assets."""
    accounts_payable: NonNegativeDecimal | None = None
    """Accounts payable."""
    current_liabilities: NonNegativeDecimal | None = None
    """Total current liabilities."""
    total_liabilities: NonNegativeDecimal | None = None
    """Total liabilities."""
    equity: Dec | None = None
    """Shareholders' equity, net assets (negative for a deficit)."""
    debt: NonNegativeDecimal | None = None
    """Interest-bearing debt (for debt-based leverage variants)."""
