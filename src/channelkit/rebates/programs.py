"""Rebate programmes (返利政策组合): several policies on one partner, stacked (叠加).

A [`Program`][] holds rebate policies in order and says how they stack ([`Stacking`][]): every
policy pays on its own scope (ADD), a transaction counts for the first policy whose scope holds
it (FIRST), the partner gets the best single policy (BEST), or each policy applies to what the
previous one left (COMPOUND). [`settle_program`][] and [`settle_program_all`][] settle a
programme from transactions (models or a table) into a [`ProgramSettlement`][] per partner,
with one [`Settlement`][channelkit.Settlement] per policy: each policy is settled by
[`settle`][channelkit.settle] and [`settle_all`][channelkit.settle_all] themselves, so a
programme computes every figure exactly as its policies alone would.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Final, Self, cast

from pydantic import Field, model_validator

from channelkit.currencies import CurrencyCode
from channelkit.errors import ArgumentTypeError, PolicyError
from channelkit.model import Id, Model
from channelkit.money import Money, read_amount
from channelkit.numeric import DecimalLike
from channelkit.periods import Period
from channelkit.rebates._rows import check_id, check_period, partner_rows, read_rows
from channelkit.rebates._stacking import compound, first_parts, settled_alone, total
from channelkit.rebates.engine import Metrics, check_options
from channelkit.rebates.models import RebateBasis, RebatePolicy, SettleUnit
from channelkit.rebates.settled import Settlement
from channelkit.rebates.settlement import _mapping, settle, settle_all
from channelkit.rebates.stacked import ProgramSettlement, Stacking
from channelkit.tiers import Tier
from channelkit.transactions import Transaction

if TYPE_CHECKING:
    from channelkit._tables import TableLike

__all__ = [
    "Stacking",
    "Program",
    "ProgramSettlement",
    "settle_program",
    "settle_program_all",
]

_ZERO: Final = Decimal(0)


class Program(Model):
    """A rebate programme: policies in order and how they stack (返利政策组合).

    Every policy is in the programme's currency and has its own id. COMPOUND needs one money
    basis and one scope across the policies, each settled per period (each policy's basis is
    the previous one's less its rebate, so they must measure the same thing); a rule broken is
    a ``ValidationError`` naming the field (``policies[1].scope``).

    Examples
    --------
    >>> from channelkit import Bracket, RebatePolicy
    >>> base = RebatePolicy(id="BASE", name="Base", currency="CNY",
    ...                     brackets=(Bracket(start=0, rate="0.02"),))
    >>> bonus = RebatePolicy(id="BONUS", name="Bonus", currency="CNY",
    ...                      brackets=(Bracket(start=100_000, rate="0.01"),))
    >>> Program(id="2026", name="2026 programme", currency="CNY",
    ...         policies=(base, bonus)).stacking
    <Stacking.ADD: 'add'>
    """

    id: Id
    """The programme's identifier."""
    name: Annotated[str, Field(min_length=1)]
    """Display name."""
    currency: CurrencyCode
    """The currency of every policy and of every amount settled."""
    policies: Annotated[tuple[RebatePolicy, ...], Field(min_length=1)]
    """The policies, in order (FIRST: priority; BEST: ties go to the earlier; COMPOUND: the
    order the rebates are taken off the basis)."""
    stacking: Stacking = Stacking.ADD
    """How the policies combine."""

    @model_validator(mode="after")
    def _rules(self) -> Self:
        seen: dict[str, int] = {}
        for i, p in enumerate(self.policies):
            if p.id in seen:
                msg = (
                    f"policy ids must be unique: policies[{i}].id ({p.id!r}) repeats "
                    f"policies[{seen[p.id]}].id"
                )
                raise ValueError(msg)
            seen[p.id] = i
            if p.currency != self.currency:
                msg = (
                    f"policies[{i}].currency ({p.currency}) must be the programme's currency "
                    f"({self.currency})"
                )
                raise ValueError(msg)
        if self.stacking is Stacking.COMPOUND:
            first = self.policies[0]
            if not RebateBasis(first.basis).is_money:
                msg = (
                    f"stacking compound needs a money basis: policies[0].basis is "
                    f"{first.basis.value}"
                )
                raise ValueError(msg)
            for i, p in enumerate(self.policies[1:], start=1):
                if p.basis is not first.basis:
                    msg = (
                        f"stacking compound needs one basis: policies[{i}].basis "
                        f"({p.basis.value}) differs from policies[0].basis ({first.basis.value})"
                    )
                    raise ValueError(msg)
                if p.scope != first.scope:
                    msg = (
                        f"stacking compound needs one scope: policies[{i}].scope differs from "
                        "policies[0].scope"
                    )
                    raise ValueError(msg)
            for i, p in enumerate(self.policies):
                if p.per is SettleUnit.TRANSACTION:
                    msg = (
                        f"stacking compound takes each rebate off the period's basis: "
                        f"policies[{i}].per must be period, not transaction"
                    )
                    raise ValueError(msg)
        return self


# -- arguments ---------------------------------------------------------------------------------


def _check_program(program: object) -> Program:
    if not isinstance(program, Program):
        msg = f"program must be a Program, not {type(program).__name__}"
        raise ArgumentTypeError(msg, argument="program", value=program)
    return program


def _active(program: Program, period: Period) -> tuple[RebatePolicy, ...]:
    """The policies whose ``valid`` contains the period; none is a ``PolicyError``."""
    active = tuple(
        p
        for p in program.policies
        if p.valid is None or (p.valid.start <= period.start and period.end <= p.valid.end)
    )
    if not active:
        msg = (
            f"programme {program.id}: no policy is valid for the whole settlement period "
            f"{period} (each policy's valid period must contain it)"
        )
        raise PolicyError(msg, policy=program.id)
    return active


def _incremental(policy: RebatePolicy) -> bool:
    """Whether ``policy`` reads a baseline (an ``INCREMENTAL`` basis or tier basis)."""
    return RebateBasis.INCREMENTAL in (policy.basis, policy.tier_basis)


def _refuse_baseline(program: Program, partner_id: str) -> None:
    msg = (
        f"programme {program.id} has no incremental policy: a baseline (given for "
        f"{partner_id}) applies only to an incremental basis"
    )
    raise PolicyError(msg, policy=program.id)


# -- the calculators ---------------------------------------------------------------------------


def settle_program(
    program: Program,
    transactions: Iterable[Transaction] | TableLike,
    period: Period,
    *,
    partner_id: str,
    metrics: Metrics | None = None,
    tier: Tier | None = None,
    advances: DecimalLike | Money = Decimal(0),
    baseline: DecimalLike | Money | None = None,
) -> ProgramSettlement:
    r"""Settle one partner's programme for ``period``: every policy, stacked.

    Parameters
    ----------
    program
        The programme: its policies in order and their stacking.
    transactions
        As for [`settle`][channelkit.settle]: models or a table (a
        [`TransactionFrame`][channelkit.frames.TransactionFrame] or any Arrow-compatible
        table), read once; the table path gives a result equal to the model path's.
    period
        The settlement period. A policy whose ``valid`` does not contain it takes no part.
    partner_id
        The partner to settle.
    metrics, tier
        As for [`compute_rebate`][channelkit.compute_rebate], for every policy.
    advances
        Rebates already paid for the period, not negative, taken once off the programme's
        amount (each policy's own settlement has none).
    baseline
        The net sales to grow from, given to every ``INCREMENTAL`` policy; refused when the
        programme has none.

    Returns
    -------
    ProgramSettlement
        Each policy's settlement, ``chosen`` (BEST), ``amount`` and ``payable``.

    Raises
    ------
    PolicyError
        No policy of the programme is valid for ``period``; a baseline missing for an
        ``INCREMENTAL`` policy or given to a programme without one; a metric missing for a
        condition (as for [`settle`][channelkit.settle]).
    CurrencyMismatchError
        A transaction that counts is in another currency, or ``advances`` or ``baseline`` is
        ``Money`` in another.
    ArgumentError
        Negative ``advances``, a blank ``partner_id``, a number outside the input bounds; an
        [`ArgumentTypeError`][channelkit.ArgumentTypeError] for an argument of the wrong type
        (``program`` not a ``Program``, ``transactions`` not an iterable of ``Transaction``
        nor a table...).
    FrameError
        ``transactions`` is a table with a row that breaks a rule of ``Transaction``.

    Notes
    -----
    With the policies $1..n$ in force, $b_k$ the basis policy $k$ is given and
    $a_k = \text{rebate}_k(b_k)$ its rounded amount:

    $$
    \begin{aligned}
    \text{ADD, FIRST: } A &= \textstyle\sum_k a_k \\
    \text{BEST: } A &= \max_k a_k \\
    \text{COMPOUND: } b_{k+1} &= b_k - a_k, \quad A = \textstyle\sum_k a_k \\
    \text{payable} &= A - \text{advances}
    \end{aligned}
    $$

    ADD settles every policy on its own scope. FIRST gives each transaction to the first policy
    (in order) whose scope holds it, so no transaction counts twice; a policy then settles the
    transactions it was given. BEST settles every policy and pays the highest amount, ties to
    the earlier policy. COMPOUND settles the first policy, then takes each policy's rounded
    rebate off the basis of the next (20% then 10% pays 28% of the basis). A basis below zero
    earns nothing, as in [`settle`][channelkit.settle].

    Examples
    --------
    >>> import datetime as dt
    >>> from channelkit import Bracket, Money, Period, RebatePolicy, Scope, Transaction
    >>> phones = RebatePolicy(id="PHONES", name="Phones", currency="CNY",
    ...                       brackets=(Bracket(start=0, rate="0.05"),),
    ...                       scope=Scope(skus=frozenset({"PH-1"})))
    >>> rest = RebatePolicy(id="REST", name="Everything else", currency="CNY",
    ...                     brackets=(Bracket(start=0, rate="0.02"),))
    >>> program = Program(id="PG", name="PG", currency="CNY", policies=(phones, rest),
    ...                   stacking="first")
    >>> txs = [Transaction(id="T1", partner_id="D1", date=dt.date(2026, 7, 3), kind="sale",
    ...                    amount=Money(10_000, "CNY"), sku="PH-1"),
    ...        Transaction(id="T2", partner_id="D1", date=dt.date(2026, 7, 9), kind="sale",
    ...                    amount=Money(30_000, "CNY"), sku="TV-9")]
    >>> s = settle_program(program, txs, Period.quarter(2026, 3), partner_id="D1")
    >>> [(x.result.policy_id, x.basis) for x in s.settlements], s.amount
    ([('PHONES', Decimal('10000')), ('REST', Decimal('30000'))], Money('1100.00', 'CNY'))
    """
    program = _check_program(program)
    period = check_period(period)
    pid = check_id(partner_id, "partner_id")
    checked_metrics, checked_tier = check_options(metrics, tier)
    paid = read_amount(advances, program.currency, "advances", non_negative=True)
    if baseline is not None and not any(_incremental(p) for p in program.policies):
        _refuse_baseline(program, pid)
    active = _active(program, period)
    rows = partner_rows(read_rows(transactions), (pid,))
    parts = first_parts(active, rows) if program.stacking is Stacking.FIRST else None

    def one(k: int, policy: RebatePolicy) -> Settlement:
        return settle(
            policy,
            rows if parts is None else parts[k],
            period,
            partner_id=pid,
            metrics=checked_metrics,
            tier=checked_tier,
            baseline=baseline if _incremental(policy) else None,
        )

    stacking = program.stacking
    own = [one(k, p) if settled_alone(stacking, k, p) else None for k, p in enumerate(active)]
    if stacking is Stacking.COMPOUND:
        settlements = compound(
            active, own, metrics=checked_metrics, tier=checked_tier, metrics_name="metrics"
        )
    else:
        settlements = cast(list[Settlement], own)
    return total(program, pid, period, settlements, paid)


def settle_program_all(
    program: Program,
    transactions: Iterable[Transaction] | TableLike,
    period: Period,
    *,
    metrics: Mapping[str, Metrics] | None = None,
    tiers: Mapping[str, Tier] | None = None,
    advances: Mapping[str, DecimalLike | Money] | None = None,
    baselines: Mapping[str, DecimalLike | Money] | None = None,
) -> dict[str, ProgramSettlement]:
    """Settle the programme of every partner with a transaction in the period and some scope.

    Parameters
    ----------
    program, transactions, period
        As for [`settle_program`][].
    metrics, tiers, advances, baselines
        Mappings keyed by partner id; a partner missing from one gets
        [`settle_program`][]'s default.

    Returns
    -------
    dict of str to ProgramSettlement
        One per partner (never the vendor's direct sales) with a transaction in the period and
        in the scope of some policy in force (FIRST: the same), ordered by partner id.

    Raises
    ------
    PolicyError, CurrencyMismatchError, ArgumentError, FrameError
        As for [`settle_program`][], for any partner (an option is named by its mapping and
        key: ``advances['D1']``); an [`ArgumentTypeError`][channelkit.ArgumentTypeError] also
        when an option is not a mapping.

    Notes
    -----
    Each policy is settled for every partner at once by [`settle_all`][channelkit.settle_all]
    (over a table: in columns; FIRST filters the frame by the scopes, never building models),
    and a partner with nothing in one policy's scope gets that policy's settlement of nothing.
    So ``settle_program_all(...)[p] == settle_program(..., partner_id=p)``. A partner with
    advances but no transaction is not settled: use [`settle_program`][] to claw them back.

    Examples
    --------
    >>> import datetime as dt
    >>> from channelkit import Bracket, Money, Period, RebatePolicy, Transaction
    >>> flat = RebatePolicy(id="FLAT", name="Flat 2%", currency="CNY",
    ...                     brackets=(Bracket(start=0, rate="0.02"),))
    >>> volume = RebatePolicy(id="VOLUME", name="Volume", currency="CNY", mode="volume",
    ...                       brackets=(Bracket(start=0, rate="0.01"),
    ...                                 Bracket(start=50_000, rate="0.03")))
    >>> program = Program(id="PG", name="PG", currency="CNY", policies=(flat, volume),
    ...                   stacking="best")
    >>> txs = [Transaction(id=f"T{i}", partner_id=p, date=dt.date(2026, 7, 3), kind="sale",
    ...                    amount=Money(a, "CNY"))
    ...        for i, (p, a) in enumerate([("D1", 80_000), ("D2", 20_000)])]
    >>> out = settle_program_all(program, txs, Period.quarter(2026, 3))
    >>> {p: (s.chosen, s.amount) for p, s in out.items()}
    {'D1': ('VOLUME', Money('2400.00', 'CNY')), 'D2': ('FLAT', Money('400.00', 'CNY'))}
    """
    program = _check_program(program)
    period = check_period(period)
    by_metrics: Mapping[str, Any] = _mapping(metrics, "metrics")
    by_tier: Mapping[str, Any] = _mapping(tiers, "tiers")
    by_advance: Mapping[str, Any] = _mapping(advances, "advances")
    by_baseline: Mapping[str, Any] = _mapping(baselines, "baselines")
    active = _active(program, period)
    rows = read_rows(transactions)
    if program.stacking is Stacking.FIRST:
        parts = first_parts(active, rows)
    else:
        parts = [rows] * len(active)
    settled = [
        settle_all(
            policy,
            part,
            period,
            metrics=by_metrics,
            tiers=by_tier,
            baselines=by_baseline if _incremental(policy) else None,
        )
        if settled_alone(program.stacking, k, policy)
        else None
        for k, (policy, part) in enumerate(zip(active, parts, strict=True))
    ]
    any_incremental = any(_incremental(p) for p in program.policies)
    out: dict[str, ProgramSettlement] = {}
    for pid in sorted(set().union(*(one for one in settled if one is not None))):
        if not any_incremental and by_baseline.get(pid) is not None:
            _refuse_baseline(program, pid)
        paid = read_amount(
            by_advance.get(pid, _ZERO), program.currency, f"advances[{pid!r}]", non_negative=True
        )
        # the options of a partner settle_all did not settle, named as settle_all names them
        m, t = check_options(
            by_metrics.get(pid),
            by_tier.get(pid),
            metrics_name=f"metrics[{pid!r}]",
            tier_name=f"tiers[{pid!r}]",
        )
        found: list[Settlement | None] = []
        for policy, one in zip(active, settled, strict=True):
            if one is None:  # COMPOUND: read from the first policy's figures
                found.append(None)
            else:
                found.append(
                    one[pid] if pid in one else _nothing(policy, pid, period, m, t, by_baseline)
                )
        if program.stacking is Stacking.COMPOUND:
            settlements = compound(
                active, found, metrics=m, tier=t, metrics_name=f"metrics[{pid!r}]"
            )
        else:
            settlements = cast(list[Settlement], found)
        out[pid] = total(program, pid, period, settlements, paid)
    return out


def _nothing(
    policy: RebatePolicy,
    pid: str,
    period: Period,
    metrics: Metrics | None,
    tier: Tier | None,
    baselines: Mapping[str, Any],
) -> Settlement:
    """The settlement of a partner that has nothing in ``policy``'s scope (or its part).

    That is [`settle`][channelkit.settle] over no transaction; a baseline is read first under
    its mapping's name (``baselines['D1']``), as ``settle_all`` names it.
    """
    base = baselines.get(pid) if _incremental(policy) else None
    if base is not None:
        read_amount(base, policy.currency, f"baselines[{pid!r}]")
    return settle(policy, [], period, partner_id=pid, metrics=metrics, tier=tier, baseline=base)
