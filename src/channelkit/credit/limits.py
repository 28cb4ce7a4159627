"""Credit limit proposals (信用额度评估): from a partner's statement and its sales.

[`propose_credit_limit`][] computes a figure by each method of [`LimitMethod`][] (a share of
net worth, a share of working capital, the sales a payment cycle carries), combines them
([`Combine`][]), applies a multiplier (a tier's ``credit_multiplier``), rounds down to a step
and clamps to a floor and a ceiling. The [`CreditLimitProposal`][] keeps every figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_DOWN, Context, Decimal, DivisionByZero, InvalidOperation, Overflow
from typing import Final

from channelkit.credit import _html
from channelkit.credit._args import read_count, read_currency, read_option, wrong_type
from channelkit.currencies import CURRENCIES
from channelkit.errors import ArgumentError, CurrencyMismatchError, PolicyError
from channelkit.labels import LabeledEnum, fmt_amount, fmt_number, fmt_pct, pick
from channelkit.model import Model, trusted
from channelkit.money import Money, ResultMoney, read_money
from channelkit.numeric import (
    CONTEXT,
    MAX_DIGITS,
    DecimalLike,
    NonNegativeCount,
    ResultDec,
    ResultNonNegative,
    add_all,
    decimal_text,
    grid,
    to_decimal,
)
from channelkit.statements import FinancialStatement

__all__ = [
    # enums
    "LimitMethod",
    "Combine",
    "LimitBound",
    # results
    "CreditLimitProposal",
    # calculators
    "propose_credit_limit",
]

_ZERO: Final = Decimal(0)
_THIRTY: Final = Decimal(30)


class LimitMethod(LabeledEnum):
    """A way of sizing a credit limit."""

    NET_WORTH = "net_worth", "Net worth", "净资产法"
    WORKING_CAPITAL = "working_capital", "Working capital", "营运资金法"
    SALES_VELOCITY = "sales_velocity", "Sales velocity", "销售周转法"


class Combine(LabeledEnum):
    """How the figures of several methods become one."""

    MIN = "min", "Lowest", "取最小值"
    MEAN = "mean", "Mean", "取平均值"
    MEDIAN = "median", "Median", "取中位数"


class LimitBound(LabeledEnum):
    """Which bound of a proposal applied."""

    FLOOR = "floor", "Floor", "下限"
    CEILING = "ceiling", "Ceiling", "上限"


class CreditLimitProposal(Model):
    """The result of [`propose_credit_limit`][]: the proposed limit and every step to it."""

    amount: ResultMoney
    """The proposed credit limit."""
    components: Mapping[LimitMethod, ResultMoney]
    """Each method's figure (at least 0), in the order of [`LimitMethod`][]."""
    combine: Combine
    """How the components were combined."""
    combined: ResultMoney
    """The components combined."""
    multiplier: ResultNonNegative
    """The factor applied to ``combined`` (a tier's credit multiplier)."""
    multiplied: ResultMoney
    """``combined * multiplier``."""
    round_down_to: ResultNonNegative | None
    """The step ``multiplied`` was rounded down to (``None``: the currency's minor unit)."""
    rounded: ResultMoney
    """``multiplied`` rounded down to the step."""
    floor: ResultMoney | None = None
    """The least limit proposed, if any."""
    ceiling: ResultMoney | None = None
    """The largest limit proposed, if any."""
    bounded_by: LimitBound | None = None
    """FLOOR or CEILING when a bound moved ``rounded``; ``None`` when neither did."""
    net_worth_rate: ResultNonNegative
    """The share of equity NET_WORTH takes."""
    working_capital_rate: ResultNonNegative
    """The share of working capital WORKING_CAPITAL takes."""
    equity: ResultDec | None = None
    """The statement's equity, when NET_WORTH was used."""
    working_capital: ResultDec | None = None
    """Current assets minus current liabilities, when WORKING_CAPITAL was used."""
    monthly_sales: ResultMoney | None = None
    """The monthly sales, when SALES_VELOCITY was used."""
    terms_days: NonNegativeCount | None = None
    """The payment terms, when SALES_VELOCITY was used."""
    grace_days: NonNegativeCount = 0
    """Days added to the terms by SALES_VELOCITY."""

    _repr_html_ = _html.credit_limit_proposal

    def explain(self, lang: str = "en") -> str:
        """Each method's figure and each step to the proposed limit.

        Examples
        --------
        >>> import datetime as dt
        >>> s = FinancialStatement(currency="CNY", period_end=dt.date(2025, 12, 31),
        ...                        equity=5_000_000, current_assets=3_000_000,
        ...                        current_liabilities=1_800_000)
        >>> print(propose_credit_limit(statement=s, monthly_sales=Money(300_000, "CNY"),
        ...                            terms_days=45).explain())
        Proposed credit limit: 120,000.00 CNY
          Net worth: 10% of equity 5,000,000.00 = 500,000.00
          Working capital: 10% of working capital 1,200,000.00 = 120,000.00
          Sales velocity: monthly sales 300,000.00 x (45 + 0) days / 30 = 450,000.00
          Lowest: 120,000.00
          x 1 = 120,000.00; rounded down to 1,000: 120,000.00
        """
        cur = self.amount.currency
        places = CURRENCIES[cur]

        def f(value: Decimal) -> str:
            return fmt_amount(value, places)

        lines = [
            pick(lang, "Proposed credit limit: {a} {c}", "建议信用额度：{a} {c}").format(
                a=f(self.amount.amount), c=cur
            )
        ]
        for method, figure in self.components.items():
            if method is LimitMethod.NET_WORTH:
                how = pick(lang, "{r} of equity {b}", "净资产 {b} x {r}").format(
                    r=fmt_pct(self.net_worth_rate), b=f(self.equity or _ZERO)
                )
            elif method is LimitMethod.WORKING_CAPITAL:
                how = pick(lang, "{r} of working capital {b}", "营运资金 {b} x {r}").format(
                    r=fmt_pct(self.working_capital_rate), b=f(self.working_capital or _ZERO)
                )
            else:
                sales = _ZERO if self.monthly_sales is None else self.monthly_sales.amount
                how = pick(
                    lang,
                    "monthly sales {s} x ({t} + {g}) days / 30",
                    "月销售额 {s} x（{t} + {g}）天 / 30",
                ).format(s=f(sales), t=self.terms_days, g=self.grace_days)
            base = (
                self.equity
                if method is LimitMethod.NET_WORTH
                else self.working_capital
                if method is LimitMethod.WORKING_CAPITAL
                else None
            )
            if base is not None and base < 0:
                how += pick(lang, " (below 0: counts as 0)", "（小于 0，按 0 计）")
            lines.append(
                pick(lang, "  {m}: {h} = {v}", "  {m}：{h} = {v}").format(
                    m=method.label(lang), h=how, v=f(figure.amount)
                )
            )
        lines.append(
            pick(lang, "  {c}: {v}", "  {c}：{v}").format(
                c=self.combine.label(lang), v=f(self.combined.amount)
            )
        )
        step = (
            pick(lang, "the minor unit", "最小货币单位")
            if self.round_down_to is None
            else _step_text(self.round_down_to, places)
        )
        lines.append(
            pick(
                lang,
                "  x {m} = {x}; rounded down to {s}: {r}",
                "  x {m} = {x}；向下取整到 {s}：{r}",
            ).format(
                m=decimal_text(self.multiplier),
                x=f(self.multiplied.amount),
                s=step,
                r=f(self.rounded.amount),
            )
        )
        if self.bounded_by is LimitBound.FLOOR and self.floor is not None:
            lines.append(
                pick(lang, "  raised to the floor {b}", "  提高到下限 {b}").format(
                    b=f(self.floor.amount)
                )
            )
        elif self.bounded_by is LimitBound.CEILING and self.ceiling is not None:
            lines.append(
                pick(lang, "  cut to the ceiling {b}", "  降低到上限 {b}").format(
                    b=f(self.ceiling.amount)
                )
            )
        return "\n".join(lines)


