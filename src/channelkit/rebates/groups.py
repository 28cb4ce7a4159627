"""Buying groups and two-tier chains (采购联盟 / 二级分销): one rebate on pooled volume.

[`settle_group`][] pools the bases of a group's members (the partners whose ``parent_id``
chain reaches the group, and the group itself), applies the policy once to the pool and shares
the rebate back to the members in proportion to their own bases, to the minor unit, in a
[`GroupSettlement`][].
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, Self

from pydantic import model_validator

from channelkit.currencies import CURRENCIES
from channelkit.errors import ArgumentError, ArgumentTypeError, PolicyError
from channelkit.labels import fmt_amount, fmt_number, pick
from channelkit.model import Id, Model, trusted
from channelkit.money import Money, ResultMoney, allocate
from channelkit.numeric import CONTEXT, DecimalLike, ResultDec
from channelkit.partners import Partner
from channelkit.periods import Period
from channelkit.rebates import _html
from channelkit.rebates._rows import check_id, check_period, partner_rows, read_rows
from channelkit.rebates.engine import Metrics, check_options, check_policy
from channelkit.rebates.models import RebateBasis, RebatePolicy
from channelkit.rebates.results import _money
from channelkit.rebates.settled import Settlement
from channelkit.rebates.settlement import settle, settle_all
from channelkit.tiers import Tier
from channelkit.transactions import Transaction

if TYPE_CHECKING:
    from channelkit._tables import TableLike
    from channelkit.rebates._rows import Rows

__all__ = ["GroupSettlement", "settle_group"]

_ZERO: Final = Decimal(0)
_ONE: Final = Decimal(1)


class GroupSettlement(Model):
    """A buying group's rebate: the pool settled once, and each member's share of it.

    ``shares`` sum exactly to ``settlement.result.amount``; ``payable`` is the pool's
    (``amount - advances``, negative for a clawback).
    """

    group_id: Id
    """The group: the partner the members' ``parent_id`` chains reach."""
    members: tuple[Id, ...]
    """The members, sorted by id, the group itself included."""
    bases: Mapping[Id, ResultDec]
    """Each member's own basis, in ``members`` order (``INCREMENTAL``: its net sales)."""
    settlement: Settlement
    """The pool settled as one partner (``partner_id`` is ``group_id``)."""
    shares: Mapping[Id, ResultMoney]
    """Each member's share of the pooled amount, in ``members`` order, zeros included."""
    payable: ResultMoney
    """The pool's payable: ``settlement.result.amount - advances``."""

    _repr_html_ = _html.group_settlement

    @model_validator(mode="after")
    def _same_members(self) -> Self:
        if len(set(self.members)) != len(self.members):
            msg = f"members must not repeat an id, got {list(self.members)}"
            raise ValueError(msg)
        for name in ("bases", "shares"):
            keys = getattr(self, name).keys()
            if set(keys) != set(self.members):
                msg = (
                    f"{name} must have one entry per member {list(self.members)}, got {list(keys)}"
                )
                raise ValueError(msg)
        return self

    def explain(self, lang: str = "en") -> str:
        """The members and their bases, the pool's settlement, and each member's share.

        Examples
        --------
        >>> import datetime as dt
        >>> from channelkit import Bracket, Money, Partner, Period, RebatePolicy, Transaction
        >>> ladder = RebatePolicy(id="L", name="L", currency="CNY", mode="volume", brackets=(
        ...     Bracket(start=0, rate="0.01"), Bracket(start=100_000, rate="0.03")))
        >>> dealers = [Partner(id=d, name=d, kind="dealer", parent_id="G", currency="CNY",
        ...                    payment_terms_days=30, joined=dt.date(2024, 1, 1))
        ...            for d in ("D1", "D2")]
        >>> txs = [Transaction(id=f"T{i}", partner_id=d, date=dt.date(2026, 7, 3), kind="sale",
        ...                    amount=Money(a, "CNY"))
        ...        for i, (d, a) in enumerate([("D1", 70_000), ("D2", 50_000)])]
        >>> g = settle_group(ladder, txs, Period.quarter(2026, 3), partners=dealers,
        ...                  group_id="G")
        >>> print(g.explain())
        Buying group G, 3 members, under policy L for 2026-07-01..2026-10-01
          bases: D1 70,000.00, D2 50,000.00, G 0.00; pooled 120,000.00
        Rebate for policy L on net sales 120,000.00 CNY (volume (whole basis), reach)
          120,000.00 (bracket from 100,000.00) at 3% = 3,600.00
        Payable: 3,600.00 CNY (effective rate 3%)
        Highest bracket reached
        Shares of 3,600.00 CNY by each member's positive basis:
          D1 2,100.00, D2 1,500.00, G 0.00
        Advances paid: 0.00; payable: 3,600.00 CNY
        """
        s = self.settlement
        cur = s.payable.currency
        places = CURRENCIES[cur]
        money = s.result.basis_kind.is_money

        def show(v: Decimal) -> str:
            return fmt_amount(v, places) if money else fmt_number(v)

        amount = s.result.amount.amount
        if not amount:
            how = pick(lang, "nothing to share", "无可分配返利")
        elif not any((b if amount > 0 else -b) > 0 for b in self.bases.values()):
            how = pick(lang, "equally", "平均分配")
        elif amount > 0:
            how = pick(lang, "by each member's positive basis", "按各成员正基数比例")
        else:
            how = pick(lang, "by each member's negative basis", "按各成员负基数比例")
        out = [
            pick(
                lang,
                "Buying group {g}, {n} members, under policy {p} for {per}",
                "采购联盟 {g}，{n} 个成员，政策 {p}，{per}",
            ).format(g=self.group_id, n=len(self.members), p=s.result.policy_id, per=s.period),
        ]
        less = (
            ""
            if s.baseline is None
            else pick(lang, "; less the group's baseline {b}", "；减去联盟基准 {b}").format(
                b=fmt_amount(s.baseline, places)
            )
        )
        out.append(
            pick(lang, "  bases: {b}{x}; pooled {t}", "  各成员基数：{b}{x}；合计 {t}").format(
                b=", ".join(f"{m} {show(self.bases[m])}" for m in self.members),
                x=less,
                t=show(s.basis),
            )
        )
        out.append(s.result.explain(lang))
        out.append(
            pick(lang, "Shares of {a} {c} {h}:", "返利 {a} {c} 的分配（{h}）：").format(
                a=_money(s.result.amount), c=cur, h=how
            )
        )
        out.append("  " + ", ".join(f"{m} {_money(self.shares[m])}" for m in self.members))
        if s.payable.amount < 0:
            tail = pick(lang, "clawback: {a} {c}", "追回：{a} {c}").format(
                a=_money(-s.payable), c=cur
            )
        else:
            tail = pick(lang, "payable: {a} {c}", "应付：{a} {c}").format(
                a=_money(s.payable), c=cur
            )
        out.append(
            pick(lang, "Advances paid: {v}; {t}", "已预付：{v}；{t}").format(
                v=_money(s.advances), t=tail
            )
        )
        return "\n".join(out)


