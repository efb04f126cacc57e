"""``verify``: a holder checks a copy (zip or unzipped folder) and cannot be fooled or exhausted by it.

Most cases use a small hand-made copy (a few files and a manifest from ``manifest_text``); one real
signed bundle, built once, serves the end-to-end and signature cases. Each test asserts what the
user sees: the exit code, the verdict on standard output and the diagnostics on standard error.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import struct
import subprocess
import sys
import textwrap
import warnings
import zipfile
import zlib
from pathlib import Path
from typing import NamedTuple

import pytest

from generator.publish import verify as bundle_verify
from generator.publish.bundle import MANIFEST, SIGNATURE, manifest_text
from generator.cli import main
from tests.conftest import ROOT, build_bundle

FIXTURE = ROOT / "tests" / "fixtures" / "site"
EPOCH = 1790000000  # 2026-09-21 14:13 UTC
SIGNER = "continuity@nld.example"
COPY_LINE = "copy: Continuity edition, built 2026-09-21 14:13 UTC"
NOT_COMPARED = "the files were not compared against a manifest that is not authenticated"

INDEX = ('<!doctype html><title>Home</title><footer><span id="clause8-built" data-built="1790000000" '
         'data-max-age-days="30">Built 2026-09-21 14:13 UTC · Edition: '
         '<strong id="clause8-edition">Continuity</strong></span></footer>\n').encode()
SITE = {"index.html": INDEX, "assets/app.js": b"console.log('offline');\n", "404.html": b"<p>not found</p>\n"}
OK_UNSIGNED = "ok: all 3 files match the manifest, but the copy is NOT authenticated (not signed)"


# --- helpers ------------------------------------------------------------------------------------

def member(name: str, mode: int = 0o644, compress: int = zipfile.ZIP_DEFLATED) -> zipfile.ZipInfo:
    """A zip entry as ``write_bundle`` makes it, with Unix ``mode`` (file type bits optional)."""
    info = zipfile.ZipInfo(name, date_time=(2026, 9, 21, 14, 12, 0))
    info.compress_type = compress
    info.external_attr = mode << 16
    info.create_system = 3
    return info


def write_zip(path: Path, items: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate names some tests need
        with zipfile.ZipFile(path, "w") as zf:
            for info, data in items:
                zf.writestr(member(info) if isinstance(info, str) else info, data)
    return path


def small_copy(path: Path, files: dict[str, bytes] = SITE, manifest: bytes | None = None,
               extra: list[tuple[zipfile.ZipInfo | str, bytes]] | None = None) -> Path:
    """A hand-made bundle: ``files``, ``MANIFEST.sha256`` (made by ``manifest_text`` unless given), ``extra``."""
    manifest = manifest_text(files).encode() if manifest is None else manifest
    return write_zip(path, [*sorted(files.items()), (MANIFEST, manifest), *(extra or [])])


def rewrite(src: Path, dst: Path, replace: dict[str, bytes] | None = None, drop: tuple[str, ...] = ()) -> Path:
    """Copy a zip entry by entry, replacing the data of some entries and leaving some out."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            if info.filename not in drop:
                zout.writestr(info, (replace or {}).get(info.filename, zin.read(info)))
    return dst


def raw_zip(path: Path, members: list[tuple[str, int, bytes, int, int]], aliases: dict[str, str] | None = None,
            flags: dict[str, int] | None = None) -> Path:
    """A zip written byte by byte, so its headers can lie: (name, method, stored bytes, CRC, declared size).

    ``aliases`` adds table-of-contents entries pointing at another member's data (overlapping entries);
    ``flags`` sets general-purpose flag bits (1: encrypted).
    """
    body, central, offsets = bytearray(), bytearray(), {}
    records = [(name, name, *rest) for name, *rest in members]
    records += [(alias, target, *next(m[1:] for m in members if m[0] == target))
                for alias, target in (aliases or {}).items()]
    for name, target, method, data, crc, size in records:
        flag = (flags or {}).get(target, 0)
        if name == target:
            offsets[name] = len(body)
            body += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flag, method, 0, 0x21, crc, len(data), size,
                                len(name), 0) + name.encode() + data
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 0x314, 20, flag, method, 0, 0x21, crc, len(data), size,
                               len(name), 0, 0, 0, 0, 0o644 << 16, offsets[target]) + name.encode()
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(records), len(records), len(central), len(body), 0)
    path.write_bytes(bytes(body + central + end))
    return path


