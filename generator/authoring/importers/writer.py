"""The one place an import writes: planned changes applied to the content folder, atomically per file.

Records wait in a spill file (:class:`Spill`) while the export is read, so memory holds offsets,
not records. :func:`write_changes` then builds every file that changes (records appended to the
month's file, updated ones replaced where they are, moved ones removed from their old month) in a
staging folder inside the content folder, and only when every file is ready renames them into
place (``os.replace``: each file is either the old or the new one, never half written). Text of
records the import does not touch, comments included, is kept byte for byte.

A month's file is split before it reaches the loader's 1 MiB limit: ``outages-2026-03.yaml``,
``outages-2026-03-2.yaml``, ...
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ...content.loader import MAX_FILE_BYTES
from ...content.models import KINDS
from ...content.models.imported import import_spec_of
from ...content.yamldoc import parse
from .yamlout import file_header

__all__ = ["Changes", "Group", "Spill", "WriteProblem", "write_changes"]

# New records go to a month's next file once its file would pass this size (the loader refuses
# files over 1 MiB; the margin leaves room for records that grow when they are updated).
SPLIT_BYTES = int(MAX_FILE_BYTES * 0.85)


class WriteProblem(Exception):
    """A file the import has to change cannot be changed safely (it does not read as YAML)."""


class Spill:
    """Record texts kept on disk until they are written: ``add`` gives a handle, ``get`` the text."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self._end = 0
        self._reading = False

    def add(self, text: str) -> tuple[int, int]:
        data = text.encode("utf-8")
        if self._reading:
            self._file.seek(self._end)
            self._reading = False
        self._file.write(data)
        handle = (self._end, len(data))
        self._end += len(data)
        return handle

    def get(self, handle: tuple[int, int]) -> str:
        if not self._reading:
            self._file.flush()
            self._reading = True
        self._file.seek(handle[0])
        return self._file.read(handle[1]).decode("utf-8")

    def close(self) -> None:
        self._file.close()


@dataclass(frozen=True, order=True)
class Group:
    """The files of one kind and month: ``<folder>/<stem>-<YYYY-MM>.yaml`` and its further parts."""

    folder: Path
    stem: str
    month: str
    kind: str

    def part(self, number: int) -> Path:
        suffix = "" if number == 1 else f"-{number}"
        return self.folder / f"{self.stem}-{self.month}{suffix}.yaml"

    def parts(self) -> list[Path]:
        out = []
        number = 1
        while self.part(number).exists():
            out.append(self.part(number))
            number += 1
        return out


