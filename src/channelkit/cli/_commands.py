"""The commands: ``settle``, ``review`` and ``validate`` on files of transactions.

Each takes the parsed arguments and the language, prints its summary on standard output and
returns the exit status; every problem with an input is a
[`UsageError`][channelkit.cli._io.UsageError] (status 2). ``lint``, ``schema`` and ``demo``,
which read no table, are in [`channelkit.cli._policy`][].
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from typing import Any, Final

from channelkit.cli._io import (
    UsageError,
    check_out,
    count,
    emit,
    read_frame,
    read_policy,
    write_table,
)
from channelkit.cli._progress import Progress
from channelkit.currencies import CURRENCIES
from channelkit.errors import ChannelkitError
from channelkit.labels import fmt_amount, pick
from channelkit.money import Money

__all__ = ["SHOWN", "review", "settle", "validate"]

SHOWN: Final = 20
"""How many settlements ``settle`` explains on standard output (``--out`` writes them all)."""

_REJECTED_SHOWN: Final = 5


def settle(args: argparse.Namespace, lang: str) -> int:
    """``settle POLICY.json TRANSACTIONS --period P [--out FILE] [--lang zh]``."""
    from channelkit.rebates import settle_all

    if args.out is not None:
        check_out(args.out, lang)
    policy = read_policy(args.policy)
    steps = 3 if args.out is not None else 2
    with Progress.for_input(sys.stderr, args.transactions, steps=steps) as bar:
        bar.step(pick(lang, "reading", "读取"))
        frame = read_frame(args.transactions, currency=args.currency, lang=lang, command="settle")
        bar.step(pick(lang, "settling", "结算"))
        try:
            results = settle_all(policy, frame, args.period)
        except ChannelkitError as err:
            raise UsageError(f"{args.policy} on {args.transactions}: {err}") from None
        if args.out is not None:
            bar.step(pick(lang, "writing", "写出"))
            _write(results, args.out, args.lang)
    payable = _total(results, policy.currency)
    if args.out is not None:
        emit(
            pick(
                lang,
                f"Wrote {count(len(results), 'settlement')} to {args.out} (payable {payable})\n",
                f"已将 {len(results):,} 条结算写入 {args.out}（应付合计 {payable}）\n",
            )
        )
        return 0
    head = pick(
        lang,
        f"Settlement under policy {policy.id} for {args.period} from {args.transactions}: "
        f"{count(len(results), 'partner')}, payable {payable}",
        f"政策 {policy.id} 在 {args.period} 的返利结算（{args.transactions}）："
        f"{len(results):,} 个渠道伙伴，应付合计 {payable}",
    )
    parts = [head]
    if not results:
        parts.append(
            pick(
                lang,
                "No partner has a transaction in the period and the policy's scope.",
                "期内没有渠道伙伴在政策范围内的交易。",
            )
        )
    parts.extend(s.explain(lang) for s in list(results.values())[:SHOWN])
    more = len(results) - SHOWN
    if more > 0:
        parts.append(
            pick(
                lang,
                f"... and {more:,} more partners: write them all with --out FILE.csv",
                f"……另有 {more:,} 个渠道伙伴：用 --out FILE.csv 写出全部",
            )
        )
    emit("\n\n".join(parts) + "\n")
    return 0


def review(args: argparse.Namespace, lang: str) -> int:
    """``review TRANSACTIONS --period P [--prior P] [--partners F] [--targets F] [--out F]``."""
    from channelkit.cli._inputs import read_partners, read_targets
    from channelkit.review import review as run_review

    if args.out is not None:
        check_out(args.out, lang)
    partners = read_partners(args.partners, lang) if args.partners is not None else []
    targets = read_targets(args.targets, lang) if args.targets is not None else None
    steps = 3 if args.out is not None else 2
    with Progress.for_input(sys.stderr, args.transactions, steps=steps) as bar:
        bar.step(pick(lang, "reading", "读取"))
        frame = read_frame(args.transactions, currency=args.currency, lang=lang, command="review")
        bar.step(pick(lang, "reviewing", "评估"))
        try:
            result = run_review(
                frame, args.period, partners=partners, prior=args.prior, targets=targets
            )
        except ChannelkitError as err:
            raise UsageError(f"review of {args.transactions}: {err}") from None
        if args.out is not None:
            bar.step(pick(lang, "writing", "写出"))
            _write(result.partners, args.out, args.lang)
    if args.out is not None:
        emit(
            pick(
                lang,
                f"Wrote {count(len(result.partners), 'partner row')} of the review of "
                f"{args.period} to {args.out}\n",
                f"已将 {args.period} 渠道评估的 {len(result.partners):,} 行渠道伙伴数据写入 "
                f"{args.out}\n",
            )
        )
        return 0
    emit(result.explain(lang) + "\n")
    return 0


def validate(args: argparse.Namespace, lang: str) -> int:
    """``validate TRANSACTIONS [--rejected FILE]``: counts, and the rejected rows with reasons."""
    if args.rejected is not None:
        check_out(args.rejected, lang)
    path = args.transactions
    with Progress.for_input(sys.stderr, path, steps=2 if args.rejected else 1) as bar:
        bar.step(pick(lang, "reading", "读取"))
        frame, rejected = read_frame(
            path, currency=args.currency, lang=lang, command="validate", split=True
        )
        if args.rejected is not None:
            bar.step(pick(lang, "writing", "写出"))
            write_table(rejected, args.rejected)
    bad = rejected.num_rows
    total = len(frame) + bad
    if not bad:
        emit(
            pick(
                lang,
                f"{path}: {count(total, 'row')}, all valid\n",
                f"{path}：共 {total:,} 行，全部有效\n",
            )
        )
        return 0
    lines = [
        pick(
            lang,
            f"{path}: {count(total, 'row')}, {len(frame):,} valid, {bad:,} rejected",
            f"{path}：共 {total:,} 行，有效 {len(frame):,} 行，拒绝 {bad:,} 行",
        )
    ]
    shown = bad if args.rejected is None else min(bad, _REJECTED_SHOWN)
    rows = rejected.column("row").slice(0, shown).to_pylist()
    reasons = rejected.column("reason").slice(0, shown).to_pylist()
    lines.extend(f"  row {r}: {reason}" for r, reason in zip(rows, reasons, strict=True))
    if args.rejected is not None:
        if bad > shown:
            lines.append(
                pick(lang, f"  ... and {bad - shown:,} more", f"  ……另有 {bad - shown:,} 行")
            )
        lines.append(
            pick(
                lang,
                f"Wrote {count(bad, 'rejected row')} to {args.rejected}",
                f"已将 {bad:,} 行被拒绝的数据写入 {args.rejected}",
            )
        )
    emit("\n".join(lines) + "\n")
    return 1


def _total(results: Mapping[str, Any], currency: str) -> str:
    total = sum((s.payable for s in results.values()), Money.zero(currency))
    return f"{fmt_amount(total.amount, CURRENCIES[currency])} {currency}"


def _write(results: Any, path: str, explain_in: str | None) -> None:
    """``frames.to_arrow`` of ``results`` (with an explanation column when ``--lang`` is given)."""
    from channelkit.frames import to_arrow

    items = list(results.values()) if isinstance(results, Mapping) else list(results)
    if items and not hasattr(items[0], "explain"):
        explain_in = None
    write_table(to_arrow(items, lang=explain_in), path)
