"""The emergency pack as a printable PDF, laid out by WeasyPrint from our own HTML a part at a time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

from ...content.i18n import Translator

from ...content.resources import TEMPLATES  # noqa: E402 - the site templates, installed with the package
from ..templates import template_env
from .pack import Pack, person_cards

__all__ = ["pdf_bytes", "print_parts"]


STYLE = TEMPLATES / "emergency_print.css"


# -- print HTML and PDF ----------------------------------------------------------------------
# WeasyPrint keeps every laid-out page of a document in memory until the document is written
# (1.5-2 MB a page for this pack), so one document for a hundred plans took the process from 150
# to 600 MB. The pack is laid out a part at a time instead: each plan, and the directory in runs
# of rows, is its own document whose page numbers go on from the previous part's; every
# BATCH_PAGES pages the parts laid out so far are written as one PDF and freed. The contents
# come last, once every page number is known, on pages numbered i, ii, ...; pypdf joins the
# PDFs and adds what crosses parts: the contents links, the outline and the page labels.
BATCH_PAGES = 40
DIRECTORY_ROWS = 150
CSS_PX_TO_PT = 0.75


def css_string(text: str) -> Markup:
    """``text`` as a CSS string literal, every character but ASCII letters, digits and spaces
    written as a hex escape: safe inside a style sheet inside HTML, whatever the text."""
    body = "".join(ch if (ch.isascii() and ch.isalnum()) or ch == " " else f"\\{ord(ch):x} " for ch in text)
    return Markup(f'"{body}"')


def _html_env() -> jinja2.Environment:
    env = template_env(autoescape=True)  # record text is untrusted; this template writes HTML
    env.filters["css_string"] = css_string
    return env


def _stamp(when: dt.datetime) -> str:
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def dates_text(t: Translator, built: dt.datetime, changed: dt.datetime | None) -> str:
    """The sentence that says how current the pack is: when this copy was made and when the records
    it shows last changed (their last commit), or only the first outside git."""
    if changed is None:
        return t("ui.emergency_dates_unknown", built=_stamp(built))
    return t("ui.emergency_dates", built=_stamp(built), changed=changed.astimezone(dt.timezone.utc).strftime("%Y-%m-%d"))


class Printer:
    """The pack's print HTML, one part at a time (see the comment above)."""

    def __init__(self, pack: Pack, t: Translator, site_title: str, built: dt.datetime,
                 changed: dt.datetime | None = None) -> None:
        built_utc = built.astimezone(dt.timezone.utc)
        self.pack = pack
        self.template = _html_env().get_template("emergency_print.html.j2")
        stamp = _stamp(built)
        footer = f"{t('ui.copy_made')} {stamp}"  # the contents page says when the records last changed
        self.common = dict(
            pack=pack, t=t, lang=t.lang, site_title=site_title, built=stamp, dates=dates_text(t, built, changed),
            built_w3c=built_utc.strftime("%Y-%m-%dT%H:%M:%SZ"), people=person_cards(pack), footer=footer,
        )

    def body_parts(self) -> list[dict[str, object]]:
        """The values of every part after the contents, in order: each plan, then the directory."""
        parts: list[dict[str, object]] = [{"plans": (plan,)} for plan in self.pack.plans]
        rows = self.pack.directory
        for start in range(0, len(rows), DIRECTORY_ROWS):
            parts.append({"rows": rows[start:start + DIRECTORY_ROWS], "first_rows": start == 0})
        if parts:
            parts[-1]["last"] = True
        return parts

    def html(self, part: str = "body", first_page: int = 1, toc: dict[str, int] | None = None,
             body_pages: int = 0, **values: object) -> str:
        return self.template.render(
            **self.common, part=part, first_page=first_page, toc=toc or {}, body_pages=body_pages,
            **{"plans": (), "rows": (), "first_rows": False, "last": False, **values})

    def contents_html(self, toc: dict[str, int], body_pages: int) -> str:
        return self.html("cover", toc=toc, body_pages=body_pages)


def print_parts(pack: Pack, t: Translator, site_title: str, built: dt.datetime,
                changed: dt.datetime | None = None) -> list[str]:
    """Every part's HTML, the contents first with page numbers left out (for inspection)."""
    printer = Printer(pack, t, site_title, built, changed)
    return [printer.contents_html({}, 0), *(printer.html(**values) for values in printer.body_parts())]


def _no_fetch(url: str, *args: object, **kwargs: object) -> dict:
    raise ValueError(f"the emergency pack loads no resource ({url})")


def _render(html_text: str, style, fonts):  # (str, weasyprint CSS, FontConfiguration) -> Document
    from weasyprint import HTML

    return HTML(string=html_text, base_url=None, url_fetcher=_no_fetch).render(
        stylesheets=[style], font_config=fonts)


