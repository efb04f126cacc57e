"""The site's vocabulary, shared by every page builder and by the checks: escaping, page paths,
which fields are markdown. A leaf module: it imports nothing of the generator but resources, so
the builders (render, compliance_pages, dashboards) and the checks import it without cycles."""

from __future__ import annotations

import html
import re

import jinja2

from .resources import TEMPLATES

__all__ = ["MARKDOWN_FIELDS", "TEMPLATES", "esc", "group_path", "kind_index_path", "record_path", "template_env"]

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


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory for the life of the process (keyed by name and source
    checksum), so every renderer, and every rebuild under ``serve``, compiles a template once."""

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._compiled:
            bucket.bytecode_from_string(self._compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED = MemoryBytecodeCache()


def template_env(autoescape: bool = False) -> jinja2.Environment:
    """The environment every page builder renders ``site_templates/`` with.

    Markdown output (``autoescape=False``) escapes record text explicitly with :func:`esc` (its
    HTML is cleaned later); HTML output (the print pack) escapes automatically. Undefined names fail.
    """
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), undefined=jinja2.StrictUndefined,
                             autoescape=autoescape, keep_trailing_newline=True, trim_blocks=True,
                             lstrip_blocks=True, bytecode_cache=COMPILED)
    env.filters["esc"] = esc
    env.globals["esc"] = esc
    return env
