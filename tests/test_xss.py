"""Record text cannot run script anywhere in the built sites: a corpus of public XSS vectors.

An attacker with write access to one record can put any text into any text field. This module
puts the vectors of ``tests/fixtures/xss/vectors.txt`` (OWASP, PayloadsAllTheThings, PortSwigger
techniques and this site's own weak spots) into every free-text field of every record of a copy
of the example content, builds the public, internal, auditor and continuity editions and the
offline bundle once, and then:

* scans every built HTML file (and the search index) statically: no event-handler attribute, no
  ``javascript:``/``vbscript:``/``data:`` URL, no script the site does not ship itself, no
  ``<base>``, no foreign ``<meta http-equiv>``, no iframe/object/embed/form, no clobbered theme
  id, no markup inside ``<title>``, no evaluated template expression;
* checks that ``python -m generator csp`` hashes only the site's own inline scripts;
* opens the pages that carry vectors in headless Chromium, over HTTP and from ``file://``, with
  ``alert``/``confirm``/``prompt``/``print`` hooked before any page script runs, types fragments
  into the search box, and fails on any call, marker or injected element.

What the scanner allows is learned from a build of the unmodified example content made in the
same fixture (script sources and inline scripts per page, the theme's element ids).

The first tests (vector files, scanner) and the last (build breakers) need no build and no
browser; the rest are marked ``browser``. Vectors that stop the build instead of being cleaned
are kept apart (``breakers.txt``): ``check`` must report them as content errors.
"""

from __future__ import annotations

import base64
import binascii
import concurrent.futures
import dataclasses
import html
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import time
import types
import urllib.parse
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, TODAY, build_bundle, write_tree

FIXTURES = ROOT / "tests" / "fixtures" / "xss"
VECTORS_FILE = FIXTURES / "vectors.txt"
BREAKERS_FILE = FIXTURES / "breakers.txt"
CONFIG = ROOT / "mkdocs.yml"
EDITIONS = ("public", "internal", "auditor", "continuity")
SITES = (*EDITIONS, "bundle")
MIN_VECTORS = 150
WAIT = 20  # seconds

# --------------------------------------------------------------------------------------------
# The vectors
# --------------------------------------------------------------------------------------------


