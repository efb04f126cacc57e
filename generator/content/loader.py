"""The only code that reads content: YAML files under ``content/`` -> validated records + findings.

Never raises on bad content. Every problem becomes a :class:`~generator.content.findings.Finding` with
the file, line and column to fix and the field path inside the record, and loading goes on so
that one run reports everything.
"""

from __future__ import annotations

import difflib
import errno
import os
import re
import stat
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .findings import Finding
from .localize import Msg, about, os_error
from .yamldoc import Document, parse

if TYPE_CHECKING:
    from pydantic import BaseModel

    from .models import Record

# The models, pydantic and the messages are imported when the first record is validated, not
# with this module: ``check`` starts reading files (start_reading) before it pays for them.

MAX_FILE_BYTES = 1024 * 1024
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Source:
    """Where a record was written: its file, its place in the file, and node positions."""

    file: str
    doc: Document = field(repr=False, compare=False)
    base: tuple[str | int, ...] = ()

    @property
    def line(self) -> int:
        return self.pos()[0]

    @property
    def col(self) -> int:
        return self.pos()[1]

    def pos(self, *path: str | int, key: bool = False) -> tuple[int, int]:
        """Position of ``path`` inside the record (the key's position when ``key``), best effort."""
        self.doc.ensure_positions()
        full = self.base + tuple(path)
        table = self.doc.key_pos if key else self.doc.value_pos
        while full:
            if full in table:
                return table[full]
            if full in self.doc.value_pos:
                return self.doc.value_pos[full]
            full = full[:-1]
        return self.doc.value_pos.get((), (1, 1))


@dataclass(frozen=True)
class Loaded:
    """A validated record and where it came from."""

    record: Record
    source: Source


@dataclass(frozen=True)
class Failed:
    """A record that failed validation, as written: kept so that its id stays known and the
    references it makes are still checked, in the same run as its validation findings."""

    kind: str
    data: dict[str, Any] = field(repr=False)
    source: Source
    # Paths (inside the record) of the values that failed validation: nothing more is said of them.
    bad: frozenset[tuple[str | int, ...]] = frozenset()

    @property
    def id(self) -> str:
        """The record's id as written ("" when it has none, or not as text)."""
        rid = self.data.get("id")
        return rid if isinstance(rid, str) else ""

    def is_bad(self, path: tuple[str | int, ...]) -> bool:
        """Whether the value at ``path``, or a value holding it, failed validation."""
        return any(path[:len(b)] == b for b in self.bad)


@dataclass
class LoadResult:
    """Everything read from a content folder."""

    records: list[Loaded] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # id -> kind for records that failed validation: lets references to them resolve without
    # a second, misleading finding.
    invalid_ids: dict[str, str] = field(default_factory=dict)
    # The records that failed validation, as written (see Failed).
    failed: list[Failed] = field(default_factory=list)
    files: int = 0


def display_path(path: Path) -> str:
    """Path as shown in findings: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix() if path.is_absolute() else path.as_posix()
    except ValueError:
        return path.as_posix()


def format_path(path: Iterable[str | int]) -> str:
    """('targets', 0, 'target') -> 'targets[0].target'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def _resolved(p: Path) -> Path | None | OSError:
    """Where the symbolic link ``p`` finally leads; None for a loop, the error when it leads
    nowhere (dangling, or unreadable)."""
    try:
        return p.resolve(strict=True)
    except RuntimeError:  # Python before 3.13 reports a loop this way
        return None
    except OSError as exc:
        return None if exc.errno == errno.ELOOP else exc


def discover(root: Path) -> tuple[list[Path], list[Finding]]:
    """YAML files under ``root`` in a stable order.

    See :func:`discover_files`, which gives each file as its path and its path relative to ``root``."""
    files, findings = discover_files(root)
    return [Path(path) for path, _ in files], findings


