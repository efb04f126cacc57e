"""Where a build came from: when it was built, from which commit and which content version."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Provenance:
    built_epoch: int
    commit: str | None
    content_version: str
    changed_epoch: int | None = None  # the last commit that touched the content (None outside git)

    @property
    def built(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.built_epoch, dt.timezone.utc)

    @property
    def changed(self) -> dt.datetime | None:
        return dt.datetime.fromtimestamp(self.changed_epoch, dt.timezone.utc) if self.changed_epoch else None


def _git(args: list[str], cwd: Path) -> str | None:
    try:
        out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else None


def build_epoch() -> int:
    """When this copy is built: ``SOURCE_DATE_EPOCH`` if set (reproducible builds), else now.

    A copy's age (the footer, the stale-copy warning, the bundle's file name) counts from when it
    was made, not from the last commit: a bundle made today from month-old records is fresh.
    """
    env = os.environ.get("SOURCE_DATE_EPOCH")
    if env and env.strip().isdigit():
        return int(env)
    return int(time.time())


def build_day(epoch: int | None = None) -> dt.date:
    """The day statuses are judged on when no ``--today`` is given: the UTC day of the build time
    (``epoch``, default :func:`build_epoch`), so a copy never judges as of a day other than the one
    its footer says it was made (and a ``SOURCE_DATE_EPOCH`` build judges as of that day)."""
    return dt.datetime.fromtimestamp(build_epoch() if epoch is None else epoch, dt.timezone.utc).date()


def content_changed_epoch(content: Path) -> int | None:
    """The time of the last commit that touched ``content`` (None outside git or before any commit)."""
    cwd = content if content.is_dir() else Path.cwd()
    stamp = _git(["log", "-1", "--format=%ct", "--", "."], cwd)
    return int(stamp) if stamp and stamp.isdigit() else None


def stated_dates(t, prov: Provenance, today: dt.date, preview: bool = False) -> str:  # t: i18n.Translator
    """The dates a copy states about itself, as escaped HTML for the footer: when the copy was made
    (and from which commit), when the content last changed, and the day its statuses are judged on.

    The judging day is named only when it is not the day the copy was made (a ``--today`` build),
    so no page contradicts the date it states. A preview (serve) names neither the commit nor the
    content's last change: they change with every save.
    """
    import html

    text = f'{t("ui.copy_made")} {prov.built.strftime("%Y-%m-%d %H:%M UTC")}'
    if prov.commit and not preview:
        text += f' {t("ui.built_commit")} {html.escape(prov.commit)}'
    if prov.changed and not preview:
        text += f' · {t("ui.content_changed")} {prov.changed.strftime("%Y-%m-%d")}'
    if today != prov.built.date():
        text += f' · {html.escape(t("ui.statuses_as_of", today=today.isoformat()))}'
    return text


def content_version(content: Path) -> str:
    """A short hash of every content file's path and bytes: same content, same version."""
    digest = hashlib.sha256()
    for path in sorted(p for p in content.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml", ".md")):
        digest.update(path.relative_to(content).as_posix().encode())
        digest.update(b"\0")
        digest.update(_file_digest(path))
    return digest.hexdigest()[:12]


# Each file's digest by where it is and its modification time, size and inode (as the loader's
# cache tells a changed file): serve works the version out at every save, and reading every file
# again cost more than the rest of a save's work on the pages. A file modified in the last
# seconds is read every time (file times are coarser than the writes that can follow each other).
_DIGESTS: dict[str, tuple[tuple[int, int, int], bytes]] = {}
SETTLED_NS = 3_000_000_000


def _file_digest(path: Path) -> bytes:
    st = path.stat()
    stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
    known = _DIGESTS.get(str(path))
    if known is not None and known[0] == stamp:
        return known[1]
    digest = hashlib.sha256(path.read_bytes()).digest()
    if time.time_ns() - st.st_mtime_ns > SETTLED_NS:
        _DIGESTS[str(path)] = (stamp, digest)
    return digest


def provenance(content: Path, epoch: int | None = None) -> Provenance:
    cwd = content if content.is_dir() else Path.cwd()
    return Provenance(build_epoch() if epoch is None else epoch, _git(["rev-parse", "--short=12", "HEAD"], cwd), content_version(content),
                      content_changed_epoch(content))
