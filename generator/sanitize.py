"""Cleaning of rendered page HTML: record text is untrusted.

Python-Markdown passes raw HTML through, and escaping before markdown does not stop
``javascript:`` links, so the rendered body of every page is cleaned with nh3 (the Ammonia
sanitizer) before mkdocs writes it or indexes it for search. Scripts, event handlers, styles,
iframes and non-web URL schemes are dropped; the markup markdown produces is kept.
"""

from __future__ import annotations

import nh3

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
    "pre", "s", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul", "figure", "figcaption",
}
_ATTRIBUTES = {
    "*": {"id", "class", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan"},
    "ol": {"start"},
}
_SCHEMES = {"http", "https", "mailto", "tel"}


# Built once: nh3.clean would convert the allow-lists for every page.
_CLEANER = nh3.Cleaner(tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_SCHEMES, link_rel=None,
                       strip_comments=True)


def clean_html(html: str) -> str:
    """Keep the markup markdown produces; drop scripts, handlers and dangerous URLs."""
    return _CLEANER.clean(html)