def _write(document) -> bytes:  # weasyprint.Document -> PDF bytes
    # Tagged (PDF/UA-1): a screen reader reads headings, lists, tables and links in order. _join
    # keeps each part's tags and joins them into one structure tree.
    return document.write_pdf(pdf_identifier=None, pdf_variant="pdf/ua-1")


def pdf_bytes(pack: Pack, t: Translator, site_title: str, built: dt.datetime,
              changed: dt.datetime | None = None) -> bytes:
    """The pack as PDF. Same pack, same bytes: the dates come from the documents'
    ``dcterms.created`` / ``dcterms.modified`` meta (the build time) and no file identifier is
    written. WeasyPrint itself does not read ``SOURCE_DATE_EPOCH``."""
    import logging

    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    printer = Printer(pack, t, site_title, built, changed)
    # Parsed once, for every part.
    fonts = FontConfiguration()
    style = CSS(string=STYLE.read_text(encoding="utf-8"), url_fetcher=_no_fetch, font_config=fonts)
    body = _lay_out_body(printer, style, fonts)
    contents = _render(printer.contents_html({name: at.page + 1 for name, at in body.anchors.items()},
                                             body.pages), style, fonts)
    links = _take_contents_links(contents, body.anchors)
    return _join(_write(contents), len(contents.pages), body, links, pack, t)


@dataclass(frozen=True)
class _At:
    """Where an anchor is: its page among the body pages (from 0), that page's height and the
    anchor's top left, in CSS px."""
    page: int
    page_height: float
    x: float
    y: float


@dataclass
class _Body:
    batches: list[bytes] = field(default_factory=list)  # PDFs of BATCH_PAGES pages or so, in order
    anchors: dict[str, _At] = field(default_factory=dict)
    pages: int = 0


def _lay_out_body(printer: Printer, style, fonts) -> _Body:
    """Every part after the contents, laid out one at a time, written every BATCH_PAGES pages."""
    body = _Body()
    pending: list = []  # laid-out documents not yet written
    pending_pages = 0
    for values in printer.body_parts():
        document = _render(printer.html(first_page=body.pages + 1, **values), style, fonts)
        for offset, page in enumerate(document.pages):
            for name, (x, y, _, _) in page.anchors.items():
                body.anchors.setdefault(name, _At(body.pages + offset, page.height, x, y))
        body.pages += len(document.pages)
        pending.append(document)
        pending_pages += len(document.pages)
        if pending_pages >= BATCH_PAGES or values.get("last"):
            body.batches.append(_write(pending[0].copy([page for doc in pending for page in doc.pages])))
            pending, pending_pages = [], 0
    return body


@dataclass(frozen=True)
class _ContentsLink:
    page: int  # among the contents pages
    page_height: float
    box: tuple[float, float, float, float]  # x1, y1, x2, y2 in CSS px from the top left
    target: str


def _take_contents_links(contents, anchors: dict[str, _At]) -> list[_ContentsLink]:
    """The contents' links to other parts, one per entry and page (WeasyPrint gives a box per
    piece of a link: the text, the leader, the number), taken off the pages: WeasyPrint would
    drop them with an error, as their anchors are in other documents."""
    boxes: dict[tuple[int, str], tuple[float, float, float, float]] = {}
    for number, page in enumerate(contents.pages):
        for kind, target, (x1, y1, x2, y2), _ in page.links:
            if kind == "internal" and target in anchors:
                a1, b1, a2, b2 = boxes.get((number, target), (x1, y1, x2, y2))
                boxes[number, target] = (min(a1, x1), min(b1, y1), max(a2, x2), max(b2, y2))
        page.links[:] = [link for link in page.links if link[0] != "internal"]
    return [_ContentsLink(number, contents.pages[number].height, box, target)
            for (number, target), box in boxes.items()]


