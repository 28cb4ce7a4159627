"""MkDocs hook: show each committed notebook of ``docs/notebooks/`` as a page.

``notebooks/NAME.ipynb`` becomes the page ``notebooks/NAME.md``, generated at build time from the
notebook's JSON alone (no kernel, no nbconvert, no notebook plugin): markdown cells as they are,
code cells as ``python`` blocks, text outputs as plain blocks, HTML outputs as raw HTML and PNG
outputs as inline ``<img>`` tags. The outputs shown are the committed ones;
``docs/notebooks/build.py`` executes the notebook and ``tests/test_notebooks.py`` checks that they
are current. The ``.ipynb`` itself stays in the site, and the page links to it.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

__all__ = ["FOLDER", "on_files", "render"]

FOLDER = "notebooks/"
"""Where the notebooks are, relative to ``docs_dir``."""

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_BACKTICKS = re.compile(r"`{3,}")


def _text(value: str | Sequence[str]) -> str:
    """A notebook's multi-line string: one string, or a list of lines to join."""
    return value if isinstance(value, str) else "".join(value)


def _fence(text: str, lang: str) -> str:
    """``text`` as a fenced block, the fence longer than any run of backticks inside it."""
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=2)
    fence = "`" * (longest + 1)
    return f"{fence}{lang}\n{text.rstrip()}\n{fence}"


def _output(output: Mapping[str, Any]) -> str:
    """One output of a code cell as markdown (raw HTML for HTML and images)."""
    kind = output.get("output_type")
    if kind == "stream":
        return _fence(_text(output["text"]), "text")
    if kind == "error":
        lines = "\n".join(output.get("traceback", ())) or f"{output['ename']}: {output['evalue']}"
        return _fence(_ANSI.sub("", lines), "text")
    data: Mapping[str, Any] = output.get("data", {})
    if "image/png" in data:
        png = "".join(_text(data["image/png"]).split())
        alt = html.escape(_text(data.get("text/plain", "figure")), quote=True)
        return f'<div class="nb-output"><img src="data:image/png;base64,{png}" alt="{alt}"></div>'
    if "text/html" in data:
        return f'<div class="nb-output">\n{_text(data["text/html"]).strip()}\n</div>'
    if "text/plain" in data:
        return _fence(_text(data["text/plain"]), "text")
    return ""


def render(notebook: Mapping[str, Any], *, download: str | None = None) -> str:
    r"""A notebook (its parsed JSON) as a markdown page.

    Parameters
    ----------
    notebook
        The notebook, as ``json.loads`` reads an ``.ipynb`` file (nbformat 4).
    download
        A link to the notebook, put after the page's first heading (or first, without one).

    Returns
    -------
    str
        The cells in order, separated by blank lines: markdown cells as they are, code cells as
        ``python`` blocks, each followed by its outputs. A rich output shows its PNG image, else
        its HTML, else its plain text; other output kinds (such as JSON or widgets) are left out.

    Examples
    --------
    >>> page = render({"cells": [
    ...     {"cell_type": "markdown", "source": ["# Title\n", "Some *text*."]},
    ...     {"cell_type": "code", "source": "1 + 1", "outputs": [
    ...         {"output_type": "execute_result", "data": {"text/plain": "2"}}]},
    ... ]}, download="title.ipynb")
    >>> print(page)
    # Title
    <BLANKLINE>
    [Download the notebook](title.ipynb)
    <BLANKLINE>
    Some *text*.
    <BLANKLINE>
    ```python
    1 + 1
    ```
    <BLANKLINE>
    ```text
    2
    ```
    <BLANKLINE>
    """
    parts: list[str] = []
    for cell in notebook.get("cells", ()):
        source = _text(cell.get("source", "")).strip()
        if cell.get("cell_type") == "markdown":
            parts.append(source)
        elif cell.get("cell_type") == "code":
            parts.append(_fence(source, "python"))
            parts.extend(filter(None, (_output(o) for o in cell.get("outputs", ()))))
    if download is not None:
        link = f"[Download the notebook]({download})"
        first = parts[0] if parts else ""
        if first.startswith("# "):
            title, _, rest = first.partition("\n")
            parts[:1] = [title, link, rest.strip()] if rest.strip() else [title, link]
        else:
            parts.insert(0, link)
    return "\n\n".join(parts) + "\n"


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add a generated page for each notebook in ``FOLDER``."""
    for file in list(files):
        uri = PurePosixPath(file.src_uri)
        if not file.src_uri.startswith(FOLDER) or uri.suffix != ".ipynb":
            continue
        try:
            notebook = json.loads(file.content_bytes)
        except ValueError as err:
            raise PluginError(f"{file.src_uri}: not a notebook ({err})") from None
        page = render(notebook, download=uri.name)
        files.append(File.generated(config, str(uri.with_suffix(".md")), content=page))
    return files
