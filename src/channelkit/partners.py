"""Channel partners (渠道伙伴): who sells the vendor's goods, where, and on what terms."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Self

from pydantic import Field, model_validator

from channelkit.currencies import CurrencyCode
from channelkit.labels import LabeledEnum
from channelkit.model import Id, IdSet, Model
from channelkit.money import Money
from channelkit.numeric import NonNegativeCount

__all__ = ["Partner", "PartnerKind", "PartnerStatus"]


class PartnerKind(LabeledEnum):
    """The role a partner plays in the channel."""

    DISTRIBUTOR = "distributor", "Distributor", "经销商"
    DEALER = "dealer", "Dealer", "分销商"
    AGENT = "agent", "Agent", "代理商"
    RETAILER = "retailer", "Retailer", "零售商"
    ONLINE = "online", "Online reseller", "线上代理商"
    SOLUTION_PROVIDER = "solution_provider", "Solution provider", "行业解决方案提供商"


class PartnerStatus(LabeledEnum):
    """Where a partner stands in its relationship with the vendor."""

    ACTIVE = "active", "Active", "合作中"
    SUSPENDED = "suspended", "Suspended", "暂停合作"
    TERMINATED = "terminated", "Terminated", "已终止"


class Partner(Model):
    """A channel member (渠道成员) and its terms.

    Examples
    --------
    >>> p = Partner(id="D1", name="North Distribution", kind=PartnerKind.DISTRIBUTOR,
    ...             territories=frozenset({"NORTH"}), exclusive=True, currency="CNY",
    ...             credit_limit=Money(500_000, "CNY"), payment_terms_days=30,
    ...             joined=dt.date(2024, 1, 1))
    >>> p.kind.label("zh"), p.status
    ('经销商', <PartnerStatus.ACTIVE: 'active'>)
    """

    id: Id
    """The partner's identifier."""
    name: Annotated[str, Field(min_length=1)]
    """Display name."""
    kind: PartnerKind
    """Distributor, dealer, agent, retailer, online reseller or solution provider."""
    tier: Id | None = None
    """The code of the partner's current tier (``Tier.code``), if it has one."""
    parent_id: Id | None = None
    """The partner this one buys through (multi-level distribution), if any."""
    territories: IdSet = frozenset()
    """Territory codes the partner is appointed to."""
    exclusive: bool = False
    """Whether its territories are exclusive to it (a sale there by another is a diversion)."""
    currency: CurrencyCode
    """The currency the partner trades and is credited in."""
    credit_limit: Money | None = None
    """Credit limit in ``currency`` (信用额度); ``None`` means no limit."""
    payment_terms_days: NonNegativeCount
    """Days after invoice that payment is due."""
    joined: dt.date
    """The day the partner joined the channel."""
    status: PartnerStatus = PartnerStatus.ACTIVE
    """Active, suspended or terminated."""

    @model_validator(mode="after")
    def _check_terms(self) -> Self:
        limit = self.credit_limit
        if limit is not None:
            if limit.currency != self.currency:
                msg = (
                    f"credit_limit is in {limit.currency} but the partner's currency is "
                    f"{self.currency}"
                )
                raise ValueError(msg)
            if limit.amount < 0:
                msg = f"credit_limit must not be negative, got {limit}"
                raise ValueError(msg)
        if self.parent_id == self.id:
            msg = f"parent_id must differ from id (both {self.id!r})"
            raise ValueError(msg)
        return self