def read_vectors(path: Path) -> list[str]:
    """One vector per line; ``;;`` starts a comment; ``{NL}`` is a newline and ``{TAB}`` a tab."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith(";;"):
            continue
        out.append(line.replace("{NL}", "\n").replace("{TAB}", "\t"))
    return out


# A vector is detectable when, once its encodings are undone, it calls a dialog function or sets
# the window.__xss marker, or when it targets something the page checks look for directly.
CALL = re.compile(r"(?<![A-Za-z0-9_$])(alert|confirm|prompt|print)(?![A-Za-z0-9_$])|__xss")
DOM_TARGET = re.compile(r"<base\b|__config|clause8-built|clause8-edition|__search|__drawer", re.I)
_JS_ESCAPE = re.compile(r"\\u\{([0-9a-fA-F]+)\}|\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})|\\([0-7]{1,3})")
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?")
_BASE64 = re.compile(r"[A-Za-z0-9+/]{12,}={0,2}")
_RADIX = re.compile(r"(\d+)\.\.toString\((\d+)\)")


def _radix(match: re.Match) -> str:
    number, base = int(match[1]), int(match[2])
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while number:
        number, rest = divmod(number, base)
        text = digits[rest] + text
    return f"'{text}'"


def decodings(vector: str) -> set[str]:
    """The vector and what its HTML, URL, JS, CSS and base64 encodings and string splits decode to."""
    seen = {vector}
    frontier = [vector]
    for _ in range(4):
        nxt = []
        for text in frontier:
            candidates = [
                html.unescape(text),
                urllib.parse.unquote(text),
                _JS_ESCAPE.sub(lambda m: chr(int(m[1] or m[2] or m[3], 16) if not m[4] else int(m[4], 8)), text),
                _CSS_ESCAPE.sub(lambda m: chr(int(m[1], 16)) if int(m[1], 16) < 0x110000 else "", text),
                re.sub(r"[\"'“”‘’]\s*\+\s*[\"'“”‘’]|/\.source\s*\+\s*/", "", text),
                re.sub(r"\s+", "", text),
                text.replace("\\", ""),
                _RADIX.sub(_radix, text),
            ]
            for chunk in _BASE64.findall(text):
                try:
                    candidates.append(base64.b64decode(chunk + "=" * (-len(chunk) % 4)).decode("utf-8", "replace"))
                except (binascii.Error, ValueError):
                    pass
            for c in candidates:
                if c not in seen:
                    seen.add(c)
                    nxt.append(c)
        frontier = nxt
    return seen


def detectable(vector: str) -> bool:
    return any(CALL.search(d) or DOM_TARGET.search(d) for d in decodings(vector))


def label(n: int) -> str:
    """The tag written before vector ``n`` in every field, so a failure can be traced to its vector."""
    return f"xss{n:03d}"


# --------------------------------------------------------------------------------------------
# The static scanner
# --------------------------------------------------------------------------------------------

URL_ATTRS = {"href", "src", "srcset", "action", "formaction", "xlink:href", "data", "poster", "background",
             "lowsrc", "dynsrc", "cite", "codebase", "ping", "manifest", "icon", "longdesc", "code", "archive",
             "classid", "usemap", "values", "to", "from", "by", "content"}
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
BAD_SCHEME = re.compile(r"^(javascript|vbscript|livescript|data):", re.I)
FORBIDDEN_TAGS = {"iframe", "object", "embed", "form", "frame", "frameset", "applet", "portal", "base",
                  "isindex", "noembed", "xml"}
HEAD_ONLY = {"base", "title", "meta"}
# Ids the site's scripts look up that a build of the example content may not carry.
EXTRA_THEME_IDS = {"__config", "__search", "__drawer", "clause8-built", "clause8-edition", "clause8-period",
                   "clause8-stale"}
CSP_META = "content-security-policy"
# Text that only appears when record text was run as a template (see vectors.txt, [SITE]).
TEMPLATE_RAN = ("ssti-49", "ssti-42")


def _url_is_bad(name: str, value: str) -> bool:
    if name not in URL_ATTRS:
        return False
    if name == "content":  # meta refresh: "0;url=javascript:..."
        match = re.search(r"url\s*=\s*['\"]?(.*)", value, re.I | re.S)
        value = match[1] if match else ""
    candidates = [value]
    if name == "srcset":
        candidates = [part.strip().split(" ")[0] for part in value.split(",")]
    elif name in {"values"}:
        candidates = value.split(";")
    # Browsers (the WHATWG URL parser) drop leading C0 controls and spaces, and tabs and newlines
    # anywhere; a space inside the scheme stays (so "jav   ascript:" is a relative URL).
    return any(BAD_SCHEME.match(re.sub(r"[\t\n\r]", "", c).lstrip(_C0_AND_SPACE)) for c in candidates)


@dataclasses.dataclass(frozen=True)
class Violation:
    page: str
    rule: str
    markup: str
    where: str = ""  # the part of the page: <head>, <title>, table of contents, navigation, article, ...

    def __str__(self) -> str:
        markup = " ".join(self.markup.split())
        markup = markup if len(markup) <= 300 else markup[:300] + "…"
        where = f" [in {self.where}]" if self.where else ""
        return f"{self.page}{where}: {self.rule}: {markup}"


@dataclasses.dataclass
class PageFacts:
    """What a page holds that the scanner compares with the clean build."""

    script_srcs: set[str] = dataclasses.field(default_factory=set)
    inline_scripts: set[str] = dataclasses.field(default_factory=set)
    chrome_ids: set[str] = dataclasses.field(default_factory=set)
    http_equiv: set[str] = dataclasses.field(default_factory=set)
    theme_markup: set[str] = dataclasses.field(default_factory=set)  # e.g. the theme's search <form>


@dataclasses.dataclass
class Baseline:
    """The clean build: per page what it holds; ``theme_ids`` are the ids outside ``<article>``."""

    pages: dict[str, PageFacts] = dataclasses.field(default_factory=dict)
    theme_ids: set[str] = dataclasses.field(default_factory=lambda: set(EXTRA_THEME_IDS))
    http_equiv: set[str] = dataclasses.field(default_factory=lambda: {CSP_META})
    script_srcs: set[str] = dataclasses.field(default_factory=set)
    inline_scripts: set[str] = dataclasses.field(default_factory=set)
    theme_markup: set[str] = dataclasses.field(default_factory=set)

    def add(self, page: str, facts: PageFacts) -> None:
        self.pages[page] = facts
        self.theme_ids |= facts.chrome_ids
        self.http_equiv |= facts.http_equiv
        self.script_srcs |= facts.script_srcs
        self.inline_scripts |= facts.inline_scripts
        self.theme_markup |= facts.theme_markup

    def allowed_scripts(self, page: str) -> tuple[set[str], set[str]]:
        facts = self.pages.get(page)
        if facts is None:  # a page the clean build has not: anything any clean page has
            return self.script_srcs, self.inline_scripts
        return facts.script_srcs, facts.inline_scripts


def resolve_src(page: str, src: str) -> str:
    """A script ``src`` as a path from the site root (pages link with relative paths)."""
    parsed = urllib.parse.urlsplit(src)
    if parsed.scheme or parsed.netloc:
        return src
    path = parsed.path
    if not path.startswith("/"):
        path = posixpath.join(posixpath.dirname(page), path)
    return posixpath.normpath(path).lstrip("/")


class Scanner(HTMLParser):
    """Tokenises one HTML document (or a fragment) and collects :class:`Violation` s.

    ``baseline`` None: learn mode (collect :class:`PageFacts`, report only structural problems).
    ``fragment``: the text is not a page but content (a search index entry): all of it counts as
    inside ``<article>`` and no script at all is allowed.
    """

    def __init__(self, page: str, baseline: Baseline | None, fragment: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.baseline = baseline
        self.fragment = fragment
        self.facts = PageFacts()
        self.violations: list[Violation] = []
        self.article_depth = 1 if fragment else 0
        self.in_body = fragment
        self.in_title = False
        self.title_flagged = False  # one finding per <title>: the rest of the page may follow inside it
        self.titles = 0
        self.ids: dict[str, int] = {}
        self.open: list[tuple[str, str]] = []  # open landmark elements: (tag, class)
        self.script: tuple[str, dict[str, str | None]] | None = None
        self.script_body: list[str] = []
        self.allowed_srcs, self.allowed_inline = (set(), set()) if baseline is None or fragment else \
            baseline.allowed_scripts(page)

    # -- helpers -------------------------------------------------------------------------------
    def flag(self, rule: str, markup: str) -> None:
        self.violations.append(Violation(self.page, rule, markup, self.where()))

    def where(self) -> str:
        if self.fragment:
            return ""
        if self.in_title:
            return "<title>"
        for tag, cls in reversed(self.open):
            if tag == "nav" and "md-nav--secondary" in cls:
                return "table of contents"
            if tag == "nav" and "md-nav--primary" in cls:
                return "navigation"
            if tag in ("article", "footer", "header", "head"):
                return {"head": "<head>"}.get(tag, tag)
        return "body" if self.in_body else "<head>"

    @property
    def in_article(self) -> bool:
        return self.article_depth > 0

    # -- tokens --------------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        markup = self.get_starttag_text() or f"<{tag}>"
        values = {name.lower(): value for name, value in attrs}
        if self.in_title and not self.title_flagged:
            self.flag("markup inside <title> (the title breaks out of its element)", markup)
            self.title_flagged = True
        if tag == "body":
            self.in_body = True
        if tag in ("head", "nav", "article", "footer", "header"):
            self.open.append((tag, values.get("class") or ""))
        if tag == "article":
            self.article_depth += 1
        if tag == "title":
            self.titles += 1
            self.in_title = True
            self.title_flagged = False
            if self.titles > 1:
                self.flag("second <title>", markup)
        if tag in HEAD_ONLY and self.in_body and not self.fragment:
            self.flag(f"<{tag}> outside <head>", markup)
        if tag in FORBIDDEN_TAGS:
            if self.baseline is None:
                if not self.in_article:
                    self.facts.theme_markup.add(markup)
            elif self.in_article or markup not in self.baseline.theme_markup:
                self.flag(f"<{tag}> element", markup)
        for name, value in values.items():
            if name.startswith("on"):
                self.flag(f"event-handler attribute {name}=", markup)
            elif value and _url_is_bad(name, value) and not (tag == "meta" and name == "content"
                                                             and "http-equiv" not in values):
                self.flag(f"dangerous URL in {name}=", markup)
            elif name == "style" and value and re.search(r"expression\s*\(|javascript:|behavior\s*:|-moz-binding",
                                                         value, re.I):
                self.flag("script in style=", markup)
        if tag == "meta" and "http-equiv" in values:
            equiv = (values["http-equiv"] or "").strip().lower()
            if self.baseline is None:
                self.facts.http_equiv.add(equiv)
            elif equiv not in self.baseline.http_equiv:
                self.flag(f"<meta http-equiv={equiv!r}> the site does not write", markup)
            elif self.in_body:
                self.flag("<meta http-equiv> outside <head>", markup)
        element_id = values.get("id")
        if element_id:
            self.ids[element_id] = self.ids.get(element_id, 0) + 1
            if self.baseline is None:
                if not self.in_article:
                    self.facts.chrome_ids.add(element_id)
            elif element_id in self.baseline.theme_ids:
                if self.in_article:
                    self.flag(f"theme id {element_id!r} inside <article> (clobbers the theme's element)", markup)
                elif self.ids[element_id] > 1:
                    self.flag(f"theme id {element_id!r} appears {self.ids[element_id]} times", markup)
        if tag == "script":
            self.script = (markup, values)
            self.script_body = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)
        if tag == "title":
            self.in_title = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            if not self.in_title:
                self.flag("stray </title> (a title broke out of its element)", "</title>")
            self.in_title = False
        elif self.in_title and not self.title_flagged:
            self.flag("markup inside <title> (the title breaks out of its element)", f"</{tag}>")
            self.title_flagged = True
        if tag == "article" and self.article_depth:
            self.article_depth -= 1
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                del self.open[i:]
                break
        if tag == "script" and self.script is not None:
            markup, values = self.script
            body = "".join(self.script_body)
            self.script = None
            src = values.get("src")
            if self.baseline is None:
                if src:
                    self.facts.script_srcs.add(resolve_src(self.page, src))
                else:
                    self.facts.inline_scripts.add(body)
            elif src is not None:
                if resolve_src(self.page, src) not in self.allowed_srcs:
                    self.flag("<script src> the site does not ship", markup)
            elif body not in self.allowed_inline:
                self.flag("inline <script> the site does not ship", markup + body + "</script>")

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.script_body.append(data)

    def close(self) -> None:
        super().close()
        if self.script is not None:  # an unclosed <script> runs to the end of the document
            self.handle_endtag("script")


def scan_html(page: str, text: str, baseline: Baseline | None, fragment: bool = False) -> Scanner:
    scanner = Scanner(page, baseline, fragment)
    scanner.feed(text)
    scanner.close()
    for marker in TEMPLATE_RAN:
        if marker in text:
            at = text.index(marker)
            scanner.flag("record text was run as a template", text[max(0, at - 80):at + 40])
    return scanner


def page_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def learn_baseline(site: Path) -> Baseline:
    baseline = Baseline()
    for path in page_files(site):
        page = path.relative_to(site).as_posix()
        scanner = scan_html(page, path.read_text(encoding="utf-8"), None)
        baseline.add(page, scanner.facts)
    return baseline


def search_index(site: Path) -> dict:
    """The search index of a built site (``search_index.json``, or the offline ``.js`` wrapper)."""
    for name in ("search/search_index.json", "search/search_index.js"):
        path = site / name
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            return json.loads(text[text.index("{"):text.rindex("}") + 1])
    raise AssertionError(f"{site} has no search index")


def scan_site(site: Path, baseline: Baseline) -> list[Violation]:
    """Every violation in every HTML page of ``site`` and in every entry of its search index."""
    found: list[Violation] = []
    for path in page_files(site):
        page = path.relative_to(site).as_posix()
        found += scan_html(page, path.read_text(encoding="utf-8"), baseline).violations
    for i, doc in enumerate(search_index(site).get("docs", [])):
        for key in ("title", "text"):
            where = f"search index docs[{i}] ({doc.get('location', '?')}).{key}"
            found += scan_html(where, str(doc.get(key, "")), baseline, fragment=True).violations
    return found


def report(violations: list[Violation], limit: int = 60) -> str:
    """Violations grouped by rule, each with a few pages and the markup, for the assertion message."""
    by_rule: dict[str, list[Violation]] = {}
    for v in violations:
        by_rule.setdefault(v.rule, []).append(v)
    where: dict[str, int] = {}
    for v in violations:
        where[v.where or "search index"] = where.get(v.where or "search index", 0) + 1
    lines = [f"{len(violations)} violation(s) in {len({v.page for v in violations})} page(s); by part of the page: "
             + ", ".join(f"{w}: {n}" for w, n in sorted(where.items(), key=lambda kv: -kv[1]))]
    shown = 0
    for rule, items in sorted(by_rule.items(), key=lambda kv: -len(kv[1])):
        lines.append(f"- {rule}: {len(items)} time(s), e.g.")
        # One example from each part of the page first (<title>, table of contents, article, ...).
        seen: set[str] = set()
        first = [v for v in items if not (v.where in seen or seen.add(v.where))]
        for v in (first + [v for v in items if v not in first])[:4]:
            if shown < limit:
                lines.append(f"    {v}")
                shown += 1
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Unit tests: no build, no browser
# --------------------------------------------------------------------------------------------

def test_vector_files_are_well_formed():
    vectors = read_vectors(VECTORS_FILE)
    breakers = read_vectors(BREAKERS_FILE)
    assert len(set(vectors)) >= MIN_VECTORS, f"only {len(set(vectors))} distinct vectors"
    duplicates = sorted({v for v in vectors if vectors.count(v) > 1})
    assert not duplicates, f"duplicate vectors: {duplicates}"
    assert breakers and not set(breakers) & set(vectors), "a build breaker is also in vectors.txt"
    undetectable = [v for v in vectors if not detectable(v)]
    assert not undetectable, f"vectors whose execution the tests cannot see: {undetectable}"


@pytest.mark.parametrize(("vector", "expected"), [
    ("<img src=x onerror=alert(1)>", True),
    ("<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;"
     "&#40;&#39;&#88;&#83;&#83;&#39;&#41;>", True),
    ("<img src=x onerror=top[8680439..toString(30)](1)>", True),
    ("<img onload=\"eval(atob('YWxlcnQoZG9jdW1lbnQuZG9tYWluKQ=='))\">", True),
    ("<div id=\"__config\">{}</div>", True),
    ("<img src=x onerror=alerts(1)>", False),
    ("<b>bold</b>", False),
])
def test_detectable(vector: str, expected: bool):
    assert detectable(vector) is expected


CLEAN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>CP-1 &lt;/title&gt;&lt;script&gt; - Site</title>
<script src="../assets/app.js"></script><script>var theme = 1;</script></head>
<body><input id="__drawer"><input id="__search"><form class="md-search__form" name="search"></form>
<nav class="md-nav md-nav--primary"><a href="../x/">x</a><a href="mailto:a@b.example">m</a></nav>
<nav class="md-nav md-nav--secondary"><ul><li><a href="#cp-1">CP-1 &lt;img&gt;</a></li></ul></nav>
<article><h1 id="cp-1">CP-1</h1><p>text &lt;script&gt;alert(1)&lt;/script&gt; javascript:alert(1)</p>
<img src="../img.png" alt="onerror=alert(1)"><a href="https://example.org/?q=javascript:x">ok</a></article>
<span id="clause8-built" data-built="1"></span>
<script id="__config" type="application/json">{"base": ".."}</script></body></html>
"""


def clean_baseline() -> Baseline:
    return learn_baseline_from_text({"records/x.html": CLEAN_PAGE})


def learn_baseline_from_text(pages: dict[str, str]) -> Baseline:
    baseline = Baseline()
    for page, text in pages.items():
        baseline.add(page, scan_html(page, text, None).facts)
    return baseline


def test_scanner_passes_a_clean_page():
    baseline = clean_baseline()
    assert baseline.theme_ids >= {"__drawer", "__search", "clause8-built", "__config"}
    assert "cp-1" not in baseline.theme_ids  # inside <article>
    assert scan_html("records/x.html", CLEAN_PAGE, baseline).violations == []


@pytest.mark.parametrize(("replace", "by", "rule"), [
    ("<p>text", "<p onmouseover=alert(1)>text", "event-handler attribute onmouseover="),
    ("<p>text", "<svg><set onbegin=alert(1)></svg><p>text", "event-handler attribute onbegin="),
    ('href="../x/"', 'href=" java&#x09;script:alert(1)"', "dangerous URL in href="),
    ('href="../x/"', 'href="data:text/html,<script>alert(1)</script>"', "dangerous URL in href="),
    ('src="../img.png"', 'src="vbscript:msgbox(1)"', "dangerous URL in src="),
    ("<p>text", '<button formaction="javascript:alert(1)">x</button><p>text', "dangerous URL in formaction="),
    ("<p>text", '<svg><a xlink:href="javascript:alert(1)">x</a></svg><p>text', "dangerous URL in xlink:href="),
    ('src="../img.png"', 'src="../img.png" srcset="a.png 1x, javascript:alert(1) 2x"', "dangerous URL in srcset="),
    ("<p>text", "<script>alert(1)</script><p>text", "inline <script> the site does not ship"),
    ('<script src="../assets/app.js">', '<script src="../assets/evil.js">', "<script src> the site does not ship"),
    ('<script src="../assets/app.js">', '<script src="data:,alert(1)">', "dangerous URL in src="),
    ("CP-1 &lt;/title&gt;&lt;script&gt;", "CP-1 </title><script>alert(1)</script>",
     "inline <script> the site does not ship"),
    ("CP-1 &lt;/title&gt;&lt;script&gt;", "CP-1 </title><script>alert(1)</script>",
     "stray </title> (a title broke out of its element)"),
    ("CP-1 &lt;/title&gt;&lt;script&gt;", "CP-1 <b>x</b>", "markup inside <title> (the title breaks out of its element)"),
    ("<p>text", '<base href="http://evil.example/"><p>text', "<base> element"),
    ("<p>text", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)"><p>text',
     "<meta http-equiv='refresh'> the site does not write"),
    ("<p>text", '<iframe src="https://example.org/"></iframe><p>text', "<iframe> element"),
    ("<p>text", '<object data="x.swf"></object><p>text', "<object> element"),
    ("<p>text", '<embed src="x.swf"><p>text', "<embed> element"),
    ("<p>text", '<form action="/x"><input></form><p>text', "<form> element"),
    ("<p>text", '<form class="md-search__form" name="search"></form><p>text', "<form> element"),
    ("<p>text", '<div id="__config">{"search": "http://evil.example/w.js"}</div><p>text',
     "theme id '__config' inside <article> (clobbers the theme's element)"),
    ("<p>text", '<span id="clause8-built" data-built="0"></span><p>text',
     "theme id 'clause8-built' inside <article> (clobbers the theme's element)"),
    ('<nav class="md-nav md-nav--primary">', '<nav class="md-nav md-nav--primary"><input id="__search">',
     "theme id '__search' appears 2 times"),
    ("<p>text", '<p>ssti-49 text', "record text was run as a template"),
])
def test_scanner_flags(replace: str, by: str, rule: str):
    assert replace in CLEAN_PAGE
    page = CLEAN_PAGE.replace(replace, by, 1)
    rules = [v.rule for v in scan_html("records/x.html", page, clean_baseline()).violations]
    assert rule in rules, rules


