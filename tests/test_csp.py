"""Under the site's Content-Security-Policy the site still works and an injected script does not run."""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from generator.cli import main
from generator.csp import policy
from tests.browser import serve, start_chrome
from tests.conftest import ROOT

pytestmark = pytest.mark.browser
FIXTURE = ROOT / "tests" / "fixtures" / "site"
INJECTED = "<script>window.__injected = 1;</script>"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("csp") / "site"
    assert main(["build", "--content", str(FIXTURE), "--site-dir", str(out), "--today", "2026-11-24",
                 "--config", str(ROOT / "mkdocs.yml")]) == 0
    header = policy(out)  # computed before the injection: the injected script is not in it
    page = out / "records/person/PER-ANI/index.html"
    # Simulate an injection that got past the sanitiser.
    page.write_text(page.read_text().replace("</article>", INJECTED + "</article>", 1))
    (out / ".csp").write_text(header)
    return out


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory):
    d = start_chrome(tmp_path_factory.mktemp("chrome-csp"))
    yield d
    d.quit()


def injected_ran(driver, base: str) -> bool:
    driver.get(base + "records/person/PER-ANI/")
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")
    return driver.execute_script("return window.__injected === 1")


def test_injected_script_runs_without_the_policy(site: Path, driver):
    with serve(site) as (base, _):
        assert injected_ran(driver, base)  # the control: without CSP the injection runs


def test_policy_blocks_injection_and_the_site_still_works(site: Path, driver):
    with serve(site, {"Content-Security-Policy": (site / ".csp").read_text()}) as (base, _):
        assert not injected_ran(driver, base)
        blocked = driver.get_log("browser")  # reading the log empties it
        assert any("Content Security Policy" in e.get("message", "") for e in blocked)
        driver.get(base)
        box = WebDriverWait(driver, 20).until(lambda d: d.find_element(By.CSS_SELECTOR, "input.md-search__input"))
        box.click()
        box.send_keys("CP-1")

        def open_result(d):
            try:
                d.find_element(By.CSS_SELECTOR, '.md-search-result__list a[href*="records/continuity_plan/CP-1/"]').click()
                return True
            except (StaleElementReferenceException, Exception):
                return False

        WebDriverWait(driver, 20).until(open_result)
        WebDriverWait(driver, 20).until(lambda d: "records/continuity_plan/CP-1/" in d.current_url)
        # The theme's inline scripts ran (allowed by hash): Material marks the page as scripted.
        assert "no-js" not in driver.find_element(By.TAG_NAME, "html").get_attribute("class")
        violations = [e for e in driver.get_log("browser") if "Content Security Policy" in e.get("message", "")]
        assert violations == [], violations