def _partners(partners: object) -> dict[str, str | None]:
    """Each partner's ``parent_id`` by id, the argument checked (a partner listed twice too)."""
    if isinstance(partners, str | bytes | Partner) or not isinstance(partners, Iterable):
        msg = f"partners must be an iterable of Partner, not {type(partners).__name__}"
        raise ArgumentTypeError(msg, argument="partners", value=partners)
    parents: dict[str, str | None] = {}
    for p in partners:
        if not isinstance(p, Partner):
            msg = f"partners must hold Partner objects only, got {type(p).__name__}"
            raise ArgumentTypeError(msg, argument="partners", value=p)
        if p.id in parents:
            msg = f"partners lists the partner {p.id!r} twice"
            raise ArgumentError(msg, argument="partners", value=p.id)
        parents[p.id] = p.parent_id
    return parents


def _cycle(parents: Mapping[str, str | None], policy: str) -> None:
    """Raise a ``PolicyError`` showing the first cycle of ``parent_id`` links, if any."""
    done: set[str] = set()
    for start in parents:
        path: list[str] = []
        on_path: set[str] = set()
        node: str | None = start
        while node is not None and node in parents and node not in done:
            if node in on_path:
                loop = [*path[path.index(node) :], node]
                msg = f"the partners' parent_id links form a cycle: {' -> '.join(loop)}"
                raise PolicyError(msg, policy=policy)
            path.append(node)
            on_path.add(node)
            node = parents[node]
        done.update(path)


