"""Verify a copy of the offline bundle (the zip or its unzipped folder): the signature first, then every
changed, missing, extra or damaged file and every unsafe entry; says which edition and build it is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import os
import re
import stat
import subprocess
import tempfile
import unicodedata
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO

from .bundle import MANIFEST, NAMESPACE, SIGNATURE


# --- verify -------------------------------------------------------------------------------------

MANIFEST_LIMIT = 16 * 2**20  # a manifest line is ~100 bytes: far more than MAX_ENTRIES lines need
SIGNATURE_LIMIT = 64 * 2**10  # an SSH signature is a few hundred bytes
INDEX_LIMIT = 8 * 2**20  # index.html, read for the build date and edition
TOTAL_LIMIT = 2 * 2**30  # bytes one verify reads at most, whatever the copy declares
CENTRAL_DIRECTORY_LIMIT = 4 * 2**20  # zipfile holds ~550 bytes per entry listed: stays under ~50 MB
MAX_ENTRIES = 50_000
CHUNK = 2**20

FILE, DIR, LINK, OTHER = "file", "folder", "symbolic link", "special file"


class Refused(ValueError):
    """The copy is larger than ``verify`` is willing to read."""


class Oversized(ValueError):
    """An entry yielded more bytes than the copy declares for it."""


# What reading a damaged or hostile copy raises; each becomes a ``damaged:`` line.
DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError, ValueError)


@dataclass(frozen=True)
class Entry:
    """One item of a copy - zip member or file in the unzipped folder - as listed, before any read."""

    name: str  # as stored, "/"-separated; folders end with "/"
    kind: str  # FILE, DIR, LINK or OTHER
    mode: int  # permission bits including setuid/setgid/sticky; 0 when the zip records none
    size: int  # the size the copy declares: never read beyond it
    open: Callable[[], IO[bytes]]


@dataclass
class Verification:
    """What ``verify`` found: every changed, missing, extra or damaged file, and the signature result."""

    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    damaged: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    signer: str | None = None  # set only when the signature was checked and is good
    signed: bool | None = None  # the copy carries a signature, checked or not (None: never got that far)
    signature_checked: bool = False  # an allowed-signers file was given
    matched: int = 0
    edition: str | None = None
    built: dt.datetime | None = None

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing or self.extra or self.damaged or self.problems)

    def report(self) -> list[str]:
        """Diagnostic lines (for standard error): findings, the copy's edition, the authentication hint."""
        lines = [f"error: {p}" for p in self.problems] + [f"damaged: {d}" for d in self.damaged]
        lines += [f"changed: {n}" for n in self.changed] + [f"missing: {n}" for n in self.missing]
        lines += [f"extra: {n}" for n in self.extra]
        if self.edition or self.built:
            edition = f"{self.edition} edition" if self.edition else "unknown edition"
            built = f", built {self.built:%Y-%m-%d %H:%M} UTC" if self.built else ""
            lines.append(f"copy: {edition}{built}")
        if not self.signature_checked and self.signed is not None:
            lines.append("note: NOT authenticated: " + (
                "the copy carries a signature, but it was NOT checked; give --allowed-signers FILE "
                "with the published key to check it" if self.signed else
                "the copy is not signed, so whoever changed a file could have rewritten the manifest too"))
        return [_shown(line) for line in lines]

    def verdict(self) -> str:
        """One line for standard output: ok (and whether authenticated) or what failed."""
        if self.ok:
            head = f"ok: all {self.matched} files match the manifest"
            if self.signer:
                return _shown(f"{head}, signed by {self.signer}")
            why = "signature not checked" if self.signed else "not signed"
            return f"{head}, but the copy is NOT authenticated ({why})"
        errors = "error" if len(self.problems) == 1 else "errors"
        counts = [(len(self.changed), "changed"), (len(self.missing), "missing"), (len(self.extra), "extra"),
                  (len(self.damaged), "damaged"), (len(self.problems), errors)]
        return "FAILED: " + ", ".join(f"{n} {what}" for n, what in counts if n)


