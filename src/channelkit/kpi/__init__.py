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

from channelkit.kpi import activity, balance, channel, profitability, report
from channelkit.kpi._core import RATIO_LABELS, Amount, ratio_label
from channelkit.kpi.activity import *  # noqa: F403
from channelkit.kpi.balance import *  # noqa: F403
from channelkit.kpi.channel import *  # noqa: F403
from channelkit.kpi.profitability import *  # noqa: F403
from channelkit.kpi.report import *  # noqa: F403

# Each module's ``__all__`` is the one list of its functions, each declared with its display names
# (``_core.ratio``); this list adds them by group, in the typing spec's ``__all__ += m.__all__``.
__all__: list[str] = []
# liquidity and leverage, and the average balance
__all__ += balance.__all__
# profitability
__all__ += profitability.__all__
# activity
__all__ += activity.__all__
# channel and customers
__all__ += channel.__all__
# statement report
__all__ += report.__all__
# labels and types
__all__ += ["RATIO_LABELS", "ratio_label", "Amount"]