def discover_files(root: Path) -> tuple[list[tuple[str, str]], list[Finding]]:
    """YAML files under ``root`` in a stable order, each as (path, path relative to ``root`` in
    forward-slash form).

    Symbolic links that leave ``root``, loop, or lead nowhere are findings; so is anything named
    ``*.yaml`` that is neither a folder nor a regular file (a named pipe, a socket, a device),
    which :func:`read_file` reports without opening it for long.
    """
    findings: list[Finding] = []
    real_root = root.resolve()
    files: list[tuple[str, str]] = []
    seen_dirs: set[Path] = set()

    def outside(real: Path) -> bool:
        try:
            real.relative_to(real_root)
            return False
        except ValueError:
            return True

    def problem(p: Path, code: str, message: str) -> None:
        findings.append(Finding(display_path(p), 1, 1, "error", code, "", message))

    def walk(d: Path, real: Path, rel: str) -> None:
        if real in seen_dirs:
            return
        seen_dirs.add(real)
        try:
            entries = sorted(os.scandir(d), key=lambda e: e.name)
        except OSError as exc:
            problem(d, "file-unreadable", os_error(exc))
            return
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            yaml_name = name.endswith(YAML_SUFFIXES) and name not in YAML_SUFFIXES  # '.yaml' alone has no suffix
            if entry.is_symlink():
                p = Path(entry.path)
                target = _resolved(p)
                if target is None:
                    problem(p, "symlink-loop", Msg("symlink-loop", "symbolic link loops: following it leads back "
                                                   "to it; it is not read"))
                    continue
                if isinstance(target, OSError):
                    if yaml_name:
                        if target.errno == errno.ENOENT:
                            problem(p, "file-unreadable", Msg("symlink-nowhere", "symbolic link leads to a file that "
                                                              "does not exist; it is not read"))
                        else:
                            problem(p, "file-unreadable", Msg("symlink-unfollowable", "symbolic link cannot be "
                                                              "followed: {why}; it is not read", why=os_error(target)))
                    continue
                if outside(target):
                    if target.is_dir() or yaml_name:
                        problem(p, "symlink-outside", Msg("symlink-outside", "symbolic link leads outside the "
                                                          "content folder; it is not read"))
                    continue
                if target.is_dir() and (target == real or target in real.parents):
                    problem(p, "symlink-loop", Msg("symlink-loop.folder", "symbolic link leads to a folder that "
                                                   "holds it, a loop; it is not followed"))
                    continue
            else:
                target = None
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                walk(Path(entry.path), target if target is not None else real / name, f"{rel}{name}/")
            elif yaml_name:
                files.append((entry.path, rel + name))  # read_file reports what is not a regular file

    if not root.is_dir():
        findings.append(Finding(display_path(root), 1, 1, "error", "content-missing", "",
                                Msg("content-missing", "content folder not found")))
        return [], findings
    walk(root, real_root, "")
    return files, findings


_NOT_REGULAR = ((stat.S_ISFIFO, Msg("a-named-pipe", "a named pipe")), (stat.S_ISSOCK, Msg("a-socket", "a socket")),
                (stat.S_ISCHR, Msg("a-device", "a device")), (stat.S_ISBLK, Msg("a-device", "a device")))


# A line with something on it other than a comment (the quick answer; the exact one splits lines
# at every character Python counts as a line break).
_CONTENT_LINE = re.compile(r"^[ \t]*[^\s#]", re.M)


