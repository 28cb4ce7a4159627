"""The ledger chart (累计返利台账): what each period of a rebate ledger pays and claws back."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Final

from channelkit.errors import expect
from channelkit.labels import fmt_amount, pick
from channelkit.numeric import CONTEXT
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
    period_label,
    require,
    style_axes,
)
from channelkit.plot._fonts import Fonts
from channelkit.rebates import RebateLedger

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["ledger_chart"]

TICKS: Final = 12
"""The most periods named under the axis; a longer ledger names every k-th one."""


def _paid_to_date(ledger: RebateLedger) -> list[Decimal]:
    """What the ledger has paid by the end of each entry: ``paid_before + payable`` (exact)."""
    return [CONTEXT.add(e.paid_before.amount, e.payable.amount) for e in ledger.entries]


def ledger_chart(ledger: RebateLedger, *, lang: str = "en") -> Figure:
    r"""A rebate ledger period by period: payables, clawbacks and the total paid to date.

    Parameters
    ----------
    ledger
        The result of ``channelkit.ledger`` (a
        [`RebateLedger`][channelkit.rebates.RebateLedger]).
    lang
        ``"en"`` or ``"zh"``: the language of the labels.

    Returns
    -------
    matplotlib.figure.Figure
        One axes with a group of columns per entry: the payable (below zero when money is owed
        back) and, when any entry claws back, the clawback beside it; a line of the total paid
        to date. The title names the partner, the policy, how the ledger settles and the total
        paid. Never shown or saved.

    Raises
    ------
    ArgumentTypeError
        ``ledger`` is not a ``RebateLedger`` (a ``TypeError``).
    ArgumentError
        ``lang`` is not ``"en"`` or ``"zh"``.
    ImportError
        matplotlib is not installed (``pip install 'channelkit[plot]'``).

    Notes
    -----
    The line is, for entry $k$,

    $$
    \text{paid to date}_k = \text{paid before}_k + \text{payable}_k
    = \sum_{i \le k} \text{payable}_i
    $$

    computed in ``Decimal``; its last point is ``total_paid``. A cumulative ledger's line is
    also each entry's ``rebate`` (the rebate to date). Periods are named short when they are
    calendar months, quarters, halves or years (``2026Q3``), else by their first day (the
    periods are contiguous); past 12 periods, every k-th one is named. Amounts are converted to
    ``float`` only to be drawn.

    Examples
    --------
    >>> import datetime as dt
    >>> from channelkit import Bracket, Money, Period, RebatePolicy, Transaction, ledger
    >>> ladder = RebatePolicy(id="YTD", name="Year to date", currency="CNY", brackets=(
    ...     Bracket(start=0, rate="0.01"), Bracket(start=100_000, rate="0.03")))
    >>> txs = [Transaction(id=f"T{n}", partner_id="D1", date=day, kind="sale",
    ...                    amount=Money(amount, "CNY"))
    ...        for n, (day, amount) in enumerate([(dt.date(2026, 2, 1), 80_000),
    ...                                           (dt.date(2026, 5, 1), 60_000)])]
    >>> book = ledger(ladder, txs, Period.half(2026, 1).split("quarterly"), partner_id="D1")
    >>> ax = ledger_chart(book).axes[0]
    >>> [label.get_text() for label in ax.get_xticklabels()]
    ['2026Q1', '2026Q2']
    >>> [float(bar.get_height()) for bar in ax.patches]
    [800.0, 1400.0]
    >>> [line.get_ydata().tolist() for line in ax.lines if line.get_gid() == "paid"]
    [[800.0, 2200.0]]
    """
    require()
    expect(ledger, RebateLedger, "ledger", "a RebateLedger")
    fonts = Fonts(lang)
    cur = ledger.total_paid.currency
    fig = new_figure(min(14.0, max(6.0, 1.2 * len(ledger.entries) + 3)), 5)
    ax = fig.add_subplot()
    style_axes(ax, fonts)
    positions = list(range(len(ledger.entries)))
    clawing = any(e.clawback.amount for e in ledger.entries)
    width = 0.4 if clawing else 0.6
    shift = width / 2 if clawing else 0.0
    handles = [
        ax.bar(
            [p - shift for p in positions],
            [drawn(e.payable.amount) for e in ledger.entries],
            width,
            color=BLUE,
            gid="payable",
            label=fonts.pick("Payable", "本期应付"),
        )
    ]
    if clawing:
        handles.append(
            ax.bar(
                [p + shift for p in positions],
                [drawn(e.clawback.amount) for e in ledger.entries],
                width,
                color=RED,
                gid="clawback",
                label=fonts.pick("Clawback", "追回"),
            )
        )
    (paid,) = ax.plot(
        positions,
        [drawn(v) for v in _paid_to_date(ledger)],
        color=ORANGE,
        marker="o",
        gid="paid",
        label=fonts.pick("Paid to date", "累计已付"),
    )
    ax.axhline(0, color=GREY, linewidth=0.8)
    labels = [period_label(e.period, span=False) for e in ledger.entries]
    every = -(-len(labels) // TICKS)  # ceil: at most TICKS labels
    ax.set_xticks(positions[::every], labels[::every])
    if any(len(label) > 7 for label in labels):
        ax.tick_params(axis="x", labelrotation=30)
    number_axis(ax.yaxis)
    ax.set_ylabel(fonts.pick("Amount ({c})", "金额（{c}）", c=cur), **font(fonts))
    legend(fig, fonts, [*handles, paid])
    how = (
        pick(fonts.lang, "cumulative (to date)", "按累计基数")
        if ledger.cumulative
        else pick(fonts.lang, "each period on its own", "逐期计算")
    )
    ax.set_title(
        fonts.pick(
            "Rebate ledger of {p} under {pol}: {how}\ntotal paid {t} {c}",
            "{p} 的返利台账（政策 {pol}，{how}）\n合计支付 {t} {c}",
            p=ledger.partner_id,
            pol=ledger.policy_id,
            how=how,
            t=fmt_amount(ledger.total_paid.amount, ledger.total_paid.places),
            c=cur,
        ),
        **font(fonts),
    )
    return fig
