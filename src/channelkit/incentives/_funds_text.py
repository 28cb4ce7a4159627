"""The sentences of the fund decisions' reasons, in English and Chinese.

Each function returns ``(en, zh)`` for one failed check, with the figures that show it, so that a
reason carries its message in both languages and the two cannot say different things.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Final, Protocol

from channelkit.html import html_table
from channelkit.incentives._funds_args import money_text
from channelkit.labels import LabeledEnum, check_lang, fmt_pct, pick
from channelkit.money import Money
from channelkit.periods import Period

__all__ = [
    # a decision's rules, account and table
    "check_outcome",
    "decision_html",
    "explain_decision",
    # the reasons' sentences
    "activity",
    "currency",
    "exhausted",
    "late",
    "no_allocation",
    "no_proof",
    "over_approved",
    "partial_claim",
    "partial_request",
    "window",
    "wrong_partner",
    "wrong_program",
]

_SHOWN: Final = 5
"""Activities listed at most in a message (the rest are counted)."""


def _listed(names: Iterable[str], zh: bool) -> str:
    ordered = sorted(names)
    shown = ("、" if zh else ", ").join(repr(n) for n in ordered[:_SHOWN])
    more = len(ordered) - _SHOWN
    if more > 0:
        return f"{shown} 等 {len(ordered)} 项" if zh else f"{shown} and {more} more"
    return shown or ("无" if zh else "none")


def activity(name: str, allowed: frozenset[str]) -> tuple[str, str]:
    """ACTIVITY: the request's activity is not one the programme funds."""
    return (
        f"activity {name!r} is not among the programme's activities ({_listed(allowed, False)})",
        f"活动 {name!r} 不在项目资助的活动内（{_listed(allowed, True)}）",
    )


def window(start: dt.date, end: dt.date, period: Period) -> tuple[str, str]:
    """WINDOW: the activity's days are not all inside the programme's period."""
    return (
        f"the activity days {start}..{end} (inclusive) are not inside the programme's period "
        f"{period} (end exclusive)",
        f"活动日期 {start}..{end}（含首尾）不在项目期间 {period}（不含结束日）内",
    )


def no_allocation(partner_id: str, program_id: str) -> tuple[str, str]:
    """NO_ALLOCATION: the partner's allocation is zero."""
    return (
        f"partner {partner_id} has no allocation in programme {program_id}",
        f"伙伴 {partner_id} 在项目 {program_id} 中没有分配额度",
    )


def exhausted(allocation: Money, committed: Money) -> tuple[str, str]:
    """EXHAUSTED: an allocation above zero, all of it committed."""
    a, c = money_text(allocation), money_text(committed)
    return (
        f"nothing is left of the allocation of {a}: {c} is already committed",
        f"分配额度 {a} 已无剩余：已承诺 {c}",
    )


def partial_request(left: Money, share: Money) -> tuple[str, str]:
    """PARTIAL (request): less is left of the allocation than the vendor's share."""
    lt, s = money_text(left), money_text(share)
    return (
        f"only {lt} is left of the allocation, less than the share of {s}",
        f"分配额度仅剩 {lt}，少于应承担份额 {s}",
    )


def wrong_program(asked: str, program_id: str) -> tuple[str, str]:
    """WRONG_PROGRAM: the request names another programme."""
    return (
        f"the request is for programme {asked!r}, not {program_id!r}",
        f"该申请属于项目 {asked!r}，而非 {program_id!r}",
    )


def late(submitted: dt.date, end: dt.date, days: int) -> tuple[str, str]:
    """LATE: submitted more than the window's days after the activity's last day."""
    return (
        f"submitted on {submitted}, more than {days} days after the activity ended on {end}",
        f"提交日期 {submitted}，晚于活动结束日 {end} 后 {days} 天的核销期限",
    )


def no_proof() -> tuple[str, str]:
    """NO_PROOF: no proof of performance when the programme requires it."""
    return (
        "no proof of performance was given and the programme requires it",
        "未提供执行证明，而项目要求提供",
    )


def over_approved(share: Money, approved: Money, before: Money) -> tuple[str, str]:
    """OVER_APPROVED: the claim's share is above what is left of the request's approval."""
    s, a, b = money_text(share), money_text(approved), money_text(before)
    left = money_text(approved - before)
    return (
        f"the share of {s} is above the {left} left of the {a} approved ({b} claimed before)",
        f"核销份额 {s} 超出批准额 {a} 的剩余 {left}（此前已核销 {b}）",
    )