def _step_text(step: Decimal, places: int) -> str:
    """The step as an amount: whole, with the minor unit's decimals, or with its own digits."""
    if step == step.to_integral_value(context=CONTEXT):
        return fmt_amount(step, 0)
    scaled = step.scaleb(places, context=CONTEXT)
    if scaled == scaled.to_integral_value(context=CONTEXT):
        return fmt_amount(step, places)
    return fmt_number(step)


_TRAPS: Final = [InvalidOperation, DivisionByZero, Overflow]
_CUT: Final = Context(
    prec=MAX_DIGITS, rounding=ROUND_DOWN, Emax=CONTEXT.Emax, Emin=CONTEXT.Emin, traps=_TRAPS
)
"""Cuts a proposal of more than 34 significant digits to 34, rounding down."""


def _round_down(value: Decimal, step: Decimal | None, places: int) -> Decimal:
    """``value`` (at least 0) rounded down to a multiple of ``step``, then to ``places`` decimals.

    Exact whatever the sizes: the whole quotient ``value // step`` may need more than 34 digits
    (a step of 10**-30 under a figure of a million; a figure of 10**40 over a step of 1000), so
    it is taken in a context just wide enough; the result, when it has more than 34 significant
    digits (a figure of 10**32 or more), is then cut to 34, rounding down.
    """
    unit = grid(places)
    if not value:
        return value.quantize(unit, context=CONTEXT)
    top = value.adjusted()
    digits = top + places + 1
    if step is not None:
        digits = max(digits, top - step.adjusted() + 1 + MAX_DIGITS)
    wide = Context(
        prec=max(digits, MAX_DIGITS) + 1,
        rounding=ROUND_DOWN,
        Emax=CONTEXT.Emax,
        Emin=CONTEXT.Emin,
        traps=_TRAPS,
    )
    if step is not None:
        value = wide.multiply(wide.divide_int(value, step), step)
    return _CUT.plus(value.quantize(unit, rounding=ROUND_DOWN, context=wide))


