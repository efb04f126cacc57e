"""Search for the offline bundle: the index built here, loaded ready-made off the page's thread.

From ``file://`` a browser refuses Web Workers to file URLs, and Material's search worker then
runs in the page's own thread (in a frame) and builds its lunr index from every page's text each
time the search box opens: with thousands of records the page froze for seconds. For the offline
bundle (Material's ``offline`` plugin on), after the search and offline plugins have written
``search/search_index.json`` and ``search_index.js``, this module writes:

- ``search/clause8-index.js``: the documents (location, title and the start of the text Material
  indexed, as a result shows it) and a lunr index of their whole text built here with the Python port of lunr, serialised in the form lunr.js 2.3.9
  (the version inside Material's worker) loads with ``lunr.Index.load``; the whole as one JSON
  string, so the page only reads a string and hands it to the worker, which parses it;
- ``search/clause8-worker.js`` (and ``clause8-worker-text.js``, the same code as a string, for a
  ``blob:`` worker): Material's own worker bundle, for lunr, with its message handler set aside,
  followed by ``site_templates/assets/search-worker.js``, which answers Material's messages from
  the ready-made index;
- ``search/search_index.js`` again, with the configuration and no documents: the page no longer
  parses every document on every page (``search_index.json``, read over http, stays whole, so a
  hosted copy keeps Material's own search).

The project's shim (``site_templates/assets/iframe-worker-shim.js``) starts the worker from a
``blob:`` URL (Chromium runs those from ``file://``; the Content-Security-Policy allows
``worker-src blob:``) and falls back to a hidden frame where the browser refuses.

Record ids are indexed whole as well as in parts (``CP-DC-LOSS`` gives ``cp-dc-loss``, ``cp``,
``dc``, ``loss``), and a record page's own id goes into an ``id`` field with a large boost, so a
search for an id puts the record itself first. :func:`tokens` here and ``tokens`` in
search-worker.js must split text the same way.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from generator.content.resources import TEMPLATES

INDEX_JS = "search/clause8-index.js"
WORKER_JS = "search/clause8-worker.js"
WORKER_TEXT_JS = "search/clause8-worker-text.js"
ENGINE = TEMPLATES / "assets" / "search-worker.js"
FORMAT = 1  # bumped when the data the worker reads changes shape

# Field boosts: a record's own id far above a title, a title far above body text.
FIELDS = {"id": 1000.0, "title": 10.0, "text": 1.0}

_TAG = re.compile(r"<[^>]*>")
# Keep in step with SPLIT in site_templates/assets/search-worker.js.
_SPLIT = re.compile(r"[\s,;:!?()\[\]{}\"'<>/\\|«»—–…·*#=+&%@~^`$]+")
_EDGES = ".-_"
_JOINERS = re.compile(r"[._-]+")
_RECORD_PAGE = re.compile(r"^(?:.*/)?records/[a-z_]+/(?P<id>[^/#]+?)(?:\.html|/)?$")


def tokens(text: str) -> list[str]:
    """The terms ``text`` is indexed under: lower-case words, and a word joined by ``-``, ``.`` or
    ``_`` (an id, a version, a host name) both whole and in its parts."""
    out: list[str] = []
    for word in _SPLIT.split(text.lower()):
        word = word.strip(_EDGES)
        if not word:
            continue
        out.append(word)
        if _JOINERS.search(word):
            out.extend(part for part in _JOINERS.split(word) if part)
    return out


def plain(markup: str) -> str:
    """The text of an index entry (Material keeps some markup and entities in it)."""
    return html.unescape(_TAG.sub(" ", markup))


SNIPPET = 320  # characters of text a result shows (search-worker.js cuts to the same)


def snippet(markup: str) -> str:
    """What a result shows of an entry's text: Material's escaped HTML with the tags dropped (the
    entities kept, never cut), at most SNIPPET characters. Only this goes to the browser: the
    whole text is in the index."""
    text = " ".join(_TAG.sub(" ", markup).replace("<", "&lt;").replace(">", "&gt;").split())
    if len(text) <= SNIPPET:
        return text
    cut = text[:SNIPPET]
    if cut.rfind("&") > cut.rfind(";"):
        cut = cut[:cut.rfind("&")]
    return cut + " …"


def record_id(doc: dict[str, Any]) -> str | None:
    """The record id of a record page's own entry (not its sections), else None."""
    location = doc.get("location", "")
    match = _RECORD_PAGE.match(location)
    if match is None or "#" in location or match["id"] == "index":
        return None
    return match["id"]


def build_index(docs: list[dict[str, Any]]) -> dict[str, Any]:
    """A lunr index of ``docs`` (Material's search entries), refs being their positions, serialised."""
    builder = _builder_class()()
    builder.ref("ref")
    for name, boost in FIELDS.items():
        builder.field(name, boost=boost)
    builder.metadata_whitelist = []  # no positions: the worker marks matches itself
    for number, doc in enumerate(docs):
        rid = record_id(doc)
        # Lists reach lunr as ready-made tokens (its own tokenizer would split ids at "-").
        builder.add({"ref": str(number), "id": tokens(rid) if rid else [],
                     "title": tokens(plain(doc.get("title", ""))), "text": tokens(plain(doc.get("text", "")))})
    return builder.build().serialize()


