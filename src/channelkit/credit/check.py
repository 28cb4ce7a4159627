"""The credit check at an order (信用检查): approve, warn or block, with coded reasons.

[`check_order`][] adds an order to a partner's [`Exposure`][], compares the
result with the credit limit (信用额度) under a [`CreditPolicy`][], and runs the
document-value and overdue rules. Every rule has its own reaction, so the checks of SAP (per-check
reactions, tolerance), Odoo (warn only) and ERPNext (block at the limit) are configurations.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Final

from pydantic import computed_field, model_validator

from channelkit.credit import _html
from channelkit.credit._args import wrong_type
from channelkit.credit.exposure import (
    _COUNTED,
    CreditOutcome,
    CreditPolicy,
    Exposure,
    ExposureKind,
    _counted,
)
from channelkit.credit.openitems import Aging
from channelkit.currencies import CURRENCIES, CurrencyCode
from channelkit.errors import ArgumentError, CurrencyMismatchError, PolicyError
from channelkit.labels import LabeledEnum, check_lang, fmt_amount, fmt_pct, pick
from channelkit.model import Model, trusted
from channelkit.money import Money, ResultMoney, read_amount
from channelkit.numeric import CONTEXT, ResultDec, ResultNonNegative, decimal_text

__all__ = [
    # enums
    "CreditReasonCode",
    # results
    "CreditReason",
    "CreditDecision",
    # calculators
    "check_order",
]

_ZERO: Final = Decimal(0)
_ONE: Final = Decimal(1)

_APPROVE, _WARN, _BLOCK = CreditOutcome.APPROVE, CreditOutcome.WARN, CreditOutcome.BLOCK


class CreditReasonCode(LabeledEnum):
    """Which rule of a credit check a [`CreditReason`][] reports."""

    LIMIT = "limit", "Credit limit exceeded", "超出信用额度"
    TOLERANCE = "tolerance", "Over the limit, within tolerance", "超出额度但在容差内"
    WARN_LEVEL = "warn_level", "Utilization at the warning level", "额度使用率达到预警线"
    DOCUMENT_VALUE = "document_value", "Order above the maximum document value", "单笔订单金额超限"
    OVERDUE_DAYS = "overdue_days", "Overdue for too long", "逾期天数超限"
    OVERDUE_SHARE = "overdue_share", "Too large a share overdue", "逾期占比超限"


class CreditReason(Model):
    """One rule that tripped in a credit check, with the figures it compared."""

    code: CreditReasonCode
    """The rule."""
    outcome: CreditOutcome
    """The rule's reaction (APPROVE only for TOLERANCE, which is a note)."""
    actual: ResultDec
    """The figure checked: exposure after the order, utilization, order value, days or share."""
    threshold: ResultDec
    """The figure it was compared with."""
    currency: CurrencyCode | None = None
    """The currency of ``actual`` and ``threshold`` when they are amounts of money."""

    @model_validator(mode="before")
    @classmethod
    def _drop_message(cls, data: Any) -> Any:
        # ``message`` is derived from the fields and serialized with them; reading it back from
        # JSON must not fail, and it is recomputed rather than trusted.
        if isinstance(data, dict) and "message" in data:
            data = {k: v for k, v in data.items() if k != "message"}
        return data

    @computed_field  # type: ignore[prop-decorator]
    @property
    def message(self) -> str:
        """The reason in English, from the code and the figures (``text(lang)`` for Chinese).

        Examples
        --------
        >>> CreditReason(code="overdue_days", outcome="block", actual=45, threshold=30).message
        'oldest overdue item is 45 days past due, more than 30'
        """
        return _text(self.code, self.actual, self.threshold, self.currency, "en")

    def text(self, lang: str = "en") -> str:
        """The reason as a sentence in ``lang``.

        Examples
        --------
        >>> r = CreditReason(code="overdue_days", outcome="block", actual=45, threshold=30)
        >>> r.text("zh")
        '最长逾期 45 天，超过上限 30 天'
        """
        return _text(self.code, self.actual, self.threshold, self.currency, lang)


def _amount(value: Decimal, currency: str | None) -> str:
    if currency is None:
        return fmt_amount(value)
    return f"{fmt_amount(value, CURRENCIES[currency])} {currency}"


