"""The commands that read no table: ``lint``, ``schema`` and ``demo`` (no pyarrow needed)."""

from __future__ import annotations

import argparse
import difflib
import json
from typing import Any

from pydantic import TypeAdapter

from channelkit.cli._io import UsageError, count, emit, read_policy
from channelkit.labels import pick
from channelkit.money import Money
from channelkit.rebates import PolicyVersions

__all__ = ["demo", "lint", "schema"]


def lint(args: argparse.Namespace, lang: str) -> int:
    """``lint POLICY.json``: the policy's design flaws, one a line; status 1 when there are any.

    A file of ``PolicyVersions`` is linted version by version, each finding prefixed with the
    version's index and validity.
    """
    from channelkit.rebates import lint as run_lint

    policy = read_policy(args.policy)
    versions = policy.versions if isinstance(policy, PolicyVersions) else (policy,)
    lines: list[str] = []
    for i, version in enumerate(versions):
        findings = run_lint(version)  # a valid policy always lints
        where = f"versions[{i}] ({version.valid}): " if isinstance(policy, PolicyVersions) else ""
        lines.extend(f"  [{f.severity.label(lang)}] {where}{f.explain(lang)}" for f in findings)
    name = f"{versions[0].id} ({versions[0].name})"
    if not lines:
        emit(
            pick(
                lang,
                f"{args.policy}: policy {name}: no findings\n",
                f"{args.policy}：政策 {name}：未发现问题\n",
            )
        )
        return 0
    head = pick(
        lang,
        f"{args.policy}: policy {name}: {count(len(lines), 'finding')}",
        f"{args.policy}：政策 {name}：发现 {len(lines)} 个问题",
    )
    emit("\n".join([head, *lines]) + "\n")
    return 1


def schema(args: argparse.Namespace, lang: str) -> int:
    """``schema [MODEL]``: the JSON Schema of one public model, or of all keyed by name."""
    from channelkit.schemas import public_models, schemas

    out: dict[str, Any]
    if args.model is None:
        out = schemas()
    else:
        models = public_models()
        if args.model == "Money":
            out = TypeAdapter(Money).json_schema()
        elif args.model in models:
            out = models[args.model].model_json_schema()
        else:
            names = ["Money", *models]
            close = difflib.get_close_matches(args.model, names, n=3)
            hint = pick(
                lang,
                f"; did you mean {' or '.join(close)}?" if close else "",
                f"；是否要找 {' 或 '.join(close)}？" if close else "",
            )
            msg = pick(
                lang,
                f"no public model is called {args.model!r}{hint} "
                "(`channelkit schema` prints every model's)",
                f"没有名为 {args.model!r} 的公开模型{hint}（`channelkit schema` 输出全部模型）",
            )
            raise UsageError(msg)
    emit(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    return 0


def demo(args: argparse.Namespace, lang: str) -> int:
    """``demo [--lang zh]``: a worked quarter for the bundled sample partners."""
    from channelkit.demo import render

    emit(render(lang))
    return 0
