"""Record history from git: every committed version of every record, read in one pass.

One ``git log`` over the content folder lists, commit by commit, the YAML files each commit
changed with the blob ids before and after; one ``git cat-file --batch`` reads those blobs; each
blob is parsed once with the project's YAML reader (:mod:`generator.content.yamldoc`) and split into its
records by id. The result holds, per record id, the commits that changed it and what the record
was before and after each of them (its raw YAML mapping, not a validated model: an old version
may not fit today's models, and the differences are about what was written).

No ``git log`` per file, and never a failure: outside a git work tree, without git, in a shallow
clone (whose oldest commits hide everything before them) or for a folder never committed, the
history is *unavailable* and says why; the site prints that sentence instead of a history.

This module runs git and nothing else; what the history means (edition scoping, approval
coverage, differences) is in :mod:`generator.content.revisions` and :mod:`generator.content.differences`.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import pickle
import re
import subprocess
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .loader import MAX_FILE_BYTES, YAML_SUFFIXES
from .yamldoc import ScalarFloat, parse

# How long one git command may take (a very large repository's log); past it, no history.
GIT_TIMEOUT_S = 600

Status = Literal["ok", "outside-git", "no-git", "shallow", "uncommitted", "failed"]

# Why history is unavailable, for people (the site says it in its language: labels history.unavailable_*).
REASONS: dict[str, str] = {
    "outside-git": "the content folder is not inside a git work tree",
    "no-git": "git is not installed",
    "shallow": "the repository is a shallow clone (fetch the whole history: git fetch --unshallow, or "
               "actions/checkout with fetch-depth: 0)",
    "uncommitted": "no commit touches the content folder yet",
    "failed": "git could not read the history",
}

_SEP_COMMIT, _SEP_FIELD = "\x1e", "\x1f"
_FORMAT = f"{_SEP_COMMIT}%H{_SEP_FIELD}%cI{_SEP_FIELD}%aI{_SEP_FIELD}%an{_SEP_FIELD}%s"
_NO_BLOB = "0" * 40


@dataclass(frozen=True)
class Commit:
    """One commit: who, when (committer and author dates with their UTC offsets) and its subject line."""

    sha: str
    committed: dt.datetime
    authored: dt.datetime
    author: str
    subject: str

    @property
    def short(self) -> str:
        return self.sha[:10]


@dataclass(frozen=True)
class Change:
    """What one commit did to one record: its raw mapping before and after (None: not there)."""

    commit: Commit
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    file: str  # the file it is in after the commit (before, when removed), relative to the content folder


@dataclass
class History:
    """Every committed change of every record under a content folder, oldest first per record."""

    status: Status
    detail: str = ""  # git's own words when status is "failed"
    changes: dict[str, list[Change]] = field(default_factory=dict)
    commits: int = 0  # commits that touch the content folder
    head: str | None = None

    @property
    def available(self) -> bool:
        return self.status == "ok"

    @property
    def reason(self) -> str:
        """Why the history is unavailable (empty when it is available)."""
        if self.available:
            return ""
        text = REASONS[self.status]
        return f"{text}: {self.detail}" if self.detail else text

    def of(self, record_id: str) -> list[Change]:
        """The commits that changed ``record_id``, oldest first (empty outside git)."""
        return self.changes.get(record_id, [])

    def ids(self) -> Iterable[str]:
        return self.changes.keys()


def unavailable(status: Status, detail: str = "") -> History:
    return History(status=status, detail=detail)


# -- git ---------------------------------------------------------------------------------------

class _GitError(Exception):
    pass


def _git(args: list[str], cwd: Path, data: bytes | None = None) -> bytes:
    try:
        proc = subprocess.Popen(["git", "-c", "core.quotepath=off", *args], cwd=cwd, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except FileNotFoundError:
        raise _GitError("no-git") from None
    except OSError as exc:
        raise _GitError(str(exc)) from None

    def feed() -> None:
        try:
            if data:
                proc.stdin.write(data)  # type: ignore[union-attr]
            proc.stdin.close()  # type: ignore[union-attr]
        except OSError:
            pass  # git stopped reading: its exit status says why

    # Large outputs are read in one go (communicate() polls in small pieces) while a thread writes
    # the input, so neither side waits for the other; a git that hangs is stopped.
    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    timer = threading.Timer(GIT_TIMEOUT_S, proc.kill)
    timer.start()
    try:
        out = proc.stdout.read()  # type: ignore[union-attr]
        err = proc.stderr.read()  # type: ignore[union-attr]
        proc.wait()
    finally:
        timer.cancel()
        writer.join()
    if proc.returncode != 0:
        message = err.decode("utf-8", "replace").strip().splitlines()
        raise _GitError(message[0] if message else f"git {args[0]} failed")
    return out


@dataclass(frozen=True)
class Repository:
    """The git work tree a content folder lives in."""

    content: Path  # the content folder (git commands run there; paths are relative to it)
    shallow: bool


def locate(content: Path) -> Repository | History:
    """The repository holding ``content``, or the unavailable history saying why there is none."""
    if not content.is_dir():
        return unavailable("outside-git")
    try:
        out = _git(["rev-parse", "--is-inside-work-tree", "--is-shallow-repository"], content)
    except _GitError as exc:
        if str(exc) == "no-git":
            return unavailable("no-git")
        return unavailable("outside-git")
    lines = out.decode().split()
    if not lines or lines[0] != "true":
        return unavailable("outside-git")
    return Repository(content, shallow=len(lines) > 1 and lines[1] == "true")


def is_shallow(content: Path) -> bool:
    """Whether ``content`` is in a shallow clone (``build`` warns: its pages show no history)."""
    repo = locate(content)
    return isinstance(repo, Repository) and repo.shallow


class Blobs:
    """Blob id -> the records in that version of a file, each blob read and parsed once.

    A blob's content never changes, so what was parsed is kept between runs, by blob id, in the
    repository's own git folder (``.git/clause8/``, never committed; delete it at will): a build,
    ``serve``'s rebuilds and every edition after the first read only the versions they have not
    seen."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        self._records: dict[str, dict[str, dict[str, Any]]] = {}
        self._cache_file = _cache_file(repo)
        self._cached: dict[str, dict[str, dict[str, Any]]] | None = None

    def _cache(self) -> dict[str, dict[str, dict[str, Any]]]:
        if self._cached is None:
            self._cached = {}
            if self._cache_file is not None and self._cache_file.is_file():
                try:
                    with self._cache_file.open("rb") as f:
                        cached = pickle.load(f)  # noqa: S301 - our own file, in the repository's git folder
                    if isinstance(cached, dict):
                        self._cached = cached
                except Exception:  # noqa: BLE001 - a damaged cache is only slower: the blobs are read again
                    self._cached = {}
        return self._cached

    def load(self, blob_ids: Iterable[str]) -> None:
        """Read every blob of ``blob_ids`` not read yet (nor kept from an earlier run) with one ``git
        cat-file --batch``, and parse them in the order given: versions of one file one after the
        other share their parsed parts (:class:`Parts`)."""
        wanted = list(dict.fromkeys(b for b in blob_ids if b != _NO_BLOB and b not in self._records))
        if not wanted:
            return
        cache = self._cache()
        missing = []
        for blob in wanted:
            known = cache.get(blob)
            if known is None:
                missing.append(blob)
            else:
                self._records[blob] = known
        if not missing:
            return
        out = _git(["cat-file", "--batch"], self.repo.content, ("\n".join(missing) + "\n").encode())
        pos = 0
        parts = Parts()
        for blob in missing:
            end = out.index(b"\n", pos)
            header = out[pos:end].split()
            pos = end + 1
            if len(header) < 3 or header[1] != b"blob":  # not here (a partial clone): no records, not kept
                self._records[blob] = {}
                continue
            size = int(header[2])
            self._records[blob] = cache[blob] = records_in(out[pos:pos + size], parts)
            pos += size + 1
        self._save(cache)

    def _save(self, cache: dict[str, dict[str, dict[str, Any]]]) -> None:
        if self._cache_file is None:
            return
        try:
            self._cache_file.parent.mkdir(exist_ok=True)
            for stale in self._cache_file.parent.glob("history-*.pickle"):
                if stale != self._cache_file:
                    stale.unlink(missing_ok=True)
            tmp = self._cache_file.with_name(f".{self._cache_file.name}.{os.getpid()}")
            with tmp.open("wb") as f:
                pickle.dump(cache, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self._cache_file)  # whole or not at all, for builds running side by side
        except OSError:
            pass  # a read-only checkout: no cache, the same history

    def records(self, blob: str) -> dict[str, dict[str, Any]]:
        if blob == _NO_BLOB:
            return {}
        return self._records.get(blob, {})


