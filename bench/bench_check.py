"""Benchmark ``python -m generator check`` on a large synthetic content tree.

    python bench/bench_check.py [--records 10000] [--keep DIR] [--runs 3]

1. synthesises N valid records (bench/synth.py) into a temporary folder (or DIR with --keep);
2. times ``python -m generator check --content DIR --today 2026-11-24`` as a subprocess, ``--runs``
   times, keeping the best wall time; peak RSS of each run comes from the child's own rusage
   (``os.wait4``), cross-checked with ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``;
   verifies that it reported 0 errors;
3. times check-jsonschema validating the same files against ``schemas/<kind>.schema.json``
   (one invocation per kind, every file named; times summed) and counts the files it rejected
   (informational: the two validators do not enforce exactly the same rules);
4. times the same check on a small tree (``--small`` records, what a pre-commit hook sees) under
   ``python -X importtime``: wall time, the time spent importing, peak RSS, and whether mkdocs,
   matplotlib or WeasyPrint were imported (they must not be: the hook stays light);
5. prints the figures and PASS/FAIL against the targets: 10,000 records in < 3 s, < 300 MB peak,
   faster than check-jsonschema; the small check imports none of the heavy packages.

Exit status 0 if every target passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import synthesise  # noqa: E402

TODAY = "2026-11-24"
TARGET_RECORDS = 10_000
TARGET_SECONDS = 3.0
TARGET_MB = 300.0
# Keep each check-jsonschema command line well under the kernel's argument limit.
MAX_ARGS_BYTES = 100_000
_SCHEMA_COMMENT = re.compile(r"\$schema=\S*?([a-z_]+)\.schema\.json")
_KIND_LINE = re.compile(r"^kind:\s*['\"]?([a-z_]+)", re.M)


def run_measured(cmd: list[str], cwd: Path) -> tuple[float, float, int, str]:
    """Run ``cmd``; return (wall seconds, peak RSS in MB of that process, exit code, stdout)."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    return wall, usage.ru_maxrss / 1024, proc.returncode, text  # ru_maxrss is in KiB on Linux


# Packages `check` must never import (the pre-commit hook runs it on every commit to content/).
HEAVY = ("mkdocs", "material", "mkdocs_macros", "matplotlib", "weasyprint")
_IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( +)(\S+)$")


def imports_of(importtime: str) -> tuple[float, set[str]]:
    """Seconds spent importing (top-level imports, cumulative) and the modules imported,
    from ``python -X importtime``'s report."""
    total_us, modules = 0, set()
    for line in importtime.splitlines():
        m = _IMPORT_LINE.match(line)
        if m:
            modules.add(m.group(4))
            if len(m.group(3)) == 1:  # one space: imported by the program itself, not by a module
                total_us += int(m.group(2))
    return total_us / 1e6, modules


def bench_small(records: int, runs: int, seed: int) -> dict[str, object]:
    """`check` on a small tree under ``-X importtime``: best wall time, import time, peak RSS, heavy imports."""
    with tempfile.TemporaryDirectory(prefix="bench-check-small-") as tmp:
        content = Path(tmp) / "content"
        synthesise(records, content, seed=seed)
        cmd = [sys.executable, "-X", "importtime", "-m", "generator", "check", "--content", str(content),
               "--today", TODAY]
        best: tuple[float, float, float] | None = None
        heavy: set[str] = set()
        code = 0
        for _ in range(runs):
            with tempfile.TemporaryFile() as err:
                start = time.perf_counter()
                proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err)
                _, status, usage = os.wait4(proc.pid, 0)
                wall = time.perf_counter() - start
                code = max(code, os.waitstatus_to_exitcode(status))
                err.seek(0)
                seconds, modules = imports_of(err.read().decode("utf-8", "replace"))
            heavy |= {m for m in modules if m.split(".")[0] in HEAVY}
            if best is None or wall < best[0]:
                best = (wall, seconds, usage.ru_maxrss / 1024)
    assert best is not None
    return {"records": records, "wall": best[0], "imports": best[1], "peak_mb": best[2], "heavy": sorted(heavy),
            "exit": code}


def kind_of(path: Path) -> str | None:
    """The record kind of a synthesised file: from its schema comment, else its ``kind:`` line."""
    with path.open(encoding="utf-8") as fh:
        head = fh.read(4096)
    m = _SCHEMA_COMMENT.search(head.splitlines()[0]) if head else None
    if m:
        return m.group(1)
    m = _KIND_LINE.search(head)
    return m.group(1) if m else None


def bench_ours(content: Path, runs: int) -> dict[str, object]:
    cmd = [sys.executable, "-m", "generator", "check", "--content", str(content), "--today", TODAY]
    times, peaks, summary, code = [], [], "", 0
    for i in range(runs):
        wall, peak, code, out = run_measured(cmd, ROOT)
        children_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        times.append(wall)
        peaks.append(peak)
        lines = out.strip().splitlines()
        summary = lines[-1] if lines else ""
        print(f"  check run {i + 1}: {wall:.2f} s, peak {peak:.0f} MB "
              f"(RUSAGE_CHILDREN max so far {children_peak:.0f} MB), exit {code}: {summary}")
    m = re.match(r"(\d+) error\(s\), (\d+) warning\(s\)", summary)
    errors = int(m.group(1)) if m else -1
    warnings = int(m.group(2)) if m else -1
    return {"best": min(times), "times": times, "peak_mb": max(peaks), "errors": errors,
            "warnings": warnings, "exit": code}


