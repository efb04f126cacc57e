"""The import pipeline: mapping, existing content, rows, decisions, then one write (or none).

``run_import`` reads every export row by row and decides, for each record it makes, whether it is
new, changed (the export's values differ from the fingerprint stored in the record), unchanged, or
edited by hand since the last import (the record's own values differ from its stored fingerprint:
reported, never overwritten). Every problem of every row is collected first; only an import with
none writes anything, and then through :func:`~generator.authoring.importers.writer.write_changes`.
"""

from __future__ import annotations

import datetime as dt
import io
import multiprocessing
import os
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...content.loader import display_path, format_path
from ...content.models import KINDS
from ...content.models.imported import hand_fields
from .existing import Entry, Existing, scan_content
from .mapper import REF_FIELDS, Compiled, Produced, RowProblem, RowProblems, compile_mapping
from .mapping import MappingError, load_mapping
from .readers import ReadProblem, Row, csv_chunks, csv_rows, read_csv_header, read_json, read_jsonl
from .validate import RecordValidator
from .writer import Changes, Group, Spill, WriteProblem, group_for, write_changes
from .yamlout import assemble, field_texts, merge_texts, scalar, texts_hash

__all__ = ["ImportOptions", "ImportReport", "run_import"]

# Problems listed before the rest are only counted: a wrong date format fails every row alike.
MAX_PROBLEMS = 200
# Rows per piece of work, and pieces worked on ahead of the one being written out (memory stays
# bounded by these, not by the export's size).
CHUNK_ROWS = 1000
AHEAD = 4
# Exports smaller than this are mapped in the main process: starting workers costs more than it saves.
PARALLEL_MIN_BYTES = 4 * 1024 * 1024
MAX_WORKERS = 4


@dataclass
class ImportOptions:
    """What to import, from where, into which content folder."""

    source: str
    files: list[Path]
    content: Path
    mapping: Path | None = None
    period: tuple[dt.date, dt.date] | None = None
    dry_run: bool = False