def stored(name: str, data: bytes) -> tuple[str, int, bytes, int, int]:
    return name, zipfile.ZIP_STORED, data, zlib.crc32(data), len(data)


def zeros_deflated(mib: int) -> tuple[bytes, int]:
    """A deflate stream of ``mib`` MiB of zeros (~1 KB per MiB) and the CRC of those zeros, made fast:
    one fully flushed block does not refer back, so it can be repeated."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(2**20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    final = zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    crc = 0
    for _ in range(mib):
        crc = zlib.crc32(bytes(2**20), crc)
    return block * mib + final, crc


def unzip(copy: Path, into: Path) -> Path:
    with zipfile.ZipFile(copy) as zf:
        zf.extractall(into)
    return into


class Run(NamedTuple):
    code: int
    out: list[str]
    err: list[str]


@pytest.fixture
def verify(capsys: pytest.CaptureFixture[str]):
    """Run ``python -m generator verify ARGS`` in-process; return exit code, stdout and stderr lines."""
    def run(*args: object) -> Run:
        capsys.readouterr()
        code = main(["verify", *map(str, args)])
        out, err = capsys.readouterr()
        return Run(code, out.splitlines(), err.splitlines())

    return run


class Keys(NamedTuple):
    key: Path
    allowed: Path  # lists the key that signs
    stranger: Path  # lists some other key


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Keys:
    tmp = tmp_path_factory.mktemp("keys")
    for name, comment in (("key", SIGNER), ("other", "x")):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(tmp / name)],
                       check=True)
    (tmp / "allowed").write_text(f"{SIGNER} {(tmp / 'key.pub').read_text().strip()}\n")
    (tmp / "stranger").write_text(f"someone@else.example {(tmp / 'other.pub').read_text().strip()}\n")
    return Keys(tmp / "key", tmp / "allowed", tmp / "stranger")


@pytest.fixture(scope="module")
def signed_bundle(keys: Keys, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One real bundle of the fixture site, signed."""
    return build_bundle(FIXTURE, tmp_path_factory.mktemp("dist"), EPOCH, "--sign-key", str(keys.key))


def files_in(copy: Path) -> int:
    with zipfile.ZipFile(copy) as zf:
        return sum(not info.is_dir() for info in zf.infolist()) - 2  # manifest and signature


# --- end to end, and where the output goes ------------------------------------------------------

def test_genuine_signed_bundle_verifies_and_names_its_edition_and_build_date(verify, signed_bundle: Path, keys: Keys):
    run = verify(signed_bundle, "--allowed-signers", keys.allowed, "--require-signature")
    assert run == (0, [f"ok: all {files_in(signed_bundle)} files match the manifest, signed by {SIGNER}"], [COPY_LINE])


def test_diagnostics_go_to_stderr_and_the_verdict_to_stdout(verify, tmp_path: Path):
    tampered = small_copy(tmp_path / "copy.zip", files={**SITE, "index.html": b"<p>tampered</p>"},
                          manifest=manifest_text(SITE).encode().replace(b"404.html", b"405.html"),
                          extra=[("evil.html", b"<script>alert(1)</script>")])
    run = verify(tampered)
    assert run.code == 1
    assert run.out == ["FAILED: 1 changed, 1 missing, 2 extra"]
    assert run.err[:4] == ["changed: index.html", "missing: 405.html", "extra: 404.html", "extra: evil.html"]
    assert not any(line.startswith("copy:") for line in run.err)  # index.html did not verify: not read for it


