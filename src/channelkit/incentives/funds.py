"""Incentive funds (市场发展基金, 补贴, 职能付酬): programmes, requests, claims and allocation.

Market development and co-op funds, subsidies and function-based pay are one mechanism: a
[`FundProgram`][] holds a budget for a period; [`allocate_funds`][] gives each partner its share
(a quota by tier plus an accrual on its sales, scaled down to the budget when they exceed it);
partners file a [`FundRequest`][] for an activity, which the vendor approves against what is left
(`channelkit.incentives.decisions`), then a [`Claim`][] with proof of performance, which is paid
at the vendor's share; `channelkit.incentives.balances` keeps the ledger.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, DecimalException
from typing import Annotated, Any, Final, Self

from pydantic import Field, model_validator

from channelkit.currencies import CURRENCIES, CurrencyCode
from channelkit.errors import ArgumentError, expect
from channelkit.html import html_table
from channelkit.incentives._funds_args import (
    money_text,
    partners_text,
    read_mapping,
    read_models,
    zero,
)
from channelkit.labels import fmt_amount, fmt_pct, pick
from channelkit.model import Id, IdSet, Model, trusted
from channelkit.money import Money, ResultMoney, allocate, read_amount
from channelkit.numeric import (
    CONTEXT,
    DecimalLike,
    NonNegativeCount,
    NonNegativeDecimal,
    ResultDec,
    UnitInterval,
    add_all,
    quantize_places,
)
from channelkit.partners import Partner, PartnerStatus
from channelkit.periods import Period

__all__ = [
    # inputs
    "FundProgram",
    "FundRequest",
    "Claim",
    # results
    "FundAllocation",
    # calculators
    "allocate_funds",
]

_ZERO: Final = Decimal(0)


def _in_currency(name: str, value: Money, currency: str, *, whole: bool = False) -> None:
    """Refuse ``value`` unless in ``currency``, >= 0 and (``whole``) on the currency's grid."""
    if value.currency != currency:
        msg = f"{name} is in {value.currency} but the programme's currency is {currency}"
        raise ValueError(msg)
    if value.amount < 0:
        msg = f"{name} must not be negative, got {value}"
        raise ValueError(msg)
    places = CURRENCIES[currency]
    if whole and value.amount != quantize_places(value.amount, places):
        msg = (
            f"{name} must be in whole minor units of {currency} ({places} places), got {value}: "
            "the allocations must sum to it exactly"
        )
        raise ValueError(msg)


class FundProgram(Model):
    """A fund programme (费用项目): a budget for a period, how it is shared and reimbursed.

    Examples
    --------
    >>> mdf = FundProgram(id="MDF-26", name="Market development 2026", currency="CNY",
    ...                   period=Period.year(2026), budget=Money(100_000, "CNY"),
    ...                   accrual_rate="0.02", tier_quotas={"GOLD": Money(20_000, "CNY")},
    ...                   activities=frozenset({"display", "training"}),
    ...                   reimbursement_rate="0.5")
    >>> mdf.claim_window_days, mdf.proof_required
    (60, True)
    >>> FundProgram(id="X", name="X", currency="CNY", period=Period.year(2026),
    ...             budget=Money("10.005", "CNY"))
    Traceback (most recent call last):
    pydantic_core._pydantic_core.ValidationError: 1 validation error for FundProgram
    ...budget must be in whole minor units of CNY (2 places), got 10.005 CNY...
    """

    id: Id
    """The programme's identifier."""
    name: Annotated[str, Field(min_length=1)]
    """Display name."""
    currency: CurrencyCode
    """The currency of the budget, the quotas, the requests and every fund figure."""
    period: Period
    """The programme's period, half-open; a request's activity days must lie inside it."""
    budget: Money | None = None
    """The most the programme allocates, in ``currency``, >= 0 and in whole minor units;
    ``None`` means no cap."""
    accrual_rate: NonNegativeDecimal = _ZERO
    """The fraction of a partner's sales accrued to its allocation (co-op funds)."""
    tier_quotas: Mapping[Id, Money] = Field(default_factory=dict)
    """A fixed allocation per tier code (``Partner.tier``), each in ``currency`` and >= 0."""
    activities: IdSet | None = None
    """The activities the programme funds; ``None`` means any activity."""
    reimbursement_rate: UnitInterval = Decimal(1)
    """The vendor's share of an activity's cost, from 0 to 1 (1: the whole cost)."""
    claim_window_days: NonNegativeCount = 60
    """Days after an activity's last day within which its claims must be submitted."""
    proof_required: bool = True
    """Whether a claim without proof of performance is rejected."""

    @model_validator(mode="after")
    def _check_money(self) -> Self:
        if self.budget is not None:
            _in_currency("budget", self.budget, self.currency, whole=True)
        for tier, quota in self.tier_quotas.items():
            _in_currency(f"tier_quotas[{tier!r}]", quota, self.currency)
        return self


