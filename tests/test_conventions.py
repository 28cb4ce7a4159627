"""Conventions every public name follows: enums and labels, frozen models, schemas, exports."""

from __future__ import annotations

import ast
import importlib
import inspect
import itertools
import os
import sys
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


def _attribute_docstrings() -> set[str]:
    """Module-level names whose assignment is followed by a string: an attribute docstring."""
    found: set[str] = set()
    for path in Path(channelkit.__file__).parent.rglob("*.py"):
        body = ast.parse(path.read_text(encoding="utf-8")).body
        for stmt, after in itertools.pairwise(body):
            target = stmt.targets[0] if isinstance(stmt, ast.Assign) else getattr(stmt, "target", 0)
            if (
                isinstance(stmt, ast.Assign | ast.AnnAssign)
                and isinstance(target, ast.Name)
                and isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)
            ):
                found.add(target.id)
    return found


def test_every_public_name_is_documented() -> None:
    """Classes, functions and modules by their docstring; constants by an attribute docstring."""
    attributes = _attribute_docstrings()
    for name in channelkit.__all__:
        if name == "__version__":
            continue
        obj = getattr(channelkit, name)
        if inspect.isclass(obj) or inspect.isroutine(obj) or inspect.ismodule(obj):
            assert inspect.getdoc(obj), name
        else:
            assert name in attributes, f"the constant {name} has no attribute docstring"


def test_version_comes_from_the_metadata() -> None:
    from importlib.metadata import version

    assert channelkit.__version__ == version("channelkit")


def test_root_all_has_no_duplicates_and_every_name_resolves() -> None:
    assert len(channelkit.__all__) == len(set(channelkit.__all__))
    for name in channelkit.__all__:
        assert hasattr(channelkit, name), name


def _names_txt() -> dict[str, list[str]]:
    """The contract's names by area; missing is a skip on a laptop and a failure in CI."""
    if not NAMES_TXT.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{NAMES_TXT} is missing: CI must check out shared/design beside the repo")
        pytest.skip("shared/design is not beside the checkout")
    areas: dict[str, list[str]] = {}
    for line in NAMES_TXT.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            area, names = line.split(":", 1)
            areas[area.strip()] = names.split()
    return areas


# areas names.txt already lists whose capabilities are later issues (none left)
NOT_YET: set[str] = set()


def test_kernel_contract_names_import_from_the_root() -> None:
    names = _names_txt()["kernel"]
    missing = [n for n in names if not hasattr(channelkit, n)]
    assert not missing, missing


def test_every_contract_name_imports_from_the_root() -> None:
    areas = _names_txt()
    unknown = (
        set(areas)
        - NOT_YET
        - {"kernel", "rebates", "scoring-tiers", "credit", "kpi"}
        - {
            "conflicts",
            "risk",
            "review",
            "errors",
        }
        - {"programmes", "time", "design-tools"}
        - {"incentives"}
    )
    assert not unknown, f"names.txt has areas this test does not know: {sorted(unknown)}"
    for area, names in areas.items():
        if area in NOT_YET:
            continue
        missing = [n for n in names if n not in channelkit.__all__ or not hasattr(channelkit, n)]
        assert not missing, (area, missing)


def test_a_missing_names_txt_fails_in_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys.modules[__name__], "NAMES_TXT", tmp_path / "names.txt")
    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception, match="CI must check out shared/design"):
        _names_txt()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        _names_txt()


# every name the root exported before the export lists were written once per area (issue #10)
PUBLIC_BEFORE_10 = """
    __version__ Money allocate Period Frequency ChannelkitError CurrencyMismatchError
    UndefinedRatioError InvalidTransitionError PolicyError ArgumentError ArgumentTypeError
    FrameError LabeledEnum Explainable Direction Severity schemas Partner PartnerKind
    PartnerStatus Transaction TransactionKind FinancialStatement Metric Scorecard MissingMetric
    Score ScorePart score Requirement TierBenefits Tier RebatePolicy Bracket Condition PayoutStep
    Scope RebateBasis TierMode Boundary RebateForm AdjustmentKind RebateResult RebateLine
    NextBracket Adjustment Settlement Accrual compute_rebate rebate_amounts settle settle_all
    accrue achievement TierProgram TierChange Gap TierDecision assign_tier Exposure ExposureKind
    CreditPolicy CreditOutcome OpenItem AgingBucket Aging aging check_order CreditDecision
    CreditReason CreditReasonCode propose_credit_limit CreditLimitProposal LimitMethod Combine
    LimitBound kpi financial_ratios RatioReport Balances review ChannelReview Figures PartnerRow
    GroupRow Coverage Concentration Conflict ConflictType ConflictCause ConflictStatus Resolution
    transition DealRegistration DealStatus detect_price_violations detect_territory_diversion
    detect_deal_overlaps detect_channel_overlap detect_conflicts recommend Recommendation Stage
    RiskItem RiskCategory RiskStatus Indicator Signal signal RiskMatrix assess RiskAssessment
    heatmap summarize RiskSummary
""".split()  # noqa: SIM905 - a word list reads better than 117 quoted lines


def test_no_public_name_was_dropped() -> None:
    missing = [n for n in PUBLIC_BEFORE_10 if n not in channelkit.__all__]
    assert not missing, missing


AREAS = ["scoring", "tiers", "rebates", "credit", "review", "conflicts", "risk", "incentives"]


@pytest.mark.parametrize("area", AREAS)
def test_the_root_re_exports_each_area_list_as_is(area: str) -> None:
    """Each area's ``__all__`` is the one list of its names: the root adds every one of them,
    bound to the very object the area exports, in the area's order (a name the kernel or an
    earlier area already listed, such as ``Severity``, keeps its first place)."""
    module = importlib.import_module(f"channelkit.{area}")
    for name in module.__all__:
        assert name in channelkit.__all__, (area, name)
        assert getattr(channelkit, name) is getattr(module, name), (area, name)
    first = channelkit.__all__.index(module.__all__[0])
    earlier = set(channelkit.__all__[:first])
    own = [n for n in module.__all__ if n not in earlier]
    assert channelkit.__all__[first : first + len(own)] == own


def test_the_root_lists_areas_grouped_in_order() -> None:
    """The kernel first, then each area's names together, in the documented order."""
    first = {
        area: channelkit.__all__.index(importlib.import_module(f"channelkit.{area}").__all__[0])
        for area in AREAS
    }
    assert channelkit.__all__.index("Money") < min(first.values())
    assert list(first.values()) == sorted(first.values())
    assert first["credit"] < channelkit.__all__.index("kpi") < first["review"]


def test_kpi_ratios_stay_in_their_module() -> None:
    assert "current_ratio" not in channelkit.__all__
    assert channelkit.kpi.current_ratio is importlib.import_module("channelkit.kpi").current_ratio


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
