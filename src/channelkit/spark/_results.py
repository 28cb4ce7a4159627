"""Result models as Spark rows: the columns of ``frames.to_arrow``, built on the executors.

Results are written in two steps. On the executors each model is flattened as ``to_arrow``
flattens it (:func:`channelkit.frames._arrow._columns`), with every decimal as exact decimal
text; then one small aggregation over those rows finds, for each decimal column (and each
decimal field inside a list of structs), the places and integer digits its values need, and the
column is cast to ``DecimalType(38, places)`` when that holds every value exactly (what
``to_arrow`` makes ``decimal128(38, places)``), else kept as text (never rounded).

Errors raised while computing a row travel back as text (:func:`pack`) and are raised again on
the driver as the same exception (:func:`unpack`).
"""

from __future__ import annotations

import base64
import json
import pickle
import typing
from collections.abc import Callable, Iterable
from decimal import Decimal
from enum import Enum
from operator import attrgetter
from typing import Any, Final, cast

import pyarrow as pa
from pydantic import BaseModel
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as sf
from pyspark.sql import types as spt

from channelkit.frames._arrow import _columns, _Spec, _spec, _unwrap, _value
from channelkit.money import Money
from channelkit.numeric import decimal_text
from channelkit.periods import Period
from channelkit.spark._rules import col

__all__ = ["META", "Flat", "pack", "typed", "unpack"]

META: Final = "__ck_meta"
"""The column of the one row per batch that describes the batch (null in result rows)."""
_WIDE: Final = 38


def pack(err: BaseException) -> str:
    """An exception as text, to be raised again on the driver by :func:`unpack`."""
    try:
        state = pickle.dumps(dict(err.__dict__))
    except Exception:  # an attribute that does not pickle: keep the type and the message
        state = pickle.dumps({})
    return base64.b64encode(pickle.dumps((type(err), str(err), state))).decode("ascii")


def unpack(text: str) -> BaseException:
    """The exception :func:`pack` wrote: same type, message and attributes."""
    cls, message, state = pickle.loads(base64.b64decode(text))
    err: BaseException = cls.__new__(cls)
    Exception.__init__(err, message)
    err.__dict__.update(pickle.loads(state))
    return err


def _spark_type(spec: _Spec) -> spt.DataType:
    kind = spec.kind
    if kind == "list":
        return spt.ArrayType(_spark_type(cast(_Spec, spec.item)))
    if kind == "struct":
        return spt.StructType([spt.StructField(n, _spark_type(s)) for n, _, s in spec.fields])
    if kind == "int":
        return spt.LongType()
    if kind == "bool":
        return spt.BooleanType()
    if kind == "date":
        return spt.DateType()
    return spt.StringType()  # decimal (as text until typed), str, enum, json


def _arrow_type(spec: _Spec) -> pa.DataType:
    kind = spec.kind
    if kind == "list":
        return pa.list_(_arrow_type(cast(_Spec, spec.item)))
    if kind == "struct":
        return pa.struct([(n, _arrow_type(s)) for n, _, s in spec.fields])
    return {"int": pa.int64(), "bool": pa.bool_(), "date": pa.date32()}.get(kind, pa.string())


def _plain(v: Any) -> Any:
    if isinstance(v, Decimal):
        return decimal_text(v)
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v


Leaf = tuple[str, Callable[[Any], Any], Callable[[Any], Any]]
"""A flattened column: its name, how to read it from a model and how to write the value."""


def _reader(path: tuple[str, ...]) -> Callable[[Any], Any]:
    get = attrgetter(".".join(path))

    def read(obj: Any) -> Any:
        try:
            return get(obj)
        except AttributeError:  # an optional nested model that is None
            return None

    return read


def _same(v: Any) -> Any:
    return v


def _text(v: Any) -> Any:
    return None if v is None else decimal_text(v)


def _enum(v: Any) -> Any:
    if v is None:
        return None
    value = v.value if isinstance(v, Enum) else v
    return value if isinstance(value, str) else str(value)


def _writer(spec: _Spec, annotation: Any) -> Callable[[Any], Any]:
    kind = spec.kind
    if kind == "decimal":
        return _text
    if kind == "enum":
        return _enum
    if kind == "list" and spec.item is not None and spec.item.kind == "struct":
        item = _unwrap(typing.get_args(_unwrap(annotation))[0])
        if isinstance(item, type) and issubclass(item, BaseModel):
            fields = _leaves_of(item)

            def rows(v: Any) -> Any:
                if v is None:
                    return None
                return [{n: w(g(x)) for n, g, w in fields} for x in v]

            return rows
    if kind in ("str", "int", "bool", "date"):
        return _same
    return lambda v: _plain(_value(spec, v))


def _leaves_of(cls: type[BaseModel], prefix: str = "", path: tuple[str, ...] = ()) -> list[Leaf]:
    """The columns of ``cls`` in ``to_arrow``'s order, each read by one ``attrgetter``."""
    out: list[Leaf] = []
    for name, info in cls.model_fields.items():
        base = _unwrap(info.annotation)
        at = (*path, name)
        if base is Money:
            out.append((prefix + name, _reader((*at, "amount")), _text))
            out.append((f"{prefix}{name}_currency", _reader((*at, "currency")), _same))
        elif base is Period:
            out.append((f"{prefix}{name}_start", _reader((*at, "start")), _same))
            out.append((f"{prefix}{name}_end", _reader((*at, "end")), _same))
        elif isinstance(base, type) and issubclass(base, BaseModel):
            out += _leaves_of(base, f"{prefix}{name}_", at)
        else:
            out.append(
                (prefix + name, _reader(at), _writer(_spec(info.annotation), info.annotation))
            )
    return out


