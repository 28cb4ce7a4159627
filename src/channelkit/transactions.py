"""Transactions: the sales, returns and payments every channel calculation reads."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Final, Self

from pydantic import AfterValidator, model_validator

from channelkit.labels import LabeledEnum
from channelkit.model import Id, Model
from channelkit.money import Money
from channelkit.numeric import NonNegativeDecimal

__all__ = ["Category", "Transaction", "TransactionKind", "WHITE_SPACE"]

WHITE_SPACE: Final = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
"""The characters an :data:`~channelkit.model.Id` may not consist of only, as a regex class body.

Unicode's ``White_Space`` property, which is what the ``Id`` pattern's ``\\S`` means to pydantic
(``\\x1c``-``\\x1f``, which Python's ``str.isspace`` also counts, are not in it). The columnar
checks of ``channelkit.frames`` use the same class, so a row and a model agree on every id.
"""

_NON_SPACE: Final = re.compile(f"[^{WHITE_SPACE}]")


def _check_category(path: str) -> str:
    for segment in path.split("/"):
        if not _NON_SPACE.search(segment):
            msg = (
                "category must be a '/'-separated path without empty segments "
                f"(such as 'Electronics/Phones'), got {path!r}"
            )
            raise ValueError(msg)
    return path


Category = Annotated[str, AfterValidator(_check_category)]
"""A product category: a ``/``-separated path, most general first, every segment non-blank."""


class TransactionKind(LabeledEnum):
    """What a transaction records; its amount is always positive and the kind gives the sign."""

    SALE = "sale", "Sale", "销售"
    RETURN = "return", "Return", "退货"
    PAYMENT = "payment", "Payment", "回款"


class Transaction(Model):
    """One sale, return or payment, by a partner or (``partner_id=None``) the vendor directly.

    Examples
    --------
    >>> t = Transaction(id="T1", partner_id="D1", date=dt.date(2026, 1, 5),
    ...                 kind=TransactionKind.SALE, amount=Money("1200.00", "CNY"),
    ...                 quantity=10, sku="A-100", unit_price=Money(120, "CNY"))
    >>> t.amount, t.quantity
    (Money('1200.00', 'CNY'), Decimal('10'))

    A return may say which sale it returns, and a sale or return its cost of goods:

    >>> r = Transaction(id="R1", partner_id="D1", date=dt.date(2026, 1, 9),
    ...                 kind=TransactionKind.RETURN, amount=Money("120.00", "CNY"),
    ...                 cost=Money("80.00", "CNY"), category="Electronics/Phones",
    ...                 refers_to="T1")
    >>> r.refers_to, r.cost
    ('T1', Money('80.00', 'CNY'))
    """

    id: Id
    """The transaction's identifier."""
    partner_id: Id | None
    """The partner that sold, returned or paid; ``None`` for the vendor's own direct sale."""
    date: dt.date
    """The day it happened."""
    kind: TransactionKind
    """Sale, return or payment."""
    amount: Money
    """The amount, positive; a return or payment is not written negative."""
    quantity: NonNegativeDecimal = Decimal(0)
    """Units sold or returned (0 for payments)."""
    sku: Id | None = None
    """The product's stock-keeping unit, when known."""
    unit_price: Money | None = None
    """The price per unit charged, in the currency of ``amount``."""
    territory: Id | None = None
    """The territory the goods were sold into."""
    customer_id: Id | None = None
    """The end customer, when known."""
    cost: Money | None = None
    """The cost of goods of a sale or return, in the currency of ``amount``, not negative
    (a payment has none)."""
    category: Category | None = None
    """The product category as a ``/``-separated path, most general first
    (``"Electronics/Phones/Android"``), without empty segments."""
    refers_to: Id | None = None
    """For a return, the id of the sale it returns; for a payment, the id of the sale (invoice)
    it pays; a sale refers to nothing."""

    @model_validator(mode="after")
    def _check_amounts(self) -> Self:
        if self.amount.amount <= 0:
            msg = f"amount must be positive (the kind gives the sign), got {self.amount}"
            raise ValueError(msg)
        price = self.unit_price
        if price is not None:
            if price.currency != self.amount.currency:
                msg = f"unit_price is in {price.currency} but amount is in {self.amount.currency}"
                raise ValueError(msg)
            if price.amount < 0:
                msg = f"unit_price must not be negative, got {price}"
                raise ValueError(msg)
        cost = self.cost
        if cost is not None:
            if cost.currency != self.amount.currency:
                msg = f"cost is in {cost.currency} but amount is in {self.amount.currency}"
                raise ValueError(msg)
            if cost.amount < 0:
                msg = f"cost must not be negative, got {cost}"
                raise ValueError(msg)
            if self.kind is TransactionKind.PAYMENT:
                msg = f"cost: a payment has no cost of goods, got {cost}"
                raise ValueError(msg)
        if self.refers_to is not None and self.kind is TransactionKind.SALE:
            msg = f"refers_to: a sale refers to no other transaction, got {self.refers_to!r}"
            raise ValueError(msg)
        return self