class FundRequest(Model):
    """A partner's request for funds for an activity (费用申请), before the activity.

    Examples
    --------
    >>> r = FundRequest(id="R1", program_id="MDF-26", partner_id="P1", activity="display",
    ...                 planned_cost=Money(8_000, "CNY"), start=dt.date(2026, 3, 1),
    ...                 end=dt.date(2026, 3, 31))
    >>> r.planned_cost
    Money('8000', 'CNY')
    """

    id: Id
    """The request's identifier."""
    program_id: Id
    """The programme it asks funds of."""
    partner_id: Id
    """The partner that asks."""
    activity: Id
    """What the money is for (``"display"``, ``"training"``...)."""
    planned_cost: Money
    """The activity's planned cost, >= 0; the vendor commits its share of it."""
    start: dt.date
    """The activity's first day."""
    end: dt.date
    """The activity's last day (inclusive), on or after ``start``."""

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.end < self.start:
            msg = f"end ({self.end}) must be on or after start ({self.start})"
            raise ValueError(msg)
        if self.planned_cost.amount < 0:
            msg = f"planned_cost must not be negative, got {self.planned_cost}"
            raise ValueError(msg)
        return self


class Claim(Model):
    """A claim for reimbursement of an activity's cost (费用核销), with proof of performance.

    Examples
    --------
    >>> c = Claim(id="C1", request_id="R1", partner_id="P1", amount=Money(7_500, "CNY"),
    ...           submitted=dt.date(2026, 4, 20), proof=("invoice-0042.pdf",))
    >>> c.proof
    ('invoice-0042.pdf',)
    """

    id: Id
    """The claim's identifier."""
    request_id: Id
    """The request whose activity it claims."""
    partner_id: Id
    """The partner that claims (it must be the request's)."""
    amount: Money
    """The cost actually incurred, >= 0; the vendor pays its share of it."""
    submitted: dt.date
    """The day the claim was submitted (lateness is judged on it)."""
    proof: tuple[Id, ...] = ()
    """References to the proof of performance (photos, invoices, attendance lists)."""

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.amount.amount < 0:
            msg = f"amount must not be negative, got {self.amount}"
            raise ValueError(msg)
        return self


