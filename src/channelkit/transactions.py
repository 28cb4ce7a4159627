"""Transactions: the sales, returns and payments every channel calculation reads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Self

from pydantic import model_validator

from channelkit.labels import LabeledEnum
from channelkit.model import Id, Model
from channelkit.money import Money
from channelkit.numeric import NonNegativeDecimal

__all__ = ["Transaction", "TransactionKind"]


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
        return self
