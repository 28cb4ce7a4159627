"""Settling rebates from transactions: [`settle`][], [`settle_all`][] and [`accrue`][].

A settlement reads a partner's transactions in a half-open period and in the policy's scope,
sums sales, returns, collections and net units, picks the basis the policy names and computes
the rebate. ``advances`` (interim rebates already paid) turn an annual settlement into a
true-up; a negative payable is a clawback.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING, Final, cast

from pydantic import TypeAdapter, ValidationError

from channelkit._tables import TableLike, frame_of, is_table
from channelkit.errors import ArgumentError, ArgumentTypeError, CurrencyMismatchError, PolicyError
from channelkit.model import Id, trusted
from channelkit.money import Money, read_amount
from channelkit.numeric import CONTEXT, DecimalLike
from channelkit.periods import Period
from channelkit.rebates.engine import (
    Metrics,
    basis_value,
    check_options,
    check_policy,
    evaluate,
    rounded,
)
from channelkit.rebates.models import RebateBasis, RebatePolicy
from channelkit.rebates.plan import Plan, plan_of
from channelkit.rebates.settled import Accrual, Settlement
from channelkit.tiers import Tier
from channelkit.transactions import Transaction, TransactionKind

if TYPE_CHECKING:
    from channelkit.frames import TransactionFrame

__all__ = ["accrue", "settle", "settle_all"]

_ZERO: Final = Decimal(0)
_SALE: Final = TransactionKind.SALE
_RETURN: Final = TransactionKind.RETURN
_ID: Final = TypeAdapter(Id)


def _check(
    policy: object, transactions: object, period: object
) -> tuple[RebatePolicy, Iterable[Transaction]]:
    """The types of the arguments every settlement takes, then ``policy.valid``.

    Returns the policy and the transactions: a table is read into a ``TransactionFrame`` here
    (``frames.transactions`` with its defaults: a bad row is a ``FrameError``).
    """
    checked = check_policy(policy)
    if is_table(transactions):
        transactions = frame_of(transactions)
    elif isinstance(transactions, Transaction | str | bytes) or not isinstance(
        transactions, Iterable
    ):
        msg = (
            "transactions must be an iterable of Transaction or a table, not "
            f"{type(transactions).__name__}"
        )
        raise ArgumentTypeError(msg, argument="transactions", value=transactions)
    if not isinstance(period, Period):
        msg = f"period must be a Period, not {type(period).__name__}"
        raise ArgumentTypeError(msg, argument="period", value=period)
    valid = checked.valid
    if valid is not None and not (valid.start <= period.start and period.end <= valid.end):
        msg = (
            f"policy {checked.id} is valid for {valid}, which does not contain the settlement "
            f"period {period}"
        )
        raise PolicyError(msg, policy=checked.id)
    return checked, cast(Iterable[Transaction], transactions)


def _mapping(value: object, name: str) -> Mapping[str, object]:
    """A ``settle_all`` option: a mapping keyed by partner id, ``None`` read as empty."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        msg = f"{name} must be a mapping keyed by partner id, not {type(value).__name__}"
        raise ArgumentTypeError(msg, argument=name, value=value)
    return value


def _sums(
    policy: RebatePolicy,
    transactions: Iterable[Transaction],
    period: Period,
    only: str | None = None,
) -> dict[str, list[Decimal]]:
    """One pass: ``[sales, returns, collections, net units]`` per partner in period and scope.

    A frame (the table path) is summed in columns by ``_columnar.frame_sums``, to the same
    figures.
    """
    if is_table(transactions):
        from channelkit.rebates._columnar import frame_sums

        return frame_sums(policy, cast("TransactionFrame", transactions), period, only)
    cur = policy.currency
    start, end = period.start, period.end
    scope = policy.scope
    contains = None if scope.everything else scope.contains
    acc: dict[str, list[Decimal]] = {}
    get = acc.get
    with localcontext(CONTEXT):
        for t in transactions:
            if type(t) is not Transaction and not isinstance(t, Transaction):
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
            a = get(pid)
            if a is None:
                a = acc[pid] = [_ZERO, _ZERO, _ZERO, _ZERO]
            kind = t.kind
            if kind is _SALE:
                a[0] += m.amount
                a[3] += t.quantity
            elif kind is _RETURN:
                a[1] += m.amount
                a[3] -= t.quantity
            else:
                a[2] += m.amount
    return acc


