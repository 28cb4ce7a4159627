"""The fund ledger's book, its arithmetic checks, its expiry date and its explanations.

Kept apart from [`channelkit.incentives.balances`][] so that module holds the models and the
calculator; everything here reads the models by their fields, and the book holds plain lines
that the calculator turns into entries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from channelkit.currencies import CURRENCIES
from channelkit.errors import ArgumentError, CurrencyMismatchError, expect
from channelkit.incentives._funds_args import money_text, partners_text, read_fund_money, zero
from channelkit.incentives.funds import FundAllocation, FundProgram, FundRequest
from channelkit.labels import LabeledEnum, check_lang, fmt_amount, pick
from channelkit.money import Money

if TYPE_CHECKING:
    from channelkit.incentives.balances import FundBalance, FundBalances

__all__ = [
    "FIGURES",
    "KIND_FIGURE",
    "Book",
    "Line",
    "check_allocation",
    "check_balance",
    "expires",
    "explain_balance",
    "explain_balances",
]

KIND_FIGURE: Final = {
    "allocate": "allocated",
    "commit": "committed",
    "claim": "claimed",
    "pay": "paid",
    "release": "released",
    "expire": "expired",
}
"""The figure each kind of entry sums to (by the kind's value)."""

FIGURES: Final = (
    "allocated",
    "committed",
    "claimed",
    "paid",
    "unpaid",
    "released",
    "available",
    "unclaimed",
    "expired",
)
"""A balance's figures in field order."""

_WORDS: Final = {
    "allocated": ("allocated", "分配"),
    "committed": ("committed", "已承诺"),
    "claimed": ("claimed", "已核销"),
    "paid": ("paid", "已支付"),
    "unpaid": ("unpaid", "未支付"),
    "released": ("released", "已释放"),
    "available": ("available", "可用"),
    "unclaimed": ("unclaimed", "未核销"),
    "expired": ("expired", "已过期"),
}


class Line(NamedTuple):
    """A ledger line as posted, the fields of a ``FundEntry``."""

    date: dt.date
    kind: LabeledEnum
    request_id: str | None
    claim_id: str | None
    amount: Money


class Book:
    """Each partner's lines as they are posted; a zero amount registers the partner only."""

    def __init__(self) -> None:
        self.lines: dict[str, list[Line]] = {}

    def post(
        self,
        partner_id: str,
        day: dt.date,
        kind: LabeledEnum,
        request_id: str | None,
        claim_id: str | None,
        amount: Money,
    ) -> None:
        """Post ``amount`` (nothing when it is zero) to ``partner_id``'s lines."""
        lines = self.lines.setdefault(partner_id, [])
        if amount.amount > 0:
            lines.append(Line(day, kind, request_id, claim_id, amount))

    def pay(
        self,
        payments: Mapping[Any, Any],
        decided: Mapping[str, tuple[FundRequest, Money]],
        cur: str,
        day: dt.date,
        kind: LabeledEnum,
    ) -> None:
        """Post each payment on ``day``, in the order the claims were decided.

        ``decided`` maps each claim counted at ``day`` to its request and what it was approved
        for; a payment above that (0 for a rejected, later or unknown claim) is an argument
        error, as is a negative one.
        """
        paid: dict[str, Money] = {}
        for cid, value in payments.items():
            amount = read_fund_money(value, cur, f"payments[{cid!r}]")
            claim = decided.get(cid) if isinstance(cid, str) else None
            limit = zero(cur) if claim is None else claim[1]
            if amount > limit:
                msg = (
                    f"payments[{cid!r}] is {money_text(amount)}, above the {money_text(limit)} "
                    f"claim {cid!r} was approved for at {day}"
                )
                raise ArgumentError(msg, argument="payments", value=value)
            if claim is not None:
                paid[cid] = amount
        for cid, (r, _) in decided.items():
            if cid in paid:
                self.post(r.partner_id, day, kind, r.id, cid, paid[cid])


def check_allocation(allocation: object, program: FundProgram) -> FundAllocation:
    """An allocation of ``program``, its amounts in the programme's currency."""
    alloc = expect(allocation, FundAllocation, "allocation", "a FundAllocation")
    if alloc.program_id != program.id:
        msg = f"allocation is of programme {alloc.program_id!r}, not {program.id!r}"
        raise ArgumentError(msg, argument="allocation", value=alloc.program_id)
    for pid, amount in alloc.amounts.items():
        if amount.currency != program.currency:
            raise CurrencyMismatchError(program.currency, amount.currency, f"allocation {pid}")
    return alloc


def expires(end: dt.date, window_days: int) -> dt.date | None:
    """The day after a request's claim window: ``end + window_days + 1`` (``None`` past 9999).

    Examples
    --------
    >>> expires(dt.date(2026, 3, 31), 30)
    datetime.date(2026, 5, 1)
    >>> expires(dt.date(9999, 12, 1), 60) is None
    True
    """
    try:
        return end + dt.timedelta(days=window_days + 1)
    except OverflowError:  # the window outlasts the calendar: it never closes
        return None


def check_balance(b: FundBalance) -> None:
    """One currency; each summed figure equal to its entries; the derived ones following."""
    cur = b.allocated.currency
    for name in FIGURES:
        value: Money = getattr(b, name)
        if value.currency != cur:
            msg = f"{name} is in {value.currency} but allocated is in {cur}"
            raise ValueError(msg)
    sums = dict.fromkeys(KIND_FIGURE.values(), Money.zero(cur))
    for i, e in enumerate(b.entries):
        if e.amount.currency != cur:
            msg = f"entries[{i}] is in {e.amount.currency} but the balance is in {cur}"
            raise ValueError(msg)
        name = KIND_FIGURE[e.kind]
        sums[name] = sums[name] + e.amount
    for name, total in sums.items():
        if getattr(b, name) != total:
            msg = f"{name} must be the sum of its entries ({total}), got {getattr(b, name)}"
            raise ValueError(msg)
    derived = {
        "unpaid": b.claimed - b.paid,
        "available": b.allocated - b.committed + b.released,
        "unclaimed": b.committed - b.claimed - b.released,
    }
    for name, value in derived.items():
        if getattr(b, name) != value:
            msg = f"{name} must be {value} by its formula, got {getattr(b, name)}"
            raise ValueError(msg)
        if value.amount < 0:
            msg = f"{name} must not be negative, got {value}"
            raise ValueError(msg)
    if b.expired > b.unclaimed:
        msg = f"expired ({b.expired}) is part of unclaimed ({b.unclaimed}), so at most it"
        raise ValueError(msg)


def _figures(figures: Mapping[str, Money], lang: str, places: int) -> str:
    zh = check_lang(lang) == "zh"

    def show(name: str) -> str:
        return f"{_WORDS[name][zh]} {fmt_amount(figures[name].amount, places)}"

    sep = "，" if zh else ", "
    head = sep.join(show(n) for n in ("allocated", "committed", "claimed", "paid", "released"))
    tail = pick(lang, "{a}, {u} ({e}), {p}", "{a}，{u}（{e}），{p}").format(
        a=show("available"), u=show("unclaimed"), e=show("expired"), p=show("unpaid")
    )
    return pick(lang, "{h}; {t}", "{h}；{t}").format(h=head, t=tail)


def explain_balance(b: FundBalance, lang: str) -> str:
    """A partner's ledger line by line, then the three formulas."""
    places = CURRENCIES[b.currency]

    def m(value: Money) -> str:
        return fmt_amount(value.amount, places)

    out = [
        pick(lang, "Fund ledger of {p} ({c})", "{p} 的费用台账（{c}）").format(
            p=b.partner_id, c=b.currency
        )
    ]
    for e in b.entries:
        ref = "/".join(i for i in (e.request_id, e.claim_id) if i is not None)
        ref = f" {ref}" if ref else ""
        out.append(f"  {e.date.isoformat()} {e.kind.label(lang)}{ref} {m(e.amount)}")
    if not b.entries:
        out.append(pick(lang, "  no entries", "  无记录"))
    out.append(
        pick(
            lang,
            "Available: {a} allocated - {c} committed + {r} released = {v}",
            "可用：分配 {a} - 已承诺 {c} + 已释放 {r} = {v}",
        ).format(a=m(b.allocated), c=m(b.committed), r=m(b.released), v=m(b.available))
    )
    out.append(
        pick(
            lang,
            "Unclaimed: {c} committed - {k} claimed - {r} released = {u} (expired {e})",
            "未核销：已承诺 {c} - 已核销 {k} - 已释放 {r} = {u}（其中已过期 {e}）",
        ).format(
            c=m(b.committed), k=m(b.claimed), r=m(b.released), u=m(b.unclaimed), e=m(b.expired)
        )
    )
    out.append(
        pick(
            lang, "Unpaid: {k} claimed - {p} paid = {u}", "未支付：已核销 {k} - 已支付 {p} = {u}"
        ).format(k=m(b.claimed), p=m(b.paid), u=m(b.unpaid))
    )
    return "\n".join(out)


def explain_balances(bs: FundBalances, lang: str) -> str:
    """One line of figures per partner, then the totals."""
    cur = bs.currency or (bs.balances[0].currency if bs.balances else None)
    places = CURRENCIES[cur] if cur is not None else 2
    program = f" {bs.program_id}" if bs.program_id else ""
    out = [
        pick(
            lang,
            "Fund balances of programme{p} at {d}{c}, {n}",
            "费用项目{p} 截至 {d} 的余额{c}，{n}",
        ).format(
            p=program,
            d=bs.as_of.isoformat(),
            c=pick(lang, " ({c})", "（{c}）").format(c=cur) if cur else "",
            n=partners_text(len(bs.balances), lang),
        )
    ]
    sep = pick(lang, ": ", "：")
    for b in bs.balances:
        figures = {name: getattr(b, name) for name in FIGURES}
        out.append(f"  {b.partner_id}{sep}{_figures(figures, lang, places)}")
    if bs.balances:
        zero = Money.zero(bs.balances[0].currency)
        total = {n: sum((getattr(b, n) for b in bs.balances), zero) for n in FIGURES}
        out.append(pick(lang, "Total", "合计") + sep + _figures(total, lang, places))
    return "\n".join(out)
