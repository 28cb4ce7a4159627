"""The cumulative rebate ledger (累计返利台账): [`ledger`][], [`RebateLedger`][], [`LedgerEntry`][].

A ledger settles one partner over consecutive periods and says what to pay in each. Year-to-date
ladders (``cumulative=True``) settle the basis from the first period's start and pay the
difference from what was paid before; otherwise each period is settled on its own. A RETURN of
a sale from an earlier period of the ledger is counted in that sale's period, which is restated;
the change is booked in the entry of the period the return happened in, as a ``clawback``.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Final, cast

from pydantic import ValidationError

from channelkit._tables import TableLike, is_table, rows_or_frame
from channelkit.currencies import CURRENCIES
from channelkit.errors import ArgumentError, ArgumentTypeError
from channelkit.labels import fmt_amount, fmt_number, pick
from channelkit.model import Id, Model, trusted
from channelkit.money import Money, ResultMoney
from channelkit.numeric import CONTEXT, DecimalLike, ResultDec
from channelkit.periods import Period
from channelkit.rebates import _html
from channelkit.rebates.engine import Metrics
from channelkit.rebates.models import RebateBasis, RebatePolicy
from channelkit.rebates.results import _money
from channelkit.rebates.settlement import _ID, settle
from channelkit.rebates.versions import PolicyVersions
from channelkit.tiers import Tier
from channelkit.transactions import Transaction, TransactionKind

if TYPE_CHECKING:
    from channelkit.frames import TransactionFrame

__all__ = ["LedgerEntry", "RebateLedger", "ledger"]

_ZERO: Final = Decimal(0)
_DAY: Final = dt.timedelta(days=1)


class LedgerEntry(Model):
    """One period of a [`RebateLedger`][]: the rebate settled and what it pays."""

    period: Period
    """The ledger's period this entry settles."""
    basis: ResultDec
    """The basis settled: to date (from the ledger's first period) when cumulative, else the
    period's own."""
    rebate: ResultMoney
    """The rebate of ``basis`` (to date when cumulative)."""
    paid_before: ResultMoney
    """The sum of the payables of the entries before this one."""
    clawback: ResultMoney
    """What restating earlier periods (for returns of their sales booked in this period) takes
    back from what they earned; positive when the restatement lowers an earlier rebate."""
    payable: ResultMoney
    """What this entry pays: ``rebate - paid_before`` when cumulative, else
    ``rebate - clawback`` (negative: money owed back)."""

    _repr_html_ = _html.ledger_entry

    def explain(self, lang: str = "en") -> str:
        """The entry's figures: the period, basis and rebate, then what it pays.

        Examples
        --------
        >>> from channelkit import Money, Period
        >>> cny = Money("0.00", "CNY")
        >>> entry = LedgerEntry(period=Period.quarter(2026, 1), basis=80_000,
        ...                     rebate=Money("1600.00", "CNY"), paid_before=cny, clawback=cny,
        ...                     payable=Money("1600.00", "CNY"))
        >>> print(entry.explain())
        2026-01-01..2026-04-01: basis 80,000, rebate 1,600.00
          paid before 0.00, clawback 0.00, payable 1,600.00 CNY
        """
        return _entry_text(self, lang, fmt_number(self.basis))


def _entry_text(entry: LedgerEntry, lang: str, basis: str, indent: str = "") -> str:
    return pick(
        lang,
        "{i}{p}: basis {b}, rebate {r}\n{i}  paid before {pb}, clawback {c}, payable {a} {cur}",
        "{i}{p}：基数 {b}，返利 {r}\n{i}  此前已付 {pb}，追回 {c}，本期应付 {a} {cur}",
    ).format(
        i=indent,
        p=entry.period,
        b=basis,
        r=_money(entry.rebate),
        pb=_money(entry.paid_before),
        c=_money(entry.clawback),
        a=_money(entry.payable),
        cur=entry.payable.currency,
    )


