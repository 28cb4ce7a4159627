"""Channel conflicts (渠道冲突): the conflict record, its enums, registrations, recommendations.

A [`Conflict`][] is a finding about channel members: who (``parties``), what kind
([`ConflictType`][]), why ([`ConflictCause`][]), how bad ([`Severity`][]), where it stands in its
lifecycle ([`ConflictStatus`][]) and how it was settled ([`Resolution`][]). The detectors of
`channelkit.conflicts.detectors` produce them from transactions, partners and
[`DealRegistration`][]s; [`recommend`][channelkit.conflicts.recommend.recommend] turns one into a
[`Recommendation`][].
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Final, Self

from pydantic import Field, model_validator

from channelkit.conflicts import _html
from channelkit.labels import LabeledEnum, fmt_amount, pick
from channelkit.model import Id, Model
from channelkit.money import Money, ResultMoney
from channelkit.numeric import MAX_DIGITS, NonNegativeCount, decimal_text
from channelkit.periods import Period
from channelkit.scales import Severity

__all__ = [
    # enums
    "ConflictType",
    "ConflictCause",
    "ConflictStatus",
    "Resolution",
    "DealStatus",
    "Stage",
    # models
    "Conflict",
    "DealRegistration",
    "Recommendation",
    # constants
    "ACTIVE_DEAL_STATUSES",
    "SETTLED_STATUSES",
]


class ConflictType(LabeledEnum):
    """Between whom a conflict runs: members of one level, levels of one channel, or channels."""

    HORIZONTAL = "horizontal", "Horizontal conflict", "水平渠道冲突"
    VERTICAL = "vertical", "Vertical conflict", "垂直渠道冲突"
    MULTICHANNEL = "multichannel", "Multi-channel conflict", "不同渠道间冲突"


class ConflictCause(LabeledEnum):
    """Why a conflict arose (冲突原因).

    The source's internal and external causes, and the four findings the detectors make.
    """

    INFORMATION_GAP = "information_gap", "Information gap", "信息差异"
    PERCEPTION_GAP = "perception_gap", "Perception gap", "认识差异"
    GOAL_MISMATCH = "goal_mismatch", "Goal mismatch", "目标差异"
    RESOURCE_SCARCITY = "resource_scarcity", "Resource scarcity", "资源稀缺"
    ROLE_AMBIGUITY = "role_ambiguity", "Role ambiguity", "角色界定不清"
    EXPECTATION_GAP = "expectation_gap", "Expectation gap", "期望误差"
    ENVIRONMENT_CHANGE = "environment_change", "Environment change", "营销环境变化"
    PRICE_VIOLATION = "price_violation", "Price violation", "乱价"
    TERRITORY_DIVERSION = "territory_diversion", "Territory diversion", "窜货"
    DEAL_OVERLAP = "deal_overlap", "Deal registration overlap", "客户报备冲突"
    CHANNEL_OVERLAP = "channel_overlap", "Direct sale to a registered customer", "直销与渠道撞单"


class ConflictStatus(LabeledEnum):
    """Where a conflict stands in its lifecycle (see [`TRANSITIONS`][])."""

    OPEN = "open", "Open", "待处理"
    MEDIATING = "mediating", "Mediating", "调解中"
    ESCALATED = "escalated", "Escalated", "已升级"
    RESOLVED = "resolved", "Resolved", "已解决"
    CLOSED = "closed", "Closed", "已关闭"


class Resolution(LabeledEnum):
    """How a conflict is handled (冲突处理), from the mildest means to the last resort."""

    COMMUNICATION = "communication", "Communication", "沟通"
    MEDIATION = "mediation", "Mediation", "调解"
    LEGAL = "legal", "Legal action", "法律手段"
    RESTRUCTURE = "restructure", "Channel restructuring", "渠道重组"
    EXIT = "exit", "Exit", "退出"


class Stage(LabeledEnum):
    """The stage of conflict handling a recommendation belongs to."""

    PREVENT = "prevent", "Prevent", "前期防范"
    REDUCE = "reduce", "Reduce", "中期降低"
    RESOLVE = "resolve", "Resolve", "后期处理"


class DealStatus(LabeledEnum):
    """Where a deal registration (客户报备) stands."""

    PENDING = "pending", "Pending", "待审批"
    APPROVED = "approved", "Approved", "已批准"
    REJECTED = "rejected", "Rejected", "已驳回"
    EXPIRED = "expired", "Expired", "已过期"


ACTIVE_DEAL_STATUSES: Final = frozenset({DealStatus.PENDING, DealStatus.APPROVED})
"""The registration statuses that take part in detection."""

SETTLED_STATUSES: Final = frozenset({ConflictStatus.RESOLVED, ConflictStatus.CLOSED})
"""The conflict statuses that carry a [`Resolution`][] (and the only ones that may)."""


def amount_text(money: Money) -> str:
    """``money``'s amount grouped and rounded to its minor unit, as explanations show it.

    An amount too large to be rounded to its minor unit within 34 digits (only a computed sum
    can be) is shown as it is held, by [`decimal_text`][channelkit.numeric.decimal_text]
    (scientific when very large), so the text stays short.

    Examples
    --------
    >>> amount_text(Money("33000", "CNY")), amount_text(Money._make(Decimal("9E+999"), "CNY"))
    ('33,000.00', '9E+999')
    """
    amount = money.amount
    if fits_minor_unit(amount, money.places):
        return fmt_amount(amount, money.places)
    return decimal_text(amount)


def fits_minor_unit(amount: Decimal, places: int) -> bool:
    """Whether ``amount`` rounds to ``places`` decimals within 34 digits (a carry included)."""
    return amount.adjusted() + places < MAX_DIGITS - 1


class Conflict(Model):
    """A channel conflict between members, or between the vendor's channels.

    Examples
    --------
    >>> c = Conflict(id="C1", type=ConflictType.HORIZONTAL,
    ...              cause=ConflictCause.TERRITORY_DIVERSION, parties=("R-SOUTH", "D-EAST"),
    ...              severity=Severity.HIGH, detected=dt.date(2026, 8, 25),
    ...              amount_at_stake=Money(33_000, "CNY"), evidence=("T013",))
    >>> c.status, c.type.label("zh")
    (<ConflictStatus.OPEN: 'open'>, '水平渠道冲突')
    >>> print(c.explain())
    Conflict C1: horizontal conflict, cause territory diversion
      parties: R-SOUTH, D-EAST
      severity high, status open, detected 2026-08-25
      at stake: 33,000.00 CNY
      evidence: T013
    """

    id: Id
    """The conflict's identifier (the detectors derive it from what they found, see the guide)."""
    type: ConflictType
    """Horizontal, vertical or multi-channel."""
    cause: ConflictCause
    """Why it arose."""
    parties: Annotated[tuple[Id, ...], Field(min_length=1)]
    """The partners involved, each once (the vendor itself is never named)."""
    severity: Severity
    """How serious it is."""
    status: ConflictStatus = ConflictStatus.OPEN
    """Where it stands in its lifecycle."""
    detected: dt.date
    """The day it was detected (the detectors use the first day of the evidence)."""
    amount_at_stake: ResultMoney | None = None
    """The money involved, when it can be measured (a computed sum: not held to the input
    bounds)."""
    evidence: tuple[Id, ...] = ()
    """Ids of the transactions and registrations that triggered the finding."""
    description: str = ""
    """A free text account (the detectors write one in English)."""
    resolution: Resolution | None = None
    """How it was settled: set exactly when ``status`` is RESOLVED or CLOSED."""

    _repr_html_ = _html.conflict

    @model_validator(mode="after")
    def _check(self) -> Self:
        parties = self.parties
        if len(parties) > 1 and len(set(parties)) != len(parties):
            p = next(p for i, p in enumerate(parties) if p in parties[:i])
            msg = f"parties must name each party once: {p!r} appears twice in {parties}"
            raise ValueError(msg)
        status = self.status
        settled = status is ConflictStatus.RESOLVED or status is ConflictStatus.CLOSED
        if settled and self.resolution is None:
            msg = f"resolution is required when status is {self.status.value!r}"
            raise ValueError(msg)
        if not settled and self.resolution is not None:
            msg = (
                f"resolution must be None when status is {self.status.value!r} "
                f"(got {self.resolution.value!r}); only resolved and closed conflicts have one"
            )
            raise ValueError(msg)
        return self

    def explain(self, lang: str = "en") -> str:
        """The conflict in a few lines: kind, cause, parties, severity, status, stake, evidence."""
        lines = [
            pick(lang, "Conflict {id}: {t}, cause {c}", "冲突 {id}：{t}，原因：{c}").format(
                id=self.id, t=self.type.label(lang).lower(), c=self.cause.label(lang).lower()
            ),
            pick(lang, "  parties: {p}", "  当事方：{p}").format(p=", ".join(self.parties)),
            pick(
                lang,
                "  severity {s}, status {st}, detected {d}",
                "  严重程度：{s}，状态：{st}，发现日期：{d}",
            ).format(
                s=self.severity.label(lang).lower(),
                st=self.status.label(lang).lower(),
                d=self.detected.isoformat(),
            ),
        ]
        if self.amount_at_stake is not None:
            lines.append(
                pick(lang, "  at stake: {a} {c}", "  涉及金额：{a} {c}").format(
                    a=amount_text(self.amount_at_stake), c=self.amount_at_stake.currency
                )
            )
        if self.evidence:
            lines.append(
                pick(lang, "  evidence: {e}", "  证据：{e}").format(e=", ".join(self.evidence))
            )
        if self.resolution is not None:
            lines.append(
                pick(lang, "  resolution: {r}", "  处理方式：{r}").format(
                    r=self.resolution.label(lang).lower()
                )
            )
        return "\n".join(lines)


