"""Shared helpers for end-to-end tests: a local HTTP server for a built site, headless Chromium.

Debian's chromium and chromium-driver are used (/usr/bin/chromium, /usr/bin/chromedriver); nothing
is downloaded. When they are missing, ``.ci/install-browser`` is run once; when they are still
missing the calling test fails (CI installs them, so a missing browser is an error, not a skip).
"""

from __future__ import annotations

import contextlib
import functools
import subprocess
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROME_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,900")


def _browser_present() -> bool:
    return Path(CHROMIUM).is_file() and Path(CHROMEDRIVER).is_file()


@functools.cache
def ensure_browser() -> None:
    """Make sure chromium and chromedriver exist, installing them once; fail the test if not."""
    if _browser_present():
        return
    script = ROOT / ".ci" / "install-browser"
    result = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=900)
    if not _browser_present():
        pytest.fail(f"chromium/chromedriver not found at {CHROMIUM} and {CHROMEDRIVER} after running "
                    f"{script} (exit {result.returncode}):\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")


def start_chrome(tmp_path: Path):
    """A headless Chromium webdriver with a fresh profile under ``tmp_path``. The caller quits it.

    Dialogs (``alert``) are left open rather than auto-dismissed, so tests can detect them with
    ``driver.switch_to.alert``. Works for http:// and file:// pages alike.
    """
    ensure_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = Path(tmp_path) / "chrome-profile"
    profile.mkdir(parents=True, exist_ok=True)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.unhandled_prompt_behavior = "ignore"
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    return driver


class _QuietHandler(SimpleHTTPRequestHandler):
    def __init__(self, *args, extra_headers: dict[str, str], **kwargs) -> None:  # noqa: ANN002, ANN003
        self.extra_headers = extra_headers
        super().__init__(*args, **kwargs)

    def end_headers(self) -> None:
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - signature of the base class
        pass


@contextlib.contextmanager
def serve(directory: Path, headers: dict[str, str] | None = None) -> Iterator[tuple[str, Callable[[], None]]]:
    """Serve ``directory`` on 127.0.0.1 at a free port; yields ``(base_url, stop)``.

    ``headers`` are sent with every response (e.g. a Content-Security-Policy).

    ``base_url`` ends with a slash. ``stop`` shuts the server down early; leaving the block stops it too.
    """
    handler = functools.partial(_QuietHandler, directory=str(directory), extra_headers=headers or {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    stopped = False

    def stop() -> None:
        nonlocal stopped
        if not stopped:
            stopped = True
            server.shutdown()
            server.server_close()
            thread.join(timeout=10)

    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", stop
    finally:
        stop()

