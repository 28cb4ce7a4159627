"""Settling under dated terms: [`settle`][channelkit.settle] given [`PolicyVersions`][].

The partner's transactions in the period and scope are read as rows (date, id, kind, amount,
quantity), from models or, in columns, from a table. Their sums give the settlement's figures and
its basis; ``_fill`` fills the ladder with them under the versions and computes the result.

Imported by ``settlement`` inside ``settle`` and ``settle_all`` (a lazy import: this module
builds on ``settlement``'s helpers).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, cast

from pydantic import ValidationError

from channelkit._tables import TableLike, is_table, rows_or_frame
from channelkit.errors import ArgumentError, ArgumentTypeError, CurrencyMismatchError, PolicyError
from channelkit.money import Money, read_amount
from channelkit.numeric import CONTEXT, MAX_DIGITS, MAX_MAGNITUDE, DecimalLike
from channelkit.periods import Period
from channelkit.rebates._fill import Row, Step, figures, fill, steps, versioned_result
from channelkit.rebates.engine import Metrics, check_options
from channelkit.rebates.models import RebateBasis
from channelkit.rebates.plan import Plan, plan_of
from channelkit.rebates.settled import Settlement, settlement_of
from channelkit.rebates.settlement import _ID, _mapping
from channelkit.rebates.versions import PolicyVersions
from channelkit.tiers import Tier
from channelkit.transactions import Transaction, TransactionKind

if TYPE_CHECKING:
    from channelkit.frames import TransactionFrame

__all__ = ["settle_all_versions", "settle_versions"]

_ZERO: Final = Decimal(0)
_SALE: Final = TransactionKind.SALE
_RETURN: Final = TransactionKind.RETURN
_PAYMENT: Final = TransactionKind.PAYMENT
_SLOT: Final = {_SALE.value: 0, _RETURN.value: 1, _PAYMENT.value: 2}

Read = tuple[list[Decimal], list[Step]]
"""What a settlement reads of a partner: ``[sales, returns, collections, net units]`` and the
steps of the fill, in order."""


# -- reading the rows ------------------------------------------------------------------------------


def check_args(
    versions: PolicyVersions, transactions: object, period: object
) -> Iterable[Transaction] | TransactionFrame:
    """The types of ``transactions`` and ``period``, then the versions' union against it."""
    rows = rows_or_frame(transactions)
    if not isinstance(period, Period):
        msg = f"period must be a Period, not {type(period).__name__}"
        raise ArgumentTypeError(msg, argument="period", value=period)
    union = versions.valid
    if not (union.start <= period.start and period.end <= union.end):
        msg = (
            f"the versions of policy {versions.id} are valid for {union}, which does not contain "
            f"the settlement period {period}"
        )
        raise PolicyError(msg, policy=versions.id)
    return rows


def reads_of(
    versions: PolicyVersions,
    transactions: Iterable[Transaction] | TransactionFrame,
    period: Period,
    only: str | None = None,
) -> dict[str, Read]:
    """The figures and the fill's steps of each partner (``only``'s when given).

    A row counts when it is a partner's, dated in the half-open period and in the scope; it
    must then be in the programme's currency. A table is read in columns (``_frame_reads``) to
    the same figures and steps.

    Raises
    ------
    CurrencyMismatchError
        The first row that counts in another currency (in input order).
    ArgumentTypeError
        An item of ``transactions`` that is not a ``Transaction``.
    """
    if is_table(transactions):
        return _frame_reads(versions, cast("TransactionFrame", transactions), period, only)
    starts = _starts(versions)
    return {
        pid: (figures(rows), steps(rows, versions.basis, starts))
        for pid, rows in _rows(versions, transactions, period, only).items()
    }


def _starts(versions: PolicyVersions) -> list[dt.date]:
    return [v.valid.start for v in versions.versions]  # type: ignore[union-attr]


def _rows(
    versions: PolicyVersions, transactions: Iterable[Transaction], period: Period, only: str | None
) -> dict[str, list[Row]]:
    """The rows that count, per partner, in input order (the model path)."""
    cur = versions.currency
    start, end = period.start, period.end
    scope = versions.versions[0].scope
    contains = None if scope.everything else scope.contains
    acc: dict[str, list[Row]] = {}
    for t in cast("Iterable[object]", transactions):
        if not isinstance(t, Transaction):
            msg = f"transactions must hold Transaction objects only, got {type(t).__name__}"
            raise ArgumentTypeError(msg, argument="transactions", value=t)
        pid = t.partner_id
        if pid is None or (only is not None and pid != only):
            continue
        day = t.date
        if day < start or day >= end or (contains is not None and not contains(t)):
            continue
        m = t.amount
        if m.currency != cur:
            raise CurrencyMismatchError(cur, m.currency, f"transaction {t.id}")
        acc.setdefault(pid, []).append((day, t.id, t.kind, m.amount, t.quantity))
    return acc