def _builder_class() -> type:
    # lunr is imported only when a bundle is built.
    from lunr.builder import Builder
    from lunr.field_ref import FieldRef
    from lunr.idf import idf as Idf
    from lunr.vector import Vector

    class Builder_(Builder):
        """lunr's builder for documents whose fields are ready-made term lists (no tokenizer, no
        pipeline, no metadata), with the field vectors made in one pass: lunr's own inserts one
        element at a time into a sorted list and copies metadata per token, most of its time.
        The index and its numbers are the same."""

        def add(self, doc: dict[str, Any], attributes: dict[str, Any] | None = None) -> None:
            doc_ref = str(doc[self._ref])
            self._documents[doc_ref] = attributes or {}
            self.document_count += 1
            for field_name in self._fields:
                terms = doc[field_name]
                field_ref = str(FieldRef(doc_ref, field_name))
                frequencies = Counter(terms)
                self.field_term_frequencies[field_ref] = frequencies
                self.field_lengths[field_ref] = len(terms)
                for term in frequencies:
                    posting = self.inverted_index.get(term)
                    if posting is None:
                        posting = {name: {} for name in self._fields}
                        posting["_index"] = self.term_index
                        self.term_index += 1
                        self.inverted_index[term] = posting
                    posting[field_name][doc_ref] = {}

        def _create_field_vectors(self) -> None:
            vectors = {}
            idf_cache: dict[str, float] = {}
            for field_ref, frequencies in self.field_term_frequencies.items():
                ref = FieldRef.from_string(field_ref)
                if not frequencies:  # an empty field (its average length may be 0)
                    vectors[field_ref] = Vector()
                    continue
                length = self.field_lengths[field_ref]
                boost = self._fields[ref.field_name].boost * self._documents[ref.doc_ref].get("boost", 1)
                norm = self._k1 * (1 - self._b + self._b * (length / self.average_field_length[ref.field_name]))
                pairs = []
                for term, tf in frequencies.items():
                    posting = self.inverted_index[term]
                    if term not in idf_cache:
                        idf_cache[term] = Idf(posting, self.document_count)
                    score = idf_cache[term] * ((self._k1 + 1) * tf) / (norm + tf) * boost
                    pairs.append((posting["_index"], round(score, 3)))
                pairs.sort()
                vectors[field_ref] = Vector([x for pair in pairs for x in pair])
            self.field_vectors = vectors

    return Builder_


def _js_string(value: str) -> str:
    """``value`` as a JavaScript string literal (ASCII JSON: no line or paragraph separators)."""
    return json.dumps(value, ensure_ascii=True)


def worker_source(site_dir: Path) -> str:
    """Material's search worker (for lunr), its message handler set aside, then ours."""
    (material,) = sorted((site_dir / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    bundle = re.sub(r"\n//# sourceMappingURL=.*$", "", material.read_text(encoding="utf-8").rstrip())
    return (
        "// Material for MkDocs' search worker, for lunr.js; its own message handler is set aside.\n"
        "var __clause8Listen = self.addEventListener;\n"
        "self.addEventListener = function (type, fn, opts) {"
        " if (type !== 'message') __clause8Listen.call(self, type, fn, opts); };\n"
        f"{bundle}\n"
        "self.addEventListener = __clause8Listen;\n"
        f"{ENGINE.read_text(encoding='utf-8')}"
    )


def write_offline_search(site_dir: Path) -> None:
    """Prepare the built site's search for ``file://`` (see the module docstring)."""
    search = site_dir / "search"
    source = search / "search_index.json"
    if not source.is_file():
        return
    data = json.loads(source.read_text(encoding="utf-8"))
    docs = [{key: doc[key] for key in ("location", "title", "text", "tags") if key in doc} for doc in data["docs"]]
    index = build_index(docs)
    shown = [{**doc, "text": snippet(doc.get("text", ""))} for doc in docs]
    payload = {"format": FORMAT, "config": data["config"], "docs": shown, "index": index}
    (site_dir / INDEX_JS).write_text(
        "var __clause8Index = " + _js_string(json.dumps(payload, separators=(",", ":"), ensure_ascii=False)) + ";\n",
        encoding="utf-8")
    worker = worker_source(site_dir)
    (site_dir / WORKER_JS).write_text(worker, encoding="utf-8")
    (site_dir / WORKER_TEXT_JS).write_text(f"var __clause8Worker = {_js_string(worker)};\n", encoding="utf-8")
    # The page still reads the configuration (highlighting uses its separator); the documents are
    # in clause8-index.js, read by the worker.
    slim = {"config": data["config"], "docs": []}
    (search / "search_index.js").write_text("var __index = " + json.dumps(slim, separators=(",", ":")), encoding="utf-8")


def after_build(config: Any) -> None:
    """The plugin's post-build step: prepare file:// search when Material's offline plugin is on."""
    if any(name.endswith("offline") and plugin.config.enabled for name, plugin in config.plugins.items()):
        write_offline_search(Path(config.site_dir))
