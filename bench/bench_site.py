"""Site benchmark: `python -m generator build` against a bare `mkdocs build` of the same pages.

    python bench/bench_site.py [--records 1000 3000] [--runs 3]

For each size: synthesise N records, write the markdown the build generates (the edition it
defaults to) to disk with the hand-written pages, then time, in `--runs` rounds:
`python -m generator build` (check + render + mkdocs + HTML cleaning); a bare `mkdocs build` of
those pages (same theme, navigation, markdown extensions and validation; search only, no hook);
and the same bare build with the garbage-collector settings the generator's build uses. All must
write the same number of HTML files. Times are the best of the rounds; an overhead is the median
over the rounds of generator / bare - 1. The target is judged against the bare `mkdocs build`
(what the issue names); the overhead against the third build is the generator's own work.
Prints times, peak memory and ratios against the targets of the site issue:
3,000 records < 30 s and < 400 MB; generator overhead <= 15 %; time(3000)/time(1000) <= 3.5.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import subprocess
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from synth import synthesise  # noqa: E402

from generator.engine.build import clause8_settings, read_mkdocs_yaml  # noqa: E402
from generator.publish.docs_tree import write_docs_tree  # noqa: E402
from generator.publish.prepare import prepare_site  # noqa: E402

TODAY = dt.date(2026, 11, 24)


def timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process."""
    start = time.perf_counter()

    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def bare_config(docs: Path, nav: list) -> dict:
    base = read_mkdocs_yaml(ROOT / "mkdocs.yml")
    return {
        "site_name": base["site_name"], "docs_dir": str(docs), "theme": base["theme"],
        "plugins": ["search"], "nav": nav, "markdown_extensions": base["markdown_extensions"],
        "extra_javascript": base["extra_javascript"], "not_in_nav": base["not_in_nav"],
        "extra": {"generator": False}, "validation": base["validation"], "strict": base["strict"],
    }


BARE_WITH_BUILD_GC = """\
import sys
from generator.engine.build import long_lived_heap
from mkdocs.__main__ import cli
with long_lived_heap():
    cli(sys.argv[1:])
"""


def write_bare_site(content: Path, docs: Path, cfg: Path) -> int:
    """The generated markdown of the edition the build defaults to, written to ``docs`` with the
    hand-written pages and the assets (``clause8 render``), and an mkdocs config ``cfg`` without
    the plugin: the same site for mkdocs alone. Returns the number of generated pages."""
    config = read_mkdocs_yaml(ROOT / "mkdocs.yml")
    prepared = prepare_site(content, TODAY, settings=clause8_settings(ROOT / "mkdocs.yml"),
                            site_title=config["site_name"])
    nav = write_docs_tree(prepared, ROOT / config["docs_dir"], docs)
    cfg.write_text(yaml.safe_dump(bare_config(docs, nav), allow_unicode=True))
    return len(prepared.site.pages)


def _median_overhead(slow: list[tuple[float, float]], fast: list[tuple[float, float]]) -> float:
    """The median over the rounds of slow / fast - 1 (the runs of a round see the same machine speed)."""
    return statistics.median(s / f - 1 for (s, _), (f, _) in zip(slow, fast))


def run(n: int, work: Path, runs: int) -> dict[str, object]:
    content = work / f"content-{n}"
    synthesise(n, content)
    py = sys.executable
    docs, cfg = work / f"docs-{n}", work / f"mkdocs-{n}.yml"
    pages = write_bare_site(content, docs, cfg)
    mkdocs_args = ["build", "-q", "-f", str(cfg), "-d", str(work / f"bare-{n}")]
    builds = {
        "generator": [py, "-m", "generator", "build", "--content", str(content), "--site-dir",
                      str(work / f"site-{n}"), "--today", TODAY.isoformat()],
        # The reference: plain `mkdocs build` of the same pages.
        "mkdocs": [py, "-m", "mkdocs", *mkdocs_args],
        # mkdocs alone with the garbage-collector settings the generator's build uses
        # (generator.engine.build.long_lived_heap): the difference is the generator's own work.
        "mkdocs_gc": [py, "-c", BARE_WITH_BUILD_GC, *mkdocs_args],
    }
    # Rounds of the three builds, one after the other: this VM's speed drifts by 10-30 % within
    # minutes, so builds are only compared within a round.
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in builds}
    for _ in range(runs):
        for name, cmd in builds.items():
            times[name].append(timed(cmd, ROOT))
    built = sum(1 for _ in (work / f"site-{n}").rglob("*.html"))
    bare_pages = sum(1 for _ in (work / f"bare-{n}").rglob("*.html"))
    if built != bare_pages:  # not the same site: the comparison would mean nothing
        raise SystemExit(f"{n} records: the generator built {built} HTML pages, the bare build {bare_pages}")
    for name, runs_ in times.items():
        print(f"[{n} records] {name:<10} " + ", ".join(f"{t:5.2f}" for t, _ in runs_) + " s", flush=True)
    best = {name: min(t for t, _ in runs_) for name, runs_ in times.items()}
    peak = {name: max(mb for _, mb in runs_) for name, runs_ in times.items()}
    return {"records": n, "pages": pages, "html_files": built, "best_s": best, "peak_mb": peak,
            "overhead": _median_overhead(times["generator"], times["mkdocs"]),
            "own_work": _median_overhead(times["generator"], times["mkdocs_gc"])}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, nargs="+", default=[1000, 3000])
    parser.add_argument("--runs", type=int, default=3,
                        help="rounds of the three builds (default 3): best times, median overheads within rounds")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        for n in args.records:
            rows.append(run(n, Path(tmp), args.runs))
    print(f"{'records':>8} {'pages':>6} {'generator':>10} {'peak MB':>8} {'mkdocs':>8} {'peak MB':>8} "
          f"{'overhead':>9} {'mkdocs+gc':>10} {'own work':>9}")
    for r in rows:
        best, peak = r["best_s"], r["peak_mb"]
        print(f"{r['records']:>8} {r['pages']:>6} {best['generator']:>9.2f}s {peak['generator']:>8.0f} "
              f"{best['mkdocs']:>7.2f}s {peak['mkdocs']:>8.0f} {r['overhead']:>8.0%} {best['mkdocs_gc']:>9.2f}s "
              f"{r['own_work']:>8.0%}")
    ok = True
    big = max(rows, key=lambda r: r["records"])
    if big["records"] >= 3000:
        gen_s, gen_mb = big["best_s"]["generator"], big["peak_mb"]["generator"]
        ok &= gen_s < 30 and gen_mb < 400
        print(f"3,000 records: {gen_s:.1f} s (target < 30), {gen_mb:.0f} MB (target < 400)")
    print(f"generator build over a bare `mkdocs build` of the same pages: {big['overhead']:+.0%} (target <= 15%)")
    print(f"the generator's own work (over mkdocs with the same garbage-collector settings): {big['own_work']:+.0%}")
    ok &= big["overhead"] <= 0.15
    if len(rows) >= 2:
        ratio = rows[-1]["best_s"]["generator"] / rows[0]["best_s"]["generator"]
        print(f"time({rows[-1]['records']}) / time({rows[0]['records']}) = {ratio:.2f} (target <= 3.5)")
        ok &= ratio <= 3.5
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
