"""``validate``: a DataFrame of transactions split into its valid and its rejected rows."""

from __future__ import annotations

from collections.abc import Mapping

from pyspark.sql import DataFrame
from pyspark.sql import functions as sf

from channelkit.errors import FrameError
from channelkit.spark._columns import Layout, layout
from channelkit.spark._rules import CODE, Rule, check, col, reasons

__all__ = ["checked", "raise_rejected", "validate"]

_SHOWN = 5


def checked(
    df: DataFrame,
    columns: Mapping[str, str] | None = None,
    currency: str | None = None,
    row: str | None = None,
    *,
    need_currency: bool = True,
) -> tuple[DataFrame, Layout, list[Rule]]:
    """``df`` with the code of the first rule each row breaks (0: valid), its layout and rules."""
    lay = layout(df, columns, currency, row, need_currency=need_currency)
    coded, rules = check(df, lay)
    return coded, lay, rules


def _rejected(df: DataFrame, coded: DataFrame, rules: list[Rule]) -> DataFrame:
    bad = coded.where(col(CODE) != 0)
    return bad.select(*[col(c) for c in df.columns], reasons(bad, rules).alias("reason"))


def _valid(df: DataFrame, coded: DataFrame, lay: Layout) -> DataFrame:
    renamed = {source: name for name, source in lay.found.items()}
    hidden = set(renamed.values()) - set(renamed)  # names a renamed column takes over
    out = [col(c).alias(renamed.get(c, c)) for c in df.columns if c not in hidden]
    if lay.currency is not None:
        out.append(sf.lit(lay.currency).alias("currency"))
    return coded.where(col(CODE) == 0).select(*out)


def validate(
    df: DataFrame,
    *,
    columns: Mapping[str, str] | None = None,
    currency: str | None = None,
    row: str | None = None,
) -> tuple[DataFrame, DataFrame]:
    """Split a DataFrame of transactions into its valid rows and its rejected rows.

    Every rule of :func:`channelkit.frames.transactions` is a Spark column expression; the
    DataFrames returned are lazy (each action runs the checks again: ``cache()`` them to reuse).

    Parameters
    ----------
    df
        A ``pyspark.sql.DataFrame`` with the columns of ``frames.transactions``: ``id``,
        ``partner_id``, ``date``, ``kind`` and ``amount`` required, the other ``Transaction``
        fields and ``currency`` optional, other columns kept but not read. Numbers are
        ``DecimalType``, integer or text columns (text wider than 38 digits stays text).
    columns
        Renames, input name to field name (``{"inv_no": "id"}``), as in ``frames``.
    currency
        The currency of every row, for a DataFrame without a ``currency`` column.
    row
        The name of a column numbering the rows (unique integers, such as the line of the
        source file). Of rows sharing an id, the one with the lowest number is kept and the
        others' reason names it (``id: duplicates the id of row 0``). Without it, the row kept
        is the first in the order of the other canonical columns, and the reason reads
        ``duplicates the id of another row``.

    Returns
    -------
    tuple of (DataFrame, DataFrame)
        ``valid``: the valid rows, with the input's columns (renamed by ``columns``) plus a
        ``currency`` column when ``currency=`` was given, ready for
        [`settle_all`][channelkit.spark.settle_all] and [`review`][channelkit.spark.review].
        ``rejected``: the rejected rows with the input's own columns plus ``reason``
        (``<column>: <rule> (value <value>)``, as ``frames`` words it).

    Raises
    ------
    FrameError
        A required column is missing, a number column is ``DoubleType`` or ``FloatType`` (with
        how to cast it), or a column has a type its field cannot be read from.
    ArgumentError
        Bad ``columns`` or ``row``, ``currency=`` with a currency column, an unknown currency,
        or no currency at all.
    ArgumentTypeError
        ``df`` is not a Spark DataFrame.

    Notes
    -----
    A row breaking several rules is rejected once, for the first in ``Transaction`` field
    order. Nothing is lost: ``valid.count() + rejected.count() == df.count()``.

    Examples
    --------
    >>> from channelkit.spark._local import local_session
    >>> spark = local_session()
    >>> df = spark.createDataFrame(
    ...     [(0, "A1", "D1", "2026-07-01", "sale", "100.00"),
    ...      (1, "A2", "D1", "2026-07-02", "sale", "-5.00")],
    ...     "line long, id string, partner_id string, date string, kind string, amount string")
    >>> valid, rejected = validate(df, currency="CNY", row="line")
    >>> [r["reason"] for r in rejected.collect()]
    ['amount: must be positive (value -5.00)']
    >>> valid.count()
    1
    """
    coded, lay, rules = checked(df, columns, currency, row)
    return _valid(df, coded, lay), _rejected(df, coded, rules)


def raise_rejected(
    df: DataFrame, coded: DataFrame, lay: Layout, rules: list[Rule], bad: int, total: int
) -> None:
    """Raise the ``FrameError`` of a DataFrame with ``bad`` rejected rows (of ``total``)."""
    rejected = _rejected(df, coded, rules)
    order = col(lay.row) if lay.row is not None else col(lay.found["id"])
    first = rejected.orderBy(order.asc_nulls_first()).limit(_SHOWN)
    shown = first.select("reason", *([col(lay.row)] if lay.row is not None else [])).collect()
    head = f"{bad} of {total} rows rejected"
    which = "the first five" if bad > _SHOWN else "every one"
    if lay.row is not None:
        lines = [f"  row {r[1]}: {r[0]}" for r in shown]
    else:
        lines = [f"  {r[0]}" for r in shown]
    msg = f"{head} ({which} below; FrameError.rejected holds them all):\n" + "\n".join(lines)
    raise FrameError(msg, rejected=rejected)
