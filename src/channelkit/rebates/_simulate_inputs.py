"""The inputs of [`simulate`][channelkit.rebates.simulate.simulate], read and checked.

Policies (one currency, one kind of basis, nothing needed but a basis), growth factors, and the
bases: a mapping, or a table read in columns (pyarrow is imported inside
``table_bases`` only). ``grow`` multiplies every basis by ``1 + g`` exactly, at C speed for the
bases within the input bounds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Context, Decimal, DecimalException, InvalidOperation, Overflow, localcontext
from typing import Final

from channelkit.errors import (
    ArgumentError,
    ArgumentTypeError,
    CurrencyMismatchError,
    FrameError,
    PolicyError,
)
from channelkit.labels import fmt_number
from channelkit.numeric import MAX_DIGITS, to_decimal
from channelkit.rebates.models import RebateBasis, RebatePolicy, SettleUnit
from channelkit.rebates.plan import FENCE

__all__ = ["factor_of", "grow", "growth_factors", "mapping_bases", "read_policies", "table_bases"]

_ZERO: Final = Decimal(0)
_ONE: Final = Decimal(1)
_WIDE: Final = Context(prec=100, Emax=999_999, Emin=-999_999, traps=[InvalidOperation, Overflow])
"""Exact for the product of two input numbers (at most 68 digits): a grown basis refused."""


def factor_of(g: Decimal, k: int) -> Decimal:
    """``1 + g`` exactly, or an argument error naming ``growth[k]``."""
    try:
        return FENCE.add(_ONE, g)
    except DecimalException:
        msg = f"growth[{k}] has too many digits: 1 + {g} needs more than {MAX_DIGITS}"
        raise ArgumentError(msg, argument=f"growth[{k}]", value=g) from None


def growth_factors(growth: object) -> list[tuple[Decimal, Decimal]]:
    """The growth factors, read and checked, with ``1 + g`` for each."""
    if isinstance(growth, str | bytes) or not isinstance(growth, Sequence):
        msg = (
            "growth must be a sequence of growth factors such as (Decimal(0), Decimal('0.1')), "
            f"not {type(growth).__name__}"
        )
        raise ArgumentTypeError(msg, argument="growth", value=growth)
    if not growth:
        msg = "growth must hold at least one growth factor (Decimal(0) for the bases as they are)"
        raise ArgumentError(msg, argument="growth", value=growth)
    out: list[tuple[Decimal, Decimal]] = []
    for k, raw in enumerate(growth):
        g = to_decimal(raw, f"growth[{k}]")
        g = g if g else _ZERO
        if g < -1:
            msg = f"growth[{k}] must be at least -1 (a fall of 100%), got {g}"
            raise ArgumentError(msg, argument=f"growth[{k}]", value=raw)
        for j, (seen, _) in enumerate(out):
            if seen == g:
                msg = f"growth[{k}] repeats growth[{j}] ({fmt_number(g)})"
                raise ArgumentError(msg, argument=f"growth[{k}]", value=raw)
        out.append((g, factor_of(g, k)))
    return out


def read_policies(policies: object) -> dict[str, RebatePolicy]:
    """The policies, checked: types, one currency, one kind of basis, nothing but a basis needed."""
    if not isinstance(policies, Mapping):
        msg = f"policies must be a mapping of id to RebatePolicy, not {type(policies).__name__}"
        raise ArgumentTypeError(msg, argument="policies", value=policies)
    if not policies:
        msg = "policies must hold at least one policy"
        raise ArgumentError(msg, argument="policies", value=policies)
    out: dict[str, RebatePolicy] = {}
    first: RebatePolicy | None = None
    for key, policy in policies.items():
        if type(key) is not str or not key.strip():
            msg = f"policies must be keyed by non-blank str ids, got {key!r}"
            raise ArgumentTypeError(msg, argument="policies", value=key)
        if not isinstance(policy, RebatePolicy):
            msg = f"policies[{key!r}] must be a RebatePolicy, not {type(policy).__name__}"
            raise ArgumentTypeError(msg, argument=f"policies[{key!r}]", value=policy)
        _simulable(policy)
        if first is None:
            first = policy
        elif policy.currency != first.currency:
            raise CurrencyMismatchError(first.currency, policy.currency, f"policies[{key!r}]")
        elif RebateBasis(policy.basis).is_money != RebateBasis(first.basis).is_money:
            msg = (
                f"policy {policy.id} reads a {RebateBasis(policy.basis).value} basis and policy "
                f"{first.id} a {RebateBasis(first.basis).value} one: the bases of a simulation "
                "are all money or all units"
            )
            raise PolicyError(msg, policy=policy.id)
        out[key] = policy
    return out


def _simulable(policy: RebatePolicy) -> None:
    """A ``PolicyError`` for a policy that needs more than one basis per partner."""
    why = None
    if policy.conditions or policy.payout:
        why = "has conditions or payout steps, which need each partner's metrics"
    elif policy.tier_basis is not None:
        why = "has a tier_basis: another figure than the basis picks its bracket"
    elif RebateBasis(policy.basis) is RebateBasis.INCREMENTAL:
        why = "has an incremental basis, which needs each partner's baseline"
    elif SettleUnit(policy.per) is SettleUnit.TRANSACTION:
        why = "is tiered per transaction, which needs each partner's transactions"
    if why is not None:
        msg = f"policy {policy.id} {why}: simulate reads one basis per partner"
        raise PolicyError(msg, policy=policy.id)


def _fenced(values: list[object], name: str, ids: list[str]) -> list[Decimal]:
    """Each value read as an input number (``to_decimal``), the plain ``Decimal``s at C speed.

    A ``Decimal`` within the input bounds passes ``FENCE`` unchanged (a ``-0`` as 0); anything
    else, or a signal, reads that value with ``to_decimal``, which names ``name[id]``.
    """
    plus = FENCE.plus
    out: list[Decimal] = []
    append = out.append
    for pid, v in zip(ids, values, strict=True):
        if type(v) is Decimal and v.is_finite():
            try:
                append(plus(v))
                continue
            except DecimalException:
                pass
        d = to_decimal(v, f"{name}[{pid!r}]")
        append(d if d else d.copy_abs())
    return out


def mapping_bases(bases: object) -> tuple[list[str], list[Decimal]]:
    if not isinstance(bases, Mapping):
        msg = (
            "bases must be a mapping of partner id to basis, or a table with partner_id and "
            f"basis columns, not {type(bases).__name__}"
        )
        raise ArgumentTypeError(msg, argument="bases", value=bases)
    ids = list(bases)
    for pid in ids:
        if type(pid) is not str or not pid.strip():
            msg = f"bases must be keyed by non-blank str partner ids, got {pid!r}"
            raise ArgumentTypeError(msg, argument="bases", value=pid)
    return ids, _fenced(list(bases.values()), "bases", ids)


def table_bases(table: object) -> tuple[list[str], list[Decimal]]:
    """A table's ``partner_id`` and ``basis`` columns as lists, read in columns.

    Raises
    ------
    FrameError
        A column is missing, of a type it cannot be read from (floating point among them), or
        holds a null; a ``partner_id`` is blank or repeated.
    ArgumentError
        A basis outside the input bounds, named ``bases['D1']`` as for a mapping.
    """
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError as err:  # pragma: no cover - depends on the environment
        msg = "a table of bases needs the frames extra, which brings pyarrow"
        raise ImportError(msg) from err
    if isinstance(table, pa.Table):
        data = table
    else:
        try:
            data = pa.RecordBatchReader.from_stream(table).read_all()
        except (pa.ArrowException, TypeError, ValueError) as err:
            msg = f"bases must be a table (a stream of rows), not a {type(table).__name__}: {err}"
            raise ArgumentTypeError(msg, argument="bases", value=table) from None
    for name in ("partner_id", "basis"):
        if data.column_names.count(name) > 1:
            msg = f"{name}: the table of bases has {data.column_names.count(name)} such columns"
            raise FrameError(msg)
        if name not in data.column_names:
            msg = (
                f"{name}: the table of bases has no {name!r} column (its columns: "
                f"{data.column_names})"
            )
            raise FrameError(msg)
    ids_col, basis_col = data.column("partner_id"), data.column("basis")
    for name, col in (("partner_id", ids_col), ("basis", basis_col)):
        if col.null_count:
            row = pc.index(pc.is_null(col), True).as_py()
            msg = f"{name}: row {row} is null"
            raise FrameError(msg)
    t = ids_col.type
    if pa.types.is_dictionary(t):
        t = t.value_type
    if not (pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t)):
        msg = f"partner_id: the column is {ids_col.type}; partner ids are text (cast it to string)"
        raise FrameError(msg)
    ids: list[str] = pc.cast(ids_col, pa.string()).to_pylist()
    seen: dict[str, int] = {}
    for row, pid in enumerate(ids):
        if not pid.strip():
            msg = f"partner_id: row {row} is blank ({pid!r})"
            raise FrameError(msg)
        first = seen.setdefault(pid, row)
        if first != row:
            msg = f"partner_id: row {row} repeats {pid!r} (first at row {first})"
            raise FrameError(msg)
    t = basis_col.type
    if pa.types.is_integer(t) or pa.types.is_decimal(t):
        texts: list[str] = pc.cast(basis_col, pa.string()).to_pylist()
        create = FENCE.create_decimal
        try:
            return ids, list(map(create, texts))
        except DecimalException:  # a value outside the input bounds: read each, naming it
            return ids, _fenced([Decimal(x) for x in texts], "bases", ids)
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return ids, _fenced(basis_col.to_pylist(), "bases", ids)
    how = "cast it to decimal128 or string" if pa.types.is_floating(t) else "cast it to decimal128"
    msg = f"basis: the column is {t}, not an exact number ({how})"
    raise FrameError(msg)


def grow(ids: list[str], values: list[Decimal], g: Decimal, f: Decimal, k: int) -> list[Decimal]:
    """Every basis times ``f = 1 + g``, exactly; a result outside the input bounds is refused."""
    if f == _ONE:
        return values
    if not f:
        return [_ZERO] * len(values)
    try:
        with localcontext(FENCE):
            return [v * f for v in values]
    except DecimalException:  # too many digits (perhaps only zeros) or out of range: one by one
        pass
    out: list[Decimal] = []
    for pid, v in zip(ids, values, strict=True):
        exact = _WIDE.multiply(v, f)
        try:
            out.append(FENCE.plus(exact.normalize(_WIDE) if exact else _ZERO))
        except DecimalException:
            msg = (
                f"bases[{pid!r}] grown by growth[{k}] ({fmt_number(g)}) is {exact}, outside the "
                f"input bounds (below 10**15, at most {MAX_DIGITS} significant digits)"
            )
            raise ArgumentError(msg, argument=f"growth[{k}]", value=g) from None
    return out
