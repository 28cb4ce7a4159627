"""The fund ledger (费用台账): what each partner was allocated, committed, claimed and paid.

[`fund_balances`][] decides every request and claim again with
[`decide_request`][channelkit.incentives.decisions.decide_request] and
[`decide_claim`][channelkit.incentives.decisions.decide_claim] (one implementation of each rule),
posts the outcome as dated [`FundEntry`][] lines, adds payments, releases of closed requests and
expiries of requests whose claim window has closed, and sums each partner's entries into a
[`FundBalance`][]. Every figure is the sum of its entries, so the ledger and the balances cannot
disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, Final, Self, overload

from pydantic import model_validator

from channelkit.currencies import CurrencyCode
from channelkit.errors import expect
from channelkit.html import html_table
from channelkit.incentives import _funds_ledger as ledger
from channelkit.incentives._funds_args import read_date, read_ids, read_mapping, read_models, zero
from channelkit.incentives.decisions import decide_claim, decide_request
from channelkit.incentives.funds import Claim, FundAllocation, FundProgram, FundRequest
from channelkit.labels import LabeledEnum
from channelkit.model import Id, Model, trusted
from channelkit.money import Money, ResultMoney

__all__ = [
    # the ledger
    "FundEntryKind",
    "FundEntry",
    # results
    "FundBalance",
    "FundBalances",
    # calculators
    "fund_balances",
]


class FundEntryKind(LabeledEnum):
    """What a ledger line records, in the order a fund's money moves."""

    ALLOCATE = "allocate", "Allocated", "分配"
    COMMIT = "commit", "Committed", "承诺"
    CLAIM = "claim", "Claimed", "核销"
    PAY = "pay", "Paid", "支付"
    RELEASE = "release", "Released", "释放"
    EXPIRE = "expire", "Expired", "过期"


_ALLOCATE, _COMMIT, _CLAIM, _PAY, _RELEASE, _EXPIRE = FundEntryKind
_RANK: Final[dict[str, int]] = {kind: i for i, kind in enumerate(FundEntryKind)}
_NO_PAYMENTS: Final[Mapping[str, Money]] = MappingProxyType({})
"""The default of ``payments``: an empty mapping that cannot be changed (``== {}``)."""


class FundEntry(Model):
    """One dated line of a partner's fund ledger.

    ALLOCATE names no request; COMMIT, RELEASE and EXPIRE name a request; CLAIM and PAY name a
    request and a claim. Amounts are above zero (no zero lines are posted).

    Examples
    --------
    >>> e = FundEntry(date=dt.date(2026, 3, 1), kind="commit", request_id="R1",
    ...               amount=Money("8000.00", "CNY"))
    >>> e.kind.label("zh"), e.claim_id
    ('承诺', None)
    """

    date: dt.date
    """The day: the programme's start (ALLOCATE), the request's start (COMMIT), the claim's
    submission (CLAIM), ``as_of`` (PAY, RELEASE), the day after the claim window (EXPIRE)."""
    kind: FundEntryKind
    """What the line records."""
    request_id: Id | None = None
    """The request concerned (``None`` for ALLOCATE)."""
    claim_id: Id | None = None
    """The claim concerned (CLAIM and PAY only)."""
    amount: ResultMoney
    """The amount, above zero."""

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.amount.amount <= 0:
            msg = f"amount must be above zero, got {self.amount}"
            raise ValueError(msg)
        needs_request = self.kind is not _ALLOCATE
        needs_claim = self.kind in (_CLAIM, _PAY)
        if (self.request_id is not None) != needs_request:
            word = "names" if needs_request else "names no"
            msg = f"a {self.kind.value} entry {word} request_id, got {self.request_id!r}"
            raise ValueError(msg)
        if (self.claim_id is not None) != needs_claim:
            word = "names" if needs_claim else "names no"
            msg = f"a {self.kind.value} entry {word} claim_id, got {self.claim_id!r}"
            raise ValueError(msg)
        return self


