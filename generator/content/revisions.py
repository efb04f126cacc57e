"""What the history of the records means: approval coverage, an edition's rows, changes since a commit.

Pure functions over :class:`generator.content.history.History` and raw record mappings (no git, no I/O):

- :func:`coverage`: which commit recorded the approval a record carries, and whether the record's
  substance (every field but its bookkeeping, see ``Record.bookkeeping``) changed after it without
  a new version and approval (the approval check and the record page use it);
- :func:`rows`: the versions of a record an edition may show, with the differences between them.
  Each version is scoped as the edition's own records are (:class:`Scope`): a version above the
  edition's clearance or of a kind it does not carry is left out entirely, with everything it
  held (old values that were confidential at the time included), personal-data fields are
  emptied unless the edition carries personal data; differences are taken only between versions
  the edition may show, so nothing withheld reaches a difference;
- :func:`changes_since`: the records added, changed, retired and removed between a past commit
  and the content as it is now, as the edition may show them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from .differences import Difference, differences
from .editions import CLEARANCE, Edition, _personal_plan
from .history import Change, Commit, normalised
from .loader import Loaded
from .models import KINDS

# The fields an approval is about besides the substance: changing them is what a new approval records.
APPROVAL_FIELDS = ("version", "approval")


def raw_record(loaded: Loaded) -> dict[str, Any]:
    """The record as written in its file today (the raw mapping the loader validated)."""
    value = loaded.source.doc.value
    for part in loaded.source.base:
        value = value[part]
    return normalised(value)


DEFAULT_BOOKKEEPING = frozenset({"review", "status", "attachments"})


def bookkeeping(kind: str | None) -> frozenset[str]:
    """The fields of ``kind`` that are bookkeeping, not substance (``Record.bookkeeping``)."""
    return getattr(KINDS.get(kind or ""), "bookkeeping", DEFAULT_BOOKKEEPING)


def substance(record: Mapping[str, Any]) -> dict[str, Any]:
    """The record without its bookkeeping, version and approval: what an approval approves."""
    skip = bookkeeping(record.get("kind")) | set(APPROVAL_FIELDS)
    return {k: v for k, v in record.items() if k not in skip}


def _changed_fields(was: Mapping[str, Any], now: Mapping[str, Any]) -> list[str]:
    return [k for k in dict.fromkeys([*now, *was]) if was.get(k) != now.get(k)]


def _pair(record: Mapping[str, Any] | None) -> tuple[Any, Any] | None:
    return None if record is None else (record.get("version"), record.get("approval"))


@dataclass(frozen=True)
class Coverage:
    """The commit an approval covers, and what changed after it without a new approval."""

    approval_commit: Change | None  # the commit that recorded the current approval (None: not committed)
    approved_version: Any  # the version it was recorded with
    recorded: Change | None  # the commit that recorded the current version with it (None: not committed)
    changed_after: tuple[Change, ...] = ()  # later commits that changed the substance, version and approval kept
    fields_after: tuple[str, ...] = ()  # the substance fields they (and the working copy) changed
    uncommitted: bool = False  # the working copy changes the substance, version and approval kept

    @property
    def version_moved(self) -> bool:
        """The version changed after the approval was recorded (in a commit, or in the working copy)."""
        return self.approval_commit is not None and self.recorded is not self.approval_commit

    @property
    def committed_outdated(self) -> bool:
        """A commit changed the approved record without a new approval."""
        return bool(self.changed_after) or (self.version_moved and self.recorded is not None)

    @property
    def uncommitted_outdated(self) -> bool:
        """Only the working copy changes the approved record (substance or version), approval kept."""
        return not self.committed_outdated and (self.uncommitted or self.version_moved)


def coverage(changes: list[Change], current: Mapping[str, Any]) -> Coverage | None:
    """What the approval ``current`` carries covers, from the record's history (None: it carries none).

    ``approval_commit`` is None when no commit holds the current approval yet (or the history is
    unavailable): then nothing can be judged.
    """
    approval = current.get("approval")
    if not approval:
        return None
    pair = _pair(current)
    approved_at = recorded_at = None
    for i, ch in enumerate(changes):
        if ch.after is None:
            continue
        if ch.after.get("approval") == approval and (ch.before is None or ch.before.get("approval") != approval):
            approved_at = i
        if _pair(ch.after) == pair and _pair(ch.before) != pair:
            recorded_at = i
    if approved_at is None:
        return Coverage(None, current.get("version"), None)
    approval_commit = changes[approved_at]
    recorded = changes[recorded_at] if recorded_at is not None and recorded_at >= approved_at else None
    later: list[Change] = []
    fields: list[str] = []
    if recorded is not None:
        for ch in changes[recorded_at + 1:]:  # type: ignore[operator]
            if _pair(ch.before) == pair and _pair(ch.after) == pair:
                was, now = substance(ch.before or {}), substance(ch.after or {})
                if was != now:
                    later.append(ch)
                    fields += _changed_fields(was, now)
    uncommitted = False
    last = changes[-1].after if changes else None
    if last is not None and _pair(last) == pair:
        was, now = substance(last), substance(current)
        if was != now:
            uncommitted = True
            fields += _changed_fields(was, now)
    return Coverage(approval_commit, (approval_commit.after or {}).get("version"), recorded, tuple(later),
                    tuple(dict.fromkeys(fields)), uncommitted)


# -- editions --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Scope:
    """What one edition may show of any version of a record: the rules of
    :func:`generator.content.editions.restrict`, applied to raw versions.

    ``visible`` is the ids of the records the edition carries now (its index): it decides, with
    everything else the edition's rules say about records today (whose customers a record concerns,
    what is published), which records have a history at all.
    """

    edition: Edition
    visible: frozenset[str]

    @property
    def filters_customers(self) -> bool:
        """The edition leaves out records of customers (the public edition, a customer's portal)."""
        return getattr(self.edition, "customers", "all") != "all" or getattr(self.edition, "customer", None) is not None

    def version(self, record: Mapping[str, Any] | None, current: Mapping[str, Any] | None = None) -> dict[str, Any] | None:
        """One version of a record as the edition may show it: None when the edition withholds it (above
        its clearance, a kind it does not carry, a kind the tool does not know, or, in an edition
        that filters customers, a version of another customer than ``current``'s), personal data
        emptied unless the edition carries it, a service's customer list cut to those it carries."""
        if record is None:
            return None
        kind = record.get("kind")
        model = KINDS.get(kind) if isinstance(kind, str) else None
        classification = record.get("classification", "internal")
        edition = self.edition
        if model is None or classification not in CLEARANCE:
            return None
        if CLEARANCE[classification] > CLEARANCE[edition.classification]:
            return None
        if edition.kinds is not None and kind not in edition.kinds:
            return None
        out = dict(record)
        if self.filters_customers:
            if "customer" in model.model_fields and current is not None and record.get("customer") != current.get("customer"):
                return None
            if kind == "service" and isinstance(out.get("customers"), list):
                out["customers"] = [c for c in out["customers"] if c in self.visible]
        if not edition.personal_data:
            for name, empty in _personal_plan(model):
                if name in out:
                    out[name] = empty
        return out


Event = Literal["created", "changed", "removed", "shown", "uncommitted"]


@dataclass(frozen=True)
class Row:
    """One version of a record as an edition shows it."""

    commit: Commit | None  # None: the working copy, not committed yet
    event: Event  # "shown": the first version this edition may show, after versions it may not
    record: dict[str, Any] | None  # the version (scoped); None when removed
    differences: tuple[Difference, ...] = ()

    @property
    def version(self) -> Any:
        return (self.record or {}).get("version")


def rows(changes: list[Change], current: Mapping[str, Any] | None, scope: Scope) -> list[Row]:
    """The versions of one record ``edition`` may show, oldest first, each with its differences from
    the previous version the edition may show; the working copy last when it differs from the last
    commit. Versions that differ from the previous shown one only in what the edition withholds are
    left out."""
    out: list[Row] = []
    shown: dict[str, Any] | None = None  # the last version shown
    hidden = False  # a version was left out since the last one shown
    present = False
    for ch in changes:
        now = scope.version(ch.after, current)
        if ch.after is None:
            if shown is not None and present:
                out.append(Row(ch.commit, "removed", None))
            present = False
            continue
        if now is None:
            hidden = True
            present = True
            continue
        if shown is None:
            event: Event = "created" if ch.before is None and not hidden else "shown"
            out.append(Row(ch.commit, event, now))
        elif not present:
            out.append(Row(ch.commit, "created", now, tuple(differences(shown, now))))
        else:
            diffs = tuple(differences(shown, now))
            if not diffs:
                present = True
                continue
            out.append(Row(ch.commit, "changed", now, diffs))
        shown, hidden, present = now, False, True
    if current is not None:
        now = scope.version(current, current)
        committed = changes[-1].after if changes else None
        if now is not None and committed != current:
            diffs = tuple(differences(shown, now)) if shown is not None else ()
            if shown is None or diffs:
                out.append(Row(None, "uncommitted", now, diffs))
    return out


@dataclass(frozen=True)
class SinceEntry:
    """A record added, changed, retired or removed since a past commit, as an edition shows it."""

    id: str
    kind: str
    title: str
    event: Literal["added", "changed", "retired", "removed"]
    differences: tuple[Difference, ...] = ()


@dataclass(frozen=True)
class Since:
    """Changes since a commit (``commit`` None: since before the first commit, so all is new)."""

    ref: str
    commit: Commit | None
    entries: tuple[SinceEntry, ...] = field(default_factory=tuple)


def changes_since(ref: str, commit: Commit | None, before: Mapping[str, Mapping[str, Any]],
                  now: Mapping[str, Mapping[str, Any]], scope: Scope) -> Since:
    """What changed between ``before`` (the records at ``commit``) and ``now`` (the records being
    built), both by id, as the edition may show it. Only records the edition carries now are
    listed as added, changed or retired (a record it could not see then counts as added); a record
    no longer in the content is listed as removed when its last version is one the edition may show,
    except in editions that filter customers, which cannot tell any more whose it was."""
    entries = []
    for rid in sorted(set(before) | set(now)):
        cur_raw = now.get(rid)
        if cur_raw is not None:
            if rid not in scope.visible:
                continue
            cur = scope.version(cur_raw, cur_raw)
            was = scope.version(before.get(rid), cur_raw)
        else:
            if scope.filters_customers:
                continue
            cur, was = None, scope.version(before.get(rid))
        if was is None and cur is None:
            continue
        shown = cur if cur is not None else was
        kind, title = str(shown.get("kind")), str(shown.get("title", ""))  # type: ignore[union-attr]
        if was is None:
            entries.append(SinceEntry(rid, kind, title, "added"))
        elif cur is None:
            entries.append(SinceEntry(rid, kind, title, "removed"))
        else:
            diffs = tuple(differences(was, cur))
            if diffs:
                retired = cur.get("status") == "retired" and was.get("status") != "retired"
                entries.append(SinceEntry(rid, kind, title, "retired" if retired else "changed", diffs))
    return Since(ref, commit, tuple(entries))


def current_records(records: Iterable[Loaded]) -> dict[str, dict[str, Any]]:
    """Raw mappings of loaded records, by id."""
    return {loaded.record.id: raw_record(loaded) for loaded in records}


__all__ = ["Coverage", "Row", "Scope", "Since", "SinceEntry", "bookkeeping", "changes_since", "coverage",
           "current_records", "raw_record", "rows", "substance"]
