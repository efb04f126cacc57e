"""Record text as the site renders it: markdown that cannot be rendered, links that lead nowhere.

The markdown fields of a record (:data:`generator.site.assemble.MARKDOWN_FIELDS`) are rendered here the
way mkdocs renders a record page, so that what would stop ``build`` is a located finding of
``check`` instead:

- ``markup-unparseable``: rendering raises. mkdocs scans every page for raw-HTML anchor ids with
  Python-Markdown's copy of ``html.parser``, which raises ``AssertionError`` on ``<![>`` (even in
  an inline code span); that scan is repeated here, with the site's markdown extensions.
- ``link-broken``: mkdocs.yml builds with ``strict: true`` and every link validation at ``warn``,
  so a warning fails the build. As mkdocs does, a relative link is resolved against the record's
  page (``records/<kind>/<ID>.md``) and must name a generated page exactly: a record page, a kind's
  index page or the home page, present in every edition that shows the linking record (the default
  editions: ``check`` does not read mkdocs.yml, where others may be declared). An absolute
  path (``/x``) fails; an anchor (``#x``, ``page.md#x``) must be a heading of the record page's
  title or description (the only anchors known before the page is built). Addresses with a scheme
  (``https:``, ``mailto:``, ``tel:``) are not checked.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element

import markdown
from markdown.htmlparser import htmlparser  # the html.parser copy mkdocs' raw-HTML scan uses
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

from ..content.editions import Edition, editions
from ..content.findings import Finding
from ..content.index import Index
from ..content.loader import Loaded
from ..content.localize import Msg
from ..content.markup import MARKDOWN_FIELDS, esc, kind_index_path, record_path
from ..content.models import KINDS
from . import Context, finding

# Broken page markup or links stop the site build; they say nothing about the evidence.
REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "markup-unparseable": (),
    "link-broken": (),
}

# The markdown extensions of a site page: mkdocs' built-ins (toc, tables, fenced_code) and
# mkdocs.yml's markdown_extensions (a test keeps the two in step).
SITE_MARKDOWN_EXTENSIONS: tuple[str, ...] = ("toc", "tables", "fenced_code", "admonition")
SITE_MARKDOWN_CONFIGS: dict[str, dict[str, Any]] = {"toc": {"permalink": True}}

# Follows the description on a record page (field blocks, requirements, back-references): a
# construct left open at the end of the description meets it there.
_PAGE_TAIL = "\n\n**Field**: value\n"


@dataclass
class Rendered:
    """What rendering one record's markdown fields found."""

    anchors: set[str] = field(default_factory=set)
    links: dict[str, list[str]] = field(default_factory=dict)  # field name -> link targets, in order
    errors: dict[str, str] = field(default_factory=dict)  # field name -> why it cannot be rendered


class _AnchorScan(htmlparser.HTMLParser):  # type: ignore[name-defined,misc]
    """mkdocs' scan of a page's raw HTML for anchor ids (``mkdocs.structure.pages._HTMLHandler``)."""

    def __init__(self, anchors: set[str]) -> None:
        super().__init__()
        self.anchors = anchors

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for k, v in attrs:
            if v is not None and (k == "id" or (k == "name" and tag == "a")):
                self.anchors.add(v)


class _RawHTMLScan(Preprocessor):
    """Runs where mkdocs runs its scan: just before Python-Markdown's own raw-HTML block step."""

    def __init__(self, collector: _Collector) -> None:
        super().__init__()
        self.collector = collector

    def run(self, lines: list[str]) -> list[str]:
        scan = _AnchorScan(self.collector.anchors)
        scan.feed("\n".join(lines))
        scan.close()
        return lines


