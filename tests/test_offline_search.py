"""Search in the offline bundle (issue 18): the index is built with the site, loaded by a worker off
the page's thread from file:// with the network off, ids are found as ids, results stay escaped."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from generator.engine import search
from tests.browser import start_chrome
from tests.conftest import ROOT, build_bundle
from tests.test_offline import other_host_requests

EXAMPLE = ROOT / "content"
FIXTURE = ROOT / "tests" / "fixtures" / "site"
WAIT = 30


def unzip(bundle: Path, into: Path) -> Path:
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(into)
    return into


@pytest.fixture(scope="module")
def example_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("offline-search")
    return unzip(build_bundle(EXAMPLE, tmp / "dist", 1796000000), tmp / "copy")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    driver = start_chrome(tmp_path_factory.mktemp("chrome-search"))
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0})
    yield driver
    driver.quit()


def results_for(driver, page: Path, query: str, expect: str) -> list[str]:
    """Type ``query`` into the search box of ``page`` and return the result links once ``expect``
    is among them (hrefs without the highlight query)."""
    driver.get(page.as_uri())
    box = WebDriverWait(driver, WAIT).until(lambda d: d.find_element(By.CSS_SELECTOR, "input.md-search__input"))
    box.click()
    box.send_keys(query)

    def links(d):
        try:
            hrefs = d.execute_script("return Array.from(document.querySelectorAll("
                                     "'.md-search-result__list > li > a')).map(a => a.getAttribute('href'))")
        except WebDriverException:
            return False
        hrefs = [h.split("?")[0] for h in hrefs]
        return hrefs if any(h.endswith(expect) for h in hrefs) else False

    return WebDriverWait(driver, WAIT).until(links)


# -- the files ---------------------------------------------------------------------------------
@pytest.mark.example
def test_bundle_carries_the_index_built_with_the_site(example_copy: Path):
    text = (example_copy / "search" / "clause8-index.js").read_text()
    assert text.startswith("var __clause8Index = \"")
    data = json.loads(json.loads(text[len("var __clause8Index = "):].rstrip().rstrip(";")))
    assert data["index"]["version"] == "2.3.9" and data["index"]["fields"] == ["id", "title", "text"]
    assert len(data["docs"]) == len(json.loads((example_copy / "search" / "search_index.json").read_text())["docs"])
    # the plan's own entry carries its id whole in the id field
    ref = next(i for i, d in enumerate(data["docs"]) if d["location"] == "records/continuity_plan/CP-DC-LOSS.html")
    assert str(ref) in dict(data["index"]["invertedIndex"])["cp-dc-loss"]["id"]
    # the page no longer parses every document on every page
    slim = (example_copy / "search" / "search_index.js").read_text()
    assert '"docs":[]' in slim and len(slim) < 2000
    assert "addEventListener" in (example_copy / "search" / "clause8-worker.js").read_text()


def test_ids_are_indexed_whole_and_in_parts():
    assert search.tokens("CP-DC-LOSS — Continuity plan v3.1") == [
        "cp-dc-loss", "cp", "dc", "loss", "continuity", "plan", "v3.1", "v3", "1"]
    assert search.record_id({"location": "records/continuity_plan/CP-DC-LOSS.html"}) == "CP-DC-LOSS"
    assert search.record_id({"location": "records/continuity_plan/CP-DC-LOSS.html#invocation"}) is None
    assert search.record_id({"location": "records/person/index.html"}) is None


# -- in the browser, from file://, network off ------------------------------------------------
@pytest.mark.example
@pytest.mark.browser
def test_searching_a_plan_id_puts_the_plan_first(browser, example_copy: Path):
    hrefs = results_for(browser, example_copy / "index.html", "CP-DC-LOSS", "continuity_plan/CP-DC-LOSS.html")
    assert hrefs[0].endswith("records/continuity_plan/CP-DC-LOSS.html"), hrefs[:5]
    # the search ran in a worker, not in a frame of the page
    assert browser.execute_script("return document.querySelectorAll('iframe').length") == 0
    assert other_host_requests(browser) == []


@pytest.mark.example
@pytest.mark.browser
def test_searching_a_surname_finds_the_person_first(browser, example_copy: Path):
    hrefs = results_for(browser, example_copy / "records" / "continuity_plan" / "CP-DC-LOSS.html", "Lestari",
                        "person/PER-MAYA.html")
    assert hrefs[0].endswith("records/person/PER-MAYA.html"), hrefs[:5]
    assert other_host_requests(browser) == []


HOSTILE = """\
kind: person
id: PER-EVIL
title: "Hostile <img src=x onerror=window.__pwned=1> Zyxwv"
owner: PER-EVIL
role: "<script>window.__pwned=2</script> role"
phones:
  - {label: mobile, number: "+62 812 0000 9999"}
"""


@pytest.mark.browser
def test_results_stay_escaped(browser, tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    (content / "people" / "evil.yaml").write_text(HOSTILE)
    copy = unzip(build_bundle(content, tmp_path / "dist", 1796000000), tmp_path / "copy")
    results_for(browser, copy / "index.html", "Zyxwv", "person/PER-EVIL.html")
    assert browser.execute_script("return window.__pwned") is None
    shown = browser.execute_script("return document.querySelector('.md-search-result__list').innerHTML")
    assert "<img" not in shown and "&lt;img" in shown  # the text, shown as text
    assert "<mark data-md-highlight=\"\">Zyxwv</mark>" in shown or "<mark data-md-highlight>Zyxwv</mark>" in shown
