r"""The rebate curve of a policy: what it pays, and at what rate, across the basis.

[`rebate_curve`][channelkit.plot.rebate_curve] draws the amount a
[`RebatePolicy`][channelkit.RebatePolicy] pays and its effective rate against the basis, marks
where each bracket starts and highlights the cliffs that
[`lint`][channelkit.rebates.lint.lint] finds (a
basis just above a start earning less than one just below it).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Final

from channelkit.currencies import CURRENCIES
from channelkit.errors import ArgumentError, PolicyError, expect
from channelkit.labels import fmt_amount, fmt_number, fmt_pct, pick
from channelkit.money import Money, read_amount
from channelkit.numeric import CONTEXT, DecimalLike, decimal_text
from channelkit.plot._base import (
    BLUE,
    GREY,
    ORANGE,
    RED,
    drawn,
    font,
    legend,
    new_figure,
    number_axis,
    percent_axis,
    require,
    style_axes,
)
from channelkit.plot._fonts import Fonts
from channelkit.rebates import (
    Boundary,
    Bracket,
    FindingCode,
    RebateBasis,
    RebatePolicy,
    TierMode,
    lint,
    rebate_amounts,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

__all__ = ["rebate_curve"]

STEPS: Final = 200
"""The curve's evenly spaced points: ``up_to * k / STEPS`` for ``k = 0..STEPS``."""
_NEAR: Final = Decimal(10) ** 6
"""A start or threshold is drawn with neighbours ``up_to / _NEAR`` either side of it."""
_SMALLEST: Final = Decimal("1e-34")
"""The smallest non-zero basis the input bounds allow."""
_ZERO: Final = Decimal(0)


def _plain(policy: RebatePolicy) -> RebatePolicy:
    """``policy`` without conditions, scorecard and payout: every condition met, factor 1."""
    if not (policy.conditions or policy.payout or policy.scorecard is not None):
        return policy
    return policy.model_copy(update={"conditions": (), "scorecard": None, "payout": ()})


def _used(policy: RebatePolicy) -> tuple[Bracket, ...]:
    """The brackets the mode reads (FLAT: the first only)."""
    return policy.brackets[:1] if TierMode(policy.mode) is TierMode.FLAT else policy.brackets


Curve = tuple[list[Decimal], list[Decimal], list[Decimal | None]]
"""The bases, the amounts and the effective rates (``None``: not drawn) of a curve."""


def curve(policy: RebatePolicy, up_to: Decimal) -> Curve:
    """The bases the curve is drawn through (ascending), the rebate and the rate at each.

    The bases are ``up_to * k / STEPS`` and, for each bracket start and the threshold inside
    ``[0, up_to]``, the start itself and a basis ``up_to / 10**6`` either side of it, so that a
    jump shows as one. The amounts are [`rebate_amounts`][channelkit.rebate_amounts] of the
    policy with its conditions met and no payout steps; the rate is ``amount / basis`` from
    ``up_to / STEPS`` on (``None`` below it). All exact.

    Examples
    --------
    >>> from channelkit import Bracket, RebatePolicy
    >>> p = RebatePolicy(id="P", name="P", currency="CNY", brackets=(
    ...     Bracket(start=0, rate="0.02"), Bracket(start=100, rate="0.05")))
    >>> bases, amounts, rates = curve(p, Decimal(200))
    >>> [str(b) for b in bases[:4]], bases[-1], amounts[-1], rates[0], rates[-1]
    (['0', '0.0002', '1', '2'], Decimal('200'), Decimal('7.00'), None, Decimal('0.035'))
    """
    delta = CONTEXT.divide(up_to, _NEAR)
    step = CONTEXT.divide(up_to, Decimal(STEPS))
    bases = {CONTEXT.multiply(step, Decimal(k)) for k in range(STEPS)}
    bases.add(up_to)
    marks = [b.start for b in _used(policy)]
    if policy.threshold is not None:
        marks.append(policy.threshold)
    for mark in marks:
        bases.update((CONTEXT.subtract(mark, delta), mark, CONTEXT.add(mark, delta)))
    kept = sorted(x for x in bases if x == 0 or _SMALLEST <= x <= up_to)
    amounts = rebate_amounts(_plain(policy), kept)
    rates = [
        CONTEXT.divide(a, x) if x >= step else None for x, a in zip(kept, amounts, strict=True)
    ]
    return kept, amounts, rates


def _rate_text(bracket: Bracket, policy: RebatePolicy, lang: str) -> str:
    """A bracket's terms as its marker shows them: ``3%``, ``0.5 per unit``, ``+ 500.00``."""
    if RebateBasis(policy.basis).is_money:
        text = fmt_pct(bracket.rate, 4)
    else:
        text = pick(lang, "{r} per unit", "每件 {r}").format(r=fmt_number(bracket.rate))
    if bracket.flat:
        text += f" + {fmt_amount(bracket.flat, CURRENCIES[policy.currency])}"
    return text


