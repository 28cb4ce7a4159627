"""JSON Schemas of every public model, for services and OpenAPI documents."""

from __future__ import annotations

import inspect
from typing import Any

from pydantic import BaseModel, TypeAdapter

__all__ = ["public_models", "schemas"]


def public_models() -> dict[str, type[BaseModel]]:
    """Every pydantic model exported from the package root, by name, in ``__all__`` order."""
    import channelkit

    found: dict[str, type[BaseModel]] = {}
    for name in channelkit.__all__:
        obj = getattr(channelkit, name)
        if inspect.isclass(obj) and issubclass(obj, BaseModel):
            found[name] = obj
    return found


def schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schema (validation mode) of every public model, keyed by the model's name.

    ``Money`` is included as well: it is not a pydantic model but a field type every amount
    uses, with the JSON form ``{"amount": "12.50", "currency": "CNY"}``.

    Examples
    --------
    >>> s = schemas()
    >>> s["Money"]["required"], "currency" in s["Partner"]["properties"]
    (['amount', 'currency'], True)
    """
    from channelkit.money import Money

    out: dict[str, dict[str, Any]] = {"Money": TypeAdapter(Money).json_schema()}
    for name, model in public_models().items():
        out[name] = model.model_json_schema()
    return out
