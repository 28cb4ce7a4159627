"""The notebook tables of the rebate results: one renderer per result, bound as ``_repr_html_``.

Each result class binds its function here as its ``_repr_html_``
(``_repr_html_ = _html.settlement``), so a notebook shows it as a caption naming it and its key,
a line of headline figures and a compact table, written by
[`html_table`][channelkit.html.html_table] (escaped, no script, no external resource). Every
figure shown is a field of the result, or a field formatted. Labels are English: a notebook calls
``_repr_html_`` without arguments.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from channelkit.html import _percent, _round, html_table
from channelkit.labels import fmt_amount, fmt_number, fmt_pct
from channelkit.money import Money
from channelkit.rebates.models import RebateBasis, SettleUnit

if TYPE_CHECKING:
    from channelkit.rebates.groups import GroupSettlement
    from channelkit.rebates.ledger import LedgerEntry, RebateLedger
    from channelkit.rebates.lint import Finding
    from channelkit.rebates.results import RebateResult
    from channelkit.rebates.settled import Accrual, Settlement
    from channelkit.rebates.simulate import PartnerDiff, Simulation, SimulationRow
    from channelkit.rebates.stacked import ProgramSettlement

__all__ = [
    "accrual",
    "finding",
    "group_settlement",
    "ledger_entry",
    "partner_diff",
    "program_settlement",
    "rebate_ledger",
    "rebate_result",
    "settlement",
    "simulation",
    "simulation_row",
]

Summary = list[tuple[str, object]]


def _basis(value: Decimal, kind: RebateBasis, currency: str) -> Money | Decimal:
    """A basis as money in the policy's currency, or as a plain number (units)."""
    return Money._make(value, currency) if kind.is_money else value


def _rate(rate: Decimal, kind: RebateBasis, currency: str, places: int = 2) -> str:
    """A rate as a percentage, or as money per unit for a ``UNITS`` basis."""
    return fmt_pct(rate, places) if kind.is_money else f"{fmt_number(rate)} {currency}/unit"


def _payable(payable: Money) -> tuple[str, Money]:
    """The payable as a headline figure: a clawback when below zero."""
    return ("clawback", -payable) if payable.amount < 0 else ("payable", payable)


def _lines(r: RebateResult) -> tuple[list[str], list[list[object]]]:
    """The table of a rebate: one row per bracket applied, then one per adjustment."""
    money = r.basis_kind.is_money
    cur = r.amount.currency
    header = ["line", "start", "end", "slice", "rate %" if money else f"rate ({cur}/unit)"]
    header += ["flat", "amount"]
    rows: list[list[object]] = []
    for line in r.lines:
        name = f"brackets[{line.index}]" + ("" if line.valid is None else f" ({line.valid})")
        rate = _percent(line.rate, 4) if money else line.rate
        rows.append([name, line.start, line.end, line.slice, rate, line.flat, line.amount])
    rows.extend([a.reason, "", "", "", "", "", a.amount] for a in r.adjustments)
    return header, rows


def _rebate_figures(r: RebateResult) -> Summary:
    """The headline figures of a rebate after its basis: how it tiers, what it pays, what next."""
    cur = r.amount.currency
    out: Summary = []
    if r.tier_basis is not None and r.tier_value is not None:
        out.append((f"bracket picked by {r.tier_basis.label()}", _tier(r, r.tier_value)))
    if r.threshold is not None:
        out.append(("threshold", _tier(r, r.threshold)))
    out += [("mode", r.mode), ("boundary", r.boundary)]
    if r.per is SettleUnit.TRANSACTION:
        out.append(("tiered", r.per))
    if r.score is not None:
        out.append(("score", _round(r.score)))
    if r.adjustments:
        out.append(("gross", r.gross))
    out += [("rebate", r.amount), ("effective rate", _rate(r.effective_rate, r.basis_kind, cur))]
    nb = r.next_bracket
    if nb is None:
        each = r.per is SettleUnit.TRANSACTION
        step = "none (each transaction tiered on its own)" if each else "top bracket reached"
        out.append(("next step", step))
    else:
        gap = _text(_tier(r, nb.gap))
        rate = _rate(nb.rate, r.basis_kind, cur, 4)
        there = _text(nb.amount_at_start)
        out.append(("next step", f"{gap} more reaches {rate} (rebate there: {there})"))
    return out