def verify_bundle(copy: Path, allowed_signers: Path | None = None, require_signature: bool = False) -> Verification:
    """Check a copy - the bundle zip, or the folder it was unzipped into - against its manifest.

    With ``allowed_signers`` the signature is checked first, and nothing in the manifest is used
    unless it is good. ``require_signature`` fails a copy whose signature was not checked.
    """
    result = Verification(signature_checked=allowed_signers is not None)
    try:
        with _open_copy(copy) as (entries, layout_problems):
            result.problems += layout_problems
            _verify(entries, allowed_signers, result)
    except Refused as exc:
        result.problems.append(str(exc))
    except DAMAGE as exc:
        result.damaged.append(_reason(exc))
    if require_signature and allowed_signers is None:
        result.problems.append("--require-signature: no signature was checked; give --allowed-signers FILE")
    return result


def _verify(entries: list[Entry], allowed_signers: Path | None, result: Verification) -> None:
    """Check listed entries into ``result``.

    The order is the point: checks of the listing itself, then the signature over the raw
    manifest bytes, and only then are manifest lines parsed and files read.
    """
    result.problems += _entry_problems(entries)
    files = _rooted(entries)
    manifest_entry = _regular(files, MANIFEST)
    if manifest_entry is None:
        result.problems.append(f"{MANIFEST} is missing: this is not a bundle, or it was altered")
        return
    manifest = _read_small(manifest_entry, MANIFEST_LIMIT, result)
    signature_entry = _regular(files, SIGNATURE)
    signature = _read_small(signature_entry, SIGNATURE_LIMIT, result) if signature_entry else None
    result.signed = signature_entry is not None
    if manifest is None:
        return
    if allowed_signers is not None:
        if signature is None:
            if signature_entry is None:
                result.problems.append(f"{SIGNATURE} is missing: the copy is not signed; {_NOT_COMPARED}")
            return
        if not _check_signature(manifest, signature, allowed_signers, result):
            return
    listed, line_errors = parse_manifest(manifest)
    result.problems += [f"{MANIFEST} {error}" for error in line_errors]
    if "index.html" in _compare(files, listed, result):
        _describe_copy(files["index.html"], result)


_NOT_COMPARED = "the files were not compared against a manifest that is not authenticated"


# --- listing a copy: zip or folder --------------------------------------------------------------

@contextmanager
def _open_copy(copy: Path) -> Iterator[tuple[list[Entry], list[str]]]:
    """The copy's entries and the problems of its layout, from the zip or the unzipped folder."""
    if copy.is_dir():
        yield _folder_entries(copy), []
        return
    with copy.open("rb") as fp:
        _check_central_directory(fp)
        with zipfile.ZipFile(fp) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ENTRIES:
                raise Refused(f"the zip lists {len(infos)} entries, more than the {MAX_ENTRIES} verify reads")
            yield [_zip_entry(zf, info) for info in infos], _layout_problems(zf)


def _check_central_directory(fp: IO[bytes]) -> None:
    """Refuse a zip whose table of contents alone would take too much memory to parse."""
    try:  # the same reader ZipFile uses, so the size checked is the size ZipFile would read
        end = zipfile._EndRecData(fp)  # type: ignore[attr-defined]
    except OSError:  # shorter than an end record
        end = None
    if not end:
        raise zipfile.BadZipFile("File is not a zip file")
    size = end[5]  # zipfile._ECD_SIZE
    if size > CENTRAL_DIRECTORY_LIMIT:
        raise Refused(f"the zip's table of contents is {size} bytes, more than the "
                      f"{CENTRAL_DIRECTORY_LIMIT} a genuine bundle needs")


def _zip_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Entry:
    return Entry(info.filename, _zip_kind(info), stat.S_IMODE(info.external_attr >> 16), info.file_size,
                 partial(_open_member, zf, info))


def _zip_kind(info: zipfile.ZipInfo) -> str:
    """The entry's type from its Unix mode bits; zips that record none (Windows) go by the name."""
    fmt = stat.S_IFMT(info.external_attr >> 16)
    named_dir = info.filename.endswith("/")
    kind = _kind(fmt) if fmt else (DIR if named_dir else FILE)
    if (kind == DIR) != named_dir or (kind == DIR and info.file_size):
        return OTHER  # a folder without the trailing "/", a file with one, or a folder with bytes
    return kind


