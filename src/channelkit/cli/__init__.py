"""The command line: ``channelkit`` (or ``python -m channelkit``) and its commands.

``demo``, ``settle``, ``review``, ``validate``, ``lint`` and ``schema``, as the guide
(docs/cli.md) shows. Only ``argparse`` is imported here; each command imports what it needs
when it runs, so ``demo``, ``lint`` and ``schema`` need no pyarrow and start fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import Final

__all__ = ["main"]

_PROG: Final = "channelkit"
_LANG_HELP: Final = "language of the summary and messages: en or zh (default: en)"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); returns the exit status.

    Parameters
    ----------
    argv
        The arguments after the program's name, such as
        ``["settle", "policy.json", "sales.csv", "--period", "2026Q3"]``.

    Returns
    -------
    int
        0 on success; 1 when ``validate`` rejects a row or ``lint`` finds a flaw; 2 on a usage
        error (no command, an unreadable or invalid file, a rejected row in ``settle`` or
        ``review``, pyarrow missing for a command that reads tables).

    Notes
    -----
    Arguments that ``argparse`` refuses (an unknown option, a bad ``--period``) raise
    ``SystemExit(2)`` after printing the usage, as every ``argparse`` program does. Any other
    error is printed on standard error as ``channelkit COMMAND: error: FILE: ...`` (naming the
    row and the column when they are known) and returns 2. Nothing is written on standard
    output but the command's result, so the output can be piped.

    Examples
    --------
    >>> main(["schema", "Money"])  # doctest: +ELLIPSIS
    {
      "additionalProperties": false,
    ...
      "title": "Money",
      "type": "object"
    }
    0
    """
    from channelkit.cli._io import UsageError

    parser = _parser()
    args = parser.parse_args(argv)
    if args.version:
        from channelkit import __version__

        print(__version__)
        return 0
    if args.command is None:
        parser.print_help()
        return 2
    lang: str = args.lang or "en"
    try:
        return _COMMANDS[args.command]()(args, lang)
    except UsageError as err:
        sys.stdout.flush()
        error = "错误" if lang == "zh" else "error"
        print(f"{_PROG} {args.command}: {error}: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader of a pipe stopped reading (``| head``)
        # what is still buffered would fail again when Python flushes stdout at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):  # a stdout that is no file (replaced, closed)
            pass
        finally:
            os.close(devnull)
        return 1


Handler = Callable[[argparse.Namespace, str], int]


def _settle() -> Handler:
    from channelkit.cli._commands import settle

    return settle


def _review() -> Handler:
    from channelkit.cli._commands import review

    return review


def _validate() -> Handler:
    from channelkit.cli._commands import validate

    return validate


def _lint() -> Handler:
    from channelkit.cli._policy import lint

    return lint


def _schema() -> Handler:
    from channelkit.cli._policy import schema

    return schema


def _demo() -> Handler:
    from channelkit.cli._policy import demo

    return demo


_COMMANDS: Final[dict[str, Callable[[], Handler]]] = {
    "demo": _demo,
    "settle": _settle,
    "review": _review,
    "validate": _validate,
    "lint": _lint,
    "schema": _schema,
}


def _period(text: str) -> object:
    from channelkit.cli._periods import parse_period
    from channelkit.errors import ArgumentError

    try:
        return parse_period(text)
    except ArgumentError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=_PROG,
        description="channelkit: sales-channel management calculators.",
        epilog="Exit status: 0 success, 1 rejected rows (validate) or findings (lint), "
        "2 usage errors.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = commands.add_parser(
        "demo", help="print a worked quarter for the bundled sample partners (writes no files)"
    )
    demo.add_argument("--lang", choices=["en", "zh"], default="en", help=_LANG_HELP)

    table_help = "a .csv or .parquet file of transactions (channelkit.frames' columns)"
    out_help = (
        "write the results' columns to FILE.csv, FILE.parquet or FILE.json (with --lang, "
        "also an explanation column in that language)"
    )
    settle = commands.add_parser(
        "settle", help="settle a rebate policy for every partner in a file of transactions"
    )
    settle.add_argument("policy", metavar="POLICY.json", help="a RebatePolicy (or PolicyVersions)")
    settle.add_argument("transactions", metavar="TRANSACTIONS", help=table_help)
    _period_option(settle, "--period", required=True, what="the settlement period")
    settle.add_argument("--out", metavar="FILE", help=out_help)
    _common(settle)

    review = commands.add_parser("review", help="review a period of the channel")
    review.add_argument("transactions", metavar="TRANSACTIONS", help=table_help)
    _period_option(review, "--period", required=True, what="the period reviewed")
    _period_option(review, "--prior", required=False, what="a comparison period")
    review.add_argument("--partners", metavar="PARTNERS.csv", help="the channel's partners")
    review.add_argument(
        "--targets", metavar="TARGETS.csv", help="net-sales targets: partner_id,target"
    )
    review.add_argument("--out", metavar="FILE", help=out_help + " (the partner rows)")
    _common(review)

    validate = commands.add_parser(
        "validate", help="check every row of a file of transactions; list the rejected ones"
    )
    validate.add_argument("transactions", metavar="TRANSACTIONS", help=table_help)
    validate.add_argument(
        "--rejected", metavar="FILE", help="write the rejected rows (with row and reason) there"
    )
    _common(validate)

    lint = commands.add_parser("lint", help="find the design flaws of a rebate policy")
    lint.add_argument("policy", metavar="POLICY.json", help="a RebatePolicy (or PolicyVersions)")
    lint.add_argument("--lang", choices=["en", "zh"], help=_LANG_HELP)

    schema = commands.add_parser("schema", help="print the JSON Schema of a model, or of all")
    schema.add_argument("model", metavar="MODEL", nargs="?", help="a model's name, such as Partner")
    schema.add_argument("--lang", choices=["en", "zh"], help=_LANG_HELP)
    return parser


def _period_option(
    parser: argparse.ArgumentParser, flag: str, *, required: bool, what: str
) -> None:
    forms = "2026Q3, 2026H2, 2026-07, 2026 or 2026-07-01..2026-10-01 (end excluded)"
    parser.add_argument(flag, metavar="P", type=_period, required=required, help=f"{what}: {forms}")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--currency",
        metavar="CODE",
        help="the currency of every row, for a file without a currency column",
    )
    parser.add_argument("--lang", choices=["en", "zh"], help=_LANG_HELP)
