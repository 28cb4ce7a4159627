"""Settlement and accrual results: a partner's period settled, and the liability to book."""

from __future__ import annotations

from decimal import Decimal

from channelkit.currencies import CURRENCIES
from channelkit.labels import fmt_amount, fmt_number, fmt_pct, pick
from channelkit.model import Id, Model, trusted
from channelkit.money import Money, ResultMoney
from channelkit.numeric import CONTEXT, ResultDec
from channelkit.periods import Period
from channelkit.rebates import _html
from channelkit.rebates.models import RebateBasis
from channelkit.rebates.results import RebateResult, _money

__all__ = ["Accrual", "Settlement"]


class Settlement(Model):
    """A partner's rebate settlement for a period: the figures read, the rebate, what is payable.

    ``payable = result.amount - advances``; a negative payable is a clawback (返利追回).
    """

    partner_id: Id
    """The partner settled."""
    period: Period
    """The settlement period ``[start, end)``."""
    gross_sales: ResultMoney
    """Sales in the period and scope."""
    returns: ResultMoney
    """Returns in the period and scope."""
    collections: ResultMoney
    """Payments in the period and scope."""
    units: ResultDec
    """Net units: units sold minus units returned."""
    baseline: ResultDec | None = None
    """The net-sales baseline of an ``INCREMENTAL`` basis."""
    basis: ResultDec
    """The basis the policy's ``basis`` selects from the figures (may be below zero)."""
    result: RebateResult
    """The rebate computed on ``basis``."""
    advances: ResultMoney
    """Rebates already paid for the period (interim advances)."""
    payable: ResultMoney
    """``result.amount - advances``: negative means a clawback."""

    _repr_html_ = _html.settlement

    def _derived(self, lang: str) -> list[str]:
        """The figures derived from the sums: incremental over the baseline, margin over cost.

        Each is shown for the basis, or for the tier figure when that is the one derived.
        """
        out: list[str] = []
        places = CURRENCIES[self.payable.currency]
        result = self.result
        for kind, value, tier in (
            (result.basis_kind, self.basis, False),
            (result.tier_basis, result.tier_value, True),
        ):
            if value is None:
                continue
            if kind is RebateBasis.INCREMENTAL and self.baseline is not None:
                out.append(
                    pick(
                        lang,
                        "  baseline {b}: incremental tier figure {x}"
                        if tier
                        else "  baseline {b}: incremental basis {x}",
                        "  基准 {b}：增量档位依据 {x}" if tier else "  基准 {b}：增量基数 {x}",
                    ).format(b=fmt_amount(self.baseline, places), x=fmt_amount(value, places))
                )
            elif kind is RebateBasis.MARGIN:
                net = CONTEXT.subtract(self.gross_sales.amount, self.returns.amount)
                cost = CONTEXT.subtract(net, value)
                out.append(
                    pick(
                        lang,
                        "  net cost of goods {c}: margin {m}",
                        "  净销售成本 {c}：毛利 {m}",
                    ).format(c=fmt_amount(cost, places), m=fmt_amount(value, places))
                )
        return out

    def explain(self, lang: str = "en") -> str:
        """The figures read, the rebate's own explanation, advances and the payable.

        Examples
        --------
        >>> import datetime as dt
        >>> from channelkit import Bracket, Money, Period, RebatePolicy, Transaction, settle
        >>> policy = RebatePolicy(id="P", name="P", currency="CNY",
        ...                       brackets=(Bracket(start=0, rate="0.02"),))
        >>> sale = Transaction(id="T1", partner_id="D1", date=dt.date(2026, 7, 3),
        ...                    kind="sale", amount=Money(50_000, "CNY"), quantity=10)
        >>> s = settle(policy, [sale], Period.quarter(2026, 3), partner_id="D1", advances=1_200)
        >>> print(s.explain())
        Settlement of D1 for 2026-07-01..2026-10-01 under policy P
          sales 50,000.00, returns 0.00, collections 0.00, net units 10
        Rebate for policy P on net sales 50,000.00 CNY (graduated, reach)
          0.00 - 50,000.00 at 2% = 1,000.00
        Payable: 1,000.00 CNY (effective rate 2%)
        Highest bracket reached
        Advances paid: 1,200.00; clawback: 200.00 CNY
        """
        cur = self.payable.currency
        out = [
            pick(
                lang,
                "Settlement of {p} for {per} under policy {pol}",
                "{p} 在 {per} 的返利结算（政策 {pol}）",
            ).format(p=self.partner_id, per=self.period, pol=self.result.policy_id),
            pick(
                lang,
                "  sales {s}, returns {r}, collections {c}, net units {u}",
                "  销售额 {s}，退货 {r}，回款 {c}，净销量 {u}",
            ).format(
                s=_money(self.gross_sales),
                r=_money(self.returns),
                c=_money(self.collections),
                u=fmt_number(self.units),
            ),
        ]
        out.extend(self._derived(lang))
        out.append(self.result.explain(lang))
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