def _settle_one(
    policy: RebatePolicy,
    partner_id: str,
    period: Period,
    sums: list[Decimal],
    *,
    plan: Plan,
    metrics: object,
    tier: object,
    advances: object,
    baseline: object,
    keyed: bool,
) -> Settlement:
    """Settle one partner from its sums.

    ``keyed``: the options came from the mappings of ``settle_all``, so an error names one as
    ``advances['D1']`` rather than ``advances``.
    """

    def name(one: str, mapping: str) -> str:
        return f"{mapping}[{partner_id!r}]" if keyed else one

    cur = policy.currency
    metrics_name = name("metrics", "metrics")
    checked_metrics, checked_tier = check_options(
        metrics, tier, metrics_name=metrics_name, tier_name=name("tier", "tiers")
    )
    paid = (
        _ZERO
        if advances is _ZERO
        else read_amount(advances, cur, name("advances", "advances"), non_negative=True)
    )
    sales, returns, collections, units = sums
    base: Decimal | None = None
    kind = plan.basis
    if kind is RebateBasis.INCREMENTAL:
        if baseline is None:
            msg = (
                f"policy {policy.id} has an incremental basis: pass the baseline (net sales to "
                f"grow from) of {partner_id}"
            )
            raise PolicyError(msg, policy=policy.id)
        base = read_amount(baseline, cur, name("baseline", "baselines"))
    elif baseline is not None:
        msg = (
            f"policy {policy.id} has a {kind.value} basis: a baseline (given for "
            f"{partner_id}) applies only to an incremental basis"
        )
        raise PolicyError(msg, policy=policy.id)
    if kind is RebateBasis.NET_SALES:
        basis = CONTEXT.subtract(sales, returns)
    elif kind is RebateBasis.GROSS_SALES:
        basis = sales
    elif kind is RebateBasis.COLLECTIONS:
        basis = collections
    elif kind is RebateBasis.UNITS:
        basis = units
    else:
        basis = CONTEXT.subtract(CONTEXT.subtract(sales, returns), base)  # type: ignore[arg-type]
    result = evaluate(
        policy,
        basis,
        metrics=checked_metrics,
        tier=checked_tier,
        plan=plan,
        metrics_name=metrics_name,
    )
    return trusted(
        Settlement,
        {
            "partner_id": partner_id,
            "period": period,
            "gross_sales": Money._make(sales, cur),
            "returns": Money._make(returns, cur),
            "collections": Money._make(collections, cur),
            "units": units,
            "baseline": base,
            "basis": basis,
            "result": result,
            "advances": Money.zero(cur) if paid is _ZERO else Money._make(paid, cur),
            "payable": Money._make(CONTEXT.subtract(result.amount.amount, paid), cur),
        },
    )


