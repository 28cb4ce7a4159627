"""A model's JSON is the same in every interpreter run: its sets are listed sorted.

A ``frozenset`` iterates in its members' hash order, and a string's hash changes between runs
(``PYTHONHASHSEED``); every set field is serialized through ``model.SORTED_IN_JSON``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from channelkit import CreditPolicy, FundProgram, Partner, Scope
from channelkit.credit import ExposureKind
from channelkit.testing import credit_policies, fund_programs, partners, scopes

_SETS: dict[type[Any], tuple[str, ...]] = {
    Partner: ("territories",),
    Scope: ("skus", "exclude_skus", "territories", "customers", "categories"),
    FundProgram: ("activities",),
    CreditPolicy: ("include",),
}


def _check(model: Any) -> None:
    text = model.model_dump_json()
    data = json.loads(text)
    for name in _SETS[type(model)]:
        value = getattr(model, name)
        if value is None:
            assert data[name] is None
        else:
            assert data[name] == sorted(
                json.loads(json.dumps([getattr(v, "value", v) for v in value]))
            )
    assert type(model).model_validate_json(text) == model
    assert model.model_dump()[_SETS[type(model)][0]] == getattr(model, _SETS[type(model)][0])


@given(st.one_of(partners(), scopes(), fund_programs(), credit_policies()))
def test_sets_are_sorted_in_json_and_round_trip(model: Any) -> None:
    _check(model)


def test_hand_made_sets_are_sorted() -> None:
    p = Partner(
        id="D1",
        name="East",
        kind="distributor",
        territories=frozenset({"WEST", "EAST", "NORTH"}),
        currency="CNY",
        payment_terms_days=30,
        joined=dt.date(2024, 1, 1),
    )
    assert json.loads(p.model_dump_json())["territories"] == ["EAST", "NORTH", "WEST"]
    assert p.model_dump()["territories"] == frozenset({"WEST", "EAST", "NORTH"})
    policy = CreditPolicy(include={ExposureKind.RECEIVABLES, ExposureKind.OPEN_ORDERS})
    assert json.loads(policy.model_dump_json())["include"] == ["open_orders", "receivables"]


_PROGRAM = """
import datetime as dt
from channelkit import Partner, Scope
p = Partner(id="D1", name="x", kind="dealer", currency="CNY", payment_terms_days=30,
            joined=dt.date(2024, 1, 1),
            territories=frozenset(f"T{i}" for i in range(40)))
s = Scope(customers=frozenset(f"C{i}" for i in range(40)), categories=frozenset({"B", "A/x", "C"}))
print(p.model_dump_json() + s.model_dump_json())
"""


def test_json_is_the_same_under_another_hash_seed() -> None:
    """Two runs with different string hashes print the same JSON (the bug this guards)."""
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", _PROGRAM], env=env, capture_output=True, text=True, check=True
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1