class FundAllocation(Model):
    """What each partner may request from a programme, from [`allocate_funds`][].

    ``amounts`` holds an entry for every partner passed, in id order; when ``scaled`` they sum
    exactly to ``budget``.
    """

    program_id: Id
    """The programme."""
    amounts: Mapping[Id, ResultMoney]
    """Each partner's allocation, by partner id."""
    scaled: bool
    """Whether the unscaled amounts summed to more than the budget and were scaled to it."""
    currency: CurrencyCode | None = None
    """The programme's currency (``None`` only in an allocation built by hand)."""
    budget: ResultMoney | None = None
    """The programme's budget; ``None`` means no cap."""
    accrual_rate: ResultDec | None = None
    """The programme's accrual rate on sales."""
    unscaled: Mapping[Id, ResultMoney] | None = None
    """Each partner's tier quota plus accrual, rounded, before any scaling."""

    @model_validator(mode="after")
    def _check(self) -> Self:
        cur = self.currency
        named: list[tuple[str, Money]] = [(f"amounts[{k!r}]", v) for k, v in self.amounts.items()]
        if self.unscaled is not None:
            named += [(f"unscaled[{k!r}]", v) for k, v in self.unscaled.items()]
            if set(self.unscaled) != set(self.amounts):
                msg = "unscaled must have an entry for each partner of amounts"
                raise ValueError(msg)
        if self.budget is not None:
            named.append(("budget", self.budget))
        for name, value in named:
            cur = cur or value.currency
            if value.currency != cur:
                msg = f"{name} is in {value.currency}, not in {cur} like the others"
                raise ValueError(msg)
            if value.amount < 0:
                msg = f"{name} must not be negative, got {value}"
                raise ValueError(msg)
        if self.scaled and self.budget is not None:
            total = add_all(v.amount for v in self.amounts.values())
            if total != self.budget.amount:
                msg = f"scaled amounts must sum to the budget {self.budget}, got {total}"
                raise ValueError(msg)
        return self

    def _currency(self) -> str | None:
        if self.currency is not None:
            return self.currency
        return next((m.currency for m in self.amounts.values()), None)

    def explain(self, lang: str = "en") -> str:
        """Each partner's allocation, how it was computed and whether it was scaled.

        Examples
        --------
        >>> mdf = FundProgram(id="MDF", name="MDF", currency="CNY", period=Period.year(2026),
        ...                   budget=Money(10_000, "CNY"), accrual_rate="0.02",
        ...                   tier_quotas={"GOLD": Money(5_000, "CNY")})
        >>> p1 = Partner(id="P1", name="P1", kind="dealer", tier="GOLD", currency="CNY",
        ...              payment_terms_days=30, joined=dt.date(2024, 1, 1))
        >>> p2 = p1.model_copy(update={"id": "P2", "tier": None})
        >>> a = allocate_funds(mdf, [p1, p2], sales={"P1": 100_000, "P2": 300_000})
        >>> print(a.explain())
        Fund allocation of programme MDF (budget 10,000.00 CNY), 2 partners
          each active partner: its tier's quota + 2% x sales, rounded half-up
          P1 7,000.00 -> 5,384.62
          P2 6,000.00 -> 4,615.38
        Unscaled total 13,000.00 CNY is above the budget: scaled to sum to 10,000.00 CNY
        """
        cur = self._currency()
        places = CURRENCIES[cur] if cur is not None else 2
        budget = (
            pick(lang, "budget {b}", "预算 {b}").format(b=money_text(self.budget))
            if self.budget is not None
            else pick(lang, "no budget cap", "预算不设上限")
        )
        out = [
            pick(
                lang,
                "Fund allocation of programme {p} ({b}), {n}",
                "费用项目 {p} 的额度分配（{b}），{n}",
            ).format(p=self.program_id, b=budget, n=partners_text(len(self.amounts), lang))
        ]
        if self.accrual_rate is not None:
            out.append(
                pick(
                    lang,
                    "  each active partner: its tier's quota + {r} x sales, rounded half-up",
                    "  每个合作中的伙伴：等级定额 + {r} x 销售额，四舍五入",
                ).format(r=fmt_pct(self.accrual_rate))
            )
        for pid, amount in self.amounts.items():
            before = None if self.unscaled is None else self.unscaled[pid]
            shown = fmt_amount(amount.amount, places)
            if before is not None and self.scaled:
                shown = f"{fmt_amount(before.amount, places)} -> {shown}"
            out.append(f"  {pid} {shown}")
        total = add_all(v.amount for v in (self.unscaled or self.amounts).values())
        text = f"{fmt_amount(total, places)} {cur or ''}".rstrip()
        if self.scaled and self.budget is not None:
            out.append(
                pick(
                    lang,
                    "Unscaled total {t} is above the budget: scaled to sum to {b}",
                    "未缩放合计 {t} 超出预算：按比例缩放至合计 {b}",
                ).format(t=text, b=money_text(self.budget))
            )
        elif self.scaled:
            out.append(pick(lang, "Scaled to the budget", "已按预算缩放"))
        else:
            out.append(pick(lang, "Total {t}, not scaled", "合计 {t}，未缩放").format(t=text))
        return "\n".join(out)

    def _repr_html_(self) -> str:
        rows = [
            [pid, None if self.unscaled is None else self.unscaled[pid], amount]
            for pid, amount in self.amounts.items()
        ]
        return html_table(
            f"Fund allocation {self.program_id}",
            ["partner", "unscaled", "allocated"],
            rows,
            summary=[("budget", self.budget), ("scaled", self.scaled)],
        )


