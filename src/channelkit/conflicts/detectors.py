r"""Conflict detectors: findings from transactions, partners and deal registrations, as data.

Each detector makes one pass over its inputs (grouping in dictionaries, sorting only within a
group), so the work grows as ``n log n`` at worst; none compares all registrations pairwise.
Findings are returned, never raised; only inputs that cannot be read (a floor in another currency
than a sale, two registrations with one id) raise.

Ids are derived from what was found (the detector, the parties and the key of the finding), so
the same input always gives the same ids and a service can deduplicate across runs:

| detector | id |
|---|---|
| price violations | ``price_violation:<seller>:<sku>:<first sale date>`` |
| territory diversion | ``territory_diversion:<seller>:<territory>:<first sale date>`` |
| deal overlaps | ``deal_overlap:<first registration id>:<later registration id>`` |
| channel overlap | ``channel_overlap:<registration id>:<sale id>`` |

(``%`` and ``:`` inside a part are written ``%25`` and ``%3A``, so ids never collide.)
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Final, NamedTuple

from channelkit._tables import TableLike, frame_of, is_table
from channelkit.conflicts._args import read_all, read_member
from channelkit.conflicts.models import (
    ACTIVE_DEAL_STATUSES,
    Conflict,
    ConflictCause,
    ConflictStatus,
    ConflictType,
    DealRegistration,
    amount_text,
    fits_minor_unit,
)
from channelkit.currencies import CURRENCIES
from channelkit.errors import ArgumentError, ArgumentTypeError, CurrencyMismatchError, expect
from channelkit.labels import fmt_amount, fmt_pct
from channelkit.model import trusted
from channelkit.money import Money, read_amount
from channelkit.numeric import CONTEXT, DecimalLike, quantize_places, to_decimal
from channelkit.partners import Partner, PartnerStatus
from channelkit.scales import Severity, band
from channelkit.transactions import Transaction, TransactionKind

if TYPE_CHECKING:
    from channelkit.frames import TransactionFrame

__all__ = [
    # detectors
    "detect_price_violations",
    "detect_territory_diversion",
    "detect_deal_overlaps",
    "detect_channel_overlap",
    "detect_conflicts",
    # helpers
    "DEFAULT_BANDS",
    "conflict_id",
    "depth_severity",
]

DEFAULT_BANDS: Final = (Decimal("0.05"), Decimal("0.15"), Decimal("0.30"))
"""Upper bounds (exclusive) of the LOW, MEDIUM and HIGH price-violation depths; CRITICAL above."""

_SALE: Final = TransactionKind.SALE
_OPEN: Final = ConflictStatus.OPEN
_ONE: Final = Decimal(1)
_ZERO: Final = Decimal(0)


def conflict_id(cause: ConflictCause | str, *parts: str) -> str:
    """The id of a finding: its cause and key parts joined by ``:`` (``%`` and ``:`` escaped).

    Examples
    --------
    >>> conflict_id(ConflictCause.PRICE_VIOLATION, "O-MALL", "AC-100", "2026-08-08")
    'price_violation:O-MALL:AC-100:2026-08-08'
    >>> conflict_id("deal_overlap", "R:1", "R2")
    'deal_overlap:R%3A1:R2'
    """
    prefix = read_member(cause, ConflictCause, "cause").value
    for i, part in enumerate(parts):
        if not isinstance(part, str):
            msg = f"parts[{i}] must be a str, not {type(part).__name__}"
            raise ArgumentTypeError(msg, argument="parts", value=part)
    return _id(prefix, parts)


def _id(prefix: str, parts: Sequence[str]) -> str:
    escaped = (
        p.replace("%", "%25").replace(":", "%3A") if ("%" in p or ":" in p) else p for p in parts
    )
    return ":".join((prefix, *escaped))


def _read_transactions(transactions: object) -> Sequence[Transaction] | TransactionFrame:
    """A detector's transactions: models (each checked), or a table read into a frame.

    A frame is not a ``Sequence``: a detector picks in columns the rows it may act on and runs
    its loop over those rows as models (``conflicts._columnar``).
    """
    if is_table(transactions):
        return frame_of(transactions)
    return read_all(transactions, Transaction, "transactions")


_PRICE: Final = ConflictCause.PRICE_VIOLATION.value
_DIVERSION: Final = ConflictCause.TERRITORY_DIVERSION.value
_DEAL: Final = ConflictCause.DEAL_OVERLAP.value
_CHANNEL: Final = ConflictCause.CHANNEL_OVERLAP.value


def _bands(bands: object) -> tuple[Decimal, Decimal, Decimal]:
    if bands is DEFAULT_BANDS:
        return DEFAULT_BANDS
    if isinstance(bands, str | bytes) or not isinstance(bands, Sequence):
        msg = f"bands must be a sequence of three bounds, not {type(bands).__name__}"
        raise ArgumentTypeError(msg, argument="bands", value=bands)
    if len(bands) != 3:
        msg = f"bands must hold three bounds (LOW, MEDIUM, HIGH), got {len(bands)}"
        raise ArgumentError(msg, argument="bands", value=bands)
    low, medium, high = (to_decimal(b, f"bands[{i}]") for i, b in enumerate(bands))
    if low < 0 or not low <= medium <= high:
        msg = f"bands must be non-negative and ascending, got ({low}, {medium}, {high})"
        raise ArgumentError(msg, argument="bands", value=bands)
    return low, medium, high


def depth_severity(depth: DecimalLike, *, bands: Sequence[DecimalLike] = DEFAULT_BANDS) -> Severity:
    """The severity of a price violation ``depth`` (a fraction of the floor) by ``bands``.

    LOW below ``bands[0]``, MEDIUM below ``bands[1]``, HIGH below ``bands[2]``, CRITICAL from
    ``bands[2]`` up: a depth exactly on a bound belongs to the higher band.

    Examples
    --------
    >>> depth_severity("0.0499"), depth_severity("0.05"), depth_severity("0.30")
    (<Severity.LOW: 'low'>, <Severity.MEDIUM: 'medium'>, <Severity.CRITICAL: 'critical'>)
    """
    return band(to_decimal(depth, "depth"), _bands(bands), edge_goes_up=True)


class _Floor(NamedTuple):
    amount: Decimal
    currency: str
    threshold: Decimal  # prices strictly below it are violations


class _PriceGroup:
    __slots__ = ("currency", "deepest", "first", "floor", "ids", "stake")

    def __init__(self, floor: _Floor, day: dt.date) -> None:
        self.floor = floor
        self.currency = floor.currency
        self.ids: list[str] = []
        self.stake = _ZERO
        self.deepest = _ZERO
        self.first = day


def detect_price_violations(
    transactions: Iterable[Transaction] | TableLike,
    floors: Mapping[str, Money],
    *,
    tolerance: DecimalLike = 0,
    bands: Sequence[DecimalLike] = DEFAULT_BANDS,
) -> tuple[Conflict, ...]:
    r"""Partner sales below the price floor of their SKU (乱价), one conflict per seller and SKU.

    Parameters
    ----------
    transactions
        Any transactions; only partner sales (``kind`` SALE, ``partner_id`` set) of a SKU in
        ``floors`` are read.
        Or a table in their place (a [`TransactionFrame`][channelkit.frames.TransactionFrame] or
        any Arrow-compatible table: pyarrow, pandas, polars, duckdb; see ``channelkit.frames``):
        the rows that can matter are chosen in columns and only they become models; the result
        equals that of the same rows as models.
    floors
        The minimum resale price per SKU (价格体系), positive ``Money``.
    tolerance
        How far below the floor a price may go unflagged, as a fraction of the floor (``0.02`` =
        2%), from 0 to 1.
    bands
        Upper bounds (exclusive) of the LOW, MEDIUM and HIGH depths, ascending; CRITICAL above.

    Returns
    -------
    tuple of Conflict
        HORIZONTAL conflicts with cause PRICE_VIOLATION, sorted by seller then SKU: parties
        ``(seller,)``, evidence the violating sales in input order, ``detected`` the first of
        their dates, severity from the deepest violation, ``amount_at_stake`` the sum of
        ``(floor - unit price) x quantity`` rounded half-up to the currency's minor unit.

    Raises
    ------
    CurrencyMismatchError
        When a sale of a SKU is in another currency than its floor.
    ArgumentError
        When a floor is not positive, ``tolerance`` is outside ``[0, 1]`` or ``bands`` is not
        three ascending non-negative bounds.
    ArgumentTypeError
        When ``transactions`` is not an iterable of ``Transaction``, ``floors`` not a mapping
        of SKUs to ``Money``, or an option is a float or not a number.
    FrameError
        ``transactions`` is a table with a row that breaks a rule of ``Transaction`` (read by
        ``frames.transactions`` with its defaults).

    Notes
    -----
    $$
    \text{depth} = \frac{\text{floor} - \text{unit price}}{\text{floor}}
    $$

    A sale violates when ``depth > tolerance``: a price exactly at the floor, or exactly at
    the tolerance, is not flagged. The unit price is ``unit_price``, or ``amount / quantity``
    when the sale has none (its stake is then ``floor x quantity - amount``); a sale with
    neither is skipped, and so are direct sales (the vendor sets the floor). A stake too large
    to carry its minor unit within 34 digits (``10**31`` and more in CNY) keeps its 34
    significant digits, unrounded.

    Examples
    --------
    >>> import datetime as dt
    >>> from channelkit import Money, Transaction, TransactionKind
    >>> sale = Transaction(id="T1", partner_id="O-MALL", date=dt.date(2026, 8, 8),
    ...                    kind=TransactionKind.SALE, amount=Money(36_750, "CNY"), quantity=15,
    ...                    sku="AC-100", unit_price=Money(2450, "CNY"))
    >>> (c,) = detect_price_violations([sale], {"AC-100": Money(2600, "CNY")})
    >>> c.id
    'price_violation:O-MALL:AC-100:2026-08-08'
    >>> c.severity, c.amount_at_stake  # depth 150 / 2600 = 5.77%; 150 x 15 = 2250
    (<Severity.MEDIUM: 'medium'>, Money('2250.00', 'CNY'))
    >>> detect_price_violations([sale], {"AC-100": Money(2600, "CNY")}, tolerance="0.06")
    ()
    """
    given = _read_transactions(transactions)
    keep = CONTEXT.subtract(_ONE, _check_tolerance(tolerance))
    limits = _bands(bands)
    table = _floors(floors, keep)
    if isinstance(given, Sequence):
        txs = given
    else:  # a table: the sales that may be below their floor (or in another currency) only
        from channelkit.conflicts._columnar import price_candidates

        txs = price_candidates(given, {s: (f.currency, f.threshold) for s, f in table.items()})

    groups: dict[tuple[str, str], _PriceGroup] = {}
    get_floor = table.get
    for t in txs:
        if t.kind is not _SALE or t.sku is None:
            continue
        floor = get_floor(t.sku)
        if floor is None or t.partner_id is None:
            continue
        if t.amount.currency != floor.currency:  # unit_price shares the amount's currency
            raise CurrencyMismatchError(
                floor.currency, t.amount.currency, f"floor of {t.sku} and transaction {t.id}"
            )
        price_money = t.unit_price
        if price_money is not None:
            price = price_money.amount
        elif t.quantity:
            price = CONTEXT.divide(t.amount.amount, t.quantity)
        else:
            continue
        if price >= floor.threshold:
            continue
        key = (t.partner_id, t.sku)
        group = groups.get(key)
        if group is None:
            group = groups[key] = _PriceGroup(floor, t.date)
        elif t.date < group.first:
            group.first = t.date
        group.ids.append(t.id)
        gap = CONTEXT.subtract(floor.amount, price)
        if price_money is None:
            lost = CONTEXT.subtract(CONTEXT.multiply(floor.amount, t.quantity), t.amount.amount)
        else:
            lost = CONTEXT.multiply(gap, t.quantity)
        group.stake = CONTEXT.add(group.stake, lost)
        depth = CONTEXT.divide(gap, floor.amount)
        if depth > group.deepest:
            group.deepest = depth

    out: list[Conflict] = []
    for (seller, sku), g in sorted(groups.items(), key=lambda item: item[0]):
        places = CURRENCIES[g.currency]
        amount = g.stake
        if fits_minor_unit(amount, places):  # else 34 digits cannot reach the minor unit
            amount = quantize_places(amount, places, ROUND_HALF_UP)
        n = len(g.ids)
        out.append(
            _conflict(
                _id(_PRICE, (seller, sku, g.first.isoformat())),
                ConflictType.HORIZONTAL,
                ConflictCause.PRICE_VIOLATION,
                (seller,),
                band(g.deepest, limits, edge_goes_up=True),
                g.first,
                Money._make(amount, g.currency),
                tuple(g.ids),
                f"{seller} sold {sku} below the floor of "
                f"{fmt_amount(g.floor.amount, places)} {g.currency} in {n} "
                f"sale{'s' if n != 1 else ''}; deepest {fmt_pct(g.deepest)} under it",
            )
        )
    return tuple(out)


def _check_tolerance(tolerance: object) -> Decimal:
    tol = to_decimal(tolerance, "tolerance")
    if not _ZERO <= tol <= _ONE:
        msg = f"tolerance must be from 0 to 1 (a fraction of the floor), got {tol}"
        raise ArgumentError(msg, argument="tolerance", value=tolerance)
    return tol


def _floors(floors: object, keep: Decimal) -> dict[str, _Floor]:
    """Each SKU's floor, and the price below which a sale violates it (``floor x keep``)."""
    given_floors: Mapping[object, object] = expect(
        floors, Mapping, "floors", "a mapping of SKUs to Money"
    )
    table: dict[str, _Floor] = {}
    for sku, given in given_floors.items():
        if not isinstance(sku, str):
            msg = f"floors must be keyed by SKU (a str), got a key {sku!r}"
            raise ArgumentTypeError(msg, argument="floors", value=sku)
        if not isinstance(given, Money):
            msg = f"floors[{sku!r}] must be Money, got {type(given).__name__}"
            raise ArgumentTypeError(msg, argument="floors", value=given)
        amount = read_amount(given, given.currency, f"floors[{sku!r}]")
        if amount <= 0:
            msg = f"floors[{sku!r}] must be positive, got {given}"
            raise ArgumentError(msg, argument="floors", value=given)
        table[sku] = _Floor(amount, given.currency, CONTEXT.multiply(amount, keep))
    return table