def settle(
    policy: RebatePolicy,
    transactions: Iterable[Transaction] | TableLike,
    period: Period,
    *,
    partner_id: str,
    metrics: Metrics | None = None,
    tier: Tier | None = None,
    advances: DecimalLike | Money = Decimal(0),
    baseline: DecimalLike | Money | None = None,
) -> Settlement:
    r"""Settle one partner's rebate for ``period`` from its transactions.

    Parameters
    ----------
    policy
        The rebate policy.
    transactions
        Any transactions: other partners', those outside ``period`` (half-open) and those
        outside ``policy.scope`` are ignored. An iterable of ``Transaction``, or a table (a
        [`TransactionFrame`][channelkit.frames.TransactionFrame] or any Arrow-compatible table:
        pyarrow, pandas, polars, duckdb; see ``channelkit.frames``), summed in columns to a
        result equal to that of the same rows as models.
    period
        The settlement period; inside ``policy.valid`` when that is set.
    partner_id
        The partner to settle.
    metrics, tier
        As for [`compute_rebate`][].
    advances
        Rebates already paid for the period (interim advances), not negative.
    baseline
        The net sales to grow from: required for an ``INCREMENTAL`` basis, refused otherwise.

    Returns
    -------
    Settlement
        The figures, the basis, the rebate and ``payable = result.amount - advances``.

    Raises
    ------
    PolicyError
        ``period`` outside ``policy.valid``; a missing or unexpected ``baseline``; metrics
        missing for a condition (``.policy`` and ``.metric`` say which).
    CurrencyMismatchError
        A transaction that counts (this partner's, in the period and scope) is in another
        currency than the policy's, or ``advances`` or ``baseline`` is ``Money`` in another.
    ArgumentError
        Negative ``advances``, a blank ``partner_id``, or a number outside the input bounds; an
        [`ArgumentTypeError`][channelkit.ArgumentTypeError] (also a ``TypeError``) for an
        argument of the wrong type: ``partner_id`` not a ``str`` (``None`` included),
        ``transactions`` not an iterable of ``Transaction`` nor a table, ``period`` not a
        ``Period``...
    FrameError
        ``transactions`` is a table with a row that breaks a rule of ``Transaction`` (it is
        read by ``frames.transactions`` with its defaults: a table needs a ``currency`` column,
        else pass a frame built with ``currency=``).

    Notes
    -----
    $$
    \begin{aligned}
    \text{net sales} &= \text{sales} - \text{returns} \\
    \text{units} &= \text{units sold} - \text{units returned} \\
    \text{incremental} &= \text{net sales} - \text{baseline}
    \end{aligned}
    $$

    A basis below zero (returns above sales, or net sales below the baseline) earns nothing
    and the result says so. ``payable`` below zero is a clawback: settle the year with the
    quarterly advances to true up.

    Examples
    --------
    >>> import datetime as dt
    >>> from channelkit import Bracket, Money, Period, RebatePolicy, Transaction
    >>> policy = RebatePolicy(id="P", name="P", currency="CNY",
    ...                       brackets=(Bracket(start=0, rate="0.02"),))
    >>> txs = [Transaction(id="T1", partner_id="D1", date=dt.date(2026, 7, 3), kind="sale",
    ...                    amount=Money(80_000, "CNY")),
    ...        Transaction(id="T2", partner_id="D1", date=dt.date(2026, 8, 3), kind="return",
    ...                    amount=Money(5_000, "CNY"))]
    >>> s = settle(policy, txs, Period.quarter(2026, 3), partner_id="D1")
    >>> s.basis, s.payable
    (Decimal('75000'), Money('1500.00', 'CNY'))
    """
    policy, txs = _check(policy, transactions, period)
    if not isinstance(partner_id, str):
        msg = f"partner_id must be a str, not {type(partner_id).__name__}"
        raise ArgumentTypeError(msg, argument="partner_id", value=partner_id)
    try:
        _ID.validate_python(partner_id)
    except ValidationError:
        msg = f"partner_id must not be empty or blank, got {partner_id!r}"
        raise ArgumentError(msg, argument="partner_id", value=partner_id) from None
    plan = plan_of(policy)
    sums = _sums(policy, txs, period, partner_id).get(partner_id, [_ZERO, _ZERO, _ZERO, _ZERO])
    return _settle_one(
        policy,
        partner_id,
        period,
        sums,
        plan=plan,
        metrics=metrics,
        tier=tier,
        advances=advances,
        baseline=baseline,
        keyed=False,
    )


