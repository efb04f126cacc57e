"""The Content-Security-Policy: every page carries it, it comes from the theme's templates, and
under it an injected script does not run while the site (search included) still works, over
http and from the offline bundle opened from file://."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from generator.engine.build import site_policy
from generator.cli import main
from tests.browser import serve, start_chrome
from tests.conftest import ROOT, build_bundle

pytestmark = pytest.mark.browser
FIXTURE = ROOT / "tests" / "fixtures" / "site"
INJECTED = '<script>window.__injected = 1;</script><img src="x" onerror="window.__handler = 1">'
META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">\s*')


def inject(page: Path) -> None:
    """Simulate markup that got past every cleaner, after the build."""
    page.write_text(page.read_text().replace("</article>", INJECTED + "</article>", 1))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("csp") / "site"
    assert main(["build", "--content", str(FIXTURE), "--site-dir", str(out), "--today", "2026-11-24",
                 "--config", str(ROOT / "mkdocs.yml")]) == 0
    inject(out / "records/person/PER-ANI/index.html")
    # The control: the same injected page without its policy.
    page = (out / "records/person/PER-ANI/index.html").read_text()
    (out / "records/person/PER-ANI/bare.html").write_text(META.sub("", page, count=1))
    return out


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("csp-bundle")
    zip_path = build_bundle(FIXTURE, tmp / "dist", 1796000000)
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(tmp / "copy")
    inject(tmp / "copy/records/person/PER-ANI.html")
    return tmp / "copy"


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory):
    d = start_chrome(tmp_path_factory.mktemp("chrome-csp"))
    yield d
    d.quit()


def injection_ran(driver, url: str) -> list:
    driver.get(url)
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")
    return driver.execute_script("return [window.__injected, window.__handler].filter(Boolean)")


def csp_violations(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if "Content Security Policy" in e.get("message", "")]


def search_and_open(driver, start: str, query: str, target: str) -> None:
    driver.get(start)
    box = WebDriverWait(driver, 20).until(lambda d: d.find_element(By.CSS_SELECTOR, "input.md-search__input"))
    box.click()
    box.send_keys(query)

    def open_result(d):
        try:
            d.find_element(By.CSS_SELECTOR, f'.md-search-result__list a[href*="{target}"]').click()
            return True
        except (StaleElementReferenceException, Exception):
            return False

    WebDriverWait(driver, 20).until(open_result)
    WebDriverWait(driver, 20).until(lambda d: target in d.current_url)


def test_every_page_carries_the_policy_computed_from_the_templates(site: Path):
    header = site_policy(ROOT / "mkdocs.yml", site)
    injected_hash = "sha256-" + __import__("base64").b64encode(
        __import__("hashlib").sha256(b"window.__injected = 1;").digest()).decode()
    assert injected_hash not in header  # read from the theme's templates, not from the pages
    pages = [p for p in site.rglob("*.html") if p.name != "bare.html"]
    assert len(pages) > 5
    for page in pages:
        head = page.read_text()[:2000]
        meta = META.search(head)
        assert meta, f"{page}: no policy"
        # The meta policy is the header without what a meta cannot carry.
        assert meta.group(0).split('content="')[1].split('"')[0].replace("&#x27;", "'") == \
            header.replace("; frame-ancestors 'none'", "")
        assert head.index("Content-Security-Policy") < head.find("<script")  # before any script


def test_injected_script_does_not_run_over_http(site: Path, driver):
    with serve(site) as (base, _):
        # Control: without the page's policy the injection runs, so the test can fail.
        assert injection_ran(driver, base + "records/person/PER-ANI/bare.html") == [1, 1]
        assert injection_ran(driver, base + "records/person/PER-ANI/") == []
        assert csp_violations(driver)


def test_site_works_under_the_header_policy(site: Path, driver):
    with serve(site, {"Content-Security-Policy": site_policy(ROOT / "mkdocs.yml", site)}) as (base, _):
        assert injection_ran(driver, base + "records/person/PER-ANI/") == []
        driver.get_log("browser")
        search_and_open(driver, base, "CP-1", "records/continuity_plan/CP-1/")
        # The theme's inline scripts ran (allowed by hash): Material marks the page as scripted.
        assert "no-js" not in driver.find_element(By.TAG_NAME, "html").get_attribute("class")
        assert csp_violations(driver) == []


def test_offline_copy_blocks_injection_and_search_works(bundle: Path, driver):
    assert injection_ran(driver, (bundle / "records/person/PER-ANI.html").as_uri()) == []
    assert csp_violations(driver)
    search_and_open(driver, (bundle / "index.html").as_uri(), "CP-1", "records/continuity_plan/CP-1")
    assert "no-js" not in driver.find_element(By.TAG_NAME, "html").get_attribute("class")
    assert csp_violations(driver) == []