def bench_check_jsonschema(content: Path, files: list[Path]) -> dict[str, object]:
    exe = Path(sys.executable).with_name("check-jsonschema")
    if not exe.exists():
        found = shutil.which("check-jsonschema")
        if not found:
            return {"available": False}
        exe = Path(found)
    by_kind: dict[str, list[str]] = defaultdict(list)
    unknown = 0
    for f in files:
        kind = kind_of(f)
        if kind is None or not (ROOT / "schemas" / f"{kind}.schema.json").exists():
            unknown += 1
            continue
        by_kind[kind].append(str(f))
    total, invocations, peak = 0.0, 0, 0.0
    rejected: set[str] = set()
    parse_errors: set[str] = set()
    checked = 0
    for kind, names in sorted(by_kind.items()):
        for chunk in _chunks(names):
            cmd = [str(exe), "-o", "json", "--schemafile", str(ROOT / "schemas" / f"{kind}.schema.json"), *chunk]
            wall, rss, code, out = run_measured(cmd, ROOT)
            total += wall
            invocations += 1
            peak = max(peak, rss)
            checked += len(chunk)
            try:
                report = json.loads(out[out.index("{"):])
            except ValueError:
                print(f"  check-jsonschema ({kind}) exit {code}, unreadable output: {out[:300]}")
                rejected.update(chunk)
                continue
            rejected.update(e.get("filename", "") for e in report.get("errors", []))
            parse_errors.update(e.get("filename", "") for e in report.get("parse_errors", []))
    sample = sorted(rejected)[:1]
    return {"available": True, "time": total, "invocations": invocations, "files": checked,
            "rejected": len(rejected | parse_errors), "unknown": unknown, "peak_mb": peak, "sample": sample}


def _chunks(names: list[str]) -> list[list[str]]:
    chunks: list[list[str]] = [[]]
    size = 0
    for n in names:
        if chunks[-1] and size + len(n) + 1 > MAX_ARGS_BYTES:
            chunks.append([])
            size = 0
        chunks[-1].append(n)
        size += len(n) + 1
    return chunks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark `generator check` against check-jsonschema.")
    parser.add_argument("--records", type=int, default=TARGET_RECORDS, help="records to synthesise (default: 10000)")
    parser.add_argument("--keep", type=Path, default=None, help="write the content here and keep it")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of our check; the best counts (default: 3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-check-jsonschema", action="store_true", help="only time our check")
    parser.add_argument("--small", type=int, default=50,
                        help="records in the small tree timed with -X importtime (default: 50)")
    args = parser.parse_args(argv)

    tmp = None
    if args.keep:
        content = args.keep
        if content.exists() and any(content.iterdir()):
            parser.error(f"{content} is not empty")
    else:
        tmp = tempfile.TemporaryDirectory(prefix="bench-check-")
        content = Path(tmp.name) / "content"
    try:
        start = time.perf_counter()
        synthesise(args.records, content, seed=args.seed)
        files = sorted(content.rglob("*.yaml"))
        print(f"synthesised {args.records} records in {len(files)} files under {content} "
              f"({time.perf_counter() - start:.1f} s)")

        ours = bench_ours(content, args.runs)
        cjs = {"available": False} if args.skip_check_jsonschema else bench_check_jsonschema(content, files)
        small = bench_small(args.small, args.runs, args.seed)
    finally:
        if tmp is not None:
            tmp.cleanup()

    best = float(ours["best"])  # type: ignore[arg-type]
    peak = float(ours["peak_mb"])  # type: ignore[arg-type]
    scaled = best * TARGET_RECORDS / args.records
    print()
    print(f"machine:              {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.platform()}")
    print(f"records:              {args.records}")
    print(f"files:                {len(files)}")
    print(f"check time (best/{args.runs}): {best:.2f} s   (runs: {', '.join(f'{t:.2f}' for t in ours['times'])})")  # type: ignore[union-attr]
    print(f"records/second:       {args.records / best:,.0f}")
    print(f"peak RSS:             {peak:.0f} MB")
    print(f"findings:             {ours['errors']} error(s), {ours['warnings']} warning(s), exit {ours['exit']}")
    if cjs.get("available"):
        ratio = float(cjs["time"]) / best  # type: ignore[arg-type]
        print(f"check-jsonschema:     {cjs['time']:.2f} s over {cjs['invocations']} invocations "
              f"({cjs['files']} files, peak {cjs['peak_mb']:.0f} MB)")
        print(f"  rejected files:     {cjs['rejected']} (informational){' e.g. ' + cjs['sample'][0] if cjs['sample'] else ''}")  # type: ignore[index]
        print(f"ratio cjs / ours:     {ratio:.1f}x")
    else:
        ratio = None
        print("check-jsonschema:     not run")

    print(f"small tree:           {small['records']} records: check {small['wall']:.2f} s, of which imports "
          f"{small['imports']:.2f} s; peak RSS {small['peak_mb']:.0f} MB; exit {small['exit']}")
    print(f"  heavy imports:      {', '.join(small['heavy']) or 'none'} (of {', '.join(HEAVY)})")  # type: ignore[arg-type]

    results = {
        "0 errors reported": ours["errors"] == 0,
        "small check imports no mkdocs, matplotlib or WeasyPrint": not small["heavy"],
        (f"time < {TARGET_SECONDS:.0f} s for {TARGET_RECORDS:,} records"
         + ("" if args.records == TARGET_RECORDS else f" (linear estimate {scaled:.2f} s from {args.records:,})")):
            scaled < TARGET_SECONDS,
        f"peak < {TARGET_MB:.0f} MB": peak < TARGET_MB,
        "faster than check-jsonschema": ratio is not None and ratio > 1,
    }
    print()
    for name, ok in results.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    return 0 if all(results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
