"""The offline bundle: the whole site in one zip that opens from file://, with a manifest.

Reproducible: entries sorted, timestamps from SOURCE_DATE_EPOCH, fixed permissions, so the same
content and epoch give a byte-identical zip. ``MANIFEST.sha256`` (``sha256sum`` format) lists
every file; an optional detached SSH signature of the manifest (``ssh-keygen -Y sign``) lets a
holder check the copy is genuine with ``verify --allowed-signers``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = "MANIFEST.sha256"
SIGNATURE = "MANIFEST.sha256.sig"
NAMESPACE = "clause8-bundle"


def _zip_time(epoch: int) -> tuple[int, int, int, int, int, int]:
    stamp = dt.datetime.fromtimestamp(max(epoch, 315532800), dt.timezone.utc)  # zip cannot go before 1980
    return (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second - stamp.second % 2)


def manifest_text(files: dict[str, bytes]) -> str:
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


@dataclass
class Verification:
    """What ``verify`` found: every changed, missing or extra file, and the signature result."""

    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    signer: str | None = None

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing or self.extra or self.problems)


def verify_bundle(bundle: Path, allowed_signers: Path | None = None) -> Verification:
    result = Verification()
    try:
        zf = zipfile.ZipFile(bundle)
    except (OSError, zipfile.BadZipFile) as exc:
        result.problems.append(f"not a readable zip: {exc}")
        return result
    with zf:
        names = set(zf.namelist())
        if MANIFEST not in names:
            result.problems.append(f"{MANIFEST} is missing: this is not a bundle, or it was altered")
            return result
        manifest = zf.read(MANIFEST)
        listed: dict[str, str] = {}
        for line in manifest.decode("utf-8", "replace").splitlines():
            digest, _, name = line.partition("  ")
            listed[name] = digest
        for name, digest in sorted(listed.items()):
            if name not in names:
                result.missing.append(name)
            elif hashlib.sha256(zf.read(name)).hexdigest() != digest:
                result.changed.append(name)
        result.extra = sorted(names - set(listed) - {MANIFEST, SIGNATURE})
        if allowed_signers is not None:
            if SIGNATURE not in names:
                result.problems.append(f"{SIGNATURE} is missing: the bundle is not signed")
            else:
                _check_signature(manifest, zf.read(SIGNATURE), allowed_signers, result)
    return result


def _check_signature(manifest: bytes, signature: bytes, allowed: Path, result: Verification) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        sig = Path(tmp) / SIGNATURE
        sig.write_bytes(signature)
        found = subprocess.run(["ssh-keygen", "-Y", "find-principals", "-s", str(sig), "-f", str(allowed)],
                               capture_output=True, text=True)
        principal = found.stdout.strip().splitlines()[0] if found.returncode == 0 and found.stdout.strip() else None
        if principal is None:
            result.problems.append("signature is not from any key in the allowed signers file")
            return
        check = subprocess.run(["ssh-keygen", "-Y", "verify", "-f", str(allowed), "-I", principal, "-n", NAMESPACE,
                                "-s", str(sig)], input=manifest, capture_output=True)
        if check.returncode != 0:
            result.problems.append("signature does not match the manifest")
        else:
            result.signer = principal