def _cache_file(repo: Repository) -> Path | None:
    """Where parsed versions are kept: the git folder, under a name that changes with the reader."""
    try:
        common = _git(["rev-parse", "--git-common-dir"], repo.content).decode().strip()
    except _GitError:
        return None
    return (repo.content / common).resolve() / "clause8" / f"history-{_reader_digest()}.pickle"


@functools.cache
def _reader_digest() -> str:
    """A digest of the code that turns a blob into records: a new reader, a new cache."""
    from . import yamldoc

    digest = hashlib.sha256()
    for module in (yamldoc.__file__, __file__):
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()[:16]


# Lines that start in the first column (not blank, not indented, not a comment). In a file of one
# record: a plain key starts a part, a list item goes on with the key above, anything else is refused;
# in a file of a list of records: an item starts a part, anything else is refused.
_FIRST = re.compile(r"^[^ \t#\r\n]", re.M)
_CONTENT = re.compile(r"^[ \t]*[^ \t#\r\n]", re.M)
_ITEM = re.compile(r"-(?: |\r?$)", re.M)
_KEYS = re.compile(r"^(?:(?P<key>[A-Za-z_][A-Za-z0-9_.-]*):(?= |\r?$)|(?P<other>(?!-(?: |\r?$))[^ \t#\r\n]))", re.M)
_ITEMS = re.compile(r"^(?:(?P<item>-)(?= |\r?$)|(?P<other>[^ \t#\r\n]))", re.M)


