"""Record history from git: every committed version of every record, read in one pass.

One ``git log`` over the content folder lists, commit by commit, the YAML files each commit
changed with the blob ids before and after; one ``git cat-file --batch`` reads those blobs; each
blob is parsed once with the project's YAML reader (:mod:`generator.yamldoc`) and split into its
records by id. The result holds, per record id, the commits that changed it and what the record
was before and after each of them (its raw YAML mapping, not a validated model: an old version
may not fit today's models, and the differences are about what was written).

No ``git log`` per file, and never a failure: outside a git work tree, without git, in a shallow
clone (whose oldest commits hide everything before them) or for a folder never committed, the
history is *unavailable* and says why; the site prints that sentence instead of a history.

This module runs git and nothing else; what the history means (edition scoping, approval
coverage, differences) is in :mod:`generator.revisions` and :mod:`generator.differences`.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .loader import MAX_FILE_BYTES, PARALLEL_MIN_FILES, YAML_SUFFIXES
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
        proc = subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=cwd, input=data,
                              capture_output=True, timeout=GIT_TIMEOUT_S)
    except FileNotFoundError:
        raise _GitError("no-git") from None
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise _GitError(str(exc)) from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise _GitError(message[0] if message else f"git {args[0]} failed")
    return proc.stdout


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
    """Blob id -> the records in that version of a file, each blob read and parsed once."""

    def __init__(self, repo: Repository, workers: int | None = None) -> None:
        self.repo = repo
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self._records: dict[str, dict[str, dict[str, Any]]] = {}

    def load(self, blob_ids: Iterable[str]) -> None:
        """Read every blob of ``blob_ids`` not read yet, with one ``git cat-file --batch``; parse them on
        every CPU when there are many (the loader's rule)."""
        wanted = sorted({b for b in blob_ids if b != _NO_BLOB and b not in self._records})
        if not wanted:
            return
        out = _git(["cat-file", "--batch"], self.repo.content, ("\n".join(wanted) + "\n").encode())
        pos = 0
        found: list[tuple[str, bytes]] = []
        for blob in wanted:
            end = out.index(b"\n", pos)
            header = out[pos:end].split()
            pos = end + 1
            if len(header) < 3 or header[1] != b"blob":  # missing (a partial clone): no records
                self._records[blob] = {}
                continue
            size = int(header[2])
            found.append((blob, out[pos:pos + size]))
            pos += size + 1
        del out
        if self.workers > 1 and len(found) >= PARALLEL_MIN_FILES:
            self._records.update(_parse_parallel(found, self.workers))
        else:
            self._records.update((blob, records_in(data)) for blob, data in found)

    def records(self, blob: str) -> dict[str, dict[str, Any]]:
        if blob == _NO_BLOB:
            return {}
        return self._records.get(blob, {})


def _parse_chunk(chunk: list[tuple[str, bytes]]) -> list[tuple[str, dict[str, dict[str, Any]]]]:
    return [(blob, records_in(data)) for blob, data in chunk]


def _parse_parallel(found: list[tuple[str, bytes]], workers: int) -> Iterator[tuple[str, dict[str, dict[str, Any]]]]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    try:
        ctx = multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - platforms without fork
        yield from _parse_chunk(found)
        return
    size = max(1, len(found) // (workers * 4))
    chunks = [found[i:i + size] for i in range(0, len(found), size)]
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        for parsed in pool.map(_parse_chunk, chunks):
            yield from parsed


def records_in(data: bytes) -> dict[str, dict[str, Any]]:
    """The records of one version of a file, by id (a file the loader would refuse gives none)."""
    if len(data) > MAX_FILE_BYTES:
        return {}
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return {}
    value = parse(text, positions=False).value
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


def _identical(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down (``1`` is not ``true``, ``1.10`` is not ``1.1``)."""
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_identical(v, b[k]) for k, v in a.items())
    if isinstance(a, list):
        return len(a) == len(b) and all(_identical(x, y) for x, y in zip(a, b))
    if isinstance(a, ScalarFloat):
        return a.raw == b.raw
    return bool(a == b)


def _share(was: dict[str, Any], now: dict[str, Any]) -> bool:
    """Whether ``now`` is ``was`` unchanged; else its unchanged fields become ``was``'s own values.

    Consecutive versions of a record mostly hold the same values: sharing them keeps one copy in
    memory, and lets the differences skip them by identity."""
    same = was.keys() == now.keys()
    for key, value in now.items():
        old = was.get(key, _MISSING)
        if old is value:
            continue
        if old is not _MISSING and _identical(old, value):
            now[key] = old
        else:
            same = False
    return same


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
        blobs.load(b for _, entries in commits for old, new, _ in entries for b in (old, new))
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
            if was is not None and now is not None:
                if _share(was[0], now[0]):
                    continue  # untouched, or moved to another file unchanged
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
