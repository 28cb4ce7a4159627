"""Lower layers never import higher ones (docs/design.md, "Layout by feature")."""

from __future__ import annotations

import ast
from pathlib import Path

import channelkit

ROOT = Path(channelkit.__file__).parent

LAYERS: dict[str, int] = {
    "errors": 0,
    "numeric": 0,
    "labels": 0,
    "model": 0,
    "currencies": 0,
    "money": 0,
    "periods": 0,
    "scales": 0,
    "html": 0,
    "partners": 1,
    "transactions": 1,
    "statements": 1,
    "scoring": 2,
    "kpi": 2,
    "frames": 2,  # tables of facts; the areas read frames (lazily: pyarrow is optional)
    "_tables": 2,  # how an area tells a table from models and reaches frames, without pyarrow
    "tiers": 3,
    "rebates": 3,
    "credit": 3,
    "review": 3,
    "conflicts": 3,
    "risk": 3,
    "incentives": 3,  # funds and profitability: read facts and frames, never rebates
    "schemas": 4,
    "spark": 4,  # tables on a cluster: reads frames, rebates and review (pyspark is optional)
    "plot": 4,  # charts: reads rebates, review, risk and credit (matplotlib is optional)
    "cli": 4,  # the command line: reads frames and every area it runs
    "testing": 4,
    "demo": 4,
    "__main__": 4,
    "_hypothesis": 4,
    "__init__": 4,
}
# within a layer, these may lean on a sibling (the kernel builds on itself in this order)
ALLOWED_SIBLINGS: dict[str, set[str]] = {
    "numeric": {"errors"},
    "labels": {"errors", "numeric"},
    "model": set(),
    "currencies": {"errors"},
    "money": {"currencies", "errors", "numeric"},
    "periods": {"errors", "labels", "model", "numeric"},
    "scales": {"errors", "labels", "numeric"},
    "html": {"labels", "money"},
    "rebates": {"tiers"},
    "_tables": {"frames"},
}
# single files that reach a higher layer at call time, with the reason
UPWARD: dict[str, set[str]] = {
    # the array path of rebate_amounts, which rebates calls in turn: it reaches the rebate
    # engine inside the function, so that both paths share one engine
    "frames/_amounts.py": {"rebates"},
}


def _area(path: Path) -> str:
    rel = path.relative_to(ROOT)
    return rel.parts[0].removesuffix(".py")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.startswith("channelkit.")
        ):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("channelkit."):
                    found.add(alias.name.split(".")[1])
    return found


def test_lower_layers_never_import_higher_ones() -> None:
    problems = []
    for path in ROOT.rglob("*.py"):
        area = _area(path)
        if area not in LAYERS:
            problems.append(f"{path}: area {area!r} has no layer in this test")
            continue
        allowed = UPWARD.get(path.relative_to(ROOT).as_posix(), set())
        for target in _imports(path) - {area} - allowed:
            if target not in LAYERS:
                problems.append(f"{path}: imports unknown area {target!r}")
            elif LAYERS[target] > LAYERS[area] or (
                LAYERS[target] == LAYERS[area]
                and LAYERS[area] < 4
                and target not in ALLOWED_SIBLINGS.get(area, set())
            ):
                problems.append(f"{area} (layer {LAYERS[area]}) imports {target}")
    assert not problems, "\n".join(problems)
