"""The README's screenshots, made from a real build of the records (``make screenshots``).

Builds the auditor edition (home page, an SLA page, the compliance matrix) and the continuity
edition (the emergency pack) of ``--content`` with the command line, serves each over a local
HTTP server and photographs the pages in headless Chromium (Debian's chromium and chromedriver,
as the browser tests use them) 1366 px wide, and the emergency pack on a 390x844 phone screen too.
The build time is the last commit's (``SOURCE_DATE_EPOCH``, as CI sets it), so the same commit
gives the same pictures. PNGs are reduced to 256 colours.

    python tools/screenshots.py [--content content] [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars", "--force-device-scale-factor=1")

# (file name, edition, page under the site, viewport)
SHOTS = (
    ("home.png", "auditor", "", (1366, 1200)),
    ("sla.png", "auditor", "records/sla/SLA-HOST-BANK/#targets", (1366, 1100)),
    ("compliance-matrix.png", "auditor", "compliance/", (1366, 1700)),
    ("emergency-pack.png", "continuity", "emergency/", (1366, 900)),
    ("emergency-pack-phone.png", "continuity", "emergency/", (390, 844)),
)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def build(content: Path, edition: str, site: Path, epoch: str) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch}
    done = subprocess.run([sys.executable, "-m", "generator", "build", "--content", str(content), "--edition", edition,
                           "--site-dir", str(site), "--config", str(ROOT / "mkdocs.yml")], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:  # the findings and the reason, only when the build failed
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"the {edition} edition did not build (exit {done.returncode})")


def last_commit_epoch() -> str:
    out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True)
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip().isdigit() else str(int(time.time()))


def chrome(profile: Path):  # -> selenium webdriver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def shoot(driver, url: str, size: tuple[int, int]) -> bytes:  # noqa: ANN001 - a selenium webdriver
    width, height = size
    # The viewport, not the window, is what the page lays out in.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
    driver.get(url)
    for _ in range(100):
        if driver.execute_script("return document.readyState") == "complete":
            break
        time.sleep(0.1)
    driver.execute_script("document.fonts && document.fonts.ready")
    time.sleep(0.5)  # the theme's fade-ins
    return driver.get_screenshot_as_png()


def small_png(data: bytes) -> bytes:
    """The screenshot in 256 colours (a fraction of the size; text stays sharp)."""
    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        out, format="PNG", optimize=True)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    if not (Path(CHROMIUM).is_file() and Path(CHROMEDRIVER).is_file()):
        print(f"screenshots need {CHROMIUM} and {CHROMEDRIVER} (make browser-deps)", file=sys.stderr)
        return 2
    epoch = last_commit_epoch()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="clause8-screenshots-") as tmp:
        sites = {}
        for edition in sorted({edition for _, edition, _, _ in SHOTS}):
            sites[edition] = Path(tmp) / edition
            print(f"building the {edition} edition", file=sys.stderr)
            build(args.content.resolve(), edition, sites[edition], epoch)
        driver = chrome(Path(tmp) / "profile")
        try:
            for name, edition, page, size in SHOTS:
                with serve(sites[edition]) as base:
                    png = small_png(shoot(driver, base + page, size))
                (args.out / name).write_bytes(png)
                print(f"wrote {args.out / name} ({len(png) // 1024} KiB)")
        finally:
            driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
