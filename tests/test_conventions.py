"""Conventions every public name follows: enums and labels, frozen models, schemas, exports."""

from __future__ import annotations

import inspect
from datetime import date
from enum import StrEnum
from pathlib import Path

import pytest
from pydantic import BaseModel

import channelkit
from channelkit import LabeledEnum, Period, schemas
from channelkit.labels import check_lang, fmt_amount, fmt_pct, pick
from channelkit.schemas import public_models

NAMES_TXT = Path(__file__).resolve().parents[1].parent / "shared" / "design" / "names.txt"


def _public_enums() -> list[type[LabeledEnum]]:
    return [
        obj
        for name in channelkit.__all__
        if inspect.isclass(obj := getattr(channelkit, name))
        and issubclass(obj, StrEnum)
        and obj is not LabeledEnum
    ]


def test_every_public_enum_is_labelled_in_both_languages() -> None:
    enums = _public_enums()
    assert len(enums) >= 6
    for enum in enums:
        assert issubclass(enum, LabeledEnum), enum
        for member in enum:
            assert member.value == member.name.lower(), member
            assert member.label("en").strip(), member
            assert member.label("zh").strip(), member
            assert member.label() == member.label("en")


def test_labels_and_languages() -> None:
    assert pick("en", "rebate", "返利") == "rebate"
    assert pick("zh", "rebate", "返利") == "返利"
    with pytest.raises(ValueError, match="lang must be 'en' or 'zh', got 'fr'"):
        check_lang("fr")
    assert fmt_pct(fmt_amount_check := __import__("decimal").Decimal("0.5")) == "50%"
    assert fmt_amount(fmt_amount_check) == "0.50"


def test_a_labelled_enum_without_labels_gets_readable_defaults() -> None:
    class Colour(LabeledEnum):
        DARK_RED = "dark_red"

    assert Colour.DARK_RED.label() == "Dark red"
    assert Colour.DARK_RED.label("zh") == "Dark red"


def test_every_public_model_is_frozen_and_forbids_extra() -> None:
    models = public_models()
    assert {"Partner", "Transaction", "FinancialStatement", "Period"} <= set(models)
    for name, model in models.items():
        assert model.model_config.get("frozen") is True, name
        assert model.model_config.get("extra") == "forbid", name


def test_every_public_model_field_is_documented() -> None:
    for name, model in public_models().items():
        for field, info in model.model_fields.items():
            assert info.description, f"{name}.{field} has no attribute docstring"


def test_schemas_cover_every_public_model() -> None:
    s = schemas()
    assert set(public_models()) | {"Money"} == set(s)
    for name, schema in s.items():
        assert schema["type"] == "object", name
        assert schema.get("additionalProperties") is False, name


def test_every_public_name_is_documented() -> None:
    for name in channelkit.__all__:
        if name == "__version__":
            continue
        obj = getattr(channelkit, name)
        assert inspect.getdoc(obj), name


def test_version_comes_from_the_metadata() -> None:
    from importlib.metadata import version

    assert channelkit.__version__ == version("channelkit")


def test_root_all_has_no_duplicates_and_every_name_resolves() -> None:
    assert len(channelkit.__all__) == len(set(channelkit.__all__))
    for name in channelkit.__all__:
        assert hasattr(channelkit, name), name


@pytest.mark.skipif(not NAMES_TXT.exists(), reason="shared/design is not beside the checkout")
def test_kernel_contract_names_import_from_the_root() -> None:
    for line in NAMES_TXT.read_text(encoding="utf-8").splitlines():
        if line.startswith("kernel:"):
            names = line.split(":", 1)[1].split()
            missing = [n for n in names if not hasattr(channelkit, n)]
            assert not missing, missing
            break
    else:  # pragma: no cover - names.txt always has a kernel line
        pytest.fail("names.txt has no kernel line")


def test_models_subclass_the_shared_base() -> None:
    from channelkit.model import Model

    for name, model in public_models().items():
        assert issubclass(model, Model), name
        assert issubclass(model, BaseModel)


def test_result_models_fit_trusted_construction() -> None:
    """``channelkit.model.trusted`` skips aliases, private attributes and post-init: no public
    model it may build has any (TierProgram, an input model with a private index, is never
    built that way)."""
    from channelkit.model import trusted

    for name, model in public_models().items():
        if name == "TierProgram":
            continue
        assert not model.__private_attributes__, name
        assert not model.__pydantic_post_init__, name
        for field in model.model_fields.values():
            assert field.alias is None, name
            assert field.validation_alias is None, name
    period = trusted(Period, {"start": date(2026, 1, 1), "end": date(2026, 2, 1)})
    assert period == Period.month(2026, 1)
    assert hash(period) == hash(Period.month(2026, 1))
    assert period.model_fields_set == {"start", "end"}
    assert period.model_copy(update={"end": date(2026, 3, 1)}).days == 59
    assert period.model_fields_set == {"start", "end"}