def settle_all(
    policy: RebatePolicy,
    transactions: Iterable[Transaction] | TableLike,
    period: Period,
    *,
    metrics: Mapping[str, Metrics] | None = None,
    tiers: Mapping[str, Tier] | None = None,
    advances: Mapping[str, DecimalLike | Money] | None = None,
    baselines: Mapping[str, DecimalLike | Money] | None = None,
) -> dict[str, Settlement]:
    """Settle every partner with a transaction in the period and scope, in one pass.

    Parameters
    ----------
    policy, transactions, period
        As for [`settle`][].
    metrics, tiers, advances, baselines
        Mappings keyed by partner id; a partner missing from one gets [`settle`][]'s default
        (no metrics, no tier, no advances, no baseline).

    Returns
    -------
    dict of str to Settlement
        One settlement per partner (never the vendor's direct sales), ordered by partner id.

    Raises
    ------
    PolicyError, CurrencyMismatchError, ArgumentError, FrameError
        As for [`settle`][], for any partner (an option is named by its mapping and key:
        ``advances['D1']``); an [`ArgumentTypeError`][channelkit.ArgumentTypeError] also when
        ``metrics``, ``tiers``, ``advances`` or ``baselines`` is not a mapping.

    Notes
    -----
    One pass over ``transactions`` sums each partner's figures; each partner is then settled
    as [`settle`][] would (``settle_all(...)[p] == settle(..., partner_id=p)``). A table is
    filtered and summed per partner in columns, exactly, and each partner is settled from its
    sums by the same code as for models: no ``Transaction`` is built. A partner
    with advances but no transaction in the period is not settled: settle it with
    [`settle`][] to claw the advances back.

    Examples
    --------
    >>> import datetime as dt
    >>> from channelkit import Bracket, Money, Period, RebatePolicy, Transaction
    >>> policy = RebatePolicy(id="P", name="P", currency="CNY",
    ...                       brackets=(Bracket(start=0, rate="0.02"),))
    >>> txs = [Transaction(id=f"T{i}", partner_id=p, date=dt.date(2026, 7, 3), kind="sale",
    ...                    amount=Money(amount, "CNY"))
    ...        for i, (p, amount) in enumerate([("D2", 10_000), ("D1", 30_000), (None, 5)])]
    >>> {p: s.payable for p, s in settle_all(policy, txs, Period.quarter(2026, 3)).items()}
    {'D1': Money('600.00', 'CNY'), 'D2': Money('200.00', 'CNY')}
    """
    policy, txs = _check(policy, transactions, period)
    by_metrics = _mapping(metrics, "metrics")
    by_tier = _mapping(tiers, "tiers")
    by_advance = _mapping(advances, "advances")
    by_baseline = _mapping(baselines, "baselines")
    plan = plan_of(policy)
    acc = _sums(policy, txs, period)
    return {
        pid: _settle_one(
            policy,
            pid,
            period,
            acc[pid],
            plan=plan,
            metrics=by_metrics.get(pid),
            tier=by_tier.get(pid),
            advances=by_advance.get(pid, _ZERO),
            baseline=by_baseline.get(pid),
            keyed=True,
        )
        for pid in sorted(acc)
    }


def accrue(
    policy: RebatePolicy,
    basis_to_date: DecimalLike | Money,
    *,
    projected_basis: DecimalLike | Money,
    metrics: Metrics | None = None,
    tier: Tier | None = None,
) -> Accrual:
    r"""The rebate liability to book mid-period (返利计提).

    Parameters
    ----------
    policy
        The rebate policy.
    basis_to_date
        The basis reached so far in the period.
    projected_basis
        The basis the partner is expected to reach by the end of the period.
    metrics, tier
        As for [`compute_rebate`][], applied at the projected basis.

    Returns
    -------
    Accrual
        The projected result, the effective rate and the rounded amount.

    Raises
    ------
    PolicyError, CurrencyMismatchError, ArgumentError
        As for [`compute_rebate`][], for either basis; a ``PolicyError`` also when the accrual
        is too large to round to the minor unit in 34 digits (a projected basis far below the
        basis to date).

    Notes
    -----
    $$
    \text{accrual} = \text{basis to date} \times
    \frac{\text{rebate}(\text{projected})}{\text{projected}}
    $$

    rounded once with the policy's rounding. A projected basis of 0 accrues 0. The projection
    may be below the basis to date (returns expected); it is used as given.

    Examples
    --------
    >>> from channelkit import Bracket, RebatePolicy
    >>> policy = RebatePolicy(id="P", name="P", currency="CNY", brackets=(
    ...     Bracket(start=0, rate="0.01"), Bracket(start=100_000, rate="0.03")))
    >>> accrue(policy, 50_000, projected_basis=200_000).amount
    Money('1000.00', 'CNY')
    """
    check_policy(policy)
    metrics, tier = check_options(metrics, tier)
    so_far = basis_value(policy, basis_to_date, "basis_to_date")
    projected_at = basis_value(policy, projected_basis, "projected_basis")
    plan = plan_of(policy)
    projected = evaluate(policy, projected_at, metrics=metrics, tier=tier, plan=plan)
    rate = projected.effective_rate
    amount = rounded(policy, plan, CONTEXT.multiply(so_far, rate), "the accrual")
    return trusted(
        Accrual,
        {
            "policy_id": policy.id,
            "basis_to_date": so_far,
            "projected_basis": projected_at,
            "projected": projected,
            "effective_rate": rate,
            "amount": Money._make(amount, policy.currency),
        },
    )