def test_a_path_that_does_not_exist_is_a_usage_error(verify, tmp_path: Path):
    assert verify(tmp_path / "nope.zip") == (2, [], [f"error: {tmp_path / 'nope.zip'}: no such zip file or folder"])


# --- 1. streaming with size limits --------------------------------------------------------------

MEASURE = textwrap.dedent("""\
    import resource, subprocess, sys
    proc = subprocess.run([sys.executable, "-m", "generator", "verify", sys.argv[1]], capture_output=True, text=True)
    print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)  # KiB on Linux
    print(proc.returncode)
    sys.stdout.write(proc.stdout + proc.stderr)
""")


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in KiB on Linux")
@pytest.mark.parametrize(("declared", "expected"), [
    (2**30, "changed: index.html"),  # 1 GiB of zeros, ~1 MB compressed, honestly declared: read in chunks
    (1000, "damaged: index.html: CRC check failed (the bytes were altered or damaged)"),  # the header lies
], ids=["1-gib-of-zeros", "header-lies-about-size"])
def test_zip_bomb_keeps_verify_under_100_mb(tmp_path: Path, declared: int, expected: str):
    data, crc = zeros_deflated(1024)
    manifest = manifest_text({"index.html": INDEX}).encode()
    bomb = raw_zip(tmp_path / "bomb.zip", [("index.html", zipfile.ZIP_DEFLATED, data, crc, declared),
                                           stored(MANIFEST, manifest)])
    assert bomb.stat().st_size < 2 * 2**20
    proc = subprocess.run([sys.executable, "-c", MEASURE, str(bomb)], capture_output=True, text=True, cwd=ROOT,
                          check=True)
    peak_kib, code, *lines = proc.stdout.splitlines()
    print(f"peak RSS of verify on {bomb.name} ({declared} bytes declared): {int(peak_kib) / 1024:.1f} MiB")
    assert int(code) == 1 and expected in lines and lines[0].startswith("FAILED")
    assert int(peak_kib) < 100 * 1024