def _read_all(fd: int, size: int) -> bytes:
    """The bytes of an open file of ``size`` bytes, read to its end (a file may grow while it is
    read), stopping one byte over the limit."""
    parts = []
    left = MAX_FILE_BYTES + 1
    want = min(size + 1, left)
    while left > 0:
        part = os.read(fd, want)
        if not part:
            break
        parts.append(part)
        left -= len(part)
        want = min(65536, left)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def read_file(path: Path, shown: str) -> tuple[str | None, list[Finding]]:
    """Bytes -> text, with size and encoding checks. Only regular files are read: the file is
    opened without blocking and checked before reading, so a named pipe cannot hang the run."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                what = next((name for test, name in _NOT_REGULAR if test(info.st_mode)), None)
                return None, [Finding(shown, 1, 1, "error", "file-unreadable", "",
                                      Msg("not-regular", "{what}, not a regular file; it is not read", what=what)
                                      if what is not None else
                                      Msg("not-regular.other", "not a regular file, not a regular file; it is not "
                                          "read"))]
            size = info.st_size
            if size > MAX_FILE_BYTES:
                return None, [Finding(shown, 1, 1, "error", "file-too-large", "",
                                      Msg("file-too-large", "file is {size} bytes, over the limit of {max} bytes: "
                                          "split it", size=size, max=MAX_FILE_BYTES))]
            data = _read_all(fd, size)
        finally:
            os.close(fd)
    except OSError as exc:
        return None, [Finding(shown, 1, 1, "error", "file-unreadable", "", os_error(exc))]
    if len(data) > MAX_FILE_BYTES:  # grew after it was measured
        return None, [Finding(shown, 1, 1, "error", "file-too-large", "",
                              Msg("file-too-large.grew", "file is over the limit of {max} bytes: split it",
                                  max=MAX_FILE_BYTES))]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, [Finding(shown, line, col, "error", "encoding", "",
                              Msg("encoding", "byte 0x{byte} is not valid UTF-8: save the file as UTF-8",
                                  byte=f"{data[exc.start]:02x}"))]
    if _CONTENT_LINE.search(text) is None and all(not ln.strip() or ln.lstrip().startswith("#")
                                                  for ln in text.splitlines()):
        return None, [Finding(shown, 1, 1, "error", "file-empty", "", Msg("file-empty", "file holds no record"))]
    return text, []


# Below this many files one process is faster than starting workers.
PARALLEL_MIN_FILES = 2000


def _read_and_parse(item: tuple[str, str]) -> tuple[str, list[Finding], Document | None]:
    path, shown = item
    text, problems = read_file(Path(path), shown)
    return shown, problems, (parse(text, positions=False) if text is not None else None)


def _read_and_parse_chunk(items: list[tuple[str, str]]) -> list[tuple[str, list[Finding], Any]]:
    """Parsed files as a reading process sends them back: a document read without positions goes
    as its value and text (cheaper to pickle than the Document), :func:`_unpacked` rebuilds it."""
    out: list[tuple[str, list[Finding], Any]] = []
    for shown, problems, doc in map(_read_and_parse, items):
        if doc is not None and not doc.positioned and not doc.problems:
            out.append((shown, problems, (doc.value, doc.text)))
        else:
            out.append((shown, problems, doc))
    return out


def _unpacked(packed: Any) -> Document | None:
    if packed is None or isinstance(packed, Document):
        return packed
    return Document(value=packed[0], text=packed[1], positioned=False)


class Reading:
    """Files being read and parsed: what :func:`start_reading` began, consumed by :func:`load_content`."""

    def __init__(self, root: Path, workers: int | None = None) -> None:
        self.root = root
        files, self.findings = discover_files(root)
        # Resolve the folder once: display paths are the folder's display path plus the relative part.
        shown_root = display_path(root)
        self.items = [(path, f"{shown_root}/{rel}") for path, rel in files]
        workers = workers if workers is not None else (os.cpu_count() or 1)
        self._pool: Any = None
        self._chunks: Iterable[list[tuple[str, list[Finding], Any]]] | None = None
        if workers > 1 and len(self.items) >= PARALLEL_MIN_FILES:
            self._start(workers)

    def _start(self, workers: int) -> None:
        """Fork the workers and hand them every file now: they parse while this process goes on."""
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        try:
            ctx = multiprocessing.get_context("fork")
        except ValueError:  # pragma: no cover - platforms without fork
            return
        size = max(1, len(self.items) // (workers * 8))
        chunks = [self.items[i:i + size] for i in range(0, len(self.items), size)]
        self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx)
        self._chunks = self._pool.map(_read_and_parse_chunk, chunks)

    def parsed(self) -> Iterator[tuple[str, list[Finding], Document | None]]:
        """Each file's display path, reading problems and parsed document, in file order: the
        workers' results as they arrive (the first chunks while the last are still parsed)."""
        if self._chunks is None:
            yield from map(_read_and_parse, self.items)
            return
        try:
            for chunk in self._chunks:
                for shown, problems, packed in chunk:
                    yield shown, problems, _unpacked(packed)
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)


