"""`python -m generator serve` rebuilds when a YAML file under the content folder changes."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "site"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
            return response.read().decode()
    except OSError:
        return None


def wait_for(predicate, seconds: float = 60) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def test_serve_reloads_when_content_changes(tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--content", str(content), "--dev-addr", f"127.0.0.1:{port}",
         "--today", "2026-11-24"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    url = f"http://127.0.0.1:{port}/records/service/SVC-MAIL/"
    try:
        assert wait_for(lambda: "Managed email" in (fetch(url) or "")), "serve did not come up"
        service = content / "services" / "mail.yaml"
        service.write_text(service.read_text().replace("title: Managed email", "title: Managed email and chat"))
        assert wait_for(lambda: "Managed email and chat" in (fetch(url) or "")), "the edit was not picked up"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