class DealRegistration(Model):
    """A partner's registration of a customer deal (客户报备), covering ``[registered, expires)``.

    Only PENDING and APPROVED registrations take part in detection ([`ACTIVE_DEAL_STATUSES`][]).

    Examples
    --------
    >>> r = DealRegistration(id="REG-01", partner_id="S-WEST", customer_id="C-SC-01",
    ...                      registered=dt.date(2026, 6, 1), expires=dt.date(2026, 12, 1),
    ...                      status=DealStatus.APPROVED)
    >>> r.active, dt.date(2026, 11, 30) in r.window, dt.date(2026, 12, 1) in r.window
    (True, True, False)
    """

    id: Id
    """The registration's identifier."""
    partner_id: Id
    """The partner that registered the deal."""
    customer_id: Id
    """The customer registered."""
    registered: dt.date
    """The first day the registration covers."""
    expires: dt.date
    """The first day it no longer covers (exclusive), after ``registered``."""
    status: DealStatus
    """Pending, approved, rejected or expired."""

    @model_validator(mode="after")
    def _check_window(self) -> Self:
        if self.expires <= self.registered:
            msg = (
                f"expires ({self.expires}) must be after registered ({self.registered}): "
                "a registration covers [registered, expires)"
            )
            raise ValueError(msg)
        return self

    @property
    def window(self) -> Period:
        """The days the registration covers, ``[registered, expires)``."""
        return Period(self.registered, self.expires)

    @property
    def active(self) -> bool:
        """Whether it takes part in detection (status PENDING or APPROVED)."""
        return self.status in ACTIVE_DEAL_STATUSES