def test_scanner_names_the_part_of_the_page():
    page = CLEAN_PAGE.replace("CP-1 &lt;img&gt;", "CP-1 <img src=x onerror=alert(1)>").replace(
        "CP-1 &lt;/title&gt;&lt;script&gt;", "CP-1 <b>")
    found = {(v.rule, v.where) for v in scan_html("records/x.html", page, clean_baseline()).violations}
    assert found == {("event-handler attribute onerror=", "table of contents"),
                     ("markup inside <title> (the title breaks out of its element)", "<title>")}


def test_scanner_reads_urls_as_browsers_do():
    """Tabs and newlines inside a scheme are dropped by browsers, spaces are not: ``jav   ascript:`` is a
    relative URL (Python-Markdown turns a tab into spaces)."""
    baseline = clean_baseline()

    def flagged(src: str) -> bool:
        page = CLEAN_PAGE.replace('src="../img.png"', f'src="{src}"')
        return any(v.rule == "dangerous URL in src=" for v in scan_html("records/x.html", page, baseline).violations)

    assert flagged("jav\tascript:alert(1)") and flagged("java&#x0A;script:alert(1)") and flagged("\x01 javascript:x")
    assert flagged("DATA:text/html,x") and not flagged("jav   ascript:alert(1)") and not flagged("x.png#javascript:")


def test_scanner_flags_scripts_in_a_search_index_entry():
    baseline = clean_baseline()
    found = scan_html("search", 'Notes <img src="x" onerror="alert(1)"> <div id="__config">x</div>', baseline,
                      fragment=True).violations
    assert {v.rule for v in found} == {"event-handler attribute onerror=",
                                       "theme id '__config' inside <article> (clobbers the theme's element)"}
    assert scan_html("search", "Notes &lt;img src=x onerror=alert(1)&gt;", baseline, fragment=True).violations == []


# --------------------------------------------------------------------------------------------
# The hostile content
# --------------------------------------------------------------------------------------------

# Free-text fields whose name says they hold a URL, an address or an id list.
NOT_FREE_TEXT = {"website", "url", "link", "href", "email", "personal_email", "phone", "number", "satisfies"}