def start_reading(root: Path, workers: int | None = None) -> Reading:
    """Find the files under ``root`` and start parsing them on every CPU (large trees); call it
    before importing the models, so that parsing and the imports overlap."""
    return Reading(root, workers)


def load_content(root: Path, workers: int | None = None, cache: dict[str, Any] | None = None,
                 reading: Reading | None = None) -> LoadResult:
    """Read, parse and validate every record under ``root``.

    Reading and parsing YAML is spread over the CPUs for large trees; validation and everything
    after it run in this process, in file order, so the result never depends on scheduling.
    ``cache`` (kept by the caller between loads, e.g. ``serve``) holds each file's records and
    findings by path, modification time and size: only changed files are read again.
    """
    result = LoadResult()
    if cache is not None:
        reading = Reading(root, workers=1)
        result.findings.extend(reading.findings)
        result.files = len(reading.items)
        _load_cached(reading.items, result, cache)
        return result
    reading = reading if reading is not None else Reading(root, workers)
    result.findings.extend(reading.findings)
    result.files = len(reading.items)
    for shown, problems, doc in reading.parsed():
        result.findings.extend(problems)
        if doc is not None:
            load_doc(doc, shown, result)
    return result


SETTLED_NS = 3_000_000_000


def _load_cached(items: list[tuple[str, str]], result: LoadResult, cache: dict[str, Any]) -> None:
    """Each file's records and findings from ``cache`` when the file is unchanged, else read anew."""
    fresh: dict[str, Any] = {}
    for item in items:
        try:
            st = os.stat(item[0])
            stamp: tuple[int, ...] | None = (st.st_mtime_ns, st.st_size, st.st_ino)
        except OSError:
            stamp = None  # read_file reports it
        hit = cache.get(item[0])
        if stamp is None or hit is None or hit[0] != stamp or hit[1] != item[1] or hit[3]:
            part = LoadResult()
            _, problems, doc = _read_and_parse(item)
            part.findings.extend(problems)
            if doc is not None:
                load_doc(doc, item[1], part)
            # A file modified in the last seconds is read again next time: file times are coarser
            # than the writes that can follow each other (an editor's two writes of one save).
            hit = (stamp, item[1], part, stamp is not None and time.time_ns() - stamp[0] < SETTLED_NS)
        fresh[item[0]] = hit
        part = hit[2]
        result.records.extend(part.records)
        result.findings.extend(part.findings)
        result.invalid_ids.update(part.invalid_ids)
        result.failed.extend(part.failed)
    cache.clear()
    cache.update(fresh)


def load_text(text: str, shown: str, result: LoadResult) -> None:
    """Parse and validate the records in one file's text."""
    load_doc(parse(text), shown, result)


def load_doc(doc: Document, shown: str, result: LoadResult) -> None:
    """Validate the records of one parsed file."""
    for p in doc.problems:
        result.findings.append(Finding(shown, p.line, p.col, "error", p.code, format_path(p.path), p.message))
    value = doc.value
    if value is None or value == []:
        if not doc.problems:  # a file of only '---', '~', 'null' or '[]'
            what = (Msg("an-empty-list", "an empty list") if value == []
                    else Msg("only-null", "only an empty value (null)"))
            result.findings.append(Finding(shown, 1, 1, "error", "file-empty", "",
                                           Msg("file-empty.value", "file holds {what}, no record", what=what)))
        return
    if isinstance(value, dict):
        items: list[tuple[tuple[str | int, ...], Any]] = [((), value)]
    elif isinstance(value, list):
        items = [((i,), v) for i, v in enumerate(value)]
    else:
        doc.ensure_positions()
        line, col = doc.value_pos.get((), (1, 1))
        result.findings.append(Finding(shown, line, col, "error", "record-shape", "",
                                       Msg("record-shape", "a file holds one record (a mapping) or a list of "
                                           "records")))
        return
    for base, data in items:
        source = Source(shown, doc, base)
        if not isinstance(data, dict):
            line, col = source.pos()
            result.findings.append(Finding(shown, line, col, "error", "record-shape", format_path(base),
                                           Msg("record-shape.item", "each record is a mapping of field names to "
                                               "values")))
            continue
        _validate(data, source, result)


