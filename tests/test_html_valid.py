"""The Nu Html Checker (vnu, npm `vnu-jar`, run with Java) finds no error in the markup the project
writes, on a sample of pages of every edition and of the Indonesian site: the home page, every kind's
index page, one record page of every kind, the compliance, findings, dashboard, due and emergency
pages. The only errors left out are the theme's own (Material 9.8.1), listed below one by one with
the markup they are about, so an error in the project's markup or a new one of the theme's fails.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import ROOT
from tests.test_site import config_copy

pytestmark = [pytest.mark.slow]

VNU = ROOT / "tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
TODAY = "2026-11-24"
EDITIONS = ("public", "internal", "auditor", "continuity", "auditor-id")

# The theme's own markup (Material 9.8.1's templates), not the project's: (start of vnu's message,
# a piece of the markup it quotes).
THEME = (
    # the navigation's section labels: tabindex="" (Material writes an empty value)
    ("Bad value “” for attribute “tabindex” on element “label”", '<label class="md-nav__link"'),
    # the drawer and search toggles: hidden checkboxes with autocomplete="off"
    ("Attribute “autocomplete” is only allowed when the input type is", '<input class="md-toggle"'),
    # the table of contents' title labels a toggle the theme writes only on some layouts
    ("The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control",
     '<label class="md-nav__title" for="__toc"'),
)


def vnu(files: list[Path]) -> list[dict]:
    """vnu's errors for ``files`` (one Java process for all of them)."""
    if shutil.which("java") is None:
        pytest.fail("java is missing: the Nu Html Checker needs it (make system-deps)")
    if not VNU.is_file():
        pytest.fail(f"{VNU} is missing: run `make node-deps` (npm ci --prefix tools)")
    out = subprocess.run(["java", "-jar", str(VNU), "--format", "json", "--errors-only", *map(str, files)],
                         capture_output=True, text=True, timeout=600)
    return [m for m in json.loads(out.stderr)["messages"] if m.get("type") == "error"]


def theirs(message: dict) -> bool:
    text, extract = message.get("message", ""), message.get("extract", "")
    return any(text.startswith(start) and markup in extract for start, markup in THEME)


def sample(site: Path) -> list[Path]:
    """Home, every kind's index and its first record, and the site's own pages."""
    pages = [site / "index.html", site / "404.html"]
    records = site / "records"
    for kind in sorted(p for p in records.iterdir() if p.is_dir()):
        pages.append(kind / "index.html")
        first = sorted(p for p in kind.iterdir() if p.is_dir())
        if first:
            pages.append(first[0] / "index.html")
    for folder in ("compliance", "compliance/findings", "dashboards", "emergency", "due", "sections"):
        if (site / folder).is_dir():
            pages += sorted((site / folder).glob("*.html"))[:3] + sorted((site / folder).glob("*/index.html"))[:3]
    return sorted({p for p in pages if p.is_file()})


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("vnu")
    out = {}
    for name in EDITIONS:
        edition, _, lang = name.partition("-")
        (base / name).mkdir()
        config = config_copy(base / name, lang) if lang else ROOT / "mkdocs.yml"
        site = base / name / "site"
        assert main(["build", "--content", str(ROOT / "content"), "--site-dir", str(site), "--today", TODAY,
                     "--edition", edition, "--config", str(config)]) == 0, name
        out[name] = site
    return out


@pytest.mark.example
def test_project_markup_has_no_validator_errors(sites: dict[str, Path]):
    files = {name: sample(site) for name, site in sites.items()}
    assert all(len(pages) > 10 for pages in files.values()), {k: len(v) for k, v in files.items()}
    assert any("emergency" in str(p) for p in files["continuity"])
    assert any("compliance" in str(p) for p in files["auditor"])
    errors = vnu([p for pages in files.values() for p in pages])
    assert any(theirs(m) for m in errors)  # the theme's are there and recognised
    ours = sorted({(m["url"].split("/site/", 1)[-1], m["message"], m.get("extract", "").strip()[:120])
                   for m in errors if not theirs(m)})
    assert ours == []


def test_the_checker_reports_errors_it_is_not_told_to_leave_out(tmp_path: Path):
    page = tmp_path / "page.html"
    page.write_text('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>'
                    '<body><p id="a">x</p><p id="a">y</p><label class="md-nav__link" tabindex="">z</label>'
                    '</body></html>')
    errors = vnu([page])
    assert [m["message"] for m in errors if not theirs(m)] == ["Duplicate ID “a”."]
    assert any(theirs(m) for m in errors)