def _conflict(
    id: str,
    type: ConflictType,
    cause: ConflictCause,
    parties: tuple[str, ...],
    severity: Severity,
    detected: dt.date,
    amount_at_stake: Money | None,
    evidence: tuple[str, ...],
    description: str,
) -> Conflict:
    """A detector's finding: an OPEN conflict without a resolution, built as a result."""
    return trusted(
        Conflict,
        {
            "id": id,
            "type": type,
            "cause": cause,
            "parties": parties,
            "severity": severity,
            "status": _OPEN,
            "detected": detected,
            "amount_at_stake": amount_at_stake,
            "evidence": evidence,
            "description": description,
            "resolution": None,
        },
    )


class _DiversionGroup:
    __slots__ = ("currency", "first", "holders", "ids", "total")

    def __init__(self, currency: str, day: dt.date) -> None:
        self.currency = currency
        self.first = day
        self.ids: list[str] = []
        self.total = _ZERO
        self.holders: set[str] = set()


def detect_territory_diversion(
    transactions: Iterable[Transaction] | TableLike,
    partners: Iterable[Partner],
    *,
    severity: Severity = Severity.HIGH,
) -> tuple[Conflict, ...]:
    """Sales into a territory another partner holds exclusively (窜货), per seller and territory.

    Parameters
    ----------
    transactions
        Any transactions; only partner sales with a ``territory`` are read.
        Or a table in their place (a [`TransactionFrame`][channelkit.frames.TransactionFrame] or
        any Arrow-compatible table: pyarrow, pandas, polars, duckdb; see ``channelkit.frames``):
        the rows that can matter are chosen in columns and only they become models; the result
        equals that of the same rows as models.
    partners
        The channel's partners; those with ``exclusive=True`` hold their ``territories``
        exclusively from the day they ``joined``, unless TERMINATED.
    severity
        The severity every diversion gets (default HIGH).

    Returns
    -------
    tuple of Conflict
        HORIZONTAL conflicts with cause TERRITORY_DIVERSION, sorted by seller then territory:
        parties ``(seller, *exclusive holders sorted)``, evidence the diverted sales in input
        order, ``detected`` the first of their dates, ``amount_at_stake`` their sum.

    Raises
    ------
    CurrencyMismatchError
        When one seller's diverted sales into one territory are in two currencies.
    ArgumentTypeError
        When ``transactions`` or ``partners`` is not an iterable of its model, or ``severity``
        not a ``Severity`` (or its value).
    FrameError
        ``transactions`` is a table with a row that breaks a rule of ``Transaction`` (read by
        ``frames.transactions`` with its defaults).

    Notes
    -----
    Not diversions: a sale by one of the territory's own exclusive holders, a sale without a
    territory, a sale into a territory nobody holds exclusively (or whose holders joined after
    the sale), returns and payments, and the vendor's own direct sales.

    Examples
    --------
    >>> import datetime as dt
    >>> from channelkit import Money, Partner, PartnerKind, Transaction, TransactionKind
    >>> east = Partner(id="D-EAST", name="Donghai", kind=PartnerKind.DISTRIBUTOR,
    ...                territories=frozenset({"SH"}), exclusive=True, currency="CNY",
    ...                payment_terms_days=30, joined=dt.date(2022, 6, 15))
    >>> sale = Transaction(id="T13", partner_id="R-SOUTH", date=dt.date(2026, 8, 25),
    ...                    kind=TransactionKind.SALE, amount=Money(33_000, "CNY"), territory="SH")
    >>> (c,) = detect_territory_diversion([sale], [east])
    >>> c.parties, c.amount_at_stake
    (('R-SOUTH', 'D-EAST'), Money('33000', 'CNY'))
    """
    given = _read_transactions(transactions)
    members = read_all(partners, Partner, "partners")
    level = read_member(severity, Severity, "severity")
    joined_by: dict[str, dict[str, dt.date]] = {}
    for p in members:
        if p.exclusive and p.status is not PartnerStatus.TERMINATED:
            for territory in p.territories:
                joined = joined_by.setdefault(territory, {})
                joined[p.id] = min(joined.get(p.id, p.joined), p.joined)
    # per territory: its holders' joining days, and from which day all of them hold it
    holders = {
        territory: (joined, tuple(joined), max(joined.values()))
        for territory, joined in joined_by.items()
    }
    if isinstance(given, Sequence):
        txs = given
    else:  # a table: the sales into a held territory by a partner not holding it only
        from channelkit.conflicts._columnar import diversion_candidates

        txs = diversion_candidates(given, holders)

    groups: dict[tuple[str, str], _DiversionGroup] = {}
    get_holders = holders.get
    for t in txs:
        if t.kind is not _SALE or t.territory is None:
            continue
        entry = get_holders(t.territory)
        seller = t.partner_id
        if entry is None or seller is None:
            continue
        held, everyone, all_from = entry
        if seller in held:
            continue
        day = t.date
        if day >= all_from:
            against: Sequence[str] = everyone
        else:
            against = [pid for pid, joined in held.items() if joined <= day]
            if not against:
                continue
        key = (seller, t.territory)
        group = groups.get(key)
        if group is None:
            group = groups[key] = _DiversionGroup(t.amount.currency, day)
        elif day < group.first:
            group.first = day
        if t.amount.currency != group.currency:
            raise CurrencyMismatchError(
                group.currency, t.amount.currency, f"diverted sales of {seller} into {t.territory}"
            )
        group.ids.append(t.id)
        group.total = CONTEXT.add(group.total, t.amount.amount)
        group.holders.update(against)

    out: list[Conflict] = []
    for (seller, territory), g in sorted(groups.items(), key=lambda item: item[0]):
        parties = (seller, *sorted(g.holders))
        total = Money._make(g.total, g.currency)
        n = len(g.ids)
        out.append(
            _conflict(
                _id(_DIVERSION, (seller, territory, g.first.isoformat())),
                ConflictType.HORIZONTAL,
                ConflictCause.TERRITORY_DIVERSION,
                parties,
                level,
                g.first,
                total,
                tuple(g.ids),
                f"{seller} sold into {territory}, held exclusively by "
                f"{', '.join(parties[1:])}: {n} sale{'s' if n != 1 else ''}, "
                f"{amount_text(total)} {g.currency}",
            )
        )
    return tuple(out)


