"""Programme results: how a programme's policies stack, and a partner's programme settled.

[`Stacking`][] names the ways a [`Program`][channelkit.rebates.Program]'s policies combine;
[`ProgramSettlement`][] is what [`settle_program`][channelkit.rebates.settle_program] returns.
"""

from __future__ import annotations

from channelkit.currencies import CURRENCIES
from channelkit.labels import LabeledEnum, fmt_amount, fmt_number, pick
from channelkit.model import Id, Model
from channelkit.money import ResultMoney
from channelkit.periods import Period
from channelkit.rebates import _html
from channelkit.rebates.results import _money
from channelkit.rebates.settled import Settlement

__all__ = ["ProgramSettlement", "Stacking"]


class Stacking(LabeledEnum):
    """How the policies of a programme combine (叠加方式)."""

    ADD = "add", "Add up", "累加"
    FIRST = "first", "First match", "优先匹配"
    BEST = "best", "Best only", "择优"
    COMPOUND = "compound", "Compound", "依次扣减"


class ProgramSettlement(Model):
    """A partner's programme settled for a period: each policy's settlement and the total.

    ``amount`` is the sum of the policies' amounts (BEST: the chosen one's) and
    ``payable = amount - advances``; a negative payable is a clawback.
    """

    program_id: Id
    """The programme settled."""
    partner_id: Id
    """The partner settled."""
    period: Period
    """The settlement period ``[start, end)``."""
    stacking: Stacking
    """How the policies combined."""
    settlements: tuple[Settlement, ...]
    """One per policy in force in the period, in the programme's order, each with the basis it
    was given and no advances (BEST: every policy's, paid or not)."""
    chosen: Id | None = None
    """BEST: the id of the policy paid (the highest amount, ties to the earlier); else
    ``None``."""
    amount: ResultMoney
    """The rebate of the programme: the sum of the policies' amounts (BEST: the chosen one's)."""
    advances: ResultMoney
    """Rebates already paid for the period, applied once to the programme."""
    payable: ResultMoney
    """``amount - advances``: negative means a clawback."""

    _repr_html_ = _html.program_settlement

    def explain(self, lang: str = "en") -> str:
        """Each policy's basis and amount, how they stack, the total and the payable.

        Examples
        --------
        >>> import datetime as dt
        >>> from channelkit import Bracket, Money, Period, RebatePolicy, Transaction
        >>> from channelkit import Program, settle_program
        >>> twenty = RebatePolicy(id="A", name="A", currency="CNY",
        ...                       brackets=(Bracket(start=0, rate="0.2"),))
        >>> ten = twenty.model_copy(update={"id": "B", "brackets": (Bracket(start=0, rate="0.1"),)})
        >>> program = Program(id="PG", name="PG", currency="CNY", policies=(twenty, ten),
        ...                   stacking="compound")
        >>> sale = Transaction(id="T1", partner_id="D1", date=dt.date(2026, 7, 3), kind="sale",
        ...                    amount=Money(1_000, "CNY"))
        >>> print(settle_program(program, [sale], Period.quarter(2026, 3),
        ...                      partner_id="D1").explain())
        Programme PG for D1, 2026-07-01..2026-10-01: 2 policies, stacking Compound
          each policy's basis is the previous one's less its rebate
          A: net sales 1,000.00 -> 200.00
          B: net sales 800.00 -> 80.00
        Amount: 280.00 CNY
        Advances paid: 0.00; payable: 280.00 CNY
        """
        cur = self.amount.currency
        out = [
            pick(
                lang,
                "Programme {g} for {p}, {per}: {n} policies, stacking {s}",
                "返利政策组合 {g}，{p}，{per}：{n} 项政策，叠加方式：{s}",
            ).format(
                g=self.program_id,
                p=self.partner_id,
                per=self.period,
                n=len(self.settlements),
                s=self.stacking.label(lang),
            )
        ]
        note = {
            Stacking.ADD: ("every policy pays on its own scope", "各项政策按各自范围计返并累加"),
            Stacking.FIRST: (
                "each transaction counts for the first policy whose scope holds it",
                "每笔交易只计入范围包含它的第一项政策",
            ),
            Stacking.BEST: (
                "the policy with the highest amount is paid (ties to the earlier)",
                "只支付金额最高的一项政策（相同时取靠前者）",
            ),
            Stacking.COMPOUND: (
                "each policy's basis is the previous one's less its rebate",
                "每项政策的基数为上一项基数减去其返利",
            ),
        }[self.stacking]
        out.append("  " + pick(lang, *note))
        for s in self.settlements:
            r = s.result
            places = CURRENCIES[cur]
            basis = fmt_amount(s.basis, places) if r.basis_kind.is_money else fmt_number(s.basis)
            mark = ""
            if self.chosen is not None:
                mark = (
                    pick(lang, " (paid)", "（支付）")
                    if r.policy_id == self.chosen
                    else pick(lang, " (not paid)", "（不支付）")
                )
            out.append(
                f"  {r.policy_id}: {r.basis_kind.label(lang)} {basis} -> {_money(r.amount)}{mark}"
            )
        out.append(
            pick(lang, "Amount: {a} {c}", "返利合计：{a} {c}").format(a=_money(self.amount), c=cur)
        )
        if self.payable.amount < 0:
            tail = pick(lang, "clawback: {a} {c}", "追回：{a} {c}").format(
                a=_money(-self.payable), c=cur
            )
        else:
            tail = pick(lang, "payable: {a} {c}", "应付：{a} {c}").format(
                a=_money(self.payable), c=cur
            )
        out.append(
            pick(lang, "Advances paid: {v}; {t}", "已预付：{v}；{t}").format(
                v=_money(self.advances), t=tail
            )
        )
        return "\n".join(out)
