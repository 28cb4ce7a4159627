"""The channel review's result models (渠道绩效评估): figures, rows, coverage and concentration.

Every model here is a frozen result built by [`channelkit.review.review`][]; they validate
their own consistency (one currency, ``net_sales = gross_sales - returns``, counts within
bounds) so that a review read back from JSON is as trustworthy as one just computed. Their
amounts and ratios are result fields (``ResultMoney``, ``ResultDec``): a sum over a large
channel may pass the input bound of 10**15 and still reads back from its own JSON. Every ratio
is ``None`` when its denominator is not positive, and also when it would reach 10**30 in
absolute value (only a vanishingly small denominator gives one).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Self

from pydantic import Field, model_validator

from channelkit.currencies import CurrencyCode
from channelkit.model import Id, Model
from channelkit.money import Money, ResultMoney
from channelkit.numeric import NonNegativeCount, ResultDec, ResultNonNegative, UnitInterval
from channelkit.partners import PartnerKind
from channelkit.periods import Period
from channelkit.review import _html
from channelkit.review.text import explain_review

__all__ = [
    "ChannelReview",
    "Concentration",
    "Coverage",
    "Figures",
    "GroupRow",
    "PartnerRow",
]

_HHI_MAX = Decimal(10_000)


class Figures(Model):
    """The sales figures of one slice of the channel in the review period.

    Amounts are exact sums of the transactions' amounts (no rounding is needed to add them).

    Examples
    --------
    >>> f = Figures(gross_sales=Money(100, "CNY"), returns=Money(10, "CNY"),
    ...             net_sales=Money(90, "CNY"), collections=Money(50, "CNY"),
    ...             units=Decimal(9), orders=2, customers=1)
    >>> f.net_sales
    Money('90', 'CNY')
    """

    gross_sales: ResultMoney
    """Sum of the sales (销售额)."""
    returns: ResultMoney
    """Sum of the returns (退货)."""
    net_sales: ResultMoney
    """``gross_sales - returns`` (净销售额)."""
    collections: ResultMoney
    """Sum of the payments received (回款)."""
    units: ResultDec
    """Net quantity: units sold minus units returned (净销量)."""
    orders: NonNegativeCount
    """Number of sales (订单数)."""
    customers: NonNegativeCount
    """Distinct customer ids among the sales (客户数); a sale without a customer id is not
    counted."""

    @model_validator(mode="after")
    def _check(self) -> Self:
        cur = self.gross_sales.currency
        for name in ("returns", "net_sales", "collections"):
            other: Money = getattr(self, name)
            if other.currency != cur:
                msg = f"{name} is in {other.currency} but gross_sales is in {cur}"
                raise ValueError(msg)
        for name in ("gross_sales", "returns", "collections"):
            value: Money = getattr(self, name)
            if value.amount < 0:
                msg = f"{name} must not be negative, got {value}"
                raise ValueError(msg)
        if self.net_sales != self.gross_sales - self.returns:
            msg = (
                f"net_sales must equal gross_sales - returns ({self.gross_sales} - "
                f"{self.returns}), got {self.net_sales}"
            )
            raise ValueError(msg)
        if self.customers > self.orders:
            msg = (
                f"customers ({self.customers}) cannot exceed orders ({self.orders}): "
                "each sale has at most one customer"
            )
            raise ValueError(msg)
        return self

    @property
    def currency(self) -> str:
        """The currency of every amount."""
        return self.gross_sales.currency


class PartnerRow(Model):
    """One partner's line of the review."""

    partner_id: Id
    """The partner."""
    kind: PartnerKind | None
    """The partner's kind, ``None`` when the partner was not passed to ``review``."""
    figures: Figures
    """Its figures in the review period (zero when it did not trade)."""
    prior_net_sales: ResultMoney | None
    """Its net sales in the prior period, ``None`` without a prior period."""
    growth: ResultDec | None
    """``(net_sales - prior_net_sales) / prior_net_sales`` (增长率); ``None`` when the prior
    figure is not positive or there is no prior period."""
    share: ResultDec | None
    """``net_sales / indirect net_sales`` (销售占比); ``None`` when the denominator is not
    positive."""
    target: ResultMoney | None
    """Its net-sales target, if one was given (销售目标)."""
    attainment: ResultDec | None
    """``net_sales / target`` (目标达成率); ``None`` without a positive target."""
    collection_rate: ResultNonNegative | None
    """``collections / net_sales`` (回款率); ``None`` when net sales are not positive."""
    return_rate: ResultNonNegative | None
    """``returns / gross_sales`` (退货率); ``None`` when there were no sales."""
    average_order: ResultMoney | None
    """``gross_sales / orders`` rounded half-up to the minor unit (平均订单金额); ``None``
    without orders."""

    @model_validator(mode="after")
    def _check(self) -> Self:
        cur = self.figures.currency
        for name in ("prior_net_sales", "target", "average_order"):
            value: Money | None = getattr(self, name)
            if value is not None and value.currency != cur:
                msg = f"{name} is in {value.currency} but the figures are in {cur}"
                raise ValueError(msg)
        if self.target is not None and self.target.amount < 0:
            msg = f"target must not be negative, got {self.target}"
            raise ValueError(msg)
        return self

    @property
    def net_sales(self) -> Money:
        """The row's net sales (``figures.net_sales``), the key the rows are ordered by."""
        return self.figures.net_sales


