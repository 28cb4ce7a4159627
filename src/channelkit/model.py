"""The base configuration every channelkit model shares.

:class:`Model` is a pydantic v2 ``BaseModel`` that is frozen (immutable and hashable), forbids
unknown fields (a misspelt option fails loudly instead of being ignored), takes field descriptions
from attribute docstrings, and rejects NaN and the infinities. Decimal fields use the float-free
types of :mod:`channelkit.numeric`.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, StringConstraints

__all__ = ["Id", "Model", "trusted"]


class Model(BaseModel):
    """Base of every channelkit model: frozen, ``extra="forbid"``, strict about numbers."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        use_attribute_docstrings=True,
        validate_default=False,
        ser_json_timedelta="iso8601",
    )


Id = Annotated[str, StringConstraints(min_length=1, pattern=r"\S")]
"""A non-empty identifier (``id``, ``partner_id``, ``code``...), not only white space."""


_M = TypeVar("_M", bound=BaseModel)
_set = object.__setattr__
_EVERY_FIELD: dict[type[BaseModel], set[str]] = {}


def trusted(cls: type[_M], values: dict[str, Any]) -> _M:
    """Build ``cls`` from values that are already valid, without validating them again.

    The calculators build their results from figures they computed from validated inputs;
    validating those again would cost more than computing them. This is what
    ``cls.model_construct(**values)`` does when ``values`` holds every field, at a fraction of its
    cost: the instances of a class share one fields-set (never mutated: the models are frozen and
    pydantic copies it before ``model_copy`` changes it). Only for models without aliases,
    private attributes or ``model_post_init`` (a test checks the classes it is used with), and
    never for data from outside the library.
    """
    every = _EVERY_FIELD.get(cls)
    if every is None:
        every = _EVERY_FIELD[cls] = set(cls.__pydantic_fields__)
    obj = cls.__new__(cls)
    _set(obj, "__dict__", values)
    _set(obj, "__pydantic_fields_set__", every)
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj
