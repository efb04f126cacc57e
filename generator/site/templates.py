"""The template environment every page builder renders ``site_templates/`` with (compiled templates
kept in memory for the life of the process).
"""

from __future__ import annotations

import jinja2

from ..content.markup import esc
from ..content.resources import TEMPLATES

__all__ = ["template_env"]


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
