"""A Content-Security-Policy for a built site: its own scripts, and the theme's inline scripts by hash.

A static host can send this header (see README "Content-Security-Policy"). Then only the site's
own script files and the exact inline scripts the theme writes can run: a script that was somehow
injected into a page would not, since its hash is not in the policy.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

# Inline <script> elements without src; data blocks (type="application/json") are not run, so not listed.
_INLINE = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)


def inline_script_hashes(site_dir: Path) -> list[str]:
    """``'sha256-...'`` sources for every distinct inline script in the site's pages."""
    hashes = set()
    for page in site_dir.rglob("*.html"):
        for match in _INLINE.finditer(page.read_text(encoding="utf-8")):
            attrs = match["attrs"].lower()
            if "src=" in attrs or "application/json" in attrs or not match["body"].strip():
                continue
            digest = hashlib.sha256(match["body"].encode("utf-8")).digest()
            hashes.add(f"'sha256-{base64.b64encode(digest).decode()}'")
    return sorted(hashes)


def policy(site_dir: Path) -> str:
    """The header value for ``site_dir``."""
    scripts = " ".join(["'self'", *inline_script_hashes(site_dir)])
    return "; ".join([
        "default-src 'self'",
        f"script-src {scripts}",
        "worker-src 'self'",
        "style-src 'self' 'unsafe-inline'",  # the theme sets style attributes; styles cannot run code
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])
