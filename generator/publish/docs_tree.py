"""The generated docs tree on disk, for any mkdocs-compatible engine (``clause8 render --out``).

The mkdocs plugin hands the same pages to mkdocs in memory; an engine that runs no plugins
(Zensical) or a fork (ProperDocs) can build this folder instead, with the ``nav.yml`` written beside it
as its navigation. Such an engine does not clean the HTML it writes: run ``clause8 scan-site SITE``
after it (see README "Site engines").
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from ..content.resources import TEMPLATES
from .prepare import Prepared


def write_docs_tree(prepared: Prepared, pages_dir: Path | None, out: Path, nav_file: Path | None = None) -> list[Any]:
    """Write the hand-written pages, the generated pages and files and the site's assets into ``out``.

    Returns the navigation (also written to ``nav_file`` when given, as ``nav:`` YAML an mkdocs
    config can include). ``out`` is replaced as a whole.
    """
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    handwritten = sorted(pages_dir.glob("*.md")) if pages_dir and pages_dir.is_dir() else []
    for page in handwritten:
        (out / page.name).write_bytes(page.read_bytes())
    for path, text in prepared.filled_pages().items():  # history tables in place
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    for path, data in prepared.site.files.items():  # the emergency pack's PDF and vCard
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    (out / "assets/clause8").mkdir(parents=True, exist_ok=True)
    for asset in sorted((TEMPLATES / "assets").glob("*")):
        (out / "assets/clause8" / asset.name).write_bytes(asset.read_bytes())
    nav = prepared.nav([p.name for p in handwritten if p.name != "index.md"])
    if nav_file is not None:
        nav_file.write_text(yaml.safe_dump({"nav": nav}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return nav
