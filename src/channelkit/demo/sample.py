"""The bundled sample channel: a home-appliance vendor's partners and one quarter of trading.

Everything is built in code (no files are read or written): six partners in CNY, the third
quarter of 2026 (``QUARTER``) with the same quarter of 2025 (``PRIOR``) for comparison, and per-SKU
price floors. The data is small enough to check by hand and holds one of each situation the demo
sections show: direct and partner sales, returns, payments, a partner that did not trade, a
partner new in the quarter, a sale into another partner's exclusive territory and a sale below
the price floor.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache

from channelkit.money import Money
from channelkit.partners import Partner, PartnerKind
from channelkit.periods import Period
from channelkit.transactions import Transaction, TransactionKind

__all__ = [
    "CURRENCY",
    "FLOORS",
    "PRIOR",
    "QUARTER",
    "partners",
    "transactions",
]

CURRENCY = "CNY"
QUARTER = Period.quarter(2026, 3)
"""The demo's quarter: 2026-07-01 to 2026-10-01."""
PRIOR = Period.quarter(2025, 3)
"""The same quarter a year earlier."""

FLOORS = {
    "AC-100": Money(2600, CURRENCY),
    "WM-200": Money(1700, CURRENCY),
    "RF-300": Money(3400, CURRENCY),
}
"""Minimum resale prices per SKU (价格体系)."""

_PARTNERS = (
    # id, name, kind, tier, territories, exclusive, credit limit, terms, joined
    (
        "D-NORTH",
        "Beifang Trading",
        PartnerKind.DISTRIBUTOR,
        "GOLD",
        ("BJ", "TJ"),
        True,
        800_000,
        45,
        dt.date(2021, 3, 1),
    ),
    (
        "D-EAST",
        "Donghai Distribution",
        PartnerKind.DISTRIBUTOR,
        "SILVER",
        ("SH", "JS"),
        True,
        600_000,
        30,
        dt.date(2022, 6, 15),
    ),
    (
        "R-SOUTH",
        "Nanfang Retail",
        PartnerKind.DEALER,
        "BRONZE",
        ("GD",),
        False,
        200_000,
        30,
        dt.date(2023, 1, 10),
    ),
    (
        "S-WEST",
        "Xibu Solutions",
        PartnerKind.SOLUTION_PROVIDER,
        "GOLD",
        ("SC", "CQ"),
        True,
        None,
        60,
        dt.date(2020, 9, 1),
    ),
    (
        "O-MALL",
        "Yunshang Online",
        PartnerKind.ONLINE,
        None,
        ("ONLINE",),
        False,
        150_000,
        15,
        dt.date(2026, 8, 1),
    ),
    (
        "A-CENTRAL",
        "Zhongyuan Agency",
        PartnerKind.AGENT,
        "BRONZE",
        ("HN",),
        False,
        100_000,
        30,
        dt.date(2024, 4, 1),
    ),
)