class Parts:
    """Parsed top-level parts of record files, by their text: versions of a file share most of their
    text, and a part seen before (a field, an item of a list file) is not parsed again.

    A file is cut at its lines that start in the first column: each must start a plain key (``key:``)
    or a list item (``- ``). The parts not seen before are read together, and must read as exactly
    those keys or items; anything else (flow collections, document markers, duplicate keys) is read
    whole. Either way it is the project's YAML reader that reads it."""

    def __init__(self) -> None:
        self._values: dict[str, Any] = {}

    def read(self, text: str) -> Any:
        cut = _cut(text)
        if cut is not None:
            listed, parts = cut
            known = self._values
            new = [(name, part) for name, part in parts if part not in known]
            if not new or self._learn(listed, new):
                if listed:
                    return [known[part] for _, part in parts]
                if len({name for name, _ in parts}) == len(parts):
                    return {name: known[part] for name, part in parts}
        return parse(text, positions=False).value

    def _learn(self, listed: bool, new: list[tuple[str, str]]) -> bool:
        """Read the parts not seen before, all at once; False when they do not read as themselves."""
        joined = "".join(part if part.endswith("\n") else part + "\n" for _, part in new)
        doc = parse(joined, positions=False)
        if doc.problems:
            return False
        value = doc.value
        if listed:
            if not isinstance(value, list) or len(value) != len(new):
                return False
            for (_, part), item in zip(new, value):
                self._values[part] = item
            return True
        if not isinstance(value, dict) or list(value) != [name for name, _ in new]:
            return False
        for name, part in new:
            self._values[part] = value[name]
        return True