@dataclass
class Changes:
    """Everything an import changes, as handles into the spill file."""

    appends: dict[Group, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    replacements: dict[Path, dict[int | None, tuple[int, int]]] = field(default_factory=lambda: defaultdict(dict))
    removals: dict[Path, set[int | None]] = field(default_factory=lambda: defaultdict(set))

    def __bool__(self) -> bool:
        return bool(self.appends or self.replacements or self.removals)


@dataclass
class _Chunks:
    header: str
    items: list[str]
    single: bool  # the file holds one record as a mapping, not a list


def _split(path: Path) -> _Chunks:
    text = path.read_text(encoding="utf-8")
    doc = parse(text)
    if doc.problems:
        p = doc.problems[0]
        raise WriteProblem(f"{path}:{p.line}:{p.col}: {p.message}: fix the file, then import again")
    lines = text.splitlines(keepends=True)
    if isinstance(doc.value, dict):
        start = doc.value_pos.get((), (1, 1))[0] - 1
        return _Chunks("".join(lines[:start]), ["".join(lines[start:])], True)
    if not isinstance(doc.value, list):
        raise WriteProblem(f"{path}: holds neither a record nor a list of records")
    starts = []
    for i in range(len(doc.value)):
        line = doc.value_pos[(i,)][0] - 1
        if line > 0 and lines[line - 1].strip() == "-":
            line -= 1
        starts.append(line)
    if not starts:
        return _Chunks(text, [], False)
    bounds = [*starts, len(lines)]
    items = ["".join(lines[bounds[i]:bounds[i + 1]]) for i in range(len(starts))]
    return _Chunks("".join(lines[: starts[0]]), items, False)


def _trailing(chunk: str) -> tuple[str, str]:
    """A list item's own lines, and the blank and comment lines after it (kept when it is replaced)."""
    lines = chunk.splitlines(keepends=True)
    end = len(lines)
    while end > 0 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    return "".join(lines[:end]), "".join(lines[end:])


def _as_mapping(item: str) -> str:
    """A '- key: ...' list item as a top-level mapping."""
    return "".join(line[2:] if line.startswith(("- ", "  ")) else line for line in item.splitlines(keepends=True))


def _join(base: str, items: list[str], base_has_records: bool = False) -> str:
    """``items`` after ``base`` (a header, or a file's text): one blank line between records."""
    parts = [base if not base or base.endswith("\n") else base + "\n"]
    last = parts[0]
    for n, item in enumerate(items):
        if not last.endswith("\n"):
            parts.append("\n")
            last = "\n"
        if (n or base_has_records) and not last.endswith("\n\n"):
            parts.append("\n")
        parts.append(item)
        last = item
    out = "".join(parts)
    return out if out.endswith("\n") else out + "\n"


def _has_records(text: str) -> bool:
    return any(line.startswith("-") or (line[:1].isalpha()) for line in text.splitlines())


def _apply(chunks: _Chunks, replace: dict[int | None, str], remove: set[int | None]) -> list[str]:
    items = []
    for i, item in enumerate(chunks.items):
        key: int | None = None if chunks.single else i
        if key in remove:
            continue
        if key in replace:
            _, tail = _trailing(item)
            item = replace[key] + tail
        items.append(item)
    return items


class _Staging:
    """New file texts, each written to a staging folder as soon as it is ready (memory holds one file
    at a time), then all renamed into place together."""

    def __init__(self, root: Path) -> None:
        root.mkdir(parents=True, exist_ok=True)
        # A dot folder: the loader never reads it, even if a run is killed before it is removed.
        self.folder = Path(tempfile.mkdtemp(prefix=".clause8-import-", dir=root))
        self.files: dict[Path, Path | None] = {}  # target -> staged file (None: remove the target)

    def put(self, target: Path, text: str | None) -> None:
        if text is None:
            self.files[target] = None
            return
        tmp = self.files.get(target) or self.folder / f"{len(self.files)}.yaml"
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        self.files[target] = tmp

    def current(self, target: Path) -> str:
        """The target's text as this import leaves it so far."""
        if target in self.files:
            tmp = self.files[target]
            return tmp.read_text(encoding="utf-8") if tmp is not None else ""
        return target.read_text(encoding="utf-8") if target.exists() else ""

    def commit(self) -> tuple[list[Path], list[Path]]:
        written: list[Path] = []
        removed: list[Path] = []
        for target, tmp in sorted(self.files.items(), key=lambda kv: str(kv[0])):
            if tmp is not None:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp, target)
                written.append(target)
        for target, tmp in self.files.items():
            if tmp is None and target.exists():
                target.unlink()
                removed.append(target)
        return written, removed

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def write_changes(root: Path, changes: Changes, spill: Spill, system: str) -> tuple[list[Path], list[Path]]:
    """Apply ``changes`` under ``root``; the files written and the files removed (now empty).

    Every changed file is built and written to the staging folder first; only when all of them are
    there are they renamed into place (a failure before leaves the content folder as it was)."""
    staging = _Staging(root)
    try:
        for path in sorted(set(changes.replacements) | set(changes.removals)):
            chunks = _split(path)
            replace = {k: spill.get(h) for k, h in changes.replacements.get(path, {}).items()}
            if chunks.single:
                replace = {k: _as_mapping(v) for k, v in replace.items()}
            items = _apply(chunks, replace, changes.removals.get(path, set()))
            staging.put(path, _join(chunks.header, items) if items else None)
        for group in sorted(changes.appends):
            number = len(group.parts()) or 1
            path = group.part(number)
            if path.exists() and path not in staging.files:
                _split(path)  # a file records are added to must read as YAML (WriteProblem if not)
            current = staging.current(path)
            size = len(current.encode("utf-8"))
            pending: list[str] = []

            def flush(target: Path, base: str, items: list[str]) -> None:
                if not items:
                    return
                if base.strip():
                    staging.put(target, _join(base, items, _has_records(base)))
                else:
                    staging.put(target, _join(file_header(group.kind, system), items))

            for handle in changes.appends[group]:
                item = spill.get(handle)
                grow = len(item.encode("utf-8")) + 1
                if (pending or _has_records(current)) and size + grow > SPLIT_BYTES:
                    flush(path, current, pending)
                    number += 1
                    path = group.part(number)
                    current, pending, size = staging.current(path), [], 0
                    size = len(current.encode("utf-8"))
                pending.append(item)
                size += grow
            flush(path, current, pending)
        return staging.commit()
    finally:
        staging.close()


@functools.lru_cache(maxsize=4096)
def group_for(root: Path, kind: str, month: str) -> Group:
    """The month's files of ``kind`` under ``root``."""
    model = KINDS[kind]
    spec = import_spec_of(model)
    assert spec is not None
    return Group(root / model.family, spec.file_stem, month, kind)
