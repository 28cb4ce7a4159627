"""Hypothesis strategies for the kernel and the facts: money, periods, partners, transactions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from channelkit.currencies import CURRENCIES
from channelkit.money import Money
from channelkit.partners import Partner, PartnerKind, PartnerStatus
from channelkit.periods import Period
from channelkit.statements import FinancialStatement
from channelkit.transactions import Transaction, TransactionKind

__all__ = [
    "amounts",
    "currencies",
    "financial_statements",
    "ids",
    "money",
    "partners",
    "periods",
    "transactions",
]

_DEFAULT_MAX = Decimal(10) ** 12
_COMMON = ("CNY", "USD", "EUR", "JPY", "KWD", "GBP")
_CATEGORIES = ("Electronics", "Electronics/Phones", "Electronics/Phones/Android", "Home/Kitchen")


def ids(prefix: str = "") -> st.SearchStrategy[str]:
    """Non-empty identifiers such as ``"P7"``, optionally with ``prefix``."""
    return st.integers(min_value=0, max_value=9999).map(lambda n: f"{prefix}{n}")


_ids = ids  # the strategies below take an ``ids`` argument that shadows the function


def currencies(*, common: bool = True) -> st.SearchStrategy[str]:
    """Known ISO 4217 codes: a few common ones (0, 2 and 3 places), or any (``common=False``)."""
    return st.sampled_from(_COMMON if common else sorted(CURRENCIES))


_currencies = currencies


def amounts(
    *,
    min_value: Decimal | int = -_DEFAULT_MAX,
    max_value: Decimal | int = _DEFAULT_MAX,
    places: int | st.SearchStrategy[int] = 2,
) -> st.SearchStrategy[Decimal]:
    """Finite decimals in ``[min_value, max_value]`` with ``places`` decimal places."""
    place_st = places if isinstance(places, st.SearchStrategy) else st.just(places)
    return place_st.flatmap(
        lambda p: st.decimals(
            min_value=Decimal(min_value),
            max_value=Decimal(max_value),
            places=p,
            allow_nan=False,
            allow_infinity=False,
        )
    )


def money(
    currencies: st.SearchStrategy[str] | None = None,
    *,
    min_value: Decimal | int = -_DEFAULT_MAX,
    max_value: Decimal | int = _DEFAULT_MAX,
    minor_units: bool = True,
) -> st.SearchStrategy[Money]:
    """``Money`` in a drawn currency.

    ``minor_units=True`` keeps amounts on the currency's grid, otherwise up to six extra decimal
    places (as intermediate results have).
    """
    cur_st = currencies if currencies is not None else _currencies()

    def build(cur: str) -> st.SearchStrategy[Money]:
        places = CURRENCIES[cur] if minor_units else CURRENCIES[cur] + 6
        return amounts(min_value=min_value, max_value=max_value, places=places).map(
            lambda a: Money(a, cur)
        )

    return cur_st.flatmap(build)


def periods(
    *,
    min_value: dt.date = dt.date(2000, 1, 1),
    max_value: dt.date = dt.date(2100, 12, 31),
    max_days: int = 800,
) -> st.SearchStrategy[Period]:
    """Periods starting in ``[min_value, max_value]`` and 1 to ``max_days`` days long."""
    return st.builds(
        lambda start, days: Period(start, start + dt.timedelta(days=days)),
        st.dates(min_value=min_value, max_value=max_value),
        st.integers(min_value=1, max_value=max_days),
    )


def partners(
    *,
    ids: st.SearchStrategy[str] | None = None,
    currencies: st.SearchStrategy[str] | None = None,
    territories: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[Partner]:
    """Valid partners; ids, currencies and territory codes can be given as strategies."""
    id_st = ids if ids is not None else _ids("P")
    cur_st = currencies if currencies is not None else _currencies()
    terr_st = territories if territories is not None else st.sampled_from(["N", "S", "E", "W"])

    @st.composite
    def build(draw: st.DrawFn) -> Partner:
        pid = draw(id_st)
        cur = draw(cur_st)
        limit = draw(
            st.none()
            | amounts(min_value=0, max_value=10**9, places=CURRENCIES[cur]).map(
                lambda a: Money(a, cur)
            )
        )
        parent = draw(st.none() | id_st.filter(lambda x: x != pid))
        return Partner(
            id=pid,
            name=draw(st.text(min_size=1, max_size=20)),
            kind=draw(st.sampled_from(PartnerKind)),
            tier=draw(st.none() | st.sampled_from(["GOLD", "SILVER", "BRONZE"])),
            parent_id=parent,
            territories=draw(st.frozensets(terr_st, max_size=3)),
            exclusive=draw(st.booleans()),
            currency=cur,
            credit_limit=limit,
            payment_terms_days=draw(st.integers(min_value=0, max_value=180)),
            joined=draw(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 1, 1))),
            status=draw(st.sampled_from(PartnerStatus)),
        )

    return build()


def transactions(
    *,
    ids: st.SearchStrategy[str] | None = None,
    partner_ids: st.SearchStrategy[str | None] | None = None,
    currencies: st.SearchStrategy[str] | None = None,
    dates: st.SearchStrategy[dt.date] | None = None,
    kinds: st.SearchStrategy[TransactionKind] | None = None,
    max_amount: Decimal | int = 10**7,
) -> st.SearchStrategy[Transaction]:
    """Valid transactions (positive amounts, unit price in the amount's currency).

    Sometimes a cost of goods (never for a payment), a category path and, for a return or a
    payment, the id of the sale it refers to.
    """
    id_st = ids if ids is not None else _ids("T")
    pid_st = partner_ids if partner_ids is not None else st.none() | _ids("P")
    cur_st = currencies if currencies is not None else _currencies()
    date_st = (
        dates
        if dates is not None
        else st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))
    )
    kind_st = kinds if kinds is not None else st.sampled_from(TransactionKind)

    @st.composite
    def build(draw: st.DrawFn) -> Transaction:
        cur = draw(cur_st)
        places = CURRENCIES[cur]
        step = Decimal(1).scaleb(-places)
        amount = draw(amounts(min_value=step, max_value=max_amount, places=places))
        kind = draw(kind_st)
        quantity = (
            Decimal(0)
            if kind is TransactionKind.PAYMENT
            else draw(st.integers(min_value=0, max_value=1000).map(Decimal))
        )
        price = None
        if quantity and draw(st.booleans()):
            price = Money(amount / quantity, cur)
        cost = None
        if kind is not TransactionKind.PAYMENT and draw(st.booleans()):
            cost = Money(draw(amounts(min_value=0, max_value=max_amount, places=places)), cur)
        refers_to = None if kind is TransactionKind.SALE else draw(st.none() | _ids("T"))
        return Transaction(
            id=draw(id_st),
            partner_id=draw(pid_st),
            date=draw(date_st),
            kind=kind,
            amount=Money(amount, cur),
            quantity=quantity,
            sku=None
            if kind is TransactionKind.PAYMENT
            else draw(st.none() | st.sampled_from(["A", "B", "C"])),
            unit_price=price,
            territory=draw(st.none() | st.sampled_from(["N", "S", "E", "W"])),
            customer_id=draw(st.none() | _ids("C")),
            cost=cost,
            category=draw(st.none() | st.sampled_from(_CATEGORIES)),
            refers_to=refers_to,
        )

    return build()


def financial_statements(
    *, currencies: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[FinancialStatement]:
    """Statements with each figure known or ``None``; signed figures may be negative."""
    cur_st = currencies if currencies is not None else _currencies()
    nonneg = st.none() | amounts(min_value=0, max_value=10**10)
    signed = st.none() | amounts(min_value=-(10**10), max_value=10**10)
    return st.builds(
        FinancialStatement,
        currency=cur_st,
        period_end=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)),
        partner_id=st.none() | _ids("P"),
        **dict.fromkeys(_NONNEG, nonneg),
        **dict.fromkeys(("operating_income", "net_income", "equity"), signed),
    )


_NONNEG = [
    "net_sales",
    "cogs",
    "expenses",
    "cash",
    "short_term_investments",
    "receivables",
    "inventory",
    "current_assets",
    "total_assets",
    "accounts_payable",
    "current_liabilities",
    "total_liabilities",
    "debt",
]

REGISTRY: dict[type, Callable[[], st.SearchStrategy[Any]]] = {
    Money: money,
    Period: periods,
    Partner: partners,
    Transaction: transactions,
    FinancialStatement: financial_statements,
}
"""The types this module's strategies are registered for with ``st.from_type``."""
