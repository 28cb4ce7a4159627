"""The risk register's models: risks, their categories and status, and early-warning indicators.

A [`RiskItem`][] is one entry of a channel risk register (渠道风险): what could go wrong, how
likely it is and how much it would hurt (each scored 1 to 5), how effective the controls in place
are, and the key indicators watched for early warning (风险预警). [`signal`][] reads one
[`Indicator`][] against its amber and red thresholds.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Self

from pydantic import BeforeValidator, Field, StringConstraints, model_validator

from channelkit.errors import ArgumentTypeError
from channelkit.labels import LabeledEnum
from channelkit.model import Id, Model
from channelkit.numeric import Dec, UnitInterval
from channelkit.scales import Direction

__all__ = [
    # enums
    "RiskCategory",
    "RiskStatus",
    "Signal",
    # models
    "Indicator",
    "RiskItem",
    # calculators
    "signal",
]


class RiskCategory(LabeledEnum):
    """The kind of a channel risk, after the source material's list (渠道风险)."""

    CREDIT = "credit", "Credit risk", "信用风险"
    MARKET = "market", "Market risk", "市场风险"
    POLICY = "policy", "Policy risk", "政策风险"
    FUNDS_SETTLEMENT = "funds_settlement", "Funds and settlement risk", "资金/结算风险"
    INFORMATION_SECURITY = "information_security", "Information security risk", "信息安全风险"
    TERMINAL = "terminal", "Terminal (point-of-sale) risk", "终端风险"
    OPERATIONAL = "operational", "Operational risk", "运营风险"
    COMPLIANCE = "compliance", "Compliance risk", "合规风险"
    RELATIONSHIP = "relationship", "Relationship risk", "渠道关系风险"


class RiskStatus(LabeledEnum):
    """Where a risk stands in its handling."""

    OPEN = "open", "Open", "待处理"
    MITIGATING = "mitigating", "Mitigating", "处置中"
    ACCEPTED = "accepted", "Accepted", "已接受"
    CLOSED = "closed", "Closed", "已关闭"


class Signal(LabeledEnum):
    """An early-warning light (风险预警): green, amber or red."""

    GREEN = "green", "Green", "绿灯"
    AMBER = "amber", "Amber", "黄灯"
    RED = "red", "Red", "红灯"


class Indicator(Model):
    """A key risk indicator with its amber and red thresholds (预警指标).

    Reaching a threshold triggers it. For ``LOWER_IS_BETTER`` (the default: days sales
    outstanding, overdue share) the red threshold is the higher one; for ``HIGHER_IS_BETTER``
    (collection rate, distribution rate) it is the lower one. The two thresholds may be equal: the
    indicator then goes straight from green to red.

    Examples
    --------
    >>> Indicator(key="dso", value=52, amber=45, red=60).amber
    Decimal('45')
    >>> Indicator(key="dso", value=52, amber=60, red=45)
    Traceback (most recent call last):
    pydantic_core._pydantic_core.ValidationError: 1 validation error for Indicator
      Value error, indicator 'dso' is lower-is-better, so amber must not be above red: ...
    """

    key: Id
    """The indicator's name (``"dso"``, ``"collection_rate"``...), unique within a risk."""
    value: Dec
    """The latest reading."""
    amber: Dec
    """The threshold whose reaching gives an amber signal."""
    red: Dec
    """The threshold whose reaching gives a red signal."""
    direction: Direction = Direction.LOWER_IS_BETTER
    """Whether a lower reading (the default) or a higher one is the safer."""

    @model_validator(mode="after")
    def _thresholds_in_order(self) -> Self:
        lower = self.direction is Direction.LOWER_IS_BETTER
        if lower and self.amber > self.red:
            msg = (
                f"indicator {self.key!r} is lower-is-better, so amber must not be above red: "
                f"got amber {self.amber}, red {self.red}"
            )
            raise ValueError(msg)
        if not lower and self.amber < self.red:
            msg = (
                f"indicator {self.key!r} is higher-is-better, so amber must not be below red: "
                f"got amber {self.amber}, red {self.red}"
            )
            raise ValueError(msg)
        return self