def rebate_curve(policy: RebatePolicy, *, up_to: DecimalLike | Money, lang: str = "en") -> Figure:
    r"""The rebate curve of ``policy`` (返利曲线): amount and effective rate against the basis.

    Parameters
    ----------
    policy
        The policy; one with a ``tier_basis`` is refused (its amount is not a function of one
        basis).
    up_to
        The largest basis drawn, positive: a number in the basis' units, or ``Money`` in the
        policy's currency for a money basis.
    lang
        ``"en"`` or ``"zh"``: the language of the labels (see
        [`CJKFontWarning`][channelkit.plot.CJKFontWarning]).

    Returns
    -------
    matplotlib.figure.Figure
        One axes: the amount (left scale) and the effective rate (right scale, a percentage;
        money per unit for a ``UNITS`` basis) against the basis from 0 to ``up_to``; a dotted
        line at each bracket start with its rate; each CLIFF of
        [`lint`][channelkit.rebates.lint.lint] inside the range as a red segment from the
        amount just below the start to the amount from it on. Never shown or saved.

    Raises
    ------
    PolicyError
        ``policy`` has a ``tier_basis``; ``up_to`` is ``Money`` for a ``UNITS`` basis.
    ArgumentError
        ``up_to`` is not positive, or not a number within the input bounds; an
        [`ArgumentTypeError`][channelkit.ArgumentTypeError] for a ``policy`` that is not a
        ``RebatePolicy`` or a ``float`` ``up_to``.
    CurrencyMismatchError
        ``up_to`` is ``Money`` in another currency than the policy's.
    ImportError
        matplotlib is not installed (``pip install 'channelkit[plot]'``).

    Notes
    -----
    The amount at each basis $x$ is [`rebate_amounts`][channelkit.rebate_amounts]'s (the
    policy's ladder, threshold, cap and rounding) with every condition met and no payout step
    or tier multiplier, as [`lint`][channelkit.rebates.lint.lint] reads a policy; the
    effective rate is

    $$
    \text{effective rate}(x) = \frac{\text{amount}(x)}{x}
    $$

    computed in ``Decimal`` and drawn from $x = \text{up\_to} / 200$ on: it is undefined at
    $x = 0$, and next to it the rounding to the minor unit and any flat amount dominate it
    (a flat $f$ gives $f / x$, which grows without bound). The curve passes through
    $x_k = \text{up\_to} \cdot k / 200$ and through each bracket start and the threshold with
    neighbours $\text{up\_to} / 10^6$ either side, so a jump at a start draws as a vertical
    step. Amounts and bases are converted to ``float`` only to be drawn. A FLAT policy marks
    its first bracket only (the one it reads). ``per=TRANSACTION`` is ignored: a basis alone
    is tiered as one transaction, as in [`compute_rebate`][channelkit.compute_rebate].

    Examples
    --------
    >>> from channelkit import Bracket, RebatePolicy
    >>> volume = RebatePolicy(id="V", name="Volume", currency="CNY", mode="volume", brackets=(
    ...     Bracket(start=0, rate="0.03"), Bracket(start=100_000, rate="0.02")))
    >>> fig = rebate_curve(volume, up_to=200_000)
    >>> amount, rate = fig.axes
    >>> amount.get_ylabel(), rate.get_ylabel()
    ('Rebate (CNY)', 'Effective rate')
    >>> [line.get_ydata().tolist() for line in amount.lines if line.get_gid() == "cliff"]
    [[3000.0, 2000.0]]
    """
    require()
    expect(policy, RebatePolicy, "policy", "a RebatePolicy")
    if policy.tier_basis is not None:
        msg = (
            f"policy {policy.id} picks its bracket by tier_basis "
            f"{RebateBasis(policy.tier_basis).value}: its rebate is not a function of one "
            "basis, so it has no rebate curve"
        )
        raise PolicyError(msg, policy=policy.id)
    money_basis = RebateBasis(policy.basis).is_money
    if isinstance(up_to, Money) and not money_basis:
        msg = f"policy {policy.id} has a units basis: up_to must be a number of units, not money"
        raise PolicyError(msg, policy=policy.id)
    top = read_amount(up_to, policy.currency, "up_to")
    if top <= 0:
        msg = f"up_to must be positive, got {decimal_text(top)}"
        raise ArgumentError(msg, argument="up_to", value=up_to)
    fonts = Fonts(lang)
    bases, amounts, rates = curve(policy, top)

    fig = new_figure(9, 5)
    ax = fig.add_subplot()
    rate_ax = ax.twinx()
    for each in (ax, rate_ax):
        style_axes(each, fonts)
    xs = [drawn(x) for x in bases]
    (amount_line,) = ax.plot(
        xs,
        [drawn(a) for a in amounts],
        color=BLUE,
        gid="amount",
        label=fonts.pick("Rebate", "返利"),
    )
    (rate_line,) = rate_ax.plot(
        xs,
        [float("nan") if r is None else drawn(r) for r in rates],
        color=ORANGE,
        linestyle="--",
        gid="rate",
        label=_rate_axis_label(fonts, policy, with_currency=False),
    )
    _mark_brackets(ax, fonts, policy, top)
    handles = [amount_line, rate_line]
    handles.extend(_mark_cliffs(ax, fonts, policy, top)[:1])
    legend(fig, fonts, handles)
    _label(ax, rate_ax, fonts, policy)
    ax.set_xlim(0, drawn(top))
    ax.set_ylim(bottom=0)
    return fig