def _text(
    code: CreditReasonCode, actual: Decimal, threshold: Decimal, cur: str | None, lang: str
) -> str:
    a, t = _amount(actual, cur), _amount(threshold, cur)
    if code is CreditReasonCode.LIMIT:
        en, zh = "exposure after the order {a} is above {t}", "下单后敞口 {a}，超过 {t}"
    elif code is CreditReasonCode.TOLERANCE:
        en = "exposure after the order {a} is above the limit {t}, within the tolerance"
        zh = "下单后敞口 {a}，超过额度 {t}，但在容差内"
    elif code is CreditReasonCode.WARN_LEVEL:
        a, t = fmt_pct(actual), fmt_pct(threshold)
        en, zh = "utilization {a} is at or above {t}", "额度使用率 {a}，达到预警线 {t}"
    elif code is CreditReasonCode.DOCUMENT_VALUE:
        en, zh = "order {a} is above the maximum {t}", "订单金额 {a}，超过单笔上限 {t}"
    elif code is CreditReasonCode.OVERDUE_DAYS:
        a, t = decimal_text(actual), decimal_text(threshold)
        en = "oldest overdue item is {a} days past due, more than {t}"
        zh = "最长逾期 {a} 天，超过上限 {t} 天"
    else:
        a, t = fmt_pct(actual), fmt_pct(threshold)
        en, zh = "{a} of open items are overdue, more than {t}", "逾期占未结 {a}，超过上限 {t}"
    return pick(lang, en, zh).format(a=a, t=t)


def _reason(
    code: CreditReasonCode,
    outcome: CreditOutcome,
    actual: Decimal,
    threshold: Decimal,
    currency: str | None,
) -> CreditReason:
    return trusted(
        CreditReason,
        {
            "code": code,
            "outcome": outcome,
            "actual": actual,
            "threshold": threshold,
            "currency": currency,
        },
    )


