"""channelkit.testing: the strategies are valid, registered, and every model round-trips JSON."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from channelkit import Money, Partner, Period
from channelkit.schemas import public_models
from channelkit.testing import _registry, register

REGISTERED = _registry()
MODELS = sorted(
    (tp for tp in REGISTERED if isinstance(tp, type) and issubclass(tp, BaseModel)),
    key=lambda tp: tp.__name__,
)


def test_registry_covers_the_kernel_and_facts() -> None:
    assert {Money, Period, Partner} <= set(REGISTERED)
    register()  # idempotent


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_registered_model_round_trips_through_json(model: type[BaseModel]) -> None:
    @settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
    @given(st.from_type(model))
    def check(instance: Any) -> None:
        assert isinstance(instance, model)
        assert model.model_validate_json(instance.model_dump_json()) == instance

    check()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_registered_models_are_public(model: type[BaseModel]) -> None:
    assert model.__name__ in public_models()


def test_every_public_model_has_a_strategy() -> None:
    missing = [name for name, model in public_models().items() if model not in _registry()]
    assert not missing, missing


@given(st.from_type(Money))
def test_from_type_money_is_registered(m: Money) -> None:
    assert isinstance(m, Money)


def test_the_entry_point_hook_registers_or_defers(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    import types

    from channelkit._hypothesis import _hypothesis_setup_hook

    _hypothesis_setup_hook()  # the module is ready: importing it again is a no-op
    half = types.ModuleType("channelkit.testing")
    monkeypatch.setitem(sys.modules, "channelkit.testing", half)
    _hypothesis_setup_hook()  # half-imported: the hook defers and touches nothing
    assert not hasattr(half, "register")


def test_importing_testing_before_hypothesis_works() -> None:
    import subprocess
    import sys

    code = (
        "import channelkit.testing\n"
        "from hypothesis import strategies as st\n"
        "from channelkit import Partner\n"
        "assert isinstance(st.from_type(Partner).example(), Partner)\n"
    )
    subprocess.run([sys.executable, "-W", "ignore", "-c", code], check=True)