class _Reg(NamedTuple):
    registered: dt.date
    id: str
    order: int
    partner_id: str
    expires: dt.date


def _active_by_customer(registrations: object) -> dict[str, list[_Reg]]:
    """PENDING and APPROVED registrations per customer, each list sorted first-to-last."""
    seen: set[str] = set()
    by_customer: dict[str, list[_Reg]] = {}
    for index, r in enumerate(read_all(registrations, DealRegistration, "registrations")):
        if r.id in seen:
            msg = f"registrations must have unique ids: {r.id!r} appears twice"
            raise ArgumentError(msg, argument="registrations", value=r.id)
        seen.add(r.id)
        if r.status in ACTIVE_DEAL_STATUSES:
            by_customer.setdefault(r.customer_id, []).append(
                _Reg(r.registered, r.id, index, r.partner_id, r.expires)
            )
    for regs in by_customer.values():
        regs.sort()  # by registered, then id: "first" is the earlier date, then the smaller id
    return by_customer


def _first_open(tops: list[_Reg], own: dict[str, list[_Reg]], day: dt.date) -> _Reg | None:
    """The first registration in ``tops`` still open on ``day``, cleaning closed ones away.

    ``own`` holds each partner's registrations seen so far, a heap by (registered, id); ``tops``
    one entry per partner in ``own``, its first registration (possibly closed). A registration
    closed on ``day`` is closed on every later day of the sweep too, so it is dropped for good.
    """
    while tops:
        top = tops[0]
        mine = own[top.partner_id]
        while mine and mine[0].expires <= day:
            heapq.heappop(mine)
        if not mine:
            heapq.heappop(tops)
            del own[top.partner_id]
        elif mine[0] is not top:
            heapq.heapreplace(tops, mine[0])
        else:
            return top
    return None


