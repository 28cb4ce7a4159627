"""Credit control under hostile input (issue #10; API.md, "Hostile input").

Each calculator of the area (``check_order``, ``aging``, ``propose_credit_limit``, ``bucket_for``
and ``Exposure.total``) is called with one argument of a valid call replaced by a hostile value
(a wrong type, a float, NaN, a huge or tiny number, a dict, ``None``...) and with valid but
extreme numbers. A call may raise only a ``ChannelkitError`` (or a pydantic ``ValidationError``);
one that returns gives a result that prints, explains itself in both languages and reads back
from its own JSON; and no call reads or changes the caller's decimal context.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Context, Decimal, localcontext
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from channelkit import (
    ChannelkitError,
    CreditPolicy,
    Exposure,
    FinancialStatement,
    Money,
    OpenItem,
    aging,
    check_order,
    propose_credit_limit,
)
from channelkit.credit.openitems import bucket_for

AS_OF = dt.date(2026, 9, 30)
TOP = Decimal("999999999999999.9999999999999999999")  # the largest input number (34 digits)


def cny(a: object) -> Money:
    return Money(a, "CNY")  # type: ignore[arg-type]


E = Exposure(
    receivables=cny(300_000),
    open_orders=cny(50_000),
    unbilled_deliveries=cny(20_000),
    unposted_invoices=cny(10_000),
)
ITEMS = [
    OpenItem(id="I1", amount=cny(700), due=AS_OF - dt.timedelta(days=10)),
    OpenItem(id="I2", amount=cny(300), due=AS_OF - dt.timedelta(days=45)),
]
AGED = aging(ITEMS, AS_OF)
POLICY = CreditPolicy(tolerance="0.05", max_document_value=10_000, max_overdue_days=30)
STATEMENT = FinancialStatement(
    currency="CNY",
    period_end=dt.date(2025, 12, 31),
    equity=2_345_678,
    current_assets=3_000_000,
    current_liabilities=1_800_000,
)

# A valid call of each calculator, as keyword arguments (positional ones by their names).
CALLS: dict[str, tuple[Callable[..., Any], dict[str, Any]]] = {
    "check_order": (
        lambda limit, exposure, order, policy, aging: check_order(
            limit, exposure, order, policy, aging=aging
        ),
        {
            "limit": cny(400_000),
            "exposure": E,
            "order": cny(30_000),
            "policy": POLICY,
            "aging": AGED,
        },
    ),
    "aging": (
        lambda items, as_of, grace_days, currency: aging(
            items, as_of, grace_days=grace_days, currency=currency
        ),
        {"items": ITEMS, "as_of": AS_OF, "grace_days": 5, "currency": "CNY"},
    ),
    "propose_credit_limit": (
        propose_credit_limit,
        {
            "statement": STATEMENT,
            "monthly_sales": cny(300_000),
            "terms_days": 45,
            "grace_days": 15,
            "methods": None,
            "combine": "median",
            "multiplier": Decimal("1.2"),
            "round_down_to": Decimal(1000),
            "floor": Decimal(1),
            "ceiling": cny(10**9),
            "currency": "CNY",
            "net_worth_rate": Decimal("0.1"),
            "working_capital_rate": Decimal("0.1"),
        },
    ),
    "bucket_for": (bucket_for, {"days_past_due": 45, "grace_days": 5}),
    "Exposure.total": (lambda include: E.total(include), {"include": None}),
}

HOSTILE: list[Any] = [
    None,
    True,
    0,
    -1,
    10**9,
    2**63,
    -(10**4000),
    1.5,
    float("nan"),
    float("inf"),
    "",
    "abc",
    "cny",
    "1e999999",
    "0E-999999999",
    "1e-999999",
    "NaN",
    "1" * 40,
    Decimal("NaN"),
    Decimal("sNaN"),
    Decimal("-Infinity"),
    Decimal("1e999999"),
    Decimal("1e-999999"),
    Decimal("0E-999999999"),
    Decimal("-0"),
    Decimal("1e-34"),
    TOP,
    -TOP,
    Decimal("0." + "1" * 40),
    b"bytes",
    object(),
    dt.date(1, 1, 1),
    dt.date(9999, 12, 31),
    dt.datetime(2026, 1, 1, 12, 0),
    {},
    {"id": "P"},
    {"amount": "1", "currency": "CNY"},
    [],
    [None],
    [1.5],
    ["abc"],
    ["net_worth", "net_worth"],
    (),
    frozenset({"x"}),
    Money(1, "USD"),
    Money(-1, "CNY"),
    Money(0, "CNY"),
    Money(TOP, "CNY"),
    Money("1e-34", "CNY"),
    Money("0.001", "KWD"),
    cny(10**14) * 10**20,  # 10**34: arithmetic makes it, no argument may be it
    cny(1) * Decimal("1e-60"),
    E,
    POLICY,
    AGED,
    STATEMENT,
    ITEMS,
    [ITEMS[0], ITEMS[0]],
]


def _check_result(result: object) -> None:
    """A result prints, explains itself in both languages and reads back from its own JSON."""
    repr(result)
    str(result)
    if isinstance(result, BaseModel):
        for lang in ("en", "zh"):
            text = result.explain(lang)  # type: ignore[attr-defined]
            assert len(text) < 10_000
        assert type(result).model_validate_json(result.model_dump_json()) == result


def _call(name: str, args: dict[str, Any]) -> None:
    function, _ = CALLS[name]
    hostile = Context(prec=3, Emax=9, Emin=-9, traps=[])
    with localcontext(hostile) as ctx:
        try:
            result = function(**args)
        except (ChannelkitError, ValidationError):
            result = None
        flags = [f.__name__ for f, on in ctx.flags.items() if on]
    assert flags == [], f"{name} computed in the caller's context: {flags}"
    _check_result(result)


def test_the_valid_calls_succeed() -> None:
    for function, args in CALLS.values():
        _check_result(function(**args))


@pytest.mark.parametrize(
    ("name", "argument"),
    [(name, argument) for name, (_, args) in CALLS.items() for argument in args],
)
def test_every_hostile_value_in_every_argument(name: str, argument: str) -> None:
    _, valid = CALLS[name]
    for value in HOSTILE:
        _call(name, valid | {argument: value})


@pytest.mark.parametrize("name", sorted(CALLS))
@given(data=st.data())
def test_hostile_numbers_from_hypothesis(name: str, data: st.DataObject) -> None:
    _, valid = CALLS[name]
    argument = data.draw(st.sampled_from(sorted(valid)), label="argument")
    value = data.draw(
        st.decimals(allow_nan=True, allow_infinity=True)
        | st.floats()
        | st.integers()
        | st.text(max_size=50)
        | st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
        label="value",
    )
    _call(name, valid | {argument: value})


# -- valid but extreme: every number anywhere in the input bounds ---------------------------------


@st.composite
def _in_bounds(draw: st.DrawFn) -> Decimal:
    """A positive number anywhere in the input bounds: up to 34 digits, from 10**-34 to TOP."""
    coefficient = str(draw(st.integers(min_value=1, max_value=10**34 - 1)))
    adjusted = draw(st.integers(min_value=-34, max_value=14))
    return Decimal(f"{coefficient[0]}.{coefficient[1:]}E{adjusted}")


IN_BOUNDS = _in_bounds()


@given(
    monthly=IN_BOUNDS,
    multiplier=IN_BOUNDS | st.just(Decimal(0)),
    step=st.none() | IN_BOUNDS,
    rate=IN_BOUNDS,
    terms=st.integers(min_value=0, max_value=10**9 - 1),
    grace=st.integers(min_value=0, max_value=10**9 - 1),
    combine=st.sampled_from(["min", "mean", "median"]),
)
def test_proposals_anywhere_in_the_input_bounds(
    monthly: Decimal,
    multiplier: Decimal,
    step: Decimal | None,
    rate: Decimal,
    terms: int,
    grace: int,
    combine: str,
) -> None:
    p = propose_credit_limit(
        statement=STATEMENT,
        monthly_sales=monthly,
        terms_days=terms,
        grace_days=grace,
        combine=combine,
        multiplier=multiplier,
        round_down_to=step,
        net_worth_rate=rate,
        working_capital_rate=rate,
    )
    assert Decimal(0) <= p.rounded.amount <= p.multiplied.amount
    rounded = p.rounded.amount
    with localcontext(Context(prec=200)):  # exact remainders, whatever the sizes
        if len(rounded.as_tuple().digits) < 34:  # not cut to 34 digits: on the minor unit
            assert rounded % Decimal("0.01") == 0
            if step is not None and step % Decimal("0.01") == 0:
                assert rounded % step == 0  # and on a step that is on the minor unit
    _check_result(p)


@given(
    limit=st.none() | IN_BOUNDS | st.just(Decimal(0)),
    parts=st.lists(IN_BOUNDS | IN_BOUNDS.map(lambda d: -d), min_size=4, max_size=4),
    order=IN_BOUNDS | st.just(Decimal(0)),
    tolerance=IN_BOUNDS | st.just(Decimal(0)),
    warn_at=st.none() | IN_BOUNDS,
)
def test_decisions_anywhere_in_the_input_bounds(
    limit: Decimal | None,
    parts: list[Decimal],
    order: Decimal,
    tolerance: Decimal,
    warn_at: Decimal | None,
) -> None:
    exposure = Exposure(
        receivables=cny(parts[0]),
        open_orders=cny(parts[1]),
        unbilled_deliveries=cny(parts[2]),
        unposted_invoices=cny(parts[3]),
    )
    policy = CreditPolicy(tolerance=tolerance, warn_at=warn_at, max_document_value=order)
    d = check_order(None if limit is None else cny(limit), exposure, cny(order), policy)
    _check_result(d)