def _cut(text: str) -> tuple[bool, list[tuple[str, str]]] | None:
    """(list file, [(key or '', part text)]) or None when the file cannot be cut safely.

    A record file's parts start at its lines in the first column: keys (``key:``), whose values may
    go on in lines below them, list items written in the first column included; or, in a file
    holding a list of records, items (``- ``)."""
    first = _FIRST.search(text)
    if first is None or _CONTENT.search(text, 0, first.start()):
        return None  # nothing to cut, or indented text before the first key
    listed = _ITEM.match(text, first.start()) is not None
    bounds: list[tuple[int, str]] = []
    for m in (_ITEMS if listed else _KEYS).finditer(text, first.start()):
        kind = m.lastgroup
        if kind == "other":
            return None
        bounds.append((m.start(), m.group("key") if kind == "key" else ""))
    ends = [b for b, _ in bounds[1:]] + [len(text)]
    return listed, [(name, text[b:e]) for (b, name), e in zip(bounds, ends)]


def records_in(data: bytes, parts: Parts | None = None) -> dict[str, dict[str, Any]]:
    """The records of one version of a file, by id (a file the loader would refuse gives none)."""
    if len(data) > MAX_FILE_BYTES:
        return {}
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return {}
    value = parts.read(text) if parts is not None else parse(text, positions=False).value
    items = [value] if isinstance(value, dict) else value if isinstance(value, list) else []
    out: dict[str, dict[str, Any]] = {}
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("id"), str) and isinstance(item.get("kind"), str):
            out.setdefault(item["id"], normalised(item))
    return out


def normalised(record: dict[str, Any]) -> dict[str, Any]:
    """A raw record as the models read it where text matters: ``version: 1.10`` is '1.10', not 1.1."""
    version = record.get("version")
    if isinstance(version, ScalarFloat):
        return {**record, "version": version.raw}
    if isinstance(version, int) and not isinstance(version, bool):
        return {**record, "version": str(version)}
    return record


_MISSING: Any = object()


def _wanted(path: str) -> bool:
    return path.endswith(YAML_SUFFIXES) and not any(part.startswith(".") for part in path.split("/"))


def _commits(raw: bytes) -> Iterator[tuple[Commit, list[tuple[str, str, str]]]]:
    """(commit, [(blob before, blob after, path)]) from ``git log -z --raw`` output."""
    tokens = raw.decode("utf-8", "replace").split("\0")
    commit: Commit | None = None
    entries: list[tuple[str, str, str]] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        stripped = token.lstrip("\n")
        if stripped.startswith(_SEP_COMMIT):
            if commit is not None:
                yield commit, entries
            sha, committed, authored, author, subject = (stripped[1:].split(_SEP_FIELD, 4) + [""] * 5)[:5]
            commit = Commit(sha, dt.datetime.fromisoformat(committed), dt.datetime.fromisoformat(authored),
                            author, subject)
            entries = []
        elif stripped.startswith(":") and i < len(tokens):
            meta = stripped[1:].split()
            path = tokens[i]
            i += 1
            if len(meta) >= 5 and _wanted(path):
                entries.append((meta[2], meta[3], path))
    if commit is not None:
        yield commit, entries