def _open_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> IO[bytes]:
    if info.flag_bits & 0x1:
        raise RuntimeError("encrypted (a bundle never is)")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise NotImplementedError(f"compression method {info.compress_type} is not supported (a bundle uses deflate)")
    return zf.open(info)


def _layout_problems(zf: zipfile.ZipFile) -> list[str]:
    """Data in front of the first entry (another zip prepended), and entries that overlap."""
    infos = sorted(zf.infolist(), key=lambda info: info.header_offset)
    problems = []
    if infos and infos[0].header_offset > 0:
        problems.append(f"{infos[0].header_offset} bytes of other data come before the first entry: "
                        "something (another zip?) was put in front of the bundle")
    ends = [info.header_offset for info in infos[1:]] + [zf.start_dir]
    for info, next_start in zip(infos, ends):
        if info.header_offset + 30 + info.compress_size > next_start:  # 30: the fixed part of a local header
            problems.append(f"{info.filename}: its data overlaps the next entry (a zip-bomb trick)")
    return problems


def _folder_entries(root: Path) -> list[Entry]:
    """Everything under ``root``, without following symbolic links."""
    entries: list[Entry] = []
    pending = [("", root)]
    while pending:
        prefix, folder = pending.pop()
        with os.scandir(folder) as items:
            for item in items:
                info = item.stat(follow_symlinks=False)
                kind = _kind(info.st_mode)
                name = prefix + item.name + ("/" if kind == DIR else "")
                if kind == DIR:
                    pending.append((name, Path(item.path)))
                # A folder's setgid or sticky bit belongs to the holder's disk, not to the copy.
                mode = stat.S_IMODE(info.st_mode) & (0o777 if kind == DIR else 0o7777)
                entries.append(Entry(name, kind, mode, info.st_size, partial(_open_file, Path(item.path))))
                if len(entries) > MAX_ENTRIES:
                    raise Refused(f"the folder holds more than the {MAX_ENTRIES} files and folders verify reads")
    return entries


def _open_file(path: Path) -> IO[bytes]:
    """Open a file of the folder, refusing a symbolic link or special file put there after listing."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    stream = os.fdopen(fd, "rb")
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        stream.close()
        raise OSError(f"{path} is no longer a regular file")
    return stream


def _kind(mode: int) -> str:
    if stat.S_ISREG(mode):
        return FILE
    if stat.S_ISDIR(mode):
        return DIR
    return LINK if stat.S_ISLNK(mode) else OTHER


# --- checks that trust nothing in the copy ------------------------------------------------------

def _entry_problems(entries: list[Entry]) -> list[str]:
    """Duplicate names, unsafe names, entries that are not plain files or folders, unusual modes."""
    problems = [f"{name}: appears {count} times in the zip (unzip tools differ in which one they keep)"
                for name, count in sorted(Counter(e.name for e in entries).items()) if count > 1]
    for entry in entries:
        why = _name_problem(entry.name)
        if why:
            problems.append(f"{entry.name}: {why}")
        if entry.kind in (LINK, OTHER):
            problems.append(f"{entry.name}: is a {entry.kind}; a bundle holds only regular files and folders")
        if entry.mode & ~0o777:
            problems.append(f"{entry.name}: unusual mode {entry.mode:o} (setuid, setgid or sticky); "
                            "a bundle's files are 644")
    return problems


def _name_problem(name: str) -> str | None:
    """Why ``name`` is not a plain relative path, or None."""
    path = name.removesuffix("/")
    if "\\" in path:
        return "contains a backslash"
    if path.startswith("/") or re.match(r"[A-Za-z]:", path):
        return "is an absolute path"
    parts = path.split("/")
    if ".." in parts:
        return "contains a '..' component"
    if "" in parts or "." in parts:
        return "is not a plain relative path"
    if any(unicodedata.category(ch).startswith("C") for ch in path):
        return "contains control or invisible characters"
    return None


def _rooted(entries: list[Entry]) -> dict[str, Entry]:
    """Path inside the copy -> entry, folders left out.

    A re-zip of the unzipped folder (``zip -r copy.zip folder``) puts everything under one top
    folder; when that folder holds the manifest it is the root.
    """
    items = [e for e in entries if e.kind != DIR]
    names = {e.name for e in items}
    prefix = ""
    if MANIFEST not in names and names:
        top = next(iter(names)).partition("/")[0] + "/"
        if f"{top}{MANIFEST}" in names and all(name.startswith(top) for name in names):
            prefix = top
    return {e.name[len(prefix):]: e for e in items}


def _regular(files: dict[str, Entry], name: str) -> Entry | None:
    entry = files.get(name)
    return entry if entry is not None and entry.kind == FILE else None


# --- reading: in chunks, never beyond the declared size -----------------------------------------

def _chunks(entry: Entry) -> Iterator[bytes]:
    """The entry's bytes in chunks; Oversized as soon as there are more than it declares."""
    left = entry.size
    with entry.open() as stream:
        while chunk := stream.read(min(CHUNK, left + 1)):
            left -= len(chunk)
            if left < 0:
                raise Oversized(f"holds more bytes than the {entry.size} it declares")
            yield chunk


