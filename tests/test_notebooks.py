"""The docs' executed notebook runs, shows what it should, and its committed outputs are current.

``docs/notebooks/channel-review.ipynb`` is built and executed by ``docs/notebooks/build.py``;
here it is executed again (a temporary copy, in a temporary directory) and compared with the
committed file. The mkdocs hook that shows it in the site (``docs/hooks/notebooks.py``) is
tested on small notebooks.
"""

from __future__ import annotations

import base64
import copy
import importlib.util
import json
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "docs" / "notebooks" / "build.py"
HOOK = ROOT / "docs" / "hooks" / "notebooks.py"
NOTEBOOK = ROOT / "docs" / "notebooks" / "channel-review.ipynb"
PNG = b"\x89PNG\r\n\x1a\n"


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the notebook, executed ------------------------------------------------------------------


@pytest.fixture(scope="module")
def build() -> ModuleType:
    for name in ("nbformat", "nbclient", "ipykernel", "matplotlib", "pyarrow"):
        pytest.importorskip(name)
    return _load(BUILD, "channelkit_notebook_build")


@pytest.fixture(scope="module")
def committed(build: ModuleType) -> Any:
    import nbformat

    return nbformat.read(NOTEBOOK, as_version=4)  # type: ignore[no-untyped-call]


@pytest.fixture(scope="module")
def executed(build: ModuleType, committed: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The committed notebook, outputs cleared, executed again in a temporary directory."""
    nb = copy.deepcopy(committed)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    cwd = tmp_path_factory.mktemp("notebook")
    with pytest.MonkeyPatch.context() as mp:
        for name, value in build.KERNEL_ENV.items():
            mp.setenv(name, value)
        build.execute(nb, cwd=cwd)
    # the notebook wrote only inside its own temporary directory (the kernel's IPython
    # directory is the one file the run puts in its working directory, on purpose)
    assert sorted(p.name for p in cwd.iterdir()) == [".ipython"]
    return nb


def _code(nb: Any) -> list[Any]:
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def _cell(nb: Any, text: str) -> Any:
    """The one code cell whose source contains ``text``."""
    (cell,) = [cell for cell in _code(nb) if text in cell.source]
    return cell


def _texts(cell: Any) -> list[tuple[str, str]]:
    """A cell's outputs without its images: (kind, text) for every stream, plain and HTML text."""
    out = []
    for output in cell.outputs:
        if output.output_type == "stream":
            out.append((f"stream:{output.name}", output.text))
        elif output.output_type in {"execute_result", "display_data"}:
            out.extend(
                (mime, output.data[mime])
                for mime in ("text/plain", "text/html")
                if mime in output.data
            )
        else:
            out.append((output.output_type, json.dumps(output, sort_keys=True)))
    return out


def _images(cell: Any) -> list[bytes]:
    return [
        base64.b64decode(output.data["image/png"])
        for output in cell.outputs
        if "image/png" in output.get("data", {})
    ]


def test_every_cell_ran_without_error(executed: Any) -> None:
    cells = _code(executed)
    assert [cell.execution_count for cell in cells] == list(range(1, len(cells) + 1))
    errors = [o for cell in cells for o in cell.outputs if o.output_type == "error"]
    assert errors == []
    stderr = [o.text for cell in cells for o in cell.outputs if o.get("name") == "stderr"]
    assert stderr == [], "a cell wrote to standard error (a warning?)"


def test_reads_the_parquet_file_back_unchanged(executed: Any) -> None:
    (written,) = _texts(_cell(executed, "pq.write_table"))[:1]
    assert written == ("stream:stdout", "transactions-2026q3.parquet holds 31 rows\n")
    # (rows, currency, same transactions as the sample)
    assert _texts(_cell(executed, "read_transactions")) == [("text/plain", "(31, 'CNY', True)")]


def test_the_review_shows_as_its_html_table(executed: Any) -> None:
    outputs = dict(_texts(_cell(executed, "quarter = review(")))
    html = outputs["text/html"]
    assert html.startswith('<div class="channelkit">')
    assert "<table>" in html
    assert "D-NORTH" in html
    assert "<script" not in html
    explained = _texts(_cell(executed, 'quarter.explain("zh")'))
    assert explained[0][0] == "stream:stdout"
    assert explained[0][1].startswith("渠道绩效评估 2026-07-01..2026-10-01")


def test_the_settlement_explains_and_tabulates(executed: Any) -> None:
    (printed,) = _texts(_cell(executed, "settle_all("))
    # O-MALL collected 30,000 of 71,750 (41.81%, below 50%): 1% of 71,750 = 717.50, halved
    assert "condition collection_rate at least 0.5 not met (0.4181)" in printed[1]
    assert "Payable: 358.75 CNY" in printed[1]
    outputs = dict(_texts(_cell(executed, "to_pandas")))
    assert "<table" in outputs.get("text/html", outputs["text/plain"])
    assert "358.75" in outputs["text/plain"]


@pytest.mark.parametrize("chart", ["review_chart(quarter)", "rebate_curve(POLICY"])
def test_each_chart_is_a_png_image(executed: Any, chart: str) -> None:
    cell = _cell(executed, chart)
    (image,) = _images(cell)
    assert image.startswith(PNG)
    (plain,) = [text for mime, text in _texts(cell) if mime == "text/plain"]
    assert plain.startswith("<Figure size")


def test_the_committed_outputs_are_current(committed: Any, executed: Any) -> None:
    """Re-executed, every cell prints and shows the same text; images are still images."""
    stale = [
        cell.id
        for cell, again in zip(_code(committed), _code(executed), strict=True)
        if _texts(cell) != _texts(again) or len(_images(cell)) != len(_images(again))
    ]
    assert stale == [], "rebuild the notebook: python docs/notebooks/build.py"
    assert [c.execution_count for c in _code(committed)] == [
        c.execution_count for c in _code(executed)
    ]


def test_the_committed_notebook_is_the_build_scripts(build: ModuleType, committed: Any) -> None:
    import nbformat

    nbformat.validate(committed)
    fresh = build.notebook()
    assert [(c.cell_type, c.id, c.source) for c in committed.cells] == [
        (c.cell_type, c.id, c.source) for c in fresh.cells
    ], "rebuild the notebook: python docs/notebooks/build.py"
    assert committed.metadata.kernelspec.name == "python3"
    assert 12 <= len(committed.cells) <= 16  # short: read in a minute, run in seconds


def test_the_build_script_writes_the_committed_notebook(
    build: ModuleType,
    committed: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import nbformat

    monkeypatch.setattr(build, "NOTEBOOK", tmp_path / "channel-review.ipynb")
    monkeypatch.setattr(build, "README_CHART", tmp_path / "images" / "review-chart.png")
    for name in build.KERNEL_ENV:  # main() sets them; monkeypatch restores them afterwards
        monkeypatch.setenv(name, "")
    assert build.main() == 0
    assert capsys.readouterr().out == (
        "wrote channel-review.ipynb: 16 cells, executed\nwrote review-chart.png\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["channel-review.ipynb", "images"]
    # the README's chart: a PNG of the sample quarter's review
    assert (tmp_path / "images" / "review-chart.png").read_bytes().startswith(b"\x89PNG")
    written = nbformat.read(tmp_path / "channel-review.ipynb", as_version=4)  # type: ignore[no-untyped-call]
    assert [(c.id, c.source) for c in written.cells] == [(c.id, c.source) for c in committed.cells]
    assert [_texts(c) for c in _code(written)] == [_texts(c) for c in _code(committed)]


def test_the_committed_outputs_hold_no_paths_or_timings(committed: Any) -> None:
    text = json.dumps([c.get("outputs", []) for c in committed.cells])
    for fragment in (tempfile.gettempdir(), str(ROOT), str(Path.home())):
        assert fragment not in text
    assert all("execution" not in cell.metadata for cell in committed.cells)


# --- the mkdocs hook ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hook() -> ModuleType:
    pytest.importorskip("mkdocs")
    return _load(HOOK, "channelkit_notebooks_hook")


def _notebook(*cells: dict[str, Any]) -> dict[str, Any]:
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": list(cells)}


def _code_cell(source: str, *outputs: dict[str, Any]) -> dict[str, Any]:
    return {"cell_type": "code", "source": source, "outputs": list(outputs), "metadata": {}}


def test_hook_renders_each_kind_of_output(hook: ModuleType) -> None:
    png = base64.b64encode(PNG).decode()
    page = hook.render(
        _notebook(
            {"cell_type": "markdown", "source": ["Intro ", "text."]},
            {"cell_type": "raw", "source": "left out"},
            _code_cell(
                "x",
                {"output_type": "stream", "name": "stdout", "text": ["a\n", "b\n"]},
                {
                    "output_type": "display_data",
                    "data": {"image/png": png[:4] + "\n" + png[4:], "text/plain": "<Figure & co>"},
                },
                {
                    "output_type": "execute_result",
                    "data": {"text/html": "<table></table>\n", "text/plain": "T"},
                },
                {"output_type": "execute_result", "data": {"text/plain": ["1", "2"]}},
                {"output_type": "execute_result", "data": {"application/json": {}}},
            ),
        )
    )
    assert page.split("\n\n") == [
        "Intro text.",
        "```python\nx\n```",
        "```text\na\nb\n```",
        f'<div class="nb-output"><img src="data:image/png;base64,{png}" '
        'alt="&lt;Figure &amp; co&gt;"></div>',
        '<div class="nb-output">\n<table></table>\n</div>',
        "```text\n12\n```\n",
    ]


def test_hook_fences_outlast_backticks_inside(hook: ModuleType) -> None:
    page = hook.render(_notebook(_code_cell('s = """\n```\n````\n"""')))
    assert page == '`````python\ns = """\n```\n````\n"""\n`````\n'


def test_hook_renders_errors_without_colours(hook: ModuleType) -> None:
    traceback = {
        "output_type": "error",
        "ename": "KeyError",
        "evalue": "'x'",
        "traceback": ["\x1b[0;31mKeyError\x1b[0m: 'x'"],
    }
    bare = {"output_type": "error", "ename": "KeyError", "evalue": "'x'", "traceback": []}
    page = hook.render(_notebook(_code_cell("d['x']", traceback, bare)))
    assert page.count("```text\nKeyError: 'x'\n```") == 2


@pytest.mark.parametrize(
    ("first", "expected"),
    [
        ("# Title", "# Title\n\n[Download the notebook](n.ipynb)\n"),
        ("## Not a title", "[Download the notebook](n.ipynb)\n\n## Not a title\n"),
    ],
)
def test_hook_links_the_notebook_under_its_title(
    hook: ModuleType, first: str, expected: str
) -> None:
    page = hook.render(_notebook({"cell_type": "markdown", "source": first}), download="n.ipynb")
    assert page == expected
    assert hook.render(_notebook(), download="n.ipynb") == "[Download the notebook](n.ipynb)\n"


def _files(docs: Path, site: Path, names: list[str]) -> Any:
    """The files of a site whose config lists the hook, after mkdocs ran its ``on_files``."""
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files

    config = MkDocsConfig(config_file_path=str(docs.parent / "mkdocs.yml"))
    config.load_dict(
        {"site_name": "t", "docs_dir": str(docs), "site_dir": str(site), "hooks": [str(HOOK)]}
    )
    errors, warnings = config.validate()
    assert (errors, warnings) == ([], [])
    files = Files([File(name, str(docs), str(site), use_directory_urls=True) for name in names])
    return config.plugins.on_files(files, config=config)


def test_hook_adds_a_page_per_notebook(hook: ModuleType, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "notebooks").mkdir(parents=True)
    nb = _notebook({"cell_type": "markdown", "source": "# A"}, _code_cell("1"))
    (docs / "notebooks" / "a.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    (docs / "other.ipynb").write_text("not read", encoding="utf-8")
    (docs / "notebooks" / "b.py").write_text("", encoding="utf-8")
    files = _files(docs, tmp_path / "site", ["notebooks/a.ipynb", "other.ipynb", "notebooks/b.py"])
    page = files.get_file_from_path("notebooks/a.md")
    assert page is not None
    assert page.generated_by == str(HOOK)  # the hook, as mkdocs names it
    assert page.content_string == hook.render(nb, download="a.ipynb")
    assert [f.src_uri for f in files] == [
        "notebooks/a.ipynb",
        "other.ipynb",
        "notebooks/b.py",
        "notebooks/a.md",
    ]


def test_hook_names_a_notebook_that_is_not_json(hook: ModuleType, tmp_path: Path) -> None:
    from mkdocs.exceptions import PluginError

    docs = tmp_path / "docs"
    (docs / "notebooks").mkdir(parents=True)
    (docs / "notebooks" / "bad.ipynb").write_text("{", encoding="utf-8")
    with pytest.raises(PluginError, match=r"notebooks/bad\.ipynb: not a notebook"):
        _files(docs, tmp_path / "site", ["notebooks/bad.ipynb"])


def test_the_real_notebook_renders(hook: ModuleType) -> None:
    page = hook.render(json.loads(NOTEBOOK.read_text(encoding="utf-8")), download=NOTEBOOK.name)
    assert page.startswith("# Channel review and settlement from a Parquet file\n\n[Download")
    assert page.count('<img src="data:image/png;base64,') == 2
    assert '<div class="nb-output">\n<div class="channelkit">' in page
