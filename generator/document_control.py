"""Document control on the site: history rows, approval coverage and evidence files of record pages,
and the "Changes since" page, for one edition.

Built once per build by :func:`generator.prepare.prepare_site` and handed to the record template
(``site_templates/_history.md.j2``) as ``control``. Everything it shows goes through the edition's
rules (:mod:`generator.revisions`): versions and values the edition may not show never reach a
row, a reference to a record the edition withholds reads "withheld", commit subjects naming such a
record read "message withheld", commit authors appear only in editions that carry people, and
commit subjects only in editions above public (they are staff's words, not published text).

Record text is untrusted: every value is escaped (:func:`generator.vocab.esc`) before it becomes markdown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .differences import Difference, is_long_text, map_refs, plain, text_changes
from .editions import Edition
from .evidence import Evidence
from .history import Commit, History
from .i18n import Translator
from .index import Index
from .links import relative
from .models import KINDS
from .revisions import Row, Scope, Since, coverage, current_records, rows
from .vocab import esc, record_path

CHANGES_PAGE = "changes.md"
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


@dataclass(frozen=True)
class _Link:
    """How the page being rendered names a record: a link, the id alone, or 'withheld'."""

    view: Any  # generator.render.Renderer: its link() knows what the edition carries
    here: str

    def __call__(self, record_id: str) -> str:
        return self.view.link(record_id, self.here, show_title=False)


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

    # -- availability ---------------------------------------------------------------------------
    @property
    def available(self) -> bool:
        return self.history is not None and self.history.available

    @property
    def unavailable(self) -> str:
        """Why this copy shows no history, in the site's language."""
        status = self.history.status if self.history is not None else "outside-git"
        return self.t("control.history_unavailable", reason=self.t(f"control.reason_{status.replace('-', '_')}"))

    # -- commits --------------------------------------------------------------------------------
    def subject(self, commit: Commit) -> str:
        """The commit's subject as this edition may show it (escaped)."""
        if not self.show_subjects:
            return ""
        for token in _ID_TOKEN.findall(commit.subject):
            if token.rstrip("._-") in self.withheld_ids:
                return f"*{esc(self.t('control.message_withheld'))}*"
        return esc(commit.subject)

    def commit_cell(self, commit: Commit | None) -> str:
        if commit is None:
            return f"*{esc(self.t('control.uncommitted'))}*"
        subject = self.subject(commit)
        return f"`{commit.short}`" + (f" {subject}" if subject else "")

    # -- history rows ---------------------------------------------------------------------------
    def rows(self, record: Any, view: Any, here: str) -> list[dict[str, str]]:
        """The record's versions this edition may show, newest first, as table cells (markdown)."""
        if not self.available:
            return []
        assert self.history is not None
        link = _Link(view, here)
        out = []
        for row in reversed(rows(self.history.of(record.id), self.current.get(record.id), self.scope)):
            commit = row.commit
            out.append({
                "version": esc(plain(row.version)) if row.version is not None else "—",
                "date": commit.committed.date().isoformat() if commit else "—",
                "author": esc(commit.author) if commit and self.show_authors else "—",
                "commit": self.commit_cell(commit),
                "changes": self.row_changes(row, record.kind, link),
            })
        return out

    def row_changes(self, row: Row, kind: str, link: Callable[[str], str]) -> str:
        if row.event in ("created", "shown", "removed") and not row.differences:
            return esc(self.t(f"control.event_{row.event}"))
        lines = [self.describe(group, kind, link) for group in _grouped(row.differences)]
        if row.event == "created":
            lines.insert(0, esc(self.t("control.event_created")))
        return "<br>".join(lines) if lines else "—"

    # -- one difference in words ----------------------------------------------------------------
    def _path(self, d: Difference, link: Callable[[str], str]) -> str:
        parts = []
        for step in d.steps:
            label = esc(self.t.field(step.field))
            if step.item is not None:
                label += " " + (link(str(step.item)) if step.item_ref else f"'{esc(plain(step.item))}'")
            elif step.position is not None:
                label += f" #{step.position}"
            parts.append(label)
        return " › ".join(parts)

    def value(self, value: Any, d: Difference, link: Callable[[str], str]) -> str:
        """One value of a difference as inline markdown: references linked (or 'withheld'), text escaped."""
        if d.ref:
            ids = value if isinstance(value, list) else [value]
            return ", ".join(link(str(i)) for i in ids)
        if isinstance(value, dict):
            shown = map_refs(value, d.part, False, lambda rid: _Marked(link(rid)))
            bits = [f"{esc(self.t.field(k))}: {self._plain_value(v)}" for k, v in shown.items()
                    if v not in (None, "", [], {})]
            return "; ".join(bits) or "—"
        text = self._plain_value(value)
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        return f"{text} {esc(d.unit)}" if d.unit and number else text

    def _plain_value(self, value: Any) -> str:
        if isinstance(value, _Marked):
            return value.markdown
        if isinstance(value, bool):
            return esc(self.t("ui.yes") if value else self.t("ui.no"))
        if value is None:
            return "—"
        if isinstance(value, list):
            return ", ".join(self._plain_value(v) for v in value)
        if isinstance(value, dict):
            return "; ".join(f"{esc(self.t.field(str(k)))}: {self._plain_value(v)}" for k, v in value.items())
        return esc(plain(value))

    def describe(self, group: list[Difference], kind: str, link: Callable[[str], str]) -> str:
        """A run of differences of one field and one sort (added, removed, changed) as one sentence."""
        d = group[0]
        what = self._path(d, link)
        if d.what == "changed":
            if is_long_text(d.old) or is_long_text(d.new):
                runs = "; ".join(self._run(old, new) for old, new in text_changes(str(d.old), str(d.new)))
                return self._say("control.text_changed", what) + (f": {runs}" if runs else "")
            return self._say("control.changed", what, old=self.value(d.old, d, link), new=self.value(d.new, d, link))
        values = ", ".join(self.value(x.new if x.what == "added" else x.old, x, link) for x in group)
        if not d.listed:
            return self._say("control.set" if d.what == "added" else "control.cleared", what, value=values)
        if d.steps[-1].item is not None:  # a part known by its id, person...: the path names it
            return self._say(f"control.item_{d.what}", what)
        return self._say(f"control.value_{d.what}", what, value=values)

    def _run(self, old: str, new: str) -> str:
        if old and new:
            return self._say("control.words_replaced", "", old=f"'{esc(old)}'", new=f"'{esc(new)}'")
        if new:
            return self._say("control.words_added", "", value=f"'{esc(new)}'")
        return self._say("control.words_removed", "", value=f"'{esc(old)}'")

    def _say(self, key: str, what: str, **values: str) -> str:
        # Labels are plain text: escape them, then put the (already escaped) parts in.
        marks = {name: f"\x00{i}\x00" for i, name in enumerate(values)}
        text = esc(self.t(key, what="\x00w\x00", **marks))
        text = text.replace("\x00w\x00", what)
        for name, mark in marks.items():
            text = text.replace(mark, values[name])
        return text

    # -- approval -------------------------------------------------------------------------------
    def approval(self, record: Any) -> str:
        """Which commit the record's approval covers, and what changed after it without a new one."""
        if record.approval is None or not self.available:
            return ""
        assert self.history is not None
        cov = coverage(self.history.of(record.id), self.current.get(record.id, {}))
        if cov is None:
            return ""
        if cov.recorded is None:
            return esc(self.t("control.approval_uncommitted"))
        first = cov.approval_commit or cov.recorded
        text = self._say("control.approval_covers", "", version=esc(plain(cov.approved_version)),
                         commit=self.commit_cell(first.commit),
                         date=first.commit.committed.date().isoformat())
        later = [f"{self.commit_cell(c.commit)} ({c.commit.committed.date().isoformat()})" for c in cov.changed_after]
        if cov.uncommitted:
            later.append(f"*{esc(self.t('control.uncommitted'))}*")
        if cov.version_moved:
            text += " " + self._say("control.approval_version_moved", "", version=esc(plain(record.version)))
        elif later:
            text += " " + self._say("control.approval_changed_since", "", commits="; ".join(later))
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
        """The changes since ``since``, grouped by the site's sections (clauses): [{section, entries}]."""
        from .render import SECTIONS

        assert self.since is not None
        link = _Link(view, here)
        section_of = {k: key for key, groups in SECTIONS for _, kinds in groups for k in kinds}
        order = [key for key, _ in SECTIONS]
        grouped: dict[str, list[dict[str, str]]] = {}
        for entry in self.since.entries:
            if entry.event == "removed":
                name = f"{esc(entry.id)} — {esc(entry.title)}"
            else:
                name = view.link(entry.id, here)
            changes = "<br>".join(self.describe(g, entry.kind, link) for g in _grouped(entry.differences))
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

    def since_intro(self) -> str:
        assert self.since is not None
        if self.since.commit is None:
            return self._say("control.since_before_history", "", ref=self.since_ref)
        return self._say("control.since_intro", "", ref=self.since_ref,
                         commit=self.commit_cell(self.since.commit),
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


__all__ = ["CHANGES_PAGE", "DocumentControl", "human_size"]