def _overlaps(regs: list[_Reg]) -> Iterator[tuple[_Reg, _Reg]]:
    """Each registration paired with the first earlier one of another partner open on its day.

    ``regs`` are one customer's, first to last; a registration without such a one is skipped.
    Every registration enters its partner's heap once and leaves it at most once, and a look-up
    reads the first two partners only: ``n log n`` in all.
    """
    own: dict[str, list[_Reg]] = {}
    tops: list[_Reg] = []
    for r in regs:
        day, partner = r.registered, r.partner_id
        first = _first_open(tops, own, day)
        if first is not None and first.partner_id == partner:
            mine = heapq.heappop(tops)  # look past the partner's own registrations
            first = _first_open(tops, own, day)
            heapq.heappush(tops, mine)
        if first is not None:
            yield first, r
        mine_now = own.get(partner)
        if mine_now is None:
            own[partner] = [r]
            heapq.heappush(tops, r)
        else:  # r comes after every registration seen: the partner's first does not change
            heapq.heappush(mine_now, r)


def detect_deal_overlaps(
    registrations: Iterable[DealRegistration],
    *,
    severity: Severity = Severity.MEDIUM,
) -> tuple[Conflict, ...]:
    """Partners registering a customer another partner registered first; the first one wins.

    Parameters
    ----------
    registrations
        Deal registrations with unique ids; only PENDING and APPROVED ones take part.
    severity
        The severity every overlap gets (default MEDIUM).

    Returns
    -------
    tuple of Conflict
        One HORIZONTAL conflict with cause DEAL_OVERLAP per registration whose window overlaps
        that of an earlier registration of the same customer by another partner, reported
        against the first such registration, sorted by customer, then first and later
        registration: parties ``(first registrant, later one)``, evidence both ids in input
        order, ``detected`` the later one's ``registered`` (the day the overlap began), no
        amount at stake. At most one conflict per registration, so ``n`` registrations give at
        most ``n - 1`` conflicts.

    Raises
    ------
    ArgumentError
        When two registrations share an id.
    ArgumentTypeError
        When ``registrations`` is not an iterable of ``DealRegistration``, or ``severity`` not
        a ``Severity`` (or its value).

    Notes
    -----
    "First" is the earlier ``registered``, then the smaller id (compared as strings). Windows
    are half-open ``[registered, expires)``: a registration that expires the day another is
    registered does not overlap it. Two registrations of one customer by the same partner are
    no conflict. A registration that overlaps several earlier ones is reported once, against
    the first of them: the one that holds the customer. Each customer's registrations are
    swept in order of ``registered``, keeping per partner a heap of those still open:
    ``n log n`` in all, however many windows overlap.

    Examples
    --------
    >>> import datetime as dt
    >>> a = DealRegistration(id="R1", partner_id="D-EAST", customer_id="C1",
    ...                      registered=dt.date(2026, 7, 15), expires=dt.date(2026, 10, 15),
    ...                      status="approved")
    >>> b = DealRegistration(id="R2", partner_id="R-SOUTH", customer_id="C1",
    ...                      registered=dt.date(2026, 8, 1), expires=dt.date(2026, 11, 1),
    ...                      status="pending")
    >>> late = DealRegistration(id="R3", partner_id="O-MALL", customer_id="C1",
    ...                         registered=dt.date(2026, 9, 1), expires=dt.date(2026, 9, 30),
    ...                         status="pending")
    >>> [(c.id, c.parties) for c in detect_deal_overlaps([late, b, a])]  # R3 is R1's, not R2's
    [('deal_overlap:R1:R2', ('D-EAST', 'R-SOUTH')), ('deal_overlap:R1:R3', ('D-EAST', 'O-MALL'))]
    """
    level = read_member(severity, Severity, "severity")
    return _deal_overlaps(_active_by_customer(registrations), level)


