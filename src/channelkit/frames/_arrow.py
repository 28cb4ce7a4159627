"""``to_arrow``: result models (any pydantic models of one type) as one Arrow table.

The columns come from the model's fields, so a table of results of one type always has the same
columns, whatever the values (a ``None`` nested model gives nulls, not missing columns):

* a nested model is flattened with ``_`` (``result`` -> ``result_amount``, ``result_lines``...);
* ``Money`` becomes an exact decimal column plus ``<name>_currency``;
* ``Period`` becomes ``<name>_start`` and ``<name>_end``;
* a ``Decimal`` an exact decimal column (see :func:`~channelkit.frames._schema.decimal_type`);
* an enum its value; a date ``date32``; a tuple, list or set a list column (a set sorted), its
  models, ``Money`` and periods structs with the same flattened names; a dict a map column;
* any other type its JSON text.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any, cast

import pyarrow as pa
from pydantic import BaseModel, TypeAdapter

from channelkit.errors import ArgumentError, ArgumentTypeError
from channelkit.frames._schema import decimal_type_of
from channelkit.labels import check_lang
from channelkit.money import Money
from channelkit.numeric import decimal_text
from channelkit.periods import Period

__all__ = ["to_arrow"]

Getter = Callable[[Any], Any]


@dataclass(frozen=True)
class _Spec:
    kind: str
    """decimal, str, int, bool, date, datetime, enum, json, list, struct or map."""
    item: _Spec | None = None
    """The items' spec of a list, the values' of a map."""
    key: _Spec | None = None
    """The keys' spec of a map."""
    fields: tuple[tuple[str, Getter, _Spec], ...] = field(default=())
    """A struct's fields: name, how to read it from the item, spec."""
    adapter: TypeAdapter[Any] | None = None
    """For JSON text: the field's type adapter."""


_LEAVES: dict[type, str] = {
    bool: "bool",
    int: "int",
    str: "str",
    Decimal: "decimal",
    dt.datetime: "datetime",
    dt.date: "date",
}


def _unwrap(annotation: Any) -> Any:
    """``X`` for ``X | None``; the annotation itself otherwise."""
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return _unwrap(args[0])
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    return annotation


def _attr(get: Getter, name: str) -> Getter:
    def read(obj: Any) -> Any:
        value = get(obj)
        return None if value is None else getattr(value, name)

    return read


def _same(obj: Any) -> Any:
    return obj


Path = tuple[str, ...]
"""The attributes read one after the other from a model to reach a column's value."""


@cache
def _columns(cls: type[BaseModel], prefix: str = "") -> tuple[tuple[str, Path, _Spec], ...]:
    """The flattened columns of ``cls``: name, the attributes that reach it, spec."""
    return tuple((name, path, spec) for name, _, spec, path in _fields(cls, prefix))


@cache
def _fields(cls: type[BaseModel], prefix: str = "") -> tuple[tuple[str, Getter, _Spec, Path], ...]:
    out: list[tuple[str, Getter, _Spec, Path]] = []
    for name, info in cls.model_fields.items():
        _add(out, prefix + name, _attr(_same, name), info.annotation, (name,))
    return tuple(out)


def _add(
    out: list[tuple[str, Getter, _Spec, Path]],
    name: str,
    get: Getter,
    annotation: Any,
    path: Path = (),
) -> None:
    base = _unwrap(annotation)
    if base is Money:
        out.append((name, _attr(get, "amount"), _Spec("decimal"), (*path, "amount")))
        out.append((f"{name}_currency", _attr(get, "currency"), _Spec("str"), (*path, "currency")))
    elif base is Period:
        out.append((f"{name}_start", _attr(get, "start"), _Spec("date"), (*path, "start")))
        out.append((f"{name}_end", _attr(get, "end"), _Spec("date"), (*path, "end")))
    elif isinstance(base, type) and issubclass(base, BaseModel):
        for sub, sub_get, spec, sub_path in _fields(base, f"{name}_"):
            out.append((sub, _chain(get, sub_get), spec, (*path, *sub_path)))
    else:
        out.append((name, get, _spec(annotation), path))


def _values_at(items: list[Any], path: Path, seen: dict[Path, list[Any]]) -> list[Any]:
    """The value at ``path`` of every item, the values of shorter paths read once (``seen``)."""
    if not path:
        return items
    got = seen.get(path)
    if got is None:
        name = path[-1]
        got = seen[path] = [
            None if obj is None else getattr(obj, name)
            for obj in _values_at(items, path[:-1], seen)
        ]
    return got


