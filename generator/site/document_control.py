"""Document control on the site: history rows, approval coverage and evidence files of record pages,
and the "Changes since" page, for one edition.

Built once per build by :func:`generator.publish.prepare.prepare_site` and handed to the record template
(``site_templates/_history.md.j2``) as ``control``. Everything it shows goes through the edition's
rules (:mod:`generator.content.revisions`): versions and values the edition may not show never reach a
row, a reference to a record the edition withholds reads "withheld", commit subjects naming such a
record read "message withheld", commit authors appear only in editions that carry people, and
commit subjects only in editions above public (they are staff's words, not published text).

Record text is untrusted: every value is escaped (:func:`generator.content.markup.esc`) before it becomes markdown.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..content.differences import Difference, is_long_text, map_refs, plain, text_changes
from ..content.editions import Edition
from ..content.evidence import Evidence
from ..content.history import Commit, History
from ..content.i18n import Translator
from ..content.index import Index
from ..content.markup import esc, record_path
from ..content.models import KINDS
from ..content.models.base import nested_model
from ..content.revisions import Row, Scope, Since, coverage, current_records, rows
from . import wording
from .background import Later
from .links import relative

CHANGES_PAGE = "changes.md"
# Where a record page's history table goes: markdown keeps the empty element as it is, and the
# HTML cleaner keeps its class; the plugin replaces it in the finished page (DocumentControl.fill_html).
SLOT = '<div class="clause8-history"></div>'
SLOT_HTML = SLOT
_ID_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def human_size(size: int) -> str:
    """1234567 -> '1.2 MB' (decimal units, as file managers show them)."""
    if size < 1000:
        return f"{size} B"
    for unit in ("kB", "MB", "GB"):
        size_f = size / 1000
        if size_f < 1000 or unit == "GB":
            return f"{size_f:.1f} {unit}" if size_f < 100 else f"{size_f:.0f} {unit}"
        size = int(size_f)
    raise AssertionError("unreachable")


# From this many record pages, history tables are made in a forked process (make_tables).
BACKGROUND_MIN_PAGES = 500


@dataclass(frozen=True)
class _Writer:
    """How text becomes page text: markdown (escaped, records linked) or HTML (escaped, records by id)."""

    kind: str
    esc: Callable[[str], str]
    ref: Callable[[str], str]  # a record id as the page names it: a link, the id, or "withheld"
    code: Callable[[str], str]
    em: Callable[[str], str]


def _html(text: str) -> str:
    """Plain text -> HTML that shows exactly that text, on one line."""
    return " ".join(html.escape(str(text), quote=False).split())


class DocumentControl:
    """What one edition's pages show about the history, approvals and evidence files of its records."""

    def __init__(self, history: History | None, edition: Edition, index: Index, everything: Index,
                 t: Translator, evidence: Evidence | None = None, since: Since | None = None) -> None:
        self.history = history
        self.edition = edition
        self.index = index
        self.t = t
        self.evidence = evidence
        self.since = since
        self.current = current_records(everything.records)
        known = set(self.current) | set(history.ids() if history is not None else ())
        self.withheld_ids = known - set(index.by_id)
        self.scope = Scope(edition, frozenset(index.by_id))
        self.show_authors = edition.kinds is None or "person" in edition.kinds
        # A commit subject may name any customer: none in the public edition or a customer's portal.
        self.show_subjects = edition.classification != "public" and getattr(edition, "customer", None) is None
        # Computed once per build: escaped labels and label templates, commit cells, the HTML writer.
        self._labels: dict[tuple[str, str], str] = {}
        self._templates: dict[tuple[str, tuple[str, ...], str], str] = {}
        self._cells: dict[tuple[str, str], str] = {}
        self._sorts: dict[tuple[int, str], tuple[str, frozenset[str]]] = {}  # (field, name) -> how its values read
        self._words: dict[tuple[str, str, str], str] = {}  # (sort, name, value) -> the value in words
        self._html_writer = self.html()
        self.tables: dict[str, str] = {}  # page path -> its history table (HTML)
        self._pending: dict[str, Any] = {}  # page path -> its record, the table still to make
        self._worker: Later[dict[str, str]] | None = None  # the tables being made in a forked process

    # -- availability ---------------------------------------------------------------------------
    @property
    def available(self) -> bool:
        return self.history is not None and self.history.available

    @property
    def unavailable(self) -> str:
        """Why this copy shows no history, in the site's language."""
        status = self.history.status if self.history is not None else "outside-git"
        return self.t("control.history_unavailable", reason=self.t(f"control.reason_{status.replace('-', '_')}"))

    # -- writers --------------------------------------------------------------------------------
    def markdown(self, view: Any, here: str) -> _Writer:
        """Markdown with links to record pages (the approval paragraph, the changes page)."""
        return _Writer("md", esc, lambda rid: view.link(rid, here, show_title=False), code, lambda x: f"*{x}*")

    def html(self) -> _Writer:
        """HTML with record ids as text (the history tables: raw HTML that markdown passes through)."""
        withheld = _html(self.t("ui.withheld"))

        def ref(rid: str) -> str:
            return _html(rid) if rid in self.scope.visible else withheld

        return _Writer("html", _html, ref, lambda x: f"<code>{_html(x)}</code>", lambda x: f"<em>{x}</em>")

    # -- commits --------------------------------------------------------------------------------
    def subject(self, commit: Commit, w: _Writer) -> str:
        """The commit's subject as this edition may show it (escaped)."""
        if not self.show_subjects:
            return ""
        for token in _ID_TOKEN.findall(commit.subject):
            if token.rstrip("._-") in self.withheld_ids:
                return w.em(w.esc(self.t("control.message_withheld")))
        return w.esc(commit.subject)

    def commit_cell(self, commit: Commit | None, w: _Writer) -> str:
        if commit is None:
            return w.em(w.esc(self.t("control.uncommitted")))
        key = (commit.sha, w.kind)
        cell = self._cells.get(key)
        if cell is None:
            subject = self.subject(commit, w)
            cell = self._cells[key] = w.code(commit.short) + (f" {subject}" if subject else "")
        return cell

    # -- history table --------------------------------------------------------------------------
    def slot(self, record: Any, here: str) -> str:
        """The place of the record's history table in its page's markdown; the table itself is put in
        the finished page (:meth:`fill_html`), so neither markdown nor the search index reads it: on a
        large site they would take twice as long, and search would find values records no longer hold."""
        self._pending[here] = record
        return SLOT

    def make_tables(self) -> None:
        """Make the history tables of the pages rendered so far. On a large site, in a forked process:
        the engine converts every page's markdown before it writes the first page, and mkdocs keeps
        one CPU busy, so the tables are made on another meanwhile (:meth:`fill_html` waits for them)."""
        pending, self._pending = self._pending, {}
        if not pending:
            return
        if len(pending) >= BACKGROUND_MIN_PAGES and self._worker is None:
            self._worker = Later(self._tables, pending)
            return
        self.tables.update(self._tables(pending))

    def _tables(self, pending: dict[str, Any]) -> dict[str, str]:
        return {here: self.table(record) for here, record in pending.items()}

    def _wait(self) -> None:
        if self._pending:
            self.make_tables()
        if self._worker is not None:
            worker, self._worker = self._worker, None
            self.tables.update(worker.result())

    def table(self, record: Any) -> str:
        """The record's history as an HTML table (every cell escaped)."""
        head = [self.t("control.col_version"), self.t("control.col_date")]
        if self.show_authors:
            head.append(self.t("control.col_author"))
        head += [self.t("control.col_commit"), self.t("control.col_changes")]
        lines = ["<table>", "<thead><tr>" + "".join(f"<th>{_html(h)}</th>" for h in head) + "</tr></thead>", "<tbody>"]
        for row in self.rows(record):
            cells = [row["version"], row["date"], *([row["author"]] if self.show_authors else []), row["commit"],
                     row["changes"]]
            lines.append("<tr><td>" + "</td><td>".join(cells) + "</td></tr>")
        lines += ["</tbody>", "</table>"]
        return "\n".join(lines)

    def fill_html(self, page: str, output: str) -> str:
        """The finished HTML of ``page`` (a docs path) with its history table in its place."""
        self._wait()
        table = self.tables.get(page)
        if table is None:
            return output
        at = output.rfind(SLOT_HTML)  # the last one: record text comes before it
        return output if at < 0 else output[:at] + table + output[at + len(SLOT_HTML):]

    def fill_markdown(self, page: str, text: str) -> str:
        """The markdown of ``page`` with its history table in its place (raw HTML), for engines that
        do not run the plugin (``clause8 render``)."""
        self._wait()
        table = self.tables.get(page)
        if table is None:
            return text
        at = text.rfind(SLOT)
        return text if at < 0 else text[:at] + table + text[at + len(SLOT):]

    # -- history rows ---------------------------------------------------------------------------
    def rows(self, record: Any) -> list[dict[str, str]]:
        """The record's versions this edition may show, newest first, as table cells (HTML: the history
        table is raw HTML, which markdown passes through untouched; a large site's pages convert in a
        third of the time a markdown table takes)."""
        if not self.available:
            return []
        assert self.history is not None
        w = self._html_writer
        out = []
        for row in reversed(rows(self.history.of(record.id), self.current.get(record.id), self.scope)):
            commit = row.commit
            out.append({
                "version": w.esc(str(plain(row.version))) if row.version is not None else "—",
                "date": commit.committed.date().isoformat() if commit else "—",
                "author": w.esc(commit.author) if commit and self.show_authors else "—",
                "commit": self.commit_cell(commit, w),
                "changes": self.row_changes(row, w),
            })
        return out

    def row_changes(self, row: Row, w: _Writer) -> str:
        # The version column shows the version: its change is not repeated.
        diffs = [d for d in row.differences if d.steps[0].field != "version"]
        if row.event in ("created", "shown", "removed") and not diffs:
            return w.esc(self.t(f"control.event_{row.event}"))
        lines = [self.describe(group, w) for group in _grouped(diffs)]
        if row.event == "created":
            lines.insert(0, w.esc(self.t("control.event_created")))
        return "<br>".join(lines) if lines else "—"

    # -- one difference in words ----------------------------------------------------------------
    def _field(self, name: str, w: _Writer) -> str:
        key = (name, w.kind)
        label = self._labels.get(key)
        if label is None:
            label = self._labels[key] = w.esc(self.t.field(name))
        return label

    def _path(self, d: Difference, w: _Writer) -> str:
        parts = []
        for step in d.steps:
            label = self._field(step.field, w)
            if step.item is not None:
                label += " " + (w.ref(str(step.item)) if step.item_ref else
                                f"'{self._scalar(step.item, step.item_info, step.item_key or '', w)}'")
            elif step.position is not None:
                label += f" #{step.position}"
            parts.append(label)
        return " › ".join(parts)

    def value(self, value: Any, d: Difference, w: _Writer) -> str:
        """One value of a difference in the words the rest of the page uses (enumerations and durations
        in the site's language: :mod:`generator.site.wording`), references as the writer names records, text
        escaped."""
        if d.ref:
            ids = value if isinstance(value, list) else [value]
            return ", ".join(w.ref(str(i)) for i in ids)
        if isinstance(value, dict):
            shown = map_refs(value, d.part, False, lambda rid: _Marked(w.ref(rid)))
            fields = d.part.model_fields if d.part is not None else {}
            bits = [f"{self._field(k, w)}: {self._plain_value(v, w, fields.get(k), k)}" for k, v in shown.items()
                    if v not in (None, "", [], {})]
            return "; ".join(bits) or "—"
        text = self._plain_value(value, w, d.info, d.field)
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        return f"{text} {w.esc(d.unit)}" if d.unit and number else text

    def _plain_value(self, value: Any, w: _Writer, info: Any = None, name: str = "") -> str:
        if isinstance(value, _Marked):
            return value.markdown
        if isinstance(value, list):
            return ", ".join(self._plain_value(v, w, info, name) for v in value)
        if isinstance(value, dict):
            part = nested_model(info.annotation) if info is not None else None
            fields = part.model_fields if part is not None else {}
            return "; ".join(f"{self._field(str(k), w)}: {self._plain_value(v, w, fields.get(str(k)), str(k))}"
                             for k, v in value.items())
        return self._scalar(value, info, name, w)

    def _sort(self, info: Any, name: str) -> tuple[str, frozenset[str]]:
        """How the values of a field read: ("duration" | "every" | "enum" | "", the enumeration's values)."""
        key = (id(info), name)
        found = self._sorts.get(key)
        if found is None:
            if info is None:
                found = ("", frozenset())
            elif wording.is_duration(info):
                found = ("every" if name in wording.INTERVAL_FIELDS else "duration", frozenset())
            else:
                tokens = frozenset(wording.literal_values(info))
                found = ("enum" if tokens else "", tokens)
            self._sorts[key] = found
        return found

    def _scalar(self, value: Any, info: Any, name: str, w: _Writer) -> str:
        """One plain value, escaped: yes/no, a duration or an enumeration's value in words, else as written."""
        if isinstance(value, bool):
            return w.esc(self.t("ui.yes") if value else self.t("ui.no"))
        if value is None:
            return "—"
        value = plain(value)
        sort, tokens = self._sort(info, name)
        if sort and isinstance(value, str):
            # Only a value the field allows is worded: an old version may hold anything.
            if sort == "enum" and value not in tokens:
                return w.esc(value)
            key = (sort, name, value)
            words = self._words.get(key)
            if words is None:
                words = self._words[key] = (wording.enum_words(name, value, self.t) if sort == "enum" else
                                            wording.duration_words(value, self.t, every=sort == "every"))
            return w.esc(words)
        return w.esc(str(value))

    def describe(self, group: list[Difference], w: _Writer) -> str:
        """A run of differences of one field and one sort (added, removed, changed) as one sentence."""
        d = group[0]
        what = self._path(d, w)
        if d.what == "changed":
            if is_long_text(d.old) or is_long_text(d.new):
                runs = "; ".join(self._run(old, new, w) for old, new in text_changes(str(d.old), str(d.new)))
                return self._say("control.text_changed", what, w) + (f": {runs}" if runs else "")
            return self._say("control.changed", what, w, old=self.value(d.old, d, w), new=self.value(d.new, d, w))
        values = ", ".join(self.value(x.new if x.what == "added" else x.old, x, w) for x in group)
        if not d.listed:
            return self._say("control.set" if d.what == "added" else "control.cleared", what, w, value=values)
        if d.steps[-1].item is not None:  # a part known by its id, person...: the path names it
            return self._say(f"control.item_{d.what}", what, w)
        return self._say(f"control.value_{d.what}", what, w, value=values)

    def _run(self, old: str, new: str, w: _Writer) -> str:
        if old and new:
            return self._say("control.words_replaced", "", w, old=f"'{w.esc(old)}'", new=f"'{w.esc(new)}'")
        if new:
            return self._say("control.words_added", "", w, value=f"'{w.esc(new)}'")
        return self._say("control.words_removed", "", w, value=f"'{w.esc(old)}'")

    def _say(self, key: str, what: str, w: _Writer, **values: str) -> str:
        # Labels are plain text: escape them once, then put the (already escaped) parts in.
        names = tuple(values)
        cache_key = (key, names, w.kind)
        template = self._templates.get(cache_key)
        if template is None:
            marks = {name: f"\x00{i}\x00" for i, name in enumerate(names)}
            template = self._templates[cache_key] = w.esc(self.t(key, what="\x00w\x00", **marks))
        text = template.replace("\x00w\x00", what)
        for i, name in enumerate(names):
            text = text.replace(f"\x00{i}\x00", values[name])
        return text

    # -- approval -------------------------------------------------------------------------------
    def approval(self, record: Any, view: Any, here: str) -> str:
        """Which commit the record's approval covers, and what changed after it without a new one (markdown)."""
        if record.approval is None or not self.available:
            return ""
        w = self.markdown(view, here)
        assert self.history is not None
        cov = coverage(self.history.of(record.id), self.current.get(record.id, {}))
        if cov is None:
            return ""
        if cov.approval_commit is None:
            return w.esc(self.t("control.approval_uncommitted"))
        first = cov.approval_commit
        text = self._say("control.approval_covers", "", w, version=w.esc(str(plain(cov.approved_version))),
                         commit=self.commit_cell(first.commit, w), date=first.commit.committed.date().isoformat())
        later = [f"{self.commit_cell(c.commit, w)} ({c.commit.committed.date().isoformat()})"
                 for c in cov.changed_after]
        if cov.uncommitted:
            later.append(w.em(w.esc(self.t("control.uncommitted"))))
        if cov.version_moved:
            text += " " + self._say("control.approval_version_moved", "", w, version=w.esc(str(plain(record.version))))
        elif later:
            text += " " + self._say("control.approval_changed_since", "", w, commits="; ".join(later))
        return text

    # -- evidence files -------------------------------------------------------------------------
    def attachments(self, record: Any, here: str) -> list[dict[str, str]]:
        """The record's evidence files as table cells: linked title, size, SHA-256, signature note."""
        out = []
        for a in record.attachments:
            facts = self.evidence.facts(a.path) if self.evidence is not None else None
            size = human_size(facts.size) if facts and facts.size is not None else "—"
            digest = facts.sha256 if facts and facts.sha256 else "—"
            pinned = f" ({esc(self.t('control.sha_pinned'))})" if a.sha256 and a.sha256 == digest else ""
            out.append({
                "file": f"[{esc(a.title)}]({relative(a.path, here)})",
                "name": esc(a.path.rsplit("/", 1)[-1]),
                "size": size,
                "sha256": f"`{digest}`{pinned}" if digest != "—" else digest,
                "signed": esc(a.signed) if a.signed else "—",
            })
        return out

    def files(self) -> dict[str, bytes]:
        """The evidence files of the records this edition carries (site path -> bytes)."""
        if self.evidence is None:
            return {}
        paths = sorted({a.path for loaded in self.index.records for a in loaded.record.attachments})
        return {path: self.evidence.read(path) for path in paths}

    # -- changes since ---------------------------------------------------------------------------
    def changes_groups(self, view: Any, here: str = CHANGES_PAGE) -> list[dict[str, Any]]:
        """The changes since ``since``, grouped by the site's sections (clauses): [{section, entries}] (markdown)."""
        from ..content.models import SECTIONS

        assert self.since is not None
        w = self.markdown(view, here)
        section_of = {k: key for key, groups in SECTIONS for _, kinds in groups for k in kinds}
        order = [key for key, _ in SECTIONS]
        grouped: dict[str, list[dict[str, str]]] = {}
        for entry in self.since.entries:
            if entry.event == "removed":
                name = f"{esc(entry.id)} — {esc(entry.title)}"
            else:
                name = view.link(entry.id, here)
            changes = "<br>".join(self.describe(g, w) for g in _grouped(entry.differences))
            grouped.setdefault(section_of.get(entry.kind, order[-1]), []).append({
                "record": name,
                "kind": esc(self.t.kind(entry.kind)) if entry.kind in KINDS else esc(entry.kind),
                "event": esc(self.t(f"control.since_{entry.event}")),
                "changes": changes or "—",
            })
        return [{"section": esc(self.t(f"section.{key}")), "entries": grouped[key]} for key in order if key in grouped]

    @property
    def since_ref(self) -> str:
        """The ``--since`` value as inline code (markdown)."""
        assert self.since is not None
        return code(self.since.ref)

    def since_intro(self, view: Any, here: str = CHANGES_PAGE) -> str:
        assert self.since is not None
        w = self.markdown(view, here)
        if self.since.commit is None:
            return self._say("control.since_before_history", "", w, ref=self.since_ref)
        return self._say("control.since_intro", "", w, ref=self.since_ref,
                         commit=self.commit_cell(self.since.commit, w),
                         date=self.since.commit.committed.date().isoformat())

    def since_data(self) -> dict[str, Any]:
        """The changes since ``since`` as export data (ids of records this edition withholds: 'withheld')."""
        assert self.since is not None

        def ref(rid: str) -> str:
            return rid if rid in self.index.by_id else "withheld"

        out = []
        for entry in self.since.entries:
            diffs = []
            for d in entry.differences:
                item = {"field": _masked_path(d, ref), "change": d.what}
                if d.what != "added":
                    item["old"] = plain(map_refs(d.old, d.part, d.ref, ref))
                if d.what != "removed":
                    item["new"] = plain(map_refs(d.new, d.part, d.ref, ref))
                diffs.append(item)
            out.append({"id": entry.id, "kind": entry.kind, "title": entry.title, "change": entry.event,
                        "differences": diffs})
        commit = self.since.commit
        return {"since": self.since.ref, "commit": commit.sha if commit else None,
                "committed": commit.committed.isoformat() if commit else None, "records": out}


