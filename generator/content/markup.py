"""Markup and paths, the vocabulary the checks and every page builder share: how record text becomes
markdown that shows exactly that text, which fields are markdown, and where each record's page is.
A leaf module at the bottom: the markup check reads a record's text as its page will show it.
"""

from __future__ import annotations

import html
import re

__all__ = ["MARKDOWN_FIELDS", "esc", "group_path", "kind_index_path", "record_path"]


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
