"""Rebate policies (返利政策): brackets, conditions, payout steps, scope and their enums.

A [`RebatePolicy`][] says how a partner's basis (net sales, collections, units, margin, paid
sales...) turns into a rebate: a ladder of [`Bracket`][]s (梯级返利) applied GRADUATED, VOLUME or
FLAT, optionally picked by another figure (``tier_basis``) or per transaction (按单计返), an
optional threshold and cap, process conditions and a scorecard payout for composite rebates
(综合返利), and the [`Scope`][] of transactions that count toward the basis.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Final, Self

from pydantic import Field, model_validator

from channelkit.currencies import CurrencyCode
from channelkit.labels import LabeledEnum
from channelkit.model import SORTED_IN_JSON, Id, IdSet, Model
from channelkit.numeric import Dec, NonNegativeDecimal, check_rounding
from channelkit.periods import Frequency, Period
from channelkit.scoring import Scorecard
from channelkit.transactions import Category, Transaction, TransactionKind

__all__ = [
    # enums
    "RebateBasis",
    "TierMode",
    "Boundary",
    "RebateForm",
    "SettleUnit",
    # models
    "Bracket",
    "Condition",
    "PayoutStep",
    "Scope",
    "RebatePolicy",
]


class RebateBasis(LabeledEnum):
    """The figure a rebate is computed on (返利基数)."""

    NET_SALES = "net_sales", "net sales", "净销售额"
    GROSS_SALES = "gross_sales", "gross sales", "销售总额"
    COLLECTIONS = "collections", "collections", "回款额"
    UNITS = "units", "units", "销量"
    INCREMENTAL = "incremental", "incremental net sales", "增量销售额"
    MARGIN = "margin", "margin", "毛利"
    PAID_SALES = "paid_sales", "paid sales", "已回款销售额"

    @property
    def is_money(self) -> bool:
        """Whether the basis is an amount of money (every basis but ``UNITS``)."""
        return self is not RebateBasis.UNITS


PER_TRANSACTION_BASES: Final = frozenset(
    {RebateBasis.NET_SALES, RebateBasis.GROSS_SALES, RebateBasis.UNITS}
)
"""The bases (and tier bases) a ``per=TRANSACTION`` policy may have: a transaction's own figure
is its amount or its quantity."""


class SettleUnit(LabeledEnum):
    """What the ladder tiers: the period's total, or each transaction on its own (按单计返)."""

    PERIOD = "period", "per period", "按期计返"
    TRANSACTION = "transaction", "per transaction", "按单计返"


class TierMode(LabeledEnum):
    """How a ladder's brackets apply to the basis."""

    GRADUATED = "graduated", "graduated", "超额累进"
    VOLUME = "volume", "volume (whole basis)", "全额累进"
    FLAT = "flat", "flat", "固定比例"


class Boundary(LabeledEnum):
    """Whether a basis equal to a bracket's start reaches that bracket."""

    REACH = "reach", "reach", "达到即适用"
    EXCEED = "exceed", "exceed", "超过才适用"


class RebateForm(LabeledEnum):
    """How a rebate is paid (返利形式)."""

    CASH = "cash", "Cash", "现金"
    CREDIT_NOTE = "credit_note", "Credit against payments", "冲抵货款"
    GOODS = "goods", "Goods", "物品"


class Bracket(Model):
    """One step of a rebate ladder (梯级返利).

    Examples
    --------
    >>> Bracket(start=100_000, rate="0.03")
    Bracket(start=Decimal('100000'), rate=Decimal('0.03'), flat=Decimal('0'))
    """

    start: NonNegativeDecimal
    """The basis at which this step begins (see ``Boundary`` for whether reaching it counts)."""
    rate: NonNegativeDecimal
    """A fraction of the basis, or money per unit for a ``UNITS`` basis."""
    flat: NonNegativeDecimal = Decimal(0)
    """A fixed amount of money added once when the step is reached."""


class Condition(Model):
    """A condition on a metric (考核条件): met when ``minimum <= metric <= maximum``.

    A condition not met multiplies the rebate by ``factor`` (0 forfeits it).

    Examples
    --------
    >>> Condition(metric="collection_rate", minimum="0.9", factor="0.5").maximum is None
    True
    """

    metric: Id
    """The key of the metric in the ``metrics`` mapping passed to the calculators."""
    minimum: Dec | None = None
    """The least value that meets the condition (inclusive), or ``None`` for no lower bound."""
    maximum: Dec | None = None
    """The greatest value that meets the condition (inclusive), or ``None`` for no upper bound."""
    factor: NonNegativeDecimal = Decimal(0)
    """What the rebate is multiplied by when the condition is not met (0 = forfeit)."""

    @model_validator(mode="after")
    def _bounds(self) -> Self:
        if self.minimum is None and self.maximum is None:
            msg = f"condition on {self.metric!r} needs a minimum or a maximum (or both)"
            raise ValueError(msg)
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            msg = (
                f"condition on {self.metric!r}: minimum ({self.minimum}) must not be above "
                f"maximum ({self.maximum})"
            )
            raise ValueError(msg)
        return self

    def met(self, value: Decimal) -> bool:
        """Whether ``value`` meets the condition (both bounds inclusive).

        Examples
        --------
        >>> c = Condition(metric="growth", minimum=0, maximum="0.5")
        >>> c.met(Decimal("0.5")), c.met(Decimal("-0.1"))
        (True, False)
        """
        if self.minimum is not None and value < self.minimum:
            return False
        return self.maximum is None or value <= self.maximum


