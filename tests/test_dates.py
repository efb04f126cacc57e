"""One honest date model: a copy states when it was made (the build time: SOURCE_DATE_EPOCH when
set, else now) and when its content last changed (the last commit touching it), judges statuses as
of the day it was made, and says so when told to judge as of another day (--today)."""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.cli import main
from generator.content.i18n import Translator
from generator.publish.provenance import Provenance, build_day, stated_dates
from tests.conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "site"
COMMITTED = dt.datetime(2026, 2, 10, 9, 0, tzinfo=dt.timezone.utc)
# The service's review falls due on 2026-03-01.
REVIEWED = "review: {interval: P12M, last_reviewed: 2025-03-01}\n"


def epoch(when: dt.datetime) -> int:
    return int(when.timestamp())


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture, its service due for review on 2026-03-01, committed on 2026-02-10."""
    repo = tmp_path_factory.mktemp("dates") / "records"
    shutil.copytree(FIXTURE, repo / "content")
    service = repo / "content/services/mail.yaml"
    service.write_text(service.read_text() + REVIEWED)
    stamp = COMMITTED.isoformat()
    env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp, "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "records"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True)
    return repo / "content"


def build(content: Path, site: Path, made: dt.datetime, *extra: str) -> Path:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", str(epoch(made)))
        assert main(["build", "--content", str(content), "--site-dir", str(site), "--config",
                     str(ROOT / "mkdocs.yml"), *extra]) == 0
    return site


def footer(site: Path, page: str = "index.html") -> str:
    text = (site / page).read_text(encoding="utf-8")
    span = re.search(r'<span id="clause8-built"[^>]*>(.*?)</span>', text, re.S)
    assert span, "no footer"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", span.group(1))).split())


def article(site: Path, page: str) -> str:
    text = (site / page).read_text(encoding="utf-8").split("<article", 1)[1].split("</article>", 1)[0]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


SERVICE = "records/service/SVC-MAIL/index.html"


def test_a_copy_judges_as_of_the_day_it_was_made(content: Path, tmp_path: Path):
    before = build(content, tmp_path / "before", dt.datetime(2026, 2, 20, 12, 0, tzinfo=dt.timezone.utc))
    after = build(content, tmp_path / "after", dt.datetime(2026, 3, 5, 12, 0, tzinfo=dt.timezone.utc))
    stated = footer(before)
    assert stated.startswith("Copy made 2026-02-20 12:00 UTC from commit ")
    assert "content last changed 2026-02-10" in stated
    assert "statuses as of" not in stated  # judged as of the day it states
    assert "2026-03-01" in article(before, SERVICE) and "overdue" not in article(before, SERVICE)
    assert "Copy made 2026-03-05 12:00 UTC" in footer(after)
    assert "2026-03-01 overdue" in article(after, SERVICE)


def test_a_copy_judged_as_of_another_day_says_so(content: Path, tmp_path: Path):
    site = build(content, tmp_path / "site", dt.datetime(2026, 2, 20, 12, 0, tzinfo=dt.timezone.utc),
                 "--today", "2026-03-05")
    stated = footer(site, SERVICE)
    assert "Copy made 2026-02-20 12:00 UTC" in stated and "statuses as of 2026-03-05" in stated
    assert "2026-03-01 overdue" in article(site, SERVICE)


def test_reproducible_without_today(content: Path, tmp_path: Path):
    made = dt.datetime(2026, 3, 5, 12, 0, tzinfo=dt.timezone.utc)
    first, second = build(content, tmp_path / "a", made), build(content, tmp_path / "b", made)
    files = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second).as_posix() for p in second.rglob("*") if p.is_file())
    assert [f for f in files if (first / f).read_bytes() != (second / f).read_bytes()] == []


def test_stated_dates_in_both_languages():
    prov = Provenance(epoch(dt.datetime(2026, 12, 2, 10, 5, tzinfo=dt.timezone.utc)), "abc123def456", "v1",
                      epoch(COMMITTED))
    made = dt.date(2026, 12, 2)
    assert stated_dates(Translator("en"), prov, made) == (
        "Copy made 2026-12-02 10:05 UTC from commit abc123def456 · content last changed 2026-02-10")
    assert stated_dates(Translator("id"), prov, dt.date(2026, 11, 24)) == (
        "Salinan dibuat 2026-12-02 10:05 UTC dari commit abc123def456 · konten terakhir diubah 2026-02-10"
        " · status per 2026-11-24")
    # serve: the copy changes with every save; no commit, no content date
    assert stated_dates(Translator("en"), prov, made, preview=True) == "Copy made 2026-12-02 10:05 UTC"
    outside_git = Provenance(prov.built_epoch, None, "v1", None)
    assert stated_dates(Translator("en"), outside_git, made) == "Copy made 2026-12-02 10:05 UTC"


def test_build_day_is_the_utc_day_of_source_date_epoch(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch(dt.datetime(2026, 3, 5, 23, 59, tzinfo=dt.timezone.utc))))
    assert build_day() == dt.date(2026, 3, 5)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert build_day() == dt.datetime.now(dt.timezone.utc).date()
