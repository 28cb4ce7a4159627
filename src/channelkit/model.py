"""The base configuration every channelkit model shares.

[`Model`][] is a pydantic v2 ``BaseModel`` that is frozen (immutable and hashable), forbids
unknown fields (a misspelt option fails loudly instead of being ignored), takes field descriptions
from attribute docstrings, and rejects NaN and the infinities. Decimal fields use the float-free
types of [`channelkit.numeric`][].
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, PlainSerializer, StringConstraints

__all__ = ["CHECK_RESULTS", "SORTED_IN_JSON", "Id", "IdSet", "Model", "bulk", "trusted"]


class Model(BaseModel):
    """Base of every channelkit model: frozen, ``extra="forbid"``, strict about numbers."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        use_attribute_docstrings=True,
        validate_default=False,
        ser_json_timedelta="iso8601",
        defer_build=True,
    )


Id = Annotated[str, StringConstraints(min_length=1, pattern=r"\S")]
"""A non-empty identifier (``id``, ``partner_id``, ``code``...), not only white space."""


def _sorted(values: frozenset[Any]) -> list[Any]:
    return sorted(values)


SORTED_IN_JSON = PlainSerializer(_sorted, when_used="json")
"""Serializes a ``frozenset`` field as a sorted list in JSON (``Annotated[frozenset[T], ...]``).

A set's iteration order follows its members' hashes, and a string's hash changes from one
interpreter run to the next (``PYTHONHASHSEED``), so without this the JSON of the same model
differs between runs: a stored settlement or a cache key would not compare equal.
``model_dump()`` in Python mode still gives the ``frozenset``.
"""

IdSet = Annotated[frozenset[Id], SORTED_IN_JSON]
"""A set of identifiers, listed sorted in JSON (see [`SORTED_IN_JSON`][])."""


_M = TypeVar("_M", bound=BaseModel)
_set = object.__setattr__
_FIELDS: dict[type[BaseModel], set[str]] = {}

CHECK_RESULTS: bool = os.environ.get("CHANNELKIT_CHECK_RESULTS", "") == "1"
"""Validate every result [`trusted`][] builds and compare it field by field (slow).

Set from the environment variable ``CHANNELKIT_CHECK_RESULTS=1`` at import; the test suite
turns it on for every test, so that a calculator that builds a result with a wrong type fails
loudly there.
"""


def trusted(cls: type[_M], values: dict[str, Any]) -> _M:
    """Build the result ``cls`` from values the library computed itself: the one way to do so.

    The calculators build their results from figures they computed from validated inputs;
    validating those again would cost more than computing them. This builds the instance
    directly (what ``cls.model_construct(**values)`` does, at a fraction of its cost) after
    checking that ``values`` names every field and nothing else, so a result can never lack a
    field. With [CHECK_RESULTS][channelkit.model.CHECK_RESULTS] on (the test suite), it also
    validates ``values`` and raises if validation would change any value or its type.

    Only for models without aliases, private attributes or ``model_post_init`` (a test checks
    the classes it is used with), never for data from outside the library. The instances of a
    class share one fields-set, which is never mutated: the models are frozen and pydantic copies
    it before ``model_copy`` changes it.

    Raises
    ------
    TypeError
        When ``values`` misses a field or names an unknown one (a bug in the calculator), or,
        while checking, when a value is not what validation makes of it.
    """
    every = _FIELDS.get(cls)
    if every is None:
        every = _FIELDS[cls] = set(cls.__pydantic_fields__)
    if values.keys() != every:
        missing = sorted(every - values.keys())
        unknown = sorted(values.keys() - every)
        msg = f"{cls.__name__} built without {missing} or with unknown {unknown}"
        raise TypeError(msg)
    if CHECK_RESULTS:
        _check(cls, values)
    obj = cls.__new__(cls)
    _set(obj, "__dict__", values)
    _set(obj, "__pydantic_fields_set__", every)
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj


def _check(cls: type[BaseModel], values: dict[str, Any]) -> None:
    checked = cls.model_validate(values)
    for name, value in values.items():
        valid = getattr(checked, name)
        if type(valid) is not type(value) or valid != value:
            msg = (
                f"{cls.__name__}.{name} was built as {value!r} ({type(value).__name__}); "
                f"validation makes it {valid!r} ({type(valid).__name__})"
            )
            raise TypeError(msg)


@contextmanager
def bulk() -> Iterator[None]:
    """Pause the cyclic garbage collector while a calculator builds many results.

    CPython starts a collection every few hundred container allocations, and now and then a
    full one that walks every live object: building 10,000 settlements (some 150,000 objects)
    set off three full collections that took a quarter of ``settle_all``'s time on a table
    (docs/design.md, "Result building"). The results hold no reference cycles, so nothing is
    left for the collector to find; reference counting frees everything as before. The
    collector is enabled again on leaving, only if it was enabled on entering (so nesting,
    threads and a caller who turned it off keep their state); the same device as Mercurial's
    ``util.nogc``.

    Examples
    --------
    >>> import gc
    >>> with bulk():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