def _resolve(node: dict, root: dict) -> dict:
    while "$ref" in node:
        node = root["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _free_string(node: dict) -> bool:
    types_ = node.get("type")
    types_ = types_ if isinstance(types_, list) else [types_]
    return "string" in types_ and not any(k in node for k in ("enum", "const", "pattern", "format", "x-ref"))


def free_text_paths(value: object, node: dict, root: dict, path: tuple = ()) -> Iterator[tuple]:
    """Paths of the strings in ``value`` that its JSON Schema types as free text.

    Free text: a string without enum, const, pattern, format or reference (so not an id, a
    reference, a date, a duration, an email or a phone number), and not a URL field by name.
    """
    node = _resolve(node, root)
    if any(k in node for k in ("x-ref", "enum", "const")):
        return
    if "anyOf" in node:
        for alt in (_resolve(a, root) for a in node["anyOf"]):
            if alt.get("type") == "null":
                continue
            if isinstance(value, dict) != ("properties" in alt) or isinstance(value, list) != (alt.get("type") == "array"):
                continue
            yield from free_text_paths(value, alt, root, path)
            return
        return
    if isinstance(value, dict) and "properties" in node:
        for key, item in value.items():
            if key in node["properties"] and key not in NOT_FREE_TEXT:
                yield from free_text_paths(item, node["properties"][key], root, (*path, key))
    elif isinstance(value, list) and "items" in node:
        for i, item in enumerate(value):
            yield from free_text_paths(item, node["items"], root, (*path, i))
    elif isinstance(value, str) and _free_string(node):
        yield path


@dataclasses.dataclass
class Corpus:
    content: Path
    vectors: list[str]
    records: int
    titles: dict[int, list[str]]  # vector index -> ids of the records whose title carries it
    descriptions: dict[int, list[str]]  # vector index -> ids of the records whose description carries it
    other_fields: int  # other free-text fields that carry a vector
    title_of: dict[str, int]  # record id -> (first) vector index in its title
    kept: list[str] = dataclasses.field(default_factory=list)  # fields check needs as written


def _edition_rank(record: dict, editions: dict) -> int:
    probe = types.SimpleNamespace(kind=record["kind"], classification=record.get("classification", "internal"))
    if editions["public"].includes(probe):
        return 0
    if editions["continuity"].includes(probe):
        return 1
    return 2


def _field_path(text: str) -> tuple:
    """``[4].actuals[0].metric`` -> (4, 'actuals', 0, 'metric'): a finding's field as a path."""
    return tuple(int(i) if i else name for i, name in re.findall(r"\[(\d+)\]|([A-Za-z_][A-Za-z0-9_]*)", text))


def make_hostile_content(source: Path, target: Path, vectors: list[str]) -> Corpus:
    """Copy ``source`` to ``target`` with a vector in every free-text field of every record.

    Records are taken public-edition first, then continuity, then the rest (each by id), and
    vectors in file order, so the site-specific vectors at the top of vectors.txt reach the
    public site and the offline bundle. Record ``i`` gets vector ``i`` in its title and vector
    ``i + 1`` in its description (with more vectors than records, vector ``v`` goes to record
    ``v mod records`` as well). The other free-text fields take the vectors in turn, the same
    vector for the same original text, so that fields which name each other by value (a
    workload metric and the limit it is measured against) still agree. A field that ``check``
    still rejects (a unit it must know) is put back as written, and listed in ``kept``.
    """
    from generator.engine.build import clause8_settings
    from generator.content.editions import editions as declared_editions
    from generator.content.models import KINDS
    from generator.checks.pipeline import check_content

    shutil.copytree(source, target)
    editions = declared_editions(clause8_settings(CONFIG))
    schemas = {kind: model.model_json_schema() for kind, model in KINDS.items()}
    files = sorted(p.resolve() for p in target.rglob("*.yaml"))
    docs = {path: yaml.safe_load(path.read_text(encoding="utf-8")) for path in files}
    records = [(path, i, rec) for path, doc in docs.items()
               for i, rec in enumerate(doc if isinstance(doc, list) else [doc])]
    records.sort(key=lambda item: (_edition_rank(item[2], editions), item[2]["id"]))
    n = len(vectors)
    corpus = Corpus(target, vectors, len(records), {}, {}, 0, {})
    count = len(records)
    by_value: dict[str, int] = {}
    # (file, index in file) -> {path: original text} of the other fields that were replaced
    replaced: dict[tuple[Path, int], dict[tuple, str]] = {}

    def spread(i: int, shift: int) -> list[int]:
        if n <= count:
            return [(i + shift) % n]
        return [v for v in range(n) if (v - shift) % count == i]

    def put(rec: dict, path: tuple, value: object) -> None:
        parent = rec
        for key in path[:-1]:
            parent = parent[key]
        parent[path[-1]] = value

    for i, (path, index, rec) in enumerate(records):
        in_title, in_description = spread(i, 0), spread(i, 1)
        rec["title"] = " ".join(f"{label(t)} {vectors[t]}" for t in in_title)
        rec["description"] = "".join(f"{label(d)}\n\n{vectors[d]}\n\n" for d in in_description)
        for t in in_title:
            corpus.titles.setdefault(t, []).append(rec["id"])
        for d in in_description:
            corpus.descriptions.setdefault(d, []).append(rec["id"])
        corpus.title_of[rec["id"]] = min(in_title)
        schema = schemas[rec["kind"]]
        for field in list(free_text_paths(rec, schema, schema)):
            if field in (("title",), ("description",)):
                continue
            parent = rec
            for key in field[:-1]:
                parent = parent[key]
            original = parent[field[-1]]
            v = by_value.setdefault(original, (len(by_value) + 2) % n)
            parent[field[-1]] = f"{label(v)} {vectors[v]}"
            replaced.setdefault((path, index), {})[field] = original

    def write() -> None:
        for path, doc in docs.items():
            path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=10**6), encoding="utf-8")

    write()
    for _round in range(6):
        errors = [f for f in check_content(target, TODAY).findings if f.severity == "error"]
        if not errors:
            break
        changed = False
        for f in errors:
            path = Path(f.file) if Path(f.file).is_absolute() else Path.cwd() / f.file
            where = _field_path(f.field)
            index = 0
            if isinstance(docs.get(path.resolve()), list) and where and isinstance(where[0], int):
                index, where = where[0], where[1:]
            fields = replaced.get((path.resolve(), index), {})
            hit = [p for p in fields if p[:len(where)] == where] or list(fields)
            for p in hit:
                rec = docs[path.resolve()][index] if isinstance(docs[path.resolve()], list) else docs[path.resolve()]
                put(rec, p, fields.pop(p))
                corpus.kept.append(f"{path.relative_to(target)}: {'.'.join(map(str, p))} ({f.code})")
                changed = True
        if not changed:
            break
        write()
    corpus.other_fields = sum(len(fields) for fields in replaced.values())
    return corpus


# --------------------------------------------------------------------------------------------
# Builds (once per module)
# --------------------------------------------------------------------------------------------

@dataclasses.dataclass
class Built:
    corpus: Corpus
    hostile: dict[str, Path]  # site name (edition or "bundle") -> folder
    clean: dict[str, Path]
    baselines: dict[str, Baseline]
    seconds: float
    csp: dict[tuple[str, str], tuple[int, str]]  # ("clean" | "hostile", edition) -> `generator csp` exit, output


def _build(content: Path, edition: str, out: Path, env: dict[str, str]) -> tuple[str, int, str]:
    cmd = [sys.executable, "-m", "generator", "build", "--content", str(content), "--edition", edition,
           "--site-dir", str(out), "--today", TODAY.isoformat(), "--config", str(CONFIG)]
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    lines = (result.stdout + result.stderr).splitlines()
    # The lines that say why (mkdocs' ERROR lines, content errors, a traceback's end), not the warnings.
    why = [line for line in lines if re.search(r"ERROR|error\[|[Ff]ailed|Error:|Exception", line)]
    tail = [line for line in lines[-8:] if line not in why and "warning[" not in line]
    return " ".join(cmd[2:]), result.returncode, "\n".join([*why[:40], *tail])[-6000:]


def _unzip(bundle_zip: Path, into: Path) -> Path:
    with zipfile.ZipFile(bundle_zip) as zf:
        zf.extractall(into)
    return into


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    from generator.content.findings import render_text
    from generator.checks.pipeline import check_content

    started = time.monotonic()
    base = tmp_path_factory.mktemp("xss")
    clean_content = base / "clean-content"
    shutil.copytree(ROOT / "content", clean_content)
    corpus = make_hostile_content(ROOT / "content", base / "hostile-content", read_vectors(VECTORS_FILE))
    checked = check_content(corpus.content, TODAY)
    if any(f.severity == "error" for f in checked.findings):
        pytest.fail("the hostile corpus does not pass `python -m generator check` (it must build):\n"
                    + render_text(checked.findings)[-8000:])

    epoch = int(time.time()) - 3600
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "NO_MKDOCS_2_WARNING": "1"}
    for name in ("CLAUSE8_CONTENT", "CLAUSE8_EDITION", "CLAUSE8_PERIOD", "CLAUSE8_OFFLINE", "CLAUSE8_TODAY"):
        env.pop(name, None)
    hostile = {e: base / "hostile" / e for e in EDITIONS}
    clean = {e: base / "clean" / e for e in EDITIONS}
    jobs = [(corpus.content, e, hostile[e]) for e in EDITIONS] + [(clean_content, e, clean[e]) for e in EDITIONS]
    # Largest first, one build per CPU; the two bundles are built in this process meanwhile.
    jobs.sort(key=lambda job: ("auditor", "internal", "continuity", "public").index(job[1]))
    workers = max(1, os.cpu_count() or 2)
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_build, *job, env) for job in jobs]
        hostile["bundle"] = _unzip(build_bundle(corpus.content, base / "dist-hostile", epoch), base / "hostile" / "bundle")
        clean["bundle"] = _unzip(build_bundle(clean_content, base / "dist-clean", epoch), base / "clean" / "bundle")
        failed = [f"{cmd} exited {code}:\n{out}" for cmd, code, out in (f.result() for f in futures) if code]
        assert not failed, "build failed:\n" + "\n\n".join(failed)
        policies = {(which, e): pool.submit(_csp, sites[e], env)
                    for which, sites in (("clean", clean), ("hostile", hostile)) for e in EDITIONS}
        baselines = {name: learn_baseline(site) for name, site in clean.items()}
        csp = {key: future.result() for key, future in policies.items()}
    return Built(corpus, hostile, clean, baselines, time.monotonic() - started, csp)