class CreditDecision(Model):
    """The result of [`check_order`][]: the outcome, the figures, and every rule that tripped."""

    outcome: CreditOutcome
    """APPROVE, WARN or BLOCK: the most severe reaction of the rules that tripped."""
    currency: CurrencyCode
    """The currency of every amount."""
    limit: ResultMoney | None
    """The credit limit; ``None`` means no limit."""
    limit_with_tolerance: ResultMoney | None
    """``limit * (1 + tolerance)``: the exposure above which the limit check trips."""
    tolerance: ResultNonNegative
    """The policy's tolerance."""
    warn_at: ResultNonNegative | None
    """The policy's warning level (a fraction of the limit), ``None`` when off."""
    included: tuple[ExposureKind, ...]
    """The exposure components counted, in declaration order."""
    exposure_before: ResultMoney
    """The counted exposure before the order."""
    order: ResultMoney
    """The order's value."""
    exposure_after: ResultMoney
    """``exposure_before + order``."""
    available: ResultMoney | None
    """``limit - exposure_after`` (negative when over the limit); ``None`` with no limit."""
    utilization: ResultDec | None
    """``exposure_after / limit``; ``None`` with no limit or a zero limit."""
    exceeded_by: ResultMoney | None
    """``max(0, exposure_after - limit)``; ``None`` with no limit."""
    reasons: tuple[CreditReason, ...] = ()
    """Every rule that tripped, in the order limit, warning level, document value, overdue."""

    _repr_html_ = _html.credit_decision

    @property
    def approved(self) -> bool:
        """Whether the order may go ahead without a block (APPROVE or WARN)."""
        return self.outcome is not _BLOCK

    def explain(self, lang: str = "en") -> str:
        """The check step by step: exposure, order, limit, utilization and the reasons.

        Examples
        --------
        >>> cny = lambda a: Money(a, "CNY")
        >>> e = Exposure(receivables=cny(300_000), open_orders=cny(50_000),
        ...              unbilled_deliveries=cny(20_000), unposted_invoices=cny(0))
        >>> print(check_order(cny(400_000), e, cny(40_000)).explain())
        Credit check: Block
          Exposure before the order: 370,000.00 CNY (receivables, open orders, unbilled deliveries, unposted invoices)
          Order: 40,000.00 CNY -> exposure after: 410,000.00 CNY
          Limit: 400,000.00 CNY; available: -10,000.00 CNY; exceeded by 10,000.00 CNY
          Utilization: 102.5% (warning at 90%)
          - block: exposure after the order 410,000.00 CNY is above 400,000.00 CNY
          - warn: utilization 102.5% is at or above 90%
        """  # noqa: E501
        cur = self.currency
        places = self.exposure_before.places

        def m(x: Money) -> str:
            return f"{fmt_amount(x.amount, places)} {cur}"

        zh = check_lang(lang) == "zh"
        kinds = ("、" if zh else ", ").join(_KIND_WORDS[k][zh] for k in self.included)
        lines = [
            pick(lang, "Credit check: {o}", "信用检查：{o}").format(o=self.outcome.label(lang)),
            pick(lang, "  Exposure before the order: {e} ({k})", "  下单前敞口：{e}（{k}）").format(
                e=m(self.exposure_before), k=kinds
            ),
            pick(
                lang, "  Order: {o} -> exposure after: {a}", "  订单：{o} -> 下单后敞口：{a}"
            ).format(o=m(self.order), a=m(self.exposure_after)),
        ]
        if self.limit is None or self.available is None or self.exceeded_by is None:
            lines.append(pick(lang, "  Limit: none", "  信用额度：不限"))
        else:
            text = pick(lang, "  Limit: {l}", "  信用额度：{l}").format(l=m(self.limit))
            if self.tolerance and self.limit_with_tolerance is not None:
                text += pick(lang, " (tolerance {t}: {c})", "（容差 {t}：{c}）").format(
                    t=fmt_pct(self.tolerance), c=m(self.limit_with_tolerance)
                )
            text += pick(lang, "; available: {a}", "；可用额度：{a}").format(a=m(self.available))
            if self.exceeded_by:
                text += pick(lang, "; exceeded by {x}", "；超出 {x}").format(x=m(self.exceeded_by))
            lines.append(text)
            if self.utilization is None:
                lines.append(
                    pick(
                        lang, "  Utilization: n/a (zero limit)", "  额度使用率：不适用（额度为零）"
                    )
                )
            else:
                text = pick(lang, "  Utilization: {u}", "  额度使用率：{u}").format(
                    u=fmt_pct(self.utilization)
                )
                if self.warn_at is not None:
                    text += pick(lang, " (warning at {w})", "（预警线 {w}）").format(
                        w=fmt_pct(self.warn_at)
                    )
                lines.append(text)
        for r in self.reasons:
            react = (
                pick(lang, "note", "提示")
                if r.outcome is _APPROVE
                else r.outcome.label(lang).lower()
            )
            lines.append(pick(lang, "  - {o}: {t}", "  - {o}：{t}").format(o=react, t=r.text(lang)))
        return "\n".join(lines)


_KIND_WORDS: Final = {
    ExposureKind.RECEIVABLES: ("receivables", "应收账款"),
    ExposureKind.OPEN_ORDERS: ("open orders", "未交货订单"),
    ExposureKind.UNBILLED_DELIVERIES: ("unbilled deliveries", "已发货未开票"),
    ExposureKind.UNPOSTED_INVOICES: ("unposted invoices", "已开票未过账"),
}
_DEFAULT_POLICY: Final = CreditPolicy()


