"""Rebate results: what a rebate was and how it was reached ([`RebateResult`][] and its parts).

Every result reconciles to the minor unit: the rounded lines sum to the rounded gross, each
adjustment is the rounded total after it minus the rounded total before it, so the lines plus the
adjustments are exactly the payable ``amount``. Every figure ``.explain()`` shows is a field.
"""

from __future__ import annotations

from decimal import Decimal

from channelkit.currencies import CURRENCIES
from channelkit.labels import LabeledEnum, fmt_amount, fmt_number, fmt_pct, pick
from channelkit.model import Id, Model
from channelkit.money import Money, ResultMoney
from channelkit.numeric import NonNegativeCount, ResultDec
from channelkit.periods import Period
from channelkit.rebates import _html
from channelkit.rebates.models import Boundary, Condition, RebateBasis, SettleUnit, TierMode

__all__ = [
    "AdjustmentKind",
    "Adjustment",
    "RebateLine",
    "NextBracket",
    "RebateResult",
]


class AdjustmentKind(LabeledEnum):
    """What changed the gross rebate, in the fixed order they apply."""

    FLOOR = "floor", "Negative total paid as zero", "负数按零计"
    CONDITION = "condition", "Condition not met", "未达考核条件"
    PAYOUT = "payout", "Scorecard payout", "综合评分系数"
    TIER = "tier", "Tier multiplier", "级别系数"
    CAP = "cap", "Cap", "封顶"


def _money(m: Money) -> str:
    return fmt_amount(m.amount, CURRENCIES[m.currency])


def _signed(m: Money) -> str:
    return ("+" if m.amount >= 0 else "") + _money(m)


class RebateLine(Model):
    """One bracket applied: the slice of the basis it covers and what it earned."""

    index: NonNegativeCount
    """The bracket's position in ``policy.brackets`` (0 is the first)."""
    start: ResultDec
    """The bracket's start (in the units of ``tier_basis`` when the policy has one)."""
    end: ResultDec
    """Where the slice ends: the next bracket's start, or the basis for the top line; VOLUME
    and FLAT: the figure that picked the bracket (the basis, or the tier figure). Per
    transaction: ``start + slice`` (GRADUATED) or the sum of the transactions' tier figures."""
    slice: ResultDec
    """The part of the basis the rate applies to (VOLUME and FLAT: the whole basis); per
    transaction, the sum over the transactions tiered into the bracket (returns negative)."""
    rate: ResultDec
    """The bracket's rate (money per unit for a ``UNITS`` basis)."""
    flat: ResultMoney
    """The bracket's flat amount, included in ``amount`` (per transaction: once for each sale
    reaching the bracket, taken back by each return)."""
    amount: ResultMoney
    """``slice x rate + flat``, rounded by largest remainder with the other lines."""
    valid: Period | None = None
    """Under ``PolicyVersions``: the ``valid`` of the version whose terms the line applies
    (``start``/``end`` are then the part of the bracket that version filled); else ``None``."""


class NextBracket(Model):
    """The next step up the ladder: how much more basis reaches it and what it would pay."""

    index: NonNegativeCount
    """The position in ``policy.brackets`` of the bracket in force there."""
    start: ResultDec
    """The basis where the step is (the bracket's start, or the threshold when not yet met)."""
    rate: ResultDec
    """The rate in force there."""
    gap: ResultDec
    """``start - basis``: how much more basis reaches the step (EXCEED: anything above it);
    with a ``tier_basis``, ``start - tier_value``, in the tier figure's units."""
    amount_at_start: ResultMoney
    """The gross rebate at basis ``start`` with that bracket applied (EXCEED: just above); with
    a ``tier_basis``, what the current basis would earn at that bracket; per transaction (the
    threshold not met), what the transactions earn once it is."""