def _digest(entry: Entry) -> str:
    sha = hashlib.sha256()
    for chunk in _chunks(entry):
        sha.update(chunk)
    return sha.hexdigest()


def _read_small(entry: Entry, limit: int, result: Verification) -> bytes | None:
    """The whole of a small entry (manifest, signature, index.html), or None with the reason recorded."""
    if entry.size > limit:
        result.problems.append(f"{entry.name} is {entry.size} bytes, more than the {limit} a genuine one can be")
        return None
    try:
        return b"".join(_chunks(entry))
    except DAMAGE as exc:
        result.damaged.append(f"{entry.name}: {_reason(exc)}")
        return None


def _reason(exc: BaseException) -> str:
    """A one-line reason a read failed, for a ``damaged:`` line."""
    text = str(exc)
    if isinstance(exc, zlib.error):
        return "compressed data is corrupt"
    if isinstance(exc, EOFError):
        return "compressed data ends early (truncated)"
    if isinstance(exc, zipfile.BadZipFile) and "CRC" in text:
        return "CRC check failed (the bytes were altered or damaged)"
    if isinstance(exc, zipfile.BadZipFile) and "not a zip file" in text:
        return "not a zip file (truncated, or not a bundle at all)"
    return text or type(exc).__name__


# --- the manifest and the signature -------------------------------------------------------------

_LINE = re.compile(r"(?P<digest>[0-9A-Fa-f]{64}) [ *](?P<name>.+)")  # text and binary mode
_TAG_LINE = re.compile(r"SHA256 \((?P<name>.+)\) = (?P<digest>[0-9A-Fa-f]{64})")  # sha256sum --tag


MAX_LINE_ERRORS = 20


def parse_manifest(data: bytes) -> tuple[dict[str, str], list[str]]:
    """Name -> lower-case digest from ``sha256sum`` output, and one ``line N: why`` per unreadable line.

    Accepts what ``sha256sum`` writes: text (``<hex>  name``) and binary (``<hex> *name``) mode,
    ``--tag`` lines, upper-case hex, a UTF-8 byte-order mark, CRLF line ends. Stops after
    ``MAX_LINE_ERRORS`` unreadable lines or ``MAX_ENTRIES`` names, so a hostile manifest cannot
    fill the memory.
    """
    listed: dict[str, str] = {}
    first_seen: dict[str, int] = {}
    errors: list[str] = []
    for number, raw in enumerate(_lines(data), 1):
        if len(errors) >= MAX_LINE_ERRORS or len(listed) >= MAX_ENTRIES:
            errors.append(f"line {number}: not read, nor any line after it: too many unreadable lines or names")
            break
        parsed = _parse_line(raw.removesuffix(b"\r"))
        if isinstance(parsed, str):
            errors.append(f"line {number}: {parsed}")
        elif parsed[0] in first_seen:
            errors.append(f"line {number}: {parsed[0]} is listed again (first on line {first_seen[parsed[0]]})")
        else:
            listed[parsed[0]], first_seen[parsed[0]] = parsed[1], number
    return listed, errors


def _lines(data: bytes) -> Iterator[bytes]:
    """The lines of ``data`` one at a time, after a UTF-8 byte-order mark; no empty line after the last newline."""
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    while start < len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        yield data[start:end]
        start = end + 1