def _join(head: bytes, front: int, body: _Body, links: list[_ContentsLink], pack: Pack, t: Translator) -> bytes:
    """The contents PDF and the body's batches as one PDF, with what crosses them: the contents
    links, the outline and the page labels (i, ii, ... then 1, 2, ...)."""
    import io

    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Link
    from pypdf.generic import Fit

    writer = PdfWriter()
    first = PdfReader(io.BytesIO(head))
    tree = _Tags(writer)
    readers = [first, *(PdfReader(io.BytesIO(data)) for data in body.batches)]
    for number, reader in enumerate(readers):
        start = len(writer.pages)
        writer.append(reader, import_outline=False)
        tree.add(reader, writer.pages[start:])
        reader.resolved_objects.clear()  # the part's parsed objects: their copies are in the writer now
        if number == 0:
            contents_end = len(tree.kids)  # the contents links' tags go after the contents' own
    pt = CSS_PX_TO_PT
    added = []
    for link in links:
        at = body.anchors[link.target]
        top = link.page_height * pt  # PDF y runs up from the bottom of the page
        x1, y1, x2, y2 = link.box
        added.append((link.page, writer.add_annotation(link.page, Link(
            rect=(x1 * pt, top - y2 * pt, x2 * pt, top - y1 * pt), border=[0, 0, 0],
            target_page_index=front + at.page, fit=Fit.xyz(left=at.x * pt, top=(at.page_height - at.y) * pt)))))
    tree.finish(first, added, contents_end if readers else 0)
    writer.add_outline_item(title=t("ui.contents"), page_number=0)
    for plan in pack.plans:
        writer.add_outline_item(title=f"{plan.id} — {plan.title}", page_number=front + body.anchors[plan.anchor].page)
    if "directory" in body.anchors:
        writer.add_outline_item(title=t("ui.emergency_directory"), page_number=front + body.anchors["directory"].page)
    writer.set_page_label(0, front - 1, style="/r")
    if body.pages:
        writer.set_page_label(front, front + body.pages - 1, style="/D", start=1)
    writer.add_metadata(dict(first.metadata or {}))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class _Tags:
    """One structure tree (tags) for the joined PDF, made of the parts' trees.

    pypdf's append copies pages but not the catalog's /StructTreeRoot, and drops each page's
    /StructParents. Each part (a WeasyPrint PDF/UA document) numbers its parent tree from 0: pages
    0..n-1, then its link annotations. Here every part's elements are copied under one /Document
    element, its parent-tree keys shifted past the parts before it, and its pages' /StructParents
    and annotations' /StructParent shifted alike. Copies of elements point at the joined PDF's
    pages and annotations, as pypdf maps each object of a part it copied once to its copy.
    """

    def __init__(self, writer) -> None:  # pypdf.PdfWriter
        from pypdf.generic import ArrayObject, DictionaryObject, NameObject

        self.writer = writer
        self.kids = ArrayObject()  # the /Document element's children, in reading order
        self.nums = ArrayObject()  # the parent tree's number tree, flat: key, value, key, value...
        self.next_key = 0
        self.document = DictionaryObject({
            NameObject("/Type"): NameObject("/StructElem"), NameObject("/S"): NameObject("/Document")})
        self.document_ref = writer._add_object(self.document)

    def add(self, reader, pages) -> None:  # (pypdf.PdfReader, [PageObject] in the writer)
        from pypdf.generic import NameObject, NumberObject

        root = reader.root_object.get("/StructTreeRoot")
        if root is None:
            return
        root = root.get_object()
        offset = self.next_key
        # pypdf copied the link annotations without noting which copy is which; the elements'
        # OBJR entries must point at those copies, not at new ones: noted here by parent-tree key.
        translated = self.writer._id_translated.setdefault(id(reader), {})
        for page, original in zip(pages, reader.pages):
            copies = {int(a.get_object()["/StructParent"]): a for a in _as_list(page.get("/Annots"))
                      if "/StructParent" in a.get_object()}
            for ref in _as_list(original.get("/Annots")):
                key = ref.get_object().get("/StructParent")
                if key is not None and int(key) in copies and hasattr(ref, "idnum"):
                    translated[ref.idnum] = copies[int(key)].idnum
        for top in _as_list(root.get("/K")):
            for kid in _as_list(top.get_object().get("/K")):
                copy = kid.clone(self.writer, ignore_fields=("/P",))
                self._set_parents(copy, self.document_ref)
                self.kids.append(copy)  # a reference: the part's elements are indirect objects
        nums = _as_list(root["/ParentTree"].get_object().get("/Nums"))
        last = -1
        for key, value in zip(nums[0::2], nums[1::2]):
            self.nums.append(NumberObject(int(key) + offset))
            self.nums.append(value.clone(self.writer, ignore_fields=("/P",)))
            last = max(last, int(key))
        for page, original in zip(pages, reader.pages):
            if "/StructParents" in original:
                page[NameObject("/StructParents")] = NumberObject(int(original["/StructParents"]) + offset)
            for annot in _as_list(page.get("/Annots")):
                annot = annot.get_object()
                if "/StructParent" in annot:
                    annot[NameObject("/StructParent")] = NumberObject(int(annot["/StructParent"]) + offset)
        self.next_key = offset + last + 1

    def _set_parents(self, element, parent) -> None:
        """Every element under ``element`` (itself included) points at its parent (copies were
        made without /P, which would have copied the part's whole tree again)."""
        from pypdf.generic import NameObject

        stack = [(element, parent)]
        while stack:
            node, up = stack.pop()
            obj = node.get_object()
            if not hasattr(obj, "get") or obj.get("/Type") in ("/OBJR", "/MCR") or "/S" not in obj:
                continue
            obj[NameObject("/P")] = up
            here = obj.indirect_reference
            stack.extend((kid, here) for kid in _as_list(obj.get("/K")))

    def finish(self, first, links, at: int) -> None:
        """Put the tree in the catalog, with a /Link element per contents link pypdf added (``links``:
        (page number, annotation)), after the contents' own elements (``at``); and the catalog
        entries a tagged PDF carries: marked, language, title shown, the PDF/UA metadata."""
        from pypdf.generic import ArrayObject, BooleanObject, DictionaryObject, NameObject, NumberObject

        w = self.writer
        for page_number, annot in links:
            annot = annot.get_object() if hasattr(annot, "get_object") else annot
            page_ref = w.pages[page_number].indirect_reference
            element = w._add_object(DictionaryObject({
                NameObject("/Type"): NameObject("/StructElem"), NameObject("/S"): NameObject("/Link"),
                NameObject("/P"): self.document_ref, NameObject("/Pg"): page_ref,
                NameObject("/K"): ArrayObject([DictionaryObject({
                    NameObject("/Type"): NameObject("/OBJR"), NameObject("/Obj"): annot.indirect_reference,
                    NameObject("/Pg"): page_ref})])}))
            annot[NameObject("/StructParent")] = NumberObject(self.next_key)
            self.nums.extend([NumberObject(self.next_key), element])
            self.next_key += 1
            self.kids.insert(at, element)
            at += 1
        root = w._add_object(DictionaryObject({
            NameObject("/Type"): NameObject("/StructTreeRoot"),
            NameObject("/K"): ArrayObject([self.document_ref]),
            NameObject("/ParentTree"): w._add_object(DictionaryObject({NameObject("/Nums"): self.nums})),
            NameObject("/ParentTreeNextKey"): NumberObject(self.next_key)}))
        self.document[NameObject("/P")] = root
        self.document[NameObject("/K")] = self.kids
        catalog = w._root_object
        catalog[NameObject("/StructTreeRoot")] = root
        catalog[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})
        catalog[NameObject("/ViewerPreferences")] = DictionaryObject(
            {NameObject("/DisplayDocTitle"): BooleanObject(True)})
        source = first.root_object
        for key in ("/Lang", "/Metadata"):  # the language and the XMP packet naming PDF/UA-1
            if key in source:
                catalog[NameObject(key)] = source[key].clone(w)