class GroupRow(Model):
    """The figures of a territory or of a partner kind."""

    key: str
    """The territory code (``""`` for sales without a territory) or the partner kind's value."""
    figures: Figures
    """The group's figures in the review period."""
    share: ResultDec | None
    """Net sales over the total net sales (territories) or the indirect net sales (kinds);
    ``None`` when that denominator is not positive."""
    prior_net_sales: ResultMoney | None
    """The group's net sales in the prior period, ``None`` without a prior period."""
    growth: ResultDec | None
    """Growth against ``prior_net_sales``; ``None`` when it is not positive or absent."""

    @model_validator(mode="after")
    def _check(self) -> Self:
        prior = self.prior_net_sales
        if prior is not None and prior.currency != self.figures.currency:
            msg = (
                f"prior_net_sales is in {prior.currency} but the figures are in "
                f"{self.figures.currency}"
            )
            raise ValueError(msg)
        return self


class Coverage(Model):
    """How much of the channel and of its territories was active (覆盖率)."""

    partners: NonNegativeCount
    """Partners passed to the review."""
    active_partners: NonNegativeCount
    """Partners passed with a sale in the period (活跃伙伴)."""
    new_partners: NonNegativeCount
    """Partners passed that joined inside the period (新签伙伴)."""
    territories: NonNegativeCount
    """Territories the channel should cover."""
    territories_covered: NonNegativeCount
    """Territories to cover where a partner made a sale in the period."""
    coverage_rate: UnitInterval | None
    """``territories_covered / territories``; ``None`` when there is nothing to cover."""
    new_partner_ids: tuple[str, ...] = ()
    """The ids of the new partners, sorted."""
    inactive_partner_ids: tuple[str, ...] = ()
    """The ids of the partners passed without a sale in the period, sorted."""
    uncovered: tuple[str, ...] = ()
    """The territories to cover where no partner sold, sorted."""

    @model_validator(mode="after")
    def _check(self) -> Self:
        for name in ("active_partners", "new_partners"):
            if getattr(self, name) > self.partners:
                msg = f"{name} ({getattr(self, name)}) cannot exceed partners ({self.partners})"
                raise ValueError(msg)
        if self.territories_covered > self.territories:
            msg = (
                f"territories_covered ({self.territories_covered}) cannot exceed "
                f"territories ({self.territories})"
            )
            raise ValueError(msg)
        if (self.coverage_rate is None) != (self.territories == 0):
            msg = (
                f"coverage_rate must be None exactly when there are no territories to cover "
                f"(territories={self.territories}, coverage_rate={self.coverage_rate})"
            )
            raise ValueError(msg)
        return self


class Concentration(Model):
    """How much the channel depends on a few head partners (渠道集中度)."""

    top: Annotated[int, Field(ge=1, lt=10**9)]
    """How many of the largest partners ``top_share`` sums."""
    top_share: UnitInterval | None
    """Share of the ``top`` largest partners in the partners' (non-negative) net sales;
    ``None`` when no partner has positive net sales."""
    hhi: ResultNonNegative | None
    """Herfindahl-Hirschman index: the sum of squared percentage shares, 0..10000;
    ``None`` when no partner has positive net sales."""
    head: tuple[str, ...] = ()
    """The ids of the ``top`` largest partners with positive net sales, largest first."""

    @model_validator(mode="after")
    def _check(self) -> Self:
        if (self.top_share is None) != (self.hhi is None):
            msg = (
                f"top_share and hhi must both be None or both be set "
                f"(top_share={self.top_share}, hhi={self.hhi})"
            )
            raise ValueError(msg)
        if self.hhi is not None and self.hhi > _HHI_MAX:
            msg = f"hhi must be at most {_HHI_MAX}, got {self.hhi}"
            raise ValueError(msg)
        if len(self.head) > self.top:
            msg = f"head names {len(self.head)} partners but top is {self.top}"
            raise ValueError(msg)
        return self


