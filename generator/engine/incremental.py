"""Incremental preview: what ``clause8 serve`` keeps between rebuilds so a save rebuilds little.

mkdocs serve runs every rebuild as a "dirty" build, which renders only the pages whose file says
it is modified. This class decides that for the generated pages: a page is rebuilt when its
markdown differs from the last good build's (so the pages that name an edited record, the
indexes and the home page are rebuilt when their text changes, and nothing else). A change that
reaches every page (the navigation, the set of page depths the CSP covers, the output folder)
makes the next build a full one. After the build it removes the pages that no longer exist and
rewrites the search index as a full build would write it (the search plugin only indexes the pages
that were rebuilt). Records are re-read only for the files that changed (the loader's cache).

Before that, the markdown itself is made incrementally (:meth:`Incremental.attach`): a record's
page is rendered again only when something it shows may have changed (the record, a record it
names or that names it, its findings, requirements, review dates or evidence files); the other
record pages are the last build's markdown. The git history is read again only when HEAD moved
(:meth:`Incremental.history`); a new history rebuilds every page (history tables are in every
record page's HTML).

The result is byte-identical to a full build of the same content (tests/test_incremental.py).
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.content.index import iter_refs
from generator.content.markup import record_path

SEARCH_INDEX = "search/search_index.json"
# Kinds whose page shows what the records they name name in turn (an SLA: its supplier chain).
TWO_HOPS = frozenset({"sla"})


@dataclass
class Build:
    """One build's view, kept once it succeeded."""

    site_dir: str
    pages: dict[str, bytes | str]  # generated path -> markdown (or bytes: the PDF, the vCard)
    nav: str  # the navigation, serialised for comparison
    hashes: frozenset[str]  # the CSP's script hashes (they are in every page)
    dest: dict[str, str]  # generated path -> the file it was written to
    search: dict[str, list[dict[str, Any]]]  # page url -> its search entries
    history: Any = None  # the git history the pages show


@dataclass
class Rendered:
    """What the record pages of one build were made from, to tell which the next build must render."""

    key: tuple[Any, ...]  # what every page depends on (date, edition, language, history...)
    index: Any  # generator.content.index.Index of the edition's records
    signatures: dict[str, str]  # record id -> what its page shows besides records (findings...)
    pages: dict[str, str]  # record page path -> its markdown


@dataclass
class Incremental:
    """State carried from one serve rebuild to the next."""

    load_cache: dict[str, Any] = field(default_factory=dict)
    last: Build | None = None
    # This build, while it runs.
    full: bool = True
    rebuilt: set[str] = field(default_factory=set)
    pages: dict[str, bytes | str] = field(default_factory=dict)
    nav: str = ""
    last_rebuilt: set[str] = field(default_factory=set)  # what the last good build rebuilt
    rendered: Rendered | None = None  # the last good build's record pages
    rendering: Rendered | None = None  # this build's, while it runs
    rerendered: set[str] = field(default_factory=set)  # record pages this build rendered (not reused)
    _history: tuple[tuple[str, str], Any] | None = None
    history_now: Any = None

    # -- before rendering -----------------------------------------------------------------------
    def history(self, content: Path, read: Callable[[Path], Any]) -> Any:
        """``read(content)`` (the records' git history), read again only when HEAD moved."""
        head = _head(content)
        if head is not None and self._history is not None and self._history[0] == (str(content), head):
            self.history_now = self._history[1]
            return self.history_now
        self.history_now = read(content)
        self._history = ((str(content), head), self.history_now) if head is not None else None
        return self.history_now

    def attach(self, renderer: Any, key: tuple[Any, ...]) -> None:
        """Let ``renderer`` take from the last build each record page whose inputs did not change.

        ``key``: what every page depends on beyond the records (a change renders every page).
        Called after the renderer has its templates' globals (the document control), before it renders.
        """
        last = self.rendered if self.rendered is not None and self.rendered.key == key else None
        index = renderer.index
        signatures = {loaded.record.id: _signature(renderer, loaded) for loaded in index.records}
        dirty = None if last is None else _dirty(last, index, signatures)
        rendering = self.rendering = Rendered(key, index, signatures, {})
        self.rerendered = set()
        render_record = renderer.render_record

        def render_or_reuse(loaded: Any) -> str:
            record = loaded.record
            path = record_path(record.kind, record.id)
            text = last.pages.get(path) if last is not None and dirty is not None and record.id not in dirty else None
            if text is None:
                text = render_record(loaded)
                self.rerendered.add(path)
            rendering.pages[path] = text
            return text

        renderer.render_record = render_or_reuse

    # -- the engine's part ----------------------------------------------------------------------
    def plan(self, site_dir: str, pages: dict[str, bytes | str], nav: Any) -> None:
        """Decide, for the build about to run, which generated pages must be rebuilt."""
        self.pages = dict(pages)
        self.nav = json.dumps(nav, sort_keys=True, default=str)
        last = self.last
        self.full = (last is None or last.site_dir != site_dir or last.nav != self.nav
                     or last.history is not self.history_now)
        self.rebuilt = set(pages) if self.full else {p for p, text in pages.items() if last.pages.get(p) != text}

    def unchanged(self, path: str) -> bool:
        """Whether ``path`` is a generated file the same as in the last build (not rebuilt)."""
        return not self.full and path in self.pages and path not in self.rebuilt

    def check_hashes(self, hashes: frozenset[str]) -> bool:
        """False when the CSP changed since the last build: every page must be rebuilt."""
        return self.full or self.last is None or self.last.hashes == hashes

    def finish(self, site_dir: Path, files: Any, hashes: frozenset[str]) -> None:
        """After a good build: drop removed pages, write the whole search index, keep the state."""
        dest = {f.src_uri: f.abs_dest_path for f in files if f.src_uri in self.pages}
        if self.last is not None and not self.full:
            for path, written in self.last.dest.items():
                if path not in self.pages and written not in dest.values():
                    _remove(Path(written), site_dir)
        docs = list(files.documentation_pages())
        rebuilt = {_location(f.url) for f in docs if f.src_uri not in self.pages or f.src_uri in self.rebuilt}
        search = self._search_index(site_dir, [_location(f.url) for f in docs], rebuilt)
        self.last = Build(str(site_dir), self.pages, self.nav, hashes, dest, search, self.history_now)
        self.last_rebuilt = set(self.rebuilt)
        self.pages, self.rebuilt = {}, set()
        self.rendered, self.rendering = self.rendering, None

    def _search_index(self, site_dir: Path, doc_urls: list[str], rebuilt: set[str]) -> dict[str, list[dict[str, Any]]]:
        path = site_dir / SEARCH_INDEX
        if not path.is_file():
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
        fresh: dict[str, list[dict[str, Any]]] = {}
        for entry in data.get("docs", []):
            fresh.setdefault(entry["location"].split("#", 1)[0], []).append(entry)
        if self.full or self.last is None:
            return fresh
        # The pages rebuilt now bring their entries; the others keep theirs; in the order of a full build.
        last = self.last.search
        merged = {url: fresh.get(url, []) if url in rebuilt or url not in last else last[url] for url in doc_urls}
        data["docs"] = [entry for url in doc_urls for entry in merged[url]]
        # As the search plugin writes it.
        path.write_text(json.dumps(data, separators=(",", ":"), default=str), encoding="utf-8")
        return merged


