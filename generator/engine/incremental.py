"""Incremental preview: what ``clause8 serve`` keeps between rebuilds so a save rebuilds little.

mkdocs serve runs every rebuild as a "dirty" build, which renders only the pages whose file says
it is modified. This class decides that for the generated pages: a page is rebuilt when its
markdown differs from the last good build's (so the pages that name an edited record, the
indexes and the home page are rebuilt when their text changes, and nothing else). A change that
reaches every page (the navigation, the set of page depths the CSP covers, the output folder)
makes the next build a full one. After the build it removes the pages that no longer exist and
rewrites the search index as a full build would write it (the search plugin only indexes the pages
that were rebuilt). Records are re-read only for the files that changed (the loader's cache).

The result is byte-identical to a full build of the same content (tests/test_incremental.py).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SEARCH_INDEX = "search/search_index.json"


@dataclass
class Build:
    """One build's view, kept once it succeeded."""

    site_dir: str
    pages: dict[str, bytes | str]  # generated path -> markdown (or bytes: the PDF, the vCard)
    nav: str  # the navigation, serialised for comparison
    hashes: frozenset[str]  # the CSP's script hashes (they are in every page)
    dest: dict[str, str]  # generated path -> the file it was written to
    search: dict[str, list[dict[str, Any]]]  # page url -> its search entries


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

    def plan(self, site_dir: str, pages: dict[str, bytes | str], nav: Any) -> None:
        """Decide, for the build about to run, which generated pages must be rebuilt."""
        self.pages = dict(pages)
        self.nav = json.dumps(nav, sort_keys=True, default=str)
        last = self.last
        self.full = last is None or last.site_dir != site_dir or last.nav != self.nav
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
        self.last = Build(str(site_dir), self.pages, self.nav, hashes, dest, search)
        self.last_rebuilt = set(self.rebuilt)
        self.pages, self.rebuilt = {}, set()

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
