"""Benchmark ``clause8 import`` on 100,000 generated ticket rows and 100,000 generated alerts.

    python bench/bench_import.py [--rows 100000] [--sources freshdesk alertmanager] [--runs 3] [--keep DIR] [--check]

For each source:

1. writes N rows in the tool's export layout (a Freshdesk ticket CSV whose rows are all complaints,
   spread over 36 months; an Alertmanager JSON array of resolved critical alerts) and a mapping, into
   a temporary folder (or DIR with --keep), next to a copy of the example organisation without its
   imported kinds;
2. times ``python -m generator import SOURCE FILE --mapping M --content DIR --no-check --period ...``
   as a subprocess, ``--runs`` times into a fresh copy of the content, keeping the best wall time
   (the machine's speed varies); peak RSS is the child's own (``os.wait4``), CPU time the child's
   and its workers';
3. imports the same file again and times that too (every record is found unchanged, nothing is written);
4. with --check, times ``python -m generator check`` on the result (informational: a check of
   100,000 records is a separate cost from the import, see docs/performance.md).

Targets for the first import of each source: under 10 s and under 300 MB. Exit 0 if every target
passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 10.0
TARGET_MB = 300.0
IMPORTED_FILES = ("availability/outages.yaml", "availability/monitoring-coverage.yaml",
                  "relationship/complaints.yaml", "security/security-incidents.yaml")
COMPANIES = {"PT Bank Arunika Sejahtera": "ORG-BANK", "RS Medika Harapan Group": "ORG-HOSP",
             "PT Samudra Kargo Logistik": "ORG-LOGI",
             "Dinas Komunikasi dan Informatika Provinsi Sumatera Tengah": "ORG-GOV"}
PRODUCTS = {"Managed Email": "SVC-MAIL", "Cloud Hosting": "SVC-HOST", "Service Desk": "SVC-DESK",
            "Managed Network / SD-WAN": "SVC-WAN"}
FRESHDESK_HEADER = ["Ticket ID", "Subject", "Status", "Priority", "Source", "Type", "Agent", "Group", "Created time",
                    "Due by Time", "Resolved time", "Closed time", "Last update time", "Initial response time", "Tags",
                    "Product", "Company Name", "Full name", "Email", "Work phone"]


def run_measured(cmd: list[str], cwd: Path) -> tuple[float, float, int, str, float]:
    """Run ``cmd``; return (wall seconds, peak RSS in MB of that process, exit code, output, CPU seconds).

    CPU is user + system time of the process and the workers it waited for (os.wait4): on a busy
    machine it says more than the wall time about what the import itself costs."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), text, usage.ru_utime + usage.ru_stime


def _stamp(rng: random.Random, months: int = 36) -> float:
    return 1704042000 + rng.random() * months * 30.4 * 86400  # from 2024-01-01 00:00 WIB


def _wib(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(seconds + 7 * 3600))


def write_freshdesk(folder: Path, rows: int) -> tuple[Path, Path]:
    rng = random.Random(20261124)
    export = folder / "tickets.csv"
    with open(export, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(FRESHDESK_HEADER)
        companies, products = list(COMPANIES), list(PRODUCTS)
        for n in range(rows):
            created = _stamp(rng)
            resolved = created + rng.randint(600, 5 * 86400)
            closed = resolved + rng.randint(3600, 3 * 86400)
            escalated = rng.random() < 0.05
            status = rng.choice(["Closed"] * 8 + ["Resolved", "Open"])
            out.writerow([
                100000 + n, f"Complaint {n}: service slower than agreed for branch {rng.randint(1, 400)}", status,
                rng.choice(["Low", "Medium", "High", "Urgent"]), rng.choice(["Email", "Portal", "Phone", "Chat"]),
                "Complaint", "Dewi Lestari", "Service Management" if escalated else "Service Desk", _wib(created),
                _wib(created + 86400), _wib(resolved) if status != "Open" else "",
                _wib(closed) if status == "Closed" else "", _wib(closed), _wib(created + 900),
                "escalated, vip" if escalated else "", rng.choice(products), rng.choice(companies),
                f"Requester {n}", f"requester{n}@customer.example", f"+62 21 555 {n % 10000:04d}"])
    mapping = folder / "freshdesk.yaml"
    mapping.write_text(json.dumps({
        "extends": "freshdesk", "defaults": {"owner": "PER-LINA"},
        "outputs": {"complaints": {"fields": {"customer": {"map": COMPANIES}, "service": {"map": PRODUCTS},
                                              "escalated_to": {"map": {"Service Management": "PER-RINA"}}}},
                    "workload": {"enabled": False}}}), encoding="utf-8")  # JSON is YAML
    return export, mapping


def write_alertmanager(folder: Path, rows: int) -> tuple[Path, Path]:
    rng = random.Random(20261125)
    export = folder / "alerts.json"
    services = ["email", "hosting", "desk", "wan"]
    with open(export, "w", encoding="utf-8") as f:
        f.write("[\n")
        for n in range(rows):
            start = _stamp(rng)
            end = start + rng.randint(60, 4 * 3600)
            alert = {
                "annotations": {"summary": f"Probe {n % 97} failing for {services[n % 4]}"},
                "endsAt": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(end)),
                "fingerprint": f"{rng.getrandbits(64):016x}",
                "receivers": [{"name": "noc-pager"}],
                "startsAt": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(start)),
                "status": {"inhibitedBy": [], "silencedBy": [], "state": "unprocessed"},
                "updatedAt": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(end)),
                "generatorURL": "http://prometheus.nld.example:9090/graph?g0.expr=probe_success+%3D%3D+0",
                "labels": {"alertname": "ProbeFailed", "instance": f"probe-{n % 97}:9115", "job": "blackbox",
                           "service": services[n % 4], "severity": "critical"},
            }
            f.write(("  " if n == 0 else ",\n  ") + json.dumps(alert))
        f.write("\n]\n")
    mapping = folder / "alertmanager.yaml"
    mapping.write_text(json.dumps({
        "extends": "alertmanager", "defaults": {"owner": "PER-MAYA"},
        "outputs": {"outages": {"fields": {"service": {"map": {"email": "SVC-MAIL", "hosting": "SVC-HOST",
                                                               "desk": "SVC-DESK", "wan": "SVC-WAN"}}}}}}),
        encoding="utf-8")
    return export, mapping


