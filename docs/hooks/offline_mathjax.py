"""MkDocs hook: ship MathJax with the site, so formulas render without any network.

The MathJax 3 build comes from the ``django-static-mathjax`` package (a dependency of the dev
extra; it has no dependencies of its own, and its import name is ``mathjax``). The hook adds the
TeX-to-CommonHTML bundle, the TeX extensions it may autoload and its web fonts to the site under
``assets/mathjax/``; ``mkdocs.yml`` loads ``assets/mathjax/tex-chtml.js`` after the MathJax
configuration in ``javascripts/mathjax.js``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

DEST = "assets/mathjax"
"""Where the MathJax files go in the site."""

PARTS = ("tex-chtml.js", "input/tex/extensions", "output/chtml/fonts/woff-v2")
"""The parts of MathJax's ``es5`` build the site needs, relative to it."""


def _es5() -> Path:
    """The ``es5`` build directory of the installed MathJax, or a build error."""
    spec = importlib.util.find_spec("mathjax")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        es5 = Path(location) / "static" / "mathjax" / "es5"
        if (es5 / "tex-chtml.js").is_file():
            return es5
    raise PluginError(
        "MathJax not found: install the dev extra (pip install -e '.[dev]'), which brings "
        "django-static-mathjax"
    )


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the MathJax files to the site."""
    es5 = _es5()
    for part in PARTS:
        source = es5 / part
        if source.is_file():
            paths = [source]
        else:
            paths = sorted(path for path in source.rglob("*") if path.is_file())
        for path in paths:
            uri = f"{DEST}/{path.relative_to(es5).as_posix()}"
            files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files
