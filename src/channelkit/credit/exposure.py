"""Credit exposure (信用敞口) and the credit policy that checks it against a limit.

A partner's [`Exposure`][] is what it owes or will owe: open receivables, open orders,
deliveries not yet invoiced and invoices not yet posted. A [`CreditPolicy`][] says which of
these count (``include``), when to warn, how much tolerance the limit has, and how each check
reacts ([`CreditOutcome`][] WARN or BLOCK), so SAP-like, Odoo-like and ERPNext-like credit
control are configurations of one calculator, [`check_order`][].
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Annotated, Final, Self

from pydantic import Field, model_validator

from channelkit.credit._args import read_currency
from channelkit.errors import ArgumentError, ArgumentTypeError
from channelkit.labels import LabeledEnum, RankedEnum
from channelkit.model import SORTED_IN_JSON, Model
from channelkit.money import Money
from channelkit.numeric import (
    CONTEXT,
    NonNegativeCount,
    NonNegativeDecimal,
    PositiveDecimal,
    UnitInterval,
)

__all__ = [
    # enums
    "ExposureKind",
    "CreditOutcome",
    # models
    "Exposure",
    "CreditPolicy",
]

_ZERO = Decimal(0)


class ExposureKind(LabeledEnum):
    """A component of credit exposure; a [`CreditPolicy`][] chooses which ones count."""

    RECEIVABLES = "receivables", "Open receivables", "应收账款"
    OPEN_ORDERS = "open_orders", "Open orders", "未交货订单"
    UNBILLED_DELIVERIES = "unbilled_deliveries", "Delivered, not invoiced", "已发货未开票"
    UNPOSTED_INVOICES = "unposted_invoices", "Invoiced, not posted", "已开票未过账"


class CreditOutcome(RankedEnum):
    """The decision of a credit check, ordered by severity: APPROVE < WARN < BLOCK.

    ``<``, ``>``, ``sorted()`` and ``max()`` follow the severity (not the spelling); equality and
    hashing stay those of the string value; ``.rank`` is 0 for APPROVE, 1 for WARN, 2 for BLOCK
    (the order shared with [`Severity`][channelkit.scales.Severity] through
    [`RankedEnum`][channelkit.labels.RankedEnum]).

    Examples
    --------
    >>> max(CreditOutcome.WARN, CreditOutcome.APPROVE)
    <CreditOutcome.WARN: 'warn'>
    >>> CreditOutcome.BLOCK.rank, CreditOutcome.BLOCK.label("zh")
    (2, '冻结')
    """

    APPROVE = "approve", "Approve", "通过"
    WARN = "warn", "Warn", "警告"
    BLOCK = "block", "Block", "冻结"


_ALL_KINDS: Final = frozenset(ExposureKind)
_COUNTED: dict[frozenset[object], tuple[tuple[ExposureKind, ...], tuple[str, ...]]] = {}
"""Per set of kinds: the kinds, in declaration order, and their field names (at most 15 sets are
kept: the non-empty subsets of ``ExposureKind``)."""


def _counted(
    include: object, argument: str = "include"
) -> tuple[tuple[ExposureKind, ...], tuple[str, ...]]:
    """The kinds ``include`` names (``None``: all), in declaration order, and their field names.

    An argument error for anything but a collection of exposure kinds or their values. The answer
    is kept in ``_COUNTED``, where callers look a policy's ``include`` up first.
    """
    key = _ALL_KINDS if include is None else include
    if isinstance(key, str | bytes) or not isinstance(key, Iterable):
        msg = f"{argument} must be a collection of exposure kinds, not {type(key).__name__}"
        raise ArgumentTypeError(msg, argument=argument, value=key)
    wanted: set[ExposureKind] = set()
    for k in key:
        if not isinstance(k, str) or k not in _ALL_KINDS:
            valid = ", ".join(kind.value for kind in ExposureKind)
            msg = f"{argument} must name exposure kinds ({valid}), got {k!r}"
            raise ArgumentError(msg, argument=argument, value=k)
        wanted.add(ExposureKind(k))
    kinds = tuple(k for k in ExposureKind if k in wanted)
    found = (kinds, tuple(k.value for k in kinds))
    _COUNTED[frozenset(kinds)] = found
    return found


class Exposure(Model):
    """What a partner owes or will owe, by component, in one currency (信用敞口).

    Components may be negative: a customer advance or an unapplied payment lowers the exposure.

    Examples
    --------
    >>> e = Exposure(receivables=Money(300_000, "CNY"), open_orders=Money(50_000, "CNY"),
    ...              unbilled_deliveries=Money(20_000, "CNY"),
    ...              unposted_invoices=Money(0, "CNY"))
    >>> e.total()
    Money('370000', 'CNY')
    >>> e.total({ExposureKind.RECEIVABLES, ExposureKind.OPEN_ORDERS})
    Money('350000', 'CNY')
    """

    receivables: Money
    """Open receivables: invoiced and posted, not yet paid."""
    open_orders: Money
    """Confirmed sales orders not yet delivered."""
    unbilled_deliveries: Money
    """Goods delivered and not yet invoiced."""
    unposted_invoices: Money
    """Invoices issued and not yet posted to receivables."""

    @model_validator(mode="after")
    def _one_currency(self) -> Self:
        cur = self.receivables.currency
        for name in ("open_orders", "unbilled_deliveries", "unposted_invoices"):
            got = getattr(self, name).currency
            if got != cur:
                msg = f"{name} is in {got} but receivables is in {cur}: use one currency"
                raise ValueError(msg)
        return self

    @classmethod
    def zero(cls, currency: str) -> Exposure:
        """An exposure of zero in every component.

        Examples
        --------
        >>> Exposure.zero("USD").total()
        Money('0', 'USD')
        """
        z = Money.zero(read_currency(currency))
        return cls(receivables=z, open_orders=z, unbilled_deliveries=z, unposted_invoices=z)

    @property
    def currency(self) -> str:
        """The currency of every component."""
        return self.receivables.currency

    def component(self, kind: ExposureKind | str) -> Money:
        """The amount of one component.

        Examples
        --------
        >>> Exposure.zero("CNY").component("open_orders")
        Money('0', 'CNY')
        """
        (name,) = _counted((kind,), "kind")[1]
        return getattr(self, name)  # type: ignore[no-any-return]

    def total(self, include: Iterable[ExposureKind | str] | None = None) -> Money:
        """The sum of the components in ``include`` (every component when ``None``).

        The exposure a [`check_order`][] counts is ``exposure.total(policy.include)``.

        Raises
        ------
        ArgumentError
            When ``include`` names something that is not an [`ExposureKind`][] (an
            ``ArgumentTypeError`` when it is not a collection).
        """
        key = _ALL_KINDS if include is None else include
        found = _COUNTED.get(key) if type(key) is frozenset else None  # a policy's include
        if found is None:
            found = _counted(key)
        fields = self.__dict__  # the model's own storage: faster than getattr by name
        amount = _ZERO
        for name in found[1]:
            amount = CONTEXT.add(amount, fields[name].amount)
        return Money._make(amount, fields["receivables"].currency)


_REACTIONS = (CreditOutcome.WARN, CreditOutcome.BLOCK)


class CreditPolicy(Model):
    """How a credit check measures exposure and reacts to each rule.

    Examples
    --------
    SAP-like: every component counts, a 5% tolerance, overdue items block:

    >>> sap = CreditPolicy(tolerance="0.05", max_overdue_days=30)
    >>> sap.on_limit, sap.on_overdue
    (<CreditOutcome.BLOCK: 'block'>, <CreditOutcome.BLOCK: 'block'>)

    Odoo-like: receivables and open orders, warn only:

    >>> odoo = CreditPolicy(include={"receivables", "open_orders"}, warn_at=None,
    ...                     on_limit="warn")
    >>> sorted(odoo.include)
    [<ExposureKind.OPEN_ORDERS: 'open_orders'>, <ExposureKind.RECEIVABLES: 'receivables'>]
    """

    include: Annotated[frozenset[ExposureKind], Field(min_length=1), SORTED_IN_JSON] = _ALL_KINDS
    """The exposure components that count against the limit (at least one)."""
    warn_at: PositiveDecimal | None = Decimal("0.9")
    """Warn when utilization after the order reaches this fraction of the limit; ``None``: never."""
    tolerance: NonNegativeDecimal = _ZERO
    """The limit check trips only above ``limit * (1 + tolerance)``."""
    max_document_value: NonNegativeDecimal | None = None
    """The largest single order allowed, in the order's currency; ``None``: no maximum."""
    max_overdue_days: NonNegativeCount | None = None
    """Trip when the oldest overdue item is more than this many days past due."""
    max_overdue_share: UnitInterval | None = None
    """Trip when the overdue share of open items is more than this fraction."""
    on_limit: CreditOutcome = CreditOutcome.BLOCK
    """The reaction when the limit (with tolerance) is exceeded: WARN or BLOCK."""
    on_document_value: CreditOutcome = CreditOutcome.BLOCK
    """The reaction when the order exceeds ``max_document_value``: WARN or BLOCK."""
    on_overdue: CreditOutcome = CreditOutcome.BLOCK
    """The reaction when an overdue rule is broken: WARN or BLOCK."""

    @model_validator(mode="after")
    def _check_reactions(self) -> Self:
        for name in ("on_limit", "on_document_value", "on_overdue"):
            value = getattr(self, name)
            if value not in _REACTIONS:
                msg = f"{name} must be 'warn' or 'block', got {value.value!r}"
                raise ValueError(msg)
        return self

    @property
    def has_overdue_rules(self) -> bool:
        """Whether the policy sets ``max_overdue_days`` or ``max_overdue_share``."""
        return self.max_overdue_days is not None or self.max_overdue_share is not None
