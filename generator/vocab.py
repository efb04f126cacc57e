"""The site's vocabulary, shared by every page builder and by the checks: escaping, page paths,
which fields are markdown. A leaf module: it imports nothing of the generator but resources, so
the builders (render, compliance_pages, dashboards) and the checks import it without cycles."""

from __future__ import annotations

import html
import re

from .resources import TEMPLATES

__all__ = ["MARKDOWN_FIELDS", "TEMPLATES", "esc", "group_path", "kind_index_path", "record_path"]

# Fields whose text is markdown written by authors; every other text field is escaped.
MARKDOWN_FIELDS = {"description"}

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~<>])")


def esc(value: object) -> str:
    """Plain text -> markdown that shows exactly that text (no markup, no HTML)."""
    text = html.escape(str(value), quote=False)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return " ".join(text.split())


def record_path(kind: str, record_id: str) -> str:
    return f"records/{kind}/{record_id}.md"


def kind_index_path(kind: str) -> str:
    return f"records/{kind}/index.md"


def group_path(group: str) -> str:
    return f"sections/{group}.md"