# --------------------------------------------------------------------------------------------
# Static: corpus, pages, search index, CSP
# --------------------------------------------------------------------------------------------

@pytest.mark.browser
def test_every_vector_reaches_a_title_and_a_description(built: Built):
    corpus = built.corpus
    n = len(corpus.vectors)
    missing_title = [i for i in range(n) if i not in corpus.titles]
    missing_description = [i for i in range(n) if i not in corpus.descriptions]
    assert not missing_title and not missing_description, (missing_title, missing_description)
    docs = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in (ROOT / "content").rglob("*.yaml")]
    assert corpus.records == sum(len(d) if isinstance(d, list) else 1 for d in docs), "records were added or lost"
    assert corpus.other_fields > corpus.records
    print(f"\n{n} vectors in {corpus.records} records: every title, description and "
          f"{corpus.other_fields} other free-text fields; {len(corpus.kept)} field(s) kept as written for check: "
          f"{corpus.kept[:10]}; fixture (check, 8 builds, 2 bundles) took {built.seconds:.0f} s")


@pytest.mark.browser
@pytest.mark.parametrize("site", SITES)
def test_clean_build_passes_the_scanner(built: Built, site: str):
    """The control: the unmodified example content gives no violation (the scanner does not over-flag)."""
    violations = scan_site(built.clean[site], built.baselines[site])
    assert not violations, report(violations)


@pytest.mark.browser
@pytest.mark.parametrize("site", SITES)
def test_built_pages_carry_no_active_markup(built: Built, site: str):
    pages = page_files(built.hostile[site])
    assert len(pages) == len(page_files(built.clean[site])), "the hostile build has other pages than the clean one"
    violations = scan_site(built.hostile[site], built.baselines[site])
    assert not violations, f"{site} ({built.hostile[site]}), {len(pages)} pages scanned:\n" + report(violations)