class RebateLedger(Model):
    """A partner's rebates over consecutive periods, entry by entry (累计返利台账).

    ``total_paid`` is the sum of the payables: cumulative, it equals the rebate of the whole
    span's restated basis; otherwise the sum of each period's restated rebate.
    """

    partner_id: Id
    """The partner the ledger is for."""
    policy_id: Id
    """The policy (or the versions' programme) settled."""
    basis_kind: RebateBasis
    """What the bases measure."""
    cumulative: bool
    """Whether each entry settles the basis to date (year-to-date ladders)."""
    entries: tuple[LedgerEntry, ...]
    """One entry per period, in order."""
    total_paid: ResultMoney
    """The sum of the entries' payables."""

    _repr_html_ = _html.rebate_ledger

    def explain(self, lang: str = "en") -> str:
        """Every entry's figures and the total paid.

        Examples
        --------
        >>> import datetime as dt
        >>> from channelkit import Bracket, Money, Period, RebatePolicy, Transaction
        >>> policy = RebatePolicy(id="P", name="P", currency="CNY",
        ...                       brackets=(Bracket(start=0, rate="0.02"),))
        >>> sale = Transaction(id="T1", partner_id="D1", date=dt.date(2026, 2, 3),
        ...                    kind="sale", amount=Money(50_000, "CNY"))
        >>> book = ledger(policy, [sale], Period.half(2026, 1).split("quarterly"),
        ...               partner_id="D1")
        >>> print(book.explain("zh"))
        D1 的返利台账（政策 P，2 期，按累计基数）
          2026-01-01..2026-04-01：基数 50,000.00，返利 1,000.00
            此前已付 0.00，追回 0.00，本期应付 1,000.00 CNY
          2026-04-01..2026-07-01：基数 50,000.00，返利 1,000.00
            此前已付 1,000.00，追回 0.00，本期应付 0.00 CNY
        合计支付：1,000.00 CNY
        """
        cur = self.total_paid.currency
        out = [
            pick(
                lang,
                "Rebate ledger of {p} under policy {pol}: {n} periods, {how}",
                "{p} 的返利台账（政策 {pol}，{n} 期，{how}）",
            ).format(
                p=self.partner_id,
                pol=self.policy_id,
                n=len(self.entries),
                how=pick(lang, "cumulative (to date)", "按累计基数")
                if self.cumulative
                else pick(lang, "each period on its own", "逐期计算"),
            )
        ]
        for e in self.entries:
            basis = (
                fmt_amount(e.basis, CURRENCIES[cur])
                if self.basis_kind.is_money
                else fmt_number(e.basis)
            )
            out.append(_entry_text(e, lang, basis, "  "))
        out.append(
            pick(lang, "Total paid: {t} {c}", "合计支付：{t} {c}").format(
                t=_money(self.total_paid), c=cur
            )
        )
        return "\n".join(out)


# -- the calculator --------------------------------------------------------------------------------


def _periods(periods: object) -> tuple[Period, ...]:
    """``periods`` checked: a non-empty sequence of ascending, contiguous periods."""
    if isinstance(periods, str | bytes | Period) or not isinstance(periods, Iterable):
        msg = f"periods must be a sequence of Period, not {type(periods).__name__}"
        raise ArgumentTypeError(msg, argument="periods", value=periods)
    found = tuple(cast("Iterable[object]", periods))
    if not found:
        msg = "periods must not be empty"
        raise ArgumentError(msg, argument="periods", value=found)
    checked: list[Period] = []
    for k, p in enumerate(found):
        if not isinstance(p, Period):
            msg = f"periods[{k}] must be a Period, not {type(p).__name__}"
            raise ArgumentTypeError(msg, argument=f"periods[{k}]", value=p)
        if checked and p.start != checked[-1].end:
            msg = (
                f"periods must be ascending and contiguous: periods[{k}] ({p}) does not start "
                f"where periods[{k - 1}] ({checked[-1]}) ends"
            )
            raise ArgumentError(msg, argument=f"periods[{k}]", value=p)
        checked.append(p)
    return tuple(checked)


def _partner_rows(transactions: object, partner_id: str) -> list[Transaction]:
    """The partner's transactions as models: a table is filtered to them in columns first."""
    rows = rows_or_frame(transactions)
    if is_table(rows):
        frame = cast("TransactionFrame", rows)
        import pyarrow.compute as pc

        return list(frame.filter(pc.equal(frame.column("partner_id"), partner_id)))
    mine: list[Transaction] = []
    for t in cast("Iterable[object]", rows):
        if not isinstance(t, Transaction):
            msg = f"transactions must hold Transaction objects only, got {type(t).__name__}"
            raise ArgumentTypeError(msg, argument="transactions", value=t)
        if t.partner_id == partner_id:
            mine.append(t)
    return mine


def _moves(txs: list[Transaction], periods: tuple[Period, ...]) -> dict[int, list[tuple[int, int]]]:
    """The returns counted in their sale's earlier period, by the period they happened in.

    For period ``m``: ``(position in txs, index of the sale's period)`` of each RETURN dated in
    ``m`` whose ``refers_to`` names a sale (the first of that id) of an earlier period.
    """
    starts = [p.start for p in periods]
    last = periods[-1].end

    def at(day: dt.date) -> int:
        return bisect_right(starts, day) - 1 if starts[0] <= day < last else -1

    sales: dict[str, dt.date] = {}
    for t in txs:
        if t.kind is TransactionKind.SALE:
            sales.setdefault(t.id, t.date)
    moves: dict[int, list[tuple[int, int]]] = {}
    for pos, t in enumerate(txs):
        if t.kind is not TransactionKind.RETURN or t.refers_to not in sales:
            continue
        m, j = at(t.date), at(sales[t.refers_to])
        if 0 <= j < m:
            moves.setdefault(m, []).append((pos, j))
    return moves