def _deal_overlaps(by_customer: dict[str, list[_Reg]], level: Severity) -> tuple[Conflict, ...]:
    """``detect_deal_overlaps`` from the active registrations per customer."""
    found: list[tuple[str, _Reg, _Reg]] = []
    for customer, regs in by_customer.items():
        found.extend((customer, first, later) for first, later in _overlaps(regs))

    found.sort(key=lambda f: (f[0], f[1][:2], f[2][:2]))
    out: list[Conflict] = []
    for customer, first, later in found:
        evidence = (first.id, later.id) if first.order < later.order else (later.id, first.id)
        out.append(
            _conflict(
                _id(_DEAL, (first.id, later.id)),
                ConflictType.HORIZONTAL,
                ConflictCause.DEAL_OVERLAP,
                (first.partner_id, later.partner_id),
                level,
                later.registered,
                None,
                evidence,
                f"{later.partner_id} registered customer {customer} ({later.id}, from "
                f"{later.registered}) while {first.partner_id}'s registration {first.id} "
                f"(from {first.registered} to {first.expires}) was open; {first.id} wins",
            )
        )
    return tuple(out)


def detect_channel_overlap(
    transactions: Iterable[Transaction] | TableLike,
    registrations: Iterable[DealRegistration],
    *,
    severity: Severity = Severity.HIGH,
) -> tuple[Conflict, ...]:
    """The vendor's direct sales to a customer a partner has registered (直销与渠道撞单).

    Parameters
    ----------
    transactions
        Any transactions; only direct sales (``partner_id=None``, kind SALE) with a
        ``customer_id`` are read.
        Or a table in their place (a [`TransactionFrame`][channelkit.frames.TransactionFrame] or
        any Arrow-compatible table: pyarrow, pandas, polars, duckdb; see ``channelkit.frames``):
        the rows that can matter are chosen in columns and only they become models; the result
        equals that of the same rows as models.
    registrations
        Deal registrations with unique ids; only PENDING and APPROVED ones count.
    severity
        The severity every finding gets (default HIGH).

    Returns
    -------
    tuple of Conflict
        One MULTICHANNEL conflict with cause CHANNEL_OVERLAP per direct sale whose date falls
        inside ``[registered, expires)`` of a registration of its customer, sorted by customer,
        date and sale id: parties ``(registrant,)``, evidence ``(sale id, registration id)``,
        ``detected`` the sale's date, ``amount_at_stake`` the sale's amount.

    Raises
    ------
    ArgumentError
        When two registrations share an id.
    ArgumentTypeError
        When ``transactions`` or ``registrations`` is not an iterable of its model, or
        ``severity`` not a ``Severity`` (or its value).
    FrameError
        ``transactions`` is a table with a row that breaks a rule of ``Transaction`` (read by
        ``frames.transactions`` with its defaults).

    Notes
    -----
    When several registrations of the customer cover the sale, the first one (earlier
    ``registered``, then smaller id) is the one the sale took the deal from. Each customer's
    sales are swept in date order against a heap of its registrations: ``n log n``.

    Examples
    --------
    >>> import datetime as dt
    >>> from channelkit import Money, Transaction, TransactionKind
    >>> reg = DealRegistration(id="REG-01", partner_id="S-WEST", customer_id="C-SC-01",
    ...                        registered=dt.date(2026, 6, 1), expires=dt.date(2026, 12, 1),
    ...                        status="approved")
    >>> sale = Transaction(id="T023", partner_id=None, date=dt.date(2026, 9, 18),
    ...                    kind=TransactionKind.SALE, amount=Money(24_000, "CNY"),
    ...                    customer_id="C-SC-01")
    >>> (c,) = detect_channel_overlap([sale], [reg])
    >>> c.id, c.parties, c.evidence
    ('channel_overlap:REG-01:T023', ('S-WEST',), ('T023', 'REG-01'))
    """
    given = _read_transactions(transactions)
    level = read_member(severity, Severity, "severity")
    return _channel_overlap(given, _active_by_customer(registrations), level)