def _validate(data: dict[str, Any], source: Source, result: LoadResult) -> None:
    kind = data.get("kind")
    if kind is None:
        result.findings.append(_finding(source, (), "kind-missing",
                                        Msg("kind-missing", "every record needs a 'kind' field"),
                                        key=False))
        return
    from pydantic import ValidationError

    from .models import KINDS

    model = KINDS.get(kind) if isinstance(kind, str) else None
    if model is None:
        hint = _did_you_mean(str(kind), KINDS)
        result.findings.append(_finding(source, ("kind",), "kind-unknown", Msg("kind-unknown", "unknown kind '{kind}'.{hint}",
                                                                                 kind=kind, hint=hint)))
        return
    try:
        record = model.model_validate(data)
    except ValidationError as exc:
        if isinstance(data.get("id"), str):
            result.invalid_ids.setdefault(data["id"], kind)
        seen: set[tuple[str | int, ...]] = set()
        for err in exc.errors(include_url=False):
            path, finding = _error_finding(err, data, model, source)
            if path in seen:  # one finding per place: unions report each alternative
                continue
            seen.add(path)
            result.findings.append(finding)
        result.failed.append(Failed(kind, data, source, frozenset(seen)))
        return
    result.records.append(Loaded(record, source))


def _finding(source: Source, path: tuple[str | int, ...], code: str, message: str, key: bool = False,
             severity: str = "error") -> Finding:
    line, col = source.pos(*path, key=key)
    return Finding(source.file, line, col, severity, code, format_path(source.base + path), message)  # type: ignore[arg-type]


def _error_finding(err: Any, data: Any, model: type[BaseModel], source: Source) -> tuple[tuple, Finding]:
    from .messages import field_info_at, plain_message

    loc = err["loc"]
    etype = err["type"]
    value: Any = data
    path: list[str | int] = []
    missing: str | None = None
    for i, part in enumerate(loc):
        if isinstance(value, dict) and isinstance(part, str) and part in value:
            path.append(part)
            value = value[part]
        elif isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
            path.append(part)
            value = value[part]
        elif etype == "missing" and i == len(loc) - 1 and isinstance(part, str):
            missing = part
        # other parts name union members or validators, not data: skip them
    tpath = tuple(path)
    if etype == "missing" and missing is not None:
        line, col = source.pos(*tpath)
        shown = format_path(source.base + tpath + (missing,))
        info = field_info_at(model, tpath + (missing,))
        add = (Msg("add-it", ": add it{about}", about=about(info.description, missing))
               if info is not None and info.description else "")
        return tpath + (missing,), Finding(source.file, line, col, "error", "field-missing", shown,
                                           Msg("field-missing", "required field '{field}' is missing{add}",
                                               field=missing, add=add))
    if etype == "extra_forbidden":
        parent = _model_at(model, tpath[:-1])
        name = str(tpath[-1]) if tpath else "?"
        hint = _did_you_mean(name, parent.model_fields) if parent else ""
        line, col = source.pos(*tpath, key=True)
        return tpath, Finding(source.file, line, col, "error", "field-unknown", format_path(source.base + tpath),
                              Msg("field-unknown", "unknown field '{field}'.{hint}", field=name, hint=hint))
    msg = plain_message(err, value, field_info_at(model, tpath))
    line, col = source.pos(*tpath)
    return tpath, Finding(source.file, line, col, "error", "field-invalid", format_path(source.base + tpath), msg)


def _model_at(model: type[BaseModel], path: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The nested model class that holds the value at ``path`` (for "did you mean")."""
    from pydantic import BaseModel

    from .models.base import nested_model

    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return None
        current = nested_model(current.model_fields[part].annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None



def _did_you_mean(name: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(options), n=1, cutoff=0.6)
    return Msg("did-you-mean", " Did you mean '{name}'?", name=close[0]) if close else ""
