"""A copy's age counts from when it was made: a bundle made today from records last committed 40
days ago carries today's date in its name and footer, says when the content last changed, and
does not warn that it is outdated."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from generator.cli import main
from tests.browser import start_chrome
from tests.conftest import ROOT, TODAY

FIXTURE = ROOT / "tests" / "fixtures" / "site"


def committed_40_days_ago(tmp_path: Path) -> tuple[Path, dt.date]:
    repo = tmp_path / "records"
    shutil.copytree(FIXTURE, repo / "content")
    when = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=40)
    env = {**os.environ, "GIT_AUTHOR_DATE": when.isoformat(), "GIT_COMMITTER_DATE": when.isoformat(),
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "records"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True)
    return repo / "content", when.date()


@pytest.mark.browser
def test_a_copy_made_today_from_old_records_is_fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    content, committed = committed_40_days_ago(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    today = dt.datetime.now(dt.timezone.utc).date()
    assert main(["bundle", "--content", str(content), "--out", str(tmp_path / "dist"), "--today", TODAY.isoformat(),
                 "--config", str(ROOT / "mkdocs.yml")]) == 0
    (zip_path,) = (tmp_path / "dist").glob("*.zip")
    assert zip_path.name.endswith(f"-continuity-{today.isoformat()}.zip")
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(tmp_path / "copy")
    footer = (tmp_path / "copy/index.html").read_text()
    assert f"Copy made {today.isoformat()}" in footer
    assert f"content last changed {committed.isoformat()}" in footer
    driver = start_chrome(tmp_path / "chrome")
    try:
        driver.get((tmp_path / "copy/index.html").as_uri())
        WebDriverWait(driver, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")
        assert driver.find_elements(By.ID, "clause8-built")
        assert driver.find_elements(By.ID, "clause8-stale") == []
    finally:
        driver.quit()
