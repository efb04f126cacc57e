"""Pipeline benchmark: the whole CI run (check, the four editions, the offline bundle) as subprocesses.

    python bench/bench_pipeline.py [--records 1000 5000 10000] [--keep DIR] [--json FILE]
    python bench/bench_pipeline.py --report FILE     # re-print the tables and targets of a --json run

For each size: synthesise N records (bench/synth.py; not timed), then run, one after the other
and from the repository root, exactly the commands a CI job runs:

1. ``python -m generator check --content C --today 2026-11-24``
2. ``python -m generator build --content C --today ... --edition E --site-dir site-E`` for each
   edition E (public, internal, auditor, continuity), each into its own site folder;
3. ``python -m generator bundle --content C --today ... --edition continuity --out dist``.

Each step's wall time (``time.perf_counter`` around the child) and the child's own peak RSS
(``ru_maxrss`` from ``os.wait4``) are recorded. ``SOURCE_DATE_EPOCH`` is fixed so no step asks git
for the build time. Prints one table per size, the scaling between sizes (time ratio against
record ratio) and PASS/FAIL against the targets:

- 5,000 records: check + all four editions + bundle in < 120 s;
- peak RSS of every step < 600 MB, judged at 5,000 records and, separately, at every size run;
- time grows at most linearly: time per record at the largest size / at the smallest size <= 1.15,
  and the same for every consecutive pair of sizes (the fixed start-up cost of six processes
  flatters the first comparison when the smallest size is small).

Exit status 0 if every judged target passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import synthesise  # noqa: E402

TODAY = "2026-11-24"
EDITIONS = ("auditor", "internal", "continuity", "public")  # longest first
BUNDLE_EDITION = "continuity"
TARGET_RECORDS = 5_000
TARGET_SECONDS = 120.0
TARGET_MB = 600.0
TARGET_LINEARITY = 1.15
# 2026-11-24 00:00 UTC: a fixed build time, so no step runs git to find one.
EPOCH = str(int(dt.datetime(2026, 11, 24, tzinfo=dt.timezone.utc).timestamp()))


def code_version() -> str:
    """A hash of the generator's code and templates: a run is only comparable within one version."""
    import hashlib

    digest = hashlib.sha256()
    for folder in ("generator", "site_templates"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    digest.update((ROOT / "mkdocs.yml").read_bytes())
    return digest.hexdigest()[:12]


def run_step(cmd: list[str]) -> tuple[float, float, int, str]:
    """Run ``cmd`` from the repository root: (wall seconds, peak RSS MB of the child, exit code, output tail)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": EPOCH}
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    return wall, usage.ru_maxrss / 1024, proc.returncode, text[-3000:]  # ru_maxrss is KiB on Linux


def steps(content: Path, work: Path) -> list[tuple[str, list[str]]]:
    gen = [sys.executable, "-m", "generator"]
    common = ["--content", str(content), "--today", TODAY]
    out = [("check", [*gen, "check", *common])]
    builds = [(f"build {edition}", [*gen, "build", *common, "--edition", edition,
                                    "--site-dir", str(work / f"site-{edition}")]) for edition in EDITIONS]
    bundle = (f"bundle {BUNDLE_EDITION}", [*gen, "bundle", *common, "--edition", BUNDLE_EDITION,
                                          "--out", str(work / "dist")])
    # Longest first, so that parallel runs pack well: auditor, internal, bundle, continuity, public.
    out += [*builds[:2], bundle, *builds[2:]]
    return out


def run_size(n: int, work: Path, seed: int, jobs: int = 1) -> dict[str, object]:
    work.mkdir(parents=True, exist_ok=True)
    content = work / "content"
    start = time.perf_counter()
    synthesise(n, content, seed=seed)
    print(f"[{n} records] synthesised in {time.perf_counter() - start:.1f} s", flush=True)
    rows = []
    planned = steps(content, work)

    def one(step: tuple[str, list[str]]) -> dict[str, object]:
        name, cmd = step
        wall, peak, code, text = run_step(cmd)
        last = text.strip().splitlines()[-1] if text.strip() else ""
        print(f"[{n} records] {name:<18} {wall:7.2f} s  {peak:5.0f} MB  exit {code}  {last[:100]}", flush=True)
        if code != 0:
            print(text, file=sys.stderr)
        return {"step": name, "seconds": wall, "peak_mb": peak, "exit": code, "last_line": last}

    start = time.perf_counter()
    rows.append(one(planned[0]))  # check first: the builds only run on content that passes
    if jobs > 1:
        # The builds are independent: run them `jobs` at a time, as `make -j` / the CI matrix would.
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            rows += list(pool.map(one, planned[1:]))
    else:
        rows += [one(step) for step in planned[1:]]
    wall_total = time.perf_counter() - start
    pages = sum(1 for _ in (work / "site-internal").rglob("index.html")) if (work / "site-internal").is_dir() else 0
    bundles = sorted((work / "dist").glob("*.zip")) if (work / "dist").is_dir() else []
    return {"records": n, "jobs": jobs, "steps": rows, "total_s": wall_total,
            "peak_mb": max(float(r["peak_mb"]) for r in rows), "ok": all(r["exit"] == 0 for r in rows),
            "internal_pages": pages, "bundle_mb": bundles[0].stat().st_size / 2**20 if bundles else None}


def print_tables(results: list[dict[str, object]]) -> None:
    names = [r["step"] for r in results[0]["steps"]]  # type: ignore[index]
    head = f"{'step':<20}" + "".join(f"{str(r['records']) + ' rec s':>13}{'MB':>7}" for r in results)
    print(head)
    print("-" * len(head))
    for i, name in enumerate(names):
        line = f"{name:<20}"
        for r in results:
            step = r["steps"][i]  # type: ignore[index]
            line += f"{step['seconds']:>13.2f}{step['peak_mb']:>7.0f}"
        print(line)
    line = f"{'total':<20}"
    for r in results:
        line += f"{r['total_s']:>13.2f}{r['peak_mb']:>7.0f}"
    print(line)
    line = f"{'s per 1,000 records':<20}"
    for r in results:
        line += f"{1000 * float(r['total_s']) / int(r['records']):>13.2f}{'':>7}"  # type: ignore[arg-type]
    print(line)


def judge(results: list[dict[str, object]]) -> dict[str, bool]:
    """Print the scaling and return {target: passed}."""
    checks: dict[str, bool] = {"every step exited 0": all(bool(r["ok"]) for r in results)}
    if len(results) >= 2:
        ratios = []
        for a, b in zip(results, results[1:]):
            t_ratio = float(b["total_s"]) / float(a["total_s"])  # type: ignore[arg-type]
            n_ratio = int(b["records"]) / int(a["records"])  # type: ignore[arg-type]
            ratios.append(t_ratio / n_ratio)
            print(f"time({b['records']}) / time({a['records']}) = {t_ratio:.2f} for {n_ratio:.2f}x the records "
                  f"(time per record x{t_ratio / n_ratio:.2f})")
            steps_a = {s["step"]: float(s["seconds"]) for s in a["steps"]}  # type: ignore[union-attr,index]
            for step in b["steps"]:  # type: ignore[union-attr]
                if steps_a.get(step["step"]):
                    r = float(step["seconds"]) / steps_a[step["step"]]
                    print(f"    {step['step']:<18} x{r:5.2f}{'   <- grows faster than the records' if r / n_ratio > TARGET_LINEARITY else ''}")
        small, big = results[0], results[-1]
        overall = (float(big["total_s"]) / float(small["total_s"])) / (int(big["records"]) / int(small["records"]))  # type: ignore[arg-type]
        print(f"time per record, {big['records']} vs {small['records']}: x{overall:.2f}; worst consecutive pair: "
              f"x{max(ratios):.2f} (target <= {TARGET_LINEARITY})")
        checks[f"time per record, largest vs smallest run: x{overall:.2f} <= {TARGET_LINEARITY}"] = overall <= TARGET_LINEARITY
        checks[f"time per record, every consecutive pair of sizes: worst x{max(ratios):.2f} <= {TARGET_LINEARITY}"] = (
            max(ratios) <= TARGET_LINEARITY)
    target = next((r for r in results if r["records"] == TARGET_RECORDS), None)
    if target is not None:
        checks[f"{TARGET_RECORDS:,} records, check + 4 editions + bundle < {TARGET_SECONDS:.0f} s "
               f"({float(target['total_s']):.1f} s)"] = float(target["total_s"]) < TARGET_SECONDS  # type: ignore[arg-type]
        checks[f"peak RSS < {TARGET_MB:.0f} MB at {TARGET_RECORDS:,} records ({float(target['peak_mb']):.0f} MB)"] = (
            float(target["peak_mb"]) < TARGET_MB)  # type: ignore[arg-type]
    else:
        print(f"({TARGET_RECORDS:,} records not measured: the 120 s target is not judged)")
    worst = max(results, key=lambda r: float(r["peak_mb"]))  # type: ignore[arg-type]
    checks[f"peak RSS < {TARGET_MB:.0f} MB at every measured size (worst {float(worst['peak_mb']):.0f} MB at "
           f"{worst['records']} records)"] = float(worst["peak_mb"]) < TARGET_MB  # type: ignore[arg-type]
    return checks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=None, help="work here (content, sites, bundles) and keep it")
    parser.add_argument("--json", type=Path, default=None, help="also write the measurements here as JSON")
    parser.add_argument("--report", type=Path, default=None, help="only print the tables and targets of a --json file")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="builds run at once after the check (default: the CPUs, like `make -j editions`)")
    args = parser.parse_args(argv)

    if args.report:
        saved = json.loads(args.report.read_text(encoding="utf-8"))
        results = saved["results"]
        print(f"machine: {saved['machine']['cpus']} CPUs, Python {saved['machine']['python']}, "
              f"{saved['machine']['platform']}")
    else:
        results = measure(sorted(set(args.records)), args.keep, args.seed, args.json, args.jobs)
    print()
    print_tables(results)
    print()
    checks = judge(results)
    print()
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    return 0 if all(checks.values()) else 1


def measure(sizes: list[int], keep: Path | None, seed: int, json_out: Path | None,
            jobs: int = 1) -> list[dict[str, object]]:
    print(f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.platform()}")
    load_before = os.getloadavg()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in load_before)}", flush=True)
    version_before = code_version()
    print(f"generator code version: {version_before}", flush=True)
    tmp = None
    base = keep
    if base is None:
        tmp = tempfile.TemporaryDirectory(prefix="bench-pipeline-")
        base = Path(tmp.name)
    results = []
    try:
        for n in sizes:
            work = base / f"n{n}"
            if work.exists():
                shutil.rmtree(work)
            results.append(run_size(n, work, seed, jobs))
            if keep is None:
                shutil.rmtree(work, ignore_errors=True)
    finally:
        if tmp is not None:
            tmp.cleanup()
    load_after = os.getloadavg()
    print(f"load average after: {' '.join(f'{x:.2f}' for x in load_after)}")
    version_after = code_version()
    if version_after != version_before:
        print(f"WARNING: the generator's code changed during the run ({version_before} -> {version_after}): "
              "the sizes were not measured on the same code and their scaling is not comparable")
    if json_out:
        json_out.write_text(json.dumps({"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                                    "platform": platform.platform()},
                                        "load_before": load_before, "load_after": load_after,
                                        "code_version": [version_before, version_after], "results": results},
                                       indent=2), encoding="utf-8")
    return results


if __name__ == "__main__":
    sys.exit(main())
