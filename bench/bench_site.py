"""Site benchmark: `python -m generator build` against a bare `mkdocs build` of the same pages.

    python bench/bench_site.py [--records 1000 3000]

For each size: synthesise N records, time `python -m generator build` (check + render + mkdocs
+ HTML cleaning), then write the same generated markdown to disk and time a bare `mkdocs build`
of it (same theme and navigation, no hook). The generator's own cost is the difference.
Prints times, peak memory and ratios against the targets of the site issue:
3,000 records < 30 s and < 400 MB; generator overhead <= 15 %; time(3000)/time(1000) <= 3.5.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
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

from generator.build import read_mkdocs_yaml  # noqa: E402
from generator.pipeline import check_content  # noqa: E402
from generator.render import TEMPLATES, render_site  # noqa: E402

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
        "extra": {"generator": False},
    }


def run(n: int, work: Path) -> dict[str, float]:
    content = work / f"content-{n}"
    synthesise(n, content)
    py = sys.executable
    gen_t, gen_mb = timed([py, "-m", "generator", "build", "--content", str(content), "--site-dir",
                           str(work / f"site-{n}"), "--today", TODAY.isoformat()], ROOT)
    # The same generated markdown, written to disk, built by mkdocs alone.
    checked = check_content(content, TODAY)
    site = render_site(checked.index, today=TODAY, site_title="bench")
    docs = work / f"docs-{n}"
    for path, text in site.pages.items():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    (docs / "assets/clause8").mkdir(parents=True, exist_ok=True)
    for asset in (TEMPLATES / "assets").glob("*"):
        (docs / "assets/clause8" / asset.name).write_bytes(asset.read_bytes())
    cfg = work / f"mkdocs-{n}.yml"
    cfg.write_text(yaml.safe_dump(bare_config(docs, site.nav), allow_unicode=True))
    bare_t, bare_mb = timed([py, "-m", "mkdocs", "build", "-q", "-f", str(cfg), "-d", str(work / f"bare-{n}")], ROOT)
    return {"records": n, "pages": len(site.pages), "generator_s": gen_t, "generator_mb": gen_mb,
            "bare_s": bare_t, "bare_mb": bare_mb, "overhead": gen_t / bare_t - 1}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, nargs="+", default=[1000, 3000])
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        for n in args.records:
            rows.append(run(n, Path(tmp)))
    print(f"{'records':>8} {'pages':>6} {'generator s':>12} {'peak MB':>8} {'bare mkdocs s':>14} {'peak MB':>8} {'overhead':>9}")
    for r in rows:
        print(f"{r['records']:>8} {r['pages']:>6} {r['generator_s']:>12.2f} {r['generator_mb']:>8.0f} "
              f"{r['bare_s']:>14.2f} {r['bare_mb']:>8.0f} {r['overhead']:>8.0%}")
    ok = True
    big = max(rows, key=lambda r: r["records"])
    if big["records"] >= 3000:
        ok &= big["generator_s"] < 30 and big["generator_mb"] < 400
        print(f"3,000 records: {big['generator_s']:.1f} s (target < 30), {big['generator_mb']:.0f} MB (target < 400)")
    print(f"generator overhead over bare mkdocs: {big['overhead']:.0%} (target <= 15%)")
    ok &= big["overhead"] <= 0.15
    if len(rows) >= 2:
        ratio = rows[-1]["generator_s"] / rows[0]["generator_s"]
        print(f"time({rows[-1]['records']}) / time({rows[0]['records']}) = {ratio:.2f} (target <= 3.5)")
        ok &= ratio <= 3.5
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
