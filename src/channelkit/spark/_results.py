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
import pickle
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, Final, cast

import pyarrow as pa
from pydantic import BaseModel
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as sf
from pyspark.sql import types as spt

from channelkit.frames._arrow import _columns, _Spec, _value
from channelkit.numeric import decimal_text
from channelkit.spark._rules import col

__all__ = ["ERROR", "Flat", "pack", "typed", "unpack"]

ERROR: Final = "__ck_error"
"""The column of a result row holding the packed error of a row that failed (else null)."""
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


class Flat:
    """How models of one type become rows: the Spark and Arrow schemas and the row values."""

    def __init__(self, cls: type[BaseModel], *, explain: bool, keys: Iterable[str] = ()) -> None:
        self.columns = _columns(cls)
        self.explain = explain
        self.keys = tuple(keys)
        fields = [spt.StructField(n, _spark_type(s)) for n, _, s in self.columns]
        arrows = [(n, _arrow_type(s)) for n, _, s in self.columns]
        if explain:
            fields.append(spt.StructField("explanation", spt.StringType()))
            arrows.append(("explanation", pa.string()))
        for key in self.keys:
            fields.append(spt.StructField(key, spt.StringType()))
            arrows.append((key, pa.string()))
        fields.append(spt.StructField(ERROR, spt.StringType()))
        arrows.append((ERROR, pa.string()))
        self.schema = spt.StructType(fields)
        self.arrow = pa.schema(arrows)

    def row(self, model: Any, lang: str | None, **keys: str | None) -> dict[str, Any]:
        """One model as a row of text decimals."""
        out = {n: _plain(_value(s, get(model))) for n, get, s in self.columns}
        if self.explain:
            out["explanation"] = model.explain(lang)
        out.update(keys)
        out[ERROR] = None
        return out

    def failed(self, err: BaseException, **keys: str | None) -> dict[str, Any]:
        """The row of a model that could not be computed."""
        out: dict[str, Any] = dict.fromkeys(self.arrow.names)
        out.update(keys)
        out[ERROR] = pack(err)
        return out

    def batch(self, rows: list[dict[str, Any]]) -> pa.RecordBatch:
        """Rows as one Arrow batch of :attr:`arrow`'s schema."""
        return pa.RecordBatch.from_pylist(rows, schema=self.arrow)


# -- typing the decimal columns from their values -------------------------------------------------


def _scale(text: Column) -> Column:
    return sf.when(text.contains("."), sf.length(sf.substring_index(text, ".", -1))).otherwise(
        sf.when(text.isNotNull(), sf.lit(0))
    )


def _digits(text: Column) -> Column:
    whole = sf.regexp_extract(text, r"^-?([0-9]*)", 1)
    return sf.when(text.isNotNull(), sf.length(sf.regexp_replace(whole, "^0+", "")))


def _leaves(flat: Flat) -> list[tuple[str, str | None]]:
    """Every decimal column: ``(column, None)``, or ``(column, field)`` inside a list of structs."""
    out: list[tuple[str, str | None]] = []
    for name, _, spec in flat.columns:
        if spec.kind == "decimal":
            out.append((name, None))
        elif spec.kind == "list" and spec.item is not None and spec.item.kind == "struct":
            out += [(name, f) for f, _, s in spec.item.fields if s.kind == "decimal"]
    return out


def _stat(name: str, field: str | None, fn: Callable[[Column], Column]) -> Column:
    if field is None:
        return sf.max(fn(col(name)))
    return sf.max(sf.array_max(sf.transform(col(name), lambda x: fn(x[field]))))


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


def typed(stage: DataFrame, flat: Flat, extra: list[Column]) -> tuple[DataFrame, list[Any]]:
    """Cast ``stage``'s decimal text to exact decimal columns; also run ``extra`` aggregates.

    Returns the typed DataFrame (``stage``'s columns without the error and key columns) and
    the values of ``extra``, from the same one small job.
    """
    leaves = _leaves(flat)
    stats: list[Column] = []
    for name, field in leaves:
        stats += [_stat(name, field, _scale), _stat(name, field, _digits)]
    got = stage.agg(*stats, *extra).collect()[0] if stats or extra else []
    types: dict[tuple[str, str | None], spt.DataType] = {}
    for i, leaf in enumerate(leaves):
        scale, digits = got[2 * i] or 0, got[2 * i + 1] or 0
        fits = max(digits, 1) + scale <= _WIDE
        types[leaf] = spt.DecimalType(_WIDE, scale) if fits else spt.StringType()
    out: list[Column] = []
    for name, _, spec in flat.columns:
        if spec.kind == "decimal":
            out.append(col(name).cast(types[(name, None)]).alias(name))
        elif any(n == name for n, _ in leaves):
            item = cast(_Spec, spec.item)
            out.append(sf.transform(col(name), _caster(name, item, types)).alias(name))
        else:
            out.append(col(name))
    if flat.explain:
        out.append(col("explanation"))
    return stage.select(*out), list(got[2 * len(leaves) :])