def _csp(site: Path, env: dict[str, str]) -> tuple[int, str]:
    """``python -m generator csp`` for a built site (run in the fixture, in parallel)."""
    result = subprocess.run([sys.executable, "-m", "generator", "csp", "--site-dir", str(site)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    return result.returncode, result.stdout if result.returncode == 0 else result.stderr


def _script_hashes(built: Built, which: str, site: str) -> set[str]:
    code, out = built.csp[(which, site)]
    assert code == 0, f"python -m generator csp --site-dir {getattr(built, which)[site]} exited {code}: {out}"
    return set(re.findall(r"'sha(?:256|384|512)-[A-Za-z0-9+/=]+'", out))


def _inline_script_index(site: Path) -> dict[str, tuple[str, str]]:
    """'sha256-…' of every inline script in ``site`` -> (page, script), to name what a hash allows."""
    import hashlib

    out = {}
    for path in page_files(site):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", text, re.S | re.I):
            digest = base64.b64encode(hashlib.sha256(match["body"].encode()).digest()).decode()
            out.setdefault(f"'sha256-{digest}'", (path.relative_to(site).as_posix(), match[0][:200]))
    return out


@pytest.mark.browser
@pytest.mark.parametrize("site", EDITIONS)
def test_csp_allows_only_the_sites_own_inline_scripts(built: Built, site: str):
    allowed = _script_hashes(built, "clean", site)
    extra = _script_hashes(built, "hostile", site) - allowed
    where = _inline_script_index(built.hostile[site])
    assert not extra, (f"`python -m generator csp` on the {site} site allows {len(extra)} inline script(s) that the "
                       "site does not ship (record text):\n"
                       + "\n".join(f"  {h}: {where.get(h, ('?', '?'))[0]}: {where.get(h, ('?', '?'))[1]}"
                                   for h in sorted(extra)[:20]))


# --------------------------------------------------------------------------------------------
# Dynamic: headless Chromium
# --------------------------------------------------------------------------------------------

# Runs in every frame before any page script: records every dialog call instead of opening it.
# A frame that cannot reach the top window (another origin) opens the real dialog, which the
# test sees through driver.switch_to.alert.
HOOK = """
(function () {
  var calls = [];
  window.__xss_calls = calls;
  ['alert', 'confirm', 'prompt', 'print'].forEach(function (name) {
    var original = window[name];
    window[name] = function () {
      var text = name + '(' + Array.prototype.map.call(arguments, String).join(', ') + ')';
      calls.push(text);
      var reached = window.top === window;
      if (!reached) {
        try { window.top.__xss_calls.push('[frame ' + location.href.slice(0, 60) + '] ' + text); reached = true; }
        catch (e) { reached = false; }
      }
      if (!reached) { return original.apply(window, arguments); }
      return name === 'confirm' ? false : (name === 'prompt' ? null : undefined);
    };
  });
})();
"""

# Run after load: what ran, and the live DOM (after the browser's own parsing and page scripts).
# arguments: the theme's ids, and selectors of the theme's own forbidden-looking elements (its
# search <form>), which are allowed outside <article>.
PROBE = """
var themeIds = arguments[0], themeElements = arguments[1];
var out = {calls: (window.__xss_calls || []).slice(), marker: window.__xss === 1, problems: [],
           url: location.href, title: document.title};
var urlAttrs = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background', 'srcdoc'];
function snip(el) { return el.outerHTML.slice(0, 240); }
document.querySelectorAll('*').forEach(function (el) {
  for (var i = 0; i < el.attributes.length; i++) {
    var a = el.attributes[i], name = a.name.toLowerCase();
    if (name.indexOf('on') === 0) { out.problems.push('event-handler attribute ' + name + '=: ' + snip(el)); }
    else if (urlAttrs.indexOf(name) >= 0 && /^(javascript|vbscript|data):/i.test(a.value.replace(/^[\\x00-\\x20]+|[\\x00-\\x20]+$/g, '').replace(/[\\t\\n\\r]/g, ''))) {
      out.problems.push('dangerous URL in ' + name + '=: ' + snip(el));
    }
  }
});
document.querySelectorAll('base, iframe, object, embed, form, frame, frameset').forEach(function (el) {
  var theirs = !el.closest('article') && themeElements.some(function (sel) { return el.matches(sel); });
  if (!theirs) { out.problems.push('<' + el.tagName.toLowerCase() + '> element: ' + snip(el)); }
});
themeIds.forEach(function (id) {
  var all = document.querySelectorAll('[id="' + id + '"]');
  if (all.length > 1) { out.problems.push('theme id ' + id + ' appears ' + all.length + ' times: ' + snip(all[0])); }
  var inside = document.querySelector('article [id="' + id + '"]');
  if (inside) { out.problems.push('theme id ' + id + ' inside <article>: ' + snip(inside)); }
});
if (document.baseURI.split('#')[0] !== location.href.split('#')[0]) {
  out.problems.push('document base URI changed to ' + document.baseURI);
}
return out;
"""


def dismiss_dialogs(driver) -> list[str]:
    from selenium.common.exceptions import NoAlertPresentException

    texts = []
    for _ in range(10):
        try:
            dialog = driver.switch_to.alert
        except NoAlertPresentException:
            break
        texts.append(f"real dialog: {dialog.text!r}")
        dialog.dismiss()
    return texts


@dataclasses.dataclass
class Visit:
    page: str
    findings: list[str]


def visit(driver, url: str, page: str, theme_ids: list[str], theme_elements: list[str] = ()) -> Visit:
    from selenium.common.exceptions import TimeoutException, UnexpectedAlertPresentException, WebDriverException

    findings: list[str] = []
    try:
        driver.get(url)
    except UnexpectedAlertPresentException:
        findings += dismiss_dialogs(driver)
    except TimeoutException:
        findings.append("page did not finish loading in time")
    findings += dismiss_dialogs(driver)
    try:
        state = driver.execute_script(PROBE, theme_ids, list(theme_elements))
    except UnexpectedAlertPresentException:
        findings += dismiss_dialogs(driver)
        state = driver.execute_script(PROBE, theme_ids, list(theme_elements))
    except WebDriverException as exc:
        return Visit(page, [*findings, f"probe failed: {exc.msg}"])
    findings += [f"dialog call {c}" for c in state["calls"]]
    if state["marker"]:
        findings.append("window.__xss was set")
    findings += state["problems"]
    if state["url"].split("#")[0].rstrip("/") != url.split("#")[0].rstrip("/"):
        findings.append(f"the page navigated away to {state['url'][:200]}")
    findings += dismiss_dialogs(driver)
    return Visit(page, findings)


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory):
    from tests.browser import start_chrome

    drv = start_chrome(tmp_path_factory.mktemp("chrome-xss"))
    try:
        drv.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": HOOK})
        drv.execute_cdp_cmd("Network.enable", {})
        drv.set_page_load_timeout(20)
        yield drv
    finally:
        drv.quit()


# The search index and its worker: every page loads them and builds the index, which is half the
# time of a page visit. The page tests block them (the search tests below use them).
SEARCH_ASSETS = ["*search_index.json", "*search_index.js", "*/workers/search.*"]


def search_assets(driver, blocked: bool) -> None:
    driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": SEARCH_ASSETS if blocked else []})


# Which record and requirement pages each site opens in the browser: (modulus, remainder) of a
# hash of the page name, or None for every page. The bundle is the continuity edition from
# file://, so it opens every page and the continuity site over HTTP opens a quarter of its
# records; internal and auditor carry the same records, so each opens a different tenth.
SAMPLES: dict[str, tuple[int, int] | None] = {
    "public": None, "bundle": None, "continuity": (4, 0), "internal": (10, 0), "auditor": (10, 1)}
# The auditor site's kind indexes differ from the internal site's by the confidential rows only.
KIND_INDEX_SAMPLES: dict[str, tuple[int, int] | None] = {"auditor": (2, 1)}


def _sampled(name: str, sample: tuple[int, int] | None) -> bool:
    import zlib

    return sample is None or zlib.crc32(name.encode()) % sample[0] == sample[1]


def pages_to_open(built: Built, site: str) -> list[str]:
    """Pages (paths from the site root) to open in the browser; the static scan reads every page.

    Every page that is not a record or requirement page: home, emergency pack, sections, kind
    indexes (they list every title; half of them on the auditor site), the compliance overview,
    findings and dashboards. Record and requirement pages: all of them, or a deterministic sample
    (:data:`SAMPLES`).
    """
    root = built.hostile[site]
    pages = []
    for path in page_files(root):
        rel = path.relative_to(root).as_posix()
        if rel == "404.html":
            continue
        parts = rel.split("/")
        detail = (parts[0] == "records" and len(parts) >= 3 and parts[2] != "index.html") or \
                 (parts[0] == "compliance" and len(parts) >= 3)
        kind_index = parts[0] == "records" and len(parts) == 3 and parts[2] == "index.html"
        if detail:
            if _sampled(rel, SAMPLES[site]):
                pages.append(rel)
        elif not kind_index or _sampled(rel, KIND_INDEX_SAMPLES.get(site)):
            pages.append(rel)
    return pages


def page_url(base: str, rel: str) -> str:
    if rel.endswith("index.html") and not base.startswith("file:"):
        rel = rel[: -len("index.html")]
    return base + rel


def theme_id_list(built: Built, site: str) -> list[str]:
    """Theme ids the live page must hold at most once and never inside <article> (freshness.js puts
    its own clause8-stale banner there by design)."""
    return sorted(i for i in built.baselines[site].theme_ids if not i.startswith("__nav_") and i != "clause8-stale")


# Elements the site's scripts add at run time: the offline search shim runs the search worker in a
# hidden iframe.
RUNTIME_THEME_ELEMENTS = ('iframe[hidden][title="search"]',)


def theme_selectors(built: Built, site: str) -> list[str]:
    """CSS selectors (tag and classes) of the theme's own iframe/form/... elements in the clean build."""
    out = set()
    for markup in built.baselines[site].theme_markup:
        tag = re.match(r"<([a-zA-Z0-9]+)", markup)[1].lower()
        classes = re.search(r"""\bclass=["']?([^"'>]*)""", markup)
        out.add(tag + "".join(f".{c}" for c in (classes[1].split() if classes else [])))
    return sorted(out | set(RUNTIME_THEME_ELEMENTS))


def _open_all(driver, built: Built, site: str, base: str) -> tuple[list[Visit], int]:
    ids, selectors = theme_id_list(built, site), theme_selectors(built, site)
    pages = pages_to_open(built, site)
    visits = [visit(driver, page_url(base, rel), rel, ids, selectors) for rel in pages]
    return [v for v in visits if v.findings], len(pages)


def visits_report(site: str, bad: list[Visit], opened: int) -> str:
    lines = [f"{site}: {len(bad)} of {opened} opened page(s) ran record text or hold injected markup:"]
    for v in bad[:40]:
        lines.append(f"  {v.page}:")
        lines += [f"      {' '.join(f.split())[:300]}" for f in v.findings[:6]]
    return "\n".join(lines)


@pytest.mark.browser
@pytest.mark.parametrize("site", EDITIONS)
def test_pages_run_no_record_text_over_http(built: Built, driver, site: str):
    from tests.browser import serve

    search_assets(driver, blocked=True)
    # The control: a clean page passes the same probe.
    with serve(built.clean[site]) as (base, _stop):
        control = visit(driver, base, "index.html (clean build)", theme_id_list(built, site),
                        theme_selectors(built, site))
        assert not control.findings, control
    with serve(built.hostile[site]) as (base, _stop):
        bad, opened = _open_all(driver, built, site, base)
    print(f"\n{site}: opened {opened} pages over http")
    assert not bad, visits_report(site, bad, opened)


@pytest.mark.browser
def test_bundle_runs_no_record_text_from_file(built: Built, driver):
    search_assets(driver, blocked=True)
    base = built.hostile["bundle"].as_uri() + "/"
    control = visit(driver, built.clean["bundle"].as_uri() + "/index.html", "index.html (clean bundle)",
                    theme_id_list(built, "bundle"), theme_selectors(built, "bundle"))
    assert not control.findings, control
    bad, opened = _open_all(driver, built, "bundle", base)
    print(f"\nbundle: opened {opened} pages from file://")
    assert not bad, visits_report("bundle (file://)", bad, opened)


SEARCHES = ("script", "onerror", "alert", "</title>", "<img", "javascript", "__config", "clause8-built",
            "xss001", "onerror=alert('toc')")

# The search results are built by the theme from the search index: record text must show up in
# them as text, never as elements (the theme itself writes lists, links, headings, <mark>, <details>).
RESULTS_PROBE = """
var themeIds = arguments[0], out = [];
var root = document.querySelector('.md-search-result');
if (!root) { return ['no search result element']; }
root.querySelectorAll('*').forEach(function (el) {
  var tag = el.tagName.toLowerCase();
  if (['script', 'iframe', 'object', 'embed', 'form', 'base', 'img', 'image', 'svg', 'video', 'audio', 'style',
       'link', 'meta', 'math', 'input', 'textarea', 'select', 'button', 'frame', 'frameset', 'marquee',
       'source', 'picture', 'xss', 'isindex', 'keygen', 'applet'].indexOf(tag) >= 0) {
    out.push('<' + tag + '> in search results: ' + el.outerHTML.slice(0, 240));
  }
  for (var i = 0; i < el.attributes.length; i++) {
    var a = el.attributes[i], name = a.name.toLowerCase();
    if (name.indexOf('on') === 0) { out.push(name + '= in search results: ' + el.outerHTML.slice(0, 240)); }
    if (/^(javascript|vbscript|data):/i.test(a.value.replace(/^[\\x00-\\x20]+|[\\x00-\\x20]+$/g, '').replace(/[\\t\\n\\r]/g, '')) &&
        ['href', 'src', 'action', 'formaction', 'xlink:href', 'data'].indexOf(name) >= 0) {
      out.push('dangerous URL in ' + name + '= in search results: ' + el.outerHTML.slice(0, 240));
    }
    if (name === 'id' && themeIds.indexOf(a.value) >= 0) {
      out.push('theme id ' + a.value + ' in search results: ' + el.outerHTML.slice(0, 240));
    }
  }
});
return out;
"""


def search_findings(driver, start_url: str, theme_ids: list[str], selectors: list[str]) -> tuple[list[str], int]:
    """Type each of SEARCHES into the search box of ``start_url``; what the results hold or ran."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    findings = visit(driver, start_url, start_url, theme_ids, selectors).findings
    box = driver.find_element(By.CSS_SELECTOR, "input.md-search__input")
    if not box.is_displayed():
        driver.find_element(By.CSS_SELECTOR, "label.md-header__button[for='__search']").click()
    WebDriverWait(driver, WAIT).until(lambda d: box.is_displayed(), "search input never became visible")
    results = 0
    for query in SEARCHES:
        box.click()
        box.send_keys(Keys.CONTROL, "a")
        box.send_keys(Keys.BACKSPACE)
        box.send_keys(query)

        def settled(d):
            try:
                meta = d.find_element(By.CSS_SELECTOR, ".md-search-result__meta").text.lower()
            except StaleElementReferenceException:
                return False
            return "match" in meta  # "No matching documents" / "N matching documents"

        WebDriverWait(driver, WAIT).until(settled, f"no search results for {query!r} on {start_url}")
        time.sleep(0.3)  # results render in batches
        results += len(driver.find_elements(By.CSS_SELECTOR, ".md-search-result__item"))
        findings += [f"search {query!r}: {p}" for p in driver.execute_script(RESULTS_PROBE, theme_ids)]
        # Hover and focus the results (handlers on them would fire now).
        for link in driver.find_elements(By.CSS_SELECTOR, ".md-search-result__link")[:5]:
            try:
                driver.execute_script("arguments[0].focus(); arguments[0].dispatchEvent(new MouseEvent('mouseover', "
                                      "{bubbles: true}));", link)
            except StaleElementReferenceException:
                pass
        state = driver.execute_script("return {calls: (window.__xss_calls || []).slice(), marker: window.__xss === 1}")
        findings += [f"search {query!r}: dialog call {c}" for c in state["calls"]]
        if state["marker"]:
            findings.append(f"search {query!r}: window.__xss was set")
        findings += [f"search {query!r}: {d}" for d in dismiss_dialogs(driver)]
    return sorted(set(findings)), results


@pytest.mark.browser
@pytest.mark.parametrize("site", ("internal", "auditor"))
def test_search_box_renders_no_markup_over_http(built: Built, driver, site: str):
    from tests.browser import serve

    search_assets(driver, blocked=False)
    with serve(built.hostile[site]) as (base, _stop):
        findings, results = search_findings(driver, base, theme_id_list(built, site), theme_selectors(built, site))
    assert results, "the searches found nothing: the search box did not work"
    assert not findings, f"{site} search:\n" + "\n".join(f"  {' '.join(f.split())[:300]}" for f in findings[:40])


@pytest.mark.browser
def test_search_box_renders_no_markup_from_file(built: Built, driver):
    search_assets(driver, blocked=False)
    findings, results = search_findings(driver, built.hostile["bundle"].as_uri() + "/index.html",
                                        theme_id_list(built, "bundle"), theme_selectors(built, "bundle"))
    assert results, "the searches found nothing: the search box did not work"
    assert not findings, "bundle search (file://):\n" + "\n".join(f"  {' '.join(f.split())[:300]}"
                                                                    for f in findings[:40])


# --------------------------------------------------------------------------------------------
# Build breakers (no build, no browser; last, so that -x shows the XSS failures first)
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("breaker", read_vectors(BREAKERS_FILE))
def test_check_reports_what_would_stop_the_build(tmp_path: Path, breaker: str):
    """A record whose text stops the build must be a content error that ``check`` names."""
    from generator.checks.pipeline import check_content

    content = write_tree(tmp_path, {"people/ani.yaml": yaml.safe_dump({
        "kind": "person", "id": "PER-ANI", "title": "Ani Wijaya", "owner": "PER-ANI", "role": "Service manager",
        "description": f"Before\n\n{breaker}\n\nAfter\n"}, sort_keys=False, allow_unicode=True)})
    findings = check_content(content, TODAY).findings
    errors = [f for f in findings if f.severity == "error" and f.file.endswith("ani.yaml")]
    assert errors, (f"check reports nothing for a description holding {breaker!r}, but a build with it stops; "
                    f"findings: {[f.text() for f in findings]}")