class ChannelReview(Model):
    """The periodic channel performance review (渠道绩效评估), from [`review`][]."""

    period: Period
    """The period reviewed."""
    prior: Period | None
    """The comparison period, if any."""
    currency: CurrencyCode
    """The currency of every amount."""
    total: Figures
    """The whole channel: direct and partner sales."""
    direct: Figures
    """The vendor's own sales (直接渠道): transactions without a partner."""
    indirect: Figures
    """Sales through partners (间接渠道)."""
    indirect_share: ResultDec | None
    """``indirect net_sales / total net_sales``; ``None`` when the total is not positive."""
    prior_net_sales: ResultMoney | None
    """The total net sales of the prior period, ``None`` without one."""
    growth: ResultDec | None
    """Growth of the total net sales against ``prior_net_sales``."""
    partners: tuple[PartnerRow, ...]
    """One row per partner, by net sales descending, then id."""
    territories: tuple[GroupRow, ...]
    """One row per territory sold or returned in, by net sales descending, then key."""
    kinds: tuple[GroupRow, ...]
    """One row per kind among the partners passed, by net sales descending, then key."""
    coverage: Coverage
    """Partner activity and territory coverage."""
    concentration: Concentration
    """Dependence on the head partners."""
    laggard_below: ResultDec
    """The attainment below which a partner with a target is a laggard."""
    laggards: tuple[str, ...]
    """Partners with a positive target whose attainment is below ``laggard_below``, in row order."""

    _repr_html_ = _html.channel_review

    @model_validator(mode="after")
    def _check(self) -> Self:
        for name in ("total", "direct", "indirect"):
            figures: Figures = getattr(self, name)
            if figures.currency != self.currency:
                msg = f"{name} is in {figures.currency} but the review is in {self.currency}"
                raise ValueError(msg)
        if self.prior is not None and self.prior.overlaps(self.period):
            msg = f"prior ({self.prior}) must not overlap period ({self.period})"
            raise ValueError(msg)
        ids = {row.partner_id for row in self.partners}
        if len(ids) != len(self.partners):
            msg = "partners must have one row per partner id"
            raise ValueError(msg)
        unknown = [pid for pid in self.laggards if pid not in ids]
        if unknown:
            msg = f"laggards must name partner rows, got {unknown}"
            raise ValueError(msg)
        return self

    def partner(self, partner_id: str) -> PartnerRow:
        """The row of ``partner_id`` (``KeyError`` when it has none).

        Examples
        --------
        >>> from channelkit.demo import sample
        >>> from channelkit.review import review
        >>> r = review(sample.transactions(), sample.QUARTER, partners=sample.partners())
        >>> r.partner("S-WEST").figures.orders
        2
        """
        for row in self.partners:
            if row.partner_id == partner_id:
                return row
        raise KeyError(partner_id)

    def to_rows(self) -> list[dict[str, Any]]:
        """One plain dict per partner row, in row order, ready for ``pandas.DataFrame``.

        Amounts are plain ``Decimal`` (the currency is its own column), ratios ``Decimal`` or
        ``None``, the kind its value (``"distributor"``) or ``None``.

        Examples
        --------
        >>> from channelkit.demo import sample
        >>> from channelkit.review import review
        >>> r = review(sample.transactions(), sample.QUARTER, partners=sample.partners())
        >>> row = r.to_rows()[0]
        >>> row["partner_id"], row["kind"], row["net_sales"], row["currency"]
        ('D-NORTH', 'distributor', Decimal('436900'), 'CNY')
        """

        def amount(m: Money | None) -> Decimal | None:
            return None if m is None else m.amount

        return [
            {
                "partner_id": r.partner_id,
                "kind": None if r.kind is None else r.kind.value,
                "currency": self.currency,
                "gross_sales": r.figures.gross_sales.amount,
                "returns": r.figures.returns.amount,
                "net_sales": r.figures.net_sales.amount,
                "collections": r.figures.collections.amount,
                "units": r.figures.units,
                "orders": r.figures.orders,
                "customers": r.figures.customers,
                "prior_net_sales": amount(r.prior_net_sales),
                "growth": r.growth,
                "share": r.share,
                "target": amount(r.target),
                "attainment": r.attainment,
                "collection_rate": r.collection_rate,
                "return_rate": r.return_rate,
                "average_order": amount(r.average_order),
            }
            for r in self.partners
        ]

    def explain(self, lang: str = "en") -> str:
        """A summary a channel manager can paste into the work summary (渠道工作总结).

        It states the total net sales and growth, the direct/indirect split, partner activity,
        territory coverage, concentration, the top and bottom partners and the laggards; every
        figure it shows is a field of the review.

        Examples
        --------
        >>> from channelkit.demo import sample
        >>> from channelkit.review import review
        >>> r = review(sample.transactions(), sample.QUARTER, partners=sample.partners())
        >>> print(r.explain().splitlines()[1])
        Net sales 1,066,000.00 (gross 1,083,000.00 - returns 17,000.00)
        >>> print(r.explain("zh").splitlines()[-1])
        无落后伙伴（目标达成率低于 80%）
        """
        return explain_review(self, lang)
