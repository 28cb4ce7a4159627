"""Files in and out of the command line, and the one error that ends a command with status 2.

Every input error becomes a [`UsageError`][channelkit.cli._io.UsageError] whose message starts
with the file's name (as the user wrote it) and then names the row and the column, as the
library's own errors do. pyarrow is imported only by the functions that read or write tables.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any, Final

from pydantic import ValidationError

from channelkit.errors import ArgumentError, ChannelkitError, FrameError
from channelkit.labels import pick
from channelkit.numeric import decimal_text
from channelkit.rebates import PolicyVersions, RebatePolicy

__all__ = [
    "UsageError",
    "count",
    "emit",
    "need_frames",
    "read_policy",
    "read_frame",
    "read_rows",
    "fields_of",
    "OUT_KINDS",
    "check_out",
    "write_table",
]

OUT_KINDS: Final = (".csv", ".parquet", ".json")
"""The suffixes an output file may have; the suffix chooses the format."""

_IN_KINDS: Final = (".csv", ".parquet")


class UsageError(ChannelkitError):
    """What ends a command with exit status 2: a bad argument, an unreadable or invalid file.

    The message is the whole text shown after ``error:``; it names the file, the row and the
    column when they are known.
    """


def count(n: int, noun: str) -> str:
    """``n`` and the English ``noun``, plural unless ``n`` is 1 (``2 rows``, ``1 row``)."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def emit(text: str) -> None:
    """Write ``text`` to standard output, as UTF-8 bytes when the terminal cannot encode it."""
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:  # a terminal that cannot show Chinese
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()


def need_frames(command: str, lang: str) -> ModuleType:
    """``channelkit.frames``, or a usage error saying how to install pyarrow."""
    try:
        import channelkit.frames as frames
    except ImportError:
        msg = pick(
            lang,
            f"{command} reads tables and needs pyarrow: pip install 'channelkit[frames]'",
            f"{command} 读取表格，需要 pyarrow：pip install 'channelkit[frames]'",
        )
        raise UsageError(msg) from None
    return frames


def _text(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except OSError as err:
        raise UsageError(f"{path}: cannot read the file: {err.strerror or err}") from None
    except UnicodeDecodeError as err:
        raise UsageError(f"{path}: {_not_utf8(err)}") from None


def _not_utf8(err: UnicodeDecodeError) -> str:
    return f"not UTF-8 text (byte {err.start + 1} is 0x{err.object[err.start]:02x})"


def read_policy(path: str) -> RebatePolicy | PolicyVersions:
    """The rebate policy (or the versions of one) that the JSON file ``path`` holds.

    JSON numbers are read as exact decimals (``0.02`` is ``Decimal("0.02")``, never a binary
    float); an object with a ``versions`` key is a ``PolicyVersions``.
    """
    text = _text(path)
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as err:
        raise UsageError(f"{path}: not valid JSON: {err}") from None
    if not isinstance(data, dict):
        msg = f"{path}: a policy is a JSON object, not {type(data).__name__}"
        raise UsageError(msg)
    model: type[RebatePolicy | PolicyVersions] = (
        PolicyVersions if "versions" in data else RebatePolicy
    )
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise UsageError(f"{path}: not a valid {model.__name__}:\n{fields_of(err)}") from None


def fields_of(err: ValidationError, indent: str = "  ") -> str:
    """Each error of ``err`` on a line: ``field.path: message (value ...)``.

    A rule about the whole model (a validator's message names its fields) has no path and no
    value shown.
    """
    lines = []
    for e in err.errors(include_url=False):
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in e["loc"])
        msg = e["msg"].removeprefix("Value error, ")
        if not where:
            lines.append(f"{indent}{msg}")
            continue
        value = e.get("input")
        shown = "" if isinstance(value, dict | list) else f" (value {_shown(value)})"
        lines.append(f"{indent}{where.lstrip('.')}: {msg}{shown}")
    return "\n".join(lines)


def _shown(value: object) -> str:
    text = decimal_text(value) if isinstance(value, Decimal) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _check_input(path: str, what: str, lang: str) -> None:
    if Path(path).suffix.lower() not in _IN_KINDS:
        msg = pick(
            lang,
            f"{path}: {what} must be a .csv or .parquet file",
            f"{path}：{what}须为 .csv 或 .parquet 文件",
        )
        raise UsageError(msg)
    if not Path(path).is_file():
        raise UsageError(pick(lang, f"{path}: no such file", f"{path}：文件不存在"))