class Adjustment(Model):
    """A factor, multiplier or cap applied to the rebate, with its signed effect."""

    kind: AdjustmentKind
    """Floor, condition, payout, tier or cap."""
    reason: str
    """Why, in English (``.describe("zh")`` gives the Chinese)."""
    factor: ResultDec | None = None
    """The factor applied (``None`` for a cap)."""
    subject: str | None = None
    """The metric of a condition, or the tier's code."""
    value: ResultDec | None = None
    """The metric's value, the score, the cap, or the negative total a floor raised to 0."""
    condition: Condition | None = None
    """The condition not met (CONDITION only)."""
    amount: ResultMoney
    """Rounded total after this step minus the rounded total before it."""

    def describe(self, lang: str = "en") -> str:
        """The reason in ``lang`` (``"en"`` or ``"zh"``).

        Examples
        --------
        >>> from channelkit import Bracket, RebatePolicy, Tier, TierBenefits, compute_rebate
        >>> policy = RebatePolicy(id="P", name="P", currency="CNY",
        ...                       brackets=(Bracket(start=0, rate="0.02"),))
        >>> gold = Tier(code="GOLD", name="Gold", rank=1,
        ...             benefits=TierBenefits(rebate_multiplier="1.2"))
        >>> compute_rebate(policy, 1_000, tier=gold).adjustments[0].describe("zh")
        '级别 GOLD 返利系数：x 1.2'
        """
        return describe(self.kind, self.factor, self.subject, self.value, self.condition, lang=lang)


def describe(
    kind: AdjustmentKind,
    factor: Decimal | None,
    subject: str | None,
    value: Decimal | None,
    condition: Condition | None,
    *,
    lang: str = "en",
) -> str:
    """The reason for an adjustment with these fields, in ``lang``.

    [`Adjustment.describe`][channelkit.rebates.Adjustment.describe] reads its own fields through
    it; the engine calls it to write ``reason`` before the adjustment is built, so that a built
    result is never edited.
    """
    factor_text = fmt_number(factor) if factor is not None else ""
    value_text = fmt_number(value) if value is not None else ""
    if kind is AdjustmentKind.CONDITION and condition is not None:
        c = condition
        if c.minimum is not None and c.maximum is not None:
            en = f"between {fmt_number(c.minimum)} and {fmt_number(c.maximum)}"
            zh = f"在 {fmt_number(c.minimum)} 至 {fmt_number(c.maximum)} 之间"
        elif c.minimum is not None:
            en, zh = f"at least {fmt_number(c.minimum)}", f"不低于 {fmt_number(c.minimum)}"
        else:
            en, zh = f"at most {fmt_number(c.maximum)}", f"不高于 {fmt_number(c.maximum)}"  # type: ignore[arg-type]
        return pick(
            lang,
            f"condition {c.metric} {en} not met ({value_text}): x {factor_text}",
            f"未达条件 {c.metric} {zh}（实际 {value_text}）：x {factor_text}",
        )
    if kind is AdjustmentKind.PAYOUT:
        return pick(
            lang,
            f"scorecard payout: score {value_text} -> x {factor_text}",
            f"综合评分 {value_text} 对应系数：x {factor_text}",
        )
    if kind is AdjustmentKind.TIER:
        return pick(
            lang,
            f"tier {subject} rebate multiplier: x {factor_text}",
            f"级别 {subject} 返利系数：x {factor_text}",
        )
    if kind is AdjustmentKind.FLOOR:
        return pick(
            lang,
            f"the transactions' rebates sum to {value_text}, below zero: paid as 0",
            f"逐单返利合计 {value_text} 为负：按 0 计",
        )
    return pick(lang, f"capped at {value_text}", f"封顶 {value_text}")