def _text(value: Money | Decimal) -> str:
    """A figure inside a sentence: money to its minor unit with its currency, or a number."""
    if isinstance(value, Money):
        return f"{fmt_amount(value.amount, value.places)} {value.currency}"
    return fmt_number(value)


def _tier(r: RebateResult, value: Decimal) -> Money | Decimal:
    """A figure in the units of the tier figure (threshold, gap): money or a number."""
    kind = r.basis_kind if r.tier_basis is None else r.tier_basis
    return _basis(value, kind, r.amount.currency)


def rebate_result(r: RebateResult) -> str:
    """A rebate: the basis and payable, then its lines and adjustments."""
    cur = r.amount.currency
    summary: Summary = [(r.basis_kind.label(), _basis(r.basis, r.basis_kind, cur))]
    header, rows = _lines(r)
    return html_table(
        f"Rebate for policy {r.policy_id}", header, rows, summary=summary + _rebate_figures(r)
    )


def settlement(s: Settlement) -> str:
    """A partner's settlement: the figures read, the rebate, advances and payable; its lines."""
    r = s.result
    cur = s.payable.currency
    summary: Summary = [
        ("sales", s.gross_sales),
        ("returns", s.returns),
        ("collections", s.collections),
        ("net units", s.units),
    ]
    if s.baseline is not None:
        summary.append(("baseline", Money._make(s.baseline, cur)))
    summary.append((f"basis ({r.basis_kind.label()})", _basis(s.basis, r.basis_kind, cur)))
    summary += _rebate_figures(r)
    summary += [("advances", s.advances), _payable(s.payable)]
    header, rows = _lines(r)
    caption = f"Settlement of {s.partner_id} for {s.period} under policy {r.policy_id}"
    return html_table(caption, header, rows, summary=summary)


def accrual(a: Accrual) -> str:
    """An accrual: the basis to date, the rate it is booked at, the amount; the projected lines."""
    kind, cur = a.projected.basis_kind, a.amount.currency
    summary: Summary = [
        ("basis to date", _basis(a.basis_to_date, kind, cur)),
        ("projected basis", _basis(a.projected_basis, kind, cur)),
        ("effective rate at the projected basis", _rate(a.effective_rate, kind, cur)),
        ("accrual", a.amount),
    ]
    header, rows = _lines(a.projected)
    return html_table(f"Accrual for policy {a.policy_id}", header, rows, summary=summary)


def program_settlement(p: ProgramSettlement) -> str:
    """A programme settled: how the policies stack, the total; one row per policy."""
    cur = p.amount.currency
    summary: Summary = [("stacking", p.stacking), ("policies", len(p.settlements))]
    if p.chosen is not None:
        summary.append(("policy paid", p.chosen))
    summary += [("rebate", p.amount), ("advances", p.advances), _payable(p.payable)]
    rows = [
        [
            s.result.policy_id,
            s.result.basis_kind,
            _basis(s.basis, s.result.basis_kind, cur),
            s.result.amount,
            p.chosen is None or s.result.policy_id == p.chosen,
        ]
        for s in p.settlements
    ]
    caption = f"Programme {p.program_id} for {p.partner_id}, {p.period}"
    header = ["policy", "basis kind", "basis", "rebate", "paid"]
    return html_table(caption, header, rows, summary=summary)