class FundBalance(Model):
    """One partner's fund figures at ``as_of``, each the sum of its ledger entries.

    ``unpaid = claimed - paid``, ``available = allocated - committed + released`` and
    ``unclaimed = committed - claimed - released``; ``expired`` is part of ``unclaimed``.
    """

    partner_id: Id
    """The partner."""
    allocated: ResultMoney
    """Its allocation (ALLOCATE entries)."""
    committed: ResultMoney
    """What its requests were approved for (COMMIT entries)."""
    claimed: ResultMoney
    """What its claims were approved for (CLAIM entries)."""
    paid: ResultMoney
    """What was paid on its claims (PAY entries)."""
    unpaid: ResultMoney
    """``claimed - paid``: approved claims still to pay."""
    released: ResultMoney
    """What closed requests left unclaimed, back in ``available`` (RELEASE entries)."""
    available: ResultMoney
    """``allocated - committed + released``: what new requests may still commit."""
    unclaimed: ResultMoney
    """``committed - claimed - released``: committed money no claim has taken yet."""
    expired: ResultMoney
    """The unclaimed part of requests whose claim window closed before ``as_of`` (EXPIRE
    entries); part of ``unclaimed``, never back in ``available``."""
    entries: tuple[FundEntry, ...] = ()
    """The ledger behind the figures, by date, then kind, then the order posted."""

    @model_validator(mode="after")
    def _check(self) -> Self:
        ledger.check_balance(self)
        return self

    @property
    def currency(self) -> str:
        """The currency of every figure."""
        return self.allocated.currency

    def explain(self, lang: str = "en") -> str:
        """The partner's ledger line by line, then how each balance follows from the figures.

        Examples
        --------
        >>> cny = lambda a: Money(a, "CNY")
        >>> b = FundBalance(partner_id="P1", allocated=cny(100), committed=cny(80),
        ...     claimed=cny(50), paid=cny(50), unpaid=cny(0), released=cny(30),
        ...     available=cny(50), unclaimed=cny(0), expired=cny(0), entries=(
        ...         FundEntry(date=dt.date(2026, 1, 1), kind="allocate", amount=cny(100)),
        ...         FundEntry(date=dt.date(2026, 2, 1), kind="commit", request_id="R1",
        ...                   amount=cny(80)),
        ...         FundEntry(date=dt.date(2026, 3, 5), kind="claim", request_id="R1",
        ...                   claim_id="C1", amount=cny(50)),
        ...         FundEntry(date=dt.date(2026, 6, 30), kind="pay", request_id="R1",
        ...                   claim_id="C1", amount=cny(50)),
        ...         FundEntry(date=dt.date(2026, 6, 30), kind="release", request_id="R1",
        ...                   amount=cny(30))))
        >>> print(b.explain())
        Fund ledger of P1 (CNY)
          2026-01-01 Allocated 100.00
          2026-02-01 Committed R1 80.00
          2026-03-05 Claimed R1/C1 50.00
          2026-06-30 Paid R1/C1 50.00
          2026-06-30 Released R1 30.00
        Available: 100.00 allocated - 80.00 committed + 30.00 released = 50.00
        Unclaimed: 80.00 committed - 50.00 claimed - 30.00 released = 0.00 (expired 0.00)
        Unpaid: 50.00 claimed - 50.00 paid = 0.00
        """
        return ledger.explain_balance(self, lang)

    def _repr_html_(self) -> str:
        rows = [[e.date, e.kind, e.request_id, e.claim_id, e.amount] for e in self.entries]
        return html_table(
            f"Fund ledger {self.partner_id}",
            ["date", "kind", "request", "claim", "amount"],
            rows,
            summary=[(name, getattr(self, name)) for name in ledger.FIGURES],
        )


class FundBalances(Model):
    """Every partner's [`FundBalance`][] at ``as_of``, from [`fund_balances`][].

    A sequence of the balances too: ``len()``, indexing and iteration go over ``balances``.
    """

    as_of: dt.date
    """The day of the balances."""
    balances: tuple[FundBalance, ...]
    """One balance per partner of the allocation or of a request, by partner id."""
    program_id: Id | None = None
    """The programme."""
    currency: CurrencyCode | None = None
    """The programme's currency (``None`` only in balances built by hand)."""

    @model_validator(mode="after")
    def _check(self) -> Self:
        ids = [b.partner_id for b in self.balances]
        if ids != sorted(set(ids)):
            msg = f"balances must be ordered by partner id, one per partner, got {ids[:10]}"
            raise ValueError(msg)
        for b in self.balances:
            if self.currency is not None and b.currency != self.currency:
                msg = f"the balance of {b.partner_id} is in {b.currency}, not {self.currency}"
                raise ValueError(msg)
        return self

    def __len__(self) -> int:
        return len(self.balances)

    @overload
    def __getitem__(self, index: int) -> FundBalance: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[FundBalance, ...]: ...
    def __getitem__(self, index: int | slice) -> FundBalance | tuple[FundBalance, ...]:
        return self.balances[index]

    def __iter__(self) -> Iterator[FundBalance]:  # type: ignore[override]
        return iter(self.balances)

    def partner(self, partner_id: str) -> FundBalance:
        """The balance of ``partner_id`` (``KeyError`` when it has none)."""
        for b in self.balances:
            if b.partner_id == partner_id:
                return b
        raise KeyError(partner_id)

    def explain(self, lang: str = "en") -> str:
        """One line of figures per partner, then the totals.

        Examples
        --------
        >>> from channelkit.periods import Period
        >>> mdf = FundProgram(id="MDF", name="MDF", currency="CNY", period=Period.year(2026),
        ...                   budget=Money(10_000, "CNY"))
        >>> alloc = FundAllocation(program_id="MDF", amounts={"P1": Money(10_000, "CNY")},
        ...                        scaled=False)
        >>> r = FundRequest(id="R1", program_id="MDF", partner_id="P1", activity="display",
        ...                 planned_cost=Money(6_000, "CNY"), start=dt.date(2026, 3, 1),
        ...                 end=dt.date(2026, 3, 31))
        >>> c = Claim(id="C1", request_id="R1", partner_id="P1", amount=Money(5_000, "CNY"),
        ...           submitted=dt.date(2026, 4, 2), proof=("photos.zip",))
        >>> b = fund_balances(mdf, alloc, [r], [c], as_of=dt.date(2026, 6, 30),
        ...                   payments={"C1": Money(4_000, "CNY")})
        >>> print(b.explain())
        Fund balances of programme MDF at 2026-06-30 (CNY), 1 partner
          P1: allocated 10,000.00, committed 6,000.00, claimed 5,000.00, paid 4,000.00, released 0.00; available 4,000.00, unclaimed 1,000.00 (expired 1,000.00), unpaid 1,000.00
        Total: allocated 10,000.00, committed 6,000.00, claimed 5,000.00, paid 4,000.00, released 0.00; available 4,000.00, unclaimed 1,000.00 (expired 1,000.00), unpaid 1,000.00
        """  # noqa: E501
        return ledger.explain_balances(self, lang)

    def _repr_html_(self) -> str:
        rows = [[b.partner_id, *(getattr(b, n) for n in ledger.FIGURES)] for b in self.balances]
        caption = f"Fund balances {self.program_id or ''} at {self.as_of}".replace("  ", " ")
        return html_table(caption, ["partner", *ledger.FIGURES], rows)


