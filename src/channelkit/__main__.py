"""Command line: ``python -m channelkit demo [--lang zh]``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m channelkit",
        description="channelkit: sales-channel management calculators.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = commands.add_parser(
        "demo", help="print a worked quarter for the bundled sample partners (writes no files)"
    )
    demo.add_argument("--lang", choices=["en", "zh"], default="en", help="language (default: en)")
    args = parser.parse_args(argv)
    if args.version:
        from channelkit import __version__

        print(__version__)
        return 0
    if args.command != "demo":
        parser.print_help()
        return 2
    from channelkit.demo import render

    text = render(args.lang)
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:  # a terminal that cannot show Chinese
        sys.stdout.buffer.write(text.encode("utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