def signal(indicator: Indicator) -> Signal:
    """The early-warning signal of ``indicator``: GREEN, AMBER or RED.

    Parameters
    ----------
    indicator
        The indicator with its latest value and its thresholds.

    Returns
    -------
    Signal
        RED when the red threshold is reached, else AMBER when the amber one is, else GREEN.

    Raises
    ------
    ArgumentTypeError
        When ``indicator`` is not an [`Indicator`][] (a ``TypeError``).

    Notes
    -----
    Reaching a threshold triggers it (the comparison includes equality):

    * ``LOWER_IS_BETTER``: RED when ``value >= red``, AMBER when ``value >= amber``;
    * ``HIGHER_IS_BETTER``: RED when ``value <= red``, AMBER when ``value <= amber``.

    Examples
    --------
    >>> signal(Indicator(key="dso", value=45, amber=45, red=60))
    <Signal.AMBER: 'amber'>
    >>> signal(Indicator(key="collection_rate", value="0.97", amber="0.95", red="0.85",
    ...                  direction="higher_is_better"))
    <Signal.GREEN: 'green'>
    """
    if not isinstance(indicator, Indicator):
        msg = f"indicator must be an Indicator, not {type(indicator).__name__}"
        raise ArgumentTypeError(msg, argument="indicator", value=indicator)
    v = indicator.value
    if indicator.direction is Direction.LOWER_IS_BETTER:
        if v >= indicator.red:
            return Signal.RED
        return Signal.AMBER if v >= indicator.amber else Signal.GREEN
    if v <= indicator.red:
        return Signal.RED
    return Signal.AMBER if v <= indicator.amber else Signal.GREEN


def _whole_number(value: Any) -> Any:
    """Refuse a ``bool`` or a ``float`` where a 1-to-5 score is expected."""
    if isinstance(value, bool | float):
        msg = f"must be a whole number from 1 to 5, not a {type(value).__name__} (got {value!r})"
        raise ValueError(msg)
    return value


Scale5 = Annotated[int, Field(ge=1, le=5), BeforeValidator(_whole_number)]
"""A score on the five-point scale of a risk matrix: an ``int`` from 1 to 5."""


class RiskItem(Model):
    """One entry of the channel risk register (渠道风险登记).

    Examples
    --------
    >>> r = RiskItem(id="R1", title="D-NORTH pays late", category="credit", likelihood=3,
    ...              impact=4, control_effectiveness="0.25", partner_id="D-NORTH",
    ...              identified=dt.date(2026, 3, 1), review_by=dt.date(2026, 9, 15))
    >>> r.category.label("zh"), r.status
    ('信用风险', <RiskStatus.OPEN: 'open'>)
    >>> RiskItem(id="R2", title="x", category="market", likelihood=6, impact=1,
    ...          identified=dt.date(2026, 3, 1))
    Traceback (most recent call last):
    pydantic_core._pydantic_core.ValidationError: 1 validation error for RiskItem
    likelihood
      Input should be less than or equal to 5 ...
    """

    id: Id
    """The risk's identifier in the register."""
    title: Annotated[str, StringConstraints(min_length=1, pattern=r"\S")]
    """A short description of what could go wrong."""
    category: RiskCategory
    """The kind of risk."""
    likelihood: Scale5
    """How likely the risk is to occur, 1 (rare) to 5 (almost certain)."""
    impact: Scale5
    """How much it would hurt if it occurred, 1 (negligible) to 5 (severe)."""
    control_effectiveness: UnitInterval = Decimal(0)
    """The share of the risk the controls in place remove, 0 (none) to 1 (all)."""
    partner_id: Id | None = None
    """The partner the risk concerns, if one."""
    owner: Id | None = None
    """Who is responsible for handling it."""
    identified: dt.date
    """The day the risk was entered in the register."""
    review_by: dt.date | None = None
    """The day by which it is to be reviewed next; not before ``identified``."""
    status: RiskStatus = RiskStatus.OPEN
    """Where the risk stands in its handling."""
    indicators: tuple[Indicator, ...] = ()
    """The early-warning indicators watched for this risk, each key once."""

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.review_by is not None and self.review_by < self.identified:
            msg = (
                f"review_by must not be before identified: got review_by {self.review_by}, "
                f"identified {self.identified}"
            )
            raise ValueError(msg)
        seen: set[str] = set()
        for ind in self.indicators:
            if ind.key in seen:
                msg = f"indicators must have unique keys: {ind.key!r} appears twice"
                raise ValueError(msg)
            seen.add(ind.key)
        return self
