"""Record text is untrusted: what may reach a page, and a last look at every finished page.

Three layers, each complete on its own terms:

1. **The article.** Python-Markdown passes raw HTML through, and escaping before markdown does
   not stop ``javascript:`` links, so the rendered body of every page is cleaned with nh3 (the
   Ammonia sanitizer) before mkdocs writes it or indexes it for search. Scripts, event handlers,
   styles, iframes and non-web URL schemes are dropped; the markup markdown produces is kept.
   Element ids the theme or the site's own scripts look up (``__config``, ``clause8-built``...)
   are renamed, with the links to them, so record text can never stand in for them.
2. **Everything around the article** that carries record text (the page title, the table of
   contents, navigation labels, front-matter fields the theme prints) is reduced to plain text
   and escaped once (:func:`safe_text`). The theme prints those values both raw and through
   ``striptags`` (which turns entities back into markup), so they must never hold ``<`` at all:
   the ``<title>`` is taken from front matter, which the theme prints as given.
3. **The finished page** (:func:`page_problems`) is scanned for markup the site never writes: a
   script that is not the site's, an event-handler attribute, a ``javascript:`` or ``data:`` URL,
   ``<base>``, a foreign ``<meta http-equiv>``, frames and plugins. The build fails on any; the
   Content-Security-Policy in every page (generator/publish/csp.py) would also refuse to run them.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Iterable
from html.parser import HTMLParser

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

# Ids the theme (Material: ``__config``, ``__search``, ``__drawer``...) and the site's own scripts
# (``clause8-built``...) look up with getElementById / querySelector. Record markup never gets them.
RESERVED_ID_PREFIXES = ("__", "clause8")
RENAMED_ID_PREFIX = "user-"
# nh3 writes every attribute double-quoted, so the rename is a plain substitution.
_RESERVED_ID = re.compile(r'(\sid="|\shref="[^"#]*#)(?=__|clause8)', re.I)


def safe_id(anchor: str) -> str:
    """The id record markup may carry for ``anchor`` (reserved ids get a prefix)."""
    return RENAMED_ID_PREFIX + anchor if anchor.lower().startswith(RESERVED_ID_PREFIXES) else anchor


def clean_html(markup: str) -> str:
    """Keep the markup markdown produces; drop scripts, handlers and dangerous URLs; rename reserved ids."""
    return _RESERVED_ID.sub(r"\1" + RENAMED_ID_PREFIX, _CLEANER.clean(markup))


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(markup: str) -> str:
    """The text a reader sees in ``markup``: tags dropped, entities decoded, whitespace collapsed."""
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return " ".join("".join(parser.parts).split())


def safe_text(markup: str) -> str:
    """``markup`` as escaped plain text: safe printed raw, in an attribute, or after ``striptags | e``."""
    return html.escape(plain_text(markup), quote=True)


# -- the finished page ------------------------------------------------------------------------
_SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.S | re.I)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TAG = re.compile(r"<(?P<name>[a-zA-Z][\w:-]*)(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_ATTR = re.compile(r"""(?P<name>[^\s"'>/=]+)(?:\s*=\s*(?P<value>"[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_FORBIDDEN_TAGS = {"base", "iframe", "frame", "frameset", "object", "embed", "applet", "portal"}
_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "srcset",
              "data", "ping", "cite", "longdesc", "manifest"}
_BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
# Anything that could be an event handler, a dangerous URL, a foreign meta or a frame (or text
# that merely looks like one: then the page is parsed tag by tag). Plain substring tests on the
# lower-cased page: a case-insensitive alternation costs milliseconds a page.
_SUSPECT_TOKENS = ("javascript:", "vbscript:", "data:", "http-equiv", "<base", "<iframe", "<frame", "<object",
                   "<embed", "<applet", "<portal")
_ON_ATTRIBUTE = re.compile(r"on[a-z]+\s*=")


def _suspect(text: str) -> bool:
    low = text.lower()
    if any(token in low for token in _SUSPECT_TOKENS):
        return True
    return any(m.start() > 0 and low[m.start() - 1] in " \t\n\r\f/\"'" for m in _ON_ATTRIBUTE.finditer(low))


_RESERVED_IDS = re.compile(r'id="(__[^"]*|clause8[^"]*)"')  # a literal start: fast


def attributes(attrs: str) -> dict[str, str]:
    """Attribute name -> decoded value of one start tag's attribute text."""
    found: dict[str, str] = {}
    for m in _ATTR.finditer(attrs):
        value = m["value"] or ""
        if value[:1] in "\"'":
            value = value[1:-1]
        found.setdefault(m["name"].lower(), html.unescape(value))
    return found


def _scheme_of(url: str) -> str:
    # As browsers parse a URL (WHATWG URL standard): leading and trailing C0 controls and spaces
    # are stripped, tabs and newlines removed anywhere; a space inside is kept ("jav ascript:"
    # is a relative URL, not a scheme).
    return re.sub(r"[\t\n\r]+", "", url.strip("".join(map(chr, range(0x21))))).lower()


def page_problems(page_html: str, script_allowed: Callable[[dict[str, str], str], bool],
                  meta_allowed: Iterable[str] = ("content-security-policy",), known_markup: Iterable[str] = ()) -> list[str]:
    """Markup in a finished page that the site never writes, one line each (empty: the page is clean).

    ``script_allowed(attributes, body)`` says whether a ``<script>`` element is the site's own;
    ``known_markup`` is markup the site wrote itself (its policy ``<meta>``), left out of the quick
    look for anything suspect.
    """
    problems = []
    for m in _SCRIPT.finditer(page_html):
        if not script_allowed(attributes(m["attrs"]), m["body"]):
            problems.append(f"a script the site does not ship: {m.group(0)[:120]!r}")
    rest = _SCRIPT.sub("<script>", _COMMENT.sub("", page_html))
    allowed_meta = {m.lower() for m in meta_allowed}
    # Most pages hold nothing that could be unsafe markup: only those that do are parsed tag by tag.
    scan = rest
    for known in known_markup:
        scan = scan.replace(known, "")
    suspects = _suspect(scan)
    for m in _TAG.finditer(rest) if suspects else ():
        name = m["name"].lower()
        attrs = attributes(m["attrs"])
        if name in _FORBIDDEN_TAGS:
            problems.append(f"a <{name}> element: {m.group(0)[:120]!r}")
        if name == "meta" and "http-equiv" in attrs and attrs["http-equiv"].lower() not in allowed_meta:
            problems.append(f"a foreign <meta http-equiv>: {m.group(0)[:120]!r}")
        for attr, value in attrs.items():
            if attr.startswith("on"):
                problems.append(f"an event handler attribute {attr}: {m.group(0)[:120]!r}")
            elif attr in _URL_ATTRS and _scheme_of(value).startswith(_BAD_SCHEMES):
                problems.append(f"a {_scheme_of(value).split(':')[0]}: URL in {attr}: {m.group(0)[:120]!r}")
    for anchor, count in Counter(_RESERVED_IDS.findall(_COMMENT.sub("", page_html))).items():
        if count > 1:
            problems.append(f"the reserved id {anchor!r} appears {count} times")
    return problems
