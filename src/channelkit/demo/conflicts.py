"""Demo section: the conflicts found in the sample quarter and what to do about each.

The sample quarter holds a sale by R-SOUTH into Shanghai, which D-EAST holds exclusively; a sale
by O-MALL below the AC-100 price floor; and a direct sale to C-SC-01, a customer S-WEST has
registered. The deal registrations below add an overlap (R-SOUTH registering a customer D-EAST
registered first), two whose status keeps them out (rejected, expired) and one whose window closed
three weeks before the vendor's direct sale to its customer.
``HISTORY`` holds last quarter's diversion by R-SOUTH, so this quarter's is a recurrence.
"""

from __future__ import annotations

import datetime as dt

from channelkit.conflicts import (
    Conflict,
    ConflictCause,
    ConflictStatus,
    ConflictType,
    DealRegistration,
    DealStatus,
    Resolution,
    detect_conflicts,
    recommend,
)
from channelkit.demo import sample
from channelkit.demo.text import heading, table
from channelkit.labels import fmt_amount, pick
from channelkit.money import Money
from channelkit.scales import Severity

__all__ = ["HISTORY", "ORDER", "REGISTRATIONS", "findings", "section"]

ORDER = 70
"""Where the section stands in the demo (after the KPIs, before the risk register)."""

_A, _P, _R, _E = DealStatus.APPROVED, DealStatus.PENDING, DealStatus.REJECTED, DealStatus.EXPIRED
_REGS = (
    # id, partner, customer, registered, expires, status
    ("REG-01", "S-WEST", "C-SC-01", "2026-06-01", "2026-12-01", _A),
    ("REG-02", "D-EAST", "C-SH-03", "2026-07-15", "2026-10-15", _A),
    ("REG-03", "R-SOUTH", "C-SH-03", "2026-08-01", "2026-11-01", _P),
    ("REG-04", "O-MALL", "C-SC-01", "2026-07-01", "2026-10-01", _R),
    ("REG-05", "D-NORTH", "C-KEY-01", "2026-01-01", "2026-07-01", _A),
    ("REG-06", "A-CENTRAL", "C-SH-03", "2026-03-01", "2026-06-01", _E),
)

REGISTRATIONS: tuple[DealRegistration, ...] = tuple(
    DealRegistration(
        id=rid,
        partner_id=pid,
        customer_id=cid,
        registered=dt.date.fromisoformat(start),
        expires=dt.date.fromisoformat(end),
        status=status,
    )
    for rid, pid, cid, start, end, status in _REGS
)
"""The sample deal registrations (客户报备)."""

HISTORY: tuple[Conflict, ...] = (
    Conflict(
        id="territory_diversion:R-SOUTH:SH:2026-05-12",
        type=ConflictType.HORIZONTAL,
        cause=ConflictCause.TERRITORY_DIVERSION,
        parties=("R-SOUTH", "D-EAST"),
        severity=Severity.HIGH,
        status=ConflictStatus.CLOSED,
        detected=dt.date(2026, 5, 12),
        amount_at_stake=Money(18_000, sample.CURRENCY),
        evidence=("T-2026Q2-17",),
        resolution=Resolution.COMMUNICATION,
    ),
)
"""Last quarter's conflicts, closed after a talk with R-SOUTH."""


def findings() -> tuple[Conflict, ...]:
    """Every conflict the detectors find in the sample quarter's transactions."""
    quarter = [t for t in sample.transactions() if t.date in sample.QUARTER]
    return detect_conflicts(
        quarter,
        partners=sample.partners(),
        registrations=REGISTRATIONS,
        floors=sample.FLOORS,
    )


def section(lang: str = "en") -> str:
    """The registrations, the conflicts found, and a recommendation for each."""
    counted = {True: pick(lang, "yes", "是"), False: pick(lang, "no", "否")}
    reg_rows = [
        [
            r.id,
            r.partner_id,
            r.customer_id,
            f"{r.registered}..{r.expires}",
            r.status.label(lang),
            counted[r.active],
        ]
        for r in REGISTRATIONS
    ]
    reg_headers = (
        ["registration", "partner", "customer", "window", "status", "status counts"]
        if lang == "en"
        else ["报备", "伙伴", "客户", "有效期", "状态", "状态参与检测"]
    )
    found = findings()
    rows = []
    advice = []
    for n, c in enumerate(found, start=1):
        stake = "-" if c.amount_at_stake is None else fmt_amount(c.amount_at_stake.amount)
        rows.append(
            [
                str(n),
                c.cause.label(lang),
                " / ".join(c.parties),
                c.severity.label(lang),
                stake,
                ", ".join(c.evidence),
            ]
        )
        r = recommend(c, history=HISTORY)
        advice.append(
            [
                str(n),
                str(r.recurrences),
                r.severity_used.label(lang),
                r.stage.label(lang),
                pick(lang, ", ", "、").join(a.label(lang) for a in r.actions),
            ]
        )
    headers = (
        ["#", "cause", "parties", "severity", f"at stake ({sample.CURRENCY})", "evidence"]
        if lang == "en"
        else ["#", "原因", "当事方", "严重程度", f"涉及金额（{sample.CURRENCY}）", "证据"]
    )
    advice_headers = (
        ["#", "recurrences", "severity used", "stage", "actions"]
        if lang == "en"
        else ["#", "重复次数", "采用的严重程度", "阶段", "措施"]
    )
    ids = "\n".join(f"  {n}. {c.id}" for n, c in enumerate(found, start=1))
    return "\n\n".join(
        [
            heading(pick(lang, "Channel conflicts", "渠道冲突")),
            pick(lang, "Deal registrations", "客户报备"),
            table(reg_headers, reg_rows),
            pick(lang, "Conflicts found in {q}", "{q} 发现的冲突").format(q=sample.QUARTER),
            table(headers, rows, right=[0, 4]),
            pick(lang, "Conflict ids (stable across runs):\n", "冲突编号（多次运行保持不变）：\n")
            + ids,
            pick(
                lang,
                "Recommendations (last quarter's diversion by R-SOUTH counts as a recurrence)",
                "处理建议（R-SOUTH 上季度的窜货计为重复发生）",
            ),
            table(advice_headers, advice, right=[0, 1]),
        ]
    )