def _as_list(value) -> list:
    """A PDF value that may be one object, an array of them or absent, as a list."""
    from pypdf.generic import ArrayObject

    if value is None:
        return []
    value = value.get_object() if hasattr(value, "get_object") else value
    return list(value) if isinstance(value, ArrayObject) else [value]


# Laid-out packs kept in a cache folder, newest first; older ones are removed.
PDF_CACHE_KEEP = 8
# What the code makes of the laid-out pack (tagging, joining), part of the cache key: a new value
# lays out again the packs an older version cached.
PDF_FORMAT = "tagged-1"


def cached_pdf_bytes(pack: Pack, t: Translator, site_title: str, built: dt.datetime, cache: Path | None,
                     changed: dt.datetime | None = None) -> bytes:
    """:func:`pdf_bytes`, taken from ``cache`` when the same pack was laid out before.

    The PDF is a function of its print HTML, the style sheet and the WeasyPrint version, so those
    are the key: the continuity build and the continuity bundle of the same inputs lay it out once
    (about 25 s at 10,000 records). ``cache`` None: always lay it out.
    """
    if cache is None:
        return pdf_bytes(pack, t, site_title, built, changed)
    import hashlib

    import weasyprint

    key = hashlib.sha256()
    for part in (*print_parts(pack, t, site_title, built, changed), STYLE.read_text(encoding="utf-8"),
                 weasyprint.__version__, PDF_FORMAT):
        key.update(part.encode("utf-8"))
        key.update(b"\0")
    target = cache / f"emergency-pack-{key.hexdigest()[:32]}.pdf"
    if target.is_file():
        target.touch()  # recently used: kept longest
        return target.read_bytes()
    data = pdf_bytes(pack, t, site_title, built, changed)
    try:
        cache.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
        for old in sorted(cache.glob("emergency-pack-*.pdf"), key=lambda p: p.stat().st_mtime, reverse=True)[PDF_CACHE_KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # a cache that cannot be written only costs time
    return data