class Accrual(Model):
    """The rebate liability to book mid-period (返利计提).

    ``amount = basis_to_date x effective rate at projected_basis``, rounded.
    """

    policy_id: Id
    """The policy accrued for."""
    basis_to_date: ResultDec
    """The basis reached so far."""
    projected_basis: ResultDec
    """The basis expected by the end of the period."""
    projected: RebateResult
    """The rebate the policy gives the projected basis (same metrics and tier)."""
    effective_rate: ResultDec
    """``projected.effective_rate``: the rate the accrual is booked at."""
    amount: ResultMoney
    """``basis_to_date x effective_rate``, rounded to the minor unit with the policy's rounding."""

    _repr_html_ = _html.accrual

    def explain(self, lang: str = "en") -> str:
        """The accrual's formula with its figures.

        Examples
        --------
        >>> from channelkit import Bracket, RebatePolicy, accrue
        >>> policy = RebatePolicy(id="P", name="P", currency="CNY", mode="volume", brackets=(
        ...     Bracket(start=0, rate="0.01"), Bracket(start=100_000, rate="0.03")))
        >>> print(accrue(policy, 40_000, projected_basis=120_000).explain())
        Accrual for policy P: 40,000.00 to date x 3% = 1,200.00 CNY
          (3% is the effective rate at the projected basis of 120,000.00)
        """
        cur = self.amount.currency
        unit = self.projected.basis_kind.is_money
        places = CURRENCIES[cur]

        def show(v: Decimal) -> str:
            return fmt_amount(v, places) if unit else fmt_number(v)

        rate = (
            fmt_pct(self.effective_rate)
            if unit
            else pick(lang, "{r} {c}/unit", "{r} {c}/件").format(
                r=fmt_amount(self.effective_rate, places), c=cur
            )
        )
        return pick(
            lang,
            "Accrual for policy {p}: {b} to date x {r} = {a} {c}\n"
            "  ({r} is the effective rate at the projected basis of {x})",
            "政策 {p} 的返利计提：截至目前 {b} x {r} = {a} {c}\n"
            "  （{r} 为预计期末基数 {x} 对应的实际返利率）",
        ).format(
            p=self.policy_id,
            b=show(self.basis_to_date),
            r=rate,
            x=show(self.projected_basis),
            a=_money(self.amount),
            c=cur,
        )


def settlement_of(
    partner_id: str,
    period: Period,
    currency: str,
    figures: tuple[Decimal, Decimal, Decimal, Decimal],
    baseline: Decimal | None,
    basis: Decimal,
    result: RebateResult,
    advances: Money,
) -> Settlement:
    """A settlement from its figures (sales, returns, collections, units), result and advances."""
    sales, returns, collections, units = figures
    make = Money._make
    return trusted(
        Settlement,
        {
            "partner_id": partner_id,
            "period": period,
            "gross_sales": make(sales, currency),
            "returns": make(returns, currency),
            "collections": make(collections, currency),
            "units": units,
            "baseline": baseline,
            "basis": basis,
            "result": result,
            "advances": advances,
            "payable": make(CONTEXT.subtract(result.amount.amount, advances.amount), currency),
        },
    )
