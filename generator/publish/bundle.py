"""The offline bundle: the whole site in one zip that opens from file://, with a manifest.

Reproducible: entries sorted, timestamps from SOURCE_DATE_EPOCH, fixed permissions, so the same
content and epoch give a byte-identical zip. ``MANIFEST.sha256`` (``sha256sum`` format) lists
every file; an optional detached SSH signature of the manifest (``ssh-keygen -Y sign``) lets a
holder check the copy is genuine with ``verify --allowed-signers``.

``verify_bundle`` checks a copy someone holds - the zip, or the folder it was unzipped into - and
must survive a hostile one: it checks the signature before it trusts a manifest line, lists
before it reads, reads every entry in chunks and never beyond the size the copy declares, and
turns every kind of damage into a message instead of a traceback.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import tempfile
import zipfile
from pathlib import Path


MANIFEST = "MANIFEST.sha256"
SIGNATURE = "MANIFEST.sha256.sig"
NAMESPACE = "clause8-bundle"


def _zip_time(epoch: int) -> tuple[int, int, int, int, int, int]:
    stamp = dt.datetime.fromtimestamp(max(epoch, 315532800), dt.timezone.utc)  # zip cannot go before 1980
    return (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second - stamp.second % 2)


def manifest_text(files: dict[str, bytes]) -> str:
    """``sha256sum`` output for ``files`` (path -> bytes), sorted by path."""
    return "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items()))


def sign_manifest(manifest: bytes, key: Path) -> bytes:
    """Detached SSH signature of the manifest (``ssh-keygen -Y sign``)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / MANIFEST
        path.write_bytes(manifest)
        proc = subprocess.run(["ssh-keygen", "-Y", "sign", "-f", str(key), "-n", NAMESPACE, str(path)],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            raise ValueError(f"signing failed: {proc.stderr.strip()}")
        return (Path(tmp) / f"{MANIFEST}.sig").read_bytes()


def write_bundle(site_dir: Path, out_zip: Path, epoch: int, sign_key: Path | None = None) -> Path:
    """Zip ``site_dir`` (plus manifest and signature) into ``out_zip``, atomically."""
    files = {p.relative_to(site_dir).as_posix(): p.read_bytes() for p in sorted(site_dir.rglob("*")) if p.is_file()}
    manifest = manifest_text(files).encode()
    extra = {MANIFEST: manifest}
    if sign_key is not None:
        extra[SIGNATURE] = sign_manifest(manifest, sign_key)
    out_zip.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_zip.with_name(f".{out_zip.name}.tmp")
    when = _zip_time(epoch)
    with zipfile.ZipFile(tmp, "w") as zf:
        for name, data in sorted({**files, **extra}.items()):
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            zf.writestr(info, data, compresslevel=9)
    tmp.replace(out_zip)
    return out_zip