def _chain(outer: Getter, inner: Getter) -> Getter:
    def read(obj: Any) -> Any:
        value = outer(obj)
        return None if value is None else inner(value)

    return read


def _spec(annotation: Any) -> _Spec:
    base = _unwrap(annotation)
    origin = typing.get_origin(base)
    args = typing.get_args(base)
    if origin in (tuple, list, set, frozenset) and args:
        return _Spec("list", item=_item(args[0]))
    if origin in (dict, Mapping) and len(args) == 2:
        return _Spec("map", key=_spec(args[0]), item=_item(args[1]))
    if origin is typing.Literal:
        return _Spec("str")
    if isinstance(base, type):
        if issubclass(base, Enum):
            return _Spec("enum")
        for tp, kind in _LEAVES.items():
            if issubclass(base, tp):
                return _Spec(kind)
    return _Spec("json", adapter=_adapter(annotation))


@cache
def _adapter(annotation: Any) -> TypeAdapter[Any]:
    return TypeAdapter(annotation)


def _item(annotation: Any) -> _Spec:
    """The spec of a list item or map value: a model, ``Money`` or ``Period`` is a struct."""
    base = _unwrap(annotation)
    if base is Money or base is Period or (isinstance(base, type) and issubclass(base, BaseModel)):
        found: list[tuple[str, Getter, _Spec, Path]] = []
        _add(found, "", _same, base)
        fields = [(n, g, s) for n, g, s, _ in found]
        if base is Money:
            fields = [("amount", fields[0][1], fields[0][2]), ("currency", *fields[1][1:])]
        elif base is Period:
            fields = [("start", *fields[0][1:]), ("end", *fields[1][1:])]
        else:
            fields = [(n.removeprefix("_"), g, s) for n, g, s in fields]
        return _Spec("struct", fields=tuple(fields))
    return _spec(annotation)


def _value(spec: _Spec, v: Any) -> Any:
    """A Python value ready for Arrow (decimals stay ``Decimal`` until the type is known)."""
    if v is None:
        return None
    kind = spec.kind
    if kind == "enum":
        return v.value if isinstance(v.value, str) else str(v.value)
    if kind == "list":
        items = sorted(v) if isinstance(v, set | frozenset) else v
        return [_value(cast(_Spec, spec.item), x) for x in items]
    if kind == "map":
        return [
            (_value(cast(_Spec, spec.key), k), _value(cast(_Spec, spec.item), x))
            for k, x in v.items()
        ]
    if kind == "struct":
        return {name: _value(s, get(v)) for name, get, s in spec.fields}
    if kind == "json":
        return cast(TypeAdapter[Any], spec.adapter).dump_json(v).decode()
    return v


def _type(spec: _Spec, values: list[Any]) -> pa.DataType:
    kind = spec.kind
    present = [v for v in values if v is not None]
    if kind == "decimal":
        return decimal_type_of(present)
    if kind == "list":
        return pa.list_(_type(cast(_Spec, spec.item), [x for v in present for x in v]))
    if kind == "map":
        pairs = [p for v in present for p in v]
        return pa.map_(
            _type(cast(_Spec, spec.key), [k for k, _ in pairs]),
            _type(cast(_Spec, spec.item), [x for _, x in pairs]),
        )
    if kind == "struct":
        return pa.struct([(n, _type(s, [v[n] for v in present])) for n, _, s in spec.fields])
    if kind == "datetime":
        zone = next((v.tzinfo for v in present if v.tzinfo is not None), None)
        return pa.timestamp("us", tz="UTC" if zone is not None else None)
    return {
        "str": pa.string(),
        "enum": pa.string(),
        "json": pa.string(),
        "int": pa.int64(),
        "bool": pa.bool_(),
        "date": pa.date32(),
    }[kind]


def _texts(t: pa.DataType, v: Any) -> Any:
    """``v`` with every decimal that ``t`` holds as text turned into decimal text."""
    if v is None:
        return None
    if isinstance(v, Decimal):
        return decimal_text(v) if pa.types.is_string(t) else v
    if pa.types.is_list(t):
        return [_texts(t.value_type, x) for x in v]
    if pa.types.is_map(t):
        return [(_texts(t.key_type, k), _texts(t.item_type, x)) for k, x in v]
    if pa.types.is_struct(t):
        return {
            t.field(i).name: _texts(t.field(i).type, v[t.field(i).name])
            for i in range(t.num_fields)
        }
    return v