class RebateResult(Model):
    """The rebate a policy gives a basis: lines, adjustments, the payable amount, the next step.

    ``sum(line.amount) + sum(adjustment.amount) == amount`` always holds exactly.
    """

    policy_id: Id
    """The policy applied."""
    basis_kind: RebateBasis
    """What the basis measures."""
    mode: TierMode
    """The policy's mode."""
    boundary: Boundary
    """The policy's boundary rule."""
    basis: ResultDec
    """The basis (money in the policy's currency, or units); below zero only in a settlement."""
    threshold: ResultDec | None = None
    """The policy's threshold, if any."""
    lines: tuple[RebateLine, ...] = ()
    """One line per bracket applied (GRADUATED: each bracket reached; VOLUME, FLAT: one)."""
    gross: ResultMoney
    """The exact bracket total (slices and flats) before conditions, caps and rounding."""
    adjustments: tuple[Adjustment, ...] = ()
    """Each factor, multiplier or cap applied, in order."""
    amount: ResultMoney
    """The rebate payable, rounded to the currency's minor unit."""
    effective_rate: ResultDec
    """``amount / basis`` (0 when the basis is 0); money per unit for ``UNITS``."""
    next_bracket: NextBracket | None = None
    """The next step up, ``None`` at the top of the ladder (and per transaction, unless the
    threshold is not met)."""
    score: ResultDec | None = None
    """The scorecard total, when the policy pays by scorecard."""
    tier_basis: RebateBasis | None = None
    """What ``tier_value`` measures, when the policy picks its bracket by another figure."""
    tier_value: ResultDec | None = None
    """The figure that picked the bracket (``tier_basis``), compared with the threshold and
    the starts; ``next_bracket.gap`` is in its units. ``None`` without a ``tier_basis``."""
    per: SettleUnit = SettleUnit.PERIOD
    """TRANSACTION when each sale and return was tiered on its own and the lines summed (a
    settlement of a ``per=TRANSACTION`` policy); PERIOD otherwise."""

    _repr_html_ = _html.rebate_result

    def _basis_text(self, value: Decimal) -> str:
        if self.basis_kind.is_money:
            return fmt_amount(value, CURRENCIES[self.amount.currency])
        return fmt_number(value)

    def _tier_text(self, value: Decimal) -> str:
        """A figure in the units of the tier figure (starts, threshold, gap)."""
        kind = self.basis_kind if self.tier_basis is None else self.tier_basis
        if kind.is_money:
            return fmt_amount(value, CURRENCIES[self.amount.currency])
        return fmt_number(value)

    def _intro(self, lang: str) -> list[str]:
        """The lines between the heading and the brackets: tier figure, tiering, why nothing."""
        out: list[str] = []
        if self.tier_basis is not None and self.tier_value is not None:
            unit = f" {self.amount.currency}" if self.tier_basis.is_money else ""
            out.append(
                pick(lang, "  bracket picked by {k} {v}{u}", "  档位依据：{k} {v}{u}").format(
                    k=self.tier_basis.label(lang), v=self._tier_text(self.tier_value), u=unit
                )
            )
        if self.per is SettleUnit.TRANSACTION:
            out.append(
                pick(
                    lang,
                    "  tiered per transaction: each sale and return on its own figure",
                    "  按单计返：每笔销售、退货按自身金额单独计档",
                )
            )
        figure = self.basis if self.tier_value is None else self.tier_value
        if self.basis < 0:
            out.append(
                pick(
                    lang,
                    "  the basis is below zero: the first bracket's rate applies, a negative "
                    "rebate to pay back",
                    "  基数为负：按第一档比例计负返利，需退回",
                )
                if self.lines
                else pick(
                    lang,
                    "  the basis is below zero (returns exceed sales): no rebate",
                    "  基数为负（退货超过销售）：无返利",
                )
            )
        elif self.threshold is not None and figure < self.threshold:
            out.append(
                pick(
                    lang, "  below the threshold of {t}: no rebate", "  未达门槛 {t}：无返利"
                ).format(t=self._tier_text(self.threshold))
            )
        elif not self.lines:
            out.append(pick(lang, "  below the first bracket: no rebate", "  未达第一档：无返利"))
        return out

    def _span(self, line: RebateLine, lang: str) -> str:
        """Where a line sits: ``start - end``, or its slice and the bracket it was paid at."""
        if line.valid is not None or (
            self.mode is TierMode.GRADUATED and self.per is SettleUnit.PERIOD and self.basis >= 0
        ):
            return f"{self._tier_text(line.start)} - {self._tier_text(line.end)}"
        if self.per is SettleUnit.TRANSACTION:
            text = pick(lang, " (per-transaction bracket from {s})", "（单笔自 {s} 起的档位）")
        else:
            text = pick(lang, " (bracket from {s})", "（自 {s} 起的档位）")
        return self._basis_text(line.slice) + text.format(s=self._tier_text(line.start))

    def _rate_text(self, rate: Decimal, lang: str) -> str:
        if self.basis_kind.is_money:
            return fmt_pct(rate, 4)
        return pick(lang, "{r} {c}/unit", "{r} {c}/件").format(
            r=fmt_number(rate), c=self.amount.currency
        )

    def explain(self, lang: str = "en") -> str:
        """How the rebate was computed: basis, each line, each adjustment, payable, next step.

        Examples
        --------
        >>> from channelkit import Bracket, RebatePolicy, compute_rebate
        >>> ladder = RebatePolicy(id="LADDER", name="Ladder", currency="CNY", brackets=(
        ...     Bracket(start=10_000, rate="0.02"), Bracket(start=50_000, rate="0.03")))
        >>> print(compute_rebate(ladder, 60_000).explain("zh"))
        返利政策 LADDER，净销售额 60,000.00 CNY（超额累进，达到即适用）
          10,000.00 - 50,000.00 按 2% = 800.00
          50,000.00 - 60,000.00 按 3% = 300.00
        应付返利：1,100.00 CNY（实际返利率 1.83%）
        已达最高档
        """
        cur = self.amount.currency
        unit = f" {cur}" if self.basis_kind.is_money else ""
        out = [
            pick(
                lang,
                "Rebate for policy {p} on {k} {b}{u} ({m}, {bd})",
                "返利政策 {p}，{k} {b}{u}（{m}，{bd}）",
            ).format(
                p=self.policy_id,
                k=self.basis_kind.label(lang),
                b=self._basis_text(self.basis),
                u=unit,
                m=self.mode.label(lang),
                bd=self.boundary.label(lang),
            )
        ]
        out.extend(self._intro(lang))
        each = self.per is SettleUnit.TRANSACTION
        for line in self.lines:
            flat = (
                pick(lang, " + flat {f}", " + 固定 {f}").format(f=_money(line.flat))
                if line.flat.amount
                else ""
            )
            if flat and each:
                flat += pick(lang, " per transaction", "（每笔）")
            at = pick(lang, "at", "按")
            if line.valid is not None:  # a version's part of a bracket (PolicyVersions)
                flat += pick(lang, " (terms of {v})", "（{v} 版条款）").format(v=line.valid)
            span = self._span(line, lang)
            rate = self._rate_text(line.rate, lang)
            out.append(f"  {span} {at} {rate}{flat} = {_money(line.amount)}")
        if self.adjustments:
            out.append(pick(lang, "Gross: {g}", "返利总额：{g}").format(g=_money(self.gross)))
            out.extend(f"  {a.describe(lang)} = {_signed(a.amount)}" for a in self.adjustments)
        rate = (
            fmt_pct(self.effective_rate)
            if self.basis_kind.is_money
            else pick(lang, "{r} {c}/unit", "{r} {c}/件").format(
                r=fmt_amount(self.effective_rate, CURRENCIES[cur]), c=cur
            )
        )
        out.append(
            pick(
                lang, "Payable: {a} {c} (effective rate {r})", "应付返利：{a} {c}（实际返利率 {r}）"
            ).format(a=_money(self.amount), c=cur, r=rate)
        )
        nb = self.next_bracket
        if nb is None and each:
            out.append(
                pick(
                    lang,
                    "No next step for the period: each transaction reaches its own bracket",
                    "按单计档：本期没有统一的下一档",
                )
            )
        elif nb is None:
            out.append(pick(lang, "Highest bracket reached", "已达最高档"))
        else:
            what = "" if self.tier_basis is None else f" {self.tier_basis.label(lang)}"
            out.append(
                pick(
                    lang,
                    "Next step: {g} more{k} reaches {r} (rebate there: {a})",
                    "下一档：再增加 {g}{k} 可达 {r}（届时返利 {a}）",
                ).format(
                    g=self._tier_text(nb.gap),
                    k=what,
                    r=self._rate_text(nb.rate, lang),
                    a=_money(nb.amount_at_start),
                )
            )
        return "\n".join(out)
