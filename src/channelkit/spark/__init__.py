"""Transactions on a Spark cluster: validate them, settle rebates and review the channel.

Needs the ``spark`` extra (``pip install 'channelkit[spark]'``, which brings pyspark, pyarrow and
a pandas that pyspark supports); the package root never imports this module.

The functions read a ``pyspark.sql.DataFrame`` with the columns of
:func:`channelkit.frames.transactions` (amounts as ``DecimalType`` or text, never floating
point). Sums are Spark aggregations over exact decimals; a rebate is computed by channelkit on
the executors; only aggregates ever reach the driver.
"""

from __future__ import annotations

import pyspark  # noqa: F401  (the extra this module needs: fail here, at import, without it)

from channelkit.errors import FrameError
from channelkit.spark._review import review
from channelkit.spark._settle import settle_all
from channelkit.spark._validate import validate

__all__ = [
    # checking rows
    "validate",
    # calculators
    "settle_all",
    "review",
    # errors
    "FrameError",
]