def _channel_overlap(
    given: Sequence[Transaction] | TransactionFrame,
    by_customer: dict[str, list[_Reg]],
    level: Severity,
) -> tuple[Conflict, ...]:
    """``detect_channel_overlap`` from read transactions and the active registrations."""
    if isinstance(given, Sequence):
        txs = given
    else:  # a table: the direct sales to a customer with an active registration only
        from channelkit.conflicts._columnar import overlap_candidates

        txs = overlap_candidates(given, by_customer)
    sales: dict[str, list[tuple[dt.date, str, Transaction]]] = {}
    for t in txs:
        if t.partner_id is None and t.kind is _SALE and t.customer_id in by_customer:
            sales.setdefault(t.customer_id, []).append((t.date, t.id, t))

    out: list[Conflict] = []
    for customer in sorted(sales):
        regs = by_customer[customer]
        todo = sales[customer]
        todo.sort(key=lambda s: (s[0], s[1]))
        opened: list[_Reg] = []  # heap by (registered, id): the first registration on top
        nxt = 0
        for day, _, t in todo:
            while nxt < len(regs) and regs[nxt].registered <= day:
                heapq.heappush(opened, regs[nxt])
                nxt += 1
            while opened and opened[0].expires <= day:  # expired for every later sale too
                heapq.heappop(opened)
            if not opened:
                continue
            reg = opened[0]
            out.append(
                _conflict(
                    _id(_CHANNEL, (reg.id, t.id)),
                    ConflictType.MULTICHANNEL,
                    ConflictCause.CHANNEL_OVERLAP,
                    (reg.partner_id,),
                    level,
                    day,
                    t.amount,
                    (t.id, reg.id),
                    f"direct sale {t.id} of {fmt_amount(t.amount.amount, t.amount.places)} "
                    f"{t.amount.currency} to {customer} on {day}, inside "
                    f"{reg.partner_id}'s registration {reg.id} "
                    f"({reg.registered} to {reg.expires})",
                )
            )
    return tuple(out)