@dataclass
class ImportReport:
    """What an import did, or why it did nothing."""

    system: str = ""
    usage: list[str] = field(default_factory=list)       # the command cannot run (mapping, files)
    problems: list[str] = field(default_factory=list)    # rows that are wrong: nothing was written
    more_problems: int = 0
    notes: list[str] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)      # hand-edited records the export changed
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    rows: int = 0
    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)

    def count(self, kind: str, what: str, n: int = 1) -> None:
        self.counts.setdefault(kind, Counter())[what] += n

    def problem(self, text: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(text)
        else:
            self.more_problems += 1

    @property
    def failed(self) -> bool:
        return bool(self.usage or self.problems)


@dataclass(slots=True)
class _Staged:
    action: str                 # new | updated
    group: Group
    handle: tuple[int, int]
    entry: Entry | None


# A piece of an export for the work: ("csv", header, delimiter, first line, text) or ("rows", rows).
_Chunk = tuple[Any, ...]

# What the work on one record concludes (a tuple: cheap to send between processes):
# (kind, source id, line, record id, decision, YAML text or None, problems as (column, message), month)
_Result = tuple[str, str, int, str, str, str | None, list[tuple[str, str]], str]


class _Work:
    """Everything about one row that needs no other row: mapping it, comparing each record with
    what an earlier import wrote, validating it, writing its YAML. Holds no state that grows, so
    it can run in the main process or, for a large export, in worker processes."""

    def __init__(self, compiled: Compiled, existing: Existing) -> None:
        self.compiled = compiled
        self.existing = existing
        self.system = compiled.mapping.system
        self.validators: dict[str, RecordValidator] = {}
        self.valid_refs: set[tuple[str, str]] = set()  # (field, value) already found to exist
        self.defaults: dict[str, tuple[dict[str, Any], dict[str, Any], frozenset[str]]] = {}
        self.hand_texts: dict[str, tuple[tuple[str, str], ...]] = {}

    def chunk(self, item: _Chunk) -> list[tuple[int, Any]]:
        """The results of each row of a piece of the export, as (line, result): a list of record
        results, ('problems', lines) for a wrong row, or ('gap', '') for a monitoring gap (which the
        main process records)."""
        if item[0] == "csv":
            _, header, delimiter, first_line, text = item
            rows: Iterable[Row] = csv_rows(io.StringIO(text, newline=""), header, first_line, delimiter)
        else:
            rows = item[1]
        coverage = self.compiled.coverage
        out: list[tuple[int, Any]] = []
        try:
            for row in rows:
                if isinstance(row.values, ReadProblem):
                    out.append((row.line, ("problems", row.values.message)))
                    continue
                if coverage is not None and coverage.gap_where and coverage.is_gap(row.values):
                    out.append((row.line, ("gap", "")))
                    continue
                try:
                    results = []
                    for output in self.compiled.rows:
                        for produced in output.produce(row):
                            results.append(self.record(produced))
                    out.append((row.line, results))
                except RowProblem as exc:
                    out.append((row.line, ("problems", f"{exc.column}: {exc.message}")))
                except RowProblems as exc:
                    out.append((row.line, ("problems", "\n".join(f"{p.column}: {p.message}" for p in exc.problems))))
        except ReadProblem as exc:  # the CSV itself is broken from here on
            out.append((exc.line, ("stop", exc.message)))
        return out

    def _split(self, output: str, kind: str) -> tuple[dict[str, Any], dict[str, Any], frozenset[str]]:
        """An output's defaults split into owned and hand-kept fields (the latter set at creation only)."""
        found = self.defaults.get(output)
        if found is None:
            defaults = self.compiled.defaults.get(output, dict(self.compiled.mapping.defaults))
            hand = hand_fields(KINDS[kind])
            found = ({k: v for k, v in defaults.items() if k not in hand},
                     {k: v for k, v in defaults.items() if k in hand}, hand)
            self.defaults[output] = found
        return found

    def _hand_texts(self, output: str, hand_defaults: dict[str, Any]) -> tuple[tuple[str, str], ...]:
        found = self.hand_texts.get(output)
        if found is None:
            found = self.hand_texts[output] = tuple(field_texts(hand_defaults))
        return found

    def record(self, produced: Produced) -> _Result:
        kind = produced.kind
        owned_defaults, hand_defaults, hand_names = self._split(produced.output, kind)
        entry = self.existing.imported.get((kind, produced.source_id))
        record = {**owned_defaults, **produced.record} if owned_defaults else dict(produced.record)
        if entry is not None:
            record["id"] = entry.record_id
        texts = field_texts(record)
        owned = {k for k in record if k not in hand_names and k not in ("id", "kind", "imported_from")}
        new_hash = texts_hash(texts, owned)
        record_id = record["id"]
        if entry is not None:
            if entry.edited:
                decision = "edited, not updated" if new_hash != entry.stored_hash else "edited, kept"
                return (kind, produced.source_id, produced.line, record_id, decision, None, [], produced.month)
            if new_hash == entry.stored_hash:
                return (kind, produced.source_id, produced.line, record_id, "unchanged", None, [], produced.month)
        elif record_id in self.existing.ids:
            return (kind, produced.source_id, produced.line, record_id, "new", None, [(
                produced.labels.get("title", "id"),
                f"the record id '{record_id}' is already used by a record in {self.existing.where(record_id)} "
                "that was not imported from this row: change the mapping's id template")], produced.month)
        origin = {"system": self.system, "id": produced.source_id, "hash": new_hash}
        # (an updated record keeps its own hand-kept fields; the defaults stand in for them in the check)
        full = {**hand_defaults, **record, "imported_from": origin}
        problems = self.check(full, produced)
        if problems:
            return (kind, produced.source_id, produced.line, record_id, "new", None, problems, produced.month)
        # The hand-kept fields (as the file has them, or the defaults of a new record) take their place
        # in the model's order.
        hand = entry.hand if entry is not None else self._hand_texts(produced.output, hand_defaults)
        if hand:
            texts = merge_texts(kind, texts, hand)
        text = assemble([*texts, ("imported_from", f"  imported_from:\n    system: {scalar(self.system)}\n"
                                                   f"    id: {scalar(produced.source_id)}\n    hash: {scalar(new_hash)}")])
        return (kind, produced.source_id, produced.line, record_id, "updated" if entry else "new", text, [],
                produced.month)

    def check(self, full: dict[str, Any], produced: Produced) -> list[tuple[str, str]]:
        """What is wrong with a record: its fields against the model, then its references."""
        kind = produced.kind
        validator = self.validators.get(kind)
        if validator is None:
            validator = self.validators[kind] = RecordValidator(kind)
        problems = [(produced.labels.get(name, name), message) for name, message in validator.problems(full)]
        if problems:
            return problems
        for name, (kinds, _) in REF_FIELDS[kind].items():
            value = full.get(name)
            for v in value if isinstance(value, list) else [value] if value is not None else []:
                if (name, v) in self.valid_refs:
                    continue
                found = self.existing.ids.get(v)
                if found in kinds:
                    self.valid_refs.add((name, v))
                    continue
                what = " or ".join(k.replace("_", " ") for k in kinds)
                why = f"it is a {found.replace('_', ' ')}" if found else "no record has this id"
                problems.append((produced.labels.get(name, name),
                                 f"'{v}' is not a known {what} ({why}): map the value to an existing id"))
        return problems


# The work of the worker processes, set before they are forked (they inherit it; nothing is pickled).
_WORK: _Work | None = None


def _work_chunk(item: _Chunk) -> list[tuple[int, Any]]:
    assert _WORK is not None
    return _WORK.chunk(item)


class _Importer:
    """Reads the exports and keeps what spans rows: duplicates, record ids, aggregates, coverage, the spill."""

    def __init__(self, compiled: Compiled, existing: Existing, options: ImportOptions, report: ImportReport) -> None:
        self.compiled = compiled
        self.mapping = compiled.mapping
        self.system = compiled.mapping.system
        self.existing = existing
        self.options = options
        self.report = report
        self.work = _Work(compiled, existing)
        self.spill = Spill()
        self.staged: dict[tuple[str, str], _Staged] = {}
        self.seen: dict[tuple[str, str], tuple[int, int]] = {}  # (kind, source id) -> (file number, line)
        self.new_ids: dict[str, tuple[str, str]] = {}
        self.file_no = 0
        # line -> what the main process found before the work: None (an aggregate took the row) or a problem
        self.before: dict[int, str | None] = {}

    # ----------------------------------------------------------------- rows

    def read(self, path: Path, pool: Any) -> None:
        """Read one export and apply the results of its rows, in order.

        A CSV export goes to the work in pieces of text (cut between rows), so that a worker parses
        its own rows; the main process parses them as well only when it needs the rows itself (for
        monitoring gaps and aggregates). JSON goes in pieces of decoded elements."""
        shown = display_path(path)
        mapping = self.mapping
        compiled = self.compiled
        self.before = {}
        try:
            with open(path, encoding=mapping.encoding, newline="" if mapping.format == "csv" else None) as f:
                if mapping.format == "csv":
                    header, first_line = read_csv_header(f, mapping.delimiter)
                    missing = _missing_columns(compiled, header)
                    if missing:
                        for column in missing:
                            self.report.problem(f"{shown}:1: {column}: no such column in the export (its columns: "
                                                f"{', '.join(header)})")
                        return
                    chunks: Iterator[_Chunk] = (
                        ("csv", header, mapping.delimiter, start, text)
                        for start, text in csv_chunks(f, first_line, CHUNK_ROWS))
                else:
                    rows = read_json(f, mapping.items) if mapping.format == "json" else read_jsonl(f)
                    chunks = (("rows", chunk) for chunk in _batched(rows, CHUNK_ROWS))
                for results in self._mapped(self._before(chunks), pool):
                    for line, result in results:
                        self._apply(line, result, shown)
        except ReadProblem as exc:
            self.report.problem(f"{shown}:{exc.line}: {exc.message}")
        except UnicodeDecodeError as exc:
            self.report.problem(f"{shown}: not {mapping.encoding} text (byte {exc.start}): save the export as UTF-8, "
                                "or set encoding in the mapping")

    def _before(self, chunks: Iterator[_Chunk]) -> Iterator[_Chunk]:
        """What the main process does with each row before the work, in order: monitoring gaps and
        aggregates (when the mapping has them). Remembers per line what it found for ``_apply``."""
        compiled = self.compiled
        needs_rows = bool(compiled.aggregates) or bool(compiled.coverage is not None and compiled.coverage.gap_where)
        for item in chunks:
            if needs_rows:
                if item[0] == "csv":
                    _, header, delimiter, first_line, text = item
                    rows: Iterable[Row] = list(csv_rows(io.StringIO(text, newline=""), header, first_line, delimiter))
                else:
                    rows = item[1]
                for row in rows:
                    if isinstance(row.values, ReadProblem):
                        continue
                    try:
                        if compiled.coverage is not None and compiled.coverage.is_gap(row.values):
                            compiled.coverage.add_gap(row)
                            self.report.count("monitoring_coverage", "gap rows")
                            continue
                        taken = False
                        for agg in compiled.aggregates:
                            if agg.accepts(row.values):
                                taken = True
                            agg.add(row)
                        if taken:
                            self.before[row.line] = None
                    except RowProblem as exc:
                        self.before[row.line] = f"{exc.column}: {exc.message}"
            yield item

    def _mapped(self, chunks: Iterator[_Chunk], pool: Any) -> Iterator[list[tuple[int, Any]]]:
        """The results of each piece, in order; with a pool, a few pieces are worked on ahead."""
        if pool is None:
            for item in chunks:
                yield self.work.chunk(item)
            return
        pending: deque[Any] = deque()
        for item in chunks:
            pending.append(pool.apply_async(_work_chunk, (item,)))
            if len(pending) > AHEAD:  # bounded: memory does not grow with the file
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()

    def _apply(self, line: int, result: Any, shown: str) -> None:
        self.report.rows += 1
        if line in self.before:
            problem = self.before.pop(line)
            if problem is not None:
                self.report.problem(f"{shown}:{line}: {problem}")
                return
            taken = True
        else:
            taken = False
        if isinstance(result, tuple):
            if result[0] == "gap":
                return
            if result[0] == "stop":
                raise ReadProblem(line, result[1])
            for text in result[1].split("\n"):
                self.report.problem(f"{shown}:{line}: {text}")
            return
        if not result and not taken:
            self.report.count("rows", "not for any output")
        for item in result:
            self._record(item, shown)

    # ----------------------------------------------------------------- records

    def _record(self, result: _Result, shown: str) -> None:
        kind, source_id, line, record_id, decision, text, problems, month = result
        where = f"{shown}:{line}" if line else shown
        for column, message in problems:
            self.report.problem(f"{where}: {column}: {message}")
        if problems:
            return
        key = (kind, source_id)
        earlier = self.seen.get(key)
        if earlier is not None:
            if earlier[0] == self.file_no:
                self.report.problem(f"{where}: the same {self.system} record ('{source_id}') as line {earlier[1]}")
                return
            self.report.count(kind, "superseded by a later file")
        self.seen[key] = (self.file_no, line)
        if text is None:  # unchanged, or edited by hand: nothing to write
            self.staged.pop(key, None)
            if decision == "edited, not updated":
                entry = self.existing.imported[key]
                self.report.edited.append(
                    f"{display_path(entry.file)}: {entry.record_id}: edited by hand since it was imported; the "
                    f"{self.system} export changed it too (row {where}): not updated. Copy the change by hand, "
                    "or delete the record to import it again.")
            self.report.count(kind, {"edited, not updated": "edited by hand, not updated",
                                     "edited, kept": "edited by hand, kept"}.get(decision, decision))
            return
        first = self.new_ids.setdefault(record_id, key)
        if first != key:
            self.report.problem(f"{where}: the record id '{record_id}' is also made from {self.system} '{first[1]}': "
                                "make the mapping's id template include more of the row (e.g. {source_hash})")
            return
        entry = self.existing.imported.get(key)
        group = group_for(self.options.content, kind, month)
        self.staged[key] = _Staged(decision, group, self.spill.add(text), entry)

    # ----------------------------------------------------------------- the end

    def finish(self) -> None:
        compiled = self.compiled
        self.file_no = -1
        for agg in compiled.aggregates:
            for produced in agg.produce(self.options.period, self.report.notes):
                self._record(self.work.record(produced), f"(output {produced.output})")
        if compiled.coverage is not None:
            if self.options.period is None:
                self.report.notes.append("no monitoring coverage written: give --period FROM..TO (the time the export "
                                         "covers); until a coverage record covers a month, its availability is 'no "
                                         "data'")
            else:
                for produced in compiled.coverage.produce(self.options.period, compiled.zone, self.system):
                    self._record(self.work.record(produced), "(coverage)")

    def changes(self) -> Changes:
        changes = Changes()
        for key, staged in self.staged.items():
            self.report.count(key[0], staged.action)
            entry = staged.entry
            # An updated record stays where it is unless its month changed and it sits in a month file the
            # import keeps (a record someone moved into a file of their own is left in that file).
            if entry is not None and (entry.month == staged.group.month
                                      or not _month_file(entry.file, staged.group)):
                changes.replacements[entry.file][entry.index] = staged.handle
            else:
                if entry is not None:
                    changes.removals[entry.file].add(entry.index)
                changes.appends[staged.group].append(staged.handle)
        return changes


def _batched(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _missing_columns(compiled: Compiled, header: list[str]) -> list[str]:
    """Columns the mapping reads that the export's header lacks (``Name*``: at least ``Name``)."""
    have = set(header)

    def present(column: str) -> bool:
        return (column[:-1] if column.endswith("*") else column) in have

    missing = sorted(c for c in compiled.columns if not present(c))
    missing += [" or ".join(group) for group in compiled.any_of if not any(present(c) for c in group)]
    return missing


def _month_file(path: Path, group: Group) -> bool:
    """Whether ``path`` is one of the month files the import keeps for ``group``'s kind."""
    stem = group.stem + "-"
    name = path.name
    return (path.parent == group.folder and name.startswith(stem) and len(name) >= len(stem) + 7
            and name[len(stem):len(stem) + 7].replace("-", "").isdigit())


def run_import(options: ImportOptions) -> ImportReport:
    """Import ``options.files`` into ``options.content``; nothing is written when any row is wrong."""
    report = ImportReport()
    try:
        mapping = load_mapping(options.source, options.mapping)
    except MappingError as exc:
        report.usage.extend(exc.problems)
        return report
    report.system = mapping.system
    compiled, problems = compile_mapping(mapping)
    if compiled is None:
        where = str(options.mapping) if options.mapping else f"preset {options.source}"
        report.usage.extend(f"{where}: {p}" for p in problems)
        return report
    for path in options.files:
        if not path.is_file():
            report.usage.append(f"{path}: no such file")
    if options.period is not None and options.period[1] < options.period[0]:
        report.usage.append(f"--period: ends before it starts ({options.period[0]}..{options.period[1]})")
    if report.usage:
        return report
    existing = scan_content(options.content, mapping.system)
    report.problems.extend(existing.problems)
    importer = _Importer(compiled, existing, options, report)
    pool = _pool(importer.work, options.files)
    try:
        for number, path in enumerate(options.files):
            importer.file_no = number
            importer.read(path, pool)
        if pool is not None:
            pool.close()
            pool.join()
            pool = None
        importer.finish()
        if report.problems:
            return report
        changes = importer.changes()
        if changes and not options.dry_run:
            try:
                report.written, report.removed = write_changes(options.content, changes, importer.spill,
                                                               mapping.system)
            except WriteProblem as exc:
                report.problem(str(exc))
    finally:
        if pool is not None:
            pool.terminate()
        importer.spill.close()
    return report


def _pool(work: _Work, files: list[Path]) -> Any:
    """Worker processes for a large export (forked, so they share the mapping and the content's ids
    without copying them); None for a small one, a single CPU, or a platform without fork."""
    global _WORK
    cpus = os.cpu_count() or 1
    size = sum(p.stat().st_size for p in files if p.is_file())
    if cpus < 2 or size < PARALLEL_MIN_BYTES:
        return None
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - platforms without fork
        return None
    _WORK = work
    return context.Pool(min(cpus, MAX_WORKERS))


_ORDER = ["gap rows", "new", "updated", "unchanged", "edited by hand, not updated", "edited by hand, kept",
          "superseded by a later file", "not for any output"]


def summary_lines(report: ImportReport, dry_run: bool = False) -> list[str]:
    """What the import did, for people: one line per kind, then the files written."""
    lines = []
    verb = "would import" if dry_run else "imported"
    for kind in sorted(report.counts):
        counts = report.counts[kind]
        ordered = sorted(counts.items(), key=lambda kv: (_ORDER.index(kv[0]) if kv[0] in _ORDER else len(_ORDER), kv[0]))
        parts = ", ".join(f"{n} {what}" for what, n in ordered)
        lines.append(f"{kind}: {parts}")
    head = f"{verb} from {report.system}: {report.rows} row(s) read"
    lines.insert(0, head)
    for path in report.written:
        lines.append(f"wrote {display_path(path)}")
    for path in report.removed:
        lines.append(f"removed {display_path(path)} (no records left)")
    if not report.written and not report.removed and not report.failed and not dry_run:
        lines.append("nothing changed")
    return lines