def code(text: str) -> str:
    """``text`` as a markdown code span, shown exactly (code spans take no escapes: the fence is longer
    than any run of backticks inside)."""
    text = " ".join(text.split())
    runs = [len(r) for r in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


@dataclass(frozen=True)
class _Marked:
    """A value already rendered as markdown (a link), kept apart from text still to escape."""

    markdown: str


def _masked_path(d: Difference, ref: Callable[[str], str]) -> str:
    out = ""
    for step in d.steps:
        out += ("." if out else "") + step.field
        if step.item is not None:
            item = ref(str(step.item)) if step.item_ref else plain(step.item)
            out += f"[{item!r}]"
        elif step.position is not None:
            out += f"[{step.position}]"
    return out


def _grouped(diffs: Iterable[Difference]) -> list[list[Difference]]:
    """Consecutive differences of one field and one sort, that are plain list values, as one group."""
    out: list[list[Difference]] = []
    for d in diffs:
        last = out[-1][0] if out else None
        if last is not None and d.what != "changed" and last.what == d.what and last.steps == d.steps \
                and not isinstance(d.old if d.what == "removed" else d.new, dict):
            out[-1].append(d)
        else:
            out.append([d])
    return out


__all__ = ["CHANGES_PAGE", "SLOT", "DocumentControl", "human_size"]