class Flat:
    """How models of one type become rows: the Spark and Arrow schemas and the row values.

    Each Arrow batch the executors write holds the models' rows (decimals as text) and one more
    row whose :data:`META` column describes the batch: the places and integer digits of each
    decimal column, and the first error met (by key), if any. Only those rows are collected.
    """

    def __init__(self, cls: type[BaseModel], *, explain: bool) -> None:
        self.columns = _columns(cls)
        self.leaves = _leaves_of(cls)
        if [n for n, _, _ in self.leaves] != [n for n, _, _ in self.columns]:  # pragma: no cover
            msg = f"{cls.__name__}: the flattened columns disagree with to_arrow's"
            raise RuntimeError(msg)
        self.explain = explain
        self.decimals = _decimal_leaves(self.columns)
        fields = [spt.StructField(n, _spark_type(s)) for n, _, s in self.columns]
        arrows = [(n, _arrow_type(s)) for n, _, s in self.columns]
        if explain:
            fields.append(spt.StructField("explanation", spt.StringType()))
            arrows.append(("explanation", pa.string()))
        fields.append(spt.StructField(META, spt.StringType()))
        arrows.append((META, pa.string()))
        self.schema = spt.StructType(fields)
        self.arrow = pa.schema(arrows)

    def row(self, model: Any, lang: str | None) -> dict[str, Any]:
        """One model as a row of text decimals."""
        out = {n: write(read(model)) for n, read, write in self.leaves}
        if self.explain:
            out["explanation"] = model.explain(lang)
        out[META] = None
        return out

    def batch(
        self, rows: list[dict[str, Any]], error: tuple[str, BaseException] | None
    ) -> pa.RecordBatch:
        """Rows as one Arrow batch, with the batch's description row; ``error``: (key, error)."""
        places: dict[str, list[int]] = {}
        for name, field in self.decimals:
            scale = digits = 0
            for r in rows:
                values = [r[name]] if field is None else [x[field] for x in r[name] or ()]
                for v in values:
                    if v is not None:
                        scale, digits = max(scale, _places(v)), max(digits, _digits(v))
            places[_key(name, field)] = [scale, digits]
        meta: dict[str, Any] = {"places": places, "error": None}
        if error is not None:
            meta["error"] = [error[0], pack(error[1])]
        last: dict[str, Any] = dict.fromkeys(self.arrow.names)
        last[META] = json.dumps(meta)
        return pa.RecordBatch.from_pylist([*rows, last], schema=self.arrow)


def _places(text: str) -> int:
    point = text.find(".")
    return 0 if point < 0 else len(text) - point - 1


def _digits(text: str) -> int:
    whole = text.split(".", 1)[0].lstrip("-").lstrip("0")
    return len(whole)


def _key(name: str, field: str | None) -> str:
    return name if field is None else f"{name}.{field}"


# -- typing the decimal columns from their values -------------------------------------------------


def _decimal_leaves(
    columns: Iterable[tuple[str, Any, _Spec]],
) -> list[tuple[str, str | None]]:
    """Every decimal column: ``(column, None)``, or ``(column, field)`` inside a list of structs."""
    out: list[tuple[str, str | None]] = []
    for name, _, spec in columns:
        if spec.kind == "decimal":
            out.append((name, None))
        elif spec.kind == "list" and spec.item is not None and spec.item.kind == "struct":
            out += [(name, f) for f, _, s in spec.item.fields if s.kind == "decimal"]
    return out


def _caster(
    name: str, item: _Spec, types: dict[tuple[str, str | None], spt.DataType]
) -> Callable[[Column], Column]:
    def one(x: Column) -> Column:
        parts = [
            (x[f].cast(types[(name, f)]) if s.kind == "decimal" else x[f]).alias(f)
            for f, _, s in item.fields
        ]
        return sf.struct(*parts)

    return one


def typed(stage: DataFrame, flat: Flat) -> tuple[DataFrame, BaseException | None]:
    """Cast ``stage``'s decimal text to exact decimal columns; the first error met, if any.

    Collects only the batches' description rows (one per batch): each decimal column becomes
    ``DecimalType(38, places)`` when its values fit, else stays exact text.
    """
    metas = [json.loads(r[0]) for r in stage.where(col(META).isNotNull()).select(META).collect()]
    errors = [tuple(m["error"]) for m in metas if m["error"] is not None]
    if errors:
        return stage, unpack(min(errors)[1])
    types: dict[tuple[str, str | None], spt.DataType] = {}
    for name, field in flat.decimals:
        key = _key(name, field)
        scale = max((m["places"][key][0] for m in metas), default=0)
        digits = max((m["places"][key][1] for m in metas), default=0)
        fits = max(digits, 1) + scale <= _WIDE
        types[(name, field)] = spt.DecimalType(_WIDE, scale) if fits else spt.StringType()
    out: list[Column] = []
    for name, _, spec in flat.columns:
        if spec.kind == "decimal":
            out.append(col(name).cast(types[(name, None)]).alias(name))
        elif any(n == name for n, _ in flat.decimals):
            item = cast(_Spec, spec.item)
            out.append(sf.transform(col(name), _caster(name, item, types)).alias(name))
        else:
            out.append(col(name))
    if flat.explain:
        out.append(col("explanation"))
    return stage.where(col(META).isNull()).select(*out), None
