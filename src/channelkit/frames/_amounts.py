"""The array path of :func:`~channelkit.rebate_amounts`: rebates of a column of bases.

:func:`rebate_amounts_array` computes each distinct basis once, through the list path (so the
two cannot disagree), and spreads the amounts back over the array with Arrow. It is the function
``rebate_amounts`` calls when given an array; it reaches the rebate engine lazily, at call time,
because the rebate area sits above ``frames`` and reads frames itself.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from channelkit.currencies import CURRENCIES
from channelkit.errors import ArgumentTypeError, ChannelkitError, PolicyError
from channelkit.frames._schema import is_decimal, tidy

if TYPE_CHECKING:
    from channelkit.rebates import RebatePolicy

__all__ = ["rebate_amounts_array"]


def _column(bases: object) -> tuple[pa.ChunkedArray, bool]:
    """``bases`` as a chunked array, and whether it was given chunked."""
    if isinstance(bases, pa.ChunkedArray):
        return bases, True
    if isinstance(bases, pa.Array):
        return pa.chunked_array([bases]), False
    dtype = getattr(bases, "dtype", None)
    if dtype is not None and getattr(dtype, "kind", "") in "iu" and hasattr(bases, "__array__"):
        return pa.chunked_array([pa.array(bases)]), False
    msg = (
        "bases must be a pyarrow Array or ChunkedArray of integers or decimals, or a numpy "
        f"integer array, got {type(bases).__name__}" + (f" of {dtype}" if dtype is not None else "")
    )
    raise ArgumentTypeError(msg, argument="bases", value=bases)


def _values(column: pa.Array | pa.ChunkedArray) -> list[int | Decimal]:
    """A column's bases as the list path reads them: ints and exact decimals, a null as 0."""
    return [
        0 if v is None else v if isinstance(v, int) else tidy(Decimal(v))
        for v in column.to_pylist()
    ]


def rebate_amounts_array(policy: RebatePolicy, bases: Any) -> pa.Array | pa.ChunkedArray:
    """Rounded rebate amounts for a column of bases: ``rebate_amounts`` on arrays.

    Parameters
    ----------
    policy
        A policy without conditions or payout steps.
    bases
        A pyarrow ``Array`` or ``ChunkedArray`` of integers or decimals, or a numpy integer
        array. The numbers are the bases themselves (never minor units).

    Returns
    -------
    pyarrow.Array or pyarrow.ChunkedArray
        ``decimal128(38, places)`` at the policy currency's minor unit, item by item equal to
        ``rebate_amounts(policy, bases.to_pylist())``; a null basis gives a null amount. Chunked
        when ``bases`` is.

    Raises
    ------
    ArgumentTypeError
        ``bases`` of another type (floating point among them).
    PolicyError, ValueError
        As ``rebate_amounts``: a policy with conditions, payout or a ``tier_basis``, a negative
        basis (without ``allow_negative``), a basis outside the input bounds.

    Examples
    --------
    >>> import pyarrow as pa
    >>> from channelkit import Bracket, RebatePolicy
    >>> ladder = RebatePolicy(id="L", name="L", currency="CNY", cap=2_000, brackets=(
    ...     Bracket(start=10_000, rate="0.02"), Bracket(start=50_000, rate="0.03")))
    >>> rebate_amounts_array(ladder, pa.array([5_000, 60_000, None, 200_000])).to_pylist()
    [Decimal('0.00'), Decimal('1100.00'), None, Decimal('2000.00')]
    """
    from channelkit.rebates import rebate_amounts

    if policy.tier_basis is not None:
        msg = (
            f"policy {policy.id} picks its bracket by tier_basis {policy.tier_basis}, "
            "which needs a tier figure per basis: use compute_rebate with tier_value= (or "
            "settle_all) instead of rebate_amounts"
        )
        raise PolicyError(msg, policy=policy.id)
    col, chunked = _column(bases)
    t = col.type
    if not (pa.types.is_integer(t) or is_decimal(t) or pa.types.is_null(t)):
        msg = f"bases must hold integers or decimals, got {t}"
        raise ArgumentTypeError(msg, argument="bases", value=bases)
    out_type = pa.decimal128(38, CURRENCIES[policy.currency])
    distinct = pc.drop_null(pc.unique(col))
    try:
        amounts = pa.array(rebate_amounts(policy, _values(distinct)), out_type)
    except ChannelkitError:
        # name the refused basis by its place in ``bases``, as the list path does: the list
        # path over every row (a null read as 0, which every policy takes) refuses it first
        rebate_amounts(policy, _values(col))
        raise  # pragma: no cover - every row holds the refused distinct value too
    positions = pc.index_in(col, value_set=distinct)
    out = pc.take(amounts, positions)
    if chunked:
        return out if isinstance(out, pa.ChunkedArray) else pa.chunked_array([out])
    return out.combine_chunks() if isinstance(out, pa.ChunkedArray) else out
