"""``TransactionFrame``: validated transactions held as columns (Arrow).

A frame is built only by :func:`channelkit.frames.transactions`, which checks every row. It holds
the columns the input had (a column the input lacked costs no memory: it is made when asked for)
and reads back as the canonical table (see :mod:`channelkit.frames`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Context, Decimal, Inexact, InvalidOperation, Overflow
from typing import Any, Final

import pyarrow as pa
import pyarrow.compute as pc

from channelkit.frames._schema import COLUMNS, MONEY, NUMBERS, tidy
from channelkit.model import trusted
from channelkit.money import Money
from channelkit.transactions import Transaction, TransactionKind

__all__ = ["TransactionFrame"]

_set = object.__setattr__
_BATCH: Final = 16_384
_ZERO: Final = Decimal(0)
_KINDS: Final = {k.value: k for k in TransactionKind}
_EXACT: Final = Context(prec=200, traps=[Inexact, InvalidOperation, Overflow])
_INT_DIGITS: Final = 15


def _absent_type(name: str) -> pa.DataType:
    if name in NUMBERS:
        return pa.decimal128(38, 0)
    return pa.date32() if name == "date" else pa.string()


class TransactionFrame:
    """Validated transactions in columns: immutable, in the input's row order.

    Build one with :func:`channelkit.frames.transactions` (or
    :func:`~channelkit.frames.read_transactions`); every row has passed the rules of
    :class:`~channelkit.Transaction` and the ids are unique.

    Examples
    --------
    >>> import pyarrow as pa
    >>> from channelkit import frames
    >>> frame = frames.transactions(pa.table({
    ...     "id": ["T1", "T2"], "partner_id": ["D1", None], "date": ["2026-07-01", "2026-07-02"],
    ...     "kind": ["sale", "return"], "amount": ["1200.00", "80.50"]}), currency="CNY")
    >>> len(frame), frame.currency
    (2, 'CNY')
    >>> [t.amount for t in frame]
    [Money('1200.00', 'CNY'), Money('80.50', 'CNY')]
    >>> frame.group_sums("kind", "amount")
    {'sale': Decimal('1200.00'), 'return': Decimal('80.50')}
    """

    __slots__ = ("_currency", "_table")

    _table: pa.Table
    _currency: str | None

    def __init__(self, *args: object, **kwargs: object) -> None:
        msg = "build a TransactionFrame with channelkit.frames.transactions(data, ...)"
        raise TypeError(msg)

    @classmethod
    def _make(cls, table: pa.Table, currency: str | None) -> TransactionFrame:
        """A frame of rows already checked; ``currency`` when the table has no currency column."""
        frame = object.__new__(cls)
        order = [name for name in COLUMNS if name in table.column_names]
        _set(frame, "_table", table.select(order))
        _set(frame, "_currency", currency)
        return frame

    def __setattr__(self, name: str, value: object) -> None:
        msg = f"TransactionFrame is immutable: cannot set {name!r}"
        raise AttributeError(msg)

    def __delattr__(self, name: str) -> None:
        msg = f"TransactionFrame is immutable: cannot delete {name!r}"
        raise AttributeError(msg)

    # -- the table --------------------------------------------------------------------------------

    def __len__(self) -> int:
        return int(self._table.num_rows)

    def __repr__(self) -> str:
        return f"<TransactionFrame: {len(self)} rows, currency {self.currency}>"

    @property
    def currency(self) -> str | None:
        """The one currency of every row, or ``None`` when there are several or no rows."""
        if not len(self):
            return None
        if "currency" not in self._table.column_names:
            return self._currency
        found = pc.unique(self._table.column("currency"))
        return str(found[0]) if len(found) == 1 else None

    def column(self, name: str) -> pa.ChunkedArray:
        """One canonical column (see :mod:`channelkit.frames` for the types).

        A column the input did not have is made here: nulls, zeros for ``quantity``, the
        frame's currency for ``currency``. Number columns are exact decimals; a column whose
        values need more than 76 digits is decimal text (read it with :meth:`decimals`).

        Raises
        ------
        KeyError
            For a name that is not a canonical column.
        """
        if name in self._table.column_names:
            return self._table.column(name)
        if name not in COLUMNS:
            msg = f"{name!r} is not a column of a TransactionFrame (columns: {list(COLUMNS)})"
            raise KeyError(msg)
        n = len(self)
        if name == "currency":
            return pa.chunked_array([pa.repeat(pa.scalar(self._currency, pa.string()), n)])
        if name == "quantity":
            return pa.chunked_array([pa.repeat(pa.scalar(_ZERO, pa.decimal128(38, 0)), n)])
        return pa.chunked_array([pa.nulls(n, _absent_type(name))])

    def has(self, name: str) -> bool:
        """Whether the input had column ``name`` (else :meth:`column` makes it on demand)."""
        return name in self._table.column_names

    def to_arrow(self) -> pa.Table:
        """The canonical table: the ``Transaction`` fields in field order, then ``currency``.

        It reads back through :func:`~channelkit.frames.transactions` unchanged.
        """
        return pa.table({name: self.column(name) for name in COLUMNS})

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        """The canonical table through the Arrow PyCapsule stream interface."""
        return self.to_arrow().__arrow_c_stream__(requested_schema)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, TransactionFrame):
            return bool(self.to_arrow().equals(other.to_arrow()))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    # -- rows -----------------------------------------------------------------------------------

    def __iter__(self) -> Iterator[Transaction]:
        names = self._table.column_names
        for start in range(0, len(self), _BATCH):
            part = self._table.slice(start, _BATCH)
            rows = part.num_rows
            data = {name: part.column(name).to_pylist() for name in names}
            cur = data.get("currency") or [self._currency] * rows
            for i in range(rows):
                values: dict[str, Any] = {}
                for name in COLUMNS[:-1]:
                    column = data.get(name)
                    v = column[i] if column is not None else None
                    if name in MONEY:
                        v = None if v is None else Money._make(tidy(Decimal(v)), cur[i])
                    elif name == "quantity":
                        v = _ZERO if v is None else tidy(Decimal(v))
                    elif name == "kind":
                        v = _KINDS[str(v)]
                    values[name] = v
                yield trusted(Transaction, values)

    def decimals(self, name: str) -> list[Decimal | None]:
        """A number column's values as ``Decimal`` (exact; ``None`` for null).

        Examples
        --------
        >>> import pyarrow as pa
        >>> from channelkit import frames
        >>> frame = frames.transactions(pa.table({"id": ["T1"], "partner_id": ["D1"],
        ...     "date": ["2026-07-01"], "kind": ["sale"], "amount": ["99.90"]}), currency="USD")
        >>> frame.decimals("amount"), frame.decimals("cost")
        ([Decimal('99.90')], [None])
        """
        return [None if v is None else tidy(Decimal(v)) for v in self.column(name).to_pylist()]

    # -- helpers for the columnar calculators -----------------------------------------------------

    def filter(self, mask: pa.Array | pa.ChunkedArray | pc.Expression) -> TransactionFrame:
        """The rows where ``mask`` is true, in order, as a frame (a null counts as false)."""
        return TransactionFrame._make(self._table.filter(mask), self._currency)

    def between(self, start: Any, end: Any) -> pa.ChunkedArray:
        """A mask of the rows dated in the half-open ``[start, end)`` (dates)."""
        dates = self.column("date")
        low, high = pa.scalar(start, pa.date32()), pa.scalar(end, pa.date32())
        return pc.and_(pc.greater_equal(dates, low), pc.less(dates, high))

    def is_kind(self, *kinds: TransactionKind | str) -> pa.ChunkedArray:
        """A mask of the rows of one of ``kinds``."""
        return pc.is_in(
            self.column("kind"), value_set=pa.array([str(k) for k in kinds], pa.string())
        )

    def group_sums(
        self,
        keys: str | Sequence[str],
        value: str,
        *,
        where: pa.Array | pa.ChunkedArray | pc.Expression | None = None,
    ) -> dict[Any, Decimal]:
        """Exact sums of the number column ``value`` per distinct ``keys``.

        Parameters
        ----------
        keys
            One column name (the result is keyed by its values) or several (keyed by tuples).
        value
            A number column: ``amount``, ``quantity``, ``unit_price`` or ``cost``.
        where
            A boolean mask or expression choosing the rows summed (null counts as false).

        Returns
        -------
        dict
            Each key present among the chosen rows, in order of first appearance, mapped to the
            exact sum of its values (nulls count as nothing; all null sums to 0).

        Notes
        -----
        The sums are exact: Arrow's decimal sums where the digits cannot overflow 38 (the values
        are below 10**15, so ``15 + digits(rows) + scale`` digits suffice), in 76 digits where
        they may, else Python decimals in a context wide enough never to round.
        """
        names = [keys] if isinstance(keys, str) else list(keys)
        if value not in NUMBERS:
            msg = f"value must be a number column ({', '.join(NUMBERS)}), got {value!r}"
            raise KeyError(msg)
        key_names = [f"k{i}" for i in range(len(names))]
        cols = {k: self.column(name) for k, name in zip(key_names, names, strict=True)}
        table = pa.table({**cols, "v": self.column(value)})
        if where is not None:
            table = table.filter(where)
        need = _INT_DIGITS + len(str(max(table.num_rows, 1)))
        v_type = table.schema.field("v").type
        if pa.types.is_decimal(v_type) and need + v_type.scale <= 76:
            if need + v_type.scale > 38:
                table = table.set_column(
                    len(key_names), "v", pc.cast(table.column("v"), pa.decimal256(76, v_type.scale))
                )
            grouped = table.group_by(key_names, use_threads=False).aggregate(
                [("v", "sum", pc.ScalarAggregateOptions(min_count=0))]
            )
            sums = grouped.column("v_sum").to_pylist()
            rows = zip(*(grouped.column(k).to_pylist() for k in key_names), strict=True)
            return {
                (row[0] if isinstance(keys, str) else row): s
                for row, s in zip(rows, sums, strict=True)
            }
        out: dict[Any, Decimal] = {}
        key_lists = [table.column(k).to_pylist() for k in key_names]
        for i, v in enumerate(table.column("v").to_pylist()):
            key = key_lists[0][i] if isinstance(keys, str) else tuple(col[i] for col in key_lists)
            total = out.get(key, _ZERO)
            out[key] = total if v is None else _EXACT.add(total, Decimal(v))
        return out
