"""Evidence files: the files records list under ``attachments``, read from ``content/evidence/``.

The loader reads records; this module reads the files they name (and nothing else): size, SHA-256
and whether the bytes are what the name says (a ``.pdf`` that starts like a PDF). The check
(:mod:`generator.checks.attachments`) judges the facts; the site copies the files of the records
an edition carries (:mod:`generator.site.document_control`), reading them again through :meth:`read`,
which refuses anything the facts did not vouch for.

A path must stay inside the content folder (a symbolic link leading out is "missing", never
followed) and name a regular file: the same rules as the loader's.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .loader import Loaded
from .localize import Msg, os_error

CHUNK = 1 << 20

# The first bytes of each allowed type (README "Document control"); text types must be UTF-8 without NUL.
_ZIP = (b"PK\x03\x04",)
_MAGIC: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "xlsx": _ZIP, "docx": _ZIP, "ods": _ZIP, "odt": _ZIP,
    "xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
}
TEXT_SUFFIXES = ("csv", "txt")


@dataclass(frozen=True)
class FileFacts:
    """What an evidence file is: its size and SHA-256, or why it cannot be used."""

    path: str  # as the record writes it: evidence/...
    size: int | None = None
    sha256: str | None = None
    missing: str | None = None  # why there is no usable file: not found, not a regular file, outside content
    type_ok: bool = True  # the bytes are of the type the name says


@dataclass
class Evidence:
    """The facts of every evidence file the records name, by path."""

    root: Path
    files: dict[str, FileFacts] = field(default_factory=dict)

    def facts(self, path: str) -> FileFacts | None:
        return self.files.get(path)

    def read(self, path: str) -> bytes:
        """The bytes of a file the facts vouch for (checked again: the file must not have changed)."""
        facts = self.files.get(path)
        if facts is None or facts.missing or not facts.type_ok:
            raise ValueError(f"{path}: not a usable evidence file")
        data = (self.root / path).read_bytes()
        if hashlib.sha256(data).hexdigest() != facts.sha256:
            raise ValueError(f"{path}: changed while the site was built")
        return data


def _type_ok(suffix: str, head: bytes, text_ok: bool) -> bool:
    if suffix in TEXT_SUFFIXES:
        return text_ok
    if suffix == "webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    return any(head.startswith(m) for m in _MAGIC.get(suffix, ()))


def inspect_file(root: Path, path: str) -> FileFacts:
    """Size, SHA-256 and type of one evidence file under ``root`` (the content folder)."""
    target = root / path
    try:
        real = target.resolve(strict=True)
        real.relative_to(root.resolve())
    except (OSError, RuntimeError):
        return FileFacts(path, missing=Msg("evidence.no-such-file", "no such file"))
    except ValueError:
        return FileFacts(path, missing=Msg("evidence.outside", "a symbolic link leads outside the content folder; "
                                           "it is not followed"))
    try:
        fd = os.open(real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        return FileFacts(path, missing=os_error(exc))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return FileFacts(path, missing=Msg("evidence.not-regular", "not a regular file"))
        digest = hashlib.sha256()
        head = b""
        size = 0
        text_ok = True
        decoder = None
        suffix = path.rsplit(".", 1)[-1]
        if suffix in TEXT_SUFFIXES:
            import codecs

            decoder = codecs.getincrementaldecoder("utf-8")()
        with os.fdopen(fd, "rb", closefd=False) as f:
            while chunk := f.read(CHUNK):
                if not head:
                    head = chunk[:16]
                digest.update(chunk)
                size += len(chunk)
                if decoder is not None and text_ok:
                    try:
                        text_ok = "\0" not in decoder.decode(chunk)
                    except UnicodeDecodeError:
                        text_ok = False
        if decoder is not None and text_ok:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                text_ok = False
    finally:
        os.close(fd)
    return FileFacts(path, size, digest.hexdigest(), type_ok=_type_ok(suffix, head, text_ok))


def inspect_evidence(root: Path, records: Iterable[Loaded]) -> Evidence:
    """The facts of every file the records' ``attachments`` name."""
    evidence = Evidence(root)
    for loaded in records:
        for attachment in loaded.record.attachments:
            if attachment.path not in evidence.files:
                evidence.files[attachment.path] = inspect_file(root, attachment.path)
    return evidence


__all__ = ["Evidence", "FileFacts", "inspect_evidence", "inspect_file"]