class PayoutStep(Model):
    """A step of a scorecard payout: a total score of at least ``min_score`` pays ``factor``.

    Examples
    --------
    >>> PayoutStep(min_score=80, factor="1.1").factor
    Decimal('1.1')
    """

    min_score: NonNegativeDecimal
    """The least scorecard total (0 to 100 x the largest cap) that earns this step."""
    factor: NonNegativeDecimal
    """What the rebate is multiplied by at this step (1 = unchanged, 0 = nothing paid)."""


SkuSet = IdSet


class Scope(Model):
    """Which transactions count toward a basis; ``None`` in a field means any.

    When ``skus``, ``territories``, ``customers`` or ``categories`` is given, a transaction
    without that field is out of scope. ``exclude_skus`` wins over ``skus``. The SKU and
    category fields filter sales and returns only (payments carry no product).

    A category entry covers itself and every path under it, by whole segments and
    case-sensitively: ``"Electronics"`` covers ``"Electronics/Phones"``, not ``"ElectronicsX"``
    nor ``"electronics"``.

    Examples
    --------
    >>> Scope(skus=frozenset({"AC-100"})).everything
    False
    >>> Scope().everything
    True
    >>> Scope(categories=frozenset({"Electronics"})).covers("Electronics/Phones/Android")
    True
    """

    skus: SkuSet | None = None
    """The SKUs whose sales and returns count, ``None`` for every SKU."""
    exclude_skus: SkuSet = frozenset()
    """SKUs whose sales and returns never count (wins over ``skus``)."""
    territories: IdSet | None = None
    """The territories whose transactions count, ``None`` for any."""
    customers: IdSet | None = None
    """The end customers whose transactions count, ``None`` for any."""
    categories: Annotated[frozenset[Category], SORTED_IN_JSON] | None = None
    """The product categories whose sales and returns count, each with every path under it
    (``"Electronics"`` covers ``"Electronics/Phones"``); ``None`` for any. Entries follow the
    ``Transaction.category`` rule (``/``-separated, no empty segment)."""

    @property
    def everything(self) -> bool:
        """Whether the scope lets every transaction through."""
        return (
            self.skus is None
            and not self.exclude_skus
            and self.territories is None
            and self.customers is None
            and self.categories is None
        )

    def covers(self, category: str | None) -> bool:
        """Whether a sale or return of ``category`` is in the category scope.

        ``True`` for any category when ``categories`` is ``None``; otherwise the category must
        equal an entry or lie under one, by whole segments; ``None`` is out.

        Examples
        --------
        >>> s = Scope(categories=frozenset({"Electronics", "Home/Kitchen"}))
        >>> s.covers("Electronics"), s.covers("ElectronicsX"), s.covers("Home"), s.covers(None)
        (True, False, False, False)
        """
        entries = self.categories
        if entries is None:
            return True
        if category is None:
            return False
        if category in entries:
            return True
        cut = category.find("/")
        while cut >= 0:  # every proper prefix that ends at a segment boundary
            if category[:cut] in entries:
                return True
            cut = category.find("/", cut + 1)
        return False

    def contains(self, transaction: Transaction) -> bool:
        """Whether ``transaction`` counts toward the basis.

        Examples
        --------
        >>> import datetime as dt
        >>> from channelkit import Money
        >>> t = Transaction(id="T1", partner_id="D1", date=dt.date(2026, 7, 1),
        ...                 kind="sale", amount=Money(100, "CNY"), sku="AC-100")
        >>> Scope(exclude_skus=frozenset({"AC-100"})).contains(t)
        False
        """
        if transaction.kind is not TransactionKind.PAYMENT:
            sku = transaction.sku
            if self.skus is not None and sku not in self.skus:
                return False
            if sku in self.exclude_skus:
                return False
            if self.categories is not None and not self.covers(transaction.category):
                return False
        if self.territories is not None and transaction.territory not in self.territories:
            return False
        return self.customers is None or transaction.customer_id in self.customers


