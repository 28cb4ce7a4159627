"""Settling rebates from transactions: [`settle`][], [`settle_all`][] and [`accrue`][].

A settlement reads a partner's transactions in a half-open period and in the policy's scope,
sums sales, returns, collections and net units, picks the basis the policy names and computes
the rebate. ``advances`` (interim rebates already paid) turn an annual settlement into a
true-up; a negative payable is a clawback.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Final, cast

from pydantic import TypeAdapter, ValidationError

from channelkit._tables import TableLike, is_table, rows_or_frame
from channelkit.errors import ArgumentError, ArgumentTypeError, PolicyError
from channelkit.model import Id, bulk
from channelkit.money import Money, read_amount
from channelkit.numeric import DecimalLike
from channelkit.periods import Period
from channelkit.rebates._accrual import accrue
from channelkit.rebates._figures import MORE, figure, model_sums, uses, width
from channelkit.rebates.engine import (
    Metrics,
    check_options,
    check_policy,
    evaluate,
)
from channelkit.rebates.models import RebateBasis, RebatePolicy
from channelkit.rebates.plan import Plan, plan_of
from channelkit.rebates.settled import Settlement, settlement_of
from channelkit.rebates.versions import PolicyVersions
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
    rows = rows_or_frame(transactions)
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
    return checked, rows


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
    """One pass: ``[sales, returns, collections, net units, ...]`` per partner that counts.

    The first four figures are in every list; a policy whose basis or tier basis is MARGIN or
    PAID_SALES, or that tiers per transaction, gets more (see ``_figures``), all additive. A
    frame (the table path) is summed in columns by ``_columnar.frame_sums``, to the same
    figures.
    """
    if is_table(transactions):
        from channelkit.rebates._columnar import frame_sums

        return frame_sums(policy, cast("TransactionFrame", transactions), period, only)
    return model_sums(policy, plan_of(policy), transactions, period, only)


def _baseline(
    policy: RebatePolicy, plan: Plan, partner_id: str, baseline: object, name: str
) -> Decimal | None:
    """The checked baseline: required when the basis or tier basis is INCREMENTAL, else refused."""
    incremental = uses(plan, RebateBasis.INCREMENTAL)
    if incremental and baseline is None:
        what = "basis" if plan.basis is RebateBasis.INCREMENTAL else "tier basis"
        msg = (
            f"policy {policy.id} has an incremental {what}: pass the baseline (net sales to "
            f"grow from) of {partner_id}"
        )
        raise PolicyError(msg, policy=policy.id)
    if baseline is None:
        return None
    if not incremental:
        msg = (
            f"policy {policy.id} has a {plan.basis.value} basis: a baseline (given for "
            f"{partner_id}) applies only to an incremental basis or tier basis"
        )
        raise PolicyError(msg, policy=policy.id)
    return read_amount(baseline, policy.currency, name)


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
    size = width(plan)
    if len(sums) < size:  # a partner without transactions: the figures not given are zeros
        sums = [*sums, *[_ZERO] * (size - len(sums))]
    sales, returns, collections, units = sums[:4]
    base = _baseline(policy, plan, partner_id, baseline, name("baseline", "baselines"))
    basis = figure(plan.basis, sums, base)
    tier_value = None if plan.tier_basis is None else figure(plan.tier_basis, sums, base)
    result = evaluate(
        policy,
        basis,
        metrics=checked_metrics,
        tier=checked_tier,
        plan=plan,
        metrics_name=metrics_name,
        tier_value=tier_value,
        tallies=sums[MORE:] if plan.per_transaction else None,
    )
    advanced = Money.zero(cur) if paid is _ZERO else Money._make(paid, cur)
    return settlement_of(
        partner_id,
        period,
        cur,
        (sales, returns, collections, units),
        base,
        basis,
        result,
        advanced,
    )


def settle(
    policy: RebatePolicy | PolicyVersions,
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
        The rebate policy, or its [`PolicyVersions`][channelkit.PolicyVersions] (dated terms:
        each transaction earns the terms in force on its date, as that class describes; the
        union of the versions' ``valid`` must contain ``period``).
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
        The net sales to grow from: required when the basis or the tier basis is
        ``INCREMENTAL``, refused otherwise.

    Returns
    -------
    Settlement
        The figures, the basis, the rebate and ``payable = result.amount - advances``.

    Raises
    ------
    PolicyError
        ``period`` outside ``policy.valid``; a missing or unexpected ``baseline``; metrics
        missing for a condition (``.policy`` and ``.metric`` say which); under a ``MARGIN``
        basis or tier basis, a sale or return that counts without ``cost`` (named by its id).
    CurrencyMismatchError
        A transaction that counts (this partner's, in the period and scope) is in another
        currency than the policy's, or ``advances`` or ``baseline`` is ``Money`` in another;
        under ``PAID_SALES``, also a sale, return or payment the paid sales read.
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
    \text{incremental} &= \text{net sales} - \text{baseline} \\
    \text{margin} &= \text{net sales} - (\text{cost of sales} - \text{cost of returns}) \\
    \text{paid sales} &= \textstyle\sum_p \min\big(p,\ \text{what of its sale is unpaid}\big)
    \end{aligned}
    $$

    Paid sales count the partner's payments that name (``refers_to``) one of its own sales in
    scope, in the period containing the later of the payment's and the sale's date, each up
    to what of its sale is still unpaid (its amount, less its returns dated before the
    period's end, less the payments of it before, by date then id). A ``tier_basis`` figure is
    computed from the same transactions and picks the bracket. ``per=TRANSACTION`` tiers each
    sale on its own figure and takes back from each return what its own figure earns (not
    under ``GROSS_SALES``); the threshold is met by the period's figure and a negative sum of
    the transactions' rebates is paid as 0 unless ``allow_negative``.

    A basis below zero (returns above sales, or net sales below the baseline) earns nothing
    and the result says so; with ``allow_negative`` it earns the first bracket's rate, a
    negative rebate. ``payable`` below zero is a clawback: settle the year with the
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
    if isinstance(policy, PolicyVersions):
        from channelkit.rebates._versioned import settle_versions

        return settle_versions(
            policy,
            transactions,
            period,
            partner_id=partner_id,
            metrics=metrics,
            tier=tier,
            advances=advances,
            baseline=baseline,
        )
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
    policy: RebatePolicy | PolicyVersions,
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
    [`settle`][] to claw the advances back. Under ``PAID_SALES`` (basis or tier basis) a
    partner with a payment that counts in the period is settled too.

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
    if isinstance(policy, PolicyVersions):
        from channelkit.rebates._versioned import settle_all_versions

        return settle_all_versions(
            policy,
            transactions,
            period,
            metrics=metrics,
            tiers=tiers,
            advances=advances,
            baselines=baselines,
        )
    policy, txs = _check(policy, transactions, period)
    by_metrics = _mapping(metrics, "metrics")
    by_tier = _mapping(tiers, "tiers")
    by_advance = _mapping(advances, "advances")
    by_baseline = _mapping(baselines, "baselines")
    plan = plan_of(policy)
    with bulk():  # many results: the collector paused (model.bulk)
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