WRITERS = {"freshdesk": write_freshdesk, "alertmanager": write_alertmanager}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--sources", nargs="+", choices=sorted(WRITERS), default=["freshdesk", "alertmanager"])
    parser.add_argument("--keep", type=Path, default=None, help="write everything here and keep it")
    parser.add_argument("--runs", type=int, default=3, help="first imports per source; the best wall time counts")
    parser.add_argument("--check", action="store_true", help="also time `check` on the imported content")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="bench-import-"))
    base.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.system()} "
          f"{platform.release()} {platform.machine()}; load {os.getloadavg()[0]:.2f}")
    ok = True
    try:
        for source in args.sources:
            folder = base / source
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            export, mapping = WRITERS[source](folder, args.rows)
            size = export.stat().st_size / 1024 / 1024
            cmd = [sys.executable, "-m", "generator", "import", source, str(export), "--mapping", str(mapping),
                   "--content", str(folder / "content"), "--no-check", "--period", "2024-01-01..2026-12-31"]
            env_cmd = cmd
            runs = []
            for _ in range(max(1, args.runs)):
                shutil.rmtree(folder / "content", ignore_errors=True)
                shutil.copytree(ROOT / "content", folder / "content")
                for rel in IMPORTED_FILES:
                    (folder / "content" / rel).unlink()
                load = os.getloadavg()[0]
                first = run_measured(env_cmd, ROOT)
                if first[2] != 0:
                    print(first[3][-3000:])
                    return 1
                runs.append((first, load))
            first, load = min(runs, key=lambda r: r[0][0])
            walls = ", ".join(f"{r[0][0]:.2f} (load {r[1]:.1f})" for r in runs)
            files = sum(1 for _ in (folder / "content").rglob("*-20[0-9][0-9]-[0-9][0-9]*.yaml"))
            again = run_measured(env_cmd, ROOT)
            unchanged = "nothing changed" in again[3]
            peak = max(r[0][1] for r in runs)
            passed = first[0] < TARGET_SECONDS and peak < TARGET_MB
            ok = ok and passed and unchanged and again[2] == 0
            print(f"\n{source}: {args.rows:,} rows, export {size:.1f} MB -> {files} month files")
            print(f"  first import   {first[0]:6.2f} s  cpu {first[4]:6.2f} s  peak {peak:6.1f} MB   "
                  f"{'PASS' if passed else 'FAIL'} (< {TARGET_SECONDS:g} s, < {TARGET_MB:g} MB), best of {walls}")
            print(f"  same again     {again[0]:6.2f} s  cpu {again[4]:6.2f} s  peak {again[1]:6.1f} MB   "
                  f"{'nothing changed' if unchanged else 'CHANGED: FAIL'}   (load {os.getloadavg()[0]:.2f})")
            print("  " + "\n  ".join(line for line in first[3].splitlines() if not line.startswith("wrote ")))
            if args.check:
                check = run_measured([sys.executable, "-m", "generator", "check", "--content",
                                      str(folder / "content"), "--today", "2026-12-31"], ROOT)
                print(f"  check after    {check[0]:6.2f} s  peak {check[1]:6.1f} MB   "
                      f"({check[3].strip().splitlines()[-1]})")
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    print("\nresult:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
