"""The small tables ``review`` reads beside the transactions: partners and targets.

Each row becomes a model (or a target) by the library's own validation; a bad row is reported
with the file, its 0-based row number (as ``frames`` numbers rows) and the column, and every
column must be one the table knows, so a misspelt optional column is not silently ignored.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Final

from pydantic import ValidationError

from channelkit.cli._io import UsageError, fields_of, read_rows
from channelkit.errors import ArgumentError
from channelkit.labels import pick
from channelkit.money import Money
from channelkit.numeric import decimal_text, to_decimal
from channelkit.partners import Partner

__all__ = ["SEPARATOR", "read_partners", "read_targets"]

SEPARATOR: Final = ";"
"""What separates the territory codes of a partner in a CSV field (``NORTH;EAST``)."""

_SHOWN: Final = 5
_TARGET_COLUMNS: Final = ("partner_id", "target", "currency")


def read_partners(path: str, lang: str) -> list[Partner]:
    """The partners of a ``.csv`` or ``.parquet`` file, one per row, with unique ids.

    The columns are [`Partner`][channelkit.Partner]'s fields; an empty field takes the field's
    default; ``territories`` is a list column or text separated by ``;``; ``credit_limit`` is
    a number in the row's ``currency``.
    """
    columns, rows = read_rows(path, pick(lang, "partners", "渠道伙伴"), lang, "review")
    _known_columns(path, columns, tuple(Partner.model_fields), lang)
    problems: list[str] = []
    out: list[Partner] = []
    seen: dict[str, int] = {}
    for i, row in enumerate(rows):
        data = {k: v for k, v in row.items() if v is not None}
        if isinstance(data.get("territories"), str):
            data["territories"] = [t.strip() for t in data["territories"].split(SEPARATOR)]
        limit = data.get("credit_limit")
        if limit is not None and not isinstance(limit, dict):
            data["credit_limit"] = {"amount": limit, "currency": data.get("currency")}
        try:
            partner = Partner.model_validate(data)
        except ValidationError as err:
            problems.extend(f"  row {i}: {line}" for line in fields_of(err, "").splitlines())
            continue
        first = seen.setdefault(partner.id, i)
        if first != i:
            problems.append(
                f"  row {i}: id: duplicates the id of row {first} (value {partner.id!r})"
            )
            continue
        out.append(partner)
    _raise_problems(path, problems, len(rows), lang)
    return out


def read_targets(path: str, lang: str) -> dict[str, Decimal | Money]:
    """Net-sales targets by partner id from a ``.csv`` or ``.parquet`` file.

    The columns are ``partner_id`` and ``target`` (an exact number, not negative) and, when
    given, ``currency`` (the target is then ``Money``, which ``review`` checks against its
    currency); otherwise a target is in the review's currency.
    """
    columns, rows = read_rows(path, pick(lang, "targets", "目标"), lang, "review")
    _known_columns(path, columns, _TARGET_COLUMNS, lang)
    problems: list[str] = []
    out: dict[str, Decimal | Money] = {}
    seen: dict[str, int] = {}
    for i, row in enumerate(rows):
        pid = row.get("partner_id")
        if not isinstance(pid, str) or not pid.strip():
            problems.append(f"  row {i}: partner_id: must be a partner id (value {pid!r})")
            continue
        if pid in seen:
            msg = (
                f"  row {i}: partner_id: duplicates the partner of row {seen[pid]} (value {pid!r})"
            )
            problems.append(msg)
            continue
        seen[pid] = i
        try:
            out[pid] = _target(row)
        except ArgumentError as err:
            problems.append(f"  row {i}: {err.argument}: {err}")
    _raise_problems(path, problems, len(rows), lang)
    return out


def _target(row: dict[str, Any]) -> Decimal | Money:
    value = to_decimal(row.get("target"), "target")
    if value < 0:
        msg = f"target must not be negative, got {decimal_text(value)}"
        raise ArgumentError(msg, argument="target", value=value)
    currency = row.get("currency")
    if currency is None:
        return value
    try:
        return Money(value, str(currency))
    except ArgumentError as err:
        raise ArgumentError(str(err), argument="currency", value=currency) from None


def _known_columns(path: str, columns: list[str], known: tuple[str, ...], lang: str) -> None:
    unknown = [c for c in columns if c not in known]
    if unknown:
        msg = pick(
            lang,
            f"{path}: unknown column {unknown[0]!r}; the columns are {', '.join(known)}",
            f"{path}：未知列 {unknown[0]!r}；可用的列为 {', '.join(known)}",
        )
        raise UsageError(msg)


def _raise_problems(path: str, problems: list[str], total: int, lang: str) -> None:
    if not problems:
        return
    count = len({line.split(":", 1)[0] for line in problems})
    head = pick(
        lang,
        f"{path}: {count} of {total} rows rejected:",
        f"{path}：{total} 行中有 {count} 行被拒绝：",
    )
    shown = problems[:_SHOWN]
    more = len(problems) - len(shown)
    tail = [pick(lang, f"  ... and {more} more", f"  ……另有 {more} 条")] if more else []
    raise UsageError("\n".join([head, *shown, *tail]))
