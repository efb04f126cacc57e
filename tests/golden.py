"""Golden files of rendered markdown: `python -m tests.golden` (or `make golden`) regenerates them.

Never edit files under tests/golden/ by hand: change the templates or the renderer, run the
command, and review the diff.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from generator.checks.pipeline import check_content
from generator.site.assemble import render_site

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
FIXTURE = ROOT / "tests" / "fixtures" / "site"
TODAY = dt.date(2026, 11, 24)
# Representative pages: a plan (nested parts, contacts), a person (backlinks), a kind index, home.
PAGES = [
    "records/continuity_plan/CP-1.md",
    "records/person/PER-ANI.md",
    "records/service/SVC-MAIL.md",
    "records/person/index.md",
    "index.md",
]


def golden_name(page: str) -> str:
    return page.replace("/", "__")


def rendered(lang: str = "en") -> dict[str, str]:
    checked = check_content(FIXTURE, TODAY)
    # With the findings: a record page shows those about its record.
    site = render_site(checked.index, lang=lang, today=TODAY, site_title="Golden test site",
                       findings=checked.findings)
    return {page: site.pages[page] for page in PAGES}


def update() -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for old in GOLDEN.glob("*.md"):
        old.unlink()
    for page, text in rendered().items():
        (GOLDEN / golden_name(page)).write_text(text, encoding="utf-8")
    print(f"wrote {len(PAGES)} golden files to {GOLDEN.relative_to(ROOT)}")


if __name__ == "__main__":
    update()
    sys.exit(0)