def _parse_line(raw: bytes) -> tuple[str, str] | str:
    """(name, digest) from one manifest line, or why it cannot be read."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError:
        return "is not UTF-8 text"
    if not line.strip():
        return "is empty"
    if line.startswith("\\"):
        return "has an escaped file name (a backslash or line break in the name; a bundle has none)"
    match = _LINE.fullmatch(line) or _TAG_LINE.fullmatch(line)
    if match:
        why = _name_problem(match["name"])
        return f"{match['name']}: {why}" if why else (match["name"], match["digest"].lower())
    head = line.split(None, 1)[0]
    if not re.fullmatch(r"[0-9A-Fa-f]+", head):
        return "does not start with a SHA-256 checksum (64 hexadecimal digits)"
    if len(head) != 64:
        return f"the checksum has {len(head)} hexadecimal digits, SHA-256 has 64"
    return "the checksum must be followed by two spaces (or a space and '*') and the file name"


def _check_signature(manifest: bytes, signature: bytes, allowed: Path, result: Verification) -> bool:
    """Check the detached signature with ``ssh-keygen -Y``; record the signer or the problem."""
    with tempfile.TemporaryDirectory() as tmp:
        sig = Path(tmp) / SIGNATURE
        sig.write_bytes(signature)
        try:
            found = subprocess.run(["ssh-keygen", "-Y", "find-principals", "-s", str(sig), "-f", str(allowed)],
                                   capture_output=True, timeout=60)
            principals = found.stdout.decode("utf-8", "replace").split() if found.returncode == 0 else []
            if not principals:
                result.problems.append(f"signature is not from any key in the allowed signers file; {_NOT_COMPARED}")
                return False
            check = subprocess.run(["ssh-keygen", "-Y", "verify", "-f", str(allowed), "-I", principals[0],
                                    "-n", NAMESPACE, "-s", str(sig)], input=manifest, capture_output=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as exc:
            result.problems.append(f"cannot check the signature with ssh-keygen: {exc}")
            return False
    if check.returncode != 0:
        result.problems.append(f"signature does not match the manifest; {_NOT_COMPARED}")
        return False
    result.signer = principals[0]
    return True


# --- comparing ----------------------------------------------------------------------------------

def _compare(files: dict[str, Entry], listed: dict[str, str], result: Verification) -> set[str]:
    """Hash every listed file in chunks; name the changed, missing, extra and damaged ones.

    Returns the names that matched.
    """
    present = {name for name, entry in files.items() if entry.kind == FILE} - {MANIFEST, SIGNATURE}
    total = sum(files[name].size for name in present & set(listed))
    if total > TOTAL_LIMIT:
        result.problems.append(f"the listed files declare {total} bytes, more than the {TOTAL_LIMIT} verify reads")
        return set()
    matched = set()
    for name in sorted(listed):
        if name not in files:
            result.missing.append(name)
        elif name in present:  # a listed symbolic link or special file is already an error
            try:
                digest = _digest(files[name])
            except DAMAGE as exc:
                result.damaged.append(f"{name}: {_reason(exc)}")
                continue
            if digest == listed[name]:
                matched.add(name)
            else:
                result.changed.append(name)
    result.extra = sorted(present - set(listed))
    result.matched = len(matched)
    return matched


_BUILT = re.compile(rb'<span id="clause8-built" data-built="(\d{1,12})"')
_EDITION = re.compile(rb'<strong id="clause8-edition">([^<]{1,200})</strong>')


def _describe_copy(index: Entry, result: Verification) -> None:
    """The build date and edition from the footer of the (verified) ``index.html``."""
    page = _read_small(index, INDEX_LIMIT, result) if index.size <= INDEX_LIMIT else None
    if page is None:
        return
    if edition := _EDITION.search(page):
        result.edition = html.unescape(edition[1].decode("utf-8", "replace")).strip() or None
    if built := _BUILT.search(page):
        try:
            result.built = dt.datetime.fromtimestamp(int(built[1]), dt.timezone.utc)
        except (OverflowError, OSError, ValueError):
            pass


def _shown(line: str) -> str:
    """``line`` safe for a terminal: control and invisible characters escaped."""
    return "".join(f"\\u{ord(ch):04x}" if unicodedata.category(ch).startswith("C") else ch for ch in line)
