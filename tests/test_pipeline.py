"""Trustworthy output: reproducible builds, and a killed build leaves the previous output alone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "site"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def generator(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "generator", *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env={**os.environ, **(env or {})})


def kill_once(proc: subprocess.Popen[bytes], writing) -> None:  # noqa: ANN001 - a predicate
    """SIGKILL ``proc`` as soon as ``writing()`` says it is writing its output."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and not writing():
        time.sleep(0.05)
    assert proc.poll() is None, "the command finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def test_two_builds_are_byte_identical(tmp_path: Path):
    env = {"SOURCE_DATE_EPOCH": "1790000000"}
    for name in ("a", "b"):
        proc = generator("build", "--content", str(FIXTURE), "--site-dir", str(tmp_path / name),
                         "--today", "2026-11-24", env=env)
        assert proc.wait(timeout=120) == 0
    first, second = tree(tmp_path / "a"), tree(tmp_path / "b")
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_build_killed_midway_leaves_previous_site(tmp_path: Path, synthetic_content: Path):
    site = tmp_path / "site"
    proc = generator("build", "--content", str(FIXTURE), "--site-dir", str(site), "--today", "2026-11-24")
    assert proc.wait(timeout=120) == 0
    before = tree(site)
    # 300 records take a few seconds: kill the build once mkdocs is writing pages.
    proc = generator("build", "--content", str(synthetic_content), "--site-dir", str(site), "--today", "2026-11-24")
    kill_once(proc, lambda: any(any(p.rglob("*.html")) for p in tmp_path.glob(".site.build-*")))
    assert tree(site) == before
    # The next build clears what the killed one left behind.
    proc = generator("build", "--content", str(FIXTURE), "--site-dir", str(site), "--today", "2026-11-24")
    assert proc.wait(timeout=120) == 0
    assert list(tmp_path.glob(".site.build-*")) == []


def _build_stderr(tmp_path: Path, use_pty: bool, ci: bool) -> str:
    import pty

    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci:
        env["CI"] = "true"
    cmd = [sys.executable, "-m", "generator", "build", "--content", str(FIXTURE), "--site-dir",
           str(tmp_path / "site"), "--today", "2026-11-24"]
    if not use_pty:
        return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120).stderr
    leader, follower = pty.openpty()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    proc.wait(timeout=120)
    os.close(leader)
    return out.decode(errors="replace")


def test_progress_on_a_terminal_quiet_in_ci_and_pipes(tmp_path: Path):
    assert "… checking" in _build_stderr(tmp_path, use_pty=True, ci=False)
    assert _build_stderr(tmp_path, use_pty=True, ci=True) == ""
    assert _build_stderr(tmp_path, use_pty=False, ci=False) == ""


def test_bundle_killed_midway_leaves_previous_dist(tmp_path: Path, synthetic_content: Path):
    dist = tmp_path / "dist"
    proc = generator("bundle", "--content", str(FIXTURE), "--out", str(dist), "--today", "2026-11-24",
                     env={"SOURCE_DATE_EPOCH": "1790000000"})
    assert proc.wait(timeout=120) == 0
    before = tree(dist)
    assert len(before) == 1
    # Same epoch, so the same file name: a kill must not leave a half-written zip under it.
    proc = generator("bundle", "--content", str(synthetic_content), "--out", str(dist), "--today", "2026-11-24",
                     env={"SOURCE_DATE_EPOCH": "1790000000", "TMPDIR": str(tmp_path)})
    kill_once(proc, lambda: any(tmp_path.glob("clause8-bundle-*/**/*.html")))
    assert tree(dist) == before