def _combine(values: list[Decimal], how: Combine) -> Decimal:
    if how is Combine.MIN:
        return min(values)
    if how is Combine.MEAN:
        return CONTEXT.divide(add_all(values), Decimal(len(values)))
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return CONTEXT.divide(CONTEXT.add(ordered[mid - 1], ordered[mid]), Decimal(2))


def propose_credit_limit(
    *,
    statement: FinancialStatement | None = None,
    monthly_sales: Money | DecimalLike | None = None,
    terms_days: int | None = None,
    grace_days: int = 0,
    methods: Iterable[LimitMethod | str] | None = None,
    combine: Combine | str = Combine.MIN,
    multiplier: DecimalLike = Decimal(1),
    round_down_to: DecimalLike | None = Decimal(1000),
    floor: Money | DecimalLike | None = None,
    ceiling: Money | DecimalLike | None = None,
    currency: str | None = None,
    net_worth_rate: DecimalLike = Decimal("0.10"),
    working_capital_rate: DecimalLike = Decimal("0.10"),
) -> CreditLimitProposal:
    r"""Propose a credit limit from a partner's statement and monthly sales.

    Parameters
    ----------
    statement
        The partner's financial statement (equity; current assets and liabilities).
    monthly_sales
        The partner's average monthly purchases, ``Money`` or a number in the currency.
    terms_days, grace_days
        Payment terms and the grace added to them (SALES_VELOCITY).
    methods
        The methods to use; ``None`` uses every method whose inputs are given.
    combine
        MIN (the default, prudent), MEAN or MEDIAN of the methods' figures.
    multiplier
        A factor at least 0 applied after combining (a tier's ``credit_multiplier``).
    round_down_to
        A positive step the limit is rounded down to; ``None`` rounds down to the minor unit.
    floor, ceiling
        Bounds at least 0 applied last (``floor <= ceiling``); ``Money`` or numbers.
    currency
        The currency when there is no statement (a statement's currency wins; they must agree).
    net_worth_rate, working_capital_rate
        The shares of equity and of working capital taken, at least 0.

    Returns
    -------
    CreditLimitProposal
        The limit, each method's figure, and every step.

    Raises
    ------
    PolicyError
        When a method asked for lacks its inputs, or no method has its inputs.
    CurrencyMismatchError
        When ``currency``, ``monthly_sales``, ``floor`` or ``ceiling`` is in another currency
        than the statement.
    ArgumentError
        When there is no currency, a number is negative or outside the input bounds, a count
        of days is 10**9 or more, ``round_down_to`` is not positive, ``floor > ceiling``, or
        ``methods`` is empty or names an unknown method (``combine`` likewise).
    ArgumentTypeError
        When an argument has the wrong type: a ``float`` or a ``dict`` for a number, a
        non-``int`` count of days, a ``statement`` that is not a
        [`FinancialStatement`][] (also a ``TypeError``).

    Notes
    -----
    $$
    \begin{aligned}
    \text{NET\_WORTH} &= r_{nw} \cdot \text{equity} \\
    \text{WORKING\_CAPITAL} &= r_{wc} (\text{current assets} - \text{current liabilities}) \\
    \text{SALES\_VELOCITY} &= \text{monthly sales} \times
    \frac{\text{terms\_days} + \text{grace\_days}}{30}
    \end{aligned}
    $$

    A figure below 0 (an equity deficit, negative working capital) is taken as 0: it supports
    no credit. Then: combine (MEDIAN of an even count is the mean of the middle two) -> times
    ``multiplier`` -> rounded down to a multiple of ``round_down_to`` (and to the currency's
    minor unit) -> raised to ``floor`` or cut to ``ceiling``; ``bounded_by`` names the bound
    that moved the figure. Nothing else is rounded. The rounding down is exact for any step;
    only a figure of 10**32 or more, beyond any real limit, is also cut to 34 significant digits.

    Examples
    --------
    >>> import datetime as dt
    >>> s = FinancialStatement(currency="CNY", period_end=dt.date(2025, 12, 31),
    ...                        equity=2_345_678, current_assets=3_000_000,
    ...                        current_liabilities=1_800_000)
    >>> p = propose_credit_limit(statement=s, monthly_sales=Money(300_000, "CNY"),
    ...                          terms_days=45, combine="median", multiplier="1.2")
    >>> [str(m.amount) for m in p.components.values()]
    ['234567.80', '120000.00', '450000']
    >>> p.combined, p.multiplied, p.amount
    (Money('234567.80', 'CNY'), Money('281481.360', 'CNY'), Money('281000.00', 'CNY'))
    >>> propose_credit_limit(monthly_sales=100_000, terms_days=30, currency="USD",
    ...                      ceiling=80_000).bounded_by
    <LimitBound.CEILING: 'ceiling'>
    """
    if statement is not None:
        if not isinstance(statement, FinancialStatement):
            raise wrong_type("statement", "a FinancialStatement or None", statement)
        cur = statement.currency
        if currency is not None and read_currency(currency) != cur:
            raise CurrencyMismatchError(cur, currency, "currency")
    elif currency is not None:
        cur = read_currency(currency)
    else:
        msg = "currency is required when no statement is given"
        raise ArgumentError(msg, argument="currency", value=None)
    how = read_option(Combine, combine, "combine")
    mult = _non_negative(multiplier, "multiplier")
    nw_rate = _non_negative(net_worth_rate, "net_worth_rate")
    wc_rate = _non_negative(working_capital_rate, "working_capital_rate")
    step = None if round_down_to is None else to_decimal(round_down_to, "round_down_to")
    if step is not None and step <= 0:
        msg = f"round_down_to must be positive (or None), got {decimal_text(step)}"
        raise ArgumentError(msg, argument="round_down_to", value=round_down_to)
    grace = read_count(grace_days, "grace_days")
    terms = None if terms_days is None else read_count(terms_days, "terms_days")
    low = None if floor is None else read_money(floor, cur, "floor", non_negative=True)
    high = None if ceiling is None else read_money(ceiling, cur, "ceiling", non_negative=True)
    if low is not None and high is not None and low.amount > high.amount:
        msg = f"floor must not be above ceiling, got floor={low} and ceiling={high}"
        raise ArgumentError(msg, argument="floor", value=floor)
    sales = (
        None
        if monthly_sales is None
        else read_money(monthly_sales, cur, "monthly_sales", non_negative=True)
    )
    if methods is not None and (
        isinstance(methods, str | bytes) or not isinstance(methods, Iterable)
    ):
        raise wrong_type("methods", "an iterable of LimitMethod or None", methods)

    equity = None if statement is None else statement.equity
    assets = None if statement is None else statement.current_assets
    liabilities = None if statement is None else statement.current_liabilities
    working_capital = (
        None if assets is None or liabilities is None else CONTEXT.subtract(assets, liabilities)
    )
    missing = {
        LimitMethod.NET_WORTH: (
            [] if equity is not None else ["statement" if statement is None else "statement.equity"]
        ),
        LimitMethod.WORKING_CAPITAL: (
            ["statement"]
            if statement is None
            else [
                f"statement.{name}"
                for name, value in (
                    ("current_assets", assets),
                    ("current_liabilities", liabilities),
                )
                if value is None
            ]
        ),
        LimitMethod.SALES_VELOCITY: [
            name
            for name, value in (("monthly_sales", sales), ("terms_days", terms))
            if value is None
        ],
    }
    if methods is None:
        chosen = [m for m in LimitMethod if not missing[m]]
        if not chosen:
            needs = "; ".join(f"{m.value} needs {', '.join(missing[m])}" for m in LimitMethod)
            msg = f"no credit limit method has its inputs: {needs}"
            raise PolicyError(msg)
    else:
        asked = {read_option(LimitMethod, m, "methods") for m in methods}
        if not asked:
            msg = "methods must name at least one method (or be None for every available one)"
            raise ArgumentError(msg, argument="methods", value=methods)
        chosen = [m for m in LimitMethod if m in asked]
        for m in chosen:
            if missing[m]:
                msg = f"method {m.value} needs {', '.join(missing[m])}, which was not given"
                raise PolicyError(msg)

    raws = {
        LimitMethod.NET_WORTH: None if equity is None else CONTEXT.multiply(nw_rate, equity),
        LimitMethod.WORKING_CAPITAL: (
            None if working_capital is None else CONTEXT.multiply(wc_rate, working_capital)
        ),
        LimitMethod.SALES_VELOCITY: (
            None
            if sales is None or terms is None
            else CONTEXT.divide(CONTEXT.multiply(sales.amount, Decimal(terms + grace)), _THIRTY)
        ),
    }
    figures = {m: max(raw, _ZERO) for m in chosen if (raw := raws[m]) is not None}

    combined = _combine(list(figures.values()), how)
    multiplied = CONTEXT.multiply(combined, mult)
    rounded = _round_down(multiplied, step, CURRENCIES[cur])
    amount, bound = rounded, None
    if low is not None and amount < low.amount:
        amount, bound = low.amount, LimitBound.FLOOR
    if high is not None and amount > high.amount:
        amount, bound = high.amount, LimitBound.CEILING
    velocity = LimitMethod.SALES_VELOCITY in figures
    return trusted(
        CreditLimitProposal,
        {
            "amount": Money._make(amount, cur),
            "components": {m: Money._make(v, cur) for m, v in figures.items()},
            "combine": how,
            "combined": Money._make(combined, cur),
            "multiplier": mult,
            "multiplied": Money._make(multiplied, cur),
            "round_down_to": step,
            "rounded": Money._make(rounded, cur),
            "floor": low,
            "ceiling": high,
            "bounded_by": bound,
            "net_worth_rate": nw_rate,
            "working_capital_rate": wc_rate,
            "equity": equity if LimitMethod.NET_WORTH in figures else None,
            "working_capital": (
                working_capital if LimitMethod.WORKING_CAPITAL in figures else None
            ),
            "monthly_sales": sales if velocity else None,
            "terms_days": terms if velocity else None,
            "grace_days": grace,
        },
    )


def _non_negative(value: object, name: str) -> Decimal:
    number = to_decimal(value, name)
    if number < 0:
        msg = f"{name} must not be negative, got {decimal_text(number)}"
        raise ArgumentError(msg, argument=name, value=value)
    return number
