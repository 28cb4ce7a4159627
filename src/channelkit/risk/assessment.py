r"""Risk assessment: the risk matrix, inherent and residual risk, and the rating.

[`assess`][] scores one [`RiskItem`][] on a 5 x 5 risk matrix
(风险矩阵): inherent risk is likelihood times impact, residual risk what is left after the controls
in place, and the rating (a [`Severity`][]) comes from the residual through
the band edges of a [`RiskMatrix`][].
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Final, Self

from pydantic import Field, model_validator

from channelkit.errors import expect
from channelkit.labels import fmt_number, fmt_pct, pick
from channelkit.model import Id, Model, trusted
from channelkit.numeric import (
    CONTEXT,
    DecimalLike,
    NonNegativeDecimal,
    ResultNonNegative,
    decimal_text,
    to_decimal,
)
from channelkit.risk import _html
from channelkit.risk.models import RiskCategory, RiskItem, Scale5, Signal, signal
from channelkit.scales import Severity, band

__all__ = [
    # models
    "RiskMatrix",
    # results
    "RiskAssessment",
    # calculators
    "assess",
]

_ONE = Decimal(1)
_PLAIN: Final = 50
"""Figures with an adjusted exponent within this are shown digit by digit."""


def figure(value: Decimal) -> str:
    """A score as explanations show it: its own digits, or scientific beyond 50 digits.

    Examples
    --------
    >>> figure(Decimal("9.00")), figure(Decimal("1E-60"))
    ('9', '1E-60')
    """
    if -_PLAIN < value.adjusted() < _PLAIN:
        return fmt_number(value, grouping=False)
    return decimal_text(value)


class RiskMatrix(Model):
    """The band edges that turn a residual risk score into a rating.

    A residual up to ``low_max`` (inclusive) is LOW, up to ``medium_max`` MEDIUM, up to
    ``high_max`` HIGH, and above ``high_max`` CRITICAL. The edges must rise strictly.

    Examples
    --------
    >>> m = RiskMatrix()
    >>> m.low_max, m.medium_max, m.high_max
    (Decimal('4'), Decimal('9'), Decimal('16'))
    >>> m.rating(9), m.rating("9.01")
    (<Severity.MEDIUM: 'medium'>, <Severity.HIGH: 'high'>)
    >>> RiskMatrix(low_max=9, medium_max=9)
    Traceback (most recent call last):
    pydantic_core._pydantic_core.ValidationError: 1 validation error for RiskMatrix
      Value error, the band edges must rise strictly ...
    """

    low_max: NonNegativeDecimal = Decimal(4)
    """The highest residual rated LOW."""
    medium_max: NonNegativeDecimal = Decimal(9)
    """The highest residual rated MEDIUM."""
    high_max: NonNegativeDecimal = Decimal(16)
    """The highest residual rated HIGH; anything above is CRITICAL."""

    @model_validator(mode="after")
    def _rising(self) -> Self:
        if not self.low_max < self.medium_max < self.high_max:
            msg = (
                "the band edges must rise strictly (low_max < medium_max < high_max): got "
                f"low_max {self.low_max}, medium_max {self.medium_max}, high_max {self.high_max}"
            )
            raise ValueError(msg)
        return self

    def rating(self, residual: DecimalLike) -> Severity:
        """The rating of a residual score: each band includes its upper edge."""
        return self._rate(to_decimal(residual, "residual"))

    def _rate(self, residual: Decimal) -> Severity:
        edges = (self.low_max, self.medium_max, self.high_max)
        return band(residual, edges, edge_goes_up=False)


_DEFAULT_MATRIX = RiskMatrix()


class RiskAssessment(Model):
    """The result of [`assess`][]: one risk's inherent and residual scores, rating and signals."""

    item_id: Id
    """The assessed risk's ``id``."""
    title: str
    """The assessed risk's title."""
    category: RiskCategory
    """The assessed risk's category."""
    likelihood: Scale5
    """The risk's likelihood, 1 to 5."""
    impact: Scale5
    """The risk's impact, 1 to 5."""
    control_effectiveness: Annotated[ResultNonNegative, Field(le=1)]
    """The share of the risk the controls remove, 0 to 1."""
    inherent: ResultNonNegative
    """``likelihood * impact``: the risk before controls, 1 to 25."""
    residual: ResultNonNegative
    """``inherent * (1 - control_effectiveness)``: the risk left after controls, exact."""
    rating: Severity
    """The matrix's rating of ``residual``."""
    signals: Mapping[str, Signal]
    """Each indicator's signal, keyed by indicator key, in the risk's indicator order."""
    matrix: RiskMatrix
    """The band edges the rating was read from."""

    _repr_html_ = _html.risk_assessment

    def _band(self, lang: str) -> str:
        m, r = self.matrix, figure(self.residual)
        low, med, high = figure(m.low_max), figure(m.medium_max), figure(m.high_max)
        if self.rating is Severity.LOW:
            return pick(lang, f"{r} is up to low_max {low}", f"{r} 不超过 low_max {low}")
        if self.rating is Severity.MEDIUM:
            return pick(
                lang,
                f"{r} is above low_max {low}, up to medium_max {med}",
                f"{r} 高于 low_max {low}，不超过 medium_max {med}",
            )
        if self.rating is Severity.HIGH:
            return pick(
                lang,
                f"{r} is above medium_max {med}, up to high_max {high}",
                f"{r} 高于 medium_max {med}，不超过 high_max {high}",
            )
        return pick(lang, f"{r} is above high_max {high}", f"{r} 高于 high_max {high}")

    def explain(self, lang: str = "en") -> str:
        """How the risk was scored and rated, step by step.

        Examples
        --------
        >>> import datetime as dt
        >>> from channelkit.risk.models import Indicator
        >>> item = RiskItem(id="R1", title="D-NORTH pays late", category="credit",
        ...                 likelihood=3, impact=4, control_effectiveness="0.25",
        ...                 identified=dt.date(2026, 3, 1),
        ...                 indicators=(Indicator(key="dso", value=63, amber=45, red=60),))
        >>> print(assess(item).explain())
        Risk R1 "D-NORTH pays late" (Credit risk)
          inherent = likelihood 3 x impact 4 = 12
          residual = 12 x (1 - control effectiveness 25%) = 9
          rating: Medium (residual 9 is above low_max 4, up to medium_max 9)
          indicators: dso red
        >>> print(assess(item).explain("zh"))
        风险 R1「D-NORTH pays late」（信用风险）
          固有风险 = 可能性 3 x 影响 4 = 12
          剩余风险 = 12 x (1 - 控制有效性 25%) = 9
          评级：中（剩余风险 9 高于 low_max 4，不超过 medium_max 9）
          预警指标：dso 红灯
        """
        inh, res = figure(self.inherent), figure(self.residual)
        ce = fmt_pct(self.control_effectiveness)
        lines = [
            pick(
                lang,
                f'Risk {self.item_id} "{self.title}" ({self.category.label(lang)})',
                f"风险 {self.item_id}「{self.title}」（{self.category.label(lang)}）",
            ),
            pick(
                lang,
                f"  inherent = likelihood {self.likelihood} x impact {self.impact} = {inh}",
                f"  固有风险 = 可能性 {self.likelihood} x 影响 {self.impact} = {inh}",
            ),
            pick(
                lang,
                f"  residual = {inh} x (1 - control effectiveness {ce}) = {res}",
                f"  剩余风险 = {inh} x (1 - 控制有效性 {ce}) = {res}",
            ),
            pick(
                lang,
                f"  rating: {self.rating.label(lang)} (residual {self._band(lang)})",
                f"  评级：{self.rating.label(lang)}（剩余风险 {self._band(lang)}）",
            ),
        ]
        if self.signals:
            sep = pick(lang, ", ", "，")
            shown = sep.join(
                f"{k} {s.label(lang).lower() if lang == 'en' else s.label(lang)}"
                for k, s in self.signals.items()
            )
            lines.append(pick(lang, f"  indicators: {shown}", f"  预警指标：{shown}"))
        return "\n".join(lines)