def _signature(renderer: Any, loaded: Any) -> str:
    """What a record's page shows that is not in the records: its findings, the requirements it
    evidences, its review dates, its evidence files (each cheap to work out, unlike the page)."""
    record = loaded.record
    here = record_path(record.kind, record.id)
    control = renderer.env.globals.get("control")
    files = control.attachments(record, here) if control is not None and record.attachments else ()
    return repr((loaded.source.file, renderer.record_findings(record, here), renderer.record_attention(record),
                 renderer.requirements(record, here), renderer.review_info(record), files))


def _neighbours(loaded: Any, index: Any) -> set[str]:
    """The ids a record names and the ids of the records naming it."""
    out = {target for _, target, _ in iter_refs(loaded.record)}
    out.update(ref.source.record.id for ref in index.referrers(loaded.record.id))
    return out


def _dirty(last: Rendered, index: Any, signatures: dict[str, str]) -> set[str]:
    """The records whose page must be rendered again: those that changed, those they name or that
    name them (before or after the change), those whose findings, requirements, review dates or
    evidence changed, and an SLA two steps from a change (its supplier chain)."""
    old, new = last.index.by_id, index.by_id
    changed = set()
    for rid in old.keys() | new.keys():
        before, after = old.get(rid), new.get(rid)
        if before is after:
            continue
        if (before is None or after is None or before.record != after.record
                or before.source.file != after.source.file):
            changed.add(rid)
    dirty = set(changed)
    dirty.update(rid for rid, sig in signatures.items() if last.signatures.get(rid) != sig)
    near: set[str] = set()
    for rid in changed:
        for idx, by_id in ((last.index, old), (index, new)):
            if rid in by_id:
                near |= _neighbours(by_id[rid], idx)
    dirty |= near
    chain = {rid for rid in near if (new.get(rid) or old.get(rid)) is not None
             and (new.get(rid) or old.get(rid)).record.kind in ("sla", "supplier_contract", "internal_agreement")}
    for rid in chain:
        for idx, by_id in ((last.index, old), (index, new)):
            if rid in by_id:
                dirty.update(n for n in _neighbours(by_id[rid], idx) if n in new and new[n].record.kind in TWO_HOPS)
    return dirty


def _head(content: Path) -> str | None:
    """The commit HEAD names in the repository holding ``content`` ("" outside git; None: unknown)."""
    try:
        done = subprocess.run(["git", "rev-parse", "--verify", "--quiet", "HEAD"], cwd=content, capture_output=True,
                              timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.decode().strip() if done.returncode == 0 else ""


def _location(url: str) -> str:
    """A page's location as the search index writes it (the home page's "./" is "")."""
    return "" if url == "./" else url


def _remove(written: Path, site_dir: Path) -> None:
    """Remove a page that no longer exists, and the folders it leaves empty."""
    written.unlink(missing_ok=True)
    folder = written.parent
    while folder != site_dir and folder.is_dir() and not any(folder.iterdir()):
        os.rmdir(folder)
        folder = folder.parent