def _frame_reads(
    versions: PolicyVersions, frame: TransactionFrame, period: Period, only: str | None
) -> dict[str, Read]:
    """``reads_of`` for a frame, in columns.

    The rows that count are chosen with masks and summed per partner and kind exactly; those
    that move the basis are sorted by partner, date and id in columns, and only their
    partner, version and signed figure are read into Python, for the fill.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    from channelkit.frames._schema import tidy
    from channelkit.rebates._columnar import check_currency, scope_mask

    partner = frame.column("partner_id")
    counted = pc.is_valid(partner) if only is None else pc.equal(partner, only)
    mask = pc.and_(frame.between(period.start, period.end), counted)
    in_scope = scope_mask(versions.versions[0].scope, frame)
    if in_scope is not None:
        mask = pc.and_(mask, in_scope)
    check_currency(frame, versions.currency, mask)
    chosen = frame.filter(mask)
    reads: dict[str, Read] = {}
    for (pid, kind), total in chosen.group_sums(["partner_id", "kind"], "amount").items():
        reads.setdefault(pid, ([_ZERO, _ZERO, _ZERO, _ZERO], []))[0][_SLOT[kind]] = total
    goods = chosen.is_kind(_SALE, _RETURN)
    for (pid, kind), units in chosen.group_sums(
        ["partner_id", "kind"], "quantity", where=goods
    ).items():
        sums = reads[pid][0]
        sums[3] = (CONTEXT.add if kind == _SALE.value else CONTEXT.subtract)(sums[3], units)
    basis = versions.basis
    adds = [_PAYMENT] if basis is RebateBasis.COLLECTIONS else [_SALE]
    takes = [_RETURN] if basis in (RebateBasis.NET_SALES, RebateBasis.UNITS) else []
    moving = chosen.filter(chosen.is_kind(*adds, *takes))
    if not len(moving):
        return reads
    dates = moving.column("date")
    version: Any = pa.repeat(pa.scalar(0, pa.int32()), len(moving))
    for start in _starts(versions)[1:]:
        later = pc.greater_equal(dates, pa.scalar(start, pa.date32()))
        version = pc.add(version, pc.cast(later, pa.int32()))
    table = pa.table(
        {
            "p": moving.column("partner_id"),
            "d": dates,
            "i": moving.column("id"),
            "v": version,
            "x": moving.column("quantity" if basis is RebateBasis.UNITS else "amount"),
            "t": moving.is_kind(*takes) if takes else pa.repeat(False, len(moving)),
        }
    )
    table = table.take(pc.sort_indices(table, sort_keys=[(k, "ascending") for k in "pdi"]))
    figures = table.column("x")
    kind = figures.type
    if pa.types.is_decimal(kind) and kind.scale <= MAX_DIGITS - MAX_MAGNITUDE:
        # at most 34 digits: each value as a model holds it; read through text (twice as fast)
        xs: list[Any] = [x and Decimal(x) for x in pc.cast(figures, pa.string()).to_pylist()]
    else:  # see TransactionFrame.decimals
        xs = [None if x is None else tidy(Decimal(x)) for x in figures.to_pylist()]
    rows = zip(
        table.column("p").to_pylist(),
        table.column("v").to_pylist(),
        xs,
        table.column("t").to_pylist(),
        strict=True,
    )
    minus = CONTEXT.minus
    for pid, v, x, take in rows:
        if x:
            reads[pid][1].append((v, minus(x) if take else x))
    return reads


# -- settling --------------------------------------------------------------------------------------


def _terms(versions: PolicyVersions, period: Period) -> tuple[list[Plan], int]:
    """The versions' plans and the index of the version in force on the period's last day."""
    plans = [plan_of(v) for v in versions.versions]
    return plans, versions.index(period.end - dt.timedelta(days=1))


def _settle_read(
    versions: PolicyVersions,
    partner_id: str,
    period: Period,
    read: Read,
    terms: tuple[list[Plan], int],
    *,
    metrics: object,
    tier: object,
    advances: object,
    baseline: object,
    keyed: bool,
) -> Settlement:
    """Settle one partner from what was read of it.

    ``terms`` is ``_terms(versions, period)``; ``keyed``: the options came from the mappings
    of ``settle_all``, so an error names one as ``advances['D1']``.
    """

    def name(one: str, mapping: str) -> str:
        return f"{mapping}[{partner_id!r}]" if keyed else one

    cur = versions.currency
    metrics_name = name("metrics", "metrics")
    checked_metrics, checked_tier = check_options(
        metrics, tier, metrics_name=metrics_name, tier_name=name("tier", "tiers")
    )
    paid = (
        _ZERO
        if advances is _ZERO
        else read_amount(advances, cur, name("advances", "advances"), non_negative=True)
    )
    kind = versions.basis
    if baseline is not None:
        msg = (
            f"policy {versions.id} has a {kind.value} basis: a baseline (given for "
            f"{partner_id}) applies only to an incremental basis"
        )
        raise PolicyError(msg, policy=versions.id)
    (sales, returns, collections, units), moves = read
    if kind is RebateBasis.NET_SALES:
        basis = CONTEXT.subtract(sales, returns)
    elif kind is RebateBasis.GROSS_SALES:
        basis = sales
    elif kind is RebateBasis.COLLECTIONS:
        basis = collections
    else:
        basis = units
    plans, end = terms
    result = versioned_result(
        versions,
        plans,
        end,
        basis,
        fill(moves),
        metrics=checked_metrics,
        tier=checked_tier,
        metrics_name=metrics_name,
    )
    advanced = Money.zero(cur) if paid is _ZERO else Money._make(paid, cur)
    return settlement_of(
        partner_id,
        period,
        cur,
        (sales, returns, collections, units),
        None,
        basis,
        result,
        advanced,
    )


def settle_versions(
    versions: PolicyVersions,
    transactions: Iterable[Transaction] | TableLike,
    period: Period,
    *,
    partner_id: str,
    metrics: Metrics | None = None,
    tier: Tier | None = None,
    advances: DecimalLike | Money = _ZERO,
    baseline: DecimalLike | Money | None = None,
) -> Settlement:
    """``settle`` under versions (see [`settle`][channelkit.settle])."""
    txs = check_args(versions, transactions, period)
    if not isinstance(partner_id, str):
        msg = f"partner_id must be a str, not {type(partner_id).__name__}"
        raise ArgumentTypeError(msg, argument="partner_id", value=partner_id)
    try:
        _ID.validate_python(partner_id)
    except ValidationError:
        msg = f"partner_id must not be empty or blank, got {partner_id!r}"
        raise ArgumentError(msg, argument="partner_id", value=partner_id) from None
    nothing: Read = ([_ZERO, _ZERO, _ZERO, _ZERO], [])
    read = reads_of(versions, txs, period, partner_id).get(partner_id, nothing)
    return _settle_read(
        versions,
        partner_id,
        period,
        read,
        _terms(versions, period),
        metrics=metrics,
        tier=tier,
        advances=advances,
        baseline=baseline,
        keyed=False,
    )


def settle_all_versions(
    versions: PolicyVersions,
    transactions: Iterable[Transaction] | TableLike,
    period: Period,
    *,
    metrics: Mapping[str, Metrics] | None = None,
    tiers: Mapping[str, Tier] | None = None,
    advances: Mapping[str, DecimalLike | Money] | None = None,
    baselines: Mapping[str, DecimalLike | Money] | None = None,
) -> dict[str, Settlement]:
    """``settle_all`` under versions (see [`settle_all`][channelkit.settle_all])."""
    txs = check_args(versions, transactions, period)
    by_metrics = _mapping(metrics, "metrics")
    by_tier = _mapping(tiers, "tiers")
    by_advance = _mapping(advances, "advances")
    by_baseline = _mapping(baselines, "baselines")
    acc = reads_of(versions, txs, period)
    terms = _terms(versions, period)
    return {
        pid: _settle_read(
            versions,
            pid,
            period,
            acc[pid],
            terms,
            metrics=by_metrics.get(pid),
            tier=by_tier.get(pid),
            advances=by_advance.get(pid, _ZERO),
            baseline=by_baseline.get(pid),
            keyed=True,
        )
        for pid in sorted(acc)
    }