def assess(item: RiskItem, matrix: RiskMatrix = _DEFAULT_MATRIX) -> RiskAssessment:
    r"""Assess one risk: inherent and residual scores, the rating, the indicators' signals.

    Parameters
    ----------
    item
        The risk to assess.
    matrix
        The band edges of the rating (default ``RiskMatrix()``: 4, 9, 16).

    Returns
    -------
    RiskAssessment
        The scores, the rating and one signal per indicator (keyed by indicator key).

    Raises
    ------
    ArgumentTypeError
        When ``item`` is not a ``RiskItem`` or ``matrix`` not a ``RiskMatrix`` (a
        ``TypeError``).

    Notes
    -----
    $$
    \begin{aligned}
    \text{inherent} &= \text{likelihood} \times \text{impact} \\
    \text{residual} &= \text{inherent} \times (1 - \text{control effectiveness})
    \end{aligned}
    $$

    The residual is exact (no rounding; the local 34-digit context), lies in
    ``[0, inherent]`` and is 0 when the controls are fully effective. The rating is LOW for a
    residual up to ``low_max``, MEDIUM up to ``medium_max``, HIGH up to ``high_max`` and CRITICAL
    above it: a residual exactly on an edge takes the lower band. The item's status does not
    change the scores (a closed risk is assessed like any other).

    Examples
    --------
    >>> import datetime as dt
    >>> item = RiskItem(id="R1", title="Price war online", category="market", likelihood=4,
    ...                 impact=4, control_effectiveness="0.3", identified=dt.date(2026, 7, 1))
    >>> a = assess(item)
    >>> a.inherent, a.residual, a.rating
    (Decimal('16'), Decimal('11.2'), <Severity.HIGH: 'high'>)
    >>> assess(item, RiskMatrix(low_max=5, medium_max=12, high_max=20)).rating
    <Severity.MEDIUM: 'medium'>
    """
    expect(item, RiskItem, "item", "a RiskItem")
    expect(matrix, RiskMatrix, "matrix", "a RiskMatrix")
    inherent = Decimal(item.likelihood * item.impact)
    residual = CONTEXT.multiply(inherent, CONTEXT.subtract(_ONE, item.control_effectiveness))
    return trusted(
        RiskAssessment,
        {
            "item_id": item.id,
            "title": item.title,
            "category": item.category,
            "likelihood": item.likelihood,
            "impact": item.impact,
            "control_effectiveness": item.control_effectiveness,
            "inherent": inherent,
            "residual": residual,
            "rating": matrix._rate(residual),
            "signals": {ind.key: signal(ind) for ind in item.indicators},
            "matrix": matrix,
        },
    )