def members_of(parents: Mapping[str, str | None], group_id: str) -> list[str]:
    """``group_id`` and every partner whose ``parent_id`` chain reaches it, sorted.

    The links must be free of cycles (``_cycle``); a chain ends at a partner without a parent
    or at a parent not in ``parents``.
    """
    reaches: dict[str, bool] = {group_id: True}
    for start in parents:
        path: list[str] = []
        node: str | None = start
        while node is not None and node not in reaches:
            path.append(node)
            node = parents.get(node)
        found = node is not None and reaches[node]
        for n in path:
            reaches[n] = found
    return sorted(n for n, yes in reaches.items() if yes)


def _pooled(rows: Rows, group_id: str) -> Rows:
    """The members' rows, each relabelled as the group's (the pool as one partner)."""
    if isinstance(rows, list):
        return [
            t if t.partner_id == group_id else t.model_copy(update={"partner_id": group_id})
            for t in rows
        ]
    import pyarrow as pa

    from channelkit.frames import TransactionFrame

    table = rows.to_arrow()
    at = table.column_names.index("partner_id")
    table = table.set_column(at, "partner_id", pa.repeat(pa.scalar(group_id), table.num_rows))
    # the rows were checked and a non-blank id stays one: the frame needs no second check
    return TransactionFrame._make(table, None)


def _weights(bases: list[Decimal], amount: Decimal) -> list[Decimal]:
    """Positive bases for a positive amount, negative ones (as sizes) for a negative one."""
    sized = [b if amount > 0 else CONTEXT.minus(b) for b in bases]
    weights = [w if w > 0 else _ZERO for w in sized]
    return weights if any(weights) else [_ONE] * len(bases)