def test_files_declaring_more_than_the_limit_are_not_read(verify, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(bundle_verify, "TOTAL_LIMIT", 100)
    total = sum(map(len, SITE.values()))
    run = verify(small_copy(tmp_path / "copy.zip"))
    assert run.code == 1 and run.out == ["FAILED: 1 error"]
    assert run.err[0] == f"error: the listed files declare {total} bytes, more than the 100 verify reads"


def test_oversized_manifest_is_not_read(verify, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(bundle_verify, "MANIFEST_LIMIT", 100)
    size = len(manifest_text(SITE))
    run = verify(small_copy(tmp_path / "copy.zip"))
    assert run.code == 1
    assert run.err[0] == f"error: {MANIFEST} is {size} bytes, more than the 100 a genuine one can be"


def test_oversized_table_of_contents_is_refused_before_it_is_parsed(verify, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(bundle_verify, "CENTRAL_DIRECTORY_LIMIT", 100)
    run = verify(small_copy(tmp_path / "copy.zip"))
    assert run.code == 1
    assert run.err[0].startswith("error: the zip's table of contents is ")
    assert run.err[0].endswith("bytes, more than the 100 a genuine bundle needs")


def test_reading_stops_at_the_declared_size():
    entry = bundle_verify.Entry("index.html", bundle_verify.FILE, 0o644, 3, lambda: io.BytesIO(b"more than three bytes"))
    with pytest.raises(bundle_verify.Oversized, match="holds more bytes than the 3 it declares"):
        bundle_verify._digest(entry)


def test_overlapping_entries_are_rejected(verify, tmp_path: Path):
    copy = raw_zip(tmp_path / "copy.zip", [stored("index.html", INDEX),
                                           stored(MANIFEST, manifest_text({"index.html": INDEX}).encode())],
                   aliases={"copy.html": "index.html"})
    run = verify(copy)
    assert run.code == 1
    assert "error: index.html: its data overlaps the next entry (a zip-bomb trick)" in run.err


# --- 2. the signature before anything else ------------------------------------------------------

def test_signature_is_checked_before_any_manifest_line_is_trusted(verify, signed_bundle: Path, keys: Keys,
                                                                  tmp_path: Path):
    with zipfile.ZipFile(signed_bundle) as zf:
        files = {i.filename: zf.read(i) for i in zf.infolist() if i.filename not in (MANIFEST, SIGNATURE)}
    files["index.html"] = files["index.html"].replace(b"</body>", b"<p>call +62 000 instead</p></body>")
    forged = manifest_text(files).encode() + b"not a manifest line\n"  # rewritten to match, signature kept
    copy = rewrite(signed_bundle, tmp_path / "forged.zip", {"index.html": files["index.html"], MANIFEST: forged})
    run = verify(copy, "--allowed-signers", keys.allowed)
    assert run == (1, ["FAILED: 1 error"], [f"error: signature does not match the manifest; {NOT_COMPARED}"])


def test_signature_from_a_key_not_allowed_is_rejected(verify, signed_bundle: Path, keys: Keys):
    run = verify(signed_bundle, "--allowed-signers", keys.stranger)
    assert run == (1, ["FAILED: 1 error"],
                   [f"error: signature is not from any key in the allowed signers file; {NOT_COMPARED}"])


def test_unsigned_copy_fails_when_allowed_signers_are_given(verify, signed_bundle: Path, keys: Keys, tmp_path: Path):
    unsigned = rewrite(signed_bundle, tmp_path / "unsigned.zip", drop=(SIGNATURE,))
    run = verify(unsigned, "--allowed-signers", keys.allowed)
    assert run == (1, ["FAILED: 1 error"], [f"error: {SIGNATURE} is missing: the copy is not signed; {NOT_COMPARED}"])


# --- 3. names, duplicates, modes, data in front -------------------------------------------------

S_IFREG, S_IFDIR, S_IFLNK = stat.S_IFREG, stat.S_IFDIR, stat.S_IFLNK


@pytest.mark.parametrize(("entry", "data", "expected"), [
    ("index.html", b"<p>the other one</p>", "index.html: appears 2 times in the zip (unzip tools differ in which "
                                            "one they keep)"),
    ("/etc/cron.d/evil", b"* * * * * root sh", "/etc/cron.d/evil: is an absolute path"),
    ("C:/Windows/evil.bat", b"echo", "C:/Windows/evil.bat: is an absolute path"),
    ("../evil.html", b"<p>outside</p>", "../evil.html: contains a '..' component"),
    ("assets\\..\\..\\evil.html", b"<p>outside</p>", "assets\\..\\..\\evil.html: contains a backslash"),
    ("evil\x1b[2J.html", b"x", "evil\\u001b[2J.html: contains control or invisible characters"),
    (member("link.html", S_IFLNK | 0o777), b"/etc/passwd",
     "link.html: is a symbolic link; a bundle holds only regular files and folders"),
    (member("dev", stat.S_IFCHR | 0o644), b"", "dev: is a special file; a bundle holds only regular files and folders"),
    (member("pipe", stat.S_IFIFO | 0o644), b"",
     "pipe: is a special file; a bundle holds only regular files and folders"),
    (member("run.sh", S_IFREG | 0o4755), b"#!/bin/sh", "run.sh: unusual mode 4755 (setuid, setgid or sticky); "
                                                       "a bundle's files are 644"),
    (member("group.sh", 0o2644), b"#!/bin/sh", "group.sh: unusual mode 2644 (setuid, setgid or sticky); "
                                               "a bundle's files are 644"),
    (member("assets/", S_IFDIR | 0o1777), b"", "assets/: unusual mode 1777 (setuid, setgid or sticky); "
                                               "a bundle's files are 644"),
    (member("notes", S_IFDIR | 0o755), b"", "notes: is a special file; a bundle holds only regular files and folders"),
], ids=["duplicate-name", "absolute", "drive-letter", "dot-dot", "backslash", "terminal-escape", "symlink", "device",
        "fifo", "setuid", "setgid", "sticky-folder", "folder-without-slash"])
def test_hostile_entry_is_rejected(verify, tmp_path: Path, entry: zipfile.ZipInfo | str, data: bytes, expected: str):
    run = verify(small_copy(tmp_path / "copy.zip", extra=[(entry, data)]))
    assert run.code == 1 and run.out[0].startswith("FAILED: ")
    assert f"error: {expected}" in run.err


def test_duplicate_manifest_lines_are_rejected(verify, tmp_path: Path):
    manifest = manifest_text(SITE) + manifest_text({"index.html": b"<p>another index</p>"})
    run = verify(small_copy(tmp_path / "copy.zip", manifest=manifest.encode()))
    assert run.code == 1
    assert run.err[0] == f"error: {MANIFEST} line 4: index.html is listed again (first on line 3)"


def test_zip_put_in_front_of_the_genuine_one_is_rejected(verify, tmp_path: Path):
    evil = small_copy(tmp_path / "evil.zip", files={**SITE, "index.html": b"<p>call +62 000</p>"}).read_bytes()
    genuine = small_copy(tmp_path / "genuine.zip").read_bytes()
    copy = tmp_path / "copy.zip"
    copy.write_bytes(evil + genuine)  # zipfile reads the genuine one at the end; other tools read from the front
    run = verify(copy)
    assert run == (1, ["FAILED: 1 error"], [
        f"error: {len(evil)} bytes of other data come before the first entry: something (another zip?) was put in "
        "front of the bundle", COPY_LINE,
        "note: NOT authenticated: the copy is not signed, so whoever changed a file could have rewritten the "
        "manifest too"])


# --- 4. not authenticated, and --require-signature ----------------------------------------------

def test_copy_whose_signature_was_not_checked_says_not_authenticated(verify, signed_bundle: Path):
    run = verify(signed_bundle)
    assert run.code == 0
    assert run.out == [f"ok: all {files_in(signed_bundle)} files match the manifest, but the copy is NOT "
                       "authenticated (signature not checked)"]
    assert run.err == [COPY_LINE, "note: NOT authenticated: the copy carries a signature, but it was NOT checked; "
                                  "give --allowed-signers FILE with the published key to check it"]


def test_unsigned_copy_says_not_authenticated(verify, tmp_path: Path):
    run = verify(small_copy(tmp_path / "copy.zip"))
    assert run == (0, [OK_UNSIGNED], [
        COPY_LINE,
        "note: NOT authenticated: the copy is not signed, so whoever changed a file could have rewritten the "
        "manifest too"])


def test_require_signature_fails_unless_a_signature_was_checked(verify, signed_bundle: Path, tmp_path: Path):
    for copy in (signed_bundle, small_copy(tmp_path / "copy.zip")):
        run = verify(copy, "--require-signature")
        assert run.code == 1 and run.out == ["FAILED: 1 error"]
        assert run.err[0] == "error: --require-signature: no signature was checked; give --allowed-signers FILE"


# --- 5. damaged zips ----------------------------------------------------------------------------

def _corrupt_stored_byte(copy: Path) -> None:
    data = bytearray(copy.read_bytes())
    at = data.index(b"not found")  # inside 404.html, stored
    data[at] ^= 0x20
    copy.write_bytes(bytes(data))


def _corrupt_deflate_stream(copy: Path) -> None:
    with zipfile.ZipFile(copy) as zf:
        info = zf.getinfo("index.html")
    data = bytearray(copy.read_bytes())
    start = info.header_offset + 30 + len(info.filename)
    data[start:start + info.compress_size] = b"\xff" * info.compress_size  # a reserved block type
    copy.write_bytes(bytes(data))


@pytest.mark.parametrize(("damage", "expected"), [
    (lambda p: p.write_bytes(os.urandom(5000)), "damaged: not a zip file (truncated, or not a bundle at all)"),
    (lambda p: p.write_bytes(b""), "damaged: not a zip file (truncated, or not a bundle at all)"),
    (lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
     "damaged: not a zip file (truncated, or not a bundle at all)"),
    (_corrupt_stored_byte, "damaged: 404.html: CRC check failed (the bytes were altered or damaged)"),
    (_corrupt_deflate_stream, "damaged: index.html: compressed data is corrupt"),
], ids=["garbage", "empty", "truncated", "crc", "deflate-stream"])
def test_damaged_zip_is_reported_without_a_traceback(verify, tmp_path: Path, damage, expected: str):
    copy = small_copy(tmp_path / "copy.zip", files={k: v for k, v in SITE.items() if k != "404.html"},
                      manifest=manifest_text(SITE).encode(),
                      extra=[(member("404.html", compress=zipfile.ZIP_STORED), SITE["404.html"])])
    damage(copy)
    run = verify(copy)
    assert run.code == 1 and run.out[0].startswith("FAILED: ")
    assert expected in run.err
    assert not any("Traceback" in line for line in run.err)


@pytest.mark.parametrize(("compress", "flags", "expected"), [
    (zipfile.ZIP_BZIP2, 0, "compression method 12 is not supported (a bundle uses deflate)"),
    (zipfile.ZIP_LZMA, 0, "compression method 14 is not supported (a bundle uses deflate)"),
    (zipfile.ZIP_STORED, 1, "encrypted (a bundle never is)"),
], ids=["bzip2", "lzma", "encrypted"])
def test_unreadable_entry_is_reported_as_damaged(verify, tmp_path: Path, compress: int, flags: int, expected: str):
    data = SITE["index.html"]  # never decompressed: the method or the flag is refused first
    copy = raw_zip(tmp_path / "copy.zip", [("index.html", compress, data, zlib.crc32(data), len(data)),
                                           stored(MANIFEST, manifest_text({"index.html": data}).encode())],
                   flags={"index.html": flags})
    run = verify(copy)
    assert run.code == 1
    assert f"damaged: index.html: {expected}" in run.err


# --- 6. manifest forms sha256sum writes, and unreadable lines -----------------------------------

def _sha256sum(files: dict[str, bytes], line: str) -> bytes:
    """A manifest with one ``line`` per file; ``line`` uses {hex}, {HEX} and {name}."""
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
    return "".join(line.format(hex=d, HEX=d.upper(), name=n) for n, d in sorted(digests.items())).encode()


@pytest.mark.parametrize("manifest", [
    _sha256sum(SITE, "{hex} *{name}\n"),  # sha256sum --binary
    _sha256sum(SITE, "{HEX}  {name}\n"),  # upper-case hex
    b"\xef\xbb\xbf" + manifest_text(SITE).encode(),  # saved by an editor that adds a byte-order mark
    manifest_text(SITE).replace("\n", "\r\n").encode(),  # CRLF line ends
    _sha256sum(SITE, "SHA256 ({name}) = {hex}\n"),  # sha256sum --tag
    manifest_text(SITE).rstrip("\n").encode(),  # no newline after the last line
], ids=["binary-mode", "upper-case", "bom", "crlf", "tag", "no-final-newline"])
def test_manifest_forms_sha256sum_writes_are_accepted(verify, tmp_path: Path, manifest: bytes):
    run = verify(small_copy(tmp_path / "copy.zip", manifest=manifest))
    assert (run.code, run.out) == (0, [OK_UNSIGNED])


@pytest.mark.parametrize(("line", "why"), [
    ("0" * 63 + "  index.html", "the checksum has 63 hexadecimal digits, SHA-256 has 64"),
    ("hello world", "does not start with a SHA-256 checksum (64 hexadecimal digits)"),
    ("0" * 64 + " index.html", "the checksum must be followed by two spaces (or a space and '*') and the file name"),
    ("0" * 64 + "  ../etc/passwd", "../etc/passwd: contains a '..' component"),
    ("", "is empty"),
    ("\\" + "0" * 64 + "  a\\\\b", "has an escaped file name (a backslash or line break in the name; a bundle has "
                                   "none)"),
    (b"\xff\xfe".decode("latin-1"), "is not UTF-8 text"),
], ids=["short-checksum", "no-checksum", "one-space", "dot-dot", "empty", "escaped", "not-utf8"])
def test_unreadable_manifest_line_names_its_number_and_why(verify, tmp_path: Path, line: str, why: str):
    first, *rest = manifest_text(SITE).splitlines(keepends=True)
    raw = line.encode("latin-1" if why == "is not UTF-8 text" else "utf-8")
    run = verify(small_copy(tmp_path / "copy.zip", manifest=first.encode() + raw + b"\n" + "".join(rest).encode()))
    assert run.code == 1
    assert run.err[0] == f"error: {MANIFEST} line 2: {why}"


# --- 7. the unzipped folder ---------------------------------------------------------------------

def test_unzipped_folder_verifies_like_the_zip(verify, signed_bundle: Path, keys: Keys, tmp_path: Path):
    folder = unzip(signed_bundle, tmp_path / "copy")
    run = verify(folder, "--allowed-signers", keys.allowed)
    assert run == (0, [f"ok: all {files_in(signed_bundle)} files match the manifest, signed by {SIGNER}"], [COPY_LINE])


def test_folder_with_links_special_files_and_extras_is_rejected(verify, tmp_path: Path):
    folder = unzip(small_copy(tmp_path / "copy.zip"), tmp_path / "copy")
    (folder / "assets" / "app.js").unlink()
    (folder / "assets" / "app.js").symlink_to(tmp_path / "elsewhere.js")  # not followed, even if it matched
    (tmp_path / "elsewhere.js").write_bytes(SITE["assets/app.js"])
    (folder / "docs").symlink_to(tmp_path, target_is_directory=True)
    os.mkfifo(folder / "pipe")  # reading it would block forever
    (folder / "notes.txt").write_text("my notes")
    (folder / "run.sh").write_text("#!/bin/sh")
    (folder / "run.sh").chmod(0o4755)
    run = verify(folder)
    assert run.code == 1 and run.out == ["FAILED: 2 extra, 4 errors"]
    assert sorted(run.err[:4]) == sorted([
        "error: assets/app.js: is a symbolic link; a bundle holds only regular files and folders",
        "error: docs: is a symbolic link; a bundle holds only regular files and folders",
        "error: pipe: is a special file; a bundle holds only regular files and folders",
        "error: run.sh: unusual mode 4755 (setuid, setgid or sticky); a bundle's files are 644"])
    assert run.err[4:6] == ["extra: notes.txt", "extra: run.sh"]


# --- 8. re-zipped copies ------------------------------------------------------------------------

def test_rezip_with_folder_entries_and_a_top_folder_verifies(verify, tmp_path: Path):
    # What `zip -r copy.zip nld-records` makes of the unzipped folder.
    files = {**SITE, MANIFEST: manifest_text(SITE).encode()}
    folders = [(member(name, S_IFDIR | 0o755), b"") for name in ("nld-records/", "nld-records/assets/")]
    copy = write_zip(tmp_path / "copy.zip", [*folders, *((member(f"nld-records/{name}", S_IFREG | 0o644), data)
                                                          for name, data in sorted(files.items()))])
    run = verify(copy)
    assert (run.code, run.out, run.err[0]) == (0, [OK_UNSIGNED], COPY_LINE)


def test_top_folder_is_the_root_only_when_it_holds_the_manifest(verify, tmp_path: Path):
    copy = write_zip(tmp_path / "copy.zip", [(f"nld-records/{name}", data) for name, data in sorted(SITE.items())])
    run = verify(copy)
    assert run == (1, ["FAILED: 1 error"], [f"error: {MANIFEST} is missing: this is not a bundle, or it was altered"])
