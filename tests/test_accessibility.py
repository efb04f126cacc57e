"""axe-core in headless Chromium on a sample of pages of every edition (and the Indonesian site), at
1366x900 and 390x844, with the search dialog open and after a column sort: no critical or serious
violation. On a phone (390x844) every tel: link of the emergency pack and every table of an SLA page
stay on the screen without horizontal scrolling.

axe-core comes from npm (tools/package.json, `make node-deps`); the example organisation is built
once per edition into a temporary folder and served over HTTP on 127.0.0.1.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.cli import main
from tests.browser import serve, start_chrome
from tests.conftest import ROOT
from tests.test_site import config_copy

# Measured on pages of the example organisation: skipped when content/ holds another one.
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.example]

AXE = ROOT / "tools" / "node_modules" / "axe-core" / "axe.min.js"
TODAY = "2026-11-24"
SIZES = ((1366, 900), (390, 844))
# edition -> pages (site-relative URLs) checked in it.
SAMPLE = {
    "public": ["", "records/service/", "records/security_policy/POL-INFOSEC/"],
    "internal": ["", "records/sla/SLA-HOST-BANK/", "records/complaint/", "compliance/findings/",
                 "dashboards/suppliers/"],
    "auditor": ["", "records/sla/SLA-HOST-BANK/", "compliance/", "compliance/8.3.4.1-d/", "compliance/findings/",
                "records/security_incident/"],
    "continuity": ["", "emergency/", "records/continuity_plan/CP-DC-LOSS/", "records/person/"],
    "auditor-id": ["", "records/sla/SLA-HOST-BANK/", "compliance/"],
}
BLOCKING = ("critical", "serious")


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make node-deps` (npm ci --prefix tools)")
    base = tmp_path_factory.mktemp("a11y")
    out = {}
    for name in SAMPLE:
        edition, _, lang = name.partition("-")
        (base / name).mkdir(exist_ok=True)
        config = config_copy(base / name, lang) if lang else ROOT / "mkdocs.yml"
        site = base / name / "site"
        assert main(["build", "--content", str(ROOT / "content"), "--site-dir", str(site), "--today", TODAY,
                     "--edition", edition, "--config", str(config)]) == 0, name
        out[name] = site
    return out


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory):
    drv = start_chrome(tmp_path_factory.mktemp("chrome-a11y"))
    try:
        yield drv
    finally:
        drv.quit()


def load(driver, url: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url)
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")


def axe(driver) -> list[dict]:
    """The violations axe-core finds in the page as it is now (injected through the driver, not the page)."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    return driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(function (r) {"
        "  done(r.violations.map(function (v) { return {id: v.id, impact: v.impact,"
        "    nodes: v.nodes.slice(0, 3).map(function (n) { return n.target.join(' ') + ' ' + n.html.slice(0, 160); })};"
        "  })); });")