class _Collector(Treeprocessor):
    """The anchors (element ids) and link targets of the rendered tree, as mkdocs reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.anchors: set[str] = set()
        self.links: list[str] = []

    def run(self, root: Element) -> None:
        for element in root.iter():
            if anchor := element.get("id"):
                self.anchors.add(anchor)
            if element.tag == "a":
                if anchor := element.get("name"):
                    self.anchors.add(anchor)
                url = element.get("href")
            elif element.tag == "img":
                url = element.get("src")
            else:
                continue
            if url is not None:
                self.links.append(url)


class _SiteMarkdown:
    """One Markdown instance with the site's extensions and mkdocs' raw-HTML scan, reused."""

    def __init__(self) -> None:
        self.collector = _Collector()
        self.md = markdown.Markdown(extensions=list(SITE_MARKDOWN_EXTENSIONS),
                                    extension_configs=SITE_MARKDOWN_CONFIGS)
        self.md.preprocessors.register(_RawHTMLScan(self.collector), "clause8_raw_html_scan", 21)
        self.md.treeprocessors.register(self.collector, "clause8_collect", 0)

    def render(self, text: str) -> tuple[set[str], list[str]]:
        """The anchors and links of ``text``; raises what rendering raises."""
        self.collector.anchors, self.collector.links = set(), []
        self.md.reset()
        self.md.convert(text)
        return self.collector.anchors, self.collector.links


def _needs_render(text: str) -> bool:
    """Whether ``text`` could fail to render or hold a link; plain text is skipped for speed.

    Rendering costs about a millisecond per text, most of a large check. Without '<' there is
    nothing for mkdocs' raw-HTML scan, without '[' or '<' no link, and Python-Markdown's one other
    known failure, a RecursionError, needs hundreds of nested blocks, and every nesting level
    adds to the run of indentation and markers ('- ', '> ', '1. ') that begins a line.
    """
    if "<" in text or "[" in text:
        return True
    return any(len(line) - len(line.lstrip(_BLOCK_LEAD)) >= _DEEP for line in text.expandtabs(4).splitlines())


# Leading characters that nest blocks, and how long a run of them makes a text worth rendering
# (failures start around 250 nesting levels; each level takes at least one character).
_BLOCK_LEAD = " -*+>.)!?0123456789"
_DEEP = 64


def render_record(loaded: Loaded, site: _SiteMarkdown | None = None,
                  full: bool = True) -> tuple[Rendered, _SiteMarkdown]:
    """Render the record's title heading and markdown fields as its page would.

    ``full=False`` skips texts that cannot fail nor link (:func:`_needs_render`): the result's
    anchors are then incomplete. Returns the result and the Markdown instance to reuse (a fresh
    one after a failure: a conversion that raised may leave its state behind)."""
    site = site or _SiteMarkdown()
    record = loaded.record
    out = Rendered()
    head = f"# {esc(record.id)} — {esc(record.title)}\n\n"
    texts = {name: getattr(record, name, None) for name in sorted(MARKDOWN_FIELDS)}
    texts = {name: text for name, text in texts.items() if isinstance(text, str) and text}
    if not full:
        texts = {name: text for name, text in texts.items() if _needs_render(text)}
    elif not texts:
        texts = {"": ""}  # no markdown field: the title's anchor only
    for name, text in texts.items():
        try:
            anchors, links = site.render(head + text + _PAGE_TAIL)
        except Exception as exc:  # noqa: BLE001 - any failure would stop the build: report it
            first_line = next(iter(str(exc).splitlines()), "")
            if "\\n" in first_line:  # a quoted excerpt that runs on into the rest of the page
                first_line = first_line.split("\\n", 1)[0]
                first_line += "'" if first_line.count("'") % 2 else ""
            out.errors[name] = f"{type(exc).__name__}: {first_line}" if first_line else type(exc).__name__
            site = _SiteMarkdown()
            continue
        out.anchors |= anchors
        if name:
            out.links[name] = links
    return out, site


@dataclass
class _Pages:
    """The pages a link from a record may lead to, what every edition includes, and the anchors
    of record pages (rendered when a link names one)."""

    index: Index
    editions: list[Edition]
    site: _SiteMarkdown | None = None
    _anchors: dict[str, set[str] | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.records = {record_path(l.record.kind, l.record.id): l for l in self.index.records}
        self.kind_pages = {kind_index_path(kind): kind for kind in KINDS}

    def check(self, loaded: Loaded) -> Rendered:
        """The record's markdown fields that could fail or link, rendered."""
        rendered, self.site = render_record(loaded, self.site, full=False)
        return rendered

    def anchors(self, loaded: Loaded) -> set[str] | None:
        """The anchors of the title and markdown fields of the record's page (None: unknown,
        the page cannot be rendered)."""
        rid = loaded.record.id
        if rid not in self._anchors:
            rendered, self.site = render_record(loaded, self.site)
            self._anchors[rid] = None if rendered.errors else rendered.anchors
        return self._anchors[rid]

    def left_out(self, source: Loaded, target: Loaded | None, kind: str) -> Edition | None:
        """An edition that shows ``source`` but has no page for the target (a record or a kind)."""
        for edition in self.editions:
            if not edition.includes(source.record):
                continue
            if target is not None and not edition.includes(target.record):
                return edition
            if edition.kinds is not None and kind not in edition.kinds:
                return edition
        return None


def check(index: Index, ctx: Context) -> Iterator[Finding]:
    pages = _Pages(index, list(editions().values()))
    for loaded in index.records:
        if not any(getattr(loaded.record, name, None) for name in MARKDOWN_FIELDS):
            continue
        rendered = pages.check(loaded)
        for name, why in sorted(rendered.errors.items()):
            yield finding(loaded, (name,), "error", "markup-unparseable",
                          Msg("markup-unparseable", "the markdown cannot be rendered ({why}): the site build would "
                              "stop on this page; write &lt; for a '<' that does not start an HTML tag", why=why))
        for name, links in sorted(rendered.links.items()):
            for url in dict.fromkeys(links):
                why = _broken(url, loaded, pages)
                if why is not None:
                    yield finding(loaded, (name,), "error", "link-broken",
                                  Msg("link-broken", "link '{url}' {why}", url=url, why=why))


_FULL_URL = Msg("link.full-url", "; use a link to a record page (e.g. ../sla/SLA-1.md) or a full https:// address")


def _broken(url: str, source: Loaded, pages: _Pages) -> str | None:
    """Why the strict mkdocs build would reject ``url`` on ``source``'s page, or None."""
    try:
        scheme, netloc, path, _query, anchor = urlsplit(url)
    except ValueError as exc:
        return Msg("link.invalid", "is not a valid address ({error})", error=exc)
    if scheme or netloc or AMP_SUBSTITUTE in url:
        return None  # an address elsewhere, or a mangled e-mail address: mkdocs leaves it alone
    if url.startswith(("/", "\\")):
        return Msg("link.absolute", "is an absolute path, which the site cannot resolve{full}", full=_FULL_URL)
    if not path:
        anchors = pages.anchors(source) if anchor else None
        if anchors is not None and anchor not in anchors:
            return Msg("link.anchor-here", "names no heading of this record's title or description (#{anchor})",
                       anchor=anchor)
        return None
    here = record_path(source.record.kind, source.record.id)
    target = posixpath.normpath(posixpath.join(posixpath.dirname(here), unquote(path)).lstrip("/"))
    record = pages.records.get(target)
    kind = record.record.kind if record is not None else pages.kind_pages.get(target)
    if kind is None and target != "index.md":
        return Msg("link.no-page", "leads to '{target}', which is not a page generated from the records{full}",
                   target=target, full=_FULL_URL)
    if kind is not None:
        edition = pages.left_out(source, record, kind)
        if edition is not None:
            return Msg("link.left-out", "leads to '{target}', which the {edition} edition leaves out while it "
                       "shows this record: its build would fail{full}", target=target, edition=edition.name,
                       full=_FULL_URL)
    if anchor:
        if record is None:
            return Msg("link.anchor-unknown", "has an anchor on a page whose headings the check cannot know: link "
                       "to the page itself")
        anchors = pages.anchors(record)
        if anchors is not None and anchor not in anchors:
            return Msg("link.anchor-there", "names no heading of {id}'s title or description (#{anchor})",
                       id=record.record.id, anchor=anchor)
    return None