class RebatePolicy(Model):
    """A rebate programme (返利政策): a ladder of brackets plus the rules around it.

    The order of operations is fixed: basis -> threshold -> brackets and flats -> condition
    factors -> payout factor -> tier multiplier -> cap -> rounding to the currency's minor unit.

    Examples
    --------
    >>> ladder = RebatePolicy(
    ...     id="LADDER", name="Quarterly ladder", currency="CNY",
    ...     brackets=(Bracket(start=10_000, rate="0.02"), Bracket(start=50_000, rate="0.03")))
    >>> ladder.mode, ladder.boundary
    (<TierMode.GRADUATED: 'graduated'>, <Boundary.REACH: 'reach'>)

    Quantity tiers paying a share of sales pick the bracket by units (``tier_basis``):

    >>> by_units = RebatePolicy(
    ...     id="QTY", name="Quantity tiers", currency="CNY", mode="volume", tier_basis="units",
    ...     brackets=(Bracket(start=0, rate="0.01"), Bracket(start=500, rate="0.02")))
    >>> by_units.tier_basis.label("zh"), by_units.per.label("zh")
    ('销量', '按期计返')
    """

    id: Id
    """The policy's identifier."""
    name: Annotated[str, Field(min_length=1)]
    """Display name."""
    currency: CurrencyCode
    """Currency of money bases, flats, the cap and every amount computed."""
    basis: RebateBasis = RebateBasis.NET_SALES
    """What the rebate is computed on."""
    mode: TierMode = TierMode.GRADUATED
    """How the brackets apply: per slice, to the whole basis, or the first bracket only."""
    boundary: Boundary = Boundary.REACH
    """REACH: a basis at a start reaches the bracket; EXCEED: it must be above the start."""
    brackets: Annotated[tuple[Bracket, ...], Field(min_length=1)]
    """The ladder, non-empty, with strictly ascending starts."""
    threshold: NonNegativeDecimal | None = None
    """The basis must reach it (``basis >= threshold``, whatever the boundary), else no rebate."""
    cap: NonNegativeDecimal | None = None
    """The most the rebate can be per settlement period, in ``currency``."""
    conditions: tuple[Condition, ...] = ()
    """Conditions on metrics; each one not met multiplies the rebate by its factor."""
    scorecard: Scorecard | None = None
    """The scorecard whose total drives ``payout``."""
    payout: tuple[PayoutStep, ...] = ()
    """Scorecard payout steps, strictly ascending ``min_score``; needs a ``scorecard``."""
    frequency: Frequency = Frequency.QUARTERLY
    """The cadence the programme settles at (informative; not enforced on the period)."""
    form: RebateForm = RebateForm.CREDIT_NOTE
    """How the rebate is paid."""
    rounding: str = ROUND_HALF_UP
    """The `decimal` rounding mode of the final amount."""
    valid: Period | None = None
    """When set, the period the policy is in force; a settlement period must lie inside it."""
    scope: Scope = Scope()
    """Which transactions count toward the basis."""
    tier_basis: RebateBasis | None = None
    """The figure that picks the bracket, when it is not ``basis`` (quantity tiers paying a
    share of sales): starts and ``threshold`` are in its units, the rate applies to ``basis``,
    flats and ``cap`` stay money. VOLUME and FLAT only."""
    per: SettleUnit = SettleUnit.PERIOD
    """PERIOD: the period's basis is tiered; TRANSACTION: every sale (and return) is tiered on
    its own figure and the rebates are summed (NET_SALES, GROSS_SALES and UNITS only)."""
    allow_negative: bool = False
    """A basis below zero earns the first bracket's rate on it (no flat, threshold or cap): a
    negative rebate that the partner pays back. Otherwise it earns nothing."""

    @model_validator(mode="after")
    def _rules(self) -> Self:
        for i in range(1, len(self.brackets)):
            before, here = self.brackets[i - 1].start, self.brackets[i].start
            if here <= before:
                msg = (
                    f"brackets must have strictly ascending starts: brackets[{i}].start "
                    f"({here}) is not above brackets[{i - 1}].start ({before})"
                )
                raise ValueError(msg)
        for i in range(1, len(self.payout)):
            before, here = self.payout[i - 1].min_score, self.payout[i].min_score
            if here <= before:
                msg = (
                    f"payout steps must have strictly ascending min_score: payout[{i}].min_score "
                    f"({here}) is not above payout[{i - 1}].min_score ({before})"
                )
                raise ValueError(msg)
        if self.payout and self.scorecard is None:
            msg = "payout needs a scorecard: set scorecard or remove the payout steps"
            raise ValueError(msg)
        check_rounding(self.rounding)
        self._check_units()
        return self

    def _check_units(self) -> None:
        """The rules of ``tier_basis`` and ``per``, each message naming the field to change."""
        tier = self.tier_basis
        if tier is not None and self.mode is TierMode.GRADUATED:
            msg = (
                f"tier_basis ({tier.value}) needs mode volume or flat: graduated slices would mix "
                f"the units of {tier.value} and {self.basis.value}"
            )
            raise ValueError(msg)
        if self.per is SettleUnit.TRANSACTION:
            allowed = ", ".join(sorted(b.value for b in PER_TRANSACTION_BASES))
            if self.basis not in PER_TRANSACTION_BASES:
                msg = (
                    f"basis {self.basis.value} cannot be tiered per transaction (per=transaction "
                    f"needs a basis of {allowed})"
                )
                raise ValueError(msg)
            if tier is not None and tier not in PER_TRANSACTION_BASES:
                msg = (
                    f"tier_basis {tier.value} cannot be tiered per transaction (per=transaction "
                    f"needs a tier_basis of {allowed})"
                )
                raise ValueError(msg)