class Recommendation(Model):
    """The result of [`recommend`][channelkit.conflicts.recommend.recommend].

    A stage and the actions to take.
    """

    conflict_id: Id
    """The conflict the recommendation is for."""
    severity: Severity
    """The conflict's own severity."""
    recurrences: NonNegativeCount
    """How many earlier conflicts of the same cause between the same parties the history holds."""
    recurrence_ids: tuple[Id, ...] = ()
    """Their ids, in history order."""
    severity_used: Severity
    """``severity`` raised one step per recurrence, at most CRITICAL."""
    stage: Stage
    """Prevent, reduce or resolve."""
    actions: Annotated[tuple[Resolution, ...], Field(min_length=1)]
    """The means to use, mildest first."""

    _repr_html_ = _html.recommendation

    @model_validator(mode="after")
    def _check(self) -> Self:
        if len(self.recurrence_ids) != self.recurrences:
            msg = (
                f"recurrence_ids must hold one id per recurrence: recurrences is "
                f"{self.recurrences}, recurrence_ids has {len(self.recurrence_ids)}"
            )
            raise ValueError(msg)
        if self.severity_used < self.severity:
            msg = (
                f"severity_used ({self.severity_used.value}) must not be below severity "
                f"({self.severity.value})"
            )
            raise ValueError(msg)
        return self

    def explain(self, lang: str = "en") -> str:
        """How the stage and actions follow from the severity and the recurrences."""
        head = pick(
            lang,
            "Recommendation for conflict {id}: severity {s}",
            "冲突 {id} 的处理建议：严重程度 {s}",
        ).format(id=self.conflict_id, s=self.severity.label(lang).lower())
        if self.recurrences:
            head += pick(
                lang,
                ", {n} recurrence(s) ({ids}) raise it to {u}",
                "，重复发生 {n} 次（{ids}），升级为 {u}",
            ).format(
                n=self.recurrences,
                ids=", ".join(self.recurrence_ids),
                u=self.severity_used.label(lang).lower(),
            )
        else:
            head += pick(lang, ", no recurrence", "，无重复发生")
        body = pick(lang, "  stage: {st}; actions: {a}", "  阶段：{st}；措施：{a}").format(
            st=self.stage.label(lang).lower(),
            a=pick(lang, ", ", "、").join(a.label(lang).lower() for a in self.actions),
        )
        return f"{head}\n{body}"