def _rate_axis_label(fonts: Fonts, policy: RebatePolicy, *, with_currency: bool) -> str:
    """What the right scale measures: a percentage, or money per unit for a units basis."""
    if RebateBasis(policy.basis).is_money:
        return fonts.pick("Effective rate", "实际返利率")
    if with_currency:
        return fonts.pick("Rebate per unit ({c})", "每件返利（{c}）", c=policy.currency)
    return fonts.pick("Rebate per unit", "每件返利")


def _mark_brackets(ax: Axes, fonts: Fonts, policy: RebatePolicy, top: Decimal) -> None:
    """A dotted line at each start inside the range, with the bracket's terms at its top."""
    for bracket in _used(policy):
        if bracket.start <= top:
            at = drawn(bracket.start)
            ax.axvline(at, color=GREY, linestyle=":", linewidth=1, gid="bracket")
            ax.text(
                at,
                0.98,
                " " + fonts.text(_rate_text(bracket, policy, fonts.lang)),
                transform=ax.get_xaxis_transform(),
                ha="left",
                va="top",
                color=GREY,
                gid="bracket",
                **font(fonts, fontsize=8),
            )


def _mark_cliffs(ax: Axes, fonts: Fonts, policy: RebatePolicy, top: Decimal) -> list[Line2D]:
    """A red segment at each CLIFF inside the range: from the amount below to the one above."""
    label = fonts.pick(
        "{c}: buying more pays less", "{c}：多买反而少拿", c=FindingCode.CLIFF.label(fonts.lang)
    )
    drawn_cliffs: list[Line2D] = []
    for finding in lint(policy):
        # a CLIFF always carries its start, value and reference
        start = finding.start or _ZERO
        if finding.code is FindingCode.CLIFF and start <= top:
            (cliff,) = ax.plot(
                [drawn(start), drawn(start)],
                [drawn(finding.reference or _ZERO), drawn(finding.value or _ZERO)],
                color=RED,
                linewidth=3,
                marker="o",
                gid="cliff",
                label=label,
            )
            drawn_cliffs.append(cliff)
    return drawn_cliffs


def _label(ax: Axes, rate_ax: Axes, fonts: Fonts, policy: RebatePolicy) -> None:
    """The axes' labels and scales, and the title: the policy and its terms."""
    lang, cur = fonts.lang, policy.currency
    money_basis = RebateBasis(policy.basis).is_money
    basis = RebateBasis(policy.basis).label(lang)
    ax.set_xlabel(
        fonts.pick("Basis: {b} ({c})", "返利基数：{b}（{c}）", b=basis, c=cur)
        if money_basis
        else fonts.pick("Basis: {b}", "返利基数：{b}", b=basis),
        **font(fonts),
    )
    ax.set_ylabel(fonts.pick("Rebate ({c})", "返利（{c}）", c=cur), **font(fonts))
    rate_ax.set_ylabel(_rate_axis_label(fonts, policy, with_currency=True), **font(fonts))
    number_axis(ax.xaxis)
    number_axis(ax.yaxis)
    if money_basis:
        percent_axis(rate_ax.yaxis)
    terms = [TierMode(policy.mode).label(lang), Boundary(policy.boundary).label(lang)]
    if policy.cap is not None:
        cap = fmt_amount(policy.cap, CURRENCIES[cur])
        terms.append(pick(lang, "cap {c} {cur}", "封顶 {c} {cur}").format(c=cap, cur=cur))
    ax.set_title(
        fonts.pick(
            "Rebate curve of {n} ({i})\n{t}",
            "{n}（{i}）返利曲线\n{t}",
            n=policy.name,
            i=policy.id,
            t=pick(lang, ", ", "，").join(terms),
        ),
        **font(fonts),
    )
