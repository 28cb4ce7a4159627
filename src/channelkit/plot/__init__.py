"""Charts of channelkit's results (``pip install 'channelkit[plot]'``: matplotlib).

Each function returns a ``matplotlib.figure.Figure`` built with matplotlib's object-oriented API
(never ``pyplot``): nothing is shown or saved, and no global state changes. A notebook shows the
figure; ``fig.savefig("curve.png")`` writes it.

* [`rebate_curve`][channelkit.plot.rebate_curve]: a policy's amount and effective rate against
  the basis, bracket starts marked, cliffs highlighted;
* [`review_chart`][channelkit.plot.review_chart]: partners' net sales as a Pareto with attainment
  marks, and the shares by territory;
* [`risk_heatmap`][channelkit.plot.risk_heatmap]: the 5 x 5 risk matrix coloured by rating;
* [`aging_chart`][channelkit.plot.aging_chart]: open items by aging bucket;
* [`ledger_chart`][channelkit.plot.ledger_chart]: a rebate ledger's payables, clawbacks and the
  total paid to date.

Labels are in English or Chinese by ``lang``. Chinese needs a font with Chinese glyphs, found at
run time; without one the chart is labelled in English and a
[`CJKFontWarning`][channelkit.plot.CJKFontWarning] says which fonts to install. matplotlib is
imported when a chart is drawn, not when this module is imported; the package root never
imports this module.
"""

from __future__ import annotations

from channelkit.plot._fonts import CJKFontWarning
from channelkit.plot.credit import aging_chart
from channelkit.plot.ledger import ledger_chart
from channelkit.plot.rebates import rebate_curve
from channelkit.plot.review import review_chart
from channelkit.plot.risk import risk_heatmap

__all__ = [
    # charts
    "rebate_curve",
    "review_chart",
    "risk_heatmap",
    "aging_chart",
    "ledger_chart",
    # warnings
    "CJKFontWarning",
]
