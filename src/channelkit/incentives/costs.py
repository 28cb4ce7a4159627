"""Channel costs (渠道费用): what serving the channel cost, by category, partner and day.

A [`ChannelCost`][] is one booked cost: sales management, marketing promotion, logistics, a
subsidy, function-based pay or anything else, charged to a partner or (``partner_id=None``) to
the channel as a whole. [`profitability`][channelkit.incentives.profitability] reads the
costs dated inside its period and sets them against each partner's gross profit.
"""

from __future__ import annotations

import datetime as dt

from channelkit.labels import LabeledEnum
from channelkit.model import Id, Model
from channelkit.money import Money

__all__ = ["CostCategory", "ChannelCost"]


class CostCategory(LabeledEnum):
    """What a channel cost paid for (渠道费用分析): the categories the analysis reports.

    Members are declared in the order a report lists categories of equal amount.

    Examples
    --------
    >>> CostCategory.MARKETING.label("zh"), CostCategory.FUNCTION_PAY.label()
    ('市场推广费用', 'Function-based pay')
    """

    SALES_MANAGEMENT = "sales_management", "Sales management", "销售管理费用"
    MARKETING = "marketing", "Marketing promotion", "市场推广费用"
    LOGISTICS = "logistics", "Logistics", "物流费用"
    SUBSIDY = "subsidy", "Subsidies", "补贴"
    FUNCTION_PAY = "function_pay", "Function-based pay", "职能付酬"
    OTHER = "other", "Other", "其他费用"


class ChannelCost(Model):
    """One channel cost booked on a day, for a partner or for the channel as a whole.

    The amount may be negative: a reversal (a refund from a carrier, a cancelled accrual) is
    booked as a cost of opposite sign on its own day, and it reduces its category's sum in the
    period it falls in. It is bounded like every input amount, in any currency;
    [`profitability`][channelkit.incentives.profitability] requires one currency.

    Examples
    --------
    >>> c = ChannelCost(partner_id="D1", category=CostCategory.LOGISTICS,
    ...                 amount=Money("1250.00", "CNY"), date=dt.date(2026, 7, 14),
    ...                 note="Q3 freight")
    >>> c.category.label("zh"), c.amount
    ('物流费用', Money('1250.00', 'CNY'))
    >>> ChannelCost(partner_id=None, category="marketing", amount=Money(-80, "CNY"),
    ...             date=dt.date(2026, 8, 1)).amount
    Money('-80', 'CNY')
    """

    partner_id: Id | None
    """The partner the cost was spent on; ``None`` for a cost of the whole channel (a trade
    fair, the channel team's salaries), which counts only in the report's total."""
    category: CostCategory
    """What the cost paid for."""
    amount: Money
    """The amount; negative for a reversal of an earlier cost."""
    date: dt.date
    """The day the cost is booked on: it counts in the period holding this day."""
    note: str = ""
    """Free text for the reader (an invoice number, a campaign); never read by a calculator."""