def read_frame(
    path: str, *, currency: str | None, lang: str, command: str, split: bool = False
) -> Any:
    """The transactions of ``path`` read by ``frames.read_transactions``.

    With ``split``, ``(frame, rejected)``; otherwise a rejected row is a usage error naming
    the file, the rows and their columns.
    """
    frames = need_frames(command, lang)
    import pyarrow as pa

    _check_input(path, pick(lang, "transactions", "交易数据"), lang)
    try:
        return frames.read_transactions(
            path, currency=currency, errors="split" if split else "raise"
        )
    except FrameError as err:
        raise UsageError(f"{path}: {err}{_frame_hint(err, path, lang)}") from None
    except ArgumentError as err:
        raise UsageError(f"{path}: {err}") from None
    except OSError as err:
        raise UsageError(f"{path}: cannot read the file: {err.strerror or err}") from None
    except (ValueError, pa.ArrowException) as err:  # ArrowInvalid, a header not UTF-8
        raise UsageError(f"{path}: {_unreadable(path, err)}") from None


def _frame_hint(err: FrameError, path: str, lang: str) -> str:
    if err.rejected is not None:
        return pick(
            lang,
            f"\nrun `channelkit validate {path} --rejected FILE` to write every rejected row",
            f"\n运行 `channelkit validate {path} --rejected FILE` 写出全部被拒绝的行",
        )
    if str(err).startswith("currency: the table has no currency column"):
        return pick(
            lang,
            "\non the command line: add --currency CODE (such as --currency CNY)",
            "\n命令行中：加上 --currency CODE（例如 --currency CNY）",
        )
    return ""


def _unreadable(path: str, err: Exception) -> str:
    if isinstance(err, UnicodeDecodeError):
        return _not_utf8(err)
    text = str(err)
    if text.startswith("CSV parse error"):
        line = _bad_line(path)
        if line is not None:
            return f"line {line}: {text}"
    return text


def _bad_line(path: str) -> int | None:
    """The line on which the first record with a field count unlike the header's ends."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f)
            width = len(next(reader, []))
            for record in reader:
                if record and len(record) != width:
                    return reader.line_num
    except (OSError, ValueError, csv.Error):
        return None
    return None


def read_rows(
    path: str, what: str, lang: str, command: str
) -> tuple[list[str], list[dict[str, Any]]]:
    """The columns and rows of a small ``.csv`` (text, empty fields null) or ``.parquet`` table."""
    need_frames(command, lang)
    import pyarrow as pa

    from channelkit.frames._input import read_table

    _check_input(path, what, lang)
    try:
        table = read_table(path)
    except OSError as err:
        raise UsageError(f"{path}: cannot read the file: {err.strerror or err}") from None
    except (ValueError, pa.ArrowException) as err:
        raise UsageError(f"{path}: {_unreadable(path, err)}") from None
    return table.column_names, table.to_pylist()


# -- output ---------------------------------------------------------------------------------------


def check_out(path: str, lang: str) -> str:
    """The format of the output file ``path`` (its suffix), checked before any work is done."""
    kind = Path(path).suffix.lower()
    if kind not in OUT_KINDS:
        msg = pick(
            lang,
            f"{path}: an output file must end in .csv, .parquet or .json",
            f"{path}：输出文件须以 .csv、.parquet 或 .json 结尾",
        )
        raise UsageError(msg)
    parent = Path(path).parent
    if not parent.is_dir():
        raise UsageError(pick(lang, f"{path}: no folder {parent}", f"{path}：目录 {parent} 不存在"))
    return kind


def write_table(table: Any, path: str) -> None:
    """Write the Arrow ``table`` to ``path`` as CSV, Parquet or JSON (by the suffix).

    CSV: a header and one line per row, fields quoted only where needed, nulls empty, numbers
    exact, list and struct columns as JSON text. JSON: an array of one object per row, numbers
    as exact decimal strings (as channelkit's models write them), dates ISO. Parquet: the
    table as it is.
    """
    import pyarrow as pa

    kind = Path(path).suffix.lower()
    try:
        if kind == ".parquet":
            import pyarrow.parquet as pq

            pq.write_table(table, path)
        elif kind == ".csv":
            from pyarrow import csv as pacsv

            flat = {
                name: _json_column(col) if pa.types.is_nested(col.type) else col
                for name, col in zip(table.column_names, table.columns, strict=True)
            }
            options = pacsv.WriteOptions(quoting_style="needed")
            pacsv.write_csv(pa.table(flat), path, write_options=options)
        else:
            with open(path, "w", encoding="utf-8") as f:
                _write_json(f, table.to_pylist())
    except OSError as err:
        raise UsageError(f"{path}: cannot write the file: {err.strerror or err}") from None


def _json_column(col: Any) -> Any:
    import pyarrow as pa

    texts = [None if v is None else _dumps(v) for v in col.to_pylist()]
    return pa.array(texts, pa.string())


def _dumps(value: object) -> str:
    return json.dumps(_plain(value), ensure_ascii=False, separators=(",", ":"))


def _plain(value: object) -> object:
    """``value`` with decimals as exact text and dates as ISO text, for JSON."""
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _write_json(f: Any, rows: Iterable[dict[str, Any]]) -> None:
    f.write("[")
    for i, row in enumerate(rows):
        f.write(",\n" if i else "\n")
        f.write(_dumps(row))
    f.write("\n]\n")
