"""Material's search index made on the second CPU while mkdocs converts and writes the pages.

Material's search plugin reads the finished HTML of every page (``SearchIndex.add_entry_from_context``:
an HTML parser over the whole page) in the process that builds the site, one page after the other:
about a sixth of a large build, while the machine's second CPU has nothing to do. For a build (not
``serve``), the plugin's index is replaced by :class:`ForkedIndex`, which hands each page's
content, table of contents, address, title and front matter to a forked copy of the process; that
copy feeds them, in the same order, to Material's own ``SearchIndex`` and sends its entries back
when the index is written. Material's code makes every entry, so ``search/search_index.json`` is the
same file, byte for byte (tests/test_search_offload.py). Should the process die, the pages it was
sent are indexed here, from the copies kept for that.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from generator.site.background import can_fork


class _Page(NamedTuple):
    """What ``SearchIndex.add_entry_from_context`` reads of a page."""

    content: str
    toc: Any
    url: str
    title: str | None
    meta: dict[str, Any]


def _index_pages(conn: Any, index: Any) -> None:
    """The forked process: index each page it is sent; on ``None``, send the entries back."""
    try:
        while True:
            page = conn.recv()
            if page is None:
                conn.send(index.entries)
                return
            index.add_entry_from_context(page)
    except BaseException:  # noqa: BLE001 - the build stopped, or indexing failed: the build's process
        pass  # indexes every page itself (ForkedIndex.generate_search_index), and reports what fails
    finally:
        conn.close()


class ForkedIndex:
    """Stands in for Material's ``SearchIndex`` (``index``): pages go to a forked process."""

    def __init__(self, index: Any) -> None:
        import multiprocessing

        self._index = index
        self._sent: list[_Page] = []
        ctx = multiprocessing.get_context("fork")
        self._conn, theirs = ctx.Pipe(duplex=True)
        self._process = ctx.Process(target=_index_pages, args=(theirs, index), daemon=True)
        self._process.start()
        theirs.close()

    def add_entry_from_context(self, page: Any) -> None:
        sent = _Page(page.content, page.toc, page.url, page.title, dict(page.meta))
        self._sent.append(sent)
        try:
            self._conn.send(sent)
        except OSError:
            pass  # the process died: generate_search_index indexes every page here

    def generate_search_index(self, prev: Any) -> str:
        entries = None
        try:
            self._conn.send(None)
            entries = self._conn.recv()
        except (EOFError, OSError):
            pass
        finally:
            self._conn.close()
            self._process.join()
        if entries is None:
            for page in self._sent:
                self._index.add_entry_from_context(page)
        else:
            self._index.entries = entries
        self._sent = []
        return self._index.generate_search_index(prev)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._index, name)


def offload_search(config: Any) -> bool:
    """Give Material's search plugin of ``config`` a :class:`ForkedIndex` (after its ``on_config``),
    when forking is safe; True when it did."""
    try:
        from material.plugins.search.plugin import SearchIndex, SearchPlugin
    except ImportError:  # pragma: no cover - Material is a dependency
        return False
    if not can_fork():
        return False
    for plugin in config.plugins.values():
        if (isinstance(plugin, SearchPlugin) and plugin.config.enabled
                and type(getattr(plugin, "search_index", None)) is SearchIndex):
            plugin.search_index = ForkedIndex(plugin.search_index)
            return True
    return False