def _unscaled(program: FundProgram, partner: Partner, sales: Mapping[Any, Any]) -> Money:
    cur = program.currency
    if partner.status is not PartnerStatus.ACTIVE:
        return zero(cur)
    quota = zero(cur) if partner.tier is None else program.tier_quotas.get(partner.tier, zero(cur))
    sold = read_amount(sales.get(partner.id, 0), cur, f"sales[{partner.id!r}]")
    try:
        accrued = CONTEXT.multiply(program.accrual_rate, max(sold, _ZERO))
        amount = quantize_places(CONTEXT.add(quota.amount, accrued), CURRENCIES[cur])
    except DecimalException:
        msg = f"the allocation of {partner.id!r} is out of the range of exact arithmetic"
        raise ArgumentError(msg, argument="sales", value=sold) from None
    return Money._make(amount, cur)


def allocate_funds(
    program: FundProgram,
    partners: Iterable[Partner],
    *,
    sales: Mapping[str, DecimalLike | Money] | None = None,
) -> FundAllocation:
    r"""Allocate a programme's funds to partners: a quota by tier plus an accrual on sales.

    Parameters
    ----------
    program
        The programme: its ``tier_quotas``, ``accrual_rate`` and ``budget``.
    partners
        Every partner to allocate to (ids unique); each gets an entry.
    sales
        Each partner's sales by id (a number, or ``Money`` in the programme's currency);
        a partner without an entry has 0; entries of partners not passed are ignored.

    Returns
    -------
    FundAllocation
        Each partner's amount by id, in id order, and whether they were scaled to the budget.

    Raises
    ------
    ArgumentError
        A partner listed twice, or a sales figure that is not a number within the input bounds
        (an [`ArgumentTypeError`][channelkit.ArgumentTypeError] for an argument of the wrong
        type).
    CurrencyMismatchError
        A sales figure given as ``Money`` in another currency.

    Notes
    -----
    An ACTIVE partner's unscaled amount is rounded half-up to the minor unit; any other status
    (suspended, terminated) gets 0:

    $$
    u_p = \text{round}\big(\text{quota}(\text{tier}_p) + r \cdot \max(\text{sales}_p, 0)\big)
    $$

    A tier without a quota (or no tier) counts 0. When $\sum_p u_p$ is strictly above the
    budget, the amounts are [`allocate`][channelkit.allocate]`(budget, u)` over the partners
    sorted by id: proportional, in minor units, the remainders to the largest fractions, ties to
    the smaller id, summing exactly to the budget (``scaled`` is true). A sum equal to the budget,
    or no budget, leaves them as they are.

    Examples
    --------
    >>> mdf = FundProgram(id="MDF", name="MDF", currency="CNY", period=Period.year(2026),
    ...                   budget=Money(10_000, "CNY"), accrual_rate="0.02",
    ...                   tier_quotas={"GOLD": Money(5_000, "CNY")})
    >>> p1 = Partner(id="P1", name="P1", kind="dealer", tier="GOLD", currency="CNY",
    ...              payment_terms_days=30, joined=dt.date(2024, 1, 1))
    >>> p2 = p1.model_copy(update={"id": "P2", "tier": None})
    >>> p3 = p1.model_copy(update={"id": "P3", "status": PartnerStatus.SUSPENDED})
    >>> a = allocate_funds(mdf, [p3, p2, p1], sales={"P1": 100_000, "P2": 300_000})
    >>> a.scaled, dict(a.amounts)  # 7,000 + 6,000 = 13,000 > 10,000: scaled by 10/13
    (True, {'P1': Money('5384.62', 'CNY'), 'P2': Money('4615.38', 'CNY'), 'P3': Money('0.00', 'CNY')})
    """  # noqa: E501
    program = expect(program, FundProgram, "program", "a FundProgram")
    chosen = sorted(read_models(partners, Partner, "partners"), key=lambda p: p.id)
    sold = read_mapping(sales, "sales", "partner ids to numbers")
    unscaled = {p.id: _unscaled(program, p, sold) for p in chosen}
    budget = program.budget
    total = add_all(m.amount for m in unscaled.values())
    scaled = budget is not None and total > budget.amount
    if scaled and budget is not None:
        parts = allocate(budget, [m.amount for m in unscaled.values()])
        amounts = dict(zip(unscaled, parts, strict=True))
    else:
        amounts = dict(unscaled)
    return trusted(
        FundAllocation,
        {
            "program_id": program.id,
            "amounts": amounts,
            "scaled": scaled,
            "currency": program.currency,
            "budget": budget,
            "accrual_rate": program.accrual_rate,
            "unscaled": unscaled,
        },
    )