def _balance(partner_id: str, lines: list[ledger.Line], cur: str) -> FundBalance:
    """The partner's entries by date, then kind (stable: then as posted), and their sums."""
    entries = tuple(
        trusted(FundEntry, line._asdict())
        for line in sorted(lines, key=lambda line: (line.date, _RANK[line.kind]))
    )
    sums = {name: zero(cur) for name in ledger.KIND_FIGURE.values()}
    for e in entries:
        name = ledger.KIND_FIGURE[e.kind]
        sums[name] = sums[name] + e.amount
    values: dict[str, Any] = {
        "partner_id": partner_id,
        "allocated": sums["allocated"],
        "committed": sums["committed"],
        "claimed": sums["claimed"],
        "paid": sums["paid"],
        "unpaid": sums["claimed"] - sums["paid"],
        "released": sums["released"],
        "available": sums["allocated"] - sums["committed"] + sums["released"],
        "unclaimed": sums["committed"] - sums["claimed"] - sums["released"],
        "expired": sums["expired"],
        "entries": entries,
    }
    return trusted(FundBalance, values)


def fund_balances(
    program: FundProgram,
    allocation: FundAllocation,
    requests: Iterable[FundRequest],
    claims: Iterable[Claim],
    *,
    as_of: dt.date,
    payments: Mapping[str, Money] = _NO_PAYMENTS,
    closed: frozenset[str] = frozenset(),
) -> FundBalances:
    r"""Each partner's fund balance at ``as_of``, with the ledger behind every figure.

    Parameters
    ----------
    program
        The programme.
    allocation
        Its allocation (``allocation.program_id == program.id``).
    requests
        The requests, decided again in the order given (ids unique).
    claims
        The claims (ids unique); those submitted after ``as_of`` or on a request not given are
        ignored.
    as_of
        The day of the balances.
    payments
        What was paid on each claim, by claim id: >= 0, in the programme's currency, at most
        the amount approved for the claim at ``as_of`` (0 for a rejected, later or unknown
        claim). ``{}`` (no payment) when not given.
    closed
        The ids of the requests closed: what they left unclaimed is released to ``available``
        (ids not among the requests are ignored).

    Returns
    -------
    FundBalances
        One [`FundBalance`][] per partner of the allocation or of a request, by partner id.

    Raises
    ------
    ArgumentError
        An allocation of another programme, an id given twice in ``requests`` or ``claims``, a
        payment that is negative or above what the claim was approved for (an
        [`ArgumentTypeError`][channelkit.ArgumentTypeError] for an argument of the wrong type).
    CurrencyMismatchError
        An allocation, a request's planned cost or a payment in another currency.

    Notes
    -----
    Requests are decided in the order given, each against the partner's allocation less what
    its earlier requests committed; claims submitted on or before ``as_of`` are decided in the
    order of ``submitted``, then id, each against its request's approval less what earlier
    claims on it were approved for. Rejected claims count nowhere. Per partner, with the
    figures the sums of their entries:

    $$
    \begin{aligned}
    \text{available} &= \text{allocated} - \text{committed} + \text{released} \\
    \text{unclaimed} &= \text{committed} - \text{claimed} - \text{released} \\
    \text{unpaid} &= \text{claimed} - \text{paid}
    \end{aligned}
    $$

    A closed request releases its unclaimed part (never expired); any other request whose
    claim window closed before ``as_of`` (``end + claim_window_days < as_of``) expires it.
    Entry dates: ALLOCATE on the programme's start, COMMIT on the request's ``start``, CLAIM on
    ``submitted``, PAY and RELEASE on ``as_of``, EXPIRE on ``end + claim_window_days + 1``. No
    zero-amount entry is posted.

    Examples
    --------
    >>> from channelkit.periods import Period
    >>> mdf = FundProgram(id="MDF", name="MDF", currency="CNY", period=Period.year(2026),
    ...                   claim_window_days=30)
    >>> alloc = FundAllocation(program_id="MDF", amounts={"P1": Money(10_000, "CNY")},
    ...                        scaled=False)
    >>> r = FundRequest(id="R1", program_id="MDF", partner_id="P1", activity="display",
    ...                 planned_cost=Money(6_000, "CNY"), start=dt.date(2026, 3, 1),
    ...                 end=dt.date(2026, 3, 31))
    >>> c = Claim(id="C1", request_id="R1", partner_id="P1", amount=Money(5_000, "CNY"),
    ...           submitted=dt.date(2026, 4, 2), proof=("photos.zip",))
    >>> b = fund_balances(mdf, alloc, [r], [c], as_of=dt.date(2026, 6, 30),
    ...                   payments={"C1": Money(4_000, "CNY")})
    >>> p1 = b[0]  # committed 6,000, claimed 5,000: 1,000 expired on 1 May (31 March + 30 + 1)
    >>> p1.available, p1.unclaimed, p1.expired, p1.unpaid
    (Money('4000.00', 'CNY'), Money('1000.00', 'CNY'), Money('1000.00', 'CNY'), Money('1000.00', 'CNY'))
    >>> [(e.date.isoformat(), e.kind.value) for e in p1.entries][-1]
    ('2026-06-30', 'pay')
    """  # noqa: E501
    program = expect(program, FundProgram, "program", "a FundProgram")
    alloc = ledger.check_allocation(allocation, program)
    day = read_date(as_of, "as_of")
    reqs = read_models(requests, FundRequest, "requests")
    given = read_models(claims, Claim, "claims")
    paid_in = read_mapping(payments, "payments", "claim ids to Money")
    shut = read_ids(closed, "closed")
    cur = program.currency
    book = ledger.Book()
    for pid, amount in alloc.amounts.items():
        book.post(pid, program.period.start, _ALLOCATE, None, None, amount)
    # requests in the order given, committed running per partner
    committed: dict[str, Money] = {}
    approved: dict[str, Money] = {}
    for r in reqs:
        pid = r.partner_id
        before = committed.get(pid, zero(cur))
        asked = decide_request(
            program, r, allocation=alloc.amounts.get(pid, zero(cur)), committed=before
        )
        approved[r.id] = asked.approved
        committed[pid] = before + asked.approved
        book.post(pid, r.start, _COMMIT, r.id, None, asked.approved)
    # claims counted at as_of by submission, then id, claimed running per request
    by_id = {r.id: r for r in reqs}
    counted = sorted(
        (c for c in given if c.submitted <= day and c.request_id in by_id),
        key=lambda c: (c.submitted, c.id),
    )
    claimed: dict[str, Money] = {}
    decided: dict[str, tuple[FundRequest, Money]] = {}
    for c in counted:
        r = by_id[c.request_id]
        before = claimed.get(r.id, zero(cur))
        paid = decide_claim(
            program, c, r, approved=approved[r.id], claimed_before=before, as_of=day
        ).approved
        claimed[r.id] = before + paid
        decided[c.id] = (r, paid)
        book.post(r.partner_id, c.submitted, _CLAIM, r.id, c.id, paid)
    book.pay(paid_in, decided, cur, day, _PAY)
    # what each request left unclaimed: released when closed, else expired after its window
    for r in reqs:
        rest = approved[r.id] - claimed.get(r.id, zero(cur))
        if r.id in shut:
            book.post(r.partner_id, day, _RELEASE, r.id, None, rest)
        else:
            ends = ledger.expires(r.end, program.claim_window_days)
            if ends is not None and ends <= day:
                book.post(r.partner_id, ends, _EXPIRE, r.id, None, rest)
    balances = tuple(_balance(pid, book.lines[pid], cur) for pid in sorted(book.lines))
    return trusted(
        FundBalances,
        {"as_of": day, "balances": balances, "program_id": program.id, "currency": cur},
    )
