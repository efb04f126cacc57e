"""History benchmark: the site build with the records' git history against the same build without it.

    python bench/bench_history.py [--records 3000] [--commits-per-record 10] [--runs 3]

Synthesises N records (``bench/synth.py``) and gives them a git history in which every record is
changed in ``--commits-per-record`` commits (rounds of commits of 100 records each, written with
``git fast-import``): each earlier version has another description, version and approval date, and
the last one is the synthesised record, so the check stays clean (no approval findings). The same
files are copied to a folder outside git. Then, in ``--runs`` rounds, it times
``python -m generator build`` two ways: with history (the parsed versions kept in ``.git/clause8/``:
every build after a clone's first, the other editions, ``serve``'s rebuilds) and of the copy outside
git ("history is not available"); the first round also times a build with history from a cold start
(``.git/clause8/`` deleted first: the first build of a fresh clone). Times are the best of the
rounds; an overhead is the median over the rounds of with / without - 1 (the builds of a round see
the same machine speed). It also times the history's parts in this process: the one pass over git
and the check with it. Target: at most 15 % more than the build without history, judged on CPU
time (wall time on a shared machine swings more than the margin) of the warm build; the cold one
is printed beside it. The last line is PASS or FAIL; the load average is printed at the start and
the end (other work on the machine makes wall times, and to a lesser degree CPU times, unreliable).
About 7 minutes on a quiet 2-CPU machine with the defaults.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from synth import build_records, dump_record  # noqa: E402

from generator.content.models import KINDS  # noqa: E402

TODAY = dt.date(2026, 11, 24)
RECORDS_PER_COMMIT = 100
TARGET = 0.15


def timed(cmd: list[str], cwd: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system, with the git and worker processes it waited for) and
    peak RSS (MB) of one child process. CPU time barely moves with what else the machine runs; wall
    time on a shared machine does (by 10-50 % here)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def earlier(record: dict[str, Any], k: int, versions: int) -> dict[str, Any]:
    """Version ``k`` (1-based) of ``versions`` of a record: the last is the record itself."""
    if k == versions:
        return record
    out = copy.deepcopy(record)
    out["version"] = f"0.{k}"
    out["description"] = f"{record.get('description') or record['title']} (draft {k} of {versions - 1})"
    approval = out.get("approval")
    if approval:
        # Each version its own approval, dated before its commit: no approval findings.
        approval["date"] = dt.date.fromisoformat(str(approval["date"])) - dt.timedelta(days=versions - k)
    return out


def make_history(n: int, repo: Path, per_record: int) -> tuple[int, int]:
    """Synthesise ``n`` records into ``repo/content`` with ``per_record`` commits per record; (commits, file versions)."""
    records = [(kind, rec, f"content/{KINDS[kind].family}/{rec['id']}.yaml") for kind, rec in build_records(n)]
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    stream = bytearray()
    mark = 0
    commits = versions = 0
    # Commits dated from 20 days before TODAY, one minute apart, the last round on TODAY at the latest:
    # every approval (at most TODAY in the synthesised content) is dated no later than its commit.
    start = dt.datetime.combine(TODAY - dt.timedelta(days=per_record), dt.time(9), dt.timezone(dt.timedelta(hours=7)))
    for k in range(1, per_record + 1):
        for first in range(0, len(records), RECORDS_PER_COMMIT):
            batch = records[first:first + RECORDS_PER_COMMIT]
            when = start + dt.timedelta(days=k, minutes=first // RECORDS_PER_COMMIT)
            stamp = f"{int(when.timestamp())} +0700"
            message = f"Round {k}: records {first + 1}-{first + len(batch)}".encode()
            stream += (f"commit refs/heads/main\nauthor Bench Author <bench@example.test> {stamp}\n"
                       f"committer Bench Author <bench@example.test> {stamp}\ndata {len(message)}\n").encode()
            stream += message + b"\n"
            for kind, rec, path in batch:
                data = dump_record(kind, earlier(rec, k, per_record)).encode()
                stream += f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n"
                versions += 1
            commits += 1
            mark += 1
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, input=bytes(stream), check=True)
    subprocess.run(["git", "read-tree", "HEAD"], cwd=repo, check=True)
    for kind, rec, path in records:  # the work tree: the last versions
        target = repo / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(dump_record(kind, rec), encoding="utf-8")
    return commits, versions


def in_process(content: Path) -> dict[str, float]:
    """The history's own parts, timed in this process."""
    from generator.engine.build import clause8_settings
    from generator.content.history import read_history
    from generator.checks.pipeline import check_content
    from generator.publish.prepare import prepare_site

    t0 = time.perf_counter()
    history = read_history(content)
    t1 = time.perf_counter()
    checked = check_content(content, TODAY, history=history)
    t2 = time.perf_counter()
    prepared = prepare_site(content, TODAY, settings=clause8_settings(ROOT / "mkdocs.yml"), checked=checked)
    t3 = time.perf_counter()
    assert prepared.control is not None and prepared.control.available
    assert history.available, history.reason
    errors = [f for f in checked.findings if f.severity == "error"]
    assert not errors, errors[:3]
    return {"read_history": t1 - t0, "check": t2 - t1, "render": t3 - t2,
            "changes": sum(len(v) for v in history.changes.values())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=3000)
    parser.add_argument("--commits-per-record", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, default=None, help="build in this folder and keep it")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    began = time.perf_counter()
    load_before = _load()
    print(f"load average {load_before} (1, 5, 15 min) on {os.cpu_count()} CPUs", flush=True)
    tmp = None
    if args.keep is None:
        tmp = tempfile.TemporaryDirectory(prefix="bench-history-")
        work = Path(tmp.name)
    else:
        work = args.keep
        work.mkdir(parents=True, exist_ok=True)
    try:
        repo, plain = work / "repo", work / "plain"
        for old in (repo, plain):  # a kept folder from an earlier run: start again
            shutil.rmtree(old, ignore_errors=True)
        start = time.perf_counter()
        commits, versions = make_history(args.records, repo, args.commits_per_record)
        shutil.copytree(repo / "content", plain / "content")
        print(f"{args.records} records, {commits} commits, {versions} file versions "
              f"({time.perf_counter() - start:.1f} s to make)", flush=True)
        parts = in_process(repo / "content")
        print(f"in-process: one pass over git {parts['read_history']:.2f} s ({int(parts['changes'])} record "
              f"changes); check with history {parts['check']:.2f} s; render with history {parts['render']:.2f} s",
              flush=True)
        py = sys.executable
        cache = repo / ".git" / "clause8"
        build = [py, "-m", "generator", "build", "--today", TODAY.isoformat()]
        builds = {
            # The first build of a clone: every version read from git and parsed.
            "history, cold": build + ["--content", str(repo / "content"), "--site-dir", str(work / "site-history")],
            # Any later build (the other editions, serve's rebuilds): parsed versions kept in .git/clause8/.
            "history, warm": build + ["--content", str(repo / "content"), "--site-dir", str(work / "site-history")],
            "without": build + ["--content", str(plain / "content"), "--site-dir", str(work / "site-plain")],
        }
        times: dict[str, list[tuple[float, float, float]]] = {name: [] for name in builds}
        for round_ in range(args.runs):
            for name, cmd in builds.items():
                if name == "history, cold":
                    if round_:
                        continue  # once is enough: a clone's first build, the others are warm
                    shutil.rmtree(cache, ignore_errors=True)
                times[name].append(timed(cmd, ROOT))
        for name, runs in times.items():
            print(f"{name:<14} wall " + ", ".join(f"{w:6.2f}" for w, _, _ in runs) + " s; cpu "
                  + ", ".join(f"{c:6.2f}" for _, c, _ in runs) + " s; peak "
                  + ", ".join(f"{mb:.0f}" for _, _, mb in runs) + " MB", flush=True)
        pages = {name: sum(1 for _ in (work / f"site-{key}").rglob("*.html"))
                 for name, key in (("history", "history"), ("without", "plain"))}
        if pages["history"] != pages["without"]:
            raise SystemExit(f"not the same site: {pages}")
        best = {name: (min(w for w, _, _ in runs), min(c for _, c, _ in runs)) for name, runs in times.items()}
        overhead = {}
        for name in ("history, cold", "history, warm"):
            for i, what in ((0, "wall"), (1, "cpu")):
                overhead[name, what] = statistics.median(  # zip: the cold build's round only
                    w[i] / p[i] - 1 for w, p in zip(times[name], times["without"]))
        print(f"{pages['without']} HTML pages. best wall / cpu: without {best['without'][0]:.2f} / "
              f"{best['without'][1]:.2f} s, history cold {best['history, cold'][0]:.2f} / "
              f"{best['history, cold'][1]:.2f} s, warm {best['history, warm'][0]:.2f} / {best['history, warm'][1]:.2f} s")
        for name in ("history, cold", "history, warm"):
            rounds = "first round" if name == "history, cold" else f"median of {args.runs} rounds"
            print(f"overhead {name.split(', ')[1]} ({rounds}): wall {overhead[name, 'wall']:+.1%}, "
                  f"cpu {overhead[name, 'cpu']:+.1%} (target <= {TARGET:.0%})")
        print(f"load average {load_before} at the start, {_load()} at the end; "
              f"{(time.perf_counter() - began) / 60:.1f} min in all", flush=True)
        figure = overhead["history, warm", "cpu"]
        ok = figure <= TARGET
        print(f"{'PASS' if ok else 'FAIL'}: the build with history costs {figure:+.1%} CPU time against the build "
              f"without it (warm, median of {args.runs} rounds; target <= {TARGET:.0%})")
        return 0 if ok else 1
    finally:
        if tmp is not None:
            tmp.cleanup()


if __name__ == "__main__":
    raise SystemExit(main())