def read_history(content: Path) -> History:
    """Every committed change of every record under ``content`` (see the module docstring)."""
    repo = locate(content)
    if isinstance(repo, History):
        return repo
    if repo.shallow:
        return unavailable("shallow")
    try:
        _git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], content)
    except _GitError:
        return unavailable("uncommitted")  # a repository without a commit yet
    try:
        log = _git(["log", "-z", f"--format={_FORMAT}", "--raw", "--no-renames", "--no-abbrev", "--relative",
                    "--topo-order", "--reverse", "--", "."], content)
        commits = list(_commits(log))
        if not commits:
            return unavailable("uncommitted")
        blobs = Blobs(repo)
        by_file: dict[str, list[str]] = {}
        for _, entries in commits:
            for old, new, path in entries:
                by_file.setdefault(path, []).extend((old, new))
        blobs.load(b for versions in by_file.values() for b in versions)
        head = _git(["rev-parse", "HEAD"], content).decode().strip()
    except _GitError as exc:
        return unavailable("failed", str(exc))
    history = History(status="ok", commits=len(commits), head=head)
    for commit, entries in commits:
        before: dict[str, tuple[dict[str, Any], str]] = {}
        after: dict[str, tuple[dict[str, Any], str]] = {}
        for old, new, path in entries:
            for rid, data in blobs.records(old).items():
                before.setdefault(rid, (data, path))
            for rid, data in blobs.records(new).items():
                after.setdefault(rid, (data, path))
        for rid in sorted(before.keys() | after.keys()):
            was, now = before.get(rid), after.get(rid)
            if was is not None and now is not None and was[0] == now[0]:
                continue  # untouched, or moved to another file unchanged (unchanged parts are shared: Parts)
            history.changes.setdefault(rid, []).append(
                Change(commit, was[0] if was else None, now[0] if now else None, (now or was)[1]))  # type: ignore[index]
    return history


# -- the records at a past commit (--since) ------------------------------------------------------

class SinceError(ValueError):
    """``--since`` names nothing git can find, or the history to look in is unavailable."""


def resolve(content: Path, since: str) -> Commit | None:
    """The commit ``since`` names: a commit, tag or branch, else a date (YYYY-MM-DD: the last commit
    before that day began). None for a date before the first commit (everything is new since then).

    Raises :class:`SinceError` when there is no history to look in or ``since`` names nothing.
    """
    repo = locate(content)
    if isinstance(repo, History):
        raise SinceError(f"--since needs the git history, but {repo.reason}")
    if repo.shallow:
        raise SinceError(f"--since needs the git history, but {REASONS['shallow']}")
    try:
        sha = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{since}^{{commit}}"], content)
        args = [sha.decode().strip()]
    except _GitError:
        try:
            day = dt.date.fromisoformat(since)
        except ValueError:
            raise SinceError(f"--since '{since}' is neither a commit, tag or branch of the repository nor a date "
                             "(YYYY-MM-DD)") from None
        try:
            found = _git(["rev-list", "-1", f"--before={day.isoformat()}T00:00:00", "HEAD"], content).decode().strip()
        except _GitError as exc:
            raise SinceError(f"--since: {exc}") from None
        if not found:
            return None
        args = [found]
    try:
        raw = _git(["log", "-1", "-z", f"--format={_FORMAT}", *args, "--"], content)
    except _GitError as exc:
        raise SinceError(f"--since: {exc}") from None
    return next(_commits(raw))[0]


def records_at(content: Path, commit: Commit | None) -> dict[str, dict[str, Any]]:
    """Every record under ``content`` as committed in ``commit`` (none for None), by id."""
    if commit is None:
        return {}
    repo = locate(content)
    if not isinstance(repo, Repository):
        raise SinceError(f"--since needs the git history, but {repo.reason}")
    try:
        listing = _git(["ls-tree", "-r", "-z", commit.sha, "--", "."], content)
        files = []
        for entry in listing.decode("utf-8", "replace").split("\0"):
            meta, _, path = entry.partition("\t")
            parts = meta.split()
            if len(parts) == 3 and parts[1] == "blob" and _wanted(path):
                files.append((parts[2], path))
        blobs = Blobs(repo)
        blobs.load(blob for blob, _ in files)
    except _GitError as exc:
        raise SinceError(f"--since: {exc}") from None
    out: dict[str, dict[str, Any]] = {}
    for blob, _ in sorted(files, key=lambda f: f[1]):
        for rid, data in blobs.records(blob).items():
            out.setdefault(rid, data)
    return out


__all__ = ["Change", "Commit", "History", "SinceError", "is_shallow", "read_history", "records_at",
           "records_in", "resolve"]