def check_order(
    limit: Money | None,
    exposure: Exposure,
    order: Money,
    policy: CreditPolicy = _DEFAULT_POLICY,
    *,
    aging: Aging | None = None,
) -> CreditDecision:
    r"""Check an order against a partner's credit limit and credit rules.

    Parameters
    ----------
    limit
        The credit limit (信用额度), at least 0; ``None`` means no limit (a zero limit is a real
        limit: nothing on credit).
    exposure
        The partner's exposure before the order.
    order
        The order's value, at least 0.
    policy
        Which exposure components count, the warning level, the tolerance, the document-value
        and overdue rules, and each rule's reaction.
    aging
        The aging of the partner's open items; required when the policy has overdue rules.

    Returns
    -------
    CreditDecision
        The outcome, every figure, and a reason for every rule that tripped.

    Raises
    ------
    CurrencyMismatchError
        When ``limit``, ``order`` or ``aging`` is not in the exposure's currency.
    PolicyError
        When the policy has overdue rules and no ``aging`` is passed (a rule is never skipped).
    ArgumentError
        When ``limit`` or ``order`` is negative or outside the input bounds (below 10**15, at
        most 34 significant digits).
    ArgumentTypeError
        When ``limit`` or ``order`` is not ``Money``, ``exposure`` not an
        [`Exposure`][], ``policy`` not a [`CreditPolicy`][] or ``aging`` not an
        [`Aging`][] (also a ``TypeError``).

    Notes
    -----
    With $E_0$ the sum of the included components, $O$ the order, $L$ the
    limit and $\tau$ the tolerance:

    $$
    \begin{aligned}
    E_1 &= E_0 + O, & \text{available} &= L - E_1, \\
    \text{exceeded by} &= \max(0, E_1 - L), & u &= E_1 / L
    \end{aligned}
    $$

    The rules, each tripping on its own:

    * limit (reaction ``on_limit``): $E_1 > L (1 + \tau)$; exactly at the limit passes.
      Above $L$ but not above $L (1 + \tau)$ is noted as TOLERANCE (outcome APPROVE).
    * warning level (reaction WARN): $u \ge$ ``warn_at``, i.e. $E_1 \ge L \cdot$
      ``warn_at`` (compared exactly, without dividing); off when ``warn_at`` is ``None``.
    * document value (``on_document_value``): $O >$ ``max_document_value``, also with no
      limit.
    * overdue (``on_overdue``): the oldest overdue item is more than ``max_overdue_days`` past due,
      or the overdue share is more than ``max_overdue_share``.

    The outcome is the most severe reaction of the rules that tripped (APPROVE when none did).
    With no limit, ``available``, ``exceeded_by`` and ``utilization`` are ``None`` and only the
    document-value and overdue rules apply. With a zero limit any positive exposure after the
    order trips the limit rule and ``utilization`` is ``None`` (undefined), so the warning level
    does not apply. The order always counts, whatever ``include`` says (``include`` selects the
    components of the exposure already there). Nothing is rounded: amounts are only added.

    Examples
    --------
    >>> cny = lambda a: Money(a, "CNY")
    >>> e = Exposure(receivables=cny(300_000), open_orders=cny(50_000),
    ...              unbilled_deliveries=cny(0), unposted_invoices=cny(0))
    >>> d = check_order(cny(400_000), e, cny(50_000))
    >>> d.outcome, d.available, d.utilization
    (<CreditOutcome.WARN: 'warn'>, Money('0', 'CNY'), Decimal('1'))
    >>> d = check_order(cny(400_000), e, cny(50_001), CreditPolicy(warn_at=None))
    >>> d.outcome, d.exceeded_by, [r.code.value for r in d.reasons]
    (<CreditOutcome.BLOCK: 'block'>, Money('1', 'CNY'), ['limit'])
    >>> check_order(None, e, cny(10**6)).outcome
    <CreditOutcome.APPROVE: 'approve'>
    """
    # ``type(x) is C`` first: pydantic's isinstance check runs Python code
    if type(exposure) is not Exposure and not isinstance(exposure, Exposure):
        raise wrong_type("exposure", "an Exposure", exposure)
    if type(order) is not Money and not isinstance(order, Money):
        raise wrong_type("order", "Money", order)
    if type(policy) is not CreditPolicy and not isinstance(policy, CreditPolicy):
        raise wrong_type("policy", "a CreditPolicy", policy)
    if aging is not None and type(aging) is not Aging and not isinstance(aging, Aging):
        raise wrong_type("aging", "an Aging or None", aging)
    include = policy.include
    exposure_before = exposure.total(include)
    before = exposure_before.amount
    cur = exposure_before.currency
    o = read_amount(order, cur, "order", non_negative=True)
    after = CONTEXT.add(before, o)
    reasons: list[CreditReason] = []
    worst = _APPROVE
    if limit is None:
        limit_tol = available = exceeded = None
        utilization = None
    else:
        if type(limit) is not Money and not isinstance(limit, Money):
            raise wrong_type("limit", "Money or None", limit)
        lim = read_amount(limit, cur, "limit")
        if lim < _ZERO:
            msg = f"limit must not be negative (None means no limit), got {limit}"
            raise ArgumentError(msg, argument="limit", value=limit)
        if lim is not limit.amount:  # a zero with a far exponent, read as 0
            limit = Money._make(lim, cur)
        tol = policy.tolerance
        if tol:
            ceiling = CONTEXT.multiply(lim, CONTEXT.add(_ONE, tol))
            limit_tol = Money._make(ceiling, cur)
        else:
            ceiling, limit_tol = lim, limit
        over = CONTEXT.subtract(after, lim)
        available = Money._make(CONTEXT.minus(over), cur)
        exceeded = Money._make(over, cur) if over > _ZERO else Money.zero(cur)
        utilization = CONTEXT.divide(after, lim) if lim else None
        if after > ceiling:
            worst = policy.on_limit
            reasons.append(_reason(CreditReasonCode.LIMIT, worst, after, ceiling, cur))
        elif over > _ZERO:
            reasons.append(_reason(CreditReasonCode.TOLERANCE, _APPROVE, after, lim, cur))
        warn_at = policy.warn_at
        if (
            warn_at is not None
            and utilization is not None
            and after >= CONTEXT.multiply(lim, warn_at)
        ):
            if worst is _APPROVE:
                worst = _WARN
            reasons.append(_reason(CreditReasonCode.WARN_LEVEL, _WARN, utilization, warn_at, None))
    max_doc = policy.max_document_value
    if max_doc is not None and o > max_doc:
        react = policy.on_document_value
        if react is _BLOCK or worst is _APPROVE:  # the more severe (a reaction is never APPROVE)
            worst = react
        reasons.append(_reason(CreditReasonCode.DOCUMENT_VALUE, react, o, max_doc, cur))
    if policy.has_overdue_rules:
        if _check_overdue(aging, cur, policy, reasons):
            react = policy.on_overdue
            if react is _BLOCK or worst is _APPROVE:
                worst = react
    elif aging is not None and aging.currency != cur:
        raise CurrencyMismatchError(cur, aging.currency, "aging")
    return trusted(
        CreditDecision,
        {
            "outcome": worst,
            "currency": cur,
            "limit": limit,
            "limit_with_tolerance": limit_tol,
            "tolerance": policy.tolerance,
            "warn_at": policy.warn_at,
            "included": (_COUNTED.get(include) or _counted(include))[0],  # cached by total()
            "exposure_before": exposure_before,
            "order": order if o is order.amount else Money._make(o, cur),
            "exposure_after": Money._make(after, cur),
            "available": available,
            "utilization": utilization,
            "exceeded_by": exceeded,
            "reasons": tuple(reasons),
        },
    )


def _check_overdue(
    aging: Aging | None, cur: str, policy: CreditPolicy, reasons: list[CreditReason]
) -> bool:
    """Add a reason for each overdue rule ``aging`` breaks; whether any did."""
    if aging is None:
        msg = (
            "the credit policy has overdue rules (max_overdue_days="
            f"{policy.max_overdue_days}, max_overdue_share={policy.max_overdue_share}) "
            "but no aging was passed: pass aging=aging(open_items, as_of)"
        )
        raise PolicyError(msg)
    if aging.currency != cur:
        raise CurrencyMismatchError(cur, aging.currency, "aging")
    react = policy.on_overdue
    count = len(reasons)
    max_days = policy.max_overdue_days
    if max_days is not None and aging.oldest_overdue_days > max_days:
        reasons.append(
            _reason(
                CreditReasonCode.OVERDUE_DAYS,
                react,
                Decimal(aging.oldest_overdue_days),
                Decimal(max_days),
                None,
            )
        )
    max_share = policy.max_overdue_share
    if max_share is not None and aging.overdue_share > max_share:
        reasons.append(
            _reason(CreditReasonCode.OVERDUE_SHARE, react, aging.overdue_share, max_share, None)
        )
    return len(reasons) > count
