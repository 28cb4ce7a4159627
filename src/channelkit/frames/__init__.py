"""Tables in, tables out: transactions as Arrow columns, results as Arrow tables.

Needs the ``frames`` extra (``pip install 'channelkit[frames]'``, which brings pyarrow); the
package root never imports this module.

A [`TransactionFrame`][channelkit.frames.TransactionFrame] reads back (``frame.to_arrow()``) in
the canonical schema: one column per [`Transaction`][channelkit.Transaction] field, in field
order, then ``currency``.

| column | type |
|---|---|
| ``id`` | ``string``, unique, not blank |
| ``partner_id`` | ``string`` (null: the vendor's direct sale) |
| ``date`` | ``date32`` |
| ``kind`` | ``string``: ``"sale"``, ``"return"`` or ``"payment"`` |
| ``amount`` | exact decimal, positive |
| ``quantity`` | exact decimal, not negative (0 when absent or null) |
| ``sku`` | ``string`` |
| ``unit_price`` | exact decimal, not negative |
| ``territory`` | ``string`` |
| ``customer_id`` | ``string`` |
| ``cost`` | exact decimal, not negative, null for a payment |
| ``category`` | ``string``: a ``/``-separated path |
| ``refers_to`` | ``string``, null for a sale |
| ``currency`` | ``string``: the ISO 4217 code of ``amount``, ``unit_price`` and ``cost`` |

An exact decimal column is ``decimal128(38, s)`` with ``s`` the column's largest number of
places; ``decimal256(76, s)`` when ``15 + s`` exceeds 38 digits, and decimal text (``string``)
past 76 (legal input has up to 34 significant digits at up to 67 places). Never floating point.

Helpers of a frame for the columnar calculators: ``column(name)``, ``has(name)``,
``decimals(name)``, ``between(start, end)``, ``is_kind(*kinds)``, ``filter(mask)`` and
``group_sums(keys, value, where=...)``; ``channelkit.frames._amounts.rebate_amounts_array``
is the array path of ``rebate_amounts``.
"""

from __future__ import annotations

import pyarrow  # noqa: F401  (the extra this module needs: fail here, at import, without it)

from channelkit.errors import FrameError
from channelkit.frames._arrow import to_arrow
from channelkit.frames._build import read_transactions, transactions
from channelkit.frames._frame import TransactionFrame

__all__ = [
    # reading tables
    "transactions",
    "read_transactions",
    "TransactionFrame",
    # writing results
    "to_arrow",
    # errors
    "FrameError",
]