_AS_IS: frozenset[str] = frozenset({"decimal", "str", "int", "bool", "date", "datetime"})
"""The kinds whose values go to Arrow as they are."""


def _decimal_text(spec: _Spec, t: pa.DataType) -> bool:
    """Whether a column of ``spec`` typed ``t`` holds a decimal as text (see ``_texts``)."""
    kind = spec.kind
    if kind == "decimal":
        return bool(pa.types.is_string(t))
    if kind == "list":
        return _decimal_text(cast(_Spec, spec.item), t.value_type)
    if kind == "map":
        return _decimal_text(cast(_Spec, spec.key), t.key_type) or _decimal_text(
            cast(_Spec, spec.item), t.item_type
        )
    if kind == "struct":
        return any(_decimal_text(s, t.field(n).type) for n, _, s in spec.fields)
    return False


def to_arrow(results: Iterable[Any] | Mapping[Any, Any], *, lang: str | None = None) -> pa.Table:
    """Result models as an Arrow table: one row per model, columns from the fields.

    Parameters
    ----------
    results
        An iterable of models of one type, or a mapping whose values are (one row per value).
    lang
        ``"en"`` or ``"zh"``: add an ``explanation`` column (each model's ``explain(lang)``).

    Returns
    -------
    pyarrow.Table
        Nested models flattened with ``_``, ``Money`` as an exact decimal plus
        ``<name>_currency``, enums as their values, tuples as list columns, ``Period`` as
        ``<name>_start``/``<name>_end``; no row and no column for no models.

    Raises
    ------
    ArgumentTypeError
        An item that is not a pydantic model, or models of different types; ``lang`` for
        models without ``explain``.
    ArgumentError
        ``lang`` other than ``"en"`` or ``"zh"``.

    Examples
    --------
    >>> from channelkit import Bracket, RebatePolicy, compute_rebate
    >>> ladder = RebatePolicy(id="L", name="Ladder", currency="CNY", brackets=(
    ...     Bracket(start=0, rate="0.02"), Bracket(start=50_000, rate="0.03")))
    >>> table = to_arrow([compute_rebate(ladder, 60_000), compute_rebate(ladder, 10_000)])
    >>> table.column("amount").to_pylist(), table.column("amount_currency").to_pylist()
    ([Decimal('1300.00'), Decimal('200.00')], ['CNY', 'CNY'])
    >>> table.schema.field("amount").type
    Decimal128Type(decimal128(38, 2))
    """
    items = list(results.values()) if isinstance(results, Mapping) else list(results)
    if lang is not None:
        try:
            check_lang(lang)
        except ValueError as err:
            raise ArgumentError(str(err), argument="lang", value=lang) from None
    if not items:
        return pa.table({})
    cls: type[BaseModel] = type(items[0])
    for i, item in enumerate(items):
        if not isinstance(item, BaseModel):
            msg = f"results[{i}] is a {type(item).__name__}, not a pydantic model"
            raise ArgumentTypeError(msg, argument="results", value=item)
        if type(item) is not cls:
            msg = (
                f"results mixes model types: {cls.__name__} and {type(item).__name__} "
                f"(at {i}); make one table per type"
            )
            raise ArgumentTypeError(msg, argument="results", value=item)
    arrays: dict[str, pa.Array] = {}
    seen: dict[Path, list[Any]] = {}
    for name, path, spec in _columns(cls):
        raw = _values_at(items, path, seen)
        values = raw if spec.kind in _AS_IS else [_value(spec, v) for v in raw]
        t = _type(spec, values)
        if _decimal_text(spec, t):
            values = [_texts(t, v) for v in values]
        arrays[name] = pa.array(values, t)
    if lang is not None:
        if not callable(getattr(items[0], "explain", None)):
            msg = f"lang needs models with explain(); {cls.__name__} has none"
            raise ArgumentTypeError(msg, argument="lang", value=lang)
        arrays["explanation"] = pa.array([m.explain(lang) for m in items], pa.string())
    return pa.table(arrays)
