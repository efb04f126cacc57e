"""Benchmark the author's loop: save a record under ``clause8 serve``, see the edit on the page.

    python bench/bench_serve.py [--records 1000 5000] [--rounds 3]

For each size:

1. synthesises N valid records (bench/synth.py) into a temporary folder;
2. starts ``python -m generator serve --content DIR --today 2026-11-24`` on a free port and waits
   for the first (full) build to be served;
3. edits the title of one record of each of three kinds (a person, an SLA, an outage), ``--rounds``
   times each, and times from the save to the moment the record's page is served with the new
   title (polling every 20 ms); it also checks that the kind's index page, which names the
   record, shows the edit (nothing that names the record is stale);
4. prints the times, their median and worst, and PASS/FAIL against the targets at 5,000 records:
   median under 1 s, worst under 2 s.

Exit status 0 if every target passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from synth import synthesise  # noqa: E402

KINDS = ("person", "sla", "outage")
TIMEOUT = 180.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own local server
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


def wait_for(url: str, text: str, limit: float = TIMEOUT) -> float:
    """Seconds until ``url`` serves a page containing ``text``."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        page = fetch(url)
        if page is not None and text in page:
            return time.perf_counter() - start
        time.sleep(0.02)
    raise TimeoutError(f"{url} did not show {text!r} within {limit:.0f} s")


def one_record(content: Path, kind: str) -> tuple[Path, str, str]:
    """A file holding one record of ``kind`` that serve's edition (internal) shows: (path, id, title line)."""
    for path in sorted(content.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if (re.search(rf"^kind: {kind}$", text, re.M)
                and re.search(r"^classification: (public|internal)$", text, re.M)):
            rid = re.search(r"^id: (.+)$", text, re.M).group(1).strip()
            title = re.search(r"^title: .+$", text, re.M).group(0)
            return path, rid, title
    raise LookupError(f"no {kind} record in {content}")


def measure(records: int, rounds: int) -> list[tuple[str, float, float]]:
    """(kind, seconds to the record's page, seconds to its kind's index page) per edit."""
    tmp = Path(tempfile.mkdtemp(prefix="clause8-bench-serve-"))
    content = tmp / "content"
    synthesise(records, content)
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SOURCE_DATE_EPOCH", None)
    server = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--content", str(content), "--today",
                               "2026-11-24", "--dev-addr", f"127.0.0.1:{port}", "--config", str(ROOT / "mkdocs.yml")],
                              cwd=tmp, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    times = []
    try:
        started = time.perf_counter()
        wait_for(base, "</html>", limit=900)
        print(f"  {records} records: first build served after {time.perf_counter() - started:.1f} s", flush=True)
        for kind in KINDS:
            path, rid, title = one_record(content, kind)
            page = f"{base}records/{kind}/{rid}/"
            index = f"{base}records/{kind}/"
            for n in range(rounds):
                marker = f"Edited {kind} {n} {time.time_ns() % 100000}"
                text = path.read_text(encoding="utf-8")
                path.write_text(text.replace(title, f"title: {marker}", 1), encoding="utf-8")
                title = f"title: {marker}"
                to_page = wait_for(page, marker)
                to_index = to_page + wait_for(index, marker)
                times.append((kind, to_page, to_index))
                print(f"  {records} records: {kind} edit {n + 1}: page {to_page:.2f} s, index page {to_index:.2f} s", flush=True)
                time.sleep(0.3)  # let the watcher settle before the next save
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"bench_serve on {platform.node()} ({os.cpu_count()} CPUs), Python {platform.python_version()}")
    ok = True
    for records in args.records:
        times = measure(records, args.rounds)
        pages = [t[1] for t in times]
        indexes = [t[2] for t in times]
        median, worst = statistics.median(pages), max(pages)
        print(f"{records} records: save -> edited page median {median:.2f} s, worst {worst:.2f} s; "
              f"-> index page naming it median {statistics.median(indexes):.2f} s, worst {max(indexes):.2f} s")
        if records >= 5000:
            passed = median < 1.0 and worst < 2.0
            ok &= passed
            print(f"  target at 5,000 records (median < 1 s, worst < 2 s): {'PASS' if passed else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
