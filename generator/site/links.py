"""Relative links between pages of the generated site.

Every page path is relative to the docs folder and POSIX-style (``records/sla/SLA-1.md``); a link
from one page to another is relative to the folder of the page it is on, as mkdocs resolves it.
Pure string work: ``posixpath.relpath`` would make both paths absolute against the working
folder (a system call per link, tens of thousands of links in a large site).
"""

from __future__ import annotations


def relative(target: str, here: str) -> str:
    """The link from page ``here`` to the site path ``target``.

    >>> relative("records/sla/SLA-1.md", "records/supplier_contract/SC-1.md")
    '../sla/SLA-1.md'
    >>> relative("emergency/emergency-pack.pdf", "index.md")
    'emergency/emergency-pack.pdf'
    """
    start = here.split("/")[:-1]
    parts = target.split("/")
    common = 0
    while common < len(start) and common < len(parts) - 1 and start[common] == parts[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + parts[common:])