def wrong_partner(claimant: str, partner_id: str) -> tuple[str, str]:
    """WRONG_PARTNER: the claim's partner is not the request's."""
    return (
        f"the claim's partner {claimant} is not the request's partner {partner_id}",
        f"核销伙伴 {claimant} 与申请伙伴 {partner_id} 不符",
    )


def currency(claimed: str, program: str) -> tuple[str, str]:
    """CURRENCY: the claim is in another currency than the programme's."""
    return (
        f"the claim is in {claimed} but the programme pays in {program}",
        f"核销币种为 {claimed}，而项目以 {program} 支付",
    )


def partial_claim(paid: Money, share: Money) -> tuple[str, str]:
    """PARTIAL (claim): cut to what is left of the approval."""
    p, s = money_text(paid), money_text(share)
    return (f"paid {p} of the share of {s}", f"仅核准 {p}，核销份额为 {s}")


class _Reason(Protocol):
    @property
    def code(self) -> LabeledEnum: ...
    @property
    def message(self) -> str: ...
    def text(self, lang: str = "en") -> str: ...


def check_outcome(
    outcome: str,
    approved: Money,
    codes: Sequence[str],
    partial: tuple[str, ...],
    share: Money | None,
    amounts: Mapping[str, Money | None],
) -> None:
    """The rules every decision keeps: a refusal says why and a cut is never silent.

    ``partial`` lists the reasons of a PARTIAL outcome, its last being the PARTIAL code.
    """
    for name, value in amounts.items():
        if value is not None and value.currency != approved.currency:
            msg = f"{name} is in {value.currency} but approved is in {approved.currency}"
            raise ValueError(msg)
    if approved.amount < 0:
        msg = f"approved must not be negative, got {approved}"
        raise ValueError(msg)
    if len(set(codes)) != len(codes):
        msg = f"reasons must not repeat a code, got {list(codes)}"
        raise ValueError(msg)
    if outcome == "reject":
        if approved.amount:
            msg = f"a REJECT approves nothing, got approved {approved}"
            raise ValueError(msg)
        if not codes or partial[-1] in codes:
            msg = f"a REJECT lists why (and never PARTIAL), got reasons {list(codes)}"
            raise ValueError(msg)
    elif outcome == "partial":
        if tuple(codes) != partial:
            msg = f"a PARTIAL lists the reasons {list(partial)}, got {list(codes)}"
            raise ValueError(msg)
        if approved.amount <= 0 or (share is not None and approved >= share):
            msg = f"a PARTIAL approves more than 0 and less than the share, got {approved}"
            raise ValueError(msg)
    else:
        if codes:
            msg = f"an APPROVE lists no reason, got {list(codes)}"
            raise ValueError(msg)
        if share is not None and approved != share:
            msg = f"an APPROVE approves the whole share {share}, got {approved}"
            raise ValueError(msg)


def explain_decision(
    lang: str,
    head: tuple[str, str],
    outcome: LabeledEnum,
    approved: Money,
    shared: tuple[Money | None, Decimal | None, Money | None],
    left: tuple[Money | None, Money | None, str, str],
    reasons: Sequence[_Reason],
) -> str:
    """A decision's account: the outcome, the share, what was left, then every reason.

    ``head`` is the English and Chinese subject; ``shared`` the cost, the rate and the share;
    ``left`` the total, what was used of it, and the English and Chinese line showing both.
    """
    zh = check_lang(lang) == "zh"
    out = [
        pick(lang, "{h}: {o}, approved {a}", "{h}：{o}，批准 {a}").format(
            h=head[zh], o=outcome.label(lang), a=money_text(approved)
        )
    ]
    cost, rate, share = shared
    if cost is not None and rate is not None and share is not None:
        line = pick(lang, "  vendor's share: {c} x {r} = {s}", "  厂商承担份额：{c} x {r} = {s}")
        out.append(line.format(c=money_text(cost), r=fmt_pct(rate), s=money_text(share)))
    total, used, en, zh_line = left
    if total is not None and used is not None:
        out.append(
            pick(lang, en, zh_line).format(
                a=money_text(total), b=money_text(used), l=money_text(total - used)
            )
        )
    sep = pick(lang, ": ", "：")
    out.extend(f"  - {r.code.label(lang)}{sep}{r.text(lang)}" for r in reasons)
    return "\n".join(out)


def decision_html(
    caption: str,
    outcome: LabeledEnum,
    approved: Money,
    share: Money | None,
    reasons: Sequence[_Reason],
) -> str:
    """A decision as an HTML table: one row per reason, the amounts above it."""
    return html_table(
        f"{caption}: {outcome.label()}",
        ["reason", "message"],
        [[r.code, r.message] for r in reasons],
        summary=[("approved", approved), ("share", share)],
    )
