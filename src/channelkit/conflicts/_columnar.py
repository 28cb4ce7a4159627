"""The table path of the transaction detectors: the rows that can matter, chosen in columns.

Each detector reads a few rows of many: sales below a floor, sales into a territory another
partner holds, direct sales to a registered customer. For a frame, the functions here choose in
columns a superset of the rows the detector's own loop would act on (every row it would flag or
raise for, in input order, and perhaps a few more it will skip), and build ``Transaction``
models for those rows only; the detector then runs its model loop over them. Its result depends
only on the rows it acts on, so it equals the result for every row as models, field by field.

Imported by the detectors inside their table branch: it needs pyarrow (the ``frames`` extra),
which the package never imports otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import ROUND_CEILING, Decimal
from typing import Final

import pyarrow as pa
import pyarrow.compute as pc

from channelkit.frames import TransactionFrame
from channelkit.numeric import CONTEXT
from channelkit.transactions import Transaction, TransactionKind

__all__ = ["overlap_candidates", "price_candidates", "diversion_candidates"]

_SALE: Final = TransactionKind.SALE
_GRID: Final = Decimal("1e-16")
_LIMIT: Final = pa.decimal256(32, 16)
_INTEGER_DIGITS: Final = 15  # input numbers are below 10**15
_WIDEST: Final = 76


def _strings(values: Iterable[str]) -> pa.Array:
    return pa.array(sorted(values), pa.string())


def _limit(threshold: Decimal) -> Decimal:
    """A bound above ``threshold`` that every price the detector flags is below.

    The detector flags a price strictly below ``threshold`` (under ``10**15``); a price it
    computes as ``amount / quantity`` is that quotient rounded to 34 digits. The threshold
    rounded up to 16 places, plus ``10**-16``, has at most 32 digits: a quotient at or above it
    rounds to a value at or above it, so never below ``threshold``.
    """
    up = threshold.quantize(_GRID, rounding=ROUND_CEILING, context=CONTEXT)
    return CONTEXT.add(up, _GRID)


def _narrow(column: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """A number column as the narrowest exact decimal its values fit, or ``None`` if too wide.

    Values are below ``10**15``; a column of decimal text (past 76 digits) or a scale above 44
    is left to the detector (``None``: every such row is kept).
    """
    kind = column.type
    if not pa.types.is_decimal(kind) or kind.scale > _WIDEST - 32:
        return None
    return pc.cast(column, pa.decimal256(_INTEGER_DIGITS + kind.scale, kind.scale))


def _below(value: pa.ChunkedArray, bound: pa.ChunkedArray) -> pa.ChunkedArray:
    """``value < bound`` row by row; true where the column is too wide to compare here."""
    narrow = _narrow(value)
    if narrow is None:
        return pc.is_valid(value)
    return pc.less(narrow, bound)


def price_candidates(
    frame: TransactionFrame, floors: Mapping[str, tuple[str, Decimal]]
) -> list[Transaction]:
    """The sales the price detector may act on, as models in input order.

    Those are the partner sales of a SKU with a floor whose price may be below it, or whose
    currency differs from the floor's (the detector raises for those). ``floors`` maps each
    SKU to its floor's currency and the threshold the detector compares a price with
    (``floor x (1 - tolerance)``).
    """
    if not floors or not len(frame):
        return []
    skus = sorted(floors)
    value_set = _strings(skus)
    chosen = pc.and_(
        pc.and_(frame.is_kind(_SALE), pc.is_valid(frame.column("partner_id"))),
        pc.is_in(frame.column("sku"), value_set=value_set),
    )
    rows = frame.filter(chosen)
    at = pc.index_in(rows.column("sku"), value_set=value_set)
    currencies = pa.array([floors[s][0] for s in skus], pa.string())
    other = pc.not_equal(rows.column("currency"), pc.take(currencies, at))
    limits = pc.take(pa.array([_limit(floors[s][1]) for s in skus], _LIMIT), at)
    price = rows.column("unit_price")
    by_price = pc.and_(pc.is_valid(price), _below(price, limits))
    # no unit price: the detector divides amount by quantity; amount < limit x quantity
    by_amount = pc.is_null(price)
    quantity = _narrow(rows.column("quantity"))
    if quantity is not None and quantity.type.scale <= _WIDEST - 48:
        sold = pc.greater(quantity, pa.scalar(Decimal(0), quantity.type))
        low = _below(rows.column("amount"), pc.multiply(limits, quantity))
        by_amount = pc.and_(by_amount, pc.and_(sold, low))
    keep = pc.or_(other, pc.or_(pc.fill_null(by_price, False), pc.fill_null(by_amount, False)))
    return list(rows.filter(keep))


def diversion_candidates(
    frame: TransactionFrame,
    holders: Mapping[str, tuple[Mapping[str, dt.date], tuple[str, ...], dt.date]],
) -> list[Transaction]:
    """The sales the diversion detector may act on, as models in input order.

    Those are the partner sales into a territory held exclusively, by a partner not holding
    it, dated on or after its first holder joined. ``holders`` maps each exclusively held
    territory to its holders' joining days (and what the detector derives from them).
    """
    if not holders or not len(frame):
        return []
    territories = sorted(holders)
    value_set = _strings(territories)
    chosen = pc.and_(
        pc.and_(frame.is_kind(_SALE), pc.is_valid(frame.column("partner_id"))),
        pc.is_in(frame.column("territory"), value_set=value_set),
    )
    rows = frame.filter(chosen)
    at = pc.index_in(rows.column("territory"), value_set=value_set)
    earliest = pa.array([min(holders[t][0].values()) for t in territories], pa.date32())
    dated = pc.greater_equal(rows.column("date"), pc.take(earliest, at))
    # a seller holding the territory: its (territory, holder) pair, coded as one integer
    people = sorted({pid for t in territories for pid in holders[t][0]})
    width = len(people)
    position = {pid: i for i, pid in enumerate(people)}
    own_pairs = pa.array(
        [i * width + position[pid] for i, t in enumerate(territories) for pid in holders[t][0]],
        pa.int64(),
    )
    who = pc.index_in(rows.column("partner_id"), value_set=_strings(people))
    pair = pc.add(pc.multiply(pc.cast(at, pa.int64()), width), pc.cast(who, pa.int64()))
    own = pc.fill_null(pc.is_in(pair, value_set=own_pairs), False)
    return list(rows.filter(pc.and_(dated, pc.invert(own))))


def overlap_candidates(frame: TransactionFrame, customers: Iterable[str]) -> list[Transaction]:
    """The direct sales to a customer with an active registration, as models in input order."""
    value_set = _strings(customers)
    if not len(value_set) or not len(frame):
        return []
    chosen = pc.and_(
        pc.and_(frame.is_kind(_SALE), pc.is_null(frame.column("partner_id"))),
        pc.is_in(frame.column("customer_id"), value_set=value_set),
    )
    return list(frame.filter(chosen))