_S, _R, _P = TransactionKind.SALE, TransactionKind.RETURN, TransactionKind.PAYMENT
_TRANSACTIONS = (
    # date, partner, kind, sku, quantity, unit price (or payment amount), territory, customer
    # -- 2026 Q3 ---------------------------------------------------------------------------
    ("2026-07-03", "D-NORTH", _S, "AC-100", 40, 2900, "BJ", "C-BJ-01"),
    ("2026-07-18", "D-NORTH", _S, "RF-300", 20, 3800, "TJ", "C-TJ-01"),
    ("2026-08-05", "D-NORTH", _S, "WM-200", 60, 1900, "BJ", "C-BJ-02"),
    ("2026-08-20", "D-NORTH", _R, "AC-100", 4, 2900, "BJ", "C-BJ-01"),
    ("2026-09-10", "D-NORTH", _S, "AC-100", 50, 2850, "BJ", "C-BJ-03"),
    ("2026-07-31", "D-NORTH", _P, None, 0, 180_000, None, None),
    ("2026-09-15", "D-NORTH", _P, None, 0, 200_000, None, None),
    ("2026-07-08", "D-EAST", _S, "RF-300", 30, 3700, "SH", "C-SH-01"),
    ("2026-08-12", "D-EAST", _S, "AC-100", 35, 2800, "JS", "C-JS-01"),
    ("2026-09-02", "D-EAST", _S, "WM-200", 25, 1850, "SH", "C-SH-02"),
    ("2026-08-30", "D-EAST", _P, None, 0, 150_000, None, None),
    ("2026-07-20", "R-SOUTH", _S, "WM-200", 30, 1800, "GD", "C-GD-01"),
    ("2026-08-25", "R-SOUTH", _S, "AC-100", 12, 2750, "SH", "C-SH-03"),
    ("2026-09-05", "R-SOUTH", _R, "WM-200", 3, 1800, "GD", "C-GD-01"),
    ("2026-09-20", "R-SOUTH", _P, None, 0, 40_000, None, None),
    ("2026-07-11", "S-WEST", _S, "RF-300", 25, 3900, "SC", "C-SC-01"),
    ("2026-08-16", "S-WEST", _S, "AC-100", 20, 2950, "CQ", "C-CQ-01"),
    ("2026-09-28", "S-WEST", _P, None, 0, 120_000, None, None),
    ("2026-08-08", "O-MALL", _S, "AC-100", 15, 2450, "ONLINE", "C-WEB-01"),
    ("2026-09-12", "O-MALL", _S, "WM-200", 20, 1750, "ONLINE", "C-WEB-02"),
    ("2026-09-25", "O-MALL", _P, None, 0, 30_000, None, None),
    ("2026-07-22", None, _S, "RF-300", 10, 4000, "BJ", "C-KEY-01"),
    ("2026-09-18", None, _S, "AC-100", 8, 3000, "SC", "C-SC-01"),
    ("2026-09-19", None, _P, None, 0, 40_000, None, None),
    # -- 2025 Q3 (the prior period) --------------------------------------------------------
    ("2025-07-15", "D-NORTH", _S, "AC-100", 80, 2900, "BJ", "C-BJ-01"),
    ("2025-08-15", "D-NORTH", _S, "WM-200", 50, 1900, "TJ", "C-TJ-01"),
    ("2025-08-10", "D-EAST", _S, "RF-300", 45, 3700, "SH", "C-SH-01"),
    ("2025-09-01", "R-SOUTH", _S, "WM-200", 35, 1800, "GD", "C-GD-01"),
    ("2025-07-25", "S-WEST", _S, "RF-300", 20, 3900, "SC", "C-SC-01"),
    ("2025-09-10", "A-CENTRAL", _S, "AC-100", 10, 2900, "HN", "C-HN-01"),
    ("2025-08-20", None, _S, "RF-300", 12, 4000, "BJ", "C-KEY-01"),
)


@cache
def partners() -> tuple[Partner, ...]:
    """The six sample partners."""
    return tuple(
        Partner(
            id=pid,
            name=name,
            kind=kind,
            tier=tier,
            territories=frozenset(territories),
            exclusive=exclusive,
            currency=CURRENCY,
            credit_limit=None if limit is None else Money(limit, CURRENCY),
            payment_terms_days=terms,
            joined=joined,
        )
        for pid, name, kind, tier, territories, exclusive, limit, terms, joined in _PARTNERS
    )


@cache
def transactions() -> tuple[Transaction, ...]:
    """The sample transactions of both quarters, ids ``T001``... in the order listed."""
    out: list[Transaction] = []
    for n, (day, pid, kind, sku, qty, price, territory, customer) in enumerate(
        _TRANSACTIONS, start=1
    ):
        if kind is TransactionKind.PAYMENT:
            amount, unit_price = Money(price, CURRENCY), None
        else:
            unit_price = Money(price, CURRENCY)
            amount = unit_price * qty
        out.append(
            Transaction(
                id=f"T{n:03d}",
                partner_id=pid,
                date=dt.date.fromisoformat(day),
                kind=kind,
                amount=amount,
                quantity=Decimal(qty),
                sku=sku,
                unit_price=unit_price,
                territory=territory,
                customer_id=customer,
            )
        )
    return tuple(out)
