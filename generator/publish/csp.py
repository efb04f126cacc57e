"""A Content-Security-Policy that allows the site's own scripts and nothing else.

The inline scripts a page may run are the theme's: Material writes a few small ``<script>``
elements from its templates under ``partials/javascripts/`` (some depend on the page's depth,
through ``base_url``). Their hashes are computed by rendering those templates, never by reading
what a built page happens to contain, so a script that was injected into a page is never
allow-listed. Every page carries the policy as ``<meta http-equiv="Content-Security-Policy">``
(it works from ``file://`` too, where no header can be sent), and ``python -m generator csp``
prints the same policy for a static host to send as a header (which can also forbid framing).

Pure: takes a jinja environment and page URLs; imports nothing of mkdocs.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterable, Mapping
from typing import Any

import jinja2

THEME_SCRIPTS = "partials/javascripts/"
_INLINE = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)


def script_hash(body: str) -> str:
    """The CSP source ``'sha256-...'`` of an inline script's exact text."""
    return f"'sha256-{base64.b64encode(hashlib.sha256(body.encode('utf-8')).digest()).decode()}'"


def runnable_inline_scripts(markup: str) -> list[str]:
    """Bodies of the inline scripts in ``markup`` a browser runs (data blocks and ``src=`` excluded)."""
    bodies = []
    for match in _INLINE.finditer(markup):
        attrs = match["attrs"].lower()
        if "src=" in attrs or "application/json" in attrs or not match["body"].strip():
            continue
        bodies.append(match["body"])
    return bodies


def theme_script_hashes(env: jinja2.Environment, base_urls: Iterable[str], context: Mapping[str, Any]) -> set[str]:
    """Hashes of every inline script the theme's script templates write, for each ``base_url``."""
    names = sorted(n for n in env.list_templates() if n.startswith(THEME_SCRIPTS) and n.endswith(".html"))
    hashes = set()
    for base_url in sorted(set(base_urls)):
        for name in names:
            # The includes see base.html's context: its ``features`` list decides some scripts.
            rendered = env.get_template(name).render({**context, "base_url": base_url})
            hashes.update(script_hash(body) for body in runnable_inline_scripts(rendered))
    return hashes


def policy(script_hashes: Iterable[str], header: bool = True) -> str:
    """The policy: the site's own script files and the listed inline scripts; no plugins, no ``<base>``.

    ``header=False`` leaves out what a ``<meta>`` policy cannot carry (``frame-ancestors``).
    """
    scripts = " ".join(["'self'", *sorted(set(script_hashes))])
    directives = [
        "default-src 'self'",
        f"script-src {scripts}",
        # blob: lets the site's own script start the offline bundle's search worker from file://
        # (generator/engine/search.py); only script the policy already allows can make one.
        "worker-src 'self' blob:",
        "style-src 'self' 'unsafe-inline'",  # the theme sets style attributes; styles cannot run code
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ]
    if header:
        directives.append("frame-ancestors 'none'")
    return "; ".join(directives)


def meta_tag(script_hashes: Iterable[str]) -> str:
    """The ``<meta http-equiv>`` form of :func:`policy`, for the top of every page's ``<head>``."""
    content = html.escape(policy(script_hashes, header=False), quote=False).replace('"', "&quot;")
    return f'<meta http-equiv="Content-Security-Policy" content="{content}">'