def detect_conflicts(
    transactions: Iterable[Transaction] | TableLike = (),
    *,
    partners: Iterable[Partner] | None = None,
    registrations: Iterable[DealRegistration] | None = None,
    floors: Mapping[str, Money] | None = None,
    tolerance: DecimalLike = 0,
    bands: Sequence[DecimalLike] = DEFAULT_BANDS,
) -> tuple[Conflict, ...]:
    """Run every detector its inputs allow and return all findings.

    Parameters
    ----------
    transactions
        The transactions to examine (read once into a tuple, so an iterator is fine), or a
        table (read once into a frame, which each detector reads in columns).
    partners
        When given, territory diversion runs.
    registrations
        When given, deal overlaps run, and channel overlap over ``transactions``.
    floors
        When given, price violations run, with ``tolerance`` and ``bands``.

    Returns
    -------
    tuple of Conflict
        Price violations, territory diversions, deal overlaps, channel overlaps: each
        detector's findings in its own order, the detectors in this order.

    Raises
    ------
    CurrencyMismatchError, ArgumentError, ArgumentTypeError, FrameError
        As the detectors raise them; ``tolerance`` and ``bands`` are checked even when no
        ``floors`` are given.

    Examples
    --------
    >>> from channelkit.demo import sample
    >>> found = detect_conflicts(sample.transactions(), partners=sample.partners(),
    ...                          floors=sample.FLOORS)
    >>> [c.cause.value for c in found]
    ['price_violation', 'territory_diversion']
    """
    txs = _read_transactions(transactions)
    _check_tolerance(tolerance)
    _bands(bands)
    out: list[Conflict] = []
    if floors is not None:
        out.extend(detect_price_violations(txs, floors, tolerance=tolerance, bands=bands))
    if partners is not None:
        out.extend(detect_territory_diversion(txs, partners))
    if registrations is not None:
        # the active registrations per customer, read once for both detectors
        by_customer = _active_by_customer(registrations)
        out.extend(_deal_overlaps(by_customer, Severity.MEDIUM))
        out.extend(_channel_overlap(txs, by_customer, Severity.HIGH))
    return tuple(out)