def settle_group(
    policy: RebatePolicy,
    transactions: Iterable[Transaction] | TableLike,
    period: Period,
    *,
    partners: Iterable[Partner],
    group_id: str,
    metrics: Metrics | None = None,
    tier: Tier | None = None,
    advances: DecimalLike | Money = Decimal(0),
    baseline: DecimalLike | Money | None = None,
) -> GroupSettlement:
    r"""Settle a buying group: the policy applied once to its members' pooled basis.

    Parameters
    ----------
    policy
        The rebate policy.
    transactions
        As for [`settle`][channelkit.settle]: models or a table, with a result equal to the
        model path's; transactions of partners outside the group are ignored.
    period
        The settlement period (inside ``policy.valid`` when that is set).
    partners
        The partners whose ``parent_id`` links make the group: each partner whose chain of
        parents reaches ``group_id`` is a member. Ids must be unique.
    group_id
        The group: its own transactions count too, whether or not it is in ``partners``.
    metrics, tier
        The group's, as for [`compute_rebate`][channelkit.compute_rebate].
    advances
        Rebates already paid to the group for the period, not negative.
    baseline
        The group's net sales to grow from: required for an ``INCREMENTAL`` basis, refused
        otherwise.

    Returns
    -------
    GroupSettlement
        The members, their bases, the pool's settlement, each member's share, the payable.

    Raises
    ------
    PolicyError
        A cycle in the ``parent_id`` links of ``partners`` (anywhere, not only in the group);
        as for [`settle`][channelkit.settle]: ``period`` outside ``policy.valid``, a baseline
        missing or not expected, a metric missing for a condition.
    CurrencyMismatchError
        A member's transaction that counts is in another currency, or ``advances`` or
        ``baseline`` is ``Money`` in another.
    ArgumentError
        A partner listed twice, negative ``advances``, a blank ``group_id``; an
        [`ArgumentTypeError`][channelkit.ArgumentTypeError] for an argument of the wrong type.
    FrameError
        ``transactions`` is a table with a row that breaks a rule of ``Transaction``.

    Notes
    -----
    With $b_m$ the basis of member $m$ and $A$ the rounded rebate of the pool:

    $$
    \begin{aligned}
    B &= \textstyle\sum_m b_m \quad (\text{INCREMENTAL: } \textstyle\sum_m b_m - \text{baseline})\\
    A &= \text{rebate}(B) \\
    \text{share}_m &\approx A \, \frac{w_m}{\sum_j w_j}, \quad
      w_m = \begin{cases} \max(b_m, 0) & A > 0 \\ \max(-b_m, 0) & A < 0 \end{cases}
    \end{aligned}
    $$

    The pool is settled as one partner whose id is ``group_id`` (negative bases included, so a
    member's returns lower the pool). The shares are split by
    [`allocate`][channelkit.allocate]: largest remainder, ties to the smaller id, summing
    exactly to $A$. Members whose basis has the other sign get zero; when no member has a
    basis of the amount's sign, $A$ is split equally (the remainder to the smaller ids). For
    an ``INCREMENTAL`` basis each member's basis is its net sales and the group's baseline is
    taken once off the pool.

    Examples
    --------
    >>> import datetime as dt
    >>> from channelkit import Bracket, Money, Partner, Period, RebatePolicy, Transaction
    >>> ladder = RebatePolicy(id="L", name="L", currency="CNY", mode="volume", brackets=(
    ...     Bracket(start=0, rate="0.01"), Bracket(start=100_000, rate="0.03")))
    >>> dealers = [Partner(id=d, name=d, kind="dealer", parent_id="G", currency="CNY",
    ...                    payment_terms_days=30, joined=dt.date(2024, 1, 1))
    ...            for d in ("D1", "D2")]
    >>> txs = [Transaction(id=f"T{i}", partner_id=d, date=dt.date(2026, 7, 3), kind="sale",
    ...                    amount=Money(a, "CNY"))
    ...        for i, (d, a) in enumerate([("D1", 70_000), ("D2", 50_000)])]
    >>> g = settle_group(ladder, txs, Period.quarter(2026, 3), partners=dealers, group_id="G")
    >>> g.settlement.basis, g.settlement.result.amount
    (Decimal('120000'), Money('3600.00', 'CNY'))
    >>> dict(g.shares)
    {'D1': Money('2100.00', 'CNY'), 'D2': Money('1500.00', 'CNY'), 'G': Money('0.00', 'CNY')}
    """
    policy = check_policy(policy)
    period = check_period(period)
    gid = check_id(group_id, "group_id")
    metrics, tier = check_options(metrics, tier)
    parents = _partners(partners)
    _cycle(parents, policy.id)
    members = members_of(parents, gid)
    rows = partner_rows(read_rows(transactions), members)
    pool = settle(
        policy,
        _pooled(rows, gid),
        period,
        partner_id=gid,
        metrics=metrics,
        tier=tier,
        advances=advances,
        baseline=baseline,
    )
    # a member's own basis; with an incremental basis (or tier basis) the baseline is the
    # group's, so a member's is read with none (0): its net sales
    incremental = RebateBasis.INCREMENTAL in (policy.basis, policy.tier_basis)
    own = settle_all(
        policy,
        rows,
        period,
        metrics=None if metrics is None else dict.fromkeys(members, metrics),
        baselines=dict.fromkeys(members, _ZERO) if incremental else None,
    )
    bases = [own[m].basis if m in own else _ZERO for m in members]
    amount = pool.result.amount
    if amount.amount:
        parts = allocate(amount, _weights(bases, amount.amount))
    else:
        parts = [amount] * len(members)
    values: dict[str, Any] = {
        "group_id": gid,
        "members": tuple(members),
        "bases": dict(zip(members, bases, strict=True)),
        "settlement": pool,
        "shares": dict(zip(members, parts, strict=True)),
        "payable": pool.payable,
    }
    return trusted(GroupSettlement, values)