def ledger(
    policy_or_versions: RebatePolicy | PolicyVersions,
    transactions: Iterable[Transaction] | TableLike,
    periods: Sequence[Period],
    *,
    partner_id: str,
    cumulative: bool = True,
    metrics: Metrics | None = None,
    tier: Tier | None = None,
    baseline: DecimalLike | Money | None = None,
) -> RebateLedger:
    r"""Settle one partner over consecutive ``periods`` and say what to pay in each.

    Parameters
    ----------
    policy_or_versions
        A [`RebatePolicy`][channelkit.RebatePolicy], or [`PolicyVersions`][] (dated terms).
    transactions
        Any transactions (an iterable of ``Transaction`` or a table, as for
        [`settle`][channelkit.settle]); only the partner's are read.
    periods
        The periods, ascending and contiguous (each starts where the one before it ends).
    partner_id
        The partner.
    cumulative
        ``True`` (year-to-date ladders): entry ``k`` settles the basis from the first period's
        start to period ``k``'s end and pays the difference from what was paid before.
        ``False``: each period is settled on its own.
    metrics, tier
        As for [`settle`][channelkit.settle], for every settlement of the ledger.
    baseline
        The net sales to grow from, for an ``INCREMENTAL`` basis (the same for every
        settlement of the ledger); refused for any other basis.

    Returns
    -------
    RebateLedger
        One [`LedgerEntry`][] per period and ``total_paid``.

    Raises
    ------
    ArgumentError
        ``periods`` empty, or not ascending and contiguous (named ``periods[k]``); a blank
        ``partner_id``; an [`ArgumentTypeError`][channelkit.ArgumentTypeError] for an argument
        of the wrong type.
    PolicyError, CurrencyMismatchError, FrameError
        As [`settle`][channelkit.settle] raises them for any settlement of the ledger (a span
        outside the policy's ``valid``, a missing baseline, a transaction that counts in
        another currency, a bad row of a table).

    Notes
    -----
    A RETURN dated in period $m$ whose ``refers_to`` names a SALE of the partner dated in an
    earlier period $j < m$ of the ledger is counted in period $j$, as on its last day: from
    entry $m$ on, every settlement reads it there, and period $j$ is restated. A return whose
    sale is not found, or lies outside the ledger's periods or in the return's own period,
    counts in its own period. With $R_k$ the rebate entry $k$ settles and $R'_{k-1}$ the
    rebate to period $k-1$'s end restated with the returns booked in period $k$:

    $$
    \begin{aligned}
    \text{cumulative: } \text{payable}_k &= R_k - \text{paid before}_k, \quad
    \text{clawback}_k = \text{paid before}_k - R'_{k-1} \\
    \text{each period: } \text{payable}_k &= R_k - \text{clawback}_k, \quad
    \text{clawback}_k = \sum_{j<k} \big(R_j^{(k-1)} - R_j^{(k)}\big)
    \end{aligned}
    $$

    where $R_j^{(k)}$ is period $j$'s rebate as restated at entry $k$ and
    $\text{paid before}_k = \sum_{i<k} \text{payable}_i$. Earlier entries keep what they paid;
    a restatement shows only in the entry where it is booked. The payables add up exactly to
    the rebate of the whole span's restated basis (cumulative) or to the sum of each period's
    restated rebate (each period on its own). Every settlement is [`settle`][channelkit.settle]'s
    own (for versions, the terms in force at each settled span's end apply).

    Examples
    --------
    >>> import datetime as dt
    >>> from channelkit import Bracket, Money, Period, RebatePolicy, Transaction
    >>> ladder = RebatePolicy(id="YTD", name="Year to date", currency="CNY", brackets=(
    ...     Bracket(start=0, rate="0.01"), Bracket(start=100_000, rate="0.03")))
    >>> def tx(i, day, kind, amount, **kw):
    ...     return Transaction(id=f"T{i}", partner_id="D1", date=day, kind=kind,
    ...                        amount=Money(amount, "CNY"), **kw)
    >>> txs = [tx(1, dt.date(2026, 2, 1), "sale", 80_000),
    ...        tx(2, dt.date(2026, 5, 1), "sale", 60_000),
    ...        tx(3, dt.date(2026, 8, 1), "return", 30_000, refers_to="T1")]
    >>> quarters = Period.year(2026).split("quarterly")[:3]
    >>> book = ledger(ladder, txs, quarters, partner_id="D1")
    >>> [(e.rebate.amount, e.clawback.amount, e.payable.amount) for e in book.entries]
    ... # doctest: +NORMALIZE_WHITESPACE
    [(Decimal('800.00'), Decimal('0'), Decimal('800.00')),
     (Decimal('2200.00'), Decimal('0.00'), Decimal('1400.00')),
     (Decimal('1300.00'), Decimal('900.00'), Decimal('-900.00'))]
    >>> book.total_paid
    Money('1300.00', 'CNY')

    Q3's return of Q1's sale restates the first half: 110,000 to date earns
    $1{,}000 + 10{,}000 \times 3\% = 1{,}300$ where 2,200 was paid, so Q3 claws back 900. Each
    period on its own, Q1 is restated to 50,000 (500 where 800 was paid):

    >>> [e.payable.amount for e in ledger(ladder, txs, quarters, partner_id="D1",
    ...                                   cumulative=False).entries]
    [Decimal('800.00'), Decimal('600.00'), Decimal('-300.00')]
    """
    if not isinstance(policy_or_versions, RebatePolicy | PolicyVersions):
        msg = (
            "policy_or_versions must be a RebatePolicy or PolicyVersions, not "
            f"{type(policy_or_versions).__name__}"
        )
        raise ArgumentTypeError(msg, argument="policy_or_versions", value=policy_or_versions)
    if not isinstance(partner_id, str):
        msg = f"partner_id must be a str, not {type(partner_id).__name__}"
        raise ArgumentTypeError(msg, argument="partner_id", value=partner_id)
    try:
        _ID.validate_python(partner_id)
    except ValidationError:
        msg = f"partner_id must not be empty or blank, got {partner_id!r}"
        raise ArgumentError(msg, argument="partner_id", value=partner_id) from None
    if not isinstance(cumulative, bool):
        msg = f"cumulative must be a bool, not {type(cumulative).__name__}"
        raise ArgumentTypeError(msg, argument="cumulative", value=cumulative)
    spans = _periods(periods)
    txs = _partner_rows(transactions, partner_id)
    moves = _moves(txs, spans)

    def rebate(view: list[Transaction], period: Period) -> tuple[Decimal, Decimal]:
        s = settle(
            policy_or_versions,
            view,
            period,
            partner_id=partner_id,
            metrics=metrics,
            tier=tier,
            baseline=baseline,
        )
        return s.basis, s.result.amount.amount

    first = spans[0].start
    view = list(txs)
    rows: list[tuple[Period, Decimal, Decimal, Decimal]] = []  # period, basis, rebate, clawback
    paid = _ZERO
    known: dict[int, Decimal] = {}  # each period's rebate as last restated (not cumulative)
    for k, period in enumerate(spans):
        booked = moves.get(k, [])
        for pos, j in booked:
            view[pos] = view[pos].model_copy(update={"date": spans[j].end - _DAY})
        if cumulative:
            basis, amount = rebate(view, Period(first, period.end))
            restated = rebate(view, Period(first, spans[k - 1].end))[1] if booked else paid
            clawback = CONTEXT.subtract(paid, restated)
            paid = amount
        else:
            clawback = _ZERO
            for j in sorted({j for _, j in booked}):
                again = rebate(view, spans[j])[1]
                clawback = CONTEXT.add(clawback, CONTEXT.subtract(known[j], again))
                known[j] = again
            basis, amount = rebate(view, period)
            known[k] = amount
        rows.append((period, basis, amount, clawback))
    return _book(policy_or_versions, partner_id, cumulative, rows)


def _book(
    policy: RebatePolicy | PolicyVersions,
    partner_id: str,
    cumulative: bool,
    rows: list[tuple[Period, Decimal, Decimal, Decimal]],
) -> RebateLedger:
    """The ledger of the settled rows: paid before and payables, summed exactly."""
    cur = policy.currency
    entries: list[LedgerEntry] = []
    paid = _ZERO
    for period, basis, amount, clawback in rows:
        payable = (
            CONTEXT.subtract(amount, paid) if cumulative else CONTEXT.subtract(amount, clawback)
        )
        entries.append(
            trusted(
                LedgerEntry,
                {
                    "period": period,
                    "basis": basis,
                    "rebate": Money._make(amount, cur),
                    "paid_before": Money._make(paid, cur),
                    "clawback": Money._make(clawback, cur),
                    "payable": Money._make(payable, cur),
                },
            )
        )
        paid = CONTEXT.add(paid, payable)
    return trusted(
        RebateLedger,
        {
            "partner_id": partner_id,
            "policy_id": policy.id,
            "basis_kind": RebateBasis(policy.basis),
            "cumulative": cumulative,
            "entries": tuple(entries),
            "total_paid": Money._make(paid, cur),
        },
    )