def settled(driver) -> None:
    """Wait until the search results are shown and every transition has ended.

    The search dialog fades in (an opacity transition): axe measuring colours halfway through the
    fade reports the half-transparent text as low contrast, a state no reader is left in."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 20).until(lambda d: d.execute_script(
        "return document.querySelectorAll('.md-search-result__item').length > 0"
        " && document.getAnimations().every(function (a) { return a.playState !== 'running'; })"))


def blocking(found: list[dict]) -> list[dict]:
    return [v for v in found if v["impact"] in BLOCKING]


@pytest.mark.parametrize("name", list(SAMPLE))
def test_no_serious_violations_on_the_sample(sites, driver, name):
    problems = {}
    with serve(sites[name]) as (url, _stop):
        for width, height in SIZES:
            driver.set_window_size(width, height)
            for page in SAMPLE[name]:
                load(driver, url + page)
                found = blocking(axe(driver))
                if found:
                    problems[f"{width}x{height} /{page}"] = found
    assert not problems, json.dumps(problems, indent=1)


@pytest.mark.parametrize("name", ["internal", "auditor-id"])
def test_no_serious_violations_with_search_open_and_after_a_sort(sites, driver, name):
    from selenium.webdriver.common.by import By

    problems = {}
    with serve(sites[name]) as (url, _stop):
        for width, height in SIZES:
            driver.set_window_size(width, height)
            load(driver, url + "records/sla/")
            button = driver.find_element(By.CSS_SELECTOR, "article thead th button.clause8-sort")
            driver.execute_script("arguments[0].click();", button)
            assert button.find_element(By.XPATH, "..").get_attribute("aria-sort") == "ascending"
            found = blocking(axe(driver))
            if found:
                problems[f"{width}x{height} sorted"] = found
            # The search dialog open, with a query and its highlighted results.
            driver.execute_script("document.getElementById('__search').checked = true;"
                                  "document.getElementById('__search').dispatchEvent(new Event('change'));")
            search = driver.find_element(By.CSS_SELECTOR, "input.md-search__input")
            driver.execute_script("arguments[0].focus();", search)
            search.send_keys("SLA")
            settled(driver)
            found = blocking(axe(driver))
            if found:
                problems[f"{width}x{height} search"] = found
            assert driver.find_element(By.CSS_SELECTOR, ".md-search").get_attribute("aria-label")
    assert not problems, json.dumps(problems, indent=1)


def test_sort_words_follow_the_site_language(sites, driver):
    from selenium.webdriver.common.by import By

    with serve(sites["auditor-id"]) as (url, _stop):
        driver.set_window_size(1366, 900)
        load(driver, url + "records/sla/")
        button = driver.find_element(By.CSS_SELECTOR, "article thead th button.clause8-sort")
        assert button.get_attribute("title").startswith("Urutkan menurut ")
        assert driver.find_element(By.CSS_SELECTOR, ".md-search").get_attribute("aria-label") == "Cari di situs"


def overflow(driver) -> dict:
    """What sticks out of a 390 px screen: the page's own width, tel: links and tables past its edge."""
    return driver.execute_script("""
        var width = document.documentElement.clientWidth;
        var out = {width: width, page: document.documentElement.scrollWidth, tel: [], tables: []};
        document.querySelectorAll('article a[href^="tel:"]').forEach(function (a) {
          var r = a.getBoundingClientRect();
          if (r.width && (r.left < 0 || r.right > width + 0.5)) out.tel.push(a.textContent + ' ' + r.left + '..' + r.right);
        });
        document.querySelectorAll('article table').forEach(function (t, i) {
          var wrap = t.closest('.md-typeset__scrollwrap') || t.parentElement;
          var r = t.getBoundingClientRect();
          if (wrap.scrollWidth > wrap.clientWidth + 1 || r.right > width + 0.5) out.tables.push(i);
        });
        return out;""")


@pytest.mark.parametrize("name,page", [("continuity", "emergency/"), ("continuity", "records/sla/SLA-HOST-BANK/"),
                                       ("internal", "records/sla/SLA-HOST-BANK/"), ("auditor", "compliance/")])
def test_phone_screen_shows_every_number_and_table(sites, driver, name, page):
    from selenium.webdriver.common.by import By

    with serve(sites[name]) as (url, _stop):
        driver.set_window_size(390, 844)
        load(driver, url + page)
        assert driver.find_elements(By.CSS_SELECTOR, "article table")
        seen = overflow(driver)
        assert seen["page"] <= seen["width"], seen
        assert not seen["tel"] and not seen["tables"], seen
        if page == "emergency/":
            assert driver.find_elements(By.CSS_SELECTOR, 'article a[href^="tel:"]')
        # Wide tables stack: each value under its column's name.
        wide = driver.find_elements(By.CSS_SELECTOR, "article table[data-clause8-stack]")
        assert wide or page == "emergency/"  # the pack keeps its tables narrow (at most three columns)
        assert all(driver.execute_script("return getComputedStyle(arguments[0]).display", t) == "block" for t in wide)


def test_desktop_sla_tables_fit_the_content_column(sites, driver):
    with serve(sites["internal"]) as (url, _stop):
        driver.set_window_size(1366, 900)
        load(driver, url + "records/sla/SLA-HOST-BANK/")
        seen = overflow(driver)
        assert not seen["tables"], seen