def group_settlement(g: GroupSettlement) -> str:
    """A buying group: the pool settled once; one row per member with its basis and share."""
    s = g.settlement
    kind, cur = s.result.basis_kind, s.payable.currency
    summary: Summary = [
        ("members", len(g.members)),
        (f"pooled basis ({kind.label()})", _basis(s.basis, kind, cur)),
    ]
    if s.baseline is not None:
        summary.append(("group baseline", Money._make(s.baseline, cur)))
    summary += [("rebate", s.result.amount), ("advances", s.advances), _payable(g.payable)]
    rows = [[m, _basis(g.bases[m], kind, cur), g.shares[m]] for m in g.members]
    caption = f"Buying group {g.group_id} under policy {s.result.policy_id}, {s.period}"
    return html_table(caption, ["member", "basis", "share"], rows, summary=summary)


_ENTRY_HEADER = ["period", "basis", "rebate", "paid before", "clawback", "payable"]


def _entry_row(e: LedgerEntry, basis: Money | Decimal) -> list[object]:
    return [e.period, basis, e.rebate, e.paid_before, e.clawback, e.payable]


def ledger_entry(e: LedgerEntry) -> str:
    """One period of a ledger, as a one-row table."""
    rows = [_entry_row(e, e.basis)]
    return html_table(
        f"Ledger entry {e.period}", _ENTRY_HEADER, rows, summary=[_payable(e.payable)]
    )


def rebate_ledger(book: RebateLedger) -> str:
    """A ledger: its basis and total paid; one row per entry."""
    cur = book.total_paid.currency
    summary: Summary = [
        ("basis", book.basis_kind),
        ("cumulative", book.cumulative),
        ("periods", len(book.entries)),
        ("total paid", book.total_paid),
    ]
    rows = [_entry_row(e, _basis(e.basis, book.basis_kind, cur)) for e in book.entries]
    caption = f"Rebate ledger of {book.partner_id} under policy {book.policy_id}"
    return html_table(caption, _ENTRY_HEADER, rows, summary=summary)


def finding(f: Finding) -> str:
    """A policy's design flaw: its code, severity, bracket, figures and message in one row."""
    bracket = "whole policy" if f.bracket is None else f"brackets[{f.bracket}]"
    header = ["code", "severity", "bracket", "start", "value", "reference", "message"]
    rows = [[f.code, f.severity, bracket, f.start, f.value, f.reference, f.message]]
    caption = f"Policy finding: {f.code.label()} ({f.severity.label()})"
    return html_table(caption, header, rows)


_ROW_HEADER = ["policy", "growth %", "basis kind", "partners", "basis", "total", "cost rate"]
_ROW_HEADER += ["partners paid", "least", "most"]


def _growth(g: Decimal) -> str:
    return ("+" if g > 0 else "") + fmt_pct(g)


def _sim_row(row: SimulationRow) -> list[object]:
    cur = row.total.currency
    return [
        row.policy_id,
        _percent(row.growth),
        row.basis_kind,
        row.partners,
        _basis(row.basis, row.basis_kind, cur),
        row.total,
        _rate(row.cost_rate, row.basis_kind, cur),
        row.partners_paid,
        row.min,
        row.max,
    ]


def simulation_row(row: SimulationRow) -> str:
    """One policy at one growth over every partner, as a one-row table."""
    caption = f"Simulation of {row.policy_id} at growth {_growth(row.growth)}"
    return html_table(caption, _ROW_HEADER, [_sim_row(row)], summary=[("total", row.total)])


def simulation(sim: Simulation) -> str:
    """A simulation: the growth factors; one row per policy and growth."""
    summary: Summary = [("growth", ", ".join(_growth(g) for g in sim.growth))]
    caption = f"Simulation of {len(sim.policies)} policies over {len(sim.bases):,} partners"
    rows = [_sim_row(row) for row in sim.rows]
    return html_table(caption, _ROW_HEADER, rows, summary=summary)


def partner_diff(d: PartnerDiff) -> str:
    """One partner's rebate under two policies, and the change, as a one-row table."""
    header = ["partner", "basis", "amount A", "amount B", "change"]
    rows = [[d.partner_id, d.basis, d.amount_a, d.amount_b, d.change]]
    return html_table(f"Change for {d.partner_id}", header, rows, summary=[("change", d.change)])
